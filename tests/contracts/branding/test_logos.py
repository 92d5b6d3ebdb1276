import io

import pytest
from PIL import Image, ImageFile

from contracts.branding.logos import LOGO_MAX_HEIGHT_PX, LogoRefused, prepared_logo
from tests.contracts.branding.images import SVG, image_bytes, png_with_chunk


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_become_png(fmt):
    logo = _open(prepared_logo(image_bytes(fmt, (400, 200))))
    assert logo.format == "PNG"
    assert logo.size == (320, LOGO_MAX_HEIGHT_PX)  # downscaled, proportion kept


def test_small_logo_keeps_its_size():
    assert _open(prepared_logo(image_bytes("PNG", (120, 40)))).size == (120, 40)


def test_svg_is_refused():
    with pytest.raises(LogoRefused, match="PNG, JPEG or WebP"):
        prepared_logo(SVG)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_raster_formats_are_refused(fmt):
    with pytest.raises(LogoRefused, match="PNG, JPEG or WebP"):
        prepared_logo(image_bytes(fmt, (50, 50)) if fmt != "GIF" else _gif())


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (50, 50)).save(out, format="GIF")
    return out.getvalue()


def test_file_over_one_megabyte_is_refused():
    with pytest.raises(LogoRefused, match="limit is 1 MB"):
        prepared_logo(b"\x89PNG" + b"\0" * (1024 * 1024))


def test_image_larger_than_2000_pixels_is_refused():
    with pytest.raises(LogoRefused, match="2001×100 pixels"):
        prepared_logo(image_bytes("PNG", (2001, 100)))


@pytest.mark.parametrize("renderer_loaded", [False, True])
def test_truncated_image_is_refused(monkeypatch, renderer_loaded):
    # Loading WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", renderer_loaded)
    data = image_bytes("JPEG", (400, 400), quality=95)
    with pytest.raises(LogoRefused, match="damaged"):
        prepared_logo(data[: len(data) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is renderer_loaded


def test_empty_file_is_refused():
    with pytest.raises(LogoRefused, match="empty"):
        prepared_logo(b"")


def test_text_and_private_chunks_and_metadata_are_stripped():
    script = b"<script>alert(document.cookie)</script>"
    upload = png_with_chunk(b"tEXt", b"Comment\0" + script)
    assert script in upload
    logo = prepared_logo(upload)
    assert script not in logo
    assert b"tEXt" not in logo and b"Comment" not in logo
    assert _open(logo).info.get("Comment") is None


def test_private_chunk_is_stripped():
    upload = png_with_chunk(b"prVt", b"<script>x()</script>")
    assert b"<script>" not in prepared_logo(upload)


def test_exif_of_a_jpeg_is_stripped():
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    upload = image_bytes("JPEG", (200, 100), exif=exif.tobytes())
    assert b"secret description" in upload
    assert b"secret description" not in prepared_logo(upload)


def test_transparency_is_kept():
    logo = _open(prepared_logo(image_bytes("PNG", (100, 50), colour=(0, 0, 0, 0))))
    assert logo.mode == "RGBA"
    assert logo.getpixel((0, 0))[3] == 0
