"""What kind of image a file is, from its first bytes (never from its name).

A client's file name and ``Content-Type`` are claims; the bytes are the fact.
A text file named ``x.jpg`` has no JPEG signature and is refused, and the
image is served back with the media type its bytes show, with
``X-Content-Type-Options: nosniff`` so the browser does not guess either.
"""

from __future__ import annotations

#: Each accepted format's signature: (offset, bytes) pairs that must all match.
SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "image/png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "image/jpeg": ((0, b"\xff\xd8\xff"),),
    "image/gif": ((0, b"GIF87a"),),
    "image/webp": ((0, b"RIFF"), (8, b"WEBP")),
}
_GIF89 = ((0, b"GIF89a"),)

#: Enough bytes to recognise every format above.
SNIFF_LENGTH = 16


def sniff_image_type(head: bytes) -> str | None:
    """The media type of a PNG, JPEG, GIF or WebP image starting with ``head``, else None."""
    for media_type, signature in (*SIGNATURES.items(), ("image/gif", _GIF89)):
        if all(head[offset : offset + len(magic)] == magic for offset, magic in signature):
            return media_type
    return None
