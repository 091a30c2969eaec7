/*
 * text.c: checking and showing the bytes a file brings in.
 */
#include <string.h>

#include "io.h"

long sk_utf8_error(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		int more;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, min = 0x10000;
		else
			return (long)(p - (const unsigned char *)s);
		if (end - p <= more)
			return (long)(p - (const unsigned char *)s);
		unsigned cp = c & (0x3fu >> more);
		for (int i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (long)(p - (const unsigned char *)s);
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not
		 * characters. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (long)(p - (const unsigned char *)s);
		p += more + 1;
	}
	return -1;
}

/* Length of the valid UTF-8 character at p (at most n bytes), or 0. */
static size_t char_len(const char *p, size_t n)
{
	unsigned c = (unsigned char)*p;
	size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (len > n || sk_utf8_error(p, len) >= 0)
		return 0;
	return len;
}

void sk_put_escaped(FILE *f, const char *s, size_t n, size_t max, bool quotes)
{
	size_t i = 0;
	while (i < n) {
		if (max && i >= max) {
			fputs("...", f);
			return;
		}
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (quotes && (c == '"' || c == '\\')) {
			fprintf(f, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\x%02X", c);
		} else if (c >= 0x80) {
			size_t len = char_len(s + i, n - i);
			/* C1 controls (U+0080..U+009F) drive terminals too. */
			if (!len || (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)) {
				fprintf(f, "\\x%02X", c);
			} else {
				fwrite(s + i, 1, len, f);
				i += len;
				continue;
			}
		} else {
			fputc(c, f);
		}
		i++;
	}
}
