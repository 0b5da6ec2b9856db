"""Extract: find the article in a page copied out of a browser.

The input is what "select all, copy" gives: one line per block of the page, with the article
somewhere between navigation, share buttons, newsletter forms and lists of other stories.
Nothing here knows any particular site. Hard-wrapped text is unwrapped first; then every line
gets one kind from general features (length, sentence punctuation, repetition, dates, list
bullets, code, boilerplate phrases used by many sites) and from its neighbours (a caption
above a credit, the items under a colon, the summaries in a list of headlines, headlines cut
short with an ellipsis one under another, a numbered table of contents). The article is then
decided as a whole:

- the body is the contiguous span of lines with the greatest weight: paragraphs and list
  items add their words, everything else costs (a little for adverts and share buttons, more
  for menus and headline lists, much more for dates and bylines, which each story and comment
  of a list has, and for the heading of what follows an article, "Related", "3 Comments").
  So a photo caption, a sub-heading, an advert or a related-links box inside the article is
  passed over and the paragraphs after it are kept, while a list of other stories, comments
  or a footer is not taken in. Inside the span, furniture is dropped and a title-like line
  before a paragraph is its section's heading;
- the headline is the title-like line that introduces the body: its words are the body's
  words, a byline or date is next to it, and it is near the body (kickers, section names,
  menus and bylines above it score lower). It may stand inside the span's first lines, under
  a notice the span took in: the body then starts after it. A table's row (cells copied with
  tabs, or "Label Value" lines one under another), a menu's entry, a line cut short with an
  ellipsis or the lower-case rest of a broken phrase is never the headline; a table between
  the headline and the body is passed over like furniture, a menu or a video player's
  controls nearly so. A title the page itself names as the document's wins (a printed
  document's running head repeats it; an encyclopedia's text opens by defining it), and when
  the body is an edition of several stories, each with headline and byline, its dated or
  numbered title above the first story is the headline;
- the byline and date are read from the lines between the headline (its first copy) and the
  body, or from the line that signs a post at its end.

Everything is a single pass or a bounded look-around per line, so the cost is linear in the
length of the page.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audiogen.article import Article
from audiogen.errors import AudiogenError


def extract_article(
    text: str,
    *,
    source: str | None = None,
    publisher: str | None = None,
    language: str = "en",
    declared: bool = False,
) -> Article:
    """The article in `text` (a page as copied out of a browser), without the page around it.

    `source` names the input in error messages and is kept on the Article; `publisher`, when
    given, wins over whatever the page says. `declared`: the source says the text is one
    article (see `is_article`). Raises AudiogenError when there is no article.
    """
    lines, glued, cells = _page_lines(text)
    kinds = _line_kinds(lines, glued, cells)
    body = _find_body(lines, kinds, declared)
    if body is None:
        raise _no_article_error(source, lines, kinds)
    headline_at = _headline_index(lines, kinds, body, cells)
    credited = None
    if headline_at is None:
        headline = _headline_from_paragraph(body.paragraphs[0])
        header_top = _header_top(kinds, body.start)
    else:
        headline, credited = _headline_and_byline(lines[headline_at])
        header_top = _first_copy(lines, headline_at)
        if headline_at > body.start:  # what stood above the headline was not the article's
            body = _read_body(lines, kinds, headline_at + 1, body.end)
    signed = _signature(kinds, body.end)
    byline = _byline(lines, kinds, header_top, body.start, cells) or credited
    byline = byline or (signed and _byline_name(lines[signed]))
    dated = headline_at if credited else None  # "Title by Jane Doe March 3, 2015"
    published = _published(lines, kinds, header_top, body.start, dated)
    return Article(
        headline=headline,
        paragraphs=tuple(body.paragraphs),
        byline=byline,
        published=published or (signed and _published(lines, kinds, signed, signed + 1)),
        publisher=publisher or _publisher(byline, body.paragraphs, lines),
        language=language,
        source=source,
        url=source if source and re.match(r"https?://", source) else None,
        headings=body.headings,
    )


# --- For extractors that have already isolated the article (HTML) --------------------------


def line_role(line: str) -> str:
    """What one line of an already isolated article body is, by the same rules as above:
    "end" (the heading of what follows the article: "Related Stories", a ___ rule),
    "furniture" (ads, "Read more: ...", share lines, photo credits, bylines, timestamps),
    "prose" (a paragraph of sentences), or "short" (a heading, a list item, a fragment)."""
    kind = _line_kind(" ".join(line.split()), seen=1)
    if kind is _Kind.STOP:
        return "end"
    if kind in (_Kind.BOILER, _Kind.SLIDE, _Kind.CODE, *_META):
        return "furniture"
    return "prose" if kind is _Kind.PROSE else "short"


def is_article(paragraphs: list[str], *, declared: bool = False) -> bool:
    """Whether these paragraphs are long enough to be an article, not a teaser or a caption.

    `declared`: the source itself says they are one article (a feed item, the page's JSON-LD,
    a list row that gives its headline), so a news brief of a few sentences is one too; the
    caller has already kept out what is not prose (headlines, teasers of other stories)."""
    return _is_article(paragraphs) or (declared and _is_brief(paragraphs))


def headline_from_paragraph(paragraph: str) -> str:
    """A stand-in headline for a page that has none: the paragraph's first sentence."""
    return _headline_from_paragraph(paragraph)


# --- Lines ---------------------------------------------------------------------------------


def _page_lines(text: str) -> tuple[list[str], list[bool], set[int]]:
    """The non-blank lines, whitespace collapsed and hard wraps undone, and for each whether
    it directly follows the previous one (no blank line between): a caption and its credit
    are copied that way. Also which lines were a table's row of cells: a browser copies the
    cells of a row with tabs between them ("Founded<TAB>February 28, 1998").

    splitlines() accepts \\r\\n and \\r as well as \\n, so Windows text needs nothing special.
    """
    lines: list[str] = []
    glued: list[bool] = []
    cells: set[int] = set()
    after_blank = True
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            after_blank = True
        elif not after_blank and lines and _wraps_into(lines[-1], line):
            lines[-1] = _unwrapped(lines[-1], line)
        else:
            if _CELLS.search(raw):
                cells.add(len(lines))
            lines.append(line)
            glued.append(not after_blank)
            after_blank = False
    return lines, glued, cells


_CELLS = re.compile(r"\S\t+\S")


# A hard-wrapped line (text saved at a fixed width: e-mail, RFCs, plain-text articles) is of
# about this many characters; a page's own lines are either shorter (menus) or longer.
_WRAP_WIDTH = range(40, 101)


def _wraps_into(line: str, following: str) -> bool:
    """Whether `following` continues `line`'s sentence: `line` is of a wrapped width and the
    next starts in lower case, or `line` ends in a word broken at its hyphen."""
    if len(line) not in _WRAP_WIDTH:
        return False
    return following[0].islower() or (line[-1] == "-" and line[-2:-1].isalpha())


def _unwrapped(line: str, following: str) -> str:
    # "Internet-" + "Drafts": the hyphen stays, as in the compound it was part of.
    return line + following if line.endswith("-") else f"{line} {following}"


class _Kind(enum.Enum):
    PROSE = "prose"  # a paragraph of sentences
    SHORT = "short"  # title-like or navigation: a headline, a heading, a menu item
    BOILER = "boiler"  # page furniture inside or around the article: dropped, reading goes on
    STOP = "stop"  # the heading of what follows the article: the body ends here
    TIME = "time"  # only a date, a time or an age ("3 hours ago")
    BYLINE = "byline"  # "By Jane Doe", "Posted on <date> by alice", "Jane Doe, Associated Press"
    ITEM = "item"  # a list item: "• Added slime blocks", "2. Check the lock", or under a colon
    SLIDE = "slide"  # a gallery's slide counter and title ("3/50 Star Wars boosts economy")
    TEASER = "teaser"  # the summary under one headline of a list of other stories
    CODE = "code"  # a line of program code or markup in a technical article: not read aloud


_META = (_Kind.TIME, _Kind.BYLINE)
_TEXT = (_Kind.PROSE, _Kind.ITEM)  # what is read aloud

