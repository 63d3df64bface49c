"""Real PNG images built from their chunks, so that tests and the load generator need no files.

The memo app accepts an image by its bytes (the PNG signature and an IHDR
chunk), so what is uploaded must be a real PNG; ``png`` makes one of any
size and colour, and different colours give different bytes (and hashes),
so each upload of a load run can be told apart in the database.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(
    width: int = 1,
    height: int = 1,
    rgb: tuple[int, int, int] = (255, 0, 0),
    *,
    noise: bytes | None = None,
) -> bytes:
    """A ``width`` x ``height`` PNG (8-bit RGB, no interlace) filled with one colour.

    ``noise``, when given, is used as the pixels instead (repeated or cut to
    ``3 * width * height`` bytes): random bytes make an image that does not
    compress, to send a body of a chosen size.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row_size = 3 * width
    if noise:
        pixels = (noise * (1 + 3 * width * height // len(noise)))[: 3 * width * height]
        rows = [pixels[y * row_size : (y + 1) * row_size] for y in range(height)]
    else:
        rows = [bytes(rgb) * width] * height
    scanlines = b"".join(b"\x00" + row for row in rows)  # filter type 0, then the pixels
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanlines))
        + chunk(b"IEND", b"")
    )
