"""Probabilistic customer lifetime value: the BG/NBD model of how many
transactions a customer will make (:class:`BgNbd`, Fader, Hardie & Lee
2005) and the Pareto/NBD model (:class:`ParetoNbd`, Schmittlein, Morrison
& Colombo 1987) in continuous time, the BG/BB model (:class:`BgBb`, Fader,
Hardie & Shang 2010) for discrete transaction opportunities, the
Gamma-Gamma model of how much each transaction is worth
(:class:`GammaGamma`), the shifted-beta-geometric model of contract
renewals (:class:`ShiftedBetaGeometric`, Fader & Hardie 2007), all fitted
by maximum likelihood, and the data they need from a transaction log
(:func:`clv_summarize`, :func:`clv_compress`).

Each customer is summarised by x, the number of repeat transactions (the
first purchase, which made it a customer, is not counted), t_x, the time
of the last one from the first purchase (0 when x = 0), and T, the time
from the first purchase to the end of the observation, in any time unit
(weeks, days...); the Gamma-Gamma model also takes the mean value of the
repeat transactions.  BG/BB counts opportunities instead: x transactions
in ``periods`` opportunities, the last at opportunity t_x.  The
shifted-beta-geometric model takes a cohort's survivor counts, or each
customer's duration in periods and whether it is still active.  Columns
are float64 (``active`` uint8): buffers (array.array('d'), numpy float64,
memoryview) are read where they lie, lists converted once, and a number
stands for the same value for every customer.

A fitted model is an immutable object that holds its parameters (a
:class:`BgNbdParams`, :class:`ParetoNbdParams`, :class:`BgBbParams`,
:class:`GammaGammaParams` or :class:`ShiftedBetaGeometricParams`) and,
when it comes from a fit, the :class:`ClvFit` (standard errors,
log-likelihood, convergence); it pickles, and its predictions take one
customer (numbers in, a float out) or many (arrays in, one C call, an
array out: numpy when any input is numpy, else array.array('d'), or
``out=``).  A bad row raises the library's error naming the argument and
the ``.index`` of the first bad customer.  A fit that finds no
maximum-likelihood estimate (its gradient test not met, or the likelihood
flat at the point: a ridge, or a supremum at the edge of the parameter
space) raises :class:`NotConvergedError` whose ``.result`` holds the point
where it stopped.
"""

from __future__ import annotations

import array
import ctypes
import math
import sys
import types
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, blame, fail, rule
from .errors import Error, NotConvergedError, UndefinedResultError, error_class

__all__ = ["BgNbd", "BgNbdParams", "BgNbdSample", "GammaGamma", "GammaGammaParams",
           "GammaGammaSample", "ParetoNbd", "ParetoNbdParams", "ParetoNbdSample", "BgBb",
           "BgBbParams", "BgBbSample", "ShiftedBetaGeometric", "ShiftedBetaGeometricParams",
           "ShiftedBetaGeometricSample", "ClvFit", "ClvSummary", "ClvRows", "clv_summarize",
           "clv_compress"]

#: A column of customers: a float64 buffer (numpy array, array.array('d'),
#: memoryview...), a sequence of numbers, or one number for everyone.
ArrayLike = Any

C = _ffi.C
E = Status
D = B.DOUBLE

# ---- results ------------------------------------------------------------------


class BgNbdParams(NamedTuple):
    """The BG/NBD parameters, all > 0: transaction rates are gamma(r,
    alpha) across customers (alpha in the time unit of the data), dropout
    probabilities after each transaction beta(a, b)."""
    r: float
    alpha: float
    a: float
    b: float


class GammaGammaParams(NamedTuple):
    """The Gamma-Gamma parameters, all > 0: transaction values are
    gamma(p, nu) for each customer, nu is gamma(q, gamma) across
    customers (gamma in the currency unit of the data)."""
    p: float
    q: float
    gamma: float


class ParetoNbdParams(NamedTuple):
    """The Pareto/NBD parameters, all > 0: while alive, a customer's
    transaction rate is gamma(r, alpha) across customers, and its dropout
    rate gamma(s, beta) (alpha and beta in the time unit of the data)."""
    r: float
    alpha: float
    s: float
    beta: float


class BgBbParams(NamedTuple):
    """The BG/BB parameters, all > 0: the probability of a transaction at
    each opportunity is beta(alpha, beta) across customers, the probability
    of dropping out before each opportunity beta(gamma, delta)."""
    alpha: float
    beta: float
    gamma: float
    delta: float


class ShiftedBetaGeometricParams(NamedTuple):
    """The shifted-beta-geometric parameters, both > 0: each customer's
    probability of churning at a renewal is beta(alpha, beta) across
    customers (mean alpha / (alpha + beta))."""
    alpha: float
    beta: float


class ClvFit(NamedTuple):
    """A maximum-likelihood fit (struct libcs_clv_fit): the parameters and
    their standard errors (both the model's parameter tuple, e.g.
    :class:`BgNbdParams`; the errors are NaN at no estimate, or when a
    log-parameter's standard error would exceed 5, and ``se_status`` then
    says so), the maximised log-likelihood, the optimiser's iterations over
    all its starting points, whether the point is a maximum-likelihood
    estimate, and ``se_status`` (``Status.OK`` or the reason the errors are
    NaN)."""
    params: Any
    se: Any
    loglik: float
    iterations: int
    converged: bool
    se_status: Any


class BgNbdSample(NamedTuple):
    """Simulated customers: repeat transactions x, the time of the last
    one t_x, and the observation lengths T they were simulated over (ready
    for ``BgNbd.fit(*sample)``)."""
    x: Any
    t_x: Any
    T: Any


class GammaGammaSample(NamedTuple):
    """Simulated repeat buyers: their repeat transactions x and the mean
    value of those (ready for ``GammaGamma.fit(*sample)``)."""
    x: Any
    mean_value: Any


class ParetoNbdSample(NamedTuple):
    """Simulated customers: repeat transactions x, the time of the last
    one t_x, and the observation lengths T they were simulated over (ready
    for ``ParetoNbd.fit(*sample)``)."""
    x: Any
    t_x: Any
    T: Any


class BgBbSample(NamedTuple):
    """Simulated customers: transactions x, the opportunity of the last
    one t_x (0 when x = 0), and the opportunities ``periods`` they were
    simulated over (ready for ``BgBb.fit(*sample)``)."""
    x: Any
    t_x: Any
    periods: Any


class ShiftedBetaGeometricSample(NamedTuple):
    """Simulated contract customers: each one's ``duration`` in periods
    (float64) and ``active`` (uint8): 0 when it churned in period
    ``duration``, 1 when it was still active after ``duration`` periods,
    the end of the observation (ready for
    ``ShiftedBetaGeometric.fit_durations(*sample)``)."""
    duration: Any
    active: Any


def _select(column: Any, keep: Sequence[int], numpy: bool) -> Any:
    if numpy:
        return column[keep]
    return array.array(column.typecode, [column[i] for i in keep])


class ClvSummary(NamedTuple):
    """Each customer's summary (libcs_clv_summarize), in order of first
    appearance in the log: its id (int64), repeat transactions x, the time
    of the last one t_x and the observation length T (in the time unit
    divided by ``time_scale``), the mean value of the repeat transactions
    (0 when x = 0), and its holdout transactions (a count) and their total
    value.  Arrays: numpy when an input was, else array.array ('q' for the
    ids, 'd' for the rest)."""
    id: Any
    x: Any
    t_x: Any
    T: Any
    mean_value: Any
    holdout_x: Any
    holdout_value: Any

    def repeat_buyers(self) -> "ClvSummary":
        """The customers with x >= 1: the rows :meth:`GammaGamma.fit`
        takes (a copy)."""
        numpy = B.is_numpy(self.x)
        keep: Any = (self.x >= 1) if numpy else [i for i, v in enumerate(self.x) if v >= 1]
        return ClvSummary(*(_select(c, keep, numpy) for c in self))


class ClvRows(NamedTuple):
    """Distinct (x, t_x, T) rows with the sum of their weights
    (libcs_clv_compress), in order of first appearance: the sufficient
    statistics of a BG/NBD fit (``BgNbd.fit(*rows)``)."""
    x: Any
    t_x: Any
    T: Any
    weights: Any


def _status(code: int) -> Any:
    try:
        return Status(code)
    except ValueError:
        return code

# ---- columns -------------------------------------------------------------------


class _Columns:
    """The per-customer columns of one call, converted and checked: the
    arrays by address, numbers broadcast to n copies, absent weights (None)
    passed as NULL."""

    def __init__(self, fn: str, cols: Sequence[Tuple[str, Any, B.Kind]], pins: B.Pins,
                 n: Optional[int] = None, what: str = "") -> None:
        self.kinds = {name: kind for name, _, kind in cols}
        self.items: Dict[str, Any] = {}
        self.numpy = False
        first = ""
        for name, obj, kind in cols:
            if obj is None and name == "weights":
                self.items[name] = None
            elif obj is None:
                raise TypeError("%s: %s must be a number or an array, not None" % (fn, name))
            elif B.is_scalar(obj):
                self.items[name] = B.to_scalar(obj, kind, fn, name)
            else:
                item = B.as_input(obj, kind, fn, name, pins)
                self.numpy = self.numpy or item.numpy
                if n is None:
                    n, first = item.n, name
                elif item.n != n:
                    raise ValueError("%s: %s has %d elements but %s has %d"
                                     % (fn, name, item.n, first or "n", n))
                self.items[name] = item
        if n is None:
            raise TypeError("%s: %s must be an array" % (
                fn, what or "at least one of " + ", ".join(c[0] for c in cols)))
        self.n = n
        self.addrs: Dict[str, Optional[int]] = {}
        for name, _, kind in cols:
            item = self.items[name]
            if item is None:
                self.addrs[name] = None
            elif isinstance(item, B.Input):
                self.addrs[name] = item.addr
            else:
                self.addrs[name] = B.repeat(item, kind, n, pins)

    def row(self, i: int) -> Dict[str, Any]:
        """Row i's values (while the pins are held)."""
        return {name: B.read(self.kinds[name], addr, i)
                for name, addr in self.addrs.items() if addr is not None}

    def first_bad(self, ok: Callable[..., bool]) -> Optional[int]:
        """The first row for which ok(its values, in column order; weights
        left out when absent) is false (for the calls that report no
        index: the library's rules, one pass over lists)."""
        cols = [(self.kinds[name].ctype * self.n).from_address(addr)[:]
                for name, addr in self.addrs.items() if addr is not None]
        for i, row in enumerate(zip(*cols)):
            if not ok(*row):
                return i
        return None


