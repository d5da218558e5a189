"""Zero-copy conversion of Python arrays into pointers for the C library.

Any object with the buffer protocol (array.array, memoryview, bytes,
bytearray, mmap, ctypes arrays, numpy arrays) whose elements already have the
C element type is passed to C by address: the buffer is exported with
PyObject_GetBuffer for the duration of the call (so it cannot be resized or
freed meanwhile, read-only buffers included) and released right after.  Lists,
tuples and other iterables are converted once into an array.array.  Element
types never convert silently: a float64 array where int64 is needed is a
TypeError, because a hidden copy of a large array is what this module exists
to avoid.  A buffer of the right type that is not C-contiguous (a numpy column
slice) is copied once.
"""

from __future__ import annotations

import array
import ctypes
import math
import numbers
import operator
import sys
from typing import Any, Tuple

from .errors import DomainError, NonFiniteError


class Kind:
    """A C element type: its array.array typecode, the buffer formats that
    are that type, and how to describe it in messages."""

    __slots__ = ("typecode", "formats", "itemsize", "ctype", "cname",
                 "dtype", "lo", "hi", "what")

    def __init__(self, typecode: str, formats: str, ctype: Any, cname: str,
                 dtype: str, what: str, lo: Any = None, hi: Any = None) -> None:
        self.typecode = typecode
        self.formats = frozenset(formats)
        self.ctype = ctype
        self.itemsize = ctypes.sizeof(ctype)
        self.cname = cname
        self.dtype = dtype
        self.what = what
        self.lo = lo
        self.hi = hi

    @property
    def is_float(self) -> bool:
        return self.lo is None


def _int_typecode(ctype: Any, signed: bool) -> str:
    size = ctypes.sizeof(ctype)
    for code in ("bhilq" if signed else "BHILQ"):
        if array.array(code).itemsize == size:
            return code
    raise ImportError("no array.array typecode for a %d-byte integer" % size)


DOUBLE = Kind("d", "d", ctypes.c_double, "double", "float64", "a real number")
INT64 = Kind(_int_typecode(ctypes.c_int64, True), "qln", ctypes.c_int64,
             "int64_t", "int64", "an integer", -2**63, 2**63 - 1)
UINT64 = Kind(_int_typecode(ctypes.c_uint64, False), "QLN", ctypes.c_uint64,
              "uint64_t", "uint64", "an integer", 0, 2**64 - 1)
UINT8 = Kind("B", "B", ctypes.c_uint8, "uint8_t", "uint8", "an integer", 0, 255)
CINT = Kind(_int_typecode(ctypes.c_int, True), "ilq", ctypes.c_int, "int",
            "int%d" % (8 * ctypes.sizeof(ctypes.c_int)), "an integer",
            -2**(8 * ctypes.sizeof(ctypes.c_int) - 1),
            2**(8 * ctypes.sizeof(ctypes.c_int) - 1) - 1)
INT32 = Kind(_int_typecode(ctypes.c_int32, True), "ilq", ctypes.c_int32, "int32_t",
              "int32", "an integer", -2**31, 2**31 - 1)
UINT32 = Kind(_int_typecode(ctypes.c_uint32, False), "ILQ", ctypes.c_uint32,
              "uint32_t", "uint32", "an integer", 0, 2**32 - 1)
SIZE = Kind(_int_typecode(ctypes.c_size_t, False), "NLQ", ctypes.c_size_t,
            "size_t", "uintp", "an integer", 0, 2**(8 * ctypes.sizeof(ctypes.c_size_t)) - 1)

# ---- exporting buffers --------------------------------------------------


class _PyBuffer(ctypes.Structure):
    """Py_buffer, as CPython's buffer protocol fills it."""
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p),
                ("len", ctypes.c_ssize_t), ("itemsize", ctypes.c_ssize_t),
                ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p),
                ("strides", ctypes.c_void_p), ("suboffsets", ctypes.c_void_p),
                ("internal", ctypes.c_void_p)]


try:
    _GETBUF = ctypes.pythonapi.PyObject_GetBuffer
    _GETBUF.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
    _GETBUF.restype = ctypes.c_int
    _RELEASE = ctypes.pythonapi.PyBuffer_Release
    _RELEASE.argtypes = [ctypes.POINTER(_PyBuffer)]
    _RELEASE.restype = None
except (AttributeError, OSError):  # not CPython: writable buffers only
    _GETBUF = _RELEASE = None

