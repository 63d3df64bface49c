"""Sending files: ``send_file``, ``send_from_directory`` and the ``static`` endpoint.

Flask counterpart: ``flask.helpers.send_file`` / ``send_from_directory`` and
``App.send_static_file``, on top of ``werkzeug.utils.send_file``,
``werkzeug.security.safe_join`` and ``Response.make_conditional``.

The idea to take away: serving a file is mostly *not* sending it. The
response describes the file (type, length, modification time, a version tag)
so that the client can avoid the download: it asks "only if it changed"
(``If-None-Match``/``If-Modified-Since``, answered by an empty ``304``), or
"only bytes 1000 to 1999" (``Range``, answered by ``206``). When the bytes do
have to go out, the server's own ``wsgi.file_wrapper`` (uWSGI's ``sendfile``)
can copy them from the disk to the socket without passing them through
Python.

And one rule that protects everything else on the disk: a file name that
comes from a URL is never trusted. ``safe_join`` refuses every spelling of
"leave this folder" (``..``, absolute paths, backslashes, drive letters, NUL
bytes, symlinks that point outside) and the request gets a 404; a file outside
the folder is never opened.

Where we differ from Werkzeug, on purpose:

- A compressed file (``backup.tar.gz``) is sent as ``application/gzip``, not
  as ``application/x-tar`` with ``Content-Encoding: gzip``: with that header
  browsers unpack the download and save a ``.tar`` under a ``.tar.gz`` name.
- ``safe_join`` also refuses backslashes, drive letters and Windows device
  names (``CON``, ``NUL.txt``, ...) on every platform, and resolves symlinks
  to check that the real file is inside the folder; Werkzeug leaves symlinks
  to the application. A site then behaves the same on Linux and Windows.
- ``send_from_directory`` opens the file without following a FIFO into a
  hang, and answers 404 for anything that is not a regular file.
- Only ``max-age`` is sent for caching, no ``Expires`` (every HTTP/1.1 cache
  prefers ``max-age``, and the response stays the same from one second to the
  next).
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from urllib.parse import quote

from .ctx import has_app_context
from .exceptions import NotFound, PreconditionFailed
from .globals import current_app, request
from .http import evaluate_preconditions, http_date, parse_http_date, requested_range
from .response import Response
from .wire import CHUNK_SIZE, TOKEN_RE

#: How many bytes are read from the file per body chunk (``wire.CHUNK_SIZE``).
BLOCK_SIZE = CHUNK_SIZE

# Types that must not depend on the machine's MIME database: on Windows the
# registry has been known to map ".js" to "text/plain", which browsers refuse
# to run when "X-Content-Type-Options: nosniff" is set.
_WEB_TYPES = {
    ".css": "text/css",
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
# The type of the compressed file itself, for names such as "data.csv.gz".
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}
# Windows opens a device instead of a file for these names, whatever the extension.
_WINDOWS_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³"]
)
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
# Characters RFC 8187 lets through unencoded in "filename*=UTF-8''...".
_ATTR_CHARS = "!#$&+-.^_`|~"


# -- safe paths -----------------------------------------------------------------


def safe_join(directory: str | os.PathLike[str], untrusted_path: str) -> str | None:
    """The real path of ``untrusted_path`` inside ``directory``, or ``None`` if it may leave it.

    ``untrusted_path`` is a URL path (``"css/site.css"``), ``/``-separated.
    Refused: empty names, NUL bytes, backslashes, absolute paths, drive letters
    (``C:``), ``..`` segments and Windows device names. Symlinks are resolved,
    and the result must still lie inside the (resolved) folder, so a link that
    points outside is refused too. Whether the file exists is not checked.
    """
    if not untrusted_path or "\x00" in untrusted_path or "\\" in untrusted_path:
        return None
    if untrusted_path.startswith("/") or _DRIVE_RE.match(untrusted_path):
        return None
    segments = untrusted_path.split("/")
    if any(segment == ".." or _is_windows_device(segment) for segment in segments):
        return None
    root = os.path.realpath(directory)
    target = os.path.realpath(os.path.join(root, *segments))
    if target != root and not target.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return target


def _is_windows_device(segment: str) -> bool:
    """``"nul"``, ``"CON.txt"``, ``"com1 .log"``: the part before the first dot names a device."""
    stem = segment.split(".", 1)[0].rstrip(" ").upper()
    return stem in _WINDOWS_DEVICE_NAMES


# -- public API ------------------------------------------------------------------


def send_file(
    path_or_file: str | os.PathLike[str] | IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: int | timedelta | None = None,
    *,
    environ: dict[str, Any] | None = None,
) -> Response:
    """A response that sends a file, from a path or from a binary file object.

    Never pass a path built from user input: use ``send_from_directory``.

    - ``path_or_file``: a path (relative to the app's ``root_path``) or a file
      object opened in binary mode (``open(..., "rb")``, ``io.BytesIO``). The
      response closes it when it has been sent.
    - ``mimetype``: guessed from ``download_name`` or the path when not given;
      ``application/octet-stream`` when nothing is known.
    - ``as_attachment``: ``Content-Disposition: attachment``, so the browser
      saves the file instead of showing it, under ``download_name`` (default:
      the file's name). Non-ASCII names are sent as RFC 6266 ``filename*``.
    - ``conditional``: evaluate the preconditions in RFC 9110's order
      (``If-Match`` and ``If-Unmodified-Since`` fail with ``412``,
      ``If-None-Match`` and ``If-Modified-Since`` answer ``304``), then
      ``Range`` with ``206``/``416`` (see ``http.evaluate_preconditions``
      and ``http.requested_range``, which ``Response.make_conditional``
      shares).
    - ``etag``: ``True`` derives one from the file's modification time and
      size (paths only), a string is used as given, ``False`` sends none.
    - ``last_modified``: overrides the file's modification time.
    - ``max_age``: seconds (or a ``timedelta``) the client may cache the file
      without asking again; default ``SEND_FILE_MAX_AGE_DEFAULT``. Without
      one, ``Cache-Control: no-cache`` makes the client ask each time, and
      the ``ETag`` turns the answer into a cheap ``304``.
    - ``environ``: the request's environ; by default the current request's.
    """
    if isinstance(path_or_file, str | os.PathLike):
        absolute_path = _absolute(path_or_file)
        path: str | None = absolute_path
        file: IO[bytes] = open(absolute_path, "rb")  # noqa: SIM115 - the response closes it
    else:
        path, file = None, path_or_file
        if isinstance(file, io.TextIOBase):
            raise TypeError(
                "send_file() needs a binary file, but got a text file. Open it with "
                "open(path, 'rb'), or wrap text in io.BytesIO(text.encode())."
            )
    return _send_open_file(
        file,
        path,
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=download_name,
        conditional=conditional,
        etag=etag,
        last_modified=last_modified,
        max_age=max_age,
        environ=environ,
    )


def send_from_directory(
    directory: str | os.PathLike[str], path: str | os.PathLike[str], **kwargs: Any
) -> Response:
    """Send the file ``path`` (from the URL) from inside ``directory``; 404 if it is not there.

    ``directory`` is trusted (relative to the app's ``root_path``); ``path``
    is not: anything that would leave ``directory``, and anything that is not
    a regular file (a folder, a FIFO, a device), answers 404. Other keyword
    arguments are those of ``send_file``.

        @app.route("/uploads/<path:name>")
        def download(name):
            return send_from_directory("uploads", name, as_attachment=True)
    """
    target = safe_join(_absolute(directory), os.fspath(path))
    if target is None:
        raise NotFound()
    file = _open_regular_file(target)
    if file is None:
        raise NotFound()
    return _send_open_file(file, target, **kwargs)


def serve_static(scaffold: Any, filename: str | os.PathLike[str]) -> Response:
    """The view of a ``static`` endpoint: ``filename`` from an app's or blueprint's
    ``static_folder`` (relative to its ``root_path``)."""
    if scaffold.static_folder is None:
        raise NotFound()
    folder = os.path.join(scaffold.root_path, scaffold.static_folder)
    max_age = scaffold.get_send_file_max_age(filename)
    return send_from_directory(folder, filename, max_age=max_age)


# -- building the response -------------------------------------------------------


class FileResponse(Response):
    """A ``Response`` whose body may be the server's ``wsgi.file_wrapper``.

    PEP 3333 lets a server send a file efficiently (``sendfile``) only when
    the application returns *exactly* the object the wrapper gave it. A plain
    ``Response`` returns its own iterator, so the server would not recognise
    it; this one hands the wrapper over untouched. If the body was replaced
    (by an ``after_request`` hook, say) or ``call_on_close`` functions must
    run, it behaves like any response.
    """

    server_file: Any = None
    #: Hand the server's file wrapper over as it is (Werkzeug's name). Set it to False
    #: to make this a plain response, e.g. to read ``data`` in a test.
    direct_passthrough = True

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        server_file = self.server_file
        if (
            self.direct_passthrough
            and server_file is not None
            and self.response is server_file
            and not self._on_close
            and environ.get("REQUEST_METHOD") != "HEAD"
        ):
            start_response(self.status, self.headers.to_wsgi_list())
            return server_file  # type: ignore[return-value]
        return super().__call__(environ, start_response)


def _send_open_file(
    file: IO[bytes],
    path: str | None,
    *,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: int | timedelta | None = None,
    environ: dict[str, Any] | None = None,
) -> Response:
    """Describe the file in headers, then answer 304, 206, 416 or 200. Owns ``file``."""
    try:
        if environ is None:
            environ = request.environ
        size, modified, default_etag = _describe(file, path)
        name = download_name or (os.path.basename(path) if path else None)
        headers = _file_headers(
            mimetype or _guess_mimetype(name),
            size,
            _timestamp(last_modified) if last_modified is not None else modified,
            (etag if isinstance(etag, str) else default_etag) if etag else None,
            _cache_control(max_age, path),
        )
        if as_attachment and not name:
            raise TypeError(
                "send_file(as_attachment=True) needs download_name= for a file object: "
                "there is no file name to tell the browser."
            )
        if name:
            # Shown inline or saved, the file keeps its name: a browser's "Save as" offers
            # report.pdf for /download/42, as with Werkzeug, which sends this for every file.
            kind = "attachment" if as_attachment else "inline"
            headers["Content-Disposition"] = _content_disposition(kind, name)

        if not conditional:
            return _full_response(file, size, headers, environ)
        precondition = evaluate_preconditions(
            environ, headers.get("ETag"), parse_http_date(headers.get("Last-Modified"))
        )
        if precondition == 412:
            raise PreconditionFailed(
                "The file does not match the request's If-Match or If-Unmodified-Since."
            )
        if precondition == 304:
            file.close()
            headers.pop("Content-Length", None)
            return _make(None, 304, headers)
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if size is None or method not in ("GET", "HEAD"):
            return _full_response(file, size, headers, environ)
        headers["Accept-Ranges"] = "bytes"
        byte_range = requested_range(
            environ, size, headers.get("ETag"), headers.get("Last-Modified")
        )
        if byte_range is None:
            return _full_response(file, size, headers, environ)
        start, end = byte_range
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        headers["Content-Length"] = str(end - start)
        return _make(_FileChunks(file, _position(file) + start, end - start), 206, headers)
    except BaseException:
        file.close()
        raise


def _make(body: Iterable[bytes] | None, status: int, headers: dict[str, str]) -> FileResponse:
    """The response; ``Response`` adds ``charset=utf-8`` to text types, as for any page."""
    content_type = headers.pop("Content-Type")
    if ";" in content_type:  # the caller gave parameters: keep them as they are
        response = FileResponse(body, status, content_type=content_type)
    else:
        response = FileResponse(body, status, mimetype=content_type)
    for name, value in headers.items():
        response.headers[name] = value
    return response


def _full_response(
    file: IO[bytes], size: int | None, headers: dict[str, str], environ: dict[str, Any]
) -> FileResponse:
    """200 with the whole file, through the server's file wrapper when it offers one."""
    file_wrapper = environ.get("wsgi.file_wrapper")
    if file_wrapper is not None:
        server_file = file_wrapper(file, BLOCK_SIZE)
        response = _make(server_file, 200, headers)
        response.server_file = server_file
        return response
    return _make(_FileChunks(file, None, size), 200, headers)


def _describe(file: IO[bytes], path: str | None) -> tuple[int | None, float | None, str | None]:
    """Size (from the current position), modification time and default ETag of the file.

    The modification time and ETag come from ``fstat`` and only for a named
    file: a file object's content may not match any file on disk.
    """
    file_stat = None
    with contextlib.suppress(AttributeError, OSError, io.UnsupportedOperation):
        file_stat = os.fstat(file.fileno())  # BytesIO and sockets have no usable descriptor
    if file_stat is not None and stat.S_ISREG(file_stat.st_mode):
        size: int | None = max(file_stat.st_size - _position(file), 0)
    else:
        size = _seekable_size(file)
    if path is None or file_stat is None:
        return size, None, None
    etag = f'"{file_stat.st_mtime_ns:x}-{file_stat.st_size:x}"'
    return size, file_stat.st_mtime, etag


def _position(file: IO[bytes]) -> int:
    try:
        return file.tell()
    except (AttributeError, OSError):
        return 0


def _seekable_size(file: IO[bytes]) -> int | None:
    """How many bytes are left in a seekable file object, or ``None`` when unknown."""
    try:
        if not file.seekable():
            return None
        here = file.tell()
        end = file.seek(0, io.SEEK_END)
        file.seek(here)
    except (AttributeError, OSError):
        return None
    return end - here


def _file_headers(
    mimetype: str,
    size: int | None,
    modified: float | None,
    etag: str | None,
    cache_control: str,
) -> dict[str, str]:
    headers = {"Content-Type": mimetype, "Cache-Control": cache_control}
    if size is not None:
        headers["Content-Length"] = str(size)
    if modified is not None:
        headers["Last-Modified"] = http_date(int(modified))
    if etag is not None:
        headers["ETag"] = etag if etag.startswith(('"', 'W/"')) else f'"{etag}"'
    return headers


def _guess_mimetype(name: str | None) -> str:
    if not name:
        raise TypeError(
            "send_file() cannot tell the type of a file object without a name. Pass "
            "mimetype='...' or download_name='report.pdf'."
        )
    extension = os.path.splitext(name)[1].lower()
    if extension in _WEB_TYPES:
        return _WEB_TYPES[extension]
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    if encoding is not None:
        return _COMPRESSED_TYPES.get(encoding, "application/octet-stream")
    return guessed or "application/octet-stream"


def _timestamp(moment: datetime | int | float) -> float:
    if not isinstance(moment, datetime):
        return float(moment)
    if moment.tzinfo is None:  # naive means UTC, as in http_date
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _cache_control(max_age: int | timedelta | None, path: str | None) -> str:
    if max_age is None and has_app_context():
        # The app's method, so that a subclass can choose per file (SEND_FILE_MAX_AGE_DEFAULT
        # by default).
        max_age = current_app.get_send_file_max_age(path)
    if isinstance(max_age, timedelta):
        max_age = int(max_age.total_seconds())
    if max_age is not None and max_age > 0:
        return f"public, max-age={int(max_age)}"
    return "no-cache"


def _content_disposition(kind: str, filename: str) -> str:
    """``attachment; filename=x.pdf``, plus ``filename*`` (RFC 6266) for non-ASCII names.

    The name is quoted only when it is not an HTTP token (``filename="a b.pdf"``),
    which is how Werkzeug writes it, so a Flask app's test of the exact header
    passes. Old browsers read only ``filename``, so it gets an ASCII look-alike
    (``"Résumé.pdf"`` -> ``"Resume.pdf"``); newer ones prefer ``filename*``.
    Control characters are dropped so the name cannot break the header.
    """
    printable = "".join(char for char in filename if char.isprintable())
    simple = unicodedata.normalize("NFKD", printable).encode("ascii", "ignore").decode("ascii")
    if TOKEN_RE.fullmatch(simple):
        value = f"{kind}; filename={simple}"
    else:
        quoted = simple.replace("\\", "\\\\").replace('"', '\\"')
        value = f'{kind}; filename="{quoted}"'
    if simple != printable:
        value += f"; filename*=UTF-8''{quote(printable, safe=_ATTR_CHARS)}"
    return value


# -- reading -------------------------------------------------------------------------


class _FileChunks:
    """The body: ``length`` bytes of ``file`` from ``start`` (or all from where it is),
    block by block. ``close()`` closes the file; the server calls it when done."""

    def __init__(self, file: IO[bytes], start: int | None, length: int | None) -> None:
        self._file = file
        self._start = start
        self._length = length

    def __iter__(self) -> Iterator[bytes]:
        file = self._file
        if self._start is not None:
            file.seek(self._start)
        remaining = self._length
        while remaining is None or remaining > 0:
            chunk = file.read(BLOCK_SIZE if remaining is None else min(BLOCK_SIZE, remaining))
            if not chunk:
                return  # the file became shorter while we were sending it
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self._file.close()


def _absolute(path: str | os.PathLike[str]) -> str:
    """A relative path starts at the app's ``root_path`` (as in Flask), else the working dir."""
    path = os.fspath(path)
    if not os.path.isabs(path) and has_app_context():
        path = os.path.join(current_app.root_path, path)
    return os.path.abspath(path)


def _open_regular_file(path: str) -> IO[bytes] | None:
    """Open ``path`` for reading if it is a regular file; ``None`` otherwise.

    ``O_NONBLOCK`` keeps a FIFO from blocking the open until a writer appears;
    the descriptor is made blocking again once ``fstat`` says it is a file.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except OSError:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")
