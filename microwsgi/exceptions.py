"""HTTP errors as Python exceptions, and ``abort``.

Werkzeug counterpart: ``werkzeug.exceptions``. Flask re-exports ``abort`` from it.

The idea to take away: an HTTP error *is* a response. Raising ``NotFound()``
anywhere below a view unwinds to the application, which asks the exception for
its response (``get_response``) unless an error handler wants to answer
instead. Each class only knows its status code, a default description, and any
header its status calls for (``Allow`` for 405, ``Content-Range`` for 416; and,
when given to the exception, ``WWW-Authenticate`` for 401 and ``Retry-After``
for 429 and 503: ``Unauthorized(www_authenticate='Bearer realm="api"')``).

The page is a few lines of HTML, or JSON when the client's ``Accept`` header
prefers ``application/json`` over ``text/html`` (an API client then gets an
error it can parse). The classes, their names and their descriptions are
Werkzeug's, so a test that reads ``e.description`` or the page reads the same
text.

Code written for Flask often raises Werkzeug's own exceptions
(``from werkzeug.exceptions import abort, NotFound``) and registers handlers
for them. ``as_microwsgi_error`` turns such an exception into the error of
the same status here, and ``counterpart`` names the class here that stands
for a Werkzeug class, so the app answers both the same way. The other way
round, such code asks ``isinstance(e, werkzeug.exceptions.HTTPException)``:
once Werkzeug's module is loaded, ``HTTPException.__new__`` makes each error
here an instance of its Werkzeug counterpart too (``_with_werkzeug_class``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn, Self

if TYPE_CHECKING:
    from .response import Response


#: The escapes of MarkupSafe's ``escape`` (the apostrophe as ``&#39;``), which Werkzeug's
#: pages use, so that a page reads byte for byte as Werkzeug's.
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


_MODULES = sys.modules


def _escape(text: str) -> str:
    """``text`` with the five characters that are special in HTML escaped."""
    return text.translate(_HTML_ESCAPES)


class HTTPException(Exception):
    """Base class: an HTTP error status with a short description.

    ``response`` lets a caller supply a finished response to send as it is
    (``abort(make_response(...))``).
    """

    code: int = 500
    description: str = "An error occurred."
    #: The Werkzeug exception this one stands for, when the app raised Werkzeug's
    #: (see ``as_microwsgi_error``); its error handlers receive that one.
    werkzeug_exception: BaseException | None = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # Code written for Flask tells HTTP errors from others with Werkzeug's classes
        # (``isinstance(e, werkzeug.exceptions.HTTPException)`` in a catch-all handler,
        # ``pytest.raises(werkzeug.exceptions.NotFound)``). Once that module is loaded,
        # so that someone can ask, each error is made an instance of its Werkzeug
        # counterpart too (see ``_with_werkzeug_class``); until then this costs a lookup.
        werkzeug_exceptions = _MODULES.get("werkzeug.exceptions")
        if werkzeug_exceptions is not None:
            cls = _WITH_WERKZEUG_CLASS.get(cls) or _with_werkzeug_class(cls, werkzeug_exceptions)
        return Exception.__new__(cls)

    def __init__(self, description: str | None = None, response: Response | None = None) -> None:
        # Exception's own __init__, not the next class's: that may be Werkzeug's
        # (see ``_with_werkzeug_class``), which would empty ``args``.
        Exception.__init__(self, description or self.description)
        if description is not None:
            self.description = description
        self.response = response

    @property
    def name(self) -> str:
        """The reason phrase, e.g. ``"Not Found"``."""
        try:
            return HTTPStatus(self.code).phrase
        except ValueError:
            return "Unknown Error"

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        """Headers that this status requires besides Content-Type (``Allow`` for a
        405, ...). ``environ`` and ``scope`` are Werkzeug's arguments, accepted and
        unused: unlike Werkzeug's, the list has no ``Content-Type``."""
        return []

    def get_description(self, environ: dict[str, Any] | None = None) -> str:
        """The description as an HTML paragraph, escaped, its line breaks as ``<br>``
        (Werkzeug's method of this name)."""
        return "<p>" + _escape(self.description).replace("\n", "<br>") + "</p>"

    def get_body(self, environ: dict[str, Any] | None = None, scope: Any = None) -> str:
        """The page sent for this error, as text (Werkzeug's method of this name):
        HTML, or JSON when ``environ``'s ``Accept`` header prefers it. ``scope``
        (an ASGI scope, in Werkzeug) is accepted and unused."""
        accept = environ.get("HTTP_ACCEPT", "") if environ else ""
        return self.body_and_type(_prefers_json(accept))[0]

    def body_and_type(self, prefers_json: bool = False) -> tuple[str, str]:
        """The body and its content type; subclasses override this to shape the page."""
        if prefers_json:
            payload = {"code": self.code, "name": self.name, "description": self.description}
            return json.dumps(payload, ensure_ascii=False), "application/json"
        page = (
            "<!doctype html>\n<html lang=en>\n"
            f"<title>{self.code} {_escape(self.name)}</title>\n"
            f"<h1>{_escape(self.name)}</h1>\n"
            f"{self.get_description()}\n"
        )
        return page, "text/html; charset=utf-8"

    def get_response(self, environ: dict[str, Any] | None = None) -> Response:
        """The response to send for this error, shaped by the request's ``Accept``."""
        if self.response is not None:
            return self.response
        from .response import Response

        accept = environ.get("HTTP_ACCEPT", "") if environ else ""
        body, content_type = self.body_and_type(_prefers_json(accept))
        response = Response(body, self.code, content_type=content_type)
        for name, value in self.get_headers():
            response.headers.add(name, value)
        return response

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer as a WSGI application with the error's response, as Werkzeug's do, so a
        view may return one and middleware may call one."""
        return self.get_response(environ)(environ, start_response)

    def __str__(self) -> str:
        return f"{self.code} {self.name}: {self.description}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{self.code}: {self.name}'>"


def _prefers_json(accept: str) -> bool:
    """True when the Accept header ranks JSON above HTML.

    A browser sends ``text/html,...,*/*;q=0.8``; an API client sends
    ``application/json``. With no header (curl, tests) HTML is the default.
    """
    if "json" not in accept:
        return False
    from .http import parse_accept

    # The same negotiation as MIMEAccept.best_match: quality, then specificity, then
    # HTML (the first offer) on a tie.
    return parse_accept(accept).best_match(_ERROR_PAGE_TYPES) == "application/json"


_ERROR_PAGE_TYPES = ("text/html", "application/json")


class BadRequest(HTTPException):
    """``400 Bad Request`` (RFC 9110 15.5.1)."""

    code = 400
    description = "The browser (or proxy) sent a request that this server could not understand."


class BadRequestKeyError(BadRequest, KeyError):
    """A missing key in request data (``request.form['x']``, ``request.headers['X']``).

    It is a ``KeyError``, so ``except KeyError`` and ``.get()`` patterns work,
    and a ``BadRequest``, so an uncaught one answers 400 instead of 500.

    The page says a value is missing but not which one, unless
    ``show_exception`` is set: the app sets it in debug mode and when
    ``TRAP_BAD_REQUEST_ERRORS`` is on. The names of the fields and headers an
    app expects are for its developers; a header such as ``X-Internal-Token``
    should not be announced to every client that leaves it out.
    """

    #: Name the missing key in the description (and so in the page).
    show_exception = False

    def __init__(self, key: str | None = None, description: str | None = None) -> None:
        super().__init__(description or "The request is missing a required value.")
        self.key = key

    @property  # type: ignore[override]
    def description(self) -> str:
        if self.show_exception and self.key is not None:
            return f"{self._description} The missing key is {self.key!r}."
        return self._description

    @description.setter
    def description(self, value: str) -> None:
        self._description = value

    def __str__(self) -> str:  # KeyError's str() would quote the whole message.
        return HTTPException.__str__(self)


class SecurityError(BadRequest):
    """The request is refused for a security reason, such as a ``Host`` outside
    ``TRUSTED_HOSTS`` (Werkzeug's name; a 400)."""


class Unauthorized(HTTPException):
    """``401 Unauthorized`` (RFC 9110 15.5.2). ``www_authenticate``, when given, is sent as the
    ``WWW-Authenticate`` header.
    """

    code = 401
    description = (
        "The server could not verify that you are authorized to access the URL requested. "
        "You either supplied the wrong credentials (e.g. a bad password), or your browser "
        "doesn't understand how to supply the credentials required."
    )

    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        www_authenticate: str | None = None,
    ) -> None:
        super().__init__(description, response)
        self.www_authenticate = www_authenticate

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        return [("WWW-Authenticate", self.www_authenticate)] if self.www_authenticate else []


class Forbidden(HTTPException):
    """``403 Forbidden`` (RFC 9110 15.5.4)."""

    code = 403
    description = (
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    )


class NotFound(HTTPException):
    """``404 Not Found`` (RFC 9110 15.5.5)."""

    code = 404
    description = (
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    )


class MethodNotAllowed(HTTPException):
    """``405 Method Not Allowed`` (RFC 9110 15.5.6). ``valid_methods`` are sent as the ``Allow``
    header, which RFC 9110 requires.
    """

    code = 405
    description = "The method is not allowed for the requested URL."

    def __init__(
        self,
        valid_methods: Iterable[str] | None = None,
        description: str | None = None,
        response: Response | None = None,
    ) -> None:
        super().__init__(description, response)
        self.valid_methods = sorted(valid_methods) if valid_methods else []

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        return [("Allow", ", ".join(self.valid_methods))] if self.valid_methods else []


class NotAcceptable(HTTPException):
    """``406 Not Acceptable`` (RFC 9110 15.5.7)."""

    code = 406
    description = (
        "The resource identified by the request is only capable of generating response "
        "entities which have content characteristics not acceptable according to the accept "
        "headers sent in the request."
    )


class RequestTimeout(HTTPException):
    """``408 Request Timeout`` (RFC 9110 15.5.9)."""

    code = 408
    description = (
        "The server closed the network connection because the browser didn't finish the "
        "request within the specified time."
    )


class Conflict(HTTPException):
    """``409 Conflict`` (RFC 9110 15.5.10)."""

    code = 409
    description = (
        "A conflict happened while processing the request. The resource might have been "
        "modified while the request was being processed."
    )


class Gone(HTTPException):
    """``410 Gone`` (RFC 9110 15.5.11)."""

    code = 410
    description = (
        "The requested URL is no longer available on this server and there is no forwarding "
        "address. If you followed a link from a foreign page, please contact the author of "
        "this page."
    )


class LengthRequired(HTTPException):
    """``411 Length Required`` (RFC 9110 15.5.12)."""

    code = 411
    description = "A request with this method requires a valid <code>Content-Length</code> header."


class PreconditionFailed(HTTPException):
    """``412 Precondition Failed`` (RFC 9110 15.5.13)."""

    code = 412
    description = "The precondition on the request for the URL failed positive evaluation."


class RequestEntityTooLarge(HTTPException):
    """``413 Request Entity Too Large`` (RFC 9110 15.5.14, which names it Content Too Large)."""

    code = 413
    description = "The data value transmitted exceeds the capacity limit."


class RequestURITooLarge(HTTPException):
    """``414 Request URI Too Long`` (RFC 9110 15.5.15, which names it URI Too Long)."""

    code = 414
    description = (
        "The length of the requested URL exceeds the capacity limit for this server. The "
        "request cannot be processed."
    )

    @property
    def name(self) -> str:
        return "Request URI Too Long"  # Werkzeug's (Python's: "Request-URI Too Long")


class UnsupportedMediaType(HTTPException):
    """``415 Unsupported Media Type`` (RFC 9110 15.5.16)."""

    code = 415
    description = "The server does not support the media type transmitted in the request."


class RequestedRangeNotSatisfiable(HTTPException):
    """``416 Requested Range Not Satisfiable`` (RFC 9110 15.5.17, which names it Range Not
    Satisfiable). ``length``, the size of the whole content in bytes, is sent as
    ``Content-Range: bytes */length``.
    """

    code = 416
    description = "The server cannot provide the requested range."

    def __init__(
        self,
        length: int | None = None,
        description: str | None = None,
        response: Response | None = None,
    ) -> None:
        super().__init__(description, response)
        self.length = length

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        return [("Content-Range", f"bytes */{self.length}")] if self.length is not None else []


class ExpectationFailed(HTTPException):
    """``417 Expectation Failed`` (RFC 9110 15.5.18)."""

    code = 417
    description = "The server could not meet the requirements of the Expect header"


class ImATeapot(HTTPException):
    """``418 I'm a teapot`` (RFC 2324 2.3.2; RFC 9110 15.5.19 keeps the code unused)."""

    code = 418
    description = "This server is a teapot, not a coffee machine"

    @property
    def name(self) -> str:
        return "I'm a teapot"  # RFC 2324's phrase and Werkzeug's (Python's: "I'm a Teapot")


