"""The memo app: a multi-user Google Keep clone (seed 003), on microwsgi.

``create_app`` is an application factory: it builds and configures a new
app each time it is called, so tests make one per database and servers one
per process. It wires together:

- ``config.py``: a class per environment (``MEMO_ENV``), then the
  environment's ``DATABASE_URL``, ``SECRET_KEY`` and ``MEMO_*`` settings;
- ``db.py`` and ``models.py``: SQLAlchemy, one session per request;
  ``migrations/``: the Alembic revisions (``migrate.py`` runs them);
- the blueprints: ``auth`` (register, log in, log out), ``base`` (the memo
  page) and ``api`` (the JSON API under ``/api``);
- CSRF protection for the pages' forms, CORS for the API, and the
  commands of ``commands.py``.

Run it with ``microwsgi --app examples.memo run`` (the development server
creates the SQLite database on its first request), serve it with
``uwsgi --module examples.memo.wsgi:app``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from microwsgi import App, CSRFProtect, flash, redirect, request
from microwsgi.cors import CORS
from microwsgi.csrf import CSRFError

from . import api, auth, base, commands, db, migrate
from .config import check_settings, config_for, settings_from_environ

#: Response headers the API's scripts may read across origins.
EXPOSED_HEADERS = ["ETag", "Link", "Location", "X-Total-Count", "Idempotent-Replayed"]
#: Request headers a cross-origin script may send to the API.
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-CSRF-Token",
]


def create_app(config: Mapping[str, Any] | object | None = None) -> App:
    """Build the memo app.

    ``config`` is a mapping of settings applied last (a ``"MEMO_ENV"`` key in
    it chooses the environment), or a configuration class or object used
    instead of the one ``MEMO_ENV`` names. Raises ``RuntimeError`` in
    production without a ``SECRET_KEY``, and ``ValueError`` for an unknown
    ``MEMO_ENV`` or a setting of the wrong type (``config.check_settings``).
    """
    app = App(__name__)
    overrides: Mapping[str, Any] = {}
    if config is None or isinstance(config, Mapping):
        overrides = config or {}
        env = overrides.get("MEMO_ENV") or os.environ.get("MEMO_ENV")
        app.config.from_object(config_for(env))
        app.config["MEMO_ENV"] = env or "development"
    else:
        app.config.from_object(config)
        app.config["MEMO_ENV"] = "custom"
    app.config.from_mapping(settings_from_environ(os.environ))
    app.config.from_prefixed_env("MEMO")
    app.config.from_mapping(overrides)
    check_settings(app.config)

    instance_path = instance_folder(app)
    _set_secret_key(app, instance_path)
    url = app.config["DATABASE_URL"]
    if not url:
        os.makedirs(instance_path, exist_ok=True)
        url = db.sqlite_url(os.path.join(instance_path, "memo.sqlite3"))
    database = db.init_app(app, url)

    csrf = CSRFProtect()
    csrf.init_app(app)
    csrf.exempt(api.bp)  # the API checks its own, only for cookie-authenticated writes
    app.config.setdefault("CORS_EXPOSE_HEADERS", EXPOSED_HEADERS)
    app.config.setdefault("CORS_ALLOW_HEADERS", ALLOWED_HEADERS)
    app.config.setdefault("CORS_MAX_AGE", 600)
    CORS(app, resources={r"/api/": {"origins": list(app.config["CORS_ORIGINS"])}})

    api.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(base.bp)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Any:
        if request.blueprint == "api":
            return api.errors.json_error_response(error)
        # A page's form with an expired or missing token: say so and show the form again.
        flash(f"{error.description} Please try again.", "error")
        # The same page, under the mount point too (full_path starts after it).
        return redirect(request.script_root + request.full_path, 303)

    if app.config["DATABASE_AUTO_UPGRADE"]:

        @app.before_first_request
        def upgrade_database() -> None:
            migrate.upgrade(database)

    for command in commands.COMMANDS:
        app.cli.add_command(command)
    return app


def instance_folder(app: App) -> str:
    """Where the app keeps its local files: ``app.instance_path``, which for a package
    that is not installed is ``instance/`` beside its top-level package
    (``examples.memo`` -> ``<repository>/instance``), as in Flask."""
    return app.instance_path


def _set_secret_key(app: App, instance_path: str) -> None:
    if app.config.get("SECRET_KEY"):
        return
    env = app.config["MEMO_ENV"]
    if env == "production":
        raise RuntimeError(
            "MEMO_ENV=production needs SECRET_KEY in the environment: it signs the session "
            "cookies and the CSRF and access tokens, and every server of the app must share "
            "it. Make one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if app.config["TESTING"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    app.config["SECRET_KEY"] = _instance_secret(instance_path)


def _instance_secret(instance_path: str) -> str:
    """A random key made once and kept in ``instance/secret_key`` (readable by its owner only),
    so that development sessions survive restarts without a key in the source."""
    path = os.path.join(instance_path, "secret_key")
    os.makedirs(instance_path, exist_ok=True)
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # atomic: if another process won the race, keep its key
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    with open(path) as file:
        return file.read().strip()
