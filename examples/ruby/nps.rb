# frozen_string_literal: true

# examples/ruby/nps.rb - NPS of a survey answered in two regions, tallied
# separately, merged, serialized and reported with confidence intervals;
# plus CSAT and CES.  The Ruby twin of examples/nps.c (same data, same
# output).  Run: ruby -I bindings/ruby/lib examples/ruby/nps.rb
require 'libcs'

emea = [10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9]
amer = [9, 10, 7, 7, 8, 2, 10, 9, 6, 9, 10, 8]

a = Libcs::NpsTally.new(emea)
b = Libcs::NpsTally.new(amer)

# Ship region B's tally as bytes (as a worker would) and merge it.
c = Libcs::NpsTally.from_bytes(b.to_bytes)
a.merge!(c)

r = a.result(level: 0.95)
printf("%d answers: %d promoters, %d passives, %d detractors\n",
       r.n, r.promoters, r.passives, r.detractors)
printf("NPS %.1f (se %.1f)\n", r.nps, r.se)
printf("95%% Wald interval          %6.1f to %5.1f\n", r.wald_low, r.wald_high)
printf("95%% adjusted Wald interval %6.1f to %5.1f\n", r.adjusted_low, r.adjusted_high)

# The reference check: 1000 answers, 250 promoters, 75 detractors.
r = Libcs.nps_from_counts(promoters: 250, passives: 675, detractors: 75, level: 0.95)
printf("1000/250/75: NPS %.1f, 95%% interval %.1f to %.1f\n", r.nps, r.wald_low, r.wald_high)

share = Libcs.csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 4], scale_max: 5, top_boxes: 2)
printf("CSAT (top 2 of 5) %.0f%%\n", 100 * share)
ces = Libcs.ces([6, 7, 5, 4, 6, 3, 7, 5], scale_max: 7, threshold: 5)
printf("CES mean %.2f of 7, %.0f%% at 5 or more\n", ces.mean, 100 * ces.share)

# A score off the scale is reported with its position.
begin
  Libcs.nps_from_scores([9, 10, 11, 7], level: 0.95)
  exit 1
rescue Libcs::DomainError => e
  printf("scores {9, 10, 11, 7}: %s at index %d\n", Libcs.strerror(e.code), e.index)
  exit(e.index == 2 ? 0 : 1)
end
