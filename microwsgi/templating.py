"""Templates: rendering Jinja2 templates with the app's folders, globals and context processors.

Flask counterpart: ``flask/templating.py`` (``render_template``,
``render_template_string``, ``stream_template``, ``DispatchingJinjaLoader``)
and the ``jinja_env`` parts of ``flask/sansio/app.py``.

The idea to take away: Jinja2 does the template language; the framework only
decides *where templates come from* and *what names they can see*. Where:
one loader that looks in the app's ``templates/`` folder, then in each
blueprint's, in registration order. What: ``request``, ``session``, ``g``,
``config``, ``url_for``, ``get_flashed_messages`` and ``csrf_token`` as
globals, then whatever the context processors return, then the keyword
arguments of ``render_template``, which win.

Every step can be replaced the way Flask allows, by subclassing the app:
``jinja_environment`` (the class, ``templating.Environment`` by default),
``jinja_options``, ``create_jinja_environment()``,
``create_global_jinja_loader()``, ``select_jinja_autoescape()`` and
``update_template_context()``. Rendering sends the ``before_render_template``
and ``template_rendered`` signals (see ``signals.py``).

Two more decisions:

- **Escaping by file name.** ``.html``, ``.htm``, ``.xml``, ``.xhtml`` and
  ``.svg`` templates, and every ``render_template_string``, escape ``{{ x }}``
  so that a ``<script>`` typed by a user is shown, not run. ``Markup`` (or
  ``|safe``) marks HTML you trust.
- **Built on first use.** Importing microwsgi does not import Jinja2. The
  environment is created the first time an app renders a template and kept on
  the app; ``@app.template_filter`` and friends registered before then wait in
  a table until it exists. With ``DEBUG`` (or ``TEMPLATES_AUTO_RELOAD``) on,
  changed template files are picked up without a restart.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from collections.abc import Callable, Iterator
from types import CoroutineType, ModuleType
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .globals import _request_ctx_or_none, current_app, g, request, session
from .helpers import stream_with_context, url_for

if TYPE_CHECKING:
    import jinja2

    from .app import App

    class Environment(jinja2.Environment):
        app: App

        def __init__(self, app: App, **options: Any) -> None: ...

    class TemplateLoader(jinja2.BaseLoader):
        app: App

        def __init__(self, app: App) -> None: ...


__all__ = [
    "Environment",
    "Markup",
    "TemplateLoader",
    "add_template_filter",
    "add_template_global",
    "add_template_test",
    "escape",
    "get_jinja_env",
    "get_template_attribute",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "template_folders",
]

#: Templates with these endings are autoescaped (and every template made from a string).
AUTOESCAPED_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg")

# Where the environment and the not-yet-applied registrations live, in app.__dict__.
_ENV_KEY = "_jinja_env"
_ADDITIONS_KEY = "_jinja_additions"
_STRING_TEMPLATES_KEY = "_jinja_string_templates"
# How many compiled render_template_string() sources are kept per app.
_STRING_TEMPLATE_CACHE_SIZE = 64
_env_lock = threading.Lock()

# microwsgi.signals, once something imported it (it sets this): see signals.py.
_signals: ModuleType | None = None


# -- rendering ------------------------------------------------------------------


def render_template(
    template_name_or_list: str | jinja2.Template | list[str | jinja2.Template], **context: Any
) -> str:
    """Render a template from the template folders with ``context`` as its variables.

    ``render_template("user.html", user=user)``. Given a list of names, the
    first that exists is used. Needs an application context (a view has one).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = _environment_for_render(app).get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: Any) -> str:
    """Render template source code given as a string; always autoescaped.

    Never build ``source`` from user input: a template can call any global it
    sees. Pass user data as ``context`` variables instead.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _render(app, _template_from_string(app, source), context)


def stream_template(
    template_name_or_list: str | jinja2.Template | list[str | jinja2.Template], **context: Any
) -> Iterator[str]:
    """Render a template piece by piece, to return as a streamed response body.

    ``return app.response_class(stream_template("big.html", rows=rows))``.
    The pieces are produced after the view has returned, while the server
    sends them; they are rendered with ``stream_with_context`` (see
    ``helpers.py``), so ``request``, ``g`` and ``url_for`` still work and the
    teardown functions run only once the last piece has been sent (a
    database connection closed there is still open while rendering).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = _environment_for_render(app).get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: Any) -> Iterator[str]:
    """``stream_template`` for template source given as a string."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _stream(app, _template_from_string(app, source), context)


def get_template_attribute(template_name: str, attribute: str) -> Any:
    """A macro or variable defined by a template, to call from Python.

    With ``{% macro hello(name) %}Hello {{ name }}!{% endmacro %}`` in
    ``_macros.html``, ``get_template_attribute("_macros.html", "hello")("World")``
    returns ``"Hello World!"``. Raises ``jinja2.TemplateNotFound`` for a
    missing template and ``AttributeError`` for a name it does not define.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return getattr(_environment_for_render(app).get_template(template_name).module, attribute)


