"""Sidecars: subtitles (WebVTT, SubRip) and Podcasting 2.0 chapters beside each MP3.

The files publish really writes are parsed back and held against the track's own timings,
the written article, the MP3's CHAP frames and USLT (read with mutagen) and what ffmpeg finds
in the MP3 and the subtitle files. How sentences are cut into cues is tested without audio.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import imageio_ffmpeg
import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from audiogen.article import Article
from audiogen.assemble import assemble
from audiogen.narration import Script, Segment, build_script
from audiogen.normalize import normalize
from audiogen.publish import publish, sidecar_paths
from audiogen.sidecars import (
    CHAPTER_LENGTH,
    LINE_CHARS,
    LONGEST_CHAPTER,
    MAX_CHILDREN,
    MAX_CUE_SECONDS,
    Chapter,
    Cue,
    Section,
    captions,
    chapters_json,
    cues,
    sections,
    subrip,
    webvtt,
)
from audiogen.spool import Spool
from audiogen.track import Track
from audiogen.voices import Pauses
from tests.test_assemble import tone

ARTICLE = Article(
    headline="Ports reopen after the storm",
    paragraphs=(
        "Ships left the harbour at dawn on Dec. 25. Crews had waited three days.",
        "The storm closed every port on the coast, and the coastguard says the damage to the "
        "northern breakwater will take until the spring to mend.",
        "Dr. Ruth Evans, who runs the port authority, said that 40 000 tonnes of cargo were "
        "waiting — some of it since Nov. 3 — and that clearing the backlog would cost "
        "$1.2 billion, or about 4% of the region's annual trade. Insurers expect claims to rise.",
        "Harbour fees will not change.",
    ),
    published=datetime(2023, 3, 4, 15, 14),
    headings={2: "What comes next"},
)
SCRIPT = build_script(ARTICLE)
PAUSES = Pauses(sentence=0.3, paragraph=0.8, headline=1.1)
SLOW = "Crews had waited three days."  # said slowly: short to read, too long for one cue
WRITTEN = " ".join(segment.text for segment in SCRIPT.segments)


def said_in(segment: Segment) -> float:
    """Seconds of speech, about as long as a newsreader takes; the slow sentence 9 s."""
    return 9.0 if segment.text == SLOW else len(segment.spoken) / 14


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Track]:
    audio = [[tone(said_in(segment))] for segment in SCRIPT.segments]
    track = assemble(SCRIPT, audio, PAUSES)
    return publish(track, SCRIPT, ARTICLE, tmp_path_factory.mktemp("sidecars")), track


def files(mp3: Path) -> dict[str, str]:
    vtt, srt, chapters_file = sidecar_paths(mp3)
    return {"vtt": vtt.read_text(encoding="utf-8"), "srt": srt.read_text(encoding="utf-8"),
            "json": chapters_file.read_text(encoding="utf-8")}  # fmt: skip


# --- A small parser for each format, strict about what the specs require -------------------

VTT_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
SRT_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})"


def seconds(hours: str, minutes: str, whole: str, milliseconds: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + int(whole) + int(milliseconds) / 1000


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue; the cue's lines joined with "\n", entities read."""
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    parsed = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if "-->" not in lines[0]:
            lines = lines[1:]  # an identifier
        timing = re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", lines[0])
        assert timing, lines[0]
        words = "\n".join(lines[1:])
        assert all(lines[1:]) and "<" not in words and "-->" not in words
        words = words.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        parsed.append((seconds(*timing.groups()[:4]), seconds(*timing.groups()[4:]), words))
    return parsed


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue, its lines joined with "\n"; numbered 1, 2, 3..."""
    parsed = []
    for number, block in enumerate(text.rstrip("\n").split("\n\n"), start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        timing = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert timing, lines[1]
        words = "\n".join(lines[2:])
        assert lines[2:] and all(lines[2:])
        parsed.append((seconds(*timing.groups()[:4]), seconds(*timing.groups()[4:]), words))
    return parsed


def chap_frames(mp3: Path) -> list:
    """The CHAP frames in the order the tables of contents give, nested ones walked through."""
    tags = ID3(mp3)
    return list(chaps_under(tags, "toc"))


def chaps_under(tags: ID3, element: str):
    """The CHAP frames under the CTOC `element`, depth first, each table at most 255 long."""
    toc = tags[f"CTOC:{element}"]
    assert len(toc.child_element_ids) <= 255
    for child in toc.child_element_ids:
        if f"CHAP:{child}" in tags:
            yield tags[f"CHAP:{child}"]
        else:
            yield from chaps_under(tags, child)


def ffmpeg_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    """The chapters ffmpeg reads from the MP3: `ffmpeg -i` prints them on standard error."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(mp3)],
                            capture_output=True, text=True)  # fmt: skip
    found = re.findall(
        r"Chapter #\d+:\d+: start (\d+\.\d+), end (\d+\.\d+)\n\s+Metadata:\n\s+title\s+: (.*)\n",
        result.stderr,
    )
    # In the order the frames lie in the file, as players built on ffmpeg list them.
    return [(float(start), float(end), title) for start, end, title in found]


