"""Rule factories: one call that adds a group of rules under a prefix, a subdomain or a name.

Werkzeug counterpart: ``RuleFactory``, ``Submount``, ``Subdomain`` and
``EndpointPrefix`` in ``werkzeug.routing.rules``.

``router.add`` (Flask's ``app.url_map.add``) takes a ``Rule`` or any object
with a ``get_rules(router)`` method. The factories here wrap a list of rules
(or of other factories) and give copies of them, changed on the way::

    app.url_map.add(
        Submount("/api", [
            Rule("/users", endpoint="users"),
            EndpointPrefix("admin_", [Rule("/stats", endpoint="stats")]),
        ])
    )

adds ``/api/users`` (endpoint ``users``) and ``/api/stats`` (endpoint
``admin_stats``). The rules given are left untouched, so the same list can be
mounted twice.

The idea to take away: grouping rules needs no new kind of rule, only a
function from rules to rules; blueprints do the same job one level up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .router import Router
    from .rules import Rule


class RuleFactory(Protocol):
    """Anything ``Router.add`` accepts besides a string: it gives the rules to add."""

    def get_rules(self, router: Router) -> Iterable[Rule]:
        """The rules to add to ``router``, each a new ``Rule`` (a factory can be used again)."""
        ...


class _RuleGroup:
    def __init__(self, rules: Iterable[RuleFactory]) -> None:
        self.rules = list(rules)

    def _rules(self, router: Router) -> Iterator[tuple[Rule, dict[str, Any]]]:
        """Each rule given, and the arguments that make an unbound copy of it."""
        for factory in self.rules:
            for rule in factory.get_rules(router):
                yield rule, rule.get_empty_kwargs()


class Submount(_RuleGroup):
    """The rules, with ``path`` in front of each: ``Submount("/api", [Rule("/users")])``."""

    def __init__(self, path: str, rules: Iterable[RuleFactory]) -> None:
        super().__init__(rules)
        self.path = path.rstrip("/")

    def get_rules(self, router: Router) -> Iterator[Rule]:
        for rule, kwargs in self._rules(router):
            yield type(rule)(self.path + rule.rule, **kwargs)


class Subdomain(_RuleGroup):
    """The rules, answering on ``subdomain`` (``"api"``, ``"<user>"``) of ``SERVER_NAME``."""

    def __init__(self, subdomain: str, rules: Iterable[RuleFactory]) -> None:
        super().__init__(rules)
        self.subdomain = subdomain

    def get_rules(self, router: Router) -> Iterator[Rule]:
        for rule, kwargs in self._rules(router):
            yield type(rule)(rule.rule, **{**kwargs, "subdomain": self.subdomain})


class EndpointPrefix(_RuleGroup):
    """The rules, with ``prefix`` in front of each endpoint name."""

    def __init__(self, prefix: str, rules: Iterable[RuleFactory]) -> None:
        super().__init__(rules)
        self.prefix = prefix

    def get_rules(self, router: Router) -> Iterator[Rule]:
        for rule, kwargs in self._rules(router):
            yield type(rule)(rule.rule, **{**kwargs, "endpoint": self.prefix + rule.endpoint})
