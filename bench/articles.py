"""Made-up news article pages for the batch benchmark: deterministic, offline, all distinct.

    write_pages(folder, count, seed) -> list[Page]

Each page is the kind of HTML a news site serves: <title>, JSON-LD NewsArticle (headline,
author, datePublished with a timezone, publisher), og: and article: meta tags, and an
<article> with the site's furniture around and inside it (header, byline, share buttons,
photo caption, newsletter box, author bio), which the extractor must leave out.

The prose comes from sentence templates filled with seeded random towns, names, money,
percentages and dates. No sentence appears twice in a batch: a cache keyed by the text of a
sentence must not make a first run faster than speaking everything would be.
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

TOWNS = """Abermill Glynford Eastbrook Kingsbridge Northam Westleigh Ashcombe Redcliffe
Brackenfield Dunmore Fairhaven Oakridge Stonehill Millbrook Harwood Lindale Corby Thornbury
Elmstead Penrith Castleton Wexcombe Marston Hollowell Ravensworth Bridgeport Sandhurst""".split()
FIRST = """Priya Martin Ruth Gwen Daniel Olena Serhiy Amara Tomasz Helen Rashid Claire Owen
Ingrid Marcus Fatima Declan Yusuf Joanna Peter Leila Graham Nadia Callum Sofia Emeka
Bridget Anton Rosa Hamid""".split()
LAST = """Raman Osei Ellison Parry Whitlock Kovalenko Melnyk Nwosu Kowalski Brennan Haddad
Fletcher Morgan Lindqvist Doyle Okafor Reyes Sharma Byrne Castillo Novak Harding Abbott
Mensah Farrell Quinn Patel Lowe Draper Ibrahim""".split()
JOBS = [
    "runs a bakery on the high street",
    "drives a delivery van",
    "teaches at the primary school",
    "works night shifts at the hospital",
    "keeps sheep on the hills above the town",
    "manages a hardware shop",
    "volunteers at the food bank",
    "commutes to the city by train",
]
ROLES = [
    "the council leader",
    "the mayor",
    "the chief executive of the regional health authority",
    "the chair of the finance committee",
    "the county's director of transport",
    "a spokesperson for the water company",
    "the head of the local chamber of commerce",
    "the police and crime commissioner",
]
PUBLISHERS = [
    ("The Harbour Gazette", "harbourgazette.example"),
    ("Valley Courier", "valleycourier.example"),
    ("Northern Ledger", "northernledger.example"),
    ("The Coastal Times", "coastaltimes.example"),
    ("County Herald", "countyherald.example"),
]
ZONES = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)),
         timezone(timedelta(hours=2)), timezone(timedelta(hours=5, minutes=30))]  # fmt: skip

# Per topic: headlines, then body sentences. Slots in braces are filled from the article
# (town, official, role, resident, age, job) or afresh for each sentence (numbers, days).
TOPICS = {
    "transport": (
        [
            "{town} council approves {money} plan to rebuild its bus station",
            "New rail timetable for {town} will add {small} trains a day from {month}",
            "{town} bridge to close for {small} weeks of repairs in {month}",
        ],  # fmt: skip
        [
            "Councillors in {town} voted {votes} on {weekday} night to spend {money} on the "
            "project, which is due to be finished by the spring of {future}.",
            "{official}, {role}, said the work would cut journey times by about {small} minutes "
            "and take {thousands} cars a day off the roads through the town centre.",
            "The old station, built in {past}, has been criticised for years for its leaking "
            "roof, broken lifts and a waiting room that closes at {evening} on weekdays.",
            "Passenger numbers on the route rose by {pct} last year to {thousands} journeys a "
            "week, according to figures published on {date}.",
            "Opposition members argued that the {money} would be better spent on repairing "
            "the {small} miles of rural roads that flood every winter.",
            "Buses will be diverted to a temporary stop on {street} Street while the work "
            "goes on, and fares will be frozen at {price} until the end of {future}.",
            "A consultation drew {hundreds} responses, and {pct} of those who answered said "
            "they would use the service more often if it ran until {evening}.",
            "The contract is expected to be signed within {small} weeks, and the council "
            "says the first phase will cost {money} of the total.",
            "Cyclists' groups welcomed the plan but asked for {small} more secure bike "
            "shelters, saying the {hundreds} spaces proposed would be full on the first day.",
            "Traffic counts taken on {date} found {thousands} vehicles an hour on the ring road "
            "at peak times, {pct} more than the road was designed to carry.",
            "The scheme is the largest investment in public transport in {town} since {past}, "
            "when the line to {town2} was reopened.",
        ],
    ),
    "weather": (
        [
            "Floods close {town} roads for the {ordinal} time this winter",
            "Storm leaves {thousands} homes around {town} without power",
            "{town} records its wettest {month} since {past}",
        ],  # fmt: skip
        [
            "The river at {town} rose {metres} metres above its normal level, and {small} "
            "roads into the town were closed by {clock} on {weekday}.",
            "Engineers restored power to {thousands} homes overnight, but {hundreds} "
            "properties in outlying villages were still cut off on {date}.",
            "The Met Office said {rain} millimetres of rain fell in {small} hours, more than "
            "the area would normally expect in a fortnight.",
            "{official}, {role}, said emergency crews had checked {hundreds} homes and "
            "moved {small} families into temporary accommodation.",
            "Insurers estimate the damage in the district at {money}, and the council has "
            "asked the government for {money} to raise the flood defences.",
            "Winds of up to {speed} miles an hour brought down trees across {small} main "
            "roads, and the ferry to {town2} was cancelled for the {ordinal} day running.",
            "Temperatures are forecast to fall to {cold} degrees on {weekday}, with more rain "
            "expected by the weekend.",
            "The river was last this high in {past}, when {hundreds} homes were flooded and "
            "the town centre was closed for {small} days.",
            "Volunteers handed out {hundreds} sandbags from the fire station on {weekday}, and "
            "the leisure centre was opened as a rest centre for {small} nights.",
            "Farmers on the low ground near {town2} said {hundreds} acres of winter crops were "
            "under water and that the losses could reach {money}.",
            "The railway line between {town} and {town2} was closed after a landslip on {date}, "
            "and replacement buses were running every {small} minutes.",
        ],
    ),
    "health": (
        [
            "{town} hospital to open {small} new wards after {money} funding deal",
            "Waiting lists at {town} clinics fall by {pct} in a year",
            "{town} GP surgery to close in {month}, leaving {thousands} patients to move",
        ],  # fmt: skip
        [
            "The hospital treated {thousands} patients in its emergency department last "
            "month, {pct} more than in the same month of {last}.",
            "{official}, {role}, said the {money} would pay for {small} new beds and "
            "{hundreds} extra nursing shifts before next winter.",
            "Patients waited an average of {small} hours to be seen on {weekday}, against a "
            "national target of four hours.",
            "The number of people waiting more than {small} weeks for routine surgery fell "
            "to {thousands} by {date}, the latest figures show.",
            "A new diagnostic centre on the edge of {town} will carry out {thousands} scans "
            "a year when it opens in the autumn of {future}.",
            "Staff shortages remain the biggest problem, with {hundreds} nursing posts "
            "vacant across the trust and agency costs of {money} a year.",
            "The trust said it had cut cancelled operations by {pct} since it opened a "
            "separate surgical unit in {past}.",
            "Health officials urged people over {age} to book their winter vaccinations, "
            "after {thousands} cases of flu were reported across the region.",
            "The ambulance service said its crews had waited a total of {hundreds} hours "
            "outside the hospital in the week to {date}.",
            "A report published on {weekday} found that {pct} of beds were occupied by patients "
            "who were well enough to go home but had nowhere to go.",
            "The hospital's car park will be rebuilt with {hundreds} extra spaces, and parking "
            "will stay free for blue badge holders, the trust said.",
        ],
    ),
    "business": (
        [
            "{town} factory to create {hundreds} jobs in {money} expansion",
            "High street vacancies in {town} rise to {pct}",
            "{town} brewery sold to rival in {money} deal",
        ],  # fmt: skip
        [
            "The company, which has made parts for the car industry in {town} since "
            "{past}, said the new line would open in {month} {future}.",
            "Sales rose by {pct} to {money} in the year to {date}, and profits more than "
            "doubled, according to accounts filed on {weekday}.",
            "{official}, {role}, called the announcement the best news for the town in a "
            "decade, and said {hundreds} local suppliers would benefit.",
            "About {hundreds} people already work at the site, and the firm plans to take on "
            "{small} apprentices a year for the next {small} years.",
            "Shop vacancies in the town centre reached {pct} in the last quarter, compared "
            "with a national average of {pct}.",
            "Rents on the high street have fallen by about {pct} since {past}, and the "
            "council has offered grants of up to {price} to new tenants.",
            "The deal values the business at {money}, and the buyer has promised to keep "
            "brewing in {town} for at least {small} years.",
            "Union officials said they would meet managers on {date} to discuss pay, after "
            "members rejected an offer of {pct} in {month}.",
            "Energy bills at the plant have risen by {pct} since {last}, and the company said "
            "it would put solar panels on {small} of its buildings.",
            "The firm's order book now stands at {money}, enough to keep the factory busy until "
            "{future}, its finance director said.",
            "Footfall in the town centre was {pct} lower on {weekday} than a year earlier, "
            "according to counts taken by the business improvement district.",
        ],
    ),
    "courts": (
        [
            "{town} man jailed for {small} years over {money} fraud",
            "Inquiry into {town} fire to hear from {small} witnesses",
            "{town} landlord fined {price} for unsafe flats",
        ],  # fmt: skip
        [
            "The court heard that the defendant, {age}, took {money} from {hundreds} "
            "customers over {small} years before the scheme collapsed in {past}.",
            "Judge {judge} told the court on {weekday} that the offences had caused "
            "real hardship to people who trusted him with their savings.",
            "Prosecutors said {small} of the victims were over {age} and that some had lost "
            "everything they had saved for their retirement.",
            "The inquiry, which opens on {date}, will examine why fire doors in the block "
            "had not been checked since {past}.",
            "Inspectors found {small} flats without working smoke alarms, and tenants told "
            "them that repairs had been promised for {small} months.",
            "{official}, {role}, said the case showed why the council had employed {small} "
            "more housing officers since {last}.",
            "The hearing was adjourned until {clock} on {weekday}, when the court will "
            "decide how much of the {money} can be recovered.",
            "Police said they had traced {pct} of the missing money to accounts abroad and "
            "were working with banks in {small} countries.",
            "The landlord, who owns {small} properties in {town}, admitted {small} breaches of "
            "fire safety rules and was ordered to pay costs of {price}.",
            "The jury took {small} hours to reach its verdict after a trial that lasted {small} "
            "weeks and heard from {small} witnesses.",
            "Victims' families said outside the court on {date} that no sentence could make up "
            "for what they had lost.",
        ],
    ),
    "schools": (
        [
            "{town} to build {small} new primary schools by {future}",
            "Exam results in {town} best for {small} years",
            "{town} school closes for {small} days after roof collapse",
        ],  # fmt: skip
        [
            "The county expects pupil numbers in {town} to rise by {hundreds} over the next "
            "{small} years as new housing estates are finished.",
            "{official}, {role}, said the first of the schools would open in {month} "
            "{future} and take {hundreds} children when it is full.",
            "This year {pct} of pupils at the town's secondary schools passed English and "
            "maths, up from {pct} in {last}.",
            "Teachers at the school said they had reported cracks in the ceiling on {date}, "
            "{small} weeks before part of the roof fell in.",
            "Nobody was hurt, because the collapse happened at {clock} on a {weekday}, after "
            "the last pupils had left.",
            "Repairs are expected to cost {money}, and {hundreds} pupils will be taught in "
            "temporary classrooms until the work is done.",
            "The building was put up in {past} and is one of {small} in the county built with "
            "a type of lightweight concrete that is now being checked.",
            "Parents will be able to visit the new site on {date}, and applications for "
            "places close at {clock} on {weekday}.",
            "The school's head teacher said {hundreds} pupils had been moved to classrooms at a "
            "college in {town2} for the rest of the term.",
            "Spending on school transport in the county has risen to {money} a year, {pct} more "
            "than was budgeted for in {last}.",
            "The county council said it would survey all {small} of its older school buildings "
            "before the end of {month}.",
        ],
    ),
}
# Any topic can use these: the quotes and reactions every local story has.
COMMON = [
    '"We have been waiting {small} years for this," said {resident}, {age}, who {job}.',
    '"Nobody told us anything until {weekday} morning," {resident} said, adding that '
    "{small} neighbours had written to the council since {month}.",
    "{resident}, who has lived in {town} for {years} years, said people were worried about "
    "what would happen if costs rose by another {pct}.",
    'A spokesman for the government said on {date} that it would "look carefully" at the '
    "request and respond within {small} weeks.",
    "The next public meeting on the plans will be held at {town} town hall at {evening} on "
    "{date}, and is expected to draw about {hundreds} people.",
    "Figures released on {weekday} show that {thousands} households in the district now pay "
    "more than {pct} of their income in rent.",
    '"This is only the start," said {official}. "We will come back in {month} with a '
    'plan for the next {small} years."',
]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday".split()
MONTHS = """January February March April May June July August September October November
December""".split()
STREETS = "Quay Market Mill Church Station Bridge Castle Victoria Union Albion".split()
ORDINALS = "second third fourth fifth sixth".split()

_SWAPS = {"said": "added", "about": "nearly", "rose": "climbed", "new": "planned"}


@dataclass(frozen=True)
class Page:
    path: Path
    headline: str
    paragraphs: tuple[str, ...]
    published: datetime
    byline: str
    publisher: str


def write_pages(folder: Path, count: int, seed: int = 4) -> list[Page]:
    """`count` article pages in `folder` (created), the same for the same seed."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seen: set[str] = set()  # every sentence and headline so far: none may repeat
    start = datetime(2024, 1, 8, 6, 30)
    pages = []
    for index in range(count):
        published = start + timedelta(days=index * 2, hours=index * 5 % 13, minutes=index * 7 % 60)
        published = published.replace(tzinfo=ZONES[index % len(ZONES)])
        topic = list(TOPICS)[index % len(TOPICS)]
        page = _page(folder, index, topic, published, rng, seen)
        page.path.write_text(_html(page, topic, index), encoding="utf-8")
        pages.append(page)
    return pages


