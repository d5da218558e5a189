"""ctypes prototypes of every function libcs exports, in one table.

Array arguments are declared ``c_void_p`` and receive raw addresses (see
_buffers.py), so a batch call hands the caller's memory to C without copying.
Binding modules call the functions as attributes of :data:`C` looked up at
call time (``_ffi.C.libcs_x(...)``), which keeps one place to trace or patch.
"""

from __future__ import annotations

import ctypes
import types
from ctypes import (POINTER, c_char_p, c_double, c_int, c_int32, c_int64,
                    c_size_t, c_uint32, c_uint64, c_void_p)

from . import _loader

LIB, LIBRARY_NAME, FOUND_BY = _loader.load()


class NpsTallyStruct(ctypes.Structure):
    """struct libcs_nps_tally: the counts of answers 0..10 (88 bytes)."""
    _fields_ = [("counts", c_uint64 * 11)]


class ChurnTallyStruct(ctypes.Structure):
    """struct libcs_churn_tally: customers at the start, new, lost (24 bytes)."""
    _fields_ = [("at_start", c_int64), ("new_customers", c_int64), ("churned", c_int64)]


class NpsResultStruct(ctypes.Structure):
    """struct libcs_nps_result (120 bytes)."""
    _fields_ = [(name, c_uint64) for name in
                ("n", "promoters", "passives", "detractors")] + \
               [(name, c_double) for name in
                ("promoter_share", "passive_share", "detractor_share", "nps",
                 "se", "level", "wald_low", "wald_high", "adjusted_nps",
                 "adjusted_low", "adjusted_high")]


class TouchSummaryStruct(ctypes.Structure):
    """struct libcs_touch_summary: per tier (tech, low, high) (96 bytes)."""
    _fields_ = [("customers", c_uint64 * 3), ("value", c_double * 3),
                ("customer_share", c_double * 3), ("value_share", c_double * 3)]


class MrrPeriodStruct(ctypes.Structure):
    """struct libcs_mrr_period: one period's MRR movements and customer
    counts (104 bytes: two int32, then twelve int64)."""
    _fields_ = [("period", c_int32), ("reserved", c_int32)] + \
               [(name, c_int64) for name in
                ("mrr_start", "new_mrr", "expansion", "contraction", "churned",
                 "reactivation", "mrr_end", "customers_start", "customers_new",
                 "customers_churned", "customers_reactivated", "customers_end")]


class MrrRatesStruct(ctypes.Structure):
    """struct libcs_mrr_rates: rate[8] indexed by LIBCS_RATE_*, status[8]
    (96 bytes)."""
    _fields_ = [("rate", c_double * 8), ("status", c_int32 * 8)]


class ClvFitStruct(ctypes.Structure):
    """struct libcs_clv_fit: a maximum-likelihood fit of a CLV model -- four
    doubles of parameters, four of standard errors, the log-likelihood, then
    four int32 (88 bytes)."""
    _fields_ = [("params", c_double * 4), ("se", c_double * 4), ("loglik", c_double),
                ("n_params", c_int32), ("iterations", c_int32), ("converged", c_int32),
                ("se_status", c_int32)]


NPS_TALLY_SERIALIZED_SIZE = 96  # LIBCS_NPS_TALLY_SERIALIZED_SIZE
CHURN_TALLY_SERIALIZED_SIZE = 32  # LIBCS_CHURN_TALLY_SERIALIZED_SIZE
MRR_ANY_GAP = -1                # LIBCS_MRR_ANY_GAP

D, I, SZ, I64, U64, U32, I32 = c_double, c_int, c_size_t, c_int64, c_uint64, c_uint32, c_int32
P = c_void_p                      # arrays (by address) and opaque handles
PD, PI, PSZ = POINTER(c_double), POINTER(c_int), POINTER(c_size_t)
PP = POINTER(c_void_p)            # T **out of the constructors
PI64, PI32 = POINTER(c_int64), POINTER(c_int32)
STR = c_char_p                    # NUL-terminated names, or text with a length
TALLY, RESULT = POINTER(NpsTallyStruct), POINTER(NpsResultStruct)
SUMMARY = POINTER(TouchSummaryStruct)
CTALLY = POINTER(ChurnTallyStruct)
FIT = POINTER(ClvFitStruct)

