"""The command line: parse arguments, call the library, report in one line per result.

Only click and the standard library load at start-up; each command imports the pipeline
stages it needs, so `audiogen --help` stays instant.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import signal
import sys
from pathlib import Path
from typing import NoReturn

import click

from audiogen import __version__
from audiogen.errors import AudiogenError
from audiogen.profile import AI_DISCLOSURE
from audiogen.voices import DEFAULT_VOICE


class _OneLine(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        # click finds sys.stderr when called, so a live progress display can catch the line.
        click.echo(f"audiogen: {record.levelname.lower()}: {record.getMessage()}", err=True)


def _error(message: str) -> None:
    click.echo(f"audiogen: error: {message}", err=True)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where Python raises KeyboardInterrupt for Ctrl-C, so that the
    batch stops the same way."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


@contextlib.contextmanager
def _stopped_by_signals():
    """SIGTERM (a service manager, `kill`) and SIGHUP (a closed terminal or SSH session)
    stop the command as Ctrl-C does. Exit status 128 + the signal's number, by the shell's
    convention: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""

    def stop(number, frame):
        raise Stopped(number)

    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield
    except KeyboardInterrupt as interruption:
        number = getattr(interruption, "number", signal.SIGINT)
        cause = (
            "interrupted"
            if number == signal.SIGINT
            else f"stopped by {signal.Signals(number).name}"
        )
        _error(f"{cause}; run the same command again to carry on where it stopped")
        sys.exit(128 + number)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _language_tag(context, param, value):
    """--lang: a language tag (en, en-GB, fr); anything else is a usage error."""
    if value is not None and not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*", value):
        raise click.BadParameter(f"{value!r} is not a language tag such as en, en-GB or fr")
    return value


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
        callback=_language_tag,
        help="Article language, e.g. en (default: what the page says, else en); the voice "
        "must read it.",
    )(command)
    command = click.option("--publisher", help="Publisher name for the tags.")(command)
    command = click.option(
        "--voice",
        default=DEFAULT_VOICE,
        show_default=True,
        help="Voice preset (see `audiogen voices`).",
    )(command)
    return command


