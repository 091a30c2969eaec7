/*
 * test_csvio.c: the CSV module as a library: the formula guard undone
 * exactly; every table of the demo office plus hostile values exported,
 * imported into an empty database and exported again byte for byte;
 * import by id, by natural key, with defaults, dry run; every malformed
 * input with its message and the database unchanged; reports; exports
 * that cannot be written leave nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scodesk/csvio.h"
#include "scodesk/demo.h"
#include "scodesk/reports.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void demo(tu_db *t)
{
	tu_open(t);
	sk_err err;
	if (sk_demo_fill(t->db, &err) != SK_OK)
		fail_msg("demo: %s", err.msg);
}

typedef struct sum {
	unsigned long long hash;
	long long rows;
} sum;

static int sum_row(void *ctx, const sk_record *rec)
{
	sum *s = ctx;
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		const char *v = rec->values[i];
		/* FNV-1a over every value, NULL kept apart from "". */
		const char *p = v ? v : "\x01NULL";
		for (; *p; p++)
			s->hash = (s->hash ^ (unsigned char)*p) * 1099511628211ULL;
		s->hash = (s->hash ^ 0xff) * 1099511628211ULL;
	}
	s->rows++;
	return 0;
}

/* A fingerprint of every row of every table, audit log included. */
static sum checksum(sk_db *db)
{
	sum s = {.hash = 1469598103934665603ULL};
	sk_query all = {.which = SK_ALL};
	for (size_t i = 0; i < sk_ntables; i++)
		assert_int_equal(sk_list(db, sk_tables[i], &all, sum_row, &s, NULL), SK_OK);
	return s;
}

/* Imports data into table as a file; returns the status, with the
 * problem report in *report (caller frees). */
static sk_status import_text(tu_db *t, const char *table, const char *data, size_t n,
                             const sk_csv_opts *opts, char **report, sk_import_result *res,
                             sk_err *err)
{
	char path[400];
	snprintf(path, sizeof path, "%s/in.csv", t->dir);
	write_file(path, data, n);
	size_t len;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	sk_status s = sk_csv_import(t->db, sk_table_find(table), path, opts, f, res, err);
	fclose(f);
	*report = buf;
	return s;
}

/* The import must fail with `expect` in its report and change nothing. */
static void refused(tu_db *t, const char *table, const char *data, size_t n, const char *expect)
{
	sum before = checksum(t->db);
	char *report;
	sk_import_result res;
	sk_err err;
	sk_status s = import_text(t, table, data, n, NULL, &report, &res, &err);
	if (s != SK_INVALID)
		fail_msg("import of %s: status %s, wanted invalid (%s)\nreport:\n%s", table,
		         sk_status_name(s), err.msg, report);
	if (!strstr(report, expect))
		fail_msg("no \"%s\" in the report:\n%s", expect, report);
	assert_non_null(strstr(err.msg, "nothing was imported"));
	sum after = checksum(t->db);
	assert_int_equal(after.rows, before.rows);
	assert_true(after.hash == before.hash);
	free(report);
}

#define REFUSED(t, table, lit, expect) refused(t, table, lit, sizeof lit - 1, expect)

static void imported(tu_db *t, const char *table, const char *data, sk_import_result *res)
{
	char *report;
	sk_err err;
	sk_status s = import_text(t, table, data, strlen(data), NULL, &report, res, &err);
	if (s != SK_OK)
		fail_msg("import of %s failed: %s\n%s", table, err.msg, report);
	free(report);
}

static char *export_table(tu_db *t, const char *table, const char *name, size_t *n)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s", t->dir, name);
	sk_err err;
	if (sk_csv_export(t->db, sk_table_find(table), NULL, path, NULL, NULL, &err) != SK_OK)
		fail_msg("export of %s: %s", table, err.msg);
	char *data = tu_slurp(path, n);
	assert_non_null(data);
	unlink(path);
	return data;
}

/* ---- the formula guard ------------------------------------------------------ */

static void test_guard_reverses_exactly(void **state)
{
	(void)state;
	static const char *const values[] = {
		"", "x", "=", "+", "-", "@", "\t", "\r", "'", "''", "'''", "'=", "'+1", "'-", "'@",
		"'\t", "'\r", "''=", "'x", "x'", "=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "+1",
		"'=already quoted", "\t=tab", "\r\n", " =space first", "a=b", "é=", "'é",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		const char *v = values[i];
		char w[64];
		if (sk_csv_guarded(v))
			snprintf(w, sizeof w, "'%s", v);
		else
			snprintf(w, sizeof w, "%s", v);
		/* What a spreadsheet sees never starts a formula... */
		assert_true(strchr("=+-@\t\r", w[0]) == NULL || w[0] == '\0');
		/* ...and the importer gets back exactly what was stored. */
		assert_string_equal(sk_csv_unguard(w), v);
	}
	assert_false(sk_csv_guarded(NULL));
	assert_null(sk_csv_unguard(NULL));
}

/* ---- round trip --------------------------------------------------------- */

static void set(sk_record *r, const char *column, const char *value)
{
	assert_int_equal(sk_set(r, column, value), SK_OK);
}

static char *big_value(size_t size)
{
	static const char piece[] = "Ünïcödé 🚀 \"quoted\", comma; عربي ";
	char *v = malloc(size + 1);
	assert_non_null(v);
	size_t n = 0;
	while (n + sizeof piece - 1 <= size) {
		memcpy(v + n, piece, sizeof piece - 1);
		n += sizeof piece - 1;
	}
	v[n] = '\0';
	return v;
}

/* Records whose text would trip a careless exporter or a spreadsheet. */
static void hostile(sk_db *db)
{
	char *big = big_value(10 * 1024);
	sk_record *b = sk_record_new(sk_table_find("billets"));
	set(b, "billet_number", "=B1");
	set(b, "title", "+1 \"quoted\", with comma");
	int64_t bid = tu_insert(db, b);
	(void)bid;
	sk_record_free(b);

	sk_record *p = sk_record_new(sk_table_find("personnel"));
	set(p, "last_name", "-2+3");
	set(p, "first_name", "@SUM(1)");
	set(p, "service", "army");
	set(p, "billet_number", "=B1");
	set(p, "email", "");
	set(p, "phone", "'"); /* a lone quote: what a guard adds */
	set(p, "notes", "line one\nline two\r\nline three\rline four\n");
	int64_t pid = tu_insert(db, p);
	sk_record_free(p);

	sk_record *c = sk_record_new(sk_table_find("courses"));
	set(c, "code", "@C1");
	set(c, "title", "\tTab first");
	int64_t cid = tu_insert(db, c);
	(void)cid;
	sk_record_free(c);

	sk_record *st = sk_record_new(sk_table_find("staff_training"));
	char pidbuf[24];
	snprintf(pidbuf, sizeof pidbuf, "%lld", (long long)pid);
	set(st, "person_id", pidbuf);
	set(st, "course_code", "@C1");
	set(st, "notes", "'=already quoted");
	tu_insert(db, st);
	sk_record_free(st);

	int64_t contacts[3];
	static const char *const names[][3] = {
		{"=cmd|' /C calc'!A0", "'@", "مُحَمَّد \xe2\x80\x8f(RTL)"},
		{"Ли", "''", "שלום עולם"},
		{" leading and trailing ", "\r", "🚀🛰️ emoji"},
	};
	for (int i = 0; i < 3; i++) {
		sk_record *k = sk_record_new(sk_table_find("contacts"));
		set(k, "last_name", names[i][0]);
		set(k, "first_name", names[i][1]);
		set(k, "native_name", names[i][2]);
		set(k, "organization", i == 0 ? "" : "Ministry, \"J5\"");
		set(k, "notes", i == 1 ? big : NULL);
		contacts[i] = tu_insert(db, k);
		sk_record_free(k);
	}
	sk_err err;
	assert_int_equal(sk_delete(db, sk_table_find("contacts"), contacts[2], &err), SK_OK);

	sk_record *e = sk_record_new(sk_table_find("engagements"));
	char ids[64];
	snprintf(ids, sizeof ids, "%lld;%lld", (long long)contacts[0], (long long)contacts[1]);
	set(e, "date", "2026-10-01");
	set(e, "type", "kle");
	set(e, "contact_ids", ids);
	set(e, "objectives", "\"Quotes\" and \"\"doubled\"\",\nand a line break");
	set(e, "outcomes", big);
	set(e, "followup", "-");
	tu_insert(db, e);
	sk_record_free(e);

	sk_record *s = sk_record_new(sk_table_find("settings"));
	set(s, "key", "odd_value");
	set(s, "value", " spaced, \"quoted\" ");
	tu_insert(db, s);
	sk_record_free(s);
	free(big);
}

