"""Publish: encode the track as MP3, tag it, and move it into the output folder whole,
with its sidecars (subtitles and chapters, see sidecars.py) beside it.

Every file written into an output folder (the MP3, its sidecars, the manifest, the feed) is
written whole under a temporary name, `.NAME.PID-HEX.part`, and renamed into place. Its writer
holds an advisory lock on the temporary file while it exists (`owned_temporary`), so a later
run tells a dead writer's leftover from a live one's by trying that lock
(`remove_stale_parts`): a lock dies with its process however the process ended, and cannot
be fooled by a process id used again.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
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
    PictureType,
)

from audiogen import sidecars
from audiogen.article import Article
from audiogen.assemble import Track
from audiogen.errors import AudiogenError
from audiogen.script import HEADLINE, Script

BITRATE = "64k"  # constant bitrate: plenty for one voice, and what podcast apps expect
SAMPLE_RATE = 44100
CHANNELS = 1
SAMPLE_RATES = (22050, 44100, 48000)
# The bitrates an MP3 frame can declare, by MPEG version: 44.1 and 48 kHz are MPEG-1,
# 22.05 kHz is MPEG-2. Any other number would be rounded by the encoder, silently.
MPEG1_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG2_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
PART = ".mp3.part"  # the suffix of an MP3 still being written
MAX_SLUG = 80
# A TXXX frame holding what the file was made from (convert.fingerprint): a re-run that would
# make the same file leaves it alone.
FINGERPRINT = "audiogen fingerprint"
# A TXXX frame holding the article's identity (identity.py): the file a re-conversion under a
# new headline replaces, and the episode's guid in the feed.
IDENTITY = "audiogen identity"

# ID3's TLAN wants ISO 639-2 codes; these are the languages news is read in most.
ISO_639_2 = {
    "ar": "ara", "de": "deu", "en": "eng", "es": "spa", "fr": "fra", "hi": "hin", "it": "ita",
    "ja": "jpn", "ko": "kor", "nl": "nld", "pl": "pol", "pt": "por", "ru": "rus", "sv": "swe",
    "tr": "tur", "uk": "ukr", "zh": "zho",
}  # fmt: skip


@dataclass(frozen=True)
class OutputFormat:
    """How the MP3 is encoded. The defaults suit speech in every podcast app (Apple's asks
    for 44.1 kHz and 64 to 128 kbit/s); a value an MP3 cannot carry is an AudiogenError."""

    sample_rate: int = SAMPLE_RATE
    bitrate: str = BITRATE  # constant, in kbit/s: "64k" (64 and "64K" are taken as "64k")
    channels: int = CHANNELS

    def __post_init__(self) -> None:
        if type(self.sample_rate) is not int or self.sample_rate not in SAMPLE_RATES:
            raise AudiogenError(
                f"output sample rate {self.sample_rate!r}: use one of "
                + ", ".join(map(str, SAMPLE_RATES))
            )
        allowed = MPEG2_BITRATES if self.sample_rate < 32000 else MPEG1_BITRATES
        kilobits = _kilobits(self.bitrate)
        if kilobits not in allowed:
            raise AudiogenError(
                f"output bitrate {self.bitrate!r}: an MP3 at {self.sample_rate} Hz takes one of "
                + ", ".join(f"{rate}k" for rate in allowed)
            )
        # One spelling for ffmpeg and for comparisons: 64, "64" and "64K" are all "64k".
        object.__setattr__(self, "bitrate", f"{kilobits}k")
        if type(self.channels) is not int or self.channels not in (1, 2):
            raise AudiogenError(f"output channels {self.channels!r}: use 1 (mono) or 2 (stereo)")


def _kilobits(bitrate: object) -> int | None:
    """64 from "64k", "64K", "64" or 64 (a TOML profile may give a number); else None."""
    if isinstance(bitrate, int) and not isinstance(bitrate, bool):
        return bitrate
    match = re.fullmatch(r"(\d+)[kK]?", bitrate.strip()) if isinstance(bitrate, str) else None
    return int(match.group(1)) if match else None


def output_name(article: Article) -> str:
    """`YYYY-MM-DD-headline-slug.mp3`: a plain name that cannot leave the output folder."""
    date = article.published.strftime("%Y-%m-%d") if article.published else "undated"
    return f"{date}-{_slug(article.headline)}.mp3"


def publish(
    track: Track,
    script: Script,
    article: Article,
    out_dir: Path,
    fingerprint: str | None = None,
    *,
    cover: bytes | None = None,
    output: OutputFormat | None = None,
    identity: str | None = None,
) -> Path:
    """Write the tagged MP3 and its sidecars, each under a temporary name renamed into place
    when complete; return the MP3's path.

    The sidecars go into place first and the MP3 last, so an MP3 in the folder always has
    its subtitles and chapters beside it. `cover`: JPEG bytes (cover.cover_jpeg), embedded
    as the front cover. `output`: how to encode, OutputFormat() when None. `identity`: the
    article's (identity.article_identity), kept in the file.
    """
    target = out_dir / output_name(article)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        temporary, descriptor = _new_temporary(out_dir, target.stem, PART)
    except OSError as error:
        raise AudiogenError(f"{out_dir}: cannot write there: {error.strerror}") from error
    # Whatever goes wrong, Ctrl-C included, the half-written MP3 is removed.
    with _owning(temporary, descriptor):
        # The encode first: it is what fails, and then no sidecar has been written either.
        _encode(track, temporary, output or OutputFormat())
        written = tags(track, script, article, cover)
        for description, value in ((FINGERPRINT, fingerprint), (IDENTITY, identity)):
            if value:
                written.add(TXXX(encoding=3, desc=description, text=value))
        written.save(temporary, v2_version=4)
        _sync(temporary)
        for suffix, text in sidecars.sidecar_texts(track, script, article, target.name).items():
            _write_whole(target.with_name(target.stem + suffix), text.encode())
        os.replace(temporary, target)
    return target


def unpublish(mp3: Path) -> None:
    """Remove an MP3 publish wrote, then its sidecars (never a sidecar without its MP3)."""
    for path in (mp3, *sidecar_paths(mp3)):
        path.unlink(missing_ok=True)


def sidecar_paths(mp3: Path) -> list[Path]:
    """The files publish writes beside `mp3`: WebVTT and SubRip subtitles, JSON chapters."""
    return [mp3.with_name(mp3.stem + suffix) for suffix in sidecars.SUFFIXES]


@contextlib.contextmanager
def owned_temporary(folder: Path, name: str, suffix: str = ".part") -> Iterator[Path]:
    """A new empty file `.NAME.PID-HEX` + suffix in `folder`, locked by this process until
    the block ends, and removed if the block raises (Ctrl-C included); OSError if it cannot
    be made. The block renames it into place when it is whole."""
    path, descriptor = _new_temporary(folder, name, suffix)
    with _owning(path, descriptor):
        yield path


def _new_temporary(folder: Path, name: str, suffix: str) -> tuple[Path, int]:
    """owned_temporary's file, and the descriptor that holds its lock."""
    # A name of our own rather than mkstemp's: mkstemp makes the file private (0600), and
    # the finished file should get the usual permissions of the user's umask.
    while True:
        path = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        descriptor = _locked_new(path)
        if descriptor is not None:
            return path, descriptor


