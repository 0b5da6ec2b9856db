"""Model numbers, names with a number, and codes of letters and digits, read as a newsreader
reads them: in pairs of digits, the letters as letters.

    "Boeing 737", "the FTSE 100"   -> "Boeing seven thirty-seven", "the FTSE hundred"
    "a 737-8 jet", "the 737-800"   -> "a seven thirty-seven eight jet", "seven thirty-seven
                                      eight hundred" (a variant, not a range)
    "F-150", "S-400", "U-235"      -> "F-one fifty", "S-four hundred", "U-two thirty-five"
    "A320", "CX5", "8K", "720p"    -> "A three twenty", "CX five", "eight K", "seven twenty p"
    "401(k)", "501(c)(3)"          -> "four oh-one K", "five oh-one C three"
    "Bug 1681512", "H.264"         -> "Bug one six eight one five one two", "H dot two six four"
    "978-0-478-32436-5"            -> "nine seven eight, zero, four seven eight, ..."

A number of three or four digits right after a name names something ("Flight 370", "Section
230", "the Nikkei 225"), unless the word is one that counts ("Day 301", "Page 300") or an era
("AD 803"), it starts a sentence (where any word has a capital: "Nearly 300 people", "Call
911"; a name in capitals such as "FTSE 100" is still one, and so are "Section", "Flight"...),
a count follows it (a table's row: "Chris Sherlock 396 1.8%") or the line is in title case,
where capitals say nothing ("Russia Fires 120 Drones"). Five digits and more after a name are
an identifier, read digit by digit.

Two stages: EARLY reads tokens of letters and digits ("A320", "Uint8Array") before the rules
that read words in context, so that the words it sets apart are seen by them in the same
pass (idempotence); a number with a unit, a time, an ordinal or a scale ("5km", "5pm", "21st",
"10k") it leaves to its rule. RULES come after money, measures, times and dates: model
numbers, names with numbers, and what no other rule read ("10k" -> "ten k"). The letters of a
code are left to the acronym rule after, which writes them in the form espeak spells ("CX" ->
"C.X").
"""

from __future__ import annotations

import re

from audiogen.normalize import abbreviations
from audiogen.normalize.dates import MONTH_NAMES, MONTHS, WEEKDAYS
from audiogen.normalize.measures import FULL_UNITS, JOINED_UNITS, UNITS
from audiogen.normalize.numbers import (
    DIGIT_WORDS,
    READ_WORD,
    cardinal,
    digit_by_digit,
    is_identifier,
    is_year,
    paired_words,
    plural,
)
from audiogen.normalize.rules import DIGITS, Rule, needing, rule

# Nouns that name a thing by its number, even where they start a sentence: "Section 230".
NAMING_WORDS = frozenset(
    "Section Article Title Rule Resolution Flight Highway Route Interstate Room Gate Terminal "
    "Platform Bus Line Studio Building Hangar Runway Pier Model Series Class".split()
)
# Capitalised words after which a number is a count, not a name's number.
COUNTING_WORDS = frozenset(
    "Day Days Week Weeks Month Months Year Years Page Pages Round Rounds Game Games Match Stage "
    "Lap Laps Mile Miles Hour Hours Minute Minutes Episode Episodes Season Volume Vol Number "
    "Verse Item Step Level Grade Group Top Only Just Some Nearly About Over Under Around "
    "Almost Roughly Approximately Exactly Another".split()
)
# An era before a year: "AD 803" is the year eight hundred and three.
ERAS = frozenset("AD BC BCE CE".split())
_NOT_NAMES = COUNTING_WORDS | ERAS | set(MONTH_NAMES) | set(MONTHS) | set(WEEKDAYS)
# Letters that the abbreviation rules read as words wherever they stand ("Co", "St", "aka"),
# and those they read before a period ("Jr.", "vs.", "Mr."): a code's letters must not become
# either once the code is read apart ("Main Co5" -> "Main Co five" -> "Main Company five").
_BARE_ABBREVIATIONS = frozenset(
    [*abbreviations.AFTER_A_NAME, *abbreviations.ALWAYS_AFTER_A_NAME]
    + [written for written in abbreviations.ABBREVIATIONS if not written.endswith(".")]
    + [*MONTH_NAMES, *MONTHS, *WEEKDAYS]  # "0May 1": "zero May 1" is a date next time
    + [*abbreviations.POSTAL_STATES, *abbreviations.POSTAL_STATES.values()]  # "R-Texas0"
    + [state.rstrip(".") for state in abbreviations.STATES]
    + ["NE", "NW", "SE", "SW"]  # "Street NW5"
)
_DOTTED_ABBREVIATIONS = frozenset(
    written.rstrip(".").replace(".", "")
    for table in (
        abbreviations.TITLES,
        abbreviations.PLURAL_TITLES,
        abbreviations.SUFFIXES,
        abbreviations.ABBREVIATIONS,
        abbreviations.BEFORE_A_NUMBER,
        abbreviations.BEFORE_A_NUMBER_WORDS,
    )
    for written in table
) | {"vs", "v"}

