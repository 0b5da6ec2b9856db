"""Written news English to what a newsreader says: one sentence (or line) at a time.

    normalize("On Dec. 25 the IMF approved $1.1bn.")
    -> "On December twenty-fifth the IMF approved one point one billion dollars."

The work is a table of rules, applied in order: each is a compiled pattern and a small function
that turns one match into spoken words. The rules live with their class, one module each:

    datelines      "KYIV, Ukraine (AP) —"           -> "Kyiv, Ukraine, A.P —"
    web            URLs, e-mail, @handles, #tags, phone numbers ("555-0187", "1-800-FLOWERS"),
                   IP addresses, JavaScript libraries ("Node.js")
    addresses      house numbers "1600 Pennsylvania Ave.", compass points "N. Main St.", "NW",
                   ZIP codes "Texas 78701"
    abbreviations  titles, "St." (Saint or Street), party tags "D-Calif.", US states "Ill.",
                   "Austin, TX", "U.S.", initials
    dates          "Dec. 25", "14 march 2019", "MARCH 3", "12/25/2022", "2015/06/30",
                   "20.03.1920", timestamps "2020-08-01 17:56:00+00", "Mon."
    money          "$200 billion", "€3.5m", "¥30B", "$0.5/hr", "$.25", "a $5m plan",
                   "$16-something"
    measures       "5%", "10-15%", "5 km", "12KG", "120fps", "-3°C", "a 5-km race",
                   "18.2/km2", coordinates "41°17′S", sizes "2x3 mm", multiples "10x",
                   units glued or in capitals "28.2hectares", "71.1SQ KM", "5V", a table
                   row's count before its share "Tsutomu Uchino 1991 0.3%"
    times          "8:54 PM", "5:15 a.m. ET", "1400 GMT", "9 a.m.-5 p.m."
    codes          "Boeing 737", "737-8", "FTSE 100", "A320", "8K", "720p", "401(k)",
                   "Bug 1681512", "elmo666's", "0x1F", ISBNs (EARLY: letter-and-digit
                   codes, before the rules that read words in context)
    roman          "Henry VIII", "World War II", "Super Bowl LVII", "Atlas II"
    acronyms       "IMF" (letters) vs "NATO" (a word), in the form espeak spells
    scores         tennis sets "6-4, 6-3" (other results are ranges: "won 24-17")
    cardinals      digit groups "40 000", ordinals, decades "1970s-80s", fractions, ranges,
                   "Table 6-1", years "AD 803", versions "4.1.6", identifiers, plain numbers
    symbols        "&", "+", "~", "±", "/", "2^28", "10 * 3", "item# 5", list bullets, "©
                   2002", a sentence glued to the next ("said.CreditJane Doe"), "a 8%" ->
                   "an eight percent"

Order matters (see `rules_for`): the specific readings (dates, money, times...) take their
digits before the generic number rules at the end see them; web addresses are read before
anything touches their dots; codes come after the readings with units ("5km", "5pm") and
before the acronym rule, which then spells their letters; Roman numerals are read before the
acronym rule could spell "II" as letters; digit groups ("40 000") are joined before money and
measures read them; a JavaScript library's name is read twice, before the acronym rule and
last, as the number rules may have read it ("D3.js"). Before the rules, a space is put where
a word's comma or a footnote's period is glued to a number ("Policy,1990", "seconds.23 If"),
which no number rule would read. To teach the normaliser something new, add a rule (or a row
to a table) in its class's module, and a case to tests/normalize_cases.tsv.

Three properties hold for every input, and the tests check them (with hypothesis):
- it never raises (a rule that fails leaves its match as written);
- it never drops a word that has letters: words are kept, or said in full ("Dr." -> "Doctor",
  "km" after a number -> "kilometers", "IMF" -> "I.M.F" where espeak would misread it); only
  an address's "https://", "www." and query, and marks such as "™", go unsaid;
- it is idempotent: rules turn digits and symbols into words, and no rule matches what an
  earlier one wrote, so a second pass finds nothing left to do. Where a rule looks at its
  neighbours, it also accepts what a later rule will make of them (a title before "12/25",
  which becomes "December"), so that one pass reads what two would; where a rule glues a
  word it wrote to a number after a comma ("x1,5" -> "x one,5"), the space is put and the
  rules run again within the same call.

Performance: each pattern is compiled once; a rule is skipped when the text lacks the
characters it needs (most need a digit), checked against a set of the text's characters that
is rebuilt only when a rule changes the text (`rules.apply_all`), or when it lacks the rule's
guard, a cheap pattern every match contains (a letter next to a digit for a code); a
lookahead on a pattern's first characters lets the regex engine skip positions in C. A
2,000-word article takes about 20-35 ms (`bench/normalize.py`).

What the voice hears matters more than how the text looks: the forms were checked with Piper's
espeak phonemizer (see `bench/normalize.py --phonemes`). In particular a period after an
abbreviation followed by a capital ("U.S. President", "Dr. Smith", "Dec. 25") makes espeak end
the sentence there, with a pause and a falling tone, so those periods are written out of the
spoken text.
"""

