"""How often audiogen's normaliser reads a sentence as NeMo-text-processing does, and where not.

    make bench-tn                                  # installs NeMo in .venv-nemo, then --refresh
    .venv/bin/python bench/tn_agreement.py         # from the cached references, no NeMo needed
    .venv/bin/python bench/tn_agreement.py --refresh [--nemo-python P] [--nemo-cache DIR]

NeMo-text-processing (1.2.0, the reference normaliser) is a development oracle only: never a
runtime or a test dependency. It lives in its own environment, `.venv-nemo` (about 1 GB; `make
bench-tn` creates it with `pip install nemo_text_processing==1.2.0`), and runs in its own
process (bench/tn_nemo.py), which compiles its grammars once into `.venv-nemo/grammars` (about
a minute). Its readings are cached in bench/data/nemo_reference.jsonl, so the agreement is
recomputed in a few seconds without NeMo; `--refresh` asks NeMo for the sentences that are
missing or were read by another NeMo version or settings (`TN_NEMO_PYTHON`, `TN_NEMO_CACHE` or
the flags point at another NeMo environment).

The corpus (bench/data/, built by bench/tn_corpus.py): `devset`, every sentence with a digit in
the dev set's article texts (Mozilla Readability's test pages); `devset-abbrev`, its sentences
with an abbreviation but no digit; `generated`, news-like sentences of every class of issue 9
(bench/tn_generate.py). Each set is reported apart, overall and by class (a generated
sentence's class is the one it was made for; a dev-set sentence counts in every class its
tokens have, bench/tn_classes.py).

A sentence agrees when both readings are the same words (bench/tn_compare.py: case,
punctuation, hyphens and dotted letters aside). "Adjusted" agreement also counts the sentences
whose only differences are convention choices (bench/tn_conventions.py), and the report says
how many each convention absorbed. The remaining disagreements go to
bench/results/tn_disagreements.tsv, sorted by class (the class of the written tokens where the
readings differ), one line each: class, set:page or template, written, NeMo, audiogen.

Side figures: audiogen's CPU time per 2,000 words over each set (median of 3 passes), how
many sentences audiogen leaves a digit in (for the engine to guess), and how many disagreements
are NeMo leaving the token as written ("XVI", "St.", "529 091"), where it is no reference.

Before: the normaliser of commit 8faa79a (issue 9's baseline), measured with the conventions
of commit 8e12862 (sentence agreement with NeMo, raw / adjusted):
    devset         2819 sentences  53.7% / 73.5%   (a digit left in 387 sentences)
    devset-abbrev   990 sentences  85.6% / 88.6%
    generated      3300 sentences  48.9% / 61.5%   (a digit left in 189 sentences;
                                                    NeMo left 568 of 1269 disagreements as written)
  devset by class: cardinal (1202 sentences) 59.7 / 73.3, date (721) 50.5 / 81.0, year (491)
  52.5 / 88.6, symbol (487) 3.3 / 59.1, code (392) 9.9 / 19.6, acronym (318) 43.1 / 56.6,
  decimal (300) 41.3 / 42.7, percent (201) 62.2 / 81.6, time (131) 8.4 / 11.5, money (96)
  60.4 / 76.0, range (92) 2.2 / 68.5, measure (60) 21.7 / 60.0, decade (59) 64.4 / 88.1, url
  (53) 3.8 / 13.2, ordinal (45) 60.0 / 82.2, roman (29) 31.0 / 44.8, fraction (26) 19.2 / 19.2.
  Disagreements blamed on: code 270, cardinal 187, decimal 61, url 34, date 31, symbol 25.
  CPU time: 32-47 ms per 2,000 words on the dev-set sentences (a busy 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from audiogen.normalize import normalize  # noqa: E402
from bench.tn_classes import classes  # noqa: E402
from bench.tn_compare import (  # noqa: E402
    canonical,
    differing_tokens,
    disagreement_class,
    nemo_abstains,
)
from bench.tn_conventions import CONVENTIONS, adjust  # noqa: E402
from bench.tn_corpus import SETS, Entry, read  # noqa: E402
from bench.tn_nemo import OPTIONS  # noqa: E402

NEMO_VERSION = "1.2.0"  # the pin of `make bench-tn`; a reference read by another is stale
REFERENCES = ROOT / "bench" / "data" / "nemo_reference.jsonl"
RESULTS = ROOT / "bench" / "results"
NEMO_PYTHON = os.environ.get("TN_NEMO_PYTHON", str(ROOT / ".venv-nemo" / "bin" / "python"))
NEMO_CACHE = os.environ.get("TN_NEMO_CACHE", str(ROOT / ".venv-nemo" / "grammars"))
WORDS = 2000  # the timing unit of issue 9: ms per 2,000 words


@dataclass(frozen=True)
class Outcome:
    """One corpus sentence, both readings, and how they compare."""

    entry: Entry
    nemo: str
    ours: str
    agrees: bool  # the same words
    adjusted: bool  # the same words once the conventions are applied
    conventions: tuple[str, ...]  # the conventions this sentence needed to agree
    kind: str  # the class of the disagreement ("" when the readings agree)
    abstains: bool  # NeMo left the differing tokens as written: it is no reference there


# --- the reference readings ----------------------------------------------------------------


def load_references() -> dict[str, dict]:
    if not REFERENCES.exists():
        return {}
    lines = REFERENCES.read_text(encoding="utf-8").splitlines()
    return {record["written"]: record for record in map(json.loads, filter(None, lines))}


def is_current(record: dict | None) -> bool:
    return bool(record) and record["version"] == NEMO_VERSION and record["options"] == OPTIONS


def save_references(references: dict[str, dict], keep: set[str]) -> None:
    """The references of the corpus sentences, sorted, so that a refresh diffs cleanly."""
    lines = [json.dumps(references[w], ensure_ascii=False) for w in sorted(keep & set(references))]
    REFERENCES.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def ask_nemo(sentences: list[str], python: str, cache: str):
    """NeMo's readings, one record at a time, from bench/tn_nemo.py in the NeMo environment."""
    if not Path(python).exists():
        sys.exit(f"no NeMo environment at {python}: run `make bench-tn`, or --nemo-python")
    Path(cache).mkdir(parents=True, exist_ok=True)
    command = [python, str(ROOT / "bench" / "tn_nemo.py"), "--cache-dir", cache]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sentences_file:
        # From a file, not a pipe: a pipe we fill while NeMo fills its own would deadlock.
        for sentence in sentences:
            sentences_file.write(json.dumps({"written": sentence}, ensure_ascii=False) + "\n")
        sentences_file.seek(0)
        with subprocess.Popen(
            command, stdin=sentences_file, stdout=subprocess.PIPE, text=True
        ) as nemo:
            yield from (json.loads(line) for line in nemo.stdout)


