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
SPOKEN_DIGIT_WORDS = ("oh", *DIGIT_WORDS[1:])

# Digits only, so that non-ASCII digits (which `\d` matches) are left alone. Atomic groups: a
# number is read whole or not at all, and a pattern that fails after it does not retry with
# fewer digits (which made the unit rule, with its 90 units, most of the normaliser's time).
INT = r"(?>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)"  # 12 | 85,000 | 1,000,000
NUMBER = r"(?>" + INT + r"(?:\.[0-9]+)?)"  # 3.5 | 1.1 | 1,000.25
SIGNED = r"(?:(?<![\w)])[-−+](?=[0-9]))?" + NUMBER  # -5 | +2.5, but not the "-" of "5-10"
# A number's first digit: not inside a word, a decimal or a list "1,2"; after leader dots
# ("Contents......17") it is a number. (The lookahead first lets the regex engine skip, at
# once, every position that cannot start a number.)
START = r"(?=[-−+0-9'’])(?<![\w,])(?<!(?<!\.)\.)"
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


# The start of a word the number and symbol rules write ("minus", "twenty", "number"): a rule
# that looks at the word after a mark must not take one for written text on a second pass.
READ_WORD = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thir|fif|twen|"
    r"for|hundred|thousand|[a-z]*illion|first|second|half|quarter|point|minus|plus|about|"
    r"number|hashtag|at|noon|midnight|an?\b|and\b)"
)


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


def paired_words(written: str) -> str:
    """A number that names something (a model, an index, a house, a law's section), read in
    pairs of digits as a newsreader does: "737" -> "seven thirty-seven", "1080" -> "ten
    eighty", "1600" -> "sixteen hundred", "2231" -> "twenty-two thirty-one", "401" -> "four
    oh-one". A year in the years' range is read as a year ("Euro 2004")."""
    digits = written.replace(",", "")
    if len(digits) not in (3, 4) or digits.startswith("0") or is_year(digits):
        return plain_number(digits)
    if len(digits) == 3:
        return year_words(digits)
    high, low = digits[:2], digits[2:]
    if low == "00":
        return cardinal(digits) if high.endswith("0") else f"{cardinal(high)} hundred"
    return f"{cardinal(high)} {'oh-' + cardinal(low[1]) if low.startswith('0') else cardinal(low)}"


def spoken_digits(digits: str) -> str:
    """Digit by digit with "oh" for 0, as a phone number or a ZIP code is said: "02138" ->
    "oh two one three eight"."""
    return " ".join(SPOKEN_DIGIT_WORDS[int(d)] for d in digits if d.isdigit())


# An amount describes the noun after it ("a $5 billion loan", "its 100 MW plant": singular
# unit) when a determiner stands before it and a noun after it. The words after that are not
# nouns: the amount is then the thing itself ("the $5 billion in aid", "the $5 billion was").
DETERMINERS = frozenset(
    "a an the its his her their our my your this that these those whose each every another "
    "any no A An The Its His Her Their Our This That Each Every Another".split()
)
# Those that may stand one adjective away: "a new", "its annual" (not "that raised").
ARTICLES = frozenset(
    "a an the its his her their our my your A An The Its His Her Their Our".split()
)
NOT_NOUNS = frozenset(
    "a an the in of to for from on at by with into onto over under about after before as than "
    "and or but nor so yet if that which who whom whose what when where while this these those "
    "is are was were be been being has have had do does did will would shall should can could "
    "may might must it its he she they we you i his her their our my your them him us me "
    "more less most least each apiece per ago last next every annually yearly a-year a-month "
    "up down off out back away too also already still just only even then now here there "
    "not never today tonight tomorrow yesterday being going coming getting worth people".split()
)
_POSSESSIVE = re.compile(r"[A-Za-z][\w-]*['’]s")
_NEXT_WORD = re.compile(r" ([A-Za-z][A-Za-z-]*)\b")  # "a $1,000 Meta Quest Pro" too


def describes_a_noun(match: re.Match) -> bool:
    """ "a $1.2 billion budget", "Apple's $3 trillion valuation", "the new 5 km route", "the
    $1,000 Meta Quest Pro": the amount is an adjective, and its unit singular ("dollar",
    "kilometer")."""
    before = match.string[max(0, match.start() - 40) : match.start()]
    if not before.endswith(" ") or not determined(before.split()[-2:]):
        return False
    after = _NEXT_WORD.match(match.string, match.end())
    if after is None:
        return False
    word = after.group(1)
    if len(word) > 1 and word.isupper():
        return True  # an acronym ("a $5 billion US aid package"), not the pronoun "us"
    word = word.lower()
    return word not in NOT_NOUNS and not word.endswith("ly") and not is_verb_ed(word)


def determined(words: list[str]) -> bool:
    """A determiner last, or a determiner and one lowercase word ("its new", "a record")."""
    if words and is_determiner(words[-1]):
        return True
    first, gap = words if len(words) == 2 else ("", "")
    return is_determiner(first, ARTICLES) and gap.isalpha() and gap.islower()


def is_determiner(word: str, determiners: frozenset[str] = DETERMINERS) -> bool:
    return word in determiners or _POSSESSIVE.fullmatch(word) is not None


def is_verb_ed(word: str) -> bool:
    """ "pledged", "raised": a past participle after an amount ("the $5 billion pledged");
    "seed", "speed" are nouns."""
    return word.endswith("ed") and not word.endswith("eed")


def year_words(written: str) -> str:
    """ "2024" -> "twenty twenty-four", "1905" -> "nineteen oh-five"."""
    return without_commas(num2words(int(written), to="year"))


def is_year(written: str) -> bool:
    return len(written) == 4 and written.isdigit() and 1100 <= int(written) <= 2099


def plain_number(written: str) -> str:
    """A number with nothing around it to say what it is: a year if it looks like one."""
    return year_words(written) if is_year(written) else number_words(written)


def is_identifier(written: str) -> bool:
    """ "1681512", "26148": six digits and more with no thousands separator, or five that are
    not round, is a number that names (a bug, an ISBN, a part): news writes a quantity
    "1,681,512" or "1.7 million". "12000" or "20500" may be a careless quantity."""
    digits = len(written)
    return written.isdigit() and (digits >= 6 or (digits == 5 and not written.endswith("00")))


def fraction_words(numerator: int, denominator: int) -> str:
    """(3, 4) -> "three quarters", (1, 2) -> "one half", (5, 8) -> "five eighths"."""
    one, many = _DENOMINATORS.get(denominator) or (
        num2words(denominator, to="ordinal"),
        num2words(denominator, to="ordinal") + "s",
    )
    return f"{num2words(numerator)} {one if numerator == 1 else many}"


def plural(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties", "six" -> "sixes"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + "es" if words.endswith("x") else words + "s"


_WORD_START = re.compile(r"(?<![\w'])(?!and\b|the\b)[a-z]")


def capitalised(words: str) -> str:
    """ "fifty-seven" -> "Fifty-Seven": a number that is part of a name ("Super Bowl")."""
    return _WORD_START.sub(lambda match: match.group(0).upper(), words)
