"""The debug error page: what went wrong, shown in the browser while ``DEBUG`` is on.

Flask/Werkzeug counterpart: ``werkzeug.debug.DebuggedApplication`` (the
traceback page), without its interactive console.

The idea to take away: a debug page is just another response, built from the
exception and the request, and everything in it is *data*, so everything is
HTML-escaped. Werkzeug's page also lets the browser run Python in any frame;
that console is a remote shell for anyone who can reach the server (or guess
its PIN), and debug mode does get switched on in production by mistake. This
page has no console, no JavaScript, and a ``Content-Security-Policy`` that
forbids scripts even if something were left unescaped. Header values that
carry credentials (cookies, ``Authorization``, tokens) are replaced by
``[hidden]``; local variables are not shown, since they often hold secrets.

With ``DEBUG`` off none of this is used: users get the plain 500 page and the
traceback goes to the log.

Two more debug-mode helps, from Flask's ``flask.debughelpers``: a routing
redirect that a browser would follow with a GET, dropping the form just
posted, is raised as ``FormDataRoutingRedirect``, an error that says why; and
``request.files["photo"]`` on a form posted without
``enctype="multipart/form-data"`` (so the browser sent the file's *name* as a
text field) raises ``DebugFilesKeyError``, which says so, instead of a bare
missing key.
"""

from __future__ import annotations

import traceback
from html import escape
from typing import TYPE_CHECKING, Any

from .datastructures import ImmutableMultiDict
from .response import Response
from .wire import display_text

if TYPE_CHECKING:
    from .request import Request

#: A header whose lower-case name contains one of these has its value hidden.
HIDDEN_HEADER_WORDS = ("cookie", "authorization", "token", "secret", "password", "api-key")

_STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; color: #a00; overflow-wrap: anywhere; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 1em; overflow: auto; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .2em .8em .2em 0;
         font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.note { color: #666; }
"""

# Nothing on the page may run or load: no scripts, no frames, no forms, no images.
_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'"


class FormDataRoutingRedirect(AssertionError):
    """Debug mode only: a routing redirect after a POST (or PUT, ...) that would lose its body.

    The router answers with 308, which clients repeat with the same method and
    body; this is raised when ``RequestRedirect.code`` was changed to 301 or
    302, which browsers follow with a GET and no form.
    """

    def __init__(self, request: Request, location: str) -> None:
        canonical = request.host_url.rstrip("/") + location
        lines = [
            f"A {request.method} request was sent to {request.url!r}, but routing issued a "
            f"redirect to the canonical URL {canonical!r}."
        ]
        if canonical.partition("?")[0] == request.base_url + "/":
            lines.append(
                "The URL was defined with a trailing slash, and was requested without one."
            )
        lines.append(
            "Send the request to the canonical URL, or keep 307 or 308 as the routing "
            "redirect code: after a 301 or 302 the browser sends a GET without the form data."
        )
        super().__init__(" ".join(lines))


class DebugFilesKeyError(KeyError, AssertionError):
    """Debug mode only: ``request.files[name]`` is missing, and the form has a text
    field of that name, because the form was not sent as ``multipart/form-data``."""

    def __init__(self, request: Request, key: str) -> None:
        submitted = request.form.getlist(key)
        message = (
            f"request.files has no file named {key!r}: the request's body is "
            f"{request.mimetype or 'of no type'!r}, not 'multipart/form-data', so no file "
            "contents were transmitted, only what a text field holds. Add "
            'enctype="multipart/form-data" to the <form> (and method="post").'
        )
        if submitted:
            names = ", ".join(repr(value) for value in submitted)
            message += f" The browser sent the file's name instead. This was submitted: {names}"
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError's str() would quote the whole message
        return self.message


class _FilesExplainingMissingEnctype(ImmutableMultiDict):
    """The empty ``request.files`` of a non-multipart form, in debug mode."""

    request: Request

    def __getitem__(self, key: str) -> Any:
        if key in self.request.form:
            raise DebugFilesKeyError(self.request, key)
        return super().__getitem__(key)


def files_for_debugging(request: Request, files: ImmutableMultiDict) -> ImmutableMultiDict:
    """``files``, or, in debug mode for a form that was not ``multipart/form-data``,
    an empty ``files`` whose missing keys explain the missing ``enctype``."""
    from .globals import _request_ctx_or_none

    ctx = _request_ctx_or_none()
    if files or ctx is None or not ctx.app.debug or request.mimetype == "multipart/form-data":
        return files
    explaining = _FilesExplainingMissingEnctype()
    explaining.request = request
    return explaining


def render_debug_page(exc: BaseException, request: Request | None) -> Response:
    """A ``500`` HTML page with the escaped traceback and the request's method, path and headers.

    Read from the raw environ, so it still works when the request itself is
    what failed (a path that is not UTF-8, a broken header).
    """
    environ: dict[str, Any] = request.environ if request is not None else {}
    title = f"{type(exc).__name__}: {_describe(exc)}"
    page = (
        "<!doctype html>\n<html lang=en>\n<meta charset=utf-8>\n"
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<h2>Traceback</h2>\n<pre>{escape(_traceback_text(exc))}</pre>\n"
        f"<h2>Request</h2>\n{_request_table(environ)}\n"
        "<p class=note>This page is shown because DEBUG is on. Never enable DEBUG in "
        "production: it shows your source code to anyone who triggers an error.</p>\n"
    )
    response = Response(page, 500)
    response.headers["Content-Security-Policy"] = _CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _describe(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # an exception whose __str__ fails must not break the error page
        return "(the exception's message could not be turned into text)"


def _traceback_text(exc: BaseException) -> str:
    try:
        return "".join(traceback.format_exception(exc))
    except Exception:
        return f"{type(exc).__name__} (the traceback could not be formatted)"


def _request_table(environ: dict[str, Any]) -> str:
    rows = [
        ("Method", str(environ.get("REQUEST_METHOD", ""))),
        ("Path", display_text(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))),
    ]
    rows += [(name, _shown_value(name, value)) for name, value in _headers(environ)]
    cells = "\n".join(
        f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>" for name, value in rows
    )
    return f"<table>\n{cells}\n</table>"


def _headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The request headers as the client named them (``HTTP_USER_AGENT`` -> ``User-Agent``)."""
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        headers.append((name.replace("_", "-").title(), display_text(value)))
    return sorted(headers)


def _shown_value(name: str, value: str) -> str:
    lowered = name.lower()
    if any(word in lowered for word in HIDDEN_HEADER_WORDS):
        return "[hidden]"
    return value
