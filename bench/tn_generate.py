"""News-like sentences for the normaliser's differential test, one class of token at a time.

    from bench.tn_generate import generate
    generate(per_class=150, seed=9)  -> [Sentence("phone", "phone/vanity-phone#2", "..."), ...]

Every class issue 9 lists has token makers (each a named variant: "phone/vanity-phone",
"date/date-iso"), grouped with the sentence frames that make sense for them ("{team} won {x}"
for a football score, "Temperatures hit {x}" for a temperature), and each sentence is dressed in
news attribution ("..., the ministry said", "According to Reuters, ...") so that the words
around the token vary as they do in articles. A frame holds no other number, so a sentence
tests its one token. Everything is drawn from one `random.Random(seed)`: the same seed gives the
same sentences in the same order on any machine. bench/tn_corpus.py writes them to bench/data/.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One generated sentence: its class, the token maker and frame it came from, the text."""

    kind: str
    source: str
    written: str


# --- the words around the tokens -----------------------------------------------------------

SLOTS = {
    "person": ["Maria Lopez", "John Smith", "Olena Kovalenko", "Ahmed Khan", "Sarah Chen"],
    "official": ["the ministry", "police", "a spokesperson", "the company", "officials"],
    "outlet": ["Reuters", "the Associated Press", "the BBC", "local media", "The Guardian"],
    "city": ["Austin", "Denver", "Boston", "Portland", "Kyiv", "London", "Lagos", "Sydney"],
    "team": ["the Chiefs", "Arsenal", "the Lakers", "Real Madrid", "the Patriots", "Celtic"],
    "player": ["Serena Williams", "Rafael Nadal", "Iga Swiatek", "Andy Murray", "Coco Gauff"],
    "firm": ["Boeing", "Apple", "Samsung", "Tesla", "Mazda", "Sony", "Nokia", "Siemens"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}

# A clause is told bare, after an opener or before a closer, as wire copy does.
OPENERS = ["On {weekday}, ", "According to {outlet}, ", "{official} said ", "Earlier, "]
CLOSERS = [", {official} said", ", according to {outlet}", ", she said", ", he added"]

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


# --- small pieces --------------------------------------------------------------------------


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def number(rng: random.Random, high: int = 500) -> str:
    """A whole number or one with a decimal, as measures and prices print them."""
    return rng.choice([str(rng.randint(1, high)), f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"])


def ordinal(value: int) -> str:
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10)
    return f"{value}{suffix or 'th'}"


def year(rng: random.Random) -> int:
    return rng.choice([rng.randint(1990, 2030), rng.randint(1900, 1989)])


def any_case(rng: random.Random, word: str) -> str:
    """Mostly as printed, sometimes lower or upper case (headlines, careless copy)."""
    return rng.choice([word, word, word, word.lower(), word.upper()])


def glued_or_spaced(rng: random.Random, amount: str, units: list[str]) -> str:
    """'12 kg', '12kg' or '12KG': news prints units every way."""
    unit = rng.choice(units)
    return rng.choice([f"{amount} {unit}", f"{amount}{unit}", f"{amount}{unit.upper()}"])


# --- telephone numbers ---------------------------------------------------------------------


def us_phone(rng: random.Random) -> str:
    area, line = str(rng.randint(2, 9)) + digits(rng, 2), digits(rng, 4)
    return rng.choice([f"({area}) 555-{line}", f"{area}-555-{line}", f"{area}.555.{line}"])


def international_phone(rng: random.Random) -> str:
    pairs = " ".join(digits(rng, 2) for _ in range(4))
    return rng.choice(
        [
            f"+44 20 {digits(rng, 4)} {digits(rng, 4)}",
            f"+33 1 {pairs}",
            f"+1 212 555 {digits(rng, 4)}",
        ]
        + [f"+380 44 {digits(rng, 3)} {digits(rng, 4)}", f"+49 (0)30 {digits(rng, 8)}"]
    )


def vanity_phone(rng: random.Random) -> str:
    word = rng.choice(["FLOWERS", "CALL-NOW", "GOT-JUNK", "PETMEDS", "TAXI", "HELP-NOW", "CARS"])
    return f"1-{rng.choice(['800', '888', '877'])}-{word}"


def toll_free_phone(rng: random.Random) -> str:
    return f"1-800-{digits(rng, 3)}-{digits(rng, 4)}"


def local_phone(rng: random.Random) -> str:
    return f"555-{digits(rng, 4)}"


# --- addresses and places ------------------------------------------------------------------

STREETS = ["Oak", "Main", "Elm", "Maple", "Pennsylvania", "Market", "Church", "Lake", "Park"]
STREET_TYPES = ["St.", "Ave.", "Rd.", "Blvd.", "Dr.", "Ln.", "Street", "Avenue", "Road", "St"]
COMPASS = ["N.", "S.", "E.", "W.", "NW", "NE", "SW", "SE", "North", "West"]
STATES = [("Austin", "TX"), ("Denver", "CO"), ("Portland", "OR"), ("Miami", "FL"),
          ("Boise", "ID"), ("Albany", "NY"), ("Columbus", "OH"), ("Helena", "MT"),
          ("Mobile", "AL"), ("Salem", "MA"), ("Reno", "NV"), ("Dover", "DE")]  # fmt: skip
DOTTED_STATES = ["Calif.", "Fla.", "Tex.", "Mass.", "Ga.", "Mich.", "Wash.", "Ore."]
SAINTS = ["St. Paul", "St. Louis", "St. Petersburg", "St. Mary's Hospital", "St. Andrews"]


def house_number(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 9999)]))


