"""Pronunciation lexicons: how the voice says the names its engine gets wrong.

A lexicon is a TOML file whose `[words]` table maps a word or phrase to a respelling (`say`),
read by every engine, and optionally to phonemes (`phonemes`, espeak-ng IPA), which engines that
take phonemes (Piper, as `[[ ... ]]`) read instead:

    [words]
    "Zelensky" = { say = "zuh-lensky", phonemes = "zˈʌlˈɛnski" }
    "Lula" = "loo-luh"                  # a plain string is a respelling only

The lexicon rewrites only what the engine hears. The script's spoken words, the transcript and
`audiogen script` keep the newsreader's spelling.

Matching (the rules the default lexicon's header repeats for its editors):
- whole words and phrases only: not next to a letter, digit or underscore ("Kyiv" matches in
  "Kyiv-based" and "(Kyiv)", not in "Kyivstar"); the words of a phrase may be separated by any
  run of whitespace;
- an entry with a capital letter matches that spelling, and the same in all capitals (headlines,
  datelines): "Nice" the city matches "Nice" and "NICE", never "nice"; an all-lowercase entry
  matches any capitalisation;
- a possessive "'s" or "’s" after a match belongs to it: the respelling keeps it, the phonemes
  get the English ending (s, z or ɪz after the last sound);
- the longest entry that matches wins ("Xi Jinping" before "Xi"), and where an exact-case entry
  and an any-case entry match the same text, the exact one wins;
- files read later override earlier ones: an entry replaces any earlier file's entry with the same
  words in any capitalisation.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from audiogen.errors import AudiogenError

__all__ = ["Entry", "Lexicon", "load_lexicon"]

_FIELDS = ("say", "phonemes")


@dataclass(frozen=True)
class Entry:
    words: str  # as the article writes them, whitespace normalised
    say: str | None = None  # respelling, for every engine
    phonemes: str | None = None  # espeak-ng IPA, for engines that take phonemes

    @property
    def any_case(self) -> bool:
        return self.words == self.words.lower()


class Lexicon:
    """Entries compiled into one regular expression: one left-to-right pass over the text.

    The pattern is an alternation of escaped literals with no nested repetition, so matching
    time grows linearly with the text, whatever it contains.
    """

    def __init__(self, entries: Iterable[Entry] = ()):
        self.entries: tuple[Entry, ...] = tuple(entries)
        # What a match is looked up by: its exact text (and all-caps form), else its lowercase.
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        alternatives: dict[str, int] = {}  # pattern -> length of the words it matches
        for entry in self.entries:
            if entry.any_case:
                self._folded[entry.words] = entry
                alternatives[f"(?i:{_phrase(entry.words)})"] = len(entry.words)
            else:
                self._exact[entry.words] = entry
                alternatives[_phrase(entry.words)] = len(entry.words)
        for entry in self.entries:
            shouted = entry.words.upper()
            if not entry.any_case and shouted not in self._exact:
                self._exact[shouted] = entry
                alternatives[_phrase(shouted)] = len(shouted)
        # Longest words first: the alternation takes the first that matches, so a phrase beats
        # its first word.
        ordered = sorted(alternatives, key=lambda pattern: (-alternatives[pattern], pattern))
        self._pattern = (
            re.compile(
                r"(?<!\w)(?P<words>" + "|".join(ordered) + r")(?P<possessive>['’][sS])?(?!\w)"
            )
            if ordered
            else None
        )

    def __len__(self) -> int:
        return len(self.entries)

    def apply(self, text: str, phonemes: bool = False) -> str:
        """`text` as the engine should read it: entries respelled, or given as `[[phonemes]]`
        when `phonemes` is true and the entry has them."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._replace(match, phonemes), text)

    def _replace(self, match: re.Match, phonemes: bool) -> str:
        written = " ".join(match["words"].split())
        entry = self._exact.get(written) or self._folded[written.lower()]
        possessive = match["possessive"] or ""
        if phonemes and entry.phonemes:
            ending = _possessive_ending(entry.phonemes) if possessive else ""
            return f"[[{entry.phonemes}{ending}]]"
        if entry.say:
            return entry.say + possessive
        return match[0]  # phonemes only, and this engine cannot take them


