"""Converters: the typed holes in a URL rule.

Werkzeug counterpart: ``werkzeug.routing.converters``.

In ``/post/<int:post_id>`` the word ``int`` names a converter. A converter is a
small class with three jobs:

- ``regex`` says which text the hole accepts (``[0-9]+``), so the router can
  pass over ``/post/abc`` without running any Python code for it;
- ``to_python`` turns the matched text into the value the view receives
  (``"42"`` -> ``42``). It may still refuse by raising ``ValidationError``
  (``<int(max=10):n>`` refuses ``"11"``), and the router then tries the next
  rule that could match;
- ``to_url`` turns a value back into URL text for ``url_for``.

``weight`` ranks converters when rules compete for the same segment: the
lower, the more specific, the earlier tried. ``int`` and ``float`` weigh 50,
``string``, ``any`` and ``uuid`` 100, ``path`` 200 (Werkzeug's numbers, so the
winner is the one Flask would pick). ``part_isolating = False`` marks a
converter whose value may contain slashes (``path``); it swallows the rest of
the path instead of one segment.

Arguments come from the rule: ``<string(length=2):lang>`` calls
``StringConverter(router, length=2)``; as in Werkzeug, the router comes first,
so a converter written for Flask (``def __init__(self, url_map, *items)``)
works unchanged. A custom converter is a subclass registered by name:
``app.url_map.converters["slug"] = SlugConverter``.

``openapi_schema`` says, as JSON Schema, which values the hole accepts
(``<int(max=10):n>`` is ``{"type": "integer", "minimum": 0, "maximum": 10}``);
the API description (``microwsgi/openapi.py``) shows it for the path
parameter. A custom converter sets it as a class attribute
(``openapi_schema = {"type": "string", "pattern": "^[a-z0-9-]+$"}``) or a
property; without one its values are described as any string.

The idea to take away: a converter is a two-way translation between a piece of
URL text and a Python value, and both directions must agree, or ``url_for``
builds links that the router does not match.

Where we differ from Werkzeug, on purpose: ``int`` and ``float`` accept ASCII
digits only (Werkzeug's ``\\d`` also accepts ``"٤٢"`` and hands the view 42),
and ``to_url`` encodes a ``/`` inside a non-``path`` value as ``%2F`` so the
built URL matches the same rule again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .encoding import literal_as_matched, quote_path, quote_segment
from .errors import ValidationError

if TYPE_CHECKING:
    import uuid

    from .router import Router


class BaseConverter:
    """One segment of text, any characters but ``/``; the default behaviour."""

    regex: str = "[^/]+"
    weight: int = 100
    part_isolating: bool = True

    @property
    def openapi_schema(self) -> dict[str, Any]:
        """The JSON Schema of the values this converter accepts (for OpenAPI)."""
        return {"type": "string"}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # As in Werkzeug: a converter whose class regex can match "/" spans segments.
        super().__init_subclass__(**kwargs)
        if "regex" in cls.__dict__ and "part_isolating" not in cls.__dict__:
            cls.part_isolating = "/" not in cls.regex

    def __init__(self, map: Router | None = None, *args: Any, **kwargs: Any) -> None:
        #: The router of the rule (``None`` for a converter made by hand).
        self.map = map
        if args or kwargs:
            given = [repr(arg) for arg in args]
            given += [f"{key}={value!r}" for key, value in kwargs.items()]
            raise TypeError(f"{type(self).__name__} takes no arguments, got {', '.join(given)}")

    def to_python(self, value: str) -> Any:
        """The view's value for the matched text ``value`` (here the text itself).
        Raise ``ValidationError`` to refuse it; the router then tries the next rule.
        """
        return value

    def to_url(self, value: Any) -> str:
        """The text for ``value`` inside a built URL: ``str(value)`` percent-encoded as
        one path segment (RFC 3986), so a ``/`` in it is written ``%2F``.
        """
        return quote_segment(str(value))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.regex!r}>"


class StringConverter(BaseConverter):
    """``<name>`` or ``<string(minlength=1, maxlength=None, length=None):name>``."""

    def __init__(
        self,
        map: Router | None = None,
        minlength: int = 1,
        maxlength: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(map)
        if length is not None:
            _require_int("length", length, lowest=1)
            self.regex = f"[^/]{{{length}}}"
            self.minlength: int = length
            self.maxlength: int | None = length
            return
        _require_int("minlength", minlength, lowest=1)
        self.minlength, self.maxlength = minlength, maxlength
        if maxlength is None:
            self.regex = f"[^/]{{{minlength},}}"
            return
        _require_int("maxlength", maxlength, lowest=minlength)
        self.regex = f"[^/]{{{minlength},{maxlength}}}"

    @property
    def openapi_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": self.minlength}
        if self.maxlength is not None:
            schema["maxLength"] = self.maxlength
        return schema


class AnyConverter(BaseConverter):
    """``<any(about, help, "a b"):page>``: exactly one of the listed words."""

    def __init__(self, map: Router | None = None, *items: Any) -> None:
        super().__init__(map)
        if not items:
            raise TypeError("any() needs at least one item, e.g. <any(news, blog):section>")
        self.items = [str(item) for item in items]
        self.regex = "(?:" + "|".join(re.escape(literal_as_matched(i)) for i in self.items) + ")"

    @property
    def openapi_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.items)}

    def to_url(self, value: Any) -> str:
        text = str(value)
        if text not in self.items:
            allowed = ", ".join(repr(item) for item in self.items)
            raise ValidationError(f"{value!r} is not one of {allowed}")
        return quote_segment(text)


class PathConverter(BaseConverter):
    """``<path:name>``: the rest of the path, slashes included (``docs/a/b.txt``)."""

    regex = "[^/].*?"
    weight = 200
    part_isolating = False

    @property
    def openapi_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "minLength": 1,
            "description": "A path: may contain '/' (sent as %2F by clients that encode it).",
        }

    def to_url(self, value: Any) -> str:
        return quote_path(str(value))


class NumberConverter(BaseConverter):
    """What ``int`` and ``float`` share: optional sign, bounds, parse then check."""

    weight = 50
    fixed_digits = 0
    #: Turns the matched text into the number: ``int`` or ``float``.
    parse: Callable[[str], Any] = int

    def __init__(
        self,
        map: Router | None = None,
        min: float | None = None,  # named as in the rule: <int(min=1):n>
        max: float | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map)
        _require_number_or_none("min", min)
        _require_number_or_none("max", max)
        _require_bool("signed", signed)
        self.min = min
        self.max = max
        self.signed = signed
        if signed:
            self.regex = "-?" + type(self).regex

    def to_python(self, value: str) -> Any:
        if self.fixed_digits and len(value.lstrip("-")) != self.fixed_digits:
            raise ValidationError(f"{value!r} does not have {self.fixed_digits} digits")
        number = self.parse(value)
        if self.min is not None and number < self.min:
            raise ValidationError(f"{number} is below the minimum {self.min}")
        if self.max is not None and number > self.max:
            raise ValidationError(f"{number} is above the maximum {self.max}")
        return number

    @property
    def openapi_schema(self) -> dict[str, Any]:
        kind = "integer" if self.parse is int else "number"
        schema: dict[str, Any] = {"type": kind}
        lowest = self.min
        if not self.signed:  # the regex has no minus sign
            lowest = 0 if lowest is None else max(lowest, 0)
        if lowest is not None:
            schema["minimum"] = lowest
        if self.max is not None:
            schema["maximum"] = self.max
        return schema


class IntegerConverter(NumberConverter):
    """``<int:n>``, ``<int(fixed_digits=4, min=1, max=None, signed=False):n>``.

    Unsigned by default, as in Flask: ``/page/-1`` does not match.
    ``fixed_digits=4`` matches ``0042`` only, and builds 42 as ``0042``.
    """

    regex = "[0-9]+"

    def __init__(
        self,
        map: Router | None = None,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        _require_int("fixed_digits", fixed_digits, lowest=0)
        super().__init__(map, min=min, max=max, signed=signed)
        self.fixed_digits = fixed_digits

    @property
    def openapi_schema(self) -> dict[str, Any]:
        if not self.fixed_digits:
            return super().openapi_schema
        # Written with leading zeros ("0042"): a client must send that text, not 42.
        sign = "-?" if self.signed else ""
        return {"type": "string", "pattern": f"^{sign}[0-9]{{{self.fixed_digits}}}$"}

    def to_url(self, value: Any) -> str:
        text = str(int(value))
        if self.fixed_digits:
            text = text.zfill(self.fixed_digits + text.startswith("-"))
        return text


class FloatConverter(NumberConverter):
    """``<float:x>``, ``<float(min=None, max=None, signed=False):x>``: ``1.5``, never ``1``."""

    regex = r"[0-9]+\.[0-9]+"

    @staticmethod
    def parse(value: str) -> float:
        number = float(value)
        if not math.isfinite(number):  # "999...9.5" with hundreds of digits is inf
            raise ValidationError(f"{value[:40]}... is too large for a float")
        return number

    @property
    def openapi_schema(self) -> dict[str, Any]:
        schema = super().openapi_schema
        schema["description"] = "Written with a decimal point: 2.0, not 2."
        return schema

    def to_url(self, value: Any) -> str:
        number = float(value)
        if not math.isfinite(number):
            raise ValidationError(f"{value!r} cannot be written in a URL as digits.digits")
        text = repr(number)
        if "e" in text:  # 1e+20 would not match the regex; spell every digit out.
            from decimal import Decimal  # imported on first use (import time)

            text = format(Decimal(text), "f")
        return text if "." in text else text + ".0"


class UUIDConverter(BaseConverter):
    """``<uuid:id>``: ``1b3e...-...``, given to the view as a ``uuid.UUID``."""

    regex = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

    @property
    def openapi_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uuid"}

    def to_python(self, value: str) -> uuid.UUID:
        import uuid  # imported on first use, to keep `import microwsgi` fast

        return uuid.UUID(value)

    def to_url(self, value: Any) -> str:
        try:
            import uuid

            return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError(f"{value!r} is not a UUID") from None


#: Werkzeug's name for the string converter.
UnicodeConverter = StringConverter

#: The converters every router starts with; ``Router.converters`` is a copy of it.
DEFAULT_CONVERTERS: dict[str, type[BaseConverter]] = {
    "default": StringConverter,
    "string": StringConverter,
    "any": AnyConverter,
    "path": PathConverter,
    "int": IntegerConverter,
    "float": FloatConverter,
    "uuid": UUIDConverter,
}


def _require_int(name: str, value: Any, lowest: int) -> None:
    if type(value) is not int or value < lowest:
        raise ValueError(f"{name} must be a whole number of at least {lowest}, not {value!r}")


def _require_number_or_none(name: str, value: Any) -> None:
    if value is not None and (type(value) not in (int, float)):
        raise ValueError(f"{name} must be a number, not {value!r}")


def _require_bool(name: str, value: Any) -> None:
    if type(value) is not bool:
        raise ValueError(f"{name} must be True or False, not {value!r}")
