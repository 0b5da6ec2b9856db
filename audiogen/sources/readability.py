"""Readability: a reading of an HTML page by the content scoring of Mozilla's Readability.

Every paragraph votes for the containers that hold it (more for longer text and more commas),
class names and ids of furniture count against a container and those of articles for it,
links discount it; the best container, with the siblings that score close to it, is the
article.

`readability_blocks(tree)` gives the article's blocks as ("heading" | "text", line); the
page is not changed. html.py checks this reading against trafilatura's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiogen.sources.text import line_role

# Class names of furniture that sits inside article bodies, matched as whole class tokens
# ("bio", not "biography"). trafilatura drops much of this itself; these are what it keeps.
FURNITURE_CLASSES = (
    "bio", "author-bio", "author-box", "author-info", "about-author", "caption",
    "wp-caption-text", "newsletter", "newsletter-signup", "share", "sharing", "share-tools",
    "social-share", "related", "related-links", "related-stories", "ad", "ads", "advert",
    "advertisement", "ad-slot",
)  # fmt: skip
_FURNITURE_CLASS_SET = frozenset(FURNITURE_CLASSES)

# Class or id words of page parts that are never the article (an element is dropped unless
# its words also name content), of furniture (a container's score -25) and of articles (+25).
_UNLIKELY = re.compile(
    r"-ad-|agegate|banner|breadcrumb|carousel|combx|comment|community|cookie|cover-wrap|disqus"
    r"|extra|footer|gallery|gdpr|header|menu|modal|newsletter|pager|pagination|popup|related|remark"
    r"|replies|rss|shoutbox|sidebar|skyscraper|slideshow|social|sponsor|subscribe|supplemental",
    re.I,
)
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|carousel|combx|comment|com-|contact|footer"
    r"|gallery|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar"
    r"|skyscraper|slideshow|sponsor|shopping|tags|widget",
    re.I,
)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story", re.I
)
_UNLIKELY_ROLES = {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog",
                   "dialog"}  # fmt: skip
# Never read: code, controls, embedded players, and the page's own navigation and asides.
_NOT_READ = frozenset((
    "script", "style", "noscript", "template", "svg", "math", "button", "input", "select",
    "textarea", "iframe", "object", "embed", "video", "audio", "canvas", "nav", "aside",
    "footer", "form", "figcaption", "link", "meta", "title", "head",
    "header",  # the page's masthead, or the article's (headline, standfirst, byline)
))  # fmt: skip
_TAG_BASE = {"div": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3, "ul": -3,
             "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3, "h1": -5, "h2": -5, "h3": -5,
             "h4": -5, "h5": -5, "h6": -5, "th": -5}  # fmt: skip
_SCORED = {"p", "pre", "td", "section", "h2", "h3", "h4", "h5", "h6"}
_INLINE = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "font", "i",
    "img", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr", "del", "ins",
))  # fmt: skip
_MIN_PARAGRAPH = 25  # characters: less is a label, not a paragraph that votes
_MIN_ARTICLE = 500  # characters: less, and the reading is tried again with fewer rules
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CLEANED = frozenset(("div", "ul", "table", "form", "fieldset", "section"))


@dataclass(frozen=True)
class _Rules:
    """Readability's three rules; a page that reads too short is read again with fewer."""

    unlikely: bool = True  # drop elements whose class or id names furniture
    weights: bool = True  # class and id words weigh on a container's score
    clean: bool = True  # drop lists, tables and divs inside the article that look like furniture


_RETRIES = (_Rules(), _Rules(unlikely=False), _Rules(False, False), _Rules(False, False, False))


def readability_blocks(tree) -> list[tuple[str, str]]:
    """("heading" | "text", line) for each block of the article as Readability's scoring
    finds it in the page (the page is not changed); [] when it finds no text at all."""
    import copy

    best: list[tuple[str, str]] = []
    for rules in _RETRIES:
        blocks = _Reading(copy.deepcopy(tree), rules).blocks()
        if block_size(blocks) >= _MIN_ARTICLE:
            return blocks
        best = max(best, blocks, key=block_size)
    return best


