"""Dates and weekdays: "Dec. 25" -> "December twenty-fifth", "25 December 2022" -> "the
twenty-fifth of December twenty twenty-two", "12/25/2022" -> by the article's language.

A date is read in the order it is written (month first, or day first), in any case ("14 march
2019", "MARCH 3", "sept. 3"): a lower-case month is a month after its day, or when written
abbreviated with its period; "march 3" before its day and "may 5" without a year are left (a
verb can stand there). ISO dates take any of "-", "/" and "." ("2015/06/30"). Only an
all-number date needs the language to know which number is the month: en-US (and plain "en")
writes the month first, British and most other English writes the day first.
"""

from __future__ import annotations

import datetime
import re

from audiogen.normalize.numbers import num2words, year_words
from audiogen.normalize.rules import (
    DIGITS,
    Rule,
    alternation,
    first,
    initials,
    keep_final_period,
    rule,
)
from audiogen.normalize.times import spoken_time

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
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Tues": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Thur": "Thursday",
    "Thurs": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}
# Words after which a lone abbreviated month is a month: "in Dec.", "since Sept.", "mid-Jan.".
MONTH_CUES = "in In since Since until Until by early late mid last next of from to and through"
# Words after which an abbreviated weekday is a weekday: "on Tues.", "until Fri.".
WEEKDAY_CUES = "on On by until Until since from next last every through"

# English variants that write the month first in an all-number date; the others write the day
# first. Plain "en" is the US default, like the voice.
MONTH_FIRST_REGIONS = {"", "us", "ca", "ph"}

_MONTH = alternation([*MONTH_NAMES, *MONTHS])
_ANY_CASE_MONTH = "(?i:" + _MONTH + ")"
_MONTH_INITIALS = first("".join(name[0] + name[0].lower() for name in MONTH_NAMES))
_ABBREVIATED_MONTH = alternation(MONTHS)
_WEEKDAY = alternation(WEEKDAYS)
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_LAST_DAY = r"(?:[-–](?P<last_day>[0-9]{1,2})(?:st|nd|rd|th)?)?"
_YEAR_END = r"(?![\w]|[.,][0-9])"


def is_day_first(language: str) -> bool:
    """ "en-GB" -> True, "en" / "en-US" -> False."""
    _, _, region = (language or "en").lower().replace("_", "-").partition("-")
    return region not in MONTH_FIRST_REGIONS


def month_name(written: str) -> str:
    return MONTHS.get(written, written)


def spoken_month(match: re.Match, day_first_order: bool) -> str | None:
    """The month's name ("March" for "march", "MAR." or "Mar"), or None where the word is not
    a month: mixed case, "march 3" / "may 5" before their day, "dec 25" without its period."""
    written = match["month"]
    if not (written.istitle() or written.isupper() or written.islower()):
        return None
    name = written.title()
    if written.islower() and not lower_case_month(match, written, day_first_order):
        return None
    return month_name(name)


def lower_case_month(match: re.Match, written: str, day_first_order: bool) -> bool:
    """ "14 march 2019", "sept. 3", "takes effect march 28, he said": months; "they march 3
    miles", "the 5 may be": not. ("may" is a month only with its year; "march" and "sep"
    before their day only where no noun follows the day.)"""
    if written == "may":
        return match["year"] is not None
    if day_first_order or match["period"] or match["year"]:
        return True
    return _DATE_ENDS.match(match.string, match.end()) is not None


def day_words(day: int) -> str:
    return num2words(day, to="ordinal")


def short_year_words(written: str) -> str:
    """A year as written: "2022" -> "twenty twenty-two", "'22" / "22" -> "twenty-two"."""
    return year_words(written) if len(written) == 4 else num2words(int(written), to="year")


def month_first(month: str, day: int, year: str | None) -> str:
    """ "December twenty-fifth, twenty twenty-two"."""
    words = f"{month} {day_words(day)}"
    return f"{words}, {short_year_words(year)}" if year else words


def day_first(month: str, day: int, year: str | None) -> str:
    """ "the twenty-fifth of December twenty twenty-two"."""
    words = f"the {day_words(day)} of {month}"
    return f"{words} {short_year_words(year)}" if year else words


def is_day(day: int) -> bool:
    return 1 <= day <= 31


def real_date(year: str, month: int, day: int) -> bool:
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    try:
        datetime.date(full_year, month, day)
    except ValueError:
        return False
    return True


def written_month_first(match: re.Match) -> str:
    """ "Dec. 25, 2022" -> "December twenty-fifth, twenty twenty-two"; "Dec. 25-27"."""
    day, last_day = int(match["day"]), int(match["last_day"] or 1)
    month = spoken_month(match, day_first_order=False)
    if not (is_day(day) and is_day(last_day)) or month is None or after_a_day(match):
        return match.group(0)
    words = f"{month} {day_words(day)}"
    if match["last_day"]:
        words += f" to {day_words(last_day)}"
    if match["year"]:
        words += f"{match['year_sep']}{year_words(match['year'])}"
    return words


