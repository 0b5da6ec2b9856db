import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.normalize import abbreviations, dates, drop_dateline, measures, money, normalize
from audiogen.normalize import times as clock

CASES_FILE = Path(__file__).parent / "normalize_cases.tsv"


def load_cases(path: Path = CASES_FILE) -> list:
    """The case suite: (class, written, spoken, language, known_failing) for each line."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, written, spoken, *rest = line.split("\t")
        notes = rest[0].split() if rest else []
        language = "en-GB" if "en-GB" in notes else "en"
        cases.append((kind, written, spoken, language, "known-failing" in notes))
    return cases


CASES = load_cases()


def as_params(cases) -> list:
    params = []
    for kind, written, spoken, language, known_failing in cases:
        marks = [pytest.mark.xfail(strict=True, reason="known-failing")] if known_failing else []
        params.append(pytest.param(written, spoken, language, id=f"{kind}: {written}", marks=marks))
    return params


def test_the_suite_is_large_and_covers_every_class():
    classes = {case[0] for case in CASES}
    assert len(CASES) >= 300
    assert classes >= set(
        "cardinal decimal percent fraction ordinal range year century money date weekday time "
        "timezone measure title abbreviation party state initialism acronym roman phone url "
        "email handle hashtag symbol dateline".split()
    )
    assert sum(case[4] for case in CASES) <= 10  # known failures stay few


@pytest.mark.parametrize(("written", "spoken", "language"), as_params(CASES))
def test_case(written, spoken, language):
    assert normalize(written, language) == spoken


@pytest.mark.parametrize(
    ("written", "spoken", "language"), as_params(case for case in CASES if not case[4])
)
def test_spoken_forms_are_fixed_points(written, spoken, language):
    assert normalize(spoken, language) == spoken


def test_other_languages_are_only_whitespace_normalised():
    assert normalize(" Am 25.  Dezember 2022 ", "de") == "Am 25. Dezember 2022"


def test_all_number_dates_follow_the_language():
    assert normalize("1/2/2023") == "January second, twenty twenty-three"
    assert normalize("1/2/2023", "en-US") == "January second, twenty twenty-three"
    assert normalize("1/2/2023", "en-GB") == "the first of February twenty twenty-three"
    assert normalize("1/2/2023", "en_AU") == "the first of February twenty twenty-three"


@pytest.mark.parametrize(
    ("paragraph", "rest"),
    [
        ("KYIV, Ukraine (AP) — Russian forces fired.", "Russian forces fired."),
        ("NEW YORK (Reuters) - Stocks fell.", "Stocks fell."),
        ("LONDON, Dec 25 (Reuters) - Britain said.", "Britain said."),
        ("SPRINGFIELD, Ill. (AP) — Police said.", "Police said."),
        ("  WASHINGTON — The president spoke.", "The president spoke."),
        ("NATO — the alliance said.", "NATO — the alliance said."),
        ("Russian forces fired — again.", "Russian forces fired — again."),
        ("", ""),
    ],
)
def test_drop_dateline(paragraph, rest):
    assert drop_dateline(paragraph) == rest


TRICKY = [
    "",
    " ",
    "\n\t",
    ".",
    "...",
    "?!",
    "$",
    "£",
    "%",
    "&",
    "Dec.",
    "Dec. ",
    "U.",
    "U.S..",
    "p.m.",
    "-",
    "−",
    "$.",
    "$,",
    "$1,",
    "1,2345",
    "1.2.3",
    "10**30",
    str(10**30),
    "$" + str(10**30),
    str(10**30) + "%",
    str(10**30) + "th",
    "99:99",
    "25:00 PM",
    "0 pm",
    "0:00",
    "Dec. 0",
    "Feb. 31, 0000",
    "2/31/2022",
    "2022-02-31",
    "日本語のテキスト",
    "٣ ١٢ １２",
    "naïve café — “quoted” ‘text’…",
    "emoji 🎉 5 🎉",
    "\x00\x01",
    "A. B. C.",
    "$$5",
    "5$",
    "%%5%%",
    "&&&",
    "IMF. The",
    "XKCD. Next",
    "the U.A.E.'s",
    "NGOs.",
    "@",
    "#",
    "http://",
    "a@b",
    "—",
    "KYIV —",
    "Henry I I I",
    "½½",
]


@pytest.mark.parametrize("text", TRICKY)
def test_never_raises_and_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


# --- properties -------------------------------------------------------------------------------

# Words the normaliser reads out in full, so that they are not in its output as written: a unit
# after a number ("km" -> "kilometers"), a time zone, a currency code, a Roman numeral...
READ_OUT = {
    word.lower()
    for table in (
        measures.UNITS,
        measures.JOINED_UNITS,
        clock.ZONES,
        money.CODES,
        money.CURRENCIES,
        money.SCALE_ABBREVIATIONS,
        money.PER,
        dates.WEEKDAYS,
        abbreviations.AFTER_A_NAME,
        abbreviations.ALWAYS_AFTER_A_NAME,
        abbreviations.ABBREVIATIONS,
    )
    for word in table
} | {"x", "m", "pct", "hrs", "www", "https", "http"}
_ROMAN = re.compile(r"(?:WW)?[IVXLCDM]+|WW[12]?")
_SPELLING_DOTS = re.compile(r"(?<=[A-Z])\.(?=[A-Z])|(?<=[A-Z])\.'(?=s)")  # "N.G.O.'s": NGOs


def kept(word: str, spoken: str) -> bool:
    """Whether a word with letters is still in the spoken text, as written or read out."""
    if word.lower() in READ_OUT or _ROMAN.fullmatch(word):
        return True
    return word.lower() in _SPELLING_DOTS.sub("", spoken).lower()


def assert_keeps_every_word(text: str, spoken: str) -> None:
    for word in text.split():
        if word.isalpha():
            assert kept(word, spoken), (word, text, spoken)


def test_random_mixtures_are_idempotent_and_keep_every_word():
    pieces = [
        *"$£€%&.,-–−:'’\"“”() ",
        *["1", "0", "12", "2024", "1990", "85,000", "3.5", "Dec.", "Sept.", "May", "U.S."],
        *["A.", "p.m.", "PM", "th", "s", "bn", "billion", "Mr.", "No.", "vs.", "the", "The"],
        *["é", "日本", "٣", "\n"],
    ]
    generator = random.Random(7)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        once = normalize(text)
        assert normalize(once) == once, text
        assert_keeps_every_word(text, once)


WORDS = [
    *"the The said on in at of and a an was is to by from since until between".split(),
    *"Kyiv Zelensky Biden Ukraine Russia China Washington Moscow Beijing Wang Yi".split(),
    *"I A X May US us PM AM IT IS WHO NATO IMF BBC CIA EU UN AP UAE NGO NGOs CEO XKCD".split(),
    *"MIX CIVIL DIV II III VIII LVII IV Henry Elizabeth Pope John Paul".split(),
    *"World War Super Bowl".split(),
    *"Mr. Mrs. Dr. Gen. Sen. Rep. St. Ave. No. vs. etc. approx. e.g. Jr. Co. Inc.".split(),
    *"Dec. Sept. Jan. Mon. Tues. Fri. Main Fifth Wall".split(),
    *"U.S. U.K. E.U. U.N. D.C. U.A.E. N.Y. D-Calif. R-Texas Calif. Ill.".split(),
    *"p.m. a.m. pm am ET EST GMT UTC noon midnight".split(),
    *"km kg mph lb °C °F MW sq ft km/h bn billion million percent cents BC AD".split(),
    *"KYIV NEW YORK (AP) (Reuters) — WWII COVID-19".split(),
    *"https://www.example.com/a-b example.com news@example.org".split(),
    *"@ZelenskyyUa #StandWithUkraine".split(),
]


def formatted_number(n: int) -> str:
    return f"{n:,}"


NUMBERS = st.one_of(
    st.integers(-(10**7), 10**13).map(str),
    st.integers(0, 10**9).map(formatted_number),
    st.tuples(st.integers(0, 10**6), st.sampled_from(["0", "5", "25", "125", "09"])).map(
        lambda t: f"{t[0]}.{t[1]}"
    ),
    st.tuples(st.integers(1, 2100), st.sampled_from(["st", "nd", "rd", "th"])).map(
        lambda t: f"{t[0]}{t[1]}"
    ),
    st.integers(1000, 2099),
    st.sampled_from(["1990s", "'90s", "’80s", "2000s", "2022-23", "1939–1945", "10-15%"]),
    st.tuples(st.integers(0, 30), st.integers(0, 70)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(st.integers(0, 14), st.integers(0, 34), st.integers(0, 2100)).map(
        lambda t: f"{t[0]}/{t[1]}/{t[2]}"
    ),
    st.tuples(st.integers(0, 12), st.integers(0, 20)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.sampled_from(["½", "2½", "¾", "555-0123", "(202) 555-0123", "+44 20 7946 0958"]),
).map(str)
CURRENCY = st.sampled_from(["$", "£", "€", "¥", "₴", "₽", "₹", "US$", "A$", "USD", "Rs"])
PUNCTUATION = st.sampled_from(list(".,;:!?-–—()[]'’\"“”/%&+#@~°*…"))
UNICODE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3)
TOKENS = st.one_of(st.sampled_from(WORDS), NUMBERS, CURRENCY, PUNCTUATION, UNICODE)
SEPARATORS = st.sampled_from(["", " ", " ", " ", "  ", "\n"])
TEXTS = st.lists(st.tuples(TOKENS, SEPARATORS), max_size=16).map(
    lambda pairs: "".join(token + separator for token, separator in pairs)
)
# The same 500 examples on every run, so that a run (CI's above all) passes or fails for the
# code, not for the draw: fuzzing found rare inputs of glued symbols and digits that are not yet
# idempotent ("251920SR$5K-25"). To explore, set AUDIOGEN_FUZZ to a number of fresh examples.
_FUZZ = int(os.environ.get("AUDIOGEN_FUZZ", "0"))
PROPERTY = settings(
    max_examples=_FUZZ or 500,
    derandomize=not _FUZZ,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(TEXTS, st.sampled_from(["en", "en-GB"]))
def test_property_never_raises(text, language):
    assert isinstance(normalize(text, language), str)


@PROPERTY
@given(TEXTS, st.sampled_from(["en", "en-GB"]))
def test_property_is_idempotent(text, language):
    once = normalize(text, language)
    assert normalize(once, language) == once


@PROPERTY
@given(TEXTS)
def test_property_never_drops_a_word_with_letters(text):
    assert_keeps_every_word(text, normalize(text))
