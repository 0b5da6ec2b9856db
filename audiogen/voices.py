"""Voice presets: `voices/*.toml` name an engine, its settings and the pauses between parts."""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import json
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.errors import AudiogenError

if TYPE_CHECKING:
    from audiogen.engines import Engine

DEFAULT_VOICE = "joe"
DEFAULT_LEXICON = "lexicon.toml"  # in voices/: the pronunciations every voice starts from


@dataclass(frozen=True)
class Pauses:
    """Seconds of silence after a sentence, a paragraph and the headline, and before a
    section heading."""

    sentence: float = 0.35
    paragraph: float = 0.9
    headline: float = 1.2
    section: float = 1.2


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str
    description: str = ""
    language: str = "en"
    settings: dict = field(default_factory=dict)  # the engine's own table in the preset
    pauses: Pauses = Pauses()
    lexicon: Path | None = None  # the preset's own lexicon, read after the default one
    # "read": say a wire dateline ("KYIV, Ukraine (AP) —") naturally; "drop": leave it out.
    datelines: str = "read"

    @property
    def lexicons(self) -> tuple[Path, ...]:
        """This voice's lexicon files, in the order they override: the default, then its own."""
        default = voices_dir() / DEFAULT_LEXICON
        return (default,) if self.lexicon is None else (default, self.lexicon)

    def availability(self) -> str | None:
        """None when this voice can speak on this machine, else why not (cheap to ask)."""
        if self.engine == "piper":
            for module in ("piper", self.settings.get("package", "piper")):
                if importlib.util.find_spec(module) is None:
                    return f"Python package {module!r} is not installed"
            return None
        from audiogen.engines.gtts import reachable

        tld = self.settings.get("tld", "com")
        return None if reachable(tld) else f"offline: translate.google.{tld} cannot be reached"


def voices_dir() -> Path:
    # A wheel carries the presets inside the package; a source checkout keeps them at the top.
    packaged = Path(__file__).parent / "voices"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "voices"


@functools.cache
def load_voices(folder: Path | None = None) -> dict[str, Voice]:
    """The presets in `folder` (default: the shipped voices/), by name."""
    folder = folder or voices_dir()
    voices = {}
    for path in sorted(folder.glob("*.toml")):
        preset = tomllib.loads(path.read_text(encoding="utf-8"))
        if "words" in preset and "engine" not in preset:
            continue  # a pronunciation lexicon, not a preset
        engine = preset["engine"]
        voices[path.stem] = Voice(
            name=path.stem,
            engine=engine,
            description=preset.get("description", ""),
            language=preset.get("language", "en"),
            settings=preset.get(engine, {}),
            pauses=Pauses(**preset.get("pauses", {})),
            # Relative to the presets' folder, as the preset's author sees it.
            lexicon=folder / preset["lexicon"] if "lexicon" in preset else None,
            datelines=preset.get("datelines", "read"),
        )
    return voices


def same_language(a: str, b: str) -> bool:
    """Whether two language tags name one language: "en", "en-GB" and "EN_us" do."""
    return _primary(a) == _primary(b)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].strip().lower()


def check_language(voice: Voice, language: str, presets: dict[str, Voice] | None = None) -> None:
    """Nothing when `voice` reads `language`; else an AudiogenError naming the presets (by
    default the shipped ones) that read it, or saying that none does. A voice reading another
    language's text says nonsense: every English voice turns French into English sounds."""
    if same_language(voice.language, language):
        return
    presets = load_voices() if presets is None else presets
    fitting = [name for name, other in presets.items() if same_language(other.language, language)]
    choice = (
        f"voices that read {language}: {', '.join(fitting)}"
        if fitting
        else f"no voice preset reads {language} yet"
    )
    raise AudiogenError(
        f"the article is in {language}, but the voice {voice.name!r} reads {voice.language}; "
        f"{choice} (see `audiogen voices`)"
    )


def find_voice(name: str) -> Voice:
    voices = load_voices()
    if name not in voices:
        raise AudiogenError(
            f"unknown voice {name!r}; choose one of {', '.join(voices)} (see `audiogen voices`)"
        )
    return voices[name]


_engines: dict[str, Engine] = {}
# convert loads the model in a thread of its own while the article is read: one load.
_engines_lock = threading.Lock()


def open_engine(voice: Voice, threads: int | None = None) -> Engine:
    """The engine for a voice, built once per process: loading a neural model takes a second.

    `threads` caps the neural runtime's CPU threads (None: all cores), so that a batch of
    worker processes shares the cores instead of each taking them all. Only Piper uses it.
    """
    with _engines_lock:
        if voice.name not in _engines:
            _engines[voice.name] = _build_engine(voice, threads)
        return _engines[voice.name]


def _build_engine(voice: Voice, threads: int | None) -> Engine:
    if threads is not None and voice.engine == "piper":
        return engine_class(voice)(**voice.settings, threads=threads)
    return engine_class(voice)(**voice.settings)


# Engine name in a preset -> "module:Class". The module is imported only when a voice names
# the engine: it may pull in a neural runtime. Tests add engines of their own here.
ENGINES = {
    "piper": "audiogen.engines.piper:PiperEngine",
    "gtts": "audiogen.engines.gtts:GttsEngine",
}


def engine_class(voice: Voice) -> type[Engine]:
    """The engine's class, imported on demand: its module may pull in a neural runtime."""
    if voice.engine not in ENGINES:
        raise AudiogenError(f"voice {voice.name!r} names an unknown engine {voice.engine!r}")
    module, name = ENGINES[voice.engine].split(":")
    return getattr(importlib.import_module(module), name)


_identities: dict[tuple[str, str], str] = {}


def voice_identity(voice: Voice) -> str:
    """A sha256 hex digest of everything that shapes the audio the voice makes for a text:
    the engine, its settings and its model (see each engine's `identity`), never the voice's
    name, pauses or lexicon (the lexicon changes the text, which is keyed on its own).

    Cheap: it never loads a neural model, and it is worked out once per process. Equal
    digests mean a cached chunk can stand in for synthesis.
    """
    settings = json.dumps(voice.settings, sort_keys=True, separators=(",", ":"), default=str)
    # Keyed on the settings rather than the name alone: a preset edited or replaced in a
    # long-lived process must not reuse the old voice's audio.
    key = (voice.engine, settings)
    if key not in _identities:
        _identities[key] = _identity_digest(voice, settings)
    return _identities[key]


def _identity_digest(voice: Voice, settings: str) -> str:
    engine = engine_class(voice)
    model = engine.identity(**voice.settings)
    # "format": the engine's version, under the key it had when the chunk cache's format
    # stood there (both 1), so that no cached chunk and no MP3 is made again for the move.
    made_by = json.dumps(
        {"format": engine.version, "engine": voice.engine, "settings": settings, "model": model},
        sort_keys=True,
    )
    return hashlib.sha256(made_by.encode()).hexdigest()
