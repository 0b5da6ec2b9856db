"""Batches on a Dask cluster (cluster.py): a real LocalCluster of two one-thread worker
processes, and once a scheduler and a worker started with the `dask` commands, as a user
would, converting into a bucket on moto's S3 server.

The real Piper voice speaks; the MP3s are decoded and their tags read back, and the cluster's
results are held against a local batch of the same articles.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from distributed import WorkerPlugin
from mutagen.id3 import ID3

from audiogen import Options, convert_all
from audiogen.batch import Spoken
from audiogen.manifest import CONVERTED, FAILED
from tests import s3_server
from tests.conftest import DECODE_RATE, decode_mp3, run_cli
from tests.s3_server import objects, read_object

pytestmark = pytest.mark.slow
s3_endpoint, bucket = s3_server.s3_endpoint, s3_server.bucket  # the fixtures

ARTICLES = {
    "ferry": (
        "Harbour ferry wins council vote",
        "The city council approved a new electric ferry on Thursday night, ending a long "
        "dispute over the cost.",
    ),
    "library": (
        "Library opens on Sundays",
        "The central library will open on Sundays from next month, the mayor said on Tuesday.",
    ),
    "bridge": (
        "Old bridge closes for repairs",
        "The old stone bridge over the river will close for six weeks while its arches are "
        "repaired.",
    ),
    "market": (
        "Night market returns to the square",
        "The night market will return to the old square in May, with forty stalls and a band.",
    ),
}
SECOND = "The council will meet again next week to discuss the plans in more detail."
KILLER = "killer.txt"  # an article whose conversion kills the Dask worker (KillerPlugin)


def write_articles(folder: Path, names=ARTICLES) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        headline, first = ARTICLES[name]
        (folder / f"{name}.txt").write_text(f"{headline}\n\n{first}\n\n{SECOND}\n")
    return [str(folder / f"{name}.txt") for name in names]


def manifest(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text().splitlines()
    return {Path(entry["source"]).stem: entry for entry in map(json.loads, lines)}


def tags(mp3: Path) -> dict[str, str]:
    """The frames a listener sees, and what the file was made from."""
    id3 = ID3(mp3)
    names = ("TIT2", "TLAN", "COMM::eng", "USLT::eng", "TXXX:audiogen fingerprint",
             "TXXX:audiogen identity")  # fmt: skip
    return {name: str(id3[name]) for name in names}


@pytest.fixture(scope="module")
def spoken(tmp_path_factory) -> Path:
    """A chunk cache the cluster tests share where what they check is not the speaking."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cluster():
    """A cluster of its own for each test (one whose workers an article killed is short of
    them for a while): two worker processes of one thread each; an article whose worker dies
    is given to another once, then fails (allowed-failures 1, not 3: the suite stays quick)."""
    import dask
    from distributed import Client, LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,  # fmt: skip
        Client(local) as client,
    ):
        yield local, client


def test_a_cluster_batch_makes_what_a_local_batch_makes_and_a_rerun_skips_it(
    tmp_path, cluster, spoken
):
    local_cluster, _ = cluster
    sources = write_articles(tmp_path / "articles", ["ferry", "library"])
    bad = tmp_path / "articles" / "bad.txt"
    bad.write_text("Hi.\n")
    batch = [*sources, str(bad)]
    here = run_cli("convert", *batch, "-o", str(tmp_path / "here"),
                   "--cache-dir", str(tmp_path / "cache-here"))  # fmt: skip
    there = run_cli("convert", *batch, "-o", str(tmp_path / "there"), "--cache-dir", str(spoken),
                    "--cluster", local_cluster.scheduler_address)  # fmt: skip
    assert here.returncode == there.returncode == 1, there.stderr
    assert sorted(Path(p).name for p in there.stdout.split()) == sorted(
        Path(p).name for p in here.stdout.split()
    )
    local, remote = manifest(tmp_path / "here"), manifest(tmp_path / "there")
    assert local.keys() == remote.keys() == {"ferry", "library", "bad"}
    for name, entry in remote.items():
        same = ("status", "headline", "date", "voice", "id", "error")
        assert {k: entry[k] for k in same} == {k: local[name][k] for k in same}
    assert remote["bad"]["status"] == FAILED and "bad.txt" in remote["bad"]["error"]
    failures = [line for line in there.stderr.splitlines() if "bad.txt" in line]
    assert failures and all(line.startswith("audiogen: ") for line in failures)
    for name in ("ferry", "library"):
        entry = remote[name]
        assert entry["status"] == CONVERTED
        mp3 = Path(entry["output"])
        assert mp3.parent == tmp_path / "there"
        seconds = len(decode_mp3(mp3)) / DECODE_RATE
        assert entry["duration"] == pytest.approx(seconds, abs=0.1)
        # Piper's noise makes each reading a little different: the same words, not samples.
        assert entry["duration"] == pytest.approx(local[name]["duration"], rel=0.1)
        assert tags(mp3) == tags(Path(local[name]["output"]))
        assert str(ID3(mp3)["TIT2"]) == ARTICLES[name][0]

    made = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "there").glob("*.mp3")}
    again = run_cli("convert", *sources, "-o", str(tmp_path / "there"),
                    "--cache-dir", str(spoken),
                    "--cluster", local_cluster.scheduler_address)  # fmt: skip
    assert again.returncode == 0, again.stderr
    statuses = {name: entry["status"] for name, entry in manifest(tmp_path / "there").items()}
    assert statuses == {"ferry": "skipped", "library": "skipped", "bad": FAILED}
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "there").glob("*.mp3")} == made


