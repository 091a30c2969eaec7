/*
 * app.c: the interface's loop. One state (which screen, tab, mode and
 * prompt) is drawn whole after every key with erase() + doupdate(), so
 * that curses sends only the cells that changed, and nothing at all while
 * the user is idle. Resizes arrive as KEY_RESIZE and are just one more
 * redraw, whatever the mode.
 */
#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "scodesk/csvio.h"
#include "scodesk/draft.h"
#include "scodesk/reports.h"
#include "scodesk/steps.h"
#include <sys/stat.h>
#include "pager.h"
#include "text.h"
#include "tui.h"

#define MIN_COLS 60
#define MIN_LINES 15
#define UNDO_DEPTH 16
/* A list longer than this is long: filtered from the source's
 * short_filter-th character typed (a table's: the third), sorted only by
 * columns quick to sort by. */
#define LONG_LIST 20000

typedef enum mode { MODE_LIST, MODE_FORM, MODE_HELP, MODE_VIEW } mode;
typedef enum prompt_kind {
	P_NONE, P_FILTER, P_SEARCH, P_COMMAND, P_EXPORT, P_DELETE, P_DRAFT,
	P_DISCARD, P_RESTORE, P_MERGE,
} prompt_kind;

/* A question answered y or N on the status line. */
static bool yes_no(prompt_kind k)
{
	return k == P_DELETE || k == P_DRAFT || k == P_DISCARD || k == P_RESTORE;
}

typedef struct undo_entry {
	const sk_table *table;
	int64_t *ids;
	int n;
} undo_entry;

typedef struct app {
	sk_db *db;
	sk_tui_options opt;
	bool colors, quit;
	char marking[64], office[128];
	/* each screen's lists, one a tab (tui_screens), and the tab shown */
	list_view *views[SK_NSCREENS];
	int screen, tab[SK_NSCREENS];
	/* related records ('o'): tabs over the current view */
	bool in_related;
	list_view rel[TUI_MAX_RELATED];
	int nrel, rel_tab;
	char rel_title[160];
	mode mode;
	unsigned help_ctx;
	int help_top;
	form form;
	/* the picker: a reference field's table, listed to choose from while
	 * the form waits under it (Ctrl-P, F4) */
	bool picking, pick_many;
	list_view pick;
	char pick_title[160];
	pager pager;       /* the record view ('v'), open over the list */
	prompt_kind prompt;
	line_edit pl;
	char prompt_text[400];
	char search[256];
	/* the filter when f opened its prompt, and where the cursor was then:
	 * Esc puts them back */
	char filter_was[256];
	int64_t filter_cursor, filter_top;
	char msg[512];
	bool msg_bad;
	char hint[160];
	sk_record *draft;  /* a form kept from an ended session, awaiting y/N */
	/* a record another user deleted, offered to be restored (P_RESTORE) */
	const sk_table *restore_table;
	int64_t restore_id;
	bool restore_save; /* ... met by the form's save: restored, it is merged */
	/* a merge with another user's change (P_MERGE): the fields both
	 * changed, the one asked about, who made theirs, which came from it */
	int merge_cols[SK_MERGE_MAX], nmerge, merge_at;
	char merge_who[160], merge_taken[200];
	bool draft_is_new;
	int64_t *pending; /* ids awaiting the delete confirmation */
	int npending;
	undo_entry undo[UNDO_DEPTH];
	int nundo;
	/* what was last seen of others' changes (live.c), and when */
	live_watch live;
	struct timespec live_at;
	int live_ms; /* how often to look; 0: never (SCODESK_POLL_MS) */
} app;

/* ---- drawing helpers --------------------------------------------------- */

static bool use_colors;

int tui_mood_attr(row_mood mood)
{
	if (!use_colors)
		return mood == MOOD_BAD ? A_BOLD : mood == MOOD_DIM ? A_DIM : 0;
	switch (mood) {
	case MOOD_BAD: return COLOR_PAIR(1) | A_BOLD;
	case MOOD_WARN: return COLOR_PAIR(2);
	case MOOD_GOOD: return COLOR_PAIR(3);
	case MOOD_INFO: return COLOR_PAIR(4);
	case MOOD_DIM: return A_DIM;
	default: return 0;
	}
}

int tui_put(int y, int x, const char *s, int cells, bool pad)
{
	if (cells <= 0)
		return 0;
	wchar_t out[1024];
	int used = tui_inert(s, cells, out, sizeof out / sizeof out[0]);
	mvaddnwstr(y, x, out, -1);
	if (pad)
		for (int i = used; i < cells; i++)
			addch(' ');
	return pad ? cells : used;
}

