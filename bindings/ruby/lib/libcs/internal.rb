# frozen_string_literal: true

# bindings/ruby/lib/libcs/internal.rb - what every area file shares: checking
# and converting Ruby arguments to C types, packing arrays into native
# memory (once per batch call), and turning status codes into exceptions
# that name the argument and the index at fault.  Not a public API.
module Libcs
  # @api private
  module Internal
    module_function

    INT_MIN = -2**31
    INT_MAX = 2**31 - 1
    INT32_MIN = -2**31
    INT32_MAX = 2**31 - 1
    INT64_MIN = -2**63
    INT64_MAX = 2**63 - 1
    UINT32_MAX = 2**32 - 1
    UINT64_MAX = 2**64 - 1
    SIZE_MAX = 2**(8 * FFI.type_size(:size_t)) - 1
    NONE = Object.new.freeze # "no value given", where nil has a meaning

    # ---- scalars -----------------------------------------------------------

    def describe(x)
      text = x.inspect
      text = "#{text[0, 40]}..." if text.length > 43
      "#{x.class} #{text}"
    end

    # A Numeric as a Float.  Strings, nil, true and false are TypeErrors:
    # the binding converts numbers, it does not parse them.
    def double(x, name)
      return x if x.is_a?(Float)
      raise TypeError, "#{name} must be Numeric, got #{describe(x)}" unless x.is_a?(Numeric)
      if x.is_a?(Integer) && x.bit_length > 1024
        return x.negative? ? -Float::INFINITY : Float::INFINITY # what the library calls non-finite
      end

      Float(x)
    rescue RangeError, FloatDomainError
      raise TypeError, "#{name} must be a real number, got #{describe(x)}"
    end

    # A health value: nil is missing (NaN), true and false are 1 and 0.
    def value_or_missing(x, name)
      case x
      when nil then Float::NAN
      when true then 1.0
      when false then 0.0
      else
        return x if x.is_a?(Float)
        raise TypeError, "#{name} must be Numeric, nil, true or false, got #{describe(x)}" unless x.is_a?(Numeric)

        double(x, name)
      end
    end

    # An Integer for a C integer type.  Floats are refused even when whole:
    # money in minor units and counts are integers, and ruby-ffi would
    # otherwise truncate 1.7 to 1 without a word.
    def integer(x, name)
      return x if x.is_a?(Integer)

      raise TypeError, "#{name} must be an Integer, got #{describe(x)}"
    end

    # An Integer for int64_t (money, counts): out of range is an
    # OutOfRangeError (an ArgumentError).
    def int64(x, name)
      integer(x, name).tap do |v|
        raise OutOfRangeError, "#{name} = #{v} does not fit in int64_t" unless v.between?(INT64_MIN, INT64_MAX)
      end
    end

    # An Integer for int32_t: out of range is an OutOfRangeError.
    def int32(x, name)
      integer(x, name).tap do |v|
        raise OutOfRangeError, "#{name} = #{v} does not fit in int32_t" unless v.between?(INT32_MIN, INT32_MAX)
      end
    end

    # An Integer for an unsigned C type holding 0..max (counts, capacities):
    # negative or too large is an OutOfRangeError.
    def unsigned(x, name, max)
      integer(x, name).tap do |v|
        raise OutOfRangeError, "#{name} = #{v} is outside 0..#{max}" unless v.between?(0, max)
      end
    end

    # An Integer for a C int that is a value on a scale (a score, a scale
    # size, an enum code): out of int range it is off any scale the library
    # accepts, so it is reported as the library reports off-scale values.
    def scale_int(x, name, function, index: nil)
      v = integer(x, name)
      return v if v.between?(INT_MIN, INT_MAX)

      raise error(Status::EDOMAIN, function, argument: name, value: v, index: index)
    end

    # A name for the C side: a String or Symbol without NUL bytes, in UTF-8.
    def c_string(x, name)
      s = case x
          when String then x
          when Symbol then x.to_s
          else raise TypeError, "#{name} must be a String, got #{describe(x)}"
          end
      raise ArgumentError, "#{name} must not contain NUL bytes: #{s.inspect}" if s.include?("\0")

      utf8(s)
    end

    # Text as the library keeps it: UTF-8 bytes (binary Strings as they are),
    # so that what comes back reads as UTF-8.
    def utf8(s)
      return s if [Encoding::UTF_8, Encoding::US_ASCII, Encoding::BINARY].include?(s.encoding)

      s.encode(Encoding::UTF_8)
    end

    # An Array argument (anything with to_ary), or a TypeError.
    def list(x, name)
      return x.to_ary if x.respond_to?(:to_ary)

      raise TypeError, "#{name} must be an Array, got #{describe(x)}"
    end

    # ---- native memory ---------------------------------------------------

    # Allocated once per call, never empty (a batch of 0 still passes a
    # non-NULL pointer, so the library reports the empty input, not a NULL).
    def buffer(type, n)
      FFI::MemoryPointer.new(type, n.zero? ? 1 : n, false)
    end

    def pack_doubles(values)
      buffer(:double, values.size).tap { |p| p.put_array_of_double(0, values) }
    end

    def pack_int64s(values)
      buffer(:int64, values.size).tap { |p| p.put_array_of_int64(0, values) }
    end

    def pack_ints(values)
      buffer(:int, values.size).tap { |p| p.put_array_of_int(0, values) }
    end

    def pack_int32s(values)
      buffer(:int32, values.size).tap { |p| p.put_array_of_int32(0, values) }
    end

    def pack_uint32s(values)
      buffer(:uint32, values.size).tap { |p| p.put_array_of_uint32(0, values) }
    end

    # Scores and answers (uint8_t): a value that does not fit a byte is off
    # every scale, reported as the library reports 11 on the 0..10 NPS scale.
    def pack_bytes(x, name, function)
      values = list(x, name)
      values.each_with_index do |v, i|
        next if v.is_a?(Integer) && v.between?(0, 255)

        integer(v, "#{name}[#{i}]")
        raise error(Status::EDOMAIN, function, argument: "#{name}[#{i}]", value: v, index: i)
      end
      buffer(:uint8, values.size).tap { |p| p.put_array_of_uint8(0, values) }
    end

    def doubles(x, name)
      list(x, name).each_with_index.map { |v, i| double(v, "#{name}[#{i}]") }
    end

    def out_double
      FFI::MemoryPointer.new(:double)
    end

    def out_int
      FFI::MemoryPointer.new(:int)
    end

    def out_size
      FFI::MemoryPointer.new(:size_t)
    end

    # The bytes of the library's serialized form of obj through fn (a
    # libcs_*_serialize taking obj, buf, cap, needed): the size first, then
    # the bytes, as a binary String.
    def serialize(fn, obj)
      needed = out_size
      rc = Native.public_send(fn, obj, nil, 0, needed)
      raise error(rc, fn) unless rc == Status::EBUFSIZE

      size = needed.read(:size_t)
      buf = buffer(:uint8, size)
      check(Native.public_send(fn, obj, buf, size, needed), fn)
      buf.get_bytes(0, size)
    end

    # A size_t for bad_index, preset to SIZE_MAX: the library writes it only
    # for errors of one element (not, say, for n = 0), so an unchanged value
    # means "no index".
    def bad_index
      FFI::MemoryPointer.new(:size_t).tap { |p| p.write(:size_t, SIZE_MAX) }
    end

    def read_index(ptr)
      i = ptr.read(:size_t)
      i == SIZE_MAX ? nil : i
    end

    # ---- errors ----------------------------------------------------------

    # Raise the exception for status rc (nothing for LIBCS_OK).
    def check(rc, function, **details)
      return if rc.zero?

      raise error(rc, function, **details)
    end

    # The exception for status rc.  argument/value name the culprit when
    # known; index is the element of a batch; detail is free text (e.g. the
    # values of the bad element when no single argument is to blame).
    def error(rc, function, argument: nil, value: NONE, index: nil, detail: nil, **extra)
      about = []
      if argument && !value.equal?(NONE)
        about << "#{argument} = #{value.inspect}"
      elsif argument
        about << argument
      end
      about << detail if detail
      msg = "#{function}: #{Libcs.strerror(rc)}"
      msg += " at index #{index}" if index
      msg += " (#{about.join('; ')})" unless about.empty?
      Error.class_for(rc).new(msg, code: rc, function: function, argument: argument,
                                   index: index, **extra)
    end

    # ---- the scalar + batch metric families (LTV, churn, revenue) --------

    # One parameter of a metric: name, C type (:double, :int64, :uint32 or
    # :denominator), its domain, and whether zero makes the result undefined
    # (a divisor).  Domains only *explain* an error the library reported;
    # the library alone decides what is an error.
    Param = Struct.new(:name, :type, :domain, :divisor)

    DOMAINS = {
      any: ->(_) { true },
      nonneg: ->(v) { v >= 0 },
      fraction: ->(v) { v >= 0 && v <= 1 },
      positive: ->(v) { v > 0 },
      above_minus_one: ->(v) { v > -1 }
    }.freeze

    # A scalar C function and its batch twin (name + "_batch"), its
    # parameters in C order, and hints for errors no single argument causes.
    Metric = Struct.new(:function, :params, :hints) do
      def batch_function
        :"#{function}_batch"
      end
    end

    def metric(function, *params, hints: {})
      Metric.new(function, params.map { |p| Param.new(*p) }.freeze, hints.freeze).freeze
    end

    def convert(param, x, name, function)
      case param.type
      when :double then double(x, name)
      when :int64 then int64(x, name)
      when :uint32 then unsigned(x, name, UINT32_MAX)
      when :denominator then scale_int(Denominator.value_of(x, name), name, function)
      end
    end

    # The parameter to blame for status rc given the converted values, in
    # the order the library checks them.
    def culprit(metric, rc, values)
      metric.params.each_with_index.find do |p, i|
        v = values[i]
        case rc
        when Status::ENONFINITE then p.type == :double && !v.finite?
        when Status::EDOMAIN then p.type != :denominator && !DOMAINS.fetch(p.domain).call(v)
        when Status::EUNDEFINED then p.divisor && v.zero?
        when Status::EINVAL then p.type == :denominator
        end
      end&.first
    end

    # The error for one customer's values; in a batch (index given), an
    # argument given as an Array is named with the index: "margin[2]".
    def metric_error(metric, function, rc, values, index: nil, arrays: [])
      param = culprit(metric, rc, values)
      if param
        i = metric.params.index(param)
        name = arrays.include?(i) ? "#{param.name}[#{index}]" : param.name.to_s
        return error(rc, function, argument: name, value: values[i], index: index)
      end
      shown = metric.params.zip(values).map { |p, v| "#{p.name} = #{v.inspect}" }.join(', ')
      hint = metric.hints[rc]
      error(rc, function, index: index, detail: hint ? "#{hint}; #{shown}" : shown)
    end

    # f(x1, ..., xk, &out) for one customer.
    def scalar(metric, args)
      values = metric.params.each_with_index.map { |p, i| convert(p, args[i], p.name.to_s, metric.function) }
      out = out_double
      rc = Native.public_send(metric.function, *values, out)
      raise metric_error(metric, metric.function, rc, values) unless rc.zero?

      out.read_double
    end

    # f_batch(n, x1[], ..., xk[], out[], &bad_index) for n customers.  Every
    # argument may be an Array (all of one length n) or a scalar, which
    # stands for n copies of itself; at least one must be an Array.  A
    # :denominator is an option of the whole batch, never an Array.
    def batch(metric, args)
      function = metric.batch_function
      elementwise = metric.params.each_index.reject { |i| metric.params[i].type == :denominator }
      arrays = elementwise.select { |i| args[i].respond_to?(:to_ary) }
      scalars = metric.params.each_index.to_h do |i|
        p = metric.params[i]
        [i, arrays.include?(i) ? nil : convert(p, args[i], p.name.to_s, function)]
      end
      if arrays.empty?
        names = elementwise.map { |i| metric.params[i].name }.join(', ')
        raise ArgumentError, "#{function}: at least one of #{names} must be an Array"
      end
      n = args[arrays.first].to_ary.size
      arrays.each do |i|
        m = args[i].to_ary.size
        next if m == n

        raise ArgumentError, "#{function}: #{metric.params[arrays.first].name} has #{n} " \
                             "elements but #{metric.params[i].name} has #{m}"
      end
      columns = metric.params.each_with_index.map do |p, i|
        if p.type == :denominator
          scalars[i]
        elsif arrays.include?(i)
          args[i].to_ary.each_with_index.map { |x, j| convert(p, x, "#{p.name}[#{j}]", function) }
        else
          Array.new(n, scalars[i])
        end
      end
      pointers = metric.params.zip(columns).map do |p, col|
        case p.type
        when :double then pack_doubles(col)
        when :int64 then pack_int64s(col)
        when :uint32 then pack_uint32s(col)
        else col
        end
      end
      out = buffer(:double, n)
      bad = bad_index
      rc = Native.public_send(function, n, *pointers, out, bad)
      raise batch_error(metric, function, rc, columns, read_index(bad), arrays) unless rc.zero?

      out.get_array_of_double(0, n)
    end

    # The exception for a failed batch: the bad element's values when the
    # library gave its index, else the batch option (an unknown
    # denominator), else the bare status.
    def batch_error(metric, function, rc, columns, index, arrays)
      if index
        values = metric.params.zip(columns).map { |p, c| p.type == :denominator ? c : c[index] }
        return metric_error(metric, function, rc, values, index: index, arrays: arrays)
      end
      option = metric.params.index { |p| p.type == :denominator }
      if option && rc == Status::EINVAL
        return error(rc, function, argument: metric.params[option].name.to_s, value: columns[option])
      end

      error(rc, function)
    end

    # Marshal support through the library's own versioned byte form, for the
    # accumulators (NpsTally, ChurnTally, MrrLedger): the class defines
    # from_bytes, an instance to_bytes.
    module ByteForm
      def self.included(base)
        base.extend(ClassMethods)
      end

      module ClassMethods
        def _load(bytes)
          from_bytes(bytes)
        end
      end

      def _dump(_level)
        to_bytes
      end
    end

    # ByteForm for the tallies, plain structs the object owns: from_bytes
    # fills a new, empty tally (its private load_bytes).
    module TallyBytes
      include ByteForm

      def self.included(base)
        base.extend(ByteForm::ClassMethods)
        base.extend(ClassMethods)
      end

      module ClassMethods
        # The tally serialized by #to_bytes (a String of SERIALIZED_SIZE
        # bytes); FormatError for anything else.
        def from_bytes(bytes)
          raise TypeError, "bytes must be a String, got #{Internal.describe(bytes)}" unless bytes.is_a?(String)

          tally = new
          tally.send(:load_bytes, bytes)
          tally
        end
      end
    end
  end
  private_constant :Internal
end
