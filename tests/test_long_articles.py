"""A long read through the command line: 300 paragraphs, more than a table of contents holds.

Each paragraph is one sentence of three words (two are longer, so that the page reads as an
article), which keeps the speech short: ten minutes of audio. Converted with and without
section headings by `audiogen convert` and the real voice; the chapters are read back from
the MP3 with mutagen (the tables of contents and their CHAPs) and with ffmpeg (its
ffmetadata listing), from the JSON sidecar and against the decoded audio.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from mutagen.id3 import ID3, CTOCFlags

from audiogen.publish import sidecar_paths
from audiogen.sidecars import CHAPTER_LENGTH, LONGEST_CHAPTER, MAX_CHILDREN
from tests.conftest import DECODE_RATE, decode_mp3, run_cli, speech_onsets
from tests.test_sidecars import chaps_under, parse_vtt

pytestmark = pytest.mark.slow

HEADLINE = "A harbour in three hundred lines"
LEAD = (
    "The harbour wakes before the town does, and every morning it follows the same order of "
    "small tasks, from the first lamps on the quay to the last boat out."
)
TURN = (
    "What follows is the long part of the day, when the work is slow and the light changes "
    "over the water more than anything else does."
)
ADJECTIVES = "Grey Quiet Early Cold Small Old Bright Slow Tall Wet".split()
NOUNS = "boats ferries gulls crews tides ropes cranes lamps nets docks".split()
VERBS = "wait drift rest turn sway shine".split()
SHORT = [f"{a} {n} {v}." for a, n, v in itertools.product(ADJECTIVES, NOUNS, VERBS)][::2][:298]
PARAGRAPHS = [LEAD, *SHORT[:9], TURN, *SHORT[9:]]
# Section headings before these paragraphs: a short lead, a long part, a shorter rest.
HEADINGS = {10: "The long part", 210: "The rest"}


def page(headings: dict[int, str]) -> str:
    body = "".join(
        (f"<h2>{headings[number]}</h2>" if number in headings else "") + f"<p>{text}</p>\n"
        for number, text in enumerate(PARAGRAPHS)
    )
    return (
        f'<html lang="en"><head><title>{HEADLINE}</title></head><body>\n'
        f"<article><h1>{HEADLINE}</h1>\n{body}</article></body></html>"
    )


def converted(folder: Path, headings: dict[int, str]) -> Path:
    source = folder / "long.html"
    source.write_text(page(headings), encoding="utf-8")
    result = run_cli("convert", str(source), "-o", str(folder / "out"), "--quiet")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return Path(result.stdout.strip())


@pytest.fixture(scope="module")
def sectioned(tmp_path_factory) -> Path:
    return converted(tmp_path_factory.mktemp("sectioned"), HEADINGS)


@pytest.fixture(scope="module")
def unsectioned(tmp_path_factory, sectioned) -> Path:
    # After the sectioned one: every sentence is in the chunk cache by then.
    return converted(tmp_path_factory.mktemp("unsectioned"), {})


def ffmpeg_metadata_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    """The [CHAPTER] blocks of `ffmpeg -i MP3 -f ffmetadata -`, in the order it lists them."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "ffmetadata", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = []
    for block in result.stdout.split("[CHAPTER]\n")[1:]:
        fields = dict(re.findall(r"^(\w+)=(.*)$", block, re.MULTILINE))
        scale = {"1/1000": 1000, "1/1000000000": 1e9}[fields["TIMEBASE"]]
        found.append((int(fields["START"]) / scale, int(fields["END"]) / scale, fields["title"]))
    return found


def chapters_of(mp3: Path) -> list[tuple[float, float, str]]:
    """The CHAPs under the top-level CTOC, nested tables walked through, as (start, end, title)."""
    tags = ID3(mp3)
    return [
        (frame.start_time / 1000, frame.end_time / 1000, frame.sub_frames["TIT2"].text[0])
        for frame in chaps_under(tags, "toc")
    ]