@contextlib.contextmanager
def _owning(path: Path, descriptor: int) -> Iterator[None]:
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    finally:
        os.close(descriptor)  # and with it the lock


def _locked_new(path: Path) -> int | None:
    """A descriptor of the new file `path`, locked; None if a cleaner removed the file
    between its making and its locking (it took it for a dead writer's)."""
    from filelock import lock_descriptor

    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
    try:
        lock_descriptor(descriptor)  # a cleaner holds it only for as long as it takes to look
        if _same_file(descriptor, path):
            return descriptor
    except BaseException:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[int]:
    """`path` (made if missing) open for appending, under an exclusive advisory lock that
    other processes asking for it wait for: the way runs share a file such as the manifest.

    The file is its own lock, and may be replaced by a rename (write_whole) while locked: a
    process that waited for the old file checks it holds the one at the path now, else waits
    anew.
    """
    from filelock import lock_descriptor

    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            lock_descriptor(descriptor)
            if _same_file(descriptor, path):
                yield descriptor
                return
        finally:
            os.close(descriptor)  # and with it the lock


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:  # removed, or renamed away and not yet replaced
        return False


def _sync(path: Path) -> None:
    # On disk before the rename: after a power cut the name never points at missing data.
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def write_whole(path: Path, data: bytes) -> None:
    """`data` in `path`, written under a temporary name and renamed into place: a reader
    (or a run after a crash) finds the old file or the new one, never half of one. OSError
    when it cannot be written."""
    with owned_temporary(path.parent, path.name) as temporary:
        temporary.write_bytes(data)
        _sync(temporary)
        os.replace(temporary, path)


def _write_whole(path: Path, data: bytes) -> None:
    """write_whole, its failure an AudiogenError naming the file."""
    try:
        write_whole(path, data)
    except OSError as error:
        raise AudiogenError(f"{path}: cannot write it: {error.strerror or error}") from error


