# frozen_string_literal: true

# bindings/ruby/test/test_touch.rb - the touch model: thresholds, shares and
# capacity on small hand-checked inputs and on examples/touch.c's data, the
# partition invariant, ranking against a sort in Ruby, and every error.
require_relative 'test_helper'

class TestTouch < Minitest::Test
  TECH = Libcs::Tier::TECH
  LOW = Libcs::Tier::LOW
  HIGH = Libcs::Tier::HIGH

  def test_thresholds
    acv = [100, 50_000, 10_000, 9_999.99, 60_000]
    r = Libcs.touch_thresholds(value: acv, high_min: 50_000, low_min: 10_000)
    assert_instance_of Libcs::TouchResult, r
    assert_equal [TECH, HIGH, LOW, TECH, HIGH], r.tiers
    s = r.summary
    assert_equal [2, 1, 2], s.customers
    assert_close [10_099.99, 10_000.0, 110_000.0], s.value
    assert_close [0.4, 0.2, 0.4], s.customer_share
    total = acv.sum
    assert_close [10_099.99 / total, 10_000 / total, 110_000 / total], s.value_share
    assert_equal({ customers: 2, value: 110_000.0, customer_share: 0.4, value_share: 110_000 / total },
                 s.tier(:high))
    assert_equal s.tier(HIGH), s.tier('high')
    assert_raises(ArgumentError) { s.tier(:medium) }
    assert_raises(ArgumentError) { s.tier(3) }
    assert_equal s, Libcs.touch_summarize(value: acv, tiers: r.tiers)
    assert_equal s, Libcs.touch_summarize(value: acv, tiers: %i[tech high low tech high])
    # all-zero values: value shares are 0, not NaN
    z = Libcs.touch_thresholds(value: [0, 0], high_min: 1, low_min: 0).summary
    assert_equal [0.0, 0.0, 0.0], z.value_share
  end

  def test_shares_and_capacity_rank_with_ties_by_index
    v = [5, 9, 1, 9, 7, 3, 8, 2, 6, 4]
    # top 2 of 10 high (the two 9s), next 3 low (8, 7, 6)
    want = [TECH, HIGH, TECH, HIGH, LOW, TECH, LOW, TECH, LOW, TECH]
    assert_equal want, Libcs.touch_shares(value: v, high_share: 0.2, low_share: 0.3).tiers
    assert_equal want, Libcs.touch_capacity(value: v, csms: 1, accounts_per_csm: 2, low_capacity: 3).tiers
    # equal priorities: the lower index first
    assert_equal [HIGH, LOW, TECH], Libcs.touch_shares(value: [1, 1, 1], priority: [0, 0, 0], high_share: 1.0 / 3,
                                                       low_share: 1.0 / 3).tiers
    # priority ranks, value is summed
    r = Libcs.touch_capacity(value: [10, 20, 30], priority: [3, 2, 1], csms: 1, accounts_per_csm: 1,
                             low_capacity: 0)
    assert_equal [HIGH, TECH, TECH], r.tiers
    assert_equal [50.0, 0.0, 10.0], r.summary.value
    # capacity beyond the customers (and beyond 64 bits) makes everyone high
    all_high = Libcs.touch_capacity(value: v, csms: 2**63, accounts_per_csm: 4, low_capacity: 2**64 - 1)
    assert_equal [HIGH] * 10, all_high.tiers
    assert_equal [TECH] * 10, Libcs.touch_shares(value: v, high_share: 0, low_share: 0).tiers
  end

  # Above 2048 customers the library selects through a histogram: compare
  # with a sort in Ruby on data full of ties.
  def test_large_selection_matches_sort
    rng = Random.new(11)
    n = 5000
    value = Array.new(n) { rng.rand(100).to_f }
    priority = Array.new(n) { rng.rand(50) - 25.0 }
    order = (0...n).sort_by { |i| [-priority[i], i] }
    high = (0.1 * n).round
    low = (0.35 * n).round - high
    want = Array.new(n, TECH)
    order[0, high].each { |i| want[i] = HIGH }
    order[high, low].each { |i| want[i] = LOW }
    r = Libcs.touch_shares(value: value, priority: priority, high_share: 0.1, low_share: 0.25)
    assert_equal want, r.tiers
    assert_equal [n - high - low, low, high], r.summary.customers
    assert_close 1.0, r.summary.customer_share.sum
    assert_close 1.0, r.summary.value_share.sum
    c = Libcs.touch_capacity(value: value, priority: priority, csms: 10, accounts_per_csm: 50, low_capacity: 1250)
    assert_equal want, c.tiers
  end

  # examples/touch.c's Pareto data and its figures.
  def test_example_numbers
    mask = 2**64 - 1
    state = 42
    acv = []
    risk = []
    2000.times do
      state = (state * 6_364_136_223_846_793_005 + 1_442_695_040_888_963_407) & mask
      acv << 2000.0 * (((state >> 11) + 1.0) / 9_007_199_254_740_993.0)**(-1.0 / 1.3)
      risk << acv.last * (0.2 + 0.8 * ((state >> 7) % 100) / 100.0)
    end
    t = Libcs.touch_thresholds(value: acv, high_min: 50_000, low_min: 10_000).summary
    assert_equal [1739, 232, 29], t.customers
    assert_equal 4_022_291, t.value[HIGH].round
    s = Libcs.touch_shares(value: acv, high_share: 0.04, low_share: 0.16).summary
    assert_equal [1600, 320, 80], s.customers
    assert_equal 5_815_026, s.value[HIGH].round
    c = Libcs.touch_capacity(value: acv, priority: risk, csms: 3, accounts_per_csm: 25, low_capacity: 300).summary
    assert_equal [1625, 300, 75], c.customers
    [t, s, c].each do |sum|
      assert_equal 2000, sum.customers.sum
      assert_close acv.sum, sum.value.sum, 1e-12
    end
  end

  def test_errors
    f = :libcs_touch_thresholds
    assert_libcs_error(Libcs::NonFiniteError, function: f, argument: 'value[2]', index: 2) do
      Libcs.touch_thresholds(value: [1, 2, Float::NAN], high_min: 10, low_min: 5)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'value[1]', index: 1) do
      Libcs.touch_thresholds(value: [1, -2], high_min: 10, low_min: 5)
    end
    assert_libcs_error(Libcs::DomainError, argument: nil, index: nil, message: /high_min = 5, low_min = 10/) do
      Libcs.touch_thresholds(value: [1], high_min: 5, low_min: 10)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'low_min', index: nil) do
      Libcs.touch_thresholds(value: [1], high_min: 5, low_min: -Float::INFINITY)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f, argument: 'value') do
      Libcs.touch_thresholds(value: [], high_min: 10, low_min: 5)
    end
    assert_libcs_error(Libcs::OverflowError, function: f, argument: 'value', index: nil) do
      Libcs.touch_thresholds(value: [Float::MAX, Float::MAX], high_min: 10, low_min: 5)
    end
    f = :libcs_touch_shares
    assert_libcs_error(Libcs::NonFiniteError, function: f, argument: 'priority[0]', index: 0) do
      Libcs.touch_shares(value: [1, 2], priority: [Float::INFINITY, 1], high_share: 0.5, low_share: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'high_share') do
      Libcs.touch_shares(value: [1, 2], high_share: 1.5, low_share: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: nil, message: /high_share = 0.6, low_share = 0.6/) do
      Libcs.touch_shares(value: [1, 2], high_share: 0.6, low_share: 0.6)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'low_share') do
      Libcs.touch_shares(value: [1, 2], high_share: 0.5, low_share: Float::NAN)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f) { Libcs.touch_shares(value: [], high_share: 0.5, low_share: 0) }
    e = assert_raises(ArgumentError) { Libcs.touch_shares(value: [1, 2], priority: [1], high_share: 0.5, low_share: 0) }
    assert_match(/value has 2 elements but priority has 1/, e.message)
    f = :libcs_touch_capacity
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'value[0]', index: 0) do
      Libcs.touch_capacity(value: [-1], csms: 1, accounts_per_csm: 1, low_capacity: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f) do
      Libcs.touch_capacity(value: [], csms: 1, accounts_per_csm: 1, low_capacity: 1)
    end
    assert_raises(Libcs::OutOfRangeError) { Libcs.touch_capacity(value: [1], csms: -1, accounts_per_csm: 1, low_capacity: 1) }
    assert_raises(TypeError) { Libcs.touch_capacity(value: [1], csms: 1.5, accounts_per_csm: 1, low_capacity: 1) }
    assert_raises(TypeError) { Libcs.touch_capacity(value: [1, 'x'], csms: 1, accounts_per_csm: 1, low_capacity: 1) }
    assert_raises(TypeError) { Libcs.touch_shares(value: 5, high_share: 0.5, low_share: 0) }
    f = :libcs_touch_summarize
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'tiers[1]', index: 1) do
      Libcs.touch_summarize(value: [1, 2], tiers: [0, 3])
    end
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'tiers[0]', index: 0) do
      Libcs.touch_summarize(value: [1], tiers: [-2**40])
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'value[1]', index: 1) do
      Libcs.touch_summarize(value: [1, Float::NAN], tiers: [0, 3])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f) { Libcs.touch_summarize(value: [], tiers: []) }
    assert_raises(ArgumentError) { Libcs.touch_summarize(value: [1, 2], tiers: [0]) }
    assert_raises(ArgumentError) { Libcs.touch_summarize(value: [1], tiers: [:medium]) }
    assert_raises(TypeError) { Libcs.touch_summarize(value: [1], tiers: [nil]) }
  end
end
