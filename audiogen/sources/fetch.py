"""Fetch: one web page or feed over HTTP(S), within limits a batch can live with.

Every fetch ends within DEADLINE seconds, whatever the server does: connecting, the TLS
handshake, the status line and headers, and the body all run under one wall-clock deadline
(asyncio's, around httpx's client), so a server that drips a byte a second cannot hold a batch.
Per-read timeouts alone cannot promise that (requests, urllib3 and httpx bound only the wait
between two reads), which is why the fetch runs on a small event loop of its own.

A failure is an AudiogenError of one line that says what happened: no such host, no answer,
a server that does not speak HTTPS on that port, a certificate that cannot be verified, an
HTTP status, a type that is not a page, a body that is too large or too slow.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from audiogen import __version__
from audiogen.errors import AudiogenError
from audiogen.sources.ingest import media_type
from audiogen.urls import is_url

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = (5.0, 15.0)  # connect, and between bytes
DEADLINE = 60.0  # for everything, from connecting to the body's last byte
USER_AGENT = f"Mozilla/5.0 (compatible; audiogen/{__version__}; article-to-audio)"
# Sites that negotiate content serve the page (or the feed) rather than an app shell or JSON.
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)

# What an article or a feed is served as; anything else (PDF, images, video) is refused.
_ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
)  # fmt: skip
# What a lead image may be served as: the kinds Pillow decodes that pages use.
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")

# OpenSSL's reasons for a first answer that is not TLS at all: a plain-HTTP server (or another
# protocol) on the port the https:// address named.
_NOT_TLS = {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST",
            "PACKET_LENGTH_TOO_LONG", "UNKNOWN_PROTOCOL", "UNEXPECTED_RECORD"}  # fmt: skip
# "ftp://", "file://", "s3://": an address, not a path, whatever its scheme.


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content: bytes
    content_type: str  # "text/html", without parameters
    charset: str | None  # as the server declared it


def fetch_image(url: str) -> bytes:
    """The image at `url` (IMAGE_TYPES), within the same limits as a page."""
    return fetch(url, IMAGE_TYPES).content


def fetch(url: str, types: tuple[str, ...] = _ACCEPTED_TYPES) -> Page:
    """The body at `url`, or an AudiogenError naming the reason in one line; `types`: the
    media types taken (by default a page or a feed). For synchronous callers (any thread, but
    not one that runs an event loop)."""
    if not is_url(url):
        raise AudiogenError(f"{url}: only http:// and https:// addresses can be fetched")
    # A loop of its own, closed without waiting for its threads: asyncio.run would wait for a
    # name lookup that hangs, past the deadline.
    loop = asyncio.new_event_loop()
    task = loop.create_task(_fetch(url, types))
    try:
        return loop.run_until_complete(task)
    finally:
        if not task.done():  # interrupted (Ctrl-C) between two steps: let it close first
            task.cancel()
            loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        elif not task.cancelled():
            task.exception()  # a Ctrl-C inside a step is on its way up: not an unseen error
        loop.close()


async def _fetch(url: str, types: tuple[str, ...]) -> Page:
    import httpx

    try:
        async with (
            asyncio.timeout(DEADLINE),
            _client(types) as client,
            client.stream("GET", url) as response,
        ):
            _check_status(url, response)
            content_type, charset = _content_type(url, response, types)
            body = await _body(url, response)
            return Page(str(response.url), body, content_type, charset)
    except TimeoutError as error:  # the deadline, not a read timeout (httpx has its own)
        raise AudiogenError(
            f"{url}: still downloading after {DEADLINE:.0f} s; the site is too slow, retry later"
        ) from error
    except httpx.HTTPError as error:
        raise AudiogenError(f"{url}: {_failure(url, error)}") from error


def _client(types: tuple[str, ...]):
    import httpx

    connect, read = TIMEOUT
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(read, connect=connect),
        headers={"User-Agent": USER_AGENT, "Accept": _accept(types)},
        verify=_tls(),
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context per process, shared by every fetch and thread: reading the
    CA certificates takes longer than fetching a page."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _failure(url: str, error: Exception) -> str:
    """What went wrong, in words, for a failure of the transport or of the protocol."""
    import httpx

    if isinstance(error, httpx.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects (a loop?)"
    if isinstance(error, httpx.UnsupportedProtocol):
        # Only the first address is checked before fetching: this is a redirect's.
        return "redirected to an address that is not http(s)"
    if isinstance(error, httpx.TimeoutException):
        return "timed out; the site is slow or down"
    if isinstance(error, httpx.ConnectError):
        return _connect_failure(url, error)
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return "the server broke off the answer or sent a malformed one; retry later"
    return f"fetch failed: {type(error).__name__}"


def _connect_failure(url: str, error: Exception) -> str:
    host = urlsplit(url).hostname
    cause = _root_cause(error)
    if isinstance(cause, ssl.SSLCertVerificationError):
        why = cause.verify_message or cause.reason or "not trusted"
        return f"its TLS certificate could not be verified ({why})"
    if isinstance(cause, ssl.SSLError):
        if cause.reason in _NOT_TLS:
            return "the server does not speak HTTPS on this port; is the address http://?"
        return f"the secure connection failed ({cause.reason or 'TLS error'})"
    if isinstance(cause, socket.gaierror):
        return f"no such host {host}; check the address, or the network"
    return f"cannot connect to {host}; no network, or the site is down?"


def _root_cause(error: BaseException) -> BaseException:
    """The exception at the bottom of a chain: httpx wraps httpcore's, which wraps the socket's."""
    seen = {id(error)}
    while (nxt := error.__cause__ or error.__context__) is not None and id(nxt) not in seen:
        seen.add(id(nxt))
        error = nxt
    return error


def _check_status(url: str, response) -> None:
    status = response.status_code
    if status == 404 or status == 410:
        raise AudiogenError(f"{url}: page not found (HTTP {status}); check the address")
    if status in (401, 403):
        raise AudiogenError(
            f"{url}: access refused (HTTP {status}); behind a paywall or login? Save the page "
            "from your browser and convert the file"
        )
    if status >= 500:
        raise AudiogenError(f"{url}: the server failed (HTTP {status}); retry later")
    if status >= 400:
        raise AudiogenError(f"{url}: HTTP {status} {response.reason_phrase}")


def _accept(types: tuple[str, ...]) -> str:
    return ACCEPT if types == _ACCEPTED_TYPES else ",".join(types)


def _content_type(url: str, response, types: tuple[str, ...]) -> tuple[str, str | None]:
    media, charset = media_type(response.headers.get("Content-Type", "text/html"))
    if media not in types:
        wanted = "a web page or feed" if types == _ACCEPTED_TYPES else "an image"
        raise AudiogenError(f"{url}: is {media}, not {wanted}")
    return media, charset


async def _body(url: str, response) -> bytes:
    """The body, decompressed, up to MAX_BYTES; each read is whatever the network has."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise AudiogenError(f"{url}: {int(declared) / 1e6:.0f} MB is too large for an article")
    body = bytearray()
    async for block in response.aiter_bytes():
        body += block
        if len(body) > MAX_BYTES:
            raise AudiogenError(
                f"{url}: larger than {MAX_BYTES // 1024 // 1024} MB; not an article"
            )
    return bytes(body)