class MisdirectedRequest(HTTPException):
    """``421 Misdirected Request`` (RFC 9110 15.5.20)."""

    code = 421
    description = "The server is not able to produce a response."


class UnprocessableEntity(HTTPException):
    """``422 Unprocessable Entity`` (RFC 9110 15.5.21, which names it Unprocessable Content)."""

    code = 422
    description = (
        "The request was well-formed but was unable to be followed due to semantic errors."
    )


class Locked(HTTPException):
    """``423 Locked`` (RFC 4918 11.3)."""

    code = 423
    description = "The resource that is being accessed is locked."


class FailedDependency(HTTPException):
    """``424 Failed Dependency`` (RFC 4918 11.4)."""

    code = 424
    description = (
        "The method could not be performed on the resource because the requested action "
        "depended on another action and that action failed."
    )


class PreconditionRequired(HTTPException):
    """``428 Precondition Required`` (RFC 6585 3)."""

    code = 428
    description = (
        'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".'
    )


class _RetryAfter(HTTPException):
    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        retry_after: int | datetime | None = None,
    ) -> None:
        super().__init__(description, response)
        self.retry_after = retry_after

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        if self.retry_after is None:
            return []
        if isinstance(self.retry_after, datetime):  # Werkzeug's also take a moment
            from .http import http_date

            return [("Retry-After", http_date(self.retry_after))]
        return [("Retry-After", str(self.retry_after))]


