# frozen_string_literal: true

# bindings/ruby/test/test_clv.rb - the probabilistic CLV models: CDNOW (the
# data sets of LIBCS_DATA, which make check sets; missing data fails) gives
# the published BG/NBD and Gamma-Gamma estimates and summaries, the
# predictions agree with mpmath references and batch = loop of singles, the
# man pages' examples, simulation, non-convergence with its result, and
# every error with its argument and index.
require 'csv'
require 'date'
require_relative 'test_helper'

class TestClv < Minitest::Test
  # The published BG/NBD estimates on CDNOW (Fader, Hardie & Lee 2005).
  FHL = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }.freeze

  # Transactions of a CDNOW file: [customer ids, day numbers from
  # 1997-01-01, dollars].  The sample's second column is its own customer
  # id (the first is the master file's), the master's first.
  def self.cdnow_log(file)
    @logs ||= {}
    @logs[file] ||= begin
      start = Date.new(1997, 1, 1)
      rows = File.readlines(file).map(&:split).reject { |r| r[0] == 'customer_id' }
      sample = rows.first.size == 5
      [rows.map { |r| Integer(sample ? r[1] : r[0], 10) },
       rows.map { |r| (Date.strptime(sample ? r[2] : r[1], '%Y%m%d') - start).to_i },
       rows.map { |r| Float(r[-1]) }].freeze
    end
  end

  def cdnow_log(name)
    self.class.cdnow_log(data_file(name))
  end

  # The CDNOW recipe of libcs_clv_summarize(3): days, one transaction a
  # day, weeks; calibration to 1997-09-30 (day 272), holdout to 1998-06-30.
  def cdnow_summary(name = 'CDNOW_sample.txt')
    ids, days, dollars = cdnow_log(name)
    Libcs.clv_summarize(customer: ids, time: days, amount: dollars, period: 1, time_scale: 7,
                        calibration_end: 272, holdout_end: 545)
  end

  def csv(name)
    CSV.read(data_file(name), headers: true, converters: :numeric)
  end

  def fhl
    Libcs::BgNbd.new(**FHL)
  end

  # ---- CDNOW ---------------------------------------------------------------

  def test_cdnow_bgnbd_fit
    rows = csv('cdnow_customers_summary.csv')
    assert_equal 2357, rows.size
    x = rows['frequency'].map(&:to_f)
    t_x = rows['recency'].map(&:to_f)
    big_t = rows['T'].map(&:to_f)
    bg = Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t)
    assert_instance_of Libcs::BgNbd, bg
    assert_equal FHL.values, bg.params.to_a.map { |v| v.round(3) }
    assert_equal(-9582.4, bg.loglik.round(1))
    assert_equal true, bg.converged
    assert bg.converged?
    assert bg.fitted?
    assert bg.frozen?
    assert_equal 0, bg.se_status
    assert_operator bg.iterations, :>, 0
    assert_match(/\A#<Libcs::BgNbd r=0\.24\d+ alpha=4\.41\d+ a=0\.79\d+ b=2\.42\d+, loglik -9582\.4\d+, converged>\z/,
                 bg.inspect)
    assert_equal %i[r alpha a b], bg.se.members
    bg.se.each { |s| assert(s.finite? && s.positive?, bg.se.inspect) }
    # the log-likelihood at the maximum is the fit's, and at the published
    # parameters that of mpmath (tests/test_bgnbd.c)
    assert_close bg.loglik, bg.log_likelihood(x: x, t_x: t_x, T: big_t), 1e-10
    assert_close(-9582.4268311823647, fhl.log_likelihood(x: x, t_x: t_x, T: big_t), 1e-11)

    # the same fit, however given: big_t:, weights of 1, compressed rows with
    # their weights, and each form of start
    assert_equal bg, Libcs::BgNbd.fit(x: x, t_x: t_x, big_t: big_t)
    assert_equal bg, Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t, weights: 1)
    rows = Libcs.clv_compress(x: x, t_x: t_x, T: big_t)
    assert_operator rows.size, :<, 2357
    assert_equal 2357, rows.weights.sum
    compressed = Libcs::BgNbd.fit(**rows.to_h)
    assert_close bg.params.to_a, compressed.params.to_a, 1e-8
    assert_close bg.loglik, compressed.loglik, 1e-12
    [bg, bg.params, bg.params.to_h, bg.params.to_a, FHL].each do |start|
      f = Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t, start: start)
      assert_close bg.params.to_a, f.params.to_a, 1e-4
      assert_in_delta bg.loglik, f.loglik, 1e-6
    end
  end

  def test_cdnow_gamma_gamma
    rows = csv('cdnow_customers_summary_with_transactions.csv').select { |r| r['x'].positive? }
    assert_equal 946, rows.size
    x = rows.map { |r| r['x'] }
    m = rows.map { |r| r['zbar'] }
    gg = Libcs::GammaGamma.fit(x: x, mean_value: m)
    assert_instance_of Libcs::GammaGamma, gg
    assert_equal %i[p q gamma], gg.params.members
    # published p = 6.25, q = 3.74, gamma = 15.44 (libcs_gg_fit(3): the
    # maximum is at gamma = 15.4477, which lifetimes prints as 15.45)
    assert_equal [6.25, 3.74], [gg.params.p.round(2), gg.params.q.round(2)]
    assert_in_delta 15.44, gg.params.gamma, 0.01
    assert_in_delta(-4055.9232, gg.loglik, 1e-4)
    assert gg.converged?
    assert_equal 0, gg.se_status
    assert_close [1.19, 0.29, 4.16], gg.se.to_a.map { |s| s.round(2) }
    assert_close gg.loglik, gg.log_likelihood(x: x, mean_value: m), 1e-10
    assert_close gg.params.to_a, Libcs::GammaGamma.fit(x: x, mean_value: m, start: [6, 4, 15]).params.to_a, 1e-4
    # cents: p and q unchanged, gamma 100 times, LL lower by n log 100
    cents = Libcs::GammaGamma.fit(x: x, mean_value: m.map { |v| v * 100 })
    assert_close [gg.params.p, gg.params.q, gg.params.gamma * 100], cents.params.to_a, 1e-5
    assert_close gg.loglik - 946 * Math.log(100), cents.loglik, 1e-8
  end

  def test_cdnow_summarize
    s = cdnow_summary
    assert_instance_of Libcs::ClvSummary, s
    assert s.frozen?
    assert_equal 2357, s.size
    want = csv('cdnow_customers_summary.csv')
    spend = csv('cdnow_customers_summary_with_transactions.csv')
    assert_equal want['ID'], s.id
    want.each_with_index do |r, i|
      assert_equal r['frequency'], s.x[i], "x of customer #{r['ID']}"
      assert_in_delta r['recency'], s.t_x[i], 0.005 + 1e-9, "t_x of customer #{r['ID']}"
      assert_in_delta r['T'], s.T[i], 0.005 + 1e-9, "T of customer #{r['ID']}"
      assert_in_delta spend[i]['zbar'], s.mean_value[i], 0.005 + 1e-9, "mean value of customer #{r['ID']}"
    end
    # libcs_clv_summarize(3): customer 1, and the totals
    assert_equal({ id: 1, x: 2.0, t_x: 213 / 7.0, T: 272 / 7.0, mean_value: (29.73 + 14.96) / 2,
                   holdout_x: 1.0, holdout_value: 26.48 }, s.row(0))
    assert_equal 2457, s.x.sum
    assert_equal 1882, s.holdout_x.sum
    assert_in_delta 70_976.39, s.holdout_value.sum, 1e-6
    buyers = s.repeat_buyers
    assert_equal 946, buyers.size
    assert(buyers.x.all? { |v| v >= 1 })
    assert_equal s.row(0), buyers.row(0)
    # and the fit from the raw log gives the published estimates too
    bg = Libcs::BgNbd.fit(x: s.x, t_x: s.t_x, T: s.T)
    assert_equal FHL.values, bg.params.to_a.map { |v| v.round(3) }
    assert_equal(-9582.4, bg.loglik.round(1))
  end

  # The master file (69,659 transactions, more than one call sizes for: the
  # binding asks for the number of customers first) holds the sample's
  # customers, with the same summaries.
  def test_cdnow_master_summarize
    s = cdnow_summary('CDNOW_master.txt')
    assert_equal 23_570, s.size
    assert_equal s.id.sort, s.id.uniq.sort
    by_id = s.id.each_with_index.to_h
    sample_ids = File.readlines(data_file('CDNOW_sample.txt')).map { |l| Integer(l.split[0], 10) }.uniq
    sample = cdnow_summary
    sample_ids.each_with_index do |master_id, i|
      row = s.row(by_id.fetch(master_id))
      assert_equal sample.row(i).merge(id: master_id), row
    end
  end

  # ---- data preparation ------------------------------------------------------

  # The example of libcs_clv_summarize(3): a shop's log over eight weeks.
  def test_summarize_man_page_example
    customer = [101, 102, 101, 104, 103, 101, 106, 102, 102, 103, 101, 103]
    day = [0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41]
    amount = [20.00, 15.00, 5.00, 50.00, 40.00, 30.00, 22.50, 20.00, 10.00, 25.00, 12.00, 5.00]
    s = Libcs.clv_summarize(customer: customer, time: day, amount: amount, period: 1, time_scale: 7,
                            calibration_end: 27, holdout_end: 55)
    assert_equal [101, 102, 103, 106], s.id
    assert_equal [1.0, 2.0, 0.0, 0.0], s.x
    assert_close [2.0, 3.0, 0.0, 0.0], s.t_x
    assert_close [27 / 7.0, 24 / 7.0, 20 / 7.0, 20 / 7.0], s.T
    assert_close [30.0, 15.0, 0.0, 0.0], s.mean_value
    assert_equal [1.0, 0.0, 2.0, 0.0], s.holdout_x
    assert_close [12.0, 0.0, 30.0, 0.0], s.holdout_value
    rows = Libcs.clv_compress(x: s.x, t_x: s.t_x, T: s.T)
    assert_instance_of Libcs::ClvRows, rows
    assert rows.frozen?
    assert_equal 3, rows.size
    assert_equal [1.0, 2.0, 0.0], rows.x
    assert_equal [1.0, 1.0, 2.0], rows.weights
    assert_equal [s.T[0], s.T[1], s.T[2]], rows.T

    # no holdout (holdout_end nil), one amount for all, Integer or Float times
    s2 = Libcs.clv_summarize(customer: customer, time: day.map(&:to_f), amount: 1, period: 1, time_scale: 7,
                             calibration_end: 27)
    assert_equal s.id, s2.id
    assert_equal s.x, s2.x
    assert_equal [0.0] * 4, s2.holdout_x
    assert_equal [1.0, 1.0, 0.0, 0.0], s2.mean_value
    # periods of a week: 101's days 0 and 14 are weeks 0 and 2
    weeks = Libcs.clv_summarize(customer: customer, time: day, amount: amount, period: 7, time_scale: 7,
                                calibration_end: 27)
    assert_equal [1.0, 2.0, 0.0, 0.0], weeks.x # 102: days 3, 10 and 24 are weeks 0, 1 and 3
    assert_close [2.0, 3.0, 0.0, 0.0], weeks.t_x
    assert_close [27 / 7.0] * 2 + [20 / 7.0] * 2, weeks.T
    # nobody born by the calibration end: no customers, not an error
    none = Libcs.clv_summarize(customer: [7], time: [10], amount: [1], period: 1, time_scale: 1, calibration_end: 5)
    assert_equal 0, none.size
    assert_equal [[]] * 7, none.to_a
    # negative ids and times, the largest ids
    ids = [-5, 2**63 - 1, -2**63]
    odd = Libcs.clv_summarize(customer: ids, time: [-3, 0, 1], amount: 0, period: 1, time_scale: 1,
                              calibration_end: 1)
    assert_equal ids, odd.id
  end

  def test_compress_weights
    rows = Libcs.clv_compress(x: [0, 1, 0, 1, 2], t_x: [0, 2, 0, 2, 3], T: [5, 5, 5, 5, 5],
                              weights: [1.5, 2, 0.5, 0, 0])
    assert_equal [0.0, 1.0], rows.x
    assert_equal [2.0, 2.0], rows.weights # the last row's weights add up to 0: dropped
    assert_equal 0, Libcs.clv_compress(x: [1], t_x: 1, T: 2, weights: 0).size
    # fitting weighted rows is fitting the rows they stand for (300 CDNOW
    # customers: enough to identify the four parameters)
    cd = csv('cdnow_customers_summary.csv').first(300)
    x = cd.map { |r| r['frequency'] }
    t_x = cd.map { |r| r['recency'] }
    big_t = cd.map { |r| r['T'] }
    plain = Libcs::BgNbd.fit(x: x * 3, t_x: t_x * 3, T: big_t * 3)
    weighted = Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t, weights: 3)
    assert_close plain.params.to_a, weighted.params.to_a, 1e-6
    assert_close plain.loglik, weighted.loglik, 1e-10
  end

  # ---- predictions ----------------------------------------------------------

  # References computed with mpmath (tests/test_bgnbd.c).
  def test_predictions_against_references
    m = fhl
    assert_close 0.43241336223442557, m.expected(t: 10), 1e-11
    assert_close 1.1967231933208168, m.expected(t: 39), 1e-11
    assert_equal 0.0, m.expected(t: 0)
    assert_close 0.57378635209600941, m.pmf(t: 39, k: 0), 1e-11
    assert_close 0.085429759539060759, m.pmf(t: 39, k: 2), 1e-11
    assert_close 0.72657857008067291, m.palive(x: 2, t_x: 30.43, T: 38.86), 1e-12
    assert_close 1.2260281747671444, m.conditional(x: 2, t_x: 30.43, T: 38.86, t: 39), 1e-11
    assert_close 3.2446451084443942, m.conditional(x: 5, t_x: 36.14, big_t: 38.86, t: 39), 1e-11
    assert_equal 1.0, m.palive(x: 0, t_x: 0, T: 38.86)
    # E[X(t)] is the mean of P(X(t) = k)
    mean = (0..400).sum { |k| k * m.pmf(t: 39, k: k) }
    assert_close m.expected(t: 39), mean, 1e-6
    # one step, no discount: the CLV is value x E[Y(t)]
    assert_close 25 * m.conditional(x: 2, t_x: 30.43, T: 38.86, t: 52),
                 m.clv(x: 2, t_x: 30.43, T: 38.86, value: 25, step: 52, steps: 1, discount: 0), 1e-14
    assert_equal 0.0, m.clv(x: 2, t_x: 30.43, T: 38.86, value: 25, step: 4, steps: 0, discount: 0.01)
    # two steps: v (e1 / 1.05 + (e2 - e1) / 1.05^2)
    e1 = m.conditional(x: 3, t_x: 10, T: 38.86, t: 4)
    e2 = m.conditional(x: 3, t_x: 10, T: 38.86, t: 8)
    assert_close 10 * (e1 / 1.05 + (e2 - e1) / 1.05**2),
                 m.clv(x: 3, t_x: 10, T: 38.86, value: 10, step: 4, steps: 2, discount: 0.05), 1e-13
  end

  # Each batch equals its scalar twin element by element, single values
  # stand for every customer, and the batch is one C call.
  def test_batch_equals_scalar
    s = cdnow_summary
    m = Libcs::BgNbd.fit(x: s.x, t_x: s.t_x, T: s.T)
    n = s.size
    cond = m.conditional(x: s.x, t_x: s.t_x, T: s.T, t: 39)
    alive = m.palive(x: s.x, t_x: s.t_x, T: s.T)
    value = s.mean_value.map { |v| v + 10 }
    clv = m.clv(x: s.x, t_x: s.t_x, T: s.T, value: value, step: 4, steps: 13, discount: 0.01)
    [cond, alive, clv].each { |a| assert_equal n, a.size }
    n.times do |i|
      assert_close m.conditional(x: s.x[i], t_x: s.t_x[i], T: s.T[i], t: 39), cond[i], 1e-12
      assert_equal m.palive(x: s.x[i], t_x: s.t_x[i], T: s.T[i]), alive[i]
      assert_equal m.clv(x: s.x[i], t_x: s.t_x[i], T: s.T[i], value: value[i], step: 4, steps: 13, discount: 0.01),
                   clv[i]
    end
    # single values broadcast
    two = m.conditional(x: [0, 2], t_x: [0, 30.43], T: 38.86, t: 39)
    assert_close [m.conditional(x: 0, t_x: 0, T: 38.86, t: 39), m.conditional(x: 2, t_x: 30.43, T: 38.86, t: 39)],
                 two, 1e-12
    assert_equal [m.palive(x: 1, t_x: 1, T: 2)] * 3, m.palive(x: 1, t_x: [1, 1, 1], T: 2)
    assert_equal m.clv(x: s.x[0..2], t_x: s.t_x[0..2], T: s.T[0..2], value: [20] * 3, step: 4, steps: 3, discount: 0),
                 m.clv(x: s.x[0..2], t_x: s.t_x[0..2], T: s.T[0..2], value: 20, step: 4, steps: 3, discount: 0)

    gg = Libcs::GammaGamma.fit(x: s.repeat_buyers.x, mean_value: s.repeat_buyers.mean_value)
    b = s.repeat_buyers
    e = gg.expected(x: b.x, mean_value: b.mean_value)
    assert_equal b.size, e.size
    b.size.times { |i| assert_equal gg.expected(x: b.x[i], mean_value: b.mean_value[i]), e[i] }
    assert_equal [gg.expected(x: 1, mean_value: 5)] * 2, gg.expected(x: 1, mean_value: [5, 5])
  end

  # The example of libcs_bgnbd_fit(3).
  def test_bgnbd_man_page_example
    cdnow = fhl
    assert_equal [1.1967, 0.5738], [cdnow.expected(t: 39).round(4), cdnow.pmf(t: 39, k: 0).round(4)]
    x = [2, 1, 0, 14]
    t_x = [30.43, 1.71, 0, 37.86]
    month = 52.0 / 12
    assert_equal [0.7266, 0.2121, 1.0, 0.9331], cdnow.palive(x: x, t_x: t_x, T: 38.86).map { |v| v.round(4) }
    assert_equal [1.226, 0.2032, 0.1951, 9.3667],
                 cdnow.conditional(x: x, t_x: t_x, T: 38.86, t: 39).map { |v| v.round(4) }
    assert_equal [52.0, 8.66, 8.4, 392.18],
                 cdnow.clv(x: x, t_x: t_x, T: 38.86, value: 35, step: month, steps: 12,
                           discount: 1.1**(1.0 / 12) - 1).map { |v| v.round(2) }
    per_month = Libcs::BgNbd.new(r: 0.243, alpha: 4.414 / month, a: 0.793, b: 2.426)
    assert_equal 1.226, per_month.conditional(x: 2, t_x: 30.43 / month, T: 38.86 / month, t: 9).round(4)
    sample = cdnow.simulate(T: Array.new(5000) { |i| 27 + 12 * (i + 0.5) / 5000 }, seed: 1997)
    fit = Libcs::BgNbd.fit(**sample.to_h)
    assert_equal [0.237, 4.51, 0.759, 2.65], fit.params.to_a.zip([3, 2, 3, 2]).map { |v, d| v.round(d) }
    assert_equal [0.008, 0.26, 0.133, 0.59], fit.se.to_a.zip([3, 2, 3, 2]).map { |v, d| v.round(d) }
    assert_equal(-20_442.97, fit.loglik.round(2))
  end

  # The example of libcs_gg_fit(3).
  def test_gamma_gamma_man_page_example
    cdnow = Libcs::GammaGamma.new(p: 6.25, q: 3.74, gamma: 15.44)
    x = [2, 1, 7, 1, 2, 20]
    m = [22.35, 11.77, 73.74, 11.77, 25.55, 41.20]
    assert_equal [24.66, 18.92, 71.47, 18.92, 27.29, 41.07], cdnow.expected(x: x, mean_value: m).map { |v| v.round(2) }
    assert_close 375.875 / 15.24, cdnow.expected(x: 2, mean_value: 22.35), 1e-14
    assert_equal(-25.0961, cdnow.log_likelihood(x: x, mean_value: m).round(4))
    sx = Array.new(2000) { |i| 1 + i % 4 }
    sm = Libcs::GammaGamma.simulate(p: 6, q: 4, gamma: 15, x: sx, seed: 2026)
    assert_equal 2000, sm.size
    assert(sm.all? { |v| v.positive? && v.finite? })
    fit = Libcs::GammaGamma.fit(x: sx, mean_value: sm)
    assert_equal [5.54, 4.36, 18.07], fit.params.to_a.map { |v| v.round(2) }
    assert_equal [0.76, 0.25, 3.50], fit.se.to_a.map { |v| v.round(2) }
    assert_equal(-8197.62, fit.loglik.round(2))
    e = assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_gg_expected, argument: 'q', index: nil) do
      Libcs::GammaGamma.new(p: 2, q: 0.9, gamma: 10).expected(x: 1, mean_value: 10)
    end
    assert_match(/q = 0.9; the population mean p gamma \/ \(q - 1\) is infinite when q <= 1/, e.message)
    assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_gg_expected_batch, argument: 'q',
                                                    index: nil) do
      Libcs::GammaGamma.new(p: 2, q: 1, gamma: 10).expected(x: [1, 2], mean_value: 10)
    end
    # the population mean, computed by the binding with the library's rules
    assert_equal 35.22, cdnow.population_mean.round(2)
    assert_close 6.25 * 15.44 / 2.74, cdnow.population_mean, 1e-15
    assert_libcs_error(Libcs::UndefinedResultError, function: 'Libcs::GammaGamma#population_mean', argument: 'q',
                                                    index: nil, message: /q = 1.0; the population mean is infinite/) do
      Libcs::GammaGamma.new(p: 2, q: 1, gamma: 10).population_mean
    end
    assert_libcs_error(Libcs::DomainError, argument: 'p') { Libcs::GammaGamma.new(p: 0, q: 2, gamma: 10).population_mean }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'gamma') do
      Libcs::GammaGamma.new(p: 1, q: 2, gamma: Float::NAN).population_mean
    end
    assert_libcs_error(Libcs::OverflowError) { Libcs::GammaGamma.new(p: 1e300, q: 2, gamma: 1e300).population_mean }
    # q <= 1 may be simulated
    assert_equal 3, Libcs::GammaGamma.new(p: 2, q: 0.9, gamma: 10).simulate(x: [1, 2, 3], seed: 1).size
  end

  def test_simulate
    m = fhl
    big_t = Array.new(3000) { |i| 20.0 + i % 20 }
    a = m.simulate(T: big_t, seed: 42)
    assert_instance_of Libcs::ClvRows, a
    assert_equal a, m.simulate(big_t: big_t, seed: 42)
    assert_equal a, Libcs::BgNbd.simulate(**FHL, T: big_t, seed: 42)
    refute_equal a, m.simulate(T: big_t, seed: 43)
    assert_equal big_t, a.T
    assert_nil a.weights
    3000.times do |i|
      assert_equal a.x[i], a.x[i].floor
      assert_operator a.t_x[i], :<=, a.T[i]
      assert_equal 0.0, a.t_x[i] if a.x[i].zero?
    end
    # the simulated customers fit back to about the parameters
    f = Libcs::BgNbd.fit(**a.to_h)
    assert_in_delta FHL[:r], f.params.r, 4 * f.se.r
    assert_in_delta FHL[:a], f.params.a, 4 * f.se.a
    g = Libcs::GammaGamma.new(p: 6, q: 4, gamma: 15)
    assert_equal g.simulate(x: [1, 2], seed: 2**64 - 1), g.simulate(x: [1, 2], seed: 2**64 - 1)
  end

  def test_models_from_parameters
    m = fhl
    refute m.fitted?
    assert m.frozen?
    assert_nil m.loglik
    assert_nil m.se
    assert_nil m.converged
    assert_nil m.iterations
    assert_nil m.se_status
    assert_equal Libcs::BgNbd::Params.new(0.243, 4.414, 0.793, 2.426), m.params
    assert m.params.frozen?
    assert_equal m, Libcs::BgNbd.new(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    assert_equal m.hash, Libcs::BgNbd.new(**m.params.to_h).hash
    refute_equal m, Libcs::BgNbd.new(r: 0.243, alpha: 4.414, a: 0.793, b: 2.427)
    assert_equal '#<Libcs::BgNbd r=0.243 alpha=4.414 a=0.793 b=2.426>', m.inspect
    assert_equal 'Libcs::BgNbd::Params', m.params.class.name
    g = Libcs::GammaGamma.new(p: 6, q: Rational(15, 4), gamma: 15)
    assert_equal [6.0, 3.75, 15.0], g.params.to_a
    refute_equal g, m
    assert_raises(ArgumentError) { Libcs::BgNbd.new(r: 1, alpha: 1, a: 1) }
    assert_raises(TypeError) { Libcs::BgNbd.new(r: '1', alpha: 1, a: 1, b: 1) }
    assert_raises(FrozenError) { m.instance_variable_set(:@loglik, 1) }
  end

  # ---- non-convergence --------------------------------------------------------

  # Every mean value the same: the maximum of the Gamma-Gamma likelihood is
  # at infinity, and the fit says so with the best point it found.
  def test_not_converged_carries_the_result
    e = assert_libcs_error(Libcs::NotConvergedError, function: :libcs_gg_fit, index: nil) do
      Libcs::GammaGamma.fit(x: Array.new(50, 2), mean_value: 10)
    end
    r = e.result
    assert_instance_of Libcs::GammaGamma, r
    assert r.fitted?
    assert_equal false, r.converged
    refute r.converged?
    assert_operator r.params.q, :>, 1e6
    assert_match(/did not converge \(no maximum-likelihood estimate \(gradient test not met, or a flat likelihood\); #result holds the point where the fit stopped \(p=/,
                 e.message)
    assert_match(/not converged>\z/, r.inspect)
    # the result is a model like any other, and a start for another fit
    assert_kind_of Float, r.expected(x: 2, mean_value: 10)
    e2 = assert_raises(Libcs::NotConvergedError) do
      Libcs::GammaGamma.fit(x: Array.new(50, 2), mean_value: 10, start: r)
    end
    assert_operator e2.result.loglik, :>=, r.loglik - 1e-9 * r.loglik.abs
    # predictions whose series would need too many terms: no result
    e = assert_libcs_error(Libcs::NotConvergedError, function: :libcs_bgnbd_expected, index: nil) do
      fhl.expected(t: 1e7)
    end
    assert_nil e.result
    assert_match(/a horizon too long for these parameters/, e.message)
    e = assert_libcs_error(Libcs::NotConvergedError, function: :libcs_bgnbd_conditional_batch) do
      fhl.conditional(x: [2, 0, 0], t_x: [1, 0, 0], T: [2, 0, 0], t: 1e7)
    end
    # the customer whose series gives up is 1 (tests/test_bgnbd.c,
    # test_batch_errors)
    assert_equal 1, e.index
    assert_nil e.result
    assert_libcs_error(Libcs::NotConvergedError, function: :libcs_bgnbd_clv) do
      fhl.clv(x: 0, t_x: 0, T: 0, value: 1, step: 1e7, steps: 1, discount: 0)
    end
  end

  # ---- errors -------------------------------------------------------------------

  def test_fit_errors_name_the_row
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_fit, argument: 'x[2]', index: 2) do
      Libcs::BgNbd.fit(x: [0, 1, 1.5], t_x: [0, 1, 1], T: 5)
    end
    assert_match(/at index 2 \(x\[2\] = 1.5; x is a whole number from 0 to 10\^15\)/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 't_x[1]', index: 1, message: /t_x <= T/) do
      Libcs::BgNbd.fit(x: [0, 1], t_x: [0, 6], T: 5)
    end
    assert_libcs_error(Libcs::DomainError, argument: 't_x[0]', index: 0, message: /t_x = 0 when x = 0/) do
      Libcs::BgNbd.fit(x: [0, 1], t_x: [1, 1], T: 5)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'T[1]', index: 1, message: /T >= 0/) do
      Libcs::BgNbd.fit(x: [0, 0], t_x: 0, T: [1, -1])
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'T', index: 0) do
      Libcs::BgNbd.fit(x: [0, 0], t_x: 0, T: Float::NAN)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'weights[1]', index: 1) do
      Libcs::BgNbd.fit(x: [0, 0], t_x: 0, T: 3, weights: [1, Float::INFINITY])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'weights[0]', index: 0, message: /weights are >= 0/) do
      Libcs::BgNbd.fit(x: [0, 0], t_x: 0, T: 3, weights: [-1, 1])
    end
    assert_libcs_error(Libcs::EmptyInputError, argument: 'weights', message: /every weight is 0/) do
      Libcs::BgNbd.fit(x: [0, 0], t_x: 0, T: 3, weights: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgnbd_fit, argument: 'x', message: /no customers/) do
      Libcs::BgNbd.fit(x: [], t_x: [], T: [])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'start[:alpha]', index: nil) do
      Libcs::BgNbd.fit(x: [0, 1], t_x: [0, 1], T: 3, start: [1, 0, 1, 1])
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'start[:b]') do
      Libcs::BgNbd.fit(x: [0, 1], t_x: [0, 1], T: 3, start: { r: 1, alpha: 1, a: 1, b: Float::NAN })
    end
    # bad parameters fail when the model is made (as in Python), then the rows
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_expected, argument: 'r') do
      Libcs::BgNbd.new(r: -1, alpha: 1, a: 1, b: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_expected, argument: 'r') do
      Libcs::BgNbd.new(r: Float::NAN, alpha: 1, a: 1, b: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_loglik, argument: 't_x[0]', index: 0) do
      fhl.log_likelihood(x: [2], t_x: [9], T: 1)
    end
    # Gamma-Gamma: repeat buyers only, positive mean values
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_gg_fit, argument: 'x[1]', index: 1) do
      Libcs::GammaGamma.fit(x: [1, 0, 2], mean_value: [5, 0, 3])
    end
    assert_match(/repeat buyers only/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'mean_value[2]', index: 2, message: /mean values are > 0/) do
      Libcs::GammaGamma.fit(x: [1, 1, 2], mean_value: [5, 1, -3])
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_gg_loglik, argument: 'mean_value', index: 0) do
      Libcs::GammaGamma.new(p: 1, q: 2, gamma: 3).log_likelihood(x: [1, 2], mean_value: Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_expected, argument: 'gamma') do
      Libcs::GammaGamma.new(p: 1, q: 2, gamma: 0) # new checks the parameters
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_gg_fit, argument: 'weights') do
      Libcs::GammaGamma.fit(x: [1, 2], mean_value: 1, weights: [0, 0])
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_gg_fit, message: /beyond a double/) do
      Libcs::GammaGamma.fit(x: [1, 2], mean_value: [1, 2], weights: [Float::MAX, Float::MAX])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'start[:q]') do
      Libcs::GammaGamma.fit(x: [1, 2], mean_value: [1, 2], start: [1, -2, 1])
    end
  end

  def test_prediction_errors
    m = fhl
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_expected, argument: 't', index: nil) do
      m.expected(t: -1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_pmf, argument: 't') do
      m.pmf(t: Float::NAN, k: 1)
    end
    e = assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_expected, argument: 'alpha') do
      Libcs::BgNbd.new(r: 0.2, alpha: Float::INFINITY, a: 1, b: 1)
    end
    assert_match(/the BG\/NBD parameters are > 0/, e.message)
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_expected, argument: 'b') do
      Libcs::BgNbd.new(r: 0.2, alpha: 1, a: 1, b: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_conditional, argument: 'x') do
      m.conditional(x: -1, t_x: 0, T: 1, t: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_conditional, argument: 't') do
      m.conditional(x: 1, t_x: 0.5, T: 1, t: -1)
    end
    # batches: the first bad customer, named by its index
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_conditional_batch, argument: 't_x[1]',
                                               index: 1) do
      m.conditional(x: [1, 1, 2], t_x: [0.5, 3, -1], T: 2, t: 39)
    end
    assert_match(/at index 1 \(t_x\[1\] = 3; t_x <= T\)/, e.message)
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_conditional_batch, argument: 't',
                                              index: nil) do
      m.conditional(x: [1], t_x: [0.5], T: 2, t: Float::INFINITY)
    end
    # a negative t is refused before any row is read: no index
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_conditional_batch, argument: 't', index: nil) do
      m.conditional(x: [1], t_x: [0.5], T: 2, t: -1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_palive_batch, argument: 'x[1]', index: 1) do
      m.palive(x: [1, 2.5], t_x: [0.5, 1], T: 2)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_palive_batch, argument: 'T', index: 0) do
      m.palive(x: [1, 2], t_x: [0.5, 1], T: Float::NAN)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_clv_batch, argument: 'value[1]', index: 1) do
      m.clv(x: [1, 2], t_x: [0.5, 1], T: 2, value: [3, -3], step: 1, steps: 3, discount: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_clv_batch, argument: 'step', index: 0) do
      m.clv(x: [1, 2], t_x: [0.5, 1], T: 2, value: 3, step: 0, steps: 3, discount: 0)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_clv, argument: 'discount', index: nil) do
      m.clv(x: 1, t_x: 0.5, T: 2, value: 3, step: 1, steps: 3, discount: -1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_clv, argument: 'value') do
      m.clv(x: 1, t_x: 0.5, T: 2, value: Float::NAN, step: 1, steps: 3, discount: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgnbd_palive_batch, message: /no customers/) do
      m.palive(x: [], t_x: [], T: [])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgnbd_clv_batch) do
      m.clv(x: [], t_x: [], T: [], value: 1, step: 1, steps: 1, discount: 0)
    end
    gg = Libcs::GammaGamma.new(p: 6.25, q: 3.74, gamma: 15.44)
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_expected_batch, argument: 'x[1]', index: 1) do
      gg.expected(x: [1, -1], mean_value: 5)
    end
    # a one-time buyer (x = 0): the population mean, its mean value ignored but >= 0
    assert_equal gg.population_mean, gg.expected(x: 0, mean_value: 0)
    assert_equal [gg.population_mean] * 2, gg.expected(x: [0, 0], mean_value: [7, 0]).to_a
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_expected, argument: 'mean_value') do
      gg.expected(x: 0, mean_value: -1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_expected, argument: 'mean_value') do
      gg.expected(x: 1, mean_value: 0)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_gg_expected_batch) do
      gg.expected(x: [], mean_value: [])
    end
    # a bad row is reported whatever q is, as a single call checks its row first
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_expected_batch, argument: 'mean_value[0]',
                                           index: 0) do
      Libcs::GammaGamma.new(p: 1, q: 0.5, gamma: 1).expected(x: [1], mean_value: [-1])
    end
    # simulators
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_simulate, argument: 'T[1]', index: 1) do
      m.simulate(T: [1, -1], seed: 1)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgnbd_simulate, argument: 'T') do
      m.simulate(T: [], seed: 1)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_expected, argument: 'a') do
      Libcs::BgNbd.simulate(r: 1, alpha: 1, a: -1, b: 1, T: [1], seed: 1) # new checks the parameters
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_gg_simulate, argument: 'x[2]', index: 2) do
      gg.simulate(x: [1, 2, 0.5], seed: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_gg_simulate, argument: 'x[0]', index: 0) do
      gg.simulate(x: [Float::NAN], seed: 1)
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_gg_simulate, message: /outside the positive doubles/) do
      Libcs::GammaGamma.new(p: 1e-3, q: 1e-3, gamma: 1).simulate(x: Array.new(2000, 1), seed: 7)
    end
  end

  def test_data_errors
    log = { customer: [1, 2, 1], time: [0, 1, 2], amount: [5, 6, 7] }
    base = { period: 1, time_scale: 1, calibration_end: 1 }
    assert_libcs_error(Libcs::DomainError, function: :libcs_clv_summarize, argument: 'amount[2]', index: 2,
                                           message: /amounts are >= 0/) do
      Libcs.clv_summarize(**log, amount: [5, 6, -7], **base)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'time[1]', index: 1) do
      Libcs.clv_summarize(**log, time: [0, Float::NAN, 2], **base)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'amount', index: 0) do
      Libcs.clv_summarize(**log, amount: Float::INFINITY, **base)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'period', index: nil) do
      Libcs.clv_summarize(**log, **base, period: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'time_scale', index: nil) do
      Libcs.clv_summarize(**log, **base, time_scale: -7)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'holdout_end', message: /holdout_end >= calibration_end/) do
      Libcs.clv_summarize(**log, **base, holdout_end: 0)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'calibration_end') do
      Libcs.clv_summarize(**log, **base, calibration_end: Float::NAN)
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_clv_summarize, argument: 'customer') do
      Libcs.clv_summarize(customer: [], time: [], amount: [], **base)
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_clv_summarize, index: nil) do
      Libcs.clv_summarize(customer: [1, 1, 1], time: [0, 1, 1], amount: [1, Float::MAX, Float::MAX], **base)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_clv_compress, argument: 'x[1]', index: 1) do
      Libcs.clv_compress(x: [0, -1], t_x: 0, T: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_clv_compress, argument: 'weights[0]', index: 0) do
      Libcs.clv_compress(x: [0, 1], t_x: [0, 1], T: 1, weights: [Float::NAN, 1])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_clv_compress, argument: 'x') do
      Libcs.clv_compress(x: [], t_x: [], T: [])
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_clv_compress, message: /merged weight/) do
      Libcs.clv_compress(x: [0, 0], t_x: 0, T: 1, weights: [Float::MAX, Float::MAX])
    end
  end

  def test_argument_errors
    m = fhl
    e = assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: [0], t_x: [0]) }
    assert_equal 'missing keyword: :T', e.message
    e = assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: [0], t_x: [0], T: [1], big_t: [1]) }
    assert_match(/T: and big_t: are the same argument/, e.message)
    e = assert_raises(ArgumentError) { m.palive(x: 0, t_x: 0, T: 1, bogus: 2) }
    assert_equal 'unknown keyword: :bogus', e.message
    e = assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: [0, 1], t_x: [0, 1, 2], T: 3) }
    assert_equal 'libcs_bgnbd_fit: x has 2 elements but t_x has 3', e.message
    e = assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: 0, t_x: 0, T: 3) }
    assert_equal 'libcs_bgnbd_fit: at least one of x, t_x, T must be an Array', e.message
    e = assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: [0], t_x: 0, T: 3, start: [1, 2]) }
    assert_match(/start: 4 values \(r, alpha, a, b\), got 2/, e.message)
    assert_raises(ArgumentError) { Libcs::BgNbd.fit(x: [0], t_x: 0, T: 3, start: { r: 1 }) }
    assert_raises(TypeError) { Libcs::BgNbd.fit(x: [0], t_x: 0, T: 3, start: 'fast') }
    e = assert_raises(TypeError) { Libcs::BgNbd.fit(x: [0, '1'], t_x: 0, T: 3) }
    assert_match(/x\[1\] must be Numeric/, e.message)
    assert_raises(TypeError) { m.conditional(x: 1, t_x: 0, T: 1, t: [1, 2]) }
    assert_raises(TypeError) { m.pmf(t: 1, k: 1.5) }
    assert_raises(Libcs::OutOfRangeError) { m.pmf(t: 1, k: -1) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(T: [1], seed: -1) }
    assert_raises(Libcs::OutOfRangeError) { m.simulate(T: [1], seed: 2**64) }
    assert_raises(TypeError) { m.simulate(T: 1, seed: 1) }
    assert_raises(Libcs::OutOfRangeError) { m.clv(x: 1, t_x: 0, T: 1, value: 1, step: 1, steps: 2**32, discount: 0) }
    gg = Libcs::GammaGamma.new(p: 1, q: 2, gamma: 3)
    e = assert_raises(ArgumentError) { gg.expected(x: [1, 2], mean_value: [1]) }
    assert_equal 'libcs_gg_expected_batch: x has 2 elements but mean_value has 1', e.message
    e = assert_raises(ArgumentError) do
      Libcs.clv_summarize(customer: [1, 2], time: [0], amount: 1, period: 1, time_scale: 1, calibration_end: 1)
    end
    assert_equal 'libcs_clv_summarize: customer has 2 elements but time has 1', e.message
    e = assert_raises(TypeError) do
      Libcs.clv_summarize(customer: ['a'], time: [0], amount: 1, period: 1, time_scale: 1, calibration_end: 1)
    end
    assert_match(/customer\[0\] must be an Integer/, e.message)
    assert_raises(Libcs::OutOfRangeError) do
      Libcs.clv_summarize(customer: [2**63], time: [0], amount: 1, period: 1, time_scale: 1, calibration_end: 1)
    end
    assert_raises(TypeError) do
      Libcs.clv_summarize(customer: 1, time: [0], amount: 1, period: 1, time_scale: 1, calibration_end: 1)
    end
  end

  # The new customer's predictions over Arrays: one call of the _batch
  # twin, bit for bit the single calls.
  def test_new_customer_batch
    m = fhl
    ts = [0.5, 1, 10, 39, 52, 78, 1000]
    curve = m.expected(t: ts)
    assert_equal ts.map { |t| m.expected(t: t) }, curve
    assert_close 1.1967231933208168, curve[3], 1e-11
    dist = m.pmf(t: 39, k: (0..24).to_a)
    assert_equal (0..24).map { |k| m.pmf(t: 39, k: k) }, dist
    assert_close 0.57378635209600941, dist[0], 1e-11
    assert_equal [m.pmf(t: 1, k: 2), m.pmf(t: 78, k: 0)], m.pmf(t: [1, 78], k: [2, 0])
    assert_libcs_error(Libcs::DomainError, function: :libcs_bgnbd_expected_batch, argument: 't[1]', index: 1) do
      m.expected(t: [1, -1, 3])
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_bgnbd_pmf_batch, argument: 't[2]', index: 2) do
      m.pmf(t: [1, 2, Float::NAN], k: 1)
    end
    assert_libcs_error(Libcs::NotConvergedError, function: :libcs_bgnbd_expected_batch, index: 1) do
      m.expected(t: [1, 1e7])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_bgnbd_pmf_batch, message: /no horizons/) do
      m.pmf(t: [], k: [])
    end
    assert_raises(Libcs::OutOfRangeError) { m.pmf(t: 1, k: [0, -1]) }
    assert_raises(TypeError) { m.pmf(t: [1, 2], k: [0, 1.5]) }
    e = assert_raises(ArgumentError) { m.pmf(t: [1, 2], k: [0, 1, 2]) }
    assert_match(/t has 2 elements but k has 3/, e.message)
  end
end
