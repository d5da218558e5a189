"""MRR movements and cohorts: :class:`MrrLedger`, a mergeable, picklable
ledger of (customer, period, MRR) records (the C library's libcs_mrr
handle), with each period's movements -- new, expansion, contraction,
churned and reactivation MRR and the customer counts -- the rates of each
period, cohort matrices and the subscription-capped GRR (against the
period before or any earlier base, such as a year back); and
:func:`mrr_rates` for rows of movements from anywhere (such as the
field-by-field sums of partitions' rows).

Records are three arrays: customer ids (int64), periods (int32, consecutive
integers such as month indexes) and MRR (int64 >= 0, in minor units such as
cents).  Buffers of those element types -- array.array('q') / ('i'), numpy
int64 / int32, memoryview -- are read where they lie and copied by the
library in one call; lists and other iterables are converted once.  A
customer with no record in a period has an MRR of 0 there.  Everything is
an exact integer sum; rates are floats, NaN where undefined.
"""

from __future__ import annotations

import array
import ctypes
import sys
import threading
from collections.abc import Mapping
from typing import Any, FrozenSet, List, NamedTuple, Optional, Sequence, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, rule
from ._handle import Handle, Reading
from .enums import MrrRate
from .errors import (BufferTooSmallError, DomainError, DuplicateError, Error,
                     InvalidArgumentError, NumericOverflowError, OutOfMemoryError,
                     UndefinedResultError, error_class)

__all__ = ["MrrLedger", "MrrPeriod", "MrrRates", "MrrCohorts", "mrr_rates", "MRR_ANY_GAP"]

C = _ffi.C
E = Status

#: Reactivation after any gap (LIBCS_MRR_ANY_GAP); ``None`` means the same.
MRR_ANY_GAP = _ffi.MRR_ANY_GAP

_FIELDS = ("mrr_start", "new_mrr", "expansion", "contraction", "churned", "reactivation",
           "mrr_end", "customers_start", "customers_new", "customers_churned",
           "customers_reactivated", "customers_end")
_RATE_FIELDS = ("customer_churn", "gross_mrr_churn", "net_mrr_churn", "nrr", "grr",
                "quick_ratio", "arpa")
_INT32_MAX = 2**31 - 1

_NEW = Spec("MrrLedger", [Arg("first_period", B.INT32), Arg("n_periods", B.INT32)],
            [rule(E.EDOMAIN, "n_periods", lambda v: v["n_periods"] >= 1,
                  "a ledger has at least one period"),
             rule(E.EDOMAIN, "n_periods",
                  lambda v: v["first_period"] + v["n_periods"] - 1 <= _INT32_MAX,
                  "the last period, first_period + n_periods - 1, must fit int32_t")])
_WINDOW = Spec("MrrLedger.set_reactivation_window", [Arg("max_gap", B.INT32)],
               [rule(E.EDOMAIN, "max_gap", lambda v: v["max_gap"] >= MRR_ANY_GAP,
                     "None (or -1) for any gap, or a number of periods >= 0")])
_RATES = Spec("mrr_rates", [Arg("denominator", B.CINT)],
              [rule(E.EINVAL, "denominator", lambda v: v["denominator"] in (0, 1, 2),
                    "must be ChurnDenominator.START, START_PLUS_NEW or AVERAGE")],
              {E.EEMPTY: "no periods"})


def _status(code: int) -> Any:
    try:
        return Status(code)
    except ValueError:
        return code


class MrrPeriod(NamedTuple):
    """The movements of one period (struct libcs_mrr_period; its reserved
    field is always 0 and left out), in the ledger's minor unit and in
    customers.  Always ``mrr_end = mrr_start + new_mrr + expansion -
    contraction - churned + reactivation``, and the same for customers."""
    period: int
    mrr_start: int
    new_mrr: int
    expansion: int
    contraction: int
    churned: int
    reactivation: int
    mrr_end: int
    customers_start: int
    customers_new: int
    customers_churned: int
    customers_reactivated: int
    customers_end: int

    @classmethod
    def _from_struct(cls, s: _ffi.MrrPeriodStruct) -> "MrrPeriod":
        return cls(s.period, *(getattr(s, f) for f in _FIELDS))


