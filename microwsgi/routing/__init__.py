"""URL routing: rules, converters, matching and URL building.

Werkzeug counterpart: the ``werkzeug.routing`` package, which Flask uses as
``app.url_map``.

Read it in this order:

- ``converters.py``: the typed holes in a rule (``<int:id>``), each a regex
  plus ``to_python`` and ``to_url``;
- ``rules.py``: a rule string parsed once into the parts the router walks and
  the template ``url_for`` fills;
- ``router.py``: the tree of segments that matches a path in time independent
  of the number of rules, the precedence between rules, and ``build``;
- ``factories.py``: ``Submount``, ``Subdomain`` and ``EndpointPrefix``, which
  add a group of rules at once;
- ``encoding.py``: how values are percent-encoded so they survive the trip;
- ``errors.py``: ``ValidationError``, ``RequestRedirect`` and ``BuildError``.

The idea to take away: a router is a two-way map between paths and
``(endpoint, values)``, and each direction must undo the other.
"""

from __future__ import annotations

from .converters import (
    DEFAULT_CONVERTERS,
    AnyConverter,
    BaseConverter,
    FloatConverter,
    IntegerConverter,
    NumberConverter,
    PathConverter,
    StringConverter,
    UnicodeConverter,
    UUIDConverter,
)
from .errors import BuildError, RequestRedirect, ValidationError
from .factories import EndpointPrefix, RuleFactory, Subdomain, Submount
from .router import Router
from .rules import Rule, RulePart, parse_converter_args, parse_rule

#: Werkzeug's name for the router class (Flask's ``app.url_map`` is a ``Map``).
Map = Router

__all__ = [
    "DEFAULT_CONVERTERS",
    "AnyConverter",
    "BaseConverter",
    "BuildError",
    "EndpointPrefix",
    "FloatConverter",
    "IntegerConverter",
    "Map",
    "NumberConverter",
    "PathConverter",
    "RequestRedirect",
    "Router",
    "Rule",
    "RuleFactory",
    "RulePart",
    "StringConverter",
    "Subdomain",
    "Submount",
    "UUIDConverter",
    "UnicodeConverter",
    "ValidationError",
    "parse_converter_args",
    "parse_rule",
]
