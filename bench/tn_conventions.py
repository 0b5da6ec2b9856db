"""Convention choices: where audiogen reads a token differently from NeMo on purpose, and why.

Each convention is a name, the reason a newsreader says it our way, and a precise detector:
rewrites of NeMo's reading (and/or ours) that turn that one difference into the same words,
run only in sentences whose written text has the token (`written`, a regular expression or a
predicate). A sentence whose readings differ only by conventions counts as "adjusted"
agreement, and the report says how many each absorbed.

To add one, append a `Convention(...)` to CONVENTIONS. Rewrites are (pattern, replacement)
pairs of Python regular expressions, matched case-insensitively against the raw spoken forms
(NeMo writes "twenty four-seventeen", its hyphen marking the written dash; we write
"twenty-four"). Keep each as narrow as the difference: a rewrite that also fires where we are
wrong would hide a real error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from audiogen.normalize.abbreviations import STATES

UNITS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
DIGIT_WORD = UNITS
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
# The start of a number word after "hundred and": "five", "fifteenth", "twentieth", "first".
AFTER_AND = (
    rf"(?:{UNITS}|{TEENS}|{TENS}|first|second|third|fifth|eighth|ninth|twelfth"
    r"|(?:twen|thir|for|fif|six|seven|eigh|nine)tieth)"
)
NUMBER_WORD = rf"(?:{UNITS}|{TEENS}|{TENS}|hundred|thousand|million|billion|trillion|point)"
CURRENCY_WORDS = r"(?:dollar|pound|euro|yen|yuan|rupee|franc|peso|ruble|rouble|won)"

# Words after an amount that are no noun it describes: "$631 billion over 10 years".
NOT_A_NOUN = (
    r"(?:of|in|for|a|an|and|or|but|to|worth|people|was|were|is|are|over|from|by|on|at|since|into|"
    r"after|before|than|per|this|that|last|next|each|with|under|more|less|will|would|might|may|"
    r"could|can|should|must|has|had|have|[a-z]+ed)"
)

Rewrite = tuple[str, str | Callable[[re.Match], str]]  # (pattern, replacement) for re.sub


@dataclass(frozen=True)
class Convention:
    """One deliberate difference: rewrites that make NeMo's and our reading of it the same."""

    name: str
    reason: str
    written: str | Callable[[str], bool]  # the sentences it is about
    # Run on NeMo's reading: rewrites, or a function of the written sentence that makes them
    # (a rewrite of the very numbers the sentence has, and no other).
    nemo: tuple[Rewrite, ...] | Callable[[str], tuple[Rewrite, ...]] = ()
    ours: tuple[Rewrite, ...] = ()  # run on audiogen's reading

    def applies(self, written: str) -> bool:
        if callable(self.written):
            return self.written(written)
        return re.search(self.written, written) is not None

    def apply(self, written: str, nemo: str, ours: str) -> tuple[str, str]:
        if not self.applies(written):
            return nemo, ours
        rewrites = self.nemo(written) if callable(self.nemo) else self.nemo
        return rewrite(rewrites, nemo), rewrite(self.ours, ours)


def rewrite(rules: tuple[Rewrite, ...], text: str) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


# --- dashes between numbers: a range or a result, not a model number or a label ------------

# Not inside a number ("1,990-5") or a code; after a word's comma it is ("Policy,1990–2005").
DASHED = re.compile(
    r"(?<![\w./-])(?<!\d,)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?[-–]\s?"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/-]|[.,]\d)"
)
# A score between two names: "New Zealand 8-7 France".
BETWEEN_NAMES = re.compile(r"[A-Z][a-z]+ $")
NAME_AFTER = re.compile(r" [A-Z][a-z]+\b")
RESULT_WORDS = re.compile(
    r"(?i:\b(?:won|lost|beat|beating|defeated|drew|draw|win|victory|defeat|ended|finished|"
    r"led|trailed|score|scored|result)\b)"
)
SET_SCORES = re.compile(r"\b[0-7]-[0-7],?\s[0-7]-[0-7]\b")


def is_range(first: str, second: str) -> bool:
    """'10-15', '200-299', '2019-20', '2008-9': the second number is the larger ("737-8" is
    not), and the two are not a local phone number's three and four digits ("555-0187",
    "555-6143"); a year's range may give the second year's last digits alone."""
    first, second = first.replace(",", ""), second.replace(",", "")  # "1,400-1,600"
    if "." in first or "." in second:  # "1.4-2.0" percent
        return float(second) > float(first)
    if len(first) == 3 and len(second) == 4:
        return False
    if len(first) == 4 and len(second) in (1, 2):
        return int(second) > int(first[-len(second) :])
    return int(second) > int(first)


def is_result(written: str, start: int) -> bool:
    """A score after a result word a few words back, or between two names: "won 24-17", "a
    3-1 victory", "New Zealand 8-7 France"."""
    before = written[max(0, start - 30) : start]
    after = written[start : start + 30]
    if BETWEEN_NAMES.search(before) and NAME_AFTER.match(
        written, DASH_END.search(written, start).end()
    ):
        return True  # "New Zealand 8-7 France"
    return bool(RESULT_WORDS.search(before) or RESULT_WORDS.search(after.split(",")[0]))


DASH_END = re.compile(r"\d[-–]\d+")


def dashes_say_to(written: str) -> bool:
    """Every number-dash-number in the sentence is a range or a result, and none a set of a
    tennis score ("6-4, 6-3"), which is said "six-four"."""
    dashes = list(DASHED.finditer(written))
    if not dashes or SET_SCORES.search(written):
        return False
    return all(is_range(*dash.groups()) or is_result(written, dash.start()) for dash in dashes)


# --- numbers that name things, read in pairs of digits --------------------------------------

# A 3- or 4-digit number that names something, where a newsreader reads its digits in pairs:
# glued to letters ("A320", "RFC7231", "F-150", a user name's "jayk1984"), a video format
# ("1080p"), a year with its era ("954 AD", "AD 803"), after a name in the middle of a sentence
# ("the Xbox 360", "US 101"), a section of a code with its letter ("401(k)").
NOT_AFTER = r"(?!\d|[.,]\d)"  # the number's end: "RFC7231," but not "737.5"
PAIRED_CONTEXTS = re.compile(
    rf"[A-Za-z]-?(\d{{3,4}}){NOT_AFTER}|(?<![\w.,])(\d{{3,4}})[pi]\b"
    r"|(?<![\w.,])(\d{3,4}) ?(?:AD|BCE?|CE)\b"
    rf"|\b(?:AD|BC) (\d{{3,4}}){NOT_AFTER}"
    r"|(?<=[a-z,;] )(?:the )?(?!(?:Day|Page|Chapter|Number|No|Top|Volume|Vol|Week|Year|Room)\b)"
    r"[A-Z][A-Za-z&]* (\d{3,4})(?![\d%]|[.,]\d| ?[\d%(])"
    r"|(?<![\w.,])(\d{3})(?![KMB]\b)[A-Z]\b"
    r"|(?<![\w.,])(\d{3})\([A-Za-z]\)"
    # a house number before its street: "at 5480 W. Church Road", "424 Market Ln."
    r"|(?<![\w.,])(\d{3,4}) (?:(?:[NSEW]|NE|NW|SE|SW)\.? )?(?:[A-Z][a-z]+ ){1,2}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Blvd|Boulevard|Way|Ct|Court|Pl|Place)\b"
)
NUMBER_3_4 = re.compile(rf"(?<![\w.,])\d{{3,4}}{NOT_AFTER}|(?<=[A-Za-z-])\d{{3,4}}{NOT_AFTER}")
UNIT_VALUES = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split()
)}  # fmt: skip
TENS_VALUES = {word: 10 * value for value, word in enumerate(TENS[3:-1].split("|"), start=2)}
# NeMo's cardinal reading of 100-9,999: "seven hundred and thirty seven", "one thousand eighty".
CARDINAL_PHRASE = re.compile(
    rf"\b(?:{UNITS} thousand(?: {UNITS} hundred)?|{UNITS} hundred)(?: and)?"
    rf"(?:[ -](?:{TENS}(?:[ -]{UNITS})?|{TEENS}|{UNITS}))?\b",
    re.IGNORECASE,
)


