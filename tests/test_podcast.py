"""The podcast feed as podcast apps read it: real MP3s with our tags, `audiogen feed` run as a
user runs it, and the feed parsed by feedparser and by podcastparser (gPodder's parser).

The MP3s are made from tones rather than speech (publish does not care what it encodes), so
these tests need no voice and take seconds.
"""

import calendar
import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import feedparser
import podcastparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image

from audiogen.article import Article
from audiogen.assemble import assemble
from audiogen.narration import Script, Segment
from audiogen.podcast import PODCAST_NS, build_feed
from audiogen.publish import publish
from audiogen.voices import Pauses
from tests.conftest import run_cli
from tests.test_assemble import tone
from tests.test_cli import one_line_error

BASE = "https://example.com/podcast/"
SIDECARS = (".vtt", ".srt", ".chapters.json")

PORTS = Article(
    headline="Ports reopen after the storm",
    paragraphs=("Ships moved again on Monday. Crews cleared the docks.", "Trade resumed."),
    byline="Jane Doe",
    published=datetime(2023, 3, 4, 15, 14),
    publisher="Example News",
    url="https://example.com/news/ports",
)
# No address, and a name that must be quoted in a URL.
KYIV = Article(
    headline="Київ вистояв",
    paragraphs=("Місто вистояло зиму.",),
    byline="Olena Petrenko",
    published=datetime(2022, 12, 25, 8, 30),
    publisher="Example News",
    language="uk",
)
MARKETS = Article(
    headline="Markets calm after the vote",
    paragraphs=("Shares rose slightly.",),
    published=datetime(2023, 5, 1, 9, 0),
    publisher="Example News",
    url="https://example.com/news/markets",
)
UNDATED = Article(headline="A note without a date", paragraphs=("Read me.",))


def script_of(article: Article) -> Script:
    """One segment for the headline and one per paragraph, written as spoken."""
    texts = [(0, article.headline)] + [(i, p) for i, p in enumerate(article.paragraphs, 1)]
    return Script(tuple(Segment(paragraph, t, t, (t,)) for paragraph, t in texts))


def mp3_of(article: Article, folder: Path) -> Path:
    """The article published as audiogen publishes it, with tones for sentences."""
    script = script_of(article)
    track = assemble(script, [[tone(0.4)] for _ in script.segments], Pauses(0.3, 0.8, 1.1))
    return publish(track, script, article, folder)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("made")
    articles = {"ports": PORTS, "kyiv": KYIV, "markets": MARKETS, "undated": UNDATED}
    return {key: mp3_of(article, folder) for key, article in articles.items()}


def copy_in(mp3: Path, folder: Path, sidecars: bool = False) -> Path:
    """The MP3 copied into `folder`, with dummy subtitles and chapters beside it or none."""
    copy = Path(shutil.copy2(mp3, folder / mp3.name))
    for suffix in SIDECARS:
        sidecar = copy.with_name(copy.stem + suffix)
        if sidecars:
            sidecar.write_text(f"dummy {suffix}\n", encoding="utf-8")
        else:
            sidecar.unlink(missing_ok=True)
    return copy


@pytest.fixture
def folder(tmp_path, made) -> Path:
    """A podcast folder: two episodes, the newer with its sidecars, and cover art."""
    folder = tmp_path / "podcast"
    folder.mkdir()
    copy_in(made["ports"], folder, sidecars=True)
    copy_in(made["kyiv"], folder)
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def make_feed(folder: Path, *options: str) -> Path:
    result = run_cli("feed", str(folder), "--title", "Saved", "--base-url", BASE, *options)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return Path(result.stdout.strip())


def read_with_podcastparser(feed: Path) -> dict:
    with feed.open("rb") as stream:
        return podcastparser.parse(BASE + feed.name, stream)


def read_with_feedparser(feed: Path):
    parsed = feedparser.parse(str(feed))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def guids(feed: Path) -> dict[str, str]:
    """File name -> guid, for each item of the feed."""
    return {
        Path(e["enclosures"][0]["url"]).name: e["guid"]
        for e in read_with_podcastparser(feed)["episodes"]
    }


def timestamp(article: Article) -> int:
    """The article's date as the feed must give it: an ID3 date has no timezone, so UTC."""
    return int(article.published.replace(tzinfo=UTC).timestamp())


def tagged_seconds(mp3: Path) -> int:
    return round(int(str(ID3(mp3)["TLEN"])) / 1000)


