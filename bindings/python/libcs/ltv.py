"""Lifetime value: simple, repeat-purchase, subscription, contract, net of
costs, discounted (unlimited or fixed horizon); LTV:CAC and CAC payback.

Every function has a ``*_batch`` twin over n customers (one C call): each
argument is then an array -- any buffer of float64 (array.array('d'), numpy,
memoryview) passed without copying, or a list -- or a scalar applied to every
customer.  A batch returns a numpy array when any input is one, else an
array.array('d'); ``out=`` fills a writable float64 buffer of length n instead
and returns it.  On a bad element nothing is written and the error carries
its ``.index`` and ``.argument``.  Rates are fractions per period (0.05, not
5); money is in any currency unit; periods are the caller's.
"""

from __future__ import annotations

from typing import Any

from . import _ffi
from ._buffers import DOUBLE, UINT32
from ._core import Arg, Spec, Status, call_batch, call_scalar, fraction, nonneg, rule

__all__ = [
    "ltv_simple", "ltv_simple_batch", "ltv_repeat", "ltv_repeat_batch",
    "ltv_subscription", "ltv_subscription_batch", "ltv_contract",
    "ltv_contract_batch", "ltv_net", "ltv_net_batch", "ltv_discounted",
    "ltv_discounted_batch", "ltv_discounted_horizon",
    "ltv_discounted_horizon_batch", "ltv_lifetime", "ltv_lifetime_batch",
    "ltv_cac_ratio", "ltv_cac_ratio_batch", "ltv_cac_payback",
    "ltv_cac_payback_batch",
]

#: An array argument of a batch call: a float64 buffer (numpy array,
#: array.array('d'), memoryview...), a sequence of numbers, or one number.
ArrayLike = Any

C = _ffi.C
E = Status
TOO_LARGE = {E.EOVERFLOW: "the result is too large for a double"}


def _d(*names: str) -> list:
    return [Arg(n, DOUBLE) for n in names]


_SIMPLE = Spec("ltv_simple", _d("avg_order_value", "purchases"),
               [nonneg("avg_order_value"), nonneg("purchases")], TOO_LARGE)
_REPEAT = Spec("ltv_repeat", _d("avg_order_value", "purchases_per_period", "lifetime_periods"),
               [nonneg("avg_order_value"), nonneg("purchases_per_period"),
                nonneg("lifetime_periods")], TOO_LARGE)
_SUBSCRIPTION = Spec("ltv_subscription", _d("arpu", "margin", "churn"),
                     [nonneg("arpu"), fraction("margin"), fraction("churn"),
                      rule(E.EUNDEFINED, "churn", lambda v: v["churn"] > 0,
                           "churn 0 divides by zero: customers never leave")],
                     TOO_LARGE)
_CONTRACT = Spec("ltv_contract", _d("annual_revenue", "margin", "years"),
                 [nonneg("annual_revenue"), fraction("margin"), nonneg("years")], TOO_LARGE)
_NET = Spec("ltv_net", _d("arpu", "margin", "frequency", "duration",
                          "acquisition_cost", "retention_cost"),
            [nonneg("arpu"), fraction("margin"), nonneg("frequency"), nonneg("duration"),
             nonneg("acquisition_cost"), nonneg("retention_cost")], TOO_LARGE)
_DISCOUNT_RULES = [nonneg("arpu"), fraction("margin"), fraction("retention"),
                   rule(E.EDOMAIN, "discount", lambda v: v["discount"] > -1, "must be > -1")]
_DISCOUNTED = Spec("ltv_discounted", _d("arpu", "margin", "retention", "discount"),
                   _DISCOUNT_RULES + [
                       rule(E.EUNDEFINED, "retention",
                            lambda v: v["retention"] < 1 + v["discount"],
                            "retention >= 1 + discount: the sum diverges")], TOO_LARGE)
_HORIZON = Spec("ltv_discounted_horizon",
                _d("arpu", "margin", "retention", "discount") + [Arg("periods", UINT32)],
                _DISCOUNT_RULES, TOO_LARGE)
_LIFETIME = Spec("ltv_lifetime", _d("churn"),
                 [fraction("churn"),
                  rule(E.EUNDEFINED, "churn", lambda v: v["churn"] > 0,
                       "churn 0 divides by zero: customers never leave")], TOO_LARGE)
_CAC_RATIO = Spec("ltv_cac_ratio", _d("ltv", "cac"),
                  [nonneg("cac"), rule(E.EUNDEFINED, "cac", lambda v: v["cac"] > 0,
                                       "CAC 0 divides by zero")], TOO_LARGE)
