"""Rules: from the string ``"/post/<int:post_id>"`` to something a router can walk.

Werkzeug counterpart: ``werkzeug.routing.rules`` (``Rule``, ``RulePart``,
``parse_converter_args``).

A rule string is cut at its slashes into segments. A segment is literal text
(``post``), one variable (``<int:post_id>``), or a mix (``<name>.txt``).
``parse_rule`` does that cutting and nothing else; ``Rule`` then looks up each
variable's converter and prepares the rule twice, once per direction:

- ``rule.parts`` for matching: one ``RulePart`` per segment, either literal text
  (looked up in a dict) or a regular expression with one named group per
  variable. A ``path`` variable makes its segment *final*: that part swallows
  everything up to the end of the path, slashes included.
- a build template for ``url_for``: literal text already percent-encoded, with
  holes for the variables' ``to_url``.

A rule's host part (its ``subdomain``, or its ``host`` on a router with
``host_matching``) is prepared the same way, as one more part in front of the
path (``rule.domain_part``) and a template of its own (``build_domain``).
Which one counts is the router's setting, so a rule is prepared again when it
is added to a router (``bind``).

Each dynamic part also gets a *weight*, the key the router sorts by when parts
compete for the same segment (see ``router.py`` for the order it produces).

All of this happens once, at registration, and every mistake in the rule is a
``ValueError`` raised right there, with the rule printed and a caret under
the problem:

    Malformed URL rule: '<' at position 6 is never closed by '>'.
        /user/<int:id
              ^
    Write a variable as <name>, <converter:name> or <converter(arguments):name>.

The idea to take away: do the expensive and error-prone work when the rule is
registered, so that a request only ever follows what was prepared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from .converters import DEFAULT_CONVERTERS, BaseConverter
from .encoding import literal_as_matched, quote_segment, unescape_value
from .errors import ValidationError

_VARIABLE_HELP = "Write a variable as <name>, <converter:name> or <converter(arguments):name>."
_VARIABLE = re.compile(
    r"(?:(?P<converter>[^\W\d]\w*)(?:\((?P<arguments>.*)\))?:)?(?P<name>[^\W\d]\w*)", re.DOTALL
)
_ARGUMENT = re.compile(
    r"""\s*
    (?:(?P<keyword>[^\W\d]\w*)\s*=\s*)?        # optional "name="
    (?P<value>"[^"]*"|'[^']*'|[^\s,="']+)      # a quoted string or one bare word
    \s*(?:,|$)""",
    re.VERBOSE,
)
_CONSTANTS: dict[str, Any] = {"True": True, "False": False, "None": None}
_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")


class Variable(NamedTuple):
    """``<converter(arguments):name>`` as written in the rule."""

    converter: str  # "default" when the rule names none
    arguments: str  # the text between the parentheses, "" when there are none
    name: str
    position: int  # index of the "<" in the rule string, for error messages


class RulePart:
    """One step of a rule for the router: a literal segment, or a pattern.

    Two rules that share a step share a branch of the router's tree, so two
    parts compare equal when they match the same text in the same way (the
    ``label`` shown by ``describe()`` does not count).
    """

    __slots__ = ("final", "group_count", "label", "single", "static", "suffixed", "text", "weight")

    def __init__(
        self,
        static: bool,
        text: str,
        weight: tuple[Any, ...],
        final: bool = False,
        suffixed: bool = False,
        single: bool = False,
        group_count: int = 0,
        label: str = "",
    ) -> None:
        self.static = static  # literal text only: the router finds it with a dict lookup
        self.text = text  # static: the segment as it appears in a path; dynamic: a regex
        self.weight = weight  # precedence among dynamic parts: lower is tried first
        self.final = final  # a path variable: matches the rest of the path, slashes included
        self.suffixed = suffixed  # final part of a rule ending in "/"; that slash is matched apart
        self.single = single  # one whole-segment variable: its value is the segment itself
        self.group_count = group_count  # number of variables, captured as groups "_0", "_1"...
        self.label = label  # "<int>", "<string>.txt": for describe()

    def _key(self) -> tuple[Any, ...]:
        return (
            self.static, self.text, self.weight, self.final,
            self.suffixed, self.single, self.group_count,
        )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RulePart) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        kind = "static" if self.static else "pattern"
        return f"RulePart({kind} {self.text!r}, label={self.label!r})"


def parse_rule(rule: str) -> list[list[str | Variable]]:
    """Cut ``rule`` into segments of literal text and ``Variable`` pieces.

    ``"/file/<name>.txt"`` gives ``[["file"], [Variable(name), ".txt"]]``; a
    trailing slash gives a last, empty segment. Raises ``ValueError`` for a
    malformed rule.
    """
    if not isinstance(rule, str) or not rule.startswith("/"):
        raise ValueError(
            f"URL rule {rule!r} must be a string starting with '/', "
            f"for example {'/' + str(rule).lstrip('/')!r}."
        )
    segments: list[list[str | Variable]] = [[]]
    text: list[str] = []
    position = 1
    while position < len(rule):
        char = rule[position]
        if char == "/" or char == "<":
            if text:
                segments[-1].append("".join(text))
                text = []
            if char == "/":
                segments.append([])
                position += 1
            else:
                variable, position = _parse_variable(rule, position)
                segments[-1].append(variable)
        elif char == ">":
            raise _rule_error(rule, position, "'>' has no opening '<'", _VARIABLE_HELP)
        else:
            text.append(char)
            position += 1
    if text:
        segments[-1].append("".join(text))
    # Repeated slashes count as one ("/a//b" is "/a/b"), as in Werkzeug: a rule
    # joined from a prefix and a path ("/api/" + "/users") still means one thing.
    last = len(segments) - 1
    return [segment for index, segment in enumerate(segments) if segment or index == last]


def _parse_variable(rule: str, start: int) -> tuple[Variable, int]:
    """Read the variable whose ``<`` is at ``start``; return it and the position after ``>``."""
    end = _find_closing_bracket(rule, start)
    inner = rule[start + 1 : end]
    found = _VARIABLE.fullmatch(inner)
    if found is None:
        problem = "'<>' names no variable" if not inner else f"'<{inner}>' is not a valid variable"
        raise _rule_error(rule, start, problem, _VARIABLE_HELP + " Names are Python identifiers.")
    variable = Variable(
        converter=found["converter"] or "default",
        arguments=found["arguments"] or "",
        name=found["name"],
        position=start,
    )
    return variable, end + 1


def _find_closing_bracket(rule: str, start: int) -> int:
    quote = ""
    for position in range(start + 1, len(rule)):
        char = rule[position]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return position
        elif char in "</":
            break
    raise _rule_error(
        rule, start, f"'<' at position {start} is never closed by '>'", _VARIABLE_HELP
    )


def _rule_error(rule: str, position: int, problem: str, fix: str) -> ValueError:
    pointer = " " * position + "^"
    return ValueError(f"Malformed URL rule: {problem}.\n    {rule}\n    {pointer}\n{fix}")


def parse_converter_args(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Parse converter arguments: ``"2, 'a b', signed=True"`` -> ``((2, 'a b'), {'signed': True})``.

    A value is a quoted string (taken as is), ``True``/``False``/``None``, an
    integer (``-3``), a decimal (``1.5``), or else a bare word kept as a
    string (``any(news, blog)``).
    Nothing is evaluated, so a rule cannot run code.
    """
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    position = 0
    while text[position:].strip():
        found = _ARGUMENT.match(text, position)
        if found is None:
            raise ValueError(f"cannot read converter arguments {text!r} from {text[position:]!r}")
        value = _literal(found["value"])
        if found["keyword"]:
            kwargs[found["keyword"]] = value
        elif kwargs:
            raise ValueError(f"positional argument {value!r} follows a keyword argument")
        else:
            args.append(value)
        position = found.end()
    return tuple(args), kwargs


