/*
 * csv_read.c: reading a CSV file with libcsv, knowing where every field
 * stands (see io.h).
 *
 * libcsv parses (strictly: a stray quote or an unterminated quoted field
 * is an error; no blanks trimmed; an empty unquoted field is NULL, apart
 * from "") but tells only byte counts, and only when a field has ended.
 * People need a line and a column. So each chunk is first walked by a
 * small scanner that follows the same grammar and notes where each field
 * starts and each row ends; libcsv's callbacks then take those positions
 * in order. The scanner never decides anything about the data: where it
 * and libcsv could disagree (a malformed file), libcsv has already
 * stopped with an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "io.h"
#include "scodesk/inert.h"

#define CHUNK (1u << 20)
/* The longest row: its fields are held together until the row ends. */
#define MAX_ROW (16L << 20)
/* How far into the file the header is looked for, to pick the delimiter. */
#define DETECT_SPAN (64u << 10)

typedef struct pos {
	long line, col;
} pos;

/* A queue of positions, filled by the scanner, emptied by callbacks. */
typedef struct queue {
	pos *items;
	size_t head, count, cap;
} queue;

enum { ROW_START, FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN, BROKEN };

typedef struct field_meta {
	size_t off, len;
	bool null;
	long line, col;
	const char *bad;
	long bad_at;
} field_meta;

typedef struct state {
	const sk_csv_reader *r;
	struct csv_parser p;
	char delim;
	/* The scanner: where the next byte stands. */
	long line, col;
	bool prev_cr;
	int scan;
	queue starts, ends;
	/* The row being gathered. */
	char *arena;
	size_t alen, acap;
	field_meta *meta;
	size_t nmeta, total;
	sk_csv_field *fields;
	long row_index;
	int stop;          /* 1: the row callback said stop; -1: a problem */
	bool nomem;
} state;

static bool push(queue *q, long line, long col)
{
	if (q->head > 0 && q->head == q->count) {
		q->head = q->count = 0;
	}
	if (q->count == q->cap) {
		if (q->head > 0) {
			memmove(q->items, q->items + q->head, (q->count - q->head) * sizeof *q->items);
			q->count -= q->head;
			q->head = 0;
		} else {
			size_t cap = q->cap ? q->cap * 2 : 1024;
			pos *items = realloc(q->items, cap * sizeof *items);
			if (!items)
				return false;
			q->items = items;
			q->cap = cap;
		}
	}
	q->items[q->count++] = (pos){line, col};
	return true;
}

static pos pop(queue *q, const state *s)
{
	if (q->head < q->count)
		return q->items[q->head++];
	return (pos){s->line, s->col + 1};
}

static pos peek(const queue *q, const state *s)
{
	if (q->head < q->count)
		return q->items[q->head];
	return (pos){s->line, s->col + 1};
}

/* Moves a position over n bytes: a line ends at LF, at CR, and at CRLF
 * (once); columns count characters, not bytes. */
static void advance(long *line, long *col, bool *prev_cr, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		if (c == '\n') {
			if (!*prev_cr)
				++*line;
			*col = 0;
			*prev_cr = false;
		} else if (c == '\r') {
			++*line;
			*col = 0;
			*prev_cr = true;
		} else {
			*prev_cr = false;
			if ((c & 0xc0) != 0x80)
				++*col;
		}
	}
}

/* Walks a chunk the way libcsv will, noting field starts and row ends. */
static bool scan(state *s, const unsigned char *b, size_t n)
{
	const unsigned char delim = (unsigned char)s->delim;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		long line = s->line, col = s->col + 1;
		bool term = c == '\r' || c == '\n';
		bool ok = true;
		switch (s->scan) {
		case ROW_START:
		case FIELD_START:
			if (term) {
				if (s->scan == FIELD_START) {
					/* An empty last field, then the row's end. */
					ok = push(&s->starts, line, col) && push(&s->ends, line, col);
					s->scan = ROW_START;
				}
			} else {
				ok = push(&s->starts, line, col);
				s->scan = c == delim ? FIELD_START : c == '"' ? QUOTED : UNQUOTED;
			}
			break;
		case UNQUOTED:
			if (c == delim) {
				s->scan = FIELD_START;
			} else if (term) {
				ok = push(&s->ends, line, col);
				s->scan = ROW_START;
			} else if (c == '"') {
				s->scan = BROKEN;
			}
			break;
		case QUOTED:
			if (c == '"')
				s->scan = QUOTE_SEEN;
			break;
		case QUOTE_SEEN:
			if (c == '"') {
				s->scan = QUOTED;
			} else if (c == delim) {
				s->scan = FIELD_START;
			} else if (term) {
				ok = push(&s->ends, line, col);
				s->scan = ROW_START;
			} else {
				s->scan = BROKEN;
			}
			break;
		case BROKEN:
			/* libcsv stops at the same byte; nothing after it counts. */
			return true;
		}
		if (!ok)
			return false;
		advance(&s->line, &s->col, &s->prev_cr, b + i, 1);
	}
	return true;
}

