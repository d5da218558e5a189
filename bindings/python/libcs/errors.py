"""The libcs exception hierarchy: one class per LIBCS_E* status code.

Every error a libcs function reports becomes an instance of the class of its
code, carrying the library's own message (libcs_strerror) and, where the
binding can tell, which argument was at fault and, for batch calls, the index
of the first bad element (the C functions' ``size_t *bad_index``)::

    Error                      .code .function .argument .index .value
    +-- InvalidArgumentError   (also ValueError)      LIBCS_EINVAL     -1
    +-- DomainError            (also ValueError)      LIBCS_EDOMAIN    -2
    +-- NonFiniteError         (also ValueError)      LIBCS_ENONFINITE -3
    +-- EmptyInputError        (also ValueError)      LIBCS_EEMPTY     -4
    +-- UndefinedResultError   (also ArithmeticError) LIBCS_EUNDEFINED -5
    +-- NumericOverflowError   (also OverflowError)   LIBCS_EOVERFLOW  -6
    +-- OutOfMemoryError       (also MemoryError)     LIBCS_ENOMEM     -7
    +-- BufferTooSmallError    (also ValueError)      LIBCS_EBUFSIZE   -8
    +-- NotConvergedError      (also ArithmeticError) LIBCS_ENOCONV    -9
    +-- FormatError            (also ValueError)      LIBCS_EFORMAT   -10
    +-- DuplicateError         (also ValueError)      LIBCS_EDUPLICATE -11

Errors from parsing a health model's text form also carry ``.line`` and
``.column`` (1-based; the column counts bytes of the UTF-8 text); a
:class:`DuplicateError` carries ``.customer`` and ``.period`` of the first
duplicate record of an MRR ledger; a :class:`NotConvergedError` from a
model fit carries ``.result``, the best point found.  Errors pickle, so
they travel back from multiprocessing workers.
"""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional, Type

from . import _ffi

__all__ = [
    "Status", "Error", "InvalidArgumentError", "DomainError", "NonFiniteError",
    "EmptyInputError", "UndefinedResultError", "NumericOverflowError",
    "OutOfMemoryError", "BufferTooSmallError", "NotConvergedError",
    "FormatError", "DuplicateError", "strerror", "error_class",
]


class Status(enum.IntEnum):
    """enum libcs_status: LIBCS_OK and the LIBCS_E* codes."""
    OK = 0
    EINVAL = -1
    EDOMAIN = -2
    ENONFINITE = -3
    EEMPTY = -4
    EUNDEFINED = -5
    EOVERFLOW = -6
    ENOMEM = -7
    EBUFSIZE = -8
    ENOCONV = -9
    EFORMAT = -10
    EDUPLICATE = -11


def strerror(code: int) -> str:
    """The library's description of any status code (libcs_strerror)."""
    code = int(code)
    if not -2**31 <= code < 2**31:
        code = -2**31  # any int outside the C int range is an unknown code
    return _ffi.C.libcs_strerror(code).decode("utf-8", "replace")


_NO_VALUE = object()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Error(Exception):
    """A libcs error.

    Attributes: ``code`` (the LIBCS_E* status, a :class:`Status` when known),
    ``message`` (the library's text for it), ``function`` (the Python function
    that failed), ``argument`` (the argument at fault, or None when the
    library's rule involves several), ``index`` (for batch calls: the index of
    the first bad element; a (row, column) pair for a matrix), ``value`` (the
    bad value, when known), ``detail`` (the rule it broke), ``line`` and
    ``column`` (health model text only), ``needed`` (BufferTooSmallError:
    bytes needed).
    """

    code: int = 0
    #: the attributes __reduce__ carries across a pickle
    _STATE = ("function", "argument", "index", "detail", "line", "column", "needed")

    def __init__(self, code: Optional[int] = None, function: Optional[str] = None,
                 argument: Optional[str] = None, index: Any = None, *,
                 value: Any = _NO_VALUE, detail: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 needed: Optional[int] = None) -> None:
        if code is None:
            code = type(self).code
        try:
            code = Status(code)
        except ValueError:
            pass
        self.code = code
        self.message = strerror(code)
        self.function = function
        self.argument = argument
        self.index = index
        self.value = None if value is _NO_VALUE else value
        self._has_value = value is not _NO_VALUE
        self.detail = detail
        self.line = line
        self.column = column
        self.needed = needed
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.argument is not None:
            arg = self.argument
            if self.index is not None:
                idx = self.index
                arg += "[%s]" % (", ".join(map(str, idx)) if isinstance(idx, tuple) else idx)
            if self._has_value:
                arg += " = " + _show(self.value)
            where.append(arg)
        elif self.index is not None:
            where.append("element %s" % (self.index,))
        where.extend(self._more_where())
        if self.line is not None:
            where.append("line %d, column %s" % (self.line, self.column))
        text = self.message
        if where:
            text = "%s: %s" % (", ".join(where), text)
        if self.function:
            text = "%s: %s" % (self.function, text)
        if self.detail:
            text += " (%s)" % self.detail
        return text

    def _more_where(self) -> list:
        return []

    def __reduce__(self):
        state = {k: getattr(self, k) for k in self._STATE}
        if self._has_value:
            state["value"] = self.value
        return (_rebuild, (type(self), int(self.code), state))