def _render(app: App, template: jinja2.Template, context: dict[str, Any]) -> str:
    app.update_template_context(context)
    signals = _signals
    if signals is not None and signals.before_render_template.receivers:
        signals.before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    rendered = template.render(context)
    if signals is not None and signals.template_rendered.receivers:
        signals.template_rendered.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    return rendered


def _stream(app: App, template: jinja2.Template, context: dict[str, Any]) -> Iterator[str]:
    app.update_template_context(context)
    if _signals is not None and _signals.before_render_template.receivers:
        _signals.before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )

    def generate() -> Iterator[str]:
        yield from template.generate(context)
        if _signals is not None and _signals.template_rendered.receivers:
            _signals.template_rendered.send(
                app, _async_wrapper=app.ensure_sync, template=template, context=context
            )

    return stream_with_context(generate())


def _template_from_string(app: App, source: str) -> jinja2.Template:
    """Compile ``source`` once; keep the most recent ones, as Jinja does for files."""
    env = _environment_for_render(app)
    cache: dict[str, jinja2.Template] = app.__dict__.setdefault(_STRING_TEMPLATES_KEY, {})
    template = cache.get(source)
    if template is None:
        template = env.from_string(source)
        with _env_lock:  # another thread may be evicting at the same moment
            if len(cache) >= _STRING_TEMPLATE_CACHE_SIZE:
                cache.pop(next(iter(cache)), None)  # the oldest entry
            cache[source] = template
    return template


def _environment_for_render(app: App) -> jinja2.Environment:
    env = get_jinja_env(app)
    # Read each time so that switching DEBUG on after the first render still reloads.
    env.auto_reload = _wants_auto_reload(app)
    return env


def update_template_context(app: App, context: dict[str, Any]) -> None:
    """Add the context processors' values to ``context``, in place; ``App.update_template_context``.

    The app's processors run first, then those of the request's blueprints,
    outermost first, so the most specific value wins; the values the caller
    passed to ``render_template`` win over all of them. A processor written
    with ``async def`` is run to its end (see ``app.py``).
    """
    processors = app.template_context_processors
    if not processors:
        return
    given = context.copy()
    for scope in _request_scopes():
        for processor in processors.get(scope, ()):
            values = processor()
            if type(values) is CoroutineType:
                values = app._run_coroutine(values)
            context.update(values)
    context.update(given)


def _request_scopes() -> list[str | None]:
    """``[None, "admin", "admin.users"]`` for a request to ``admin.users.edit``."""
    ctx = _request_ctx_or_none()
    blueprint = ctx.request.blueprint if ctx is not None else None
    if blueprint is None:
        return [None]
    parts = blueprint.split(".")
    return [None, *(".".join(parts[: depth + 1]) for depth in range(len(parts)))]


# -- the environment --------------------------------------------------------------


def get_jinja_env(app: App) -> jinja2.Environment:
    """The app's Jinja environment, created on the first call and kept on the app.

    It is made by ``app.create_jinja_environment()``, which apps may override.
    """
    env = app.__dict__.get(_ENV_KEY)
    if env is None:
        with _env_lock:  # two first requests at once must not build two environments
            env = app.__dict__.get(_ENV_KEY)
            if env is None:
                env = app.create_jinja_environment()
                app.__dict__[_ENV_KEY] = env
    return env  # type: ignore[no-any-return]


def create_environment(app: App) -> jinja2.Environment:
    """A new environment for ``app``: ``App.create_jinja_environment``.

    ``app.jinja_options`` are passed to the environment class
    (``app.jinja_environment``, or ``Environment``); ``autoescape`` and
    ``auto_reload`` default to the app's settings. The framework's globals
    and the filters, tests and globals the app registered are added.
    """
    options: dict[str, Any] = dict(app.jinja_options)
    options.setdefault("autoescape", app.select_jinja_autoescape)
    options.setdefault("auto_reload", _wants_auto_reload(app))
    environment_class = app.jinja_environment or _environment_class()
    env = environment_class(app, **options)
    env.globals.update(
        request=request,
        session=session,
        g=g,
        config=app.config,
        url_for=url_for,
        get_flashed_messages=_get_flashed_messages,
        csrf_token=_csrf_token,
    )
    # The tojson filter writes with the app's JSON provider (its default, its settings),
    # as Flask's does; Jinja still makes the result safe inside <script>.
    env.policies["json.dumps_function"] = lambda obj, **kwargs: app.json.dumps(obj, **kwargs)
    additions = _additions(app)
    env.filters.update(additions["filters"])
    env.globals.update(additions["globals"])
    env.tests.update(additions["tests"])
    return env


