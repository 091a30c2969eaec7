/*
 * test_files.c: what scodesk will open. The whole path to a database is
 * checked for who may change it; pipes, devices, folders and names too
 * long are refused at once, leaving nothing behind.
 *
 * Some parts need a second user and run only as root. Elsewhere they are
 * left out with a '#' line.
 */
#define _DEFAULT_SOURCE /* flock, setgroups */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "scodesk/draft.h"
#include "scodesk/share.h"
#include "testutil.h"

#define NOBODY 65534

/* ---- helpers ------------------------------------------------------------- */

static int say(char *msg, size_t size, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int say(char *msg, size_t size, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Names in dir, sorted, joined by spaces. */
static void listing(const char *dir, char *buf, size_t size)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' 2>&1 | LC_ALL=C sort | tr '\\n' ' '", dir);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	pclose(f);
}

static sk_db *open_ok(const char *path, unsigned flags)
{
	sk_db *db = NULL;
	sk_err err;
	if (sk_open(path, flags, &db, &err) != SK_OK)
		fail_msg("cannot open %s: %s", path, err.msg);
	return db;
}

static void refused(const char *path, unsigned flags, const char *says)
{
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(path, flags, &db, &err);
	if (s == SK_OK) {
		sk_close(db);
		fail_msg("%s was opened", path);
	}
	if (says && !strstr(err.msg, says))
		fail_msg("no \"%s\" in: %s", says, err.msg);
}

/* ---- the whole path is checked ------------------------------------------------ */

static void path_is_checked_all_the_way(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	char a[400], b[450], path[500];
	snprintf(a, sizeof a, "%s/a", t.dir);
	snprintf(b, sizeof b, "%s/b", a);
	snprintf(path, sizeof path, "%s/test.db", b);
	sk_db *db = open_ok(path, SK_OPEN_CREATE);
	sk_close(db);
	/* A folder higher up that anyone may change: anyone could put another
	 * b, and in it another database, in its place. */
	assert_int_equal(chmod(a, 0777), 0);
	refused(path, 0, a);
	refused(path, SK_OPEN_READONLY, "chmod o-w");
	/* Sticky, like /tmp: only owners may rename. */
	assert_int_equal(chmod(a, 01777), 0);
	sk_close(open_ok(path, 0));
	/* A relative name is looked at up from the working folder. */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(b), 0);
	assert_int_equal(chmod(a, 0777), 0);
	refused("test.db", 0, "chmod o-w");
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(chmod(a, 0700), 0);

	if (geteuid() != 0) {
		printf("# not root: files of other users were not tried\n");
		tu_close(&t);
		return;
	}
	/* Root opening nobody's private database: refused like anyone. */
	assert_int_equal(chown(path, NOBODY, NOBODY), 0);
	refused(path, 0, "belongs to");
	refused(path, SK_OPEN_READONLY, path);
	/* nobody's, but the file of a group root is in: the shared group's. */
	assert_int_equal(chown(path, NOBODY, 0), 0);
	assert_int_equal(chmod(path, 0660), 0);
	db = open_ok(path, 0);
	assert_false(sk_readonly(db));
	sk_close(db);
	assert_int_equal(chown(path, 0, 0), 0);
	assert_int_equal(chmod(path, 0600), 0);
	/* A -wal or -shm of nobody's beside root's database. */
	static const char *const sides[] = {"-wal", "-shm"};
	for (int i = 0; i < 2; i++) {
		char side[600];
		snprintf(side, sizeof side, "%s%s", path, sides[i]);
		write_file(side, "");
		assert_int_equal(chown(side, NOBODY, NOBODY), 0);
		refused(path, 0, sides[i]);
		refused(path, SK_OPEN_READONLY, sides[i]);
		unlink(side);
	}
	tu_close(&t);
}

/* ---- not a file, names too long ------------------------------------------------- */

typedef struct open_ctx {
	const char *path;
	unsigned flags;
	const char *says;
} open_ctx;

/* In a child with a watchdog: an open that hangs is killed, not waited for
 * for ever. */
static int open_refused(void *ctx, char *msg, size_t size)
{
	const open_ctx *o = ctx;
	alarm(60);
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(o->path, o->flags, &db, &err);
	alarm(0);
	if (s == SK_OK) {
		sk_close(db);
		return say(msg, size, 1, "%s was opened", o->path);
	}
	if (!strstr(err.msg, o->path) || !strstr(err.msg, o->says))
		return say(msg, size, 2, "unclear message: %s", err.msg);
	return 0;
}

static void not_a_file_is_refused_at_once(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	char fifo[400], sub[400];
	snprintf(fifo, sizeof fifo, "%s/pipe.db", t.dir);
	snprintf(sub, sizeof sub, "%s/folder.db", t.dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	const open_ctx cases[] = {
		{fifo, 0, "pipe"}, {fifo, SK_OPEN_READONLY, "pipe"}, {fifo, SK_OPEN_CREATE, "pipe"},
		{sub, 0, "folder"}, {sub, SK_OPEN_CREATE, "folder"},
		{"/dev/null", 0, "device"}, {"/dev/null", SK_OPEN_READONLY, "device"},
	};
	char msg[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (tu_in_child(open_refused, (void *)&cases[i], 0, 0, msg, sizeof msg) != 0)
			fail_msg("%s (flags %u): %s", cases[i].path, cases[i].flags, msg);
	tu_close(&t);
}

static void long_names_leave_nothing(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	char *path = malloc(8192);
	assert_non_null(path);
	char long_name[301], names[600];
	memset(long_name, 'x', 300);
	long_name[300] = '\0';
	sk_db *db = NULL;
	sk_err err;
	/* A folder name longer than any file system allows. */
	snprintf(path, 8192, "%s/new/%s/test.db", t.dir, long_name);
	assert_int_not_equal(sk_open(path, SK_OPEN_CREATE, &db, &err), SK_OK);
	if (!strstr(err.msg, "too long"))
		fail_msg("unclear message: %s", err.msg);
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "");
	/* A path longer than PATH_MAX, in names that are each fine. */
	int n = snprintf(path, 8192, "%s/new", t.dir);
	while (n < 4300)
		n += snprintf(path + n, 8192 - (size_t)n, "/%.200s", long_name);
	snprintf(path + n, 8192 - (size_t)n, "/test.db");
	assert_int_not_equal(sk_open(path, SK_OPEN_CREATE, &db, &err), SK_OK);
	if (!strstr(err.msg, "too long"))
		fail_msg("unclear message: %s", err.msg);
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "");
	/* A file name with no room left for its -wal beside it. */
	snprintf(path, 8192, "%s/new/%.253s", t.dir, long_name);
	assert_int_not_equal(sk_open(path, SK_OPEN_CREATE, &db, &err), SK_OK);
	if (!strstr(err.msg, "too long"))
		fail_msg("unclear message: %s", err.msg);
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "");
	/* A copy whose temporary name would be too long. */
	snprintf(path, 8192, "%s/test.db", t.dir);
	db = open_ok(path, SK_OPEN_CREATE);
	snprintf(path, 8192, "%s/%.250s", t.dir, long_name);
	assert_int_not_equal(sk_backup(db, path, &err), SK_OK);
	if (!strstr(err.msg, "too long"))
		fail_msg("unclear message: %s", err.msg);
	sk_close(db);
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "test.db ");
	free(path);
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_is_checked_all_the_way),
		cmocka_unit_test(not_a_file_is_refused_at_once),
		cmocka_unit_test(long_names_leave_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
