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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scodesk/draft.h"
#include "core.h"
#include "fsafe.h"

/*
 * Drafts live in <folder of the database>/drafts/, one file per user and
 * database: <database file name>.<login>.json. In a shared office (the
 * database's folder group-writable with the set-gid bit) drafts/ is made
 * 2770 for the group by whoever needs it first, so every member can keep
 * theirs there; each draft is its user's own file, 0600. Since any member
 * may put anything in that folder, a name there is opened with
 * O_NOFOLLOW, and only a plain file of this user's is read or removed.
 */

/* The drafts folder's path into dir, and this user's draft's name into
 * name; false when they would not fit. */
static bool draft_names(sk_db *db, char *dir, size_t dsize, char *name, size_t nsize)
{
	const char *path = sk_path(db);
	sk_folder_of(path, dir, dsize);
	size_t n = strlen(dir);
	if (snprintf(dir + n, dsize - n, "/drafts") >= (int)(dsize - n))
		return false;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char login[64];
	snprintf(login, sizeof login, "%.*s", (int)strcspn(sk_user(db), " "), sk_user(db));
	for (char *p = login; *p; p++)
		if (*p == '/' || *p == '.')
			*p = '_';
	int m = snprintf(name, nsize, "%s.%s.json", base, login);
	return m > 0 && (size_t)m < nsize && (size_t)m + SK_FS_TEMP_ROOM <= NAME_MAX;
}

/* The drafts folder, opened (made when create): -1 with err otherwise. */
static int drafts_folder(const char *dir, bool create, sk_err *err)
{
	char parent[PATH_MAX];
	struct stat st;
	sk_folder_of(dir, parent, sizeof parent);
	bool shared = stat(parent, &st) == 0 && sk_fs_shared_folder(&st);
	return sk_fs_folder(dir, create, shared, err);
}

static bool is_draft_temp(const char *name, const void *ctx)
{
	return sk_fs_is_temp_of(name, ctx);
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		data += w;
		len -= (size_t)w;
	}
	return true;
}

sk_status sk_draft_save(sk_db *db, const sk_record *rec, bool is_new, sk_err *err)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], tmp[NAME_MAX + 1], now[21];
	/* --read-only changes nothing anywhere, and a draft could never be
	 * saved from a read-only session anyway. */
	if (sk_readonly(db))
		return sk_fail(err, SK_READONLY, NULL, "%s is open read-only, so no draft is kept",
		               sk_path(db));
	if (!draft_names(db, dir, sizeof dir, name, sizeof name))
		return sk_fail(err, SK_IO, NULL, "cannot keep a draft beside %s: the name is too "
		               "long", sk_path(db));
	sk_err e;
	int dfd = drafts_folder(dir, true, &e);
	if (dfd < 0)
		return sk_fail(err, e.status == SK_REFUSED ? SK_REFUSED : SK_IO, NULL,
		               "cannot keep the draft: %s", e.msg);
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
		close(dfd);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	/* What an earlier session killed while writing its draft left. */
	sk_fs_remove_abandoned(dfd, is_draft_temp, name, -1);
	int fd = sk_fs_temp(dfd, name, tmp, sizeof tmp);
	bool ok = fd >= 0 && write_all(fd, b.data, b.len) && fsync(fd) == 0 &&
	          renameat(dfd, tmp, dfd, name) == 0;
	int saved = errno;
	sk_buf_free(&b);
	if (!ok && fd >= 0)
		unlinkat(dfd, tmp, 0);
	if (fd >= 0)
		close(fd);
	if (ok)
		fsync(dfd);
	close(dfd);
	if (!ok)
		return sk_fail(err, SK_IO, NULL, "cannot keep the draft in %s/%s: %s", dir, name,
		               strerror(saved));
	return SK_OK;
}

/* This user's draft file, opened for reading into *fd; SK_NOTFOUND when
 * there is none, SK_REFUSED when what has its name is not a plain file of
 * this user's (it is left alone). */
static sk_status open_draft(int dfd, const char *dir, const char *name, int *fd, sk_err *err)
{
	*fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ENOENT)
			return sk_fail(err, SK_NOTFOUND, NULL, "no draft");
		if (errno == ELOOP)
			return sk_fail(err, SK_REFUSED, NULL, "%s/%s is a symbolic link, not a draft "
			               "of yours; it was left alone", dir, name);
		return sk_fail(err, SK_IO, NULL, "cannot read the draft %s/%s: %s", dir, name,
		               strerror(errno));
	}
	struct stat st;
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1) {
		close(*fd);
		*fd = -1;
		return sk_fail(err, SK_REFUSED, NULL, "%s/%s is not a plain file of yours, so it "
		               "is not taken for your draft; it was left alone", dir, name);
	}
	return SK_OK;
}

sk_status sk_draft_load(sk_db *db, sk_record **rec, bool *is_new, char saved_at[21],
                        sk_err *err)
{
	*rec = NULL;
	char dir[PATH_MAX], name[NAME_MAX + 1];
	if (!draft_names(db, dir, sizeof dir, name, sizeof name))
		return sk_fail(err, SK_NOTFOUND, NULL, "no draft");
	sk_err e;
	int dfd = drafts_folder(dir, false, &e);
	if (dfd < 0)
		return sk_fail(err, e.status == SK_NOTFOUND ? SK_NOTFOUND : e.status, NULL, "%s",
		               e.status == SK_NOTFOUND ? "no draft" : e.msg);
	int fd;
	sk_status opened = open_draft(dfd, dir, name, &fd, err);
	if (opened != SK_OK) {
		close(dfd);
		return opened;
	}
	sk_buf b = {0};
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			sk_buf_addn(&b, chunk, (size_t)n);
	close(fd);
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
			s = sk_fail(err, SK_INVALID, NULL, "the draft %s/%s cannot be read; it was set "
			            "aside", dir, name);
	}
	sqlite3_finalize(st);
	sk_buf_free(&b);
	if (s == SK_INVALID) {
		/* Keep an unreadable draft for a person to look at, out of the way. */
		char aside[NAME_MAX + 16];
		snprintf(aside, sizeof aside, "%s.unreadable", name);
		renameat(dfd, name, dfd, aside);
	}
	close(dfd);
	return s;
}

void sk_draft_discard(sk_db *db)
{
	char dir[PATH_MAX], name[NAME_MAX + 1];
	if (!draft_names(db, dir, sizeof dir, name, sizeof name))
		return;
	int dfd = drafts_folder(dir, false, NULL);
	if (dfd < 0)
		return;
	/* Only a plain file of this user's goes. */
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid())
		unlinkat(dfd, name, 0);
	close(dfd);
}
