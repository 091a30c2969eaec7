/*
 * fuzz_import.c: libFuzzer target for the CSV importer.
 *
 * An input is a table name on its first line (billets when it names no
 * importable table) and the file to import after it. Each input is
 * imported into a fresh database, a copy of one made once with a few
 * parent records (a billet, a person, contacts, a course, a program) so
 * that references can resolve and updates by id and natural key happen.
 * The importer must never crash, leak or break a sanitizer rule, whatever
 * the bytes; problems it reports are fine.
 *
 * Built and run by run.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scodesk/csvio.h"
#include "scodesk/record.h"
#include "scodesk/schema.h"

static char dir[256], template_path[320], db_path[320], csv_path[320];
static char *template_data;
static size_t template_size;
static FILE *sink;
static int64_t template_counts[32];

/* Rows in every table, deleted ones and the audit log included. */
static void counts(sk_db *db, int64_t *out)
{
	sk_query all = {.which = SK_ALL};
	for (size_t i = 0; i < sk_ntables && i < 32; i++)
		if (sk_count(db, sk_tables[i], &all, &out[i], NULL) != SK_OK)
			abort();
}

static void put(sk_db *db, const char *table, const char *const *kv)
{
	sk_record *r = sk_record_new(sk_table_find(table));
	for (; r && kv[0]; kv += 2)
		sk_set(r, kv[0], kv[1]);
	if (!r || sk_insert(db, r, NULL) != SK_OK)
		abort(); /* the fixture itself is wrong */
	sk_record_free(r);
}

static void remove_db(void)
{
	char p[400];
	unlink(db_path);
	snprintf(p, sizeof p, "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db_path);
	unlink(p);
}

static void cleanup(void)
{
	remove_db();
	unlink(csv_path);
	unlink(template_path);
	rmdir(dir);
	free(template_data);
	if (sink)
		fclose(sink);
}

static void write_all(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			abort();
		p += w;
		n -= (size_t)w;
	}
	close(fd);
}

static void setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/scodesk-fuzz-XXXXXX", base);
	if (!mkdtemp(dir))
		abort();
	snprintf(template_path, sizeof template_path, "%s/template.db", dir);
	snprintf(db_path, sizeof db_path, "%s/work.db", dir);
	snprintf(csv_path, sizeof csv_path, "%s/input.csv", dir);
	setenv("SCODESK_TODAY", "2026-11-25", 1);
	atexit(cleanup);

	sk_db *db;
	if (sk_open(template_path, SK_OPEN_CREATE, &db, NULL) != SK_OK)
		abort();
	put(db, "billets", (const char *const[]){"billet_number", "ODC-01", "title", "Chief", NULL});
	put(db, "personnel", (const char *const[]){"last_name", "Smith", "first_name", "Jo",
	                                           "service", "army", "billet_number", "ODC-01",
	                                           "arrival_date", "2026-01-05", NULL});
	for (int i = 0; i < 3; i++)
		put(db, "contacts", (const char *const[]){"last_name", "Ivanov", "organization",
		                                          "J5", NULL});
	put(db, "courses", (const char *const[]){"code", "SCO-250", "title", "Course", NULL});
	put(db, "programs", (const char *const[]){"authority", "fms", "case_id", "QV-B-AAA",
	                                          "title", "Case", NULL});
	counts(db, template_counts);
	sk_close(db);

	FILE *f = fopen(template_path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		abort();
	template_size = (size_t)ftell(f);
	rewind(f);
	template_data = malloc(template_size);
	if (!template_data || fread(template_data, 1, template_size, f) != template_size)
		abort();
	fclose(f);
	sink = fopen("/dev/null", "w");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!template_data)
		setup();
	const char *nl = memchr(data, '\n', size < 64 ? size : 64);
	char name[64] = "billets";
	size_t skip = 0;
	if (nl) {
		size_t n = (size_t)(nl - (const char *)data);
		memcpy(name, data, n);
		name[n] = '\0';
		skip = n + 1;
	}
	const sk_table *t = sk_table_find(name);
	if (!t || t->append_only)
		t = sk_table_find("billets");
	write_all(csv_path, data + skip, size - skip);
	write_all(db_path, template_data, template_size);

	sk_db *db;
	if (sk_open(db_path, 0, &db, NULL) != SK_OK)
		abort();
	sk_import_result res;
	sk_err err;
	/* An odd size checks without writing, so both endings are covered. */
	sk_csv_opts opts = {.dry_run = size % 2 == 1};
	sk_status s = sk_csv_import(db, t, csv_path, &opts, sink, &res, &err);
	/* A failure is a status and a sentence; a failed or trial import
	 * leaves every table as it was. */
	if (s != SK_OK && !err.msg[0])
		abort();
	if (s != SK_OK || opts.dry_run) {
		int64_t now[32];
		counts(db, now);
		if (memcmp(now, template_counts, sk_ntables * sizeof now[0]) != 0)
			abort();
	}
	sk_close(db);
	remove_db();
	return 0;
}
