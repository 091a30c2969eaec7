/*
 * pager.c: the record view ('v'), a scrollable read-only text. What it
 * shows is a list of items (headings, "Label: value" fields, lines of
 * text), wrapped to the width of the terminal when drawn and again when
 * the width changes; every character goes through the inert text module
 * (text.h), so a value holding ESC or a bidirectional control shows its
 * placeholder, wrapped lines included.
 *
 * A record's fields are its table's columns, shown as the list shows a
 * cell (names for references, words for codes); its related records are
 * the tabs 'o' opens (the screen table, screens.c), read through the
 * list engine and shown one a line under a heading.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "pager.h"
#include "text.h"

/* Related records shown per heading; the rest are counted ('o' lists
 * them all). */
#define RELATED_SHOWN 50
#define MARGIN 1

void pager_add(pager *p, pager_style style, const char *label, const char *text)
{
	if (p->nitems == p->items_cap) {
		int cap = p->items_cap ? p->items_cap * 2 : 64;
		pager_item *n = realloc(p->items, (size_t)cap * sizeof *n);
		if (!n)
			return;
		p->items = n;
		p->items_cap = cap;
	}
	pager_item *it = &p->items[p->nitems];
	it->style = style;
	it->label = label ? strdup(label) : NULL;
	it->text = strdup(text ? text : "");
	if (!it->text || (label && !it->label)) {
		free(it->label);
		free(it->text);
		return;
	}
	p->nitems++;
	p->wrapped_for = 0;
}

static void free_lines(pager *p)
{
	for (int i = 0; i < p->nlines; i++)
		free(p->lines[i].w);
	p->nlines = 0;
}

static void free_items_from(pager *p, int from)
{
	for (int i = from; i < p->nitems; i++) {
		free(p->items[i].label);
		free(p->items[i].text);
	}
	if (from < p->nitems)
		p->nitems = from;
	p->wrapped_for = 0;
}

void pager_free(pager *p)
{
	free_items_from(p, 0);
	free(p->items);
	free_lines(p);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

/* ---- a record, whole ------------------------------------------------------ */

/* A record's value as its list shows it (enumeration words, names for
 * references, dollars), through the table source's cell operation. */
static char *shown_value(const list_view *tv, sk_db *db, const sk_record *rec, int col)
{
	const char *v = rec->values[col];
	if (!v)
		return strdup("");
	if (rec->table->columns[col].type == SK_T_BOOL)
		return strdup(strcmp(v, "1") == 0 ? "yes" : "no");
	return tv->ops->cell(tv, db, rec, col);
}

/* The "Label: value" block of every field of rec that a person reads
 * (its system columns but the dates it was made and changed are
 * bookkeeping). */
static void add_fields(pager *p, sk_db *db, const sk_record *rec)
{
	const sk_table *t = rec->table;
	const tab_def *def = tui_tab_for(t->name);
	list_view tv;
	if (!def || !list_init(&tv, def))
		return;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if ((c->flags & SK_F_SYSTEM) && strcmp(c->name, "created_at") != 0 &&
		    strcmp(c->name, "updated_at") != 0)
			continue;
		char *v = shown_value(&tv, db, rec, (int)i);
		pager_add(p, PG_FIELD, c->label, v ? v : "");
		free(v);
	}
	list_free(&tv);
}

