"""Roman numerals in names and wars: "Henry VIII" -> "Henry the Eighth", "World War II" ->
"World War Two", "Super Bowl LVII" -> "Super Bowl Fifty-Seven", "Atlas II" -> "Atlas Two".

A run of capitals is a numeral only where a name makes it one, so the pronoun "I", "MIX",
"CIVIL" or "DIV" are left alone:
- after a word that counts things (War, Bowl, Part, Phase...) it is a number: "Two";
- after a monarch's or a pope's name (the names listed below), or a name that a royal title
  or a given name stands before ("King Tupou VI", "Henry Ford II"), it is the ordinal, "the
  Second";
- after any other capitalised name, a rocket, a product, a sequel ("Atlas II", "Rocky IV",
  "Final Fantasy VII"), it is a number, "Two"; both when it has at least two letters and is at
  most 39 (no monarch has had more, and "XL", "LX" are sizes and models);
- "I", "V" and "X" alone are words or letters too ("Malcolm X", "Vitamin C"-like uses): they
  are read only after the regnal names listed below, and "I" only where no verb follows it.
"""

from __future__ import annotations

import re

from audiogen.normalize.numbers import capitalised, num2words
from audiogen.normalize.rules import Rule, rule

# Words after which a numeral is a plain number.
COUNTING_WORDS = set(
    "War Bowl Part Parts Phase Chapter Title Article Section Act Volume Book Episode Stage "
    "Class Category Type Mark Level Grade Vatican Apollo Gemini Division Schedule Tier".split()
)
# Names that kings, queens and popes share: only after them is "I", "V" or "X" a numeral.
REGNAL_NAMES = set(
    "Elizabeth Charles Henry James George Edward William Mary Richard John Paul Peter Catherine "
    "Nicholas Alexander Napoleon Wilhelm Frederick Philip Felipe Louis Ludwig Victor Leo Pius "
    "Benedict Francis Gregory Innocent Clement Urban Boniface Juan Carlos Harald Carl Gustaf "
    "Willem Albert Baudouin Constantine Otto Franz Joseph Ivan Abdullah Hussein Umberto "
    "Stephen Matthias Rudolf Sigismund Sancho Alfonso Ferdinand Isabella Anne Victoria "
    "Mohammed Muhammad Hassan Rama Selim Mehmed Murad Mahmud Suleiman Haakon Olav Christian "
    "Gustav Margrethe Leopold Philippe Ramesses Ramses Amenhotep Thutmose Ptolemy Cyrus Darius "
    "Xerxes Antiochus Herod Casimir Vladimir Yaroslav Dmitry Fyodor Vasily Nicholas Tupou "
    "Alexios Manuel Michael Romanos Basil Leo Sixtus Julius Adrian Eugene Martin Celestine".split()
)
MAX_REGNAL = 39
MAX_COUNTED = 100

_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# A well-formed numeral only: "IIII" or "VX" are not numbers, and "CIVIL" not a numeral.
_NUMERAL = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# "I" is the pronoun when a verb or other lowercase word follows: "when Elizabeth I was".
_I_ENDS_NAME = re.compile(r"\s*(?:$|[,.;:!?)\]—–]|of\b|and\b|['’]s\b)")
# ...unless a title says the name is a monarch's: "Queen Elizabeth I ruled England".
_ROYAL_TITLE = re.compile(r"\b(?:King|Queen|Pope|Emperor|Empress|Tsar|Czar|Kaiser|Sultan) $")
# A title one or two names before: "King Tupou VI", "Pope John Paul II".
_TITLE_BEFORE = re.compile(
    r"\b(?:King|Queen|Pope|Emperor|Empress|Tsar|Czar|Kaiser|Sultan|Prince|Princess|Emir|Shah|"
    r"Pharaoh|Duke|Grand Duke)(?: [A-Z][\w'’-]*)? $"
)
# A given name before the name: "Henry Ford II", "John D. Rockefeller III".
_GIVEN_NAME_BEFORE = re.compile(r"\b(?P<given>[A-Z][a-z]+)(?: [A-Z]\.?)? $")


def value(numeral: str) -> int:
    total = 0
    for letter, following in zip(numeral, numeral[1:] + " ", strict=True):
        worth = _VALUES[letter]
        total += -worth if following != " " and _VALUES[following] > worth else worth
    return total


def is_numeral_here(name: str, numeral: str, match: re.Match) -> bool:
    number = value(numeral)
    if name in COUNTING_WORDS:
        return 1 <= number <= MAX_COUNTED and (numeral != "I" or is_regnal_i(match))
    if len(numeral) == 1:  # "L", "C", "D", "M" alone are initials: "John D. Rockefeller"
        return numeral in "IVX" and name in REGNAL_NAMES and (numeral != "I" or is_regnal_i(match))
    return number <= MAX_REGNAL


def is_regnal(name: str, match: re.Match) -> bool:
    """ "Henry VIII", "King Tupou VI", "Henry Ford II": a monarch's, a pope's or a person's
    number, said as an ordinal."""
    if name in REGNAL_NAMES:
        return True
    before = match.string[max(0, match.start() - 30) : match.start()]
    if _TITLE_BEFORE.search(before):
        return True
    given = _GIVEN_NAME_BEFORE.search(before)
    return given is not None and given["given"] in REGNAL_NAMES


def is_regnal_i(match: re.Match) -> bool:
    """ "Elizabeth I." or "Queen Elizabeth I ruled": a numeral; "when Elizabeth I was": no."""
    if _I_ENDS_NAME.match(match.string, match.end()):
        return True
    before = match.string[max(0, match.start() - 9) : match.start()]
    return _ROYAL_TITLE.search(before) is not None


def named_numeral(match: re.Match) -> str:
    """ "Henry VIII" -> "Henry the Eighth", "World War II" -> "World War Two"."""
    name, numeral = match["name"], match["numeral"]
    if not is_numeral_here(name, numeral, match):
        return match.group(0)
    number = value(numeral)
    if name in COUNTING_WORDS or not is_regnal(name, match):
        words = capitalised(num2words(number))
    else:
        words = "the " + capitalised(num2words(number, to="ordinal"))
    return f"{name} {words}{match['possessive'] or ''}"


WORLD_WARS = {"I": "One", "1": "One", "II": "Two", "2": "Two"}


def world_war(match: re.Match) -> str:
    """ "WWII" -> "World War Two"; "World War I" even before a verb ("World War I was")."""
    return f"World War {WORLD_WARS[match['number']]}"


RULES: tuple[Rule, ...] = (
    rule(r"\b(?:WW ?|World War )(?P<number>II|I|1|2)\b", world_war, needs="W"),
    rule(
        r"(?=[A-Z])\b(?P<name>[A-Z][a-z]+) (?P<numeral>"
        + _NUMERAL
        + r")(?P<possessive>['’]s)?(?![\w'’]|\.\w)",
        named_numeral,
        needs="IVXLCDM",
    ),
)
