# frozen_string_literal: true

# bindings/ruby/lib/libcs/churn.rb - customer churn with an explicit
# denominator, retention, and conversion between period lengths
# (libcs_churn_customer(3), libcs_churn_retention(3)).  Batch forms as in
# ltv.rb: Arrays of one length, or single values standing for every element.
module Libcs
  CHURN_CUSTOMER = Internal.metric(
    :libcs_churn_customer,
    [:at_start, :int64, :nonneg], [:new_customers, :int64, :nonneg],
    [:churned, :int64, :nonneg], [:denominator, :denominator, :any],
    hints: { Status::EDOMAIN => 'churned exceeds at_start + new_customers',
             Status::EUNDEFINED => 'the chosen denominator is 0' }
  )
  CHURN_RETENTION = Internal.metric(:libcs_churn_retention, [:churn, :double, :fraction])
  CHURN_CONVERT = Internal.metric(:libcs_churn_convert,
                                  [:churn, :double, :fraction], [:periods, :double, :positive])
  private_constant :CHURN_CUSTOMER, :CHURN_RETENTION, :CHURN_CONVERT

  module_function

  # Customers lost / a denominator: :start (customers at the start),
  # :start_plus_new (start + new in the period) or :average ((start + end) /
  # 2), or the Libcs::Denominator constants.  Vendors differ (see
  # libcs_churn_customer(3)), so there is no default.  Counts are Integers.
  def churn_customer(at_start:, new_customers:, churned:, denominator:)
    Internal.scalar(CHURN_CUSTOMER, [at_start, new_customers, churned, denominator])
  end

  # The denominator is one option for the whole batch.
  def churn_customer_batch(at_start:, new_customers:, churned:, denominator:)
    Internal.batch(CHURN_CUSTOMER, [at_start, new_customers, churned, denominator])
  end

  # Retention = 1 - churn.
  def churn_retention(churn:)
    Internal.scalar(CHURN_RETENTION, [churn])
  end

  def churn_retention_batch(churn:)
    Internal.batch(CHURN_RETENTION, [churn])
  end

  # Churn over `periods` periods: 1 - (1 - churn)**periods (12: monthly to
  # annual; 1.0 / 12: annual to monthly).
  def churn_convert(churn:, periods:)
    Internal.scalar(CHURN_CONVERT, [churn, periods])
  end

  def churn_convert_batch(churn:, periods:)
    Internal.batch(CHURN_CONVERT, [churn, periods])
  end
end
