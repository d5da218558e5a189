# frozen_string_literal: true

# examples/ruby/health.rb - score customer health with a Gainsight-style
# scorecard, explain one score, report band changes since last week and
# place each customer in a lifecycle stage, on built-in data.  The Ruby twin
# of examples/health.c (same data, same output).
# Run: ruby -I bindings/ruby/lib examples/ruby/health.rb
require 'libcs'

# The scorecard, in libcs's text form (libcs_health_model_format(3)).
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

STAGE_NAMES = ['adoption', 'onboarding', 'renewal', 'at risk', 'expansion', 'advocate'].freeze

customers = %w[Acme Globex Initech Umbrella Hooli]
# one row per customer; nil = not measured
values = [
  [55, 0, 1, 1, 10],        # Acme
  [30, 2, 9, 1, 8],         # Globex
  [12, 4, 25, 0, 3],        # Initech
  [nil, nil, nil, 1, nil],  # Umbrella: too little measured
  [48, 1, 4, 0, nil]        # Hooli: no NPS answer
]
last_week = [88.0, 70.0, 52.0, 40.0, 77.0]

Libcs::HealthModel.parse(SCORECARD) do |model|
  now = model.score_batch(values)
  changes = model.changes(previous: last_week, current: now.scores)
  printf("%-9s %6s  %-7s %8s  %s\n", 'customer', 'score', 'band', 'coverage', 'since last week')
  customers.each_with_index do |name, i|
    printf('%-9s ', name)
    if now.bands[i] == Libcs::Band::UNKNOWN
      printf('%6s  ', '-')
    else
      printf('%6.1f  ', now.scores[i])
    end
    printf('%-7s %7.0f%%  ', Libcs::Band.symbol(now.bands[i]), 100 * now.coverage[i])
    events = changes.events[i]
    print 'ENTERED RED ' if events & Libcs::Event::ENTERED_RED != 0
    print 'left red ' if events & Libcs::Event::LEFT_RED != 0
    print 'no longer measurable ' if events & Libcs::Event::BECAME_UNKNOWN != 0
    printf('(%+.1f)', changes.deltas[i]) unless changes.deltas[i].nan?
    puts
  end
  printf("%d customers changed band\n\n", changes.changed)

  # What drives Initech's score?
  why = model.explain(values[2])
  printf("Initech %.1f (%s):\n", why.score, Libcs::Band.symbol(why.band))
  why.names.each_with_index do |name, j|
    printf("  %-24s weight %3.0f%%  points %5.1f  contributes %5.1f\n",
           name, 100 * model.weight(j), why.points[j], why.contributions[j])
  end

  # Lifecycle stages with the default windows (90/90/365 days).
  nps = values.map { |row| row[4] && Libcs.nps_category(row[4]) } # nil: no answer
  stages = Libcs::LifecyclePolicy.new do |policy|
    policy.stage_batch(days_since_start: [700, 400, 200, 30, 500],
                       days_to_renewal: [200, 60, 300, 335, 150],
                       bands: now.bands, nps_categories: nps)
  end
  print "\nlifecycle:"
  customers.zip(stages).each { |name, s| print " #{name}=#{STAGE_NAMES[s]}" }
  puts
end
