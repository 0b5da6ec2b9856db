"""Percentages and measures: "10-15%" -> "ten to fifteen percent", "5 km" -> "five kilometers",
"a 5-km race" -> "a five-kilometer race", "-3°C" -> "minus three degrees Celsius".

A unit is read only right after a number, so "km" or "mph" elsewhere is left as written. One
unit is singular ("1 km"), every other amount plural ("1.5 km", "0 km"); a unit joined to its
number by a hyphen is an adjective and singular ("a 10-kg bag").
"""

from __future__ import annotations

import re

from audiogen.normalize.addresses import COMPASS
from audiogen.normalize.numbers import (
    NOT_NOUNS,
    NUMBER,
    SIGNED,
    START,
    describes_a_noun,
    is_one,
    number_words,
    paired_words,
    signed_number_words,
)
from audiogen.normalize.rules import DIGITS, Rule, alternation, needing, rule

# written: (one, many)
UNITS = {
    "km": ("kilometer", "kilometers"),
    "kms": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "yds": ("yard", "yards"),
    "kg": ("kilogram", "kilograms"),
    "kgs": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mpg": ("mile per gallon", "miles per gallon"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "TWh": ("terawatt hour", "terawatt hours"),
    "kV": ("kilovolt", "kilovolts"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "KB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "nm": ("nanometer", "nanometers"),
    "MP": ("megapixel", "megapixels"),
    "ha": ("hectare", "hectares"),
    "sq ft": ("square foot", "square feet"),
    "sq. ft": ("square foot", "square feet"),
    "sq m": ("square meter", "square meters"),
    "sq km": ("square kilometer", "square kilometers"),
    "sq mi": ("square mile", "square miles"),
    "cu ft": ("cubic foot", "cubic feet"),
    "cu m": ("cubic meter", "cubic meters"),
    "km²": ("square kilometer", "square kilometers"),
    "km2": ("square kilometer", "square kilometers"),
    "mi2": ("square mile", "square miles"),
    "m2": ("square meter", "square meters"),
    "m²": ("square meter", "square meters"),
    "ft²": ("square foot", "square feet"),
    "bpd": ("barrel per day", "barrels per day"),
    "bbl": ("barrel", "barrels"),
    "ml": ("milliliter", "milliliters"),
    "hrs": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "mins": ("minute", "minutes"),
    "min": ("minute", "minutes"),
    "secs": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "ms": ("millisecond", "milliseconds"),
    "yrs": ("year", "years"),
    "yr": ("year", "years"),
    "dB": ("decibel", "decibels"),
    "fps": ("FPS", "FPS"),  # frames per second: said as letters
    "ppm": ("part per million", "parts per million"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "° C": ("degree Celsius", "degrees Celsius"),
    "ºC": ("degree Celsius", "degrees Celsius"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "° F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "ºF": ("degree Fahrenheit", "degrees Fahrenheit"),
    "℉": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "º": ("degree", "degrees"),
}
# Units a headline or a spec sheet writes in capitals ("12KG", "5 KM"), whose capitals mean
# nothing else after a number.
CASELESS_UNITS = (
    "km kms kg kgs cm mm mg ml mph kph kmh km/h lb lbs oz ft yds fps Hz kHz MHz GHz kWh MWh GWh "
    "TWh kbps Mbps Gbps kW GW kV nm"
).split()
# Units of two words, in any case: "71.1SQ KM", "18.1cu ft".
CASELESS_UNITS += [unit for unit in UNITS if " " in unit]
# One letter is a unit only when joined to its number: "40C" (British news writes
# temperatures so), "5g", "24h"; "5 g" or "Category 5 C" are left alone.
JOINED_UNITS = {
    "C": ("degree Celsius", "degrees Celsius"),
    "F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "g": ("gram", "grams"),
    "h": ("hour", "hours"),
    "in": ("inch", "inches"),  # "75.9in": glued to its number, "in" is no preposition
    "IN": ("inch", "inches"),
    "V": ("volt", "volts"),  # "5V", "a 12V battery"; a code's last letter ("SLG46620V") is no unit
    "W": ("watt", "watts"),
    "G": ("gram", "grams"),  # with decimals only: "82.2G"; "5G" is a network
}
# Units spelled in full, glued to their number or in capitals: "28.2hectares", "463LITRES",
# "17.4MILES". The word is said as it is (in small letters), singular after "1".
FULL_UNITS = (
    "meter meters metre metres kilometer kilometers kilometre kilometres centimeter "
    "centimeters centimetre centimetres millimeter millimeters millimetre millimetres mile "
    "miles foot feet inch inches yard yards liter liters litre litres milliliter milliliters "
    "millilitre millilitres gallon gallons tonne tonnes ton tons kilogram kilograms kilo kilos "
    "gram grams pound pounds ounce ounces hectare hectares acre acres barrel barrels degree "
    "degrees volt volts watt watts kilowatt kilowatts megawatt megawatts hour hours minute "
    "minutes second seconds"
).split()
# "m" is metres or millions ("100m sprint", "5m people"): read only when the next word says
# which. Otherwise it is left as written.
METRE_CUES = (
    "high long wide tall deep sprint race final hurdles freestyle butterfly backstroke "
    "breaststroke medley relay dash away above below"
).split()
# After these the metres are a length said of something ("the runway is 18.6m long"): plural,
# unless an article makes the measure an adjective ("an 18.6m long runway").
DIMENSIONS = frozenset("high long wide tall deep away above below".split())
MILLION_CUES = (
    "people users residents viewers voters votes customers subscribers children refugees "
    "households homes jobs doses barrels tonnes tons years acres visitors passengers"
).split()

_CASELESS = {unit.lower(): unit for unit in CASELESS_UNITS}
_ARTICLE = re.compile(r"(?:^|\W)[Aa]n? $")
_AMOUNT = r"(?P<amount>" + SIGNED + r")(?:\s?[-–]\s?(?P<last>" + NUMBER + r"))?"
_SCALE = r"(?:\s(?P<scale>thousand|million|billion))?"
# A calibre is an adjective: "155mm shells" -> "one hundred and fifty-five millimeter shells".
CALIBRE_NOUNS = (
    "shell shells round rounds artillery howitzer howitzers gun guns mortar mortars ammunition "
    "cannon cannons rocket rockets pistol pistols rifle rifles"
).split()
_CALIBRE = re.compile(r" (?:" + "|".join(CALIBRE_NOUNS) + r")\b")


def count_before_share(match: re.Match) -> str:
    """ "Tsutomu Uchino 1991 0.3%" (a table row: a name, a count, its share) -> "... one
    thousand nine hundred and ninety-one ...": a count, not the year it would be alone; after
    a preposition it is the year ("In 1991 5% of ...")."""
    before = _WORD_BEFORE.search(match.string, 0, match.start())
    if before and before.group(1).lower() in YEAR_WORDS:
        return match.group(0)
    return number_words(match["count"]) + " "


def amount_words(match: re.Match) -> str:
    words = signed_number_words(match["amount"])
    if match["last"]:
        words += f" to {signed_number_words(match['last'])}"
    scale = match.groupdict().get("scale")
    return f"{words} {scale}" if scale else words


def percent(match: re.Match) -> str:
    """ "5%" -> "five percent", "10-15%" -> "ten to fifteen percent"."""
    return f"{amount_words(match)} percent"


def measure(match: re.Match, units: dict) -> str:
    """ "5 km" -> "five kilometers", "a 5-km race" -> "a five-kilometer race"."""
    unit = unit_in(match["unit"], units)
    if unit is None or (unit == "G" and "." not in match["amount"]):
        return match.group(0)  # "5 people": a word, not a unit; "5G", a network
    one, many = units[unit]
    if match["joiner"] == "-":
        return f"{amount_words(match)}-{one.replace(' ', '-')}"
    if match["joiner"] == "/":  # "18.2/km2" -> "eighteen point two per square kilometer"
        return f"{amount_words(match)} per {one}"
    singular = is_one(match["amount"]) and not match["last"] and not match["scale"]
    adjective = after_article(match) or _CALIBRE.match(match.string, match.end()) is not None
    adjective = adjective or describes_a_noun(match)
    return f"{amount_words(match)} {one if singular or adjective else many}"


def unit_in(written: str, units: dict) -> str | None:
    """The table's key for a written unit: "km", "ft." -> "ft", "KG" -> "kg", "Ghz" -> "GHz";
    None if none."""
    for unit in (written, written.rstrip(".")):
        if unit in units:
            return unit
        if unit.lower() in _CASELESS and _CASELESS[unit.lower()] in units:
            return _CASELESS[unit.lower()]
    return None


def after_article(match: re.Match) -> bool:
    """ "a 100 MW plant": after "a" the measure describes the noun, so it is singular."""
    before = match.string[max(0, match.start() - 4) : match.start()]
    return _ARTICLE.search(before) is not None


def metres(match: re.Match) -> str:
    """ "the 100m sprint" -> "the one hundred meter sprint": an adjective, so singular; "is
    18.6m long" -> "eighteen point six meters long"."""
    cue = match["cue"]
    many = cue in DIMENSIONS and not is_one(match["amount"]) and not after_article(match)
    return f"{amount_words(match)}{'-' if match['hyphen'] else ' '}meter{'s' if many else ''}"


def full_unit(match: re.Match) -> str:
    """ "28.2hectares" -> "twenty-eight point two hectares", "1KILO" -> "one kilo"."""
    return f"{amount_words(match)} {match['unit'].lower()}"


def millions(match: re.Match) -> str:
    """ "5m people" -> "five million people"."""
    return f"{amount_words(match)} million"


def unit_on_both_ends(match: re.Match) -> str:
    """ "17mph-40mph" -> "17-40 mph", for the measure rule after: "seventeen to forty miles
    per hour"; "1970s-80s" is no measure."""
    if unit_in(match["unit"], UNITS) is None and match["unit"] not in FULL_UNITS:
        return match.group(0)
    return f"{match['amount']}-{match['last']} {match['unit']}"


def coordinate(match: re.Match) -> str:
    """ "41°17′S" -> "forty-one degrees seventeen minutes South", "42.5°N" -> "forty-two
    point five degrees North"."""
    words = [
        f"{number_words(match['degrees'])} {'degree' if is_one(match['degrees']) else 'degrees'}"
    ]
    for part, unit in (("minutes", "minute"), ("seconds", "second")):
        if match[part]:
            words.append(f"{number_words(match[part])} {unit}{'' if is_one(match[part]) else 's'}")
    return " ".join([*words, COMPASS[match["direction"]]])


def times_by(match: re.Match) -> str:
    """ "4x4" -> "four by four", "2x3 mm" -> "two by three millimeters"; two numbers of four
    digits, a screen's or a sheet's size, in pairs: "1920x1080" -> "nineteen twenty by ten
    eighty"."""
    first, second = match["first"], match["second"]
    if _FOUR_DIGITS.fullmatch(first) and _FOUR_DIGITS.fullmatch(second):
        words = f"{paired_words(first)} by {paired_words(second)}"
    else:
        words = f"{signed_number_words(first)} by {signed_number_words(second)}"
    unit = unit_in(match["unit"], UNITS) if match["unit"] else None
    if unit is None:  # no unit, or a word that is none ("4x4 SUV"): as written
        return words + match.string[match.end("second") : match.end()]
    return f"{words} {UNITS[unit][0 if is_one(second) else 1]}"


def times_over(match: re.Match) -> str:
    """ "3x" -> "three times", "10x faster" -> "ten times faster"; before a noun it names a
    kind, said with the letter: "10x content", "a 3x zoom" -> "ten-x content", "a three-x
    zoom"."""
    after = _NEXT_WORD.match(match.string, match.end())
    word = after.group(1) if after else ""
    if word and word not in NOT_NOUNS and word not in COMPARATIVES and not word.endswith("ly"):
        return f"{amount_words(match)}-x"
    return f"{amount_words(match)} times"


_FOUR_DIGITS = re.compile(r"[1-9][0-9]{3}")
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
# After "10x" these say how much, not what kind: "ten times faster".
COMPARATIVES = frozenset(
    "more fewer faster slower bigger smaller larger higher lower greater better worse cheaper "
    "longer shorter stronger weaker harder easier quicker heavier lighter wider deeper richer "
    "louder brighter costlier pricier denser hotter colder".split()
)
_JOINER = r"(?P<joiner>\s?|-|/)"
# Any word a unit could be; the table says whether it is one. (Cheaper than trying the 90 units
# one by one after every number.)
# An abbreviation's period is the unit's when the sentence goes on ("6 ft. tall").
_UNIT_WORD = r"(?P<unit>(?:(?i:sq\.? (?:ft|m|km|mi)|cu\.? (?:ft|m))|° ?[CF]|[°º℃℉]"
_UNIT_WORD += r"|[ºA-Za-z]{1,4}(?:/[hH]|[²2])?)"
_UNIT_WORD += r"(?:\.(?=\s+[a-z0-9]))?)"

_DECIMAL = r"[0-9]{1,3}(?:\.[0-9]+)?"

# A name or a bracket, then a four-digit count and a share; not a year after its preposition
# ("In 1991 5% of ...").
_COUNT_BEFORE_SHARE = r"(?<=[A-Za-z)] )(?P<count>[0-9]{4}) (?=[-+−]?[0-9]+(?:\.[0-9]+)?%)"
YEAR_WORDS = frozenset("in on at by of to from since until before after during year and".split())
_WORD_BEFORE = re.compile(r"(\w+)\W*$")

RULES: tuple[Rule, ...] = needing(
    DIGITS,
    rule(_COUNT_BEFORE_SHARE, count_before_share, guard=r"[0-9]{4} [-+−]?[0-9.]+%"),
    rule(
        START + r"(?P<degrees>" + _DECIMAL + r")[°º]\s?(?:(?P<minutes>" + _DECIMAL + r")[′']\s?"
        r"(?:(?P<seconds>" + _DECIMAL + r")[″\"]\s?)?)?(?P<direction>[NSEW])\b",
        coordinate,
        guard=r"[0-9][°º]",
    ),
    rule(
        START + r"(?P<amount>" + SIGNED + r")(?:%?\s?[-–]\s?(?P<last>" + SIGNED + r"))?\s?%",
        percent,
    ),
    rule(
        START
        + r"(?P<amount>"
        + SIGNED
        + r")\s?(?P<unit>[A-Za-z]{1,4}(?:/h)?|"
        + alternation(FULL_UNITS)
        + r")\s?[-–]\s?"
        r"(?P<last>" + NUMBER + r")\s?(?P=unit)\b",
        unit_on_both_ends,
        guard=r"[A-Za-z] ?[-–] ?[0-9]",
    ),
    rule(START + _AMOUNT + r"\s(?:pct|per cent)\b", percent),
    rule(
        START + _AMOUNT + _SCALE + _JOINER + _UNIT_WORD + r"(?![\w²])",
        lambda match: measure(match, UNITS),
    ),
    rule(
        START + _AMOUNT + _SCALE + r"(?P<joiner>)(?P<unit>" + alternation(JOINED_UNITS) + r")\b",
        lambda match: measure(match, JOINED_UNITS),
    ),
    rule(
        START + _AMOUNT + r"(?P<unit>(?i:" + alternation(FULL_UNITS) + r"))\b",
        full_unit,
        guard=r"[0-9][A-Za-z]{4}",
    ),
    rule(
        START + _AMOUNT + r"m(?=(?P<hyphen>-)|\s(?P<cue>" + "|".join(METRE_CUES) + r")\b)",
        metres,
    ),
    rule(START + _AMOUNT + r"m(?=\s(?:" + "|".join(MILLION_CUES) + r")\b)", millions),
    rule(
        START + r"(?P<first>" + NUMBER + r")\s?[x×]\s?(?P<second>" + NUMBER + r")\b"
        r"(?:\s?(?P<unit>[A-Za-z]{1,3}[²2]?)\b)?",
        times_by,
    ),
    rule(START + _AMOUNT + r"[x×](?![\w])", times_over),
)
