"""Google Translate text-to-speech (gTTS), online.

gTTS builds the requests; we send them ourselves through a ``requests.Session`` with TLS
verification on and a timeout (gTTS's own ``stream()`` sends with ``verify=False`` and no
timeout), retry on rate limiting and server or network errors with exponential backoff, and
decode the returned MP3 to 16-bit mono PCM with the ffmpeg bundled in ``imageio-ffmpeg``.

Every expected failure (no network, HTTP 429, unknown language, a response without audio, an
undecodable MP3) becomes an ``AudiogenError`` with a one-line message for the user.

Imports of requests, gtts and numpy happen inside functions: this module is imported when a gTTS
voice is named, and ``reachable()`` must stay cheap for ``audiogen voices``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import socket
import subprocess
import threading
import time
from typing import TYPE_CHECKING

from audiogen.engines import Audio
from audiogen.errors import AudiogenError

if TYPE_CHECKING:
    import requests

__all__ = ["GttsEngine", "reachable", "SAMPLE_RATE"]

SAMPLE_RATE = 24000  # Google's MP3s are 24 kHz mono; we decode to exactly this rate.

# Where gTTS sends its requests; reachable() checks this host and port.
GOOGLE_HOST = "translate.google.{tld}"
HTTPS_PORT = 443

_OFFLINE_HINT = "Use the offline voice 'joe', or retry when online"

# The batchexecute answer carries the audio on the line naming the RPC, as
# ...["wrb.fr","jQ1olc","[\"<base64 mp3>\"]",...]. Same test and pattern as gTTS's stream().
_RPC = "jQ1olc"
_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*)\\"]')

_TLD_RE = re.compile(r"[a-z]{2,}(\.[a-z]{2,})*")  # com, co.uk, com.au, fr ...

_DECODE_TIMEOUT = 60.0  # seconds for ffmpeg to decode one (at most 100-character) chunk

_sleep = time.sleep  # the backoff pause; tests replace it to record the delays


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


class GttsEngine:
    """Speech from Google Translate's TTS endpoint, as int16 mono PCM at 24 kHz."""

    max_chunk_chars = 100
    version = 1  # bumped when this code changes the audio for the same text (see Engine)

    def __init__(
        self,
        lang: str = "en",
        tld: str = "com",
        *,
        session: requests.Session | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float | tuple = (5, 20),
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        if backoff < 0:
            raise ValueError("backoff must be >= 0")
        if not _TLD_RE.fullmatch(tld):
            raise AudiogenError(
                f"{tld!r} is not a Google domain ending; use one such as 'com', 'co.uk' or 'fr'"
            )
        self.lang = lang
        self.tld = tld
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._session = session
        self.host = GOOGLE_HOST.format(tld=tld)
        # Fail on a bad language or tld when the voice is loaded, not after a network call.
        # gTTS maps deprecated codes ("en-gb" -> "en", with a warning); keep what it chose.
        self.lang = self._gtts("x").lang

    # -- public ---------------------------------------------------------------------------

    def synthesize(self, text: str) -> Audio:
        """Speak one chunk of already-normalised text (at most ``max_chunk_chars``)."""
        import numpy as np

        if not text or not text.strip():
            return Audio(np.zeros(0, dtype=np.int16), SAMPLE_RATE)
        prepared = self._prepare(text)
        if not prepared:
            return Audio(np.zeros(0, dtype=np.int16), SAMPLE_RATE)

        session = self._get_session()
        # gTTS splits text it lengthens past 100 characters into several requests. Each answer
        # is a whole MP3 file (headers and all), so decode each and join the PCM: the bytes of
        # several MP3 files run together do not decode cleanly as one stream.
        parts = [self._decode(self._fetch_mp3(session, request)) for request in prepared]
        samples = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return Audio(samples, SAMPLE_RATE)

    @classmethod
    def identity(cls, lang: str = "en", tld: str = "com", **transport) -> str:
        """What decides the audio for a text: the language, Google's domain (its accent),
        the gTTS release (which builds the requests) and the decoder. `transport` (session,
        retries, timeouts) changes how the audio is fetched, not what it is."""
        from importlib.metadata import PackageNotFoundError, version

        def release(name: str) -> str:
            try:
                return version(name)
            except PackageNotFoundError:
                return "unknown"

        return json.dumps(
            {
                "lang": lang,
                "tld": tld,
                "gtts": release("gtts"),
                "imageio-ffmpeg": release("imageio-ffmpeg"),
                "sample_rate": SAMPLE_RATE,
            },
            sort_keys=True,
        )

    # -- gTTS -----------------------------------------------------------------------------

    def _gtts(self, text: str):
        from gtts import gTTS

        try:
            return gTTS(text, lang=self.lang, tld=self.tld)
        except ValueError as exc:
            raise AudiogenError(
                f"gTTS does not support the language {self.lang!r}; use a language code such as "
                "'en', 'fr' or 'de' (see `gtts-cli --all`), or use the offline voice 'joe'"
            ) from exc
        except (AssertionError, RuntimeError, TypeError) as exc:
            raise AudiogenError(f"gTTS could not prepare the text: {_one_line(exc)}") from exc

    def _prepare(self, text: str) -> list[requests.PreparedRequest]:
        """gTTS's own requests for ``text``; empty when nothing is left to say."""
        try:
            return self._gtts(text)._prepare_requests()
        except AssertionError:
            # gTTS found nothing to say once punctuation was cleaned away ("...", "?!").
            return []
        except ValueError as exc:  # requests' InvalidURL; the tld check should prevent it
            raise AudiogenError(
                f"gTTS cannot build a request for {self.host} ({_short_reason(exc)})"
            ) from exc

    def _get_session(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    # -- HTTP -----------------------------------------------------------------------------

    def _fetch_mp3(self, session: requests.Session, request: requests.PreparedRequest) -> bytes:
        """Send one prepared gTTS request, retrying; return the MP3 bytes it carries."""
        import requests

        # Session.send() does not look at the environment for the CA bundle the way
        # Session.request() does; ask for it, so REQUESTS_CA_BUNDLE (corporate proxies) works.
        # verify=True is the request's own setting, so the result is never False.
        settings = session.merge_environment_settings(request.url, {}, False, True, None)
        settings.pop("proxies", None)  # Session.send() resolves proxies itself.
        if not settings.get("verify"):
            settings["verify"] = True

        attempt = 0
        while True:
            failure: str | None = None
            try:
                response = session.send(request.copy(), timeout=self.timeout, **settings)
            except requests.exceptions.SSLError as exc:
                # Not retried: a certificate problem does not fix itself.
                raise AudiogenError(
                    f"gTTS could not verify the TLS certificate of {self.host} "
                    f"({_short_reason(exc)}); behind a proxy set REQUESTS_CA_BUNDLE to its CA "
                    "file, or use the offline voice 'joe'"
                ) from exc
            except requests.exceptions.ConnectionError as exc:  # also ConnectTimeout
                failure = "connect"
                last_exc: Exception = exc
            except requests.exceptions.Timeout as exc:  # ReadTimeout
                failure = "timeout"
                last_exc = exc
            except requests.exceptions.ChunkedEncodingError as exc:  # dropped mid-answer
                failure = "dropped"
                last_exc = exc
            except requests.exceptions.RequestException as exc:
                raise AudiogenError(
                    f"gTTS request to {self.host} failed: {_short_reason(exc)}"
                ) from exc
            else:
                status = response.status_code
                if status == 429 or status >= 500:
                    failure = "http"
                    response.close()
                elif status >= 400:
                    raise AudiogenError(self._http_message(response))
                else:
                    return self._parse(response)

            if attempt >= self.retries:
                break
            _sleep(self.backoff * (2**attempt))
            attempt += 1

        tries = f"after {self.retries} {'retry' if self.retries == 1 else 'retries'}"
        if failure == "connect":
            raise AudiogenError(
                f"gTTS could not reach {self.host}: no network? {_OFFLINE_HINT}"
            ) from last_exc
        if failure == "timeout":
            raise AudiogenError(
                f"gTTS timed out waiting for {self.host} {tries}; slow network? {_OFFLINE_HINT}"
            ) from last_exc
        if failure == "dropped":
            raise AudiogenError(
                f"the connection to {self.host} kept breaking off mid-answer {tries}; "
                f"unstable network? {_OFFLINE_HINT}"
            ) from last_exc
        if response.status_code == 429:
            raise AudiogenError(
                f"Google TTS rate-limited us (HTTP 429) {tries}; wait a few minutes or use "
                "the offline voice 'joe'"
            )
        status = f"HTTP {response.status_code} {response.reason or ''}".strip()
        raise AudiogenError(
            f"Google TTS failed with {status} {tries}; the service may be down, try again later "
            "or use the offline voice 'joe'"
        )

    def _http_message(self, response: requests.Response) -> str:
        status = f"HTTP {response.status_code} {response.reason or ''}".strip()
        if response.status_code == 404 and self.tld != "com":
            cause = f"is tld {self.tld!r} a Google Translate domain? Try tld 'com'"
        elif response.status_code in (400, 403, 404):
            cause = "the unofficial endpoint may have changed; try `pip install -U gtts`"
        else:
            cause = "try again later"
        return f"Google TTS refused the request ({status}): {cause}, or use the offline voice 'joe'"

    def _parse(self, response: requests.Response) -> bytes:
        """The MP3 in a batchexecute answer, parsed as gTTS's ``stream()`` does."""
        audio = bytearray()
        for raw in response.content.splitlines():
            line = raw.decode("utf-8", errors="replace")
            if _RPC not in line:
                continue
            match = _AUDIO_RE.search(line)
            try:
                chunk = base64.b64decode(match.group(1).encode("ascii")) if match else b""
            except (binascii.Error, UnicodeEncodeError):
                chunk = b""
            if not chunk:
                # gTTS raises here too: a good answer without an audio stream.
                audio.clear()
                break
            audio += chunk
        if not audio:
            raise AudiogenError(
                f"Google TTS answered without audio (language {self.lang!r}); the language may "
                "not be spoken by Google or the endpoint changed; try `pip install -U gtts` or "
                "use the offline voice 'joe'"
            )
        return bytes(audio)

    # -- decoding -------------------------------------------------------------------------

    def _decode(self, mp3: bytes):
        """MP3 bytes -> int16 mono PCM at SAMPLE_RATE, through the bundled ffmpeg."""
        import numpy as np

        command = [
            _ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "mp3",
            "-i",
            "pipe:0",
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "pipe:1",
        ]
        try:
            result = subprocess.run(
                command, input=mp3, capture_output=True, timeout=_DECODE_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise AudiogenError(f"could not run ffmpeg to decode gTTS audio: {exc}") from exc
        if result.returncode != 0 or not result.stdout:
            detail = _one_line(result.stderr.decode("utf-8", errors="replace"))[:200]
            raise AudiogenError(
                "could not decode the MP3 from Google TTS"
                + (f" (ffmpeg: {detail})" if detail else "")
                + "; retry, or use the offline voice 'joe'"
            )
        usable = len(result.stdout) - len(result.stdout) % 2
        return np.frombuffer(result.stdout[:usable], dtype="<i2").astype(np.int16)


def _short_reason(exc: BaseException) -> str:
    text = _one_line(exc)
    return text if len(text) <= 160 else text[:157] + "..."


@functools.cache
def _ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise AudiogenError(
            f"ffmpeg from imageio-ffmpeg is missing ({_one_line(exc)}); reinstall audiogen "
            "with `pip install --force-reinstall imageio-ffmpeg`"
        ) from exc


def reachable(tld: str = "com", timeout: float = 1.5) -> bool:
    """Whether a TCP connection to translate.google.<tld>:443 opens within ``timeout`` seconds.

    A quick check for ``audiogen voices``; it sends nothing. Name resolution is included in
    the time limit (a DNS lookup on a dead network can otherwise hang for many seconds).
    """
    address = (GOOGLE_HOST.format(tld=tld), HTTPS_PORT)
    outcome: list[bool] = []

    def attempt() -> None:
        try:
            with socket.create_connection(address, timeout=timeout):
                outcome.append(True)
        except (OSError, ValueError):
            outcome.append(False)

    worker = threading.Thread(target=attempt, name="gtts-reachable", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(outcome and outcome[0])
