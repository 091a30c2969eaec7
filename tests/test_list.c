/*
 * test_list.c: the list engine without a terminal. The screen table is
 * checked against the schema (every column a screen names is there, every
 * screen has its digit); the window logic (scrolling, paging, keeping the
 * cursor, finding a record, searching) is driven through a test source: a
 * few hundred rows in memory behind the same operations the table and
 * alerts sources implement, counting what the engine asks of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "testutil.h"
#include "tui.h"

/* ---- the screen table ---------------------------------------------------- */

static void every_column_a_screen_names_exists(void **state)
{
	(void)state;
	int ntabs = 0;
	for (int i = 0; tui_tab_at(i); i++, ntabs++) {
		const tab_def *def = tui_tab_at(i);
		list_view lv;
		if (!list_init(&lv, def))
			fail_msg("tab %s: its source cannot open it (table %s)", def->title,
			         def->table ? def->table : "-");
		int named = 0;
		bool sort_shown = !def->sort;
		for (int c = 0; def->columns[c]; c++, named++) {
			if (lv.ops->column(&lv, def->columns[c]) < 0)
				fail_msg("tab %s names column %s, which its source has not", def->title,
				         def->columns[c]);
			if (def->sort && strcmp(def->sort, def->columns[c]) == 0)
				sort_shown = true;
		}
		assert_true(named > 0);
		assert_int_equal(lv.ncols, named);
		if (!sort_shown)
			fail_msg("tab %s sorts by %s, which it does not show", def->title, def->sort);
		for (int r = 0; r < TUI_MAX_RELATED && def->related[r].table; r++) {
			const sk_table *child = sk_table_find(def->related[r].table);
			if (!child || !sk_column_find(child, def->related[r].column))
				fail_msg("tab %s relates %s.%s, which is not there", def->title,
				         def->related[r].table, def->related[r].column);
			if (!tui_tab_for(def->related[r].table))
				fail_msg("tab %s relates %s, which no tab lists", def->title,
				         def->related[r].table);
			if (!lv.table)
				fail_msg("tab %s has related records but no table", def->title);
		}
		list_free(&lv);
	}
	int on_screens = 0;
	for (int s = 0; s < tui_nscreens; s++) {
		assert_true(tui_screens[s].ntabs >= 1);
		on_screens += tui_screens[s].ntabs;
	}
	assert_true(ntabs > on_screens); /* and the related-only ones */
}

static void every_screen_has_its_digit(void **state)
{
	(void)state;
	assert_int_equal(tui_nscreens, SK_NSCREENS);
	for (int s = 0; s < tui_nscreens; s++) {
		sk_action act = sk_action_for_key('1' + s, CTX_LIST);
		if (sk_action_screen(act) != s)
			fail_msg("the digit %d does not open screen %s", s + 1, tui_screens[s].title);
	}
	/* the digit after the last opens nothing */
	assert_int_equal(sk_action_screen(sk_action_for_key('1' + tui_nscreens, CTX_LIST)), -1);
	assert_int_equal(sk_action_screen(ACT_DOWN), -1);
}

/* What the real sources allow: the dashboard's rows go to their record,
 * an append-only table is neither added to nor deleted from. */
static void what_each_list_allows(void **state)
{
	(void)state;
	list_view lv;
	assert_true(list_init(&lv, &tui_screens[SCREEN_dashboard].tabs[0]));
	assert_false(list_allows(&lv, LIST_EDIT));
	assert_false(list_allows(&lv, LIST_ADD));
	assert_false(list_allows(&lv, LIST_DELETE));
	assert_false(list_allows(&lv, LIST_MARK));
	assert_null(lv.ops->position); /* a new sort goes to the top */
	assert_string_equal(lv.ops->export_name(&lv), "alerts");
	list_free(&lv);
	assert_true(list_init(&lv, tui_tab_for("audit_log")));
	assert_true(list_allows(&lv, LIST_EDIT | LIST_MARK));
	assert_false(list_allows(&lv, LIST_ADD));
	assert_false(list_allows(&lv, LIST_DELETE));
	list_free(&lv);
	assert_true(list_init(&lv, tui_tab_for("personnel")));
	assert_true(list_allows(&lv, LIST_EDIT | LIST_ADD | LIST_DELETE | LIST_MARK));
	assert_string_equal(lv.ops->export_name(&lv), "personnel");
	assert_int_equal(lv.ops->short_filter, 3);
	list_free(&lv);
}

