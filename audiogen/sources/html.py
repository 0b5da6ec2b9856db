"""Extract from HTML: two readings find the article's text, the page's own metadata names it.

The page is read twice, independently: by Readability's content scoring (readability.py),
which is the base, and by trafilatura, whose XML keeps the structure (paragraphs, headings,
list items). Each strays in its own way (trafilatura into news streams, galleries and video
players, or it stops half-way; the scoring misses an article's last paragraph in its own
container), so trafilatura's extra blocks are taken only where they fall between blocks both
readings share, or are a short run at either end (`_choose`). What either keeps of the news
furniture inside the article element ("Read more: ...", share lines, photo credits, a wire
story's end notes) is dropped by the same line rules as text copied out of a browser
(text.py).

The metadata comes from what publishers write for search engines and social cards, in order
of trust: JSON-LD (schema.org NewsArticle), the canonical link, OpenGraph and article:*
properties, plain meta tags, then what trafilatura read off the page. The headline is the
name most of the page's sources (JSON-LD, og:title, twitter:title, <title> parts, <h1>s)
agree on.
"""

from __future__ import annotations

import html as html_entities
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from audiogen.article import Article, parse_date
from audiogen.errors import AudiogenError
from audiogen.sources.readability import FURNITURE_CLASSES, block_size, readability_blocks
from audiogen.sources.text import headline_from_paragraph, is_article, line_role
from audiogen.urls import is_url

_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
                  "BlogPosting", "LiveBlogPosting", "Report", "ScholarlyArticle",
                  "TechArticle", "SocialMediaPosting"}  # fmt: skip

_PRUNE = [
    # The article's own header (headline, standfirst, byline, share buttons), which
    # trafilatura would otherwise read as its first paragraphs; and photo captions.
    "//article//header | //figcaption",
    "//*[not(self::html or self::body or self::main or self::article)]["
    + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                  for name in FURNITURE_CLASSES)
    + "]",
]  # fmt: skip


def extract_html_article(
    html: str,
    *,
    source: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
    declared: bool = False,
) -> Article:
    """The article in an HTML page; `url` is where it was fetched from, when it was.

    `publisher` and `language`, when given, win over what the page says. `declared`: the
    source says the page is one article (a feed item, a list row with its headline), so a
    news brief is one (see `_is_one_article`). Raises an AudiogenError, one line naming
    `source`, when the page holds no article.
    """
    name = source or url or "page"
    tree = _tree(html, name)
    meta = page_metadata(tree, url)
    _paragraphs_from_breaks(tree)
    scored = readability_blocks(tree)
    found = _trafilatura(tree, url, name)
    headline = meta.headline or _clean(found.title if found else None)
    extracted = list(_blocks(found.body)) if found is not None and found.body is not None else []
    # A brief is looked for where the source or the page's JSON-LD says there is an article.
    brief = declared or meta.article_body is not None
    paragraphs, headings = _body(_choose(scored, extracted, headline, brief), headline)
    if not _is_one_article(paragraphs, headings, meta, declared):
        reason = (
            "only short passages, not an article (a front page or a list?)"
            if paragraphs
            else "no text in it (is it built by JavaScript?)"
        )
        raise AudiogenError(f"{name}: no article found in the page: {reason}")
    authors = meta.authors or _split_names(found.author if found else None)
    return Article(
        headline=headline or headline_from_paragraph(paragraphs[0]),
        paragraphs=tuple(paragraphs),
        byline=join_names(authors),
        published=meta.published or parse_date(found.date if found else None) or meta.modified,
        publisher=publisher or meta.publisher or _clean(found.sitename if found else None),
        language=language or meta.language or "en",
        source=source,
        url=meta.url or (url if url and is_url(url) else None),
        image=meta.image or _web_url(found.image if found else None, url),
        headings=headings,
    )


