"""Written news English to what a newsreader says: one sentence (or line) at a time.

The work is a table of rules, applied in order: each is a compiled pattern and a small function
that turns one match into spoken words. To teach the normaliser something new, add a rule.

Two properties hold for every input and are what the tests check:
- it never raises, and never drops a word that has letters;
- it is idempotent: every rule turns digits and symbols into words, and no rule matches words,
  so a second pass finds nothing left to do.

What the voice hears matters more than how the text looks: the forms below were checked with
Piper's espeak phonemizer. In particular a period after an abbreviation followed by a capital
("U.S. President", "Dr. Smith", "Dec. 25") makes espeak end the sentence there, with a pause and
a falling tone, so those periods are written out of the spoken text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from num2words import num2words as _num2words

# --- number words -------------------------------------------------------------------------------

# Beyond a quintillion num2words answers with words nobody says ("ten duotrigintillion"):
# such a run of digits, like one with a leading zero ("007"), is read digit by digit.
_MAX_CARDINAL_DIGITS = 18
_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Digits only, so that non-ASCII digits (which `\d` matches) are left alone.
_INT = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)"  # 12 | 85,000 | 1,000,000
_NUMBER = _INT + r"(?:\.[0-9]+)?"  # 3.5 | 1.1 | 1,000.25
_START = r"(?<![\w.,])"  # a number's first digit: not inside a word, a decimal or a list "1,2"
_END = r"(?![\w]|[.,][0-9])"  # and its last one


@lru_cache(maxsize=4096)
def num2words(number: int, to: str = "cardinal") -> str:
    # num2words is most of the normaliser's time, and news repeats its numbers (days, years).
    return _num2words(number, to=to)


def without_commas(num2words_output: str) -> str:
    # num2words writes "one thousand, two hundred": a comma the voice would pause at.
    return num2words_output.replace(",", "")


def digit_by_digit(digits: str) -> str:
    return " ".join(_DIGIT_WORDS[int(d)] for d in digits if d.isdigit())


def cardinal(written: str) -> str:
    """ "85,000" -> "eighty-five thousand"."""
    digits = written.replace(",", "")
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > _MAX_CARDINAL_DIGITS:
        return digit_by_digit(digits)
    return without_commas(num2words(int(digits)))


def number_words(written: str) -> str:
    """ "3.14" -> "three point one four": the decimals are read digit by digit."""
    whole, _, decimals = written.partition(".")
    words = cardinal(whole) if whole else ""
    if decimals:
        words = f"{words} point {digit_by_digit(decimals)}".strip()
    return words


def ordinal_words(written: str) -> str:
    digits = written.replace(",", "")
    if len(digits) > _MAX_CARDINAL_DIGITS:
        return digit_by_digit(digits)
    return without_commas(num2words(int(digits), to="ordinal"))


def year_words(written: str) -> str:
    """ "2024" -> "twenty twenty-four", "1905" -> "nineteen oh-five"."""
    return without_commas(num2words(int(written), to="year"))


def is_year(written: str) -> bool:
    return len(written) == 4 and written.isdigit() and 1100 <= int(written) <= 2099


def plural(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties"."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


# --- rule helpers -------------------------------------------------------------------------------

_CLOSERS = re.compile(r"[\s\"'”’)\]]*")


def ends_text(match: re.Match) -> bool:
    """True when only closing quotes or brackets follow: the match's period ends the sentence."""
    return _CLOSERS.fullmatch(match.string, match.end()) is not None


def keep_final_period(match: re.Match) -> str:
    """The sentence's own period, when an abbreviation that ended with one is rewritten."""
    return "." if match.group(0).endswith(".") and ends_text(match) else ""


# --- the rules ----------------------------------------------------------------------------------

MONTHS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Sept": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
_FULL_MONTHS = sorted(set(MONTHS.values()) | {"May"})
_MONTH = "|".join(_FULL_MONTHS + sorted(MONTHS, key=len, reverse=True))

# Abbreviations that stand before a name: espeak would end the sentence at their period.
TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Maj": "Major",
    "Capt": "Captain",
    "Sgt": "Sergeant",
    "Adm": "Admiral",
    "Sen": "Senator",
    "Rep": "Representative",
    "Gov": "Governor",
    "Pres": "President",
    "Rev": "Reverend",
    "St": "Saint",
    "Mt": "Mount",
    "Ft": "Fort",
}
SUFFIXES = {"Jr": "Junior", "Sr": "Senior"}  # espeak spells "Jr." out as letters

