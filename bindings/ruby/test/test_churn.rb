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
    e = assert_raises(RangeError) do
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
end
