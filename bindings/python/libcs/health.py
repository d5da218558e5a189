"""Customer health scores: :class:`HealthModel`, a weighted scorecard of
measures (linear, tiered and yes/no rules) with a missing-value policy, an
aggregation and colour bands; scoring one customer or n at once,
explanations, band-change events, and the model's text form.

Missing values are NaN, or None in lists and dicts.  A customer whose
measured weight is below the model's minimum coverage gets the unknown band
and a NaN score.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Mapping
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, fraction, rule
from ._handle import Handle, Reading
from .enums import Band
from .errors import BufferTooSmallError, Error, error_class

__all__ = ["HealthModel", "HealthScore", "HealthScores", "Explanation",
           "MeasureExplanation", "HealthChanges"]

C = _ffi.C
E = Status
NAME_MAX = 255  # bytes of a measure's name (LIBCS_HEALTH_NAME_MAX)
TIERS_MAX = 64  # LIBCS_HEALTH_TIERS_MAX

Values = Any  #: one customer: a sequence, a {name: value} mapping or a float64 buffer


class HealthScore(NamedTuple):
    """One customer's score (0..100, NaN when unknown), band and coverage
    (the measured share of the weight)."""
    score: float
    band: Band
    coverage: float


class HealthScores(NamedTuple):
    """n customers' scores (float64), bands (C int; Band values) and
    coverage (float64, or None when not asked for); numpy arrays when the
    input was numpy, else array.array."""
    scores: Any
    bands: Any
    coverage: Any


class MeasureExplanation(NamedTuple):
    """One measure's part in a score: its weight share, its points (NaN
    when missing and dropped) and its contribution to the score."""
    name: str
    weight: float
    points: float
    contribution: float


class Explanation(NamedTuple):
    """What drives a score: the score, its band, and each measure's part
    (the contributions sum to the score)."""
    score: float
    band: Band
    measures: Tuple[MeasureExplanation, ...]


class HealthChanges(NamedTuple):
    """Change since last period: deltas (score - previous, NaN when either
    is unknown), events (HealthEvent flags as C ints) and how many customers
    changed band."""
    deltas: Any
    events: Any
    changed: int


def _encode_name(name: Any, fn: str) -> bytes:
    if not isinstance(name, str):
        raise TypeError("%s: name must be a str, not %s" % (fn, type(name).__name__))
    raw = name.encode("utf-8", "surrogateescape")
    if b"\0" in raw:
        raise error_class(E.EDOMAIN)(E.EDOMAIN, fn, "name", value=name,
                                     detail="names may not contain NUL characters")
    return raw


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _line_of(raw: bytes, line: int) -> Optional[str]:
    """'in <line>' for an error message: line `line` (1-based) of `raw`,
    found without copying the text (which may be huge)."""
    start = 0
    for _ in range(line - 1):
        start = raw.find(b"\n", start) + 1
        if start == 0:
            return None
    end = raw.find(b"\n", start, start + 200)
    text = raw[start:end if end >= 0 else start + 200].rstrip(b"\r")
    shown = _decode(text)
    return "in %r" % (shown if len(shown) <= 80 else shown[:77] + "...")


def _name_rules() -> List[Any]:
    return [
        rule(E.EDOMAIN, "name", lambda v: 0 < len(v["_raw"]) <= NAME_MAX,
             "names are 1 to %d bytes of UTF-8" % NAME_MAX),
        rule(E.EDOMAIN, "name", lambda v: not any(c < 0x20 or c == 0x7F for c in v["_raw"]),
             "names may not contain control characters"),
        rule(E.EDOMAIN, "name", lambda v: v["name"] not in v["_names"],
             "the model already has a measure of this name"),
        rule(E.EDOMAIN, "weight", lambda v: v["weight"] > 0, "must be > 0"),
    ]


_POINTS = "points are 0 to 100"
_D = B.DOUBLE
_LINEAR = Spec("HealthModel.add_linear", [Arg("weight", _D), Arg("bad", _D), Arg("good", _D)],
               _name_rules() + [
                   rule(E.EDOMAIN, "good", lambda v: v["good"] != v["bad"],
                        "bad and good must differ"),
                   rule(E.EDOMAIN, "good",
                        lambda v: 0 < abs(100.0 / (v["good"] - v["bad"])) < math.inf,
                        "bad and good are too close or too far apart")],
               {E.EOVERFLOW: "the total weight overflows a double"})
_YESNO = Spec("HealthModel.add_yesno",
              [Arg("weight", _D), Arg("yes_points", _D), Arg("no_points", _D)],
              _name_rules() + [
                  rule(E.EDOMAIN, "yes_points", lambda v: 0 <= v["yes_points"] <= 100, _POINTS),
                  rule(E.EDOMAIN, "no_points", lambda v: 0 <= v["no_points"] <= 100, _POINTS),
                  rule(E.EDOMAIN, "no_points", lambda v: v["yes_points"] != v["no_points"],
                       "yes and no points must differ")],
              {E.EOVERFLOW: "the total weight overflows a double"})
_TIERS = Spec("HealthModel.add_tiers", [Arg("weight", _D)],
              [rule(E.EDOMAIN, "points", lambda v: v["n"] <= TIERS_MAX,
                    "at most %d tiers" % TIERS_MAX)] + _name_rules(),
              {E.EOVERFLOW: "the total weight overflows a double",
               E.EEMPTY: "a tiered measure needs at least one tier"})
_MISSING = Spec("HealthModel.set_missing", [Arg("policy", B.CINT), Arg("min_coverage", _D)],
                [rule(E.EINVAL, "policy", lambda v: v["policy"] in (0, 1),
                      "must be HealthMissing.DROP or WORST"), fraction("min_coverage")])
_AGGREGATION = Spec("HealthModel.set_aggregation", [Arg("aggregation", B.CINT)],
                    [rule(E.EINVAL, "aggregation", lambda v: v["aggregation"] in (0, 1),
                          "must be HealthAggregation.WEIGHTED_MEAN or WORST_OF")])
_BANDS = Spec("HealthModel.set_bands", [Arg("red_max", _D), Arg("yellow_max", _D)],
              [rule(E.EDOMAIN, "red_max", lambda v: 0 <= v["red_max"] <= 100, _POINTS),
               rule(E.EDOMAIN, "yellow_max", lambda v: 0 <= v["yellow_max"] <= 100, _POINTS),
               rule(E.EDOMAIN, "yellow_max", lambda v: v["red_max"] < v["yellow_max"],
                    "must be > red_max")])
_INDEX = rule(E.EDOMAIN, "i", lambda v: v["i"] < v["k"], "no such measure")
_BAND = Spec("HealthModel.band", [Arg("score", _D)],
             [rule(E.EDOMAIN, "score", lambda v: 0 <= v["score"] <= 100,
                   "scores are 0 to 100, or NaN/None for unknown")])


def _health_model_from_text(text: str) -> "HealthModel":
    return HealthModel.parse(text)


class HealthModel(Handle):
    """A health scorecard (the C library's libcs_health_model handle).

    Build one with :meth:`add_linear`, :meth:`add_tiers`, :meth:`add_yesno`
    and the setters, or read its text form with :meth:`parse`; score with
    :meth:`score` (one customer) or :meth:`score_batch` (n customers, one C
    call).  Defaults: missing values dropped (weights renormalised), minimum
    coverage 0, weighted mean, bands red <= 50 < yellow <= 75 < green.

    The model is freed by :meth:`close`, at the end of a ``with`` block, or
    when garbage collected; it pickles and copies through its text form.

    >>> with HealthModel() as m:
    ...     m.add_linear("Logins per week", weight=30, bad=0, good=10)
    ...     m.add_yesno("Executive sponsor", weight=10)
    ...     m.score([5, 1])
    HealthScore(score=62.5, band=<Band.YELLOW: 2>, coverage=1.0)
    """

    __slots__ = ()

    def __init__(self) -> None:
        self._adopt(self._new(C.libcs_health_model_new, "HealthModel"),
                    C.libcs_health_model_free)

    # ---- text form ----------------------------------------------------------

    @classmethod
    def parse(cls, text: Union[str, bytes]) -> "HealthModel":
        """A model from its text form (see :meth:`format`).  A mistake raises
        the library's error (usually :class:`FormatError`) with ``.line``
        and ``.column`` (1-based; the column counts bytes of UTF-8)."""
        fn = "HealthModel.parse"
        if isinstance(text, str):
            raw = text.encode("utf-8", "surrogateescape")
        elif isinstance(text, (bytes, bytearray, memoryview)):
            raw = bytes(text)
        else:
            raise TypeError("%s: text must be str or bytes, not %s" % (fn, type(text).__name__))
        ptr = ctypes.c_void_p()
        line, col = ctypes.c_size_t(0), ctypes.c_size_t(0)
        rc = C.libcs_health_model_parse(raw, len(raw), ctypes.byref(ptr),
                                        ctypes.byref(line), ctypes.byref(col))
        if rc:
            shown = _line_of(raw, line.value)
            raise error_class(rc)(rc, fn, "text", line=line.value, column=col.value,
                                  detail=shown)
        self = cls.__new__(cls)
        self._adopt(ptr.value, C.libcs_health_model_free)
        return self

    def format(self) -> str:
        """The model's text form, which :meth:`parse` reads back to the same
        model (numbers are written exactly, in the C locale)."""
        with Reading(self) as p:
            needed = ctypes.c_size_t()
            rc = C.libcs_health_model_format(p, None, 0, ctypes.byref(needed))
            if rc not in (0, E.EBUFSIZE):
                raise error_class(rc)(rc, "HealthModel.format")
            buf = ctypes.create_string_buffer(needed.value)
            rc = C.libcs_health_model_format(p, ctypes.addressof(buf), len(buf),
                                             ctypes.byref(needed))
            if rc:
                raise error_class(rc)(rc, "HealthModel.format")
        return _decode(buf.value)

    def format_into(self, buffer: Any) -> int:
        """Write the text form, NUL-terminated, into a writable buffer and
        return its length with the NUL; a buffer too small raises
        :class:`BufferTooSmallError` (``.needed``) and is left untouched."""
        fn = "HealthModel.format_into"
        try:
            mv = memoryview(buffer)
        except TypeError:
            raise TypeError("%s: buffer must be a writable buffer, not %s"
                            % (fn, type(buffer).__name__)) from None
        if mv.readonly or not mv.c_contiguous:
            raise TypeError("%s: buffer must be writable and contiguous" % fn)
        needed = ctypes.c_size_t()
        with B.Pins() as pins, Reading(self) as p:
            pins.append(buffer)
            rc = C.libcs_health_model_format(p, B.pin(mv, pins), mv.nbytes, ctypes.byref(needed))
        if rc == E.EBUFSIZE:
            raise BufferTooSmallError(rc, fn, "buffer", value=mv.nbytes, needed=needed.value,
                                      detail="%d bytes needed" % needed.value)
        if rc:
            raise error_class(rc)(rc, fn)
        return needed.value

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        if self.closed:
            return "<HealthModel (closed)>"
        return "<HealthModel: %d measures %r>" % (len(self), self.names)

    def __reduce__(self) -> Any:
        return (_health_model_from_text, (self.format(),))

    def copy(self) -> "HealthModel":
        """An independent model with the same text form."""
        return HealthModel.parse(self.format())

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "HealthModel":
        return self.copy()

    # ---- building ------------------------------------------------------------

    def _add_failed(self, spec: Spec, rc: int, values: dict) -> Error:
        values["_raw"] = values["name"]
        values["name"] = _decode(values["name"])
        values["_names"] = self.names if not self.closed else ()
        return fail(spec, rc, values)

    def add_linear(self, name: str, weight: float, bad: float, good: float) -> None:
        """Add a measure scored linearly: points = 100 (v - bad) / (good -
        bad), clamped to 0..100 (``good`` may be below ``bad``: fewer is
        better).  ``weight`` > 0; names are unique, 1..255 bytes."""
        fn = _LINEAR.name
        raw = _encode_name(name, fn)
        w, b, g = (B.to_float(x, fn, a) for x, a in ((weight, "weight"), (bad, "bad"), (good, "good")))
        rc = self._write(lambda p: C.libcs_health_model_add_linear(p, raw, w, b, g))
        if rc:
            raise self._add_failed(_LINEAR, rc, {"name": raw, "weight": w, "bad": b, "good": g})

    def add_yesno(self, name: str, weight: float, yes_points: float = 100.0,
                  no_points: float = 0.0) -> None:
        """Add a yes/no measure: value 1 scores ``yes_points``, 0 scores
        ``no_points`` (0..100, different); any other present value is a
        :class:`DomainError` when scoring."""
        fn = _YESNO.name
        raw = _encode_name(name, fn)
        w, y, n = (B.to_float(x, fn, a) for x, a in
                   ((weight, "weight"), (yes_points, "yes_points"), (no_points, "no_points")))
        rc = self._write(lambda p: C.libcs_health_model_add_yesno(p, raw, w, y, n))
        if rc:
            raise self._add_failed(_YESNO, rc, {"name": raw, "weight": w,
                                                "yes_points": y, "no_points": n})

    def add_tiers(self, name: str, weight: float, breaks: Sequence[float],
                  points: Sequence[float]) -> None:
        """Add a tiered measure: n tiers with n points (0..100) and n - 1
        strictly increasing breaks; v < breaks[0] scores points[0],
        breaks[i-1] <= v < breaks[i] scores points[i], v >= breaks[-1]
        scores points[-1].  At most 64 tiers."""
        fn = _TIERS.name
        raw = _encode_name(name, fn)
        w = B.to_float(weight, fn, "weight")
        with B.Pins() as pins:
            br = B.as_input(breaks, B.DOUBLE, fn, "breaks", pins)
            pt = B.as_input(points, B.DOUBLE, fn, "points", pins)
            if br.n + 1 != pt.n and not (pt.n == 0 and br.n == 0):
                raise ValueError("%s: %d points need %d breaks, not %d"
                                 % (fn, pt.n, max(pt.n - 1, 0), br.n))
            rc = self._write(lambda p: C.libcs_health_model_add_tiers(
                p, raw, w, pt.n, br.addr, pt.addr))
            if rc:
                bv = [B.read(B.DOUBLE, br.addr, i) for i in range(br.n)]
                pv = [B.read(B.DOUBLE, pt.addr, i) for i in range(pt.n)]
        if rc:
            raise self._tiers_error(rc, raw, w, bv, pv)

    def _tiers_error(self, rc: int, raw: bytes, w: float, bv: List[float],
                     pv: List[float]) -> Error:
        fn = _TIERS.name
        err = self._add_failed(_TIERS, rc, {"name": raw, "weight": w, "n": len(pv)})
        if err.argument is not None or rc not in (E.ENONFINITE, E.EDOMAIN):
            return err
        cls = error_class(rc)
        if rc == E.ENONFINITE:
            for arg, vals in (("breaks", bv), ("points", pv)):
                for i, x in enumerate(vals):
                    if not math.isfinite(x):
                        return cls(rc, fn, arg, i, value=x)
        else:  # in the library's order: tier by tier, points then break
            for i, x in enumerate(pv):
                if not 0 <= x <= 100:
                    return cls(rc, fn, "points", i, value=x, detail=_POINTS)
                if 0 < i < len(bv) and not bv[i] > bv[i - 1]:
                    return cls(rc, fn, "breaks", i, value=bv[i],
                               detail="breaks must increase strictly")
        return err

    def set_missing(self, policy: int, min_coverage: float = 0.0) -> None:
        """How missing values count (:class:`HealthMissing`: DROP renormalises
        the weights, WORST scores the rule's worst points) and the minimum
        share of the weight that must be measured for a known score (a
        fraction; below it the band is unknown)."""
        fn = _MISSING.name
        pol = B.to_int(policy, B.CINT, fn, "policy")
        cov = B.to_float(min_coverage, fn, "min_coverage")
        rc = self._write(lambda p: C.libcs_health_model_set_missing(p, pol, cov))
        if rc:
            raise fail(_MISSING, rc, {"policy": pol, "min_coverage": cov})

    def set_aggregation(self, aggregation: int) -> None:
        """:class:`HealthAggregation`: WEIGHTED_MEAN (sum of weight share x
        points) or WORST_OF (the lowest points of any measure)."""
        agg = B.to_int(aggregation, B.CINT, _AGGREGATION.name, "aggregation")
        rc = self._write(lambda p: C.libcs_health_model_set_aggregation(p, agg))
        if rc:
            raise fail(_AGGREGATION, rc, {"aggregation": agg})

    def set_bands(self, red_max: float, yellow_max: float) -> None:
        """Colour bands: red [0, red_max], yellow (red_max, yellow_max],
        green (yellow_max, 100]; 0 <= red_max < yellow_max <= 100."""
        fn = _BANDS.name
        r = B.to_float(red_max, fn, "red_max")
        y = B.to_float(yellow_max, fn, "yellow_max")
        rc = self._write(lambda p: C.libcs_health_model_set_bands(p, r, y))
        if rc:
            raise fail(_BANDS, rc, {"red_max": r, "yellow_max": y})

    # ---- reading ----------------------------------------------------------------

    def __len__(self) -> int:
        """The number of measures."""
        k = ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_health_model_measures(p, ctypes.byref(k))
        if rc:
            raise error_class(rc)(rc, "HealthModel.measures")
        return k.value

    measures = property(__len__, doc="The number of measures.")

    def measure_name(self, i: int) -> str:
        """The name of measure ``i`` (0-based, in the order added)."""
        fn = "HealthModel.measure_name"
        idx = B.to_int(i, B.SIZE, fn, "i")
        needed = ctypes.c_size_t()
        with Reading(self) as p:
            rc = C.libcs_health_model_measure_name(p, idx, None, 0, ctypes.byref(needed))
            if rc == E.EBUFSIZE:
                buf = ctypes.create_string_buffer(needed.value)
                rc = C.libcs_health_model_measure_name(p, idx, ctypes.addressof(buf),
                                                       len(buf), ctypes.byref(needed))
        if rc:
            raise fail(Spec(fn, [Arg("i", B.SIZE)], [_INDEX]), rc, {"i": idx, "k": len(self)})
        return _decode(buf.value)

    def weight(self, i: int) -> float:
        """The weight share of measure ``i`` (weights normalised to sum to 1)."""
        fn = "HealthModel.weight"
        idx = B.to_int(i, B.SIZE, fn, "i")
        share = ctypes.c_double()
        with Reading(self) as p:
            rc = C.libcs_health_model_weight(p, idx, ctypes.byref(share))
        if rc:
            raise fail(Spec(fn, [Arg("i", B.SIZE)], [_INDEX]), rc, {"i": idx, "k": len(self)})
        return share.value

    @property
    def names(self) -> Tuple[str, ...]:
        """The measures' names, in order."""
        return tuple(self.measure_name(i) for i in range(len(self)))

    @property
    def weights(self) -> Tuple[float, ...]:
        """The measures' weight shares, in order (they sum to 1)."""
        return tuple(self.weight(i) for i in range(len(self)))

    def band(self, score: Optional[float]) -> Band:
        """The band of a score 0..100 (NaN or None: unknown)."""
        s = math.nan if score is None else B.to_float(score, _BAND.name, "score")
        band = ctypes.c_int()
        with Reading(self) as p:
            rc = C.libcs_health_band(p, s, ctypes.byref(band))
        if rc:
            raise fail(_BAND, rc, {"score": s})
        return Band(band.value)

    # ---- scoring -----------------------------------------------------------------

    def _row(self, values: Values, k: int, fn: str, pins: B.Pins) -> int:
        """The address of one customer's k values."""
        if isinstance(values, Mapping):
            names = self.names
            unknown = [key for key in values if key not in names]
            if unknown:
                raise ValueError("%s: no measure named %r in this model (it has %r)"
                                 % (fn, unknown[0], names))
            values = [values.get(name) for name in names]
        item = B.as_input(values, B.DOUBLE, fn, "values", pins, none_as_nan=True)
        if item.n != k:
            raise ValueError("%s: values has %d elements; the model has %d measures"
                             % (fn, item.n, k))
        return item.addr

    def _value_error(self, rc: int, fn: str, p: int, addr: int, n: int, k: int,
                     row_index: bool, bad_index: Optional[int] = None) -> Error:
        """The error of a call on n rows of values at `addr`; a bad value is
        located with the batch scorer (which reports its element index) when
        the call that failed did not."""
        if rc == E.EEMPTY:
            return error_class(rc)(rc, fn, detail="the model has no measures"
                                   if k == 0 else "no customers")
        if bad_index is None and rc in (E.ENONFINITE, E.EDOMAIN) and n > 0 and k > 0:
            bad = ctypes.c_size_t(SIZE_MAX)
            (_, s_addr), (_, b_addr) = B.new_output(B.DOUBLE, n, False), B.new_output(B.CINT, n, False)
            C.libcs_health_score_batch(p, n, addr, s_addr, b_addr, None, ctypes.byref(bad))
            bad_index = bad.value if bad.value != SIZE_MAX else None
        if bad_index is None:
            return error_class(rc)(rc, fn, "values")
        row, col = divmod(bad_index, k)
        value = B.read(B.DOUBLE, addr, bad_index)
        name = self.measure_name(col)
        detail = ("measure %r: infinity is not a value; NaN or None means missing" % name
                  if rc == E.ENONFINITE else
                  "measure %r is yes/no: 1, 0, or NaN/None for missing" % name)
        return error_class(rc)(rc, fn, "values", (row, col) if row_index else col,
                               value=value, detail=detail)

    def score(self, values: Values) -> HealthScore:
        """Score one customer: ``values`` holds one value per measure, in
        order (a sequence or float64 buffer; NaN or None = missing), or maps
        measure names to values (absent names are missing).

        An unknown score (coverage below the minimum) is NaN with
        Band.UNKNOWN, not an error."""
        fn = "HealthModel.score"
        score, band, cov = ctypes.c_double(), ctypes.c_int(), ctypes.c_double()
        with B.Pins() as pins, Reading(self) as p:
            k = _measures(p)
            addr = self._row(values, k, fn, pins)
            rc = C.libcs_health_score(p, addr, ctypes.byref(score), ctypes.byref(band),
                                      ctypes.byref(cov))
            if rc:
                raise self._value_error(rc, fn, p, addr, 1, k, False)
        return HealthScore(score.value, Band(band.value), cov.value)

    def score_batch(self, values: Any, *, coverage: bool = True) -> HealthScores:
        """Score n customers in one C call.

        ``values`` is an n x k float64 matrix: a 2-D numpy array or buffer
        (C-contiguous ones are read in place), a flat float64 buffer of n*k
        values (row-major), or a list of rows (sequences or mappings; None =
        missing).  Returns :class:`HealthScores` (numpy arrays when the input
        was numpy); ``coverage=False`` skips the coverage array.  A bad value
        raises with ``.index = (row, column)``; nothing is returned then."""
        fn = "HealthModel.score_batch"
        with B.Pins() as pins, Reading(self) as p:
            k = _measures(p)
            addr, n, numpy = self._matrix(values, k, fn, pins)
            scores, s_addr = B.new_output(B.DOUBLE, n, numpy)
            bands, b_addr = B.new_output(B.CINT, n, numpy)
            cov, c_addr = B.new_output(B.DOUBLE, n, numpy) if coverage else (None, None)
            bad = ctypes.c_size_t(SIZE_MAX)
            rc = C.libcs_health_score_batch(p, n, addr, s_addr, b_addr, c_addr,
                                            ctypes.byref(bad))
            if rc:
                raise self._value_error(rc, fn, p, addr, n, k, True,
                                        bad.value if bad.value != SIZE_MAX else None)
        return HealthScores(scores, bands, cov)

    def _matrix(self, values: Any, k: int, fn: str, pins: B.Pins) -> Tuple[int, int, bool]:
        """(address, rows, numpy?) of an n x k matrix argument."""
        try:
            mv = memoryview(values)
        except TypeError:
            mv = None
        if mv is not None:
            if mv.ndim == 2:
                if not B._format_ok(mv, B.DOUBLE):
                    raise B.format_error(fn, "values", mv, B.DOUBLE)
                if mv.shape[1] != k:
                    raise ValueError("%s: values has %d columns; the model has %d measures"
                                     % (fn, mv.shape[1], k))
                numpy = B.is_numpy(values)
                if not mv.c_contiguous:
                    values = B.contiguous_copy(values, mv, B.DOUBLE)
                    mv = memoryview(values)
                pins.append(values)
                return B.pin(mv, pins), mv.shape[0], numpy
            if mv.ndim == 1:
                item = B.as_input(values, B.DOUBLE, fn, "values", pins)
                if k and item.n % k:
                    raise ValueError("%s: a flat values buffer of %d elements is not "
                                     "rows of %d measures" % (fn, item.n, k))
                return item.addr, item.n // k if k else 1, item.numpy
            raise ValueError("%s: values must be a matrix of shape (n, %d), not %s"
                             % (fn, k, mv.shape))
        if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
            raise TypeError("%s: values must be a matrix (2-D array, flat buffer or "
                            "list of rows), not %s" % (fn, type(values).__name__))
        flat: List[Any] = []
        rows = 0
        names: Optional[Tuple[str, ...]] = None
        for r, row in enumerate(values):
            if isinstance(row, Mapping):
                if names is None:
                    names = self.names
                unknown = [key for key in row if key not in names]
                if unknown:
                    raise ValueError("%s: row %d: no measure named %r" % (fn, r, unknown[0]))
                row = [row.get(name) for name in names]
            elif isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
                raise TypeError("%s: row %d must be a sequence or mapping of values, not %s"
                                % (fn, r, type(row).__name__))
            if len(row) != k:
                raise ValueError("%s: row %d has %d values; the model has %d measures"
                                 % (fn, r, len(row), k))
            flat.extend(row)
            rows += 1
        item = B.as_input(flat, B.DOUBLE, fn, "values", pins, none_as_nan=True)
        return item.addr, rows if k else max(rows, 1), False

    def explain(self, values: Values) -> Explanation:
        """What drives one customer's score: each measure's points and its
        contribution (weighted mean: weight share x points, renormalised when
        measures are dropped; worst-of: the worst measure carries the score).
        ``values`` as for :meth:`score`."""
        fn = "HealthModel.explain"
        score, band = ctypes.c_double(), ctypes.c_int()
        with B.Pins() as pins, Reading(self) as p:
            k = _measures(p)
            addr = self._row(values, k, fn, pins)
            points, p_addr = B.new_output(B.DOUBLE, k, False)
            contrib, c_addr = B.new_output(B.DOUBLE, k, False)
            rc = C.libcs_health_explain(p, addr, p_addr, c_addr, ctypes.byref(score),
                                        ctypes.byref(band))
            if rc:
                raise self._value_error(rc, fn, p, addr, 1, k, False)
        names, weights = self.names, self.weights
        return Explanation(score.value, Band(band.value), tuple(
            MeasureExplanation(names[j], weights[j], points[j], contrib[j]) for j in range(k)))

    def changes(self, previous: Any, current: Any) -> HealthChanges:
        """Band changes since last period for n customers: ``previous`` and
        ``current`` scores (0..100, NaN or None = unknown), as from
        :meth:`score_batch`.  Returns :class:`HealthChanges`; each event is
        a combination of :class:`HealthEvent` flags."""
        fn = "HealthModel.changes"
        with B.Pins() as pins, Reading(self) as p:
            prev = B.as_input(previous, B.DOUBLE, fn, "previous", pins, none_as_nan=True)
            cur = B.as_input(current, B.DOUBLE, fn, "current", pins, none_as_nan=True)
            if prev.n != cur.n:
                raise ValueError("%s: current has %d elements but previous has %d"
                                 % (fn, cur.n, prev.n))
            numpy = prev.numpy or cur.numpy
            deltas, d_addr = B.new_output(B.DOUBLE, prev.n, numpy)
            events, e_addr = B.new_output(B.CINT, prev.n, numpy)
            changed, bad = ctypes.c_size_t(), ctypes.c_size_t(SIZE_MAX)
            rc = C.libcs_health_changes(p, prev.n, prev.addr, cur.addr, d_addr, e_addr,
                                        ctypes.byref(changed), ctypes.byref(bad))
            if rc:
                if bad.value == SIZE_MAX:
                    raise error_class(rc)(rc, fn, detail="no customers" if rc == E.EEMPTY else None)
                i = bad.value
                pv, cv = B.read(B.DOUBLE, prev.addr, i), B.read(B.DOUBLE, cur.addr, i)
                arg, v = ("previous", pv) if not (math.isnan(pv) or 0 <= pv <= 100) else ("current", cv)
                raise error_class(rc)(rc, fn, arg, i, value=v,
                                      detail="scores are 0 to 100, or NaN/None for unknown")
        return HealthChanges(deltas, events, changed.value)


def _measures(p: int) -> int:
    k = ctypes.c_size_t()
    rc = C.libcs_health_model_measures(p, ctypes.byref(k))
    if rc:
        raise error_class(rc)(rc, "HealthModel.measures")
    return k.value

