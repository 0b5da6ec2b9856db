"""The command line: parse arguments, call the library, report in one line per result.

Only click and the standard library load at start-up; each command imports the pipeline
stages it needs, so `audiogen --help` stays instant.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from audiogen import __version__
from audiogen.voices import DEFAULT_VOICE


class _OneLine(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        # click finds sys.stderr when called, so a live progress display can catch the line.
        click.echo(f"audiogen: {record.levelname.lower()}: {record.getMessage()}", err=True)


def _error(message: str) -> None:
    click.echo(f"audiogen: error: {message}", err=True)


def _voice(name: str):
    from audiogen.errors import AudiogenError
    from audiogen.voices import find_voice

    try:
        return find_voice(name)
    except AudiogenError as error:
        _error(str(error))
        sys.exit(2)


def _lexicon(voice, files):
    """The voice's lexicons, then the publisher's, in order; a bad file is a usage error."""
    from audiogen.errors import AudiogenError
    from audiogen.lexicon import load_lexicon

    try:
        return load_lexicon((*voice.lexicons, *files))
    except AudiogenError as error:
        _error(str(error))
        sys.exit(2)


def _article_options(command):
    command = click.option(
        "--lexicon",
        "lexicons",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Pronunciation lexicon (TOML), read after the voice's; repeatable, later files win.",
    )(command)
    command = click.option(
        "--lang",
        "language",
        metavar="CODE",
        help="Article language, e.g. en (default: what the page says, else en).",
    )(command)
    command = click.option("--publisher", help="Publisher name for the tags.")(command)
    command = click.option(
        "--voice",
        default=DEFAULT_VOICE,
        show_default=True,
        help="Voice preset (see `audiogen voices`).",
    )(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiogen")
def main() -> None:
    """Turn news articles into narrated, tagged MP3 files."""
    logging.getLogger("audiogen").addHandler(_OneLine())


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the MP3 files (and manifest.jsonl, the record of every result).",
)
@_article_options
@click.option("--url", help="The article's web address, written into the MP3 (one source only).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Articles converted at once, one process each  [default: the number of cores].",
)
@click.option("--force", is_flag=True, help="Convert again even if the MP3 is up to date.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="AUDIOGEN_CACHE_DIR",
    show_envvar=True,
    help="Where spoken sentences are kept for re-runs  [default: the user cache folder].",
)
@click.option("--no-cache", is_flag=True, help="Speak every sentence anew; keep nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary; errors only.")
def convert(
    sources, out_dir, voice, publisher, language, url, jobs, force, cache_dir, no_cache, quiet,
    lexicons,
):  # fmt: skip
    """Convert article SOURCES into MP3 files.

    A source is a text file (a page copied out of a browser), an HTML file, an http(s) URL,
    an RSS/Atom feed, a folder, a glob, a list file (*.list, *.csv or *.jsonl, or @FILE), or
    - for standard input.

    Prints the path of each MP3 on standard output. An MP3 already made from the same text
    with the same voice is kept as it is; sentences spoken before come from the cache. An
    interrupted run picks up where it stopped. Exit status 0: all converted; 1: some failed.
    """
    from audiogen.batch import Settings, convert_all
    from audiogen.cache import ChunkCache
    from audiogen.manifest import FAILED, NAME
    from audiogen.progress import BatchDisplay
    from audiogen.sources import expand_sources

    if url and len(sources) > 1:
        raise click.UsageError("--url names one article's address; give one source with it")
    # Checked here, once, so a typo is a usage error and not one failure per article.
    _lexicon(_voice(voice), lexicons)
    cache = None if no_cache else cache_dir or ChunkCache.default_folder()
    try:
        # Folders, globs, list files, feeds and "-" open up into the articles they hold; an
        # argument that cannot is named and the rest go on.
        articles, unusable = expand_sources(list(sources), stdin=sys.stdin.buffer)
        settings = Settings(
            out_dir=out_dir,
            voice=voice,
            lexicons=tuple(lexicons),
            publisher=publisher,
            language=language,
            url=url,
            force=force,
            cache_dir=cache,
        )
        display = BatchDisplay(len(articles), quiet=quiet)
        with display:
            entries = convert_all(
                articles, settings, jobs=jobs, unusable=unusable, on_event=display
            )
    except KeyboardInterrupt:
        _error("interrupted; run the same command again to carry on where it stopped")
        sys.exit(130)
    if len(articles) + len(unusable) > 1:
        display.summary(entries, str(out_dir / NAME))
    sys.exit(1 if unusable or any(entry.status == FAILED for entry in entries) else 0)


@main.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print metadata and segments as JSON.")
@_article_options
def script(source, as_json, voice, publisher, language, lexicons):
    """Print what will be spoken for SOURCE, word for word.

    The spoken text goes to standard output; the metadata found goes to standard error
    (or, with --json, everything to standard output).
    """
    from audiogen.convert import read_article, script_for
    from audiogen.errors import AudiogenError

    chosen = _voice(voice)
    lexicon = _lexicon(chosen, lexicons)
    try:
        article = read_article(source, publisher=publisher, language=language)
        spoken = script_for(article, chosen, lexicon)
    except AudiogenError as error:
        _error(str(error))
        sys.exit(1)
    published = article.published.isoformat() if article.published else None
    if as_json:
        segments = [
            {"paragraph": s.paragraph, "text": s.text, "spoken": s.spoken} for s in spoken.segments
        ]
        click.echo(
            json.dumps(
                {
                    "headline": article.headline,
                    "byline": article.byline,
                    "published": published,
                    "publisher": article.publisher,
                    "language": article.language,
                    "source": article.source,
                    "segments": segments,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for label, value in (
        ("headline", article.headline),
        ("byline", article.byline),
        ("published", published),
        ("publisher", article.publisher),
        ("language", article.language),
    ):
        click.echo(f"{label}: {value or '-'}", err=True)
    click.echo(spoken.transcript)


@main.command()
@click.argument("text", required=False)
@click.option("--lang", "language", default="en", show_default=True, metavar="CODE")
def normalize(text, language):
    """Print TEXT (or each line of standard input) as the voice will say it."""
    from audiogen.normalize import normalize as spoken

    lines = [text] if text is not None else sys.stdin.read().splitlines()
    for line in lines:
        click.echo(spoken(line, language))


@main.command()
def voices():
    """List the voice presets, their engine, and whether each can run here."""
    from audiogen.voices import load_voices

    # The default first: it is the one that runs everywhere.
    for voice in sorted(load_voices().values(), key=lambda voice: voice.name != DEFAULT_VOICE):
        problem = voice.availability()
        status = "ready" if problem is None else f"unavailable: {problem}"
        default = " (default)" if voice.name == DEFAULT_VOICE else ""
        click.echo(
            f"{voice.name + default:<18} {voice.engine:<6} {voice.language:<4} "
            f"{voice.description}\n{'':<18} {status}"
        )
