# frozen_string_literal: true

# bindings/ruby/test/test_version.rb - the gem and library versions, the list
# of bound functions, and the enumeration constants against libcs.h.
require_relative 'test_helper'

class TestVersion < Minitest::Test
  def test_versions
    assert_equal Libcs::VERSION, Libcs.library_version, 'the gem version is the library release it binds'
    major, minor, patch = Libcs.library_version.split('.').map(&:to_i)
    assert_equal major * 1_000_000 + minor * 1000 + patch, Libcs.library_version_number
    assert_operator Libcs.library_version_number, :>=, Libcs::MIN_LIBRARY_VERSION
    assert_equal 6000, Libcs::MIN_LIBRARY_VERSION, '0.6.0 brought the capped GRR series, the churn tally and the batch forms of the new customer predictions'
    assert_equal ENV['LIBCS_LIBRARY'], Libcs.library_path if ENV['LIBCS_LIBRARY']
    assert_equal 'LIBCS_LIBRARY', Libcs::Native.library_source if ENV['LIBCS_LIBRARY']
  end

  def test_ffi_functions
    assert Libcs::FFI_FUNCTIONS.frozen?
    assert(Libcs::FFI_FUNCTIONS.all?(&:frozen?))
    assert_equal Libcs::FFI_FUNCTIONS.sort, Libcs::FFI_FUNCTIONS
    assert_equal Libcs::FFI_FUNCTIONS.uniq, Libcs::FFI_FUNCTIONS
    Libcs::FFI_FUNCTIONS.each do |name|
      assert_match(/\Alibcs_[a-z0-9_]+\z/, name)
      assert_respond_to Libcs::Native, name
    end
    # every LIBCS_API prototype of the header is bound
    header = File.read(LibcsTest::HEADER).tr("\n", ' ')
    declared = header.scan(/LIBCS_API[^;(]*?\b(libcs_[a-z0-9_]+)\s*\(/).flatten.sort
    assert_equal declared, Libcs::FFI_FUNCTIONS
  end

  # Each Ruby enumeration constant has the value of its C constant.
  def test_enums_match_the_header
    header = File.read(LibcsTest::HEADER)
    c = header.scan(/\b(LIBCS_[A-Z0-9_]+)\s*=\s*(-?\d+)/).to_h { |k, v| [k, Integer(v)] }
    c['LIBCS_NPS_NO_ANSWER'] = Integer(header[/#define LIBCS_NPS_NO_ANSWER (\d+)/, 1])
    modules = {
      Libcs::Status => 'LIBCS_', Libcs::Denominator => 'LIBCS_CHURN_DENOM_',
      Libcs::NpsCategory => 'LIBCS_NPS_', Libcs::Missing => 'LIBCS_HEALTH_MISSING_',
      Libcs::Aggregation => 'LIBCS_HEALTH_', Libcs::Band => 'LIBCS_HEALTH_', Libcs::Event => 'LIBCS_HEALTH_',
      Libcs::Tier => 'LIBCS_TOUCH_', Libcs::Stage => 'LIBCS_STAGE_', Libcs::Rate => 'LIBCS_RATE_'
    }
    checked = 0
    modules.each do |mod, prefix|
      mod.constants.each do |name|
        key = "#{prefix}#{name}"
        assert c.key?(key), "#{mod}::#{name}: no #{key} in libcs.h"
        assert_equal c[key], mod.const_get(name), "#{mod}::#{name} vs #{key}"
        checked += 1
      end
    end
    assert_equal c.size, checked, 'every C enumeration constant has a Ruby constant'
  end

  def test_enumeration_helpers
    assert_equal({ unknown: 0, red: 1, yellow: 2, green: 3 }, Libcs::Band.to_h)
    assert_equal 1, Libcs::Band[:red]
    assert_nil Libcs::Band[:purple]
    assert_equal :at_risk, Libcs::Stage.symbol(3)
    assert_nil Libcs::Stage.symbol(9)
    assert_equal 2, Libcs::Tier.value_of(:high, 'tier')
    assert_equal 7, Libcs::Tier.value_of(7, 'tier'), 'Integers pass for the library to judge'
    e = assert_raises(ArgumentError) { Libcs::Tier.value_of(:top, 'tier') }
    assert_equal 'tier: unknown tier :top (one of :tech, :low, :high)', e.message
    assert_raises(TypeError) { Libcs::Tier.value_of(2.0, 'tier') }
    assert_equal %i[entered_red became_unknown], Libcs::Event.symbols(65)
    assert_equal :quick_ratio, Libcs::Rate.symbol(5)
    assert_equal %i[customer_churn gross_mrr_churn net_mrr_churn nrr grr quick_ratio arpa], Libcs::Rate.to_h.keys
    assert_equal [], Libcs::Event.symbols(0)
  end
end
