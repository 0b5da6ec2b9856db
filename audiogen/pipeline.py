"""The whole pipeline for one source: `audiogen.read_article`, `.script` and `.convert`, and
`convert_one`, what each batch worker calls with what it loaded once.

An article has one file in an output folder, whatever its headline: the MP3 carries the
article's identity (identity.py), and a conversion that finds an earlier MP3 of the same
article under another name (a corrected headline, a corrected date) replaces it: the new MP3
and its sidecars go into place, then the old ones are removed. Every sentence spoken before
comes from the chunk cache, so only what changed is spoken again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen import sources, storage
from audiogen.article import Article
from audiogen.errors import AudiogenError
from audiogen.narration import Script, build_script
from audiogen.options import Options, lexicon_for, setting, voice_for
from audiogen.profile import PLAIN, Profile
from audiogen.sources import Source, as_source
from audiogen.sources.identity import article_identity, source_key
from audiogen.voices import Voice, engine_class, find_voice

if TYPE_CHECKING:
    from audiogen.cache import ChunkCache
    from audiogen.lexicon import Lexicon
    from audiogen.manifest import Entry

log = logging.getLogger("audiogen")

# Bumped when the way audio is assembled or encoded changes, so older MP3s count as stale.
OUTPUT_FORMAT = 5  # 5: mono MP3s encoded at LAME's level 7 (publish.LAME_LEVELS)


@dataclass(frozen=True)
class Result:
    """One article converted: the MP3 written (or found up to date) and what it holds."""

    path: Path | str  # the MP3: a path, or its URL for an output at an fsspec URL
    article: Article
    seconds: float  # length of the MP3
    skipped: bool = False  # an up-to-date MP3 was already there and `force` was off
    identity: str | None = None  # the article's (identity.article_identity)
    replaced: Path | None = None  # the same article's earlier MP3, now removed


def read_article(source: Source | str | os.PathLike, options: Options | None = None) -> Article:
    """The article a source holds: a file (text or HTML), an http(s) address, "-" for
    standard input, or a Source (a feed's item, a list file's row). The options' publisher
    and language, when given, win over what the page says. AudiogenError, naming the
    source, when it holds no article."""
    options = options or Options()
    source = as_source(source)
    found = sources.read_article(
        source,
        publisher=options.publisher,
        language=options.language,
        private_urls=options.private_urls,
    )
    url = source.overrides.get("url")  # the address given with it (a list's, the CLI's)
    return replace(found, url=url) if url else found


def script(article: Article, options: Options | None = None) -> Script:
    """What the options' voice will say for `article`, word for word: the publisher's intro
    and outro lines included, the lexicons applied (`Script.spoken_text`, `.transcript`)."""
    from audiogen.voices import check_language

    options = options or Options()
    voice = voice_for(options)
    if options.language is not None:
        with setting("language"):  # asked for, not found in the article: the caller's to fix
            check_language(voice, options.language)
    return script_for(article, voice, lexicon_for(options, voice), options.profile)


def script_for(
    article: Article, voice: Voice, lexicon: Lexicon | None = None, profile: Profile = PLAIN
) -> Script:
    """The script as `voice` will read it, with the profile's intro and outro lines;
    `lexicon` None: the voice's own (default + preset)."""
    from audiogen.lexicon import load_lexicon
    from audiogen.voices import check_language

    check_language(voice, article.language)
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
        intro=profile.intro,
        outro=profile.outro,
    )