def edit_one_word(path: Path) -> tuple[int, str, str]:
    """Change one word in the middle body paragraph of a page written by `write_pages`:
    (paragraph number, counted from 1, the old word, the new word)."""
    text = path.read_text(encoding="utf-8")
    body = re.search(r'<div class="story-body">(.*?)</div>\s*<div class="share', text, re.S)
    paragraphs = list(re.finditer(r"<p>(.*?)</p>", body.group(1), re.S))
    middle = len(paragraphs) // 2
    # From the middle on, the first paragraph with a word we know a stand-in for.
    for number in list(range(middle, len(paragraphs))) + list(range(middle)):
        found = paragraphs[number]
        for old, new in _SWAPS.items():
            match = re.search(rf"\b{old}\b", found.group(1))
            if match:
                at = body.start(1) + found.start(1) + match.start()
                path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
                return number + 1, old, new
    raise ValueError(f"{path}: no word to change")


def _page(folder, index, topic, published, rng, seen) -> Page:
    town, town2 = rng.sample(TOWNS, 2)
    context = {
        "town": town,
        "town2": town2,
        "official": _name(rng),
        "role": rng.choice(ROLES),
        "resident": _name(rng),
        "job": rng.choice(JOBS),
        "month": MONTHS[published.month % 12],  # the month after publication: plans ahead
    }
    headlines, sentences = TOPICS[topic]
    headline = _unique(rng, seen, headlines, context)
    templates = sentences + COMMON
    while True:  # 6-10 paragraphs of 250-400 words, as a typical local news story
        # Each template at most once an article, so no story says the same thing twice.
        deck = rng.sample(templates, len(templates))
        sizes = [rng.choice((1, 2, 2, 3)) for _ in range(rng.randint(6, 10))]
        if sum(sizes) > len(deck):
            continue
        filled = [_fill(template, rng, context) for template in deck[: sum(sizes)]]
        words = sum(len(sentence.split()) for sentence in filled)
        if 250 <= words <= 400 and len(set(filled)) == len(filled) and seen.isdisjoint(filled):
            break
    seen.update(filled)
    ends = list(itertools.accumulate(sizes))
    paragraphs = [" ".join(filled[end - size : end]) for size, end in zip(sizes, ends, strict=True)]
    publisher = PUBLISHERS[index % len(PUBLISHERS)][0]
    name = f"{index:03d}-{_slug(headline)}.html"
    return Page(folder / name, headline, tuple(paragraphs), published, _name(rng), publisher)


