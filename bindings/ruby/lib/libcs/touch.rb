# frozen_string_literal: true

# bindings/ruby/lib/libcs/touch.rb - the touch model: high-, low- and
# tech-touch tiers by value thresholds, by shares, or by CSM capacity
# (libcs_touch(3)).  Tiers are the Libcs::Tier constants (TECH 0, LOW 1,
# HIGH 2).
module Libcs
  # Per tier, indexed by the Libcs::Tier constants (struct
  # libcs_touch_summary): customers, the sum of their values, and their
  # shares of all customers and of all value (0 when the total value is 0).
  TouchSummary = Struct.new(:customers, :value, :customer_share, :value_share) do
    def self.from_native(s) # :nodoc:
      new(*members.map { |m| s[m].to_a.freeze }).freeze
    end

    # One tier's figures as a Hash: summary.tier(:high)[:customers].
    def tier(t)
      i = Tier.value_of(t, 'tier')
      raise ArgumentError, "tier: no tier #{t.inspect}" unless i.between?(0, 2)

      members.to_h { |m| [m, self[m][i]] }
    end
  end

  # The result of a segmentation: tiers (one Integer per customer) and the
  # TouchSummary.
  TouchResult = Struct.new(:tiers, :summary)

  module_function

  # value >= high_min -> HIGH; >= low_min -> LOW; else TECH.
  def touch_thresholds(value:, high_min:, low_min:)
    hi = Internal.double(high_min, 'high_min')
    lo = Internal.double(low_min, 'low_min')
    touch_call(:libcs_touch_thresholds, value, nil) do |n, v, _p, tiers, summary, bad|
      rc = Native.libcs_touch_thresholds(n, v, hi, lo, tiers, summary, bad)
      [rc, { 'high_min' => high_min, 'low_min' => low_min }]
    end
  end

  # The top round(high_share * n) customers by priority (by value when
  # priority is nil) HIGH, the next round((high_share + low_share) * n) -
  # that LOW; ties go to the lower index.
  def touch_shares(value:, high_share:, low_share:, priority: nil)
    hs = Internal.double(high_share, 'high_share')
    ls = Internal.double(low_share, 'low_share')
    touch_call(:libcs_touch_shares, value, priority) do |n, v, p, tiers, summary, bad|
      rc = Native.libcs_touch_shares(n, v, p, hs, ls, tiers, summary, bad)
      [rc, { 'high_share' => high_share, 'low_share' => low_share }]
    end
  end

  # The top csms * accounts_per_csm customers by priority (by value when
  # priority is nil) HIGH, the next low_capacity LOW.
  def touch_capacity(value:, csms:, accounts_per_csm:, low_capacity:, priority: nil)
    c = Internal.unsigned(csms, 'csms', Internal::UINT64_MAX)
    a = Internal.unsigned(accounts_per_csm, 'accounts_per_csm', Internal::UINT64_MAX)
    l = Internal.unsigned(low_capacity, 'low_capacity', Internal::UINT64_MAX)
    touch_call(:libcs_touch_capacity, value, priority) do |n, v, p, tiers, summary, bad|
      [Native.libcs_touch_capacity(n, v, p, c, a, l, tiers, summary, bad), {}]
    end
  end

  # The TouchSummary of tiers assigned by any rule (Integers or :tech, :low,
  # :high), one per value.
  def touch_summarize(value:, tiers:)
    v = Internal.doubles(value, 'value')
    t = Internal.list(tiers, 'tiers').each_with_index.map do |x, i|
      Internal.scale_int(Tier.value_of(x, "tiers[#{i}]"), "tiers[#{i}]", :libcs_touch_summarize, index: i)
    end
    if t.size != v.size
      raise ArgumentError, "libcs_touch_summarize: value has #{v.size} elements but tiers has #{t.size}"
    end

    summary = Native::TouchSummaryStruct.new
    bad = Internal.bad_index
    vp = Internal.pack_doubles(v)
    tp = Internal.pack_ints(t)
    rc = Native.libcs_touch_summarize(v.size, vp, tp, summary, bad)
    raise touch_error(:libcs_touch_summarize, rc, v, nil, Internal.read_index(bad), {}, t) unless rc.zero?

    TouchSummary.from_native(summary)
  end

  # Packs value (and priority), calls the block with the C arguments and
  # returns the TouchResult, or raises the error with the culprit.
  def touch_call(function, value, priority)
    v = Internal.doubles(value, 'value')
    p = priority.nil? ? nil : Internal.doubles(priority, 'priority')
    if p && p.size != v.size
      raise ArgumentError, "#{function}: value has #{v.size} elements but priority has #{p.size}"
    end

    vp = Internal.pack_doubles(v)
    pp = p && Internal.pack_doubles(p)
    tiers = Internal.buffer(:int, v.size)
    summary = Native::TouchSummaryStruct.new
    bad = Internal.bad_index
    rc, options = yield v.size, vp, pp, tiers, summary, bad
    raise touch_error(function, rc, v, p, Internal.read_index(bad), options) unless rc.zero?

    TouchResult.new(tiers.get_array_of_int(0, v.size).freeze, TouchSummary.from_native(summary)).freeze
  end
  private_class_method :touch_call

  # The culprit of a touch error: a customer (value, priority or tiers at
  # the index the library gave), an option, or the input as a whole.
  def touch_error(function, rc, v, p, i, options, tiers = nil)
    if i
      arg, val = if !v[i].finite? || (rc == Status::EDOMAIN && v[i].negative?)
                   ["value[#{i}]", v[i]]
                 elsif p
                   ["priority[#{i}]", p[i]]
                 else
                   ["tiers[#{i}]", tiers[i]]
                 end
      return Internal.error(rc, function, argument: arg, value: val, index: i)
    end
    case rc
    when Status::EEMPTY then Internal.error(rc, function, argument: 'value', detail: 'no customers')
    when Status::EOVERFLOW
      Internal.error(rc, function, argument: 'value', detail: 'the total value is too large for a double')
    else
      culprit = options.find do |_, x|
        f = x.is_a?(Numeric) ? x.to_f : 0.0
        rc == Status::ENONFINITE ? !f.finite? : function == :libcs_touch_shares && !f.between?(0, 1)
      end
      return Internal.error(rc, function, argument: culprit[0], value: culprit[1]) if culprit

      shown = options.map { |k, x| "#{k} = #{x.inspect}" }.join(', ')
      Internal.error(rc, function, detail: shown.empty? ? nil : shown)
    end
  end
  private_class_method :touch_error
end