def create_loader(app: App) -> jinja2.BaseLoader:
    """The loader that finds a template in the app's folders (``create_global_jinja_loader``)."""
    return _jinja_class("TemplateLoader")(app)  # type: ignore[no-any-return]


def _environment_class() -> type[Environment]:
    return _jinja_class("Environment")  # type: ignore[return-value]


def _jinja_class(name: str) -> type:
    """``Environment`` or ``TemplateLoader``, defined the first time one is needed.

    They subclass Jinja's classes, so defining them at import time would
    import Jinja2 with microwsgi.
    """
    if name not in globals():
        _define_jinja_classes()
    return globals()[name]  # type: ignore[no-any-return]


def _define_jinja_classes() -> None:
    import jinja2

    class Environment(jinja2.Environment):
        """A Jinja environment that belongs to an app.

        ``Environment(app, **options)``: the loader defaults to
        ``app.create_global_jinja_loader()``, and ``self.app`` is the app.
        Subclass it and set ``App.jinja_environment`` to customise Jinja.
        """

        def __init__(self, app: App, **options: Any) -> None:
            if "loader" not in options:
                options["loader"] = app.create_global_jinja_loader()
            super().__init__(**options)
            self.app = app

    class TemplateLoader(jinja2.BaseLoader):
        """Finds a template name in the app's folder, then in each blueprint's
        (``template_folders``), or in a loader assigned to one's ``jinja_loader``,
        and lists the templates they hold."""

        def __init__(self, app: App) -> None:
            self.app = app

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str | None, Callable[[], bool] | None]:
            return _load(self.app, template, environment)

        def list_templates(self) -> list[str]:
            return _list_templates(self.app)

    for cls in (Environment, TemplateLoader):
        cls.__module__ = __name__
        globals()[cls.__name__] = cls


def __getattr__(name: str) -> Any:
    # ``templating.Environment`` and ``TemplateLoader`` subclass Jinja's, so they
    # are defined on first use, keeping ``import microwsgi`` free of Jinja2.
    if name in ("Environment", "TemplateLoader"):
        return _jinja_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def select_autoescape(template_name: str | None) -> bool:
    """``App.select_jinja_autoescape``: escape templates made from a string, and
    files ending in one of ``AUTOESCAPED_EXTENSIONS``."""
    return template_name is None or template_name.lower().endswith(AUTOESCAPED_EXTENSIONS)


def _wants_auto_reload(app: App) -> bool:
    setting = app.config.get("TEMPLATES_AUTO_RELOAD")
    return bool(app.debug if setting is None else setting)


# -- finding templates --------------------------------------------------------------


def template_folders(app: App) -> list[str]:
    """The folders searched for a template name, in order: the app's, then each blueprint's."""
    folders: list[str] = []
    for scaffold in (app, *app.blueprints.values()):
        if scaffold.template_folder is None:
            continue
        folder = os.path.join(scaffold.root_path, scaffold.template_folder)
        if folder not in folders:  # a blueprint registered twice is searched once
            folders.append(folder)
    return folders


def _load(
    app: App, name: str, environment: jinja2.Environment
) -> tuple[str, str | None, Callable[[], bool] | None]:
    """Jinja's question to a loader: the source of ``name``, its file, and "still fresh?".

    Each scaffold in turn (the app, then its blueprints) answers from its
    template folder, or from the loader the app assigned to its ``jinja_loader``.
    """
    from jinja2 import TemplateNotFound

    segments = _template_path_segments(name)
    searched: list[str] = []
    for scaffold in (app, *app.blueprints.values()):
        if "_jinja_loader" in scaffold.__dict__:  # assigned by the app: ask it
            loader = scaffold.__dict__["_jinja_loader"]
            place = f"{scaffold.name}.jinja_loader: {loader!r}"
            if loader is None or place in searched:
                continue
            searched.append(place)
            try:
                return loader.get_source(environment, name)  # type: ignore[no-any-return]
            except TemplateNotFound:
                continue
        if scaffold.template_folder is None:
            continue
        folder = os.path.join(scaffold.root_path, scaffold.template_folder)
        if folder in searched:  # a blueprint registered twice is searched once
            continue
        searched.append(folder)
        filename = os.path.join(folder, *segments)
        try:
            with open(filename, "rb") as template_file:
                source = template_file.read().decode("utf-8")
            modified = os.path.getmtime(filename)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
        return source, filename, _unchanged_since(filename, modified)
    raise TemplateNotFound(name, _not_found_message(name, searched))


