# frozen_string_literal: true

# bindings/ruby/test/test_pnbd.rb - the Pareto/NBD model (libcs_pnbd_*):
# CDNOW (LIBCS_DATA; missing data fails) gives the published estimates
# (Fader, Hardie & Lee 2005, "RFM and CLV": r 0.553, alpha 10.578, s 0.606,
# beta 11.669, LL -9594.98; libcs's maximum -9594.974), the predictions
# agree with an independent computation here (P(alive) by Simpson's rule on
# the likelihood's integral, E[X(t)] and the conditional expectation by
# their closed forms), batch = loop of singles, simulation, and every error
# with its argument and index.
require 'csv'
require_relative 'test_helper'

class TestParetoNbd < Minitest::Test
  PUBLISHED = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }.freeze
  ROWS = [[2, 30.43, 38.86], [1, 1.71, 38.86], [0, 0, 38.86], [14, 37.86, 38.86], [5, 10, 38.86],
          [7, 29.43, 32], [3, 20, 20]].freeze

  def model
    Libcs::ParetoNbd.new(**PUBLISHED)
  end

  def cdnow
    rows = CSV.read(data_file('cdnow_customers_summary.csv'), headers: true, converters: :numeric)
    %w[frequency recency T].map { |k| rows[k].map(&:to_f) }
  end

  # P(alive | x, t_x, T) = A / (A + s int_{t_x}^T (alpha+t)^-(r+x)
  # (beta+t)^-(s+1) dt), A = (alpha+T)^-(r+x) (beta+T)^-s (Fader & Hardie
  # 2005 note), the integral by Simpson's rule.
  def palive_reference(x, t_x, big_t, m = 4000)
    r, alpha, s, beta = PUBLISHED.values
    return 1.0 if t_x == big_t

    f = ->(t) { (alpha + t)**-(r + x) * (beta + t)**-(s + 1) }
    h = (big_t - t_x).to_f / m
    sum = f.call(t_x) + f.call(big_t) + (1...m).sum { |i| (i.odd? ? 4 : 2) * f.call(t_x + i * h) }
    alive = (alpha + big_t)**-(r + x) * (beta + big_t)**-s
    alive / (alive + s * sum * h / 3)
  end

  # E[X(t)] of a customer alive at T after x purchases, the closed form.
  def expected_reference(x, big_t, t)
    r, alpha, s, beta = PUBLISHED.values
    (r + x) * (beta + big_t) / ((alpha + big_t) * (s - 1)) * (1 - ((beta + big_t) / (beta + big_t + t))**(s - 1))
  end

  def test_cdnow_published
    x, t_x, big_t = cdnow
    assert_equal 2357, x.size
    pn = Libcs::ParetoNbd.fit(x: x, t_x: t_x, T: big_t)
    assert_instance_of Libcs::ParetoNbd, pn
    assert_equal %i[r alpha s beta], pn.params.members
    # r, alpha and s to the published third decimal; beta (se 6.2) within 0.0015
    assert_equal PUBLISHED.values.first(3), pn.params.to_a.first(3).map { |v| v.round(3) }
    PUBLISHED.each_value.zip(pn.params.to_a) { |want, got| assert_in_delta want, got, 0.0015 }
    assert_in_delta(-9594.98, pn.loglik, 0.01)
    assert_in_delta(-9594.974, pn.loglik, 0.0005)
    assert pn.converged?
    assert_equal 0, pn.se_status
    pn.se.each { |v| assert(v.finite? && v.positive?, pn.se.inspect) }
    assert_match(/\A#<Libcs::ParetoNbd r=0\.55\d+ alpha=10\.5\d+ s=0\.60\d+ beta=11\.6\d+, loglik -9594\.97\d+, /,
                 pn.inspect)
    assert_match(/, converged>\z/, pn.inspect)
    assert_close pn.loglik, pn.log_likelihood(x: x, t_x: t_x, T: big_t), 1e-12
    assert_in_delta(-9594.98, model.log_likelihood(x: x, t_x: t_x, big_t: big_t), 0.01)
    4.times do |i|
      [0.98, 1.02].each do |f|
        p = pn.params.to_a
        p[i] *= f
        assert_operator Libcs::ParetoNbd.new(**Libcs::ParetoNbd::Params.new(*p).to_h)
                                        .log_likelihood(x: x, t_x: t_x, T: big_t), :<, pn.loglik
      end
    end
    # compressed rows with their weights, and a start, give the same maximum
    rows = Libcs.clv_compress(x: x, t_x: t_x, T: big_t)
    compressed = Libcs::ParetoNbd.fit(**rows.to_h)
    assert_close pn.params.to_a, compressed.params.to_a, 1e-5
    assert_close pn.loglik, compressed.loglik, 1e-9
    started = Libcs::ParetoNbd.fit(x: x, t_x: t_x, T: big_t, start: PUBLISHED)
    assert_close pn.params.to_a, started.params.to_a, 1e-4
    # batch = loop of singles
    cond = pn.conditional(x: x, t_x: t_x, T: big_t, t: 39)
    alive = pn.palive(x: x, t_x: t_x, T: big_t)
    clv = pn.clv(x: x, t_x: t_x, T: big_t, value: 20, step: 4, steps: 13, discount: 0.01)
    (0...2357).step(11) do |i|
      assert_close pn.conditional(x: x[i], t_x: t_x[i], T: big_t[i], t: 39), cond[i], 1e-13
      assert_equal pn.palive(x: x[i], t_x: t_x[i], T: big_t[i]), alive[i]
      assert_close pn.clv(x: x[i], t_x: t_x[i], T: big_t[i], value: 20, step: 4, steps: 13, discount: 0.01),
                   clv[i], 1e-13
    end
  end

  def test_predictions_against_references
    m = model
    ROWS.each do |x, t_x, big_t|
      assert_close palive_reference(x, t_x, big_t), m.palive(x: x, t_x: t_x, T: big_t), 1e-10
      [1, 39, 78].each do |t|
        assert_close palive_reference(x, t_x, big_t) * expected_reference(x, big_t, t),
                     m.conditional(x: x, t_x: t_x, T: big_t, t: t), 1e-10
      end
    end
    assert_equal 1.0, m.palive(x: 3, t_x: 20, T: 20)
    [0.5, 1, 39, 78, 1000].each { |t| assert_close expected_reference(0, 0, t), m.expected(t: t), 1e-12 }
    assert_equal 0.0, m.expected(t: 0)
    probs = (0...400).map { |k| m.pmf(t: 39, k: k) }
    assert_in_delta 1.0, probs.sum, 1e-9
    assert_close m.expected(t: 39), probs.each_with_index.sum { |p, k| k * p }, 1e-8
    assert_equal 1.0, m.pmf(t: 0, k: 0)
    assert_close m.expected(t: 39), m.conditional(x: 0, t_x: 0, T: 0, t: 39), 1e-14
    e1 = m.conditional(x: 2, t_x: 30.43, T: 38.86, t: 13)
    e2 = m.conditional(x: 2, t_x: 30.43, T: 38.86, t: 26)
    assert_close 25 * (e1 / 1.05 + (e2 - e1) / 1.05**2),
                 m.clv(x: 2, t_x: 30.43, T: 38.86, value: 25, step: 13, steps: 2, discount: 0.05), 1e-13
    assert_equal 0.0, m.clv(x: 2, t_x: 30.43, T: 38.86, value: 25, step: 4, steps: 0, discount: 0)
    xs, txs, ts = ROWS.transpose
    assert_equal ROWS.map { |r| m.palive(x: r[0], t_x: r[1], T: r[2]) }, m.palive(x: xs, t_x: txs, big_t: ts)
    assert_equal [m.palive(x: 1, t_x: 1, T: 2)] * 3, m.palive(x: 1, t_x: [1, 1, 1], T: 2)
  end

  def test_simulate
    m = model
    big_t = Array.new(3000) { |i| 20.0 + i % 20 }
    a = m.simulate(T: big_t, seed: 42)
    assert_instance_of Libcs::ClvRows, a
    assert_equal a, m.simulate(big_t: big_t, seed: 42)
    assert_equal a, Libcs::ParetoNbd.simulate(**PUBLISHED, T: big_t, seed: 42)
    refute_equal a, m.simulate(T: big_t, seed: 43)
    assert_nil a.weights
    3000.times do |i|
      assert_equal a.x[i], a.x[i].floor
      assert_operator a.t_x[i], :<=, a.T[i]
      assert_equal 0.0, a.t_x[i] if a.x[i].zero?
    end
    truth = Libcs::ParetoNbd.new(r: 0.6, alpha: 8, s: 0.8, beta: 12)
    f = Libcs::ParetoNbd.fit(**truth.simulate(T: Array.new(10_000) { |i| 20.0 + i % 30 }, seed: 7).to_h)
    truth.params.each_pair { |k, v| assert_in_delta v, f.params[k], 4 * f.se[k], k }
  end

  def test_errors
    m = model
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_fit, argument: 'x[2]', index: 2) do
      Libcs::ParetoNbd.fit(x: [0, 1, 1.5], t_x: [0, 1, 1], T: 5)
    end
    assert_match(/x\[2\] = 1.5; x is a whole number/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 't_x[1]', index: 1, message: /t_x <= T/) do
      Libcs::ParetoNbd.fit(x: [0, 1], t_x: [0, 6], T: 5)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_pnbd_loglik, argument: 'T', index: 0) do
      m.log_likelihood(x: [0, 0], t_x: 0, T: Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'weights[0]', index: 0) do
      Libcs::ParetoNbd.fit(x: [0, 0], t_x: 0, T: 3, weights: [-1, 1])
    end
    assert_libcs_error(Libcs::EmptyInputError, argument: 'weights', message: /every weight is 0/) do
      Libcs::ParetoNbd.fit(x: [0, 0], t_x: 0, T: 3, weights: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_fit, argument: 'x') do
      Libcs::ParetoNbd.fit(x: [], t_x: [], T: [])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'start[:s]') do
      Libcs::ParetoNbd.fit(x: [0, 1], t_x: [0, 1], T: 3, start: [1, 1, 0, 1])
    end
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_expected, argument: 'beta') do
      Libcs::ParetoNbd.new(r: 1, alpha: 1, s: 1, beta: -1)
    end
    assert_match(/the Pareto\/NBD parameters are > 0/, e.message)
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_pnbd_expected, argument: 't', index: nil) do
      m.expected(t: Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_pmf, argument: 't') { m.pmf(t: -1, k: 1) }
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_pnbd_expected, argument: 'r') do
      Libcs::ParetoNbd.new(r: Float::INFINITY, alpha: 1, s: 1, beta: 1) # new checks the parameters
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_conditional, argument: 'x') do
      m.conditional(x: -1, t_x: 0, T: 1, t: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_conditional_batch, argument: 't_x[1]', index: 1) do
      m.conditional(x: [1, 1], t_x: [0.5, 3], T: 2, t: 39)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_conditional_batch, argument: 't', index: nil) do
      m.conditional(x: [1], t_x: [0.5], T: 2, t: -1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_pnbd_palive_batch, argument: 'x[1]', index: 1) do
      m.palive(x: [1, Float::NAN], t_x: [0.5, 1], T: 2)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_palive, argument: 't_x') do
      m.palive(x: 0, t_x: 1, T: 2)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_clv_batch, argument: 'value[1]', index: 1) do
      m.clv(x: [1, 2], t_x: [0.5, 1], T: 2, value: [3, -3], step: 1, steps: 3, discount: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_clv, argument: 'step') do
      m.clv(x: 1, t_x: 0.5, T: 2, value: 3, step: 0, steps: 3, discount: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_clv, argument: 'discount') do
      m.clv(x: 1, t_x: 0.5, T: 2, value: 3, step: 1, steps: 3, discount: -1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_palive_batch) { m.palive(x: [], t_x: [], T: []) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_conditional_batch) do
      m.conditional(x: [], t_x: [], T: [], t: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_clv_batch) do
      m.clv(x: [], t_x: [], T: [], value: 1, step: 1, steps: 1, discount: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_simulate, argument: 'T[1]', index: 1) do
      m.simulate(T: [1, -1], seed: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_pnbd_simulate, argument: 'T[0]', index: 0) do
      m.simulate(T: [Float::NAN], seed: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_simulate, argument: 'T') do
      m.simulate(T: [], seed: 1)
    end
  end

  def test_argument_errors
    m = model
    assert_equal 'missing keyword: :T', assert_raises(ArgumentError) { Libcs::ParetoNbd.fit(x: [0], t_x: [0]) }.message
    e = assert_raises(ArgumentError) { m.palive(x: 0, t_x: 0, T: 1, bogus: 2) }
    assert_equal 'unknown keyword: :bogus', e.message
    e = assert_raises(ArgumentError) { Libcs::ParetoNbd.fit(x: [0, 1], t_x: [0, 1, 2], T: 3) }
    assert_equal 'libcs_pnbd_fit: x has 2 elements but t_x has 3', e.message
    e = assert_raises(ArgumentError) { m.conditional(x: [0, 1], t_x: [0], T: 3, t: 1) }
    assert_equal 'libcs_pnbd_conditional_batch: x has 2 elements but t_x has 1', e.message
    e = assert_raises(ArgumentError) { Libcs::ParetoNbd.fit(x: 0, t_x: 0, T: 3) }
    assert_equal 'libcs_pnbd_fit: at least one of x, t_x, T must be an Array', e.message
    assert_match(/start: 4 values \(r, alpha, s, beta\), got 2/,
                 assert_raises(ArgumentError) { Libcs::ParetoNbd.fit(x: [0], t_x: 0, T: 3, start: [1, 2]) }.message)
    assert_match(/x\[1\] must be Numeric/,
                 assert_raises(TypeError) { Libcs::ParetoNbd.fit(x: [0, '1'], t_x: 0, T: 3) }.message)
    assert_raises(TypeError) { m.conditional(x: 1, t_x: 0, T: 1, t: [1, 2]) }
    assert_raises(TypeError) { m.pmf(t: 1, k: 1.5) }
    assert_raises(Libcs::OutOfRangeError) { m.pmf(t: 1, k: -1) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(T: [1], seed: 2**64) }
    assert_raises(TypeError) { m.simulate(T: 1, seed: 1) }
    assert_raises(ArgumentError) { Libcs::ParetoNbd.new(r: 1, alpha: 1, s: 1) }
    assert_raises(TypeError) { Libcs::ParetoNbd.new(r: nil, alpha: 1, s: 1, beta: 1) }
  end

  def test_values
    m = model
    refute m.fitted?
    assert m.frozen?
    assert_equal '#<Libcs::ParetoNbd r=0.553 alpha=10.578 s=0.606 beta=11.669>', m.inspect
    assert_equal m, Libcs::ParetoNbd.new(**PUBLISHED)
    assert_equal m.hash, Libcs::ParetoNbd.new(**m.params.to_h).hash
    refute_equal m, Libcs::BgNbd.new(r: 0.553, alpha: 10.578, a: 0.606, b: 11.669)
  end

  # The new customer's predictions over Arrays: one call of the _batch
  # twin, bit for bit the single calls.
  def test_new_customer_batch
    m = Libcs::ParetoNbd.new(**PUBLISHED)
    ts = [0, 0.5, 1, 39, 1000]
    assert_equal ts.map { |t| m.expected(t: t) }, m.expected(t: ts)
    assert_equal (0..19).map { |k| m.pmf(t: 39, k: k) }, m.pmf(t: 39, k: (0..19).to_a)
    assert_equal [1.0, m.pmf(t: 52, k: 3)], m.pmf(t: [0, 52], k: [0, 3])
    assert_libcs_error(Libcs::DomainError, function: :libcs_pnbd_expected_batch, argument: 't[1]', index: 1) do
      m.expected(t: [1, -1])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_pnbd_expected_batch) { m.expected(t: []) }
  end
end