# Dotted initialisms written so that espeak says the letters ("US" is "you ess", not "us").
INITIALISMS = {
    "U.S.": "US",
    "U.S.A.": "USA",
    "U.K.": "UK",
    "U.N.": "UN",
    "E.U.": "EU",
    "D.C.": "DC",
}

# symbol: (one, many, one hundredth, hundredths)
CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
}
SCALES = {"k": "thousand", "m": "million", "bn": "billion", "tn": "trillion"}

_AM_PM = r"(?:[ap]\.m\.|[AP]\.M\.|[ap]m\b|[AP]M\b)"


def ampersand(match: re.Match) -> str:
    return " and "


def title(match: re.Match) -> str:
    return TITLES[match["title"]]


def suffix(match: re.Match) -> str:
    return SUFFIXES[match["suffix"]] + keep_final_period(match)


def number_sign(match: re.Match) -> str:
    return "number"


def versus(match: re.Match) -> str:
    return "versus"


def date(match: re.Match) -> str:
    """ "Dec. 25, 2022" -> "December twenty-fifth, twenty twenty-two"."""
    day, last_day = int(match["day"]), int(match["last_day"] or 1)
    if not (1 <= day <= 31 and 1 <= last_day <= 31):
        return match.group(0)
    words = f"{month_name(match['month'])} {num2words(day, to='ordinal')}"
    if match["last_day"]:
        words += f" to {num2words(last_day, to='ordinal')}"
    if match["year"]:
        words += f"{match['year_sep']}{year_words(match['year'])}"
    return words


def month_name(written: str) -> str:
    return MONTHS.get(written, written)


def month_before_year(match: re.Match) -> str:
    """ "Dec. 2022": the year itself is read by the number rule."""
    return month_name(match["month"])


def money(match: re.Match) -> str:
    """ "$200 billion" -> "two hundred billion dollars", "$3.50" -> "three dollars and fifty
    cents"."""
    one, many, hundredth, hundredths = CURRENCIES[match["currency"]]
    amount = match["amount"]
    scale = match["scale"] or SCALES.get(match["abbr"] or "")
    if scale:
        return f"{number_words(amount)} {scale} {many}"
    whole, _, decimals = amount.partition(".")
    if len(decimals) > 2:
        return f"{number_words(amount)} {many}"
    units = int(whole.replace(",", ""))
    cents = int(decimals.ljust(2, "0")) if decimals else 0
    main = f"{cardinal(whole)} {one if units == 1 else many}"
    if not cents:
        return main
    change = f"{cardinal(str(cents))} {hundredth if cents == 1 else hundredths}"
    return change if units == 0 else f"{main} and {change}"


def percent(match: re.Match) -> str:
    return f"{number_words(match['amount'])} percent"


def clock_time(match: re.Match) -> str:
    """ "8:54 PM" -> "eight fifty-four PM", "8:05" -> "eight oh five", "8:00" -> "eight
    o'clock"."""
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 24:
        return match.group(0)
    words = num2words(hour)
    if minute == 0:
        if not match["am_pm"]:
            words += " o'clock" if hour <= 12 else " hundred"
    elif minute < 10:
        words += f" oh {num2words(minute)}"
    else:
        words += f" {num2words(minute)}"
    return words + am_pm(match)


def hour_with_am_pm(match: re.Match) -> str:
    """ "8 p.m." -> "eight PM"."""
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return match.group(0)
    return num2words(hour) + am_pm(match)


def am_pm(match: re.Match) -> str:
    """ "p.m." and "pm" are spoken as the letters, written as espeak reads them: "PM"."""
    written = match["am_pm"]
    if not written:
        return ""
    return " " + written.replace(".", "").upper() + keep_final_period(match)


def initialism(match: re.Match) -> str:
    """ "U.S." -> "US"; others keep their dots but the last (espeak still spells them out)."""
    written = match.group(0)
    spoken = INITIALISMS.get(written, written[:-1])
    return spoken + keep_final_period(match)


def initial(match: re.Match) -> str:
    """ "George W. Bush" -> "George W Bush"."""
    return match["letter"]


def ordinal(match: re.Match) -> str:
    return ordinal_words(match["number"])


def decade(match: re.Match) -> str:
    """ "1990s" -> "nineteen nineties", "the '80s" -> "the eighties"."""
    written = match["decade"]
    return plural(year_words(written) if len(written) == 4 else num2words(int(written)))


