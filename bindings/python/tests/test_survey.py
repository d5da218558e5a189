"""CSAT and CES."""

import array
import unittest

import libcs
from _support import TestCase, numpy, requires_numpy

CSAT = [5, 4, 3, 5, 2, 4, 5, 1, 4, 5]
CES = [7, 6, 5, 3, 6, 7, 2, 5, 6, 4]


class Survey(TestCase):
    def test_worked_examples(self):
        """libcs(7): top-2-box CSAT 70 %; CES 5.1 with 70 % agreeing."""
        for make in (list, bytes, lambda x: array.array("B", x)):
            self.assertEqual(libcs.csat(make(CSAT), scale_max=5, top_boxes=2), 0.7)
            r = libcs.ces(make(CES), scale_max=7, threshold=5)
            self.assertIsInstance(r, libcs.CesResult)
            self.assertEqual(r, (5.1, 0.7))
            self.assertEqual((r.mean, r.share), (5.1, 0.7))
        self.assertEqual(libcs.csat([5, 4, 4, 3, 5, 2, 4, 5, 1, 4], 5, 2), 0.7)  # examples/nps.c
        self.assertEqual(libcs.csat([255, 1], 255, 1), 0.5)

    def test_errors(self):
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1, 2, 6], 5, 2,
                              argument="answers", index=2)
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1, 0], 5, 2,
                              argument="answers", index=1)
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1, 2], 5, 6, argument="top_boxes")
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1, 2], 5, 0, argument="top_boxes")
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1], 1, 1, argument="scale_max")
        self.assertLibcsError(libcs.DomainError, libcs.csat, [1], 256, 1, argument="scale_max")
        self.assertLibcsError(libcs.EmptyInputError, libcs.csat, [], 5, 2)
        self.assertLibcsError(libcs.DomainError, libcs.ces, [1, 8], 7, 5,
                              argument="answers", index=1)
        self.assertLibcsError(libcs.DomainError, libcs.ces, [1, 2], 7, 8, argument="threshold")
        self.assertLibcsError(libcs.EmptyInputError, libcs.ces, b"", 7, 5)
        self.assertLibcsError(libcs.DomainError, libcs.ces, [1, 2], 2**31, 5, argument="scale_max")
        with self.assertRaises(TypeError):
            libcs.csat([1, 2], 5.0, 2)
        with self.assertRaises(TypeError):
            libcs.csat(array.array("i", [1, 2]), 5, 2)

    @requires_numpy
    def test_numpy(self):
        a = numpy.array(CSAT, dtype=numpy.uint8)
        self.assertEqual(libcs.csat(a, 5, 2), 0.7)
        self.assertEqual(libcs.ces(numpy.array(CES, dtype=numpy.uint8), 7, 5), (5.1, 0.7))
        with self.assertRaises(TypeError):
            libcs.csat(numpy.array(CSAT), 5, 2)


if __name__ == "__main__":
    unittest.main()
