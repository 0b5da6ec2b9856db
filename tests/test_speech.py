"""The OpenAI-compatible speech endpoint (service/speech.py): the request's checks, the
synthesis (the audio decoded, its length and loudness measured), and the endpoint itself
called by the `openai` client against the real server process."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import wave

import imageio_ffmpeg
import numpy as np
import pytest

from audiogen.errors import AudiogenError
from audiogen.loudness import measure
from audiogen.options import Options
from audiogen.service import speech
from audiogen.voices import DEFAULT_VOICE
from tests.conftest import DECODE_RATE, decode_mp3

TEXT = (
    "On Dec. 25, Mr. Zelensky said 3,000 troops had arrived in Kyiv.\n\n"
    "The talks resume on Jan. 4 at 10 a.m., officials said."
)
WORDS = len(TEXT.split())


def plausible(seconds: float, words: int = WORDS) -> bool:
    """A length a voice reading `words` words at a newsreader's pace could take: between
    four and 1.5 words a second, with the lead-in, pauses and tail on top."""
    return words / 4 <= seconds <= words / 1.5 + 3


def decoded(data: bytes) -> np.ndarray:
    """Any audio file's samples as float mono at DECODE_RATE, decoded by ffmpeg."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", "pipe:0",
         "-f", "s16le", "-ac", "1", "-ar", str(DECODE_RATE), "pipe:1"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    assert result.stderr == b"", result.stderr.decode()
    return np.frombuffer(result.stdout, dtype=np.int16).astype(np.float32) / 32768


# --- The request ------------------------------------------------------------------------------


def asked(**body):
    return speech.speech_request({"model": "tts-1", "input": "Hello.", **body}, DEFAULT_VOICE)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"input": ""}, "`input` is required"),
        ({"input": None}, "`input` is required"),
        ({"input": "x" * 4097}, "4097 characters; at most 4096"),
        ({"voice": "bob"}, "unknown voice 'bob'; choose one of gtts-en-gb"),
        ({"voice": "bob"}, "joe-headline, joe (OpenAI's names, such as alloy or nova, are joe)"),
        ({"response_format": "mp4"}, "response_format 'mp4': this server makes mp3"),
        ({"speed": 5}, "speed 5: a number from 0.25 to 4"),
        ({"speed": 0.1}, "speed 0.1"),
        ({"speed": "fast"}, "speed 'fast'"),
        ({"speed": True}, "speed True"),
    ],
)
def test_what_cannot_be_served_is_one_line(body, said):
    with pytest.raises(AudiogenError) as caught:
        asked(**body)
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_a_body_that_is_no_object_is_refused():
    with pytest.raises(AudiogenError, match="JSON object"):
        speech.speech_request(["Hello."], DEFAULT_VOICE)


def test_voices_by_openai_s_names_and_audiogen_s():
    assert asked(voice="alloy").voice == DEFAULT_VOICE
    assert speech.speech_request({"input": "Hi."}, "joe-headline").voice == "joe-headline"
    assert asked(voice="joe-headline").voice == "joe-headline"
    assert asked(model="joe-headline", voice="nova").voice == "joe-headline"  # a model alias
    assert asked(model="joe-headline", voice="joe").voice == "joe"  # the voice wins
    request = asked(input="Read this.", speed=1.5, response_format="wav")
    assert request == speech.SpeechRequest("Read this.", DEFAULT_VOICE, "wav", 1.5)
    assert asked(speed=None).speed == 1.0 and asked().response_format == "mp3"


def test_formats_are_those_ffmpeg_can_make():
    listing = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-encoders"],
                             capture_output=True, text=True).stdout  # fmt: skip
    formats = speech.available_formats()
    assert {"mp3", "wav", "pcm", "flac"} <= set(formats)
    assert ("opus" in formats) == (" libopus " in listing)


def test_the_text_is_read_as_an_article_s_body():
    from audiogen.cache import CachedEngine
    from audiogen.lexicon import load_lexicon
    from audiogen.voices import find_voice

    voice = find_voice(DEFAULT_VOICE)
    script = speech.speech_script(
        TEXT + "\n\n...", voice, load_lexicon(voice.lexicons), CachedEngine(voice, None)
    )
    assert [segment.paragraph for segment in script.segments] == [1, 2]
    first = script.segments[0]
    assert first.text.startswith("On Dec. 25, Mr. Zelensky")
    assert "December twenty-fifth" in first.spoken and "three thousand" in first.spoken
    assert "[[" in first.chunks[0]  # the lexicon's phonemes for Zelensky, for Piper


# --- Synthesis (the voice in this process) ------------------------------------------------------


@pytest.fixture(scope="module")
def mp3(tmp_path_factory):
    data, media_type = speech.synthesize(TEXT, DEFAULT_VOICE, "mp3", 1.0, Options())
    assert media_type == "audio/mpeg"
    path = tmp_path_factory.mktemp("speech") / "speech.mp3"
    path.write_bytes(data)
    return path


def test_the_mp3_decodes_at_a_plausible_length_and_loudness(mp3):
    samples = decode_mp3(mp3)
    assert plausible(len(samples) / DECODE_RATE), len(samples) / DECODE_RATE
    assert np.abs(samples).max() > 0.1  # speech, not silence
    loudness = measure(mp3)
    assert abs(loudness.integrated - -19) <= 1 and loudness.true_peak <= -1.0


def test_wav_has_a_header_that_says_what_it_holds(mp3):
    data, media_type = speech.synthesize(TEXT, DEFAULT_VOICE, "wav", 1.0, Options())
    assert media_type == "audio/wav" and data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        seconds = reader.getnframes() / reader.getframerate()
        assert reader.getframerate() == 22050  # the voice's own rate
    assert abs(seconds - len(decode_mp3(mp3)) / DECODE_RATE) < 0.2


