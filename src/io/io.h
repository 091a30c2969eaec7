/*
 * io.h: what the CSV modules share among themselves. Not installed;
 * nothing outside src/io includes it (the io tests and the fuzz target
 * do, to reach the pieces one at a time).
 */
#ifndef SCODESK_IO_INTERNAL_H
#define SCODESK_IO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scodesk/csvio.h"

/* ---- limits ----------------------------------------------------------- */

/* The longest field the reader accepts. Notes run to a few kilobytes; a
 * megabyte in one cell is garbage, and refusing it keeps a 200 MB file
 * without a line break from being held in memory whole. */
#define SK_CSV_MAX_FIELD (1L << 20)
/* Fields kept per row; more are counted (for the ragged-row message) but
 * not stored. */
#define SK_CSV_MAX_FIELDS 1024
/* Problems printed before the rest are only counted. */
#define SK_CSV_MAX_SHOWN 20

/* ---- writing (csv_write.c) ------------------------------------------- */

/*
 * An output file under construction. Regular files are written to a
 * temporary name in the target's folder, flushed, synced and renamed
 * over the target, so that the real name only ever holds a whole file.
 * Standard output and devices (/dev/full, a pipe) are written in place.
 */
typedef struct sk_csvw {
	int fd;
	char *path;      /* the real name, or NULL for standard output */
	char *tmp;       /* the temporary name, or NULL when written in place */
	char *buf;
	size_t len, cap;
	int error;       /* errno of the first failed write, 0 while all is well */
	bool row_open;   /* a field was written on the current row */
	bool no_clobber; /* never replace an existing file */
	bool terminal;   /* the output is a terminal: shown inert, not as bytes */
} sk_csvw;

/* Opens path ("-": standard output). On failure err says why, in one
 * sentence naming the file, and nothing is left behind. When the output
 * is a terminal (standard output, or a device such as /dev/tty) the file
 * is for reading there, not for a program: its bytes go through the inert
 * module (a row's CR LF as a line break, every control as its
 * placeholder), so that nothing in a value reaches the terminal as a
 * control. With no_clobber
 * an existing file is refused, at open and again (atomically) at close. */
sk_status sk_csvw_open(sk_csvw *w, const char *path, bool no_clobber, sk_err *err);
/* One field of the current row; NULL is SQL NULL (an empty, unquoted
 * field), "" an empty string (written as ""). Quotes only where needed. */
void sk_csvw_field(sk_csvw *w, const char *value);
/* The same for free text: neutralised against formula evaluation. */
void sk_csvw_text(sk_csvw *w, const char *value);
/* Ends the row with CRLF. */
void sk_csvw_end_row(sk_csvw *w);
/* Raw bytes (the byte order mark). */
void sk_csvw_raw(sk_csvw *w, const char *bytes, size_t n);
/* Flushes, syncs and renames into place; on any failure removes the
 * temporary file and fills err. Frees w's resources either way. */
sk_status sk_csvw_close(sk_csvw *w, sk_err *err);
/* Gives up: removes the temporary file, frees w. */
void sk_csvw_abort(sk_csvw *w);

/*
 * What every exported file starts and ends with: the byte order mark
 * (unless opts->no_bom) and a line holding the marking alone (unless the
 * marking is "none"). sk_csv_begin writes both and the header names;
 * sk_csv_end writes the closing marking line.
 */
void sk_csv_begin(sk_csvw *w, sk_db *db, const sk_csv_opts *opts,
                  const char *const *names, size_t n);
void sk_csv_end(sk_csvw *w, sk_db *db, const sk_csv_opts *opts);
/* The marking that opts asks for, in buf; "" when there is none. */
void sk_csv_marking(sk_db *db, const sk_csv_opts *opts, char *buf, size_t size);

/* ---- reading (csv_read.c) -------------------------------------------- */

typedef struct sk_csv_field {
	const char *data;  /* NUL-terminated; NULL for an empty unquoted field */
	size_t len;
	long line, col;    /* where the field starts (1-based; col in characters) */
	const char *bad;   /* why the bytes cannot be used, or NULL */
	long bad_at;       /* 1-based byte of the field where that shows */
} sk_csv_field;

