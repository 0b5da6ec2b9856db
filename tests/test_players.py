"""What players and podcast apps read from a converted article: the page's lead image as the
cover, its date with its time zone, and chapters in the order ffmpeg lists them.

Pages are served by a loopback site and converted by `audiogen convert` with the real voice;
the MP3s' tags are read back with mutagen, the chapters listed by ffmpeg, and the feed parsed
by feedparser.
"""

from __future__ import annotations

import calendar
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3, PictureType
from PIL import Image

from tests.conftest import run_cli
from tests.local_site import LocalSite
from tests.test_sidecars import chap_frames, ffmpeg_chapters

HEADLINE = "Harbour board approves the new ferry terminal"
SECTIONS = ("What the board decided", "What happens next")
PAGE = """<html lang="en"><head>
<title>{headline} - Harbour Gazette</title>
<meta property="og:image" content="{image}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{headline}",
  "datePublished": "2023-03-04T23:41:00-04:00", "image": "{image}",
  "author": {{"@type": "Person", "name": "Mara Quinn"}},
  "publisher": {{"@type": "Organization", "name": "Harbour Gazette"}}}}
</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>{headline}</h1>
<p>The harbour board voted late on Saturday to build a new ferry terminal on the east quay,
ending two years of argument over where the island boats should dock.</p>
<h2>{sections[0]}</h2>
<p>Members approved the plan by seven votes to two after a meeting that ran past eleven at
night, and the chair said the vote settled a question that had divided the town.</p>
<p>The terminal will have a covered waiting room, a new ramp for cars and a separate path
for people on foot, which the old west quay has never had.</p>
<h2>{sections[1]}</h2>
<p>Work is due to start in the autumn and to finish within eighteen months, while the
ferries keep using the old quay until the new one opens.</p>
</article><footer>Copyright Harbour Gazette</footer></body></html>"""


def wide_png() -> bytes:
    """A 1600x900 picture: red and blue sides, a green square in the middle."""
    image = Image.new("RGB", (1600, 900), (30, 200, 60))
    image.paste((220, 30, 30), (0, 0, 350, 900))
    image.paste((30, 60, 220), (1250, 0, 1600, 900))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def site():
    with LocalSite() as site:
        pages = {"/ferry": "/img/ferry.png", "/gone": "/img/gone.png", "/html": "/img/page"}
        for path, image in pages.items():
            headline = HEADLINE if path == "/ferry" else f"{HEADLINE} ({path[1:]})"
            page = PAGE.format(headline=headline, image=site.url(image), sections=SECTIONS)
            site.page(path, page.encode())
        site.page("/img/ferry.png", wide_png(), "image/png")
        site.page("/img/page", b"<html>not a picture</html>", "text/html")
        yield site


@pytest.fixture(scope="module")
def converted(site, tmp_path_factory) -> Path:
    """The ferry page, converted from its URL."""
    out = tmp_path_factory.mktemp("ferry")
    result = run_cli("convert", site.url("/ferry"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return Path(result.stdout.strip())


def test_the_page_s_lead_image_is_fetched_made_square_and_embedded(site, converted):
    assert any(path == "/img/ferry.png" for path, _ in site.requests)
    (picture,) = ID3(converted).getall("APIC")
    assert (picture.type, picture.mime) == (PictureType.COVER_FRONT, "image/jpeg")
    cover = Image.open(io.BytesIO(picture.data))
    assert (cover.format, cover.size) == ("JPEG", (900, 900))
    for corner in ((0, 0), (899, 0), (0, 899), (899, 899)):  # the green middle, not the sides
        red, green, blue = cover.getpixel(corner)
        assert green > 150 and red < 90 and blue < 110, corner


def test_a_lead_image_that_cannot_be_had_is_a_warning_and_the_article_is_converted(site, tmp_path):
    result = run_cli("convert", site.url("/gone"), site.url("/html"), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "audiogen: warning:" in line]
    assert len(warnings) == 2, result.stderr
    assert any("/img/gone.png" in line and "404" in line for line in warnings)
    assert any("/img/page" in line and "not an image" in line for line in warnings)
    mp3s = [Path(line) for line in result.stdout.splitlines()]
    assert len(mp3s) == 2
    for mp3 in mp3s:
        assert ID3(mp3).getall("APIC") == [] and ID3(mp3)["TIT2"].text[0].startswith(HEADLINE)


def test_the_date_keeps_its_time_zone_in_the_tags_the_manifest_and_the_feed(converted):
    tags = ID3(converted)
    # 23:41 at -04:00 is 03:41 UTC the next day: ID3v2.4 timestamps are UTC.
    assert tags["TDRC"].text[0].text == "2023-03-05 03:41:00"
    assert tags.getall("TXXX:audiogen published")[0].text == ["2023-03-04T23:41:00-04:00"]
    assert converted.name.startswith("2023-03-04-")  # named by the page's own date
    lines = (converted.parent / "manifest.jsonl").read_text().splitlines()
    (entry,) = [json.loads(line) for line in lines]
    assert entry["date"] == "2023-03-04T23:41:00-04:00"  # the local time, with its offset

    result = run_cli("feed", str(converted.parent), "--title", "Gazette",
                     "--base-url", "https://example.com/audio/")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (item,) = feedparser.parse(result.stdout.strip()).entries
    instant = datetime(2023, 3, 5, 3, 41, tzinfo=UTC)
    assert calendar.timegm(item.published_parsed) == instant.timestamp()


def test_ffmpeg_lists_the_sections_in_time_order(converted):
    found = ffmpeg_chapters(converted)
    assert [title for _, _, title in found] == [HEADLINE, *SECTIONS]
    assert found == [
        (f.start_time / 1000, f.end_time / 1000, f.sub_frames["TIT2"].text[0])
        for f in chap_frames(converted)
    ]


def test_ffmpeg_lists_the_sample_s_chapters_in_time_order(sample_mp3):
    found = ffmpeg_chapters(sample_mp3)
    frames = chap_frames(sample_mp3)  # in the CTOC's order: the headline, then paragraphs
    assert len(found) == len(frames) == 7
    assert [title for _, _, title in found] == [f.sub_frames["TIT2"].text[0] for f in frames]
    assert [start for start, _, _ in found] == sorted(start for start, _, _ in found)
