"""Times of day and time zones: "8:54 PM" -> "eight fifty-four PM", "5:15 a.m. ET" -> "five
fifteen AM Eastern Time", "1400 GMT" -> "fourteen hundred GMT", "9 a.m.-5 p.m." -> "nine AM to
five PM".

"a.m." and "p.m." are written "AM" / "PM": every engine says the letters, and espeak would end
the sentence at "p.m. Then". American zones are said in words, as American newsreaders do
("Eastern Time"): espeak reads "ET" as the word "et". The others (GMT, UTC, CET...) stay letters
for the acronym rule to write in the form espeak spells.
"""

from __future__ import annotations

import re

from audiogen.normalize.numbers import num2words
from audiogen.normalize.rules import DIGITS, Rule, alternation, keep_final_period, needing, rule

ZONES = {
    "ET": "Eastern Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CT": "Central Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MT": "Mountain Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PT": "Pacific Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
}
LETTER_ZONES = "GMT UTC BST CET CEST EET EEST MSK IST JST KST HKT SGT AEST AEDT WAT EAT".split()

_AM_PM = r"(?:[ap]\.m\.|[AP]\.M\.|[ap]m\b|[AP]M\b)"
_ZONE = r"(?:\s(?P<zone>" + alternation([*ZONES, *LETTER_ZONES]) + r")\b)?"
_CLOCK = (
    r"(?=[0-9])(?<![\w.:])(?P<hour>[0-9]{1,2}):(?P<minute>[0-5][0-9])(?![0-9]|:[0-9])"
    r"(?:\s?(?P<am_pm>" + _AM_PM + r"))?"
)
_HOUR = r"(?=[0-9])(?<![\w.,:])(?P<hour>[0-9]{1,2})\s?(?P<am_pm>" + _AM_PM + ")"
CLOCK = re.compile(_CLOCK + _ZONE)
HOUR = re.compile(_HOUR + _ZONE)


def clock_time(match: re.Match) -> str:
    """ "8:54 PM" -> "eight fifty-four PM", "8:05" -> "eight oh five", "8:00" -> "eight
    o'clock", "20:00" -> "twenty hundred", "00:00" -> "midnight"."""
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 24:
        return match.group(0)
    if hour == 0 and minute == 0 and not match["am_pm"]:
        return "midnight" + zone(match)
    words = num2words(hour)
    if minute == 0:
        if not match["am_pm"]:
            words += " o'clock" if hour <= 12 else " hundred"
    elif minute < 10:
        words += f" oh {num2words(minute)}"
    else:
        words += f" {num2words(minute)}"
    return words + am_pm(match) + zone(match)


def hour_with_am_pm(match: re.Match) -> str:
    """ "8 p.m." -> "eight PM"."""
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return match.group(0)
    return num2words(hour) + am_pm(match) + zone(match)


def am_pm(match: re.Match) -> str:
    """ "p.m." and "pm" are spoken as the letters, written as espeak reads them: "PM"."""
    written = match["am_pm"]
    if not written:
        return ""
    final = keep_final_period(match) if not match["zone"] else ""
    return " " + written.replace(".", "").upper() + final


def zone(match: re.Match) -> str:
    written = match["zone"]
    return f" {ZONES.get(written, written)}" if written else ""


def spoken_time(written: str) -> str | None:
    for pattern, say in ((CLOCK, clock_time), (HOUR, hour_with_am_pm)):
        match = pattern.fullmatch(written)
        if match:
            spoken = say(match).rstrip(".")  # a range's first time has no sentence to end
            return None if spoken == written.rstrip(".") else spoken
    return None


def time_range(match: re.Match) -> str:
    """ "9 a.m.-5 p.m." -> "nine AM to five PM"."""
    first, last = spoken_time(match["first"]), spoken_time(match["last"])
    if first is None or last is None:
        return match.group(0)
    return f"{first} to {last}{zone(match)}{keep_final_period(match)}"


def hour_range(match: re.Match) -> str:
    """ "9-11 a.m." -> "nine to eleven AM"."""
    first, last = int(match["first"]), int(match["last"])
    if not (1 <= first <= 12 and 1 <= last <= 12):
        return match.group(0)
    return f"{num2words(first)} to {num2words(last)}" + am_pm(match) + zone(match)


def military_time(match: re.Match) -> str:
    """ "1400 GMT" -> "fourteen hundred GMT", "0215 GMT" -> "oh two fifteen GMT"."""
    hour, minute = match["hour"], int(match["minute"])
    words = ("oh " if hour.startswith("0") else "") + num2words(int(hour))
    words += " hundred" if minute == 0 else f" {'oh ' if minute < 10 else ''}{num2words(minute)}"
    unit = match["unit"]
    return f"{words} {ZONES.get(unit, 'hours' if unit in ('hrs', 'hours') else unit)}"


def duration(match: re.Match) -> str:
    """ "2:01:09" (a race time) -> "two hours, one minute and nine seconds"."""
    parts = [(int(match["hours"]), "hour"), (int(match["minutes"]), "minute")]
    parts.append((int(match["seconds"]), "second"))
    said = [f"{num2words(n)} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return ", ".join(said[:-1]) + f" and {said[-1]}" if len(said) > 1 else "".join(said)


def ratio(match: re.Match) -> str:
    """ "a 3:1 margin" -> "a three to one margin"."""
    return f"{num2words(int(match['first']))} to {num2words(int(match['second']))}"


_TIME = r"(?:[0-9]{1,2}:[0-5][0-9](?:\s?" + _AM_PM + r")?|[0-9]{1,2}\s?" + _AM_PM + ")"

RULES: tuple[Rule, ...] = needing(
    DIGITS,
    rule(
        r"(?=[0-9])(?<![\w.,:])(?P<first>"
        + _TIME
        + r")\s?[-–]\s?(?P<last>"
        + _TIME
        + r")(?![\w:])"
        + _ZONE,
        time_range,
    ),
    rule(
        r"(?=[0-9])(?<![\w.,:])(?P<first>[0-9]{1,2})[-–](?P<last>[0-9]{1,2})\s?(?P<am_pm>"
        + _AM_PM
        + ")"
        + _ZONE,
        hour_range,
    ),
    rule(
        r"(?=[0-9])(?<![\w.:])(?P<hours>[0-9]{1,2}):(?P<minutes>[0-5][0-9]):(?P<seconds>[0-5][0-9])"
        r"(?![0-9]|[.:][0-9])",
        duration,
    ),
    rule(_CLOCK + _ZONE, clock_time),
    rule(_HOUR + _ZONE, hour_with_am_pm),
    rule(
        r"(?=[0-9])(?<![\w.,:])(?P<hour>[01][0-9]|2[0-3])(?P<minute>[0-5][0-9])\s?(?P<unit>"
        + alternation(["GMT", "UTC", "hrs", "hours", *ZONES])
        + r")\b",
        military_time,
    ),  # fmt: skip
    rule(r"(?=[0-9])(?<![\w.:])(?P<first>[0-9]{1,2}):(?P<second>[0-9])(?![\w:])", ratio),
)
