# frozen_string_literal: true

# bindings/ruby/lib/libcs/churn.rb - customer churn with an explicit
# denominator, retention, conversion between period lengths, and the
# mergeable Libcs::ChurnTally (libcs_churn_customer(3),
# libcs_churn_retention(3), libcs_churn_tally_init(3)).  Batch forms as in
# ltv.rb: Arrays of one length, or single values standing for every element.
module Libcs
  CHURN_CUSTOMER = Internal.metric(
    :libcs_churn_customer,
    [:at_start, :int64, :nonneg], [:new_customers, :int64, :nonneg],
    [:churned, :int64, :nonneg], [:denominator, :denominator, :any],
    hints: { Status::EDOMAIN => 'churned exceeds at_start + new_customers',
             Status::EUNDEFINED => 'the chosen denominator is 0' }
  )
  CHURN_RETENTION = Internal.metric(:libcs_churn_retention, [:churn, :double, :fraction])
  CHURN_CONVERT = Internal.metric(:libcs_churn_convert,
                                  [:churn, :double, :fraction], [:periods, :double, :positive])
  private_constant :CHURN_CUSTOMER, :CHURN_RETENTION, :CHURN_CONVERT

  module_function

  # Customers lost / a denominator: :start (customers at the start),
  # :start_plus_new (start + new in the period) or :average ((start + end) /
  # 2), or the Libcs::Denominator constants.  Vendors differ (see
  # libcs_churn_customer(3)), so there is no default.  Counts are Integers.
  def churn_customer(at_start:, new_customers:, churned:, denominator:)
    Internal.scalar(CHURN_CUSTOMER, [at_start, new_customers, churned, denominator])
  end

  # The denominator is one option for the whole batch.
  def churn_customer_batch(at_start:, new_customers:, churned:, denominator:)
    Internal.batch(CHURN_CUSTOMER, [at_start, new_customers, churned, denominator])
  end

  # Retention = 1 - churn.
  def churn_retention(churn:)
    Internal.scalar(CHURN_RETENTION, [churn])
  end

  def churn_retention_batch(churn:)
    Internal.batch(CHURN_RETENTION, [churn])
  end

  # Churn over `periods` periods: 1 - (1 - churn)**periods (12: monthly to
  # annual; 1.0 / 12: annual to monthly).
  def churn_convert(churn:, periods:)
    Internal.scalar(CHURN_CONVERT, [churn, periods])
  end

  def churn_convert_batch(churn:, periods:)
    Internal.batch(CHURN_CONVERT, [churn, periods])
  end
end

