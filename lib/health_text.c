/* lib/health_text.c - the text form of a health model, written by
 * libcs_health_model_format() and read by libcs_health_model_parse():
 *
 *   libcs-health 1
 *   aggregation weighted-mean            (or worst-of)
 *   missing drop 0.5                     (or worst; minimum coverage)
 *   bands 50 75                          (red max, yellow max)
 *   measure "Logins per week" 30 linear 0 10      (bad, good)
 *   measure "Support tickets" 20 tiers 100 3 60 6 0  (p0 b1 p1 b2 p2)
 *   measure "Executive sponsor" 10 yesno 100 0    (yes, no)
 *
 * One statement per line; '#' starts a comment line; tokens are separated by
 * blanks; names are double-quoted with \" and \\ as the only escapes.
 * Numbers are read and written in the C locale whatever the caller's locale,
 * so a model file means the same everywhere. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_internal.h"

#define HEALTH_TEXT_VERSION 1
#define MAX_TOKENS (4 + 2 * LIBCS_HEALTH_TIERS_MAX)

/* ---- writing ------------------------------------------------------------ */

struct sink {
    char *buf;
    size_t cap, len;
};

static void put(struct sink *s, const char *text, size_t n)
{
    if (s->len < s->cap) {
        size_t room = s->cap - s->len;
        memcpy(s->buf + s->len, text, n < room ? n : room);
    }
    s->len += n;
}

static void puts_(struct sink *s, const char *text)
{
    put(s, text, strlen(text));
}

/* The shortest of %.15g, %.16g, %.17g that reads back to the same double. */
static void put_number(struct sink *s, double x)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, " %.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    puts_(s, tmp);
}

static void put_name(struct sink *s, const char *name)
{
    puts_(s, " \"");
    for (const char *p = name; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(s, "\\", 1);
        put(s, p, 1);
    }
    put(s, "\"", 1);
}

/* Run fn in the C numeric locale of this thread, then restore the caller's. */
struct c_locale {
    locale_t c, old;
};

static int c_locale_enter(struct c_locale *cl)
{
    cl->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (cl->c == (locale_t)0)
        return LIBCS_ENOMEM;
    cl->old = uselocale(cl->c);
    return LIBCS_OK;
}

static void c_locale_leave(struct c_locale *cl)
{
    uselocale(cl->old);
    freelocale(cl->c);
}

/* Write the text into (buf, cap) when cap > 0, and return its length. */
static size_t format_into(const libcs_health_model *model, char *buf,
                          size_t cap)
{
    struct sink s = {buf, cap, 0};
    char head[64];
    snprintf(head, sizeof head, "libcs-health %d\naggregation %s\nmissing %s",
             HEALTH_TEXT_VERSION,
             model->aggregation == LIBCS_HEALTH_WORST_OF ? "worst-of"
                                                         : "weighted-mean",
             model->missing == LIBCS_HEALTH_MISSING_WORST ? "worst" : "drop");
    puts_(&s, head);
    put_number(&s, model->min_coverage);
    puts_(&s, "\nbands");
    put_number(&s, model->red_max);
    put_number(&s, model->yellow_max);
    puts_(&s, "\n");
    for (size_t j = 0; j < model->k; j++) {
        const struct health_measure *me = &model->m[j];
        puts_(&s, "measure");
        put_name(&s, me->name);
        put_number(&s, me->weight);
        switch (me->rule) {
        case HEALTH_RULE_LINEAR:
            puts_(&s, " linear");
            put_number(&s, me->bad);
            put_number(&s, me->good);
            break;
        case HEALTH_RULE_TIERS: {
            size_t nb = me->n_tiers - 1;
            puts_(&s, " tiers");
            put_number(&s, me->tiers[nb]);
            for (size_t i = 0; i < nb; i++) {
                put_number(&s, me->tiers[i]);
                put_number(&s, me->tiers[nb + 1 + i]);
            }
            break;
        }
        default:
            puts_(&s, " yesno");
            put_number(&s, me->good);
            put_number(&s, me->bad);
            break;
        }
        puts_(&s, "\n");
    }
    return s.len;
}

