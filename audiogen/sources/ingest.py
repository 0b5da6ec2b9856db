"""Ingest: read a source's bytes, refuse what is not an article, tell its kind, decode it.

The kind (page text, HTML, feed) is read off the content, not the file name: people save pages
as .txt and servers label feeds text/html. HTML is decoded as browsers do: a byte-order mark,
then the charset the server declared, then the page's own <meta charset>, then UTF-8, then
Windows-1252 with a warning.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from audiogen.errors import AudiogenError

log = logging.getLogger(__name__)

# A long feature is ~100 KB of text and a saved page with its scripts a few MB; anything past
# this (the same cap as a download) is a dump, a log or a mistake.
MAX_BYTES = 10 * 1024 * 1024

# Signatures of files people drop in by mistake, named in the error so the fix is obvious.
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP or Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"ID3": "an MP3 file",
    b"RIFF": "a WAV or AVI file",
    b"\x7fELF": "a program",
}

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

TEXT, HTML, FEED = "text", "html", "feed"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class RawDocument:
    source: str
    text: str
    encoding: str
    kind: str = TEXT  # TEXT or HTML (a feed is parsed from its bytes, see feeds.py)


def read_document(source: str) -> RawDocument:
    """The decoded text of a file, or an AudiogenError saying why it cannot be an article."""
    data = read_bytes(source)
    return decode_document(source, data, sniff_kind(data))


def read_bytes(source: str) -> bytes:
    """The bytes of a file that may be an article: it exists, is a file, and is not huge."""
    path = Path(source)
    if not path.exists():
        raise AudiogenError(f"{source}: no such file; check the path")
    if path.is_dir():
        raise AudiogenError(f"{source}: is a folder; name the article files inside it")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AudiogenError(
                f"{source}: {size / 1e6:.1f} MB is too large for one article "
                f"(limit {MAX_BYTES // (1024 * 1024)} MB); save the article on its own"
            )
        return path.read_bytes()
    except OSError as error:
        raise AudiogenError(f"{source}: cannot read: {error.strerror}") from error


def decode_document(
    source: str, data: bytes, kind: str = TEXT, charset: str | None = None
) -> RawDocument:
    """`data` as text; `charset` is what a server declared, if anything."""
    if not data.strip():
        raise AudiogenError(f"{source}: the file is empty; copy the article text into it")
    if data.startswith(_UTF16_BOMS):  # Notepad's "Unicode"; its NUL bytes are not binary
        return RawDocument(source, _text(data.decode("utf-16", errors="replace")), "utf-16", kind)
    _refuse_binary(source, data)
    declared = [charset]
    if kind == HTML:
        declared.append(_meta_charset(data[:_SNIFF_BYTES]))
    text, encoding = _decode(source, data, declared)
    return RawDocument(source, _text(text), encoding, kind)


# --- The kind ------------------------------------------------------------------------------

# How much of the start of a document is looked at to tell its kind and its declared charset.
_SNIFF_BYTES = 64 * 1024
# What may come before the root element: the XML declaration, comments, processing
# instructions, a DOCTYPE (with an internal subset: feeds that declare entities are caught
# and refused in feeds.py, so they must still be recognised as feeds here).
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\]\s*)?>)", re.S)
_ROOT = re.compile(r"\s*<([a-z][\w:.-]*)")
_FEED_ROOTS = ("rss", "feed", "rdf:rdf")
_FEED_TAG = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]")
# Tags that mark a fragment of HTML (a feed item's content, a copied page source).
_HTML_TAG = re.compile(r"<(?:p|br|div|article|section|body|head|title|meta|h[1-6]|ul|ol|li|a|span"
                       r"|img|figure|blockquote|table|em|strong|b|i)[\s/>]")  # fmt: skip


def sniff_kind(data: bytes, content_type: str | None = None) -> str:
    """TEXT, HTML or FEED, by the content; a server's content type only settles a page that
    does not say what it is."""
    head = _head(data)
    at = 0
    while match := _PROLOG.match(head, at):
        at = match.end()
    root = _ROOT.match(head, at)
    tag = root[1] if root else ""
    if tag in _FEED_ROOTS:
        return FEED
    if tag == "html" or head.lstrip().startswith("<!doctype html"):
        return HTML
    if head.lstrip().startswith(("<?xml", "<!doctype")) and _FEED_TAG.search(head):
        return FEED  # a prolog too long or too odd to skip, before a feed's root element
    if content_type in FEED_TYPES and _FEED_TAG.search(head):
        return FEED
    if content_type in HTML_TYPES:
        return HTML
    if head.lstrip().startswith("<") and _HTML_TAG.search(head):
        return HTML
    return TEXT


def _head(data: bytes) -> str:
    """The start of the document, lower case, for sniffing: latin-1 keeps every ASCII tag."""
    head = data[: _SNIFF_BYTES * 2]
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="replace").lower()
    return head.removeprefix(codecs.BOM_UTF8)[:_SNIFF_BYTES].decode("latin-1").lower()


# --- Decoding ------------------------------------------------------------------------------

# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and the
# XML declaration of an XHTML page.
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.I,
)
# Labels browsers read differently from Python: a page that says latin-1 is Windows-1252
# (the WHATWG encoding standard), and a UTF-16 label in an ASCII-readable page is a mistake.
_BROWSER_CODECS = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "windows-1252": "cp1252",
    "gb2312": "gbk", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}  # fmt: skip


def media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """A Content-Type header ("text/html; charset=ISO-8859-1") as its media type, in lower
    case, and its charset, as declared; (None, None) for none."""
    if not content_type:
        return None, None
    media, _, parameters = content_type.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _meta_charset(head: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(head)
    return (match[1] or match[2]).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _BROWSER_CODECS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(source: str, data: bytes, declared: list[str | None]) -> tuple[str, str]:
    for label in declared:
        codec = _codec(label)
        if codec is None:
            if label:
                log.warning("%s: unknown character set %r; guessing", source, label)
            continue
        try:
            return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec
        except UnicodeDecodeError:
            log.warning("%s: not valid %s as declared; guessing", source, label)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what "not UTF-8" almost always means for pasted news text; latin-1
    # decodes any byte, so it is the last resort for the few bytes cp1252 leaves undefined.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        log.warning("%s: not valid UTF-8; read it as %s", source, encoding)
        return text, encoding
    raise AssertionError("latin-1 decodes every byte")


def _refuse_binary(source: str, data: bytes) -> None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise AudiogenError(
                f"{source}: this is {kind}, not article text; save the article as text"
            )
    head = data[:8192]
    if b"\x00" in head:
        raise AudiogenError(f"{source}: binary data, not article text; save the article as text")
    control = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in head)
    if control > len(head) * 0.05:
        raise AudiogenError(f"{source}: binary data, not article text; save the article as text")


def _text(text: str) -> str:
    """Newlines as \\n, and no byte-order mark left at the start."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
