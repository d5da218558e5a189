# frozen_string_literal: true

# bindings/ruby/test/test_sbg.rb - the shifted-beta-geometric model
# (libcs_sbg_*): Fader & Hardie's two cohorts of sbg_retention.csv
# (LIBCS_DATA; missing data fails), years 0-7, give the published
# estimates (regular alpha 0.704, beta 1.182; high end 0.668, 3.806) and
# project years 8-12; retention, survival, projections and both
# log-likelihoods agree with the closed forms computed here, DEL and DERL
# with their discounted sums of survival (Fader & Hardie 2010); survivor
# counts and the same customers' durations fit alike; simulation; every
# error with its argument and index.
require 'csv'
require_relative 'test_helper'

class TestShiftedBetaGeometric < Minitest::Test
  REGULAR = { alpha: 0.704, beta: 1.182 }.freeze
  HIGH_END = { alpha: 0.668, beta: 3.806 }.freeze

  def cohorts
    rows = CSV.read(data_file('sbg_retention.csv'), headers: true, converters: :numeric)
    assert_equal (0..12).to_a, rows['year']
    { regular: rows['regular'], high_end: rows['high_end'] }
  end

  def survival_ref(params, t)
    a, b = params.values
    (1..t).reduce(1.0) { |v, i| v * (b + i - 1) / (a + b + i - 1) }
  end

  # sum over k >= 0 of S(t0 + k) / (1 + d)^k, until the terms vanish
  def discounted_sum(params, t0, d)
    a, b = params.values
    term = survival_ref(params, t0)
    total = 0.0
    t = t0
    while total.zero? || term > 1e-22 * total
      total += term
      t += 1
      term *= (b + t - 1) / (a + b + t - 1) / (1 + d)
    end
    total
  end

  # survivor counts as records: churned in period t (weight s[t-1] - s[t]),
  # still active after n - 1 periods (weight s[n-1])
  def records(s)
    n = s.size
    { duration: (1...n).to_a + [n - 1], active: [0] * (n - 1) + [1],
      weights: (1...n).map { |t| s[t - 1] - s[t] } + [s[-1]] }
  end

  def test_cohorts_published
    data = cohorts
    { regular: REGULAR, high_end: HIGH_END }.each do |name, want|
      s = data[name].first(8)
      m = Libcs::ShiftedBetaGeometric.fit_survivors(survivors: s)
      assert_instance_of Libcs::ShiftedBetaGeometric, m
      assert_equal %i[alpha beta], m.params.members
      assert_equal want.values, m.params.to_a.map { |v| v.round(3) }, name
      assert m.converged?
      assert_equal 0, m.se_status
      m.se.each { |v| assert(v.positive? && v < 1, m.se.inspect) }
      fitted = m.params.to_h
      ll = (1...8).sum { |t| (s[t - 1] - s[t]) * Math.log(survival_ref(fitted, t - 1) - survival_ref(fitted, t)) } +
           s[7] * Math.log(survival_ref(fitted, 7))
      assert_close ll, m.loglik, 1e-12
      assert_close m.loglik, m.log_likelihood_survivors(survivors: s), 1e-12
      assert_close m.loglik, m.log_likelihood_durations(**records(s)), 1e-12
      2.times do |i|
        [0.98, 1.02].each do |f|
          p = m.params.to_a
          p[i] *= f
          other = Libcs::ShiftedBetaGeometric.new(alpha: p[0], beta: p[1])
          assert_operator other.log_likelihood_survivors(survivors: s), :<, m.loglik
        end
      end
      # the projection of years 8-12, within 5 % of the actual counts
      projected = m.project(cohort: 1000, n: 13)
      assert_equal 1000.0, projected[0]
      13.times { |t| assert_close 1000 * survival_ref(m.params.to_h, t), projected[t], 1e-12 }
      (8..12).each { |t| assert_operator (projected[t] - data[name][t]).abs, :<, 0.05 * data[name][t] }
      # the durations of the same customers fit alike, weighted or one a customer
      d = Libcs::ShiftedBetaGeometric.fit_durations(**records(s))
      assert_close m.params.to_a, d.params.to_a, 1e-6
      assert_close m.loglik, d.loglik, 1e-10
      r = records(s)
      each = r[:duration].each_index.flat_map { |i| [[r[:duration][i], r[:active][i] == 1]] * r[:weights][i].to_i }
      assert_equal 1000, each.size
      e = Libcs::ShiftedBetaGeometric.fit_durations(duration: each.map(&:first), active: each.map(&:last))
      assert_close m.params.to_a, e.params.to_a, 1e-6
      started = Libcs::ShiftedBetaGeometric.fit_survivors(survivors: s, start: want)
      assert_close m.params.to_a, started.params.to_a, 1e-5
    end
    regular = Libcs::ShiftedBetaGeometric.fit_survivors(survivors: data[:regular].first(8))
    assert_equal [220, 204, 191, 180, 170], regular.project(cohort: 1000, n: 13)[8..].map(&:round)
    assert_match(/\A#<Libcs::ShiftedBetaGeometric alpha=0\.704\d+ beta=1\.18\d+, loglik -1680\.26\d+, converged>\z/,
                 regular.inspect)
  end

  def test_predictions_against_references
    [REGULAR, HIGH_END].each do |p|
      m = Libcs::ShiftedBetaGeometric.new(**p)
      a, b = p.values
      [1, 2, 5, 12, 1000].each { |t| assert_close (b + t - 1) / (a + b + t - 1), m.retention(t: t), 1e-15 }
      assert_equal 1.0, m.survival(t: 0)
      [1, 5, 12, 100].each do |t|
        assert_close survival_ref(p, t), m.survival(t: t), 1e-12
        assert_close m.survival(t: t - 1) * m.retention(t: t), m.survival(t: t), 1e-12
      end
      [0.05, 0.1, 0.5].each do |d|
        assert_close discounted_sum(p, 0, d), m.discounted_expected_lifetime(discount: d), 1e-12
        [0, 1, 4, 10].each do |r|
          assert_close discounted_sum(p, r + 1, d) / survival_ref(p, r),
                       m.discounted_expected_residual_lifetime(renewals: r, discount: d), 1e-11
        end
      end
    end
    # a customer base at once: one call of libcs_sbg_derl_batch
    m = Libcs::ShiftedBetaGeometric.new(**HIGH_END)
    renewals = [0, 1, 4, 4, 10, 0]
    got = m.discounted_expected_residual_lifetime(renewals: renewals, discount: 0.1)
    assert_equal renewals.map { |r| m.discounted_expected_residual_lifetime(renewals: r, discount: 0.1) }, got
    m = Libcs::ShiftedBetaGeometric.new(alpha: 2.5, beta: 4)
    assert_close [7.0 / 1.5, 4.0 / 1.5], m.discounted_expected_residual_lifetime(renewals: [3, 0], discount: 0), 1e-15
    assert_close 5.5 / 1.5, m.discounted_expected_lifetime(discount: 0), 1e-15
    assert_close 7.0 / 1.5, m.discounted_expected_residual_lifetime(renewals: 3, discount: 0), 1e-15
    assert_equal [0.0] * 3, m.project(cohort: 0, n: 3)
    assert_close [250.0, 250 * m.survival(t: 1)], m.project(cohort: 250, n: 2), 1e-15
  end

  def test_simulate
    m = Libcs::ShiftedBetaGeometric.new(**HIGH_END)
    s = m.simulate(n: 20_000, periods: 12, seed: 2026)
    assert_instance_of Libcs::ShiftedBetaGeometric::Durations, s
    assert s.frozen?
    assert_equal 20_000, s.size
    assert_nil s.weights
    assert_equal s, Libcs::ShiftedBetaGeometric.simulate(**HIGH_END, n: 20_000, periods: 12, seed: 2026)
    refute_equal s, m.simulate(n: 20_000, periods: 12, seed: 2027)
    s.size.times do |i|
      assert_includes [0, 1], s.active[i]
      assert(s.active[i] == 1 ? s.duration[i] == 12 : s.duration[i].between?(1, 12))
    end
    assert_in_delta m.survival(t: 12), s.active.sum / 20_000.0, 0.01
    f = Libcs::ShiftedBetaGeometric.fit_durations(**s.to_h.slice(:duration, :active))
    m.params.each_pair { |k, v| assert_in_delta v, f.params[k], 4 * f.se[k], k }
    assert_equal [1, 1, 1], m.simulate(n: 3, periods: 0, seed: 1).active
  end

  def test_errors
    m = Libcs::ShiftedBetaGeometric.new(**REGULAR)
    %i[fit_survivors log_likelihood_survivors].each do |what|
      call = lambda do |s|
        if what == :fit_survivors
          Libcs::ShiftedBetaGeometric.fit_survivors(survivors: s)
        else
          m.log_likelihood_survivors(survivors: s)
        end
      end
      fn = what == :fit_survivors ? :libcs_sbg_fit_survivors : :libcs_sbg_loglik_survivors
      assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'survivors[2]', index: 2) do
        call.call([1000, 631, Float::NAN, 382])
      end
      e = assert_libcs_error(Libcs::DomainError, function: fn, argument: 'survivors[3]', index: 3) do
        call.call([1000, 631, 468, 500])
      end
      assert_match(/survivors\[3\] = 500; survivor counts never increase: survivors\[2\] = 468/, e.message)
      assert_libcs_error(Libcs::DomainError, argument: 'survivors[0]', index: 0, message: /the cohort/) do
        call.call([0, 0])
      end
      assert_libcs_error(Libcs::DomainError, argument: 'survivors[1]', index: 1, message: />= 0/) do
        call.call([10, -1])
      end
      assert_libcs_error(Libcs::EmptyInputError, function: fn, argument: 'survivors') { call.call([]) }
      assert_raises(TypeError) { call.call(1000) }
      assert_match(/survivors\[1\] must be Numeric/, assert_raises(TypeError) { call.call([1000, '631']) }.message)
    end
    assert_equal 0.0, m.log_likelihood_survivors(survivors: [1000])
    assert_libcs_error(Libcs::EmptyInputError, argument: 'survivors', message: /cohort alone/) do
      Libcs::ShiftedBetaGeometric.fit_survivors(survivors: [1000])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'start[:beta]') do
      Libcs::ShiftedBetaGeometric.fit_survivors(survivors: [1000, 600], start: [1, 0])
    end
    # bad parameters fail when the model is made, not at its first use
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_survival, argument: 'alpha') do
      Libcs::ShiftedBetaGeometric.new(alpha: -1, beta: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_sbg_survival, argument: 'beta') do
      Libcs::ShiftedBetaGeometric.new(alpha: 1, beta: Float::NAN)
    end
    # duration records
    [[{ duration: [1, Float::NAN, 3], active: [0, 0, 1] }, Libcs::NonFiniteError, 'duration[1]', 1],
     [{ duration: [1, 2, 3], active: [0, 2, 1] }, Libcs::DomainError, 'active[1]', 1],
     [{ duration: [1, 0, 3], active: [0, false, true] }, Libcs::DomainError, 'duration[1]', 1],
     [{ duration: [1, 2.5, 3], active: [0, 1, 1] }, Libcs::DomainError, 'duration[1]', 1],
     [{ duration: [1, 2, -3], active: 1 }, Libcs::DomainError, 'duration[2]', 2],
     [{ duration: [1, 2], active: [0, 1], weights: [1, Float::NAN] }, Libcs::NonFiniteError, 'weights[1]', 1],
     [{ duration: [1, 2], active: [0, 1], weights: [-1, 1] }, Libcs::DomainError, 'weights[0]', 0]]
      .each do |kw, klass, arg, i|
      assert_libcs_error(klass, function: :libcs_sbg_fit_durations, argument: arg, index: i) do
        Libcs::ShiftedBetaGeometric.fit_durations(**kw)
      end
      assert_libcs_error(klass, function: :libcs_sbg_loglik_durations, argument: arg, index: i) do
        m.log_likelihood_durations(**kw)
      end
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_fit_durations, argument: 'active[1]', index: 1) do
      Libcs::ShiftedBetaGeometric.fit_durations(duration: [1, 2], active: [0, 256])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_fit_durations, argument: 'duration') do
      Libcs::ShiftedBetaGeometric.fit_durations(duration: [], active: [])
    end
    assert_libcs_error(Libcs::EmptyInputError, argument: 'weights', message: /every weight is 0/) do
      Libcs::ShiftedBetaGeometric.fit_durations(duration: [1, 2], active: 0, weights: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_loglik_durations) do
      m.log_likelihood_durations(duration: [], active: [])
    end
    assert_close Math.log(m.survival(t: 1)), m.log_likelihood_durations(duration: [0, 1], active: [true, true]), 1e-15
    # scalars
    { retention: 1, survival: 0 }.each do |what, low|
      fn = :"libcs_sbg_#{what}"
      assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 't') { m.public_send(what, t: Float::NAN) }
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 't') { m.public_send(what, t: 1.5) }
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 't') { m.public_send(what, t: low - 1) }
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 't') { m.public_send(what, t: 2e15) }
    end
    [[:discounted_expected_lifetime, :libcs_sbg_del, {}],
     [:discounted_expected_residual_lifetime, :libcs_sbg_derl, { renewals: 2 }]].each do |what, fn, kw|
      assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'discount') do
        m.public_send(what, **kw, discount: Float::NAN)
      end
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 'discount') do
        m.public_send(what, **kw, discount: -1)
      end
      assert_libcs_error(Libcs::UndefinedResultError, function: fn, argument: 'discount',
                                                      message: /negative discount/) do
        m.public_send(what, **kw, discount: -0.5)
      end
      assert_libcs_error(Libcs::UndefinedResultError, function: fn, argument: 'alpha', message: /alpha = 0.704/) do
        m.public_send(what, **kw, discount: 0)
      end
      e = assert_libcs_error(Libcs::NotConvergedError, function: fn) { m.public_send(what, **kw, discount: 1e-15) }
      assert_nil e.result
      assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_survival, argument: 'beta') do
        Libcs::ShiftedBetaGeometric.new(alpha: 1, beta: 0) # new checks the parameters
      end
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_derl, argument: 'renewals') do
      m.discounted_expected_residual_lifetime(renewals: 1.5, discount: 0.1)
    end
    # the batch: the first bad customer by its index; the rate, one for all,
    # and alpha without one
    derl = ->(r, d) { m.discounted_expected_residual_lifetime(renewals: r, discount: d) }
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_derl_batch, argument: 'renewals[2]', index: 2) do
      derl.call([1, 2, 1.5], 0.1)
    end
    assert_match(/renewals\[2\] = 1.5; renewals is a whole number from 0 to 10\^15/, e.message)
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_sbg_derl_batch, argument: 'renewals[1]', index: 1) do
      derl.call([1, Float::NAN], 0.1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_sbg_derl_batch, argument: 'discount', index: nil) do
      derl.call([1, 2], Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_derl_batch, argument: 'discount', index: nil) do
      derl.call([1, 2], -2)
    end
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_sbg_derl_batch, argument: 'discount',
                                                    index: nil) do
      derl.call([1, 2], -0.5)
    end
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_sbg_derl_batch, argument: 'alpha', index: nil,
                                                    message: /alpha = 0.704/) do
      derl.call([1, 2], 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_derl_batch) { derl.call([], 0.1) }
    assert_raises(TypeError) { derl.call([1, 2], [0.1]) }
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_sbg_derl, argument: 'renewals') do
      m.discounted_expected_residual_lifetime(renewals: Float::INFINITY, discount: 0.1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_project, argument: 'cohort') do
      m.project(cohort: -1, n: 3)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_sbg_project, argument: 'cohort') do
      m.project(cohort: Float::NAN, n: 3)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_project, argument: 'n') do
      m.project(cohort: 1, n: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_simulate, argument: 'n') do
      m.simulate(n: 0, periods: 5, seed: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_survival, argument: 'alpha') do
      Libcs::ShiftedBetaGeometric.simulate(alpha: 0, beta: 1, n: 3, periods: 5, seed: 1) # new checks
    end
  end

  def test_argument_errors
    m = Libcs::ShiftedBetaGeometric.new(**REGULAR)
    e = assert_raises(ArgumentError) { Libcs::ShiftedBetaGeometric.fit_durations(duration: [1, 2], active: [0, 1, 1]) }
    assert_equal 'libcs_sbg_fit_durations: duration has 2 elements but active has 3', e.message
    e = assert_raises(ArgumentError) { Libcs::ShiftedBetaGeometric.fit_durations(duration: 1, active: 0) }
    assert_equal 'libcs_sbg_fit_durations: at least one of duration, active must be an Array', e.message
    assert_match(/active\[1\] must be true, false, 0 or 1, got Float 0.5/,
                 assert_raises(TypeError) { m.log_likelihood_durations(duration: [1, 2], active: [0, 0.5]) }.message)
    assert_raises(TypeError) { m.log_likelihood_durations(duration: [1, 2], active: nil) }
    assert_match(/start: 2 values \(alpha, beta\), got 3/,
                 assert_raises(ArgumentError) do
                   Libcs::ShiftedBetaGeometric.fit_survivors(survivors: [10, 5], start: [1, 2, 3])
                 end.message)
    assert_raises(TypeError) { m.retention(t: '1') }
    assert_raises(TypeError) { m.project(cohort: 1000, n: 3.0) }
    assert_raises(Libcs::OutOfRangeError) { m.project(cohort: 1000, n: -1) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(n: 3, periods: 2**32, seed: 1) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(n: 3, periods: 5, seed: -1) }
    assert_raises(TypeError) { m.simulate(n: 3, periods: 5, seed: 1.0) }
    assert_raises(ArgumentError) { m.survival(x: 1) }
    assert_raises(ArgumentError) { Libcs::ShiftedBetaGeometric.new(alpha: 1) }
    assert_equal '#<Libcs::ShiftedBetaGeometric alpha=0.704 beta=1.182>', m.inspect
    assert_equal m, Libcs::ShiftedBetaGeometric.new(**REGULAR)
    refute_equal m, Libcs::ShiftedBetaGeometric.new(**HIGH_END)
    assert m.frozen?
  end

  # Retention and survival curves and DEL over rates: one call of the
  # _batch twin, bit for bit the single calls.
  def test_curves
    m = Libcs::ShiftedBetaGeometric.new(**REGULAR)
    ts = (1..12).to_a + [1000, 10**15]
    assert_equal ts.map { |t| m.retention(t: t) }, m.retention(t: ts)
    assert_equal [0, *ts].map { |t| m.survival(t: t) }, m.survival(t: [0, *ts])
    proj = m.project(cohort: 1, n: 13)
    m.survival(t: (0..12).to_a).each_with_index { |s, t| assert_close proj[t], s, 1e-15 }
    rates = [0.05, 0.1, 0.5]
    assert_equal rates.map { |d| m.discounted_expected_lifetime(discount: d) },
                 m.discounted_expected_lifetime(discount: rates)
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_retention_batch, argument: 't[1]', index: 1) do
      m.retention(t: [1, 0])
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_sbg_survival_batch, argument: 't[1]', index: 1) do
      m.survival(t: [0, 1.5])
    end
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_sbg_del_batch, argument: 'discount[1]',
                                                     index: 1) do
      m.discounted_expected_lifetime(discount: [0.1, -0.5])
    end
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_sbg_del_batch, argument: 'alpha') do
      m.discounted_expected_lifetime(discount: [0.1, 0])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_sbg_del_batch, message: /no discount rates/) do
      m.discounted_expected_lifetime(discount: [])
    end
  end
end
