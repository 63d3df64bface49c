"""Sessions kept in a signed cookie.

Flask counterpart: ``flask/sessions.py`` (which signs with ``itsdangerous``).

The idea to take away: the server keeps *nothing*. The session dict travels
to the browser as JSON inside a cookie, followed by a timestamp and an
HMAC-SHA256 signature made with ``SECRET_KEY``. The browser can read the
cookie (so never put secrets in a session) but cannot change it: any change
breaks the signature, and a broken signature gives an empty session. Because
no server holds state, any number of worker processes or machines can serve
the same user, as long as they share the key.

Cookie format, all parts URL-safe base64 without padding::

    <json payload> . <timestamp> . <signature over "payload.timestamp">

The payload is *tagged* JSON (``json_tag.py``), so a tuple, bytes, a
datetime, a UUID or ``Markup`` stored in the session comes back as itself.

The session is opened on first use, and using it sets ``session.accessed``:
the response then carries ``Vary: Cookie``, so that a shared cache never
gives one user's page to another.

The signing key is derived from ``SECRET_KEY`` for this one purpose, so the
same secret used elsewhere (CSRF tokens, say) never yields interchangeable
signatures. Old keys listed in ``SECRET_KEY_FALLBACKS`` are still accepted for
reading, so a key can be rotated without logging everybody out.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from .globals import _request_ctx_or_none
from .json_tag import TaggedJSONSerializer
from .wire import PATH_SAFE

if TYPE_CHECKING:
    from .app import App
    from .request import Request
    from .response import Response


#: The serializer session cookies are written with (see ``json_tag.py``).
session_json_serializer = TaggedJSONSerializer()


def _current_request_or_none() -> Request | None:
    ctx = _request_ctx_or_none()
    return ctx.request if ctx is not None else None


class SessionMixin:
    """What every session object has beside its dict face (Flask's ``SessionMixin``).

    A session interface that keeps sessions elsewhere can return any
    ``dict`` subclass that also inherits this.
    """

    #: Whether the session was just created, with no cookie behind it.
    new = False
    #: Whether the session was changed; a session interface may assume so.
    modified = True
    #: Whether the view used the session (read or wrote it) in this request: the
    #: response then depends on the cookie, and is sent with ``Vary: Cookie``.
    accessed = False

    @property
    def permanent(self) -> bool:
        """A permanent session's cookie outlives the browser, for ``PERMANENT_SESSION_LIFETIME``."""
        return bool(self.get("_permanent", False))  # type: ignore[attr-defined]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)  # type: ignore[index]


class Session(dict[str, Any], SessionMixin):
    """A dict that remembers whether it was changed, so unchanged sessions send no cookie.

    Changing a mutable value in place (``session["cart"].append(x)``) is not
    seen; set ``session.modified = True`` after doing so.
    """

    def __init__(self, initial: Any = None, new: bool = False) -> None:
        super().__init__(initial or {})
        self.modified = False
        self.accessed = False
        self.new = new

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def clear(self) -> None:
        self.modified = True
        super().clear()

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.modified = True
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        self.modified = True
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self.modified = True
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self.modified = True
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> Session:  # type: ignore[override,misc]
        self.modified = True
        super().update(other)
        return self


#: Flask's name for the session class of signed-cookie sessions.
SecureCookieSession = Session


class NullSession(Session):
    """The session when no ``SECRET_KEY`` is set: readable (empty), not writable."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The session is unavailable because no secret key was set. A session is "
            "stored in a cookie signed with app.config['SECRET_KEY']; without it anyone "
            "could forge one. Set it from the environment, never in source code, e.g.\n"
            "    app.config['SECRET_KEY'] = os.environ['SECRET_KEY']\n"
            "and make a good key with: python -c 'import secrets; print(secrets.token_hex())'"
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _fail  # type: ignore[assignment]


class SessionInterface:
    """How sessions are loaded and saved. Replace ``app.session_interface`` with a
    subclass to keep sessions elsewhere (a database, Redis).

    ``open_session`` and ``save_session`` are the two to write; the
    ``get_cookie_*`` methods read the cookie's settings from the config and
    can be overridden one by one (a cookie name that depends on the request,
    say).
    """

    null_session_class = NullSession
    #: Flask's flag for interfaces that pickle; this one stores JSON.
    pickle_based = False

    def make_null_session(self, app: App) -> Session:
        """The stand-in session when ``open_session`` gives None (no ``SECRET_KEY``):
        empty, and any change raises ``RuntimeError`` saying how to set the key.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Whether ``obj`` is the stand-in session used when sessions cannot work."""
        return isinstance(obj, self.null_session_class)

    def open_session(self, app: App, request: Request) -> Session | None:
        """Load the session for ``request``; None means "use the null session"."""
        raise NotImplementedError

    def save_session(self, app: App, session: Session, response: Response) -> None:
        """Store ``session`` (usually by setting a cookie on ``response``)."""
        raise NotImplementedError

    # Cookie settings, from config; the path follows the mount point when not configured.

    def get_cookie_name(self, app: App) -> str:
        """``SESSION_COOKIE_NAME`` (``"session"`` by default)."""
        return str(app.config["SESSION_COOKIE_NAME"])

    def get_cookie_domain(self, app: App) -> str | None:
        """``SESSION_COOKIE_DOMAIN``; None keeps the cookie to the host that set it."""
        return app.config["SESSION_COOKIE_DOMAIN"] or None

    def get_cookie_path(self, app: App, request: Request | None = None) -> str:
        """``SESSION_COOKIE_PATH``, else the mount point the request came through
        (``SCRIPT_NAME``), else ``APPLICATION_ROOT``."""
        configured = app.config["SESSION_COOKIE_PATH"]
        if configured:
            return str(configured)
        if request is None:
            request = _current_request_or_none()
        if request is not None and request.script_root:
            # As the browser sees the path: percent-encoded UTF-8, not decoded text.
            return quote(request.script_root, safe=PATH_SAFE)
        return app.config["APPLICATION_ROOT"] or "/"

    def get_cookie_httponly(self, app: App) -> bool:
        """``SESSION_COOKIE_HTTPONLY``: when true, scripts in the page cannot read the cookie."""
        return bool(app.config["SESSION_COOKIE_HTTPONLY"])

    def get_cookie_secure(self, app: App) -> bool:
        """``SESSION_COOKIE_SECURE``: when true, the browser sends the cookie over HTTPS only."""
        return bool(app.config["SESSION_COOKIE_SECURE"])

    def get_cookie_samesite(self, app: App) -> str | None:
        """``SESSION_COOKIE_SAMESITE`` (``"Lax"``, ``"Strict"``, ``"None"``; None: no attribute)."""
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: App) -> bool:
        """``SESSION_COOKIE_PARTITIONED``: one copy of the cookie per top-level site (CHIPS)."""
        return bool(app.config["SESSION_COOKIE_PARTITIONED"])

    def get_expiration_time(self, app: App, session: Session) -> datetime | None:
        """When the cookie expires, as an aware UTC datetime: now plus
        ``PERMANENT_SESSION_LIFETIME`` for a permanent session; None (the cookie
        lasts as long as the browser session) otherwise.
        """
        if not session.permanent:
            return None  # a browser-session cookie: gone when the browser closes
        return datetime.now(UTC) + _lifetime(app)

    def should_set_cookie(self, app: App, session: Session) -> bool:
        """Send the cookie when the session changed, and on every request for a
        permanent session (so it expires a lifetime after the last visit)."""
        if session.modified:
            return True
        return session.permanent and bool(app.config["SESSION_REFRESH_EACH_REQUEST"])


class SecureCookieSessionInterface(SessionInterface):
    """Sessions stored in the browser, in a cookie signed with HMAC-SHA256.

    The session is written with the tagged JSON ``serializer`` (see
    ``json_tag.py``), so tuples, bytes, datetimes, UUIDs and ``Markup`` come
    back as they were stored.
    """

    session_class = Session
    salt: str | bytes = b"microwsgi.session"
    serializer = session_json_serializer

    def open_session(self, app: App, request: Request) -> Session | None:
        """The session in the request's cookie, if its signature is good and younger
        than ``PERMANENT_SESSION_LIFETIME``; else a new, empty session (a tampered,
        expired or garbled cookie counts as none). None without a ``SECRET_KEY``,
        so that the app uses the null session.
        """
        if not app.secret_key:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class(new=True)
        max_age = _lifetime(app).total_seconds()
        data = load_signed(
            cookie, signing_keys(app, self.salt), max_age, serializer=self.serializer
        )
        if not isinstance(data, dict):
            return self.session_class(new=True)  # tampered, expired or garbled: start afresh
        return self.session_class(data)

    def get_signing_serializer(self, app: App) -> SigningSerializer | None:
        """What writes and reads this app's session cookies, for code that makes or
        checks one by hand (a test logging a user in through the cookie):
        ``serializer.dumps({"user_id": 7})`` and ``serializer.loads(cookie)``.
        ``None`` without a ``SECRET_KEY``. Flask's method of this name gives
        itsdangerous's serializer; this one has its ``dumps`` and ``loads``."""
        if not app.secret_key:
            return None
        return SigningSerializer(signing_keys(app, self.salt), self.serializer)

    def save_session(self, app: App, session: Session, response: Response) -> None:
        """Set the signed cookie on ``response`` when ``should_set_cookie`` says so,
        or delete it when a stored session was emptied; add ``Vary: Cookie`` when
        the session was read. Raises ``TypeError``, naming the types a session can
        hold, when a value cannot be written as tagged JSON.
        """
        name = self.get_cookie_name(app)
        attributes: dict[str, Any] = {
            "path": self.get_cookie_path(app),
            "domain": self.get_cookie_domain(app),
            "secure": self.get_cookie_secure(app),
            "httponly": self.get_cookie_httponly(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": self.get_cookie_partitioned(app),
        }
        # A response built from the session differs from one user to the next:
        # shared caches must keep it apart by the Cookie header.
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified and not session.new:
                # The deletion repeats every attribute: a browser keeps cookies by
                # name, domain and path, and refuses a Partitioned or Secure cookie
                # written without them.
                response.delete_cookie(name, **attributes)
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        try:
            value = dump_signed(
                dict(session), signing_keys(app, self.salt)[0], serializer=self.serializer
            )
        except TypeError as error:
            raise TypeError(
                f"The session could not be saved: {str(error).rstrip('.')}. A session is "
                "stored as JSON, so its values must be str, int, float, bool, None, list, "
                "dict, or one of the types the tagged serializer keeps: tuple, bytes, "
                "datetime, UUID, Markup. "
                "Store another object as one of those (its id, or value.isoformat())."
            ) from error
        response.set_cookie(
            name, value, expires=self.get_expiration_time(app, session), **attributes
        )
        response.vary.add("Cookie")


class BadSignature(ValueError):
    """A signed value that was changed, signed with another key, expired, or is not a
    signed value at all (itsdangerous's name, which Flask's sessions module shows)."""


class SigningSerializer:
    """Signs values and checks them with the keys of one purpose (``get_signing_serializer``)."""

    def __init__(self, keys: list[bytes], serializer: _Serializer) -> None:
        self.keys = keys
        self.serializer = serializer

    def dumps(self, value: Any) -> str:
        """``value`` written, timestamped and signed with the current key."""
        return dump_signed(value, self.keys[0], serializer=self.serializer)

    def loads(self, signed: str | bytes, max_age: float | None = None) -> Any:
        """The value inside ``signed``; ``BadSignature`` if any key's signature does not
        match, or it is older than ``max_age`` seconds."""
        text = signed.decode("ascii", "replace") if isinstance(signed, bytes) else signed
        value = load_signed(text, self.keys, max_age, serializer=self.serializer)
        if value is None:
            raise BadSignature("The signature does not match, or the value expired.")
        return value


def _lifetime(app: App) -> timedelta:
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    return lifetime if isinstance(lifetime, timedelta) else timedelta(seconds=lifetime)


def signing_keys(app: App, salt: str | bytes) -> list[bytes]:
    """The current key first, then the fallbacks, each derived for ``salt``'s purpose.

    The one helper for every signature the app makes (sessions, CSRF tokens):
    ``SECRET_KEY_FALLBACKS`` may be unset, ``None`` or a list, and empty keys
    are skipped.
    """
    secrets = [app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ())]
    return [derive_key(secret, salt) for secret in secrets if secret]


def derive_key(secret: str | bytes, salt: str | bytes) -> bytes:
    """A key for one purpose (``salt``, text or bytes) from the app's secret.

    Text is encoded as UTF-8: a session interface subclass may set ``salt``
    to a string, which is the type Flask's ``SecureCookieSessionInterface.salt``
    has.
    """
    if not isinstance(secret, str | bytes):
        raise TypeError(
            f"SECRET_KEY must be text or bytes, not {type(secret).__name__}. From the "
            "environment, read os.environ['SECRET_KEY'] directly, or quote the value for "
            """from_prefixed_env (MICROWSGI_SECRET_KEY='"12345"')."""
        )
    secret_bytes = secret.encode() if isinstance(secret, str) else secret
    salt_bytes = salt.encode() if isinstance(salt, str) else salt
    return _hmac_sha256(secret_bytes, salt_bytes)


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    # hashlib loads OpenSSL: imported on first use, to keep `import microwsgi` fast.
    import hashlib
    import hmac

    return hmac.new(key, message, hashlib.sha256).digest()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, message: bytes) -> str:
    return _b64encode(_hmac_sha256(key, message))