def _unique(rng, seen, templates, context) -> str:
    for _ in range(1000):
        text = _fill(rng.choice(templates), rng, context)
        if text not in seen:
            seen.add(text)
            return text
    raise RuntimeError("ran out of distinct sentences; add templates")


def _fill(template: str, rng: random.Random, context: dict[str, str]) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = {name: context.get(name) or _random_value(name, rng) for name in fields}
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _random_value(name: str, rng: random.Random) -> str:
    year = 2024
    match name:
        case "small":
            return str(rng.randint(2, 12))
        case "hundreds":
            return str(rng.randint(120, 950))
        case "thousands":
            return f"{rng.randint(1, 48)},{rng.randint(0, 999):03d}"
        case "money":
            unit = rng.choice(("million", "million", "billion"))
            whole = rng.randint(1, 9) if unit == "billion" else rng.randint(2, 240)
            tenth = rng.choice(("", f".{rng.randint(1, 9)}"))
            return f"{rng.choice('£$€')}{whole}{tenth} {unit}"
        case "price":
            return f"£{rng.randint(2, 60) * 50:,}"
        case "pct":
            return f"{rng.randint(2, 60)}.{rng.randint(1, 9)}%"
        case "votes":
            return f"{rng.randint(20, 40)} to {rng.randint(3, 19)}"
        case "clock":
            return f"{rng.randint(1, 11)}:{rng.choice(('00', '15', '30', '45'))} " + rng.choice(
                ("a.m.", "p.m.")
            )
        case "evening":
            return f"{rng.randint(6, 9)}:{rng.choice(('00', '15', '30'))} p.m."
        case "date":
            return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
        case "weekday":
            return rng.choice(WEEKDAYS)
        case "past":
            return str(rng.randint(1955, 2015))
        case "last":
            return str(year - 1)
        case "future":
            return str(year + rng.randint(1, 4))
        case "judge":
            return _name(rng)
        case "age" | "years":
            return str(rng.randint(34, 81))
        case "metres":
            return f"{rng.randint(1, 4)}.{rng.randint(1, 9)}"
        case "rain":
            return str(rng.randint(40, 160))
        case "speed":
            return str(rng.randint(50, 95))
        case "cold":
            return f"minus {rng.randint(2, 9)}"
        case "street":
            return rng.choice(STREETS)
        case "ordinal":
            return rng.choice(ORDINALS)
    raise KeyError(name)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _html(page: Page, topic: str, index: int) -> str:
    publisher, domain = PUBLISHERS[index % len(PUBLISHERS)]
    address = f"https://www.{domain}/news/{page.published:%Y/%m/%d}/{_slug(page.headline)}"
    when = page.published.isoformat()
    lede = page.paragraphs[0].split(". ")[0].rstrip(".") + "."
    author = _slug(page.byline)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.headline,
        "description": lede,
        "mainEntityOfPage": {"@type": "WebPage", "@id": address},
        "datePublished": when,
        "author": {"@type": "Person", "name": page.byline},
        "publisher": {"@type": "Organization", "name": publisher},
        "inLanguage": "en-GB",
    }
    e = html.escape
    body = "\n".join(f"        <p>{e(p)}</p>" for p in page.paragraphs)
    # The newsletter box sits among the paragraphs, as on real pages.
    lines = body.split("\n")
    lines.insert(min(3, len(lines)), _NEWSLETTER.format(publisher=e(publisher)))
    return _PAGE.format(
        title=e(f"{page.headline} | {publisher}"),
        headline=e(page.headline),
        lede=e(lede),
        address=e(address),
        publisher=e(publisher),
        section=topic.capitalize(),
        when=when,
        shown=f"{page.published:%-I:%M %p, %-d %B %Y}",
        byline=e(page.byline),
        author=author,
        json_ld=json.dumps(data, ensure_ascii=False, indent=2),
        body="\n".join(lines),
    )