def minus(match: re.Match) -> str:
    return "minus "


def number_range(match: re.Match) -> str:
    """ "2022-23" -> "twenty twenty-two to twenty-three", "5-10" -> "five to ten"."""
    return f"{plain_number(match['first'])} to {plain_number(match['last'])}"


def number(match: re.Match) -> str:
    """ "85,000" -> "eighty-five thousand"; a lone year "2024" -> "twenty twenty-four"."""
    return plain_number(match.group(0))


def plain_number(written: str) -> str:
    return year_words(written) if is_year(written) else number_words(written)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    replace: Callable[[re.Match], str]


def rule(pattern: str, replace: Callable[[re.Match], str]) -> Rule:
    return Rule(re.compile(pattern), replace)


# Order matters: the specific readings (dates, money, times...) take their digits before the
# generic number rules at the end see them.
RULES: tuple[Rule, ...] = (
    rule(r"\s*&\s*", ampersand),
    rule(r"\b(?P<title>" + "|".join(TITLES) + r")\.(?=\s+[A-Z])", title),
    rule(r"\b(?P<suffix>" + "|".join(SUFFIXES) + r")\.", suffix),
    rule(r"\b[Nn]o\.(?=\s?[0-9])", number_sign),
    rule(r"\bvs\.|\bv\.(?=\s+[A-Z])", versus),
    rule(
        r"\b(?P<month>" + _MONTH + r")\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
        r"(?:[-–](?P<last_day>[0-9]{1,2})(?:st|nd|rd|th)?)?(?![\w])"
        r"(?:(?P<year_sep>,?\s+)(?P<year>[0-9]{4})(?![\w]|[.,][0-9]))?",
        date,
    ),
    rule(r"\b(?P<month>" + "|".join(MONTHS) + r")\.(?=\s+[0-9]{4}\b)", month_before_year),
    rule(r"(?<![\w)])[-−](?=[0-9])", minus),
    rule(
        r"(?P<currency>[$£€])\s?(?P<amount>" + _NUMBER + r")"
        r"(?:\s?(?P<scale>thousand|million|billion|trillion)\b|(?P<abbr>k|m|bn|tn)\b)?"
        r"(?![\w]|[.,][0-9])",
        money,
    ),
    rule(_START + r"(?P<amount>" + _NUMBER + r")\s?%", percent),
    rule(
        r"(?<![\w.:])(?P<hour>[0-9]{1,2}):(?P<minute>[0-5][0-9])(?![0-9]|:[0-9])"
        r"(?:\s?(?P<am_pm>" + _AM_PM + r"))?",
        clock_time,
    ),
    rule(_START + r"(?P<hour>[0-9]{1,2})\s?(?P<am_pm>" + _AM_PM + ")", hour_with_am_pm),
    rule(r"(?<![\w.])(?:[A-Z]\.){2,}(?![A-Za-z.])", initialism),
    rule(r"(?<![\w.])(?P<letter>[A-Z])\.(?=\s+[A-Z])", initial),
    rule(_START + r"(?P<number>" + _INT + r")(?:st|nd|rd|th)\b", ordinal),
    rule(_START + r"['’]?(?P<decade>1[1-9][0-9]0|20[0-9]0|[1-9]0)s\b", decade),
    rule(
        r"(?<![\w.,\-–])(?P<first>" + _NUMBER + r")\s?[-–]\s?(?P<last>" + _NUMBER + r")"
        r"(?![\w]|[-–.,][0-9])",
        number_range,
    ),
    rule(_START + _NUMBER + _END, number),
)


def apply(step: Rule, text: str) -> str:
    return step.pattern.sub(lambda match: safely(step.replace, match), text)


def safely(replace: Callable[[re.Match], str], match: re.Match) -> str:
    # A rule that fails on some odd input leaves that text as written: one unread number is
    # better than a batch that dies on it.
    try:
        return replace(match)
    except Exception:
        return match.group(0)


def normalize(text: str, language: str = "en") -> str:
    """Written -> spoken, for one sentence or line: "$200 billion" -> "two hundred billion
    dollars". Languages other than English are only whitespace-normalised for now."""
    # Whitespace first: rules match single spaces, and a second pass must see what the first saw.
    text = " ".join(text.split())
    if (language or "en").lower().startswith("en"):
        for step in RULES:
            text = apply(step, text)
    return " ".join(text.split())
