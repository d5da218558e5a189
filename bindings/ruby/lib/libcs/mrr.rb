# frozen_string_literal: true

# bindings/ruby/lib/libcs/mrr.rb - MRR movements, rates and cohorts from a
# billing system's (customer, period, MRR) records (libcs_mrr_new(3),
# libcs_mrr_movements(3), libcs_mrr_rates_batch(3), libcs_mrr_cohorts(3)):
# Libcs::MrrLedger wraps the opaque, mergeable, serializable ledger; rows of
# movements and rates and the cohort matrices come back as Structs.  Money
# is Integer minor units (cents), summed exactly by the library.
module Libcs
  # One period's movements (struct libcs_mrr_period), Integers: the period,
  # reserved (always 0), MRR at the start, new, expansion, contraction,
  # churned and reactivation MRR, MRR at the end, and the customers at the
  # start, new, churned, reactivated and at the end.  Always
  #   mrr_end = mrr_start + new_mrr + expansion - contraction - churned + reactivation
  # and the same for the customers.
  MrrPeriod = Struct.new(*Native::MrrPeriodStruct.members, keyword_init: true) do
    def self.from_native(s) # :nodoc:
      new(**Native::MrrPeriodStruct.members.each_with_object({}) { |m, h| h[m] = s[m] }).freeze
    end
  end

  # The rates of one period (struct libcs_mrr_rates): the period and one
  # Float per Libcs::Rate (customer_churn, gross_mrr_churn, net_mrr_churn,
  # nrr, grr, quick_ratio, arpa), fractions per period except the quick
  # ratio (a ratio) and ARPA (minor units per customer).  A rate that is
  # undefined for the period (no MRR at its start, nothing lost, ...) is
  # Float::NAN, and status (one code per Libcs::Rate, indexed by its value)
  # says why: Status::OK for a defined rate, else the code of the function
  # that computes it (usually Status::EUNDEFINED).
  MrrRates = Struct.new(:period, *Rate.to_h.keys, :status, keyword_init: true) do
    # The status code of a rate (:nrr or Libcs::Rate::NRR).
    def status_of(rate)
      status.fetch(Rate.value_of(rate, 'rate'))
    end

    # Whether a rate is defined (its status is Status::OK).
    def ok?(rate)
      status_of(rate) == Status::OK
    end

    # The value of a rate (:nrr or Libcs::Rate::NRR); NaN when undefined.
    def rate(rate)
      self[Rate.symbol(Rate.value_of(rate, 'rate')) || raise(IndexError, "no rate #{rate.inspect}")]
    end
  end

  # The retention of the cohorts of a ledger (libcs_mrr_cohorts(3)): four
  # n x n matrices as Arrays of n rows, row c the cohort whose first paying
  # period is first_period + c, column k the period k after it.  customers
  # and revenue are Integers, -1 where period c + k is past the ledger's last
  # (not observable yet); customer_share and revenue_share are fractions of
  # column 0, NaN where not observable or the cohort is empty.
  MrrCohorts = Struct.new(:customers, :revenue, :customer_share, :revenue_share, :first_period) do
    # The number of cohorts (the ledger's number of periods).
    def size
      customers.size
    end

    # The first paying period of cohort c.
    def period_of(c)
      first_period + c
    end
  end

  # A ledger of MRR records over the periods first_period .. first_period +
  # n_periods - 1 (consecutive integers: months as 12 * year + month - 1,
  # say): one record (customer, period, MRR) per customer and period in
  # which it paid; a customer without a record in a period has MRR 0 there.
  #
  #   Libcs::MrrLedger.new(first_period: 1, n_periods: 5) do |ledger|
  #     ledger.add(customers: [1, 2, 1], periods: [1, 1, 2], mrr: [10_000, 20_000, 15_000])
  #     ledger.movements.map(&:mrr_end) # => [30000, 15000, 15000, 15000, 15000]
  #   end
  #
  # Records may come in any order and in any number of add calls; ledgers of
  # one shape merge (merge!, merge or +) and travel as bytes (to_bytes /
  # from_bytes, or Marshal).  reactivation_window decides whether a
  # returning customer is a reactivation (nil: after any gap, the default;
  # K >= 0: after at most K inactive periods) or new business; ChartMogul,
  # Baremetrics, ProfitWell, Chargebee and Recurly count any gap, Maxio 90
  # days (libcs_mrr_movements(3) has the sources).  Blocks and freeing work
  # as for HealthModel; dup and clone copy the records.
  class MrrLedger
    include OwnedHandle
    include Internal::ByteForm

    Pointer = releasing_with(:libcs_mrr_free)

    # The reactivation window of "after any gap" (LIBCS_MRR_ANY_GAP).
    ANY_GAP = Native::MRR_ANY_GAP

    attr_reader :first_period, :n_periods

    def initialize(first_period:, n_periods:, reactivation_window: nil)
      fn = :libcs_mrr_new
      first = Internal.int32(first_period, 'first_period')
      n = Internal.int32(n_periods, 'n_periods')
      out = FFI::MemoryPointer.new(:pointer)
      rc = Native.libcs_mrr_new(first, n, out)
      unless rc.zero?
        raise Internal.error(rc, fn) unless rc == Status::EDOMAIN
        raise Internal.error(rc, fn, argument: 'n_periods', value: n, detail: 'at least 1') if n < 1

        raise Internal.error(rc, fn, argument: 'n_periods', value: n,
                                     detail: "the last period, first_period + n_periods - 1 = #{first + n - 1}, " \
                                             'is past INT32_MAX')
      end
      adopt(out.read_pointer)
      @first_period = first
      @n_periods = n
      @window = ANY_GAP
      set_reactivation_window(reactivation_window) unless reactivation_window.nil?
    end

    # The ledger serialized by #to_bytes (FormatError for anything else).
    # Takes a block as new does.
    def self.from_bytes(bytes, &block)
      raise TypeError, "bytes must be a String, got #{Internal.describe(bytes)}" unless bytes.is_a?(String)

      ledger = allocate
      ledger.send(:adopt_bytes, bytes.b)
      block ? ledger.send(:use_and_free, &block) : ledger
    end

    # The last period of the ledger.
    def last_period
      first_period + n_periods - 1
    end

    # first_period..last_period
    def periods
      first_period..last_period
    end

    # nil for reactivation after any gap, else the longest gap K (inactive
    # periods) after which a return is still a reactivation.
    def reactivation_window
      @window == ANY_GAP ? nil : @window
    end

    # nil (or ANY_GAP, or :any) for any gap, or K >= 0; returns self.  It
    # applies to the next analysis, and belongs to the ledger: merged ledgers
    # must have the same.
    def set_reactivation_window(max_gap)
      fn = :libcs_mrr_set_reactivation_window
      gap = max_gap.nil? || max_gap == :any ? ANY_GAP : Internal.int32(max_gap, 'reactivation_window')
      rc = Native.libcs_mrr_set_reactivation_window(handle(fn), gap)
      Internal.check(rc, fn, argument: 'reactivation_window', value: max_gap,
                             detail: 'nil for any gap, or a number of periods >= 0')
      @window = gap
      self
    end

    def reactivation_window=(max_gap)
      set_reactivation_window(max_gap)
    end

    # Add records and return self: customers (Integer ids, int64),
    # periods (Integers in first_period..last_period) and mrr (Integer minor
    # units >= 0), Arrays of one length, or single values standing for every
    # record (at least one must be an Array).  All or nothing: a bad record
    # adds none and raises DomainError with its #index.
    def add(customers:, periods:, mrr:)
      fn = :libcs_mrr_add
      given = { 'customers' => customers, 'periods' => periods, 'mrr' => mrr }
      arrays = given.select { |_, v| v.respond_to?(:to_ary) }
      raise ArgumentError, "#{fn}: at least one of customers, periods, mrr must be an Array" if arrays.empty?

      n = arrays.values.first.to_ary.size
      arrays.each do |name, v|
        next if v.to_ary.size == n

        raise ArgumentError, "#{fn}: #{arrays.keys.first} has #{n} elements but #{name} has #{v.to_ary.size}"
      end
      int64 = [Internal::INT64_MIN, Internal::INT64_MAX]
      cust = column(customers, n, 'customers', *int64) { |x, name, _| Internal.int64(x, name) }
      per = column(periods, n, 'periods', Internal::INT32_MIN, Internal::INT32_MAX) do |x, name, i|
        record_period(x, name, i, fn)
      end
      money = column(mrr, n, 'mrr', *int64) { |x, name, _| Internal.int64(x, name) }
      cp = Internal.pack_int64s(cust)
      pp = Internal.pack_int32s(per)
      mp = Internal.pack_int64s(money)
      bad = Internal.bad_index
      rc = Native.libcs_mrr_add(handle(fn), n, cp, pp, mp, bad)
      raise add_error(fn, rc, Internal.read_index(bad), per, money, periods, mrr) unless rc.zero?

      self
    end

    # Append every record of other (a ledger of the same first_period,
    # n_periods and reactivation_window) to this one and return self;
    # other is unchanged.
    def merge!(other)
      fn = :libcs_mrr_merge
      raise TypeError, "other must be a Libcs::MrrLedger, got #{Internal.describe(other)}" unless other.is_a?(MrrLedger)

      # both locks, always in the same order, so that neither ledger is freed
      # during the call and two crossed merges cannot deadlock
      first, second = [self, other].sort_by(&:__id__)
      first.monitor.synchronize do
        second.monitor.synchronize do
          into = handle(fn)
          if other.freed?
            raise InvalidArgumentError.new("#{fn}: the other Libcs::MrrLedger was freed", function: fn,
                                                                                         argument: 'other')
          end
          rc = Native.libcs_mrr_merge(into, other.send(:handle, fn))
          raise merge_error(fn, rc, other) unless rc.zero?
        end
      end
      self
    end

    # A new ledger with the records of both.
    def merge(other)
      dup.merge!(other)
    end
    alias + merge

    # The number of records, duplicates included.
    def records
      fn = :libcs_mrr_records
      n = Internal.out_size
      Internal.check(Native.libcs_mrr_records(handle(fn), n), fn)
      n.read(:size_t)
    end
    alias size records
    alias length records

    def empty?
      records.zero?
    end

    # The library's serialized form: a binary String of 32 + 20 bytes a
    # record, the same on every platform (libcs_mrr_new(3)).
    def to_bytes
      fn = :libcs_mrr_serialize
      Internal.serialize(fn, handle(fn))
    end

    # The movements of every period (an Array of n_periods MrrPeriod rows).
    # A ledger with two records of one customer and period raises
    # DuplicateError naming the first (#customer, #period).
    def movements
      buf = movements_native(:libcs_mrr_movements)
      size = Native::MrrPeriodStruct.size
      Array.new(n_periods) { |i| MrrPeriod.from_native(Native::MrrPeriodStruct.new(buf + i * size)) }.freeze
    end

    # The rates of every period (an Array of n_periods MrrRates), customer
    # churn with the given denominator (:start, :start_plus_new or :average,
    # or a Libcs::Denominator constant; see Libcs.churn_customer).
    def rates(denominator:)
      buf = movements_native(:libcs_mrr_movements)
      Libcs.send(:mrr_rates_call, buf, n_periods, denominator)
    end

    # The MrrCohorts of the ledger: customers and revenue retained by each
    # cohort of first paying period, and their shares.
    def cohorts
      fn = :libcs_mrr_cohorts
      h = handle(fn)
      needed = Internal.out_size
      rc = Native.libcs_mrr_cohorts(h, 0, nil, nil, nil, nil, needed, nil, nil) # size query
      unless rc.zero?
        raise Internal.error(rc, fn, detail: "#{n_periods} x #{n_periods} cells do not fit in memory")
      end

      cells = needed.read(:size_t)
      customers = Internal.buffer(:int64, cells)
      revenue = Internal.buffer(:int64, cells)
      customer_share = Internal.buffer(:double, cells)
      revenue_share = Internal.buffer(:double, cells)
      dup_customer = FFI::MemoryPointer.new(:int64)
      dup_period = FFI::MemoryPointer.new(:int32)
      rc = Native.libcs_mrr_cohorts(h, cells, customers, revenue, customer_share, revenue_share, nil,
                                    dup_customer, dup_period)
      raise analysis_error(fn, rc, dup_customer, dup_period) unless rc.zero?

      n = n_periods
      matrix = ->(values) { values.each_slice(n).map(&:freeze).freeze }
      MrrCohorts.new(matrix.call(customers.get_array_of_int64(0, cells)),
                     matrix.call(revenue.get_array_of_int64(0, cells)),
                     matrix.call(customer_share.get_array_of_double(0, cells)),
                     matrix.call(revenue_share.get_array_of_double(0, cells)), first_period).freeze
    end

    # Subscription-capped gross revenue retention of a period (Chargebee):
    # the sum over the customers active the period before of min(MRR now,
    # MRR before), over the sum of MRR before.  period and the period before
    # it must be in the ledger.
    def capped_grr(period:)
      fn = :libcs_mrr_capped_grr
      p = Internal.integer(period, 'period')
      unless p.between?(Internal::INT32_MIN, Internal::INT32_MAX)
        raise Internal.error(Status::EDOMAIN, fn, argument: 'period', value: p, detail: capped_range)
      end

      out = Internal.out_double
      h = handle(fn)
      rc = Native.libcs_mrr_capped_grr(h, p, out)
      case rc
      when Status::OK then out.read_double
      when Status::EDOMAIN then raise Internal.error(rc, fn, argument: 'period', value: p, detail: capped_range)
      when Status::EUNDEFINED
        raise Internal.error(rc, fn, argument: 'period', value: p, detail: "no customer paid in period #{p - 1}")
      when Status::EDUPLICATE
        # libcs_mrr_capped_grr does not name it; the same comparison through
        # libcs_mrr_capped_grr_since does
        dup_customer = FFI::MemoryPointer.new(:int64)
        dup_period = FFI::MemoryPointer.new(:int32)
        rc = Native.libcs_mrr_capped_grr_since(h, p - 1, p, out, dup_customer, dup_period)
        raise analysis_error(fn, rc, dup_customer, dup_period) if rc == Status::EDUPLICATE

        raise Internal.error(Status::EDUPLICATE, fn, detail: 'two records have one customer and period')
      when Status::EOVERFLOW then raise Internal.error(rc, fn, detail: 'a sum exceeds INT64_MAX')
      else raise Internal.error(rc, fn)
      end
    end

    # Subscription-capped gross revenue retention of period against the
    # earlier period base (Chargebee): over the customers paying in base, the
    # sum of min(MRR in period, MRR in base) over the sum of MRR in base.
    # Expansion is capped away, contraction and churn count, customers new
    # since base are not in it; base: period - 12 on a monthly ledger is the
    # annual GRR, base: period - 1 is #capped_grr.  Both periods in the
    # ledger with base < period (DomainError); nobody paying in base raises
    # UndefinedResultError, a duplicate record DuplicateError naming it.
    def capped_grr_since(base:, period:)
      fn = :libcs_mrr_capped_grr_since
      h = handle(fn)
      b = Internal.integer(base, 'base')
      p = Internal.integer(period, 'period')
      bad = if !b.between?(first_period, last_period) || b >= p then 'base'
            elsif !p.between?(first_period, last_period) then 'period'
            end
      out = Internal.out_double
      dup_customer = FFI::MemoryPointer.new(:int64)
      dup_period = FFI::MemoryPointer.new(:int32)
      rc = bad ? Status::EDOMAIN : Native.libcs_mrr_capped_grr_since(h, b, p, out, dup_customer, dup_period)
      case rc
      when Status::OK then out.read_double
      when Status::EDOMAIN
        raise Internal.error(rc, fn, argument: bad || 'base', value: bad == 'period' ? p : b,
                                     detail: "base < period, both in the ledger's periods #{periods}")
      when Status::EUNDEFINED
        raise Internal.error(rc, fn, argument: 'base', value: b, detail: "no customer paid in period #{b}")
      else raise analysis_error(fn, rc, dup_customer, dup_period)
      end
    end

    # #capped_grr_since of every period against the period lookback (>= 1)
    # before it, in one pass over the records: an Array of n_periods Floats,
    # NaN where the base is before the first period (the first lookback:
    # not observable) or nobody paid in it (undefined).  lookback: 12 on a
    # monthly ledger gives the annual GRR of each month.
    def capped_grr_series(lookback:)
      fn = :libcs_mrr_capped_grr_series
      lb = Internal.integer(lookback, 'lookback')
      out = Internal.buffer(:double, n_periods)
      needed = Internal.out_size
      dup_customer = FFI::MemoryPointer.new(:int64)
      dup_period = FFI::MemoryPointer.new(:int32)
      # beyond int32 the answer is that of the nearest int32 (no base in the
      # ledger, or not >= 1)
      rc = Native.libcs_mrr_capped_grr_series(handle(fn), lb.clamp(Internal::INT32_MIN, Internal::INT32_MAX),
                                              out, n_periods, needed, dup_customer, dup_period)
      case rc
      when Status::OK then out.get_array_of_double(0, n_periods).freeze
      when Status::EDOMAIN
        raise Internal.error(rc, fn, argument: 'lookback', value: lb, detail: 'a number of periods >= 1')
      else raise analysis_error(fn, rc, dup_customer, dup_period)
      end
    end

    # Equal ledgers have the same shape, window and records in the same
    # order (the same bytes).
    def ==(other)
      other.is_a?(MrrLedger) && !freed? && !other.freed? && to_bytes == other.to_bytes
    end

    def inspect
      return "#<#{self.class} (freed)>" if freed?

      window = reactivation_window.nil? ? 'any gap' : reactivation_window.to_s
      "#<#{self.class} periods #{periods}, #{records} records, reactivation window #{window}>"
    end

    synchronized :set_reactivation_window, :reactivation_window=, :add, :records, :size, :length,
                 :to_bytes, :movements, :rates, :cohorts, :capped_grr, :capped_grr_since,
                 :capped_grr_series

    protected

    # The lock that #free and every call take (for merge!).
    def monitor
      @lock
    end

    private

    # dup and clone make an independent C ledger with the same records.
    def initialize_copy(source)
      super
      @handle = nil
      adopt_bytes(source.to_bytes)
    end

    def adopt_bytes(bytes)
      fn = :libcs_mrr_deserialize
      buf = Internal.buffer(:uint8, bytes.bytesize)
      buf.put_bytes(0, bytes)
      out = FFI::MemoryPointer.new(:pointer)
      rc = Native.libcs_mrr_deserialize(buf, bytes.bytesize, out)
      Internal.check(rc, fn, argument: 'bytes', detail: "#{bytes.bytesize} bytes")
      adopt(out.read_pointer)
      # the shape and the window, from the header the library accepted
      @first_period, @n_periods, @window = bytes.byteslice(8, 12).unpack('l<l<l<')
    end

    # One argument of add as n converted values: an Array element by
    # element (named "name[i]"), a single value n times.  An Array of
    # Integers in min..max, the usual case, is taken as it is.
    def column(x, n, name, min, max)
      if x.respond_to?(:to_ary)
        a = x.to_ary
        return a if a.all? { |v| v.is_a?(Integer) && v >= min && v <= max }

        a.each_with_index.map { |v, i| yield v, "#{name}[#{i}]", i }
      else
        v = yield x, name, 0
        Array.new(n, v)
      end
    end

    # A period that does not fit in int32_t is outside every ledger: the
    # DomainError the library gives for a period outside this one.
    def record_period(x, name, index, function)
      v = Internal.integer(x, name)
      return v if v.between?(Internal::INT32_MIN, Internal::INT32_MAX)

      raise Internal.error(Status::EDOMAIN, function, argument: name, value: v, index: index,
                                                      detail: "the ledger holds periods #{periods}")
    end

    def add_error(function, rc, index, per, money, periods_arg, mrr_arg)
      case rc
      when Status::EDOMAIN
        return Internal.error(rc, function, index: index) unless index

        if money[index].negative?
          name = mrr_arg.respond_to?(:to_ary) ? "mrr[#{index}]" : 'mrr'
          Internal.error(rc, function, argument: name, value: money[index], index: index, detail: 'MRR is >= 0')
        else
          name = periods_arg.respond_to?(:to_ary) ? "periods[#{index}]" : 'periods'
          Internal.error(rc, function, argument: name, value: per[index], index: index,
                                       detail: "the ledger holds periods #{periods}")
        end
      when Status::EOVERFLOW
        Internal.error(rc, function, detail: 'the ledger would hold more than 2**32 - 1 records')
      else
        Internal.error(rc, function)
      end
    end

    def merge_error(function, rc, other)
      return Internal.error(rc, function) unless rc == Status::EINVAL
      return Internal.error(rc, function, detail: 'a ledger cannot be merged into itself (merge a dup)') if other.equal?(self)

      Internal.error(rc, function, argument: 'other',
                                   detail: "ledgers of different shapes: #{shape} and #{other.send(:shape)}")
    end

    def shape
      "periods #{periods}, reactivation window #{reactivation_window.nil? ? 'any gap' : reactivation_window}"
    end

    def capped_range
      last_period > first_period ? "periods #{first_period + 1}..#{last_period} have a period before them" : 'a 1-period ledger has none'
    end

    # The movements in native memory (n_periods libcs_mrr_period rows).
    def movements_native(function)
      h = handle(function)
      buf = FFI::MemoryPointer.new(Native::MrrPeriodStruct, n_periods)
      needed = Internal.out_size
      dup_customer = FFI::MemoryPointer.new(:int64)
      dup_period = FFI::MemoryPointer.new(:int32)
      rc = Native.libcs_mrr_movements(h, buf, n_periods, needed, dup_customer, dup_period)
      raise analysis_error(function, rc, dup_customer, dup_period) unless rc.zero?

      buf
    end

    # The error of movements or cohorts: a duplicate names its record.
    def analysis_error(function, rc, dup_customer, dup_period)
      case rc
      when Status::EDUPLICATE
        c = dup_customer.read_int64
        p = dup_period.read_int32
        Internal.error(rc, function, detail: "customer #{c}, period #{p}", customer: c, period: p)
      when Status::EOVERFLOW
        Internal.error(rc, function, detail: 'the MRR of a period or a movement total exceeds INT64_MAX')
      else
        Internal.error(rc, function)
      end
    end
  end

  module_function

  # The MrrRates of rows of movements: MrrPeriod Structs (from
  # MrrLedger#movements, or made by hand, e.g. the field-by-field sums of
  # several partitions' rows) or Hashes with the same keys, a field left
  # out being 0.  denominator as in MrrLedger#rates.
  def mrr_rates(periods, denominator:)
    rows = Internal.list(periods, 'periods')
    size = Native::MrrPeriodStruct.size
    buf = FFI::MemoryPointer.new(Native::MrrPeriodStruct, rows.empty? ? 1 : rows.size)
    fields = Native::MrrPeriodStruct.members - [:reserved]
    rows.each_with_index do |row, i|
      h = mrr_row(row, "periods[#{i}]")
      s = Native::MrrPeriodStruct.new(buf + i * size)
      fields.each do |f|
        v = h.fetch(f, nil) || 0
        name = "periods[#{i}][:#{f}]"
        s[f] = f == :period ? Internal.int32(v, name) : Internal.int64(v, name)
      end
    end
    mrr_rates_call(buf, rows.size, denominator)
  end

  # A row of movements as a Hash with Symbol keys.
  def mrr_row(row, name)
    h = if row.is_a?(Hash) then row
        elsif row.is_a?(Struct) then row.to_h
        else raise TypeError, "#{name} must be a Libcs::MrrPeriod or a Hash, got #{Internal.describe(row)}"
        end
    h = h.transform_keys { |k| k.is_a?(String) ? k.to_sym : k }
    unknown = h.keys - Native::MrrPeriodStruct.members
    raise ArgumentError, "#{name}: unknown field #{unknown.first.inspect}" unless unknown.empty?

    h
  end
  private_class_method :mrr_row

  # rates_batch on n rows in native memory.
  def mrr_rates_call(buf, n, denominator)
    fn = :libcs_mrr_rates_batch
    d = Internal.scale_int(Denominator.value_of(denominator, 'denominator'), 'denominator', fn)
    out = FFI::MemoryPointer.new(Native::MrrRatesStruct, n.zero? ? 1 : n)
    rc = Native.libcs_mrr_rates_batch(n, buf, d, out)
    case rc
    when Status::OK then nil
    when Status::EEMPTY then raise Internal.error(rc, fn, argument: 'periods', detail: 'no periods')
    when Status::EINVAL then raise Internal.error(rc, fn, argument: 'denominator', value: denominator)
    else raise Internal.error(rc, fn)
    end
    psize = Native::MrrPeriodStruct.size
    rsize = Native::MrrRatesStruct.size
    rate_at = Native::MrrRatesStruct.offset_of(:rate)
    status_at = Native::MrrRatesStruct.offset_of(:status)
    period_at = Native::MrrPeriodStruct.offset_of(:period)
    names = Rate.to_h.keys
    Array.new(n) do |i|
      rates = out.get_array_of_double(i * rsize + rate_at, names.size)
      fields = names.each_with_index.each_with_object({}) { |(k, j), h| h[k] = rates[j] }
      fields[:period] = buf.get_int32(i * psize + period_at)
      fields[:status] = out.get_array_of_int32(i * rsize + status_at, names.size).freeze
      MrrRates.new(**fields).freeze
    end.freeze
  end
  private_class_method :mrr_rates_call
end
