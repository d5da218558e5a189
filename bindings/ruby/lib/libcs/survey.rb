# frozen_string_literal: true

# bindings/ruby/lib/libcs/survey.rb - CSAT (top-box share) and CES (mean and
# agreement share) on 1..scale_max answer scales (libcs_csat(3)).
module Libcs
  # The result of Libcs.ces: the mean answer and the share >= threshold.
  CesResult = Struct.new(:mean, :share)

  module_function

  # The share of answers (Integers 1..scale_max) in the top `top_boxes`
  # boxes: csat([5, 4, 3, 2], scale_max: 5, top_boxes: 2) # => 0.5
  def csat(answers, scale_max:, top_boxes:)
    survey_call(:libcs_csat, answers, scale_max, 'top_boxes', top_boxes) do |n, buf, s, t, bad|
      share = Internal.out_double
      [Native.libcs_csat(n, buf, s, t, share, bad), -> { share.read_double }]
    end
  end

  # The mean answer (Integers 1..scale_max) and the share of answers >=
  # threshold, as a CesResult.
  def ces(answers, scale_max:, threshold:)
    survey_call(:libcs_ces, answers, scale_max, 'threshold', threshold) do |n, buf, s, t, bad|
      mean = Internal.out_double
      share = Internal.out_double
      [Native.libcs_ces(n, buf, s, t, mean, share, bad),
       -> { CesResult.new(mean.read_double, share.read_double).freeze }]
    end
  end

  # Packs the answers, calls the block with the C arguments, and explains an
  # error: an answer off the scale (with its index), else the scale
  # parameters, else the empty input.
  def survey_call(function, answers, scale_max, option, value)
    buf = Internal.pack_bytes(answers, 'answers', function)
    n = answers.to_ary.size
    s = Internal.scale_int(scale_max, 'scale_max', function)
    t = Internal.scale_int(value, option, function)
    bad = Internal.bad_index
    rc, result = yield n, buf, s, t, bad
    return result.call if rc.zero?

    i = Internal.read_index(bad)
    if i
      raise Internal.error(rc, function, argument: "answers[#{i}]", value: answers.to_ary[i], index: i,
                                         detail: "the scale is 1..#{scale_max}")
    end
    raise Internal.error(rc, function, argument: 'answers', detail: 'no answers') if rc == Status::EEMPTY

    if s < 2 || s > 255
      raise Internal.error(rc, function, argument: 'scale_max', value: scale_max, detail: 'scales are 2..255')
    end

    raise Internal.error(rc, function, argument: option, value: value, detail: "must be in 1..#{scale_max}")
  end
  private_class_method :survey_call
end
