"""Sidecars: what the MP3 says and where, as text files that sit beside it.

Subtitles show the article as written ("On Dec. 25, ... $200 billion"), not the newsreader's
rewrites, in cues as captioning practice has them: at most two lines of about LINE_CHARS
characters and at most MAX_CUE_SECONDS each. A sentence that does not fit one cue is cut
into as few cues as fit, at clause boundaries where it can (after , ; : and dashes, before a
conjunction), else between words, with pieces of even length and no one-word cue; never
inside a number, an abbreviation and what it qualifies, or a `[[phoneme]]` block (`captions`).
A sentence's cues tile exactly the time the track says it speaks it, each piece's share in
proportion to the length of its spoken form. Written as WebVTT (`.vtt`, for the web's <track>
element) and SubRip (`.srt`, for everything else).

And the chapters, planned once by `sections` here, written by publish into the MP3 as
CHAP and CTOC frames and here as a Podcasting 2.0 JSON chapters file (`.chapters.json`):

- The headline's chapter opens the file. A piece without section headings is one section;
  it gets a chapter per paragraph when it lasts at most LONGEST_CHAPTER (5 minutes: a news
  story, such as the sample), else its paragraphs are grouped into chapters of about
  CHAPTER_LENGTH (3 minutes), each after the first named by its first paragraph's first
  words.
- A piece with headings has a section for the headline's part, then one per heading. A
  section of at most LONGEST_CHAPTER is one chapter, named by its heading; a longer one is
  grouped into chapters of about CHAPTER_LENGTH, the first named by its heading.
- No table of contents holds more than MAX_CHILDREN (ID3 counts a CTOC's children in one
  byte): past that many sections, or chapters in one, neighbours share one.
- In the MP3: one top-level, ordered CTOC "toc", titled by the headline. One section: its
  CHAPs are its children. Several: a section of one chapter is that CHAP (a level holding
  one chapter of the same title would say nothing, and a player that reads only the top
  level still finds it), and a section of several is an ordered CTOC titled by its heading
  ("toc" and the section's number, the headline's 0) whose children are its CHAPs. CHAPs
  are "chp0", "chp1"... in time order, and lie in the file in that order: ffmpeg lists
  CHAPs alone, flat, in the order it meets them.
- In `.chapters.json`, whose format has no nesting: every chapter in time order, flat,
  `{"startTime", "endTime", "title"}` in seconds; a piece of several sections adds
  `"section"`, the title of the chapter's section (the headline, or a heading).

Every time is rounded to the millisecond once, by `_milliseconds`, so a chapter starts at
exactly the time of its first sentence's first cue, in every file.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from audiogen.article import Article
from audiogen.narration import CLAUSE_BREAK, HEADLINE, Script, Segment
from audiogen.normalize import normalize
from audiogen.track import Track

# The file name endings, after the MP3's stem, of the files written beside it.
VTT = ".vtt"
SRT = ".srt"
CHAPTERS_JSON = ".chapters.json"
SUFFIXES = (VTT, SRT, CHAPTERS_JSON)

# Podcasting 2.0 JSON chapters, the version this writes (the spec's own examples say "1.2.0").
CHAPTERS_VERSION = "1.2.0"
# Subtitle lines: about what a viewer reads at a glance, the common broadcast guideline.
LINE_CHARS = 42
CUE_LINES = 2
MAX_CUE_SECONDS = 7.0
# Words either side of a space that are normalised with and without each other, to find the
# spaces inside what the newsreader reads as one ("Dec. 25", "$200 billion", "Dr. Smith").
CONTEXT_WORDS = 3
# What a break costs, between two units of a sentence: a cue's pieces and a cue's two lines
# go where the sum is least. A clause boundary is free.
CLAUSE, BEFORE_CONJUNCTION, BETWEEN_WORDS, AFTER_CLINGING, BETWEEN_NUMBERS = 0, 1, 2, 4, 6
BALANCE = 4.0  # per cue: times the squared relative distance from the even length
CUE = 2.0  # one cue more than the fewest is worth it when it saves more than this
ORPHAN = 20.0  # a cue of one word, alone on the screen
LINE_BALANCE = 4  # characters of the longer line one unit of break cost is worth
# English words a break goes well before, and words that cling to the word after them.
CONJUNCTIONS = frozenset(
    "and but or nor so yet because although though while whereas unless until since "
    "which who whom whose that when where if than".split()
)
CLINGING = frozenset(
    "a an the of to in on at by for from with into onto as its his her their our my your "
    "and or but".split()
)
DASHES = frozenset("—–")
_TOKEN = re.compile(r"(?:\[\[.*?\]\]|\S)+")  # a word, or a `[[phoneme]]` block with its spaces
_DIGIT_GROUP = re.compile(r"\d{3}(?!\d)")  # "000" after "40": "40 000" is one number
# A word of lower-case letters, in quotes or before a comma or so: read as it is written, so
# the space between two such words needs no asking the normaliser.
_PLAIN = re.compile(r"\W*[a-z]+\W*")
# A chapter title made from a paragraph's first words, when it has no heading.
TITLE_WORDS = 8
# The most children of one table of contents: an ID3 CTOC counts them in one byte.
MAX_CHILDREN = 255
# Chapters a listener moves between: a stretch longer than LONGEST_CHAPTER (a short piece
# without headings, a section) is cut at paragraphs into chapters of about CHAPTER_LENGTH,
# which leaves each between 2.5 and 3.75 minutes when its paragraphs allow. Milliseconds.
LONGEST_CHAPTER = 5 * 60_000
CHAPTER_LENGTH = 3 * 60_000


class Cue(NamedTuple):
    start: float  # seconds, to the millisecond: where its words begin to be spoken
    end: float  # ... and where they end (the next cue of the sentence starts there)
    text: str  # the written words, already in lines ("\n" between them): at most CUE_LINES


@dataclass(frozen=True)
class Caption:
    """One cue's share of a sentence: its written words in lines, and the length of what the
    newsreader says for them, which sets its share of the sentence's time."""

    lines: tuple[str, ...]
    spoken_chars: int


