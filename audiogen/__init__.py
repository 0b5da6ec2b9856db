"""audiogen: news articles in, narrated and tagged MP3 files out.

The pipeline runs one way, one module per stage:

    ingest -> extract -> script (normalize) -> speak (engines) -> assemble -> publish

Importing this package is cheap: the neural voice, numpy and pydub load only when a stage
that needs them runs.
"""

__version__ = "0.1.0"
