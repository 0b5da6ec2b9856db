"""Abbreviations, titles, US states and dotted initialisms.

Most of these exist because of one espeak habit: a period after an abbreviation followed by a
capital ("Dr. Smith", "U.S. President", "Calif. (AP)") ends the sentence there, with a pause and
a falling tone. So the spoken text has no such period: the abbreviation is written out, or the
initialism loses its last dot (espeak still spells "U.A.E").
"""

from __future__ import annotations

import re

from audiogen.normalize.rules import (
    DIGITS,
    Rule,
    alternation,
    ends_text,
    first,
    initials,
    keep_final_period,
    rule,
)

# Readings no rule derives: a symbol inside a name, a number that is a name.
FIXED = {
    "AT&T": "A.T and T",  # "AT" alone is the word "at"
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
    "7/7": "seven seven",
    "50/50": "fifty-fifty",
    "Wall St.": "Wall Street",  # a street before a capital ("Wall St. Journal"): not a Saint
    "Ph.D.": "PhD",  # espeak reads the dotted form's "h.D" as "aitch dot dee"
    "Ph.D": "PhD",
}

# Abbreviations that stand before a name.
TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Messrs": "Messieurs",
    "Dr": "Doctor",
    "Prof": "Professor",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Maj": "Major",
    "Capt": "Captain",
    "Cmdr": "Commander",
    "Sgt": "Sergeant",
    "Cpl": "Corporal",
    "Pvt": "Private",
    "Adm": "Admiral",
    "Sen": "Senator",
    "Rep": "Representative",
    "Gov": "Governor",
    "Pres": "President",
    "Atty": "Attorney",
    "Amb": "Ambassador",
    "Supt": "Superintendent",
    "Insp": "Inspector",
    "Det": "Detective",
    "Hon": "Honorable",
    "Rev": "Reverend",
    "Fr": "Father",
    "Msgr": "Monsignor",
    "St": "Saint",
    "Mt": "Mount",
    "Ft": "Fort",
}
# Titles that stand before a name and nothing else (not "St." or "Dr.", which may be a street).
ALWAYS_TITLES = ("Mr", "Mrs", "Ms", "Messrs")
PLURAL_TITLES = {
    "Sens": "Senators",
    "Reps": "Representatives",
    "Gens": "Generals",
    "Govs": "Governors",
    "Drs": "Doctors",
    "Profs": "Professors",
}
SUFFIXES = {"Jr": "Junior", "Sr": "Senior"}  # espeak spells "Jr." out as letters

# After a name: "Main St.", "Fifth Ave.", "Ford Motor Co.". "St" and "Dr" stand before a name
# too (Saint, Doctor): they are read as Street and Drive only when no name follows, or when
# the next word opens a sentence ("on Oak St. The house").
AFTER_A_NAME = {"St": "Street", "Dr": "Drive"}
STREET_TYPES = {
    "Ave": "Avenue",
    "Blvd": "Boulevard",
    "Rd": "Road",
    "Hwy": "Highway",
    "Pkwy": "Parkway",
    "Sq": "Square",
    "Ln": "Lane",
    "Pl": "Place",
    "Ct": "Court",
    "Ter": "Terrace",
    "Cir": "Circle",
}
# Words that open a sentence and are no name: after "Oak St." they end it there.
SENTENCE_OPENERS = frozenset(
    "The A An He She It They We I You This That These Those There His Her Its Their Our My In "
    "On At By For From With After Before But And Or So Yet Then Now Police Officials Nobody "
    "No None Nothing Some Many Most Several".split()
)
ALWAYS_AFTER_A_NAME = {
    **STREET_TYPES,
    "Inc": "Incorporated",
    "Corp": "Corporation",
    "Ltd": "Limited",
    "Co": "Company",
    "Bros": "Brothers",
}