class Chapter(NamedTuple):
    start: float  # seconds, to the millisecond; the first chapter opens the file at 0
    end: float  # where the next chapter starts; the last ends with the file
    title: str


class Section(NamedTuple):
    """A part of the article and its chapters, in time order: the headline's part (to the
    first heading), then one per heading. A piece without headings is one section."""

    title: str
    chapters: tuple[Chapter, ...]


class _Opening(NamedTuple):
    """Where a chapter may open: the headline, or a paragraph's first sentence."""

    time: int  # milliseconds; the headline's is 0, the top of the file
    title: str
    heading: bool  # whether it opens a section: the headline, or a paragraph under a heading


def cues(track: Track, script: Script, language: str = "en") -> list[Cue]:
    """Each segment's written text in one cue or more (`captions`), tiling exactly the time
    the track speaks it; `language` is the article's, for reading numbers as spoken."""
    timed: list[Cue] = []
    for segment, start, end in zip(script.segments, track.starts, track.ends, strict=True):
        timed.extend(_timed(captions(segment.text, end - start, language), start, end))
    return timed


def _timed(pieces: list[Caption], start: float, end: float) -> list[Cue]:
    """The pieces' cues from `start` to `end`, each lasting its share of the spoken length."""
    total = sum(piece.spoken_chars for piece in pieces)
    done = itertools.accumulate(piece.spoken_chars for piece in pieces)
    marks = [_milliseconds(start)] + [
        _milliseconds(start + (end - start) * d / total) for d in done
    ]
    marks[-1] = _milliseconds(end)  # exactly, whatever the float arithmetic made of it
    return [
        Cue(marks[number] / 1000, marks[number + 1] / 1000, "\n".join(piece.lines))
        for number, piece in enumerate(pieces)
    ]


def captions(text: str, seconds: float, language: str = "en") -> list[Caption]:
    """A sentence's written `text`, spoken in `seconds`, in as few cues as fit the limits.

    Joined with spaces, the pieces' lines give `text` back. A unit that cannot be broken
    (one long word, a long number) may alone exceed a line or MAX_CUE_SECONDS.
    """
    if len(text) <= LINE_CHARS and seconds <= MAX_CUE_SECONDS:
        # All the sentence's time is this cue's: what it says need not be measured.
        return [Caption((text,), max(1, len(text)))]
    sentence = _Sentence(text, seconds, language)
    return [sentence.caption(first, last) for first, last in sentence.plan()]


