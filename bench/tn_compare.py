"""Compare two spoken forms modulo formatting, and find the written tokens where they differ.

    canonical("On December twenty-fifth, the I.M.F said") -> "on december twenty fifth the imf said"
    differing_tokens(written, nemo, ours)                 -> [("555-0187", "phone"), ...]

Formatting is what a listener cannot hear: letter case, punctuation, hyphens ("twenty-four" and
"twenty four"), apostrophes, spacing, and how a spelled-out abbreviation is punctuated ("I.M.F",
"I-M-F" and "IMF"). Nothing else is folded: a word said on one side and not the other, a digit
left for the engine, "and" in "one hundred and five", all stay differences.
"""

from __future__ import annotations

import difflib
import re

from bench.tn_classes import class_at, spans

# Single letters joined by dots or hyphens: "I.M.F", "U.S.", "C-X", "F-P-S"; and capital
# letters standing alone, which are spelled whether spaced or not: "J. M." and "J M", "C X".
# Not the article "A" or the pronoun "I" before a dotted acronym: "A C.P.U" is "a CPU".
LETTER_SPELLING = re.compile(
    r"\b[^\W\d_](?:[.-][^\W\d_]\b)+\.?|\b(?![AI]\s[A-Z]\.[A-Z])[A-Z]\b(?:\.?\s?[A-Z]\b)+\.?"
)
# Not "‘", which only opens a quote: NeMo glues it to the word before ("a vast‘neonization’").
APOSTROPHES = re.compile(r"['’`]")
NOT_A_WORD = re.compile(r"[\W_]+")
# One word spelled two ways, said the same: "per cent", "kilometre", "litre", "et cetera", and
# a zero said as the letter ("twelve o one", "twelve oh one").
SPELLINGS = (
    (re.compile(r"\bper cent\b"), "percent"),
    (re.compile(r"\bet cetera\b"), "etcetera"),
    (re.compile(r"(?<=[mt])re(?=s?\b)"), "er"),
    (re.compile(r"\bo\b"), "oh"),
)


def canonical_words(text: str) -> list[str]:
    """The words a listener hears, lower case, without punctuation."""
    text = LETTER_SPELLING.sub(lambda match: re.sub(r"[.\s-]", "", match.group()), text)
    text = APOSTROPHES.sub("", text.lower())
    text = NOT_A_WORD.sub(" ", text)
    for pattern, spelling in SPELLINGS:
        text = pattern.sub(spelling, text)
    return text.split()


def canonical(text: str) -> str:
    return " ".join(canonical_words(text))


def tokens(text: str) -> list[re.Match]:
    """The whitespace-separated tokens of a written sentence, with their positions."""
    return list(re.finditer(r"\S+", text))


def tagged_words(written: list[re.Match]) -> tuple[list[str], list[int]]:
    """The written sentence's canonical words, and for each the index of its token."""
    words, owners = [], []
    for index, token in enumerate(written):
        for word in canonical_words(token.group()):
            words.append(word)
            owners.append(index)
    return words, owners


def token_map(written: list[str], owners: list[int], spoken: list[str]) -> list[set[int]]:
    """For every spoken word, the written tokens it was read from (a best alignment)."""
    result: list[set[int]] = [set() for _ in spoken]
    matcher = difflib.SequenceMatcher(None, written, spoken, autojunk=False)
    for tag, w1, w2, s1, s2 in matcher.get_opcodes():
        # A word said with no written word under it (inserted) belongs to its neighbours.
        sources = set(owners[max(w1 - 1, 0) : w2 + 1] if w1 == w2 else owners[w1:w2])
        for position in range(s1, s2):
            same = tag == "equal"
            result[position] = {owners[w1 + position - s1]} if same else sources
    return result


def differing_regions(nemo: list[str], ours: list[str]) -> list[tuple[int, int, int, int]]:
    """The (nemo start, end, ours start, end) stretches where the two readings differ."""
    matcher = difflib.SequenceMatcher(None, nemo, ours, autojunk=False)
    return [(n1, n2, o1, o2) for tag, n1, n2, o1, o2 in matcher.get_opcodes() if tag != "equal"]


def region_tokens(region, nemo_map, ours_map, nemo_size: int, ours_size: int) -> set[int]:
    """The written tokens under one differing stretch; an empty side borrows its neighbours."""
    n1, n2, o1, o2 = region
    if n1 == n2:
        n1, n2 = max(n1 - 1, 0), min(n2 + 1, nemo_size)
    if o1 == o2:
        o1, o2 = max(o1 - 1, 0), min(o2 + 1, ours_size)
    return set().union(*nemo_map[n1:n2], *ours_map[o1:o2])


def differing_tokens(written: str, nemo: str, ours: str) -> list[tuple[str, str]]:
    """The written tokens where the readings differ, in order, each with its class."""
    found, written_tokens = spans(written), tokens(written)
    words, owners = tagged_words(written_tokens)
    nemo_words, ours_words = canonical_words(nemo), canonical_words(ours)
    nemo_map = token_map(words, owners, nemo_words)
    ours_map = token_map(words, owners, ours_words)
    indexes: set[int] = set()
    for region in differing_regions(nemo_words, ours_words):
        indexes |= region_tokens(region, nemo_map, ours_map, len(nemo_words), len(ours_words))
    chosen = [written_tokens[index] for index in sorted(indexes)]
    return [(token.group(), class_at(found, token.start(), token.end())) for token in chosen]


def disagreement_class(differing: list[tuple[str, str]]) -> str:
    """One class for a disagreement: its first token that is more than a plain word."""
    kinds = [kind for _, kind in differing if kind != "word"]
    return kinds[0] if kinds else "word"


def nemo_abstains(written: str, nemo: str, ours: str) -> bool:
    """Whether NeMo left every differing stretch as written ("XVI", "St.", "529 091") where we
    read it: there NeMo is no reference, and only an ear can say who is right."""
    said, left = canonical_words(nemo), set(canonical_words(written))
    regions = differing_regions(said, canonical_words(ours))
    return bool(regions) and all(set(said[n1:n2]) <= left and o2 > o1 for n1, n2, o1, o2 in regions)