def after_a_day(match: re.Match) -> bool:
    """ "14 Oct. 15": the month belongs to the day before it (with a year "15")."""
    before = _DAY_BEFORE.search(match.string, max(0, match.start() - 8), match.start())
    return before is not None and is_day(int(before.group(1)))


def written_day_first(match: re.Match) -> str:
    """ "25 December 2022" -> "the twenty-fifth of December twenty twenty-two"."""
    day, last_day = int(match["day"]), int(match["last_day"] or 1)
    month = spoken_month(match, day_first_order=True)
    if not (is_day(day) and is_day(last_day)) or month is None:
        return match.group(0)
    words = f"{match['the'] or 'the '}{day_words(day)}"
    if match["last_day"]:
        words += f" to {day_words(last_day)}"
    words += f" of {month}"
    if match["year"]:
        words += f" {year_words(match['year'])}"
    return words + keep_final_period(match)


def all_number_date(match: re.Match, day_first_language: bool) -> str:
    """ "12/25/2022": month first in en-US, day first in en-GB; the other order when only it
    makes a real date ("25/12/2022" in an American article)."""
    first, second, year = int(match["first"]), int(match["second"]), match["year"]
    preferred = (second, first) if day_first_language else (first, second)
    say = day_first if day_first_language else month_first
    for month, day in (preferred, preferred[::-1]):
        if 1 <= month <= 12 and real_date(year, month, day):
            return say(MONTH_NAMES[month - 1], day, year)
    return match.group(0)


def dotted_date(match: re.Match) -> str:
    """ "20.03.1920" (written day first wherever dots part it) -> "the twentieth of March
    nineteen twenty"."""
    day, month, year = int(match["day"]), int(match["month"]), match["year"]
    if not 1 <= month <= 12 or not real_date(year, month, day):
        return match.group(0)
    return day_first(MONTH_NAMES[month - 1], day, year)


def iso_date(match: re.Match, day_first_language: bool) -> str:
    """ "2022-12-25" -> "December twenty-fifth, twenty twenty-two"; a timestamp "2020-08-01
    17:56:00+00" -> "August first, twenty twenty, seventeen fifty-six UTC"."""
    year, month, day = match["year"], int(match["month"]), int(match["day"])
    if not real_date(year, month, day):
        return match.group(0)
    say = day_first if day_first_language else month_first
    words = say(MONTH_NAMES[month - 1], day, year)
    return words + timestamp_time(match) if match["hour"] else words


def timestamp_time(match: re.Match) -> str:
    """ ", seventeen fifty-six and thirty seconds UTC plus five"."""
    words = ", " + (spoken_time(f"{match['hour']}:{match['minute']}") or "")
    seconds = int(match["second"] or 0)
    if seconds:
        words += f" and {num2words(seconds)} second{'s' if seconds > 1 else ''}"
    offset = match["offset"]
    if offset:
        words += " UTC" + utc_offset(offset)
    return words


def utc_offset(written: str) -> str:
    """ "Z", "+00", "+00:00" -> ""; "+05:30" -> " plus five thirty"."""
    digits = written.lstrip("+-−Z").replace(":", "")
    hours, minutes = int(digits[:2] or 0), int(digits[2:] or 0)
    if not hours and not minutes:
        return ""
    sign = "minus" if written.startswith(("-", "−")) else "plus"
    return f" {sign} {num2words(hours)}" + (f" {num2words(minutes)}" if minutes else "")


def month_before_year(match: re.Match) -> str:
    """ "Dec. 2022": the year itself is read by the number rule."""
    return month_name(match["month"])


def month_after_cue(match: re.Match) -> str:
    """ "in Dec." -> "in December"."""
    return match["cue"] + month_name(match["month"]) + keep_final_period(match)


def weekday_range(match: re.Match) -> str:
    """ "Mon-Fri" -> "Monday to Friday"."""
    return f"{WEEKDAYS[match['first']]} to {WEEKDAYS[match['last']]}" + keep_final_period(match)


def weekday(match: re.Match) -> str:
    """ "Mon., Dec. 26" -> "Monday, December twenty-sixth"; "on Tues." -> "on Tuesday"."""
    cue = match.groupdict().get("cue") or ""
    return cue + WEEKDAYS[match["weekday"]] + keep_final_period(match)


