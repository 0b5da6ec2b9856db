"""Sources: what the user names (files, folders, globs, lists, URLs, feeds, stdin), as articles.

`expand_sources` turns the command line's arguments into one Source per article, in order,
without duplicates; a bad argument is reported and the rest go on. `read_article` reads one
Source into an Article. The rules:

- A **file** is one article, whatever its name, unless its content is an RSS/Atom feed (then
  each item is an article), or its name ends in .list, .csv or .jsonl (a list, below).
- A **folder** is the article files directly inside it (.txt, .html, .htm, .xhtml), in name
  order; hidden files and subfolders are left out (a glob such as ``"dir/**/*.html"`` reaches
  into subfolders).
- A **glob** (``"articles/*.html"``, quoted so the shell leaves it alone) is the files that
  match, in name order, each as if named on its own.
- A **list file**: ``*.list`` or any file named as ``@file``, one source per line, ``#``
  comments; ``*.csv`` and ``*.jsonl`` rows name one article each, with metadata overrides
  (see lists.py). ``@-`` reads a plain list from standard input.
- ``-`` is one article (page text or HTML) or a feed on standard input.
- A **URL** (http, https) named on the command line or in a plain list is fetched while
  expanding, to tell a feed from a page; a page's bytes are kept, so it is fetched once. URLs
  in CSV/JSONL rows and feed items are articles, fetched only when read: a list of thousands
  costs nothing up front.
- A feed item with its full text keeps it (as a small HTML page, see feeds.py) with its link as
  the Source's url; an item with only a summary is its link.
- A feed's item, and a CSV/JSONL row that gives the article's headline, vouch for one article:
  a news brief of a few sentences is read from it, where the same text named alone could be a
  teaser and is refused (see text.is_article).
- An address of another scheme (ftp://, file://) is refused as such, never looked for as a file.
- The same article named twice (the same file, the same address, a feed item and its link) is
  kept once, where it first appears; overrides given with the later one are added to it.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.sources.identity import source_key
from audiogen.sources.ingest import (
    FEED,
    HTML,
    MAX_BYTES,
    decode_document,
    media_type,
    read_bytes,
    sniff_kind,
)
from audiogen.sources.source import Failure, Source
from audiogen.urls import canonical_url as _web  # an address as an identity

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
# URLs fetched at once while expanding: a handful of sites, politely.
FETCHERS = 8
# Lists naming lists: deep enough for any real use, shallow enough to stop a loop early.
_MAX_LIST_DEPTH = 8
_GLOB_MAGIC = re.compile(r"[*?[]")
_ONLY_WEB = "only http:// and https:// addresses can be fetched"


def expand_sources(
    arguments: Iterable[str | os.PathLike | Source],
    stdin: BinaryIO | None = None,
    *,
    private_urls: bool = True,
) -> tuple[list[Source], list[Failure]]:
    """One Source per article the arguments name, in order, each once; and each argument (or
    list entry, or feed item) that names none, with the reason. Never raises for bad input.
    A Source among them is one article as it is. `private_urls`: as Options.private_urls."""
    expansion = _Expansion(stdin, private_urls)
    for argument in arguments:
        if isinstance(argument, Source):
            expansion.found(argument, source_key(argument))
        else:
            expansion.argument(os.fspath(argument))
    return expansion.finish()


def as_source(source: str | os.PathLike | Source) -> Source:
    """One article's Source, from a Source, a path or an address (as the command line takes
    it; `-` is standard input)."""
    return source if isinstance(source, Source) else Source(os.fspath(source))


def read_article(
    source: Source,
    *,
    publisher: str | None = None,
    language: str | None = None,
    private_urls: bool = True,
) -> Article:
    """The article a Source holds: read or fetched, its kind told by its content, extracted,
    with the Source's overrides applied. `publisher` and `language` (the user's own choice)
    win over overrides and over the page; None lets the page say; `private_urls`: as
    Options.private_urls. AudiogenError, one line starting with the Source's location, when
    there is no article."""
    from audiogen.sources.html import extract_html_article
    from audiogen.sources.text import extract_article

    name = source.location
    data, content_type, url = _content(source, private_urls)
    media, charset = media_type(content_type)
    kind = sniff_kind(data, media)
    if kind == FEED:
        raise AudiogenError(
            f"{name}: is a feed, not one article; convert it as a batch (`audiogen convert`, "
            "convert_all, a .list file) to convert each of its items"
        )
    document = decode_document(name, data, kind, charset)
    publisher = publisher or source.overrides.get("publisher")
    language = language or source.overrides.get("language")
    declared = source.says_article
    if kind == HTML:
        article = extract_html_article(
            document.text,
            source=name,
            url=url,
            publisher=publisher,
            language=language,
            declared=declared,
        )
    else:
        article = extract_article(
            document.text,
            source=name,
            publisher=publisher,
            language=language or "en",
            declared=declared,
        )
        article = replace(article, url=url or article.url)
    return _overridden(article, source.overrides)


# --- Reading one source --------------------------------------------------------------------


def _content(source: Source, private_urls: bool) -> tuple[bytes, str | None, str | None]:
    """The Source's bytes, the server's content type if fetched, and the article's address."""
    from audiogen.sources.fetch import fetch
    from audiogen.urls import is_address

    if source.content is not None:
        return source.content, source.content_type, source.url
    if source.location == "-":
        return _read_stdin(None), None, source.url
    if is_address(source.location):  # fetch refuses a scheme other than http(s) in words
        page = fetch(source.location, private_urls=private_urls)
        return page.content, _content_type(page), source.url or page.url
    return read_bytes(source.location), None, source.url