/* Under a heading each, the records of the tabs 'o' opens for rec. */
static void add_related(pager *p, sk_db *db, const sk_record *rec)
{
	const tab_def *home = tui_tab_for(rec->table->name);
	for (int r = 0; home && r < TUI_MAX_RELATED && home->related[r].table; r++) {
		const tab_def *def = tui_tab_for(home->related[r].table);
		const sk_table *child = sk_table_find(home->related[r].table);
		const sk_column *c = child ? sk_column_find(child, home->related[r].column) : NULL;
		list_view rv;
		if (!def || !c || !list_init(&rv, def))
			continue;
		rv.where_column = c->name;
		const char *v = tui_related_value(c, rec);
		snprintf(rv.where_value, sizeof rv.where_value, "%s", v ? v : "");
		sk_err err;
		char head[600], what[64];
		/* "Training records (3)": the child table's word for them */
		snprintf(what, sizeof what, "%s", child->plural);
		if (what[0] >= 'a' && what[0] <= 'z')
			what[0] = (char)(what[0] - 'a' + 'A');
		if (list_refresh(&rv, db, RELATED_SHOWN, &err) != SK_OK) {
			snprintf(head, sizeof head, "%s: %s", what, err.msg);
			pager_add(p, PG_HEADING, NULL, head);
			list_free(&rv);
			continue;
		}
		snprintf(head, sizeof head, "%s (%lld)", what, (long long)rv.count);
		pager_add(p, PG_HEADING, NULL, head);
		if (rv.count == 0)
			pager_add(p, PG_TEXT, NULL, "none");
		for (int i = 0; i < rv.win.n; i++) {
			/* its shown cells, less the one that names rec; a yes/no
			 * one by its label when yes */
			char line[1024];
			size_t len = 0;
			line[0] = '\0';
			for (int k = 0; k < rv.ncols; k++) {
				const char *cell = rv.win.rows[i].cells[k];
				if (!cell || !cell[0] || strcmp(list_col_name(&rv, k), c->name) == 0)
					continue;
				const sk_column *kc = &rv.table->columns[rv.cols[k]];
				if (kc->type == SK_T_BOOL)
					cell = kc->label;
				/* a value a short label names ("L 2+" for a language's
				 * listening) keeps it */
				bool named = kc->type != SK_T_BOOL && len && tui_cells(kc->label) <= 3;
				int n = snprintf(line + len, sizeof line - len, "%s%s%s%s", len ? " | " : "",
				                 named ? kc->label : "", named ? " " : "", cell);
				if (n < 0 || (size_t)n >= sizeof line - len)
					break;
				len += (size_t)n;
			}
			pager_add(p, PG_TEXT, NULL, line);
		}
		if (rv.count > rv.win.n) {
			char more[96];
			snprintf(more, sizeof more, "... and %lld more (o lists them)",
			         (long long)(rv.count - rv.win.n));
			pager_add(p, PG_TEXT, NULL, more);
		}
		list_free(&rv);
	}
}

/* The record p is about: its fields, then (p->related) its related
 * records. False when it cannot be read. */
static bool add_record(pager *p, sk_db *db, char *why, size_t size)
{
	sk_record *rec;
	sk_err err;
	if (sk_get_record(db, p->table, p->id, &rec, &err) != SK_OK) {
		if (why)
			snprintf(why, size, "%s", err.msg);
		return false;
	}
	char name[160], head[200];
	sk_record_name(rec, name, sizeof name);
	snprintf(head, sizeof head, "%s%s %lld: %s", p->nkeep ? "About: " : "", p->table->label,
	         (long long)p->id, name);
	/* "Program 13: ...": the table's word starts the line */
	if (head[p->nkeep ? 7 : 0] >= 'a' && head[p->nkeep ? 7 : 0] <= 'z')
		head[p->nkeep ? 7 : 0] = (char)(head[p->nkeep ? 7 : 0] - 'a' + 'A');
	if (p->nkeep)
		pager_add(p, PG_HEADING, NULL, head);
	else
		snprintf(p->title, sizeof p->title, "%s", head);
	add_fields(p, db, rec);
	if (p->related)
		add_related(p, db, rec);
	sk_record_free(rec);
	return true;
}

bool pager_open_row(pager *p, sk_db *db, const list_view *lv, const list_row *row, char *why,
                    size_t size)
{
	pager_free(p);
	if (!row) {
		snprintf(why, size, "no row to view");
		return false;
	}
	if (lv->table) {
		/* a record of the list's table: it, then its related records */
		p->table = lv->table;
		p->id = row->id;
		p->related = true;
	} else {
		/* a row about a record: the row whole, then that record */
		for (int i = 0; i < lv->ncols; i++)
			pager_add(p, PG_FIELD, list_col_label(lv, i), row->cells[i]);
		p->nkeep = p->nitems;
		snprintf(p->title, sizeof p->title, "%s, row %lld of %lld", lv->def->title,
		         (long long)lv->cursor + 1, (long long)lv->count);
		p->table = row->table ? sk_table_find(row->table) : NULL;
		p->id = row->id;
	}
	if (p->table && p->id && !add_record(p, db, why, size) && !p->nkeep) {
		pager_free(p);
		return false;
	}
	p->open = true;
	return true;
}