VIDEO_FORMAT = re.compile(r"[pi]\b")


def named_numbers_in_pairs(written: str) -> bool:
    """Every 3- or 4-digit number of the sentence that is no year, or is glued to letters
    ("jayk1984"), names a thing."""
    numbers = named_positions(written)
    return bool(numbers) and numbers <= set(paired_numbers(written))


def named_positions(written: str) -> set[int]:
    """Where the sentence's 3- and 4-digit numbers that are no year (or are glued to letters,
    or a video format) start."""
    return {
        m.start()
        for m in NUMBER_3_4.finditer(written)
        if not is_a_year(m.group())
        or written[m.start() - 1 : m.start()].isalpha()
        or VIDEO_FORMAT.match(written, m.end())  # "1440p": a year's digits, named
    }


def paired_numbers(written: str) -> dict[int, int]:
    """The numbers that name things, by position: their values."""
    return {
        m.start(i): int(number)
        for m in PAIRED_CONTEXTS.finditer(written)
        for i, number in enumerate(m.groups(), 1)
        if number
    }


def pairs_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's cardinal reading of the sentence's named numbers, and of no other, in pairs."""
    paired, named = paired_numbers(written), named_positions(written)
    values = {value for position, value in paired.items() if position in named}
    return ((CARDINAL_PHRASE.pattern, lambda m: in_pairs(m) if value_of(m) in values else m[0]),)


def value_of(match: re.Match) -> int:
    return cardinal_value(match.group())


def is_a_year(digits: str) -> bool:
    return len(digits) == 4 and 1100 <= int(digits) <= 2099


def in_pairs(match: re.Match) -> str:
    """NeMo's "seven hundred and thirty seven" as the pairs we say: "seven thirty seven"."""
    value = cardinal_value(match.group())
    if not 100 < value < 10000 or value % 100 == 0:
        return match.group()
    high, low = divmod(value, 100)
    low_words = CARDINAL_NAMES[low] if low >= 10 else f"oh {CARDINAL_NAMES[low]}"
    return f"{CARDINAL_NAMES[high]} {low_words}"


CARDINAL_NAMES = [
    *UNIT_VALUES,
    *(
        f"{tens} {unit}".replace(" zero", "")
        for tens in TENS_VALUES
        for unit in list(UNIT_VALUES)[:10]
    ),
]

# --- numbers NeMo reads apart: identifiers, compounds, ordinals, names with a slash ---------

DIGIT_NAMES = list(UNIT_VALUES)[:10]
# A code's number of five digits and more, glued to letters: "SLG46620V", "ab12345".
GLUED_IDENTIFIER = re.compile(r"(?<=[A-Za-z])\d{5,}(?!\d)|(?<![\w.,])\d{5,}(?=[A-Za-z])")
# NeMo's cardinal reading of up to 999,999: "forty six thousand six hundred twenty".
LONG_CARDINAL = re.compile(
    rf"\b(?:(?:(?:{UNITS} hundred(?: and)?[ -])?(?:{TENS}(?:[ -]{UNITS})?|{TEENS}|{UNITS})"
    rf"|{UNITS} hundred) thousand[ -]?)?(?:{UNITS} hundred(?: and)?[ -]?)?"
    rf"(?:{TENS}(?:[ -]{UNITS})?|{TEENS}|{UNITS})?\b",
    re.IGNORECASE,
)


def cardinal_value(phrase: str) -> int:
    """ "seven hundred and thirty seven" -> 737, "forty six thousand six hundred twenty" ->
    46620."""
    total, current = 0, 0
    for word in re.split(r"[ -]", phrase.lower()):
        if word in UNIT_VALUES:
            current += UNIT_VALUES[word]
        elif word in TENS_VALUES:
            current += TENS_VALUES[word]
        elif word == "hundred":
            current *= 100
        elif word == "thousand":
            total, current = total + current * 1000, 0
    return total + current


def cardinal_words(value: int) -> str:
    """106 -> "one hundred six", 10000 -> "ten thousand" (below a million; no "and", which
    the and-in-numbers convention has taken out of both readings)."""
    thousands, rest = divmod(value, 1000)
    words = [f"{cardinal_words(thousands)} thousand"] if thousands else []
    hundreds, tens = divmod(rest, 100)
    if hundreds:
        words.append(f"{CARDINAL_NAMES[hundreds]} hundred")
    if tens or not words:
        words.append(CARDINAL_NAMES[tens])
    return " ".join(words)


def identifiers_by_digit(written: str) -> tuple[Rewrite, ...]:
    """NeMo's cardinal reading of the sentence's glued identifiers, and of no other number,
    digit by digit."""
    values = {int(m.group()) for m in GLUED_IDENTIFIER.finditer(written)}

    def digits(match: re.Match) -> str:
        value = cardinal_value(match.group()) if match.group().strip() else -1
        return " ".join(DIGIT_NAMES[int(d)] for d in str(value)) if value in values else match[0]

    return ((LONG_CARDINAL.pattern, digits),)


# An ISBN: "ISBN 978-0-14-029875-8", "0-7900-0187-X"; its groups, hyphens and all.
ISBN = re.compile(r"(?<![\w-])(?:97[89][-–])?\d{1,5}[-–]\d{1,7}[-–]\d{1,7}[-–][\dXx](?![\w-])")


def isbn_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's readings of an ISBN's groups as quantities ("nine hundred seventy eight",
    "fourteen"), digit by digit; its "dash" between groups goes, as our commas do."""
    values = {
        int(group)
        for match in ISBN.finditer(written)
        for group in re.split(r"[-–]", match.group())
        if group.isdigit() and len(group) > 1 and not group.startswith("0")
    }

    def digits(match: re.Match) -> str:
        value = cardinal_value(match.group()) if match.group().strip() else -1
        return " ".join(DIGIT_NAMES[int(d)] for d in str(value)) if value in values else match[0]

    def each_group(stretch: re.Match) -> str:
        return LONG_CARDINAL.sub(digits, stretch.group())

    # NeMo joins the groups with hyphens ("one-eighty six thousand nine hundred fifty-two
    # hundred..."): each stretch between them is read apart, then the hyphens go.
    return ((r"[^-]+", each_group), (r"(?<=[a-z])-(?=[a-z])", " "))


# A number joined by a hyphen to a word: "106-year-old", "10,000-word".
COMPOUND = re.compile(r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d{3,})-[a-z]")


def compound_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's readings of such a number, digit by digit ("one zero six,") or split at its
    comma ("ten,zero zero zero"), as the number: "one hundred six", "ten thousand"."""
    rewrites = []
    for match in COMPOUND.finditer(written):
        number = match[1]
        digits = number.replace(",", "")
        by_digit = " ".join(DIGIT_NAMES[int(d)] for d in digits)
        head, _, tail = number.partition(",")
        split = f"{cardinal_words(int(head))} ?, ?" + " ".join(
            DIGIT_NAMES[int(d)] for d in tail.replace(",", "")
        )
        words = cardinal_words(int(digits))
        rewrites += [(rf"\b{by_digit},?(?=[ -])", words), (rf"\b{split}\b", words)]
    return tuple(rewrites)


ORDINAL_ENDS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip


def ordinal_word(match: re.Match) -> str:
    """NeMo's "twenty th" (for "20th-century") as the ordinal: "twentieth"."""
    *words, last = match[1].split(" ")
    if last in ORDINAL_ENDS:
        last = ORDINAL_ENDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*words, last])


