"""Form bodies: urlencoded fields, and multipart uploads parsed as a stream.

Werkzeug counterpart: ``werkzeug.formparser`` (``FormDataParser``,
``MultiPartParser``) and ``werkzeug.datastructures.FileStorage``, which Flask
uses for ``request.form`` and ``request.files``.

The idea to take away: a form upload is a *stream*, and must be handled as
one. A ``multipart/form-data`` body is a sequence of parts separated by a
boundary line; each part has a few headers and then data. We read the body in
64 KiB chunks and feed them to a decoder that reports events ("a field named
``x`` starts", "here is some data", "the part ended"). Field text collects in
memory, within ``max_form_memory_size``; file data goes straight into a
``SpooledTemporaryFile``, which keeps small files in memory and moves large
ones to disk, so a 100 MB upload never sits in memory whole.

The decoding of the multipart grammar itself is Werkzeug's sans-IO
``MultipartDecoder`` (it does no I/O: we hand it bytes, it hands back events).
It is imported only when a multipart body arrives.

Decisions that differ from Werkzeug, on purpose:

- Broken input is a 400, not an empty form: Werkzeug silently returns no
  fields for a malformed body, and the view then fails in a confusing way.
  Malformed percent-escapes and bytes that are not UTF-8 (in urlencoded names
  and values, and in multipart field values) are a 400 as well, instead of
  being replaced by U+FFFD.
- ``max_form_memory_size`` bounds the *sum* of all field values (and any part
  header block), not each field alone: it is the sum that sits in memory.
- ``max_form_parts`` counts every part, fields and files alike; more is a 413.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from .datastructures import Headers, ImmutableMultiDict
from .exceptions import BadRequest, RequestEntityTooLarge
from .http import parse_options_header
from .wire import CHUNK_SIZE as _CHUNK_SIZE
from .wire import check_percent_escapes

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
FORM_MIMETYPES = frozenset({URLENCODED, MULTIPART})

#: How much of the body is read and decoded at a time (``wire.CHUNK_SIZE``).
CHUNK_SIZE = _CHUNK_SIZE
#: Uploaded files up to this size stay in memory; larger ones move to a temporary file.
SPOOL_MAX_SIZE = 500 * 1024

#: The longest multipart boundary accepted. RFC 2046 asks senders for at most 70
#: characters, but Werkzeug's encoder (Flask's and Werkzeug's test clients) makes
#: boundaries of 63 to 73, and Werkzeug's parser takes any length; this bound only
#: keeps a hostile header from making the scan for each boundary line costly.
BOUNDARY_MAX_LENGTH = 200
# RFC 2046's characters, not ending in a space.
_BOUNDARY_RE = re.compile(
    rf"[0-9A-Za-z'()+_,\-./:=? ]{{0,{BOUNDARY_MAX_LENGTH - 1}}}[0-9A-Za-z'()+_,\-./:=?]"
)


# -- urlencoded ---------------------------------------------------------------


def decode_urlencoded(data: bytes, where: str) -> list[tuple[str, str]]:
    """Decode ``a=1&b=x+y&b=%C3%A9&c`` into ``[("a", "1"), ("b", "x y"), ("b", "é"),
    ("c", "")]``.

    Used for query strings and urlencoded bodies (``where`` names which, for
    the error message). ``+`` means space; a piece without ``=`` has the value
    ``""``; empty pieces (``a=1&&b=2``) are skipped. A ``%`` not followed by
    two hex digits, or bytes that are not UTF-8 after decoding, raise
    ``BadRequest``: we do not guess what the client meant.
    """
    if data.isascii() and b"%" not in data:
        # No escapes (the usual short form or query): split the text once. A "+"
        # cannot become "&" or "=", so it may be replaced before splitting.
        return _split_plain(data.decode("ascii").replace("+", " "))
    pairs = []
    for piece in data.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((_unquote_plus(name, where), _unquote_plus(value, where)))
    return pairs


def _split_plain(text: str) -> list[tuple[str, str]]:
    pairs = []
    for piece in text.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((name, value))
    return pairs


def _unquote_plus(raw: bytes, where: str) -> str:
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")  # before unquoting, so "%2B" stays a "+"
    if b"%" in raw:
        check_percent_escapes(raw, where)
        raw = unquote_to_bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            f"The {where} is not valid UTF-8 after percent-decoding: {raw[:80]!r}. "
            "Text must be sent as UTF-8 bytes, percent-encoded (e.g. 'é' is %C3%A9)."
        ) from None


def _read_at_most(stream: IO[bytes], limit: int | None) -> bytes:
    """Read the stream to its end, or ``limit + 1`` bytes if that comes first."""
    if limit is None:
        return stream.read()
    chunks = []
    wanted = limit + 1
    while wanted > 0 and (chunk := stream.read(min(wanted, CHUNK_SIZE))):
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _too_large(what: str, limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(
        f"The {what} is larger than the {limit} bytes this application keeps in memory "
        "(MAX_FORM_MEMORY_SIZE). Send large data as a file upload instead."
    )


def _parse_urlencoded(
    stream: IO[bytes], content_length: int | None, max_form_memory_size: int | None
) -> ImmutableMultiDict:
    limit = max_form_memory_size
    if limit is not None and content_length is not None and content_length > limit:
        raise _too_large("form data", limit)  # refuse before reading a byte
    return parse_urlencoded_form(_read_at_most(stream, limit), limit)


def parse_urlencoded_form(data: bytes, limit: int | None) -> ImmutableMultiDict:
    """A urlencoded body already in memory as a form; more than ``limit`` bytes is a 413."""
    if limit is not None and len(data) > limit:
        raise _too_large("form data", limit)
    return ImmutableMultiDict(decode_urlencoded(data, "form data"))


# -- uploaded files -----------------------------------------------------------


class UploadedFile:
    """One uploaded file from a multipart form (``request.files["photo"]``).

    ``filename`` is the name the client sent, unchanged. It is *untrusted*:
    it may be empty, contain ``../`` or a full path, or be any text at all.
    Never use it as a path on the server without cleaning it first (or make
    up your own name).

    An ``UploadedFile`` is false when no file was chosen: browsers send an
    empty part with ``filename=""`` for an empty file input.
    """

    def __init__(self, stream: IO[bytes], filename: str, name: str, headers: Headers) -> None:
        self.stream = stream
        self.filename = filename
        self.name = name
        self.headers = headers

    @property
    def content_type(self) -> str | None:
        """The part's ``Content-Type`` as the client sent it (the client's guess)."""
        return self.headers.get("Content-Type")

    @property
    def mimetype(self) -> str:
        """``content_type`` without parameters, lower case; ``""`` if none was sent."""
        return parse_options_header(self.content_type)[0].lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The parameters of the part's ``Content-Type`` (``{"charset": "utf-8"}``)."""
        return parse_options_header(self.content_type)[1]

    @property
    def content_length(self) -> int:
        """The part's own ``Content-Length``, which clients rarely send; ``0`` without it.
        (The size of the file is ``len(f.read())``, or ``f.seek(0, 2)``.)"""
        value = (self.headers.get("Content-Length") or "").strip()
        return int(value) if value.isascii() and value.isdigit() else 0

    def __getattr__(self, name: str) -> Any:
        # Any other file method (readline, readinto, seekable, ...) is the stream's, as
        # with Werkzeug's FileStorage: csv, PIL and zipfile read an upload as a file.
        if name == "stream":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.stream, name)

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()

    def save(
        self, destination: str | os.PathLike[str] | IO[bytes], buffer_size: int = _CHUNK_SIZE
    ) -> None:
        """Copy the file to a path or into an open binary file, from the current position."""
        import shutil  # imported on first use, to keep `import microwsgi` fast

        if isinstance(destination, str | os.PathLike):
            with open(destination, "wb") as target:
                shutil.copyfileobj(self.stream, target, buffer_size)
        else:
            shutil.copyfileobj(self.stream, destination, buffer_size)

    def close(self) -> None:
        """Release the temporary storage (done for you at the end of the request)."""
        self.stream.close()

    def __bool__(self) -> bool:
        return bool(self.filename)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.stream)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {self.filename!r} ({self.content_type!r})>"


