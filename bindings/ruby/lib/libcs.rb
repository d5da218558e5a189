# frozen_string_literal: true

# bindings/ruby/lib/libcs.rb - Ruby bindings of libcs, the C library of
# customer-success metrics.  `require 'libcs'` loads libcs.so.0 (see
# Libcs::Native.candidates for where it looks) and everything below.
require_relative 'libcs/version'
require_relative 'libcs/ffi'
require_relative 'libcs/errors'
require_relative 'libcs/enums'
require_relative 'libcs/internal'
require_relative 'libcs/handle'
require_relative 'libcs/ltv'
require_relative 'libcs/churn'
require_relative 'libcs/revenue'
require_relative 'libcs/nps'
require_relative 'libcs/survey'
require_relative 'libcs/health'
require_relative 'libcs/touch'
require_relative 'libcs/lifecycle'
require_relative 'libcs/mrr'
require_relative 'libcs/km'
require_relative 'libcs/clv'

# Customer-success metrics: LTV, churn and revenue retention, NPS, CSAT and
# CES, health scores, touch-model segmentation, lifecycle stages, MRR
# movements and cohorts, Kaplan-Meier retention curves, the BG/NBD,
# Pareto/NBD, BG/BB and Gamma-Gamma models of customer lifetime value, and
# the shifted-beta-geometric model of contract renewals.  See
# bindings/ruby/README.md, and libcs(7) for every formula.
module Libcs
  module_function

  # The version of the loaded library ("0.5.0"); Libcs::VERSION is the gem's.
  def library_version
    Native.libcs_version_string
  end

  # The loaded library's version as major * 1_000_000 + minor * 1_000 + patch.
  def library_version_number
    Native.libcs_version_number
  end

  # The library file that was loaded (or the loader name, e.g. "libcs.so.0").
  def library_path
    Native.library_path
  end

  # The library's description of a status code (any Integer).
  def strerror(code)
    c = Internal.integer(code, 'code')
    # any Integer outside C int is an unknown code, as in the Python binding
    c = Internal::INT_MIN unless c.between?(Internal::INT_MIN, Internal::INT_MAX)
    Native.libcs_strerror(c)
  end
end
