/*
 * tui.h: the curses interface. One list engine (list.c) shows every
 * screen's rows, one form (form.c) edits every record; screens.c says
 * which tables and columns each screen shows; app.c runs the loop.
 * Nothing here writes SQL: it asks core.
 *
 * The engine knows no table and no alert: where a list's rows come from
 * is its source, a table of operations (struct list_ops: count, fetch a
 * window, find a record, search, the columns and their cells, the row's
 * mood, what the list allows). list_table.c lists a table's records,
 * list_alerts.c the dashboard's alerts.
 */
#ifndef SCODESK_TUI_H
#define SCODESK_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

#include "scodesk/record.h"
#include "screens.h"
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

typedef struct list_ops list_ops;

/* 'o' opens up to this many tabs of related records. */
#define TUI_MAX_RELATED 4

typedef struct tab_def {
	const char *title;
	/* Where the rows come from: a source of the list engine; NULL: the
	 * records of `table` (list_table_source). */
	const list_ops *source;
	const char *table;
	const char *const *columns;   /* shown, in order */
	const char *sort;             /* default sort column, NULL: id */
	bool descending;
	/* The column the quick key ('t') changes on the current row, no form
	 * opened: a yes/no turns over, an enumeration moves to its next step
	 * (scodesk/steps.h). A table's records only (no source); NULL: none. */
	const char *quick;
	/* 'o' opens related records: tabs of child tables whose column
	 * refers to the current row. */
	struct {
		const char *table, *column;
	} related[TUI_MAX_RELATED];
} tab_def;

typedef struct screen_def {
	const char *title;
	const tab_def *tabs;
	int ntabs;
} screen_def;

/* One a screen of screens.h, in its order. */
extern const screen_def tui_screens[SK_NSCREENS];
extern const int tui_nscreens;
/* Where a table's records are listed: screen and tab. False if nowhere. */
bool tui_home_of(const char *table, int *screen, int *tab);
/* How a table is listed (its home tab, or a related-only one). */
const tab_def *tui_tab_for(const char *table);
/* The value of parent that a related tab's column c holds for it (its
 * key, its id, or its column of the same name). */
const char *tui_related_value(const sk_column *c, const sk_record *parent);
/* Every tab the interface can show (the screens' and the related-only
 * ones), i from 0 until NULL. */
const tab_def *tui_tab_at(int i);

/* ---- the list engine (list.c) ------------------------------------------ */

typedef enum row_mood { MOOD_PLAIN, MOOD_GOOD, MOOD_WARN, MOOD_BAD, MOOD_INFO, MOOD_DIM } row_mood;

typedef struct list_row {
	int64_t id;        /* the record the row is, or is about */
	const char *table; /* the table of that record */
	char *key;         /* the raw sort value (NULL: SQL NULL), for keyset paging */
	char **cells;      /* one per shown column, formatted for the screen */
	row_mood mood;
} list_row;

typedef struct row_set {
	list_row *rows;
	int n, cap;
} row_set;

#define LIST_MAX_COLS 24

typedef struct list_view {
	const tab_def *def;
	const list_ops *ops;          /* the source */
	void *state;                  /* the source's own, if any */
	const sk_table *table;        /* the table the rows are records of, if any */
	int ncols;
	int cols[LIST_MAX_COLS];      /* the source's column numbers */
	/* what is asked of the source */
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
	/* a record to land on (list_find_id): the next window starts at it */
	bool seek;
	int64_t seek_id;
	/* marks for delete */
	int64_t *marked;
	int nmarked, marked_cap;
	/* the columns across (list_cols.c). ccol: the current column (an
	 * index into cols; its label is highlighted; Left/Right move it);
	 * cleft: the first column shown right of the first, frozen one;
	 * need: the cells each column's label and widest value in the window
	 * take (grown, not shrunk, while the window moves by a few rows) */
	int ccol, cleft;
	bool hidden[LIST_MAX_COLS];   /* '-' hid it; '+' shows them again */
	bool widened[LIST_MAX_COLS];  /* '_' widened it to its content */
	int need[LIST_MAX_COLS];
	bool need_reset;              /* the next window measures afresh */
	int cfirst, clast;            /* on screen at the last layout: "cols
	                               * cfirst-clast of" the shown ones (1-based) */
} list_view;