/* ---- a test source --------------------------------------------------------- */

enum { TC_NAME, TC_ID };

typedef struct test_item {
	int64_t id;
	char name[32];
} test_item;

typedef struct test_source {
	test_item items[1000];
	int n;
	/* what the engine asked */
	int counts, fetches, positions, searches;
	int64_t fetched;           /* rows handed out */
	bool saw_seek, saw_moved;  /* at the last fetch */
	int64_t saw_from, saw_top, saw_old;
} test_source;

static test_source src;

static const char *test_col_names[] = {"name", "id"};

static bool test_open(list_view *lv)
{
	lv->state = &src;
	return true;
}

static unsigned test_allows(const list_view *lv)
{
	(void)lv;
	return LIST_EDIT | LIST_MARK;
}

static int test_column(const list_view *lv, const char *name)
{
	(void)lv;
	for (int c = 0; c < 2; c++)
		if (strcmp(test_col_names[c], name) == 0)
			return c;
	return -1;
}

static const char *test_col_name(const list_view *lv, int col)
{
	(void)lv;
	return test_col_names[col];
}

static int test_col_width(const list_view *lv, int col)
{
	(void)lv;
	return col == TC_NAME ? 12 : 6;
}

static bool test_quick(const list_view *lv, int col)
{
	(void)lv;
	return col == TC_ID;
}

static char *test_cell(const list_view *lv, sk_db *db, const void *item, int col)
{
	(void)lv;
	(void)db;
	const test_item *it = item;
	char buf[32];
	if (col == TC_NAME)
		return strdup(it->name);
	snprintf(buf, sizeof buf, "%lld", (long long)it->id);
	return strdup(buf);
}

static row_mood test_mood(const list_view *lv, const void *item)
{
	(void)lv;
	return ((const test_item *)item)->id % 2 ? MOOD_WARN : MOOD_PLAIN;
}

