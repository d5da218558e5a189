# frozen_string_literal: true

# bindings/ruby/lib/libcs/revenue.rb - revenue churn, NRR, GRR and the quick
# ratio from MRR movement totals (libcs_revenue_churn_gross(3),
# libcs_revenue_nrr(3)).  Money is Integer minor units (cents), summed
# exactly by the library; results are Floats.  Batch forms as in ltv.rb.
module Libcs
  LOST_TOO_MUCH = 'churned + contraction exceeds mrr_start'
  REVENUE_CHURN_GROSS = Internal.metric(
    :libcs_revenue_churn_gross,
    [:mrr_start, :int64, :nonneg, true], [:churned, :int64, :nonneg],
    [:contraction, :int64, :nonneg],
    hints: { Status::EDOMAIN => LOST_TOO_MUCH }
  )
  REVENUE_CHURN_NET = Internal.metric(
    :libcs_revenue_churn_net,
    [:mrr_start, :int64, :nonneg, true], [:churned, :int64, :nonneg],
    [:contraction, :int64, :nonneg], [:expansion, :int64, :nonneg],
    [:reactivation, :int64, :nonneg],
    hints: { Status::EDOMAIN => LOST_TOO_MUCH }
  )
  REVENUE_CHURN_SIMPLE = Internal.metric(
    :libcs_revenue_churn_simple,
    [:price, :int64, :nonneg], [:cancellations, :int64, :nonneg],
    [:total_revenue, :int64, :nonneg, true],
    hints: { Status::EOVERFLOW => 'price x cancellations needs more than 64 bits' }
  )
  REVENUE_NRR = Internal.metric(
    :libcs_revenue_nrr,
    [:mrr_start, :int64, :nonneg, true], [:churned, :int64, :nonneg],
    [:contraction, :int64, :nonneg], [:expansion, :int64, :nonneg],
    [:reactivation, :int64, :nonneg],
    hints: { Status::EDOMAIN => LOST_TOO_MUCH,
             Status::EOVERFLOW => 'the MRR kept needs more than 64 bits' }
  )
  REVENUE_GRR = Internal.metric(
    :libcs_revenue_grr,
    [:mrr_start, :int64, :nonneg, true], [:churned, :int64, :nonneg],
    [:contraction, :int64, :nonneg],
    hints: { Status::EDOMAIN => LOST_TOO_MUCH }
  )
  REVENUE_QUICK_RATIO = Internal.metric(
    :libcs_revenue_quick_ratio,
    [:new_mrr, :int64, :nonneg], [:expansion, :int64, :nonneg],
    [:reactivation, :int64, :nonneg], [:churned, :int64, :nonneg],
    [:contraction, :int64, :nonneg],
    hints: { Status::EUNDEFINED => 'churned + contraction is 0',
             Status::EOVERFLOW => 'new_mrr + expansion + reactivation needs more than 64 bits' }
  )
  private_constant :LOST_TOO_MUCH, :REVENUE_CHURN_GROSS, :REVENUE_CHURN_NET,
                   :REVENUE_CHURN_SIMPLE, :REVENUE_NRR, :REVENUE_GRR,
                   :REVENUE_QUICK_RATIO

  module_function

  # (churned + contraction) / MRR at start.
  def revenue_churn_gross(mrr_start:, churned:, contraction:)
    Internal.scalar(REVENUE_CHURN_GROSS, [mrr_start, churned, contraction])
  end

  def revenue_churn_gross_batch(mrr_start:, churned:, contraction:)
    Internal.batch(REVENUE_CHURN_GROSS, [mrr_start, churned, contraction])
  end

  # (churned + contraction - expansion - reactivation) / MRR at start.
  def revenue_churn_net(mrr_start:, churned:, contraction:, expansion:, reactivation:)
    Internal.scalar(REVENUE_CHURN_NET, [mrr_start, churned, contraction, expansion, reactivation])
  end

  def revenue_churn_net_batch(mrr_start:, churned:, contraction:, expansion:, reactivation:)
    Internal.batch(REVENUE_CHURN_NET, [mrr_start, churned, contraction, expansion, reactivation])
  end

  # (price x cancellations) / total revenue.
  def revenue_churn_simple(price:, cancellations:, total_revenue:)
    Internal.scalar(REVENUE_CHURN_SIMPLE, [price, cancellations, total_revenue])
  end

  def revenue_churn_simple_batch(price:, cancellations:, total_revenue:)
    Internal.batch(REVENUE_CHURN_SIMPLE, [price, cancellations, total_revenue])
  end

  # Net revenue retention = 1 - net revenue churn (pass reactivation: 0 to
  # leave reactivations out).
  def revenue_nrr(mrr_start:, churned:, contraction:, expansion:, reactivation:)
    Internal.scalar(REVENUE_NRR, [mrr_start, churned, contraction, expansion, reactivation])
  end

  def revenue_nrr_batch(mrr_start:, churned:, contraction:, expansion:, reactivation:)
    Internal.batch(REVENUE_NRR, [mrr_start, churned, contraction, expansion, reactivation])
  end

  # Gross revenue retention = 1 - gross revenue churn, in [0, 1].
  def revenue_grr(mrr_start:, churned:, contraction:)
    Internal.scalar(REVENUE_GRR, [mrr_start, churned, contraction])
  end

  def revenue_grr_batch(mrr_start:, churned:, contraction:)
    Internal.batch(REVENUE_GRR, [mrr_start, churned, contraction])
  end

  # (new + expansion + reactivation) / (churned + contraction).
  def revenue_quick_ratio(new_mrr:, expansion:, reactivation:, churned:, contraction:)
    Internal.scalar(REVENUE_QUICK_RATIO, [new_mrr, expansion, reactivation, churned, contraction])
  end

  def revenue_quick_ratio_batch(new_mrr:, expansion:, reactivation:, churned:, contraction:)
    Internal.batch(REVENUE_QUICK_RATIO, [new_mrr, expansion, reactivation, churned, contraction])
  end
end
