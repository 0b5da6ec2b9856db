"""Cover art: real images made with Pillow, made square JPEGs, embedded and read back."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from mutagen.id3 import ID3, PictureType
from PIL import Image

from audiogen.assemble import assemble
from audiogen.cover import MAX_SIDE, cover_jpeg
from audiogen.errors import AudiogenError
from audiogen.publish import publish
from audiogen.voices import Pauses
from tests.conftest import decode_mp3
from tests.test_assemble import tone
from tests.test_publish import ARTICLE, SCRIPT

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 60), (30, 60, 220)


def banner(path: Path, width: int, height: int, mode: str = "RGB") -> Path:
    """A wide image: red on the left, blue on the right, green in a centred square."""
    image = Image.new("RGB", (width, height), GREEN)
    edge = (width - height) // 2
    image.paste(RED, (0, 0, edge, height))
    image.paste(BLUE, (width - edge, 0, width, height))
    image.convert(mode).save(path)
    return path


def opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_a_wide_png_becomes_a_square_jpeg_of_its_centre(tmp_path):
    cover = opened(cover_jpeg(banner(tmp_path / "wide.png", 2400, 1600)))
    assert (cover.format, cover.mode, cover.size) == ("JPEG", "RGB", (MAX_SIDE, MAX_SIDE))
    last = MAX_SIDE - 1
    for corner in ((0, 0), (last, 0), (0, last), (last, last), (MAX_SIDE // 2, MAX_SIDE // 2)):
        assert near(cover.getpixel(corner), GREEN), corner  # the red and blue sides are gone


def test_a_cover_between_the_limits_is_cropped_but_not_resized(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        cover = opened(cover_jpeg(banner(tmp_path / "mid.png", 1000, 800)))
    assert cover.size == (800, 800)
    assert caplog.records == []


def test_a_small_cover_is_kept_small_with_one_warning(tmp_path, caplog):
    path = banner(tmp_path / "small.png", 200, 120)
    with caplog.at_level(logging.WARNING):
        cover = opened(cover_jpeg(path))
    assert cover.size == (120, 120)  # not enlarged: that adds no detail
    assert len(caplog.records) == 1
    assert str(path) in caplog.text and "200x120" in caplog.text


@pytest.mark.parametrize("mode", ["P", "L", "CMYK", "RGBA"])
def test_any_colour_mode_comes_out_rgb(tmp_path, mode):
    suffix = ".jpg" if mode == "CMYK" else ".png"
    cover = opened(cover_jpeg(banner(tmp_path / f"cover{suffix}", 600, 400, mode)))
    assert (cover.mode, cover.size) == ("RGB", (400, 400))


def test_transparency_is_laid_on_white_not_black(tmp_path):
    path = tmp_path / "logo.png"
    image = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    image.paste((30, 60, 220, 255), (200, 200, 300, 300))
    image.save(path)
    cover = opened(cover_jpeg(path))
    assert near(cover.getpixel((10, 10)), (255, 255, 255))
    assert near(cover.getpixel((250, 250)), BLUE)


def test_the_cover_is_embedded_as_the_front_cover(tmp_path):
    jpeg = cover_jpeg(banner(tmp_path / "wide.png", 1800, 1500))
    track = assemble(SCRIPT, [[tone(0.3)]] * 4, Pauses())
    mp3 = publish(track, SCRIPT, ARTICLE, tmp_path / "out", cover=jpeg)
    (picture,) = ID3(mp3).getall("APIC")
    assert (picture.type, picture.mime) == (PictureType.COVER_FRONT, "image/jpeg")
    assert picture.type == 3
    assert picture.data == jpeg
    cover = opened(picture.data)
    assert cover.format == "JPEG" and cover.size == (MAX_SIDE, MAX_SIDE)
    decode_mp3(mp3)  # the tag in front does not get in the decoder's way


def test_no_cover_no_picture(tmp_path):
    track = assemble(SCRIPT, [[tone(0.3)]] * 4, Pauses())
    assert ID3(publish(track, SCRIPT, ARTICLE, tmp_path)).getall("APIC") == []


def one_line_error(path: Path) -> str:
    with pytest.raises(AudiogenError) as raised:
        cover_jpeg(path)
    message = str(raised.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_text_file_is_one_line_saying_what_to_give(tmp_path):
    notes = tmp_path / "cover.png"
    notes.write_text("not an image at all\n")
    assert "JPEG or PNG" in one_line_error(notes)


def test_a_missing_file_is_one_line(tmp_path):
    assert "No such file" in one_line_error(tmp_path / "gone.jpg")


def test_a_cut_off_image_is_one_line(tmp_path):
    whole = banner(tmp_path / "whole.png", 600, 400).read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "JPEG or PNG" in one_line_error(cut)


def test_image_bytes_from_the_web_are_made_square_and_named_by_their_address(tmp_path):
    data = banner(tmp_path / "lead.png", 1600, 900).read_bytes()
    assert opened(cover_jpeg(data, "https://news.example/lead.png")).size == (900, 900)
    with pytest.raises(AudiogenError) as raised:
        cover_jpeg(b"<html>a page, served as image/png</html>", "https://news.example/lead.png")
    assert str(raised.value).startswith("https://news.example/lead.png: not an image")
