"""The calculator's arithmetic, with no web code: text in, a checked ``Calculation`` out.

Seed 002's ``do_calculation`` worked on Python ints and answered ``None``
for anything it did not know. Here every way an input can be wrong raises
``CalculationError``, which carries a message in Korean (for the seed's
users) and in English, and names the field that was wrong, so the page can
point at it and the API can say which part of the URL to fix.

The idea to take away: parse the input into exact numbers once, at the
edge, with rules you can state. ``decimal.Decimal`` keeps ``0.1 + 0.2``
equal to ``0.3``; floats would answer ``0.30000000000000004``.

The rules, all stated once here:

- A number is written like ``12``, ``-3``, ``+7``, ``0.5``, ``.5`` or ``12.``:
  ASCII digits with an optional sign and decimal point. No exponents
  (``1e5``), no ``NaN`` or ``Infinity``, no ``_`` separators.
- A number has at most ``MAX_DIGITS`` (15) digits, leading zeros included.
  Fifteen significant digits is what a double (a JavaScript ``Number``)
  holds exactly, so every number this API reads or writes survives a trip
  through any JSON client. A number from a JSON body arrives as a float or
  an int; it is counted as written out in full (``1e-20`` is
  ``0.00000000000000000001``, 21 digits), and the message says so.
- ``+ - *`` and ``%`` are computed exactly, ``/`` to 60 digits. The
  ``result`` has at most 15 significant digits too, rounded half to even:
  ``2 / 3`` is ``0.666666666666667``, and the product of two 14-digit
  numbers, exactly ``9999999999999800000000000001`` (28 digits), is
  ``9.99999999999998e+27``. When rounding changed an exact result, the
  exact value is kept as well (``Calculation.exact``): the JSON answer gives
  it as the string ``result_exact``, and the page shows it.
- ``%`` is Python's remainder: it takes the sign of the divisor, so
  ``-7 % 3`` is ``2``, as with Python's ints (``decimal`` alone would say ``-1``).
- Dividing, or taking a remainder, by zero is an error.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from typing import Any, NamedTuple

#: The most digits a number may have.
MAX_DIGITS = 15

#: The operators, by the symbol the JSON answer uses.
OPERATORS = ("+", "-", "*", "/", "%")

#: Other spellings accepted for an operator. ``/`` cannot be typed inside a
#: URL path segment, and ``%`` starts a percent-escape, so both have a word.
OPERATOR_ALIASES = {
    "div": "/",
    "mod": "%",
    "\u00d7": "*",  # multiplication sign
    "\u00f7": "/",  # division sign
    "\u2212": "-",  # minus sign
}

#: How an operator is written in a URL path built by the app: the alias for
#: ``/``, which a percent-encoded ``%2F`` would not survive on every server.
URL_SPELLING = {"/": "div"}

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

# Wide enough that + - * and % are exact for 15-digit operands, and that a
# quotient keeps its fractional digits until it is rounded to 15.
_EXACT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_SHOWN = decimal.Context(prec=MAX_DIGITS, rounding=decimal.ROUND_HALF_EVEN)

#: The fields of a calculation, as the JSON answer names them, with the words for them.
FIELD_NAMES = {
    "num1": ("첫 번째 수", "the first number"),
    "op": ("연산자", "the operator"),
    "num2": ("두 번째 수", "the second number"),
}


class CalculationError(ValueError):
    """Input the calculator cannot use. ``field`` is ``"num1"``, ``"op"`` or ``"num2"``,
    or None when the request as a whole could not be read."""

    def __init__(self, field: str | None, korean: str, english: str) -> None:
        super().__init__(english)
        self.field = field
        self.korean = korean
        self.english = english

    def as_json(self) -> dict[str, str | None]:
        """The body of a 400 answer: ``error`` in Korean, as in the seed, and ``error_en``."""
        return {"error": self.korean, "error_en": self.english, "field": self.field}


class Calculation(NamedTuple):
    """A finished calculation: the two numbers read, the operator, the result.

    ``result`` has at most 15 significant digits; ``exact`` is the exact
    result when it is known and has more (else None).
    """

    num1: Decimal
    op: str
    num2: Decimal
    result: Decimal
    exact: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        answer = {
            "num1": json_number(self.num1),
            "op": self.op,
            "num2": json_number(self.num2),
            # A rounded whole number is sent as a float, so that no client mistakes it
            # for the exact integer.
            "result": json_number(self.result) if self.exact is None else float(self.result),
        }
        if self.exact is not None:
            answer["result_exact"] = format_number(self.exact)
        return answer

    @property
    def result_text(self) -> str:
        """The result as the page shows it: exact when known, never with an exponent."""
        return format_number(self.result if self.exact is None else self.exact)

    def as_text(self) -> str:
        """``"12 * 5 = 60"``."""
        return (
            f"{format_number(self.num1)} {self.op} {format_number(self.num2)} = {self.result_text}"
        )


def compute(num1: Any, op: Any, num2: Any) -> Calculation:
    """Read both numbers and the operator, then calculate. Raises ``CalculationError``."""
    first = parse_number(num1, "num1")
    operator = parse_operator(op)
    second = parse_number(num2, "num2")
    exact = calculate_exactly(first, operator, second)
    result = round_result(exact) if exact is not None else calculate(first, operator, second)
    return Calculation(first, operator, second, result, exact if exact != result else None)


def parse_number(value: Any, field: str) -> Decimal:
    """``"12.5"`` -> ``Decimal("12.5")``. Also takes an int or a float from a JSON body."""
    korean_name, english_name = FIELD_NAMES[field]
    sent = None  # a JSON number, as the client's encoder wrote it
    if isinstance(value, bool):  # True is an int to Python, but not a number to a user
        value = str(value).lower()
    elif isinstance(value, int):
        value = str(value)
    elif isinstance(value, float):
        # repr(0.1) is "0.1", the float as the client wrote it; formatting it as a
        # Decimal turns repr's "1e-05" into "0.00001".
        sent = repr(value)
        value = format(Decimal(sent), "f")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CalculationError(
            field,
            f"{korean_name}가 비어 있습니다. 숫자를 입력하세요.",
            f"{english_name.capitalize()} is missing. Enter a number such as 12 or -0.5.",
        )
    if not isinstance(value, str):
        raise CalculationError(
            field,
            f"{korean_name}는 숫자여야 합니다.",
            f"{english_name.capitalize()} must be a number or a string holding one, "
            f"not {type(value).__name__}.",
        )
    text = value.strip()
    shown = text if len(text) <= 40 else text[:40] + "…"
    if not _NUMBER.fullmatch(text):
        raise CalculationError(
            field,
            f"'{shown}'은(는) 숫자가 아닙니다. 12, -3, 0.5처럼 입력하세요.",
            f"{english_name.capitalize()}, '{shown}', is not a number. Write it like 12, -3 "
            "or 0.5: digits with an optional sign and decimal point, no exponent.",
        )
    digits = sum(character.isdigit() for character in text)
    if digits > MAX_DIGITS:
        if sent is not None and sent != text:
            korean_what = f"{sent}(풀어 쓰면 {shown})"
            english_what = f"{sent}, written out {shown},"
        else:
            korean_what, english_what = f"'{shown}'", f"'{shown}'"
        raise CalculationError(
            field,
            f"숫자는 최대 {MAX_DIGITS}자리까지 쓸 수 있습니다. "
            f"{korean_what}은(는) {digits}자리입니다.",
            f"{english_name.capitalize()}, {english_what} has {digits} digits; at most "
            f"{MAX_DIGITS} are allowed, the precision a double-precision number holds exactly.",
        )
    return Decimal(text)


def parse_operator(value: Any) -> str:
    """``"*"`` -> ``"*"``; ``"div"`` -> ``"/"``. Anything else is a ``CalculationError``."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str):
        text = OPERATOR_ALIASES.get(text.lower(), text)
    if text in OPERATORS:
        return text  # type: ignore[no-any-return]
    if text is None or text == "":
        raise CalculationError(
            "op",
            "연산자가 비어 있습니다. + - * / % 중 하나를 입력하세요.",
            "The operator is missing. Enter one of + - * / %.",
        )
    shown = str(text)[:20]
    raise CalculationError(
        "op",
        f"'{shown}'은(는) 지원하지 않는 연산자입니다. + - * / % 중 하나를 쓰세요.",
        f"'{shown}' is not an operator. Use one of + - * / %. In a URL path write / as "
        "div (or %2F) and % as mod (or %25).",
    )


