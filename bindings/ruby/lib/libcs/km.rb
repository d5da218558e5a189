# frozen_string_literal: true

# bindings/ruby/lib/libcs/km.rb - Kaplan-Meier retention curves
# (libcs_km_fit(3)): Libcs::KaplanMeier wraps the opaque fitted curve, with
# its quantiles, restricted mean lifetime and LTV.
module Libcs
  # A fitted curve at each of its distinct times, one Array of Floats per
  # field, as R's survfit reports it: time, n_risk (the weight at risk),
  # n_event (churned), n_censor (still active), survival, std_err (Greenwood,
  # of the cumulative hazard; NaN once survival has reached 0), and the
  # log(-log) bounds lower and upper (equal to survival where it is 1 or 0).
  KmCurve = Struct.new(:time, :n_risk, :n_event, :n_censor, :survival, :std_err, :lower, :upper) do
    # The number of distinct times.
    def size
      time.size
    end

    # The curve at its i-th distinct time, as a Hash of the eight fields.
    def row(i)
      members.to_h { |m| [m, self[m].fetch(i)] }
    end
  end

  # A Kaplan-Meier retention curve S(t): the share of customers still
  # customers t periods after they started, estimated from every customer,
  # those still active (censored) included.
  #
  #   km = Libcs::KaplanMeier.fit(durations: [1, 2, 3, 3, 5], events: [1, 1, 0, 1, 0])
  #   km.survival_at(2) # => 0.6
  #   km.median         # => 3.0
  #
  # durations are the times from each customer's start to its churn (event
  # 1 or true) or to the end of what is known (event 0 or false: still
  # active), >= 0 in any unit; weights (>= 0, default 1 each) count a record
  # as that many customers (every weight 0 is an EmptyInputError); level is
  # the confidence level of the bounds.
  # When every duration is an Integer that fits in int32_t the curve is
  # fitted by libcs_km_fit_int, which counts whole numbers in linear time,
  # else by libcs_km_fit; integer: true or false chooses.  Both give the same
  # curve, bit for bit.  A fitted curve is read-only; blocks and freeing work
  # as for HealthModel (fit and new are the same).
  class KaplanMeier
    include OwnedHandle

    Pointer = releasing_with(:libcs_km_free)

    # The confidence level of the bounds.
    attr_reader :level

    def self.fit(**kw, &block)
      new(**kw, &block)
    end

    def initialize(durations:, events:, weights: nil, level: 0.95, integer: :auto)
      d = Internal.list(durations, 'durations')
      n = d.size
      e = Internal.list(events, 'events')
      w = weights.nil? ? nil : Internal.list(weights, 'weights')
      as_int = integer_fit?(d, integer)
      fn = as_int ? :libcs_km_fit_int : :libcs_km_fit
      { 'events' => e, 'weights' => w }.each do |name, a|
        next if a.nil? || a.size == n

        raise ArgumentError, "#{fn}: durations has #{n} elements but #{name} has #{a.size}"
      end
      values = if as_int
                 int32s?(d) ? d : d.each_with_index.map { |x, i| Internal.int32(x, "durations[#{i}]") }
               else
                 reals(d, 'durations')
               end
      dp = as_int ? Internal.pack_int32s(values) : Internal.pack_doubles(values)
      flags = e.all? { |x| x.equal?(0) || x.equal?(1) } ? e : e.each_with_index.map { |x, i| event_flag(x, i, fn) }
      ep = Internal.buffer(:uint8, n).tap { |p| p.put_array_of_uint8(0, flags) }
      wv = w && reals(w, 'weights')
      wp = wv && Internal.pack_doubles(wv)
      lv = Internal.double(level, 'level')
      out = FFI::MemoryPointer.new(:pointer)
      bad = Internal.bad_index
      rc = Native.public_send(fn, n, dp, ep, wp, lv, out, bad)
      raise fit_error(fn, rc, Internal.read_index(bad), values, flags, wv, level) unless rc.zero?

      adopt(out.read_pointer)
      @level = lv
      @integer = as_int
    end

    # Whether the curve was fitted from whole-number durations
    # (libcs_km_fit_int).
    def integer?
      @integer
    end

    # The number of distinct times.
    def size
      fn = :libcs_km_size
      m = Internal.out_size
      Internal.check(Native.libcs_km_size(handle(fn), m), fn)
      m.read(:size_t)
    end
    alias length size

    # The KmCurve: every field at every distinct time.
    def curve
      fn = :libcs_km_curve
      h = handle(fn)
      needed = Internal.out_size
      Internal.check(Native.libcs_km_curve(h, 0, *Array.new(8), needed), fn) # size query
      m = needed.read(:size_t)
      arrays = Array.new(8) { Internal.buffer(:double, m) }
      Internal.check(Native.libcs_km_curve(h, m, *arrays, nil), fn)
      KmCurve.new(*arrays.map { |a| a.get_array_of_double(0, m).freeze }).freeze
    end

    # S(t): survival at the last distinct time <= t, 1 before the first.
    def survival_at(t)
      fn = :libcs_km_survival_at
      x = Internal.double(t, 't')
      out = Internal.out_double
      Internal.check(Native.libcs_km_survival_at(handle(fn), x, out), fn, argument: 't', value: t)
      out.read_double
    end

    # The time by which a fraction p (0 < p < 1) has churned: the first
    # time with S <= 1 - p, R's rule (with the midpoint of a flat stretch at
    # exactly 1 - p).  UndefinedResultError when the curve never gets down
    # to 1 - p.
    def quantile(p)
      fn = :libcs_km_quantile
      x = Internal.double(p, 'p')
      out = Internal.out_double
      rc = Native.libcs_km_quantile(handle(fn), x, out)
      raise quantile_error(fn, rc, p, x) unless rc.zero?

      out.read_double
    end

    # The median lifetime: quantile(0.5).
    def median
      fn = :libcs_km_median
      out = Internal.out_double
      rc = Native.libcs_km_median(handle(fn), out)
      raise quantile_error(fn, rc, 0.5, 0.5) unless rc.zero?

      out.read_double
    end

    # The restricted mean survival time: the area under S from 0 to tau
    # (>= 0), the mean number of periods a customer stays within its first
    # tau.
    def rmst(tau:)
      fn = :libcs_km_rmst
      x = Internal.double(tau, 'tau')
      out = Internal.out_double
      rc = Native.libcs_km_rmst(handle(fn), x, out)
      return out.read_double if rc.zero?
      raise Internal.error(rc, fn, detail: 'the area is too large for a double') if rc == Status::EOVERFLOW

      raise Internal.error(rc, fn, argument: 'tau', value: tau)
    end

    # LTV over a customer's first tau periods: margin_per_period (>= 0) x
    # rmst(tau:), undiscounted.
    def ltv(margin_per_period:, tau:)
      fn = :libcs_km_ltv
      m = Internal.double(margin_per_period, 'margin_per_period')
      x = Internal.double(tau, 'tau')
      out = Internal.out_double
      rc = Native.libcs_km_ltv(handle(fn), m, x, out)
      return out.read_double if rc.zero?
      raise Internal.error(rc, fn, detail: 'the LTV is too large for a double') if rc == Status::EOVERFLOW

      bad_margin = rc == Status::ENONFINITE ? !m.finite? : m.negative?
      arg, v = bad_margin ? ['margin_per_period', margin_per_period] : ['tau', tau]
      raise Internal.error(rc, fn, argument: arg, value: v)
    end

    def inspect
      return "#<#{self.class} (freed)>" if freed?

      "#<#{self.class} #{size} distinct times, level #{level}>"
    end

    synchronized :size, :length, :curve, :survival_at, :quantile, :median, :rmst, :ltv

    private

    # A fitted curve cannot be copied (the library keeps no fit inputs);
    # being read-only, it can be shared instead.
    def initialize_copy(_source)
      raise TypeError, "can't copy #{self.class}: share it (a fitted curve is read-only) or fit again"
    end

    def integer_fit?(durations, integer)
      case integer
      when :auto then int32s?(durations)
      when true, false then integer
      else raise ArgumentError, "integer must be :auto, true or false, got #{integer.inspect}"
      end
    end

    def int32s?(values)
      values.all? { |x| x.is_a?(Integer) && x >= Internal::INT32_MIN && x <= Internal::INT32_MAX }
    end

    # Values as doubles: Floats (and Integers that a double holds exactly)
    # as they are, anything else converted and checked one by one.
    def reals(values, name)
      return values if values.all? { |x| x.is_a?(Float) || (x.is_a?(Integer) && x.abs <= 2**53) }

      Internal.doubles(values, name)
    end

    # An event as the library's byte: 1 (or true) churned, 0 (or false)
    # still active; an Integer too large for a byte is off the 0/1 scale, as
    # the library reports 2.
    def event_flag(x, index, function)
      case x
      when true then 1
      when false then 0
      else
        v = Internal.integer(x, "events[#{index}]")
        return v if v.between?(0, 255)

        raise Internal.error(Status::EDOMAIN, function, argument: "events[#{index}]", value: v, index: index,
                                                        detail: 'an event is 0 or 1')
      end
    end

    # The culprit of a fit error: a record (duration, event or weight at
    # the index the library gave, in its order of checks), the level, or the
    # input as a whole.
    def fit_error(function, rc, index, durations, flags, weights, level)
      if index
        t = durations[index].to_f
        arg, v, detail = if rc == Status::ENONFINITE
                           t.finite? ? ["weights[#{index}]", weights[index]] : ["durations[#{index}]", durations[index]]
                         elsif t.negative?
                           ["durations[#{index}]", durations[index], 'durations are >= 0']
                         elsif flags[index] > 1
                           ["events[#{index}]", flags[index], 'an event is 0 or 1']
                         else
                           ["weights[#{index}]", weights[index], 'weights are >= 0']
                         end
        return Internal.error(rc, function, argument: arg, value: v, index: index, detail: detail)
      end
      case rc
      when Status::EEMPTY
        if durations.empty?
          Internal.error(rc, function, argument: 'durations', detail: 'no customers')
        else
          Internal.error(rc, function, argument: 'weights', detail: 'every weight is 0')
        end
      when Status::ENONFINITE, Status::EDOMAIN
        Internal.error(rc, function, argument: 'level', value: level, detail: 'a fraction strictly between 0 and 1')
      else Internal.error(rc, function)
      end
    end

    def quantile_error(function, rc, p, x)
      if rc == Status::EUNDEFINED
        return Internal.error(rc, function, detail: "the curve never gets down to 1 - p = #{format('%.15g', 1 - x)}")
      end

      Internal.error(rc, function, argument: 'p', value: p, detail: 'a fraction strictly between 0 and 1')
    end
  end
end