def _rows_error(spec: Spec, rc: int, cols: _Columns, fn: str, ok: Callable[..., bool],
                extra: Optional[Dict[str, Any]] = None) -> Error:
    """The error of a call over rows that reports no index: the first bad
    row (ok false) is found here, the argument at fault by the spec."""
    values = dict(extra or {})
    index = None
    if rc in (E.ENONFINITE, E.EDOMAIN):
        index = cols.first_bad(ok)
        if index is not None:
            values.update(cols.row(index))
    return fail(spec, rc, values, fn, index)


def _col(c: Tuple[Any, ...]) -> Tuple[str, Any, B.Kind]:
    """A column (name, value) of float64, or (name, value, kind)."""
    return (c[0], c[1], c[2] if len(c) > 2 else D)


def _output(kind: B.Kind, n: int, numpy: bool) -> Tuple[Any, int]:
    return B.new_output(kind, n, numpy)


def _shrink(arr: Any, m: int) -> Any:
    """An output array allocated for n elements cut to its first m."""
    if isinstance(arr, array.array):
        del arr[m:]
        return arr
    if len(arr) != m:
        arr.resize(m, refcheck=False)  # ours alone: shrinks in place
    return arr

# ---- rules -----------------------------------------------------------------------------


_WHOLE_X = "a whole number of repeat transactions from 0 to 1e15"
_ROW_RULES = [
    rule(E.EDOMAIN, "x", lambda v: 0 <= v["x"] <= 1e15 and v["x"] == math.floor(v["x"]), _WHOLE_X),
    rule(E.EDOMAIN, "T", lambda v: v["T"] >= 0, "the observation length is >= 0"),
    rule(E.EDOMAIN, "t_x", lambda v: 0 <= v["t_x"] <= v["T"],
         "the time of the last repeat transaction is in [0, T]"),
    rule(E.EDOMAIN, "t_x", lambda v: v["x"] != 0 or v["t_x"] == 0,
         "0 for a customer without repeat transactions (x = 0)"),
]
_WEIGHTS = rule(E.EDOMAIN, "weights", lambda v: v["weights"] >= 0, "weights are >= 0")
_finite, _floor = math.isfinite, math.floor


def _bg_row_ok(x: float, t_x: float, T: float, w: float = 1.0) -> bool:
    """A row libcs_bgnbd_fit and libcs_bgnbd_loglik accept (_ROW_RULES)."""
    return (_finite(x) and _finite(t_x) and _finite(T) and _finite(w) and
            0 <= x <= 1e15 and x == _floor(x) and 0 <= t_x <= T and (x != 0 or t_x == 0)
            and w >= 0)


def _gg_row_ok(x: float, m: float, w: float = 1.0) -> bool:
    """A row libcs_gg_fit and libcs_gg_loglik accept (_GG_ROW_RULES)."""
    return (_finite(x) and _finite(m) and _finite(w) and 1 <= x <= 1e15 and
            x == _floor(x) and m > 0 and w >= 0)


def _gg_x_ok(x: float) -> bool:
    return _finite(x) and 1 <= x <= 1e15 and x == _floor(x)


def _T_ok(T: float) -> bool:
    return _finite(T) and T >= 0
_ROW_ARGS = [Arg("x", D), Arg("t_x", D), Arg("T", D)]
_TOO_LARGE = "the result is too large for a double"
_SERIES = ("its series needs more than 10^6 terms: the horizon is too long for these "
           "parameters")


def _params_spec(name: str, fields: Sequence[str]) -> Spec:
    return Spec(name, [Arg(f, D) for f in fields],
                [rule(E.EDOMAIN, f, lambda v, f=f: v[f] > 0, "model parameters are > 0")
                 for f in fields])


_BG_NEW = _params_spec("BgNbd", BgNbdParams._fields)
# libcs_bgnbd_loglik and _fit report a log-likelihood that is not finite
# with valid input as LIBCS_ENONFINITE (and the fit, when no starting point
# can be evaluated, the objective's code): no argument is at fault then
_NOT_FINITE = "every input is valid: the log-likelihood itself is not finite there"
_HORIZON = rule(E.EDOMAIN, "t", lambda v: v["t"] >= 0, "the horizon is >= 0")
# BG/NBD and Pareto/NBD: the arguments and rules of each call (their C
# functions take the same arguments); what the errors mean is the model's
_NBD_CALLS = {
    "loglik": (_ROW_ARGS + [Arg("weights", D)], _ROW_RULES + [_WEIGHTS]),
    "fit": (_ROW_ARGS + [Arg("weights", D)], _ROW_RULES + [_WEIGHTS]),
    "expected": ([Arg("t", D)], [_HORIZON]),
    "pmf": ([Arg("t", D), Arg("k", B.UINT32)], [_HORIZON]),
    "conditional": (_ROW_ARGS + [Arg("t", D, False)], _ROW_RULES + [_HORIZON]),
    "palive": (_ROW_ARGS, _ROW_RULES),
    "clv": (_ROW_ARGS + [Arg("value", D), Arg("step", D, False), Arg("steps", B.UINT32, False),
                         Arg("discount", D, False)],
            _ROW_RULES + [
                rule(E.EDOMAIN, "value", lambda v: v["value"] >= 0,
                     "the value of a transaction is >= 0"),
                rule(E.EDOMAIN, "step", lambda v: v["step"] > 0, "the step is > 0"),
                rule(E.EDOMAIN, "discount", lambda v: v["discount"] > -1,
                     "a discount rate per step > -1")]),
    "simulate": ([Arg("T", D)],
                 [rule(E.EDOMAIN, "T", lambda v: v["T"] >= 0, "observation lengths are >= 0")]),
}


def _nbd_specs(model: str, details: Dict[str, Dict[int, str]]) -> Dict[str, Spec]:
    """The specs of a BG/NBD-like model's calls (_NBD_CALLS), named after
    the model, with what each call's errors mean (details[call])."""
    return {call: Spec("%s.%s" % (model, call), args, rules, details[call])
            for call, (args, rules) in _NBD_CALLS.items()}


_BG_SPECS = _nbd_specs("BgNbd", {
    "loglik": {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE,
               E.ENONFINITE: _NOT_FINITE + " (parameters near the limits of a double)"},
    "fit": {E.EOVERFLOW: "the log-likelihood is beyond the range of a double",
            E.ENONFINITE: _NOT_FINITE + " at every starting point",
            E.EDOMAIN: "every input is valid: no starting point could be evaluated"},
    "expected": {E.EEMPTY: "no horizons", E.ENOCONV: _SERIES, E.EOVERFLOW: _TOO_LARGE},
    "pmf": {E.EEMPTY: "no horizons", E.EOVERFLOW: _TOO_LARGE},
    "conditional": {E.EEMPTY: "no customers", E.ENOCONV: _SERIES, E.EOVERFLOW: _TOO_LARGE},
    "palive": {E.EEMPTY: "no customers"},
    "clv": {E.EEMPTY: "no customers", E.ENOCONV: _SERIES, E.EOVERFLOW: _TOO_LARGE},
    "simulate": {E.EEMPTY: "no customers"},
})

_GG_ROW_RULES = [
    rule(E.EDOMAIN, "x", lambda v: 1 <= v["x"] <= 1e15 and v["x"] == math.floor(v["x"]),
         "a whole number of repeat transactions from 1 to 1e15: customers without "
         "repeat transactions carry no information on their spend; leave them out"),
    rule(E.EDOMAIN, "mean_value", lambda v: v["mean_value"] > 0,
         "mean transaction values are > 0"),
]
_GG_NEW = _params_spec("GammaGamma", GammaGammaParams._fields)
_GG_LOGLIK = Spec("GammaGamma.loglik", [Arg("x", D), Arg("mean_value", D), Arg("weights", D)],
                  _GG_ROW_RULES + [_WEIGHTS], {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE})
_GG_FIT = Spec("GammaGamma.fit", [Arg("x", D), Arg("mean_value", D), Arg("weights", D)],
               _GG_ROW_RULES + [_WEIGHTS],
               {E.EOVERFLOW: "the log-likelihood or the sum of the weights is beyond the range "
                             "of a double"})
_Q = rule(E.EUNDEFINED, "q", lambda v: v["q"] > 1,
          "q <= 1: the population mean p gamma / (q - 1) is infinite, and so is every "
          "expected value")
# expected takes x = 0 (a one-time buyer: the population mean), its mean
# value then ignored but finite and >= 0
_GG_EXPECTED_RULES = [
    rule(E.EDOMAIN, "x", lambda v: 0 <= v["x"] <= 1e15 and v["x"] == math.floor(v["x"]),
         "a whole number of repeat transactions from 0 to 1e15"),
    rule(E.EDOMAIN, "mean_value",
         lambda v: v["mean_value"] >= 0 if v["x"] == 0 else v["mean_value"] > 0,
         "mean transaction values are > 0 (>= 0, and ignored, when x = 0)"),
]
_GG_EXPECTED = Spec("GammaGamma.expected", [Arg("x", D), Arg("mean_value", D)],
                    _GG_EXPECTED_RULES + [_Q],
                    {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE})
_GG_SIMULATE = Spec("GammaGamma.simulate", [Arg("x", D)], _GG_ROW_RULES[:1],
                    {E.EEMPTY: "no customers",
                     E.EOVERFLOW: "a simulated mean value is outside the range of positive "
                                  "doubles (p x or q below about 0.01, or huge parameters)"})

# Pareto/NBD: the rows and rules of BG/NBD; the likelihood's integral may be
# evaluated numerically (libcs_pnbd_loglik(3)), which can fail to converge
_PN_NEW = _params_spec("ParetoNbd", ParetoNbdParams._fields)
_QUAD = ("the numerical integration the model needs did not reach the library's accuracy "
         "for these parameters")
_PN_SPECS = _nbd_specs("ParetoNbd", {
    "loglik": {E.EEMPTY: "no customers", E.ENOCONV: _QUAD,
               E.EOVERFLOW: "every input is valid: the log-likelihood itself is beyond the "
                            "range of a double there"},
    "fit": {E.EOVERFLOW: "the log-likelihood or the sum of the weights is beyond the range "
                         "of a double",
            E.EDOMAIN: "every input is valid: no starting point could be evaluated"},
    "expected": {E.EEMPTY: "no horizons", E.EOVERFLOW: _TOO_LARGE},
    "pmf": {E.EEMPTY: "no horizons", E.ENOCONV: _QUAD, E.EOVERFLOW: _TOO_LARGE},
    "conditional": {E.EEMPTY: "no customers", E.ENOCONV: _QUAD, E.EOVERFLOW: _TOO_LARGE},
    "palive": {E.EEMPTY: "no customers", E.ENOCONV: _QUAD, E.EOVERFLOW: _TOO_LARGE},
    "clv": {E.EEMPTY: "no customers", E.ENOCONV: _QUAD, E.EOVERFLOW: _TOO_LARGE},
    "simulate": {E.EEMPTY: "no customers"},
})

