# frozen_string_literal: true

# examples/ruby/cdnow_clv.rb - fit the BG/NBD and Gamma-Gamma models to the
# CDNOW sample (Fader, Hardie & Lee 2005) and rank its customers by their
# discounted value over the next year; the Ruby twin of examples/cdnow_clv.c
# (same data, same output).  Reads
# $LIBCS_DATA/cdnow_customers_summary_with_transactions.csv (default
# ../shared/data).  Run: ruby -I bindings/ruby/lib examples/ruby/cdnow_clv.rb
require 'libcs'

# A number to `digits` decimals in a field of `width`, rounded as C's
# printf rounds (see examples/ruby/touch.rb: Ruby 3.1's format rounds some
# values a few ulps above a tie down), so round the exact value first.
def fixed(x, width, digits)
  format("%#{width}.#{digits}f", Rational(x).round(digits, half: :even).to_f)
end

dir = ENV['LIBCS_DATA'].to_s.empty? ? '../shared/data' : ENV['LIBCS_DATA']
path = File.join(dir, 'cdnow_customers_summary_with_transactions.csv')
unless File.readable?(path)
  warn "#{path}: cannot open (set LIBCS_DATA to the data folder)"
  exit 1
end
ids = []
x = []
t_x = []
big_t = []
m = []
File.foreach(path).drop(1).each do |line| # ID,x,t_x,T,zbar
  fields = line.strip.split(',')
  next if fields.size < 5

  ids << Integer(fields[0], 10)
  [x, t_x, big_t, m].zip(fields[1, 4]) { |col, v| col << Float(v) }
end
n = ids.size

bg = Libcs::BgNbd.fit(x: x, t_x: t_x, T: big_t)
puts "BG/NBD on #{n} customers (weeks): " +
     %i[r alpha a b].map { |k| "#{k} #{fixed(bg.params[k], 0, 3)}" }.join(', ') +
     ", LL #{fixed(bg.loglik, 0, 1)}"
repeat = (0...n).select { |i| x[i].positive? } # Gamma-Gamma: the repeat buyers
gg = Libcs::GammaGamma.fit(x: repeat.map { |i| x[i] }, mean_value: repeat.map { |i| m[i] })
puts "Gamma-Gamma on #{repeat.size} repeat buyers: " +
     %i[p q gamma].map { |k| "#{k} #{fixed(gg.params[k], 0, 2)}" }.join(', ')

# value of a purchase: Gamma-Gamma's expectation, which for a customer
# without repeat purchases (x = 0, zbar 0) is the population mean
# p gamma / (q - 1)
value = gg.expected(x: x, mean_value: m)
# a year ahead in 13 four-week steps, 10 % a year: 1.1^(4/52) - 1
clv = bg.clv(x: x, t_x: t_x, T: big_t, value: value, step: 4.0, steps: 13, discount: 0.0073588)
puts "\n    id   x    t_x      T  P(alive)  value     CLV"
(0...n).sort_by { |i| [-clv[i], i] }.first(10).each do |i| # the ten most valuable
  alive = bg.palive(x: x[i], t_x: t_x[i], T: big_t[i])
  puts format('%6d ', ids[i]) + [fixed(x[i], 3, 0), fixed(t_x[i], 6, 2), fixed(big_t[i], 6, 2),
                                 fixed(alive, 9, 3), fixed(value[i], 6, 2), fixed(clv[i], 7, 2)].join(' ')
end
