# frozen_string_literal: true

# examples/ruby/retention.rb - a Kaplan-Meier retention curve of subscription
# lifetimes in months, its median and restricted mean, an LTV from the
# curve, and the time to first value of new accounts, on built-in data.  The
# Ruby twin of examples/retention.c (same data, same output).
# Run: ruby -I bindings/ruby/lib examples/ruby/retention.rb
require 'libcs'

# A number to `digits` decimals in a field of `width`, rounded as C's
# printf rounds (see examples/ruby/touch.rb: Ruby 3.1's format rounds some
# values a few ulps above a tie down), so round the exact value first.
def fixed(x, width, digits)
  format("%#{width}.#{digits}f", Rational(x).round(digits, half: :even).to_f)
end

# months subscribed; churned = 1, still active = 0 (censored).  Whole
# months: fitted by libcs_km_fit_int.
months = [1, 2, 2, 3, 3, 3, 5, 6, 6, 8, 9, 11, 12, 12, 14, 15, 18, 20, 24, 24]
churned = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]

Libcs::KaplanMeier.fit(durations: months, events: churned, level: 0.95) do |km|
  c = km.curve
  puts 'month  at risk  churned  retained  95% interval'
  c.size.times do |i|
    next unless c.n_event[i].positive?

    puts "#{fixed(c.time[i], 5, 0)}  #{fixed(c.n_risk[i], 7, 0)}  #{fixed(c.n_event[i], 7, 0)}  " \
         "#{fixed(100 * c.survival[i], 7, 1)}%  #{fixed(100 * c.lower[i], 5, 1)}% - " \
         "#{fixed(100 * c.upper[i], 5, 1)}%"
  end

  begin
    puts "median lifetime: #{fixed(km.median, 0, 1)} months"
  rescue Libcs::UndefinedResultError => e # never below 50 %: report it, don't invent a number
    puts "median lifetime: not reached (#{Libcs.strerror(e.code)})"
  end
  rmst = km.rmst(tau: 24.0)
  ltv = km.ltv(margin_per_period: 80.0, tau: 24.0)
  puts "mean months retained in the first 24: #{fixed(rmst, 0, 2)}"
  puts "24-month LTV at 80.00 margin a month: #{fixed(ltv, 0, 2)}"
end

# time to value: days to the first report shared; accounts that have not
# shared one yet are censored at their age (real-valued days: libcs_km_fit)
days = [3.0, 5.0, 5.0, 7.0, 8.0, 12.0, 14.0, 14.0, 20.0, 30.0, 30.0, 45.0]
reached = [1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0]
Libcs::KaplanMeier.fit(durations: days, events: reached) do |km|
  print "\ntime to value:"
  [0.25, 0.5, 0.75].each do |p|
    print " #{fixed(100 * p, 0, 0)}% by day #{fixed(km.quantile(p), 0, 1)};"
  rescue Libcs::UndefinedResultError
    print " #{fixed(100 * p, 0, 0)}% not reached;"
  end
  puts
end
