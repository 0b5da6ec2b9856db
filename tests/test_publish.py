import itertools
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

import audiogen.publish as publish_module
from audiogen.article import Article
from audiogen.assemble import assemble
from audiogen.engines import Audio
from audiogen.errors import AudiogenError
from audiogen.files import owned_temporary, remove_stale_parts
from audiogen.loudness import file_true_peak, measure
from audiogen.narration import Script, Segment
from audiogen.publish import OutputFormat, output_name, publish, sidecar_paths
from audiogen.voices import Pauses
from tests.conftest import DECODE_RATE, decode_mp3, speech_onsets
from tests.test_assemble import RATE, tone
from tests.test_loudness import voiced

ARTICLE = Article(
    headline="Ports reopen after the storm",
    paragraphs=("On Dec. 25, it began. It cost $5.", "Second paragraph."),
    byline="Jane Doe",
    published=datetime(2023, 3, 4, 15, 14),
    publisher="Example News",
    language="en",
    url="https://example.com/ports",
)
SCRIPT = Script(
    (
        Segment(0, ARTICLE.headline, ARTICLE.headline, (ARTICLE.headline,)),
        # As written, and as said: every tag shows the first, only the audio has the second.
        Segment(
            1,
            "On Dec. 25, it began.",
            "On December twenty-fifth, it began.",
            ("On December twenty-fifth, it began.",),
        ),
        Segment(1, "It cost $5.", "It cost five dollars.", ("It cost five dollars.",)),
        Segment(2, "Second paragraph.", "Second paragraph.", ("Second paragraph.",)),
    )
)


def article_named(headline: str) -> Article:
    return Article(headline=headline, paragraphs=("Body.",), published=datetime(2022, 12, 25))


@pytest.mark.parametrize(
    ("headline", "name"),
    [
        ("China strengthens ties with Russia, defends war stance",
         "2022-12-25-china-strengthens-ties-with-russia-defends-war-stance.mp3"),
        ("../../etc/passwd", "2022-12-25-etc-passwd.mp3"),
        ('He said "no" / she said \'yes\' \\ C:\\x', "2022-12-25-he-said-no-she-said-yes-c-x.mp3"),
        ("Café owners’ ½ measures", "2022-12-25-cafe-owners-1-2-measures.mp3"),
        ("Київ вистояв", "2022-12-25-київ-вистояв.mp3"),
        ("...", "2022-12-25-article.mp3"),
    ],
)  # fmt: skip
def test_output_names_are_plain_and_stay_in_the_folder(headline, name):
    assert output_name(article_named(headline)) == name


def test_long_headlines_are_cut_at_a_word():
    name = output_name(article_named("word " * 60))  # 300 characters
    assert len(name) <= len("2022-12-25-.mp3") + 80
    assert name.endswith("-word.mp3")


def test_undated_articles_say_so():
    assert output_name(Article("A headline", ("Body.",))) == "undated-a-headline.mp3"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, object]:
    audio = [[tone(0.8)], [tone(1.0)], [tone(0.6)], [tone(0.9)]]
    track = assemble(SCRIPT, audio, Pauses(0.3, 0.8, 1.1))
    folder = tmp_path_factory.mktemp("published")
    return publish(track, SCRIPT, ARTICLE, folder), track


def test_every_tag_reads_back(written):
    path, track = written
    tags = ID3(path)
    assert path.name == "2023-03-04-ports-reopen-after-the-storm.mp3"
    assert tags["TIT2"].text == [ARTICLE.headline]
    assert tags["TPE1"].text == ["Jane Doe"]
    assert tags["TALB"].text == ["Example News"]
    stamp = tags["TDRC"].text[0]
    assert (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute) == (2023, 3, 4, 15, 14)
    assert b"2023-03-04T15:14" in path.read_bytes()[:4096]  # ID3v2.4's own form, on disk
    assert tags["TCON"].text == ["Speech"]
    assert tags["TLAN"].text == ["eng"]
    assert tags.getall("COMM")[0].text == ["On Dec. 25, it began."]
    assert tags.getall("USLT")[0].text == (
        "Ports reopen after the storm\n\nOn Dec. 25, it began. It cost $5.\n\nSecond paragraph."
    )
    assert tags["WOAS"].url == "https://example.com/ports"
    assert int(tags["TLEN"].text[0]) == round(track.seconds * 1000)
    assert MP3(path).info.length == pytest.approx(track.seconds, abs=0.06)


