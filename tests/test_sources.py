"""Sources: every way articles arrive (files, folders, globs, lists, stdin, URLs, feeds), and a
bad one never stopping the rest. Web sources come from a loopback server: no internet."""

from __future__ import annotations

import gzip
import io
import json
import logging
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import audiogen.sources.fetch as fetch_module
from audiogen.errors import AudiogenError
from audiogen.sources import Source, expand_sources, read_article
from tests.local_site import LocalSite, dripping

PAGES = Path(__file__).parent / "pages"
SITE_PAGES = ("news-site", "wire-service", "newspaper", "blog")
HEADLINES = {
    "news-site": "Council approves all-electric harbour ferry after two-year row",
    "wire-service": "Russian drones strike power plants as Ukraine braces for cold snap",
    "newspaper": "Kherson Residents Return to a City Without Power or Water",
    "blog": "Why I stopped digging my vegetable beds",
}
FERRY = (
    "<p>Harbour City Council has approved the purchase of an all-electric ferry for the Eastside "
    "crossing, ending a two-year dispute over the cost of replacing the city's diesel boats.</p>"
    "<p>Councillors voted 31 to 12 on Thursday night to spend £38 million on the vessel, which "
    "will carry up to 400 passengers and 40 bicycles from the summer of 2025.</p>"
)


def rss(base: str) -> str:
    """An RSS feed: one item with its full text, one with only a summary (its link is served),
    one whose link is gone, one with neither text nor link."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Harbour Gazette</title><link>{base}/</link><language>en-gb</language>
  <item>
    <title>Electric ferry approved</title>
    <link>{base}/ferry</link>
    <pubDate>Sat, 04 Mar 2023 15:14:00 +0100</pubDate>
    <dc:creator>Priya Raman</dc:creator><dc:creator>Sam Okoro</dc:creator>
    <description>The council votes for an electric ferry.</description>
    <content:encoded><![CDATA[{FERRY}<p>Share this article</p>]]></content:encoded>
  </item>
  <item>
    <title>Why I stopped digging</title>
    <link>/blog</link>
    <description>Three seasons of no-dig gardening.</description>
  </item>
  <item><title>Gone</title><link>{base}/gone</link><description>Removed.</description></item>
  <item><title>Nothing</title><description>No link, no text.</description></item>
</channel>
</rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Wire</title><id>urn:wire</id><updated>2023-03-04T16:00:00Z</updated>
  <entry>
    <title>Ferry, from the wire</title><id>urn:1</id>
    <link rel="alternate" href="{base}/wire-ferry"/>
    <published>2023-03-04T15:14:00Z</published><updated>2023-03-04T16:00:00Z</updated>
    <author><name>John Doe</name></author>
    <content type="html">{FERRY.replace("<", "&lt;").replace(">", "&gt;")}</content>
  </entry>
  <entry>
    <title>Drones</title><id>urn:2</id>
    <link rel="alternate" href="{base}/wire-service"/>
    <updated>2023-03-04T15:14:00Z</updated>
    <summary>Russian drones strike power plants.</summary>
  </entry>
</feed>"""


BAD = {
    "/missing": "page not found (HTTP 404)",
    "/slow": "timed out",
    "/huge": "larger than 10 MB",
    "/binary": "is application/octet-stream, not a web page or feed",
    "/png-as-html": "this is a PNG image",
    "/loop": "more than 5 redirects",
    "/gzip-bomb": "larger than 10 MB",
    "/front": "no article found",
}


