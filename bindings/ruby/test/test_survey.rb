# frozen_string_literal: true

# bindings/ruby/test/test_survey.rb - CSAT and CES (examples/nps.c's data).
require_relative 'test_helper'

class TestSurvey < Minitest::Test
  CSAT = [5, 4, 4, 3, 5, 2, 4, 5, 1, 4].freeze
  CES = [6, 7, 5, 4, 6, 3, 7, 5].freeze

  def test_worked_examples
    # 4s and 5s: 7 of 10
    assert_equal 0.7, Libcs.csat(CSAT, scale_max: 5, top_boxes: 2)
    assert_equal 0.3, Libcs.csat(CSAT, scale_max: 5, top_boxes: 1)
    assert_equal 1.0, Libcs.csat(CSAT, scale_max: 5, top_boxes: 5)
    r = Libcs.ces(CES, scale_max: 7, threshold: 5)
    assert_equal 43.0 / 8, r.mean
    assert_equal 0.75, r.share
    assert_equal [5.375, 0.75], r.to_a
  end

  def test_errors
    assert_libcs_error(Libcs::DomainError, function: :libcs_csat, argument: 'answers[2]', index: 2,
                                           message: /answers\[2\] = 6; the scale is 1..5/) do
      Libcs.csat([5, 4, 6], scale_max: 5, top_boxes: 2)
    end
    assert_libcs_error(Libcs::DomainError, index: 1) { Libcs.csat([5, 0], scale_max: 5, top_boxes: 2) }
    assert_libcs_error(Libcs::DomainError, index: 1) { Libcs.csat([5, 1000], scale_max: 5, top_boxes: 2) }
    assert_libcs_error(Libcs::DomainError, argument: 'top_boxes', index: nil) do
      Libcs.csat(CSAT, scale_max: 5, top_boxes: 6)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'scale_max') { Libcs.csat(CSAT, scale_max: 1, top_boxes: 1) }
    assert_libcs_error(Libcs::DomainError, argument: 'scale_max') { Libcs.csat(CSAT, scale_max: 256, top_boxes: 1) }
    assert_libcs_error(Libcs::DomainError, argument: 'scale_max') { Libcs.csat(CSAT, scale_max: 2**40, top_boxes: 1) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_csat, argument: 'answers') do
      Libcs.csat([], scale_max: 5, top_boxes: 2)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_ces, argument: 'answers[3]', index: 3) do
      Libcs.ces([6, 7, 5, 8], scale_max: 7, threshold: 5)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'threshold') { Libcs.ces(CES, scale_max: 7, threshold: 0) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_ces) { Libcs.ces([], scale_max: 7, threshold: 5) }
    assert_raises(TypeError) { Libcs.csat([5, 4.5], scale_max: 5, top_boxes: 2) }
    assert_raises(TypeError) { Libcs.csat(CSAT, scale_max: 5.0, top_boxes: 2) }
    assert_raises(TypeError) { Libcs.ces(CES, scale_max: 7, threshold: nil) }
    assert_raises(TypeError) { Libcs.ces('6754', scale_max: 7, threshold: 5) }
    assert_raises(ArgumentError) { Libcs.csat(CSAT, scale_max: 5) }
  end
end
