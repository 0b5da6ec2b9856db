import pytest

from audiogen.errors import AudiogenError
from audiogen.voices import DEFAULT_VOICE, Pauses, find_voice, load_voices


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
