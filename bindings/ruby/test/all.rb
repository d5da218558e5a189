# frozen_string_literal: true

# bindings/ruby/test/all.rb - run every test_*.rb suite in one process, then
# fail unless the suites called every C function the binding attaches.
#   ruby -Ilib -Itest test/all.rb [minitest options]
LIBCS_TEST_RUNNER = true
require_relative 'test_helper'

Dir[File.join(__dir__, 'test_*.rb')].sort.each { |f| require f }

passed = Minitest.run(ARGV)
missing = Libcs::FFI_FUNCTIONS - LibcsTest::CALLED.to_a
if missing.empty?
  puts "every bound function was called: #{Libcs::FFI_FUNCTIONS.size} of #{Libcs::FFI_FUNCTIONS.size}"
else
  puts "FAIL: bound functions never called by the tests: #{missing.join(', ')}"
end
exit(passed && missing.empty? ? 0 : 1)
