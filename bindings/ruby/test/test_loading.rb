# frozen_string_literal: true

# bindings/ruby/test/test_loading.rb - how `require 'libcs'` finds the
# library (LIBCS_LIBRARY, then pkg-config, then the system loader) and what
# it refuses: a missing file, a library older than 0.6.0.
require_relative 'test_helper'

class TestLoading < Minitest::Test
  SHOW = 'print Libcs::Native.library_source, " ", Libcs.library_path'

  def lib_dir
    dir = File.dirname(ENV.fetch('LIBCS_LIBRARY'))
    assert File.exist?(File.join(dir, 'libcs.so.0')), "no libcs.so.0 in #{dir}"
    dir
  end

  # An environment without the ways to find the library but the one tested.
  def clean_env(extra = {})
    empty = Dir.mktmpdir
    @dirs << empty
    { 'LIBCS_LIBRARY' => nil, 'PKG_CONFIG_PATH' => empty, 'PKG_CONFIG_LIBDIR' => empty,
      'LD_LIBRARY_PATH' => nil }.merge(extra)
  end

  def setup
    @dirs = []
  end

  def teardown
    @dirs.each { |d| FileUtils.rm_rf(d) }
  end

  def test_explicit_path
    out, err, status = run_ruby("require 'libcs'; #{SHOW}")
    assert status.success?, err
    assert_equal "LIBCS_LIBRARY #{ENV['LIBCS_LIBRARY']}", out
  end

  def test_explicit_path_that_does_not_exist
    _, err, status = run_ruby("require 'libcs'", env: { 'LIBCS_LIBRARY' => '/nonexistent/libcs.so.0' })
    refute status.success?
    assert_match(/cannot load the libcs shared library; tried/, err)
    assert_match(%r{/nonexistent/libcs.so.0 \(LIBCS_LIBRARY\)}, err)
    assert_match(/Set LIBCS_LIBRARY to the path of libcs.so.0/, err)
    # an explicit path is never silently replaced by another libcs
    refute_match(/pkg-config|system loader/, err)
  end

  def test_pkg_config
    _, status = Open3.capture2e('pkg-config', '--version')
    skip 'no pkg-config' unless status.success?
    dir = Dir.mktmpdir
    @dirs << dir
    File.write(File.join(dir, 'libcs.pc'), <<~PC)
      libdir=#{lib_dir}
      Name: libcs
      Description: libcs for a test
      Version: #{Libcs.library_version}
      Libs: -L${libdir} -lcs
    PC
    out, err, status = run_ruby("require 'libcs'; #{SHOW}",
                                env: clean_env('PKG_CONFIG_PATH' => dir, 'PKG_CONFIG_LIBDIR' => dir))
    assert status.success?, err
    assert_equal "pkg-config #{File.join(lib_dir, 'libcs.so.0')}", out
  end

  def test_system_loader
    out, err, status = run_ruby("require 'libcs'; #{SHOW}; print ' ', Libcs.ltv_lifetime(churn: 0.5)",
                                env: clean_env('LD_LIBRARY_PATH' => lib_dir))
    assert status.success?, err
    assert_equal 'system loader libcs.so.0 2.0', out
  end

  def test_nothing_found
    _, err, status = run_ruby("require 'libcs'", env: clean_env('PKG_CONFIG' => '/nonexistent/pkg-config'))
    skip 'a libcs is installed where the system loader finds it' if status.success?

    assert_match(/libcs.so.0 \(system loader\)/, err)
  end

  # A stand-in for libcs 0.5.0, which has none of 0.6.0's functions (the
  # capped GRR series, the churn tally, the batch forms of the new
  # customer's predictions): the binding refuses it by name and version.
  def test_refuses_an_old_library
    cc = LibcsTest.cc
    skip 'no C compiler (set CC)' unless cc
    dir = Dir.mktmpdir
    @dirs << dir
    File.write(File.join(dir, 'old.c'), <<~C)
      int libcs_version_number(void) { return 5000; }
      const char *libcs_version_string(void) { return "0.5.0"; }
    C
    lib = File.join(dir, 'libcs.so.0')
    out, status = Open3.capture2e(cc, '-shared', '-fPIC', File.join(dir, 'old.c'), '-o', lib)
    assert status.success?, out
    _, err, status = run_ruby("require 'libcs'", env: { 'LIBCS_LIBRARY' => lib })
    refute status.success?
    assert_match(/#{Regexp.escape(lib)} \(LIBCS_LIBRARY\) is libcs 0.5.0; the Ruby binding #{Libcs::VERSION} needs libcs 0.6.0 or newer/, err)
    assert_match(/libcs_version_number\(\) >= 6000, this one says 5000/, err)
    assert_match(/LoadError/, err)
  end

  # LIBCS_LIBRARY naming a library that is not libcs (libm, as the Python
  # binding's test does): a LoadError that says so, not FFI::NotFoundError.
  def test_refuses_a_library_that_is_not_libcs
    libm = ['/lib/x86_64-linux-gnu/libm.so.6', '/usr/lib/x86_64-linux-gnu/libm.so.6',
            '/lib64/libm.so.6', '/usr/lib/libm.so.6', '/lib/libm.so.6'].find { |f| File.exist?(f) }
    skip 'no libm.so.6 found' unless libm
    _, err, status = run_ruby("require 'libcs'", env: { 'LIBCS_LIBRARY' => libm })
    refute status.success?
    assert_match(/#{Regexp.escape(libm)} \(LIBCS_LIBRARY\) is not a libcs library \(it has no libcs_version_number\)/, err)
    assert_match(/LoadError/, err)
    refute_match(/NotFoundError/, err)
  end

  # A library of the right version that lacks a function of this binding.
  def test_refuses_a_library_lacking_a_function
    cc = LibcsTest.cc
    skip 'no C compiler (set CC)' unless cc
    dir = Dir.mktmpdir
    @dirs << dir
    File.write(File.join(dir, 'partial.c'), <<~C)
      int libcs_version_number(void) { return 6000; }
      const char *libcs_version_string(void) { return "0.6.0"; }
      const char *libcs_strerror(int code) { (void)code; return "x"; }
    C
    lib = File.join(dir, 'libcs.so.0')
    out, status = Open3.capture2e(cc, '-shared', '-fPIC', File.join(dir, 'partial.c'), '-o', lib)
    assert status.success?, out
    _, err, status = run_ruby("require 'libcs'", env: { 'LIBCS_LIBRARY' => lib })
    refute status.success?
    assert_match(/\(LIBCS_LIBRARY\) lacks libcs_\w+; it is not the libcs #{Regexp.escape(Libcs::VERSION)} this binding/, err)
    refute_match(/NotFoundError/, err)
  end
end
