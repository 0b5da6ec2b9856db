"""The corpus of the normaliser's differential test: build it once, keep it in bench/data/.

    .venv/bin/python bench/tn_corpus.py [--devsets ../shared/devsets/readability] [--per-class 150]
                                        [--only devset-spoken ...]

Writes four JSON-lines files, one sentence a line, `{"set", "source", "class", "written"}`:

- `bench/data/tn_devset.jsonl`: every sentence with a digit in the article texts of the dev set
  (`*/truth.txt`: Mozilla Readability's test pages, Apache License 2.0), split into sentences
  as the pipeline splits them (`audiogen.narration.split_sentences`); `source` is the page, and
  `class` is empty (the agreement bench classifies the tokens itself).
- `bench/data/tn_devset-abbrev.jsonl`: the dev set's sentences with an abbreviation or an
  acronym ("Dr.", "U.S.", "NATO") but no digit, reported apart.
- `bench/data/tn_generated.jsonl`: news-like sentences from bench/tn_generate.py (fixed seed),
  `class` the class of their token and `source` the token maker and frame.
- `bench/data/tn_devset-spoken.jsonl`: what a listener hears. Every sentence with a digit that
  audiogen itself speaks from each dev page (`page.html.gz`): the page read as `audiogen
  script` reads it (`sources.read_article`: the HTML extraction) and scripted
  (`script.build_script`: headline, headings, paragraphs, split into sentences); what the
  extraction leaves out (code, tables, reference lists) is not spoken, so not here. It moves
  with the extraction: rebuild it (`--only devset-spoken`) when that changes, and say so.

A sentence appears once per page (a page that repeats a line counts it once). The dev set is
not in a clone (it lives in ../shared), which is why its sentences are kept here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from audiogen.narration import split_sentences  # noqa: E402
from bench.tn_generate import generate  # noqa: E402

DATA = ROOT / "bench" / "data"
DEVSETS = ROOT.parent / "shared" / "devsets" / "readability"
SETS = ("devset", "devset-abbrev", "generated", "devset-spoken")

# An abbreviation inside a sentence: "Dr. Smith", "U.S.", "Jan. 5", or an acronym "NATO";
# a capitalised word's period that ends the sentence is not one.
ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}|\b[A-Z][a-z]{1,3}\.(?=\s)|\b[A-Z]{2,6}\b")


@dataclass(frozen=True)
class Entry:
    """One corpus sentence: which set, its page or template, its class if known, the text."""

    set: str
    source: str
    kind: str
    written: str


def corpus_path(name: str) -> Path:
    return DATA / f"tn_{name}.jsonl"


def paragraphs(truth: Path) -> list[str]:
    """An article text's paragraphs: blocks separated by blank lines."""
    blocks = re.split(r"\n\s*\n", truth.read_text(encoding="utf-8"))
    return [block for block in blocks if block.strip()]


def set_of(sentence: str) -> str | None:
    """Which dev-set corpus a sentence belongs to, if any."""
    if re.search(r"\d", sentence):
        return "devset"
    return "devset-abbrev" if ABBREVIATION.search(sentence) else None


def devset_entries(devsets: Path) -> list[Entry]:
    entries, seen = [], set()
    for truth in sorted(devsets.glob("*/truth.txt")):
        page = truth.parent.name
        for paragraph in paragraphs(truth):
            for sentence in split_sentences(paragraph):
                name = set_of(sentence)
                if name and (page, sentence) not in seen:
                    seen.add((page, sentence))
                    entries.append(Entry(name, page, "", sentence))
    return entries


def spoken_entries(devsets: Path) -> list[Entry]:
    """The sentences with a digit in audiogen's own script of each dev page (HTML)."""
    entries, seen = [], set()
    for page in sorted(devsets.glob("*/page.html.gz")):
        for sentence in spoken_sentences(page):
            if re.search(r"\d", sentence) and (page.parent.name, sentence) not in seen:
                seen.add((page.parent.name, sentence))
                entries.append(Entry("devset-spoken", page.parent.name, "", sentence))
    return entries


def spoken_sentences(page: Path) -> list[str]:
    """The written sentences audiogen speaks from a saved page: the page extracted as the
    command line extracts it, and scripted; [] when it finds no article there."""
    from audiogen.errors import AudiogenError
    from audiogen.narration import build_script
    from audiogen.sources import Source, read_article

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / f"{page.parent.name}.html"
        html.write_bytes(gzip.decompress(page.read_bytes()))
        try:
            article = read_article(Source(str(html)))
        except AudiogenError:
            return []
    return [segment.text for segment in build_script(article).segments]


def generated_entries(per_class: int) -> list[Entry]:
    return [Entry("generated", s.source, s.kind, s.written) for s in generate(per_class)]


def as_line(entry: Entry) -> str:
    record = asdict(entry)
    record["class"] = record.pop("kind")
    return json.dumps(record, ensure_ascii=False)


def write(name: str, entries: list[Entry]) -> None:
    lines = [as_line(entry) for entry in entries if entry.set == name]
    corpus_path(name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{corpus_path(name).relative_to(ROOT)}: {len(lines)} sentences")


def read(name: str) -> list[Entry]:
    """One stored corpus, in its order."""
    lines = corpus_path(name).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line]
    return [Entry(r["set"], r["source"], r["class"], r["written"]) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devsets", type=Path, default=DEVSETS, help="the readability folder")
    parser.add_argument("--per-class", type=int, default=150, help="generated sentences a class")
    parser.add_argument("--only", choices=SETS, nargs="+", default=SETS, help="sets to write")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    makers = {
        "devset": lambda: devset_entries(args.devsets),
        "devset-abbrev": lambda: devset_entries(args.devsets),
        "generated": lambda: generated_entries(args.per_class),
        "devset-spoken": lambda: spoken_entries(args.devsets),
    }
    for name in args.only:
        write(name, makers[name]())


if __name__ == "__main__":
    main()
