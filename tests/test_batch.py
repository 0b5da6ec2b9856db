"""Batches (`audiogen convert SOURCES... -o OUT`): many articles on worker processes, the
manifest, the chunk cache on re-runs, and a run killed or interrupted midway.

Every test runs `audiogen` in a fresh process as a user does, with the real Piper voice, and
decodes the MP3s it wrote. Articles are a headline and two one-sentence paragraphs (about 13 s
of audio each), so the whole file stays quick. Tests that do not count cache entries share
one chunk cache, so an article spoken once is not spoken again by a later test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

from audiogen.files import remove_stale_parts
from audiogen.publish import PART, sidecar_paths
from tests.conftest import (
    DECODE_RATE,
    decode_mp3,
    on_screen,
    run_cli,
    run_in_a_terminal,
    write_long_article,
)
from tests.local_site import LocalSite, dripping

# Whole batches in worker processes: minutes in all, so `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

# name -> (headline, first paragraph, second paragraph)
ARTICLES = {
    "ferry": (
        "Harbour ferry wins council vote",
        "The city council approved a new electric ferry on Thursday night, ending a long "
        "dispute over the cost.",
        "The boat will carry four hundred passengers and forty bicycles from next summer.",
    ),
    "library": (
        "Library opens on Sundays",
        "The central library will open on Sundays from next month, the mayor said on Tuesday.",
        "Volunteers will staff the reading rooms, and the cafe will stay closed for now.",
    ),
    "bridge": (
        "Old bridge closes for repairs",
        "The old stone bridge over the river will close for six weeks while its arches are "
        "repaired.",
        "Buses will take a longer route through the town centre until the work is finished.",
    ),
}
CACHE_KEY = re.compile(r"[0-9a-f]{64}")


# --- helpers ------------------------------------------------------------------------------------


def page_text(name: str, second: str | None = None) -> str:
    """The article as text copied out of a browser: headline, then its paragraphs."""
    headline, first, last = ARTICLES[name]
    return f"{headline}\n\n{first}\n\n{second or last}\n"


def write_article(folder: Path, name: str, second: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(page_text(name, second), encoding="utf-8")
    return path


def page_html(name: str, day: int) -> bytes:
    headline, first, last = ARTICLES[name]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Harbour Gazette</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2023-03-{day:02}T15:14:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{headline}</h1><p>{first}</p><p>{last}</p></article>
<footer>Copyright The Harbour Gazette</footer>
</body></html>""".encode()


def rss(base: str, *paths: str) -> bytes:
    """A feed whose items carry only a summary: each is its link."""
    items = "".join(
        f"<item><title>Item {path}</title><link>{base}{path}</link>"
        f"<description>A summary.</description></item>"
        for path in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>The Harbour Gazette</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def convert(*args, cache: Path, **kwargs) -> subprocess.CompletedProcess:
    return run_cli("convert", *map(str, args), "--cache-dir", str(cache), **kwargs)


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def by_source(out: Path) -> dict[str, dict]:
    lines = manifest(out)
    found = {line["source"]: line for line in lines}
    assert len(found) == len(lines), "one line per source"
    return found


def cache_keys(cache: Path) -> set[str]:
    """The keys of the whole entries in a chunk cache folder (temporary files left out)."""
    if not cache.exists():
        return set()
    return {path.name for path in cache.glob("??/*") if CACHE_KEY.fullmatch(path.name)}


def mp3s(out: Path) -> list[Path]:
    return sorted(out.glob("*.mp3"))


def parts(out: Path) -> list[Path]:
    return sorted(out.glob(f"*{PART}")) + sorted(out.glob(f".*{PART}"))


def mtimes(out: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in mp3s(out)}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("audiogen: error: ")]


def seconds(mp3: Path) -> float:
    samples = decode_mp3(mp3)
    assert len(samples) > DECODE_RATE, mp3  # something was said
    return len(samples) / DECODE_RATE


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """A chunk cache the tests of this file share: the same sentence is spoken once."""
    return tmp_path_factory.mktemp("batch-cache")


# --- a batch from the web -----------------------------------------------------------------------


