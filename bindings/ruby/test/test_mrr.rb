# frozen_string_literal: true

# bindings/ruby/test/test_mrr.rb - the MRR ledger: tests/test_mrr.c's
# hand-worked data set (movements under every reactivation window, rates
# with each denominator, cohorts, capped GRR), the example of
# libcs_mrr_rates_batch(3), rows made by hand, serialization and Marshal,
# merging, duplicates, handle ownership, and every error path.
require_relative 'test_helper'

class TestMrr < Minitest::Test
  # Customers of the hand data set (extreme ids check the grouping).
  A = 1001
  B = 42
  C = -5
  D = 2**63 - 1
  E = -2**63
  F = 7
  G = 0
  FIRST = 100
  NP = 7
  # tests/test_mrr.c's 28 records, in its order shuffled by hand:
  #   customer          P0   P1   P2   P3   P4   P5   P6   (periods 100..106)
  #   A = 1001         100  150  150  120  120  120  120
  #   B = 42           200  200    0    .    .    .    .
  #   C = -5           300    .    .  250  250    .    .
  #   D = INT64_MAX      .   80   80    .    .    .   90
  #   E = INT64_MIN      0    0  500  700  700  400  400
  #   F = 7              .    .    .    .   60    .    .
  #   G = 0             50    0    0   50    .    .    .
  HAND = [
    [E, 104, 700], [A, 101, 150], [G, 102, 0], [D, 106, 90],
    [B, 100, 200], [C, 103, 250], [A, 106, 120], [E, 100, 0],
    [F, 104, 60], [A, 100, 100], [G, 100, 50], [E, 106, 400],
    [B, 102, 0], [D, 101, 80], [A, 103, 120], [E, 102, 500],
    [C, 100, 300], [G, 103, 50], [A, 105, 120], [E, 101, 0],
    [D, 102, 80], [A, 102, 150], [E, 105, 400], [C, 104, 250],
    [B, 101, 200], [G, 101, 0], [A, 104, 120], [E, 103, 700]
  ].freeze

  # period, reserved, start, new, expansion, contraction, churned,
  # reactivation, end; customers: start, new, churned, reactivated, end
  HAND_ANY = [
    [100, 0, 0, 650, 0, 0, 0, 0, 650, 0, 4, 0, 0, 4],
    [101, 0, 650, 80, 50, 0, 350, 0, 430, 4, 1, 2, 0, 3],
    [102, 0, 430, 500, 0, 0, 200, 0, 730, 3, 1, 1, 0, 3],
    [103, 0, 730, 0, 200, 30, 80, 300, 1120, 3, 0, 1, 2, 4],
    [104, 0, 1120, 60, 0, 0, 50, 0, 1130, 4, 1, 1, 0, 4],
    [105, 0, 1130, 0, 0, 300, 310, 0, 520, 4, 0, 2, 0, 2],
    [106, 0, 520, 0, 0, 0, 0, 90, 610, 2, 0, 0, 1, 3]
  ].freeze
  # K = 2: D (gap 3) is new business in P6
  HAND_K2 = (HAND_ANY[0, 6] + [[106, 0, 520, 90, 0, 0, 0, 0, 610, 2, 1, 0, 0, 3]]).freeze
  # K = 1 and K = 0: C and G (gap 2) new in P3 too
  HAND_K1 = (HAND_ANY[0, 3] + [[103, 0, 730, 300, 200, 30, 80, 0, 1120, 3, 2, 1, 0, 4]] + HAND_K2[4, 3]).freeze

  NA = Float::NAN
  UD = Libcs::Status::EUNDEFINED
  # rates with the start denominator: customer churn, gross MRR churn, net
  # MRR churn, NRR, GRR, quick ratio, ARPA (tests/test_mrr.c works them out)
  HAND_RATES = [
    [NA, NA, NA, NA, NA, NA, 650.0 / 4],
    [2.0 / 4, 350.0 / 650, 300.0 / 650, 350.0 / 650, 300.0 / 650, 130.0 / 350, 430.0 / 3],
    [1.0 / 3, 200.0 / 430, 200.0 / 430, 230.0 / 430, 230.0 / 430, 500.0 / 200, 730.0 / 3],
    [1.0 / 3, 110.0 / 730, -390.0 / 730, 1120.0 / 730, 620.0 / 730, 500.0 / 110, 1120.0 / 4],
    [1.0 / 4, 50.0 / 1120, 50.0 / 1120, 1070.0 / 1120, 1070.0 / 1120, 60.0 / 50, 1130.0 / 4],
    [2.0 / 4, 610.0 / 1130, 610.0 / 1130, 520.0 / 1130, 520.0 / 1130, 0.0 / 610, 520.0 / 2],
    [0.0 / 2, 0.0 / 520, -90.0 / 520, 610.0 / 520, 520.0 / 520, NA, 610.0 / 3]
  ].freeze
  HAND_STATUS = [[UD, UD, UD, UD, UD, UD, 0], [0] * 7, [0] * 7, [0] * 7, [0] * 7, [0] * 7,
                 [0, 0, 0, 0, 0, UD, 0]].freeze
  HAND_CHURN_SPN = [0.0, 2.0 / 5, 1.0 / 4, 1.0 / 5, 1.0 / 5, 2.0 / 4, 0.0].freeze
  HAND_CHURN_AVG = [0.0, 4.0 / 7, 1.0 / 3, 2.0 / 7, 1.0 / 4, 2.0 / 3, 0.0].freeze

  U = -1
  HAND_COH_CUST = [
    [4, 2, 1, 3, 2, 1, 1], [1, 1, 0, 0, 0, 1, U], [1, 1, 1, 1, 1, U, U],
    [0, 0, 0, 0, U, U, U], [1, 0, 0, U, U, U, U], [0, 0, U, U, U, U, U],
    [0, U, U, U, U, U, U]
  ].freeze
  HAND_COH_REV = [
    [650, 350, 150, 420, 370, 120, 120], [80, 80, 0, 0, 0, 90, U],
    [500, 700, 700, 400, 400, U, U], [0, 0, 0, 0, U, U, U],
    [60, 0, 0, U, U, U, U], [0, 0, U, U, U, U, U], [0, U, U, U, U, U, U]
  ].freeze
  HAND_COH_CS = [
    [4.0 / 4, 2.0 / 4, 1.0 / 4, 3.0 / 4, 2.0 / 4, 1.0 / 4, 1.0 / 4],
    [1, 1, 0, 0, 0, 1, NA], [1, 1, 1, 1, 1, NA, NA], [NA] * 7,
    [1, 0, 0, NA, NA, NA, NA], [NA] * 7, [NA] * 7
  ].freeze
  HAND_COH_RS = [
    [650.0 / 650, 350.0 / 650, 150.0 / 650, 420.0 / 650, 370.0 / 650, 120.0 / 650, 120.0 / 650],
    [80.0 / 80, 80.0 / 80, 0, 0, 0, 90.0 / 80, NA],
    [500.0 / 500, 700.0 / 500, 700.0 / 500, 400.0 / 500, 400.0 / 500, NA, NA],
    [NA] * 7, [60.0 / 60, 0, 0, NA, NA, NA, NA], [NA] * 7, [NA] * 7
  ].freeze
  # capped GRR of P1..P6 (P0 has no period before it)
  HAND_CAPPED = [300.0 / 650, 230.0 / 430, 620.0 / 730, 1070.0 / 1120, 520.0 / 1130, 1.0].freeze

  # The hand data in one ledger, added in chunks of 5, 0, 9, 1 and 13.
  def hand_ledger(window = nil)
    ledger = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP, reactivation_window: window)
    at = 0
    [5, 0, 9, 1, 13].each do |k|
      chunk = HAND[at, k]
      ledger.add(customers: chunk.map { |r| r[0] }, periods: chunk.map { |r| r[1] }, mrr: chunk.map { |r| r[2] })
      at += k
    end
    assert_equal 28, ledger.size
    ledger
  end

  def add_all(ledger, records)
    ledger.add(customers: records.map { |r| r[0] }, periods: records.map { |r| r[1] }, mrr: records.map { |r| r[2] })
  end

  def assert_rows(want, rows, msg = nil)
    assert_equal want.size, rows.size, msg
    rows.each_with_index do |r, i|
      assert_instance_of Libcs::MrrPeriod, r
      assert r.frozen?
      assert_equal want[i], r.to_a, "#{msg}: row #{i}"
      assert_equal r.mrr_end, r.mrr_start + r.new_mrr + r.expansion - r.contraction - r.churned + r.reactivation
      assert_equal r.customers_end, r.customers_start + r.customers_new - r.customers_churned +
                                    r.customers_reactivated
    end
  end

  def test_hand_movements
    ledger = hand_ledger
    rows = ledger.movements
    assert rows.frozen?
    assert_rows HAND_ANY, rows, 'chunks'
    assert_equal Libcs::Native::MrrPeriodStruct.members, Libcs::MrrPeriod.members
    assert_equal 1120, rows[3].mrr_end
    assert_equal({ period: 106, reactivation: 90 }, rows[6].to_h.slice(:period, :reactivation))
    # in one call, and in other orders and chunkings
    one = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
    add_all(one, HAND)
    assert_rows HAND_ANY, one.movements, 'one call'
    rng = Random.new(7)
    5.times do
      shuffled = HAND.shuffle(random: rng)
      l = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
      at = 0
      while at < shuffled.size
        k = rng.rand(6)
        add_all(l, shuffled[at, k])
        at += k
      end
      assert_rows HAND_ANY, l.movements, 'permuted'
    end
  end

  def test_hand_windows
    { nil => HAND_ANY, Libcs::MrrLedger::ANY_GAP => HAND_ANY, :any => HAND_ANY, 2**31 - 1 => HAND_ANY,
      4 => HAND_ANY, 3 => HAND_ANY, 2 => HAND_K2, 1 => HAND_K1, 0 => HAND_K1 }.each do |k, want|
      ledger = hand_ledger(k)
      assert_rows want, ledger.movements, "window #{k.inspect}"
      if k.is_a?(Integer) && k >= 0
        assert_equal k, ledger.reactivation_window
      else
        assert_nil ledger.reactivation_window
      end
    end
    # the window can be changed after the records are in
    ledger = hand_ledger
    assert_same ledger, ledger.set_reactivation_window(0)
    assert_rows HAND_K1, ledger.movements, 'set after adding'
    ledger.reactivation_window = nil
    assert_nil ledger.reactivation_window
    assert_rows HAND_ANY, ledger.movements, 'reset to any gap'
    ledger.reactivation_window = 2
    assert_equal 2, ledger.reactivation_window
    assert_rows HAND_K2, ledger.movements, 'K = 2'
  end

  def check_rates(rates, status = HAND_STATUS, values = HAND_RATES)
    assert_equal NP, rates.size
    rates.each_with_index do |r, p|
      assert_instance_of Libcs::MrrRates, r
      assert r.frozen?
      assert_equal FIRST + p, r.period
      assert_equal status[p], r.status, "P#{p} status"
      Libcs::Rate.to_h.each do |name, k|
        if status[p][k].zero?
          assert_close values[p][k], r[name], 1e-15, "P#{p} #{name}"
          assert r.ok?(name)
        else
          assert r[name].nan?, "P#{p} #{name} is NaN"
          refute r.ok?(k)
        end
        assert_equal r[name].to_s, r.rate(name).to_s
        assert_equal r[name].to_s, r.rate(k).to_s
        assert_equal status[p][k], r.status_of(name)
      end
    end
  end

  def test_hand_rates
    ledger = hand_ledger
    rates = ledger.rates(denominator: :start)
    check_rates(rates)
    assert_equal UD, rates[6].status_of(:quick_ratio)
    assert_equal UD, rates[6].status_of(Libcs::Rate::QUICK_RATIO)
    assert_raises(ArgumentError) { rates[0].ok?(:churn) }
    assert_raises(IndexError) { rates[0].status_of(7) }
    # the other denominators change the customer churn only
    { start_plus_new: HAND_CHURN_SPN, average: HAND_CHURN_AVG,
      Libcs::Denominator::AVERAGE => HAND_CHURN_AVG }.each do |d, want|
      other = ledger.rates(denominator: d)
      other.each_with_index do |r, p|
        assert_equal 0, r.status[0]
        assert_close want[p], r.customer_churn, 1e-15, "#{d} P#{p}"
        assert_equal HAND_STATUS[p][1..], r.status[1..]
        assert_equal rates[p].to_a[2..-2].map(&:to_s), r.to_a[2..-2].map(&:to_s)
      end
    end
    # from the rows, as Structs or Hashes (a suffix: each row stands alone)
    rows = ledger.movements
    assert_equal rates.map(&:to_a).map(&:to_s), Libcs.mrr_rates(rows, denominator: :start).map(&:to_a).map(&:to_s)
    one = Libcs.mrr_rates([rows[3].to_h], denominator: 'start')
    assert_close 1120.0 / 730, one[0].nrr
    assert_equal 103, one[0].period
    # the window's effect: with K = 0 nothing is a reactivation
    k0 = hand_ledger(0).rates(denominator: :start)
    assert_close((110.0 - 200 - 0) / 730, k0[3].net_mrr_churn, 1e-15)
  end

  # Rows made by hand that make the foundation functions fail
  # (tests/test_mrr.c's test_rates_edge_rows).
  def test_rates_of_rows_made_by_hand
    rows = [
      {}, # all zero: every rate undefined
      { mrr_start: 100, churned: 150, mrr_end: -50, customers_start: 1, customers_churned: 2, customers_end: -1 },
      { mrr_start: 10, new_mrr: 2**63 - 1, expansion: 2**63 - 1, reactivation: 2**63 - 1, churned: 1,
        customers_new: 2**63 - 1, customers_reactivated: 1, customers_end: 5, mrr_end: -1 },
      Libcs::MrrPeriod.new(period: 7, reserved: 0, mrr_start: 1000, new_mrr: 100, expansion: 50, contraction: 20,
                           churned: 30, reactivation: 10, mrr_end: 1110, customers_start: 10, customers_new: 2,
                           customers_churned: 1, customers_reactivated: 1, customers_end: 12)
    ]
    r = Libcs.mrr_rates(rows, denominator: :start)
    assert_equal [UD] * 7, r[0].status
    assert(r[0].to_a[1, 7].all?(&:nan?))
    assert_equal [Libcs::Status::EDOMAIN] * 5, r[1].status[0, 5]
    assert r[1].ok?(:quick_ratio)
    assert_equal 0.0, r[1].quick_ratio
    refute r[1].ok?(:arpa)
    assert_equal Libcs::Status::EOVERFLOW, r[2].status_of(:customer_churn)
    assert_equal Libcs::Status::EOVERFLOW, r[2].status_of(:quick_ratio)
    assert_equal Libcs::Status::EDOMAIN, r[2].status_of(:arpa)
    assert_close [0.1, 0.05, -0.01, 1.01, 0.95, 3.2, 92.5], r[3].to_a[1, 7], 1e-15
    assert_equal 7, r[3].period
    assert_equal [0] * 7, r[3].status
    # string keys, and the rows' errors
    string_keys = rows[3].to_h.transform_keys(&:to_s)
    assert_equal r[3].to_a.to_s, Libcs.mrr_rates([string_keys], denominator: :start)[0].to_a.to_s
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_mrr_rates_batch, argument: 'periods') do
      Libcs.mrr_rates([], denominator: :start)
    end
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_mrr_rates_batch, argument: 'denominator') do
      Libcs.mrr_rates(rows, denominator: 3)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'denominator') { Libcs.mrr_rates(rows, denominator: 2**40) }
    assert_raises(ArgumentError) { Libcs.mrr_rates(rows, denominator: :end) }
    assert_raises(ArgumentError) { Libcs.mrr_rates(rows) }
    assert_raises(ArgumentError) { Libcs.mrr_rates([{ mrr: 5 }], denominator: :start) }
    assert_raises(TypeError) { Libcs.mrr_rates([[1, 2]], denominator: :start) }
    assert_raises(TypeError) { Libcs.mrr_rates([{ mrr_start: 1.5 }], denominator: :start) }
    assert_raises(TypeError) { Libcs.mrr_rates({ mrr_start: 1 }, denominator: :start) }
    assert_raises(Libcs::OutOfRangeError) { Libcs.mrr_rates([{ mrr_start: 2**63 }], denominator: :start) }
    assert_raises(Libcs::OutOfRangeError) { Libcs.mrr_rates([{ period: 2**31 }], denominator: :start) }
  end

  def test_hand_cohorts
    c = hand_ledger.cohorts
    assert_instance_of Libcs::MrrCohorts, c
    assert c.frozen?
    assert_equal NP, c.size
    assert_equal FIRST, c.first_period
    assert_equal FIRST + 2, c.period_of(2)
    assert_equal HAND_COH_CUST, c.customers
    assert_equal HAND_COH_REV, c.revenue
    assert_equal HAND_COH_CS.map { |row| row.map(&:to_f).map(&:to_s) }, c.customer_share.map { |row| row.map(&:to_s) }
    HAND_COH_RS.each_with_index do |row, i|
      row.each_with_index do |want, k|
        assert_close want.to_f, c.revenue_share[i][k], 1e-15, "revenue_share[#{i}][#{k}]"
      end
    end
    assert(c.customers.all?(&:frozen?))
    # cohorts follow the first paying period, whatever the window
    assert_equal c.to_a.to_s, hand_ledger(0).cohorts.to_a.to_s
    # a 1-period ledger with no records: an empty cohort, NaN share
    Libcs::MrrLedger.new(first_period: 5, n_periods: 1) do |l|
      one = l.cohorts
      assert_equal [[0]], one.customers
      assert one.customer_share[0][0].nan?
    end
  end

  def test_hand_capped_grr
    ledger = hand_ledger
    rates = ledger.rates(denominator: :start)
    (1...NP).each do |p|
      g = ledger.capped_grr(period: FIRST + p)
      assert_close HAND_CAPPED[p - 1], g, 1e-15
      assert_equal rates[p].grr, g, 'capped GRR = GRR for per-customer records'
    end
    assert_close 620.0 / 730, hand_ledger(0).capped_grr(period: FIRST + 3), 1e-15
    [FIRST, FIRST - 1, FIRST + NP, -2**31, 2**31 - 1, 2**31, -2**40].each do |p|
      e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_capped_grr, argument: 'period') do
        ledger.capped_grr(period: p)
      end
      assert_match(/periods 101\.\.106 have a period before them/, e.message)
    end
    assert_raises(TypeError) { ledger.capped_grr(period: 101.0) }
    assert_raises(ArgumentError) { ledger.capped_grr(101) }
    # nobody active the period before
    Libcs::MrrLedger.new(first_period: 0, n_periods: 4) do |l|
      e = assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_mrr_capped_grr) { l.capped_grr(period: 1) }
      assert_match(/no customer paid in period 0/, e.message)
      l.add(customers: [1, 2, 2], periods: [1, 2, 3], mrr: [0, 10, 10])
      assert_libcs_error(Libcs::UndefinedResultError) { l.capped_grr(period: 2) }
      assert_equal 1.0, l.capped_grr(period: 3)
      # a duplicate, named (through libcs_mrr_capped_grr_since)
      l.add(customers: [2], periods: [2], mrr: [11])
      e = assert_libcs_error(Libcs::DuplicateError, function: :libcs_mrr_capped_grr) { l.capped_grr(period: 3) }
      assert_equal [2, 2], [e.customer, e.period]
    end
    # the sum of MRR before overflows
    Libcs::MrrLedger.new(first_period: 0, n_periods: 2) do |l|
      l.add(customers: [1, 2, 3], periods: 0, mrr: [2**62, 2**62, 1])
      assert_libcs_error(Libcs::OverflowError, function: :libcs_mrr_capped_grr) { l.capped_grr(period: 1) }
    end
    Libcs::MrrLedger.new(first_period: 0, n_periods: 1) do |l|
      assert_libcs_error(Libcs::DomainError, argument: 'period') { l.capped_grr(period: 0) }
    end
  end

  # The year of tests/test_mrr.c and libcs_mrr_capped_grr_since(3): months
  # 0..12 from Y25; A 100, 150 from month 6; B 400, 250 from 8; C 300 in
  # 0..4; D 500 in 3..11, 400 in 12; E 200 in 0..1, a 0 record in 2, 120
  # from 9; F a 0 record in 0, 70 from 10.  Annual capped GRR of month 12:
  # (min(150, 100) + 250 + 0 + min(120, 200)) / (100 + 400 + 300 + 200).
  Y25 = 2025 * 12

  def year_ledger
    c = []
    p = []
    v = []
    13.times do |m|
      rows = [[1, m <= 5 ? 100 : 150], [2, m <= 7 ? 400 : 250]]
      rows << [3, 300] if m <= 4
      rows << [4, m <= 11 ? 500 : 400] if m >= 3
      rows << [5, if m <= 1 then 200 elsif m == 2 then 0 else 120 end] if m <= 2 || m >= 9
      rows << [6, m.zero? ? 0 : 70] if m.zero? || m >= 10
      rows.each do |cust, mrr|
        c << cust
        p << Y25 + m
        v << mrr
      end
    end
    Libcs::MrrLedger.new(first_period: Y25, n_periods: 13).add(customers: c, periods: p, mrr: v)
  end

  def test_capped_grr_since
    l = year_ledger
    assert_equal 0.47, l.capped_grr_since(base: Y25, period: Y25 + 12)
    assert_equal 990.0 / 1090, l.capped_grr_since(base: Y25 + 11, period: Y25 + 12)
    assert_equal 750.0 / 1300, l.capped_grr_since(base: Y25 + 3, period: Y25 + 12)
    assert_equal 0.5, l.capped_grr_since(base: Y25, period: Y25 + 6)
    assert_equal 350.0 / 800, l.capped_grr_since(base: Y25 + 2, period: Y25 + 9)
    annual = l.capped_grr_series(lookback: 12)
    assert_equal 13, annual.size
    assert annual.first(12).all?(&:nan?)
    assert_equal 0.47, annual[12]
    monthly = l.capped_grr_series(lookback: 1)
    rates = l.rates(denominator: :start)
    assert monthly[0].nan?
    (1..12).each do |m|
      assert_equal l.capped_grr(period: Y25 + m), monthly[m]
      assert_equal rates[m].grr, monthly[m]
    end
    [13, 2**31 - 1, 2**31, 2**70].each { |lb| assert l.capped_grr_series(lookback: lb).all?(&:nan?) }
    # the series is a loop of capped_grr_since
    [2, 5, 9].each do |lb|
      l.capped_grr_series(lookback: lb).each_with_index do |g, m|
        next assert(g.nan?) if m < lb

        assert_equal l.capped_grr_since(base: Y25 + m - lb, period: Y25 + m), g
      end
    end
  end

  def test_capped_grr_since_errors
    l = year_ledger
    [[Y25, Y25], [Y25 + 5, Y25 + 4], [Y25 - 1, Y25 + 1], [-2**31, Y25], [2**31, Y25 + 1]].each do |b, p|
      e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_capped_grr_since, argument: 'base') do
        l.capped_grr_since(base: b, period: p)
      end
      assert_match(/\(base = #{b}; /, e.message)
      assert_match(/base < period, both in the ledger's periods 24300\.\.24312/, e.message)
    end
    [Y25 + 13, 2**31, 2**40].each do |p|
      e = assert_libcs_error(Libcs::DomainError, argument: 'period') { l.capped_grr_since(base: Y25, period: p) }
      assert_match(/\(period = #{p}; /, e.message)
    end
    assert_raises(TypeError) { l.capped_grr_since(base: Y25.to_f, period: Y25 + 1) }
    assert_raises(ArgumentError) { l.capped_grr_since(Y25, Y25 + 1) }
    [0, -1, -2**31, -2**40].each do |lb|
      e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_capped_grr_series, argument: 'lookback') do
        l.capped_grr_series(lookback: lb)
      end
      assert_match(/\(lookback = #{lb}; a number of periods >= 1\)/, e.message)
    end
    assert_raises(TypeError) { l.capped_grr_series(lookback: 1.0) }
    # nobody paying at the base: month 1 has only a 0 record
    Libcs::MrrLedger.new(first_period: 0, n_periods: 4) do |s|
      s.add(customers: [1, 1, 2], periods: [0, 1, 3], mrr: [10, 0, 5])
      e = assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_mrr_capped_grr_since, argument: 'base') do
        s.capped_grr_since(base: 1, period: 3)
      end
      assert_match(/no customer paid in period 1/, e.message)
      g = s.capped_grr_series(lookback: 2)
      assert g[1].nan? && g[2].zero? && g[3].nan?
    end
    # duplicates name the first repeated record
    l.add(customers: [2, 6], periods: [Y25 + 4, Y25], mrr: [400, 0])
    { libcs_mrr_capped_grr_since: -> { l.capped_grr_since(base: Y25, period: Y25 + 12) },
      libcs_mrr_capped_grr_series: -> { l.capped_grr_series(lookback: 13) } }.each do |fn, call|
      e = assert_libcs_error(Libcs::DuplicateError, function: fn) { call.call }
      assert_equal [2, Y25 + 4], [e.customer, e.period]
    end
    # the MRR of a base period overflows
    Libcs::MrrLedger.new(first_period: 0, n_periods: 3) do |b|
      b.add(customers: [1, 2, 3], periods: [0, 0, 1], mrr: [2**62, 2**62, 1])
      assert_libcs_error(Libcs::OverflowError, function: :libcs_mrr_capped_grr_since) do
        b.capped_grr_since(base: 0, period: 2)
      end
      assert_libcs_error(Libcs::OverflowError, function: :libcs_mrr_capped_grr_series) do
        b.capped_grr_series(lookback: 2)
      end
      assert_equal 0.0, b.capped_grr_since(base: 1, period: 2)
    end
  end

  # The example of libcs_mrr_rates_batch(3): four customers, January to May.
  def test_man_page_example
    customers = [1, 2, 4, 1, 2, 3, 4, 1, 3, 4, 1, 3, 4, 1, 2, 4]
    months = [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]
    mrr = [10_000, 20_000, 8000, 10_000, 20_000, 30_000, 0, 15_000, 25_000, 8000, 15_000, 0, 8000, 15_000,
           20_000, 12_000]
    Libcs::MrrLedger.new(first_period: 1, n_periods: 5) do |l|
      l.add(customers: customers, periods: months, mrr: mrr)
      assert_equal [38_000, 60_000, 48_000, 23_000, 47_000], l.movements.map(&:mrr_end)
      march = l.rates(denominator: :start)[2]
      assert_close [1.0 / 3, 250.0 / 600, 120.0 / 600, 0.8, 350.0 / 600, 0.52, 16_000.0], march.to_a[1, 7], 1e-15
      may = l.rates(denominator: :start)[4]
      assert_close(-240.0 / 230, may.net_mrr_churn)
      assert_equal 'result is mathematically undefined', Libcs.strerror(may.status_of(:quick_ratio))
      assert_close 350.0 / 600, l.capped_grr(period: 3)
      assert_equal [100.0, 78.9, 60.5, 60.5, 123.7], l.cohorts.revenue_share[0].map { |s| (100 * s).round(1) }
    end
  end

  def test_empty_ledger
    Libcs::MrrLedger.new(first_period: -3, n_periods: 3) do |l|
      assert_equal 0, l.size
      assert l.empty?
      assert_equal [[-3, 0] + [0] * 12, [-2, 0] + [0] * 12, [-1, 0] + [0] * 12], l.movements.map(&:to_a)
      r = l.rates(denominator: :average)
      assert_equal [UD] * 7, r[1].status
      assert_equal [[0, 0, 0], [0, 0, U], [0, U, U]], l.cohorts.customers
      assert_equal 32, l.to_bytes.bytesize
      assert_same l, l.add(customers: [], periods: [], mrr: [])
      assert_same l, l.add(customers: [], periods: -1, mrr: 0)
      assert_equal 0, l.size
    end
  end

  def test_bytes_and_marshal
    ledger = hand_ledger(2)
    bytes = ledger.to_bytes
    assert_equal Encoding::BINARY, bytes.encoding
    assert_equal 32 + 20 * 28, bytes.bytesize
    assert_equal 'CSMR', bytes[0, 4]
    assert_equal 1, bytes.getbyte(4)
    assert_equal [FIRST, NP, 2, 0, 28], bytes[8, 24].unpack('l<l<l<l<Q<')
    # the first record: E (INT64_MIN), 104, 700
    assert_equal [E, 104, 700], bytes[32, 20].unpack('q<l<q<')
    back = Libcs::MrrLedger.from_bytes(bytes)
    assert_equal [FIRST, NP, 2, 28], [back.first_period, back.n_periods, back.reactivation_window, back.size]
    assert_equal bytes, back.to_bytes
    assert_equal ledger, back
    assert_rows HAND_K2, back.movements, 'from bytes'
    m = Marshal.load(Marshal.dump(ledger))
    assert_instance_of Libcs::MrrLedger, m
    assert_equal ledger, m
    assert_rows HAND_K2, m.movements, 'Marshal'
    assert_equal HAND_K2.map(&:to_a), Marshal.load(Marshal.dump([ledger, 1]))[0].movements.map(&:to_a)
    # a block frees the ledger read back
    kept = nil
    got = Libcs::MrrLedger.from_bytes(bytes) do |l|
      kept = l
      l.size
    end
    assert_equal 28, got
    assert kept.freed?
    # what the library refuses
    [bytes[0, 31], bytes[0..-2], "#{bytes}x", bytes.sub('CSMR', 'CSNP'), '', 'CSMR'].each do |bad|
      e = assert_libcs_error(Libcs::FormatError, function: :libcs_mrr_deserialize, argument: 'bytes') do
        Libcs::MrrLedger.from_bytes(bad)
      end
      assert_match(/#{bad.bytesize} bytes/, e.message)
    end
    negative = bytes.dup
    negative[32 + 12, 8] = [-1].pack('q<')
    assert_libcs_error(Libcs::FormatError) { Libcs::MrrLedger.from_bytes(negative) }
    outside = bytes.dup
    outside[32 + 8, 4] = [FIRST + NP].pack('l<')
    assert_libcs_error(Libcs::FormatError) { Libcs::MrrLedger.from_bytes(outside) }
    assert_raises(TypeError) { Libcs::MrrLedger.from_bytes(nil) }
    assert_raises(TypeError) { Libcs::MrrLedger.from_bytes(bytes.bytes) }
  end

  def test_merge
    # two partitions by customer, and two by time, merged: the same as one
    by_customer = HAND.partition { |r| r[0].odd? }
    by_time = HAND.partition { |r| r[1] < 103 }
    [by_customer, by_time].each do |one, two|
      a = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
      b = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
      add_all(a, one)
      add_all(b, two)
      sum = a + b
      assert_equal 28, sum.size
      assert_equal one.size, a.size, '+ leaves its operands alone'
      assert_rows HAND_ANY, sum.movements, 'a + b'
      assert_rows HAND_ANY, b.merge(a).movements, 'b.merge(a)'
      assert_same a, a.merge!(b)
      assert_equal 28, a.size
      assert_equal two.size, b.size
      assert_equal sum, a
      assert_rows HAND_ANY, a.movements, 'merge!'
      # shipped as bytes first, as between processes
      c = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
      add_all(c, one)
      c.merge!(Libcs::MrrLedger.from_bytes(b.to_bytes))
      assert_equal HAND_COH_CUST, c.cohorts.customers
    end
    ledger = hand_ledger
    # ledgers of other shapes
    [Libcs::MrrLedger.new(first_period: FIRST + 1, n_periods: NP),
     Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP + 1),
     Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP, reactivation_window: 1)].each do |other|
      e = assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_mrr_merge, argument: 'other') do
        ledger.merge!(other)
      end
      assert_match(/ledgers of different shapes: periods 100\.\.106, reactivation window any gap and /, e.message)
    end
    assert_equal 28, ledger.size, 'unchanged by the failed merges'
    e = assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_mrr_merge) { ledger.merge!(ledger) }
    assert_match(/merged into itself/, e.message)
    assert_equal 56, (ledger + ledger).size, 'a + a merges a copy'
    assert_raises(TypeError) { ledger.merge!(Libcs::NpsTally.new) }
    assert_raises(TypeError) { ledger + [1] }
    gone = hand_ledger
    gone.free
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_mrr_merge, argument: 'other') { ledger.merge!(gone) }
    assert_libcs_error(Libcs::InvalidArgumentError) { gone.merge!(ledger) }
    assert_libcs_error(Libcs::InvalidArgumentError) { gone + ledger }
  end

  def test_duplicates
    ledger = hand_ledger
    # C's March record exported twice; the first duplicate is named
    ledger.add(customers: [C, E], periods: [103, 100], mrr: [250, 0])
    assert_equal 30, ledger.size
    %i[movements cohorts].each do |m|
      e = assert_libcs_error(Libcs::DuplicateError, function: :"libcs_mrr_#{m}", index: nil) do
        ledger.public_send(m)
      end
      assert_equal Libcs::Status::EDUPLICATE, e.code
      assert_equal C, e.customer
      assert_equal 103, e.period
      assert_equal "libcs_mrr_#{m}: duplicate record (customer -5, period 103)", e.message
    end
    e = assert_libcs_error(Libcs::DuplicateError, function: :libcs_mrr_movements) { ledger.rates(denominator: :start) }
    assert_equal [C, 103], [e.customer, e.period]
    # merged ledgers: from's records come after into's
    a = Libcs::MrrLedger.new(first_period: FIRST, n_periods: NP)
    a.add(customers: [E, D], periods: 106, mrr: 1)
    b = a.dup
    b.add(customers: [5], periods: 100, mrr: 1)
    e = assert_raises(Libcs::DuplicateError) { (b + a).movements }
    assert_equal [E, 106], [e.customer, e.period]
    assert_raises(Libcs::DuplicateError) { (a + a).cohorts }
    assert_equal 'duplicate record', Libcs.strerror(Libcs::Status::EDUPLICATE)
  end

  def test_add_errors
    ledger = hand_ledger
    # all or nothing: a bad record adds none
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_add, argument: 'mrr[2]', index: 2) do
      ledger.add(customers: [1, 2, 3], periods: [100, 101, 102], mrr: [5, 6, -7])
    end
    assert_equal 'libcs_mrr_add: value outside its domain at index 2 (mrr[2] = -7; MRR is >= 0)', e.message
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_add, argument: 'periods[1]', index: 1) do
      ledger.add(customers: [1, 2, 3], periods: [100, 107, 99], mrr: [5, 6, 7])
    end
    assert_match(/periods\[1\] = 107; the ledger holds periods 100\.\.106/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'periods[0]', index: 0) do
      ledger.add(customers: [1], periods: [99], mrr: [5])
    end
    # a period beyond int32 is outside the ledger too
    assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_add, argument: 'periods[1]', index: 1) do
      ledger.add(customers: [1, 2], periods: [100, 2**32 + 100], mrr: 5)
    end
    # single values stand for every record
    assert_libcs_error(Libcs::DomainError, argument: 'mrr', index: 0) { ledger.add(customers: [1, 2], periods: 100, mrr: -1) }
    assert_libcs_error(Libcs::DomainError, argument: 'periods', index: 0) { ledger.add(customers: [1, 2], periods: 0, mrr: 1) }
    assert_equal 28, ledger.size
    assert_rows HAND_ANY, ledger.movements, 'after the failed adds'
    # wrong types and lengths never reach C
    assert_raises(TypeError) { ledger.add(customers: [1], periods: [100], mrr: [9.99]) }
    assert_raises(TypeError) { ledger.add(customers: ['1'], periods: [100], mrr: [1]) }
    assert_raises(TypeError) { ledger.add(customers: [1], periods: [100.0], mrr: [1]) }
    assert_raises(TypeError) { ledger.add(customers: [1], periods: [nil], mrr: [1]) }
    assert_raises(TypeError) { ledger.add(customers: [1], periods: [100], mrr: nil) }
    assert_raises(Libcs::OutOfRangeError) { ledger.add(customers: [2**63], periods: [100], mrr: [1]) }
    assert_raises(Libcs::OutOfRangeError) { ledger.add(customers: [1], periods: [100], mrr: [2**63]) }
    e = assert_raises(ArgumentError) { ledger.add(customers: [1, 2], periods: [100], mrr: [1, 2]) }
    assert_equal 'libcs_mrr_add: customers has 2 elements but periods has 1', e.message
    assert_raises(ArgumentError) { ledger.add(customers: 1, periods: 100, mrr: 1) }
    assert_raises(ArgumentError) { ledger.add(customers: [1], periods: [100]) }
    assert_equal 28, ledger.size
    # the extremes of int64 are ids like any other
    assert_same ledger, ledger.add(customers: [2**63 - 2, -2**63 + 1], periods: 106, mrr: [0, 2**62])
    assert_equal 30, ledger.size
  end

  def test_new_errors
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_new, argument: 'n_periods') do
      Libcs::MrrLedger.new(first_period: 0, n_periods: 0)
    end
    assert_match(/n_periods = 0; at least 1/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'n_periods') { Libcs::MrrLedger.new(first_period: 0, n_periods: -5) }
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_new, argument: 'n_periods') do
      Libcs::MrrLedger.new(first_period: 2**31 - 2, n_periods: 3)
    end
    assert_match(/the last period, first_period \+ n_periods - 1 = 2147483648, is past INT32_MAX/, e.message)
    l = Libcs::MrrLedger.new(first_period: 2**31 - 2, n_periods: 2)
    assert_equal 2**31 - 1, l.last_period
    assert_equal((2**31 - 2)..(2**31 - 1), l.periods)
    l = Libcs::MrrLedger.new(first_period: -2**31, n_periods: 2**31 - 1)
    assert_equal(-2, l.last_period)
    assert_raises(Libcs::OutOfRangeError) { Libcs::MrrLedger.new(first_period: 2**31, n_periods: 1) }
    assert_raises(Libcs::OutOfRangeError) { Libcs::MrrLedger.new(first_period: 0, n_periods: 2**31) }
    assert_raises(TypeError) { Libcs::MrrLedger.new(first_period: 0.0, n_periods: 1) }
    assert_raises(TypeError) { Libcs::MrrLedger.new(first_period: 0, n_periods: '12') }
    assert_raises(ArgumentError) { Libcs::MrrLedger.new(first_period: 0) }
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_mrr_set_reactivation_window,
                                               argument: 'reactivation_window') do
      Libcs::MrrLedger.new(first_period: 0, n_periods: 3, reactivation_window: -2)
    end
    assert_match(/nil for any gap/, e.message)
    l = Libcs::MrrLedger.new(first_period: 0, n_periods: 3)
    assert_libcs_error(Libcs::DomainError) { l.reactivation_window = -5 }
    assert_nil l.reactivation_window, 'unchanged'
    assert_raises(TypeError) { l.reactivation_window = 1.5 }
    assert_raises(TypeError) { l.reactivation_window = :none }
    assert_raises(Libcs::OutOfRangeError) { l.reactivation_window = 2**31 }
  end

  def test_handle_ownership
    ledger = hand_ledger(3)
    assert_equal '#<Libcs::MrrLedger periods 100..106, 28 records, reactivation window 3>', ledger.inspect
    assert_equal 28, ledger.length
    assert_equal 28, ledger.records
    # dup and clone are independent ledgers with the same records and window
    copy = ledger.dup
    copy.add(customers: [9], periods: [100], mrr: [1])
    assert_equal [28, 29], [ledger.size, copy.size]
    assert_equal 3, copy.reactivation_window
    clone = ledger.clone
    ledger.free
    assert_equal 28, clone.size
    assert_rows HAND_ANY, clone.movements, 'clone outlives the original'
    assert ledger.freed?
    ledger.free
    assert_equal '#<Libcs::MrrLedger (freed)>', ledger.inspect
    %i[size to_bytes movements cohorts].each do |m|
      assert_libcs_error(Libcs::InvalidArgumentError, argument: 'self') { ledger.public_send(m) }
    end
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_mrr_add) do
      ledger.add(customers: [1], periods: [100], mrr: [1])
    end
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.rates(denominator: :start) }
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.capped_grr(period: 101) }
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.capped_grr_since(base: 100, period: 101) }
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.capped_grr_series(lookback: 1) }
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.reactivation_window = 1 }
    assert_libcs_error(Libcs::InvalidArgumentError) { ledger.dup }
    assert_libcs_error(Libcs::InvalidArgumentError) { Marshal.dump(ledger) }
    refute_equal ledger, clone
    # with a block: the block's value, the ledger freed however it ends
    kept = nil
    got = Libcs::MrrLedger.new(first_period: 1, n_periods: 2, reactivation_window: 0) do |l|
      kept = l
      l.add(customers: [1], periods: [2], mrr: [5]).movements.last.mrr_end
    end
    assert_equal 5, got
    assert kept.freed?
    assert_raises(RuntimeError) do
      Libcs::MrrLedger.new(first_period: 1, n_periods: 2) do |l|
        kept = l
        raise 'boom'
      end
    end
    assert kept.freed?
  end

  # The raw interface: movements into too few rows is LIBCS_EBUFSIZE with
  # the number needed, and the duplicate pointers may be NULL.
  def test_raw_interface
    ledger = hand_ledger
    h = ledger.send(:handle, :test)
    needed = FFI::MemoryPointer.new(:size_t)
    rows = FFI::MemoryPointer.new(Libcs::Native::MrrPeriodStruct, NP)
    assert_equal Libcs::Status::EBUFSIZE, Libcs::Native.libcs_mrr_movements(h, rows, NP - 1, needed, nil, nil)
    assert_equal NP, needed.read(:size_t)
    assert_equal 0, Libcs::Native.libcs_mrr_movements(h, rows, NP, nil, nil, nil)
    assert_equal 730, Libcs::Native::MrrPeriodStruct.new(rows + 3 * Libcs::Native::MrrPeriodStruct.size)[:mrr_start]
    assert_equal(-1, Libcs::MrrLedger::ANY_GAP)
  end
end
