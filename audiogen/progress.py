"""How a conversion looks in the terminal: a live progress bar on a terminal, plain lines
otherwise (a log, a CI job), and a summary at the end of a batch. Used by cli.py only; the
library reports events and knows nothing of the screen.

On a terminal the bar counts a batch's articles and names those in progress; a single
article's bar counts its sentences instead (with the audio made and the time left), and so
does a row of its own for each long article of a batch while it is spoken. The summary is a
table that lists the failures again below it, where the eye lands last. In a log every line is
plain text a machine can read (no box drawing, no padding, no control codes): one line per
article of a batch, each failure said once, when it happens, a two-line summary, and for a long
article a line at every tenth of its sentences, so that a long piece is not minutes of silence.
A short article says nothing but its result."""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from audiogen.batch import Event, Outcome, Planned, Spoken
from audiogen.manifest import CONVERTED, FAILED, SKIPPED, Entry

# The longest name the progress bar gives an article in progress: a deep path or a long
# address keeps its end, which tells one article from the next.
_NAME_CHARS = 40

# An article of this many sentences or more is long: it gets progress of its own (a row of the
# bar, a line at every tenth in a log). Fewer is a few minutes of audio, spoken in seconds.
LONG = 40

# The time left goes at the pace of the last half minute: sentences found in the cache, or
# other work on the machine, change the pace within an article.
_PACE_SECONDS = 30.0


@dataclass
class _Article:
    """One article's progress as its Spoken events tell it (the display's own state)."""

    name: str
    total: int
    done: int = 0
    seconds: float = 0.0  # audio made so far
    tenths: int = 0  # how far the log's lines have said
    pace: deque = field(default_factory=deque)  # (time, done), the last half minute's
    row: int | None = None  # its row of the bar, on a terminal

    def spoke(self, event: Spoken, now: float) -> None:
        self.done, self.total = event.done, event.total
        self.seconds += event.seconds
        self.pace.append((now, event.done))
        while len(self.pace) > 2 and now - self.pace[1][0] >= _PACE_SECONDS:
            self.pace.popleft()

    def left(self) -> float | None:
        """Seconds until its last sentence is spoken, at the recent pace; None: no pace yet."""
        (start, first), (end, last) = self.pace[0], self.pace[-1]
        if last <= first or end <= start:
            return None
        return (end - start) / (last - first) * (self.total - last)

    def tenth_passed(self) -> bool:
        """Whether it has just reached another tenth of its sentences (or its last)."""
        tenths = self.done * 10 // self.total
        passed = tenths > self.tenths
        self.tenths = max(tenths, self.tenths)
        return passed

    def line(self) -> str:
        """Where it is, as a log says it."""
        audio = _clock(self.seconds)
        if self.done == self.total:
            return (f"audiogen: {self.name}: all {self.total} sentences spoken ({audio} of "
                    "audio); writing the MP3")  # fmt: skip
        left = self.left()
        about = "" if left is None else f", about {_clock(left)} left"
        return (f"audiogen: {self.name}: {self.done * 100 // self.total}% ({self.done}/"
                f"{self.total} sentences, {audio} of audio){about}")  # fmt: skip

    def fields(self) -> dict:
        """Its row of the bar."""
        count = f"{self.done}/{self.total} sentences"
        return dict(completed=self.done, total=self.total, count=count,
                    audio=_clock(self.seconds), left=self._left_said())  # fmt: skip

    def _left_said(self) -> str:
        if self.done == self.total:
            return "writing the MP3"
        left = self.left()
        return "" if left is None else f"{_clock(left)} left"


class _Left(TimeRemainingColumn):
    """An article's row says its own time left (its sentences' pace); the batch's row, rich's
    estimate over the articles."""

    def render(self, task) -> Text:
        if task.fields.get("left") is None:
            return super().render(task)
        return Text(task.fields["left"], style="progress.remaining")