def refresh(references: dict[str, dict], wanted: set[str], python: str, cache: str) -> None:
    """Ask NeMo for every wanted sentence without a current reading; save as it goes."""
    missing = sorted(w for w in wanted if not is_current(references.get(w)))
    print(f"NeMo: {len(missing)} sentences to read ({len(wanted) - len(missing)} cached)")
    if not missing:
        return  # and NeMo is not even started
    for done, record in enumerate(ask_nemo(missing, python, cache), 1):
        references[record["written"]] = record
        if done % 200 == 0 or done == len(missing):
            save_references(references, wanted)
            print(f"NeMo: {done}/{len(missing)}", file=sys.stderr)
    save_references(references, wanted)


# --- comparing -----------------------------------------------------------------------------


def needed(written: str, nemo: str, ours: str) -> tuple[str, ...]:
    """The conventions without which this sentence would not agree (or, if none alone is
    needed, the ones that changed something)."""
    alone = []
    for convention in CONVENTIONS:
        others = [c for c in CONVENTIONS if c is not convention]
        if canonical_pair(*adjust(written, nemo, ours, others)):
            continue
        alone.append(convention.name)
    if alone:
        return tuple(alone)
    changed = (c for c in CONVENTIONS if c.apply(written, nemo, ours) != (nemo, ours))
    return tuple(c.name for c in changed)


def canonical_pair(nemo: str, ours: str) -> bool:
    return canonical(nemo) == canonical(ours)


def compare(entry: Entry, nemo: str, ours: str) -> Outcome:
    agrees = canonical_pair(nemo, ours)
    conventional = adjust(entry.written, nemo, ours)
    adjusted = agrees or canonical_pair(*conventional)
    used = needed(entry.written, nemo, ours) if adjusted and not agrees else ()
    # The class of what is left once the conventions are applied: the real difference.
    kind = "" if adjusted else disagreement_class(differing_tokens(entry.written, *conventional))
    abstains = not adjusted and nemo_abstains(entry.written, *conventional)
    return Outcome(entry, nemo, ours, agrees, adjusted, used, kind, abstains)


def outcomes(entries: list[Entry], references: dict[str, dict]) -> list[Outcome]:
    """Every entry with a NeMo reading, compared; the rest are counted by `report`."""
    spoken: dict[str, str] = {}
    results = []
    for entry in entries:
        record = references.get(entry.written)
        if record and record.get("nemo") is not None:
            if entry.written not in spoken:
                spoken[entry.written] = normalize(entry.written)
            results.append(compare(entry, record["nemo"], spoken[entry.written]))
    return results