_CAC_PAYBACK = Spec("ltv_cac_payback", _d("cac", "arpu", "margin"),
                    [nonneg("cac"), nonneg("arpu"), fraction("margin"),
                     rule(E.EUNDEFINED, "arpu", lambda v: v["arpu"] > 0,
                          "ARPU 0 earns nothing to pay CAC back with"),
                     rule(E.EUNDEFINED, "margin", lambda v: v["margin"] > 0,
                          "margin 0 earns nothing to pay CAC back with")], TOO_LARGE)


def ltv_simple(avg_order_value: float, purchases: float) -> float:
    """Simple LTV = average order value x number of purchases.

    Both are finite and >= 0.  45 per order, 6 orders:

    >>> ltv_simple(avg_order_value=45, purchases=6)
    270.0
    """
    return call_scalar(_SIMPLE, C.libcs_ltv_simple, (avg_order_value, purchases))


def ltv_simple_batch(avg_order_value: ArrayLike, purchases: ArrayLike, *,
                     out: Any = None) -> Any:
    """:func:`ltv_simple` for n customers in one call (see the module doc)."""
    return call_batch(_SIMPLE, C.libcs_ltv_simple_batch, (avg_order_value, purchases), out)


def ltv_repeat(avg_order_value: float, purchases_per_period: float,
               lifetime_periods: float) -> float:
    """Repeat-purchase LTV = order value x purchases per period x expected
    lifetime in periods (all finite and >= 0).

    >>> ltv_repeat(45, purchases_per_period=3, lifetime_periods=4)
    540.0
    """
    return call_scalar(_REPEAT, C.libcs_ltv_repeat,
                       (avg_order_value, purchases_per_period, lifetime_periods))


def ltv_repeat_batch(avg_order_value: ArrayLike, purchases_per_period: ArrayLike,
                     lifetime_periods: ArrayLike, *, out: Any = None) -> Any:
    """:func:`ltv_repeat` for n customers in one call (see the module doc)."""
    return call_batch(_REPEAT, C.libcs_ltv_repeat_batch,
                      (avg_order_value, purchases_per_period, lifetime_periods), out)


def ltv_subscription(arpu: float, margin: float, churn: float) -> float:
    """Subscription LTV = ARPU x gross margin / churn rate, per period.

    ``arpu`` >= 0; ``margin`` and ``churn`` are fractions in [0, 1]; churn 0
    is :class:`UndefinedResultError` (the customer never leaves).  ARPU 100
    a month, 80 % margin, 5 % monthly churn:

    >>> ltv_subscription(arpu=100.0, margin=0.8, churn=0.05)
    1600.0
    """
    return call_scalar(_SUBSCRIPTION, C.libcs_ltv_subscription, (arpu, margin, churn))


def ltv_subscription_batch(arpu: ArrayLike, margin: ArrayLike, churn: ArrayLike, *,
                           out: Any = None) -> Any:
    """:func:`ltv_subscription` for n customers in one call (see the module
    doc); e.g. ``ltv_subscription_batch(arpu_array, 0.8, churn_array)``."""
    return call_batch(_SUBSCRIPTION, C.libcs_ltv_subscription_batch, (arpu, margin, churn), out)


def ltv_contract(annual_revenue: float, margin: float, years: float) -> float:
    """Contract LTV = annual revenue x margin x years (revenue and years >= 0,
    margin in [0, 1]).

    >>> ltv_contract(12000, margin=0.75, years=3)
    27000.0
    """
    return call_scalar(_CONTRACT, C.libcs_ltv_contract, (annual_revenue, margin, years))


def ltv_contract_batch(annual_revenue: ArrayLike, margin: ArrayLike, years: ArrayLike, *,
                       out: Any = None) -> Any:
    """:func:`ltv_contract` for n customers in one call (see the module doc)."""
    return call_batch(_CONTRACT, C.libcs_ltv_contract_batch, (annual_revenue, margin, years), out)


def ltv_net(arpu: float, margin: float, frequency: float, duration: float,
            acquisition_cost: float, retention_cost: float) -> float:
    """Net LTV = ARPU x margin x frequency x duration - (acquisition cost +
    retention cost); may be negative.  All inputs are finite and >= 0,
    margin in [0, 1].  50 per order at 60 %, twice a month for 24 months,
    CAC 400, retention cost 200:

    >>> ltv_net(50, 0.6, frequency=2, duration=24, acquisition_cost=400, retention_cost=200)
    840.0
    """
    return call_scalar(_NET, C.libcs_ltv_net, (arpu, margin, frequency, duration,
                                               acquisition_cost, retention_cost))


