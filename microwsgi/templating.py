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

import contextvars
import importlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .globals import _request_ctx_or_none, current_app, g, request, session
from .helpers import url_for

if TYPE_CHECKING:
    import jinja2

    from .app import App

__all__ = [
    "Markup",
    "add_template_filter",
    "add_template_global",
    "add_template_test",
    "escape",
    "get_jinja_env",
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
    return template.render(_template_context(app, context))


def render_template_string(source: str, **context: Any) -> str:
    """Render template source code given as a string; always autoescaped.

    Never build ``source`` from user input: a template can call any global it
    sees. Pass user data as ``context`` variables instead.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = _template_from_string(app, source)
    return template.render(_template_context(app, context))


def stream_template(
    template_name_or_list: str | jinja2.Template | list[str | jinja2.Template], **context: Any
) -> Iterator[str]:
    """Render a template piece by piece, to return as a streamed response body.

    ``return app.response_class(stream_template("big.html", rows=rows))``.
    The pieces are produced after the view has returned, so they are
    rendered inside a *copy* of the current context: ``request``, ``g`` and
    ``url_for`` still work, but teardown functions have already run (a
    database connection closed there is gone).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = _environment_for_render(app).get_or_select_template(template_name_or_list)
    return _in_current_context(template.generate, _template_context(app, context))


def stream_template_string(source: str, **context: Any) -> Iterator[str]:
    """``stream_template`` for template source given as a string."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = _template_from_string(app, source)
    return _in_current_context(template.generate, _template_context(app, context))


def _in_current_context(
    generate: Callable[[dict[str, Any]], Iterator[str]], context: dict[str, Any]
) -> Iterator[str]:
    """``generate(context)``, each step run in a copy of the contextvars as they are *now*.

    A copied ``contextvars.Context`` keeps the request and app contexts that
    are current at this call, even after the view returns and they are popped.
    (This must not be a generator function itself: its body would only start
    on the first ``next()``, after the view has returned.)
    """
    saved = contextvars.copy_context()
    return _steps_in(saved, saved.run(generate, context))


def _steps_in(saved: contextvars.Context, pieces: Iterator[str]) -> Iterator[str]:
    try:
        while True:
            try:
                piece = saved.run(next, pieces)
            except StopIteration:
                return
            yield piece
    finally:
        close = getattr(pieces, "close", None)  # stop Jinja's generator if the client left
        if close is not None:
            saved.run(close)


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


def _template_context(app: App, context: dict[str, Any]) -> dict[str, Any]:
    """The context processors' values, then the caller's variables on top.

    The app's processors run first, then those of the request's blueprints,
    outermost first, so the most specific value wins.
    """
    processors = app.template_context_processors
    merged: dict[str, Any] = {}
    for scope in _request_scopes():
        for processor in processors.get(scope, ()):
            merged.update(processor())
    merged.update(context)
    return merged


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
    """The app's Jinja environment, created on the first call and kept on the app."""
    env = app.__dict__.get(_ENV_KEY)
    if env is None:
        with _env_lock:  # two first requests at once must not build two environments
            env = app.__dict__.get(_ENV_KEY)
            if env is None:
                env = _create_environment(app)
                app.__dict__[_ENV_KEY] = env
    return env  # type: ignore[no-any-return]


def _create_environment(app: App) -> jinja2.Environment:
    import jinja2

    options: dict[str, Any] = {
        "autoescape": _autoescape,
        "auto_reload": _wants_auto_reload(app),
        **(getattr(app, "jinja_options", None) or {}),
    }
    env = jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: _load(app, name)), **options)
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


def _autoescape(template_name: str | None) -> bool:
    """``None`` is a template made from a string: escaped, because it is usually HTML."""
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


def _load(app: App, name: str) -> tuple[str, str, Callable[[], bool]]:
    """Jinja's question to a loader: the source of ``name``, its file, and "still fresh?"."""
    from jinja2 import TemplateNotFound

    segments = _template_path_segments(name)
    folders = template_folders(app)
    for folder in folders:
        filename = os.path.join(folder, *segments)
        try:
            with open(filename, "rb") as template_file:
                source = template_file.read().decode("utf-8")
            modified = os.path.getmtime(filename)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
        return source, filename, _unchanged_since(filename, modified)
    raise TemplateNotFound(name, _not_found_message(name, folders))


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