/* What a list allows (list_ops.allows). */
enum {
	LIST_EDIT = 1 << 0,   /* Enter opens the row's record in the form; without
	                       * it, Enter goes to the record the row is about */
	LIST_ADD = 1 << 1,
	LIST_DELETE = 1 << 2,
	LIST_MARK = 1 << 3,   /* rows can be marked (for a delete) */
	LIST_VIEW = 1 << 4,   /* a row can be read whole, read-only */
};

/* A search's find: the row's index in the list, or (index -1) the id of
 * its record, to be placed with list_find_id. */
typedef struct list_hit {
	int64_t index, id;
} list_hit;

/*
 * A source of rows for the engine: everything that differs between the
 * lists of table records and the dashboard's alerts (or a test's rows in
 * memory). Column numbers `col` are the source's own (list_view.cols);
 * an `item` is one of the source's records, as its fetch hands it to
 * list_add_row. The engine keeps the window, the cursor and the marks,
 * and calls these; none of them draws.
 */
struct list_ops {
	unsigned (*allows)(const list_view *lv); /* LIST_EDIT | LIST_ADD | ... */
	/* On a long list, a filter shorter than this many
	 * characters reads every record (0: no filter does). */
	int short_filter;
	/* The order is made when counting (an in-memory source): a new sort
	 * counts again. */
	bool count_sorts;
	/* Sets lv->table and lv->state; false: it cannot serve this tab. */
	bool (*open)(list_view *lv);
	void (*close)(list_view *lv);
	/* ---- the columns */
	int (*column)(const list_view *lv, const char *name); /* -1: none */
	const char *(*col_name)(const list_view *lv, int col);
	const char *(*col_label)(const list_view *lv, int col);
	int (*col_width)(const list_view *lv, int col);        /* preferred cells */
	/* At most this many cells from its widest value before its values
	 * are cut and it waits for spare width (a date: 10, an enumeration:
	 * its longest label, text: its preferred width). NULL: col_width. */
	int (*col_cap)(const list_view *lv, int col);
	/* A sort by it stays quick on a long list (it has an index). */
	bool (*col_quick_sort)(const list_view *lv, int col);
	/* A cell as shown (malloc'd), and a row's mood. */
	char *(*cell)(const list_view *lv, sk_db *db, const void *item, int col);
	row_mood (*mood)(const list_view *lv, const void *item);
	/* ---- the rows, under lv's filter, sort and where */
	sk_status (*count)(list_view *lv, sk_db *db, int64_t *count, sk_err *err);
	/* Appends to out the rows from lv->top on, at most list_want(lv,
	 * height) of them. The window on screen (lv->win from lv->rows_from,
	 * lv->rows_stale, lv->rows_moved) and lv->seek say where it can start
	 * from; rows may be taken from lv->win. */
	sk_status (*fetch)(list_view *lv, sk_db *db, int height, row_set *out, sk_err *err);
	/* Where record id stands, lv->count made current as well. NULL: the
	 * rows are not found by id (a new sort goes to the top). */
	sk_status (*position)(list_view *lv, sk_db *db, int64_t id, int64_t *index, sk_err *err);
	/* The next row from the cursor (dir +1 or -1) with text in a shown
	 * column; from_end: the first such row from the end the search
	 * comes from instead (the top going forward, the bottom going
	 * back), the cursor's row included: the search wrapped. */
	bool (*search)(list_view *lv, sk_db *db, const char *text, int dir, bool from_end,
	               list_hit *hit);
	/* ---- out: the list as shown, to a CSV file */
	const char *(*export_name)(const list_view *lv);
	sk_status (*export)(list_view *lv, sk_db *db, const char *path, long *rows, sk_err *err);
};

/* The sources (list_table.c, list_alerts.c). */
extern const list_ops list_table_source;
extern const list_ops list_alerts_source;

/* Opens def's source in lv; false if it cannot (an unknown table). */
bool list_init(list_view *lv, const tab_def *def);
void list_free(list_view *lv);
bool list_allows(const list_view *lv, unsigned what);
/* Forget fetched rows and the count (a new filter or sort). */
void list_invalidate(list_view *lv);
/* Forget fetched rows but not the count (a new sort of the same rows). */
void list_reordered(list_view *lv);
/* The same after the data changed under an unchanged filter and sort: the
 * window is fetched again from the row it started at. */
