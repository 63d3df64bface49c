"""Class-based views: a view written as a class instead of a function.

Flask counterpart: ``flask/views.py`` (``View`` and ``MethodView``), which is
also what Flask-RESTful's and Flask-RESTX's ``Resource`` classes build on.

The idea to take away: the router only knows *functions*. ``as_view`` turns a
class into one: the function it returns builds an instance of the class (for
every request, by default) and calls its ``dispatch_request`` with the URL's
variables. ``MethodView`` adds a single convention on top: the method named
after the HTTP verb answers it, ``get`` for GET, ``post`` for POST, and the
rule's ``methods`` are read from the names the class defines.

    class UserAPI(MethodView):
        def get(self, user_id):
            return {"id": user_id}

        def delete(self, user_id):
            return "", 204

    app.add_url_rule("/users/<int:user_id>", view_func=UserAPI.as_view("user"))

Where this differs from Flask: when a ``MethodView`` lists a method in
``methods`` but has no function for it, the request gets a 405 with the right
``Allow`` header instead of failing an ``assert`` (a 500). And the HTTP method
is only looked up among the names of HTTP methods, so a request can never
reach another attribute of the class by choosing a strange method name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from .exceptions import MethodNotAllowed
from .globals import request

#: The methods a ``MethodView`` looks for, one per HTTP method of RFC 9110 (and PATCH).
HTTP_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})


class View:
    """A view as a class: subclass it, write ``dispatch_request``, register ``as_view(name)``.

    Class attributes configure the function ``as_view`` makes:

    ``methods``
        The HTTP methods the URL rule accepts (``["GET", "POST"]``); None
        means the router's default, GET.
    ``provide_automatic_options``
        Whether the router answers OPTIONS itself; None means "yes, unless
        OPTIONS is in ``methods``".
    ``decorators``
        Decorators applied to the view function, first in the list innermost,
        as if written above a ``def`` from bottom to top. This is how a class
        gets ``login_required``: ``@`` cannot decorate the function that
        ``as_view`` makes later.
    ``init_every_request``
        True: a new instance for every request, so attributes set on ``self``
        never leak into another request. False: one instance made by
        ``as_view`` serves every request (cheaper); then ``self`` must not be
        used to store per-request data, because concurrent requests share it.
    """

    methods: ClassVar[Collection[str] | None] = None
    provide_automatic_options: ClassVar[bool | None] = None
    decorators: ClassVar[list[Callable[..., Any]]] = []
    init_every_request: ClassVar[bool] = True

    def dispatch_request(self, **view_args: Any) -> Any:
        """Answer the request; receives the URL's variables as keyword arguments.

        Return anything a view function may return.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must define dispatch_request(self, **view_args), "
            "the method that answers a request (or subclass MethodView and define get, "
            "post, ... instead)."
        )

    @classmethod
    def as_view(cls, name: str, *class_args: Any, **class_kwargs: Any) -> Callable[..., Any]:
        """A view function for this class, to pass to ``add_url_rule(view_func=...)``.

        ``name`` becomes the endpoint (``url_for(name)``). ``class_args`` and
        ``class_kwargs`` are passed to the class's ``__init__``, so one class
        can serve several rules with different settings.
        """
        if cls.init_every_request:

            def view(**view_args: Any) -> Any:
                # view.view_class, not cls: a test may swap the class on the function.
                instance = view_function.view_class(*class_args, **class_kwargs)
                return instance.dispatch_request(**view_args)

        else:
            shared_instance = cls(*class_args, **class_kwargs)

            def view(**view_args: Any) -> Any:
                return shared_instance.dispatch_request(**view_args)

        if cls.decorators:
            # Decorators that copy __name__ (functools.wraps) should see the endpoint name.
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        view_function: Any = view
        view_function.view_class = cls
        view_function.__name__ = name
        view_function.__qualname__ = f"{cls.__qualname__}.as_view({name!r})"
        view_function.__doc__ = cls.__doc__
        view_function.__module__ = cls.__module__
        view_function.methods = cls.methods
        view_function.provide_automatic_options = cls.provide_automatic_options
        return view  # type: ignore[no-any-return]


class MethodView(View):
    """A view whose methods ``get``, ``post``, ``put``, ... answer the HTTP method of that name.

    ``methods`` is filled in when the class is defined: every HTTP method
    the class has a function for, its own or inherited, plus the ``methods``
    of its base classes. A class that sets ``methods`` itself keeps its
    list. A HEAD request is answered by ``get`` unless the class defines
    ``head``; OPTIONS is answered by the router unless the class defines
    ``options``.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            methods.update(getattr(base, "methods", None) or ())
        for name in HTTP_METHOD_NAMES:
            if hasattr(cls, name):
                methods.add(name.upper())
        if methods:
            cls.methods = frozenset(methods)

    def dispatch_request(self, **view_args: Any) -> Any:
        """Call the method named after the request's HTTP method."""
        handler = self._handler_for(request.method)
        if handler is None:
            raise MethodNotAllowed(valid_methods=self._allowed_methods())
        return handler(**view_args)

    def _handler_for(self, method: str) -> Callable[..., Any] | None:
        name = method.lower()
        # An extension method (WebDAV's PROPFIND, say) counts only if the class lists it.
        if name not in HTTP_METHOD_NAMES and method not in (self.methods or ()):
            return None
        handler = getattr(self, name, None)
        if handler is None and method == "HEAD":
            handler = getattr(self, "get", None)
        return handler

    def _allowed_methods(self) -> set[str]:
        """The rule's methods that this class can answer: the ``Allow`` of its 405."""
        rule = request.url_rule
        candidates = rule.methods if rule is not None else (self.methods or ())
        allowed = {method for method in candidates if self._handler_for(method) is not None}
        if "GET" in allowed:
            allowed.add("HEAD")
        if rule is not None and rule.provide_automatic_options:
            allowed.add("OPTIONS")
        return allowed