static void say(app *a, bool bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(app *a, bool bad, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_bad = bad;
}

static list_view *current(app *a)
{
	if (a->picking)
		return &a->pick;
	return a->in_related ? &a->rel[a->rel_tab] : &a->views[a->screen][a->tab[a->screen]];
}

static int body_height(void) { return LINES - 4; }
static int list_rows(void) { return LINES - 5 > 1 ? LINES - 5 : 1; }

/* ---- the frame: banners, title, status --------------------------------- */

static void draw_banner(app *a, int y, bool top)
{
	char line[sizeof a->marking * 2 + sizeof a->office + 16];
	if (top)
		snprintf(line, sizeof line, "%s // %s // %s", a->marking, a->office, a->marking);
	else
		snprintf(line, sizeof line, "%s", a->marking);
	attron(A_REVERSE | A_BOLD);
	mvhline(y, 0, ' ', COLS);
	int w = tui_cells(line);
	int x = w < COLS ? (COLS - w) / 2 : 0;
	tui_put(y, x, line, COLS - x, false);
	attroff(A_REVERSE | A_BOLD);
}

/* Appends to the title's right part the columns shown when not all are
 * ("  cols 3-7 of 9, 1 hidden"), if it fits whole in `room` cells (the
 * position, sort and filter come first). */
static void title_cols(const list_view *lv, char *right, size_t size, int room)
{
	int shown = list_cols_shown(lv), hidden = list_cols_hidden(lv);
	if (!lv->clast || (lv->cfirst <= 1 && lv->clast >= shown && !hidden))
		return;
	char part[64];
	size_t len = strlen(right);
	/* with the hidden count, or else without it */
	for (int with = hidden > 0; with >= 0; with--) {
		int n = snprintf(part, sizeof part, "  cols %d-%d of %d", lv->cfirst, lv->clast, shown);
		if (with && n > 0 && (size_t)n < sizeof part)
			snprintf(part + n, sizeof part - (size_t)n, ", %d hidden", hidden);
		if (tui_cells(right) + tui_cells(part) <= room && len + strlen(part) < size) {
			memcpy(right + len, part, strlen(part) + 1);
			return;
		}
	}
}

/* core's sentence about a value of t, less the table's name it starts
 * with ("students: field ..."): the screen names the table already. */
static const char *without_table(const sk_table *t, const char *msg)
{
	size_t tl = strlen(t->name);
	return strncmp(msg, t->name, tl) == 0 && strncmp(msg + tl, ": ", 2) == 0 ? msg + tl + 2 : msg;
}

/* "Personnel: Chen, Marcus", "New person". */
static void form_title(sk_db *db, const form *f, char *buf, size_t size)
{
	const sk_table *t = f->rec->table;
	if (f->is_new) {
		snprintf(buf, size, "New %s", t->label);
		return;
	}
	char name[160];
	sk_record_title(db, f->orig ? f->orig : f->rec, name, sizeof name);
	snprintf(buf, size, "%c%s: %s", toupper((unsigned char)t->plural[0]), t->plural + 1, name);
}

/* The record view's title: what it shows, and where in it. */
static void draw_view_title(app *a)
{
	char where[64];
	pager_where(&a->pager, body_height(), where, sizeof where);
	int rw = tui_cells(where);
	attron(A_BOLD);
	tui_put(1, 0, a->pager.title, COLS - rw - 2 > 0 ? COLS - rw - 2 : 0, false);
	attroff(A_BOLD);
	tui_put(1, COLS - rw > 0 ? COLS - rw : 0, where, rw, false);
}

static void draw_title(app *a)
{
	list_view *lv = current(a);
	char right[512];
	int n = snprintf(right, sizeof right, "row %lld of %lld",
	                 (long long)(lv->count ? lv->cursor + 1 : 0), (long long)lv->count);
	/* the marks before the sort and the filter: a narrow title cuts those */
	if (lv->nmarked && n > 0 && (size_t)n < sizeof right)
		n += snprintf(right + n, sizeof right - (size_t)n, "  %d marked", lv->nmarked);
	if (lv->sort >= 0 && n > 0 && (size_t)n < sizeof right)
		n += snprintf(right + n, sizeof right - (size_t)n, "  sort %s %s", list_col_label(lv, lv->sort),
		              lv->descending ? "desc" : "asc");
	if (lv->filter[0] && n > 0 && (size_t)n < sizeof right)
		n += snprintf(right + n, sizeof right - (size_t)n, "  filter \"%s\"", lv->filter);
	if (sk_readonly(a->db) && n > 0 && (size_t)n < sizeof right)
		snprintf(right + n, sizeof right - (size_t)n, "  read-only");

	mvhline(1, 0, ' ', COLS);
	int x = 0;
	char head[200];
	if (a->mode == MODE_FORM) {
		form_title(a->db, &a->form, head, sizeof head);
		char where[64];
		form_where(&a->form, body_height(), where, sizeof where);
		if (a->form.read_only)
			snprintf(where + strlen(where), sizeof where - strlen(where), "%sread-only",
			         where[0] ? "  " : "");
		int rw = tui_cells(where);
		attron(A_BOLD);
		tui_put(1, 0, head, COLS - rw - 2 > 0 ? COLS - rw - 2 : 0, false);
		attroff(A_BOLD);
		if (rw)
			tui_put(1, COLS - rw > 0 ? COLS - rw : 0, where, rw, false);
		return;
	}
	if (a->mode == MODE_VIEW) {
		draw_view_title(a);
		return;
	}
	if (a->mode == MODE_HELP) {
		attron(A_BOLD);
		tui_put(1, 0, "Help: keys (q or Esc closes)", COLS, false);
		attroff(A_BOLD);
		return;
	}
	if (a->picking)
		snprintf(head, sizeof head, "%s", a->pick_title);
	else if (a->in_related)
		snprintf(head, sizeof head, "%s", a->rel_title);
	else
		snprintf(head, sizeof head, "%d %s", a->screen + 1, tui_screens[a->screen].title);
	attron(A_BOLD);
	x += tui_put(1, x, head, COLS - x, false);
	attroff(A_BOLD);
	int ntabs = a->picking ? 1 : a->in_related ? a->nrel : tui_screens[a->screen].ntabs;
	int cur = a->in_related ? a->rel_tab : a->tab[a->screen];
	/* Every tab's title, unless the row, sort and columns would then not
	 * fit: those say where the user is, the other tabs only where they
	 * could go, so then the current tab alone with its place ("EUM
	 * checks 4/4"); [ and ] still step through them. */
	int tabs_w = 0;
	for (int t = 0; ntabs > 1 && t < ntabs; t++)
		tabs_w += 1 + tui_cells(a->in_related ? a->rel[t].def->title
		                                      : tui_screens[a->screen].tabs[t].title);
	char all[sizeof right];
	memcpy(all, right, sizeof all);
	title_cols(lv, all, sizeof all, COLS);
	bool compact = ntabs > 1 && x + tabs_w + 2 + tui_cells(all) > COLS;
	for (int t = 0; ntabs > 1 && t < ntabs && x < COLS; t++) {
		if (compact && t != cur)
			continue;
		const char *title = a->in_related ? a->rel[t].def->title
		                                  : tui_screens[a->screen].tabs[t].title;
		x += tui_put(1, x, " ", COLS - x, false);
		if (t == cur)
			attron(A_REVERSE);
		x += tui_put(1, x, title, COLS - x, false);
		if (t == cur)
			attroff(A_REVERSE);
		if (compact) {
			char place[24];
			snprintf(place, sizeof place, " %d/%d", cur + 1, ntabs);
			x += tui_put(1, x, place, COLS - x, false);
		}
	}
	title_cols(lv, right, sizeof right, COLS - x - 2);
	int rw = tui_cells(right);
	int rx = COLS - rw;
	if (rx < x + 2)
		rx = x + 2;
	if (rx < COLS)
		tui_put(1, rx, right, COLS - rx, false);
}

static const char *hints(app *a)
{
	if (a->mode == MODE_FORM)
		return form_hint(&a->form);
	if (a->mode == MODE_HELP)
		return "Up/Down scroll  q/Esc close  Q quit";
	if (a->mode == MODE_VIEW)
		return "j/k scroll  Space/b page  g/G top/bottom  e edit  q back  ? help";
	if (a->picking)
		return a->pick_many ? "Enter choose  m/Space mark  f filter  / search  < > sort  v look  Esc back"
		                    : "Enter choose  f filter  / search  < > sort  v look  Esc back to the form";
	if (!list_allows(current(a), LIST_EDIT)) {
		snprintf(a->hint, sizeof a->hint,
		         "Enter go to record  / search  f filter  < > sort  1-%d screens  ? help  Q quit",
		         tui_nscreens);
		return a->hint;
	}
	return "Enter edit  a add  d delete  u undo  o related  / search  f filter  ? help  q back";
}

static void draw_status(app *a)
{
	int y = LINES - 2;
	mvhline(y, 0, ' ', COLS);
	if (yes_no(a->prompt) || a->prompt == P_MERGE) { /* a question: its keys answer */
		attron(A_BOLD);
		tui_put(y, 0, a->prompt_text, COLS, false);
		attroff(A_BOLD);
		return;
	}
	if (a->prompt != P_NONE) {
		int x = tui_put(y, 0, a->prompt_text, COLS / 2, false);
		le_draw(&a->pl, y, x, COLS - x - 1, true);
		return;
	}
	if (a->msg[0]) {
		int attr = a->msg_bad ? tui_mood_attr(MOOD_BAD) | A_BOLD : A_BOLD;
		attron(attr);
		tui_put(y, 0, a->msg, COLS, false);
		attroff(attr);
		return;
	}
	attron(A_DIM);
	tui_put(y, 0, hints(a), COLS, false);
	attroff(A_DIM);
}

/* The help's lines: the keys of its context; a list's help ends with the
 * reports :report writes, from their one list, after a blank line and a
 * heading. */
static int help_lines(unsigned ctx)
{
	int n = 0;
	for (size_t i = 0; i < sk_naction_defs; i++)
		n += (sk_action_defs[i].contexts & ctx) != 0;
	return n + (ctx == CTX_LIST ? (int)sk_nreports + 2 : 0);
}

static void draw_help(app *a)
{
	int h = body_height();
	int total = help_lines(a->help_ctx);
	/* the last page is the furthest it goes (G shows it whole) */
	if (a->help_top > total - h)
		a->help_top = total > h ? total - h : 0;
	int line = 0;
	for (size_t i = 0; i < sk_naction_defs; i++) {
		const sk_action_def *d = &sk_action_defs[i];
		if (!(d->contexts & a->help_ctx))
			continue;
		if (line >= a->help_top && line - a->help_top < h) {
			char keys[96];
			sk_action_keys(d, keys, sizeof keys);
			int y = 2 + line - a->help_top;
			attron(A_BOLD);
			tui_put(y, 2, keys, 22, true);
			attroff(A_BOLD);
			tui_put(y, 25, d->help, COLS - 26, false);
		}
		line++;
	}
	for (size_t i = 0; line < total; i++, line++) {
		if (line < a->help_top || line - a->help_top >= h || i == 0)
			continue;
		int y = 2 + line - a->help_top;
		attron(A_BOLD);
		if (i == 1) {
			tui_put(y, 2, "Reports (:report NAME [FROM [TO]] writes NAME-DATE.csv)", COLS - 3,
			        false);
			attroff(A_BOLD);
			continue;
		}
		tui_put(y, 2, sk_reports[i - 2]->name, 22, true);
		attroff(A_BOLD);
		tui_put(y, 25, sk_reports[i - 2]->title, COLS - 26, false);
	}
}

static void draw(app *a)
{
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		char m[80];
		snprintf(m, sizeof m, "terminal too small (need %dx%d)", MIN_COLS, MIN_LINES);
		tui_put(0, 0, m, COLS, false);
		refresh();
		return;
	}
	draw_banner(a, 0, true);
	draw_banner(a, LINES - 1, false);
	if (a->mode == MODE_FORM) {
		form_draw(&a->form, 2, body_height(), COLS);
	} else if (a->mode == MODE_HELP) {
		draw_help(a);
	} else if (a->mode == MODE_VIEW) {
		pager_draw(&a->pager, 2, body_height(), COLS);
	} else {
		list_view *lv = current(a);
		sk_err err;
		if (list_refresh(lv, a->db, list_rows(), &err) != SK_OK)
			say(a, true, "%s", err.msg);
		list_draw(lv, 2, body_height(), COLS);
	}
	draw_title(a);
	bool cursor_on = a->prompt == P_FILTER || a->prompt == P_SEARCH || a->prompt == P_COMMAND ||
	                 (a->mode == MODE_FORM && a->prompt == P_NONE);
	int cy = -1, cx = 0;
	if (a->mode == MODE_FORM && a->prompt == P_NONE)
		getyx(stdscr, cy, cx); /* form_draw left it in the field */
	draw_status(a);
	if (a->mode == MODE_FORM && a->prompt == P_NONE && cy >= 0)
		move(cy, cx);
	if (!cursor_on && a->opt.cursor && a->mode == MODE_LIST) {
		list_view *lv = current(a);
		move(3 + (int)(lv->cursor - lv->top), 0);
		cursor_on = true;
	}
	curs_set(cursor_on ? 1 : 0);
	refresh();
}

/* ---- acting on lists --------------------------------------------------- */

/* After a change to the data: every list counts and reads again. */
static void invalidate_all(app *a)
{
	live_own_end(&a->live, a->db);
	for (int s = 0; s < tui_nscreens; s++)
		for (int t = 0; t < tui_screens[s].ntabs; t++)
			list_data_changed(&a->views[s][t]);
	for (int i = 0; i < a->nrel; i++)
		list_data_changed(&a->rel[i]);
	if (a->picking)
		list_data_changed(&a->pick);
}

/* Every list is read again, each cursor kept on its record (or the
 * nearest one left): after others' changes, and on Ctrl-L. */
static void reread_all(app *a)
{
	live_anchor an;
	for (int s = 0; s < tui_nscreens; s++)
		for (int t = 0; t < tui_screens[s].ntabs; t++) {
			live_remember(&an, &a->views[s][t]);
			live_place(&an, &a->views[s][t], a->db, list_rows());
		}
	for (int i = 0; i < a->nrel; i++) {
		live_remember(&an, &a->rel[i]);
		live_place(&an, &a->rel[i], a->db, list_rows());
	}
	if (a->picking) {
		live_remember(&an, &a->pick);
		live_place(&an, &a->pick, a->db, list_rows());
	}
}

/* Looks (about once a second, while the user is idle on a list) whether
 * others committed; true when they did and the lists were read again. */
#define LIVE_POLL_MS 1000
static long ms_since(const struct timespec *t);
static bool live_idle(const app *a)
{
	return a->live_ms > 0 && a->mode == MODE_LIST && a->prompt == P_NONE;
}

/* SCODESK_POLL_MS: another interval (100 to 60000 ms), or 0: never look
 * (Ctrl-L still reads again). */
static int live_interval(void)
{
	const char *e = getenv("SCODESK_POLL_MS");
	if (!e || !*e)
		return LIVE_POLL_MS;
	char *end;
	long ms = strtol(e, &end, 10);
	if (*end || ms < 0)
		return LIVE_POLL_MS;
	return ms == 0 ? 0 : ms < 100 ? 100 : ms > 60000 ? 60000 : (int)ms;
}

static bool live_look(app *a)
{
	if (!live_idle(a) || ms_since(&a->live_at) < a->live_ms)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &a->live_at);
	char m[sizeof a->msg];
	if (!live_changed(&a->live, a->db, m, sizeof m))
		return false;
	reread_all(a);
	say(a, false, "%s", m);
	return true;
}

/* How long the read may wait for a key before the next look (-1: no
 * look is due, the read waits for a key). */
static int live_wait(const app *a)
{
	if (!live_idle(a))
		return -1;
	long left = a->live_ms - ms_since(&a->live_at);
	return left < 10 ? 10 : (int)left;
}

static void leave_related(app *a)
{
	for (int i = 0; i < a->nrel; i++)
		list_free(&a->rel[i]);
	a->nrel = 0;
	a->in_related = false;
}

static void switch_screen(app *a, int screen)
{
	leave_related(a);
	a->screen = (screen + tui_nscreens) % tui_nscreens;
}

/* Opens the form on a record read afresh, or on a new one. */
static void ask_restore(app *a, const sk_table *t, int64_t id, const char *story, bool saving);

