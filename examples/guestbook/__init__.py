"""A guestbook: the application-factory pattern with two blueprints.

What it shows (issue "web layer"): ``create_app()`` building a configured app
(per-environment config classes, as seed 003 describes), the ``auth`` and
``book`` blueprints, templates extending a base layout, a static stylesheet,
logging in with the session, flash messages across redirects, CSRF
protection on every form, and a SQLite connection kept on ``g`` for one
request and closed by ``teardown_appcontext``.

Run it with ``microwsgi --app examples.guestbook run`` (the CLI finds
``create_app``) or under uWSGI with ``--mount /prefix=examples.guestbook:create_app()``
style factories; ``python -m examples.guestbook`` also works.
"""

from __future__ import annotations

import os
from typing import Any

from microwsgi import App, CSRFProtect

from . import auth, book, db
from .settings import config_for

csrf = CSRFProtect()


def create_app(config_name: str | None = None, **overrides: Any) -> App:
    """Build the app for ``config_name`` ("development", "testing", "production").

    Without a name, ``GUESTBOOK_ENV`` decides, defaulting to development.
    ``overrides`` are applied last (tests pass ``DATABASE=...``).
    """
    app = App(__name__)
    app.config.from_object(config_for(config_name or os.environ.get("GUESTBOOK_ENV")))
    app.config.from_prefixed_env("GUESTBOOK")
    app.config.from_mapping(overrides)
    if not app.config["SECRET_KEY"]:
        raise RuntimeError(
            "Set GUESTBOOK_SECRET_KEY in the environment: the session cookie is signed "
            "with it. Make one with: python -c 'import secrets; print(secrets.token_hex())'"
        )

    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(book.bp)
    return app