def street_address(rng: random.Random) -> str:
    return f"{house_number(rng)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"


def compass_address(rng: random.Random) -> str:
    street = f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
    return f"{house_number(rng)} {rng.choice(COMPASS)} {street}"


def street_then_sentence(rng: random.Random) -> str:
    """'Oak St.' closing a clause: the abbreviation's period doubles as the full stop."""
    return f"{rng.choice(STREETS)} {rng.choice(['St.', 'Ave.', 'Rd.'])}"


def city_state(rng: random.Random) -> str:
    city, state = rng.choice(STATES)
    return rng.choice([f"{city}, {state}", f"{city}, {rng.choice(DOTTED_STATES)}"])


def state_zip(rng: random.Random) -> str:
    city, state = rng.choice(STATES)
    return f"{city}, {state} {digits(rng, 5)}"


def saint(rng: random.Random) -> str:
    return rng.choice(SAINTS)


# --- dates, decades, years, times ----------------------------------------------------------


def month_name(rng: random.Random, month: int) -> str:
    """A month as news prints it: full or abbreviated, with or without a period, any case."""
    full = MONTHS[month - 1]
    short = rng.choice(["Sept", full[:3]]) if month == 9 else full[:3]
    return any_case(rng, rng.choice([full, full, short + ".", short]))


def date_month_first(rng: random.Random) -> str:
    suffix = rng.choice(["", f", {year(rng)}", f" {year(rng)}"])
    return f"{month_name(rng, rng.randint(1, 12))} {rng.randint(1, 28)}{suffix}"


def date_day_first(rng: random.Random) -> str:
    suffix = rng.choice(["", f" {year(rng)}"])
    return f"{rng.randint(1, 28)} {month_name(rng, rng.randint(1, 12))}{suffix}"


def date_all_numbers(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), year(rng)
    return rng.choice(
        [f"{y}-{m:02d}-{d:02d}", f"{m}/{d}/{y}", f"{y}/{m:02d}/{d:02d}", f"{m}/{d}/{y % 100:02d}"]
        + [f"{d:02d}.{m:02d}.{y}", f"{d}/{m}/{y}"]
    )


def date_with_words(rng: random.Random) -> str:
    d, month = rng.randint(1, 28), MONTHS[rng.randint(0, 11)]
    weekday = rng.choice(SLOTS["weekday"])
    return rng.choice(
        [f"{weekday}, {month} {d}", f"the {ordinal(d)} of {month}", f"{month} {ordinal(d)}"]
    )


def decade(rng: random.Random) -> str:
    start = rng.choice(range(1900, 2030, 10))
    return rng.choice([f"{start}s", f"'{start % 100:02d}s", f"mid-{start}s", f"early {start}s"])


def decade_range(rng: random.Random) -> str:
    start = rng.choice(range(1920, 2000, 10))
    end = start + 10 * rng.randint(1, 3)
    return rng.choice([f"{start}s-{end % 100:02d}s", f"{start}s and {end}s", f"{start}s-{end}s"])


def year_plain(rng: random.Random) -> str:
    return str(rng.choice([year(rng), year(rng), rng.randint(1000, 1899), 2000, 2001, 2010]))


