"""`audiogen serve`: the service started as a real process on a free loopback port, driven over
HTTP with httpx as a newsroom's CMS or a listener's page drives it.

Jobs convert with the real Piper voice; the articles are test_batch's (a headline and two
one-sentence paragraphs), so the suite's chunk cache, which the server inherits through the
environment, often has them spoken already. The MP3s are downloaded and decoded, their tags
read back, and the feed parsed by feedparser and podcastparser.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import httpx
import podcastparser
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from tests.conftest import DECODE_RATE, decode_mp3, write_long_article
from tests.local_site import LocalSite
from tests.test_batch import ARTICLES, page_html, page_text, session, wait_for_none
from tests.test_cluster import cluster  # noqa: F401 (a fixture)

TOKEN = "test-token-1234"
WRITE = {"Authorization": f"Bearer {TOKEN}"}
RATE = 60  # writes a minute a client may make: more than this file's tests make from 127.0.0.1


# --- a server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`audiogen serve` in a process (group) of its own, on a free loopback port."""

    def __init__(self, data: Path, *flags: str, env: dict | None = None) -> None:
        self.data, self.flags, self.env = data, flags, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        command = [sys.executable, "-m", "audiogen", "serve", "--port", str(self.port),
                   "--data", str(self.data), "--token", TOKEN, *self.flags]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True,
                                        env={**os.environ, **(self.env or {})})  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.communicate()
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        os.killpg(self.process.pid, signal.SIGKILL)
        pytest.fail(f"the server did not answer within a minute: {self.process.communicate()}")

    def stop(self, number: int = signal.SIGTERM, group: bool = False) -> tuple[int, str]:
        """Signal the server (or every process of its group, as a terminal's Ctrl-C or a
        service manager does); its exit status and standard error."""
        if group:
            os.killpg(self.process.pid, number)
        else:
            self.process.send_signal(number)
        try:
            _, stderr = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"still running a minute after {signal.Signals(number).name}")
        return self.process.returncode, stderr

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)

    def post(self, path: str = "/api/articles", headers=WRITE, **kwargs) -> httpx.Response:
        return httpx.post(self.url + path, headers=headers, timeout=30, **kwargs)

    def convert(self, **kwargs) -> dict:
        """POST an article; the job once it ended."""
        answer = self.post(**kwargs)
        assert answer.status_code == 202, answer.text
        return self.ended(answer.json()["id"])

    def speaking(self, text: str) -> str:
        """POST a text; its job's id once the job has spoken something (within 2 minutes)."""
        job_id = self.post(json={"text": text}).json()["id"]
        deadline = time.monotonic() + 120
        while self.get(f"/api/articles/{job_id}").json()["progress"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        return job_id

    def ended(self, job_id: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(f"/api/articles/{job_id}").json()
            if job["status"] in ("done", "failed"):
                return job
            time.sleep(0.3)
        pytest.fail(f"job {job_id} not done in {timeout} s: {job}")


@pytest.fixture(scope="module")
def site():
    with LocalSite() as site:
        for day, name in enumerate(ARTICLES, 4):
            site.page(f"/news/{name}", page_html(name, day))
        site.page("/front", b"<html><body><nav><a href='/a'>A</a></nav></body></html>")
        yield site


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("serve"), "--allow-private-urls", "--rate",
                    f"{RATE}/min", "--max-upload", "1").start()  # fmt: skip
    yield server
    if server.process.poll() is None:
        server.stop()


def download(server: Server, url: str, folder: Path) -> Path:
    answer = server.get(url)
    assert answer.status_code == 200, answer.text
    path = folder / url.rsplit("/", 1)[1]
    path.write_bytes(answer.content)
    return path


def check_episode(server: Server, job: dict, headline: str, folder: Path) -> Path:
    """The job's MP3, downloaded: decoded, as long as the job says, its tags the job's."""
    assert job["status"] == "done", job
    assert job["headline"] == headline
    mp3 = download(server, job["mp3_url"], folder)
    seconds = len(decode_mp3(mp3)) / DECODE_RATE
    assert seconds > 5
    assert abs(seconds - job["duration"]) < 0.1, (seconds, job["duration"])
    tags = ID3(mp3)
    assert str(tags["TIT2"]) == headline
    assert [chapter["title"] for chapter in job["chapters"]][0] == headline
    assert job["chapters"][0]["start"] == 0
    starts = [chapter["start"] for chapter in job["chapters"]]
    assert starts == sorted(set(starts))
    vtt = server.get(job["vtt_url"])
    assert vtt.headers["content-type"].startswith("text/vtt") and "WEBVTT" in vtt.text
    return mp3


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_url_an_html_body_and_a_text_upload_become_episodes_in_the_feed(server, site, tmp_path):
    from_url = server.convert(json={"url": site.url("/news/ferry")})
    html = page_html("library", 5).decode()
    from_html = server.convert(json={"html": html, "url": "https://gazette.example/library"})
    upload = {"file": ("bridge.txt", page_text("bridge").encode(), "text/plain")}
    from_file = server.convert(files=upload, data={"byline": "Ann Other"})

    check_episode(server, from_url, ARTICLES["ferry"][0], tmp_path)
    assert from_url["source"] == site.url("/news/ferry")
    assert from_url["publisher"] == "The Harbour Gazette"
    assert from_url["date"].startswith("2023-03-04T15:14:00+01:00")
    mp3 = check_episode(server, from_html, ARTICLES["library"][0], tmp_path)
    assert str(ID3(mp3)["WOAS"].url) == "https://gazette.example/library"
    mp3 = check_episode(server, from_file, ARTICLES["bridge"][0], tmp_path)
    assert str(ID3(mp3)["TPE1"]) == "Ann Other" == from_file["byline"]
    assert from_file["source"] == "uploaded bridge.txt"

    feed = server.get("/feed.xml")
    assert feed.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo, parsed.bozo_exception
    enclosures = {e.title: e.enclosures[0].href for e in parsed.entries}
    for job in (from_url, from_html, from_file):
        assert enclosures[job["headline"]] == server.url + job["mp3_url"]
    podcast = podcastparser.parse(server.url + "/feed.xml", io.BytesIO(feed.content))
    episodes = {episode["title"]: episode for episode in podcast["episodes"]}
    # itunes:duration is in whole seconds, rounded
    assert abs(episodes[from_url["headline"]]["total_time"] - from_url["duration"]) <= 0.51
    enclosure = httpx.get(episodes[from_url["headline"]]["enclosures"][0]["url"])
    assert enclosure.status_code == 200 and enclosure.content[:3] in (b"ID3", b"\xff\xfb")


@pytest.mark.slow
def test_several_urls_in_a_form_are_one_job_each(server, site):
    urls = [site.url("/news/bridge"), site.url("/news/library")]
    answer = server.post(data={"urls": "\n".join(urls) + "\n\n", "headline": "Town news"})
    assert answer.status_code == 202, answer.text
    jobs = [server.ended(job["id"]) for job in answer.json()["jobs"]]
    assert [job["source"] for job in jobs] == urls
    assert [job["status"] for job in jobs] == ["done", "done"], jobs
    assert [job["headline"] for job in jobs] == ["Town news", "Town news"]  # the override
    assert len({job["mp3_url"] for job in jobs}) == 2  # two articles: their dates differ
    listed = server.post(json={"urls": urls[:1]}).json()["jobs"]
    assert server.ended(listed[0]["id"])["source"] == urls[0]


@pytest.mark.slow
def test_a_job_names_one_of_the_servers_profiles_and_nothing_else(server, tmp_path):
    profiles = server.data / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "brief.toml").write_text('[output]\nbitrate = "32k"\n', encoding="utf-8")
    (server.data / "elsewhere.toml").write_text('[output]\nbitrate = "128k"\n', encoding="utf-8")
    for name in ("../elsewhere", str(server.data / "elsewhere.toml"), "missing", 7):
        refused = server.post(json={"text": page_text("ferry"), "profile": name})
        assert refused.status_code == 400, refused.text
        assert "is not one of this server's: brief" in refused.json()["error"]
    headline = "The ferry, briefly"
    asked = {"text": page_text("ferry"), "profile": "brief", "headline": headline}
    job = server.convert(json=asked)
    mp3 = check_episode(server, job, headline, tmp_path)
    assert MP3(mp3).info.bitrate == 32000  # the profile's, not the server's default 64k


