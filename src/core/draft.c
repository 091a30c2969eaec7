/*
 * draft.c: keeping an unsaved form in a file (see draft.h).
 *
 * The file is a JSON object {"table":..., "is_new":0|1, "saved_at":...,
 * "values":{column: text|null, ...}}, written with core's JSON string
 * writer and read back with SQLite's JSON functions, so no parser of our
 * own is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scodesk/draft.h"
#include "core.h"

/* <folder of the database>/drafts/<database file name>.<login>.json */
static bool draft_path(sk_db *db, char *out, size_t size, bool make_folder)
{
	char copy[4096], copy2[4096];
	snprintf(copy, sizeof copy, "%s", sk_path(db));
	snprintf(copy2, sizeof copy2, "%s", sk_path(db));
	const char *dir = dirname(copy);
	const char *base = basename(copy2);
	char login[64];
	snprintf(login, sizeof login, "%.*s", (int)strcspn(sk_user(db), " "), sk_user(db));
	for (char *p = login; *p; p++)
		if (*p == '/' || *p == '.')
			*p = '_';
	int n = snprintf(out, size, "%s/drafts", dir);
	if (n < 0 || (size_t)n >= size)
		return false;
	if (make_folder && mkdir(out, 0700) != 0 && errno != EEXIST)
		return false;
	n = snprintf(out, size, "%s/drafts/%s.%s.json", dir, base, login);
	return n > 0 && (size_t)n < size;
}

sk_status sk_draft_save(sk_db *db, const sk_record *rec, bool is_new, sk_err *err)
{
	char path[4200], tmp[4300], now[21];
	if (!draft_path(db, path, sizeof path, true))
		return sk_fail(err, SK_IO, NULL, "cannot make the drafts folder beside %s: %s",
		               sk_path(db), strerror(errno));
	sk_now(now);
	sk_buf b = {0};
	sk_buf_add(&b, "{\"table\":");
	sk_buf_json_string(&b, rec->table->name);
	sk_buf_printf(&b, ",\"is_new\":%d,\"saved_at\":", is_new ? 1 : 0);
	sk_buf_json_string(&b, now);
	sk_buf_add(&b, ",\"values\":{");
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		sk_buf_add(&b, i ? "," : "");
		sk_buf_json_string(&b, rec->table->columns[i].name);
		sk_buf_add(&b, ":");
		sk_buf_json_string(&b, rec->values[i]);
	}
	sk_buf_add(&b, "}}\n");
	if (b.failed) {
		sk_buf_free(&b);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len && fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp, path) == 0;
	sk_buf_free(&b);
	if (!ok) {
		unlink(tmp);
		return sk_fail(err, SK_IO, NULL, "cannot keep the draft in %s: %s", path,
		               strerror(saved ? saved : errno));
	}
	return SK_OK;
}

sk_status sk_draft_load(sk_db *db, sk_record **rec, bool *is_new, char saved_at[21],
                        sk_err *err)
{
	*rec = NULL;
	char path[4200];
	if (!draft_path(db, path, sizeof path, false))
		return sk_fail(err, SK_NOTFOUND, NULL, "no draft");
	FILE *f = fopen(path, "rb");
	if (!f)
		return sk_fail(err, SK_NOTFOUND, NULL, "no draft");
	sk_buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sk_buf_addn(&b, chunk, n);
	fclose(f);
	sqlite3_stmt *st = NULL;
	sk_status s = b.failed || !b.data ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	              : sk_prepare(db, "SELECT json_extract(?1, '$.table'), json_extract(?1, '$.is_new'),"
	                           " json_extract(?1, '$.saved_at'), j.key, j.value"
	                           " FROM json_each(?1, '$.values') AS j", &st, err);
	if (s == SK_OK) {
		sqlite3_bind_text(st, 1, b.data, -1, SQLITE_STATIC);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!*rec) {
				const sk_table *t = sk_table_find((const char *)sqlite3_column_text(st, 0));
				if (!t || !(*rec = sk_record_new(t)))
					break;
				*is_new = sqlite3_column_int(st, 1) != 0;
				snprintf(saved_at, 21, "%s", sqlite3_column_text(st, 2)
				         ? (const char *)sqlite3_column_text(st, 2) : "");
			}
			sk_set(*rec, (const char *)sqlite3_column_text(st, 3),
			       (const char *)sqlite3_column_text(st, 4));
		}
		if (!*rec)
			s = sk_fail(err, SK_INVALID, NULL, "the draft %s cannot be read; it was set aside",
			            path);
	}
	sqlite3_finalize(st);
	sk_buf_free(&b);
	if (s == SK_INVALID) {
		/* Keep an unreadable draft for a person to look at, out of the way. */
		char aside[4300];
		snprintf(aside, sizeof aside, "%s.unreadable", path);
		rename(path, aside);
	}
	return s;
}

void sk_draft_discard(sk_db *db)
{
	char path[4200];
	if (draft_path(db, path, sizeof path, false))
		unlink(path);
}