LIBCS_API int libcs_health_model_format(const libcs_health_model *model,
                                        char *buf, size_t cap, size_t *needed)
{
    struct c_locale cl;
    if (!model || (!buf && cap > 0))
        return LIBCS_EINVAL;
    LIBCS_TRY(c_locale_enter(&cl));
    /* measure first, so that a buffer too small is left untouched */
    size_t len = format_into(model, NULL, 0);
    if (cap > len)
        format_into(model, buf, cap);
    c_locale_leave(&cl);
    if (needed)
        *needed = len + 1; /* with the terminating NUL */
    if (cap < len + 1)
        return LIBCS_EBUFSIZE;
    buf[len] = '\0';
    return LIBCS_OK;
}

/* ---- reading -------------------------------------------------------------- */

struct token {
    const char *start; /* for names: the unescaped copy in the line buffer */
    size_t len;
    size_t col; /* 1-based byte column */
    int quoted;
};

struct parser {
    size_t line, col; /* where the error is */
};

static int fail_at(struct parser *ps, const struct token *t, int code)
{
    ps->col = t->col;
    return code;
}

/* Split one line into tokens.  Quoted names are unescaped into `names`
 * (a buffer as long as the line). */
static int tokenize(struct parser *ps, const char *line, size_t len,
                    char *names, struct token *tok, size_t *ntok)
{
    size_t i = 0, n = 0, out = 0;
    while (i < len) {
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
            i++;
            continue;
        }
        /* tokens past MAX_TOKENS are checked and counted, not stored: only
         * an over-long tier list gets there, and it is reported as such */
        struct token spare, *t = n < MAX_TOKENS ? &tok[n] : &spare;
        n++;
        t->col = i + 1;
        if (line[i] == '"') {
            t->quoted = 1;
            t->start = names + out; /* names[] is as long as the line */
            i++;
            for (;;) {
                if (i >= len) {
                    ps->col = t->col; /* unterminated name */
                    return LIBCS_EFORMAT;
                }
                char c = line[i];
                if (c == '"')
                    break;
                if (c == '\\') {
                    if (i + 1 >= len || (line[i + 1] != '"' && line[i + 1] != '\\')) {
                        ps->col = i + 1;
                        return LIBCS_EFORMAT;
                    }
                    c = line[++i];
                } else if ((unsigned char)c < 0x20 || c == 0x7f) {
                    ps->col = i + 1;
                    return LIBCS_EFORMAT;
                }
                names[out++] = c;
                i++;
            }
            t->len = (size_t)(names + out - t->start);
            names[out++] = '\0';
            i++; /* the closing quote */
            if (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                ps->col = i + 1;
                return LIBCS_EFORMAT;
            }
        } else {
            t->quoted = 0;
            t->start = line + i;
            while (i < len && line[i] != ' ' && line[i] != '\t' &&
                   line[i] != '\r') {
                if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f ||
                    line[i] == '"') {
                    ps->col = i + 1;
                    return LIBCS_EFORMAT;
                }
                i++;
            }
            t->len = (size_t)(line + i - t->start);
        }
    }
    *ntok = n;
    return LIBCS_OK;
}

static int is_word(const struct token *t, const char *w)
{
    return !t->quoted && t->len == strlen(w) && memcmp(t->start, w, t->len) == 0;
}

static int number(struct parser *ps, const struct token *t, double *x)
{
    char tmp[64], *end;
    if (t->quoted || t->len == 0 || t->len >= sizeof tmp)
        return fail_at(ps, t, LIBCS_EFORMAT);
    memcpy(tmp, t->start, t->len);
    tmp[t->len] = '\0';
    double v = strtod(tmp, &end);
    if (end != tmp + t->len)
        return fail_at(ps, t, LIBCS_EFORMAT);
    if (!isfinite(v))
        return fail_at(ps, t, LIBCS_ENONFINITE);
    *x = v;
    return LIBCS_OK;
}