# --- The formats, on cues and chapters made by hand ----------------------------------------


def test_webvtt_has_its_header_and_dotted_times():
    text = webvtt([Cue(0.3, 1.25, "Ports reopen"), Cue(3723.456, 3725.0, "Fish & <chips>")])
    assert text == (
        "WEBVTT\n\n"
        "1\n00:00:00.300 --> 00:00:01.250\nPorts reopen\n\n"
        "2\n01:02:03.456 --> 01:02:05.000\nFish &amp; &lt;chips&gt;\n"
    )


def test_subrip_numbers_its_cues_and_uses_commas():
    text = subrip([Cue(0.3, 1.25, "Ports reopen"), Cue(3723.456, 3725.0, "Fish & chips")])
    assert text == (
        "1\n00:00:00,300 --> 00:00:01,250\nPorts reopen\n\n"
        "2\n01:02:03,456 --> 01:02:05,000\nFish & chips\n"
    )


def test_chapters_json_is_podcasting_2_0():
    one_section = Section(
        "Ports reopen", (Chapter(0.0, 5.38, "Ports reopen"), Chapter(5.38, 7.5, "Crews wait"))
    )
    document = json.loads(chapters_json([one_section], title="Ports reopen", file_name="a.mp3"))
    assert document == {
        "version": "1.2.0",
        "title": "Ports reopen",
        "fileName": "a.mp3",
        "chapters": [
            {"startTime": 0.0, "endTime": 5.38, "title": "Ports reopen"},
            {"startTime": 5.38, "endTime": 7.5, "title": "Crews wait"},
        ],
    }


def test_chapters_json_names_each_chapter_s_section_when_there_are_several():
    plan = [
        Section("Ports reopen", (Chapter(0.0, 5.38, "Ports reopen"),)),
        Section("What next", (Chapter(5.38, 200.0, "What next"), Chapter(200.0, 390.5, "Then…"))),
    ]
    assert json.loads(chapters_json(plan))["chapters"] == [
        {"startTime": 0.0, "endTime": 5.38, "title": "Ports reopen", "section": "Ports reopen"},
        {"startTime": 5.38, "endTime": 200.0, "title": "What next", "section": "What next"},
        {"startTime": 200.0, "endTime": 390.5, "title": "Then…", "section": "What next"},
    ]


# --- Cutting a sentence into cues, without audio ---------------------------------------------

LONG = [
    "The storm closed every port on the coast, and the coastguard says the harbour will reopen "
    "on Friday.",
    "Dr. Ruth Evans, who runs the port authority, said that 40 000 tonnes of cargo were waiting "
    "— some of it since Nov. 3 — and that clearing the backlog would cost $1.2 billion, or "
    "about 4% of the region's annual trade.",
    "In 1998, 2003 and 2017 the company reported losses of $4.5 million, $12.25 million and "
    "$1.1 billion respectively because demand for its products fell sharply in every market.",
    "Officials in Washington said on Tuesday that the agreement, which had been negotiated over "
    "eighteen months by diplomats from both countries, would be signed at a ceremony next week "
    "unless last-minute objections from lawmakers in either capital delayed it again.",
    "Shares of the company rose 12.5% to $347.20 on Jan. 14, 2024, after it said that "
    "quarterly revenue had reached ¥30bn.",
    '"We are not going to give up," said the mayor, who has led the city since 2019, "and we '
    'will rebuild every street, every bridge and every home that the water took from us."',
    "Officials said that [[ʃˈiː dʒˈɪnpˈɪŋ]] and [[kˈɪm dʒˈɔːŋ ˈʊn]] met on Monday in a hall "
    "near the border where talks had been held twice before without any result at all",
    "the water rose through the night and by the morning it had reached the doors of the houses "
    "along the river and nobody in the town could remember anything like it",
]
# What must stay whole on one line of one cue, wherever it comes in LONG.
WHOLE = ["Dr. Ruth", "40 000", "Nov. 3", "$1.2 billion", "$4.5 million", "$12.25 million",
         "$347.20", "Jan. 14", "[[ʃˈiː dʒˈɪnpˈɪŋ]]", "[[kˈɪm dʒˈɔːŋ ˈʊn]]"]  # fmt: skip