class _Serializer(Protocol):
    def dumps(self, value: Any) -> str: ...
    def loads(self, value: str | bytes) -> Any: ...


class _CompactJSON:
    """Plain JSON in its shortest form: what signed values hold unless told otherwise."""

    @staticmethod
    def dumps(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    @staticmethod
    def loads(value: str | bytes) -> Any:
        return json.loads(value)


def dump_signed(
    value: Any, key: bytes, now: float | None = None, serializer: _Serializer = _CompactJSON
) -> str:
    """``value`` written by ``serializer`` (JSON), timestamped and signed with ``key``."""
    payload = _b64encode(serializer.dumps(value).encode())
    timestamp = _b64encode(int(now if now is not None else time.time()).to_bytes(8, "big"))
    message = f"{payload}.{timestamp}"
    return f"{message}.{_sign(key, message.encode())}"


def load_signed(
    signed: str,
    keys: Iterable[bytes],
    max_age: float | None = None,
    now: float | None = None,
    serializer: _Serializer = _CompactJSON,
) -> Any:
    """The value inside ``signed`` if a key's signature matches and it is not too old.

    Returns None for anything else; the caller must not learn *why* a forged
    value failed. ``hmac.compare_digest`` compares in constant time, so the
    time taken does not reveal how much of a guessed signature was right.
    """
    try:
        payload, timestamp, signature = signed.split(".")
    except ValueError:
        return None
    if not signed.isascii():  # compare_digest takes ASCII text only, and a forgery deserves None
        return None
    message = f"{payload}.{timestamp}".encode()
    import hmac

    if not any(hmac.compare_digest(_sign(key, message), signature) for key in keys):
        return None
    try:
        issued = int.from_bytes(_b64decode(timestamp), "big")
        age = (now if now is not None else time.time()) - issued
        if max_age is not None and age > max_age:
            return None
        return serializer.loads(_b64decode(payload))
    except (ValueError, TypeError, KeyError):
        return None