static int expect_count(struct parser *ps, const struct token *tok,
                        size_t ntok, size_t want, size_t line_len)
{
    if (ntok > want)
        return fail_at(ps, &tok[want], LIBCS_EFORMAT); /* extra token */
    if (ntok < want) {
        ps->col = line_len + 1; /* missing token at the end of the line */
        return LIBCS_EFORMAT;
    }
    return LIBCS_OK;
}

/* One statement.  `seen` tracks the settings already given. */
static int statement(struct parser *ps, libcs_health_model *m,
                     const struct token *tok, size_t ntok, size_t line_len,
                     unsigned *seen)
{
    double a, b;
    const struct token *t0 = &tok[0];
    if (is_word(t0, "aggregation")) {
        LIBCS_TRY(expect_count(ps, tok, ntok, 2, line_len));
        if (*seen & 1)
            return fail_at(ps, t0, LIBCS_EFORMAT);
        *seen |= 1;
        if (is_word(&tok[1], "weighted-mean"))
            m->aggregation = LIBCS_HEALTH_WEIGHTED_MEAN;
        else if (is_word(&tok[1], "worst-of"))
            m->aggregation = LIBCS_HEALTH_WORST_OF;
        else
            return fail_at(ps, &tok[1], LIBCS_EFORMAT);
        return LIBCS_OK;
    }
    if (is_word(t0, "missing")) {
        int policy;
        LIBCS_TRY(expect_count(ps, tok, ntok, 3, line_len));
        if (*seen & 2)
            return fail_at(ps, t0, LIBCS_EFORMAT);
        *seen |= 2;
        if (is_word(&tok[1], "drop"))
            policy = LIBCS_HEALTH_MISSING_DROP;
        else if (is_word(&tok[1], "worst"))
            policy = LIBCS_HEALTH_MISSING_WORST;
        else
            return fail_at(ps, &tok[1], LIBCS_EFORMAT);
        LIBCS_TRY(number(ps, &tok[2], &a));
        int rc = libcs_health_model_set_missing(m, policy, a);
        return rc == LIBCS_OK ? rc : fail_at(ps, &tok[2], rc);
    }
    if (is_word(t0, "bands")) {
        LIBCS_TRY(expect_count(ps, tok, ntok, 3, line_len));
        if (*seen & 4)
            return fail_at(ps, t0, LIBCS_EFORMAT);
        *seen |= 4;
        LIBCS_TRY(number(ps, &tok[1], &a));
        LIBCS_TRY(number(ps, &tok[2], &b));
        int rc = libcs_health_model_set_bands(m, a, b);
        /* point at the red maximum only when it alone is off the scale */
        return rc == LIBCS_OK ? rc
                              : fail_at(ps, &tok[a >= 0 && a <= 100 ? 2 : 1],
                                        rc);
    }
    if (!is_word(t0, "measure"))
        return fail_at(ps, t0, LIBCS_EFORMAT);
    if (ntok < 4) {
        ps->col = line_len + 1;
        return LIBCS_EFORMAT;
    }
    if (!tok[1].quoted)
        return fail_at(ps, &tok[1], LIBCS_EFORMAT);
    const char *name = tok[1].start;
    if (strlen(name) != tok[1].len)
        return fail_at(ps, &tok[1], LIBCS_EFORMAT); /* embedded NUL */
    double weight;
    int rc = libcs__health_check_name(m, name);
    if (rc != LIBCS_OK)
        return fail_at(ps, &tok[1], rc);
    LIBCS_TRY(number(ps, &tok[2], &weight));
    if ((rc = libcs__health_check_weight(weight)) != LIBCS_OK)
        return fail_at(ps, &tok[2], rc);
    if (is_word(&tok[3], "linear") || is_word(&tok[3], "yesno")) {
        LIBCS_TRY(expect_count(ps, tok, ntok, 6, line_len));
        LIBCS_TRY(number(ps, &tok[4], &a));
        LIBCS_TRY(number(ps, &tok[5], &b));
        rc = is_word(&tok[3], "linear")
                 ? libcs_health_model_add_linear(m, name, weight, a, b)
                 : libcs_health_model_add_yesno(m, name, weight, a, b);
    } else if (is_word(&tok[3], "tiers")) {
        size_t nvals = ntok - 4; /* p0 b1 p1 ... : odd */
        if (nvals > 2 * LIBCS_HEALTH_TIERS_MAX - 1)
            return fail_at(ps, &tok[3], LIBCS_EDOMAIN); /* too many tiers */
        if (nvals == 0 || nvals % 2 == 0) {
            ps->col = nvals ? tok[ntok - 1].col : line_len + 1;
            return LIBCS_EFORMAT;
        }
        size_t n_tiers = (nvals + 1) / 2;
        double breaks[LIBCS_HEALTH_TIERS_MAX], points[LIBCS_HEALTH_TIERS_MAX];
        for (size_t i = 0; i < nvals; i++) {
            double x;
            LIBCS_TRY(number(ps, &tok[4 + i], &x));
            if (i % 2 == 0)
                points[i / 2] = x;
            else
                breaks[i / 2] = x;
        }
        rc = libcs_health_model_add_tiers(m, name, weight, n_tiers, breaks,
                                          points);
    } else
        return fail_at(ps, &tok[3], LIBCS_EFORMAT);
    return rc == LIBCS_OK ? rc : fail_at(ps, &tok[3], rc);
}

