"""Symbols said as words: "&" -> "and", "+" -> "plus", "~500" -> "about five hundred",
"and/or" -> "and or", "2^28" -> "two to the power of twenty-eight", "10 * 3" -> "ten times
three", "item# 5" -> "item number five", "status_code=400" -> "status underscore code equals
four hundred". Written out here so that every engine says the same word (espeak would say
"slash", another engine nothing). A list's bullet ("* ", "• " at the start of a line) is
formatting, as is a reference's caret ("^ Smith, J. (2007).") and a shell's prompt ("$ hg
commit"), and goes unsaid; a table of contents' dot leaders are a pause. Single capitals
joined by a slash are letters: "I/O", "A/B testing" -> "I.O", "A.B testing"."""

from __future__ import annotations

import re

from audiogen.normalize.numbers import READ_WORD
from audiogen.normalize.rules import Rule, rule

# Marks with nothing to say: a voice would read "trademark" aloud, a newsreader would not.
SILENT = "™®©"


def copyright_sign(match: re.Match) -> str:
    """ "© 2002 Jamie Zawinski" -> "copyright 2002 ...": before its year the sign is said, as
    a copyright line is read aloud; elsewhere ("Photo ©Reuters") it goes unsaid."""
    return "copyright "


def ampersand(match: re.Match) -> str:
    return " and "


def plus(match: re.Match) -> str:
    return " plus "


def about(match: re.Match) -> str:
    return "about "


def plus_or_minus(match: re.Match) -> str:
    return "plus or minus "


def equals(match: re.Match) -> str:
    return " equals "


def underscore(match: re.Match) -> str:
    return " underscore "


def slash(match: re.Match) -> str:
    """ "and/or" -> "and or", "Israel/Palestine" -> "Israel slash Palestine"."""
    first, last = match["first"], match["last"]
    joiner = " " if (first.lower(), last.lower()) == ("and", "or") else " slash "
    return first + joiner  # the word after stays, for a chain "a/b/c" to be read in one pass


def letters(match: re.Match) -> str:
    """ "I/O" -> "I.O": said as letters, as the acronym rule writes them."""
    return f"{match['first']}.{match['last']}"


def at(match: re.Match) -> str:
    return " at "


def hashtag(match: re.Match) -> str:
    return "hashtag "


def number_sign(match: re.Match) -> str:
    """ "item# 11111", "order#5" -> "item number ...": the sign is the word's number."""
    return " number "


def silent(match: re.Match) -> str:
    return ""


def power(match: re.Match) -> str:
    return " to the power of "


def times(match: re.Match) -> str:
    return " times "


def number_times(match: re.Match) -> str:
    return match["number"] + " times "


_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred)"
)

# "&" comes early (see the package's order), after the fixed readings ("AT&T"): "R&D" is read
# before the acronym rule sees its letters.
# An underscore or an equals sign inside a name or a setting ("status_code=400",
# "charset=UTF-8"): said, as a listener needs it to type the name, and before the number rules,
# which then read the digits it sets apart ("is_anomaly_0_5"). After the web rules, which read
# an address's or a handle's own.
EARLY: tuple[Rule, ...] = (
    rule(r"\s*&\s*", ampersand, needs="&"),
    rule(r"(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9])", underscore, needs="_"),
    rule(r"(?<=[A-Za-z0-9])=(?=[A-Za-z0-9\"'])", equals, needs="="),
)
# Marks are dropped before any rule looks at their neighbours ("#©the").
FIRST: tuple[Rule, ...] = (
    rule(r"(?<![\w#@])©\s?(?=[12][0-9]{3}\b)", copyright_sign, needs="©"),
    rule("[" + SILENT + "]", silent, needs=SILENT),
    # A list's bullet, a reference's caret ("^ Smith, J. (2007).")
    rule(r"^(?:[*•▪◦‣^]+\s+)+(?=\S)", silent, needs="*•▪◦‣^"),
    # A table of contents' dot leaders before the page: "References.......21" -> "References,
    # 21", a pause where the voice would otherwise meet a row of periods.
    rule(r"(?<=[^\s.])\.{4,}(?=\s?[0-9])", lambda match: ", ", needs="."),
    # A sentence glued to the next, as a page's caption runs into its credit ("an official
    # said.CreditMichael Appleton", "in 2023.CreditJeon"): the space the period lacks, so that
    # it ends the sentence rather than being read "dot" ("Node.js" has a small letter after
    # its dot). After any mark, so that what a rule makes of it later
    # ("12.May" -> "twelve.May", "5%.The") was split on the first pass.
    rule(r"(?<=\S)\.(?=[A-Z][a-z])", lambda match: ". ", needs="."),
    # A shell's prompt before a command: "$ hg commit" (not money: a word follows, and not one
    # a number rule wrote: "$ -1" is "$ minus one" on a second pass).
    rule(r"^\$\s+(?=[a-z])(?!" + READ_WORD + ")", silent, needs="$"),
)

