"""Customer churn with an explicit denominator, retention, and conversion of
churn rates between period lengths.

Batch twins work as in :mod:`libcs.ltv`: arrays (any int64 or float64 buffer
without copying, or lists) or scalars broadcast to every element; the result
is numpy when an input is, else array.array('d'); ``out=`` fills a buffer.
"""

from __future__ import annotations

from typing import Any

from . import _ffi
from ._buffers import CINT, DOUBLE, INT64
from ._core import Arg, Spec, Status, call_batch, call_scalar, fraction, nonneg, rule

__all__ = ["churn_customer", "churn_customer_batch", "churn_retention",
           "churn_retention_batch", "churn_convert", "churn_convert_batch"]

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
