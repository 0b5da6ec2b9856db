"""Publisher profiles: the TOML file, its checks, and the framing it puts around an article."""

import json

import pytest

from audiogen.errors import AudiogenError
from audiogen.profile import (
    AI_DISCLOSURE,
    PLAIN,
    Profile,
    checked,
    fingerprint,
    load_profile,
    output_format,
)
from tests.conftest import SAMPLE, run_cli


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_profile(tmp_path):
    (tmp_path / "sound").mkdir()
    jingle = write(tmp_path / "sound" / "jingle.mp3", "not checked here")
    cover = write(tmp_path / "cover.png", "nor this")
    profile = load_profile(
        write(
            tmp_path / "newsroom.toml",
            'ai_disclosure = true\nintro = "From the newsroom."\n'
            'outro = ["Read more online.", "Thanks for listening."]\n'
            'intro_audio = "sound/jingle.mp3"\noutro_audio = "sound/jingle.mp3"\n'
            'headline_voice = "joe-headline"\ncover = "cover.png"\n'
            '[output]\nloudness = -19\nsample_rate = 48000\nbitrate = "96k"\nchannels = 2\n',
        )
    )
    assert profile == Profile(
        intro=(AI_DISCLOSURE, "From the newsroom."),
        outro=("Read more online.", "Thanks for listening."),
        intro_audio=jingle,
        outro_audio=jingle,
        headline_voice="joe-headline",
        cover=cover,
        loudness=-19,
        sample_rate=48000,
        bitrate="96k",
        channels=2,
    )


def test_an_empty_profile_is_the_plain_one(tmp_path):
    assert load_profile(write(tmp_path / "p.toml", "")) == PLAIN


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("intro = [1, 2]\n", "intro is a line of text or a list of lines"),
        ('jingle = "x.mp3"\n', "unknown setting jingle"),
        ("[output]\nvolume = 3\n", "unknown setting volume"),
        ("output = 3\n", "[output] is not a table"),
        ("[output]\nloudness = -5\n", "loudness -5 is not between -24 and -14 LUFS"),
        ("[output]\nsample_rate = 8000\n", "output sample rate 8000: use one of"),
        ('[output]\nbitrate = "1m"\n', "output bitrate '1m'"),
        ("[output]\nchannels = 6\n", "output channels 6: use 1 (mono) or 2 (stereo)"),
        ('cover = "gone.png"\n', "cover"),
        ("intro = \n", "is not valid TOML"),
    ],
)
def test_a_bad_profile_is_one_line_naming_the_file(tmp_path, text, said):
    path = write(tmp_path / "p.toml", text)
    with pytest.raises(AudiogenError) as error:
        load_profile(path)
    message = str(error.value)
    assert said in message and str(path) in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "loudness"),
    [
        ("", -19.0),  # AES TD1004: mono
        ("[output]\nchannels = 2\n", -16.0),  # and stereo
        ("[output]\nchannels = 2\nloudness = -18\n", -18),  # a profile's own, whatever the channels
        ("[output]\nloudness = -16\n", -16),
    ],
)
def test_the_loudness_is_the_channels_own_unless_the_profile_says(tmp_path, text, loudness):
    profile = load_profile(write(tmp_path / "p.toml", text))
    assert output_format(profile).loudness == loudness


def test_a_missing_profile(tmp_path):
    with pytest.raises(AudiogenError, match="not found; check its path"):
        load_profile(tmp_path / "gone.toml")


def test_checked_names_every_problem_at_once():
    with pytest.raises(AudiogenError, match="x: loudness .*; output channels"):
        checked(Profile(loudness=0, channels=3), "x")


def test_the_fingerprint_follows_the_files_content_not_their_place(tmp_path):
    first = write(tmp_path / "a.mp3", "jingle one")
    moved = write(tmp_path / "b.mp3", "jingle one")
    assert fingerprint(Profile(intro_audio=first)) == fingerprint(Profile(intro_audio=moved))
    write(first, "jingle two")
    assert fingerprint(Profile(intro_audio=first)) != fingerprint(Profile(intro_audio=moved))
    json.dumps(fingerprint(Profile(intro_audio=first)))  # it goes into a JSON fingerprint