def _profile_options(command):
    """The publisher's framing, from a profile file and flags: the same for convert and
    script, so that `script` prints every word the MP3 says."""
    for option in reversed(
        [
            click.option(
                "--profile",
                "profile_file",
                metavar="FILE",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Publisher profile (TOML): intro, outro, jingles, headline voice, cover, "
                "output settings.",
            ),
            click.option("--intro", metavar="TEXT", help="A line said before the headline."),
            click.option("--outro", metavar="TEXT", help="A line said after the article."),
            click.option(
                "--ai-disclosure",
                is_flag=True,
                help=f'Begin with "{AI_DISCLOSURE}"',
            ),
            click.option(
                "--headline-voice", metavar="VOICE", help="Read the headline in another voice."
            ),
            click.option(
                "--cover",
                metavar="IMAGE",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Cover art (default: the profile's, else the page's lead image).",
            ),
        ]
    ):
        command = option(command)
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
    callback=lambda context, param, value: _location(value),
    help="Folder for the MP3 files (and manifest.jsonl, the record of every result): a path, "
    "or a URL such as s3://bucket/audio/.",
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
    callback=lambda context, param, value: _location(value),
    envvar="AUDIOGEN_CACHE_DIR",
    show_envvar=True,
    help="Where spoken sentences are kept for re-runs, a path or a URL  [default: the user "
    "cache folder].",
)
@click.option("--no-cache", is_flag=True, help="Speak every sentence anew; keep nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary; errors only.")
@click.option(
    "--cluster",
    metavar="URL",
    envvar="AUDIOGEN_CLUSTER",
    show_envvar=True,
    help="Convert on the Dask cluster whose scheduler is at URL (tcp://HOST:8786); give -o "
    "and --cache-dir as URLs its workers can reach too.",
)
@_profile_options
def convert(
    sources, out_dir, voice, publisher, language, url, jobs, force, cache_dir, no_cache, quiet,
    cluster, profile_file, intro, outro, ai_disclosure, headline_voice, cover, lexicons,
):  # fmt: skip
    """Convert article SOURCES into MP3 files.

    A source is a text file (a page copied out of a browser), an HTML file, an http(s) URL,
    an RSS/Atom feed, a folder, a glob, a list file (*.list, *.csv or *.jsonl, or @FILE), or
    - for standard input.

    Prints the path of each MP3 on standard output. An MP3 already made from the same text
    with the same voice is kept as it is; sentences spoken before come from the cache. An
    interrupted run picks up where it stopped. Exit status 0: all converted; 1: some failed.
    """
    from audiogen import convert_all
    from audiogen.manifest import FAILED, NAME
    from audiogen.progress import BatchDisplay
    from audiogen.sources import Source
    from audiogen.storage import join

    if url and len(sources) > 1:
        raise click.UsageError("--url names one article's address; give one source with it")
    profile = _profile(profile_file, intro, outro, ai_disclosure, headline_voice, cover)
    options = _options(
        voice=voice, output=out_dir, profile=profile, lexicons=tuple(lexicons),
        publisher=publisher, language=language, cache=False if no_cache else cache_dir or True,
        force=force, jobs=jobs, cluster=cluster or None,
    )  # fmt: skip
    named = [Source(sources[0], overrides={"url": url})] if url else list(sources)
    with _stopped_by_signals(), BatchDisplay(quiet=quiet) as display:
        # What would fail every article fails once, before any source is fetched.
        try:
            outcomes = convert_all(named, options, display)
        except AudiogenError as error:
            _failed(error, options)
    entries = [outcome.entry for outcome in outcomes]
    if len(entries) > 1:
        display.summary(entries, join(out_dir, NAME))
    sys.exit(1 if any(entry.status == FAILED for entry in entries) else 0)


def _location(value: str | None):
    """A folder option: a Path, or an fsspec URL (storage.location); None stays None."""
    from audiogen.storage import location

    return None if value is None else location(value)


def _options(**given):
    """The Options the flags say; what cannot work is a usage error."""
    from audiogen import Options

    try:
        return Options(**given)
    except AudiogenError as error:
        _error(str(error))
        sys.exit(2)


def _failed(error: AudiogenError, options, source: str | None = None) -> NoReturn:
    """The library's error as one line, with the flag to change where the library cannot
    name it, and `source` where it is about the source; exit status 2 when one of the
    options is at fault (a usage error), else 1 (the input; the machine, such as an output
    folder that cannot be written)."""
    message = str(error)
    if error.setting == "language":
        message = f"--lang {options.language}: {message}"
    elif error.setting == "cluster":
        message = f"--cluster {options.cluster}: {message}"
    elif error.setting is None and source and not message.startswith(f"{source}: "):
        message = f"{source}: {message}"  # the reader names the source; the script does not
    _error(message)
    sys.exit(1 if error.setting in (None, "output") else 2)


def _profile(file, intro, outro, ai_disclosure, headline_voice, cover):
    """The profile file's settings, with the flags given over them; bad ones: usage error."""
    from dataclasses import replace

    from audiogen.profile import PLAIN, checked, load_profile

    try:
        profile = load_profile(file) if file else PLAIN
        flags = {}
        if intro or ai_disclosure:
            lines = (intro,) if intro else profile.intro
            if ai_disclosure and AI_DISCLOSURE not in lines:
                lines = (AI_DISCLOSURE, *lines)
            flags["intro"] = lines
        if outro:
            flags["outro"] = (outro,)
        if headline_voice:
            flags["headline_voice"] = headline_voice
        if cover:
            flags["cover"] = cover
        return checked(replace(profile, **flags), "--cover") if flags else profile
    except AudiogenError as error:
        _error(str(error))
        sys.exit(2)


