# frozen_string_literal: true

# bindings/ruby/lib/libcs/version.rb - the gem's version: the libcs release it
# binds (test_version.rb checks it against the library it runs with).
module Libcs
  VERSION = '0.2.0'

  # The oldest library the binding accepts, as libcs_version_number() encodes
  # it (major * 1_000_000 + minor * 1_000 + patch): 0.2.0 brought the health,
  # touch and lifecycle functions that lib/libcs/ffi.rb attaches.
  MIN_LIBRARY_VERSION = 2_000
end