def _literal(word: str) -> Any:
    if word[0] in "\"'":
        return word[1:-1]
    if word in _CONSTANTS:
        return _CONSTANTS[word]
    if _INTEGER.fullmatch(word):
        return int(word)
    if _DECIMAL.fullmatch(word):
        return float(word)
    return word  # "news", but also "1e5" or "nan": plain words, not numbers


class Rule:
    """A URL rule bound to an endpoint: what ``@app.route`` registers.

    ``methods`` is case-insensitive and defaults to ``GET``; ``GET`` brings
    ``HEAD`` along; ``OPTIONS`` is added (and answered by the application)
    unless it is given explicitly or ``provide_automatic_options`` is False.
    ``defaults`` are extra values given to the view, and let ``url_for``
    build this rule without them. ``subdomain`` (``"api"``, ``"<user>"``) or,
    on a router with ``host_matching``, ``host`` (``"<name>.example.test"``)
    is the part of the host the rule answers for. A ``build_only`` rule is
    never matched, only built (a link to another site, say).

    A rule is usable on its own (``Rule("/post/<int:id>", "post")``, with the
    default converters), and is *bound* when added to a router: it is then
    prepared again with that router's converters and host settings. As in
    Werkzeug, a rule belongs to one router only.
    """

    def __init__(
        self,
        rule: str,
        endpoint: str | None = None,
        methods: Iterable[str] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
        subdomain: str | None = None,
        host: str | None = None,
        strict_slashes: bool | None = None,
        build_only: bool = False,
        provide_automatic_options: bool | None = None,
        converters: Mapping[str, type[BaseConverter]] | None = None,
    ) -> None:
        self.rule = rule
        self.endpoint: str = endpoint  # type: ignore[assignment]  # a factory may set it later
        self.methods, self.provide_automatic_options = _resolve_methods(
            methods, provide_automatic_options
        )
        self.defaults: dict[str, Any] = dict(defaults or {})
        self.subdomain = subdomain
        self.host = host
        self._strict_slashes = strict_slashes
        self.strict_slashes = True if strict_slashes is None else strict_slashes
        self.build_only = build_only
        #: The router this rule was added to (``None`` until then).
        self.map: Any = None
        #: The host part matched before the path: the subdomain, or the host
        #: with ``host_matching`` (``""``: the rule answers on the bare name).
        self.domain = subdomain or ""
        #: Rules of the same endpoint the router redirects a match of this one
        #: to, because their defaults spell the same values shorter (``router.py``).
        self.redirect_defaults: tuple[Rule, ...] = ()

        self._segments = parse_rule(rule)
        self._compiled_with: Any = None
        if converters is None and not self._uses_only(DEFAULT_CONVERTERS):
            # A converter registered on the router later: prepared when bound.
            self.converters: dict[str, BaseConverter] = {}
            self.arguments: set[str] = set(self.defaults)
            return
        self._compile(DEFAULT_CONVERTERS if converters is None else converters)

    def _uses_only(self, available: Mapping[str, Any]) -> bool:
        return all(
            piece.converter in available
            for segment in self._segments
            for piece in segment
            if isinstance(piece, Variable)
        )

    def bind(self, router: Any) -> None:
        """Prepare the rule for ``router`` (``Router.add`` calls this).

        Takes the router's converters, its ``host_matching`` (whether
        ``host`` or ``subdomain`` is matched), ``default_subdomain`` and
        ``strict_slashes``. Raises ``RuntimeError`` if the rule already
        belongs to another router: copy it with ``rule.empty()``.
        """
        if self.map is not None and self.map is not router:
            raise RuntimeError(
                f"The rule {self.rule!r} already belongs to another router; add a copy "
                "made with rule.empty() instead."
            )
        self.map = router
        if self._strict_slashes is None:
            self.strict_slashes = router.strict_slashes
        if router.host_matching:
            self.domain = self.host or ""
        else:
            self.domain = self.subdomain if self.subdomain is not None else router.default_subdomain
        self._compile(router.converters)

    def _compile(self, available: Mapping[str, type[BaseConverter]]) -> None:
        """Look up the converters and prepare the parts, for matching and for building."""
        if self._compiled_with == (available, self.domain):
            return
        domain_segments = _parse_domain(self.domain, self.rule) if self.domain else []
        self.converters = {}
        for segment in [*domain_segments, *self._segments]:
            for piece in segment:
                if isinstance(piece, Variable):
                    self.converters[piece.name] = self._make_converter(piece, available)
        #: Every value the rule takes: its variables and its defaults (as in Werkzeug).
        self.arguments = set(self.converters).union(self.defaults)
        # (name, converter) in the order the values are captured: host first, then path.
        self._variables = tuple(self.converters.items())

        #: The part matched against the request's domain (static ``""`` for none).
        self.domain_part = RulePart(static=True, text="", weight=())
        self._domain_template: tuple[str | tuple[str, BaseConverter], ...] = ()
        if domain_segments:
            self.domain_part = self._make_domain_part(domain_segments[0])
            self._domain_template = _build_template(domain_segments, self.converters)[1:]
        self.parts: tuple[RulePart, ...] = tuple(self._make_parts(self._segments))
        #: For a rule without variables, the exact path it matches; else ``None``.
        self.static_path: str | None = None
        if not self.converters:
            self.static_path = "/" + "/".join(part.text for part in self.parts)
        self._template = _build_template(self._segments, self.converters)
        self._compiled_with = (available, self.domain)

    def _make_domain_part(self, segment: list[str | Variable]) -> RulePart:
        if any(self._spans_slashes(piece) for piece in segment):
            raise ValueError(
                f"The rule {self.rule!r} has a host part {self.domain!r} with a variable that "
                "may contain slashes; a host has none, so use a converter such as string."
            )
        if all(isinstance(piece, str) for piece in segment):
            # Hosts are case-insensitive; the router matches the request's in lower case.
            return RulePart(static=True, text="".join(map(str, segment)).lower(), weight=())
        return self._dynamic_part([segment], suffixed=False)

    def get_empty_kwargs(self) -> dict[str, Any]:
        """The arguments, besides the rule string, that make a copy of this rule."""
        return {
            "endpoint": self.endpoint,
            "methods": self.methods,
            "defaults": self.defaults or None,
            "subdomain": self.subdomain,
            "host": self.host,
            "strict_slashes": self._strict_slashes,
            "build_only": self.build_only,
            "provide_automatic_options": self.provide_automatic_options,
        }

    def empty(self) -> Rule:
        """An unbound copy of this rule, to add to another router (Werkzeug's name)."""
        return type(self)(self.rule, **self.get_empty_kwargs())

    def get_rules(self, router: Any) -> Iterator[Rule]:
        """A rule is a rule factory that gives itself (see ``factories.py``)."""
        yield self

    def _make_converter(
        self, variable: Variable, available: Mapping[str, type[BaseConverter]]
    ) -> BaseConverter:
        if variable.name in self.converters:
            raise _rule_error(
                self.rule,
                variable.position,
                f"the variable {variable.name!r} appears twice",
                "Each variable name may be used once per rule; rename one of them.",
            )
        converter_class = available.get(variable.converter)
        if converter_class is None:
            import difflib  # only error messages need it; keeps `import microwsgi` fast

            close = difflib.get_close_matches(variable.converter, available, n=1)
            hint = f"Did you mean {close[0]!r}? " if close else ""
            raise _rule_error(
                self.rule,
                variable.position,
                f"there is no converter named {variable.converter!r}",
                f"{hint}Known converters: {', '.join(sorted(available))}. Register your own "
                f"with app.url_map.converters[{variable.converter!r}] = YourConverter.",
            )
        try:
            args, kwargs = parse_converter_args(variable.arguments)
            # Werkzeug's convention: a converter gets the router first, then the rule's arguments.
            return converter_class(self.map, *args, **kwargs)
        except (TypeError, ValueError) as error:
            raise _rule_error(
                self.rule,
                variable.position,
                f"bad arguments for the {variable.converter!r} converter: {error}",
                f"It takes {converter_class.__name__}{_signature(converter_class)}.",
            ) from None

    def _make_parts(self, segments: list[list[str | Variable]]) -> list[RulePart]:
        parts: list[RulePart] = []
        for index, segment in enumerate(segments):
            if any(self._spans_slashes(piece) for piece in segment):
                rest = segments[index:]
                suffixed = len(rest) > 1 and not rest[-1]
                parts.append(self._dynamic_part(rest[:-1] if suffixed else rest, suffixed))
                if suffixed:
                    parts.append(RulePart(static=True, text="", weight=()))
                break
            literal = [piece for piece in segment if isinstance(piece, str)]
            if len(literal) == len(segment):  # no variable in this segment
                text = literal_as_matched(literal[0]) if literal else ""
                parts.append(RulePart(static=True, text=text, weight=()))
            else:
                parts.append(self._dynamic_part([segment], suffixed=False))
        return parts

    def _spans_slashes(self, piece: str | Variable) -> bool:
        return isinstance(piece, Variable) and not self.converters[piece.name].part_isolating

    def _dynamic_part(self, segments: list[list[str | Variable]], suffixed: bool) -> RulePart:
        """A regex for one segment, or for several when a path variable is among them.

        The weight follows Werkzeug's: more literal pieces first, then longer
        literal pieces, then more variables, then lighter converters.
        """
        regex: list[str] = []
        label: list[str] = []
        literal_weights: list[tuple[int, int]] = []
        converter_weights: list[int] = []
        for number, segment in enumerate(segments):
            if number:
                regex.append("/")
                label.append("/")
            for piece in segment:
                if isinstance(piece, str):
                    literal_weights.append((len(literal_weights), -len(piece)))
                    regex.append(re.escape(literal_as_matched(piece)))
                    label.append(piece)
                else:
                    converter = self.converters[piece.name]
                    arguments = f"({piece.arguments})" if piece.arguments else ""
                    label.append(f"<{piece.converter}{arguments}>")
                    regex.append(f"(?P<_{len(converter_weights)}>{converter.regex})")
                    converter_weights.append(converter.weight)
        weight = (
            -len(literal_weights),
            tuple(literal_weights),
            -len(converter_weights),
            tuple(converter_weights),
        )
        final = len(segments) > 1 or any(self._spans_slashes(piece) for piece in segments[0])
        return RulePart(
            static=False,
            text="".join(regex),
            weight=weight,
            final=final,
            suffixed=suffixed,
            single=not final and len(segments[0]) == 1,
            group_count=len(converter_weights),
            label="".join(label),
        )

    def convert(self, captured: tuple[str, ...]) -> dict[str, Any] | None:
        """The view arguments for the raw values captured from a path.

        Each value goes through its converter's ``to_python``; ``None`` means a
        converter refused (raised ``ValueError``, ``ValidationError`` included),
        so this rule does not match. The rule's defaults are added.
        """
        values: dict[str, Any] = {}
        try:
            # Same length by construction: one captured text per variable, in order.
            for (name, converter), raw in zip(self._variables, captured):  # noqa: B905
                if "%" in raw:
                    raw = unescape_value(raw)
                values[name] = converter.to_python(raw)
        except ValueError:
            return None
        if self.defaults:
            values.update(self.defaults)
        return values

    def refusal(self, values: Mapping[str, Any]) -> str | None:
        """Why ``values`` cannot build this rule, or ``None`` if they can."""
        missing = sorted(name for name in self.arguments if name not in values)
        missing = [name for name in missing if name not in self.defaults]
        if missing:
            return f"rule {self.rule!r} needs {_and_list(missing)}"
        for name, default in self.defaults.items():
            if name in values and values[name] != default:
                return (
                    f"rule {self.rule!r} is fixed to {name}={default!r} by its defaults, "
                    f"but {name}={values[name]!r} was given"
                )
        return None

    def build_path(self, values: Mapping[str, Any]) -> str:
        """The percent-encoded path for ``values`` (which ``refusal`` accepted).

        Raises ``ValidationError`` when a converter's ``to_url`` refuses a value.
        """
        return self._fill(self._template, values)

    def build_domain(self, values: Mapping[str, Any]) -> str:
        """The rule's host part for ``values``: ``"api"``, ``"kim"`` for ``"<user>"``, or ``""``."""
        return self._fill(self._domain_template, values) if self._domain_template else self.domain

    def _fill(
        self, template: tuple[str | tuple[str, BaseConverter], ...], values: Mapping[str, Any]
    ) -> str:
        pieces: list[str] = []
        for piece in template:
            if isinstance(piece, str):
                pieces.append(piece)
            else:
                name, converter = piece
                value = self.defaults[name] if name in self.defaults else values[name]
                try:
                    pieces.append(converter.to_url(value))
                except ValidationError as error:
                    raise ValidationError(f"rule {self.rule!r} refuses {name}: {error}") from None
        return "".join(pieces)

    def __str__(self) -> str:
        # Werkzeug's str(rule) is the rule string: apps use str(request.url_rule) as a
        # route's name in logs and metrics.
        return self.rule

    def __repr__(self) -> str:
        methods = ", ".join(sorted(self.methods))
        return f"<Rule {self.rule!r} ({methods}) -> {self.endpoint}>"


