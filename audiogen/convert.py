"""The whole pipeline for one source: what the command line and each batch worker call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen import sources
from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.script import Script, build_script
from audiogen.sources import Source
from audiogen.voices import Voice, engine_class

if TYPE_CHECKING:
    from audiogen.cache import ChunkCache
    from audiogen.lexicon import Lexicon

# Bumped when the way audio is assembled or encoded changes, so older MP3s count as stale.
OUTPUT_FORMAT = 1


@dataclass(frozen=True)
class Result:
    path: Path
    article: Article
    seconds: float  # length of the MP3
    skipped: bool = False  # an up-to-date MP3 was already there and `force` was off


def read_article(
    source: Source | str,
    *,
    publisher: str | None = None,
    language: str | None = None,
    url: str | None = None,
) -> Article:
    """The article a source holds: a file, a URL, stdin, or a feed item (see sources.py)."""
    found = sources.read_article(
        Source(source) if isinstance(source, str) else source,
        publisher=publisher,
        language=language,
    )
    return replace(found, url=url) if url else found


def script_for(article: Article, voice: Voice, lexicon: Lexicon | None = None) -> Script:
    """The script as `voice` will read it; `lexicon` None: the voice's own (default + preset)."""
    from audiogen.lexicon import load_lexicon

    engine = engine_class(voice)
    if lexicon is None:
        lexicon = load_lexicon(voice.lexicons)
    # Phonemes only for an engine that says it takes them: others would read "[[" aloud.
    phonemes = getattr(engine, "accepts_phonemes", False)
    return build_script(
        article,
        engine.max_chunk_chars,
        lexicon,
        phonemes=phonemes,
        drop_dateline=voice.datelines == "drop",
    )


def fingerprint(article: Article, script: Script, voice: Voice) -> str:
    """What the MP3 is made from: every word the engine hears, the voice, its pauses and the
    tags. The same fingerprint means the same file, so a re-run can skip it."""
    from audiogen.voices import voice_identity

    made_from = {
        "format": OUTPUT_FORMAT,
        "voice": voice_identity(voice),
        "pauses": asdict(voice.pauses),
        "article": {
            "headline": article.headline,
            "byline": article.byline,
            "published": article.published.isoformat() if article.published else None,
            "publisher": article.publisher,
            "language": article.language,
            "url": article.url,
            "headings": {str(key): value for key, value in article.headings.items()},
        },
        "script": [[s.paragraph, s.text, list(s.chunks)] for s in script.segments],
    }
    encoded = json.dumps(made_from, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def convert(
    source: Source | str,
    voice: Voice,
    out_dir: Path,
    *,
    publisher: str | None = None,
    language: str | None = None,
    url: str | None = None,
    force: bool = False,
    on_chunk: Callable[[int, int, float], None] | None = None,
    lexicon: Lexicon | None = None,
    cache: ChunkCache | None = None,
    threads: int | None = None,
) -> Result:
    """Source in, tagged MP3 in `out_dir` out; an AudiogenError says why not.

    An MP3 already made from the same words, voice and tags is left as it is unless `force`.
    Chunks found in `cache` are not spoken again. `lexicon` None reads the voice's own; a
    batch loads it once and passes it in. `threads`: the neural engine's CPU threads
    (None: all cores).
    """
    # Heavy modules (pydub, the neural runtime) load only once there is work for them.
    from audiogen.assemble import assemble
    from audiogen.cache import CachedEngine
    from audiogen.publish import output_name, publish, written_fingerprint
    from audiogen.speak import speak

    article = read_article(source, publisher=publisher, language=language, url=url)
    script = script_for(article, voice, lexicon)
    target = out_dir / output_name(article)
    stamp = fingerprint(article, script, voice)
    if not force and written_fingerprint(target) == stamp:
        return Result(target, article, _seconds(target), skipped=True)
    try:
        audio = speak(script, CachedEngine(voice, cache, threads), on_chunk)
        track = assemble(script, audio, voice.pauses)
        return Result(publish(track, script, article, out_dir, stamp), article, track.seconds)
    except AudiogenError as error:
        # Engines and the writer do not know the source; the user needs it named.
        name = source if isinstance(source, str) else source.location
        raise AudiogenError(f"{name}: {error}") from error


def _seconds(mp3: Path) -> float:
    """The length we wrote in TLEN: exact, where the MP3's frame count rounds up a little."""
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    frames = ID3(mp3).getall("TLEN")
    return int(str(frames[0])) / 1000 if frames else MP3(mp3).info.length