def test_a_web_batch_converts_the_good_pages_and_names_each_bad_one(tmp_path, cache):
    with LocalSite() as site:
        for day, name in enumerate(ARTICLES, 4):
            site.page(f"/{name}", page_html(name, day))
        site.page("/binary", bytes(range(256)) * 64, "application/octet-stream")
        site.routes["/loop"] = lambda: (302, {"Location": "/loop"}, b"")
        # /library is named directly and by the feed (converted once); /bridge only by the feed.
        site.page("/feed", rss(site.base, "/library", "/bridge"), "application/rss+xml")
        good = {site.url(f"/{name}"): ARTICLES[name][0] for name in ARTICLES}
        bad = {
            site.url("/missing"): "page not found (HTTP 404)",
            site.url("/binary"): "is application/octet-stream, not a web page or feed",
            site.url("/loop"): "more than 5 redirects",
        }
        out = tmp_path / "out"
        result = convert(
            site.url("/ferry"), site.url("/library"), *bad, site.url("/feed"),
            "-o", out, "--jobs", "2", cache=cache,
        )  # fmt: skip

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    entries = by_source(out)
    assert set(entries) == {*good, *bad}

    printed = result.stdout.splitlines()
    assert sorted(printed) == sorted(entries[url]["output"] for url in good)
    assert sorted(Path(path).name for path in printed) == [p.name for p in mp3s(out)]
    for url, headline in good.items():
        entry = entries[url]
        assert entry["status"] == "converted", entry
        assert entry["headline"] == headline and entry["voice"] == "joe"
        assert entry["date"].startswith("2023-03-")
        mp3 = Path(entry["output"])
        assert mp3.parent == out and mp3.name.startswith(entry["date"][:10])
        assert seconds(mp3) == pytest.approx(entry["duration"], abs=0.1)
        assert str(ID3(mp3)["TIT2"]) == entry["headline"]

    errors = error_lines(result.stderr)
    assert len(errors) == len(bad), result.stderr
    for url, reason in bad.items():
        named = [line for line in errors if line.startswith(f"audiogen: error: {url}: ")]
        assert len(named) == 1, (url, result.stderr)
        assert reason in named[0]
        assert entries[url]["status"] == "failed" and reason in entries[url]["error"]
        assert entries[url]["output"] is None

    assert "batch summary" in result.stderr
    assert re.search(r"converted\W+3\b", result.stderr), result.stderr
    assert re.search(r"failed\W+3\b", result.stderr), result.stderr
    assert str(out / "manifest.jsonl") in result.stderr


# --- re-runs: the fingerprint and the chunk cache ----------------------------------------------


def test_a_rerun_speaks_only_what_changed(tmp_path, cache):
    own_cache = tmp_path / "cache"
    shutil.copytree(cache, own_cache)  # what earlier tests spoke: quicker, same counts
    ferry, library = write_article(tmp_path, "ferry"), write_article(tmp_path, "library")
    out = tmp_path / "out"
    first = convert(ferry, library, "-o", out, "--jobs", "2", cache=own_cache)
    assert first.returncode == 0, first.stderr
    assert {entry["status"] for entry in manifest(out)} == {"converted"}
    keys, before = cache_keys(own_cache), mtimes(out)
    assert len(before) == 2

    unchanged = convert(ferry, library, "-o", out, "--jobs", "2", cache=own_cache)
    assert unchanged.returncode == 0, unchanged.stderr
    # Lines are in the order results arrived, which two workers do not fix.
    assert {e["source"]: e["status"] for e in manifest(out)} == {
        str(ferry): "skipped",
        str(library): "skipped",
    }
    assert mtimes(out) == before
    assert cache_keys(own_cache) == keys
    assert sorted(unchanged.stdout.splitlines()) == sorted(str(out / name) for name in before)

    # One sentence edited: that article is made again, from one newly spoken sentence.
    write_article(tmp_path, "ferry", "The boat will carry five hundred passengers and forty "
                  "bicycles from next summer.")  # fmt: skip
    edited = convert(ferry, library, "-o", out, "--jobs", "2", cache=own_cache)
    assert edited.returncode == 0, edited.stderr
    entries = by_source(out)
    assert entries[str(ferry)]["status"] == "converted"
    assert entries[str(library)]["status"] == "skipped"
    assert len(cache_keys(own_cache) - keys) == 1
    assert keys <= cache_keys(own_cache)
    after = mtimes(out)
    library_mp3 = Path(entries[str(library)]["output"]).name
    assert after[library_mp3] == before[library_mp3]
    ferry_mp3 = Path(entries[str(ferry)]["output"])
    assert "five hundred passengers" in str(ID3(ferry_mp3).getall("USLT")[0])
    assert seconds(ferry_mp3) == pytest.approx(entries[str(ferry)]["duration"], abs=0.1)
    skipped = entries[str(library)]
    assert seconds(Path(skipped["output"])) == pytest.approx(skipped["duration"], abs=0.1)

    keys = cache_keys(own_cache)
    forced = convert(ferry, library, "-o", out, "--jobs", "2", "--force", cache=own_cache)
    assert forced.returncode == 0, forced.stderr
    assert {entry["status"] for entry in manifest(out)} == {"converted"}
    assert cache_keys(own_cache) == keys
    for mp3 in mp3s(out):
        decode_mp3(mp3)