# A valid address for an empty array: the library must see a non-NULL
# pointer so that it reports LIBCS_EEMPTY (not LIBCS_EINVAL) itself.
_EMPTY = (ctypes.c_uint64 * 2)()
EMPTY_ADDRESS = ctypes.addressof(_EMPTY)

_NATIVE = "<" if sys.byteorder == "little" else ">"


class Pins(list):
    """The buffer exports and temporary arrays of one C call, held until it
    returns (use as a context manager)."""

    def __enter__(self) -> "Pins":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def release(self) -> None:
        while self:
            item = self.pop()
            if isinstance(item, _PyBuffer):
                _RELEASE(ctypes.byref(item))


def pin(mv: memoryview, pins: Pins) -> int:
    """The address of a C-contiguous memoryview's data, kept valid until
    `pins` is released."""
    if mv.nbytes == 0:
        return EMPTY_ADDRESS
    if _GETBUF is not None:
        view = _PyBuffer()
        _GETBUF(mv, ctypes.byref(view), 0)  # PyBUF_SIMPLE: read-only is fine
        pins.append(view)
        return view.buf
    if not mv.readonly:
        raw = (ctypes.c_char * mv.nbytes).from_buffer(mv)
        pins.append(raw)
        return ctypes.addressof(raw)
    raw = ctypes.create_string_buffer(mv.tobytes(), mv.nbytes)  # copy once
    pins.append(raw)
    return ctypes.addressof(raw)


def address_of_array(arr: Any) -> int:
    """The data address of an array this module allocated (array.array or
    numpy) and still references."""
    if isinstance(arr, array.array):
        addr, n = arr.buffer_info()
        return addr if n else EMPTY_ADDRESS
    if arr.size == 0:
        return EMPTY_ADDRESS
    return arr.__array_interface__["data"][0]


def read(kind: Kind, addr: int, index: int) -> Any:
    """Element `index` of a pinned array (for error messages)."""
    return kind.ctype.from_address(addr + index * kind.itemsize).value

# ---- scalars ------------------------------------------------------------


def _where(fn: str, name: str, index: Any = None) -> str:
    if index is None:
        return "%s: %s" % (fn, name)
    if isinstance(index, tuple):
        return "%s: %s[%s]" % (fn, name, ", ".join(map(str, index)))
    return "%s: %s[%d]" % (fn, name, index)


def to_float(x: Any, fn: str, name: str, index: Any = None) -> float:
    """A Python number as a C double; str, None and other non-numbers are a
    TypeError (float("1.5") would accept a string)."""
    if type(x) is float:
        return x
    if isinstance(x, (str, bytes, bytearray)) or x is None:
        raise TypeError("%s must be a real number, not %s" % (_where(fn, name, index), type(x).__name__))
    try:
        return float(x)
    except OverflowError:
        raise NonFiniteError(function=fn, argument=name, index=index, value=x,
                             detail="too large for a double") from None
    except (TypeError, ValueError):
        raise TypeError("%s must be a real number, not %s" % (_where(fn, name, index), type(x).__name__)) from None


def to_int(x: Any, kind: Kind, fn: str, name: str, index: Any = None) -> int:
    """A Python integer checked against the C type's range (ctypes would
    wrap it silently)."""
    if isinstance(x, float) or x is None:
        raise TypeError("%s must be an integer, not %s" % (_where(fn, name, index), type(x).__name__))
    try:
        v = operator.index(x)
    except TypeError:
        raise TypeError("%s must be an integer, not %s" % (_where(fn, name, index), type(x).__name__)) from None
    if not kind.lo <= v <= kind.hi:
        raise DomainError(function=fn, argument=name, index=index, value=v,
                          detail="does not fit %s" % kind.cname)
    return v


def to_scalar(x: Any, kind: Kind, fn: str, name: str, index: Any = None) -> Any:
    if kind.is_float:
        return to_float(x, fn, name, index)
    return to_int(x, kind, fn, name, index)


def is_scalar(x: Any) -> bool:
    return isinstance(x, numbers.Number) or (
        hasattr(x, "ndim") and getattr(x, "ndim", None) == 0)


def is_numpy(x: Any) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and isinstance(x, np.ndarray)

# ---- arrays -------------------------------------------------------------


def _format_ok(mv: memoryview, kind: Kind) -> bool:
    fmt = mv.format
    if len(fmt) == 2 and fmt[0] in "@=" + _NATIVE:
        fmt = fmt[1]
    return len(fmt) == 1 and fmt in kind.formats and mv.itemsize == kind.itemsize