def block_size(blocks: list[tuple[str, str]]) -> int:
    """How much text the blocks hold, in characters."""
    return sum(len(line) for _, line in blocks)


class _Reading:
    """One try at the page (a copy, which it prunes) under one set of rules."""

    def __init__(self, root, rules: _Rules):
        self.rules = rules
        _prune(root, rules)
        _divs_to_paragraphs(root)
        self.root = root
        self.stats = _stats(root)
        self.scores: dict = {}  # container -> its score
        self.votes: dict = {}  # container -> what its paragraphs gave it (no class weight)

    def blocks(self) -> list[tuple[str, str]]:
        top = self._top()
        if top is None:
            return []
        return [block for node in self._with_siblings(top) for block in self._read(node)]

    # Scoring: paragraphs vote for their parent, grandparent and on up to five levels.

    def _top(self):
        for node in self.root.iter(*_SCORED):
            self._vote(node)
        if not self.scores:
            return None
        for node in self.scores:
            self.scores[node] *= 1 - self._link_density(node)
            self.votes[node] *= 1 - self._link_density(node)
        ranked = sorted(self.scores, key=self.scores.get, reverse=True)
        top = self._shared_ancestor(ranked[0], ranked[1:5])
        return self._climb(top)

    def _vote(self, node) -> None:
        text = " ".join(node.text_content().split())
        if len(text) < _MIN_PARAGRAPH:
            return
        points = 1 + text.count(",") + min(len(text) // 100, 3)
        ancestors = [a for a in node.iterancestors() if a.getparent() is not None][:5]
        for level, ancestor in enumerate(ancestors):
            if ancestor not in self.scores:
                self.scores[ancestor] = self._initial_score(ancestor)
                self.votes[ancestor] = 0.0
            share = points / (1 if level == 0 else 2 if level == 1 else level * 3)
            self.scores[ancestor] += share
            self.votes[ancestor] += share

    def _initial_score(self, node) -> float:
        return _TAG_BASE.get(node.tag, 0) + self._weight(node)

    def _weight(self, node) -> int:
        if not self.rules.weights:
            return 0
        weight = 0
        for name in (node.get("class"), node.get("id")):
            if name:
                weight += (-25 if _NEGATIVE.search(name) else 0) + (
                    25 if _POSITIVE.search(name) else 0
                )
        return weight

    def _link_density(self, node) -> float:
        stats = self.stats[node]
        return stats.links / stats.text if stats.text else 0.0

    def _shared_ancestor(self, top, others: list):
        """When three of the next best candidates score near the top one and sit inside one
        of its ancestors, that ancestor is the article (split in parts by ads or figures)."""
        near = [node for node in others if self.scores[node] >= 0.75 * self.scores[top]]
        if len(near) < 3:
            return top
        for ancestor in top.iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            inside = sum(1 for node in near if _is_inside(node, ancestor))
            if inside >= 3:
                return ancestor
        return top

    def _climb(self, top):
        """Up while a parent's paragraphs vote more for it (the article goes on outside the
        top candidate), or while the parent is only a wrapper around it. Votes, not scores:
        a class name alone ("content") is no sign of more article."""
        last = self.votes.get(top, 0.0)
        threshold = last / 3
        parent = top.getparent()
        while parent is not None and parent.tag not in ("body", "html"):
            if parent in self.votes:
                if self.votes[parent] < threshold:
                    break
                if self.votes[parent] > last:
                    top = parent
                    break
                last = self.votes[parent]
            parent = parent.getparent()
        while top.getparent() is not None and top.getparent().tag not in ("body", "html"):
            if len([child for child in top.getparent()]) != 1:
                break
            top = top.getparent()
        return top

    def _with_siblings(self, top) -> list:
        """The top candidate and those of its siblings that belong to the article too."""
        parent = top.getparent()
        if parent is None:
            return [top]
        score = self.scores.get(top, 0.0)
        threshold = max(10.0, score * 0.2)
        chosen = []
        for sibling in parent:
            bonus = (
                score * 0.2
                if top.get("class") and sibling.get("class") == top.get("class")
                else 0.0
            )
            close = self.scores.get(sibling, -1e9) + bonus >= threshold
            if sibling is top or close or (sibling.tag == "p" and self._is_paragraph(sibling)):
                chosen.append(sibling)
        return chosen

    def _is_paragraph(self, node) -> bool:
        length, density = self.stats[node].text, self._link_density(node)
        if length > 80:
            return density < 0.25
        text = node.text_content()
        return length > 0 and density == 0 and re.search(r"\.( |$)", text) is not None

    # Reading: the chosen containers' text, in blocks, without what looks like furniture.

    def _read(self, node):
        if node.tag in _HEADINGS:
            text = " ".join(node.text_content().split())
            if text and self._weight(node) >= 0:
                yield "heading", text
            return
        if self._is_clutter(node):
            return
        if node.tag == "p" and _is_bold_heading(node):
            yield "heading", " ".join(node.text_content().split())
            return
        run: list[str] = [node.text or ""]
        for child in node:
            if child.tag == "br":
                run.append(_BREAK)
            elif child.tag in _INLINE and not self.stats[child].blocks:
                run.append(_inline_text(child))
            else:
                yield from _text_blocks(run)
                run = []
                yield from self._read(child)
            run.append(child.tail or "")
        yield from _text_blocks(run)

    def _is_clutter(self, node) -> bool:
        """Readability's conditional cleaning: a list, table or div that is mostly links,
        images, form fields or nothing, unless its text has the commas of prose."""
        if node.tag == "table" and _is_data_table(node):
            return True  # a table of figures is for the eye, not to be read aloud
        if node.tag not in _CLEANED or not self.rules.clean:
            return False
        name = f"{node.get('class', '')} {node.get('id', '')}"
        stats = self.stats[node]
        if re.search(r"share", name, re.I) and stats.text < 500:
            return True
        weight = self._weight(node)
        if weight + self.scores.get(node, 0.0) < 0:
            return True
        if stats.commas >= 10:
            return False
        is_list = node.tag == "ul" or (stats.text and stats.list_text / stats.text > 0.9)
        density = self._link_density(node)
        return (
            (stats.images > 1 and stats.paragraphs / stats.images < 0.5)
            or (not is_list and stats.items - 100 > stats.paragraphs)
            or stats.inputs > stats.paragraphs // 3
            or (
                not is_list
                and stats.heading_text < 0.9 * stats.text
                and stats.text < 25
                and (stats.images == 0 or stats.images > 2)
            )
            or (not is_list and weight < 25 and density > 0.2)
            or (weight >= 25 and density > 0.5)
        )


@dataclass
class _Stats:
    """What an element holds, counted once for the whole page (bottom up)."""

    text: int = 0  # characters of text, runs of space counted as one
    links: float = 0.0  # characters of link text (in-page links count 0.3)
    commas: int = 0
    paragraphs: int = 0
    images: int = 0
    items: int = 0  # list items
    inputs: int = 0
    heading_text: int = 0
    list_text: int = 0
    blocks: int = 0  # block-level elements inside


def _stats(root) -> dict:
    stats: dict = {}
    for element in reversed(list(root.iter())):
        own = _Stats(text=_length(element.text), commas=(element.text or "").count(","))
        for child in element:
            _add(own, stats[child], child)
            own.text += _length(child.tail)
            own.commas += (child.tail or "").count(",")
        if element.tag == "a":
            href = element.get("href") or ""
            own.links = own.text * (0.3 if href.startswith("#") else 1.0)
        stats[element] = own
    return stats


def _add(total: _Stats, part: _Stats, child) -> None:
    tag = child.tag
    total.text += part.text
    total.links += part.links
    total.commas += part.commas
    total.paragraphs += part.paragraphs + (tag == "p")
    total.images += part.images + (tag == "img")
    total.items += part.items + (tag == "li")
    total.inputs += part.inputs + (tag == "input")
    total.heading_text += part.text if tag in _HEADINGS else part.heading_text
    total.list_text += part.text if tag in ("ul", "ol") else part.list_text
    total.blocks += part.blocks + (tag not in _INLINE)


def _length(text: str | None) -> int:
    return len(" ".join(text.split())) if text else 0


def _prune(root, rules: _Rules) -> None:
    """Drop what is never the article: code, controls, hidden parts, navigation, and (under
    the first rule) elements whose class or id names furniture, outside tables and code."""
    stack = [(root, False)]
    while stack:
        element, sheltered = stack.pop()
        for child in list(element):
            if _is_dropped(child, rules, sheltered):
                _remove(child)
            else:
                stack.append((child, sheltered or child.tag in ("table", "code", "pre")))


def _is_dropped(element, rules: _Rules, sheltered: bool) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in _NOT_READ:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if (
        element.get("hidden") is not None
        or "display:none" in style
        or ("visibility:hidden" in style)
    ):
        return True
    if element.get("aria-hidden") == "true" or element.get("role") in _UNLIKELY_ROLES:
        return True
    if not rules.unlikely or sheltered or tag in ("body", "a", "article", "main"):
        return False
    classes = (element.get("class") or "").split()
    if _FURNITURE_CLASS_SET.intersection(classes):
        return True
    name = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_UNLIKELY.search(name)) and not _MAYBE.search(name)