# -- multipart ----------------------------------------------------------------


def _received_headers(pairs: Iterable[tuple[str, str]]) -> Headers:
    """The part's headers, as received.

    ``Headers`` checks headers we *send*; a received one is data (a filename
    may hold any Unicode text), so its pairs are stored without those checks.
    """
    headers = Headers()
    headers._list = [(str(name), str(value)) for name, value in pairs]
    return headers


def _check_boundary(boundary: str | None) -> str:
    if not boundary:
        raise BadRequest(
            "The multipart/form-data body has no boundary: the Content-Type must say where "
            "parts end, e.g. 'multipart/form-data; boundary=----abc'. Let the HTTP client "
            "build this header from the form data instead of setting it by hand."
        )
    if not _BOUNDARY_RE.fullmatch(boundary):
        raise BadRequest(
            f"The multipart boundary {boundary[:80]!r} is invalid: it must be 1 to "
            f"{BOUNDARY_MAX_LENGTH} "
            "letters, digits or '()+_,-./:=? characters."
        )
    return boundary


def _multipart_events(
    stream: IO[bytes], boundary: str, max_buffer_size: int | None
) -> Iterator[tuple[Any, ...]]:
    """Read the body in chunks and yield what the decoder finds in it, as plain tuples.

    ``("part", name, filename or None, headers)`` when a part starts, then
    ``("data", bytes, is_last)`` for its content, possibly several times.
    Anything the decoder cannot make sense of, including a body that ends
    before the closing boundary, is a 400.
    """
    from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

    # The decoder's own limits would raise Werkzeug's exceptions; we check ours outside.
    decoder = MultipartDecoder(boundary.encode("latin-1"))
    delimiter = b"--" + boundary.encode("latin-1")
    pending = b""
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if chunk:
            pending += chunk
            ready = _complete_length(pending, delimiter)
            decoder.receive_data(pending[:ready])
            pending = pending[ready:]
        else:
            decoder.receive_data(pending)
            decoder.receive_data(None)  # tells the decoder the body ended
        while True:
            try:
                event = decoder.next_event()
            except ValueError as error:
                raise BadRequest(
                    f"The multipart body is malformed or incomplete ({error}). The client "
                    "may have disconnected during the upload, or built the body wrongly."
                ) from None
            if isinstance(event, NeedData):
                break
            if isinstance(event, Epilogue):
                return
            if isinstance(event, Field | File):
                filename = event.filename if isinstance(event, File) else None
                yield ("part", event.name, filename, _received_headers(event.headers.items()))
            elif isinstance(event, Data):
                yield ("data", event.data, not event.more_data)
        # A part's headers (and any text before the first boundary) wait in the
        # decoder's buffer until they are complete; they must not grow unbounded.
        if max_buffer_size is not None and len(decoder.buffer) > max_buffer_size:
            raise _too_large("header block of a multipart part", max_buffer_size)
        if not chunk:  # the decoder raises before this; kept so the loop surely ends
            raise BadRequest("The multipart body ended before its closing boundary.")


