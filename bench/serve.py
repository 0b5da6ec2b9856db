"""The service under load (issue 13): read endpoints while a batch converts, and the time from
POST to a playable episode against `audiogen convert`.

    .venv/bin/python bench/serve.py [--clients 50] [--seconds 30] [--batch 8] [--jobs N]

1. `audiogen serve` as a real process on a free loopback port, a fresh data folder and a
   fresh, empty chunk cache (AUDIOGEN_CACHE_DIR), its workers started.
2. POST to playable: the sample (examples/kyiv-independent-2022-12-25.txt) POSTed as text,
   timed from the POST until GET /api/articles/ID says done and a Range read of its mp3_url
   answers 206 with MP3 bytes; then POSTed again under another headline (every sentence in
   the cache). Against `audiogen convert SAMPLE -o OUT --cache-dir EMPTY --quiet`, a fresh
   process timed by the wall clock (start-up and voice load included, as a user waits).
3. Load: `--batch` made-up article pages (bench/articles.py) POSTed as HTML, converting in
   the server's workers, while `--clients` concurrent httpx clients (one AsyncClient, a
   connection each) hit one endpoint for `--seconds` seconds, endpoint after endpoint:
   GET /api/articles, GET /api/articles/ID, GET /feed.xml and GET /audio/X.mp3 with
   `Range: bytes=0-65535`. Requests a second, median and 99th-percentile latency, errors,
   and how many jobs were still converting (and done) when each phase ended: the load must
   overlap the batch to mean anything. `--idle`: the same load before the batch is posted.

The load generator runs in this process, on the same cores as the server and its workers:
on a 2-core machine the figures are a floor, the client's share of the CPU included. The
machine's load average is printed before and after.

Figures after the merge (2026-12-02 08:14 UTC, `bench/serve.py --idle`, load average 4.0
before and 7.3 after: one other engineer's Piper benchmark ran beside it):

    POST to playable, empty cache: 12.4 s; again, cached: 2.2 s
    audiogen convert, fresh process, empty cache: 14.0 s
    idle server: 50 clients, 30 s each
    endpoint                      req/s  median ms   p99 ms  errors
    GET /api/articles             289.9        120      878       0
    GET /api/articles/ID          320.1        107      801       0
    GET /feed.xml                 295.3        117      861       0
    GET /audio/X.mp3 (Range)      177.0        180     1674       0
    8 articles posted; 50 clients, 30 s each (jobs converting/done when each phase ended:
    8/0, 6/2, 5/3, 4/4)
    GET /api/articles              84.4        374     3795       0
    GET /api/articles/ID          136.4        258     1759       0
    GET /feed.xml                 110.9        325     2206       0
    GET /audio/X.mp3 (Range)       50.4        642     5154       0

Figures (2026-12-02 07:37 UTC, `bench/serve.py --idle`: 2 cores shared with four other
engineers' tests and benchmarks, load average 10.2 before and 12.6 after, so the server, its
two workers and this load generator got a small share of the CPU; not a measure of the code):

    POST to playable, empty cache: 41.8 s; again, cached: 7.6 s
    audiogen convert, fresh process, empty cache: 64.7 s
    idle server: 50 clients, 30 s each
    endpoint                      req/s  median ms   p99 ms  errors
    GET /api/articles              58.3        607     4051       0
    GET /api/articles/ID           70.0        497     3226       0
    GET /feed.xml                  69.2        470     4003       0
    GET /audio/X.mp3 (Range)       45.7        610     5710       0
    8 articles posted (none finished during the four phases: all 8 still converting)
    GET /api/articles              26.8       1380     8375       0
    GET /api/articles/ID           29.0       1281     7600       0
    GET /feed.xml                  31.5       1146     6436       0
    GET /audio/X.mp3 (Range)       27.8       1183     9066       0

An earlier run at load average 22 (06:55 UTC) gave 10-12 req/s with medians of 3.3-4.2 s
under the batch, and POST to playable 74.8 s against convert's 114.1 s.

One client at a time on the same loaded machine (load average 15) took 8 ms median for GET
/api/articles, 3 ms for one job, 7 ms for the feed and 9 ms for a 64 KB Range read: the
figures above are the CPU's queue, not the handlers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from articles import write_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "kyiv-independent-2022-12-25.txt"
TOKEN = "bench-token"
RANGE = "bytes=0-65535"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=8, help="articles converting meanwhile")
    parser.add_argument("--jobs", type=int, default=None, help="the server's worker processes")
    parser.add_argument("--idle", action="store_true", help="the load once before the batch too")
    args = parser.parse_args()
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory(prefix="audiogen-bench-serve-") as folder:
        folder = Path(folder)
        with Server(folder, args.jobs) as server:
            first, again = post_to_playable(server), post_to_playable(server, "Again")
            convert = convert_seconds(folder)
            print(f"POST to playable, empty cache: {first:.1f} s; again, cached: {again:.1f} s")
            print(f"audiogen convert, fresh process, empty cache: {convert:.1f} s")
            if args.idle:
                print(f"idle server: {args.clients} clients, {args.seconds:g} s each")
                asyncio.run(load(server, [], args.clients, args.seconds))
            ids = post_batch(server, folder, args.batch)
            print(f"{args.batch} articles posted; {args.clients} clients, {args.seconds:g} s each")
            asyncio.run(load(server, ids, args.clients, args.seconds))
    print(f"load average after: {_load()}")


class Server:
    """`audiogen serve` on a free port, with a data folder and an empty chunk cache."""

    def __init__(self, folder: Path, jobs: int | None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "audiogen", "serve", "--port", str(self.port),
                        "--data", str(folder / "data"), "--token", TOKEN,
                        "--rate", "100000"]  # fmt: skip
        self.command += ["--jobs", str(jobs)] if jobs else []
        self.env = {**os.environ, "AUDIOGEN_CACHE_DIR": str(folder / "server-cache")}
        self.http = httpx.Client(base_url=self.base, timeout=30,
                                 headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, env=self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.http.get("/healthz").status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("the server did not answer /healthz within 120 s")

    def __exit__(self, *exc) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(60)

    def job(self, job_id: str) -> dict:
        return self.http.get(f"/api/articles/{job_id}").json()


def post_to_playable(server: Server, headline: str | None = None) -> float:
    """Seconds from POSTing the sample to its MP3 answering a Range read."""
    body = {"text": SAMPLE.read_text(encoding="utf-8")}
    if headline:
        body["headline"] = headline
    start = time.perf_counter()
    answer = server.http.post("/api/articles", json=body)
    answer.raise_for_status()
    job = _finished(server, answer.json()["id"])
    audio = server.http.get(job["mp3_url"], headers={"Range": "bytes=0-1023"})
    assert audio.status_code == 206 and len(audio.content) == 1024, audio.status_code
    assert audio.content[:3] == b"ID3" or audio.content[0] == 0xFF  # an MP3's first bytes
    return time.perf_counter() - start


def _finished(server: Server, job_id: str, poll: float = 0.1) -> dict:
    while (job := server.job(job_id))["status"] not in ("done", "failed"):
        time.sleep(poll)
    if job["status"] == "failed":
        raise SystemExit(f"job {job_id} failed: {job['error']}")
    return job


def convert_seconds(folder: Path) -> float:
    """`audiogen convert` on the sample in a fresh process, with an empty cache of its own."""
    command = [sys.executable, "-m", "audiogen", "convert", str(SAMPLE), "-o",
               str(folder / "convert-out"), "--cache-dir", str(folder / "convert-cache"),
               "--quiet"]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def post_batch(server: Server, folder: Path, count: int) -> list[str]:
    pages = write_pages(folder / "pages", count)
    ids = []
    for page in pages:
        answer = server.http.post("/api/articles", json={"html": page.path.read_text()})
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    return ids


async def load(server: Server, ids: list[str], clients: int, seconds: float) -> None:
    done = server.http.get("/api/articles", params={"limit": 100}).json()["items"]
    episode = next(job for job in done if job["status"] == "done")
    targets = {
        "GET /api/articles": ("/api/articles", {}),
        "GET /api/articles/ID": (f"/api/articles/{episode['id']}", {}),
        "GET /feed.xml": ("/feed.xml", {}),
        "GET /audio/X.mp3 (Range)": (episode["mp3_url"], {"Range": RANGE}),
    }
    print(
        f"{'endpoint':26} {'req/s':>8} {'median ms':>10} {'p99 ms':>8} {'errors':>7} "
        "converting/done"
    )
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=30) as client:
        for name, (path, headers) in targets.items():
            latencies, errors = await _phase(client, path, headers, clients, seconds)
            states = [server.job(i)["status"] for i in ids]
            converting = f"{sum(s in ('queued', 'running') for s in states)}/{states.count('done')}"
            _report(name, latencies, errors, seconds, converting)


async def _phase(client, path: str, headers: dict, clients: int, seconds: float):
    latencies: list[float] = []
    errors: Counter[str] = Counter()  # HTTP status or exception: what went wrong, how often
    end = time.perf_counter() + seconds

    async def one_client() -> None:
        while time.perf_counter() < end:
            start = time.perf_counter()
            try:
                answer = await client.get(path, headers=headers)
                await answer.aread()
                failure = None if answer.status_code in (200, 206) else str(answer.status_code)
            except httpx.HTTPError as error:
                failure = type(error).__name__
            if failure:
                errors[failure] += 1
            else:
                latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors


def _report(name: str, latencies: list[float], errors: Counter, seconds: float, converting: str):
    kinds = ", ".join(f"{kind} x{count}" for kind, count in errors.items())
    if not latencies:
        print(f"{name:26} no answer ({kinds})")
        return
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    print(f"{name:26} {len(latencies) / seconds:8.1f} {statistics.median(ordered) * 1000:10.0f} "
          f"{p99 * 1000:8.0f} {errors.total():7d} {converting:>15} {kinds}")  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