def test_script_says_the_framing_words_too(tmp_path):
    profile = write(tmp_path / "p.toml", 'outro = "Thanks for listening."\n')
    result = run_cli("script", str(SAMPLE), "--profile", str(profile), "--ai-disclosure", "--json")
    assert result.returncode == 0, result.stderr
    segments = json.loads(result.stdout)["segments"]
    assert segments[0]["spoken"] == AI_DISCLOSURE
    assert segments[1]["text"] == "China strengthens ties with Russia, defends war stance"
    assert segments[-1]["spoken"] == "Thanks for listening."


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--profile", "{tmp}/gone.toml"], "gone.toml not found"),
        (["--headline-voice", "robot"], "unknown voice 'robot'"),
        (["--cover", "{tmp}/gone.png"], "cover {tmp}/gone.png not found"),
    ],
)
def test_bad_profile_options_are_usage_errors(tmp_path, options, said):
    options = [option.format(tmp=tmp_path) for option in options]
    result = run_cli("convert", str(SAMPLE), "-o", str(tmp_path / "out"), *options)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiogen: error: "), result.stderr
    assert said.format(tmp=tmp_path) in lines[0]
    assert not (tmp_path / "out").exists()


def tone_file(path, seconds: float, rate: int = 22050):
    """A WAV of a plain tone: a jingle whose sound is easy to find in the MP3."""
    import wave

    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.tobytes())
    return path


def steady(samples) -> bool:
    """Sound in every 10 ms of it, as a tone has and speech, with its gaps, has not."""
    frames = samples[: len(samples) // 220 * 220].reshape(-1, 220)
    return bool(((frames**2).mean(axis=1) ** 0.5 > 0.02).all())


@pytest.mark.slow
def test_an_mp3_framed_by_the_profile(tmp_path):
    from mutagen.id3 import ID3

    from tests.conftest import decode_mp3

    article = write(
        tmp_path / "ferry.txt",
        "Harbour ferry to run on batteries\n\nThe council approved an electric ferry for the "
        "harbour crossing on Monday, ending a two-year argument over its cost.\n\nThe boat "
        "will carry 200 passengers and run every half hour from next spring, the council "
        "said in a statement after the vote.\n",
    )
    tone_file(tmp_path / "jingle.wav", 2.0)
    profile = write(
        tmp_path / "newsroom.toml",
        'ai_disclosure = true\noutro = "Thanks for listening."\nintro_audio = "jingle.wav"\n'
        'outro_audio = "jingle.wav"\nheadline_voice = "joe-headline"\n',
    )
    out = tmp_path / "out"
    plain = run_cli("convert", str(article), "-o", str(tmp_path / "plain"))
    framed = run_cli("convert", str(article), "-o", str(out), "--profile", str(profile))
    assert plain.returncode == 0 and framed.returncode == 0, framed.stderr

    mp3 = framed.stdout.strip()
    tags = ID3(mp3)
    transcript = str(tags.getall("USLT")[0])
    assert transcript.startswith(AI_DISCLOSURE + "\n\nHarbour ferry to run on batteries\n\n")
    assert transcript.endswith("\n\nThanks for listening.")
    samples = decode_mp3(mp3)
    # The jingle opens the file: a steady tone from the first moments, before any speech.
    rate = 22050
    assert steady(samples[int(0.2 * rate) : int(1.8 * rate)])
    assert steady(samples[-int(1.8 * rate) : -int(0.2 * rate)])
    longer = len(samples) / rate - len(decode_mp3(plain.stdout.strip())) / rate
    assert longer > 2 * 2.0 + 2  # two jingles and two lines of speech
    # Chapters follow the framing: the first opens the file, each starts inside it.
    chapters = {frame.element_id: frame for frame in tags.getall("CHAP")}
    starts = [chapters[id].start_time for id in tags.getall("CTOC")[0].child_element_ids]
    assert starts[0] == 0 and starts == sorted(starts)
    assert starts[-1] < len(samples) / rate * 1000

    again = run_cli("convert", str(article), "-o", str(out), "--profile", str(profile))
    assert again.returncode == 0 and "up to date" in again.stderr
    # Another headline voice makes a different MP3: not up to date any more.
    other = run_cli("convert", str(article), "-o", str(out), "--profile", str(profile),
                    "--headline-voice", "joe")  # fmt: skip
    assert other.returncode == 0 and "up to date" not in other.stderr


def test_cover_from_the_command_line(tmp_path):
    from io import BytesIO

    from mutagen.id3 import ID3
    from PIL import Image

    cover = tmp_path / "wide.png"
    Image.new("RGB", (1600, 900), "navy").save(cover)
    result = run_cli("convert", str(SAMPLE), "-o", str(tmp_path / "out"), "--cover", str(cover))
    assert result.returncode == 0, result.stderr
    (picture,) = ID3(result.stdout.strip()).getall("APIC")
    assert picture.type == 3 and picture.mime == "image/jpeg"
    assert Image.open(BytesIO(picture.data)).size == (900, 900)  # square, never enlarged