/* The rows the view shows, in its order: indexes into src.items. */
static int shown(const list_view *lv, int *order)
{
	int n = 0;
	for (int i = 0; i < src.n; i++)
		if (!lv->filter[0] || strstr(src.items[i].name, lv->filter))
			order[n++] = i;
	if (lv->descending)
		for (int i = 0, j = n - 1; i < j; i++, j--) {
			int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	return n;
}

static sk_status test_count(list_view *lv, sk_db *db, int64_t *count, sk_err *err)
{
	(void)db;
	(void)err;
	int order[1000];
	src.counts++;
	*count = shown(lv, order);
	return SK_OK;
}

static sk_status test_fetch(list_view *lv, sk_db *db, int height, row_set *out, sk_err *err)
{
	(void)err;
	int order[1000];
	int n = shown(lv, order);
	src.fetches++;
	src.saw_seek = lv->seek;
	src.saw_moved = lv->rows_moved;
	src.saw_from = lv->rows_from;
	src.saw_top = lv->top;
	src.saw_old = lv->win.n;
	int64_t want = list_want(lv, height);
	for (int64_t i = lv->top; i < lv->top + want && i < n; i++) {
		list_row *r = list_add_row(lv, db, out, &src.items[order[i]]);
		assert_non_null(r);
		r->id = src.items[order[i]].id;
		r->table = "test";
		src.fetched++;
	}
	return SK_OK;
}

static sk_status test_position(list_view *lv, sk_db *db, int64_t id, int64_t *index, sk_err *err)
{
	(void)db;
	int order[1000];
	int n = shown(lv, order);
	src.positions++;
	lv->count = n;
	for (int i = 0; i < n; i++)
		if (src.items[order[i]].id == id) {
			*index = i;
			return SK_OK;
		}
	return sk_fail(err, SK_NOTFOUND, NULL, "no record %lld", (long long)id);
}

/* Forward, it answers with the index; backward, with the id (as the table
 * source does from its index walk), so both ways of placing are used. */
static bool test_search(list_view *lv, sk_db *db, const char *text, int dir, bool from_end,
                        list_hit *hit)
{
	(void)db;
	int order[1000];
	int n = shown(lv, order);
	src.searches++;
	int64_t from = from_end ? (dir > 0 ? 0 : n - 1) : lv->cursor + dir;
	for (int64_t i = from; i >= 0 && i < n; i += dir)
		if (strstr(src.items[order[i]].name, text)) {
			if (dir > 0)
				hit->index = i;
			else
				hit->id = src.items[order[i]].id;
			return true;
		}
	return false;
}

static const list_ops test_ops = {
	.allows = test_allows,
	.short_filter = 0,
	.open = test_open,
	.column = test_column,
	.col_name = test_col_name,
	.col_label = test_col_name,
	.col_width = test_col_width,
	.col_quick_sort = test_quick,
	.cell = test_cell,
	.mood = test_mood,
	.count = test_count,
	.fetch = test_fetch,
	.position = test_position,
	.search = test_search,
};

static const char *const test_columns[] = {"name", "id", NULL};
static const tab_def test_tab = {.title = "Test", .source = &test_ops, .columns = test_columns};

#define H 10 /* rows on screen */

/* n rows, ids 1..n, named "row 0001" ...; the view opened and drawn once. */
static void open_test(list_view *lv, int n)
{
	memset(&src, 0, sizeof src);
	src.n = n;
	for (int i = 0; i < n; i++) {
		src.items[i].id = i + 1;
		snprintf(src.items[i].name, sizeof src.items[i].name, "row %04d", i + 1);
	}
	assert_true(list_init(lv, &test_tab));
	assert_int_equal(lv->ncols, 2);
	assert_int_equal(list_refresh(lv, NULL, H, NULL), SK_OK);
}

/* The window holds the rows [top, top + H) of the list, ids in order. */
static void assert_window(const list_view *lv, int64_t top)
{
	assert_int_equal(lv->top, top);
	assert_int_equal(lv->rows_from, top);
	int64_t want = lv->count - top < H ? lv->count - top : H;
	assert_int_equal(lv->win.n, want);
	for (int i = 0; i < lv->win.n; i++)
		assert_int_equal(lv->win.rows[i].id, top + i + 1);
}

static void opening_counts_once_and_reads_one_window(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	assert_int_equal(src.counts, 1);
	assert_int_equal(src.fetches, 1);
	assert_int_equal(src.fetched, H);
	assert_int_equal(lv.count, 500);
	assert_int_equal(lv.unfiltered, 500);
	assert_window(&lv, 0);
	/* cells and mood come from the source's operations */
	assert_string_equal(lv.win.rows[0].cells[0], "row 0001");
	assert_string_equal(lv.win.rows[0].cells[1], "1");
	assert_int_equal(lv.win.rows[0].mood, MOOD_WARN);
	assert_int_equal(lv.win.rows[1].mood, MOOD_PLAIN);
	assert_string_equal(lv.win.rows[0].table, "test");
	assert_int_equal(list_current(&lv)->id, 1);
	/* drawn again without a change: nothing asked */
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.counts + src.fetches, 2);
	list_free(&lv);
}

static void moving_within_the_window_reads_nothing(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	for (int i = 0; i < H - 1; i++) {
		list_move(&lv, 1, H);
		assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	}
	assert_int_equal(lv.cursor, H - 1);
	assert_int_equal(list_current(&lv)->id, H);
	assert_int_equal(src.fetches, 1);
	assert_window(&lv, 0);
	list_free(&lv);
}