_LONG_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(—–]\s*)$")
_MAKER_BEFORE = re.compile(r"\b[A-Z][\w-]* $")
# A number after it, in digits or already read ("396 1.8%" is "396 one point eight percent"
# by now): a table's row of counts.
_COUNT_AFTER = re.compile(
    r"\s+(?:[-+−]?[0-9.,]*[0-9]|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|minus)\b)"
)
_NUMBER_WORD_BEFORE = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty|hundred|"
    r"thousand|illion|zero|oh)-$"
)
_DIGITS_THEN_LETTERS = re.compile(r"([0-9]+)([A-Za-z]+)")
_NUMBER_BY_NUMBER = re.compile(r"[0-9]+[xX×][0-9]+")
# The letters after a number that a later rule reads with it: units, times, ordinals, decades,
# scales, eras, a timestamp's zone ("5km", "40C", "5pm", "21st", "1990s", "3x", "10k", "500BC",
# "1400GMT", "09:05:30Z").
_OWNED = (
    frozenset(unit.lower() for table in (UNITS, JOINED_UNITS) for unit in table)
    | set(
        "m am pm a st nd rd th s x k b bn mn mln bln tn trn t bc ad bce ce gmt utc hrs z "
        "sq cu".split()
    )
    | {unit.lower() for unit in FULL_UNITS}
)
_PERIOD_THEN_TEXT = re.compile(r"\.(?![\s\"'”’)\]]*$)")
_PARTS = re.compile(r"\(([A-Za-z0-9]{1,3})\)")
_RUNS = re.compile(r"[0-9]+|[^0-9]+")
_ORDINAL_OR_PLURAL = re.compile(r"[0-9]+(?:st|nd|rd|th|s)", re.IGNORECASE)


def named_number(match: re.Match) -> str:
    """ "Boeing 737" -> "Boeing seven thirty-seven", "the FTSE 100" -> "the FTSE hundred",
    "Bug 1681512" -> "Bug one six eight one five one two"."""
    name, number = match["name"], match["number"]
    counted = _COUNT_AFTER.match(match.string, match.end()) is not None
    if number == "101" and name not in _NOT_NAMES and not counted:
        return f"{name} one oh-one"  # "Marketing 101", an introduction, even in a headline
    if not names_a_thing(match, name) or counted:
        return match.group(0)  # "Chris Sherlock 396 1.8%": a table's count
    if len(number) > 4:
        return f"{name} {digit_by_digit(number)}"
    return f"{name} {'hundred' if number == '100' else paired_words(number)}"


def names_a_thing(match: re.Match, name: str) -> bool:
    if name in _NOT_NAMES or name.endswith(("'s", "’s")):
        return False
    if name[1:].islower() and name not in NAMING_WORDS and starts_sentence(match):
        return False  # "Nearly 300", "Call 911": any word is capitalised there
    return not in_title_case(match.string)


def starts_sentence(match: re.Match) -> bool:
    return _SENTENCE_START.search(match.string, 0, match.start()) is not None


def in_title_case(text: str) -> bool:
    """ "Russia Fires 120 Drones at Kyiv": a headline whose capitals mark no names."""
    words = _LONG_WORD.findall(text)
    capitalised = sum(word[0].isupper() for word in words)
    return len(words) >= 3 and capitalised >= 0.75 * len(words)


def standard_name(match: re.Match) -> str:
    """ "802.11n", "802.11ac" (a standard and its amendment) -> "eight oh-two dot eleven N",
    "eight oh-two dot eleven A.C": as engineers and newsreaders say them."""
    letters = ".".join(match["letters"].upper())
    return f"{paired_words(match['number'])} dot {cardinal(match['part'])} {letters}"


def model_variant(match: re.Match) -> str:
    """ "737-8" -> "seven thirty-seven eight", "A321-200", "Boeing 737-800" -> "... seven
    thirty-seven eight hundred": a model and its variant; "1990-5", "500-10", "112-104" and
    "125-200" are not."""
    number, variant = match["number"], match["variant"]
    if number.endswith("0") or is_year(number) or not is_variant(match, number, variant):
        return match.group(0)
    return f"{paired_words(number)} {cardinal(variant)}"


def is_variant(match: re.Match, number: str, variant: str) -> bool:
    """One digit; or hundreds, below the model's number or after a maker's name."""
    if len(variant) == 1:
        return True
    if not variant.endswith("00"):
        return False
    return int(variant) < int(number) or _MAKER_BEFORE.search(before(match)) is not None


def before(match: re.Match) -> str:
    return match.string[max(0, match.start() - 30) : match.start()]