class TooManyRequests(_RetryAfter):
    """``429 Too Many Requests`` (RFC 6585 4). ``retry_after`` (seconds, or a datetime) is sent
    as ``Retry-After``.
    """

    code = 429
    description = "This user has exceeded an allotted request count. Try again later."


class RequestHeaderFieldsTooLarge(HTTPException):
    """``431 Request Header Fields Too Large`` (RFC 6585 5)."""

    code = 431
    description = "One or more header fields exceeds the maximum size."


class UnavailableForLegalReasons(HTTPException):
    """``451 Unavailable For Legal Reasons`` (RFC 7725 3)."""

    code = 451
    description = "Unavailable for legal reasons."


class InternalServerError(HTTPException):
    """``500 Internal Server Error`` (RFC 9110 15.6.1)."""

    code = 500
    description = (
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    )

    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        original_exception: BaseException | None = None,
    ) -> None:
        super().__init__(description, response)
        #: The unhandled exception that caused this 500, for error handlers to log or show.
        self.original_exception = original_exception


class NotImplementedHTTP(HTTPException):
    """``501 Not Implemented`` (RFC 9110 15.6.2)."""

    code = 501
    description = "The server does not support the action requested by the browser."


class BadGateway(HTTPException):
    """``502 Bad Gateway`` (RFC 9110 15.6.3)."""

    code = 502
    description = "The proxy server received an invalid response from an upstream server."