def format_error(fn: str, name: str, mv: memoryview, kind: Kind) -> TypeError:
    return TypeError(
        "%s has elements of type %r (%d bytes); libcs needs %s (numpy %s, "
        "array.array %r): convert it first, e.g. numpy.asarray(x, dtype=numpy.%s)"
        % (_where(fn, name), mv.format, mv.itemsize, kind.cname, kind.dtype,
           kind.typecode, kind.dtype))


def _from_iterable(obj: Any, kind: Kind, fn: str, name: str,
                   none_as_nan: bool) -> array.array:
    if isinstance(obj, (str, dict)) or isinstance(obj, (set, frozenset)) or \
            not hasattr(obj, "__iter__"):
        raise TypeError("%s must be an array, a sequence of numbers or a buffer, "
                        "not %s" % (_where(fn, name), type(obj).__name__))
    seq = obj if isinstance(obj, (list, tuple)) else list(obj)
    if none_as_nan and any(v is None for v in seq):
        seq = [math.nan if v is None else v for v in seq]
    try:
        return array.array(kind.typecode, seq)
    except (TypeError, ValueError, OverflowError):
        pass
    # find the element at fault, with its index, for the message
    for i, v in enumerate(seq):
        to_scalar(v, kind, fn, name, i)
    return array.array(kind.typecode, seq)


class Input:
    """One converted array argument: its address (valid while the call's
    pins are held), its length, and whether it came from numpy."""

    __slots__ = ("addr", "n", "numpy", "obj")

    def __init__(self, addr: int, n: int, numpy: bool, obj: Any) -> None:
        self.addr = addr
        self.n = n
        self.numpy = numpy
        self.obj = obj


def contiguous_copy(obj: Any, mv: memoryview, kind: Kind) -> Any:
    """A C-contiguous copy of a strided buffer of the right type."""
    if is_numpy(obj):
        return sys.modules["numpy"].ascontiguousarray(obj)
    arr = array.array(kind.typecode)
    arr.frombytes(mv.tobytes())
    return arr


def as_input(obj: Any, kind: Kind, fn: str, name: str, pins: Pins,
             none_as_nan: bool = False) -> Input:
    """A one-dimensional array argument, by address."""
    try:
        mv = memoryview(obj)
    except TypeError:
        mv = None
    if mv is not None:
        if not _format_ok(mv, kind):
            raise format_error(fn, name, mv, kind)
        if mv.ndim != 1:
            raise ValueError("%s must be one-dimensional, not of shape %s"
                             % (_where(fn, name), mv.shape))
        numpy = is_numpy(obj)
        if not mv.c_contiguous:
            obj = contiguous_copy(obj, mv, kind)
            mv = memoryview(obj)
        pins.append(obj)
        return Input(pin(mv, pins), mv.shape[0], numpy, obj)
    arr = _from_iterable(obj, kind, fn, name, none_as_nan)
    pins.append(arr)
    return Input(address_of_array(arr), len(arr), False, arr)


def repeat(value: Any, kind: Kind, n: int, pins: Pins) -> int:
    """The address of n copies of a scalar (for broadcasting)."""
    arr = array.array(kind.typecode, [value]) * n
    pins.append(arr)
    return address_of_array(arr)


def new_output(kind: Kind, n: int, numpy: bool) -> Tuple[Any, int]:
    """A fresh array of n elements (numpy when `numpy`), and its address."""
    if numpy:
        arr = sys.modules["numpy"].empty(n, dtype=kind.dtype)
    else:
        arr = array.array(kind.typecode, [0]) * n
    return arr, address_of_array(arr)


def as_output(out: Any, kind: Kind, n: int, fn: str, pins: Pins,
              name: str = "out") -> int:
    """The address of a caller's writable output buffer of n elements."""
    try:
        mv = memoryview(out)
    except TypeError:
        raise TypeError("%s must be a writable buffer (array.array, numpy array, "
                        "bytearray...), not %s" % (_where(fn, name), type(out).__name__)) from None
    if mv.readonly:
        raise TypeError("%s must be writable" % _where(fn, name))
    if not _format_ok(mv, kind):
        raise format_error(fn, name, mv, kind)
    if mv.ndim != 1 or not mv.c_contiguous:
        raise ValueError("%s must be one-dimensional and contiguous" % _where(fn, name))
    if mv.shape[0] != n:
        raise ValueError("%s has %d elements; the call needs %d" % (_where(fn, name), mv.shape[0], n))
    pins.append(out)
    return pin(mv, pins)

