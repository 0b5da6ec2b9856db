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

Rewrite = tuple[str, str | Callable[[re.Match], str]]  # (pattern, replacement) for re.sub


@dataclass(frozen=True)
class Convention:
    """One deliberate difference: rewrites that make NeMo's and our reading of it the same."""

    name: str
    reason: str
    written: str | Callable[[str], bool]  # the sentences it is about
    nemo: tuple[Rewrite, ...] = ()  # run on NeMo's reading
    ours: tuple[Rewrite, ...] = ()  # run on audiogen's reading

    def applies(self, written: str) -> bool:
        if callable(self.written):
            return self.written(written)
        return re.search(self.written, written) is not None

    def apply(self, written: str, nemo: str, ours: str) -> tuple[str, str]:
        if not self.applies(written):
            return nemo, ours
        return rewrite(self.nemo, nemo), rewrite(self.ours, ours)


def rewrite(rules: tuple[Rewrite, ...], text: str) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


# --- dashes between numbers: a range or a result, not a model number or a label ------------

DASHED = re.compile(
    r"(?<![\w./,-])(\d{1,3}(?:,\d{3})+|\d+)\s?[-–]\s?(\d{1,3}(?:,\d{3})+|\d+)(?![\w/-]|[.,]\d)"
)
RESULT_WORDS = re.compile(
    r"(?i:\b(?:won|lost|beat|beating|defeated|drew|draw|win|victory|defeat|ended|finished|"
    r"led|trailed|score|scored|result)\b)"
)
SET_SCORES = re.compile(r"\b[0-7]-[0-7],?\s[0-7]-[0-7]\b")


def is_range(first: str, second: str) -> bool:
    """'10-15', '200-299', '2019-20': the second number is the larger ("737-8" is not), and
    the two are not a local phone number's three and four digits ("555-0187", "555-6143")."""
    first, second = first.replace(",", ""), second.replace(",", "")  # "1,400-1,600"
    if len(first) == 3 and len(second) == 4:
        return False
    if len(first) == 4 and len(second) == 2:
        return int(second) > int(first[2:])
    return int(second) > int(first)


def is_result(written: str, start: int) -> bool:
    """A score after a result word a few words back: "won 24-17", "a 3-1 victory"."""
    before = written[max(0, start - 30) : start]
    after = written[start : start + 30]
    return bool(RESULT_WORDS.search(before) or RESULT_WORDS.search(after.split(",")[0]))


def dashes_say_to(written: str) -> bool:
    """Every number-dash-number in the sentence is a range or a result, and none a set of a
    tennis score ("6-4, 6-3"), which is said "six-four"."""
    dashes = list(DASHED.finditer(written))
    if not dashes or SET_SCORES.search(written):
        return False
    return all(is_range(*dash.groups()) or is_result(written, dash.start()) for dash in dashes)


# --- numbers that name things, read in pairs of digits --------------------------------------

# A 3- or 4-digit number that names something, where a newsreader reads its digits in pairs:
# glued to letters ("A320", "RFC7231", "F-150"), a video format ("1080p"), a year with its era
# ("954 AD", "AD 803"), after a name in the middle of a sentence ("the Xbox 360", "US 101").
NOT_AFTER = r"(?!\d|[.,]\d)"  # the number's end: "RFC7231," but not "737.5"
PAIRED_CONTEXTS = re.compile(
    rf"[A-Za-z]-?(\d{{3,4}}){NOT_AFTER}|(?<![\w.,])(\d{{3,4}})[pi]\b"
    r"|(?<![\w.,])(\d{3,4}) ?(?:AD|BCE?|CE)\b"
    rf"|\b(?:AD|BC) (\d{{3,4}}){NOT_AFTER}"
    r"|(?<=[a-z,;] )(?:the )?(?!(?:Day|Page|Chapter|Number|No|Top|Volume|Vol|Week|Year|Room)\b)"
    r"[A-Z][A-Za-z&]* (\d{3,4})(?![\d.,%]| ?[\d%(])"
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


def named_numbers_in_pairs(written: str) -> bool:
    """Every 3- or 4-digit number of the sentence that is no year names a thing."""
    numbers = {m.start() for m in NUMBER_3_4.finditer(written) if not is_a_year(m.group())}
    paired = {m.start(i) for m in PAIRED_CONTEXTS.finditer(written) for i in range(1, 6) if m[i]}
    return bool(numbers) and numbers <= paired


def is_a_year(digits: str) -> bool:
    return len(digits) == 4 and 1100 <= int(digits) <= 2099


def cardinal_value(phrase: str) -> int:
    """ "seven hundred and thirty seven" -> 737."""
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
    "km": "kilometer",
}  # fmt: skip