def year_era(rng: random.Random) -> str:
    return rng.choice(
        [f"{rng.randint(1, 500)} BC", f"AD {rng.randint(1, 999)}", f"{rng.randint(100, 999)} AD"]
    )


def range_years(rng: random.Random) -> str:
    start = rng.randint(1950, 2024)
    return rng.choice(
        [f"{start}-{start + 1}", f"{start}-{(start + 1) % 100:02d}", f"{start}–{start + 4}"]
    )


def clock_12(rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.choice(["00", "15", "30", "45", digits(rng, 1) + "5"])
    marker = rng.choice(["a.m.", "p.m.", "AM", "PM", "am", "pm", "a.m. ET", "p.m. GMT"])
    glued = f"{hour}:{minute}{rng.choice(['am', 'pm', 'AM', 'PM'])}"
    return rng.choice([f"{hour}:{minute} {marker}", f"{hour} {marker}", glued])


def clock_24(rng: random.Random) -> str:
    hour, minute = rng.randint(0, 23), rng.choice(["00", "15", "30", "45"])
    return rng.choice([f"{hour:02d}:{minute}", f"{hour:02d}{minute} GMT", f"{hour}:{minute} GMT"])


def clock_span(rng: random.Random) -> str:
    start = rng.randint(6, 11)
    return rng.choice(
        [f"{start} a.m.-{start - 4} p.m.", f"{start}am to {start - 3}pm", f"{start}:00-17:00"]
    )


# --- scores and ranges ---------------------------------------------------------------------


def football_score(rng: random.Random) -> str:
    high = rng.randint(1, 45)
    return f"{high}-{rng.randint(0, high)}"


def soccer_score(rng: random.Random) -> str:
    high = rng.randint(0, 5)
    return f"{high}-{rng.randint(0, high)}"


def tennis_score(rng: random.Random) -> str:
    sets = [rng.choice(["6-4", "6-3", "7-5", "6-2", "7-6", "6-1", "6-0"]) for _ in range(2)]
    return rng.choice([", ".join(sets), f"{sets[0]}, 3-6, {sets[1]}", f"{sets[0]} {sets[1]}"])


def range_unit(rng: random.Random) -> str:
    low, unit = rng.randint(1, 50), rng.choice(["km", "miles", "kg", "cm", "mph", "km/h", "ft"])
    high, dash = low + rng.randint(1, 50), rng.choice(["-", "–", " to "])
    return rng.choice([f"{low}{dash}{high} {unit}", f"{low}{unit}{dash}{high}{unit}"])


def range_money(rng: random.Random) -> str:
    low, sign, dash = (
        rng.randint(1, 20),
        rng.choice(["$", "£", "€"]),
        rng.choice(["-", "–", " to "]),
    )
    magnitude = rng.choice(["", " million", " billion", "m", "bn"])
    return rng.choice(
        [f"{sign}{low}{dash}{low * 2}{magnitude}", f"{sign}{low}{dash}{sign}{low + 5}"]
    )


def range_percent(rng: random.Random) -> str:
    low = rng.randint(1, 40)
    return rng.choice([f"{low}-{low + 5}%", f"{low}%-{low + 5}%", f"{low} to {low + 10} percent"])


def range_plain(rng: random.Random) -> str:
    low = rng.randint(1, 90)
    return rng.choice(
        [f"{low}-{low + rng.randint(2, 9)}", f"{low}–{low + 10}", f"{low} to {low + 20}"]
    )


# --- fractions, money, measures, percentages -----------------------------------------------


def fraction(rng: random.Random) -> str:
    denominator = rng.choice([2, 3, 4, 8, 16, 5, 10])
    return f"{rng.randint(1, denominator - 1)}/{denominator}"


def mixed_number(rng: random.Random) -> str:
    return rng.choice(
        [f"{rng.randint(1, 9)} {fraction(rng)}", f"{rng.randint(1, 9)}{rng.choice('½¼¾⅓')}"]
    )


def money_plain(rng: random.Random) -> str:
    amount = rng.choice([str(rng.randint(1, 999)), f"{rng.randint(1, 99)},{digits(rng, 3)}"])
    return rng.choice(["$", "£", "€", "US$", "C$", "A$", "¥"]) + amount


def money_cents(rng: random.Random) -> str:
    sign = rng.choice(["$", "£", "€"])
    return sign + rng.choice([f"{rng.randint(0, 99)}.{digits(rng, 2)}", f".{digits(rng, 2)}"])


def money_odd(rng: random.Random) -> str:
    return rng.choice(
        [
            f"${rng.randint(1, 9)}.{digits(rng, 3)}",
            f"{rng.randint(1, 99)}p",
            f"{rng.randint(1, 99)} cents",
        ]
        + [
            f"{rng.randint(2, 900)} {rng.choice(['USD', 'EUR', 'GBP'])}",
            f"Rs {rng.randint(10, 999)}",
        ]
    )


def money_magnitude(rng: random.Random) -> str:
    sign = rng.choice(["$", "£", "€", "¥", "US$"])
    magnitude = rng.choice([" million", " billion", " trillion", "m", "bn", "tn", "B", "M", "k"])
    return sign + number(rng, 900) + magnitude


def weight(rng: random.Random) -> str:
    return glued_or_spaced(rng, number(rng), ["kg", "g", "lb", "lbs", "tonnes", "mg", "oz"])


def length(rng: random.Random) -> str:
    return glued_or_spaced(rng, number(rng), ["km", "m", "cm", "mm", "miles", "ft", "in", "metres"])


def speed(rng: random.Random) -> str:
    return glued_or_spaced(rng, str(rng.randint(5, 300)), ["km/h", "mph", "m/s", "kph", "knots"])


def temperature(rng: random.Random) -> str:
    degrees = rng.choice(
        [str(rng.randint(0, 45)), f"-{rng.randint(1, 30)}", f"−{rng.randint(1, 30)}"]
    )
    return degrees + rng.choice(["°C", "°F", " °C", "C", " degrees Celsius", "º"])


def tech_spec(rng: random.Random) -> str:
    units = ["GB", "TB", "GHz", "MHz", "Mbps", "Gbps", "mAh", "MP", "fps", "Hz", "W", "nm"]
    return glued_or_spaced(rng, str(rng.randint(2, 999)), units)


def energy(rng: random.Random) -> str:
    return glued_or_spaced(rng, number(rng, 900), ["MW", "GW", "kWh", "TWh", "kW", "MWh"])


def area_volume(rng: random.Random) -> str:
    units = ["km²", "sq km", "m2", "sq ft", "acres", "hectares", "litres", "ml", "m³", "cu ft"]
    return glued_or_spaced(rng, number(rng, 900), units)


def percent(rng: random.Random) -> str:
    return number(rng, 100) + rng.choice(["%", "%", " percent", " per cent", " %"])


def percent_change(rng: random.Random) -> str:
    return rng.choice(["+", "-", "−", "up "]) + f"{rng.randint(1, 30)}.{rng.randint(0, 9)}%"


# --- codes, web, signs, ordinals, Roman numerals -------------------------------------------

AIRCRAFT = ["737-8", "737 MAX 8", "A320neo", "F-35", "B-52", "747-400", "A380", "777X", "Su-27"]
VEHICLES = ["CX5", "CX-5", "Model 3", "T-72", "F-150", "Q7", "RAV4", "X5", "M1A2"]
DEVICES = ["PS5", "iPhone 15", "Galaxy S23", "Pixel 8", "RTX 4090", "Xbox 360", "M4", "Wii U"]
VIDEO = ["8K", "4K", "720p", "1080p", "1440p", "120Hz", "60fps", "120fps", "4K60", "HD"]
INDEXES = ["FTSE 100", "S&P 500", "DAX 40", "Nikkei 225", "CAC 40", "FTSE 250", "Russell 2000"]
ROADS = ["A1", "M25", "I-95", "Route 66", "A40", "M6", "I-10", "US 101"]
TERMS = ["401(k)", "501(c)(3)", "9/11", "24/7", "COVID-19", "H1N1", "G7", "G20", "5G", "3D"]


def aircraft(rng: random.Random) -> str:
    return rng.choice(AIRCRAFT)


def vehicle(rng: random.Random) -> str:
    return rng.choice(VEHICLES)


def device(rng: random.Random) -> str:
    return rng.choice(DEVICES)


def video_format(rng: random.Random) -> str:
    return rng.choice(VIDEO)


def stock_index(rng: random.Random) -> str:
    return rng.choice(INDEXES)


def road(rng: random.Random) -> str:
    return rng.choice(ROADS)


def term(rng: random.Random) -> str:
    return rng.choice(TERMS)


def ip_address(rng: random.Random) -> str:
    return ".".join(str(rng.randint(0, 255)) for _ in range(4))


def email(rng: random.Random) -> str:
    name = rng.choice(["press", "tips", "j.smith", "news.desk", "info", "editor2024"])
    return f"{name}@{rng.choice(['example.com', 'bbc.co.uk', 'agency.gov', 'mail.org'])}"


def web_address(rng: random.Random) -> str:
    host = rng.choice(["example.com", "gov.uk", "news.example.org", "data.census.gov"])
    return rng.choice([f"https://{host}", host, f"https://{host}/report-2024", f"www.{host}"])


def number_sign(rng: random.Random) -> str:
    value = rng.randint(1, 20)
    return rng.choice([f"No. {value}", f"#{value}", f"no. {value}", f"No {value}"])


def ordinal_token(rng: random.Random) -> str:
    return ordinal(rng.choice([rng.randint(1, 31), rng.randint(32, 150), 21, 22, 23, 101, 111]))


ROMAN = ["II", "III", "IV", "V", "VI", "VIII", "IX", "XIV", "XVI", "XXIII"]
RULERS = ["King Charles", "Queen Elizabeth", "Pope Benedict", "Henry", "Louis", "Pope John Paul"]


def regnal(rng: random.Random) -> str:
    return f"{rng.choice(RULERS)} {rng.choice(ROMAN)}"


def roman_title(rng: random.Random) -> str:
    title = rng.choice(["World War", "Super Bowl", "Title", "Part", "Chapter", "Phase", "Article"])
    return f"{title} {rng.choice(ROMAN + ['LVII', 'LVIII', 'XII'])}"


def roman_product(rng: random.Random) -> str:
    name = rng.choice(["Atlas", "Saturn", "Titan", "Apollo", "Falcon", "Soyuz", "Gemini"])
    return f"{name} {rng.choice(ROMAN[:5])}"


# --- amounts as modifiers, digit groups, plain numbers -------------------------------------


def modifier_money(rng: random.Random) -> str:
    amount = rng.choice([f"{rng.randint(1, 9)}.{rng.randint(1, 9)}", str(rng.randint(2, 900))])
    noun = rng.choice(["budget", "deal", "plan", "loan", "fine", "contract", "package"])
    magnitude = rng.choice([" billion", " million", "m", "bn"])
    return f"{rng.choice(['$', '£', '€'])}{amount}{magnitude} {noun}"


def modifier_measure(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(2, 90)}-year-old {rng.choice(['man', 'woman', 'boy'])}",
            f"{rng.randint(2, 50)}-km {rng.choice(['race', 'stretch', 'drive'])}",
            f"{rng.randint(2, 20)}-day {rng.choice(['strike', 'visit', 'trial'])}",
            f"{rng.randint(2, 12)}-point {rng.choice(['lead', 'plan', 'drop'])}",
            f"{rng.randint(5, 90)}-minute {rng.choice(['delay', 'speech', 'call'])}",
        ]
    )


