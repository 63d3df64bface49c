"""Seed 002's counter (examples/counter/), in one process, through the test client.

Both counters count 1, 2, 3 here; the difference shows under several
processes, in ``test_examples_servers.py``.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import pytest

from examples.counter import global_counter, sqlite_counter
from microwsgi import g


def test_global_counter_counts_in_one_process(monkeypatch):
    monkeypatch.setattr(global_counter, "count", 0)
    client = global_counter.app.test_client()
    assert [client.get("/increase").text for _ in range(3)] == ["1", "2", "3"]


def test_sqlite_counter_counts_in_one_process(tmp_path, monkeypatch):
    app = _fresh_sqlite_app(tmp_path / "counter.sqlite3", monkeypatch)
    client = app.test_client()
    assert [client.get("/increase").text for _ in range(3)] == ["1", "2", "3"]


def test_sqlite_counter_keeps_counting_after_a_restart(tmp_path, monkeypatch):
    database = tmp_path / "counter.sqlite3"
    _fresh_sqlite_app(database, monkeypatch).test_client().get("/increase")
    restarted = _fresh_sqlite_app(database, monkeypatch)
    assert restarted.test_client().get("/increase").text == "2"


def test_sqlite_counter_takes_its_database_from_the_environment(tmp_path, monkeypatch):
    app = _fresh_sqlite_app(tmp_path / "from-env.sqlite3", monkeypatch)
    assert app.config["COUNTER_DATABASE"] == str(tmp_path / "from-env.sqlite3")


def test_sqlite_counter_closes_its_connection_after_each_request(tmp_path, monkeypatch):
    app = _fresh_sqlite_app(tmp_path / "counter.sqlite3", monkeypatch)
    client = app.test_client()
    with client:
        client.get("/increase")
        connection = g.db
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")


def _fresh_sqlite_app(database: Path, monkeypatch: pytest.MonkeyPatch):
    """The module imported anew, so that it reads the environment variable again."""
    monkeypatch.setenv(sqlite_counter.DATABASE_VARIABLE, str(database))
    monkeypatch.delitem(sys.modules, sqlite_counter.__name__)
    return importlib.import_module(sqlite_counter.__name__).app