class BatchDisplay:
    """Follows a conversion's events; `quiet` leaves only errors (and the paths on stdout).
    The batch's Planned event names its articles (their sources), by their places in the
    batch; the live bar starts then. A batch of one is shown as that one article."""

    def __init__(self, *, quiet: bool = False):
        self.total = 0
        self.quiet = quiet
        self.names: tuple[str, ...] = ()
        self.console = Console(stderr=True)
        self.finished = 0
        self.seconds = 0.0  # audio made so far, all articles
        self.started = time.monotonic()
        self._articles: dict[int, _Article] = {}  # those being spoken, in the order they began
        self._live = self._task = self._first_row = None

    def __enter__(self) -> BatchDisplay:
        return self

    def __exit__(self, *exc) -> None:
        if self._live:
            self._live.stop()

    def _planned(self, event: Planned) -> None:
        self.names, self.total = event.names, len(event.names)
        if self.quiet or not self.console.is_terminal:
            return
        self._live = _bar(self.console)
        if self.total == 1:  # its row is there while it is read, before its first sentence
            name = f"converting {_short(self._name(0))}"
            self._first_row = self._row(name, total=None, count="", left="starting")
        else:
            self._task = self._row("converting", total=self.total,
                                   count=f"0/{self.total} articles")  # fmt: skip
        self._live.start()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Planned):
            self._planned(event)
        elif isinstance(event, Spoken):
            self._spoken(event)
        else:
            self._outcome(event)
        if self._task is not None:
            spoken = sum(article.done / article.total for article in self._articles.values())
            self._live.update(
                self._task,
                completed=self.finished + spoken,
                count=f"{self.finished}/{self.total} articles",
                audio=_clock(self.seconds),
                now=self._in_progress(),
            )

    def _spoken(self, event: Spoken) -> None:
        article = self._following(event)
        article.spoke(event, time.monotonic())
        self.seconds += event.seconds
        if self.quiet:
            return
        if self._live and (self.total == 1 or article.total >= LONG):
            self._show(article)
        elif not self._live and article.total >= LONG and article.tenth_passed():
            self._say(article.line(), err=True)

    def _following(self, event: Spoken) -> _Article:
        """The article's progress so far; anew at its first sentence, or when it begins again
        (its worker died, and another converts it)."""
        article = self._articles.get(event.index)
        if article is not None and event.done > article.done:
            return article
        row = self._first_row
        if article is not None:
            self.seconds -= article.seconds  # said again by the events to come
            row = article.row
        self._articles[event.index] = _Article(self._name(event.index), event.total, row=row)
        return self._articles[event.index]

    def _row(self, name: str, *, left: str | None = None, **fields) -> int:
        """A new row of the bar; `left` None: rich's estimate of the time left."""
        return self._live.add_task(name, left=left, **{"audio": "0:00", "now": "", **fields})

    def _show(self, article: _Article) -> None:
        """The article's own row of the bar, made at its first sentence in a batch."""
        if article.row is None:
            article.row = self._row(f"  {_short(article.name)}", **article.fields())
        else:
            self._live.update(article.row, **article.fields())

    def _name(self, index: int) -> str:
        return self.names[index] if 0 <= index < len(self.names) else f"article {index + 1}"

    def _in_progress(self) -> str:
        """The names of the articles being spoken now, in the order they started."""
        return ", ".join(_short(article.name) for article in self._articles.values())

    def _outcome(self, outcome: Outcome) -> None:
        entry = outcome.entry
        if outcome.index >= 0:
            self.finished += 1
            article = self._articles.pop(outcome.index, None)
            # The file's length, pauses included, stands in for its chunks' running count.
            self.seconds += (entry.duration or 0) - (article.seconds if article else 0)
            if article and article.row is not None and self._task is not None:
                self._live.remove_task(article.row)
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


def _bar(console: Console) -> Progress:
    """The live bar: a row for the batch, or for an article (its name, its sentences)."""
    return Progress(
        TextColumn("{task.description}", markup=False, style="bold"),
        BarColumn(),
        TextColumn("{task.fields[count]}", markup=False),
        TextColumn("{task.fields[audio]} of audio", markup=False),
        _Left(),
        TextColumn("{task.fields[now]}", markup=False),
        console=console,
        transient=True,
    )


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
