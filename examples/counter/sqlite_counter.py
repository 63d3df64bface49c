"""The counter done right: the count lives in SQLite, increased by one atomic statement.

    microwsgi --app examples.counter.sqlite_counter run
    uwsgi --ini uwsgi.ini --module examples.counter.sqlite_counter:app --processes 2 --threads 1

The idea to take away: ``UPDATE counter SET n = n + 1 ... RETURNING n`` reads,
adds and writes in one statement, and SQLite runs one writer at a time, so
two requests can never both read 5 and both answer 6. Reading the number in
one statement and writing it back in another would bring that race back.

The database file is ``app.config["COUNTER_DATABASE"]``, taken from the
environment variable ``MICROWSGI_COUNTER_DATABASE``, else
``microwsgi-counter.sqlite3`` in the system's temporary folder. Every
process that serves the app must use the same file.

Also shown: a connection kept in ``g`` for one request and closed by a
``teardown_appcontext`` function, and ``before_first_request`` for set-up
that each process runs once (creating a table that may already exist is
harmless, so it does not matter that every process does it).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile

from microwsgi import Flask, g

DATABASE_VARIABLE = "MICROWSGI_COUNTER_DATABASE"

app = Flask(__name__)
app.config["COUNTER_DATABASE"] = os.environ.get(DATABASE_VARIABLE) or os.path.join(
    tempfile.gettempdir(), "microwsgi-counter.sqlite3"
)


def get_db() -> sqlite3.Connection:
    """This request's connection, opened on first use."""
    if "db" not in g:
        # isolation_level=None: each statement commits on its own; timeout: how long
        # to wait while another process holds the write lock, instead of failing at once.
        g.db = sqlite3.connect(app.config["COUNTER_DATABASE"], timeout=10, isolation_level=None)
    return g.db


@app.teardown_appcontext
def close_db(exception: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.before_first_request
def create_table() -> None:
    db = get_db()
    db.execute(
        "CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER)"
    )
    db.execute("INSERT OR IGNORE INTO counter (id, n) VALUES (1, 0)")


@app.route("/increase")
def on_increase() -> str:
    # fetchall() runs the statement to its end, which is when SQLite commits it.
    [(count,)] = (
        get_db().execute("UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n").fetchall()
    )
    return str(count)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
