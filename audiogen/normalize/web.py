"""What news quotes from the internet and the phone: URLs, e-mail addresses, @handles,
#hashtags and phone numbers, read as a newsreader reads them.

"https://" and "www." are not said (no newsreader says them); the rest of an address is, with
"dot" and "slash"; a query string ("?id=5") is left out. Handles and hashtags are split at
their capitals ("#StandWithUkraine" -> "hashtag Stand With Ukraine") so the voice reads words.
Phone numbers are read digit by digit in their groups, with a pause between groups: US
numbers with or without their area code ("555-0187"), vanity numbers ("1-800-FLOWERS", the
word said as a word), international ones ("+44 20 7946 0958"). An IP address is read digit by
digit with "dot" ("192.168.1.1"); a JavaScript library by its file ("Node.js" -> "Node dot JS").
What technical writing quotes is read as it is spelled out: a protocol's version without its
slash ("HTTP/1.1" -> "HTTP one point one"), a path's leading slash ("/storage/x" -> "slash
storage slash x"), a percent-escape in an address by its characters ("%2F" -> "percent two F",
never a temperature), and a dotted name, a file or a setting, with "dot" ("hello.cpp",
"browser.urlbar.enabled").
"""

from __future__ import annotations

import re

from audiogen.normalize.acronyms import SPELLED_ANYWHERE
from audiogen.normalize.numbers import DIGIT_WORDS, digit_by_digit, spoken_digits
from audiogen.normalize.rules import DIGITS, Rule, rule

# Top-level domains that make a bare "name.tld" an address; with "https://" any will do. Not
# those that are English words ("in", "it", "me", "us"): "said.it" is a missing space.
TLDS = "com org net gov edu int mil info news io ai uk ua ru eu de fr pl ca au nz jp cn tv".split()
# Spoken "dot" names; any other two-letter domain is spelled ("co dot U.K").
TLD_WORDS = {"com", "org", "net", "gov", "edu", "int", "mil", "info", "news", "co"}
# A hyphen and an underscore are said ("drinks dash unhosted dot com"): a listener could not
# type the address without them.
PATH_SYMBOLS = {".": " dot ", "-": " dash ", "_": " underscore ", "/": " slash "}
EMAIL_SYMBOLS = {".": " dot ", "-": " dash ", "_": " underscore ", "+": " plus "}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|_")
_PATH_SYMBOL = re.compile(r"[./_-]")
_EMAIL_SYMBOL = re.compile(r"[._+-]")
_TRAILING = r"(?<![.,;:!?)\]'\"”’])"  # an address does not end with the sentence's punctuation
_PHONE_GROUP = re.compile(r"[0-9]+|[A-Za-z]+")
_DIGIT_RUN = re.compile(r"[0-9]+")
_BETWEEN_WORDS = re.compile(r"(?<=[A-Z]), (?=[A-Z])")


def split_words(name: str) -> str:
    """ "StandWithUkraine" -> "Stand With Ukraine", "nasa_gov" -> "nasa gov"."""
    return " ".join(_CAMEL.sub(" ", name).split())


def host_words(host: str) -> str:
    """ "kyivindependent.com" -> "kyivindependent dot com", "bbc.co.uk" -> "bbc dot co dot
    UK"."""
    *names, tld = host.split(".")
    return " dot ".join([*(name.replace("-", " dash ") for name in names), tld_words(tld)])


def tld_words(tld: str) -> str:
    """ "com" -> "com"; a country's two letters spelled: "uk" -> "UK", "ua" -> "U.A"."""
    if tld.lower() in TLD_WORDS or len(tld) != 2:
        return tld
    letters = tld.upper()
    return letters if letters in SPELLED_ANYWHERE else ".".join(letters)


def url(match: re.Match) -> str:
    """ "https://www.example.com/news/a-b" -> "example dot com slash news slash a dash b"."""
    words = host_words(match["host"])
    path = (match["path"] or "").strip("/")
    if path:
        path = _ESCAPE_PATTERN.sub(lambda m: percent_escape(m["hex"] or m["glued"]), path)
        words += " slash " + _PATH_SYMBOL.sub(lambda m: PATH_SYMBOLS[m.group(0)], path)
    # A path's digits are a code, read one by one: "abc123" -> "abc one two three".
    return " ".join(_DIGIT_RUN.sub(lambda m: f" {digit_by_digit(m.group(0))} ", words).split())


def email(match: re.Match) -> str:
    """ "press.office@un.org" -> "press dot office at un dot org"."""
    user = _EMAIL_SYMBOL.sub(lambda m: EMAIL_SYMBOLS[m.group(0)], match["user"])
    return " ".join(f"{user} at {host_words(match['host'])}".split())


def handle(match: re.Match) -> str:
    """ "@POTUS" -> "at POTUS"; "tweeted at @nytimes" -> "tweeted at nytimes"."""
    after_at = match.string[max(0, match.start() - 3) : match.start()] in ("at ", "At ")
    return split_words(match["name"]) if after_at else f"at {split_words(match['name'])}"