def newsreader_seconds(text: str) -> float:
    return len(normalize(text, "en")) / 14  # about 14 characters a second, as Piper's joe


def lines_of(pieces) -> list[str]:
    return [line for piece in pieces for line in piece.lines]


@pytest.mark.parametrize("text", LONG)
def test_a_long_sentence_is_cut_into_balanced_cues_that_fit(text):
    seconds = newsreader_seconds(text)
    pieces = captions(text, seconds)
    assert len(pieces) > 1
    assert " ".join(lines_of(pieces)) == text  # every character, in order
    total = sum(piece.spoken_chars for piece in pieces)
    for piece in pieces:
        assert 1 <= len(piece.lines) <= 2 and all(len(line) <= LINE_CHARS for line in piece.lines)
        assert seconds * piece.spoken_chars / total <= MAX_CUE_SECONDS
        assert len(" ".join(piece.lines).split()) >= 2, piece  # no word alone on the screen
    lengths = [len(" ".join(piece.lines)) for piece in pieces]
    assert min(lengths) >= max(lengths) / 3, pieces


@pytest.mark.parametrize("text", LONG)
def test_numbers_abbreviations_and_phonemes_stay_whole_however_short_the_cues(text):
    # Said slowly, the sentence needs many short cues: still none cuts what is read as one.
    pieces = captions(text, 40.0)
    assert len(pieces) >= 6
    for whole in (unit for unit in WHOLE if unit in text):
        assert any(whole in line for line in lines_of(pieces)), (whole, pieces)


def test_a_cue_ends_at_a_clause_boundary_where_there_is_one():
    pieces = captions(LONG[0], newsreader_seconds(LONG[0]))
    assert [" ".join(piece.lines) for piece in pieces] == [
        "The storm closed every port on the coast,",
        "and the coastguard says the harbour will reopen on Friday.",
    ]
    evans = [" ".join(piece.lines) for piece in captions(LONG[1], newsreader_seconds(LONG[1]))]
    assert evans[0].endswith(" who runs the port authority,")
    assert evans[1].endswith(" of cargo were waiting —")


def test_a_sentence_that_fits_stays_one_cue_in_one_line_or_two_balanced():
    assert lines_of(captions("Harbour fees will not change.", 2.0)) == [
        "Harbour fees will not change."
    ]
    two = "The storm closed every port on the coast, and the harbour with it."
    assert lines_of(captions(two, newsreader_seconds(two))) == [
        "The storm closed every port on the coast,",
        "and the harbour with it.",
    ]


def test_a_short_sentence_said_slowly_is_cut_by_time():
    pieces = captions(SLOW, 9.0)
    assert [piece.lines for piece in pieces] == [("Crews had waited",), ("three days.",)]


def test_a_word_longer_than_a_line_is_a_cue_of_its_own():
    # The one tolerance: what cannot be cut may be longer than a line (and than 7 seconds).
    url = "https://www.example.org/reports/2023/annual-harbour-review-final.pdf"
    text = f"Read the full report at {url} before the meeting on Friday."
    pieces = captions(text, newsreader_seconds(text))
    assert (url,) in [piece.lines for piece in pieces]
    assert all(len(line) <= LINE_CHARS for line in lines_of(pieces) if line != url)


