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
error it can parse).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from html import escape
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from .response import Response


class HTTPException(Exception):
    """Base class: an HTTP error status with a short description.

    ``response`` lets a caller supply a finished response to send as it is
    (``abort(make_response(...))``).
    """

    code: int = 500
    description: str = "An error occurred."

    def __init__(self, description: str | None = None, response: Response | None = None) -> None:
        super().__init__(description or self.description)
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

    def get_headers(self) -> list[tuple[str, str]]:
        """Headers that this status requires besides Content-Type."""
        return []

    def get_description(self, environ: dict[str, Any] | None = None) -> str:
        """The description as an HTML paragraph, escaped (Werkzeug's method of this name)."""
        return f"<p>{escape(self.description)}</p>"

    def get_body(self, prefers_json: bool = False) -> tuple[str, str]:
        """The body and its content type."""
        if prefers_json:
            payload = {"code": self.code, "name": self.name, "description": self.description}
            return json.dumps(payload, ensure_ascii=False), "application/json"
        page = (
            "<!doctype html>\n<html lang=en>\n"
            f"<title>{self.code} {escape(self.name)}</title>\n"
            f"<h1>{escape(self.name)}</h1>\n"
            f"{self.get_description()}\n"
        )
        return page, "text/html; charset=utf-8"

    def get_response(self, environ: dict[str, Any] | None = None) -> Response:
        """The response to send for this error, shaped by the request's ``Accept``."""
        if self.response is not None:
            return self.response
        from .response import Response

        accept = environ.get("HTTP_ACCEPT", "") if environ else ""
        body, content_type = self.get_body(_prefers_json(accept))
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
    code = 401
    description = "The server could not verify that you are authorized to access the URL requested."

    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        www_authenticate: str | None = None,
    ) -> None:
        super().__init__(description, response)
        self.www_authenticate = www_authenticate

    def get_headers(self) -> list[tuple[str, str]]:
        return [("WWW-Authenticate", self.www_authenticate)] if self.www_authenticate else []


class Forbidden(HTTPException):
    code = 403
    description = "You don't have the permission to access the requested resource."


class NotFound(HTTPException):
    code = 404
    description = "The requested URL was not found on the server."


class MethodNotAllowed(HTTPException):
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

    def get_headers(self) -> list[tuple[str, str]]:
        return [("Allow", ", ".join(self.valid_methods))] if self.valid_methods else []


class NotAcceptable(HTTPException):
    code = 406
    description = "The resource cannot produce a response the client accepts."


class RequestTimeout(HTTPException):
    code = 408
    description = "The server closed the connection because the request took too long."


class Conflict(HTTPException):
    code = 409
    description = "The request conflicts with the current state of the resource."


class Gone(HTTPException):
    code = 410
    description = "The requested URL is no longer available on this server."


class LengthRequired(HTTPException):
    code = 411
    description = "A request with this method requires a valid Content-Length header."


class PreconditionFailed(HTTPException):
    code = 412
    description = "The precondition on the request for the URL failed."


class RequestEntityTooLarge(HTTPException):
    code = 413
    description = "The data value transmitted exceeds the capacity limit."


class RequestURITooLarge(HTTPException):
    code = 414
    description = "The length of the requested URL exceeds the capacity limit."


class UnsupportedMediaType(HTTPException):
    code = 415
    description = "The server does not support the media type transmitted in the request."


class RequestedRangeNotSatisfiable(HTTPException):
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

    def get_headers(self) -> list[tuple[str, str]]:
        return [("Content-Range", f"bytes */{self.length}")] if self.length is not None else []


class ImATeapot(HTTPException):
    code = 418
    description = "This server is a teapot, not a coffee machine."


class UnprocessableEntity(HTTPException):
    code = 422
    description = "The request was well-formed but contained invalid values."


class Locked(HTTPException):
    code = 423
    description = "The resource that is being accessed is locked."


class _RetryAfter(HTTPException):
    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description, response)
        self.retry_after = retry_after

    def get_headers(self) -> list[tuple[str, str]]:
        return [("Retry-After", str(self.retry_after))] if self.retry_after is not None else []


class TooManyRequests(_RetryAfter):
    code = 429
    description = "This user has exceeded an allotted request count. Try again later."


class RequestHeaderFieldsTooLarge(HTTPException):
    code = 431
    description = "One or more header fields exceed the maximum size."


class UnavailableForLegalReasons(HTTPException):
    code = 451
    description = "Unavailable for legal reasons."


class InternalServerError(HTTPException):
    code = 500
    description = (
        "The server encountered an internal error and was unable to complete your request."
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
    code = 501
    description = "The server does not support the action requested by the browser."


class BadGateway(HTTPException):
    code = 502
    description = "The proxy server received an invalid response from an upstream server."


class ServiceUnavailable(_RetryAfter):
    code = 503
    description = "The server is temporarily unable to service your request. Try again later."


class GatewayTimeout(HTTPException):
    code = 504
    description = "The connection to an upstream server timed out."


#: Status code -> exception class, for ``abort(code)`` and ``@errorhandler(code)``.
default_exceptions: dict[int, type[HTTPException]] = {
    cls.code: cls
    for cls in (
        BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable,
        RequestTimeout, Conflict, Gone, LengthRequired, PreconditionFailed,
        RequestEntityTooLarge, RequestURITooLarge, UnsupportedMediaType,
        RequestedRangeNotSatisfiable, ImATeapot, UnprocessableEntity, Locked, TooManyRequests,
        RequestHeaderFieldsTooLarge, UnavailableForLegalReasons, InternalServerError,
        NotImplementedHTTP, BadGateway, ServiceUnavailable, GatewayTimeout,
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