def fingerprint(
    article: Article,
    script: Script,
    voice: Voice,
    profile: Profile = PLAIN,
    identity: str | None = None,
) -> str:
    """What the MP3 is made from: every word the engine hears, the voices, the pauses, the
    publisher's profile and the tags (the article's identity among them). The same
    fingerprint means the same file, so a re-run can skip it."""
    from audiogen import profile as profiles
    from audiogen.voices import voice_identity

    headline = _headline_voice(profile, voice)
    made_from = {
        "format": OUTPUT_FORMAT,
        "voice": voice_identity(voice),
        "headline_voice": voice_identity(headline) if headline else None,
        "profile": profiles.fingerprint(profile),
        "pauses": asdict(voice.pauses),
        "article": {
            "headline": article.headline,
            "byline": article.byline,
            "published": article.published.isoformat() if article.published else None,
            "publisher": article.publisher,
            "language": article.language,
            "url": article.url,
            "headings": {str(key): value for key, value in article.headings.items()},
            "identity": identity,
        },
        "script": [[s.paragraph, s.text, list(s.chunks)] for s in script.segments],
    }
    encoded = json.dumps(made_from, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def convert(source: Source | str | os.PathLike, options: Options | None = None) -> Result:
    """One article, as `read_article` takes it, into a tagged MP3 (with its subtitles and
    chapters) in the options' output folder; an AudiogenError says why not.

    An MP3 already made from the same words, voices, profile and tags is left as it is
    (`Result.skipped`) unless `options.force`. The result is recorded in the folder's
    manifest, as a batch records it, so that the article keeps one file there.
    """
    from audiogen.manifest import FAILED, Entry, Manifest

    options = options or Options()
    source = as_source(source)
    voice = voice_for(options, source)
    lexicon = lexicon_for(options, voice)
    cache = storage.chunk_cache(options.cache_folder())
    with storage.manifest_folder(options.folder) as kept:
        manifest = Manifest(kept)
        try:
            result, placed = convert_into(source, options, voice, lexicon=lexicon, cache=cache,
                                          earlier=manifest.outputs())  # fmt: skip
            manifest.record(entry_for(source, result, voice.name, *placed))
            return result
        except AudiogenError as error:
            entry = Entry(source_key(source), FAILED, voice=voice.name, error=str(error))
            manifest.record(entry)
            raise
        finally:
            manifest.close()


def convert_into(source: Source, options: Options, voice: Voice, **loaded) -> tuple:
    """convert_one into the options' output, local or at an fsspec URL (storage.py): the
    Result, and where the MP3 was placed and when (seconds since the epoch)."""
    with storage.staged(options.folder) as out:
        _spool_folder(out.folder)  # a local output made here, an unwritable one said here
        staged = replace(options, output=out.folder)
        result = convert_one(source, staged, voice, mirror=out.mirror, **loaded)
        output, made = out.place(result)
        # Where the MP3 is now, not where it was staged: a caller may open it.
        return replace(result, path=storage.location(output)), (output, made)


def entry_for(source: Source, result: Result, voice: str, output: str, made: float) -> Entry:
    """The manifest's line for a source converted (or found up to date) as `result`, its MP3
    at `output` (a path or URL) made at `made` (seconds since the epoch)."""
    from audiogen.manifest import CONVERTED, SKIPPED, Entry, timestamp

    article = result.article
    return Entry(
        source_key(source),
        SKIPPED if result.skipped else CONVERTED,
        output=output,
        duration=round(result.seconds, 3),
        headline=article.headline,
        date=article.published.isoformat() if article.published else None,
        voice=voice,
        id=result.identity,
        # When the file was made, whether this run made it or found it up to date: one clock
        # for both, so a skipped run names the same second (the manifest also keeps an
        # earlier record's time).
        converted_at=timestamp(made),
    )


def convert_one(
    source: Source,
    options: Options,
    voice: Voice,
    *,
    lexicon: Lexicon | None = None,
    cache: ChunkCache | None = None,
    threads: int | None = None,
    earlier: Mapping[str, str] | None = None,
    on_chunk: Callable[[int, int, float], None] | None = None,
    mirror: Callable[..., None] | None = None,
) -> Result:
    """`convert` as a batch's worker calls it, with what it loaded once for many articles:
    `voice` (the source's own, from a list file, or the options'), its `lexicon` (None: the
    voice's own), the chunk `cache`, the neural engine's CPU `threads` (None: all cores),
    `earlier` (identity -> the MP3 each article was written to before: the manifest's
    record; the article's earlier MP3 under another name is replaced), and `on_chunk(done,
    total, seconds)` after every chunk spoken. `mirror`: for an output kept elsewhere
    (storage.py), the options' folder is a local staging folder, and mirror(names...) brings
    the tags of those MP3s there before they are looked at."""
    # Heavy modules (pydub, the neural runtime) load only once there is work for them.
    from audiogen.cache import CachedEngine
    from audiogen.narration import PART_HEADING, PART_HEADLINE
    from audiogen.publish import output_name

    article = read_article(source, options)
    out_dir, force = options.folder, options.force
    name = source.location
    target = out_dir / output_name(article)
    if mirror is not None:
        mirror(target.name, (earlier or {}).get(article_identity(source, article)))
    loading = _preloading(voice, threads) if force or not target.exists() else None
    try:
        profile = _profile(source, options, voice)
        headline_voice = _headline_voice(profile, voice)
        script = script_for(article, voice, lexicon, profile)
        identity = article_identity(source, article)
        stamp = fingerprint(article, script, voice, profile, identity)
        before = _earlier_file(out_dir, identity, earlier or {}, target)
        if not force and _up_to_date(target, stamp):
            # A run killed between writing this file and removing the earlier one left both.
            replaced = _retire(before)
            return Result(target, article, _seconds(target), True, identity, replaced)
        parts = {}
        if headline_voice:
            parts[PART_HEADLINE] = CachedEngine(headline_voice, cache, threads)
        headings = {i for i, segment in enumerate(script.segments) if segment.part == PART_HEADING}
        written, seconds = _made(
            script, article, out_dir, stamp, identity, profile, voice,
            CachedEngine(voice, cache, threads), parts, on_chunk, frozenset(headings),
            options.private_urls,
        )  # fmt: skip
        return Result(written, article, seconds, False, identity, _retire(before))
    except AudiogenError as error:
        # Engines and the writer do not know the source; the user needs it named.
        raise AudiogenError(f"{name}: {error}", setting=error.setting) from error
    finally:
        if loading is not None:
            loading.join()  # a model half loaded when the process ends can abort it


def _profile(source: Source, options: Options, voice: Voice) -> Profile:
    """The options' profile, or the one a service job names (Source.overrides["profile"]:
    the path of a profile the server keeps, checked against the voice as check_options
    checks the options' own)."""
    path = source.overrides.get("profile")
    if not path:
        return options.profile
    from audiogen.profile import load_profile

    with setting("profile"):
        profile = load_profile(Path(path))
        check_profile(profile, voice)
    return profile


def _made(
    script, article, out_dir, stamp, identity, profile, voice, engine, parts, on_chunk, sections,
    private_urls,
) -> tuple[Path, float]:  # fmt: skip
    """Speak, assemble and publish: the MP3 written and its length. Each chunk goes to the
    spool (in the output folder) as the engine makes it; the spool is gone afterwards."""
    from audiogen.assemble import assemble
    from audiogen.profile import output_format
    from audiogen.publish import publish
    from audiogen.speak import spoken

    # The engine speaks up to two chunks ahead, in a thread of its own, while each chunk it
    # made is trimmed, levelled, measured and written here.
    chunks = spoken(script, engine, on_chunk, parts=parts, ahead=2)
    framing = functools.partial(_framing, profile)
    track = assemble(script, chunks, voice.pauses, sections=sections,
                     folder=_spool_folder(out_dir), framing=framing)  # fmt: skip
    # Everything is spoken: the neural runtime's buffers (a few hundred MB) are given back
    # while the encode starts, rather than kept under it; in a thread, as it takes a run of
    # the model (a tenth of a second) that the encode need not wait for.
    releasing = threading.Thread(target=_release, args=((engine, *parts.values()),),
                                 name="audiogen-release")  # fmt: skip
    releasing.start()
    try:
        # publish brings the whole episode, jingles and voice alike, to the profile's loudness.
        written = publish(
            track, script, article, out_dir, stamp,
            cover=_cover(profile, article, private_urls), output=output_format(profile),
            identity=identity,
        )  # fmt: skip
        return written, track.seconds
    finally:
        releasing.join()
        track.spool.close()


def _release(engines) -> None:
    """Each engine gives back the memory it keeps between calls (CachedEngine.release); a
    failure only keeps that memory, and the next call would meet it."""
    for engine in engines:
        try:
            engine.release()
        except Exception:
            log.debug("releasing the engine's memory failed", exc_info=True)


def _spool_folder(out_dir: Path) -> Path:
    """The output folder, made if need be: the spool goes on the disk the MP3 goes to."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        message = f"{out_dir}: cannot write there: {error.strerror}"
        raise AudiogenError(message, setting="output") from error
    return out_dir


def preloading(options: Options, threads: int | None) -> threading.Thread | None:
    """The options' voice loading in a thread from now (see `_preloading`), for a process
    about to convert articles one after another, when they will surely be spoken: with
    `force`, or into a local folder that holds no MP3 yet (nothing there can be up to date).
    The model then loads beside the batch's own setup (the cache, the lexicons, reading the
    first article) instead of after it: half a second at the start of a conversion. None
    when that is not sure: an unchanged article must not wait for a model it never uses.
    The caller joins the thread before the process ends."""
    folder = options.folder
    if storage.is_url(folder) or not (options.force or not any(Path(folder).glob("*.mp3"))):
        return None
    return _preloading(voice_for(options), threads)


def _preloading(voice: Voice, threads: int | None) -> threading.Thread:
    """A thread that imports the voice's engine (the neural runtime) and loads its model
    while this one writes the article's script; the engine is then ready when the first
    chunk is spoken (voices.open_engine loads it once, whichever thread asks first)."""

    def load() -> None:
        from audiogen.voices import open_engine

        try:
            open_engine(voice, threads)
        except Exception:  # the conversion loads it again, and says what is wrong
            log.debug("preloading the voice %s failed", voice.name, exc_info=True)
        # What publish needs once the last chunk is spoken, imported while the engine
        # speaks (it leaves the interpreter free) rather than after: filelock, for the
        # MP3's temporary file, takes a tenth of a second.
        import filelock  # noqa: F401

    thread = threading.Thread(target=load, name="audiogen-preload")
    thread.start()
    return thread


def _earlier_file(
    out_dir: Path, identity: str | None, earlier: Mapping[str, str], target: Path
) -> Path | None:
    """The MP3 the article was written to before, if it is another file than `target`, is
    still there and says it is this article's (another article may have taken its name)."""
    from audiogen.publish import written_identity

    name = earlier.get(identity) if identity else None
    if not name:
        return None
    # By its name only: the manifest keeps the output folder as it was spelt then.
    path = out_dir / Path(name).name
    if path.name == target.name or written_identity(path) != identity:
        return None
    return path


