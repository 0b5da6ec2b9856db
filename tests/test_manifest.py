"""The manifest (`manifest.jsonl`) on a real folder: read back after damage, appended to,
compacted to one line per source, shared by runs at the same time."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from audiogen.manifest import CONVERTED, FAILED, NAME, SKIPPED, Entry, Manifest


def line(source: str, status: str = CONVERTED, **fields) -> str:
    return json.dumps({"source": source, "status": status, **fields}, ensure_ascii=False) + "\n"


def lines(folder: Path) -> list[dict]:
    return [json.loads(text) for text in (folder / NAME).read_text(encoding="utf-8").splitlines()]


def test_a_folder_without_a_manifest_starts_empty_and_writes_nothing_until_a_record(tmp_path):
    manifest = Manifest(tmp_path / "out")
    assert manifest.entries == {}
    assert not (tmp_path / "out").exists()
    manifest.record(Entry("a.txt", CONVERTED, output="out/a.mp3", duration=12.5))
    assert lines(tmp_path / "out") == [
        {"source": "a.txt", "status": "converted", "output": "out/a.mp3", "duration": 12.5,
         "headline": None, "date": None, "voice": None, "error": None, "id": None,
         "converted_at": None}
    ]  # fmt: skip


def test_garbage_and_a_half_written_last_line_are_skipped(tmp_path, caplog):
    (tmp_path / NAME).write_text(
        line("a.txt", headline="Ferry")
        + "this is not json\n"
        + "[1, 2, 3]\n"  # JSON, not an object
        + '{"status": "converted"}\n'  # no source
        + '{"source": 7}\n'  # a source that is not a name
        + "\n"
        + line("b.txt", FAILED, error="b.txt: empty")
        + '{"source": "c.txt", "status": "conv',  # a killed writer's last line
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        entries = Manifest(tmp_path).entries
    assert list(entries) == ["a.txt", "b.txt"]
    assert entries["a.txt"]["headline"] == "Ferry"
    assert entries["b.txt"]["error"] == "b.txt: empty"
    assert caplog.records == []


def test_a_duplicate_source_reads_as_its_last_line_in_its_first_place(tmp_path):
    (tmp_path / NAME).write_text(
        line("a.txt", FAILED, error="a.txt: gone") + line("b.txt") + line("a.txt", SKIPPED),
        encoding="utf-8",
    )
    entries = Manifest(tmp_path).entries
    assert list(entries) == ["a.txt", "b.txt"]
    assert entries["a.txt"]["status"] == "skipped" and "error" not in entries["a.txt"]


def test_records_are_appended_and_close_compacts_what_the_file_holds_then(tmp_path):
    path = tmp_path / NAME
    # A killed writer's last line, cut short: what is appended after it is a line of its own.
    cut = line("cut.txt")[:20]
    path.write_text(line("old.txt") + "garbage\n" + line("a.txt", FAILED) + cut, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    inode = path.stat().st_ino
    manifest = Manifest(tmp_path)

    manifest.record(Entry("a.txt", CONVERTED, output="a.mp3"))
    manifest.record(Entry("b.txt", SKIPPED, output="b.mp3"))
    # Another run records into the same folder meanwhile; this one must not lose its line.
    other = Manifest(tmp_path)
    other.record(Entry("c.txt", CONVERTED, output="c.mp3"))
    manifest.record(Entry("a.txt", FAILED, error="a.txt: empty"))
    # Appended: the file is the same one, with what was there first kept byte for byte.
    assert path.stat().st_ino == inode
    assert path.read_text(encoding="utf-8").startswith(before + "\n")
    appended = map(json.loads, path.read_text(encoding="utf-8").splitlines()[-4:])
    assert [(e["source"], e["status"]) for e in appended] == [
        ("a.txt", "converted"),
        ("b.txt", "skipped"),
        ("c.txt", "converted"),
        ("a.txt", "failed"),
    ]
    # Even before close, a reader (a run killed here, then started again) sees the latest.
    assert Manifest(tmp_path).entries["a.txt"]["status"] == "failed"

    manifest.close()
    assert [(e["source"], e["status"]) for e in lines(tmp_path)] == [
        ("old.txt", "converted"),
        ("a.txt", "failed"),
        ("b.txt", "skipped"),
        ("c.txt", "converted"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]  # no temporary file left
    other.record(Entry("d.txt", CONVERTED))  # into the file close put in place
    other.close()
    assert [e["source"] for e in lines(tmp_path)] == ["old.txt", "a.txt", "b.txt", "c.txt",
                                                     "d.txt"]  # fmt: skip


def test_close_leaves_one_line_per_source(tmp_path):
    manifest = Manifest(tmp_path)
    for entry in (
        Entry("a.txt", FAILED, error="a.txt: empty"),
        Entry("b.txt", CONVERTED),
        Entry("a.txt", CONVERTED),
        Entry("c.txt", FAILED, error="c.txt: gone"),
        Entry("b.txt", SKIPPED),
    ):
        manifest.record(entry)
    assert len(lines(tmp_path)) == 5  # appended as they came
    manifest.close()
    assert [(e["source"], e["status"]) for e in lines(tmp_path)] == [
        ("a.txt", "converted"),
        ("b.txt", "skipped"),
        ("c.txt", "failed"),
    ]
    assert lines(tmp_path)[0]["error"] is None


def test_close_without_a_record_leaves_the_file_as_it_was(tmp_path):
    text = line("a.txt") + line("b.txt") + line("a.txt", SKIPPED) + "{broken\n"
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    manifest = Manifest(tmp_path)
    manifest.close()
    assert (tmp_path / NAME).read_text(encoding="utf-8") == text
    Manifest(tmp_path / "never-written").close()
    assert not (tmp_path / "never-written").exists()


def test_non_ascii_is_written_as_itself(tmp_path):
    manifest = Manifest(tmp_path)
    manifest.record(Entry("київ.txt", CONVERTED, headline="Київ: новий міст"))
    manifest.close()
    assert "Київ: новий міст" in (tmp_path / NAME).read_text(encoding="utf-8")
    assert Manifest(tmp_path).entries["київ.txt"]["headline"] == "Київ: новий міст"


def test_an_output_folder_under_a_file_warns_and_goes_on(tmp_path, caplog):
    """Once a bug: when the folder cannot be made because a parent is a file (`-o notes.txt/out`),
    Manifest._rewrite's cleanup `temporary.unlink(missing_ok=True)` raises NotADirectoryError
    (missing_ok only ignores FileNotFoundError) from inside its `except OSError`, so the first
    record crashes the batch with a traceback instead of warning."""
    blocked = tmp_path / "notes.txt"
    blocked.write_text("not a folder")
    manifest = Manifest(blocked / "out")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        manifest.record(Entry("a.txt", CONVERTED))
        manifest.record(Entry("b.txt", CONVERTED))
        manifest.close()
    assert caplog.records and all("cannot write" in r.getMessage() for r in caplog.records)
    assert blocked.read_text() == "not a folder"


def test_a_last_line_cut_inside_a_character_loses_only_that_line(tmp_path):
    """Once a bug: _read decodes the whole file at once, so a last line cut off in the middle of a
    multi-byte character (a killed append of a non-English headline; the manifest is written
    with ensure_ascii=False) makes the whole manifest unreadable: every other line is dropped,
    and the run's first rewrite then erases them from the file."""
    whole = line("a.txt", headline="Ferry") + line("b.txt", headline="Київ")
    cut = line("c.txt", headline="Київ: новий міст").encode()[:-4]
    (tmp_path / NAME).write_bytes(whole.encode() + cut)
    assert cut.decode("utf-8", errors="replace").endswith("\ufffd")  # cut inside a letter

    assert list(Manifest(tmp_path).entries) == ["a.txt", "b.txt"]


