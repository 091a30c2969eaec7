/*
 * testutil.c: fixtures shared by the cmocka tests.
 */
/* setgroups() is not POSIX; glibc shows it with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"

void tu_mkdir(tu_db *t)
{
	memset(t, 0, sizeof *t);
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/scodesk-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
}

void tu_open_version(tu_db *t, int v)
{
	tu_mkdir(t);
	sk_err err;
	if (sk_open(t->path, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &t->db, &err) != SK_OK)
		fail_msg("cannot create %s: %s", t->path, err.msg);
	if (sk_migrate(t->db, v, &err) != SK_OK)
		fail_msg("cannot make %s version %d: %s", t->path, v, err.msg);
}

void tu_open(tu_db *t)
{
	tu_mkdir(t);
	sk_err err;
	sk_status s = sk_open(t->path, SK_OPEN_CREATE, &t->db, &err);
	if (s != SK_OK)
		fail_msg("cannot open %s: %s", t->path, err.msg);
}

/* Removes dir and everything in it (tests make folders such as backups/
 * inside their own). */
static void remove_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		char p[1200];
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
				if (unlink(p) != 0 && depth < 4)
					remove_tree(p, depth + 1);
			}
		closedir(d);
	}
	rmdir(dir);
}

void tu_close(tu_db *t)
{
	sk_close(t->db);
	t->db = NULL;
	remove_tree(t->dir, 0);
}

int64_t tu_insert(sk_db *db, sk_record *rec)
{
	sk_err err;
	sk_status s = sk_insert(db, rec, &err);
	if (s != SK_OK)
		fail_msg("insert into %s failed: %s", rec->table->name, err.msg);
	return sk_record_id(rec);
}

static void text_value(const sk_column *c, int seed, char *buf, size_t size)
{
	if (c->check == sk_check_grade)
		snprintf(buf, size, "O-%d", 1 + seed % 10);
	else if (c->check == sk_check_case_id)
		snprintf(buf, size, "ZZ-%c-%03d", 'A' + seed % 26, seed % 1000);
	else if (c->check == sk_check_sc_code)
		/* the code's level must agree with required_cert_level, which
		 * is none by default: no code */
		buf[0] = '\0';
	else if (strcmp(c->name, "implementing_agency") == 0)
		snprintf(buf, size, "%c", 'A' + seed % 26); /* the case id's letter */
	else if (strcmp(c->name, "key") == 0)
		snprintf(buf, size, "test_key_%d", seed);
	else
		snprintf(buf, size, "%s %d", c->name, seed);
}

/* A record as the table's rules between its references want it: a check
 * sees its own case's items (sk_row_eum_check_items), so an EUM check
 * line's item is given its check's case, or the check its item's. */
void tu_fit(sk_db *db, const sk_record *rec)
{
	if (strcmp(rec->table->name, "eum_check_items") != 0 || !sk_get(rec, "item_id") ||
	    !sk_get(rec, "check_id"))
		return;
	sk_record *item = NULL, *check = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(db, sk_table_find("eum_items"),
	                               strtoll(sk_get(rec, "item_id"), NULL, 10), &item, &err),
	                 SK_OK);
	assert_int_equal(sk_get_record(db, sk_table_find("eum_checks"),
	                               strtoll(sk_get(rec, "check_id"), NULL, 10), &check, &err),
	                 SK_OK);
	/* the one of the two that has no lines yet moves (the rule holds
	 * a record with lines to their case) */
	assert_int_equal(sk_set(item, "program_id", sk_get(check, "program_id")), SK_OK);
	if (sk_update(db, item, &err) != SK_OK) {
		sk_record_free(item);
		assert_int_equal(sk_get_record(db, sk_table_find("eum_items"),
		                               strtoll(sk_get(rec, "item_id"), NULL, 10), &item, &err),
		                 SK_OK);
		assert_int_equal(sk_set(check, "program_id", sk_get(item, "program_id")), SK_OK);
		if (sk_update(db, check, &err) != SK_OK)
			fail_msg("cannot give the line's item and check one case: %s", err.msg);
	}
	sk_record_free(item);
	sk_record_free(check);
}

