"""Probabilistic customer lifetime value: the BG/NBD model of how many
transactions a customer will make (:class:`BgNbd`, Fader, Hardie & Lee
2005), the Gamma-Gamma model of how much each is worth
(:class:`GammaGamma`), fitted by maximum likelihood, and the data they need
from a transaction log (:func:`clv_summarize`, :func:`clv_compress`).

Each customer is summarised by x, the number of repeat transactions (the
first purchase, which made it a customer, is not counted), t_x, the time
of the last one from the first purchase (0 when x = 0), and T, the time
from the first purchase to the end of the observation, in any time unit
(weeks, days...); the Gamma-Gamma model also takes the mean value of the
repeat transactions.  Columns are float64: buffers (array.array('d'),
numpy float64, memoryview) are read where they lie, lists converted once,
and a number stands for the same value for every customer.

A fitted model is an immutable object that holds its parameters (a
:class:`BgNbdParams` or :class:`GammaGammaParams`) and, when it comes from
a fit, the :class:`ClvFit` (standard errors, log-likelihood, convergence);
it pickles, and its predictions take one customer (numbers in, a float
out) or many (arrays in, one C call, an array out: numpy when any input
is numpy, else array.array('d'), or ``out=``).  A bad row raises the
library's error naming the argument and the ``.index`` of the first bad
customer.  A fit that does not meet its gradient test raises
:class:`NotConvergedError` whose ``.result`` holds the best point found.
"""

from __future__ import annotations

import array
import ctypes
import math
import sys
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, blame, fail, rule
from .errors import Error, NotConvergedError, UndefinedResultError, error_class

