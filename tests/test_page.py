"""The web page (service/page.py and page/): its routes, then the page in a real browser,
Debian's chromium driven by Playwright for Python, against the real service (`audiogen serve`
in its own process, the real voice) fetching articles from a loopback site.

A listener on a phone-sized screen, by keyboard: a wrong token is refused and asked for again;
with the right one, pastes two links (one to a missing page, whose job fails alone with its
reason shown) and uploads a saved text file, watches the jobs finish, opens the episode, plays
it (the audio element's time advances), presses a chapter (the time jumps to the chapter's
start) and sees the highlighted transcript line change to the cue the .vtt has at that time.
A screenshot is kept in the test's folder and in test-artifacts/page.png. On a --private
server the page still loads, asks for the token, and plays with it.

Without chromium or Playwright the browser tests skip, saying what to install; nothing is
downloaded at run time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from tests.conftest import ROOT
from tests.local_site import LocalSite
from tests.test_serve import TOKEN, WRITE, Server

HEADLINE = "Harbour ferry wins council vote"
PARAGRAPHS = (
    "The city council approved a new electric ferry on Thursday night, ending a long dispute "
    "over the cost. The vote was close.",
    "The boat will carry four hundred passengers and forty bicycles from next summer. It will "
    "cross the harbour every twenty minutes.",
    "Fishermen on the north quay said they welcomed the quieter engine. The old diesel ferry "
    "will be sold at auction in the spring.",
)
# A saved text file to upload: the text as copied out of a browser.
SAVED_HEADLINE = "Library opens on Sundays"
SAVED_PARAGRAPHS = (
    "The central library will open on Sundays from next month, the mayor said on Tuesday.",
    "Volunteers will staff the reading rooms, and the cafe will stay closed for now.",
)
PHONE = {"width": 390, "height": 844}
ARTIFACT = ROOT / "test-artifacts" / "page.png"
# Generous bounds on waits, never assertions about speed: a shared 2-core machine is slow.
JOB_TIMEOUT_MS = 180_000
STEP_TIMEOUT_MS = 30_000


def article_html() -> bytes:
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{HEADLINE} | The Harbour Gazette</title>
<meta property="og:title" content="{HEADLINE}">
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2023-03-04T15:14:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{HEADLINE}</h1>{paragraphs}</article>
<footer>Copyright The Harbour Gazette</footer>
</body></html>""".encode()


# --- the page's routes, without a browser -------------------------------------------------------


@pytest.fixture
def client():
    pytest.importorskip("starlette", reason="the service needs pip install 'audiogen[serve]'")
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from audiogen.service import page

    return TestClient(Starlette(routes=page.routes()))


def test_the_page_and_its_files_are_served(client):
    index = client.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in index.headers["content-security-policy"]  # default-src 'self'
    assert "default-src 'self'" in index.headers["content-security-policy"]
    linked = re.findall(r'(?:src|href)="(/static/[^"]+)"', index.text)
    assert sorted(linked) == ["/static/icon.svg", "/static/page.css", "/static/page.js"]
    types = {path: client.get(path).headers["content-type"].split(";")[0] for path in linked}
    assert types == {"/static/icon.svg": "image/svg+xml", "/static/page.css": "text/css",
                     "/static/page.js": "text/javascript"}  # fmt: skip
    assert client.get("/static/index.html").text == index.text