def test_a_changed_lexicon_makes_an_up_to_date_mp3_stale(tmp_path, cache):
    ferry = write_article(tmp_path, "ferry")
    out = tmp_path / "out"
    assert convert(ferry, "-o", out, cache=cache).returncode == 0
    again = convert(ferry, "-o", out, cache=cache)
    assert again.returncode == 0 and manifest(out)[0]["status"] == "skipped"
    before = mtimes(out)

    lexicon = tmp_path / "mine.toml"
    lexicon.write_text('[words]\n"ferry" = { say = "fairy" }\n', encoding="utf-8")
    relexed = convert(ferry, "-o", out, "--lexicon", lexicon, cache=cache)
    assert relexed.returncode == 0, relexed.stderr
    assert [entry["status"] for entry in manifest(out)] == ["converted"]
    assert mtimes(out) != before
    (mp3,) = mp3s(out)
    decode_mp3(mp3)
    # The lexicon changes what is heard, not what is written.
    assert "new electric ferry" in str(ID3(mp3).getall("USLT")[0])


# --- the manifest across runs -------------------------------------------------------------------


def test_the_manifest_is_updated_not_overwritten(tmp_path, cache):
    ferry, library = write_article(tmp_path, "ferry"), write_article(tmp_path, "library")
    out = tmp_path / "out"
    assert convert(ferry, "-o", out, cache=cache).returncode == 0
    assert convert(library, "-o", out, cache=cache).returncode == 0
    first = manifest(out)
    assert [(e["source"], e["status"]) for e in first] == [
        (str(ferry), "converted"),
        (str(library), "converted"),
    ]

    ferry.write_text("", encoding="utf-8")
    failed = convert(ferry, "-o", out, cache=cache)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    (error,) = error_lines(failed.stderr)
    assert error.startswith(f"audiogen: error: {ferry}: ") and "empty" in error
    second = manifest(out)
    assert [entry["source"] for entry in second] == [str(ferry), str(library)]
    assert second[0]["status"] == "failed" and second[0]["output"] is None
    assert error.removeprefix("audiogen: error: ") == second[0]["error"]
    assert second[1] == first[1]
    # The MP3 made before is left where it was; the manifest says the source failed this time.
    assert len(mp3s(out)) == 2


