/*
 * tui.h: the curses interface. One list engine (list.c) shows every
 * screen's rows, one form (form.c) edits every record; screens.c says
 * which tables and columns each screen shows; app.c runs the loop.
 * Nothing here writes SQL: it asks core.
 */
#ifndef SCODESK_TUI_H
#define SCODESK_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

#include "scodesk/alerts.h"
#include "scodesk/record.h"
#include "scodesk/store.h"

typedef struct sk_tui_options {
	bool no_color;
	bool ascii;
	bool mouse;
	bool cursor; /* park the cursor on the selected row (screen readers) */
	const char *notice; /* a message for the status line at the start */
	/* The daily backup running in a process of its own (0: none) and the
	 * read end (non-blocking) of its standard error. The interface reaps
	 * it when it ends and puts a failure on the status line; when the
	 * user quits first, it is left to finish on its own. */
	pid_t backup_pid;
	int backup_fd;
} sk_tui_options;

/* Whether curses can draw on the terminal TERM names; when not, why
 * holds the reason (part of a sentence). Nothing is drawn. */
bool sk_tui_usable(char *why, size_t size);

/* Runs the interface on db until the user quits. Returns an exit code. */
int sk_tui_run(sk_db *db, const sk_tui_options *opts);

/* ---- screens (screens.c) -------------------------------------------- */

typedef struct tab_def {
	const char *title;
	const char *table;            /* NULL: the alerts */
	const char *const *columns;   /* shown, in order */
	const char *sort;             /* default sort column, NULL: id */
	bool descending;
	/* 'o' opens related records: up to two tabs of child tables whose
	 * column refers to the current row. */
	struct {
		const char *table, *column;
	} related[2];
} tab_def;

typedef struct screen_def {
	const char *title;
	const tab_def *tabs;
	int ntabs;
} screen_def;

extern const screen_def tui_screens[];
extern const int tui_nscreens;
/* Where a table's records are listed: screen and tab. False if nowhere. */
bool tui_home_of(const char *table, int *screen, int *tab);
/* How a table is listed (its home tab, or a related-only one). */
const tab_def *tui_tab_for(const char *table);

/* ---- the list engine (list.c) ------------------------------------------ */

typedef enum row_mood { MOOD_PLAIN, MOOD_GOOD, MOOD_WARN, MOOD_BAD, MOOD_INFO, MOOD_DIM } row_mood;

typedef struct list_row {
	int64_t id;
	char *key;         /* the raw sort value (NULL: SQL NULL), for keyset paging */
	char **cells;      /* one per shown column, formatted for the screen */
	row_mood mood;
	const sk_alert *alert; /* dashboard rows */
} list_row;

typedef struct row_set {
	list_row *rows;
	int n, cap;
} row_set;

#define LIST_MAX_COLS 24

typedef struct list_view {
	const tab_def *def;
	const sk_table *table;        /* NULL for the alerts */
	int ncols;
	int cols[LIST_MAX_COLS];      /* column indexes in table (or alert fields) */
	/* what is asked of core */
	char filter[256];
	int sort;                     /* index into cols, -1: the natural order */
	bool descending;
	const char *where_column;     /* related view: column = where_value */
	char where_value[64];
	/* where we are */
	int64_t count, cursor, top;
	int64_t unfiltered;           /* the count without a filter, when last seen */
	bool count_stale;
	/* the rows on screen, fetched as a window */
	row_set win;
	int64_t rows_from;
	bool rows_stale;
	bool rows_moved;              /* stale by a change of data, not of order */
	/* a record to land on (list_find_id): fetched from itself */
	bool seek;
	int64_t seek_id;
	char *seek_key;
	/* marks for delete */
	int64_t *marked;
	int nmarked, marked_cap;
	/* the dashboard's source */
	sk_alerts alerts;
	int *alert_order;             /* filtered, sorted indexes into alerts */
	bool alerts_head;             /* only the first of them are read (count: all) */
} list_view;

