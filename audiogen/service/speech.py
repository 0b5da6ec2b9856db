"""OpenAI-compatible speech: `POST /v1/audio/speech` and `GET /v1/models`.

Chat front ends and reading apps that speak OpenAI's speech API can use audiogen as their
voice: the text goes through the same normaliser, lexicon, engine, chunk cache, assembly and
loudness as an article (narration, speak, assemble, publish), never a second pipeline.

- The request: JSON `input` (required, at most MAX_INPUT characters, as OpenAI), `model`
  (anything: "tts-1", "tts-1-hd", "gpt-4o-mini-tts", or an audiogen voice's name, which then
  is the voice unless `voice` names one), `voice` (an audiogen voice's name selects it;
  OpenAI's names, OPENAI_VOICES, are the service's default voice; another is a 400 naming
  the voices), `response_format` (FORMATS: mp3 by default; a format this ffmpeg cannot make
  is a 400), `speed` 0.25 to 4.0 (Piper speaks at length_scale / speed, which is not quite
  linear: a sentence at speed 2 takes 0.65 of its time at 1, at 0.5 1.8 times it; the pauses
  between sentences keep their length; the gTTS engine has one pace and ignores it). The
  answer is the audio, with its media type; an error is `{"error": "one line"}`. The bearer
  token is the app's guard's business, as for every write.
- `synthesize(text, voice, response_format, speed, options) -> (bytes, media type)` is a
  plain top-level function: the endpoint runs it through `Runner.call` in a worker process,
  where the voice is loaded once for the process's life; never in the server's event loop.
- `GET /v1/models` lists the audiogen voices (and OpenAI's model names) as models.
- Audio: mono at the voice's rate (MP3 at 44.1 kHz 64 kbit/s as an episode, PCM as OpenAI's,
  raw 16-bit little-endian at 24 kHz), at -19 LUFS with its true peak under -1 dBTP (MP3:
  measured on the encoded file, publish.encode_audio).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.errors import AudiogenError

if TYPE_CHECKING:
    from audiogen.narration import Script
    from audiogen.options import Options
    from audiogen.track import Track
    from audiogen.voices import Voice

MAX_INPUT = 4096  # characters, as OpenAI's endpoint
SPEEDS = (0.25, 4.0)
OPENAI_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage",
                 "shimmer", "verse")  # fmt: skip
# Lossy encoders lift peaks a little (publish measures and re-encodes the MP3; the others
# are levelled this far under the ceiling instead).
LOSSY_MARGIN_DB = 1.0


@dataclass(frozen=True)
class Format:
    media_type: str
    encoder: str  # ffmpeg's name for it: the format is offered only where ffmpeg has it
    arguments: tuple[str, ...]  # ffmpeg's output options after the input


FORMATS = {
    "mp3": Format("audio/mpeg", "libmp3lame", ()),  # publish's encoder, not these arguments
    "opus": Format(
        "audio/ogg", "libopus", ("-c:a", "libopus", "-b:a", "32k", "-ar", "24000", "-f", "ogg")
    ),  # fmt: skip
    "aac": Format("audio/aac", "aac", ("-c:a", "aac", "-b:a", "64k", "-f", "adts")),
    "flac": Format("audio/flac", "flac", ("-c:a", "flac", "-f", "flac")),
    "wav": Format("audio/wav", "pcm_s16le", ("-c:a", "pcm_s16le", "-f", "wav")),
    "pcm": Format("audio/pcm", "pcm_s16le", ("-c:a", "pcm_s16le", "-ar", "24000", "-f", "s16le")),
}


class RequestError(AudiogenError):
    """What the request asked cannot be served (a 400), found in the worker or before."""


@dataclass(frozen=True)
class SpeechRequest:
    """A request's body, checked: what synthesize is called with."""

    text: str
    voice: str
    response_format: str
    speed: float


# --- The request ---------------------------------------------------------------------------


def speech_request(body: object, default_voice: str) -> SpeechRequest:
    """The request's JSON body, checked; AudiogenError (one line, a 400) for what cannot be
    served."""
    if not isinstance(body, dict):
        raise RequestError("the body must be a JSON object with `input`")
    return SpeechRequest(
        _text(body.get("input")),
        _voice(body.get("voice"), body.get("model"), default_voice),
        _format(body.get("response_format") or "mp3"),
        _speed(1.0 if body.get("speed") is None else body["speed"]),
    )


def _text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise RequestError("`input` is required: the text to speak")
    if len(text) > MAX_INPUT:
        raise RequestError(f"`input` is {len(text)} characters; at most {MAX_INPUT}")
    return text


