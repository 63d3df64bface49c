"""What kind of image a file is, from its bytes (never from its name), and whether it is whole.

A client's file name and ``Content-Type`` are claims; the bytes are the fact.
A text file named ``x.jpg`` has no JPEG signature and is refused, and the
image is served back with the media type its bytes show, with
``X-Content-Type-Options: nosniff`` so the browser does not guess either.

A signature is only the first bytes: a file cut short in its upload, or
damaged, still has it, and would be kept and shown as a broken image.
``check_image`` therefore decodes the image with Pillow (a well-kept
decoder of every format accepted here, where a hand-written check of four
formats' chunk and marker structure would be long and still miss damage
inside the compressed data), after checking its dimensions in its header,
so that a small file that claims a huge picture (a "decompression bomb") is
refused before any memory is spent on its pixels.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

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


#: Pillow's name of each accepted format, by media type.
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}


class ImageRefused(ValueError):
    """The bytes are not a whole image of an accepted format, or it has too many pixels.

    ``too_large`` is True for the second case (the file is fine, the picture too big).
    """

    def __init__(self, reason: str, *, too_large: bool = False) -> None:
        super().__init__(reason)
        self.too_large = too_large


def check_image(data: bytes, max_pixels: int) -> str:
    """The media type of ``data``, a whole PNG, JPEG, GIF or WebP image of at most
    ``max_pixels`` pixels (width x height).

    Raises ``ImageRefused`` when the signature is not one of those formats,
    when the image does not decode to its end (cut short or damaged), or when
    its header announces more than ``max_pixels`` pixels (checked before it is
    decoded). Only the first frame of an animation is decoded.
    """
    media_type = sniff_image_type(data[:SNIFF_LENGTH])
    if media_type is None:
        raise ImageRefused("is not a PNG, JPEG, GIF or WebP image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[media_type]]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageRefused(
                        f"has {width} x {height} pixels, more than {max_pixels}", too_large=True
                    )
                image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        # Pillow's own limit (Image.MAX_IMAGE_PIXELS), should it be below max_pixels.
        raise ImageRefused("has more pixels than this server decodes", too_large=True) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Pillow's errors for a file it cannot read: UnidentifiedImageError and
        # "image file is truncated" (OSError), a bad header (SyntaxError, ValueError).
        kind = PILLOW_FORMATS[media_type]
        raise ImageRefused(f"is not a whole {kind} image (cut short or damaged)") from None
    return media_type