def digit_groups(rng: random.Random) -> str:
    separator = rng.choice([" ", "\u2009", "\u202f", "\u00a0"])
    groups = [str(rng.randint(1, 999))] + [digits(rng, 3) for _ in range(rng.randint(1, 2))]
    return separator.join(groups)


def cardinal(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(0, 20), rng.randint(21, 999), rng.randint(1000, 9999)]))


def cardinal_grouped(rng: random.Random) -> str:
    return f"{rng.randint(1000, 99_999_999):,}"


def cardinal_magnitude(rng: random.Random) -> str:
    return f"{number(rng, 99)} {rng.choice(['million', 'billion', 'thousand'])}"


def decimal(rng: random.Random) -> str:
    return rng.choice(
        [f"{rng.randint(0, 99)}.{digits(rng, rng.randint(1, 3))}", f"0.{digits(rng, 2)}"]
    )


# --- classes: token makers grouped with the frames that fit them ---------------------------

Maker = Callable[[random.Random], str]


@dataclass(frozen=True)
class Group:
    """Token makers and the sentence frames ({x} the token, {city}... filled) that fit them."""

    makers: tuple[Maker, ...]
    frames: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A class of token, as the agreement report groups it."""

    name: str
    groups: tuple[Group, ...]


KINDS = (
    Kind("phone", (Group((us_phone, international_phone, vanity_phone, toll_free_phone), (
        "Readers can call {x} with tips",
        "The hotline, {x}, is open around the clock",
        "For tickets, call {x} or visit the box office",
        "Anyone with information should phone {x}",
    )), Group((local_phone,), (
        "Anyone with information should call police at {x}",
        "The number to call is {x}",
    )))),
    Kind("address", (
        Group((street_address, compass_address), (
            "The fire broke out at {x} shortly after midnight",
            "Police searched a house at {x} in {city}",
            "The new clinic opens at {x} next month",
            "{person} lived at {x} for decades",
        )),
        Group((street_then_sentence,), (
            "The shop is on {x} The owner closed it in protest",
            "They met at a cafe on {x} Nobody saw them leave",
        )),
    )),
    Kind("place", (Group((city_state, state_zip, saint), (
        "The company is based in {x}",
        "{person}, of {x}, was named as the winner",
        "The rally in {x} drew thousands",
        "Flights to {x} were cancelled",
    )),)),
    Kind("date", (Group((date_month_first, date_day_first, date_all_numbers, date_with_words), (
        "The vote was held on {x}",
        "The law takes effect {x}",
        "Shares fell sharply on {x}",
        "The report, dated {x}, was leaked to reporters",
        "{person} was born on {x} in {city}",
    )),)),
    Kind("decade", (Group((decade, decade_range), (
        "Prices last rose this fast in the {x}",
        "The band was popular in the {x}",
        "The building dates from the {x}",
    )),)),
    Kind("year", (
        Group((year_plain, year_era), (
            "The bridge was built in {x}",
            "The treaty signed in {x} still holds",
            "By {x}, the city had doubled in size",
            "The coin dates from {x}",
        )),
        Group((range_years,), (
            "The {x} season was cut short",
            "Profits fell in {x}",
            "{person} served as mayor from {x}",
        )),
    )),
    Kind("time", (
        Group((clock_12, clock_24), (
            "The quake struck at {x} local time",
            "The train left at {x} on Friday",
            "Sirens sounded at {x}",
        )),
        Group((clock_span,), ("The polls are open {x} on Thursday", "The office is staffed {x}")),
    )),
    Kind("score", (
        Group((football_score, soccer_score), (
            "{team} won {x} on Sunday",
            "{team} lost {x} at home",
            "The match ended {x} after extra time",
            "It was a {x} win for {team}",
        )),
        Group((tennis_score,), (
            "{player} won {x} in the final",
            "{player} beat the top seed {x}",
            "{player} advanced with a {x} victory",
        )),
    )),
    Kind("range", (
        Group((range_unit,), ("The storm brought winds of {x}", "The fish measured {x}")),
        Group((range_money,), ("Tickets cost {x}", "The repairs will cost {x}")),
        Group((range_percent,), ("Analysts expect growth of {x}", "Prices could rise {x}")),
        Group((range_plain,), ("Estimates range from {x} deaths", "Children aged {x} can apply")),
    )),
    Kind("fraction", (Group((fraction, mixed_number), (
        "About {x} of voters backed the plan",
        "The recipe calls for {x} cups of flour",
        "Rainfall was {x} inches above normal",
        "Only {x} of the budget has been spent",
    )),)),
    Kind("money", (Group((money_plain, money_cents, money_odd, money_magnitude), (
        "The company paid {x} for the stake",
        "A ticket now costs {x}",
        "Oil rose to {x} a barrel",
        "The fund raised {x} last year",
        "{firm} shares closed at {x}",
    )),)),
    Kind("measure", (
        Group((weight,), ("The device weighs {x}", "Police seized {x} of cocaine")),
        Group((length,), ("The river rose {x} overnight", "The runway is {x} long")),
        Group((speed,), ("Winds reached {x} near the coast", "The car was doing {x}")),
        Group((temperature,), ("Temperatures hit {x} in {city}", "The water was {x}")),
        Group((tech_spec,), ("The new phone offers {x}", "{firm} promised {x} in the new model")),
        Group((energy,), ("The plant produces {x}", "Demand peaked at {x} on Tuesday")),
        Group((area_volume,), ("The fire burned {x}", "The tank holds {x}")),
    )),
    Kind("percent", (
        Group((percent,), (
            "Inflation slowed to {x} in March",
            "Turnout was {x}, the highest in years",
            "Support for the party fell to {x}",
        )),
        Group((percent_change,), ("The index closed {x}", "Shares ended the day {x}")),
    )),
    Kind("code", (
        Group((aircraft,), ("Regulators grounded the {x}", "The airline ordered {x} jets")),
        Group((vehicle,), ("{firm} recalled the {x} over a fault", "The {x} is the best seller")),
        Group((device,), ("The {x} goes on sale on Friday", "Reviewers praised the {x}")),
        Group((video_format,), ("The camera records {x} video", "The stream was shown in {x}")),
        Group((stock_index,), ("The {x} rose sharply in early trading", "The {x} closed lower")),
        Group((road,), ("Traffic on the {x} was backed up for miles", "The crash closed the {x}")),
        Group((term,), ("The {x} rules were changed", "The report looked at the {x} response")),
    )),
    Kind("web", (
        Group((ip_address,), ("Requests came from {x}, logs show", "The attack was traced to {x}")),
        Group((email,), ("Readers can write to {x}", "Tips can be sent to {x}")),
        Group((web_address,), ("The full report is at {x}", "Details are posted on {x}")),
    )),
    Kind("number-sign", (Group((number_sign,), (
        "The song reached {x} in the charts",
        "{person} is ranked {x} in the world",
        "The prime minister returned to {x} Downing Street",
        "{team} remain the {x} seed",
    )),)),
    Kind("ordinal", (Group((ordinal_token,), (
        "It was the {x} attack this year",
        "{team} finished {x} in the league",
        "The {x} century saw huge changes",
        "{person} celebrated her {x} birthday",
    )),)),
    Kind("roman", (
        Group((regnal,), ("{x} was mentioned in the speech", "A portrait of {x} was sold")),
        Group((roman_title,), ("Historians still argue about {x}", "Crowds gathered for {x}")),
        Group((roman_product,), ("The {x} rocket lifted off", "Engineers rebuilt the {x}")),
    )),
    Kind("modifier", (Group((modifier_money, modifier_measure), (
        "The council approved a {x} on Monday",
        "It was a {x}, the biggest this year",
        "{person} announced a {x}",
        "Critics attacked the {x}",
    )),)),
    Kind("digit-group", (Group((digit_groups,), (
        "About {x} people attended the march",
        "The town has {x} residents",
        "Officials counted {x} ballots",
    )),)),
    Kind("cardinal", (Group((cardinal, cardinal_grouped, cardinal_magnitude), (
        "Russia fired {x} missiles overnight",
        "The company employs {x} people",
        "At least {x} homes were damaged",
        "The petition has {x} signatures",
        "{x} people were evacuated",
    )),)),
    Kind("decimal", (Group((decimal,), (
        "The index rose {x} points",
        "The rate was cut to {x}",
        "The quake measured {x} on the scale",
        "Growth was revised to {x}",
    )),)),
)  # fmt: skip


# --- sentences -----------------------------------------------------------------------------


def fill(rng: random.Random, text: str) -> str:
    """The named slots ({city}, {official}...) filled at random; {x} is left for the token."""
    return text.format(x="{x}", **{slot: rng.choice(words) for slot, words in SLOTS.items()})


def dress(rng: random.Random, frame: str) -> str:
    """The frame as a wire sentence: bare, after an opener or before a closer."""
    where = rng.choice(["bare", "opener", "closer"])
    if where == "opener":
        # A frame's first word is lower-cased after an opener unless it is a slot (a name).
        frame = rng.choice(OPENERS) + (frame if frame[0] == "{" else frame[0].lower() + frame[1:])
    if where == "closer":
        frame += rng.choice(CLOSERS)
    return frame


def sentence_for(rng: random.Random, kind: Kind) -> Sentence:
    group = rng.choice(kind.groups)
    maker, frame = rng.choice(group.makers), rng.choice(group.frames)
    text = fill(rng, dress(rng, frame)).replace("{x}", maker(rng))
    source = f"{kind.name}/{maker.__name__.replace('_', '-')}#{group.frames.index(frame)}"
    stop = "" if text.endswith(".") else "."  # "... 5 p.m." ends with its own period
    return Sentence(kind.name, source, text[0].upper() + text[1:] + stop)


def generate(per_class: int = 150, seed: int = 9) -> list[Sentence]:
    """`per_class` distinct sentences of every class, the same ones for the same seed."""
    rng, sentences = random.Random(seed), []
    for kind in KINDS:
        seen: set[str] = set()
        for _ in range(per_class * 20):
            if len(seen) == per_class:
                break
            sentence = sentence_for(rng, kind)
            if sentence.written not in seen:
                seen.add(sentence.written)
                sentences.append(sentence)
    return sentences
