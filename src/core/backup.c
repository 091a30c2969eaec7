/*
 * backup.c: consistent copies of the database through SQLite's online
 * backup API, the rotating daily backup, and restoring a copy into the
 * live file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "core.h"
#include "fsafe.h"

/* The sticky bit is XSI, which _POSIX_C_SOURCE alone does not show. */
#ifndef S_ISVTX
#define S_ISVTX 01000
#endif

#define PATH_SIZE 4096
/* Pages copied per step: small enough that a copy of a large file gives
 * the processor back often, large enough that an office database (a few
 * thousand pages) takes a handful of steps. */
#define PAGES_PER_STEP 256
/* How long to sleep before asking again for a lock someone else holds. */
#define RETRY_MS 10

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/*
 * Steps b to the end, `pages` at a time (-1: all at once). A lock held by
 * another user (BUSY, LOCKED) is waited out in short sleeps, for as long
 * as a write would wait. Returns SQLITE_OK or the failing code.
 */
static int run_backup(sqlite3_backup *b, int pages)
{
	long waited = 0;
	for (;;) {
		int rc = sqlite3_backup_step(b, pages);
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
		if (rc == SQLITE_OK) {
			waited = 0;
			continue;
		}
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		if (waited >= SK_BUSY_TIMEOUT_MS)
			return rc;
		pause_ms(RETRY_MS);
		waited += RETRY_MS;
	}
}

/* Removes a temporary copy (name, in the folder dirfd) and whatever
 * SQLite made beside it. */
static void remove_temp(int dirfd, const char *name)
{
	static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
	char p[NAME_MAX + 16];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s%s", name, suffixes[i]);
		unlinkat(dirfd, p, 0);
	}
}

/* One integer from a pragma or query; -1 when it cannot be read. */
static long long query_int(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Whether a quick_check of c says "ok" and nothing else. */
static bool quick_check_ok(sqlite3 *c)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(st) == SQLITE_ROW &&
	          strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
	          sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok;
}

/*
 * Copies the main database of src to a new file at path with permissions
 * mode: a temporary file in the same folder (so that the rename is atomic
 * and never crosses a file system), filled by the backup API from one read
 * snapshot of src, switched to the rollback journal, checked, flushed,
 * then renamed into place. On failure the temporary file is removed and
 * err names path.
 */
