"""OpenAPI: the app describes its own API, serves the description, and checks requests against it.

Counterpart: none in Flask. Flask-RESTX, Flasgger and flask-smorest each add
this as an extension with their own way of declaring routes; here the
framework does it from the routes it already has.

What OpenAPI is
---------------
An OpenAPI document (https://spec.openapis.org/oas/v3.1.0) is one JSON
object that describes an HTTP API completely enough for a machine: which
paths exist, which methods each accepts, what goes in (path and query
parameters, a body per media type) and what comes back (a response per
status). Tools read it to draw interactive docs (Swagger UI), to generate
clients in other languages, or to test an API. Version 3.1 writes every
schema in standard JSON Schema (see ``schemas.py``).

How a rule becomes a path item
------------------------------
The router already holds almost everything the document says. For the rule::

    @bp.route("/memos/<int:memo_id>", methods=["GET", "DELETE"])
    def memo(memo_id):
        '''Read one memo.

        Only its owner may read it.'''

registered on the blueprint ``memos``, the document gets::

    "/memos/{memo_id}": {
        "get": {
            "operationId": "memos.memo_get",
            "tags": ["memos"],
            "summary": "Read one memo.",
            "description": "Only its owner may read it.",
            "parameters": [{"name": "memo_id", "in": "path", "required": true,
                            "schema": {"type": "integer", "minimum": 0}}]},
        "delete": {...}}

- the path is the rule with each ``<converter:name>`` written ``{name}``;
- each variable is a path parameter, whose schema its converter gives
  (``openapi_schema`` in ``routing/converters.py``);
- each method is an operation; the ``HEAD`` and ``OPTIONS`` the router adds
  by itself are left out;
- the endpoint is the ``operationId`` (with the method when a rule has
  several), the blueprint is the tag, and the view's docstring gives the
  summary (first line) and the description (the rest).

What the code cannot tell (the query parameters, the body, the responses,
who may call it) is declared next to the view with ``@operation(...)``.
Declaring a body or query schema also *checks* requests against it before
the view runs (``validation.py``): the description is the contract, and the
server keeps it.

Serving it
----------
``OpenAPI(app, title=..., version=...)`` serves the document as JSON (at
``/openapi.json`` by default) and a Swagger UI page (at ``/docs``) whose
JavaScript and CSS come from the ``swagger-ui-py`` package and are served by
the app itself: the page works offline, with no CDN. Inside a request the
document's ``servers`` is the mount prefix (``SCRIPT_NAME``), so under
``uwsgi --mount /api=app:app`` the page calls ``/api/...``.

The idea to take away: a description generated from the code cannot drift
away from the code. The routes, converters and docstrings that run are the
ones described, and the schemas shown are the schemas enforced.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import inspect
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar

from .globals import _context_var, _current_request, _request_ctx_or_none
from .routing.rules import Variable, parse_rule
from .schemas import Schema, SchemaRegistry
from .validation import METHODS_WITHOUT_BODY, RequestValidator

if TYPE_CHECKING:
    from .app import App
    from .response import Response
    from .routing import Rule

F = TypeVar("F", bound=Callable[..., Any])
#: ``[{"bearerAuth": []}]``: each item is one way to be allowed (OpenAPI's Security Requirement).
SecurityRequirements = Sequence[Mapping[str, Sequence[str]]]

OPENAPI_VERSION = "3.1.0"
#: The order in which OpenAPI lists the operations of a path item.
METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_VALIDATION_ERROR_SCHEMA = "ValidationError"

__all__ = ["OpenAPI", "Operation", "Schema", "exclude", "operation"]


# -- declaring operations -----------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """What ``@operation(...)`` declared about a view (attached to it as ``openapi_operation``)."""

    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] | None = None
    operation_id: str | None = None
    deprecated: bool = False
    query: Any = None
    #: Media type -> schema, or None when no body is declared.
    bodies: Mapping[str, Any] | None = None
    body_required: bool = True
    responses: Mapping[str, Any] | None = None
    security: tuple[dict[str, list[str]], ...] | None = None
    #: Header and cookie parameters, as OpenAPI Parameter Objects, documented as given.
    parameters: tuple[Mapping[str, Any], ...] = ()

    @property
    def validates(self) -> bool:
        """Whether requests to the view are checked: it declares ``query`` or ``body``."""
        return self.query is not None or self.bodies is not None


def operation(
    *,
    summary: str | None = None,
    description: str | None = None,
    tags: Sequence[str] | None = None,
    operation_id: str | None = None,
    deprecated: bool = False,
    query: Schema | None = None,
    body: Schema | Mapping[str, Schema] | None = None,
    body_media_types: Sequence[str] = ("application/json",),
    responses: Mapping[int | str, Schema | Mapping[str, Any] | None] | None = None,
    security: SecurityRequirements | None = None,
    body_required: bool = True,
    parameters: Sequence[Mapping[str, Any]] = (),
) -> Callable[[F], F]:
    """Declare what the view's code cannot say about it; stack it *under* ``@route``.

    - ``summary``, ``description``, ``tags``, ``operation_id``: replace the
      ones taken from the docstring, the blueprint and the endpoint.
    - ``query``: an object schema whose properties are the query parameters
      (a dict, or a dataclass). The query string is converted and checked.
    - ``body``: the request body's schema, accepted as each of
      ``body_media_types``; or a dict ``{media_type: schema}``. The body is
      checked before the view runs (415 for another media type, 422 for
      invalid content). Methods without a body (GET, HEAD) are not checked.
      ``body_required=False`` lets a request come without any body.
    - ``responses``: status -> schema of a JSON body, or a full OpenAPI
      response object (``{"description": ..., "content": ..., "headers": ...}``),
      or ``None`` for a response without a body (204).
    - ``security``: the requirements of this operation; ``[]`` means public;
      ``None`` leaves the ``OpenAPI`` object's default.
    - ``parameters``: the request headers (and cookies) the view reads, as
      OpenAPI Parameter Objects (``{"name": "If-Match", "in": "header",
      "schema": {"type": "string"}}``), so that a client learns of them from
      the document. They are documented, not checked: the view reads them.
      Path and query parameters come from the rule and ``query`` instead.

    Schemas are JSON Schema dicts, dataclasses or type hints (``schemas.py``).
    On a ``MethodView``, decorate its methods one by one. Raises
    ``TypeError``/``ValueError`` right here for a malformed declaration.
    """
    bodies = _body_media_types(body, body_media_types)
    declared = Operation(
        parameters=_header_parameters(parameters),
        summary=summary,
        description=description,
        tags=tuple(tags) if tags is not None else None,
        operation_id=operation_id,
        deprecated=deprecated,
        query=query,
        bodies=bodies,
        body_required=body_required,
        responses=_response_keys(responses) if responses is not None else None,
        security=_security(security) if security is not None else None,
    )

    def decorator(view: F) -> F:
        if isinstance(view, type):
            raise TypeError(
                f"@operation() decorates functions and the methods of a MethodView, not the "
                f"class {view.__qualname__}: put it on its get, post, ... methods."
            )
        if getattr(view, "openapi_operation", None) is not None:
            raise TypeError(
                f"@operation() is applied twice to {view.__qualname__}; give all of its "
                "arguments to one @operation(...)."
            )
        view.openapi_operation = declared  # type: ignore[attr-defined]
        if not declared.validates:
            return view
        validator = RequestValidator(query, bodies, body_required)

        @functools.wraps(view)
        def validated_view(*args: Any, **kwargs: Any) -> Any:
            validator.validate(_current_request())
            return view(*args, **kwargs)

        validated_view.openapi_validated = True  # type: ignore[attr-defined]
        return validated_view  # type: ignore[return-value]

    return decorator


def _header_parameters(parameters: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """``operation(parameters=...)``, checked: each names a header or a cookie."""
    for parameter in parameters:
        if not isinstance(parameter, Mapping) or not isinstance(parameter.get("name"), str):
            raise TypeError(f"A parameter is a dict with a 'name', not {parameter!r}.")
        if parameter.get("in") not in ("header", "cookie"):
            raise ValueError(
                f"The parameter {parameter['name']!r} must be 'in' 'header' or 'cookie'; "
                "path parameters come from the URL rule, query ones from query=."
            )
    return tuple(dict(parameter) for parameter in parameters)


def exclude(view: F) -> F:
    """Keep a view (a function, or a whole ``View``/``MethodView`` class) out of the document."""
    view.openapi_exclude = True  # type: ignore[attr-defined]
    return view


def _body_media_types(
    body: Schema | Mapping[str, Schema] | None, media_types: Sequence[str]
) -> dict[str, Any] | None:
    if body is None:
        return None
    if isinstance(body, Mapping) and body and all("/" in str(key) for key in body):
        return {_media_type(key): schema for key, schema in body.items()}
    if isinstance(media_types, str) or not media_types:
        raise TypeError(
            f"body_media_types must be a list of media types such as ['application/json'], "
            f"not {media_types!r}."
        )
    return {_media_type(media_type): body for media_type in media_types}


def _media_type(name: str) -> str:
    kind, slash, subtype = name.strip().lower().partition("/")
    if not (kind and slash and subtype) or ";" in subtype:
        raise ValueError(
            f"{name!r} is not a media type: write it as type/subtype, e.g. 'application/json', "
            "'multipart/form-data' or 'image/*' (without parameters)."
        )
    return f"{kind}/{subtype}"


def _response_keys(
    responses: Mapping[int | str, Any],
) -> dict[str, Any]:
    """Statuses as OpenAPI writes them: ``"200"``, ``"4XX"`` or ``"default"``."""
    keyed: dict[str, Any] = {}
    for status, response in responses.items():
        key = str(status).upper() if not isinstance(status, bool) else ""
        valid = (
            (key.isdigit() and 100 <= int(key) <= 599)
            or (len(key) == 3 and key[0] in "12345" and key[1:] == "XX")
            or key == "DEFAULT"
        )
        if not valid:
            raise ValueError(
                f"responses: {status!r} is not a status; use 100 to 599, '2XX' or 'default'."
            )
        keyed["default" if key == "DEFAULT" else key] = response
    return keyed


def _security(requirements: SecurityRequirements) -> tuple[dict[str, list[str]], ...]:
    if isinstance(requirements, Mapping):
        raise TypeError(
            "security is a list of requirements, e.g. [{'bearerAuth': []}] (one dict per "
            "way of being allowed), or [] for a public operation."
        )
    for item in requirements:
        for name, scopes in item.items():
            if isinstance(scopes, str):
                raise TypeError(
                    f"security: the scopes of {name!r} are a list of names, e.g. "
                    f"{{{name!r}: [{scopes!r}]}}, or [] when the scheme has none."
                )
    return tuple({name: list(scopes) for name, scopes in item.items()} for item in requirements)


# -- the OpenAPI object ----------------------------------------------------------


class OpenAPI:
    """The description of an app's API, and the URLs that serve it.

    ``OpenAPI(app, title="Memo API", version="1.0")``, or ``openapi =
    OpenAPI(title=..., version=...)`` then ``openapi.init_app(app)`` in an
    app factory. ``json_url`` (and each of ``json_aliases``) serves the
    document, ``docs_url`` the Swagger UI page; ``None`` serves nothing
    there. ``exclude_blueprints`` and ``include(rule) -> bool`` keep routes
    out of the document. ``security_schemes`` are OpenAPI's
    ``components/securitySchemes`` and ``security`` is the requirement of
    every operation that declares none. Optional: ``info`` (more fields of
    the Info object: ``contact``, ``license``...), ``tags`` (tag objects,
    for their descriptions and order), ``swagger_ui_config`` (options of
    ``SwaggerUIBundle``, JSON values only), ``endpoint`` (the prefix of
    the endpoints registered, for a second ``OpenAPI`` on one app), and
    ``host``/``subdomain`` (where those URLs answer on an app that matches
    hosts or subdomains).
    """

    def __init__(
        self,
        app: App | None = None,
        *,
        title: str,
        version: str,
        description: str | None = None,
        json_url: str | None = "/openapi.json",
        json_aliases: Sequence[str] = (),
        docs_url: str | None = "/docs",
        exclude_blueprints: Iterable[str] = (),
        include: Callable[[Rule], bool] | None = None,
        security_schemes: Mapping[str, Mapping[str, Any]] | None = None,
        security: SecurityRequirements | None = None,
        info: Mapping[str, Any] | None = None,
        tags: Sequence[Mapping[str, Any]] = (),
        swagger_ui_config: Mapping[str, Any] | None = None,
        endpoint: str = "openapi",
        host: str | None = None,
        subdomain: str | None = None,
    ) -> None:
        if isinstance(json_aliases, str):
            raise TypeError(f"json_aliases must be a list of URLs, not {json_aliases!r}.")
        self.title = title
        self.version = version
        self.description = description
        self.json_url = json_url
        self.json_aliases = tuple(json_aliases)
        self.docs_url = docs_url
        self.exclude_blueprints = frozenset(exclude_blueprints)
        self.include = include
        self.security_schemes = {
            name: dict(scheme) for name, scheme in (security_schemes or {}).items()
        }
        self.security = _security(security) if security is not None else None
        self.info = dict(info or {})
        self.tags = [dict(tag) for tag in tags]
        self.swagger_ui_config = dict(swagger_ui_config or {})
        self.endpoint = endpoint
        #: Where the document and the page answer, on an app that matches hosts or subdomains.
        self._route_options: dict[str, Any] = {
            name: value
            for name, value in (("host", host), ("subdomain", subdomain))
            if value is not None
        }
        self.app = app
        if app is not None:
            self.init_app(app)

    def init_app(self, app: App) -> None:
        """Serve the document and the docs page from ``app``.

        The first ``OpenAPI`` object of an app is ``app.extensions["openapi"]``
        (the ``openapi`` command prints its document). Raises ``RuntimeError``
        when ``docs_url`` is set and the Swagger UI package is not installed
        (``pip install 'microwsgi[openapi]'``).
        """
        app.extensions.setdefault("openapi", self)
        if self.json_url is not None:
            self._add_document_routes(app)
        if self.docs_url is not None:
            self._add_docs_routes(app)

    # -- the document ------------------------------------------------------

    def document(self, app: App | None = None) -> dict[str, Any]:
        """The OpenAPI 3.1 document of ``app`` (default: this object's app, or the current one).

        Inside a request, ``servers`` is the request's mount prefix; outside
        one it is ``APPLICATION_ROOT`` when that is not ``/``. Raises
        ``TypeError``/``ValueError`` for a schema that cannot be described.
        """
        if app is None:
            app = self.app
        if app is None:
            context = _context_var.get(None)
            if context is None:
                raise RuntimeError(
                    "OpenAPI.document() needs an app: pass it, create the OpenAPI object "
                    "with one, or call it inside app.app_context()."
                )
            app = context.app
        return _DocumentBuilder(self, app).build()

    # -- serving -----------------------------------------------------------

    def _add_document_routes(self, app: App) -> None:
        @exclude
        def openapi_document() -> Response:
            response = app.json.response(self.document(app))
            response.headers["Cache-Control"] = "no-cache"
            return response

        for url in (self.json_url, *self.json_aliases):
            if url is not None:
                endpoint = f"{self.endpoint}_json"
                app.add_url_rule(url, endpoint, openapi_document, **self._route_options)

    def _add_docs_routes(self, app: App) -> None:
        folder, version = _swagger_ui_files()
        cache_key = f"{version}-{_own_version()}"
        page_endpoint = f"{self.endpoint}_docs"
        asset_endpoint = f"{self.endpoint}_docs_asset"

        @exclude
        def openapi_docs() -> Response:
            from .helpers import url_for

            def asset(name: str) -> str:
                return url_for(asset_endpoint, filename=name, v=cache_key)

            json_url = url_for(f"{self.endpoint}_json") if self.json_url is not None else ""
            config = {**_SWAGGER_UI_DEFAULTS, **self.swagger_ui_config}
            page = _DOCS_PAGE.format(
                title=html.escape(self.title),
                css=html.escape(asset("swagger-ui.css")),
                icon=html.escape(asset("favicon-32x32.png")),
                bundle=html.escape(asset("swagger-ui-bundle.js")),
                init=html.escape(asset(_INIT_SCRIPT_NAME)),
                url=html.escape(json_url),
                config=html.escape(json.dumps(config)),
            )
            response = app.response_class(page, mimetype="text/html")
            for name, value in _DOCS_PAGE_HEADERS.items():
                response.headers[name] = value
            return response

        @exclude
        def openapi_docs_asset(filename: str) -> Response:
            from .files import send_file

            if filename == _INIT_SCRIPT_NAME:
                response = app.response_class(_INIT_SCRIPT, mimetype="text/javascript")
            else:
                response = send_file(os.path.join(folder, filename), max_age=_ASSET_MAX_AGE)
            response.headers["Cache-Control"] = f"public, max-age={_ASSET_MAX_AGE}"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response

        base = self.docs_url.rstrip("/") if self.docs_url else ""
        names = ", ".join(f'"{name}"' for name in (*_ASSETS, _INIT_SCRIPT_NAME))
        options = self._route_options
        app.add_url_rule(self.docs_url or "/", page_endpoint, openapi_docs, **options)
        app.add_url_rule(
            f"{base}/<any({names}):filename>", asset_endpoint, openapi_docs_asset, **options
        )


# -- building the document ----------------------------------------------------


class _DocumentBuilder:
    """One build of the document: walks the rules, collecting schemas and operation ids."""

    def __init__(self, openapi: OpenAPI, app: App) -> None:
        self.openapi = openapi
        self.app = app
        self.registry = SchemaRegistry()
        self.operation_ids: set[str] = set()
        self.tags_used: list[str] = []
        #: The references to the 415/422 body's schema, named once the app's own
        #: schemas are known (see ``_components``).
        self.error_schema_refs: list[dict[str, str]] = []

    def build(self) -> dict[str, Any]:
        openapi = self.openapi
        info: dict[str, Any] = {"title": openapi.title, "version": openapi.version}
        if openapi.description:
            info["description"] = openapi.description
        info.update(openapi.info)
        document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info}
        servers = self._servers()
        if servers:
            document["servers"] = servers
        document["paths"] = self._paths()
        tags = self._tags()
        if tags:
            document["tags"] = tags
        components = self._components()
        if components:
            document["components"] = components
        if openapi.security is not None:
            document["security"] = [dict(item) for item in openapi.security]
        return document

    def _servers(self) -> list[dict[str, str]]:
        from urllib.parse import quote

        ctx = _request_ctx_or_none()
        if ctx is not None:
            return [{"url": quote(ctx.request.script_root) or "/"}]
        root = self.app.config.get("APPLICATION_ROOT") or "/"
        return [{"url": quote(root.rstrip("/"))}] if root.rstrip("/") else []

    def _paths(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        for rule in self.app.url_map.rules:
            view = self.app.view_functions.get(rule.endpoint)
            if view is None or not self._documented(rule, view):
                continue
            path = _openapi_path(rule)
            item = paths.setdefault(path, {})
            if rule.domain and "servers" not in item:
                servers = self._domain_servers(rule)
                if servers:
                    item["servers"] = servers
            for method in _documented_methods(rule):
                handler = _handler(view, method)
                if handler is None or getattr(handler, "openapi_exclude", False):
                    continue
                key = method.lower()
                if key in item:  # another rule with the same path answers it first
                    continue
                item[key] = self._operation(rule, view, handler, method)
            if not set(item) - {"servers"}:
                del paths[path]
        return {path: _ordered_methods(item) for path, item in paths.items()}

    def _domain_servers(self, rule: Rule) -> list[dict[str, Any]]:
        """Where a rule matched on a subdomain or a host answers: a server with variables.

        ``subdomain="<user>"`` under ``SERVER_NAME = "example.test"`` gives
        ``{"url": "http://{user}.example.test", "variables": {"user": ...}}``.
        Without ``SERVER_NAME`` a subdomain names no host, and nothing is said.
        """
        if self.app.url_map.host_matching:
            host = rule.domain
        else:
            server_name = self.app.config.get("SERVER_NAME")
            if not server_name:
                return []
            host = f"{rule.domain}.{server_name}"
        variables: dict[str, Any] = {}
        for match in _DOMAIN_VARIABLE.finditer(host):
            name = match["name"]
            schema = getattr(rule.converters.get(name), "openapi_schema", None) or {}
            variable: dict[str, Any] = {"default": name}
            if schema.get("enum"):
                variable = {"enum": list(schema["enum"]), "default": str(schema["enum"][0])}
            variables[name] = variable
        ctx = _request_ctx_or_none()
        if ctx is not None:
            scheme, root = ctx.request.scheme, ctx.request.script_root
        else:
            scheme = self.app.config.get("PREFERRED_URL_SCHEME") or "http"
            root = (self.app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
        template = _DOMAIN_VARIABLE.sub(lambda match: "{" + match["name"] + "}", host)
        server: dict[str, Any] = {"url": f"{scheme}://{template}{root}"}
        if variables:
            server["variables"] = variables
        return [server]

    def _documented(self, rule: Rule, view: Callable[..., Any]) -> bool:
        endpoint = rule.endpoint
        if endpoint == "static" or endpoint.endswith(".static"):
            return False
        if rule.build_only:  # url_for builds it, the router never answers it
            return False
        if getattr(view, "openapi_exclude", False):
            return False
        view_class = getattr(view, "view_class", None)
        if view_class is not None and getattr(view_class, "openapi_exclude", False):
            return False
        blueprint = endpoint.rpartition(".")[0]
        for excluded in self.openapi.exclude_blueprints:
            if blueprint == excluded or blueprint.startswith(excluded + "."):
                return False
        include = self.openapi.include
        return include is None or bool(include(rule))

    def _operation(
        self, rule: Rule, view: Callable[..., Any], handler: Callable[..., Any], method: str
    ) -> dict[str, Any]:
        declared: Operation = getattr(handler, "openapi_operation", None) or Operation()
        if declared.validates and not getattr(handler, "openapi_validated", False):
            raise TypeError(
                f"The view of {rule.endpoint!r} declares a body or query schema with "
                "@operation(), but the function registered for the URL is not the one "
                "@operation() returned: put @operation(...) below @route(...) (decorators "
                "apply from the bottom up), so that requests are checked."
            )
        summary, description = _docstring(handler, view)
        result: dict[str, Any] = {}
        tags = declared.tags
        if tags is None:
            blueprint = rule.endpoint.rpartition(".")[0]
            tags = (blueprint,) if blueprint else ()
        if tags:
            result["tags"] = list(tags)
            self.tags_used.extend(tag for tag in tags if tag not in self.tags_used)
        if declared.summary or summary:
            result["summary"] = declared.summary or summary
        if declared.description or description:
            result["description"] = declared.description or description
        result["operationId"] = self._operation_id(declared.operation_id, rule, method)
        parameters = self._path_parameters(rule) + self._query_parameters(declared.query)
        parameters += [dict(parameter) for parameter in declared.parameters]
        if parameters:
            result["parameters"] = parameters
        if declared.bodies is not None and method not in METHODS_WITHOUT_BODY:
            result["requestBody"] = {
                "required": declared.body_required,
                "content": {
                    media_type: {"schema": self.registry.schema(schema)}
                    for media_type, schema in declared.bodies.items()
                },
            }
        responses = self._responses(declared, method)
        if responses:
            result["responses"] = responses
        if declared.deprecated:
            result["deprecated"] = True
        if declared.security is not None:
            result["security"] = [dict(item) for item in declared.security]
        return result

    def _operation_id(self, declared: str | None, rule: Rule, method: str) -> str:
        if declared is not None:
            if declared in self.operation_ids:
                raise ValueError(f"Two operations have the operation_id {declared!r}.")
            self.operation_ids.add(declared)
            return declared
        base = rule.endpoint
        if len(_documented_methods(rule)) > 1:
            base = f"{base}_{method.lower()}"
        candidate, number = base, 1
        while candidate in self.operation_ids:  # one endpoint on several rules
            number += 1
            candidate = f"{base}_{number}"
        self.operation_ids.add(candidate)
        return candidate

    def _path_parameters(self, rule: Rule) -> list[dict[str, Any]]:
        parameters = []
        for name in _path_variables(rule):  # not those of a subdomain or host
            converter = rule.converters[name]
            schema = dict(getattr(converter, "openapi_schema", None) or {"type": "string"})
            parameter: dict[str, Any] = {"name": name, "in": "path", "required": True}
            description = schema.pop("description", None)
            if description:
                parameter["description"] = description
            parameter["schema"] = self.registry.schema(schema)
            parameters.append(parameter)
        return parameters

    def _query_parameters(self, query: Any) -> list[dict[str, Any]]:
        if query is None:
            return []
        schema = self.registry.object_schema(query)
        properties = schema.get("properties")
        if not isinstance(properties, Mapping):
            raise TypeError(
                "query must be an object schema whose properties are the query parameters, "
                f"e.g. {{'type': 'object', 'properties': {{'page': {{'type': 'integer'}}}}}}; "
                f"got {schema!r}."
            )
        required = set(schema.get("required", ()))
        parameters = []
        for name, property_schema in properties.items():
            parameter: dict[str, Any] = {"name": name, "in": "query"}
            if name in required:
                parameter["required"] = True
            description = (
                property_schema.get("description") if isinstance(property_schema, Mapping) else None
            )
            if description:
                parameter["description"] = description
            parameter["schema"] = property_schema
            parameters.append(parameter)
        return parameters

    def _responses(self, declared: Operation, method: str) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        for status, response in (declared.responses or {}).items():
            responses[status] = self._response(status, response)
        if declared.validates:
            checks_body = declared.bodies is not None and method not in METHODS_WITHOUT_BODY
            if checks_body:
                responses.setdefault("415", self._unsupported_response(declared.bodies or {}))
            responses.setdefault("422", self._invalid_response(declared, checks_body))
        return dict(sorted(responses.items(), key=lambda item: (item[0] == "default", item[0])))

    def _unsupported_response(self, bodies: Mapping[str, Any]) -> dict[str, Any]:
        """The 415 this operation answers, its example naming its own media types."""
        sent = next(
            wrong
            for wrong in ("text/plain", "application/octet-stream", "application/x-unknown")
            if not any(_media_type_matches(wrong, accepted) for accepted in bodies)
        )
        message = f"The body must be sent as {_or_list(bodies)}, not as {sent!r}."
        example = {"code": 415, "name": "Unsupported Media Type", "message": message, "errors": {}}
        return self._error_response("The body's media type is not accepted.", example)

    def _invalid_response(self, declared: Operation, checks_body: bool) -> dict[str, Any]:
        """The 422 this operation answers, its example naming one of its own fields.

        The example is what ``validation.py`` answers when the first required
        field (else the first field) of the body, or of the query string when
        there is no body to check, is left out (else has the wrong type).
        """
        if checks_body:
            media_type, schema = next(iter((declared.bodies or {}).items()))
            part = "form" if media_type in _FORM_MEDIA_TYPES else "body"
        else:
            schema, part = declared.query, "query string"
        errors: dict[str, str] = {}
        try:
            resolved = self.registry.object_schema(schema)
        except TypeError:  # not an object (a JSON array, a file): no field to name
            resolved = {}
        properties = resolved.get("properties")
        if isinstance(properties, Mapping) and properties:
            required = [name for name in resolved.get("required", ()) if name in properties]
            if required:
                errors[required[0]] = "is required"
            else:
                name, property_schema = next(iter(properties.items()))
                wanted = (
                    property_schema.get("type") if isinstance(property_schema, Mapping) else None
                )
                if isinstance(wanted, str):
                    errors[name] = f"must be {_a_type(wanted)}"
        example = {
            "code": 422,
            "name": "Unprocessable Content",
            "message": f"The request {part} is invalid: see 'errors' for each field.",
            "errors": errors,
        }
        return self._error_response("The request does not match its schema.", example)

    def _error_response(self, description: str, example: dict[str, Any]) -> dict[str, Any]:
        reference = {"$ref": _ref(_VALIDATION_ERROR_SCHEMA)}
        self.error_schema_refs.append(reference)
        media = {"schema": reference, "example": example}
        return {"description": description, "content": {"application/json": media}}

    def _response(self, status: str, response: Any) -> dict[str, Any]:
        description = _status_phrase(status)
        if response is None:
            return {"description": description}
        if _is_response_object(response):
            converted = self.registry.schema(response)
            converted.setdefault("description", description)
            return converted
        return {
            "description": description,
            "content": {"application/json": {"schema": self.registry.schema(response)}},
        }

    def _tags(self) -> list[dict[str, Any]]:
        declared = [dict(tag) for tag in self.openapi.tags]
        named = {tag.get("name") for tag in declared}
        return declared + [{"name": tag} for tag in self.tags_used if tag not in named]

    def _components(self) -> dict[str, Any]:
        components: dict[str, Any] = {}
        if self.error_schema_refs:
            # The app's own schemas keep their names: ValidationError is a common
            # one (Marshmallow's, pydantic's), so ours takes the first free name.
            name = next(
                candidate
                for candidate in _error_schema_names()
                if self.registry.owner(candidate) in (None, OpenAPI)
            )
            self.registry.register(name, OpenAPI, _VALIDATION_ERROR_BODY)
            for reference in self.error_schema_refs:
                reference["$ref"] = _ref(name)
        if self.registry.definitions:
            components["schemas"] = dict(self.registry.definitions)
        if self.openapi.security_schemes:
            components["securitySchemes"] = {
                name: dict(scheme) for name, scheme in self.openapi.security_schemes.items()
            }
        return components


def _openapi_path(rule: Rule) -> str:
    """``/memos/<int:memo_id>`` -> ``/memos/{memo_id}``."""
    segments = []
    for segment in parse_rule(rule.rule):
        pieces = [
            f"{{{piece.name}}}" if isinstance(piece, Variable) else piece for piece in segment
        ]
        segments.append("".join(pieces))
    return "/" + "/".join(segments)


def _path_variables(rule: Rule) -> list[str]:
    """The names of the variables in the rule's path, in order."""
    return [
        piece.name
        for segment in parse_rule(rule.rule)
        for piece in segment
        if isinstance(piece, Variable)
    ]


#: ``<user>`` or ``<any(eu, us):region>`` in a subdomain or host.
_DOMAIN_VARIABLE = re.compile(r"<(?:[^<>]*:)?(?P<name>[^\W\d]\w*)>")


def _documented_methods(rule: Rule) -> list[str]:
    """The rule's methods, less the HEAD and OPTIONS the router adds by itself."""
    methods = set(rule.methods)
    if "GET" in methods:
        methods.discard("HEAD")
    if rule.provide_automatic_options:
        methods.discard("OPTIONS")
    return sorted(methods, key=_method_position)


def _method_position(method: str) -> tuple[int, str]:
    return (METHOD_ORDER.index(method) if method in METHOD_ORDER else len(METHOD_ORDER), method)


def _ordered_methods(item: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(item.items(), key=lambda pair: _method_position(pair[0].upper())))


def _handler(view: Callable[..., Any], method: str) -> Callable[..., Any] | None:
    """The function that answers ``method``: the view, or a class-based view's method."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    from .views import MethodView

    if issubclass(view_class, MethodView):
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return handler
    return view_class.dispatch_request  # type: ignore[no-any-return]


def _docstring(
    handler: Callable[..., Any], view: Callable[..., Any]
) -> tuple[str | None, str | None]:
    """Summary (the first line) and description (the rest) of the view's docstring."""
    doc = handler.__doc__
    if not doc and getattr(view, "view_class", None) is not None and handler is not view:
        from .views import MethodView

        if not issubclass(view.view_class, MethodView):  # type: ignore[attr-defined]
            doc = view.__doc__  # a View's dispatch_request: the class tells what it does
    if not doc:
        return None, None
    text = inspect.cleandoc(doc)
    first, _, rest = text.partition("\n")
    return first.strip() or None, rest.strip() or None


def _is_response_object(value: Any) -> bool:
    """``{"description": ..., "content": ...}`` rather than a schema of the JSON body."""
    if not isinstance(value, Mapping):
        return False
    keys = set(value)
    return (
        bool(keys)
        and keys <= {"description", "headers", "content", "links"}
        and bool(keys & {"content", "headers", "links"} or "description" in keys)
    )


def _status_phrase(status: str) -> str:
    if status.isdigit():
        try:
            return HTTPStatus(int(status)).phrase
        except ValueError:
            return f"Status {status}"
    if status == "default":
        return "Any other response"
    return {"1": "Informational", "2": "Success", "3": "Redirection", "4": "Client error"}.get(
        status[0], "Server error"
    )


def _ref(name: str) -> str:
    return "#/components/schemas/" + name


#: The body of a 415 or 422 answer (``validation.py``), as a schema.
_VALIDATION_ERROR_BODY = {
    "type": "object",
    "description": "The error answered when a request does not match its operation.",
    "properties": {
        "code": {"type": "integer"},
        "name": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Field path (dotted: 'labels.0') -> what is wrong with it.",
            "additionalProperties": {"type": "string"},
        },
    },
    "required": ["code", "name", "message", "errors"],
}


