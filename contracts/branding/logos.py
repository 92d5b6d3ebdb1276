"""Checking an uploaded logo and re-encoding it as a small, clean PNG.

Only raster images Pillow identifies by their content as PNG, JPEG or WebP are accepted
(never SVG, which can carry scripts, nor whatever a file name or browser claims). The image
is decoded and written anew as PNG: nothing of the upload survives but its pixels — no
metadata, no text or private chunks, no trailing bytes.
"""

from __future__ import annotations

import io
import threading
import warnings
from contextlib import contextmanager

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_SIDE_PX = 2000
#: Logos are shown at most this tall (pages show them at 48 px, so twice that stays sharp on
#: high-density screens); wider ones are narrowed to keep the proportion.
LOGO_MAX_HEIGHT_PX = 160
LOGO_MAX_WIDTH_PX = 640


class LogoRefused(ValueError):
    """An upload that is not an acceptable logo; the message says why, for the person uploading."""


def prepared_logo(data: bytes) -> bytes:
    """The logo in ``data`` as PNG bytes, at most 640×160 px, without any metadata.

    Raises :class:`LogoRefused` for files over 1 MB, anything but a PNG, JPEG or WebP image,
    images larger than 2000×2000 px, and files that do not decode.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoRefused(f"The logo is {len(data) / 1024 / 1024:.1f} MB; the limit is 1 MB.")
    if not data:
        raise LogoRefused("The file is empty.")
    try:
        with warnings.catch_warnings():
            # A decompression-bomb warning becomes an error: refuse rather than decode.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            width, height = image.size
            if width > MAX_SIDE_PX or height > MAX_SIDE_PX:
                raise LogoRefused(
                    f"The logo is {width}×{height} pixels; the limit is {MAX_SIDE_PX}×{MAX_SIDE_PX}."
                )
            with _truncated_images_refused():
                image.load()
    except LogoRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoRefused(
            "Upload a PNG, JPEG or WebP image (SVG and other formats are not accepted)."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise LogoRefused("The image could not be read: the file is damaged or incomplete.") from None
    return _as_png(image)


_truncation_lock = threading.Lock()


@contextmanager
def _truncated_images_refused():
    """Decode with Pillow's default strictness: a truncated file is an error, not an image
    padded with grey. WeasyPrint switches the process-wide flag on when it is imported, so
    the outcome would otherwise depend on whether this process has rendered a PDF."""
    with _truncation_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _as_png(image: Image.Image) -> bytes:
    image = ImageOps.exif_transpose(image)  # photos taken sideways stand upright
    image = image.convert("RGBA") if _has_transparency(image) else image.convert("RGB")
    image.thumbnail((LOGO_MAX_WIDTH_PX, LOGO_MAX_HEIGHT_PX), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels alone: no info dict, EXIF, ICC profile or text chunks.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
