"""Kaplan-Meier retention curves: :class:`KaplanMeier` fits the
product-limit estimator to customer lifetimes, some of them censored
(customers still active), as R's ``survfit()`` does -- Greenwood variance,
log(-log) confidence bounds -- and reads the curve, its quantiles (the
median lifetime), the restricted mean survival time and an LTV from it.

Durations are float64 (any unit), or int32 whole numbers (days or months
as a customer), which the library counts in linear time; events are 1 for
a churned customer and 0 for one still active (uint8: bytes, bool or uint8
arrays, lists of 0/1 or True/False); optional weights are float64 >= 0.
Buffers are read where they lie; lists are converted once.  The same
functions measure time to value (an event = the customer reached it).
"""

from __future__ import annotations

import array
import ctypes
import math
from typing import Any, NamedTuple, Optional, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, rule
from ._handle import Handle, Reading
from .errors import Error, UndefinedResultError, error_class

__all__ = ["KaplanMeier", "KmCurve"]

C = _ffi.C
E = Status
ArrayLike = Any

_P = rule(E.EDOMAIN, "p", lambda v: 0 < v["p"] < 1,
          "a fraction of the customers strictly between 0 and 1")
_SURVIVAL = Spec("KaplanMeier.survival_at", [Arg("t", B.DOUBLE)])
_QUANTILE = Spec("KaplanMeier.quantile", [Arg("p", B.DOUBLE)], [_P])
_RMST = Spec("KaplanMeier.rmst", [Arg("tau", B.DOUBLE)],
             [rule(E.EDOMAIN, "tau", lambda v: v["tau"] >= 0, "must be >= 0")],
             {E.EOVERFLOW: "the result is too large for a double"})
_LTV = Spec("KaplanMeier.ltv", [Arg("margin_per_period", B.DOUBLE), Arg("tau", B.DOUBLE)],
            [rule(E.EDOMAIN, "margin_per_period", lambda v: v["margin_per_period"] >= 0,
                  "must be >= 0"),
             rule(E.EDOMAIN, "tau", lambda v: v["tau"] >= 0, "must be >= 0")],
            {E.EOVERFLOW: "the result is too large for a double"})
_LEVEL = "a confidence level strictly between 0 and 1, e.g. 0.95"


class KmCurve(NamedTuple):
    """The curve at each distinct time, in increasing order, as R's
    survfit reports it: the time, the number at risk (the weight of the
    records with a duration >= time), the events and censorings there, the
    survival S(time), the Greenwood standard error of the cumulative hazard
    -log S (NaN once S has reached 0, where R says Inf) and the log(-log)
    bounds (equal to S where S is 1 or 0, where R says NA).  float64 arrays:
    numpy when the fit's input was numpy, else array.array('d')."""
    time: Any
    n_risk: Any
    n_event: Any
    n_censor: Any
    survival: Any
    std_err: Any
    lower: Any
    upper: Any


def _durations(obj: Any, integer: Optional[bool], fn: str, pins: B.Pins) -> Tuple[B.Input, B.Kind]:
    """The durations and their kind: int32 for an int32 buffer (or when
    integer=True), float64 otherwise."""
    if integer is None:
        try:
            mv = memoryview(obj)
        except TypeError:
            mv = None
        if mv is not None and B._format_ok(mv, B.INT32):
            kind = B.INT32
        elif mv is not None and not B._format_ok(mv, B.DOUBLE):
            raise TypeError(
                "%s: durations has elements of type %r (%d bytes); libcs needs double "
                "(numpy float64, array.array 'd') or, for whole numbers, int32_t (numpy "
                "int32, array.array %r): convert it first, e.g. numpy.asarray(x, "
                "dtype=numpy.int32)" % (fn, mv.format, mv.itemsize, B.INT32.typecode))
        else:
            kind = B.DOUBLE
    else:
        kind = B.INT32 if integer else B.DOUBLE
    return B.as_input(obj, kind, fn, "durations", pins), kind


def _events(obj: Any, fn: str, pins: B.Pins) -> B.Input:
    """The events as uint8, bool buffers (numpy bool) viewed as bytes."""
    try:
        mv = memoryview(obj)
    except TypeError:
        mv = None
    numpy = B.is_numpy(obj)
    if mv is not None and mv.format.lstrip("@=<>!") == "?" and mv.itemsize == 1:
        obj = mv.cast("B") if mv.c_contiguous and mv.ndim == 1 else \
            array.array("B", [int(x) for x in mv.tolist()])
    item = B.as_input(obj, B.UINT8, fn, "events", pins)
    item.numpy = item.numpy or numpy
    return item


def _km_from_state(time: array.array, n_event: array.array, n_censor: array.array,
                   level: float, numpy: bool, integer: bool) -> "KaplanMeier":
    """A curve fitted again from its distinct times and the weights of
    their events and censorings: bit for bit the same curve."""
    m = len(time)
    km = KaplanMeier(time + time, bytes([1]) * m + bytes(m), n_event + n_censor, level,
                     integer=False)
    km._numpy, km._integer = numpy, integer
    return km


