"""``python -m examples.guestbook``: the development server."""

from . import create_app

create_app().run()
