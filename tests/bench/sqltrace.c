/*
 * sqltrace: which SQL statements a program spends its time in. A
 * measurement aid, not a test: loaded with LD_PRELOAD, it wraps
 * sqlite3_open_v2 and turns on SQLite's own profile trace on every
 * connection the program opens; each statement that ran for at least
 * SQLTRACE_MS milliseconds (default 5) is written, with its time and a
 * clock, to the file SQLTRACE_FILE (default: standard error, which a
 * full-screen program covers).
 *
 *   cc -O2 -shared -fPIC -o sqltrace.so sqltrace.c -ldl
 *   SQLTRACE_FILE=/tmp/sql.log LD_PRELOAD=./sqltrace.so scodesk --db DB
 *
 * Each line: seconds since the first connection, milliseconds the
 * statement took, and its text with the values bound (as
 * sqlite3_expanded_sql gives it).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static FILE *out;
static double min_ns = 5e6;
static struct timespec t0;

static int on_profile(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx;
	if (type != SQLITE_TRACE_PROFILE)
		return 0;
	sqlite3_int64 ns = *(sqlite3_int64 *)x;
	if (ns < min_ns)
		return 0;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
	fprintf(out, "%9.3f s %9.1f ms  %s\n",
	        (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9, ns / 1e6,
	        sql ? sql : sqlite3_sql((sqlite3_stmt *)p));
	fflush(out);
	sqlite3_free(sql);
	return 0;
}

int sqlite3_open_v2(const char *name, sqlite3 **db, int flags, const char *vfs)
{
	static int (*real)(const char *, sqlite3 **, int, const char *);
	if (!real)
		real = (int (*)(const char *, sqlite3 **, int, const char *))dlsym(RTLD_NEXT,
		                                                                    "sqlite3_open_v2");
	if (!out) {
		const char *path = getenv("SQLTRACE_FILE");
		out = path ? fopen(path, "a") : NULL;
		if (!out)
			out = stderr;
		const char *ms = getenv("SQLTRACE_MS");
		if (ms)
			min_ns = atof(ms) * 1e6;
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	int rc = real(name, db, flags, vfs);
	if (rc == SQLITE_OK && *db)
		sqlite3_trace_v2(*db, SQLITE_TRACE_PROFILE, on_profile, NULL);
	return rc;
}
