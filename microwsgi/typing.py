"""The type names Flask apps annotate their views and hooks with.

Flask counterpart: ``flask/typing.py``. ``def index() -> ResponseReturnValue``
type-checks the same way after changing only ``flask`` to ``microwsgi``.
What a view may return is the table in ``App.make_response``.
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import Any, TypeVar

from .datastructures import Headers
from .response import Response

#: A WSGI application (PEP 3333), which a view may return too.
WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
#: A view's body: what ``make_response`` turns into a response by itself.
ResponseValue = (
    Response
    | str
    | bytes
    | list[Any]
    | Mapping[str, Any]
    | Iterator[str]
    | Iterator[bytes]
    | AsyncIterator[str]
    | AsyncIterator[bytes]
)
#: One header's value, or several.
HeaderValue = str | list[str] | tuple[str, ...]
#: Headers as a view may return them.
HeadersValue = Headers | Mapping[str, HeaderValue] | Sequence[tuple[str, HeaderValue]]
#: Everything a view may return: a body, with a status, headers, or both; or a WSGI app.
ResponseReturnValue = (
    ResponseValue
    | tuple[ResponseValue, HeadersValue]
    | tuple[ResponseValue, int]
    | tuple[ResponseValue, int, HeadersValue]
    | WSGIApplication
)
ResponseClass = TypeVar("ResponseClass", bound=Response)

#: The key of a blueprint's tables: its name, or ``None`` for the app.
AppOrBlueprintKey = str | None
AfterRequestCallable = (
    Callable[[ResponseClass], ResponseClass] | Callable[[ResponseClass], Awaitable[ResponseClass]]
)
BeforeFirstRequestCallable = Callable[[], None] | Callable[[], Awaitable[None]]
BeforeRequestCallable = (
    Callable[[], ResponseReturnValue | None] | Callable[[], Awaitable[ResponseReturnValue | None]]
)
ShellContextProcessorCallable = Callable[[], dict[str, Any]]
TeardownCallable = (
    Callable[[BaseException | None], None] | Callable[[BaseException | None], Awaitable[None]]
)
TemplateContextProcessorCallable = (
    Callable[[], dict[str, Any]] | Callable[[], Awaitable[dict[str, Any]]]
)
TemplateFilterCallable = Callable[..., Any]
TemplateGlobalCallable = Callable[..., Any]
TemplateTestCallable = Callable[..., bool]
URLDefaultCallable = Callable[[str, dict[str, Any]], None]
URLValuePreprocessorCallable = Callable[[str | None, dict[str, Any] | None], None]
ErrorHandlerCallable = (
    Callable[[Any], ResponseReturnValue] | Callable[[Any], Awaitable[ResponseReturnValue]]
)
RouteCallable = Callable[..., ResponseReturnValue] | Callable[..., Awaitable[ResponseReturnValue]]