def pcm_seconds(speed: float) -> float:
    data, media_type = speech.synthesize(TEXT, DEFAULT_VOICE, "pcm", speed, Options())
    assert media_type == "audio/pcm" and len(data) % 2 == 0
    return len(data) / 2 / 24000  # OpenAI's PCM: 16-bit, 24 kHz, no header


def test_speed_is_piper_s_pace():
    normal, fast, slow = pcm_seconds(1.0), pcm_seconds(2.0), pcm_seconds(0.5)
    assert plausible(normal)
    # The pauses between sentences and paragraphs keep their length, and Piper's pace is not
    # linear in length_scale (a sentence at 0.5 takes 0.65 of its time at 1, at 2.0 1.8).
    assert fast < 0.8 * normal and slow > 1.4 * normal


def test_a_paced_voice_shares_the_loaded_model():
    from audiogen import voices

    pcm_seconds(1.0)
    loaded = dict(voices._engines)
    pcm_seconds(1.7)
    assert voices._engines == loaded  # no second model for another speed


@pytest.mark.parametrize("response_format", ["opus", "aac", "flac"])
def test_the_other_formats_decode(response_format):
    if response_format not in speech.available_formats():
        pytest.skip(f"this ffmpeg cannot make {response_format}")
    data, media_type = speech.synthesize(TEXT, DEFAULT_VOICE, response_format, 1.0, Options())
    assert media_type == speech.FORMATS[response_format].media_type
    assert plausible(len(decoded(data)) / DECODE_RATE)


def test_what_synthesize_is_given_is_checked_too():
    with pytest.raises(speech.RequestError, match="nothing to say"):
        speech.synthesize("... --- ...", DEFAULT_VOICE, "mp3", 1.0, Options())
    with pytest.raises(speech.RequestError, match="response_format 'mp4'"):
        speech.synthesize("Hello.", DEFAULT_VOICE, "mp4", 1.0, Options())
    with pytest.raises(speech.RequestError, match="speed 0"):
        speech.synthesize("Hello.", DEFAULT_VOICE, "mp3", 0, Options())
    data, media_type = speech.synthesize("Hello.", "nova", "wav", 1.0, Options())  # the default
    assert media_type == "audio/wav" and plausible(len(decoded(data)) / DECODE_RATE, words=1)


# --- The endpoint, in the real server process, called by OpenAI's own client ---------------------

TOKEN = "speech-test-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`audiogen serve` on a free loopback port, one worker; its base URL."""
    pytest.importorskip("starlette")
    pytest.importorskip("audiogen.service.app")  # the service core (branch serve)
    port = free_port()
    data = tmp_path_factory.mktemp("serve-data")
    command = [sys.executable, "-m", "audiogen", "serve", "--port", str(port), "--data",
               str(data), "--token", TOKEN, "--jobs", "1"]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(base: str, process: subprocess.Popen) -> None:
    import httpx

    for _ in range(600):  # 60 s: the first start imports the web stack and the voice
        if process.poll() is not None:
            raise AssertionError(f"the server ended: {process.stderr.read()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not answer /healthz within 60 s")


@pytest.fixture(scope="module")
def client(server):
    openai = pytest.importorskip("openai")
    return openai.OpenAI(base_url=f"{server}/v1", api_key=TOKEN, max_retries=0)


def test_the_openai_client_gets_an_mp3_of_the_text(client, tmp_path):
    answer = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT)
    assert answer.response.headers["content-type"] == "audio/mpeg"
    path = tmp_path / "speech.mp3"
    path.write_bytes(answer.content)
    samples = decode_mp3(path)
    assert plausible(len(samples) / DECODE_RATE) and np.abs(samples).max() > 0.1


def test_the_openai_client_gets_a_wav(client):
    answer = client.audio.speech.create(
        model="gpt-4o-mini-tts", voice="joe", input="Hello from audiogen.", response_format="wav"
    )
    with wave.open(io.BytesIO(answer.content)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            22050,
        )
        assert plausible(reader.getnframes() / reader.getframerate(), words=3)


def test_without_the_token_it_is_401(server):
    import openai

    stranger = openai.OpenAI(base_url=f"{server}/v1", api_key="not-the-token", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        stranger.audio.speech.create(model="tts-1", voice="alloy", input="Hello.")


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ({"voice": "bob", "input": "Hello."}, "unknown voice 'bob'"),
        ({"voice": "alloy", "input": "x" * 4097}, "at most 4096"),
        ({"voice": "alloy", "input": "Hello.", "speed": 9}, "speed 9"),
        ({"voice": "alloy", "input": "Hello.", "response_format": "mp4"}, "response_format"),
        ({"voice": "alloy", "input": "... !!! ..."}, "nothing to say"),  # found in the worker
    ],
)
def test_what_cannot_be_served_is_a_400_that_says_why(client, asked, said):
    import openai

    with pytest.raises(openai.BadRequestError) as caught:
        client.audio.speech.create(model="tts-1", **asked)
    error = caught.value.response.json()["error"]
    assert said in error and "\n" not in error


def test_the_voices_are_listed_as_models(client):
    names = {model.id for model in client.models.list()}
    assert {"joe", "joe-headline", "tts-1"} <= names


def test_the_openapi_description_has_the_endpoint(server):
    import httpx

    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    body = paths["/v1/audio/speech"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["response_format"]["enum"] == list(speech.FORMATS)
    assert "/v1/models" in paths