static void problem(state *s, long line, long col, long field, const char *value, size_t len,
                    const char *reason)
{
	sk_csv_problem p = {.line = line, .col = col, .row_index = s->row_index,
	                    .field_index = field, .value = value, .value_len = len,
	                    .reason = reason};
	if (s->r->problem)
		s->r->problem(s->r->ctx, &p);
	s->stop = -1;
}

static bool arena_add(state *s, const char *b, size_t n)
{
	if (s->alen + n + 1 > s->acap) {
		size_t cap = s->acap ? s->acap : 4096;
		while (cap < s->alen + n + 1)
			cap *= 2;
		char *a = realloc(s->arena, cap);
		if (!a)
			return false;
		s->arena = a;
		s->acap = cap;
	}
	memcpy(s->arena + s->alen, b, n);
	s->alen += n;
	s->arena[s->alen++] = '\0';
	return true;
}

/* libcsv: a field has ended. */
static void on_field(void *data, size_t len, void *ctx)
{
	state *s = ctx;
	pos at = pop(&s->starts, s);
	if (s->stop)
		return;
	size_t index = s->total++;
	if (index >= SK_CSV_MAX_FIELDS)
		return;
	if ((long)(s->alen + len) > MAX_ROW) {
		problem(s, at.line, at.col, (long)index, NULL, 0,
		        "the row is longer than 16 MiB; is this a CSV file?");
		return;
	}
	field_meta *m = &s->meta[s->nmeta++];
	*m = (field_meta){.off = s->alen, .len = len, .null = data == NULL,
	                  .line = at.line, .col = at.col};
	if (!arena_add(s, data ? data : "", data ? len : 0)) {
		s->nomem = true;
		problem(s, at.line, at.col, (long)index, NULL, 0, "out of memory");
		return;
	}
	const char *v = s->arena + m->off;
	const char *nul = memchr(v, '\0', len);
	long bad = sk_utf8_check(v, len);
	if (nul) {
		m->bad = "holds a NUL byte";
		m->bad_at = (long)(nul - v) + 1;
	} else if (bad >= 0) {
		m->bad = "not valid UTF-8";
		m->bad_at = bad + 1;
	}
}

/* libcsv: a row has ended. */
static void on_row(int c, void *ctx)
{
	(void)c;
	state *s = ctx;
	pos end = pop(&s->ends, s);
	if (s->stop)
		return;
	for (size_t i = 0; i < s->nmeta; i++) {
		const field_meta *m = &s->meta[i];
		s->fields[i] = (sk_csv_field){.data = m->null ? NULL : s->arena + m->off,
		                              .len = m->len, .line = m->line, .col = m->col,
		                              .bad = m->bad, .bad_at = m->bad_at};
	}
	sk_csv_row row = {.fields = s->fields, .n = s->nmeta, .total = s->total,
	                  .index = s->row_index,
	                  .line = s->nmeta ? s->meta[0].line : end.line,
	                  .col = s->nmeta ? s->meta[0].col : end.col,
	                  .end_line = end.line, .end_col = end.col};
	if (s->r->row && s->r->row(s->r->ctx, &row))
		s->stop = 1;
	s->row_index++;
	s->alen = 0;
	s->nmeta = 0;
	s->total = 0;
}

/* libcsv grows a field's buffer through this: refusing past the limit
 * turns a runaway field into an error instead of a memory hog. */
static void *capped_realloc(void *p, size_t size)
{
	if (size > (size_t)SK_CSV_MAX_FIELD + (16u << 10) + 1)
		return NULL;
	return realloc(p, size);
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* The delimiter of the first line that has one outside quotes (the lines
 * before the header hold the marking alone). */
static char detect(const unsigned char *b, size_t n)
{
	size_t commas = 0, semis = 0;
	bool quoted = false;
	if (n > DETECT_SPAN)
		n = DETECT_SPAN;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == ',')
			commas++;
		else if (c == ';')
			semis++;
		else if ((c == '\n' || c == '\r') && (commas || semis))
			break;
	}
	return semis > commas ? ';' : ',';
}

