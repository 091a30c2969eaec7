/*
 * validate.c: checks of single values against their column's description.
 *
 * Messages follow one shape, which the CSV importer reuses:
 *   TABLE: field "NAME": value "VALUE": reason
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "scodesk/inert.h"

/* Reads "PREFIX-N" with lo <= N <= hi. */
static bool prefixed_number(const char *v, const char *prefix, int lo, int hi)
{
	size_t n = strlen(prefix);
	if (strncmp(v, prefix, n) != 0 || v[n] != '-')
		return false;
	const char *d = v + n + 1;
	if (!*d || strlen(d) > 2 || *d == '0')
		return false;
	for (const char *p = d; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	int x = atoi(d);
	return x >= lo && x <= hi;
}

/* The grades, most junior first; SES after GS-15 and CTR last. */
static const struct { const char *p; int lo, hi; } grade_ranges[] = {
	{"E", 1, 9}, {"W", 1, 5}, {"O", 1, 10}, {"GS", 1, 15}, {"SES", 0, 0},
	{"FSN", 1, 13}, {"FP", 1, 9}, {"CTR", 0, 0},
};

int sk_grade_rank(const char *v)
{
	int base = 0;
	for (size_t i = 0; v && i < sizeof grade_ranges / sizeof grade_ranges[0]; i++) {
		const char *p = grade_ranges[i].p;
		int lo = grade_ranges[i].lo, hi = grade_ranges[i].hi;
		if (hi == 0 && strcmp(v, p) == 0)
			return base;
		if (hi > 0 && prefixed_number(v, p, lo, hi))
			return base + atoi(v + strlen(p) + 1) - lo;
		base += hi > 0 ? hi - lo + 1 : 1;
	}
	return -1;
}

const char *sk_check_grade(const char *v)
{
	if (sk_grade_rank(v) >= 0)
		return NULL;
	return "not a grade (E-1..E-9, W-1..W-5, O-1..O-10, GS-1..GS-15, "
	       "FSN-1..FSN-13, FP-1..FP-9, SES, CTR)";
}

static bool upper_or_digit(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *sk_check_case_id(const char *v)
{
	/* ^[A-Z0-9]{2}-[A-Z]-[A-Z0-9]{3}$ */
	if (strlen(v) == 8 && upper_or_digit(v[0]) && upper_or_digit(v[1]) &&
	    v[2] == '-' && v[3] >= 'A' && v[3] <= 'Z' && v[4] == '-' &&
	    upper_or_digit(v[5]) && upper_or_digit(v[6]) && upper_or_digit(v[7]))
		return NULL;
	return "not an FMS case id (country code, agency letter, designator: "
	       "BN-B-OBS)";
}

/* The security cooperation workforce code of a billet: SC, a digit, the
 * functional-area letter, the proficiency-level digit (SC1A2). The level
 * digit is compared with the billet's required_cert_level in rules.c. */
const char *sk_check_sc_code(const char *v)
{
	/* ^SC[0-9][A-Z][0-9]$ */
	if (strlen(v) == 5 && v[0] == 'S' && v[1] == 'C' && v[2] >= '0' && v[2] <= '9' &&
	    v[3] >= 'A' && v[3] <= 'Z' && v[4] >= '0' && v[4] <= '9')
		return NULL;
	return "not a security cooperation workforce code (SC, a digit, a functional-area "
	       "letter, a level digit: SC1A2)";
}

const char *sk_check_agency(const char *v)
{
	if (strlen(v) == 1 && v[0] >= 'A' && v[0] <= 'Z')
		return NULL;
	return "not an implementing agency letter (B Army, D Air Force, P Navy, ...)";
}

const char *sk_check_billet_number(const char *v)
{
	for (const char *p = v; *p; p++)
		if (*p == ';' || (unsigned char)*p < 0x20)
			return "a billet number may not hold ';' or control characters";
	return NULL;
}

const char *sk_check_setting_key(const char *v)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return "a setting key is lower-case letters, digits and '_'";
	return NULL;
}

const char *sk_check_date(const char *v)
{
	return sk_date_valid(v) ? NULL : "not a date (YYYY-MM-DD)";
}

const char *sk_check_timestamp(const char *v)
{
	char date[11];
	if (strlen(v) != 20 || v[10] != 'T' || v[13] != ':' || v[16] != ':' ||
	    v[19] != 'Z')
		return "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)";
	memcpy(date, v, 10);
	date[10] = '\0';
	int hh = 0, mm = 0, ss = 0;
	for (int i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (v[i] < '0' || v[i] > '9'))
			return "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)";
	hh = atoi(v + 11);
	mm = atoi(v + 14);
	ss = atoi(v + 17);
	if (!sk_date_valid(date) || hh > 23 || mm > 59 || ss > 59)
		return "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)";
	return NULL;
}

/* Parses a whole decimal integer; false for anything else. */
static bool parse_int(const char *v, long long *out)
{
	if (!*v || (*v == '0' && v[1]) || (*v == '-' && (v[1] == '0' || !v[1])))
		return false;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || *end || end == v || *v == '+' || *v == ' ')
		return false;
	*out = x;
	return true;
}

