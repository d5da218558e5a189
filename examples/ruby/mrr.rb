# frozen_string_literal: true

# examples/ruby/mrr.rb - MRR movements, per-period rates and revenue cohorts
# from a billing system's monthly MRR records, on built-in data.  The Ruby
# twin of examples/mrr.c (same data, same output).
# Run: ruby -I bindings/ruby/lib examples/ruby/mrr.rb
require 'libcs'

MONTHS = 6

# A number to `digits` decimals in a field of `width`, rounded as C's
# printf rounds (see examples/ruby/touch.rb: Ruby 3.1's format rounds some
# values a few ulps above a tie down), so round the exact value first.
def fixed(x, width, digits)
  format("%#{width}.#{digits}f", Rational(x).round(digits, half: :even).to_f)
end

# cents as currency units
def money(cents, width)
  fixed(cents / 100.0, width, 2)
end

# (customer, month 0..5, MRR in cents), in no particular order, as a billing
# export would give them; absent months are 0
customer = [101, 101, 101, 101, 101, 101, # steady, upgrades in month 3
            102, 102, 102,                # churns after month 2
            103, 103, 103, 103, 103,      # joins in month 1, downgrades
            104, 104, 104,                # leaves for a month, comes back
            105, 105]                     # joins in month 4
month = [0, 1, 2, 3, 4, 5,
         0, 1, 2,
         1, 2, 3, 4, 5,
         0, 1, 3,
         4, 5]
mrr = [9900, 9900, 9900, 14_900, 14_900, 14_900,
       4900, 4900, 4900,
       29_900, 29_900, 19_900, 19_900, 19_900,
       9900, 9900, 12_900,
       4900, 4900]

Libcs::MrrLedger.new(first_period: 0, n_periods: MONTHS) do |ledger|
  # records may arrive in chunks: add them in two
  ledger.add(customers: customer[0, 9], periods: month[0, 9], mrr: mrr[0, 9])
  ledger.add(customers: customer[9..], periods: month[9..], mrr: mrr[9..])
  rows = ledger.movements
  rates = ledger.rates(denominator: :start)

  puts 'month    start      new   expans.  contr.  churned  react.      end  cust  NRR'
  rows.zip(rates).each do |r, rate|
    printf('%5d %s %s %s %s %s %s %s %5d', r.period, money(r.mrr_start, 8), money(r.new_mrr, 8),
           money(r.expansion, 8), money(r.contraction, 7), money(r.churned, 8),
           money(r.reactivation, 7), money(r.mrr_end, 8), r.customers_end)
    if rate.ok?(:nrr)
      puts " #{fixed(100 * rate.nrr, 5, 1)}%"
    else
      puts '     -' # no MRR at start: undefined
    end
  end

  # revenue retained by cohort (first paying month)
  cohorts = ledger.cohorts
  puts
  puts 'revenue retained by cohort (% of the first month):'
  cohorts.revenue.each_with_index do |row, c|
    next if row[0] <= 0 # nobody started that month

    shares = cohorts.revenue_share[c].first(MONTHS - c)
    puts "cohort #{c}:#{shares.map { |s| " #{fixed(100 * s, 6, 1)}" }.join}"
  end
end
