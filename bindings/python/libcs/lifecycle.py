"""Lifecycle stages (onboarding, adoption, renewal window, at risk,
expansion-ready, advocate) from tenure, days to renewal, health band and NPS
category, under a :class:`LifecyclePolicy` (windows and rule order)."""

from __future__ import annotations

import ctypes
from typing import Any, Optional, Sequence, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, nonneg, rule
from ._handle import Handle, Reading
from .enums import NpsCategory, Stage

__all__ = ["LifecyclePolicy", "DEFAULT_ORDER"]

C = _ffi.C
E = Status

#: The library's default rule order (first match wins; adoption is the fallback).
DEFAULT_ORDER = (Stage.ONBOARDING, Stage.AT_RISK, Stage.RENEWAL, Stage.ADVOCATE,
                 Stage.EXPANSION)

_WINDOWS = Spec("LifecyclePolicy.set_windows",
                [Arg("onboarding_days", B.DOUBLE), Arg("renewal_days", B.DOUBLE),
                 Arg("advocate_days", B.DOUBLE)],
                [nonneg("onboarding_days"), nonneg("renewal_days"), nonneg("advocate_days")])
_ORDER = Spec("LifecyclePolicy.set_order", [Arg("order", B.CINT)],
              [rule(E.EDOMAIN, "order", lambda v: v["n"] == 5,
                    "the five rule stages ONBOARDING..ADVOCATE, each once")],
              {E.EDOMAIN: "the five rule stages ONBOARDING..ADVOCATE, each once"})
_CUSTOMER_RULES = [
    nonneg("days_since_start"), nonneg("days_to_renewal"),
    rule(E.EDOMAIN, "band", lambda v: 0 <= v["band"] <= 3, "bands are Band.UNKNOWN..GREEN"),
    rule(E.EDOMAIN, "nps_category", lambda v: -1 <= v["nps_category"] <= 2,
         "NpsCategory.DETRACTOR, PASSIVE, PROMOTER or NO_ANSWER (None)")]
_STAGE = Spec("LifecyclePolicy.stage",
              [Arg("days_since_start", B.DOUBLE), Arg("days_to_renewal", B.DOUBLE),
               Arg("band", B.CINT), Arg("nps_category", B.CINT)], _CUSTOMER_RULES)
_STAGE_BATCH = Spec("LifecyclePolicy.stage_batch", _STAGE.args, _CUSTOMER_RULES,
                    {E.EEMPTY: "no customers"})


def _policy_from_settings(windows: Optional[Tuple[float, float, float]],
                          order: Optional[Tuple[int, ...]]) -> "LifecyclePolicy":
    p = LifecyclePolicy()
    if windows is not None:
        p.set_windows(*windows)
    if order is not None:
        p.set_order(order)
    return p


def _category(x: Any, fn: str, index: Any = None) -> int:
    return NpsCategory.NO_ANSWER if x is None else B.to_int(x, B.CINT, fn, "nps_category", index)


