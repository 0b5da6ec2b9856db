"""Numbers as words: the vocabulary every rule that reads a number shares.

num2words does the spelling; this module decides which reading a written number gets (cardinal,
decimal, ordinal, year, fraction, digit by digit) and keeps the commas num2words writes out of
the spoken text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words as _num2words

# Beyond a quintillion num2words answers with words nobody says ("ten duotrigintillion"):
# such a run of digits, like one with a leading zero ("007"), is read digit by digit.
_MAX_CARDINAL_DIGITS = 18
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Digits only, so that non-ASCII digits (which `\d` matches) are left alone. Atomic groups: a
# number is read whole or not at all, and a pattern that fails after it does not retry with
# fewer digits (which made the unit rule, with its 90 units, most of the normaliser's time).
INT = r"(?>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)"  # 12 | 85,000 | 1,000,000
NUMBER = r"(?>" + INT + r"(?:\.[0-9]+)?)"  # 3.5 | 1.1 | 1,000.25
SIGNED = r"(?:(?<![\w)])[-−+](?=[0-9]))?" + NUMBER  # -5 | +2.5, but not the "-" of "5-10"
# A number's first digit: not inside a word, a decimal or a list "1,2". (The lookahead first
# lets the regex engine skip, at once, every position that cannot start a number.)
START = r"(?=[-−+0-9'’])(?<![\w.,])"
END = r"(?![\w]|[.,][0-9])"  # and its last one

SIGN_WORDS = {"-": "minus", "−": "minus", "+": "plus"}

# Denominators with a name of their own; the others are ordinals ("five eighths").
_DENOMINATORS = {2: ("half", "halves"), 4: ("quarter", "quarters")}


@lru_cache(maxsize=4096)
def num2words(number: int, to: str = "cardinal") -> str:
    # num2words is most of the normaliser's time, and news repeats its numbers (days, years).
    return _num2words(number, to=to)


def without_commas(num2words_output: str) -> str:
    # num2words writes "one thousand, two hundred": a comma the voice would pause at.
    return num2words_output.replace(",", "")


def digit_by_digit(digits: str) -> str:
    return " ".join(DIGIT_WORDS[int(d)] for d in digits if d.isdigit())


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


def signed_number_words(written: str) -> str:
    """ "-5" -> "minus five", "+2.5" -> "plus two point five"."""
    sign = SIGN_WORDS.get(written[:1])
    return f"{sign} {number_words(written[1:])}" if sign else number_words(written)


def is_one(written: str) -> bool:
    """Whether a unit after this amount is singular: "1 km", not "1.5 km" or "-1 km"."""
    return written.lstrip("+") == "1"


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


def plain_number(written: str) -> str:
    """A number with nothing around it to say what it is: a year if it looks like one."""
    return year_words(written) if is_year(written) else number_words(written)


def fraction_words(numerator: int, denominator: int) -> str:
    """(3, 4) -> "three quarters", (1, 2) -> "one half", (5, 8) -> "five eighths"."""
    one, many = _DENOMINATORS.get(denominator) or (
        num2words(denominator, to="ordinal"),
        num2words(denominator, to="ordinal") + "s",
    )
    return f"{num2words(numerator)} {one if numerator == 1 else many}"


def plural(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties"."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


_WORD_START = re.compile(r"(?<![\w'])(?!and\b|the\b)[a-z]")


def capitalised(words: str) -> str:
    """ "fifty-seven" -> "Fifty-Seven": a number that is part of a name ("Super Bowl")."""
    return _WORD_START.sub(lambda match: match.group(0).upper(), words)