static void open_form(app *a, const sk_table *t, int64_t id)
{
	if (a->picking) {
		/* the form under the picker is the one being filled in */
		say(a, true, "choosing for the form: Enter chooses, Esc goes back to it");
		return;
	}
	sk_record *rec = NULL;
	sk_err err;
	if (id) {
		if (sk_get_record(a->db, t, id, &rec, &err) != SK_OK) {
			say(a, true, "%s", err.msg);
			return;
		}
		if (sk_get(rec, "deleted_at")) {
			/* deleted by another user since the list was read */
			char name[160], who[160], when[32];
			sk_record_title(a->db, rec, name, sizeof name);
			sk_last_change(a->db, t, id, 0, who, sizeof who, when, sizeof when);
			sk_record_free(rec);
			char story[400];
			snprintf(story, sizeof story, "%s was deleted by %s at %s", name, who, when);
			ask_restore(a, t, id, story, false);
			return;
		}
	} else {
		if (sk_readonly(a->db)) {
			say(a, true, "read-only: nothing can be added");
			return;
		}
		rec = sk_record_new(t);
		if (!rec)
			return;
		for (size_t i = 0; i < t->ncolumns; i++)
			if (t->columns[i].def)
				sk_set_at(rec, (int)i, t->columns[i].def);
			else if (t->columns[i].flags & SK_F_TODAY)
				sk_set_at(rec, (int)i, sk_today(a->db));
		list_view *lv = current(a);
		if (lv->where_column)
			sk_set(rec, lv->where_column, lv->where_value);
	}
	form_open(&a->form, a->db, rec, id == 0);
	a->mode = MODE_FORM;
}

/* Enter on a row that is about a record (an alert): that record, in the
 * list where its table lives. */
static void go_to_record(app *a)
{
	const list_row *row = list_current(current(a));
	int screen, tab;
	if (!row || !row->table || !tui_home_of(row->table, &screen, &tab))
		return;
	int64_t id = row->id;
	switch_screen(a, screen);
	a->tab[screen] = tab;
	sk_err err;
	if (list_find_id(current(a), a->db, id, list_rows(), &err) != SK_OK)
		say(a, true, "%s", err.msg);
}

static void open_related(app *a)
{
	list_view *lv = current(a);
	const list_row *row = list_current(lv);
	if (a->in_related || !lv->def->related[0].table) {
		say(a, false, "no related records here");
		return;
	}
	if (!row)
		return;
	sk_record *rec;
	sk_err err;
	if (sk_get_record(a->db, lv->table, row->id, &rec, &err) != SK_OK) {
		say(a, true, "%s", err.msg);
		return;
	}
	char name[128];
	sk_record_name(rec, name, sizeof name);
	snprintf(a->rel_title, sizeof a->rel_title, "%s", name);
	a->nrel = 0;
	for (int i = 0; i < TUI_MAX_RELATED && lv->def->related[i].table; i++) {
		const tab_def *def = tui_tab_for(lv->def->related[i].table);
		const sk_table *child = sk_table_find(lv->def->related[i].table);
		const sk_column *c = child ? sk_column_find(child, lv->def->related[i].column) : NULL;
		if (!def || !c)
			continue;
		list_view *rv = &a->rel[a->nrel++];
		list_init(rv, def);
		rv->where_column = c->name;
		const char *v = tui_related_value(c, rec);
		snprintf(rv->where_value, sizeof rv->where_value, "%s", v ? v : "");
	}
	sk_record_free(rec);
	a->rel_tab = 0;
	a->in_related = a->nrel > 0;
}

/* ---- the record view ('v') ----------------------------------------------- */

/* v: the current row read whole, over the list (whose cursor and window
 * stay as they are, so that q comes back to the same row). */
static void open_view(app *a)
{
	list_view *lv = current(a);
	char why[256];
	if (!list_allows(lv, LIST_VIEW)) {
		say(a, true, "nothing here can be viewed");
		return;
	}
	if (!pager_open_row(&a->pager, a->db, lv, list_current(lv), why, sizeof why)) {
		say(a, true, "%s", why);
		return;
	}
	a->mode = MODE_VIEW;
}

static void close_view(app *a)
{
	pager_free(&a->pager);
	a->mode = MODE_LIST;
}

static void view_key(app *a, bool is_key, wint_t ch)
{
	if (!is_key && ch > 0x7f)
		return;
	int action = sk_action_for_key((int)ch, CTX_VIEW);
	switch (action) {
	case ACT_VIEW_BACK: close_view(a); break;
	case ACT_VIEW_EDIT:
		/* the record the view is about, in the form; after it, the view
		 * again, read afresh */
		if (!a->pager.table || !a->pager.id)
			say(a, true, "this row is about no record to edit");
		else
			open_form(a, a->pager.table, a->pager.id);
		break;
	case ACT_VIEW_HELP:
		a->mode = MODE_HELP;
		a->help_ctx = CTX_VIEW;
		a->help_top = 0;
		break;
	default: pager_scroll(&a->pager, action, body_height()); break;
	}
}

static void ask_delete(app *a)
{
	list_view *lv = current(a);
	const list_row *row = list_current(lv);
	if (!list_allows(lv, LIST_DELETE)) {
		say(a, true, "nothing here can be deleted");
		return;
	}
	if (sk_readonly(a->db)) {
		say(a, true, "read-only: nothing can be deleted");
		return;
	}
	free(a->pending);
	a->npending = 0;
	a->pending = malloc(sizeof *a->pending * (size_t)(lv->nmarked ? lv->nmarked : 1));
	if (!a->pending)
		return;
	if (lv->nmarked) {
		memcpy(a->pending, lv->marked, sizeof *a->pending * (size_t)lv->nmarked);
		a->npending = lv->nmarked;
	} else if (row) {
		a->pending[a->npending++] = row->id;
	}
	if (!a->npending)
		return;
	snprintf(a->prompt_text, sizeof a->prompt_text, "Delete %d %s? [y/N] ", a->npending,
	         a->npending == 1 ? lv->table->label : lv->table->plural);
	a->prompt = P_DELETE;
}

static void do_delete(app *a)
{
	list_view *lv = current(a);
	sk_err err;
	live_own_begin(&a->live, a->db);
	sk_status s = sk_begin(a->db, &err);
	for (int i = 0; s == SK_OK && i < a->npending; i++)
		s = sk_delete(a->db, lv->table, a->pending[i], &err);
	if (s == SK_OK)
		s = sk_commit(a->db, &err);
	if (s != SK_OK) {
		sk_rollback(a->db);
		say(a, true, "%s", err.msg);
		return;
	}
	if (a->nundo == UNDO_DEPTH) {
		free(a->undo[0].ids);
		memmove(a->undo, a->undo + 1, sizeof a->undo[0] * (UNDO_DEPTH - 1));
		a->nundo--;
	}
	a->undo[a->nundo++] = (undo_entry){lv->table, a->pending, a->npending};
	say(a, false, "Deleted %d %s; u undoes", a->npending,
	    a->npending == 1 ? lv->table->label : lv->table->plural);
	a->pending = NULL;
	a->npending = 0;
	lv->nmarked = 0;
	invalidate_all(a);
}

static void do_undo(app *a)
{
	if (!a->nundo) {
		say(a, false, "nothing to undo");
		return;
	}
	undo_entry *u = &a->undo[a->nundo - 1];
	sk_err err;
	live_own_begin(&a->live, a->db);
	sk_status s = sk_begin(a->db, &err);
	for (int i = 0; s == SK_OK && i < u->n; i++)
		s = sk_restore(a->db, u->table, u->ids[i], &err);
	if (s == SK_OK)
		s = sk_commit(a->db, &err);
	if (s != SK_OK) {
		sk_rollback(a->db);
		say(a, true, "%s", err.msg);
		return;
	}
	say(a, false, "Restored %d %s", u->n, u->n == 1 ? u->table->label : u->table->plural);
	invalidate_all(a);
	list_view *lv = current(a);
	if (lv->table == u->table)
		list_find_id(lv, a->db, u->ids[0], list_rows(), NULL);
	free(u->ids);
	a->nundo--;
}

/* A new order: the same rows, so the count stands. On a short list the
 * cursor stays on its record; on a long one it goes to the top, since
 * finding the record's new place would count a good part of the list. */
static void resort(app *a, list_view *lv)
{
	const list_row *row = list_current(lv);
	int64_t id = row ? row->id : 0;
	list_reordered(lv);
	if (id && lv->ops->position && lv->unfiltered <= LONG_LIST)
		list_find_id(lv, a->db, id, list_rows(), NULL);
	else
		lv->cursor = lv->top = 0;
}

/* The next column to sort by: on a long list, columns without an index
 * (computed ones, long free text) are passed over. */
static int next_sort_column(const list_view *lv, int from, int dir)
{
	int c = from < 0 ? (dir > 0 ? -1 : 0) : from;
	for (int step = 0; step < lv->ncols; step++) {
		c = (c + dir + lv->ncols) % lv->ncols;
		if (lv->unfiltered <= LONG_LIST || list_col_quick_sort(lv, c))
			return c;
	}
	return from;
}

/*
 * :report NAME [FROM [TO]]: the report to a file of the name `scodesk
 * report` and x propose (NAME-DATE.csv, in the folder scodesk was started
 * from), never over an existing one; the status line says where.
 */
static void run_report(app *a, const char *args)
{
	char words[3][64];
	int n = 0;
	for (const char *p = args; n < 4; n++) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (n == 3 || len >= sizeof words[0]) {
			say(a, true, "usage: :report NAME [FROM [TO]] (dates YYYY-MM-DD)");
			return;
		}
		snprintf(words[n], sizeof words[n], "%.*s", (int)len, p);
		p += len;
	}
	char names[256];
	sk_report_names(names, sizeof names);
	if (n == 0) {
		say(a, true, ":report NAME [FROM [TO]]: %s", names);
		return;
	}
	const sk_report *r = sk_report_find(words[0]);
	if (!r) {
		say(a, true, "no report named %s (%s)", words[0], names);
		return;
	}
	char path[256];
	struct stat st;
	sk_csv_suggest_name(a->db, r->name, path, sizeof path);
	if (stat(path, &st) == 0) {
		say(a, true, "%s exists already: move it away and try again", path);
		return;
	}
	sk_csv_opts opts = {.no_clobber = true, .from = n > 1 ? words[1] : NULL,
	                    .to = n > 2 ? words[2] : NULL};
	sk_err err;
	long rows = 0;
	if (sk_csv_report(a->db, r->name, path, &opts, &rows, &err) == SK_OK)
		say(a, false, "Wrote the %s report, %ld row%s, to %s", r->name, rows,
		    rows == 1 ? "" : "s", path);
	else
		say(a, true, "%s", err.msg);
}

