"""Blueprints: a group of routes, hooks and error handlers, registered on an app later.

Flask counterpart: ``flask/sansio/blueprints.py``.

The idea to take away: a blueprint is a *recording*. ``@bp.route(...)`` on a
blueprint cannot add a rule to an app it does not know yet, so it appends a
small function to ``deferred_functions``. ``app.register_blueprint(bp)``
replays those functions against the app, adding the URL prefix to each rule
and the blueprint's name to each endpoint (``"admin.index"``). Hooks and
error handlers registered on the blueprint are copied into the app's tables
under the blueprint's name, so they run only for the blueprint's requests
(``app.py`` works out which blueprint a request belongs to from its endpoint).

Blueprints nest: a blueprint registered on another one is registered on the
app with both prefixes and the dotted name ``"parent.child"``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .scaffold import Scaffold, _exception_class_and_code, _registered, _template_decorator

if TYPE_CHECKING:
    from .app import App

F = TypeVar("F", bound=Callable[..., Any])


class _BlueprintName:
    """``cli_group``'s default: the name the blueprint is registered under."""

    def __repr__(self) -> str:
        return "<the blueprint's name>"


_USE_BLUEPRINT_NAME: Any = _BlueprintName()
DeferredSetup = Callable[["BlueprintSetupState"], None]


class BlueprintSetupState:
    """What one registration of a blueprint needs: the app, the final name, the prefix."""

    def __init__(
        self,
        blueprint: Blueprint,
        app: App,
        options: dict[str, Any],
        first_registration: bool = True,
    ) -> None:
        self.blueprint = blueprint
        self.app = app
        self.options = options
        #: False when this blueprint is already registered on the app under another name.
        self.first_registration = first_registration
        name_prefix = options.get("name_prefix", "")
        own_name = options.get("name", blueprint.name)
        #: The dotted name the blueprint is registered under, e.g. "admin.users".
        self.name = f"{name_prefix}.{own_name}".lstrip(".")
        url_prefix = options.get("url_prefix")
        self.url_prefix = url_prefix if url_prefix is not None else blueprint.url_prefix
        subdomain = options.get("subdomain")
        #: The subdomain of the blueprint's rules (``None``: the app's default).
        self.subdomain = subdomain if subdomain is not None else blueprint.subdomain
        self.url_defaults = {**blueprint.url_values_defaults, **options.get("url_defaults", {})}

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        **options: Any,
    ) -> None:
        """Add a blueprint rule to the app: prefixed rule, dotted endpoint, merged defaults."""
        if self.url_prefix is not None:
            rule = (
                "/".join((self.url_prefix.rstrip("/"), rule.lstrip("/")))
                if rule
                else self.url_prefix
            )
        if endpoint is None:
            if view_func is None:
                raise ValueError(f"Blueprint rule {rule!r} needs an endpoint or a view function.")
            endpoint = view_func.__name__
        defaults = {**self.url_defaults, **(options.pop("defaults", None) or {})}
        options.setdefault("subdomain", self.subdomain)
        self.app.add_url_rule(
            rule, f"{self.name}.{endpoint}", view_func, defaults=defaults or None, **options
        )