def test_the_manifest_keys_each_source_by_its_canonical_form(tmp_path, cache):
    ferry = write_article(tmp_path, "ferry")
    out = tmp_path / "out"
    first = run_cli("convert", "ferry.txt", "-o", "out", "--cache-dir", str(cache), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (line,) = manifest(out)
    assert line["source"] == str(ferry.resolve()) and line["status"] == "converted"
    assert line["id"] == ferry.resolve().as_uri()
    made = line["converted_at"]
    assert made.endswith("+00:00")

    # The same file by another name: the same line, and a skipped run keeps when it was made.
    os.symlink(tmp_path, tmp_path / "link")
    again = convert(tmp_path / "link" / "." / "ferry.txt", "-o", out, cache=cache)
    assert again.returncode == 0, again.stderr
    (line,) = manifest(out)
    assert line["source"] == str(ferry.resolve()) and line["status"] == "skipped"
    assert line["converted_at"] == made


# --- one article, one file ----------------------------------------------------------------------


def feed_items(out: Path) -> list[tuple[str, str]]:
    """(guid, enclosure's file name) of each item of the folder's feed, made anew."""
    made = run_cli("feed", str(out), "--title", "Saved", "--base-url", "https://example.org/a/")
    assert made.returncode == 0, made.stderr
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    return [(e.id, Path(e.enclosures[0].href).name) for e in parsed.entries]


def beside(out: Path) -> list[str]:
    """Every name in the folder but the manifest and the feed."""
    return sorted(p.name for p in out.iterdir() if p.name not in ("manifest.jsonl", "feed.xml"))


def test_a_corrected_headline_replaces_the_mp3_and_keeps_its_guid(tmp_path, cache):
    """Once a bug: the file name (and with it the feed's guid) came from the headline, so a
    corrected headline left the old MP3 and sidecars behind, and the feed listed both."""
    write_article(tmp_path, "ferry")
    listing, out = tmp_path / "cms.csv", tmp_path / "out"
    row = "ferry.txt,cms-7,https://example.org/ferry,2023-03-04"
    listing.write_text(f"source,id,canonical_url,date,headline\n{row},Ferry wins vote\n")
    assert convert(listing, "-o", out, cache=cache).returncode == 0
    (old,) = mp3s(out)
    ((guid, name),) = feed_items(out)
    assert name == old.name == "2023-03-04-ferry-wins-vote.mp3" and guid == "cms-7"

    listing.write_text(f"source,id,canonical_url,date,headline\n{row},Ferry wins council vote\n")
    spoken = cache_keys(cache)
    result = convert(listing, "-o", out, cache=cache)
    assert result.returncode == 0, result.stderr
    (new,) = mp3s(out)
    assert new.name == "2023-03-04-ferry-wins-council-vote.mp3"
    assert result.stdout.splitlines() == [str(new)]
    # Renamed, not duplicated: the old MP3 and every file beside it are gone.
    assert beside(out) == sorted(p.name for p in [new, *sidecar_paths(new)])
    assert len(cache_keys(cache) - spoken) == 1  # the new headline; the rest from the cache
    (line,) = manifest(out)
    assert line["output"] == str(new) and line["id"] == "cms-7"
    assert line["headline"] == "Ferry wins council vote"
    tags = ID3(new)
    assert str(tags["TXXX:audiogen identity"]) == "cms-7"
    assert tags["WOAS"].url == "https://example.org/ferry"
    assert feed_items(out) == [(guid, new.name)]


def test_an_article_without_an_address_is_known_by_its_file(tmp_path, cache):
    ferry, out = write_article(tmp_path, "ferry"), tmp_path / "out"
    assert convert(ferry, "-o", out, cache=cache).returncode == 0
    (old,) = mp3s(out)
    ((guid, _),) = feed_items(out)
    assert guid.startswith("urn:uuid:") and str(tmp_path) not in guid  # no local path shown

    ferry.write_text(page_text("ferry").replace("wins council vote", "wins the vote"))
    assert convert(ferry, "-o", out, cache=cache).returncode == 0
    (new,) = mp3s(out)
    assert new.name != old.name
    assert beside(out) == sorted(p.name for p in [new, *sidecar_paths(new)])
    assert feed_items(out) == [(guid, new.name)]

    # Another article's MP3 under the name this one had: never removed as this one's.
    library = convert(write_article(tmp_path, "library"), "-o", tmp_path / "other", cache=cache)
    assert library.returncode == 0, library.stderr
    shutil.copy(library.stdout.strip(), new)
    ferry.write_text(page_text("ferry").replace("wins council vote", "wins a vote"))
    assert convert(ferry, "-o", out, cache=cache).returncode == 0
    assert len(mp3s(out)) == 2 and str(ID3(new)["TIT2"]) == ARTICLES["library"][0]


# --- two runs into one folder -------------------------------------------------------------------


def full_text_feed(count: int) -> bytes:
    """An RSS feed of `count` items, each with its full text: articles whose headlines differ
    and whose paragraphs are the ferry's (spoken once for all of them)."""
    _, first, last = ARTICLES["ferry"]
    items = "".join(
        f"<item><title>Harbour news number {number}</title>"
        f"<link>https://example.org/news/{number}</link>"
        f"<content:encoded><![CDATA[<p>{first}</p><p>{last}</p>]]></content:encoded></item>"
        for number in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>The Harbour Gazette</title><link>https://example.org/</link>{items}"
        "</channel></rss>"
    ).encode()


def test_two_runs_into_one_folder_at_once_lose_no_manifest_line(tmp_path, cache):
    """Once a bug: each run rewrote the manifest from what it read when it started; a 20-item
    feed and a 5-row CSV converted into one folder at once left 20 lines, not 25."""
    feed = tmp_path / "news.xml"
    feed.write_bytes(full_text_feed(20))
    _, first, last = ARTICLES["library"]
    rows = []
    for number in range(1, 6):
        (tmp_path / f"brief-{number}.txt").write_text(
            f"Library brief {number}\n\n{first}\n\n{last}\n"
        )
        rows.append(f"brief-{number}.txt")
    listing = tmp_path / "briefs.csv"
    listing.write_text("source\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "audiogen", "convert", "-o", str(out), "--cache-dir",
               str(cache)]  # fmt: skip
    runs = [
        subprocess.Popen([*command, str(feed), "--jobs", "2"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen([*command, str(listing), "--jobs", "1"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
    ]  # fmt: skip
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results

    entries = by_source(out)
    assert len(entries) == 25
    assert {e["status"] for e in entries.values()} == {"converted"}
    assert {e["source"] for e in entries.values()} == {
        *(f"https://example.org/news/{n}" for n in range(1, 21)),
        *(str(tmp_path / row) for row in rows),
    }
    printed = [line for stdout, _ in results for line in stdout.splitlines()]
    assert sorted(e["output"] for e in entries.values()) == sorted(printed)
    assert sorted(Path(line).name for line in printed) == [p.name for p in mp3s(out)]
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


# --- a voice per source from a list file --------------------------------------------------------


def test_a_csv_list_gives_each_row_its_voice(tmp_path, cache):
    for name in ARTICLES:
        write_article(tmp_path, name)
    listing = tmp_path / "cms.csv"
    listing.write_text("source,voice\nferry.txt,joe\nlibrary.txt,robot\nbridge.txt,\n")
    out = tmp_path / "out"
    result = convert(listing, "-o", out, "--jobs", "2", cache=cache)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    ferry, library, bridge = (str(tmp_path / f"{name}.txt") for name in ARTICLES)
    entries = by_source(out)
    assert set(entries) == {ferry, library, bridge}
    assert entries[ferry]["status"] == "converted" and entries[ferry]["voice"] == "joe"
    assert entries[bridge]["status"] == "converted" and entries[bridge]["voice"] == "joe"
    assert entries[library]["status"] == "failed" and entries[library]["voice"] == "robot"
    (error,) = error_lines(result.stderr)
    assert error.startswith(f"audiogen: error: {library}: unknown voice 'robot'"), error
    assert len(mp3s(out)) == 2
    for mp3 in mp3s(out):
        decode_mp3(mp3)


# --- what the terminal shows --------------------------------------------------------------------


def test_quiet_prints_only_the_paths_and_plain_progress_otherwise(tmp_path, cache):
    ferry, library = write_article(tmp_path, "ferry"), write_article(tmp_path, "library")
    quiet = convert(ferry, library, "-o", tmp_path / "quiet", "--jobs", "2", "--quiet",
                    cache=cache)  # fmt: skip
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert sorted(quiet.stdout.splitlines()) == [str(p) for p in mp3s(tmp_path / "quiet")]
    assert len(mp3s(tmp_path / "quiet")) == 2

    # Standard error is a pipe here, not a terminal: one plain line per article.
    loud = convert(ferry, library, "-o", tmp_path / "loud", "--jobs", "2", cache=cache)
    assert loud.returncode == 0, loud.stderr
    progress = [line for line in loud.stderr.splitlines() if re.match(r"audiogen: \[\d/2\] ", line)]
    assert len(progress) == 2, loud.stderr
    assert progress[0].startswith("audiogen: [1/2] ") and progress[1].startswith("audiogen: [2/2] ")
    assert all(": converted, " in line for line in progress)
    assert "\x1b[" not in loud.stderr  # no terminal control codes in a log
    assert sorted(loud.stdout.splitlines()) == [str(p) for p in mp3s(tmp_path / "loud")]


def test_a_workers_warning_is_said_once_by_the_parent(tmp_path, cache):
    ferry = write_article(tmp_path, "ferry")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(page_text("library").replace("cafe", "café").encode("cp1252"))
    out = tmp_path / "out"
    result = convert(ferry, legacy, "-o", out, "--jobs", "2", cache=cache)

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "not valid UTF-8" in line]
    assert warnings == [f"audiogen: warning: {legacy}: not valid UTF-8; read it as cp1252"], (
        result.stderr
    )
    assert {entry["status"] for entry in manifest(out)} == {"converted"}
    entry = by_source(out)[str(legacy)]
    assert "café" in str(ID3(entry["output"]).getall("USLT")[0])


def test_a_batch_log_follows_its_long_article_and_says_the_short_ones_once(tmp_path, cache):
    long, ferry = write_long_article(tmp_path), write_article(tmp_path, "ferry")
    result = convert(long, ferry, "-o", tmp_path / "out", "--jobs", "2", cache=cache)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "\x1b" not in result.stderr
    results = [line for line in lines if re.match(r"audiogen: \[\d/2\] ", line)]
    assert len(results) == 2 and all(": converted, " in line for line in results), lines
    # The long one's lines: each tenth of its sentences, from the worker that speaks it, then
    # its result line; the short one has only its result line.
    own = [line for line in lines if line.startswith(f"audiogen: {long}: ")]
    assert len(own) == 10 and own[-1].endswith("; writing the MP3"), lines
    assert re.match(rf"audiogen: {re.escape(str(long))}: 12% \(5/41 sentences, ", own[0]), own
    (long_result,) = [line for line in results if "long-read.txt: converted" in line]
    assert lines.index(own[-1]) < lines.index(long_result)
    assert not [line for line in lines if line.startswith(f"audiogen: {ferry}: ")], lines


def test_a_terminal_gives_a_batchs_long_article_a_row_of_its_own(tmp_path):
    long, ferry = write_long_article(tmp_path), write_article(tmp_path, "ferry")
    # No cache: every sentence is spoken, so that the bar has time to show each step.
    status, screen = run_in_a_terminal(
        "convert", str(long), str(ferry), "-o", str(tmp_path / "out"), "--jobs", "2", "--no-cache"
    )
    assert status == 0, screen
    lines = on_screen(screen)
    batch = [
        re.fullmatch(r"converting [━╸╺ ]*(\d)/2 articles .* of audio .*", line) for line in lines
    ]
    assert any(row and row[1] in "01" and "long-read.txt" in row[0] for row in batch), lines[-40:]
    row = re.compile(r"long-read\.txt [━╸╺ ]*(\d+)/41 sentences \d+:\d\d of audio ?(.*)")
    done = [int(match[1]) for match in map(row.fullmatch, lines) if match]
    assert done == sorted(done) and len(set(done)) > 3, lines[-40:]  # it advances
    assert not [line for line in lines if re.search(r"ferry\.txt [━╸╺ ]*\d+/\d+ sentences", line)]


# --- killed and interrupted ---------------------------------------------------------------------


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen, list[str], Path, Path]:
    """A batch of three articles on two workers, with a cache of its own (so it speaks), in a
    process group of its own; returns once it has spoken a sentence and not yet finished."""
    sources = [write_article(tmp_path, name) for name in ARTICLES]
    out, own_cache = tmp_path / "out", tmp_path / "cache"
    command = ["convert", *map(str, sources), "-o", str(out), "--jobs", "2",
               "--cache-dir", str(own_cache)]  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "audiogen", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not cache_keys(own_cache):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the batch ended before speaking: {process.communicate()}")
        time.sleep(0.02)
    assert len(mp3s(out)) < len(sources), "the batch finished before it could be stopped"
    return process, command, out, own_cache


def test_kill_9_mid_batch_leaves_only_whole_mp3s_and_the_next_run_finishes(tmp_path):
    process, command, out, own_cache = start_batch(tmp_path)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    spoken = cache_keys(own_cache)
    assert spoken

    # At worst hidden leftovers beside the whole MP3s, their subtitles and chapters (written
    # just before the MP3) and the manifest.
    left = [p.name for p in out.iterdir()] if out.exists() else []
    whole = (".mp3", ".vtt", ".srt", ".chapters.json")
    assert all(name.startswith(".") or name.endswith(whole) or name == "manifest.jsonl"
               for name in left), left  # fmt: skip
    for mp3 in mp3s(out):
        decode_mp3(mp3)
    result = run_cli(*command)
    assert result.returncode == 0, result.stderr
    assert parts(out) == []
    assert len(mp3s(out)) == len(ARTICLES)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for mp3 in mp3s(out):
        decode_mp3(mp3)
    assert spoken <= cache_keys(own_cache)
    assert {entry["status"] for entry in manifest(out)} <= {"converted", "skipped"}
    assert len(manifest(out)) == len(ARTICLES)


def test_ctrl_c_stops_the_batch_in_one_line(tmp_path):
    process, _, out, _ = start_batch(tmp_path)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"still running a minute after Ctrl-C: {process.communicate()}")

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    interrupted = [line for line in stderr.splitlines() if "interrupt" in line.lower()]
    assert len(interrupted) == 1, stderr
    assert interrupted[0].startswith("audiogen: error: interrupted"), stderr
    assert error_lines(stderr) == interrupted, stderr  # the articles cut short did not fail
    if (out / "manifest.jsonl").exists():
        assert "failed" not in {entry["status"] for entry in manifest(out)}
    assert parts(out) == []
    for mp3 in mp3s(out):
        decode_mp3(mp3)


def worker_processes(parent: int) -> list[int]:
    """The batch's spawned worker processes (not its resource tracker)."""
    found = []
    for name in os.listdir("/proc"):
        try:
            ppid = int(Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            command = Path(f"/proc/{name}/cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"spawn_main" in command:
            found.append(int(name))
    return found


def session(leader: int) -> list[int]:
    """Every process still in the session `leader` started, itself included."""
    found = []
    for name in os.listdir("/proc"):
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if name.isdigit() and int(fields[3]) == leader and fields[0] != "Z":
            found.append(int(name))
    return found


def wait_for_none(leader: int) -> list[int]:
    """The session's processes, once none is left or a minute has passed."""
    deadline = time.monotonic() + 60
    while session(leader) and time.monotonic() < deadline:
        time.sleep(0.1)
    return session(leader)


@pytest.mark.parametrize(
    ("number", "status", "whole_group"),
    [
        (signal.SIGTERM, 143, False),  # kill PID
        (signal.SIGTERM, 143, True),  # a service manager stopping every process of the service
        (signal.SIGHUP, 129, False),  # the terminal or SSH session closed
    ],
)
def test_sigterm_and_sighup_stop_the_batch_as_ctrl_c_does(tmp_path, number, status, whole_group):
    """Once a bug: SIGTERM killed the parent alone; its workers went on converting, wrote MP3s
    the manifest never recorded, and then waited for work forever."""
    process, _, out, _ = start_batch(tmp_path)
    if whole_group:
        os.killpg(process.pid, number)
    else:
        process.send_signal(number)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"still running two minutes after the signal: {process.communicate()}")

    assert process.returncode == status, stderr
    assert "Traceback" not in stderr, stderr
    name = signal.Signals(number).name
    assert error_lines(stderr) == [
        f"audiogen: error: stopped by {name}; run the same command again to carry on where it "
        "stopped"
    ], stderr
    assert wait_for_none(process.pid) == []  # no worker outlives the command
    assert parts(out) == [] and [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    # What finished is recorded, and only that: every MP3 there, none that is not.
    recorded = manifest(out) if (out / "manifest.jsonl").exists() else []
    assert {entry["status"] for entry in recorded} <= {"converted"}
    assert sorted(entry["output"] for entry in recorded) == sorted(stdout.splitlines())
    assert sorted(Path(entry["output"]).name for entry in recorded) == [p.name for p in mp3s(out)]
    for mp3 in mp3s(out):
        decode_mp3(mp3)


def test_a_parent_killed_outright_takes_its_workers_with_it(tmp_path):
    process, command, out, _ = start_batch(tmp_path)
    process.kill()  # the parent alone, which cannot stop anything now
    process.communicate(timeout=30)
    assert wait_for_none(process.pid) == []
    result = run_cli(*command)
    assert result.returncode == 0, result.stderr
    assert len(mp3s(out)) == len(ARTICLES) and parts(out) == []


def test_a_worker_killed_once_costs_no_article(tmp_path):
    """Once a bug: one worker killed from outside (the OOM killer, an operator) before any article
    has finished breaks the pool, and batch._in_workers then fails every unfinished article
    ("a worker process died converting it"), even the one no worker had started: it retries
    only when the broken pool finished something. Nothing here kills every worker it meets,
    so every article should be converted on a new pool."""
    process, _, out, _ = start_batch(tmp_path)
    workers = worker_processes(process.pid)
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"the batch hung after losing a worker: {process.communicate()}")

    assert "Traceback" not in stderr, stderr
    entries = by_source(out)
    assert {source: entry["status"] for source, entry in entries.items()} == {
        str(tmp_path / f"{name}.txt"): "converted" for name in ARTICLES
    }, stderr
    assert process.returncode == 0, stderr
    assert len(stdout.splitlines()) == len(ARTICLES)
    for mp3 in mp3s(out):
        decode_mp3(mp3)


def test_ctrl_c_while_workers_start_is_one_line_without_traceback(tmp_path, cache):
    """Once a bug: Ctrl-C in the first moments of a batch, while the spawned workers are still
    importing (before batch._start_worker runs), makes each worker print a Python traceback."""
    sources = [write_article(tmp_path, name) for name in ("ferry", "library")]
    process = subprocess.Popen(
        [sys.executable, "-m", "audiogen", "convert", *map(str, sources), "-o",
         str(tmp_path / "out"), "--jobs", "2", "--cache-dir", str(cache)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not worker_processes(process.pid):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no worker process started: {process.communicate()}")
        time.sleep(0.005)
    time.sleep(0.1)  # the worker is running: importing what it needs to unpickle its job
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.splitlines() == [
        "audiogen: error: interrupted; run the same command again to carry on where it stopped"
    ]


def test_ctrl_c_while_sources_are_fetched_exits_130_in_one_line(tmp_path):
    """Once a bug: Ctrl-C while the command line's sources are expanded (a URL or feed being
    fetched) is not caught by cli.convert: click prints "Aborted!" and the exit status is 1."""
    with LocalSite() as site:
        site.routes["/slow"] = lambda: (200, {"Content-Type": "text/html"},
                                        dripping(6, b" ", 0.5))  # fmt: skip
        process = subprocess.Popen(
            [sys.executable, "-m", "audiogen", "convert", site.url("/slow"), "-o",
             str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not site.requests:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the page was never fetched: {process.communicate()}")
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)

    assert "Traceback" not in stderr, stderr
    assert "Aborted!" not in stderr, stderr
    assert process.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        "audiogen: error: interrupted; run the same command again to carry on where it stopped"
    ]


# --- leftovers of killed writers ----------------------------------------------------------------


WRITER = """
import sys, time
from pathlib import Path
from audiogen.files import owned_temporary

with owned_temporary(Path(sys.argv[1]), "2023-03-04-ferry", ".mp3.part") as part:
    print(part, flush=True)
    time.sleep(600)
"""


def test_remove_stale_parts_removes_the_dead_writers_files_only(tmp_path):
    """Once a bug: a leftover was kept while a process with its writer's id ran, so a killed
    writer's file survived the next run when the id was in use again (or its writer had not
    quite gone yet)."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        live = Path(writer.stdout.readline().strip())
        # A killed writer's file, named with a process id that is running now: this one's.
        stale = tmp_path / f".2023-03-04-library.{os.getpid()}-4e5f6a7b{PART}"
        kept = tmp_path / "2023-03-04-ferry.mp3"
        for path in (stale, kept):
            path.write_bytes(b"\xff\xfb")

        assert remove_stale_parts(tmp_path) == [stale]
        assert live.exists() and kept.exists() and not stale.exists()
    finally:
        writer.kill()
        writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    assert remove_stale_parts(tmp_path) == [live]  # its writer is gone, still under its id
    assert remove_stale_parts(tmp_path / "not-made") == []


def test_a_killed_manifest_rewrite_leaves_no_hidden_file(tmp_path, cache):
    """Once a bug: Manifest._rewrite writes `.manifest.jsonl.<pid>-<hex>.part` and renames it; a run
    killed between the two leaves that file, and no later run ever removes it."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / f".manifest.jsonl.{dead.pid}-0a1b2c3d.part"
    leftover.write_text('{"source": "half', encoding="utf-8")
    result = convert(write_article(tmp_path, "ferry"), "-o", out, cache=cache)
    assert result.returncode == 0, result.stderr
    assert len(manifest(out)) == 1
    assert not leftover.exists()


def test_an_output_folder_that_cannot_be_written_fails_once_before_any_fetch(tmp_path, cache):
    """Once a bug: `-o notes.txt/out` (a path under a regular file) was found only when each
    article was written, after every source had been fetched, and said once per source."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a folder")
    ferry, library = write_article(tmp_path, "ferry"), write_article(tmp_path, "library")
    with LocalSite() as site:
        site.page("/bridge", page_html("bridge", 4))
        result = convert(ferry, site.url("/bridge"), library, "-o", notes / "out", cache=cache)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"audiogen: error: {notes / 'out'}: cannot write there: Not a directory"
    ]
    assert site.requests == []  # nothing fetched: the folder was checked first
    assert notes.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("profile", "said"),
    [
        ('headline_voice = "gtts-en-us"', "the headline voice 'gtts-en-us' uses gtts"),
        ('intro_audio = "notes.txt"', "cannot play"),
        ('cover = "notes.txt"', "not an image"),
    ],
)
def test_a_profile_that_would_fail_every_article_fails_once_before_any_fetch(
    tmp_path, cache, profile, said
):
    (tmp_path / "notes.txt").write_text("not a sound, not a picture")
    (tmp_path / "house.toml").write_text(profile + "\n")
    ferry, library = write_article(tmp_path, "ferry"), write_article(tmp_path, "library")
    out = tmp_path / "out"
    with LocalSite() as site:
        site.page("/bridge", page_html("bridge", 4))
        result = convert(ferry, site.url("/bridge"), library, "-o", out,
                         "--profile", tmp_path / "house.toml", cache=cache)  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("audiogen: error: ") and said in line, line
    assert site.requests == [] and not out.exists()