/*
 * :check-items FILE [--only-listed] [--dry-run], on an EUM check: the
 * items it saw, from the inspector's list of serials, as `scodesk
 * check-items` loads them (all or nothing). What it recorded goes on the
 * status line; a file with problems opens them, every one, in the view.
 */
static void run_check_items(app *a, const char *args)
{
	list_view *lv = current(a);
	const list_row *row = list_current(lv);
	static const char usage[] = ":check-items FILE [--only-listed] [--dry-run]";
	if (!lv->table || strcmp(lv->table->name, "eum_checks") != 0 || !row) {
		say(a, true, "%s loads what an EUM check saw: on a check (4, tab EUM checks)", usage);
		return;
	}
	char path[1024] = "";
	bool only_listed = false;
	sk_csv_opts opts = {0};
	for (const char *p = args;;) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (len == 13 && strncmp(p, "--only-listed", len) == 0) {
			only_listed = true;
		} else if (len == 9 && strncmp(p, "--dry-run", len) == 0) {
			opts.dry_run = true;
		} else if (!path[0] && p[0] != '-' && len < sizeof path) {
			snprintf(path, sizeof path, "%.*s", (int)len, p);
		} else {
			say(a, true, "usage: %s", usage);
			return;
		}
		p += len;
	}
	if (!path[0]) {
		say(a, true, "usage: %s", usage);
		return;
	}
	char *problems = NULL;
	size_t size = 0;
	FILE *report = open_memstream(&problems, &size);
	sk_check_load res;
	sk_err err;
	live_own_begin(&a->live, a->db);
	sk_status s = sk_csv_load_check(a->db, row->id, path, &opts, only_listed, report, &res,
	                                 &err);
	if (report)
		fclose(report);
	if (s == SK_OK) {
		if (!opts.dry_run)
			invalidate_all(a);
		/* short enough for 80 columns: the file by its name alone */
		const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		say(a, false, "%s%s: %ld listed: %ld seen, %ld damaged or misplaced, %ld not seen "
		    "(%ld not listed)", opts.dry_run ? "dry run, nothing written: " : "", name, res.rows,
		    res.seen, res.other, res.not_seen + res.missing, res.missing);
	} else if (res.problems && problems && size) {
		pager_free(&a->pager);
		a->pager.open = true;
		snprintf(a->pager.title, sizeof a->pager.title, "%.200s", err.msg);
		for (char *line = problems, *end; *line; line = end) {
			end = line + strcspn(line, "\n");
			if (*end)
				*end++ = '\0';
			pager_add(&a->pager, PG_TEXT, NULL, line);
		}
		a->mode = MODE_VIEW;
	} else {
		say(a, true, "%s", err.msg);
	}
	free(problems);
}

static void run_command(app *a, const char *cmd)
{
	list_view *lv = current(a);
	while (*cmd == ' ')
		cmd++;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0) {
		a->quit = true;
	} else if (strncmp(cmd, "sort ", 5) == 0) {
		for (int i = 0; i < lv->ncols; i++)
			if (strcmp(list_col_name(lv, i), cmd + 5) == 0) {
				lv->sort = i;
				resort(a, lv);
				return;
			}
		say(a, true, "no column %s here", cmd + 5);
	} else if (strncmp(cmd, "filter ", 7) == 0 || strcmp(cmd, "filter") == 0) {
		snprintf(lv->filter, sizeof lv->filter, "%s", cmd[6] ? cmd + 7 : "");
		list_invalidate(lv);
	} else if (strncmp(cmd, "report", 6) == 0 && (cmd[6] == ' ' || cmd[6] == '\0')) {
		run_report(a, cmd + 6);
	} else if (strncmp(cmd, "check-items", 11) == 0 && (cmd[11] == ' ' || cmd[11] == '\0')) {
		run_check_items(a, cmd + 11);
	} else if (strcmp(cmd, "help") == 0) {
		a->mode = MODE_HELP;
		a->help_ctx = CTX_LIST;
		a->help_top = 0;
	} else if (cmd[0] >= '0' && cmd[0] <= '9') {
		list_goto(lv, strtoll(cmd, NULL, 10) - 1, list_rows());
	} else if (cmd[0]) {
		say(a, true, "unknown command :%s (try :help)", cmd);
	}
}

/* x: the list as shown (filter, sort, related records) to a CSV file, as
 * its source writes it. */
static void export_view(app *a, const char *path)
{
	list_view *lv = current(a);
	struct stat st;
	if (!path[0])
		return;
	if (stat(path, &st) == 0) {
		say(a, true, "%s exists already: give another name", path);
		return;
	}
	sk_err err;
	long rows = 0;
	sk_status s = lv->ops->export(lv, a->db, path, &rows, &err);
	if (s == SK_OK)
		say(a, false, "Exported %ld row%s to %s", rows, rows == 1 ? "" : "s", path);
	else
		say(a, true, "%s", err.msg);
}

/* /, n and N: the next row holding the last search's text, dir +1 or -1,
 * past the end to the other end, saying so. */
static void search(app *a, list_view *lv, int dir)
{
	switch (list_search(lv, a->db, a->search, dir, list_rows())) {
	case LIST_FOUND: a->msg[0] = '\0'; break;
	case LIST_WRAPPED: say(a, false, "search wrapped to the %s", dir > 0 ? "top" : "bottom"); break;
	case LIST_NOT_FOUND: say(a, false, "not found: %s", a->search); break;
	}
}

static void open_prompt(app *a, prompt_kind kind, const char *label, const char *initial)
{
	a->prompt = kind;
	snprintf(a->prompt_text, sizeof a->prompt_text, "%s", label);
	le_set(&a->pl, initial);
}

/* The columns across: Left/Right, _ (widen), - (hide), + (show). */
static void column_action(app *a, list_view *lv, int action)
{
	const char *why = NULL;
	if (lv->ncols == 0)
		return;
	switch (action) {
	case ACT_COL_RIGHT:
	case ACT_COL_LEFT:
		if (!list_col_move(lv, action == ACT_COL_RIGHT ? 1 : -1))
			say(a, false, "no more columns to the %s", action == ACT_COL_RIGHT ? "right" : "left");
		break;
	case ACT_COL_WIDEN:
		list_col_widen(lv);
		if (lv->widened[lv->ccol])
			say(a, false, "%s widened to its values; _ again: back", list_col_label(lv, lv->ccol));
		else
			say(a, false, "%s back to its width", list_col_label(lv, lv->ccol));
		break;
	case ACT_COL_HIDE: {
		const char *label = list_col_label(lv, lv->ccol);
		if (!list_col_hide(lv, &why))
			say(a, true, "%s", why);
		else
			say(a, false, "%s hidden; + shows the hidden columns again", label);
		break;
	}
	case ACT_COL_SHOW: {
		int n = list_col_show_all(lv);
		if (n)
			say(a, false, "%d column%s shown again", n, n == 1 ? "" : "s");
		else
			say(a, false, "no column is hidden");
		break;
	}
	default: break;
	}
}

/* ---- the quick key ('t') ------------------------------------------------ */

/*
 * The column the tab names (tab_def.quick) changed on the current row
 * without the form: a yes/no turned over, an enumeration moved to its
 * next step (steps.h). The record is read afresh, as the form reads it,
 * and must still be what the row shows: when others have committed since
 * the lists were read and a cell of the row is no longer the record's, it
 * is a conflict; a record deleted meanwhile is said so. Either way nothing
 * is written and the lists are read again. The write is the form's
 * (sk_update: the rules, the audit entry, the version); then the lists are
 * read again, the cursor kept on the record, and the status line says
 * what changed and how to go back.
 */
static void quick_change(app *a)
{
	list_view *lv = current(a);
	const list_row *row = list_current(lv);
	const sk_table *t = lv->table;
	const sk_column *c =
		lv->def->quick && !lv->def->source && t ? sk_column_find(t, lv->def->quick) : NULL;
	if (a->picking) {
		say(a, true, "choosing for the form: Enter chooses, Esc goes back to it");
		return;
	}
	if (!c || (c->type != SK_T_BOOL && c->type != SK_T_ENUM)) {
		say(a, true, "nothing here changes without the form");
		return;
	}
	if (sk_readonly(a->db)) {
		say(a, true, "read-only: nothing can be changed");
		return;
	}
	if (!row)
		return;
	int64_t id = row->id;
	sk_record *rec = NULL;
	sk_err err;
	sk_status s = sk_get_record(a->db, t, id, &rec, &err);
	bool deleted = s == SK_NOTFOUND || (s == SK_OK && sk_get(rec, "deleted_at"));
	if (s != SK_OK && !deleted) {
		say(a, true, "%s", err.msg);
		return;
	}
	bool changed = false;
	if (!deleted && sk_data_version(a->db) != a->live.version)
		for (int i = 0; i < lv->ncols && !changed; i++) {
			char *cell = lv->ops->cell(lv, a->db, rec, lv->cols[i]);
			changed = !cell || !row->cells[i] || strcmp(cell, row->cells[i]) != 0;
			free(cell);
		}
	if (deleted || changed) {
		char who[160], when[32], m[sizeof a->msg];
		if (deleted) {
			say(a, true, "%s %lld was deleted meanwhile: nothing written", t->label,
			    (long long)id);
		} else {
			char name[160];
			sk_record_title(a->db, rec, name, sizeof name);
			sk_last_change(a->db, t, id, 0, who, sizeof who, when, sizeof when);
			say(a, true,
			    "%s was changed by %s at %s: nothing written; the list shows it as it is now",
			    name, who, when);
		}
		sk_record_free(rec);
		live_changed(&a->live, a->db, m, sizeof m);
		reread_all(a);
		return;
	}

	/* what it is called: its name, and the records it is with (an
	 * engagement's contacts) */
	char name[256];
	sk_record_name(rec, name, sizeof name);
	for (size_t i = 0; i < t->ncolumns; i++) {
		int col = t->columns[i].type == SK_T_LINKS ? lv->ops->column(lv, t->columns[i].name) : -1;
		char *with = col >= 0 ? lv->ops->cell(lv, a->db, rec, col) : NULL;
		if (with && *with) {
			size_t n = strlen(name);
			snprintf(name + n, sizeof name - n, " with %s", with);
		}
		free(with);
		if (col >= 0)
			break;
	}
	/* the keys to name: this one, and the form's */
	char again[32] = "t", form_key[32] = "Enter";
	for (size_t i = 0; i < sk_naction_defs; i++) {
		if (sk_action_defs[i].action == ACT_QUICK)
			sk_key_name(sk_action_defs[i].keys[0], again, sizeof again);
		if (sk_action_defs[i].action == ACT_EDIT)
			sk_key_name(sk_action_defs[i].keys[0], form_key, sizeof form_key);
	}
	char label[64];
	snprintf(label, sizeof label, "%s", c->label);
	if (label[0] >= 'A' && label[0] <= 'Z')
		label[0] = (char)(label[0] - 'A' + 'a');

	const char *was = sk_get(rec, c->name);
	const char *to;
	if (c->type == SK_T_BOOL) {
		to = was && strcmp(was, "1") == 0 ? "0" : "1";
	} else {
		to = sk_enum_next_step(c, was);
		if (!to) {
			say(a, true, "%s: %s has no next step; the form (%s) changes it", name,
			    was ? sk_enum_label(c->enumeration, was) : "no value", form_key);
			sk_record_free(rec);
			return;
		}
	}
	char was_shown[80];
	if (c->type == SK_T_ENUM)
		snprintf(was_shown, sizeof was_shown, "%s", sk_enum_label(c->enumeration, was));
	else
		snprintf(was_shown, sizeof was_shown, "%s%s", strcmp(to, "1") == 0 ? "not " : "",
		         label);
	if (sk_set(rec, c->name, to) != SK_OK) {
		sk_record_free(rec);
		return;
	}
	live_anchor an;
	live_remember(&an, lv);
	live_own_begin(&a->live, a->db);
	s = sk_update(a->db, rec, &err);
	if (s == SK_CONFLICT) {
		/* another's change between the read and the write */
		char m[sizeof a->msg];
		say(a, true, "%s", err.msg);
		sk_record_free(rec);
		live_changed(&a->live, a->db, m, sizeof m);
		reread_all(a);
		return;
	}
	if (s != SK_OK) {
		say(a, true, "%s; %s stays %s", err.says[0] ? err.says : without_table(t, err.msg), name, was_shown);
		sk_record_free(rec);
		return;
	}
	invalidate_all(a);
	live_place(&an, lv, a->db, list_rows());
	if (c->type == SK_T_ENUM)
		say(a, false, "%s: %s %s %s (back: the form, %s)", name, was_shown,
		    a->opt.ascii ? "->" : "\u2192", sk_enum_label(c->enumeration, to), form_key);
	else if (strcmp(to, "1") == 0)
		say(a, false, "%s (%s again: not %s): %s", c->label, again, label, name);
	else
		say(a, false, "Not %s (%s again: %s): %s", label, again, label, name);
	sk_record_free(rec);
}

