"""Small images made in memory for the branding tests."""

import io
import zlib

from PIL import Image


def image_bytes(fmt: str = "PNG", size=(400, 200), colour=(31, 111, 235), **save) -> bytes:
    out = io.BytesIO()
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def png_with_chunk(chunk_type: bytes, data: bytes, size=(300, 100)) -> bytes:
    """A valid PNG with an extra chunk (text or private) before IEND, as some tools write."""
    png = image_bytes("PNG", size)
    chunk = len(data).to_bytes(4, "big") + chunk_type + data
    chunk += zlib.crc32(chunk_type + data).to_bytes(4, "big")
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + chunk + png[iend:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
