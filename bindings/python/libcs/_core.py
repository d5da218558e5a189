"""The machinery shared by the scalar and batch bindings: argument specs,
the library's validation rules (to name the argument at fault when a call
fails; the status code itself always comes from the library), and the
generic scalar and batch calls."""

from __future__ import annotations

import ctypes
import math
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from . import _buffers as B
from .errors import Error, Status, error_class  # noqa: F401 (Status re-exported)

SIZE_MAX = 2**(8 * ctypes.sizeof(ctypes.c_size_t)) - 1


class Rule(NamedTuple):
    """One of the library's checks, as its documentation states it: when a
    call fails with `code` and `ok(values)` is false, `arg` is at fault."""
    code: int
    arg: Optional[str]
    ok: Callable[[Dict[str, Any]], bool]
    text: str


def nonneg(a: str) -> Rule:
    return Rule(Status.EDOMAIN, a, lambda v: v[a] >= 0, "must be >= 0")


def fraction(a: str) -> Rule:
    return Rule(Status.EDOMAIN, a, lambda v: 0 <= v[a] <= 1,
                "must be a fraction in [0, 1]")


def rule(code: int, a: Optional[str], ok: Callable[[Dict[str, Any]], bool],
         text: str) -> Rule:
    return Rule(code, a, ok, text)


class Arg(NamedTuple):
    name: str
    kind: B.Kind
    array: bool = True  # in the batch form: an array (else one scalar for all)


class Spec:
    """A function family: its Python name, its arguments in C order and the
    rules the library checks them by (in the library's order)."""

    def __init__(self, name: str, args: Sequence[Arg], rules: Iterable[Rule] = (),
                 other: Optional[Dict[int, str]] = None) -> None:
        self.name = name
        self.args = list(args)
        self.rules = list(rules)
        self.other = other or {}


def blame(spec: Spec, code: int, values: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """(argument, rule) that explains `code` for these argument values, or
    (None, a note) when no single argument is at fault."""
    if code == Status.ENONFINITE:
        for arg in spec.args:
            v = values.get(arg.name)
            if arg.kind.is_float and isinstance(v, float) and not math.isfinite(v):
                return arg.name, None
    for r in spec.rules:
        if r.code == code:
            try:
                fine = r.ok(values)
            except (TypeError, ValueError, KeyError, ArithmeticError):
                fine = True
            if not fine:
                return r.arg, r.text
    return None, spec.other.get(code)


def fail(spec: Spec, code: int, values: Dict[str, Any], function: Optional[str] = None,
         index: Any = None) -> Error:
    """The exception for a failed call."""
    arg, detail = blame(spec, code, values)
    kw: Dict[str, Any] = {}
    if arg is not None:
        kw["value"] = values.get(arg)
    return error_class(code)(code, function or spec.name, arg, index,
                             detail=detail, **kw)


def convert(spec: Spec, args: Sequence[Any], fn: Optional[str] = None) -> List[Any]:
    fn = fn or spec.name
    return [B.to_scalar(a, arg.kind, fn, arg.name) for arg, a in zip(spec.args, args)]


def call_scalar(spec: Spec, cfn: Callable[..., int], args: Sequence[Any]) -> float:
    """Call a scalar function `int f(args..., double *out)`."""
    vals = convert(spec, args)
    out = ctypes.c_double()
    rc = cfn(*vals, ctypes.byref(out))
    if rc:
        raise fail(spec, rc, {a.name: v for a, v in zip(spec.args, vals)})
    return out.value


def call_batch(spec: Spec, cfn: Callable[..., int], args: Sequence[Any],
               out: Any = None) -> Any:
    """Call a batch function `int f(n, arrays..., scalars..., double *out,
    size_t *bad_index)`.  Scalars given for array arguments are broadcast;
    the result is a numpy array if any input was one, else array.array('d')
    (or `out`, filled in place)."""
    fn = spec.name + "_batch"
    with B.Pins() as pins:
        inputs: List[Any] = []
        n: Optional[int] = None
        first = ""
        numpy = False
        for arg, a in zip(spec.args, args):
            if not arg.array or B.is_scalar(a):
                inputs.append(B.to_scalar(a, arg.kind, fn, arg.name))
                continue
            item = B.as_input(a, arg.kind, fn, arg.name, pins)
            numpy = numpy or item.numpy
            if n is None:
                n, first = item.n, arg.name
            elif item.n != n:
                raise ValueError("%s: %s has %d elements but %s has %d"
                                 % (fn, arg.name, item.n, first, n))
            inputs.append(item)
        if n is None:
            raise TypeError("%s: at least one argument must be an array (use %s() "
                            "for a single customer)" % (fn, spec.name))
        arrays, scalars = [], []
        for arg, item in zip(spec.args, inputs):
            if not arg.array:
                scalars.append(item)
            elif isinstance(item, B.Input):
                arrays.append(item.addr)
            else:
                arrays.append(B.repeat(item, arg.kind, n, pins))
        if out is None:
            result, out_addr = B.new_output(B.DOUBLE, n, numpy)
        else:
            result, out_addr = out, B.as_output(out, B.DOUBLE, n, fn, pins)
        bad = ctypes.c_size_t(SIZE_MAX)
        rc = cfn(n, *arrays, *scalars, out_addr, ctypes.byref(bad))
        if rc:
            index = bad.value if bad.value != SIZE_MAX else None
            values: Dict[str, Any] = {}
            for arg, item, addr in zip(spec.args, inputs, _addrs(spec, arrays)):
                if not arg.array or not isinstance(item, B.Input):
                    values[arg.name] = item
                elif index is not None:
                    values[arg.name] = B.read(arg.kind, addr, index)
            raise fail(spec, rc, values, fn, index)
    return result


def _addrs(spec: Spec, arrays: List[int]) -> List[Optional[int]]:
    it = iter(arrays)
    return [next(it) if arg.array else None for arg in spec.args]