static void list_action(app *a, int action)
{
	list_view *lv = current(a);
	int rows = list_rows();
	const list_row *row = list_current(lv);
	switch (action) {
	case ACT_DOWN: list_move(lv, 1, rows); break;
	case ACT_UP: list_move(lv, -1, rows); break;
	case ACT_PAGE_DOWN: list_move(lv, rows, rows); break;
	case ACT_PAGE_UP: list_move(lv, -rows, rows); break;
	case ACT_FIRST: list_goto(lv, 0, rows); break;
	case ACT_LAST: list_goto(lv, lv->count - 1, rows); break;
	case ACT_EDIT:
		if (!list_allows(lv, LIST_EDIT))
			go_to_record(a);
		else if (row)
			open_form(a, lv->table, row->id);
		break;
	case ACT_RELATED: open_related(a); break;
	case ACT_VIEW: open_view(a); break;
	case ACT_ADD:
		if (!list_allows(lv, LIST_ADD))
			say(a, true, "nothing can be added here");
		else
			open_form(a, lv->table, 0);
		break;
	case ACT_DELETE: ask_delete(a); break;
	case ACT_UNDO: do_undo(a); break;
	case ACT_QUICK: quick_change(a); break;
	case ACT_MARK:
		if (row && list_allows(lv, LIST_MARK)) {
			list_toggle_mark(lv, row->id);
			list_move(lv, 1, rows);
		}
		break;
	case ACT_SEARCH: open_prompt(a, P_SEARCH, "/", ""); break;
	case ACT_NEXT:
	case ACT_PREV:
		if (!a->search[0])
			say(a, false, "no search yet: / searches");
		else
			search(a, lv, action == ACT_NEXT ? 1 : -1);
		break;
	case ACT_FILTER:
		/* the filter as it is, to edit (Backspace, Ctrl-U), the
		 * cursor at its end */
		snprintf(a->filter_was, sizeof a->filter_was, "%s", lv->filter);
		a->filter_cursor = lv->cursor;
		a->filter_top = lv->top;
		open_prompt(a, P_FILTER, "filter: ", lv->filter);
		break;
	case ACT_SORT_PREV:
	case ACT_SORT_NEXT:
		if (lv->ncols) {
			lv->sort = next_sort_column(lv, lv->sort, action == ACT_SORT_NEXT ? 1 : -1);
			lv->descending = false; /* a new sort column starts ascending */
			resort(a, lv);
		}
		break;
	case ACT_REVERSE:
		lv->descending = !lv->descending;
		resort(a, lv);
		break;
	case ACT_EXPORT: {
		char name[256];
		sk_csv_suggest_name(a->db, lv->ops->export_name(lv), name, sizeof name);
		open_prompt(a, P_EXPORT, "export to: ", name);
		break;
	}
	case ACT_COMMAND: open_prompt(a, P_COMMAND, ":", ""); break;
	case ACT_TAB_PREV:
	case ACT_TAB_NEXT: {
		int d = action == ACT_TAB_NEXT ? 1 : -1;
		if (a->in_related)
			a->rel_tab = (a->rel_tab + d + a->nrel) % a->nrel;
		else
			a->tab[a->screen] = (a->tab[a->screen] + d + tui_screens[a->screen].ntabs) %
			                    tui_screens[a->screen].ntabs;
		break;
	}
	case ACT_SCREEN_NEXT: switch_screen(a, a->screen + 1); break;
	case ACT_SCREEN_PREV: switch_screen(a, a->screen - 1); break;
	case ACT_HELP:
		a->mode = MODE_HELP;
		a->help_ctx = CTX_LIST;
		a->help_top = 0;
		break;
	case ACT_BACK:
		if (a->in_related)
			leave_related(a);
		else if (a->screen != 0) /* the first screen is home */
			switch_screen(a, 0);
		else
			a->quit = true;
		break;
	case ACT_QUIT: a->quit = true; break;
	case ACT_COL_RIGHT:
	case ACT_COL_LEFT:
	case ACT_COL_WIDEN:
	case ACT_COL_HIDE:
	case ACT_COL_SHOW: column_action(a, lv, action); break;
	default:
		if (sk_action_screen(action) >= 0)
			switch_screen(a, sk_action_screen(action));
		break;
	}
}

/* ---- the picker: choosing what a reference field names --------------------- */

static int first_id(void *ctx, const sk_record *rec)
{
	*(int64_t *)ctx = sk_record_id(rec);
	return 1;
}

static void close_picker(app *a)
{
	list_free(&a->pick);
	memset(&a->pick, 0, sizeof a->pick);
	a->picking = false;
	a->mode = MODE_FORM;
}

/*
 * Ctrl-P (F4) in a reference field: the referenced table's list, as its
 * own screen shows it, to filter, sort, search and look at (v); Enter
 * chooses the row under the cursor, or for a field of several (an
 * engagement's contacts) the rows marked with m or Space. The records the
 * field holds are marked (several) or under the cursor (one) at first;
 * narrow, when given, is the filter it opens with (what was typed and
 * matched more than one record).
 */
static void open_picker(app *a, const char *narrow)
{
	form *f = &a->form;
	const sk_column *c = form_column(f);
	if (!c || (c->type != SK_T_REF && c->type != SK_T_LINKS && c->type != SK_T_KEYREF)) {
		say(a, true, "Ctrl-P chooses a record for a field that names one; %s does not",
		    c ? c->label : "this form");
		return;
	}
	const sk_table *rt = sk_table_find(c->ref_table);
	const tab_def *def = tui_tab_for(c->ref_table);
	memset(&a->pick, 0, sizeof a->pick);
	if (!rt || !def || !list_init(&a->pick, def)) {
		say(a, true, "%s cannot be listed to choose from", c->label);
		return;
	}
	/* what was typed and named several records: those, to choose from */
	bool several = form_commit_field(f, a->db) > 0;
	if (several && !narrow)
		narrow = f->pick_narrow;
	a->picking = true;
	a->pick_many = c->type == SK_T_LINKS;
	a->mode = MODE_LIST;
	snprintf(a->pick_title, sizeof a->pick_title, "Choose %s for the %s", c->label,
	         f->rec->table->label);
	if (narrow && *narrow)
		snprintf(a->pick.filter, sizeof a->pick.filter, "%s", narrow);
	const char *v = f->unresolved && f->unresolved[f->cur] ? (several ? f->pick_value : NULL)
	                : f->rec->values[f->fields[f->cur]];
	int64_t at = 0;
	if (c->type == SK_T_KEYREF && v && *v) {
		/* the record whose key the field holds */
		sk_query q = {.nwhere = 1};
		q.where[0].column = c->ref_column;
		q.where[0].value = v;
		q.limit = 1;
		sk_list(a->db, rt, &q, first_id, &at, NULL);
	} else if (v && *v) {
		at = strtoll(v, NULL, 10);
	}
	for (const char *p = v; a->pick_many && p && *p; p += strcspn(p, ";"), p += *p == ';')
		list_toggle_mark(&a->pick, strtoll(p, NULL, 10));
	if (at > 0)
		list_find_id(&a->pick, a->db, at, list_rows(), NULL);
	say(a, false, "%s", a->pick_many ? "m or Space marks each, Enter chooses the marked"
	                                 : "Enter chooses the record under the cursor");
}

/* Enter in the picker: the field takes the chosen records. */
static void pick_chosen(app *a)
{
	list_view *lv = &a->pick;
	const list_row *row = list_current(lv);
	const sk_column *c = form_column(&a->form);
	char value[1024] = "";
	size_t len = 0;
	if (a->pick_many && lv->nmarked > 0) {
		for (int i = 0; i < lv->nmarked && len < sizeof value - 24; i++)
			len += (size_t)snprintf(value + len, sizeof value - len, "%s%lld", i ? ";" : "",
			                        (long long)lv->marked[i]);
	} else if (row && c->type == SK_T_KEYREF) {
		sk_record *rec;
		if (sk_get_record(a->db, lv->table, row->id, &rec, NULL) == SK_OK) {
			const char *key = sk_get(rec, c->ref_column);
			snprintf(value, sizeof value, "%s", key ? key : "");
			sk_record_free(rec);
		}
	} else if (row) {
		snprintf(value, sizeof value, "%lld", (long long)row->id);
	} else {
		say(a, true, "nothing to choose here: Esc goes back to the form");
		return;
	}
	close_picker(a);
	form_set_value(&a->form, a->db, value);
	const char *names = a->form.ref_names ? a->form.ref_names[a->form.cur] : NULL;
	say(a, false, "%s: %s", c->label, names && *names ? names : value);
}

