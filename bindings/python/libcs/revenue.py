"""Revenue churn, net and gross revenue retention and the quick ratio from
MRR movements, in integer minor units (cents), summed exactly.

Batch twins work as in :mod:`libcs.ltv`, over int64 arrays (numpy int64,
array.array('q'), lists of ints) or scalars broadcast to every element.
"""

from __future__ import annotations

from typing import Any

from . import _ffi
from ._buffers import INT64
from ._core import Arg, Spec, Status, call_batch, call_scalar, nonneg, rule

__all__ = [
    "revenue_churn_gross", "revenue_churn_gross_batch", "revenue_churn_net",
    "revenue_churn_net_batch", "revenue_churn_simple",
    "revenue_churn_simple_batch", "revenue_nrr", "revenue_nrr_batch",
    "revenue_grr", "revenue_grr_batch", "revenue_quick_ratio",
    "revenue_quick_ratio_batch",
]

ArrayLike = Any
C = _ffi.C
E = Status


def _i(*names: str) -> list:
    return [Arg(n, INT64) for n in names]


_LOST = rule(E.EDOMAIN, "churned",
             lambda v: v["churned"] + v["contraction"] <= v["mrr_start"],
             "churned + contraction exceeds mrr_start")
_START = rule(E.EUNDEFINED, "mrr_start", lambda v: v["mrr_start"] != 0,
              "MRR at start 0 divides by zero")
_GROSS = Spec("revenue_churn_gross", _i("mrr_start", "churned", "contraction"),
              [nonneg("mrr_start"), nonneg("churned"), nonneg("contraction"), _LOST, _START])
_NET_ARGS = ("mrr_start", "churned", "contraction", "expansion", "reactivation")
_NET_RULES = [nonneg(a) for a in _NET_ARGS] + [_LOST, _START]
_NET = Spec("revenue_churn_net", _i(*_NET_ARGS), _NET_RULES)
_SIMPLE = Spec("revenue_churn_simple", _i("price", "cancellations", "total_revenue"),
               [nonneg("price"), nonneg("cancellations"), nonneg("total_revenue"),
                rule(E.EUNDEFINED, "total_revenue", lambda v: v["total_revenue"] != 0,
                     "total revenue 0 divides by zero")],
               {E.EOVERFLOW: "price x cancellations overflows 64 bits"})
_NRR = Spec("revenue_nrr", _i(*_NET_ARGS), _NET_RULES,
            {E.EOVERFLOW: "the retained MRR overflows 64 bits"})
_GRR = Spec("revenue_grr", _i("mrr_start", "churned", "contraction"), _GROSS.rules)
_QUICK_ARGS = ("new_mrr", "expansion", "reactivation", "churned", "contraction")
_QUICK = Spec("revenue_quick_ratio", _i(*_QUICK_ARGS),
              [nonneg(a) for a in _QUICK_ARGS],
              {E.EUNDEFINED: "no MRR lost (churned + contraction is 0) divides by zero",
               E.EOVERFLOW: "new + expansion + reactivation overflows 64 bits"})


def revenue_churn_gross(mrr_start: int, churned: int, contraction: int) -> float:
    """Gross revenue churn = (churned + contraction) / MRR at start.

    Amounts are integers >= 0 in minor units; the loss may not exceed
    ``mrr_start``, and ``mrr_start`` 0 is :class:`UndefinedResultError`.

    >>> revenue_churn_gross(10_000_000, churned=400_000, contraction=200_000)
    0.06
    """
    return call_scalar(_GROSS, C.libcs_revenue_churn_gross, (mrr_start, churned, contraction))


def revenue_churn_gross_batch(mrr_start: ArrayLike, churned: ArrayLike,
                              contraction: ArrayLike, *, out: Any = None) -> Any:
    """:func:`revenue_churn_gross` for n accounts or periods in one call."""
    return call_batch(_GROSS, C.libcs_revenue_churn_gross_batch,
                      (mrr_start, churned, contraction), out)


def revenue_churn_net(mrr_start: int, churned: int, contraction: int,
                      expansion: int, reactivation: int) -> float:
    """Net revenue churn = (churned + contraction - expansion -
    reactivation) / MRR at start (negative when expansion wins).

    >>> revenue_churn_net(10_000_000, 400_000, 200_000, expansion=300_000, reactivation=100_000)
    0.02
    """
    return call_scalar(_NET, C.libcs_revenue_churn_net,
                       (mrr_start, churned, contraction, expansion, reactivation))


