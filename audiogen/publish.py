"""Publish: encode the track as MP3, tag it, and move it into the output folder whole,
with its sidecars (subtitles and chapters, see sidecars.py) beside it.

The MP3 is at the output's loudness (loudness.plan), and its true peak, measured on the file
as written, at most -1 dBTP: the encoder lifts peaks, so a file over it is made again. The
track is read from its spool a block at a time, levelled (loudness.levelled) and piped into
ffmpeg, which resamples it and encodes it with LAME: memory stays flat in its length.

Every file goes into the folder whole (files.py): the MP3 under a temporary name renamed into
place once encoded and tagged, after its sidecars.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import imageio_ffmpeg
import numpy as np
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
from audiogen.errors import AudiogenError
from audiogen.files import owned_temporary, put_in_place, write_whole
from audiogen.loudness import (
    TRUE_PEAK_DBTP,
    PeakDecoder,
    default_loudness,
    levelled,
    per_channel,
    plan,
)
from audiogen.narration import HEADLINE, Script
from audiogen.track import Track

BITRATE = "64k"  # constant bitrate: plenty for one voice, and what podcast apps expect
SAMPLE_RATE = 44100
CHANNELS = 1
SAMPLE_RATES = (22050, 44100, 48000)
# The bitrates an MP3 frame can declare, by MPEG version: 44.1 and 48 kHz are MPEG-1,
# 22.05 kHz is MPEG-2. Any other number would be rounded by the encoder, silently.
MPEG1_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG2_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
# LAME's constant bitrate mode scales what it encodes down by about 0.45 dB (room against
# clipping; measured at 32k to 128k alike): the PCM is made that much louder so that the MP3
# measures the target.
ENCODER_LOSS_DB = 0.45
# (highest kbit/s, dB): the first encode's margin under the true-peak ceiling. LAME's noise
# lifted the true peak of Piper's voice at -19 LUFS, over that of the PCM it was given (made
# ENCODER_LOSS_DB louder), by up to 0.8 dB at 32-48k, 0.4 dB at 64k and 0.15 dB at 96k and over.
# At 32-48k the lift is close to random from one encode to the next (+-0.8 dB for a quarter
# dB more or less of margin or gain at -16 LUFS), so there the margin starts wider.
FIRST_MARGINS = ((48, 1.5), (80, 0.5), (320, 0.25))
# A retry's margin: what the file overshot, and this much more. Not a tenth of a dB: where the
# lift is random a retry must clear its spread, not last encode's draw.
RETRY_STEP_DB = 0.5
MAX_ENCODES = 4
# LAME's quality/speed setting by channels (ffmpeg's -compression_level, LAME's -q: 0 best
# and slowest, 9 fastest; None: LAME's default, 3). The encode is the serial tail of every
# conversion, and 7 takes 0.30 s of CPU where 3 takes 0.51 for the sample's 85 s. Mono at
# 7 scores PESQ-WB 4.53 median, 4.50 worst tenth, against 4.57 and 4.54 at 3; stereo at 7
# loses 0.10 in its worst tenth (4.42 -> 4.32), so it keeps LAME's default
# (bench/quality.py --defaults, 138 sentences).
LAME_LEVELS: dict[int, int | None] = {1: 7, 2: None}
PART = ".mp3.part"  # the suffix of an MP3 still being written
MAX_SLUG = 80
# A TXXX frame holding what the file was made from (convert.fingerprint): a re-run that would
# make the same file leaves it alone.
FINGERPRINT = "audiogen fingerprint"
# A TXXX frame with the publication time as the page gave it, local time and UTC offset
# (ISO 8601: 2023-03-04T23:41:00-04:00); TDRC holds the same instant in UTC.
PUBLISHED = "audiogen published"
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
    for 44.1 kHz and 64 to 128 kbit/s); a value an MP3 cannot carry is an AudiogenError.
    `loudness`: the file's integrated LUFS; None is AES TD1004's for its channels (-19 mono,
    -16 stereo: loudness.default_loudness)."""

    sample_rate: int = SAMPLE_RATE
    bitrate: str = BITRATE  # constant, in kbit/s: "64k" (64 and "64K" are taken as "64k")
    channels: int = CHANNELS
    loudness: float | None = None

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
        if self.loudness is None:
            object.__setattr__(self, "loudness", default_loudness(self.channels))


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
    # Whatever goes wrong, Ctrl-C included, the half-written MP3 is removed.
    with contextlib.ExitStack() as owning:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            temporary = owning.enter_context(owned_temporary(out_dir, target.stem, PART))
        except OSError as error:
            raise AudiogenError(f"{out_dir}: cannot write there: {error.strerror}") from error
        # The tags and the sidecars' text (the captions' layout: a third of a second for
        # the sample) are made in a thread while the encoder works: the encode is the serial
        # tail of a conversion, and it waits on ffmpeg most of the time.
        with ThreadPoolExecutor(1, thread_name_prefix="audiogen-tags") as beside:
            made = beside.submit(_tags_and_texts, track, script, article, cover, target.name)
            # The encode first: it is what fails, and then no sidecar has been written either.
            _encode(track, temporary, output or OutputFormat())
            written, texts = made.result()
        for description, value in ((FINGERPRINT, fingerprint), (IDENTITY, identity)):
            if value:
                written.add(TXXX(encoding=3, desc=description, text=value))
        written.save(temporary, v2_version=4)
        for suffix, text in texts.items():
            _write_whole(target.with_name(target.stem + suffix), text.encode())
        put_in_place(temporary, target)
    return target