/* History a file must carry back unchanged: a live record that refers to
 * one deleted since, and a student in training whose approved vetting
 * has expired since. */
static int first_id(void *ctx, const sk_record *rec)
{
	*(int64_t *)ctx = sk_record_id(rec);
	return 1;
}

static void history(sk_db *db)
{
	int64_t lang = 0, student = 0;
	sk_query any = {0};
	sk_list(db, sk_table_find("languages"), &any, first_id, &lang, NULL);
	assert_true(lang > 0);
	sk_record *rec;
	assert_int_equal(sk_get_record(db, sk_table_find("languages"), lang, &rec, NULL), SK_OK);
	assert_int_equal(sk_delete(db, sk_table_find("personnel"),
	                           strtoll(sk_get(rec, "person_id"), NULL, 10), NULL), SK_OK);
	sk_record_free(rec);
	sk_query done = {.where = {{"status", "completed"}}, .nwhere = 1};
	sk_list(db, sk_table_find("students"), &done, first_id, &student, NULL);
	assert_true(student > 0);
	assert_int_equal(sk_get_record(db, sk_table_find("students"), student, &rec, NULL), SK_OK);
	set(rec, "leahy_status", "expired");
	sk_err err;
	if (sk_update(db, rec, &err) != SK_OK)
		fail_msg("vetting expired after training: %s", err.msg);
	sk_record_free(rec);
}

static void test_round_trip_every_table(void **state)
{
	(void)state;
	tu_db a, b;
	demo(&a);
	hostile(a.db);
	history(a.db);
	tu_open(&b);
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *t = sk_tables[i];
		if (t->append_only)
			continue; /* the audit log is written, never imported */
		size_t n1, n2;
		char *first = export_table(&a, t->name, "first.csv", &n1);
		char path[400];
		snprintf(path, sizeof path, "%s/first.csv", b.dir);
		write_file(path, first, n1);
		sk_err err;
		sk_import_result res;
		if (sk_csv_import(b.db, t, path, NULL, stderr, &res, &err) != SK_OK)
			fail_msg("import of %s: %s", t->name, err.msg);
		assert_int_equal(res.updated, 0);
		char *second = export_table(&b, t->name, "second.csv", &n2);
		if (n1 != n2 || memcmp(first, second, n1) != 0)
			fail_msg("%s: the round trip changed the file (%zu bytes, then %zu)", t->name,
			         n1, n2);
		free(first);
		free(second);
	}
	/* The guard is in the file, not in the data. */
	size_t n;
	char *contacts = export_table(&a, "contacts", "c.csv", &n);
	assert_non_null(strstr(contacts, ",'=cmd|' /C calc'!A0,"));
	assert_non_null(strstr(contacts, ",''@,"));
	assert_non_null(strstr(contacts, "\" leading and trailing \""));
	assert_null(strstr(contacts, ",=cmd"));
	free(contacts);
	char *people = export_table(&a, "personnel", "p.csv", &n);
	assert_non_null(strstr(people, ",'-2+3,'@SUM(1),army,,'=B1,"));
	assert_non_null(strstr(people, "\"line one\nline two\r\nline three\rline four\n\""));
	free(people);
	tu_close(&a);
	tu_close(&b);
}

static void test_file_format(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	size_t n;
	char *data = export_table(&t, "billets", "b.csv", &n);
	/* BOM, then the marking alone, then the header; CRLF throughout. */
	assert_memory_equal(data, "\xef\xbb\xbf" "CUI\r\nid,billet_number,title,", 31);
	assert_true(n > 7);
	assert_memory_equal(data + n - 5, "CUI\r\n", 5);
	for (size_t i = 0; i < n; i++)
		if (data[i] == '\n')
			assert_int_equal(data[i - 1], '\r');
	free(data);

	char path[400];
	snprintf(path, sizeof path, "%s/plain.csv", t.dir);
	sk_csv_opts o = {.no_bom = true, .marking = "none"};
	long rows;
	assert_int_equal(sk_csv_export(t.db, sk_table_find("courses"), NULL, path, &o, &rows, NULL),
	                 SK_OK);
	data = tu_slurp(path, &n);
	assert_memory_equal(data, "id,code,title,applies_to,due_within_days,", 41);
	assert_int_equal(rows, 8);
	free(data);

	o.marking = "CUI//SP-PRVCY";
	assert_int_equal(sk_csv_export(t.db, sk_table_find("courses"), NULL, path, &o, NULL, NULL),
	                 SK_OK);
	data = tu_slurp(path, &n);
	assert_memory_equal(data, "CUI//SP-PRVCY\r\nid,", 18);
	free(data);
	/* A custom marking imports back too (its lines are skipped). */
	sk_import_result res;
	sk_err err;
	assert_int_equal(sk_csv_import(t.db, sk_table_find("courses"), path, NULL, NULL, &res, &err),
	                 SK_OK);
	assert_int_equal(res.rows, 8);
	assert_int_equal(res.unchanged, 8);

	/* A query: live rows, filtered and sorted as the list shows them. */
	sk_query q = {.text = "ODC-1", .sort = "billet_number", .descending = true};
	assert_int_equal(sk_csv_export(t.db, sk_table_find("billets"), &q, path, &o, &rows, NULL),
	                 SK_OK);
	assert_int_equal(rows, 9); /* ODC-10 .. ODC-18 */
	data = tu_slurp(path, &n);
	assert_non_null(strstr(data, "\r\n18,ODC-18,"));
	assert_true(strstr(data, "ODC-18") < strstr(data, "ODC-10"));
	free(data);
	tu_close(&t);
}

/* ---- the list as shown ------------------------------------------------------ */

/* Exports table's named columns as shown (sk_csv_export_view) and
 * returns the file; *rows gets the rows written. */
static char *export_view(tu_db *t, const char *table, const char *const *names,
                         const sk_query *q, const sk_csv_opts *opts, long *rows)
{
	const sk_table *tab = sk_table_find(table);
	int cols[32], n = 0;
	for (; names[n]; n++) {
		cols[n] = sk_column_index(tab, names[n]);
		assert_true(cols[n] >= 0);
	}
	char path[400];
	snprintf(path, sizeof path, "%s/view.csv", t->dir);
	sk_err err;
	if (sk_csv_export_view(t->db, tab, q, cols, n, path, opts, rows, &err) != SK_OK)
		fail_msg("view export of %s: %s", table, err.msg);
	size_t size;
	char *data = tu_slurp(path, &size);
	assert_non_null(data);
	assert_int_equal(strlen(data), size);
	unlink(path);
	return data;
}

#define NAMES(...) (const char *const[]){__VA_ARGS__, NULL}

