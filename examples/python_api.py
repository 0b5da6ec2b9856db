"""audiogen from Python: the bundled sample article into an MP3, then the same as a batch.

    python examples/python_api.py [OUTPUT_FOLDER]       # default: output/

Prints the article's headline, the MP3 written and its length, then one line per event of a
batch of the same article (which finds the MP3 up to date, and leaves it alone).
"""

import sys
from pathlib import Path

import audiogen

SAMPLE = Path(__file__).with_name("kyiv-independent-2022-12-25.txt")


def one_article(options: audiogen.Options) -> None:
    """What the page holds, what the voice will say, and the MP3."""
    article = audiogen.read_article(SAMPLE)
    print("headline:", article.headline)
    print("sentences:", len(audiogen.script(article, options).segments))
    result = audiogen.convert(SAMPLE, options)
    print(result.path, result.seconds)


def show(event) -> None:
    """A batch's events as they come: its articles, their progress, each one's Outcome."""
    if isinstance(event, audiogen.Outcome):
        print("outcome:", event.entry.status, event.entry.output or event.entry.error)


def a_batch(options: audiogen.Options) -> None:
    """Folders, globs, list files and feeds may be named too; a failure is an Outcome."""
    outcomes = audiogen.convert_all([SAMPLE], options, on_event=show)
    failed = [outcome.entry.error for outcome in outcomes if outcome.entry.status == "failed"]
    print("failed:", len(failed))


if __name__ == "__main__":
    options = audiogen.Options(output=sys.argv[1] if len(sys.argv) > 1 else "output")
    try:
        one_article(options)
        a_batch(options)
    except audiogen.AudiogenError as error:  # one line, saying what to do
        sys.exit(f"error: {error}")
