# frozen_string_literal: true

# bindings/ruby/lib/libcs/errors.rb - the exceptions: Libcs::Error and one
# subclass per LIBCS_E* status code of libcs.h.
module Libcs
  # The status codes of libcs.h (enum libcs_status).
  module Status
    OK = 0
    EINVAL = -1
    EDOMAIN = -2
    ENONFINITE = -3
    EEMPTY = -4
    EUNDEFINED = -5
    EOVERFLOW = -6
    ENOMEM = -7
    EBUFSIZE = -8
    ENOCONV = -9
    EFORMAT = -10
    EDUPLICATE = -11
  end

  # An Integer argument outside the range of its C type (int64_t, int32_t,
  # an unsigned count): a bad argument value, so an ArgumentError (as the
  # Python binding raises a ValueError), found before any C call.
  class OutOfRangeError < ArgumentError
  end

  # A status code other than LIBCS_OK.  The subclass says which code; the
  # attributes say where:
  #
  # code::     the LIBCS_E* status code (Integer, negative)
  # function:: the C function that reported it ("libcs_ltv_subscription")
  # argument:: the argument at fault, when known ("churn", "rows[2][3]")
  # index::    for batch calls, the index of the first bad element
  # line, column:: for HealthModel.parse, where in the text (1-based)
  class Error < StandardError
    CODE = nil

    attr_reader :code, :function, :argument, :index, :line, :column

    def initialize(message = nil, code: self.class::CODE, function: nil,
                   argument: nil, index: nil, line: nil, column: nil)
      @code = code
      @function = function&.to_s
      @argument = argument
      @index = index
      @line = line
      @column = column
      super(message || default_message)
    end

    # The exception class for a status code (Libcs::Error for a code this
    # binding does not know, e.g. one appended by a newer library).
    def self.class_for(code)
      CLASSES.fetch(code, Error)
    end

    private

    def default_message
      text = code ? Libcs.strerror(code) : 'libcs error'
      function ? "#{function}: #{text}" : text
    end
  end

  # LIBCS_EINVAL: a NULL pointer or an unknown option (in Ruby: an option
  # code the library does not know, or a handle that was freed).
  class InvalidArgumentError < Error
    CODE = Status::EINVAL
  end

  # LIBCS_EDOMAIN: a value outside its domain (negative money, a rate
  # outside [0, 1], a score off its scale).
  class DomainError < Error
    CODE = Status::EDOMAIN
  end

  # LIBCS_ENONFINITE: NaN or infinity where a finite number is needed.
  class NonFiniteError < Error
    CODE = Status::ENONFINITE
  end

  # LIBCS_EEMPTY: empty input (no customers, no answers, no measures).
  class EmptyInputError < Error
    CODE = Status::EEMPTY
  end

  # LIBCS_EUNDEFINED: the result is mathematically undefined (a zero
  # divisor, a divergent sum).
  class UndefinedResultError < Error
    CODE = Status::EUNDEFINED
  end

  # LIBCS_EOVERFLOW: integer overflow or a result too large for a double.
  class OverflowError < Error
    CODE = Status::EOVERFLOW
  end

  # LIBCS_ENOMEM: the library could not allocate memory.
  class OutOfMemoryError < Error
    CODE = Status::ENOMEM
  end

  # LIBCS_EBUFSIZE: a caller's buffer was too small; #needed says how big.
  # (The binding sizes its own buffers, so it only surfaces from direct use
  # of Libcs::Native.)
  class BufferTooSmallError < Error
    CODE = Status::EBUFSIZE

    attr_reader :needed

    def initialize(message = nil, needed: nil, **kw)
      @needed = needed
      super(message, **kw)
    end
  end

  # LIBCS_ENOCONV: an iterative method did not converge.  From a fit
  # (BgNbd.fit, GammaGamma.fit, ParetoNbd.fit, BgBb.fit,
  # ShiftedBetaGeometric.fit_survivors and .fit_durations) #result is the
  # model at the best point the optimiser found (its #converged? false),
  # usable as it is or as the start of another fit; from a prediction whose
  # series would need too many terms (a horizon too long for the
  # parameters, a discount rate too close to 0) it is nil.
  class NotConvergedError < Error
    CODE = Status::ENOCONV

    attr_reader :result

    def initialize(message = nil, result: nil, **kw)
      @result = result
      super(message, **kw)
    end
  end

  # LIBCS_EFORMAT: malformed serialized data (NpsTally.from_bytes,
  # MrrLedger.from_bytes) or malformed health-model text (HealthModel.parse:
  # see #line and #column).
  class FormatError < Error
    CODE = Status::EFORMAT
  end

  # LIBCS_EDUPLICATE: two records of an MRR ledger have the same customer and
  # period (MrrLedger#movements, #rates, #cohorts, #capped_grr,
  # #capped_grr_since, #capped_grr_series).  #customer and #period name the
  # first duplicate, in the order the records were added.
  class DuplicateError < Error
    CODE = Status::EDUPLICATE

    attr_reader :customer, :period

    def initialize(message = nil, customer: nil, period: nil, **kw)
      @customer = customer
      @period = period
      super(message, **kw)
    end
  end

  class Error
    CLASSES = [InvalidArgumentError, DomainError, NonFiniteError,
               EmptyInputError, UndefinedResultError, OverflowError,
               OutOfMemoryError, BufferTooSmallError, NotConvergedError,
               FormatError, DuplicateError].to_h { |c| [c::CODE, c] }.freeze
  end
end