/* Reads until n bytes are in or the file ends; -1 on error. */
static ssize_t fill(int fd, unsigned char *b, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* libcsv stopped at byte k of the chunk: say why, where. */
static void parse_error(state *s, const unsigned char *b, size_t k, pos chunk_start,
                        bool chunk_cr)
{
	long line = chunk_start.line, col = chunk_start.col;
	bool cr = chunk_cr;
	advance(&line, &col, &cr, b, k);
	const char *partial = (const char *)s->p.entry_buf;
	size_t plen = s->p.entry_pos;
	if (csv_error(&s->p) == CSV_ENOMEM) {
		pos at = peek(&s->starts, s);
		problem(s, at.line, at.col, (long)s->total, partial, plen,
		        "longer than 1 MiB (1048576 bytes); is this a CSV file?");
	} else if (b[k] == '"') {
		problem(s, line, col + 1, (long)s->total, partial, plen,
		        "a quote inside an unquoted field (a field that holds quotes must be "
		        "quoted whole, its quotes doubled)");
	} else {
		/* libcsv holds the closing quote until it knows it was one. */
		if (plen > 0 && partial[plen - 1] == '"')
			plen--;
		problem(s, line, col + 1, (long)s->total, partial, plen,
		        "text after the closing quote (a quoted field ends at its quote)");
	}
}

/* Sets s up to read for r; false when out of memory. */
static bool state_init(state *s, const sk_csv_reader *r)
{
	*s = (state){.r = r, .line = 1, .scan = ROW_START};
	s->meta = malloc(SK_CSV_MAX_FIELDS * sizeof *s->meta);
	s->fields = malloc(SK_CSV_MAX_FIELDS * sizeof *s->fields);
	if (!s->meta || !s->fields ||
	    csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		free(s->meta);
		free(s->fields);
		return false;
	}
	csv_set_space_func(&s->p, no_space);
	csv_set_realloc_func(&s->p, capped_realloc);
	csv_set_blk_size(&s->p, 16u << 10);
	return true;
}

static void state_free(state *s)
{
	csv_free(&s->p);
	free(s->starts.items);
	free(s->ends.items);
	free(s->arena);
	free(s->meta);
	free(s->fields);
}

static void set_delimiter(state *s, char delim)
{
	s->delim = delim;
	csv_set_delim(&s->p, (unsigned char)delim);
}

/* Scans and parses one chunk; false when reading must stop (s->stop
 * says why, or a problem was passed on). */
static bool feed(state *s, const unsigned char *b, size_t n)
{
	pos chunk_start = {s->line, s->col};
	bool chunk_cr = s->prev_cr;
	if (!scan(s, b, n)) {
		problem(s, s->line, s->col + 1, -1, NULL, 0, "out of memory");
		return false;
	}
	size_t done = csv_parse(&s->p, b, n, on_field, on_row, s);
	if (s->stop)
		return false;
	if (done < n) {
		parse_error(s, b, done, chunk_start, chunk_cr);
		return false;
	}
	return true;
}

/* The file has ended: its last row, and a quoted field left open. */
static void finish(state *s)
{
	/* A last row without a line break ends at the end of the file. */
	if (s->scan != ROW_START && s->scan != BROKEN)
		push(&s->ends, s->line, s->col + 1);
	pos at = peek(&s->starts, s);
	if (csv_fini(&s->p, on_field, on_row, s) != 0 && !s->stop)
		problem(s, at.line, at.col, (long)s->total, NULL, 0,
		        "a quoted field that never ends (its closing quote is missing)");
}

/* ---- choosing the delimiter from the header ---------------------------------- */

/* The header as one delimiter splits it. */
typedef struct fit {
	long known;        /* fields that name a column; -1: no header was found */
	size_t total;      /* fields of the header row */
	long line;
} fit;

typedef struct probe_ctx {
	const sk_csv_reader *r;
	fit *f;
} probe_ctx;

static int probe_row(void *ctx, const sk_csv_row *row)
{
	probe_ctx *pc = ctx;
	long known = pc->r->header_fit(pc->r->ctx, row);
	if (known < 0)
		return 0; /* the marking: the header comes after it */
	*pc->f = (fit){.known = known, .total = row->total, .line = row->line};
	return 1;
}

/* Reads the start of the file (b, n; whole: that is all of it) with
 * delim, as far as its header. A split that breaks the file's grammar
 * before the header (a comma file's "CUI",,, read with semicolons) finds
 * none. */
static fit probe(const sk_csv_reader *r, const unsigned char *b, size_t n, bool whole,
                 char delim)
{
	fit f = {.known = -1};
	probe_ctx pc = {.r = r, .f = &f};
	sk_csv_reader pr = {.delimiter = delim, .row = probe_row, .ctx = &pc};
	state s;
	if (!state_init(&s, &pr))
		return f;
	set_delimiter(&s, delim);
	if (feed(&s, b, n) && whole)
		finish(&s);
	state_free(&s);
	return f;
}

/*
 * The delimiter that makes sense of the header. The header is known:
 * it names columns of the table, so whichever delimiter splits it into
 * more of their names wins (a marking such as "CUI; FEDCON" on the line
 * before a comma file's header cannot mislead it, nor padding of the
 * marking line). When both find as many, the one that splits the header
 * at all; when neither finds a name, the header will be refused by name
 * whichever it is, so the first line with a delimiter decides as before.
 * Returns 0 when the header fits both as well (*line: where it is).
 */
static char choose(const sk_csv_reader *r, const unsigned char *b, size_t n, bool whole,
                   long *line)
{
	if (!r->header_fit)
		return detect(b, n);
	if (n > DETECT_SPAN) {
		n = DETECT_SPAN;
		whole = false;
	}
	fit comma = probe(r, b, n, whole, ','), semi = probe(r, b, n, whole, ';');
	if (comma.known != semi.known && (comma.known > 0 || semi.known > 0))
		return comma.known > semi.known ? ',' : ';';
	if (comma.known <= 0)
		return detect(b, n);
	if (comma.total > 1 && semi.total <= 1)
		return ',';
	if (semi.total > 1 && comma.total <= 1)
		return ';';
	if (comma.total <= 1)
		return ','; /* neither splits it: the same one field either way */
	*line = comma.line;
	return 0;
}

int sk_csv_read(const sk_csv_reader *r, int fd, char *used)
{
	state s;
	int result = 0;
	unsigned char *buf = malloc(CHUNK);
	if (!buf || !state_init(&s, r)) {
		free(buf);
		errno = ENOMEM;
		return -2;
	}

	bool first = true;
	for (;;) {
		ssize_t got = fill(fd, buf, CHUNK);
		if (got < 0) {
			result = -2;
			break;
		}
		const unsigned char *b = buf;
		size_t n = (size_t)got;
		if (first) {
			first = false;
			if (n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))) {
				problem(&s, 1, 1, -1, NULL, 0,
				        "the file is UTF-16 text; save it as \"CSV UTF-8\"");
				break;
			}
			/* libcsv does not know the byte order mark. */
			if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
				b += 3, n -= 3;
			long line = 1;
			char delim = r->delimiter ? r->delimiter
			                          : choose(r, b, n, (size_t)got < CHUNK, &line);
			if (!delim) {
				problem(&s, line, 1, -1, NULL, 0,
				        "cannot tell whether the fields are separated by commas or by "
				        "semicolons: the header names as many columns split either way; "
				        "say which (--delimiter ',' or --delimiter ';')");
				break;
			}
			set_delimiter(&s, delim);
			if (used)
				*used = s.delim;
		}
		if (n == 0)
			break;
		if (!feed(&s, b, n))
			break;
		if ((size_t)got < CHUNK)
			break;
	}
	if (!s.stop && result == 0)
		finish(&s);
	if (s.stop)
		result = s.stop;
	int saved = errno;
	state_free(&s);
	free(buf);
	errno = saved;
	return result;
}