@main.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print metadata and segments as JSON.")
@_article_options
@_profile_options
def script(
    source, as_json, voice, publisher, language, lexicons, profile_file, intro, outro,
    ai_disclosure, headline_voice, cover,
):  # fmt: skip
    """Print what will be spoken for SOURCE, word for word.

    The spoken text goes to standard output; the metadata found goes to standard error
    (or, with --json, everything to standard output).
    """
    import audiogen

    profile = _profile(profile_file, intro, outro, ai_disclosure, headline_voice, cover)
    options = _options(voice=voice, profile=profile, lexicons=tuple(lexicons),
                       publisher=publisher, language=language)  # fmt: skip
    try:
        article = audiogen.read_article(source, options)
        spoken = audiogen.script(article, options)
    except AudiogenError as error:
        _failed(error, options, source)
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
    click.echo(spoken.spoken_text)


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


def _checked(check, value):
    """`check(value)`, whose ValueError is a usage error naming the option."""
    try:
        return None if value is None else check(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _folder_address(context, param, value):
    from audiogen.podcast import folder_url

    return _checked(folder_url, value)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--title", required=True, help="The podcast's name.")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    callback=_folder_address,
    help="The http(s) address FOLDER is served from; the episodes' links start with it.",
)
@click.option("--description", metavar="TEXT", help="What the podcast is  [default: its sources].")
@click.option(
    "--language", metavar="CODE", help="The podcast's language  [default: its episodes', else en]."
)
@click.option(
    "--image",
    metavar="URL|FILE",
    help="Cover art: an http(s) address, or an image file, made square and written into "
    "FOLDER as feed.jpg  [default: the profile's cover, else cover.jpg or cover.png in FOLDER].",
)
@click.option(
    "--profile",
    "profile_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Publisher profile (TOML) whose cover is the podcast's art.",
)
@click.option("--category", metavar="NAME", help="Apple Podcasts category: News, News/Politics.")
@click.option(
    "--date-by",
    type=click.Choice(["published", "added"]),
    default="published",
    show_default=True,
    help="Date episodes by their article's publication, or by when they were converted "
    "(a personal feed: an old article saved today is new).",
)
@click.option(
    "--max-episodes",
    type=click.IntRange(min=1),
    metavar="N",
    help="List only the N newest episodes  [default: all].",
)
@click.option(
    "--explicit/--clean", default=False, help="Whether it has explicit content  [default: clean]"
)
@click.option(
    "--author", metavar="NAME", help="Its author  [default: the publisher most episodes name]."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to write the feed  [default: FOLDER/feed.xml].",
)
def feed(
    folder, title, base_url, description, language, image, profile_file, category, date_by,
    max_episodes, explicit, author, output,
):  # fmt: skip
    """Write an RSS podcast feed of the MP3s in FOLDER, and print its path.

    Titles, dates, durations and descriptions come from the MP3s' tags; subtitles (.vtt,
    .srt) and chapters (.chapters.json) beside an MP3 are linked from its episode. Run it
    again after converting more: new episodes are added, and those already in the feed keep
    their guids, so podcast apps do not show them as new.
    """
    from audiogen.podcast import apple_category, write_feed

    if category:
        category = _usage_checked(apple_category, category, "--category")
    address, artwork = _channel_image(image, profile_file)
    try:
        path = write_feed(
            folder,
            output=output,
            artwork=artwork,
            title=title,
            base_url=base_url,
            description=description,
            language=language,
            image=address,
            category=category,
            explicit=explicit,
            author=author,
            date_by=date_by,
            max_episodes=max_episodes,
        )
    except AudiogenError as error:
        _error(str(error))
        sys.exit(1)
    click.echo(path)


def _usage_checked(check, value, option: str):
    """`check(value)`, whose ValueError is one line naming the option, and exit status 2."""
    try:
        return check(value)
    except ValueError as error:
        _error(f"{option}: {error}")
        sys.exit(2)


