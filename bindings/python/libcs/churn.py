"""Customer churn with an explicit denominator, retention, conversion of
churn rates between period lengths, and the mergeable, picklable
:class:`ChurnTally` of the counts behind a churn rate.

Batch twins work as in :mod:`libcs.ltv`: arrays (any int64 or float64 buffer
without copying, or lists) or scalars broadcast to every element; the result
is numpy when an input is, else array.array('d'); ``out=`` fills a buffer.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Optional, Tuple

from . import _buffers as B
from . import _ffi
from ._buffers import CINT, DOUBLE, INT64
from ._core import (SIZE_MAX, Arg, Spec, Status, call_batch, call_scalar, fail,
                    fraction, nonneg, rule)
from .errors import BufferTooSmallError, error_class

__all__ = ["churn_customer", "churn_customer_batch", "churn_retention",
           "churn_retention_batch", "churn_convert", "churn_convert_batch",
           "ChurnTally", "CHURN_TALLY_SERIALIZED_SIZE"]

ArrayLike = Any
C = _ffi.C
E = Status

_CUSTOMER = Spec(
    "churn_customer",
    [Arg("at_start", INT64), Arg("new_customers", INT64), Arg("churned", INT64),
     Arg("denominator", CINT, array=False)],
    [rule(E.EINVAL, "denominator", lambda v: v["denominator"] in (0, 1, 2),
          "must be ChurnDenominator.START, START_PLUS_NEW or AVERAGE"),
     nonneg("at_start"), nonneg("new_customers"), nonneg("churned"),
     rule(E.EDOMAIN, "churned",
          lambda v: v["churned"] <= v["at_start"] + v["new_customers"],
          "more customers lost than at_start + new_customers")],
    {E.EUNDEFINED: "the chosen denominator is 0: no customers to lose"})
_RETENTION = Spec("churn_retention", [Arg("churn", DOUBLE)], [fraction("churn")])
_CONVERT = Spec("churn_convert", [Arg("churn", DOUBLE), Arg("periods", DOUBLE)],
                [fraction("churn"),
                 rule(E.EDOMAIN, "periods", lambda v: v["periods"] > 0, "must be > 0")])


def churn_customer(at_start: int, new_customers: int, churned: int,
                   denominator: int) -> float:
    """Customer churn rate = churned / D for the chosen denominator D.

    ``denominator`` is a :class:`ChurnDenominator`: START (customers at the
    start; ChartMogul for B2B, Recurly, Baremetrics), START_PLUS_NEW (start
    plus new in the period; Stripe) or AVERAGE (mean of start and end,
    the analyst convention); libcs never picks one for you.  Counts are
    integers >= 0 and ``churned`` <= at_start + new_customers.  100 customers
    on 1 July, 20 won and 10 lost in July:

    >>> from libcs import ChurnDenominator as D
    >>> churn_customer(100, 20, 10, D.START)
    0.1
    >>> round(churn_customer(100, 20, 10, denominator=D.AVERAGE), 4)
    0.0952
    """
    return call_scalar(_CUSTOMER, C.libcs_churn_customer,
                       (at_start, new_customers, churned, denominator))


def churn_customer_batch(at_start: ArrayLike, new_customers: ArrayLike,
                         churned: ArrayLike, denominator: int, *, out: Any = None) -> Any:
    """:func:`churn_customer` for n periods or segments with one denominator
    (int64 arrays: numpy int64, array.array('q'), lists of ints)."""
    return call_batch(_CUSTOMER, C.libcs_churn_customer_batch,
                      (at_start, new_customers, churned, denominator), out)


def churn_retention(churn: float) -> float:
    """Retention = 1 - churn (churn a fraction in [0, 1]).

    >>> churn_retention(0.25)
    0.75
    """
    return call_scalar(_RETENTION, C.libcs_churn_retention, (churn,))


def churn_retention_batch(churn: ArrayLike, *, out: Any = None) -> Any:
    """:func:`churn_retention` for n rates in one call."""
    return call_batch(_RETENTION, C.libcs_churn_retention_batch, (churn,), out)


def churn_convert(churn: float, periods: float) -> float:
    """Churn over ``periods`` periods = 1 - (1 - churn)^periods.

    12 turns a monthly rate into an annual one, 1/12 an annual into a
    monthly one; ``periods`` > 0.  2 % a month is 21.53 % a year:

    >>> round(churn_convert(0.02, periods=12), 4)
    0.2153
    """
    return call_scalar(_CONVERT, C.libcs_churn_convert, (churn, periods))


def churn_convert_batch(churn: ArrayLike, periods: ArrayLike, *, out: Any = None) -> Any:
    """:func:`churn_convert` for n rates in one call."""
    return call_batch(_CONVERT, C.libcs_churn_convert_batch, (churn, periods), out)


# ---- the churn tally ---------------------------------------------------------

CHURN_TALLY_SERIALIZED_SIZE = _ffi.CHURN_TALLY_SERIALIZED_SIZE
#: per-customer flags: uint8 0/1, or numpy bool (the same bytes)
_FLAG = B.Kind("B", "B?", ctypes.c_uint8, "uint8_t", "uint8", "an integer", 0, 255)
_TALLY_ADD = Spec(
    "ChurnTally.add",
    [Arg("at_start", INT64), Arg("new_customers", INT64), Arg("churned", INT64)],
    [nonneg("at_start"), nonneg("new_customers"), nonneg("churned"),
     rule(E.EDOMAIN, "churned",
          lambda v: v["churned"] <= v["at_start"] + v["new_customers"],
          "more customers lost than at_start + new_customers")],
    {E.EOVERFLOW: "a count would exceed 2**63 - 1"})
_TALLY_RESULT = Spec(
    "ChurnTally.result", [Arg("denominator", CINT)],
    [rule(E.EINVAL, "denominator", lambda v: v["denominator"] in (0, 1, 2),
          "must be ChurnDenominator.START, START_PLUS_NEW or AVERAGE")],
    {E.EUNDEFINED: "the chosen denominator is 0: no customers to lose"})


def _flags_error(s: int, w: int, c: int) -> str:
    if s > 1 or w > 1 or c > 1:
        return "flags are 0 or 1"
    if s and w:
        return "a customer is either active at the start or new, not both"
    return "a customer can be lost only if it was active at the start or new"


def _churn_tally_from_bytes(data: bytes) -> "ChurnTally":
    return ChurnTally.from_bytes(data)


class ChurnTally:
    """A mergeable tally of the customer counts of one period -- at the
    start, new, lost -- (struct libcs_churn_tally, Python-owned; nothing to
    free), whose :meth:`result` is :func:`churn_customer` of the counts.

    Count customers from per-customer 0/1 flags (:meth:`add_batch`: any
    uint8 or numpy bool buffer without copying, or lists) or add counts
    (:meth:`add`).  Tallies made separately (threads, processes, shards)
    merge exactly: ``a.merge(b)``, ``a += b``, ``a + b`` or ``sum(tallies)``.
    They pickle through the library's versioned, endian-independent
    serialization (:meth:`to_bytes`).  One tally may be used from several
    threads: its methods lock.  100 customers at the start, 10 of them lost:

    >>> from libcs import ChurnDenominator as D
    >>> t = ChurnTally()
    >>> t.add(at_start=60, churned=4)
    >>> t.add_batch([1] * 40, [0] * 40, [1] * 6 + [0] * 34)
    >>> t.at_start, t.churned, t.result(D.START)
    (100, 10, 0.1)
    """

    __slots__ = ("_t", "_lock", "__weakref__")

    def __init__(self, active_at_start: Any = None, is_new: Any = None,
                 churned: Any = None) -> None:
        self._t = _ffi.ChurnTallyStruct()
        self._lock = threading.Lock()
        rc = C.libcs_churn_tally_init(ctypes.byref(self._t))
        if rc:
            raise error_class(rc)(rc, "ChurnTally")
        given = [x is not None for x in (active_at_start, is_new, churned)]
        if any(given):
            if not all(given):
                raise TypeError("ChurnTally: give all three flag arrays "
                                "(active_at_start, is_new, churned) or none")
            self.add_batch(active_at_start, is_new, churned)

    # ---- counting ---------------------------------------------------------

    def add(self, at_start: int = 0, new_customers: int = 0, churned: int = 0) -> None:
        """Add counts (integers >= 0, ``churned`` <= at_start +
        new_customers), e.g. a segment known only by its totals."""
        fn = "ChurnTally.add"
        v = {"at_start": B.to_int(at_start, INT64, fn, "at_start"),
             "new_customers": B.to_int(new_customers, INT64, fn, "new_customers"),
             "churned": B.to_int(churned, INT64, fn, "churned")}
        with self._lock:
            rc = C.libcs_churn_tally_add(ctypes.byref(self._t), v["at_start"],
                                         v["new_customers"], v["churned"])
        if rc:
            raise fail(_TALLY_ADD, rc, v)

    def add_batch(self, active_at_start: Any, is_new: Any, churned: Any) -> None:
        """Count n customers from three arrays of 0/1 flags of equal length,
        in one C call, all or nothing: ``active_at_start[i]`` (active when
        the period began), ``is_new[i]`` (won during it; never both) and
        ``churned[i]`` (lost during it; only if one of the others is).  A
        customer with three 0 flags was not a customer in the period and
        counts nothing.  Bad flags raise :class:`DomainError` with
        ``.index`` of the first bad customer.  Adding no customers is fine."""
        fn = "ChurnTally.add_batch"
        with B.Pins() as pins:
            s = B.as_input(active_at_start, _FLAG, fn, "active_at_start", pins)
            w = B.as_input(is_new, _FLAG, fn, "is_new", pins)
            c = B.as_input(churned, _FLAG, fn, "churned", pins)
            if not s.n == w.n == c.n:
                raise ValueError("%s: active_at_start, is_new and churned must have "
                                 "the same length, not %d, %d and %d"
                                 % (fn, s.n, w.n, c.n))
            bad = ctypes.c_size_t(SIZE_MAX)
            with self._lock:
                rc = C.libcs_churn_tally_add_batch(ctypes.byref(self._t), s.n, s.addr,
                                                   w.addr, c.addr, ctypes.byref(bad))
            if rc:
                if bad.value == SIZE_MAX:
                    raise error_class(rc)(rc, fn, detail=_TALLY_ADD.other.get(rc))
                i = bad.value
                flags = tuple(B.read(_FLAG, x.addr, i) for x in (s, w, c))
                raise error_class(rc)(rc, fn, "active_at_start, is_new, churned", i,
                                      value=flags, detail=_flags_error(*flags))

    def merge(self, other: "ChurnTally") -> None:
        """Add every count of ``other`` to this tally, all or nothing (a
        tally may merge itself, which doubles it)."""
        if not isinstance(other, ChurnTally):
            raise TypeError("ChurnTally.merge: other must be a ChurnTally, not %s"
                            % type(other).__name__)
        with other._lock:
            snapshot = _ffi.ChurnTallyStruct.from_buffer_copy(other._t)
        with self._lock:
            rc = C.libcs_churn_tally_merge(ctypes.byref(self._t), ctypes.byref(snapshot))
        if rc:
            raise error_class(rc)(rc, "ChurnTally.merge",
                                  detail="a merged count would exceed 2**63 - 1")

    def __iadd__(self, other: "ChurnTally") -> "ChurnTally":
        if not isinstance(other, ChurnTally):
            return NotImplemented
        self.merge(other)
        return self

    def __add__(self, other: "ChurnTally") -> "ChurnTally":
        if not isinstance(other, ChurnTally):
            return NotImplemented
        total = self.copy()
        total.merge(other)
        return total

    def __radd__(self, other: Any) -> "ChurnTally":
        if isinstance(other, int) and other == 0:  # sum() starts from 0
            return self.copy()
        return NotImplemented

    # ---- reading -----------------------------------------------------------

    def result(self, denominator: int) -> float:
        """The churn rate of the counts so far with the chosen
        :class:`ChurnDenominator` (no default: libcs never picks one), as
        :func:`churn_customer` computes it.  A denominator of 0 (an empty
        tally) raises :class:`UndefinedResultError`."""
        d = B.to_int(denominator, CINT, "ChurnTally.result", "denominator")
        out = ctypes.c_double()
        with self._lock:
            rc = C.libcs_churn_tally_result(ctypes.byref(self._t), d, ctypes.byref(out))
        if rc:
            raise fail(_TALLY_RESULT, rc, {"denominator": d})
        return out.value

    @property
    def counts(self) -> Tuple[int, int, int]:
        """(at_start, new_customers, churned)."""
        with self._lock:
            return (self._t.at_start, self._t.new_customers, self._t.churned)

    @property
    def at_start(self) -> int:
        """Customers active at the start of the period."""
        return self.counts[0]

    @property
    def new_customers(self) -> int:
        """Customers won during the period."""
        return self.counts[1]

    @property
    def churned(self) -> int:
        """Customers lost during the period."""
        return self.counts[2]

    @property
    def at_end(self) -> int:
        """Customers at the end: at_start + new_customers - churned."""
        s, w, c = self.counts
        return s + w - c

    def copy(self) -> "ChurnTally":
        """An independent tally with the same counts."""
        new = ChurnTally()
        with self._lock:
            ctypes.memmove(ctypes.byref(new._t), ctypes.byref(self._t), ctypes.sizeof(self._t))
        return new

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "ChurnTally":
        return self.copy()

    @classmethod
    def from_counts(cls, at_start: int = 0, new_customers: int = 0,
                    churned: int = 0) -> "ChurnTally":
        """A tally holding these counts (as :meth:`add` to an empty one)."""
        new = cls()
        new.add(at_start, new_customers, churned)
        return new

    # ---- serialization -------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The library's serialized form (format version 1, 32 bytes,
        little-endian, independent of the machine)."""
        buf = (ctypes.c_uint8 * CHURN_TALLY_SERIALIZED_SIZE)()
        needed = ctypes.c_size_t()
        with self._lock:
            rc = C.libcs_churn_tally_serialize(ctypes.byref(self._t), ctypes.addressof(buf),
                                               len(buf), ctypes.byref(needed))
        if rc == E.EBUFSIZE:  # pragma: no cover -- the size is fixed
            raise BufferTooSmallError(rc, "ChurnTally.to_bytes", needed=needed.value)
        if rc:
            raise error_class(rc)(rc, "ChurnTally.to_bytes")
        return bytes(buf)[:needed.value]

    @classmethod
    def from_bytes(cls, data: Any) -> "ChurnTally":
        """A tally from :meth:`to_bytes` output (any bytes-like object);
        anything else raises :class:`FormatError`."""
        fn = "ChurnTally.from_bytes"
        new = cls()
        try:
            raw = bytes(memoryview(data))
        except TypeError:
            raise TypeError("%s: data must be bytes-like, not %s"
                            % (fn, type(data).__name__)) from None
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        rc = C.libcs_churn_tally_deserialize(ctypes.byref(new._t), ctypes.addressof(buf),
                                             len(raw))
        if rc:
            raise error_class(rc)(rc, fn, "data",
                                  detail="not a churn tally in format version 1 (%d bytes)"
                                  % CHURN_TALLY_SERIALIZED_SIZE)
        return new

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        return (_churn_tally_from_bytes, (self.to_bytes(),))

    # ---- comparison and display ---------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChurnTally):
            return NotImplemented
        return self.counts == other.counts

    __hash__ = None  # type: ignore[assignment]  (mutable)

    def __repr__(self) -> str:
        return "ChurnTally.from_counts(at_start=%d, new_customers=%d, churned=%d)" % self.counts
