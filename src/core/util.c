/*
 * util.c: errors, growing strings and calendar arithmetic for core.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"

sk_status sk_fail(sk_err *err, sk_status status, const char *field,
                  const char *fmt, ...)
{
	if (!err)
		return status;
	err->status = status;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	err->says[0] = '\0';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return status;
}

void sk_err_clear(sk_err *err)
{
	if (err) {
		err->status = SK_OK;
		err->field[0] = '\0';
		err->msg[0] = '\0';
	}
}

const char *sk_status_name(sk_status status)
{
	static const char *const names[] = {
		[SK_OK] = "ok", [SK_INVALID] = "invalid",
		[SK_CONFLICT] = "conflict", [SK_NOTFOUND] = "not found",
		[SK_REFUSED] = "refused", [SK_BUSY] = "busy",
		[SK_READONLY] = "read-only", [SK_IO] = "i/o",
		[SK_DB] = "database", [SK_NOMEM] = "out of memory",
		[SK_GONE] = "deleted",
	};
	if ((unsigned)status < sizeof names / sizeof names[0])
		return names[status];
	return "unknown";
}

/* ---- sk_buf ------------------------------------------------------------ */

static bool buf_reserve(sk_buf *b, size_t more)
{
	if (b->failed)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void sk_buf_addn(sk_buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void sk_buf_add(sk_buf *b, const char *s)
{
	sk_buf_addn(b, s, strlen(s));
}

void sk_buf_printf(sk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sk_buf_json_string(sk_buf *b, const char *s)
{
	if (!s) {
		sk_buf_add(b, "null");
		return;
	}
	sk_buf_add(b, "\"");
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char hex[7];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(hex, sizeof hex, "\\u%04x", *p);
				esc = hex;
			}
		}
		if (esc) {
			sk_buf_addn(b, run, (size_t)((const char *)p - run));
			sk_buf_add(b, esc);
			run = (const char *)p + 1;
		}
	}
	sk_buf_add(b, run);
	sk_buf_add(b, "\"");
}

void sk_buf_sql_literal(sk_buf *b, const char *s)
{
	sk_buf_add(b, "'");
	for (; *s; s++)
		sk_buf_addn(b, *s == '\'' ? "''" : s, *s == '\'' ? 2 : 1);
	sk_buf_add(b, "'");
}

void sk_buf_free(sk_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* ---- dates ------------------------------------------------------------- */

static bool parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1)
		return false;
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *d <= mdays[*m - 1] + (*m == 2 ? leap : 0);
}

bool sk_date_valid(const char *s)
{
	int y, m, d;
	return parse_date(s, &y, &m, &d);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	char buf[32];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
	memcpy(out, buf, 11);
	out[10] = '\0';
}

long sk_days_between(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;
	if (!parse_date(a, &ya, &ma, &da) || !parse_date(b, &yb, &mb, &db))
		return 0;
	return days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da);
}

void sk_date_add_days(const char *a, long days, char out[11])
{
	int y, m, d;
	if (!parse_date(a, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	civil_from_days(days_from_civil(y, m, d) + days, out);
}

void sk_date_add_months(const char *a, long months, char out[11])
{
	int y, m, d;
	if (!parse_date(a, &y, &m, &d)) {
		out[0] = '\0';
		return;
	}
	long total = (long)y * 12 + (m - 1) + months;
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int last = mdays[m - 1] + (m == 2 ? leap : 0);
	char buf[32];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d > last ? last : d);
	memcpy(out, buf, 11);
	out[10] = '\0';
}