_FORM_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _media_type_matches(sent: str, accepted: str) -> bool:
    """Whether ``validation.py`` takes a body of type ``sent`` for a declared ``accepted``."""
    accepted = accepted.lower()
    return accepted in (sent, "*/*", sent.split("/", 1)[0] + "/*")


def _or_list(media_types: Iterable[str]) -> str:
    names = list(media_types)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _a_type(json_type: str) -> str:
    """``"integer"`` as ``validation.py`` words it: ``"an integer"``."""
    return ("an " if json_type[0] in "aeiou" else "a ") + json_type


def _error_schema_names() -> Iterator[str]:
    """``ValidationError``, then ``RequestValidationError``, ``RequestValidationError2``..."""
    yield _VALIDATION_ERROR_SCHEMA
    yield "RequestValidationError"
    yield from (f"RequestValidationError{number}" for number in itertools.count(2))


# -- the Swagger UI page ---------------------------------------------------------

#: The files of the ``swagger-ui-py`` package the page uses (the only ones served).
_ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png")
_INIT_SCRIPT_NAME = "microwsgi-swagger-ui.js"
#: Asset URLs carry the package versions (``?v=...``), so a browser may keep them a year.
_ASSET_MAX_AGE = 365 * 24 * 3600
_SWAGGER_UI_DEFAULTS: dict[str, Any] = {
    "deepLinking": True,
    # Swagger UI otherwise sends the document to validator.swagger.io for a badge.
    "validatorUrl": None,
    "displayRequestDuration": True,
}