def _retire(before: Path | None) -> Path | None:
    """Remove the article's earlier MP3 and sidecars now that its new ones are in place;
    the MP3 removed, if any."""
    from audiogen.publish import unpublish

    if before is None:
        return None
    try:
        unpublish(before)
    except OSError as error:  # the new file is made: a leftover is worth a word, no more
        log.warning("%s: cannot remove this older copy of the article: %s", before,
                    error.strerror or error)  # fmt: skip
        return None
    return before


def check_options(options: Options) -> None:
    """An AudiogenError now for what would fail every article alike: an unknown voice, a
    lexicon or profile that cannot be read or played, a language the voice cannot read."""
    from audiogen.voices import check_language

    voice = voice_for(options)
    lexicon_for(options, voice)
    if options.language is not None:
        with setting("language"):
            check_language(voice, options.language)
    with setting("profile"):
        check_profile(options.profile, voice)


def check_profile(profile: Profile, voice: Voice) -> None:
    """An AudiogenError now for what would fail every article alike: a headline voice of
    another engine than `voice`'s, a jingle ffmpeg cannot play, a cover that is no image."""
    _headline_voice(profile, voice)
    for jingle in (profile.intro_audio, profile.outro_audio):
        _jingle(jingle, profile.sample_rate)
    if profile.cover:
        _profile_cover(profile.cover, *_version(profile.cover))


