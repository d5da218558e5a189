"""Net Promoter Score: the mergeable, picklable :class:`NpsTally`, one-shot
:func:`nps_from_scores` and :func:`nps_from_counts`, and
:func:`nps_category`.

Scores are 0..10 as uint8: any byte buffer (bytes, bytearray, array.array('B'),
numpy uint8 arrays, memoryview) is counted where it lies, in one C call; a
list or other iterable of ints is converted once.  Promoters answer 9-10,
passives 7-8, detractors 0-6; NPS = 100 (p - d) with the Wald and adjusted
Wald (Rocks 2016) confidence intervals, all on the -100..100 scale.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, NamedTuple, Optional, Sequence, Tuple

from . import _buffers as B
from . import _ffi
from ._core import SIZE_MAX, Arg, Spec, Status, fail, rule
from .enums import NpsCategory
from .errors import BufferTooSmallError, error_class

__all__ = ["NpsResult", "NpsTally", "nps_category", "nps_from_scores",
           "nps_from_counts", "NPS_TALLY_SERIALIZED_SIZE"]

C = _ffi.C
E = Status
NPS_TALLY_SERIALIZED_SIZE = _ffi.NPS_TALLY_SERIALIZED_SIZE

ScoresLike = Any  #: a uint8 buffer, or an iterable of ints 0..10

_SCORE_RULE = rule(E.EDOMAIN, "score", lambda v: 0 <= v["score"] <= 10,
                   "NPS answers are 0 to 10")
_LEVEL_RULE = rule(E.EDOMAIN, "level", lambda v: 0 < v["level"] < 1,
                   "a confidence level strictly between 0 and 1, e.g. 0.95")
_CATEGORY = Spec("nps_category", [Arg("score", B.CINT)], [_SCORE_RULE])
_ADD = Spec("NpsTally.add", [Arg("score", B.CINT)], [_SCORE_RULE],
            {E.EOVERFLOW: "the count of this score would exceed 2**64 - 1"})
_BATCH = Spec("NpsTally.add_batch", [Arg("scores", B.UINT8)],
              [rule(E.EDOMAIN, "scores", lambda v: v["scores"] <= 10,
                    "NPS answers are 0 to 10")],
              {E.EOVERFLOW: "a count would exceed 2**64 - 1"})
_MERGE = Spec("NpsTally.merge", [Arg("other", B.UINT64)], [],
              {E.EOVERFLOW: "a merged count would exceed 2**64 - 1"})
_RESULT = Spec("NpsTally.result", [Arg("level", B.DOUBLE)], [_LEVEL_RULE],
               {E.EEMPTY: "the tally has no answers",
                E.EOVERFLOW: "the total count exceeds 2**64 - 1"})
_FROM_SCORES = Spec("nps_from_scores", [Arg("scores", B.UINT8), Arg("level", B.DOUBLE)],
                    [_LEVEL_RULE, _BATCH.rules[0]], {E.EEMPTY: "no scores"})
_FROM_COUNTS = Spec("nps_from_counts",
                    [Arg("promoters", B.UINT64), Arg("passives", B.UINT64),
                     Arg("detractors", B.UINT64), Arg("level", B.DOUBLE)],
                    [_LEVEL_RULE],
                    {E.EEMPTY: "no answers (all counts are 0)",
                     E.EOVERFLOW: "promoters + passives + detractors exceeds 2**64 - 1"})


class NpsResult(NamedTuple):
    """Everything known about a set of NPS answers (struct libcs_nps_result).

    Counts, shares (fractions of n), the NPS and its standard error, the
    confidence level, the Wald interval (clamped to [-100, 100]) and the
    adjusted Wald interval with its centre."""
    n: int
    promoters: int
    passives: int
    detractors: int
    promoter_share: float
    passive_share: float
    detractor_share: float
    nps: float
    se: float
    level: float
    wald_low: float
    wald_high: float
    adjusted_nps: float
    adjusted_low: float
    adjusted_high: float

    @classmethod
    def _from_struct(cls, s: _ffi.NpsResultStruct) -> "NpsResult":
        return cls(*(getattr(s, f) for f in cls._fields))


def nps_category(score: int) -> NpsCategory:
    """The category of one answer 0..10: DETRACTOR (0-6), PASSIVE (7-8) or
    PROMOTER (9-10).

    >>> nps_category(9)
    <NpsCategory.PROMOTER: 1>
    """
    s = B.to_int(score, B.CINT, "nps_category", "score")
    out = ctypes.c_int()
    rc = C.libcs_nps_category(s, ctypes.byref(out))
    if rc:
        raise fail(_CATEGORY, rc, {"score": s})
    return NpsCategory(out.value)


def _result(rc: int, res: _ffi.NpsResultStruct, spec: Spec, values: dict) -> NpsResult:
    if rc:
        raise fail(spec, rc, values)
    return NpsResult._from_struct(res)


def nps_from_counts(promoters: int, passives: int, detractors: int,
                    level: float = 0.95) -> NpsResult:
    """NPS and its intervals from the numbers of promoters, passives and
    detractors (integers >= 0, not all 0).  ``level`` is the confidence
    level, strictly between 0 and 1.  1000 answers, 250 promoters, 75
    detractors:

    >>> r = nps_from_counts(promoters=250, passives=675, detractors=75)
    >>> r.nps, round(r.se, 4), round(r.wald_low, 3), round(r.wald_high, 3)
    (17.5, 1.7157, 14.137, 20.863)
    """
    fn = "nps_from_counts"
    p = B.to_int(promoters, B.UINT64, fn, "promoters")
    a = B.to_int(passives, B.UINT64, fn, "passives")
    d = B.to_int(detractors, B.UINT64, fn, "detractors")
    lv = B.to_float(level, fn, "level")
    res = _ffi.NpsResultStruct()
    rc = C.libcs_nps_from_counts(p, a, d, lv, ctypes.byref(res))
    return _result(rc, res, _FROM_COUNTS,
                   {"promoters": p, "passives": a, "detractors": d, "level": lv})


def nps_from_scores(scores: ScoresLike, level: float = 0.95) -> NpsResult:
    """NPS and its intervals from n answers 0..10 in one call (at least one
    answer).  A score above 10 raises :class:`DomainError` with ``.index``.

    >>> nps_from_scores(bytes([10, 9, 7, 3])).nps
    25.0
    """
    fn = "nps_from_scores"
    lv = B.to_float(level, fn, "level")
    res = _ffi.NpsResultStruct()
    bad = ctypes.c_size_t(SIZE_MAX)
    with B.Pins() as pins:
        item = B.as_input(scores, B.UINT8, fn, "scores", pins)
        rc = C.libcs_nps_from_scores(item.n, item.addr, lv, ctypes.byref(res),
                                     ctypes.byref(bad))
        if rc:
            values = {"level": lv}
            index = None
            if bad.value != SIZE_MAX:
                index = bad.value
                values["scores"] = B.read(B.UINT8, item.addr, index)
            raise fail(_FROM_SCORES, rc, values, fn, index)
    return NpsResult._from_struct(res)


def _tally_from_bytes(data: bytes) -> "NpsTally":
    return NpsTally.from_bytes(data)


class NpsTally:
    """A mergeable tally of NPS answers: the count of each score 0..10
    (struct libcs_nps_tally, Python-owned; nothing to free).

    Tallies made separately (threads, processes, shards, Dask partitions)
    merge exactly: ``a.merge(b)``, ``a += b``, ``a + b`` or ``sum(tallies)``.
    They pickle through the library's versioned, endian-independent
    serialization (:meth:`to_bytes`), so they travel between processes and
    machines.  One tally may be used from several threads: its methods lock.

    >>> t = NpsTally([10, 9, 8])
    >>> t.add(3)
    >>> t.add_batch(bytes([10, 10]))
    >>> t.result().nps
    50.0
    """

    __slots__ = ("_t", "_lock", "__weakref__")

    def __init__(self, scores: Optional[ScoresLike] = None) -> None:
        self._t = _ffi.NpsTallyStruct()
        self._lock = threading.Lock()
        rc = C.libcs_nps_tally_init(ctypes.byref(self._t))
        if rc:
            raise error_class(rc)(rc, "NpsTally")
        if scores is not None:
            self.add_batch(scores)

    # ---- counting ---------------------------------------------------------

    def add(self, score: int) -> None:
        """Count one answer 0..10."""
        s = B.to_int(score, B.CINT, "NpsTally.add", "score")
        with self._lock:
            rc = C.libcs_nps_tally_add(ctypes.byref(self._t), s)
        if rc:
            raise fail(_ADD, rc, {"score": s})

    def add_batch(self, scores: ScoresLike) -> None:
        """Count n answers in one C call, all or nothing: a score above 10
        raises :class:`DomainError` with ``.index`` and leaves the tally
        unchanged.  Adding no scores is fine."""
        with B.Pins() as pins:
            item = B.as_input(scores, B.UINT8, "NpsTally.add_batch", "scores", pins)
            bad = ctypes.c_size_t(SIZE_MAX)
            with self._lock:
                rc = C.libcs_nps_tally_add_batch(ctypes.byref(self._t), item.n,
                                                 item.addr, ctypes.byref(bad))
            if rc:
                index = bad.value if bad.value != SIZE_MAX else None
                values = {} if index is None else {"scores": B.read(B.UINT8, item.addr, index)}
                raise fail(_BATCH, rc, values, None, index)

    def merge(self, other: "NpsTally") -> None:
        """Add every count of ``other`` to this tally, all or nothing (a
        tally may merge itself, which doubles it)."""
        if not isinstance(other, NpsTally):
            raise TypeError("NpsTally.merge: other must be an NpsTally, not %s"
                            % type(other).__name__)
        with other._lock:
            snapshot = _ffi.NpsTallyStruct.from_buffer_copy(other._t)
        with self._lock:
            rc = C.libcs_nps_tally_merge(ctypes.byref(self._t), ctypes.byref(snapshot))
        if rc:
            raise fail(_MERGE, rc, {})

    def __iadd__(self, other: "NpsTally") -> "NpsTally":
        if not isinstance(other, NpsTally):
            return NotImplemented
        self.merge(other)
        return self

    def __add__(self, other: "NpsTally") -> "NpsTally":
        if not isinstance(other, NpsTally):
            return NotImplemented
        total = self.copy()
        total.merge(other)
        return total

    def __radd__(self, other: Any) -> "NpsTally":
        if isinstance(other, int) and other == 0:  # sum() starts from 0
            return self.copy()
        return NotImplemented

    # ---- reading -----------------------------------------------------------

    def result(self, level: float = 0.95) -> NpsResult:
        """The NPS of the answers so far, with intervals at ``level``
        (strictly between 0 and 1).  An empty tally raises
        :class:`EmptyInputError`."""
        lv = B.to_float(level, "NpsTally.result", "level")
        res = _ffi.NpsResultStruct()
        with self._lock:
            rc = C.libcs_nps_tally_result(ctypes.byref(self._t), lv, ctypes.byref(res))
        return _result(rc, res, _RESULT, {"level": lv})

    @property
    def counts(self) -> Tuple[int, ...]:
        """The number of answers of each score, 0 to 10."""
        with self._lock:
            return tuple(self._t.counts)

    @property
    def n(self) -> int:
        """The number of answers counted."""
        return sum(self.counts)

    def copy(self) -> "NpsTally":
        """An independent tally with the same counts (``copy.copy`` and
        ``copy.deepcopy`` give the same); changing one leaves the other as
        it was."""
        new = NpsTally()
        with self._lock:
            ctypes.memmove(ctypes.byref(new._t), ctypes.byref(self._t), ctypes.sizeof(self._t))
        return new

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "NpsTally":
        return self.copy()

    @classmethod
    def from_counts(cls, counts: Sequence[int]) -> "NpsTally":
        """A tally holding these 11 counts (of scores 0 to 10)."""
        if isinstance(counts, (str, bytes)) or len(counts) != 11:
            raise ValueError("NpsTally.from_counts: counts must hold 11 counts "
                             "(scores 0 to 10)")
        new = cls()
        for s, c in enumerate(counts):
            new._t.counts[s] = B.to_int(c, B.UINT64, "NpsTally.from_counts", "counts", s)
        return new

    # ---- serialization -------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The library's serialized form (format version 1, 96 bytes,
        little-endian, independent of the machine)."""
        buf = (ctypes.c_uint8 * NPS_TALLY_SERIALIZED_SIZE)()
        needed = ctypes.c_size_t()
        with self._lock:
            rc = C.libcs_nps_tally_serialize(ctypes.byref(self._t), ctypes.addressof(buf),
                                             len(buf), ctypes.byref(needed))
        if rc:
            raise error_class(rc)(rc, "NpsTally.to_bytes")
        return bytes(buf)[:needed.value]

    def serialize_into(self, buffer: Any) -> int:
        """Write :meth:`to_bytes` into a writable buffer (bytearray, mmap,
        shared memory...) and return the number of bytes written; a buffer
        too small raises :class:`BufferTooSmallError` with ``.needed`` and is
        left untouched."""
        fn = "NpsTally.serialize_into"
        try:
            mv = memoryview(buffer)
        except TypeError:
            raise TypeError("%s: buffer must be a writable buffer, not %s"
                            % (fn, type(buffer).__name__)) from None
        if mv.readonly or not mv.c_contiguous:
            raise TypeError("%s: buffer must be writable and contiguous" % fn)
        needed = ctypes.c_size_t()
        with B.Pins() as pins:
            pins.append(buffer)
            addr = B.pin(mv, pins)
            with self._lock:
                rc = C.libcs_nps_tally_serialize(ctypes.byref(self._t), addr, mv.nbytes,
                                                 ctypes.byref(needed))
        if rc == E.EBUFSIZE:
            raise BufferTooSmallError(rc, fn, "buffer", value=mv.nbytes, needed=needed.value,
                                      detail="%d bytes needed" % needed.value)
        if rc:
            raise error_class(rc)(rc, fn)
        return needed.value

    @classmethod
    def from_bytes(cls, data: Any) -> "NpsTally":
        """A tally from :meth:`to_bytes` output (any bytes-like object);
        anything else raises :class:`FormatError`."""
        fn = "NpsTally.from_bytes"
        new = cls()
        with B.Pins() as pins:
            try:
                mv = memoryview(data)
            except TypeError:
                raise TypeError("%s: data must be bytes-like, not %s"
                                % (fn, type(data).__name__)) from None
            if not mv.c_contiguous:
                data = mv.tobytes()
                mv = memoryview(data)
            pins.append(data)
            rc = C.libcs_nps_tally_deserialize(ctypes.byref(new._t), B.pin(mv, pins), mv.nbytes)
        if rc:
            raise error_class(rc)(rc, fn, "data",
                                  detail="not an NPS tally in format version 1 (%d bytes)"
                                  % NPS_TALLY_SERIALIZED_SIZE)
        return new

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        return (_tally_from_bytes, (self.to_bytes(),))

    # ---- comparison and display ---------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NpsTally):
            return NotImplemented
        return self.counts == other.counts

    __hash__ = None  # type: ignore[assignment]  (mutable)

    def __repr__(self) -> str:
        return "NpsTally.from_counts(%r)" % (list(self.counts),)

