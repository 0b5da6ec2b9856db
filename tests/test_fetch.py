import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time

import pytest

import audiogen.sources.fetch as fetch_module
from audiogen.errors import AudiogenError
from audiogen.sources.fetch import MAX_BYTES, fetch
from audiogen.urls import is_url
from tests.local_site import LocalSite, dripping

HTML = b"<html><head><title>T</title></head><body><p>Hello.</p></body></html>"


@pytest.fixture(scope="module")
def site():
    with LocalSite() as site:
        site.page("/article", HTML)
        site.page("/feed", b"<rss version='2.0'></rss>", "application/rss+xml")
        site.page("/latin", "Caf\u00e9".encode("latin-1"), "text/html; charset=ISO-8859-1")
        site.page("/pdf", b"%PDF-1.7", "application/pdf")
        site.routes["/moved"] = lambda: (301, {"Location": "/article"}, b"")
        site.routes["/loop"] = lambda: (302, {"Location": "/loop"}, b"")
        site.routes["/to-file"] = lambda: (302, {"Location": "file:///etc/passwd"}, b"")
        site.routes["/gone"] = lambda: (410, {}, b"")
        site.routes["/broken"] = lambda: (503, {}, b"")
        site.routes["/private"] = lambda: (403, {}, b"")
        site.routes["/huge"] = lambda: (
            200, {"Content-Type": "text/html"}, dripping(50 * 16, b"x" * 65536, 0)
        )  # fmt: skip
        site.routes["/huge-declared"] = lambda: (
            200, {"Content-Type": "text/html", "Content-Length": str(50 * 1024 * 1024)}, b""
        )  # fmt: skip
        site.routes["/slow"] = lambda: (200, {"Content-Type": "text/html"}, dripping(1, b"", 3))
        site.routes["/drip"] = lambda: (200, {"Content-Type": "text/html"}, dripping(40, b"x", 0.1))
        yield site


def refusal(url: str) -> str:
    with pytest.raises(AudiogenError) as caught:
        fetch(url)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(url)
    return message


def test_a_page_comes_back_with_its_type_and_final_address(site):
    page = fetch(site.url("/moved"))
    assert page.content == HTML
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.url == site.url("/article")
    path, headers = site.requests[-1]
    assert "audiogen" in headers["User-Agent"]


def test_feeds_and_declared_charsets(site):
    assert fetch(site.url("/feed")).content_type == "application/rss+xml"
    assert fetch(site.url("/latin")).charset == "ISO-8859-1"


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/nowhere", "not found (HTTP 404)"),
        ("/gone", "not found (HTTP 410)"),
        ("/broken", "server failed (HTTP 503)"),
        ("/private", "access refused (HTTP 403)"),
        ("/pdf", "application/pdf, not a web page"),
        ("/loop", "more than 5 redirects"),
        ("/to-file", "not http(s)"),
        ("/huge", "larger than 10 MB"),
        ("/huge-declared", "too large"),
    ],
)
def test_bad_pages_are_one_line(site, path, said):
    assert said in refusal(site.url(path))


def test_a_slow_server_times_out(site, monkeypatch):
    monkeypatch.setattr(fetch_module, "TIMEOUT", (1.0, 0.5))
    assert "timed out" in refusal(site.url("/slow"))


def test_a_dripping_server_meets_the_deadline(site, monkeypatch):
    monkeypatch.setattr(fetch_module, "DEADLINE", 1.0)
    assert "still downloading after 1 s" in refusal(site.url("/drip"))


def ended(url: str, within: float) -> str:
    """The one-line refusal of `url`, asserting the fetch ended at all: in a thread of its own,
    so that a fetch that hangs fails the test instead of holding the suite."""
    said: list[str] = []
    thread = threading.Thread(target=lambda: said.append(refusal(url)), daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), f"{url}: the fetch still runs after {within} s"
    return said[0]


def test_a_body_that_drips_forever_is_cut_at_the_deadline(site, monkeypatch):
    # A byte every 50 ms never trips the read timeout and never fills a block: only the
    # deadline can end it.
    monkeypatch.setattr(fetch_module, "DEADLINE", 1.0)
    site.routes["/forever"] = lambda: (
        200, {"Content-Type": "text/html"}, dripping(10**6, b"x", 0.05)
    )  # fmt: skip
    assert "still downloading after 1 s" in ended(site.url("/forever"), within=30)


class _Dripper(socketserver.BaseRequestHandler):
    """A server that answers a status line, then headers a byte at a time, for ever."""

    def handle(self) -> None:
        self.request.recv(65536)
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            for _ in range(10**6):
                self.request.sendall(b"X")
                time.sleep(0.05)
        except OSError:
            pass  # the client gave up


@pytest.fixture
def dripping_headers():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Dripper)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/page"
    server.shutdown()
    server.server_close()


def test_headers_that_drip_forever_are_cut_at_the_deadline(dripping_headers, monkeypatch):
    monkeypatch.setattr(fetch_module, "DEADLINE", 1.0)
    assert "still downloading after 1 s" in ended(dripping_headers, within=30)


def test_https_to_a_plain_http_server_says_so(site):
    said = refusal(site.url("/article").replace("http://", "https://"))
    assert "does not speak HTTPS on this port" in said and "certificate" not in said


@pytest.fixture(scope="module")
def untrusted_site(tmp_path_factory):
    """The site over HTTPS with a self-signed certificate, which no client may trust."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site = LocalSite()
    site.page("/article", HTML)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    with site:
        yield site


def test_an_untrusted_certificate_says_so(untrusted_site):
    url = untrusted_site.url("/article").replace("http://", "https://")
    said = refusal(url)
    assert "TLS certificate could not be verified (self-signed certificate)" in said


def test_an_unknown_host_is_named(monkeypatch):
    # The name service is the internet's: faked, so that no query leaves this machine.
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    assert "no such host nothing.invalid" in refusal("http://nothing.invalid/article")


def test_a_closed_port_is_a_connection_error():
    assert "cannot connect to 127.0.0.1" in refusal("http://127.0.0.1:9/article")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "javascript:x"])
def test_only_http_and_https(url):
    assert not is_url(url)
    assert "only http:// and https://" in refusal(url)


def test_limits_are_what_the_issue_asks():
    assert MAX_BYTES == 10 * 1024 * 1024 and fetch_module.MAX_REDIRECTS == 5
