"""Owning wrappers for the library's opaque handles.

A handle is freed exactly once: by close() (or leaving its ``with`` block),
or by a weakref finaliser when the Python object is garbage collected, or at
interpreter exit.  Calls that read the handle may run in parallel threads
(ctypes releases the GIL); calls that change it wait until no call is
reading, and close() during a call defers the free until the last call
returns -- so no thread can make the C library use freed or changing memory.
"""

from __future__ import annotations

import ctypes
import threading
import weakref
from typing import Any, Callable

from .errors import error_class


class Handle:
    __slots__ = ("_ptr", "_finalizer", "_cond", "_readers", "_closing", "__weakref__")

    _KIND = "handle"

    def _adopt(self, ptr: int, free: Callable[[Any], None]) -> None:
        self._ptr = ptr
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._closing = False
        # the finaliser holds the C pointer and the free function, never self
        self._finalizer = weakref.finalize(self, free, ctypes.c_void_p(ptr))

    @staticmethod
    def _new(cfn: Callable[..., int], what: str) -> int:
        ptr = ctypes.c_void_p()
        rc = cfn(ctypes.byref(ptr))
        if rc:
            raise error_class(rc)(rc, what)
        return ptr.value

    def _closed_error(self) -> ValueError:
        return ValueError("%s is closed" % type(self).__name__)

    def _read(self) -> int:
        """Start a reading call: the pointer, valid until _done()."""
        with self._cond:
            if self._closing:
                raise self._closed_error()
            self._readers += 1
            return self._ptr

    def _done(self) -> None:
        with self._cond:
            self._readers -= 1
            if self._readers:
                return
            self._cond.notify_all()
            free_now = self._closing
        if free_now:
            self._finalizer()

    def _write(self, fn: Callable[[int], Any]) -> Any:
        """Run fn(pointer) with no reading call in flight."""
        with self._cond:
            while self._readers:
                self._cond.wait()
            if self._closing:
                raise self._closed_error()
            return fn(self._ptr)

    def close(self) -> None:
        """Free the C object now (idempotent); later use raises ValueError."""
        with self._cond:
            if self._closing:
                return
            self._closing = True
            free_now = self._readers == 0
        if free_now:
            self._finalizer()

    @property
    def closed(self) -> bool:
        return self._closing

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Reading:
    """``with Reading(handle) as ptr:`` -- one reading call."""

    __slots__ = ("_h",)

    def __init__(self, h: Handle) -> None:
        self._h = h

    def __enter__(self) -> int:
        return self._h._read()

    def __exit__(self, *exc: Any) -> None:
        self._h._done()