def test_cue_times_tile_the_sentence_in_proportion_to_what_is_spoken():
    numbers = "In 1998, 2003 and 2017 the company reported losses,"
    words = "and then it closed every one of its shops in the north of the country."
    text = f"{numbers} {words}"
    script = Script((Segment(1, text, normalize(text, "en"), ()),))
    track = Track(Spool.silent(14.0, 22050), (1.0,), (13.0,))
    found = cues(track, script)
    assert [cue.text.replace("\n", " ") for cue in found] == [numbers, words]
    assert (found[0].start, found[0].end, found[1].start, found[1].end) == (
        1.0, found[1].start, found[0].end, 13.0,
    )  # fmt: skip
    # The numbers take longer to say than to read: their share of the time is the spoken one.
    spoken = [len(normalize(part, "en")) for part in (numbers, words)]
    assert found[0].end - 1.0 == pytest.approx(12.0 * spoken[0] / sum(spoken), abs=0.25)
    assert found[0].end - 1.0 > 12.0 * len(numbers) / len(text) + 1.0


# --- Chapters: the plan, on made-up scripts and tracks ---------------------------------------


class _Length(NamedTuple):
    """What chapter planning asks of a track's spool: its length."""

    seconds: float
    rate: int = 22050


def timed(script: Script, seconds_each: float = 1.0) -> Track:
    """A silent track with one segment every `seconds_each`: chapters need only the times
    (and the track's length, to the hundredth of a second at this rate)."""
    count = len(script.segments)
    starts = tuple(0.3 + index * seconds_each for index in range(count))
    # Only the length is needed: a stand-in for the spool, where a 20-hour track of silence
    # would be gigabytes on disk.
    audio = _Length(0.3 + count * seconds_each + 0.7)
    return Track(audio, starts, tuple(start + 0.5 for start in starts))


def segment(paragraph: int, text: str) -> Segment:
    return Segment(paragraph, text, text, (text,))


def chapter_list(plan: list[Section]) -> list[Chapter]:
    return [chapter for section in plan for chapter in section.chapters]


def paragraph_starts(script: Script, track: Track) -> dict[float, str]:
    """The start of each paragraph's first segment (its heading's, under one): where a
    chapter may open, to the millisecond, and the first words it would be named by."""
    return {
        round(start, 3): segment.text
        for start, (before, segment) in zip(
            track.starts[1:], itertools.pairwise(script.segments), strict=True
        )
        if segment.paragraph != before.paragraph
    }


def assert_a_sound_plan(plan: list[Section], track: Track) -> None:
    """What every plan holds: tables of at most 255, chapters that tile the file in order."""
    assert len(plan) <= MAX_CHILDREN and all(
        1 <= len(section.chapters) <= MAX_CHILDREN for section in plan
    )
    if len(plan) == 1:
        assert len(plan[0].chapters) <= MAX_CHILDREN  # the top level's children
    found = chapter_list(plan)
    assert found[0].start == 0 and found[-1].end == round(track.seconds, 3)
    assert all(before.end == after.start for before, after in itertools.pairwise(found))
    assert all(chapter.start < chapter.end and chapter.title for chapter in found)
    assert [section.title for section in plan] == [section.chapters[0].title for section in plan]


def test_without_headings_each_paragraph_is_a_chapter_and_intro_and_outro_are_not():
    body = "Four five six seven eight nine ten eleven twelve."
    article = Article("Headline", ("One two. Three.", body))
    script = Script((
        segment(-1, "This article was narrated by an AI voice."),
        segment(0, "Headline"),
        segment(1, "One two."), segment(1, "Three."),
        segment(2, body),
        segment(3, "Thanks for listening."),
    ))  # fmt: skip
    assert sections(timed(script), script, article) == [
        Section("Headline", (
            Chapter(0.0, 2.3, "Headline"),  # from the top: the intro, then the headline
            Chapter(2.3, 4.3, "One two."),
            Chapter(4.3, 7.0, "Four five six seven eight nine ten eleven…"),  # and the outro
        ))
    ]  # fmt: skip


def test_with_headings_each_short_section_is_one_chapter():
    article = Article(
        "Headline",
        ("Intro.", "More intro.", "Section one.", "Still one.", "Section two."),
        headings={2: "First", 4: "Second"},
    )
    script = build_script(article)
    plan = sections(timed(script), script, article)
    assert [section.title for section in plan] == ["Headline", "First", "Second"]
    assert [len(section.chapters) for section in plan] == [1, 1, 1]
    # A section starts with its heading, said aloud.
    starts = {s.text: timed(script).starts[i] for i, s in enumerate(script.segments)}
    found = chapter_list(plan)
    assert [chapter.start for chapter in found[1:]] == [starts["First"], starts["Second"]]


