import itertools
from datetime import datetime
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

import audiogen.publish as publish_module
from audiogen.article import Article
from audiogen.assemble import assemble
from audiogen.errors import AudiogenError
from audiogen.publish import output_name, publish
from audiogen.script import Script, Segment
from audiogen.voices import Pauses
from tests.conftest import decode_mp3, speech_onsets
from tests.test_assemble import tone

ARTICLE = Article(
    headline="Ports reopen after the storm",
    paragraphs=("First paragraph. It has two sentences.", "Second paragraph."),
    byline="Jane Doe",
    published=datetime(2023, 3, 4, 15, 14),
    publisher="Example News",
    language="en",
    url="https://example.com/ports",
)
SCRIPT = Script(
    (
        Segment(0, ARTICLE.headline, ARTICLE.headline, (ARTICLE.headline,)),
        Segment(1, "First paragraph.", "First paragraph.", ("First paragraph.",)),
        Segment(1, "It has two sentences.", "It has two sentences.", ("It has two sentences.",)),
        Segment(2, "Second paragraph.", "Second paragraph.", ("Second paragraph.",)),
    )
)


def article_named(headline: str) -> Article:
    return Article(headline=headline, paragraphs=("Body.",), published=datetime(2022, 12, 25))


@pytest.mark.parametrize(
    ("headline", "name"),
    [
        ("China strengthens ties with Russia, defends war stance",
         "2022-12-25-china-strengthens-ties-with-russia-defends-war-stance.mp3"),
        ("../../etc/passwd", "2022-12-25-etc-passwd.mp3"),
        ('He said "no" / she said \'yes\' \\ C:\\x', "2022-12-25-he-said-no-she-said-yes-c-x.mp3"),
        ("Café owners’ ½ measures", "2022-12-25-cafe-owners-1-2-measures.mp3"),
        ("Київ вистояв", "2022-12-25-київ-вистояв.mp3"),
        ("...", "2022-12-25-article.mp3"),
    ],
)  # fmt: skip
def test_output_names_are_plain_and_stay_in_the_folder(headline, name):
    assert output_name(article_named(headline)) == name


def test_long_headlines_are_cut_at_a_word():
    name = output_name(article_named("word " * 60))  # 300 characters
    assert len(name) <= len("2022-12-25-.mp3") + 80
    assert name.endswith("-word.mp3")


def test_undated_articles_say_so():
    assert output_name(Article("A headline", ("Body.",))) == "undated-a-headline.mp3"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, object]:
    audio = [[tone(0.8)], [tone(1.0)], [tone(0.6)], [tone(0.9)]]
    track = assemble(SCRIPT, audio, Pauses(0.3, 0.8, 1.1))
    folder = tmp_path_factory.mktemp("published")
    return publish(track, SCRIPT, ARTICLE, folder), track


def test_every_tag_reads_back(written):
    path, track = written
    tags = ID3(path)
    assert path.name == "2023-03-04-ports-reopen-after-the-storm.mp3"
    assert tags["TIT2"].text == [ARTICLE.headline]
    assert tags["TPE1"].text == ["Jane Doe"]
    assert tags["TALB"].text == ["Example News"]
    stamp = tags["TDRC"].text[0]
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute) == (2023, 3, 4, 15, 14)
    assert b"2023-03-04T15:14" in path.read_bytes()[:4096]  # ID3v2.4's own form, on disk
    assert tags["TCON"].text == ["Speech"]
    assert tags["TLAN"].text == ["eng"]
    assert tags.getall("COMM")[0].text == ["First paragraph."]
    assert tags.getall("USLT")[0].text == (
        "Ports reopen after the storm\n\nFirst paragraph. It has two sentences.\n\n"
        "Second paragraph."
    )
    assert tags["WOAS"].url == "https://example.com/ports"
    assert int(tags["TLEN"].text[0]) == round(track.seconds * 1000)
    assert MP3(path).info.length == pytest.approx(track.seconds, abs=0.06)


def test_chapters_cover_the_file_and_start_where_paragraphs_do(written):
    path, track = written
    tags = ID3(path)
    toc = tags["CTOC:toc"]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chapters = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [
        ARTICLE.headline,
        "First paragraph.",
        "Second paragraph.",
    ]
    assert chapters[0].start_time == 0
    assert chapters[-1].end_time == round(track.seconds * 1000)
    for before, after in itertools.pairwise(chapters):
        assert before.end_time == after.start_time
    # Paragraph chapters open where the decoded audio resumes after a paragraph-long pause.
    onsets = speech_onsets(decode_mp3(path), min_gap=0.7)
    assert [c.start_time / 1000 for c in chapters[1:]] == pytest.approx(onsets, abs=0.05)


def test_a_failed_encode_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(track, temporary):
        Path(temporary).write_bytes(b"half an mp3")
        raise AudiogenError("MP3 encoding failed: disk on fire")

    monkeypatch.setattr(publish_module, "_encode", broken)
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    with pytest.raises(AudiogenError):
        publish(track, SCRIPT, ARTICLE, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    with pytest.raises(AudiogenError, match="cannot write"):
        publish(track, SCRIPT, ARTICLE, blocker / "out")