class Blueprint(Scaffold):
    """A set of routes and hooks to register on an app, under a name and a URL prefix.

    ``admin = Blueprint("admin", __name__, url_prefix="/admin")``, then
    ``@admin.route("/")`` and ``app.register_blueprint(admin)``.
    """

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _USE_BLUEPRINT_NAME,
    ) -> None:
        super().__init__(import_name, static_folder, static_url_path, template_folder, root_path)
        if not name:
            raise ValueError("A blueprint needs a non-empty name.")
        if "." in name:
            raise ValueError(
                f"Blueprint name {name!r} may not contain a dot: dots separate nested "
                "blueprint names in endpoints (register it on its parent blueprint instead)."
            )
        self.name = name
        self.url_prefix = url_prefix
        #: The subdomain the blueprint's routes answer on (with ``subdomain_matching``).
        self.subdomain = subdomain
        self.url_values_defaults = url_defaults or {}
        self.deferred_functions: list[DeferredSetup] = []
        #: The name of the command group ``bp.cli``'s commands appear under
        #: (``microwsgi admin create-user``): the blueprint's name by default;
        #: None puts them at the top level (``microwsgi create-user``).
        self.cli_group = cli_group
        self._blueprints: list[tuple[Blueprint, dict[str, Any]]] = []

    def record(self, func: DeferredSetup) -> None:
        """Remember ``func(state)`` to run when the blueprint is registered on an app."""
        self.deferred_functions.append(func)

    def record_once(self, func: DeferredSetup) -> None:
        """Like ``record``, but ``func`` runs only for the blueprint's first registration
        on an app, not again when it is registered under another name."""

        def once(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(once)

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """Record a URL rule; it is added to the app, prefixed, on registration."""
        if endpoint is not None and "." in endpoint:
            raise ValueError(f"Blueprint endpoint {endpoint!r} may not contain a dot.")
        if view_func is not None and "." in getattr(view_func, "__name__", ""):
            raise ValueError(
                f"Blueprint view function name {view_func.__name__!r} may not contain a dot."
            )
        self.record(
            lambda state: state.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )

    def register_blueprint(self, blueprint: Blueprint, **options: Any) -> None:
        """Nest ``blueprint`` in this one; it is registered on the app along with this one."""
        if blueprint is self:
            raise ValueError("A blueprint cannot be registered on itself.")
        self._blueprints.append((blueprint, options))

    # -- hooks for every request of the app, registered from a blueprint -----

    def before_app_request(self, f: F) -> F:
        """Like ``App.before_request``: runs for every request, not only this blueprint's."""
        _registered(f, "before_app_request")
        self.record(lambda state: state.app.before_request_funcs[None].append(f))
        return f

    def after_app_request(self, f: F) -> F:
        """Like ``App.after_request``, for every request."""
        _registered(f, "after_app_request")
        self.record(lambda state: state.app.after_request_funcs[None].append(f))
        return f

    def teardown_app_request(self, f: F) -> F:
        """Like ``App.teardown_request``, for every request."""
        _registered(f, "teardown_app_request")
        self.record(lambda state: state.app.teardown_request_funcs[None].append(f))
        return f

    def app_context_processor(self, f: F) -> F:
        """Like ``App.context_processor``, for every template."""
        _registered(f, "app_context_processor")
        self.record(lambda state: state.app.template_context_processors[None].append(f))
        return f

    def app_url_value_preprocessor(self, f: F) -> F:
        """Like ``App.url_value_preprocessor``, for every request of the app."""
        _registered(f, "app_url_value_preprocessor")
        self.record(lambda state: state.app.url_value_preprocessors.setdefault(None, []).append(f))
        return f

    def app_url_defaults(self, f: F) -> F:
        """Like ``App.url_defaults``, for every ``url_for`` of the app."""
        _registered(f, "app_url_defaults")
        self.record(lambda state: state.app.url_default_functions.setdefault(None, []).append(f))
        return f

    # The app's template functions, registered from a blueprint. Each decorator
    # works bare (``@bp.app_template_filter``) and with a name
    # (``@bp.app_template_filter("reverse")``), as the app's own do.

    def app_template_filter(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Register a Jinja filter for the whole app (``App.template_filter``)."""
        return _template_decorator(self.add_app_template_filter, name)

    def add_app_template_filter(self, f: Callable[..., Any], name: str | None = None) -> None:
        """The non-decorator form of ``app_template_filter``."""
        self._record_template_function("add_template_filter", f, name)

    def app_template_global(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Register a Jinja global function for the whole app (``App.template_global``)."""
        return _template_decorator(self.add_app_template_global, name)

    def add_app_template_global(self, f: Callable[..., Any], name: str | None = None) -> None:
        """The non-decorator form of ``app_template_global``."""
        self._record_template_function("add_template_global", f, name)

    def app_template_test(self, name: str | Callable[..., Any] | None = None) -> Any:
        """Register a Jinja test for the whole app (``App.template_test``)."""
        return _template_decorator(self.add_app_template_test, name)

    def add_app_template_test(self, f: Callable[..., Any], name: str | None = None) -> None:
        """The non-decorator form of ``app_template_test``."""
        self._record_template_function("add_template_test", f, name)

    def _record_template_function(
        self, adder: str, f: Callable[..., Any], name: str | None
    ) -> None:
        _registered(f, adder)
        self.record(lambda state: getattr(state.app, adder)(f, name))

    def app_errorhandler(self, code_or_exception: int | type[BaseException]) -> Callable[[F], F]:
        """Like ``App.errorhandler``, for errors anywhere in the app."""
        _exception_class_and_code(code_or_exception)

        def decorator(f: F) -> F:
            _registered(f, "app_errorhandler")
            self.record(lambda state: state.app.register_error_handler(code_or_exception, f))
            return f

        return decorator

    # -- registration ---------------------------------------------------------

    def register(self, app: App, options: dict[str, Any]) -> None:
        """Add everything recorded on this blueprint (and nested ones) to ``app``.

        ``app.register_blueprint`` calls this; apps call that, not this.
        """
        first = not any(registered is self for registered in app.blueprints.values())
        state = BlueprintSetupState(self, app, options, first)
        name = state.name
        if name in app.blueprints:
            already = "this blueprint" if app.blueprints[name] is self else "another blueprint"
            raise ValueError(
                f"The name {name!r} is already registered for {already}. Register it "
                f"again under another name: app.register_blueprint(bp, name='{name}_2')."
            )
        app.blueprints[name] = self

        if self.static_folder is not None:
            folder_name = os.path.basename(os.fspath(self.static_folder).rstrip("\\/"))
            static_path = self.static_url_path  # "" serves the folder at the blueprint's prefix
            if static_path is None:
                static_path = "/" + folder_name
            state.add_url_rule(
                f"{static_path.rstrip('/')}/<path:filename>", "static", self.send_static_file
            )
        self._copy_scoped_tables_to(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_commands(app, name, options.get("cli_group", self.cli_group))

        for child, child_options in self._blueprints:
            child_prefix = child_options.get("url_prefix")
            if child_prefix is None:
                child_prefix = child.url_prefix
            if state.url_prefix and child_prefix:
                child_prefix = f"{state.url_prefix.rstrip('/')}/{child_prefix.lstrip('/')}"
            elif state.url_prefix:
                child_prefix = state.url_prefix
            # A child's subdomain is under its parent's: "api" in "parent" is "api.parent".
            child_subdomain = child_options.get("subdomain")
            if child_subdomain is None:
                child_subdomain = child.subdomain
            if state.subdomain is not None:
                child_subdomain = (
                    f"{child_subdomain}.{state.subdomain}"
                    if child_subdomain is not None
                    else state.subdomain
                )
            child.register(
                app,
                {
                    **child_options,
                    "url_prefix": child_prefix,
                    "subdomain": child_subdomain,
                    "name_prefix": name,
                },
            )

    def _register_commands(self, app: App, name: str, group: str | None) -> None:
        """Add ``bp.cli``'s commands to ``app.cli``, as a group or (``cli_group=None``) directly.

        A blueprint without commands adds nothing (and does not import Click).
        """
        if "cli" not in self.__dict__ or not self.cli.commands:
            return
        if group is None:
            app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _USE_BLUEPRINT_NAME else group
        app.cli.add_command(self.cli)

    def _copy_scoped_tables_to(self, app: App, name: str) -> None:
        """The blueprint's own hooks and handlers (its ``None`` scope) become ``name``'s scope."""
        for code, handlers in self.error_handler_spec.get(None, {}).items():
            app.error_handler_spec[name][code].update(handlers)
        app.before_request_funcs[name].extend(self.before_request_funcs.get(None, ()))
        app.after_request_funcs[name].extend(self.after_request_funcs.get(None, ()))
        app.teardown_request_funcs[name].extend(self.teardown_request_funcs.get(None, ()))
        app.template_context_processors[name].extend(self.template_context_processors.get(None, ()))
        for table, app_table in (
            (self.url_value_preprocessors, app.url_value_preprocessors),
            (self.url_default_functions, app.url_default_functions),
        ):
            if table.get(None):
                app_table.setdefault(name, []).extend(table[None])
        # Views attached with @bp.endpoint("name") serve the app's endpoint "name",
        # as in Flask (for rules added to app.url_map directly).
        app.view_functions.update(self.view_functions)
