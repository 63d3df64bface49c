"""The database connection: one engine per app, one session per request.

The engine (a pool of connections) is made once, when the app is created.
``get_session()`` opens an ORM session the first time a request (or a
command) needs one and keeps it on ``g``; ``close_session`` runs in
``teardown_appcontext``, after every request whether it succeeded or not,
and rolls back whatever was not committed. Nothing else is kept between
requests, so any number of processes and threads can serve the app.

SQLite gets, on every connection: WAL journaling (readers do not wait for a
writer), a busy timeout (a writer waits for another process's lock instead of
failing at once), foreign keys, and a Unicode ``lower()`` so that
case-insensitive search works beyond ASCII. Requests that change data start
their transaction with ``BEGIN IMMEDIATE``: they take the write lock first,
so two writers queue on the busy timeout rather than one failing with
"database is locked" when it upgrades a read lock.

A request that only reads (GET, HEAD, OPTIONS) reads from one snapshot, on
PostgreSQL too (REPEATABLE READ): a memo's labels and image are those of
the version its ETag names.

SQLite's write lock is the database's only one, so a request must not keep it while
it does slow work that needs no database: every other writer of every
process queues behind it and, past the busy timeout, fails with a 503.
``end_transaction()`` ends the request's transaction before such work
(on SQLite; PostgreSQL locks rows, and reading locks none a writer needs);
the API calls it once it knows who the caller is (before the body is read
and checked), and logging in and registering call it before scrypt runs.

A database that cannot answer (the server is down or refuses connections,
SQLite's lock is still held after the busy timeout, the connection pool
stays empty) is the service being unavailable, not a bug in the request:
``database_unavailable`` answers 503 with ``Retry-After`` (RFC 9110,
15.6.4), as JSON under ``/api``, and logs the cause, so that clients and
load balancers know to retry rather than to give up.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from microwsgi import App, current_app, g, has_request_context, request
from microwsgi.exceptions import ServiceUnavailable
from microwsgi.typing import ResponseValue

#: Methods that only read: their transactions start as plain (deferred) BEGIN.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXTENSION_KEY = "memo.db"
#: The errors of a database that cannot answer now: a refused or lost connection,
#: SQLite's lock held past the busy timeout, no free connection in the pool.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError)
#: Seconds a client is asked to wait before retrying, in a 503's ``Retry-After``.
RETRY_AFTER_SECONDS = 5


class Database:
    """The engine of one app, made from a database URL."""

    def __init__(self, url: str, *, echo: bool = False, busy_timeout_ms: int = 5_000) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            # A PostgreSQL server may restart under us; check a pooled connection first.
            options["pool_pre_ping"] = True
        self.engine: Engine = create_engine(self.url, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout_ms)
        self._writer = self.engine.execution_options(memo_begin="IMMEDIATE")
        # A request that only reads sees one snapshot in all its statements. SQLite's
        # transactions do already; PostgreSQL's default (READ COMMITTED) gives each
        # statement its own, so a memo read while it changed could come with the labels
        # of the next version under the ETag of this one. A transaction that only reads
        # never fails to serialize at REPEATABLE READ; writes keep READ COMMITTED and the
        # version check.
        self._reader = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="REPEATABLE READ")
        )

    def session(self, *, write: bool = True) -> Session:
        """A new session; ``write=False`` for one that only reads (SQLite: a deferred BEGIN)."""
        return Session(self._writer if write else self._reader, expire_on_commit=False)

    def dispose(self) -> None:
        """Close every pooled connection (tests do this before deleting a database file)."""
        self.engine.dispose()


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver (``postgres://`` included)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(path: str) -> str:
    return "sqlite:///" + os.path.abspath(path)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, instead of the sqlite3
        # module's own implicit transactions (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: no corruption, fewer fsyncs
        cursor.close()
        # SQLite's lower() folds only ASCII; ILIKE is rendered with lower().
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("memo_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# -- per app and per request -------------------------------------------------


def init_app(app: App, url: str) -> Database:
    """Make the app's engine and close each request's session when its context ends."""
    database = Database(
        url,
        echo=bool(app.config["DATABASE_ECHO"]),
        busy_timeout_ms=int(app.config["SQLITE_BUSY_TIMEOUT_MS"]),
    )
    app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(close_session)
    for error in UNAVAILABLE_ERRORS:
        app.register_error_handler(error, database_unavailable)
    return database


def database_unavailable(exc: Exception) -> ResponseValue:
    """A 503 with ``Retry-After`` for a database that cannot answer; the cause is logged.

    The answer goes through the app's handler for HTTP errors, so the API's is JSON
    in its one shape and a page's is a page.
    """
    current_app.logger.error("The database is unavailable: %s", exc, exc_info=exc)
    unavailable = ServiceUnavailable(
        "The database is unavailable just now; try again in a few seconds.",
        retry_after=RETRY_AFTER_SECONDS,
    )
    return current_app.handle_http_exception(unavailable)


def get_database(app: App | None = None) -> Database:
    target = app if app is not None else current_app
    return target.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def get_session() -> Session:
    """This request's (or command's) session, opened on first use."""
    session: Session | None = g.get("db_session")
    if session is None:
        write = not (has_request_context() and request.method in SAFE_METHODS)
        session = g.db_session = get_database().session(write=write)
    return session


def end_transaction() -> None:
    """On SQLite, commit this request's transaction before slow work that needs no database.

    The session stays usable: its next statement begins a new transaction
    (and a request that writes takes the write lock again then). On
    PostgreSQL it does nothing: a transaction that has only read holds no
    lock a writer waits for, and ending it would cost a commit and a
    connection check-out (with its ping) per request.
    """
    session: Session | None = g.get("db_session")
    if session is not None and session.in_transaction() and get_database().is_sqlite:
        session.commit()


def close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back anything not committed
