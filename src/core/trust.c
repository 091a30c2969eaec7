/*
 * trust.c: is the schema of a database file the one scodesk makes? See
 * trust.h.
 *
 * The reference for version v is built once per process, on demand: an
 * empty database in memory taken through the migration steps 1 to v
 * (sk_schema_ddl), and its sqlite_schema read back. A file's rows are then
 * compared with it by (type, name), and a match must have the same table
 * and the same SQL, byte for byte. Nothing else is ever told apart: the
 * full-text indexes' shadow tables and SQLite's own indexes for UNIQUE
 * and PRIMARY KEY (sqlite_autoindex_*, with no SQL) are in both, and
 * scodesk never runs ANALYZE, so an sqlite_stat1 is a difference like
 * any other. The bulk import's triggers (sk_bulk_begin) differ only
 * inside its transaction, which no other connection sees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

/* How many bytes of a name a message shows. */
#define NAME_SHOWN 60

typedef struct field {
	char *s;  /* NULL for SQL NULL */
	size_t n; /* bytes, not counting the NUL added */
} field;

typedef struct row {
	field type, name, tbl, sql;
} row;

typedef struct rows {
	row *v;
	size_t n;
} rows;

static void rows_free(rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].type.s);
		free(r->v[i].name.s);
		free(r->v[i].tbl.s);
		free(r->v[i].sql.s);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* Column i of st as a field; false when out of memory. */
static bool take(sqlite3_stmt *st, int i, field *f)
{
	f->s = NULL;
	f->n = 0;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return true;
	const unsigned char *p = sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);
	if (!p || n < 0)
		return false;
	f->s = malloc((size_t)n + 1);
	if (!f->s)
		return false;
	memcpy(f->s, p, (size_t)n);
	f->s[n] = '\0';
	f->n = (size_t)n;
	return true;
}

static int field_cmp(const field *a, const field *b)
{
	if (!a->s || !b->s)
		return (a->s != NULL) - (b->s != NULL);
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	return (a->n > b->n) - (a->n < b->n);
}

/* By type, then name: the key a file's object is matched on. */
static int row_cmp(const void *pa, const void *pb)
{
	const row *a = pa, *b = pb;
	int c = field_cmp(&a->type, &b->type);
	return c ? c : field_cmp(&a->name, &b->name);
}

/* Every row of c's main sqlite_schema, sorted; an SQLite result code. */
static int read_rows(sqlite3 *c, rows *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema",
	                            -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			row *grown = realloc(out->v, cap * sizeof *grown);
			if (!grown) {
				rc = SQLITE_NOMEM;
				break;
			}
			out->v = grown;
		}
		row *r = &out->v[out->n++];
		memset(r, 0, sizeof *r);
		if (!take(st, 0, &r->type) || !take(st, 1, &r->name) || !take(st, 2, &r->tbl) ||
		    !take(st, 3, &r->sql)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rows_free(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, row_cmp);
	return SQLITE_OK;
}

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------ */

typedef struct sha256 {
	uint32_t h[8];
	unsigned char block[64];
	size_t used;    /* bytes in block */
	uint64_t total; /* bytes hashed */
} sha256;

/* The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
static const uint32_t round_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(sha256 *c, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t v[8];
	memcpy(v, c->h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t e = v[4], a = v[0];
		uint32_t t1 = v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
		              ((e & v[5]) ^ (~e & v[6])) + round_k[i] + w[i];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
		              ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		c->h[i] += v[i];
}

static void sha_init(sha256 *c)
{
	/* the first 32 bits of the fractional parts of the square roots of
	 * the first 8 primes */
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, h0, sizeof h0);
	c->used = 0;
	c->total = 0;
}

static void sha_add(sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->total += n;
	while (n > 0) {
		size_t k = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->block + c->used, p, k);
		c->used += k;
		p += k;
		n -= k;
		if (c->used == 64) {
			sha_block(c, c->block);
			c->used = 0;
		}
	}
}

