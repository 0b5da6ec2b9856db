"""The whole pipeline for one source: what the command line calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen import sources
from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.script import Script, build_script
from audiogen.sources import Source
from audiogen.voices import Voice, engine_class, open_engine

if TYPE_CHECKING:
    from audiogen.lexicon import Lexicon


@dataclass(frozen=True)
class Result:
    path: Path
    skipped: bool = False  # the MP3 was already there and `force` was off


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


def convert(
    source: Source | str,
    voice: Voice,
    out_dir: Path,
    *,
    publisher: str | None = None,
    language: str | None = None,
    url: str | None = None,
    force: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
    lexicon: Lexicon | None = None,
) -> Result:
    """Source in, tagged MP3 in `out_dir` out; an AudiogenError says why not.

    `lexicon` None reads the voice's own; a batch loads it once and passes it in.
    """
    # Heavy modules (pydub, the neural runtime) load only once there is work for them.
    from audiogen.assemble import assemble
    from audiogen.publish import output_name, publish
    from audiogen.speak import speak

    article = read_article(source, publisher=publisher, language=language, url=url)
    target = out_dir / output_name(article)
    if target.exists() and not force:
        return Result(target, skipped=True)
    script = script_for(article, voice, lexicon)
    try:
        audio = speak(script, open_engine(voice), on_chunk)
        track = assemble(script, audio, voice.pauses)
        return Result(publish(track, script, article, out_dir))
    except AudiogenError as error:
        # Engines and the writer do not know the source; the user needs it named.
        name = source if isinstance(source, str) else source.location
        raise AudiogenError(f"{name}: {error}") from error
