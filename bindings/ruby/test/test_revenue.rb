# frozen_string_literal: true

# bindings/ruby/test/test_revenue.rb - revenue churn, NRR, GRR and the quick
# ratio in integer minor units (examples/churn.c's July).
require_relative 'test_helper'

class TestRevenue < Minitest::Test
  JULY = { mrr_start: 1_000_000, churned: 40_000, contraction: 15_000 }.freeze
  GAINED = { expansion: 45_000, reactivation: 5_000 }.freeze

  def test_worked_example
    assert_close 0.055, Libcs.revenue_churn_gross(**JULY)
    assert_close 0.005, Libcs.revenue_churn_net(**JULY, **GAINED)
    assert_close 0.995, Libcs.revenue_nrr(**JULY, **GAINED)
    assert_close 0.945, Libcs.revenue_grr(**JULY)
    # (80,000 + 45,000 + 5,000) / (40,000 + 15,000)
    assert_close 130.0 / 55, Libcs.revenue_quick_ratio(new_mrr: 80_000, **GAINED, churned: 40_000,
                                                       contraction: 15_000)
    # 10 cancellations at 49.00 of 9,800.00 revenue
    assert_close 0.05, Libcs.revenue_churn_simple(price: 4900, cancellations: 10, total_revenue: 980_000)
    # expansion beyond the losses: negative net churn, NRR above 1
    assert_close(-0.1, Libcs.revenue_churn_net(mrr_start: 1000, churned: 0, contraction: 0, expansion: 100,
                                               reactivation: 0))
  end

  def test_exact_sums_of_huge_amounts
    # 2^62 + (2^62 - 1) = 2^63 - 1 overflows no int64 in the library: all lost
    assert_equal 1.0, Libcs.revenue_churn_gross(mrr_start: 2**63 - 1, churned: 2**62, contraction: 2**62 - 1)
    assert_equal 0.0, Libcs.revenue_grr(mrr_start: 2**63 - 1, churned: 2**62, contraction: 2**62 - 1)
  end

  CASES = {
    revenue_churn_gross: { mrr_start: [1000, 500, 7], churned: [100, 0, 7], contraction: [50, 10, 0] },
    revenue_churn_net: { mrr_start: [1000, 500, 7], churned: [100, 0, 7], contraction: [50, 10, 0],
                         expansion: [20, 600, 0], reactivation: [5, 0, 1] },
    revenue_churn_simple: { price: [4900, 100, 0], cancellations: [10, 3, 5], total_revenue: [980_000, 1, 9] },
    revenue_nrr: { mrr_start: [1000, 500, 7], churned: [100, 0, 7], contraction: [50, 10, 0],
                   expansion: [20, 600, 0], reactivation: [5, 0, 1] },
    revenue_grr: { mrr_start: [1000, 500, 7], churned: [100, 0, 7], contraction: [50, 10, 0] },
    revenue_quick_ratio: { new_mrr: [80, 0, 5], expansion: [45, 1, 0], reactivation: [5, 0, 0],
                           churned: [40, 1, 0], contraction: [15, 0, 2] }
  }.freeze

  def test_batch_equals_loop_of_singles
    CASES.each do |name, args|
      got = Libcs.public_send(:"#{name}_batch", **args)
      want = (0...3).map { |i| Libcs.public_send(name, **args.transform_values { |v| v[i] }) }
      assert_equal want, got, name
      assert_libcs_error(Libcs::EmptyInputError, function: :"libcs_#{name}_batch") do
        Libcs.public_send(:"#{name}_batch", **args.transform_values { [] })
      end
      bad = args.to_h { |k, v| [k, v + [-1]] }
      assert_libcs_error(Libcs::DomainError, index: 3, argument: "#{args.keys.first}[3]") do
        Libcs.public_send(:"#{name}_batch", **bad)
      end
    end
  end

  def test_errors
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_revenue_churn_gross, argument: nil) do
      Libcs.revenue_churn_gross(mrr_start: 100, churned: 80, contraction: 30)
    end
    assert_match(/churned \+ contraction exceeds mrr_start/, e.message)
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'mrr_start') do
      Libcs.revenue_grr(mrr_start: 0, churned: 0, contraction: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'expansion') do
      Libcs.revenue_nrr(mrr_start: 10, churned: 0, contraction: 0, expansion: -1, reactivation: 0)
    end
    assert_libcs_error(Libcs::OverflowError, argument: nil, message: /needs more than 64 bits/) do
      Libcs.revenue_nrr(mrr_start: 2**63 - 1, churned: 0, contraction: 0, expansion: 2**63 - 1,
                        reactivation: 2**63 - 1)
    end
    assert_libcs_error(Libcs::OverflowError, index: 1) do
      Libcs.revenue_churn_simple_batch(price: [1, 2**62], cancellations: [1, 4], total_revenue: 10)
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'total_revenue') do
      Libcs.revenue_churn_simple(price: 1, cancellations: 1, total_revenue: 0)
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: nil, message: /churned \+ contraction is 0/) do
      Libcs.revenue_quick_ratio(new_mrr: 1, expansion: 0, reactivation: 0, churned: 0, contraction: 0)
    end
    assert_libcs_error(Libcs::OverflowError, index: 0) do
      Libcs.revenue_quick_ratio_batch(new_mrr: [2**63 - 1], expansion: 2**63 - 1, reactivation: 2**63 - 1,
                                      churned: 1, contraction: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'churned[1]', index: 1) do
      Libcs.revenue_churn_net_batch(mrr_start: 100, churned: [1, -1], contraction: 0, expansion: 0,
                                    reactivation: 0)
    end
    assert_raises(TypeError) { Libcs.revenue_grr(mrr_start: 100.0, churned: 0, contraction: 0) }
    assert_raises(TypeError) { Libcs.revenue_grr(mrr_start: '100', churned: 0, contraction: 0) }
    assert_raises(TypeError) { Libcs.revenue_grr_batch(mrr_start: [100, nil], churned: 0, contraction: 0) }
    assert_raises(Libcs::OutOfRangeError) { Libcs.revenue_grr(mrr_start: -2**63 - 1, churned: 0, contraction: 0) }
    assert_raises(ArgumentError) { Libcs.revenue_grr_batch(mrr_start: [1, 2], churned: [0], contraction: 0) }
  end
end