void pager_reload(pager *p, sk_db *db)
{
	if (!p->open || !p->table)
		return;
	free_items_from(p, p->nkeep);
	if (!add_record(p, db, NULL, 0))
		pager_add(p, PG_TEXT, NULL, "(the record is no longer there)");
}

/* ---- wrapping and drawing ------------------------------------------------------ */

typedef struct wrap_ctx {
	pager *p;
	int item, x, count;
} wrap_ctx;

static void take_line(void *ctx, const wchar_t *w, size_t n, int cells)
{
	(void)cells;
	wrap_ctx *c = ctx;
	pager *p = c->p;
	if (p->nlines == p->lines_cap) {
		int cap = p->lines_cap ? p->lines_cap * 2 : 128;
		pager_line *l = realloc(p->lines, (size_t)cap * sizeof *l);
		if (!l)
			return;
		p->lines = l;
		p->lines_cap = cap;
	}
	wchar_t *copy = malloc((n + 1) * sizeof *copy);
	if (!copy)
		return;
	memcpy(copy, w, n * sizeof *copy);
	copy[n] = L'\0';
	p->lines[p->nlines++] = (pager_line){c->item, c->count == 0, c->x, copy};
	c->count++;
}

static void wrap(pager *p, int width)
{
	free_lines(p);
	int room = width - 2 * MARGIN;
	for (int i = 0; i < p->nitems; i++) {
		const pager_item *it = &p->items[i];
		wrap_ctx c = {p, i, 0, 0};
		if (it->style == PG_HEADING && i > 0) {
			/* a blank line before each heading */
			wrap_ctx gap = {p, -1, 0, 0};
			take_line(&gap, L"", 0, 0);
		}
		if (it->style == PG_FIELD) {
			/* the value beside its label, and its next lines under the
			 * value (under the label's start on a narrow screen) */
			c.x = tui_cells(it->label) + 2;
			if (c.x > room / 2)
				c.x = 4;
		} else if (it->style == PG_TEXT) {
			c.x = 2;
		}
		tui_wrap(it->text, room - c.x, take_line, &c);
	}
	p->wrapped_for = width;
}

static int max_top(const pager *p, int height)
{
	return p->nlines > height ? p->nlines - height : 0;
}

void pager_draw(pager *p, int y0, int height, int width)
{
	if (p->wrapped_for != width)
		wrap(p, width);
	if (p->top > max_top(p, height))
		p->top = max_top(p, height);
	if (p->top < 0)
		p->top = 0;
	for (int r = 0; r < height && p->top + r < p->nlines; r++) {
		const pager_line *l = &p->lines[p->top + r];
		int y = y0 + r;
		if (l->item < 0)
			continue;
		const pager_item *it = &p->items[l->item];
		if (it->style == PG_HEADING)
			attron(A_BOLD | A_UNDERLINE);
		if (it->style == PG_FIELD && l->first) {
			char label[160];
			snprintf(label, sizeof label, "%s:", it->label);
			attron(A_BOLD);
			tui_put(y, MARGIN, label, width - 2 * MARGIN, false);
			attroff(A_BOLD);
		}
		mvaddnwstr(y, MARGIN + l->x, l->w, -1);
		if (it->style == PG_HEADING)
			attroff(A_BOLD | A_UNDERLINE);
	}
}

void pager_where(const pager *p, int height, char *buf, size_t size)
{
	int last = p->top + height < p->nlines ? p->top + height : p->nlines;
	snprintf(buf, size, "lines %d-%d of %d", p->nlines ? p->top + 1 : 0, last, p->nlines);
}

bool pager_scroll(pager *p, int action, int height)
{
	int was = p->top;
	switch (action) {
	case ACT_VIEW_DOWN: p->top++; break;
	case ACT_VIEW_UP: p->top--; break;
	case ACT_VIEW_PAGE_DOWN: p->top += height > 1 ? height - 1 : 1; break;
	case ACT_VIEW_PAGE_UP: p->top -= height > 1 ? height - 1 : 1; break;
	case ACT_VIEW_FIRST: p->top = 0; break;
	case ACT_VIEW_LAST: p->top = max_top(p, height); break;
	default: return false;
	}
	if (p->top > max_top(p, height))
		p->top = max_top(p, height);
	if (p->top < 0)
		p->top = 0;
	return p->top != was;
}