def _resolve_methods(
    methods: Iterable[str] | None, provide_automatic_options: bool | None
) -> tuple[frozenset[str], bool]:
    if methods is None:
        methods = ("GET",)
    elif isinstance(methods, str):
        raise TypeError(
            f"methods must be a list of strings such as methods=[{methods!r}], "
            f"not the string {methods!r}."
        )
    names = {method.upper() for method in methods}
    if "GET" in names:
        names.add("HEAD")
    if provide_automatic_options is None:
        provide_automatic_options = "OPTIONS" not in names
    if provide_automatic_options:
        names.add("OPTIONS")
    return frozenset(names), provide_automatic_options


def _build_template(
    segments: list[list[str | Variable]], converters: Mapping[str, BaseConverter]
) -> tuple[str | tuple[str, BaseConverter], ...]:
    """Literal text (percent-encoded, adjacent pieces joined) and ``(name, converter)`` holes."""
    template: list[str | tuple[str, BaseConverter]] = []
    for segment in segments:
        template.append("/")
        for piece in segment:
            if isinstance(piece, str):
                template.append(quote_segment(piece))
            else:
                template.append((piece.name, converters[piece.name]))
    joined: list[str | tuple[str, BaseConverter]] = []
    for item in template:
        if isinstance(item, str) and joined and isinstance(joined[-1], str):
            joined[-1] += item
        else:
            joined.append(item)
    return tuple(joined)


def _parse_domain(domain: str, rule: str) -> list[list[str | Variable]]:
    """Cut a subdomain or host (``"<user>"``, ``"api.<region>"``) like a one-segment rule."""
    if "/" in domain:
        raise ValueError(
            f"The host part {domain!r} of the rule {rule!r} contains '/': give a subdomain "
            "such as 'api' or '<user>', or with host_matching a host such as 'example.com'."
        )
    return parse_rule("/" + domain)


def _signature(converter_class: type[BaseConverter]) -> str:
    try:
        import inspect  # only error messages need it; keeps `import microwsgi` fast

        parameters = list(inspect.signature(converter_class).parameters.values())[1:]  # not map
    except (TypeError, ValueError):  # some callables have no introspectable signature
        return "(...)"
    bare = [str(parameter.replace(annotation=inspect.Parameter.empty)) for parameter in parameters]
    return f"({', '.join(bare)})"


def _and_list(names: list[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