def _up_to_date(mp3: Path, stamp: str) -> bool:
    """Made from `stamp`, with its subtitles and chapters beside it."""
    from audiogen.publish import sidecar_paths, written_fingerprint

    return written_fingerprint(mp3) == stamp and all(p.exists() for p in sidecar_paths(mp3))


def _cover(profile: Profile, article: Article, private_urls: bool = True) -> bytes | None:
    """The profile's cover, else the page's lead image: saved with the page, or fetched for
    an article read from the web."""
    if profile.cover:
        return _profile_cover(profile.cover, *_version(profile.cover))
    image = _saved_image(article)
    if image is None:
        return _lead_image(article, private_urls)
    from audiogen.cover import cover_jpeg  # Pillow: a tenth of a second, only for an image

    return cover_jpeg(image)


def _lead_image(article: Article, private_urls: bool) -> bytes | None:
    """The lead image an article fetched from the web names, fetched within the limits (and
    the guard) a page is (size, type, time); one that cannot be had is a warning, never a
    failure."""
    from audiogen.sources.fetch import fetch_image
    from audiogen.urls import is_url

    if not (article.image and is_url(article.image) and is_url(article.source or "")):
        return None
    from audiogen.cover import cover_jpeg

    try:
        image = fetch_image(article.image, private_urls=private_urls)
        return cover_jpeg(image, article.image)
    except AudiogenError as error:
        log.warning("%s: converted without a cover: %s", article.source, error)
        return None


