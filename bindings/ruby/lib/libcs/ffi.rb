# frozen_string_literal: true

# bindings/ruby/lib/libcs/ffi.rb - finds and loads libcs.so.0 and attaches
# every exported function, in one place; the FFI structs mirror libcs.h.
require 'ffi'
require_relative 'version'

module Libcs
  # The raw C interface: one module function per libcs function, with the C
  # name and signature.  The rest of the binding calls these; use them
  # directly only for what the Ruby API does not offer.
  module Native
    extend FFI::Library

    class << self
      # The library file (or loader name) that was loaded, and how it was
      # found: "LIBCS_LIBRARY", "pkg-config" or "system loader".
      attr_reader :library_path, :library_source
    end

    # Where to look, in order: an explicit LIBCS_LIBRARY path (and nothing
    # else when it is set, so that a wrong path is an error rather than a
    # silent fallback to another libcs), the libdir pkg-config reports, then
    # the system loader's search path.
    def self.candidates
      explicit = ENV.fetch('LIBCS_LIBRARY', '')
      return [[explicit, 'LIBCS_LIBRARY']] unless explicit.empty?

      list = []
      dir = pkg_config_libdir
      list << [File.join(dir, 'libcs.so.0'), 'pkg-config'] if dir
      list << ['libcs.so.0', 'system loader'] << ['cs', 'system loader']
    end

    def self.pkg_config_libdir
      cmd = [ENV.fetch('PKG_CONFIG', 'pkg-config'), '--variable=libdir', 'libcs']
      dir = IO.popen(cmd, err: File::NULL, &:read).to_s.strip
      $?.success? && !dir.empty? ? dir : nil
    rescue SystemCallError
      nil # no pkg-config: go on to the system loader
    end
    private_class_method :pkg_config_libdir

    tried = []
    candidates.each do |path, source|
      ffi_lib path
      @library_path = path
      @library_source = source
      break
    rescue LoadError => e
      tried << "  #{path} (#{source}): #{e.message}"
    end
    unless @library_path
      raise LoadError, "libcs: cannot load the libcs shared library; tried\n" \
                       "#{tried.join("\n")}\n" \
                       'Set LIBCS_LIBRARY to the path of libcs.so.0 ' \
                       '(e.g. $builddir/lib/.libs/libcs.so.0).'
    end

    BOUND = []
    private_constant :BOUND

    # attach_function, recording the C name for Libcs::FFI_FUNCTIONS.
    # Batch functions that take no handle get blocking: true, which releases
    # the GVL while they run: they read and write only memory that the
    # calling method allocated and keeps alive, so other threads (and the
    # garbage collector) cannot disturb it.
    #
    # A library without the function is refused with a LoadError that says
    # so (not FFI's NotFoundError): LIBCS_LIBRARY naming another library
    # (say libm) is "not a libcs library", a libcs lacking a function of
    # this version is not the libcs the binding was written for.
    def self.bind(name, args, ret, blocking: false)
      attach_function name, args, ret, blocking: blocking
      BOUND << name.to_s
    rescue FFI::NotFoundError
      where = "#{library_path} (#{library_source})"
      msg = if name == :libcs_version_number
              "libcs: #{where} is not a libcs library (it has no #{name})"
            else
              "libcs: #{where} lacks #{name}; it is not the libcs #{VERSION} this binding was written for"
            end
      raise LoadError, msg, cause: nil # FFI's own error says less
    end
    private_class_method :bind

    # ---- version: checked before anything else is attached ---------------
    bind :libcs_version_number, [], :int
    bind :libcs_version_string, [], :string
    if libcs_version_number < MIN_LIBRARY_VERSION
      raise LoadError, "libcs: #{library_path} (#{library_source}) is libcs " \
                       "#{libcs_version_string}; the Ruby binding #{VERSION} " \
                       "needs libcs #{MIN_LIBRARY_VERSION / 1_000_000}." \
                       "#{MIN_LIBRARY_VERSION / 1000 % 1000}.#{MIN_LIBRARY_VERSION % 1000} " \
                       'or newer (libcs_version_number() ' \
                       ">= #{MIN_LIBRARY_VERSION}, this one says " \
                       "#{libcs_version_number})"
    end
    bind :libcs_strerror, [:int], :string

    # ---- structs (fixed layout, part of the ABI) -------------------------
    # struct libcs_nps_tally
    class NpsTallyStruct < FFI::Struct
      layout :counts, [:uint64, 11]
    end

    # struct libcs_churn_tally
    class ChurnTallyStruct < FFI::Struct
      layout :at_start, :int64,
             :new_customers, :int64,
             :churned, :int64
    end

    # struct libcs_nps_result
    class NpsResultStruct < FFI::Struct
      layout :n, :uint64,
             :promoters, :uint64,
             :passives, :uint64,
             :detractors, :uint64,
             :promoter_share, :double,
             :passive_share, :double,
             :detractor_share, :double,
             :nps, :double,
             :se, :double,
             :level, :double,
             :wald_low, :double,
             :wald_high, :double,
             :adjusted_nps, :double,
             :adjusted_low, :double,
             :adjusted_high, :double
    end

    # struct libcs_touch_summary
    class TouchSummaryStruct < FFI::Struct
      layout :customers, [:uint64, 3],
             :value, [:double, 3],
             :customer_share, [:double, 3],
             :value_share, [:double, 3]
    end

    # struct libcs_mrr_period: one period's MRR movements and customer counts
    class MrrPeriodStruct < FFI::Struct
      layout :period, :int32,
             :reserved, :int32,
             :mrr_start, :int64,
             :new_mrr, :int64,
             :expansion, :int64,
             :contraction, :int64,
             :churned, :int64,
             :reactivation, :int64,
             :mrr_end, :int64,
             :customers_start, :int64,
             :customers_new, :int64,
             :customers_churned, :int64,
             :customers_reactivated, :int64,
             :customers_end, :int64
    end

    # struct libcs_mrr_rates: rate[k] and status[k], k a LIBCS_RATE_* index
    class MrrRatesStruct < FFI::Struct
      layout :rate, [:double, 8],
             :status, [:int32, 8]
    end

    # struct libcs_clv_fit: a maximum-likelihood fit of a CLV model
    class ClvFitStruct < FFI::Struct
      layout :params, [:double, 4],
             :se, [:double, 4],
             :loglik, :double,
             :n_params, :int32,
             :iterations, :int32,
             :converged, :int32,
             :se_status, :int32
    end

    NPS_TALLY_SERIALIZED_SIZE = 96 # LIBCS_NPS_TALLY_SERIALIZED_SIZE
    CHURN_TALLY_SERIALIZED_SIZE = 32 # LIBCS_CHURN_TALLY_SERIALIZED_SIZE
    MRR_ANY_GAP = -1 # LIBCS_MRR_ANY_GAP

    P = :pointer
    S = :size_t
    D = :double
    I64 = :int64

    # ---- LTV -------------------------------------------------------------
    bind :libcs_ltv_simple, [D, D, P], :int
    bind :libcs_ltv_simple_batch, [S, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_repeat, [D, D, D, P], :int
    bind :libcs_ltv_repeat_batch, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_subscription, [D, D, D, P], :int
    bind :libcs_ltv_subscription_batch, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_contract, [D, D, D, P], :int
    bind :libcs_ltv_contract_batch, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_net, [D, D, D, D, D, D, P], :int
    bind :libcs_ltv_net_batch, [S, P, P, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_discounted, [D, D, D, D, P], :int
    bind :libcs_ltv_discounted_batch, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_discounted_horizon, [D, D, D, D, :uint32, P], :int
    bind :libcs_ltv_discounted_horizon_batch, [S, P, P, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_ltv_lifetime, [D, P], :int
    bind :libcs_ltv_lifetime_batch, [S, P, P, P], :int, blocking: true
    bind :libcs_ltv_cac_ratio, [D, D, P], :int
    bind :libcs_ltv_cac_ratio_batch, [S, P, P, P, P], :int, blocking: true
    bind :libcs_ltv_cac_payback, [D, D, D, P], :int
    bind :libcs_ltv_cac_payback_batch, [S, P, P, P, P, P], :int, blocking: true

    # ---- customer churn and retention ------------------------------------
    bind :libcs_churn_customer, [I64, I64, I64, :int, P], :int
    bind :libcs_churn_customer_batch, [S, P, P, P, :int, P, P], :int,
         blocking: true
    bind :libcs_churn_tally_init, [P], :int
    bind :libcs_churn_tally_add, [P, I64, I64, I64], :int
    bind :libcs_churn_tally_add_batch, [P, S, P, P, P, P], :int
    bind :libcs_churn_tally_merge, [P, P], :int
    bind :libcs_churn_tally_result, [P, :int, P], :int
    bind :libcs_churn_tally_serialize, [P, P, S, P], :int
    bind :libcs_churn_tally_deserialize, [P, P, S], :int
    bind :libcs_churn_retention, [D, P], :int
    bind :libcs_churn_retention_batch, [S, P, P, P], :int, blocking: true
    bind :libcs_churn_convert, [D, D, P], :int
    bind :libcs_churn_convert_batch, [S, P, P, P, P], :int, blocking: true

    # ---- revenue churn and retention -------------------------------------
    bind :libcs_revenue_churn_gross, [I64, I64, I64, P], :int
    bind :libcs_revenue_churn_gross_batch, [S, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_revenue_churn_net, [I64, I64, I64, I64, I64, P], :int
    bind :libcs_revenue_churn_net_batch, [S, P, P, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_revenue_churn_simple, [I64, I64, I64, P], :int
    bind :libcs_revenue_churn_simple_batch, [S, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_revenue_nrr, [I64, I64, I64, I64, I64, P], :int
    bind :libcs_revenue_nrr_batch, [S, P, P, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_revenue_grr, [I64, I64, I64, P], :int
    bind :libcs_revenue_grr_batch, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_revenue_quick_ratio, [I64, I64, I64, I64, I64, P], :int
    bind :libcs_revenue_quick_ratio_batch, [S, P, P, P, P, P, P, P], :int,
         blocking: true

    # ---- NPS (the tally is caller-owned memory: calls on it hold the GVL,
    # so that two threads never update one tally at once) -----------------
    bind :libcs_nps_category, [:int, P], :int
    bind :libcs_nps_tally_init, [P], :int
    bind :libcs_nps_tally_add, [P, :int], :int
    bind :libcs_nps_tally_add_batch, [P, S, P, P], :int
    bind :libcs_nps_tally_merge, [P, P], :int
    bind :libcs_nps_tally_result, [P, D, P], :int
    bind :libcs_nps_tally_serialize, [P, P, S, P], :int
    bind :libcs_nps_tally_deserialize, [P, P, S], :int
    bind :libcs_nps_from_scores, [S, P, D, P, P], :int, blocking: true
    bind :libcs_nps_from_counts, [:uint64, :uint64, :uint64, D, P], :int

    # ---- CSAT and CES ----------------------------------------------------
    bind :libcs_csat, [S, P, :int, :int, P, P], :int, blocking: true
    bind :libcs_ces, [S, P, :int, :int, P, P, P], :int, blocking: true

    # ---- health models (handles: calls hold the GVL, so that no thread can
    # free a model while another scores with it) ---------------------------
    bind :libcs_health_model_new, [P], :int
    bind :libcs_health_model_free, [P], :void
    bind :libcs_health_model_add_linear, [P, :string, D, D, D], :int
    bind :libcs_health_model_add_tiers, [P, :string, D, S, P, P], :int
    bind :libcs_health_model_add_yesno, [P, :string, D, D, D], :int
    bind :libcs_health_model_set_missing, [P, :int, D], :int
    bind :libcs_health_model_set_aggregation, [P, :int], :int
    bind :libcs_health_model_set_bands, [P, D, D], :int
    bind :libcs_health_model_measures, [P, P], :int
    bind :libcs_health_model_measure_name, [P, S, P, S, P], :int
    bind :libcs_health_model_weight, [P, S, P], :int
    bind :libcs_health_band, [P, D, P], :int
    bind :libcs_health_score, [P, P, P, P, P], :int
    bind :libcs_health_score_batch, [P, S, P, P, P, P, P], :int
    bind :libcs_health_explain, [P, P, P, P, P, P], :int
    bind :libcs_health_changes, [P, S, P, P, P, P, P, P], :int
    bind :libcs_health_model_format, [P, P, S, P], :int
    bind :libcs_health_model_parse, [P, S, P, P, P], :int

    # ---- touch model -----------------------------------------------------
    bind :libcs_touch_thresholds, [S, P, D, D, P, P, P], :int, blocking: true
    bind :libcs_touch_shares, [S, P, P, D, D, P, P, P], :int, blocking: true
    bind :libcs_touch_capacity, [S, P, P, :uint64, :uint64, :uint64, P, P, P],
         :int, blocking: true
    bind :libcs_touch_summarize, [S, P, P, P, P], :int, blocking: true

    # ---- lifecycle stages (a handle, as above) ---------------------------
    bind :libcs_lifecycle_policy_new, [P], :int
    bind :libcs_lifecycle_policy_free, [P], :void
    bind :libcs_lifecycle_policy_set_windows, [P, D, D, D], :int
    bind :libcs_lifecycle_policy_set_order, [P, S, P], :int
    bind :libcs_lifecycle_stage, [P, D, D, :int, :int, P], :int
    bind :libcs_lifecycle_stage_batch, [P, S, P, P, P, P, P, P], :int

    # ---- MRR ledger (a handle, as above; deserialize and rates_batch take
    # none and read only the calling method's buffers) ----------------------
    I32 = :int32
    bind :libcs_mrr_new, [I32, I32, P], :int
    bind :libcs_mrr_free, [P], :void
    bind :libcs_mrr_set_reactivation_window, [P, I32], :int
    bind :libcs_mrr_add, [P, S, P, P, P, P], :int
    bind :libcs_mrr_merge, [P, P], :int
    bind :libcs_mrr_records, [P, P], :int
    bind :libcs_mrr_serialize, [P, P, S, P], :int
    bind :libcs_mrr_deserialize, [P, S, P], :int, blocking: true
    bind :libcs_mrr_movements, [P, P, S, P, P, P], :int
    bind :libcs_mrr_cohorts, [P, S, P, P, P, P, P, P, P], :int
    bind :libcs_mrr_capped_grr, [P, I32, P], :int
    bind :libcs_mrr_capped_grr_since, [P, I32, I32, P, P, P], :int
    bind :libcs_mrr_capped_grr_series, [P, I32, P, S, P, P, P], :int
    bind :libcs_mrr_rates_batch, [S, P, :int, P], :int, blocking: true

    # ---- Kaplan-Meier curves (fitting takes no handle; a fitted curve is a
    # handle, as above) ------------------------------------------------------
    bind :libcs_km_fit, [S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_km_fit_int, [S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_km_free, [P], :void
    bind :libcs_km_size, [P, P], :int
    bind :libcs_km_curve, [P, S, P, P, P, P, P, P, P, P, P], :int
    bind :libcs_km_survival_at, [P, D, P], :int
    bind :libcs_km_quantile, [P, D, P], :int
    bind :libcs_km_median, [P, P], :int
    bind :libcs_km_rmst, [P, D, P], :int
    bind :libcs_km_ltv, [P, D, D, P], :int

    # ---- probabilistic CLV models (no handles: the parameters travel as an
    # array of doubles that the calling method packs for the call; the fits,
    # likelihoods, batches, simulators and data preparation release the
    # GVL) ------------------------------------------------------------------
    U32 = :uint32
    bind :libcs_clv_summarize, [S, P, P, P, D, D, D, D, S, P, P, P, P, P, P, P, P, P], :int,
         blocking: true
    bind :libcs_clv_compress, [S, P, P, P, P, S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_loglik, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_fit, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_expected, [P, D, P], :int
    bind :libcs_bgnbd_expected_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_pmf, [P, D, U32, P], :int
    bind :libcs_bgnbd_pmf_batch, [P, S, P, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_conditional, [P, D, D, D, D, P], :int
    bind :libcs_bgnbd_conditional_batch, [P, S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_bgnbd_palive, [P, D, D, D, P], :int
    bind :libcs_bgnbd_palive_batch, [P, S, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgnbd_clv, [P, D, D, D, D, D, U32, D, P], :int
    bind :libcs_bgnbd_clv_batch, [P, S, P, P, P, P, D, U32, D, P, P], :int, blocking: true
    bind :libcs_bgnbd_simulate, [P, S, P, :uint64, P, P], :int, blocking: true
    bind :libcs_gg_loglik, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_gg_fit, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_gg_expected, [P, D, D, P], :int
    bind :libcs_gg_expected_batch, [P, S, P, P, P, P], :int, blocking: true
    bind :libcs_gg_simulate, [P, S, P, :uint64, P], :int, blocking: true
    bind :libcs_pnbd_loglik, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_pnbd_fit, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_pnbd_expected, [P, D, P], :int
    bind :libcs_pnbd_expected_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_pnbd_pmf, [P, D, U32, P], :int
    bind :libcs_pnbd_pmf_batch, [P, S, P, P, P, P], :int, blocking: true
    bind :libcs_pnbd_conditional, [P, D, D, D, D, P], :int
    bind :libcs_pnbd_conditional_batch, [P, S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_pnbd_palive, [P, D, D, D, P], :int
    bind :libcs_pnbd_palive_batch, [P, S, P, P, P, P, P], :int, blocking: true
    bind :libcs_pnbd_clv, [P, D, D, D, D, D, U32, D, P], :int
    bind :libcs_pnbd_clv_batch, [P, S, P, P, P, P, D, U32, D, P, P], :int, blocking: true
    bind :libcs_pnbd_simulate, [P, S, P, :uint64, P, P], :int, blocking: true
    bind :libcs_bgbb_loglik, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgbb_fit, [S, P, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgbb_expected, [P, D, P], :int
    bind :libcs_bgbb_expected_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_bgbb_pmf, [P, D, U32, P], :int
    bind :libcs_bgbb_pmf_batch, [P, S, P, P, P, P], :int, blocking: true
    bind :libcs_bgbb_conditional, [P, D, D, D, D, P], :int
    bind :libcs_bgbb_conditional_batch, [P, S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_bgbb_palive, [P, D, D, D, P], :int
    bind :libcs_bgbb_palive_batch, [P, S, P, P, P, P, P], :int, blocking: true
    bind :libcs_bgbb_dert, [P, D, D, D, D, P], :int
    bind :libcs_bgbb_dert_batch, [P, S, P, P, P, D, P, P], :int, blocking: true
    bind :libcs_bgbb_simulate, [P, S, P, :uint64, P, P], :int, blocking: true
    # shifted-beta-geometric (active flags: uint8_t arrays); the discounted
    # lifetimes' continued fraction may take 10^7 steps: those release the
    # GVL too
    bind :libcs_sbg_loglik_survivors, [S, P, P, P], :int, blocking: true
    bind :libcs_sbg_fit_survivors, [S, P, P, P], :int, blocking: true
    bind :libcs_sbg_loglik_durations, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_sbg_fit_durations, [S, P, P, P, P, P], :int, blocking: true
    bind :libcs_sbg_retention, [P, D, P], :int
    bind :libcs_sbg_retention_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_sbg_survival, [P, D, P], :int
    bind :libcs_sbg_survival_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_sbg_project, [P, D, S, P], :int, blocking: true
    bind :libcs_sbg_del, [P, D, P], :int, blocking: true
    bind :libcs_sbg_del_batch, [P, S, P, P, P], :int, blocking: true
    bind :libcs_sbg_derl, [P, D, D, P], :int, blocking: true
    bind :libcs_sbg_derl_batch, [P, S, P, D, P, P], :int, blocking: true
    bind :libcs_sbg_simulate, [P, S, U32, :uint64, P, P], :int, blocking: true
  end

  # The C functions this binding attaches, by name: tests compare it with the
  # library's exported symbols (nm -D).
  FFI_FUNCTIONS = Native.const_get(:BOUND).sort.map(&:freeze).freeze
end