void list_init(list_view *lv, const tab_def *def);
void list_free(list_view *lv);
/* Forget fetched rows and the count (a new filter or sort). */
void list_invalidate(list_view *lv);
/* Forget fetched rows but not the count (a new sort of the same rows). */
void list_reordered(list_view *lv);
/* The same after the data changed under an unchanged filter and sort: the
 * window is fetched again from the row it started at. */
void list_data_changed(list_view *lv);
/* Makes count and the window of `height` rows from top current. */
sk_status list_refresh(list_view *lv, sk_db *db, int height, sk_err *err);
/* Moves the cursor by delta rows (clamped) and keeps it in view. */
void list_move(list_view *lv, int64_t delta, int height);
void list_goto(list_view *lv, int64_t index, int height);
/* The row under the cursor, if fetched. */
const list_row *list_current(const list_view *lv);
/* Puts the cursor on record id (clearing the filter if it hides it). */
sk_status list_find_id(list_view *lv, sk_db *db, int64_t id, int height, sk_err *err);
/* Searches from the cursor for text in any shown cell; dir +1 or -1.
 * Returns true and moves when found. */
bool list_search(list_view *lv, sk_db *db, const char *text, int dir, int height);
bool list_is_marked(const list_view *lv, int64_t id);
void list_toggle_mark(list_view *lv, int64_t id);
/* The query core is asked for (valid until the view changes). */
void list_query(const list_view *lv, sk_query *q);
/* Draws header and rows in lines y0..y0+height-1. */
void list_draw(const list_view *lv, int y0, int height, int width);
/* Column label for the sort indicator etc. */
const char *list_col_label(const list_view *lv, int i);
const char *list_col_name(const list_view *lv, int i);

/* ---- line editing (edit.c) --------------------------------------------- */

typedef struct line_edit {
	wchar_t *buf;
	size_t len, cap, pos;
	size_t scroll; /* first character shown */
} line_edit;

bool le_set(line_edit *le, const char *utf8);
/* malloc'd UTF-8 of the buffer. */
char *le_get(const line_edit *le);
void le_free(line_edit *le);
/* Handles an editing key; true when it was one. is_key: a curses key
 * code rather than a character. */
bool le_key(line_edit *le, bool is_key, wint_t ch);
/* Draws the buffer at y,x in `cells` cells and places the cursor. */
void le_draw(line_edit *le, int y, int x, int cells, bool show_cursor);

/* ---- the record form (form.c) --------------------------------------------- */

typedef struct form {
	sk_record *rec;
	bool is_new;
	int fields[64];
	int nfields;
	int cur, top;
	line_edit edit;          /* the current text field */
	char bad_field[64];      /* the field core complained about */
	char **ref_names;        /* per field: name of the referenced record */
} form;

/* Opens rec (taken over) in f. */
void form_open(form *f, sk_db *db, sk_record *rec, bool is_new);
void form_close(form *f);
/* A key in the form: returns the action taken (ACT_SAVE, ACT_CANCEL,
 * ACT_FORM_HELP, ...) or ACT_NONE when the key edited. */
int form_key(form *f, sk_db *db, bool is_key, wint_t ch, int height);
/* Stores the field being edited back into the record. */
void form_commit_field(form *f, sk_db *db);
void form_draw(form *f, int y0, int height, int width);
/* Moves to a field by column name (after a validation message). */
void form_focus(form *f, const char *column, int height);

/* ---- drawing helpers (app.c) ------------------------------------------------ */

/* Writes UTF-8 text inert at y,x in at most `cells` cells, padding with
 * spaces to exactly `cells` when pad. Returns cells written. */
int tui_put(int y, int x, const char *s, int cells, bool pad);
/* Attributes for a mood (colour, or bold/dim without colour). */
int tui_mood_attr(row_mood mood);

#endif