@pytest.mark.parametrize(("paragraphs", "expected"), [(28, 29), (30, 2)])
def test_a_piece_without_headings_is_grouped_only_when_longer_than_the_longest_chapter(
    paragraphs, expected
):
    # Ten seconds a paragraph: 28 make 4:51 with the headline, 30 make 5:11.
    article = Article("Headline", tuple(f"Paragraph {n}." for n in range(paragraphs)))
    script = build_script(article)
    track = timed(script, 10.0)
    assert (track.seconds <= LONGEST_CHAPTER / 1000) == (expected > 2)
    plan = sections(track, script, article)
    assert len(plan) == 1 and len(plan[0].chapters) == expected
    assert_a_sound_plan(plan, track)


def test_a_long_piece_without_headings_has_chapters_of_a_few_minutes_at_paragraphs():
    # 120 paragraphs of one to four sentences, five seconds each: about 25 minutes.
    article = Article(
        "A long read",
        tuple(" ".join(f"Sentence {n} {k}." for k in range(1 + n % 4)) for n in range(120)),
    )
    script = build_script(article)
    track = timed(script, 5.0)
    (section,) = plan = sections(track, script, article)
    assert_a_sound_plan(plan, track)
    assert len(section.chapters) == round(track.seconds * 1000 / CHAPTER_LENGTH)
    for chapter in section.chapters:
        assert 2 * 60 <= chapter.end - chapter.start <= 5 * 60, chapter
    openings = paragraph_starts(script, track)
    assert section.chapters[0].title == "A long read"
    for chapter in section.chapters[1:]:  # each opens a paragraph, named by its first words
        assert chapter.title == openings[chapter.start].removesuffix(".") + "."


def test_a_long_section_is_grouped_inside_and_short_ones_stay_one_chapter():
    headings = {0: "Short", 5: "Long", 125: "Tail"}
    article = Article("Headline", tuple(f"Para {n}." for n in range(130)), headings=headings)
    script = build_script(article)
    track = timed(script, 4.0)  # "Long": its heading and 120 paragraphs, 8 minutes
    plan = sections(track, script, article)
    assert_a_sound_plan(plan, track)
    assert [section.title for section in plan] == ["Headline", "Short", "Long", "Tail"]
    assert [len(section.chapters) for section in plan] == [1, 1, 3, 1]
    long = plan[2].chapters
    assert long[0].title == "Long"
    openings = paragraph_starts(script, track)
    assert [openings[chapter.start] for chapter in long[1:]] == [c.title for c in long[1:]]
    assert all(150 <= chapter.end - chapter.start <= 190 for chapter in long), long


def test_a_paragraph_longer_than_a_chapter_is_not_cut_its_chapter_grows():
    # Five minutes of short paragraphs, one of ten minutes, five minutes of short ones.
    article = Article("Headline", tuple(f"Para {n}." for n in range(121)))
    script = Script((
        segment(0, "Headline"),
        *(segment(n, f"Para {n}.") for n in range(1, 61)),
        *(segment(61, f"Sentence {n}.") for n in range(200)),
        *(segment(n, f"Para {n}.") for n in range(62, 122)),
    ))  # fmt: skip
    track = timed(script, 3.0)
    (section,) = plan = sections(track, script, article)
    assert_a_sound_plan(plan, track)
    (longest,) = [c for c in section.chapters if c.end - c.start > LONGEST_CHAPTER / 1000]
    assert longest.title == "Sentence 0."  # it opens where the long paragraph does
    starts = {text: start for start, text in paragraph_starts(script, track).items()}
    assert longest.end == starts["Para 62."]  # ... and ends where the next does
    for chapter in section.chapters:  # the others stay a few minutes long
        assert chapter is longest or 60 <= chapter.end - chapter.start <= 5 * 60, chapter