def revenue_churn_net_batch(mrr_start: ArrayLike, churned: ArrayLike, contraction: ArrayLike,
                            expansion: ArrayLike, reactivation: ArrayLike, *,
                            out: Any = None) -> Any:
    """:func:`revenue_churn_net` for n accounts or periods in one call."""
    return call_batch(_NET, C.libcs_revenue_churn_net_batch,
                      (mrr_start, churned, contraction, expansion, reactivation), out)


def revenue_churn_simple(price: int, cancellations: int, total_revenue: int) -> float:
    """Simple revenue churn = price x cancellations / total revenue.

    Twelve cancellations of a 50.00 plan against 20,000.00 of revenue:

    >>> revenue_churn_simple(price=5000, cancellations=12, total_revenue=2_000_000)
    0.03
    """
    return call_scalar(_SIMPLE, C.libcs_revenue_churn_simple, (price, cancellations, total_revenue))


def revenue_churn_simple_batch(price: ArrayLike, cancellations: ArrayLike,
                               total_revenue: ArrayLike, *, out: Any = None) -> Any:
    """:func:`revenue_churn_simple` for n plans or periods in one call."""
    return call_batch(_SIMPLE, C.libcs_revenue_churn_simple_batch,
                      (price, cancellations, total_revenue), out)


def revenue_nrr(mrr_start: int, churned: int, contraction: int, expansion: int,
                reactivation: int) -> float:
    """Net revenue retention = (start - churned - contraction + expansion +
    reactivation) / start = 1 - net revenue churn (pass reactivation=0 to
    exclude it).

    >>> revenue_nrr(10_000_000, 400_000, 200_000, 300_000, reactivation=100_000)
    0.98
    """
    return call_scalar(_NRR, C.libcs_revenue_nrr,
                       (mrr_start, churned, contraction, expansion, reactivation))


def revenue_nrr_batch(mrr_start: ArrayLike, churned: ArrayLike, contraction: ArrayLike,
                      expansion: ArrayLike, reactivation: ArrayLike, *, out: Any = None) -> Any:
    """:func:`revenue_nrr` for n accounts or periods in one call."""
    return call_batch(_NRR, C.libcs_revenue_nrr_batch,
                      (mrr_start, churned, contraction, expansion, reactivation), out)


def revenue_grr(mrr_start: int, churned: int, contraction: int) -> float:
    """Gross revenue retention = (start - churned - contraction) / start,
    in [0, 1].

    >>> revenue_grr(10_000_000, 400_000, 200_000)
    0.94
    """
    return call_scalar(_GRR, C.libcs_revenue_grr, (mrr_start, churned, contraction))


def revenue_grr_batch(mrr_start: ArrayLike, churned: ArrayLike, contraction: ArrayLike, *,
                      out: Any = None) -> Any:
    """:func:`revenue_grr` for n accounts or periods in one call."""
    return call_batch(_GRR, C.libcs_revenue_grr_batch, (mrr_start, churned, contraction), out)


def revenue_quick_ratio(new_mrr: int, expansion: int, reactivation: int,
                        churned: int, contraction: int) -> float:
    """Quick ratio = (new + expansion + reactivation) / (churned +
    contraction); no loss at all is :class:`UndefinedResultError`.

    >>> revenue_quick_ratio(800_000, 300_000, 100_000, churned=400_000, contraction=200_000)
    2.0
    """
    return call_scalar(_QUICK, C.libcs_revenue_quick_ratio,
                       (new_mrr, expansion, reactivation, churned, contraction))


def revenue_quick_ratio_batch(new_mrr: ArrayLike, expansion: ArrayLike,
                              reactivation: ArrayLike, churned: ArrayLike,
                              contraction: ArrayLike, *, out: Any = None) -> Any:
    """:func:`revenue_quick_ratio` for n periods in one call."""
    return call_batch(_QUICK, C.libcs_revenue_quick_ratio_batch,
                      (new_mrr, expansion, reactivation, churned, contraction), out)
