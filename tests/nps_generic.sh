#!/bin/sh
# tests/nps_generic.sh - run the NPS suite again with the AVX2 counting path
# switched off (LIBCS_NO_AVX2), so the portable 16-byte path is tested on
# machines that would otherwise always take the AVX2 one.
: "${top_builddir:=.}"
LIBCS_NO_AVX2=1 exec "$top_builddir/tests/test_nps"