# --- reporting -----------------------------------------------------------------------------


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def sentence_classes(outcome: Outcome) -> list[str]:
    """The classes a sentence is reported under: its own, or those of its written tokens."""
    if outcome.entry.kind:
        return [outcome.entry.kind]
    return [kind for kind in classes(outcome.entry.written) if kind != "word"] or ["other"]


def print_table(results: list[Outcome]) -> None:
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in results:
        for kind in sentence_classes(outcome):
            by_class[kind].append(outcome)
    blamed = Counter(outcome.kind for outcome in results if not outcome.adjusted)
    print(f"  {'class':<14} {'sentences':>9} {'raw':>7} {'adjusted':>9} {'blamed':>7}")
    for kind, group in sorted(by_class.items(), key=lambda item: -len(item[1])):
        raw, adjusted = sum(o.agrees for o in group), sum(o.adjusted for o in group)
        row = f"{len(group):>9} {share(raw, len(group)):>7} {share(adjusted, len(group)):>9}"
        print(f"  {kind:<14} {row} {blamed[kind]:>7}")
    for kind in sorted(set(blamed) - set(by_class)):
        print(f"  {kind:<14} {'':>9} {'':>7} {'':>9} {blamed[kind]:>7}")


def print_conventions(results: list[Outcome]) -> None:
    absorbed = Counter(name for outcome in results for name in outcome.conventions)
    for convention in CONVENTIONS:
        print(f"  {convention.name:<18} {absorbed[convention.name]:>5}  {convention.reason}")


def timing(entries: list[Entry], runs: int = 3) -> float:
    """audiogen's CPU milliseconds per 2,000 words on these sentences: the median of `runs`
    passes after the comparison's warm-up. CPU time, not wall time: the normaliser runs on
    one thread, and CPU time does not count the waits of a machine shared with other work."""
    sentences = [entry.written for entry in entries]
    words = sum(len(sentence.split()) for sentence in sentences)
    passes = []
    for _ in range(runs):
        start = time.process_time()
        for sentence in sentences:
            normalize(sentence)
        passes.append(time.process_time() - start)
    return 1000 * statistics.median(passes) * WORDS / max(words, 1)


def report(name: str, entries: list[Entry], results: list[Outcome]) -> None:
    total, raw = len(results), sum(o.agrees for o in results)
    adjusted = sum(o.adjusted for o in results)
    digits_left = sum(bool(re.search(r"\d", o.ours)) for o in results)
    print(f"\n== {name}: {len(entries)} sentences, {total} with a NeMo reading")
    print(f"  agreement: raw {raw}/{total} = {share(raw, total).strip()}, ", end="")
    print(f"adjusted {adjusted}/{total} = {share(adjusted, total).strip()}")
    abstained = sum(o.abstains for o in results)
    print(f"  of the {total - adjusted} disagreements, NeMo left the differing token as written")
    print(f"  in {abstained} (Roman numerals, 'St.', digit groups: no reference there)")
    print(f"  audiogen leaves a digit in {digits_left} sentences; ", end="")
    print(f"it takes {timing(entries):.1f} ms per {WORDS:,} words")
    print("  by class (a dev-set sentence counts in each class it has; 'blamed': disagreements")
    print("  whose first differing token is of the class):")
    print_table(results)
    print("  conventions (sentences each absorbed):")
    print_conventions(results)


def write_disagreements(results: list[Outcome], path: Path) -> int:
    rows = sorted(
        (o for o in results if not o.adjusted),
        key=lambda o: (o.kind, o.entry.set, o.entry.source, o.entry.written),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("class\tsource\twritten\tnemo\taudiogen\n")
        for o in rows:
            fields = [o.kind, f"{o.entry.set}:{o.entry.source}", o.entry.written, o.nemo, o.ours]
            out.write("\t".join(" ".join(field.split()) for field in fields) + "\n")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="ask NeMo what is not cached")
    parser.add_argument("--nemo-python", default=NEMO_PYTHON, help="the NeMo venv's python")
    parser.add_argument("--nemo-cache", default=NEMO_CACHE, help="NeMo's compiled grammars")
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--out", type=Path, default=RESULTS / "tn_disagreements.tsv")
    args = parser.parse_args()
    corpus = {name: read(name) for name in args.sets}
    references = load_references()
    if args.refresh:
        wanted = {entry.written for entry in (e for name in SETS for e in read(name))}
        refresh(references, wanted, args.nemo_python, args.nemo_cache)
    every = []
    for name, entries in corpus.items():
        results = outcomes(entries, references)
        report(name, entries, results)
        every += results
    count = write_disagreements(every, args.out)
    print(f"\n{count} disagreements written to {args.out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
