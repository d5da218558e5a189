"""The documentation runs: README.md's tour and every docstring example."""

import doctest
import os
import re
import unittest

import libcs
import libcs.churn
import libcs.clv
import libcs.health
import libcs.km
import libcs.lifecycle
import libcs.ltv
import libcs.mrr
import libcs.nps
import libcs.revenue
import libcs.survey
import libcs.touch
from _support import PKG_DIR

MODULES = [libcs, libcs.ltv, libcs.churn, libcs.revenue, libcs.nps, libcs.survey,
           libcs.health, libcs.touch, libcs.lifecycle, libcs.mrr, libcs.km, libcs.clv]


class Readme(unittest.TestCase):
    def test_tour(self):
        with open(os.path.join(PKG_DIR, "README.md"), encoding="utf-8") as f:
            text = f.read()
        blocks = re.findall(r"```pycon\n(.*?)```", text, re.S)
        self.assertGreaterEqual(len(blocks), 5)
        parser = doctest.DocTestParser()
        runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.ELLIPSIS)
        globs = {}
        for i, block in enumerate(blocks):
            test = parser.get_doctest(block, globs, "README.md block %d" % (i + 1),
                                      "README.md", 0)
            runner.run(test, out=lambda s: self.fail("README.md tour:\n" + s), clear_globs=False)
            globs = test.globs
        self.assertGreater(runner.tries, 20)


def load_tests(loader, tests, pattern):
    for module in MODULES:
        tests.addTests(doctest.DocTestSuite(module))
    return tests


if __name__ == "__main__":
    unittest.main()