class _FormCollector:
    """Turns multipart events into form fields (in memory) and files (spooled to disk)."""

    def __init__(self, max_form_memory_size: int | None, max_form_parts: int | None) -> None:
        self.max_form_memory_size = max_form_memory_size
        self.max_form_parts = max_form_parts
        self.fields: list[tuple[str, str]] = []
        self.files: list[tuple[str, UploadedFile]] = []
        self._parts = 0
        self._field_bytes = 0
        self._name = ""
        self._filename: str | None = None
        self._headers = Headers()
        self._field_chunks: list[bytes] = []
        self._spool: Any = None  # the SpooledTemporaryFile of the file being read

    def start_part(self, name: str | None, filename: str | None, headers: Headers) -> None:
        self._parts += 1
        if self.max_form_parts is not None and self._parts > self.max_form_parts:
            raise RequestEntityTooLarge(
                f"The form has more than {self.max_form_parts} parts (MAX_FORM_PARTS). "
                "Send fewer fields and files per request."
            )
        if name is None:
            raise BadRequest("A multipart part has no name in its Content-Disposition header.")
        self._name, self._filename, self._headers = name, filename, headers
        if filename is None:
            self._field_chunks = []
        else:
            # Small files stay in memory, larger ones move to a temporary file.
            import tempfile  # imported on first use, to keep `import microwsgi` fast

            self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115

    def add_data(self, data: bytes, is_last: bool) -> None:
        if self._filename is not None:
            self._spool.write(data)
            if is_last:
                self._spool.seek(0)
                upload = UploadedFile(self._spool, self._filename, self._name, self._headers)
                self.files.append((self._name, upload))
                self._spool = None
            return
        self._field_bytes += len(data)
        if self.max_form_memory_size is not None and self._field_bytes > self.max_form_memory_size:
            raise _too_large("form's field data", self.max_form_memory_size)
        self._field_chunks.append(data)
        if is_last:
            self.fields.append(
                (self._name, _decode_field(self._name, b"".join(self._field_chunks)))
            )

    def close(self) -> None:
        """Release every file started so far (after an error)."""
        if self._spool is not None:
            self._spool.close()
        for _, upload in self.files:
            upload.close()


