"""Ingest: read a source's bytes, refuse what is not article text, decode it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from audiogen.errors import AudiogenError

log = logging.getLogger(__name__)

# A long feature is ~100 KB of text; anything past this is a dump, a log or a mistake.
MAX_BYTES = 5 * 1024 * 1024

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


@dataclass(frozen=True)
class RawDocument:
    source: str
    text: str
    encoding: str


def read_document(source: str) -> RawDocument:
    """The decoded text of a file, or an AudiogenError saying why it cannot be an article."""
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
        data = path.read_bytes()
    except OSError as error:
        raise AudiogenError(f"{source}: cannot read: {error.strerror}") from error
    text, encoding = _decode(source, data)
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        # HTML extraction is its own stage, still to come; say what works today.
        raise AudiogenError(
            f"{source}: HTML pages are not read yet; open the page in a browser, "
            "select all, copy, and save the text"
        )
    return RawDocument(source, text, encoding)


def _decode(source: str, data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise AudiogenError(f"{source}: the file is empty; copy the article text into it")
    if data.startswith(_UTF16_BOMS):  # Notepad's "Unicode"; its NUL bytes are not binary
        return _normalise_newlines(data.decode("utf-16", errors="replace")), "utf-16"
    _refuse_binary(source, data)
    try:
        return _normalise_newlines(data.decode("utf-8-sig")), "utf-8"
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
        return _normalise_newlines(text), encoding
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


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
