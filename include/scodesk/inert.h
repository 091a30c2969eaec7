/*
 * inert.h: text from the database, a file or a file name, made safe to
 * put on a terminal. The one UTF-8 decoder of scodesk and the one rule for
 * what may not reach a terminal as it stands, used by the interface, the
 * command line and the CSV messages alike.
 *
 * What never reaches the terminal as it stands (sk_inert_class):
 *   - C0 controls U+0000..U+001F (ESC starts every escape sequence) and
 *     DEL U+007F;
 *   - C1 controls U+0080..U+009F (U+009B, bytes C2 9B, is an 8-bit CSI);
 *   - the bidirectional controls U+061C, U+200E, U+200F, U+202A..U+202E and
 *     U+2066..U+2069, which reorder what a terminal that honours them
 *     shows (a file name that reads backwards);
 *   - every byte that is not part of well-formed UTF-8: a lone 0x9B (the
 *     8-bit CSI of terminals that take 8-bit controls), stray continuation
 *     bytes, overlong forms, surrogates, values past U+10FFFF, a character
 *     cut short. Each such byte is one unit of its own.
 *
 * What shows in its place, one rule per kind of output (sk_inert_show):
 *   - the command line and every message (SK_SHOW_ESCAPE): \n, \r and \t
 *     for those three, \xNN (hexadecimal, upper case) for any other C0
 *     control and DEL, and for each byte of a C1 control or of bytes that
 *     are not UTF-8: U+009B is \xC2\x9B, a lone 0x9B byte \x9B;
 *   - the interface (SK_SHOW_PICTURE): the control picture U+2400 + c for
 *     a C0 control (U+241B for ESC), U+2421 for DEL, U+FFFD for a C1
 *     control or a byte that is not UTF-8;
 *   - the interface with --ascii or a locale that is not UTF-8
 *     (SK_SHOW_ASCII): ^@ .. ^_ for a C0 control, ^? for DEL, ? for a C1
 *     control or a byte that is not UTF-8;
 *   - in all three, a bidirectional control as <U+XXXX> (<U+202E>).
 * A backslash in the text stays as it is (no message is escaped twice);
 * where a value stands between quotes the caller may ask for \" and \\.
 */
#ifndef SCODESK_INERT_H
#define SCODESK_INERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A byte that is not UTF-8, as a unit: past every code point, carrying
 * the byte. */
#define SK_NOT_UTF8(byte) (0x110000u + (uint32_t)(unsigned char)(byte))

/*
 * Decodes the unit at s, of which n bytes may be read (n > 0): returns
 * its length (1 to 4) with the code point in *cp, or 1 with
 * SK_NOT_UTF8(s[0]) in *cp when s[0] does not start a well-formed
 * character. A NUL byte is never read as part of a longer character, so
 * that a NUL-terminated string may be decoded with n = SIZE_MAX.
 */
size_t sk_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Offset of the first byte of s[0..n) that is not well-formed UTF-8, or
 * -1 when all of it is. */
long sk_utf8_check(const char *s, size_t n);

typedef enum sk_inert_class {
	SK_TEXT = 0,    /* shown as it stands */
	SK_CTRL_C0,     /* U+0000..U+001F */
	SK_CTRL_DEL,    /* U+007F */
	SK_CTRL_C1,     /* U+0080..U+009F */
	SK_CTRL_BIDI,   /* a bidirectional control */
	SK_BAD_UTF8,    /* SK_NOT_UTF8(b), a surrogate, or past U+10FFFF */
} sk_inert_class;

/* What a unit from sk_utf8_next (or a wide character) is. */
sk_inert_class sk_inert_class_of(uint32_t cp);

typedef enum sk_inert_show {
	SK_SHOW_ESCAPE,  /* the command line and messages */
	SK_SHOW_PICTURE, /* the interface */
	SK_SHOW_ASCII,   /* the interface, ASCII only */
} sk_inert_show;

/* The longest placeholder, in code points (\xC2\x9B, <U+202E>). */
#define SK_PLACEHOLDER_MAX 8

/*
 * The placeholder for the unit cp in the given kind of output: its code
 * points in out (each one display cell wide; all ASCII but in
 * SK_SHOW_PICTURE), and how many; 0 when cp is shown as it stands.
 */
size_t sk_inert_placeholder(sk_inert_show show, uint32_t cp,
                            uint32_t out[SK_PLACEHOLDER_MAX]);

/* Flags for sk_inert_write. */
enum {
	SK_INERT_QUOTES = 1 << 0, /* also " and \ as \" and \\ (a value in quotes) */
};

/*
 * Writes s (n bytes) to f with every unit that may not reach a terminal
 * replaced by its SK_SHOW_ESCAPE placeholder. max > 0: stops before the
 * first unit that starts at or past byte max and writes "..." instead
 * (never in the middle of a character).
 */
void sk_inert_write(FILE *f, const char *s, size_t n, size_t max, unsigned flags);

/* The same for a NUL-terminated string (NULL writes nothing), uncut. */
void sk_inert_puts(FILE *f, const char *s);

/* True when s (n bytes) would be shown exactly as it stands. */
bool sk_inert_plain(const char *s, size_t n);

#endif
