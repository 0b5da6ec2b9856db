"""Fetch: one web page or feed over HTTP(S), within limits a batch can live with."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from audiogen import __version__
from audiogen.errors import AudiogenError

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = (5.0, 15.0)  # connect, and between bytes
DEADLINE = 60.0  # for the whole body: a server dripping bytes never trips the read timeout
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


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content: bytes
    content_type: str  # "text/html", without parameters
    charset: str | None  # as the server declared it


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch_image(url: str) -> bytes:
    """The image at `url` (IMAGE_TYPES), within the same limits as a page."""
    return fetch(url, IMAGE_TYPES).content


def fetch(url: str, types: tuple[str, ...] = _ACCEPTED_TYPES) -> Page:
    """The body at `url`, or an AudiogenError naming the reason in one line; `types`: the
    media types taken (by default a page or a feed)."""
    import requests

    if not is_url(url):
        raise AudiogenError(f"{url}: only http:// and https:// addresses can be fetched")
    with requests.Session() as session:
        session.max_redirects = MAX_REDIRECTS
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = ACCEPT if types == _ACCEPTED_TYPES else ",".join(types)
        try:
            with session.get(url, timeout=TIMEOUT, stream=True, verify=True) as response:
                _check_status(url, response)
                content_type, charset = _content_type(url, response, types)
                return Page(response.url, _body(url, response), content_type, charset)
        except requests.exceptions.TooManyRedirects as error:
            raise AudiogenError(f"{url}: more than {MAX_REDIRECTS} redirects (a loop?)") from error
        except requests.exceptions.SSLError as error:
            raise AudiogenError(f"{url}: its TLS certificate could not be verified") from error
        except requests.exceptions.ConnectionError as error:
            # A read timeout in the middle of the body arrives as a ConnectionError.
            if isinstance(error, requests.exceptions.Timeout) or _is_read_timeout(error):
                raise AudiogenError(f"{url}: timed out; the site is slow or down") from error
            host = urlsplit(url).hostname
            raise AudiogenError(f"{url}: cannot connect to {host}; no network?") from error
        except requests.exceptions.Timeout as error:
            raise AudiogenError(f"{url}: timed out; the site is slow or down") from error
        except requests.exceptions.InvalidSchema as error:
            # A redirect to file:// or ftp://: never followed.
            raise AudiogenError(f"{url}: redirected to an address that is not http(s)") from error
        except requests.exceptions.RequestException as error:
            raise AudiogenError(f"{url}: fetch failed: {type(error).__name__}") from error


def _is_read_timeout(error: Exception) -> bool:
    from urllib3.exceptions import ReadTimeoutError

    return any(isinstance(arg, ReadTimeoutError) for arg in error.args)


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
        raise AudiogenError(f"{url}: HTTP {status} {response.reason}")


def _content_type(url: str, response, types: tuple[str, ...]) -> tuple[str, str | None]:
    header = response.headers.get("Content-Type", "text/html")
    media, _, parameters = header.partition(";")
    media = media.strip().lower()
    if media not in types:
        wanted = "a web page or feed" if types == _ACCEPTED_TYPES else "an image"
        raise AudiogenError(f"{url}: is {media}, not {wanted}")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return media, charset


def _body(url: str, response) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise AudiogenError(f"{url}: {int(declared) / 1e6:.0f} MB is too large for an article")
    started = time.monotonic()
    body = bytearray()
    for block in response.iter_content(64 * 1024):
        body += block
        if len(body) > MAX_BYTES:
            raise AudiogenError(
                f"{url}: larger than {MAX_BYTES // 1024 // 1024} MB; not an article"
            )
        if time.monotonic() - started > DEADLINE:
            raise AudiogenError(f"{url}: still downloading after {DEADLINE:.0f} s; retry later")
    return bytes(body)