static void test_view_export(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	hostile(t.db);
	sk_csv_opts bare = {.no_bom = true, .marking = "none"};
	long rows;

	/* Billets: labels for a header; the incumbent, replacement and gap
	 * computed for the list are there, by name; a filter and a sort. */
	sk_query q = {.text = "ODC-0", .sort = "billet_number", .descending = true};
	char *data = export_view(&t, "billets",
	                         NAMES("billet_number", "title", "incumbent", "replacement",
	                               "gap_days", "required_cert_level"),
	                         &q, &bare, &rows);
	assert_int_equal(rows, 9); /* ODC-01 .. ODC-09 */
	assert_memory_equal(data, "Billet,Title,Incumbent,Replacement,Gap,Req. cert\r\n", 50);
	assert_non_null(strstr(data, "\r\nODC-03,\"Deputy Chief, Office of Defense Cooperation\","
	                             "\"Lindqvist, Erik\",\"Romero, Alicia\",55,Practitioner\r\n"));
	/* a negative gap stays a number for the spreadsheet: not guarded */
	assert_non_null(strstr(data, "\"Brennan, Kathleen\",\"Novak, Peter\",-15,Practitioner\r\n"));
	assert_true(strstr(data, "ODC-09") < strstr(data, "ODC-01"));
	assert_null(strstr(data, "ODC-10"));
	free(data);

	/* Staff training: the person by name, not the id; the status word;
	 * a hostile name guarded. */
	sk_query all = {.sort = "id"};
	data = export_view(&t, "staff_training", NAMES("person_id", "course_code", "status"), &all,
	                   &bare, &rows);
	assert_memory_equal(data, "Person,Course,Status\r\n", 22);
	assert_non_null(strstr(data, "\r\n\"Whitaker, Daniel\","));
	assert_non_null(strstr(data, "\r\n\"'-2+3, @SUM(1)\","));
	assert_non_null(strstr(data, ",overdue\r\n"));
	assert_null(strstr(data, "\r\n1,"));
	free(data);

	/* Engagements: the contacts' names; programs: whole dollars and the
	 * POC's name; contacts: yes for a key leader. */
	data = export_view(&t, "engagements", NAMES("date", "contact_ids"), NULL, &bare, &rows);
	assert_memory_equal(data, "Date,Contacts\r\n", 15);
	assert_non_null(strstr(data, ",\"Kolvich, Radko; Yelanich, Oleksa\"\r\n"));
	free(data);
	data = export_view(&t, "programs", NAMES("title", "value_usd", "poc_person_id"), NULL, &bare,
	                   &rows);
	assert_non_null(strstr(data, "\r\nCounter-UAS systems,14000000,\"Chen, Marcus\"\r\n"));
	assert_null(strstr(data, ",$"));
	free(data);
	data = export_view(&t, "contacts", NAMES("last_name", "key_leader"), NULL, &bare, &rows);
	assert_non_null(strstr(data, ",yes\r\n"));
	assert_null(strstr(data, ",1\r\n"));
	free(data);

	/* The same file discipline as an export: BOM, marking, CRLF. */
	data = export_view(&t, "courses", NAMES("code", "title"), NULL, NULL, &rows);
	assert_memory_equal(data, "\xef\xbb\xbf" "CUI\r\nCode,Title\r\n", 20);
	assert_int_equal(rows, 9); /* the demo's 8 and the hostile one */
	size_t n = strlen(data);
	assert_memory_equal(data + n - 5, "CUI\r\n", 5);
	for (size_t i = 1; i < n; i++)
		if (data[i] == '\n')
			assert_int_equal(data[i - 1], '\r');
	assert_non_null(strstr(data, "\r\n'@C1,'\tTab first\r\n"));
	free(data);

	/* No clobbering when asked; no columns is refused. */
	char path[400];
	snprintf(path, sizeof path, "%s/kept.csv", t.dir);
	write_file(path, "mine", 4);
	const sk_table *courses = sk_table_find("courses");
	int cols[1] = {sk_column_index(courses, "code")};
	sk_csv_opts keep = {.no_clobber = true};
	sk_err err;
	assert_int_not_equal(sk_csv_export_view(t.db, courses, NULL, cols, 1, path, &keep, NULL,
	                                        &err), SK_OK);
	size_t kept;
	data = tu_slurp(path, &kept);
	assert_int_equal(kept, 4);
	assert_memory_equal(data, "mine", 4);
	free(data);
	assert_int_equal(sk_csv_export_view(t.db, courses, NULL, cols, 0, path, NULL, NULL, &err),
	                 SK_INVALID);
	tu_close(&t);
}

/* ---- import ---------------------------------------------------------------- */

static int keep_first(void *ctx, const sk_record *rec)
{
	sk_record **out = ctx;
	if (!*out)
		*out = sk_record_dup(rec);
	return 0;
}

static void test_import_by_id_key_and_defaults(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	sk_import_result res;
	/* Semicolons, LF, no BOM, no marking: as LibreOffice may save. */
	imported(&t, "billets",
	         "billet_number;title;role\n"
	         "ODC-02;Chief, ODC (renamed);chief\n"
	         "ODC-99;\"New; billet\";\n",
	         &res);
	assert_int_equal(res.rows, 2);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.inserted, 1);
	sk_query q = {.nwhere = 1, .where = {{"billet_number", "ODC-99"}}};
	int64_t n = 0;
	assert_int_equal(sk_count(t.db, sk_table_find("billets"), &q, &n, NULL), SK_OK);
	assert_int_equal(n, 1);
	sk_record *r;
	assert_int_equal(sk_get_record(t.db, sk_table_find("billets"), 2, &r, NULL), SK_OK);
	assert_string_equal(sk_get(r, "title"), "Chief, ODC (renamed)");
	assert_string_equal(sk_get(r, "version"), "2");
	sk_record_free(r);

	/* A new id is kept; the default fills what the file lacks; the
	 * file's time stamps and version are kept. */
	imported(&t, "billets",
	         "\xef\xbb\xbf" "id,billet_number,title,created_at,updated_at,version\r\n"
	         "500,ODC-50,Fifty,2020-01-02T03:04:05Z,2021-01-02T03:04:05Z,7\r\n",
	         &res);
	assert_int_equal(sk_get_record(t.db, sk_table_find("billets"), 500, &r, NULL), SK_OK);
	assert_string_equal(sk_get(r, "role"), "other");
	assert_string_equal(sk_get(r, "required_cert_level"), "none");
	assert_string_equal(sk_get(r, "created_at"), "2020-01-02T03:04:05Z");
	assert_string_equal(sk_get(r, "updated_at"), "2021-01-02T03:04:05Z");
	assert_string_equal(sk_get(r, "version"), "7");
	sk_record_free(r);

	/* Engagements carry their contacts. */
	imported(&t, "engagements", "date,type,contact_ids\r\n2026-11-01,kle,\"2;1\"\r\n", &res);
	sk_query newest = {.nwhere = 1, .where = {{"date", "2026-11-01"}}, .sort = "id",
	                   .descending = true, .limit = 1};
	sk_record *e = NULL;
	assert_int_equal(sk_list(t.db, sk_table_find("engagements"), &newest, keep_first, &e, NULL),
	                 SK_OK);
	assert_non_null(e);
	assert_string_equal(sk_get(e, "contact_ids"), "1;2");
	sk_record_free(e);

	/* Dry run: counted, not written. */
	sum before = checksum(t.db);
	char *report;
	sk_err err;
	sk_csv_opts dry = {.dry_run = true};
	static const char more[] = "billet_number,title\r\nODC-77,Seventy-seven\r\n";
	assert_int_equal(import_text(&t, "billets", more, sizeof more - 1, &dry, &report, &res,
	                             &err), SK_OK);
	free(report);
	assert_int_equal(res.inserted, 1);
	sum after = checksum(t.db);
	assert_true(before.hash == after.hash);
	tu_close(&t);
}

