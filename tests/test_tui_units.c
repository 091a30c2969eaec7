/*
 * test_tui_units.c: the parts of the interface that need no terminal:
 * the action table and inert, cell-measured text.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "actions.h"
#include "testutil.h"
#include "text.h"
#include "tui.h"

static void every_action_has_a_key_and_help(void **state)
{
	(void)state;
	for (size_t i = 0; i < sk_naction_defs; i++) {
		const sk_action_def *d = &sk_action_defs[i];
		if (!d->keys[0] || !d->help || !d->help[0] || !d->name[0])
			fail_msg("action %s has no key or no help", d->name);
		char keys[96];
		sk_action_keys(d, keys, sizeof keys);
		assert_true(strlen(keys) > 0);
	}
}

static void no_key_is_bound_twice_in_a_context(void **state)
{
	(void)state;
	const unsigned contexts[] = {CTX_LIST, CTX_FORM, CTX_HELP, CTX_VIEW};
	for (size_t c = 0; c < sizeof contexts / sizeof contexts[0]; c++)
		for (size_t i = 0; i < sk_naction_defs; i++)
			for (size_t j = i + 1; j < sk_naction_defs; j++) {
				const sk_action_def *a = &sk_action_defs[i], *b = &sk_action_defs[j];
				if (!(a->contexts & contexts[c]) || !(b->contexts & contexts[c]))
					continue;
				for (int x = 0; x < 4 && a->keys[x]; x++)
					for (int y = 0; y < 4 && b->keys[y]; y++)
						if (a->keys[x] == b->keys[y])
							fail_msg("key %d is both %s and %s", a->keys[x], a->name,
							         b->name);
			}
}

static void keys_find_their_action(void **state)
{
	(void)state;
	assert_int_equal(sk_action_for_key('j', CTX_LIST), ACT_DOWN);
	assert_int_equal(sk_action_for_key('/', CTX_LIST), ACT_SEARCH);
	assert_int_equal(sk_action_for_key('\t', CTX_FORM), ACT_NEXT_FIELD);
	/* typing letters into a form is text, not an action */
	assert_int_equal(sk_action_for_key('j', CTX_FORM), ACT_NONE);
	assert_int_equal(sk_action_for_key('q', CTX_FORM), ACT_NONE);
}

/* tui_inert into UTF-8, for comparing. */
static char *shown(const char *s, int cells, int *used)
{
	wchar_t out[256];
	*used = tui_inert(s, cells, out, 256);
	return tui_wide_to_utf8(out, wcslen(out));
}

static void control_characters_become_placeholders(void **state)
{
	(void)state;
	int used;
	char *s = shown("a\x1b[2Jb\x07\x9b", 40, &used);
	/* ESC -> U+241B, BEL -> U+2407, C1 bytes (not UTF-8) -> U+FFFD */
	assert_string_equal(s, "a\xe2\x90\x9b[2Jb\xe2\x90\x87\xef\xbf\xbd");
	assert_null(strchr(s, 0x1b));
	assert_int_equal(used, 8);
	free(s);
	s = shown("x\xc2\x9b" "31m", 40, &used); /* C1 CSI encoded as UTF-8 */
	assert_string_equal(s, "x\xef\xbf\xbd" "31m");
	free(s);
	s = shown("\x1b]52;c;ZWNobw==\x07", 40, &used);
	assert_null(strchr(s, 0x1b));
	assert_null(strchr(s, 0x07));
	free(s);
	tui_text_ascii(true);
	s = shown("a\x1b" "b\x7f", 40, &used);
	assert_string_equal(s, "a^[b^?");
	free(s);
	tui_text_ascii(false);
}

/* U+202E, U+2066 and the other bidirectional controls show as <U+XXXX>,
 * eight cells, never split by a cut; in ASCII mode too. */
