"""The voice loads beside a batch's setup when it will surely speak (pipeline.preloading)."""

import threading
from pathlib import Path

import pytest

import audiogen
import audiogen.pipeline as pipeline_module

PARAGRAPH = (
    "The council met on Tuesday evening to discuss the new library, which has been closed "
    "for repairs since the spring floods damaged its lower floor and its archive. "
)


@pytest.fixture
def recorded(monkeypatch):
    """What happens, in order: each start of a voice's loading, each article read."""
    events, preloading, read = [], pipeline_module._preloading, pipeline_module.read_article

    def loading(voice, threads):
        events.append(("load", voice.name))
        return preloading(voice, threads)

    def reading(source, options=None):
        events.append(("read", Path(source.location).name))
        return read(source, options)

    monkeypatch.setattr(pipeline_module, "_preloading", loading)
    monkeypatch.setattr(pipeline_module, "read_article", reading)
    return events


def converted(tmp_path: Path, name: str, **options) -> audiogen.Outcome:
    source = tmp_path / name
    source.write_text(f"Library to reopen\n\n{PARAGRAPH * 2}\n\n{PARAGRAPH}\n")
    settings = audiogen.Options(output=tmp_path / "out", cache=False, jobs=1, **options)
    [outcome] = audiogen.convert_all([source], settings)
    return outcome


def test_a_batch_into_a_new_folder_loads_the_voice_before_reading(tmp_path, recorded):
    outcome = converted(tmp_path, "first.txt")
    assert outcome.entry.status == "converted"
    assert recorded[:2] == [("load", "joe"), ("read", "first.txt")]
    assert not [t for t in threading.enumerate() if t.name == "audiogen-preload"]  # joined


def test_an_unchanged_article_never_waits_for_the_voice(tmp_path, recorded):
    converted(tmp_path, "first.txt")
    recorded.clear()
    again = converted(tmp_path, "first.txt")  # the folder holds its MP3: maybe up to date
    assert again.entry.status == "skipped"
    assert recorded == [("read", "first.txt")]  # read, found up to date, nothing loaded
    forced = converted(tmp_path, "first.txt", force=True)
    assert forced.entry.status == "converted"
    assert recorded[1:3] == [("load", "joe"), ("read", "first.txt")]