static void test_malformed_inputs(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	REFUSED(&t, "billets", "billet_number,title,colour\r\nX,Y,Z\r\n",
	        "in.csv:1:21: field \"colour\": not a column of billets");
	REFUSED(&t, "billets", "title\r\nY\r\n", "in.csv:1:1: field \"billet_number\": missing");
	REFUSED(&t, "billets", "billet_number,title,role\r\nX,Y\r\n",
	        "in.csv:2:4: field \"role\": missing: the row has 2 fields, the header 3");
	REFUSED(&t, "billets", "billet_number,title\r\nX,Y,Z\r\n",
	        "in.csv:2:5: field \"#3\": value \"Z\": beyond the header");
	REFUSED(&t, "billets", "billet_number,title\r\nX,\"Y\r\nZ,W\r\n",
	        "in.csv:2:3: field \"title\": a quoted field that never ends");
	REFUSED(&t, "billets", "billet_number,title\r\nX,Y\"Z\r\n",
	        "in.csv:2:4: field \"title\": value \"Y\": a quote inside an unquoted field");
	REFUSED(&t, "billets", "billet_number,title\r\nX,\"Y\"Z\r\n",
	        "in.csv:2:6: field \"title\": value \"Y\": text after the closing quote");
	REFUSED(&t, "billets", "billet_number,title\r\nX,caf\xe9\r\n",
	        "in.csv:2:3: field \"title\": value \"caf\\xE9\": not valid UTF-8 (byte 4)");
	REFUSED(&t, "billets", "billet_number,title\r\nX,a\0b\r\n",
	        "in.csv:2:3: field \"title\": value \"a\\x00b\": holds a NUL byte (byte 2)");
	REFUSED(&t, "personnel",
	        "last_name,first_name,service,arrival_date\r\nA,B,army,2026-02-30\r\n",
	        "in.csv:2:10: field \"arrival_date\": value \"2026-02-30\": not a date");
	REFUSED(&t, "billets", "billet_number,title,role\r\nX,Y,boss\r\n",
	        "in.csv:2:5: field \"role\": value \"boss\": not one of sdo_datt");
	REFUSED(&t, "students", "last_name,first_name,status,leahy_status\r\nA,B,in_training,pending\r\n",
	        "in.csv:2:5: field \"status\": value \"in_training\": Leahy vetting is \"pending\"");
	REFUSED(&t, "languages", "person_id,language\r\n99999,French\r\n",
	        "in.csv:2:1: field \"person_id\": value \"99999\": no such person");
	REFUSED(&t, "engagements", "date,type,contact_ids\r\n2026-01-01,kle,1;99999\r\n",
	        "in.csv:2:16: field \"contact_ids\": value \"99999\": no such contact");
	REFUSED(&t, "personnel", "last_name,first_name,service,billet_number\r\nA,B,army,NOPE\r\n",
	        "field \"billet_number\": value \"NOPE\": no such billet");
	REFUSED(&t, "billets", "id,billet_number,title\r\n900,ODC-01,Dup\r\n",
	        "in.csv:2:5: field \"billet_number\": value \"ODC-01\": already used by billet 1");
	REFUSED(&t, "billets", "id,billet_number,title\r\nabc,X,Y\r\n",
	        "in.csv:2:1: field \"id\": value \"abc\": not a record id");
	REFUSED(&t, "billets", "billet_number,title,title\r\nX,Y,Z\r\n",
	        "in.csv:1:21: field \"title\": named twice (also column 2)");
	REFUSED(&t, "billets", "billet_number,title,incumbent\r\nX,Y,Z\r\n",
	        "field \"incumbent\": computed by scodesk");
	REFUSED(&t, "billets", "\xff\xfe" "b\0i\0", "in.csv:1:1: the file is UTF-16");
	REFUSED(&t, "billets", "", "in.csv:1:1: the file has no header row");
	REFUSED(&t, "billets", "CUI\r\n", "the file has no header row");
	REFUSED(&t, "billets", "billet_number\ttitle\nX\tY\n",
	        "in.csv:1:1: field \"billet_number\\ttitle\": the file looks tab-separated");
	/* All or nothing: good rows before a bad one are not kept. */
	REFUSED(&t, "billets", "billet_number,title\r\nG-1,Good\r\nG-2,Good\r\nG-3,\r\n",
	        "in.csv:4:5: field \"title\": required, but empty");
	/* The marking lines are skipped, a stray one-field line is not. */
	REFUSED(&t, "billets", "CUI\r\nbillet_number,title\r\nCUI\r\nX,Y\r\nCUI\r\n",
	        "in.csv:3:4: field \"title\": missing: the row has 1 field, the header 2");

	/* Binary garbage. */
	char garbage[65536];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof garbage; i++) {
		x = x * 1103515245u + 12345u;
		garbage[i] = (char)(x >> 16);
	}
	refused(&t, "billets", garbage, sizeof garbage, "in.csv:1:");

	/* A field past the limit. */
	size_t n = (2u << 20) + 32;
	char *huge = malloc(n);
	assert_non_null(huge);
	memcpy(huge, "billet_number,title\r\nX,", 23);
	memset(huge + 23, 'a', n - 23);
	refused(&t, "billets", huge, n, "in.csv:2:3: field \"title\": value \"aaaaaaaaaa");
	refused(&t, "billets", huge, n, "aaa...\": longer than 1 MiB");
	free(huge);

	/* The first 20 problems, then a count. */
	char many[4096];
	size_t len = (size_t)snprintf(many, sizeof many, "billet_number,title,role\r\n");
	for (int i = 0; i < 25; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, "B%d,T,boss\r\n", i);
	char *report;
	sk_import_result res;
	sk_err err;
	assert_int_equal(import_text(&t, "billets", many, len, NULL, &report, &res, &err),
	                 SK_INVALID);
	assert_int_equal(res.problems, 25);
	int lines = 0;
	for (char *p = report; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 21);
	assert_non_null(strstr(report, "5 more problems not shown"));
	assert_non_null(strstr(err.msg, "25 problems; nothing was imported"));
	free(report);

	/* The audit log is written by scodesk alone. */
	assert_int_equal(import_text(&t, "audit_log", "ts\r\n", 4, NULL, &report, &res, &err),
	                 SK_INVALID);
	assert_non_null(strstr(err.msg, "cannot be imported"));
	free(report);
	tu_close(&t);
}

/* A spreadsheet saves the marking's row as wide as the sheet, its other
 * cells empty: "CUI",,, (LibreOffice Calc) or CUI;;; (a European
 * locale), at the top and at the bottom. */
