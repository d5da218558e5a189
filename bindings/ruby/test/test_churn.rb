# frozen_string_literal: true

# bindings/ruby/test/test_churn.rb - customer churn with its three
# denominators, retention and period conversion (examples/churn.c's numbers).
require_relative 'test_helper'

class TestChurn < Minitest::Test
  START = [100, 98, 103].freeze
  NEW = [8, 12, 6].freeze
  LOST = [10, 7, 5].freeze

  def test_denominators
    # July: 10 lost of 100 at the start; 108 with new; (100 + 98) / 2 on average
    assert_equal 0.1, Libcs.churn_customer(at_start: 100, new_customers: 8, churned: 10, denominator: :start)
    assert_close 10.0 / 108, Libcs.churn_customer(at_start: 100, new_customers: 8, churned: 10,
                                                  denominator: :start_plus_new)
    assert_close 10.0 / 99, Libcs.churn_customer(at_start: 100, new_customers: 8, churned: 10,
                                                 denominator: :average)
    assert_close 10.0 / 99, Libcs.churn_customer(at_start: 100, new_customers: 8, churned: 10,
                                                 denominator: Libcs::Denominator::AVERAGE)
    assert_close 10.0 / 99, Libcs.churn_customer(at_start: 100, new_customers: 8, churned: 10,
                                                 denominator: 'average')
  end

  def test_batch_equals_loop_of_singles
    %i[start start_plus_new average].each do |d|
      got = Libcs.churn_customer_batch(at_start: START, new_customers: NEW, churned: LOST, denominator: d)
      want = (0...3).map do |i|
        Libcs.churn_customer(at_start: START[i], new_customers: NEW[i], churned: LOST[i], denominator: d)
      end
      assert_equal want, got
    end
    assert_equal [0.1, 0.0], Libcs.churn_customer_batch(at_start: 100, new_customers: 0, churned: [10, 0],
                                                        denominator: :start)
    churn = [0.1, 0.0, 1.0, 0.05]
    assert_equal(churn.map { |c| Libcs.churn_retention(churn: c) }, Libcs.churn_retention_batch(churn: churn))
    assert_equal(churn.map { |c| Libcs.churn_convert(churn: c, periods: 12) },
                 Libcs.churn_convert_batch(churn: churn, periods: 12))
  end

  def test_retention_and_conversion
    assert_close 0.9, Libcs.churn_retention(churn: 0.1)
    annual = Libcs.churn_convert(churn: 0.1, periods: 12)
    assert_close 1 - 0.9**12, annual
    assert_close 0.1, Libcs.churn_convert(churn: annual, periods: 1.0 / 12), 1e-12
    assert_equal 1.0, Libcs.churn_convert(churn: 1.0, periods: 0.5)
  end

  def test_errors
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_churn_customer, argument: 'denominator',
                                                    message: /denominator = 7/) do
      Libcs.churn_customer(at_start: 1, new_customers: 0, churned: 0, denominator: 7)
    end
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_churn_customer_batch,
                                                    argument: 'denominator', index: nil) do
      Libcs.churn_customer_batch(at_start: [1], new_customers: 0, churned: 0, denominator: -1)
    end
    e = assert_raises(ArgumentError) do
      Libcs.churn_customer(at_start: 1, new_customers: 0, churned: 0, denominator: :median)
    end
    assert_match(/denominator: unknown denominator :median \(one of :start, :start_plus_new, :average\)/, e.message)
    assert_raises(TypeError) do
      Libcs.churn_customer_batch(at_start: [1], new_customers: 0, churned: 0, denominator: [0])
    end
    assert_raises(ArgumentError) { Libcs.churn_customer(at_start: 1, new_customers: 0, churned: 0) }
    assert_libcs_error(Libcs::DomainError, argument: 'new_customers') do
      Libcs.churn_customer(at_start: 1, new_customers: -1, churned: 0, denominator: :start)
    end
    e = assert_libcs_error(Libcs::DomainError, argument: nil) do
      Libcs.churn_customer(at_start: 1, new_customers: 1, churned: 3, denominator: :start)
    end
    assert_match(/churned exceeds at_start \+ new_customers/, e.message)
    assert_libcs_error(Libcs::UndefinedResultError, argument: nil, message: /denominator is 0/) do
      Libcs.churn_customer(at_start: 0, new_customers: 5, churned: 1, denominator: :start)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'churned[2]', index: 2) do
      Libcs.churn_customer_batch(at_start: START, new_customers: NEW, churned: [1, 2, -3], denominator: :average)
    end
    assert_libcs_error(Libcs::EmptyInputError, index: nil) do
      Libcs.churn_customer_batch(at_start: [], new_customers: [], churned: [], denominator: :average)
    end
    # counts are Integers in int64_t
    e = assert_raises(TypeError) do
      Libcs.churn_customer(at_start: 100.0, new_customers: 0, churned: 1, denominator: :start)
    end
    assert_match(/at_start must be an Integer, got Float 100.0/, e.message)
    assert_raises(TypeError) do
      Libcs.churn_customer_batch(at_start: [100, 1.5], new_customers: 0, churned: 1, denominator: :start)
    end
    e = assert_raises(Libcs::OutOfRangeError) do
      Libcs.churn_customer(at_start: 2**63, new_customers: 0, churned: 1, denominator: :start)
    end
    assert_match(/at_start = 9223372036854775808 does not fit in int64_t/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'churn') { Libcs.churn_retention(churn: 1.01) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'churn') { Libcs.churn_retention(churn: Float::NAN) }
    assert_libcs_error(Libcs::DomainError, argument: 'churn[1]', index: 1) do
      Libcs.churn_retention_batch(churn: [0.5, -0.5])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'periods') { Libcs.churn_convert(churn: 0.1, periods: 0) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'periods', index: 0) do
      Libcs.churn_convert_batch(churn: [0.1], periods: -Float::INFINITY) # a single value: no index in the name
    end
    assert_libcs_error(Libcs::EmptyInputError) { Libcs.churn_convert_batch(churn: [], periods: []) }
    assert_libcs_error(Libcs::EmptyInputError) { Libcs.churn_retention_batch(churn: []) }
  end

  # The churn tally: 120 customers, 0..99 active on 1 July (3, 13, ..., 93
  # lost), 100..119 won in July and kept (libcs_churn_tally_init(3)).
  T_STARTED = Array.new(120) { |i| i < 100 ? 1 : 0 }.freeze
  T_WON = Array.new(120) { |i| i >= 100 ? 1 : 0 }.freeze
  T_LOST = Array.new(120) { |i| i < 100 && i % 10 == 3 ? 1 : 0 }.freeze

  def july
    Libcs::ChurnTally.new.add_batch(active_at_start: T_STARTED, is_new: T_WON, churned: T_LOST)
  end

  def test_tally_worked_example
    t = july
    assert_equal [100, 20, 10], t.counts
    assert_equal [100, 20, 10, 110], [t.at_start, t.new_customers, t.churned, t.at_end]
    assert_equal 0.1, t.result(denominator: :start)
    assert_equal 10.0 / 120, t.result(denominator: :start_plus_new)
    assert_equal 10.0 / 105, t.result(denominator: Libcs::Denominator::AVERAGE)
    %i[start start_plus_new average].each do |d|
      assert_equal Libcs.churn_customer(at_start: 100, new_customers: 20, churned: 10, denominator: d),
                   t.result(denominator: d)
    end
    assert_raises(ArgumentError) { t.result } # no default denominator
    u = Libcs::ChurnTally.new.add(at_start: 60, new_customers: 20, churned: 4).add(at_start: 40, churned: 6)
    assert_equal t, u
    assert_equal t, Libcs::ChurnTally.from_counts(at_start: 100, new_customers: 20, churned: 10)
    bools = Libcs::ChurnTally.new.add_batch(active_at_start: T_STARTED.map { |f| f == 1 },
                                            is_new: T_WON.map { |f| f == 1 }, churned: T_LOST.map { |f| f == 1 })
    assert_equal t, bools
    assert_equal [0, 0, 0], Libcs::ChurnTally.new.add_batch(active_at_start: [], is_new: [], churned: []).counts
  end

  def test_tally_chunks_and_merges_equal_one_pass
    n = 10_007
    s = Array.new(n) { |i| i % 9 != 0 ? 1 : 0 }
    w = Array.new(n) { |i| i % 9 == 0 && i % 4 != 0 ? 1 : 0 }
    c = Array.new(n) { |i| (s[i] == 1 || w[i] == 1) && i % 6 == 1 ? 1 : 0 }
    one = Libcs::ChurnTally.new.add_batch(active_at_start: s, is_new: w, churned: c)
    assert_equal [s.sum, w.sum, c.sum], one.counts
    chunked = Libcs::ChurnTally.new
    parts = (0...n).step(999).map do |lo|
      cols = { active_at_start: s[lo, 999], is_new: w[lo, 999], churned: c[lo, 999] }
      chunked.add_batch(**cols)
      Libcs::ChurnTally.new.add_batch(**cols)
    end
    assert_equal one, chunked
    assert_equal one, parts.reduce(:+)
    assert_equal one, parts.drop(1).reduce(parts.first.dup) { |a, b| a.merge!(b) }
    d = one.dup
    d.merge!(d)
    assert_equal one.counts.map { |x| 2 * x }, d.counts
  end

  def test_tally_errors
    [[[2, 0, 0], /0 or 1/], [[0, 0, 2], /0 or 1/], [[1, 1, 0], /not both/], [[0, 0, 1], /lost only if/]].each do |flags, text|
      s = [1, 0, 0, 0, 0, 2]
      w = [0] * 6
      c = [0] * 6
      s[4], w[4], c[4] = flags
      t = Libcs::ChurnTally.from_counts(at_start: 5, new_customers: 6, churned: 7)
      e = assert_raises(Libcs::DomainError) { t.add_batch(active_at_start: s, is_new: w, churned: c) }
      assert_equal 4, e.index
      assert_match text, e.message
      assert_equal [5, 6, 7], t.counts
    end
    t = Libcs::ChurnTally.from_counts(at_start: 5, new_customers: 6, churned: 7)
    assert_raises(ArgumentError) { t.add_batch(active_at_start: [1], is_new: [0, 0], churned: [0]) }
    assert_raises(TypeError) { t.add_batch(active_at_start: [1.0], is_new: [0], churned: [0]) }
    e = assert_raises(Libcs::DomainError) { t.add(at_start: -1) }
    assert_equal 'at_start', e.argument
    e = assert_raises(Libcs::DomainError) { t.add(at_start: 1, new_customers: 1, churned: 3) }
    assert_equal 'churned', e.argument
    assert_raises(Libcs::OverflowError) { t.add(at_start: 2**63 - 1) }
    assert_equal [5, 6, 7], t.counts
    full = Libcs::ChurnTally.from_counts(new_customers: 2**63 - 1)
    assert_raises(Libcs::OverflowError) { full.merge!(t) }
    assert_raises(Libcs::OverflowError) { full.add_batch(active_at_start: [0], is_new: [1], churned: [0]) }
    assert_raises(TypeError) { t.merge!(Libcs::NpsTally.new) }
    assert_raises(ArgumentError) { t.result(denominator: :median) }
    e = assert_raises(Libcs::InvalidArgumentError) { t.result(denominator: 3) }
    assert_equal 'denominator', e.argument
    %i[start start_plus_new average].each do |d|
      assert_raises(Libcs::UndefinedResultError) { Libcs::ChurnTally.new.result(denominator: d) }
    end
    new_only = Libcs::ChurnTally.from_counts(new_customers: 4, churned: 1)
    assert_raises(Libcs::UndefinedResultError) { new_only.result(denominator: :start) }
    assert_equal 0.25, new_only.result(denominator: :start_plus_new)
  end

  def test_tally_bytes_and_marshal
    t = Libcs::ChurnTally.from_counts(at_start: 0x0102030405060708, new_customers: 0x1122334455667788,
                                      churned: 0x100000002)
    golden = "CSCH\x01\x03\x00\x00".b + ['0807060504030201', '8877665544332211', '0200000001000000'].pack('H*H*H*')
    assert_equal 32, Libcs::ChurnTally::SERIALIZED_SIZE
    assert_equal golden, t.to_bytes
    assert_equal t, Libcs::ChurnTally.from_bytes(golden)
    [golden[0, 31], "#{golden}\x00", '', "CSNP#{golden[4..]}", golden.dup.tap { |g| g.setbyte(4, 2) },
     golden.dup.tap { |g| g.setbyte(5, 4) }, golden.dup.tap { |g| g.setbyte(7, 1) },
     golden.dup.tap { |g| g.setbyte(15, 0x81) }].each do |bad|
      assert_raises(Libcs::FormatError) { Libcs::ChurnTally.from_bytes(bad.b) }
    end
    assert_raises(TypeError) { Libcs::ChurnTally.from_bytes(nil) }
    m = july
    assert_equal m, Marshal.load(Marshal.dump(m))
    assert_includes Marshal.dump(m), m.to_bytes
    copy = m.dup
    copy.add(at_start: 1)
    refute_equal m, copy
    assert_equal '#<Libcs::ChurnTally at_start=100 new_customers=20 churned=10>', m.inspect
  end
end