# Numbers with a slash that are names or idioms, not fractions: NeMo's fraction reading.
SLASH_NAMES = {"9/11": "elevenths", "24/7": "sevenths", "7/7": "sevenths", "50/50": "fiftieths"}
DENOMINATOR_NAMES = {"elevenths": "eleven", "sevenths": "seven", "fiftieths": "fifty"}
COMPARATIVES = (
    r"(?:more|fewer|faster|slower|bigger|smaller|larger|higher|lower|greater|better|worse|"
    r"cheaper|longer|shorter|stronger)"
)


# --- layout and punctuation NeMo reads as numbers ------------------------------------------

# A table of contents' dot leaders, then the page: "Introduction......2", "References....21".
LEADER_PAGE = re.compile(r"[A-Za-z)]\.{3,}(\d{1,3})\b")


def leader_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's "point two one" for the page after dot leaders, as the page: "twenty one"."""
    rewrites = []
    for match in LEADER_PAGE.finditer(written):
        digits = " ".join(DIGIT_NAMES[int(d)] for d in match[1])
        rewrites.append((rf"\bpoint {digits}\b", cardinal_words(int(match[1]))))
    return tuple(rewrites)


# A number that ends a quotation: "Population Statistics 2010" (PDF). Its quote mark closes
# the title (an odd number of quote marks before it): not inches.
QUOTED_NUMBER = re.compile(r'(?<![\d.,])(\d{1,4})"')


def closing_quotes(written: str) -> list[int]:
    """The numbers whose '"' after them closes a quotation opened before them."""
    return [
        int(m[1]) for m in QUOTED_NUMBER.finditer(written) if written[: m.start()].count('"') % 2
    ]


def year_words(value: int) -> str:
    """A year as said: 2010 "twenty ten", 1995 "nineteen ninety five", 2005 "two thousand
    five", 1905 "nineteen oh five"."""
    high, low = divmod(value, 100)
    if 2000 <= value < 2010 or low == 0:
        return cardinal_words(value)
    low_words = CARDINAL_NAMES[low] if low >= 10 else f"oh {CARDINAL_NAMES[low]}"
    return f"{CARDINAL_NAMES[high]} {low_words}"


# The first year of a quoted range that ends the quotation: "Census 1946-1978" (PDF).
QUOTED_RANGE = re.compile(r'(?<![\d.,])(\d{4})[-–]\d{4}"')


def quote_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's "two thousand ten inches" for a number before a closing quote, as the number
    (a year in pairs): "twenty ten"; and a range's first year, which NeMo then reads as a
    quantity too ("one thousand nine hundred forty six- ... inches")."""
    rewrites = []
    for value in closing_quotes(written):
        said = year_words(value) if 1100 <= value <= 2099 else cardinal_words(value)
        phrase = cardinal_words(value).replace(" ", "[ -](?:and )?")
        rewrites.append((rf"\b{phrase} inch(?:es)?\b", said))
        first = QUOTED_RANGE.search(written)
        if first and 1100 <= int(first[1]) <= 2099:
            quantity = cardinal_words(int(first[1])).replace(" ", "[ -](?:and )?")
            rewrites.append((rf"\b{quantity}(?= ?(?:[-–]|to\b))", year_words(int(first[1]))))
    return tuple(rewrites)


ORDINAL_DAYS = {
    word: CARDINAL_NAMES[day]
    for day, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
        "twenty-first twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth "
        "twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first".split(),
        start=1,
    )
}
MONTH_WORDS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
VERSION_THEN_MONTH = re.compile(rf"\b\d+\.\d+\.\d{{1,2}} (?:{MONTH_WORDS})\b")


def day_as_number(match: re.Match) -> str:
    return f"{match[1]} point {ORDINAL_DAYS[match[2].lower().replace(' ', '-')]} {match[3]}"


# A row of numbers with slashes: "Auckland 23/16 74/60 14/7" (highs and lows, wins and losses).
SLASHED_PAIR = re.compile(r"(?<![\w/.])\d+/\d+(?![\w/]|\.\d)")
DENOMINATORS = {
    "zeroths": "zero", "firsts": "one", "halves": "two", "seconds": "two", "thirds": "three",
    "quarters": "four", "fourths": "four", "fifths": "five", "sixths": "six",
    "sevenths": "seven", "eighths": "eight", "ninths": "nine", "tenths": "ten",
    "elevenths": "eleven", "twelfths": "twelve", "thirteenths": "thirteen",
    "fourteenths": "fourteen", "fifteenths": "fifteen", "sixteenths": "sixteen",
    "seventeenths": "seventeen", "eighteenths": "eighteen", "nineteenths": "nineteen",
    "twentieths": "twenty", "thirtieths": "thirty", "fortieths": "forty", "fiftieths": "fifty",
    "sixtieths": "sixty", "seventieths": "seventy", "eightieths": "eighty",
    "ninetieths": "ninety",
}  # fmt: skip
FRACTION_READING = rf"\b((?:{NUMBER_WORD} )+?)((?:{TENS}) )?({'|'.join(DENOMINATORS)})\b"


def is_slashed_row(written: str) -> bool:
    return len(SLASHED_PAIR.findall(written)) >= 3


def slashed_pair(match: re.Match) -> str:
    """NeMo's "seventy four sixtieths" as the pair: "seventy four slash sixty"."""
    return f"{match[1]}slash {match[2] or ''}{DENOMINATORS[match[3].lower()]}"


# A four-digit count in a table row, before a share: "Herbert Dürr 2811 0.4%".
COUNT_BEFORE_SHARE = re.compile(r"(?<![\w.,])(\d{4}) [-+]?\d+(?:\.\d+)?%")


def count_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's year reading of such a count ("twenty eight eleven"), as the count."""
    rewrites = []
    for match in COUNT_BEFORE_SHARE.finditer(written):
        value = int(match[1])
        year = year_words(value).replace(" ", "[ -]")
        rewrites.append((rf"\b{year}\b(?= (?:{NUMBER_WORD}|minus|plus))", cardinal_words(value)))
    return tuple(rewrites)


# --- the table -----------------------------------------------------------------------------

ZONES = {
    "ET": "Eastern Time", "EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
    "CT": "Central Time", "CST": "Central Standard Time", "CDT": "Central Daylight Time",
    "MT": "Mountain Time", "MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
    "PT": "Pacific Time", "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
}  # fmt: skip
UNIT_NAMES = {
    "KB": "kilobyte", "MB": "megabyte", "GB": "gigabyte", "TB": "terabyte",
    "Mbps": "megabit per second", "Gbps": "gigabit per second", "mm": "millimeter",
    "ms": "millisecond", "V": "volt", "kW": "kilowatt", "MW": "megawatt", "GW": "gigawatt",
    "kWh": "kilowatt hour", "MWh": "megawatt hour", "GWh": "gigawatt hour", "TWh": "terawatt hour",
    "km": "kilometer", "kph": "kilometer per hour", "km/h": "kilometer per hour",
    "km slash h": "kilometer per hour", "sq km": "square kilometer", "cu ft": "cubic foot",
    "in": "inch", "MP": "megapixel", "g": "gram", "C": "degree celsius", "F": "degree fahrenheit",
    "m": "meter",
}  # fmt: skip
# Letters that are a unit only glued to their number ("41C", "33.8g", "18.6m long").
GLUED_ONLY = frozenset("in g C F m".split())


IRREGULAR_PLURALS = {"foot": "feet", "inch": "inches", "hertz": "hertz", "celsius": "celsius"}


def plural(name: str) -> str:
    """ "megabit per second" -> "megabits per second", "kilowatt hour" -> "kilowatt hours",
    "cubic foot" -> "cubic feet", "degree celsius" -> "degrees celsius"."""
    head, per, rest = name.partition(" per ")
    words = head.split()
    index = 0 if words[0] == "degree" else len(words) - 1
    words[index] = IRREGULAR_PLURALS.get(words[index], words[index] + "s")
    return " ".join(words) + (per + rest if per else "")


