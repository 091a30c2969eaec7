/*
 * guard.c: the guard against formula injection (see csvio.h).
 *
 * A spreadsheet runs a cell that starts with '=', '+', '-' or '@' as a
 * formula (and some also after a TAB or CR), so a contact's name could
 * carry `=cmd|' /C calc'!A0` up to the combatant command's desktop. The
 * usual fix, a leading quote, is made exactly reversible here: a value
 * that already starts with a quote before one of those characters (or
 * before another quote) gets one more, so that the importer can always
 * take exactly one off and get back what was stored.
 */
#include <string.h>

#include "io.h"

/* The characters that make a spreadsheet evaluate a cell. */
static bool trigger(char c)
{
	return c && strchr("=+-@\t\r", c) != NULL;
}

bool sk_csv_guarded(const char *v)
{
	if (!v)
		return false;
	return trigger(v[0]) || (v[0] == '\'' && (trigger(v[1]) || v[1] == '\''));
}

const char *sk_csv_unguard(const char *w)
{
	if (w && w[0] == '\'' && (trigger(w[1]) || w[1] == '\''))
		return w + 1;
	return w;
}