def _is_one_article(
    paragraphs: list[str], headings: dict, meta: PageMetadata, declared: bool
) -> bool:
    """Long enough to be an article; or a news brief of a few sentences, when the source or
    the page's JSON-LD (an article whose articleBody is this text) says it is one article.
    Even then a short text under headings is a list of stories (one heading over each
    summary), and one the page marks as not free is the teaser of a paywalled article."""
    if is_article(paragraphs):
        return True
    said = declared or _agrees(meta.article_body, paragraphs)
    return said and not headings and not meta.paywalled and is_article(paragraphs, declared=True)


def _agrees(declared_text: str | None, paragraphs: list[str]) -> bool:
    """Whether the paragraphs hold most of the text the page declares as its article's."""
    declared = _shingles([declared_text or ""])
    return bool(declared) and len(declared & _shingles(paragraphs)) >= _AGREEMENT * len(declared)


_AGREEMENT = 0.8  # of the declared text's word sequences: markup and entities differ a little


def _tree(html: str, name: str):
    import lxml.etree
    import lxml.html

    try:
        # lxml refuses str input that declares its encoding; the text is already decoded.
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
        return lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as error:
        raise AudiogenError(f"{name}: not a readable HTML page ({error})") from error


def _trafilatura(tree, url: str | None, name: str, **options):
    """trafilatura's reading of the page (XML body and metadata), None when it finds none."""
    import trafilatura

    for logger in ("trafilatura", "htmldate", "courlan"):  # its notes are not ours to show
        logging.getLogger(logger).setLevel(logging.CRITICAL)
    try:
        return trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_formatting=True, prune_xpath=_PRUNE, **options,
        )  # fmt: skip
    except Exception as error:  # a third-party parser on any page from the web: never fatal
        reason = type(error).__name__
        raise AudiogenError(f"{name}: the page could not be read ({reason})") from error


# --- The body ---------------------------------------------------------------------------
# Elements that start a new block: a run of text is a paragraph up to one of these.
_BLOCK_ELEMENTS = frozenset((
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "ul",
))  # fmt: skip


def _paragraphs_from_breaks(tree) -> None:
    """Text separated by blank lines (<br><br>) instead of <p> elements, as older CMSs write
    it, made into <p> elements: trafilatura reads paragraphs and drops loose text."""
    for parent in [element for element in tree.iter() if _has_blank_line(element)]:
        _wrap_paragraphs(parent)


def _has_blank_line(element) -> bool:
    previous_break = False
    for child in element:
        is_break = child.tag == "br"
        if is_break and previous_break:
            return True
        previous_break = is_break and not (child.tail or "").strip()
    return False


