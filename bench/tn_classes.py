"""What kind of written token a stretch of a sentence is: phone, date, money, measure, code...

    spans("Call 555-0187 on Dec. 25.") -> [Span(5, 13, "phone"), Span(17, 24, "date")]
    class_at(spans, 5, 13)             -> "phone"

A small ordered table of patterns, first match wins where two overlap (as in the normaliser: a
phone number's digits are not also a range). It classifies what both normalisers read, for the
agreement report, so it is a heuristic, not a normaliser: a stretch no pattern claims is a
"word". Some tokens are ambiguous in writing ("555-0187" a phone or a range, "737-8" a model or
a range); the table takes the reading most news copy means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
NUMBER = r"\d[\d,]*(?:\.\d+)?"
CURRENCY = r"(?:[A-Z]{1,2})?[$£€¥₹₩₽]"
MAGNITUDE = r"(?:\s?(?:thousand|million|billion|trillion|bn|tn|m|k|B|M)\b)?"
UNIT = (
    r"(?:km/h|mph|kph|m/s|mi/h|km²|km2|m²|m2|m³|sq\s?(?:km|ft|m|mi)|cu\s?ft|kg|g|mg|lbs?|oz"
    r"|tonnes?|km|cm|mm|m|mi|miles?|ft|metres?|meters?|kilometres?|kilometers?|knots"
    r"|[kMGT]?B|[KMGT]iB|[kMG]?Hz|[MG]bps|mAh|MP|fps|[kMG]?W|[kMGT]Wh|k?V|nm|ml|l|litres?|liters?"
    r"|acres?|hectares?|°\s?[CF]?|º|degrees)"
)
ROMAN = r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"

# (class, pattern); a pattern with a group named "t" claims only that group's span.
TABLE = [
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("url", r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|gov|edu|io|co\.uk|uk)\b[\w/.-]*"),
    ("ip", r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),
    ("phone", r"\+\d{1,3}(?:[\s.-]?\(?\d+\)?){2,}"),
    ("phone", r"\b1-8\d\d-[A-Z\d]{3,}(?:-[A-Z\d]+)*\b"),
    ("phone", r"(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[.-]\d{4}\b|\b\d{3}-\d{4}\b"),
    (
        "date",
        rf"(?i:\b{MONTH}\s+{DAY}\b(?:,?\s+\d{{4}}\b)?|\b{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}}\b)?)",
    ),
    ("date", rf"(?i:\b{MONTH},?\s+\d{{4}}\b)"),
    ("date", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,4}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    ("time", r"(?i:\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?|\b\d{1,2}\s?[ap]\.?m\b\.?)"),
    ("time", r"\b\d{4}\s?(?:GMT|UTC|BST|CET)\b"),
    ("decade", r"(?:\bmid-)?'?\b\d{2,4}s\b(?:\s?[-–]\s?'?\d{2,4}s\b)?"),
    ("money", rf"{CURRENCY}\s?{NUMBER}{MAGNITUDE}(?:\s?[-–]\s?{CURRENCY}?{NUMBER}{MAGNITUDE})?"),
    (
        "money",
        rf"\b{NUMBER}\s?(?:cents|pence|USD|EUR|GBP|dollars|euros|pounds|yen)\b|\b\d{{1,2}}p\b",
    ),
    ("percent", rf"[-+−]?{NUMBER}(?:\s?[-–]\s?{NUMBER})?\s?(?:%|percent\b|per cent\b|pc\b)"),
    ("code", r"\b[2-6]G\b"),  # a network generation, not grams
    ("measure", rf"(?i:(?:\b|-|−){NUMBER}(?:\s?[-–]\s?{NUMBER})?\s?{UNIT}(?![\w/]))"),
    ("fraction", r"\b\d+\s\d+/\d+\b|\b\d+/\d+\b|\d*[½¼¾⅓⅔⅛⅜⅝⅞]"),
    (
        "score",
        r"(?i:\b(?:won|lost|beat|beating|defeated|drew|draw|win|victory|defeat|led)\s+"
        r"(?:\w+\s+){0,3}?)(?P<t>\d{1,3}-\d{1,3}(?:,?\s\d{1,2}-\d{1,2})*)\b",
    ),
    ("score", r"\b[0-7]-[0-7](?:,?\s[0-7]-[0-7])+\b"),
    ("number-sign", r"\b[Nn]o\.?\s?\d+\b|#\d+\b"),
    ("ordinal", r"\b\d+(?:st|nd|rd|th)\b"),
    ("code", r"\b\d+\([a-z]\)(?:\(\d+\))?|\b[A-Za-z]+[-\d]*\d[\w-]*|\b\d+[A-Za-z][\w-]*"),
    ("code", r"\b[A-Z][A-Za-z&]*[A-Z]\s\d+\b"),  # "FTSE 100", "HTML 5"
    ("range", rf"\b{NUMBER}\s?[-–]\s?{NUMBER}\b"),
    ("digit-group", r"\b\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+\b"),
    ("year", r"\b(?:1[0-9]|20)\d{2}\b(?!\.\d)|\b\d{1,4}\s?(?:BC|AD|BCE|CE)\b|\bAD\s?\d{1,4}\b"),
    ("decimal", r"[-−]?\d*\.\d+"),
    ("cardinal", r"[-−]?\d[\d,]*"),
    # after a name ("Atlas V", not the pronoun "I"), or two letters or more anywhere
    ("roman", rf"\b[A-Z][a-z]+\s(?!I\b)(?P<t>{ROMAN})(?<=[IVXLCDM])\b"),
    ("roman", rf"\b(?=[IVXL]{{2,}}\b){ROMAN}\b"),
    ("symbol", r"[=^<>+*|\\{}_~&@]+"),
    ("abbreviation", r"\b(?:[A-Za-z]\.){2,}|\b[A-Z][a-z]{0,3}\.(?=\s)"),
    ("acronym", r"\b[A-Z]{2,}s?\b"),
]
PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in TABLE]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


def matches(text: str) -> list[Span]:
    """Every candidate span, in table order (the first rule's spans first)."""
    found = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            group = "t" if match.groupdict().get("t") else 0
            if match.end(group) > match.start(group):
                found.append(Span(match.start(group), match.end(group), kind))
    return found


def spans(text: str) -> list[Span]:
    """The classified stretches of `text`, by position; an earlier rule's span wins an overlap."""
    claimed: list[Span] = []
    for span in matches(text):
        if all(span.end <= other.start or span.start >= other.end for other in claimed):
            claimed.append(span)
    return sorted(claimed, key=lambda span: span.start)


def class_at(found: list[Span], start: int, end: int) -> str:
    """The class of the first classified stretch overlapping [start, end), else "word"."""
    for span in found:
        if span.start < end and start < span.end:
            return span.kind
    return "word"


def classes(text: str) -> list[str]:
    """The classes a sentence contains, each once, in order of appearance."""
    return list(dict.fromkeys(span.kind for span in spans(text)))
