"""Numbers with no unit around them: ordinals, decades, fractions, ranges, years and plain
cardinals. These rules come last among the number rules, so that dates, money, measures and
times have taken their digits first."""

from __future__ import annotations

import re

from audiogen.normalize.dates import MONTH_NAMES, MONTHS
from audiogen.normalize.numbers import (
    END,
    INT,
    NUMBER,
    SIGN_WORDS,
    START,
    cardinal,
    digit_by_digit,
    fraction_words,
    is_identifier,
    num2words,
    ordinal_words,
    plain_number,
    plural,
    year_words,
)
from audiogen.normalize.rules import DIGITS, Rule, first, initials, needing, rule

VULGAR_FRACTIONS = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅖": (2, 5),
    "⅗": (3, 5),
    "⅘": (4, 5),
    "⅙": (1, 6),
    "⅚": (5, 6),
    "⅛": (1, 8),
    "⅜": (3, 8),
    "⅝": (5, 8),
    "⅞": (7, 8),
}
# "3/4" is a fraction only with a small denominator; "12/25" or "7/10" are left to the rules
# after (a date without a year, a score): "twelve slash twenty-five" is at least not wrong.
MAX_DENOMINATOR = 16
# After these words a year below 1100 is still a year: "in 1066".
YEAR_CUES = "in In since Since until Until by year from before after circa"
# "911" is the emergency number after these words.
EMERGENCY_CUES = "call called calls calling dial dialed dialled dialing dialling Call Dial"


_BETWEEN = re.compile(r"\b[Bb]etween $")
_OPERATORS = ("^", "*", "×", "+ ", "* ", "× ")
_LABEL = re.compile(r"\b(?:Table|Figure|Fig\.|Exhibit|Appendix|Listing|Equation|Eq\.) $")


def spaced_groups(match: re.Match) -> str:
    """ "40 000" (a space, or a thin space, between groups of three digits) -> "40,000", for
    the money, measure and number rules after; but not "May 5 100" or "2019 100", two numbers."""
    before = match.string[max(0, match.start() - 12) : match.start()].split()
    last = before[-1].rstrip(".,") if before else ""
    if last[-1:].isdigit() or last.title() in _MONTH_WORDS:
        return match.group(0)
    return match.group(0).replace(" ", ",")


def ordinal(match: re.Match) -> str:
    return ordinal_words(match["number"])


def decade(match: re.Match) -> str:
    """ "1990s" -> "nineteen nineties", "the '80s" -> "the eighties"."""
    return decade_words(match["decade"])


def decade_words(written: str) -> str:
    """ "1990" -> "nineteen nineties", "80" -> "eighties", "00" (the 2000s) -> "two
    thousands"."""
    if written == "00":
        return "two thousands"
    return plural(year_words(written) if len(written) == 4 else num2words(int(written)))


def decade_range(match: re.Match) -> str:
    """ "the 1970s-80s" -> "the nineteen seventies to eighties"."""
    return f"{decade_words(match['first'])} to {decade_words(match['last'])}"


def year_after_cue(match: re.Match) -> str:
    """ "in 1066" -> "in ten sixty-six"."""
    return match["cue"] + year_words(match["year"])


def emergency_number(match: re.Match) -> str:
    return match["cue"] + "nine one one"


def fraction(match: re.Match) -> str:
    """ "3/4" -> "three quarters", "2 1/2" -> "two and a half"."""
    numerator, denominator = int(match["numerator"]), int(match["denominator"])
    if not 0 < numerator < denominator <= MAX_DENOMINATOR:
        return match.group(0)
    return with_whole(match["whole"], numerator, denominator)


def vulgar_fraction(match: re.Match) -> str:
    """ "½" -> "one half", "2½" -> "two and a half"."""
    numerator, denominator = VULGAR_FRACTIONS[match["fraction"]]
    # Glued to a word or another fraction ("½mile", "x½", "U.N.2½"): a space keeps the words
    # apart.
    previous = match.string[match.start() - 1 : match.start()]
    before = " " if previous.isalnum() or previous == "." else ""
    after = " " if match.string[match.end() : match.end() + 1].isalnum() else ""
    return before + with_whole(match["whole"], numerator, denominator) + after


def with_whole(whole: str | None, numerator: int, denominator: int) -> str:
    if not whole:
        return fraction_words(numerator, denominator)
    if numerator == 1 and denominator in (2, 4):
        part = "a half" if denominator == 2 else "a quarter"
    else:
        part = fraction_words(numerator, denominator)
    return f"{cardinal(whole)} and {part}"


def year_slash_year(match: re.Match) -> str:
    """ "2022/23" (a season, a financial year) -> "twenty twenty-two to twenty-three"."""
    return f"{year_words(match['first'])} to {plain_number(match['last'])}"


def era_year(match: re.Match) -> str:
    """ "476 AD" -> "four seventy-six AD", "1,000 BC" -> "one thousand BC"."""
    written = match["year"]
    words = cardinal(written) if "," in written else year_words(written)
    return f"{words} {match['era']}"


def year_after_era(match: re.Match) -> str:
    """ "AD 803" -> "AD eight oh-three", read as "803 AD" is."""
    return f"{match['era']} {year_words(match['year'])}"


