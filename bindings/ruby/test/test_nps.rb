# frozen_string_literal: true

# bindings/ruby/test/test_nps.rb - NPS: the reference 1000/250/75 example,
# the tally (add, batches, merge, bytes, Marshal, copies) and every error.
require_relative 'test_helper'

class TestNps < Minitest::Test
  Z95 = 1.959963984540054 # the standard normal 0.975 quantile
  EMEA = [10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9].freeze
  AMER = [9, 10, 7, 7, 8, 2, 10, 9, 6, 9, 10, 8].freeze

  # 1000 answers, 250 promoters, 75 detractors: NPS 17.5, se =
  # 100 sqrt((0.25 + 0.075 - 0.175^2) / 1000) = 1.7157..., Wald 95 %
  # 14.137... to 20.862... (libcs(7), EXAMPLES).
  def test_reference_example
    r = Libcs.nps_from_counts(promoters: 250, passives: 675, detractors: 75)
    assert_instance_of Libcs::NpsResult, r
    assert_equal [1000, 250, 675, 75], [r.n, r.promoters, r.passives, r.detractors]
    assert_close 17.5, r.nps
    se = 100 * Math.sqrt((0.325 - 0.175**2) / 1000)
    assert_close se, r.se
    assert_close 17.5 - Z95 * se, r.wald_low, 1e-12
    assert_close 17.5 + Z95 * se, r.wald_high, 1e-12
    assert_in_delta 14.137, r.wald_low, 0.001
    assert_in_delta 20.862, r.wald_high, 0.001
    assert_equal [r.wald_low, r.wald_high], r.wald
    assert_equal 0.95, r.level
    assert_close [0.25, 0.675, 0.075], [r.promoter_share, r.passive_share, r.detractor_share]
    # adjusted Wald: P + 3/4, D + 3/4 of n + 3
    p = 250.75 / 1003
    d = 75.75 / 1003
    assert_close 100 * (p - d), r.adjusted_nps
    adj_se = 100 * Math.sqrt((p + d - (p - d)**2) / 1003)
    assert_close [100 * (p - d) - Z95 * adj_se, 100 * (p - d) + Z95 * adj_se], r.adjusted, 1e-12
    assert r.frozen?
    r90 = Libcs.nps_from_counts(promoters: 250, passives: 675, detractors: 75, level: 0.9)
    assert r90.wald_low > r.wald_low
  end

  def test_tally_of_two_regions
    a = Libcs::NpsTally.new(EMEA)
    b = Libcs::NpsTally.new
    AMER.each { |s| b << s }
    assert_equal 15, a.size
    assert_equal 12, b.n
    merged = a + b
    assert_equal 27, merged.size
    assert_equal 15, a.size, '+ leaves its operands alone'
    r = merged.result
    assert_equal [27, 15, 7, 5], [r.n, r.promoters, r.passives, r.detractors]
    assert_close 100.0 * 10 / 27, r.nps
    assert_equal Libcs.nps_from_scores(EMEA + AMER), r
    assert_equal r, a.merge!(b).result
    assert_equal 27, a.size
    counts = Array.new(11, 0)
    (EMEA + AMER).each { |s| counts[s] += 1 }
    assert_equal counts, a.counts
    assert_equal a, merged
    assert_equal a.hash, merged.hash
    assert merged.eql?(a)
    refute_equal a, Libcs::NpsTally.new
    refute_equal a, counts
    assert_match(/#<Libcs::NpsTally n=27 counts=\[0, 0, 1, 1, 0, 1, 2, 3, 4, 8, 7\]>/, a.inspect)
    assert Libcs::NpsTally.new.empty?
    assert_same a, a.add(5)
    assert_same a, a.add_batch([])
  end

  def test_large_batch_matches_ruby_count
    rng = Random.new(7)
    scores = Array.new(100_003) { rng.rand(11) }
    t = Libcs::NpsTally.new(scores)
    want = Array.new(11, 0)
    scores.each { |s| want[s] += 1 }
    assert_equal want, t.counts
    assert_equal t.result, Libcs.nps_from_scores(scores)
    scores[77_777] = 12
    e = assert_libcs_error(Libcs::DomainError, function: :libcs_nps_tally_add_batch, index: 77_777,
                                               argument: 'scores[77777]') { t.add_batch(scores) }
    assert_match(/scores\[77777\] = 12/, e.message)
    assert_equal want, t.counts, 'a failed batch leaves the tally unchanged'
  end

  def test_bytes_and_marshal
    t = Libcs::NpsTally.new(EMEA)
    bytes = t.to_bytes
    assert_equal Encoding::ASCII_8BIT, bytes.encoding
    assert_equal Libcs::NpsTally::SERIALIZED_SIZE, bytes.bytesize
    assert_equal 96, bytes.bytesize
    assert_equal "CSNP\x01\x0b\x00\x00".b, bytes[0, 8]
    assert_equal t.counts, bytes[8, 88].unpack('Q<11'), 'counts are little-endian uint64'
    assert_equal t, Libcs::NpsTally.from_bytes(bytes)
    copy = Marshal.load(Marshal.dump(t))
    assert_instance_of Libcs::NpsTally, copy
    assert_equal t.counts, copy.counts
    nested = Marshal.load(Marshal.dump({ 'emea' => t, 'amer' => Libcs::NpsTally.new(AMER) }))
    assert_equal 27, (nested['emea'] + nested['amer']).size
  end

  def test_copies_are_independent
    t = Libcs::NpsTally.new([9, 10])
    [t.dup, t.clone].each do |c|
      c << 0
      assert_equal 3, c.size
      assert_equal 2, t.size
    end
  end

  def test_category
    assert_equal [-1] * 7 + [0, 0, 1, 1], (0..10).map { |s| Libcs.nps_category(s) }
    assert_equal Libcs::NpsCategory::PROMOTER, Libcs.nps_category(9)
    assert_equal :passive, Libcs::NpsCategory.symbol(Libcs.nps_category(7))
    assert_libcs_error(Libcs::DomainError, function: :libcs_nps_category, argument: 'score') do
      Libcs.nps_category(11)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'score') { Libcs.nps_category(-1) }
    assert_libcs_error(Libcs::DomainError, argument: 'score') { Libcs.nps_category(2**40) }
    assert_raises(TypeError) { Libcs.nps_category('9') }
    assert_raises(TypeError) { Libcs.nps_category(9.0) }
    assert_raises(TypeError) { Libcs.nps_category(nil) }
  end

  def test_tally_errors
    t = Libcs::NpsTally.new([9])
    assert_libcs_error(Libcs::DomainError, function: :libcs_nps_tally_add, argument: 'score',
                                           message: /score = 11/) { t.add(11) }
    assert_libcs_error(Libcs::DomainError, argument: 'score') { t << -1 }
    assert_libcs_error(Libcs::DomainError, argument: 'score') { t << 2**70 }
    assert_raises(TypeError) { t << 9.5 }
    assert_raises(TypeError) { t << nil }
    assert_libcs_error(Libcs::DomainError, index: 1, argument: 'scores[1]') { t.add_batch([9, 256]) }
    assert_libcs_error(Libcs::DomainError, index: 2) { t.add_batch([9, 10, -1]) }
    e = assert_raises(TypeError) { t.add_batch([9, '10']) }
    assert_match(/scores\[1\] must be an Integer/, e.message)
    assert_raises(TypeError) { t.add_batch('9 10') }
    assert_raises(TypeError) { t.add_batch(9) }
    assert_raises(TypeError) { t.merge!([9]) }
    assert_raises(TypeError) { t + nil }
    assert_equal [0] * 9 + [1, 0], t.counts, 'nothing above changed the tally'
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_nps_tally_result) { Libcs::NpsTally.new.result }
    assert_libcs_error(Libcs::DomainError, argument: 'level') { t.result(level: 1.0) }
    assert_libcs_error(Libcs::DomainError, argument: 'level') { t.result(level: 0) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'level') { t.result(level: Float::NAN) }
    assert_raises(TypeError) { t.result(level: '95%') }
  end

  def test_bad_bytes
    assert_libcs_error(Libcs::FormatError, function: :libcs_nps_tally_deserialize, argument: 'bytes') do
      Libcs::NpsTally.from_bytes('not a tally')
    end
    good = Libcs::NpsTally.new([1]).to_bytes
    assert_libcs_error(Libcs::FormatError) { Libcs::NpsTally.from_bytes(good[0, 95]) }
    assert_libcs_error(Libcs::FormatError) { Libcs::NpsTally.from_bytes("#{good}x") }
    assert_libcs_error(Libcs::FormatError) { Libcs::NpsTally.from_bytes(good.sub("\x01".b, "\x02".b)) }
    assert_libcs_error(Libcs::FormatError) { Libcs::NpsTally.from_bytes('') }
    assert_raises(TypeError) { Libcs::NpsTally.from_bytes(nil) }
    assert_raises(TypeError) { Libcs::NpsTally.from_bytes([1, 2]) }
  end

  # A tally whose count of score s is `count`, through the byte format.
  def tally_with(counts)
    Libcs::NpsTally.from_bytes("CSNP\x01\x0b\x00\x00".b + counts.pack('Q<11'))
  end

  def test_overflow
    max = 2**64 - 1
    full = tally_with([0] * 9 + [max, 0])
    assert_equal max, full.size - 0
    assert_libcs_error(Libcs::OverflowError, function: :libcs_nps_tally_add) { full.add(9) }
    one = Libcs::NpsTally.new([9])
    assert_libcs_error(Libcs::OverflowError, function: :libcs_nps_tally_merge) { full.merge!(one) }
    assert_equal max, full.counts[9], 'unchanged after a failed merge'
    assert_libcs_error(Libcs::OverflowError) { full + one }
    assert_libcs_error(Libcs::OverflowError, function: :libcs_nps_tally_add_batch) { full.add_batch([9]) }
    assert_libcs_error(Libcs::OverflowError, function: :libcs_nps_tally_result) do
      tally_with([0] * 9 + [max, 1]).result
    end
    # a single bin may hold the maximum
    assert_equal 100.0, full.result.nps
  end

  def test_one_shot_errors
    assert_libcs_error(Libcs::DomainError, function: :libcs_nps_from_scores, index: 2, argument: 'scores[2]') do
      Libcs.nps_from_scores([9, 10, 11, 7])
    end
    assert_libcs_error(Libcs::DomainError, index: 0) { Libcs.nps_from_scores([-5]) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_nps_from_scores, index: nil) do
      Libcs.nps_from_scores([])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'level', index: nil) do
      Libcs.nps_from_scores([9], level: 95)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'level') do
      Libcs.nps_from_scores([9], level: Float::INFINITY)
    end
    assert_raises(TypeError) { Libcs.nps_from_scores(nil) }
    assert_raises(TypeError) { Libcs.nps_from_scores([9, nil]) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_nps_from_counts) do
      Libcs.nps_from_counts(promoters: 0, passives: 0, detractors: 0)
    end
    assert_libcs_error(Libcs::OverflowError) do
      Libcs.nps_from_counts(promoters: 2**64 - 1, passives: 1, detractors: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'level') do
      Libcs.nps_from_counts(promoters: 1, passives: 0, detractors: 0, level: -0.5)
    end
    assert_raises(Libcs::OutOfRangeError) { Libcs.nps_from_counts(promoters: -1, passives: 0, detractors: 0) }
    assert_raises(Libcs::OutOfRangeError) { Libcs.nps_from_counts(promoters: 2**64, passives: 0, detractors: 0) }
    assert_raises(TypeError) { Libcs.nps_from_counts(promoters: 1.0, passives: 0, detractors: 0) }
  end
end