# Read wherever they stand. The period is part of the abbreviation.
ABBREVIATIONS = {
    "etc.": "et cetera",
    "approx.": "approximately",
    "e.g.": "for example",
    "i.e.": "that is",
    "a.k.a.": "also known as",
    "aka": "also known as",
    "incl.": "including",
    "Dept.": "Department",
    "Univ.": "University",
    "Assn.": "Association",
    "gov't": "government",
    "Gov't": "Government",
    "int'l": "international",
    "Int'l": "International",
    "nat'l": "national",
    "Nat'l": "National",
}
# Read only before a number: "est. 500" (but "est." alone may be "established").
BEFORE_A_NUMBER = {"No.": "number", "Nos.": "numbers", "no.": "number", "#": "number"}
BEFORE_A_NUMBER_WORDS = {"est.": "estimated", "ca.": "circa", "c.": "circa"}

# US states as AP style abbreviates them (datelines, "Springfield, Ill.", party tags).
STATES = {
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Tex.": "Texas",  # not AP's, but common in older and British copy
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wisc.": "Wisconsin",
    "Wyo.": "Wyoming",
}
# Postal codes, and the names AP never shortens: party tags use them ("R-TX", "R-Texas").
POSTAL_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
UNABBREVIATED_STATES = ("Alaska", "Hawaii", "Idaho", "Iowa", "Maine", "Ohio", "Texas", "Utah")
# Postal codes that are also words ("OK", "IN", "HI"...), or a city ("LA"): a state after a
# city only before a ZIP code ("Tulsa, OK 74103").
WORD_LIKE_POSTAL = frozenset("OK OH HI IN ME LA".split())
PARTIES = {"D": "Democrat", "R": "Republican", "I": "Independent"}

# Dotted initialisms written so that espeak says them right ("US" is "you ess", not "us").
INITIALISMS = {
    "U.S.": "US",
    "U.S.A.": "USA",
    "U.K.": "UK",
    "U.N.": "UN",
    "E.U.": "EU",
    "D.C.": "DC",
    **{dotted: name for dotted, name in STATES.items() if dotted.count(".") == 2},  # N.Y.
}


def state_name(written: str) -> str:
    """ "Calif." / "Calif" / "CA" / "Texas" -> the state's name."""
    return (
        STATES.get(written)
        or STATES.get(written + ".")
        or POSTAL_STATES.get(written)
        or INITIALISMS.get(written + ".", written)
    )


_STATE = alternation([*STATES, *(s.rstrip(".") for s in STATES)])
_TAG_STATE = alternation(
    [*STATES, *(s.rstrip(".") for s in STATES), *POSTAL_STATES, *UNABBREVIATED_STATES]
)


def fixed(match: re.Match) -> str:
    return FIXED[match.group(0)] + keep_final_period(match)


def party_tag(match: re.Match) -> str:
    """ "D-Calif." -> "Democrat of California"."""
    spoken = f"{PARTIES[match['party']]} of {state_name(match['state'])}"
    return spoken + keep_final_period(match)


def state_after_city(match: re.Match) -> str:
    """ "Springfield, Ill., police said" -> "Springfield, Illinois, police said"."""
    return state_name(match["state"]) + keep_final_period(match)


def postal_state_after_city(match: re.Match) -> str:
    """ "Austin, TX, is" -> "Austin, Texas, is"; "Tulsa, OK 74103"; "Helena, MT drew"; but
    "Well, OK, fine" and "a passport, ID, and" (no city before)."""
    state = match["state"]
    city = _CITY_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
    if city is None or (state in WORD_LIKE_POSTAL and not match["zip"]):
        return match.group(0)
    return POSTAL_STATES[state]


def after_a_name(match: re.Match) -> str:
    """ "Main St." -> "Main Street", "Ford Motor Co." -> "Ford Motor Company"; but "St.
    Louis" (a name follows) is left to the title rule, and "the St." to nobody."""
    abbreviation = match["abbr"]
    before = match.string[max(0, match.start() - 40) : match.start()]
    if _NAME_BEFORE.search(before) is None:
        return match.group(0)
    if abbreviation in AFTER_A_NAME and _NAME_AFTER.match(match.string, match.end()):
        return match.group(0)
    spoken = AFTER_A_NAME.get(abbreviation) or ALWAYS_AFTER_A_NAME[abbreviation]
    return spoken + (period_kept(match) if match.group(0).endswith(".") else "")


