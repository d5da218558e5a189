# frozen_string_literal: true

# examples/ruby/ltv.rb - lifetime value of a small SaaS plan, every way libcs
# computes it, on built-in data; the Ruby twin of examples/ltv.c (same data,
# same output).  Run: ruby -I bindings/ruby/lib examples/ruby/ltv.rb
require 'libcs'

# A plan at 100.00 a month, 80 % gross margin, 5 % monthly churn, customers
# acquired for 450.00 and retained for 20.00 each.
arpu = 100.0
margin = 0.8
churn = 0.05
cac = 450.0

lifetime = Libcs.ltv_lifetime(churn: churn)
printf("expected lifetime          %10.2f months (1 / %.2f)\n", lifetime, churn)
ltv = Libcs.ltv_subscription(arpu: arpu, margin: margin, churn: churn)
printf("subscription LTV           %10.2f (ARPU x margin / churn)\n", ltv)
v = Libcs.ltv_discounted(arpu: arpu, margin: margin, retention: 1.0 - churn, discount: 0.01)
printf("discounted LTV, 1 %%/month  %10.2f\n", v)
horizon = Libcs.ltv_discounted_horizon(arpu: arpu, margin: margin, retention: 1.0 - churn,
                                       discount: 0.01, periods: 36)
printf("  of which first 36 months %10.2f\n", horizon)
v = Libcs.ltv_net(arpu: arpu, margin: margin, frequency: 1.0, duration: lifetime,
                  acquisition_cost: cac, retention_cost: 20.0)
printf("LTV net of CAC and costs   %10.2f\n", v)
printf("LTV : CAC                  %10.2f\n", Libcs.ltv_cac_ratio(ltv: ltv, cac: cac))
printf("CAC payback                %10.2f months\n",
       Libcs.ltv_cac_payback(cac: cac, arpu: arpu, margin: margin))
printf("3-year contract LTV        %10.2f (12,000 a year)\n",
       Libcs.ltv_contract(annual_revenue: 12_000.0, margin: margin, years: 3.0))

# Repeat-purchase shop: the batch form over three customer segments.
segments = Libcs.ltv_repeat_batch(avg_order_value: [35.0, 60.0, 120.0],
                                  purchases_per_period: [4.0, 2.5, 1.2],
                                  lifetime_periods: [3.0, 2.0, 5.0])
segments.each.with_index(1) do |seg, i|
  printf("segment %d repeat LTV       %10.2f\n", i, seg)
end

# Bad input raises an exception, never returns a NaN: churn 0 would divide
# by zero.
begin
  Libcs.ltv_subscription(arpu: arpu, margin: margin, churn: 0.0)
  exit 1
rescue Libcs::UndefinedResultError => e
  puts "churn 0 -> #{Libcs.strerror(e.code)}"
end
