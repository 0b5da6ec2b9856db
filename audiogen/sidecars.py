"""Sidecars: what the MP3 says and where, as text files that sit beside it.

One subtitle cue per script segment (a sentence, the headline or a section heading), from
where the track says it starts to where it stops speaking: WebVTT (`.vtt`, for the web's
<track> element) and SubRip (`.srt`, for everything else). And the chapters, as a
Podcasting 2.0 JSON chapters file (`.chapters.json`), the same chapters publish writes into
the MP3 as CHAP frames: both come from `chapters` here.

Every time is rounded to the millisecond once, by `_milliseconds`, so a chapter starts at
exactly the time of its first sentence's cue, in every file.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Sequence
from typing import NamedTuple

from audiogen.article import Article
from audiogen.assemble import Track
from audiogen.script import HEADLINE, Script, Segment

# The file name endings, after the MP3's stem, of the files written beside it.
VTT = ".vtt"
SRT = ".srt"
CHAPTERS_JSON = ".chapters.json"
SUFFIXES = (VTT, SRT, CHAPTERS_JSON)

# Podcasting 2.0 JSON chapters, the version this writes (the spec's own examples say "1.2.0").
CHAPTERS_VERSION = "1.2.0"
# Subtitle lines: about what a viewer reads at a glance, the common broadcast guideline.
LINE_CHARS = 42
# A chapter title made from a paragraph's first words, when it has no heading.
TITLE_WORDS = 8


class Cue(NamedTuple):
    start: float  # seconds, to the millisecond: where the segment begins to speak
    end: float  # ... and where it stops
    text: str  # the words heard: the segment's `spoken`


class Chapter(NamedTuple):
    start: float  # seconds, to the millisecond; the first chapter opens the file at 0
    end: float  # where the next chapter starts; the last ends with the file
    title: str


def cues(track: Track, script: Script) -> list[Cue]:
    """One cue per script segment, timed where the track speaks it."""
    return [
        Cue(_milliseconds(start) / 1000, _milliseconds(end) / 1000, segment.spoken)
        for segment, start, end in zip(script.segments, track.starts, track.ends, strict=True)
    ]


def chapters(track: Track, script: Script, article: Article) -> list[Chapter]:
    """The headline, then one chapter per section when the article has section headings,
    else one per paragraph; each starts where its first segment does, the first at 0."""
    openings = _openings(script, article)
    # The first chapter opens the file, lead-in silence included, as players expect.
    times = [0] + [_milliseconds(track.starts[index]) for index, _ in openings[1:]]
    times.append(_milliseconds(track.seconds))
    return [
        Chapter(times[number] / 1000, times[number + 1] / 1000, title)
        for number, (_, title) in enumerate(openings)
    ]


def webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file: the header, then each numbered cue with `HH:MM:SS.mmm` times."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        times = f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}"
        blocks.append(f"{number}\n{times}\n{_escaped(_wrapped(cue.text))}")
    return "\n\n".join(blocks) + "\n"


def subrip(cues: Sequence[Cue]) -> str:
    """A SubRip file: each cue numbered from 1, with `HH:MM:SS,mmm` times."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        times = f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}"
        # SubRip has no escapes; an arrow in the text could be read as a timing line.
        text = _wrapped(cue.text).replace("-->", "->")
        blocks.append(f"{number}\n{times}\n{text}")
    return "\n\n".join(blocks) + "\n"


def chapters_json(
    chapters: Sequence[Chapter], *, title: str | None = None, file_name: str | None = None
) -> str:
    """A Podcasting 2.0 JSON chapters file; `title` is the episode's, `file_name` the MP3's."""
    document: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        document["title"] = title
    if file_name:
        document["fileName"] = file_name
    document["chapters"] = [
        {"startTime": chapter.start, "endTime": chapter.end, "title": chapter.title}
        for chapter in chapters
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def sidecar_texts(track: Track, script: Script, article: Article, mp3_name: str) -> dict[str, str]:
    """Every sidecar's text, by the suffix its file takes after the MP3's stem."""
    timed = cues(track, script)
    return {
        VTT: webvtt(timed),
        SRT: subrip(timed),
        CHAPTERS_JSON: chapters_json(
            chapters(track, script, article), title=article.headline, file_name=mp3_name
        ),
    }


def _openings(script: Script, article: Article) -> list[tuple[int, str]]:
    """(index of the segment that opens a chapter, the chapter's title), in order.

    The first chapter is the headline's, with whatever the publisher says before it (an
    intro). A publisher's outro stays in the last chapter: chapters are the article's.
    """
    openings = [(0, article.headline)] if script.segments else []
    previous = script.segments[0].paragraph if script.segments else None
    for index, segment in enumerate(script.segments[1:], start=1):
        if segment.paragraph != previous and _opens_chapter(segment.paragraph, article):
            openings.append((index, _chapter_title(segment, article)))
        previous = segment.paragraph
    return openings


def _opens_chapter(paragraph: int, article: Article) -> bool:
    if not HEADLINE < paragraph <= len(article.paragraphs):
        return False  # the headline, or a publisher's intro or outro
    # With headings, the paragraphs before the first one stay in the headline's chapter.
    return not article.headings or paragraph - 1 in article.headings


def _chapter_title(segment: Segment, article: Article) -> str:
    if segment.paragraph - 1 in article.headings:
        return article.headings[segment.paragraph - 1]
    words = segment.text.split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


def _milliseconds(seconds: float) -> int:
    return round(seconds * 1000)


def _timestamp(seconds: float, decimal: str) -> str:
    """`HH:MM:SS.mmm` (WebVTT, decimal ".") or `HH:MM:SS,mmm` (SubRip, decimal ",")."""
    minutes, milliseconds = divmod(_milliseconds(seconds), 60_000)
    hours, minutes = divmod(minutes, 60)
    whole, milliseconds = divmod(milliseconds, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{decimal}{milliseconds:03d}"


def _wrapped(text: str) -> str:
    """The text in as few lines of about LINE_CHARS as it takes, of even length: a long
    sentence reads as two balanced lines, not one full line and a stray word."""
    if len(text) <= LINE_CHARS:
        return text
    count = math.ceil(len(text) / LINE_CHARS)
    width = math.ceil(len(text) / count)
    while True:
        lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        if len(lines) <= count:
            return "\n".join(lines)
        width += 1


def _escaped(text: str) -> str:
    # WebVTT cue text is markup: a bare "<" or "&" would start a tag or an entity.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
