"""Signals: named events that code outside the app can listen to, with blinker.

Flask counterpart: ``flask/signals.py``; the signals are blinker's.

The idea to take away: a signal is a broadcast with no reply expected. The
framework *sends* ``request_started`` at a fixed point of every request; any
number of receivers, connected from anywhere (an extension, a test, a metrics
module), are called with the app as the sender and a few keyword arguments.
Unlike a hook (``before_request``), a receiver cannot change the request or
the response; it only observes. That makes signals the right tool for logging,
metrics and tests, and the wrong one for behaviour.

    from microwsgi import template_rendered

    def remember(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(remember, app)   # only this app's renders

Each signal, where the request path sends it, and its keyword arguments:

=========================  =============================================  ================
signal                     sent                                           keyword arguments
=========================  =============================================  ================
``appcontext_pushed``      when a context (every request's too) is        —
                           pushed
``request_started``        before the ``before_request`` hooks            —
``before_render_template`` before a template is rendered; a receiver      ``template``,
                           may still change ``context``                   ``context``
``template_rendered``      after a template was rendered                  ``template``,
                                                                          ``context``
``message_flashed``        when ``flash()`` stores a message              ``message``,
                                                                          ``category``
``got_request_exception``  when an exception reaches ``handle_exception`` ``exception``
                           (before it is logged, or propagated)
``request_finished``       after the ``after_request`` hooks, with the    ``response``
                           response about to be sent
``request_tearing_down``   after the ``teardown_request`` functions       ``exc``
``appcontext_tearing_down`` after the ``teardown_appcontext`` functions   ``exc``
``appcontext_popped``      when the context has been popped               —
=========================  =============================================  ================

A receiver written with ``async def`` is run to its end through
``app.ensure_sync`` (see ``app.py``), as Flask does.

Sending is free when nobody listens. ``import microwsgi`` does not import
this module (blinker imports ``inspect``, which costs more to import than
microwsgi itself); ``microwsgi.request_started`` and ``from microwsgi import
request_started`` import it on first use. Until then nobody can have
connected a receiver, so the modules that send signals keep a variable
``_signals`` that is ``None`` and skip sending with one comparison. When this
module is imported it sets that variable (the last lines below); from then
on each sending point checks blinker's ``signal.receivers`` before sending,
so a signal nobody is connected to still costs one dictionary's truth test.
"""

from __future__ import annotations

import importlib
import sys

from blinker import Namespace

__all__ = [
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "before_render_template",
    "got_request_exception",
    "message_flashed",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "template_rendered",
]

# The framework's own signals; an app or extension makes its own namespace for its own.
_signals = Namespace()

template_rendered = _signals.signal("template-rendered")
before_render_template = _signals.signal("before-render-template")
request_started = _signals.signal("request-started")
request_finished = _signals.signal("request-finished")
request_tearing_down = _signals.signal("request-tearing-down")
got_request_exception = _signals.signal("got-request-exception")
appcontext_tearing_down = _signals.signal("appcontext-tearing-down")
appcontext_pushed = _signals.signal("appcontext-pushed")
appcontext_popped = _signals.signal("appcontext-popped")
message_flashed = _signals.signal("message-flashed")


def _tell_the_senders() -> None:
    """From now on a receiver may be connected: let the sending modules look."""
    this_module = sys.modules[__name__]
    for sender in ("app", "ctx", "flash", "templating"):
        # By module name: the package's attribute "flash" is the function, not the module.
        vars(importlib.import_module(f"microwsgi.{sender}"))["_signals"] = this_module


_tell_the_senders()