class _Sentence:
    """A sentence being cut into cues: its units (what may not be broken), what a break
    before each costs, and how long each is when spoken."""

    def __init__(self, text: str, seconds: float, language: str) -> None:
        self.units = _units(text, language)
        self.breaks = _break_costs(self.units, language)
        self.seconds = seconds
        # The space after a unit counts: a pause takes time too.
        said = [len(normalize(unit, language)) + 1 for unit in self.units]
        self.said = [0, *itertools.accumulate(said)]
        self.ends = [0, *itertools.accumulate(len(unit) + 1 for unit in self.units)]
        most = CUE_LINES * (LINE_CHARS + 1) - 1  # two full lines and the space between
        short = (len(unit) + 1 if len(unit) <= most else 0 for unit in self.units)
        self.short = [0, *itertools.accumulate(short)]
        self.layout = functools.cache(self._layout)

    def plan(self) -> list[tuple[int, int]]:
        """(first, last + 1) unit of each cue: the fewest cues that fit, or one more when that
        cuts at clearly better places; a sentence that fits one cue stays one."""
        count = max(1, self._fewest_possible())
        while not (fewest := self._cheapest(count)):
            count += 1  # ends: a cue of one unit always fits
        if count == 1 or count == len(self.units):
            return fewest[1]
        one_more = self._cheapest(count + 1)
        options = [fewest, one_more] if one_more else [fewest]
        return min(options, key=lambda option: option[0] + CUE * len(option[1]))[1]

    def _fewest_possible(self, first: int = 0) -> int:
        """A bound no cut of the units from `first` on goes under: a cue holds at most two
        full lines of units (a unit longer than that is a cue of its own)."""
        return math.ceil((self.short[-1] - self.short[first]) / (CUE_LINES * (LINE_CHARS + 1)))

    def caption(self, first: int, last: int) -> Caption:
        layout = self.layout(first, last)
        assert layout is not None  # plan() only chooses cues that fit
        return Caption(layout[1], self.said[last] - self.said[first])

    def _cheapest(self, count: int) -> tuple[float, list[tuple[int, int]]] | None:
        """The least costly cut into `count` cues that all fit, and its cost; None if none."""
        size = len(self.units)
        target = self.length(0, size) / count
        best: dict[int, tuple[float, list[tuple[int, int]]]] = {0: (0.0, [])}  # by cut so far
        for made in range(1, count + 1):
            following: dict[int, tuple[float, list[tuple[int, int]]]] = {}
            for first, (cost, cut) in best.items():
                for last in range(first + 1, size - (count - made) + 1):
                    if not self.fits(first, last):
                        break  # a longer cue fits no better
                    if self._fewest_possible(last) > count - made:
                        continue  # what is left would not fit the cues left
                    total = cost + self._cost(first, last, target)
                    if last not in following or total < following[last][0]:
                        following[last] = (total, [*cut, (first, last)])
            best = following
        return best.get(size)

    def fits(self, first: int, last: int) -> bool:
        """Whether units first..last-1 fit one cue: two lines, MAX_CUE_SECONDS. One unit
        always does: it cannot be cut."""
        if last - first == 1:
            return True
        if self.length(first, last) > CUE_LINES * (LINE_CHARS + 1):
            return False  # more than two full lines, whatever the layout
        share = (self.said[last] - self.said[first]) / self.said[-1]
        return self.seconds * share <= MAX_CUE_SECONDS and self.layout(first, last) is not None

    def _cost(self, first: int, last: int, target: float) -> float:
        """A cue's cost: the break before it and between its lines, its distance from the
        even length, and being an orphan."""
        layout = self.layout(first, last)
        assert layout is not None  # only cues that fit are costed
        balance = BALANCE * ((self.length(first, last) - target) / target) ** 2
        orphan = ORPHAN if last - first == 1 and " " not in self.units[first] else 0.0
        return self.breaks[first] + layout[0] + balance + orphan

    def text(self, first: int, last: int) -> str:
        return " ".join(self.units[first:last])

    def length(self, first: int, last: int) -> int:
        """len(self.text(first, last)), without making the text."""
        return self.ends[last] - self.ends[first] - 1

    def _layout(self, first: int, last: int) -> tuple[int, tuple[str, ...]] | None:
        """The cue's words on one line, else on the best two, and what the line break costs;
        None if two lines cannot hold them."""
        if self.length(first, last) <= LINE_CHARS or last - first == 1:
            return 0, (self.text(first, last),)
        splits = []
        for middle in range(first + 1, last):
            top, bottom = self.length(first, middle), self.length(middle, last)
            if top > LINE_CHARS:
                break  # and every later top line is longer still
            if bottom <= LINE_CHARS:
                # The shorter the longer line the better, and a line ends where a break is cheap.
                splits.append((max(top, bottom) + LINE_BALANCE * self.breaks[middle], middle))
        if not splits:
            return None
        middle = min(splits)[1]
        return self.breaks[middle], (self.text(first, middle), self.text(middle, last))


def _units(text: str, language: str) -> list[str]:
    """The sentence's words, those the newsreader reads as one glued into one unit."""
    words = _TOKEN.findall(text)
    units = words[:1]
    for index in range(1, len(words)):
        if _glued(words, index, language):
            units[-1] += " " + words[index]
        else:
            units.append(words[index])
    return units or [text]