def test_chapters_cover_the_file_and_start_where_paragraphs_do(written):
    path, track = written
    tags = ID3(path)
    toc = tags["CTOC:toc"]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chapters = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [
        ARTICLE.headline,
        "On Dec. 25, it began.",
        "Second paragraph.",
    ]
    assert chapters[0].start_time == 0
    assert chapters[-1].end_time == round(track.seconds * 1000)
    for before, after in itertools.pairwise(chapters):
        assert before.end_time == after.start_time
    # Paragraph chapters open where the decoded audio resumes after a paragraph-long pause.
    onsets = speech_onsets(decode_mp3(path), min_gap=0.7)
    assert [c.start_time / 1000 for c in chapters[1:]] == pytest.approx(onsets, abs=0.05)


@pytest.mark.parametrize(
    ("published", "utc"),
    [
        # Late evening in New York is the next morning in UTC: the date changes too.
        (datetime(2023, 3, 4, 23, 41, tzinfo=timezone(timedelta(hours=-4))), "2023-03-05T03:41:00"),
        (datetime(2023, 3, 4, 9, 5, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
         "2023-03-04T03:35:30"),
        (datetime(2023, 3, 4, 15, 14, tzinfo=UTC), "2023-03-04T15:14:00"),
    ],
)  # fmt: skip
def test_a_date_with_a_time_zone_is_written_as_its_utc_instant(tmp_path, published, utc):
    article = replace(ARTICLE, published=published)
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    path = publish(track, SCRIPT, article, tmp_path)
    tags = ID3(path)
    assert utc.encode() in path.read_bytes()[:4096]  # ID3v2.4: "all time stamps are UTC"
    assert tags["TDRC"].text[0].text == utc.replace("T", " ")  # as mutagen reads it back
    (local,) = tags.getall("TXXX:audiogen published")
    assert datetime.fromisoformat(local.text[0]) == published  # the same instant...
    assert datetime.fromisoformat(local.text[0]).utcoffset() == published.utcoffset()  # ...zone


def test_a_date_without_a_zone_is_written_as_the_page_gives_it(written):
    path, _ = written
    tags = ID3(path)
    assert tags["TDRC"].text[0].text == "2023-03-04 15:14:00"
    assert tags.getall("TXXX:audiogen published") == []


def test_a_failed_encode_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(track, temporary, output):
        Path(temporary).write_bytes(b"half an mp3")
        raise AudiogenError("MP3 encoding failed: disk on fire")

    monkeypatch.setattr(publish_module, "_encode", broken)
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    with pytest.raises(AudiogenError):
        publish(track, SCRIPT, ARTICLE, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    with pytest.raises(AudiogenError, match="cannot write"):
        publish(track, SCRIPT, ARTICLE, blocker / "out")


# --- sidecars beside the MP3 ----------------------------------------------------------------


def test_sidecars_sit_beside_the_mp3_under_its_name(written):
    path, _ = written
    sidecars = sidecar_paths(path)
    assert [p.name for p in sidecars] == [
        "2023-03-04-ports-reopen-after-the-storm.vtt",
        "2023-03-04-ports-reopen-after-the-storm.srt",
        "2023-03-04-ports-reopen-after-the-storm.chapters.json",
    ]
    assert all(p.is_file() and p.stat().st_size > 0 for p in sidecars)
    # Nothing else: no temporary file left behind.
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in [path, *sidecars]
    )


def test_the_mp3_goes_into_place_after_its_sidecars(tmp_path, monkeypatch):
    placed = []

    def recording(source, target):
        placed.append(Path(target).name)
        return os_replace(source, target)

    os_replace = os.replace
    monkeypatch.setattr(os, "replace", recording)
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    path = publish(track, SCRIPT, ARTICLE, tmp_path)
    assert placed[-1] == path.name
    assert sorted(placed[:-1]) == sorted(p.name for p in sidecar_paths(path))


def test_a_failed_sidecar_leaves_no_mp3(tmp_path, monkeypatch):
    def full_disk(path, data):
        raise AudiogenError(f"{path}: cannot write it: No space left on device")

    monkeypatch.setattr(publish_module, "_write_whole", full_disk)
    track = assemble(SCRIPT, [[tone(0.2)]] * 4, Pauses())
    with pytest.raises(AudiogenError, match="No space"):
        publish(track, SCRIPT, ARTICLE, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_dead_writers_sidecar_parts_are_removed(tmp_path):
    """Leftovers go by their writer's lock, not by the process id in their names: a number a
    live process has now (used again, or this one's) keeps no dead writer's file."""
    stale = [tmp_path / f".a.vtt.{os.getpid()}-0badf00d.part",
             tmp_path / ".a.chapters.json.1-0badf00d.part"]  # fmt: skip
    for part in stale:
        part.write_text("half")
    with owned_temporary(tmp_path, "a.srt") as live:
        live.write_text("half")
        assert sorted(remove_stale_parts(tmp_path)) == sorted(stale)
        assert [p.name for p in tmp_path.iterdir()] == [live.name]


# --- output settings ------------------------------------------------------------------------


def properties(mp3: Path) -> tuple[int, int, int, BitrateMode]:
    """Sample rate, kbit/s, channels and bitrate mode, as the MP3's own headers say."""
    info = MP3(mp3).info
    # mutagen works the bitrate out from the LAME header's byte count: 63999 for 64k.
    return info.sample_rate, round(info.bitrate / 1000), info.channels, info.bitrate_mode


def test_the_default_output_is_mono_44k_64k_constant(written):
    path, _ = written
    assert properties(path) == (44100, 64, 1, BitrateMode.CBR)


def test_stereo_22k_128k_output_is_what_the_mp3_says_and_it_decodes(tmp_path):
    track = assemble(SCRIPT, [[tone(0.4)]] * 4, Pauses())
    output = OutputFormat(sample_rate=22050, bitrate="128k", channels=2)
    path = publish(track, SCRIPT, ARTICLE, tmp_path, output=output)
    assert properties(path) == (22050, 128, 2, BitrateMode.CBR)
    assert len(decode_mp3(path)) / 22050 == pytest.approx(track.seconds, abs=0.1)


def test_a_folder_name_ffmpeg_would_read_as_syntax_is_written_to_as_it_is(tmp_path):
    # The encoder's tee muxer takes its outputs in one string: | [ ] : and ' are its syntax.
    folder = tmp_path / "it's | [odd]: here"
    track = assemble(SCRIPT, [[tone(0.4)]] * 4, Pauses())
    path = publish(track, SCRIPT, ARTICLE, folder)
    assert path.parent == folder and sorted(p.name for p in folder.iterdir()) == sorted(
        [path.name] + [p.name for p in sidecar_paths(path)]
    )
    assert len(decode_mp3(path)) / DECODE_RATE == pytest.approx(track.seconds, abs=0.1)


def test_the_peak_measured_while_encoding_is_the_written_files(loud_track, tmp_path):
    output = OutputFormat()
    samples = loud_track.spool.read(0, loud_track.spool.length)
    blocks = np.array_split(samples * (0.95 / np.abs(samples).max()), 3)
    peak = publish_module._encode_pcm(blocks, loud_track.rate, tmp_path / "a.mp3", output)
    # Only peaks over -1 dBTP are interpolated (all the check needs): this sound has them.
    assert -1.0 < peak == pytest.approx(file_true_peak(tmp_path / "a.mp3", 1), abs=1e-3)


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"sample_rate": 16000}, "22050, 44100, 48000"),
        ({"sample_rate": "44100"}, "sample rate"),
        ({"bitrate": "16k"}, "32k"),
        ({"bitrate": "400k"}, "320k"),
        ({"bitrate": "70k"}, "64k, 80k"),
        ({"bitrate": "fast"}, "bitrate"),
        ({"sample_rate": 22050, "bitrate": "192k"}, "160k"),  # MPEG-2 stops at 160
        ({"channels": 3}, "use 1 .mono. or 2 .stereo."),
        ({"channels": 0}, "use 1 .mono. or 2 .stereo."),
    ],
)
def test_output_settings_an_mp3_cannot_carry_are_one_clear_error(settings, said):
    with pytest.raises(AudiogenError, match=said) as error:
        OutputFormat(**settings)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("bitrate", [96, "96", "96K", " 96k"])