from __future__ import annotations

import re
from functools import cache

from audiogen.normalize import (
    abbreviations,
    acronyms,
    addresses,
    cardinals,
    codes,
    datelines,
    dates,
    measures,
    money,
    roman,
    scores,
    symbols,
    times,
    web,
)
from audiogen.normalize.datelines import drop_dateline
from audiogen.normalize.rules import Rule, apply_all

__all__ = ["drop_dateline", "normalize", "rules_for"]


@cache
def rules_for(day_first: bool) -> tuple[Rule, ...]:
    """Every rule, in order; only an all-number date ("12/25/2022") reads differently."""
    return (
        # "™" and "½" first: they are glued to words, and a rule that saw "#©the" or
        # "½example.com" on one pass would see "#the" or "half example.com" on the next.
        *symbols.FIRST,
        *cardinals.VULGAR,
        *datelines.RULES,
        *web.ESCAPES,
        *web.RULES,
        *codes.EARLY,
        *addresses.EARLY,
        *abbreviations.RULES,
        *addresses.RULES,
        *symbols.EARLY,
        *cardinals.GROUPS,
        *dates.rules(day_first),
        *money.RULES,
        *measures.RULES,
        *times.RULES,
        *codes.RULES,
        *roman.RULES,
        *web.LATE,
        *acronyms.RULES,
        *scores.RULES,
        *cardinals.RULES,
        *web.LATE,
        *symbols.RULES,
        *web.NAMES,
    )


# A word, then a comma or a footnote's period glued to a number: "Policy,1990–2005", "email
# alerts,22 and pages", "take 5 seconds.23 If". The space is missing, and every number rule
# declines a number right after a comma or a period (it may be "1,990" or "0.23").
_MISSING_SPACE = re.compile(
    r"(?:(?<=[\s(\[\"“‘'])|^)(?P<word>[^\W\d_]{2,})"
    r"(?P<mark>,(?=[0-9])|\.(?=[0-9]{1,3}(?:[\s\"”’)]|$)))"
)
_MARK_THEN_DIGIT = re.compile(r"[,.][0-9]")
# Rules may glue a new word to such a number ("x1,5" -> "x one,5"): the rules run again then,
# so that a second pass finds nothing to do. Each run reads digits and none writes any, so the
# runs end; the bound is for safety, real text needs one run and rarely two.
_MAX_SPACING_PASSES = 20


def normalize(text: str, language: str = "en") -> str:
    """Written -> spoken, for one sentence or line: "$200 billion" -> "two hundred billion
    dollars". `language` "en-GB" (or any English but US) reads "1/2/2023" as the 1st of
    February. Languages other than English are only whitespace-normalised for now: English
    rules on French ("le 25 déc.") make words no French voice says."""
    # Whitespace first: rules match single spaces, and a second pass must see what the first saw.
    text = " ".join(text.split())
    language = (language or "en").lower()
    if not _is_english(language):
        return text
    rules = rules_for(dates.is_day_first(language))
    text = " ".join(apply_all(rules, with_spaces(text)).split())
    for _ in range(_MAX_SPACING_PASSES - 1):
        spaced = with_spaces(text)
        if spaced == text:
            break
        text = " ".join(apply_all(rules, spaced).split())
    return text


def _is_english(language: str) -> bool:
    # "en", "en-GB", "en_US", "eng"; not "enm" or "enq" (other languages' ISO 639 codes).
    return language.replace("_", "-").split("-")[0] in ("en", "eng")


def with_spaces(text: str) -> str:
    """ "Policy,1990" -> "Policy, 1990": the space a comma or period glued to a number lacks."""
    if _MARK_THEN_DIGIT.search(text) is None:  # most sentences: a cheap scan, and done
        return text
    return _MISSING_SPACE.sub(r"\g<word>\g<mark> ", text)