def period_kept(match: re.Match) -> str:
    """The abbreviation's period, where it also ends the sentence: at the end, or before a
    capital after a street ("Maple Ave. Nobody saw"), or before a word that opens a sentence
    ("Apple Inc. The company"); not in "Apple Inc. Chief Executive Tim Cook"."""
    if ends_text(match):
        return "."
    following = _NEXT_WORD.match(match.string, match.end())
    if following is None or not following.group(1).istitle():
        return ""  # "Pennsylvania Ave. NW": a quadrant, no sentence
    street = match["abbr"] in STREET_TYPES
    return "." if street or following.group(1) in SENTENCE_OPENERS else ""


def title(match: re.Match) -> str:
    """ "Dr. Smith" -> "Doctor Smith", "St. Louis" -> "Saint Louis"; but "Oak St. The house"
    is a street that ends a sentence."""
    abbreviation = match["title"]
    if abbreviation in AFTER_A_NAME and ends_a_street(match):
        return AFTER_A_NAME[abbreviation] + "."
    return TITLES[abbreviation]


def ends_a_street(match: re.Match) -> bool:
    before = match.string[max(0, match.start() - 40) : match.start()]
    following = _NEXT_WORD.match(match.string, match.end())
    return (
        _NAME_BEFORE.search(before) is not None
        and following is not None
        and following.group(1) in SENTENCE_OPENERS
    )


def plural_title(match: re.Match) -> str:
    return PLURAL_TITLES[match["title"]]


def suffix(match: re.Match) -> str:
    return SUFFIXES[match["suffix"]] + keep_final_period(match)


def before_a_number(match: re.Match) -> str:
    return BEFORE_A_NUMBER[match["abbr"]] + " "


def number_word(match: re.Match) -> str:
    """ "Vol 12, No 41" -> "Vol 12, number 41"."""
    return "number "


def before_a_number_word(match: re.Match) -> str:
    return BEFORE_A_NUMBER_WORDS[match["abbr"]]


def versus(match: re.Match) -> str:
    return "versus"


def abbreviation(match: re.Match) -> str:
    return ABBREVIATIONS[match["abbr"]] + keep_final_period(match)


def initialism(match: re.Match) -> str:
    """ "U.S." -> "US"; others keep their dots but the last (espeak still spells them out)."""
    written = match.group(0)
    if written in INITIALISMS:
        return INITIALISMS[written] + keep_final_period(match)
    if match.string.startswith(("'", "’"), match.end()):
        return written  # "U.A.E.'s": espeak reads it right, and "U.A.E's" it would not
    return written[:-1] + keep_final_period(match)


def initial(match: re.Match) -> str:
    """ "George W. Bush" -> "George W Bush"."""
    return match["letter"]


# A name (or "5th") just before: "Main St.", "5th Ave.", and "Ave. St." (one pass reads both).
_NAME_BEFORE = re.compile(r"(?<![\w'’.-])(?:[A-Z][\w'’.-]*|[0-9]+(?:st|nd|rd|th)) $")
# What follows a title or an initial: a name, or a number that a later rule may turn into one
# ("Mr. 12/25" -> "December"): both read the same on a second pass.
_NEXT = r"[A-Z0-9]"
_AFTER_A_NAME_ABBREVIATIONS = {**AFTER_A_NAME, **ALWAYS_AFTER_A_NAME}
_AFTER_A_NAME = initials(_AFTER_A_NAME_ABBREVIATIONS) + r"(?<= )(?P<abbr>"
# Not the start of a hyphenated word: "Economic Co-operation".
_AFTER_A_NAME += alternation(_AFTER_A_NAME_ABBREVIATIONS) + r")\.?(?![\w]|-[A-Za-z])"
_NAME_AFTER = re.compile(r"\s+" + _NEXT)
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_CITY_BEFORE = re.compile(r"\b[A-Z][a-z]+, $")

