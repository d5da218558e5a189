"""Touch-model segmentation: which customers get high-, low- or tech-touch
service -- by value thresholds, by shares of customers, or by CSM capacity --
and the per-tier summary of customers and value.

``value`` (ACV, LTV...; finite, >= 0) and ``priority`` (any finite ranking
key; defaults to value) are float64 arrays: buffers are read in place, lists
converted once.  Tiers come back as C ints (:class:`Tier` values) in a numpy
array when an input was numpy, else an array.array('i').  Shares and capacity
rank by priority descending, ties by index ascending, in linear time.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any, Callable, NamedTuple, Optional

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, fraction, rule
from .errors import Error, error_class

__all__ = ["TierSummary", "TouchSummary", "TouchResult", "touch_thresholds",
           "touch_shares", "touch_capacity", "touch_summarize"]

C = _ffi.C
E = Status
ArrayLike = Any

_TOTAL = {E.EOVERFLOW: "the total value overflows a double",
          E.EEMPTY: "no customers"}
_THRESHOLDS = Spec("touch_thresholds", [Arg("high_min", B.DOUBLE), Arg("low_min", B.DOUBLE)],
                   [rule(E.EDOMAIN, "high_min", lambda v: v["high_min"] >= v["low_min"],
                         "must be >= low_min")], _TOTAL)
_SHARES = Spec("touch_shares", [Arg("high_share", B.DOUBLE), Arg("low_share", B.DOUBLE)],
               [fraction("high_share"), fraction("low_share"),
                rule(E.EDOMAIN, "low_share", lambda v: v["high_share"] + v["low_share"] <= 1,
                     "high_share + low_share must be <= 1")], _TOTAL)
_CAPACITY = Spec("touch_capacity", [], [], _TOTAL)
_SUMMARIZE = Spec("touch_summarize", [], [], _TOTAL)


class TierSummary(NamedTuple):
    """One tier: its customers, the sum of their values, and their shares
    of all customers and of all value (0 when the total value is 0)."""
    customers: int
    value: float
    customer_share: float
    value_share: float


class TouchSummary(NamedTuple):
    """Per tier (struct libcs_touch_summary); ``summary[Tier.HIGH]`` works
    since the fields are in Tier order."""
    tech: TierSummary
    low: TierSummary
    high: TierSummary

    @classmethod
    def _from_struct(cls, s: _ffi.TouchSummaryStruct) -> "TouchSummary":
        return cls(*(TierSummary(s.customers[t], s.value[t], s.customer_share[t],
                                 s.value_share[t]) for t in range(3)))


class TouchResult(NamedTuple):
    """Each customer's tier and the per-tier summary."""
    tiers: Any
    summary: TouchSummary


def _element_error(rc: int, fn: str, index: int, value_addr: int,
                   prio_addr: Optional[int], tiers_addr: Optional[int]) -> Error:
    cls = error_class(rc)
    v = B.read(B.DOUBLE, value_addr, index)
    if not math.isfinite(v):
        return cls(rc, fn, "value", index, value=v)
    if v < 0:
        return cls(rc, fn, "value", index, value=v, detail="must be >= 0")
    if prio_addr is not None:
        p = B.read(B.DOUBLE, prio_addr, index)
        if not math.isfinite(p):
            return cls(rc, fn, "priority", index, value=p)
    if tiers_addr is not None:
        t = B.read(B.CINT, tiers_addr, index)
        return cls(rc, fn, "tiers", index, value=t, detail="tiers are Tier.TECH, LOW or HIGH")
    return cls(rc, fn, None, index)