class ServiceUnavailable(_RetryAfter):
    """``503 Service Unavailable`` (RFC 9110 15.6.4). ``retry_after`` (seconds, or a datetime)
    is sent as ``Retry-After``.
    """

    code = 503
    description = (
        "The server is temporarily unable to service your request due to maintenance "
        "downtime or capacity problems. Please try again later."
    )


class GatewayTimeout(HTTPException):
    """``504 Gateway Timeout`` (RFC 9110 15.6.5)."""

    code = 504
    description = "The connection to an upstream server timed out."


class HTTPVersionNotSupported(HTTPException):
    """``505 HTTP Version Not Supported`` (RFC 9110 15.6.6)."""

    code = 505
    description = "The server does not support the HTTP protocol version used in the request."


#: Werkzeug's name for the 501 class (``NotImplementedHTTP`` here does not hide Python's
#: ``NotImplemented`` in the modules that import it).
NotImplemented = NotImplementedHTTP


#: Status code -> exception class, for ``abort(code)`` and ``@errorhandler(code)``.
default_exceptions: dict[int, type[HTTPException]] = {
    cls.code: cls
    for cls in (
        BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable,
        RequestTimeout, Conflict, Gone, LengthRequired, PreconditionFailed,
        RequestEntityTooLarge, RequestURITooLarge, UnsupportedMediaType,
        RequestedRangeNotSatisfiable, ExpectationFailed, ImATeapot, MisdirectedRequest,
        UnprocessableEntity, Locked, FailedDependency, PreconditionRequired, TooManyRequests,
        RequestHeaderFieldsTooLarge, UnavailableForLegalReasons, InternalServerError,
        NotImplementedHTTP, BadGateway, ServiceUnavailable, GatewayTimeout,
        HTTPVersionNotSupported,
    )
}  # fmt: skip


