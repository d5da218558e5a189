# frozen_string_literal: true

# bindings/ruby/test/test_readme.rb - README.md stays true: its Ruby blocks,
# run in order in one process, print what its text blocks show.
require_relative 'test_helper'

class TestReadme < Minitest::Test
  README = File.join(LibcsTest::RUBY_DIR, 'README.md')

  def blocks(lang)
    File.read(README).scan(/^```#{lang}\n(.*?)^```$/m).flatten
  end

  def test_tour_prints_what_it_shows
    code = blocks('ruby')
    assert_operator code.size, :>=, 5
    out, err, status = run_ruby(code.join("\n"))
    assert status.success?, err
    assert_equal blocks('text').join, out
  end
end