/* The value as it goes into a message: cut at 40 bytes on a character
 * boundary. */
static void shown(const char *v, char out[64])
{
	size_t n = strlen(v);
	if (n <= 40) {
		memcpy(out, v, n + 1);
		return;
	}
	size_t cut = 40;
	while (cut > 0 && ((unsigned char)v[cut] & 0xc0) == 0x80)
		cut--;
	memcpy(out, v, cut);
	memcpy(out + cut, "...", 4);
}

sk_status sk_invalid(sk_err *err, const sk_table *t, const char *field,
                     const char *value, const char *reason)
{
	char v[64];
	if (!value) {
		sk_fail(err, SK_INVALID, field, "%s: field \"%s\": %s", t->name, field, reason);
	} else {
		shown(value, v);
		sk_fail(err, SK_INVALID, field, "%s: field \"%s\": value \"%s\": %s", t->name,
		        field, v, reason);
	}
	/* for a screen: the field's label, and the value as it shows it */
	const sk_column *c = sk_column_find(t, field);
	if (err && c) {
		if (value && c->type == SK_T_ENUM)
			value = sk_enum_label(c->enumeration, value);
		else if (value && c->type == SK_T_BOOL)
			value = strcmp(value, "1") == 0 ? "yes" : strcmp(value, "0") == 0 ? "no" : value;
		if (value) {
			shown(value, v);
			snprintf(err->says, sizeof err->says, "%s \"%s\": %s", c->label, v, reason);
		} else {
			snprintf(err->says, sizeof err->says, "%s: %s", c->label, reason);
		}
	}
	return SK_INVALID;
}

sk_status sk_invalid_says(sk_err *err, const sk_table *t, const char *field,
                          const char *value, const char *reason, const char *says)
{
	sk_invalid(err, t, field, value, reason);
	if (err)
		snprintf(err->says, sizeof err->says, "%s", says);
	return SK_INVALID;
}

/* Is there a live row of table with column = value? 1 yes, 0 no, 2 only a
 * deleted one, -1 error. */
static int ref_state(sk_db *db, const char *table, const char *column,
                     const char *value, bool integer, sk_err *err)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT deleted_at IS NULL FROM \"%s\" WHERE \"%s\" = ?"
	         " ORDER BY deleted_at IS NULL DESC LIMIT 1", table, column);
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, sql, &st, err) != SK_OK)
		return -1;
	if (integer)
		sqlite3_bind_int64(st, 1, strtoll(value, NULL, 10));
	else
		sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int state = rc == SQLITE_ROW ? (sqlite3_column_int(st, 0) ? 1 : 2)
	            : rc == SQLITE_DONE ? 0 : -1;
	if (state < 0)
		sk_fail_sqlite(db, err, "checking a reference");
	sk_release(db, st);
	return state;
}

