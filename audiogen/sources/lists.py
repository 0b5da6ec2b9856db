"""List files: many sources named in one file, with metadata a CMS export can carry.

- A plain list (``*.list``, or any file named with ``@``): one source per line, as it would be
  written on the command line (a file, folder, glob, URL, feed, or another list); blank lines
  and lines starting with ``#`` are skipped.
- A CSV file (``*.csv``) with a header row, or JSON Lines (``*.jsonl``), one object per line:
  each row is one article. Its columns (names in any case; an alias in brackets):

  - ``source``: the file or http(s) address to read; without it, ``path``, then ``url``;
  - ``id`` (``guid``): the article's identity in the publisher's system (see identity.py);
  - ``canonical_url`` (``canonical``): the article's web address, written into the MP3 and
    the article's identity when there is no ``id``; a ``url`` column that is not the row's
    source says the same;
  - overrides of what the article says: ``headline`` (``title``), ``date`` (``published``),
    ``byline`` (``author``, ``authors``), ``voice``, ``publisher``, ``language``.

  Empty values say nothing. A column none of these name is ignored, with one warning per file.

Relative paths are relative to the list file's folder, so a list travels with its articles.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime

from audiogen.article import parse_date
from audiogen.sources.html import join_names
from audiogen.urls import is_url

LINES, CSV, JSONL = "lines", "csv", "jsonl"
LIST_SUFFIXES = {".list": LINES, ".csv": CSV, ".jsonl": JSONL, ".ndjson": JSONL}

OVERRIDES = ("headline", "date", "byline", "voice", "publisher", "language")
# Column names CMS exports use for the same things.
_ALIASES = {"title": "headline", "published": "date", "author": "byline", "authors": "byline",
            "guid": "id", "canonical": "canonical_url"}  # fmt: skip
_SOURCE_COLUMNS = ("source", "path", "url")  # the first one given is what is read
_COLUMNS = {*_SOURCE_COLUMNS, "id", "canonical_url", *OVERRIDES}

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class ListEntry:
    where: str  # "list.csv, line 3", for messages
    source: str  # as written, a relative path joined to the list's folder
    overrides: dict[str, str] = field(default_factory=dict)
    one_article: bool = False  # a CSV/JSONL row names one article; a plain line may be anything


def read_list(
    label: str, text: str, kind: str, folder: str | None
) -> tuple[list[ListEntry], list[tuple[str, str]]]:
    """The entries of a list file, and (where, reason) for each line that is not one."""
    rows = {LINES: _lines, CSV: _csv_rows, JSONL: _json_rows}[kind](label, text)
    entries: list[ListEntry] = []
    failures: list[tuple[str, str]] = []
    unused: set[str] = set()
    for where, row in rows:
        if isinstance(row, str):  # a reason: the line could not be read
            failures.append((where, row))
            continue
        unused |= set(row) - _COLUMNS - {""}
        source, overrides, problem = _entry(row, kind)
        if problem:
            failures.append((where, problem))
        else:
            entries.append(ListEntry(where, _joined(folder, source), overrides, kind != LINES))
    if unused:
        # Once for the file, not per row: most likely a column named differently from ours.
        names = ", ".join(repr(name) for name in sorted(unused))
        columns = "columns" if len(unused) > 1 else "column"
        log.warning("%s: %s %s not used; the columns read are source (or path, url), id, "
                    "canonical_url, %s", label, columns, names, ", ".join(OVERRIDES))  # fmt: skip
    return entries, failures


def override_date(text: str) -> datetime:
    """An override's date: a day ("2023-03-04") or a time with or without a zone (see
    article.parse_date); ValueError otherwise."""
    when = parse_date(text)
    if when is None:
        raise ValueError(f"{text!r} is not a date")
    return when


def _lines(label: str, text: str):
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield f"{label}, line {number}", {"source": line}


def _csv_rows(label: str, text: str):
    try:  # Excel writes ";" where the comma is the decimal point
        dialect = csv.Sniffer().sniff(text.partition("\n")[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, restkey="")
    if not reader.fieldnames or not set(map(_column, reader.fieldnames)) & set(_SOURCE_COLUMNS):
        yield label, "a CSV list needs a header row with a 'source' column"
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield f"{label}, line {reader.line_num}", f"not readable as CSV ({error})"
            return
        values = [v for k, v in row.items() if k and isinstance(v, str)]
        if not any(v.strip() for v in values) or values[0].lstrip().startswith("#"):
            continue
        yield f"{label}, line {reader.line_num}", {_column(k): v for k, v in row.items() if k}


def _json_rows(label: str, text: str):
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{label}, line {number}"
        try:
            row = json.loads(line)
        except ValueError as error:
            yield where, f"not valid JSON ({error.args[0].split(':')[0]})"
            continue
        if not isinstance(row, dict):
            yield where, 'each line must be a JSON object, such as {"source": "..."}'
            continue
        yield where, {_column(k): v for k, v in row.items()}


def _column(name: str) -> str:
    name = (name or "").strip().lower()
    return _ALIASES.get(name, name)


def _entry(row: dict, kind: str) -> tuple[str, dict[str, str], str | None]:
    column = next((c for c in _SOURCE_COLUMNS if isinstance(row.get(c), str) and
                   row[c].strip()), None)  # fmt: skip
    if column is None:
        return "", {}, "no source: name a file or a URL in the 'source' column"
    # Besides the overrides, what identifies the article (see identity.py): "id", and "url",
    # its canonical address.
    overrides = {key: _value(row.get(key)) for key in (*OVERRIDES, "id")}
    address = _value(row.get("canonical_url"))
    if not address and column != "url":  # a url column beside the source says where it lives
        address = _value(row.get("url"))
    if address and is_url(address):
        overrides["url"] = address
    overrides = {key: value for key, value in overrides.items() if value}
    if "date" in overrides:
        try:
            override_date(overrides["date"])
        except ValueError:
            return "", {}, f"date {overrides['date']!r} is not a date like 2023-03-04 or " \
                           "2023-03-04T15:14:00+01:00"  # fmt: skip
    return row[column].strip(), overrides, None


def _value(value) -> str | None:
    """A cell as one line of text; None when it says nothing."""
    if isinstance(value, list):  # JSON: "byline": ["A", "B"]
        value = join_names([str(v).strip() for v in value if str(v).strip()])
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # JSON: "id": 1234
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _joined(folder: str | None, source: str) -> str:
    """A relative path from a list, made relative to where the list is; URLs, "~" paths and
    absolute paths as they are."""
    if source.startswith("@"):  # a list named in a list
        return "@" + _joined(folder, source[1:])
    if source == "-":
        return source
    if folder is None or "://" in source or source.startswith(("~", "/")) or os.path.isabs(source):
        return os.path.expanduser(source)
    return os.path.normpath(os.path.join(folder, source))