# BG/BB: whole numbers 0 <= x <= t_x <= periods <= 10^7, t_x = 0 exactly
# when x = 0 (libcs_bgbb_fit(3)); horizons up to 10^15 opportunities


def _whole(v: float, lo: float, hi: float) -> bool:
    return lo <= v <= hi and v == math.floor(v)


_BB_MAX = 1e7
_BB_HORIZON = 1e15
_BB_ROW_ARGS = [Arg("x", D), Arg("t_x", D), Arg("periods", D)]
_BB_ROW_RULES = [
    rule(E.EDOMAIN, "periods", lambda v: _whole(v["periods"], 0, _BB_MAX),
         "a whole number of transaction opportunities from 0 to 10^7"),
    rule(E.EDOMAIN, "x", lambda v: _whole(v["x"], 0, _BB_MAX),
         "a whole number of transactions from 0 to 10^7"),
    rule(E.EDOMAIN, "t_x", lambda v: _whole(v["t_x"], 0, _BB_MAX),
         "the opportunity of the last transaction: a whole number from 0 to 10^7"),
    rule(E.EDOMAIN, "t_x", lambda v: v["x"] <= v["t_x"],
         "x transactions take x opportunities: x <= t_x"),
    rule(E.EDOMAIN, "t_x", lambda v: v["t_x"] <= v["periods"],
         "the last transaction is at one of the opportunities: t_x <= periods"),
    rule(E.EDOMAIN, "t_x", lambda v: (v["x"] == 0) == (v["t_x"] == 0),
         "t_x = 0 exactly when x = 0"),
]


def _bb_row_ok(x: float, t_x: float, n: float, w: float = 1.0) -> bool:
    """A row libcs_bgbb_fit and libcs_bgbb_loglik accept (_BB_ROW_RULES)."""
    return (_finite(x) and _finite(t_x) and _finite(n) and _finite(w) and
            _whole(n, 0, _BB_MAX) and _whole(x, 0, _BB_MAX) and _whole(t_x, 0, _BB_MAX) and
            x <= t_x <= n and (x == 0) == (t_x == 0) and w >= 0)


def _bb_periods_ok(n: float) -> bool:
    return _finite(n) and _whole(n, 0, _BB_MAX)


_BB_NEW = _params_spec("BgBb", BgBbParams._fields)
_BB_LOGLIK = Spec("BgBb.loglik", _BB_ROW_ARGS + [Arg("weights", D)], _BB_ROW_RULES + [_WEIGHTS],
                  {E.EEMPTY: "no customers",
                   E.EOVERFLOW: "every input is valid: the log-likelihood itself is beyond the "
                                "range of a double there"})
_BB_FIT = Spec("BgBb.fit", _BB_ROW_ARGS + [Arg("weights", D)], _BB_ROW_RULES + [_WEIGHTS],
               {E.EOVERFLOW: "the log-likelihood or the sum of the weights is beyond the range "
                             "of a double",
                E.EDOMAIN: "every input is valid: no starting point could be evaluated"})
_BB_EXPECTED = Spec("BgBb.expected", [Arg("periods", D)],
                    [rule(E.EDOMAIN, "periods", lambda v: _whole(v["periods"], 0, _BB_HORIZON),
                          "a whole number of opportunities from 0 to 10^15")],
                    {E.EEMPTY: "no horizons", E.EOVERFLOW: _TOO_LARGE})
_BB_PMF = Spec("BgBb.pmf", [Arg("periods", D), Arg("k", B.UINT32)],
               [rule(E.EDOMAIN, "periods", lambda v: _whole(v["periods"], 0, _BB_MAX),
                     "a whole number of opportunities from 0 to 10^7")],
               {E.EEMPTY: "no horizons", E.EOVERFLOW: _TOO_LARGE})
_BB_CONDITIONAL = Spec("BgBb.conditional", _BB_ROW_ARGS + [Arg("future", D, False)],
                       _BB_ROW_RULES + [rule(E.EDOMAIN, "future",
                                             lambda v: _whole(v["future"], 0, _BB_HORIZON),
                                             "a whole number of future opportunities from 0 "
                                             "to 10^15")],
                       {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE})
_BB_PALIVE = Spec("BgBb.palive", list(_BB_ROW_ARGS), _BB_ROW_RULES,
                  {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE})
_BB_DERT = Spec("BgBb.dert", _BB_ROW_ARGS + [Arg("discount", D, False)],
                _BB_ROW_RULES + [
                    rule(E.EDOMAIN, "discount", lambda v: v["discount"] >= 0,
                         "a discount rate per opportunity >= 0: over an infinite horizon a "
                         "negative rate makes the sum diverge"),
                    rule(E.EUNDEFINED, "gamma", lambda v: v["discount"] != 0 or v["gamma"] > 1,
                         "undiscounted, the expected residual transactions are infinite when "
                         "gamma <= 1")],
                {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE,
                 E.ENOCONV: "its series needs more than 4 * 10^6 terms: a discount rate this "
                            "close to 0 (below about 1e-5) is too small for these parameters"})
_BB_SIMULATE = Spec("BgBb.simulate", [Arg("periods", D)],
                    [rule(E.EDOMAIN, "periods", lambda v: _whole(v["periods"], 0, _BB_MAX),
                          "whole numbers of opportunities from 0 to 10^7")],
                    {E.EEMPTY: "no customers"})

# shifted-beta-geometric: survivor counts (checked by the binding's scan
# for their index, _survivors_error) or duration records; whole periods up
# to 10^15
_SBG_MAX = 1e15
#: ``active`` flags: uint8, or numpy bool (the same bytes)
_ACTIVE = B.Kind("B", "B?", ctypes.c_uint8, "uint8_t", "uint8", "an integer", 0, 255)


def _sbg_record_ok(d: float, act: int, w: float = 1.0) -> bool:
    """A record libcs_sbg_fit_durations and _loglik_durations accept."""
    return (_finite(d) and _finite(w) and act in (0, 1) and
            _whole(d, 0 if act else 1, _SBG_MAX) and w >= 0)


_SBG_NEW = _params_spec("ShiftedBetaGeometric", ShiftedBetaGeometricParams._fields)
_SBG_RECORD_ARGS = [Arg("duration", D), Arg("active", _ACTIVE), Arg("weights", D)]
_SBG_RECORD_RULES = [
    rule(E.EDOMAIN, "active", lambda v: v["active"] in (0, 1),
         "0 for a customer who churned, 1 for one still active"),
    rule(E.EDOMAIN, "duration",
         lambda v: _whole(v["duration"], 0 if v["active"] else 1, _SBG_MAX),
         "a whole number of periods up to 10^15: >= 1 for a customer who churned (in period "
         "duration), >= 0 for one still active"),
    _WEIGHTS,
]
_SBG_LOGLIK_SURVIVORS = "ShiftedBetaGeometric.loglik_survivors"
_SBG_FIT_SURVIVORS = "ShiftedBetaGeometric.fit_survivors"
_SBG_LOGLIK_DURATIONS = Spec("ShiftedBetaGeometric.loglik_durations", _SBG_RECORD_ARGS,
                             _SBG_RECORD_RULES,
                             {E.EEMPTY: "no customers",
                              E.EOVERFLOW: "every input is valid: the log-likelihood itself is "
                                           "beyond the range of a double there"})
_SBG_FIT_DURATIONS = Spec("ShiftedBetaGeometric.fit_durations", _SBG_RECORD_ARGS,
                          _SBG_RECORD_RULES,
                          {E.EOVERFLOW: "the log-likelihood or the sum of the weights is beyond "
                                        "the range of a double"})
_SBG_RETENTION = Spec("ShiftedBetaGeometric.retention", [Arg("t", D)],
                      [rule(E.EDOMAIN, "t", lambda v: _whole(v["t"], 1, _SBG_MAX),
                            "a whole period number from 1 to 10^15 (r(t) is the share of "
                            "period t - 1's customers who renew into t)")],
                      {E.EEMPTY: "no periods"})
_SBG_SURVIVAL = Spec("ShiftedBetaGeometric.survival", [Arg("t", D)],
                     [rule(E.EDOMAIN, "t", lambda v: _whole(v["t"], 0, _SBG_MAX),
                           "a whole number of periods from 0 to 10^15")],
                     {E.EEMPTY: "no periods", E.EOVERFLOW: _TOO_LARGE})
_SBG_PROJECT = Spec("ShiftedBetaGeometric.project", [Arg("cohort", D), Arg("n", B.SIZE)],
                    [rule(E.EEMPTY, "n", lambda v: v["n"] > 0, "no periods to project"),
                     rule(E.EDOMAIN, "cohort", lambda v: v["cohort"] >= 0,
                          "the cohort size is >= 0"),
                     rule(E.EDOMAIN, "n", lambda v: v["n"] - 1 <= _SBG_MAX,
                          "periods 0 to 10^15 at most")],
                    {E.EOVERFLOW: "a projected count is too large for a double"})
_SBG_DISCOUNT_RULES = [
    rule(E.EDOMAIN, "discount", lambda v: v["discount"] > -1, "a discount rate per period > -1"),
    rule(E.EUNDEFINED, "discount", lambda v: v["discount"] >= 0,
         "a negative discount rate makes every expected lifetime infinite"),
    rule(E.EUNDEFINED, "alpha", lambda v: v["discount"] != 0 or v["alpha"] > 1,
         "undiscounted, the expected lifetime is infinite when alpha <= 1"),
]
_CF = ("a discount rate this close to 0 (below about 1e-11) needs more than 10^7 steps of "
       "the continued fraction")
_SBG_DEL = Spec("ShiftedBetaGeometric.discounted_expected_lifetime", [Arg("discount", D)],
                _SBG_DISCOUNT_RULES,
                {E.EEMPTY: "no discount rates", E.ENOCONV: _CF, E.EOVERFLOW: _TOO_LARGE})
_SBG_DERL = Spec("ShiftedBetaGeometric.discounted_expected_residual_lifetime",
                 [Arg("renewals", D), Arg("discount", D, False)],
                 [rule(E.EDOMAIN, "renewals", lambda v: _whole(v["renewals"], 0, _SBG_MAX),
                       "a whole number of renewals from 0 to 10^15")] + _SBG_DISCOUNT_RULES,
                 {E.EEMPTY: "no customers", E.ENOCONV: _CF, E.EOVERFLOW: _TOO_LARGE})
_SBG_SIMULATE = Spec("ShiftedBetaGeometric.simulate",
                     [Arg("n", B.SIZE), Arg("periods", B.UINT32), Arg("seed", B.UINT64)],
                     [rule(E.EEMPTY, "n", lambda v: v["n"] > 0, "no customers")])