@pytest.fixture(scope="module")
def site():
    with LocalSite() as site:
        for name in SITE_PAGES:
            site.page(f"/{name}", (PAGES / f"{name}.html").read_bytes())
        site.page("/front", (PAGES / "front-page.html").read_bytes())
        site.page("/rss", rss(site.base).encode(), "application/rss+xml")
        # Served as text/xml, as many servers do: the content says it is a feed.
        site.page("/atom", atom(site.base).encode(), "text/xml")
        site.page("/latin", (PAGES / "broken-json-ld.html").read_bytes(), "text/html")
        site.routes["/moved"] = lambda: (301, {"Location": "/newspaper"}, b"")
        site.routes["/slow"] = lambda: (200, {"Content-Type": "text/html"}, dripping(1, b"", 8))
        site.routes["/huge"] = lambda: (
            200, {"Content-Type": "text/html"}, dripping(50 * 16, b"<p>" * 21845 + b"x", 0)
        )  # fmt: skip
        site.page("/binary", bytes(range(256)) * 64, "application/octet-stream")
        site.page("/png-as-html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(512), "text/html")
        site.routes["/loop"] = lambda: (302, {"Location": "/loop"}, b"")
        bomb = gzip.compress(b"<p>" + b" " * 30_000_000)  # 30 KB on the wire, 30 MB unpacked
        site.routes["/gzip-bomb"] = lambda: (
            200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb
        )  # fmt: skip
        yield site


@pytest.fixture(autouse=True)
def quick_timeouts(monkeypatch):
    # Server and client share one process (and its GIL) while the huge page streams, so a
    # healthy route can pause for a moment: 2 s tells slow from busy, and keeps tests quick.
    monkeypatch.setattr(fetch_module, "TIMEOUT", (2.0, 2.0))


def expand(*arguments, stdin: bytes | None = None):
    return expand_sources(list(map(str, arguments)), io.BytesIO(stdin) if stdin else None)


def convert_all(arguments, stdin=None) -> tuple[dict[str, object], dict[str, str]]:
    """What a batch does: expand, read every source; articles by location, failures by name."""
    sources, failures = expand(*arguments, stdin=stdin)
    articles, failed = {}, dict(failures)
    for source in sources:
        try:
            articles[source.location] = read_article(source)
        except AudiogenError as error:
            message = str(error)
            assert message.startswith(source.location + ": "), message
            failed[source.location] = message.removeprefix(source.location + ": ")
    assert all("\n" not in reason for reason in failed.values())
    return articles, failed


# --- The loopback web: good pages, bad ones, feeds -------------------------------------------


def test_a_batch_of_web_sources_converts_the_good_and_names_each_bad(site):
    good = [site.url(f"/{name}") for name in SITE_PAGES]
    bad = [site.url(path) for path in BAD]
    articles, failed = convert_all([*good, *bad, site.url("/rss"), site.url("/atom")])

    for name in SITE_PAGES:
        assert articles[site.url(f"/{name}")].headline == HEADLINES[name]
    for path, said in BAD.items():
        assert said in failed[site.url(path)], (path, failed[site.url(path)])
    # The feeds: full-text items are read from the feed, summary-only ones from their links.
    assert articles[site.url("/rss") + "#item-1"].headline == "Electric ferry approved"
    assert articles[site.url("/atom") + "#item-1"].headline == "Ferry, from the wire"
    assert "page not found" in failed[site.url("/gone")]
    assert failed[site.url("/rss") + "#item-4"] == "the feed item has neither its text nor a link"
    # /blog and /wire-service are each named directly and by a feed: converted once.
    assert len(articles) == len(SITE_PAGES) + 2
    assert set(failed) == {*bad, site.url("/gone"), site.url("/rss") + "#item-4"}


def test_failures_from_expansion_are_one_line_and_do_not_repeat_the_name(site):
    _, failures = expand(site.url("/missing"), "no-such-file.txt", site.url("/loop"))
    assert failures == [
        (site.url("/missing"), "page not found (HTTP 404); check the address"),
        ("no-such-file.txt", "no such file or folder; check the path"),
        (site.url("/loop"), "more than 5 redirects (a loop?)"),
    ]


def test_a_url_is_fetched_once(site):
    before = len(site.requests)
    sources, _ = expand(site.url("/moved"))
    assert len(site.requests) == before + 2  # the redirect and the page, while expanding
    article = read_article(sources[0])
    assert len(site.requests) == before + 2
    assert sources[0].location == site.url("/moved")
    assert sources[0].url == site.url("/newspaper")  # after the redirect
    assert article.source == site.url("/moved")
    assert (
        article.url
        == "https://www.example-times.com/2022/12/25/world/europe/kherson-return-winter.html"
    )


def test_rss_items(site):
    sources, failures = expand(site.url("/rss"))
    assert [s.location for s in sources] == [
        site.url("/rss") + "#item-1",
        site.url("/blog"),  # the relative link, resolved against the feed's address
        site.url("/gone"),
    ]
    assert failures == [
        (site.url("/rss") + "#item-4", "the feed item has neither its text nor a link")
    ]
    full, summary, _ = sources
    assert full.content is not None and full.url == site.url("/ferry")
    assert summary.content is None and summary.url == site.url("/blog")

    article = read_article(full)
    assert article.headline == "Electric ferry approved"
    assert article.paragraphs[0].startswith("Harbour City Council has approved")
    assert len(article.paragraphs) == 2  # "Share this article" dropped
    assert article.byline == "Priya Raman and Sam Okoro"
    assert article.published == datetime(2023, 3, 4, 15, 14, tzinfo=timezone(timedelta(hours=1)))
    assert article.publisher == "The Harbour Gazette"
    assert article.language == "en"
    assert article.url == site.url("/ferry")
    assert article.source == site.url("/rss") + "#item-1"
    assert read_article(summary).headline == HEADLINES["blog"]


def test_atom_entries(site):
    sources, failures = expand(site.url("/atom"))
    assert failures == []
    assert [s.location for s in sources] == [
        site.url("/atom") + "#item-1",
        site.url("/wire-service"),
    ]
    article = read_article(sources[0])
    assert article.headline == "Ferry, from the wire"
    assert article.byline == "John Doe"
    assert article.published == datetime(2023, 3, 4, 15, 14, tzinfo=UTC)
    assert article.url == site.url("/wire-ferry")


def test_the_servers_charset_wins_and_a_missing_one_is_read_from_the_page(site):
    sources, _ = expand(site.url("/latin"))
    assert read_article(sources[0]).headline == "Neue Rheinbrücke: Bauarbeiten beginnen im Herbst"


def test_urls_in_csv_rows_are_fetched_only_when_read(site, tmp_path):
    listing = tmp_path / "cms.csv"
    listing.write_text(f"source,headline\n{site.url('/blog')},Digging\n{site.url('/missing')},\n")
    before = len(site.requests)
    sources, failures = expand(listing)
    assert len(site.requests) == before and failures == []
    assert read_article(sources[0]).headline == "Digging"
    with pytest.raises(AudiogenError, match="page not found"):
        read_article(sources[1])


def test_a_feed_where_an_article_was_expected(site, tmp_path):
    listing = tmp_path / "cms.csv"
    listing.write_text(f"source\n{site.url('/rss')}\n")
    sources, _ = expand(listing)
    with pytest.raises(AudiogenError, match="is a feed, not one article"):
        read_article(sources[0])


# --- Files, folders, globs --------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path) -> Path:
    """A folder of articles as people keep them: text, HTML, odd names, a subfolder."""
    folder = tmp_path / "articles"
    (folder / "older").mkdir(parents=True)
    for name in ("blog.txt", "newspaper.html", "wire-service.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "older" / "newspaper.txt").write_bytes((PAGES / "newspaper.txt").read_bytes())
    (folder / "notes.md").write_text("# not an article file")
    (folder / ".hidden.txt").write_text("editor backup")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    return folder


def locations(sources) -> list[str]:
    return [s.location for s in sources]


def test_a_folder_is_its_article_files_in_name_order_not_recursive(articles):
    sources, failures = expand(articles)
    assert failures == []
    assert locations(sources) == [
        str(articles / name) for name in ("blog.txt", "newspaper.html", "wire-service.html")
    ]


def test_an_empty_folder_is_a_failure(tmp_path):
    assert expand(tmp_path) == (
        [],
        [(str(tmp_path), "no article files (.txt, .html, .htm, .xhtml) in the folder")],
    )


def test_globs(articles):
    sources, _ = expand(f"{articles}/*.html")
    assert locations(sources) == [
        str(articles / "newspaper.html"),
        str(articles / "wire-service.html"),
    ]
    sources, _ = expand(f"{articles}/**/*.txt")
    assert locations(sources) == [
        str(articles / "blog.txt"),
        str(articles / "older" / "newspaper.txt"),
    ]
    assert expand(f"{articles}/*.pdf") == (
        [],
        [(f"{articles}/*.pdf", "no files match this pattern")],
    )


def test_files_are_read_by_content_not_by_name(tmp_path):
    saved = tmp_path / "saved-page.txt"  # HTML saved with the wrong name
    saved.write_bytes((PAGES / "newspaper.html").read_bytes())
    article = read_article(Source(str(saved)))
    assert article.headline == HEADLINES["newspaper"]
    assert article.byline == "Jane Doe, John Roe and Maria Kovacs"  # from the JSON-LD
    copied = read_article(Source(str(PAGES / "newspaper.txt")))
    assert copied.headline == HEADLINES["newspaper"] and copied.url is None


def test_html_without_a_charset_that_is_not_utf8(tmp_path, caplog):
    page = tmp_path / "page.html"
    html = (PAGES / "blog.html").read_text().replace('<meta charset="UTF-8" />', "")
    page.write_bytes(html.replace("no-dig", "no‑dig — “café”").encode("cp1252", "replace"))
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        article = read_article(Source(str(page)))
    assert "“café”" in article.paragraphs[1]
    assert "not valid UTF-8" in caplog.text


def test_bad_files_fail_when_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.pdf.txt").write_bytes(b"%PDF-1.7\n")
    sources, failures = expand(tmp_path / "empty.txt", tmp_path / "scan.pdf.txt")
    assert failures == []
    for source, said in zip(sources, ("empty", "PDF"), strict=True):
        with pytest.raises(AudiogenError, match=said):
            read_article(source)


# --- List files -------------------------------------------------------------------------------


def test_a_list_file_with_comments_relative_paths_and_nested_lists(articles, tmp_path):
    (articles / "more.list").write_text("# the rest\nwire-service.html\n")
    listing = articles / "today.list"
    listing.write_text(
        "# Today's pieces\n\nblog.txt\n   newspaper.html  \n@more.list\nolder/\nnope.txt\n"
    )
    sources, failures = expand(listing)
    assert locations(sources) == [
        str(articles / "blog.txt"),
        str(articles / "newspaper.html"),
        str(articles / "wire-service.html"),
        str(articles / "older" / "newspaper.txt"),
    ]
    assert failures == [
        (str(articles / "nope.txt"), f"no such file or folder; check the path ({listing}, line 7)")
    ]


def test_any_file_is_a_list_when_named_with_at(articles):
    listing = articles / "urls.txt"
    listing.write_text("blog.txt\n")
    assert locations(expand(f"@{listing}")[0]) == [str(articles / "blog.txt")]
    # Without "@", a .txt file is an article (this one is too short to be one).
    assert locations(expand(listing)[0]) == [str(listing)]


def test_an_empty_list(tmp_path):
    (tmp_path / "empty.list").write_text("\n")
    (tmp_path / "comments.list").write_text("# nothing today\n")
    assert expand(tmp_path / "empty.list") == (
        [],
        [(str(tmp_path / "empty.list"), "the list is empty")],
    )
    assert expand(tmp_path / "comments.list") == ([], [])


def test_a_list_that_names_itself(tmp_path):
    (tmp_path / "a.list").write_text("@b.list\n")
    (tmp_path / "b.list").write_text("@a.list\n")
    _, failures = expand(tmp_path / "a.list")
    assert len(failures) == 1
    assert failures[0][1].startswith("the list names itself")


def test_csv_overrides(articles):
    listing = articles / "cms.csv"
    listing.write_text(
        "source,headline,date,byline,voice,section\n"
        'blog.txt,"No-dig, three years on",2023-03-05T07:00:00Z,Alice Smith,amy,Garden\n'
        "# a comment row\n"
        "newspaper.html,,2022-12-24,,,\n"
        ",orphan headline,,,,\n"
        "wire-service.html,,yesterday,,,\n"
    )
    sources, failures = expand(listing)
    assert locations(sources) == [str(articles / "blog.txt"), str(articles / "newspaper.html")]
    assert sources[0].overrides == {
        "headline": "No-dig, three years on",
        "date": "2023-03-05T07:00:00Z",
        "byline": "Alice Smith",
        "voice": "amy",
    }
    assert [where for where, _ in failures] == [f"{listing}, line 5", f"{listing}, line 6"]
    assert "no source" in failures[0][1] and "'yesterday' is not a date" in failures[1][1]

    blog = read_article(sources[0])
    assert blog.headline == "No-dig, three years on"
    assert blog.byline == "Alice Smith"
    assert blog.published == datetime(2023, 3, 5, 7, 0, tzinfo=UTC)
    assert blog.paragraphs[0].startswith("For twenty years")
    newspaper = read_article(sources[1])
    assert newspaper.headline == HEADLINES["newspaper"]  # an empty cell overrides nothing
    assert newspaper.published == datetime(2022, 12, 24)


def test_csv_from_excel_with_semicolons_and_a_bom(articles):
    listing = articles / "export.csv"
    listing.write_bytes("\ufeffURL;Title\nblog.txt;Digging\n".encode())
    sources, failures = expand(listing)
    assert failures == [] and sources[0].overrides == {"headline": "Digging"}


def test_csv_without_a_source_column(articles):
    listing = articles / "bad.csv"
    listing.write_text("file,title\nblog.txt,x\n")
    assert expand(listing) == (
        [],
        [(str(listing), "a CSV list needs a header row with a 'source' column")],
    )


def test_jsonl_overrides(articles):
    listing = articles / "cms.jsonl"
    rows = [
        {"source": "wire-service.html", "byline": ["Jane Roe", "John Doe"], "voice": "joe"},
        {"url": "blog.txt", "title": "Digging", "published": "2023-03-04"},
    ]
    listing.write_text("\n".join(map(json.dumps, rows)) + '\n# done\n{"source": \n[1, 2]\n')
    sources, failures = expand(listing)
    assert locations(sources) == [str(articles / "wire-service.html"), str(articles / "blog.txt")]
    assert sources[0].overrides == {"byline": "Jane Roe and John Doe", "voice": "joe"}
    assert sources[1].overrides == {"headline": "Digging", "date": "2023-03-04"}
    assert [where for where, _ in failures] == [f"{listing}, line 4", f"{listing}, line 5"]
    assert "not valid JSON" in failures[0][1] and "JSON object" in failures[1][1]
    assert read_article(sources[0]).byline == "Jane Roe and John Doe"


def test_csv_and_jsonl_identity_columns(articles, caplog):
    listing = articles / "cms.csv"
    listing.write_text(
        "Source,ID,Canonical_URL,url,Section,notes\n"
        "blog.txt,cms-1001,https://example.org/blog,,Garden,\n"
        # A url column beside the source is its address; the source is still what is read.
        "newspaper.html,,,https://example.org/kherson,World,late\n"
        "wire-service.html,,,not-an-address,,\n"
    )
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        sources, failures = expand(listing)
    assert failures == []
    assert locations(sources) == [str(articles / name) for name in
                                  ("blog.txt", "newspaper.html", "wire-service.html")]  # fmt: skip
    assert [source.overrides for source in sources] == [
        {"id": "cms-1001", "url": "https://example.org/blog"},
        {"url": "https://example.org/kherson"},
        {},
    ]
    # Once for the file, naming each column it does not read, however many rows use them.
    (warning,) = [record.getMessage() for record in caplog.records]
    assert warning.startswith(f"{listing}: columns 'notes', 'section' not used")

    rows = [
        {"path": "blog.txt", "url": "https://example.org/blog", "guid": 42, "tags": ["a"]},
        {"url": "https://example.org/only-an-address", "canonical": "https://example.org/c"},
        {"source": "newspaper.html", "tags": []},
    ]
    jsonl = articles / "cms.jsonl"
    jsonl.write_text("\n".join(map(json.dumps, rows)))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        sources, failures = expand(jsonl)
    assert failures == []
    assert locations(sources) == [
        str(articles / "blog.txt"),
        "https://example.org/only-an-address",
        str(articles / "newspaper.html"),
    ]
    assert [source.overrides for source in sources] == [
        {"id": "42", "url": "https://example.org/blog"},
        {"url": "https://example.org/c"},
        {},
    ]
    assert [record.getMessage().split(";")[0] for record in caplog.records] == [
        f"{jsonl}: column 'tags' not used"
    ]


def test_a_csv_row_names_one_article(articles):
    listing = articles / "cms.csv"
    listing.write_text("source\nolder\n")
    assert expand(listing)[1] == [
        (
            str(articles / "older"),
            f"is a folder; a CSV or JSONL row names one article ({listing}, line 2)",
        )
    ]


@pytest.mark.parametrize("address", ["ftp://example.com/a.html", "file:///etc/passwd"])
def test_other_schemes_are_addresses_refused_as_such_not_missing_files(articles, address):
    listing = articles / "schemes.csv"
    listing.write_text(f"source,headline\n{address},A headline\n")
    only = "only http:// and https:// addresses can be fetched"
    assert expand(listing) == ([], [(address, f"{only} ({listing}, line 2)")])
    assert expand(address) == ([], [(address, only)])
    with pytest.raises(AudiogenError) as caught:
        read_article(Source(address))  # as `audiogen script` reads one
    assert str(caught.value) == f"{address}: {only}"


# --- News briefs: short articles a feed, a page's JSON-LD or a list row vouches for ----------

BRIEFS = {
    "Ferry fares to rise in April": (
        "The Harbour City ferry will cost £2.80 a crossing from April 1, up from £2.50, the "
        "council said on Friday. Season tickets stay at £60 a month, and children under 12 "
        "still travel free on every route."
    ),
    "Library to open on Sundays": (
        "Eastside Library will open from 10 a.m. to 4 p.m. on Sundays from next month, after "
        "a petition signed by 2,300 residents. The council says the extra hours cost £40,000 a "
        "year and will be paid for by the book fund."
    ),
    "Bin collections move to Tuesdays": (
        "Household waste in the northern wards will be collected on Tuesdays instead of "
        "Mondays from March 13, the council said. Recycling days do not change, and a new "
        "calendar will be posted to every home this week."
    ),
}


def brief_sources(folder: Path) -> tuple[Path, Path, Path]:
    """The three briefs as a feed's item, a page whose JSON-LD declares its text, and a text
    file named in a CSV row that gives its headline; the CSV also names a front page."""
    (ferry, ferry_text), (library, library_text), (bins, bins_text) = BRIEFS.items()
    feed = folder / "briefs.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>The Harbour Gazette</title><link>https://gazette.example/</link>"
        f"<item><title>{ferry}</title><link>https://gazette.example/briefs/1</link>"
        "<pubDate>Fri, 03 Mar 2023 09:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>{ferry_text}</p>]]></content:encoded></item>"
        "</channel></rss>"
    )
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": library,
          "datePublished": "2023-03-03T10:00:00Z", "articleBody": library_text}  # fmt: skip
    page = folder / "library.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>{library} | Gazette</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{library}</h1><p>{library_text}</p></article></body></html>"
    )
    (folder / "bins.txt").write_text(f"News\nSport\n{bins}\nMarch 3, 2023\n{bins_text}\n")
    (folder / "front-page.html").write_bytes((PAGES / "front-page.html").read_bytes())
    rows = folder / "briefs.csv"
    rows.write_text(
        f"source,headline\nbins.txt,{bins}\nfront-page.html,What the front page is not\n"
    )
    return feed, page, rows


