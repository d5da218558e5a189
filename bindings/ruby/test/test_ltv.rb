# frozen_string_literal: true

# bindings/ruby/test/test_ltv.rb - the LTV functions: worked examples (the
# numbers of examples/ltv.c, checkable by hand), batch = loop of singles,
# broadcasting, and every error path with its argument and index.
require_relative 'test_helper'

class TestLtv < Minitest::Test
  # A plan at 100 a month, 80 % margin, 5 % monthly churn (examples/ltv.c).
  def test_worked_examples
    assert_equal 1600.0, Libcs.ltv_subscription(arpu: 100.0, margin: 0.8, churn: 0.05)
    assert_close 20.0, Libcs.ltv_lifetime(churn: 0.05)
    # 80 x 1.01 / (1 - 0.95 + 0.01)
    assert_close 80 * 1.01 / 0.06, Libcs.ltv_discounted(arpu: 100, margin: 0.8, retention: 0.95, discount: 0.01)
    # the first 36 payments of the same sum: 80 (1 - q^36) / (1 - q), q = 0.95 / 1.01
    q = 0.95 / 1.01
    assert_close 80 * (1 - q**36) / (1 - q),
                 Libcs.ltv_discounted_horizon(arpu: 100, margin: 0.8, retention: 0.95, discount: 0.01, periods: 36),
                 1e-12
    assert_close 1130.0, Libcs.ltv_net(arpu: 100, margin: 0.8, frequency: 1, duration: 20,
                                       acquisition_cost: 450, retention_cost: 20)
    assert_close 1600.0 / 450, Libcs.ltv_cac_ratio(ltv: 1600, cac: 450)
    assert_close 5.625, Libcs.ltv_cac_payback(cac: 450, arpu: 100, margin: 0.8)
    assert_close 28_800.0, Libcs.ltv_contract(annual_revenue: 12_000, margin: 0.8, years: 3)
    assert_close 420.0, Libcs.ltv_repeat(avg_order_value: 35, purchases_per_period: 4, lifetime_periods: 3)
    assert_equal 200.0, Libcs.ltv_simple(avg_order_value: 50, purchases: 4)
    # a negative LTV is a valid input to the ratio
    assert_close(-2.0, Libcs.ltv_cac_ratio(ltv: -900, cac: 450))
    assert_equal 0.0, Libcs.ltv_discounted_horizon(arpu: 100, margin: 0.8, retention: 0.95, discount: 0.01,
                                                   periods: 0)
  end

  def test_accepts_any_real_numeric
    assert_close 1600.0, Libcs.ltv_subscription(arpu: 100, margin: Rational(4, 5), churn: 0.05)
    assert_kind_of Float, Libcs.ltv_simple(avg_order_value: 2, purchases: 3)
  end

  # Each batch function equals its scalar twin element by element.
  BATCHES = {
    ltv_simple: { avg_order_value: [35.0, 60, 0], purchases: [4, 2.5, 7] },
    ltv_repeat: { avg_order_value: [35.0, 60, 120], purchases_per_period: [4, 2.5, 1.2],
                  lifetime_periods: [3, 2, 5] },
    ltv_subscription: { arpu: [100, 250, 40], margin: [0.8, 0.7, 1], churn: [0.05, 0.02, 1] },
    ltv_contract: { annual_revenue: [12_000, 5000, 0], margin: [0.8, 0.5, 0.9], years: [3, 1.5, 2] },
    ltv_net: { arpu: [100, 50, 10], margin: [0.8, 0.6, 0.5], frequency: [1, 2, 1], duration: [20, 10, 1],
               acquisition_cost: [450, 100, 20], retention_cost: [20, 0, 5] },
    ltv_discounted: { arpu: [100, 50, 10], margin: [0.8, 0.6, 0.5], retention: [0.95, 0.5, 0],
                      discount: [0.01, 0, -0.5] },
    ltv_discounted_horizon: { arpu: [100, 50, 10], margin: [0.8, 0.6, 0.5], retention: [0.95, 1, 0],
                              discount: [0.01, 0, 0.1], periods: [36, 12, 5] },
    ltv_lifetime: { churn: [0.05, 0.5, 1] },
    ltv_cac_ratio: { ltv: [1600, -50, 0], cac: [450, 10, 1] },
    ltv_cac_payback: { cac: [450, 0, 10], arpu: [100, 5, 1], margin: [0.8, 0.5, 1] }
  }.freeze

  def test_batch_equals_loop_of_singles
    BATCHES.each do |name, args|
      got = Libcs.public_send(:"#{name}_batch", **args)
      assert_equal 3, got.size, name
      want = (0...3).map { |i| Libcs.public_send(name, **args.transform_values { |v| v[i] }) }
      assert_equal want, got, name
    end
  end

  def test_batch_broadcasts_scalars
    got = Libcs.ltv_subscription_batch(arpu: [100, 250], margin: 0.8, churn: [0.05, 0.02])
    assert_equal [1600.0, 10_000.0], got
    assert_equal [20.0], Libcs.ltv_lifetime_batch(churn: [0.05])
    assert_equal [0.0, 0.0], Libcs.ltv_discounted_horizon_batch(arpu: 1, margin: 1, retention: 0.5,
                                                                discount: 0, periods: [0, 0])
    e = assert_raises(ArgumentError) { Libcs.ltv_subscription_batch(arpu: 100, margin: 0.8, churn: 0.05) }
    assert_match(/at least one of arpu, margin, churn must be an Array/, e.message)
  end

  def test_batch_length_mismatch
    e = assert_raises(ArgumentError) do
      Libcs.ltv_subscription_batch(arpu: [100, 200, 300], margin: [0.8, 0.8], churn: 0.05)
    end
    assert_match(/arpu has 3 elements but margin has 2/, e.message)
  end

  def test_wrong_types
    e = assert_raises(TypeError) { Libcs.ltv_subscription(arpu: '100', margin: 0.8, churn: 0.05) }
    assert_match(/arpu must be Numeric, got String "100"/, e.message)
    assert_raises(TypeError) { Libcs.ltv_subscription(arpu: nil, margin: 0.8, churn: 0.05) }
    assert_raises(TypeError) { Libcs.ltv_subscription(arpu: true, margin: 0.8, churn: 0.05) }
    assert_raises(TypeError) { Libcs.ltv_subscription(arpu: Complex(1, 2), margin: 0.8, churn: 0.05) }
    e = assert_raises(TypeError) { Libcs.ltv_subscription_batch(arpu: [1, 'x'], margin: 0.8, churn: 0.05) }
    assert_match(/arpu\[1\] must be Numeric/, e.message)
    e = assert_raises(TypeError) { Libcs.ltv_lifetime_batch(churn: [0.05, nil]) }
    assert_match(/churn\[1\]/, e.message)
    assert_raises(TypeError) { Libcs.ltv_lifetime_batch(churn: '0.05') }
    assert_raises(TypeError) { Libcs.ltv_lifetime_batch(churn: { a: 1 }) }
    # periods is a uint32_t: an Integer, never a truncated Float
    e = assert_raises(TypeError) do
      Libcs.ltv_discounted_horizon(arpu: 1, margin: 1, retention: 0.5, discount: 0, periods: 1.5)
    end
    assert_match(/periods must be an Integer/, e.message)
    assert_raises(Libcs::OutOfRangeError) do
      Libcs.ltv_discounted_horizon(arpu: 1, margin: 1, retention: 0.5, discount: 0, periods: -1)
    end
    assert_raises(Libcs::OutOfRangeError) do
      Libcs.ltv_discounted_horizon_batch(arpu: 1, margin: 1, retention: 0.5, discount: 0, periods: [2**32])
    end
    assert_raises(ArgumentError) { Libcs.ltv_subscription(arpu: 1, margin: 1) }
    assert_raises(ArgumentError) { Libcs.ltv_subscription(arpu: 1, margin: 1, churn: 1, bogus: 2) }
  end

  def test_errors_name_the_argument
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_ltv_subscription, argument: 'churn',
                                                    index: nil, message: /churn = 0.0/) do
      Libcs.ltv_subscription(arpu: 100, margin: 0.8, churn: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'margin') do
      Libcs.ltv_subscription(arpu: 100, margin: 1.5, churn: 0.05)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'arpu') do
      Libcs.ltv_subscription(arpu: -1, margin: 0.5, churn: 0.05)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'churn') do
      Libcs.ltv_subscription(arpu: 100, margin: 0.8, churn: Float::NAN)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'arpu') do
      Libcs.ltv_subscription(arpu: Float::INFINITY, margin: 0.8, churn: 0.1)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'arpu') do
      Libcs.ltv_subscription(arpu: 10**400, margin: 0.8, churn: 0.1)
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_ltv_simple, argument: nil) do
      Libcs.ltv_simple(avg_order_value: 1e200, purchases: 1e200)
    end
    assert_libcs_error(Libcs::OverflowError) do
      Libcs.ltv_net(arpu: 1e300, margin: 1, frequency: 1e300, duration: 1, acquisition_cost: 0, retention_cost: 0)
    end
    e = assert_libcs_error(Libcs::UndefinedResultError, argument: nil) do
      Libcs.ltv_discounted(arpu: 100, margin: 0.8, retention: 1, discount: 0)
    end
    assert_match(/diverges when retention >= 1 \+ discount/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'discount') do
      Libcs.ltv_discounted(arpu: 100, margin: 0.8, retention: 0.5, discount: -1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'retention') do
      Libcs.ltv_discounted_horizon(arpu: 100, margin: 0.8, retention: 1.5, discount: 0, periods: 3)
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'cac') { Libcs.ltv_cac_ratio(ltv: 1, cac: 0) }
    assert_libcs_error(Libcs::DomainError, argument: 'cac') { Libcs.ltv_cac_ratio(ltv: 1, cac: -1) }
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'arpu') do
      Libcs.ltv_cac_payback(cac: 1, arpu: 0, margin: 0.5)
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'margin') do
      Libcs.ltv_cac_payback(cac: 1, arpu: 1, margin: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'years') do
      Libcs.ltv_contract(annual_revenue: 1, margin: 0.5, years: -3)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'lifetime_periods') do
      Libcs.ltv_repeat(avg_order_value: 1, purchases_per_period: 1, lifetime_periods: -1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'purchases') do
      Libcs.ltv_simple(avg_order_value: 1, purchases: -1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'retention_cost') do
      Libcs.ltv_net(arpu: 1, margin: 1, frequency: 1, duration: 1, acquisition_cost: 0, retention_cost: -1)
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'churn') { Libcs.ltv_lifetime(churn: 0) }
  end

  def test_batch_errors_give_the_index
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_ltv_subscription_batch,
                                               argument: 'margin[1]', index: 1) do
      Libcs.ltv_subscription_batch(arpu: [100, 100, 100], margin: [0.8, 1.5, 0.8], churn: 0.05)
    end
    assert_match(/at index 1 \(margin\[1\] = 1.5\)/, e.message)
    # the first bad element wins, whichever argument it is in
    assert_libcs_error(Libcs::NonFiniteError, argument: 'churn[0]', index: 0) do
      Libcs.ltv_subscription_batch(arpu: [100, -1], margin: 0.8, churn: [Float::NAN, 0.1])
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: 'churn[2]', index: 2) do
      Libcs.ltv_lifetime_batch(churn: [0.5, 1, 0])
    end
    assert_libcs_error(Libcs::UndefinedResultError, argument: nil, index: 1) do
      Libcs.ltv_discounted_batch(arpu: 1, margin: 1, retention: [0.5, 1], discount: 0)
    end
    assert_libcs_error(Libcs::OverflowError, index: 0) do
      Libcs.ltv_contract_batch(annual_revenue: [1e300], margin: 1, years: 1e300)
    end
  end

  def test_empty_batch
    BATCHES.each do |name, args|
      assert_libcs_error(Libcs::EmptyInputError, function: :"libcs_#{name}_batch", index: nil) do
        Libcs.public_send(:"#{name}_batch", **args.transform_values { [] })
      end
    end
  end

  def test_errors_in_every_batch
    BATCHES.each do |name, args|
      bad = args.to_h { |k, v| [k, v + [Float::NAN]] }
      bad[:periods] = args[:periods] + [1] if args.key?(:periods)
      assert_libcs_error(Libcs::NonFiniteError, index: 3) { Libcs.public_send(:"#{name}_batch", **bad) }
    end
  end
end