__all__ = ["BgNbd", "BgNbdParams", "BgNbdSample", "GammaGamma", "GammaGammaParams",
           "GammaGammaSample", "ClvFit", "ClvSummary", "ClvRows", "clv_summarize",
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


class ClvFit(NamedTuple):
    """A maximum-likelihood fit (struct libcs_clv_fit): the parameters and
    their standard errors (both a :class:`BgNbdParams` or a
    :class:`GammaGammaParams`; the errors are NaN when the Hessian cannot
    be inverted there, and ``se_status`` then says why), the maximised
    log-likelihood, the optimiser's iterations over all its starting
    points, whether the gradient test was met, and ``se_status``
    (``Status.OK`` or the reason the errors are NaN)."""
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
_BG_LOGLIK = Spec("BgNbd.loglik", _ROW_ARGS + [Arg("weights", D)], _ROW_RULES + [_WEIGHTS],
                  {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE,
                   E.ENONFINITE: _NOT_FINITE + " (parameters near the limits of a double)"})
_BG_FIT = Spec("BgNbd.fit", _ROW_ARGS + [Arg("weights", D)], _ROW_RULES + [_WEIGHTS],
               {E.EOVERFLOW: "the log-likelihood is beyond the range of a double",
                E.ENONFINITE: _NOT_FINITE + " at every starting point",
                E.EDOMAIN: "every input is valid: no starting point could be evaluated"})
_BG_EXPECTED = Spec("BgNbd.expected", [Arg("t", D)],
                    [rule(E.EDOMAIN, "t", lambda v: v["t"] >= 0, "the horizon is >= 0")],
                    {E.ENOCONV: _SERIES, E.EOVERFLOW: _TOO_LARGE})
_BG_PMF = Spec("BgNbd.pmf", [Arg("t", D), Arg("k", B.UINT32)],
               [rule(E.EDOMAIN, "t", lambda v: v["t"] >= 0, "the horizon is >= 0")],
               {E.EOVERFLOW: _TOO_LARGE})
_BG_CONDITIONAL = Spec("BgNbd.conditional", _ROW_ARGS + [Arg("t", D, False)],
                       _ROW_RULES + [rule(E.EDOMAIN, "t", lambda v: v["t"] >= 0,
                                          "the horizon is >= 0")],
                       {E.EEMPTY: "no customers", E.ENOCONV: _SERIES,
                        E.EOVERFLOW: _TOO_LARGE})
_BG_PALIVE = Spec("BgNbd.palive", list(_ROW_ARGS), _ROW_RULES, {E.EEMPTY: "no customers"})
_BG_CLV = Spec("BgNbd.clv", _ROW_ARGS + [Arg("value", D), Arg("step", D, False),
                                         Arg("steps", B.UINT32, False),
                                         Arg("discount", D, False)],
               _ROW_RULES + [
                   rule(E.EDOMAIN, "value", lambda v: v["value"] >= 0,
                        "the value of a transaction is >= 0"),
                   rule(E.EDOMAIN, "step", lambda v: v["step"] > 0, "the step is > 0"),
                   rule(E.EDOMAIN, "discount", lambda v: v["discount"] > -1,
                        "a discount rate per step > -1")],
               {E.EEMPTY: "no customers", E.ENOCONV: _SERIES, E.EOVERFLOW: _TOO_LARGE})
_BG_SIMULATE = Spec("BgNbd.simulate", [Arg("T", D)],
                    [rule(E.EDOMAIN, "T", lambda v: v["T"] >= 0, "observation lengths are >= 0")],
                    {E.EEMPTY: "no customers"})

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
_GG_EXPECTED = Spec("GammaGamma.expected", [Arg("x", D), Arg("mean_value", D)],
                    _GG_ROW_RULES + [_Q], {E.EEMPTY: "no customers", E.EOVERFLOW: _TOO_LARGE})
_GG_SIMULATE = Spec("GammaGamma.simulate", [Arg("x", D)], _GG_ROW_RULES[:1],
                    {E.EEMPTY: "no customers",
                     E.EOVERFLOW: "a simulated mean value is outside the range of positive "
                                  "doubles (p x or q below about 0.01, or huge parameters)"})

# ---- the models ----------------------------------------------------------------------


class _Model:
    """What BgNbd and GammaGamma share: parameters validated by the library,
    the fit's result, pickling, equality, scalar and batch predictions."""

    __slots__ = ("_params", "_result", "_c")
    _PARAMS: Any = None
    _ROW_OK: Callable[..., bool]
    _NEW: Spec
    _NAME = ""

    def __init__(self, params: Sequence[float], result: Optional[ClvFit] = None) -> None:
        cls = type(self)
        fields = cls._PARAMS._fields
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
                if arg in scalars:
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
    def _fit(cls, spec: Spec, cfn: Any, cols_in: Sequence[Tuple[str, Any]], weights: Any,
             start: Any) -> "_Model":
        fn = spec.name
        st = cls._start(start, fn)
        with B.Pins() as pins:
            cols = _Columns(fn, [(name, v, D) for name, v in cols_in] +
                            [("weights", weights, D)], pins,
                            what="at least one of " + ", ".join(n for n, _ in cols_in))
            s = _ffi.ClvFitStruct()
            rc = cfn(cols.n, *(cols.addrs[name] for name, _ in cols_in), cols.addrs["weights"],
                     st, ctypes.byref(s))
            if rc not in (E.OK, E.ENOCONV):
                raise cls._fit_error(spec, rc, cols, st)
        k = len(cls._PARAMS._fields)
        res = ClvFit(cls._PARAMS(*s.params[:k]), cls._PARAMS(*s.se[:k]), s.loglik,
                     s.iterations, bool(s.converged), _status(s.se_status))
        if rc == E.ENOCONV:
            raise NotConvergedError(rc, fn, result=res, detail=(
                "no starting point met the gradient test; .result holds the best point "
                "found (LL %.6g after %d iterations)" % (res.loglik, res.iterations)))
        return cls(res.params, res)

    @classmethod
    def _fit_error(cls, spec: Spec, rc: int, cols: _Columns, st: Any) -> Error:
        fn = spec.name
        if rc == E.EEMPTY:
            if cols.n == 0:
                return error_class(rc)(rc, fn, spec.args[0].name, detail="no customers")
            return error_class(rc)(rc, fn, "weights", detail="every weight is 0")
        if st is not None and rc in (E.ENONFINITE, E.EDOMAIN):
            for i, v in enumerate(st):
                if not math.isfinite(v) if rc == E.ENONFINITE else not v > 0:
                    return error_class(rc)(rc, fn, "start", i, value=v, detail=(
                        "%s: model parameters are finite and > 0"
                        % cls._PARAMS._fields[i]))
        return _rows_error(spec, rc, cols, fn, cls._ROW_OK)

    def _loglik(self, spec: Spec, cfn: Any, cols_in: Sequence[Tuple[str, Any]],
                weights: Any) -> float:
        fn = spec.name
        with B.Pins() as pins:
            cols = _Columns(fn, [(name, v, D) for name, v in cols_in] +
                            [("weights", weights, D)], pins,
                            what="at least one of " + ", ".join(n for n, _ in cols_in))
            out = ctypes.c_double()
            rc = cfn(cols.n, *(cols.addrs[name] for name, _ in cols_in), cols.addrs["weights"],
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


class BgNbd(_Model):
    """The BG/NBD model of repeat transactions (Fader, Hardie & Lee 2005,
    "Counting Your Customers the Easy Way"): while alive, a customer buys
    at a Poisson rate lambda, gamma(r, alpha) across customers, and after
    each repeat transaction drops out with probability p, beta(a, b)
    across customers.  :meth:`fit` estimates the parameters; a model can
    also be made from known ones, ``BgNbd((r, alpha, a, b))``.

    The published estimates on CDNOW (time in weeks) and the customer
    with the ID 1 there, two repeat purchases, the last 30.43 weeks after
    the first, observed for 38.86 weeks:

    >>> bg = BgNbd((0.243, 4.414, 0.793, 2.426))
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
    _ROW_OK = staticmethod(_bg_row_ok)
    _NEW = _BG_NEW
    _NAME = "BgNbd"

    @staticmethod
    def _validate(c: Any) -> int:
        out = ctypes.c_double()
        return C.libcs_bgnbd_expected(c, 0.0, ctypes.byref(out))

    @classmethod
    def fit(cls, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, weights: Optional[ArrayLike] = None,
            start: Optional[Sequence[float]] = None) -> "BgNbd":
        """The maximum-likelihood model for n customers (libcs_bgnbd_fit),
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
        :class:`EmptyInputError`.  When no starting point meets the
        gradient test the fit raises :class:`NotConvergedError` whose
        ``.result`` is the best point found (``BgNbd(e.result.params,
        e.result)`` makes a model of it)."""
        return cls._fit(_BG_FIT, lambda *a: C.libcs_bgnbd_fit(*a),
                        [("x", x), ("t_x", t_x), ("T", T)], weights, start)

    def loglik(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike,
               weights: Optional[ArrayLike] = None) -> float:
        """The log-likelihood of n customers at these parameters
        (libcs_bgnbd_loglik); the rows as for :meth:`fit`."""
        return self._loglik(_BG_LOGLIK, lambda *a: C.libcs_bgnbd_loglik(*a),
                            [("x", x), ("t_x", t_x), ("T", T)], weights)

    def expected(self, t: float) -> float:
        """E[X(t)]: the expected repeat transactions of a new customer in
        its first ``t`` (>= 0) time units (libcs_bgnbd_expected)."""
        return self._scalar(_BG_EXPECTED, lambda *a: C.libcs_bgnbd_expected(*a), [t])

    def pmf(self, t: float, k: int) -> float:
        """P(X(t) = k): the probability that a new customer makes exactly
        ``k`` repeat transactions in its first ``t`` time units
        (libcs_bgnbd_pmf)."""
        return self._scalar(_BG_PMF, lambda *a: C.libcs_bgnbd_pmf(*a), [t, k])

    def conditional(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, t: float, *,
                    out: Any = None) -> Any:
        """E[Y(t) | x, t_x, T]: the expected transactions of a customer with
        this history in the next ``t`` (>= 0, one horizon for all) time
        units (libcs_bgnbd_conditional).  Numbers give a float; arrays (a
        number stands for everyone) give an array by one call of
        libcs_bgnbd_conditional_batch, or fill ``out``."""
        return self._predict(_BG_CONDITIONAL, lambda *a: C.libcs_bgnbd_conditional(*a),
                             lambda *a: C.libcs_bgnbd_conditional_batch(*a),
                             [x, t_x, T, t], out)

    def palive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, *, out: Any = None) -> Any:
        """P(alive | x, t_x, T): the probability that the customer has not
        dropped out by T (1 when x = 0) (libcs_bgnbd_palive; arrays:
        libcs_bgnbd_palive_batch)."""
        return self._predict(_BG_PALIVE, lambda *a: C.libcs_bgnbd_palive(*a),
                             lambda *a: C.libcs_bgnbd_palive_batch(*a), [x, t_x, T], out)

    def clv(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, value: ArrayLike, step: float,
            steps: int, discount: float = 0.0, *, out: Any = None) -> Any:
        """The discounted lifetime value over the next ``steps`` x ``step``
        time units (libcs_bgnbd_clv; arrays: libcs_bgnbd_clv_batch): the
        sum over k = 1..steps of the transactions expected in the k-th step
        times ``value`` (per transaction, >= 0; an array for each
        customer's own, e.g. :meth:`GammaGamma.expected`) divided by (1 +
        ``discount``)^k, with ``discount`` the rate per step (> -1).  Weekly
        data, a year in months at 10 % a year:
        ``clv(x, t_x, T, value, step=52/12, steps=12, discount=1.1**(1/12) - 1)``."""
        return self._predict(_BG_CLV, lambda *a: C.libcs_bgnbd_clv(*a),
                             lambda *a: C.libcs_bgnbd_clv_batch(*a),
                             [x, t_x, T, value, step, steps, discount], out)

    def simulate(self, T: ArrayLike, seed: int, n: Optional[int] = None) -> BgNbdSample:
        """Customers drawn from the model (libcs_bgnbd_simulate), each
        observed for T[i] (>= 0) from its first purchase; ``T`` one number
        for ``n`` customers.  The same seed (an unsigned 64-bit integer)
        gives the same customers.

        >>> sample = BgNbd((0.243, 4.414, 0.793, 2.426)).simulate(39.0, seed=1, n=3)
        >>> len(sample.x), list(sample.T)
        (3, [39.0, 39.0, 39.0])"""
        (x, t_x), column = self._simulate(
            _BG_SIMULATE, lambda *a: C.libcs_bgnbd_simulate(*a), T, seed, n, 2, _T_ok)
        return BgNbdSample(x, t_x, column)


class GammaGamma(_Model):
    """The Gamma-Gamma model of the value of a customer's transactions
    (Fader, Hardie & Lee 2005, "RFM and CLV"): each transaction value is
    gamma(p, nu), nu varies across customers as gamma(q, gamma).
    :meth:`fit` estimates the parameters from the repeat buyers' x and
    mean values; ``GammaGamma((p, q, gamma))`` makes a model from known
    ones.

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
        a customer with x (>= 1) repeat transactions of this mean value, a
        weighted average of its own mean and the population's
        (libcs_gg_expected; arrays: libcs_gg_expected_batch).  When q <= 1
        the population mean is infinite: :class:`UndefinedResultError`
        (after every row has been checked)."""
        return self._predict(_GG_EXPECTED, lambda *a: C.libcs_gg_expected(*a),
                             lambda *a: C.libcs_gg_expected_batch(*a), [x, mean_value], out)

    @property
    def population_mean(self) -> float:
        """p gamma / (q - 1), the mean transaction value across customers:
        the expected value for a customer without repeat transactions,
        which :meth:`expected` does not take.  Computed here, not by the
        library; :class:`UndefinedResultError` when q <= 1."""
        p, q, g = self._params
        if not q > 1:
            raise UndefinedResultError(E.EUNDEFINED, "GammaGamma.population_mean", "q",
                                       value=q, detail=_Q.text)
        return p * g / (q - 1)

    def simulate(self, x: ArrayLike, seed: int, n: Optional[int] = None) -> GammaGammaSample:
        """The mean values of repeat buyers drawn from the model, x[i]
        (whole numbers >= 1) transactions each (libcs_gg_simulate); ``x``
        one number for ``n`` customers.  The same seed gives the same
        values; here q <= 1 is allowed."""
        (m,), column = self._simulate(
            _GG_SIMULATE, lambda *a: C.libcs_gg_simulate(*a), x, seed, n, 1, _gg_x_ok)
        return GammaGammaSample(column, m)

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
