# frozen_string_literal: true

# bindings/ruby/lib/libcs/enums.rb - the enumerations of libcs.h as module
# constants (Libcs::Band::RED == 1), with symbol names for each value.
module Libcs
  # Methods shared by the enumeration modules: every constant of the module
  # is a value, and its downcased name is its symbol (Band::RED <-> :red).
  module Enumeration
    # {symbol => value} for every constant.
    def to_h
      @to_h ||= constants.sort_by { |c| const_get(c) }
                         .to_h { |c| [c.downcase.to_sym, const_get(c)] }.freeze
    end

    # The value of a symbol (Band[:red] == 1); nil if there is none.
    def [](symbol)
      to_h[symbol.to_sym]
    end

    # The symbol of a value (Band.symbol(1) == :red); nil if there is none.
    def symbol(value)
      to_h.key(value)
    end

    # An argument given as a symbol, a string or an Integer, as the Integer
    # the C function takes.  Integers pass unchanged (the library judges
    # them); an unknown symbol is an ArgumentError naming the argument.
    def value_of(x, argument)
      case x
      when Integer then x
      when Symbol, String
        to_h.fetch(x.to_sym) do
          raise ArgumentError, "#{argument}: unknown #{enum_name} #{x.inspect} " \
                               "(one of #{to_h.keys.map(&:inspect).join(', ')})"
        end
      else
        raise TypeError, "#{argument} must be a Symbol or an Integer " \
                         "(#{name}), got #{x.class} #{x.inspect}"
      end
    end

    private

    def enum_name
      name.split('::').last.gsub(/([a-z])([A-Z])/, '\1 \2').downcase
    end
  end

  # Denominator of the customer churn rate (enum libcs_churn_denominator).
  module Denominator
    extend Enumeration
    START = 0           # customers at the start
    START_PLUS_NEW = 1  # start + new in the period
    AVERAGE = 2         # (start + end) / 2
  end

  # NPS category of a score (enum libcs_nps_category), plus NO_ANSWER for
  # the lifecycle rules (LIBCS_NPS_NO_ANSWER).
  module NpsCategory
    extend Enumeration
    DETRACTOR = -1
    PASSIVE = 0
    PROMOTER = 1
    NO_ANSWER = 2
  end

  # What a health score does with a missing value (enum libcs_health_missing).
  module Missing
    extend Enumeration
    DROP = 0   # drop the measure, renormalise the weights
    WORST = 1  # score it as the rule's worst points
  end

  # How a health model combines measures (enum libcs_health_aggregation).
  module Aggregation
    extend Enumeration
    WEIGHTED_MEAN = 0
    WORST_OF = 1
  end

  # Colour band of a health score (enum libcs_health_band).
  module Band
    extend Enumeration
    UNKNOWN = 0  # too little of the weight was measured
    RED = 1
    YELLOW = 2
    GREEN = 3
  end

  # Band-change events, bit flags (enum libcs_health_event).
  module Event
    extend Enumeration
    ENTERED_RED = 1
    LEFT_RED = 2
    ENTERED_YELLOW = 4
    LEFT_YELLOW = 8
    ENTERED_GREEN = 16
    LEFT_GREEN = 32
    BECAME_UNKNOWN = 64
    BECAME_KNOWN = 128

    # The symbols of the flags set in an event mask
    # (Event.symbols(65) == [:entered_red, :became_unknown]).
    def self.symbols(flags)
      to_h.select { |_, bit| flags & bit != 0 }.keys
    end
  end

  # Service tier of the touch model (enum libcs_touch_tier).
  module Tier
    extend Enumeration
    TECH = 0
    LOW = 1
    HIGH = 2
  end

  # Lifecycle stage (enum libcs_lifecycle_stage).
  module Stage
    extend Enumeration
    ADOPTION = 0
    ONBOARDING = 1
    RENEWAL = 2
    AT_RISK = 3
    EXPANSION = 4
    ADVOCATE = 5
  end

  # The rates of a period of MRR movements (enum libcs_mrr_rate): the
  # indexes of MrrRates#status.
  module Rate
    extend Enumeration
    CUSTOMER_CHURN = 0
    GROSS_MRR_CHURN = 1
    NET_MRR_CHURN = 2
    NRR = 3
    GRR = 4
    QUICK_RATIO = 5
    ARPA = 6
  end
end
