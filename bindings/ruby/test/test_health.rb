# frozen_string_literal: true

# bindings/ruby/test/test_health.rb - health models: the scorecard of
# examples/health.c with its numbers worked by hand, building, the text form
# and its errors (line, column), scoring with nil/NaN/true/false and Hashes,
# explanations, band changes, handle ownership, and every error path.
require_relative 'test_helper'

class TestHealth < Minitest::Test
  SCORECARD = <<~TEXT
    libcs-health 1
    # minimum coverage: half of the weight must be measured
    missing drop 0.5
    measure "Weekly active users %" 35 linear 10 60
    measure "Open P1 tickets" 20 tiers 100 1 60 3 0
    measure "Days since last login" 25 linear 30 2
    measure "Executive sponsor" 10 yesno 100 0
    measure "NPS answer" 10 tiers 0 7 60 9 100
  TEXT
  NAMES = ['Weekly active users %', 'Open P1 tickets', 'Days since last login', 'Executive sponsor',
           'NPS answer'].freeze
  ROWS = [
    [55, 0, 1, 1, 10],        # Acme
    [30, 2, 9, 1, 8],         # Globex
    [12, 4, 25, 0, 3],        # Initech
    [nil, nil, nil, 1, nil],  # Umbrella: 10 % measured, below 50 %
    [48, 1, 4, 0, nil]        # Hooli: no NPS answer, dropped
  ].freeze
  # By hand (weight shares .35 .2 .25 .1 .1):
  # Acme: 90 x .35 + 100 x .2 + 100 (clamped) x .25 + 100 x .1 + 100 x .1
  # Globex: 40 x .35 + 60 x .2 + (9 - 30) / (2 - 30) x 100 x .25 + 100 x .1 + 60 x .1
  # Initech: 4 x .35 + 0 + 500 / 28 x .25 + 0 + 0
  # Hooli: (76 x .35 + 60 x .2 + 2600 / 28 x .25) / .9
  SCORES = [96.5, 14 + 12 + 2100.0 / 28 * 0.25 + 10 + 6, 1.4 + 500.0 / 28 * 0.25, Float::NAN,
            (26.6 + 12 + 2600.0 / 28 * 0.25) / 0.9].freeze
  BANDS = [Libcs::Band::GREEN, Libcs::Band::YELLOW, Libcs::Band::RED, Libcs::Band::UNKNOWN,
           Libcs::Band::YELLOW].freeze
  COVERAGE = [1.0, 1.0, 1.0, 0.1, 0.9].freeze

  def model
    @model ||= Libcs::HealthModel.parse(SCORECARD)
  end

  def test_scorecard
    assert_equal 5, model.measures
    assert_equal 5, model.size
    assert_equal NAMES, model.measure_names
    assert_equal 'Open P1 tickets', model.measure_name(1)
    assert_close [0.35, 0.2, 0.25, 0.1, 0.1], model.weights
    assert_close 0.25, model.weight(2)
    got = model.score_batch(ROWS)
    assert_instance_of Libcs::HealthScores, got
    assert_close SCORES, got.scores, 1e-12
    assert_equal BANDS, got.bands
    assert_close COVERAGE, got.coverage
    assert_equal 5, got.size
    ROWS.each_with_index do |row, i|
      one = model.score(row)
      assert_instance_of Libcs::HealthScore, one
      assert_equal [got.scores[i], got.bands[i], got.coverage[i]].map(&:to_s), one.to_a.map(&:to_s)
      assert_equal got[i].to_a.map(&:to_s), one.to_a.map(&:to_s)
    end
    assert model.score(ROWS[3]).unknown?
    assert model.score(ROWS[3]).score.nan?
    assert_equal :green, model.score(ROWS[0]).band_symbol
    # NaN is missing, as nil is
    assert_equal model.score(ROWS[4]).to_a, model.score([48, 1, 4, 0, Float::NAN]).to_a
    # true and false for the yes/no measure
    assert_equal model.score(ROWS[0]).to_a, model.score([55, 0, 1, true, 10]).to_a
    assert_equal model.score(ROWS[2]).to_a, model.score([12, 4, 25, false, 3]).to_a
  end

  def test_hash_rows
    acme = { 'Weekly active users %' => 55, 'Open P1 tickets' => 0, 'Days since last login' => 1,
             'Executive sponsor' => true, 'NPS answer' => 10 }
    assert_equal model.score(ROWS[0]).to_a, model.score(acme).to_a
    # a name left out is missing
    hooli = { 'Weekly active users %' => 48, 'Open P1 tickets' => 1, 'Days since last login' => 4,
              'Executive sponsor' => 0 }
    assert_equal model.score(ROWS[4]).to_a, model.score(hooli).to_a
    assert_equal [model.score(ROWS[0]).score], model.score_batch([acme]).scores
    e = assert_raises(ArgumentError) { model.score('Logins' => 5) }
    assert_match(/no measure named "Logins"/, e.message)
  end

  def test_explain
    why = model.explain(ROWS[2])
    assert_instance_of Libcs::HealthExplanation, why
    assert_equal NAMES, why.names
    assert_close [4.0, 0.0, 500.0 / 28, 0.0, 0.0], why.points
    assert_close [1.4, 0.0, 500.0 / 28 * 0.25, 0.0, 0.0], why.contributions
    assert_close why.score, why.contributions.sum
    assert_equal Libcs::Band::RED, why.band
    assert_close 1.4, why.contributions_by_name['Weekly active users %']
    hooli = model.explain(ROWS[4])
    assert hooli.points[4].nan?, 'a dropped measure has no points'
    assert hooli.contributions[4].nan?
    assert_close hooli.score, hooli.contributions[0, 4].sum
    unknown = model.explain(ROWS[3])
    assert unknown.score.nan?
    assert(unknown.contributions.all?(&:nan?))
  end

  def test_changes
    last_week = [88.0, 70.0, 52.0, 40.0, 77.0]
    now = model.score_batch(ROWS).scores
    c = model.changes(previous: last_week, current: now)
    assert_instance_of Libcs::HealthChanges, c
    assert_equal 3, c.changed
    ev = Libcs::Event
    assert_equal [0, 0, ev::ENTERED_RED | ev::LEFT_YELLOW, ev::BECAME_UNKNOWN | ev::LEFT_RED,
                  ev::ENTERED_YELLOW | ev::LEFT_GREEN], c.events
    assert_equal %i[entered_red left_yellow], c.events_of(2)
    assert_close [now[0] - 88, now[1] - 70, now[2] - 52, Float::NAN, now[4] - 77], c.deltas
    # nil is an unknown score, as NaN is
    back = model.changes(previous: [nil, 60], current: [80, nil])
    assert_equal [ev::BECAME_KNOWN | ev::ENTERED_GREEN, ev::LEFT_YELLOW | ev::BECAME_UNKNOWN], back.events
    assert(back.deltas.all?(&:nan?))
  end

  def test_band
    assert_equal Libcs::Band::RED, model.band(0)
    assert_equal Libcs::Band::RED, model.band(50)
    assert_equal Libcs::Band::YELLOW, model.band(50.5)
    assert_equal Libcs::Band::YELLOW, model.band(75)
    assert_equal Libcs::Band::GREEN, model.band(100)
    assert_equal Libcs::Band::UNKNOWN, model.band(nil)
    assert_equal Libcs::Band::UNKNOWN, model.band(Float::NAN)
    assert_libcs_error(Libcs::DomainError, function: :libcs_health_band, argument: 'score') { model.band(100.5) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'score') { model.band(-Float::INFINITY) }
    assert_raises(TypeError) { model.band('red') }
  end

  # The same scorecard built through the API equals the parsed one.
  def test_build_equals_parse
    built = Libcs::HealthModel.new
                              .set_missing(policy: :drop, min_coverage: 0.5)
                              .add_linear(name: 'Weekly active users %', weight: 35, bad: 10, good: 60)
                              .add_tiers(name: 'Open P1 tickets', weight: 20, breaks: [1, 3], points: [100, 60, 0])
                              .add_linear(name: 'Days since last login', weight: 25, bad: 30, good: 2)
                              .add_yesno(name: 'Executive sponsor', weight: 10, yes_points: 100, no_points: 0)
                              .add_tiers(name: 'NPS answer', weight: 10, breaks: [7, 9], points: [0, 60, 100])
    assert_equal model, built
    assert_equal model.to_text, built.to_s
    assert_equal built.format, built.to_text
    assert_equal Libcs::HealthModel.parse(built.to_text), built
    assert_match(/\Alibcs-health 1\naggregation weighted-mean\nmissing drop 0.5\nbands 50 75\n/, built.to_text)
    assert_match(/#<Libcs::HealthModel "Weekly active users %", "Open P1 tickets", /, built.inspect)
    # a one-tier measure has no breaks
    built.add_tiers(name: 'Constant', weight: 1, breaks: [], points: [42])
    assert_equal 6, built.measures
  end

  def test_settings
    m = Libcs::HealthModel.new
    m.add_linear(name: 'a', weight: 1, bad: 0, good: 100)
    m.add_linear(name: 'b', weight: 3, bad: 0, good: 100)
    assert_close 70.0, m.score([10, 90]).score
    m.set_aggregation(:worst_of)
    assert_equal 10.0, m.score([10, 90]).score
    m.set_aggregation(Libcs::Aggregation::WEIGHTED_MEAN)
    assert_equal 90.0, m.score([nil, 90]).score
    m.set_missing(policy: :worst)
    assert_close 67.5, m.score([nil, 90]).score
    m.set_missing(policy: Libcs::Missing::DROP, min_coverage: 0.8)
    assert m.score([nil, 90]).unknown?
    assert_close 0.75, m.score([nil, 90]).coverage
    m.set_bands(red_max: 20, yellow_max: 30)
    assert_equal Libcs::Band::YELLOW, m.band(25)
    assert_match(/aggregation weighted-mean\nmissing drop 0.8\nbands 20 30\n/, m.to_text)
  end

  def test_unicode_and_quoted_names
    Libcs::HealthModel.new do |m|
      m.add_linear(name: 'Zufriedenheit "Ø"', weight: 1, bad: 0, good: 10)
      m.add_yesno(name: :sponsor, weight: 1, yes_points: 100, no_points: 0)
      assert_equal ['Zufriedenheit "Ø"', 'sponsor'], m.measure_names
      assert_equal Encoding::UTF_8, m.measure_name(0).encoding
      assert_includes m.to_text, 'measure "Zufriedenheit \"Ø\"" 1 linear 0 10'
      assert_equal m, Libcs::HealthModel.parse(m.to_text)
      # names in other encodings are kept as UTF-8
      m.add_linear(name: 'Café'.encode(Encoding::ISO_8859_1), weight: 1, bad: 0, good: 1)
      assert_equal 'Café', m.measure_name(2)
      latin1 = "libcs-health 1\nmeasure \"Café\" 1 linear 0 1\n".encode(Encoding::ISO_8859_1)
      assert_equal ['Café'], Libcs::HealthModel.parse(latin1).measure_names
    end
  end

  def test_parse_errors_have_line_and_column
    e = assert_libcs_error(Libcs::FormatError, function: :libcs_health_model_parse, argument: 'text') do
      Libcs::HealthModel.parse("libcs-health 1\nmeasure \"a\" 1 linear 0\n")
    end
    assert_equal [2, 23], [e.line, e.column]
    assert_match(/at line 2, column 23:\n  measure "a" 1 linear 0\n {24}\^/, e.message)
    e = assert_libcs_error(Libcs::FormatError) { Libcs::HealthModel.parse('') }
    assert_equal [1, 1], [e.line, e.column]
    e = assert_libcs_error(Libcs::FormatError) { Libcs::HealthModel.parse("libcs-health 2\n") }
    assert_equal [1, 14], [e.line, e.column]
    e = assert_libcs_error(Libcs::FormatError) do
      Libcs::HealthModel.parse("libcs-health 1\n\n# comment\nbands 40 60\nweights 1\n")
    end
    assert_equal [5, 1], [e.line, e.column]
    # a bad value is its own error class, still with its place
    e = assert_libcs_error(Libcs::DomainError) do
      Libcs::HealthModel.parse("libcs-health 1\r\nmeasure \"a\" -1 linear 0 1\r\n")
    end
    assert_equal [2, 13], [e.line, e.column]
    e = assert_libcs_error(Libcs::DomainError) do
      Libcs::HealthModel.parse("libcs-health 1\nmeasure \"a\" 1 linear 0 1\nmeasure \"a\" 1 linear 0 1\n")
    end
    assert_equal [3, 9], [e.line, e.column]
    e = assert_libcs_error(Libcs::NonFiniteError) do
      Libcs::HealthModel.parse("libcs-health 1\nbands 50 inf\n")
    end
    assert_equal [2, 10], [e.line, e.column]
    e = assert_libcs_error(Libcs::FormatError) do
      Libcs::HealthModel.parse("libcs-health 1\nmeasure \"a\0b\" 1 linear 0 1\n")
    end
    assert_equal [2, 11], [e.line, e.column]
    e = assert_libcs_error(Libcs::FormatError) do
      Libcs::HealthModel.parse("libcs-health 1\nmeasure \"Ü\" 1 lineal 0 1\n")
    end
    assert_equal [2, 16], [e.line, e.column], 'columns count bytes'
    assert_match(/\n  measure "Ü" 1 lineal 0 1\n {16}\^/, e.message)
    assert_raises(TypeError) { Libcs::HealthModel.parse(nil) }
    assert_raises(TypeError) { Libcs::HealthModel.parse(SCORECARD.lines) }
  end

  def test_add_errors
    m = Libcs::HealthModel.new
    m.add_linear(name: 'a', weight: 1, bad: 0, good: 1)
    f = :libcs_health_model_add_linear
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'name', message: /empty/) do
      m.add_linear(name: '', weight: 1, bad: 0, good: 1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'name', message: /already a measure/) do
      m.add_linear(name: 'a', weight: 1, bad: 0, good: 1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'name', message: /control character/) do
      m.add_linear(name: "a\tb", weight: 1, bad: 0, good: 1)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'name', message: /256 bytes/) do
      m.add_linear(name: 'x' * 256, weight: 1, bad: 0, good: 1)
    end
    assert_raises(ArgumentError) { m.add_linear(name: "a\0b", weight: 1, bad: 0, good: 1) }
    assert_raises(TypeError) { m.add_linear(name: 5, weight: 1, bad: 0, good: 1) }
    assert_raises(TypeError) { m.add_linear(name: 'b', weight: '1', bad: 0, good: 1) }
    assert_raises(ArgumentError) { m.add_linear(name: 'b', weight: 1, bad: 0) }
    assert_libcs_error(Libcs::DomainError, argument: 'weight') { m.add_linear(name: 'b', weight: 0, bad: 0, good: 1) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'weight') do
      m.add_linear(name: 'b', weight: Float::NAN, bad: 0, good: 1)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'good') do
      m.add_linear(name: 'b', weight: 1, bad: 0, good: Float::INFINITY)
    end
    assert_libcs_error(Libcs::DomainError, argument: nil, message: /bad = 3.0, good = 3.0: the two must differ/) do
      m.add_linear(name: 'b', weight: 1, bad: 3, good: 3)
    end
    assert_libcs_error(Libcs::OverflowError, argument: 'weight') do
      m.add_linear(name: 'b', weight: Float::MAX, bad: 0, good: 1)
      m.add_linear(name: 'c', weight: Float::MAX, bad: 0, good: 1)
    end
    f = :libcs_health_model_add_tiers
    e = assert_raises(ArgumentError) { m.add_tiers(name: 't', weight: 1, breaks: [1, 2], points: [0, 100]) }
    assert_match(/2 points need 1 breaks, got 2/, e.message)
    assert_libcs_error(Libcs::EmptyInputError, function: f, argument: 'points') do
      m.add_tiers(name: 't', weight: 1, breaks: [], points: [])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'breaks[1]') do
      m.add_tiers(name: 't', weight: 1, breaks: [5, 5], points: [0, 50, 100])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'points[2]') do
      m.add_tiers(name: 't', weight: 1, breaks: [5, 6], points: [0, 50, 101])
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'breaks[0]') do
      m.add_tiers(name: 't', weight: 1, breaks: [Float::NAN], points: [0, 100])
    end
    assert_libcs_error(Libcs::DomainError, argument: 'points', message: /65 tiers, at most 64/) do
      m.add_tiers(name: 't', weight: 1, breaks: (1..64).to_a, points: [50] * 65)
    end
    assert_raises(TypeError) { m.add_tiers(name: 't', weight: 1, breaks: 5, points: [0, 100]) }
    assert_raises(TypeError) { m.add_tiers(name: 't', weight: 1, breaks: [5], points: [0, nil]) }
    f = :libcs_health_model_add_yesno
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'yes_points') do
      m.add_yesno(name: 'y', weight: 1, yes_points: 120, no_points: 0)
    end
    assert_libcs_error(Libcs::DomainError, argument: nil, message: /must differ/) do
      m.add_yesno(name: 'y', weight: 1, yes_points: 50, no_points: 50)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'no_points') do
      m.add_yesno(name: 'y', weight: 1, yes_points: 50, no_points: Float::NAN)
    end
    assert_equal ['a', 'b'], m.measure_names, 'failed adds add nothing'
  end

  def test_setting_errors
    m = Libcs::HealthModel.new
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_health_model_set_missing,
                                                    argument: 'policy') { m.set_missing(policy: 7) }
    assert_raises(ArgumentError) { m.set_missing(policy: :sometimes) }
    assert_raises(ArgumentError) { m.set_missing(min_coverage: 0.5) }
    assert_libcs_error(Libcs::DomainError, argument: 'min_coverage') do
      m.set_missing(policy: :drop, min_coverage: 1.5)
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'min_coverage') do
      m.set_missing(policy: :drop, min_coverage: Float::NAN)
    end
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_health_model_set_aggregation,
                                                    argument: 'aggregation') { m.set_aggregation(2) }
    assert_raises(ArgumentError) { m.set_aggregation(:median) }
    assert_raises(TypeError) { m.set_aggregation(nil) }
    assert_libcs_error(Libcs::DomainError, function: :libcs_health_model_set_bands, argument: nil,
                                           message: /red_max = 80.0 must be below yellow_max = 60.0/) do
      m.set_bands(red_max: 80, yellow_max: 60)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'yellow_max') { m.set_bands(red_max: 80, yellow_max: 160) }
    assert_libcs_error(Libcs::NonFiniteError, argument: 'red_max') do
      m.set_bands(red_max: Float::NAN, yellow_max: 60)
    end
    assert_match(/bands 50 75/, m.to_text, 'failed settings change nothing')
    assert_libcs_error(Libcs::DomainError, function: :libcs_health_model_measure_name, argument: 'i') do
      m.measure_name(0)
    end
    assert_libcs_error(Libcs::DomainError, argument: 'i') { m.measure_name(-1) }
    assert_libcs_error(Libcs::DomainError, function: :libcs_health_model_weight, argument: 'i') { m.weight(3) }
    assert_raises(TypeError) { m.weight('0') }
  end

  def test_scoring_errors
    e = assert_raises(ArgumentError) { model.score([1, 2, 3]) }
    assert_match(/values has 3 values but the model has 5 measures/, e.message)
    assert_raises(TypeError) { model.score(5) }
    e = assert_raises(TypeError) { model.score([1, 2, '3', 4, 5]) }
    assert_match(/values\[2\] must be Numeric, nil, true or false/, e.message)
    e = assert_libcs_error(Libcs::NonFiniteError, function: :libcs_health_score, argument: 'values[1]',
                                                  index: 1) do
      model.score([1, Float::INFINITY, 3, 1, 5])
    end
    assert_match(/measure "Open P1 tickets"/, e.message)
    assert_libcs_error(Libcs::DomainError, argument: 'values[3]', index: 3,
                                           message: /a yes\/no measure takes 0 or 1/) do
      model.score([1, 2, 3, 0.5, 5])
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_health_explain, argument: 'values[3]') do
      model.explain([1, 2, 3, 2, 5])
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_health_score_batch, argument: 'rows[2][0]',
                                              index: 2, message: /measure "Weekly active users %"/) do
      model.score_batch([ROWS[0], ROWS[1], [-Float::INFINITY, 1, 1, 1, 1]])
    end
    e = assert_raises(ArgumentError) { model.score_batch([ROWS[0], [1]]) }
    assert_match(/rows\[1\] has 1 values/, e.message)
    assert_raises(TypeError) { model.score_batch(ROWS[0]) }
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_health_score_batch, argument: 'rows') do
      model.score_batch([])
    end
    empty = Libcs::HealthModel.new
    assert_libcs_error(Libcs::EmptyInputError, function: :libcs_health_score, message: /no measures/) do
      empty.score([])
    end
    assert_libcs_error(Libcs::EmptyInputError, message: /no measures/) { empty.explain([]) }
    assert_libcs_error(Libcs::EmptyInputError, message: /no measures/) { empty.score_batch([[]]) }
    assert_equal 0, empty.measures
    assert_equal [], empty.measure_names
  end

  def test_changes_errors
    f = :libcs_health_changes
    assert_libcs_error(Libcs::DomainError, function: f, argument: 'current[1]', index: 1) do
      model.changes(previous: [50, 60], current: [50, 101])
    end
    assert_libcs_error(Libcs::NonFiniteError, argument: 'previous[0]', index: 0) do
      model.changes(previous: [Float::INFINITY], current: [50])
    end
    assert_libcs_error(Libcs::EmptyInputError, function: f) { model.changes(previous: [], current: []) }
    assert_raises(ArgumentError) { model.changes(previous: [1, 2], current: [1]) }
    assert_raises(TypeError) { model.changes(previous: [1, :x], current: [1, 2]) }
    assert_raises(ArgumentError) { model.changes(previous: [1]) }
  end

  def test_ownership
    m = Libcs::HealthModel.new
    m.add_linear(name: 'a', weight: 1, bad: 0, good: 10)
    refute m.freed?
    assert_nil m.free
    assert m.freed?
    assert_nil m.free, 'freeing twice is harmless'
    e = assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_health_score, argument: 'self') do
      m.score([1])
    end
    assert_match(/was freed/, e.message)
    assert_raises(Libcs::InvalidArgumentError) { m.add_linear(name: 'b', weight: 1, bad: 0, good: 1) }
    assert_raises(Libcs::InvalidArgumentError) { m.to_text }
    assert_raises(Libcs::InvalidArgumentError) { m.dup }
    assert_equal '#<Libcs::HealthModel (freed)>', m.inspect
    refute_equal m, model

    # the block form returns the block's value and frees the model
    kept = nil
    value = Libcs::HealthModel.new do |hm|
      kept = hm
      hm.add_linear(name: 'a', weight: 1, bad: 0, good: 10).score([5]).score
    end
    assert_equal 50.0, value
    assert kept.freed?
    assert_raises(Libcs::InvalidArgumentError) { kept.score([5]) }
    # also when the block raises
    assert_raises(RuntimeError) { Libcs::HealthModel.parse(SCORECARD) { |hm| kept = hm; raise 'boom' } }
    assert kept.freed?
    assert_equal 5, Libcs::HealthModel.parse(SCORECARD, &:measures)
  end

  def test_copies_are_independent
    original = Libcs::HealthModel.parse(SCORECARD)
    copy = original.dup
    clone = original.clone
    original.free
    assert_equal model, copy
    assert_equal model.score(ROWS[0]).to_a, clone.score(ROWS[0]).to_a
    copy.add_linear(name: 'extra', weight: 1, bad: 0, good: 1)
    assert_equal 6, copy.measures
    assert_equal 5, clone.measures
    restored = Marshal.load(Marshal.dump(model))
    assert_instance_of Libcs::HealthModel, restored
    assert_equal model, restored
  end
end