def test_a_skipped_record_keeps_when_its_mp3_was_made(tmp_path):
    made = "2024-05-01T10:00:00+00:00"
    (tmp_path / NAME).write_text(
        line("a.txt", output="a.mp3", converted_at=made)
        + line("b.txt", output="b.mp3", converted_at=made),
        encoding="utf-8",
    )
    manifest = Manifest(tmp_path)
    later = "2024-06-01T10:00:00+00:00"
    manifest.record(Entry("a.txt", SKIPPED, output="a.mp3", converted_at=later))
    # Another file now: made when the record says.
    manifest.record(Entry("b.txt", SKIPPED, output="b-corrected.mp3", converted_at=later))
    manifest.close()
    entries = Manifest(tmp_path).entries
    assert entries["a.txt"]["status"] == "skipped"
    assert entries["a.txt"]["converted_at"] == made
    assert entries["b.txt"]["converted_at"] == later


def test_outputs_are_known_by_the_articles_identity(tmp_path):
    (tmp_path / NAME).write_text(
        line("/a.txt", output="out/a.mp3", id="file:///a.txt")
        + line("/b.csv, line 2", FAILED, error="no source")
        + line("https://example.org/c", output="out/c.mp3", id="https://example.org/c")
        + line("/d.txt", output="out/d.mp3"),  # recorded before audiogen kept identities
        encoding="utf-8",
    )
    assert Manifest(tmp_path).outputs() == {
        "file:///a.txt": "out/a.mp3",
        "https://example.org/c": "out/c.mp3",
    }


RECORDER = """
import sys
from pathlib import Path
from audiogen.manifest import CONVERTED, Entry, Manifest

folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
manifest = Manifest(folder)
for number in range(count):
    manifest.record(Entry(f"{name}-{number}.txt", CONVERTED, output=f"{name}-{number}.mp3"))
    if number % 10 == 9:
        manifest.close()  # compacted now and then, while the others append
manifest.close()
"""


def test_runs_recording_into_one_folder_at_once_lose_no_line(tmp_path):
    """Once a bug: each run rewrote the manifest from what it had read when it started, so two
    runs into one folder at once left only the lines of the one that wrote last."""
    (tmp_path / NAME).write_text(line("earlier.txt"), encoding="utf-8")
    runs = [
        subprocess.Popen([sys.executable, "-c", RECORDER, str(tmp_path), name, "60"])
        for name in ("feed", "csv", "folder")
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]

    sources = [entry["source"] for entry in lines(tmp_path)]
    assert len(sources) == len(set(sources)) == 1 + 3 * 60
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]