def _channel_image(image: str | None, profile_file: Path | None) -> tuple[str | None, Path | None]:
    """The channel art: (an http(s) address, or an image file), from --image, else the
    profile's cover; (None, None) leaves the feed to find cover art in the folder."""
    from audiogen.urls import web_address

    if image and "://" in image:
        return _usage_checked(web_address, image, "--image"), None
    if image:
        return None, Path(image)
    if profile_file:
        return None, _profile(profile_file, None, None, False, None, None).cover
    return None, None


SERVE_EXTRA = "audiogen serve needs the serve extra: pip install 'audiogen[serve]'"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default="audiogen-data",
    show_default=True,
    help="The service's folder: jobs.sqlite, audio/ (MP3s and feed), inbox/ (posted pages).",
)
@click.option(
    "--token",
    envvar="AUDIOGEN_TOKEN",
    show_envvar=True,
    help="The bearer token every write needs  [default: one made and kept in DATA/token].",
)
@click.option("--private", is_flag=True, help="Reads (feed, audio, API) need the token too.")
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Fetch pages (and call webhooks) on loopback and private networks: a trusted network.",
)
@click.option(
    "--cluster",
    metavar="URL",
    envvar="AUDIOGEN_CLUSTER",
    show_envvar=True,
    help="Convert on the Dask cluster whose scheduler is at URL (tcp://HOST:8786).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes  [default: the number of cores].",
)
@click.option(
    "--max-upload",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    metavar="MB",
    help="The largest request body (an upload, a posted page).",
)
@click.option(
    "--rate",
    default="30/min",
    show_default=True,
    metavar="N/min",
    help="Writes a minute each client may make.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="The address clients reach the service at, for the feed's links  [default: the "
    "request's].",
)
@click.option(
    "--voice",
    default=DEFAULT_VOICE,
    show_default=True,
    help="Voice preset of the jobs that name none.",
)
@click.option("--title", default="audiogen", show_default=True, help="The podcast's name.")
def serve(host, port, data, token, private, allow_private_urls, cluster, jobs, max_upload, rate,
          base_url, voice, title):  # fmt: skip
    """Run the web service: the page, the JSON API, the podcast feed and OpenAI speech.

    Writes need `Authorization: Bearer TOKEN`. Jobs are kept in DATA and survive a restart.
    Stop it with Ctrl-C or SIGTERM: the workers stop with it.
    """
    import importlib.util

    if not all(importlib.util.find_spec(name) for name in ("starlette", "uvicorn", "multipart")):
        _error(SERVE_EXTRA)
        sys.exit(2)
    from audiogen.batch import check_output
    from audiogen.service.app import MB, Settings, make_app, run

    try:
        check_output(data)  # made if need be: the token may be kept there
    except AudiogenError as error:
        _error(str(error))
        sys.exit(1)
    settings = Settings(
        data=data, token=token or _kept_token(data), private=private,
        allow_private_urls=allow_private_urls, cluster=cluster or None, jobs=jobs,
        max_upload=max_upload * MB, rate=_rate(rate),
        base_url=_checked(_base_url, base_url), voice=voice, title=title,
    )  # fmt: skip
    try:
        app = make_app(settings)
    except AudiogenError as error:
        _error(str(error))
        sys.exit(2)
    click.echo(f"audiogen: serving http://{host}:{port}/ (data in {data})", err=True)
    # The exit status says what stopped it, as convert's does (130, 143, 129).
    with _stopped_by_signals():
        number = run(app, host, port)
        if number:
            raise Stopped(number)


def _kept_token(data: Path) -> str:
    """The token kept in DATA/token (readable by its owner only), made at the first start."""
    import secrets

    path = data / "token"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(24) + "\n")
        click.echo(f"audiogen: a token for writes is in {path}", err=True)
    return path.read_text().strip()


def _rate(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(?:/\s*min)?\s*", value)
    if not match or int(match.group(1)) < 1:
        raise click.BadParameter(f"{value!r}: writes a minute, such as 30/min", param_hint="--rate")
    return int(match.group(1))


def _base_url(value: str) -> str:
    from audiogen.urls import web_address

    return web_address(value).rstrip("/")
