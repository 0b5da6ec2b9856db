"""Datelines: "KYIV, Ukraine (AP) — Russian forces..." -> "Kyiv, Ukraine, AP — Russian
forces...".

The place is said as a name ("KYIV" in capitals would be spelled out, "NEW YORK" shouted), the
agency after a comma, and the dash kept as the pause a newsreader makes before the story. A
state abbreviation is said in full ("SPRINGFIELD, Ill." -> "Springfield, Illinois"). Said so,
Piper's phonemizer gives "kjˈɪv, juːkɹˈeɪn, ˌeɪpˈiː; ɹˈʌʃən ...": two short pauses and one
longer. `drop_dateline` removes it instead (a voice preset may choose that).
"""

from __future__ import annotations

import re

from audiogen.normalize.abbreviations import STATES, state_name
from audiogen.normalize.acronyms import LETTERS, WORDS
from audiogen.normalize.dates import MONTHS
from audiogen.normalize.rules import Rule, alternation

_UPPER = "A-ZÀ-ÖØ-Þ"
_CITY_WORD = rf"[{_UPPER}](?:[{_UPPER}'’.\-]*[{_UPPER}.])?"
_CITY = rf"(?P<city>{_CITY_WORD}(?: {_CITY_WORD}){{0,3}})"  # KYIV | NEW YORK | ST. LOUIS
_REGION = rf"(?P<region>{alternation(STATES)}|[A-Z][\w'’]+(?: [A-Z][\w'’]+){{0,2}})"
_DATE = rf"(?P<date>(?:{alternation(MONTHS)}|[A-Z][a-z]+)\.? [0-9]{{1,2}})"  # "Dec 25" (Reuters)
_AGENCY = r"\((?P<agency>[A-Za-z][\w .&/-]{1,30})\)"
DATELINE = re.compile(
    rf"^{_CITY}(?:, {_REGION})?(?:, {_DATE})?\s*(?:{_AGENCY})?\s*(?:[—–]|--?)\s+(?=\S)"
)


def is_dateline(match: re.Match) -> bool:
    city = match["city"]
    letters = city.replace(" ", "").replace(".", "")
    # "NATO — the alliance said": an acronym, not a place.
    return len(letters) >= 3 and letters not in LETTERS and letters not in WORDS


def place_name(city: str) -> str:
    """ "NEW YORK" -> "New York", "PORT-AU-PRINCE" -> "Port-Au-Prince"."""
    return re.sub(r"[^\W\d_]+", lambda word: word.group(0).capitalize(), city)


def dateline(match: re.Match) -> str:
    if not is_dateline(match):
        return match.group(0)
    parts = [place_name(match["city"])]
    if match["region"]:
        parts.append(state_name(match["region"]))
    if match["date"]:
        parts.append(match["date"])
    if match["agency"]:
        parts.append(match["agency"])
    return ", ".join(parts) + " — "


def drop_dateline(paragraph: str) -> str:
    """The paragraph without its leading dateline: "KYIV, Ukraine (AP) — Russian forces..." ->
    "Russian forces..."; a paragraph without one comes back unchanged."""
    match = DATELINE.match(paragraph.lstrip())
    if match is None or not is_dateline(match):
        return paragraph
    return paragraph.lstrip()[match.end() :]


RULES: tuple[Rule, ...] = (Rule(DATELINE, dateline, needs=frozenset("—–-")),)