def test_news_briefs_vouched_for_are_read_and_a_front_page_is_not(tmp_path):
    sources, failures = expand(*brief_sources(tmp_path))
    assert failures == []
    articles, failed = {}, {}
    for source in sources:
        try:
            articles[source.location] = read_article(source)
        except AudiogenError as error:
            failed[source.location] = str(error)
    assert {a.headline: a.paragraphs for a in articles.values()} == {
        headline: (text,) for headline, text in BRIEFS.items()
    }
    assert list(failed) == [str(tmp_path / "front-page.html")]
    assert "no article found" in failed[str(tmp_path / "front-page.html")]


def test_the_same_brief_named_alone_is_still_taken_for_a_teaser(tmp_path):
    brief_sources(tmp_path)
    with pytest.raises(AudiogenError, match="no article found"):
        read_article(Source(str(tmp_path / "bins.txt")))


def test_news_briefs_become_mp3s_through_the_command_line(tmp_path):
    from mutagen.id3 import ID3

    from tests.conftest import decode_mp3, run_cli

    out = tmp_path / "out"
    result = run_cli("convert", *map(str, brief_sources(tmp_path)), "-o", str(out))
    assert result.returncode == 1, result.stderr  # the front page failed, the rest did not
    errors = [line for line in result.stderr.splitlines() if line.startswith("audiogen: error")]
    assert len(errors) == 1 and "front-page.html: no article found" in errors[0]
    mp3s = [Path(line) for line in result.stdout.splitlines()]
    assert sorted(str(ID3(mp3)["TIT2"]) for mp3 in mp3s) == sorted(BRIEFS)
    for mp3 in mp3s:
        assert len(decode_mp3(mp3)) > 22050 * 5  # a brief takes seconds to say


