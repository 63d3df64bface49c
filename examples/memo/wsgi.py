"""The app for WSGI servers: ``uwsgi --module examples.memo.wsgi:app``.

Set ``MEMO_ENV=production``, ``SECRET_KEY`` and ``DATABASE_URL`` in the
server's environment, and run ``microwsgi --app examples.memo db upgrade``
before starting it: production never changes its schema by itself.
"""

from __future__ import annotations

from . import create_app

app = create_app()