# NeMo's symbol after a number becomes the unit's name, as we say it: "one megabyte", "twelve
# megabytes", "thirteen point one megabytes". Only NeMo's side is rewritten: where we leave a
# symbol, we are wrong.
NUMBER_PHRASE = rf"\b((?:{NUMBER_WORD}[ -])*{NUMBER_WORD})"


def unit_name(name: str):
    """The replacement for one symbol: the name, singular after "one" alone."""
    return lambda match: f"{match[1]} {name if match[1].lower() == 'one' else plural(name)}"


UNIT_REWRITES = {
    symbol: (rf"{NUMBER_PHRASE}[ -]{re.escape(symbol)}\b", unit_name(name))
    for symbol, name in UNIT_NAMES.items()
}


def unit_rewrites(written: str) -> tuple[Rewrite, ...]:
    """The rewrites of the symbols the sentence writes after a number ("5 V", "12GB"), and not
    of a letter that ends a code ("SLG46620V"), which is no unit."""
    return tuple(
        rewrite
        for symbol, rewrite in UNIT_REWRITES.items()
        if re.search(unit_after_number(symbol), written, re.IGNORECASE)
    )


def unit_after_number(symbol: str) -> str:
    written = re.escape(symbol).replace(r"\ slash\ ", "/").replace(r"\ ", " ?")
    joiner = "" if symbol in GLUED_ONLY else "[ -]?"
    after = r"(?= (?:long|high|wide|tall|deep))" if symbol == "m" else r"\b"
    return rf"(?<![\w.,])\d[\d.,]*{joiner}{written}{after}"


ZONE_REWRITES = tuple((rf"\b{abbreviation}\b", name) for abbreviation, name in ZONES.items())

# --- tokens NeMo leaves as written or reads as a quantity (session 17) ----------------------


def big_cardinal_words(value: int) -> str:
    """994412063 -> "nine hundred ninety four million four hundred twelve thousand sixty
    three" (no "and": the and-in-numbers convention has taken it out of both readings)."""
    millions, rest = divmod(value, 1_000_000)
    words = [f"{big_cardinal_words(millions)} million"] if millions else []
    if rest or not words:
        words.append(cardinal_words(rest))
    return " ".join(words)


def spoken_forms(value: int) -> str:
    """A pattern of NeMo's readings of a group of digits: a quantity or a year, spaced or
    hyphenated ("nine thousand nine hundred fifteen", "nineteen fifty seven")."""
    forms = {cardinal_words(value), year_words(value)} if value < 10000 else {cardinal_words(value)}
    return "|".join(
        re.escape(form).replace(r"\ ", "[ -](?:and[ -])?") for form in sorted(forms, key=len)[::-1]
    )


def digit_words(digits: str) -> str:
    return " ".join(DIGIT_NAMES[int(d)] for d in digits)


def groups_by_digit(token: re.Pattern) -> Callable[[str], tuple[Rewrite, ...]]:
    """The rewrites of NeMo's readings of each digit group of the tokens (a phone number, an
    ISSN) as a quantity or a year, into their digits; the hyphens NeMo puts between groups go,
    as our commas do."""

    def rewrites(written: str) -> tuple[Rewrite, ...]:
        found = []
        for match in token.finditer(written):
            for group in re.findall(r"\d+", match.group()):
                if len(group) > 1 and not group.startswith("0"):
                    found.append((rf"\b(?:{spoken_forms(int(group))})\b", digit_words(group)))
        # The dash between groups, said "to" once the dash-to convention saw a range.
        joins = (
            (r"(?<=[a-z])-(?=[a-z])", " "),
            (rf"\b({DIGIT_WORD}) to (?={DIGIT_WORD}\b)", r"\1 "),
        )
        return (*found, *joins) if found else ()

    return rewrites


ISSN = re.compile(r"\bISSN \d{4}[-–]\d{3}[\dXx]\b")
# A local number "555-0187" (not a range of round numbers), or an international one.
PHONE = re.compile(
    r"(?<![\w.,-])\d{3}-\d{4}(?![\w-])|\+\d{1,3}(?: \d{1,4}){2,}(?![\w.])|\b1-\d{3}-(?=[A-Z]{3})"
)
# Groups of three digits after spaces, thin spaces or no-break spaces: "714 778", "40 000".
DIGIT_GROUPS = re.compile(
    r"(?<![\w.,+-])\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+(?![\w.,]\d|\w|[ \u2009\u202f\u00a0]\d)"
)


def digit_group_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's reading of "714 778": left as written, or each group read apart ("six hundred
    thirty one one hundred ninety nine..."), as the one number it is."""
    rewrites = []
    for match in DIGIT_GROUPS.finditer(written):
        groups = match.group().split()
        whole = big_cardinal_words(int("".join(groups)))
        apart = "[ -]".join(f"(?:{spoken_forms(int(group))})" for group in groups)
        as_written = r"[ \u2009\u202f\u00a0]".join(groups)  # NeMo may make a thin space plain
        rewrites += [(rf"(?<!\d){as_written}(?!\d)", whole)]
        rewrites += [(rf"\b{apart}\b", whole)]
    return tuple(rewrites)


GLUED_SENTENCE = re.compile(r"(\w+)\.([A-Z][a-z]\w*)")


def glued_sentence_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's "dot" between a sentence and the one glued to it ("said.CreditMichael"), and
    its digit-by-digit year before such a period ("two zero two three dot"), as a sentence's
    end."""
    rewrites = []
    for match in GLUED_SENTENCE.finditer(written):
        before, after = match.groups()
        rewrites.append((rf"\bdot (?={re.escape(after)}\b)", ""))
        if re.fullmatch(r"(?:1[1-9]|20)\d\d", before):
            rewrites.append((rf"\b{digit_words(before)}\b", year_words(int(before))))
    return tuple(rewrites)


# A decimal glued to its unit ("28.2hectares"), or after a plus sign ("+26.3%").
GLUED_DECIMAL = re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?=[A-Za-z])|(?<=\+)(\d+)\.(\d+)\b")


def glued_decimal_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's "two eight dot two" for "28.2hectares", as the decimal it is."""
    rewrites = []
    for match in GLUED_DECIMAL.finditer(written):
        whole, decimals = (match[1], match[2]) if match[1] else (match[3], match[4])
        said = f"{big_cardinal_words(int(whole))} point {digit_words(decimals)}"
        rewrites.append((rf"\b{digit_words(whole)} dot {digit_words(decimals)}\b", said))
    return tuple(rewrites)


DECADE = re.compile(r"(?<![\w.,])['’]?(\d{2}|1[1-9]\d0|20\d0)s\b")


def decade_name(digits: str) -> str:
    """ "1970" -> "nineteen seventies", "2010" -> "twenty tens", "10" -> "tens", "00" (after
    a decade of the 1900s) -> "two thousands"."""
    words = CARDINAL_NAMES[int(digits)] if len(digits) == 2 else year_words(int(digits))
    if digits == "00":
        words = "two thousand"
    last = words.split()[-1]
    return words[: -len(last)] + (last[:-1] + "ies" if last.endswith("y") else last + "s")


