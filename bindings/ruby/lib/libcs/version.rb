# frozen_string_literal: true

# bindings/ruby/lib/libcs/version.rb - the gem's version: the libcs release it
# binds (test_version.rb checks it against the library it runs with).
module Libcs
  VERSION = '0.6.0'

  # The oldest library the binding accepts, as libcs_version_number() encodes
  # it (major * 1_000_000 + minor * 1_000 + patch): 0.6.0 brought the
  # capped GRR against any base period (libcs_mrr_capped_grr_since and
  # _series), the churn tally and the batch forms of the CLV models'
  # predictions for a new customer that lib/libcs/ffi.rb attaches (0.5.0 the
  # Pareto/NBD, BG/BB and shifted-beta-geometric models, 0.4.0 BG/NBD,
  # Gamma-Gamma and the transaction summaries, 0.3.0 the MRR ledger and the
  # Kaplan-Meier curves, 0.2.0 the health, touch and lifecycle functions).
  MIN_LIBRARY_VERSION = 6_000
end