# A line seen this many times is repeated page furniture (form labels, "Subscribe" buttons).
_REPEATED = 3
# A paragraph of at least this many words is unmistakably running text.
_STRONG_WORDS = 12
# Lines without final punctuation but this long are paragraphs all the same.
_LONG_WORDS = 20


def _line_kinds(lines: list[str], glued: list[bool], cells: set[int]) -> list[_Kind]:
    counts = Counter(_key(line) for line in lines)
    kinds = [_line_kind(line, counts[_key(line)]) for line in lines]
    # A date or a name in a table's row ("Founded<TAB>February 28, 1998") is a fact the table
    # gives, not the article's dateline or byline.
    for i in cells:
        if kinds[i] in _META:
            kinds[i] = _Kind.SHORT
    # A credit line ("Credit...Jane Doe/Reuters") copied directly under a short paragraph
    # makes that paragraph the photo's caption.
    for i in range(1, len(lines)):
        if (
            glued[i]
            and kinds[i - 1] is _Kind.PROSE
            and len(lines[i - 1]) <= 300
            and _is_credit_only(lines[i])
        ):
            kinds[i - 1] = _Kind.BOILER
    _mark_listed(lines, kinds)
    _mark_teasers(lines, kinds)
    _mark_truncated(lines, kinds)
    _mark_contents(lines, kinds)
    return kinds


# "4.5 Mozilla Developer Network": an entry of a numbered table of contents.
_CONTENTS_ENTRY = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.? [A-Z]")


def _mark_contents(lines: list[str], kinds: list[_Kind]) -> None:
    """A run of three or more numbered section titles is a table of contents: furniture."""
    entries = [kind is _Kind.SHORT and bool(_CONTENTS_ENTRY.match(line))
               for line, kind in zip(lines, kinds, strict=True)]  # fmt: skip
    for start, end in _runs(entries):
        if end - start >= 3:
            kinds[start:end] = [_Kind.BOILER] * (end - start)


def _runs(flags: list[bool]):
    """(start, end) of each run of true values."""
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            yield start, i
            start = None


def _mark_listed(lines: list[str], kinds: list[_Kind]) -> None:
    """The short lines under a paragraph that ends with a colon ("The president also said:")
    are the items of its list."""
    for i in range(1, len(lines)):
        if kinds[i] is not _Kind.SHORT or len(lines[i].split()) < _ITEM_WORDS:
            continue
        above = kinds[i - 1]
        if (above is _Kind.PROSE and lines[i - 1].endswith(":")) or above is _Kind.ITEM:
            kinds[i] = _Kind.ITEM


# A list of stories is a run of at least this many headlines, each over one paragraph.
_TEASERS = 3
# Fewer words than this make a section heading ("History", "The plan"), not a story's headline.
_TEASER_TITLE_WORDS = 5
# How many lines one story of a list takes at most: headline, summary, source, date, comments.
_TEASER_GAP = 8


def _mark_teasers(lines: list[str], kinds: list[_Kind]) -> None:
    """The paragraphs of a list of stories (a headline, its summary, maybe its source or
    date, the next headline ...) are teasers, not an article: an article's sections hold more
    than one paragraph, or have shorter headings, or are numbered ("3. Beware the hairdryer")."""
    seq = [i for i, kind in enumerate(kinds) if kind is not _Kind.BOILER]
    run: list[int] = []  # positions in seq of the teasers of the current list
    for n in range(1, len(seq) - 1):
        title, text, after = seq[n - 1], seq[n], seq[n + 1]
        if (
            kinds[text] is _Kind.PROSE
            and kinds[title] is _Kind.SHORT
            and len(lines[title].split()) >= _TEASER_TITLE_WORDS
            and kinds[after] not in _TEXT
        ):
            if run and n - run[-1] > _TEASER_GAP:
                _teasers([seq[m] for m in run], kinds)
                run = []
            run.append(n)
    _teasers([seq[m] for m in run], kinds)


def _teasers(paragraphs: list[int], kinds: list[_Kind]) -> None:
    if len(paragraphs) >= _TEASERS:
        for i in paragraphs:
            kinds[i] = _Kind.TEASER


# A headline or summary cut short by the page to fit its box ("Here's what the maximum…").
_TRUNCATED = re.compile(r"(?:…|\.\.\.)[\"'”’»)]*$")
# How many lines apart two cut lines may be and still be items of one list of stories.
_TRUNCATED_GAP = 3


def _mark_truncated(lines: list[str], kinds: list[_Kind]) -> None:
    """Short lines that end in an ellipsis, two or more of them close together, are a list
    of other stories whose headlines were cut to fit: teasers, not sentences of the article.
    One such line alone ("But all the rest of it…") is the article's own trailing off."""
    cut = [kinds[i] is _Kind.PROSE and _is_truncated(line) for i, line in enumerate(lines)]
    marked = [i for i, flag in enumerate(cut) if flag]
    for a, b in zip(marked, marked[1:], strict=False):
        if b - a <= _TRUNCATED_GAP:
            kinds[a] = kinds[b] = _Kind.TEASER


def _is_truncated(line: str) -> bool:
    return len(line.split()) < _STRONG_WORDS and _TRUNCATED.search(line) is not None


def _key(line: str) -> str:
    """The line as boilerplate phrases are matched: lower case, one apostrophe, no trailing
    punctuation or required-field stars."""
    return line.lower().replace("\u2019", "'").replace("\u2018", "'").rstrip(" .:!*|•·-–—")


def _line_kind(line: str, seen: int) -> _Kind:
    key = _key(line)
    words = len(line.split())
    if _is_terminator(line, key, words):
        return _Kind.STOP
    # A date is a date however often it is seen: comments and lists of stories repeat them.
    if words <= 16 and _is_timestamp(line):
        return _Kind.TIME
    # Repetition marks furniture (buttons, form labels), not running text: a long paragraph
    # quoted twice over is still the article's.
    if (seen >= _REPEATED and words < _STRONG_WORDS) or _is_boilerplate(line, key, words):
        return _Kind.BOILER
    if _byline_name(line) is not None:
        return _Kind.BYLINE
    if _is_prose(line, words):
        return _Kind.PROSE
    if _SLIDE.match(line):
        return _Kind.SLIDE
    if _CODE.search(line):
        return _Kind.CODE
    if _BULLET.match(line) and words > _ITEM_WORDS:
        return _Kind.ITEM
    return _Kind.SHORT


# A list item: a bullet or a number, then the item ("• Added slime blocks", "2) Check it").
_BULLET = re.compile(r"(?:[•·▪▸►◦‣⁃∙*+–—-]|\(?\d{1,2}[.)])\s+\w")
# What a line of code looks like, in most languages, when it is not a sentence.
_CODE = re.compile(
    r"^(?://|/\*|\*/|#!|<!--|</?[a-zA-Z!]\w*|[$>] )"  # a comment, a tag, a shell prompt
    r"|[{};]$|^[})\]]"  # a block opened or closed, a statement ended
    r"|^[\w.$]+ ?(?:=|\+=|-=|=>|==|:=) ?\S"  # an assignment
    r"|^(?:def|class|function|var|let|const|import|return|if|for|while|func|fn)\b.*[(:{=]"
)
# "3/50 Star Wars boosts economy": a slide's counter and title, in a gallery of many. A
# counter alone ("1 of 12") is a photo viewer's, inside an article as often as not.
_SLIDE = re.compile(r"\d{1,3} ?(?:/|of) ?\d{1,3} +\w")
# Fewer words than this make a menu entry ("• Home", "• Contact us"), not a list item.
_ITEM_WORDS = 3


# --- What a line is ------------------------------------------------------------------------


def _phrases(table: str) -> frozenset[str]:
    """A set of phrases written as "|"-separated lines."""
    return frozenset(filter(None, (p.strip() for p in table.replace("\n", "|").split("|"))))