def plural(name: str) -> str:
    first, _, rest = name.partition(" ")
    return f"{first}s {rest}".strip()


# NeMo's symbol after a number becomes the unit's name, as we say it: "one megabyte", "twelve
# megabytes", "thirteen point one megabytes". Only NeMo's side is rewritten: where we leave a
# symbol, we are wrong.
NUMBER_PHRASE = rf"\b((?:{NUMBER_WORD}[ -])*{NUMBER_WORD})"


def unit_name(name: str):
    """The replacement for one symbol: the name, singular after "one" alone."""
    return lambda match: f"{match[1]} {name if match[1].lower() == 'one' else plural(name)}"


UNIT_REWRITES = tuple(
    (rf"{NUMBER_PHRASE}[ -]{symbol}\b", unit_name(name)) for symbol, name in UNIT_NAMES.items()
)
ZONE_REWRITES = tuple((rf"\b{abbreviation}\b", name) for abbreviation, name in ZONES.items())

CONVENTIONS = (
    Convention(
        "web-prefix",
        'a newsreader gives a web address as "example dot com": no "HTTPS colon slash slash", '
        'no "W W W dot"',
        written=r"(?i:https?://|\bwww\.)",
        nemo=((r"\bhttps? colon slash slash ?", ""), (r"\b(?:www|w w w) dot ", "")),
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
                rf"\b({CURRENCY_WORDS})s (?=[a-z]{{3,}})"
                r"(?!(?:of|in|for|a|an|and|to|worth|people|was|were|is|are)\b)",
                r"\1 ",
            ),
        ),
    ),
    Convention(
        "number-sign",
        '"#1" and "No. 1" are "number one" on air; NeMo says "hash one" and "no one"',
        written=r"#\d|\b[Nn]o\.? ?\d",
        nemo=((rf"\b(?:hash|no\.?) (?={NUMBER_WORD}\b)", "number "),),
    ),
    Convention(
        "unit-names",
        'a newsreader says the unit ("twelve gigabytes", "five volts"); NeMo leaves some '
        'symbols for the engine to spell ("twelve GB")',
        written=r"\d",
        nemo=UNIT_REWRITES,
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
        "a list's bullet and a reference's caret at the start of a line are layout: a newsreader "
        'does not read them; NeMo says "asterisk", "circumflex"',
        written=r"^\s*[*•^]+\s",
        nemo=((r"^\s*(?:(?:asterisk|circumflex|bullet)\s+)+", ""),),
    ),
    Convention(
        "oh-in-numbers",
        'a phone number or a ZIP code is read digit by digit with "oh" for 0 ("two oh two, five '
        'five five"), as American newsreaders say them; NeMo says "zero"',
        written=r"\d{3}[-.]\d{4}\b|\+\d{1,3}[ -]\d|\(\d{3}\)|\b(?:ZIP|[Zz]ip)\b"
        r"|, [A-Z][A-Za-z.]+ \d{5}\b",
        ours=((rf"\boh\b(?=,? {DIGIT_WORD}\b|[,.;:)]|$)", "zero"),),
    ),
    Convention(
        "numbers-in-pairs",
        "a number that names a thing is read in pairs of digits, as a newsreader says it: "
        '"Boeing seven thirty-seven", "A three twenty", "ten eighty p", "nine fifty-four AD"; '
        "NeMo reads it as a quantity",
        written=named_numbers_in_pairs,
        nemo=((CARDINAL_PHRASE.pattern, in_pairs),),
    ),
    Convention(
        "hours-on-the-hour",
        'a 24-hour time on the hour is "seventeen hundred" on air; NeMo says "seventeen o\'clock"',
        written=r"\b(?:1[3-9]|2[0-3]):00\b",
        nemo=(
            (
                r"\b(thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[ -]"
                r"(?:one|two|three))?) o'clock",
                r"\1 hundred",
            ),
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
)


def adjust(written: str, nemo: str, ours: str, conventions=CONVENTIONS) -> tuple[str, str]:
    """Both readings with every convention's rewrites applied, in table order."""
    for convention in conventions:
        nemo, ours = convention.apply(written, nemo, ours)
    return nemo, ours