# After "march 28" or "sep 22": punctuation, the end, or a word no noun ("and", "to").
_DATE_ENDS = re.compile(r"\s*(?:[,.;:)!?]|$|(?:and|to|through|until|or)\b)")
_DAY_BEFORE = re.compile(r"(?<![\w.,])([0-9]{1,2})(?:st|nd|rd|th)? $")
_ISO = r"(?=[12])(?<![\w/.-])(?P<year>[12][0-9]{3})(?P<separator>[-/.])(?P<month>[01]?[0-9])"
_ISO += r"(?P=separator)(?P<day>[0-3]?[0-9])"
_ISO += r"(?:[T ](?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])(?::(?P<second>[0-5][0-9])"
_ISO += r"(?:\.[0-9]+)?)?(?P<offset>Z|[-+−][0-9]{2}(?::?[0-9]{2})?)?)?(?![\w/-]|[.,:][0-9])"
_DOTTED = r"(?=[0-9])(?<![\w.])(?P<day>[0-3]?[0-9])\.(?P<month>[01]?[0-9])\.(?P<year>[12][0-9]{3})"
_DOTTED += r"(?![\w]|\.[0-9])"
_ALL_NUMBERS = r"(?=[0-9])(?<![\w/.])(?P<first>[0-9]{1,2})/(?P<second>[0-9]{1,2})/"
_ALL_NUMBERS += r"(?P<year>[0-9]{4}|[0-9]{2})(?![\w/]|[.,][0-9])"
_WEEKDAY_RANGE = initials(WEEKDAYS) + r"\b(?P<first>" + _WEEKDAY + r")\.?[-–](?P<last>"
_WEEKDAY_RANGE += _WEEKDAY + r")\b\.?"
_WEEKDAY_BEFORE_DATE = initials(WEEKDAYS) + r"\b(?P<weekday>" + _WEEKDAY + r")\.?"
_WEEKDAY_BEFORE_DATE += r"(?=,?\s+(?:(?:" + _MONTH + r")\b|[0-9]{1,2}\b))"
_WEEKDAY_AFTER_CUE = initials(WEEKDAY_CUES.split()) + r"\b(?P<cue>(?:"
_WEEKDAY_AFTER_CUE += "|".join(WEEKDAY_CUES.split()) + r")\s)(?P<weekday>" + _WEEKDAY + r")\."
_MONTH_FIRST = _MONTH_INITIALS + r"\b(?P<month>" + _ANY_CASE_MONTH + r")(?P<period>\.)?\s+" + _DAY
_MONTH_FIRST += _LAST_DAY
_MONTH_FIRST += r"(?![\w])(?:(?P<year_sep>,?\s+)(?P<year>[0-9]{4})" + _YEAR_END + ")?"
_DAY_FIRST = first("Tt" + DIGITS) + r"(?<![\w.,])(?P<the>\b[Tt]he\s)?" + _DAY + _LAST_DAY
# A day said after the month ("24 August first, twenty twenty": a count, then a date the ISO
# rule read) makes the number before it no day of that month.
_DAY_AFTER = r"(?!,?\s(?:(?:twenty-|thirty-)?(?:first|second|third"
_DAY_AFTER += r"|fourth|fifth|sixth|seventh|eighth|ninth)\b|(?:ten|eleven|twelf|thirteen|fourteen"
_DAY_AFTER += r"|fifteen|sixteen|seventeen|eighteen|nineteen|twentie|thirtie)th\b))"
_DAY_FIRST += (
    r"\s(?:of\s)?(?P<month>"
    + _ANY_CASE_MONTH
    + r")\b(?P<period>\.)?"
    + _DAY_AFTER
    + r"(?:,?\s(?P<year>[0-9]{4})"
)
_DAY_FIRST += _YEAR_END + ")?"
_MONTH_BEFORE_YEAR = initials(MONTHS) + r"\b(?P<month>" + _ABBREVIATED_MONTH + r")\."
_MONTH_BEFORE_YEAR += r"(?=\s+[0-9]{4}\b)"
_MONTH_AFTER_CUE = initials(MONTH_CUES.split()) + r"\b(?P<cue>(?:"
_MONTH_AFTER_CUE += "|".join(MONTH_CUES.split()) + r")[\s-])(?P<month>" + _ABBREVIATED_MONTH
_MONTH_AFTER_CUE += r")\."


def rules(day_first_language: bool) -> tuple[Rule, ...]:
    return (
        rule(
            _ISO,
            lambda match: iso_date(match, day_first_language),
            needs="-/.",
            guard=r"[12][0-9]{3}[-/.][0-9]",
        ),
        rule(_ALL_NUMBERS, lambda match: all_number_date(match, day_first_language), needs="/"),
        rule(_DOTTED, dotted_date, needs=".", guard=r"[0-9]\.[0-9]{1,2}\.[12][0-9]{3}"),
        rule(_WEEKDAY_RANGE, weekday_range, needs="-–"),
        rule(_WEEKDAY_BEFORE_DATE, weekday),
        rule(_WEEKDAY_AFTER_CUE, weekday, needs="."),
        rule(_MONTH_FIRST, written_month_first, needs=DIGITS),
        rule(_DAY_FIRST, written_day_first, needs=DIGITS),
        rule(_MONTH_BEFORE_YEAR, month_before_year, needs=DIGITS),
        rule(_MONTH_AFTER_CUE, month_after_cue, needs="."),
    )
