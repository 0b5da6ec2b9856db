"""One batch three ways (issue 12): audiogen's local process pool, a Dask LocalCluster of two
one-thread worker processes, and raw Piper speaking the same text; then the capacity plan.

    .venv/bin/python bench/cluster.py [--articles 20] [--repeat 2] [--jobs 2]

Needs the cluster extra (`pip install -e '.[cluster]'`) and psutil (bench/batch.py's limit).

- The articles: bench/articles.py's made-up news pages (no sentence twice, so no cache helps).
- Pool and cluster: `batch.convert_all`, the call `audiogen convert` makes, in this process,
  into a new folder with no chunk cache, timed from the call to its return. The cluster and
  its workers are started before the clock starts, as a running cluster would be; in both
  the worker processes load the voice at their first article. The two alternate, `--repeat`
  times each, and the medians are compared.
- Raw Piper: bench/batch.py's limit, every chunk spoken in order by one process on all cores,
  timed after the voice is loaded: the least the same speech can cost on this machine.
- Scheduling overhead per article: the cluster's median wall time less the pool's, over the
  articles; and, measured alone, the round trip of an empty task (submit to result).
- The plan, on paper, from the cluster's throughput: articles per hour per core, and the
  2-core workers a publisher needs for 1,000 and 100,000 articles a day.

Goal (issue 12): the cluster within 10% of the pool's throughput. On 2 shared cores other
processes skew the figures: run it on a quiet machine, and say when it was not.

Measured 2026-12-02 on a quiet machine (load < 2), `--articles 10 --repeat 1` (21.5 min of
audio): pool 91.8 s, LocalCluster 2x1 89.0 s (1.031 of the pool's throughput), raw Piper
91.2 s; an empty task's round trip 10.7 ms; 202 articles an hour per core. Under load 2.5-11
the same day: 6 articles 0.957, 20 articles 1.437 (the load fell during the cluster's run).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import write_pages  # noqa: E402
from batch import limit, spoken_chunks  # noqa: E402

DAY = 24 * 3600


def convert(pages: list[Path], out: Path, cluster: str | None, jobs: int) -> dict:
    """One batch into `out`: wall seconds, seconds of audio, articles converted."""
    from audiogen import Options, convert_all

    options = Options(output=out, cache=False, cluster=cluster, jobs=jobs)
    start = time.perf_counter()
    entries = [outcome.entry for outcome in convert_all([str(p) for p in pages], options)]
    wall = time.perf_counter() - start
    converted = [entry for entry in entries if entry.status == "converted"]
    if len(converted) != len(pages):
        failed = [entry.error for entry in entries if entry.status != "converted"]
        raise SystemExit(f"not every article was converted: {failed}")
    return {"wall": wall, "audio": sum(entry.duration for entry in converted),
            "articles": len(converted)}  # fmt: skip


def round_trip(client, count: int = 200) -> float:
    """Seconds from submitting an empty task to holding its result, the median of `count`."""
    times = []
    for number in range(count):
        start = time.perf_counter()
        client.submit(int, number, pure=False).result()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plan(per_article: float, cores_used: int, audio_per_article: float) -> list[str]:
    """The capacity plan from the cluster's wall seconds per article on `cores_used` cores."""
    per_core_hour = 3600 / (per_article * cores_used)
    per_worker_day = per_core_hour * 2 * 24  # a 2-core worker machine
    lines = [
        f"- {per_core_hour:.0f} articles an hour per core ({audio_per_article / 60:.1f} min "
        "of audio each); a 2-core worker machine makes "
        f"{per_worker_day:.0f} articles a day.",
    ]
    for daily in (1_000, 100_000):
        machines = math.ceil(daily / per_worker_day)
        headroom = math.ceil(machines * 1.3)
        lines.append(f"- {daily:,} articles a day: {machines} two-core worker machine(s) "
                     f"running flat out (plan {headroom} for 30% headroom).")  # fmt: skip
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    return parser.parse_args()


def main() -> None:
    from distributed import Client, LocalCluster

    options = parse_args()
    with tempfile.TemporaryDirectory(prefix="audiogen-bench-") as folder:
        work = Path(folder)
        pages = [page.path for page in write_pages(work / "pages", options.articles)]
        runs: dict[str, list[dict]] = {"pool": [], "cluster": []}
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,  # fmt: skip
            Client(cluster) as client,
        ):
            client.wait_for_workers(2)
            trip = round_trip(client)
            for attempt in range(options.repeat):
                for way, address in (("pool", None), ("cluster", cluster.scheduler_address)):
                    run = convert(pages, work / f"{way}-{attempt}", address, options.jobs)
                    runs[way].append(run)
                    rate = run["audio"] / run["wall"]
                    print(f"{way:8} run {attempt + 1}: {run['wall']:6.1f} s, "
                          f"{rate:5.2f} s of audio a second", flush=True)  # fmt: skip
        piper = limit(spoken_chunks_of(pages), work)
    report(runs, piper, trip, options)


def spoken_chunks_of(pages: list[Path]) -> list[list[str]]:
    class Page:  # what spoken_chunks reads of bench/articles.py's pages
        def __init__(self, path: Path):
            self.path = path

    return spoken_chunks([Page(path) for path in pages])


def report(runs: dict, piper: dict, trip: float, options) -> None:
    pool = statistics.median(run["wall"] for run in runs["pool"])
    cluster = statistics.median(run["wall"] for run in runs["cluster"])
    audio = runs["pool"][0]["audio"]
    articles = options.articles
    print(f"\n## {articles} articles ({audio / 60:.1f} min of audio), {os.cpu_count()} cores, "
          f"medians of {options.repeat}\n")  # fmt: skip
    print("| way | wall s | articles/min | audio s per s | vs pool |")
    print("| --- | --- | --- | --- | --- |")
    for name, wall in (("local pool (2 processes)", pool), ("LocalCluster 2x1", cluster)):
        print(f"| {name} | {wall:.1f} | {articles / wall * 60:.1f} | {audio / wall:.2f} "
              f"| {pool / wall:.3f} |")  # fmt: skip
    if "error" in piper:
        print(f"| raw Piper | failed: {piper['error'][-200:]} | | | |")
    else:
        synth = piper["synthesis_seconds"]
        print(f"| raw Piper (1 process, all cores; speech only, no pauses) | {synth:.1f} | "
              f"{articles / synth * 60:.1f} | {piper['audio_seconds'] / synth:.2f} | "
              f"{pool / synth:.3f} |")  # fmt: skip
    print(f"\nScheduling overhead: {(cluster - pool) / articles * 1000:+.0f} ms per article "
          f"(cluster wall less pool wall, over the articles); an empty task's round trip "
          f"{trip * 1000:.1f} ms.")  # fmt: skip
    print(f"Goal: cluster throughput >= 0.90 of the pool's: {pool / cluster:.3f}.\n")
    print("Capacity plan (from the cluster's figure):")
    for line in plan(cluster / articles, 2, audio / articles):
        print(line)


if __name__ == "__main__":
    main()