def hashtag(match: re.Match) -> str:
    return f"hashtag {split_words(match['tag'])}"


def phone_group(group: str) -> str:
    # A toll-free "800" is said as a number; a vanity number's word as a word.
    if group == "800":
        return "eight hundred"
    return spoken_digits(group) if group.isdigit() else group


def phone_number(match: re.Match) -> str:
    """ "(202) 555-0123" -> "two oh two, five five five, oh one two three"; a vanity number's
    words together: "1-888-GO-FEDEX" -> "one, eight eight eight, GO FEDEX"."""
    groups = _PHONE_GROUP.findall(match.group(0))
    if match.group(0).startswith("+") and not is_international_number(match):
        return match.group(0)  # "+26.3%", "+1.5": a change, for the number rules
    words = ", ".join(phone_group(group) for group in groups)
    words = _BETWEEN_WORDS.sub(" ", words)
    return ("plus " if match.group(0).startswith("+") else "") + words


def is_international_number(match: re.Match) -> bool:
    """ "+44 20 7946 0958": seven digits and more, and no share or decimal after ("+26.3%")."""
    digits = sum(character.isdigit() for character in match.group(0))
    return digits >= 7 and not _SHARE_AFTER.match(match.string, match.end())


_SHARE_AFTER = re.compile(r"%|\.[0-9]| ?(?:percent|per cent|pct)\b")


def local_phone_number(match: re.Match) -> str:
    """ "555-0187" -> "five five five, oh one eight seven"; but "500-1000" is a range of round
    numbers, left to the range rule."""
    first, last = match["first"], match["last"]
    if int(first) % 10 == 0 and int(last) % 10 == 0 and not last.startswith("0"):
        return match.group(0)
    return phone_number(match)


def script_name(match: re.Match) -> str:
    """ "Node.js" -> "Node dot J.S": a JavaScript library is named by its file, said so. The
    letters are written as the acronym rule writes them: dotted, but not before a period and
    more text ("Node dot JS. The"), where a dotted "J.S." would lose the sentence's period."""
    letters = "JS" if _PERIOD_THEN_TEXT.match(match.string, match.end()) else "J.S"
    return f"{match['name']} dot {letters}"


def ip_address(match: re.Match) -> str:
    """ "192.168.1.1" -> "one nine two dot one six eight dot one dot one"."""
    parts = match.group(0).split(".")
    if any(int(part) > 255 for part in parts):
        return match.group(0)
    return " dot ".join(digit_by_digit(part) for part in parts)


_DOI_PART = re.compile(r"[0-9]+|[./-]")
DOI_SYMBOLS = {".": " dot ", "/": " slash ", "-": " dash "}


def doi(match: re.Match) -> str:
    """ "doi:10.1016/0962-6298(93)90012-V" -> "doi: one zero dot one zero one six slash zero
    nine six two dash ...": an identifier, every digit and mark said, as it must be typed."""
    said = _DOI_PART.sub(
        lambda m: DOI_SYMBOLS.get(m[0]) or f" {digit_by_digit(m[0])} ", match["id"]
    )
    return f"{match['label']} {' '.join(said.split())}"


def protocol_version(match: re.Match) -> str:
    """ "HTTP/1.1" -> "HTTP 1.1": the slash of a protocol's version is not said."""
    return match["name"] + " "


def leading_slash(match: re.Match) -> str:
    """ "/storage/x" -> "slash storage/x": a path from the root says its first slash too."""
    return "slash "


def percent_escape(code: str) -> str:
    """ "2F" (of "%2F") -> "percent two F": an address's escaped character, by its characters."""
    characters = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c.upper() for c in code)
    return f" percent {characters} "


def dotted_name(match: re.Match) -> str:
    """ "hello.cpp" -> "hello dot cpp", "browser.urlbar.enabled" -> "browser dot urlbar dot
    enabled"."""
    return match.group(0).replace(".", " dot ")


# A host may start with a digit ("1010data.com", "3.ai"): else a later rule would read its digits
# and leave "three.ai" for this one to read on a second pass.
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*"
_PATH = r"(?P<path>/[^\s?#]*" + _TRAILING + r")?(?:[?#][^\s]*" + _TRAILING + r")?"

_PERIOD_THEN_TEXT = re.compile(r"\.(?![\s\"'”’)\]]*$)")

# Before the addresses: an escape's "%2F" must not be read as a number with "F" (Fahrenheit),
# and "https%3A%2F%2Fexample.com" is an address once its escapes are words.
_ESCAPE = r"(?=%)(?:(?<=[^\s0-9])%(?P<hex>[0-9][0-9A-Fa-f])|(?<=[0-9])%(?P<glued>[0-9][A-Fa-f]))"
_ESCAPE_PATTERN = re.compile(_ESCAPE)
_TOKEN_START = re.compile(r"\S*$")


def escape(match: re.Match) -> str:
    """An escape outside an address with "://" (the address rule reads its own path)."""
    token = _TOKEN_START.search(match.string, 0, match.start()).group(0)
    if "://" in token:
        return match.group(0)
    return percent_escape(match["hex"] or match["glued"])