def _remove(element) -> None:
    """Remove an element (or comment) and its content, keeping the text that follows it."""
    parent, tail = element.getparent(), element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


_DIV_BLOCKS = frozenset(("blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul",
                         "section", "article", "header", "figure", "h1", "h2", "h3", "h4",
                         "h5", "h6", "hr", "main", "li"))  # fmt: skip


def _divs_to_paragraphs(root) -> None:
    """As Readability does: a div of only text and inline elements is a paragraph, and a
    div's loose text between its blocks is wrapped in paragraphs, so that it votes too."""
    holds_blocks: dict = {}
    for element in reversed(list(root.iter())):
        holds_blocks[element] = any(
            child.tag in _DIV_BLOCKS or holds_blocks[child] for child in element
        )
    for div in list(root.iter("div")):
        if not holds_blocks[div]:
            div.tag = "p"
        else:
            _wrap_loose_text(div, holds_blocks)


def _wrap_loose_text(div, holds_blocks: dict) -> None:
    import lxml.html

    run = None
    if (div.text or "").strip():
        run = lxml.html.Element("p")
        run.text, div.text = div.text, None
        div.insert(0, run)
    for child in [c for c in div if c is not run]:
        if child.tag in _INLINE and not holds_blocks[child]:
            if run is None:
                run = lxml.html.Element("p")
                child.addprevious(run)
            run.append(child)  # its tail comes with it
            continue
        run = None
        if (child.tail or "").strip():
            run = lxml.html.Element("p")
            run.text, child.tail = child.tail, None
            child.addnext(run)


