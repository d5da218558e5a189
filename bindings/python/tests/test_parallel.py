"""Accumulators and models across processes (multiprocessing with the
'spawn' start method: everything crosses as pickles, through the library's
serialization) and threads (ctypes releases the GIL during calls)."""

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


def bad_chunk(chunk):
    libcs.NpsTally(chunk)


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
