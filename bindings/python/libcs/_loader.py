"""Finding and loading the libcs shared library, and refusing one too old.

Search order: the path in the environment variable LIBCS_LIBRARY (and only
that path when it is set), then the directory that ``pkg-config
--variable=libdir libcs`` names, then the system loader (``libcs.so.0``, then
:func:`ctypes.util.find_library`).  The first library found is the one used;
if its :func:`libcs_version_number` is older than :data:`REQUIRED_VERSION`
the import fails with :class:`LibraryVersionError`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import subprocess
import sys
from typing import List, Optional, Tuple

#: The oldest C library this binding was written for, as (major, minor, patch).
REQUIRED_VERSION = (0, 6, 0)
#: The same as libcs_version_number() encodes it: major * 10**6 + minor * 1000 + patch.
REQUIRED_NUMBER = REQUIRED_VERSION[0] * 1000000 + REQUIRED_VERSION[1] * 1000 + REQUIRED_VERSION[2]

if sys.platform == "darwin":
    SONAME = "libcs.0.dylib"
    DEVNAME = "libcs.dylib"
else:
    SONAME = "libcs.so.0"  # libtool: libcs.so.(current - age)
    DEVNAME = "libcs.so"


class LibraryNotFoundError(ImportError):
    """No libcs shared library could be found or loaded."""


class LibraryVersionError(ImportError):
    """The libcs shared library found is older than this binding needs."""


def decode_version(number: int) -> Tuple[int, int, int]:
    """(major, minor, patch) of a number as libcs_version_number() returns it."""
    return (number // 1000000, number // 1000 % 1000, number % 1000)


def _pkg_config_libdir() -> Tuple[Optional[str], str]:
    """The libdir pkg-config reports for libcs, and a note for error messages."""
    exe = os.environ.get("PKG_CONFIG", "pkg-config")
    try:
        proc = subprocess.run([exe, "--variable=libdir", "libcs"],
                              capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, "pkg-config: not run (%s)" % exc
    libdir = proc.stdout.strip()
    if proc.returncode != 0 or not libdir:
        return None, "pkg-config --variable=libdir libcs: no libcs.pc found"
    return libdir, "pkg-config: libdir %s" % libdir


def candidates() -> Tuple[List[Tuple[str, str]], List[str]]:
    """[(how, path-or-name)] in search order, and notes on places that gave
    nothing (for the error message)."""
    explicit = os.environ.get("LIBCS_LIBRARY")
    if explicit:
        return [("LIBCS_LIBRARY", explicit)], []
    found: List[Tuple[str, str]] = []
    notes: List[str] = ["LIBCS_LIBRARY: not set"]
    libdir, note = _pkg_config_libdir()
    if libdir is not None:
        paths = [os.path.join(libdir, name) for name in (SONAME, DEVNAME)]
        present = [p for p in paths if os.path.exists(p)]
        if present:
            found.append(("pkg-config", present[0]))
        else:
            note += " (but no %s there)" % SONAME
    notes.append(note)
    found.append(("system loader", SONAME))
    name = ctypes.util.find_library("cs")
    if name and name != SONAME:
        found.append(("ctypes.util.find_library", name))
    return found, notes


def _check(lib: ctypes.CDLL, where: str) -> int:
    try:
        fn = lib.libcs_version_number
    except AttributeError:
        raise LibraryNotFoundError(
            "%s is not a libcs library (it has no libcs_version_number)" % where) from None
    fn.argtypes = []
    fn.restype = ctypes.c_int
    number = fn()
    if number < REQUIRED_NUMBER:
        raise LibraryVersionError(
            "libcs at %s is version %d.%d.%d, but this Python binding needs "
            "libcs %d.%d.%d or newer; install a newer libcs or point "
            "LIBCS_LIBRARY at one" % ((where,) + decode_version(number) + REQUIRED_VERSION))
    return number


def load() -> Tuple[ctypes.CDLL, str, str]:
    """Load the library: (the CDLL, the path or name it was loaded by, how it
    was found).  Raises LibraryNotFoundError or LibraryVersionError."""
    found, notes = candidates()
    errors: List[str] = []
    for how, path in found:
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            if how == "LIBCS_LIBRARY":
                raise LibraryNotFoundError(
                    "LIBCS_LIBRARY=%s cannot be loaded: %s" % (path, exc)) from None
            errors.append("%s: %s" % (how, exc))
            continue
        _check(lib, "%s (%s)" % (path, how) if how != "LIBCS_LIBRARY"
               else "%s (LIBCS_LIBRARY)" % path)
        return lib, path, how
    raise LibraryNotFoundError(
        "the libcs C library (%s) was not found.  Tried: %s.  Install libcs "
        "(./configure && make && make install), or set LIBCS_LIBRARY to the "
        "path of %s (in a build tree: lib/.libs/%s)"
        % (SONAME, "; ".join(notes + errors), SONAME, SONAME))


def loaded_path(lib: ctypes.CDLL, name: str) -> str:
    """The file the loader actually mapped for `lib` (resolving a bare
    soname through /proc/self/maps where there is one)."""
    if os.sep in name:
        return os.path.realpath(name)
    base = os.path.basename(name)
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.split(None, 5)[-1].strip()
                if os.path.basename(path).startswith(base):
                    return path
    except OSError:
        pass
    return name