def _survivors_error(fn: str, rc: int, cols: _Columns) -> Error:
    """The error of a call over survivor counts, which the library reports
    without an index: the first count that breaks a rule is found here."""
    cls = error_class(rc)
    if rc == E.EEMPTY:
        return cls(rc, fn, "survivors", detail=(
            "no survivor counts" if cols.n == 0 else
            "the cohort alone: a fit needs the counts of at least one period after it"))
    if rc in (E.ENONFINITE, E.EDOMAIN):
        s = (ctypes.c_double * cols.n).from_address(cols.addrs["survivors"])[:]
        for i, v in enumerate(s):
            if not math.isfinite(v):
                return cls(rc, fn, "survivors", i, value=v)
            if i == 0 and not v > 0:
                return cls(rc, fn, "survivors", i, value=v,
                           detail="the cohort, survivors[0], is > 0")
            if i and not v >= 0:
                return cls(rc, fn, "survivors", i, value=v, detail="survivor counts are >= 0")
            if i and not v <= s[i - 1]:
                return cls(rc, fn, "survivors", i, value=v, detail=(
                    "survivor counts never increase: survivors[%d] = %r" % (i - 1, s[i - 1])))
    return cls(rc, fn, detail={
        E.EOVERFLOW: "every input is valid: the log-likelihood is beyond the range of a "
                     "double there"}.get(rc))

# ---- the models ----------------------------------------------------------------------


class _Model:
    """What BgNbd and GammaGamma share: parameters validated by the library,
    the fit's result, pickling, equality, scalar and batch predictions."""

    __slots__ = ("_params", "_result", "_c")
    _PARAMS: Any = None
    _ROW_OK: Callable[..., bool]
    _NEW: Spec
    _NAME = ""

    def __init__(self, params: Optional[Sequence[float]] = None,
                 result: Optional[ClvFit] = None, **named: float) -> None:
        cls = type(self)
        fields = cls._PARAMS._fields
        if named:  # BgNbd(r=..., alpha=..., a=..., b=...), as the Ruby binding takes them
            if params is not None:
                raise TypeError("%s: give the parameters as one sequence or by name (%s), "
                                "not both" % (cls._NAME, ", ".join(fields)))
            if set(named) != set(fields):
                raise TypeError("%s: the parameters by name are %s, not %s"
                                % (cls._NAME, ", ".join(fields), ", ".join(sorted(named))))
            params = [named[f] for f in fields]
        if isinstance(params, (str, bytes)) or not hasattr(params, "__len__") or \
                len(params) != len(fields):
            raise TypeError("%s: params must be %d numbers (%s), not %r"
                            % (cls._NAME, len(fields), ", ".join(fields), params))
        values = [B.to_float(v, cls._NAME, f) for f, v in zip(fields, params)]
        c = (ctypes.c_double * len(fields))(*values)
        rc = cls._validate(c)
        if rc:
            raise fail(cls._NEW, rc, dict(zip(fields, values)))
        if result is not None and not isinstance(result, ClvFit):
            raise TypeError("%s: result must be a ClvFit or None" % cls._NAME)
        self._params = cls._PARAMS(*values)
        self._result = result
        self._c = c

    @staticmethod
    def _validate(c: Any) -> int:
        raise NotImplementedError

    @property
    def params(self) -> Any:
        """The parameters."""
        return self._params

    @property
    def result(self) -> Optional[ClvFit]:
        """The :class:`ClvFit` this model comes from (standard errors,
        log-likelihood, convergence), or None when it was made from given
        parameters."""
        return self._result

    def __eq__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._params == other._params

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._params))

    def __repr__(self) -> str:
        return "%s(%r)" % (type(self).__name__, self._params)

    def __reduce__(self) -> Any:
        return (type(self), (tuple(self._params), self._result))

    def __copy__(self) -> "_Model":
        return self

    def __deepcopy__(self, memo: Any) -> "_Model":
        return self

    # ---- calls -------------------------------------------------------------------------

    def _values(self) -> Dict[str, Any]:
        return self._params._asdict()

    def _scalar(self, spec: Spec, cfn: Any, args: Sequence[Any]) -> float:
        fn = spec.name
        vals = [B.to_scalar(a, arg.kind, fn, arg.name) for arg, a in zip(spec.args, args)]
        out = ctypes.c_double()
        rc = cfn(self._c, *vals, ctypes.byref(out))
        if rc:
            values = self._values()
            values.update(zip((a.name for a in spec.args), vals))
            raise fail(spec, rc, values)
        return out.value

    def _predict(self, spec: Spec, scalar_cfn: Any, batch_cfn: Any, args: Sequence[Any],
                 out: Any) -> Any:
        """One customer (every per-customer argument a number) by the scalar
        function, else the batch function over n; the per-customer arguments
        are the spec's arrays, the others are numbers in C."""
        per = [(arg, a) for arg, a in zip(spec.args, args) if arg.array]
        if out is None and all(B.is_scalar(a) for _, a in per):
            return self._scalar(spec, scalar_cfn, args)
        fn = spec.name
        with B.Pins() as pins:
            cols = _Columns(fn, [(arg.name, a, arg.kind) for arg, a in per], pins)
            scalars = {arg.name: B.to_scalar(a, arg.kind, fn, arg.name)
                       for arg, a in zip(spec.args, args) if not arg.array}
            if out is None:
                result, out_addr = _output(D, cols.n, cols.numpy)
            else:
                result, out_addr = out, B.as_output(out, D, cols.n, fn, pins)
            bad = ctypes.c_size_t(SIZE_MAX)
            rc = batch_cfn(self._c, cols.n, *(cols.addrs[arg.name] for arg, _ in per),
                           *scalars.values(), out_addr, ctypes.byref(bad))
            if rc:
                index = bad.value if bad.value != SIZE_MAX else None
                values = self._values()
                values.update(scalars)
                if index is not None:
                    values.update(cols.row(index))
                arg, _ = blame(spec, rc, values)
                if arg in scalars or arg in self._PARAMS._fields:
                    index = None  # one number for all: no element at fault
                raise fail(spec, rc, values, fn, index)
        return result

    @classmethod
    def _start(cls, start: Any, fn: str) -> Any:
        fields = cls._PARAMS._fields
        if start is None:
            return None
        if isinstance(start, (str, bytes)) or not hasattr(start, "__len__") or \
                len(start) != len(fields):
            raise TypeError("%s: start must be None or %d numbers (%s), not %r"
                            % (fn, len(fields), ", ".join(fields), start))
        return (ctypes.c_double * len(fields))(
            *(B.to_float(v, fn, "start", i) for i, v in enumerate(start)))

    @classmethod
    def _fit(cls, spec: Spec, cfn: Any, cols_in: Sequence[Tuple[Any, ...]], weights: Any,
             start: Any) -> "_Model":
        """cfn(n, columns..., weights, start, &fit): the columns (name,
        value) in float64 or (name, value, kind)."""
        fn = spec.name
        st = cls._start(start, fn)
        with B.Pins() as pins:
            cols = _Columns(fn, [_col(c) for c in cols_in] + [("weights", weights, D)], pins,
                            what="at least one of " + ", ".join(c[0] for c in cols_in))
            s = _ffi.ClvFitStruct()
            rc = cfn(cols.n, *(cols.addrs[c[0]] for c in cols_in), cols.addrs["weights"],
                     st, ctypes.byref(s))
            if rc not in (E.OK, E.ENOCONV):
                raise cls._fit_error(spec, rc, cols, st)
        return cls._fitted(fn, rc, s)

    @classmethod
    def _fitted(cls, fn: str, rc: int, s: Any) -> "_Model":
        """The model of a fit that returned LIBCS_OK, or NotConvergedError
        with the best point found for LIBCS_ENOCONV."""
        k = len(cls._PARAMS._fields)
        res = ClvFit(cls._PARAMS(*s.params[:k]), cls._PARAMS(*s.se[:k]), s.loglik,
                     s.iterations, bool(s.converged), _status(s.se_status))
        if rc == E.ENOCONV:
            raise NotConvergedError(rc, fn, result=res, detail=(
                "no maximum-likelihood estimate (gradient test not met, or a flat "
                "likelihood); .result holds the point where the fit stopped (LL %.6g after %d iterations)" % (res.loglik, res.iterations)))
        return cls(res.params, res)

    @classmethod
    def _start_error(cls, rc: int, fn: str, st: Any) -> Optional[Error]:
        """The error of a start the library refused, if that is the reason."""
        if st is not None and rc in (E.ENONFINITE, E.EDOMAIN):
            for i, v in enumerate(st):
                if not math.isfinite(v) if rc == E.ENONFINITE else not v > 0:
                    return error_class(rc)(rc, fn, "start", i, value=v, detail=(
                        "%s: model parameters are finite and > 0"
                        % cls._PARAMS._fields[i]))
        return None

    @classmethod
    def _fit_error(cls, spec: Spec, rc: int, cols: _Columns, st: Any) -> Error:
        fn = spec.name
        if rc == E.EEMPTY:
            if cols.n == 0:
                return error_class(rc)(rc, fn, spec.args[0].name, detail="no customers")
            return error_class(rc)(rc, fn, "weights", detail="every weight is 0")
        err = cls._start_error(rc, fn, st)
        if err is not None:
            return err
        return _rows_error(spec, rc, cols, fn, cls._ROW_OK)

    def _loglik(self, spec: Spec, cfn: Any, cols_in: Sequence[Tuple[Any, ...]],
                weights: Any) -> float:
        fn = spec.name
        with B.Pins() as pins:
            cols = _Columns(fn, [_col(c) for c in cols_in] + [("weights", weights, D)], pins,
                            what="at least one of " + ", ".join(c[0] for c in cols_in))
            out = ctypes.c_double()
            rc = cfn(cols.n, *(cols.addrs[c[0]] for c in cols_in), cols.addrs["weights"],
                     self._c, ctypes.byref(out))
            if rc:
                if rc == E.EEMPTY:
                    raise error_class(rc)(rc, fn, spec.args[0].name, detail="no customers")
                raise _rows_error(spec, rc, cols, fn, self._ROW_OK, self._values())
        return out.value

    def _simulate(self, spec: Spec, cfn: Any, col: Any, seed: int, n: Optional[int],
                  n_out: int, ok: Callable[[float], bool]) -> Tuple[List[Any], Any]:
        """The simulated columns and the input column as an array."""
        fn = spec.name
        name = spec.args[0].name
        sd = B.to_int(seed, B.UINT64, fn, "seed")
        if n is not None:
            n = B.to_int(n, B.SIZE, fn, "n")
        elif B.is_scalar(col):
            raise TypeError("%s: %s is one number: give n, the number of customers"
                            % (fn, name))
        with B.Pins() as pins:
            cols = _Columns(fn, [(name, col, D)], pins, n=n)
            outs = [_output(D, cols.n, cols.numpy) for _ in range(n_out)]
            rc = cfn(self._c, cols.n, cols.addrs[name], sd, *(addr for _, addr in outs))
            if rc:
                if rc == E.EEMPTY:
                    raise error_class(rc)(rc, fn, name, detail="no customers")
                raise _rows_error(spec, rc, cols, fn, ok, self._values())
            given = cols.items[name]
            if isinstance(given, B.Input):
                column = given.obj  # the caller's buffer, or the list converted
            else:
                column = array.array("d", [given]) * cols.n
        return [arr for arr, _ in outs], column


