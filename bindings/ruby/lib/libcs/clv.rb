# frozen_string_literal: true

# bindings/ruby/lib/libcs/clv.rb - the probabilistic CLV models
# (libcs_clv_summarize(3), libcs_bgnbd_fit(3), libcs_gg_fit(3),
# libcs_pnbd_fit(3), libcs_bgbb_fit(3), libcs_sbg_fit_survivors(3)):
# transaction logs to repeat-purchase summaries, the BG/NBD and Pareto/NBD
# models of how many purchases a customer makes, the BG/BB model of
# transactions at discrete opportunities, the Gamma-Gamma model of what
# they are worth, and the shifted-beta-geometric model of contract
# renewals, fitted by maximum likelihood, with their predictions and
# discounted CLV or lifetimes.
#
# The length of observation is the keyword T: (as in the papers and the C
# API), or big_t: for those who prefer lower-case keywords:
#
#   s = Libcs.clv_summarize(customer: ids, time: days, amount: dollars, period: 1, time_scale: 7,
#                           calibration_end: 272)
#   bg = Libcs::BgNbd.fit(x: s.x, t_x: s.t_x, T: s.T)
#   bg.conditional(x: 2, t_x: 30.43, T: 38.86, t: 39) # => 1.226...
module Libcs
  # Each customer's repeat-purchase summary (Libcs.clv_summarize), one
  # frozen Array per field, customer j at index j of each, in the order in
  # which the customers first appear in the log:
  #
  # id::            the customer id (Integer)
  # x::             repeat transactions in the calibration (periods after the first)
  # t_x::           the time of the last one from the first transaction
  # T::             the time from the first transaction to the calibration end
  # mean_value::    the mean amount of the repeat transactions (0 when x = 0)
  # holdout_x::     transactions (periods) in the holdout
  # holdout_value:: their total amount
  #
  # x, t_x and T are what BgNbd.fit takes, and the repeat buyers' x and
  # mean_value what GammaGamma.fit takes (see #repeat_buyers).
  ClvSummary = Struct.new(:id, :x, :t_x, :T, :mean_value, :holdout_x, :holdout_value) do
    # The number of customers.
    def size
      id.size
    end
    alias_method :length, :size

    # Customer i's summary as a Hash of the seven fields.
    def row(i)
      members.to_h { |m| [m, self[m].fetch(i)] }
    end

    # The customers with repeat transactions (x >= 1), as a ClvSummary.
    def repeat_buyers
      keep = x.each_index.select { |i| x[i] >= 1 }
      self.class.new(*members.map { |m| keep.map { |i| self[m][i] }.freeze }).freeze
    end
  end

  # Rows (x, t_x, T) with their weights (nil: 1 each), as Libcs.clv_compress
  # and BgNbd#simulate return them; BgNbd.fit(**rows.to_h) fits them.
  ClvRows = Struct.new(:x, :t_x, :T, :weights) do
    # The number of rows.
    def size
      x.size
    end
    alias_method :length, :size
  end

  # @api private
  # Argument handling and error explanations shared by the CLV functions.
  # As elsewhere in the binding, the library alone decides what is an error;
  # these checks only find, after the fact, the argument (and the row) that
  # the library refused, for functions that do not report it themselves.
  module ClvSupport
    module_function

    # One value the library checks: the argument's name in errors, its
    # value (a Float), the domain it must be in, and what to say.
    Check = Struct.new(:argument, :value, :domain, :detail)

    POSITIVE = ->(v) { v > 0 }
    NONNEG = ->(v) { v >= 0 }
    ANY = ->(_) { true }

    # The length of observation, given as T: (in the keyword rest) or
    # big_t:, exactly one of them; any other keyword left in rest is an
    # ArgumentError, as Ruby reports it.
    def big_t(big_t, rest, function)
      rest = rest.dup
      t = rest.key?(:T) ? rest.delete(:T) : Internal::NONE
      unless rest.empty?
        s = rest.size > 1 ? 's' : ''
        raise ArgumentError, "unknown keyword#{s}: #{rest.keys.map(&:inspect).join(', ')}"
      end
      if !big_t.equal?(Internal::NONE) && !t.equal?(Internal::NONE)
        raise ArgumentError, "#{function}: T: and big_t: are the same argument; give one"
      end

      v = big_t.equal?(Internal::NONE) ? t : big_t
      raise ArgumentError, 'missing keyword: :T' if v.equal?(Internal::NONE)

      v
    end

    # Values as doubles: Floats (and Integers that a double holds exactly)
    # as they are, anything else converted and checked one by one.
    def reals(values, name)
      return values if values.all? { |x| x.is_a?(Float) || (x.is_a?(Integer) && x.abs <= 2**53) }

      Internal.doubles(values, name)
    end

    # Elementwise arguments ({name => value}, in C order) as n doubles each
    # (the names in counts: uint32 Integers): Arrays of one length n, and
    # single values standing for n copies of themselves; at least one must
    # be an Array.  Returns [n, {name => [Float or Integer]}, the names given
    # as Arrays].
    def columns(function, args, counts = [])
      arrays = args.select { |_, v| v.respond_to?(:to_ary) }
      if arrays.empty?
        raise ArgumentError, "#{function}: at least one of #{args.keys.join(', ')} must be an Array"
      end

      first = arrays.keys.first
      n = arrays[first].to_ary.size
      arrays.each do |name, v|
        m = v.to_ary.size
        raise ArgumentError, "#{function}: #{first} has #{n} elements but #{name} has #{m}" unless m == n
      end
      cols = args.to_h do |name, v|
        next [name, count_column(v, name, n)] if counts.include?(name)

        [name, arrays.key?(name) ? reals(v.to_ary, name) : Array.new(n, Internal.double(v, name))]
      end
      [n, cols, arrays.keys]
    end

    # A uint32 argument (counts k) as n Integers.
    def count_column(v, name, n)
      return Array.new(n, Internal.unsigned(v, name, Internal::UINT32_MAX)) unless v.respond_to?(:to_ary)

      v.to_ary.each_with_index.map { |e, i| Internal.unsigned(e, "#{name}[#{i}]", Internal::UINT32_MAX) }
    end

    # How to name the element i of an argument: "x[3]" for an Array, "x"
    # for a single value that stood for every element.
    def labeller(arrays, index)
      ->(name) { arrays.include?(name) ? "#{name}[#{index}]" : name }
    end

    # The culprit of status rc among checks made in that order: the first
    # non-finite value for LIBCS_ENONFINITE, the first finite value outside
    # its domain for LIBCS_EDOMAIN; nil for other codes.
    def culprit(rc, checks)
      case rc
      when Status::ENONFINITE then checks.find { |c| !c.value.finite? }
      when Status::EDOMAIN then checks.find { |c| c.value.finite? && !c.domain.call(c.value) }
      end
    end

    # For functions that check rows without saying which one failed: the
    # first row i whose checks (the block's, for row i) hold a culprit of rc,
    # as [i, check], or nil.
    def scan(rc, n)
      return nil unless [Status::ENONFINITE, Status::EDOMAIN].include?(rc)

      n.times do |i|
        c = culprit(rc, yield(i))
        return [i, c] if c
      end
      nil
    end

    # The exception for status rc: the culprit among checks when there is
    # one, else what details[rc] says (a String, or a Hash of Internal.error
    # keywords).
    def error(rc, function, checks, index: nil, details: {}, **extra)
      c = culprit(rc, checks)
      if c
        return Internal.error(rc, function, argument: c.argument, value: c.value, index: index,
                                            detail: c.detail, **extra)
      end

      about = details[rc]
      about = { detail: about } unless about.is_a?(Hash)
      Internal.error(rc, function, index: index, **about, **extra)
    end

    # Checks of one BG/NBD row (x, t_x, T), in the order they are reported.
    def bgnbd_row(x, t_x, big_t, label)
      tx_detail = if t_x.finite? && big_t.finite? && t_x > big_t then 't_x <= T'
                  elsif x.zero? && t_x != 0 then 't_x = 0 when x = 0'
                  else 't_x >= 0'
                  end
      [Check.new(label['x'], x, ->(v) { v >= 0 && v == v.floor && v <= 1e15 },
                 'x is a whole number from 0 to 10^15'),
       Check.new(label['T'], big_t, NONNEG, 'T >= 0'),
       Check.new(label['t_x'], t_x, ->(v) { v >= 0 && v <= big_t && (x != 0 || v.zero?) }, tx_detail)]
    end

    def weight(w, label)
      Check.new(label['weights'], w, NONNEG, 'weights are >= 0')
    end

    # Packed doubles, or NULL for nil.
    def pack(values)
      values && Internal.pack_doubles(values)
    end

    # A finite value that is a whole number from lo to hi.
    def whole?(v, low, high)
      v >= low && v <= high && v == v.floor
    end

    BGBB_MAX = 1e7 # opportunities, transactions (libcs_bgbb_fit(3))
    HORIZON_MAX = 1e15 # horizons, durations, renewals

    # Checks of one BG/BB row (x, t_x, periods), in the order the library
    # makes them.
    def bgbb_row(x, t_x, periods, label)
      tx_detail = if !(t_x.finite? && whole?(t_x, 0, BGBB_MAX)) then 't_x is a whole number from 0 to 10^7'
                  elsif x > t_x then 'x <= t_x: x transactions take x opportunities'
                  elsif t_x > periods then 't_x <= periods'
                  else 't_x = 0 exactly when x = 0'
                  end
      [Check.new(label['periods'], periods, ->(v) { whole?(v, 0, BGBB_MAX) },
                 'periods is a whole number from 0 to 10^7'),
       Check.new(label['x'], x, ->(v) { whole?(v, 0, BGBB_MAX) }, 'x is a whole number from 0 to 10^7'),
       Check.new(label['t_x'], t_x,
                 ->(v) { whole?(v, 0, BGBB_MAX) && x <= v && v <= periods && x.zero? == v.zero? }, tx_detail)]
    end

    # An active flag as the library takes it (uint8_t): true and false are
    # 1 and 0, Integers pass for the library to judge (a value that does
    # not fit a byte is refused as the library refuses 2).
    def flag(v, name, function, index = nil)
      case v
      when true then 1
      when false then 0
      when Integer
        return v if v.between?(0, 255)

        raise Internal.error(Status::EDOMAIN, function, argument: name, value: v, index: index,
                                                        detail: 'active is 0 (churned) or 1 (still active)')
      else raise TypeError, "#{name} must be true, false, 0 or 1, got #{Internal.describe(v)}"
      end
    end

    # Flags (0 or 1 each) packed as uint8_t.
    def pack_flags(values)
      Internal.buffer(:uint8, values.size).tap { |p| p.put_array_of_uint8(0, values.map(&:to_i)) }
    end
  end
  private_constant :ClvSupport

  # What BgNbd and GammaGamma share: a model at its parameters, made from
  # them (new) or fitted (fit), immutable.  A fitted model also carries what
  # the fit reports; for a model made from parameters those are nil.
  class ClvModel
    # The parameters (a Params Struct of Floats).
    attr_reader :params
    # The standard errors of the parameters (a Params Struct), from the
    # inverse Hessian of -LL; NaN where that cannot be computed (#se_status
    # says why).
    attr_reader :se
    # The maximised log-likelihood.
    attr_reader :loglik
    # The optimiser's iterations, over all its starting points.
    attr_reader :iterations
    # true when the fit found a maximum-likelihood estimate (gradient test
    # met, likelihood not flat there).
    attr_reader :converged
    # LIBCS_OK (0), or the status code that says why #se is NaN.
    attr_reader :se_status

    private_class_method :new # an abstract class: BgNbd.new, GammaGamma.new

    # A model from a C struct libcs_clv_fit.
    def self.from_native(fit)
      k = self::Params.members.size
      allocate.tap do |m|
        m.send(:set_params, fit[:params].to_a.first(k))
        m.send(:set_fit, fit[:se].to_a.first(k), fit[:loglik], fit[:iterations], fit[:converged] != 0,
               fit[:se_status])
      end
    end

    # start: as the C fit takes it, from nil, a model of this class (say,
    # NotConvergedError#result), its Params, a Hash by parameter name or an
    # Array in the parameters' order.
    def self.start_values(start)
      members = self::Params.members
      values = case start
               when nil then return nil
               when self then start.params.to_a
               when self::Params then start.to_a
               when Hash
                 unless start.keys.sort == members.sort
                   raise ArgumentError, "start: the keys are #{members.map(&:inspect).join(', ')}, " \
                                        "got #{start.keys.map(&:inspect).join(', ')}"
                 end
                 members.map { |m| start[m] }
               else
                 a = Internal.list(start, 'start')
                 unless a.size == members.size
                   raise ArgumentError, "start: #{members.size} values (#{members.join(', ')}), got #{a.size}"
                 end
                 a
               end
      values.each_with_index.map { |v, i| Internal.double(v, "start[:#{members[i]}]") }
    end
    private_class_method :start_values

    # The fitted model for status rc of a C fit into out: LIBCS_ENOCONV
    # raises NotConvergedError with the best point found as #result; any
    # other error raises what the block returns.
    def self.finish_fit(function, rc, out)
      return from_native(out) if rc.zero?

      if rc == Status::ENOCONV
        model = from_native(out)
        raise Internal.error(rc, function, result: model,
                                           detail: "no maximum-likelihood estimate (gradient test not met, or " \
                                                   "a flat likelihood); #result holds the point where the fit " \
                                                   "stopped (#{model.send(:params_text)})")
      end
      raise yield
    end
    private_class_method :finish_fit

    # The error of a fit (start: the start given, nil) or of a
    # log-likelihood (params: the model's) over the columns cols: the
    # library reports no row, so the first row that fails its checks (the
    # subclass's row_checks_at, then its weight) is found here.
    def self.data_error(function, rc, n, cols, arrays, params: nil, start: nil)
      given = if start then start.zip(self::Params.members).map { |v, k| ["start[:#{k}]", v] }
              elsif params then params.each_pair.map { |k, v| [k.to_s, v] }
              else []
              end
      what = "the #{self::NAME} parameters are > 0"
      c = ClvSupport.culprit(rc, given.map { |k, v| ClvSupport::Check.new(k, v, ClvSupport::POSITIVE, what) })
      return Internal.error(rc, function, argument: c.argument, value: c.value, detail: c.detail) if c

      w = cols['weights']
      i, c = ClvSupport.scan(rc, n) do |j|
        label = ClvSupport.labeller(arrays, j)
        row = row_checks_at(cols, j, label)
        w ? row << ClvSupport.weight(w[j], label) : row
      end
      return Internal.error(rc, function, argument: c.argument, value: c.value, index: i, detail: c.detail) if c

      case rc
      when Status::EEMPTY
        return Internal.error(rc, function, argument: first_column, detail: 'no customers') if n.zero?

        Internal.error(rc, function, argument: 'weights', detail: 'every weight is 0')
      when Status::EOVERFLOW
        Internal.error(rc, function, detail: 'the weights or the log-likelihood are beyond a double')
      else Internal.error(rc, function)
      end
    end
    private_class_method :data_error

    # The first data column, which an error names when there are no rows.
    def self.first_column
      'x'
    end
    private_class_method :first_column

    # Whether the model comes from a fit (else from its parameters).
    def fitted?
      !@loglik.nil?
    end

    # converged as a predicate (nil for a model that was not fitted).
    def converged?
      @converged
    end

    def ==(other)
      other.class == self.class && other.state == state
    end
    alias eql? ==

    def hash
      [self.class, state].hash
    end

    def inspect
      fit = if fitted?
              ", loglik #{format('%.10g', loglik)}, #{converged ? 'converged' : 'not converged'}"
            else
              ''
            end
      "#<#{self.class} #{params_text}#{fit}>"
    end
    alias to_s inspect

    protected

    def state
      [params.to_a, se&.to_a, loglik, iterations, converged, se_status].to_s
    end

    private

    def set_params(values)
      @params = self.class::Params.new(*values).freeze
    end

    def set_fit(se, loglik, iterations, converged, se_status)
      @se = self.class::Params.new(*se).freeze
      @loglik = loglik
      @iterations = iterations
      @converged = converged
      @se_status = se_status
      freeze
    end

    def params_text
      params.each_pair.map { |k, v| "#{k}=#{format('%.6g', v)}" }.join(' ')
    end

    # The parameters checked by the library when the model is made, as the
    # Python binding does, so that NaN, zero or negative parameters fail in
    # new (NonFiniteError, DomainError naming the parameter) and not at the
    # first prediction: function is a cheap prediction of the model, called
    # with args; ok lists the codes that do not concern the parameters.
    def check_params(function, *args, ok: [])
      out = Internal.out_double
      rc = Native.public_send(function, params_pointer, *args, out)
      return if rc.zero? || ok.include?(rc)

      raise ClvSupport.error(rc, function, param_checks)
    end

    # The parameters as the C functions take them (a new double[k] a call,
    # alive for the call: nothing is shared between threads).
    def params_pointer
      Internal.pack_doubles(params.to_a)
    end

    # The parameters, as the library checks them first.
    def param_checks
      what = "the #{self.class::NAME} parameters are > 0"
      params.each_pair.map { |k, v| ClvSupport::Check.new(k.to_s, v, ClvSupport::POSITIVE, what) }
    end

    # A prediction for one customer (every row argument a single value: the
    # scalar C function, a Float) or for many (some an Array: its _batch
    # twin, in one call, an Array of Floats; single values stand for every
    # customer).  rows and extras are {name => value} in C order, extras
    # already converted; the block gives the checks of one row's values
    # (row: {name => Float}, or nil when no row is known) in the library's
    # order, extras included.  The rows named in counts are uint32 (k);
    # empty says what n = 0 means.
    def predict(function, rows, extras, details, counts: [], empty: 'no customers', &checks)
      pp = params_pointer
      if rows.values.none? { |v| v.respond_to?(:to_ary) }
        vals = rows.to_h do |k, v|
          [k, counts.include?(k) ? Internal.unsigned(v, k, Internal::UINT32_MAX) : Internal.double(v, k)]
        end
        out = Internal.out_double
        rc = Native.public_send(function, pp, *vals.values, *extras.values, out)
        return out.read_double if rc.zero?

        raise ClvSupport.error(rc, function, param_checks + checks.call(vals, ->(k) { k }), details: details)
      end
      fn = :"#{function}_batch"
      n, cols, arrays = ClvSupport.columns(fn, rows, counts)
      ptrs = cols.map { |k, c| counts.include?(k) ? Internal.pack_uint32s(c) : Internal.pack_doubles(c) }
      out = Internal.buffer(:double, n)
      bad = Internal.bad_index
      rc = Native.public_send(fn, pp, n, *ptrs, *extras.values, out, bad)
      return out.get_array_of_double(0, n) if rc.zero?

      i = Internal.read_index(bad)
      row = i && cols.transform_values { |c| c[i] }
      all = param_checks + checks.call(row, ClvSupport.labeller(arrays, i))
      about = details[rc]
      # no element is at fault when what explains the error is not a column
      i = nil if ClvSupport.culprit(rc, all).nil? && about.is_a?(Hash) &&
                 !rows.key?(about[:argument].to_s.sub(/\[\d+\]\z/, ''))
      raise ClvSupport.error(rc, fn, all, index: i, details: details.merge(Status::EEMPTY => empty))
    end
  end

  # What BgNbd and ParetoNbd share: the models of repeat purchases in
  # continuous time, whose data are rows (x, t_x, T) (the length of
  # observation as the keyword T: or big_t:) and whose C functions,
  # libcs_bgnbd_* and libcs_pnbd_*, take the same arguments.  A model class
  # adds its Params, NAME, C_PREFIX (the prefix of its C functions) and
  # PREDICTION_DETAILS (what the errors of its predictions mean), and the
  # keywords of its parameters (new, simulate).  The comments here are
  # BgNbd's, but for fit; each model documents its own fit, and ParetoNbd
  # the other methods where they differ.
  class NbdModel < ClvModel
    # The calls of a model: call is its C function C_PREFIX_call.
    CALLS = %i[fit loglik expected pmf conditional palive clv simulate].freeze
    private_constant :CALLS

    # The maximum-likelihood model of customers (x, t_x, T) (Arrays, or
    # single values standing for every customer), each row counting
    # weights[i] (>= 0) times when weights are given.  start (the
    # parameters as an Array, a Params, a Hash or a model) is tried first
    # when given.  NotConvergedError (with #result) when it finds no
    # maximum-likelihood estimate.
    def self.fit(x:, t_x:, big_t: Internal::NONE, weights: nil, start: nil, **kw)
      fn = native(:fit)
      st = start_values(start)
      n, cols, arrays = xtt_columns(fn, x, t_x, ClvSupport.big_t(big_t, kw, fn), weights)
      out = Native::ClvFitStruct.new
      rc = Native.public_send(fn, n, *packed_rows(cols), ClvSupport.pack(cols['weights']), ClvSupport.pack(st), out)
      finish_fit(fn, rc, out) { data_error(fn, rc, n, cols, arrays, start: st) }
    end

    # The model's C function for call (a Symbol), from its C_PREFIX.
    def self.native(call)
      @native ||= CALLS.to_h { |c| [c, :"#{const_get(:C_PREFIX)}_#{c}"] }.freeze
      @native.fetch(call)
    end
    private_class_method :native

    # What the errors of a model's predictions mean (PREDICTION_DETAILS),
    # given what LIBCS_ENOCONV means for it.
    def self.prediction_details(no_convergence)
      { Status::ENOCONV => no_convergence, Status::EOVERFLOW => 'the result is too large for a double' }.freeze
    end
    private_class_method :prediction_details

    # The columns of a data set (weights left out when nil).
    def self.xtt_columns(function, x, t_x, big_t, weights)
      args = { 'x' => x, 't_x' => t_x, 'T' => big_t }
      args['weights'] = weights unless weights.nil?
      ClvSupport.columns(function, args)
    end
    private_class_method :xtt_columns

    # The columns x, t_x and T packed for a C call.
    def self.packed_rows(cols)
      cols.values_at('x', 't_x', 'T').map { |c| Internal.pack_doubles(c) }
    end
    private_class_method :packed_rows

    # The checks of row j of a data set's columns, in the library's order.
    def self.row_checks_at(cols, j, label)
      ClvSupport.bgnbd_row(cols['x'][j], cols['t_x'][j], cols['T'][j], label)
    end
    private_class_method :row_checks_at

    # The log-likelihood of customers (x, t_x, T) with weights at these
    # parameters (for a fitted model, on its data, #loglik).
    def log_likelihood(x:, t_x:, big_t: Internal::NONE, weights: nil, **kw)
      fn = native(:loglik)
      n, cols, arrays = self.class.send(:xtt_columns, fn, x, t_x, ClvSupport.big_t(big_t, kw, fn), weights)
      out = Internal.out_double
      rc = Native.public_send(fn, n, *self.class.send(:packed_rows, cols), ClvSupport.pack(cols['weights']),
                              params_pointer, out)
      return out.read_double if rc.zero?

      raise self.class.send(:data_error, fn, rc, n, cols, arrays, params: params)
    end

    # E[X(t)]: the expected number of purchases of a new customer in its
    # first t (after the first purchase): a Float, or for an Array of
    # horizons (a forecast curve) an Array, by one call of the _batch twin.
    def expected(t:)
      predict(native(:expected), { 't' => t }, {}, prediction_details, empty: 'no horizons') do |row, label|
        row ? [horizon_check(row['t'], label['t'])] : []
      end
    end

    # P(X(t) = k): the probability that a new customer makes k (an Integer
    # >= 0) repeat purchases in its first t: a Float, or for Arrays (a
    # single value standing for every element) an Array, by one call of the
    # _batch twin: pmf(t: 39, k: (0..9).to_a) is a distribution.
    def pmf(t:, k:)
      predict(native(:pmf), { 't' => t, 'k' => k }, {}, prediction_details, counts: ['k'],
                                                                             empty: 'no horizons') do |row, label|
        row ? [horizon_check(row['t'], label['t'])] : []
      end
    end

    # E[Y(t) | x, t_x, T]: the expected purchases in the next t of a
    # customer with that history (t one value for all customers).
    def conditional(x:, t_x:, t:, big_t: Internal::NONE, **kw)
      fn = native(:conditional)
      tv = Internal.double(t, 't')
      predict(fn, rows(fn, x, t_x, big_t, kw), { 't' => tv }, prediction_details) do |row, label|
        row_checks(row, label) << horizon_check(tv)
      end
    end

    # P(alive | x, t_x, T): the probability that a customer with that
    # history has not dropped out.
    def palive(x:, t_x:, big_t: Internal::NONE, **kw)
      fn = native(:palive)
      predict(fn, rows(fn, x, t_x, big_t, kw), {}, prediction_details) { |row, label| row_checks(row, label) }
    end

    # The discounted CLV of a customer with history (x, t_x, T): the sum
    # over k = 1..steps of (E[Y(k step)] - E[Y((k - 1) step)]) x value /
    # (1 + discount)^k.  value (>= 0) is worth a transaction (e.g.
    # GammaGamma#expected, or a margin on it), per customer or one for all;
    # step (> 0) is in the model's time unit and discount (> -1) the rate per
    # step: step: 4, steps: 13 is a year of 4-week steps in weeks.
    def clv(x:, t_x:, value:, step:, steps:, discount:, big_t: Internal::NONE, **kw)
      fn = native(:clv)
      customers = rows(fn, x, t_x, big_t, kw).merge('value' => value)
      sv = Internal.double(step, 'step')
      kv = Internal.unsigned(steps, 'steps', Internal::UINT32_MAX)
      dv = Internal.double(discount, 'discount')
      predict(fn, customers, { 'step' => sv, 'steps' => kv, 'discount' => dv }, prediction_details) do |row, label|
        checks = row_checks(row, label)
        checks << ClvSupport::Check.new(label['value'], row['value'], ClvSupport::NONNEG, 'values are >= 0') if row
        checks << ClvSupport::Check.new('step', sv, ClvSupport::POSITIVE, 'step > 0') <<
          ClvSupport::Check.new('discount', dv, ->(v) { v > -1 }, 'discount > -1')
      end
    end

    # Customers simulated from the model, observed for T[i] (>= 0) each
    # from their first purchase, from a generator seeded with seed (an
    # Integer, 0 to 2^64 - 1: the same seed gives the same customers), as
    # ClvRows (x, t_x, T; weights nil).
    def simulate(seed:, big_t: Internal::NONE, **kw)
      fn = native(:simulate)
      tv = ClvSupport.reals(Internal.list(ClvSupport.big_t(big_t, kw, fn), 'T'), 'T')
      sv = Internal.unsigned(seed, 'seed', Internal::UINT64_MAX)
      n = tv.size
      xb = Internal.buffer(:double, n)
      tb = Internal.buffer(:double, n)
      rc = Native.public_send(fn, params_pointer, n, Internal.pack_doubles(tv), sv, xb, tb)
      unless rc.zero?
        c = ClvSupport.culprit(rc, param_checks)
        unless c
          i, c = ClvSupport.scan(rc, n) { |j| [ClvSupport::Check.new("T[#{j}]", tv[j], ClvSupport::NONNEG, 'T >= 0')] }
        end
        raise Internal.error(rc, fn, argument: c.argument, value: c.value, index: i, detail: c.detail) if c
        raise Internal.error(rc, fn, argument: 'T', detail: 'no customers') if rc == Status::EEMPTY

        raise Internal.error(rc, fn)
      end
      ClvRows.new(xb.get_array_of_double(0, n).freeze, tb.get_array_of_double(0, n).freeze,
                  tv.dup.freeze, nil).freeze
    end

    private

    def native(call)
      self.class.send(:native, call)
    end

    def prediction_details
      self.class.const_get(:PREDICTION_DETAILS)
    end

    # The per-customer arguments of a prediction, in C order.
    def rows(function, x, t_x, big_t, kw)
      { 'x' => x, 't_x' => t_x, 'T' => ClvSupport.big_t(big_t, kw, function) }
    end

    # The checks of a row's values (none when no row is known).
    def row_checks(row, label)
      row ? ClvSupport.bgnbd_row(row['x'], row['t_x'], row['T'], label) : []
    end

    def horizon_check(t, label = 't')
      ClvSupport::Check.new(label, t, ClvSupport::NONNEG, 't >= 0')
    end
  end

  # The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the
  # Easy Way", libcs_bgnbd_fit(3)) of how many transactions a customer
  # makes: while alive, a customer buys at a Poisson rate lambda ~ Gamma(r,
  # alpha), and after each repeat purchase drops out with probability p ~
  # Beta(a, b).  A customer's data is x repeat purchases, the last at t_x,
  # in an observation of length T (time from the first purchase), as
  # Libcs.clv_summarize computes them; times in any unit (the same for all).
  #
  #   bg = Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t) # or Libcs::BgNbd.new(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
  #   bg.params.r          # => 0.2425...
  #   bg.conditional(x: 2, t_x: 30.43, T: 38.86, t: 39)
  #
  # The predictions take a single customer's values (a Float comes back) or
  # Arrays of many (one C call, an Array back; single values stand for every
  # customer).
  class BgNbd < NbdModel
    # The parameters, in the C order.
    Params = Struct.new(:r, :alpha, :a, :b)
    NAME = 'BG/NBD'
    C_PREFIX = :libcs_bgnbd
    PREDICTION_DETAILS = prediction_details('the series of E[Y(t)] needs more than 10^6 terms: ' \
                                            'a horizon too long for these parameters')
    private_constant :C_PREFIX, :PREDICTION_DETAILS
    public_class_method :new

    # The model at the given parameters (each > 0, checked by the library
    # here: NonFiniteError or DomainError naming the parameter).
    def initialize(r:, alpha:, a:, b:)
      super()
      set_params([r, alpha, a, b].zip(Params.members).map { |v, k| Internal.double(v, k.to_s) })
      check_params(native(:expected), 0.0)
      freeze
    end

    ##
    # :singleton-method: fit
    # :call-seq: fit(x:, t_x:, big_t: Internal::NONE, weights: nil, start: nil, **kw)
    #
    # The maximum-likelihood model of customers (x, t_x, T) (Arrays, or
    # single values standing for every customer), each row counting
    # weights[i] (>= 0) times when weights are given.  start (an Array r,
    # alpha, a, b, a Params, a Hash or a model) is tried first when given.
    # Identical rows are merged first, so grouped data fits as fast as
    # compressed data.  NotConvergedError (with #result) when it finds no
    # maximum-likelihood estimate.

    # A model at parameters r, alpha, a, b simulating customers (#simulate).
    def self.simulate(r:, alpha:, a:, b:, seed:, big_t: Internal::NONE, **kw)
      new(r: r, alpha: alpha, a: a, b: b).simulate(seed: seed, big_t: big_t, **kw)
    end
  end

  # The Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV",
  # libcs_gg_fit(3)) of what a customer's transactions are worth: each is
  # Gamma(p, nu), nu ~ Gamma(q, gamma) across customers.  A customer's data
  # is x (>= 1) repeat transactions of mean value mean_value (> 0), in any
  # currency unit; customers without repeat transactions are left out
  # (ClvSummary#repeat_buyers).
  #
  #   gg = Libcs::GammaGamma.fit(x: buyers.x, mean_value: buyers.mean_value)
  #   gg.expected(x: 2, mean_value: 22.35) # => 24.66...
  class GammaGamma < ClvModel
    # The parameters, in the C order.
    Params = Struct.new(:p, :q, :gamma)
    NAME = 'Gamma-Gamma'
    public_class_method :new

    # The model at the given parameters (each > 0, checked by the library
    # here; q <= 1 is allowed, only the expectations need q > 1).
    def initialize(p:, q:, gamma:)
      super()
      set_params([p, q, gamma].zip(Params.members).map { |v, k| Internal.double(v, k.to_s) })
      check_params(:libcs_gg_expected, 1.0, 1.0, ok: [Status::EUNDEFINED, Status::EOVERFLOW])
      freeze
    end

    # The maximum-likelihood model of customers (x, mean_value) (Arrays, or
    # single values standing for every customer) with optional weights and
    # start, as BgNbd.fit.
    def self.fit(x:, mean_value:, weights: nil, start: nil)
      fn = :libcs_gg_fit
      s = start_values(start)
      n, cols, arrays = gg_columns(fn, x, mean_value, weights)
      out = Native::ClvFitStruct.new
      rc = Native.libcs_gg_fit(n, Internal.pack_doubles(cols['x']), Internal.pack_doubles(cols['mean_value']),
                               ClvSupport.pack(cols['weights']), ClvSupport.pack(s), out)
      finish_fit(fn, rc, out) { data_error(fn, rc, n, cols, arrays, start: s) }
    end

    # A model at parameters p, q, gamma simulating mean values (#simulate).
    def self.simulate(p:, q:, gamma:, x:, seed:)
      new(p: p, q: q, gamma: gamma).simulate(x: x, seed: seed)
    end

    def self.gg_columns(function, x, mean_value, weights)
      args = { 'x' => x, 'mean_value' => mean_value }
      args['weights'] = weights unless weights.nil?
      ClvSupport.columns(function, args)
    end
    private_class_method :gg_columns

    # Checks of one row (x, mean value), in the order they are reported.
    def self.row_checks(x, mean_value, label)
      [ClvSupport::Check.new(label['x'], x, ->(v) { v >= 1 && v == v.floor && v <= 1e15 },
                             'x is a whole number from 1 to 10^15: repeat buyers only'),
       ClvSupport::Check.new(label['mean_value'], mean_value, ClvSupport::POSITIVE, 'mean values are > 0')]
    end
    private_class_method :row_checks

    # The rows #expected takes: x = 0 too (a one-time buyer: the
    # population mean), its mean value then ignored but >= 0.
    def self.expected_row_checks(x, mean_value, label)
      [ClvSupport::Check.new(label['x'], x, ->(v) { v >= 0 && v == v.floor && v <= 1e15 },
                             'x is a whole number from 0 to 10^15'),
       ClvSupport::Check.new(label['mean_value'], mean_value, ->(v) { x.zero? ? v >= 0 : v.positive? },
                             'mean values are > 0 (>= 0, and ignored, when x = 0)')]
    end
    private_class_method :expected_row_checks

    def self.row_checks_at(cols, j, label)
      row_checks(cols['x'][j], cols['mean_value'][j], label)
    end
    private_class_method :row_checks_at

    # The log-likelihood of customers (x, mean_value) with weights at these
    # parameters (for a fitted model, on its data, #loglik).
    def log_likelihood(x:, mean_value:, weights: nil)
      fn = :libcs_gg_loglik
      n, cols, arrays = self.class.send(:gg_columns, fn, x, mean_value, weights)
      out = Internal.out_double
      rc = Native.libcs_gg_loglik(n, Internal.pack_doubles(cols['x']), Internal.pack_doubles(cols['mean_value']),
                                  ClvSupport.pack(cols['weights']), params_pointer, out)
      return out.read_double if rc.zero?

      raise self.class.send(:data_error, fn, rc, n, cols, arrays, params: params)
    end

    # E[M | x, mean_value]: the expected value of a transaction of a
    # customer with x repeat transactions of that mean, between the
    # population mean p gamma / (q - 1) and the customer's own; for x = 0
    # the population mean (mean_value ignored, but finite and >= 0).
    # UndefinedResultError when q <= 1 (the population mean is infinite).
    def expected(x:, mean_value:)
      fn = :libcs_gg_expected
      details = { Status::EUNDEFINED => { argument: 'q', value: params.q,
                                          detail: 'the population mean p gamma / (q - 1) is infinite when q <= 1' },
                  Status::EOVERFLOW => 'the result is too large for a double' }
      predict(fn, { 'x' => x, 'mean_value' => mean_value }, {}, details) do |row, label|
        row ? self.class.send(:expected_row_checks, row['x'], row['mean_value'], label) : []
      end
    end

    # p gamma / (q - 1): the mean transaction value across customers, the
    # expected value for a customer without repeat transactions: #expected
    # at x = 0 (libcs_gg_expected).  UndefinedResultError when q <= 1.
    def population_mean
      fn = 'Libcs::GammaGamma#population_mean'
      c = ClvSupport.culprit(Status::ENONFINITE, param_checks)
      raise Internal.error(Status::ENONFINITE, fn, argument: c.argument, value: c.value, detail: c.detail) if c

      c = ClvSupport.culprit(Status::EDOMAIN, param_checks)
      raise Internal.error(Status::EDOMAIN, fn, argument: c.argument, value: c.value, detail: c.detail) if c

      q = params.q
      unless q > 1
        raise Internal.error(Status::EUNDEFINED, fn, argument: 'q', value: q,
                                                     detail: 'the population mean is infinite when q <= 1')
      end

      expected(x: 0, mean_value: 0.0)
    end

    # Mean values of customers with x[i] (whole numbers >= 1) transactions
    # each, simulated from the model from a generator seeded with seed (as
    # BgNbd#simulate); q <= 1 is allowed here.
    def simulate(x:, seed:)
      fn = :libcs_gg_simulate
      xv = ClvSupport.reals(Internal.list(x, 'x'), 'x')
      sv = Internal.unsigned(seed, 'seed', Internal::UINT64_MAX)
      n = xv.size
      out = Internal.buffer(:double, n)
      rc = Native.libcs_gg_simulate(params_pointer, n, Internal.pack_doubles(xv), sv, out)
      return out.get_array_of_double(0, n) if rc.zero?

      c = ClvSupport.culprit(rc, param_checks)
      unless c
        i, c = ClvSupport.scan(rc, n) do |j|
          [ClvSupport::Check.new("x[#{j}]", xv[j], ->(v) { v >= 1 && v == v.floor && v <= 1e15 },
                                 'x is a whole number from 1 to 10^15')]
        end
      end
      raise Internal.error(rc, fn, argument: c.argument, value: c.value, index: i, detail: c.detail) if c
      raise Internal.error(rc, fn, argument: 'x', detail: 'no customers') if rc == Status::EEMPTY
      if rc == Status::EOVERFLOW
        raise Internal.error(rc, fn, detail: 'a simulated mean value is outside the positive doubles ' \
                                             '(parameters near the limits: p x or q below about 0.01, or huge)')
      end

      raise Internal.error(rc, fn)
    end
  end

  # The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; Fader &
  # Hardie 2005, libcs_pnbd_fit(3)) of how many transactions a customer
  # makes: while alive, a customer buys at a Poisson rate lambda ~ Gamma(r,
  # alpha), and drops out at an exponential time of rate mu ~ Gamma(s,
  # beta), whether it buys or not.  The data and the methods are those of
  # BgNbd: x repeat purchases, the last at t_x, in an observation of length
  # T (the keyword T: or big_t:).
  #
  #   pn = Libcs::ParetoNbd.fit(x: x, t_x: t_x, T: big_t) # or .new(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)
  #   pn.palive(x: 2, t_x: 30.43, T: 38.86) # => 0.869...
  class ParetoNbd < NbdModel
    # The parameters, in the C order.
    Params = Struct.new(:r, :alpha, :s, :beta)
    NAME = 'Pareto/NBD'
    C_PREFIX = :libcs_pnbd
    PREDICTION_DETAILS = prediction_details('the numerical integration the model needs did not reach its ' \
                                            'accuracy for these parameters')
    private_constant :C_PREFIX, :PREDICTION_DETAILS
    public_class_method :new

    # The model at the given parameters (each > 0, checked by the library
    # here).
    def initialize(r:, alpha:, s:, beta:)
      super()
      set_params([r, alpha, s, beta].zip(Params.members).map { |v, k| Internal.double(v, k.to_s) })
      check_params(native(:expected), 0.0)
      freeze
    end

    ##
    # :singleton-method: fit
    # :call-seq: fit(x:, t_x:, big_t: Internal::NONE, weights: nil, start: nil, **kw)
    #
    # The maximum-likelihood model of customers (x, t_x, T), as BgNbd.fit:
    # Arrays, or single values standing for every customer; optional
    # weights (>= 0) and start (r, alpha, s, beta as an Array, a Params, a
    # Hash or a model).  NotConvergedError (with #result) when it finds no
    # maximum-likelihood estimate.

    # A model at parameters r, alpha, s, beta simulating customers (#simulate).
    def self.simulate(r:, alpha:, s:, beta:, seed:, big_t: Internal::NONE, **kw)
      new(r: r, alpha: alpha, s: s, beta: beta).simulate(seed: seed, big_t: big_t, **kw)
    end

    ##
    # :method: expected
    # :call-seq: expected(t:)
    #
    # E[X(t)]: the expected number of repeat purchases of a new customer in
    # its first t.

    ##
    # :method: palive
    # :call-seq: palive(x:, t_x:, big_t: Internal::NONE, **kw)
    #
    # P(alive | x, t_x, T): the probability that a customer with that
    # history has not dropped out (a customer without repeat purchases may
    # have, unlike in BG/NBD).

    ##
    # :method: clv
    # :call-seq: clv(x:, t_x:, value:, step:, steps:, discount:, big_t: Internal::NONE, **kw)
    #
    # The discounted CLV of a customer with history (x, t_x, T), as
    # BgNbd#clv: the sum over k = 1..steps of (E[Y(k step)] - E[Y((k - 1)
    # step)]) x value / (1 + discount)^k.

    ##
    # :method: simulate
    # :call-seq: simulate(seed:, big_t: Internal::NONE, **kw)
    #
    # Customers simulated from the model, observed for T[i] (>= 0) each,
    # from a generator seeded with seed (0 to 2^64 - 1), as ClvRows (x,
    # t_x, T; weights nil).
  end

  # The BG/BB model (Fader, Hardie & Shang 2010, libcs_bgbb_fit(3)) of
  # transactions at discrete opportunities (a yearly donation, an annual
  # event): while alive, a customer transacts at each opportunity with
  # probability p ~ Beta(alpha, beta) and drops out before each with
  # probability theta ~ Beta(gamma, delta).  A customer's data is x
  # transactions in periods opportunities, the last at opportunity t_x (0
  # when x = 0): whole numbers 0 <= x <= t_x <= periods <= 10^7.
  #
  #   bb = Libcs::BgBb.fit(x: frequency, t_x: recency, periods: 6, weights: donors)
  #   bb.dert(x: 3, t_x: 4, periods: 6, discount: 0.1) # => 1.628...
  class BgBb < ClvModel
    # The parameters, in the C order.
    Params = Struct.new(:alpha, :beta, :gamma, :delta)
    NAME = 'BG/BB'
    public_class_method :new

    # Rows (x, t_x, periods) with their weights (nil: 1 each), as #simulate
    # returns them; BgBb.fit(**rows.to_h) fits them.
    Rows = Struct.new(:x, :t_x, :periods, :weights) do
      # The number of rows.
      def size
        x.size
      end
      alias_method :length, :size
    end

    # The model at the given parameters (each > 0, checked by the library
    # here).
    def initialize(alpha:, beta:, gamma:, delta:)
      super()
      set_params([alpha, beta, gamma, delta].zip(Params.members).map { |v, k| Internal.double(v, k.to_s) })
      check_params(:libcs_bgbb_expected, 0.0)
      freeze
    end

    # The maximum-likelihood model of customers (x, t_x, periods) (Arrays,
    # or single values standing for every customer), each row counting
    # weights[i] (>= 0) times when weights are given (grouped data: one row
    # a pattern).  start (alpha, beta, gamma, delta) is tried first when
    # given.  NotConvergedError (with #result) when it finds no
    # maximum-likelihood estimate.
    def self.fit(x:, t_x:, periods:, weights: nil, start: nil)
      fn = :libcs_bgbb_fit
      st = start_values(start)
      n, cols, arrays = bgbb_columns(fn, x, t_x, periods, weights)
      out = Native::ClvFitStruct.new
      rc = Native.libcs_bgbb_fit(n, *cols.values_at('x', 't_x', 'periods').map { |c| Internal.pack_doubles(c) },
                                 ClvSupport.pack(cols['weights']), ClvSupport.pack(st), out)
      finish_fit(fn, rc, out) { data_error(fn, rc, n, cols, arrays, start: st) }
    end

    # A model at parameters alpha, beta, gamma, delta simulating customers
    # (#simulate).
    def self.simulate(alpha:, beta:, gamma:, delta:, periods:, seed:)
      new(alpha: alpha, beta: beta, gamma: gamma, delta: delta).simulate(periods: periods, seed: seed)
    end

    def self.bgbb_columns(function, x, t_x, periods, weights)
      args = { 'x' => x, 't_x' => t_x, 'periods' => periods }
      args['weights'] = weights unless weights.nil?
      ClvSupport.columns(function, args)
    end
    private_class_method :bgbb_columns

    def self.row_checks_at(cols, j, label)
      ClvSupport.bgbb_row(cols['x'][j], cols['t_x'][j], cols['periods'][j], label)
    end
    private_class_method :row_checks_at

    # The log-likelihood of customers (x, t_x, periods) with weights at
    # these parameters (for a fitted model, on its data, #loglik).
    def log_likelihood(x:, t_x:, periods:, weights: nil)
      fn = :libcs_bgbb_loglik
      n, cols, arrays = self.class.send(:bgbb_columns, fn, x, t_x, periods, weights)
      out = Internal.out_double
      rc = Native.libcs_bgbb_loglik(n, *cols.values_at('x', 't_x', 'periods').map { |c| Internal.pack_doubles(c) },
                                    ClvSupport.pack(cols['weights']), params_pointer, out)
      return out.read_double if rc.zero?

      raise self.class.send(:data_error, fn, rc, n, cols, arrays, params: params)
    end

    # E[X(periods)]: the expected transactions of a new customer in its
    # first periods opportunities (a whole number up to 10^15): a Float,
    # or for an Array (a forecast curve) an Array, by one call of
    # libcs_bgbb_expected_batch.
    def expected(periods:)
      predict(:libcs_bgbb_expected, { 'periods' => periods }, {}, DETAILS, empty: 'no horizons') do |row, label|
        row ? [count_check(label['periods'], row['periods'], ClvSupport::HORIZON_MAX)] : []
      end
    end

    # P(X(periods) = k): the probability that a new customer makes k (an
    # Integer >= 0) transactions in its first periods (up to 10^7)
    # opportunities: a Float, or for Arrays (a single value standing for
    # every element) an Array, by one call of libcs_bgbb_pmf_batch.
    def pmf(periods:, k:)
      predict(:libcs_bgbb_pmf, { 'periods' => periods, 'k' => k }, {}, DETAILS, counts: ['k'],
                                                                                 empty: 'no horizons') do |row, label|
        row ? [count_check(label['periods'], row['periods'], ClvSupport::BGBB_MAX)] : []
      end
    end

    # The expected transactions in the next future (a whole number up to
    # 10^15, one for all) opportunities of a customer with that history
    # (FHS eq. 13).
    def conditional(x:, t_x:, periods:, future:)
      fn = :libcs_bgbb_conditional
      fv = Internal.double(future, 'future')
      rows = { 'x' => x, 't_x' => t_x, 'periods' => periods }
      predict(fn, rows, { 'future' => fv }, DETAILS) do |row, label|
        (row ? ClvSupport.bgbb_row(row['x'], row['t_x'], row['periods'], label) : []) <<
          count_check('future', fv, ClvSupport::HORIZON_MAX)
      end
    end

    # P(alive at opportunity periods + 1 | x, t_x, periods) (FHS eq. 11).
    def palive(x:, t_x:, periods:)
      fn = :libcs_bgbb_palive
      predict(fn, { 'x' => x, 't_x' => t_x, 'periods' => periods }, {}, DETAILS) do |row, label|
        row ? ClvSupport.bgbb_row(row['x'], row['t_x'], row['periods'], label) : []
      end
    end

    # DERT (FHS eq. 14): the discounted expected residual transactions of a
    # customer with that history, the transaction at the s-th future
    # opportunity discounted by (1 + discount)^s, discount (>= 0) the rate
    # per opportunity; times the value of a transaction it is the
    # customer's residual lifetime value.  Undiscounted (discount 0) it is
    # finite only when gamma > 1: UndefinedResultError.
    def dert(x:, t_x:, periods:, discount:)
      fn = :libcs_bgbb_dert
      dv = Internal.double(discount, 'discount')
      details = DETAILS.merge(
        Status::EUNDEFINED => { argument: 'gamma', value: params.gamma,
                                detail: 'undiscounted, the expected residual transactions are infinite when ' \
                                        'gamma <= 1' },
        Status::ENOCONV => 'the series needs more than 4 * 10^6 terms: a discount rate this close to 0 ' \
                           '(below about 1e-5) is too small for these parameters'
      )
      predict(fn, { 'x' => x, 't_x' => t_x, 'periods' => periods }, { 'discount' => dv }, details) do |row, label|
        (row ? ClvSupport.bgbb_row(row['x'], row['t_x'], row['periods'], label) : []) <<
          ClvSupport::Check.new('discount', dv, ClvSupport::NONNEG,
                                'discount >= 0: over an infinite horizon a negative rate makes the sum diverge')
      end
    end

    # Customers simulated from the model over periods[i] opportunities each
    # (whole numbers up to 10^7), from a generator seeded with seed (0 to
    # 2^64 - 1: the same seed gives the same customers), as Rows (x, t_x,
    # periods; weights nil).
    def simulate(periods:, seed:)
      fn = :libcs_bgbb_simulate
      pv = ClvSupport.reals(Internal.list(periods, 'periods'), 'periods')
      sv = Internal.unsigned(seed, 'seed', Internal::UINT64_MAX)
      n = pv.size
      xb = Internal.buffer(:double, n)
      tb = Internal.buffer(:double, n)
      rc = Native.libcs_bgbb_simulate(params_pointer, n, Internal.pack_doubles(pv), sv, xb, tb)
      unless rc.zero?
        c = ClvSupport.culprit(rc, param_checks)
        i, c = ClvSupport.scan(rc, n) { |j| [count_check("periods[#{j}]", pv[j], ClvSupport::BGBB_MAX)] } unless c
        raise Internal.error(rc, fn, argument: c.argument, value: c.value, index: i, detail: c.detail) if c
        raise Internal.error(rc, fn, argument: 'periods', detail: 'no customers') if rc == Status::EEMPTY

        raise Internal.error(rc, fn)
      end
      Rows.new(xb.get_array_of_double(0, n).freeze, tb.get_array_of_double(0, n).freeze,
               pv.dup.freeze, nil).freeze
    end

    DETAILS = { Status::EOVERFLOW => 'the result is too large for a double' }.freeze
    private_constant :DETAILS

    private

    # A count of opportunities: a whole number from 0 to max.
    def count_check(name, value, max)
      ClvSupport::Check.new(name, value, ->(v) { ClvSupport.whole?(v, 0, max) },
                            "#{name.sub(/\[.*/, '')} is a whole number from 0 to 10^#{Math.log10(max).round}")
    end
  end

  # The shifted-beta-geometric (sBG) model of contract renewals (Fader &
  # Hardie 2007, "How to Project Customer Retention"; libcs_sbg_fit_survivors(3)):
  # at the end of each period a customer churns with its own probability
  # theta ~ Beta(alpha, beta), so that retention rises with tenure as the
  # customers most likely to churn leave.  Periods count from 1: a customer
  # who churns in period t made t - 1 renewals.
  #
  #   sbg = Libcs::ShiftedBetaGeometric.fit_survivors(survivors: [1000, 631, 468, 382, 326, 289, 262, 241])
  #   sbg.project(cohort: 1000, n: 13)                  # the cohort's next years
  #   sbg.discounted_expected_lifetime(discount: 0.1)  # => 3.69...
  class ShiftedBetaGeometric < ClvModel
    # The parameters, in the C order.
    Params = Struct.new(:alpha, :beta)
    NAME = 'shifted-beta-geometric'
    public_class_method :new

    # Customers' records: duration in periods (Floats) and active (0: churned
    # in period duration; 1: still active after duration periods), with
    # their weights (nil: 1 each), as #simulate returns them;
    # ShiftedBetaGeometric.fit_durations(**records.to_h) fits them.
    Durations = Struct.new(:duration, :active, :weights) do
      # The number of records.
      def size
        duration.size
      end
      alias_method :length, :size
    end

    # The model at the given parameters (each > 0, checked by the library
    # here).
    def initialize(alpha:, beta:)
      super()
      set_params([alpha, beta].zip(Params.members).map { |v, k| Internal.double(v, k.to_s) })
      check_params(:libcs_sbg_survival, 0.0)
      freeze
    end

    # The maximum-likelihood model of a cohort's survivor counts (an Array:
    # survivors[t] the customers active at the start of period t,
    # survivors[0] the cohort, > 0, never increasing; the cohort and at
    # least one period).  start (alpha, beta) is tried first when given.
    def self.fit_survivors(survivors:, start: nil)
      fn = :libcs_sbg_fit_survivors
      st = start_values(start)
      sv = ClvSupport.reals(Internal.list(survivors, 'survivors'), 'survivors')
      out = Native::ClvFitStruct.new
      rc = Native.libcs_sbg_fit_survivors(sv.size, Internal.pack_doubles(sv), ClvSupport.pack(st), out)
      finish_fit(fn, rc, out) { survivors_error(fn, rc, sv, start: st) }
    end

    # The maximum-likelihood model of customers' records: customer i
    # churned in period duration[i] (a whole number >= 1) when active[i] is
    # 0 or false, or was still active after duration[i] periods (>= 0) when
    # it is 1 or true.  Arrays, or single values standing for every
    # customer; weights (>= 0) and start as for fit_survivors.
    def self.fit_durations(duration:, active:, weights: nil, start: nil)
      fn = :libcs_sbg_fit_durations
      st = start_values(start)
      n, cols, arrays = record_columns(fn, duration, active, weights)
      out = Native::ClvFitStruct.new
      rc = Native.libcs_sbg_fit_durations(n, Internal.pack_doubles(cols['duration']),
                                          ClvSupport.pack_flags(cols['active']), ClvSupport.pack(cols['weights']),
                                          ClvSupport.pack(st), out)
      finish_fit(fn, rc, out) { data_error(fn, rc, n, cols, arrays, start: st) }
    end

    # A model at parameters alpha, beta simulating customers (#simulate).
    def self.simulate(alpha:, beta:, n:, periods:, seed:)
      new(alpha: alpha, beta: beta).simulate(n: n, periods: periods, seed: seed)
    end

    def self.record_columns(function, duration, active, weights)
      flags = if active.respond_to?(:to_ary)
                active.to_ary.each_with_index.map { |v, i| ClvSupport.flag(v, "active[#{i}]", function, i) }
              else
                ClvSupport.flag(active, 'active', function)
              end
      args = { 'duration' => duration, 'active' => flags }
      args['weights'] = weights unless weights.nil?
      ClvSupport.columns(function, args)
    end
    private_class_method :record_columns

    def self.first_column
      'duration'
    end
    private_class_method :first_column

    # The checks of record j, in the library's order.
    def self.row_checks_at(cols, j, label)
      a = cols['active'][j]
      low = a == 1 ? 0 : 1
      [ClvSupport::Check.new(label['active'], a, ->(v) { [0, 1].include?(v) },
                             'active is 0 (churned) or 1 (still active)'),
       ClvSupport::Check.new(label['duration'], cols['duration'][j],
                             ->(v) { ClvSupport.whole?(v, low, ClvSupport::HORIZON_MAX) },
                             "duration is a whole number of periods from #{low} to 10^15 for a customer " \
                             "#{a == 1 ? 'still active' : 'who churned'}")]
    end
    private_class_method :row_checks_at

    # The error of a call over survivor counts: the library reports no
    # index, so the first bad count is found here.
    def self.survivors_error(function, rc, sv, start: nil, params: nil)
      given = if start then start.zip(self::Params.members).map { |v, k| ["start[:#{k}]", v] }
              elsif params then params.each_pair.map { |k, v| [k.to_s, v] }
              else []
              end
      what = "the #{self::NAME} parameters are > 0"
      c = ClvSupport.culprit(rc, given.map { |k, v| ClvSupport::Check.new(k, v, ClvSupport::POSITIVE, what) })
      return Internal.error(rc, function, argument: c.argument, value: c.value, detail: c.detail) if c

      i, c = ClvSupport.scan(rc, sv.size) do |j|
        label = "survivors[#{j}]"
        if j.zero?
          [ClvSupport::Check.new(label, sv[0], ClvSupport::POSITIVE, 'the cohort, survivors[0], is > 0')]
        else
          prev = sv[j - 1]
          [ClvSupport::Check.new(label, sv[j], ClvSupport::NONNEG, 'survivor counts are >= 0'),
           ClvSupport::Check.new(label, sv[j], ->(v) { v <= prev },
                                 "survivor counts never increase: survivors[#{j - 1}] = #{prev}")]
        end
      end
      return Internal.error(rc, function, argument: c.argument, value: c.value, index: i, detail: c.detail) if c

      case rc
      when Status::EEMPTY
        detail = sv.empty? ? 'no survivor counts' : 'the cohort alone: a fit needs the counts of at least one period'
        Internal.error(rc, function, argument: 'survivors', detail: detail)
      when Status::EOVERFLOW then Internal.error(rc, function, detail: 'the log-likelihood is beyond a double')
      else Internal.error(rc, function)
      end
    end
    private_class_method :survivors_error

    # The log-likelihood of a cohort's survivor counts at these parameters
    # (the cohort alone: 0).
    def log_likelihood_survivors(survivors:)
      fn = :libcs_sbg_loglik_survivors
      sv = ClvSupport.reals(Internal.list(survivors, 'survivors'), 'survivors')
      out = Internal.out_double
      rc = Native.libcs_sbg_loglik_survivors(sv.size, Internal.pack_doubles(sv), params_pointer, out)
      return out.read_double if rc.zero?

      raise self.class.send(:survivors_error, fn, rc, sv, params: params)
    end

    # The log-likelihood of customers' records (as fit_durations) at these
    # parameters.
    def log_likelihood_durations(duration:, active:, weights: nil)
      fn = :libcs_sbg_loglik_durations
      n, cols, arrays = self.class.send(:record_columns, fn, duration, active, weights)
      out = Internal.out_double
      rc = Native.libcs_sbg_loglik_durations(n, Internal.pack_doubles(cols['duration']),
                                             ClvSupport.pack_flags(cols['active']),
                                             ClvSupport.pack(cols['weights']), params_pointer, out)
      return out.read_double if rc.zero?

      raise self.class.send(:data_error, fn, rc, n, cols, arrays, params: params)
    end

    # r(t) = (beta + t - 1) / (alpha + beta + t - 1): the share of the
    # customers active in period t - 1 who renew into period t (a whole
    # number >= 1): a Float, or for an Array of periods an Array, by one
    # call of libcs_sbg_retention_batch.
    def retention(t:)
      predict(:libcs_sbg_retention, { 't' => t }, {}, {}, empty: 'no periods') do |row, label|
        row ? [period_check(label['t'], row['t'], 1)] : []
      end
    end

    # S(t): the share of a cohort still active after t periods (a whole
    # number >= 0): a Float, or for an Array of periods an Array, by one
    # call of libcs_sbg_survival_batch.
    def survival(t:)
      predict(:libcs_sbg_survival, { 't' => t }, {}, { Status::EOVERFLOW => 'the result is too large for a double' },
              empty: 'no periods') do |row, label|
        row ? [period_check(label['t'], row['t'], 0)] : []
      end
    end

    # cohort x S(t) for t = 0..n-1: the customers of a cohort of cohort
    # (>= 0) expected at the start of each of its first n periods, an Array
    # of n Floats.
    def project(cohort:, n:)
      fn = :libcs_sbg_project
      cv = Internal.double(cohort, 'cohort')
      nv = Internal.unsigned(n, 'n', Internal::SIZE_MAX)
      out = Internal.buffer(:double, nv)
      rc = Native.libcs_sbg_project(params_pointer, cv, nv, out)
      return out.get_array_of_double(0, nv) if rc.zero?

      checks = param_checks << ClvSupport::Check.new('cohort', cv, ClvSupport::NONNEG, 'cohort >= 0')
      raise ClvSupport.error(rc, fn, checks, details: {
                               Status::EEMPTY => { argument: 'n', value: nv, detail: 'no periods to project' },
                               Status::EDOMAIN => { argument: 'n', value: nv, detail: 'periods 0 to 10^15 at most' },
                               Status::EOVERFLOW => 'a projected count is too large for a double'
                             })
    end

    # DEL: the discounted expected lifetime of a new customer, in periods,
    # paying at the start of each period it is active (the first certain),
    # discount the rate per period (>= 0); times the margin of a period it
    # is the customer's expected lifetime value (libcs_sbg_del(3)).
    # Undiscounted it is finite only when alpha > 1: UndefinedResultError.
    # For an Array of rates an Array, by one call of libcs_sbg_del_batch
    # (how the value depends on the rate).
    def discounted_expected_lifetime(discount:)
      # what an infinite lifetime blames: the first rate that makes one
      if discount.respond_to?(:to_ary)
        i = discount.to_ary.index { |d| d.is_a?(Numeric) && (d.negative? || (d.zero? && params.alpha <= 1)) }
        details = lifetime_details(i ? discount.to_ary[i] : 0.0, "discount[#{i}]")
      else
        details = lifetime_details(Internal.double(discount, 'discount'))
      end
      predict(:libcs_sbg_del, { 'discount' => discount }, {}, details,
              empty: 'no discount rates') do |row, label|
        row ? [discount_check(row['discount'], label['discount'])] : []
      end
    end

    # DERL: the discounted expected residual lifetime, in periods, of a
    # customer who has made renewals renewals (a whole number >= 0), just
    # before its next renewal decision (Fader & Hardie 2010 eq. 6,
    # libcs_sbg_derl(3)): a Float, or for an Array of the renewals of a
    # customer base an Array, by one call of libcs_sbg_derl_batch.
    def discounted_expected_residual_lifetime(renewals:, discount:)
      dv = Internal.double(discount, 'discount')
      predict(:libcs_sbg_derl, { 'renewals' => renewals }, { 'discount' => dv }, lifetime_details(dv)) do |row, label|
        (row ? [period_check(label['renewals'], row['renewals'], 0)] : []) << discount_check(dv)
      end
    end

    # n customers simulated from the model, each observed for at most
    # periods periods (0 to 2^32 - 1), from a generator seeded with seed
    # (0 to 2^64 - 1), as Durations (duration Floats, active 0 or 1;
    # weights nil).
    def simulate(n:, periods:, seed:)
      fn = :libcs_sbg_simulate
      nv = Internal.unsigned(n, 'n', Internal::SIZE_MAX)
      pv = Internal.unsigned(periods, 'periods', Internal::UINT32_MAX)
      sv = Internal.unsigned(seed, 'seed', Internal::UINT64_MAX)
      db = Internal.buffer(:double, nv)
      ab = Internal.buffer(:uint8, nv)
      rc = Native.libcs_sbg_simulate(params_pointer, nv, pv, sv, db, ab)
      unless rc.zero?
        raise ClvSupport.error(rc, fn, param_checks,
                               details: { Status::EEMPTY => { argument: 'n', value: nv, detail: 'no customers' } })
      end

      Durations.new(db.get_array_of_double(0, nv).freeze, ab.get_array_of_uint8(0, nv).freeze, nil).freeze
    end

    private

    def period_check(name, value, low)
      ClvSupport::Check.new(name, value, ->(v) { ClvSupport.whole?(v, low, ClvSupport::HORIZON_MAX) },
                            "#{name.sub(/\[.*/, '')} is a whole number from #{low} to 10^15")
    end

    def discount_check(discount, label = 'discount')
      ClvSupport::Check.new(label, discount, ->(v) { v > -1 }, 'discount > -1')
    end

    def lifetime_details(discount, label = 'discount')
      undefined = if discount.negative?
                    { argument: label, value: discount,
                      detail: 'a negative discount rate makes every expected lifetime infinite' }
                  else
                    { argument: 'alpha', value: params.alpha,
                      detail: 'undiscounted, the expected lifetime is infinite when alpha <= 1' }
                  end
      { Status::EUNDEFINED => undefined,
        Status::ENOCONV => 'a discount rate this close to 0 (below about 1e-11) needs more than 10^7 steps ' \
                           'of the continued fraction',
        Status::EOVERFLOW => 'the result is too large for a double' }
    end
  end

  module_function

  # Each customer's repeat-purchase summary (a ClvSummary) from a
  # transaction log: customer (Integer ids), time (in any unit, e.g. day
  # numbers) and amount (>= 0; one value may stand for all), one element a
  # transaction, in any order.  Transactions in the same period (floor(time
  # / period)) count as one, dated from its start; the summaries are in
  # units of time_scale (time in days, period 1, time_scale 7: one
  # transaction a day at most, summaries in weeks).  The calibration covers
  # time <= calibration_end, the holdout calibration_end < time <=
  # holdout_end (nil: no holdout).  Customers whose first transaction is
  # after calibration_end are left out.
  def clv_summarize(customer:, time:, amount:, period:, time_scale:, calibration_end:, holdout_end: nil)
    fn = :libcs_clv_summarize
    scalars = { 'period' => period, 'time_scale' => time_scale, 'calibration_end' => calibration_end,
                'holdout_end' => holdout_end.nil? ? calibration_end : holdout_end }
              .to_h { |k, v| [k, Internal.double(v, k)] }
    ids = Internal.list(customer, 'customer')
    n = ids.size
    unless ids.all? { |c| c.is_a?(Integer) && c.between?(Internal::INT64_MIN, Internal::INT64_MAX) }
      ids = ids.each_with_index.map { |c, i| Internal.int64(c, "customer[#{i}]") }
    end
    cols = {}
    given = { 'time' => time, 'amount' => amount }
    given.each do |name, v|
      if v.respond_to?(:to_ary)
        a = v.to_ary
        raise ArgumentError, "#{fn}: customer has #{n} elements but #{name} has #{a.size}" unless a.size == n

        cols[name] = ClvSupport.reals(a, name)
      else
        cols[name] = Array.new(n, Internal.double(v, name))
      end
    end
    cp = Internal.pack_int64s(ids)
    tp = Internal.pack_doubles(cols['time'])
    ap = Internal.pack_doubles(cols['amount'])
    needed = Internal.out_size
    bad = Internal.bad_index
    # cap = n always suffices: one call for a small log; a large one (whose
    # customers are usually far fewer than its transactions) asks for the
    # number of customers first and allocates just that
    cap = n <= 65_536 ? n : 0
    loop do
      bufs = if cap.zero?
               Array.new(7)
             else
               [Internal.buffer(:int64, cap)] + Array.new(6) { Internal.buffer(:double, cap) }
             end
      rc = Native.libcs_clv_summarize(n, cp, tp, ap, *scalars.values, cap, *bufs, needed, bad)
      m = rc.zero? || rc == Status::EBUFSIZE ? needed.read(:size_t) : nil
      if rc.zero? && (bufs.first || m.zero?)
        return ClvSummary.new((m.zero? ? [] : bufs[0].get_array_of_int64(0, m)).freeze,
                              *bufs[1..].map { |b| (m.zero? ? [] : b.get_array_of_double(0, m)).freeze }).freeze
      end
      if rc.zero? || rc == Status::EBUFSIZE
        cap = m
        next
      end
      i = Internal.read_index(bad)
      checks = if i
                 label = ClvSupport.labeller(cols.keys.select { |k| given[k].respond_to?(:to_ary) }, i)
                 [ClvSupport::Check.new(label['time'], cols['time'][i], ClvSupport::ANY, nil),
                  ClvSupport::Check.new(label['amount'], cols['amount'][i], ClvSupport::NONNEG, 'amounts are >= 0')]
               else
                 end_ok = ->(v) { v >= scalars['calibration_end'] }
                 [ClvSupport::Check.new('period', scalars['period'], ClvSupport::POSITIVE, 'period > 0'),
                  ClvSupport::Check.new('time_scale', scalars['time_scale'], ClvSupport::POSITIVE, 'time_scale > 0'),
                  ClvSupport::Check.new('calibration_end', scalars['calibration_end'], ClvSupport::ANY, nil),
                  ClvSupport::Check.new('holdout_end', scalars['holdout_end'], end_ok,
                                        'holdout_end >= calibration_end')]
               end
      details = { Status::EEMPTY => { argument: 'customer', detail: 'no transactions' },
                  Status::EOVERFLOW => "a customer's period number, t_x, T or total amount is too large for a double" }
      raise ClvSupport.error(rc, fn, checks, index: i, details: details)
    end
  end

  # Identical rows (x, t_x, T) merged into one, weighing the sum of their
  # weights (nil: 1 each), in order of first appearance; rows whose weights
  # add up to 0 are dropped.  A ClvRows that BgNbd.fit(**rows.to_h) fits as
  # it would the original rows.
  def clv_compress(x:, t_x:, big_t: Internal::NONE, weights: nil, **kw)
    fn = :libcs_clv_compress
    args = { 'x' => x, 't_x' => t_x, 'T' => ClvSupport.big_t(big_t, kw, fn) }
    args['weights'] = weights unless weights.nil?
    n, cols, arrays = ClvSupport.columns(fn, args)
    bufs = Array.new(4) { Internal.buffer(:double, n) }
    needed = Internal.out_size
    bad = Internal.bad_index
    rc = Native.libcs_clv_compress(n, *cols.values_at('x', 't_x', 'T').map { |c| Internal.pack_doubles(c) },
                                   ClvSupport.pack(cols['weights']), n, *bufs, needed, bad)
    unless rc.zero?
      i = Internal.read_index(bad)
      checks = []
      if i
        label = ClvSupport.labeller(arrays, i)
        checks = ClvSupport.bgnbd_row(cols['x'][i], cols['t_x'][i], cols['T'][i], label)
        checks << ClvSupport.weight(cols['weights'][i], label) if cols['weights']
      end
      details = { Status::EEMPTY => { argument: 'x', detail: 'no rows' },
                  Status::EOVERFLOW => 'a merged weight is too large for a double' }
      raise ClvSupport.error(rc, fn, checks, index: i, details: details)
    end
    m = needed.read(:size_t)
    ClvRows.new(*bufs.map { |b| (m.zero? ? [] : b.get_array_of_double(0, m)).freeze }).freeze
  end
end