class KaplanMeier(Handle):
    """A Kaplan-Meier retention curve (the libcs_km handle), fitted by
    :meth:`fit` (or the constructor, which takes the same arguments).

    Twelve customers: churned after 1, 2, 3, 3, 5, 6 and 8 months, still
    active after 3, 6, 10, 12 and 12:

    >>> km = KaplanMeier.fit([1, 2, 3, 3, 3, 5, 6, 6, 8, 10, 12, 12],
    ...                      [1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0])
    >>> len(km), round(km.survival_at(4), 4), km.median(), round(km.rmst(12), 4)
    (8, 0.6667, 6.0, 7.0357)
    >>> km.quantile(0.75)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    libcs.errors.UndefinedResultError: KaplanMeier.quantile: p = 0.75: ... (the curve never ...)

    The curve is read-only; it is freed by :meth:`close`, a ``with``
    block or the garbage collector, and pickles (fitted again from its
    distinct times, bit for bit the same)."""

    __slots__ = ("_level", "_numpy", "_integer")

    def __init__(self, durations: ArrayLike, events: ArrayLike,
                 weights: Optional[ArrayLike] = None, level: float = 0.95, *,
                 integer: Optional[bool] = None) -> None:
        fn = "KaplanMeier.fit"
        lv = B.to_float(level, fn, "level")
        ptr = ctypes.c_void_p()
        with B.Pins() as pins:
            dur, kind = _durations(durations, integer, fn, pins)
            ev = _events(events, fn, pins)
            if ev.n != dur.n:
                raise ValueError("%s: events has %d elements but durations has %d"
                                 % (fn, ev.n, dur.n))
            w = None
            if weights is not None:
                w = B.as_input(weights, B.DOUBLE, fn, "weights", pins)
                if w.n != dur.n:
                    raise ValueError("%s: weights has %d elements but durations has %d"
                                     % (fn, w.n, dur.n))
            cfn = C.libcs_km_fit_int if kind is B.INT32 else C.libcs_km_fit
            bad = ctypes.c_size_t(SIZE_MAX)
            rc = cfn(dur.n, dur.addr, ev.addr, w.addr if w is not None else None, lv,
                     ctypes.byref(ptr), ctypes.byref(bad))
            if rc:
                raise _fit_error(rc, fn, bad.value, lv, dur, kind, ev, w)
        self._level = lv
        self._numpy = dur.numpy or ev.numpy or (w is not None and w.numpy)
        self._integer = kind is B.INT32
        self._adopt(ptr.value, C.libcs_km_free)

    @classmethod
    def fit(cls, durations: ArrayLike, events: ArrayLike, weights: Optional[ArrayLike] = None,
            level: float = 0.95, *, integer: Optional[bool] = None) -> "KaplanMeier":
        """Fit the curve to n customers in one C call.

        ``durations``: each customer's time from its start to its churn
        (``events`` 1) or to the end of what is known (``events`` 0,
        censored), finite and >= 0.  An int32 buffer (numpy int32,
        array.array('i')) is fitted by libcs_km_fit_int, in linear time;
        anything else -- float64 buffers, lists -- by libcs_km_fit; the two
        give the same curve, bit for bit.  ``integer=True`` or ``False``
        chooses explicitly (a list of ints with ``integer=True`` goes to
        libcs_km_fit_int).  ``weights`` (float64 >= 0, optional) count a
        record as that many customers.  ``level`` is the confidence level
        of the bounds, strictly between 0 and 1.

        A bad record raises the library's error naming ``durations``,
        ``events`` or ``weights`` and the ``.index`` of the first one; no
        records, or every weight 0, :class:`EmptyInputError`."""
        return cls(durations, events, weights, level, integer=integer)

    # ---- reading ----------------------------------------------------------------

    @property
    def level(self) -> float:
        """The confidence level of the bounds."""
        return self._level

    @property
    def integer(self) -> bool:
        """Whether the curve was fitted from int32 durations
        (libcs_km_fit_int)."""
        return self._integer

    def __len__(self) -> int:
        """The number of distinct times (with an event or a censoring)."""
        m = ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_km_size(p, ctypes.byref(m))
        if rc:
            raise error_class(rc)(rc, "KaplanMeier.size")
        return m.value

    def _columns(self, numpy: bool) -> KmCurve:
        fn = "KaplanMeier.curve"
        m, needed = ctypes.c_size_t(), ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_km_size(p, ctypes.byref(m))
            if rc == 0:
                outs = [B.new_output(B.DOUBLE, m.value, numpy) for _ in range(8)]
                rc = C.libcs_km_curve(p, m.value, *(addr for _, addr in outs),
                                      ctypes.byref(needed))
        if rc:
            raise error_class(rc)(rc, fn)
        return KmCurve(*(arr for arr, _ in outs))

    @property
    def curve(self) -> KmCurve:
        """The curve at each distinct time (:class:`KmCurve`, eight
        float64 arrays, fresh copies at each access)."""
        return self._columns(self._numpy)

    def survival_at(self, t: float) -> float:
        """S(t): the share of customers still active at ``t`` (finite), the
        survival at the last distinct time <= t, 1 before the first.  Past
        the last time the curve stays at its last value."""
        fn = _SURVIVAL.name
        x = B.to_float(t, fn, "t")
        out = ctypes.c_double()
        with Reading(self) as p:
            rc = C.libcs_km_survival_at(p, x, ctypes.byref(out))
        if rc:
            raise fail(_SURVIVAL, rc, {"t": x})
        return out.value

    def _quantile(self, fn: str, p_: float, call: Any) -> float:
        out = ctypes.c_double()
        with Reading(self) as p:
            rc = call(p, ctypes.byref(out))
        if rc == E.EUNDEFINED:
            raise UndefinedResultError(rc, fn, "p" if fn == _QUANTILE.name else None,
                                       value=p_,
                                       detail="the curve never gets down to 1 - p = %g"
                                       % (1 - p_))
        if rc:
            raise fail(_QUANTILE, rc, {"p": p_}, fn)
        return out.value

    def quantile(self, p: float) -> float:
        """The time by which a fraction ``p`` (0 < p < 1) of the customers
        has churned, by R's rule: the first time S <= 1 - p (the midpoint of
        a flat stretch where S equals 1 - p).  When the curve never gets
        that low it is not known: :class:`UndefinedResultError`."""
        fn = _QUANTILE.name
        x = B.to_float(p, fn, "p")
        return self._quantile(fn, x, lambda km, out: C.libcs_km_quantile(km, x, out))

    def median(self) -> float:
        """The median lifetime, :meth:`quantile` at 0.5;
        :class:`UndefinedResultError` when fewer than half of the customers
        are known to have churned."""
        return self._quantile("KaplanMeier.median", 0.5, C.libcs_km_median)

    def rmst(self, tau: float) -> float:
        """The restricted mean survival time: the area under S from 0 to
        ``tau`` (>= 0), the expected periods a customer stays within its
        first ``tau``.  S stays at its last value past the last time, so
        choose a tau no later than the last time."""
        fn = _RMST.name
        x = B.to_float(tau, fn, "tau")
        out = ctypes.c_double()
        with Reading(self) as p:
            rc = C.libcs_km_rmst(p, x, ctypes.byref(out))
        if rc:
            raise fail(_RMST, rc, {"tau": x})
        return out.value

    def ltv(self, margin_per_period: float, tau: float) -> float:
        """The lifetime value over a customer's first ``tau`` periods,
        ``margin_per_period`` (>= 0) x :meth:`rmst` (tau), undiscounted."""
        fn = _LTV.name
        m = B.to_float(margin_per_period, fn, "margin_per_period")
        x = B.to_float(tau, fn, "tau")
        out = ctypes.c_double()
        with Reading(self) as p:
            rc = C.libcs_km_ltv(p, m, x, ctypes.byref(out))
        if rc:
            raise fail(_LTV, rc, {"margin_per_period": m, "tau": x})
        return out.value

    # ---- copies and pickling -------------------------------------------------------

    def __reduce__(self) -> Any:
        c = self._columns(False)
        return (_km_from_state, (c.time, c.n_event, c.n_censor, self._level, self._numpy,
                                 self._integer))

    def copy(self) -> "KaplanMeier":
        """An independent curve, the same bit for bit."""
        fn, args = self.__reduce__()
        return fn(*args)

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "KaplanMeier":
        return self.copy()

    def __repr__(self) -> str:
        if self.closed:
            return "<KaplanMeier (closed)>"
        return "<KaplanMeier: %d distinct times, level %g%s>" % (
            len(self), self._level, ", whole-number durations" if self._integer else "")


