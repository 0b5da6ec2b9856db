"""Cover art: any image a user or a page gives, as the square JPEG podcast apps show.

Apple Podcasts wants square RGB art of 1400 to 3000 pixels; other apps show what they get.
Bigger images are made 1400 pixels square (plenty for a phone, and small inside the MP3);
smaller ones are cropped square and kept as they are, since enlarging adds no detail.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from audiogen.errors import AudiogenError

log = logging.getLogger(__name__)

MAX_SIDE = 1400
MIN_SIDE = 300  # below this a cover looks blurred even in a list of episodes
QUALITY = 85  # no visible loss on photos, about a quarter of the bytes of quality 95
# What a transparent image is laid on: the page colour most art was made for.
BACKGROUND = (255, 255, 255)


def cover_jpeg(image: Path | bytes, name: str | None = None) -> bytes:
    """The image (a file, or its bytes), centre-cropped square, at most MAX_SIDE pixels, as
    RGB JPEG bytes; `name` is how messages call it (default: the path).

    A file that cannot be read or is not an image is an AudiogenError naming it.
    """
    name = name or str(image)
    image = _opened(io.BytesIO(image) if isinstance(image, bytes) else image, name)
    side = min(image.size)
    if side < MIN_SIDE:
        log.warning(
            "%s: the cover is only %dx%d pixels; podcast apps want %d or more",
            name, *image.size, MAX_SIDE,
        )  # fmt: skip
    square = ImageOps.fit(image, (min(side, MAX_SIDE),) * 2, Image.Resampling.LANCZOS)
    return _jpeg(square)


def _opened(source: Path | io.BytesIO, name: str) -> Image.Image:
    """The decoded image, upright and in RGB; the file's problem as an AudiogenError."""
    try:
        with Image.open(source) as image:
            # A big JPEG is decoded at a fraction of its size, still at least MAX_SIDE each
            # way: a 24-megapixel photo loads in a quarter of the time and memory.
            image.draft(None, (MAX_SIDE, MAX_SIDE))
            image.load()
            # Phones store photos sideways with an EXIF note to turn them.
            return _rgb(ImageOps.exif_transpose(image))
    except UnidentifiedImageError as error:
        raise AudiogenError(
            f"{name}: not an image; give a JPEG or PNG file as the cover"
        ) from error
    except Image.DecompressionBombError as error:
        raise AudiogenError(
            f"{name}: the image is too large to open safely; give one of at most 3000 pixels"
        ) from error
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise AudiogenError(
            f"{name}: cannot read the cover image ({reason}); give a readable JPEG or PNG"
        ) from error
    except (SyntaxError, ValueError) as error:  # some of Pillow's decoders' "damaged file"
        raise AudiogenError(
            f"{name}: the cover image is damaged ({error}); give a whole JPEG or PNG"
        ) from error


def _rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on BACKGROUND: converted straight, clear pixels
    would turn black."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    # Baseline, not progressive: some car stereos and older players show no other kind.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=QUALITY, optimize=True)
    return buffer.getvalue()