def decade_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's "one thousand nine hundred seventy s", "two thousand ten S", "zero zero s",
    "'ten S", as the decade."""
    rewrites = []
    for match in DECADE.finditer(written):
        digits = match[1]
        pattern = (
            digit_words(digits).replace(" ", "[ -]")
            if digits.startswith("0")
            else spoken_forms(int(digits))
        )
        rewrites.append((rf"['’]?\b(?:{pattern})[ -]?s\b", decade_name(digits)))
    if DECADE_RANGE.search(written):  # "1970s-00s": the dash between them is "to"
        rewrites.append((r"(?<=[a-z]s)[ -]*[-–][ -]*(?=[a-z])", " to "))
    return tuple(rewrites)


DECADE_RANGE = re.compile(r"\d0s\s?[-–]\s?['’]?\d+s\b")


ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
IP_ADDRESS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]|\.\d)")


def ip_rewrites(written: str) -> tuple[Rewrite, ...]:
    """NeMo's IP address with commas for its dots ("one three zero, two six, ..."), with
    its dots."""
    rewrites = []
    for match in IP_ADDRESS.finditer(written):
        groups = [digit_words(group) for group in match.group().split(".")]
        rewrites.append((r"\b" + ",? ".join(groups) + r"\b", " dot ".join(groups)))
    return tuple(rewrites)


ROMAN_TOKEN = re.compile(
    r"(?-i:\b(?P<before>(?:[A-Z][a-z]+ ){1,2})(?P<numeral>(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b)"
    r"(?!['’])"
)
# Monarchs' and popes' names, and titles: a numeral after them is the ordinal ("Henry the
# Eighth"); after any other name it is a number ("World War Two", "Saturn Four").
ROYAL_NAMES = frozenset(
    "Elizabeth Charles Henry James George Edward William Mary Richard John Paul Louis Philip "
    "Frederick Benedict Pius Leo Gregory Francis Nicholas Alexander Peter Catherine Victoria "
    "Anne Ferdinand Alfonso Juan Carlos Felipe Gustav Olav Harald Christian Wilhelm Napoleon "
    "Ivan Constantine Innocent Clement Urban Boniface Ramesses Ptolemy".split()
)
# Words after which a numeral counts: "Title V", "Apollo X".
COUNTED = frozenset("Title Phase Part War Chapter Volume Act Apollo Gemini Stage Round".split())
ROYAL_TITLES = frozenset("King Queen Pope Emperor Empress Tsar Czar Kaiser Sultan Prince".split())


def roman_value(numeral: str) -> int:
    values = [ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def roman_reading(match: re.Match) -> str:
    """NeMo's numeral left as written ("Henry VIII", "the Saturn IV"), as said: "Henry the
    eighth" after a monarch's name or title, "Saturn four" after any other name."""
    names, numeral = match["before"].split(), match["numeral"]
    if not numeral or (numeral in ("I", "V", "X") and names[-1] not in ROYAL_NAMES | COUNTED):
        return match.group()  # the pronoun "I", a letter
    value = roman_value(numeral)
    royal = names[-1] in ROYAL_NAMES or names[0] in ROYAL_TITLES
    return (
        f"{match['before']}the {ordinal_name(value)}"
        if royal
        else match["before"] + (CARDINAL_NAMES[value])
    )


def ordinal_name(value: int) -> str:
    """7 -> "seventh", 16 -> "sixteenth", 21 -> "twenty first"."""
    return ordinal_word(re.match(r"(.+)", CARDINAL_NAMES[value]))


CURRENCY_CODES = {"EUR": "euros", "USD": "us dollars", "GBP": "pounds", "JPY": "yen"}
DOLLAR_COUNTRIES = {"C": "canadian", "A": "australian", "NZ": "new zealand", "HK": "hong kong"}
CURRENCY_REWRITES = (
    *((rf"{NUMBER_PHRASE} (?-i:{code})\b", rf"\1 {name}") for code, name in CURRENCY_CODES.items()),
    (rf"\b(?-i:R['’]?s)\.? {NUMBER_PHRASE}", r"\1 rupees"),
    *(
        (rf"\b(?-i:{letters}) dollars? {NUMBER_PHRASE}", rf"\1 {name} dollars")
        for letters, name in DOLLAR_COUNTRIES.items()
    ),
)
PENCE = re.compile(r"(?<![\w.,])(\d{1,2})p\b")


def currency_rewrites(written: str) -> tuple[Rewrite, ...]:
    """The currency names, and "pence" after the sentence's amounts in pence ("92p"), not
    after a video format ("1080p")."""
    pence = tuple(
        (rf"\b({spoken_forms(int(m[1]))}) (?-i:p)\b", r"\1 pence") for m in PENCE.finditer(written)
    )
    # NeMo splits "C$19,213" at its comma: "nineteen,two hundred and thirteen".
    thousands = ((r"(?<=[a-z]),(?=[a-z])", " thousand "),) if THOUSANDS.search(written) else ()
    return (*thousands, *CURRENCY_REWRITES, *pence)


THOUSANDS = re.compile(r"[A-Z]\$\d{1,3},\d{3}\b")


def minus_reading(match: re.Match) -> str:
    """NeMo's "−8", "−29.zero", "−2°F" left with the minus sign, as said."""
    words = f"minus {CARDINAL_NAMES[int(match['whole'])]}"
    if match["decimals"]:
        decimals = match["decimals"]
        words += " point " + (digit_words(decimals) if decimals.isdigit() else decimals)
    if match["unit"]:
        words += " degrees " + {"C": "celsius", "F": "fahrenheit"}[match["unit"]]
    return words


STREET_TYPES = {
    "St": "Street", "Rd": "Road", "Ave": "Avenue", "Ln": "Lane", "Blvd": "Boulevard",
    "Ct": "Court", "Pl": "Place", "Dr": "Drive",
}  # fmt: skip
COMPASS_NAMES = {
    "N": "north", "S": "south", "E": "east", "W": "west",
    "NE": "northeast", "NW": "northwest", "SE": "southeast", "SW": "southwest",
}  # fmt: skip
ADDRESS_REWRITES = (
    # "Main St." after a street's name: Street; "St. Andrews" before a name: Saint.
    (
        rf"(?-i:\b([A-Z][a-z]+) ({'|'.join(STREET_TYPES)})\.?)(?=[\s,;]|$)",
        lambda match: f"{match[1]} {STREET_TYPES[match[2]]}",
    ),
    (r"(?-i:\bSt\. (?=[A-Z]))", "Saint "),
    # "W." or "SW" between a house number and its street: the compass point.
    (
        rf"\b({NUMBER_WORD}) (?-i:({'|'.join(COMPASS_NAMES)}))\.? (?=(?-i:[A-Z]))",
        lambda match: f"{match[1]} {COMPASS_NAMES[match[2]]} ",
    ),
)


MAGNITUDE_LETTERS = {
    "k": "thousand", "m": "million", "b": "billion", "bn": "billion", "tn": "trillion",
}  # fmt: skip