# These rules see each other's symbols before they are words ("~@", "#~the"): a symbol of WORDY
# counts as the word it will become, so that one pass reads the whole run.
WORDY = "~≈±@#+"

RULES: tuple[Rule, ...] = (
    # An "@" or "#" the web rules left (alone, or before a symbol: "@½", "#$5"): what follows
    # is words by now.
    rule(r"(?<!\w)@(?=\s|$|[A-Za-z0-9" + WORDY + "])", at, needs="@"),
    rule(r"(?<![\w&])#(?=[A-Za-z" + WORDY + "])", hashtag, needs="#"),
    # Glued to a word, before a number read by now ("item# 11111"); not "C# 10", a language.
    rule(r"(?<=[a-z]{2})#\s?(?=[0-9]|" + _NUMBER_WORD + r"\b)", number_sign, needs="#"),
    rule(r"[~≈]+\s*(?=[0-9a-z" + WORDY + "])", about, needs="~≈"),
    rule(r"±\s?", plus_or_minus, needs="±"),
    rule(r"(?<=\s)=(?=\s)", equals, needs="="),
    rule(r"(?<![\w./])(?P<first>[A-Z])/(?P<last>[A-Z])(?![\w./])", letters, needs="/"),
    rule(r"\b(?P<first>[A-Za-z]+)/(?=(?P<last>[A-Za-z]+)\b)", slash, needs="/"),
    rule(r"(?<=[\w)+])\s*\+(?=\s|$|[\w,.;:!?)" + WORDY + "])", plus, needs="+"),  # "Disney+"
    rule(r"(?<![\w])\+(?=[A-Za-z" + WORDY + "])", plus, needs="+"),
    # Last, between words: numbers read by now, and the symbols above ("+" -> "plus").
    # "2^28" -> "two^twenty-eight" -> "two to the power of twenty-eight".
    # Between numbers, read by now: "2^28" -> "two^twenty-eight" -> "two to the power of ...".
    rule(r"(?<=[a-z])\s*\^\s*(?=[a-z])", power, needs="^"),
    rule(r"(?<=[a-z])\s+[*×]\s+(?=[a-z])", times, needs="*×"),
    # "$4K x 3" -> "four thousand dollars x three": an "x" between numbers read by now.
    # "a" before a number read by now that starts with a vowel: "a €8.3m fine" is "an eight
    # point three million euro fine", as said; a capital "A" only where it starts the sentence
    # ("Section A 8" is a letter).
    rule(
        r"(?:(?<![\w.-])(?P<article>a)|^(?P<article_>A))(?= (?:eight|eleven|eighteen|eighty)\b)",
        lambda match: (match["article"] or match["article_"]) + "n",
        guard=r"\b[Aa] e(?:igh|lev)",
        needs="aA",
    ),
    rule(
        r"\b(?P<number>" + _NUMBER_WORD + r"|[a-z]*(?:illion|thousand|hundred)|dollars|euros|pounds"
        r")\s+x\s+(?=" + _NUMBER_WORD + r"\b)",
        number_times,
        guard=r"\sx\s",
        needs="x",
    ),
)