def hyphenated_code(match: re.Match) -> str:
    """ "F-150" -> "F-one fifty", "MiG-29s" -> "MiG-twenty-nines"; but not after a number
    already read ("555-0123s" is "five hundred and fifty-five-0123s" by now)."""
    if _NUMBER_WORD_BEFORE.search(match.string, max(0, match.start() - 12), match.start()):
        return match.group(0)
    words = paired_words(match["number"])
    return plural(words) if match["plural"] else words


def parenthesised_code(match: re.Match) -> str:
    """ "401(k)" -> "four oh-one K", "501(c)(3)" -> "five oh-one C three"."""
    parts = [paired_words(match["number"])]
    parts += [
        part.upper() if part.isalpha() else cardinal(part)
        for part in _PARTS.findall(match["parts"])
    ]
    return " ".join(parts)


def digit_groups(match: re.Match) -> str:
    """ "978-0-478-32436-5" (an ISBN, a serial number) -> "nine seven eight, zero, four seven
    eight, three two four three six, five": three groups and more, seven digits and more ("4-4-2"
    is a team's formation), by their digits; an ISBN's check letter "X" as a letter."""
    groups = re.split(r"[-–]", match.group(0))
    if sum(len(group) for group in groups) < 7:
        return match.group(0)
    return ", ".join(group.upper() if group in "Xx" else digit_by_digit(group) for group in groups)


def ends_an_abbreviation(match: re.Match, last: str) -> bool:
    """ "1990vs.", "12Mr. Smith", "8K. Then": the last letters and the period after them would
    read, once apart, as an abbreviation or an initial that ends there."""
    if not last.isalpha() or not match.string.startswith(".", match.end()):
        return False
    period_then_text = _PERIOD_THEN_TEXT.match(match.string, match.end()) is not None
    return last in _DOTTED_ABBREVIATIONS or period_then_text


def letter_dot_number(match: re.Match) -> str:
    """ "H.264" (a standard) -> "H dot two six four", as engineers and NeMo say it."""
    return f"{match['letter']} dot {digit_by_digit(match['number'])}"


def letters_and_digits(match: re.Match) -> str:
    """ "A320" -> "A three twenty", "8K" -> "eight K", "H5N1" -> "H five N one"; "747s" ->
    "seven forty-sevens", "Uint8Array" -> "Uint eight Array". A code whose letters are an
    abbreviation another rule reads ("5Co", "1990vs.") is left as written."""
    code = match.group(0).replace(",", "")  # "1,440p"
    if _ORDINAL_OR_PLURAL.fullmatch(code) and not code.endswith(("s", "S")):
        return match.group(0)  # "21st": the ordinal rule's
    if code[-1] in "sS" and code[:-1].isdigit():
        return plural(paired_words(code[:-1]))
    runs = _RUNS.findall(code)
    if any(run in _BARE_ABBREVIATIONS for run in runs) or ends_an_abbreviation(match, runs[-1]):
        return match.group(0)  # "5Co", "1990vs.": read apart, the next pass would read them
    return " ".join(code_digits(run) if run.isdigit() else run for run in runs)


def code_digits(digits: str) -> str:
    """A code's number: in pairs ("A320"), or digit by digit when it is an identifier's five
    digits and more ("SLG46620V"), as the same number standing alone is read."""
    return digit_by_digit(digits) if is_identifier(digits) else paired_words(digits)


def hexadecimal(match: re.Match) -> str:
    """ "0x08" -> "zero-x zero eight", "0x1F" -> "zero-x one F": a hex number's digits are no
    quantity in tens, so each is read alone, its letters as letters. (The hyphen keeps "zero
    x zero" from the rule that reads an "x" between numbers as "times".)"""
    digits = match["hex"]
    return "zero-x " + " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c.upper() for c in digits)


def code_before_the_rules(match: re.Match) -> str:
    """`letters_and_digits`, before the rules that read words in context: read apart later,
    "0The Co." would be "zero The Co." for the abbreviation rule to read on a second pass.
    A number with a unit, a time, an ordinal or a scale ("5km", "5pm", "21st", "10k") is left
    to its rule (and to `letters_and_digits` after, if none reads it)."""
    code = match.group(0).replace(",", "")
    if code in UNITS or code.lower() in _OWNED:
        return match.group(0)  # "km2": a unit, for the measure rule
    suffix = _DIGITS_THEN_LETTERS.fullmatch(code)
    if suffix and (suffix[2].lower() in _OWNED or (suffix[2] == "p" and int(suffix[1]) < 100)):
        return match.group(0)
    if _NUMBER_BY_NUMBER.fullmatch(code):
        return match.group(0)  # "4x4": the measure rule's "four by four"
    return letters_and_digits(match)


