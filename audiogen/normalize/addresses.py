"""Street addresses: house numbers, compass points and ZIP codes, as a newsreader reads them.

    "1600 Pennsylvania Ave. NW"  -> "sixteen hundred Pennsylvania Avenue Northwest"
    "123 N. Main St."            -> "one twenty-three North Main Street"
    "the 2400 block of Elm St."  -> "the twenty-four hundred block of Elm Street"
    "Austin, Texas 78701"        -> "Austin, Texas seven eight seven oh one"

A house number is read in pairs of digits, like a model number; it is one when a street
follows it (a capitalised name, or "5th", and a street type: "St.", "Avenue", "Road"...). A
compass letter is a point of the compass before a street name, or after the street's type (a
Washington quadrant, "NW"). A ZIP code is read digit by digit after a state or the words "ZIP
code". The street types themselves are written out by the abbreviation rules ("St." after a
name is "Street"), which run between EARLY and RULES: EARLY sees the written "N. Main St."
before the initial rule makes "N." an initial, RULES sees "Texas 78701" after the state rule
has read "TX".
"""

from __future__ import annotations

import re

from audiogen.normalize.abbreviations import (
    AFTER_A_NAME,
    POSTAL_STATES,
    STATES,
    STREET_TYPES,
)
from audiogen.normalize.numbers import paired_words, spoken_digits
from audiogen.normalize.rules import DIGITS, Rule, alternation, rule

COMPASS = {
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
    "NE": "Northeast",
    "NW": "Northwest",
    "SE": "Southeast",
    "SW": "Southwest",
}
QUADRANTS = ("NE", "NW", "SE", "SW")
STREET_WORDS = (
    "Street Avenue Road Boulevard Lane Drive Way Place Court Terrace Parkway Highway Square Circle"
).split()

_TYPES = alternation([*STREET_TYPES, *AFTER_A_NAME, *STREET_WORDS])
_COMPASS = r"(?:" + alternation(COMPASS) + r")"
_TYPE_WORD = r"\b(?:" + _TYPES + r")\b"  # the guard: a street's type somewhere
# The street after a house number or a compass point: one to three names, then its type.
_STREET = r"(?:[A-Z][\w'’-]*\.? |[0-9]+(?:st|nd|rd|th) ){1,3}(?:" + _TYPES + r")\b"
_STATE_NAMES = alternation({*STATES.values(), *POSTAL_STATES.values()})


def house_number(match: re.Match) -> str:
    """ "1600 Pennsylvania Ave." -> "sixteen hundred Pennsylvania Ave."; "221B" -> "two
    twenty-one B"; "123 N. Main" -> "one twenty-three North Main"."""
    words = [paired_words(match["number"])]
    if match["letter"]:
        words.append(match["letter"])
    if match["compass"]:
        words.append(COMPASS[match["compass"]])
    return " ".join(words) + " "


def block_number(match: re.Match) -> str:
    """ "the 2400 block" -> "the twenty-four hundred block"."""
    return paired_words(match["number"]) + " block"


def compass_point(match: re.Match) -> str:
    """ "on N. Main St." -> "on North Main St."."""
    return COMPASS[match["compass"]] + " "


def quadrant(match: re.Match) -> str:
    """ "Pennsylvania Avenue NW" -> "Pennsylvania Avenue Northwest"."""
    return f"{match['street']}{match['comma'] or ''} {COMPASS[match['quadrant']]}"


def zip_code(match: re.Match) -> str:
    """ "Texas 78701" -> "Texas seven eight seven oh one"; "20500-0003" -> "... oh oh oh
    three"."""
    digits = spoken_digits(match["zip"])
    if match["plus_four"]:
        digits += ", " + spoken_digits(match["plus_four"])
    return f"{match['before']} {digits}"


EARLY: tuple[Rule, ...] = (
    rule(
        r"(?=[0-9])(?<![\w.,$£€#/-])(?<!No\. )(?<!no\. )(?P<number>[1-9][0-9]{0,4})"
        r"(?P<letter>[A-Z])? (?:(?P<compass>" + _COMPASS + r")\.? )?(?=" + _STREET + r")",
        house_number,
        guard=_TYPE_WORD,
        needs=DIGITS,
    ),
    rule(
        r"(?=[0-9])(?<![\w.,$£€#/-])(?P<number>[1-9][0-9]{2,4}) block\b",
        block_number,
        guard=r" block\b",
        needs=DIGITS,
    ),
    rule(
        r"(?=[NSEW])(?<![\w.])(?P<compass>" + _COMPASS + r")\.? (?=" + _STREET + r")",
        compass_point,
        guard=_TYPE_WORD,
        needs="NSEW",
    ),
)
RULES: tuple[Rule, ...] = (
    rule(
        r"(?=[A-Z])\b(?P<street>" + alternation(STREET_WORDS) + r")(?P<comma>,)? "
        r"(?P<quadrant>" + alternation(QUADRANTS) + r")\b",
        quadrant,
        guard=r" (?:NE|NW|SE|SW)\b",
        needs="NS",
    ),
    rule(
        r"(?=[A-Za-z])\b(?P<before>(?:" + _STATE_NAMES + r"|DC)|(?:ZIP|[Zz]ip)(?: code)?(?: is|:)?)"
        r" (?P<zip>[0-9]{5})(?:-(?P<plus_four>[0-9]{4}))?(?![\w-])",
        zip_code,
        guard=r"[0-9]{5}",
        needs=DIGITS,
    ),
)
