# frozen_string_literal: true

# bindings/ruby/test/test_lifecycle.rb - lifecycle stages: examples/health.c's
# customers, windows, rule order, symbols and nil, handles, every error.
require_relative 'test_helper'

class TestLifecycle < Minitest::Test
  S = Libcs::Stage
  B = Libcs::Band
  C = Libcs::NpsCategory
  TENURE = [700, 400, 200, 30, 500].freeze
  RENEWAL = [200, 60, 300, 335, 150].freeze
  BANDS = [B::GREEN, B::YELLOW, B::RED, B::UNKNOWN, B::YELLOW].freeze
  NPS = [C::PROMOTER, C::PASSIVE, C::DETRACTOR, C::PROMOTER, C::NO_ANSWER].freeze

  def test_example_customers
    Libcs::LifecyclePolicy.new do |p|
      got = p.stage_batch(days_since_start: TENURE, days_to_renewal: RENEWAL, bands: BANDS, nps_categories: NPS)
      # Acme: green promoter of 700 days; Globex: 60 days to renewal;
      # Initech: red; Umbrella: 30 days in; Hooli: nothing applies
      assert_equal [S::ADVOCATE, S::RENEWAL, S::AT_RISK, S::ONBOARDING, S::ADOPTION], got
      assert_equal %i[advocate renewal at_risk onboarding adoption], got.map { |s| S.symbol(s) }
      singles = (0...5).map do |i|
        p.stage(days_since_start: TENURE[i], days_to_renewal: RENEWAL[i], band: BANDS[i], nps_category: NPS[i])
      end
      assert_equal got, singles
      # symbols, and nil for an unknown band or no answer
      assert_equal S::ADVOCATE, p.stage(days_since_start: 700, days_to_renewal: 200, band: :green,
                                        nps_category: :promoter)
      assert_equal S::ADOPTION, p.stage(days_since_start: 500, days_to_renewal: 150, band: nil, nps_category: nil)
      # single values broadcast over the batch
      assert_equal [S::EXPANSION, S::ADVOCATE], p.stage_batch(days_since_start: [100, 400], days_to_renewal: 200,
                                                               bands: :green, nps_categories: :promoter)
    end
  end

  def test_windows_and_order
    p = Libcs::LifecyclePolicy.new(onboarding_days: 20, renewal_days: 30, advocate_days: 1000)
    got = p.stage_batch(days_since_start: TENURE, days_to_renewal: RENEWAL, bands: BANDS, nps_categories: NPS)
    assert_equal [S::EXPANSION, S::ADOPTION, S::AT_RISK, S::ADOPTION, S::ADOPTION], got
    p.set_order(%i[renewal onboarding at_risk expansion advocate])
    assert_equal S::RENEWAL, p.stage(days_since_start: 5, days_to_renewal: 10, band: :red, nps_category: nil)
    q = Libcs::LifecyclePolicy.new(order: [S::AT_RISK, S::ONBOARDING, S::RENEWAL, S::EXPANSION, S::ADVOCATE])
    assert_equal S::AT_RISK, q.stage(days_since_start: 5, days_to_renewal: 10, band: :red, nps_category: nil)
    assert_same p, p.set_windows(onboarding_days: 0, renewal_days: 0, advocate_days: 0)
    # expansion comes before advocate in this order
    assert_equal S::EXPANSION, p.stage(days_since_start: 0, days_to_renewal: 1, band: :green, nps_category: :promoter)
  end

  def test_errors
    p = Libcs::LifecyclePolicy.new
    f = :libcs_lifecycle_stage
    args = { days_since_start: 10, days_to_renewal: 10, band: :green, nps_category: :promoter }
    assert_libcs_error(Libcs::NonFiniteError, function: f, argument: 'days_to_renewal') do
      p.stage(**args, days_to_renewal: Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'days_since_start') { p.stage(**args, days_since_start: -1) }
    assert_libcs_error(Libcs::DomainError, argument: 'band', message: /band = 4/) { p.stage(**args, band: 4) }
    assert_libcs_error(Libcs::DomainError, argument: 'nps_category') { p.stage(**args, nps_category: 3) }
    assert_libcs_error(Libcs::DomainError, argument: 'band') { p.stage(**args, band: 2**40) }
    assert_raises(ArgumentError) { p.stage(**args, band: :purple) }
    assert_raises(TypeError) { p.stage(**args, band: 1.0) }
    assert_raises(TypeError) { p.stage(**args, days_since_start: '10') }
    f = :libcs_lifecycle_stage_batch
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'bands[1]', index: 1) do
      p.stage_batch(days_since_start: [1, 2], days_to_renewal: 10, bands: [1, -1], nps_categories: nil)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'days_since_start[2]', index: 2) do
      p.stage_batch(days_since_start: [1, 2, Float::INFINITY], days_to_renewal: 10, bands: 1, nps_categories: nil)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'nps_categories[0]', index: 0) do
      p.stage_batch(days_since_start: [1], days_to_renewal: 10, bands: 1, nps_categories: [-2])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f) do
      p.stage_batch(days_since_start: [], days_to_renewal: [], bands: [], nps_categories: [])
    end
    assert_raises(ArgumentError) do
      p.stage_batch(days_since_start: [1, 2], days_to_renewal: [1], bands: 1, nps_categories: nil)
    end
    e = assert_raises(ArgumentError) do
      p.stage_batch(days_since_start: 1, days_to_renewal: 1, bands: 1, nps_categories: nil)
    end
    assert_match(/at least one of/, e.message)
    assert_raises(TypeError) do
      p.stage_batch(days_since_start: [1, nil], days_to_renewal: 1, bands: 1, nps_categories: nil)
    end
    f = :libcs_lifecycle_policy_set_order
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'order') do
      p.set_order(%i[onboarding renewal at_risk expansion])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'order') do
      p.set_order(%i[onboarding renewal at_risk expansion expansion])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'order') do
      p.set_order(%i[adoption renewal at_risk expansion advocate])
    end
    assert_raises(ArgumentError) { p.set_order(%i[onboarding renewal at_risk expansion churned]) }
    assert_raises(TypeError) { p.set_order(:onboarding) }
    f = :libcs_lifecycle_policy_set_windows
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'renewal_days') do
      p.set_windows(onboarding_days: 1, renewal_days: -1, advocate_days: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'advocate_days') do
      p.set_windows(onboarding_days: 1, renewal_days: 1, advocate_days: Float::INFINITY)
    end
    assert_raises(ArgumentError) { p.set_windows(onboarding_days: 1) }
    assert_raises(ArgumentError) { Libcs::LifecyclePolicy.new(onboarding_days: 1) }
    # nothing above changed the defaults
    assert_equal S::ONBOARDING, p.stage(days_since_start: 89, days_to_renewal: 91, band: nil, nps_category: nil)
  end

  def test_ownership_and_copies
    p = Libcs::LifecyclePolicy.new(onboarding_days: 10, renewal_days: 10, advocate_days: 10)
    p.set_order(%i[advocate expansion renewal at_risk onboarding])
    copy = p.dup
    p.free
    assert p.freed?
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_lifecycle_stage, argument: 'self') do
      p.stage(days_since_start: 1, days_to_renewal: 1, band: 1, nps_category: 1)
    end
    assert_raises(Libcs::InvalidArgumentError) { p.dup }
    assert_equal '#<Libcs::LifecyclePolicy (freed)>', p.inspect
    assert_equal S::ADVOCATE, copy.stage(days_since_start: 10, days_to_renewal: 1, band: :green,
                                         nps_category: :promoter)
    assert_equal S::ADOPTION, copy.stage(days_since_start: 10, days_to_renewal: 11, band: :yellow,
                                         nps_category: :promoter)
    assert_match(/set_windows/, copy.inspect)
    kept = nil
    assert_equal S::ONBOARDING, Libcs::LifecyclePolicy.new { |q|
      kept = q
      q.stage(days_since_start: 1, days_to_renewal: 100, band: nil, nps_category: nil)
    }
    assert kept.freed?
    assert_raises(TypeError) { Marshal.dump(copy) }
  end
end