def _tags_and_texts(track, script, article, cover, name: str) -> tuple[ID3, dict[str, str]]:
    """The MP3's tags (`tags`) and its sidecars' text by suffix (sidecars.sidecar_texts)."""
    return tags(track, script, article, cover), sidecars.sidecar_texts(track, script, article, name)


def unpublish(mp3: Path) -> None:
    """Remove an MP3 publish wrote, then its sidecars (never a sidecar without its MP3)."""
    for path in (mp3, *sidecar_paths(mp3)):
        path.unlink(missing_ok=True)


def sidecar_paths(mp3: Path) -> list[Path]:
    """The files publish writes beside `mp3`: WebVTT and SubRip subtitles, JSON chapters."""
    return [mp3.with_name(mp3.stem + suffix) for suffix in sidecars.SUFFIXES]


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


def tags(track: Track, script: Script, article: Article, cover: bytes | None = None) -> ID3:
    """Every ID3 frame the MP3 carries; `cover` JPEG bytes become its front cover.

    The date: ID3v2.4 timestamps are UTC, so TDRC holds the instant the article was
    published, in UTC, when the page gave its time zone, and the page's local time with its
    offset goes in a TXXX (PUBLISHED) too. A date without a zone (a copied page that says
    "Dec. 25, 2022 8:54 PM") is written as it is: the page's local time, taken as UTC.
    """
    id3 = TimeOrderedID3()
    id3.add(TIT2(encoding=3, text=article.headline))
    if article.byline:
        id3.add(TPE1(encoding=3, text=article.byline))
    if article.publisher:
        id3.add(TALB(encoding=3, text=article.publisher))
    if article.published:
        id3.add(TDRC(encoding=3, text=_id3_time(article.published)))
        if article.published.tzinfo:
            id3.add(TXXX(encoding=3, desc=PUBLISHED, text=article.published.isoformat()))
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
    for frame in _chapter_frames(sidecars.sections(track, script, article), article.headline):
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


def encode_audio(track: Track, path: Path, output: OutputFormat | None = None) -> None:
    """The track alone as an MP3 in `path` (no tags, no sidecars), at the output's loudness
    and true peak, as an episode's: what the speech endpoint answers with."""
    _encode(track, path, output or OutputFormat())