static int parse_text(struct parser *ps, const char *text, size_t len,
                      libcs_health_model *m)
{
    struct token tok[MAX_TOKENS];
    size_t pos = 0, ntok;
    int have_header = 0;
    unsigned seen = 0;
    char *names = malloc(len + 1);
    if (!names)
        return LIBCS_ENOMEM;
    int rc = LIBCS_OK;
    ps->line = 0;
    while (pos < len && rc == LIBCS_OK) {
        ps->line++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - line) : len - pos;
        pos += line_len + (nl ? 1 : 0);
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--; /* CRLF: columns as with LF */
        const char *nul = memchr(line, '\0', line_len);
        if (nul) {
            ps->col = (size_t)(nul - line) + 1;
            rc = LIBCS_EFORMAT;
            break;
        }
        size_t first = 0;
        while (first < line_len && (line[first] == ' ' || line[first] == '\t' ||
                                    line[first] == '\r'))
            first++;
        if (first == line_len || line[first] == '#')
            continue;
        rc = tokenize(ps, line, line_len, names, tok, &ntok);
        if (rc != LIBCS_OK)
            break;
        if (!have_header) {
            double version;
            if (!is_word(&tok[0], "libcs-health")) {
                rc = fail_at(ps, &tok[0], LIBCS_EFORMAT);
                break;
            }
            rc = expect_count(ps, tok, ntok, 2, line_len);
            if (rc == LIBCS_OK)
                rc = number(ps, &tok[1], &version);
            if (rc == LIBCS_OK && version != HEALTH_TEXT_VERSION)
                rc = fail_at(ps, &tok[1], LIBCS_EFORMAT);
            have_header = 1;
            continue;
        }
        rc = statement(ps, m, tok, ntok, line_len, &seen);
    }
    if (rc == LIBCS_OK && !have_header) {
        ps->line = ps->col = 1; /* the header line is missing */
        rc = LIBCS_EFORMAT;
    }
    free(names);
    return rc;
}

LIBCS_API int libcs_health_model_parse(const char *text, size_t len,
                                       libcs_health_model **out,
                                       size_t *error_line,
                                       size_t *error_column)
{
    libcs_health_model *m;
    struct c_locale cl;
    struct parser ps = {1, 1};
    if (!text || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs_health_model_new(&m));
    int rc = c_locale_enter(&cl);
    if (rc == LIBCS_OK) {
        rc = parse_text(&ps, text, len, m);
        c_locale_leave(&cl);
    }
    if (rc != LIBCS_OK) {
        libcs_health_model_free(m);
        if (error_line)
            *error_line = ps.line;
        if (error_column)
            *error_column = ps.col;
        return rc;
    }
    *out = m;
    return LIBCS_OK;
}