def test_a_bitrate_is_kilobits_however_it_is_written(bitrate):
    assert OutputFormat(bitrate=bitrate).bitrate == "96k"


# --- loudness and true peak of the written file ----------------------------------------------


def loud_speech(seconds: float, seed: int) -> Audio:
    """Synthetic speech with fricatives: `voiced` plus bursts of hiss tilted to the highs, as
    "s" and "sh" are. Limited hard to a loud target, its peaks crowd the ceiling, and LAME's
    noise lifts them over it at every bitrate."""
    rng = np.random.default_rng(seed)
    sound = voiced(seconds, 0.0, harmonics=40, seed=seed)
    hiss = np.diff(rng.normal(0, 1, len(sound) + 1))
    sound += (
        0.3 * hiss * (np.sin(2 * np.pi * (2.1 + 0.2 * seed) * np.arange(len(sound)) / RATE) > 0.7)
    )
    return Audio(np.round(sound / np.abs(sound).max() * 32767).astype(np.int16), RATE)


@pytest.fixture(scope="module")
def loud_track():
    return assemble(SCRIPT, [[loud_speech(2.0, seed)] for seed in range(4)], Pauses())


@pytest.mark.parametrize("bitrate", ["32k", "64k", "128k"])
def test_an_encode_over_the_ceiling_is_made_again_under_it(
    loud_track, tmp_path, monkeypatch, bitrate
):
    peaks = []  # the written file's true peak after each encode
    encode = publish_module._encode_pcm

    def measured(blocks, rate, path, output):
        peak = encode(blocks, rate, path, output)  # measured while it was written
        peaks.append(file_true_peak(path, output.channels))  # and on the file, afterwards
        assert peak == pytest.approx(peaks[-1], abs=1e-3)
        return peak

    monkeypatch.setattr(publish_module, "_encode_pcm", measured)
    # No margin for the first encode, whatever the bitrate's tuned one: it must overshoot.
    monkeypatch.setattr(publish_module, "FIRST_MARGINS", ((320, 0.0),))
    output = OutputFormat(bitrate=bitrate, loudness=-14.0)
    path = publish(loud_track, SCRIPT, ARTICLE, tmp_path, output=output)
    assert peaks[0] > -1.0  # the first encode's margin was not enough for this sound
    assert 1 < len(peaks) <= publish_module.MAX_ENCODES and peaks[-1] <= -1.0
    assert measure(path).true_peak <= -1.0  # ffmpeg's meter, which shares no code with ours