CONVENTIONS = (
    Convention(
        "decades",
        'a decade is said as its years in the plural: "the nineteen seventies", "the mid-twenty '
        'twenties", "the tens"; NeMo reads the number and the letter ("one thousand nine hundred '
        'seventy s", "two thousand twenty s")',
        written=DECADE.pattern,
        nemo=decade_rewrites,
    ),
    Convention(
        "web-prefix",
        'a newsreader gives a web address as "example dot com": no "HTTPS colon slash slash", '
        'no "W W W dot", and no last "slash" when the address ends with one',
        written=r"(?i:https?://|\bwww\.)",
        nemo=(
            (r"\bhttps?(?: colon ?|:)slash slash ?", ""),
            (r"\b(?:www|w w w) dot ", ""),
            # the address's last slash: "... slash RFCMARKUP slash" at its end
            (r"(?<=[a-z]) slash(?=[,.;:\"]*$|[,;:\"]+\s)", ""),
        ),
    ),
    Convention(
        "dash-to",
        'a range or a result is said with "to" ("ten to fifteen percent", "won twenty-four to '
        'seventeen"); NeMo says nothing for the dash, running the numbers together',
        written=dashes_say_to,
        nemo=((rf"\b({NUMBER_WORD}) ?[-–] ?(?={NUMBER_WORD}\b)", r"\1 to "),),
    ),
    Convention(
        "and-in-numbers",
        '"two thousand and six", "one hundred and five": broadcast English says the "and"; '
        "NeMo says it in some numbers and not others",
        written=r"\d",
        nemo=((rf"\b(hundred|thousand) and (?={AFTER_AND})", r"\1 "),),
        ours=((rf"\b(hundred|thousand)[ -]and[ -](?={AFTER_AND})", r"\1 "),),
    ),
    Convention(
        "amount-modifier",
        'an amount before a noun takes the singular, as in speech: "a one point two billion '
        'dollar budget", not "dollars budget"',
        # A determiner or a possessive ("Yahoo's"), and at most one adjective ("its original").
        written=r"(?i:(?:\b(?:a|an|the|its|their|his|her|our)|\w['’]s)(?:\s[a-z]+)?\s[$£€¥]"
        r"[\d.,]+(?:\s?[a-z]+)?\s[a-z]{3,})",
        nemo=(
            (
                rf"\b({CURRENCY_WORDS})s (?=[a-z]{{3,}})(?!{NOT_A_NOUN}\b)",
                r"\1 ",
            ),
        ),
    ),
    Convention(
        "number-sign",
        '"#1" and "No. 1" are "number one" on air; NeMo says "hash one" and "no one"',
        written=r"#\s?\d|\b[Nn]o\.? ?\d",
        nemo=((rf"\b(?:hash|no\.?) (?={NUMBER_WORD}\b)", "number "),),
    ),
    Convention(
        "unit-names",
        'a newsreader says the unit ("twelve gigabytes", "five volts"); NeMo leaves some '
        'symbols for the engine to spell ("twelve GB")',
        written=r"\d",
        nemo=unit_rewrites,
    ),
    Convention(
        "time-zone-names",
        'US time zones are said as names ("nine AM Eastern Time"); NeMo leaves "ET", which '
        'the engine reads as the word "et"',
        written=rf"\b(?:{'|'.join(ZONES)})\b",
        nemo=ZONE_REWRITES,
    ),
    Convention(
        "formatting-marks",
        "a list's bullet, a reference's caret and a shell's prompt at the start of a line are "
        'layout: a newsreader does not read them; NeMo says "asterisk", "circumflex", "dollar"',
        written=r"^\s*[*•^]+\s|^\$\s+[a-z]",
        nemo=((r"^\s*(?:(?:asterisk|circumflex|bullet)\s+)+", ""), (r"^dollar (?=[a-z])", "")),
    ),
    Convention(
        "oh-in-numbers",
        'a phone number or a ZIP code is read digit by digit with "oh" for 0 ("two oh two, five '
        'five five"), as American newsreaders say them; NeMo says "zero"',
        written=r"\d{3}[-.]\d{4}\b|\+\d{1,3}[ -]\d|\(\d{3}\)|\b(?:ZIP|[Zz]ip)\b"
        r"|, [A-Z][A-Za-z.]+ \d{5}\b",
        ours=((rf"\boh\b(?=,? {DIGIT_WORD}\b|[,.;:)]|$| (?:or|and|with|to|for|is)\b)", "zero"),),
    ),
    Convention(
        "numbers-in-pairs",
        "a number that names a thing is read in pairs of digits, as a newsreader says it: "
        '"Boeing seven thirty-seven", "A three twenty", "ten eighty p", "nine fifty-four AD"; '
        "NeMo reads it as a quantity",
        written=named_numbers_in_pairs,
        nemo=pairs_rewrites,
    ),
    Convention(
        "hours-on-the-hour",
        'a 24-hour time on the hour is "seventeen hundred" on air, and "00:00" is "midnight"; '
        'NeMo says "seventeen o\'clock", "zero o\'clock"',
        written=r"\b(?:1[3-9]|2[0-3]|00):00\b",
        nemo=(
            (
                r"\b(thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[ -]"
                r"(?:one|two|three))?) o'clock",
                r"\1 hundred",
            ),
            (r"\bzero o'clock\b", "midnight"),
        ),
    ),
    Convention(
        "range-unit-once",
        'a range says its unit once, after both numbers: "eleven to sixteen percent", "four to '
        'nine euros"; NeMo says it after each ("eleven percent-sixteen percent")',
        written=r"\d\s?(%|[A-Za-z]+(?:/h)?)\s?[-–]\s?\d[\d.,]*\s?\1(?!\w)|([$€£])\d[\d.,]*[-–]\2\d",
        nemo=(
            (
                rf"\b({NUMBER_WORD}) ([a-z]+(?: (?:per|slash) [a-z]+)?) ?(?:[-–]|to) ?"
                rf"(?=(?:{NUMBER_WORD}[ -])*{NUMBER_WORD} \2\b)",
                r"\1 to ",
            ),
            (
                rf"\b({NUMBER_WORD} to (?:{NUMBER_WORD}[ -])*{NUMBER_WORD} [a-z]+) per h\b",
                r"\1 per hour",
            ),
        ),
    ),
    Convention(
        "title-names",
        '"Ms." is said "Miz" (NeMo: "miss"); "Mrs." is "missus", which NeMo spells "misses"',
        written=r"\bMr?s\.",
        # Only the titles, before a name: "misses Zhang", not "she misses him".
        nemo=((r"\bmisses(?= (?-i:[A-Z]))", "missus"), (r"\bmiss(?= (?-i:[A-Z]))", "miz")),
    ),
    Convention(
        "money-and",
        '"four dollars and ninety-nine cents": broadcast English joins the units and the cents '
        'with "and"; NeMo leaves it out',
        written=r"[$£€]\d+\.\d\d\b",
        ours=(
            (r"\b(dollars?|pounds?|euros?) and (?=(?:\S+ ){0,2}(?:cents?|pence|penny)\b)", r"\1 "),
        ),
    ),
    Convention(
        "dotted-numbers",
        'a version or a section number is said with "point" between its numbers ("one point '
        'eight point three", "eight point x", "one point seven point x"); NeMo reads its first '
        'dot as the end of a sentence ("one. eight point three") and leaves a last ".x"',
        written=r"(?<![\w.])\d+\.\d+\.\d+(?![\w]|\.\d)|(?<![\w.])\d+(?:\.\d+)*\.x\b",
        nemo=(
            (rf"\b({NUMBER_WORD})\. (?=(?-i:{NUMBER_WORD}|x)\b)", r"\1 point "),
            (rf"\b({NUMBER_WORD})\.x\b", r"\1 point x"),
        ),
    ),
    Convention(
        "isbn-digits",
        'an ISBN is read digit by digit, group by group, as any identifier is ("nine seven '
        'eight, zero, one four..."); NeMo reads some groups as quantities ("nine hundred '
        'seventy eight-zero-fourteen")',
        written=ISBN.pattern,
        nemo=isbn_rewrites,
    ),
    Convention(
        "issn-digits",
        'an ISSN is read digit by digit, as an ISBN is ("ISSN one one seven nine, five zero '
        'eight five"); NeMo reads its groups as a year and a quantity ("eleven seventy '
        'nine-five thousand and eighty five")',
        written=ISSN.pattern,
        nemo=groups_by_digit(ISSN),
    ),
    Convention(
        "arithmetic",
        'between numbers "^", "*" and "=" are said as arithmetic: "two to the power of '
        'twenty-eight", "sixty times sixty-one", "equals"; NeMo names the characters '
        '("circumflex", "asterisk", "equal sign")',
        written=r"\d\s*[\^*=]\s*\(?\d",
        nemo=(
            (rf"\b({NUMBER_WORD}) circumflex (?={NUMBER_WORD}\b)", r"\1 to the power of "),
            (rf"\b({NUMBER_WORD}) asterisk (?=\(?{NUMBER_WORD}\b)", r"\1 times "),
            (rf"\b({NUMBER_WORD}) equal sign (?={NUMBER_WORD}\b)", r"\1 equals "),
        ),
    ),
    Convention(
        "equals-sign",
        '"=" in a setting or a comparison is read "equals" ("charset equals UTF-8", "level '
        'equals six"), as one reads it aloud; NeMo names the character ("equal sign")',
        written=r"[\w\"')\]] ?= ?[\w\"'(]",
        nemo=((r"\bequal sign\b", "equals"),),
    ),
    Convention(
        "currency-magnitude-letters",
        '"$150K", "$4k", "$7/month" are "a hundred and fifty thousand dollars", "four thousand '
        'dollars", "seven dollars per month"; NeMo says the currency first and leaves the '
        'letter or the slash ("dollar one hundred fifty K", "dollar seven slash month")',
        written=r"[$£€¥]\d[\d.,]*(?:[kKmMbB]\b|bn\b|tn\b|/[a-z])",
        nemo=(
            *(
                (
                    rf"\b({CURRENCY_WORDS})s? ((?:{NUMBER_WORD}[ -])*{NUMBER_WORD}) {letter}\b",
                    rf"\2 {magnitude} \1s",
                )
                for letter, magnitude in MAGNITUDE_LETTERS.items()
            ),
            (
                rf"\b((?:{NUMBER_WORD}[ -])*{NUMBER_WORD}) ({CURRENCY_WORDS})s?\."
                rf"((?:{DIGIT_WORD} )*{DIGIT_WORD}) (bn|tn|m|k|b)\b",
                lambda m: f"{m[1]} point {m[3]} {MAGNITUDE_LETTERS[m[4]]} {m[2]}s",
            ),
            (
                rf"\bdollar ((?:{NUMBER_WORD}[ -])*{NUMBER_WORD}) slash (?=[a-z])",
                r"\1 dollars per ",
            ),
        ),
    ),
    Convention(
        "slashed-rows",
        'three pairs and more with slashes in a row ("Auckland 23/16 74/60 14/7": highs and '
        'lows, wins and losses) are pairs, said with "slash"; NeMo reads each as a fraction '
        '("seventy four sixtieths")',
        written=is_slashed_row,
        nemo=((FRACTION_READING, slashed_pair),),
    ),
    Convention(
        "counts-before-shares",
        'a four-digit number before a percentage in a table row ("Herbert Dürr 2811 0.4%") is a '
        'count: "two thousand eight hundred and eleven"; NeMo reads it as a year ("twenty eight '
        'eleven")',
        written=COUNT_BEFORE_SHARE.pattern,
        nemo=count_rewrites,
    ),
    Convention(
        "protocol-versions",
        'a protocol\'s version is said with "point": "HTTP one point one"; NeMo leaves the dot '
        'between its words ("HTTP/one.one"), which a voice does not say',
        written=r"\b[A-Z]{2,6}/\d+\.\d+\b",
        nemo=((rf"\b({NUMBER_WORD})\.(?={NUMBER_WORD}\b)", r"\1 point "),),
    ),
    Convention(
        "slash-names",
        '"9/11", "24/7", "7/7", "50/50" are names and idioms, said "nine eleven", "twenty-four '
        'seven", "fifty-fifty"; NeMo reads them as fractions ("nine elevenths")',
        written=r"(?<![\w/])(?:" + "|".join(SLASH_NAMES) + r")(?![\w/])",
        nemo=((r"\b(elevenths|sevenths|fiftieths)\b", lambda m: DENOMINATOR_NAMES[m[1].lower()]),),
    ),
    Convention(
        "ordinal-before-hyphen",
        'an ordinal joined to a word ("20th-century", "10th-largest") is "twentieth-century"; '
        'NeMo reads the number and the letters apart ("twenty th-century")',
        written=r"\d(?:st|nd|rd|th)-[a-z]",
        nemo=((rf"\b((?:{NUMBER_WORD} )*{NUMBER_WORD}) (?:st|nd|rd|th)(?=-)", ordinal_word),),
    ),
    Convention(
        "plural-numbers",
        'a round number in the plural ("HTTP 500s") is "five hundreds"; NeMo spells its "s" as a '
        'letter ("five hundred S")',
        written=r"(?<![\w.,])[1-9]0{2,}s\b",
        nemo=((r"\b(hundred|thousand) (?-i:S)\b", r"\1s"),),
    ),
    Convention(
        "letters-and-letters",
        '"Q&A", "R&D" are the letters with "and" between them; NeMo runs them into a word '
        '("QANDA")',
        written=r"\b[A-Z]&[A-Z]\b",
        nemo=((r"\b(?-i:([A-Z])AND([A-Z]))\b", r"\1 and \2"),),
    ),
    Convention(
        "number-compounds",
        'a number joined to a word ("106-year-old", "10,000-word") is said as the number; NeMo '
        'reads it digit by digit ("one zero six, year old") or splits it at its comma ("ten,zero '
        'zero zero-word")',
        written=COMPOUND.pattern,
        nemo=compound_rewrites,
    ),
    Convention(
        "currency-after-amount",
        'the currency is said after an amount joined to words: "a one hundred nineteen dollar-a-'
        'year program", "sixteen-something dollars"; NeMo says it first ("dollar one hundred '
        'nineteen-a-year")',
        written=r"[$£€]\d[\d.,]*-[a-z]",
        nemo=(
            (
                rf"\b(dollar|pound|euro) ((?:{NUMBER_WORD}[ -])*{NUMBER_WORD})-(a|an|per)-",
                r"\2 \1-\3-",
            ),
            (
                rf"\b(dollar|pound|euro) ((?:{NUMBER_WORD}[ -])*{NUMBER_WORD})-"
                r"(something|odd|ish|plus)\b",
                r"\2-\3 \1s",
            ),
        ),
    ),
    Convention(
        "measure-modifier",
        'a measure before a noun takes the singular, as an amount does: "a three point five '
        'millimeter headphone jack"; NeMo says "millimeters headphone jack"',
        written=r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur)(?:\s[a-z]+)?\s\d[\d.,]*"
        r"\s?(?:mm|cm|km|m|kg|g|mg|in|ft|lb|GB|MB|TB|W|kW|MW|V)\s[a-z]{3,}",
        nemo=(
            (
                r"\b(millimeter|centimeter|kilometer|meter|kilogram|gram|milligram|inch|foot|"
                r"pound|gigabyte|megabyte|terabyte|watt|kilowatt|megawatt|volt)(?:s|es)? "
                rf"(?=[a-z]{{3,}})(?!{NOT_A_NOUN}\b)",
                r"\1 ",
            ),
        ),
    ),
    Convention(
        "tilde-about",
        '"~11:30" is "about eleven thirty", the word a newsreader uses; NeMo says "approximately"',
        written=r"~\s?\d",
        nemo=((r"\bapproximately ?", "about "),),
    ),
    Convention(
        "dimensions-by",
        'two numbers with an "x" between them are a size, said "by" ("eighteen hundred by '
        'nineteen twenty"); NeMo says the letter when they stand apart',
        written=r"(?<![\w.])(?!0x[0-9A-Fa-f]{2})\d[\d.,]* ?[x×] ?\d",
        # Not a hex number's "zero x" ("0x08").
        nemo=((rf"\b(?!zero\b)({NUMBER_WORD}) [x×] (?={NUMBER_WORD}\b)", r"\1 by "),),
    ),
    Convention(
        "times-more",
        '"10x more" is "ten times more", "50x the average" "fifty times the average", as a '
        "newsreader says a multiple before a comparative or what it multiplies; NeMo says the "
        'letter ("ten x more")',
        written=rf"\d[x×] (?:{COMPARATIVES}|the|as)\b",
        nemo=((rf"\b({NUMBER_WORD}) x (?=(?:{COMPARATIVES}|the|as)\b)", r"\1 times "),),
    ),
    Convention(
        "identifiers-by-digit",
        "a code's number of five digits and more is read digit by digit (\"S-L-G four six six "
        'two zero V"), as NeMo reads it standing alone ("the 46620"); glued to letters NeMo '
        'reads it as a quantity ("SLG forty six thousand six hundred twenty V")',
        written=GLUED_IDENTIFIER.pattern,
        nemo=identifiers_by_digit,
    ),
    Convention(
        "utc-timestamps",
        'a timestamp with zero seconds and the offset "+00" is said as a time in UTC '
        '("seventeen fifty-six UTC"): zero seconds go unsaid and "+00" is UTC; NeMo reads what '
        'follows the minutes as digits ("seventeen fifty six: zero zero plus zero zero")',
        written=r"\b\d{1,2}:\d{2}:00\+00\b",
        nemo=((r": zero zero plus zero zero\b", " UTC"),),
    ),
    Convention(
        "contents-leaders",
        "the dots that lead a table of contents' line to its page number are layout; the page is "
        'a number ("References, twenty-one"); NeMo reads it as decimals ("References point two '
        'one")',
        written=LEADER_PAGE.pattern,
        nemo=leader_rewrites,
    ),
    Convention(
        "closing-quotes",
        'a quotation mark after a number that closes a quoted title ("Statistics 2010") is '
        'punctuation, not inches; NeMo reads "two thousand ten inches"',
        written=lambda written: bool(closing_quotes(written)),
        nemo=quote_rewrites,
    ),
    Convention(
        "version-before-month",
        'a version number before a month ("4.2.4 May 2014", a release and its date) is read as '
        'a version ("four point two point four, May"); NeMo reads its last number as the day '
        '("four point two. the fourth of May")',
        written=VERSION_THEN_MONTH.pattern,
        nemo=(
            (
                rf"\b({NUMBER_WORD})\. the ([a-z]+(?:[ -][a-z]+)?) of ({MONTH_WORDS})\b",
                day_as_number,
            ),
        ),
    ),
    Convention(
        "glued-decimals",
        'a decimal glued to its unit or after a plus sign is the number: "twenty-eight point two '
        'hectares", "plus twenty-six point three percent"; NeMo reads its digits and "dot" ("two '
        'eight dot two hectares", "plus two six dot three percent")',
        written=GLUED_DECIMAL.pattern,
        nemo=glued_decimal_rewrites,
    ),
    Convention(
        "ip-dots",
        'an IP address is read with its dots: "one three zero dot two six dot one two one dot two '
        'four two", as NeMo reads some ("one four dot one seven six..."); in others NeMo drops '
        'them ("one three zero, two six, ...")',
        written=IP_ADDRESS.pattern,
        nemo=ip_rewrites,
    ),
    Convention(
        "index-names",
        'the FTSE 100 is "the FTSE hundred" on air, as the issue says; NeMo says "one hundred"',
        written=r"\bFTSE 100\b",
        nemo=((r"(?<=FTSE )one hundred\b", "hundred"),),
    ),
    Convention(
        "glued-sentences",
        'a period between a sentence and the one glued to it ("an official said.CreditMichael '
        'Appleton", "in 2023.CreditJeon") ends the sentence; NeMo says "dot" ("said dot '
        'CreditMichael", "two zero two three dot")',
        written=GLUED_SENTENCE.pattern,
        nemo=glued_sentence_rewrites,
    ),
    Convention(
        "roman-numerals",
        'a Roman numeral is said: "Henry the Eighth", "Elizabeth the Second" after a monarch, '
        '"World War Two", "the Saturn Four" after other names; NeMo leaves "VIII", "IV" for the '
        "engine to spell",
        written=ROMAN_TOKEN.pattern,
        nemo=((ROMAN_TOKEN.pattern, roman_reading),),
    ),
    Convention(
        "digit-groups",
        'digits grouped with spaces are one number: "714 778" is "seven hundred fourteen '
        'thousand seven hundred seventy eight", "631 199 989" "six hundred thirty one million..."; '
        "NeMo leaves them as written or reads each group apart",
        written=DIGIT_GROUPS.pattern,
        nemo=digit_group_rewrites,
    ),
    Convention(
        "phone-digits",
        'a phone number is read digit by digit, group by group: "five five five, nine oh six '
        'two", "plus four four, two oh, ..."; NeMo reads a local or an international number as '
        'quantities ("five hundred fifty five-nine thousand sixty two", "plus forty four twenty")',
        written=PHONE.pattern,
        nemo=groups_by_digit(PHONE),
    ),
    Convention(
        "street-abbreviations",
        'a street\'s type and a compass point are said in full: "Main Street", "Market Lane", '
        '"fifty-four eighty West Church Road", and "St." before a name is "Saint" ("Saint '
        'Andrews"); NeMo leaves "St.", "Ln.", "W." for the engine',
        written=r"[A-Z][a-z]+ (?:St|Rd|Ave|Ln|Blvd|Ct|Pl|Dr)\.|\bSt\. [A-Z]"
        r"|\d (?:[NSEW]\.|NE|NW|SE|SW) [A-Z]",
        nemo=ADDRESS_REWRITES,
    ),
    Convention(
        "state-abbreviations",
        'a state\'s abbreviation after a city is the state: "Columbus, Washington", "Albany, '
        'California"; NeMo leaves "Wash.", "Calif." for the engine',
        written=r"[A-Z][a-z]+, (?:" + "|".join(re.escape(a) for a in STATES) + r")",
        nemo=tuple(
            (rf"(?<=, )(?-i:{re.escape(abbreviation.rstrip('.'))})\.?(?=[\s,;]|$)", name)
            for abbreviation, name in STATES.items()
        ),
    ),
    Convention(
        "currency-names",
        'a currency is said by its name after the amount: "five hundred fifty three euros", '
        '"ninety two pence", "one hundred eighty six rupees", "one hundred thirty Canadian '
        'dollars"; NeMo leaves "EUR", "p", "Rs" for the engine and says "C dollar one hundred"',
        written=r"\d\s?(?:EUR|USD|GBP|JPY)\b|\b\d{1,2}p\b|\bRs\.? \d|\b(?:C|A|NZ|HK)\$\d",
        nemo=currency_rewrites,
    ),
    Convention(
        "and-a-quarter",
        'a mixed number is said with "a": "two and a quarter cups", "three and a half"; NeMo '
        'says "two and one quarter"',
        written=r"\d ?(?:[¼½¾]|1/[234]\b)",
        nemo=((r"\band one (quarter|half|third)\b", r"and a \1"),),
    ),
    Convention(
        "minus-sign",
        'the minus sign "−" (U+2212) is said "minus": "minus eight degrees Celsius", "minus '
        'twenty nine point zero percent"; NeMo leaves "−8", "−2°F" for the engine',
        written=r"−\d|(?<![\w-])-\d",
        nemo=(
            (rf"(?<![\w-])-(?={NUMBER_WORD}\b)", "minus "),
            (
                rf"−(?P<whole>\d{{1,2}})(?:\.(?P<decimals>\d+|{DIGIT_WORD}(?: {DIGIT_WORD})*))?"
                r"(?: ?°(?P<unit>[CF]))?",
                minus_reading,
            ),
            (
                r"(?<=minus )((?:\w+ )*?\w+) degree (?-i:([CF]))\b",
                lambda m: f"{m[1]} degrees " + {"C": "celsius", "F": "fahrenheit"}[m[2]],
            ),
        ),
    ),
    Convention(
        "an-before-vowels",
        'the article before a number said with a vowel is "an": "an eighty four-minute delay", '
        '"an eight point three million euro fine"; NeMo keeps the written "a" ("a eighty four")',
        written=r"\b[Aa] [$€£¥]?(?:8|11|18)",
        nemo=((r"\ba (?=(?:eight|eleven|eighteen|eighty)\b)", "an "),),
    ),
    Convention(
        "leading-zero-days",
        'a day written with a leading zero is said as the day: "as at the first of February '
        'twenty eleven", "on the third of May"; NeMo reads the zero ("zero one february")',
        written=r"\b0[1-9] (?:January|February|March|April|May|June|July|August|September"
        r"|October|November|December)\b",
        nemo=(
            (
                rf"\bzero ({DIGIT_WORD}) (?=(?:{MONTH_WORDS})\b)",
                lambda m: f"the {ordinal_name(CARDINAL_NAMES.index(m[1].lower()))} of ",
            ),
        ),
    ),
)


def adjust(written: str, nemo: str, ours: str, conventions=CONVENTIONS) -> tuple[str, str]:
    """Both readings with every convention's rewrites applied, in table order."""
    for convention in conventions:
        nemo, ours = convention.apply(written, nemo, ours)
    return nemo, ours