# A profile's cover and jingles are the same for every article of a batch: each worker
# crops and encodes the cover, and decodes the jingles, once (again only if a file changes).
@functools.lru_cache(maxsize=4)
def _profile_cover(path: Path, *version: int) -> bytes:
    from audiogen.cover import cover_jpeg

    return cover_jpeg(path)


def _jingle(path: Path | None, rate: int):
    return None if path is None else _decoded_jingle(path, rate, *_version(path))


def _framing(profile: Profile, rate: int) -> tuple:
    """The profile's intro and outro jingles at `rate` (assemble.Framing)."""
    return _jingle(profile.intro_audio, rate), _jingle(profile.outro_audio, rate)


@functools.lru_cache(maxsize=4)
def _decoded_jingle(path: Path, rate: int, *version: int):
    from audiogen.jingles import read_jingle

    return read_jingle(path, rate)


def _version(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)  # gone: the reader says so in its own words
    return (stat.st_mtime_ns, stat.st_size)


def _saved_image(article: Article) -> Path | None:
    # A page saved "complete" from a browser points at its images in a folder beside it.
    if not article.image or "://" in article.image or not article.source:
        return None
    if article.source == "-" or "://" in article.source:
        return None
    path = Path(article.source).parent / article.image
    return path if path.is_file() else None


def _headline_voice(profile: Profile, voice: Voice) -> Voice | None:
    """The profile's headline voice, if it has one other than `voice`."""
    if not profile.headline_voice or profile.headline_voice == voice.name:
        return None
    headline = find_voice(profile.headline_voice)
    if headline.engine != voice.engine:
        # One script is chunked for one engine (Piper takes phonemes, gTTS 100 characters).
        raise AudiogenError(
            f"the headline voice {headline.name!r} uses {headline.engine}, the voice "
            f"{voice.name!r} {voice.engine}; choose a headline voice of the same engine"
        )
    return headline


def _seconds(mp3: Path) -> float:
    """The length we wrote in TLEN: exact, where the MP3's frame count rounds up a little."""
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    frames = ID3(mp3).getall("TLEN")
    return int(str(frames[0])) / 1000 if frames else MP3(mp3).info.length
