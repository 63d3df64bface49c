"""Configuration classes, one per environment; ``create_app`` picks one by ``MEMO_ENV``.

``MEMO_ENV`` is ``development`` (the default, for a laptop), ``testing`` or
``production``. On top of the class, settings come from the environment:

``DATABASE_URL``
    Where the data lives: ``postgresql://user:password@host/dbname`` (psycopg 3)
    or ``sqlite:////absolute/path.sqlite3``. Without it, SQLite in the
    instance folder (``instance/memo.sqlite3`` beside the ``examples``
    package), so the demo needs nothing installed.
``SECRET_KEY``
    Signs the session cookie and the CSRF and JWT tokens. Required in
    production (the app refuses to start without it); every server behind a
    load balancer must have the same one. In development a random key is
    made once and kept in ``instance/secret_key``.
``MEMO_<SETTING>``
    Any setting below, e.g. ``MEMO_TRASH_RETENTION_DAYS=30`` or
    ``MEMO_CORS_ORIGINS='["https://app.example"]'`` (values that parse as
    JSON are taken as JSON).

``check_settings`` then checks the settings whose type matters, wherever they
came from, so that a wrong one stops the app as it starts, with the name of
the setting, rather than failing a request hours later (a token lifetime of
``abc`` made every log-in a 500) or quietly doing something else (a
``MEMO_CORS_ORIGINS=https://app.example`` that is not JSON was read as a
list of its characters). Durations may be given as seconds; lists as one
text with commas.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from datetime import timedelta
from typing import Any


class Config:
    """Shared by every environment."""

    DEBUG = False
    TESTING = False
    #: None: SQLite in the instance folder (see the module docstring).
    DATABASE_URL: str | None = None
    #: Echo every SQL statement to the log.
    DATABASE_ECHO = False
    #: Create the database or bring it to the latest revision when the app
    #: serves its first request. Development only: production changes its
    #: schema only when told to (``microwsgi --app examples.memo db upgrade``).
    DATABASE_AUTO_UPGRADE = False
    #: SQLite waits this long for another process's write lock before failing.
    SQLITE_BUSY_TIMEOUT_MS = 5_000

    SESSION_COOKIE_NAME = "memo_session"
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    #: Werkzeug's password hash method: scrypt with its cost parameters (N, r, p).
    PASSWORD_HASH_METHOD = "scrypt:32768:8:1"
    PASSWORD_MIN_LENGTH = 8

    #: Token authentication (``POST /api/auth``). The names of seed 001's
    #: Flask-JWT, all of them settings rather than fixed.
    JWT_AUTH_URL_RULE = "/auth"  # under the API's prefix: POST /api/auth
    JWT_AUTH_USERNAME_KEY = "user_id"
    JWT_AUTH_PASSWORD_KEY = "password"
    JWT_AUTH_HEADER_PREFIX = "Bearer"
    #: Other prefixes accepted in ``Authorization`` (Flask-JWT's was ``JWT``).
    JWT_AUTH_HEADER_PREFIX_ALIASES: tuple[str, ...] = ("JWT",)
    JWT_EXPIRATION_DELTA = timedelta(hours=1)
    JWT_NOT_BEFORE_DELTA = timedelta(seconds=0)
    JWT_LEEWAY = timedelta(seconds=10)
    JWT_ALGORITHM = "HS256"
    #: None: derived from SECRET_KEY.
    JWT_SECRET_KEY: str | None = None

    MEMOS_PER_PAGE = 15
    MEMOS_MAX_PER_PAGE = 100
    #: Memos in the trash longer than this are deleted by ``purge-trash``.
    TRASH_RETENTION_DAYS = 7
    #: How long an ``Idempotency-Key`` is remembered.
    IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)
    #: Images larger than this are refused with 413.
    MAX_IMAGE_SIZE = 5 * 1024 * 1024
    #: Images with more pixels (width x height) are refused with 422, before they are
    #: decoded: a small file can claim a picture that would take gigabytes to decode.
    #: 25 megapixels holds a phone's photo (decoded at 4 bytes a pixel at most: 100 MB).
    MAX_IMAGE_PIXELS = 25_000_000
    #: The whole request body; above it the request is refused with 413 before it is read.
    MAX_CONTENT_LENGTH = MAX_IMAGE_SIZE + 256 * 1024

    #: Origins whose pages may call the API (CORS); empty: same-origin only.
    CORS_ORIGINS: list[str] = []
    #: Check the CSRF token on cookie-authenticated writes.
    CSRF_ENABLED = True
    #: The memo page keeps the token it was served with for as long as it stays
    #: open, often all day: a time limit would make every save fail after it.
    #: The token stays bound to its session, which expires after
    #: PERMANENT_SESSION_LIFETIME, and is replaced at every log-in and log-out.
    CSRF_TIME_LIMIT: int | None = None


class DevelopmentConfig(Config):
    DATABASE_AUTO_UPGRADE = True


class TestingConfig(Config):
    TESTING = True
    # Still scrypt, with a cost a test suite can afford to pay hundreds of times.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    """The class for an environment name; raises ``ValueError`` for an unknown name."""
    try:
        return CONFIGS[name or "development"]
    except KeyError:
        raise ValueError(
            f"Unknown MEMO_ENV {name!r}; use one of {', '.join(sorted(CONFIGS))}."
        ) from None


def settings_from_environ(environ: dict[str, str] | Any) -> dict[str, Any]:
    """``DATABASE_URL`` and ``SECRET_KEY`` from the environment, when set."""
    found: dict[str, Any] = {}
    for key in ("DATABASE_URL", "SECRET_KEY"):
        if environ.get(key):
            found[key] = environ[key]
    return found


#: The longest a memo may stay in the trash, in days: a hundred years.
MAX_RETENTION_DAYS = 36_525

#: Whole-number settings and the smallest value each may take.
INTEGER_SETTINGS = {
    "SQLITE_BUSY_TIMEOUT_MS": 0,
    "PASSWORD_MIN_LENGTH": 1,
    "MEMOS_PER_PAGE": 1,
    "TRASH_RETENTION_DAYS": 0,
    "MAX_IMAGE_SIZE": 1,
    "MAX_IMAGE_PIXELS": 1,
}
#: Durations (a ``timedelta``, or a number of seconds) and whether zero is allowed.
DURATION_SETTINGS = {
    "JWT_EXPIRATION_DELTA": False,
    "JWT_NOT_BEFORE_DELTA": True,
    "JWT_LEEWAY": True,
    "IDEMPOTENCY_KEY_LIFETIME": False,
}
#: Lists of texts; one text is read as a list separated by commas (or spaces).
LIST_SETTINGS = ("CORS_ORIGINS", "JWT_AUTH_HEADER_PREFIX_ALIASES")


def check_settings(config: MutableMapping[str, Any]) -> None:
    """Check the settings above and bring them to one form, in place.

    Durations become ``timedelta``; a list given as one text is split at its
    commas. Raises ``ValueError`` naming the setting (and its ``MEMO_``
    variable) for a value of the wrong type or out of range.
    """
    for name, minimum in INTEGER_SETTINGS.items():
        value = config.get(name)
        if type(value) is not int or value < minimum:
            _refuse(name, value, f"a whole number of at least {minimum}")
    if config["TRASH_RETENTION_DAYS"] > MAX_RETENTION_DAYS:
        _refuse("TRASH_RETENTION_DAYS", config["TRASH_RETENTION_DAYS"], "at most 36525 days")
    if config["MEMOS_PER_PAGE"] > 100:
        _refuse("MEMOS_PER_PAGE", config["MEMOS_PER_PAGE"], "at most 100 (per_page's maximum)")
    for name, zero_allowed in DURATION_SETTINGS.items():
        value = config.get(name)
        if type(value) in (int, float):
            value = timedelta(seconds=value)
        if (
            not isinstance(value, timedelta)
            or value < timedelta(0)
            or (not zero_allowed and not value)
        ):
            kind = "not negative" if zero_allowed else "positive"
            _refuse(name, config.get(name), f"a {kind} duration: seconds, or a timedelta")
        config[name] = value
    for name in LIST_SETTINGS:
        value = config.get(name)
        if isinstance(value, str):
            value = [item for item in re.split(r"[\s,]+", value) if item]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            _refuse(name, config.get(name), "a list of texts (or one text with commas)")
        config[name] = tuple(value) if isinstance(value, tuple) else list(value)


def _refuse(name: str, value: Any, expected: str) -> None:
    raise ValueError(
        f"The setting {name} (MEMO_{name} in the environment) must be {expected}; it is {value!r}."
    )