def _fit_error(rc: int, fn: str, bad: int, level: float, dur: B.Input, kind: B.Kind,
               ev: B.Input, w: Optional[B.Input]) -> Error:
    cls = error_class(rc)
    if bad == SIZE_MAX:
        if rc == E.EEMPTY:
            if dur.n > 0:
                return cls(rc, fn, "weights", detail="every weight is 0")
            return cls(rc, fn, "durations", detail="no customers")
        if rc in (E.ENONFINITE, E.EDOMAIN):
            return cls(rc, fn, "level", value=level, detail=_LEVEL)
        return cls(rc, fn)
    t = B.read(kind, dur.addr, bad)
    e = B.read(B.UINT8, ev.addr, bad)
    wt = B.read(B.DOUBLE, w.addr, bad) if w is not None else 1.0
    if rc == E.ENONFINITE:
        if not math.isfinite(t):
            return cls(rc, fn, "durations", bad, value=t)
        return cls(rc, fn, "weights", bad, value=wt)
    if rc == E.EDOMAIN:
        if t < 0:
            return cls(rc, fn, "durations", bad, value=t, detail="durations are >= 0")
        if e > 1:
            return cls(rc, fn, "events", bad, value=e,
                       detail="1 = churned, 0 = still active (censored)")
        return cls(rc, fn, "weights", bad, value=wt, detail="weights are >= 0")
    return cls(rc, fn, None, bad)
