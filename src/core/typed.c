/*
 * typed.c: references typed by code, id or name, and dates typed relative
 * to today (typed.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"
#include "scodesk/typed.h"

/* Copies s without the spaces around it into out (cut to size). */
static void trimmed(const char *s, size_t n, char *out, size_t size)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What the column stores of record `id` of rt, into out: the id, or the
 * key a KEYREF names. */
static bool stored_of(sk_db *db, const sk_column *c, const sk_table *rt, long long id,
                      char *out, size_t size)
{
	if (c->type != SK_T_KEYREF) {
		snprintf(out, size, "%lld", id);
		return true;
	}
	sk_record *rec;
	if (sk_get_record(db, rt, id, &rec, NULL) != SK_OK)
		return false;
	const char *key = sk_get(rec, c->ref_column);
	snprintf(out, size, "%s", key ? key : "");
	sk_record_free(rec);
	return key != NULL;
}

/* The live records of rt whose column col equals v (in any case when
 * nocase): up to two ids into ids; returns how many (2: two or more), -1
 * on error. */
static int equal_rows(sk_db *db, const sk_table *rt, const char *col, const char *v,
                      bool nocase, long long ids[2], sk_err *err)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT id FROM \"%s\" WHERE \"%s\" = ?%s AND deleted_at IS NULL LIMIT 2",
	         rt->name, col, nocase ? " COLLATE NOCASE" : "");
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, sql, &st, err) != SK_OK)
		return -1;
	if (strcmp(col, "id") == 0)
		sqlite3_bind_int64(st, 1, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 2)
		ids[n++] = sqlite3_column_int64(st, 0);
	sk_release(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sk_fail_sqlite(db, err, "looking up a reference");
		return -1;
	}
	return n;
}

#define NAME_SCAN 64

typedef struct name_scan {
	const char *part;
	int n, exact;
	long long first, exact_id;
} name_scan;

static int scan_name(void *ctx, const sk_record *rec)
{
	name_scan *ns = ctx;
	char name[256];
	sk_record_name(rec, name, sizeof name);
	if (ns->n++ == 0)
		ns->first = sk_record_id(rec);
	if (strcasecmp(name, ns->part) == 0 && ns->exact++ == 0)
		ns->exact_id = sk_record_id(rec);
	return ns->n >= NAME_SCAN;
}

/* Resolves one part: 1 one record (its id in *id), 0 none, n > 1 several
 * (at least n), -1 error. */
static int resolve_part(sk_db *db, const sk_column *c, const sk_table *rt, const char *part,
                        long long *id, sk_err *err)
{
	long long ids[2];
	int n;
	/* the key or the id, exactly */
	if (c->type == SK_T_KEYREF) {
		if ((n = equal_rows(db, rt, c->ref_column, part, false, ids, err)) != 0)
			return *id = ids[0], n < 0 ? -1 : 1;
	} else if (all_digits(part) && strlen(part) < 19) {
		if ((n = equal_rows(db, rt, "id", part, false, ids, err)) != 0)
			return *id = ids[0], n < 0 ? -1 : 1;
	}
	/* a code of the table, in another case */
	for (size_t i = 0; i < rt->ncolumns; i++) {
		const sk_column *k = &rt->columns[i];
		if (k->type != SK_T_TEXT || !(k->flags & SK_F_UNIQUE))
			continue;
		n = equal_rows(db, rt, k->name, part, true, ids, err);
		if (n < 0)
			return -1;
		if (n == 1)
			return *id = ids[0], 1;
	}
	/* a name, or words of the record's text */
	sk_query q = {.text = part, .which = SK_LIVE, .limit = NAME_SCAN};
	name_scan ns = {.part = part};
	sk_status s = sk_list(db, rt, &q, scan_name, &ns, err);
	if (s != SK_OK)
		return -1;
	if (ns.exact == 1)
		return *id = ns.exact_id, 1;
	if (ns.n == 1)
		return *id = ns.first, 1;
	return ns.n;
}