static sk_status copy_to(sqlite3 *src, const char *path, mode_t mode, sk_err *err)
{
	/*
	 * The folder may be one others write (backups/ in a shared office,
	 * the database's own): the temporary file is made there with O_EXCL
	 * under a random name, relative to the folder opened once, and holds
	 * a lock while it is written (so that a cleanup leaves it alone).
	 * SQLite opens it by name: through the folder's resolved path, and
	 * with SQLITE_OPEN_NOFOLLOW, so that a link put in its place is
	 * refused, not followed; its own files beside it are opened with
	 * O_NOFOLLOW too.
	 */
	sk_err e;
	sk_status s = sk_fs_check_length(path, SK_FS_TEMP_ROOM + SK_FS_SIDE_ROOM, &e);
	if (s != SK_OK)
		return sk_fail(err, s, NULL, "cannot write the copy: %s", e.msg);
	char folder[PATH_SIZE], real[PATH_MAX], name[NAME_MAX + 1], tmp[PATH_MAX + NAME_MAX + 2];
	sk_folder_of(path, folder, sizeof folder);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int dirfd = sk_fs_open_real(folder, real, sizeof real);
	if (dirfd < 0)
		return sk_fail(err, SK_IO, NULL, "cannot write the copy %s: %s", path,
		               strerror(errno));
	int fd = sk_fs_temp(dirfd, base, name, sizeof name);
	if (fd < 0) {
		s = sk_fail(err, SK_IO, NULL, "cannot write the copy %s: %s", path, strerror(errno));
		close(dirfd);
		return s;
	}
	snprintf(tmp, sizeof tmp, "%s/%s", strcmp(real, "/") == 0 ? "" : real, name);
	struct stat made;
	/* sk_fs_temp makes 0600; a shared database's copy is for its group too. */
	if (fchmod(fd, mode) != 0 || fstat(fd, &made) != 0) {
		s = sk_fail(err, SK_IO, NULL, "cannot write the copy %s: %s", path, strerror(errno));
		remove_temp(dirfd, name);
		close(fd);
		close(dirfd);
		return s;
	}

	sqlite3 *dst = NULL;
	const char *failed = NULL;
	char why[256] = "";
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	                    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		failed = "cannot create it";
		snprintf(why, sizeof why, "%s", dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(dst, SK_BUSY_TIMEOUT_MS);

	/*
	 * Hold one read snapshot of src for the whole copy. Writers elsewhere
	 * go on meanwhile (WAL), and the copy never starts over because they
	 * wrote: it is the database as of one moment.
	 */
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		failed = "cannot read the database";
		snprintf(why, sizeof why, "%s", sqlite3_errmsg(src));
		sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc = b ? run_backup(b, PAGES_PER_STEP) : sqlite3_errcode(dst);
	int finish = b ? sqlite3_backup_finish(b) : rc;
	long long src_app = query_int(src, "PRAGMA application_id");
	long long src_version = query_int(src, "PRAGMA user_version");
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK || finish != SQLITE_OK) {
		failed = "copying failed";
		snprintf(why, sizeof why, "%s", sqlite3_errstr(rc != SQLITE_OK ? rc : finish));
		goto fail;
	}

	/* The copy carries the source's WAL flag in its header; a backup is
	 * better as one self-contained file. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		failed = "cannot set its journal mode";
		snprintf(why, sizeof why, "%s", sqlite3_errmsg(dst));
		goto fail;
	}
	if (!quick_check_ok(dst) || query_int(dst, "PRAGMA application_id") != src_app ||
	    query_int(dst, "PRAGMA user_version") != src_version) {
		failed = "the copy did not check out";
		snprintf(why, sizeof why, "its integrity check or header differs from the source");
		goto fail;
	}
	rc = sqlite3_close(dst);
	dst = NULL;
	if (rc != SQLITE_OK) {
		failed = "cannot close it";
		snprintf(why, sizeof why, "%s", sqlite3_errstr(rc));
		goto fail;
	}
	/* Only the file made above goes in place: not whatever someone put
	 * under its name meanwhile. */
	struct stat named;
	if (fstatat(dirfd, name, &named, AT_SYMLINK_NOFOLLOW) != 0 ||
	    named.st_dev != made.st_dev || named.st_ino != made.st_ino) {
		failed = "cannot put it in place";
		snprintf(why, sizeof why, "its temporary file %.100s was removed or replaced "
		         "meanwhile", name);
		goto fail;
	}
	if (fsync(fd) != 0 || renameat(dirfd, name, dirfd, base) != 0) {
		failed = "cannot put it in place";
		snprintf(why, sizeof why, "%s", strerror(errno));
		goto fail;
	}
	/* The lock goes with the descriptor, after SQLite has closed its own
	 * (closing another descriptor of a file drops SQLite's locks on it). */
	close(fd);
	int synced = fsync(dirfd);
	int saved = errno;
	close(dirfd);
	if (synced != 0)
		return sk_fail(err, SK_IO, NULL,
		               "the copy %s was written, but its folder could not be flushed to "
		               "the disk: %s", path, strerror(saved));
	return SK_OK;

fail:
	sqlite3_close(dst);
	remove_temp(dirfd, name);
	close(fd);
	close(dirfd);
	return sk_fail(err, SK_IO, NULL, "cannot make the copy %s: %s (%s); nothing was left "
	               "behind", path, failed, why);
}

/* Permissions for a copy of the database at db_path: the owner's, plus
 * the group's when the database is shared with its group. */
