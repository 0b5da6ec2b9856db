"""The machinery every class of rule shares: a rule is a compiled pattern and a small function
that turns one match into spoken words; a list of rules is applied in order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

DIGITS = "0123456789"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    replace: Callable[[re.Match], str]
    # Characters of which a match has at least one ("" if no such short list): a rule whose
    # characters the text lacks is skipped without running its pattern. Most rules need a
    # digit, and most sentences have none: this halves the normaliser's time.
    needs: frozenset[str] = frozenset()
    # A cheap pattern the text must contain for the rule to run at all, where the rule's own
    # pattern is costly to try at every position (a code needs a letter next to a digit).
    guard: re.Pattern | None = None

    def apply(self, text: str) -> str:
        if not self.may_match(text, text):
            return text
        return self.pattern.sub(self.safe_replace, text)

    def may_match(self, text: str, characters: Iterable[str]) -> bool:
        if self.needs and self.needs.isdisjoint(characters):
            return False
        return self.guard is None or self.guard.search(text) is not None

    def safe_replace(self, match: re.Match) -> str:
        # A rule that fails on some odd input leaves that text as written: one unread number
        # is better than a batch that dies on it.
        try:
            return self.replace(match)
        except Exception:
            return match.group(0)


def apply_all(rules: Iterable[Rule], text: str) -> str:
    """The rules, in order: what `Rule.apply` does for each, with the text's characters kept in
    a set that is rebuilt only when a rule changed the text. Most of the ~90 rules are skipped
    on most sentences, and checking `needs` against the set costs a fraction of scanning the
    text: this is a third of the normaliser's time."""
    characters = set(text)
    for step in rules:
        if not step.may_match(text, characters):
            continue
        said = step.pattern.sub(step.safe_replace, text)
        if said is not text:  # `sub` gives the same object back when nothing matched
            text, characters = said, set(said)
    return text


def rule(
    pattern: str, replace: Callable[[re.Match], str], needs: str = "", guard: str | None = None
) -> Rule:
    return Rule(
        re.compile(pattern), replace, frozenset(needs), re.compile(guard) if guard else None
    )


def needing(characters: str, *steps: Rule) -> tuple[Rule, ...]:
    """The rules, each skipped when the text has none of `characters` (their guards kept)."""
    return tuple(replace(step, needs=frozenset(characters)) for step in steps)


def first(characters: Iterable[str]) -> str:
    """A lookahead for the characters a match can start with. Put before a pattern that starts
    with a lookbehind or `\\b`, it lets the regex engine pass every other position at once
    instead of trying the whole pattern there: most rules run twice as fast."""
    return "(?=[" + "".join(sorted({re.escape(c) for c in characters})) + "])"


def initials(words: Iterable[str]) -> str:
    """`first` for an alternation of words: "(?=[DFJMNOS])" for the months."""
    return first(word[0] for word in words)


def alternation(words: Iterable[str]) -> str:
    """A regex alternative of literal words, longest first (so "Sept" wins over "Sep")."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_CLOSERS = re.compile(r"[\s\"'”’)\]]*")


def ends_text(match: re.Match) -> bool:
    """True when only closing quotes or brackets follow: the match's period ends the sentence."""
    return _CLOSERS.fullmatch(match.string, match.end()) is not None


def keep_final_period(match: re.Match) -> str:
    """The sentence's own period, when an abbreviation that ended with one is rewritten."""
    return "." if match.group(0).endswith(".") and ends_text(match) else ""
