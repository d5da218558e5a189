# frozen_string_literal: true

# examples/ruby/churn.rb - a quarter of customer and revenue churn for a
# SaaS business, on built-in data; the Ruby twin of examples/churn.c (same
# data, same output).  Run: ruby -I bindings/ruby/lib examples/ruby/churn.rb
require 'libcs'

# Customers at the start of July, August, September; new; churned.
start = [100, 98, 103]
added = [8, 12, 6]
lost = [10, 7, 5]
months = %w[Jul Aug Sep]
denominators = { 'start' => :start, 'start+new' => :start_plus_new, 'average' => :average }

rates = denominators.values.map do |d|
  Libcs.churn_customer_batch(at_start: start, new_customers: added, churned: lost, denominator: d)
end
printf("customer churn by denominator\n      %10s %10s %10s\n", *denominators.keys)
months.each_with_index do |m, i|
  printf("%s   %9.2f%% %9.2f%% %9.2f%%\n", m, *rates.map { |r| 100 * r[i] })
end

annual = Libcs.churn_convert(churn: rates[0][0], periods: 12.0)
monthly = Libcs.churn_convert(churn: annual, periods: 1.0 / 12.0)
printf("July's %.2f%% a month is %.2f%% a year (and back: %.2f%%)\n",
       100 * rates[0][0], 100 * annual, 100 * monthly)

# July again, counted where the customers are: EMEA's 60 customers active on
# 1 July (every tenth lost) and 5 won, from per-customer flags; the
# Americas' 40 at the start, 3 new and 4 lost arrive as a serialized tally
# (Marshal travels the same way) and are merged.
emea = Libcs::ChurnTally.new.add_batch(active_at_start: Array.new(65) { |i| i < 60 ? 1 : 0 },
                                       is_new: Array.new(65) { |i| i >= 60 ? 1 : 0 },
                                       churned: Array.new(65) { |i| i < 60 && (i % 10).zero? ? 1 : 0 })
sent = Libcs::ChurnTally.from_counts(at_start: 40, new_customers: 3, churned: 4).to_bytes
emea.merge!(Libcs::ChurnTally.from_bytes(sent))
printf("July from two regions' tallies (%d bytes each): %d at start, %d new, %d lost, %.2f%%\n",
       sent.bytesize, emea.at_start, emea.new_customers, emea.churned, 100 * emea.result(denominator: :start))

# MRR movements for July in cents.
july = { mrr_start: 1_000_000, churned: 40_000, contraction: 15_000 }
gained = { expansion: 45_000, reactivation: 5_000 }
gross = Libcs.revenue_churn_gross(**july)
net = Libcs.revenue_churn_net(**july, **gained)
nrr = Libcs.revenue_nrr(**july, **gained)
grr = Libcs.revenue_grr(**july)
quick = Libcs.revenue_quick_ratio(new_mrr: 80_000, **gained, churned: 40_000, contraction: 15_000)
printf("July MRR 10,000.00: gross revenue churn %.2f%%, net %.2f%%\n", 100 * gross, 100 * net)
printf("NRR %.2f%%, GRR %.2f%%, quick ratio %.2f\n", 100 * nrr, 100 * grr, quick)