void list_data_changed(list_view *lv);
/* Makes count and the window of `height` rows from top current. */
sk_status list_refresh(list_view *lv, sk_db *db, int height, sk_err *err);
/* How many rows a window of `height` from top holds. */
int64_t list_want(const list_view *lv, int height);
/* Moves the cursor by delta rows (clamped) and keeps it in view. */
void list_move(list_view *lv, int64_t delta, int height);
void list_goto(list_view *lv, int64_t index, int height);
/* The row under the cursor, if fetched. */
const list_row *list_current(const list_view *lv);
/* Puts the cursor on record id (clearing the filter if it hides it). */
sk_status list_find_id(list_view *lv, sk_db *db, int64_t id, int height, sk_err *err);
/* What a search found: nothing anywhere (the cursor stays), a row past
 * the cursor, or only one from the other end of the list (it wrapped: past
 * the last row to the first going forward, past the first to the last
 * going back; the cursor's own row when it is the only one). */
typedef enum list_found { LIST_NOT_FOUND = 0, LIST_FOUND, LIST_WRAPPED } list_found;
/* Searches from the cursor for text in any shown cell; dir +1 or -1,
 * wrapping at the end. Moves to the row found. */
list_found list_search(list_view *lv, sk_db *db, const char *text, int dir, int height);
bool list_is_marked(const list_view *lv, int64_t id);
void list_toggle_mark(list_view *lv, int64_t id);
/* Draws header and rows in lines y0..y0+height-1 (and scrolls the
 * columns across to keep the current one in view). */
void list_draw(list_view *lv, int y0, int height, int width);

/* ---- the columns across (list_cols.c) ----------------------------------- */

/* Each column's width at `width` cells: the first shown column stays,
 * then lv->cleft on, as many as fit; 0 for those not shown. Moves
 * lv->cleft so that the current column is shown. */
void list_layout(list_view *lv, int width, int *w);
/* Measures the window's cells into lv->need; grow: keep the wider of
 * the old and the new (the window moved by a few rows). */
void list_measure(list_view *lv, bool grow);
/* Column moves and changes; false with nothing done (why: a sentence). */
bool list_col_move(list_view *lv, int dir);
bool list_col_widen(list_view *lv);
bool list_col_hide(list_view *lv, const char **why);
int list_col_show_all(list_view *lv); /* how many came back */
/* How many columns are not hidden, and how many are. */
int list_cols_shown(const list_view *lv);
int list_cols_hidden(const list_view *lv);
/* Column label for the sort indicator etc. (i: a shown column) */
const char *list_col_label(const list_view *lv, int i);
const char *list_col_name(const list_view *lv, int i);
bool list_col_quick_sort(const list_view *lv, int i);

/* For sources: a row for item at the end of out, its cells and mood made
 * by the source's operations (id, table and key left to the caller);
 * NULL when out of memory. */
list_row *list_add_row(const list_view *lv, sk_db *db, row_set *out, const void *item);
void list_rows_clear(row_set *set, int ncols);
void list_rows_free(row_set *set, int ncols);
/* Moves up to `count` rows of src from index `from` to the end of dst. */
void list_rows_move(row_set *dst, row_set *src, int from, int count);
void list_rows_reverse(row_set *set);
/* Case-blind (for ASCII letters) substring test. */
bool list_contains(const char *hay, const char *needle);
/* A filter's meaning for a source that filters itself: every word of
 * filter (split at spaces) is in one of the n cells. */
bool list_has_words(const char *const *cells, int n, const char *filter);

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
	/* the record as it was read (or as a new one started): what the user
	 * changed is what differs from it, and it is the base of a merge */
	sk_record *orig;
	bool is_new;
	bool read_only;          /* nothing can be typed or saved */
	int fields[64];
	int nfields;
	int cur, top;
	line_edit edit;          /* the current text field */
	char *loaded;            /* its text as loaded: what typing changed */
	char bad_field[64];      /* the field core complained about */
	char **ref_names;        /* per field: name of the referenced record */
	/* per field: why what was typed into a reference names no one record
	 * (NULL: it resolved); such a form is not saved */
	char **unresolved;
	/* a reference typed that names several: the part to narrow the
	 * picker to, and the values the parts before it resolved to */
	char pick_narrow[256];
	char pick_value[1024];
	/* what the last key asks the status line to say */
	char note[256];
	bool note_bad;
} form;