def _rebuild(cls: Type[Error], code: int, state: Dict[str, Any]) -> Error:
    return cls(code, **state)


class InvalidArgumentError(Error, ValueError):
    """LIBCS_EINVAL: a NULL pointer or an unknown option (enum value)."""
    code = Status.EINVAL


class DomainError(Error, ValueError):
    """LIBCS_EDOMAIN: a value outside its domain (negative money, a rate
    outside [0, 1], a score off its scale)."""
    code = Status.EDOMAIN


class NonFiniteError(Error, ValueError):
    """LIBCS_ENONFINITE: NaN or an infinity where a finite number is needed."""
    code = Status.ENONFINITE


class EmptyInputError(Error, ValueError):
    """LIBCS_EEMPTY: empty input (no customers, no answers, no measures)."""
    code = Status.EEMPTY


class UndefinedResultError(Error, ArithmeticError):
    """LIBCS_EUNDEFINED: the result is mathematically undefined (division by
    a zero rate, a divergent sum)."""
    code = Status.EUNDEFINED


class NumericOverflowError(Error, OverflowError):
    """LIBCS_EOVERFLOW: integer overflow, or a result too large for a double."""
    code = Status.EOVERFLOW


class OutOfMemoryError(Error, MemoryError):
    """LIBCS_ENOMEM: the library could not allocate memory."""
    code = Status.ENOMEM


class BufferTooSmallError(Error, ValueError):
    """LIBCS_EBUFSIZE: a caller's buffer is too small; ``.needed`` says how
    many bytes it must hold."""
    code = Status.EBUFSIZE


class NotConvergedError(Error, ArithmeticError):
    """LIBCS_ENOCONV: an iterative method did not converge.  A model fit
    (:meth:`BgNbd.fit`, :meth:`GammaGamma.fit`, :meth:`ParetoNbd.fit`,
    :meth:`BgBb.fit`, :meth:`ShiftedBetaGeometric.fit_survivors`...) that
    finds no maximum-likelihood
    estimate (gradient test not met, or a flat likelihood) carries the
    point where it stopped in ``.result`` (a
    :class:`ClvFit` with ``converged`` False); ``.result`` is None
    otherwise."""
    code = Status.ENOCONV
    _STATE = Error._STATE + ("result",)

    def __init__(self, code: Optional[int] = None, function: Optional[str] = None,
                 argument: Optional[str] = None, index: Any = None, *,
                 result: Any = None, **kwargs: Any) -> None:
        self.result = result
        super().__init__(code, function, argument, index, **kwargs)


class FormatError(Error, ValueError):
    """LIBCS_EFORMAT: malformed serialized data or text, or an unknown format
    version.  For a health model's text, ``.line`` and ``.column`` locate it."""
    code = Status.EFORMAT


class DuplicateError(Error, ValueError):
    """LIBCS_EDUPLICATE: a record whose key was already given -- two
    records of an MRR ledger for the same customer and period.  ``.customer``
    and ``.period`` name the first duplicate (in the order the records were
    added) when the call reports it, else they are None."""
    code = Status.EDUPLICATE
    _STATE = Error._STATE + ("customer", "period")

    def __init__(self, code: Optional[int] = None, function: Optional[str] = None,
                 argument: Optional[str] = None, index: Any = None, *,
                 customer: Optional[int] = None, period: Optional[int] = None,
                 **kwargs: Any) -> None:
        self.customer = customer
        self.period = period
        super().__init__(code, function, argument, index, **kwargs)

    def _more_where(self) -> list:
        if self.customer is None and self.period is None:
            return []
        return ["customer %s, period %s" % (self.customer, self.period)]


_BY_CODE: Dict[int, Type[Error]] = {
    cls.code: cls for cls in (
        InvalidArgumentError, DomainError, NonFiniteError, EmptyInputError,
        UndefinedResultError, NumericOverflowError, OutOfMemoryError,
        BufferTooSmallError, NotConvergedError, FormatError, DuplicateError)
}


def error_class(code: int) -> Type[Error]:
    """The exception class of a status code (:class:`Error` for unknown ones)."""
    return _BY_CODE.get(int(code), Error)