@pytest.mark.parametrize(
    ("paragraphs", "every", "seconds_each"),
    [
        (0, None, 1.0),  # the headline alone
        (1, None, 0.4),
        (600, None, 0.4),  # under five minutes: a chapter per paragraph, but 255 at most
        (1200, None, 60.0),  # 20 hours: chapters of 4.7 minutes, 255 of them
        (600, 1, 1.0),  # a heading on every paragraph: 601 sections share 255
        (1200, 1100, 60.0),  # a section of 18 hours: 255 chapters in it
    ],
)
def test_no_table_of_contents_holds_more_than_255_whatever_the_length(
    paragraphs, every, seconds_each
):
    headings = {n: f"Part {n}" for n in range(0, paragraphs, every)} if every else {}
    article = Article("Headline", tuple(f"Para {n}." for n in range(paragraphs)), headings=headings)
    script = build_script(article)
    track = timed(script, seconds_each)
    plan = sections(track, script, article)
    assert_a_sound_plan(plan, track)
    if paragraphs >= MAX_CHILDREN:  # as many as a table holds
        assert max(len(plan), *map(len, (s.chapters for s in plan))) == MAX_CHILDREN
    if every == 1:  # neighbouring sections share one, named by the first
        titles = [section.title for section in plan]
        numbers = [int(title.split()[1]) for title in titles[1:]]
        assert numbers == sorted(numbers) and len(titles) == MAX_CHILDREN
    if seconds_each == 60.0:  # a section's chapters even, for all their count
        for section in plan[1:]:
            lengths = [chapter.end - chapter.start for chapter in section.chapters]
            assert max(lengths) - min(lengths) <= 2 * seconds_each + 0.01


def test_an_empty_script_has_no_chapters():
    assert sections(timed(Script(())), Script(()), Article("Headline", ())) == []


# --- The files publish wrote, against the track, the MP3 and ffmpeg ------------------------


def both_subtitles(mp3: Path) -> list[list[tuple[float, float, str]]]:
    return [parse_vtt(files(mp3)["vtt"]), parse_srt(files(mp3)["srt"])]


def flat(text: str) -> str:
    return text.replace("\n", " ")


def by_sentence(parsed: list[tuple[float, float, str]]) -> list[list[tuple[float, float, str]]]:
    """The parsed cues, in runs that show each script segment in turn."""
    runs, remaining = [], iter(parsed)
    for segment in SCRIPT.segments:
        run = [next(remaining)]
        while len(" ".join(flat(text) for *_, text in run)) < len(segment.text):
            run.append(next(remaining))
        assert " ".join(flat(text) for *_, text in run) == segment.text
        runs.append(run)
    assert next(remaining, None) is None
    return runs


def test_every_cue_is_two_lines_of_42_characters_at_most_and_7_seconds(published):
    # No tolerance needed here: no word of this article is longer than a line.
    mp3, _ = published
    for parsed in both_subtitles(mp3):
        assert len(parsed) > len(SCRIPT.segments)  # some sentences did need cutting
        for start, end, text in parsed:
            lines = text.split("\n")
            assert len(lines) <= 2 and all(len(line) <= LINE_CHARS for line in lines), text
            assert end - start <= MAX_CUE_SECONDS + 0.001, text  # + the millisecond rounding


def test_the_cues_show_the_article_as_written(published):
    mp3, _ = published
    spoken = " ".join(segment.spoken for segment in SCRIPT.segments)
    assert "December twenty-fifth" in spoken and "one point two billion" in spoken
    for parsed in both_subtitles(mp3):
        shown = " ".join(flat(text) for _, _, text in parsed)
        assert shown == WRITTEN
        assert "Dec. 25" in shown and "$1.2 billion" in shown and "December" not in shown


def test_each_sentence_s_cues_tile_the_time_the_track_speaks_it(published):
    mp3, track = published
    for parsed in both_subtitles(mp3):
        runs = by_sentence(parsed)
        for run, start, end in zip(runs, track.starts, track.ends, strict=True):
            assert run[0][0] == pytest.approx(start, abs=0.0005)
            assert run[-1][1] == pytest.approx(end, abs=0.0005)
            assert all(cue_start < cue_end for cue_start, cue_end, _ in run)
            assert all(before[1] == after[0] for before, after in itertools.pairwise(run))
        counts = {
            segment.text: len(run) for segment, run in zip(SCRIPT.segments, runs, strict=True)
        }
        assert counts[ARTICLE.headline] == counts["Harbour fees will not change."] == 1
        assert counts[SLOW] == 2  # cut by time alone
        evans = next(text for text in counts if text.startswith("Dr. Ruth Evans"))
        assert counts[ARTICLE.paragraphs[1]] == 2 and counts[evans] >= 3


