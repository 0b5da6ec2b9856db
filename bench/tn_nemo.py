"""The NeMo side of bench/tn_agreement.py: written sentences in, NeMo's spoken forms out.

    .venv-nemo/bin/python bench/tn_nemo.py --cache-dir bench/results/nemo-cache < in > out

Runs in the NeMo environment only (nemo_text_processing and its pynini; nothing of audiogen):
reads JSON lines `{"written": ...}` on standard input and writes one JSON line
`{"written", "nemo", "version", "options"}` per input line, flushed as it goes, so a long run
can be followed and what it finished is kept if it is stopped. A sentence NeMo fails on gets
`"nemo": null` and the error, and the run goes on. The grammars are compiled on the first
run (about a minute) and kept in `--cache-dir`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from importlib.metadata import version

# What the reference outputs depend on besides NeMo's version; tn_agreement.py compares a cached
# line's `options` with this to tell a stale reference from a current one.
OPTIONS = "en cased deterministic punct_post_process"


def quiet() -> None:
    """NeMo logs every grammar it loads at INFO; only its errors matter here."""
    logging.disable(logging.WARNING)


def load(cache_dir: str):
    from nemo_text_processing.text_normalization.normalize import Normalizer

    return Normalizer(input_case="cased", lang="en", cache_dir=cache_dir)


def reference(normalizer, written: str, nemo_version: str) -> dict:
    """One output line; an exception becomes `nemo: null` rather than the end of the run."""
    line = {"written": written, "nemo": None, "version": nemo_version, "options": OPTIONS}
    try:
        line["nemo"] = normalizer.normalize(written, punct_post_process=True)
    except Exception as error:  # noqa: BLE001 - one bad sentence must not stop thousands
        line["error"] = f"{type(error).__name__}: {error}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", required=True, help="where NeMo keeps compiled grammars")
    args = parser.parse_args()
    quiet()
    normalizer = load(args.cache_dir)
    nemo_version = version("nemo_text_processing")
    for raw in sys.stdin:
        if raw.strip():
            written = json.loads(raw)["written"]
            print(json.dumps(reference(normalizer, written, nemo_version), ensure_ascii=False))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
