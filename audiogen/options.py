"""Options: what a conversion is asked for, in one frozen object.

The Python API takes it (`audiogen.convert(source, Options(output="audio/"))`), the command
line builds it from its flags, and a batch hands the same object to every worker. Its
defaults are the command line's. What it names is resolved here, once per use: the voice
preset, the lexicons read after the voice's own, the publisher's profile, the chunk cache's
folder. A value that cannot work is an AudiogenError whose `setting` is the field's name, so
that a front end can say which of its own knobs to turn (cli.py names the flag).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.errors import AudiogenError
from audiogen.profile import PLAIN, Profile, load_profile
from audiogen.voices import DEFAULT_VOICE

if TYPE_CHECKING:
    from audiogen.lexicon import Lexicon
    from audiogen.sources import Source
    from audiogen.voices import Voice

# The chunk cache's folder when none is named: this, else the user's cache folder.
CACHE_VARIABLE = "AUDIOGEN_CACHE_DIR"


@dataclass(frozen=True)
class Options:
    """How to convert: every field has the command line's default.

    - `voice`: the voice preset's name (`audiogen voices` lists them); a list file's row may
      name its own.
    - `output`: the folder the MP3s, their sidecars and `manifest.jsonl` go to (made if need
      be), or an fsspec URL (`s3://bucket/audio/`; needs `audiogen[cluster]`).
    - `profile`: the publisher's intro, outro, jingles, headline voice, cover and output
      settings: a Profile, or the path of a TOML profile (read when the Options are made).
    - `lexicons`: pronunciation lexicons read after the voice's own, later ones winning.
    - `publisher`, `language`: override what the page says (None: let the page say).
    - `cache`: the chunk cache's folder (or an fsspec URL); True: $AUDIOGEN_CACHE_DIR, else
      the user cache folder; False: no cache (every sentence spoken anew).
    - `force`: make the MP3 again even when the one there is up to date.
    - `jobs`: articles converted at once, one process each (None: one per core).
    - `cluster`: the address of a Dask scheduler to run batches on (None: this machine).
    - `private_urls`: whether addresses off the public internet (loopback, private networks,
      link-local such as a cloud's metadata service) may be fetched. True for a user's own
      runs (a page on their own network); a service fetching on behalf of others sets False,
      and those fetches (redirects and lead images included) are refused (sources/fetch.py).
    """

    voice: str = DEFAULT_VOICE
    output: str | Path = "output"
    profile: Profile | str | Path = PLAIN
    lexicons: tuple[Path, ...] = ()
    publisher: str | None = None
    language: str | None = None
    cache: str | Path | bool = True
    force: bool = False
    jobs: int | None = None
    cluster: str | None = None
    private_urls: bool = True

    def __post_init__(self) -> None:
        # A frozen object normalises what it was given, once: a path for a path.
        lexicons = (self.lexicons,) if isinstance(self.lexicons, str | Path) else self.lexicons
        object.__setattr__(self, "lexicons", tuple(Path(file) for file in lexicons))
        if not isinstance(self.profile, Profile):
            object.__setattr__(self, "profile", _read_profile(Path(self.profile)))
        if self.jobs is not None and self.jobs < 1:
            raise AudiogenError(f"jobs {self.jobs}: at least one", setting="jobs")

    @property
    def folder(self) -> Path | str:
        """The output folder: a Path, or an fsspec URL such as `s3://bucket/audio`
        (storage.py; a `file://` URL is a Path)."""
        from audiogen.storage import location

        return location(self.output)

    def cache_folder(self) -> Path | str | None:
        """Where spoken chunks are kept, a Path or an fsspec URL; None: nowhere."""
        from audiogen.storage import location

        if self.cache is False or self.cache is None:
            return None
        if self.cache is not True:
            return location(self.cache)
        from audiogen.cache import ChunkCache

        given = os.environ.get(CACHE_VARIABLE)
        return Path(given) if given else ChunkCache.default_folder()


def _read_profile(path: Path) -> Profile:
    with setting("profile"):
        return load_profile(path)


@contextlib.contextmanager
def setting(name: str | None) -> Iterator[None]:
    """Within it, an AudiogenError is the fault of the Options field `name`."""
    try:
        yield
    except AudiogenError as error:
        error.setting = error.setting or name
        raise


def voice_name(options: Options, source: Source | None = None) -> str:
    """The voice for `source`: its list row's, else the options'."""
    return (source.overrides.get("voice") if source else None) or options.voice


def voice_for(options: Options, source: Source | None = None) -> Voice:
    """The voice preset for `source` (see voice_name)."""
    from audiogen.voices import find_voice

    with setting("voice" if voice_name(options, None) == voice_name(options, source) else None):
        return find_voice(voice_name(options, source))


def lexicon_for(options: Options, voice: Voice) -> Lexicon:
    """The voice's lexicons, then the options' own, in order."""
    from audiogen.lexicon import load_lexicon

    with setting("lexicons"):
        return load_lexicon((*voice.lexicons, *options.lexicons))