def _parse_multipart(
    stream: IO[bytes],
    boundary: str | None,
    max_form_memory_size: int | None,
    max_form_parts: int | None,
) -> tuple[ImmutableMultiDict, ImmutableMultiDict]:
    events = _multipart_events(stream, _check_boundary(boundary), max_form_memory_size)
    collector = _FormCollector(max_form_memory_size, max_form_parts)
    try:
        for kind, *details in events:
            if kind == "part":
                collector.start_part(*details)
            else:
                collector.add_data(*details)
    except BaseException:
        collector.close()
        raise
    return ImmutableMultiDict(collector.fields), ImmutableMultiDict(collector.files)


def _complete_length(data: bytes, delimiter: bytes) -> int:
    """How much of ``data`` can go to the decoder without splitting a boundary line.

    Werkzeug's decoder (3.1.x) emits a stray CR as file data when its input ends
    after a complete ``--boundary`` but before the end of that line, and chunks
    can split anywhere. So we keep back a tail too short to hold a whole
    delimiter (no delimiter is ever split), and hold the last delimiter until
    its line ending has arrived. A "delimiter" followed by a long run without a
    newline is not a real boundary line and goes through for the decoder to judge.
    """
    ready = max(len(data) - len(delimiter) + 1, 0)
    start = data.rfind(delimiter)
    if start == -1:
        return ready
    line_end = data.find(b"\n", start)
    if line_end != -1:
        return max(ready, line_end + 1)
    return start if len(data) - start <= 256 else ready


def _decode_field(name: str, value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            f"The form field {name!r} is not valid UTF-8 text. Serve the form's page as "
            'UTF-8 (<meta charset="utf-8">) so the browser sends UTF-8.'
        ) from None


# -- entry point --------------------------------------------------------------


def parse_form_data(
    stream: IO[bytes],
    mimetype: str,
    options: dict[str, str],
    content_length: int | None,
    *,
    max_form_memory_size: int | None = 500_000,
    max_form_parts: int | None = 1000,
) -> tuple[ImmutableMultiDict, ImmutableMultiDict]:
    """Parse a form body into ``(form, files)``.

    ``mimetype`` and ``options`` are the parsed ``Content-Type`` (the multipart
    boundary is one of the options). Only urlencoded and multipart bodies are
    forms; for anything else both results are empty and the stream is not read.
    ``stream`` must end where the body ends (``request.stream`` does).
    """
    if mimetype == URLENCODED:
        form = _parse_urlencoded(stream, content_length, max_form_memory_size)
        return form, ImmutableMultiDict()
    if mimetype == MULTIPART:
        return _parse_multipart(
            stream, options.get("boundary"), max_form_memory_size, max_form_parts
        )
    return ImmutableMultiDict(), ImmutableMultiDict()