/* A key while the picker is open: true when it was the picker's. */
static bool pick_key(app *a, bool is_key, wint_t ch)
{
	if (!is_key && ch == KEY_ESCAPE) {
		close_picker(a);
		say(a, false, "nothing chosen");
		return true;
	}
	if (!is_key && ch == ' ' && a->pick_many) {
		const list_row *row = list_current(&a->pick);
		if (row) {
			list_toggle_mark(&a->pick, row->id);
			list_move(&a->pick, 1, list_rows());
		}
		return true;
	}
	if (!is_key && ch > 0x7f)
		return false;
	int action = sk_action_for_key((int)ch, CTX_LIST);
	switch (action) {
	case ACT_EDIT: pick_chosen(a); return true;
	case ACT_BACK: close_picker(a); say(a, false, "nothing chosen"); return true;
	case ACT_MARK:
		if (!a->pick_many) {
			say(a, true, "%s takes one record: Enter chooses it", form_column(&a->form)->label);
			return true;
		}
		if (list_current(&a->pick)) {
			list_toggle_mark(&a->pick, list_current(&a->pick)->id);
			list_move(&a->pick, 1, list_rows());
		}
		return true;
	case ACT_ADD: case ACT_DELETE: case ACT_UNDO: case ACT_RELATED: case ACT_TAB_PREV:
	case ACT_TAB_NEXT: case ACT_SCREEN_NEXT: case ACT_SCREEN_PREV: case ACT_QUIT:
		say(a, true, "choosing for the form: Enter chooses, Esc goes back to it");
		return true;
	default:
		if (sk_action_screen(action) >= 0) {
			say(a, true, "choosing for the form: Enter chooses, Esc goes back to it");
			return true;
		}
		return false;
	}
}

/* ---- the form -------------------------------------------------------------- */

static void close_form(app *a)
{
	form_close(&a->form);
	/* a form opened from the record view goes back to it */
	a->mode = a->pager.open ? MODE_VIEW : MODE_LIST;
}

/* Esc: a form with changes asks first; one without closes. */
static void ask_discard(app *a)
{
	form *f = &a->form;
	if (f->read_only || !form_changed(f)) {
		close_form(a);
		return;
	}
	char name[160];
	if (f->is_new) {
		snprintf(a->prompt_text, sizeof a->prompt_text, "Discard the new %s? [y/N]",
		         f->rec->table->label);
	} else {
		sk_record_title(a->db, f->orig ? f->orig : f->rec, name, sizeof name);
		snprintf(a->prompt_text, sizeof a->prompt_text, "Discard the changes to %s? [y/N]",
		         name);
	}
	a->prompt = P_DISCARD;
}

/* "Restore it? [y/N] Chen, Marcus was deleted by alice at T": the
 * question first, so that a narrow terminal cuts the story. */
static void ask_restore(app *a, const sk_table *t, int64_t id, const char *story, bool saving)
{
	snprintf(a->prompt_text, sizeof a->prompt_text, "Restore it? [y/N] %.*s",
	         (int)sizeof a->prompt_text - 20, story);
	say(a, true, "%s", story);
	a->restore_table = t;
	a->restore_id = id;
	a->restore_save = saving;
	a->prompt = P_RESTORE;
}

/* The next field both changed, asked about; or, when none is left, what
 * the merge did. */
static void ask_merge(app *a)
{
	form *f = &a->form;
	if (a->merge_at >= a->nmerge) {
		a->nmerge = 0;
		say(a, false, "Merged with %s's change%s%s; yours kept: Enter saves both", a->merge_who,
		    a->merge_taken[0] ? " to " : "", a->merge_taken);
		return;
	}
	const sk_column *c = &f->rec->table->columns[a->merge_cols[a->merge_at]];
	char mine[120], theirs[120];
	form_value_words(a->db, c, f->rec->values[a->merge_cols[a->merge_at]], mine, sizeof mine);
	form_value_words(a->db, c, f->orig->values[a->merge_cols[a->merge_at]], theirs,
	                 sizeof theirs);
	form_focus(f, c->name, body_height());
	snprintf(a->prompt_text, sizeof a->prompt_text,
	         "%.60s: [m]ine \"%.100s\" or [t]heirs \"%.100s\"? (%.60s changed it too)",
	         c->label, mine, theirs, a->merge_who);
	a->prompt = P_MERGE;
}

/*
 * The form's save met another user's change (or the form's record was
 * restored from their delete): the record as they stored it, merged with
 * the form's changes field by field (sk_merge). Their changes to other
 * fields come into the form beside the user's; each field both changed
 * is asked about (mine or theirs). The merged form then saves over their
 * version with Enter, as any form does.
 */
static void merge_stored(app *a)
{
	form *f = &a->form;
	const sk_table *t = f->rec->table;
	int64_t id = sk_record_id(f->rec);
	sk_record *fresh;
	sk_err err;
	if (sk_get_record(a->db, t, id, &fresh, &err) != SK_OK) {
		say(a, true, "%s", err.msg);
		return;
	}
	char when[32];
	sk_last_change(a->db, t, id, 0, a->merge_who, sizeof a->merge_who, when, sizeof when);
	sk_merged how;
	sk_record *merged = sk_merge(f->orig, f->rec, fresh, &how);
	if (!merged) {
		sk_record_free(fresh);
		say(a, true, "out of memory: the form is as it was");
		return;
	}
	/* the fields that come from theirs, by label */
	size_t n = 0;
	a->merge_taken[0] = '\0';
	for (int i = 0; i < how.ntaken && n < sizeof a->merge_taken; i++)
		n += (size_t)snprintf(a->merge_taken + n, sizeof a->merge_taken - n, "%s%s",
		                      n ? ", " : "", t->columns[how.taken[i]].label);
	memcpy(a->merge_cols, how.clash, sizeof how.clash);
	a->nmerge = how.nclash;
	form_replace(f, a->db, merged, fresh);
	a->merge_at = 0;
	ask_merge(a);
}

/* A key while a merge asks about a field both changed. */
static void merge_key(app *a, bool is_key, wint_t ch)
{
	form *f = &a->form;
	if (!is_key && (ch == 't' || ch == 'T')) {
		const sk_column *c = &f->rec->table->columns[a->merge_cols[a->merge_at]];
		form_focus(f, c->name, body_height());
		form_set_value(f, a->db, f->orig->values[a->merge_cols[a->merge_at]]);
		a->merge_at++;
	} else if (!is_key && (ch == 'm' || ch == 'M')) {
		a->merge_at++;
	} else if (!is_key && ch == KEY_ESCAPE) {
		a->merge_at = a->nmerge; /* yours, for the rest */
	} else {
		say(a, true, "m keeps yours, t takes theirs, Esc keeps yours for every field left");
		return;
	}
	a->prompt = P_NONE;
	ask_merge(a);
}

static void save_form(app *a)
{
	sk_err err;
	form *f = &a->form;
	if (f->read_only) {
		say(a, true, "read-only: nothing here can be changed (Esc closes)");
		return;
	}
	/* a reference that names no one record is not saved as it was typed */
	if (form_unresolved(f, body_height()) >= 0) {
		say(a, true, "%s", f->unresolved[f->cur]);
		return;
	}
	live_own_begin(&a->live, a->db);
	sk_status s = f->is_new ? sk_insert(a->db, f->rec, &err) : sk_update(a->db, f->rec, &err);
	if (s == SK_OK) {
		int64_t id = sk_record_id(f->rec);
		char name[160];
		sk_record_title(a->db, f->rec, name, sizeof name);
		say(a, false, "Saved %s", name);
		close_form(a);
		invalidate_all(a);
		list_find_id(current(a), a->db, id, list_rows(), NULL);
		pager_reload(&a->pager, a->db);
		return;
	}
	if (s == SK_CONFLICT) {
		merge_stored(a);
		return;
	}
	if (s == SK_GONE) {
		ask_restore(a, f->rec->table, sk_record_id(f->rec), err.msg, true);
		return;
	}
	snprintf(f->bad_field, sizeof f->bad_field, "%s", err.field);
	if (err.field[0])
		form_focus(f, err.field, body_height());
	/* The form names the table already: keep the status line for the
	 * field, the value and the reason. */
	say(a, true, "%s", err.says[0] ? err.says : without_table(f->rec->table, err.msg));
}

/* ---- drafts: a form kept when the session ended under it ------------------- */

static volatile sig_atomic_t ending_signal;

static void on_ending_signal(int sig)
{
	ending_signal = sig;
}

/* Asked by core before each pause while a change waits for another
 * user's lock: a SIGTERM or SIGHUP that came meanwhile ends the wait, so
 * that the form is kept as a draft and scodesk exits at once rather than
 * after the whole timeout. */
static bool ending_requested(void *ctx)
{
	(void)ctx;
	return ending_signal != 0;
}

/* SIGHUP (the link dropped), SIGTERM and SIGINT end the loop at the next
 * turn, never in the middle of a change: the handler only takes note. */
static void catch_ending_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_ending_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* ---- the daily backup, made by a process of its own ----------------------- */

static volatile sig_atomic_t child_ended;

static void on_child_ended(int sig)
{
	(void)sig;
	child_ended = 1;
}

/* SIGCHLD, without SA_RESTART, so that get_wch waiting for a key returns
 * when the backup's process ends and its failure shows at once, not at
 * the next key (one that ends between the loop's look and the read is
 * seen when the read times out: see the loop). The handler only takes
 * note. */
static void catch_child_end(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_child_ended;
	sa.sa_flags = SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

/* What the ended process wrote on its standard error (fd, non-blocking):
 * the first line, without the "scodesk: " its messages start with. */
static void read_child_message(int fd, char *buf, size_t size)
{
	static const char prefix[] = "scodesk: ";
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t r = read(fd, buf + n, size - 1 - n);
		if (r > 0)
			n += (size_t)r;
		else if (!(r < 0 && errno == EINTR))
			break;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strncmp(buf, prefix, sizeof prefix - 1) == 0)
		memmove(buf, buf + sizeof prefix - 1, strlen(buf + sizeof prefix - 1) + 1);
}

/* When the daily backup's process has ended: a failure goes on the status
 * line, in the child's own words; success goes unsaid. Never waits. */