# --- Standard input ---------------------------------------------------------------------------


def test_stdin_text_article():
    sources, failures = expand("-", stdin=(PAGES / "blog.txt").read_bytes())
    assert failures == [] and locations(sources) == ["-"]
    article = read_article(sources[0])
    assert article.headline == HEADLINES["blog"] and article.source == "-"


def test_stdin_html_article():
    sources, _ = expand("-", stdin=(PAGES / "wire-service.html").read_bytes())
    assert read_article(sources[0]).byline == "John Doe and Jane Roe"


def test_stdin_feed(site):
    sources, _ = expand("-", stdin=rss(site.base).encode())
    assert locations(sources) == ["-#item-1", site.url("/blog"), site.url("/gone")]


def test_stdin_list(articles):
    sources, failures = expand(
        "@-", stdin=f"{articles}/blog.txt\n# c\n{articles}/*.html\n".encode()
    )
    assert failures == []
    assert len(sources) == 3


def test_stdin_is_read_once_and_must_not_be_empty():
    _, failures = expand("-", "-", stdin=(PAGES / "blog.txt").read_bytes())
    assert failures == [("-", "standard input can be read only once")]
    assert expand("-", stdin=b"  \n") == (
        [],
        [("-", "standard input is empty; pipe an article or a feed into it")],
    )


