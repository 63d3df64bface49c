"""Configuration classes, one per environment; ``create_app`` picks one by name."""

from __future__ import annotations

import os
import secrets
import tempfile


class Config:
    """Shared by every environment."""

    DATABASE = os.path.join(tempfile.gettempdir(), "microwsgi-guestbook.sqlite3")
    ENTRIES_PER_PAGE = 20
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    DEBUG = True
    # A fresh key per start: sessions do not survive a restart, but no secret is
    # ever written in the source. Production must set GUESTBOOK_SECRET_KEY.
    SECRET_KEY = secrets.token_hex(32)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = secrets.token_hex(32)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    SECRET_KEY = None  # must come from the environment: GUESTBOOK_SECRET_KEY


_CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    try:
        return _CONFIGS[name or "development"]
    except KeyError:
        raise ValueError(f"Unknown environment {name!r}; use one of {sorted(_CONFIGS)}.") from None