def test_nothing_outside_the_page_folder_is_served(client):
    for path in ("/static/../page.py", "/static/%2e%2e/page.py", "/static/..%2fpage.py",
                 "/static/nothing.js", "/static/"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "FOLDER" not in answer.text


# An address on another server where the page would load it: src=, href=, url(...), fetch(...).
ELSEWHERE = re.compile(r"""(?:(?:src|href)\s*=|url\(|fetch\()\s*["'`]?(?:https?:)?//""")


def test_the_page_takes_nothing_from_elsewhere():
    """No inline script or style (the policy forbids them), no address on another server:
    the service may run offline."""
    from audiogen.service.page import FOLDER

    html = (FOLDER / "index.html").read_text()
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/page.js" defer>']
    assert not re.search(r"<style|<[^>]*\s(?:style|on\w+)=", html)  # inline style, handlers
    for name in ("index.html", "page.js", "page.css"):
        assert not ELSEWHERE.search((FOLDER / name).read_text()), name


# --- the page in a browser ---------------------------------------------------------------------


@pytest.fixture
def browser():
    """The system's chromium under Playwright, or the test skips naming what to install."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the browser test needs Playwright for Python: pip install 'playwright>=1.45'")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("the browser test needs chromium: apt-get install chromium (Debian/Ubuntu)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=chromium_args())
        yield browser
        browser.close()


def chromium_args() -> list[str]:
    # no click on the page's player before play(); muted: the machine may have no sound card
    args = ["--autoplay-policy=no-user-gesture-required", "--mute-audio"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # chromium's sandbox refuses to run as root
    return args


@pytest.fixture
def server(tmp_path):
    """`audiogen serve` (test_serve's Server), allowed to fetch from the loopback site."""
    with served(tmp_path, "--allow-private-urls") as base:
        yield base


@contextlib.contextmanager
def served(tmp_path: Path, *flags: str):
    """`audiogen serve FLAGS` in its own process, for the block: its address."""
    pytest.importorskip("starlette", reason="the service needs pip install 'audiogen[serve]'")
    server = Server(tmp_path / "data", *flags).start()
    try:
        yield server.url
    finally:
        server.stop()


def test_a_private_server_serves_the_page_and_nothing_else(tmp_path):
    """With --private, the page and its files load without the token (they hold no data: the
    page asks for the token), and everything else still needs it."""
    with served(tmp_path, "--private") as base:
        for path in ("/", "/static/page.js", "/static/page.css"):
            assert httpx.get(base + path).status_code == 200, path
        for path in ("/api/articles", "/feed.xml", "/static/../api/articles", "/staticx"):
            assert httpx.get(base + path).status_code == 401, path
        answer = httpx.get(f"{base}/api/articles", headers=WRITE)
        assert answer.status_code == 200 and answer.json()["total"] == 0


def test_a_private_server_plays_to_the_token_holder(browser, tmp_path):
    """On a --private server the page asks for the token before it lists anything; then the
    episode plays, the audio and its track loaded with ?token= (an audio element sends no
    Authorization header)."""
    with served(tmp_path, "--private") as base:
        text = f"{SAVED_HEADLINE}\n\n" + "\n\n".join(SAVED_PARAGRAPHS)
        job_id = httpx.post(f"{base}/api/articles", json={"text": text}, headers=WRITE).json()["id"]
        page = browser.new_page(viewport=PHONE)
        page.goto(base)
        page.set_default_timeout(STEP_TIMEOUT_MS)
        said = "document.getElementById('articles-status').textContent"
        assert "token" in wait_for(page, said, until=lambda text: "token" in text)
        save_token(page, TOKEN)
        item = page.locator(f"#job-{job_id}")
        wait_for(page, f"document.getElementById('job-{job_id}')?.dataset.status",
                 JOB_TIMEOUT_MS, until=lambda status: status in ("done", "failed"))  # fmt: skip
        item.get_by_role("button", name=f"Play: {SAVED_HEADLINE}").press("Enter")
        page.locator("#episode").wait_for(state="visible")
        assert page.evaluate("document.getElementById('player').src").endswith(f"?token={TOKEN}")
        play(page)


def wait_for(page, expression: str, timeout_ms: int = STEP_TIMEOUT_MS, until=bool):
    """The expression's value once `until` holds for it, evaluated in the page every tenth of
    a second. (Playwright's wait_for_function evaluates a string with eval, which the page's
    Content-Security-Policy rightly forbids; page.evaluate is not subject to it.)"""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression)
        if until(value):
            return value
        assert time.monotonic() < deadline, f"still {value!r} after {timeout_ms} ms: {expression}"
        page.wait_for_timeout(100)


def vtt_cues(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue of a WebVTT file, its lines joined by a space."""
    cues = []
    stamp = r"(?:(\d+):)?(\d+):(\d+\.\d+)"
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = block.strip().splitlines()
        timing = [i for i, line in enumerate(lines) if "-->" in line]
        if not timing:
            continue
        found = re.match(rf"{stamp}\s+-->\s+{stamp}", lines[timing[0]])
        h1, m1, s1, h2, m2, s2 = (float(part or 0) for part in found.groups())
        words = " ".join(lines[timing[0] + 1 :])
        cues.append((h1 * 3600 + m1 * 60 + s1, h2 * 3600 + m2 * 60 + s2, words))
    return cues


def test_a_listener_adds_an_article_and_listens(browser, server, tmp_path):
    with LocalSite() as site:
        site.page("/news/ferry", article_html())
        page = browser.new_page(viewport=PHONE)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        listen(page, server, site, tmp_path)
        assert errors == [], errors


def listen(page, base: str, site, tmp_path: Path) -> None:
    """The listener's whole visit, by keyboard."""
    page.goto(base)
    page.set_default_timeout(STEP_TIMEOUT_MS)
    a_wrong_token(page, site.url("/news/ferry"))
    save_token(page, TOKEN)
    saved = tmp_path / "library.txt"
    saved.write_text(f"{SAVED_HEADLINE}\n\n" + "\n\n".join(SAVED_PARAGRAPHS) + "\n")
    job = add_articles(page, base, site.url("/news/ferry"), site.url("/news/gone"), saved)
    check_feed(page, base, job)
    open_episode(page, job)
    chapters = check_chapters(page, base, job)
    cues = vtt_cues(httpx.get(base + job["vtt_url"]).text)
    check_transcript(page, cues)
    first_line = play(page)
    jump_to_chapter(page, chapters[-1], cues, first_line)
    fits_a_phone(page)
    screenshot(page, tmp_path)


def save_token(page, value: str) -> None:
    page.get_by_label("Token", exact=True).fill(value)
    page.get_by_label("Token", exact=True).press("Enter")
    page.locator("#token-saved").wait_for(state="visible")
    assert page.evaluate("localStorage.getItem('audiogen.token')") == value


def a_wrong_token(page, article: str) -> None:
    """The server refuses it: the link stays in the form, the token is asked for again."""
    save_token(page, "not-" + TOKEN)
    page.get_by_label("Article links, one per line").fill(article)
    page.get_by_role("button", name="Read them to me").press("Enter")
    page.locator("#token-form").wait_for(state="visible")
    said = page.locator("#add-status").text_content()
    assert said.startswith(f"Not added: {article}: ") and "token" in said, said
    assert page.get_by_label("Article links, one per line").input_value() == article
    assert page.evaluate("localStorage.getItem('audiogen.token')") is None
    assert page.locator("#jobs li.job").count() == 0


def add_articles(page, base: str, article: str, gone: str, saved: Path) -> dict:
    """Paste two links, the second to a page that is not there, and choose a saved text file;
    send them and watch the three jobs to their end: the article's and the file's are done,
    the missing page's failed with the API's reason shown. The article's job, as the API has
    it, is returned."""
    page.get_by_label("Article links, one per line").fill(f"{article}\n{gone}")
    page.get_by_label("Or a saved page or text file").set_input_files(saved)
    page.get_by_role("button", name="Read them to me").press("Enter")
    wait_for(page, "document.querySelectorAll('#jobs li.job').length", until=lambda n: n == 3)
    wait_for(
        page,
        "[...document.querySelectorAll('#jobs li.job')].map(item => item.dataset.status)",
        JOB_TIMEOUT_MS,
        until=lambda states: set(states) <= {"done", "failed"},
    )
    items = page.locator("#jobs li.job").all()
    jobs = [api_job(base, item.get_attribute("id").removeprefix("job-")) for item in items]
    (uploaded, upload), (failed, failure), (done, job) = zip(items, jobs, strict=True)
    assert [job["source"], failure["source"]] == [article, gone]  # the newest first
    assert [upload["status"], failure["status"], job["status"]] == ["done", "failed", "done"]
    assert done.locator(".job-title").text_content() == job["headline"] == HEADLINE
    assert uploaded.locator(".job-title").text_content() == upload["headline"] == SAVED_HEADLINE
    assert done.locator(".job-state").text_content() == f"Ready, {clock(job['duration'])}"
    assert done.locator(".job-state").get_attribute("aria-live") == "polite"
    assert failed.locator(".job-state").text_content() == f"Failed: {failure['error']}"
    assert failed.get_by_role("button", name=re.compile("^Play")).is_hidden()
    return job


def clock(seconds: float) -> str:
    return f"{round(seconds) // 60}:{round(seconds) % 60:02d}"


def api_job(base: str, job_id: str) -> dict:
    return httpx.get(f"{base}/api/articles/{job_id}").json()


def check_feed(page, base: str, job: dict) -> None:
    """The feed's address, to copy, and the subscribe link: the same feed, in podcast://."""
    feed = urljoin(base + "/", job["feed_url"])
    assert page.locator("#feed-url").input_value() == feed
    assert (
        page.locator("#subscribe-link").get_attribute("href") == "podcast:" + feed.split(":", 1)[1]
    )
    assert httpx.get(feed).status_code == 200


def open_episode(page, job: dict) -> None:
    item = page.locator(f"#job-{job['id']}")
    item.get_by_role("button", name=f"Play: {HEADLINE}").press("Enter")
    episode = page.locator("#episode")
    episode.wait_for(state="visible")
    assert page.locator("#episode-title").text_content() == job["headline"]
    assert page.evaluate("document.activeElement.id") == "episode"  # focus moved to it
    assert (
        page.evaluate("document.getElementById('player').src")
        == f"{page.url.rstrip('/')}{job['mp3_url']}"
    )
    assert page.locator("#download").get_attribute("href").endswith(job["mp3_url"])


def check_chapters(page, base: str, job: dict) -> list[dict]:
    """The chapter buttons are the episode's chapters, as its .chapters.json has them."""
    written = httpx.get(base + job["chapters_url"]).json()["chapters"]
    assert len(written) >= 3, written  # the headline's, then one per paragraph
    buttons = page.locator("#chapters button")
    assert buttons.count() == len(written)
    for button, chapter in zip(buttons.all(), written, strict=True):
        assert chapter["title"] in button.text_content()
    return written


def check_transcript(page, cues: list[tuple[float, float, str]]) -> None:
    """The transcript lists the .vtt's cues, in order, as text."""
    wait_for(page, f"document.querySelectorAll('#transcript li').length === {len(cues)}")
    shown = page.locator("#transcript li").all_text_contents()
    assert shown == [text for _, _, text in cues]


def play(page) -> str:
    """Start the player; its time advances and a transcript line lights up: that line."""
    page.evaluate("document.getElementById('player').play()")
    wait_for(page, "document.getElementById('player').currentTime > 1")
    wait_for(page, "document.querySelector('#transcript li[aria-current]') !== null")
    return page.locator("#transcript li[aria-current]").text_content()


def jump_to_chapter(page, chapter: dict, cues, first_line: str) -> None:
    """Press the chapter's button (by keyboard): the time jumps to its start, and the
    highlighted line becomes the cue playing there."""
    button = page.locator("#chapters button").last
    button.focus()
    button.press("Enter")
    start = chapter["startTime"]
    wait_for(
        page,
        f"document.getElementById('player').currentTime >= {start} && document.querySelector("
        f"'#transcript li[aria-current]')?.dataset.start >= {start - 0.001}",
    )
    now = page.evaluate("document.getElementById('player').currentTime")
    assert start <= now < start + 3, (start, now)  # it went there, and plays on from there
    line = page.locator("#transcript li[aria-current]")
    line_start = float(line.get_attribute("data-start"))
    playing = [text for begin, _, text in cues if abs(begin - line_start) < 0.002]
    assert line.text_content() == playing[0] != first_line
    assert page.evaluate(IN_VIEW), "the highlighted line is scrolled into the list's view"
    assert button.get_attribute("aria-current") == "true"


# Whether the highlighted line lies inside the visible part of the transcript (which scrolls).
IN_VIEW = """(() => {
  const list = document.getElementById('transcript');
  const line = list.querySelector('li[aria-current]');
  return list.scrollHeight > list.clientHeight && line.offsetTop >= list.scrollTop
    && line.offsetTop + line.offsetHeight <= list.scrollTop + list.clientHeight;
})()"""


def fits_a_phone(page) -> None:
    """Nothing wider than the phone's screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def screenshot(page, tmp_path: Path) -> None:
    kept = tmp_path / "page.png"
    page.screenshot(path=str(kept), full_page=True)
    ARTIFACT.parent.mkdir(exist_ok=True)
    shutil.copyfile(kept, ARTIFACT)
    assert kept.stat().st_size > 0
