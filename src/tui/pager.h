/*
 * pager.h: a row read whole, read-only ('v'). Every field of the record
 * as "Label: value", long and multi-line text wrapped to the width, then
 * its related records under headings (the screen table's 'o' tabs); for
 * a row that is about a record (an alert), its own fields and then that
 * record. Everything is shown inert (text.h), wrapped lines too.
 */
#ifndef SCODESK_TUI_PAGER_H
#define SCODESK_TUI_PAGER_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "tui.h"

typedef enum pager_style { PG_TEXT, PG_HEADING, PG_FIELD } pager_style;

typedef struct pager_item {
	pager_style style;
	char *label; /* PG_FIELD */
	char *text;
} pager_item;

/* A line on screen: part of an item, wrapped. */
typedef struct pager_line {
	int item;
	bool first;  /* the item's first line (a field's label is drawn) */
	int x;       /* where its text starts */
	wchar_t *w;
} pager_line;

typedef struct pager {
	bool open;
	char title[256];
	/* what e edits: the record read (for an alert, the one it is about) */
	const sk_table *table;
	int64_t id;
	bool related;  /* the record's related records follow it */
	int nkeep;     /* items that are the row's own (an alert's), kept on reload */
	pager_item *items;
	int nitems, items_cap;
	pager_line *lines;
	int nlines, lines_cap;
	int wrapped_for; /* the width the lines were wrapped for (0: none) */
	int top;
} pager;

/* Reads lv's row whole into p (emptied first); false with a message in
 * why when there is nothing to show. */
bool pager_open_row(pager *p, sk_db *db, const list_view *lv, const list_row *row, char *why,
                    size_t size);
/* Reads the record again (after an edit), keeping the place. */
void pager_reload(pager *p, sk_db *db);
void pager_free(pager *p);

/* Adds an item (text copied). */
void pager_add(pager *p, pager_style style, const char *label, const char *text);

/* Lines y0..y0+height-1, `width` cells; wraps again when the width
 * changed. */
void pager_draw(pager *p, int y0, int height, int width);
/* "lines 1-20 of 43" for the title line. */
void pager_where(const pager *p, int height, char *buf, size_t size);
/* A pager action of actions.h (ACT_VIEW_DOWN ...): true when it moved. */
bool pager_scroll(pager *p, int action, int height);

#endif
