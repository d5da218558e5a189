# frozen_string_literal: true

# bindings/ruby/lib/libcs/nps.rb - Net Promoter Score: the mergeable,
# serializable Libcs::NpsTally, the one-shot forms, and Libcs::NpsResult
# (libcs_nps_tally_init(3), libcs_nps_from_scores(3)).
module Libcs
  # Everything known about a set of answers (struct libcs_nps_result): counts,
  # shares (fractions of n), and nps, se and the interval bounds on the
  # -100..100 scale at confidence `level`.
  NpsResult = Struct.new(:n, :promoters, :passives, :detractors,
                         :promoter_share, :passive_share, :detractor_share,
                         :nps, :se, :level, :wald_low, :wald_high,
                         :adjusted_nps, :adjusted_low, :adjusted_high,
                         keyword_init: true) do
    def self.from_native(s) # :nodoc:
      new(**members.to_h { |m| [m, s[m]] }).freeze
    end

    # [wald_low, wald_high]
    def wald
      [wald_low, wald_high]
    end

    # [adjusted_low, adjusted_high]
    def adjusted
      [adjusted_low, adjusted_high]
    end
  end

  # A tally of 0..10 scores (struct libcs_nps_tally), the state to keep when
  # answers arrive in parts: add to it, merge tallies from other workers,
  # ship it as bytes (to_bytes / from_bytes, or Marshal), and ask for the
  # result at any time.
  #
  #   t = Libcs::NpsTally.new([10, 9, 7, 3])
  #   t << 9
  #   (t + Libcs::NpsTally.new([6])).result.nps # => 20.0
  class NpsTally
    include Internal::TallyBytes

    SERIALIZED_SIZE = Native::NPS_TALLY_SERIALIZED_SIZE

    # A new tally, with the scores of an Array (add_batch) if given.
    def initialize(scores = nil)
      @tally = Native::NpsTallyStruct.new # memory owned by this object
      Internal.check(Native.libcs_nps_tally_init(@tally), :libcs_nps_tally_init)
      add_batch(scores) unless scores.nil?
    end

    # Add one score (0..10) and return self.
    def add(score)
      s = Internal.scale_int(score, 'score', :libcs_nps_tally_add)
      rc = Native.libcs_nps_tally_add(@tally, s)
      Internal.check(rc, :libcs_nps_tally_add, argument: 'score', value: score)
      self
    end
    alias << add

    # Add an Array of scores (0..10) in one call and return self.  A bad
    # score leaves the tally unchanged: DomainError with #index.  An empty
    # Array is a no-op.
    def add_batch(scores)
      buf = Internal.pack_bytes(scores, 'scores', :libcs_nps_tally_add_batch)
      n = scores.to_ary.size
      bad = Internal.bad_index
      rc = Native.libcs_nps_tally_add_batch(@tally, n, buf, bad)
      unless rc.zero?
        i = Internal.read_index(bad)
        raise Internal.error(rc, :libcs_nps_tally_add_batch, argument: i ? "scores[#{i}]" : 'scores',
                                                             value: i ? scores.to_ary[i] : Internal::NONE,
                                                             index: i)
      end
      self
    end

    # Add another tally's counts to this one and return self (unchanged on
    # OverflowError).
    def merge!(other)
      raise TypeError, "other must be a Libcs::NpsTally, got #{Internal.describe(other)}" unless other.is_a?(NpsTally)

      Internal.check(Native.libcs_nps_tally_merge(@tally, other.native), :libcs_nps_tally_merge)
      self
    end

    # A new tally with the counts of both.
    def merge(other)
      dup.merge!(other)
    end
    alias + merge

    # NPS, shares and intervals at confidence level (0 < level < 1).
    # EmptyInputError when nothing was tallied.
    def result(level: 0.95)
      lv = Internal.double(level, 'level')
      out = Native::NpsResultStruct.new
      case (rc = Native.libcs_nps_tally_result(@tally, lv, out))
      when Status::OK then NpsResult.from_native(out)
      when Status::EDOMAIN, Status::ENONFINITE
        raise Internal.error(rc, :libcs_nps_tally_result, argument: 'level', value: level)
      when Status::EEMPTY
        raise Internal.error(rc, :libcs_nps_tally_result, detail: 'no scores tallied')
      else
        raise Internal.error(rc, :libcs_nps_tally_result)
      end
    end

    # The count of each score 0..10 (11 Integers).
    def counts
      @tally[:counts].to_a
    end

    # The number of scores tallied.
    def size
      counts.sum
    end
    alias n size

    def empty?
      size.zero?
    end

    # The library's serialized form: a binary String, SERIALIZED_SIZE bytes,
    # the same on every platform.
    def to_bytes
      Internal.serialize(:libcs_nps_tally_serialize, @tally)
    end

    def ==(other)
      other.is_a?(NpsTally) && counts == other.counts
    end
    alias eql? ==

    def hash
      [NpsTally, counts].hash
    end

    def inspect
      "#<#{self.class} n=#{size} counts=#{counts}>"
    end

    # The struct, for other tallies' merge!.
    def native # :nodoc:
      @tally
    end
    protected :native

    private

    # dup and clone copy the counts, never share them.
    def initialize_copy(source)
      super
      @tally = Native::NpsTallyStruct.new
      @tally.pointer.put_bytes(0, source.native.pointer.get_bytes(0, Native::NpsTallyStruct.size))
    end

    def load_bytes(bytes)
      buf = Internal.buffer(:uint8, bytes.bytesize)
      buf.put_bytes(0, bytes)
      Internal.check(Native.libcs_nps_tally_deserialize(@tally, buf, bytes.bytesize),
                     :libcs_nps_tally_deserialize, argument: 'bytes',
                                                   detail: "#{bytes.bytesize} bytes")
    end
  end

  module_function

  # The category of a score 0..10: Libcs::NpsCategory::DETRACTOR (-1),
  # PASSIVE (0) or PROMOTER (1).
  def nps_category(score)
    s = Internal.scale_int(score, 'score', :libcs_nps_category)
    out = Internal.out_int
    Internal.check(Native.libcs_nps_category(s, out), :libcs_nps_category,
                   argument: 'score', value: score)
    out.read_int
  end

  # The NpsResult of an Array of 0..10 scores, in one call; a bad score is a
  # DomainError with its #index.
  def nps_from_scores(scores, level: 0.95)
    buf = Internal.pack_bytes(scores, 'scores', :libcs_nps_from_scores)
    n = scores.to_ary.size
    lv = Internal.double(level, 'level')
    out = Native::NpsResultStruct.new
    bad = Internal.bad_index
    rc = Native.libcs_nps_from_scores(n, buf, lv, out, bad)
    unless rc.zero?
      i = Internal.read_index(bad)
      raise Internal.error(rc, :libcs_nps_from_scores, argument: "scores[#{i}]", value: scores.to_ary[i], index: i) if i
      raise Internal.error(rc, :libcs_nps_from_scores, argument: 'level', value: level) if rc != Status::EEMPTY

      raise Internal.error(rc, :libcs_nps_from_scores, argument: 'scores', detail: 'no scores')
    end
    NpsResult.from_native(out)
  end

  # The NpsResult of category counts (Integers >= 0).
  def nps_from_counts(promoters:, passives:, detractors:, level: 0.95)
    counts = { promoters: promoters, passives: passives, detractors: detractors }
             .map { |k, v| Internal.unsigned(v, k.to_s, Internal::UINT64_MAX) }
    lv = Internal.double(level, 'level')
    out = Native::NpsResultStruct.new
    rc = Native.libcs_nps_from_counts(*counts, lv, out)
    case rc
    when Status::OK then NpsResult.from_native(out)
    when Status::EDOMAIN, Status::ENONFINITE
      raise Internal.error(rc, :libcs_nps_from_counts, argument: 'level', value: level)
    when Status::EEMPTY
      raise Internal.error(rc, :libcs_nps_from_counts, detail: 'all counts are 0')
    else
      raise Internal.error(rc, :libcs_nps_from_counts, detail: 'promoters + passives + detractors needs more than 64 bits')
    end
  end
end