def test_the_mp3_tags_show_the_article_as_written(published):
    mp3, _ = published
    tags = ID3(mp3)
    transcript = tags.getall("USLT")[0].text
    assert transcript == SCRIPT.transcript
    assert transcript.startswith(
        ARTICLE.headline + "\n\nShips left the harbour at dawn on Dec. 25."
    )
    assert "40 000 tonnes" in transcript and "$1.2 billion, or about 4%" in transcript
    assert "December" not in transcript and "dollars" not in transcript
    assert tags.getall("COMM")[0].text == ["Ships left the harbour at dawn on Dec. 25."]


def test_ffmpeg_reads_both_subtitle_files_as_we_do(published):
    # An independent reader of both formats: ffmpeg's WebVTT and SubRip demuxers.
    mp3, _ = published
    for sidecar, parse in zip(sidecar_paths(mp3)[:2], (parse_vtt, parse_srt), strict=True):
        result = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(sidecar), "-f", "srt", "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert result.stderr == ""
        assert parse_srt(result.stdout) == parse(sidecar.read_text(encoding="utf-8"))


def test_chapters_json_matches_the_chap_frames(published):
    mp3, track = published
    document = json.loads(files(mp3)["json"])
    assert document["version"] == "1.2.0" and document["fileName"] == mp3.name
    frames = chap_frames(mp3)
    assert [(c["startTime"], c["endTime"], c["title"]) for c in document["chapters"]] == [
        (frame.start_time / 1000, frame.end_time / 1000, frame.sub_frames["TIT2"].text[0])
        for frame in frames
    ]
    assert [c["title"] for c in document["chapters"]] == [ARTICLE.headline, "What comes next"]
    assert document["chapters"][-1]["endTime"] == round(track.seconds * 1000) / 1000


def test_ffmpeg_finds_the_chapters_where_the_chap_frames_put_them(published):
    mp3, _ = published
    frames = chap_frames(mp3)
    found = ffmpeg_chapters(mp3)
    assert [title for _, _, title in found] == [f.sub_frames["TIT2"].text[0] for f in frames]
    assert [start for start, _, _ in found] == pytest.approx(
        [f.start_time / 1000 for f in frames], abs=0.001
    )
    assert [end for _, end, _ in found] == pytest.approx(
        [f.end_time / 1000 for f in frames], abs=0.001
    )


def test_a_chapter_starts_exactly_where_its_first_sentence_cue_does(published):
    mp3, _ = published
    cue_starts = {flat(text): start for start, _, text in parse_vtt(files(mp3)["vtt"])}
    document = json.loads(files(mp3)["json"])
    first, *others = document["chapters"]
    assert first["startTime"] == 0  # the top of the file, before the first cue
    assert first["startTime"] < cue_starts[ARTICLE.headline]
    for chapter in others:
        # A section's first sentence is its heading.
        assert chapter["startTime"] == cue_starts[chapter["title"]]


def test_cues_and_chapters_share_one_rounding():
    article = Article("Headline", ("One.", "Two."))
    script = build_script(article)
    # Times that fall between milliseconds.
    track = Track(Spool.silent(4.0, 22050), (0.3004, 1.2346, 2.0006), (1, 2, 3))
    cue_starts = [cue.start for cue in cues(track, script)]
    assert cue_starts == [0.3, 1.235, 2.001]
    found = chapter_list(sections(track, script, article))
    assert [c.start for c in found[1:]] == cue_starts[1:]


def published_with_tones(article: Article, folder: Path, seconds: float = 0.3) -> Path:
    """The article published as audiogen publishes it, a short tone for each sentence."""
    script = build_script(article)
    audio = [[tone(seconds, padding=0.02)] for _ in script.segments]
    return publish(assemble(script, audio, Pauses(0.05, 0.1, 0.1, 0.1)), script, article, folder)