def number_range(match: re.Match) -> str:
    """ "2022-23" -> "twenty twenty-two to twenty-three", "5-10" -> "five to ten", "between
    5-10" -> "between five and ten"; a label's number is no range: "Table 6-1" -> "Table
    six-one"."""
    before = match.string[max(0, match.start() - 12) : match.start()]
    if _LABEL.search(before):
        return f"{plain_number(match['first'])}-{plain_number(match['last'])}"
    if before.endswith(_OPERATORS) and " " in match.group(0):
        # "2^15 - 1": the end of a sum, a subtraction, not a range
        return f"{cardinal(match['first'])} minus {cardinal(match['last'])}"
    joiner = "and" if _BETWEEN.search(before) else "to"
    return f"{plain_number(match['first'])} {joiner} {plain_number(match['last'])}"


def sign(match: re.Match) -> str:
    return SIGN_WORDS[match.group(0)] + " "


def leading_point(match: re.Match) -> str:
    """ ".5" -> "point five"."""
    return f"point {digit_by_digit(match['digits'])}"


def number(match: re.Match) -> str:
    """ "85,000" -> "eighty-five thousand"; a lone year "2024" -> "twenty twenty-four"; an
    identifier "1681512" digit by digit."""
    written = match.group(0)
    return digit_by_digit(written) if is_identifier(written) else plain_number(written)


def any_version(match: re.Match) -> str:
    """ "8.x", "1.2.x" (any release of a version) -> "eight point x"."""
    return " point ".join([*(cardinal(part) for part in match["version"].split(".")), "x"])


def dotted_number(match: re.Match) -> str:
    """ "4.1.6" (a section, a version) -> "four point one point six"."""
    return " point ".join(cardinal(part) for part in match.group(0).split("."))


_DECADE = r"1[1-9][0-9]0|20[0-9]0|[1-9]0"
_MONTH_WORDS = frozenset([*MONTH_NAMES, *MONTHS])
_VULGAR = "".join(VULGAR_FRACTIONS)
# "½" is a letter to `\w` and a word once read: it goes first, so that no rule sees it glued to
# a word ("½example.com") on one pass and the word alone on the next. Its whole number may
# follow an abbreviation's period ("U.N.2½"), not a decimal point ("1.2½").
VULGAR: tuple[Rule, ...] = (
    rule(
        r"(?:(?<![0-9_,])(?<![0-9]\.)(?P<whole>[0-9]+)\s?|(?<![0-9]))"
        r"(?P<fraction>[" + _VULGAR + "])",
        vulgar_fraction,
        needs=_VULGAR,
    ),
)
# Digit groups written with spaces ("40 000"; normalize() has made thin spaces plain ones):
# read before money and measures, which then see "40,000".
GROUPS: tuple[Rule, ...] = (
    rule(
        r"(?=[0-9])(?<![\w.,+-])[0-9]{1,3}(?: [0-9]{3})+(?![\w]|[.,:/-][0-9]| [0-9])",
        spaced_groups,
        guard=r"[0-9] [0-9]{3}",
        needs=DIGITS,
    ),
)
RULES: tuple[Rule, ...] = needing(
    DIGITS,
    rule(
        initials(YEAR_CUES.split())
        + r"\b(?P<cue>(?:"
        + "|".join(YEAR_CUES.split())
        + r") )(?P<year>10[0-9]{2})(?![\w,]|[.,\-–][0-9])",
        year_after_cue,
    ),
    rule(
        initials(EMERGENCY_CUES.split())
        + r"\b(?P<cue>(?:"
        + "|".join(EMERGENCY_CUES.split())
        + r") )911\b",
        emergency_number,
    ),
    rule(
        START
        + r"(?P<year>[0-9]{1,4}|[0-9]{1,3},[0-9]{3}) (?P<era>BCE?|AD|CE|B\.C|B\.C\.E|A\.D|C\.E)\b",
        era_year,
    ),
    rule(
        r"(?=[AC])\b(?P<era>AD|CE|A\.D\.) (?P<year>[1-9][0-9]{0,3})(?![\w,]|[.,][0-9])",
        year_after_era,
        guard=r"\b(?:AD|CE|A\.D\.) [0-9]",
    ),
    rule(START + r"(?P<number>" + INT + r")(?:st|nd|rd|th)\b", ordinal),
    rule(
        START + r"['’]?(?P<first>" + _DECADE + r")s\s?[-–]\s?['’]?(?P<last>" + _DECADE + r"|00)s\b",
        decade_range,
    ),
    rule(START + r"['’]?(?P<decade>" + _DECADE + r")s\b", decade),
    rule(
        r"(?=[0-9])(?<![\w.,/])(?:(?P<whole>[0-9]+) )?(?P<numerator>[0-9]{1,2})/"
        r"(?P<denominator>[0-9]{1,2})(?![\w/]|[.,][0-9])",
        fraction,
    ),
    rule(
        r"(?=[12])(?<![\w.,/])(?P<first>(?:1[1-9]|20)[0-9]{2})/(?P<last>[0-9]{2}|(?:1[1-9]|20)[0-9]{2})"
        r"(?![\w/]|[.,][0-9])",
        year_slash_year,
    ),
    rule(
        r"(?=[0-9])(?<![\w.,\-–])(?P<first>" + NUMBER + r")\s?[-–]\s?(?P<last>" + NUMBER + r")"
        r"(?![\w]|[-–.,][0-9])",
        number_range,
    ),
    rule(first("-−+") + r"(?<![\w)])[-−+](?=[0-9])", sign),
    rule(START + r"[0-9]{1,3}(?:\.[0-9]{1,3}){2,}(?![\w]|\.[0-9])", dotted_number),
    rule(START + r"(?P<version>[0-9]{1,3}(?:\.[0-9]{1,3})*)\.x(?![\w]|\.\w)", any_version),
    rule(r"(?=\.)(?<![\w.,])\.(?P<digits>[0-9]+)" + END, leading_point),
    rule(START + NUMBER + END, number),
)
