# frozen_string_literal: true

# bindings/ruby/lib/libcs/lifecycle.rb - lifecycle stages from tenure, days
# to renewal, health band and NPS category (libcs_lifecycle_policy_new(3)):
# Libcs::LifecyclePolicy wraps the opaque handle.
module Libcs
  # The windows (in days) and the order in which the stage rules are tried.
  # Stages are the Libcs::Stage constants.
  #
  #   Libcs::LifecyclePolicy.new do |p|
  #     p.stage(days_since_start: 700, days_to_renewal: 200, band: :green,
  #             nps_category: :promoter) # => Libcs::Stage::ADVOCATE
  #   end
  #
  # Without arguments a policy has the library's defaults (onboarding 90,
  # renewal 90, advocate 365 days; order onboarding, at risk, renewal,
  # advocate, expansion).  Blocks and freeing work as for HealthModel.
  class LifecyclePolicy
    include OwnedHandle

    Pointer = releasing_with(:libcs_lifecycle_policy_free)

    # Windows as in set_windows (all three or none), order as in set_order.
    def initialize(order: nil, **windows)
      out = FFI::MemoryPointer.new(:pointer)
      Internal.check(Native.libcs_lifecycle_policy_new(out), :libcs_lifecycle_policy_new)
      adopt(out.read_pointer)
      @settings = [] # what was set, replayed by dup (the C policy has no getters)
      set_windows(**windows) unless windows.empty?
      set_order(order) unless order.nil?
    end

    # Onboarding while days_since_start < onboarding_days; renewal when
    # days_to_renewal <= renewal_days; advocate from advocate_days of tenure.
    def set_windows(onboarding_days:, renewal_days:, advocate_days:)
      fn = :libcs_lifecycle_policy_set_windows
      given = { 'onboarding_days' => onboarding_days, 'renewal_days' => renewal_days,
                'advocate_days' => advocate_days }
      days = given.to_h { |k, v| [k, Internal.double(v, k)] }
      rc = Native.libcs_lifecycle_policy_set_windows(handle(fn), *days.values)
      unless rc.zero?
        arg, v = days.find { |_, x| rc == Status::ENONFINITE ? !x.finite? : x.negative? }
        raise Internal.error(rc, fn, argument: arg, value: v)
      end
      @settings << [:set_windows, { onboarding_days: onboarding_days, renewal_days: renewal_days,
                                    advocate_days: advocate_days }]
      self
    end

    # The five rule stages (:onboarding, :renewal, :at_risk, :expansion,
    # :advocate, or Libcs::Stage constants), each once; the first that
    # applies wins, adoption is the fallback.
    def set_order(order)
      fn = :libcs_lifecycle_policy_set_order
      stages = Internal.list(order, 'order').each_with_index.map do |s, i|
        Internal.scale_int(Stage.value_of(s, "order[#{i}]"), "order[#{i}]", fn)
      end
      buf = Internal.pack_ints(stages)
      rc = Native.libcs_lifecycle_policy_set_order(handle(fn), stages.size, buf)
      unless rc.zero?
        raise Internal.error(rc, fn, argument: 'order', value: order,
                                     detail: 'the five stages onboarding..advocate, each once')
      end
      @settings << [:set_order, stages]
      self
    end

    # The stage of one customer.  band is a Libcs::Band constant or symbol
    # (nil: unknown); nps_category a Libcs::NpsCategory constant or symbol
    # (nil: no answer).
    def stage(days_since_start:, days_to_renewal:, band:, nps_category:)
      fn = :libcs_lifecycle_stage
      values = customer(fn, days_since_start, days_to_renewal, band, nps_category)
      out = Internal.out_int
      rc = Native.libcs_lifecycle_stage(handle(fn), *values, out)
      raise customer_error(fn, rc, values, nil) unless rc.zero?

      out.read_int
    end

    # The stages of many customers, in one call.  Each keyword is an Array
    # of one length n, or a single value standing for all n.
    def stage_batch(days_since_start:, days_to_renewal:, bands:, nps_categories:)
      fn = :libcs_lifecycle_stage_batch
      args = [days_since_start, days_to_renewal, bands, nps_categories]
      names = %w[days_since_start days_to_renewal bands nps_categories]
      arrays = args.each_index.select { |i| args[i].respond_to?(:to_ary) }
      raise ArgumentError, "#{fn}: at least one of #{names.join(', ')} must be an Array" if arrays.empty?

      n = args[arrays.first].to_ary.size
      arrays.each do |i|
        next if args[i].to_ary.size == n

        raise ArgumentError, "#{fn}: #{names[arrays.first]} has #{n} elements but #{names[i]} has " \
                             "#{args[i].to_ary.size}"
      end
      rows = Array.new(n) do |j|
        element = args.map { |a| a.respond_to?(:to_ary) ? a.to_ary[j] : a }
        customer(fn, *element, j, names)
      end
      columns = rows.transpose
      columns = Array.new(4) { [] } if n.zero?
      since = Internal.pack_doubles(columns[0])
      renewal = Internal.pack_doubles(columns[1])
      band_buf = Internal.pack_ints(columns[2])
      nps_buf = Internal.pack_ints(columns[3])
      stages = Internal.buffer(:int, n)
      bad = Internal.bad_index
      rc = Native.libcs_lifecycle_stage_batch(handle(fn), n, since, renewal, band_buf, nps_buf, stages, bad)
      unless rc.zero?
        i = Internal.read_index(bad)
        raise customer_error(fn, rc, rows[i], i, names) if i

        raise Internal.error(rc, fn, argument: names[0], detail: 'no customers')
      end
      stages.get_array_of_int(0, n)
    end

    def inspect
      freed? ? "#<#{self.class} (freed)>" : "#<#{self.class} #{@settings.to_h.inspect}>"
    end

    synchronized :set_windows, :set_order, :stage, :stage_batch

    private

    # dup and clone make an independent C policy with the same settings.
    def initialize_copy(source)
      super
      @handle = nil
      source.send(:handle, :libcs_lifecycle_policy_new) # not freed
      out = FFI::MemoryPointer.new(:pointer)
      Internal.check(Native.libcs_lifecycle_policy_new(out), :libcs_lifecycle_policy_new)
      adopt(out.read_pointer)
      @settings = []
      source.instance_variable_get(:@settings).each do |method, args|
        method == :set_order ? set_order(args) : set_windows(**args)
      end
    end

    ARGUMENTS = %w[days_since_start days_to_renewal band nps_category].freeze
    private_constant :ARGUMENTS

    # One customer's C arguments (customer `index` of a batch).
    def customer(function, since, renewal, band, nps, index = nil, names = ARGUMENTS)
      arg = names.map { |a| index ? "#{a}[#{index}]" : a }
      b = band.nil? ? Band::UNKNOWN : Band.value_of(band, arg[2])
      c = nps.nil? ? NpsCategory::NO_ANSWER : NpsCategory.value_of(nps, arg[3])
      [Internal.double(since, arg[0]), Internal.double(renewal, arg[1]),
       Internal.scale_int(b, arg[2], function, index: index),
       Internal.scale_int(c, arg[3], function, index: index)]
    end

    # The culprit, in the library's order: non-finite days, negative days,
    # a band outside 0..3, an NPS category outside -1..2.
    def customer_error(function, rc, values, index, names = ARGUMENTS)
      checks = [->(v) { rc == Status::ENONFINITE ? !v.finite? : v.negative? },
                ->(v) { rc == Status::ENONFINITE ? !v.finite? : v.negative? },
                ->(v) { rc == Status::EDOMAIN && !v.between?(Band::UNKNOWN, Band::GREEN) },
                ->(v) { rc == Status::EDOMAIN && !v.between?(NpsCategory::DETRACTOR, NpsCategory::NO_ANSWER) }]
      j = (0...4).find { |k| checks[k].call(values[k]) }
      return Internal.error(rc, function, index: index) unless j

      arg = index ? "#{names[j]}[#{index}]" : names[j]
      Internal.error(rc, function, argument: arg, value: values[j], index: index)
    end
  end
end