# Headings of the blocks that follow an article on news sites and blogs.
_TERMINATORS = _phrases(
    """
    news feed|more news|latest news|latest|latest stories|top stories|more stories|more to read
    editors' picks|editor's picks|editors picks|staff picks
    related|related stories|related articles|related coverage|related content|related news
    related posts|related reading|related links|related topics|more coverage|further reading
    recommended|recommended for you|recommended stories|recommended articles|recommended reading
    most read|most popular|most viewed|most shared|most emailed|popular|popular now|trending
    trending now|trending stories|read next|up next|what to read next|keep reading|don't miss
    you may also like|you might also like|you may be interested in|also of interest
    around the web|from our partners|sponsored stories|in other news|explore more
    comments|comment|discussion|join the conversation|leave a reply|leave a comment
    recent posts|recent comments|archives|categories|about the author|about the authors
    site index|site information navigation
    """
)
_TERMINATOR_RE = re.compile(
    r"(?:more (?:from|on|in|about) .+"
    r"|(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
    r" (?:comments?|responses?|replies|thoughts? on\b.*)"
    r"|comments? \(\d+\)|leave a (?:reply|comment)\b.*"
    r"|there (?:are|is) (?:\d+|no|one) (?:comments?|responses?|replies)\b.*"
    r"|(?:view|show|read|see|load) (?:all )?(?:\d+ )?(?:comments?|responses?|replies)(?: \(\d+\))?)"
)
# A rule of underscores is how wire copy separates the story from its end notes
# (contributor lines, "Follow AP's coverage ..."); asterisks and dashes are section breaks.
_END_RULE = re.compile(r"_{3,}")


def _is_terminator(line: str, key: str, words: int) -> bool:
    if words > 8 or _SENTENCE_END.search(line):
        return False
    return key.strip() in _TERMINATORS or bool(
        _TERMINATOR_RE.fullmatch(key) or _END_RULE.fullmatch(line)
    )


# Whole lines that are page furniture on many sites: ads, share buttons, account and
# newsletter links, media placeholders, comment-form labels.
_BOILERPLATE = _phrases(
    """
    advertisement|skip advertisement|ad|ads|sponsored|sponsored content|supported by|paid post
    share|share this|share this article|share this story|share full article|share article
    copy link|link copied|copy link copied|copied|email|e-mail|print|facebook|twitter|x|linkedin
    whatsapp|reddit|telegram|pinterest|flipboard|threads|bluesky|mastodon|messenger|tumblr
    save|saved|save article|save for later|gift this article|give this article|bookmark
    reply|cancel reply|post comment|like|follow|more|menu|search|close|home|back to top|top
    next|previous|prev|loading|skip|sign in|log in|login|log out|register|my account|account
    subscribe|subscribe now|sign up|newsletter|newsletters|donate|support us|about|contact
    listen|listen to this article|listen to this story|listen to article|play|pause|audio|video
    image|photo|photos|gallery|graphic|enlarge|expand|toggle caption|hide caption|edit|edit post
    indicates required|required|continue reading|read more|load more|show more|see more
    view comments|accept|accept all|reject all|manage preferences|cookie settings|help
    privacy policy|terms of use|terms of service|contact us|about us|site map|sitemap|rss
    order reprints|today's paper|jump to|in this article|table of contents|contents|opinion
    """
)
# Lines that start like furniture. Words that also open ordinary sentences ("Watch", "Read")
# only count with the colon that marks a link.
_BOILERPLATE_START = re.compile(
    r"(?:(?:read more|read also|also read|see also|related|more|watch|listen|recommended"
    r"|most read|editor'?s note|photos?|video|image|source):"
    r"|skip to\b|jump to\b|sign up\b|subscribe\b|enter your email|please,? enter"
    r"|thank you for (?:signing up|subscribing)|success\w* subscribed|you(?:'re| are) subscribed"
    r"|share (?:on|via|to|this|article|full|story)\b|follow us\b|posted in\b|filed under\b"
    r"|tagged\b|tags?:|categor(?:y|ies):|topics:|a version of this article appears in print"
    r"|your email address will not be published|required fields are marked"
    r"|(?:this )?audio is (?:created|generated|produced)\b|listen to (?:this|the) (?:article|story)"
    r"|voiced by\b|copyright\b|©|\(c\) )"
)
# A photo credit, alone or at the end of its caption (see _photo_credit).
_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|[A-Z][\w ]{0,30})?\s*Photos?\s*/[^)]*\)"
    r"|(?:^|(?<=[\s.]))(?:Photo|Photograph|Picture|Image|Illustration)s?(?: credit)?\s*(?::|by\b)"
    r"|\bCredit\s*(?:\.\.\.|…|:)|\bvia Getty Images\b"
    r"|/\s*(?:Getty Images|AFP|Reuters|AP|EPA|Shutterstock)\b"
)
_PLAYER_TIME = re.compile(r"(?:\d+:)?\d{1,2}:\d\d\s*/\s*(?:\d+:)?\d{1,2}:\d\d|00:00")
_READING_TIME = re.compile(
    r"\b\d+\s*-?\s*(?:min|mins|minute|minutes)\.?\s+(?:read|listen|watch)\b", re.I
)
_AI_AUDIO = re.compile(
    r"\baudio\b.*\b(?:created|generated|produced|narrated|voiced)\b"
    r".*\b(?:ai|artificial intelligence|automated|text-to-speech|synthetic)\b"
)


def _is_boilerplate(line: str, key: str, words: int) -> bool:
    if _END_RULE.fullmatch(line):
        return False
    if not any(c.isalnum() for c in line):  # rules, bullets, arrows: section breaks and decor
        return True
    if key.strip() in _BOILERPLATE or (words <= 60 and _BOILERPLATE_START.match(key)):
        return True
    if re.fullmatch(r"(?:https?://|www\.)\S+", line):
        return True
    if sum(line.count(sep) for sep in "|•·") >= 2 and words <= 30:  # "A | B | C" menus
        return True
    if _PLAYER_TIME.fullmatch(line) or (words <= 6 and _READING_TIME.fullmatch(line.lower())):
        return True
    if words <= 20 and _AI_AUDIO.search(key):
        return True
    return words <= 60 and _photo_credit(line) is not None


# A credit ends its caption within a few words; "/Reuters" or "Photos by" earlier in a line
# ("an Ipsos/Reuters poll found that ...") is running text.
_CREDIT_WORDS = 10


def _photo_credit(line: str) -> re.Match[str] | None:
    credits = list(_CREDIT.finditer(line))
    if credits and len(line[credits[-1].start() :].split()) <= _CREDIT_WORDS:
        return credits[-1]
    return None


def _is_credit_only(line: str) -> bool:
    credit = _photo_credit(line)
    return credit is not None and credit.start() <= 1


_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _is_prose(line: str, words: int) -> bool:
    if words < 2:
        return False
    if _SENTENCE_END.search(line):
        return True
    return (line.endswith(":") and words >= 8) or words >= _LONG_WORDS


def _is_strong(paragraph: str) -> bool:
    return len(paragraph.split()) >= _STRONG_WORDS


def _is_title_like(line: str, min_words: int = 2) -> bool:
    """A headline or heading: a few words, no final period, starting like a title."""
    words = len(line.split())
    return (
        min_words <= words <= 30
        and len(line) <= 250
        and not line.endswith((".", ",", ":", ";"))
        and (line[0].isalnum() or line[0] in "\"'“‘¿¡")
    )