def test_every_episode_reads_back_in_both_parsers(folder, made):
    ports, kyiv = folder / made["ports"].name, folder / made["kyiv"].name
    feed = make_feed(folder)
    assert feed == folder / "feed.xml"

    podcast = read_with_podcastparser(feed)
    assert podcast["title"] == "Saved"
    assert podcast["link"] == BASE
    assert podcast["cover_url"] == BASE + "cover.png"  # found beside the MP3s
    assert podcast["explicit"] is False
    assert podcast["itunes_author"] == "Example News"  # the publisher, when no --author
    assert podcast["description"] == "Articles from Example News, read aloud. Made with audiogen."
    episodes = podcast["episodes"]
    assert [e["title"] for e in episodes] == [PORTS.headline, KYIV.headline]  # newest first
    for episode, mp3, article in ((episodes[0], ports, PORTS), (episodes[1], kyiv, KYIV)):
        (enclosure,) = episode["enclosures"]
        assert enclosure["url"] == BASE + quote(mp3.name)
        assert enclosure["file_size"] == mp3.stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert episode["total_time"] == tagged_seconds(mp3)
        assert episode["published"] == timestamp(article)
        assert episode["description"] == article.paragraphs[0]  # the lede (COMM)
    # The article's address names an episode for good; without one, its file name does.
    assert [e["guid"] for e in episodes] == [PORTS.url, kyiv.name]
    assert episodes[0]["link"] == PORTS.url

    parsed = read_with_feedparser(feed)
    assert parsed.version == "rss20"
    assert parsed.feed.language == "en"  # English and Ukrainian once each: the newer wins
    assert [e.title for e in parsed.entries] == [PORTS.headline, KYIV.headline]
    for entry, mp3, article in ((parsed.entries[0], ports, PORTS), (parsed.entries[1], kyiv, KYIV)):
        assert entry.guidislink is False  # isPermaLink="false"
        (enclosure,) = entry.enclosures
        assert (enclosure.href, int(enclosure.length), enclosure.type) == (
            BASE + quote(mp3.name),
            mp3.stat().st_size,
            "audio/mpeg",
        )
        assert calendar.timegm(entry.published_parsed) == timestamp(article)
        seconds = tagged_seconds(mp3)
        assert entry.itunes_duration == f"00:{seconds // 60:02d}:{seconds % 60:02d}"


def test_subtitles_and_chapters_are_linked_when_they_are_beside_the_mp3(folder):
    items = etree.parse(str(make_feed(folder))).findall("channel/item")
    ns = {"podcast": PODCAST_NS}
    stem = "2023-03-04-ports-reopen-after-the-storm"
    transcripts = [dict(t.attrib) for t in items[0].findall("podcast:transcript", ns)]
    assert transcripts == [
        {"url": f"{BASE}{stem}.vtt", "type": "text/vtt", "rel": "captions"},
        {"url": f"{BASE}{stem}.srt", "type": "application/srt", "rel": "captions"},
    ]
    chapters = [dict(c.attrib) for c in items[0].findall("podcast:chapters", ns)]
    assert chapters == [{"url": f"{BASE}{stem}.chapters.json", "type": "application/json+chapters"}]
    # The other episode has no sidecars, and no links to any.
    assert items[1].findall("podcast:*", ns) == []
    # feedparser sees the namespace for what it is.
    entry = read_with_feedparser(folder / "feed.xml").entries[0]
    assert entry.podcast_chapters["url"] == f"{BASE}{stem}.chapters.json"


def test_a_rerun_keeps_every_guid_and_adds_what_was_converted_since(folder, made):
    feed = make_feed(folder)
    first, before = guids(feed), feed.read_bytes()
    assert make_feed(folder).read_bytes() == before  # nothing new: the same feed, byte for byte

    copy_in(made["markets"], folder)
    episodes = read_with_podcastparser(make_feed(folder))["episodes"]
    assert [e["title"] for e in episodes] == [MARKETS.headline, PORTS.headline, KYIV.headline]
    now = guids(feed)
    assert {name: now[name] for name in first} == first
    assert now[made["markets"].name] == MARKETS.url


def test_guids_come_from_the_earlier_feed_first(folder):
    """A guid made by another rule (or by hand) stays what apps know the episode by."""
    feed = make_feed(folder)
    feed.write_bytes(feed.read_bytes().replace(PORTS.url.encode() + b"</guid>", b"legacy-1</guid>"))
    assert guids(make_feed(folder))["2023-03-04-ports-reopen-after-the-storm.mp3"] == "legacy-1"