static void reap_backup(app *a)
{
	if (a->opt.backup_pid <= 0 || !child_ended)
		return;
	child_ended = 0;
	int status = 0;
	pid_t r = waitpid(a->opt.backup_pid, &status, WNOHANG);
	if (r == 0)
		return; /* still copying */
	char text[400];
	read_child_message(a->opt.backup_fd, text, sizeof text);
	close(a->opt.backup_fd);
	a->opt.backup_pid = 0;
	a->opt.backup_fd = -1;
	if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (!text[0] && r < 0)
		return; /* not ours to reap after all: nothing is known */
	if (!text[0] && WIFSIGNALED(status))
		snprintf(text, sizeof text, "the backup's process was killed by signal %d",
		         WTERMSIG(status));
	else if (!text[0])
		snprintf(text, sizeof text, "the backup's process ended with status %d",
		         WEXITSTATUS(status));
	say(a, true, "no daily backup today: %s", text);
}

static void keep_draft(app *a)
{
	if (!a->form.rec)
		return;
	if (a->mode == MODE_FORM)
		form_commit_field(&a->form, a->db);
	sk_draft_save(a->db, a->form.rec, a->form.is_new, NULL);
}

static void offer_draft(app *a)
{
	char when[21];
	sk_record *rec;
	bool is_new;
	sk_err err;
	if (sk_readonly(a->db))
		return;
	sk_status s = sk_draft_load(a->db, &rec, &is_new, when, &err);
	if (s != SK_OK) {
		/* Something not a draft of this user's under its name, or one
		 * that cannot be read: say so, once. */
		if (s != SK_NOTFOUND)
			say(a, true, "%s", err.msg);
		return;
	}
	a->draft = rec;
	a->draft_is_new = is_new;
	snprintf(a->prompt_text, sizeof a->prompt_text,
	         "Open the unsaved %s kept at %s? [y/N] ", rec->table->label, when);
	a->prompt = P_DRAFT;
}

static void take_draft(app *a, bool yes)
{
	sk_draft_discard(a->db);
	if (!yes) {
		sk_record_free(a->draft);
		a->draft = NULL;
		say(a, false, "the draft was discarded");
		return;
	}
	const sk_table *t = a->draft->table;
	int64_t id = sk_record_id(a->draft);
	form_open(&a->form, a->db, a->draft, a->draft_is_new);
	a->draft = NULL;
	/* what the draft changed is what differs from the record as stored
	 * (or from an empty one): Esc asks before dropping it */
	sk_record *stored = NULL;
	if (a->draft_is_new || sk_get_record(a->db, t, id, &stored, NULL) != SK_OK)
		stored = sk_record_new(t);
	if (stored) {
		sk_record_free(a->form.orig);
		a->form.orig = stored;
	}
	a->mode = MODE_FORM;
	say(a, false, "the unsaved form is back: Enter saves it, Esc drops it");
}

/* ---- a record deleted by another user ---------------------------------------- */

/* y to "Restore it?": the record comes back (audited as a restore) and
 * opens in the form; N leaves it deleted. */
static void restore_record(app *a, bool yes)
{
	const sk_table *t = a->restore_table;
	int64_t id = a->restore_id;
	a->restore_table = NULL;
	if (!t)
		return;
	bool saving = a->restore_save && a->mode == MODE_FORM && a->form.rec;
	a->restore_save = false;
	if (!yes) {
		say(a, false, saving ? "left deleted: nothing saved (Esc discards the form)"
		                     : "left deleted (u on its list does not bring back another user's delete)");
		invalidate_all(a);
		return;
	}
	sk_err err;
	live_own_begin(&a->live, a->db);
	sk_status s = sk_restore(a->db, t, id, &err);
	invalidate_all(a);
	if (s != SK_OK) {
		say(a, true, "%s", err.msg);
		return;
	}
	if (saving) {
		/* the form's changes, over the record as it came back */
		merge_stored(a);
		if (a->prompt == P_NONE)
			say(a, false, "Restored: your changes are in the form, Enter saves them");
		return;
	}
	open_form(a, t, id);
	if (a->mode == MODE_FORM) {
		char name[160];
		sk_record_title(a->db, a->form.rec, name, sizeof name);
		say(a, false, "Restored %s: edit it, Enter saves", name);
	}
}

/* ---- leaving the terminal for a while ------------------------------------- */

/* Ctrl-Z: the terminal as it was, the process stopped as a shell's job;
 * fg comes back here, the screen drawn afresh. Nothing is lost: a form
 * being filled in waits as it was. */
static void suspend(app *a)
{
	endwin();
	struct sigaction dfl = {.sa_handler = SIG_DFL}, was;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &was);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &was, NULL);
	/* back (or never gone: nobody to stop for) */
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	say(a, false, "back in scodesk");
}

/* Runs the user's editor on path; false with why when it could not. */
static bool run_editor(const char *path, char *why, size_t size)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	char script[600];
	/* the editor as the user's shell would run it (it may carry options);
	 * the file as an argument, never part of the script */
	snprintf(script, sizeof script, "%s \"$1\"", ed);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(why, size, "cannot start the editor: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, size, "the editor (%s) did not end well: the field is as it was", ed);
		return false;
	}
	return true;
}

/*
 * Ctrl-O (F2) in a long text field: the text in $VISUAL or $EDITOR, in a
 * private temporary file; what the editor leaves comes back into the
 * field, line breaks and all, to be saved with the form (or not).
 */
static void edit_outside(app *a)
{
	form *f = &a->form;
	const sk_column *c = form_column(f);
	if (f->read_only) {
		say(a, true, "read-only: nothing here can be changed (Esc closes)");
		return;
	}
	if (!c || c->type != SK_T_TEXT || !(c->flags & SK_F_MULTILINE)) {
		say(a, true, "%s is one line: type it here (Ctrl-O edits long text: notes, objectives)",
		    c ? c->label : "this field");
		return;
	}
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/scodesk-edit-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		say(a, true, "cannot make a file to edit in: %s", strerror(errno));
		return;
	}
	char *text = form_text(f);
	size_t n = text ? strlen(text) : 0;
	bool ok = (n == 0 || write(fd, text, n) == (ssize_t)n) && write(fd, "\n", 1) == 1;
	free(text);
	close(fd);
	char why[256] = "";
	if (ok) {
		endwin();
		ok = run_editor(path, why, sizeof why);
		reset_prog_mode();
		clearok(curscr, TRUE);
	} else {
		snprintf(why, sizeof why, "cannot write the text to edit: %s", strerror(errno));
	}
	FILE *in = ok ? fopen(path, "r") : NULL;
	if (in) {
		char *buf = malloc(65536);
		size_t got = buf ? fread(buf, 1, 65535, in) : 0;
		bool whole = buf && feof(in);
		fclose(in);
		if (!whole) {
			snprintf(why, sizeof why, "the text is longer than 64 KB: the field is as it was");
			ok = false;
		} else {
			buf[got] = '\0';
			/* editors end the last line: that one break is not the text's */
			while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
				buf[--got] = '\0';
			form_set_text(f, buf);
		}
		free(buf);
	} else if (ok) {
		snprintf(why, sizeof why, "cannot read the edited text back: %s", strerror(errno));
		ok = false;
	}
	unlink(path);
	if (ok)
		say(a, false, "%s: back from the editor (Enter saves the form)", c->label);
	else
		say(a, true, "%s", why);
}

/* ---- prompts ---------------------------------------------------------------- */

static void prompt_key(app *a, bool is_key, wint_t ch)
{
	list_view *lv = current(a);
	if (a->prompt == P_MERGE) {
		merge_key(a, is_key, ch);
		return;
	}
	if (yes_no(a->prompt)) {
		bool yes = !is_key && (ch == 'y' || ch == 'Y');
		prompt_kind k = a->prompt;
		a->prompt = P_NONE;
		a->msg[0] = '\0';
		if (k == P_DISCARD && yes)
			close_form(a);
		else if (k == P_DISCARD)
			say(a, false, "nothing discarded: the form is as you left it");
		else if (k == P_RESTORE)
			restore_record(a, yes);
		else if (k == P_DELETE && yes)
			do_delete(a);
		else if (k == P_DELETE)
			say(a, false, "nothing deleted");
		else if (k == P_DRAFT)
			take_draft(a, yes);
		return;
	}
	if (!is_key && ch == KEY_ESCAPE) {
		/* the filter as it was before f, the cursor where it was */
		if (a->prompt == P_FILTER && strcmp(lv->filter, a->filter_was) != 0) {
			snprintf(lv->filter, sizeof lv->filter, "%s", a->filter_was);
			list_invalidate(lv);
			lv->cursor = a->filter_cursor;
			lv->top = a->filter_top;
		}
		a->prompt = P_NONE;
		return;
	}
	if (!is_key && (ch == KEY_RETURN || ch == KEY_NEWLINE)) {
		char *text = le_get(&a->pl);
		prompt_kind k = a->prompt;
		a->prompt = P_NONE;
		if (text && k == P_SEARCH && text[0]) {
			snprintf(a->search, sizeof a->search, "%s", text);
			search(a, lv, 1);
		} else if (text && k == P_COMMAND) {
			run_command(a, text);
		} else if (text && k == P_EXPORT) {
			export_view(a, text);
		} else if (text && k == P_FILTER && text[0] && strcmp(text, lv->filter) != 0) {
			/* One or two characters on a long list (a family name in
			 * Chinese or Korean is often one): asked for with Enter,
			 * the filter reads every record, once. */
			say(a, false, "filtering %lld records for \"%s\"...",
			    (long long)lv->unfiltered, text);
			draw_status(a);
			refresh();
			snprintf(lv->filter, sizeof lv->filter, "%s", text);
			list_invalidate(lv);
			lv->cursor = lv->top = 0;
			a->msg[0] = '\0';
		}
		free(text);
		return;
	}
	if (!le_key(&a->pl, is_key, ch))
		return;
	if (a->prompt == P_FILTER) {
		/* The list narrows as you type. On a long list, one or two
		 * characters would mean reading every row at each key (the
		 * full-text index needs three): the filter waits for the third,
		 * or for Enter. */
		char *text = le_get(&a->pl);
		if (text) {
			int need = lv->ops->short_filter;
			bool too_short = lv->unfiltered > LONG_LIST && a->pl.len < (size_t)need;
			const char *now = too_short ? "" : text;
			if (too_short && a->pl.len)
				snprintf(a->prompt_text, sizeof a->prompt_text,
				         "filter (%d characters, or Enter): ", need);
			else
				snprintf(a->prompt_text, sizeof a->prompt_text, "filter: ");
			if (strcmp(now, lv->filter) != 0) {
				snprintf(lv->filter, sizeof lv->filter, "%s", now);
				list_invalidate(lv);
				lv->cursor = lv->top = 0;
			}
			free(text);
		}
	}
}