# --- Dates and times -----------------------------------------------------------------------

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATES = (
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}(?!\d),?\s+{_YEAR}", re.I),  # December 25, 2022
    re.compile(rf"(?<!\w){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I),  # 25 December 2022
    re.compile(  # 2023-03-04, 2023-03-04T09:12:00+02:00
        r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
        r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
        r"\s*(?P<offset>Z|[+-][0-2]\d:?[0-5]\d)?)?(?!\d)"
    ),
    # 2/26/2015, 9/11/13: month first, as the American sites that write dates this way do.
    re.compile(
        r"(?<![\d/])(?P<month>1[0-2]|0?[1-9])/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)(?![\d/])"
    ),
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_TIME = re.compile(
    r"(?:(?<![\w:.])(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>[ap])\.?\s?m\.?"
    r"(?![a-z])|(?<![\w:.])(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)(?![\d:]))"
    r"(?:,?\s*(?-i:(?P<zone>UTC|GMT|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|BST|CET|CEST"
    r"|EET|EEST))(?P<zoneoffset>[+-]\d{1,2}(?::?\d\d)?)?(?![A-Za-z]))?",
    re.I,
)
_ZONES = {
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "BST": "Europe/London",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
}
_RELATIVE = re.compile(
    r"\b(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?"
    r"|months?|y|years?)\s+ago\b|\bjust now\b|\byesterday\b|\btoday\b",
    re.I,
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?", re.I
)
# Labels before a date. (?<![a-z]) rather than \b: pages glue them on ("2022Updated").
_DATE_LABEL = re.compile(
    r"(?<![a-z])(?P<label>first published|published|posted|last updated|updated"
    r"|last modified|modified|edited)(?![a-z])",
    re.I,
)
_UPDATE_LABELS = ("updated", "last updated", "last modified", "modified", "edited")
_DATE_FILLER = re.compile(r"\b(?:on|at|and|date|originally)\b", re.I)


def _is_timestamp(line: str) -> bool:
    """Whether the line says only when: a date, a time, an age, with labels and separators."""
    rest, found = _colon_times(line), 0
    for pattern in (*_DATES, _TIME, _RELATIVE):
        rest, n = pattern.subn(" ", rest)
        found += n
    if not found:
        return False
    for pattern in (_READING_TIME, _WEEKDAY, _DATE_LABEL, _DATE_FILLER):
        rest = pattern.sub(" ", rest)
    return not any(c.isalnum() for c in rest)


# "02.00 EST", "3.15pm": a time written with a dot, as British sites do; only before a zone or
# am/pm, where it is no decimal.
_DOTTED_TIME = re.compile(
    r"(?<![\w.])(?P<hour>[01]?\d|2[0-3])\.(?P<minute>[0-5]\d)"
    r"(?=\s*(?:(?i:[ap]\.?m)(?![a-z])|(?:UTC|GMT|[ECMP][SD]?T|BST|CES?T|EES?T)(?![A-Za-z])))"
)


def _colon_times(text: str) -> str:
    return _DOTTED_TIME.sub(r"\g<hour>:\g<minute>", text)


def _first_date(text: str) -> re.Match[str] | None:
    matches = [m for m in (pattern.search(text) for pattern in _DATES) if m]
    return min(matches, key=lambda m: m.start(), default=None)


def _datetime_in(segment: str) -> datetime | None:
    """The first date in `segment`, with the time written next to it (after it, or else
    before it as in "3:14 PM UTC, March 4, 2023"); midnight when there is no time."""
    date = _first_date(segment)
    if date is None:
        return None
    fields = date.groupdict()
    month = fields["month"]
    try:
        day = datetime(
            _full_year(fields["year"]),
            int(month) if month.isdigit() else _MONTHS[month[:3].lower()],
            int(fields["day"]),
        )
    except ValueError:  # "February 30"
        return None
    if fields.get("hour"):
        zone = _utc_offset(fields["offset"]) if fields["offset"] else None
        return day.replace(hour=int(fields["hour"]), minute=int(fields["minute"]), tzinfo=zone)
    before = list(_TIME.finditer(segment, 0, date.start()))
    time = _TIME.search(segment, date.end()) or (before[-1] if before else None)
    return day if time is None else _at_time(day, time)


def _full_year(year: str) -> int:
    """ "13" -> 2013, "98" -> 1998: a two-digit year is of the web's time."""
    if len(year) > 2:
        return int(year)
    return 2000 + int(year) if int(year) < _CENTURY_TURN else 1900 + int(year)


_CENTURY_TURN = 70


def _at_time(day: datetime, time: re.Match[str]) -> datetime:
    if time["hour24"]:
        hour, minute = int(time["hour24"]), int(time["minute24"])
    else:
        hour, minute = int(time["hour"]) % 12, int(time["minute"] or 0)
        if time["ampm"].lower() == "p":
            hour += 12
    return day.replace(hour=hour, minute=minute, tzinfo=_zone(time["zone"], time["zoneoffset"]))


def _zone(name: str | None, offset: str | None) -> tzinfo | None:
    """The timezone a page names; None (a naive, page-local time) when it names none or the
    system has no timezone database."""
    if name is None:
        return None
    if name in ("UTC", "GMT"):
        return _utc_offset(offset) if offset else UTC
    try:
        return ZoneInfo(_ZONES[name])
    except ZoneInfoNotFoundError:
        return None


def _utc_offset(text: str) -> timezone:
    if text in ("Z", "+0", "-0"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _dates_in(line: str) -> list[tuple[bool, datetime]]:
    """Each date on the line, and whether its label calls it an update ("Published X Updated Y"
    gives two)."""
    line = _colon_times(line)
    labels = list(_DATE_LABEL.finditer(line))
    cuts = [0, *(m.start() for m in labels), len(line)]
    updates = [
        False,
        *(m["label"].lower() in _UPDATE_LABELS for m in labels),
    ]
    found = []
    for start, end, is_update in zip(cuts, cuts[1:], updates, strict=False):
        when = _datetime_in(line[start:end])
        if when is not None:
            found.append((is_update, when))
    return found


# --- The body ------------------------------------------------------------------------------


@dataclass
class _Body:
    start: int  # line of the first paragraph
    end: int  # line of the last
    paragraphs: list[str]
    headings: dict[int, str]


# What each kind of line adds to a span that holds it. A paragraph adds its words, less a few
# (a line of two or three words that ends in "!" is a title more often than a paragraph);
# anything else costs: a little for furniture that sits inside articles (adverts, share
# buttons, code), more for a short line (a menu, a list of headlines), much more for a date or
# byline (each story or comment in a list has its own) and for the heading of what follows an
# article ("Related", "3 Comments"), which a span still crosses when the article goes on after
# it. The best span is the run of paragraphs that the fewest other lines interrupt.
_TEXT_OFFSET = 3
_BOILER_COST = 2
_SHORT_COST = 3
_META_COST = 60
_STOP_COST = 80
# How many lines above the body its byline/date block may start: past a standfirst, a photo
# and its caption, share buttons.
_HEADER_REACH = 6


def _find_body(lines: list[str], kinds: list[_Kind], declared: bool = False) -> _Body | None:
    """The article: the span of lines that holds the most words of paragraphs for the fewest
    lines of anything else (headings, captions, adverts, links, dates). None when it is too
    short to be an article (`declared`: see `is_article`)."""
    span = _best_span([_weight(line, kind) for line, kind in zip(lines, kinds, strict=True)])
    if span is None:
        return None
    body = _read_body(lines, kinds, *span)
    if _is_article(body.paragraphs):
        return body
    brief = declared and _is_brief(body.paragraphs) and _holds_the_page(lines, kinds, body)
    return body if brief else None


# Of the page's paragraphs, the share a news brief holds: one story of a list holds less.
_BRIEF_SHARE = 0.5


def _holds_the_page(lines: list[str], kinds: list[_Kind], body: _Body) -> bool:
    """Whether the body holds most of the words of the page's paragraphs, up to the heading of
    what follows it: a brief standing alone does, one story of a news feed (each with its own
    date, so that no span holds two) does not."""
    after = range(body.end + 1, len(lines))
    end = next((i for i in after if kinds[i] is _Kind.STOP), len(lines))
    words = sum(len(lines[i].split()) for i in range(end) if kinds[i] in _TEXT)
    return sum(len(p.split()) for p in body.paragraphs) >= _BRIEF_SHARE * words


def _weight(line: str, kind: _Kind) -> float:
    if kind in _TEXT:
        return len(line.split()) - _TEXT_OFFSET
    if kind is _Kind.STOP:
        return -_STOP_COST
    if kind in (*_META, _Kind.SLIDE):
        return -_META_COST
    return -_BOILER_COST if kind in (_Kind.BOILER, _Kind.CODE) else -_SHORT_COST


def _best_span(weights: list[float]) -> tuple[int, int] | None:
    """The first and last line of the contiguous span of greatest total weight (Kadane's
    algorithm: one pass); None when no line weighs anything."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _read_body(lines: list[str], kinds: list[_Kind], start: int, end: int) -> _Body:
    """The paragraphs and section headings in lines start..end: a title-like line before a
    paragraph is its section's heading; furniture and other short lines are dropped."""
    paragraphs: list[str] = []
    headings: dict[int, str] = {}
    heading: str | None = None
    first = None
    for i in range(start, end + 1):
        kind, line = kinds[i], lines[i]
        if kind in _TEXT:
            if heading is not None and paragraphs:
                headings[len(paragraphs)] = heading
            heading = None
            first = i if first is None else first
            paragraphs.append(_BULLET_MARK.sub("", line))
        elif kind is _Kind.SHORT:
            heading = line if _is_title_like(line, min_words=1) else None
    return _Body(start if first is None else first, end, paragraphs, headings)


# A list item's bullet is not read (its number is: "2. Check the lock").
_BULLET_MARK = re.compile(r"^[•·▪▸►◦‣⁃∙*+–—-]\s+")


def _near_ends(lines: list[str], kinds: list[_Kind], top: int, start: int) -> list[int]:
    """The lines from `top` to before `start` that are within _HEADER_REACH of either end
    (see _distance), in order."""
    near = set()
    for span in (range(top, start), range(start - 1, top - 1, -1)):
        distance = 0.0
        for i in span:
            distance += _distance(lines[i], kinds[i])
            if distance > _HEADER_REACH + _DATE_ABOVE_HEADLINE:
                break
            near.add(i)
    return sorted(near)


def _first_copy(lines: list[str], i: int) -> int:
    """The first of the copies of line `i` just above it: a page may show its headline twice
    (over the photo and over the text), with the byline under the first."""
    first = i
    for j in range(i - 1, max(-1, i - 1 - _HEADER_REACH * 2), -1):
        first = j if lines[j] == lines[i] else first
    return first


def _header_top(kinds: list[_Kind], start: int) -> int:
    """The first line of the byline/date block just above the body, else the body's start."""
    top = start
    for i in _lines_above(kinds, start, _HEADER_REACH):
        if kinds[i] in _META:
            top = i
    return top


# Share buttons and adverts between a header and its body can be many: they are passed over
# without counting towards a reach, up to this many.
_FURNITURE_REACH = 30


def _lines_above(kinds: list[_Kind], start: int, reach: int):
    """The indexes above `start`, nearest first, of up to `reach` lines that are not page
    furniture (furniture lines are passed over, within _FURNITURE_REACH)."""
    counted = passed = 0
    for i in range(start - 1, -1, -1):
        if kinds[i] is _Kind.BOILER:
            passed += 1
            if passed > _FURNITURE_REACH:
                return
            continue
        counted += 1
        if counted > reach:
            return
        yield i


def _is_article(paragraphs: list[str]) -> bool:
    """Two real paragraphs, or one long one: less is a teaser, a caption or a cookie notice."""
    strong = sum(map(_is_strong, paragraphs))
    return strong >= 2 or (strong == 1 and sum(map(len, paragraphs)) >= 400)


# A news brief is 30 to 60 words; a teaser or a caption is shorter.
_BRIEF_WORDS = 25


def _is_brief(paragraphs: list[str]) -> bool:
    """Sentences enough for a news brief: a real paragraph, and _BRIEF_WORDS words in all."""
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    return any(map(_is_strong, paragraphs)) and words >= _BRIEF_WORDS


def _no_article_error(source: str | None, lines: list[str], kinds: list[_Kind]) -> AudiogenError:
    name = source or "input"
    if not lines:
        reason = "the text is empty"
    elif _Kind.PROSE in kinds:
        reason = "only short passages of sentences, nothing long enough to be an article"
    else:
        reason = "only navigation, headlines and other short lines, no paragraphs of sentences"
    return AudiogenError(
        f"{name}: no article found: {reason}; "
        "open the article itself in the browser, then select all and copy again"
    )


# --- The header: headline, byline, date ----------------------------------------------------

# How far above the body the headline may be, in lines that are not furniture: past a
# standfirst, bylines, a lead photo and its caption, a video player's controls.
_HEADLINE_REACH = 60
# Words too common to tell one subject from another.
_STOP_WORDS = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been has have "
    "had it its this that these those his her their our your my we you they he she i not no "
    "will would can could may might should do does did so if than then there here what which "
    "who how when where why all more most new one two about after over into up out".split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def _headline_index(
    lines: list[str], kinds: list[_Kind], body: _Body, cells: set[int]
) -> int | None:
    """The line that introduces the body: title-like, about what the body is about (most of
    its words are the body's), near a byline or date, and near the body; None when none is.

    It may also stand inside the body's first lines, under a notice or a teaser that the span
    took in with it ("This story is unlisted ..."): then the body starts after it. A row of
    a table (`cells`: the lines copied as cells) is not a headline."""
    subject = Counter(_subject_words(" ".join(body.paragraphs)[:_SUBJECT_CHARS]))
    seen = Counter(lines[max(0, body.start - _HEADLINE_REACH * 2) : body.end + 1])
    heads = _running_heads(lines)
    best, best_score = None, 0.0
    for i, distance in _headline_places(lines, kinds, body, cells):
        if not _may_be_headline(lines[i], kinds[i]) or _is_row(lines, i, cells):
            continue
        if _in_menu(lines, kinds, i):  # "RSS Feed" among "Archive", "Contact", "Twitter"
            continue
        again = i == 0 or seen[lines[i]] > 1
        own = _is_own_title(lines[i], heads, body.paragraphs[0] if again else "")
        score = _headline_score(lines, kinds, i, subject, own)
        if score > 0:
            score += 0.5 * _repeated(lines[i], seen) - distance / _HEADLINE_REACH
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return _title_above(lines, kinds, body.start, subject)
    return _edition_title(lines, kinds, body, best, subject) or best


# A menu's entries are this many words at most ("RSS Feed", "About This Site"); a run of this
# many such lines, one under another, is a menu.
_MENU_WORDS = 3
_MENU_LINES = 4


def _in_menu(lines: list[str], kinds: list[_Kind], i: int, *, last: bool = False) -> bool:
    """Whether line `i` is an entry of a menu: a run of short lines one under another, with
    more of them after it (a headline right under a menu ends the run: a byline, a paragraph
    or the headline's standfirst follows it). `last`: the run's last line counts too (with
    nothing that tells a headline below it, it is as likely the menu's)."""
    if not _is_entry(lines[i], kinds[i]):
        return False
    after = i + 1
    while after < len(lines) and _is_entry(lines[after], kinds[after]):
        after += 1
    before = i
    while before > 0 and _is_entry(lines[before - 1], kinds[before - 1]):
        before -= 1
    return (last or after > i + 1) and after - before >= _MENU_LINES


def _is_entry(line: str, kind: _Kind) -> bool:
    return kind in (_Kind.SHORT, _Kind.BOILER) and len(line.split()) <= _MENU_WORDS


# Fewer words than this above a story's headline make a kicker or a section's name
# ("Politics", "Ukraine war"); an edition's title says more ("Weekly Edition for March 26").
_EDITION_WORDS = 4


def _edition_title(
    lines: list[str], kinds: list[_Kind], body: _Body, headline: int, subject: Counter
) -> int | None:
    """The title of an edition (a newsletter's issue, a digest) when the body is several
    stories, each with its headline and byline, and `headline` is the first story's: the
    title-like line right above it, about what the body is about, with its date or number.
    (The next article of an endless page under the first is no edition: what stands above
    its first headline is a kicker, a menu, a trending story's headline.)"""
    if headline >= body.start or not _meta_below(kinds, headline):
        return None
    if not any(_starts_story(lines, kinds, i) for i in range(body.start, body.end + 1)):
        return None
    above = next((i for i in range(headline - 1, -1, -1) if kinds[i] is not _Kind.BOILER), None)
    if above is None or kinds[above] is not _Kind.SHORT:
        return None
    line = lines[above]
    if len(line.split()) < _EDITION_WORDS or not _may_be_headline(line, kinds[above]):
        return None
    if not _FIGURE.search(line):  # an edition is dated or numbered ("Issue 85")
        return None
    return above if _headline_score(lines, kinds, above, subject) > 0 else None


def _starts_story(lines: list[str], kinds: list[_Kind], i: int) -> bool:
    """Whether line `i` is a story's headline inside a body: title-like, its byline under it."""
    return (
        kinds[i] is _Kind.SHORT
        and i + 1 < len(kinds)
        and kinds[i + 1] is _Kind.BYLINE
        and _is_title_like(lines[i])
    )


def _running_heads(lines: list[str]) -> list[str]:
    """The lines a printed document repeats at the top or foot of each page, lower case: its
    title with its kind and date or page number ("Internet-Draft remoteStorage December 2014").
    A line repeated without a figure is a button or a menu's ("Invite manually")."""
    counts = Counter(line.lower() for line in lines if len(line.split()) >= 2)
    return [line for line, n in counts.items() if n >= _REPEATED and _FIGURE.search(line)]


_FIGURE = re.compile(r"\d")


# A title shorter than this is a word that any line may have ("Home", "News").
_OWN_TITLE_CHARS = 6


def _is_own_title(line: str, heads: list[str], opening: str) -> bool:
    """Whether the page names `line` as the document's title: a running head has it with
    other words (the document's kind, its date), or the body opens with it as an encyclopedia
    does ("New Zealand (Maori: Aotearoa) is a country ..."; `opening` is that first paragraph
    when the page shows the line first or twice, as a title and again over the text)."""
    if len(line) < _OWN_TITLE_CHARS:
        return False
    title = re.escape(line.lower())
    named = re.compile(rf"(?<![\w'’]){title}(?![\w'’])")
    in_head = any(named.search(head) and head != line.lower() for head in heads)
    return in_head or re.match(title + _DEFINED, opening.lower()) is not None


# How an encyclopedia's text opens after its title: other names in brackets or after a comma,
# then what it is ("New Zealand (Maori: Aotearoa) is ..."). A news story that opens with the
# name of its section or place ("New Zealand said on Monday ...") does not define it.
_DEFINED = r"(?:\s*\([^)]*\))*(?:,[^,.]{1,80},)?\s+(?:is|was|are|were|refers to|has been)\b"


# "Game format Optical, Downloadable", "Largest city Auckland": a label of a few words in
# sentence case, then its value (a name, a figure).
_LABEL_VALUE = re.compile(r"[A-Z][a-z]+(?P<rest>(?: [a-z]+){1,2}) [A-Z\d$£€+]")
# A table's row is short; how far apart two rows of one table may be, in lines.
_ROW_WORDS = 10
_ROW_GAP = 2


def _is_row(lines: list[str], i: int, cells: set[int]) -> bool:
    """Whether line `i` is a row of a table (a spec sheet, an infobox): copied as cells, or a
    "Label Value" line with another such line next to it. One line of that shape alone may
    be a headline in sentence case ("Scientists discover Water on Mars")."""
    if _in_table(i, cells):
        return True
    near = range(max(0, i - _ROW_GAP), min(len(lines), i + _ROW_GAP + 1))
    return _is_label_value(lines[i]) and any(
        j != i and (j in cells or _is_label_value(lines[j])) for j in near
    )


# A cell of a table may hold lines of its own ("Divisions", then a list of names).
_CELL_LINES = 4


def _in_table(i: int, cells: set[int]) -> bool:
    """Whether line `i` is a row of cells or stands inside a table: rows close above and below."""
    return i in cells or (
        any(i - n in cells for n in range(1, _CELL_LINES + 1))
        and any(i + n in cells for n in range(1, _CELL_LINES + 1))
    )


def _is_label_value(line: str) -> bool:
    label = _LABEL_VALUE.match(line)
    return (
        label is not None
        and len(line.split()) <= _ROW_WORDS
        and not _STOP_WORDS.intersection(label["rest"].split())
    )


def _repeated(line: str, seen: Counter) -> bool:
    """A headline is often repeated (breadcrumbs, share buttons); so are menu entries, which
    are shorter."""
    return seen[line] > 1 and len(line.split()) >= 4


def _title_above(lines: list[str], kinds: list[_Kind], start: int, subject: Counter) -> int | None:
    """The title-like line right above the body, when no line is about what the body says
    (a body of placeholder text, or in a language the subject words do not fit); a single
    word only when the body has it too ("Lorem" above "Lorem ipsum dolor ...")."""
    above = next((i for i in range(start - 1, -1, -1) if kinds[i] is not _Kind.BOILER), None)
    if above is None or kinds[above] is not _Kind.SHORT or _in_menu(lines, kinds, above, last=True):
        return None
    line = lines[above]
    named = subject.keys() >= set(_subject_words(line)) > set()
    return above if _is_title_like(line, min_words=1 if named else 2) else None


# Text above a headline inside the body's span: a notice, a teaser, no more.
_ABOVE_HEADLINE_WORDS = 40


def _headline_places(lines: list[str], kinds: list[_Kind], body: _Body, cells: set[int]):
    """(index, distance from the body in lines that are not furniture) of every line where the
    headline may be: above the body, within _HEADLINE_REACH, and in its first lines. A table
    (an infobox) between the headline and the body is passed over like furniture."""
    words = 0
    for i in range(body.start, body.end + 1):
        if kinds[i] in _TEXT:
            words += len(lines[i].split())
            if words > _ABOVE_HEADLINE_WORDS:
                break
        else:
            yield i, 0
    distance = 0.0
    for i in range(body.start - 1, max(-1, body.start - 1 - _HEADLINE_REACH * 2), -1):
        distance += 0.0 if _in_table(i, cells) else _distance(lines[i], kinds[i])
        if distance > _HEADLINE_REACH:
            return
        yield i, distance


# A line of one or two words (a menu's entry, a video player's control) puts a headline this
# much further from the body than a line of more words does.
_TERSE_DISTANCE = 0.25


def _distance(line: str, kind: _Kind) -> float:
    """How much a line sets what is above it apart from what is below: nothing for furniture,
    little for a menu's entries or a player's controls, one line for anything else."""
    if kind is _Kind.BOILER:
        return 0.0
    return _TERSE_DISTANCE if len(line.split()) <= 2 else 1.0


def _headline_and_byline(line: str) -> tuple[str, str | None]:
    """ "Angry media won't buckle by: Laurie Oakes" -> the headline, and its byline when the
    page wrote both on one line."""
    for by in _BY.finditer(line):
        if len(line[: by.start()].split()) >= 3 and (name := _byline_name(line[by.start() :])):
            return line[: by.start()].rstrip(" ,|·—–-"), name
    return line, None


def _subject_words(text: str) -> list[str]:
    """The words that say what `text` is about, stemmed."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]


# How much of the body tells what it is about: a few minutes' reading.
_SUBJECT_CHARS = 6000


def _stem(word: str) -> str:
    """Near enough to a word's stem to match "beds" with "bed", "digging" with "dig" and
    "governments" with "government"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word[-1] == word[-2] and word[-1] not in "aeiouls":  # "stopp", "digg"
        word = word[:-1]
    return word[:7]


def _may_be_headline(line: str, kind: _Kind) -> bool:
    """A headline is a short line however often the page repeats it (breadcrumbs, share
    buttons); it may be a question or an exclamation, or end in an abbreviation's period. It
    is not cut short (an ellipsis) nor the rest of a phrase (see _is_fragment)."""
    if _TRUNCATED.search(line) or _is_fragment(line):
        return False
    if kind is _Kind.BOILER:  # furniture, or only seen often?
        if _CONTENTS_ENTRY.match(line):
            return False
        kind = _line_kind(line, seen=1)
    if kind is _Kind.SHORT:
        return _is_title_like(line, min_words=1)
    bare = line.rstrip(_CLOSING_QUOTES)
    return (
        kind is _Kind.PROSE
        and len(line.split()) <= _HEADLINE_WORDS
        and _is_title_like(bare[:-1])
        and (bare.endswith(("?", "!")) or _is_title_case(bare) and ". " not in bare)
    )


def _is_fragment(line: str) -> bool:
    """ "from the United Kingdom": a line that starts with a function word in lower case while
    it has capitals further on is the end of a phrase broken over lines (a table cell, a
    label's value). A headline styled all in lower case ("the year in review") is not."""
    first = line.split(maxsplit=1)[0]
    return first in _STOP_WORDS and not line.islower()


_CLOSING_QUOTES = "\"'”’»)"
_HEADLINE_WORDS = 25


def _is_title_case(line: str) -> bool:
    """ "Manhole Fires and Burst Pipes: How Winter Wreaks Havoc": most long words capitalised."""
    long_words = [word for word in line.split() if len(word) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.7 * len(long_words)


def _headline_score(
    lines: list[str], kinds: list[_Kind], i: int, subject: Counter, own: bool = False
) -> float:
    """How much line `i` looks like the headline of a body about `subject` (its words, counted);
    0 when it is not about it at all (a menu entry, a "Next story" link) or is only a name by a
    date (a byline). A headline's words are the body's, and several of them more than once; it
    has a byline or date below it (or a date above it); it is of a headline's length, and reads
    as a phrase, not a list of section names. `own`: the page names the line as its title
    (see _is_own_title), which says the body is about it whatever words the body uses."""
    line, credited = _headline_and_byline(lines[i])
    words = set(_subject_words(line))
    found = sum(min(subject[w], 2) for w in words) / 2  # a word the body has twice counts 1
    # One more word than it has: a line of one or two words proves less than a longer one.
    about = 1.0 if own else found / (len(words) + 1)
    below, above = _meta_below(kinds, i) or credited is not None, _meta_above(kinds, i)
    under_byline = i > 0 and kinds[i - 1] is _Kind.BYLINE
    if about == 0 or ((below or above) and _is_name(line)) or under_byline:
        return 0.0  # nothing of the body's; a byline; under a byline (a dateline, a credit)
    length = len(line.split())
    if length == 1 and not own and (found < 1 or line.islower()):
        return 0.0  # a one-word title names what the body is all about ("Mozilla")
    if length == 1 and words == {subject.most_common(1)[0][0]}:
        about = 1.0  # and it does: the word the body says most
    phrase = length < 8 or any(w.lower() in _STOP_WORDS for w in line.split())
    return (
        2 * about
        + below
        + 0.4 * above
        + 0.5 * (4 <= length <= 16)
        + 0.25 * (17 <= length <= 20)
        - 0.5 * (not phrase)
        - 0.5 * (length == 1)
        + 0.5 * own
    )


# How far below a headline its byline or date may be, in lines that are not furniture (past a
# standfirst and a caption); a date (never a byline) may also be just above it.
_META_BELOW = 4


def _meta_above(kinds: list[_Kind], i: int) -> bool:
    return any(kinds[j] is _Kind.TIME for j in range(max(0, i - 2), i))


def _meta_below(kinds: list[_Kind], i: int) -> bool:
    below = (j for j in range(i + 1, len(kinds)) if kinds[j] is not _Kind.BOILER)
    return any(kinds[j] in _META for _, j in zip(range(_META_BELOW), below, strict=False))


def _is_name(line: str) -> bool:
    """ "Jane Doe", "Mama Robotnik": a few capitalised words, none of them a function word
    ("On Recent Events" is a title)."""
    words = line.split()
    return (
        len(words) <= 4
        and _NAME.fullmatch(line) is not None
        and not any(w.lower() in _STOP_WORDS - {"and"} for w in words)
    )


def _headline_from_paragraph(paragraph: str) -> str:
    """A stand-in headline when the page has none (the user copied only the body): the first
    sentence, or its first words when it is long."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", paragraph, maxsplit=1)[0].rstrip(".")
    words = sentence.split()
    return sentence if len(words) <= 15 else " ".join(words[:10]) + "…"


def _byline(
    lines: list[str], kinds: list[_Kind], top: int, start: int, cells: set[int]
) -> str | None:
    """The byline in the header: a "By ..." line, else a name alone on a line by a date or
    just under the headline (and its standfirst), as blogs and magazines write it; not a
    table's row ("Capital<TAB>Wellington"). When another block stands between the headline
    and the body ("You may also like", its stories each with a name and a date), the name by
    a date nearest the body, after that block's heading, comes first."""
    for i in range(top, start):
        if kinds[i] is _Kind.BYLINE:
            return _byline_name(lines[i])
    header = [i for i in range(top, start) if _in_header(lines[i], kinds[i]) and i not in cells]
    block = max((i for i in header if _other_block(lines[i], kinds[i])), default=None)
    if block is not None:  # nearest the body first
        dated = (lines[i] for i in reversed(header) if i > block and _by_date(kinds, i))
        if name := next(filter(None, map(_name_alone, dated)), None):
            return name
    for n, i in enumerate(header[1:], start=1):
        under_headline = n == 1 or (n == 2 and kinds[header[1]] is _Kind.PROSE)
        name = _name_alone(lines[i])
        if name is not None and (under_headline or _by_date(kinds, i)):
            return name
    return _name_under_standfirst(lines, kinds, start)


# A header's count of comments ("2 responses") links to them: it heads no block of its own.
_COMMENT_COUNT = re.compile(
    r"\b(?:comments?|responses?|replies|reply|discussion|conversation)\b", re.I
)


def _other_block(line: str, kind: _Kind) -> bool:
    """Whether the line heads another block than the article ("You may also like")."""
    return kind is _Kind.STOP and _COMMENT_COUNT.search(line) is None


def _signature(kinds: list[_Kind], end: int) -> int | None:
    """The line that signs a post at its end ("Posted by Jane Doe at 12:55 AM"): a byline,
    the first line after the body that is not furniture."""
    after = _next_line(kinds, end)
    return after if after is not None and kinds[after] is _Kind.BYLINE else None


def _in_header(line: str, kind: _Kind) -> bool:
    """Whether a line of the header may be its byline or stand between it and the headline:
    not furniture (a name the page repeats is still a name), not a count ("36" comments)."""
    if kind is _Kind.BOILER and _line_kind(line, seen=1) is _Kind.BOILER:
        return False
    return any(c.isalpha() for c in line)


def _by_date(kinds: list[_Kind], i: int) -> bool:
    """Whether a date is on the line above `i` or the next line that is not furniture."""
    below = _next_line(kinds, i)
    return (i > 0 and kinds[i - 1] is _Kind.TIME) or (
        below is not None and kinds[below] is _Kind.TIME
    )


def _name_alone(line: str) -> str | None:
    """ "Jane Doe", "Jane Doe @jdoe", "Jane Doe • 8h": the name of two to four words that the
    line gives, before any separator."""
    name = _SEPARATOR.split(_HANDLE.sub("", line), maxsplit=1)[0].strip(_NAME_SEPARATORS)
    return name if 2 <= len(name.split()) <= 4 and _is_name(name) else None


_HANDLE = re.compile(r"[,·|]?\s*@\w+")
_SEPARATOR = re.compile(r"\s[|•·]\s")
# A standfirst is a sentence or two; a first paragraph longer than this is the article's.
_STANDFIRST_WORDS = 40


def _name_under_standfirst(lines: list[str], kinds: list[_Kind], start: int) -> str | None:
    """The name alone on the line after a standfirst that the body took in as its first
    paragraph ("... how AI is shaping the way teams work." / "Dave Steer"), with no paragraph
    right under it: a line such as "Early Years" over a paragraph is a section's heading."""
    if kinds[start] is not _Kind.PROSE or len(lines[start].split()) > _STANDFIRST_WORDS:
        return None
    after = _next_line(kinds, start)
    if after is None or kinds[after] is not _Kind.SHORT:
        return None
    below = _next_line(kinds, after)
    return None if below is None or kinds[below] in _TEXT else _name_alone(lines[after])


def _next_line(kinds: list[_Kind], i: int) -> int | None:
    """The next line after `i` that is not furniture."""
    return next((j for j in range(i + 1, len(kinds)) if kinds[j] is not _Kind.BOILER), None)


# How far above the headline a date may stand (some themes put it above the title).
_DATE_ABOVE_HEADLINE = 2


def _published(
    lines: list[str], kinds: list[_Kind], top: int, start: int, dated: int | None = None
) -> datetime | None:
    """The publication date in the header; an "Updated" date only when it is the only one.
    `dated`: the headline's line, when it carries its byline (and so its date). A date far
    from both the headline and the body is a fact in what stands between them (an infobox's
    "Dominion / 26 September 1907"), not the article's."""
    updated = None
    for i in _near_ends(lines, kinds, max(0, top - _DATE_ABOVE_HEADLINE), start):
        if kinds[i] not in _META and i != dated:
            continue
        for is_update, when in _dates_in(lines[i]):
            if not is_update:
                return when
            updated = updated or when
    return updated


_BY = re.compile(r"(?:^|\s)by:?\s+", re.I)
# What may stand before "by" besides a date: "Story by Jane Doe", "Posted on <date> by alice".
_BYLINE_LABEL = re.compile(
    r"story|words|text|reporting|written|posted|published|photos? and text", re.I
)
# "Jane Doe, Associated Press", "JOHN ROE, Staff Writer": names, then a newsroom or a role.
_NAME_COMMA_NEWSROOM = re.compile(
    r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}"
    r"(?:\s+and\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})?,\s+[^,]{2,60}"
)
_NEWSROOM_WORD = re.compile(
    r"\b(?:press|news|times|post|reuters|agency|media|journal|herald|tribune|network|wire|bureau"
    r"|correspondent|reporter|writer|editor|staff|contributor|radio|television|magazine)\b",
    re.I,
)
# Where a byline's name ends: its date, time or reading time, or a separator.
_BYLINE_END = (
    *_DATES,
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}(?!\d)", re.I),  # "March 18", the year left out
    _TIME,
    _RELATIVE,
    _READING_TIME,
    _DATE_LABEL,
    re.compile(r"\s[|·•—–-]\s|\s[|·•]"),
)


def _byline_name(line: str) -> str | None:
    """The credited names if the line is a byline, without "By" and any date after them, or
    the writer's description after them ("By Jane Doe, a deputy editor. She covers ...")."""
    line = _without_bio(line)
    if len(line.split()) > 25:
        return None
    by = _BY.search(line)
    if by is not None:
        prefix = line[: by.start()]
        if any(c.isalnum() for c in prefix) and not (
            _is_timestamp(prefix) or _BYLINE_LABEL.fullmatch(prefix)
        ):
            return None
        name = line[by.end() :]
    elif _NAME_COMMA_NEWSROOM.fullmatch(line) and _NEWSROOM_WORD.search(line.split(",", 1)[1]):
        name = line
    else:
        return _name_before_date(line)
    cut = min((m.start() for p in _BYLINE_END if (m := p.search(name))), default=len(name))
    # "Posted by Jane Doe at 12:55 AM", "Posted by Jane Doe.": the word before the time, the
    # sentence's full stop (not an initial's: "John Roe Jr.").
    name = _NAME_TAIL.sub("", name[:cut].strip(" ,;:|·•—–-"))
    words = name.split()
    if not words or len(words) > 12:
        return None
    # Names are capitalised ("Jane Doe and John Roe", "The Kyiv Independent news desk");
    # "By the end of the year, officials ..." is a sentence. A lone handle ("alice") is a name.
    capitalised = sum(w[0].isupper() for w in words)
    if len(words) > 1 and capitalised < 0.4 * len(words):
        return None
    # "By Monday Kyiv's police chief said 12 people died." is capitalised, but a sentence.
    if len(words) > 4 and _SENTENCE_END.search(name):
        return None
    return name


_NAME_TAIL = re.compile(r"\s+(?:at|on)$|(?<=[A-Za-z][a-z]{2})\.$")
# ", a deputy editor and author of ...": what a byline says of its writer after the name.
_BIO = re.compile(r",\s+(?:a|an|who)\s.*", re.S)


def _without_bio(line: str) -> str:
    """ "By Jane Doe, a deputy editor. She covers ..." -> "By Jane Doe"; "By Monday, a fire
    had ..." is a sentence and stays whole."""
    by, bio = _BY.match(line), _BIO.search(line)
    if by is None or bio is None:
        return line
    name = line[by.end() : bio.start()].split()
    capitalised = 2 <= len(name) <= 4 and all(word[0].isupper() for word in name)
    return line[: bio.start()] if capitalised else line


# "Jane Doe", "alice", "@jdoe", "J. R. Doe": the words of a name, without "By".
_NAME = re.compile(
    r"(?:@?[A-Z][\w.'’-]*|@\w+|[a-z][\w.-]{2,})"
    r"(?: (?:[A-Z][\w.'’-]*|de|van|von|da|and|\(.*\)))*"
)
_NAME_SEPARATORS = " ,;:|·•—–-/"


def _name_before_date(line: str) -> str | None:
    """The name in "Jane Doe · March 10, 2017 at 1:26 AM" (a comment's or a blog post's
    byline): a name of up to five words, then the date."""
    found = [m for m in (p.search(line) for p in (*_DATES, _RELATIVE)) if m]
    if not found:
        return None
    date = min(found, key=lambda m: m.start())
    if line.startswith(("—", "–", "-")):
        return None  # "— Jane Doe (@jdoe) March 3, 2023": a quote's attribution
    if line[: date.start()].rstrip().endswith(":"):
        return None  # "Expires: 18 June 2015", "Date: ...": a label
    name = line[: date.start()].strip(_NAME_SEPARATORS)
    if not 0 < len(name.split()) <= 5 or _DATE_LABEL.search(name) or _WEEKDAY.fullmatch(name):
        return None
    return name if _NAME.fullmatch(name) else None


# --- The publisher -------------------------------------------------------------------------

# "The Kyiv Independent news desk", "Kyiv Post Staff Reporter": a newsroom byline names its
# outlet.
_NEWSROOM_BYLINE = re.compile(
    r"(?P<outlet>.+?)\s+(?:news\s*desk|newsdesk|news staff|staff(?:\s+(?:reporter|writer|report))?"
    r"|newsroom|editorial (?:board|staff)|editors)",
    re.I,
)
# What follows the comma in "Jane Doe, Staff Writer": a role, not an outlet.
_ROLE = re.compile(
    r"\b(?:correspondent|reporter|writer|editor|staff|contributor|columnist|producer)s?\b", re.I
)
# "KYIV, Ukraine (AP) — ": wire copy names the agency in its dateline.
_WIRE_DATELINE = re.compile(r"\((?P<wire>AP|Reuters|AFP|UPI)\)\s*[—–-]")
_WIRES = {"AP": "The Associated Press", "Reuters": "Reuters", "AFP": "AFP", "UPI": "UPI"}
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b)", re.I)