static sk_status check_ref(sk_db *db, const sk_table *t, const sk_column *c,
                           const char *value, const char *column,
                           bool integer, sk_err *err)
{
	int state = ref_state(db, c->ref_table, column, value, integer, err);
	if (state < 0)
		return err ? err->status : SK_DB;
	/* A file of history may refer to a record deleted since: the
	 * reference was good when made, and the round trip must hold. */
	if (state == 1 || (state == 2 && (db->write_flags & SK_W_IMPORT)))
		return SK_OK;
	const sk_table *rt = sk_table_find(c->ref_table);
	char reason[160];
	snprintf(reason, sizeof reason, state == 0 ? "no such %s" : "that %s is deleted",
	         rt ? rt->label : c->ref_table);
	return sk_invalid(err, t, c->name, value, reason);
}

static sk_status check_unique(sk_db *db, const sk_table *t, const sk_column *c,
                              const char *value, long long id, sk_err *err)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT id FROM \"%s\" WHERE \"%s\" = ? AND id IS NOT ? LIMIT 1",
	         t->name, c->name);
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, sql, &st, err) != SK_OK)
		return err ? err->status : SK_DB;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
	if (id > 0)
		sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	long long other = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sk_release(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sk_fail_sqlite(db, err, "checking uniqueness");
	if (other) {
		char reason[96];
		snprintf(reason, sizeof reason, "already used by %s %lld", t->label, other);
		return sk_invalid(err, t, c->name, value, reason);
	}
	return SK_OK;
}

sk_status sk_validate_unique_within(sk_db *db, const sk_record *rec, sk_err *err)
{
	const sk_table *t = rec->table;
	long long id = sk_record_id(rec);
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		const char *v = rec->values[i];
		int w = c->unique_within ? sk_column_index(t, c->unique_within) : -1;
		if (w < 0 || !v || !*v)
			continue;
		const sk_column *wc = &t->columns[w];
		const char *wv = rec->values[w];
		char sql[256];
		snprintf(sql, sizeof sql,
		         "SELECT id FROM \"%s\" WHERE \"%s\" = ? AND \"%s\" IS ? AND id IS NOT ?"
		         " LIMIT 1", t->name, c->name, wc->name);
		sqlite3_stmt *st;
		if (sk_prepare_cached(db, sql, &st, err) != SK_OK)
			return err ? err->status : SK_DB;
		bool integer = c->type == SK_T_REF || c->type == SK_T_INT;
		if (integer)
			sqlite3_bind_int64(st, 1, strtoll(v, NULL, 10));
		else
			sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
		if (wv && *wv && (wc->type == SK_T_REF || wc->type == SK_T_INT))
			sqlite3_bind_int64(st, 2, strtoll(wv, NULL, 10));
		else if (wv && *wv)
			sqlite3_bind_text(st, 2, wv, -1, SQLITE_TRANSIENT);
		if (id > 0)
			sqlite3_bind_int64(st, 3, id);
		int rc = sqlite3_step(st);
		long long other = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sk_release(db, st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sk_fail_sqlite(db, err, "checking uniqueness");
		if (other) {
			/* "within the same case": what the two share, as a reader
			 * names it */
			const sk_table *rt = wc->ref_table ? sk_table_find(wc->ref_table) : NULL;
			char reason[160];
			snprintf(reason, sizeof reason, "already used by %s %lld of the same %s",
			         t->label, other, rt ? rt->label : wc->label);
			return sk_invalid(err, t, c->name, v, reason);
		}
	}
	return SK_OK;
}