def calculate_exactly(num1: Decimal, op: str, num2: Decimal) -> Decimal | None:
    """``num1 op num2`` exactly, or None when it has no finite exact value here
    (a quotient such as ``1 / 3``). Raises ``CalculationError`` for a zero divisor."""
    result, exact = _compute(num1, op, num2)
    return result if exact else None


def calculate(num1: Decimal, op: str, num2: Decimal) -> Decimal:
    """``num1 op num2``, rounded to 15 significant digits. Raises ``CalculationError``."""
    return round_result(_compute(num1, op, num2)[0])


def round_result(number: Decimal) -> Decimal:
    """``number`` with at most 15 significant digits, half to even (``-0`` is ``0``)."""
    return _SHOWN.plus(number) + 0


def _compute(num1: Decimal, op: str, num2: Decimal) -> tuple[Decimal, bool]:
    """The result to 60 digits, and whether it is exact (always, but for ``/``)."""
    if op in ("/", "%") and num2 == 0:
        raise CalculationError(
            "num2",
            "0으로 나눌 수 없습니다.",
            "Cannot divide by zero: the second number of / and % must not be 0.",
        )
    with decimal.localcontext(_EXACT) as context:
        context.clear_flags()
        if op == "+":
            result = num1 + num2
        elif op == "-":
            result = num1 - num2
        elif op == "*":
            result = num1 * num2
        elif op == "/":
            result = num1 / num2
        elif op == "%":
            result = num1 % num2
            if result and (result < 0) != (num2 < 0):
                result += num2  # Python's sign rule: the remainder follows the divisor
        else:
            raise ValueError(f"calculate() got {op!r}; parse it with parse_operator() first.")
        exact = not context.flags[decimal.Inexact]
        if result == result.to_integral_value():
            result = result.to_integral_value() + 0  # "+ 0" turns -0 into 0
        return result, exact


def format_number(number: Decimal) -> str:
    """``Decimal("60")`` -> ``"60"``, ``Decimal("2.50")`` -> ``"2.5"``: never an exponent."""
    if number == 0:
        return "0"
    return format(number.normalize(_EXACT), "f")


def json_number(number: Decimal) -> int | float:
    """A JSON number equal to ``number``: an int when whole, else a float.

    Both are exact: a whole number becomes a Python int (JSON numbers have no
    size limit), and every fractional number here has at most 15 significant
    digits, which a float holds without changing them.
    """
    if number == number.to_integral_value():
        return int(number)
    return float(number)