class KillerPlugin(WorkerPlugin):
    """Installed in every Dask worker (again in each one started anew): converting KILLER
    ends the worker process at once, as the kernel's OOM killer would."""

    name = "audiogen-test-killer"

    def setup(self, worker) -> None:
        from audiogen import batch

        converted = batch._converted

        def killing(index, source, *args):
            if source.location.endswith(KILLER):
                os._exit(9)
            return converted(index, source, *args)

        batch._converted = killing


def test_an_article_that_kills_every_worker_fails_alone(tmp_path, cluster, spoken):
    import cloudpickle

    local_cluster, client = cluster
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests
    client.register_plugin(KillerPlugin())
    try:
        sources = write_articles(tmp_path / "articles", ["ferry", "library"])
        killer = tmp_path / "articles" / KILLER
        killer.write_text((tmp_path / "articles" / "ferry.txt").read_text())
        options = Options(output=tmp_path / "out", cache=spoken,
                          cluster=local_cluster.scheduler_address)  # fmt: skip
        outcomes = convert_all([sources[0], str(killer), sources[1]], options)
        entries = {Path(o.entry.source).stem: o.entry for o in outcomes}
    finally:
        client.unregister_worker_plugin(KillerPlugin.name)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert entries["killer"].status == FAILED
    assert entries["killer"].error == (
        f"{killer}: every Dask worker converting it died (out of memory, or killed)"
    )
    for name in ("ferry", "library"):
        assert entries[name].status == CONVERTED
        assert len(decode_mp3(Path(entries[name].output))) / DECODE_RATE > 5


def test_a_worker_killed_mid_batch_leaves_every_article_converted(tmp_path, cluster):
    local_cluster, client = cluster
    client.wait_for_workers(2)
    pids = client.run(os.getpid)  # worker address -> its process
    sources = write_articles(tmp_path / "articles")
    killed = []

    def kill_one_worker(event) -> None:
        # Both workers are converting when the first sentence is spoken: one dies mid-article.
        if isinstance(event, Spoken) and not killed:
            address, pid = next(iter(pids.items()))
            os.kill(pid, signal.SIGKILL)
            killed.append(address)

    options = Options(output=tmp_path / "out", cache=False, cluster=local_cluster.scheduler_address)
    entries = [o.entry for o in convert_all(sources, options, on_event=kill_one_worker)]
    assert killed
    assert [entry.status for entry in entries] == [CONVERTED] * len(ARTICLES)
    for entry, name in zip(entries, ARTICLES, strict=True):
        mp3 = Path(entry.output)
        assert str(ID3(mp3)["TIT2"]) == ARTICLES[name][0]
        assert entry.duration == pytest.approx(len(decode_mp3(mp3)) / DECODE_RATE, abs=0.1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")) == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def started(*command: str) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the worker's nanny and child
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_dask_commands_on_loopback_convert_a_folder_into_a_bucket(
    tmp_path, s3_endpoint, bucket
):
    """As the README's "Many machines" says: `dask scheduler`, `dask worker`, then one
    command; the workers find the bucket through the environment, as the client does."""
    folder = tmp_path / "articles"
    write_articles(folder, ["ferry", "library"])
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    scheduler = started(dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                        "--no-dashboard")  # fmt: skip
    worker = started(dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                     "--no-dashboard", "--host", "127.0.0.1")  # fmt: skip
    try:
        out = f"s3://{bucket}/audio"
        result = run_cli("convert", str(folder), "-o", out, "--cache-dir", f"s3://{bucket}/cache",
                         env={**os.environ, "AUDIOGEN_CLUSTER": address})  # fmt: skip
    finally:
        stop(worker)
        stop(scheduler)
    assert result.returncode == 0, result.stderr
    names = {"ferry": "undated-harbour-ferry-wins-council-vote",
             "library": "undated-library-opens-on-sundays"}  # fmt: skip
    assert sorted(result.stdout.split()) == sorted(f"{out}/{n}.mp3" for n in names.values())
    lines = read_object(s3_endpoint, bucket, "audio/manifest.jsonl").decode().splitlines()
    entries = {Path(entry["source"]).stem: entry for entry in map(json.loads, lines)}
    for name, stem in names.items():
        mp3 = tmp_path / f"{stem}.mp3"
        mp3.write_bytes(read_object(s3_endpoint, bucket, f"audio/{stem}.mp3"))
        assert str(ID3(mp3)["TIT2"]) == ARTICLES[name][0]
        seconds = len(decode_mp3(mp3)) / DECODE_RATE
        assert entries[name]["status"] == CONVERTED
        assert entries[name]["duration"] == pytest.approx(seconds, abs=0.1)
    assert objects(s3_endpoint, bucket, "cache/")
