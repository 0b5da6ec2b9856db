"""Fetch: one web page or feed over HTTP(S), within limits a batch can live with.

Every fetch ends within DEADLINE seconds, whatever the server does: connecting, the TLS
handshake, the status line and headers, and the body all run under one wall-clock deadline
(asyncio's, around httpx's client), so a server that drips a byte a second cannot hold a batch.
Per-read timeouts alone cannot promise that (requests, urllib3 and httpx bound only the wait
between two reads), which is why the fetch runs on a small event loop of its own.

A failure is an AudiogenError of one line that says what happened: no such host, no answer,
a server that does not speak HTTPS on that port, a certificate that cannot be verified, an
HTTP status, a type that is not a page, a body that is too large or too slow.

The SSRF guard (`private_urls=False`, what `audiogen serve` asks for unless it was started
with --allow-private-urls): an address that is not on the public internet (loopback, private,
link-local, shared, unspecified, multicast, reserved; IPv4 inside IPv6 too) is refused in one
line. The check sits in the connect step: the host is resolved here, every address it has is
checked, and the connection goes to a checked address (TLS still verifies, and SNI still
names, the host), so a DNS answer that changes between check and use cannot slip past, and
each redirect hop, which connects anew, is checked the same way. Proxies named by the
environment are not used then: what a proxy connects to cannot be checked.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
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


def fetch_image(url: str, *, private_urls: bool = True) -> bytes:
    """The image at `url` (IMAGE_TYPES), within the same limits (and guard) as a page."""
    return fetch(url, IMAGE_TYPES, private_urls=private_urls).content


def fetch(url: str, types: tuple[str, ...] = _ACCEPTED_TYPES, *, private_urls: bool = True) -> Page:
    """The body at `url`, or an AudiogenError naming the reason in one line; `types`: the
    media types taken (by default a page or a feed); `private_urls=False` refuses addresses
    off the public internet (the module's docstring). For synchronous callers (any thread,
    but not one that runs an event loop)."""
    _check_scheme(url)
    return _run(_fetch(url, types, private_urls))


def post_json(
    url: str, body: object, *, private_urls: bool = True, deadline: float = DEADLINE
) -> None:
    """POST `body` as JSON to `url` (a service's webhook) within `deadline` seconds and, with
    `private_urls=False`, the same guard as a fetch; an AudiogenError naming the reason in one
    line when it cannot, or the answer is not a success."""
    _check_scheme(url)
    _run(_post_json(url, body, private_urls, deadline))


def _check_scheme(url: str) -> None:
    if not is_url(url):
        raise AudiogenError(f"{url}: only http:// and https:// addresses can be fetched")


def _run(step):
    """What the coroutine `step` returns, run on a loop of its own, closed without waiting
    for its threads: asyncio.run would wait for a name lookup that hangs, past the deadline."""
    loop = asyncio.new_event_loop()
    task = loop.create_task(step)
    try:
        return loop.run_until_complete(task)
    finally:
        if not task.done():  # interrupted (Ctrl-C) between two steps: let it close first
            task.cancel()
            loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        elif not task.cancelled():
            task.exception()  # a Ctrl-C inside a step is on its way up: not an unseen error
        loop.close()


async def _fetch(url: str, types: tuple[str, ...], private_urls: bool) -> Page:
    import httpx

    try:
        async with (
            asyncio.timeout(DEADLINE),
            _client(types, private_urls) as client,
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
    except _Refused as refused:
        raise AudiogenError(_refusal(url, refused)) from None


async def _post_json(url: str, body: object, private_urls: bool, deadline: float) -> None:
    import httpx

    try:
        async with (
            asyncio.timeout(deadline),
            _client(("application/json",), private_urls) as client,
        ):
            response = await client.post(url, json=body)
        if response.status_code >= 400:
            raise AudiogenError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    except TimeoutError as error:
        raise AudiogenError(f"{url}: no answer within {deadline:.0f} s") from error
    except httpx.HTTPError as error:
        raise AudiogenError(f"{url}: {_failure(url, error)}") from error
    except _Refused as refused:
        raise AudiogenError(_refusal(url, refused, "call")) from None


def _client(types: tuple[str, ...], private_urls: bool = True):
    import httpx

    connect, read = TIMEOUT
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(read, connect=connect),
        headers={"User-Agent": USER_AGENT, "Accept": _accept(types)},
        verify=_tls(),
        # Guarded: no proxy from the environment (what a proxy connects to cannot be checked).
        # httpx already leaves them out for a transport of one's own; said, not assumed.
        trust_env=private_urls,
        transport=None if private_urls else _guarded_transport(),
    )


# --- The SSRF guard ------------------------------------------------------------------------


class _Refused(Exception):
    """A connection the guard refused: to `host`, which is (or resolves to) `address`."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host, self.address = host, address


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet; an IPv4 address carried inside IPv6
    (mapped, 6to4, Teredo) is judged as itself. The one notion of "private" the guard has
    (tests stand a loopback site in for a public one through it)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a zone ("fe80::1%eth0") is no IP
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo and ip.teredo[1])
        if inner:
            return is_public(str(inner))
    refused = (ip.is_private, ip.is_loopback, ip.is_link_local, ip.is_reserved,
               ip.is_multicast, ip.is_unspecified, not ip.is_global)  # fmt: skip
    return not any(refused)


def _refusal(url: str, refused: _Refused, verb: str = "fetch") -> str:
    hop = refused.host != (urlsplit(url).hostname or "")  # a redirect's host, not the URL's
    where = f"redirected to {refused.host}, a private address" if hop else "a private address"
    return (
        f"refused to {verb} {url}: {where} ({refused.address}); "
        "the server was started without --allow-private-urls"
    )


def _guarded_transport():
    """An httpx transport whose every connection goes through _GuardedBackend."""
    import httpcore
    import httpx

    transport = httpx.AsyncHTTPTransport(verify=_tls(), trust_env=False)
    # httpx has no public way to give its pool a network backend: the pool is replaced by
    # one made with the same TLS context and the guarding backend.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=_tls(), max_connections=10, network_backend=_guarded_backend_class()()
    )
    return transport


def _guarded_backend_class():
    import httpcore

    class GuardedBackend(httpcore.AsyncNetworkBackend):
        """Resolves the host itself, refuses it unless every address is public, and
        connects to a checked address (the first that answers)."""

        def __init__(self) -> None:
            self.inner = httpcore.AnyIOBackend()

        async def connect_tcp(self, host, port, timeout=None, local_address=None,
                              socket_options=None):  # fmt: skip
            addresses = await _resolved(host, port, timeout)
            for address in addresses:
                if not is_public(address):
                    raise _Refused(host, address)
            failure: Exception | None = None
            for address in addresses:
                try:
                    return await self.inner.connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                except httpcore.ConnectError as error:  # another address may answer
                    failure = error
            raise failure or httpcore.ConnectError(f"no address for {host}")

        async def connect_unix_socket(self, path, timeout=None, socket_options=None):
            raise _Refused(path, "a local socket")

        async def sleep(self, seconds: float) -> None:
            await self.inner.sleep(seconds)

    return GuardedBackend


async def _resolved(host: str, port: int, timeout: float | None) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order, each once; failures as
    httpcore's, so that they read as any other connection failure."""
    import httpcore

    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError as error:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from error
    except OSError as error:
        raise httpcore.ConnectError(str(error)) from error
    return list(dict.fromkeys(str(info[4][0]) for info in found))


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
