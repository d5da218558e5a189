"""The library's enumerations as IntEnum / IntFlag (they are plain ints to
the C functions, so any int of the right value is accepted as well)."""

from __future__ import annotations

import enum

__all__ = ["ChurnDenominator", "NpsCategory", "HealthMissing",
           "HealthAggregation", "Band", "HealthEvent", "Tier", "Stage", "MrrRate"]


class ChurnDenominator(enum.IntEnum):
    """enum libcs_churn_denominator: the customer count churn is divided by
    (libcs_churn_customer(3) lists which vendor uses which)."""
    START = 0           #: customers at the start (ChartMogul B2B, Recurly, Baremetrics)
    START_PLUS_NEW = 1  #: start + new in the period (Stripe)
    AVERAGE = 2         #: (start + end) / 2 (analyst convention)


class NpsCategory(enum.IntEnum):
    """enum libcs_nps_category, plus LIBCS_NPS_NO_ANSWER for lifecycle input."""
    DETRACTOR = -1  #: 0-6
    PASSIVE = 0     #: 7-8
    PROMOTER = 1    #: 9-10
    NO_ANSWER = 2   #: has not answered (lifecycle stages only)


class HealthMissing(enum.IntEnum):
    """enum libcs_health_missing: what a missing (NaN/None) value counts as."""
    DROP = 0   #: drop the measure and renormalise the weights
    WORST = 1  #: score it as the rule's worst points


class HealthAggregation(enum.IntEnum):
    """enum libcs_health_aggregation."""
    WEIGHTED_MEAN = 0  #: sum of weight share x points
    WORST_OF = 1       #: the lowest points of any measure


class Band(enum.IntEnum):
    """enum libcs_health_band: red [0, red_max], yellow (red_max,
    yellow_max], green (yellow_max, 100]; unknown when too little was
    measured."""
    UNKNOWN = 0
    RED = 1
    YELLOW = 2
    GREEN = 3


class HealthEvent(enum.IntFlag):
    """enum libcs_health_event: band-change flags from HealthModel.changes()."""
    NONE = 0
    ENTERED_RED = 1
    LEFT_RED = 2
    ENTERED_YELLOW = 4
    LEFT_YELLOW = 8
    ENTERED_GREEN = 16
    LEFT_GREEN = 32
    BECAME_UNKNOWN = 64
    BECAME_KNOWN = 128


class Tier(enum.IntEnum):
    """enum libcs_touch_tier (also the index into a TouchSummary)."""
    TECH = 0
    LOW = 1
    HIGH = 2


class Stage(enum.IntEnum):
    """enum libcs_lifecycle_stage."""
    ADOPTION = 0    #: none of the rules applies (the fallback)
    ONBOARDING = 1  #: days since start < onboarding_days
    RENEWAL = 2     #: days to renewal <= renewal_days
    AT_RISK = 3     #: red health band
    EXPANSION = 4   #: green, promoter, past onboarding
    ADVOCATE = 5    #: green, promoter, tenure >= advocate_days


class MrrRate(enum.IntEnum):
    """enum libcs_mrr_rate: the rates of a period of MRR movements (also the
    index into ``MrrRates.status`` and the position of each rate in an
    :class:`MrrRates` after its ``period``)."""
    CUSTOMER_CHURN = 0   #: libcs_churn_customer with new = new + reactivated
    GROSS_MRR_CHURN = 1  #: (churned + contraction) / mrr_start
    NET_MRR_CHURN = 2    #: (churned + contraction - expansion - reactivation) / mrr_start
    NRR = 3              #: 1 - net MRR churn
    GRR = 4              #: 1 - gross MRR churn
    QUICK_RATIO = 5      #: (new + expansion + reactivation) / (churned + contraction)
    ARPA = 6             #: mrr_end / customers_end, in the ledger's minor unit