typedef struct sk_csv_row {
	const sk_csv_field *fields;
	size_t n;          /* fields kept (at most SK_CSV_MAX_FIELDS) */
	size_t total;      /* fields in the row */
	long index;        /* 0 for the file's first record */
	long line, col;    /* where the row starts */
	long end_line, end_col; /* where it ends (its line break) */
} sk_csv_row;

/* A problem with the file's structure: reading stops there. */
typedef struct sk_csv_problem {
	long line, col;
	long row_index;    /* record the problem is in */
	long field_index;  /* field of that record, or -1 */
	const char *value; /* what was read of the field so far, or NULL */
	size_t value_len;
	const char *reason;
} sk_csv_problem;

typedef struct sk_csv_reader {
	char delimiter;    /* 0: detect ',' or ';' from the header */
	/* Called for every record; a non-zero return stops the reading. */
	int (*row)(void *ctx, const sk_csv_row *row);
	/* With delimiter 0: how well a row of the file's start, split one
	 * way, makes a header (the number of its fields that name a column),
	 * or -1 for a row that comes before the header (the marking). The
	 * file's start is split with ',' and with ';', and the delimiter whose
	 * header names more columns is used; when both name as many and both
	 * split it, reading stops with a problem at the header's line. NULL:
	 * the first line with a ',' or ';' outside quotes decides. */
	long (*header_fit)(void *ctx, const sk_csv_row *row);
	void (*problem)(void *ctx, const sk_csv_problem *p);
	void *ctx;
} sk_csv_reader;

/*
 * Reads fd to its end. Returns 0 when the whole file was read, 1 when a
 * row callback stopped it, -1 after a structural problem (already passed
 * to r->problem), -2 when reading failed (errno says why). *used gets the
 * delimiter in force.
 */
int sk_csv_read(const sk_csv_reader *r, int fd, char *used);

/* Opens path for reading ("-": standard input, *fd STDIN_FILENO); a
 * folder or a file that cannot be read fills err naming it. */
sk_status sk_csv_open_input(const char *path, int *fd, sk_err *err);

/* A row holding one value and nothing else: alone, or padded with empty
 * fields, as a spreadsheet saves a row with only its first cell filled
 * ("CUI",,,, from LibreOffice; CUI;;;; in a European locale). The
 * marking line of a file is one. */
bool sk_csv_lone_value(const sk_csv_row *row);

/* A problem of a file being read: counted in *problems and, while no
 * more than SK_CSV_MAX_SHOWN were, written to report (when not NULL) as
 * FILE:LINE:COL: field "F": value "V": reason, every part inert and a
 * long value cut; field and value may be NULL. sk_csv_say_rest then says
 * how many were not shown. */
void sk_csv_say(FILE *report, const char *name, long *problems, long line, long col,
                const char *field, const char *value, size_t vlen, const char *reason);
void sk_csv_say_rest(FILE *report, const char *name, long problems);

/* ---- sorted records, for looking up names ------------------------------ */

typedef struct sk_recs {
	sk_record **items;
	size_t count, cap;
} sk_recs;

/* Every record of t that q selects, in q's order (q NULL: all, by id). */
sk_status sk_recs_load(sk_db *db, const sk_table *t, const sk_query *q, sk_recs *out,
                       sk_err *err);
/* The record with this id, when rs was loaded in id order. */
const sk_record *sk_recs_find(const sk_recs *rs, long long id);
void sk_recs_free(sk_recs *rs);

/* ---- the records an import touched, by id ------------------------------- */

typedef struct sk_touched {
	long long id;           /* 0: a free slot */
	sk_record *before;      /* as it was before the import; NULL: the import added it */
	long first_line, last_line; /* the file's first and last rows for it */
	long rows;              /* how many of the file's rows changed it */
} sk_touched;

typedef struct sk_touch_map {
	sk_touched *slots;
	size_t cap, count;
} sk_touch_map;

/* The entry of record id, or NULL when the import has not touched it. */
sk_touched *sk_touch_find(const sk_touch_map *m, long long id);
/* A new entry for id (which must not have one; id > 0), all else zero;
 * NULL when out of memory. Earlier entry pointers become invalid. */
sk_touched *sk_touch_add(sk_touch_map *m, long long id);
/* Frees the map and the records its entries hold. */
void sk_touch_free(sk_touch_map *m);

#endif
