"""The quick-start trap: a script that serves itself with ``app.run()``.

``python tests/apps/script.py PORT`` serves on 127.0.0.1:PORT.
"""

from __future__ import annotations

import sys

from microwsgi import App

app = App(__name__)


@app.route("/")
def hello() -> str:
    return "Hello from app.run()!"


if __name__ == "__main__":
    app.run(port=int(sys.argv[1]))