static void test_import_as_a_spreadsheet_saves(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	sk_import_result res;
	imported(&t, "billets",
	         "\"CUI\",,\r\n\"billet_number\",\"title\",\"role\"\r\n"
	         "\"ODC-90\",\"Ninety\",\"chief\"\r\n\"CUI\",,\r\n",
	         &res);
	assert_int_equal(res.rows, 1);
	assert_int_equal(res.inserted, 1);
	/* Unquoted, semicolons, LF, the last line without its line break;
	 * empty fields quoted or not are padding alike. */
	imported(&t, "billets", "CUI;\"\";\nbillet_number;title;role\nODC-91;Ninety-one;chief\nCUI;;",
	         &res);
	assert_int_equal(res.rows, 1);
	assert_int_equal(res.inserted, 1);
	/* Padded like the marking but not the last line: a row, with its
	 * fields where the file has them. */
	REFUSED(&t, "billets",
	        "\"CUI\",,\r\nbillet_number,title,role\r\n\"CUI\",,\r\nX,Y,chief\r\n\"CUI\",,\r\n",
	        "in.csv:3:7: field \"title\": required, but empty");
	/* The marking at the bottom only (the office's own), or the top only. */
	imported(&t, "billets", "billet_number,title\r\nODC-95,X\r\n\"CUI\",\r\n", &res);
	assert_int_equal(res.rows, 1);
	imported(&t, "billets", "CUI;\r\nbillet_number;title\r\nODC-96;X\r\n", &res);
	assert_int_equal(res.rows, 1);
	/* A last line with more than the marking is a row. */
	imported(&t, "billets", "CUI;;\nbillet_number;title;role\nODC-92;X;chief\nCUI;Y;\n", &res);
	assert_int_equal(res.rows, 2);
	/* The header decides the delimiter: a semicolon in the marking line
	 * before a comma file's header does not. */
	imported(&t, "billets",
	         "CUI//SP-PRVCY; FEDCON\r\nbillet_number,title\r\nODC-93,X\r\nCUI//SP-PRVCY; FEDCON\r\n",
	         &res);
	assert_int_equal(res.inserted, 1);
	/* Nor padding with the other delimiter: each split's header is
	 * counted in names of columns. */
	imported(&t, "billets", "CUI,,\r\nbillet_number;title\r\nODC-94;X,Y\r\n", &res);
	sk_query q = {.nwhere = 1, .where = {{"billet_number", "ODC-94"}}};
	int64_t n = 0;
	assert_int_equal(sk_count(t.db, sk_table_find("billets"), &q, &n, NULL), SK_OK);
	assert_int_equal(n, 1);
	REFUSED(&t, "personnel", "id;last_name,first_name\r\n1;A,B\r\n",
	        "in.csv:1:1: cannot tell whether the fields are separated by commas or by semicolons");
	tu_close(&t);
}

/* A message shows a hostile value inert: no raw control characters. */
static void test_messages_are_inert(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	static const char bad[] = "billet_number,title,role\r\nX,Y,\"\x1b[2J\r\nboss\"\r\n";
	char *report;
	sk_import_result res;
	sk_err err;
	assert_int_equal(import_text(&t, "billets", bad, sizeof bad - 1, NULL, &report, &res, &err),
	                 SK_INVALID);
	assert_non_null(strstr(report, "value \"\\x1B[2J\\r\\nboss\""));
	assert_null(strchr(report, '\x1b'));
	free(report);
	tu_close(&t);
}

/* ---- imports that must not slip past a rule or undo a change ---------------- */

static long long add_student(sk_db *db, const char *leahy, const char *status)
{
	sk_record *rec = sk_record_new(sk_table_find("students"));
	assert_non_null(rec);
	assert_int_equal(sk_set(rec, "last_name", "Chained"), SK_OK);
	assert_int_equal(sk_set(rec, "first_name", "Rows"), SK_OK);
	assert_int_equal(sk_set(rec, "leahy_status", leahy), SK_OK);
	assert_int_equal(sk_set(rec, "status", status), SK_OK);
	long long id = tu_insert(db, rec);
	sk_record_free(rec);
	return id;
}

static char *value_of(sk_db *db, const char *table, long long id, const char *column)
{
	sk_record *r = NULL;
	assert_int_equal(sk_get_record(db, sk_table_find(table), id, &r, NULL), SK_OK);
	char *v = sk_get(r, column) ? strdup(sk_get(r, column)) : NULL;
	sk_record_free(r);
	return v;
}

/*
 * Two rows for the same record cannot chain their way past the vetting
 * rule: the first approves the vetting and issues the travel order (a
 * move the rule allows), the second takes the approval back (no move, so
 * on its own it passes too). The record as the file leaves it is checked
 * as one change from what it was, and refused at the last row.
 */
static void test_import_checks_records_as_the_file_leaves_them(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	long long id = add_student(t.db, "pending", "screened");
	char data[400], expect[400];

	/* Each row on its own goes through. */
	snprintf(data, sizeof data, "id,leahy_status,status\r\n%lld,approved,ito_issued\r\n", id);
	sk_csv_opts dry = {.dry_run = true};
	char *report;
	sk_import_result res;
	sk_err err;
	assert_int_equal(import_text(&t, "students", data, strlen(data), &dry, &report, &res, &err),
	                 SK_OK);
	free(report);

	snprintf(data, sizeof data, "id,leahy_status,status\r\n%lld,approved,ito_issued\r\n"
	         "%lld,denied,ito_issued\r\n", id, id);
	snprintf(expect, sizeof expect, "in.csv:3:1: field \"status\": value \"ito_issued\": "
	         "Leahy vetting is \"denied\", not approved (student %lld as lines 2 and 3 of "
	         "the file leave it)", id);
	refused(&t, "students", data, strlen(data), expect);

	/* Three rows: the same, named by the range. */
	snprintf(data, sizeof data, "id,leahy_status,status,notes\r\n%lld,approved,ito_issued,a\r\n"
	         "%lld,approved,ito_issued,b\r\n%lld,denied,ito_issued,c\r\n", id, id, id);
	snprintf(expect, sizeof expect, "(student %lld as the file's 3 rows for it, lines 2 to 4, "
	         "leave it)", id);
	refused(&t, "students", data, strlen(data), expect);

	/* A record the file adds, then changes. */
	static const char added[] = "id,last_name,first_name,leahy_status,status\r\n"
	                            "9000,New,Student,approved,ito_issued\r\n"
	                            "9000,New,Student,denied,ito_issued\r\n";
	REFUSED(&t, "students", added, "in.csv:3:1: field \"status\": value \"ito_issued\": "
	        "Leahy vetting is \"denied\", not approved (student 9000 as lines 2 and 3");

	/* Rows that leave the record sound go through, each a version. */
	char *v = value_of(t.db, "students", id, "version");
	long long before = strtoll(v, NULL, 10);
	free(v);
	snprintf(data, sizeof data, "id,leahy_status,status,notes\r\n%lld,approved,ito_issued,\r\n"
	         "%lld,approved,ito_issued,issued the same day\r\n", id, id);
	imported(&t, "students", data, &res);
	assert_int_equal(res.updated, 2);
	v = value_of(t.db, "students", id, "version");
	assert_int_equal(strtoll(v, NULL, 10), before + 2);
	free(v);
	v = value_of(t.db, "students", id, "notes");
	assert_string_equal(v, "issued the same day");
	free(v);
	tu_close(&t);
}

static long long last_audit_id(sk_db *db)
{
	return tu_int(db, "SELECT max(id) FROM audit_log");
}

/*
 * A row carrying a version older than the stored record's was exported
 * before someone changed the record: importing it would silently undo
 * that change. The whole import is refused, at the row's version, naming
 * who changed the record and when, unless overwrite_newer is given; then
 * the row is written as the next version (never an older one) and the
 * audit entry says it replaced a newer one.
 */
