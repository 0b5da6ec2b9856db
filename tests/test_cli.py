"""The command line as a user meets it: fresh processes, real files, one-line errors."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    DECODE_RATE,
    SAMPLE,
    decode_mp3,
    on_screen,
    run_cli,
    run_in_a_terminal,
    write_long_article,
    written,
)


def one_line_error(result, code=1) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiogen: error: "), result.stderr
    return lines[0]


def test_help_loads_no_heavy_library():
    code = (
        "import sys\n"
        "from audiogen.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'onnxruntime', 'pydub', 'numpy', 'piper', 'gtts', 'requests', 'rich',\n"
        "         'scipy', 'pyloudnorm', 'PIL', 'feedgen', 'feedparser', 'mutagen', 'lxml',\n"
        "         'starlette', 'uvicorn', 'multipart', 'httpx'}\n"
        "heavy &= {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]", result.stdout
    assert all(command in result.stdout for command in ("convert", "voices", "feed", "serve"))


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("nav.txt", b"Skip to content\nHome\nNews\nSport\nSubscribe\nSign in\n", "no article"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, name, content, said):
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "out"
    line = one_line_error(run_cli("convert", str(source), "-o", str(out)))
    assert said in line and str(source) in line
    assert written(out) == []


def test_a_missing_file_is_one_line(tmp_path):
    line = one_line_error(run_cli("convert", str(tmp_path / "gone.txt"), "-o", str(tmp_path)))
    assert "no such file" in line


def test_an_unknown_voice_is_a_usage_error(tmp_path):
    line = one_line_error(run_cli("convert", str(SAMPLE), "--voice", "robot"), code=2)
    assert "robot" in line and "joe" in line


@pytest.mark.slow
def test_a_bad_source_does_not_stop_the_batch(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out"
    result = run_cli("convert", str(empty), str(SAMPLE), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "empty" in result.stderr
    mp3s = written(out)
    assert mp3s == ["2022-12-25-china-strengthens-ties-with-russia-defends-war-stance.mp3"]
    assert result.stdout.strip() == str(out / mp3s[0])

    again = run_cli("convert", str(SAMPLE), "-o", str(out))
    assert again.returncode == 0 and "--force" in again.stderr


@pytest.mark.slow
def test_gtts_offline_is_one_clear_line(tmp_path):
    # A proxy on a closed loopback port: the request fails at once, as it would offline,
    # and nothing leaves this machine.
    env = {"PATH": "/usr/bin:/bin", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
           "AUDIOGEN_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    out = tmp_path / "out"
    result = run_cli("convert", str(SAMPLE), "--voice", "gtts-en-us", "-o", str(out), env=env)
    line = one_line_error(result)
    assert "joe" in line  # says what to do: the offline voice
    assert written(out) == []


def test_script_json_is_what_will_be_spoken():
    result = run_cli("script", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    script = json.loads(result.stdout)
    assert script["headline"] == "China strengthens ties with Russia, defends war stance"
    assert script["byline"] == "The Kyiv Independent news desk"
    assert script["published"] == "2022-12-25T20:54:00"
    assert script["language"] == "en"
    assert script["source"] == str(SAMPLE)
    assert script["segments"][0] == {"paragraph": 0, "text": script["headline"],
                                     "spoken": script["headline"]}  # fmt: skip
    assert {s["paragraph"] for s in script["segments"]} == {0, 1, 2, 3, 4, 5, 6}
    # Each segment keeps both forms: as written, and as the newsreader says it.
    written = " ".join(s["text"] for s in script["segments"])
    assert "Dec. 25" in written and "$200 billion" in written
    assert "December" not in written and "dollars" not in written
    spoken = " ".join(s["spoken"] for s in script["segments"])
    assert "December twenty-fifth" in spoken and "two hundred billion dollar" in spoken


def test_script_text_prints_the_transcript_and_metadata_apart():
    result = run_cli("script", str(SAMPLE))
    assert result.returncode == 0
    assert result.stdout.startswith("China strengthens ties with Russia, defends war stance\n\n")
    assert "byline: The Kyiv Independent news desk" in result.stderr
    # What will be spoken, word for word: the newsreader's forms, not the written ones.
    assert "In an address on December twenty-fifth," in result.stdout
    assert "Dec. 25" not in result.stdout


def test_normalize_takes_an_argument_or_standard_input():
    assert run_cli("normalize", "On Dec. 25 it cost $200 billion.").stdout == (
        "On December twenty-fifth it cost two hundred billion dollars.\n"
    )
    piped = run_cli("normalize", input="Dec. 21\n$5\n")
    assert piped.stdout.splitlines() == ["December twenty-first", "five dollars"]


def test_voices_lists_presets_and_what_runs_here():
    result = run_cli("voices", env={"PATH": "/usr/bin:/bin", "HTTPS_PROXY": "http://127.0.0.1:9"})
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    joe = lines.index(next(line for line in lines if line.startswith("joe (default)")))
    assert lines[joe + 1].strip() == "ready"
    assert "gtts-en-gb" in result.stdout and "gtts-en-us" in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_readme_commands_are_the_makefile_targets():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_script_with_a_lexicon_keeps_the_written_words(tmp_path):
    mine = tmp_path / "my.toml"
    mine.write_text('[words]\n"Wang Yi" = { say = "wahng yee", phonemes = "wˈɑːŋ jˈiː" }\n')
    plain = run_cli("script", str(SAMPLE), "--json")
    result = run_cli(
        "script", str(SAMPLE), "--json", "--lexicon", str(mine), "--lexicon", str(mine)
    )
    assert result.returncode == 0, result.stderr
    # The lexicon changes what the engine hears, never the words the script shows.
    assert json.loads(result.stdout) == json.loads(plain.stdout)
    assert "Wang Yi" in result.stdout


@pytest.mark.parametrize("command", ["script", "convert"])
def test_a_missing_or_malformed_lexicon_is_a_one_line_usage_error(tmp_path, command):
    out = tmp_path / "out"
    extra = ["-o", str(out)] if command == "convert" else []
    gone = run_cli(command, str(SAMPLE), "--lexicon", str(tmp_path / "gone.toml"), *extra)
    assert "gone.toml" in one_line_error(gone, code=2)
    bad = tmp_path / "bad.toml"
    bad.write_text('[words]\n"Kyiv" = { say = "kee-yiv"\n')
    line = one_line_error(run_cli(command, str(SAMPLE), "--lexicon", str(bad), *extra), code=2)
    assert str(bad) in line and "line 2" in line
    assert not out.exists()


# --- What went wrong, said as it happened -----------------------------------------------------


def test_an_address_that_is_not_http_is_refused_as_an_address():
    line = one_line_error(run_cli("script", "ftp://example.com/news/brief.html"))
    assert line.endswith("only http:// and https:// addresses can be fetched")
    assert "no such file" not in line


def test_https_to_a_plain_http_server_says_what_happened(tmp_path):
    from tests.local_site import LocalSite

    with LocalSite() as site:
        site.page("/news/brief", b"<html><body><p>Hello.</p></body></html>")
        url = site.url("/news/brief").replace("http://", "https://")
        line = one_line_error(run_cli("convert", url, "-o", str(tmp_path / "out")))
    assert "does not speak HTTPS on this port" in line and "certificate" not in line


# --- Languages --------------------------------------------------------------------------------

FRENCH_PAGE = """<!DOCTYPE html><html lang="fr-FR"><head><meta charset="utf-8">
<title>La BCE relève ses taux</title></head><body><article><h1>La BCE relève ses taux</h1>
<p>Le 15 déc. 2022, la Banque centrale européenne a annoncé une hausse de 0,5 % de ses taux
directeurs, portant le taux de dépôt à 2 %. Cette décision vise à lutter contre l'inflation.</p>
<p>Christine Lagarde a déclaré que d'autres hausses suivraient en 2023. Les marchés ont réagi
avec prudence et le CAC 40 a perdu 3,5 % en une séance, sa plus forte baisse depuis des mois.</p>
</article></body></html>"""
BRIEF = (
    "News\nSport\nFerry fares to rise in April\nMarch 3, 2023\nThe Harbour City ferry will "
    "cost £2.80 a crossing from April 1, up from £2.50, the council said on Friday. Season "
    "tickets stay at £60 a month, and children under 12 still travel free on every route.\n"
)


@pytest.mark.parametrize("command", ["script", "convert"])
def test_a_language_the_voice_cannot_read_is_a_usage_error_before_any_work(tmp_path, command):
    out = tmp_path / "out"
    extra = ["-o", str(out)] if command == "convert" else []
    line = one_line_error(run_cli(command, str(SAMPLE), "--lang", "fr", *extra), code=2)
    assert "--lang fr: " in line and "the voice 'joe' reads en" in line
    assert "no voice preset reads fr" in line
    assert not out.exists()
    wrong = run_cli(command, str(SAMPLE), "--lang", "French", *extra)
    assert wrong.returncode == 2 and "not a language tag" in wrong.stderr


def test_english_rules_are_for_english_only():
    text = "Le 15 déc. 2022, 3,5 % et 2 $."
    english = run_cli("normalize", "--lang", "en-GB", text)
    assert "Le fifteen déc. twenty twenty-two" in english.stdout  # English rules on French
    for other in ("fr", "fr-CA", "enq"):  # enq: Enga, whose ISO 639 code starts as English's
        assert run_cli("normalize", "--lang", other, text).stdout == text + "\n"


def batch_with_failures(folder):
    """An English brief (named in a CSV with its headline), a French page, the same brief
    said in a CSV to be French, and a file that is not there: one converts, three fail."""
    (folder / "brief.txt").write_text(BRIEF)
    (folder / "said-french.txt").write_text(BRIEF)
    (folder / "french.html").write_text(FRENCH_PAGE)
    rows = folder / "rows.csv"
    rows.write_text(
        "source,headline,language\n"
        "brief.txt,Ferry fares to rise in April,\n"
        "said-french.txt,Ferry fares said to be French,fr\n"
    )
    return [str(rows), str(folder / "french.html"), str(folder / "gone.txt")]


def test_a_log_has_each_failure_once_and_a_plain_summary(tmp_path):
    from mutagen.id3 import ID3

    out = tmp_path / "out"
    result = run_cli("convert", *batch_with_failures(tmp_path), "-o", str(out), "--jobs", "1")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("audiogen: error: ")]
    french = str(tmp_path / "french.html")
    assert sorted(errors) == sorted([
        f"audiogen: error: {tmp_path / 'gone.txt'}: no such file or folder; check the path",
        f"audiogen: error: {french}: the article is in fr, but the voice 'joe' reads en; "
        "no voice preset reads fr yet (see `audiogen voices`)",
        f"audiogen: error: {tmp_path / 'said-french.txt'}: the article is in fr, but the voice "
        "'joe' reads en; no voice preset reads fr yet (see `audiogen voices`)",
    ])  # fmt: skip
    # Each failure once: not again in the summary, which is plain text a machine can read.
    assert sum(french in line for line in lines) == 1
    assert re.fullmatch(
        r"audiogen: batch summary: converted 1 \(0:\d\d of audio\), skipped 0, failed 3",
        lines[-2],
    ), result.stderr
    assert lines[-1].startswith("audiogen: took ") and lines[-1].endswith("manifest.jsonl")
    assert not re.search("[\u2500-\u257f]", result.stderr)  # no box drawing
    assert all(line == line.rstrip() for line in lines)  # no padding
    assert "\x1b" not in result.stderr
    (mp3,) = result.stdout.split()
    assert str(ID3(mp3)["TIT2"]) == "Ferry fares to rise in April"
    assert str(ID3(mp3)["TLAN"]) == "eng"


def test_a_terminal_names_the_article_in_progress(tmp_path):
    (tmp_path / "ferry-fares-brief.txt").write_text(BRIEF)
    rows = tmp_path / "rows.csv"
    rows.write_text("source,headline\nferry-fares-brief.txt,Ferry fares to rise in April\n")
    status, screen = run_in_a_terminal(
        "convert", str(rows), "-o", str(tmp_path / "out"), "--no-cache"
    )
    assert status == 0, screen
    shown = "\n".join(on_screen(screen))
    assert re.search(r"converting ferry-fares-brief\.txt .* \d/\d sentences", shown), shown


# --- progress of a single long article ----------------------------------------------------------

LONG_ROW = re.compile(
    r"converting long-read\.txt [━╸╺ ]*(\d+)/41 sentences (\d+):(\d\d) of audio ?(.*)"
)


def test_a_terminal_shows_a_long_articles_sentences_audio_and_time_left(tmp_path):
    out = tmp_path / "out"
    # No cache: every sentence is spoken, so that the bar has time to show each step.
    status, screen = run_in_a_terminal(
        "convert", str(write_long_article(tmp_path)), "-o", str(out), "--no-cache"
    )
    assert status == 0, screen
    rows = [LONG_ROW.fullmatch(line) for line in on_screen(screen)]
    rows = [row for row in rows if row]
    done = [int(row[1]) for row in rows]
    audio = [int(row[2]) * 60 + int(row[3]) for row in rows]
    assert done == sorted(done) and len(set(done)) > 3, done  # it advances, and never back
    assert audio == sorted(audio) and audio[-1] > audio[0], audio
    assert any(re.fullmatch(r"\d+:\d\d left", row[4]) for row in rows), screen[-3000:]
    assert done[-1] == 41 and rows[-1][4] == "writing the MP3"
    # The audio it counted is the sentences' own: the MP3 adds the pauses between them.
    (mp3,) = out.glob("*.mp3")
    assert audio[-1] - 1 <= len(decode_mp3(mp3)) / DECODE_RATE <= 2 * audio[-1]


def test_a_log_says_where_a_long_article_is_at_every_tenth(tmp_path):
    article, out = write_long_article(tmp_path), tmp_path / "out"
    # Both streams in one pipe, in the order they were written: the progress, then the path.
    result = subprocess.run([sys.executable, "-m", "audiogen", "convert", str(article), "-o",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout
    *lines, path = result.stdout.splitlines()
    assert path == str(next(out.glob("*.mp3")))
    assert "\x1b" not in result.stdout and all(line == line.rstrip() for line in lines)
    tenth = re.compile(rf"audiogen: {re.escape(str(article))}: (\d+)% \((\d+)/41 sentences, "
                       r"(\d+):(\d\d) of audio\)(, about \d+:\d\d left)?")  # fmt: skip
    said = [tenth.fullmatch(line) for line in lines[:-1]]
    assert all(said), lines
    # A line as each tenth of the 41 sentences is reached: at 5, 9, 13 ... 37 of them.
    assert [int(line[2]) for line in said] == [-(-41 * k // 10) for k in range(1, 10)], lines
    assert [int(line[1]) for line in said] == [int(line[2]) * 100 // 41 for line in said]
    last = re.fullmatch(rf"audiogen: {re.escape(str(article))}: all 41 sentences spoken "
                        r"\((\d+):(\d\d) of audio\); writing the MP3", lines[-1])  # fmt: skip
    assert last, lines
    audio = int(last[1]) * 60 + int(last[2])
    assert audio - 1 <= len(decode_mp3(Path(path))) / DECODE_RATE <= 2 * audio

    # --quiet: nothing but the path, though every sentence is spoken again (from the cache).
    quiet = run_cli("convert", str(article), "-o", str(out), "--quiet", "--force")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert quiet.stdout == f"{path}\n"

    # A short article says nothing but its path.
    (tmp_path / "brief.txt").write_text(BRIEF)
    rows = tmp_path / "rows.csv"
    rows.write_text("source,headline\nbrief.txt,Ferry fares to rise in April\n")
    short = run_cli("convert", str(rows), "-o", str(out))
    assert short.returncode == 0 and short.stderr == "", short.stderr
