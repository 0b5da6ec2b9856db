"""How a batch looks in the terminal: a live progress bar on a terminal, one plain line per
article otherwise (a log, a CI job), and a summary at the end. Used by cli.py only; the
library reports events and knows nothing of the screen.

On a terminal the bar names the articles being converted, and the summary is a table that
lists the failures again below it, where the eye lands last. In a log every line is plain text
a machine can read (no box drawing, no padding, no control codes): each failure is said once,
when it happens, and the summary is two lines."""

from __future__ import annotations

import os
import time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from audiogen.batch import Event, Outcome, Spoken
from audiogen.manifest import CONVERTED, FAILED, SKIPPED, Entry

# The longest name the progress bar gives an article in progress: a deep path or a long
# address keeps its end, which tells one article from the next.
_NAME_CHARS = 40


class BatchDisplay:
    """Follows a batch's events; `quiet` leaves only errors (and the paths on stdout).
    `names`: each article's name (its source), by its place in the batch."""

    def __init__(self, total: int, *, quiet: bool = False, names: list[str] | None = None):
        self.total = total
        self.quiet = quiet
        self.names = names or []
        self.console = Console(stderr=True)
        self.finished = 0
        self.seconds = 0.0  # audio made so far, all articles
        self.started = time.monotonic()
        self._partial: dict[int, float] = {}  # article index -> share of its chunks spoken
        self._spoken: dict[int, float] = {}  # article index -> seconds of its chunks so far
        self._live = None
        if not quiet and self.console.is_terminal:
            self._live = Progress(
                TextColumn("[bold]converting"),
                BarColumn(),
                TextColumn("{task.fields[finished]}/{task.total:.0f} articles"),
                TextColumn("{task.fields[audio]} of audio"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[now]}", markup=False),
                console=self.console,
                transient=True,
            )
            self._task = self._live.add_task("", total=total, finished=0, audio="0:00", now="")

    def __enter__(self) -> BatchDisplay:
        if self._live:
            self._live.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._live:
            self._live.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Spoken):
            self.seconds += event.seconds
            self._spoken[event.index] = self._spoken.get(event.index, 0) + event.seconds
            self._partial[event.index] = event.done / event.total
        else:
            self._outcome(event)
        if self._live:
            self._live.update(
                self._task,
                completed=self.finished + sum(self._partial.values()),
                finished=self.finished,
                audio=_clock(self.seconds),
                now=self._in_progress(),
            )

    def _in_progress(self) -> str:
        """The names of the articles being spoken now, in the order they started."""
        names = [self.names[i] for i in self._partial if 0 <= i < len(self.names)]
        return ", ".join(_short(name) for name in names)

    def _outcome(self, outcome: Outcome) -> None:
        entry = outcome.entry
        if outcome.index >= 0:
            self.finished += 1
            self._partial.pop(outcome.index, None)
            # The file's length, pauses included, stands in for its chunks' running count.
            self.seconds += (entry.duration or 0) - self._spoken.pop(outcome.index, 0)
        if entry.status == FAILED:
            self._say(f"audiogen: error: {entry.error}", err=True)
            return
        if entry.status == SKIPPED and self.total == 1 and not self.quiet:
            # In a batch the progress line and the summary say it.
            self._say(f"audiogen: {entry.output} is up to date; --force converts again", err=True)
        self._say(entry.output)
        if not self.quiet and not self._live and self.total > 1:
            audio = _clock(entry.duration or 0)
            self._say(f"audiogen: [{self.finished}/{self.total}] {entry.source}: {entry.status}, "
                      f"{audio} of audio{self._left()}", err=True)  # fmt: skip

    def _say(self, line: str, err: bool = False) -> None:
        if self._live and err:
            self._live.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=err)

    def _left(self) -> str:
        left = self.total - self.finished
        if not left:
            return ""
        per_article = (time.monotonic() - self.started) / self.finished
        return f"; about {_clock(per_article * left)} left"

    def summary(self, entries: list[Entry], manifest: str) -> None:
        """The end of a batch: how many of each result, and where every result is kept."""
        if self.quiet:
            return
        if self.console.is_terminal:
            self._table(entries)
        else:
            counts = [f"{status} {count}" + (f" ({_clock(audio)} of audio)" if audio else "")
                      for status, count, audio in _tally(entries)]  # fmt: skip
            click.echo(f"audiogen: batch summary: {', '.join(counts)}", err=True)
        elapsed = _clock(time.monotonic() - self.started)
        # A path must stay whole, to be copied: no wrapping at the terminal's width.
        self._say(f"audiogen: took {elapsed}; every result is in {manifest}", err=True)

    def _table(self, entries: list[Entry]) -> None:
        """The summary as a table, on a terminal: the results, and every failure again."""
        table = Table(title="audiogen: batch summary", title_justify="left")
        table.add_column("result")
        table.add_column("articles", justify="right")
        table.add_column("audio", justify="right")
        for status, count, audio in _tally(entries):
            table.add_row(status, str(count), _clock(audio) if audio else "")
        self.console.print(table, highlight=False)
        # Each failure was said as it happened; said again here, where the user looks last.
        failed = [entry.error for entry in entries if entry.status == FAILED]
        if failed:
            why = Table("failed: why")
            for error in failed:
                why.add_row(error)
            self.console.print(why, highlight=False)


def _tally(entries: list[Entry]):
    """(result, articles, seconds of audio) for each kind of result, in the summary's order."""
    for status in (CONVERTED, SKIPPED, FAILED):
        these = [entry for entry in entries if entry.status == status]
        yield status, len(these), sum(entry.duration or 0 for entry in these)


def _short(name: str) -> str:
    """A file by its name (its folder is the batch's), an address by its end."""
    if "://" not in name:
        name = os.path.basename(name) or name
    return name if len(name) <= _NAME_CHARS else "…" + name[-(_NAME_CHARS - 1) :]


def _clock(seconds: float) -> str:
    """1:05 for a minute and five seconds; 1:02:03 past the hour."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