def _list_templates(app: App) -> list[str]:
    """Every template name the folders hold (``"admin/index.html"``), sorted, each once."""
    names: set[str] = set()
    for scaffold in (app, *app.blueprints.values()):
        loader = scaffold.__dict__.get("_jinja_loader")
        if loader is not None:
            with contextlib.suppress(TypeError):  # a loader that cannot list its templates
                names.update(loader.list_templates())
    for folder in template_folders(app):
        for directory, _, files in os.walk(folder):
            relative = os.path.relpath(directory, folder)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            names.update(prefix + name for name in files)
    return sorted(names)


def _template_path_segments(name: str) -> list[str]:
    """``"admin/users.html"`` -> ``["admin", "users.html"]``; names that climb out are refused.

    Template names are meant to come from code, but an app that renders
    ``request.args["page"]`` must still not expose files outside its folders.
    """
    from jinja2 import TemplateNotFound

    if "\x00" in name or "\\" in name or name.startswith("/"):
        raise TemplateNotFound(
            name, f"Invalid template name {name!r}: use a relative path with '/'."
        )
    segments = [segment for segment in name.split("/") if segment not in ("", ".")]
    if ".." in segments or not segments:
        raise TemplateNotFound(name, f"Invalid template name {name!r}: '..' is not allowed.")
    return segments


def _unchanged_since(filename: str, modified: float) -> Callable[[], bool]:
    def unchanged() -> bool:
        try:
            return os.path.getmtime(filename) == modified
        except OSError:
            return False

    return unchanged


def _not_found_message(name: str, folders: list[str]) -> str:
    if not folders:
        return (
            f"Template {name!r} not found: the app has no template folder "
            "(template_folder=None). Pass template_folder='templates' to the App or Blueprint."
        )
    searched = "\n".join(f"  {folder}" for folder in folders)
    return (
        f"Template {name!r} not found. These folders were searched, in this order:\n"
        f"{searched}\nCreate the file in one of them, or pass template_folder= to the App "
        "or Blueprint to search somewhere else."
    )


# -- names registered by the application ---------------------------------------------


def add_template_filter(app: App, f: Callable[..., Any], name: str | None = None) -> None:
    """Make ``f`` usable as ``{{ value|name }}`` (``name`` defaults to the function's name)."""
    _add(app, "filters", f, name)


def add_template_global(app: App, f: Callable[..., Any], name: str | None = None) -> None:
    """Make ``f`` callable from every template as ``{{ name(...) }}``."""
    _add(app, "globals", f, name)


def add_template_test(app: App, f: Callable[..., Any], name: str | None = None) -> None:
    """Make ``f`` usable as ``{% if value is name %}``."""
    _add(app, "tests", f, name)


def _add(app: App, kind: str, f: Callable[..., Any], name: str | None) -> None:
    name = name or getattr(f, "__name__", None)
    if not name or name == "<lambda>":
        raise ValueError(
            f"A template {kind[:-1]} needs a name: a lambda or callable object has none. "
            f"Pass one, e.g. app.add_template_{kind[:-1]}(f, name='reverse')."
        )
    _additions(app)[kind][name] = f
    env = app.__dict__.get(_ENV_KEY)
    if env is not None:  # already built: it copied the table, so update it too
        getattr(env, kind)[name] = f


def _additions(app: App) -> dict[str, dict[str, Callable[..., Any]]]:
    additions: dict[str, dict[str, Callable[..., Any]]] = app.__dict__.setdefault(
        _ADDITIONS_KEY, {"filters": {}, "globals": {}, "tests": {}}
    )
    return additions


# -- helpers from other modules, found when first called -------------------------------


def _get_flashed_messages(*args: Any, **kwargs: Any) -> Any:
    return _optional_helper("flash", "get_flashed_messages")(*args, **kwargs)


def _csrf_token(*args: Any, **kwargs: Any) -> Any:
    return _optional_helper("csrf", "csrf_token")(*args, **kwargs)


def _optional_helper(module: str, function: str) -> Callable[..., Any]:
    """``microwsgi.<module>.<function>``, imported at call time so that templates
    that never call it do not depend on it."""
    try:
        return getattr(importlib.import_module(f"microwsgi.{module}"), function)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as error:
        raise RuntimeError(
            f"{function}() was called in a template, but microwsgi.{module}.{function} "
            f"could not be loaded ({error}). Check that microwsgi is fully installed."
        ) from error