_NEWSLETTER = """        <div class="newsletter-signup">
          <h3>Get the {publisher} morning briefing</h3>
          <p class="promo">Sign up to our free newsletter for the day's top local stories, delivered to your inbox every weekday at 7am.</p>
          <form><input type="email" placeholder="Enter your email address"><button>Sign up</button></form>
        </div>"""  # noqa: E501

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <meta name="description" content="{lede}">
  <link rel="canonical" href="{address}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{publisher}">
  <meta property="og:title" content="{headline}">
  <meta property="og:description" content="{lede}">
  <meta property="og:url" content="{address}">
  <meta property="article:published_time" content="{when}">
  <meta property="article:section" content="{section}">
  <script type="application/ld+json">
{json_ld}
  </script>
</head>
<body class="article-page">
  <header class="site-header">
    <a class="logo" href="/">{publisher}</a>
    <nav class="primary-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
  </header>
  <main id="main">
    <article class="story">
      <header class="story-header">
        <h1 class="story-headline">{headline}</h1>
        <p class="story-standfirst">{lede}</p>
        <div class="story-meta">
          <span class="byline">By <a href="/authors/{author}" rel="author">{byline}</a></span>
          <time datetime="{when}">{shown}</time>
        </div>
        <ul class="share-tools"><li><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a></li><li><button>Copy link</button></li></ul>
      </header>
      <figure class="story-lead-image">
        <img src="/images/{author}-lead.jpg" alt="">
        <figcaption>The scene on {shown}. Photograph: {byline}</figcaption>
      </figure>
      <div class="story-body">
{body}
      </div>
      <div class="share-bottom"><p>Share this article</p><a href="https://twitter.com/intent/tweet?url=x">Twitter</a></div>
      <section class="author-bio">
        <p><strong>{byline}</strong> is a reporter for {publisher}, covering local government, transport and health.</p>
      </section>
    </article>
    <aside class="trending">
      <h2>Trending</h2>
      <ol><li><a href="/news/1">Roadworks on the ring road to last until June, council says</a></li><li><a href="/news/2">Harbour festival returns with fireworks</a></li></ol>
    </aside>
  </main>
  <footer class="site-footer"><p>© {publisher}. All rights reserved.</p></footer>
</body>
</html>
"""  # noqa: E501
