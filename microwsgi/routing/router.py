"""The router: which rule answers a path, and which URL reaches an endpoint.

Werkzeug counterpart: ``Map``, ``MapAdapter`` and ``StateMachineMatcher`` in
``werkzeug.routing``; Flask's ``app.url_map`` is a ``Map``, ours a ``Router``.

How matching works
------------------
Rules are stored in a tree whose branches are path segments (a *trie*).
Registering these six rules::

    /                     /users/me           /users/<name>
    /users/               /users/<int:id>     /files/<path:name>

builds this tree (``print(router.describe())`` shows it for any router)::

    "" -> /
    "users"
        "" -> /users/
        "me" -> /users/me
        <int> -> /users/<int:id>
        <default> -> /users/<name>
    "files"
        <path> -> /files/<path:name>

A node keeps its *literal* children in a dict and its *pattern* children in a
list sorted by precedence. To match ``/users/42`` the path is split into
``["users", "42"]`` and the router walks down from the root. At each node it

1. follows the literal child named by the segment, if there is one;
2. then, if that branch found nothing, tries the pattern children in order,
   going down every one whose regex matches the whole segment (a ``path``
   pattern matches the rest of the path instead) and remembering the text it
   captured;
3. at the end of the path, takes the node's first rule whose converters accept
   the captured text (``to_python``) and whose methods include the request's.

It is a depth-first search: when a branch ends without a rule, the walk backs
up and tries the next candidate. Rules without variables do not even need the
walk: a dict from exact path to rules answers ``/users/me`` in one lookup.

Why a tree, rather than Bottle's combined regexes or Falcon's generated code:
the work of one match is a dict lookup plus a few regex tests *per segment of
the path*, however many rules there are. 5,000 rules under 5,000 different
first segments cost one dict lookup to get past. Combined regexes still try
their alternatives one after another (fast, but in proportion to the rules),
and generated code is fast but hard to read. The tree is also the shape of
the precedence rules below, so the order falls out of the structure instead of
being a sort key to get right.

Precedence
----------
A match is decided segment by segment from the left. In each segment:

1. literal text beats any variable: ``/users/me`` over ``/users/<name>``;
2. among patterns, the one with more literal pieces first (``<name>.txt``
   before ``<name>``), then longer literal pieces, then more variables, then
   the lighter converter: ``int``/``float`` (50) before ``string``/``any``/
   ``uuid`` (100) before ``path`` (200);
3. patterns of equal weight: the one registered first.

So with the rules above, whatever the order they were added in::

    /users/me   -> /users/me          (literal beats variable)
    /users/42   -> /users/<int:id>    (int beats string)
    /users/bob  -> /users/<name>      (int's regex does not match "bob")

These are Werkzeug's weights, so Flask picks the same rule. The search also
backs up past a branch that fails later: with ``/<int:year>/feed`` and
``/<name>/about``, the path ``/2024/about`` first tries the ``int`` branch,
finds no ``about`` under it, and ends at ``/<name>/about`` with
``name="2024"``. Unlike Werkzeug, a converter that refuses a value with
``ValidationError`` also lets the search go on to the next rule (Werkzeug
answers 404).

Methods, slashes and redirects
------------------------------
- A rule whose path matches but whose methods do not is remembered. If no rule
  matches at all, the answer is 405 with ``Allow`` listing the methods of all
  those rules; if none matched the path either, 404.
- Trailing slash, as in Flask: a rule ``/docs/`` requested as ``/docs`` raises
  ``RequestRedirect`` (308) to ``/docs/``; a rule ``/docs`` requested as
  ``/docs/`` is 404; ``strict_slashes=False`` accepts both spellings.
- Repeated slashes: when ``/a///b`` matches nothing as it is, but ``/a/b``
  does, the answer is a redirect to ``/a/b``.
- One address per page: with ``/<category>`` (``defaults={"page": 1}``) and
  ``/<category>/page/<int:page>`` on one endpoint, ``/a/page/1`` is
  redirected to ``/a``, the URL ``build`` gives for those values
  (Werkzeug's ``redirect_defaults``). Which rules a match may be redirected
  to is worked out when rules are added (``rule.redirect_defaults``), so a
  match pays one attribute test for it.

Hosts
-----
A rule may also name the host it answers for: a ``subdomain`` (``"api"``,
``"<user>"``), or with ``host_matching`` a whole ``host``. That *host part*
is the first level of the tree, above the path: ``match(path, method,
domain)`` starts with ``domain`` as if it were one more segment, so literal
hosts beat variables exactly as literal segments do. Rules without a host
part hang under the default one, where ``match(path, method)`` starts: an
app that never uses hosts walks the same tree as before, no deeper.

Building URLs
-------------
``build(endpoint, values)`` goes the other way: of the endpoint's rules
(those taking more values first, counting defaults, then those with more
defaults, as in Werkzeug, then in registration order; rules accepting
``GET`` preferred when no method is given) it takes the first that the
values can fill, runs each value through its converter's ``to_url``, and
puts values the rule does not use into the query string. ``build_for``
also returns the rule, whose ``build_domain`` gives its host part.

The idea to take away: matching is a walk down a tree of segments, and the
order in which a node offers its children *is* the precedence of the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

from ..exceptions import MethodNotAllowed, NotFound
from .converters import DEFAULT_CONVERTERS, BaseConverter
from .encoding import encode_query, quote_matched_path
from .errors import BuildError, RequestRedirect, ValidationError
from .factories import RuleFactory
from .rules import Rule, RulePart

_REPEATED_SLASHES = re.compile("/{2,}")

#: What ``match`` returns: the rule and the arguments for its view.
Match = tuple[Rule, dict[str, Any]]


class _Node:
    """A point in the tree: literal children, pattern children, rules ending here."""

    __slots__ = ("dynamic", "rules", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.dynamic: list[_Edge] = []  # sorted by weight, ties in registration order
        self.rules: list[Rule] = []


class _Edge:
    """A pattern child: the compiled ``RulePart`` and the node it leads to."""

    __slots__ = ("final", "fullmatch", "groups", "part", "single", "suffixed", "target")

    def __init__(self, part: RulePart) -> None:
        self.part = part
        self.fullmatch = re.compile(part.text).fullmatch
        self.final = part.final
        self.suffixed = part.suffixed
        self.single = part.single
        self.groups = tuple(f"_{number}" for number in range(part.group_count))
        self.target = _Node()


class _SlashRequired(Exception):
    """Raised during the walk: the path would match once a slash is appended."""


class Router:
    """All the rules of an application, matched by path and built by endpoint.

    ``host_matching=True`` makes rules match on their ``host`` (a whole host
    name) instead of their ``subdomain``; ``default_subdomain`` is the
    subdomain of rules that give none; ``strict_slashes`` the default of
    rules that do not say. ``rules`` (rules or rule factories) are added
    straight away. These are the arguments of Werkzeug's ``Map``.
    """

    def __init__(
        self,
        rules: Iterable[RuleFactory] | None = None,
        *,
        host_matching: bool = False,
        default_subdomain: str = "",
        strict_slashes: bool = True,
        converters: Mapping[str, type[BaseConverter]] | None = None,
    ) -> None:
        #: Converter name -> class. Add your own before registering rules that use it.
        self.converters: dict[str, type[BaseConverter]] = dict(DEFAULT_CONVERTERS)
        if converters:
            self.converters.update(converters)
        self.host_matching = host_matching
        self._default_subdomain = default_subdomain
        self.strict_slashes = strict_slashes
        #: Every rule, in registration order.
        self.rules: list[Rule] = []
        self._static: dict[str, list[Rule]] = {}
        self._walk_only: set[str] = set()  # static paths the shortcut must leave to the walk
        # The tree: its first level is the host part (subdomain, or host with
        # host_matching); the path tree of rules without one (the default
        # subdomain) is _root, where a match starts when no host part is given.
        self._default_domain = "" if host_matching else default_subdomain
        self._domains = _Node()
        self._root = self._domains.static[self._default_domain] = _Node()
        self._by_endpoint: dict[str, list[Rule]] = {}
        for rule in rules or ():
            self.add(rule)

    @property
    def default_subdomain(self) -> str:
        """The subdomain of rules that name none (``""``: the bare ``SERVER_NAME``).

        Set when the router is made, ``Router(default_subdomain="www")``:
        rules already added keep the one they were added with.
        """
        return self._default_subdomain

    # -- registering -------------------------------------------------------

    @overload
    def add(
        self,
        rule: str | Rule,
        endpoint: str | None = None,
        methods: Iterable[str] | None = None,
        **options: Any,
    ) -> Rule: ...

    @overload
    def add(self, rule: RuleFactory) -> None: ...

    def add(
        self,
        rule: str | RuleFactory,
        endpoint: str | None = None,
        methods: Iterable[str] | None = None,
        **options: Any,
    ) -> Rule | None:
        """Add a rule and return it; a malformed rule raises ``ValueError`` here.

        ``rule`` is a rule string with its ``endpoint`` (``methods`` and the
        keyword arguments of ``Rule``: ``defaults``, ``subdomain``, ``host``,
        ``strict_slashes``, ``build_only``, ``provide_automatic_options``),
        or, as in Werkzeug's ``Map.add``, a ``Rule`` or a rule factory such as
        ``Submount`` (then nothing else may be given, and a factory returns
        ``None``).
        """
        if not isinstance(rule, str):
            if endpoint is not None or methods is not None or options:
                raise TypeError(
                    f"add({rule!r}) takes a Rule or a rule factory alone; give the endpoint, "
                    "methods and options to the Rule itself."
                )
            added = None
            for each in rule.get_rules(self):
                if not isinstance(each, Rule):
                    each = self._from_werkzeug_rule(each)
                self._add_rule(each)
                added = each
            return added if isinstance(rule, Rule) else None
        if endpoint is None:
            raise TypeError(f"add({rule!r}) needs an endpoint: the name url_for builds it by.")
        new = Rule(rule, endpoint, methods, converters=self.converters, **options)
        self._add_rule(new)
        return new

    def _from_werkzeug_rule(self, rule: Any) -> Rule:
        """The rule here for a ``werkzeug.routing.Rule`` (given alone, or produced by
        Werkzeug's ``Submount``, ``Subdomain`` or ``EndpointPrefix``), so that
        ``app.url_map.add(Rule("/foo", endpoint="bar"))`` ports from Flask with its
        imports. Werkzeug's ``redirect_to``, ``alias`` and ``websocket`` have no
        counterpart here and are refused; a rule without ``methods`` answers
        ``GET`` (with ``HEAD`` and ``OPTIONS``), as one made here does.
        """
        unsupported = [
            name
            for name in ("redirect_to", "alias", "websocket")
            if getattr(rule, name, None) not in (None, False)
        ]
        if unsupported or not isinstance(getattr(rule, "rule", None), str):
            raise TypeError(
                f"{type(rule).__name__}({getattr(rule, 'rule', rule)!r}) cannot be added: "
                f"{', '.join(unsupported) or 'it'} has no counterpart here. Add a rule "
                "string, a microwsgi Rule or a rule factory."
            )
        return Rule(
            rule.rule,
            rule.endpoint,
            sorted(rule.methods) if rule.methods else None,
            converters=self.converters,
            defaults=rule.defaults,
            subdomain=rule.subdomain or None,
            host=rule.host,
            strict_slashes=rule.strict_slashes,
            build_only=rule.build_only,
        )

    def _add_rule(self, rule: Rule) -> None:
        if rule.endpoint is None:
            raise ValueError(f"The rule {rule.rule!r} has no endpoint; give it endpoint='...'.")
        rule.bind(self)
        self.rules.append(rule)
        if not rule.build_only:
            node = self._domains
            for part in (rule.domain_part, *rule.parts):
                if part.static:
                    node = node.static.setdefault(part.text, _Node())
                else:
                    node = _pattern_child(node, part)
            node.rules.append(rule)
            path = rule.static_path
            default_domain = rule.domain == self._default_domain
            if path is not None and default_domain and path not in self._walk_only:
                self._static.setdefault(path, []).append(rule)
        for_endpoint = self._by_endpoint.setdefault(rule.endpoint, [])
        for_endpoint.append(rule)
        for_endpoint.sort(key=_build_order)
        if len(for_endpoint) > 1:
            self._find_default_redirects(for_endpoint)

    def _find_default_redirects(self, rules: list[Rule]) -> None:
        """Give each rule of one endpoint the rules its matches are redirected to.

        With ``/<category>`` (``defaults={"page": 1}``) and
        ``/<category>/page/<int:page>``, both take ``category`` and ``page``,
        and the first, sorted earlier for building, spells ``page=1`` shorter:
        a request for ``/a/page/1`` is redirected to ``/a``, so each page has
        one address (Werkzeug's ``redirect_defaults``). A static path that may
        redirect leaves the lookup shortcut, which does not check.
        """
        for index, rule in enumerate(rules):
            rule.redirect_defaults = tuple(
                earlier
                for earlier in rules[:index]
                if earlier.defaults
                and not earlier.build_only
                and earlier.arguments == rule.arguments
                and earlier.domain == rule.domain
            )
            path = rule.static_path
            if rule.redirect_defaults and path is not None:
                self._walk_only.add(path)
                self._static.pop(path, None)

    # -- reading -----------------------------------------------------------

    def iter_rules(self, endpoint: str | None = None) -> Iterator[Rule]:
        """Every rule in registration order, or those of ``endpoint`` (Werkzeug's name).

        ``for rule in app.url_map.iter_rules(): print(rule.endpoint, rule.rule)``.
        Raises ``KeyError`` for an endpoint without rules, as Werkzeug does.
        """
        if endpoint is None:
            return iter(self.rules)
        if endpoint not in self._by_endpoint:
            raise KeyError(endpoint)
        return iter([rule for rule in self.rules if rule.endpoint == endpoint])

    def is_endpoint_expecting(self, endpoint: str, *arguments: str) -> bool:
        """Whether some rule of ``endpoint`` takes all of ``arguments`` (variables or defaults).

        ``url_defaults`` functions use it to add a value only where it fits.
        Raises ``KeyError`` for an endpoint without rules, as Werkzeug does.
        """
        wanted = set(arguments)
        return any(wanted <= rule.arguments for rule in self._by_endpoint[endpoint])

    # -- matching ----------------------------------------------------------

    def match(self, path: str, method: str, domain: str | None = None) -> Match:
        """The rule for ``path`` and ``method``, and the arguments for its view.

        ``path`` is percent-decoded except for ``%2F`` and ``%25`` (see
        ``encoding.py``), so every ``/`` in it separates segments. ``domain``
        is the request's subdomain (or, with ``host_matching``, its host, in
        lower case); ``None`` matches the rules without one, as does the
        default subdomain.

        Raises ``NotFound``, ``MethodNotAllowed`` or ``RequestRedirect``.
        """
        if domain is None or domain == self._default_domain:
            for rule in self._static.get(path, ()):
                if method in rule.methods:
                    return rule, dict(rule.defaults)
            root, segments = self._root, path[1:].split("/")
        else:
            root, segments = self._domains, [domain, *path[1:].split("/")]
        allowed: set[str] = set()
        try:  # _search inlined: this is the path of every request with a variable
            found = _walk(root, segments, 0, (), method, allowed)
        except _SlashRequired:
            raise RequestRedirect(quote_matched_path(path + "/")) from None
        if found is not None:
            if found[0].redirect_defaults:
                self._redirect_to_defaults(*found, method)
            return found
        if "//" in path:
            merged = _REPEATED_SLASHES.sub("/", path)
            if self._search(merged, method, allowed, domain) is not None:
                raise RequestRedirect(quote_matched_path(merged))
        if allowed:
            raise MethodNotAllowed(valid_methods=allowed)
        raise NotFound()

    def allowed_methods(self, path: str, domain: str | None = None) -> set[str]:
        """Every method of every rule matching ``path`` (the ``Allow`` of an OPTIONS reply)."""
        allowed: set[str] = set()
        self._search(path, None, allowed, domain)
        return allowed

    def _search(
        self, path: str, method: str | None, allowed: set[str], domain: str | None = None
    ) -> Match | None:
        segments = path[1:].split("/")
        try:
            if domain is None or domain == self._default_domain:
                return _walk(self._root, segments, 0, (), method, allowed)
            return _walk(self._domains, [domain, *segments], 0, (), method, allowed)
        except _SlashRequired:
            raise RequestRedirect(quote_matched_path(path + "/")) from None

    def _redirect_to_defaults(self, rule: Rule, values: dict[str, Any], method: str) -> None:
        for shorter in rule.redirect_defaults:
            if method in shorter.methods and shorter.refusal(values) is None:
                try:
                    path = shorter.build_path({**values, **shorter.defaults})
                except ValidationError:
                    continue
                raise RequestRedirect(path)

    # -- building ----------------------------------------------------------

    def build(
        self, endpoint: str, values: Mapping[str, Any] | None = None, method: str | None = None
    ) -> str:
        """The path (and query string) that reaches ``endpoint`` with ``values``.

        ``None`` values are ignored. Raises ``BuildError`` saying why each rule
        of the endpoint was refused, or which endpoints have a similar name.
        """
        return self.build_for(endpoint, values, method)[1]

    def build_for(
        self, endpoint: str, values: Mapping[str, Any] | None = None, method: str | None = None
    ) -> tuple[Rule, str]:
        """Like ``build``, and also the rule that was built (for its host part)."""
        given = {key: value for key, value in (values or {}).items() if value is not None}
        method = method.upper() if method else None
        rules = self._by_endpoint.get(endpoint)
        if not rules:
            import difflib  # only error messages need it

            close = difflib.get_close_matches(str(endpoint), map(str, self._by_endpoint))
            reason = "no rule has this endpoint; register one with @app.route or add_url_rule"
            suggested = self._by_endpoint[close[0]][0] if close else None
            raise BuildError(endpoint, given, method, [reason], close, suggested)
        reasons: list[str] = []
        for wanted in (method,) if method else ("GET", None):
            for rule in rules:
                if wanted is not None and wanted not in rule.methods:
                    if method:
                        accepted = ", ".join(sorted(rule.methods))
                        reasons.append(f"rule {rule.rule!r} accepts {accepted}, not {method}")
                    continue
                refusal = rule.refusal(given)
                if refusal is None:
                    try:
                        path = rule.build_path(given)
                    except ValidationError as error:
                        refusal = str(error)
                if refusal is not None:
                    reasons.append(refusal)
                    continue
                query = encode_query((k, v) for k, v in given.items() if k not in rule.arguments)
                return rule, f"{path}?{query}" if query else path
        raise BuildError(endpoint, given, method, dict.fromkeys(reasons), suggested=rules[0])

    # -- showing -----------------------------------------------------------

    def describe(self) -> str:
        """The matching tree as indented text, one branch per line.

        Rules with a host part (a subdomain, or a host with ``host_matching``)
        are shown under it, after the rules without one.
        """
        lines: list[str] = []
        _describe(self._root, 0, lines)
        for text, child in self._domains.static.items():
            if child is not self._root:
                lines.append(f"host part {text!r}:")
                _describe(child, 1, lines)
        for edge in self._domains.dynamic:
            lines.append(f"host part {edge.part.label}:")
            _describe(edge.target, 1, lines)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Router with {len(self.rules)} rules>"


def _pattern_child(node: _Node, part: RulePart) -> _Node:
    """The node under ``node`` reached by ``part``; rules with equal parts share it."""
    for edge in node.dynamic:
        if edge.part == part:
            return edge.target
    edge = _Edge(part)
    node.dynamic.append(edge)
    node.dynamic.sort(key=lambda edge: edge.part.weight)  # stable: ties keep registration order
    return edge.target


def _walk(
    node: _Node,
    segments: list[str],
    index: int,
    captured: tuple[str, ...],
    method: str | None,
    allowed: set[str],
) -> Match | None:
    """Match ``segments[index:]`` below ``node``; ``captured`` holds the values so far.

    Returns the first match in precedence order, or ``None`` after recording in
    ``allowed`` the methods of rules that matched the path but not ``method``.
    """
    if index == len(segments):
        return _at_end_of_path(node, captured, method, allowed)
    segment = segments[index]
    child = node.static.get(segment)
    if child is not None:
        found = _walk(child, segments, index + 1, captured, method, allowed)
        if found is not None:
            return found
    for edge in node.dynamic:
        if edge.final:
            found = _walk_rest_of_path(edge, segments, index, captured, method, allowed)
        else:
            matched = edge.fullmatch(segment)
            if matched is None:
                continue
            values = (segment,) if edge.single else _groups(matched, edge.groups)
            found = _walk(edge.target, segments, index + 1, captured + values, method, allowed)
        if found is not None:
            return found
    if segment == "" and index == len(segments) - 1:
        # "/docs/" requested: a rule "/docs" with strict_slashes=False accepts it.
        return _first_match(node.rules, captured, method, allowed, loose_only=True)
    return None


def _walk_rest_of_path(
    edge: _Edge,
    segments: list[str],
    index: int,
    captured: tuple[str, ...],
    method: str | None,
    allowed: set[str],
) -> Match | None:
    """Follow a pattern holding a ``path`` variable: it matches all remaining segments.

    When the rule ends in a slash (``/files/<path:name>/``) the path's own
    trailing slash is left out of the pattern and matched as the empty last
    segment, so the usual slash redirect applies.
    """
    end = len(segments)
    if edge.suffixed and end - index > 1 and segments[-1] == "":
        end -= 1
    text = "/".join(segments[index:end])
    if edge.suffixed and text.endswith("/"):
        return None  # "/files/a//": the value may not end in a slash (merged, it redirects)
    matched = edge.fullmatch(text)
    if matched is None:
        return None
    values = _groups(matched, edge.groups)
    return _walk(edge.target, segments, end, captured + values, method, allowed)


def _at_end_of_path(
    node: _Node, captured: tuple[str, ...], method: str | None, allowed: set[str]
) -> Match | None:
    found = _first_match(node.rules, captured, method, allowed)
    if found is not None:
        return found
    with_slash = node.static.get("")
    if with_slash is not None:
        for rule in with_slash.rules:
            if method in rule.methods:
                values = rule.convert(captured)
                if values is not None:
                    if rule.strict_slashes:
                        raise _SlashRequired
                    return rule, values
    return None


def _first_match(
    rules: list[Rule],
    captured: tuple[str, ...],
    method: str | None,
    allowed: set[str],
    loose_only: bool = False,
) -> Match | None:
    for rule in rules:
        if loose_only and rule.strict_slashes:
            continue
        values = rule.convert(captured)
        if values is None:
            continue
        if method in rule.methods:
            return rule, values
        allowed.update(rule.methods)
    return None


def _groups(matched: re.Match[str], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(matched.group(name) for name in names)


def _build_order(rule: Rule) -> tuple[int, int]:
    """Werkzeug's order for building: rules using more of the values first, then more defaults."""
    return -len(rule.arguments), -len(rule.defaults)


def _describe(node: _Node, depth: int, lines: list[str]) -> None:
    indent = "    " * depth
    for text, child in node.static.items():
        lines.append(f'{indent}"{text}"' + _rules_text(child))
        _describe(child, depth + 1, lines)
    for edge in node.dynamic:
        lines.append(f"{indent}{edge.part.label}" + _rules_text(edge.target))
        _describe(edge.target, depth + 1, lines)


def _rules_text(node: _Node) -> str:
    return "".join(f" -> {rule.rule}" for rule in node.rules)
