# frozen_string_literal: true

# bindings/ruby/lib/libcs/health.rb - health-score models
# (libcs_health_model_new(3)): Libcs::HealthModel wraps the opaque handle;
# scores, explanations and band changes come back as Structs.
#
# Values per customer are an Array with one entry per measure (in the order
# the measures were added) or a Hash from measure name to value; nil (or
# NaN, or a name left out of the Hash) is a missing value, true and false
# are 1 and 0 for yes/no measures.  An unknown score (too little of the
# weight measured) is Float::NAN with band Libcs::Band::UNKNOWN.
module Libcs
  # One customer's score: score (0..100, NaN when unknown), band (a
  # Libcs::Band constant) and coverage (the measured share of the weight).
  HealthScore = Struct.new(:score, :band, :coverage) do
    def unknown?
      band == Band::UNKNOWN
    end

    # :unknown, :red, :yellow or :green
    def band_symbol
      Band.symbol(band)
    end
  end

  # Many customers' scores, one Array per field (see HealthScore).
  HealthScores = Struct.new(:scores, :bands, :coverage) do
    def size
      scores.size
    end

    # The HealthScore of customer i.
    def [](i)
      return super unless i.is_a?(Integer)

      HealthScore.new(scores.fetch(i), bands.fetch(i), coverage.fetch(i))
    end
  end

  # What drives a score: per measure (in model order, named by names) its
  # points (NaN when missing and dropped) and its contribution to the score
  # (the contributions sum to the score).
  HealthExplanation = Struct.new(:score, :band, :names, :points, :contributions) do
    # {name => contribution}
    def contributions_by_name
      names.zip(contributions).to_h
    end
  end

  # Changes since the last period: deltas (NaN when either score is
  # unknown), events (Libcs::Event bit flags per customer) and changed (the
  # number of customers with events).
  HealthChanges = Struct.new(:deltas, :events, :changed) do
    # The event symbols of customer i: [:entered_red, :left_yellow].
    def events_of(i)
      Event.symbols(events.fetch(i))
    end
  end

  # A health model: weighted measures, each with a rule mapping a raw value
  # to 0..100 points, a missing-value policy, an aggregation and colour
  # bands.
  #
  #   Libcs::HealthModel.new do |m|
  #     m.add_linear(name: 'Logins per week', weight: 30, bad: 0, good: 10)
  #     m.add_yesno(name: 'Executive sponsor', weight: 10, yes_points: 100, no_points: 0)
  #     m.score([5, true]).score # => 62.5
  #   end
  #
  # With a block, new (and parse) free the C model when the block ends and
  # return the block's value; without one, the garbage collector frees it,
  # or #free does at once.  A model is read-only while scoring; the setters
  # and add_* methods return self.
  class HealthModel
    include OwnedHandle

    Pointer = releasing_with(:libcs_health_model_free)

    def initialize
      out = FFI::MemoryPointer.new(:pointer)
      Internal.check(Native.libcs_health_model_new(out), :libcs_health_model_new)
      adopt(out.read_pointer)
    end

    # A model from its text form (libcs_health_model_format(3)).  An error
    # in the text is a FormatError (or DomainError, NonFiniteError for a bad
    # value) with #line and #column.  Takes a block as new does.
    def self.parse(text, &block)
      model = allocate
      model.send(:adopt, parse_raw(text))
      block ? model.send(:use_and_free, &block) : model
    end

    def self._load(text)
      parse(text)
    end

    def self.parse_raw(text)
      raise TypeError, "text must be a String, got #{Internal.describe(text)}" unless text.is_a?(String)

      bytes = Internal.utf8(text).b
      buf = Internal.buffer(:uint8, bytes.bytesize)
      buf.put_bytes(0, bytes)
      out = FFI::MemoryPointer.new(:pointer)
      line = Internal.out_size
      column = Internal.out_size
      rc = Native.libcs_health_model_parse(buf, bytes.bytesize, out, line, column)
      raise parse_error(rc, bytes, line.read(:size_t), column.read(:size_t)) unless rc.zero?

      out.read_pointer
    end
    private_class_method :parse_raw

    # The error at (line, column), with the line and a caret under the column
    # (columns count bytes; the caret counts characters).
    def self.parse_error(rc, bytes, line, column)
      msg = "libcs_health_model_parse: #{Libcs.strerror(rc)} at line #{line}, column #{column}"
      src = bytes.split("\n", -1)[line - 1]
      if src
        src = src.chomp("\r")
        shown = src.dup.force_encoding(Encoding::UTF_8).scrub
        before = src.byteslice(0, column - 1).to_s.force_encoding(Encoding::UTF_8).scrub
        msg = "#{msg}:\n  #{shown}\n  #{' ' * before.length}^"
      end
      Error.class_for(rc).new(msg, code: rc, function: :libcs_health_model_parse, argument: 'text',
                                   line: line, column: column)
    end
    private_class_method :parse_error

    # ---- building ----------------------------------------------------------

    # points = 100 (v - bad) / (good - bad), clamped to 0..100 (good may be
    # below bad: fewer is better).
    def add_linear(name:, weight:, bad:, good:)
      add(:libcs_health_model_add_linear, name, weight, { 'bad' => bad, 'good' => good }) do |h, n, w, (b, g)|
        Native.libcs_health_model_add_linear(h, n, w, b, g)
      end
    end

    # Stepped points: v < breaks[0] -> points[0]; breaks[i-1] <= v <
    # breaks[i] -> points[i]; v >= breaks[-1] -> points[-1].  breaks has one
    # element fewer than points and increases strictly.
    def add_tiers(name:, weight:, breaks:, points:)
      b = Internal.doubles(breaks, 'breaks')
      p = Internal.doubles(points, 'points')
      unless b.size == [p.size - 1, 0].max
        raise ArgumentError, "libcs_health_model_add_tiers: #{p.size} points need #{[p.size - 1, 0].max} " \
                             "breaks, got #{b.size}"
      end

      bp = Internal.pack_doubles(b)
      pp = Internal.pack_doubles(p)
      extra = b.each_with_index.to_h { |x, i| ["breaks[#{i}]", x] }
                .merge(p.each_with_index.to_h { |x, i| ["points[#{i}]", x] })
      add(:libcs_health_model_add_tiers, name, weight, extra, tiers: [b, p]) do |h, n, w, _|
        Native.libcs_health_model_add_tiers(h, n, w, p.size, bp, pp)
      end
    end

    # A value of 1 (or true) scores yes_points, 0 (or false) no_points.
    def add_yesno(name:, weight:, yes_points:, no_points:)
      add(:libcs_health_model_add_yesno, name, weight,
          { 'yes_points' => yes_points, 'no_points' => no_points }) do |h, n, w, (y, no)|
        Native.libcs_health_model_add_yesno(h, n, w, y, no)
      end
    end

    # policy :drop (renormalise over the measured weight) or :worst (score a
    # missing value as the rule's worst points); below min_coverage of the
    # weight measured a score is unknown.
    def set_missing(policy:, min_coverage: 0.0)
      fn = :libcs_health_model_set_missing
      pol = Internal.scale_int(Missing.value_of(policy, 'policy'), 'policy', fn)
      cov = Internal.double(min_coverage, 'min_coverage')
      rc = Native.libcs_health_model_set_missing(handle(fn), pol, cov)
      if rc == Status::EINVAL
        raise Internal.error(rc, fn, argument: 'policy', value: policy)
      elsif !rc.zero?
        raise Internal.error(rc, fn, argument: 'min_coverage', value: min_coverage)
      end

      self
    end

    # :weighted_mean (weight share x points) or :worst_of (the lowest points).
    def set_aggregation(aggregation)
      fn = :libcs_health_model_set_aggregation
      agg = Internal.scale_int(Aggregation.value_of(aggregation, 'aggregation'), 'aggregation', fn)
      rc = Native.libcs_health_model_set_aggregation(handle(fn), agg)
      Internal.check(rc, fn, argument: 'aggregation', value: aggregation)
      self
    end

    # red: [0, red_max]; yellow: (red_max, yellow_max]; green: above.
    def set_bands(red_max:, yellow_max:)
      fn = :libcs_health_model_set_bands
      r = Internal.double(red_max, 'red_max')
      y = Internal.double(yellow_max, 'yellow_max')
      rc = Native.libcs_health_model_set_bands(handle(fn), r, y)
      return self if rc.zero?

      bad = { 'red_max' => r, 'yellow_max' => y }.find do |_, v|
        rc == Status::ENONFINITE ? !v.finite? : !v.between?(0, 100)
      end
      raise Internal.error(rc, fn, argument: bad[0], value: bad[1]) if bad

      raise Internal.error(rc, fn, detail: "red_max = #{r} must be below yellow_max = #{y}")
    end

    # ---- reading -------------------------------------------------------------

    # The number of measures.
    def measures
      fn = :libcs_health_model_measures
      k = Internal.out_size
      Internal.check(Native.libcs_health_model_measures(handle(fn), k), fn)
      k.read(:size_t)
    end
    alias size measures
    alias length measures

    # The name of measure i (0-based).
    def measure_name(i)
      fn = :libcs_health_model_measure_name
      idx = measure_index(i, fn)
      needed = Internal.out_size
      rc = Native.libcs_health_model_measure_name(handle(fn), idx, nil, 0, needed)
      raise Internal.error(rc, fn, argument: 'i', value: i) unless rc == Status::EBUFSIZE

      cap = needed.read(:size_t)
      buf = Internal.buffer(:char, cap)
      Internal.check(Native.libcs_health_model_measure_name(handle(fn), idx, buf, cap, needed), fn)
      buf.read_string(cap - 1).force_encoding(Encoding::UTF_8)
    end

    def measure_names
      Array.new(measures) { |i| measure_name(i) }
    end

    # The weight share of measure i (the weights normalised to sum to 1).
    def weight(i)
      fn = :libcs_health_model_weight
      out = Internal.out_double
      rc = Native.libcs_health_model_weight(handle(fn), measure_index(i, fn), out)
      Internal.check(rc, fn, argument: 'i', value: i)
      out.read_double
    end

    def weights
      Array.new(measures) { |i| weight(i) }
    end

    # The band (a Libcs::Band constant) of a score 0..100; nil or NaN is
    # Band::UNKNOWN.
    def band(score)
      fn = :libcs_health_band
      s = Internal.value_or_missing(score, 'score')
      out = Internal.out_int
      rc = Native.libcs_health_band(handle(fn), s, out)
      Internal.check(rc, fn, argument: 'score', value: score)
      out.read_int
    end

    # ---- scoring -------------------------------------------------------------

    # The HealthScore of one customer's values.
    def score(values)
      fn = :libcs_health_score
      h = handle(fn)
      k = measures
      row = row_values(values, k, 'values')
      buf = Internal.pack_doubles(row)
      s = Internal.out_double
      b = Internal.out_int
      c = Internal.out_double
      rc = Native.libcs_health_score(h, buf, s, b, c)
      raise row_error(fn, rc, row, buf) unless rc.zero?

      HealthScore.new(s.read_double, b.read_int, c.read_double).freeze
    end

    # The HealthScores of many customers (an Array of rows, each as score
    # takes it), in one call.  A bad value is an error with #index = the
    # row and #argument = "rows[row][column]".
    def score_batch(rows)
      fn = :libcs_health_score_batch
      h = handle(fn)
      k = measures
      list = Internal.list(rows, 'rows')
      flat = []
      list.each_with_index { |r, i| flat.concat(row_values(r, k, "rows[#{i}]")) }
      n = list.size
      values = Internal.pack_doubles(flat)
      scores = Internal.buffer(:double, n)
      bands = Internal.buffer(:int, n)
      coverage = Internal.buffer(:double, n)
      bad = Internal.bad_index
      rc = Native.libcs_health_score_batch(h, n, values, scores, bands, coverage, bad)
      unless rc.zero?
        at = Internal.read_index(bad)
        raise empty_error(fn, rc, 'rows') unless at

        row, col = at.divmod(k)
        raise Internal.error(rc, fn, argument: "rows[#{row}][#{col}]", value: flat[at], index: row,
                                     detail: "measure #{measure_name(col).inspect}")
      end
      HealthScores.new(scores.get_array_of_double(0, n), bands.get_array_of_int(0, n),
                       coverage.get_array_of_double(0, n)).freeze
    end

    # The HealthExplanation of one customer's values.
    def explain(values)
      fn = :libcs_health_explain
      h = handle(fn)
      k = measures
      row = row_values(values, k, 'values')
      buf = Internal.pack_doubles(row)
      points = Internal.buffer(:double, k)
      contributions = Internal.buffer(:double, k)
      s = Internal.out_double
      b = Internal.out_int
      rc = Native.libcs_health_explain(h, buf, points, contributions, s, b)
      raise row_error(fn, rc, row, buf) unless rc.zero?

      HealthExplanation.new(s.read_double, b.read_int, measure_names,
                            points.get_array_of_double(0, k),
                            contributions.get_array_of_double(0, k)).freeze
    end

    # HealthChanges from last period's scores to this period's (Arrays of
    # one length; nil or NaN is an unknown score).
    def changes(previous:, current:)
      fn = :libcs_health_changes
      h = handle(fn)
      prev = Internal.list(previous, 'previous').each_with_index.map do |x, i|
        Internal.value_or_missing(x, "previous[#{i}]")
      end
      cur = Internal.list(current, 'current').each_with_index.map do |x, i|
        Internal.value_or_missing(x, "current[#{i}]")
      end
      if prev.size != cur.size
        raise ArgumentError, "#{fn}: previous has #{prev.size} elements but current has #{cur.size}"
      end

      n = prev.size
      pp = Internal.pack_doubles(prev)
      cp = Internal.pack_doubles(cur)
      deltas = Internal.buffer(:double, n)
      events = Internal.buffer(:int, n)
      changed = Internal.out_size
      bad = Internal.bad_index
      rc = Native.libcs_health_changes(h, n, pp, cp, deltas, events, changed, bad)
      unless rc.zero?
        i = Internal.read_index(bad)
        raise empty_error(fn, rc, 'previous') unless i

        valid = ->(v) { v.nan? || v.between?(0, 100) }
        arg, v = valid.call(prev[i]) ? ['current', cur[i]] : ['previous', prev[i]]
        raise Internal.error(rc, fn, argument: "#{arg}[#{i}]", value: v, index: i,
                                     detail: 'scores are 0..100, or nil/NaN for unknown')
      end
      HealthChanges.new(deltas.get_array_of_double(0, n), events.get_array_of_int(0, n),
                        changed.read(:size_t)).freeze
    end

    # ---- text form, copies, comparison -----------------------------------

    # The model's text form, which parse reads back to an equal model.
    def to_text
      fn = :libcs_health_model_format
      needed = Internal.out_size
      rc = Native.libcs_health_model_format(handle(fn), nil, 0, needed)
      raise Internal.error(rc, fn) unless rc == Status::EBUFSIZE

      cap = needed.read(:size_t)
      buf = Internal.buffer(:char, cap)
      Internal.check(Native.libcs_health_model_format(handle(fn), buf, cap, needed), fn)
      buf.read_string(cap - 1).force_encoding(Encoding::UTF_8)
    end
    alias to_s to_text
    alias format to_text

    def _dump(_level)
      to_text
    end

    def ==(other)
      other.is_a?(HealthModel) && !freed? && !other.freed? && to_text == other.to_text
    end

    def inspect
      return "#<#{self.class} (freed)>" if freed?

      "#<#{self.class} #{measure_names.map(&:inspect).join(', ')}>"
    end

    synchronized :add_linear, :add_tiers, :add_yesno, :set_missing, :set_aggregation, :set_bands,
                 :measures, :size, :length, :measure_name, :weight, :band, :score, :score_batch,
                 :explain, :changes, :to_text, :to_s, :format

    private

    # dup and clone make an independent C model (through the text form), so
    # that freeing one never frees the other.
    def initialize_copy(source)
      super
      @handle = nil
      adopt(self.class.send(:parse_raw, source.to_text))
    end

    # Run the add_* call in the block with the handle, the name and the
    # converted weight and rule values, and explain an error.
    def add(function, name, weight, rule, tiers: nil)
      n = Internal.c_string(name, 'name')
      w = Internal.double(weight, 'weight')
      values = tiers ? rule.values : rule.map { |k, v| Internal.double(v, k) }
      rc = yield handle(function), n, w, values
      raise add_error(function, rc, n, w, tiers ? rule : rule.keys.zip(values).to_h) unless rc.zero?

      self
    end

    # The culprit of an add_* error, in the library's order of checks: the
    # name, the weight, then the rule's values.
    def add_error(function, rc, name, weight, rule)
      problem = name_problem(name) if rc == Status::EDOMAIN
      return Internal.error(rc, function, argument: 'name', value: name, detail: problem) if problem

      weight_bad = rc == Status::ENONFINITE ? !weight.finite? : !(weight.positive? && weight.finite?)
      if weight_bad && [Status::ENONFINITE, Status::EDOMAIN].include?(rc)
        return Internal.error(rc, function, argument: 'weight', value: weight)
      end

      case rc
      when Status::ENONFINITE
        arg, v = rule.find { |_, x| !x.finite? }
        return Internal.error(rc, function, argument: arg, value: v) if arg
      when Status::EDOMAIN
        return tiers_error(function, rc, rule) if function == :libcs_health_model_add_tiers

        arg, v = rule.find { |k, x| k.end_with?('_points') && !x.between?(0, 100) }
        return Internal.error(rc, function, argument: arg, value: v, detail: 'points are 0..100') if arg

        shown = rule.map { |k, x| "#{k} = #{x}" }.join(', ')
        return Internal.error(rc, function, detail: "#{shown}: the two must differ")
      when Status::EEMPTY
        return Internal.error(rc, function, argument: 'points', detail: 'no tiers')
      when Status::EOVERFLOW
        return Internal.error(rc, function, argument: 'weight', value: weight,
                                            detail: 'the total weight is too large')
      end
      Internal.error(rc, function)
    end

    def tiers_error(function, rc, rule)
      points = rule.select { |k, _| k.start_with?('points') }
      breaks = rule.select { |k, _| k.start_with?('breaks') }
      if points.size > 64
        return Internal.error(rc, function, argument: 'points', detail: "#{points.size} tiers, at most 64")
      end

      arg, v = points.find { |_, x| !x.between?(0, 100) }
      return Internal.error(rc, function, argument: arg, value: v, detail: 'points are 0..100') if arg

      b = breaks.values
      i = (1...b.size).find { |j| !(b[j] > b[j - 1]) }
      return Internal.error(rc, function, argument: "breaks[#{i}]", value: b[i], detail: 'breaks must increase') if i

      Internal.error(rc, function)
    end

    def name_problem(name)
      if name.empty? then 'empty'
      elsif name.bytesize > 255 then "#{name.bytesize} bytes, at most 255"
      elsif name.b.match?(/[\x00-\x1f\x7f]/n) then 'control character'
      elsif measure_names.map(&:b).include?(name.b) then 'already a measure of this model'
      end
    end

    def measure_index(i, function)
      v = Internal.integer(i, 'i')
      return v unless v.negative? || v > Internal::SIZE_MAX

      raise Internal.error(Status::EDOMAIN, function, argument: 'i', value: i,
                                                      detail: "the model has #{measures} measures")
    end

    # One customer's values as k Floats, from an Array of k or a Hash.
    def row_values(values, k, name)
      if values.is_a?(Hash)
        names = measure_names
        unknown = values.keys.map(&:to_s) - names
        raise ArgumentError, "#{name}: no measure named #{unknown.first.inspect} (measures: #{names.inspect})" unless unknown.empty?

        by_name = values.transform_keys(&:to_s)
        return names.map { |m| Internal.value_or_missing(by_name[m], "#{name}[#{m.inspect}]") }
      end
      row = Internal.list(values, name)
      raise ArgumentError, "#{name} has #{row.size} values but the model has #{k} measures" unless row.size == k

      row.each_with_index.map { |x, j| Internal.value_or_missing(x, "#{name}[#{j}]") }
    end

    # An error for one row from score or explain, which report no column:
    # the batch form on the same row finds it (its bad_index is the column).
    def row_error(function, rc, row, buf)
      return empty_error(function, rc, 'values') unless [Status::ENONFINITE, Status::EDOMAIN].include?(rc)

      bad = Internal.bad_index
      scores = Internal.out_double
      bands = Internal.out_int
      Native.libcs_health_score_batch(handle(function), 1, buf, scores, bands, nil, bad)
      col = Internal.read_index(bad)
      return Internal.error(rc, function) unless col

      detail = "measure #{measure_name(col).inspect}"
      detail += ', a yes/no measure takes 0 or 1' if rc == Status::EDOMAIN
      Internal.error(rc, function, argument: "values[#{col}]", value: row[col], index: col, detail: detail)
    end

    def empty_error(function, rc, argument)
      if rc == Status::EEMPTY
        return Internal.error(rc, function, detail: 'the model has no measures') if measures.zero?

        return Internal.error(rc, function, argument: argument, detail: 'no customers')
      end
      Internal.error(rc, function)
    end
  end
end
