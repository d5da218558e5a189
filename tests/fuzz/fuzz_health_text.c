/* tests/fuzz/fuzz_health_text.c - libFuzzer target for the health model's
 * text form.  The input bytes are the text.  Properties checked on every
 * input: the parser never crashes or reads past len (ASan/UBSan); an error
 * leaves *out untouched and points at a real place (line 1..lines, column
 * 1..line length + 1); a text that parses formats to a text that parses
 * again, formats to the same bytes and scores the same. */
#include <libcs.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model's text in a fresh buffer; aborts on any inconsistency. */
static char *format_alloc(const libcs_health_model *m, size_t *len)
{
    size_t needed = 0, again = 0;
    if (libcs_health_model_format(m, NULL, 0, &needed) != LIBCS_EBUFSIZE ||
        needed == 0)
        abort();
    char *buf = malloc(needed);
    if (!buf)
        abort();
    /* a buffer one byte short is still too small, with the same size */
    if (libcs_health_model_format(m, buf, needed - 1, &again) !=
            LIBCS_EBUFSIZE ||
        again != needed)
        abort();
    if (libcs_health_model_format(m, buf, needed, &again) != LIBCS_OK ||
        again != needed || strlen(buf) + 1 != needed)
        abort();
    *len = needed - 1;
    return buf;
}

/* Same score, band and coverage (or the same error) on one row. */
static void same_scores(const libcs_health_model *a,
                        const libcs_health_model *b, const double *row)
{
    double s1 = -1, s2 = -1, c1 = -1, c2 = -1;
    int b1 = -1, b2 = -1;
    int r1 = libcs_health_score(a, row, &s1, &b1, &c1);
    int r2 = libcs_health_score(b, row, &s2, &b2, &c2);
    if (r1 != r2 || b1 != b2 || c1 != c2 ||
        !((isnan(s1) && isnan(s2)) || s1 == s2))
        abort();
    if (r1 == LIBCS_OK && !isnan(s1) && !(s1 >= 0 && s1 <= 100))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes: no NUL after it for the parser to lean
     * on */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    libcs_health_model *const untouched = (libcs_health_model *)&text;
    libcs_health_model *m = untouched, *m2 = NULL;
    size_t line = 0, col = 0;
    int rc = libcs_health_model_parse(text, size, &m, &line, &col);
    if (rc != LIBCS_OK) {
        if (m != untouched || rc >= 0 || libcs_strerror(rc)[0] == '\0')
            abort();
        if (rc == LIBCS_ENOMEM) {
            free(text);
            return 0;
        }
        /* the error is on a line of the text, at most one past its end */
        size_t start = 0, l = 1;
        for (size_t i = 0; i < size && l < line; i++)
            if (text[i] == '\n') {
                l++;
                start = i + 1;
            }
        if (line < 1 || l != line || col < 1)
            abort();
        size_t end = start;
        while (end < size && text[end] != '\n')
            end++;
        if (col > end - start + 1)
            abort();
        free(text);
        return 0;
    }
    free(text);

    size_t len1, len2, k1, k2;
    char *t1 = format_alloc(m, &len1);
    rc = libcs_health_model_parse(t1, len1, &m2, &line, &col);
    if (rc != LIBCS_OK)
        abort(); /* what format writes, parse reads */
    char *t2 = format_alloc(m2, &len2);
    if (len1 != len2 || memcmp(t1, t2, len1) != 0)
        abort();
    if (libcs_health_model_measures(m, &k1) ||
        libcs_health_model_measures(m2, &k2) || k1 != k2)
        abort();
    /* rows every rule accepts: all 0, all 1, all missing, mixed */
    double *row = malloc((k1 ? k1 : 1) * sizeof *row);
    if (!row)
        abort();
    for (int r = 0; r < 4; r++) {
        for (size_t j = 0; j < k1; j++)
            row[j] = r == 0   ? 0.0
                     : r == 1 ? 1.0
                     : r == 2 || j % 3 == 0 ? NAN
                                            : (double)(j & 1);
        same_scores(m, m2, row);
    }
    free(row);
    free(t1);
    free(t2);
    libcs_health_model_free(m);
    libcs_health_model_free(m2);
    return 0;
}