def _publisher(byline: str | None, paragraphs: list[str], lines: list[str]) -> str | None:
    if byline:
        if (m := _NEWSROOM_BYLINE.fullmatch(byline)) and not m["outlet"].endswith((",", " and")):
            return m["outlet"]
        # "Jane Doe, Associated Press" names the outlet; "Jane Doe, Staff Writer" a role.
        if _NAME_COMMA_NEWSROOM.fullmatch(byline):
            after = byline.split(",", 1)[1].strip()
            if not _ROLE.search(after):
                return after
    for paragraph in paragraphs[:2]:
        if m := _WIRE_DATELINE.search(paragraph[:200]):
            return _WIRES[m["wire"]]
    # The site's own notice is in its footer: the last copyright line on the page.
    for line in reversed(lines):
        if _COPYRIGHT.match(line):
            return _copyright_owner(line)
    return None


def _copyright_owner(line: str) -> str | None:
    """ "© 2023 Example Media. All rights reserved." -> "Example Media"."""
    owner = re.sub(r"(?i)©|\(c\)|copyright|\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?", " ", line)
    owner = re.split(r"(?i)all rights reserved|\.\s|\s\|\s", owner)[0]
    owner = " ".join(owner.split()).strip(" ,.;:-–—")
    return owner if owner and len(owner.split()) <= 8 else None