def _read_stdin(stdin: BinaryIO | None) -> bytes:
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise AudiogenError(f"-: more than {MAX_BYTES // 1024 // 1024} MB on standard input")
    if not data.strip():
        raise AudiogenError("-: standard input is empty; pipe an article or a feed into it")
    return data


def _content_type(page) -> str:
    return f"{page.content_type}; charset={page.charset}" if page.charset else page.content_type


def _overridden(article: Article, overrides: dict[str, str]) -> Article:
    from audiogen.sources.lists import override_date

    changes: dict = {}
    if overrides.get("headline"):
        changes["headline"] = overrides["headline"]
    if overrides.get("byline"):
        changes["byline"] = overrides["byline"]
    if overrides.get("date"):
        try:
            changes["published"] = override_date(overrides["date"])
        except ValueError as error:
            raise AudiogenError(
                f"{article.source}: date {overrides['date']!r} is not a date like 2023-03-04"
            ) from error
    return replace(article, **changes) if changes else article


# --- Expanding the arguments ---------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    source: Source
    identities: tuple[str, ...]  # the same file or address means the same article


@dataclass(frozen=True)
class _Pending:
    """A URL to fetch before it is known to be a page or a feed."""

    url: str
    where: str | None  # the list line that named it, for messages


class _Expansion:
    def __init__(self, stdin: BinaryIO | None, private_urls: bool = True) -> None:
        self.stdin = stdin
        self.private_urls = private_urls
        self.stdin_used = False
        self.lists: list[str] = []  # the list files being read, innermost last
        # In order: Sources (with what identifies their article), failures, URLs to fetch.
        self.slots: list[_Found | Failure | _Pending] = []

    # -- one argument

    def argument(self, text: str, where: str | None = None) -> None:
        """Expand one argument as the user wrote it (`where`: the list line it came from)."""
        from audiogen.urls import is_address, is_url

        if not text.strip():
            return
        if text == "-":
            self.standard_input(where)
        elif text.startswith("@"):
            self.list_file(text[1:], where)
        elif is_url(text):
            self.slots.append(_Pending(text, where))
        elif is_address(text):
            self.fail(text, _ONLY_WEB, where)
        else:
            self.path(text, where)

    def path(self, text: str, where: str | None) -> None:
        path = Path(text)
        if path.is_dir():
            self.folder(text, where)
        elif path.is_file():
            self.file(text, where)
        elif _GLOB_MAGIC.search(text):
            self.pattern(text, where)
        elif path.exists():
            self.fail(text, "not a regular file or folder", where)
        else:
            self.fail(text, "no such file or folder; check the path", where)

    def folder(self, text: str, where: str | None) -> None:
        try:
            names = sorted(entry.name for entry in os.scandir(text)
                           if entry.is_file() and not entry.name.startswith(".")
                           and entry.name.lower().endswith(ARTICLE_SUFFIXES))  # fmt: skip
        except OSError as error:
            self.fail(text, f"cannot read the folder: {error.strerror}", where)
            return
        if not names:
            kinds = ", ".join(ARTICLE_SUFFIXES)
            self.fail(text, f"no article files ({kinds}) in the folder", where)
        for name in names:
            self.file(os.path.join(text, name), where)

    def pattern(self, text: str, where: str | None) -> None:
        matches = sorted(m for m in glob.glob(os.path.expanduser(text), recursive=True)
                         if os.path.isfile(m))  # fmt: skip
        if not matches:
            self.fail(text, "no files match this pattern", where)
        for match in matches:
            self.file(match, where)

    def file(self, text: str, where: str | None) -> None:
        from audiogen.sources.lists import LIST_SUFFIXES

        if Path(text).suffix.lower() in LIST_SUFFIXES:
            self.list_file(text, where)
            return
        try:
            with open(text, "rb") as handle:
                head = handle.read(64 * 1024)
        except OSError as error:
            self.fail(text, f"cannot read: {error.strerror}", where)
            return
        if sniff_kind(head) != FEED:
            self.found(Source(text), os.path.realpath(text))
            return
        try:
            self.feed(text, read_bytes(text), None)
        except AudiogenError as error:
            self.fail(text, _reason(error, text), where)

    def standard_input(self, where: str | None) -> None:
        if where is not None:
            self.fail("-", "standard input cannot be named in a list file", where)
            return
        data = self.read_stdin()
        if data is None:
            return
        if sniff_kind(data) == FEED:
            try:
                self.feed("-", data, None)
            except AudiogenError as error:
                self.fail("-", _reason(error, "-"), None)
        else:
            self.found(Source("-", content=data), "-")

    def read_stdin(self) -> bytes | None:
        if self.stdin_used:
            self.fail("-", "standard input can be read only once", None)
            return None
        self.stdin_used = True
        try:
            return _read_stdin(self.stdin)
        except AudiogenError as error:
            self.fail("-", _reason(error, "-"), None)
            return None

    # -- lists and feeds

    def list_file(self, text: str, where: str | None) -> None:
        from audiogen.sources.lists import LINES, LIST_SUFFIXES, read_list

        label = "@-" if text == "-" else text
        if text == "-":
            data = self.read_stdin()
            if data is None:
                return
            folder = None
        else:
            if os.path.realpath(text) in self.lists:
                self.fail(label, "the list names itself (through other lists)", where)
                return
            if len(self.lists) >= _MAX_LIST_DEPTH:
                self.fail(label, f"lists nested more than {_MAX_LIST_DEPTH} deep", where)
                return
            try:
                data = read_bytes(text)
            except AudiogenError as error:
                self.fail(label, _reason(error, text), where)
                return
            folder = os.path.dirname(text) or "."
        if not data.strip():
            self.fail(label, "the list is empty", where)
            return
        try:
            contents = decode_document(label, data).text
        except AudiogenError as error:
            self.fail(label, _reason(error, label), where)
            return
        kind = LIST_SUFFIXES.get(Path(text).suffix.lower(), LINES)
        entries, failures = read_list(label, contents, kind, folder)
        for entry_where, reason in failures:
            self.slots.append((entry_where, reason))
        self.lists.append(os.path.realpath(text) if text != "-" else "-")
        try:
            for entry in entries:
                if entry.one_article:
                    self.article_row(entry)
                else:
                    self.argument(entry.source, entry.where)
        finally:
            self.lists.pop()

    def article_row(self, entry) -> None:
        """A CSV/JSONL row: one article, with its overrides; URLs are fetched when read."""
        from audiogen.urls import is_address, is_url

        if is_url(entry.source):
            self.found(Source(entry.source, overrides=entry.overrides), _web(entry.source))
        elif is_address(entry.source):
            self.fail(entry.source, _ONLY_WEB, entry.where)
        elif Path(entry.source).is_file():
            source = Source(entry.source, overrides=entry.overrides)
            self.found(source, os.path.realpath(entry.source))
        elif Path(entry.source).is_dir():
            self.fail(entry.source, "is a folder; a CSV or JSONL row names one article",
                      entry.where)  # fmt: skip
        else:
            self.fail(entry.source, "no such file; check the path", entry.where)

    def feed(self, location: str, data: bytes, url: str | None) -> None:
        """Each item of the feed: its full text if it has it, else its link."""
        from audiogen.sources.feeds import read_feed

        for item in read_feed(data, location=location, url=url):
            item_location = f"{location}#item-{item.number}"
            if item.page is not None:
                source = Source(item_location, content=item.page, url=item.link,
                                content_type="text/html; charset=utf-8",
                                declared_article=True)  # fmt: skip
                self.found(source, item_location, *([_web(item.link)] if item.link else []))
            elif item.link is not None:
                source = Source(item.link, url=item.link, declared_article=True)
                self.found(source, _web(item.link))
            else:
                self.slots.append((item_location, "the feed item has neither its text nor a link"))

    def found(self, source: Source, *identities: str) -> None:
        self.slots.append(_Found(source, identities))

    def fail(self, argument: str, reason: str, where: str | None) -> None:
        self.slots.append((argument, f"{reason} ({where})" if where else reason))

    # -- the end

    def finish(self) -> tuple[list[Source], list[Failure]]:
        self.fetch_pending()
        sources: list[Source] = []
        failures: list[Failure] = []
        seen: dict[str, int] = {}
        for slot in self.slots:
            if isinstance(slot, tuple):
                failures.append(slot)
                continue
            source = slot.source
            index = next((seen[key] for key in slot.identities if key in seen), None)
            if index is None:
                for key in slot.identities:
                    seen[key] = len(sources)
                sources.append(source)
            elif source.overrides or source.declared_article:
                first = sources[index]
                sources[index] = replace(
                    first,
                    overrides={**source.overrides, **first.overrides},
                    declared_article=first.declared_article or source.declared_article,
                )
        return sources, failures

    def fetch_pending(self) -> None:
        """Fetch the URLs named directly, a few at a time, and put what they are in their place:
        a page (kept, not fetched again), a feed's items, or the reason they are neither."""
        pending = [slot for slot in self.slots if isinstance(slot, _Pending)]
        if not pending:
            return
        pool = ThreadPoolExecutor(max_workers=min(FETCHERS, len(pending)))
        fetched = functools.partial(_fetched, private_urls=self.private_urls)
        try:
            pages = iter(list(pool.map(fetched, pending)))  # in the order of `pending`
        finally:
            # On Ctrl-C, the fetches not started never start; those under way end by the
            # fetch deadline.
            pool.shutdown(wait=False, cancel_futures=True)
        slots, self.slots = self.slots, []
        for slot in slots:
            if not isinstance(slot, _Pending):
                self.slots.append(slot)
                continue
            page = next(pages)
            if isinstance(page, AudiogenError):
                self.fail(slot.url, _reason(page, slot.url), slot.where)
                continue
            media, _ = media_type(_content_type(page))
            if sniff_kind(page.content, media) == FEED:
                try:
                    self.feed(slot.url, page.content, page.url)
                except AudiogenError as error:
                    self.fail(slot.url, _reason(error, slot.url), slot.where)
            else:
                source = Source(slot.url, content=page.content, url=page.url,
                                content_type=_content_type(page))  # fmt: skip
                self.found(source, _web(slot.url), _web(page.url))


def _fetched(pending: _Pending, private_urls: bool):
    from audiogen.sources.fetch import fetch

    try:
        return fetch(pending.url, private_urls=private_urls)
    except AudiogenError as error:
        return error


def _reason(error: AudiogenError, name: str) -> str:
    """The error's message without the name it starts with: the failure names it already."""
    message = str(error)
    return message.removeprefix(f"{name}: ") if message.startswith(f"{name}: ") else message
