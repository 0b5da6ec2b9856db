"""Money: "$200 billion" -> "two hundred billion dollars", "€3.5m" -> "three point five million
euros", "$0.5/hr" -> "fifty cents per hour", "$.25" -> "twenty-five cents", "$16-something" ->
"sixteen-something dollars". The currency is said after the amount and its scale, as a
newsreader does.

An amount that describes a noun takes the singular, as a hyphenated adjective does: "a $1.2
billion budget" -> "a one point two billion dollar budget" (see `describes_a_noun`). Three
digits after the point with no scale are a European thousands separator ("$5.500" is five
thousand five hundred dollars): no price has tenths of a cent in news but a fuel price, and
"€1.250.000" is written so. Pence are read below a pound ("20p"); "720p" is a video format.
"""

from __future__ import annotations

import re

from audiogen.normalize.numbers import (
    END,
    INT,
    NUMBER,
    START,
    cardinal,
    describes_a_noun,
    number_words,
)
from audiogen.normalize.rules import DIGITS, Rule, alternation, first, needing, rule

# written before the amount: (one, many, one hundredth, hundredths); no hundredths: read decimals
CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "AU$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CA$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "R$": ("real", "reais", None, None),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", None, None),
    "₴": ("hryvnia", "hryvnias", None, None),
    "₽": ("ruble", "rubles", None, None),
    "₹": ("rupee", "rupees", None, None),
    "Rs": ("rupee", "rupees", None, None),
    "Rs.": ("rupee", "rupees", None, None),
    "₩": ("won", "won", None, None),
    "₪": ("shekel", "shekels", None, None),
    "₺": ("lira", "lira", None, None),
    "₦": ("naira", "naira", None, None),
    "₱": ("peso", "pesos", None, None),
    "₿": ("bitcoin", "bitcoins", None, None),
}
# ISO codes, before or after the amount: "USD 5 million", "500 UAH".
CODES = {
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "UAH": ("hryvnia", "hryvnias", None, None),
    "RUB": ("ruble", "rubles", None, None),
    "JPY": ("yen", "yen", None, None),
    "CNY": ("yuan", "yuan", None, None),
    "RMB": ("yuan", "yuan", None, None),
    "INR": ("rupee", "rupees", None, None),
    "CHF": ("Swiss franc", "Swiss francs", None, None),
    "AUD": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "CAD": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
}
SCALE_WORDS = ("thousand", "million", "billion", "trillion", "crore", "lakh")
SCALE_ABBREVIATIONS = {
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "mln": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "bln": "billion",
    "tn": "trillion",
    "trn": "trillion",
    "T": "trillion",
}
# "$0.5/hr" -> "... per hour"
PER = {
    "hr": "hour",
    "h": "hour",
    "hour": "hour",
    "day": "day",
    "wk": "week",
    "week": "week",
    "mo": "month",
    "month": "month",
    "yr": "year",
    "year": "year",
    "kg": "kilogram",
    "lb": "pound",
    "oz": "ounce",
    "barrel": "barrel",
    "bbl": "barrel",
    "share": "share",
    "person": "person",
    "night": "night",
    "gallon": "gallon",
    "gal": "gallon",
    "litre": "liter",
    "liter": "liter",
    "l": "liter",
    "kWh": "kilowatt hour",
    "MWh": "megawatt hour",
    "tonne": "tonne",
    "ton": "ton",
    "t": "tonne",
}


def scale_pattern(n: int) -> str:
    """ " billion" or an attached "bn"; `n` numbers the groups of a range's two ends."""
    return (
        rf"(?:\s?(?P<scale{n}>{'|'.join(SCALE_WORDS)})\b"
        rf"|(?P<abbr{n}>{alternation(SCALE_ABBREVIATIONS)})\b)?"
    )


def scale(match: re.Match, n: int) -> str | None:
    return match[f"scale{n}"] or SCALE_ABBREVIATIONS.get(match[f"abbr{n}"] or "")


def amount_and_change(amount: str, names: tuple, adjective: bool = False) -> str:
    """ "3.50" -> "three dollars and fifty cents", "0.99" -> "ninety-nine cents"; as an
    adjective "a $5 fee" -> "five dollar", "a $3.50 fee" -> "three dollar fifty"."""
    one, many, hundredth, hundredths = names
    whole, _, decimals = amount.partition(".")
    if decimals and (len(decimals) > 2 or hundredth is None):
        return f"{number_words(amount)} {one if adjective else many}"
    units = int(whole.replace(",", "") or 0)
    cents = int(decimals.ljust(2, "0")) if decimals else 0
    main = f"{cardinal(whole or '0')} {one if units == 1 or adjective else many}"
    if not cents:
        return main
    if adjective and units:
        return f"{main} {cardinal(str(cents))}"
    change = f"{cardinal(str(cents))} {hundredth if cents == 1 or adjective else hundredths}"
    return change if units == 0 else f"{main} and {change}"


