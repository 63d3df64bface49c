"""Benchmarks: microwsgi measured beside a bare WSGI callable, Flask, Bottle and Falcon.

Run ``python -m benchmarks.run`` (see ``benchmarks/README.md``). Each section
of the suite is one module: ``inprocess`` (calling the WSGI callable
directly), ``importtime``, ``endtoend`` (uWSGI loaded by wrk) and ``memory``;
``report`` writes the Markdown table and the chart. The five applications
live side by side in ``benchmarks/apps/``, one module per framework.

The idea to take away: a framework's cost is what it adds on top of the bare
WSGI callable, so every figure is shown next to that floor and next to Flask.
"""
