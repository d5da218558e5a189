"""CSAT (top-box share) and CES (mean answer and agreement share) on 1..m
answer scales.  Answers are uint8: any byte buffer (bytes, array.array('B'),
numpy uint8) is read in place; lists are converted once."""

from __future__ import annotations

import ctypes
from typing import Any, NamedTuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, rule

__all__ = ["csat", "ces", "CesResult"]

C = _ffi.C
E = Status

_ANSWER = rule(E.EDOMAIN, "answers", lambda v: 1 <= v["answers"] <= v["scale_max"],
               "answers are 1 to scale_max")
_SCALE = rule(E.EDOMAIN, "scale_max", lambda v: 2 <= v["scale_max"] <= 255,
              "scales run from 1 to 2..255")
_CSAT = Spec("csat", [Arg("answers", B.UINT8), Arg("scale_max", B.CINT),
                      Arg("top_boxes", B.CINT)],
             [_SCALE, rule(E.EDOMAIN, "top_boxes",
                           lambda v: 1 <= v["top_boxes"] <= v["scale_max"],
                           "must be 1 to scale_max"), _ANSWER],
             {E.EEMPTY: "no answers"})
_CES = Spec("ces", [Arg("answers", B.UINT8), Arg("scale_max", B.CINT),
                    Arg("threshold", B.CINT)],
            [_SCALE, rule(E.EDOMAIN, "threshold",
                          lambda v: 1 <= v["threshold"] <= v["scale_max"],
                          "must be 1 to scale_max"), _ANSWER],
            {E.EEMPTY: "no answers"})


class CesResult(NamedTuple):
    """Customer effort score: the mean answer (points) and the share of
    answers at or above the threshold (a fraction)."""
    mean: float
    share: float


def _survey(spec: Spec, cfn: Any, answers: Any, scale_max: int, third: int,
            outs: int) -> Any:
    fn = spec.name
    sm = B.to_int(scale_max, B.CINT, fn, "scale_max")
    th = B.to_int(third, B.CINT, fn, spec.args[2].name)
    o = [ctypes.c_double() for _ in range(outs)]
    bad = ctypes.c_size_t(SIZE_MAX)
    with B.Pins() as pins:
        item = B.as_input(answers, B.UINT8, fn, "answers", pins)
        rc = cfn(item.n, item.addr, sm, th, *map(ctypes.byref, o), ctypes.byref(bad))
        if rc:
            values = {"scale_max": sm, spec.args[2].name: th}
            index = None
            if bad.value != SIZE_MAX:
                index = bad.value
                values["answers"] = B.read(B.UINT8, item.addr, index)
            raise fail(spec, rc, values, fn, index)
    return [x.value for x in o]


def csat(answers: Any, scale_max: int, top_boxes: int) -> float:
    """CSAT = share of answers in the top ``top_boxes`` boxes of a
    1..``scale_max`` scale (scale_max 2..255, top_boxes 1..scale_max).  The
    usual CSAT is top-2-box on 1 to 5:

    >>> csat([5, 4, 3, 5, 2, 4, 5, 1, 4, 5], scale_max=5, top_boxes=2)
    0.7
    """
    return _survey(_CSAT, C.libcs_csat, answers, scale_max, top_boxes, 1)[0]


def ces(answers: Any, scale_max: int, threshold: int) -> CesResult:
    """CES: the mean answer on a 1..``scale_max`` scale and the share of
    answers >= ``threshold`` (1..scale_max).  On a 1 to 7 agreement scale:

    >>> ces([7, 6, 5, 3, 6, 7, 2, 5, 6, 4], scale_max=7, threshold=5)
    CesResult(mean=5.1, share=0.7)
    """
    return CesResult(*_survey(_CES, C.libcs_ces, answers, scale_max, threshold, 2))
