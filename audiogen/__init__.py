"""audiogen: news articles in, narrated and tagged MP3 files out.

The Python API, the whole of it (the command line is a client of exactly this)::

    import audiogen

    result = audiogen.convert("article.html", audiogen.Options(output="audio/"))
    print(result.path, result.seconds)

- `Options`: how to convert (voice, output folder, profile, lexicons, publisher, language,
  cache, force, jobs, cluster), with the command line's defaults.
- `convert(source, options) -> Result`: one article into an MP3.
- `convert_all(sources, options, on_event=None) -> list[Outcome]`: a batch, as
  `audiogen convert` runs it: folders, lists and feeds opened up, articles converted at once,
  every result in the output folder's manifest; `on_event` follows it.
- `read_article(source, options=None) -> Article`, `script(article, options=None) -> Script`:
  what a source holds, and what the voice will say for it.
- `AudiogenError`: what the user can put right, said in one line.

The pipeline runs one way, one module per stage (pipeline.py runs them for one source):

    sources/ (fetch, ingest, text or html) -> narration (normalize) -> speak (engines)
      -> assemble -> track -> publish

Importing this package is cheap: each name loads its module when first used, and the neural
voice, numpy and pydub load only when a stage that needs them runs.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Each public name, and the module it lives in: imported when first asked for, so that the
# package itself imports nothing (every module may use `audiogen.__version__`).
_HOMES = {
    "Options": "audiogen.options",
    "convert": "audiogen.pipeline",
    "convert_all": "audiogen.batch",
    "read_article": "audiogen.pipeline",
    "script": "audiogen.pipeline",
    "AudiogenError": "audiogen.errors",
    "Result": "audiogen.pipeline",
    "Outcome": "audiogen.batch",
}

__all__ = [
    "AudiogenError",
    "Options",
    "Outcome",
    "Result",
    "__version__",
    "convert",
    "convert_all",
    "read_article",
    "script",
]


def __getattr__(name: str):
    """A public name, imported from its module when first asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'audiogen' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # asked once: later lookups find it here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
