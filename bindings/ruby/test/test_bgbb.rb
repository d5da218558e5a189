# frozen_string_literal: true

# bindings/ruby/test/test_bgbb.rb - the BG/BB model (libcs_bgbb_*): the
# donations of LIBCS_DATA (missing data fails) give the published estimates
# (Fader, Hardie & Shang 2010: alpha 1.204, beta 0.750, gamma 0.657, delta
# 2.783, LL -33225.6); the log-likelihood, P(alive), E[X(n)], the pmf and
# the conditional expectation agree with FHS's equations (5), (7), (8),
# (11) and (13) computed here from log-gamma functions, DERT with the
# discounted sum of the conditional expectations; batch = loop of singles;
# simulation; every error with its argument and index.
require 'csv'
require_relative 'test_helper'

class TestBgBb < Minitest::Test
  PUBLISHED = { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 }.freeze
  P = PUBLISHED.values.freeze
  PATTERNS = [[0, 0, 6], [1, 1, 6], [1, 5, 6], [3, 4, 6], [6, 6, 6], [2, 3, 3], [0, 0, 0], [5, 10, 12]].freeze

  def model
    Libcs::BgBb.new(**PUBLISHED)
  end

  def donations
    rows = CSV.read(data_file('donations.csv'), headers: true, converters: :numeric)
    assert_equal %w[frequency recency periods weights], rows.headers
    %w[frequency recency periods weights].map { |k| rows[k].map(&:to_f) }
  end

  def lg(v)
    Math.lgamma(v).first
  end

  def lbeta(a, b)
    lg(a) + lg(b) - lg(a + b)
  end

  # FHS (5)
  def lik(x, t_x, n)
    a, b, g, d = P
    v = Math.exp(lbeta(a + x, b + n - x) - lbeta(a, b) + lbeta(g, d + n) - lbeta(g, d))
    (n - t_x).to_i.times do |i|
      v += Math.exp(lbeta(a + x, b + t_x - x + i) - lbeta(a, b) + lbeta(g + 1, d + t_x + i) - lbeta(g, d))
    end
    v
  end

  # FHS (11)
  def palive_ref(x, t_x, n)
    a, b, g, d = P
    Math.exp(lbeta(a + x, b + n - x) - lbeta(a, b) + lbeta(g, d + n + 1) - lbeta(g, d)) / lik(x, t_x, n)
  end

  # FHS (8)
  def expected_ref(n)
    a, b, g, d = P
    a / (a + b) * d / (g - 1) * (1 - Math.exp(lg(g + d) + lg(1 + d + n) - lg(g + d + n) - lg(1 + d)))
  end

  # FHS (13)
  def conditional_ref(x, t_x, n, m)
    a, b, g, d = P
    Math.exp(lbeta(a + x + 1, b + n - x) - lbeta(a, b)) * d / (g - 1) * Math.exp(lg(g + d) - lg(1 + d)) *
      (Math.exp(lg(1 + d + n) - lg(g + d + n)) - Math.exp(lg(1 + d + n + m) - lg(g + d + n + m))) / lik(x, t_x, n)
  end

  # FHS (7)
  def pmf_ref(n, x)
    a, b, g, d = P
    binom = ->(k, j) { (1..j).reduce(1r) { |acc, i| acc * (k - j + i) / i }.to_f }
    v = binom.call(n, x) * Math.exp(lbeta(a + x, b + n - x) - lbeta(a, b) + lbeta(g, d + n) - lbeta(g, d))
    (x...n).each do |i|
      v += binom.call(i, x) * Math.exp(lbeta(a + x, b + i - x) - lbeta(a, b) + lbeta(g + 1, d + i) - lbeta(g, d))
    end
    v
  end

  def test_donations_published
    x, t_x, n, w = donations
    assert_equal 22, x.size
    assert_equal 11_104, w.sum
    bb = Libcs::BgBb.fit(x: x, t_x: t_x, periods: n, weights: w)
    assert_instance_of Libcs::BgBb, bb
    assert_equal %i[alpha beta gamma delta], bb.params.members
    assert_equal P, bb.params.to_a.map { |v| v.round(3) }
    assert_equal(-33_225.6, bb.loglik.round(1))
    assert bb.converged?
    assert_equal 0, bb.se_status
    bb.se.each { |v| assert(v.finite? && v.positive? && v < 1, bb.se.inspect) }
    assert_match(/\A#<Libcs::BgBb alpha=1\.20\d+ beta=0\.749\d+ gamma=0\.656\d+ delta=2\.78\d+, loglik -33225\.58\d+, /,
                 bb.inspect)
    assert_match(/, converged>\z/, bb.inspect)
    want = x.each_index.sum { |i| w[i] * Math.log(lik(x[i], t_x[i], n[i])) }
    assert_close want, model.log_likelihood(x: x, t_x: t_x, periods: n, weights: w), 1e-12
    assert_close bb.loglik, bb.log_likelihood(x: x, t_x: t_x, periods: n, weights: w), 1e-12
    # one row a donor: the same fit
    rows = x.each_index.flat_map { |i| [[x[i], t_x[i]]] * w[i].to_i }
    donor = Libcs::BgBb.fit(x: rows.map(&:first), t_x: rows.map(&:last), periods: 6)
    assert_close bb.params.to_a, donor.params.to_a, 1e-6
    assert_close bb.loglik, donor.loglik, 1e-10
    started = Libcs::BgBb.fit(x: x, t_x: t_x, periods: 6, weights: w, start: PUBLISHED)
    assert_close bb.params.to_a, started.params.to_a, 1e-4
    # batch = loop of singles, on the patterns
    [bb.palive(x: x, t_x: t_x, periods: n), bb.conditional(x: x, t_x: t_x, periods: n, future: 5),
     bb.dert(x: x, t_x: t_x, periods: n, discount: 0.1)].zip(%i[palive conditional dert]) do |got, what|
      extra = { conditional: { future: 5 }, dert: { discount: 0.1 } }.fetch(what, {})
      x.each_index { |i| assert_equal bb.public_send(what, x: x[i], t_x: t_x[i], periods: n[i], **extra), got[i] }
    end
  end

  def test_predictions_against_references
    m = model
    PATTERNS.each do |x, t_x, n|
      assert_close palive_ref(x, t_x, n), m.palive(x: x, t_x: t_x, periods: n), 1e-12
      [1, 5, 20].each do |f|
        assert_close conditional_ref(x, t_x, n, f), m.conditional(x: x, t_x: t_x, periods: n, future: f), 1e-11
      end
      assert_equal 0.0, m.conditional(x: x, t_x: t_x, periods: n, future: 0)
      [0.1, 0.5].each do |d|
        prev = 0.0
        total = (1...600).sum do |s|
          c = conditional_ref(x, t_x, n, s)
          term = (c - prev) / (1 + d)**s
          prev = c
          term
        end
        assert_close total, m.dert(x: x, t_x: t_x, periods: n, discount: d), 1e-9
      end
    end
    [0, 1, 6, 10, 100].each { |n| assert_close expected_ref(n), m.expected(periods: n), 1e-12 }
    probs = (0..7).map { |k| m.pmf(periods: 6, k: k) }
    7.times { |k| assert_close pmf_ref(6, k), probs[k], 1e-12 }
    assert_equal 0.0, probs[7]
    assert_in_delta 1.0, probs.sum, 1e-12
    assert_close m.expected(periods: 6), probs.each_with_index.sum { |p, k| k * p }, 1e-12
    xs, txs, ns = PATTERNS.transpose
    assert_equal PATTERNS.map { |r| m.palive(x: r[0], t_x: r[1], periods: r[2]) },
                 m.palive(x: xs, t_x: txs, periods: ns)
    assert_equal [m.dert(x: 3, t_x: 4, periods: 6, discount: 0.1)] * 2,
                 m.dert(x: [3, 3], t_x: 4, periods: 6, discount: 0.1)
    long_lived = Libcs::BgBb.new(alpha: 1.2, beta: 0.75, gamma: 1.5, delta: 2.8)
    assert_close long_lived.conditional(x: 3, t_x: 4, periods: 6, future: 10**15),
                 long_lived.dert(x: 3, t_x: 4, periods: 6, discount: 0), 1e-6
  end

  def test_simulate
    m = model
    a = m.simulate(periods: Array.new(20_000, 6), seed: 2026)
    assert_instance_of Libcs::BgBb::Rows, a
    assert a.frozen?
    assert_equal 20_000, a.size
    assert_equal a, Libcs::BgBb.simulate(**PUBLISHED, periods: Array.new(20_000, 6), seed: 2026)
    refute_equal a, m.simulate(periods: Array.new(20_000, 6), seed: 2027)
    assert_nil a.weights
    20_000.times do |i|
      assert_operator a.x[i], :<=, a.t_x[i]
      assert_operator a.t_x[i], :<=, 6
      assert_equal a.x[i].zero?, a.t_x[i].zero?
    end
    assert_in_delta m.expected(periods: 6), a.x.sum / 20_000, 0.05
    rows = Libcs.clv_compress(x: a.x, t_x: a.t_x, T: a.periods)
    f = Libcs::BgBb.fit(x: rows.x, t_x: rows.t_x, periods: rows.T, weights: rows.weights)
    m.params.each_pair { |k, v| assert_in_delta v, f.params[k], 4 * f.se[k], k }
  end

  def test_errors
    m = model
    cases = [[[Float::NAN, 2, 6], Libcs::NonFiniteError, 'x'], [[1, Float::INFINITY, 6], Libcs::NonFiniteError, 't_x'],
             [[1, 2, Float::NAN], Libcs::NonFiniteError, 'periods'], [[1, 2, 6.5], Libcs::DomainError, 'periods'],
             [[1, 2, 2e7], Libcs::DomainError, 'periods'], [[1.5, 2, 6], Libcs::DomainError, 'x'],
             [[-1, 2, 6], Libcs::DomainError, 'x'], [[1, 2.5, 6], Libcs::DomainError, 't_x'],
             [[3, 2, 6], Libcs::DomainError, 't_x'], [[1, 7, 6], Libcs::DomainError, 't_x'],
             [[0, 2, 6], Libcs::DomainError, 't_x']]
    cases.each do |row, klass, arg|
      cols = [[0, 1, 3], [0, 2, 4], [6, 6, 6]].map(&:dup)
      cols.each_with_index { |c, k| c[1] = row[k] }
      kw = { x: cols[0], t_x: cols[1], periods: cols[2] }
      assert_libcs_error(klass, function: :libcs_bgbb_fit, argument: "#{arg}[1]", index: 1) { Libcs::BgBb.fit(**kw) }
      assert_libcs_error(klass, function: :libcs_bgbb_loglik, argument: "#{arg}[1]", index: 1) do
        m.log_likelihood(**kw)
      end
      assert_libcs_error(klass, function: :libcs_bgbb_palive_batch, argument: "#{arg}[1]", index: 1) { m.palive(**kw) }
      assert_libcs_error(klass, function: :libcs_bgbb_conditional_batch, argument: "#{arg}[1]", index: 1) do
        m.conditional(**kw, future: 5)
      end
      assert_libcs_error(klass, function: :libcs_bgbb_dert_batch, argument: "#{arg}[1]", index: 1) do
        m.dert(**kw, discount: 0.1)
      end
      one = { x: row[0], t_x: row[1], periods: row[2] }
      assert_libcs_error(klass, function: :libcs_bgbb_palive, argument: arg, index: nil) { m.palive(**one) }
      assert_libcs_error(klass, function: :libcs_bgbb_dert, argument: arg) { m.dert(**one, discount: 0.1) }
    end
    e = assert_libcs_error(Libcs::DomainError, argument: 't_x[1]', index: 1) do
      m.palive(x: [1, 3], t_x: [2, 2], periods: 6)
    end
    assert_match(/at index 1 \(t_x\[1\] = 2; x <= t_x/, e.message)
    # horizons
    [[-1, Libcs::DomainError], [2.5, Libcs::DomainError], [Float::NAN, Libcs::NonFiniteError],
     [2e15, Libcs::DomainError]].each do |bad, klass|
      assert_libcs_error(klass, function: :libcs_bgbb_expected, argument: 'periods') { m.expected(periods: bad) }
      assert_libcs_error(klass, function: :libcs_bgbb_pmf, argument: 'periods') { m.pmf(periods: bad, k: 1) }
      assert_libcs_error(klass, function: :libcs_bgbb_conditional, argument: 'future') do
        m.conditional(x: 3, t_x: 4, periods: 6, future: bad)
      end
      assert_libcs_error(klass, function: :libcs_bgbb_conditional_batch, argument: 'future', index: nil) do
        m.conditional(x: [3, 1], t_x: [4, 1], periods: 6, future: bad)
      end
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_pmf, argument: 'periods') { m.pmf(periods: 2e7, k: 1) }
    # DERT's discount rate
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_dert, argument: 'discount') do
      m.dert(x: 3, t_x: 4, periods: 6, discount: -0.1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgbb_dert_batch, argument: 'discount', index: nil) do
      m.dert(x: [3], t_x: [4], periods: 6, discount: Float::NAN)
    end
    e = assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_bgbb_dert_batch, argument: 'gamma',
                                                        index: nil) do
      m.dert(x: [3, 1], t_x: [4, 1], periods: 6, discount: 0)
    end
    assert_match(/gamma = 0.657; undiscounted/, e.message)
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_bgbb_dert, argument: 'gamma') do
      m.dert(x: 3, t_x: 4, periods: 6, discount: 0)
    end
    e = assert_libcs_error(Libcs::NotConvergedError, function: :libcs_bgbb_dert) do
      m.dert(x: 3, t_x: 4, periods: 6, discount: 1e-12)
    end
    assert_nil e.result
    # weights, empty input, starts, parameters
    assert_libcs_error(Libcs::DomainError, argument: 'weights[1]', index: 1) do
      Libcs::BgBb.fit(x: [0, 1], t_x: [0, 2], periods: 6, weights: [1, -1])
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgbb_loglik, argument: 'weights[0]', index: 0) do
      m.log_likelihood(x: [0, 1], t_x: [0, 2], periods: 6, weights: [Float::NAN, 1])
    end
    assert_libcs_error(Libcs::EmptyInputError, argument: 'weights', message: /every weight is 0/) do
      Libcs::BgBb.fit(x: [0, 1], t_x: [0, 2], periods: 6, weights: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_fit, argument: 'x') do
      Libcs::BgBb.fit(x: [], t_x: [], periods: [])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_loglik) do
      m.log_likelihood(x: [], t_x: [], periods: [])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_palive_batch) do
      m.palive(x: [], t_x: [], periods: [])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_conditional_batch) do
      m.conditional(x: [], t_x: [], periods: [], future: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_dert_batch) do
      m.dert(x: [], t_x: [], periods: [], discount: 0.1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'start[:gamma]') do
      Libcs::BgBb.fit(x: [0, 1], t_x: [0, 2], periods: 6, start: { alpha: 1, beta: 1, gamma: -1, delta: 1 })
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_expected, argument: 'delta') do
      Libcs::BgBb.new(alpha: 1, beta: 1, gamma: 1, delta: 0).expected(periods: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_simulate, argument: 'periods[1]', index: 1) do
      m.simulate(periods: [6, 2.5], seed: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgbb_simulate, argument: 'periods[0]', index: 0) do
      m.simulate(periods: [Float::NAN], seed: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgbb_simulate, argument: 'periods') do
      m.simulate(periods: [], seed: 1)
    end
  end

  def test_argument_errors
    m = model
    e = assert_raises(ArgumentError) { Libcs::BgBb.fit(x: [0, 1], t_x: [0, 1, 2], periods: 6) }
    assert_equal 'libcs_bgbb_fit: x has 2 elements but t_x has 3', e.message
    e = assert_raises(ArgumentError) { m.dert(x: [0, 1], t_x: [0, 1], periods: [6], discount: 0.1) }
    assert_equal 'libcs_bgbb_dert_batch: x has 2 elements but periods has 1', e.message
    e = assert_raises(ArgumentError) { Libcs::BgBb.fit(x: 0, t_x: 0, periods: 6) }
    assert_equal 'libcs_bgbb_fit: at least one of x, t_x, periods must be an Array', e.message
    assert_raises(ArgumentError) { Libcs::BgBb.fit(x: [0], t_x: [0]) }
    assert_raises(ArgumentError) { m.palive(x: 0, t_x: 0, periods: 1, T: 1) }
    assert_match(/periods\[1\] must be Numeric/,
                 assert_raises(TypeError) { Libcs::BgBb.fit(x: [0, 1], t_x: [0, 1], periods: [6, nil]) }.message)
    assert_raises(TypeError) { m.dert(x: 1, t_x: 1, periods: 6, discount: [0.1]) }
    assert_raises(TypeError) { m.conditional(x: 1, t_x: 1, periods: 6, future: '5') }
    assert_raises(TypeError) { m.pmf(periods: 6, k: 1.0) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(periods: [6], seed: -1) }
    assert_raises(TypeError) { m.simulate(periods: 6, seed: 1) }
    assert_match(/start: 4 values \(alpha, beta, gamma, delta\), got 3/,
                 assert_raises(ArgumentError) { Libcs::BgBb.fit(x: [0], t_x: 0, periods: 3, start: [1, 2, 3]) }.message)
    assert_equal '#<Libcs::BgBb alpha=1.204 beta=0.75 gamma=0.657 delta=2.783>', m.inspect
    assert_equal m, Libcs::BgBb.new(**m.params.to_h)
    refute m.fitted?
  end

  # The new customer's predictions over Arrays: one call of the _batch
  # twin, bit for bit the single calls.
  def test_new_customer_batch
    m = Libcs::BgBb.new(**PUBLISHED)
    ns = [0, 1, 6, 64, 65, 1000, 1e15]
    assert_equal ns.map { |n| m.expected(periods: n) }, m.expected(periods: ns)
    assert_equal (0..7).map { |k| m.pmf(periods: 6, k: k) }, m.pmf(periods: 6, k: (0..7).to_a)
    assert_equal 0.0, m.pmf(periods: 6, k: [7]).first
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_pmf_batch, argument: 'periods[1]', index: 1) do
      m.pmf(periods: [6, 2e7], k: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgbb_expected_batch, argument: 'periods[1]',
                                           index: 1) do
      m.expected(periods: [6, 2.5])
    end
  end
end