# --- Feeds on disk, and feeds that attack -----------------------------------------------------


def test_a_feed_file_on_disk(tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_text(rss("https://harbourgazette.example"))
    sources, failures = expand(feed)
    assert locations(sources) == [
        f"{feed}#item-1",
        "https://harbourgazette.example/blog",  # resolved against the channel's link
        "https://harbourgazette.example/gone",
    ]
    assert failures == [(f"{feed}#item-4", "the feed item has neither its text nor a link")]
    assert read_article(sources[0]).url == "https://harbourgazette.example/ferry"
    # A feed in a folder, saved as .txt, is still a feed.
    (tmp_path / "feed.txt").write_text(atom("https://wire.example"))
    sources, _ = expand(tmp_path)
    assert f"{tmp_path / 'feed.txt'}#item-1" in locations(sources)


BILLION_LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol "lol">']
    + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1 or "") + ";") * 10}">' for i in range(1, 10)]
    + ["]>", '<rss version="2.0"><channel><title>&lol9;</title>',
       "<item><title>&lol9;</title><link>https://x.example/a</link>",
       "<description>&lol9;</description></item></channel></rss>"]
)  # fmt: skip
QUADRATIC_BLOWUP = (
    f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"a" * 50_000}">]>'
    '<rss version="2.0"><channel><title>T</title><item><title>x</title>'
    f"<link>https://x.example/a</link><description>{'&a;' * 20_000}</description></item>"
    "</channel></rss>"
)


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, QUADRATIC_BLOWUP], ids=["billion", "quadratic"])
def test_xml_bombs_are_refused_without_expanding(tmp_path, bomb):
    feed = tmp_path / "bomb.rss"
    feed.write_text(bomb)
    started = time.monotonic()
    sources, failures = expand(feed)
    assert time.monotonic() - started < 2
    assert sources == []
    assert failures == [(str(feed), "the feed declares XML entities; refused, as feeds never "
                         "need them and they can be used to exhaust memory")]  # fmt: skip


