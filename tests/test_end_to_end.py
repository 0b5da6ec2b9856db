"""The bundled sample through the real pipeline and the real Piper voice, checked on the MP3."""

import json
import re

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from tests.conftest import SAMPLE, decode_mp3, run_cli, speech_onsets, written

HEADLINE = "China strengthens ties with Russia, defends war stance"
PAGE_AROUND = [
    "Skip to content", "Edit post", "min read", "This audio is created", "News Feed",
    "85,000", "eighty-five thousand", "CIA", "IMF", "MORE NEWS", "Editors", "Subscribe",
    "indicates required", "email", "Kate Tsurkan", "Successfuly", "newsletter",
]  # fmt: skip


@pytest.fixture(scope="module")
def tags(sample_mp3):
    return ID3(sample_mp3)


@pytest.fixture(scope="module")
def transcript(tags):
    return tags.getall("USLT")[0].text


def test_the_file_is_named_from_date_and_headline(sample_mp3):
    assert sample_mp3.name == "2022-12-25-china-strengthens-ties-with-russia-defends-war-stance.mp3"
    assert written(sample_mp3.parent) == [sample_mp3.name]  # no leftovers


def test_it_decodes_cleanly_and_lasts_as_long_as_its_words(sample_mp3, transcript):
    samples = decode_mp3(sample_mp3)  # raises on any ffmpeg error
    seconds = len(samples) / 22050
    assert seconds == pytest.approx(MP3(sample_mp3).info.length, abs=0.1)
    words = len(transcript.split())
    assert 130 <= words / (seconds / 60) <= 200, (words, seconds)


def test_every_tag(tags, sample_mp3):
    assert tags["TIT2"].text == [HEADLINE]
    assert tags["TPE1"].text == ["The Kyiv Independent news desk"]
    assert tags["TALB"].text == ["The Kyiv Independent"]
    stamp = tags["TDRC"].text[0]
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute) == (2022, 12, 25, 20, 54)
    assert tags["TCON"].text == ["Speech"]
    assert tags["TLAN"].text == ["eng"]
    assert tags.getall("COMM")[0].text[0].startswith("In an address on Dec. 25, Chinese Foreign")
    assert tags["WOAS"].url == "https://kyivindependent.com/china-strengthens-ties"
    assert int(tags["TLEN"].text[0]) / 1000 == pytest.approx(MP3(sample_mp3).info.length, abs=0.1)


def test_chapters_start_where_each_paragraph_starts_in_the_audio(tags, sample_mp3):
    toc = tags["CTOC:toc"]
    chapters = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert len(chapters) == 7  # the headline, then six paragraphs
    assert chapters[0].sub_frames["TIT2"].text == [HEADLINE]
    assert chapters[1].sub_frames["TIT2"].text[0].startswith("In an address on Dec. 25")
    # Sentence pauses are 0.35 s; paragraph and headline pauses are 0.9 s and more.
    onsets = speech_onsets(decode_mp3(sample_mp3), min_gap=0.7)
    assert [c.start_time / 1000 for c in chapters[1:]] == pytest.approx(onsets, abs=0.05)
    assert chapters[-1].end_time / 1000 == pytest.approx(MP3(sample_mp3).info.length, abs=0.1)


def test_the_transcript_has_every_sentence_and_nothing_of_the_page_around(transcript):
    segments = json.loads(run_cli("script", str(SAMPLE), "--json").stdout)["segments"]
    assert len(segments) == 8  # the headline and seven sentences; paragraph 5 has two
    for segment in segments:
        assert segment["text"] in transcript  # the article as written, for reading
    assert transcript.startswith(HEADLINE + "\n\nIn an address on Dec. 25,")
    assert transcript.rstrip().endswith("Joe Biden.")
    assert "$200 billion" in transcript and "December twenty-fifth" not in transcript
    assert len(re.findall(r"\n\n", transcript)) == 6
    for text in PAGE_AROUND:
        assert text not in transcript