/* Opens rec (taken over) in f. */
void form_open(form *f, sk_db *db, sk_record *rec, bool is_new);
void form_close(form *f);
/* A key in the form: returns the action taken (ACT_SAVE, ACT_CANCEL,
 * ACT_FORM_HELP, ...) or ACT_NONE when the key edited. */
int form_key(form *f, sk_db *db, bool is_key, wint_t ch, int height);
/* Stores the field being edited back into the record. A date may be
 * typed relative to today (sk_date_expand); a reference by code, id or
 * name (sk_resolve_ref). Returns 0 when the field holds what was typed,
 * 1 when a reference names several records (pick_narrow and pick_value
 * say which: the picker should open), -1 when it names none (the field
 * keeps the text, and unresolved says why). */
int form_commit_field(form *f, sk_db *db);
/* The first field whose reference did not resolve (-1: none); the form
 * moves to it. */
int form_unresolved(form *f, int height);
void form_draw(form *f, int y0, int height, int width);
/* Moves to a field by column name (after a validation message). */
void form_focus(form *f, const char *column, int height);
/* Keeps the current field in view at a new height, its text as typed. */
void form_keep_in_view(form *f, int height);
/* The column of the field under the cursor (NULL: no fields). */
const sk_column *form_column(const form *f);
/* Sets the current field's stored value (ids for a reference: "12" or
 * "48;28"; NULL or "" empties it) and shows it as the form does. */
void form_set_value(form *f, sk_db *db, const char *value);
/* The text in the current field's line (malloc'd), and a new one for it
 * (the field then holds it as typed, not yet committed). */
char *form_text(const form *f);
void form_set_text(form *f, const char *text);
/* Whether anything differs from the record as read, what is being typed
 * included. */
bool form_changed(const form *f);
/* Takes rec (and base: the record as now stored, the base of the next
 * merge) in place of the form's records, the cursor and view kept: after
 * a merge with another user's change. */
void form_replace(form *f, sk_db *db, sk_record *rec, sk_record *base);
/* A value of column c as the form shows it (a label, yes/no, a name). */
void form_value_words(sk_db *db, const sk_column *c, const char *v, char *buf, size_t size);
/* What the hint line says for the field under the cursor. */
const char *form_hint(const form *f);
/* Which fields are on screen: "fields 1-18 of 23" (empty when all). */
void form_where(const form *f, int height, char *buf, size_t size);

/* ---- following others' changes (live.c) ----------------------------------- */

/* What was last seen of the database: its data_version, the newest
 * audit entry then, and the ranges of audit entries this session's own
 * changes made since (not others' changes). */
typedef struct live_watch {
	int64_t version, mark, own_from;
	int64_t skip[SK_CHANGED_SKIPS][2];
	int nskip;
} live_watch;

void live_start(live_watch *w, sk_db *db);
/* Around each change this session makes. */
void live_own_begin(live_watch *w, sk_db *db);
void live_own_end(live_watch *w, sk_db *db);
/* Has another connection committed since the last look? Then true, with
 * msg naming what changed ("3 contacts changed by others"). */
bool live_changed(live_watch *w, sk_db *db, char *msg, size_t size);

/* Where a list's cursor is, to keep it there when the rows are read
 * again: its record and its neighbours (nearest first). */
#define LIVE_ANCHORS 9
typedef struct live_anchor {
	int64_t ids[LIVE_ANCHORS];
	int n;
	int64_t row; /* the cursor's line in the window */
} live_anchor;

void live_remember(live_anchor *an, const list_view *lv);
/* Marks lv's rows as changed and puts the cursor on the first of an's
 * records still in the list, on the same line; the count and rows are read
 * at the next list_refresh. */
void live_place(const live_anchor *an, list_view *lv, sk_db *db, int height);

/* ---- drawing helpers (app.c) ------------------------------------------------ */

/* Writes UTF-8 text inert at y,x in at most `cells` cells, padding with
 * spaces to exactly `cells` when pad. Returns cells written. */
int tui_put(int y, int x, const char *s, int cells, bool pad);
/* Attributes for a mood (colour, or bold/dim without colour). */
int tui_mood_attr(row_mood mood);

#endif