_NAME = r"(?P<name>[A-Z][\w&]*(?:['’]s)?)"
_END = r"(?![\w]|[.,:/][0-9]|[-–][0-9])"

# A token of letters and digits: "A320", "8K", "1,440p"; before a possessive ("elmo666's"), a
# hyphen and a word ("2n2-dimensional") or a script's ".js" ("D3.js"), but not inside a longer
# code ("A1-B2", "v1.2"), nor before a word that a rule may have read from digits or a symbol
# ("kg555-0123" is "kg555-zero one two three" after one pass, and must be left so by the next).
# After a small letter and a hyphen, only a code that starts with a letter ("Cortex-A53"): a
# number there may be the end of one read already ("five-0123the", on a second pass).
_CODE = r"(?=[A-Za-z0-9])(?<![\w.,@/'’])(?:(?<![0-9a-z]-)|(?=[A-Za-z]))(?=[A-Za-z]*[0-9])"
_CODE += r"(?=[0-9,]*[A-Za-z])"
_CODE += r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?=[A-Za-z]))?[A-Za-z0-9]+"
_CODE += r"(?![\w@]|\.(?!js\b)[A-Za-z0-9]|-(?![a-z])|-" + READ_WORD
_CODE += r"|['’](?![sS]\b)[A-Za-z0-9]|:/)"

# Codes of letters and digits, read apart before the rules that read words in context.
_LETTER_BY_DIGIT = r"[A-Za-z][0-9]|[0-9][A-Za-z]"  # the guard: what every code has
_HEXADECIMAL = rule(r"(?=0)(?<![\w.,])0x(?P<hex>[0-9A-Fa-f]{2,})(?![\w])", hexadecimal, needs="x")
EARLY: tuple[Rule, ...] = (
    _HEXADECIMAL,
    rule(_CODE, code_before_the_rules, needs=DIGITS, guard=_LETTER_BY_DIGIT),
)
RULES: tuple[Rule, ...] = needing(
    DIGITS,
    _HEXADECIMAL,  # again: "No.0x1F" is "number 0x1F" by now
    rule(
        r"(?=[0-9])(?<![\w.,\-–])[0-9]{1,6}(?:[-–][0-9]{1,6}){2,}(?:[-–][0-9Xx])?(?![\w\-–]|[.,][0-9])",
        digit_groups,
        guard=r"[0-9][-–][0-9]+[-–][0-9]",
    ),
    rule(
        r"(?=[0-9])(?<![\w.,])(?P<number>[1-9][0-9]{2})\.(?P<part>[0-9]{1,2})"
        r"(?P<letters>[a-z]{1,2})(?![\w.-])",
        standard_name,
        guard=r"[0-9]\.[0-9]{1,2}[a-z]",
    ),
    # An ISSN, two groups of four ("ISSN 2324-5913"), by its digits as an ISBN is.
    rule(
        r"(?=[0-9])(?<=\bISSN )[0-9]{4}[-–][0-9]{3}[0-9Xx](?![\w\-–]|[.,][0-9])",
        digit_groups,
        guard=r"ISSN [0-9]",
    ),
    # An ISBN-13 with one hyphen: "978-1476668413" (not a range).
    rule(
        r"(?=9)(?<![\w.,\-–])97[89][-–][0-9]{9}[0-9Xx](?![\w\-–]|[.,][0-9])",
        digit_groups,
        guard=r"97[89][-–][0-9]{10}",
    ),
    rule(
        r"(?=[0-9])(?<![\w.,])(?P<number>[0-9]{1,4})(?P<parts>(?:\([A-Za-z0-9]{1,3}\))+)(?![\w(])",
        parenthesised_code,
        guard=r"[0-9]\(",
    ),
    rule(
        r"(?=[0-9])(?<![\w.,\-–])(?P<number>[1-9][0-9]{2,3})[-–](?P<variant>[0-9]{1,3})" + _END,
        model_variant,
        guard=r"[0-9]{3}[-–][0-9]",
    ),
    rule(
        r"(?=[0-9])(?<=[A-Za-z]-)(?<![0-9]s-)(?P<number>[0-9]{1,4})(?P<plural>s)?" + _END,
        hyphenated_code,
        guard=r"[A-Za-z]-[0-9]",
    ),
    rule(
        r"(?=[A-Z])(?<![\w'’.-])" + _NAME + r" (?P<number>[1-9][0-9]{2,})" + _END,
        named_number,
        guard=r"[\w&] [1-9][0-9]{2}",
    ),
    rule(
        r"(?=[A-Z])(?<![\w.])(?P<letter>[A-Z])\.(?P<number>[0-9]{3})(?![\w.]|,[0-9])",
        letter_dot_number,
        guard=r"[A-Z]\.[0-9]",
    ),
    rule(_CODE, letters_and_digits, guard=_LETTER_BY_DIGIT),
)