RULES: tuple[Rule, ...] = (
    rule(
        initials(FIXED) + r"(?<![\w&/])(?:" + alternation(FIXED) + r")(?![\w&/])",
        fixed,
        needs="&/.",
    ),
    rule(
        first("DRI") + r"(?<![\w.-])(?P<party>[DRI])-(?P<state>" + _TAG_STATE + r")(?![\w])",
        party_tag,
        needs="-",
    ),
    rule(
        initials(STATES) + r"(?<=[^\W\d_], )(?P<state>" + alternation(STATES) + r")(?=[\s,;:)]|$)",
        state_after_city,
        needs=".",
    ),
    rule(
        initials(POSTAL_STATES)
        + r"(?<=[^\W\d_], )(?P<state>"
        + alternation(POSTAL_STATES)
        + r")(?=[,;:)]|\.?$|\.\s|(?P<zip> [0-9]{5}(?:-[0-9]{4})?\b)| [a-z])",
        postal_state_after_city,
        needs=",",
    ),
    # Before the rules that look for a name: "U.S. Co." -> "US Company" in one pass.
    rule(r"(?=[A-Z])(?<![\w.])(?:[A-Z]\.){2,}(?![A-Za-z.])", initialism, needs="."),
    rule(r"(?=[A-Z])(?<![\w.])(?P<letter>[A-Z])\.(?=\s+" + _NEXT + ")", initial, needs="."),
    rule(
        initials(TITLES)
        + r"\b(?P<title>"
        + alternation(TITLES)
        + r")\.(?=\s+(?:&\s+)?"
        + _NEXT
        + ")",
        title,
        needs=".",
    ),
    # "Mr. integrity", "Mrs. nice", "Mr. $5": these titles are never last, whatever follows
    # them (a word, or what a later rule makes a word of).
    rule(
        initials(ALWAYS_TITLES) + r"\b(?P<title>" + alternation(ALWAYS_TITLES) + r")\.(?=\s*\S)",
        title,
        needs=".",
    ),
    rule(
        initials(PLURAL_TITLES)
        + r"\b(?P<title>"
        + alternation(PLURAL_TITLES)
        + r")\.(?=\s+"
        + _NEXT
        + ")",
        plural_title,
        needs=".",
    ),
    rule(
        _AFTER_A_NAME,
        after_a_name,
        needs="ABCDHILPRS",
    ),
    rule(initials(SUFFIXES) + r"\b(?P<suffix>" + alternation(SUFFIXES) + r")\.", suffix, needs="."),
    rule(
        initials(BEFORE_A_NUMBER)
        + r"(?<![\w.])(?P<abbr>"
        + alternation(BEFORE_A_NUMBER)
        + r")\s?(?=[0-9])",
        before_a_number,
        needs=DIGITS,
    ),
    # "No" without its period, inside a sentence before a number: a citation's "Vol 3, No 41",
    # "Issue No 3". At a sentence's start it may be the word ("No 5 players were hurt").
    rule(r"(?=N)(?<=[\w,;:(] )No ?(?=[0-9])", number_word, needs=DIGITS),
    rule(
        initials(BEFORE_A_NUMBER_WORDS)
        + r"(?<![\w.])(?P<abbr>"
        + alternation(BEFORE_A_NUMBER_WORDS)
        + r")(?=\s?[$£€0-9])",
        before_a_number_word,
        needs=DIGITS,
    ),
    rule(r"(?=v)(?:\bvs\.|\bv\.(?=\s+[A-Z]))", versus, needs="."),
    rule(
        initials(ABBREVIATIONS)
        + r"(?<![\w.])(?P<abbr>"
        + alternation(ABBREVIATIONS)
        + r")(?![\w])",
        abbreviation,
    ),
)
