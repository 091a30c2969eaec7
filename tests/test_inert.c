/*
 * test_inert.c: the one UTF-8 decoder and the one rule for what reaches a
 * terminal (scodesk/inert.h): every class of unit, every bidirectional
 * control, each kind of placeholder, and normal text left as it is.
 */
/* wcswidth() is XSI. */
#define _XOPEN_SOURCE 700
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "scodesk/inert.h"
#include "testutil.h"

/* ---- the decoder --------------------------------------------------------- */

/* Decodes the first unit of s (n bytes) and checks its length and value. */
static void unit_is(const char *s, size_t n, size_t len, uint32_t cp)
{
	uint32_t got = 0xdeadbeef;
	size_t l = sk_utf8_next(s, n, &got);
	if (l != len || got != cp)
		fail_msg("decoding %02X...: length %zu, unit %X; wanted %zu, %X",
		         (unsigned char)s[0], l, got, len, cp);
}

static void decodes_every_length(void **state)
{
	(void)state;
	unit_is("A", 1, 1, 'A');
	unit_is("\0", 1, 1, 0);
	unit_is("\x7f", 1, 1, 0x7f);
	unit_is("\xc2\x80", 2, 2, 0x80);
	unit_is("\xc2\x9b", 2, 2, 0x9b);
	unit_is("\xdf\xbf", 2, 2, 0x7ff);
	unit_is("\xe0\xa0\x80", 3, 3, 0x800);
	unit_is("\xe2\x80\xae", 3, 3, 0x202e);
	unit_is("\xe6\x9d\xb1", 3, 3, 0x6771);
	unit_is("\xed\x9f\xbf", 3, 3, 0xd7ff);
	unit_is("\xee\x80\x80", 3, 3, 0xe000);
	unit_is("\xef\xbf\xbd", 3, 3, 0xfffd);
	unit_is("\xf0\x90\x80\x80", 4, 4, 0x10000);
	unit_is("\xf0\x9f\x98\x80", 4, 4, 0x1f600);
	unit_is("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);
	/* n past the character does not matter */
	unit_is("\xe2\x80\xae" "x", SIZE_MAX, 3, 0x202e);
}

static void bad_bytes_are_units_of_their_own(void **state)
{
	(void)state;
	/* a raw 0x9B: the 8-bit CSI, not UTF-8 */
	unit_is("\x9b" "31m", 4, 1, SK_NOT_UTF8(0x9b));
	/* every stray continuation byte, and lead bytes that never start one */
	for (unsigned b = 0x80; b <= 0xbf; b++) {
		char s[2] = {(char)b, 'x'};
		unit_is(s, 2, 1, SK_NOT_UTF8(b));
	}
	for (unsigned b = 0xf5; b <= 0xff; b++) {
		char s[4] = {(char)b, '\x80', '\x80', '\x80'};
		unit_is(s, 4, 1, SK_NOT_UTF8(b));
	}
	/* overlong forms */
	unit_is("\xc0\x80", 2, 1, SK_NOT_UTF8(0xc0));
	unit_is("\xc1\xbf", 2, 1, SK_NOT_UTF8(0xc1));
	unit_is("\xe0\x80\x80", 3, 1, SK_NOT_UTF8(0xe0));
	unit_is("\xe0\x9f\xbf", 3, 1, SK_NOT_UTF8(0xe0));
	unit_is("\xf0\x80\x80\x80", 4, 1, SK_NOT_UTF8(0xf0));
	unit_is("\xf0\x8f\xbf\xbf", 4, 1, SK_NOT_UTF8(0xf0));
	/* an overlong ESC (C0 9B would be an overlong CSI) */
	unit_is("\xc0\x9b", 2, 1, SK_NOT_UTF8(0xc0));
	/* surrogates, first and last */
	unit_is("\xed\xa0\x80", 3, 1, SK_NOT_UTF8(0xed));
	unit_is("\xed\xbf\xbf", 3, 1, SK_NOT_UTF8(0xed));
	/* past U+10FFFF */
	unit_is("\xf4\x90\x80\x80", 4, 1, SK_NOT_UTF8(0xf4));
	/* cut short: by the end, by a byte that does not continue it */
	unit_is("\xe2\x80", 2, 1, SK_NOT_UTF8(0xe2));
	unit_is("\xe2\x80\xae", 2, 1, SK_NOT_UTF8(0xe2));
	unit_is("\xe2" "A\xae", 3, 1, SK_NOT_UTF8(0xe2));
	unit_is("\xf0\x9f\x98", 3, 1, SK_NOT_UTF8(0xf0));
}

/* A character cut short by the NUL that ends the string: the decoder
 * stops there (AddressSanitizer sees any read past the allocation). */
static void nothing_past_a_nul_is_read(void **state)
{
	(void)state;
	static const char *cut[] = {"\xe2", "\xe2\x80", "\xf0\x9f\x98", "\xc2"};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		size_t n = strlen(cut[i]) + 1;
		char *s = malloc(n);
		assert_non_null(s);
		memcpy(s, cut[i], n);
		size_t at = 0;
		uint32_t cp = 0;
		while (s[at]) {
			at += sk_utf8_next(s + at, SIZE_MAX, &cp);
			assert_true(cp > 0x10ffff);
		}
		assert_int_equal(at, n - 1);
		free(s);
	}
}