class LifecyclePolicy(Handle):
    """Lifecycle windows and rule order (the libcs_lifecycle_policy handle).

    Defaults: onboarding 90 days, renewal window 90 days, advocate after 365
    days; rules tried in :data:`DEFAULT_ORDER`, first match wins, adoption
    the fallback.  Freed by :meth:`close`, a ``with`` block or the garbage
    collector; it pickles (the binding remembers what it set).

    >>> from libcs import Band, NpsCategory
    >>> with LifecyclePolicy() as policy:
    ...     policy.stage(days_since_start=500, days_to_renewal=200, band=Band.GREEN,
    ...                  nps_category=NpsCategory.PROMOTER)
    <Stage.ADVOCATE: 5>
    """

    __slots__ = ("_windows", "_order")

    def __init__(self, *, onboarding_days: Optional[float] = None,
                 renewal_days: Optional[float] = None,
                 advocate_days: Optional[float] = None,
                 order: Optional[Sequence[int]] = None) -> None:
        self._windows: Optional[Tuple[float, float, float]] = None
        self._order: Optional[Tuple[int, ...]] = None
        self._adopt(self._new(C.libcs_lifecycle_policy_new, "LifecyclePolicy"),
                    C.libcs_lifecycle_policy_free)
        given = [onboarding_days, renewal_days, advocate_days]
        if any(w is not None for w in given):
            if any(w is None for w in given):
                raise TypeError("LifecyclePolicy: give onboarding_days, renewal_days "
                                "and advocate_days together, or none of them")
            self.set_windows(onboarding_days, renewal_days, advocate_days)  # type: ignore[arg-type]
        if order is not None:
            self.set_order(order)

    def set_windows(self, onboarding_days: float, renewal_days: float,
                    advocate_days: float) -> None:
        """Onboarding lasts ``onboarding_days`` from the start; the renewal
        window opens ``renewal_days`` before renewal; advocates have at least
        ``advocate_days`` of tenure (all finite, >= 0)."""
        fn = _WINDOWS.name
        w = tuple(B.to_float(x, fn, a.name) for x, a in
                  zip((onboarding_days, renewal_days, advocate_days), _WINDOWS.args))
        rc = self._write(lambda p: C.libcs_lifecycle_policy_set_windows(p, *w))
        if rc:
            raise fail(_WINDOWS, rc, dict(zip((a.name for a in _WINDOWS.args), w)))
        self._windows = w  # type: ignore[assignment]

    def set_order(self, order: Sequence[int]) -> None:
        """The order in which the five rule stages (:class:`Stage`
        ONBOARDING..ADVOCATE, each once) are tried; first match wins."""
        fn = _ORDER.name
        with B.Pins() as pins:
            item = B.as_input(order, B.CINT, fn, "order", pins)
            values = tuple(B.read(B.CINT, item.addr, i) for i in range(item.n))
            rc = self._write(lambda p: C.libcs_lifecycle_policy_set_order(p, item.n, item.addr))
        if rc:
            raise fail(_ORDER, rc, {"n": len(values), "order": values})
        self._order = values

    @property
    def windows(self) -> Optional[Tuple[float, float, float]]:
        """The windows set through this object (None: the library's defaults)."""
        return self._windows

    @property
    def order(self) -> Tuple[Stage, ...]:
        """The rule order in force."""
        return tuple(Stage(s) for s in (self._order or DEFAULT_ORDER))

    def stage(self, days_since_start: float, days_to_renewal: float, band: int,
              nps_category: Optional[int]) -> Stage:
        """The stage of one customer: tenure and days to renewal (finite, >=
        0), health :class:`Band`, and :class:`NpsCategory` (None or
        NO_ANSWER when the customer has not answered)."""
        fn = _STAGE.name
        since = B.to_float(days_since_start, fn, "days_since_start")
        to_renewal = B.to_float(days_to_renewal, fn, "days_to_renewal")
        b = B.to_int(band, B.CINT, fn, "band")
        cat = _category(nps_category, fn)
        out = ctypes.c_int()
        with Reading(self) as p:
            rc = C.libcs_lifecycle_stage(p, since, to_renewal, b, cat, ctypes.byref(out))
        if rc:
            raise fail(_STAGE, rc, {"days_since_start": since, "days_to_renewal": to_renewal,
                                    "band": b, "nps_category": cat})
        return Stage(out.value)

    def stage_batch(self, days_since_start: Any, days_to_renewal: Any, bands: Any,
                    nps_categories: Any) -> Any:
        """Stages of n customers in one call: float64 arrays of tenure and
        days to renewal, C-int arrays of bands (e.g. ``HealthScores.bands``)
        and NPS categories (lists may hold None for no answer).  Returns C
        ints (Stage values), numpy when an input was numpy."""
        fn = _STAGE_BATCH.name
        if isinstance(nps_categories, (list, tuple)) and any(c is None for c in nps_categories):
            nps_categories = [NpsCategory.NO_ANSWER if c is None else c for c in nps_categories]
        with B.Pins() as pins:
            items = [B.as_input(x, a.kind, fn, a.name, pins) for x, a in
                     zip((days_since_start, days_to_renewal, bands, nps_categories), _STAGE.args)]
            n = items[0].n
            for it, a in zip(items[1:], _STAGE.args[1:]):
                if it.n != n:
                    raise ValueError("%s: %s has %d elements but days_since_start has %d"
                                     % (fn, a.name, it.n, n))
            stages, s_addr = B.new_output(B.CINT, n, any(it.numpy for it in items))
            bad = ctypes.c_size_t(SIZE_MAX)
            with Reading(self) as p:
                rc = C.libcs_lifecycle_stage_batch(p, n, *(it.addr for it in items), s_addr,
                                                   ctypes.byref(bad))
            if rc:
                index = bad.value if bad.value != SIZE_MAX else None
                values = {} if index is None else {
                    a.name: B.read(a.kind, it.addr, index) for a, it in zip(_STAGE.args, items)}
                raise fail(_STAGE_BATCH, rc, values, fn, index)
        return stages

    def __reduce__(self) -> Any:
        return (_policy_from_settings, (self._windows, self._order))

    def __repr__(self) -> str:
        if self.closed:
            return "<LifecyclePolicy (closed)>"
        w = self._windows or (90.0, 90.0, 365.0)
        return ("<LifecyclePolicy onboarding %g, renewal %g, advocate %g days; order %s>"
                % (w + (", ".join(s.name for s in self.order),)))