static void bidi_controls_become_placeholders(void **state)
{
	(void)state;
	int used;
	char *s = shown("a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x80\x8f\xd8\x9c", 80, &used);
	assert_string_equal(s, "a<U+202E>b<U+2066>c<U+200F><U+061C>");
	assert_int_equal(used, 35);
	free(s);
	assert_int_equal(tui_cells("a\xe2\x80\xae" "b"), 10);
	/* in 6 cells the placeholder does not fit: cut before it, whole */
	s = shown("ab\xe2\x80\xae" "cd", 6, &used);
	assert_string_equal(s, "ab\xe2\x80\xa6");
	assert_int_equal(used, 3);
	free(s);
	/* the line editor's wide text */
	wchar_t out[64];
	const wchar_t in[] = {L'x', 0x202e, L'y', 0x2069};
	used = tui_inert_wide(in, 4, 40, out, 64);
	s = tui_wide_to_utf8(out, wcslen(out));
	assert_string_equal(s, "x<U+202E>y<U+2069>");
	assert_int_equal(used, 18);
	free(s);
	assert_int_equal(tui_char_cells(0x202e), 8);
	assert_int_equal(tui_char_cells(0x1b), 1);
	assert_int_equal(tui_char_cells(L'a'), 1);
	assert_int_equal(tui_char_cells(0x6771), 2);
	assert_int_equal(tui_char_cells(0x301), 0);
	tui_text_ascii(true);
	s = shown("a\xe2\x80\xae" "b\xe6\x9d\xb1", 40, &used);
	assert_string_equal(s, "a<U+202E>b?");
	free(s);
	tui_text_ascii(false);
}

static void widths_are_display_cells(void **state)
{
	(void)state;
	assert_int_equal(tui_cells("abc"), 3);
	assert_int_equal(tui_cells("\xe6\x9d\xb1\xe4\xba\xac"), 4);         /* 東京 */
	assert_int_equal(tui_cells("e\xcc\x81"), 1);                         /* e + combining acute */
	assert_int_equal(tui_cells("\xf0\x9f\x98\x80"), 2);                  /* emoji */
	assert_int_equal(tui_cells("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7"), 5); /* Arabic */
}

static void cut_text_ends_in_an_ellipsis_and_keeps_characters_whole(void **state)
{
	(void)state;
	int used;
	char *s = shown("abcdefgh", 5, &used);
	assert_string_equal(s, "abcd\xe2\x80\xa6");
	assert_int_equal(used, 5);
	free(s);
	/* 東京都 is 6 cells; in 4 cells: one character and the ellipsis */
	s = shown("\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 4, &used);
	assert_string_equal(s, "\xe6\x9d\xb1\xe2\x80\xa6");
	assert_int_equal(used, 3);
	free(s);
	/* exactly fitting text is not cut */
	s = shown("abcde", 5, &used);
	assert_string_equal(s, "abcde");
	free(s);
	/* a combining mark stays with its letter */
	s = shown("ae\xcc\x81" "bcdef", 3, &used);
	assert_string_equal(s, "ae\xcc\x81\xe2\x80\xa6");
	free(s);
}

static void utf8_round_trip(void **state)
{
	(void)state;
	const char *in = "Smith \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd \xf0\x9f\x98\x80 \xe6\x9d\xb1";
	wchar_t w[64];
	size_t n = tui_utf8_to_wide(in, w, 64);
	char *out = tui_wide_to_utf8(w, n);
	assert_string_equal(in, out);
	free(out);
}

/* ---- wrapping (the record view) ----------------------------------------- */

typedef struct wrapped {
	char *line[16];
	int cells[16];
	int n;
} wrapped;

static void keep_line(void *ctx, const wchar_t *w, size_t n, int cells)
{
	wrapped *out = ctx;
	assert_true(out->n < 16);
	assert_int_equal(w[n], L'\0');
	out->cells[out->n] = cells;
	out->line[out->n++] = tui_wide_to_utf8(w, n);
}

static wrapped wrap(const char *s, int cells)
{
	wrapped out = {0};
	int n = tui_wrap(s, cells, keep_line, &out);
	assert_int_equal(n, out.n);
	return out;
}

static void wrapped_free(wrapped *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->line[i]);
}