static void check_finds_the_first_bad_byte(void **state)
{
	(void)state;
	assert_int_equal(sk_utf8_check("", 0), -1);
	assert_int_equal(sk_utf8_check("plain \xe6\x9d\xb1 \xf0\x9f\x98\x80", 14), -1);
	/* controls are UTF-8: check is about bytes, not about terminals */
	assert_int_equal(sk_utf8_check("\x1b[2J\xc2\x9b\xe2\x80\xae", 9), -1);
	assert_int_equal(sk_utf8_check("ab\x9b", 3), 2);
	assert_int_equal(sk_utf8_check("\xc3\xa9\xc0\x80", 4), 2);
	assert_int_equal(sk_utf8_check("x\xed\xa0\x80", 4), 1);
	assert_int_equal(sk_utf8_check("\xe6\x9d", 2), 0);
	/* an embedded NUL is a character; n bounds the bytes */
	assert_int_equal(sk_utf8_check("a\0\x9b", 2), -1);
	assert_int_equal(sk_utf8_check("a\0\x9b", 3), 2);
}

/* ---- the classes --------------------------------------------------------- */

static const uint32_t bidi[] = {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c,
                                0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069};

static void every_class(void **state)
{
	(void)state;
	for (uint32_t c = 0; c < 0x20; c++)
		assert_int_equal(sk_inert_class_of(c), SK_CTRL_C0);
	for (uint32_t c = 0x20; c < 0x7f; c++)
		assert_int_equal(sk_inert_class_of(c), SK_TEXT);
	assert_int_equal(sk_inert_class_of(0x7f), SK_CTRL_DEL);
	for (uint32_t c = 0x80; c <= 0x9f; c++)
		assert_int_equal(sk_inert_class_of(c), SK_CTRL_C1);
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++)
		assert_int_equal(sk_inert_class_of(bidi[i]), SK_CTRL_BIDI);
	for (uint32_t b = 0; b <= 0xff; b++)
		assert_int_equal(sk_inert_class_of(SK_NOT_UTF8(b)), SK_BAD_UTF8);
	/* wide characters no bytes could give */
	assert_int_equal(sk_inert_class_of(0xd800), SK_BAD_UTF8);
	assert_int_equal(sk_inert_class_of(0xdfff), SK_BAD_UTF8);
	assert_int_equal(sk_inert_class_of(0x110000 + 0x100), SK_BAD_UTF8);
	assert_int_equal(sk_inert_class_of(0xffffffffu), SK_BAD_UTF8);
	/* the neighbours of the controls are text: NBSP, Arabic, ZWJ, hyphen,
	 * paragraph separator, narrow NBSP, word joiner, the BOM, the
	 * replacement character, the last character */
	static const uint32_t text[] = {0xa0, 0xe9, 0x061b, 0x061d, 0x0627, 0x200d, 0x2010,
	                                0x2029, 0x202f, 0x2060, 0x2065, 0x206a, 0xfeff,
	                                0xfffd, 0x6771, 0x1f600, 0x10ffff};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
		if (sk_inert_class_of(text[i]) != SK_TEXT)
			fail_msg("U+%04X is not taken for text", text[i]);
}

/* ---- the placeholders ---------------------------------------------------- */

