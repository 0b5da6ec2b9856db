"""Publish: encode the track as MP3, tag it, and move it into the output folder whole."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path

from mutagen.id3 import (
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TLEN,
    TPE1,
    TXXX,
    USLT,
    WOAS,
    CTOCFlags,
)

from audiogen.article import Article
from audiogen.assemble import Track
from audiogen.errors import AudiogenError
from audiogen.script import HEADLINE, Script

BITRATE = "64k"  # constant bitrate: plenty for one voice, and what podcast apps expect
SAMPLE_RATE = 44100
PART = ".mp3.part"  # the suffix of an MP3 still being written
MAX_SLUG = 80
# A TXXX frame holding what the file was made from (convert.fingerprint): a re-run that would
# make the same file leaves it alone.
FINGERPRINT = "audiogen fingerprint"

# ID3's TLAN wants ISO 639-2 codes; these are the languages news is read in most.
_ISO_639_2 = {
    "ar": "ara", "de": "deu", "en": "eng", "es": "spa", "fr": "fra", "hi": "hin", "it": "ita",
    "ja": "jpn", "ko": "kor", "nl": "nld", "pl": "pol", "pt": "por", "ru": "rus", "sv": "swe",
    "tr": "tur", "uk": "ukr", "zh": "zho",
}  # fmt: skip


def output_name(article: Article) -> str:
    """`YYYY-MM-DD-headline-slug.mp3`: a plain name that cannot leave the output folder."""
    date = article.published.strftime("%Y-%m-%d") if article.published else "undated"
    return f"{date}-{_slug(article.headline)}.mp3"


def publish(
    track: Track, script: Script, article: Article, out_dir: Path, fingerprint: str | None = None
) -> Path:
    """Write the tagged MP3 under a temporary name and rename it into place when complete."""
    target = out_dir / output_name(article)
    # A name of our own rather than mkstemp's: mkstemp makes the file private (0600), and
    # the finished MP3 should get the usual permissions of the user's umask. The writer's
    # process id in it tells a later run which leftovers are stale (remove_stale_parts).
    temporary = out_dir / f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}{PART}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as error:
        raise AudiogenError(f"{out_dir}: cannot write there: {error.strerror}") from error
    try:
        _encode(track, temporary)
        written = tags(track, script, article)
        if fingerprint:
            written.add(TXXX(encoding=3, desc=FINGERPRINT, text=fingerprint))
        written.save(temporary, v2_version=4)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        # Ctrl-C included: a half-written MP3 must never be left behind.
        temporary.unlink(missing_ok=True)
        raise
    return target


def written_fingerprint(mp3: Path) -> str | None:
    """The fingerprint an MP3 we wrote carries; None for a missing or foreign file."""
    try:
        frames = ID3(mp3).getall(f"TXXX:{FINGERPRINT}")
    except Exception:  # missing, not ours or damaged: in every case it is made again
        return None
    return str(frames[0]) if frames else None


def remove_stale_parts(out_dir: Path) -> list[Path]:
    """Delete the temporary files of writers that died (kill -9, power loss); return them.

    Every writer in an output folder (publish here, the manifest) names its temporary file
    `.NAME.PID-HEX.part` or `.NAME.PID-HEX.mp3.part`; a writer still running, in this process
    or another, keeps its file.
    """
    removed = []
    for part in out_dir.glob(".*.part") if out_dir.is_dir() else ():
        match = re.fullmatch(r"\..*\.(\d+)-[0-9a-f]+(\.mp3)?\.part", part.name)
        if not match or _running(int(match.group(1))):
            continue  # not one of ours, or its writer is at work
        part.unlink(missing_ok=True)
        removed.append(part)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def tags(track: Track, script: Script, article: Article) -> ID3:
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=article.headline))
    if article.byline:
        id3.add(TPE1(encoding=3, text=article.byline))
    if article.publisher:
        id3.add(TALB(encoding=3, text=article.publisher))
    if article.published:
        id3.add(TDRC(encoding=3, text=article.published.strftime("%Y-%m-%dT%H:%M")))
    id3.add(TCON(encoding=3, text="Speech"))
    language = _ISO_639_2.get(article.language.split("-")[0].lower(), article.language)
    id3.add(TLAN(encoding=3, text=language))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=_description(script)))
    id3.add(USLT(encoding=3, lang="eng", desc="", text=script.transcript))
    if article.url:
        id3.add(WOAS(url=article.url))
    id3.add(TLEN(encoding=3, text=str(round(track.seconds * 1000))))
    for frame in _chapters(track, script, article):
        id3.add(frame)
    return id3


def _encode(track: Track, path: Path) -> None:
    try:
        track.audio.export(
            path, format="mp3", bitrate=BITRATE, parameters=["-ar", str(SAMPLE_RATE), "-ac", "1"]
        ).close()
    except Exception as error:  # pydub raises its own CouldntEncodeError, or OSError
        raise AudiogenError(f"MP3 encoding failed: {str(error).splitlines()[0]}") from error


def _chapters(track: Track, script: Script, article: Article) -> list:
    """CTOC plus one CHAP per paragraph (the headline first), timed where each one starts."""
    starts: dict[int, float] = {}
    for segment, start in zip(script.segments, track.starts, strict=True):
        starts.setdefault(segment.paragraph, start)
    paragraphs = sorted(starts)
    # The first chapter opens the file, lead-in silence included, as players expect.
    times = [0] + [round(starts[p] * 1000) for p in paragraphs[1:]] + [round(track.seconds * 1000)]
    frames = []
    for index, paragraph in enumerate(paragraphs):
        frames.append(
            CHAP(
                element_id=f"chp{index}",
                start_time=times[index],
                end_time=times[index + 1],
                sub_frames=[TIT2(encoding=3, text=_chapter_title(script, article, paragraph))],
            )
        )
    frames.insert(
        0,
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[frame.element_id for frame in frames],
            sub_frames=[TIT2(encoding=3, text=article.headline)],
        ),
    )
    return frames


def _chapter_title(script: Script, article: Article, paragraph: int) -> str:
    if paragraph == HEADLINE:
        return article.headline
    if paragraph - 1 in article.headings:
        return article.headings[paragraph - 1]
    first = next(s.text for s in script.segments if s.paragraph == paragraph)
    words = first.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _description(script: Script) -> str:
    """The lede: the first sentence of the body, as written."""
    body = [s.text for s in script.segments if s.paragraph != HEADLINE]
    return body[0] if body else script.segments[0].text


def _slug(headline: str) -> str:
    # Latin accents go ("Café" -> "cafe"); other scripts' letters stay whole, so a Ukrainian
    # headline still names its file. Everything that is not a letter or digit becomes one
    # hyphen, which leaves no path separators, dots or quotes.
    letters = "".join(_without_accent(char) for char in unicodedata.normalize("NFKC", headline))
    slug = re.sub(r"[\W_]+", "-", letters.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "article"


def _without_accent(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    return base[0] if base[0].isascii() else char