sk_status sk_csv_open_input(const char *path, int *fd, sk_err *err)
{
	if (strcmp(path, "-") == 0) {
		*fd = STDIN_FILENO;
		return SK_OK;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return sk_fail(err, SK_IO, NULL, "cannot read %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(*fd);
		return sk_fail(err, SK_IO, NULL, "cannot read %s: it is a folder", path);
	}
	return SK_OK;
}

bool sk_csv_lone_value(const sk_csv_row *row)
{
	if (row->n == 0 || row->total != row->n || !row->fields[0].data || row->fields[0].bad)
		return false;
	if (row->n > 1 && !*row->fields[0].data)
		return false;
	for (size_t i = 1; i < row->n; i++)
		if (row->fields[i].data && *row->fields[i].data)
			return false;
	return true;
}

/* How much of a value a problem shows. */
#define SHOWN 40

void sk_csv_say(FILE *report, const char *name, long *problems, long line, long col,
                const char *field, const char *value, size_t vlen, const char *reason)
{
	if (++*problems > SK_CSV_MAX_SHOWN || !report)
		return;
	sk_inert_puts(report, name);
	fprintf(report, ":%ld:%ld: ", line, col);
	if (field) {
		fputs("field \"", report);
		sk_inert_write(report, field, strlen(field), SHOWN, SK_INERT_QUOTES);
		fputs("\": ", report);
	}
	if (value) {
		fputs("value \"", report);
		sk_inert_write(report, value, vlen, SHOWN, SK_INERT_QUOTES);
		fputs("\": ", report);
	}
	sk_inert_puts(report, reason);
	fputc('\n', report);
}

void sk_csv_say_rest(FILE *report, const char *name, long problems)
{
	if (problems <= SK_CSV_MAX_SHOWN || !report)
		return;
	sk_inert_puts(report, name);
	fprintf(report, ": %ld more problem%s not shown\n", problems - SK_CSV_MAX_SHOWN,
	        problems - SK_CSV_MAX_SHOWN == 1 ? "" : "s");
}
