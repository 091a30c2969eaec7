/*
 * handover.c: the turnover book written out (scodesk/handover.h).
 *
 * Both forms go through the CSV writer: it gives the temporary name, the
 * flush and the rename, and shows a terminal only inert bytes. Values are
 * made inert here, once, for both forms alike, so that the CSV and the
 * document say the same; the document then escapes its markup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/handover.h"
#include "scodesk/inert.h"
#include "scodesk/turnover.h"
#include "io.h"

/* A value made inert: a line break or tab as a space, every other unit
 * that may not reach a terminal as its escape. NULL for NULL; the caller
 * frees. Sets *nomem when out of memory. */
static char *inert(const char *s, bool *nomem)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	/* a placeholder is at most SK_PLACEHOLDER_MAX ASCII characters a byte */
	char *out = malloc(n * SK_PLACEHOLDER_MAX + 1);
	if (!out) {
		*nomem = true;
		return NULL;
	}
	size_t len = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp, ph[SK_PLACEHOLDER_MAX];
		size_t k = sk_utf8_next(s + i, n - i, &cp);
		size_t np = cp == '\n' || cp == '\r' || cp == '\t'
		                    ? 0 : sk_inert_placeholder(SK_SHOW_ESCAPE, cp, ph);
		if (cp == '\n' || cp == '\r' || cp == '\t')
			out[len++] = ' ';
		else if (np == 0)
			memcpy(out + len, s + i, k), len += k;
		for (size_t j = 0; j < np; j++)
			out[len++] = (char)ph[j]; /* SK_SHOW_ESCAPE's are ASCII */
		i += k;
	}
	out[len] = '\0';
	return out;
}

/* ---- Markdown ------------------------------------------------------------ */

/* What would start markup in running text or end a table cell. */
static const char md_special[] = "\\`*_[]<>|~&#";

static void md_text(sk_csvw *w, const char *s, bool *nomem)
{
	char *v = inert(s, nomem);
	for (const char *p = v; p && *p; p++) {
		if (strchr(md_special, *p))
			sk_csvw_raw(w, "\\", 1);
		sk_csvw_raw(w, p, 1);
	}
	free(v);
}

static void md_line(sk_csvw *w, const char *s)
{
	sk_csvw_raw(w, s, strlen(s));
	sk_csvw_raw(w, "\n", 1);
}

static void md_row(sk_csvw *w, const char *const cells[4], bool *nomem)
{
	sk_csvw_raw(w, "|", 1);
	for (int i = 0; i < 4; i++) {
		sk_csvw_raw(w, " ", 1);
		md_text(w, cells[i], nomem);
		sk_csvw_raw(w, " |", 2);
	}
	sk_csvw_raw(w, "\n", 1);
}

static void md_marking(sk_csvw *w, const char *marking, bool *nomem)
{
	if (!marking[0])
		return;
	/* the marking as the exports have it, alone on its line */
	char *m = inert(marking, nomem);
	if (m)
		md_line(w, m);
	free(m);
}

static long markdown(sk_csvw *w, const sk_turnover *t, const char *marking, bool *nomem)
{
	long items = 0;
	char buf[64];
	md_marking(w, marking, nomem);
	if (marking[0])
		md_line(w, "");
	sk_csvw_raw(w, "# Turnover book: ", 17);
	md_text(w, t->office, nomem);
	md_line(w, "\n");
	sk_csvw_raw(w, "Country: ", 9);
	if (t->country[0])
		md_text(w, t->country, nomem);
	else
		sk_csvw_raw(w, "not set (settings country, country_code)", 40);
	snprintf(buf, sizeof buf, ". As of %s.", t->as_of);
	md_line(w, buf);
	md_line(w, "");
	md_line(w, "Made by scodesk from the office's database alone, as it stood on that day.");
	for (size_t i = 0; i < t->nsections; i++) {
		const sk_turn_section *s = t->sections[i];
		size_t at = 0, n = 0;
		while (sk_turnover_next(t, s, &at))
			n++;
		snprintf(buf, sizeof buf, " (%zu)", n);
		md_line(w, "");
		sk_csvw_raw(w, "## ", 3);
		sk_csvw_raw(w, s->title, strlen(s->title));
		md_line(w, buf);
		md_line(w, "");
		if (n == 0) {
			md_line(w, s->none);
			continue;
		}
		md_row(w, s->heads, nomem);
		md_line(w, "| --- | --- | --- | --- |");
		at = 0;
		for (const sk_turn_item *it; (it = sk_turnover_next(t, s, &at));) {
			const char *cells[4] = {it->subject, it->detail, it->date, it->owner};
			md_row(w, cells, nomem);
			items++;
		}
	}
	if (marking[0]) {
		md_line(w, "");
		md_marking(w, marking, nomem);
	}
	return items;
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_row(sk_csvw *w, const char *section, const char *const parts[4], bool *nomem)
{
	sk_csvw_field(w, section);
	for (int i = 0; i < 4; i++) {
		char *v = inert(parts[i], nomem);
		if (i == 2)
			sk_csvw_field(w, v); /* a date */
		else
			sk_csvw_text(w, v);
		free(v);
	}
	sk_csvw_end_row(w);
}

static long csv(sk_csvw *w, sk_db *db, const sk_csv_opts *opts, const sk_turnover *t,
                bool *nomem)
{
	static const char *const names[] = {"section", "subject", "detail", "date", "owner"};
	long items = 0;
	sk_csv_begin(w, db, opts, names, sizeof names / sizeof names[0]);
	const char *office[4] = {t->office, t->country[0] ? t->country : NULL, t->as_of, NULL};
	csv_row(w, "office", office, nomem);
	for (size_t i = 0; i < t->nsections; i++) {
		size_t at = 0;
		for (const sk_turn_item *it; (it = sk_turnover_next(t, t->sections[i], &at));) {
			const char *parts[4] = {it->subject, it->detail, it->date, it->owner};
			csv_row(w, t->sections[i]->code, parts, nomem);
			items++;
		}
	}
	sk_csv_end(w, db, opts);
	return items;
}

/* ---- the file ------------------------------------------------------------ */

sk_status sk_handover_write(sk_db *db, const char *path, sk_handover_format format,
                            const sk_csv_opts *opts, long *items, sk_err *err)
{
	if (items)
		*items = 0;
	sk_turnover t;
	sk_status s = sk_turnover_build(db, &t, err);
	if (s != SK_OK)
		return s;
	sk_csvw w;
	if ((s = sk_csvw_open(&w, path, opts && opts->no_clobber, err)) != SK_OK) {
		sk_turnover_free(&t);
		return s;
	}
	bool nomem = false;
	long n;
	if (format == SK_HANDOVER_CSV) {
		n = csv(&w, db, opts, &t, &nomem);
	} else {
		char marking[256];
		sk_csv_marking(db, opts, marking, sizeof marking);
		n = markdown(&w, &t, marking, &nomem);
	}
	sk_turnover_free(&t);
	if (nomem) {
		sk_csvw_abort(&w);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory; nothing was written");
	}
	s = sk_csvw_close(&w, err);
	if (items && s == SK_OK)
		*items = n;
	return s;
}

void sk_handover_suggest_name(sk_db *db, sk_handover_format format, char *buf, size_t size)
{
	snprintf(buf, size, "handover-%s.%s", sk_today(db), format == SK_HANDOVER_CSV ? "csv" : "md");
}