static void wrapping_breaks_at_spaces_within_the_cells(void **state)
{
	(void)state;
	wrapped w = wrap("aaa bbb ccc  dddd", 7);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.line[0], "aaa bbb");
	assert_string_equal(w.line[1], "ccc"); /* the spaces at a break go */
	assert_string_equal(w.line[2], "dddd");
	assert_int_equal(w.cells[0], 7);
	wrapped_free(&w);
	/* a word longer than the line is cut between characters */
	w = wrap("abcdefghij", 4);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.line[0], "abcd");
	assert_string_equal(w.line[1], "efgh");
	assert_string_equal(w.line[2], "ij");
	wrapped_free(&w);
	/* what fits stays one line; empty text is one empty line */
	w = wrap("short", 40);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.line[0], "short");
	wrapped_free(&w);
	w = wrap(NULL, 10);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.line[0], "");
	wrapped_free(&w);
}

static void wrapping_counts_wide_characters_as_two_cells(void **state)
{
	(void)state;
	/* six CJK characters, twelve cells, into lines of five: two a line,
	 * never half of one */
	wrapped w = wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5);
	assert_int_equal(w.n, 3);
	for (int i = 0; i < w.n; i++) {
		assert_int_equal(w.cells[i], 4);
		assert_int_equal(tui_cells(w.line[i]), 4);
	}
	assert_string_equal(w.line[0], "\xe6\x97\xa5\xe6\x9c\xac");
	wrapped_free(&w);
	/* a combining mark stays with its letter */
	w = wrap("abce\xcc\x81" "f", 4);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.line[0], "abce\xcc\x81");
	assert_string_equal(w.line[1], "f");
	wrapped_free(&w);
}

static void wrapping_starts_a_line_at_each_line_break(void **state)
{
	(void)state;
	wrapped w = wrap("first line\r\nsecond\nthird", 40);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.line[0], "first line");
	assert_string_equal(w.line[1], "second");
	assert_string_equal(w.line[2], "third");
	wrapped_free(&w);
	/* a blank line stays; a CR alone is a control, shown as one */
	w = wrap("a\r\n\r\nb\rc", 40);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.line[1], "");
	assert_string_equal(w.line[2], "b\xe2\x90\x8d" "c");
	wrapped_free(&w);
}

static void wrapped_text_is_inert(void **state)
{
	(void)state;
	/* ESC and a right-to-left override show as placeholders, and a
	 * placeholder is never split across lines */
	wrapped w = wrap("ab\x1b[2Jcd\xe2\x80\xae" "ef", 10);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.line[0], "ab\xe2\x90\x9b[2Jcd");
	assert_string_equal(w.line[1], "<U+202E>ef");
	for (int i = 0; i < w.n; i++)
		for (const char *p = w.line[i]; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	wrapped_free(&w);
	tui_text_ascii(true);
	w = wrap("x\x1by", 10);
	assert_string_equal(w.line[0], "x^[y");
	wrapped_free(&w);
	tui_text_ascii(false);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_has_a_key_and_help),
		cmocka_unit_test(no_key_is_bound_twice_in_a_context),
		cmocka_unit_test(keys_find_their_action),
		cmocka_unit_test(control_characters_become_placeholders),
		cmocka_unit_test(bidi_controls_become_placeholders),
		cmocka_unit_test(widths_are_display_cells),
		cmocka_unit_test(cut_text_ends_in_an_ellipsis_and_keeps_characters_whole),
		cmocka_unit_test(utf8_round_trip),
		cmocka_unit_test(wrapping_breaks_at_spaces_within_the_cells),
		cmocka_unit_test(wrapping_counts_wide_characters_as_two_cells),
		cmocka_unit_test(wrapping_starts_a_line_at_each_line_break),
		cmocka_unit_test(wrapped_text_is_inert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
