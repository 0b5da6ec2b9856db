"""Publisher profiles: what a publisher puts around every article, and how episodes come out.

A profile is a TOML file given with `--profile` (flags given with it win):

    ai_disclosure = true                  # first: "This article was narrated by an AI voice."
    intro = "From the newsroom of The Kyiv Independent."   # a line, or a list of lines
    outro = ["Read more at kyivindependent.com.", "Thanks for listening."]
    intro_audio = "jingle.mp3"            # played before everything (any format ffmpeg reads)
    outro_audio = "jingle.mp3"            # played after everything
    headline_voice = "joe-headline"       # the headline in another voice of the same engine
    cover = "cover.png"                   # embedded as the MP3's front cover

    [output]
    loudness = -19                        # LUFS, integrated; default -19 mono, -16 stereo
    sample_rate = 44100                   # 22050, 44100 or 48000
    bitrate = "64k"                       # constant: 32k to 320k (to 160k at 22050 Hz)
    channels = 1                          # 1 or 2

Paths are relative to the profile file, as its author sees them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from audiogen.errors import AudiogenError

AI_DISCLOSURE = "This article was narrated by an AI voice."
LOUDNESS = (-24.0, -14.0)  # the range of targets that make sense for spoken word


@dataclass(frozen=True)
class Profile:
    intro: tuple[str, ...] = ()  # lines said before the headline
    outro: tuple[str, ...] = ()  # lines said after the article
    intro_audio: Path | None = None
    outro_audio: Path | None = None
    headline_voice: str | None = None  # None: the body's voice
    cover: Path | None = None
    loudness: float | None = None  # LUFS; None: AES TD1004's for the channels (publish)
    sample_rate: int = 44100
    bitrate: str = "64k"
    channels: int = 1


PLAIN = Profile()  # no intro, outro, jingles or cover; the default output


_TOP = {"ai_disclosure", "intro", "outro", "intro_audio", "outro_audio", "headline_voice",
        "cover", "output"}  # fmt: skip
_OUTPUT = {"loudness", "sample_rate", "bitrate", "channels"}


def load_profile(path: Path) -> Profile:
    """The profile in a TOML file; AudiogenError (one line, naming the file) when it is not."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AudiogenError(f"profile {path} not found; check its path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AudiogenError(f"cannot read profile {path}: {error}; save it as UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise AudiogenError(f"profile {path} is not valid TOML: {error}") from None
    output = document.get("output", {})
    if not isinstance(output, dict):
        output = {"[output] is not a table": None}
    unknown = (set(document) - _TOP) | (set(output) - _OUTPUT)
    if unknown:
        raise AudiogenError(
            f"profile {path}: unknown setting {', '.join(sorted(unknown))}; "
            f"the settings are {', '.join(sorted(_TOP - {'output'}))} and [output] "
            f"{', '.join(sorted(_OUTPUT))}"
        )
    folder = path.parent
    intro = _lines(document.get("intro"), path, "intro")
    if document.get("ai_disclosure"):
        intro = (AI_DISCLOSURE, *intro)
    profile = Profile(
        intro=intro,
        outro=_lines(document.get("outro"), path, "outro"),
        intro_audio=_file(document.get("intro_audio"), folder),
        outro_audio=_file(document.get("outro_audio"), folder),
        headline_voice=document.get("headline_voice"),
        cover=_file(document.get("cover"), folder),
        **{key: output[key] for key in _OUTPUT if key in output},
    )
    return checked(profile, str(path))


def checked(profile: Profile, where: str) -> Profile:
    """The profile if its values make sense; else AudiogenError naming `where` it came from."""
    low, high = LOUDNESS
    problems, loudness = [], profile.loudness  # None: the channels' own
    if loudness is not None and not (isinstance(loudness, int | float) and low <= loudness <= high):
        problems.append(f"loudness {loudness!r} is not between {low:g} and {high:g} LUFS")
    try:
        output_format(profile)
    except AudiogenError as error:
        problems.append(str(error))
    for field in ("intro_audio", "outro_audio", "cover"):
        file = getattr(profile, field)
        if file is not None and not file.is_file():
            problems.append(f"{field} {file} not found")
    if problems:
        raise AudiogenError(f"{where}: {'; '.join(problems)}")
    return profile


def output_format(profile: Profile):
    """The profile's encoding settings as publish takes them (checked there)."""
    from audiogen.publish import OutputFormat

    return OutputFormat(profile.sample_rate, profile.bitrate, profile.channels, profile.loudness)


def fingerprint(profile: Profile) -> dict:
    """The profile as it shapes the MP3: files by their content, so an edited jingle or cover
    counts as a change and a moved one does not."""
    import hashlib

    made_from = {}
    for field in fields(profile):
        value = getattr(profile, field.name)
        if isinstance(value, Path):
            value = hashlib.sha256(value.read_bytes()).hexdigest()
        made_from[field.name] = value
    return made_from


def _lines(value, path: Path, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    lines = [value] if isinstance(value, str) else value
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise AudiogenError(f"profile {path}: {key} is a line of text or a list of lines")
    return tuple(line.strip() for line in lines if line.strip())


def _file(value, folder: Path) -> Path | None:
    return None if value is None else folder / Path(str(value)).expanduser()