def check_chapters_against_the_file(mp3: Path) -> list[tuple[float, float, str]]:
    """What holds for any converted article: returns its chapters (start, end, title)."""
    tags = ID3(mp3)
    tables = tags.getall("CTOC")
    assert all(len(table.child_element_ids) <= MAX_CHILDREN for table in tables)
    assert [t.element_id for t in tables if t.flags & CTOCFlags.TOP_LEVEL] == ["toc"]
    assert all(table.flags & CTOCFlags.ORDERED for table in tables)
    found = chapters_of(mp3)
    # Every CHAP in the file is in a table of contents, once.
    assert sorted(f.element_id for f in tags.getall("CHAP")) == sorted(
        f.element_id for f in chaps_under(tags, "toc")
    )
    # In time order, tiling the audio as decoded.
    seconds = len(decode_mp3(mp3)) / DECODE_RATE
    assert found[0][0] == 0 and found[-1][1] == pytest.approx(seconds, abs=0.1)
    assert all(start < end <= seconds + 0.1 for start, end, _ in found)
    assert all(before[1] == after[0] for before, after in itertools.pairwise(found))
    # ffmpeg lists the same chapters, flat, in time order: its command line puts them on the
    # timeline of the audio it decodes, which starts after LAME's delay (25 ms), so they come
    # that much earlier (the first clipped at 0) than the CHAP frames say.
    listed = ffmpeg_metadata_chapters(mp3)
    assert [title for *_, title in listed] == [title for *_, title in found]
    shifts = [ours - theirs for (ours, _, _), (theirs, _, _) in zip(found, listed, strict=True)]
    shifts += [ours - theirs for (_, ours, _), (_, theirs, _) in zip(found, listed, strict=True)]
    assert listed[0][0] == 0 and min(shifts[1:]) >= 0 and max(shifts) <= 0.03
    assert max(shifts[1:]) - min(shifts[1:]) <= 0.001  # one shift, the same for every time
    # Each chapter but the first opens where a paragraph's speech does, named by its text.
    cue_texts = {start: text for start, _, text in parse_vtt(sidecar_paths(mp3)[0].read_text())}
    onsets = speech_onsets(decode_mp3(mp3), min_gap=0.5)
    for start, _, title in found[1:]:
        assert cue_texts[start].replace("\n", " ").startswith(title.rstrip("…"))
        assert min(abs(onset - start) for onset in onsets) < 0.05, (start, title)
    return found


def json_chapters(mp3: Path) -> list[dict]:
    document = json.loads(sidecar_paths(mp3)[2].read_text(encoding="utf-8"))
    assert document["fileName"] == mp3.name and document["title"] == HEADLINE
    return document["chapters"]


def test_sections_are_nested_tables_of_contents_and_a_long_one_is_grouped(sectioned):
    found = check_chapters_against_the_file(sectioned)
    tags = ID3(sectioned)
    top = tags["CTOC:toc"]
    assert top.sub_frames["TIT2"].text == [HEADLINE]
    # The lead (30 seconds) and the rest (3 minutes) are a chapter each; the long part (7
    # minutes) is a table of its own, of chapters of a few minutes.
    lead, long, rest = top.child_element_ids
    assert lead.startswith("chp") and rest.startswith("chp") and long == "toc1"
    nested = tags["CTOC:toc1"]
    assert nested.sub_frames["TIT2"].text == ["The long part"]
    assert not nested.flags & CTOCFlags.TOP_LEVEL
    inside = [(f.start_time, f.end_time) for f in chaps_under(tags, "toc1")]
    span = inside[-1][1] - inside[0][0]
    assert span > LONGEST_CHAPTER and len(inside) == round(span / CHAPTER_LENGTH) >= 2
    assert all(2 * 60_000 <= end - start <= 5 * 60_000 for start, end in inside)
    rest_start, rest_end = tags[f"CHAP:{rest}"].start_time, tags[f"CHAP:{rest}"].end_time
    assert rest_end - rest_start <= LONGEST_CHAPTER
    titles = [title for *_, title in found]
    assert titles[0] == HEADLINE and titles[1] == "The long part" and titles[-1] == "The rest"
    sections = [HEADLINE] + ["The long part"] * len(inside) + ["The rest"]
    assert [(c["startTime"], c["endTime"], c["title"], c["section"]) for c in
            json_chapters(sectioned)] == [(*chapter, section) for chapter, section in
                                          zip(found, sections, strict=True)]  # fmt: skip


def test_a_long_piece_without_headings_has_chapters_of_a_few_minutes(unsectioned):
    found = check_chapters_against_the_file(unsectioned)
    tags = ID3(unsectioned)
    assert [table.element_id for table in tags.getall("CTOC")] == ["toc"]
    # 301 paragraph openings, grouped into chapters of a few minutes.
    assert 3 <= len(found) <= 4
    assert all(2 * 60 <= end - start <= 5 * 60 for start, end, _ in found)
    assert found[0][2] == HEADLINE and all(title in SHORT for *_, title in found[1:])
    assert [(c["startTime"], c["endTime"], c["title"]) for c in json_chapters(unsectioned)] == [
        tuple(chapter) for chapter in found
    ]
    assert all("section" not in c for c in json_chapters(unsectioned))