class MrrRates(NamedTuple):
    """The rates of one period (struct libcs_mrr_rates): fractions per
    period (0.05 is 5 %), the quick ratio, and ARPA in the ledger's minor
    unit.  A rate that is undefined for the period (no MRR at the start,
    nothing lost for the quick ratio, no customers at the end for ARPA...)
    is NaN, and ``status[MrrRate.X]`` holds the :class:`Status` its function
    returned (``Status.OK`` for a defined rate); :attr:`undefined` lists
    them and :meth:`rate` raises their error."""
    period: int
    customer_churn: float
    gross_mrr_churn: float
    net_mrr_churn: float
    nrr: float
    grr: float
    quick_ratio: float
    arpa: float
    status: Tuple[Any, ...]

    @classmethod
    def _from_struct(cls, period: int, s: _ffi.MrrRatesStruct) -> "MrrRates":
        return cls(period, *s.rate[:7], tuple(_status(c) for c in s.status[:7]))

    @property
    def undefined(self) -> FrozenSet[MrrRate]:
        """The rates of this period that are NaN (status not OK)."""
        return frozenset(MrrRate(k) for k, c in enumerate(self.status) if c != E.OK)

    def rate(self, which: int) -> float:
        """The rate ``which`` (an :class:`MrrRate`), or the libcs error of
        its status when it is undefined (usually
        :class:`UndefinedResultError`)."""
        k = MrrRate(which)
        code = self.status[k]
        if code != E.OK:
            raise error_class(code)(code, "MrrRates.rate", _RATE_FIELDS[k],
                                    detail="period %d" % self.period)
        return self[1 + k]


class MrrCohorts(NamedTuple):
    """Cohorts by first paying period (libcs_mrr_cohorts): four n x n
    matrices, row c = the cohort of period first_period + c, column k = k
    periods later.  ``customers`` and ``revenue`` (int) hold the customers
    of the cohort still paying and their MRR; ``customer_share`` and
    ``revenue_share`` (float) the fractions of the cohort's first period.
    Cells after the ledger's last period (c + k >= n) cannot be observed
    yet: -1 in customers and revenue, NaN in the shares; an empty cohort
    has 0 customers and NaN shares.  Lists of rows, or 2-D numpy arrays
    (int64, float64) with ``cohorts(numpy=True)``."""
    customers: Any
    revenue: Any
    customer_share: Any
    revenue_share: Any


def _gap(max_gap: Optional[int], fn: str) -> int:
    return MRR_ANY_GAP if max_gap is None else B.to_int(max_gap, B.INT32, fn, "max_gap")


def _show_gap(g: int) -> str:
    return "any gap" if g == MRR_ANY_GAP else "window %d" % g


def _ledger_from_bytes(data: bytes) -> "MrrLedger":
    return MrrLedger.from_bytes(data)


def _alloc(make: Any, fn: str, what: str) -> Any:
    try:
        return make()
    except (MemoryError, OverflowError):
        raise OutOfMemoryError(E.ENOMEM, fn, detail="no memory for %s" % what) from None


# Merges take the target for writing and the source for reading; one merge
# at a time, so that a.merge(b) and b.merge(a) in two threads cannot each
# hold what the other waits for.
_MERGE_LOCK = threading.Lock()


