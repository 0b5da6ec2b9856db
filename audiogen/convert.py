"""The whole pipeline for one source: what the command line calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.extract import extract_article
from audiogen.ingest import read_document
from audiogen.script import Script, build_script
from audiogen.voices import Voice, engine_class, open_engine


@dataclass(frozen=True)
class Result:
    path: Path
    skipped: bool = False  # the MP3 was already there and `force` was off


def read_article(
    source: str,
    *,
    publisher: str | None = None,
    language: str = "en",
    url: str | None = None,
) -> Article:
    document = read_document(source)
    article = extract_article(document.text, source=source, publisher=publisher, language=language)
    return replace(article, url=url) if url else article


def script_for(article: Article, voice: Voice) -> Script:
    return build_script(article, engine_class(voice).max_chunk_chars)


def convert(
    source: str,
    voice: Voice,
    out_dir: Path,
    *,
    publisher: str | None = None,
    language: str | None = None,
    url: str | None = None,
    force: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
) -> Result:
    """Source in, tagged MP3 in `out_dir` out; an AudiogenError says why not."""
    # Heavy modules (pydub, the neural runtime) load only once there is work for them.
    from audiogen.assemble import assemble
    from audiogen.publish import output_name, publish
    from audiogen.speak import speak

    article = read_article(
        source, publisher=publisher, language=language or voice.language, url=url
    )
    target = out_dir / output_name(article)
    if target.exists() and not force:
        return Result(target, skipped=True)
    script = script_for(article, voice)
    try:
        audio = speak(script, open_engine(voice), on_chunk)
        track = assemble(script, audio, voice.pauses)
        return Result(publish(track, script, article, out_dir))
    except AudiogenError as error:
        # Engines and the writer do not know the source; the user needs it named.
        raise AudiogenError(f"{source}: {error}") from error
