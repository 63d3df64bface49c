"""Form bodies: urlencoded parsing, streaming multipart parsing, UploadedFile."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import time
import tracemalloc
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from microwsgi.exceptions import BadRequest, RequestEntityTooLarge
from microwsgi.formparser import UploadedFile, decode_urlencoded, parse_form_data
from microwsgi.request import Request

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class UntouchableStream:
    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


class TrickleStream:
    """Hands out at most ``step`` bytes per read, as a slow network does."""

    def __init__(self, data: bytes, step: int) -> None:
        self._stream = io.BytesIO(data)
        self._step = step

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(self._step)


def urlencoded(data: bytes, limit: int | None = 500_000, length: int | None = -1) -> Any:
    content_length = len(data) if length == -1 else length
    return parse_form_data(
        io.BytesIO(data), URLENCODED, {}, content_length, max_form_memory_size=limit
    )


def part(name: str, content: bytes, filename: str | None = None, content_type: str = "") -> bytes:
    disposition = f'Content-Disposition: form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = disposition + "\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return b"--BOUNDARY\r\n" + head.encode() + b"\r\n" + content + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--BOUNDARY--\r\n"


def parse_multipart(
    body: bytes,
    boundary: str | None = "BOUNDARY",
    stream: Any = None,
    **limits: Any,
) -> Any:
    options = {} if boundary is None else {"boundary": boundary}
    return parse_form_data(
        io.BytesIO(body) if stream is None else stream, MULTIPART, options, len(body), **limits
    )


# -- decode_urlencoded --------------------------------------------------------------


def test_decode_urlencoded_keeps_order_blanks_and_repeats():
    assert decode_urlencoded(b"a=1&b=&a=2&c", "form data") == [
        ("a", "1"),
        ("b", ""),
        ("a", "2"),
        ("c", ""),
    ]


def test_decode_urlencoded_splits_only_on_the_first_equals_sign():
    assert decode_urlencoded(b"expr=1%2B1=2", "form data") == [("expr", "1+1=2")]


def test_decode_urlencoded_error_names_the_source():
    with pytest.raises(BadRequest, match="The query string"):
        decode_urlencoded(b"a=%zz", "query string")


# -- urlencoded bodies -------------------------------------------------------------


def test_urlencoded_body_is_parsed_into_form():
    form, files = urlencoded(b"name=Ada+Lovelace&lang=en&lang=fr")
    assert form["name"] == "Ada Lovelace"
    assert form.getlist("lang") == ["en", "fr"]
    assert len(files) == 0


@pytest.mark.parametrize("body", [b"a=%zz", b"a=%", b"%C3=1", b"a=%FF%FE"])
def test_urlencoded_body_with_bad_encoding_is_a_400(body):
    with pytest.raises(BadRequest):
        urlencoded(body)


def test_urlencoded_body_over_the_limit_by_content_length_is_a_413_before_reading():
    with pytest.raises(RequestEntityTooLarge, match="MAX_FORM_MEMORY_SIZE"):
        parse_form_data(UntouchableStream(), URLENCODED, {}, 101, max_form_memory_size=100)


def test_urlencoded_body_over_the_limit_without_content_length_is_a_413():
    with pytest.raises(RequestEntityTooLarge):
        urlencoded(b"a=" + b"x" * 200, limit=100, length=None)


def test_urlencoded_body_at_the_limit_is_accepted():
    form, _ = urlencoded(b"a=" + b"x" * 98, limit=100)
    assert len(form["a"]) == 98


def test_urlencoded_body_without_limit():
    form, _ = urlencoded(b"a=" + b"x" * 1000, limit=None)
    assert len(form["a"]) == 1000


def test_other_content_types_give_empty_results_without_reading():
    form, files = parse_form_data(UntouchableStream(), "application/json", {}, 10)
    assert len(form) == 0
    assert len(files) == 0


# -- multipart -----------------------------------------------------------------------


def test_multipart_with_several_fields_and_files():
    body = multipart(
        part("title", b"Trip"),
        part("tags", b"sea"),
        part("photos", b"first image", "one.png", "image/png"),
        part("tags", "é".encode()),
        part("photos", b"second\r\nimage\r\n", "two.jpg", "image/jpeg"),
        part("notes", b"\x00\x01binary", "notes.bin", "application/octet-stream"),
    )
    form, files = parse_multipart(body)
    assert form.to_dict(flat=False) == {"title": ["Trip"], "tags": ["sea", "é"]}
    photos = files.getlist("photos")
    assert [photo.filename for photo in photos] == ["one.png", "two.jpg"]
    assert [photo.read() for photo in photos] == [b"first image", b"second\r\nimage\r\n"]
    assert [photo.mimetype for photo in photos] == ["image/png", "image/jpeg"]
    assert files["notes"].read() == b"\x00\x01binary"
    assert files["notes"].name == "notes"


def test_multipart_field_values_may_contain_line_breaks_and_dashes():
    form, _ = parse_multipart(multipart(part("text", b"a\r\n--BOUNDAR\r\n-b")))
    assert form["text"] == "a\r\n--BOUNDAR\r\n-b"


def test_multipart_empty_file_input_gives_a_false_upload():
    _, files = parse_multipart(multipart(part("photo", b"", "", "application/octet-stream")))
    upload = files["photo"]
    assert not upload
    assert upload.read() == b""


def test_multipart_keeps_the_client_filename_as_sent():
    _, files = parse_multipart(multipart(part("f", b"x", "../../etc/passwd")))
    assert files["f"].filename == "../../etc/passwd"


def test_multipart_keeps_non_ascii_filenames():
    body = multipart(part("f", b"x", "사진.jpg"))
    _, files = parse_multipart(body)
    assert files["f"].filename == "사진.jpg"
    assert files["f"].headers["Content-Disposition"].endswith('filename="사진.jpg"')


def test_multipart_file_without_content_type():
    _, files = parse_multipart(multipart(part("f", b"x", "a.txt")))
    assert files["f"].content_type is None
    assert files["f"].mimetype == ""


def test_multipart_with_only_the_closing_boundary_is_empty():
    form, files = parse_multipart(b"--BOUNDARY--\r\n")
    assert len(form) == 0
    assert len(files) == 0


def test_multipart_body_read_a_few_bytes_at_a_time():
    body = multipart(part("a", b"1"), part("f", b"content\r\nmore", "f.txt"))
    for step in (1, 2, 3, 5, 7, 11):
        form, files = parse_multipart(body, stream=TrickleStream(body, step))
        assert form["a"] == "1"
        assert files["f"].read() == b"content\r\nmore", f"step {step}"


def test_multipart_file_does_not_gain_a_cr_when_a_read_ends_inside_the_closing_boundary():
    # Werkzeug's decoder emits a stray b"\r" when its input ends after "--BOUNDARY" but
    # before the end of that line; the parser holds such a tail back.
    body = multipart(part("f", b"data", "f.txt"))
    boundary_start = body.rindex(b"--BOUNDARY--")
    for cut in range(boundary_start, len(body)):
        pieces = [body[:cut], body[cut : cut + 1], body[cut + 1 :]]

        class SplitStream:
            def __init__(self, pieces: list[bytes]) -> None:
                self._pieces = pieces

            def read(self, size: int = -1) -> bytes:
                return self._pieces.pop(0) if self._pieces else b""

        _, files = parse_multipart(body, stream=SplitStream(pieces))
        assert files["f"].read() == b"data", f"split at {cut}"


def test_multipart_without_boundary_is_a_400():
    with pytest.raises(BadRequest, match="no boundary"):
        parse_multipart(multipart(part("a", b"1")), boundary=None)


@pytest.mark.parametrize("boundary", ["x" * 201, "bad\r\nboundary", "trailing "])
def test_multipart_with_invalid_boundary_is_a_400(boundary):
    with pytest.raises(BadRequest, match="boundary"):
        parse_multipart(multipart(part("a", b"1")), boundary=boundary)


def test_werkzeugs_longest_boundaries_are_accepted():
    """Werkzeug's encoder makes boundaries longer than RFC 2046's 70 characters now and then
    (72 here, the format of ``werkzeug.test.encode_multipart``); Werkzeug accepts them."""
    boundary = "---------------WerkzeugFormPart_1764516012.81740830.00018234012641965558"
    assert len(boundary) == 72
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--{boundary}--\r\n'
    ).encode()
    form, _ = parse_multipart(body, boundary=boundary)
    assert form["a"] == "1"


def test_multipart_with_wrong_boundary_is_a_400():
    with pytest.raises(BadRequest, match="malformed or incomplete"):
        parse_multipart(multipart(part("a", b"1")), boundary="OTHER")


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda body: body[: body.index(b"filedata") + 4], id="inside-file-data"),
        pytest.param(lambda body: body[: body.rindex(b"--BOUNDARY--")], id="before-closing"),
        pytest.param(lambda body: body[: body.index(b"Content-Type")], id="inside-headers"),
        pytest.param(lambda body: body[:5], id="inside-first-boundary"),
        pytest.param(lambda body: b"", id="empty-body"),
    ],
)
def test_truncated_multipart_is_a_400(cut):
    body = multipart(part("a", b"1"), part("f", b"filedata", "f.bin", "application/x-data"))
    with pytest.raises(BadRequest) as caught:
        parse_multipart(cut(body))
    assert caught.value.code == 400


def test_truncated_multipart_closes_the_files_it_started(monkeypatch):
    opened: list[Any] = []

    class TrackedSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", TrackedSpool)
    body = multipart(part("f1", b"complete", "a"), part("f2", b"partial", "b"))
    with pytest.raises(BadRequest):
        parse_multipart(body[: body.index(b"partial") + 3])
    assert len(opened) == 2
    assert all(spool.closed for spool in opened)


def test_multipart_part_without_content_disposition_is_a_400():
    body = b"--BOUNDARY\r\nContent-Type: text/plain\r\n\r\nx\r\n--BOUNDARY--\r\n"
    with pytest.raises(BadRequest, match="Content-Disposition"):
        parse_multipart(body)


def test_multipart_part_without_name_is_a_400():
    body = b"--BOUNDARY\r\nContent-Disposition: form-data\r\n\r\nx\r\n--BOUNDARY--\r\n"
    with pytest.raises(BadRequest, match="no name"):
        parse_multipart(body)


def test_multipart_field_that_is_not_utf8_is_a_400():
    with pytest.raises(BadRequest, match="'comment' is not valid UTF-8"):
        parse_multipart(multipart(part("comment", b"caf\xe9")))


def test_multipart_fields_over_the_memory_limit_together_are_a_413():
    body = multipart(part("a", b"x" * 60), part("b", b"y" * 60))
    with pytest.raises(RequestEntityTooLarge, match="MAX_FORM_MEMORY_SIZE"):
        parse_multipart(body, max_form_memory_size=100)


def test_multipart_fields_within_the_memory_limit_are_accepted():
    form, _ = parse_multipart(multipart(part("a", b"x" * 90)), max_form_memory_size=100)
    assert len(form["a"]) == 90


def test_multipart_files_do_not_count_against_the_memory_limit():
    _, files = parse_multipart(
        multipart(part("f", b"z" * 10_000, "big.bin")), max_form_memory_size=100
    )
    assert len(files["f"].read()) == 10_000


def test_multipart_endless_header_block_is_a_413():
    body = b"--BOUNDARY\r\nX-Filler: " + b"h" * 5000
    with pytest.raises(RequestEntityTooLarge, match="header block"):
        parse_multipart(body, max_form_memory_size=1000)


def test_multipart_with_too_many_parts_is_a_413():
    body = multipart(*(part(f"f{i}", b"v") for i in range(11)))
    with pytest.raises(RequestEntityTooLarge, match="more than 10 parts"):
        parse_multipart(body, max_form_parts=10)


def test_multipart_at_the_parts_limit_is_accepted():
    form, _ = parse_multipart(
        multipart(*(part(f"f{i}", b"v") for i in range(10))), max_form_parts=10
    )
    assert len(form) == 10


def test_importing_and_parsing_urlencoded_does_not_import_werkzeug():
    code = (
        "import io, sys\n"
        "import microwsgi.request, microwsgi.formparser as fp\n"
        "fp.parse_form_data(io.BytesIO(b'a=1'), 'application/x-www-form-urlencoded', {}, 3)\n"
        "assert 'werkzeug' not in sys.modules, 'werkzeug was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()


# -- large uploads stream to disk -------------------------------------------------------


class GeneratedUpload:
    """A multipart body with one ``size``-byte file, produced as it is read (never whole)."""

    PATTERN = bytes(range(256)) * 256  # 64 KiB; byte i of the file is PATTERN[i % 64 KiB]

    def __init__(self, size: int) -> None:
        self.head = part("doc", b"", "big.bin")[: -len(b"\r\n")]  # headers, no content yet
        self.tail = b"\r\n" + multipart(part("after", b"field"))
        self.size = size
        self.length = len(self.head) + size + len(self.tail)
        self._sent_head = self._sent_tail = False
        self._left = size

    def read(self, size: int = -1) -> bytes:
        if not self._sent_head:
            self._sent_head = True
            return self.head
        if self._left:
            start = (self.size - self._left) % len(self.PATTERN)
            count = min(size, self._left, len(self.PATTERN))
            chunk = (self.PATTERN + self.PATTERN)[start : start + count]
            self._left -= len(chunk)
            return chunk
        if not self._sent_tail:
            self._sent_tail = True
            return self.tail
        return b""

    def expected_digest(self) -> str:
        digest = hashlib.sha256()
        left = self.size
        while left:
            piece = self.PATTERN[: min(left, len(self.PATTERN))]
            digest.update(piece)
            left -= len(piece)
        return digest.hexdigest()


def test_a_20_mb_upload_streams_to_disk_with_low_peak_memory(tmp_path):
    size = 20 * 1024 * 1024
    upload_body = GeneratedUpload(size)
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=BOUNDARY",
        CONTENT_LENGTH=str(upload_body.length),
    )
    environ["wsgi.input"] = upload_body
    request = Request(environ)
    request.max_content_length = 50 * 1024 * 1024
    parse_multipart(
        multipart(part("warm-up", b"x"))
    )  # the decoder's one-time import is not counted

    started = time.monotonic()
    tracemalloc.start()
    try:
        upload = request.files["doc"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 60

    # The spool keeps up to 500 KiB in memory before moving to disk; chunks are 64 KiB.
    assert peak < 2 * 1024 * 1024, f"peak memory {peak} bytes while parsing a {size}-byte upload"
    assert request.form["after"] == "field"
    assert upload.stream._rolled, "the upload should have moved to a temporary file on disk"
    target = tmp_path / "saved.bin"
    upload.save(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert target.stat().st_size == size
    assert digest == upload_body.expected_digest()
    request.close()


# -- UploadedFile ----------------------------------------------------------------------


def make_upload(content: bytes = b"hello world", filename: str = "hello.txt") -> UploadedFile:
    _, files = parse_multipart(
        multipart(part("doc", content, filename, "text/plain; charset=utf-8"))
    )
    return files["doc"]


def test_uploaded_file_attributes():
    upload = make_upload()
    assert upload.name == "doc"
    assert upload.filename == "hello.txt"
    assert upload.content_type == "text/plain; charset=utf-8"
    assert upload.mimetype == "text/plain"
    assert upload.mimetype_params == {"charset": "utf-8"}
    assert upload.headers["content-type"] == "text/plain; charset=utf-8"


def test_uploaded_file_read_in_pieces():
    upload = make_upload()
    assert upload.read(5) == b"hello"
    assert upload.read() == b" world"


def test_uploaded_file_seek_and_tell():
    upload = make_upload()
    upload.read(5)
    assert upload.tell() == 5
    upload.seek(0)
    assert upload.read() == b"hello world"


def test_uploaded_file_save_to_a_path(tmp_path):
    target = tmp_path / "out.txt"
    make_upload().save(target)
    assert target.read_bytes() == b"hello world"


def test_uploaded_file_save_to_a_str_path(tmp_path):
    target = tmp_path / "out.txt"
    make_upload().save(str(target))
    assert target.read_bytes() == b"hello world"


def test_uploaded_file_save_to_a_file_object():
    target = io.BytesIO()
    make_upload().save(target, buffer_size=3)
    assert target.getvalue() == b"hello world"


def test_uploaded_file_iterates_over_lines():
    assert list(make_upload(b"one\ntwo\n")) == [b"one\n", b"two\n"]


def test_uploaded_file_is_true_with_a_filename():
    assert make_upload()


def test_uploaded_file_close_closes_the_stream():
    upload = make_upload()
    upload.close()
    assert upload.stream.closed


def test_uploaded_file_repr():
    assert repr(make_upload()) == (
        "<UploadedFile 'doc': 'hello.txt' ('text/plain; charset=utf-8')>"
    )
