"""The gTTS engine against a loopback stand-in for Google's batchexecute endpoint.

No test touches the network: the engine's session gets an HTTP adapter that rewrites every
request to a local ``http.server`` (or to a closed local port), and records the ``verify`` and
``timeout`` it was sent with.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import imageio_ffmpeg
import numpy as np
import pytest
import requests
from requests.adapters import HTTPAdapter

from audiogen.engines import gtts as gtts_mod
from audiogen.engines.gtts import SAMPLE_RATE, GttsEngine, reachable
from audiogen.errors import AudiogenError

BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"
OFFLINE_MESSAGE = (
    "gTTS could not reach translate.google.com: no network? Use the offline voice 'joe', "
    "or retry when online"
)


# -- fixtures: a real MP3, a stand-in server, a transport that goes to it -----------------------


@pytest.fixture(scope="session")
def sine_mp3(tmp_path_factory) -> bytes:
    """Half a second of 440 Hz, 24 kHz mono MP3, made by the bundled ffmpeg.

    Written to a file (not a pipe) so ffmpeg can go back and write the LAME header, which lets
    the decoder trim the encoder delay: the decoded length is then 0.5 s, not 0.55 s.
    """
    path = tmp_path_factory.mktemp("mp3") / "sine.mp3"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=0.5",
            "-ac",
            "1",
            "-ar",
            "24000",
            "-f",
            "mp3",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def batchexecute_body(mp3: bytes) -> bytes:
    """An answer framed like Google's, which gTTS's parser reads the audio from."""
    compact = {"separators": (",", ":")}
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")], **compact)
    envelope = json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]], **compact)
    tail = json.dumps([["di", 42], ["af.httprm", 42, "-1234567890", 7]], **compact)
    return f")]}}'\n\n{len(envelope)}\n{envelope}\n{len(tail)}\n{tail}\n".encode()


class StandIn:
    """A scripted batchexecute server: answers from `script` in turn, then `default`."""

    def __init__(self, default):
        self.default = default  # (status, body bytes) or a callable (handler) -> None
        self.script: list = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def next_answer(self):
        with self.lock:
            return self.script.pop(0) if self.script else self.default


@pytest.fixture
def server(sine_mp3):
    standin = StandIn((200, batchexecute_body(sine_mp3)))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode("utf-8")
            with standin.lock:
                standin.requests.append({"path": self.path, "body": body})
            answer = standin.next_answer()
            if callable(answer):
                answer(self)
                return
            status, payload = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    standin.port = httpd.server_address[1]
    yield standin
    httpd.shutdown()
    httpd.server_close()


class LoopbackAdapter(HTTPAdapter):
    """Sends every request to http://127.0.0.1:<port>, keeping path and query; records kwargs."""

    def __init__(self, port: int):
        super().__init__(max_retries=0)
        self.port = port
        self.sends: list[dict] = []

    def send(self, request, **kwargs):
        self.sends.append({"url": request.url, **kwargs})
        parts = urllib.parse.urlsplit(request.url)
        request.url = urllib.parse.urlunsplit(
            ("http", f"127.0.0.1:{self.port}", parts.path, parts.query, "")
        )
        kwargs["proxies"] = {}  # never through a proxy from the environment
        return super().send(request, **kwargs)


def session_to(port: int) -> tuple[requests.Session, LoopbackAdapter]:
    session = requests.Session()
    adapter = LoopbackAdapter(port)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session, adapter


def engine_for(port: int, **kwargs) -> tuple[GttsEngine, LoopbackAdapter]:
    session, adapter = session_to(port)
    kwargs.setdefault("backoff", 0.01)
    return GttsEngine(session=session, **kwargs), adapter


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any test that tries to open a connection beyond 127.0.0.1."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
            "127.0.0.1",
            "::1",
        ):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def no_ca_bundle_env(monkeypatch):
    # The engine honours REQUESTS_CA_BUNDLE (verify becomes that path); tests that assert
    # `verify is True` need it unset. One test sets it on purpose.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.fixture
