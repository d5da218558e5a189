#!/usr/bin/env python3
"""examples/python/cdnow_clv.py - fit the BG/NBD and Gamma-Gamma models to
the CDNOW sample (Fader, Hardie & Lee 2005) and rank its customers by their
discounted value over the next year (the Python twin of examples/cdnow_clv.c;
it prints the same).  Reads
$LIBCS_DATA/cdnow_customers_summary_with_transactions.csv (default
../shared/data).  Run: python3 examples/python/cdnow_clv.py"""

import os
import sys
from array import array

import libcs


def main() -> int:
    path = os.path.join(os.environ.get("LIBCS_DATA") or "../shared/data",
                        "cdnow_customers_summary_with_transactions.csv")
    try:
        f = open(path)
    except OSError:
        print("%s: cannot open (set LIBCS_DATA to the data folder)" % path, file=sys.stderr)
        return 1
    ids, x, t_x, T, m = [], array("d"), array("d"), array("d"), array("d")
    with f:
        next(f)  # ID,x,t_x,T,zbar
        for line in f:
            fields = line.strip().split(",")
            if len(fields) < 5:
                continue
            ids.append(int(fields[0]))
            for col, v in zip((x, t_x, T, m), fields[1:5]):
                col.append(float(v))
    n = len(ids)

    bg = libcs.BgNbd.fit(x, t_x, T)
    r, alpha, a, b = bg.params
    print("BG/NBD on %d customers (weeks): r %.3f, alpha %.3f, a %.3f, b %.3f, LL %.1f"
          % (n, r, alpha, a, b, bg.result.loglik))
    repeat = [i for i in range(n) if x[i] > 0]  # Gamma-Gamma: the repeat buyers
    gg = libcs.GammaGamma.fit(array("d", (x[i] for i in repeat)),
                              array("d", (m[i] for i in repeat)))
    print("Gamma-Gamma on %d repeat buyers: p %.2f, q %.2f, gamma %.2f"
          % ((len(repeat),) + tuple(gg.params)))

    # value of a purchase: Gamma-Gamma's expectation, which for a customer
    # without repeat purchases (x = 0, zbar 0) is the population mean
    # p gamma / (q - 1)
    value = gg.expected(x, m)
    # a year ahead in 13 four-week steps, 10 % a year: 1.1^(4/52) - 1
    clv = bg.clv(x, t_x, T, value, step=4.0, steps=13, discount=0.0073588)
    print("\n    id   x    t_x      T  P(alive)  value     CLV")
    for i in sorted(range(n), key=lambda i: -clv[i])[:10]:  # the ten most valuable
        print("%6d %3.0f %6.2f %6.2f %9.3f %6.2f %7.2f"
              % (ids[i], x[i], t_x[i], T[i], bg.palive(x[i], t_x[i], T[i]), value[i], clv[i]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