class MrrLedger(Handle):
    """A ledger of (customer, period, MRR) records over the periods
    ``first_period`` .. ``first_period + n_periods - 1`` (the libcs_mrr
    handle), from which :meth:`movements`, :meth:`rates`, :meth:`cohorts`
    and :meth:`capped_grr` are computed.

    ``reactivation_window`` decides how a returning customer counts: None
    (or -1, the default) makes every return a reactivation, K >= 0 a
    reactivation after at most K inactive periods and new business after a
    longer absence (0: every return is new business).

    Records go in with :meth:`add`, in any order and any number of chunks.
    Ledgers of the same shape (first period, number of periods, window)
    merge exactly -- ``a.merge(b)``, ``a += b``, ``a + b``, ``sum(ledgers)``
    -- and pickle through the library's versioned serialization
    (:meth:`to_bytes`), so ledgers built by multiprocessing workers combine
    in the parent.  The ledger is freed by :meth:`close`, a ``with`` block
    or the garbage collector.

    >>> with MrrLedger(first_period=1, n_periods=3) as ledger:
    ...     ledger.add(customers=[7, 7, 8], periods=[1, 2, 2], mrr=[1000, 1500, 400])
    ...     [(m.period, m.new_mrr, m.expansion, m.mrr_end) for m in ledger.movements()]
    [(1, 1000, 0, 1000), (2, 400, 500, 1900), (3, 0, 0, 0)]
    """

    __slots__ = ("_first", "_n", "_window")

    def __init__(self, first_period: int, n_periods: int,
                 reactivation_window: Optional[int] = None) -> None:
        fn = _NEW.name
        first = B.to_int(first_period, B.INT32, fn, "first_period")
        n = B.to_int(n_periods, B.INT32, fn, "n_periods")
        ptr = ctypes.c_void_p()
        rc = C.libcs_mrr_new(first, n, ctypes.byref(ptr))
        if rc:
            raise fail(_NEW, rc, {"first_period": first, "n_periods": n})
        self._first, self._n, self._window = first, n, MRR_ANY_GAP
        self._adopt(ptr.value, C.libcs_mrr_free)
        if reactivation_window is not None:
            self.set_reactivation_window(reactivation_window)

    # ---- shape ---------------------------------------------------------------

    @property
    def first_period(self) -> int:
        """The ledger's first period."""
        return self._first

    @property
    def n_periods(self) -> int:
        """The number of periods."""
        return self._n

    @property
    def last_period(self) -> int:
        """The ledger's last period, first_period + n_periods - 1."""
        return self._first + self._n - 1

    @property
    def periods(self) -> range:
        """The ledger's periods, in order."""
        return range(self._first, self._first + self._n)

    def set_reactivation_window(self, max_gap: Optional[int]) -> None:
        """Set how a returning customer counts: None or -1 (MRR_ANY_GAP)
        for a reactivation after any gap, K >= 0 for a reactivation after
        at most K inactive periods (new business after more).  ChartMogul,
        Baremetrics, ProfitWell, Chargebee and Recurly count a return after
        any gap; Maxio one within 90 days of the churn (about K = 3 on
        monthly periods; libcs_mrr_movements(3) has the sources).  It may
        be changed at any time and applies to the next analysis; ledgers
        merge only with ledgers of the same window."""
        fn = _WINDOW.name
        g = _gap(max_gap, fn)

        def set_it(p: int) -> int:
            rc = C.libcs_mrr_set_reactivation_window(p, g)
            if rc == 0:
                self._window = g
            return rc

        rc = self._write(set_it)
        if rc:
            raise fail(_WINDOW, rc, {"max_gap": g})

    @property
    def reactivation_window(self) -> Optional[int]:
        """The reactivation window: None for any gap, else K >= 0."""
        return None if self._window == MRR_ANY_GAP else self._window

    @reactivation_window.setter
    def reactivation_window(self, max_gap: Optional[int]) -> None:
        self.set_reactivation_window(max_gap)

    def _shape(self) -> str:
        return "periods %d..%d, %s" % (self._first, self.last_period, _show_gap(self._window))

    # ---- records -------------------------------------------------------------------

    def __len__(self) -> int:
        """The number of records, duplicates included."""
        n = ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_mrr_records(p, ctypes.byref(n))
        if rc:
            raise error_class(rc)(rc, "MrrLedger.records")
        return n.value

    records = property(__len__, doc="The number of records, duplicates included.")

    def add(self, customers: Any, periods: Any, mrr: Any) -> None:
        """Add n records (customers[i], periods[i], mrr[i]) in one C call,
        all or nothing.

        ``customers`` are int64 ids (any, negative included), ``periods``
        int32 periods of the ledger, ``mrr`` int64 amounts >= 0 in minor
        units; each is a buffer of that element type (read in place), a
        list or iterable of ints, or one int for every record (at least one
        must be an array).  A negative MRR or a period outside the ledger
        raises :class:`DomainError` naming the argument and ``.index`` of
        the first bad record, and adds nothing.  Duplicates (customer,
        period) are accepted here and reported by the analyses."""
        fn = "MrrLedger.add"
        specs = (("customers", B.INT64), ("periods", B.INT32), ("mrr", B.INT64))
        with B.Pins() as pins:
            items: List[Any] = []
            n: Optional[int] = None
            first = ""
            for (name, kind), x in zip(specs, (customers, periods, mrr)):
                if B.is_scalar(x):
                    items.append(B.to_int(x, kind, fn, name))
                    continue
                item = B.as_input(x, kind, fn, name, pins)
                if n is None:
                    n, first = item.n, name
                elif item.n != n:
                    raise ValueError("%s: %s has %d elements but %s has %d"
                                     % (fn, name, item.n, first, n))
                items.append(item)
            if n is None:
                raise TypeError("%s: at least one of customers, periods and mrr must be "
                                "an array (one record is add([customer], [period], [mrr]))"
                                % fn)
            count = n
            addrs = [it.addr if isinstance(it, B.Input) else B.repeat(it, kind, count, pins)
                     for it, (_, kind) in zip(items, specs)]
            bad = ctypes.c_size_t(SIZE_MAX)
            rc = self._write(lambda p: C.libcs_mrr_add(p, count, *addrs, ctypes.byref(bad)))
            if rc:
                index = bad.value if bad.value != SIZE_MAX else None
                if rc == E.EDOMAIN and index is not None:
                    v = B.read(B.INT64, addrs[2], index)
                    if v < 0:
                        raise DomainError(rc, fn, "mrr", index, value=v,
                                          detail="MRR is >= 0, in minor units")
                    raise DomainError(rc, fn, "periods", index,
                                      value=B.read(B.INT32, addrs[1], index),
                                      detail="outside the ledger's periods %d..%d"
                                      % (self._first, self.last_period))
                raise error_class(rc)(rc, fn, detail="a ledger holds at most 2**32 - 1 records"
                                      if rc == E.EOVERFLOW else None)

    # ---- merging ----------------------------------------------------------------------

    def merge(self, other: "MrrLedger") -> None:
        """Append every record of ``other`` to this ledger, all or nothing
        (``other`` is unchanged).  Both must have the same shape: first
        period, number of periods and reactivation window; otherwise
        :class:`InvalidArgumentError`.  Merging ledgers gives the same
        movements, rates and cohorts as adding all their records to one."""
        fn = "MrrLedger.merge"
        if not isinstance(other, MrrLedger):
            raise TypeError("%s: other must be an MrrLedger, not %s" % (fn, type(other).__name__))
        with _MERGE_LOCK:
            if other is self:
                rc = self._write(lambda p: C.libcs_mrr_merge(p, p))
            else:
                with Reading(other) as q:
                    rc = self._write(lambda p: C.libcs_mrr_merge(p, q))
        if rc == E.EINVAL:
            detail = ("a ledger cannot merge itself (every record would be a duplicate)"
                      if other is self else
                      "ledgers of different shapes: this one has %s, other has %s"
                      % (self._shape(), other._shape()))
            raise InvalidArgumentError(rc, fn, "other", detail=detail)
        if rc:
            raise error_class(rc)(rc, fn, detail="a ledger holds at most 2**32 - 1 records"
                                  if rc == E.EOVERFLOW else None)

    def __iadd__(self, other: "MrrLedger") -> "MrrLedger":
        if not isinstance(other, MrrLedger):
            return NotImplemented
        self.merge(other)
        return self

    def __add__(self, other: "MrrLedger") -> "MrrLedger":
        if not isinstance(other, MrrLedger):
            return NotImplemented
        total = self.copy()
        total.merge(other)
        return total

    def __radd__(self, other: Any) -> "MrrLedger":
        if isinstance(other, int) and other == 0:  # sum() starts from 0
            return self.copy()
        return NotImplemented

    def copy(self) -> "MrrLedger":
        """An independent ledger of the same shape and records."""
        new = MrrLedger(self._first, self._n, self.reactivation_window)
        new.merge(self)
        return new

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "MrrLedger":
        return self.copy()

    # ---- serialization ----------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The library's serialized form: format version 1, little-endian,
        independent of the machine, 32 bytes and 20 a record (see
        libcs_mrr_new(3))."""
        fn = "MrrLedger.to_bytes"
        needed = ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_mrr_serialize(p, None, 0, ctypes.byref(needed))
            if rc not in (0, E.EBUFSIZE):
                raise error_class(rc)(rc, fn)
            buf = _alloc(lambda: ctypes.create_string_buffer(needed.value), fn,
                         "%d bytes" % needed.value)
            rc = C.libcs_mrr_serialize(p, ctypes.addressof(buf), len(buf), ctypes.byref(needed))
        if rc:
            raise error_class(rc)(rc, fn)
        return buf.raw[:needed.value]

    def serialize_into(self, buffer: Any) -> int:
        """Write :meth:`to_bytes` into a writable buffer (bytearray, mmap,
        shared memory...) and return the number of bytes written; a buffer
        too small raises :class:`BufferTooSmallError` with ``.needed`` and
        is left untouched."""
        fn = "MrrLedger.serialize_into"
        try:
            mv = memoryview(buffer)
        except TypeError:
            raise TypeError("%s: buffer must be a writable buffer, not %s"
                            % (fn, type(buffer).__name__)) from None
        if mv.readonly or not mv.c_contiguous:
            raise TypeError("%s: buffer must be writable and contiguous" % fn)
        needed = ctypes.c_size_t()
        with B.Pins() as pins, Reading(self) as p:
            pins.append(buffer)
            addr = B.pin(mv, pins) if mv.nbytes else None
            rc = C.libcs_mrr_serialize(p, addr, mv.nbytes, ctypes.byref(needed))
        if rc == E.EBUFSIZE:
            raise BufferTooSmallError(rc, fn, "buffer", value=mv.nbytes, needed=needed.value,
                                      detail="%d bytes needed" % needed.value)
        if rc:
            raise error_class(rc)(rc, fn)
        return needed.value

    @classmethod
    def from_bytes(cls, data: Any) -> "MrrLedger":
        """A ledger from :meth:`to_bytes` output (any bytes-like object of
        exactly that length); anything else raises :class:`FormatError`."""
        fn = "MrrLedger.from_bytes"
        ptr = ctypes.c_void_p()
        with B.Pins() as pins:
            try:
                mv = memoryview(data)
            except TypeError:
                raise TypeError("%s: data must be bytes-like, not %s"
                                % (fn, type(data).__name__)) from None
            if not mv.c_contiguous:
                data = mv.tobytes()
                mv = memoryview(data)
            pins.append(data)
            addr = B.pin(mv, pins)
            rc = C.libcs_mrr_deserialize(addr, mv.nbytes, ctypes.byref(ptr))
            if rc == 0:
                header = ctypes.string_at(addr, 20)
        if rc:
            raise error_class(rc)(rc, fn, "data", detail=(
                "not an MRR ledger in format version 1 (32 bytes, then 20 a record)"
                if rc == E.EFORMAT else None))
        self = cls.__new__(cls)
        self._adopt(ptr.value, C.libcs_mrr_free)
        self._first, self._n, self._window = (
            int.from_bytes(header[k:k + 4], "little", signed=True) for k in (8, 12, 16))
        return self

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        return (_ledger_from_bytes, (self.to_bytes(),))

    # ---- analyses -----------------------------------------------------------------------

    def _analysis_error(self, rc: int, fn: str, dup_customer: ctypes.c_int64,
                        dup_period: ctypes.c_int32) -> Error:
        if rc == E.EDUPLICATE:
            return DuplicateError(rc, fn, customer=dup_customer.value, period=dup_period.value,
                                  detail="two records for the same customer and period")
        if rc == E.EOVERFLOW:
            return NumericOverflowError(rc, fn, detail="a sum of MRR exceeds 2**63 - 1")
        return error_class(rc)(rc, fn)

    def _movements(self, fn: str) -> Any:
        n = self._n
        rows = _alloc(lambda: (_ffi.MrrPeriodStruct * n)(), fn, "%d periods" % n)
        needed = ctypes.c_size_t()
        dc, dp = ctypes.c_int64(), ctypes.c_int32()
        with Reading(self) as p:
            rc = C.libcs_mrr_movements(p, ctypes.addressof(rows), n, ctypes.byref(needed),
                                       ctypes.byref(dc), ctypes.byref(dp))
        if rc:
            raise self._analysis_error(rc, fn, dc, dp)
        return rows

    def movements(self) -> Tuple[MrrPeriod, ...]:
        """The movements of each period, in period order: one
        :class:`MrrPeriod` per period of the ledger.

        Two records for the same customer and period raise
        :class:`DuplicateError` with ``.customer`` and ``.period`` of the
        first; a sum past 2**63 - 1 :class:`NumericOverflowError`."""
        return tuple(MrrPeriod._from_struct(r) for r in self._movements("MrrLedger.movements"))

    def rates(self, denominator: int) -> Tuple[MrrRates, ...]:
        """The rates of each period (:class:`MrrRates`), computed from
        :meth:`movements` by the library's churn and revenue functions;
        ``denominator`` is the :class:`ChurnDenominator` of the customer
        churn rate.  Undefined rates are NaN with their status, not
        errors."""
        fn = "MrrLedger.rates"
        rows = self._movements(fn)
        return _rates(rows, self._n, denominator, fn)

    def cohorts(self, numpy: bool = False) -> MrrCohorts:
        """Customer and revenue retention of the cohorts by first paying
        period: :class:`MrrCohorts`, four n x n matrices (n = n_periods) as
        lists of rows, or as 2-D numpy arrays (int64 and float64, filled by
        the library in place) when ``numpy=True``.  Unobservable cells
        (after the last period) are -1 or NaN."""
        fn = "MrrLedger.cohorts"
        np = None
        if numpy:
            np = sys.modules.get("numpy")
            if np is None:
                try:
                    import numpy as np  # noqa: F811
                except ImportError:
                    raise ImportError("%s: numpy=True needs numpy, which is not "
                                      "importable" % fn) from None
        n = self._n
        needed = ctypes.c_size_t()
        dc, dp = ctypes.c_int64(), ctypes.c_int32()
        with Reading(self) as p:
            rc = C.libcs_mrr_cohorts(p, 0, None, None, None, None, ctypes.byref(needed),
                                     None, None)  # the size query: n x n cells
            if rc:
                raise error_class(rc)(rc, fn, detail="%d x %d cells do not fit in memory"
                                      % (n, n) if rc == E.EOVERFLOW else None)
            cells = needed.value
            if np is not None:
                mats = _alloc(lambda: [np.empty((n, n), dtype=dt) for dt in
                                       ("int64", "int64", "float64", "float64")],
                              fn, "%d x %d cohort cells" % (n, n))
                addrs = [m.__array_interface__["data"][0] for m in mats]
            else:
                mats = _alloc(lambda: [array.array(k.typecode, [0]) * cells for k in
                                       (B.INT64, B.INT64, B.DOUBLE, B.DOUBLE)],
                              fn, "%d x %d cohort cells" % (n, n))
                addrs = [B.address_of_array(m) for m in mats]
            rc = C.libcs_mrr_cohorts(p, cells, *addrs, ctypes.byref(needed),
                                     ctypes.byref(dc), ctypes.byref(dp))
        if rc:
            raise self._analysis_error(rc, fn, dc, dp)
        if np is None:
            mats = [[m[i * n:(i + 1) * n].tolist() for i in range(n)] for m in mats]
        return MrrCohorts(*mats)

    def capped_grr(self, period: int) -> float:
        """The subscription-capped gross revenue retention of ``period``
        (Chargebee's): the sum over customers active in the period before
        of min(MRR now, MRR before), over the sum of MRR before.  ``period``
        and the period before it must be in the ledger; with nobody active
        the period before it raises :class:`UndefinedResultError`."""
        fn = "MrrLedger.capped_grr"
        pr = B.to_int(period, B.INT32, fn, "period")
        out = ctypes.c_double()
        with Reading(self) as p:
            rc = C.libcs_mrr_capped_grr(p, pr, ctypes.byref(out))
        if rc == E.EDOMAIN:
            raise DomainError(rc, fn, "period", value=pr,
                              detail="the ledger's periods are %d..%d, and the first has no "
                              "period before it" % (self._first, self.last_period))
        if rc == E.EUNDEFINED:
            raise UndefinedResultError(rc, fn, "period", value=pr,
                                       detail="no customer was active in period %d" % (pr - 1))
        if rc == E.EDUPLICATE:
            try:  # the library names the first duplicate through movements
                self._movements(fn)
            except DuplicateError as exc:
                raise exc from None
            except Error:
                pass
            raise DuplicateError(rc, fn, detail="two records for the same customer and period")
        if rc:
            raise self._analysis_error(rc, fn, ctypes.c_int64(), ctypes.c_int32())
        return out.value

    def capped_grr_since(self, base: int, period: int) -> float:
        """The subscription-capped gross revenue retention of ``period``
        against the earlier period ``base`` (Chargebee's GRR): over the
        customers paying in ``base``, the sum of min(MRR in ``period``, MRR
        in ``base``) over the sum of MRR in ``base``.  Expansion is capped
        away, contraction and churn count, customers new since ``base`` are
        not in it.  ``base = period - 12`` on a monthly ledger is the annual
        GRR; ``base = period - 1`` is :meth:`capped_grr`.

        Both periods must be in the ledger with ``base < period``
        (:class:`DomainError`); nobody paying in ``base`` raises
        :class:`UndefinedResultError`, two records for the same customer and
        period :class:`DuplicateError` naming the first."""
        fn = "MrrLedger.capped_grr_since"
        b = B.to_int(base, B.INT32, fn, "base")
        pr = B.to_int(period, B.INT32, fn, "period")
        out = ctypes.c_double()
        dc, dp = ctypes.c_int64(), ctypes.c_int32()
        with Reading(self) as p:
            rc = C.libcs_mrr_capped_grr_since(p, b, pr, ctypes.byref(out), ctypes.byref(dc),
                                              ctypes.byref(dp))
        if rc == E.EDOMAIN:
            bad = "period" if self._first <= b <= self.last_period and b < pr else "base"
            raise DomainError(rc, fn, bad, value=pr if bad == "period" else b,
                              detail="base < period, both in the ledger's periods %d..%d"
                              % (self._first, self.last_period))
        if rc == E.EUNDEFINED:
            raise UndefinedResultError(rc, fn, "base", value=b,
                                       detail="no customer paid in period %d" % b)
        if rc:
            raise self._analysis_error(rc, fn, dc, dp)
        return out.value

    def capped_grr_series(self, lookback: int) -> Tuple[float, ...]:
        """:meth:`capped_grr_since` of every period of the ledger against the
        period ``lookback`` (>= 1) before it, computed in one pass over the
        records: a tuple with one float per period, NaN where the base is
        before the first period (the first ``lookback`` values: not
        observable) or nobody paid in it (undefined).  ``lookback=12`` on a
        monthly ledger gives the annual GRR of each month."""
        fn = "MrrLedger.capped_grr_series"
        lb = B.to_int(lookback, B.INT32, fn, "lookback")
        n = self._n
        out = _alloc(lambda: array.array(B.DOUBLE.typecode, [0.0]) * n, fn,
                     "%d periods" % n)
        needed = ctypes.c_size_t()
        dc, dp = ctypes.c_int64(), ctypes.c_int32()
        with Reading(self) as p:
            rc = C.libcs_mrr_capped_grr_series(p, lb, B.address_of_array(out), n,
                                               ctypes.byref(needed), ctypes.byref(dc),
                                               ctypes.byref(dp))
        if rc == E.EDOMAIN:
            raise DomainError(rc, fn, "lookback", value=lb, detail="a number of periods >= 1")
        if rc:
            raise self._analysis_error(rc, fn, dc, dp)
        return tuple(out)

    def __repr__(self) -> str:
        if self.closed:
            return "<MrrLedger (closed)>"
        return "<MrrLedger %s: %d records>" % (self._shape(), len(self))


def _rates(rows: Any, n: int, denominator: int, fn: str) -> Tuple[MrrRates, ...]:
    d = B.to_int(denominator, B.CINT, fn, "denominator")
    out = _alloc(lambda: (_ffi.MrrRatesStruct * n)(), fn, "%d periods" % n)
    rows_addr = ctypes.addressof(rows) if n else B.EMPTY_ADDRESS
    out_addr = ctypes.addressof(out) if n else B.EMPTY_ADDRESS
    rc = C.libcs_mrr_rates_batch(n, rows_addr, d, out_addr)
    if rc:
        raise fail(_RATES, rc, {"denominator": d}, fn)
    return tuple(MrrRates._from_struct(rows[i].period, out[i]) for i in range(n))


def _row_values(r: Any, i: int, fn: str) -> Sequence[Any]:
    names = MrrPeriod._fields
    if isinstance(r, Mapping):
        missing = [f for f in names if f not in r]
        if missing:
            raise ValueError("%s: periods[%d] has no %s" % (fn, i, ", ".join(missing)))
        return [r[f] for f in names]
    if isinstance(r, (tuple, list)):
        if len(r) != len(names):
            raise ValueError("%s: periods[%d] has %d fields; a row of movements has %d (%s)"
                             % (fn, i, len(r), len(names), ", ".join(names)))
        return r
    if all(hasattr(r, f) for f in names):
        return [getattr(r, f) for f in names]
    raise TypeError("%s: periods[%d] must be an MrrPeriod (or a tuple or mapping of its "
                    "fields), not %s" % (fn, i, type(r).__name__))


def mrr_rates(periods: Sequence[Any], denominator: int) -> Tuple[MrrRates, ...]:
    """The rates of each row of movements (libcs_mrr_rates_batch): rows
    from :meth:`MrrLedger.movements`, or any others -- :class:`MrrPeriod`
    values, tuples in its field order or mappings of its fields -- such as
    the field-by-field sums of the rows of ledgers partitioned by customer.
    ``denominator`` is the :class:`ChurnDenominator` of customer churn.

    >>> from libcs import ChurnDenominator
    >>> row = MrrPeriod(7, 1000, 100, 50, 20, 30, 10, 1110, 10, 2, 1, 1, 12)
    >>> r = mrr_rates([row], ChurnDenominator.START)[0]
    >>> r.customer_churn, r.nrr, r.quick_ratio, r.arpa
    (0.1, 1.01, 3.2, 92.5)
    """
    fn = "mrr_rates"
    if isinstance(periods, ctypes.Array) and periods._type_ is _ffi.MrrPeriodStruct:
        return _rates(periods, len(periods), denominator, fn)  # C rows: by address
    if isinstance(periods, (str, bytes, Mapping)) or not hasattr(periods, "__iter__"):
        raise TypeError("%s: periods must be a sequence of rows of movements, not %s"
                        % (fn, type(periods).__name__))
    seq = list(periods)
    n = len(seq)
    rows = _alloc(lambda: (_ffi.MrrPeriodStruct * n)(), fn, "%d periods" % n)
    for i, r in enumerate(seq):
        if isinstance(r, _ffi.MrrPeriodStruct):
            rows[i] = r
            continue
        values = _row_values(r, i, fn)
        row = rows[i]
        row.period = B.to_int(values[0], B.INT32, fn, "periods[%d].period" % i)
        for f, v in zip(_FIELDS, values[1:]):
            setattr(row, f, B.to_int(v, B.INT64, fn, "periods[%d].%s" % (i, f)))
    return _rates(rows, n, denominator, fn)
