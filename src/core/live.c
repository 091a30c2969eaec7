/*
 * live.c: what others changed while the interface was open (see
 * store.h: sk_data_version, sk_changed_since).
 */
#include <string.h>

#include "core.h"

int64_t sk_data_version(sk_db *db)
{
	int64_t version = -1;
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, "PRAGMA data_version", &st, NULL) != SK_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sk_release(db, st);
	return version;
}

sk_status sk_changed_since(sk_db *db, int64_t mark, const int64_t skip[][2], int nskip,
                           sk_changed *out, sk_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	sk_status s = sk_prepare_cached(db,
	        "SELECT table_name, count(DISTINCT row_id), count(*) - count(row_id)"
	        " FROM audit_log WHERE id > ?1"
	        " AND id NOT BETWEEN ?2 AND ?3 AND id NOT BETWEEN ?4 AND ?5"
	        " AND id NOT BETWEEN ?6 AND ?7 AND id NOT BETWEEN ?8 AND ?9"
	        " GROUP BY table_name",
	        &st, err);
	if (s != SK_OK)
		return s;
	sqlite3_bind_int64(st, 1, mark);
	for (int i = 0; i < SK_CHANGED_SKIPS; i++) {
		/* an unused range: from 1 to 0 holds no id */
		sqlite3_bind_int64(st, 2 + 2 * i, i < nskip ? skip[i][0] : 1);
		sqlite3_bind_int64(st, 3 + 2 * i, i < nskip ? skip[i][1] : 0);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 1) + sqlite3_column_int64(st, 2);
		if (n <= 0)
			continue;
		const sk_table *t = name ? sk_table_find(name) : NULL;
		out->records += n;
		out->tables++;
		out->table = out->tables == 1 ? t : NULL;
	}
	sk_release(db, st);
	if (rc != SQLITE_DONE)
		return sk_fail_sqlite(db, err, "reading the audit log");
	return SK_OK;
}