/* core is about to wait for another user's lock: say so now, since the
 * screen will not move until the wait ends. */
static void show_waiting(void *ctx)
{
	app *a = ctx;
	if (COLS < MIN_COLS || LINES < MIN_LINES)
		return;
	say(a, false, "waiting for another user's change to finish (up to %d s)...",
	    SK_BUSY_TIMEOUT_MS / 1000);
	prompt_kind was = a->prompt;
	a->prompt = P_NONE;
	draw_status(a);
	a->prompt = was;
	refresh();
}

/* ---- the loop -------------------------------------------------------------- */

static void handle_mouse(app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || a->mode != MODE_LIST)
		return;
	list_view *lv = current(a);
	if (ev.bstate & BUTTON4_PRESSED)
		list_move(lv, -3, list_rows());
	else if (ev.bstate & (BUTTON5_PRESSED))
		list_move(lv, 3, list_rows());
	else if ((ev.bstate & BUTTON1_CLICKED) && ev.y >= 3 && ev.y < 3 + list_rows())
		list_goto(lv, lv->top + ev.y - 3, list_rows());
}

static void key(app *a, bool is_key, wint_t ch)
{
	if (is_key && ch == KEY_RESIZE) {
		/* the form keeps what is typed, and where: only what is in
		 * view follows the new height */
		if (a->mode == MODE_FORM)
			form_keep_in_view(&a->form, body_height());
		list_move(current(a), 0, list_rows());
		return;
	}
	if (!is_key && ch == CTRL_KEY('z')) {
		suspend(a);
		return;
	}
	if (is_key && ch == KEY_MOUSE) {
		handle_mouse(a);
		return;
	}
	if (a->prompt != P_NONE) {
		prompt_key(a, is_key, ch);
		return;
	}
	a->msg[0] = '\0';
	int code = (int)ch;
	if (!is_key && ch == CTRL_KEY('l')) {
		/* redraws the whole screen, and reads every list again */
		clearok(curscr, TRUE);
		char m[sizeof a->msg];
		if (live_changed(&a->live, a->db, m, sizeof m))
			say(a, false, "%s", m);
		reread_all(a);
		return;
	}
	if (a->mode == MODE_FORM) {
		int action = form_key(&a->form, a->db, is_key, ch, body_height());
		if (a->form.note[0])
			say(a, a->form.note_bad, "%s", a->form.note);
		if (action == ACT_SAVE)
			save_form(a);
		else if (action == ACT_CANCEL)
			ask_discard(a);
		else if (action == ACT_FORM_PICK)
			open_picker(a, NULL);
		else if (action == ACT_FORM_EDITOR)
			edit_outside(a);
		else if (action == ACT_FORM_HELP) {
			a->mode = MODE_HELP;
			a->help_ctx = CTX_FORM;
			a->help_top = 0;
		}
		return;
	}
	if (a->mode == MODE_VIEW) {
		view_key(a, is_key, ch);
		return;
	}
	if (a->mode == MODE_HELP) {
		switch (sk_action_for_key(code, CTX_HELP)) {
		case ACT_DOWN: a->help_top++; break;
		case ACT_UP: if (a->help_top) a->help_top--; break;
		case ACT_FIRST: a->help_top = 0; break;
		case ACT_LAST: a->help_top = help_lines(a->help_ctx); break; /* draw clamps it */
		case ACT_PAGE_DOWN: a->help_top += body_height(); break;
		case ACT_PAGE_UP: a->help_top = a->help_top > body_height() ? a->help_top - body_height() : 0; break;
		case ACT_BACK: case ACT_CLOSE_HELP:
			a->mode = a->help_ctx == CTX_FORM && a->form.rec ? MODE_FORM
			          : a->help_ctx == CTX_VIEW && a->pager.open ? MODE_VIEW : MODE_LIST;
			break;
		case ACT_QUIT: a->quit = true; break;
		default: break;
		}
		return;
	}
	if (a->picking && pick_key(a, is_key, ch))
		return;
	/* keys typed as characters are looked up by their code */
	if (!is_key && ch > 0x7f)
		return;
	list_action(a, sk_action_for_key(code, CTX_LIST));
}

static bool setup_terminal(app *a)
{
	const char *cs = nl_langinfo(CODESET);
	tui_text_ascii(a->opt.ascii || !cs || strcmp(cs, "UTF-8") != 0);
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	/* initscr, less its exit on a terminal it cannot use */
	if (!newterm(NULL, stdout, stdin))
		return false;
	def_prog_mode();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	const char *no_color = getenv("NO_COLOR");
	use_colors = !a->opt.no_color && !(no_color && *no_color) && has_colors();
	if (use_colors) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, -1);
		init_pair(2, COLOR_YELLOW, -1);
		init_pair(3, COLOR_GREEN, -1);
		init_pair(4, COLOR_CYAN, -1);
	}
	if (a->opt.mouse)
		mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	return true;
}

/*
 * The letters of a filter that came faster than the list followed them
 * (typed over a slow link while a long list is counted) are all taken
 * before the next draw, so that the list is read for the last of them
 * rather than for each: at most COALESCE_MS without a draw. Only in the
 * filter's prompt, whose keys edit a line and need no rows on screen
 * (other keys act on the rows the last draw read). ncurses reads a key's
 * bytes one at a time, so what it has not taken is still in the
 * terminal's input queue, where poll sees it.
 */
#define COALESCE_MS 100
#define BACKUP_POLL_MS 250

/* Has the terminal hung up or failed (as opposed to a read that timed
 * out)? */
static bool terminal_gone(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static bool keys_waiting(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
}

/* The lists of every screen's tabs, as many as the screen table names;
 * false with a message on standard error when one cannot be made. */
static bool open_lists(app *a)
{
	for (int s = 0; s < tui_nscreens; s++) {
		a->views[s] = calloc((size_t)tui_screens[s].ntabs, sizeof *a->views[s]);
		if (!a->views[s]) {
			fprintf(stderr, "scodesk: out of memory\n");
			return false;
		}
		for (int t = 0; t < tui_screens[s].ntabs; t++)
			if (!list_init(&a->views[s][t], &tui_screens[s].tabs[t])) {
				fprintf(stderr, "scodesk: the %s tab of the %s screen cannot be listed\n",
				        tui_screens[s].tabs[t].title, tui_screens[s].title);
				return false;
			}
	}
	return true;
}

static void free_lists(app *a)
{
	for (int s = 0; s < tui_nscreens; s++) {
		for (int t = 0; a->views[s] && t < tui_screens[s].ntabs; t++)
			list_free(&a->views[s][t]);
		free(a->views[s]);
		a->views[s] = NULL;
	}
}

int sk_tui_run(sk_db *db, const sk_tui_options *opts)
{
	app *a = calloc(1, sizeof *a);
	if (!a) {
		fprintf(stderr, "scodesk: out of memory\n");
		return 1;
	}
	a->db = db;
	a->opt = *opts;
	sk_setting(db, "marking", a->marking, sizeof a->marking);
	sk_setting(db, "office_name", a->office, sizeof a->office);
	if (!open_lists(a)) {
		free_lists(a);
		free(a);
		return 1;
	}
	if (sk_readonly(db))
		say(a, false, "read-only: you can look, nothing can be changed");
	if (opts->notice)
		say(a, true, "%s", opts->notice);
	catch_ending_signals();
	if (a->opt.backup_pid > 0) {
		catch_child_end();
		/* It may have ended before the handler was there. */
		child_ended = 1;
	}
	bool usable = setup_terminal(a);
	if (!usable) {
		fprintf(stderr, "scodesk: curses cannot draw on this terminal (TERM)\n");
		a->quit = true;
	}
	sk_on_wait(db, show_waiting, a);
	sk_on_wait_give_up(db, ending_requested, NULL);
	if (usable)
		offer_draft(a);
	int errors = 0;
	struct timespec drawn = {0, 0};
	live_start(&a->live, db);
	a->live_ms = live_interval();
	clock_gettime(CLOCK_MONOTONIC, &a->live_at);
	bool quiet = false; /* a read that gave up, and nothing changed: no draw */
	while (!a->quit) {
		/* One that came while a key was being handled (a save that
		 * waited for a lock and gave up): now, not after the next key. */
		if (ending_signal) {
			keep_draft(a);
			break;
		}
		pid_t backup = a->opt.backup_pid;
		reap_backup(a);
		if (live_look(a) || a->opt.backup_pid != backup)
			quiet = false;
		if (!quiet && (a->prompt != P_FILTER || !keys_waiting() ||
		               ms_since(&drawn) >= COALESCE_MS)) {
			draw(a);
			clock_gettime(CLOCK_MONOTONIC, &drawn);
		}
		quiet = false;
		wint_t ch;
		/* While the backup's process runs, the read gives up every
		 * BACKUP_POLL_MS to look at it: a SIGCHLD that comes between
		 * reap_backup and the read would otherwise wait for a key. While
		 * the user is idle on a list, it gives up at the next look for
		 * others' changes. */
		int wait = live_wait(a);
		if (a->opt.backup_pid > 0 && (wait < 0 || wait > BACKUP_POLL_MS))
			wait = BACKUP_POLL_MS;
		timeout(wait);
		int r = get_wch(&ch);
		if (ending_signal) {
			keep_draft(a);
			break;
		}
		if (r == ERR && child_ended)
			continue; /* SIGCHLD woke the read, not a failing terminal */
		if (r == ERR && wait >= 0 && !terminal_gone()) {
			/* the read gave up to look at the backup or for others'
			 * changes: drawn again only if one of them says so */
			quiet = true;
			continue;
		}
		if (r == ERR) {
			/* An interrupted read comes back once; a terminal that is
			 * gone keeps failing: then there is nobody left to serve. */
			if (++errors > 100)
				break;
			continue;
		}
		errors = 0;
		key(a, r == KEY_CODE_YES, ch);
	}
	if (usable)
		endwin();
	sk_on_wait(db, NULL, NULL);
	sk_on_wait_give_up(db, NULL, NULL);
	/* A backup still running goes on and finishes on its own (it leads a
	 * session of its own): not waited for. */
	if (a->opt.backup_pid > 0)
		close(a->opt.backup_fd);
	int rc = ending_signal ? 128 + ending_signal : usable ? 0 : 1;
	if (a->picking)
		list_free(&a->pick);
	if (a->form.rec)
		form_close(&a->form);
	sk_record_free(a->draft);
	pager_free(&a->pager);
	leave_related(a);
	free_lists(a);
	for (int i = 0; i < a->nundo; i++)
		free(a->undo[i].ids);
	free(a->pending);
	le_free(&a->pl);
	free(a);
	return rc;
}