static void test_import_refuses_rows_older_than_the_database(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	const sk_table *contacts = sk_table_find("contacts");
	sk_record *r = NULL;
	assert_int_equal(sk_get_record(t.db, contacts, 1, &r, NULL), SK_OK);
	long long v = sk_record_version(r);

	/* The table is exported; then a colleague changes contact 1. */
	size_t n;
	char *exported = export_table(&t, "contacts", "old.csv", &n);
	setenv("SSH_CONNECTION", "198.51.100.7 50000 10.0.0.1 22", 1);
	setenv("SCODESK_NOW", "2026-11-20T10:00:00Z", 1);
	sk_db *colleague = NULL;
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &colleague, &err), SK_OK);
	assert_int_equal(sk_set(r, "last_name", "Changed by a colleague"), SK_OK);
	assert_int_equal(sk_update(colleague, r, &err), SK_OK);
	sk_close(colleague);
	unsetenv("SSH_CONNECTION");
	unsetenv("SCODESK_NOW");
	sk_record_free(r);

	/* The old export comes back: refused, naming who and when. */
	char expect[300];
	char *who = tu_q_text(sk_sqlite(t.db), "SELECT user FROM audit_log ORDER BY id DESC LIMIT 1");
	snprintf(expect, sizeof expect, "in.csv:3:");
	refused(&t, "contacts", exported, n, expect);
	snprintf(expect, sizeof expect, "contact 1 was changed by %s at 2026-11-20T10:00:00Z "
	         "(version %lld), after this row was exported: importing it would undo that "
	         "change; export the table again, or import with --overwrite-newer", who, v + 1);
	refused(&t, "contacts", exported, n, expect);
	free(who);
	free(exported);

	/* By hand: the message is at the version's own field. */
	char data[300];
	snprintf(data, sizeof data, "id,last_name,version\r\n1,Stale,%lld\r\n", v);
	snprintf(expect, sizeof expect, "in.csv:2:9: field \"version\": value \"%lld\": contact 1 "
	         "was changed by", v);
	refused(&t, "contacts", data, strlen(data), expect);

	/* Older, but already as the database has it: nothing to undo. */
	snprintf(data, sizeof data, "id,last_name,version\r\n1,Changed by a colleague,%lld\r\n", v);
	sk_import_result res;
	imported(&t, "contacts", data, &res);
	assert_int_equal(res.unchanged, 1);

	/* Core refuses it too, whoever asks. */
	assert_int_equal(sk_get_record(t.db, contacts, 1, &r, NULL), SK_OK);
	assert_int_equal(sk_set_int(r, "version", v), SK_OK);
	assert_int_equal(sk_set(r, "last_name", "Stale"), SK_OK);
	assert_int_equal(sk_update_ex(t.db, r, SK_W_IMPORT, &err), SK_CONFLICT);
	/* (and a record that is not there is just that) */
	assert_int_equal(sk_set(r, "id", "999999"), SK_OK);
	assert_int_equal(sk_update_ex(t.db, r, SK_W_IMPORT, &err), SK_NOTFOUND);
	sk_record_free(r);

	/* Asked for: written, as the next version, and audited as such. */
	snprintf(data, sizeof data, "id,last_name,version\r\n1,Stale,%lld\r\n", v);
	char *report;
	sk_csv_opts over = {.overwrite_newer = true};
	assert_int_equal(import_text(&t, "contacts", data, strlen(data), &over, &report, &res,
	                             &err), SK_OK);
	free(report);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.overwritten, 1);
	char *name = value_of(t.db, "contacts", 1, "last_name");
	assert_string_equal(name, "Stale");
	free(name);
	char *version = value_of(t.db, "contacts", 1, "version");
	assert_int_equal(strtoll(version, NULL, 10), v + 2);
	free(version);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT action || ' ' || after FROM audit_log WHERE id = %lld",
	         last_audit_id(t.db));
	char *entry = tu_q_text(sk_sqlite(t.db), sql);
	char want[200];
	snprintf(want, sizeof want, "import {\"last_name\":\"Stale\",\"overwrite_newer\":"
	         "{\"stored_version\":%lld,\"file_version\":%lld}}", v + 1, v);
	assert_string_equal(entry, want);
	free(entry);

	/* The same version twice in one file (two edits of one export): both
	 * go through, each a version, no conflict with the file itself. */
	snprintf(data, sizeof data, "id,last_name,first_name,version\r\n1,Twice,A,%lld\r\n"
	         "1,Twice,B,%lld\r\n", v + 2, v + 2);
	imported(&t, "contacts", data, &res);
	assert_int_equal(res.updated, 2);
	version = value_of(t.db, "contacts", 1, "version");
	assert_int_equal(strtoll(version, NULL, 10), v + 4);
	free(version);
	name = value_of(t.db, "contacts", 1, "first_name");
	assert_string_equal(name, "B");
	free(name);

	/* A newer version than stored (a file from a copy that went on) is
	 * taken as it is. */
	snprintf(data, sizeof data, "id,last_name,version\r\n1,Newer,%lld\r\n", v + 40);
	imported(&t, "contacts", data, &res);
	version = value_of(t.db, "contacts", 1, "version");
	assert_int_equal(strtoll(version, NULL, 10), v + 40);
	free(version);
	tu_close(&t);
}

/* ---- a dry run holds no lock ------------------------------------------------- */

/* In the child: a dry run of billets from the FIFO, its problem lines
 * sent at once down the pipe. Exits 0 when the import read the whole
 * file and found exactly the one bad row. */
static void dry_run_child(const char *path, const char *fifo, int report_fd)
{
	FILE *report = fdopen(report_fd, "w");
	if (!report)
		_exit(2);
	setvbuf(report, NULL, _IONBF, 0);
	sk_db *db = NULL;
	sk_err err;
	if (sk_open(path, 0, &db, &err) != SK_OK)
		_exit(3);
	sk_csv_opts dry = {.dry_run = true};
	sk_import_result res;
	sk_status s = sk_csv_import(db, sk_table_find("billets"), fifo, &dry, report, &res, &err);
	sk_close(db);
	_exit(s == SK_INVALID && res.problems == 1 && res.rows == 3 ? 0 : 4);
}

/*
 * While a dry run reads and checks its file, another connection's write
 * goes through at once (no busy timeout at all). The file is a FIFO fed
 * by the test: the dry run has read and checked its first row (its
 * problem line has come down the pipe) and waits for the rest of it when the
 * other write is made, so the timing cannot go the other way. Before, the
 * dry run was the import in a write transaction, rolled back at the end,
 * and the write was refused as busy.
 */
static void test_dry_run_holds_no_lock(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	char fifo[400];
	snprintf(fifo, sizeof fifo, "%s/feed.csv", t.dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dry_run_child(t.path, fifo, fds[1]);
	}
	close(fds[1]);
	int feed = open(fifo, O_WRONLY); /* until the dry run has it open */
	assert_true(feed >= 0);
	/* The reader takes the file a megabyte at a time: the first one is
	 * the header, the bad row and most of a long title. */
	static const char head[] = "billet_number,title,role\r\nDRY-1,Checked,boss\r\nDRY-2,";
	size_t chunk = 1u << 20;
	char *first = malloc(chunk);
	assert_non_null(first);
	memcpy(first, head, sizeof head - 1);
	memset(first + sizeof head - 1, 'x', chunk - (sizeof head - 1));
	for (size_t done = 0; done < chunk;) {
		ssize_t w = write(feed, first + done, chunk - done);
		assert_true(w > 0);
		done += (size_t)w;
	}
	free(first);
	/* The problem line of the first row: the dry run is under way. */
	char line[512];
	size_t got = 0;
	while (got < sizeof line - 1 && (got == 0 || line[got - 1] != '\n')) {
		struct pollfd p = {.fd = fds[0], .events = POLLIN};
		if (poll(&p, 1, 60000) != 1)
			fail_msg("the dry run said nothing about its first row");
		ssize_t r = read(fds[0], line + got, sizeof line - 1 - got);
		if (r <= 0)
			fail_msg("the dry run ended before the rest of its file came");
		got += (size_t)r;
	}
	line[got] = '\0';
	if (!strstr(line, "feed.csv:2:15: field \"role\": value \"boss\""))
		fail_msg("the dry run's first problem: %s", line);

	/* Another user writes meanwhile, without waiting a moment. */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(t.path, &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 0);
	int rc = sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE billets SET title = 'Written during"
	                      " the dry run' WHERE id = 1; COMMIT", NULL, NULL, NULL);
	char why[200];
	snprintf(why, sizeof why, "%s", sqlite3_errmsg(other));
	sqlite3_close(other);

	static const char rest[] = " the end of it,other\r\nDRY-3,Third,other\r\n";
	assert_int_equal(write(feed, rest, sizeof rest - 1), (ssize_t)(sizeof rest - 1));
	close(feed);
	/* The rest of what it says, to its end. */
	char more[2048];
	size_t said = 0;
	for (ssize_t r; (r = read(fds[0], more + said, sizeof more - 1 - said)) > 0;)
		said += (size_t)r;
	more[said] = '\0';
	close(fds[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (rc != SQLITE_OK)
		fail_msg("a write during the dry run was refused: %s", why);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the dry run ended with status %#x; it said:\n%s%s", status, line, more);
	char *title = value_of(t.db, "billets", 1, "title");
	assert_string_equal(title, "Written during the dry run");
	free(title);
	int64_t n = 0;
	sk_query q = {.text = "DRY-", .which = SK_ALL};
	assert_int_equal(sk_count(t.db, sk_table_find("billets"), &q, &n, NULL), SK_OK);
	assert_int_equal(n, 0);
	tu_close(&t);
}

/* ---- reports ------------------------------------------------------------- */

/* Data rows of an exported file: CRLF lines outside quotes, less the
 * header and the two marking lines. */
static long data_rows(const char *data, size_t n)
{
	long lines = 0;
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == '\n')
			lines++;
	}
	return lines - 3;
}

