# frozen_string_literal: true

# bindings/ruby/lib/libcs/ltv.rb - lifetime value (libcs_ltv_simple(3) and
# the pages it lists).  Each formula has a scalar form and a _batch form.
#
# Batch forms take the same keywords as Arrays of one length n and return an
# Array of n Floats, computed in one C call.  A keyword given as a single
# number stands for n copies of it (at least one must be an Array):
#
#   Libcs.ltv_subscription_batch(arpu: [100, 250], margin: 0.8, churn: [0.05, 0.02])
#   # => [1600.0, 10000.0]
module Libcs
  LTV_SIMPLE = Internal.metric(:libcs_ltv_simple,
                               [:avg_order_value, :double, :nonneg],
                               [:purchases, :double, :nonneg])
  LTV_REPEAT = Internal.metric(:libcs_ltv_repeat,
                               [:avg_order_value, :double, :nonneg],
                               [:purchases_per_period, :double, :nonneg],
                               [:lifetime_periods, :double, :nonneg])
  LTV_SUBSCRIPTION = Internal.metric(:libcs_ltv_subscription,
                                     [:arpu, :double, :nonneg],
                                     [:margin, :double, :fraction],
                                     [:churn, :double, :fraction, true])
  LTV_CONTRACT = Internal.metric(:libcs_ltv_contract,
                                 [:annual_revenue, :double, :nonneg],
                                 [:margin, :double, :fraction],
                                 [:years, :double, :nonneg])
  LTV_NET = Internal.metric(:libcs_ltv_net,
                            [:arpu, :double, :nonneg],
                            [:margin, :double, :fraction],
                            [:frequency, :double, :nonneg],
                            [:duration, :double, :nonneg],
                            [:acquisition_cost, :double, :nonneg],
                            [:retention_cost, :double, :nonneg])
  DIVERGES = { Status::EUNDEFINED => 'the sum diverges when retention >= 1 + discount' }.freeze
  LTV_DISCOUNTED = Internal.metric(:libcs_ltv_discounted,
                                   [:arpu, :double, :nonneg],
                                   [:margin, :double, :fraction],
                                   [:retention, :double, :fraction],
                                   [:discount, :double, :above_minus_one],
                                   hints: DIVERGES)
  LTV_DISCOUNTED_HORIZON = Internal.metric(:libcs_ltv_discounted_horizon,
                                           [:arpu, :double, :nonneg],
                                           [:margin, :double, :fraction],
                                           [:retention, :double, :fraction],
                                           [:discount, :double, :above_minus_one],
                                           [:periods, :uint32, :nonneg])
  LTV_LIFETIME = Internal.metric(:libcs_ltv_lifetime,
                                 [:churn, :double, :fraction, true])
  LTV_CAC_RATIO = Internal.metric(:libcs_ltv_cac_ratio,
                                  [:ltv, :double, :any],
                                  [:cac, :double, :nonneg, true])
  LTV_CAC_PAYBACK = Internal.metric(:libcs_ltv_cac_payback,
                                    [:cac, :double, :nonneg],
                                    [:arpu, :double, :nonneg, true],
                                    [:margin, :double, :fraction, true])
  private_constant :LTV_SIMPLE, :LTV_REPEAT, :LTV_SUBSCRIPTION, :LTV_CONTRACT,
                   :LTV_NET, :DIVERGES, :LTV_DISCOUNTED, :LTV_DISCOUNTED_HORIZON,
                   :LTV_LIFETIME, :LTV_CAC_RATIO, :LTV_CAC_PAYBACK

  module_function

  # Average order value x number of purchases.
  def ltv_simple(avg_order_value:, purchases:)
    Internal.scalar(LTV_SIMPLE, [avg_order_value, purchases])
  end

  def ltv_simple_batch(avg_order_value:, purchases:)
    Internal.batch(LTV_SIMPLE, [avg_order_value, purchases])
  end

  # Average order value x purchases per period x expected lifetime in periods.
  def ltv_repeat(avg_order_value:, purchases_per_period:, lifetime_periods:)
    Internal.scalar(LTV_REPEAT, [avg_order_value, purchases_per_period, lifetime_periods])
  end

  def ltv_repeat_batch(avg_order_value:, purchases_per_period:, lifetime_periods:)
    Internal.batch(LTV_REPEAT, [avg_order_value, purchases_per_period, lifetime_periods])
  end

  # ARPU per period x gross margin / churn rate per period:
  # ltv_subscription(arpu: 100.0, margin: 0.8, churn: 0.05) # => 1600.0
  def ltv_subscription(arpu:, margin:, churn:)
    Internal.scalar(LTV_SUBSCRIPTION, [arpu, margin, churn])
  end

  def ltv_subscription_batch(arpu:, margin:, churn:)
    Internal.batch(LTV_SUBSCRIPTION, [arpu, margin, churn])
  end

  # Annual revenue x margin x years.
  def ltv_contract(annual_revenue:, margin:, years:)
    Internal.scalar(LTV_CONTRACT, [annual_revenue, margin, years])
  end

  def ltv_contract_batch(annual_revenue:, margin:, years:)
    Internal.batch(LTV_CONTRACT, [annual_revenue, margin, years])
  end

  # ARPU x margin x frequency x duration - (acquisition + retention cost).
  def ltv_net(arpu:, margin:, frequency:, duration:, acquisition_cost:, retention_cost:)
    Internal.scalar(LTV_NET, [arpu, margin, frequency, duration, acquisition_cost, retention_cost])
  end

  def ltv_net_batch(arpu:, margin:, frequency:, duration:, acquisition_cost:, retention_cost:)
    Internal.batch(LTV_NET, [arpu, margin, frequency, duration, acquisition_cost, retention_cost])
  end

  # ARPU x margin x (1 + d) / (1 + d - r): a payment at the start of each
  # period, the first certain, retention r and discount rate d per period.
  def ltv_discounted(arpu:, margin:, retention:, discount:)
    Internal.scalar(LTV_DISCOUNTED, [arpu, margin, retention, discount])
  end

  def ltv_discounted_batch(arpu:, margin:, retention:, discount:)
    Internal.batch(LTV_DISCOUNTED, [arpu, margin, retention, discount])
  end

  # The discounted sum truncated to the first `periods` payments.
  def ltv_discounted_horizon(arpu:, margin:, retention:, discount:, periods:)
    Internal.scalar(LTV_DISCOUNTED_HORIZON, [arpu, margin, retention, discount, periods])
  end

  def ltv_discounted_horizon_batch(arpu:, margin:, retention:, discount:, periods:)
    Internal.batch(LTV_DISCOUNTED_HORIZON, [arpu, margin, retention, discount, periods])
  end

  # Expected lifetime in periods = 1 / churn.
  def ltv_lifetime(churn:)
    Internal.scalar(LTV_LIFETIME, [churn])
  end

  def ltv_lifetime_batch(churn:)
    Internal.batch(LTV_LIFETIME, [churn])
  end

  # LTV : CAC.
  def ltv_cac_ratio(ltv:, cac:)
    Internal.scalar(LTV_CAC_RATIO, [ltv, cac])
  end

  def ltv_cac_ratio_batch(ltv:, cac:)
    Internal.batch(LTV_CAC_RATIO, [ltv, cac])
  end

  # CAC payback in periods = CAC / (ARPU x margin).
  def ltv_cac_payback(cac:, arpu:, margin:)
    Internal.scalar(LTV_CAC_PAYBACK, [cac, arpu, margin])
  end

  def ltv_cac_payback_batch(cac:, arpu:, margin:)
    Internal.batch(LTV_CAC_PAYBACK, [cac, arpu, margin])
  end
end