module Libcs
  # The customer counts of one period -- at the start, new, lost -- (struct
  # libcs_churn_tally), the state to keep when customers arrive in parts:
  # count them from 0/1 flags (add_batch) or add counts (add), merge tallies
  # from other workers, ship one as bytes (to_bytes / from_bytes, or
  # Marshal), and ask for the rate at any time with a denominator
  # (result(denominator:), as Libcs.churn_customer computes it).
  #
  #   t = Libcs::ChurnTally.new
  #   t.add(at_start: 60, churned: 4)
  #   t.add_batch(active_at_start: [1] * 40, is_new: [0] * 40, churned: [1] * 6 + [0] * 34)
  #   t.result(denominator: :start) # => 0.1
  class ChurnTally
    include Internal::TallyBytes

    SERIALIZED_SIZE = Native::CHURN_TALLY_SERIALIZED_SIZE

    # An empty tally.
    def initialize
      @tally = Native::ChurnTallyStruct.new # memory owned by this object
      Internal.check(Native.libcs_churn_tally_init(@tally), :libcs_churn_tally_init)
    end

    # A tally holding these counts (add to an empty one).
    def self.from_counts(at_start: 0, new_customers: 0, churned: 0)
      new.add(at_start: at_start, new_customers: new_customers, churned: churned)
    end

    # Add counts (Integers >= 0, churned <= at_start + new_customers) and
    # return self; unchanged on error.
    def add(at_start: 0, new_customers: 0, churned: 0)
      v = { at_start: at_start, new_customers: new_customers, churned: churned }
      args = v.map { |k, x| Internal.int64(x, k.to_s) }
      rc = Native.libcs_churn_tally_add(@tally, *args)
      return self if rc.zero?

      culprit = v.find { |_, x| x.negative? }&.first
      culprit ||= :churned if rc == Status::EDOMAIN
      raise Internal.error(rc, :libcs_churn_tally_add, argument: culprit&.to_s,
                                                       value: culprit ? v[culprit] : Internal::NONE,
                                                       detail: ADD_HINTS[rc])
    end

    # Count n customers from three Arrays of 0/1 flags (or true/false) of one
    # length and return self: active at the start, new (never both), lost
    # (only if one of the others).  A customer with three 0 flags was not a
    # customer in the period and counts nothing.  Bad flags are a DomainError
    # with the #index of the first bad customer, and leave the tally
    # unchanged.  Empty Arrays are a no-op.
    def add_batch(active_at_start:, is_new:, churned:)
      cols = { active_at_start: active_at_start, is_new: is_new, churned: churned }
      lists = cols.to_h { |k, x| [k, Internal.list(x, k.to_s).map { |f| FLAG.fetch(f, f) }] }
      sizes = lists.values.map(&:size)
      unless sizes.uniq.size == 1
        raise ArgumentError, "active_at_start, is_new and churned must have one length, got #{sizes.join(', ')}"
      end

      bufs = lists.to_h { |k, l| [k, Internal.pack_bytes(l, k.to_s, :libcs_churn_tally_add_batch)] }
      bad = Internal.bad_index
      rc = Native.libcs_churn_tally_add_batch(@tally, sizes.first, bufs[:active_at_start], bufs[:is_new],
                                              bufs[:churned], bad)
      return self if rc.zero?

      i = Internal.read_index(bad)
      raise Internal.error(rc, :libcs_churn_tally_add_batch, detail: ADD_HINTS[rc]) unless i

      flags = lists.values.map { |l| l[i] }
      raise Internal.error(rc, :libcs_churn_tally_add_batch, argument: 'active_at_start, is_new, churned',
                                                             value: flags, index: i, detail: flags_problem(*flags))
    end

    # Add another tally's counts to this one and return self (unchanged on
    # OverflowError).
    def merge!(other)
      raise TypeError, "other must be a Libcs::ChurnTally, got #{Internal.describe(other)}" unless other.is_a?(ChurnTally)

      Internal.check(Native.libcs_churn_tally_merge(@tally, other.native), :libcs_churn_tally_merge,
                     detail: ADD_HINTS[Status::EOVERFLOW])
      self
    end

    # A new tally with the counts of both.
    def merge(other)
      dup.merge!(other)
    end
    alias + merge

    # The churn rate with a denominator (:start, :start_plus_new, :average
    # or a Libcs::Denominator constant; no default, as for
    # Libcs.churn_customer).  UndefinedResultError when the denominator is 0.
    def result(denominator:)
      d = Internal.scale_int(Denominator.value_of(denominator, 'denominator'), 'denominator',
                             :libcs_churn_tally_result)
      out = Internal.out_double
      rc = Native.libcs_churn_tally_result(@tally, d, out)
      case rc
      when Status::OK then out.read_double
      when Status::EINVAL
        raise Internal.error(rc, :libcs_churn_tally_result, argument: 'denominator', value: denominator)
      else
        raise Internal.error(rc, :libcs_churn_tally_result, detail: 'the chosen denominator is 0')
      end
    end

    def at_start
      @tally[:at_start]
    end

    def new_customers
      @tally[:new_customers]
    end

    def churned
      @tally[:churned]
    end

    # at_start + new_customers - churned
    def at_end
      at_start + new_customers - churned
    end

    # [at_start, new_customers, churned]
    def counts
      [at_start, new_customers, churned]
    end

    # The library's serialized form: a binary String, SERIALIZED_SIZE bytes,
    # the same on every platform.
    def to_bytes
      Internal.serialize(:libcs_churn_tally_serialize, @tally)
    end

    def ==(other)
      other.is_a?(ChurnTally) && counts == other.counts
    end
    alias eql? ==

    def hash
      [ChurnTally, counts].hash
    end

    def inspect
      "#<#{self.class} at_start=#{at_start} new_customers=#{new_customers} churned=#{churned}>"
    end

    # The struct, for other tallies' merge!.
    def native # :nodoc:
      @tally
    end
    protected :native

    FLAG = { true => 1, false => 0 }.freeze
    ADD_HINTS = { Status::EDOMAIN => 'churned exceeds at_start + new_customers, or a count is negative',
                  Status::EOVERFLOW => 'a count would exceed 2**63 - 1' }.freeze
    private_constant :FLAG, :ADD_HINTS

    private

    def flags_problem(started, won, lost)
      return 'flags are 0 or 1' unless [started, won, lost].all? { |f| [0, 1].include?(f) }
      return 'a customer is either active at the start or new, not both' if started == 1 && won == 1

      'a customer can be lost only if it was active at the start or new'
    end

    # dup and clone copy the counts, never share them.
    def initialize_copy(source)
      super
      @tally = Native::ChurnTallyStruct.new
      @tally.pointer.put_bytes(0, source.native.pointer.get_bytes(0, Native::ChurnTallyStruct.size))
    end

    def load_bytes(bytes)
      buf = Internal.buffer(:uint8, bytes.bytesize)
      buf.put_bytes(0, bytes)
      Internal.check(Native.libcs_churn_tally_deserialize(@tally, buf, bytes.bytesize),
                     :libcs_churn_tally_deserialize, argument: 'bytes',
                                                     detail: "#{bytes.bytesize} bytes")
    end
  end
end