sk_status sk_validate_value(sk_db *db, const sk_table *t, const sk_column *c,
                            const char *v, long long id, sk_err *err)
{
	if (!v || !*v) {
		if ((c->flags & SK_F_REQUIRED) && c->type != SK_T_ID)
			return sk_invalid(err, t, c->name, NULL, "required, but empty");
		return SK_OK;
	}
	long off = sk_utf8_check(v, strlen(v));
	if (off >= 0) {
		char reason[64];
		snprintf(reason, sizeof reason, "not valid UTF-8 (byte %ld)", off + 1);
		return sk_invalid(err, t, c->name, NULL, reason);
	}
	long long x;
	const char *why = NULL;
	char reason[128];
	switch (c->type) {
	case SK_T_ID:
	case SK_T_REF:
		if (!parse_int(v, &x) || x <= 0)
			return sk_invalid(err, t, c->name, v, "not a record id (a whole number above 0)");
		if (c->type == SK_T_REF)
			return check_ref(db, t, c, v, "id", true, err);
		return SK_OK;
	case SK_T_INT:
		if (!parse_int(v, &x))
			return sk_invalid(err, t, c->name, v, "not a whole number");
		if (c->min < c->max && (x < c->min || x > c->max)) {
			snprintf(reason, sizeof reason, "out of range (%lld to %lld)", c->min, c->max);
			return sk_invalid(err, t, c->name, v, reason);
		}
		return SK_OK;
	case SK_T_MONEY:
		if (!parse_int(v, &x))
			return sk_invalid(err, t, c->name, v, "not a whole number of dollars");
		if (x < 0)
			return sk_invalid(err, t, c->name, v, "money may not be negative");
		return SK_OK;
	case SK_T_BOOL:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return sk_invalid(err, t, c->name, v, "not 0 or 1");
		return SK_OK;
	case SK_T_DATE:
		why = sk_check_date(v);
		break;
	case SK_T_TIMESTAMP:
		why = sk_check_timestamp(v);
		break;
	case SK_T_ENUM:
		if (sk_enum_index(c->enumeration, v) < 0) {
			sk_buf b = {0};
			sk_buf_add(&b, "not one of ");
			for (size_t i = 0; i < c->enumeration->count; i++) {
				sk_buf_add(&b, i ? ", " : "");
				sk_buf_add(&b, c->enumeration->values[i].code);
			}
			sk_status s = sk_invalid(err, t, c->name, v, b.failed ? "not allowed" : b.data);
			sk_buf_free(&b);
			if (err) {
				size_t n = (size_t)snprintf(err->says, sizeof err->says, "%s: not one of ",
				                            c->label);
				for (size_t i = 0; i < c->enumeration->count && n < sizeof err->says; i++)
					n += (size_t)snprintf(err->says + n, sizeof err->says - n, "%s%s",
					                      i ? ", " : "", c->enumeration->values[i].label);
			}
			return s;
		}
		return SK_OK;
	case SK_T_KEYREF:
		return check_ref(db, t, c, v, c->ref_column, false, err);
	case SK_T_LINKS: {
		const char *p = v;
		while (*p) {
			size_t n = strcspn(p, ";");
			char one[24];
			if (n == 0 || n >= sizeof one)
				return sk_invalid(err, t, c->name, v, "not a ';'-separated list of ids");
			memcpy(one, p, n);
			one[n] = '\0';
			if (!parse_int(one, &x) || x <= 0)
				return sk_invalid(err, t, c->name, v, "not a ';'-separated list of ids");
			if (check_ref(db, t, c, one, "id", true, err) != SK_OK)
				return SK_INVALID;
			p += n;
			if (*p == ';' && !*++p)
				return sk_invalid(err, t, c->name, v, "not a ';'-separated list of ids");
		}
		return SK_OK;
	}
	case SK_T_TEXT:
		if (c->check)
			why = c->check(v);
		break;
	case SK_T_DERIVED:
		return SK_OK;
	}
	if (why)
		return sk_invalid(err, t, c->name, v, why);
	if ((c->flags & SK_F_UNIQUE) && db)
		return check_unique(db, t, c, v, id, err);
	return SK_OK;
}