class _NbdModel(_Model):
    """What BgNbd and ParetoNbd share: models of repeat transactions in
    continuous time, fitted to and predicting for customers (x, t_x, T),
    whose C functions (libcs_bgnbd_* and libcs_pnbd_*) take the same
    arguments.  A model class names the prefix of its C functions
    (``_PREFIX``), the specs of its calls (``_SPECS``, from _nbd_specs),
    its sample type (``_SAMPLE``) and the docstrings of its own
    (``_DOCS``); the methods are here."""

    __slots__ = ()
    _ROW_OK = staticmethod(_bg_row_ok)
    _PREFIX = ""
    _SPECS: Dict[str, Spec]
    _SAMPLE: Any
    _DOCS: Dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Gives the model class its own copy of every public method here
        that it does not define, documented by its ``_DOCS`` or else by the
        docstring here naming its C functions, and returning its own
        types."""
        super().__init_subclass__(**kwargs)
        returns = {"fit": repr(cls.__name__), "simulate": cls._SAMPLE.__name__}
        for name, attr in vars(_NbdModel).items():
            if name.startswith("_") or name in vars(cls) or \
                    not isinstance(attr, (types.FunctionType, classmethod)):
                continue
            base = attr.__func__ if isinstance(attr, classmethod) else attr
            doc = cls._DOCS.get(name) or (base.__doc__ or "").format(prefix=cls._PREFIX)
            if not doc:
                raise TypeError("%s.%s has no docstring" % (cls.__name__, name))
            fn = types.FunctionType(base.__code__, base.__globals__, name, base.__defaults__,
                                    base.__closure__)
            fn.__kwdefaults__ = base.__kwdefaults__
            fn.__annotations__ = dict(base.__annotations__)
            if name in returns:
                fn.__annotations__["return"] = returns[name]
            fn.__module__ = cls.__module__
            fn.__qualname__ = "%s.%s" % (cls.__qualname__, name)
            fn.__doc__ = doc
            setattr(cls, name, classmethod(fn) if isinstance(attr, classmethod) else fn)

    @classmethod
    def _cfn(cls, call: str) -> Any:
        """The model's C function libcs_<prefix>_<call>, looked up when it
        is called."""
        return getattr(C, "libcs_%s_%s" % (cls._PREFIX, call))

    @classmethod
    def _validate(cls, c: Any) -> int:
        out = ctypes.c_double()
        return cls._cfn("expected")(c, 0.0, ctypes.byref(out))

    @classmethod
    def fit(cls, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, weights: Optional[ArrayLike] = None,
            start: Optional[Sequence[float]] = None) -> Any:
        return cls._fit(cls._SPECS["fit"], cls._cfn("fit"), [("x", x), ("t_x", t_x), ("T", T)],
                        weights, start)

    def loglik(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike,
               weights: Optional[ArrayLike] = None) -> float:
        """The log-likelihood of n customers at these parameters
        (libcs_{prefix}_loglik); the rows as for :meth:`fit`."""
        return self._loglik(self._SPECS["loglik"], self._cfn("loglik"),
                            [("x", x), ("t_x", t_x), ("T", T)], weights)

    def expected(self, t: ArrayLike, *, out: Any = None) -> Any:
        """E[X(t)]: the expected repeat transactions of a new customer in
        its first ``t`` (>= 0) time units (libcs_{prefix}_expected).  A
        number gives a float; an array of horizons (a forecast curve) an
        array by one call of libcs_{prefix}_expected_batch, or fills
        ``out``."""
        return self._predict(self._SPECS["expected"], self._cfn("expected"),
                             self._cfn("expected_batch"), [t], out)

    def pmf(self, t: ArrayLike, k: ArrayLike, *, out: Any = None) -> Any:
        """P(X(t) = k): the probability that a new customer makes exactly
        ``k`` repeat transactions in its first ``t`` time units
        (libcs_{prefix}_pmf).  Numbers give a float; arrays (``k`` uint32;
        a number stands for every element) an array by one call of
        libcs_{prefix}_pmf_batch, or fill ``out``: ``pmf(39, range(10))``
        is the distribution of the first ten counts."""
        return self._predict(self._SPECS["pmf"], self._cfn("pmf"), self._cfn("pmf_batch"),
                             [t, k], out)

    def conditional(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, t: float, *,
                    out: Any = None) -> Any:
        """E[Y(t) | x, t_x, T]: the expected transactions of a customer with
        this history in the next ``t`` (>= 0, one horizon for all) time
        units (libcs_{prefix}_conditional).  Numbers give a float; arrays (a
        number stands for everyone) give an array by one call of
        libcs_{prefix}_conditional_batch, or fill ``out``."""
        return self._predict(self._SPECS["conditional"], self._cfn("conditional"),
                             self._cfn("conditional_batch"), [x, t_x, T, t], out)

    def palive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, *, out: Any = None) -> Any:
        return self._predict(self._SPECS["palive"], self._cfn("palive"),
                             self._cfn("palive_batch"), [x, t_x, T], out)

    def clv(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, value: ArrayLike, step: float,
            steps: int, discount: float = 0.0, *, out: Any = None) -> Any:
        return self._predict(self._SPECS["clv"], self._cfn("clv"), self._cfn("clv_batch"),
                             [x, t_x, T, value, step, steps, discount], out)

    def simulate(self, T: ArrayLike, seed: int, n: Optional[int] = None) -> Any:
        (x, t_x), column = self._simulate(self._SPECS["simulate"], self._cfn("simulate"), T, seed,
                                          n, 2, _T_ok)
        return self._SAMPLE(x, t_x, column)


class BgNbd(_NbdModel):
    """The BG/NBD model of repeat transactions (Fader, Hardie & Lee 2005,
    "Counting Your Customers the Easy Way"): while alive, a customer buys
    at a Poisson rate lambda, gamma(r, alpha) across customers, and after
    each repeat transaction drops out with probability p, beta(a, b)
    across customers.  :meth:`fit` estimates the parameters; a model can
    also be made from known ones, ``BgNbd((r, alpha, a, b))`` or
    ``BgNbd(r=r, alpha=alpha, a=a, b=b)``.

    The published estimates on CDNOW (time in weeks) and the customer
    with the ID 1 there, two repeat purchases, the last 30.43 weeks after
    the first, observed for 38.86 weeks:

    >>> bg = BgNbd((0.243, 4.414, 0.793, 2.426))
    >>> bg == BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)
    True
    >>> round(bg.expected(39), 4)             # a new customer, 39 weeks
    1.1967
    >>> round(bg.palive(2, 30.43, 38.86), 4)  # still active?
    0.7266
    >>> round(bg.conditional(2, 30.43, 38.86, t=39), 4)  # the next 39 weeks
    1.226
    >>> bg.conditional([2, 1, 0], [30.43, 1.71, 0], 38.86, t=39)  # doctest: +ELLIPSIS
    array('d', [1.22602817476714..., 0.20318698707975..., 0.19509805201126...])

    Models are immutable, compare and hash by their parameters, and
    pickle (with the fit's result)."""

    __slots__ = ()
    _PARAMS = BgNbdParams
    _SAMPLE = BgNbdSample
    _NEW = _BG_NEW
    _NAME = "BgNbd"
    _PREFIX = "bgnbd"
    _SPECS = _BG_SPECS
    _DOCS = {
        "fit": """The maximum-likelihood model for n customers (libcs_bgnbd_fit),
        with its :class:`ClvFit` in :attr:`result`.

        ``x``: each customer's repeat transactions, a whole number >= 0;
        ``t_x``: the time of the last one from the first purchase, 0 <= t_x
        <= T (0 when x = 0); ``T``: the observation length (a number when
        it is the same for everyone); ``weights`` (>= 0, optional): a row
        of weight 3 counts as three customers (see :func:`clv_compress`).
        The library maximises on the logarithms of the parameters by BFGS
        from several starting points, ``start`` (r, alpha, a, b) first when
        given, on the distinct rows.

        A bad row raises its error naming the argument and the ``.index``
        of the first bad customer; no customers or only zero weights
        :class:`EmptyInputError`.  When it finds no maximum-likelihood
        estimate the fit raises :class:`NotConvergedError` whose
        ``.result`` is the point where it stopped (``BgNbd(e.result.params,
        e.result)`` makes a model of it).""",
        "palive": """P(alive | x, t_x, T): the probability that the customer has not
        dropped out by T (1 when x = 0) (libcs_bgnbd_palive; arrays:
        libcs_bgnbd_palive_batch).""",
        "clv": """The discounted lifetime value over the next ``steps`` x ``step``
        time units (libcs_bgnbd_clv; arrays: libcs_bgnbd_clv_batch): the
        sum over k = 1..steps of the transactions expected in the k-th step
        times ``value`` (per transaction, >= 0; an array for each
        customer's own, e.g. :meth:`GammaGamma.expected`) divided by (1 +
        ``discount``)^k, with ``discount`` the rate per step (> -1).  Weekly
        data, a year in months at 10 % a year:
        ``clv(x, t_x, T, value, step=52/12, steps=12, discount=1.1**(1/12) - 1)``.""",
        "simulate": """Customers drawn from the model (libcs_bgnbd_simulate), each
        observed for T[i] (>= 0) from its first purchase; ``T`` one number
        for ``n`` customers.  The same seed (an unsigned 64-bit integer)
        gives the same customers.

        >>> sample = BgNbd((0.243, 4.414, 0.793, 2.426)).simulate(39.0, seed=1, n=3)
        >>> len(sample.x), list(sample.T)
        (3, [39.0, 39.0, 39.0])""",
    }


class GammaGamma(_Model):
    """The Gamma-Gamma model of the value of a customer's transactions
    (Fader, Hardie & Lee 2005, "RFM and CLV"): each transaction value is
    gamma(p, nu), nu varies across customers as gamma(q, gamma).
    :meth:`fit` estimates the parameters from the repeat buyers' x and
    mean values; ``GammaGamma((p, q, gamma))`` or ``GammaGamma(p=..., q=...,
    gamma=...)`` makes a model from known ones.

    Fader, Hardie & Lee's estimates on CDNOW and its customers with the
    IDs 1 and 2 (2 and 1 repeat purchases of mean value $22.35 and $11.77):

    >>> gg = GammaGamma((6.25, 3.74, 15.44))
    >>> round(gg.expected(2, 22.35), 2), round(gg.population_mean, 2)
    (24.66, 35.22)
    >>> [round(v, 2) for v in gg.expected([2, 1], [22.35, 11.77])]
    [24.66, 18.92]
    >>> GammaGamma((2, 0.9, 10)).expected(1, 10.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    libcs.errors.UndefinedResultError: GammaGamma.expected: q = 0.9: ... (q <= 1: ...)
    """

    __slots__ = ()
    _PARAMS = GammaGammaParams
    _ROW_OK = staticmethod(_gg_row_ok)
    _NEW = _GG_NEW
    _NAME = "GammaGamma"

    @staticmethod
    def _validate(c: Any) -> int:
        out = ctypes.c_double()
        rc = C.libcs_gg_expected(c, 1.0, 1.0, ctypes.byref(out))
        return 0 if rc in (E.EUNDEFINED, E.EOVERFLOW) else rc

    @classmethod
    def fit(cls, x: ArrayLike, mean_value: ArrayLike, weights: Optional[ArrayLike] = None,
            start: Optional[Sequence[float]] = None) -> "GammaGamma":
        """The maximum-likelihood model for n repeat buyers (libcs_gg_fit),
        with its :class:`ClvFit` in :attr:`result`: ``x`` their repeat
        transactions (whole numbers >= 1: customers without any carry no
        information on spend, :meth:`ClvSummary.repeat_buyers` leaves them
        out), ``mean_value`` the mean value of those (> 0, any currency
        unit), ``weights`` (>= 0) optional, ``start`` (p, q, gamma) an
        optional first starting point.  Errors as :meth:`BgNbd.fit`."""
        return cls._fit(_GG_FIT, lambda *a: C.libcs_gg_fit(*a),
                        [("x", x), ("mean_value", mean_value)], weights, start)

    def loglik(self, x: ArrayLike, mean_value: ArrayLike,
               weights: Optional[ArrayLike] = None) -> float:
        """The log-likelihood of n repeat buyers at these parameters
        (libcs_gg_loglik)."""
        return self._loglik(_GG_LOGLIK, lambda *a: C.libcs_gg_loglik(*a),
                            [("x", x), ("mean_value", mean_value)], weights)

    def expected(self, x: ArrayLike, mean_value: ArrayLike, *, out: Any = None) -> Any:
        """E[M | x, mean value]: the expected value of the transactions of
        a customer with x (>= 0) repeat transactions of this mean value, a
        weighted average of its own mean and the population's; for x = 0
        the population mean p gamma / (q - 1), the mean value ignored (but
        finite and >= 0) (libcs_gg_expected; arrays:
        libcs_gg_expected_batch).  When q <= 1
        the population mean is infinite: :class:`UndefinedResultError`
        (after every row has been checked)."""
        return self._predict(_GG_EXPECTED, lambda *a: C.libcs_gg_expected(*a),
                             lambda *a: C.libcs_gg_expected_batch(*a), [x, mean_value], out)

    @property
    def population_mean(self) -> float:
        """p gamma / (q - 1), the mean transaction value across customers:
        the expected value for a customer without repeat transactions,
        :meth:`expected` at x = 0 (libcs_gg_expected);
        :class:`UndefinedResultError` when q <= 1."""
        q = self._params[1]
        if not q > 1:
            raise UndefinedResultError(E.EUNDEFINED, "GammaGamma.population_mean", "q",
                                       value=q, detail=_Q.text)
        return self.expected(0, 0.0)

    def simulate(self, x: ArrayLike, seed: int, n: Optional[int] = None) -> GammaGammaSample:
        """The mean values of repeat buyers drawn from the model, x[i]
        (whole numbers >= 1) transactions each (libcs_gg_simulate); ``x``
        one number for ``n`` customers.  The same seed gives the same
        values; here q <= 1 is allowed."""
        (m,), column = self._simulate(
            _GG_SIMULATE, lambda *a: C.libcs_gg_simulate(*a), x, seed, n, 1, _gg_x_ok)
        return GammaGammaSample(column, m)


class ParetoNbd(_NbdModel):
    """The Pareto/NBD model of repeat transactions (Schmittlein, Morrison &
    Colombo 1987; Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD
    Model"): while alive, a customer buys at a Poisson rate lambda,
    gamma(r, alpha) across customers, and drops out at an exponentially
    distributed time of rate mu, gamma(s, beta) across customers, whether
    it buys or not.  The customers' data (x, t_x, T) and the methods are
    those of :class:`BgNbd`; :meth:`fit` estimates the parameters, and
    ``ParetoNbd((r, alpha, s, beta))`` or ``ParetoNbd(r=..., alpha=..., s=...,
    beta=...)`` makes a model of known ones.

    The published estimates on CDNOW (time in weeks; Fader, Hardie & Lee
    2005) and the customer with the ID 1 there, two repeat purchases, the
    last 30.43 weeks after the first, observed for 38.86 weeks:

    >>> pn = ParetoNbd((0.553, 10.578, 0.606, 11.669))
    >>> round(pn.expected(39), 4)             # a new customer, 39 weeks
    1.213
    >>> round(pn.palive(2, 30.43, 38.86), 4)  # still active?
    0.8692
    >>> round(pn.conditional(2, 30.43, 38.86, t=39), 4)  # the next 39 weeks
    1.4551
    >>> [round(v, 4) for v in pn.palive([2, 1, 0], [30.43, 1.71, 0], 38.86)]
    [0.8692, 0.168, 0.2953]

    Models are immutable, compare and hash by their parameters, and
    pickle (with the fit's result)."""

    __slots__ = ()
    _PARAMS = ParetoNbdParams
    _SAMPLE = ParetoNbdSample
    _NEW = _PN_NEW
    _NAME = "ParetoNbd"
    _PREFIX = "pnbd"
    _SPECS = _PN_SPECS
    _DOCS = {
        "fit": """The maximum-likelihood model for n customers (libcs_pnbd_fit),
        with its :class:`ClvFit` in :attr:`result`.  The rows, ``weights``
        and errors are those of :meth:`BgNbd.fit`; ``start`` is (r, alpha,
        s, beta).  The likelihood's Gauss hypergeometric term is evaluated
        by a series that cannot overflow, or numerically where that would
        converge slowly (libcs_pnbd_loglik(3)).""",
        "palive": """P(alive | x, t_x, T): the probability that the customer has not
        dropped out by T (libcs_pnbd_palive; arrays:
        libcs_pnbd_palive_batch).  Unlike BG/NBD, a customer without
        repeat purchases may have dropped out too.""",
        "clv": """The discounted lifetime value over the next ``steps`` x ``step``
        time units (libcs_pnbd_clv; arrays: libcs_pnbd_clv_batch), as
        :meth:`BgNbd.clv`: the sum over k = 1..steps of the transactions
        expected in the k-th step times ``value`` (per transaction, >= 0)
        divided by (1 + ``discount``)^k, ``discount`` the rate per step
        (> -1).""",
        "simulate": """Customers drawn from the model (libcs_pnbd_simulate), each
        observed for T[i] (>= 0) from its first purchase; ``T`` one number
        for ``n`` customers.  The same seed (an unsigned 64-bit integer)
        gives the same customers.""",
    }


class BgBb(_Model):
    """The BG/BB model (Fader, Hardie & Shang 2010, "Customer-Base
    Analysis in a Discrete-Time Noncontractual Setting") of transactions at
    discrete opportunities -- a yearly donation, an annual event, a
    monthly visit: while alive, a customer transacts at each opportunity
    with probability p, beta(alpha, beta) across customers, and drops out
    before each opportunity with probability theta, beta(gamma, delta).

    Each customer is x transactions in ``periods`` opportunities, the last
    at opportunity t_x (0 when x = 0): whole numbers 0 <= x <= t_x <=
    periods <= 10^7.  :meth:`fit` estimates the parameters (grouped data:
    one row per pattern with its count in ``weights``); ``BgBb((alpha,
    beta, gamma, delta))`` or ``BgBb(alpha=..., beta=..., gamma=...,
    delta=...)`` makes a model of known ones.

    The published estimates on the donations of 11,104 donors over six
    years (FHS 2010), and a donor who gave three times, the last in the
    fourth year:

    >>> bb = BgBb((1.204, 0.750, 0.657, 2.783))
    >>> round(bb.expected(6), 4)                      # a new donor, 6 years
    2.2196
    >>> round(bb.palive(3, 4, 6), 4)                  # alive in year 7?
    0.4395
    >>> round(bb.conditional(3, 4, 6, future=5), 4)   # gifts in years 7-11
    1.0342
    >>> round(bb.dert(3, 4, 6, discount=0.1), 4)      # all future gifts, 10 %
    1.6287
    """

    __slots__ = ()
    _PARAMS = BgBbParams
    _ROW_OK = staticmethod(_bb_row_ok)
    _NEW = _BB_NEW
    _NAME = "BgBb"

    @staticmethod
    def _validate(c: Any) -> int:
        out = ctypes.c_double()
        return C.libcs_bgbb_expected(c, 0.0, ctypes.byref(out))

    @classmethod
    def fit(cls, x: ArrayLike, t_x: ArrayLike, periods: ArrayLike,
            weights: Optional[ArrayLike] = None,
            start: Optional[Sequence[float]] = None) -> "BgBb":
        """The maximum-likelihood model for n customers (libcs_bgbb_fit),
        with its :class:`ClvFit` in :attr:`result`: ``x`` transactions
        (the frequency), the opportunity ``t_x`` of the last one (the
        recency, 0 when x = 0), in ``periods`` opportunities (a number when
        the same for everyone); ``weights`` (>= 0, optional) the number of
        customers of each row; ``start`` (alpha, beta, gamma, delta) an
        optional first starting point.  Errors as :meth:`BgNbd.fit`."""
        return cls._fit(_BB_FIT, lambda *a: C.libcs_bgbb_fit(*a),
                        [("x", x), ("t_x", t_x), ("periods", periods)], weights, start)

    def loglik(self, x: ArrayLike, t_x: ArrayLike, periods: ArrayLike,
               weights: Optional[ArrayLike] = None) -> float:
        """The log-likelihood of n customers at these parameters
        (libcs_bgbb_loglik); the rows as for :meth:`fit`."""
        return self._loglik(_BB_LOGLIK, lambda *a: C.libcs_bgbb_loglik(*a),
                            [("x", x), ("t_x", t_x), ("periods", periods)], weights)

    def expected(self, periods: ArrayLike, *, out: Any = None) -> Any:
        """E[X(periods)]: the expected transactions of a new customer in
        its first ``periods`` opportunities, a whole number from 0 to
        10^15 (libcs_bgbb_expected).  A number gives a float; an array (a
        forecast curve) an array by one call of libcs_bgbb_expected_batch,
        or fills ``out``."""
        return self._predict(_BB_EXPECTED, lambda *a: C.libcs_bgbb_expected(*a),
                             lambda *a: C.libcs_bgbb_expected_batch(*a), [periods], out)

    def pmf(self, periods: ArrayLike, k: ArrayLike, *, out: Any = None) -> Any:
        """P(X(periods) = k): the probability that a new customer makes
        exactly ``k`` transactions in its first ``periods`` (a whole number
        up to 10^7) opportunities (libcs_bgbb_pmf).  Numbers give a float;
        arrays (``k`` uint32; a number stands for every element) an array
        by one call of libcs_bgbb_pmf_batch, or fill ``out``."""
        return self._predict(_BB_PMF, lambda *a: C.libcs_bgbb_pmf(*a),
                             lambda *a: C.libcs_bgbb_pmf_batch(*a), [periods, k], out)

    def conditional(self, x: ArrayLike, t_x: ArrayLike, periods: ArrayLike, future: float, *,
                    out: Any = None) -> Any:
        """The expected transactions of a customer with this history in the
        next ``future`` opportunities (a whole number up to 10^15, one for
        all) (libcs_bgbb_conditional, FHS eq. 13).  Numbers give a float;
        arrays (a number stands for everyone) give an array by one call of
        libcs_bgbb_conditional_batch, or fill ``out``."""
        return self._predict(_BB_CONDITIONAL, lambda *a: C.libcs_bgbb_conditional(*a),
                             lambda *a: C.libcs_bgbb_conditional_batch(*a),
                             [x, t_x, periods, future], out)

    def palive(self, x: ArrayLike, t_x: ArrayLike, periods: ArrayLike, *,
               out: Any = None) -> Any:
        """P(alive at opportunity periods + 1 | x, t_x, periods): the
        probability that the customer is still alive at the next
        opportunity (libcs_bgbb_palive, FHS eq. 11; arrays:
        libcs_bgbb_palive_batch)."""
        return self._predict(_BB_PALIVE, lambda *a: C.libcs_bgbb_palive(*a),
                             lambda *a: C.libcs_bgbb_palive_batch(*a), [x, t_x, periods], out)

    def dert(self, x: ArrayLike, t_x: ArrayLike, periods: ArrayLike, discount: float, *,
             out: Any = None) -> Any:
        """The discounted expected residual transactions (DERT, FHS eq. 14)
        of a customer with this history: the transactions expected at every
        future opportunity, the s-th discounted by (1 + ``discount``)^s,
        ``discount`` the rate per opportunity (>= 0, one for all); times
        the value of a transaction it is the customer's residual lifetime
        value (libcs_bgbb_dert; arrays: libcs_bgbb_dert_batch).  With
        ``discount`` 0 the sum is finite only when gamma > 1, else
        :class:`UndefinedResultError`."""
        return self._predict(_BB_DERT, lambda *a: C.libcs_bgbb_dert(*a),
                             lambda *a: C.libcs_bgbb_dert_batch(*a),
                             [x, t_x, periods, discount], out)

    def simulate(self, periods: ArrayLike, seed: int, n: Optional[int] = None) -> BgBbSample:
        """Customers drawn from the model (libcs_bgbb_simulate), customer
        i over periods[i] opportunities (whole numbers up to 10^7);
        ``periods`` one number for ``n`` customers.  The same seed (an
        unsigned 64-bit integer) gives the same customers."""
        (x, t_x), column = self._simulate(
            _BB_SIMULATE, lambda *a: C.libcs_bgbb_simulate(*a), periods, seed, n, 2,
            _bb_periods_ok)
        return BgBbSample(x, t_x, column)


class ShiftedBetaGeometric(_Model):
    """The shifted-beta-geometric (sBG) model of contract renewals (Fader &
    Hardie 2007, "How to Project Customer Retention"): at the end of each
    period a customer churns with its own probability theta, beta(alpha,
    beta) across customers, so that retention rises with tenure as the
    customers most likely to churn leave.  Periods count from 1: a
    customer who churns in period t made t - 1 renewals.

    :meth:`fit_survivors` estimates the parameters from a cohort's survivor
    counts, :meth:`fit_durations` from each customer's duration and whether
    it is still active; ``ShiftedBetaGeometric((alpha, beta))`` or
    ``ShiftedBetaGeometric(alpha=..., beta=...)`` makes a model of known ones.  Fader & Hardie's two segments, fitted on years
    0-7 of 1,000 customers each:

    >>> regular = ShiftedBetaGeometric.fit_survivors(
    ...     [1000, 631, 468, 382, 326, 289, 262, 241])
    >>> [round(v, 3) for v in regular.params]
    [0.704, 1.182]
    >>> [round(v) for v in regular.project(1000, 13)[8:]]   # years 8-12
    [220, 204, 191, 180, 170]
    >>> round(regular.retention(5), 4), round(regular.survival(5), 4)
    (0.8804, 0.2923)
    >>> round(regular.discounted_expected_lifetime(0.1), 4)
    3.6949
    """

    __slots__ = ()
    _PARAMS = ShiftedBetaGeometricParams
    _ROW_OK = staticmethod(_sbg_record_ok)
    _NEW = _SBG_NEW
    _NAME = "ShiftedBetaGeometric"

    @staticmethod
    def _validate(c: Any) -> int:
        out = ctypes.c_double()
        return C.libcs_sbg_survival(c, 0.0, ctypes.byref(out))

    @classmethod
    def fit_survivors(cls, survivors: ArrayLike,
                      start: Optional[Sequence[float]] = None) -> "ShiftedBetaGeometric":
        """The maximum-likelihood model of a cohort (libcs_sbg_fit_survivors),
        with its :class:`ClvFit` in :attr:`result`: ``survivors[t]`` the
        customers active at the start of period t, ``survivors[0]`` the
        cohort (> 0), counts that never increase (n >= 2 of them: the
        cohort and at least one period).  ``start`` (alpha, beta) is an
        optional first starting point.  A bad count raises its error with
        the ``.index`` of the first one; a fit that finds no estimate
        :class:`NotConvergedError` with the point where it stopped in
        ``.result``."""
        fn = _SBG_FIT_SURVIVORS
        st = cls._start(start, fn)
        with B.Pins() as pins:
            cols = _Columns(fn, [("survivors", survivors, D)], pins, what="survivors")
            s = _ffi.ClvFitStruct()
            rc = C.libcs_sbg_fit_survivors(cols.n, cols.addrs["survivors"], st, ctypes.byref(s))
            if rc not in (E.OK, E.ENOCONV):
                raise cls._start_error(rc, fn, st) or _survivors_error(fn, rc, cols)
        return cls._fitted(fn, rc, s)

    @classmethod
    def fit_durations(cls, duration: ArrayLike, active: ArrayLike,
                      weights: Optional[ArrayLike] = None,
                      start: Optional[Sequence[float]] = None) -> "ShiftedBetaGeometric":
        """The maximum-likelihood model of n customers' records
        (libcs_sbg_fit_durations), with its :class:`ClvFit` in
        :attr:`result`: customer i churned in period ``duration[i]`` (a
        whole number >= 1) when ``active[i]`` is 0, or was still active
        after ``duration[i]`` periods (>= 0) when it is 1.  ``active`` is
        uint8 (array.array('B'), numpy uint8 or bool, a list of 0/1 or
        bools, or one number for everyone); ``weights`` (>= 0, optional)
        count each record that many times; ``start`` (alpha, beta).
        Errors as :meth:`BgNbd.fit`."""
        return cls._fit(_SBG_FIT_DURATIONS, lambda *a: C.libcs_sbg_fit_durations(*a),
                        [("duration", duration), ("active", active, _ACTIVE)], weights, start)

    def loglik_survivors(self, survivors: ArrayLike) -> float:
        """The log-likelihood of a cohort's survivor counts at these
        parameters (libcs_sbg_loglik_survivors); the counts as for
        :meth:`fit_survivors` (here n = 1, the cohort alone, gives 0)."""
        fn = _SBG_LOGLIK_SURVIVORS
        with B.Pins() as pins:
            cols = _Columns(fn, [("survivors", survivors, D)], pins, what="survivors")
            out = ctypes.c_double()
            rc = C.libcs_sbg_loglik_survivors(cols.n, cols.addrs["survivors"], self._c,
                                              ctypes.byref(out))
            if rc:
                raise _survivors_error(fn, rc, cols)
        return out.value

    def loglik_durations(self, duration: ArrayLike, active: ArrayLike,
                         weights: Optional[ArrayLike] = None) -> float:
        """The log-likelihood of n customers' records at these parameters
        (libcs_sbg_loglik_durations); the records as for
        :meth:`fit_durations`."""
        return self._loglik(_SBG_LOGLIK_DURATIONS, lambda *a: C.libcs_sbg_loglik_durations(*a),
                            [("duration", duration), ("active", active, _ACTIVE)], weights)

    def retention(self, t: ArrayLike, *, out: Any = None) -> Any:
        """r(t) = (beta + t - 1) / (alpha + beta + t - 1): the share of the
        customers active in period t - 1 who renew into period t, a whole
        number >= 1 (libcs_sbg_retention).  A number gives a float; an
        array of periods an array by one call of libcs_sbg_retention_batch,
        or fills ``out``."""
        return self._predict(_SBG_RETENTION, lambda *a: C.libcs_sbg_retention(*a),
                             lambda *a: C.libcs_sbg_retention_batch(*a), [t], out)

    def survival(self, t: ArrayLike, *, out: Any = None) -> Any:
        """S(t) = B(alpha, beta + t) / B(alpha, beta): the share of a
        cohort still active after t periods, a whole number >= 0
        (libcs_sbg_survival).  A number gives a float; an array of periods
        an array by one call of libcs_sbg_survival_batch, or fills
        ``out``."""
        return self._predict(_SBG_SURVIVAL, lambda *a: C.libcs_sbg_survival(*a),
                             lambda *a: C.libcs_sbg_survival_batch(*a), [t], out)

    def project(self, cohort: float, n: int, *, out: Any = None) -> Any:
        """cohort x S(t) for t = 0..n-1: the customers of a cohort of
        ``cohort`` (>= 0) expected at the start of each of its first n
        periods (libcs_sbg_project), as array.array('d'), or filling
        ``out`` (a writable float64 buffer of n elements)."""
        spec = _SBG_PROJECT
        fn = spec.name
        values = {"cohort": B.to_float(cohort, fn, "cohort"), "n": B.to_int(n, B.SIZE, fn, "n")}
        with B.Pins() as pins:
            if out is None:
                result, addr = _output(D, values["n"], False)
            else:
                result, addr = out, B.as_output(out, D, values["n"], fn, pins)
            rc = C.libcs_sbg_project(self._c, values["cohort"], values["n"], addr)
            if rc:
                values.update(self._values())
                raise fail(spec, rc, values)
        return result

    def discounted_expected_lifetime(self, discount: ArrayLike, *, out: Any = None) -> Any:
        """DEL: the discounted expected lifetime of a new customer, in
        periods, paying at the start of each period it is active (the first
        certain), ``discount`` the rate per period (>= 0); times the
        margin of a period it is the customer's expected lifetime value
        (libcs_sbg_del).  With ``discount`` 0 it is finite only when alpha
        > 1, else :class:`UndefinedResultError`.  An array of rates gives
        an array by one call of libcs_sbg_del_batch (how the value depends
        on the rate), or fills ``out``."""
        return self._predict(_SBG_DEL, lambda *a: C.libcs_sbg_del(*a),
                             lambda *a: C.libcs_sbg_del_batch(*a), [discount], out)

    def discounted_expected_residual_lifetime(self, renewals: ArrayLike, discount: float, *,
                                              out: Any = None) -> Any:
        """DERL: the discounted expected residual lifetime, in periods, of a
        customer who has made ``renewals`` renewals (a whole number >= 0),
        just before its next renewal decision, ``discount`` the rate per
        period (Fader & Hardie 2010, eq. 6; libcs_sbg_derl): what an active
        customer is still worth, in margins of a period.  A number gives a
        float; an array of the renewals of a customer base (``discount``
        one for all) an array by one call of libcs_sbg_derl_batch, or fills
        ``out``."""
        return self._predict(_SBG_DERL, lambda *a: C.libcs_sbg_derl(*a),
                             lambda *a: C.libcs_sbg_derl_batch(*a), [renewals, discount], out)

    def simulate(self, n: int, periods: int, seed: int) -> ShiftedBetaGeometricSample:
        """``n`` customers drawn from the model (libcs_sbg_simulate), each
        observed for at most ``periods`` periods (an unsigned 32-bit
        integer): a :class:`ShiftedBetaGeometricSample` of array.array('d')
        durations and array.array('B') active flags.  The same seed (an
        unsigned 64-bit integer) gives the same customers."""
        spec = _SBG_SIMULATE
        fn = spec.name
        values = {"n": B.to_int(n, B.SIZE, fn, "n"),
                  "periods": B.to_int(periods, B.UINT32, fn, "periods"),
                  "seed": B.to_int(seed, B.UINT64, fn, "seed")}
        duration, daddr = _output(D, values["n"], False)
        active, aaddr = _output(B.UINT8, values["n"], False)
        rc = C.libcs_sbg_simulate(self._c, values["n"], values["periods"], values["seed"],
                                  daddr, aaddr)
        if rc:
            values.update(self._values())
            raise fail(spec, rc, values)
        return ShiftedBetaGeometricSample(duration, active)


# ---- data preparation ---------------------------------------------------------------


_SUMMARIZE = Spec("clv_summarize",
                  [Arg("customer", B.INT64), Arg("time", D), Arg("amount", D), Arg("period", D),
                   Arg("time_scale", D), Arg("calibration_end", D), Arg("holdout_end", D)],
                  [rule(E.EDOMAIN, "period", lambda v: v["period"] > 0, "the period is > 0"),
                   rule(E.EDOMAIN, "time_scale", lambda v: v["time_scale"] > 0,
                        "the time scale is > 0"),
                   rule(E.EDOMAIN, "holdout_end",
                        lambda v: v["holdout_end"] >= v["calibration_end"],
                        "the holdout ends at or after the calibration end"),
                   rule(E.EDOMAIN, "amount", lambda v: v["amount"] >= 0, "amounts are >= 0")],
                  {E.EEMPTY: "no transactions",
                   E.EOVERFLOW: "a customer's period number, t_x, T, repeat total or holdout "
                                "value is too large for a double"})
# the rows of the fits, except that libcs_clv_compress sets no upper bound on x
_COMPRESS = Spec("clv_compress", _ROW_ARGS + [Arg("weights", D)], [
    rule(E.EDOMAIN, "x", lambda v: v["x"] >= 0 and v["x"] == math.floor(v["x"]),
         "a whole number of repeat transactions >= 0")] + _ROW_RULES[1:] + [_WEIGHTS],
    {E.EEMPTY: "no rows", E.EOVERFLOW: "a merged weight is too large for a double"})


def _latest(cols: _Columns) -> float:
    """The latest finite time of the log (0 when there is none)."""
    item = cols.items["time"]
    if not isinstance(item, B.Input):
        return item if math.isfinite(item) else 0.0
    if item.numpy:
        np = sys.modules["numpy"]
        t = np.asarray(item.obj)
        t = t[np.isfinite(t)]
        return float(t.max()) if t.size else 0.0
    times = (ctypes.c_double * cols.n).from_address(cols.addrs["time"])
    return max((v for v in times if math.isfinite(v)), default=0.0)


def clv_summarize(customer: ArrayLike, time: ArrayLike, amount: ArrayLike, period: float = 1.0,
                  time_scale: float = 1.0, calibration_end: Optional[float] = None,
                  holdout_end: Optional[float] = None) -> ClvSummary:
    """Each customer's repeat-purchase summary from a transaction log
    (libcs_clv_summarize), in one C call: a :class:`ClvSummary` of arrays.

    Transaction i is ``customer[i]`` (int64 ids: array.array('q'), numpy
    int64 or a list), ``time[i]`` (float64, any unit; the log in any order)
    and ``amount[i]`` (>= 0).  A customer's transactions in one period,
    floor(time / ``period``), count as one, dated from the period's start;
    the first period is its birth, the later ones its repeat transactions.
    The calibration covers time <= ``calibration_end`` (None: the latest
    time of the log), the holdout calibration_end < time <= ``holdout_end``
    (None: no holdout).  t_x and T are divided by ``time_scale`` (times in
    days, period 1 and time_scale 7 give summaries in weeks).  Customers
    born after the calibration are left out.

    A shop's log in days, the first four weeks the calibration:

    >>> s = clv_summarize([101, 102, 101, 104, 103, 101, 106, 102, 102, 103, 101, 103],
    ...                   [0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41],
    ...                   [20, 15, 5, 50, 40, 30, 22.5, 20, 10, 25, 12, 5],
    ...                   period=1, time_scale=7, calibration_end=27, holdout_end=55)
    >>> list(s.id), list(s.x), list(s.mean_value), list(s.holdout_x)
    ([101, 102, 103, 106], [1.0, 2.0, 0.0, 0.0], [30.0, 15.0, 0.0, 0.0], [1.0, 0.0, 2.0, 0.0])
    >>> round(s.T[1], 4), s.t_x[1]
    (3.4286, 3.0)

    A bad transaction raises its error naming ``time`` or ``amount`` and
    its ``.index``."""
    fn = _SUMMARIZE.name
    with B.Pins() as pins:
        cols = _Columns(fn, [("customer", customer, B.INT64), ("time", time, D),
                             ("amount", amount, D)], pins)
        scalars = {"period": B.to_float(period, fn, "period"),
                   "time_scale": B.to_float(time_scale, fn, "time_scale")}
        if calibration_end is None:
            scalars["calibration_end"] = _latest(cols)
        else:
            scalars["calibration_end"] = B.to_float(calibration_end, fn, "calibration_end")
        scalars["holdout_end"] = scalars["calibration_end"] if holdout_end is None else \
            B.to_float(holdout_end, fn, "holdout_end")
        n = cols.n
        outs = [_output(B.INT64, n, cols.numpy)] + [_output(D, n, cols.numpy) for _ in range(6)]
        needed, bad = ctypes.c_size_t(), ctypes.c_size_t(SIZE_MAX)
        rc = C.libcs_clv_summarize(n, cols.addrs["customer"], cols.addrs["time"],
                                   cols.addrs["amount"], *scalars.values(), n,
                                   *(addr for _, addr in outs), ctypes.byref(needed),
                                   ctypes.byref(bad))
        if rc:
            index = bad.value if bad.value != SIZE_MAX else None
            values = dict(scalars)
            if index is not None:
                values.update(cols.row(index))
            if rc == E.EEMPTY:
                raise error_class(rc)(rc, fn, "customer", detail="no transactions")
            raise fail(_SUMMARIZE, rc, values, fn, index)
    m = needed.value
    return ClvSummary(*(_shrink(arr, m) for arr, _ in outs))


def clv_compress(x: ArrayLike, t_x: ArrayLike, T: ArrayLike,
                 weights: Optional[ArrayLike] = None) -> ClvRows:
    """Identical (x, t_x, T) rows merged into one row weighing the sum of
    their weights (1 each when ``weights`` is None), in order of first
    appearance; rows whose weights add up to 0 are dropped
    (libcs_clv_compress).  A fit on the :class:`ClvRows` is the fit on the
    original rows, ``BgNbd.fit(*rows)``.

    >>> rows = clv_compress([1, 2, 0, 0], [2.0, 3.0, 0, 0], [3.5, 3.5, 2.5, 2.5])
    >>> list(rows.x), list(rows.weights)
    ([1.0, 2.0, 0.0], [1.0, 1.0, 2.0])"""
    fn = _COMPRESS.name
    with B.Pins() as pins:
        cols = _Columns(fn, [("x", x, D), ("t_x", t_x, D), ("T", T, D),
                             ("weights", weights, D)], pins)
        n = cols.n
        outs = [_output(D, n, cols.numpy) for _ in range(4)]
        needed, bad = ctypes.c_size_t(), ctypes.c_size_t(SIZE_MAX)
        rc = C.libcs_clv_compress(n, cols.addrs["x"], cols.addrs["t_x"], cols.addrs["T"],
                                  cols.addrs["weights"], n, *(addr for _, addr in outs),
                                  ctypes.byref(needed), ctypes.byref(bad))
        if rc:
            index = bad.value if bad.value != SIZE_MAX else None
            if rc == E.EEMPTY:
                raise error_class(rc)(rc, fn, "x", detail="no rows")
            values = cols.row(index) if index is not None else {}
            raise fail(_COMPRESS, rc, values, fn, index)
    m = needed.value
    return ClvRows(*(_shrink(arr, m) for arr, _ in outs))
