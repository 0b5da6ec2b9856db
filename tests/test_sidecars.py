"""Sidecars: subtitles (WebVTT, SubRip) and Podcasting 2.0 chapters beside each MP3.

The files publish really writes are parsed back and held against the track's own timings,
the MP3's CHAP frames (read with mutagen) and the chapters ffmpeg finds in the MP3.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import imageio_ffmpeg
import pytest
from mutagen.id3 import ID3

from audiogen.article import Article
from audiogen.assemble import AudioSegment, Track, assemble
from audiogen.publish import publish, sidecar_paths
from audiogen.script import Script, Segment, build_script
from audiogen.sidecars import (
    Chapter,
    Cue,
    chapters,
    chapters_json,
    cues,
    subrip,
    webvtt,
)
from audiogen.voices import Pauses
from tests.test_assemble import tone

ARTICLE = Article(
    headline="Ports reopen after the storm",
    paragraphs=(
        "Ships left the harbour at dawn. Crews had waited three days.",
        "The storm closed every port on the coast, and the coastguard says the damage to the "
        "northern breakwater will take until the spring to mend.",
        "Insurers expect claims to rise. Harbour fees will not change.",
    ),
    published=datetime(2023, 3, 4, 15, 14),
    headings={2: "What comes next"},
)
SCRIPT = build_script(ARTICLE)
PAUSES = Pauses(sentence=0.3, paragraph=0.8, headline=1.1)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Track]:
    # Sentences of different lengths, so no two cues last the same.
    audio = [[tone(0.4 + 0.1 * index)] for index in range(len(SCRIPT.segments))]
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
    """(start, end, text) of each cue; the cue's lines joined with spaces, entities read."""
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    parsed = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if "-->" not in lines[0]:
            lines = lines[1:]  # an identifier
        timing = re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", lines[0])
        assert timing, lines[0]
        words = " ".join(lines[1:])
        assert words and "<" not in words and "-->" not in words
        words = words.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        parsed.append((seconds(*timing.groups()[:4]), seconds(*timing.groups()[4:]), words))
    return parsed


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue; cues must be numbered 1, 2, 3..."""
    parsed = []
    for number, block in enumerate(text.rstrip("\n").split("\n\n"), start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        timing = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert timing, lines[1]
        words = " ".join(lines[2:])
        assert words
        parsed.append((seconds(*timing.groups()[:4]), seconds(*timing.groups()[4:]), words))
    return parsed


def chap_frames(mp3: Path) -> list:
    tags = ID3(mp3)
    return [tags[f"CHAP:{element}"] for element in tags["CTOC:toc"].child_element_ids]


def ffmpeg_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    """The chapters ffmpeg reads from the MP3: `ffmpeg -i` prints them on standard error."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(mp3)],
                            capture_output=True, text=True)  # fmt: skip
    found = re.findall(
        r"Chapter #\d+:\d+: start (\d+\.\d+), end (\d+\.\d+)\n\s+Metadata:\n\s+title\s+: (.*)\n",
        result.stderr,
    )
    # ffmpeg lists them in the order the frames lie in the file; the CTOC gives the order.
    return sorted((float(start), float(end), title) for start, end, title in found)


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


def test_long_sentences_wrap_to_even_lines_and_short_ones_do_not():
    short = "The storm closed every port on the coast."  # 41 characters
    long = "The storm closed every port on the coast, and the coastguard says it is over."
    lines = subrip([Cue(0, 1, short), Cue(1, 2, long)]).rstrip().split("\n\n")[1].split("\n")[2:]
    assert subrip([Cue(0, 1, short)]).split("\n")[2:] == [short, ""]
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 10
    assert " ".join(lines) == long


def test_chapters_json_is_podcasting_2_0():
    document = json.loads(
        chapters_json(
            [Chapter(0.0, 5.38, "Ports reopen"), Chapter(5.38, 7.5, "What comes next")],
            title="Ports reopen",
            file_name="a.mp3",
        )
    )
    assert document == {
        "version": "1.2.0",
        "title": "Ports reopen",
        "fileName": "a.mp3",
        "chapters": [
            {"startTime": 0.0, "endTime": 5.38, "title": "Ports reopen"},
            {"startTime": 5.38, "endTime": 7.5, "title": "What comes next"},
        ],
    }


# --- Chapters: sections, else paragraphs; a publisher's intro and outro in the edge ones -----


def timed(script: Script, seconds_each: float = 1.0) -> Track:
    """A silent track with one segment a second: chapters need only the times."""
    count = len(script.segments)
    starts = tuple(0.3 + index * seconds_each for index in range(count))
    audio = AudioSegment.silent(duration=(0.3 + count * seconds_each + 0.7) * 1000)
    return Track(audio, starts, tuple(start + 0.5 for start in starts))


def segment(paragraph: int, text: str) -> Segment:
    return Segment(paragraph, text, text, (text,))


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
    assert chapters(timed(script), script, article) == [
        Chapter(0.0, 2.3, "Headline"),  # from the top: the intro, then the headline
        Chapter(2.3, 4.3, "One two."),
        Chapter(4.3, 7.0, "Four five six seven eight nine ten eleven…"),  # the outro with it
    ]


def test_with_headings_each_section_is_a_chapter():
    article = Article(
        "Headline",
        ("Intro.", "More intro.", "Section one.", "Still one.", "Section two."),
        headings={2: "First", 4: "Second"},
    )
    script = build_script(article)
    found = chapters(timed(script), script, article)
    assert [chapter.title for chapter in found] == ["Headline", "First", "Second"]
    # A section starts with its heading, said aloud.
    starts = {s.text: timed(script).starts[i] for i, s in enumerate(script.segments)}
    assert [chapter.start for chapter in found[1:]] == [starts["First"], starts["Second"]]


# --- The files publish wrote, against the track, the MP3 and ffmpeg ------------------------


def test_subtitle_cues_are_the_segments_where_the_track_speaks_them(published):
    mp3, track = published
    expected = [segment.spoken for segment in SCRIPT.segments]
    for parsed in (parse_vtt(files(mp3)["vtt"]), parse_srt(files(mp3)["srt"])):
        assert [text for _, _, text in parsed] == expected
        assert [start for start, _, _ in parsed] == pytest.approx(track.starts, abs=0.001)
        assert [end for _, end, _ in parsed] == pytest.approx(track.ends, abs=0.001)


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
    cue_starts = {text: start for start, _, text in parse_vtt(files(mp3)["vtt"])}
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
    track = Track(AudioSegment.silent(duration=4000), (0.3004, 1.2346, 2.0006), (1, 2, 3))
    cue_starts = [cue.start for cue in cues(track, script)]
    assert cue_starts == [0.3, 1.235, 2.001]
    assert [c.start for c in chapters(track, script, article)[1:]] == cue_starts[1:]