sk_record *tu_valid(sk_db *db, const sk_table *t, int seed)
{
	sk_record *rec = sk_record_new(t);
	assert_non_null(rec);
	char buf[64];
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		const char *v = NULL;
		if (c->flags & SK_F_SYSTEM)
			continue;
		switch (c->type) {
		case SK_T_ID:
		case SK_T_DERIVED:
		case SK_T_TIMESTAMP:
			break;
		case SK_T_TEXT:
			text_value(c, seed, buf, sizeof buf);
			v = buf[0] ? buf : NULL;
			break;
		case SK_T_INT:
			snprintf(buf, sizeof buf, "%lld", c->min < c->max ? c->min : 1);
			/* a course taken once: completing a recurring one adds the
			 * next record (test_validation: test_required_training) */
			v = strcmp(c->name, "recurs_months") == 0 ? NULL : buf;
			break;
		case SK_T_BOOL:
			v = "0";
			break;
		case SK_T_MONEY:
			v = "1000";
			break;
		case SK_T_DATE:
			v = "2026-01-15";
			break;
		case SK_T_ENUM:
			v = c->def ? c->def : c->enumeration->values[0].code;
			/* a student's security vetting done, so that any status
			 * is valid once Leahy vetting is approved */
			if (strcmp(c->name, "security_vetting") == 0)
				v = "complete";
			/* a case's alone (sk_row_programs): left empty, so that
			 * any authority may be set */
			if (strcmp(c->name, "case_type") == 0)
				v = NULL;
			break;
		case SK_T_REF:
		case SK_T_KEYREF:
		case SK_T_LINKS: {
			const sk_table *rt = sk_table_find(c->ref_table);
			assert_non_null(rt);
			/* kept below 2^31: a chain of parents (a check item's
			 * item's case's officer's billet) would overflow it */
			int pseed = (int)(((long long)seed * 31 + (long long)i) % 1000000007LL);
			sk_record *parent = tu_valid(db, rt, pseed);
			tu_insert(db, parent);
			const char *pv = sk_get(parent, c->type == SK_T_KEYREF ? c->ref_column : "id");
			snprintf(buf, sizeof buf, "%s", pv);
			sk_record_free(parent);
			v = buf;
			break;
		}
		}
		if (v)
			assert_int_equal(sk_set_at(rec, (int)i, v), SK_OK);
	}
	tu_fit(db, rec);
	return rec;
}

char *tu_slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *data = malloc(cap);
	size_t n;
	while (data && (n = fread(data + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			char *p = realloc(data, cap * 2);
			if (!p) {
				free(data);
				data = NULL;
				break;
			}
			data = p;
			cap *= 2;
		}
	}
	fclose(f);
	if (data)
		data[len] = '\0';
	if (size)
		*size = len;
	return data;
}

int tu_in_child(tu_child_fn fn, void *ctx, int as_nobody, unsigned group, char *msg,
                size_t size)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[1024] = "";
		int rc = 0;
		close(p[0]);
		if (as_nobody && geteuid() == 0) {
			gid_t g = (gid_t)group;
			if (setgroups(group ? 1 : 0, &g) != 0 || setgid(65534) != 0 ||
			    setuid(65534) != 0) {
				snprintf(buf, sizeof buf, "cannot become nobody");
				rc = -1;
			}
		}
		if (rc == 0)
			rc = fn(ctx, buf, sizeof buf);
		if (write(p[1], buf, strlen(buf)) < 0)
			rc = rc ? rc : -1;
		/* _exit: the parent's atexit handlers and buffers are not ours. */
		_exit(rc & 0x7f);
	}
	close(p[1]);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < size && (n = read(p[0], msg + len, size - len - 1)) > 0)
		len += (size_t)n;
	msg[len] = '\0';
	close(p[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status)) {
		snprintf(msg + len, size - len, " (killed by signal %d)", WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status) == 0x7f ? -1 : WEXITSTATUS(status);
}

/* The first row of a query, stepped to (fails the test otherwise). */
static sqlite3_stmt *first_row(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("cannot prepare \"%s\": %s", sql, sqlite3_errmsg(c));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		fail_msg("no row from \"%s\": %s", sql, sqlite3_errmsg(c));
	}
	return st;
}

long long tu_q_int(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *st = first_row(c, sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

char *tu_q_text(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *st = first_row(c, sql);
	const char *v = (const char *)sqlite3_column_text(st, 0);
	char *copy = v ? strdup(v) : NULL;
	sqlite3_finalize(st);
	return copy;
}

void tu_exec(sqlite3 *c, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(c, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("\"%s\" failed: %s", sql, msg ? msg : "?");
}

char *tu_schema(sqlite3 *c)
{
	char *dump = tu_q_text(c, "SELECT group_concat(line, char(10)) FROM (SELECT type || ' '"
	                          " || name || ' ' || coalesce(sql, '') AS line FROM sqlite_schema"
	                          " ORDER BY type, name)");
	if (!dump)
		fail_msg("no schema");
	return dump;
}

long long tu_int(sk_db *db, const char *sql)
{
	return tu_q_int(sk_sqlite(db), sql);
}