def test_a_sound_the_encoder_cannot_hold_under_the_ceiling_is_one_clear_error(
    loud_track, tmp_path, monkeypatch
):
    encode = publish_module._encode_pcm
    monkeypatch.setattr(publish_module, "_encode_pcm", lambda *args: encode(*args) and 0.5)
    with pytest.raises(AudiogenError, match=r"^the MP3 at 64k still peaks 1\.5 dB over -1 dBTP "
                       r"after 4 encodes; choose a higher bitrate$"):  # fmt: skip
        publish(loud_track, SCRIPT, ARTICLE, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("channels", "target"), [(1, -19.0), (2, -16.0)])
def test_the_default_loudness_is_aes_td1004s_for_the_channels(
    loud_track, tmp_path, channels, target
):
    path = publish(loud_track, SCRIPT, ARTICLE, tmp_path, output=OutputFormat(channels=channels))
    heard = measure(path)
    assert heard.integrated == pytest.approx(target, abs=0.5)
    assert heard.true_peak <= -1.0


@pytest.mark.parametrize(("channels", "level"), [(1, ["-compression_level", "7"]), (2, [])])
def test_mono_is_encoded_at_lames_level_7_and_stereo_at_its_default(
    loud_track, tmp_path, channels, level
):
    # The file publish's encoder writes is byte for byte what ffmpeg writes alone from the
    # same PCM with LAME at that level (mono: 7, faster; stereo: LAME's default).
    import subprocess

    import imageio_ffmpeg

    output = OutputFormat(channels=channels)
    samples = loud_track.spool.read(0, loud_track.spool.length) * 0.5
    publish_module._encode_pcm([samples], loud_track.rate, tmp_path / "ours.mp3", output)
    pan = ["-ac", "1"] if channels == 1 else ["-af", "pan=stereo|c0=c0|c1=c0"]
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar",
         str(loud_track.rate), "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "64k",
         "-ar", "44100", *level, *pan, str(tmp_path / "alone.mp3")],
        input=publish_module._pcm16(samples), check=True,
    )  # fmt: skip
    assert (tmp_path / "ours.mp3").read_bytes() == (tmp_path / "alone.mp3").read_bytes()
    assert properties(tmp_path / "ours.mp3")[2] == channels