# The page holds no script of its own: the settings are data attributes, read by a
# script served from the app, so a Content-Security-Policy without 'unsafe-inline'
# scripts works.
_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{css}">
<link rel="icon" type="image/png" href="{icon}">
</head>
<body>
<div id="swagger-ui" data-url="{url}" data-config="{config}"></div>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""

_INIT_SCRIPT = """\
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  var options = JSON.parse(root.getAttribute("data-config"));
  options.url = root.getAttribute("data-url");
  options.domNode = root;
  window.ui = SwaggerUIBundle(options);
})();
"""

#: The page talks to its own origin only: the browser refuses anything else.
_DOCS_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _swagger_ui_files() -> tuple[str, str]:
    """The folder of Swagger UI's files in the ``swagger-ui-py`` package, and its version.

    The package is located without being imported (its own module imports
    YAML and framework adapters this page does not need).
    """
    from importlib.metadata import PackageNotFoundError, version

    spec = importlib.util.find_spec("swagger_ui")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    folder = os.path.join(locations[0], "static") if locations else ""
    if not folder or not os.path.isfile(os.path.join(folder, "swagger-ui-bundle.js")):
        raise RuntimeError(
            "The API docs page needs Swagger UI's files, from the swagger-ui-py package: "
            "pip install 'microwsgi[openapi]'. (Or pass docs_url=None to serve no page.)"
        )
    try:
        package_version = version("swagger-ui-py")
    except PackageNotFoundError:
        package_version = "0"
    return folder, package_version


def _own_version() -> str:
    from . import __version__

    return __version__