class Aborter:
    """Raises the HTTP exception for a status code: ``aborter(404)``.

    ``mapping`` (status -> exception class) starts as ``default_exceptions``
    plus ``extra``; an app's ``app.aborter`` is one, so an app can add its
    own codes (``app.aborter.mapping[451] = UnavailableForLegalReasons``)
    and ``abort(451)`` raises it. Werkzeug's class of the same name.
    """

    def __init__(
        self,
        mapping: dict[int, type[HTTPException]] | None = None,
        extra: dict[int, type[HTTPException]] | None = None,
    ) -> None:
        self.mapping = dict(default_exceptions if mapping is None else mapping)
        if extra:
            self.mapping.update(extra)

    def __call__(self, status: int | Response, *args: Any, **kwargs: Any) -> NoReturn:
        if not isinstance(status, int):
            raise HTTPException(response=status)
        try:
            exception_class = self.mapping[status]
        except KeyError:
            known = ", ".join(str(code) for code in sorted(self.mapping))
            raise LookupError(
                f"abort({status}): no exception for that status; known: {known}"
            ) from None
        raise exception_class(*args, **kwargs)


_default_aborter = Aborter()


def abort(status: int | Response, description: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with an HTTP error: ``abort(404)``, ``abort(401, "log in first")``.

    Passing a ``Response`` sends that response as it is. Extra keyword
    arguments go to the exception (``abort(405, valid_methods=["GET"])``).
    Inside an app context the app's ``aborter`` raises it, so codes the app
    added to ``app.aborter.mapping`` work.
    """
    from .globals import _context_var

    ctx = _context_var.get(None)
    aborter = ctx.app.aborter if ctx is not None else _default_aborter
    aborter(status, description=description, **kwargs)


# -- Werkzeug's exceptions, raised by code written for Flask ------------------------


def counterpart(cls: type) -> type:
    """The class here that stands for ``cls`` when ``cls`` is one of
    ``werkzeug.exceptions``' (``werkzeug.exceptions.NotFound`` -> ``NotFound``);
    any other class, an app's own subclass of Werkzeug's included, is itself.

    ``@app.errorhandler(werkzeug.exceptions.NotFound)`` registers its handler
    under the counterpart, so it answers every 404, whoever raised it.
    """
    if cls.__module__ != "werkzeug.exceptions":
        return cls
    name = "NotImplementedHTTP" if cls.__name__ == "NotImplemented" else cls.__name__
    found = globals().get(name)
    if isinstance(found, type) and issubclass(found, HTTPException):
        return found
    return cls  # one we have no class for (ClientDisconnected): registered as it is


#: A class here -> the same class made a subclass of its Werkzeug counterpart as well.
_WITH_WERKZEUG_CLASS: dict[type, type] = {}


def _with_werkzeug_class(cls: type, werkzeug_exceptions: Any) -> Any:
    """``cls`` with its counterpart in ``werkzeug.exceptions`` added as a second base.

    ``NotFound`` becomes a class named and behaving as ``NotFound`` (its own
    methods and attributes come first in the MRO) that is also a subclass of
    ``werkzeug.exceptions.NotFound`` and so of Werkzeug's ``HTTPException``.
    Made once per class. An app's own subclass gets the counterpart of its
    nearest class here that has one; a class that already derives from
    Werkzeug's, or for which no order puts every class here first, is left
    as it is.
    """
    made = _WITH_WERKZEUG_CLASS.get(cls)
    if made is not None:
        return made
    made = cls
    if not issubclass(cls, werkzeug_exceptions.HTTPException):
        for ours in cls.__mro__:
            if ours.__module__ != __name__ or not issubclass(ours, HTTPException):
                continue
            name = "NotImplemented" if ours is NotImplementedHTTP else ours.__name__
            theirs = getattr(werkzeug_exceptions, name, None)
            if not isinstance(theirs, type):
                continue
            candidate = _with_second_base(cls, theirs, HTTPException)
            if candidate is not None:
                made = candidate
                break
    _WITH_WERKZEUG_CLASS[cls] = made
    return made


def _with_second_base(cls: type, theirs: type, ours: type) -> type | None:
    """A class named as ``cls``, subclass of ``cls`` and of ``theirs``, in which ``ours``
    (the root of our family) comes before every class of ``theirs``' family but
    the ones ``cls`` itself derives from; ``None`` when no such order exists."""
    namespace = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "__reduce__": _reduce_without_werkzeug_class,
    }
    try:
        candidate = type(cls.__name__, (cls, theirs), namespace)
    except TypeError:  # no consistent order of the two families
        return None
    order = candidate.__mro__
    if order.index(ours) > order.index(theirs):
        return None
    return candidate


def _reduce_without_werkzeug_class(error: HTTPException) -> tuple[Any, ...]:
    # Pickled as the class here it was made from, which ``__new__`` extends again.
    return (_rebuild, (type(error).__mro__[1], error.args, error.__dict__))


def _rebuild(cls: type[HTTPException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def as_microwsgi_error(exc: BaseException) -> HTTPException | None:
    """``exc`` as the error of the same status here, when it is a Werkzeug
    ``HTTPException`` (``werkzeug.exceptions.abort(404)`` in a view); else ``None``.

    The status, the description, a finished ``response`` and what each status
    carries (``valid_methods``, ``www_authenticate``, ``retry_after``, the
    416's ``length``, the 500's ``original_exception``) are kept, and the
    Werkzeug exception itself is kept as ``werkzeug_exception``: the app's
    error handlers are looked up through its classes too, and receive it, as
    Flask's would. Costs nothing unless Werkzeug's exceptions were imported.
    """
    if isinstance(exc, HTTPException):
        return None  # ours, even when it is an instance of Werkzeug's class too
    werkzeug_exceptions = sys.modules.get("werkzeug.exceptions")
    if werkzeug_exceptions is None or not isinstance(exc, werkzeug_exceptions.HTTPException):
        return None
    code = exc.code
    cls = default_exceptions.get(code, HTTPException) if code is not None else HTTPException
    error = cls.__new__(cls)
    description = exc.description
    HTTPException.__init__(error, description if description is not None else "", exc.response)
    if cls is HTTPException and code is not None:
        error.code = code  # a status we have no class for: kept as it is
    if isinstance(error, MethodNotAllowed):
        error.valid_methods = sorted(getattr(exc, "valid_methods", None) or ())
    elif isinstance(error, Unauthorized):
        challenges = getattr(exc, "www_authenticate", None) or ()
        error.www_authenticate = ", ".join(str(challenge) for challenge in challenges) or None
    elif isinstance(error, _RetryAfter):
        error.retry_after = getattr(exc, "retry_after", None)
    elif isinstance(error, RequestedRangeNotSatisfiable):
        error.length = getattr(exc, "length", None)
    elif isinstance(error, InternalServerError):
        error.original_exception = getattr(exc, "original_exception", None)
    error.werkzeug_exception = exc
    error.__cause__ = exc
    return error
