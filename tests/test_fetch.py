import pytest

import audiogen.fetch as fetch_module
from audiogen.errors import AudiogenError
from audiogen.fetch import MAX_BYTES, fetch, is_url
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
    assert "still downloading" in refusal(site.url("/drip"))


def test_a_closed_port_is_a_connection_error():
    assert "cannot connect to 127.0.0.1" in refusal("http://127.0.0.1:9/article")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "javascript:x"])
def test_only_http_and_https(url):
    assert not is_url(url)
    assert "only http:// and https://" in refusal(url)


def test_limits_are_what_the_issue_asks():
    assert MAX_BYTES == 10 * 1024 * 1024 and fetch_module.MAX_REDIRECTS == 5
