"""Outputs and chunk caches at fsspec URLs (storage.py), against a real S3 API: moto's server on
127.0.0.1 (tests/s3_server.py), its address in the environment as a user's would be.

The batches through the command line speak with the real Piper voice, decode the MP3s read
back from the bucket and read their tags with mutagen.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

from audiogen import storage
from audiogen.engines import Audio
from audiogen.errors import AudiogenError
from tests import s3_server
from tests.conftest import DECODE_RATE, decode_mp3, run_cli
from tests.s3_server import objects, read_object, s3_client

s3_endpoint, bucket = s3_server.s3_endpoint, s3_server.bucket  # the fixtures

CACHE_KEY = re.compile(r"[0-9a-f]{64}")
ARTICLES = {
    "ferry": "Harbour ferry wins council vote\n\nThe city council approved a new electric ferry "
    "on Thursday night, ending a long dispute over the cost.\n\nThe boat will carry four "
    "hundred passengers and forty bicycles from next summer.\n",
    "library": "Library opens on Sundays\n\nThe central library will open on Sundays from next "
    "month, the mayor said on Tuesday.\n\nVolunteers will staff the reading rooms, and the cafe "
    "will stay closed for now.\n",
}
NAMES = {
    "ferry": "undated-harbour-ferry-wins-council-vote",
    "library": "undated-library-opens-on-sundays",
}
SIDECARS = (".vtt", ".srt", ".chapters.json")


def write_articles(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return [str(folder / f"{name}.txt") for name in ARTICLES]


# --- locations ----------------------------------------------------------------------------------


def test_a_location_is_a_path_unless_it_is_a_url(tmp_path):
    assert storage.location(str(tmp_path)) == tmp_path
    assert storage.location(f"file://{tmp_path}") == tmp_path
    assert storage.location("s3://news/audio/") == "s3://news/audio"
    assert storage.join("s3://news/audio", "manifest.jsonl") == "s3://news/audio/manifest.jsonl"
    assert storage.join(tmp_path, "manifest.jsonl") == str(tmp_path / "manifest.jsonl")


# --- a remote folder ----------------------------------------------------------------------------


def test_a_remote_folder_writes_whole_objects_and_reads_them_back(s3_endpoint, bucket):
    folder = storage.Remote(f"s3://{bucket}/audio/")
    assert folder.read("a.mp3") is None and not folder.exists("a.mp3")
    folder.write("a.mp3", b"ID3 and the rest")
    assert objects(s3_endpoint, bucket).keys() == {"audio/a.mp3"}
    assert read_object(s3_endpoint, bucket, "audio/a.mp3") == b"ID3 and the rest"
    assert folder.read("a.mp3") == b"ID3 and the rest"
    assert folder.read("a.mp3", 4, 7) == b"and"
    made = objects(s3_endpoint, bucket)["audio/a.mp3"]["LastModified"].timestamp()
    assert folder.mtime("a.mp3") == pytest.approx(made, abs=1)
    folder.remove("a.mp3")
    folder.remove("a.mp3")  # gone already: nothing to say
    assert objects(s3_endpoint, bucket) == {}


def test_a_bucket_that_cannot_be_written_is_one_line_naming_it(s3_endpoint):
    with pytest.raises(AudiogenError) as raised:
        storage.Remote("s3://no-such-bucket/audio").check()
    message = str(raised.value)
    assert message.startswith("s3://no-such-bucket/audio: cannot write there: ")
    assert "\n" not in message


def test_the_chunk_cache_in_a_bucket_keeps_audio_and_prunes_to_its_size(s3_endpoint, bucket):
    cache = storage.chunk_cache(f"s3://{bucket}/cache")
    clips = {f"{n:064x}": Audio(np.arange(n * 100, dtype=np.int16), 22050) for n in (1, 2, 3)}
    for key, audio in clips.items():
        assert cache.get(key) is None
        cache.put(key, audio)
    for key, audio in clips.items():
        got = cache.get(key)
        assert got.sample_rate == 22050 and np.array_equal(got.samples, audio.samples)
    # The layout of the local cache: ab/abcdef...
    assert set(objects(s3_endpoint, bucket)) == {f"cache/{k[:2]}/{k}" for k in clips}
    s3_client(s3_endpoint).put_object(Bucket=bucket, Key=f"cache/00/{'0' * 63}1", Body=b"junk")
    assert cache.get(f"{'0' * 63}1") is None  # a damaged entry is a miss
    sizes = {key: item["Size"] for key, item in objects(s3_endpoint, bucket).items()}
    largest = max(sizes.values())
    freed = cache.prune(largest)
    left = objects(s3_endpoint, bucket)
    assert len(left) == 1 and sum(item["Size"] for item in left.values()) <= largest
    assert freed == sum(sizes.values()) - sum(item["Size"] for item in left.values())


# --- without the optional extra, and without touching it ----------------------------------------


def run_without(modules: list[str], *args: str) -> subprocess.CompletedProcess:
    """`audiogen ARGS` in a process where `modules` cannot be imported, as if not installed."""
    code = (
        "import sys\n"
        f"for name in {modules!r}: sys.modules[name] = None\n"
        "from audiogen.cli import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_without_the_extra_a_bucket_or_a_cluster_is_one_line_saying_what_to_install(tmp_path):
    article = write_articles(tmp_path / "articles")[0]
    to_bucket = run_without(["fsspec"], "convert", article, "-o", "s3://news/audio")
    on_cluster = run_without(["distributed"], "convert", article, "--cluster", "tcp://a:8786")
    for result, status in ((to_bucket, 1), (on_cluster, 2)):
        assert result.returncode == status, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("audiogen: error: "), result.stderr
        assert "pip install 'audiogen[cluster]'" in lines[0]
    assert not (tmp_path / "output").exists()


def test_a_local_run_imports_no_cluster_or_storage_library(tmp_path):
    article = write_articles(tmp_path / "articles")[0]
    code = (
        "import sys\n"
        "from audiogen.cli import main\n"
        "try:\n"
        f"    main(['convert', {article!r}, '-o', {str(tmp_path / 'out')!r}, '--no-cache'])\n"
        "except SystemExit as exit:\n"
        "    status = exit.code\n"
        "optional = {'dask', 'distributed', 'fsspec', 's3fs', 'botocore', 'aiobotocore'}\n"
        "print(status, sorted(optional & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr
    assert (tmp_path / "out" / f"{NAMES['ferry']}.mp3").exists()


# --- batches into a bucket, through the command line --------------------------------------------


def downloaded(endpoint: str, bucket: str, key: str, folder: Path) -> Path:
    path = folder / Path(key).name
    path.write_bytes(read_object(endpoint, bucket, key))
    return path


def bucket_manifest(endpoint: str, bucket: str, prefix: str) -> dict[str, dict]:
    lines = read_object(endpoint, bucket, f"{prefix}/manifest.jsonl").decode().splitlines()
    return {Path(entry["source"]).stem: entry for entry in map(json.loads, lines)}


@pytest.mark.slow
def test_a_batch_into_a_bucket_writes_whole_mp3s_and_a_rerun_skips_them(
    tmp_path, s3_endpoint, bucket
):
    sources = write_articles(tmp_path / "articles")
    out, cache = f"s3://{bucket}/audio/", f"s3://{bucket}/cache"
    first = run_cli("convert", *sources, "-o", out, "--cache-dir", cache, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    urls = [f"s3://{bucket}/audio/{NAMES[name]}.mp3" for name in ARTICLES]
    assert sorted(first.stdout.split()) == sorted(urls)
    stored = objects(s3_endpoint, bucket, "audio/")
    expected = {
        f"audio/{stem}{suffix}" for stem in NAMES.values() for suffix in (".mp3", *SIDECARS)
    }
    assert set(stored) == expected | {"audio/manifest.jsonl"}
    entries = bucket_manifest(s3_endpoint, bucket, "audio")
    for name, text in ARTICLES.items():
        mp3 = downloaded(s3_endpoint, bucket, f"audio/{NAMES[name]}.mp3", tmp_path)
        seconds = len(decode_mp3(mp3)) / DECODE_RATE
        tags = ID3(mp3)
        assert str(tags["TIT2"]) == text.splitlines()[0]
        assert int(str(tags["TLEN"])) / 1000 == pytest.approx(seconds, abs=0.1)
        assert seconds > 5
        entry = entries[name]
        assert (entry["status"], entry["output"]) == ("converted", f"{out}{NAMES[name]}.mp3")
        assert entry["duration"] == pytest.approx(seconds, abs=0.1)
        chapters = json.loads(
            read_object(s3_endpoint, bucket, f"audio/{NAMES[name]}.chapters.json")
        )
        assert chapters["chapters"][0]["title"] == text.splitlines()[0]
    assert all(
        CACHE_KEY.fullmatch(Path(key).name) for key in objects(s3_endpoint, bucket, "cache/")
    )
    assert objects(s3_endpoint, bucket, "cache/")

    again = run_cli("convert", *sources, "-o", out, "--cache-dir", cache)
    assert again.returncode == 0, again.stderr
    assert {e["status"] for e in bucket_manifest(s3_endpoint, bucket, "audio").values()} == {
        "skipped"
    }
    after = objects(s3_endpoint, bucket, "audio/")
    for key in expected:  # the up-to-date check read the bucket's MP3s: none was written again
        assert after[key]["ETag"] == stored[key]["ETag"]
        assert after[key]["LastModified"] == stored[key]["LastModified"]


@pytest.mark.slow
def test_the_chunk_cache_in_a_bucket_is_what_is_heard(tmp_path, s3_endpoint, bucket):
    """Every cached sentence replaced by silence: a new conversion from that cache is silent,
    so its audio came from the bucket, not from the voice."""
    from audiogen.cache import encode_entry

    sources = write_articles(tmp_path / "articles")[:1]
    cache = f"s3://{bucket}/cache"
    assert (
        run_cli("convert", *sources, "-o", str(tmp_path / "a"), "--cache-dir", cache).returncode
        == 0
    )
    keys = list(objects(s3_endpoint, bucket, "cache/"))
    silence = encode_entry(Audio(np.zeros(22050, dtype=np.int16), 22050))
    for key in keys:
        s3_client(s3_endpoint).put_object(Bucket=bucket, Key=key, Body=silence)
    result = run_cli("convert", *sources, "-o", str(tmp_path / "b"), "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    heard = decode_mp3(Path(result.stdout.strip()))
    spoken = decode_mp3(tmp_path / "a" / f"{NAMES['ferry']}.mp3")
    assert np.abs(spoken).max() > 0.1
    assert np.abs(heard).max() < 0.01
    assert set(objects(s3_endpoint, bucket, "cache/")) == set(keys)


@pytest.mark.slow
def test_the_python_api_converts_into_a_bucket_and_names_the_object(tmp_path, s3_endpoint, bucket):
    import audiogen

    source = write_articles(tmp_path / "articles")[0]
    options = audiogen.Options(output=f"s3://{bucket}/api/", cache=False)
    result = audiogen.convert(source, options)
    key = f"api/{NAMES['ferry']}.mp3"
    assert result.path == f"s3://{bucket}/{key}" and not result.skipped
    mp3 = downloaded(s3_endpoint, bucket, key, tmp_path)
    assert str(ID3(mp3)["TIT2"]) == "Harbour ferry wins council vote"
    assert len(decode_mp3(mp3)) / DECODE_RATE == pytest.approx(result.seconds, abs=0.1)
    assert bucket_manifest(s3_endpoint, bucket, "api")["ferry"]["output"] == result.path
    assert audiogen.convert(source, options).skipped  # the bucket's MP3 is up to date