_BREAK = "\x00"  # a <br> in a run of text (source newlines are only spaces)


def _inline_text(element) -> str:
    """An inline element's text, a <br> as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_BREAK if child.tag == "br" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_blocks(run: list[str]):
    for line in "".join(run).split(_BREAK):
        line = " ".join(line.split())
        if line:
            yield "text", line


def _is_bold_heading(paragraph) -> bool:
    """<p><b>A heading</b></p>: only bold text, short, no final period (as _is_bold_title)."""
    children = list(paragraph)
    if len(children) != 1 or children[0].tag not in ("b", "strong"):
        return False
    if (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return False
    text = " ".join(paragraph.text_content().split())
    return 0 < len(text.split()) <= 12 and line_role(text) == "short"


def _is_inside(node, ancestor) -> bool:
    return any(a is ancestor for a in node.iterancestors())


def _is_data_table(table) -> bool:
    """Readability's test: a table of data (headers, a caption, many rows or columns), not
    one that lays out the page."""
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    marks = table.iter("caption", "col", "colgroup", "tfoot", "thead", "th")
    if table.get("summary") or next(marks, None) is not None:
        return True
    if any(True for inner in table.iter("table") if inner is not table):
        return False
    rows = list(table.iter("tr"))
    columns = max((len(row.findall("td")) for row in rows), default=0)
    return len(rows) >= 10 or columns > 4 or len(rows) * columns > 10
