"""Tennis scores: "won 6-4, 6-3" -> "won six-four, six-three", "took the first set 7-5" ->
"took the first set seven-five".

A set score is said as a pair, with no word between; any other result is said with "to", as
a range is ("won 24-17" -> "won twenty-four to seventeen", "beat Chelsea 3-1" -> "three to
one", by the range rule). A pair of numbers is a set score when it is one ("6-4", "7-5",
"7-6" and the other way round: six games and a two-game lead, or seven) and it stands in a run
of them ("6-4, 3-6, 7-5") or after the word "set" ("won the second set 6-2").
"""

from __future__ import annotations

import re

from audiogen.normalize.numbers import num2words
from audiogen.normalize.rules import DIGITS, Rule, needing, rule

_SET = r"[0-7]-[0-7](?:\s?\([0-9]{1,2}\))?"
_SET_PARTS = re.compile(r"([0-7])-([0-7])(?:\s?\(([0-9]{1,2})\))?")
_SET_WORD = re.compile(r"\bsets?\b[^.;:!?]{0,20}$", re.IGNORECASE)


def is_set(won: int, lost: int) -> bool:
    """6-0 to 6-4, 7-5, 7-6 (or the loser's way round)."""
    high, low = max(won, lost), min(won, lost)
    return (high == 6 and low <= 4) or (high == 7 and low in (5, 6))


def set_words(match: re.Match) -> str:
    """ "7-6 (5)" -> "seven-six, five"."""
    words = f"{num2words(int(match[1]))}-{num2words(int(match[2]))}"
    return f"{words}, {num2words(int(match[3]))}" if match[3] else words


def set_scores(match: re.Match) -> str:
    """ "6-4, 6-3" -> "six-four, six-three"."""
    sets = list(_SET_PARTS.finditer(match.group(0)))
    if not all(is_set(int(one[1]), int(one[2])) for one in sets):
        return match.group(0)
    if len(sets) == 1 and not _SET_WORD.search(match.string, 0, match.start()):
        return match.group(0)  # one pair, no "set": a range or another result
    return ", ".join(set_words(one) for one in sets)


RULES: tuple[Rule, ...] = needing(
    DIGITS,
    rule(
        r"(?=[0-7])(?<![\w.,\-–/:])" + _SET + r"(?:,? " + _SET + r")*(?![\w%°]|[-–.,:/][0-9])",
        set_scores,
        guard=r"[0-7]-[0-7]",
    ),
)
