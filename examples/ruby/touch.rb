# frozen_string_literal: true

# examples/ruby/touch.rb - split a customer base into high-, low- and
# tech-touch service three ways (ACV thresholds, shares, CSM capacity) on
# built-in synthetic data.  The Ruby twin of examples/touch.c (same data,
# same output).  Run: ruby -I bindings/ruby/lib examples/ruby/touch.rb
require 'libcs'

# A percentage to one decimal, rounded as C's printf rounds: Ruby 3.1's
# format('%.1f') rounds some values a few ulps above a tie down (1.45 +
# 2 ulps gives "1.4"), so round the exact value first.
def pct(share)
  format('%5.1f', Rational(100 * share).round(1, half: :even).to_f)
end

def show(policy, summary)
  puts policy
  [[Libcs::Tier::HIGH, 'high'], [Libcs::Tier::LOW, 'low'], [Libcs::Tier::TECH, 'tech']].each do |t, name|
    printf("  %-4s touch: %5d customers (%s%%), ACV %12.0f (%s%% of value)\n",
           name, summary.customers[t], pct(summary.customer_share[t]), summary.value[t],
           pct(summary.value_share[t]))
  end
end

# a Pareto ACV distribution (alpha 1.3, from 2,000): most accounts small, a
# few large; the generator is examples/touch.c's, in 64-bit arithmetic
n = 2000
mask = 2**64 - 1
state = 42
acv = []
risk_weighted = []
n.times do
  state = (state * 6_364_136_223_846_793_005 + 1_442_695_040_888_963_407) & mask
  u = ((state >> 11) + 1.0) / 9_007_199_254_740_993.0
  acv << 2000.0 * u**(-1.0 / 1.3)
  risk = 0.2 + 0.8 * ((state >> 7) % 100) / 100.0
  risk_weighted << acv.last * risk
end

s = Libcs.touch_thresholds(value: acv, high_min: 50_000, low_min: 10_000).summary
show('ACV >= 50,000 high, >= 10,000 low:', s)
s = Libcs.touch_shares(value: acv, high_share: 0.04, low_share: 0.16).summary
show('top 4 % high, next 16 % low:', s)
# 3 CSMs with 25 accounts each, a pooled team for 300 more, filled by ACV x
# risk so that large accounts at risk come first
s = Libcs.touch_capacity(value: acv, priority: risk_weighted, csms: 3, accounts_per_csm: 25,
                         low_capacity: 300).summary
show('3 CSMs x 25 accounts high, 300 pooled low, by ACV x risk:', s)
