"""Seed 002's raw WSGI apps (Tests #11, #12): no framework at all, the "before" picture."""