static void test_reports(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	static const struct {
		const char *name, *header;
	} reports[] = {
		{"manning", "country,office,as_of,billet_number,title,authorized_grade,service,"
		            "incumbent,grade,arrival_date,deros_date,replacement,replacement_arrival,"
		            "gap_days,required_cert_level,cert_level,clearance,languages\r\n"},
		{"training-status", "country,office,as_of,person,grade,billet_number,course_code,"
		                    "due_date,completed_date,expires_date,status\r\n"},
		{"student-pipeline", "country,office,as_of,name,rank,us_equivalent_grade,program,"
		                     "case_id,fiscal_year,course_id,course_title,school,report_date,"
		                     "start_date,end_date,ecl_score,ecl_required,medical_cleared,"
		                     "leahy_status,leahy_date,security_vetting,security_vetting_date,"
		                     "ito_number,status\r\n"},
		{"program-status", "country,office,as_of,case_id,authority,title,implementing_agency,"
		                   "status,case_type,fiscal_year,value_usd,lor_date,aod_date,offer_date,oed_date,"
		                   "accepted_date,implemented_date,ssc_date,closed_date,poc,"
		                   "action_officer_deros,days_in_status,next_milestone\r\n"},
		{"engagements", "country,office,as_of,from,to,date,type,contacts,organizations,"
		                "us_participants,program,objectives,outcomes,followup,followup_due,"
		                "followup_done\r\n"},
		{"alerts", "country,office,as_of,severity,rule,subject,detail,due_date\r\n"},
	};
	char path[400];
	snprintf(path, sizeof path, "%s/report.csv", t.dir);
	int64_t billets = 0, students = 0, programs = 0, engagements = 0;
	sk_query live = {.which = SK_LIVE};
	sk_count(t.db, sk_table_find("billets"), &live, &billets, NULL);
	sk_count(t.db, sk_table_find("students"), &live, &students, NULL);
	sk_count(t.db, sk_table_find("programs"), &live, &programs, NULL);
	sk_count(t.db, sk_table_find("engagements"), &live, &engagements, NULL);
	int64_t year = 0;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(t.db),
	                                    "SELECT count(*) FROM engagements WHERE deleted_at IS NULL"
	                                    " AND date BETWEEN '2025-11-26' AND '2026-11-25'",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	year = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++) {
		long rows;
		sk_err err;
		if (sk_csv_report(t.db, reports[i].name, path, NULL, &rows, &err) != SK_OK)
			fail_msg("report %s: %s", reports[i].name, err.msg);
		size_t n;
		char *data = tu_slurp(path, &n);
		const char *header = data + strlen("\xef\xbb\xbf" "CUI\r\n");
		assert_memory_equal(header, reports[i].header, strlen(reports[i].header));
		assert_int_equal(data_rows(data, n), rows);
		assert_true(rows > 0);
		free(data);
		if (strcmp(reports[i].name, "manning") == 0)
			assert_int_equal(rows, billets);
		if (strcmp(reports[i].name, "student-pipeline") == 0)
			assert_int_equal(rows, students);
		if (strcmp(reports[i].name, "program-status") == 0)
			assert_int_equal(rows, programs);
		if (strcmp(reports[i].name, "engagements") == 0)
			assert_int_equal(rows, year);
	}
	/* Without a range, the engagements of the 12 months up to today
	 * (SCODESK_TODAY, 2026-11-25): fewer than the whole log. */
	assert_true(year > 0 && year < engagements);
	/* A date range keeps the engagements inside it, and every row says
	 * which range it is (as_of, from, to, then the date). */
	sk_csv_opts range = {.from = "2026-01-01", .to = "2026-03-31"};
	long inside, seen = 0;
	assert_int_equal(sk_csv_report(t.db, "engagements", path, &range, &inside, NULL), SK_OK);
	assert_true(inside > 0 && inside < engagements);
	size_t n;
	char *data = tu_slurp(path, &n);
	static const char said[] = ",2026-11-25,2026-01-01,2026-03-31,";
	for (char *p = strstr(data, said); p; p = strstr(p + 1, said)) {
		const char *date = p + strlen(said);
		assert_true(strncmp(date, "2026-01-01", 10) >= 0);
		assert_true(strncmp(date, "2026-03-31", 10) <= 0);
		seen++;
	}
	assert_int_equal(seen, inside);
	free(data);
	sk_err err;
	assert_int_equal(sk_csv_report(t.db, "nosuch", path, NULL, NULL, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "no report named"));
	range.from = "2026-13-01";
	assert_int_equal(sk_csv_report(t.db, "engagements", path, &range, NULL, &err), SK_INVALID);
	range.from = "2026-01-01";
	assert_int_equal(sk_csv_report(t.db, "manning", path, &range, NULL, &err), SK_INVALID);
	/* A missing end of a range: to is today, from the day after 12 months
	 * before to (a leap day's year ends on the 28th). */
	const sk_report *e = sk_report_find("engagements");
	char f[11], to[11];
	assert_int_equal(sk_report_range(t.db, e, NULL, NULL, f, to, NULL), SK_OK);
	assert_string_equal(f, "2025-11-26");
	assert_string_equal(to, "2026-11-25");
	assert_int_equal(sk_report_range(t.db, e, NULL, "2028-02-29", f, to, NULL), SK_OK);
	assert_string_equal(f, "2027-03-01");
	assert_int_equal(sk_report_range(t.db, e, "2026-06-01", NULL, f, to, NULL), SK_OK);
	assert_string_equal(to, "2026-11-25");
	assert_int_equal(sk_report_range(t.db, e, "2027-01-01", NULL, f, to, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "after to 2026-11-25 (today)"));
	assert_int_equal(sk_report_range(t.db, sk_report_find("manning"), NULL, "2026-01-01", f, to,
	                                 &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "manning report takes no date range"));
	tu_close(&t);
}

/* ---- files that cannot be written --------------------------------------------- */

