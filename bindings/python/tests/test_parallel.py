"""Accumulators and models across processes (multiprocessing with the
'spawn' start method: everything crosses as pickles, through the library's
serialization) and threads (ctypes releases the GIL during calls): NPS and
churn tallies, MRR ledgers and Kaplan-Meier curves built in workers and combined
or read in the parent."""

import array
import multiprocessing
import threading
import unittest

import libcs
from _support import TestCase

SCORES = bytes((i * 7 + i // 3) % 11 for i in range(200_000))


def tally_chunk(chunk):
    return libcs.NpsTally(chunk)


def score_rows(model, rows):
    return list(model.score_batch(rows).scores)


def stages(policy, rows):
    return [policy.stage(*r) for r in rows]


# a customer table of 200,000: customer i active at the start unless
# i % 7 == 0 (then new when i % 2), lost when i % 5 == 0 and in the period
STARTED = bytes(int(i % 7 != 0) for i in range(200_000))
WON = bytes(int(i % 7 == 0 and i % 2 == 1) for i in range(200_000))
LOST = bytes(int(i % 5 == 0 and (STARTED[i] or WON[i])) for i in range(200_000))


def churn_chunk(bounds):
    lo, hi = bounds
    return libcs.ChurnTally(STARTED[lo:hi], WON[lo:hi], LOST[lo:hi])


def bad_chunk(chunk):
    libcs.NpsTally(chunk)


# an MRR export: 4000 customers over 24 months, customer k paying from month
# k % 24 for (k * 7) % 13 + 1 months, with an upgrade after 3 months
RECORDS = [(k * 1000003 - 2**40, m, 1000 + k % 50 + (500 if m - k % 24 >= 3 else 0))
           for k in range(4000) for m in range(k % 24, min(24, k % 24 + (k * 7) % 13 + 1))]


def ledger_of(records, window):
    ledger = libcs.MrrLedger(0, 24, window)
    c, p, v = zip(*records)
    ledger.add(array.array("q", c), array.array("i", p), array.array("q", v))
    return ledger


def ledger_with_duplicate(records):
    ledger = ledger_of(records, None)
    ledger.add([records[3][0]], [records[3][1]], [1])
    ledger.movements()


def fit_curve(durations, events):
    return libcs.KaplanMeier.fit(array.array("i", durations), bytes(events))


class Processes(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pool = multiprocessing.get_context("spawn").Pool(2)

    @classmethod
    def tearDownClass(cls):
        cls.pool.close()
        cls.pool.join()

    def test_tallies_merge_across_workers(self):
        chunks = [SCORES[i:i + 25_000] for i in range(0, len(SCORES), 25_000)]
        parts = self.pool.map(tally_chunk, chunks)
        self.assertEqual(len(parts), 8)
        self.assertTrue(all(isinstance(p, libcs.NpsTally) for p in parts))
        total = sum(parts)
        self.assertEqual(total, libcs.NpsTally(SCORES))
        self.assertEqual(total.result(), libcs.nps_from_scores(SCORES))

    def test_churn_tallies_merge_across_workers(self):
        """Workers count shards of a customer table; their tallies come back
        pickled through libcs_churn_tally_serialize and merge into the
        tally of the whole table."""
        bounds = [(i, i + 25_000) for i in range(0, 200_000, 25_000)]
        parts = self.pool.map(churn_chunk, bounds)
        self.assertEqual(len(parts), 8)
        self.assertTrue(all(isinstance(p, libcs.ChurnTally) for p in parts))
        total = sum(parts)
        whole = libcs.ChurnTally(STARTED, WON, LOST)
        self.assertEqual(total, whole)
        self.assertEqual(total.counts, (sum(STARTED), sum(WON), sum(LOST)))
        for d in libcs.ChurnDenominator:
            self.assertEqual(total.result(d), libcs.churn_customer(*total.counts, d))

    def test_models_travel_to_workers(self):
        model = libcs.HealthModel()
        model.add_linear("usage", 2, 0, 100)
        model.add_yesno("sponsor", 1)
        model.set_bands(40, 80)
        rows = [[10.0, 1], [90.0, 0], [None, 1]]
        got = self.pool.apply(score_rows, (model, rows))
        self.assertEqual(got[:2], list(model.score_batch(rows).scores)[:2])
        policy = libcs.LifecyclePolicy(onboarding_days=10, renewal_days=5, advocate_days=20)
        rows = [(15, 100, libcs.Band.GREEN, libcs.NpsCategory.PROMOTER)]
        self.assertEqual(self.pool.apply(stages, (policy, rows)), stages(policy, rows))

    def test_ledgers_merge_across_workers(self):
        """Partitions by customer, and by month (each with the full shape):
        the workers' ledgers come back pickled through libcs_mrr_serialize
        and merge to the ledger of all the records."""
        whole = ledger_of(RECORDS, 2)
        want = whole.movements()
        by_customer = [RECORDS[i::4] for i in range(4)]
        by_month = [[r for r in RECORDS if r[1] // 6 == q] for q in range(4)]
        for parts in (by_customer, by_month):
            ledgers = self.pool.starmap(ledger_of, [(part, 2) for part in parts])
            self.assertEqual(len(ledgers), 4)
            self.assertTrue(all(isinstance(x, libcs.MrrLedger) for x in ledgers))
            self.assertEqual(sum(len(x) for x in ledgers), len(RECORDS))
            total = sum(ledgers)
            self.assertEqual(total.reactivation_window, 2)
            self.assertEqual(total.movements(), want)
            self.assertEqual(total.cohorts().revenue, whole.cohorts().revenue)
        # and a ledger travels to a worker and back
        self.assertEqual(self.pool.apply(libcs.MrrLedger.movements, (whole,)), want)
        with self.assertRaises(libcs.DuplicateError) as cm:
            self.pool.apply(ledger_with_duplicate, (RECORDS[:100],))
        self.assertEqual((cm.exception.customer, cm.exception.period), RECORDS[3][:2])

    def test_curves_across_workers(self):
        durations = [k % 37 for k in range(5000)]
        events = [int(k % 5 != 0) for k in range(5000)]
        km = self.pool.apply(fit_curve, (durations, events))
        here = fit_curve(durations, events)
        self.assertEqual(list(km.curve.survival), list(here.curve.survival))
        self.assertEqual((km.median(), km.rmst(30), km.integer), (here.median(), here.rmst(30), True))

    def test_errors_come_back(self):
        with self.assertRaises(libcs.DomainError) as cm:
            self.pool.apply(bad_chunk, (bytes([1, 2, 3, 42]),))
        self.assertEqual((cm.exception.argument, cm.exception.index, cm.exception.value),
                         ("scores", 3, 42))


class Threads(TestCase):
    def test_shared_tally(self):
        t = libcs.NpsTally()
        chunk = array.array("B", SCORES)

        def work():
            for _ in range(10):
                t.add_batch(chunk)
                t.add(10)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        want = libcs.NpsTally(SCORES).counts
        self.assertEqual(t.n, 40 * (len(SCORES) + 1))
        self.assertEqual(t.counts[:10], tuple(40 * c for c in want[:10]))

    def test_parallel_batches_match_serial(self):
        churn = array.array("d", [(i % 97 + 1) / 100 for i in range(100_000)])
        want = libcs.ltv_subscription_batch(100.0, 0.8, churn)
        results = [None] * 4

        def work(k):
            results[k] = libcs.ltv_subscription_batch(100.0, 0.8, churn)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertTrue(all(r == want for r in results))


def _dask_available():
    import importlib.util
    return importlib.util.find_spec("distributed") is not None


@unittest.skipUnless(_dask_available(), "dask.distributed is not installed")
class Dask(TestCase):
    def test_tallies_on_a_local_cluster(self):
        from dask.distributed import Client, LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0",
                          worker_dashboard_address="127.0.0.1:0") as cluster, \
                Client(cluster) as client:
            chunks = [SCORES[i:i + 50_000] for i in range(0, len(SCORES), 50_000)]
            parts = client.gather(client.map(libcs.NpsTally, chunks))
            self.assertEqual(sum(parts), libcs.NpsTally(SCORES))


if __name__ == "__main__":
    unittest.main()
