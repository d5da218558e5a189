# frozen_string_literal: true

# bindings/ruby/test/test_gem.rb - `gem build` accepts the gemspec (the .gem
# goes to a temporary directory, never into the tree), the gem holds the
# library files, and an installed copy loads and works.
require_relative 'test_helper'
require 'rubygems/package'

class TestGem < Minitest::Test
  def gem_command
    [RbConfig.ruby, '-S', 'gem']
  end

  def test_tree_is_clean_and_scripts_run
    %w[run-tests.sh].each do |script|
      assert File.executable?(File.join(LibcsTest::RUBY_DIR, script)), "#{script} is executable"
    end
    assert_empty Dir[File.join(LibcsTest::RUBY_DIR, '**', '*.gem')], 'no built gem in the tree'
  end

  def test_build_and_install
    Dir.mktmpdir do |dir|
      gem = File.join(dir, "libcs-#{Libcs::VERSION}.gem")
      before = Dir.children(LibcsTest::RUBY_DIR).sort
      out, status = Open3.capture2e(*gem_command, 'build', '-C', LibcsTest::RUBY_DIR, 'libcs.gemspec',
                                    '--output', gem)
      assert status.success?, out
      assert_match(/Successfully built RubyGem/, out)
      assert File.file?(gem)
      assert_equal before, Dir.children(LibcsTest::RUBY_DIR).sort, 'gem build left nothing in the tree'

      spec = Gem::Package.new(gem).spec
      assert_equal 'libcs', spec.name
      assert_equal Libcs::VERSION, spec.version.to_s
      lib_files = Dir.chdir(LibcsTest::RUBY_DIR) { Dir['lib/**/*.rb'] }
      assert_equal (lib_files + ['README.md', 'libcs.gemspec']).sort, spec.files.sort
      assert_equal ['ffi'], spec.runtime_dependencies.map(&:name)

      home = File.join(dir, 'home')
      env = { 'GEM_HOME' => home, 'GEM_PATH' => ([home] + Gem.path).join(File::PATH_SEPARATOR) }
      out, status = Open3.capture2e(env, *gem_command, 'install', '--local', '--no-document', gem, chdir: dir)
      assert status.success?, out
      out, status = Open3.capture2e(env, RbConfig.ruby, '-e',
                                    "require 'libcs'; print $LOADED_FEATURES.grep(/libcs\\.rb\\z/).first, ' ', " \
                                    'Libcs.ltv_subscription(arpu: 100, margin: 0.8, churn: 0.05)', chdir: dir)
      assert status.success?, out
      assert_equal "#{home}/gems/libcs-#{Libcs::VERSION}/lib/libcs.rb 1600.0", out
    end
  end
end