def test_ffmpeg_lists_the_chapters_in_time_order_whatever_their_titles(tmp_path):
    # Titles that shrink as the article goes on: frames sorted by size would come backwards.
    headings = {index: "Part " + "x" * (40 - 3 * index) for index in range(1, 12)}
    article = Article(
        "Harbour news", tuple(f"Paragraph {n} is here." for n in range(12)), headings=headings
    )
    mp3 = published_with_tones(article, tmp_path)
    found = ffmpeg_chapters(mp3)
    assert [title for _, _, title in found] == ["Harbour news", *headings.values()]
    assert [start for start, _, _ in found] == sorted(start for start, _, _ in found)
    assert found == [
        (f.start_time / 1000, f.end_time / 1000, f.sub_frames["TIT2"].text[0])
        for f in chap_frames(mp3)
    ]


@pytest.mark.parametrize("paragraphs", [MAX_CHILDREN - 1, MAX_CHILDREN, 600])
def test_a_short_piece_of_many_paragraphs_has_at_most_255_chapters_in_every_file(
    tmp_path, paragraphs
):
    article = Article("A long read", tuple(f"Paragraph {n}." for n in range(paragraphs)))
    mp3 = published_with_tones(article, tmp_path, seconds=0.05)
    frames = chap_frames(mp3)
    # Past 255, neighbouring paragraphs share chapters, each as many give or take one.
    assert len(frames) == min(paragraphs + 1, MAX_CHILDREN)
    titles = [frame.sub_frames["TIT2"].text[0] for frame in frames]
    assert titles[0] == "A long read"
    numbers = [int(title.split()[1].rstrip(".")) for title in titles[1:]]
    assert numbers == sorted(set(numbers)) and numbers[-1] >= paragraphs - 3
    found = ffmpeg_chapters(mp3)
    assert [title for _, _, title in found] == titles  # in time order, every one
    assert found[-1][1] == pytest.approx(MP3(mp3).info.length, abs=0.1)
    document = json.loads(files(mp3)["json"])
    assert [chapter["title"] for chapter in document["chapters"]] == titles


def test_a_long_section_is_a_nested_table_of_contents_in_the_mp3(tmp_path):
    # "The long part" is 20 paragraphs of 16 seconds: over five minutes, two chapters.
    headings = {0: "Before", 2: "The long part", 22: "After"}
    article = Article(
        "Harbour long read", tuple(f"Paragraph {n}." for n in range(24)), headings=headings
    )
    script = build_script(article)
    long = range(3, 23)  # the long part's paragraph numbers (heading at index 2: paragraph 3)
    audio = [
        [tone(16.0 if s.paragraph in long and s.text.startswith("Para") else 0.3, padding=0.02)]
        for s in script.segments
    ]
    track = assemble(script, audio, Pauses(0.05, 0.1, 0.1, 0.1))
    mp3 = publish(track, script, article, tmp_path)
    tags = ID3(mp3)
    top = tags["CTOC:toc"]
    assert top.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert top.sub_frames["TIT2"].text == ["Harbour long read"]
    assert top.child_element_ids == ["chp0", "chp1", "toc2", "chp4"]
    nested = tags["CTOC:toc2"]
    assert nested.flags == CTOCFlags.ORDERED  # not a second top level
    assert nested.sub_frames["TIT2"].text == ["The long part"]
    assert nested.child_element_ids == ["chp2", "chp3"]
    assert len(tags.getall("CTOC")) == 2
    frames = chap_frames(mp3)
    titles = [frame.sub_frames["TIT2"].text[0] for frame in frames]
    assert titles[:3] == ["Harbour long read", "Before", "The long part"]
    assert titles[3].startswith("Paragraph 1") and titles[4] == "After"
    length = MP3(mp3).info.length
    starts = [frame.start_time for frame in frames]
    assert starts == sorted(set(starts)) and frames[-1].end_time / 1000 == pytest.approx(
        length, abs=0.1
    )
    # ffmpeg lists the CHAPs alone, flat, as they lie in the file: in time order.
    assert ffmpeg_chapters(mp3) == [
        (f.start_time / 1000, f.end_time / 1000, f.sub_frames["TIT2"].text[0]) for f in frames
    ]
    document = json.loads(files(mp3)["json"])
    assert [(c["title"], c["section"]) for c in document["chapters"]] == [
        ("Harbour long read", "Harbour long read"), ("Before", "Before"),
        ("The long part", "The long part"), (titles[3], "The long part"), ("After", "After"),
    ]  # fmt: skip