# name: (restype, argtypes) -- in the order of include/libcs.h
PROTOTYPES = {
    # version and status
    "libcs_version_number": (I, []),
    "libcs_version_string": (c_char_p, []),
    "libcs_strerror": (c_char_p, [I]),
    # LTV
    "libcs_ltv_simple": (I, [D, D, PD]),
    "libcs_ltv_simple_batch": (I, [SZ, P, P, P, PSZ]),
    "libcs_ltv_repeat": (I, [D, D, D, PD]),
    "libcs_ltv_repeat_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_ltv_subscription": (I, [D, D, D, PD]),
    "libcs_ltv_subscription_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_ltv_contract": (I, [D, D, D, PD]),
    "libcs_ltv_contract_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_ltv_net": (I, [D, D, D, D, D, D, PD]),
    "libcs_ltv_net_batch": (I, [SZ, P, P, P, P, P, P, P, PSZ]),
    "libcs_ltv_discounted": (I, [D, D, D, D, PD]),
    "libcs_ltv_discounted_batch": (I, [SZ, P, P, P, P, P, PSZ]),
    "libcs_ltv_discounted_horizon": (I, [D, D, D, D, U32, PD]),
    "libcs_ltv_discounted_horizon_batch": (I, [SZ, P, P, P, P, P, P, PSZ]),
    "libcs_ltv_lifetime": (I, [D, PD]),
    "libcs_ltv_lifetime_batch": (I, [SZ, P, P, PSZ]),
    "libcs_ltv_cac_ratio": (I, [D, D, PD]),
    "libcs_ltv_cac_ratio_batch": (I, [SZ, P, P, P, PSZ]),
    "libcs_ltv_cac_payback": (I, [D, D, D, PD]),
    "libcs_ltv_cac_payback_batch": (I, [SZ, P, P, P, P, PSZ]),
    # customer churn
    "libcs_churn_customer": (I, [I64, I64, I64, I, PD]),
    "libcs_churn_customer_batch": (I, [SZ, P, P, P, I, P, PSZ]),
    "libcs_churn_tally_init": (I, [CTALLY]),
    "libcs_churn_tally_add": (I, [CTALLY, I64, I64, I64]),
    "libcs_churn_tally_add_batch": (I, [CTALLY, SZ, P, P, P, PSZ]),
    "libcs_churn_tally_merge": (I, [CTALLY, CTALLY]),
    "libcs_churn_tally_result": (I, [CTALLY, I, PD]),
    "libcs_churn_tally_serialize": (I, [CTALLY, P, SZ, PSZ]),
    "libcs_churn_tally_deserialize": (I, [CTALLY, P, SZ]),
    "libcs_churn_retention": (I, [D, PD]),
    "libcs_churn_retention_batch": (I, [SZ, P, P, PSZ]),
    "libcs_churn_convert": (I, [D, D, PD]),
    "libcs_churn_convert_batch": (I, [SZ, P, P, P, PSZ]),
    # revenue
    "libcs_revenue_churn_gross": (I, [I64, I64, I64, PD]),
    "libcs_revenue_churn_gross_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_revenue_churn_net": (I, [I64, I64, I64, I64, I64, PD]),
    "libcs_revenue_churn_net_batch": (I, [SZ, P, P, P, P, P, P, PSZ]),
    "libcs_revenue_churn_simple": (I, [I64, I64, I64, PD]),
    "libcs_revenue_churn_simple_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_revenue_nrr": (I, [I64, I64, I64, I64, I64, PD]),
    "libcs_revenue_nrr_batch": (I, [SZ, P, P, P, P, P, P, PSZ]),
    "libcs_revenue_grr": (I, [I64, I64, I64, PD]),
    "libcs_revenue_grr_batch": (I, [SZ, P, P, P, P, PSZ]),
    "libcs_revenue_quick_ratio": (I, [I64, I64, I64, I64, I64, PD]),
    "libcs_revenue_quick_ratio_batch": (I, [SZ, P, P, P, P, P, P, PSZ]),
    # NPS
    "libcs_nps_category": (I, [I, PI]),
    "libcs_nps_tally_init": (I, [TALLY]),
    "libcs_nps_tally_add": (I, [TALLY, I]),
    "libcs_nps_tally_add_batch": (I, [TALLY, SZ, P, PSZ]),
    "libcs_nps_tally_merge": (I, [TALLY, TALLY]),
    "libcs_nps_tally_result": (I, [TALLY, D, RESULT]),
    "libcs_nps_tally_serialize": (I, [TALLY, P, SZ, PSZ]),
    "libcs_nps_tally_deserialize": (I, [TALLY, P, SZ]),
    "libcs_nps_from_scores": (I, [SZ, P, D, RESULT, PSZ]),
    "libcs_nps_from_counts": (I, [U64, U64, U64, D, RESULT]),
    # CSAT and CES
    "libcs_csat": (I, [SZ, P, I, I, PD, PSZ]),
    "libcs_ces": (I, [SZ, P, I, I, PD, PD, PSZ]),
    # health scores
    "libcs_health_model_new": (I, [PP]),
    "libcs_health_model_free": (None, [P]),
    "libcs_health_model_add_linear": (I, [P, STR, D, D, D]),
    "libcs_health_model_add_tiers": (I, [P, STR, D, SZ, P, P]),
    "libcs_health_model_add_yesno": (I, [P, STR, D, D, D]),
    "libcs_health_model_set_missing": (I, [P, I, D]),
    "libcs_health_model_set_aggregation": (I, [P, I]),
    "libcs_health_model_set_bands": (I, [P, D, D]),
    "libcs_health_model_measures": (I, [P, PSZ]),
    "libcs_health_model_measure_name": (I, [P, SZ, P, SZ, PSZ]),
    "libcs_health_model_weight": (I, [P, SZ, PD]),
    "libcs_health_band": (I, [P, D, PI]),
    "libcs_health_score": (I, [P, P, PD, PI, PD]),
    "libcs_health_score_batch": (I, [P, SZ, P, P, P, P, PSZ]),
    "libcs_health_explain": (I, [P, P, P, P, PD, PI]),
    "libcs_health_changes": (I, [P, SZ, P, P, P, P, PSZ, PSZ]),
    "libcs_health_model_format": (I, [P, P, SZ, PSZ]),
    "libcs_health_model_parse": (I, [STR, SZ, PP, PSZ, PSZ]),
    # touch model
    "libcs_touch_thresholds": (I, [SZ, P, D, D, P, SUMMARY, PSZ]),
    "libcs_touch_shares": (I, [SZ, P, P, D, D, P, SUMMARY, PSZ]),
    "libcs_touch_capacity": (I, [SZ, P, P, U64, U64, U64, P, SUMMARY, PSZ]),
    "libcs_touch_summarize": (I, [SZ, P, P, SUMMARY, PSZ]),
    # lifecycle
    "libcs_lifecycle_policy_new": (I, [PP]),
    "libcs_lifecycle_policy_free": (None, [P]),
    "libcs_lifecycle_policy_set_windows": (I, [P, D, D, D]),
    "libcs_lifecycle_policy_set_order": (I, [P, SZ, P]),
    "libcs_lifecycle_stage": (I, [P, D, D, I, I, PI]),
    "libcs_lifecycle_stage_batch": (I, [P, SZ, P, P, P, P, P, PSZ]),
    # MRR movements and cohorts (rows and rates: arrays of structs, by address)
    "libcs_mrr_new": (I, [I32, I32, PP]),
    "libcs_mrr_free": (None, [P]),
    "libcs_mrr_set_reactivation_window": (I, [P, I32]),
    "libcs_mrr_add": (I, [P, SZ, P, P, P, PSZ]),
    "libcs_mrr_merge": (I, [P, P]),
    "libcs_mrr_records": (I, [P, PSZ]),
    "libcs_mrr_serialize": (I, [P, P, SZ, PSZ]),
    "libcs_mrr_deserialize": (I, [P, SZ, PP]),
    "libcs_mrr_movements": (I, [P, P, SZ, PSZ, PI64, PI32]),
    "libcs_mrr_cohorts": (I, [P, SZ, P, P, P, P, PSZ, PI64, PI32]),
    "libcs_mrr_rates_batch": (I, [SZ, P, I, P]),
    "libcs_mrr_capped_grr": (I, [P, I32, PD]),
    "libcs_mrr_capped_grr_since": (I, [P, I32, I32, PD, PI64, PI32]),
    "libcs_mrr_capped_grr_series": (I, [P, I32, P, SZ, PSZ, PI64, PI32]),
    # Kaplan-Meier retention curves
    "libcs_km_fit": (I, [SZ, P, P, P, D, PP, PSZ]),
    "libcs_km_fit_int": (I, [SZ, P, P, P, D, PP, PSZ]),
    "libcs_km_free": (None, [P]),
    "libcs_km_size": (I, [P, PSZ]),
    "libcs_km_curve": (I, [P, SZ, P, P, P, P, P, P, P, P, PSZ]),
    "libcs_km_survival_at": (I, [P, D, PD]),
    "libcs_km_quantile": (I, [P, D, PD]),
    "libcs_km_median": (I, [P, PD]),
    "libcs_km_rmst": (I, [P, D, PD]),
    "libcs_km_ltv": (I, [P, D, D, PD]),
    # probabilistic CLV models (params: a pointer to the model's 4, 3 or 2 doubles)
    "libcs_clv_summarize": (I, [SZ, P, P, P, D, D, D, D, SZ, P, P, P, P, P, P, P, PSZ, PSZ]),
    "libcs_clv_compress": (I, [SZ, P, P, P, P, SZ, P, P, P, P, PSZ, PSZ]),
    "libcs_bgnbd_loglik": (I, [SZ, P, P, P, P, P, PD]),
    "libcs_bgnbd_fit": (I, [SZ, P, P, P, P, P, FIT]),
    "libcs_bgnbd_expected": (I, [P, D, PD]),
    "libcs_bgnbd_expected_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_bgnbd_pmf": (I, [P, D, U32, PD]),
    "libcs_bgnbd_pmf_batch": (I, [P, SZ, P, P, P, PSZ]),
    "libcs_bgnbd_conditional": (I, [P, D, D, D, D, PD]),
    "libcs_bgnbd_conditional_batch": (I, [P, SZ, P, P, P, D, P, PSZ]),
    "libcs_bgnbd_palive": (I, [P, D, D, D, PD]),
    "libcs_bgnbd_palive_batch": (I, [P, SZ, P, P, P, P, PSZ]),
    "libcs_bgnbd_clv": (I, [P, D, D, D, D, D, U32, D, PD]),
    "libcs_bgnbd_clv_batch": (I, [P, SZ, P, P, P, P, D, U32, D, P, PSZ]),
    "libcs_bgnbd_simulate": (I, [P, SZ, P, U64, P, P]),
    "libcs_gg_loglik": (I, [SZ, P, P, P, P, PD]),
    "libcs_gg_fit": (I, [SZ, P, P, P, P, FIT]),
    "libcs_gg_expected": (I, [P, D, D, PD]),
    "libcs_gg_expected_batch": (I, [P, SZ, P, P, P, PSZ]),
    "libcs_gg_simulate": (I, [P, SZ, P, U64, P]),
    "libcs_pnbd_loglik": (I, [SZ, P, P, P, P, P, PD]),
    "libcs_pnbd_fit": (I, [SZ, P, P, P, P, P, FIT]),
    "libcs_pnbd_expected": (I, [P, D, PD]),
    "libcs_pnbd_expected_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_pnbd_pmf": (I, [P, D, U32, PD]),
    "libcs_pnbd_pmf_batch": (I, [P, SZ, P, P, P, PSZ]),
    "libcs_pnbd_conditional": (I, [P, D, D, D, D, PD]),
    "libcs_pnbd_conditional_batch": (I, [P, SZ, P, P, P, D, P, PSZ]),
    "libcs_pnbd_palive": (I, [P, D, D, D, PD]),
    "libcs_pnbd_palive_batch": (I, [P, SZ, P, P, P, P, PSZ]),
    "libcs_pnbd_clv": (I, [P, D, D, D, D, D, U32, D, PD]),
    "libcs_pnbd_clv_batch": (I, [P, SZ, P, P, P, P, D, U32, D, P, PSZ]),
    "libcs_pnbd_simulate": (I, [P, SZ, P, U64, P, P]),
    "libcs_bgbb_loglik": (I, [SZ, P, P, P, P, P, PD]),
    "libcs_bgbb_fit": (I, [SZ, P, P, P, P, P, FIT]),
    "libcs_bgbb_expected": (I, [P, D, PD]),
    "libcs_bgbb_expected_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_bgbb_pmf": (I, [P, D, U32, PD]),
    "libcs_bgbb_pmf_batch": (I, [P, SZ, P, P, P, PSZ]),
    "libcs_bgbb_conditional": (I, [P, D, D, D, D, PD]),
    "libcs_bgbb_conditional_batch": (I, [P, SZ, P, P, P, D, P, PSZ]),
    "libcs_bgbb_palive": (I, [P, D, D, D, PD]),
    "libcs_bgbb_palive_batch": (I, [P, SZ, P, P, P, P, PSZ]),
    "libcs_bgbb_dert": (I, [P, D, D, D, D, PD]),
    "libcs_bgbb_dert_batch": (I, [P, SZ, P, P, P, D, P, PSZ]),
    "libcs_bgbb_simulate": (I, [P, SZ, P, U64, P, P]),
    # shifted-beta-geometric (active flags: uint8_t arrays, by address)
    "libcs_sbg_loglik_survivors": (I, [SZ, P, P, PD]),
    "libcs_sbg_fit_survivors": (I, [SZ, P, P, FIT]),
    "libcs_sbg_loglik_durations": (I, [SZ, P, P, P, P, PD]),
    "libcs_sbg_fit_durations": (I, [SZ, P, P, P, P, FIT]),
    "libcs_sbg_retention": (I, [P, D, PD]),
    "libcs_sbg_retention_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_sbg_survival": (I, [P, D, PD]),
    "libcs_sbg_survival_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_sbg_project": (I, [P, D, SZ, P]),
    "libcs_sbg_del": (I, [P, D, PD]),
    "libcs_sbg_del_batch": (I, [P, SZ, P, P, PSZ]),
    "libcs_sbg_derl": (I, [P, D, D, PD]),
    "libcs_sbg_derl_batch": (I, [P, SZ, P, D, P, PSZ]),
    "libcs_sbg_simulate": (I, [P, SZ, U32, U64, P, P]),
}

#: The C names this binding binds (a test compares it with ``nm -D``).
BOUND = frozenset(PROTOTYPES)

#: The prototyped functions, as attributes named like the C functions.
C = types.SimpleNamespace()


def _bind() -> None:
    missing = []
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(LIB, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
        setattr(C, name, fn)
    if missing:
        raise _loader.LibraryVersionError(
            "libcs at %s lacks %s; it is not the libcs %d.%d.%d this binding "
            "was written for" % ((LIBRARY_NAME, ", ".join(missing)) + _loader.REQUIRED_VERSION))


_bind()
LIBRARY_PATH = _loader.loaded_path(LIB, LIBRARY_NAME)