def written_fingerprint(mp3: Path) -> str | None:
    """The fingerprint an MP3 we wrote carries; None for a missing or foreign file."""
    return _written(mp3, FINGERPRINT)


def written_identity(mp3: Path) -> str | None:
    """The identity of the article an MP3 we wrote is made from; None if it does not say."""
    return _written(mp3, IDENTITY)


def _written(mp3: Path, description: str) -> str | None:
    try:
        frames = ID3(mp3).getall(f"TXXX:{description}")
    except Exception:  # missing, not ours or damaged: in every case it is made again
        return None
    return str(frames[0]) if frames else None


def remove_stale_parts(out_dir: Path) -> list[Path]:
    """Delete the temporary files of writers that died (kill -9, power loss); return them.

    Every writer in an output folder names its temporary file `.NAME.PID-HEX.part` (or
    `.NAME.PID-HEX.mp3.part`) and holds a lock on it (owned_temporary); a file whose lock
    can be taken has no writer left, in this process or another.
    """
    removed = []
    for part in out_dir.glob(".*.part") if out_dir.is_dir() else ():
        if re.fullmatch(r"\..*\.\d+-[0-9a-f]+(\.mp3)?\.part", part.name) and _abandoned(part):
            removed.append(part)
    return removed


def _abandoned(part: Path) -> bool:
    """Remove `part` if no process holds its lock; whether it did."""
    from filelock import lock_descriptor

    try:
        descriptor = os.open(part, os.O_RDWR)
    except OSError:  # gone meanwhile, or not ours to touch
        return False
    try:
        if not lock_descriptor(descriptor, blocking=False):
            return False  # its writer is at work
        # Removed while locked: a writer that made it a moment ago and locks it only now
        # finds it gone, and makes another (owned_temporary).
        part.unlink(missing_ok=True)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def tags(track: Track, script: Script, article: Article, cover: bytes | None = None) -> ID3:
    """Every ID3 frame the MP3 carries; `cover` JPEG bytes become its front cover."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=article.headline))
    if article.byline:
        id3.add(TPE1(encoding=3, text=article.byline))
    if article.publisher:
        id3.add(TALB(encoding=3, text=article.publisher))
    if article.published:
        id3.add(TDRC(encoding=3, text=article.published.strftime("%Y-%m-%dT%H:%M")))
    id3.add(TCON(encoding=3, text="Speech"))
    language = ISO_639_2.get(article.language.split("-")[0].lower(), article.language)
    id3.add(TLAN(encoding=3, text=language))
    # Both for reading: the lede and the whole article as written ("Dec. 25", not the
    # newsreader's "December twenty-fifth"), as are the chapter titles.
    id3.add(COMM(encoding=3, lang="eng", desc="", text=_description(script)))
    id3.add(USLT(encoding=3, lang="eng", desc="", text=script.transcript))
    if article.url:
        id3.add(WOAS(url=article.url))
    id3.add(TLEN(encoding=3, text=str(round(track.seconds * 1000))))
    for frame in _chapter_frames(sidecars.chapters(track, script, article), article.headline):
        id3.add(frame)
    if cover:
        id3.add(
            APIC(
                encoding=3,
                mime="image/jpeg",
                type=PictureType.COVER_FRONT,
                desc="Cover",
                data=cover,
            )
        )
    return id3


def _encode(track: Track, path: Path, output: OutputFormat) -> None:
    parameters = ["-ar", str(output.sample_rate), "-ac", str(output.channels)]
    try:
        track.audio.export(
            path, format="mp3", bitrate=output.bitrate, parameters=parameters
        ).close()
    except Exception as error:  # pydub raises its own CouldntEncodeError, or OSError
        raise AudiogenError(f"MP3 encoding failed: {str(error).splitlines()[0]}") from error


def _chapter_frames(chapters: list[sidecars.Chapter], headline: str) -> list:
    """CTOC, then one CHAP per chapter, in milliseconds as ID3 counts them."""
    frames = [
        CHAP(
            element_id=f"chp{index}",
            start_time=round(chapter.start * 1000),
            end_time=round(chapter.end * 1000),
            sub_frames=[TIT2(encoding=3, text=chapter.title)],
        )
        for index, chapter in enumerate(chapters)
    ]
    toc = CTOC(
        element_id="toc",
        flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
        child_element_ids=[frame.element_id for frame in frames],
        sub_frames=[TIT2(encoding=3, text=headline)],
    )
    return [toc, *frames]


def _description(script: Script) -> str:
    """The lede: the first sentence of the body, as written."""
    # After the headline: before it come only a publisher's intro lines, never the lede.
    body = [s.text for s in script.segments if s.paragraph > HEADLINE]
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