def _run(spec: Spec, scalars: dict, value: ArrayLike, priority: Optional[ArrayLike],
         call: Callable[..., int], tiers_in: Optional[ArrayLike] = None,
         want_tiers: bool = True) -> Any:
    fn = spec.name
    summary = _ffi.TouchSummaryStruct()
    with B.Pins() as pins:
        val = B.as_input(value, B.DOUBLE, fn, "value", pins)
        numpy = val.numpy
        prio_addr = tiers_addr = None
        if priority is not None:
            pr = B.as_input(priority, B.DOUBLE, fn, "priority", pins)
            if pr.n != val.n:
                raise ValueError("%s: priority has %d elements but value has %d" % (fn, pr.n, val.n))
            prio_addr, numpy = pr.addr, numpy or pr.numpy
        if tiers_in is not None:
            ti = B.as_input(tiers_in, B.CINT, fn, "tiers", pins)
            if ti.n != val.n:
                raise ValueError("%s: tiers has %d elements but value has %d" % (fn, ti.n, val.n))
            tiers_addr = ti.addr
            tiers = None
        else:
            tiers, tiers_addr_out = B.new_output(B.CINT, val.n, numpy)
        bad = ctypes.c_size_t(SIZE_MAX)
        if tiers_in is not None:
            rc = call(val.n, val.addr, tiers_addr, ctypes.byref(summary), ctypes.byref(bad))
        else:
            rc = call(val.n, val.addr, prio_addr, tiers_addr_out, ctypes.byref(summary),
                      ctypes.byref(bad))
        if rc:
            if bad.value != SIZE_MAX:
                raise _element_error(rc, fn, bad.value, val.addr, prio_addr, tiers_addr)
            raise fail(spec, rc, scalars)
    s = TouchSummary._from_struct(summary)
    return TouchResult(tiers, s) if want_tiers else s


def touch_thresholds(value: ArrayLike, high_min: float, low_min: float) -> TouchResult:
    """Tiers by value: value >= ``high_min`` is high touch, >= ``low_min``
    low touch, the rest tech touch (high_min >= low_min).

    >>> r = touch_thresholds([60000, 12000, 3000, 80000], high_min=50000, low_min=10000)
    >>> list(r.tiers), r.summary.high.customers
    ([2, 1, 0, 2], 2)
    """
    fn = _THRESHOLDS.name
    hi = B.to_float(high_min, fn, "high_min")
    lo = B.to_float(low_min, fn, "low_min")
    return _run(_THRESHOLDS, {"high_min": hi, "low_min": lo}, value, None,
                lambda n, v, _p, t, s, b: C.libcs_touch_thresholds(n, v, hi, lo, t, s, b))


def touch_shares(value: ArrayLike, high_share: float, low_share: float,
                 priority: Optional[ArrayLike] = None) -> TouchResult:
    """Tiers by shares: the top round(high_share x n) customers by priority
    (value when priority is None) are high touch, the next round((high_share
    + low_share) x n) minus those low touch (shares are fractions summing to
    at most 1).

    >>> list(touch_shares([5, 50, 500, 5000], high_share=0.25, low_share=0.25).tiers)
    [0, 0, 1, 2]
    """
    fn = _SHARES.name
    hs = B.to_float(high_share, fn, "high_share")
    ls = B.to_float(low_share, fn, "low_share")
    return _run(_SHARES, {"high_share": hs, "low_share": ls}, value, priority,
                lambda n, v, p, t, s, b: C.libcs_touch_shares(n, v, p, hs, ls, t, s, b))


def touch_capacity(value: ArrayLike, csms: int, accounts_per_csm: int, low_capacity: int,
                   priority: Optional[ArrayLike] = None) -> TouchResult:
    """Tiers by capacity: the top ``csms`` x ``accounts_per_csm`` customers by
    priority (value when None) are high touch, the next ``low_capacity`` low
    touch, the rest tech touch (counts are integers >= 0).

    >>> list(touch_capacity([5, 50, 500, 5000], csms=1, accounts_per_csm=1, low_capacity=2).tiers)
    [0, 1, 1, 2]
    """
    fn = _CAPACITY.name
    cs = B.to_int(csms, B.UINT64, fn, "csms")
    ap = B.to_int(accounts_per_csm, B.UINT64, fn, "accounts_per_csm")
    lc = B.to_int(low_capacity, B.UINT64, fn, "low_capacity")
    return _run(_CAPACITY, {}, value, priority,
                lambda n, v, p, t, s, b: C.libcs_touch_capacity(n, v, p, cs, ap, lc, t, s, b))


def touch_summarize(value: ArrayLike, tiers: ArrayLike) -> TouchSummary:
    """The per-tier summary of tiers assigned by any rule (``tiers`` holds
    Tier values as C ints: numpy int32, array.array('i') or a list)."""
    return _run(_SUMMARIZE, {}, value, None, C.libcs_touch_summarize, tiers_in=tiers,
                want_tiers=False)