def _encode(track: Track, path: Path, output: OutputFormat) -> None:
    """The track at the output's loudness in `path`, its true peak measured on the written
    file at most loudness.TRUE_PEAK_DBTP.

    LAME's noise lifts peaks over the PCM's, by an amount that depends on the bitrate and on
    the sound (the more it was limited, the more peaks sit near the ceiling for the noise to
    lift): the first encode leaves the margin that speech usually needs at that bitrate, and
    while the written file peaks over the ceiling, the track is limited again with the margin
    grown by what the file overshot, and encoded again. One or two retries do for speech even
    at 32k; the bound is for a sound that defeats the encoder, an error rather than a loop.
    Each encode reads the spool again, a block at a time, and is measured as it is written.
    """
    margin = _first_margin(output)
    frames = track.spool.frames()
    target = per_channel(output.loudness + ENCODER_LOSS_DB, output.channels)
    for _ in range(MAX_ENCODES):
        ceiling = 10 ** ((TRUE_PEAK_DBTP - margin) / 20)
        blocks = levelled(track.spool.read, frames, plan(frames, target, ceiling))
        over = _encode_pcm(blocks, track.rate, path, output) - TRUE_PEAK_DBTP
        if over <= 0:
            return
        margin += over + RETRY_STEP_DB
    raise AudiogenError(
        f"the MP3 at {output.bitrate} still peaks {over:.1f} dB over {TRUE_PEAK_DBTP:g} dBTP "
        f"after {MAX_ENCODES} encodes; choose a higher bitrate"
    )


def _first_margin(output: OutputFormat) -> float:
    """dB under the ceiling for the first encode: what LAME adds to speech at the bitrate."""
    kilobits = _kilobits(output.bitrate)
    return next(margin for most, margin in FIRST_MARGINS if kilobits <= most)


