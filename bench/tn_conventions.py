"""Convention choices: where audiogen reads a token differently from NeMo on purpose, and why.

Each convention is a name, the reason a newsreader says it our way, and a precise detector: a
rewrite of NeMo's reading (and/or ours) that turns the one difference into the same words, only
in sentences whose written text has the token (`written`). A sentence whose readings differ
only by conventions counts as "adjusted" agreement; the report says how many each absorbed.

To add one, append a `Convention(...)` to CONVENTIONS: patterns are Python regular expressions,
matched case-insensitively against the raw spoken forms (NeMo writes "twenty four-seventeen",
with its hyphen marking the written dash; we write "twenty-four"). Keep each as narrow as the
difference: a rewrite that also fires where we are wrong would hide a real error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
NUMBER_WORD = rf"(?:{UNITS}|{TEENS}|{TENS}|hundred|thousand|million|billion)"
CURRENCY_WORDS = r"(?:dollar|pound|euro|yen|yuan|rupee|franc|peso|ruble|rouble|won)"


@dataclass(frozen=True)
class Convention:
    """One deliberate difference: rewrites that make NeMo's and our reading of it the same."""

    name: str
    reason: str
    written: str  # the written text the convention is about; the rewrites run only where it is
    nemo: tuple[str, str] | None = None  # (pattern, replacement) on NeMo's reading
    ours: tuple[str, str] | None = None  # (pattern, replacement) on audiogen's reading

    def apply(self, written: str, nemo: str, ours: str) -> tuple[str, str]:
        if not re.search(self.written, written):
            return nemo, ours
        return rewrite(self.nemo, nemo), rewrite(self.ours, ours)


def rewrite(rule: tuple[str, str] | None, text: str) -> str:
    return re.sub(rule[0], rule[1], text, flags=re.IGNORECASE) if rule else text


CONVENTIONS = (
    Convention(
        "web-scheme",
        'a newsreader gives a web address as "example dot com", never "HTTPS colon slash slash"',
        written=r"https?://",
        nemo=(r"\bhttps? colon slash slash ?", ""),
    ),
    Convention(
        "score-dash",
        'a result is said "won twenty-four to seventeen"; NeMo says nothing for the dash, '
        'which runs the two numbers together ("twenty four-seventeen")',
        written=r"(?i:\b(?:won|lost|beat|defeated|drew|draw|win|victory|defeat)\b)\D{0,30}\d+-\d+",
        nemo=(rf"(?<=\b{NUMBER_WORD})-(?={NUMBER_WORD}\b)", " to "),
    ),
    Convention(
        "amount-modifier",
        'an amount before a noun takes the singular, as in speech: "a one point two billion '
        'dollar budget", not "dollars budget"',
        written=r"(?i:\b(?:a|an|the|its|their|his|her)\s[$£€¥][\d.,]+(?:\s?[a-z]+)?\s[a-z]{3,})",
        nemo=(rf"\b({CURRENCY_WORDS})s (?=[a-z]{{3,}})(?!of\b|in\b|for\b|a\b|an\b|and\b)", r"\1 "),
    ),
)


def adjust(written: str, nemo: str, ours: str, conventions=CONVENTIONS) -> tuple[str, str]:
    """Both readings with every convention's rewrites applied, in table order."""
    for convention in conventions:
        nemo, ours = convention.apply(written, nemo, ours)
    return nemo, ours