def _phrase(words: str) -> str:
    """A literal pattern for `words`, any run of whitespace between them."""
    return r"\s+".join(map(re.escape, words.split()))


def _possessive_ending(ipa: str) -> str:
    """The sound of English "'s" after `ipa`: ɪz after a hiss, s after a voiceless sound, else z."""
    last = [c for c in unicodedata.normalize("NFD", ipa) if c.isalpha() and c not in "ˈˌːˑ"]
    if last and last[-1] in "szʃʒ":
        return "ɪz"
    if last and last[-1] in "ptkfθxç":
        return "s"
    return "z"


def load_lexicon(paths: Iterable[Path | str]) -> Lexicon:
    """The lexicon of these files, later files overriding earlier ones (see the module notes).

    A missing or malformed file is an AudiogenError naming the file (and line where known).
    """
    merged: dict[str, Entry] = {}
    for path in map(Path, paths):
        entries = _read(path)
        # An entry replaces earlier files' entries for the same words in any capitalisation;
        # within one file, "Nice" and "nice" may both stand.
        replaced = {entry.words.lower() for entry in entries}
        merged = {k: v for k, v in merged.items() if k.lower() not in replaced}
        merged.update((entry.words, entry) for entry in entries)
    return Lexicon(merged.values())


def _read(path: Path) -> list[Entry]:
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AudiogenError(
            f"lexicon {path} not found; check its path (a lexicon given, or the voice "
            "preset's 'lexicon' key)"
        ) from None
    except UnicodeDecodeError:
        raise AudiogenError(f"lexicon {path} is not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise AudiogenError(f"cannot read lexicon {path}: {error.strerror or error}") from None
    try:
        document = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends "(at line N, column M)": the place to look.
        raise AudiogenError(
            f"lexicon {path} is not valid TOML: {error}; fix that line (format: see the top of "
            "voices/lexicon.toml)"
        ) from None

    def fail(problem: str, key: str | None = None) -> AudiogenError:
        where = f"{path}, line {_line_of(source, key)}" if key and _line_of(source, key) else path
        return AudiogenError(f"lexicon {where}: {problem}")

    unknown = sorted(set(document) - {"words"})
    if unknown:
        raise fail(f"unknown table or key {unknown[0]!r}; entries go under [words]", unknown[0])
    words = document.get("words", {})
    if not isinstance(words, dict):
        raise fail("'words' must be a table: [words] then one entry a line", "words")
    entries = []
    for key, value in words.items():
        written = " ".join(key.split())
        if not any(c.isalnum() for c in written):
            raise fail(f"entry {key!r} has no word to match", key)
        if isinstance(value, str):
            value = {"say": value}
        if not isinstance(value, dict):
            raise fail(
                f'entry {key!r} must be "respelling" or {{ say = ..., phonemes = ... }}', key
            )
        extra = sorted(set(value) - set(_FIELDS))
        if extra:
            raise fail(
                f"entry {key!r} has unknown key {extra[0]!r}; use 'say' and/or 'phonemes'", key
            )
        fields = {}
        for name in _FIELDS:
            text = value.get(name)
            if text is None:
                continue
            if not isinstance(text, str) or not text.strip():
                raise fail(f"entry {key!r}: {name!r} must be non-empty text", key)
            if "[" in text or "]" in text:
                raise fail(
                    f"entry {key!r}: {name!r} may not contain brackets (audiogen adds [[ ]])", key
                )
            fields[name] = " ".join(text.split())
        if not fields:
            raise fail(f"entry {key!r} needs 'say', 'phonemes' or both", key)
        entries.append(Entry(written, **fields))
    return entries


def _line_of(source: str, key: str) -> int | None:
    """The line where `key` is written, for error messages (tomllib reports only syntax errors)."""
    starts = (f'"{key}"', f"'{key}'", f"{key} ", f"{key}=", f"[{key}]")
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith(starts):
            return number
    return None