def test_a_broken_feed(tmp_path):
    feed = tmp_path / "broken.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel>')
    assert expand(feed)[1] == [(str(feed), "the feed has no items")]


# --- Duplicates -------------------------------------------------------------------------------


def test_the_same_article_twice_is_kept_once_in_first_place(articles, site):
    listing = articles / "cms.csv"
    listing.write_text("source,voice\nblog.txt,amy\n")
    sources, _ = expand(
        articles / "blog.txt",
        articles,
        f"{articles}/../articles/blog.txt",
        listing,
        site.url("/blog"),
        site.url("/blog#comments"),
        site.url("/rss"),  # links /blog again
    )
    assert locations(sources) == [
        str(articles / "blog.txt"),
        str(articles / "newspaper.html"),
        str(articles / "wire-service.html"),
        site.url("/blog"),
        site.url("/rss") + "#item-1",
        site.url("/gone"),
    ]
    assert sources[0].overrides == {"voice": "amy"}  # added by the later mention


# --- Light imports ----------------------------------------------------------------------------


def test_sources_import_no_parsers():
    code = (
        "import sys, audiogen.sources, audiogen.sources.ingest, audiogen.sources.html; "
        "import audiogen.sources.feeds; "
        "heavy = {'trafilatura', 'feedparser', 'lxml', 'requests'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