def test_channel_options(folder, tmp_path):
    elsewhere = tmp_path / "feeds" / "saved.xml"
    elsewhere.parent.mkdir()
    image = "https://cdn.example.com/art/square.jpeg"  # a name feedgen's own check would drop
    feed = make_feed(
        folder,
        "--description", "What I saved this week.",
        "--language", "de",
        "--image", image,
        "--category", "News/Daily News",
        "--explicit",
        "--author", "Me",
        "-o", str(elsewhere),
    )  # fmt: skip
    assert feed == elsewhere and not (folder / "feed.xml").exists()
    podcast = read_with_podcastparser(feed)
    assert podcast["description"] == "What I saved this week."
    assert podcast["language"] == "de"
    assert podcast["cover_url"] == image
    assert podcast["itunes_categories"] == [["News", "Daily News"]]
    assert podcast["explicit"] is True
    assert podcast["itunes_author"] == "Me"
    assert len(podcast["episodes"]) == 2


def test_an_mp3_without_our_tags_is_left_out_with_one_warning(folder, made):
    foreign = Path(shutil.copy2(made["markets"], folder / "someone-elses.mp3"))
    ID3(foreign).delete()
    (folder / "broken.mp3").write_bytes(b"not an mp3 at all")
    result = run_cli("feed", str(folder), "--title", "T", "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 2, result.stderr
    assert all(line.startswith("audiogen: warning: ") for line in warnings)
    assert "broken.mp3" in warnings[0] and "someone-elses.mp3" in warnings[1]
    assert len(read_with_podcastparser(folder / "feed.xml")["episodes"]) == 2


def test_an_undated_episode_is_dated_by_its_file(tmp_path, made):
    mp3 = copy_in(made["undated"], tmp_path)
    stamp = datetime(2024, 2, 29, 12, 0, 5, tzinfo=UTC).timestamp()
    os.utime(mp3, (stamp, stamp))
    feed = tmp_path / "feed.xml"
    feed.write_bytes(build_feed(tmp_path, title="T", base_url="http://localhost:8000"))
    (episode,) = read_with_podcastparser(feed)["episodes"]
    assert episode["published"] == stamp
    assert episode["enclosures"][0]["url"] == "http://localhost:8000/" + mp3.name


def test_an_empty_folder_is_one_line_error_and_leaves_the_old_feed(tmp_path, folder):
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_line_error(run_cli("feed", str(empty), "--title", "T", "--base-url", BASE))
    assert str(empty) in line
    assert list(empty.iterdir()) == []

    before = make_feed(folder).read_bytes()
    for mp3 in folder.glob("*.mp3"):
        mp3.unlink()
    one_line_error(run_cli("feed", str(folder), "--title", "T", "--base-url", BASE))
    assert (folder / "feed.xml").read_bytes() == before
    assert not list(folder.glob(".*"))  # no temporary file left behind


@pytest.mark.parametrize(
    "url", ["ftp://example.com/podcast/", "example.com/podcast", "/srv/pod", "https://e.com/?p=1"]
)
def test_a_base_url_that_is_not_http_is_a_usage_error(folder, url):
    result = run_cli("feed", str(folder), "--title", "T", "--base-url", url)
    assert result.returncode == 2, result.stderr
    assert "--base-url" in result.stderr and "Traceback" not in result.stderr
    assert not (folder / "feed.xml").exists()


# --- Dates as podcast apps show them -----------------------------------------------------

NEW_YORK = timezone(timedelta(hours=-4))
LATE = replace(
    MARKETS,
    headline="Late vote in New York",
    published=datetime(2023, 3, 4, 23, 41, tzinfo=NEW_YORK),
    url="https://example.com/news/late-vote",
)


def test_pub_date_is_the_instant_the_page_gave_with_its_offset(tmp_path):
    mp3_of(LATE, tmp_path)
    feed = make_feed(tmp_path)
    (entry,) = read_with_feedparser(feed).entries
    instant = datetime(2023, 3, 5, 3, 41, tzinfo=UTC)  # 23:41 at -04:00, not 23:41 UTC
    assert calendar.timegm(entry.published_parsed) == instant.timestamp()
    assert entry.published == "Sat, 04 Mar 2023 23:41:00 -0400"  # the page's own local time
    (episode,) = read_with_podcastparser(feed)["episodes"]
    assert episode["published"] == instant.timestamp()


def convert_record(folder: Path, mp3: Path, when: str) -> dict:
    return {"source": f"/saved/{mp3.stem}.html", "status": "converted", "output": str(mp3),
            "converted_at": when}  # fmt: skip


def test_a_listener_s_feed_dates_episodes_by_when_they_were_converted(tmp_path, made):
    old, new, unrecorded = (copy_in(made[k], tmp_path) for k in ("kyiv", "markets", "ports"))
    records = [
        convert_record(tmp_path, old, "2024-06-02T10:00:00+02:00"),  # an old article, saved now
        convert_record(tmp_path, new, "2024-06-01T09:00:00+00:00"),
    ]
    (tmp_path / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    stamp = datetime(2024, 5, 30, 12, 0, tzinfo=UTC).timestamp()  # no record: the file's time
    os.utime(unrecorded, (stamp, stamp))

    by_added = read_with_feedparser(make_feed(tmp_path, "--date-by", "added")).entries
    assert [e.title for e in by_added] == [KYIV.headline, MARKETS.headline, PORTS.headline]
    assert [calendar.timegm(e.published_parsed) for e in by_added] == [
        datetime(2024, 6, 2, 8, 0, tzinfo=UTC).timestamp(),
        datetime(2024, 6, 1, 9, 0, tzinfo=UTC).timestamp(),
        stamp,
    ]
    by_published = read_with_feedparser(make_feed(tmp_path)).entries  # the default
    assert [e.title for e in by_published] == [MARKETS.headline, PORTS.headline, KYIV.headline]


def test_max_episodes_keeps_the_newest(tmp_path, made):
    for key in ("kyiv", "markets", "ports", "undated"):
        copy_in(made[key], tmp_path)
    os.utime(tmp_path / made["undated"].name, (0, 0))  # dated 1970 by its file: the oldest
    episodes = read_with_podcastparser(make_feed(tmp_path, "--max-episodes", "2"))["episodes"]
    assert [e["title"] for e in episodes] == [MARKETS.headline, PORTS.headline]
    result = run_cli("feed", str(tmp_path), "--title", "T", "--base-url", BASE,
                     "--max-episodes", "0")  # fmt: skip
    assert result.returncode == 2 and "--max-episodes" in result.stderr


# --- Channel art and category ------------------------------------------------------------


def wide_image(path: Path) -> Path:
    Image.new("RGB", (1800, 1200), (30, 60, 220)).save(path)
    return path


def channel_art(feed: Path) -> str:
    return read_with_podcastparser(feed)["cover_url"]


def test_a_local_image_is_made_square_beside_the_feed(folder, tmp_path):
    feed = make_feed(folder, "--image", str(wide_image(tmp_path / "art.png")))
    assert channel_art(feed) == BASE + "feed.jpg"  # not the cover.png in the folder
    assert etree.parse(str(feed)).find("channel/image/url").text == BASE + "feed.jpg"
    with Image.open(folder / "feed.jpg") as art:
        assert (art.format, art.size) == ("JPEG", (1200, 1200))


def test_the_profile_s_cover_is_the_channel_art_unless_an_image_is_given(folder, tmp_path):
    wide_image(tmp_path / "logo.png")
    profile = tmp_path / "newsroom.toml"
    profile.write_text('cover = "logo.png"\n')
    feed = make_feed(folder, "--profile", str(profile))
    assert channel_art(feed) == BASE + "feed.jpg"
    with Image.open(folder / "feed.jpg") as art:
        assert art.size == (1200, 1200)
    url = "https://cdn.example.com/art.jpg"
    assert channel_art(make_feed(folder, "--profile", str(profile), "--image", url)) == url


def test_a_bad_image_is_one_line_and_changes_nothing(folder, tmp_path):
    before = make_feed(folder).read_bytes()
    text = tmp_path / "art.png"
    text.write_text("not an image")
    for image, code in ((text, 1), (tmp_path / "gone.png", 1), ("ftp://example.com/a.png", 2)):
        args = ("feed", str(folder), "--title", "Saved", "--base-url", BASE, "--image", str(image))
        assert str(image) in one_line_error(run_cli(*args), code)
        assert (folder / "feed.xml").read_bytes() == before
        assert not (folder / "feed.jpg").exists()


@pytest.mark.parametrize(
    ("given", "written"),
    [("News/Politics", ("News", "Politics")), ("news / daily news", ("News", "Daily News")),
     ("technology", ("Technology",)), ("Society & Culture/Places & Travel",
                                        ("Society & Culture", "Places & Travel"))],
)  # fmt: skip
def test_a_category_is_written_as_apple_spells_it(folder, given, written):
    feed = make_feed(folder, "--category", given)
    assert read_with_podcastparser(feed)["itunes_categories"] == [list(written)]


@pytest.mark.parametrize(
    ("given", "nearest"),
    [("Politics", "News/Politics"), ("Technolgy", "Technology"), ("News/Politcs", "News/Politics"),
     ("Tech News", "News/Tech News")],
)  # fmt: skip
def test_a_category_apple_does_not_have_is_one_line_naming_the_nearest(folder, given, nearest):
    result = run_cli("feed", str(folder), "--title", "T", "--base-url", BASE, "--category", given)
    line = one_line_error(result, code=2)
    assert "--category" in line and nearest in line
    assert not (folder / "feed.xml").exists()
