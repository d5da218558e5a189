"""libcs: customer-success metrics -- LTV, churn, revenue retention,
NPS/CSAT/CES, health scores, touch tiers, lifecycle stages, MRR movements
and cohorts, Kaplan-Meier retention curves, probabilistic CLV (BG/NBD,
Pareto/NBD, BG/BB and Gamma-Gamma), contract retention (shifted-beta-
geometric) -- from the libcs C library, through ctypes (no other
dependency).

Scalars in, floats out::

    >>> import libcs
    >>> libcs.ltv_subscription(arpu=100.0, margin=0.8, churn=0.05)
    1600.0

Every per-customer function has a ``*_batch`` twin that takes arrays (any
buffer of the right C type -- array.array, numpy, memoryview -- without
copying, or lists; a scalar argument applies to every element) and makes one
C call.  Errors are :class:`libcs.Error` subclasses, one per status code,
naming the argument and, in batches, the index at fault.  Accumulators
(:class:`NpsTally`, :class:`MrrLedger`), models (:class:`HealthModel`,
:class:`LifecyclePolicy`, :class:`BgNbd`, :class:`ParetoNbd`, :class:`BgBb`,
:class:`GammaGamma`, :class:`ShiftedBetaGeometric`) and curves
(:class:`KaplanMeier`) pickle, so they cross process boundaries.

The C library is found through LIBCS_LIBRARY (a path), then ``pkg-config
--variable=libdir libcs``, then the system loader; one older than
:data:`REQUIRED_VERSION` is refused.
"""

from __future__ import annotations

from . import _ffi, _loader
from .churn import *  # noqa: F401,F403
from .churn import __all__ as _churn_all
from .clv import *  # noqa: F401,F403
from .clv import __all__ as _clv_all
from .enums import *  # noqa: F401,F403
from .enums import __all__ as _enums_all
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all
from .health import *  # noqa: F401,F403
from .health import __all__ as _health_all
from .km import *  # noqa: F401,F403
from .km import __all__ as _km_all
from .lifecycle import *  # noqa: F401,F403
from .lifecycle import __all__ as _lifecycle_all
from .ltv import *  # noqa: F401,F403
from .ltv import __all__ as _ltv_all
from .mrr import *  # noqa: F401,F403
from .mrr import __all__ as _mrr_all
from .nps import *  # noqa: F401,F403
from .nps import __all__ as _nps_all
from .revenue import *  # noqa: F401,F403
from .revenue import __all__ as _revenue_all
from .survey import *  # noqa: F401,F403
from .survey import __all__ as _survey_all
from .touch import *  # noqa: F401,F403
from .touch import __all__ as _touch_all

#: The version of this Python package.
__version__ = "0.6.0"

#: The oldest C library version this package accepts, (major, minor, patch).
REQUIRED_VERSION = _loader.REQUIRED_VERSION

LibraryNotFoundError = _loader.LibraryNotFoundError
LibraryVersionError = _loader.LibraryVersionError


def version_number() -> int:
    """The loaded C library's version as major * 10**6 + minor * 1000 +
    patch (libcs_version_number)."""
    return int(_ffi.C.libcs_version_number())


def version_string() -> str:
    """The loaded C library's version, e.g. "0.3.0" (libcs_version_string)."""
    return _ffi.C.libcs_version_string().decode("ascii")


def version_info() -> tuple:
    """The loaded C library's version as (major, minor, patch)."""
    return _loader.decode_version(version_number())


def library_path() -> str:
    """The file of the C library in use."""
    return _ffi.LIBRARY_PATH


__all__ = sorted(
    ["__version__", "REQUIRED_VERSION", "LibraryNotFoundError", "LibraryVersionError",
     "version_number", "version_string", "version_info", "library_path"]
    + _churn_all + _clv_all + _enums_all + _errors_all + _health_all + _km_all + _lifecycle_all
    + _ltv_all + _mrr_all + _nps_all + _revenue_all + _survey_all + _touch_all)