sk_status sk_resolve_ref(sk_db *db, const sk_column *c, const char *text,
                         sk_resolved *out, sk_err *err)
{
	memset(out, 0, sizeof *out);
	out->kind = SK_RESOLVED_ONE;
	const sk_table *rt = c->ref_table ? sk_table_find(c->ref_table) : NULL;
	if (!rt || (c->type != SK_T_REF && c->type != SK_T_KEYREF && c->type != SK_T_LINKS))
		return sk_fail(err, SK_INVALID, c->name, "%s names no record", c->label);
	size_t len = 0;
	for (const char *p = text ? text : ""; *p;) {
		size_t n = c->type == SK_T_LINKS ? strcspn(p, ";") : strlen(p);
		char part[256];
		trimmed(p, n, part, sizeof part);
		p += n;
		p += *p == ';';
		if (!part[0])
			continue;
		long long id = 0;
		int found = resolve_part(db, c, rt, part, &id, err);
		if (found < 0)
			return err ? err->status : SK_DB;
		char one[256];
		if (found == 1 && !stored_of(db, c, rt, id, one, sizeof one))
			found = 0;
		if (found != 1) {
			out->kind = found == 0 ? SK_RESOLVED_NONE : SK_RESOLVED_MANY;
			snprintf(out->part, sizeof out->part, "%s", part);
			out->matches = found;
			if (found == 0)
				snprintf(out->msg, sizeof out->msg, "no %s matches \"%.200s\"", rt->label,
				         part);
			else
				snprintf(out->msg, sizeof out->msg, "%s%d %s match \"%.200s\"",
				         found >= NAME_SCAN ? "over " : "", found, rt->plural, part);
			return SK_OK;
		}
		/* the same record twice is once */
		bool again = false;
		for (const char *q = out->value; c->type == SK_T_LINKS && *q;
		     q += strcspn(q, ";"), q += *q == ';')
			again |= strtoll(q, NULL, 10) == id;
		if (again)
			continue;
		int w = snprintf(out->value + len, sizeof out->value - len, "%s%s", len ? ";" : "",
		                 one);
		if (w < 0 || (size_t)w >= sizeof out->value - len)
			return sk_fail(err, SK_INVALID, c->name, "%s: too many records", c->label);
		len += (size_t)w;
	}
	return SK_OK;
}

bool sk_date_expand(const char *today, const char *text, char out[11])
{
	char t[32];
	out[0] = '\0';
	trimmed(text ? text : "", strlen(text ? text : ""), t, sizeof t);
	if (sk_date_valid(t)) {
		memcpy(out, t, 11);
		return true;
	}
	if (!sk_date_valid(today))
		return false;
	if (strcasecmp(t, "today") == 0 || strcasecmp(t, "yesterday") == 0 ||
	    strcasecmp(t, "tomorrow") == 0) {
		long days = t[0] == 'y' || t[0] == 'Y' ? -1 : (t[2] == 'm' || t[2] == 'M') ? 1 : 0;
		sk_date_add_days(today, days, out);
		return true;
	}
	if (t[0] != '+' && t[0] != '-')
		return false;
	char *end;
	errno = 0;
	long n = strtol(t + 1, &end, 10);
	if (errno || end == t + 1 || !isdigit((unsigned char)t[1]) || n > 100000)
		return false;
	char unit = (char)tolower((unsigned char)*end);
	if (*end && end[1])
		return false;
	if (t[0] == '-')
		n = -n;
	switch (unit) {
	case '\0': case 'd': sk_date_add_days(today, n, out); break;
	case 'w': sk_date_add_days(today, n * 7, out); break;
	case 'm': sk_date_add_months(today, n, out); break;
	case 'y': sk_date_add_months(today, n * 12, out); break;
	default: return false;
	}
	return sk_date_valid(out) || (out[0] = '\0', false);
}