def european_thousands(amount: str) -> str:
    """ "5.500" -> "5500", "1.250.000" -> "1250000"; "5.50" and "0.500" stay as written."""
    whole, _, decimals = amount.partition(".")
    if len(decimals.replace(".", "")) % 3 or not whole.isdigit() or whole == "0":
        return amount
    groups = decimals.split(".")
    return whole + "".join(groups) if all(len(group) == 3 for group in groups) else amount


def money(match: re.Match) -> str:
    """ "$200 billion" -> "two hundred billion dollars", "$5-10 million" -> "five to ten
    million dollars", "$3.50" -> "three dollars and fifty cents"."""
    names = CURRENCIES.get(match["symbol"] or "") or CODES[match["code"]]
    adjective = describes_a_noun(match) or _RATE_AFTER.match(match.string, match.end()) is not None
    many = names[0] if adjective else names[1]
    first, first_scale = match["amount"], scale(match, 1)
    sign = "minus " if match["sign"] else ""
    per = f" per {PER[match['per']]}" if match["per"] else ""
    if match["vague"]:  # "$16-something" -> "sixteen-something dollars"
        vague = number_words(first) + match["vague"] + (f" {first_scale}" if first_scale else "")
        return f"{sign}{vague} {many}{per}"
    if match["amount2"]:
        second, second_scale = match["amount2"], scale(match, 2)
        start = number_words(first)
        if first_scale and first_scale != second_scale:
            start += f" {first_scale}"
        end = number_words(second) + (f" {second_scale}" if second_scale else "")
        return f"{sign}{start} to {end} {many}{per}"
    if first_scale:
        return f"{sign}{number_words(first)} {first_scale} {many}{per}"
    if not per and not _UNIT_PRICE.match(match.string, match.end()):
        first = european_thousands(first)  # "$3.599 a gallon" is a price to a tenth of a cent
    return sign + amount_and_change(first, names, adjective) + per


def amount_then_code(match: re.Match) -> str:
    """ "5 million USD" -> "five million US dollars"."""
    _, many = CODES[match["code"]][:2]
    words = number_words(match["amount"])
    scale_word = scale(match, 1)
    if scale_word:
        return f"{words} {scale_word} {many}"
    return amount_and_change(match["amount"], CODES[match["code"]])


def pence(match: re.Match) -> str:
    """ "20p" -> "twenty pence"; "720p" (a hundred pence and more is pounds) is left alone."""
    amount = match["amount"]
    if int(amount) >= 100:
        return match.group(0)
    return f"{cardinal(amount)} {'penny' if amount == '1' else 'pence'}"


_UNIT_PRICE = re.compile(r" (?:a|an|per) ")
_RATE_AFTER = re.compile(r"-(?:a|an|per)-")  # "a $35-a-night motel": "thirty-five dollar-a-night"
_CURRENCY = r"(?<!\w)(?:(?P<symbol>" + alternation(CURRENCIES) + r")|(?P<code>" + alternation(CODES)
_CURRENCY += r")\s?)"
_RANGE_END = r"(?:\s?[-–]\s?(?:" + alternation(CURRENCIES) + r")?(?P<amount2>" + NUMBER + ")"
_RANGE_END += scale_pattern(2) + ")?"
# "$16-something", "$20-odd million": an amount said roughly, the currency after the word.
_VAGUE = r"(?P<vague>-(?:something|odd|ish|plus)\b)?"
_PER = r"(?:/(?P<per>" + alternation(PER) + r")\b)?"
# "$200 billion", "-$5", "US$1.1bn", "$5-10 million", "$0.5/hr"
MONEY = first("-−" + "".join(CURRENCIES) + "".join(CODES)) + r"(?P<sign>(?<![\w)])[-−])?"
# "$5", "$.25", "€1.250.000"
_AMOUNT = r"(?P<amount>[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9])|" + NUMBER + r"|\.[0-9]+)"
MONEY += _CURRENCY + r"\s?" + _AMOUNT + _VAGUE + scale_pattern(1) + _RANGE_END + _PER + END
# "5 million USD"
AMOUNT_THEN_CODE = START + r"(?P<amount>" + NUMBER + ")" + scale_pattern(1)
AMOUNT_THEN_CODE += r"\s(?P<code>" + alternation(CODES) + r")\b"

RULES: tuple[Rule, ...] = needing(
    DIGITS,
    rule(MONEY, money),
    rule(AMOUNT_THEN_CODE, amount_then_code),
    rule(START + r"(?P<amount>" + INT + r")p\b", pence),
)