@pytest.mark.slow
def test_the_audio_is_served_in_ranges_with_its_cache_headers(server, tmp_path):
    job = server.convert(json={"text": page_text("ferry")})
    whole = server.get(job["mp3_url"])
    assert whole.headers["content-type"] == "audio/mpeg"
    assert whole.headers["accept-ranges"] == "bytes"
    assert "max-age" in whole.headers["cache-control"]
    part = server.get(job["mp3_url"], headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.content == whole.content[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(whole.content)}"
    tail = server.get(job["mp3_url"], headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == whole.content[-500:]
    again = server.get(job["mp3_url"], headers={"If-None-Match": whole.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.slow
def test_a_bad_article_fails_alone_with_its_reason(server, site):
    bad = server.post(json={"url": site.url("/front")}).json()["id"]
    good = server.post(json={"text": page_text("library")}).json()["id"]
    failed, done = server.ended(bad), server.ended(good)
    assert failed["status"] == "failed", failed
    assert failed["error"].startswith(site.url("/front") + ": ") and "\n" not in failed["error"]
    assert failed["mp3_url"] is None
    assert done["status"] == "done", done


@pytest.mark.slow
def test_a_posted_texts_failure_names_it_not_the_servers_file(server):
    job = server.convert(json={"text": "Hello there."})
    assert job["status"] == "failed", job
    assert job["error"].startswith("posted text: "), job["error"]
    assert str(server.data) not in job["error"]


@pytest.mark.slow
def test_delete_removes_the_job_and_its_files(server):
    job = server.convert(
        json={
            "text": page_text(
                "bridge",
                "The council will vote on the plan again next spring, after a public consultation.",
            )
        }
    )
    assert job["status"] == "done", job
    names = [job[key] for key in ("mp3_url", "vtt_url", "srt_url", "chapters_url")]
    assert all(server.get(name).status_code == 200 for name in names)
    assert httpx.delete(f"{server.url}/api/articles/{job['id']}").status_code == 401
    answer = httpx.delete(f"{server.url}/api/articles/{job['id']}", headers=WRITE)
    assert answer.status_code == 204
    assert server.get(f"/api/articles/{job['id']}").status_code == 404
    assert [server.get(name).status_code for name in names] == [404] * 4
    assert not any((server.data / "audio" / name.rsplit("/", 1)[1]).exists() for name in names)
    assert list((server.data / "inbox").glob(f"{job['id']}*")) == []


@pytest.mark.slow
def test_deleting_a_running_job_stops_it_and_the_workers_go_on(server, tmp_path):
    text = write_long_article(tmp_path, "cancelled").read_text().replace("forty", "forty-one")
    deadline = time.monotonic() + 120  # for both waits, as one bound
    job_id = server.speaking(text)
    assert httpx.delete(f"{server.url}/api/articles/{job_id}", headers=WRITE).status_code == 204
    after = server.convert(json={"text": page_text("library")})
    assert after["status"] == "done", after
    while server.get("/healthz").json()["articles"]:  # until the worker let it go
        assert time.monotonic() < deadline
        time.sleep(0.1)
    # Stopped, not finished and then removed: a finished article is in the manifest.
    audio = server.data / "audio"
    assert "forty-one" not in (audio / "manifest.jsonl").read_text()
    assert [p.name for p in audio.iterdir() if "forty-one" in p.name or ".part" in p.name] == []
    assert job_id not in {item["id"] for item in server.get("/api/articles").json()["items"]}


@pytest.mark.slow
def test_the_events_stream_follows_a_job_to_its_end(server):
    job_id = server.post(
        json={
            "text": page_text(
                "ferry", "The first crossing will leave the harbour at noon on the first of June."
            )
        }
    ).json()["id"]
    seen = []
    with httpx.stream("GET", f"{server.url}/api/articles/{job_id}/events", timeout=300) as events:
        assert events.headers["content-type"].startswith("text/event-stream")
        for line in events.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line[6:]))
    assert seen[-1]["status"] == "done" and seen[-1]["id"] == job_id
    progress = [job["progress"] for job in seen]
    assert progress == sorted(progress) and len(seen) == len({json.dumps(j) for j in seen})


class Hook:
    """A webhook's receiver on the loopback interface: the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.called: list[dict] = []
        called = self.called

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                called.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/done"

    def __enter__(self) -> Hook:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.slow
def test_the_webhook_is_posted_the_job_when_it_ends(server):
    with Hook() as hook:
        job = server.convert(json={"text": page_text("library"), "webhook": hook.url})
        deadline = time.monotonic() + 30
        while not hook.called and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [(c["id"], c["status"], c["mp3_url"]) for c in hook.called] == [
        (job["id"], "done", job["mp3_url"])
    ]


@pytest.mark.slow
def test_a_webhook_on_a_private_address_is_not_called_without_the_flag(tmp_path):
    server = Server(tmp_path, "--jobs", "1").start()
    try:
        with Hook() as hook:
            job = server.convert(json={"text": page_text("ferry"), "webhook": hook.url})
            assert job["status"] == "done", job
            while server.get("/healthz").json()["articles"]:
                time.sleep(0.1)
    finally:
        _, stderr = server.stop()
    assert hook.called == []
    assert f"webhook not called: refused to call {hook.url}: a private address" in stderr, stderr


@pytest.mark.slow
def test_a_worker_killed_mid_job_costs_no_job(server, tmp_path):
    text = write_long_article(tmp_path, "killed").read_text().replace("forty", "forty-two")
    job_id = server.speaking(text)
    workers = [pid for pid in session(server.process.pid) if b"spawn_main" in cmdline(pid)]
    assert workers
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    job = server.ended(job_id)
    assert job["status"] == "done", job  # tried again on a new worker
    assert server.convert(json={"text": page_text("bridge")})["status"] == "done"


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.slow
def test_a_job_converts_on_the_cluster(tmp_path, cluster):  # noqa: F811 (the fixture)
    local_cluster, _ = cluster
    server = Server(tmp_path, "--cluster", local_cluster.scheduler_address).start()
    try:
        job = server.convert(json={"text": page_text("bridge")})
        check_episode(server, job, ARTICLES["bridge"][0], tmp_path)
    finally:
        server.stop()


def test_the_list_is_paged_newest_first(server):
    ids = [server.post(json={"url": f"http://127.0.0.1:9/none-{n}"}).json()["id"] for n in range(3)]
    page = server.get("/api/articles", params={"limit": 2}).json()
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    assert page["total"] >= 3 and page["next"] == "/api/articles?limit=2&offset=2"
    following = server.get(page["next"]).json()
    assert following["items"][0]["id"] == ids[0]
    assert server.get("/api/articles", params={"limit": 0}).status_code == 400


# --- security and limits -------------------------------------------------------------------------


def test_writes_need_the_token_reads_do_not(server):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
        answer = server.post(json={"text": "x"}, headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"].startswith("this needs the server's token")
    assert server.get("/api/articles").status_code == 200
    assert server.get("/openapi.json").json()["paths"]["/api/articles"]["post"]


@pytest.mark.parametrize(
    "name",
    ["..%2Fjobs.sqlite", "%2E%2E%2Ftoken", "manifest.jsonl", "feed.xml", "%2E%2E", ".x.mp3",
     "%2Fetc%2Fpasswd", "..%5Cjobs.sqlite", "nothing.mp3"],
)  # fmt: skip
def test_a_file_not_in_the_audio_folders_listing_is_not_found(server, name):
    answer = server.get("/audio/" + name)
    assert answer.status_code == 404
    assert b"sqlite" not in answer.content[:16] and "error" in answer.json()


def test_bad_requests_are_one_line_errors(server):
    cases = [
        ({"content": b"{not json", "headers": {**WRITE, "Content-Type": "application/json"}}, 400),
        ({"json": {"url": "ftp://example.com/a"}}, 400),
        ({"json": {"url": "https://example.com/a", "date": "yesterday"}}, 400),
        ({"json": {"url": "https://example.com/a", "voice": "nobody"}}, 400),
        ({"json": {"url": "https://example.com/a", "profile": "../../etc/passwd"}}, 400),
        ({"json": {}}, 400),
        ({"content": b"url=x", "headers": {**WRITE, "Content-Type": "text/plain"}}, 415),
    ]
    for request, status in cases:
        answer = server.post(**request)
        assert answer.status_code == status, (request, answer.text)
        assert "\n" not in answer.json()["error"]


def test_a_body_over_the_limit_is_refused(server):
    big = {"text": "word " * 250_000}  # 1.25 MB, over --max-upload 1
    answer = server.post(json=big)
    assert answer.status_code == 413 and "1 MB" in answer.json()["error"]
    upload = {"file": ("big.txt", b"x" * 1_100_000, "text/plain")}
    assert server.post(files=upload).status_code == 413


def test_a_client_writing_too_fast_is_told_when_to_come_back(server):
    # From another loopback address: a client of its own, whose writes only it counts.
    client = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    answers = [client.post(server.url + "/api/articles", json={}, headers=WRITE)
               for _ in range(RATE + 1)]  # fmt: skip
    assert [a.status_code for a in answers] == [400] * RATE + [429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert server.post(json={}).status_code == 400  # 127.0.0.1 is another client


def test_private_reads_need_the_token(tmp_path):
    server = Server(tmp_path, "--private", "--jobs", "1").start()
    try:
        assert server.get("/api/articles").status_code == 401
        assert server.get("/api/articles", headers=WRITE).status_code == 200
        assert server.get("/api/articles", params={"token": TOKEN}).status_code == 200
        empty = server.get("/feed.xml", auth=("me", TOKEN))  # no episodes yet: a channel alone
        assert empty.status_code == 200
        parsed = feedparser.parse(empty.content)
        assert parsed.bozo == 0 and parsed.feed.title and parsed.entries == []
        podcast = podcastparser.parse(server.url + "/feed.xml", io.BytesIO(empty.content))
        assert podcast["episodes"] == []
    finally:
        assert server.stop()[0] == 128 + signal.SIGTERM


def test_serve_without_the_extra_says_what_to_install():
    code = "import sys; sys.modules['uvicorn'] = None; from audiogen.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "serve"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "audiogen: error: audiogen serve needs the serve extra: pip install 'audiogen[serve]'\n"
    )


# --- stopping and starting again -----------------------------------------------------------------


@pytest.mark.slow
def test_a_restart_mid_job_runs_it_again_to_the_end(tmp_path):
    """The server killed outright while a job is speaking: its workers end with it, and the
    server started again on the same data folder finishes the job."""
    env = {"AUDIOGEN_CACHE_DIR": str(tmp_path / "cache")}  # a cache of its own: really spoken
    text = write_long_article(tmp_path).read_text()
    server = Server(tmp_path / "data", "--jobs", "1", env=env).start()
    job_id = server.speaking(text)
    server.stop(signal.SIGKILL)
    assert wait_for_none(server.process.pid) == []  # no worker outlives its server

    again = Server(tmp_path / "data", "--jobs", "1", env=env).start()
    try:
        job = again.ended(job_id)
        assert job["status"] == "done", job
        mp3 = download(again, job["mp3_url"], tmp_path)
        assert abs(len(decode_mp3(mp3)) / DECODE_RATE - job["duration"]) < 0.1
        assert len(again.get("/api/articles").json()["items"]) == 1
    finally:
        status, stderr = again.stop()
    assert status == 128 + signal.SIGTERM and "Traceback" not in stderr, stderr
    assert wait_for_none(again.process.pid) == []


@pytest.mark.parametrize(
    ("number", "whole_group"),
    [
        (signal.SIGTERM, False),
        (signal.SIGTERM, True),
        (signal.SIGINT, True),
        (signal.SIGHUP, False),
    ],
)
def test_a_signal_stops_the_server_and_every_worker(tmp_path, number, whole_group):
    """kill, a service manager stopping the group, Ctrl-C at a terminal, a closed session."""
    server = Server(tmp_path, "--jobs", "2").start()
    workers = [pid for pid in session(server.process.pid) if b"spawn_main" in cmdline(pid)]
    assert len(workers) == 2
    status, stderr = server.stop(number, group=whole_group)
    assert status == 128 + number
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    assert wait_for_none(server.process.pid) == []


def test_settings_that_cannot_work_are_one_line_before_the_server_starts(tmp_path):
    from tests.conftest import run_cli

    unknown = run_cli("serve", "--data", str(tmp_path / "data"), "--voice", "nobody")
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines()[-1].startswith("audiogen: error: unknown voice 'nobody'")
    (tmp_path / "file").write_text("not a folder")
    unwritable = run_cli("serve", "--data", str(tmp_path / "file" / "data"))
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert unwritable.stderr.startswith(f"audiogen: error: {tmp_path / 'file' / 'data'}: ")
    bad_rate = run_cli("serve", "--data", str(tmp_path / "data"), "--rate", "lots")
    assert bad_rate.returncode == 2 and "--rate" in bad_rate.stderr
