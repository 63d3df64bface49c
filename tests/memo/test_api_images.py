"""Images in memos: kept in the database, recognised by their bytes, served to their owner."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest

from examples.memo.images import sniff_image_type

from .conftest import APIUser, tiny_png, upload

GIF = bytes.fromhex(  # the smallest GIF: one white pixel
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)


def post_with_image(user: APIUser, data: bytes, filename: str = "photo.png"):
    return user.post(
        "/api/memos", data={"title": "사진", "content": "", "linked_image": upload(data, filename)}
    )


def test_a_real_png_is_stored_and_served_back(kim: APIUser) -> None:
    png = tiny_png()
    created = post_with_image(kim, png, "whatever.bin")
    assert created.status_code == 201
    url = created.json["linked_image"]
    assert url == f"/api/memos/{created.json['id']}/image"
    image = kim.get(url)
    assert image.status_code == 200
    assert image.data == png
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in image.headers["Cache-Control"]
    assert image.headers["ETag"] == f'"{hashlib.sha256(png).hexdigest()[:32]}"'
    cached = kim.get(url, headers={"If-None-Match": image.headers["ETag"]})
    assert cached.status_code == 304 and cached.data == b""


def test_media_type_comes_from_the_bytes_not_the_name(kim: APIUser) -> None:
    created = post_with_image(kim, GIF, "cat.png")
    assert kim.get(created.json["linked_image"]).headers["Content-Type"] == "image/gif"


def test_a_text_file_named_jpg_is_400(kim: APIUser) -> None:
    response = post_with_image(kim, b"dummy text, not an image", "1234567890qweasdzxc.jpg")
    assert response.status_code == 400
    assert response.json["errors"] == {"linked_image": "is not an image"}
    assert kim.get("/api/memos").json == []


def test_an_image_over_the_limit_is_413(kim: APIUser, app) -> None:
    app.config["MAX_IMAGE_SIZE"] = 1000
    big = tiny_png(200, 200) + b"\x00" * 1000  # trailing bytes: still a PNG by its signature
    assert len(big) > 1000
    response = post_with_image(kim, big)
    assert response.status_code == 413
    assert response.json["code"] == 413
    assert kim.get("/api/memos").json == []


def test_a_body_over_max_content_length_is_413_json(kim: APIUser, app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = post_with_image(kim, b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000)
    assert response.status_code == 413
    assert response.json["code"] == 413


def test_image_replaced_by_put_and_removed_by_delete(kim: APIUser) -> None:
    created = kim.create_memo()
    url = f"/api/memos/{created['id']}"
    put = kim.put(url, data={"linked_image": upload(tiny_png(), "a.png")})
    assert put.status_code == 200 and put.json["linked_image"] == f"{url}/image"
    replaced = kim.put(url, data={"linked_image": upload(GIF, "b.gif")})
    assert kim.get(replaced.json["linked_image"]).data == GIF
    removed = kim.delete(f"{url}/image")
    assert removed.status_code == 204
    assert kim.get(url).json["linked_image"] is None
    assert kim.get(f"{url}/image").status_code == 404
    assert kim.delete(f"{url}/image").status_code == 204


def test_json_null_removes_the_image(kim: APIUser) -> None:
    """``"linked_image": null`` in JSON, as the memo itself shows "no image"."""
    created = post_with_image(kim, tiny_png()).json
    url = f"/api/memos/{created['id']}"
    etag = kim.get(url).headers["ETag"]
    removed = kim.patch(url, json={"linked_image": None}, headers={"If-Match": etag})
    assert removed.status_code == 200 and removed.json["linked_image"] is None
    assert removed.headers["ETag"] != etag
    assert kim.get(f"{url}/image").status_code == 404
    again = kim.patch(url, json={"linked_image": None})
    assert again.status_code == 200 and again.headers["ETag"] == removed.headers["ETag"]
    plain = kim.post("/api/memos", json={"title": "t", "content": "c", "linked_image": None})
    assert plain.status_code == 201 and plain.json["linked_image"] is None


def test_an_image_in_a_url_encoded_form_is_422(kim: APIUser) -> None:
    response = kim.post("/api/memos", data={"title": "t", "content": "c", "linked_image": "a.png"})
    assert response.status_code == 422
    assert response.json["errors"] == {"linked_image": "must be a file"}


def test_an_image_in_a_json_body_is_422(kim: APIUser) -> None:
    response = kim.post(
        "/api/memos", json={"title": "t", "content": "c", "linked_image": "aGVsbG8="}
    )
    assert response.status_code == 422
    assert "linked_image" in response.json["errors"]


def test_another_user_cannot_read_the_image(kim: APIUser, lee: APIUser) -> None:
    created = post_with_image(kim, tiny_png())
    assert lee.get(created.json["linked_image"]).status_code == 404
    assert kim.client.get(created.json["linked_image"]).status_code == 401


def test_listing_memos_shows_image_urls(kim: APIUser) -> None:
    post_with_image(kim, tiny_png())
    kim.create_memo()
    images = [memo["linked_image"] for memo in kim.get("/api/memos").json]
    assert images[0] is None and images[1].endswith("/image")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (tiny_png()[:16], "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"GIF87a\x01\x00", "image/gif"),
        (GIF[:16], "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"<svg xmlns=", None),
        (b"", None),
        (b"\x89PNG", None),
    ],
)
def test_sniffing(head: bytes, expected: str | None) -> None:
    assert sniff_image_type(head) == expected


def _pillow_image(kind: str) -> bytes:
    """A small real image of one of the accepted formats, made by Pillow."""
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(output, kind)
    return output.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_an_image_cut_short_or_damaged_is_400_and_a_whole_one_is_kept(
    kim: APIUser, kind: str
) -> None:
    """A signature is only the first bytes: a file cut short in its upload kept it, and was
    stored and served as a broken image (the example: a PNG's first 20 bytes)."""
    whole = _pillow_image(kind)
    damaged = whole[:16] + bytes(len(whole) - 16)  # the signature, then zeros
    for broken in (whole[:20], whole[: len(whole) // 2], damaged):
        refused = post_with_image(kim, broken, f"photo.{kind.lower()}")
        assert refused.status_code == 400, (kind, len(broken))
        assert refused.json["errors"] == {"linked_image": "is not an image"}
        assert "cut short or damaged" in refused.json["message"]
    assert kim.get("/api/memos").json == []
    kept = post_with_image(kim, whole, f"photo.{kind.lower()}")
    assert kept.status_code == 201
    assert kim.get(kept.json["linked_image"]).data == whole


def _claiming(width: int, height: int) -> bytes:
    """A one-pixel PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb's
    header, without building its gigabytes)."""
    whole = tiny_png()
    header = b"IHDR" + struct.pack(">II", width, height) + whole[24:29]
    return whole[:12] + header + struct.pack(">I", zlib.crc32(header)) + whole[33:]


def test_an_image_with_more_pixels_than_the_limit_is_422_before_it_is_decoded(
    kim: APIUser, app
) -> None:
    app.config["MAX_IMAGE_PIXELS"] = 100 * 100
    assert post_with_image(kim, tiny_png(100, 100)).status_code == 201
    refused = post_with_image(kim, tiny_png(101, 100))
    assert refused.status_code == 422
    assert refused.json["errors"] == {"linked_image": "has too many pixels"}
    assert "101 x 100 pixels, more than 10000" in refused.json["message"]
    # A hundred bytes that announce a 30000 x 30000 picture: 2.7 GB of pixels to decode.
    app.config["MAX_IMAGE_PIXELS"] = 25_000_000
    for width, height in ((30_000, 30_000), (5001, 5000)):
        bomb = _claiming(width, height)
        assert len(bomb) < 100
        refused = post_with_image(kim, bomb)
        assert refused.status_code == 422, (width, height)
        assert refused.json["errors"] == {"linked_image": "has too many pixels"}
    assert kim.get("/api/memos").headers["X-Total-Count"] == "1"