def _glued(words: list[str], index: int, language: str) -> bool:
    """Whether the space before `words[index]` is inside a unit: a number grouped with spaces
    ("40 000"), or words the normaliser reads differently apart ("Dec. 25" is "December
    twenty-fifth", "Dec." and "25" alone are not; "$200 billion"; "Dr. Smith")."""
    if words[index - 1][-1].isdigit() and _DIGIT_GROUP.match(words[index]):
        return True
    if _PLAIN.fullmatch(words[index - 1]) and _PLAIN.fullmatch(words[index]):
        return False
    left = " ".join(words[max(0, index - CONTEXT_WORDS) : index])
    right = " ".join(words[index : index + CONTEXT_WORDS])
    return _said(f"{left} {right}", language) != _said(left, language) + _said(right, language)


@functools.lru_cache(maxsize=4096)
def _said(text: str, language: str) -> tuple[str, ...]:
    """The words the newsreader says for `text`, without punctuation or case: a piece said
    at the end of a window keeps a period ("three PM.") that it does not keep inside."""
    return tuple(re.findall(r"\w+", normalize(text, language).lower()))


def _break_costs(units: list[str], language: str) -> list[int]:
    """What a break before each unit costs; the first unit's is 0 (nothing to break)."""
    text = " ".join(units)
    english = language.split("-")[0].lower() == "en"
    costs, space = [0], len(units[0])
    for before, after in itertools.pairwise(units):
        costs.append(_break_cost(text, space, before, after, english))
        space += 1 + len(after)
    return costs


def _break_cost(text: str, space: int, before: str, after: str, english: bool) -> int:
    if before[-2:-1].isdigit() and after[:1].isdigit():
        return BETWEEN_NUMBERS  # "Jan. 14, | 2024", "6-4, | 6-3": one date, one score
    if CLAUSE_BREAK.match(text, space):
        return CLAUSE  # the same clause boundaries the engine's chunks are cut at
    if after in DASHES:
        return AFTER_CLINGING  # a dash closes its clause: it does not open a cue
    if english and _bare(after.split(" ")[0]) in CONJUNCTIONS:
        return BEFORE_CONJUNCTION
    if english and _bare(before.rsplit(" ", 1)[-1]) in CLINGING:
        return AFTER_CLINGING  # "the | storm", "of | the"
    return BETWEEN_WORDS


def _bare(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).lower()


def webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file: the header, then each numbered cue with `HH:MM:SS.mmm` times."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        times = f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}"
        blocks.append(f"{number}\n{times}\n{_escaped(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def subrip(cues: Sequence[Cue]) -> str:
    """A SubRip file: each cue numbered from 1, with `HH:MM:SS,mmm` times."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        times = f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}"
        # SubRip has no escapes; an arrow in the text could be read as a timing line.
        text = cue.text.replace("-->", "->")
        blocks.append(f"{number}\n{times}\n{text}")
    return "\n\n".join(blocks) + "\n"


def chapters_json(
    sections: Sequence[Section], *, title: str | None = None, file_name: str | None = None
) -> str:
    """A Podcasting 2.0 JSON chapters file; `title` is the episode's, `file_name` the MP3's.

    The format's chapters are one flat list: a piece of several sections names each
    chapter's in a "section" field, which players that do not know it pass over.
    """
    document: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        document["title"] = title
    if file_name:
        document["fileName"] = file_name
    nested = len(sections) > 1
    document["chapters"] = [
        _json_chapter(chapter, section.title if nested else None)
        for section in sections
        for chapter in section.chapters
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_chapter(chapter: Chapter, section: str | None) -> dict[str, object]:
    entry: dict[str, object] = {"startTime": chapter.start, "endTime": chapter.end}
    entry["title"] = chapter.title
    if section is not None:
        entry["section"] = section
    return entry


def sidecar_texts(track: Track, script: Script, article: Article, mp3_name: str) -> dict[str, str]:
    """Every sidecar's text, by the suffix its file takes after the MP3's stem."""
    timed = cues(track, script, article.language)
    return {
        VTT: webvtt(timed),
        SRT: subrip(timed),
        CHAPTERS_JSON: chapters_json(
            sections(track, script, article), title=article.headline, file_name=mp3_name
        ),
    }


# --- Chapters: where a listener can move to ------------------------------------------------


def sections(track: Track, script: Script, article: Article) -> list[Section]:
    """The chapter plan, that of the MP3's CHAP and CTOC frames and of the JSON chapters.

    Without headings the piece is one section: a chapter per paragraph when it lasts at
    most LONGEST_CHAPTER, else chapters of about CHAPTER_LENGTH. With headings, a section
    per heading follows the headline's, each one chapter, or chapters of about
    CHAPTER_LENGTH when it lasts longer than LONGEST_CHAPTER. A chapter opens where its first
    segment starts (the first at 0), named by its heading or its first words; there are
    never more than MAX_CHILDREN sections, nor chapters in one: past that, neighbours share.
    """
    openings = _openings(track, script, article)
    if not openings:
        return []
    runs = _runs(openings)
    ends = [run[0].time for run in runs[1:]] + [_milliseconds(track.seconds)]
    return [
        _section(run, end, sectioned=len(runs) > 1) for run, end in zip(runs, ends, strict=True)
    ]


def _openings(track: Track, script: Script, article: Article) -> list[_Opening]:
    """The headline's opening at 0, then each body paragraph's first segment (its heading,
    under one), in order. The headline's chapter holds whatever a publisher says before it
    (an intro), and the last chapter its outro: chapters are the article's.
    """
    if not script.segments:
        return []
    openings = [_Opening(0, article.headline, heading=True)]
    for index, (before, segment) in enumerate(itertools.pairwise(script.segments), start=1):
        if segment.paragraph != before.paragraph and _in_body(segment.paragraph, article):
            time = _milliseconds(track.starts[index])
            heading = segment.paragraph - 1 in article.headings
            openings.append(_Opening(time, _chapter_title(segment, article), heading))
    return openings


def _in_body(paragraph: int, article: Article) -> bool:
    """Not the headline, nor a publisher's intro or outro."""
    return HEADLINE < paragraph <= len(article.paragraphs)


def _runs(openings: list[_Opening]) -> list[list[_Opening]]:
    """The openings by section, each from the headline or a heading to the next. Past
    MAX_CHILDREN sections, neighbouring ones share one, named by the first."""
    leaders = [number for number, opening in enumerate(openings) if opening.heading]
    if len(leaders) > MAX_CHILDREN:
        leaders = [leaders[number] for number in _thinned(len(leaders), MAX_CHILDREN)]
    bounds = [*leaders, len(openings)]
    return [openings[first:last] for first, last in itertools.pairwise(bounds)]


def _section(run: list[_Opening], end: int, *, sectioned: bool) -> Section:
    """The run's section, its chapters ending where the next opens and the last at `end`."""
    chosen = [run[number] for number in _chapter_openings(run, end, sectioned=sectioned)]
    starts = [opening.time for opening in chosen] + [end]
    chapters = tuple(
        Chapter(starts[number] / 1000, starts[number + 1] / 1000, opening.title)
        for number, opening in enumerate(chosen)
    )
    return Section(run[0].title, chapters)


def _chapter_openings(run: list[_Opening], end: int, *, sectioned: bool) -> list[int]:
    """Which of the run's openings open a chapter, by their indexes in it (the first always)."""
    times = [opening.time for opening in run]
    if end - times[0] > LONGEST_CHAPTER:
        count = round((end - times[0]) / CHAPTER_LENGTH)
        return _spread(times, end, min(count, MAX_CHILDREN))
    if sectioned:
        return [0]  # a section short enough to hear through is one chapter
    return _thinned(len(run), MAX_CHILDREN)  # a short piece: a chapter per paragraph


def _thinned(size: int, most: int) -> list[int]:
    """Indexes of `most` of `size` things, the first and others evenly spread, each then
    leading the same number of them give or take one; all of them when they are no more."""
    if size <= most:
        return list(range(size))
    return [0, *(1 + number * (size - 1) // (most - 1) for number in range(most - 1))]


def _spread(times: Sequence[int], end: int, count: int) -> list[int]:
    """Indexes of at most `count` of the ascending `times`, the first always: those nearest
    to marks spread evenly from the first to `end`, so that the chapters they open are of
    even length. A mark with no time within half the spacing of it is passed over (a long
    paragraph is not cut: the chapter grows).
    """
    spacing = (end - times[0]) / count
    chosen = [0]
    for number in range(1, count):
        mark = times[0] + number * spacing
        after = bisect.bisect_left(times, mark)
        near = [index for index in (after - 1, after) if chosen[-1] < index < len(times)]
        best = min(near, key=lambda index: abs(times[index] - mark), default=None)
        if best is not None and abs(times[best] - mark) <= spacing / 2:
            chosen.append(best)
    return chosen


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


def _escaped(text: str) -> str:
    # WebVTT cue text is markup: a bare "<" or "&" would start a tag or an entity.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
