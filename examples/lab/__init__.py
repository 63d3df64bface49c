"""Seed 002's lab, Tests #1-#9: nine small programs, one module each (see README.md)."""