def delays(monkeypatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(gtts_mod, "_sleep", recorded.append)
    return recorded


def assert_one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert message and "\n" not in message
    return message


# -- success --------------------------------------------------------------------------------


def test_success_decodes_the_mp3_to_int16_24k(server):
    engine, adapter = engine_for(server.port)
    audio = engine.synthesize("Hello from the loopback server")

    assert audio.sample_rate == SAMPLE_RATE == 24000
    assert audio.samples.dtype == np.int16 and audio.samples.ndim == 1
    assert abs(audio.seconds - 0.5) <= 0.05
    rms = np.sqrt(np.mean(audio.samples.astype(np.float64) ** 2))
    assert rms > 1000  # a real tone came through, not silence

    assert len(server.requests) == 1
    seen = server.requests[0]
    assert seen["path"] == BATCHEXECUTE_PATH
    assert "Hello from the loopback server" in urllib.parse.unquote(seen["body"])
    assert adapter.sends[0]["url"].startswith("https://translate.google.com/")


def test_language_and_tld_reach_the_request(server):
    engine, adapter = engine_for(server.port, lang="fr", tld="fr")
    engine.synthesize("Bonjour tout le monde")
    assert adapter.sends[0]["url"].startswith("https://translate.google.fr/")
    assert '\\"fr\\"' in urllib.parse.unquote(server.requests[0]["body"])


def test_text_gtts_splits_is_several_requests_joined(server):
    # Longer than gTTS's 100 characters, so it sends two requests; each answer is a whole MP3.
    text = (
        "This first sentence is long enough to fill most of one request on its own, "
        "and this second one goes well past the hundred characters."
    )
    engine, _ = engine_for(server.port)
    audio = engine.synthesize(text)
    assert len(server.requests) == 2
    assert abs(audio.seconds - 1.0) <= 0.1


@pytest.mark.parametrize("text", ["", "   ", "...", "?!"])
def test_nothing_to_say_is_empty_audio_without_a_request(server, text):
    engine, _ = engine_for(server.port)
    audio = engine.synthesize(text)
    assert audio.samples.dtype == np.int16 and len(audio.samples) == 0
    assert audio.sample_rate == SAMPLE_RATE
    assert server.requests == []


def test_engine_shape():
    assert GttsEngine.max_chunk_chars == 100


# -- TLS verification and timeout -------------------------------------------------------------


def test_every_send_verifies_tls_and_has_a_timeout(server, delays):
    server.script = [(429, b"slow down")]
    session, adapter = session_to(server.port)
    session.verify = False  # even a session set to skip verification does not win
    engine = GttsEngine(session=session, backoff=0.01, timeout=(3, 7))
    engine.synthesize("Check the transport")
    assert len(adapter.sends) == 2
    for send in adapter.sends:
        assert send["verify"] is True
        assert send["timeout"] == (3, 7)


def test_default_timeout_is_set(server):
    engine, adapter = engine_for(server.port)
    engine.synthesize("Default timeout")
    assert adapter.sends[0]["timeout"] == (5, 20)
    assert adapter.sends[0]["verify"] is True


def test_ca_bundle_from_environment_is_used_for_verification(server, monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not used: the loopback server is plain HTTP\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    engine, adapter = engine_for(server.port)
    engine.synthesize("Corporate proxy")
    assert adapter.sends[0]["verify"] == str(bundle)  # verification on, with that CA file


# -- retries and errors -----------------------------------------------------------------------


def test_429_then_success(server, delays):
    server.script = [(429, b"Too Many Requests")]
    engine, _ = engine_for(server.port, backoff=0.01)
    audio = engine.synthesize("Try again")
    assert len(server.requests) == 2
    assert abs(audio.seconds - 0.5) <= 0.05
    assert delays == [0.01]


def test_backoff_is_exponential_and_real_sleeps_are_short(server):
    server.default = (500, b"oops")
    engine, _ = engine_for(server.port, retries=3, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(AudiogenError):
        engine.synthesize("Backoff")
    assert len(server.requests) == 4
    assert time.monotonic() - started < 2


def test_503_forever_names_the_status_after_the_retries(server, delays):
    server.default = (503, b"Service Unavailable")
    engine, _ = engine_for(server.port, retries=3, backoff=0.01)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Is anyone there")
    message = assert_one_line(exc)
    assert (
        "HTTP 503" in message
        and "after 3 retries" in message
        and "the offline voice 'joe'" in message
    )
    assert len(server.requests) == 4
    assert delays == [0.01, 0.02, 0.04]


def test_429_forever_says_rate_limited(server, delays):
    server.default = (429, b"Too Many Requests")
    engine, _ = engine_for(server.port, retries=2)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Again and again")
    assert assert_one_line(exc) == (
        "Google TTS rate-limited us (HTTP 429) after 2 retries; wait a few minutes or use "
        "the offline voice 'joe'"
    )
    assert len(server.requests) == 3


def test_other_http_error_is_not_retried(server, delays):
    server.default = (403, b"Forbidden")
    engine, _ = engine_for(server.port)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Not allowed")
    message = assert_one_line(exc)
    assert "HTTP 403" in message
    assert len(server.requests) == 1 and delays == []


def test_connection_refused_is_the_offline_message(delays):
    engine, adapter = engine_for(closed_port(), retries=2)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Anybody home")
    assert assert_one_line(exc) == OFFLINE_MESSAGE
    assert len(adapter.sends) == 3  # connection errors are retried too
    assert delays == [0.01, 0.02]


def test_read_timeout_is_retried_then_reported(server, delays):
    def stall(handler):
        time.sleep(0.6)

    server.default = stall
    engine, _ = engine_for(server.port, retries=1, timeout=(2, 0.2))
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Too slow")
    message = assert_one_line(exc)
    assert (
        "timed out" in message
        and "after 1 retry" in message
        and "the offline voice 'joe'" in message
    )
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "body",
    [
        b"<html>garbage</html>",
        b')]}\'\n\n[["wrb.fr","jQ1olc",null,null,null,[3],"generic"]]\n',
        b"",
    ],
    ids=["html", "rpc-without-audio", "empty"],
)
def test_200_without_audio(server, body):
    server.default = (200, body)
    engine, _ = engine_for(server.port)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Where is the audio")
    assert "without audio" in assert_one_line(exc)
    assert len(server.requests) == 1


def test_audio_that_is_not_mp3_fails_to_decode(server):
    server.default = (200, batchexecute_body(b"\x00\x01 this is not an mp3 file" * 20))
    engine, _ = engine_for(server.port)
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Broken audio")
    assert "could not decode" in assert_one_line(exc)


def test_bad_language_fails_when_the_engine_is_made(server):
    session, adapter = session_to(server.port)
    with pytest.raises(AudiogenError) as exc:
        GttsEngine("xx-nope", session=session)
    message = assert_one_line(exc)
    assert "'xx-nope'" in message and "language" in message
    assert adapter.sends == []


def test_deprecated_language_code_falls_back_like_gtts(server):
    with pytest.warns(DeprecationWarning, match="en-gb"):
        engine, _ = engine_for(server.port, lang="en-gb")
    assert engine.lang == "en"
    engine.synthesize("Colour")
    assert '\\"en\\"' in urllib.parse.unquote(server.requests[0]["body"])


@pytest.mark.parametrize("tld", ["", "com:8443", "a b", "evil.example/x", "COM"])
def test_bad_tld_fails_when_the_engine_is_made(tld):
    with pytest.raises(AudiogenError) as exc:
        GttsEngine(tld=tld)
    assert "Google domain ending" in assert_one_line(exc)


def test_answer_cut_off_midway_is_retried_then_reported(server, delays):
    def cut_off(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b")]}'\n\npartial")
        handler.wfile.flush()
        handler.close_connection = True

    server.script = [cut_off]
    engine, _ = engine_for(server.port, retries=1)
    audio = engine.synthesize("Second time lucky")
    assert len(server.requests) == 2 and abs(audio.seconds - 0.5) <= 0.05

    server.default = cut_off
    with pytest.raises(AudiogenError) as exc:
        engine.synthesize("Never whole")
    assert "breaking off" in assert_one_line(exc)


# -- reachable() ------------------------------------------------------------------------------


def test_reachable_false_quickly_for_a_closed_port(monkeypatch):
    monkeypatch.setattr(gtts_mod, "GOOGLE_HOST", "127.0.0.1")
    monkeypatch.setattr(gtts_mod, "HTTPS_PORT", closed_port())
    started = time.monotonic()
    assert reachable() is False
    assert time.monotonic() - started < 1.0


def test_reachable_true_for_a_listening_port(monkeypatch):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        monkeypatch.setattr(gtts_mod, "GOOGLE_HOST", "127.0.0.1")
        monkeypatch.setattr(gtts_mod, "HTTPS_PORT", listener.getsockname()[1])
        assert reachable() is True


def test_reachable_gives_up_after_timeout_when_connecting_hangs(monkeypatch):
    release = threading.Event()

    def hang(*args, **kwargs):  # a DNS lookup or connect that never answers
        release.wait(5)
        raise OSError("gave up")

    monkeypatch.setattr(gtts_mod.socket, "create_connection", hang)
    started = time.monotonic()
    try:
        assert reachable(timeout=0.2) is False
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