static void moving_past_the_edge_scrolls_by_one_from_the_window(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	list_goto(&lv, H - 1, H);
	list_move(&lv, 1, H);
	assert_int_equal(lv.cursor, H);
	assert_int_equal(lv.top, 1);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.fetches, 2);
	assert_int_equal(src.counts, 1);
	/* the source was offered the window on screen to read on from */
	assert_int_equal(src.saw_from, 0);
	assert_int_equal(src.saw_old, H);
	assert_int_equal(src.saw_top, 1);
	assert_false(src.saw_seek);
	assert_window(&lv, 1);
	assert_int_equal(list_current(&lv)->id, H + 1);
	/* and back up past the top edge */
	list_goto(&lv, 1, H);
	list_move(&lv, -1, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_window(&lv, 0);
	list_free(&lv);
}

static void paging_and_the_ends(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	list_goto(&lv, H - 1, H); /* the last row on screen */
	list_move(&lv, H, H);     /* page down */
	assert_int_equal(lv.cursor, 2 * H - 1);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_window(&lv, H);
	list_move(&lv, -H, H); /* page up */
	assert_int_equal(lv.cursor, H - 1);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_window(&lv, H - 1);
	list_goto(&lv, lv.count - 1, H); /* G: the last page, full */
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_window(&lv, 500 - H);
	assert_int_equal(list_current(&lv)->id, 500);
	list_move(&lv, 1, H); /* past the end: stays */
	assert_int_equal(lv.cursor, 499);
	list_move(&lv, 1000, H);
	assert_int_equal(lv.cursor, 499);
	list_goto(&lv, 0, H); /* g */
	list_move(&lv, -1, H);
	assert_int_equal(lv.cursor, 0);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_window(&lv, 0);
	assert_int_equal(src.counts, 1);
	list_free(&lv);
}

static void a_short_list_and_an_empty_one(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 3);
	assert_window(&lv, 0);
	list_move(&lv, H, H);
	assert_int_equal(lv.cursor, 2);
	assert_int_equal(lv.top, 0);
	list_free(&lv);

	open_test(&lv, 0);
	assert_int_equal(lv.count, 0);
	assert_int_equal(src.fetches, 0); /* nothing to read */
	assert_null(list_current(&lv));
	list_move(&lv, 1, H);
	assert_int_equal(lv.cursor, 0);
	assert_false(list_search(&lv, NULL, "row", 1, H));
	assert_int_equal(src.searches, 0);
	list_free(&lv);
}

static void finding_a_record_opens_the_window_at_it(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	assert_int_equal(list_find_id(&lv, NULL, 250, H, NULL), SK_OK);
	assert_int_equal(lv.cursor, 249);
	assert_int_equal(lv.top, 249);
	int counts = src.counts;
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.counts, counts); /* position made the count current */
	assert_true(src.saw_seek);            /* read from the record itself */
	assert_int_equal(lv.seek_id, 250);
	assert_false(lv.seek);
	assert_window(&lv, 249);
	assert_int_equal(list_current(&lv)->id, 250);
	/* near the end the window is the last page, the cursor on the record */
	assert_int_equal(list_find_id(&lv, NULL, 497, H, NULL), SK_OK);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_false(src.saw_seek);
	assert_window(&lv, 500 - H);
	assert_int_equal(list_current(&lv)->id, 497);
	/* a record that is not there */
	sk_err err;
	assert_int_equal(list_find_id(&lv, NULL, 9999, H, &err), SK_NOTFOUND);
	assert_int_equal(list_current(&lv)->id, 497);
	list_free(&lv);
}

static void finding_a_record_the_filter_hides_clears_the_filter(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	snprintf(lv.filter, sizeof lv.filter, "row 01");
	list_invalidate(&lv);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(lv.count, 100);       /* rows 0100 to 0199 */
	assert_int_equal(lv.unfiltered, 500);  /* as last seen */
	assert_int_equal(list_find_id(&lv, NULL, 150, H, NULL), SK_OK);
	assert_string_equal(lv.filter, "row 01"); /* shown: the filter stays */
	assert_int_equal(lv.cursor, 50);
	assert_int_equal(list_find_id(&lv, NULL, 300, H, NULL), SK_OK);
	assert_string_equal(lv.filter, "");
	assert_int_equal(lv.count, 500);
	assert_int_equal(lv.cursor, 299);
	list_free(&lv);
}