/* The placeholder as a UTF-8 string (all ASCII but U+2400.. and U+FFFD). */
static const char *shown(sk_inert_show show, uint32_t cp)
{
	static char buf[64];
	uint32_t out[SK_PLACEHOLDER_MAX];
	size_t k = sk_inert_placeholder(show, cp, out);
	assert_true(k <= SK_PLACEHOLDER_MAX);
	char *o = buf;
	for (size_t i = 0; i < k; i++) {
		uint32_t c = out[i];
		if (c < 0x80) {
			assert_true(c >= 0x20 && c < 0x7f); /* never a control itself */
			*o++ = (char)c;
		} else {
			assert_true(show == SK_SHOW_PICTURE);
			assert_true(c >= 0x800 && c < 0x10000);
			*o++ = (char)(0xe0 | (c >> 12));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return buf;
}

typedef struct placeholder_case {
	sk_inert_show show;
	uint32_t cp;
	const char *want;
} placeholder_case;

static void placeholders_are(const placeholder_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(shown(c[i].show, c[i].cp), c[i].want) != 0)
			fail_msg("U+%04X in output kind %d: \"%s\", wanted \"%s\"", c[i].cp,
			         (int)c[i].show, shown(c[i].show, c[i].cp), c[i].want);
}

static void placeholders_for_the_command_line(void **state)
{
	(void)state;
	static const placeholder_case cases[] = {
		{SK_SHOW_ESCAPE, 'a', ""},
		{SK_SHOW_ESCAPE, 0x6771, ""},
		{SK_SHOW_ESCAPE, '\n', "\\n"},
		{SK_SHOW_ESCAPE, '\r', "\\r"},
		{SK_SHOW_ESCAPE, '\t', "\\t"},
		{SK_SHOW_ESCAPE, 0, "\\x00"},
		{SK_SHOW_ESCAPE, 0x1b, "\\x1B"},
		{SK_SHOW_ESCAPE, 0x07, "\\x07"},
		{SK_SHOW_ESCAPE, 0x7f, "\\x7F"},
		{SK_SHOW_ESCAPE, 0x80, "\\xC2\\x80"},
		{SK_SHOW_ESCAPE, 0x9b, "\\xC2\\x9B"},
		{SK_SHOW_ESCAPE, 0x9f, "\\xC2\\x9F"},
		{SK_SHOW_ESCAPE, SK_NOT_UTF8(0x9b), "\\x9B"},
		{SK_SHOW_ESCAPE, SK_NOT_UTF8(0xed), "\\xED"},
		{SK_SHOW_ESCAPE, 0xd800, "?"},
	};
	placeholders_are(cases, sizeof cases / sizeof cases[0]);
	/* each bidirectional control as its code, in every kind of output */
	char want[16];
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		snprintf(want, sizeof want, "<U+%04X>", (unsigned)bidi[i]);
		for (int show = SK_SHOW_ESCAPE; show <= SK_SHOW_ASCII; show++)
			assert_string_equal(shown((sk_inert_show)show, bidi[i]), want);
	}
	/* every C0 control has one */
	for (uint32_t c = 0; c < 0x20; c++)
		assert_true(strlen(shown(SK_SHOW_ESCAPE, c)) >= 2);
}

static void placeholders_for_the_interface(void **state)
{
	(void)state;
	static const placeholder_case cases[] = {
		{SK_SHOW_PICTURE, 'a', ""},
		{SK_SHOW_PICTURE, 0x1b, "\xe2\x90\x9b"}, /* U+241B */
		{SK_SHOW_PICTURE, 0, "\xe2\x90\x80"},    /* U+2400 */
		{SK_SHOW_PICTURE, '\n', "\xe2\x90\x8a"}, /* U+240A */
		{SK_SHOW_PICTURE, 0x7f, "\xe2\x90\xa1"}, /* U+2421 */
		{SK_SHOW_PICTURE, 0x9b, "\xef\xbf\xbd"},
		{SK_SHOW_PICTURE, SK_NOT_UTF8(0x9b), "\xef\xbf\xbd"},
		{SK_SHOW_PICTURE, 0xdc00, "\xef\xbf\xbd"},
		{SK_SHOW_ASCII, 0x1b, "^["},
		{SK_SHOW_ASCII, 0, "^@"},
		{SK_SHOW_ASCII, 0x1f, "^_"},
		{SK_SHOW_ASCII, 0x7f, "^?"},
		{SK_SHOW_ASCII, 0x9b, "?"},
		{SK_SHOW_ASCII, SK_NOT_UTF8(0x9b), "?"},
	};
	placeholders_are(cases, sizeof cases / sizeof cases[0]);
	for (uint32_t c = 0; c < 0x20; c++) {
		uint32_t out[SK_PLACEHOLDER_MAX];
		assert_int_equal(sk_inert_placeholder(SK_SHOW_PICTURE, c, out), 1);
		assert_int_equal(out[0], 0x2400 + c);
	}
}