def _wrap_paragraphs(parent) -> None:
    import lxml.html

    pieces: list = [parent.text or ""]  # strings and elements, in order
    for child in list(parent):
        pieces.append(child)
        pieces.append(child.tail or "")
        child.tail = None
        parent.remove(child)
    parent.text = None
    paragraph = None
    breaks: list = []

    def add(piece) -> None:
        nonlocal paragraph
        if paragraph is None:
            if isinstance(piece, str) and not piece.strip():
                return
            paragraph = lxml.html.Element("p")
            parent.append(paragraph)
        if isinstance(piece, str):
            last = paragraph[-1] if len(paragraph) else None
            if last is None:
                paragraph.text = (paragraph.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            paragraph.append(piece)

    for piece in pieces:
        if isinstance(piece, str) and not piece.strip() and breaks:
            continue  # the space between two <br>s
        if not isinstance(piece, str) and piece.tag == "br":
            breaks.append(piece)
            continue
        if len(breaks) >= 2:
            paragraph = None  # a blank line: the paragraph ends
        else:
            for br in breaks:
                add(br)
        breaks = []
        if not isinstance(piece, str) and piece.tag in _BLOCK_ELEMENTS:
            paragraph = None
            parent.append(piece)
        else:
            add(piece)


_HEADER_LINES = 8  # headline, kicker, byline, date, labels: an article's header is no longer


def _body(blocks, headline: str | None) -> tuple[list[str], dict[int, str]]:
    """Paragraphs and section headings from trafilatura's XML body.

    Before the first paragraph of sentences everything is the article's header (headline,
    standfirst, byline, date); a line of furniture is dropped; the heading of what follows an
    article ("Related Stories", a wire story's ___ rule) ends it.
    """
    paragraphs: list[str] = []
    header: list[str] = []  # the short lines before the first paragraph of sentences
    headings: dict[int, str] = {}
    heading: str | None = None
    said = _key(headline or "")
    for kind, line in blocks:
        role = line_role(line)
        if role == "end" and paragraphs:
            break
        if role in ("end", "furniture") or _key(line) == said:
            continue
        if kind == "heading":
            heading = line  # kept only if a paragraph follows it
            continue
        if not paragraphs and role != "prose":
            header.append(line)
            continue
        if not paragraphs and len(header) > _HEADER_LINES:
            paragraphs += header  # a list that opens the article, longer than any header
        if heading is not None and paragraphs:
            headings[len(paragraphs)] = heading
        heading = None
        paragraphs.append(line)
    return paragraphs, headings


def _choose(scored: list, extracted: list, headline: str | None, brief: bool = False) -> list:
    """The article's blocks from the two readings of the page.

    Readability's scoring (`scored`) says which container is the article: on real pages
    trafilatura (`extracted`) more often strays outside it (a news feed above the article,
    a photo gallery or video player after it) or stops short of it than the other way
    round. trafilatura's reading is the article when the scoring finds none; otherwise what
    it reads between two blocks both readings share, and the scoring lacks, is added there
    (text the scoring's cleaning dropped inside the article).

    When neither reading is long enough for an article and `brief` (the source or the page's
    JSON-LD says there is one), the scoring's reading of a news brief is taken: trafilatura's
    fallback on a page that short runs the headline and byline into the text.
    """
    scored_body, extracted_body = _body(scored, headline)[0], _body(extracted, headline)[0]
    if not is_article(scored_body):
        if brief and not is_article(extracted_body) and is_article(scored_body, declared=True):
            return scored
        return extracted
    if not is_article(extracted_body):
        return scored
    return _merge(scored, extracted)


def _merge(primary: list, extra: list) -> list:
    """`primary`, with the runs of `extra`'s blocks that it lacks inserted where they fall.

    Between two blocks the readings share, a run is text the scoring's cleaning dropped
    inside the article, unless it is longer than half the article (a photo gallery or a feed
    inside the article's element). Before or after the shared part the readings disagree on
    where the article ends, and only a short run is taken (the article's last paragraph in a
    container of its own), not a news feed or the next story.
    """
    where = {_key(line): index for index, (_, line) in enumerate(primary)}
    read = _shingles(line for _, line in primary)
    inside, edge = block_size(primary) / 2, block_size(primary) * _EDGE_SHARE
    inserted: dict[int, list] = {-1: []}
    after, run = -1, []
    for block in extra:
        anchor = where.get(_key(block[1]))
        if anchor is None:
            if not _mostly_in(block[1], read):
                run.append(block)
            continue
        if block_size(run) <= (edge if after < 0 else inside):
            inserted.setdefault(after, []).extend(run)
        after, run = anchor, []
    if after >= 0 and block_size(run) <= edge:
        inserted.setdefault(after, []).extend(run)
    merged = list(inserted[-1]) if after >= 0 else []
    for index, block in enumerate(primary):
        merged.append(block)
        merged += inserted.get(index, [])
    return merged


_EDGE_SHARE = 0.15  # of the article: the most taken from one reading alone at either end


_WORD = re.compile(r"\w+")


def _shingles(lines) -> set[tuple[str, ...]]:
    """The 4-word sequences of some text, lower case: what two readings share."""
    words = _WORD.findall(" ".join(lines).lower())
    return {tuple(words[i : i + 4]) for i in range(max(0, len(words) - 3))}


def _mostly_in(line: str, shingles: set) -> bool:
    own = _shingles([line])
    return bool(own) and len(own & shingles) >= 0.5 * len(own)


def _blocks(element):
    """("heading" | "text", line) for each block in document order; a <br> splits a block."""
    for child in element:
        tag = child.tag
        if tag == "head":
            yield from (("heading", line) for line in _lines(child))
        elif tag == "p" and _is_bold_title(child):
            yield "heading", _lines(child)[0]  # <p><strong>A heading</strong></p>
        elif tag in ("p", "item", "quote", "cell"):
            yield from (("text", line) for line in _lines(child, skip=_BLOCK_TAGS))
            yield from _blocks(child)  # a list in a list item, paragraphs in a quote
        elif tag in ("list", "div", "row", "table"):
            yield from _blocks(child)
        # graphic, code, ref at the top: not something to read aloud


_BLOCK_TAGS = {"list", "p", "quote", "head", "table"}


def _lines(element, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The element's text without its nested blocks, one line per <br>-separated part."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in skip:
            parts.append(child.tail or "")
            continue
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append("".join(_lines(child, skip)))
        parts.append(child.tail or "")
    text = "".join(parts)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _is_bold_title(paragraph) -> bool:
    """A paragraph that is only bold text, short, with no final period: a heading in disguise."""
    children = list(paragraph)
    if len(children) != 1 or children[0].tag != "hi" or "#b" not in children[0].get("rend", ""):
        return False
    if (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return False
    lines = _lines(paragraph)
    return len(lines) == 1 and len(lines[0].split()) <= 12 and line_role(lines[0]) == "short"


def _key(line: str) -> str:
    return " ".join(line.lower().split()).rstrip(" .")


# --- The metadata --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageMetadata:
    headline: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    modified: datetime | None = None  # a fallback for a page that gives no publication date
    publisher: str | None = None
    language: str | None = None
    url: str | None = None  # canonical
    image: str | None = None
    article_body: str | None = None  # JSON-LD's articleBody: the article's text, as declared
    paywalled: bool = False  # JSON-LD says the article is not free to read


def page_metadata(tree, url: str | None = None) -> PageMetadata:
    """What the page says about its article: JSON-LD first, then its meta tags and links.
    Relative addresses are resolved against `url`, where the page came from."""
    ld = _json_ld_article(tree)
    meta = _meta_tags(tree)

    def first(*values):
        return next((value for value in values if value), None)

    return PageMetadata(
        headline=_headline([_clean(ld.get("headline")), _clean(ld.get("name")),
                            meta.get("og:title"), meta.get("twitter:title"),
                            meta.get("dc.title")], tree),
        authors=first(ld.get("authors"), _meta_authors(meta)) or (),
        published=first(*map(parse_date, [ld.get("datePublished"), ld.get("dateCreated"),
                        *(meta.get(name) for name in _DATE_META)])),
        modified=first(parse_date(ld.get("dateModified")),
                       parse_date(meta.get("article:modified_time"))),
        publisher=first(ld.get("publisher"), meta.get("og:site_name"),
                        meta.get("application-name")),
        language=_language(first(ld.get("inLanguage"), tree.get("lang"), tree.get("xml:lang"),
                                 meta.get("og:locale"), meta.get("content-language"),
                                 meta.get("language"), meta.get("dc.language"))),
        url=first(_web_url(_canonical(tree), url), _web_url(ld.get("url"), url),
                  _web_url(meta.get("og:url"), url)),
        image=first(_web_url(ld.get("image"), url), _web_url(meta.get("og:image"), url),
                    _web_url(meta.get("og:image:url"), url),
                    _web_url(meta.get("twitter:image"), url)),
        article_body=ld.get("articleBody"),
        paywalled=ld.get("isAccessibleForFree") is False,
    )  # fmt: skip


# Publication dates in meta tags, as news sites, CMSs and analytics tags write them.
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished",
              "pubdate", "publish-date", "publish_date", "parsely-pub-date", "sailthru.date",
              "dc.date.issued", "dc.date", "dcterms.date", "date")  # fmt: skip


def _meta_tags(tree) -> dict[str, str]:
    """Every <meta> with a value, by its lower-case name, property or itemprop; first wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _meta_authors(meta: dict[str, str]) -> tuple[str, ...]:
    for name in ("author", "article:author", "byl", "parsely-author", "sailthru.author",
                 "dc.creator", "dcterms.creator"):  # fmt: skip
        value = meta.get(name, "")
        if value and not value.startswith(("http://", "https://")):  # a profile URL, not a name
            return _split_names(value)
    return ()


def _canonical(tree) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href").strip()
    return None


# --- The headline ------------------------------------------------------------------------
# What the page declares (JSON-LD, OpenGraph, Twitter card), its headings and its <title>
# each name the article, and each is wrong on some pages: JSON-LD "headline" holding a
# description, an <h1> that is the site's logo or the section's name, a <title> that carries
# the site's name. The headline is the name the most other sources agree with.

_TITLE_PARTS = re.compile(r"\s+(?:[|\-–—»·:]|::)\s+")  # "Headline | Site", "Site - Headline"
_MAX_HEADINGS = 30  # the page's first <h1>s and <h2>s: the headline is among them if at all


def _headline(declared: list[str | None], tree) -> str | None:
    """The page's headline: of what it declares, its headings and its <title>, the name the
    most other sources agree with (on a tie the first, declared names before headings); when
    none agrees with another, the first declared name, else the <title> without the site's
    name, else the first <h1>."""
    title = _page_title(tree)
    headings = _headings(tree)
    sources = [[name] for name in declared if name] + [[text] for text in headings]
    if title:
        sources.append(_title_parts(title))
    support = [[_support(name, names, sources) for name in names] for names in sources]
    best = max((max(counts) for counts in support), default=0)
    if best > 0:
        names, counts = next(
            (n, c) for n, c in zip(sources, support, strict=True) if max(c) == best
        )
        return names[counts.index(best)]
    fallback = [name for name in declared if name]
    if fallback:
        return fallback[0]
    return _title_headline(title) if title else next(iter(headings), None)


def _title_headline(title: str) -> str:
    """A <title> without the site's name: its longest part."""
    return max(_title_parts(title)[1:] or [title], key=len)


def _support(name: str, names: list[str], sources: list[list[str]]) -> int:
    """How many other sources name the article as `name` does."""
    return sum(1 for other in sources if other is not names and any(_agree(name, b) for b in other))


def _agree(a: str, b: str) -> bool:
    """Two names of the same article: their words overlap by 0.7 (Jaccard)."""
    x, y = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return bool(x and y) and len(x & y) >= 0.7 * len(x | y)


def _page_title(tree) -> str | None:
    element = tree.find(".//head/title")
    return _clean(element.text_content() if element is not None else None)


def _title_parts(title: str) -> list[str]:
    """The <title> whole and cut at its separators: one part is the headline, one the site."""
    parts = [part for part in _TITLE_PARTS.split(title) if part.strip()]
    return [title, *parts] if len(parts) > 1 else [title]


def _headings(tree) -> list[str]:
    found: list[str] = []
    for heading in tree.iter("h1", "h2"):
        text = _clean(heading.text_content())
        if text:
            found.append(text)
        if len(found) >= _MAX_HEADINGS:
            break
    return found


# --- JSON-LD -------------------------------------------------------------------------------


# XHTML-era pages wrap script text in a CDATA section, often behind a // comment.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def _json_ld_article(tree) -> dict:
    """The page's (first) schema.org article as plain values: headline, name, authors,
    datePublished, dateCreated, dateModified, publisher, inLanguage, url, image, articleBody,
    isAccessibleForFree."""
    nodes: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(_CDATA.sub("", script.text_content()), strict=False)
        except ValueError:
            continue  # many pages ship broken JSON-LD; their meta tags are still there
        nodes += _nodes(data)
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    entities = [entity for node in nodes for entity in _nodes(node.get("mainEntity"))]
    for node in nodes + entities:
        if _types(node) & _ARTICLE_TYPES:
            return _article_values(node, by_id)
    return {}


def _nodes(data) -> list[dict]:
    """The objects of a JSON-LD document: top-level ones, in lists, and in @graph."""
    if isinstance(data, list):
        return [node for element in data for node in _nodes(element)]
    if isinstance(data, dict):
        return [data, *_nodes(data.get("@graph", []))]
    return []


def _types(node: dict) -> set[str]:
    types = node.get("@type")
    return {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}


def _article_values(node: dict, by_id: dict[str, dict]) -> dict:
    def resolve(value):
        """A {"@id": ...} reference is the node it names, elsewhere on the page."""
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
            return by_id.get(value.get("@id"), value)
        return value

    return {
        "headline": _clean(_string(node.get("headline"))),
        "name": _clean(_string(node.get("name"))),
        "authors": _split_names(*_names(resolve(node.get("author")))),
        "datePublished": _string(node.get("datePublished")),
        "dateCreated": _string(node.get("dateCreated")),
        "dateModified": _string(node.get("dateModified")),
        "publisher": _clean(next(iter(_names(resolve(node.get("publisher")))), None)),
        "inLanguage": _string(node.get("inLanguage"), "alternateName"),
        "url": _string(node.get("url")) or _string(node.get("mainEntityOfPage"), "@id"),
        "image": _string(_first(node.get("image")), "url", "contentUrl"),
        "articleBody": _clean(_string(node.get("articleBody"))),
        "isAccessibleForFree": _boolean(node.get("isAccessibleForFree")),
    }


def _names(value) -> list[str]:
    """The names in a schema.org Person/Organization, a list of them, or a plain string."""
    values = value if isinstance(value, list) else [value]
    names = [v.get("name") if isinstance(v, dict) else v for v in values]
    return [name for name in names if isinstance(name, str) and name.strip()]


def _string(value, *keys: str) -> str | None:
    """A plain string value; from a dict, its first key that holds one (then "@id", "url")."""
    if isinstance(value, dict):
        for key in (*keys, "@id", "url", "name"):
            if isinstance(value.get(key), str):
                return value[key].strip()
        return None
    return value.strip() if isinstance(value, str) else None


def _boolean(value) -> bool | None:
    """schema.org's Boolean: true or false, or the text "True"/"False" many pages write."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _first(value):
    return (value[0] if value else None) if isinstance(value, list) else value


# --- Values --------------------------------------------------------------------------------


def _clean(value) -> str | None:
    """One line of text: entities (JSON-LD often carries "&amp;") and runs of space undone."""
    if not isinstance(value, str):
        return None
    return " ".join(html_entities.unescape(value).split()) or None


_BY = re.compile(r"^(?:by|BY|By)\s+|^Von\s+(?=\S+\s+\S)")


def _split_names(*values: str | None) -> tuple[str, ...]:
    """Distinct author names from values like "By JANE DOE", "A; B", in order."""
    names: list[str] = []
    for value in values:
        for part in re.split(r"\s*[;|]\s*", _clean(value) or ""):
            name = _BY.sub("", part).strip(" ,")
            if name.isupper() and len(name) > 3:
                name = name.title()  # "JANE DOE" in a tag and a spoken byline reads as shouting
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names)


def join_names(names: tuple[str, ...] | list[str]) -> str | None:
    """ "A", "A and B", "A, B and C"."""
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _language(value: str | None) -> str | None:
    # "en-US", "en_GB" -> "en": the article's language, not the site's locale.
    if not value:
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _web_url(value: str | None, base: str | None) -> str | None:
    """An http(s) address, resolved against the page's own when relative; else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if base and is_url(base):
        value = urljoin(base, value)
    return value if is_url(value) and urlsplit(value).hostname else None
