#!/usr/bin/env python3
"""examples/python/clv.py - probabilistic customer lifetime value on
built-in data: a shop's transaction log summarised into repeat purchases
(x, t_x, T) and mean values, BG/NBD and Gamma-Gamma models fitted to
customers simulated from known parameters, and the customers ranked by
their discounted CLV over the next year (the Python twin of
examples/clv.c; it prints the same).  Run: python3 examples/python/clv.py"""

from array import array

import libcs


def main() -> None:
    # a shop's log: customer, day (0 = 1 January), dollars; in no order
    customer = array("q", [101, 102, 101, 104, 103, 101, 106, 102, 102, 103, 101, 103])
    day = array("d", [0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41])
    amount = array("d", [20.00, 15.00, 5.00, 50.00, 40.00, 30.00,
                         22.50, 20.00, 10.00, 25.00, 12.00, 5.00])

    # days, in weeks; calibration days 0..27, holdout days 28..55
    s = libcs.clv_summarize(customer, day, amount, period=1, time_scale=7,
                            calibration_end=27, holdout_end=55)
    print("customer  x  t_x      T     mean  holdout  value")
    for row in zip(*s):
        print("%8d %2.0f %4.2f %6.4f %8.2f %8.0f %6.2f" % row)
    rows = libcs.clv_compress(s.x, s.t_x, s.T)
    for x, t_x, T, w in zip(*rows):
        print("(%.0f, %.2f, %.4f) x %.0f" % (x, t_x, T, w))

    # 5,000 customers drawn from the BG/NBD estimates of Fader, Hardie &
    # Lee (2005) on CDNOW, observed for 26 to 39 weeks, and fitted again
    truth = libcs.BgNbd((0.243, 4.414, 0.793, 2.426))
    T = array("d", [26 + i % 14 for i in range(5000)])
    sample = truth.simulate(T, seed=2026)
    bg = libcs.BgNbd.fit(*sample)
    print("\nBG/NBD on %d simulated customers (%d repeat purchases):"
          % (len(sample.x), sum(sample.x)))
    for name, v, se, t in zip(bg.params._fields, bg.params, bg.result.se, truth.params):
        print("  %-5s = %6.3f (se %.3f; true %.3f)" % (name, v, se, t))
    print("  log-likelihood %.2f, %d iterations" % (bg.result.loglik, bg.result.iterations))

    # their spend: 2,000 repeat buyers, Gamma-Gamma with p = 6, q = 4,
    # gamma = 15 (the example of libcs_gg_fit(3))
    spend = libcs.GammaGamma((6, 4, 15)).simulate([1 + i % 4 for i in range(2000)], seed=2026)
    gg = libcs.GammaGamma.fit(*spend)
    print("Gamma-Gamma: p = %.2f (%.2f), q = %.2f (%.2f), gamma = %.2f (%.2f)"
          % (gg.params.p, gg.result.se.p, gg.params.q, gg.result.se.q,
             gg.params.gamma, gg.result.se.gamma))
    print("  mean transaction value $%.2f" % gg.population_mean)

    # a year ahead in 13 four-week steps, at 10 % a year
    people = {"loyal": (12, 37.5, 39), "lapsed": (12, 10, 39), "new": (0, 0, 2),
              "one-off": (1, 3, 39), "steady": (5, 30, 39)}
    means = {"loyal": 45.0, "lapsed": 60.0, "new": None, "one-off": 20.0, "steady": 30.0}
    names = list(people)
    x, t_x, T = (array("d", c) for c in zip(*people.values()))
    # x = 0 ("new"): the population mean p gamma / (q - 1), mean value ignored
    value = gg.expected(x, [means[n] or 0.0 for n in names])
    alive = bg.palive(x, t_x, T)
    clv = bg.clv(x, t_x, T, value, step=4, steps=13, discount=1.1 ** (4 / 52) - 1)
    print("\ncustomer  x   t_x   T  P(alive)  value   CLV")
    for i in sorted(range(len(names)), key=clv.__getitem__, reverse=True):
        print("%-8s %2.0f %5.1f %3.0f %8.3f %6.2f %6.2f"
              % (names[i], x[i], t_x[i], T[i], alive[i], value[i], clv[i]))

    try:
        libcs.GammaGamma((2, 0.9, 10)).expected(1, 10.0)
    except libcs.UndefinedResultError as e:
        print("\nq = 0.9: %s" % e.message)


if __name__ == "__main__":
    main()