/* ---- writing ------------------------------------------------------------- */

/* What sk_inert_write makes of s (n bytes). */
static char *written(const char *s, size_t n, size_t max, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	sk_inert_write(f, s, n, max, flags);
	fclose(f);
	return buf;
}

/* sk_inert_write makes want of s (n bytes). */
static void written_is(const char *s, size_t n, size_t max, unsigned flags, const char *want)
{
	char *got = written(s, n, max, flags);
	assert_string_equal(got, want);
	free(got);
}

static void writing_escapes_every_class(void **state)
{
	(void)state;
	static const char hostile[] = "Ev\x1b[2J\x9b" "x\xc2\x9by\xe2\x80\xaez\xe2\x81\xa6\x07"
	                              "\xed\xa0\x80\xc0\xaf\x7f\xd8\x9c\xe2\x80\x8f" "end";
	written_is(hostile, sizeof hostile - 1, 0, 0,
	           "Ev\\x1B[2J\\x9Bx\\xC2\\x9By<U+202E>z<U+2066>\\x07"
	           "\\xED\\xA0\\x80\\xC0\\xAF\\x7F<U+061C><U+200F>end");
	/* a NUL within the n bytes is shown, not an end */
	written_is("a\0b", 3, 0, 0, "a\\x00b");
	/* backslashes stay: a message already escaped is not escaped again */
	written_is("C:\\x1B \"q\"", 10, 0, 0, "C:\\x1B \"q\"");
	/* a value in quotes */
	written_is("say \"hi\\\"\n", 10, 0, SK_INERT_QUOTES, "say \\\"hi\\\\\\\"\\n");
}

static void writing_cuts_on_character_boundaries(void **state)
{
	(void)state;
	written_is("abcdef", 6, 4, 0, "abcd...");
	written_is("abcd", 4, 4, 0, "abcd");
	/* 東京 are 3 bytes each: at 4 the second one is kept whole */
	written_is("\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 9, 4, 0, "\xe6\x9d\xb1\xe4\xba\xac...");
	written_is("\x1b\x1b\x1b", 3, 2, 0, "\\x1B\\x1B...");
}

/* Normal text of every script goes through byte for byte, and decodes to
 * the code points whose widths the terminal measures. */
static void normal_text_is_left_as_it_is(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int cells;
	} texts[] = {
		{"Smith, John (O-4): 50% \"done\" \\ ~", 33},
		{"\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 6},                         /* 東京都 */
		{"e\xcc\x81" "cole", 5},                                             /* é with a combining mark */
		{"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd", 4},                             /* Иван */
		{"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", 5},                     /* Arabic */
		{"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 4},                             /* Hebrew */
		{"\xf0\x9f\x98\x80 ok", 5},                                          /* emoji */
		{"\xea\xb0\x80\xe3\x81\x8b\xef\xbc\xa1", 6},                         /* 가かＡ */
		{"a\xe2\x80\x8d" "b\xc2\xa0" "c", 4},                                /* ZWJ, NBSP */
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *t = texts[i].s;
		size_t n = strlen(t);
		assert_true(sk_inert_plain(t, n));
		assert_int_equal(sk_utf8_check(t, n), -1);
		char *s = written(t, n, 0, 0);
		assert_string_equal(s, t);
		free(s);
		wchar_t w[64];
		size_t k = 0, at = 0;
		while (at < n) {
			uint32_t cp;
			at += sk_utf8_next(t + at, n - at, &cp);
			w[k++] = (wchar_t)cp;
		}
		w[k] = L'\0';
		assert_int_equal(wcswidth(w, k), texts[i].cells);
	}
	assert_false(sk_inert_plain("a\x1b", 2));
	assert_false(sk_inert_plain("a\xc2\x85", 3));
	assert_false(sk_inert_plain("a\x9b", 2));
	assert_false(sk_inert_plain("a\xe2\x81\xa9", 4));
	assert_false(sk_inert_plain("a\n", 2));
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_every_length),
		cmocka_unit_test(bad_bytes_are_units_of_their_own),
		cmocka_unit_test(nothing_past_a_nul_is_read),
		cmocka_unit_test(check_finds_the_first_bad_byte),
		cmocka_unit_test(every_class),
		cmocka_unit_test(placeholders_for_the_command_line),
		cmocka_unit_test(placeholders_for_the_interface),
		cmocka_unit_test(writing_escapes_every_class),
		cmocka_unit_test(writing_cuts_on_character_boundaries),
		cmocka_unit_test(normal_text_is_left_as_it_is),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
