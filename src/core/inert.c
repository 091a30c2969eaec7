/*
 * inert.c: decoding UTF-8 and making text safe for a terminal (see
 * scodesk/inert.h for the rule).
 */
#include <string.h>

#include "scodesk/inert.h"

size_t sk_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (n == 0)
		return 0;
	uint32_t c = p[0];
	size_t more;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		more = 1, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		more = 2, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		more = 3, min = 0x10000, c &= 0x07;
	} else {
		goto bad;
	}
	if (n <= more)
		goto bad;
	/* Each byte is looked at only once the one before it has been found
	 * to belong: a NUL ends the character, and nothing past it is read. */
	for (size_t i = 1; i <= more; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not
	 * characters. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return more + 1;
bad:
	*cp = SK_NOT_UTF8(p[0]);
	return 1;
}

long sk_utf8_check(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = sk_utf8_next(s + i, n - i, &cp);
		if (cp > 0x10ffff)
			return (long)i;
		i += len;
	}
	return -1;
}

sk_inert_class sk_inert_class_of(uint32_t cp)
{
	if (cp < 0x20)
		return SK_CTRL_C0;
	if (cp < 0x7f)
		return SK_TEXT;
	if (cp == 0x7f)
		return SK_CTRL_DEL;
	if (cp <= 0x9f)
		return SK_CTRL_C1;
	if (cp < 0x61c)
		return SK_TEXT;
	if (cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return SK_CTRL_BIDI;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return SK_BAD_UTF8;
	return SK_TEXT;
}

static const char hex[] = "0123456789ABCDEF";

/* Appends ASCII text to a placeholder. */
static size_t add(uint32_t out[SK_PLACEHOLDER_MAX], size_t k, const char *s)
{
	while (*s && k < SK_PLACEHOLDER_MAX)
		out[k++] = (unsigned char)*s++;
	return k;
}

/* Appends \xNN. */
static size_t add_byte(uint32_t out[SK_PLACEHOLDER_MAX], size_t k, unsigned b)
{
	char e[5] = {'\\', 'x', hex[(b >> 4) & 0xf], hex[b & 0xf], '\0'};
	return add(out, k, e);
}

size_t sk_inert_placeholder(sk_inert_show show, uint32_t cp,
                            uint32_t out[SK_PLACEHOLDER_MAX])
{
	switch (sk_inert_class_of(cp)) {
	case SK_TEXT:
		return 0;
	case SK_CTRL_BIDI: {
		char u[SK_PLACEHOLDER_MAX + 1] = {'<', 'U', '+', hex[(cp >> 12) & 0xf],
		                                  hex[(cp >> 8) & 0xf], hex[(cp >> 4) & 0xf],
		                                  hex[cp & 0xf], '>', '\0'};
		return add(out, 0, u);
	}
	case SK_CTRL_C0:
	case SK_CTRL_DEL:
		if (show == SK_SHOW_PICTURE) {
			out[0] = cp == 0x7f ? 0x2421 : 0x2400 + cp;
			return 1;
		}
		if (show == SK_SHOW_ASCII) {
			char c[3] = {'^', cp == 0x7f ? '?' : (char)(cp + '@'), '\0'};
			return add(out, 0, c);
		}
		if (cp == '\n')
			return add(out, 0, "\\n");
		if (cp == '\r')
			return add(out, 0, "\\r");
		if (cp == '\t')
			return add(out, 0, "\\t");
		return add_byte(out, 0, cp);
	case SK_CTRL_C1:
		if (show == SK_SHOW_PICTURE) {
			out[0] = 0xfffd;
			return 1;
		}
		if (show == SK_SHOW_ASCII)
			return add(out, 0, "?");
		return add_byte(out, add_byte(out, 0, 0xc2), cp); /* its two bytes */
	case SK_BAD_UTF8:
		if (show == SK_SHOW_PICTURE) {
			out[0] = 0xfffd;
			return 1;
		}
		if (show == SK_SHOW_ASCII || cp < SK_NOT_UTF8(0) || cp > SK_NOT_UTF8(0xff))
			return add(out, 0, "?"); /* a wide character no bytes gave */
		return add_byte(out, 0, cp - SK_NOT_UTF8(0));
	}
	return 0;
}

void sk_inert_write(FILE *f, const char *s, size_t n, size_t max, unsigned flags)
{
	size_t i = 0, run = 0; /* s[run..i) is waiting to be written as it is */
	while (i < n) {
		if (max && i >= max) {
			fwrite(s + run, 1, i - run, f);
			fputs("...", f);
			return;
		}
		uint32_t cp, rep[SK_PLACEHOLDER_MAX];
		size_t len = sk_utf8_next(s + i, n - i, &cp);
		size_t k = sk_inert_placeholder(SK_SHOW_ESCAPE, cp, rep);
		if (!k && (flags & SK_INERT_QUOTES) && (cp == '"' || cp == '\\')) {
			rep[0] = '\\';
			rep[1] = cp;
			k = 2;
		}
		if (k) {
			fwrite(s + run, 1, i - run, f);
			for (size_t j = 0; j < k; j++)
				fputc((int)rep[j], f);
			run = i + len;
		}
		i += len;
	}
	fwrite(s + run, 1, i - run, f);
}

void sk_inert_puts(FILE *f, const char *s)
{
	if (s)
		sk_inert_write(f, s, strlen(s), 0, 0);
}

bool sk_inert_plain(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		i += sk_utf8_next(s + i, n - i, &cp);
		if (sk_inert_class_of(cp) != SK_TEXT)
			return false;
	}
	return true;
}