static void sha_end(sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->total * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	sha_add(c, &pad, 1);
	while (c->used != 56)
		sha_add(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_add(c, len, 8);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(c->h[i] >> (24 - 8 * j));
}

void sk_sha256(const void *data, size_t n, unsigned char out[32])
{
	sha256 c;
	sha_init(&c);
	sha_add(&c, data, n);
	sha_end(&c, out);
}

/* The digest of a sorted schema: each field as its length (8 bytes, most
 * significant first; all ones for NULL) and its bytes, so that no two
 * schemas give the same stream. */
static void digest_rows(const rows *r, unsigned char out[32])
{
	sha256 c;
	sha_init(&c);
	for (size_t i = 0; i < r->n; i++) {
		const field *f[4] = {&r->v[i].type, &r->v[i].name, &r->v[i].tbl, &r->v[i].sql};
		for (int k = 0; k < 4; k++) {
			uint64_t n = f[k]->s ? (uint64_t)f[k]->n : UINT64_MAX;
			unsigned char len[8];
			for (int j = 0; j < 8; j++)
				len[j] = (unsigned char)(n >> (56 - 8 * j));
			sha_add(&c, len, 8);
			if (f[k]->s)
				sha_add(&c, f[k]->s, f[k]->n);
		}
	}
	sha_end(&c, out);
}

/*
 * The digest of the schema of version KNOWN_VERSION as scodesk makes it
 * (with SQLite 3.40). A file of that version whose schema has this digest
 * is scodesk's without building the reference, which costs about 8 ms at
 * every start; any other file, or an SQLite that writes some object
 * otherwise, is compared with the reference built. test_trust.c:
 * known_digest_is_current says when this is stale, and gives the new one.
 */
#define KNOWN_VERSION 6
static const unsigned char known_digest[32] = {
	0xfc, 0x4a, 0xa4, 0x47, 0xb7, 0x9c, 0x61, 0xfb,
	0x5f, 0x82, 0x1e, 0xe2, 0x77, 0x28, 0xc5, 0xec,
	0xd1, 0xf5, 0x19, 0xf1, 0xa9, 0x9d, 0x39, 0xf2,
	0x7d, 0xbc, 0x7e, 0x4b, 0xf8, 0x76, 0xf1, 0xe1,
};

/* ---- the reference ------------------------------------------------------ */

static rows reference[SK_SCHEMA_VERSION + 1];
static bool built[SK_SCHEMA_VERSION + 1];

/* The schema scodesk makes for version (0 to SK_SCHEMA_VERSION), built
 * the first time it is asked for. */
static const rows *reference_for(int version, sk_err *err)
{
	if (built[version])
		return &reference[version];
	sk_buf b = {0};
	sk_buf_add(&b, "BEGIN;\n");
	for (int v = 1; v <= version; v++)
		sk_schema_ddl(&b, v);
	sk_buf_add(&b, "COMMIT;\n");
	if (b.failed) {
		sk_buf_free(&b);
		sk_fail(err, SK_NOMEM, NULL, "out of memory");
		return NULL;
	}
	sqlite3 *c = NULL;
	int rc = sqlite3_open_v2(":memory:", &c,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c, b.data, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = read_rows(c, &reference[version]);
	if (rc != SQLITE_OK)
		sk_fail(err, rc == SQLITE_NOMEM ? SK_NOMEM : SK_DB, NULL,
		        "cannot build the schema scodesk makes for version %d: %s", version,
		        c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
	sqlite3_close(c);
	sk_buf_free(&b);
	if (rc != SQLITE_OK)
		return NULL;
	built[version] = true;
	return &reference[version];
}

/* ---- findings ------------------------------------------------------------- */

enum { EXTRA, DIFFERS, MISSING };

/* A name from the file, quoted, at most NAME_SHOWN bytes of it (cut
 * before a UTF-8 continuation byte, and at a NUL byte) and "..." when it
 * was cut. The bytes are otherwise as they are: the printing makes them
 * inert. */
static void add_name(sk_buf *b, const field *f)
{
	if (!f->s) {
		sk_buf_add(b, "(none)");
		return;
	}
	size_t n = strnlen(f->s, f->n);
	bool cut = n < f->n;
	if (n > NAME_SHOWN) {
		n = NAME_SHOWN;
		while (n > 0 && ((unsigned char)f->s[n] & 0xc0) == 0x80)
			n--;
		cut = true;
	}
	sk_buf_add(b, "\"");
	sk_buf_addn(b, f->s, n);
	sk_buf_add(b, cut ? "...\"" : "\"");
}

/* "trigger "x" on "t"": what the object is, as a message names it. */
static void add_object(sk_buf *b, const row *r)
{
	static const char *const types[] = {"table", "index", "view", "trigger"};
	bool known = false;
	for (size_t i = 0; i < sizeof types / sizeof types[0] && r->type.s; i++)
		if (strcmp(r->type.s, types[i]) == 0 && strlen(types[i]) == r->type.n) {
			sk_buf_add(b, types[i]);
			known = true;
		}
	if (!known) {
		sk_buf_add(b, "object of type ");
		add_name(b, &r->type);
	}
	sk_buf_add(b, " ");
	add_name(b, &r->name);
	if (field_cmp(&r->name, &r->tbl) != 0) {
		sk_buf_add(b, " on ");
		add_name(b, &r->tbl);
	}
}

typedef struct report {
	void (*cb)(void *ctx, const char *line);
	void *ctx;
	int count;
	char first[300]; /* the first difference, without "schema: " */
	bool nomem;
} report;

static void tell(report *rp, int kind, const row *r)
{
	sk_buf b = {0};
	sk_buf_add(&b, "schema: ");
	add_object(&b, r);
	sk_buf_add(&b, kind == EXTRA ? " is not one scodesk makes"
	               : kind == DIFFERS ? " differs from the one scodesk makes"
	                                 : " is missing");
	if (b.failed) {
		rp->nomem = true;
	} else {
		if (!rp->count)
			snprintf(rp->first, sizeof rp->first, "%s", b.data + strlen("schema: "));
		if (rp->cb)
			rp->cb(rp->ctx, b.data);
	}
	rp->count++;
	sk_buf_free(&b);
}

/* Reports what the file has that the reference does not, or has
 * otherwise, then what it lacks: an object that should not be there says
 * more than one that is missing. */
static void compare_rows(const rows *file, const rows *ref, report *rp)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t i = 0, j = 0;
		while (i < file->n || j < ref->n) {
			int c = i == file->n ? 1 : j == ref->n ? -1 : row_cmp(&file->v[i], &ref->v[j]);
			if (c < 0) {
				if (pass == 0)
					tell(rp, EXTRA, &file->v[i]);
				i++;
			} else if (c > 0) {
				if (pass == 1)
					tell(rp, MISSING, &ref->v[j]);
				j++;
			} else {
				const row *f = &file->v[i], *r = &ref->v[j];
				if (pass == 0 && (field_cmp(&f->tbl, &r->tbl) != 0 ||
				                  field_cmp(&f->sql, &r->sql) != 0))
					tell(rp, DIFFERS, f);
				i++, j++;
			}
		}
	}
}

static int compare(sk_db *db, int version, report *rp, sk_err *err)
{
	if (version < 0 || version > SK_SCHEMA_VERSION) {
		sk_fail(err, SK_REFUSED, NULL,
		        "%s is not a scodesk database (its schema version %d is none scodesk "
		        "writes)", db->path, version);
		return -1;
	}
	rows file;
	int rc = read_rows(db->conn, &file);
	if (rc != SQLITE_OK) {
		sk_fail_sqlite(db, err, "reading the schema");
		return -1;
	}
	if (version == KNOWN_VERSION) {
		unsigned char d[32];
		digest_rows(&file, d);
		if (memcmp(d, known_digest, sizeof d) == 0) {
			rows_free(&file);
			return 0;
		}
	}
	const rows *ref = reference_for(version, err);
	if (!ref) {
		rows_free(&file);
		return -1;
	}
	compare_rows(&file, ref, rp);
	rows_free(&file);
	if (rp->nomem) {
		sk_fail(err, SK_NOMEM, NULL, "out of memory");
		return -1;
	}
	return rp->count;
}

bool sk_trust_known_digest(char hex[65], sk_err *err)
{
	hex[0] = '\0';
	const rows *ref = reference_for(SK_SCHEMA_VERSION, err);
	if (!ref)
		return false;
	unsigned char d[32];
	digest_rows(ref, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return SK_SCHEMA_VERSION == KNOWN_VERSION && memcmp(d, known_digest, sizeof d) == 0;
}

int sk_trust_compare(sk_db *db, int version, void (*cb)(void *ctx, const char *line),
                     void *ctx, sk_err *err)
{
	report rp = {.cb = cb, .ctx = ctx};
	return compare(db, version, &rp, err);
}

/* ---- the connection ----------------------------------------------------- */

void sk_trust_harden(sqlite3 *conn)
{
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
}

static void set_trust(sk_db *db, bool on)
{
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, on ? 1 : 0, NULL);
	db->schema_trusted = on;
}

/* One integer from a pragma on db; false when it cannot be read. */
static bool read_int(sk_db *db, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok;
}

/* The check itself, in the caller's read (or write) transaction. */
static sk_status verify_here(sk_db *db, const char *when, sk_err *err)
{
	long long version = 0, cookie = 0;
	if (!read_int(db, "PRAGMA user_version", &version) ||
	    !read_int(db, "PRAGMA schema_version", &cookie))
		return sk_fail_sqlite(db, err, "reading the schema");
	if (version < 0 || version > SK_SCHEMA_VERSION)
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is not a scodesk database (its schema version %lld is none "
		               "scodesk writes); %s", db->path, version, when);
	report rp = {0};
	int n = compare(db, (int)version, &rp, err);
	if (n < 0)
		return err ? err->status : SK_DB;
	if (n > 0) {
		set_trust(db, false);
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is not a database as scodesk makes it (%s); %s, and "
		               "'scodesk check' lists every difference", db->path, rp.first, when);
	}
	db->schema_cookie = cookie;
	set_trust(db, true);
	return SK_OK;
}

sk_status sk_trust_verify(sk_db *db, const char *when, sk_err *err)
{
	if (!sqlite3_get_autocommit(db->conn))
		return verify_here(db, when, err);
	if (sqlite3_exec(db->conn, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return sk_fail_sqlite(db, err, "reading the schema");
	sk_status s = verify_here(db, when, err);
	sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL);
	return s;
}

sk_status sk_trust_recheck(sk_db *db, sk_err *err)
{
	long long cookie = 0;
	if (db->schema_trusted && read_int(db, "PRAGMA schema_version", &cookie) &&
	    cookie == db->schema_cookie)
		return SK_OK;
	return sk_trust_verify(db, "nothing was changed", err);
}
