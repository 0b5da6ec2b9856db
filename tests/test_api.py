"""The Python API: its names, their documentation, the README's example, a real conversion."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

import audiogen
from tests.conftest import ROOT, SAMPLE, decode_mp3

EXAMPLE = ROOT / "examples" / "python_api.py"
HEADLINE = "China strengthens ties with Russia, defends war stance"


def readme_python_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]


def test_every_public_name_resolves_and_is_documented():
    for name in audiogen.__all__:
        value = getattr(audiogen, name)
        if name != "__version__":
            assert value.__doc__ and value.__doc__.strip(), name
            assert value.__module__.startswith("audiogen."), name
    assert set(audiogen.__all__) - {"__version__"} == set(audiogen._HOMES)
    with pytest.raises(AttributeError):
        audiogen.Settings  # noqa: B018 - gone: Options is the one object


def test_the_readme_names_exactly_the_public_api():
    section = readme_python_section()
    used = set(re.findall(r"audiogen\.([A-Za-z_]+)", section)) - {"__all__"}
    assert used <= set(audiogen.__all__), used - set(audiogen.__all__)
    listed = section.split("`audiogen.__all__`:", 1)[1].split(".", 1)[0]
    assert set(re.findall(r"`(\w+)`", listed)) == set(audiogen.__all__) - {"__version__"}


def test_the_smallest_example_is_the_issues():
    smallest = (
        "import audiogen\n"
        'result = audiogen.convert("article.html", audiogen.Options(output="audio/"))\n'
        "print(result.path, result.seconds)\n"
    )
    assert f"```python\n{smallest}```" in readme_python_section()


def test_importing_audiogen_and_its_names_loads_no_heavy_library():
    code = (
        "import sys, audiogen\n"
        "[getattr(audiogen, name) for name in audiogen.__all__]\n"
        "heavy = {'numpy', 'pydub', 'piper', 'onnxruntime', 'click', 'rich', 'mutagen', 'lxml',\n"
        "         'trafilatura', 'requests', 'PIL', 'starlette', 'uvicorn'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_public_functions_are_not_shadowed_by_their_modules():
    """Importing a submodule sets it on the package: none is named like a public function."""
    import audiogen.batch
    import audiogen.narration
    import audiogen.pipeline  # noqa: F401

    for name in ("convert", "convert_all", "read_article", "script"):
        assert callable(getattr(audiogen, name)), name


def test_options_have_the_command_lines_defaults(tmp_path, monkeypatch):
    from audiogen.profile import PLAIN, Profile

    options = audiogen.Options()
    assert (options.voice, options.folder, options.profile) == ("joe", Path("output"), PLAIN)
    assert (options.force, options.jobs, options.cluster) == (False, None, None)
    monkeypatch.setenv("AUDIOGEN_CACHE_DIR", str(tmp_path / "chunks"))
    assert options.cache_folder() == tmp_path / "chunks"
    assert audiogen.Options(cache=False).cache_folder() is None
    assert audiogen.Options(lexicons="names.toml").lexicons == (Path("names.toml"),)
    profile = tmp_path / "house.toml"
    profile.write_text('outro = "Thanks for listening."\n')
    assert audiogen.Options(profile=profile).profile == Profile(outro=("Thanks for listening.",))


def test_a_bad_option_says_which_setting(tmp_path):
    with pytest.raises(audiogen.AudiogenError) as error:
        audiogen.Options(profile=tmp_path / "gone.toml")
    assert error.value.setting == "profile" and "--" not in str(error.value)
    article = audiogen.read_article(SAMPLE)
    for options, setting in [
        (audiogen.Options(voice="robot"), "voice"),
        (audiogen.Options(lexicons=[tmp_path / "gone.toml"]), "lexicons"),
        (audiogen.Options(language="fr"), "language"),
    ]:
        with pytest.raises(audiogen.AudiogenError) as error:
            audiogen.script(article, options)
        assert error.value.setting == setting, str(error.value)
        assert "--" not in str(error.value)  # no command-line flag in a library's message


def test_read_article_and_script_take_a_path_or_a_string():
    article = audiogen.read_article(SAMPLE)
    assert article.headline == HEADLINE
    assert audiogen.read_article(str(SAMPLE), audiogen.Options(publisher="X")).publisher == "X"
    spoken = audiogen.script(article, audiogen.Options())
    assert spoken.segments[0].text == HEADLINE
    assert "December twenty-fifth" in spoken.spoken_text


def test_convert_all_reports_a_bad_source_as_an_outcome(tmp_path):
    events = []
    outcomes = audiogen.convert_all(
        [tmp_path / "gone.txt"], audiogen.Options(output=tmp_path / "out"), on_event=events.append
    )
    assert [outcome.entry.status for outcome in outcomes] == ["failed"]
    assert "no such file" in outcomes[0].entry.error
    assert [type(event).__name__ for event in events] == ["Planned", "Outcome"]
    lines = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["failed"]


def test_the_example_converts_the_sample(tmp_path):
    """examples/python_api.py as a user runs it: the MP3 it names decodes, its tags are the
    article's, its length is what convert said, and the batch after it finds it up to date."""
    out = tmp_path / "audio"
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), str(out)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"headline: {HEADLINE}"
    path, seconds = lines[2].rsplit(" ", 1)
    mp3 = Path(path)
    assert mp3.parent == out and mp3.name.startswith("2022-12-25-china-strengthens")
    samples = decode_mp3(mp3)
    assert len(samples) / 22050 == pytest.approx(float(seconds), abs=0.15)
    assert str(ID3(mp3)["TIT2"]) == HEADLINE
    assert lines[3:] == [f"outcome: skipped {mp3}", "failed: 0"]
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [(entry["status"], entry["output"]) for entry in manifest] == [("skipped", str(mp3))]


def test_the_readmes_smallest_example_runs(tmp_path):
    """The README's first example as it is written, beside a saved page named article.html."""
    code = readme_python_section().split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "article.html").write_bytes((ROOT / "tests/pages/regional-news.html").read_bytes())
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    path, seconds = result.stdout.strip().rsplit(" ", 1)
    mp3 = tmp_path / path
    assert mp3.parent == tmp_path / "audio"
    assert len(decode_mp3(mp3)) / 22050 == pytest.approx(float(seconds), abs=0.15)
    assert str(ID3(mp3)["TIT2"]) == "Floods close Valley Road for third time this winter"
