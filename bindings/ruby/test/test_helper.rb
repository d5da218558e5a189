# frozen_string_literal: true

# bindings/ruby/test/test_helper.rb - shared setup of the minitest suites:
# load the binding against the just-built library, record every C function
# the tests call (test/all.rb checks that each bound one was), and helpers.
#
# Run all suites with test/all.rb (what run-tests.sh does), or one alone:
#   LIBCS_LIBRARY=$builddir/lib/.libs/libcs.so.0 ruby -Ilib -Itest test/test_ltv.rb
if ENV['top_builddir'] && !ENV['top_builddir'].empty?
  ENV['LIBCS_LIBRARY'] ||= File.expand_path('lib/.libs/libcs.so.0', ENV['top_builddir'])
end

require 'minitest'
require 'open3'
require 'rbconfig'
require 'set'
require 'tmpdir'
require 'libcs'

module LibcsTest
  CALLED = Set.new

  # Wrap each Libcs::Native function to record that it was called.
  RECORDER = Module.new do
    Libcs::FFI_FUNCTIONS.each do |name|
      define_method(name) do |*args|
        CALLED << name
        super(*args)
      end
    end
  end
  Libcs::Native.singleton_class.prepend(RECORDER)

  RUBY_DIR = File.expand_path('..', __dir__)
  TOP_SRCDIR = File.expand_path(ENV.fetch('top_srcdir', File.join(RUBY_DIR, '..', '..')))
  HEADER = File.join(TOP_SRCDIR, 'include', 'libcs.h')

  def self.top_builddir
    dir = ENV.fetch('top_builddir', '')
    dir.empty? ? nil : File.expand_path(dir)
  end

  # A C compiler for the tests that build small programs (struct layout, an
  # old-library stand-in), or nil.
  def self.cc
    cc = ENV.fetch('CC', '')
    cc = 'cc' if cc.empty?
    _, status = Open3.capture2e(cc, '--version')
    status.success? ? cc : nil
  rescue SystemCallError
    nil
  end

  def self.under_valgrind?
    !ENV.fetch('LIBCS_TEST_VALGRIND', '').empty?
  end

  # Helpers mixed into every test class.
  module Assertions
    # Assert that the block raises error class klass (a Libcs::Error) with
    # the given attributes; return the exception.
    def assert_libcs_error(klass, function: nil, argument: nil, index: :any, message: nil, &block)
      e = assert_raises(klass, &block)
      assert_kind_of Libcs::Error, e
      assert_equal klass::CODE, e.code, 'code' if klass::CODE
      assert_equal function.to_s, e.function, 'function' if function
      assert_equal argument, e.argument, 'argument' if argument
      if index.nil?
        assert_nil e.index, 'index'
      elsif index != :any
        assert_equal index, e.index, 'index'
      end
      assert_match message, e.message if message
      e
    end

    # Floats equal to within rel relative (or 1e-12 absolute near 0).
    def assert_close(expected, actual, rel = 1e-12, msg = nil)
      if expected.is_a?(Array)
        assert_equal expected.size, actual.size, msg
        expected.zip(actual).each { |e, a| assert_close(e, a, rel, msg) }
        return
      end
      return assert(actual.nan?, msg || "expected NaN, got #{actual}") if expected.to_f.nan?

      tol = [expected.abs * rel, 1e-12].max
      assert_in_delta expected, actual, tol, msg
    end

    # The path of a reference data set of the directory LIBCS_DATA names
    # (make check sets it: ../shared/data by default).  A test that needs one
    # fails when it is missing, never skips.
    def data_file(name)
      dir = ENV.fetch('LIBCS_DATA', '')
      if dir.empty?
        flunk 'LIBCS_DATA is not set: it names the directory of the reference data sets ' \
              '(make check sets it; by hand: LIBCS_DATA=/path/to/shared/data bindings/ruby/run-tests.sh)'
      end
      path = File.join(dir, name)
      flunk "#{path} not found (LIBCS_DATA=#{dir})" unless File.file?(path)
      path
    end

    # Run Ruby code in a child process with the binding on the load path;
    # [stdout, stderr, Process::Status].
    def run_ruby(code, env: {}, chdir: nil)
      opts = chdir ? { chdir: chdir } : {}
      Open3.capture3(env, RbConfig.ruby, '-I', File.join(RUBY_DIR, 'lib'), '-e', code, **opts)
    end
  end
end

module Minitest
  class Test
    include LibcsTest::Assertions
  end
end

require 'minitest/autorun' unless defined?(LIBCS_TEST_RUNNER)