ESCAPES: tuple[Rule, ...] = (
    rule(_ESCAPE, escape, needs="%"),
    rule(
        r"(?=[A-Z])\b(?P<name>[A-Z]{2,6})/(?=[0-9]+(?:\.[0-9]+)?(?![\w/]|\.[0-9]))",
        protocol_version,
        needs="/",
    ),
    rule(r"(?=/)(?<![\w/.:~%-])/(?=[A-Za-z0-9_])", leading_slash, needs="/"),
)


RULES: tuple[Rule, ...] = (
    # A DOI, before its dots and slashes are taken for an address or a date.
    rule(
        r"(?=[Dd])\b(?P<label>[Dd][Oo][Ii]:)\s?(?P<id>10\.[0-9]{4,9}/[^\s]+?)(?=[.,;]?(?:\s|$))",
        doi,
        needs=":",
    ),
    rule(
        r"(?=[A-Za-z0-9])(?<![\w.+-])(?P<user>[A-Za-z0-9](?:[\w.+-]*[A-Za-z0-9])?)@(?P<host>"
        + _HOST
        + r"[A-Za-z]{2,})(?![\w@])",
        email,
        needs="@",
    ),  # fmt: skip
    rule(
        r"(?=h)(?<![\w/.])https?://(?:www\.)?(?P<host>" + _HOST + r"[A-Za-z]{2,})" + _PATH,
        url,
        needs=":",
    ),
    rule(
        r"(?=[A-Za-z0-9])(?<![\w/.+])(?:www\.)?(?P<host>"
        + _HOST
        + r"(?:"
        + "|".join(TLDS)
        + r"))(?![\w-])"
        + _PATH,
        url,
        needs=".",
        guard=r"\.(?:" + "|".join(TLDS) + r")(?![\w-])",
    ),  # fmt: skip
    rule(r"(?<![\w@])@(?P<name>[A-Za-z0-9_]{1,30})\b", handle, needs="@"),
    rule(r"(?<![\w&#])#(?P<tag>[A-Za-z][A-Za-z0-9_]*)", hashtag, needs="#"),
    rule(
        r"(?=[0-9+(])(?<![\w+(-])(?:\+?1[-.\s])?(?:\([0-9]{3}\)\s?|[0-9]{3}[-.\s])[0-9]{3}[-.\s][0-9]{4}"
        r"(?![\w-])",
        phone_number,
        needs=DIGITS,
    ),
    rule(
        r"(?=\+)(?<![\w+])\+[0-9]{1,3}(?:[-.\s]?\(?[0-9]{1,4}\)?){2,5}(?![\w])",
        phone_number,
        needs="+",
    ),
    # "1-800-FLOWERS", "1-888-GO-FEDEX": a toll-free number with a word in it.
    rule(
        r"(?=1)(?<![\w+(-])1-8[0-9]{2}-(?:[0-9]{3}-)?[A-Z]{2,}(?:-[A-Z]{2,})*(?![\w-])",
        phone_number,
        needs="-",
    ),
    rule(
        r"(?=[2-9])(?<![\w+(.,-])(?P<first>[2-9][0-9]{2})-(?P<last>[0-9]{4})(?![\w-]|[.,][0-9])",
        local_phone_number,
        guard=r"[0-9]{3}-[0-9]{4}",
        needs="-",
    ),
    rule(
        r"(?=[0-9])(?<![\w.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])",
        ip_address,
        guard=r"[0-9]\.[0-9]+\.[0-9]+\.[0-9]",
        needs=".",
    ),
)
# Before the acronym rule, which then reads a name in capitals ("SR.js"); and again last, after
# the number rules, as the name before ".js" may be one they read ("D3.js" is "D three.js").
LATE: tuple[Rule, ...] = (
    rule(
        r"(?=[A-Za-z])(?<![\w/.@#-])(?P<name>[A-Za-z]+)\.js(?![\w$-]|\.[A-Za-z0-9])",
        script_name,
        needs=".",
        guard=r"\.js\b",
    ),
)
# Last of all the rules, when every other has read its words: on a second pass it sees what it
# saw on the first. A file or a setting: "hello.cpp", "browser.urlbar.enabled", "Region.jsm",
# "add.wasm"; a word of its own (after a space, an opening bracket or a symbol), each part two
# letters or more (a digit left there is a code's, for the next pass to read), those after a
# dot in small letters ("said.The" is a missing space, "e.g" an abbreviation), and not a
# script's ".js" (read as "J.S" by LATE).
NAMES: tuple[Rule, ...] = (
    rule(
        r"(?=[A-Za-z])(?<![^\s(\[\"'“‘&+~=])[A-Za-z][a-z_]++(?:\.(?!js\b)[a-z][A-Za-z_]++)+(?![0-9])",
        dotted_name,
        needs=".",
        guard=r"[A-Za-z0-9_]\.[a-z][A-Za-z0-9_]",
    ),
)