def ltv_net_batch(arpu: ArrayLike, margin: ArrayLike, frequency: ArrayLike,
                  duration: ArrayLike, acquisition_cost: ArrayLike,
                  retention_cost: ArrayLike, *, out: Any = None) -> Any:
    """:func:`ltv_net` for n customers in one call (see the module doc)."""
    return call_batch(_NET, C.libcs_ltv_net_batch,
                      (arpu, margin, frequency, duration, acquisition_cost, retention_cost), out)


def ltv_discounted(arpu: float, margin: float, retention: float, discount: float) -> float:
    """Discounted LTV = m x (1 + d) / (1 + d - r), m = ARPU x margin.

    Payments at the start of each period, the first certain, retention r
    and discount rate d per period.  ``margin`` and ``retention`` are
    fractions; ``discount`` > -1; r >= 1 + d is :class:`UndefinedResultError`
    (the sum diverges).  ARPU 100, 80 %, 95 % retention, 1 % a month:

    >>> round(ltv_discounted(100, 0.8, retention=0.95, discount=0.01), 2)
    1346.67
    """
    return call_scalar(_DISCOUNTED, C.libcs_ltv_discounted, (arpu, margin, retention, discount))


def ltv_discounted_batch(arpu: ArrayLike, margin: ArrayLike, retention: ArrayLike,
                         discount: ArrayLike, *, out: Any = None) -> Any:
    """:func:`ltv_discounted` for n customers in one call (see the module doc)."""
    return call_batch(_DISCOUNTED, C.libcs_ltv_discounted_batch,
                      (arpu, margin, retention, discount), out)


def ltv_discounted_horizon(arpu: float, margin: float, retention: float,
                           discount: float, periods: int) -> float:
    """The discounted sum truncated to the first ``periods`` payments:
    m x (1 - q^N) / (1 - q) with q = r / (1 + d) (m x N when q = 1).

    ``periods`` is an integer 0 .. 2**32 - 1; 0 periods is worth 0.

    >>> round(ltv_discounted_horizon(100, 0.8, 0.95, 0.01, periods=12), 2)
    700.88
    """
    return call_scalar(_HORIZON, C.libcs_ltv_discounted_horizon,
                       (arpu, margin, retention, discount, periods))


def ltv_discounted_horizon_batch(arpu: ArrayLike, margin: ArrayLike, retention: ArrayLike,
                                 discount: ArrayLike, periods: ArrayLike, *,
                                 out: Any = None) -> Any:
    """:func:`ltv_discounted_horizon` for n customers in one call (see the
    module doc); ``periods`` is a uint32 array (numpy uint32,
    array.array('I')), a list of ints or one int."""
    return call_batch(_HORIZON, C.libcs_ltv_discounted_horizon_batch,
                      (arpu, margin, retention, discount, periods), out)


def ltv_lifetime(churn: float) -> float:
    """Expected lifetime in periods = 1 / churn (churn in (0, 1]).

    >>> ltv_lifetime(churn=0.05)
    20.0
    """
    return call_scalar(_LIFETIME, C.libcs_ltv_lifetime, (churn,))


def ltv_lifetime_batch(churn: ArrayLike, *, out: Any = None) -> Any:
    """:func:`ltv_lifetime` for n customers in one call (see the module doc)."""
    return call_batch(_LIFETIME, C.libcs_ltv_lifetime_batch, (churn,), out)


def ltv_cac_ratio(ltv: float, cac: float) -> float:
    """LTV : CAC = LTV / CAC (LTV finite, CAC > 0).

    >>> ltv_cac_ratio(ltv=1600, cac=500)
    3.2
    """
    return call_scalar(_CAC_RATIO, C.libcs_ltv_cac_ratio, (ltv, cac))


def ltv_cac_ratio_batch(ltv: ArrayLike, cac: ArrayLike, *, out: Any = None) -> Any:
    """:func:`ltv_cac_ratio` for n customers in one call (see the module doc)."""
    return call_batch(_CAC_RATIO, C.libcs_ltv_cac_ratio_batch, (ltv, cac), out)


def ltv_cac_payback(cac: float, arpu: float, margin: float) -> float:
    """CAC payback in periods = CAC / (ARPU x margin); ARPU or margin 0 is
    :class:`UndefinedResultError`.

    >>> ltv_cac_payback(cac=500, arpu=100, margin=0.8)
    6.25
    """
    return call_scalar(_CAC_PAYBACK, C.libcs_ltv_cac_payback, (cac, arpu, margin))


def ltv_cac_payback_batch(cac: ArrayLike, arpu: ArrayLike, margin: ArrayLike, *,
                          out: Any = None) -> Any:
    """:func:`ltv_cac_payback` for n customers in one call (see the module doc)."""
    return call_batch(_CAC_PAYBACK, C.libcs_ltv_cac_payback_batch, (cac, arpu, margin), out)
