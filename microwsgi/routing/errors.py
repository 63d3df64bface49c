"""The three ways routing can say "not like that".

Werkzeug counterpart: ``werkzeug.routing.exceptions`` (and ``ValidationError``
from ``werkzeug.routing.converters``).

- ``ValidationError``: a converter refuses a value (``<int(max=10):n>`` given
  ``"11"``). The router then tries the next rule that could match.
- ``RequestRedirect``: the path is almost right and has one canonical spelling
  (``/docs`` for a rule ``/docs/``, or ``//a//b`` for ``/a/b``). It is an HTTP
  308, so a POST is repeated with its body at the new address.
- ``BuildError``: ``url_for`` cannot produce a URL. Its message names the
  endpoint, what was missing or wrong, and close matches for a misspelt name.

Not found and method not allowed are not routing-specific: they are the
ordinary ``NotFound`` and ``MethodNotAllowed`` of ``microwsgi.exceptions``.

The idea to take away: a routing failure is either the client's mistake (an
HTTP error the router raises while matching) or the programmer's mistake (a
``BuildError`` or a ``ValueError`` at registration, raised as early and as
loudly as possible).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self

from ..exceptions import _MODULES, _WITH_WERKZEUG_CLASS, HTTPException, _with_second_base


class ValidationError(ValueError):
    """Raised by a converter's ``to_python`` (or ``to_url``) to refuse a value.

    While matching it means "this rule does not match, try the next one";
    while building it means "this rule cannot carry that value".
    """


class RequestRedirect(HTTPException):
    """The request should be repeated at ``path`` (a 308 Permanent Redirect).

    ``path`` is the canonical path, percent-encoded and ready for a
    ``Location`` header. It does not include ``SCRIPT_NAME`` or the query
    string: the application adds both, because only it knows them.
    """

    code = 308

    def __init__(self, path: str) -> None:
        super().__init__(f"This resource lives at {path}; repeat the request there.")
        self.path = path
        #: Werkzeug's name for it (there a full URL; here the path, see above).
        self.new_url = path

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        """``Location``: the path to repeat the request at (a 308 by default, RFC 9110 15.4.9)."""
        # The application normally builds the full Location itself; this keeps
        # the exception a usable response when rendered on its own.
        return [("Location", self.path)]


class BuildError(LookupError):
    """No rule of ``endpoint`` can be built from ``values`` (and ``method``).

    ``reasons`` lists why each candidate rule was refused; ``suggestions``
    holds endpoint names close to an unknown one. As in Werkzeug,
    ``suggested`` is the rule the caller most likely meant (the endpoint's
    first rule, or the first rule of the closest endpoint name), or ``None``.
    """

    #: Werkzeug's bound ``MapAdapter``; microwsgi's router is not bound, so always ``None``.
    adapter = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # Code written for Flask catches ``werkzeug.routing.BuildError`` around
        # ``url_for``: once that module is loaded, so that someone can, each error is
        # an instance of Werkzeug's class too (as the HTTP errors are, exceptions.py).
        werkzeug_routing = _MODULES.get("werkzeug.routing.exceptions")
        if werkzeug_routing is not None:
            cls = _WITH_WERKZEUG_CLASS.get(cls) or _with_werkzeug_build_error(
                cls, werkzeug_routing.BuildError
            )
        return LookupError.__new__(cls)

    def __init__(
        self,
        endpoint: str,
        values: Mapping[str, Any],
        method: str | None = None,
        reasons: Iterable[str] = (),
        suggestions: Iterable[str] = (),
        suggested: Any = None,
    ) -> None:
        self.endpoint = endpoint
        self.values = dict(values)
        self.method = method
        self.reasons = list(reasons)
        self.suggestions = list(suggestions)
        self.suggested = suggested
        # LookupError's own __init__, not the next class's: that may be Werkzeug's.
        LookupError.__init__(self, self._message())

    def _message(self) -> str:
        head = f"Could not build a URL for endpoint {self.endpoint!r}"
        if self.method:
            head += f" with method {self.method}"
        if self.values:
            head += f" and values {sorted(self.values)}"
        lines = [head + "."]
        lines.extend(f"  - {reason}" for reason in self.reasons)
        if self.suggestions:
            names = " or ".join(repr(name) for name in self.suggestions)
            lines.append(f"Did you mean {names}?")
        return "\n".join(lines)

    def __str__(self) -> str:  # LookupError would show the message with quotes around it.
        return self.args[0]


def _with_werkzeug_build_error(cls: type, theirs: type) -> type:
    """``cls`` made a subclass of Werkzeug's ``BuildError`` too (see ``_with_werkzeug_class``)."""
    made = _with_second_base(cls, theirs, BuildError) or cls
    _WITH_WERKZEUG_CLASS[cls] = made
    return made
