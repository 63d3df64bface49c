"""``python -m benchmarks.memo_load URL DATABASE_URL``: load a running memo app, then check it.

For a memo app that is already served (the tests start their own servers,
see ``tests/memo/test_load.py``). The database must be the one the app
writes to, reachable from here; the users the clients register are new
(``load-<random>-<n>``), so existing data is left alone. Prints the figures
and findings as JSON; exits with 1 when anything acknowledged was lost,
doubled or wrong, or a request hung.
"""

from __future__ import annotations

import argparse
import json
import sys

from .run import run_load, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memo_load", description=__doc__)
    parser.add_argument("url", help="the app, e.g. http://127.0.0.1:8080")
    parser.add_argument("database_url", help="its DATABASE_URL, to check the writes")
    parser.add_argument("--clients", type=int, default=32, help="an even number (32)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--no-keep-alive",
        action="store_true",
        help="close the connection after each request (uWSGI's plain http-socket)",
    )
    options = parser.parse_args(argv)
    result = run_load(
        options.url,
        options.database_url,
        clients=options.clients,
        seconds=options.seconds,
        keep_alive=not options.no_keep_alive,
    )
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    wrong = verdict(result)
    for line in wrong:
        print(line, file=sys.stderr)
    return 1 if wrong or result["hung"] else 0


if __name__ == "__main__":
    sys.exit(main())