def _voice(voice: object, model: object, default: str) -> str:
    """An audiogen voice's name: `voice`'s, else `model`'s, else the default (OpenAI's names)."""
    from audiogen.voices import load_voices

    known = load_voices()
    if isinstance(voice, str) and voice in known:
        return voice
    if voice is None or voice in OPENAI_VOICES:
        return model if isinstance(model, str) and model in known else default
    raise RequestError(
        f"unknown voice {voice!r}; choose one of {', '.join(known)} "
        f"(OpenAI's names, such as alloy or nova, are {default})"
    )


def _format(name: object) -> str:
    usable = available_formats()
    if name not in usable:
        raise RequestError(f"response_format {name!r}: this server makes {', '.join(usable)}")
    return name


def _speed(speed: object) -> float:
    low, high = SPEEDS
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not low <= speed <= high:
        raise RequestError(f"speed {speed!r}: a number from {low:g} to {high:g}")
    return float(speed)


def available_formats() -> tuple[str, ...]:
    """The response formats this machine's ffmpeg can make, in FORMATS' order."""
    encoders = _encoders()
    return tuple(name for name, kind in FORMATS.items() if kind.encoder in encoders)


@functools.cache
def _encoders() -> frozenset[str]:
    """ffmpeg's audio encoders (the bundled one's: builds differ, libopus is optional)."""
    import imageio_ffmpeg

    listing = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-encoders"],
                             capture_output=True, text=True, check=False).stdout  # fmt: skip
    return frozenset(re.findall(r"^ A\S* (\S+)", listing, re.MULTILINE))


# --- Synthesis (in a worker process) -------------------------------------------------------


def synthesize(
    text: str, voice: str, response_format: str, speed: float, options: Options
) -> tuple[bytes, str]:
    """The audio of `text` read by the voice named `voice` at `speed`, in `response_format`
    (FORMATS), and its media type: normalised, with the voice's and the options' lexicons,
    through the options' chunk cache. AudiogenError, one line, when it cannot be made."""
    from audiogen.options import lexicon_for
    from audiogen.voices import find_voice

    preset = find_voice(_voice(voice, None, options.voice))  # OpenAI's names too
    engine = _engine(preset, _speed(speed), options)
    script = speech_script(text, preset, lexicon_for(options, preset), engine)
    if not script.segments:
        raise RequestError("`input` has nothing to say (no word in it)")
    response_format = _format(response_format)
    track = _track(script, preset, engine)
    try:
        return _encoded(track, response_format), FORMATS[response_format].media_type
    finally:
        track.spool.close()


def speech_script(text: str, voice: Voice, lexicon, engine) -> Script:
    """The script of a plain text: its paragraphs (blank lines apart), sentence by sentence,
    read as an article's body is (normalised, the lexicon applied, chunked for the engine)."""
    from audiogen.narration import Script, split_sentences, spoken_segment

    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    segments = (
        spoken_segment(
            number,
            sentence,
            voice.language,
            engine.max_chunk_chars,
            lexicon,
            engine.accepts_phonemes,
        )
        for number, paragraph in enumerate(paragraphs, start=1)
        for sentence in split_sentences(paragraph)
    )
    # As build_script: a segment with nothing to say ("...") would be silence or an error.
    return Script(tuple(s for s in segments if any(c.isalnum() for c in s.spoken)))


def _engine(voice: Voice, speed: float, options: Options):
    """The voice's engine through the chunk cache, at `speed` (the voice's own at 1)."""
    from audiogen.cache import CachedEngine
    from audiogen.storage import chunk_cache

    cache = chunk_cache(options.cache_folder())
    if speed == 1.0 or voice.engine != "piper":  # gTTS has one pace
        return CachedEngine(voice, cache)
    return _paced_engine_class()(voice, speed, cache)


@functools.cache
def _paced_engine_class() -> type:
    from audiogen.cache import CachedEngine

    class PacedEngine(CachedEngine):
        """A Piper voice at another pace: cached under the paced settings (a chunk spoken
        faster is another sound), spoken by the voice's own model, loaded once per process
        whatever the speeds asked for (a copy of its engine with another length_scale)."""

        def __init__(self, voice: Voice, speed: float, cache) -> None:
            scale = (voice.settings.get("length_scale") or 1.0) / speed
            paced = dataclasses.replace(voice, settings={**voice.settings, "length_scale": scale})
            super().__init__(paced, cache)
            self.base = voice

        def _engine(self):
            from audiogen.voices import open_engine

            paced = copy.copy(open_engine(self.base))  # the loaded model, shared
            paced.config = dataclasses.replace(
                paced.config, length_scale=self.voice.settings["length_scale"]
            )
            return paced

    return PacedEngine


def _track(script: Script, voice: Voice, engine) -> Track:
    from audiogen.assemble import assemble
    from audiogen.speak import spoken

    # The engine speaks ahead in a thread of its own while each chunk is levelled here.
    return assemble(script, spoken(script, engine, ahead=2), voice.pauses)