def _encode_pcm(blocks: Iterable[np.ndarray], rate: int, path: Path, output: OutputFormat) -> float:
    """Float sample blocks at `rate`, as 16-bit PCM piped into ffmpeg (resampling, LAME),
    an MP3 in `path`: the encoder gets the track a block at a time. Returns the written
    file's true peak (dBTP), measured as it is written: the encoder's tee muxer sends each
    MP3 frame to the file and to a decoder (loudness.PeakDecoder), so the check overlaps
    the encode instead of following it. The file is the one LAME writes alone, byte for
    byte; the piped copy lacks only the header frame a seekable file gets (the length
    and gapless information), which holds no sound."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error",
               "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
               "-c:a", "libmp3lame", "-b:a", output.bitrate,
               "-ar", str(output.sample_rate)]  # fmt: skip
    if LAME_LEVELS[output.channels] is not None:
        command += ["-compression_level", str(LAME_LEVELS[output.channels])]
    # Stereo carries the mono track on both channels at full level (ffmpeg's own upmix
    # would take 3 dB off each): the loudness target was set for each channel so.
    command += ["-ac", "1"] if output.channels == 1 else ["-af", "pan=stereo|c0=c0|c1=c0"]
    command += ["-map", "0:a", "-f", "tee", _tee(path)]
    try:
        with (
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) as encoder,
            PeakDecoder(encoder.stdout, output.channels, TRUE_PEAK_DBTP) as checking,
        ):  # fmt: skip
            encoder.stdout.close()  # the decoder's now: it sees the end when the encoder ends
            with contextlib.suppress(BrokenPipeError):  # ffmpeg stopped: its stderr says why
                for block in blocks:
                    encoder.stdin.write(_pcm16(block))
                encoder.stdin.close()
            failure = encoder.stderr.read().decode(errors="replace").strip().splitlines()
            if encoder.wait() == 0:
                return checking.result()
    except OSError as error:
        raise AudiogenError(f"MP3 encoding failed: {error.strerror or error}") from error
    reason = failure[-1] if failure else f"ffmpeg exited with {encoder.returncode}"
    raise AudiogenError(f"MP3 encoding failed: {reason}")


def _tee(path: Path) -> str:
    """ffmpeg's tee muxer's outputs: the MP3 file at `path`, and its standard output. The
    path is quoted as the muxer's parser reads it ('...' literal, a quote as '\\''), and
    named as a file, so that no character in it (| [ ] : ') means anything to ffmpeg."""
    quoted = "'file:" + str(path.absolute()).replace("'", "'\\''") + "'"
    return f"[f=mp3]{quoted}|[f=mp3]pipe:1"


def _pcm16(samples: np.ndarray) -> bytes:
    """Float samples as 16-bit little-endian PCM. The peaks sit under the ceiling; the clip
    only keeps a ceiling over 0 dBTP from wrapping."""
    scaled = samples * 32768
    np.clip(scaled, -32768, 32767, out=scaled)
    return np.rint(scaled, out=scaled).astype("<i2").tobytes()


def _id3_time(published: datetime) -> str:
    """`yyyy-MM-ddTHH:mm:ss`, in UTC when `published` knows its zone (ID3v2.4, section 4)."""
    if published.tzinfo:
        published = published.astimezone(UTC)
    return published.strftime("%Y-%m-%dT%H:%M:%S")


class TimeOrderedID3(ID3):
    """An ID3 tag whose CHAP frames lie in the file in time order.

    The CTOC gives the chapters' order, but ffmpeg, and the players, hosting platforms and
    audiobook converters built on it, list chapters in the order of the frames in the file;
    mutagen (1.48) sorts frames by their size when it saves. It writes the tag's
    `unknown_frames` (raw frames) after its own, as they are: the chapters go there, each
    made into bytes by mutagen itself, in order of start time.
    """

    def save(self, filething=None, v1=1, v2_version=4, v23_sep="/", padding=None) -> None:
        if v2_version != 4:
            raise ValueError("chapters in time order are written as ID3v2.4 frames")
        chapters = sorted(self.getall("CHAP"), key=lambda frame: frame.start_time)
        self.delall("CHAP")
        self.unknown_frames = [_frame_bytes(frame) for frame in chapters]
        try:
            super().save(filething, v1, v2_version, v23_sep, padding)
        finally:  # the tag reads as before, whatever happened to the file
            self.unknown_frames = []
            for frame in chapters:
                self.add(frame)


def _frame_bytes(frame) -> bytes:
    """One ID3v2.4 frame as mutagen writes it: a tag of that frame alone, without the tag's
    ten-byte header and with no padding."""
    alone = ID3()
    alone.add(frame)
    buffer = io.BytesIO()
    alone.save(buffer, v1=0, padding=lambda info: 0)
    return buffer.getvalue()[10:]


def _chapter_frames(sections: list[sidecars.Section], headline: str) -> list:
    """The top-level CTOC, the CTOC of each section of several chapters, then every CHAP, in
    milliseconds as ID3 counts them: the plan in sidecars' docstring. sidecars.sections puts
    no more in a table of contents than it can hold (MAX_CHILDREN).
    """
    chaps = _chaps(sections)
    if len(sections) == 1:  # no headings: the chapters are the top level's children
        tocs, children = {}, [frame.element_id for frame in chaps[0]]
    else:
        tocs = {
            number: _toc(f"toc{number}", section.title, frames)
            for number, (section, frames) in enumerate(zip(sections, chaps, strict=True))
            if len(frames) > 1
        }
        children = [
            tocs[number].element_id if number in tocs else frames[0].element_id
            for number, frames in enumerate(chaps)
        ]
    top = _toc("toc", headline, children, CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED)
    return [top, *tocs.values(), *(frame for frames in chaps for frame in frames)]


def _chaps(sections: list[sidecars.Section]) -> list[list[CHAP]]:
    """Each section's CHAP frames, numbered "chp0", "chp1"... in time order."""
    numbers = itertools.count()
    return [
        [
            CHAP(
                element_id=f"chp{next(numbers)}",
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            )
            for chapter in section.chapters
        ]
        for section in sections
    ]


def _toc(element_id: str, title: str, children: list, flags=CTOCFlags.ORDERED) -> CTOC:
    """A CTOC of `children`: frames, or their element ids."""
    ids = [child if isinstance(child, str) else child.element_id for child in children]
    return CTOC(element_id=element_id, flags=flags, child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=title)])  # fmt: skip


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
