"""A load test of the memo app that checks every write: nothing acknowledged is lost or doubled.

Simulated users (``client.py``), two per account, register, log in (one with
a bearer token, one through the login page with the session cookie), then
create, update, label, trash, restore, delete and read memos and upload
images over HTTP, each keeping a record of every write the server
acknowledged (``ledger.py``). After the run the database is read directly
and compared with those records (``verify.py``); ``stats.py`` makes the
requests per second and latencies, ``report.py`` writes them to
``benchmarks/results/memo_load.md`` and ``.json``.

The servers are started by ``tests/memo/test_load.py`` (one uWSGI on
SQLite; two behind nginx on PostgreSQL, one killed halfway), which runs a
short version in CI and the long one when ``MEMO_LOAD_SECONDS`` is set.
``python -m benchmarks.memo_load`` loads a server that is already running.

Why a script of our own rather than locust: what matters here is the
clients' record of acknowledged writes and how they retry (the same
``Idempotency-Key``, the same ``If-Match``, a read to settle a lost answer),
which would be our code inside locust too; locust would add gevent, which
monkey-patches sockets and threads in the process that imports it (here,
the pytest process that also starts the servers). Threads with
``http.client`` are enough to keep 32 clients busy against a server whose
requests each take milliseconds.

The idea to take away: a load test that only counts requests per second
says nothing about correctness; one that keeps its own ledger can say
"0 lost, 0 duplicated" and mean it.
"""
