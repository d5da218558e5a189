/* lib/status.c - version queries and status-code messages. */
#include "internal.h"

LIBCS_API int libcs_version_number(void)
{
    return LIBCS_VERSION_NUMBER;
}

LIBCS_API const char *libcs_version_string(void)
{
    return LIBCS_VERSION_STRING;
}

LIBCS_API const char *libcs_strerror(int code)
{
    switch (code) {
    case LIBCS_OK:
        return "success";
    case LIBCS_EINVAL:
        return "invalid argument (NULL pointer or unknown option)";
    case LIBCS_EDOMAIN:
        return "value outside its domain";
    case LIBCS_ENONFINITE:
        return "non-finite input (NaN or infinity)";
    case LIBCS_EEMPTY:
        return "empty input";
    case LIBCS_EUNDEFINED:
        return "result is mathematically undefined";
    case LIBCS_EOVERFLOW:
        return "overflow";
    case LIBCS_ENOMEM:
        return "out of memory";
    case LIBCS_EBUFSIZE:
        return "buffer too small";
    case LIBCS_ENOCONV:
        return "did not converge";
    case LIBCS_EDUPLICATE:
        return "duplicate record";
    case LIBCS_EFORMAT:
        return "malformed or unsupported data (serialized bytes or model text)";
    default:
        return "unknown libcs status code";
    }
}