static mode_t copy_mode(const char *db_path)
{
	struct stat st;
	if (stat(db_path, &st) != 0)
		return 0600;
	return 0600 | (st.st_mode & 0060);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A temporary copy of `scodesk backup` into the backups folder, which
 * names each copy by the time: scodesk-backup-YYYYMMDDTHHMMSSZ.db.tmp-... */
static bool is_manual_temp(const char *name, const void *ctx)
{
	(void)ctx;
	static const char pattern[] = "scodesk-backup-DDDDDDDDTDDDDDDZ.db";
	char base[sizeof pattern];
	if (strnlen(name, sizeof pattern - 1) < sizeof pattern - 1)
		return false;
	for (size_t i = 0; pattern[i]; i++)
		if (pattern[i] == 'D' ? !(name[i] >= '0' && name[i] <= '9') : name[i] != pattern[i])
			return false;
	memcpy(base, name, sizeof pattern - 1);
	base[sizeof pattern - 1] = '\0';
	return sk_fs_is_temp_of(name, base);
}

static bool is_temp_of_target(const char *name, const void *ctx)
{
	return sk_fs_is_temp_of(name, ctx);
}

/*
 * Removes what copies to path that were cut short left beside it (path's
 * temporary names, this user's, no longer locked by a copy), and, in the
 * database's backups folder, what any cut-short `scodesk backup` left
 * there: first, so that a leftover that filled the disk does not make
 * this copy fail too.
 */
static void remove_abandoned_copies(sk_db *db, const char *path)
{
	char folder[PATH_SIZE], real[PATH_MAX], backups[PATH_SIZE];
	sk_folder_of(path, folder, sizeof folder);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int dirfd = sk_fs_open_real(folder, real, sizeof real);
	if (dirfd < 0)
		return;
	sk_fs_remove_abandoned(dirfd, is_temp_of_target, base, -1);
	struct stat a, b;
	sk_backup_dir(db, backups, sizeof backups);
	if (fstat(dirfd, &a) == 0 && stat(backups, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		sk_fs_remove_abandoned(dirfd, is_manual_temp, NULL, -1);
	close(dirfd);
}

sk_status sk_backup(sk_db *db, const char *path, sk_err *err)
{
	sk_err_clear(err);
	if (db->txn_depth > 0 || !sqlite3_get_autocommit(db->conn))
		return sk_fail(err, SK_INVALID, NULL,
		               "a copy cannot be made in the middle of a change; save or undo "
		               "it first");
	if (same_file(path, db->path))
		return sk_fail(err, SK_INVALID, NULL,
		               "%s is the database itself; a copy must go elsewhere", path);
	remove_abandoned_copies(db, path);
	return copy_to(db->conn, path, copy_mode(db->path), err);
}

/* ---- daily backups ----------------------------------------------------- */

void sk_backup_dir(sk_db *db, char *buf, size_t size)
{
	char dir[PATH_SIZE];
	sk_folder_of(db->path, dir, sizeof dir);
	snprintf(buf, size, "%s/backups", dir);
}

bool sk_backup_is_daily_name(const char *name)
{
	static const char pattern[] = "scodesk-DDDD-DD-DD.db";
	if (strlen(name) != sizeof pattern - 1)
		return false;
	for (size_t i = 0; pattern[i]; i++)
		if (pattern[i] == 'D' ? !(name[i] >= '0' && name[i] <= '9') : name[i] != pattern[i])
			return false;
	return true;
}

/* Whether the database's folder is shared with its group (setgid,
 * group-writable): then its backups folder is for every member. */
static bool db_folder_shared(sk_db *db)
{
	char parent[PATH_SIZE];
	struct stat st;
	sk_folder_of(db->path, parent, sizeof parent);
	return stat(parent, &st) == 0 && sk_fs_shared_folder(&st);
}

/* Opens the backups folder dir, made when it is missing: 0700, or 2770
 * when the database's folder is shared with its group, so that every
 * member can add and rotate the copies. -1 with err otherwise. */
static int open_backup_dir(sk_db *db, const char *dir, sk_err *err)
{
	sk_err e;
	int fd = sk_fs_folder(dir, true, db_folder_shared(db), &e);
	if (fd < 0)
		sk_fail(err, e.status, NULL, "cannot use the backup folder: %s", e.msg);
	return fd;
}

sk_status sk_backup_folder(sk_db *db, char *buf, size_t size, sk_err *err)
{
	sk_err_clear(err);
	sk_backup_dir(db, buf, size);
	int fd = open_backup_dir(db, buf, err);
	if (fd < 0)
		return err ? err->status : SK_IO;
	close(fd);
	return SK_OK;
}

/* A temporary copy left behind by a daily backup cut short (the process
 * killed, the machine down): scodesk-YYYY-MM-DD.db.tmp-XXXXXX. */
static bool is_daily_temp(const char *name, const void *ctx)
{
	(void)ctx;
	char daily[sizeof "scodesk-DDDD-DD-DD.db"];
	size_t len = sizeof daily - 1;
	if (strnlen(name, len) < len)
		return false;
	memcpy(daily, name, len);
	daily[len] = '\0';
	return sk_backup_is_daily_name(daily) && sk_fs_is_temp_of(name, daily);
}

/* How long another user's daily temporary file must have gone unwritten
 * before it counts as abandoned (this user's own are known abandoned when
 * no copy holds their lock): a copy in progress writes it all the time. */
#define STALE_TEMP_SECONDS 3600

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes the oldest daily backups in dir (by the date in their names)
 * until at most keep remain, never the one just made. */
static sk_status rotate(const char *dir, int keep, const char *made, sk_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return sk_fail(err, SK_IO, NULL, "the backup was made, but the folder %s cannot "
		               "be read to remove old ones: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	sk_status s = SK_OK;
	struct dirent *e;
	char p[PATH_SIZE + 320];
	struct stat st;
	while ((e = readdir(d))) {
		if (!sk_backup_is_daily_name(e->d_name))
			continue;
		/* Only plain files: a link with a backup's name is left alone. */
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown) {
				s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
				break;
			}
			names = grown;
		}
		if (!(names[n] = strdup(e->d_name))) {
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (s == SK_OK && n > 0)
		qsort(names, n, sizeof *names, compare_names);
	size_t excess = s == SK_OK && n > (size_t)keep ? n - (size_t)keep : 0;
	for (size_t i = 0; i < n && excess > 0; i++) {
		if (strcmp(names[i], made) == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (unlink(p) != 0 && s == SK_OK)
			s = sk_fail(err, SK_IO, NULL, "the backup was made, but the old backup %s "
			            "could not be removed: %s", p, strerror(errno));
		excess--;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return s;
}

/*
 * Today's daily backup in dir (NULL: the default folder, written into
 * dbuf): its base name and its path. The one place that names it, for the
 * backup and for the check whether one is due. Returns dir, or NULL when
 * the path would be too long.
 */
static const char *daily_name(sk_db *db, const char *dir, char dbuf[PATH_SIZE],
                              char base[32], char path[PATH_SIZE + 32])
{
	if (!dir) {
		sk_backup_dir(db, dbuf, PATH_SIZE);
		dir = dbuf;
	}
	snprintf(base, 32, "scodesk-%s.db", sk_today(db));
	if (snprintf(path, PATH_SIZE + 32, "%s/%s", dir, base) >= PATH_SIZE + 32)
		return NULL;
	return dir;
}

bool sk_backup_daily_due(sk_db *db, const char *dir, int keep)
{
	if (keep <= 0)
		return false;
	char dbuf[PATH_SIZE], base[32], name[PATH_SIZE + 32];
	struct stat st;
	/* A name too long or a stat that fails: due, so that the backup is
	 * tried and its error message says what is wrong. */
	return !daily_name(db, dir, dbuf, base, name) || stat(name, &st) != 0;
}

sk_status sk_backup_daily_ex(sk_db *db, const char *dir, int keep, char *made,
                             size_t size, sk_err *err)
{
	sk_err_clear(err);
	if (made && size)
		made[0] = '\0';
	if (keep <= 0)
		return SK_OK;
	char dbuf[PATH_SIZE], base[32], name[PATH_SIZE + 32];
	const char *folder = daily_name(db, dir, dbuf, base, name);
	if (!folder)
		return sk_fail(err, SK_IO, NULL, "the backup folder name %s is too long",
		               dir ? dir : dbuf);
	dir = folder;
	struct stat st;
	if (stat(name, &st) == 0)
		return SK_OK;
	if (errno != ENOENT)
		return sk_fail(err, SK_IO, NULL, "cannot look at the backup %s: %s", name,
		               strerror(errno));
	int dirfd = open_backup_dir(db, dir, err);
	if (dirfd < 0)
		return err ? err->status : SK_IO;
	/* what copies cut short left (a dropped link used to do it): before
	 * this copy, which might not fit beside them; in a shared office,
	 * another member's once it is an hour old */
	sk_fs_remove_abandoned(dirfd, is_daily_temp, NULL, STALE_TEMP_SECONDS);
	close(dirfd);
	sk_status s = sk_backup(db, name, err);
	if (s != SK_OK)
		return s;
	if (made && size)
		snprintf(made, size, "%s", name);
	return rotate(dir, keep, base, err);
}

sk_status sk_backup_daily(sk_db *db, const char *dir, int keep, sk_err *err)
{
	return sk_backup_daily_ex(db, dir, keep, NULL, 0, err);
}

/* ---- restore ------------------------------------------------------------ */

typedef struct first_finding {
	bool older; /* the schema is older: findings of missing columns are
	             * expected and the upgrade will add them */
	char text[400];
} first_finding;

static void keep_first(void *ctx, const char *finding)
{
	first_finding *f = ctx;
	if (f->text[0])
		return;
	if (f->older && strncmp(finding, "integrity:", 10) != 0 &&
	    strncmp(finding, "foreign key:", 12) != 0)
		return;
	snprintf(f->text, sizeof f->text, "%s", finding);
}

/* Whether the database in src is scodesk's and holds something: its
 * id, and a schema version of 1 or more (sk_open refused a newer one). */
static sk_status check_ours(sk_db *src, const char *from, sk_err *err)
{
	long long app = query_int(src->conn, "PRAGMA application_id");
	long long version = query_int(src->conn, "PRAGMA user_version");
	if (version < 0)
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is not a scodesk database (its schema version %lld is none "
		               "scodesk writes); it was not restored and nothing was changed",
		               from, version);
	if (app != SK_APPLICATION_ID || version < 1)
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s holds no scodesk data (it is an empty database); it was not "
		               "restored and nothing was changed", from);
	return SK_OK;
}

/* Whether the database in src may replace a live one: ours, not newer,
 * whole and with every reference intact. */
static sk_status check_sound(sk_db *src, const char *from, sk_err *err)
{
	sk_status s = check_ours(src, from, err);
	if (s != SK_OK)
		return s;
	long long version = query_int(src->conn, "PRAGMA user_version");
	first_finding f = {.older = version < SK_SCHEMA_VERSION};
	sk_err e;
	int n = sk_check(src, keep_first, &f, &e);
	if (n < 0)
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s cannot be checked (%s); it was not restored and nothing was "
		               "changed", from, e.msg);
	if (f.text[0])
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is not sound (%s); it was not restored and nothing was changed",
		               from, f.text);
	return SK_OK;
}

/*
 * The copy a restore upgrades and checks before anything is replaced: a
 * file made by mkstemp (mode 0600) in a folder made by mkdtemp (0700) in
 * $TMPDIR, or /tmp. SQLite keeps its journal, -wal and -shm beside the
 * copy and opens them by name; in a folder of this user's own nobody else
 * can put a name there first (a link to one of this user's files, which
 * SQLite would write through). The folder $TMPDIR names must then be one
 * where others cannot rename what is this user's: not writable by others,
 * or sticky, as /tmp is. It needs room for one more copy of the file
 * restored, upgraded.
 */
typedef struct private_copy {
	char dir[PATH_SIZE];
	char path[PATH_SIZE + 32];
	sk_db *db;
} private_copy;

static sk_status private_folder(char dir[PATH_SIZE], sk_err *err)
{
	const char *base = getenv("TMPDIR");
	if (!base || base[0] != '/')
		base = "/tmp";
	struct stat st;
	if (stat(base, &st) != 0)
		return sk_fail(err, SK_IO, NULL, "the folder for temporary files %s cannot be "
		               "used: %s; set TMPDIR to a folder of your own", base, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return sk_fail(err, SK_IO, NULL, "the folder for temporary files %s is not a "
		               "folder; set TMPDIR to a folder of your own", base);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return sk_fail(err, SK_REFUSED, NULL,
		               "others may change the folder for temporary files %s (mode %04o, "
		               "not sticky), so no private copy can be made in it; set TMPDIR to a "
		               "folder of your own", base, (unsigned)(st.st_mode & 07777));
	if (snprintf(dir, PATH_SIZE, "%s/scodesk-restore-XXXXXX", base) >= PATH_SIZE)
		return sk_fail(err, SK_IO, NULL, "the folder for temporary files %s has too "
		               "long a name", base);
	if (!mkdtemp(dir))
		return sk_fail(err, SK_IO, NULL, "cannot make a private folder in %s: %s", base,
		               strerror(errno));
	return SK_OK;
}

static void drop_private_copy(private_copy *pc)
{
	sk_close(pc->db);
	pc->db = NULL;
	if (pc->path[0] && pc->dir[0]) {
		/* the copy and SQLite's files beside it, in the private folder */
		int dfd = open(pc->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd >= 0) {
			remove_temp(dfd, pc->path + strlen(pc->dir) + 1);
			close(dfd);
		}
	}
	if (pc->dir[0])
		rmdir(pc->dir);
	pc->path[0] = pc->dir[0] = '\0';
}

/*
 * src copied into a private file (see private_copy), opened as any
 * database is (so its schema is verified), upgraded to this program's
 * schema version, and checked whole: what a restore puts in place. On
 * failure err says why, naming from; drop_private_copy cleans up in any
 * case.
 */
static sk_status upgraded_copy(sk_db *src, const char *from, private_copy *pc, sk_err *err)
{
	sk_err e;
	sk_status s = private_folder(pc->dir, &e);
	if (s != SK_OK) {
		pc->dir[0] = '\0';
		return sk_fail(err, s, NULL, "%s was not restored, and nothing was changed: %s",
		               from, e.msg);
	}
	snprintf(pc->path, sizeof pc->path, "%s/copy-XXXXXX", pc->dir);
	int fd = mkstemp(pc->path);
	if (fd < 0) {
		s = sk_fail(err, SK_IO, NULL, "%s was not restored, and nothing was changed: "
		            "cannot make a private copy in %s: %s", from, pc->dir, strerror(errno));
		pc->path[0] = '\0';
		return s;
	}
	close(fd);
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(pc->path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_db_config(dst, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", src->conn, "main");
		rc = b ? run_backup(b, PAGES_PER_STEP) : sqlite3_errcode(dst);
		int finish = b ? sqlite3_backup_finish(b) : rc;
		if (rc == SQLITE_OK)
			rc = finish;
	}
	if (rc != SQLITE_OK) {
		s = sk_fail(err, (rc & 0xff) == SQLITE_FULL ? SK_IO : SK_REFUSED, NULL,
		            "%s was not restored, and nothing was changed: copying it into %s "
		            "failed (%s)", from, pc->dir,
		            dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return s;
	}
	sqlite3_close(dst);
	s = sk_open(pc->path, 0, &pc->db, &e);
	if (s != SK_OK)
		return sk_fail(err, s == SK_NOMEM || s == SK_BUSY ? s : SK_REFUSED, NULL,
		               "%s was not restored, and nothing was changed: a copy of it could "
		               "not be brought to schema version %d (%s)", from, SK_SCHEMA_VERSION,
		               e.msg);
	return check_sound(pc->db, from, err);
}

/* The time now as YYYYMMDDTHHMMSSZ, for file names. */
static void file_stamp(char out[17])
{
	char now[21];
	sk_now(now);
	size_t j = 0;
	for (size_t i = 0; now[i] && j < 16; i++)
		if (now[i] != '-' && now[i] != ':')
			out[j++] = now[i];
	out[j] = '\0';
}

/* A name for the copy of the current database that does not exist yet. */
static void before_name(const char *db_path, char *buf, size_t size)
{
	char stamp[17];
	file_stamp(stamp);
	snprintf(buf, size, "%s.before-restore-%s", db_path, stamp);
	struct stat st;
	for (int i = 2; stat(buf, &st) == 0 && i < 1000; i++)
		snprintf(buf, size, "%s.before-restore-%s-%d", db_path, stamp, i);
}

/* path made absolute (against the working folder), for the audit log:
 * a relative name says nothing once the command is over. */
static void absolute(const char *path, char *buf, size_t size)
{
	char cwd[PATH_SIZE];
	if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s/%s", cwd, path);
}

/* Writes the audit entry of a restore into the restored database. */
static sk_status audit_restore(sk_db *live, const char *db_path, const char *before,
                               const char *from, sk_err *err)
{
	char full[2 * PATH_SIZE + 80];
	sk_buf b = {0}, a = {0};
	sk_buf_add(&b, "{\"database\":");
	absolute(db_path, full, sizeof full);
	sk_buf_json_string(&b, full);
	if (before[0]) {
		sk_buf_add(&b, ",\"copied_to\":");
		absolute(before, full, sizeof full);
		sk_buf_json_string(&b, full);
	}
	sk_buf_add(&b, "}");
	sk_buf_add(&a, "{\"restored_from\":");
	absolute(from, full, sizeof full);
	sk_buf_json_string(&a, full);
	sk_buf_add(&a, "}");
	sk_status s = b.failed || a.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                                   : sk_begin(live, err);
	if (s == SK_OK) {
		s = sk_audit(live, "restore", "database", 0, b.data, a.data, err);
		if (s == SK_OK)
			s = sk_commit(live, err);
		if (s != SK_OK)
			sk_rollback(live);
	}
	sk_buf_free(&b);
	sk_buf_free(&a);
	return s;
}

sk_status sk_restore_file_ex(const char *db_path, const char *from, char *saved,
                             size_t size, sk_err *err)
{
	sk_err_clear(err);
	if (saved && size)
		saved[0] = '\0';
	struct stat st;
	if (stat(from, &st) != 0)
		return sk_fail(err, errno == ENOENT ? SK_NOTFOUND : SK_IO, NULL,
		               "cannot restore from %s: %s", from, strerror(errno));
	if (same_file(from, db_path))
		return sk_fail(err, SK_INVALID, NULL,
		               "%s is the database itself; give a backup to restore from", from);

	/*
	 * Everything about `from` is looked at before the live file is: its
	 * schema (sk_open), its id and version, then a private copy of it
	 * upgraded and checked whole. Only that copy goes into the live file.
	 */
	sk_err e;
	sk_db *src = NULL, *live = NULL;
	private_copy pc = {.dir = "", .path = "", .db = NULL};
	sk_status s = sk_open(from, SK_OPEN_READONLY | SK_OPEN_NO_MIGRATE, &src, &e);
	if (s != SK_OK)
		return sk_fail(err, s == SK_NOMEM ? s : SK_REFUSED, NULL,
		               "%s was not restored, and nothing was changed: %s", from, e.msg);
	s = check_ours(src, from, err);
	if (s == SK_OK)
		s = upgraded_copy(src, from, &pc, err);
	sk_close(src);
	if (s != SK_OK) {
		drop_private_copy(&pc);
		return s;
	}

	/* The live file: scodesk's, writable; a missing one is made. Its own
	 * schema is not asked for (a restore is how a damaged one is put
	 * right); it is copied aside whatever it holds. */
	bool exists = stat(db_path, &st) == 0;
	s = sk_open(db_path, (exists ? 0 : SK_OPEN_CREATE) | SK_OPEN_NO_MIGRATE |
	                     SK_OPEN_NO_VERIFY, &live, &e);
	if (s == SK_OK && sk_readonly(live))
		s = sk_fail(&e, SK_READONLY, NULL, "you may not write it");
	if (s != SK_OK) {
		drop_private_copy(&pc);
		sk_close(live);
		return sk_fail(err, s, NULL, "cannot restore over %s, so nothing was changed: %s",
		               db_path, e.msg);
	}
	long long live_page = query_int(live->conn, "PRAGMA page_size");
	long long src_page = query_int(pc.db->conn, "PRAGMA page_size");
	if (exists && live_page != src_page) {
		s = sk_fail(err, SK_REFUSED, NULL,
		            "%s uses %lld-byte pages and %s %lld-byte ones; SQLite cannot copy "
		            "between them into a live database. Nothing was changed",
		            from, src_page, db_path, live_page);
		goto done;
	}

	char before[PATH_SIZE + 64] = "";
	if (exists) {
		before_name(db_path, before, sizeof before);
		s = copy_to(live->conn, before, copy_mode(db_path), &e);
		if (s != SK_OK) {
			s = sk_fail(err, s, NULL, "the current database could not be copied aside "
			            "first, so nothing was restored: %s", e.msg);
			goto done;
		}
		if (saved && size)
			snprintf(saved, size, "%s", before);
	}

	/*
	 * Into the live file, through SQLite: one write transaction that other
	 * users wait for (busy timeout) and then see, the WAL and the shared
	 * memory staying consistent. A copy of the file over it would not be
	 * seen by open connections and would break them.
	 */
	sqlite3_backup *b = sqlite3_backup_init(live->conn, "main", pc.db->conn, "main");
	int rc = b ? run_backup(b, -1) : sqlite3_errcode(live->conn);
	int finish = b ? sqlite3_backup_finish(b) : rc;
	if (rc != SQLITE_OK || finish != SQLITE_OK) {
		s = sk_fail(err, (rc & 0xff) == SQLITE_BUSY ? SK_BUSY : SK_IO, NULL,
		            "restoring %s into %s failed (%s); the database is as it was",
		            from, db_path, sqlite3_errstr(rc != SQLITE_OK ? rc : finish));
		goto done;
	}
	s = audit_restore(live, db_path, before, from, &e);
	if (s != SK_OK)
		s = sk_fail(err, s, NULL, "%s was restored into %s, but then: %s", from, db_path,
		            e.msg);
done:
	drop_private_copy(&pc);
	sk_close(live);
	return s;
}

sk_status sk_restore_file(const char *db_path, const char *from, sk_err *err)
{
	return sk_restore_file_ex(db_path, from, NULL, 0, err);
}