def _encoded(track: Track, response_format: str) -> bytes:
    """The track as a file of `response_format`, whole, in bytes (made in a temporary
    folder: WAV, FLAC and MP3 write their headers last, which a pipe cannot take)."""
    from audiogen.publish import encode_audio

    with tempfile.TemporaryDirectory(prefix="audiogen-speech-") as folder:
        path = Path(folder) / f"speech.{response_format}"
        if response_format == "mp3":
            encode_audio(track, path)
        else:
            _ffmpeg_encode(track, path, FORMATS[response_format].arguments)
        return path.read_bytes()


def _ffmpeg_encode(track: Track, path: Path, arguments: tuple[str, ...]) -> None:
    """The track, levelled a block at a time, piped into ffmpeg as 32-bit floats."""
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error", "-f", "f32le",
               "-ar", str(track.rate), "-ac", "1", "-i", "pipe:0",
               *arguments, str(path)]  # fmt: skip
    with subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as encoder:
        try:
            for block in _levelled_blocks(track):
                encoder.stdin.write(block.astype("<f4").tobytes())
            encoder.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped: its stderr says why
        failure = encoder.stderr.read().decode(errors="replace").strip().splitlines()
    if encoder.returncode != 0:
        reason = failure[-1] if failure else f"ffmpeg exited with {encoder.returncode}"
        raise AudiogenError(f"encoding {path.suffix[1:]} failed: {reason}")


def _levelled_blocks(track: Track):
    from audiogen.loudness import MONO_LUFS, TRUE_PEAK_DBTP, levelled, plan

    frames = track.spool.frames()
    ceiling = 10 ** ((TRUE_PEAK_DBTP - LOSSY_MARGIN_DB) / 20)
    return levelled(track.spool.read, frames, plan(frames, MONO_LUFS, ceiling))


# --- The endpoints --------------------------------------------------------------------------

_ERROR = {"description": "one line", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}  # fmt: skip
# The endpoints' part of /openapi.json (schema.py adds it to the service's paths).
OPENAPI_PATHS = {
    "/v1/audio/speech": {"post": {
        "summary": "OpenAI-compatible speech: the audio of a text, in the voice asked for",
        "security": [{"token": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["input"], "properties": {
                "model": {"type": "string", "description": "tts-1, ... or a voice's name"},
                "input": {"type": "string", "maxLength": MAX_INPUT},
                "voice": {"type": "string", "description": "a voice preset, or OpenAI's name"},
                "response_format": {"enum": list(FORMATS), "default": "mp3"},
                "speed": {"type": "number", "minimum": SPEEDS[0], "maximum": SPEEDS[1],
                          "default": 1.0}}}}}},
        "responses": {"200": {"description": "the audio", "content": {
            kind.media_type: {} for kind in FORMATS.values()}},
            "400": _ERROR, "401": _ERROR, "429": _ERROR, "500": _ERROR}}},
    "/v1/models": {"get": {"summary": "The voices, as OpenAI's models list",
                           "responses": {"200": {"description": "a list of models"}}}},
}  # fmt: skip


def routes(runner_getter: Callable) -> list:
    """Starlette's routes for `/v1/audio/speech` and `/v1/models`; `runner_getter()` is the
    service's Runner (made when the app starts), whose options give the default voice, the
    lexicons and the chunk cache."""
    from starlette.routing import Route

    async def speech(request):
        return await _speech(request, runner_getter())

    async def models(request):
        return _models()

    return [
        Route("/v1/audio/speech", speech, methods=["POST"]),
        Route("/v1/models", models, methods=["GET"]),
    ]


async def _speech(request, runner):
    import asyncio
    import json

    from starlette.responses import Response

    try:
        asked = speech_request(json.loads(await request.body() or b"null"), runner.options.voice)
    except (ValueError, RequestError) as error:  # JSON's ValueError too
        return _error(400, _one_line(error))
    future = runner.call(synthesize, asked.text, asked.voice, asked.response_format,
                         asked.speed, runner.options)  # fmt: skip
    try:
        audio, media_type = await asyncio.wrap_future(future)
    except AudiogenError as error:  # the engine, the encoder: the server's side
        return _error(400 if isinstance(error, RequestError) else 500, _one_line(error))
    return Response(audio, media_type=media_type)


def _models():
    from starlette.responses import JSONResponse

    from audiogen.voices import load_voices

    names = [*load_voices(), *OPENAI_MODELS]
    data = [{"id": name, "object": "model", "created": 0, "owned_by": "audiogen"} for name in names]
    return JSONResponse({"object": "list", "data": data})


def _error(status: int, message: str):
    from audiogen.service.guard import error_response  # starlette: not in the workers

    return error_response(status, message)


def _one_line(error: Exception) -> str:
    if isinstance(error, AudiogenError):
        return str(error)
    return f"the body is not JSON: {error}".splitlines()[0]
