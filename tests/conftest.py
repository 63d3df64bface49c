"""Shared fixtures: a fresh app and a client for it in every test."""

from __future__ import annotations

import pytest

from microwsgi import App


@pytest.fixture
def app() -> App:
    app = App(__name__)
    app.config["SECRET_KEY"] = "test-secret-key"
    return app


@pytest.fixture
def client(app: App):
    return app.test_client()
