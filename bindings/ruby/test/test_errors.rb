# frozen_string_literal: true

# bindings/ruby/test/test_errors.rb - the exception classes: one per status
# code, each raised here from a real library error (OutOfMemoryError by
# starving a child process), their attributes and messages.
require_relative 'test_helper'

class TestErrors < Minitest::Test
  CLASSES = {
    Libcs::Status::EINVAL => Libcs::InvalidArgumentError,
    Libcs::Status::EDOMAIN => Libcs::DomainError,
    Libcs::Status::ENONFINITE => Libcs::NonFiniteError,
    Libcs::Status::EEMPTY => Libcs::EmptyInputError,
    Libcs::Status::EUNDEFINED => Libcs::UndefinedResultError,
    Libcs::Status::EOVERFLOW => Libcs::OverflowError,
    Libcs::Status::ENOMEM => Libcs::OutOfMemoryError,
    Libcs::Status::EBUFSIZE => Libcs::BufferTooSmallError,
    Libcs::Status::ENOCONV => Libcs::NotConvergedError,
    Libcs::Status::EFORMAT => Libcs::FormatError,
    Libcs::Status::EDUPLICATE => Libcs::DuplicateError
  }.freeze

  # {name => value} of enum libcs_status in include/libcs.h, so that a code
  # added there cannot silently map to the base Libcs::Error.
  def header_status_codes
    text = File.read(LibcsTest::HEADER)
    body = text[/enum libcs_status\s*\{(.*?)\}/m, 1].gsub(%r{/\*.*?\*/}m, ' ')
    body.scan(/LIBCS_(\w+)\s*=\s*(-?\d+)/).to_h { |name, v| [name, Integer(v, 10)] }
  end

  def test_every_header_code_has_its_class
    codes = header_status_codes
    assert_equal 0, codes.delete('OK')
    assert_operator codes.size, :>=, 11
    assert_equal codes, Libcs::Status.constants.reject { |c| c == :OK }.to_h { |c| [c.to_s, Libcs::Status.const_get(c)] },
                 'Libcs::Status differs from enum libcs_status in libcs.h'
    codes.each do |name, code|
      klass = Libcs::Error.class_for(code)
      refute_same Libcs::Error, klass, "LIBCS_#{name} (#{code}) maps to the base Libcs::Error"
      assert_equal code, klass::CODE
      assert_same klass, CLASSES[code], "LIBCS_#{name} has no entry in CLASSES"
      refute_equal Libcs.strerror(-99), Libcs.strerror(code), "the library has no message for LIBCS_#{name}"
    end
  end

  def test_one_class_per_code
    assert_equal header_status_codes.values.reject(&:zero?).sort, CLASSES.keys.sort
    CLASSES.each do |code, klass|
      assert_operator klass, :<, Libcs::Error
      assert_equal code, klass::CODE
      assert_same klass, Libcs::Error.class_for(code)
      e = klass.new(function: :libcs_x)
      assert_equal code, e.code
      assert_equal "libcs_x: #{Libcs.strerror(code)}", e.message
    end
    assert_operator Libcs::Error, :<, StandardError
    assert_same Libcs::Error, Libcs::Error.class_for(-99)
    assert_same Libcs::Error, Libcs::Error.class_for(0)
    assert_equal 'libcs error', Libcs::Error.new.message
    assert_equal 'unknown libcs status code', Libcs::Error.new(code: -99).message
  end

  # integers outside their C type are bad argument values, as in Python
  # (DomainError, a ValueError there): an ArgumentError here, before C
  def test_out_of_range_integers
    assert_operator Libcs::OutOfRangeError, :<, ArgumentError
    [-> { Libcs.churn_customer(at_start: 2**63, new_customers: 0, churned: 0, denominator: :start) },
     -> { Libcs.nps_from_counts(promoters: -1, passives: 0, detractors: 0) },
     -> { Libcs::ChurnTally.new.add(churned: -2**64) }].each do |call|
      e = assert_raises(ArgumentError) { call.call }
      assert_instance_of Libcs::OutOfRangeError, e
    end
  end

  def test_strerror
    assert_equal 'success', Libcs.strerror(0)
    assert_equal 'result is mathematically undefined', Libcs.strerror(Libcs::Status::EUNDEFINED)
    assert_equal 'unknown libcs status code', Libcs.strerror(12_345)
    assert_equal 'unknown libcs status code', Libcs.strerror(-2**31)
    # as in Python: any Integer is a code, one outside C int an unknown one
    assert_equal 'unknown libcs status code', Libcs.strerror(2**40)
    assert_equal 'unknown libcs status code', Libcs.strerror(-2**100)
    assert_raises(TypeError) { Libcs.strerror(1.0) }
    assert_raises(TypeError) { Libcs.strerror('EDOMAIN') }
  end

  # Every class from a real call.
  def test_each_class_from_the_library
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_churn_customer) do
      Libcs.churn_customer(at_start: 1, new_customers: 0, churned: 0, denominator: 3)
    end
    assert_libcs_error(Libcs::DomainError) { Libcs.churn_retention(churn: 2) }
    assert_libcs_error(Libcs::NonFiniteError) { Libcs.churn_retention(churn: Float::NAN) }
    assert_libcs_error(Libcs::EmptyInputError) { Libcs.churn_retention_batch(churn: []) }
    assert_libcs_error(Libcs::UndefinedResultError) { Libcs.ltv_lifetime(churn: 0) }
    assert_libcs_error(Libcs::OverflowError) { Libcs.ltv_simple(avg_order_value: Float::MAX, purchases: 2) }
    bg = Libcs::BgNbd.new(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    assert_libcs_error(Libcs::NotConvergedError) { bg.expected(t: 1e7) }
    assert_libcs_error(Libcs::NotConvergedError) { Libcs::GammaGamma.fit(x: [2, 2, 2], mean_value: 10) }
    assert_libcs_error(Libcs::FormatError) { Libcs::NpsTally.from_bytes('CSNP') }
    assert_libcs_error(Libcs::FormatError) { Libcs::HealthModel.parse('libcs-health') }
    assert_libcs_error(Libcs::FormatError) { Libcs::MrrLedger.from_bytes('CSMR') }
    Libcs::MrrLedger.new(first_period: 1, n_periods: 2) do |l|
      l.add(customers: [7, 7], periods: 2, mrr: 100)
      e = assert_libcs_error(Libcs::DuplicateError, function: :libcs_mrr_movements) { l.movements }
      assert_equal [7, 2], [e.customer, e.period]
    end
  end

  def test_duplicate_error_attributes
    e = Libcs::DuplicateError.new(function: :libcs_mrr_cohorts, customer: -5, period: 103)
    assert_equal 'libcs_mrr_cohorts: duplicate record', e.message
    assert_equal [-11, -5, 103], [e.code, e.customer, e.period]
    e = Libcs::DuplicateError.new
    assert_nil e.customer
    assert_nil e.period
    assert_equal 'duplicate record', e.message
  end

  # The binding sizes its buffers itself; a short buffer passed to the C
  # function directly gives the library's LIBCS_EBUFSIZE.
  def test_buffer_too_small
    tally = Libcs::Native::NpsTallyStruct.new
    assert_equal 0, Libcs::Native.libcs_nps_tally_init(tally)
    buf = FFI::MemoryPointer.new(:uint8, 10)
    needed = FFI::MemoryPointer.new(:size_t)
    rc = Libcs::Native.libcs_nps_tally_serialize(tally, buf, 10, needed)
    e = Libcs::Error.class_for(rc).new(function: :libcs_nps_tally_serialize, needed: needed.read(:size_t))
    assert_instance_of Libcs::BufferTooSmallError, e
    assert_equal 96, e.needed
    assert_equal 'libcs_nps_tally_serialize: buffer too small', e.message
    Libcs::HealthModel.new do |m|
      m.add_linear(name: 'logins', weight: 1, bad: 0, good: 1)
      text = m.to_text
      rc = Libcs::Native.libcs_health_model_format(m.send(:handle, :test), buf, 10, needed)
      assert_equal Libcs::BufferTooSmallError::CODE, rc
      assert_equal text.bytesize + 1, needed.read(:size_t)
    end
  end

  def test_not_converged_by_code
    e = Libcs::Error.class_for(Libcs::Status::ENOCONV).new(function: :libcs_gg_fit)
    assert_instance_of Libcs::NotConvergedError, e
    assert_equal 'libcs_gg_fit: did not converge', e.message
    assert_nil e.result
    model = Libcs::GammaGamma.new(p: 1, q: 2, gamma: 3)
    e = Libcs::NotConvergedError.new(function: :libcs_gg_fit, result: model, index: 4)
    assert_same model, e.result
    assert_equal [Libcs::Status::ENOCONV, 4], [e.code, e.index]
    # from a fit: the best point found, a model that works
    e = assert_raises(Libcs::NotConvergedError) { Libcs::GammaGamma.fit(x: [2, 2, 2], mean_value: 10) }
    assert_instance_of Libcs::GammaGamma, e.result
    assert_equal 'libcs_gg_fit', e.function
    refute e.result.converged?
  end

  # A fresh child process limited to a little more address space than it
  # uses: the touch model's 512 KiB histogram (more than 2048 customers)
  # cannot be allocated and the library says LIBCS_ENOMEM.  (A fixed mmap
  # threshold keeps glibc from serving the block out of memory it already
  # holds; the child is a new ruby, so valgrind does not follow it.)
  def test_out_of_memory
    # AddressSanitizer reserves terabytes of address space for its shadow
    # memory, so a child limited to its own size plus 256 KiB cannot even
    # start under it (it hangs): this check runs in the plain build only.
    if ENV.fetch('LD_PRELOAD', '').include?('libasan')
      skip 'RLIMIT_AS cannot be combined with AddressSanitizer (plain build runs it)'
    end
    code = <<~RUBY
      require 'libcs'
      values = Array.new(3000, &:to_f)
      vm = File.read('/proc/self/status')[/VmSize:\\s+(\\d+)/, 1].to_i * 1024
      Process.setrlimit(:AS, vm + 256 * 1024)
      begin
        Libcs.touch_shares(value: values, high_share: 0.1, low_share: 0.1)
        print 'no error'
      rescue Libcs::OutOfMemoryError => e
        print "\#{e.class} \#{e.code} \#{e.function}"
      end
    RUBY
    out, err, status = run_ruby(code, env: { 'MALLOC_MMAP_THRESHOLD_' => '131072',
                                             'MALLOC_TRIM_THRESHOLD_' => '131072' })
    assert status.success?, err
    assert_equal 'Libcs::OutOfMemoryError -7 libcs_touch_shares', out
  end

  def test_attributes
    e = assert_raises(Libcs::DomainError) do
      Libcs.ltv_contract_batch(annual_revenue: [1, 2, 3], margin: [0.5, 0.5, 7], years: 1)
    end
    assert_equal Libcs::Status::EDOMAIN, e.code
    assert_equal 'libcs_ltv_contract_batch', e.function
    assert_equal 'margin[2]', e.argument
    assert_equal 2, e.index
    assert_nil e.line
    assert_nil e.column
    assert_equal 'libcs_ltv_contract_batch: value outside its domain at index 2 (margin[2] = 7.0)', e.message
    e = assert_raises(Libcs::FormatError) { Libcs::HealthModel.parse("libcs-health 1\nbands 1\n") }
    assert_equal [2, 8], [e.line, e.column]
    assert_nil e.index
  end
end
