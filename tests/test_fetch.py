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


# --- The SSRF guard (private_urls=False: what the service asks for) -------------------------


def guarded_refusal(url: str) -> str:
    with pytest.raises(AudiogenError) as caught:
        fetch(url, private_urls=False)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"refused to fetch {url}: ")
    assert message.endswith("the server was started without --allow-private-urls")
    return message


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://localhost:9/article", "127.0.0.1|::1"),  # whichever the resolver gives first
        ("http://[::1]:9/article", "::1"),
        ("http://10.1.2.3/article", "10.1.2.3"),
        ("http://192.168.0.1/article", "192.168.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::ffff:127.0.0.1]/article", "::ffff:127.0.0.1"),
        ("http://0.0.0.0:9/article", "0.0.0.0"),
        ("https://224.0.0.1/article", "224.0.0.1"),
    ],
)
def test_the_guard_refuses_addresses_off_the_internet(url, address):
    said = guarded_refusal(url)
    assert any(f"a private address ({one})" in said for one in address.split("|"))


def test_the_guard_refuses_the_local_site_that_is_fetched_without_it(site):
    assert fetch(site.url("/article")).content == HTML  # private_urls=True: as ever
    requests = len(site.requests)
    assert "a private address (127.0.0.1)" in guarded_refusal(site.url("/article"))
    assert len(site.requests) == requests  # refused before any request was sent


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    # The name service is faked: a public-looking name whose answer is the cloud's metadata.
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        host = "169.254.169.254" if host == "news.example" else host
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    said = guarded_refusal("http://news.example/article")
    assert "a private address (169.254.169.254)" in said


@pytest.fixture
def loopback_is_public(monkeypatch):
    """127.0.0.1 (the local site) plays a public address; all else stays private: the
    guard's one notion of "private" is replaced, not its resolving, connecting or hops."""
    monkeypatch.setattr(fetch_module, "is_public", lambda address: address == "127.0.0.1")


def test_an_allowed_address_is_fetched_through_the_guard(site, loopback_is_public):
    page = fetch(site.url("/moved"), private_urls=False)
    assert page.content == HTML and page.url == site.url("/article")


@pytest.fixture
def public_example(site, loopback_is_public, monkeypatch) -> tuple[str, list[str]]:
    """The local site's article as http://public.example:PORT/article (the name resolves to
    127.0.0.1, here a public address), and the names looked up so far."""
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def resolve(host, port, *args, **kwargs):
        looked_up.append(host)
        return real("127.0.0.1" if host == "public.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return f"public.example:{site.server.server_address[1]}", looked_up


def test_the_guard_connects_to_the_address_it_checked(site, public_example):
    # The guard resolves the name once and connects to what it checked; the request still
    # names the host it was asked for.
    host, looked_up = public_example
    assert fetch(f"http://{host}/article", private_urls=False).content == HTML
    assert site.requests[-1][1]["Host"] == host
    assert looked_up == ["public.example"]


def test_the_guard_goes_round_proxies(public_example, monkeypatch):
    # A proxy from the environment (a closed port here) would connect where the guard
    # cannot look; unguarded, the fetch goes through it as ever.
    host, _ = public_example
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    for name in ("http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert fetch(f"http://{host}/article", private_urls=False).content == HTML
    with pytest.raises(AudiogenError, match="cannot connect"):
        fetch(f"http://{host}/article")


def test_a_redirect_to_a_private_address_is_refused(site, loopback_is_public):
    port = site.server.server_address[1]
    site.routes["/to-loopback"] = lambda: (302, {"Location": f"http://127.0.0.2:{port}/"}, b"")
    site.routes["/to-metadata"] = lambda: (301, {"Location": "http://169.254.169.254/"}, b"")
    said = guarded_refusal(site.url("/to-loopback"))
    assert "redirected to 127.0.0.2, a private address (127.0.0.2)" in said
    assert "redirected to 169.254.169.254" in guarded_refusal(site.url("/to-metadata"))


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
     "fc00::1", "ff02::1", "::ffff:10.0.0.1", "2002:7f00:1::", "fe80::1%lo"],
)  # fmt: skip
def test_what_is_not_public(address):
    assert not fetch_module.is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_what_is_public(address):
    assert fetch_module.is_public(address)


# --- Options.private_urls reaches every fetch: expanding, reading (in a worker), lead images --


def test_expanding_a_url_under_the_guard_fails_it_alone(site, tmp_path):
    from audiogen.sources import expand_sources

    (tmp_path / "a.txt").write_text("Headline\n\n" + "A sentence of the article. " * 40)
    found, failures = expand_sources([site.url("/article"), tmp_path / "a.txt"], private_urls=False)
    assert [source.location for source in found] == [str(tmp_path / "a.txt")]
    [(name, reason)] = failures
    assert name == site.url("/article") and "a private address (127.0.0.1)" in reason


def test_the_python_api_reads_under_the_options_guard(site):
    import audiogen

    with pytest.raises(AudiogenError, match=r"refused to fetch .* a private address"):
        audiogen.read_article(site.url("/article"), audiogen.Options(private_urls=False))
    with pytest.raises(AudiogenError, match="no article found"):  # True by default: fetched
        audiogen.read_article(site.url("/article"))


def test_a_batch_worker_fetches_under_the_options_guard(site, tmp_path):
    # A CSV row's URL is fetched only when read: in the worker process, which has the flag
    # only through the pickled Options.
    from audiogen import Options, convert_all

    rows = tmp_path / "rows.csv"
    rows.write_text(f"url,headline\n{site.url('/article')},A headline\n")
    options = Options(output=tmp_path / "out", private_urls=False, jobs=1, cache=False)
    [outcome] = convert_all([rows], options)
    assert outcome.entry.status == "failed"
    assert "a private address (127.0.0.1)" in outcome.entry.error
    assert not list((tmp_path / "out").glob("*.mp3"))


def test_a_lead_image_under_the_guard_is_a_warning(site, caplog):
    from audiogen.article import Article
    from audiogen.pipeline import _lead_image

    site.page("/lead.png", b"\x89PNG\r\n\x1a\n", "image/png")
    article = Article("H", ("P.",), source=site.url("/article"), image=site.url("/lead.png"))
    requests = len(site.requests)
    assert _lead_image(article, private_urls=False) is None
    assert len(site.requests) == requests
    assert "refused to fetch" in caplog.text and "a private address" in caplog.text


def test_the_service_refuses_a_private_url_without_the_flag(site, tmp_path):
    # `audiogen serve` as a real process, started without --allow-private-urls: a client's
    # URL on the loopback is a failed job that says why, and the site never hears of it.
    from tests.test_serve import Server

    server = Server(tmp_path / "data", "--jobs", "1").start()
    try:
        requests = len(site.requests)
        url = site.url("/article")
        job = server.convert(json={"url": url})
        assert job["status"] == "failed" and job["mp3_url"] is None
        assert job["error"] == (
            f"refused to fetch {url}: a private address (127.0.0.1); "
            "the server was started without --allow-private-urls"
        )
        assert len(site.requests) == requests
    finally:
        server.stop()
