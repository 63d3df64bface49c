"""Seed 002's counter (Test #13), twice: kept in a global variable, and kept in SQLite.

See README.md. ``global_counter`` is the seed's program, wrong as soon as a
server runs it in more than one process; ``sqlite_counter`` keeps the count
outside the processes, where all of them see the same one.
"""
