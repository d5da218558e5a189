# frozen_string_literal: true

# examples/ruby/clv.rb - probabilistic customer lifetime value on built-in
# data: a shop's transaction log summarised into repeat purchases (x, t_x,
# T) and mean values, BG/NBD and Gamma-Gamma models fitted to customers
# simulated from known parameters, and the customers ranked by their
# discounted CLV over the next year.  The Ruby twin of examples/clv.c
# (same data, same output).  Run: ruby -I bindings/ruby/lib examples/ruby/clv.rb
require 'libcs'

# A number to `digits` decimals in a field of `width`, rounded as C's
# printf rounds (see examples/ruby/touch.rb: Ruby 3.1's format rounds some
# values a few ulps above a tie down), so round the exact value first.
def fixed(x, width, digits)
  format("%#{width}.#{digits}f", Rational(x).round(digits, half: :even).to_f)
end

# a shop's log: customer, day (0 = 1 January), dollars; in no order
customer = [101, 102, 101, 104, 103, 101, 106, 102, 102, 103, 101, 103]
day = [0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41]
amount = [20.00, 15.00, 5.00, 50.00, 40.00, 30.00, 22.50, 20.00, 10.00, 25.00, 12.00, 5.00]

# days, in weeks; calibration days 0..27, holdout days 28..55
s = Libcs.clv_summarize(customer: customer, time: day, amount: amount, period: 1, time_scale: 7,
                        calibration_end: 27, holdout_end: 55)
puts 'customer  x  t_x      T     mean  holdout  value'
s.size.times do |i|
  r = s.row(i)
  puts format('%8d ', r[:id]) + [fixed(r[:x], 2, 0), fixed(r[:t_x], 4, 2), fixed(r[:T], 6, 4),
                                 fixed(r[:mean_value], 8, 2), fixed(r[:holdout_x], 8, 0),
                                 fixed(r[:holdout_value], 6, 2)].join(' ')
end
rows = Libcs.clv_compress(x: s.x, t_x: s.t_x, T: s.T)
rows.size.times do |i|
  puts "(#{fixed(rows.x[i], 0, 0)}, #{fixed(rows.t_x[i], 0, 2)}, #{fixed(rows.T[i], 0, 4)}) " \
       "x #{fixed(rows.weights[i], 0, 0)}"
end

# 5,000 customers drawn from the BG/NBD estimates of Fader, Hardie & Lee
# (2005) on CDNOW, observed for 26 to 39 weeks, and fitted again
truth = Libcs::BgNbd.new(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
sample = truth.simulate(T: Array.new(5000) { |i| 26 + i % 14 }, seed: 2026)
bg = Libcs::BgNbd.fit(**sample.to_h)
puts "\nBG/NBD on #{sample.size} simulated customers (#{sample.x.sum.to_i} repeat purchases):"
bg.params.each_pair do |name, v|
  puts format('  %-5s = ', name) + "#{fixed(v, 6, 3)} (se #{fixed(bg.se[name], 0, 3)}; " \
                                   "true #{fixed(truth.params[name], 0, 3)})"
end
puts "  log-likelihood #{fixed(bg.loglik, 0, 2)}, #{bg.iterations} iterations"

# their spend: 2,000 repeat buyers, Gamma-Gamma with p = 6, q = 4, gamma =
# 15 (the example of libcs_gg_fit(3))
x = Array.new(2000) { |i| 1 + i % 4 }
gg = Libcs::GammaGamma.fit(x: x, mean_value: Libcs::GammaGamma.simulate(p: 6, q: 4, gamma: 15, x: x, seed: 2026))
puts "Gamma-Gamma: #{%i[p q gamma].map { |k| "#{k} = #{fixed(gg.params[k], 0, 2)} (#{fixed(gg.se[k], 0, 2)})" }
                                  .join(', ')}"
puts "  mean transaction value $#{fixed(gg.population_mean, 0, 2)}"

# a year ahead in 13 four-week steps, at 10 % a year
people = { 'loyal' => [12, 37.5, 39, 45.0], 'lapsed' => [12, 10, 39, 60.0], 'new' => [0, 0, 2, nil],
           'one-off' => [1, 3, 39, 20.0], 'steady' => [5, 30, 39, 30.0] }
names = people.keys
x, t_x, big_t, means = people.values.transpose
# x = 0 ("new"): the population mean p gamma / (q - 1), mean value ignored
value = gg.expected(x: x, mean_value: means.map { |v| v || 0.0 })
alive = bg.palive(x: x, t_x: t_x, T: big_t)
clv = bg.clv(x: x, t_x: t_x, T: big_t, value: value, step: 4, steps: 13, discount: 1.1**(4 / 52.0) - 1)
puts "\ncustomer  x   t_x   T  P(alive)  value   CLV"
names.each_index.sort_by { |i| -clv[i] }.each do |i|
  puts format('%-8s ', names[i]) + [fixed(x[i], 2, 0), fixed(t_x[i], 5, 1), fixed(big_t[i], 3, 0),
                                    fixed(alive[i], 8, 3), fixed(value[i], 6, 2), fixed(clv[i], 6, 2)].join(' ')
end

begin
  Libcs::GammaGamma.new(p: 2, q: 0.9, gamma: 10).expected(x: 1, mean_value: 10.0)
rescue Libcs::UndefinedResultError => e
  puts "\nq = 0.9: #{Libcs.strerror(e.code)}"
end