static void a_change_of_data_keeps_the_place(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	list_goto(&lv, 300, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	int64_t top = lv.top;
	list_data_changed(&lv);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.counts, 2);
	assert_true(src.saw_moved); /* told to read from the same first row */
	assert_int_equal(lv.top, top);
	assert_int_equal(lv.cursor, 300);
	assert_window(&lv, top);
	/* the rows under the cursor went away: it stays on the last one */
	src.n = 200;
	list_data_changed(&lv);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(lv.count, 200);
	assert_int_equal(lv.cursor, 199);
	assert_window(&lv, 200 - H);
	list_free(&lv);
}

static void a_new_order_reads_rows_but_does_not_count(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 50);
	lv.descending = true;
	list_reordered(&lv);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.counts, 1);
	assert_int_equal(src.fetches, 2);
	assert_false(src.saw_moved);
	assert_int_equal(lv.win.rows[0].id, 50);
	/* a new filter counts again and starts at the top */
	snprintf(lv.filter, sizeof lv.filter, "row 004");
	list_invalidate(&lv);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(src.counts, 2);
	assert_int_equal(lv.count, 10);
	assert_int_equal(lv.win.rows[0].id, 49);
	list_free(&lv);
}

static void search_moves_to_the_next_match_either_way(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	assert_int_equal(list_search(&lv, NULL, "row 03", 1, H), LIST_FOUND);
	assert_int_equal(lv.cursor, 299);   /* "row 0300" */
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(list_current(&lv)->id, 300);
	assert_int_equal(list_search(&lv, NULL, "row 03", 1, H), LIST_FOUND);
	assert_int_equal(lv.cursor, 300);
	/* backward, placed by id */
	assert_int_equal(list_search(&lv, NULL, "row 0007", -1, H), LIST_FOUND);
	assert_int_equal(lv.cursor, 6);
	assert_int_equal(src.positions, 1);
	/* none before it: from the bottom, back to itself, wrapped */
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK); /* drawn */
	src.searches = 0;
	assert_int_equal(list_search(&lv, NULL, "row 0007", -1, H), LIST_WRAPPED);
	assert_int_equal(lv.cursor, 6);
	assert_int_equal(src.searches, 2);
	assert_int_equal(src.positions, 1); /* on it already: not placed again */
	/* backward past the top to the last match from the bottom */
	assert_int_equal(list_search(&lv, NULL, "row 04", -1, H), LIST_WRAPPED);
	assert_int_equal(lv.cursor, 498);   /* "row 0499" */
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(list_current(&lv)->id, 499);
	/* forward past the end to the first match from the top */
	assert_int_equal(list_search(&lv, NULL, "row 0007", 1, H), LIST_WRAPPED);
	assert_int_equal(lv.cursor, 6);
	/* no match anywhere: the cursor stays */
	assert_int_equal(list_search(&lv, NULL, "nowhere", 1, H), LIST_NOT_FOUND);
	assert_int_equal(list_search(&lv, NULL, "nowhere", -1, H), LIST_NOT_FOUND);
	assert_int_equal(lv.cursor, 6);
	assert_int_equal(list_search(&lv, NULL, "", 1, H), LIST_NOT_FOUND);
	list_free(&lv);
}

