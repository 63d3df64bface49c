"""The calculator of seed 002 (Test #10): a REST API and an HTML form, on microwsgi.

    microwsgi --app examples.calculator run          # http://127.0.0.1:5000/
    uwsgi --ini uwsgi.ini:mount --manage-script-name --mount /calc=examples.calculator:app

``app`` is built by ``create_app()``, an application factory: tests call it
again with settings of their own, servers import ``app``. The pieces:
``arithmetic.py`` (numbers and operators, no web code), ``views.py`` (the
routes), ``templates/calculator.html`` and ``static/calculator.css``.

The idea to take away: a secret never lives in the source. The session
(which holds the list of recent calculations) is a cookie signed with
``SECRET_KEY``; anyone who knows the key can forge it. So the key comes from
the environment variable ``MICROWSGI_SECRET_KEY``. When that is not set,
the app makes a random key at start-up and logs a warning: good enough for
trying the app on your machine, but the key changes at every restart (so
the list is forgotten), and every process that creates the app makes its
own. uWSGI creates it once, in the master, before it forks its workers, so
they share it; with ``lazy-apps`` or several machines they would not, and a
cookie signed by one would be refused by the others. Set the variable in
production::

    export MICROWSGI_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"

(The variable is read directly, not through ``config.from_prefixed_env``,
which parses values as JSON and would turn a key made only of digits into a
number.)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from microwsgi import Flask

from .views import bp

SECRET_KEY_VARIABLE = "MICROWSGI_SECRET_KEY"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A new calculator app; ``test_config`` overrides settings, for tests."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get(SECRET_KEY_VARIABLE)
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _development_secret_key(app)
    app.register_blueprint(bp)
    return app


def _development_secret_key(app: Flask) -> str:
    """DEVELOPMENT ONLY: a random key, new at every start, when none is configured."""
    app.logger.warning(
        "%s is not set: using a random key made at start-up. Sessions (the list of recent "
        "calculations) are lost at every restart and are not shared between servers. "
        "Set the variable to a long random value in production.",
        SECRET_KEY_VARIABLE,
    )
    return secrets.token_hex(32)


app = create_app()