/* No file under the name, and no temporary file beside it. */
static void nothing_left(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' | grep -v '^test.db')\"", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_write_failures(void **state)
{
	(void)state;
	tu_db t;
	demo(&t);
	sk_err err;
	const sk_table *e = sk_table_find("engagements");

	/* A full device. */
	assert_int_equal(sk_csv_export(t.db, e, NULL, "/dev/full", NULL, NULL, &err), SK_IO);
	assert_string_equal(err.msg,
	                    "cannot write /dev/full: No space left on device; nothing was written");

	/* A file that outgrows what the system allows: the temporary file goes. */
	char path[400];
	snprintf(path, sizeof path, "%s/big.csv", t.dir);
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	sk_status s = sk_csv_export(t.db, e, NULL, path, NULL, NULL, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(s, SK_IO);
	assert_non_null(strstr(err.msg, "big.csv: File too large; nothing was written"));
	nothing_left(t.dir);

	/* A folder that is not there. */
	snprintf(path, sizeof path, "%s/nosuch/x.csv", t.dir);
	assert_int_equal(sk_csv_report(t.db, "alerts", path, NULL, NULL, &err), SK_IO);
	assert_non_null(strstr(err.msg, "cannot create a file in"));
	assert_non_null(strstr(err.msg, "No such file or directory"));

	/* A folder nobody may write (root may write anywhere). */
	if (geteuid() != 0) {
		char locked[300];
		snprintf(locked, sizeof locked, "%s/locked", t.dir);
		assert_int_equal(mkdir(locked, 0500), 0);
		snprintf(path, sizeof path, "%s/x.csv", locked);
		assert_int_equal(sk_csv_export(t.db, e, NULL, path, NULL, NULL, &err), SK_IO);
		assert_non_null(strstr(err.msg, "Permission denied"));
		rmdir(locked);
	}
	/* An existing file is replaced whole, or not at all. */
	snprintf(path, sizeof path, "%s/keep.csv", t.dir);
	write_file(path, "old", 3);
	small.rlim_cur = 4096;
	prev = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	s = sk_csv_export(t.db, e, NULL, path, NULL, NULL, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(s, SK_IO);
	size_t n;
	char *kept = tu_slurp(path, &n);
	assert_string_equal(kept, "old");
	free(kept);

	/* The interface never replaces a file. */
	sk_csv_opts keep = {.no_clobber = true};
	assert_int_equal(sk_csv_export(t.db, e, NULL, path, &keep, NULL, &err), SK_IO);
	assert_non_null(strstr(err.msg, "keep.csv already exists; nothing was written"));
	kept = tu_slurp(path, &n);
	assert_string_equal(kept, "old");
	free(kept);
	unlink(path);
	assert_int_equal(sk_csv_report(t.db, "alerts", path, &keep, NULL, &err), SK_OK);
	unlink(path);
	nothing_left(t.dir);
	tu_close(&t);
}

/* ---- the full-text index after a bulk import ---------------------------- */

/* How many live contacts hold needle (any case in ASCII) in a searchable
 * column, read from the records, not the index. */
typedef struct hold {
	const char *needle;
	int64_t n;
} hold;

static int count_holding(void *ctx, const sk_record *rec)
{
	hold *h = ctx;
	size_t len = strlen(h->needle);
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		const char *v = rec->values[i];
		if (!v || !sk_column_searchable(&rec->table->columns[i]))
			continue;
		for (const char *p = v; *p; p++)
			if (strncasecmp(p, h->needle, len) == 0) {
				h->n++;
				return 0;
			}
	}
	return 0;
}

static void expect_index_agrees(tu_db *t, const char *const *needles, size_t n,
                                const char *ctx)
{
	const sk_table *tb = sk_table_find("contacts");
	for (size_t i = 0; i < n; i++) {
		hold h = {.needle = needles[i]};
		sk_query all = {0};
		assert_int_equal(sk_list(t->db, tb, &all, count_holding, &h, NULL), SK_OK);
		int64_t got = -1;
		sk_query q = {.text = needles[i]};
		assert_int_equal(sk_count(t->db, tb, &q, &got, NULL), SK_OK);
		if (got != h.n)
			fail_msg("%s: the filter \"%s\" finds %lld contacts, %lld hold it", ctx,
			         needles[i], (long long)got, (long long)h.n);
	}
	tu_exec(sk_sqlite(t->db), "INSERT INTO contacts_fts(contacts_fts) VALUES ('integrity-check');"
	                          "INSERT INTO audit_log_fts(audit_log_fts) VALUES ('integrity-check')");
}

/*
 * An import fills the full-text index of its table and of the audit log
 * at its end, in one statement, and changes the triggers for that while
 * it runs (sk_bulk_begin). Whatever the file does (new rows, changed ones,
 * an id in a hole below the highest, the same new row twice, a row that
 * comes deleted), the filter afterwards finds exactly the live rows that
 * hold the text, the schema is as before, and a refused import leaves the
 * triggers as they were.
 */
static void test_bulk_import_keeps_the_index(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	for (int i = 1; i <= 30; i++) {
		sk_record *r = sk_record_new(tb);
		char name[32];
		snprintf(name, sizeof name, "Before%02d", i);
		set(r, "last_name", name);
		set(r, "organization", i % 2 ? "General Staff" : "Navy Command");
		tu_insert(t.db, r);
		sk_record_free(r);
	}
	sk_err err;
	assert_int_equal(sk_delete(t.db, tb, 3, &err), SK_OK);
	/* a hole below the highest id: an import may fill it */
	tu_exec(sk_sqlite(t.db), "DELETE FROM contacts WHERE id = 10");
	char *schema_before = tu_schema(sk_sqlite(t.db));

	static const char file[] =
		"id,last_name,organization,deleted_at\n"
		",Newcomer,Navy Command,\n"                 /* new */
		"5,Renamed,Coast Guard,\n"                  /* changed */
		"3,Undeleted,Navy Command,\n"               /* deleted, changed, still deleted */
		"10,Holefiller,Air Force HQ,\n"             /* new, in a hole */
		"2000,Twice,Navy Command,\n"                /* new ... */
		"2000,Twice Again,Marine Corps,\n"          /* ... and changed in the same file */
		"2001,Gone Already,Navy Command,2026-01-02T03:04:05Z\n"; /* new, deleted */
	sk_import_result res;
	imported(&t, "contacts", file, &res);
	assert_int_equal(res.inserted, 4);
	static const char *const needles[] = {
		"Navy", "General", "Coast Guard", "Renamed", "Before05", "Holefiller", "Twice",
		"Twice Again", "Marine", "Gone Already", "Newcomer", "Undeleted", "Air Force",
	};
	expect_index_agrees(&t, needles, sizeof needles / sizeof needles[0], "after an import");
	char *schema_after = tu_schema(sk_sqlite(t.db));
	assert_string_equal(schema_after, schema_before);
	free(schema_after);

	/* the audit log's index has the import's entries */
	int64_t n = -1;
	sk_query q = {.text = "Holefiller"};
	assert_int_equal(sk_count(t.db, sk_table_find("audit_log"), &q, &n, NULL), SK_OK);
	assert_int_equal(n, 1);

	/* a refused import: nothing in, the triggers as they were, and they
	 * still work */
	REFUSED(&t, "contacts", "id,last_name\n,Fine\n,\n", "last_name");
	schema_after = tu_schema(sk_sqlite(t.db));
	assert_string_equal(schema_after, schema_before);
	free(schema_after);
	sk_record *r = sk_record_new(tb);
	set(r, "last_name", "Typed In Later");
	tu_insert(t.db, r);
	sk_record_free(r);
	static const char *const later[] = {"Typed In", "Fine"};
	expect_index_agrees(&t, later, 2, "after a refused import and a typed record");
	free(schema_before);
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard_reverses_exactly),
		cmocka_unit_test(test_round_trip_every_table),
		cmocka_unit_test(test_file_format),
		cmocka_unit_test(test_view_export),
		cmocka_unit_test(test_import_by_id_key_and_defaults),
		cmocka_unit_test(test_malformed_inputs),
		cmocka_unit_test(test_import_as_a_spreadsheet_saves),
		cmocka_unit_test(test_messages_are_inert),
		cmocka_unit_test(test_import_checks_records_as_the_file_leaves_them),
		cmocka_unit_test(test_import_refuses_rows_older_than_the_database),
		cmocka_unit_test(test_dry_run_holds_no_lock),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_write_failures),
		cmocka_unit_test(test_bulk_import_keeps_the_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