static void marks_and_what_the_list_allows(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 20);
	assert_true(list_allows(&lv, LIST_EDIT | LIST_MARK));
	assert_false(list_allows(&lv, LIST_DELETE));
	assert_false(list_allows(&lv, LIST_EDIT | LIST_ADD));
	list_toggle_mark(&lv, 3);
	list_toggle_mark(&lv, 5);
	assert_true(list_is_marked(&lv, 3));
	assert_int_equal(lv.nmarked, 2);
	list_toggle_mark(&lv, 3);
	assert_false(list_is_marked(&lv, 3));
	assert_true(list_is_marked(&lv, 5));
	assert_string_equal(list_col_name(&lv, 0), "name");
	assert_true(list_col_quick_sort(&lv, 1));
	assert_false(list_col_quick_sort(&lv, 0));
	list_free(&lv);
}

/* Widths follow the rows on screen: measured when a window is fetched,
 * kept (grown) while it moves by less than itself, measured afresh after
 * a jump; text cut at its cap gets the spare width; the first column
 * stays while the others scroll to the current one. */
static void widths_follow_the_window(void **state)
{
	(void)state;
	list_view lv;
	open_test(&lv, 500);
	snprintf(src.items[14].name, sizeof src.items[14].name, "a much longer name 15");
	int w[LIST_MAX_COLS];
	list_layout(&lv, 80, w);
	assert_int_equal(w[0], 8);  /* "row 0001" */
	assert_int_equal(w[1], 2);  /* "id", "10" */
	assert_int_equal(lv.cfirst, 1);
	assert_int_equal(lv.clast, 2);
	/* down to row 15: the window moves by a few rows and meets the long name */
	list_goto(&lv, 14, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	list_layout(&lv, 80, w);
	assert_int_equal(w[0], 21); /* past its cap of 12: spare width, all of it */
	/* a narrow line: cut to the cap, then what is left over */
	list_layout(&lv, 16, w);
	assert_int_equal(w[0] + 1 + w[1], 15);
	assert_true(w[0] < 21 && w[1] == 2);
	/* a row further down: the long name has left, the width stays */
	list_goto(&lv, 20, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	list_goto(&lv, 24, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	assert_int_equal(lv.top, 15);
	list_layout(&lv, 80, w);
	assert_int_equal(w[0], 21);
	/* a jump: measured afresh */
	list_goto(&lv, 300, H);
	assert_int_equal(list_refresh(&lv, NULL, H, NULL), SK_OK);
	list_layout(&lv, 80, w);
	assert_int_equal(w[0], 8);
	assert_int_equal(w[1], 3);
	/* _ widens the current column past its cap, - hides it, + shows it */
	assert_true(list_col_move(&lv, 1));
	assert_false(list_col_move(&lv, 1));
	assert_int_equal(lv.ccol, 1);
	const char *why = NULL;
	assert_true(list_col_hide(&lv, &why));
	list_layout(&lv, 80, w);
	assert_int_equal(w[1], 0);
	assert_int_equal(list_cols_hidden(&lv), 1);
	assert_false(list_col_hide(&lv, &why)); /* the last one shown stays */
	assert_non_null(why);
	assert_int_equal(list_col_show_all(&lv), 1);
	assert_int_equal(lv.ccol, 1);
	list_layout(&lv, 80, w);
	assert_int_equal(w[1], 3);
	list_free(&lv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_column_a_screen_names_exists),
		cmocka_unit_test(every_screen_has_its_digit),
		cmocka_unit_test(what_each_list_allows),
		cmocka_unit_test(opening_counts_once_and_reads_one_window),
		cmocka_unit_test(moving_within_the_window_reads_nothing),
		cmocka_unit_test(moving_past_the_edge_scrolls_by_one_from_the_window),
		cmocka_unit_test(paging_and_the_ends),
		cmocka_unit_test(a_short_list_and_an_empty_one),
		cmocka_unit_test(finding_a_record_opens_the_window_at_it),
		cmocka_unit_test(finding_a_record_the_filter_hides_clears_the_filter),
		cmocka_unit_test(a_change_of_data_keeps_the_place),
		cmocka_unit_test(a_new_order_reads_rows_but_does_not_count),
		cmocka_unit_test(search_moves_to_the_next_match_either_way),
		cmocka_unit_test(marks_and_what_the_list_allows),
		cmocka_unit_test(widths_follow_the_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
