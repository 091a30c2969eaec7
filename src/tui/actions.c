/*
 * actions.c: the action table, and naming keys for the help screen and
 * the man page.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "actions.h"

const sk_action_def sk_action_defs[] = {
#define AS_DEF(id, name, ctx, help, ...) {ACT_##id, name, ctx, help, {__VA_ARGS__}},
	SK_ACTIONS(AS_DEF)
#undef AS_DEF
};
const size_t sk_naction_defs = sizeof sk_action_defs / sizeof sk_action_defs[0];

sk_action sk_action_for_key(int key, unsigned context)
{
	for (size_t i = 0; i < sk_naction_defs; i++) {
		const sk_action_def *d = &sk_action_defs[i];
		if (!(d->contexts & context))
			continue;
		for (int k = 0; k < 4 && d->keys[k]; k++)
			if (d->keys[k] == key)
				return d->action;
	}
	return ACT_NONE;
}

int sk_action_screen(sk_action action)
{
	switch (action) {
#define AS_CASE(X, id, title, help) case ACT_SCREEN_##id: return SCREEN_##id;
	SK_SCREENS(AS_CASE, 0)
#undef AS_CASE
	default: return -1;
	}
}

void sk_key_name(int key, char *buf, size_t size)
{
	static const struct { int key; const char *name; } names[] = {
		{KEY_DOWN, "Down"}, {KEY_UP, "Up"}, {KEY_LEFT, "Left"}, {KEY_RIGHT, "Right"}, {KEY_NPAGE, "PgDn"},
		{KEY_PPAGE, "PgUp"}, {KEY_HOME, "Home"}, {KEY_END, "End"},
		{KEY_RETURN, "Enter"}, {KEY_NEWLINE, NULL}, {KEY_ENTER, NULL},
		{KEY_TAB, "Tab"}, {KEY_BTAB, "Shift-Tab"}, {KEY_ESCAPE, "Esc"},
		{KEY_DC, "Delete"}, {' ', "Space"}, {KEY_F(1), "F1"}, {KEY_F(2), "F2"}, {KEY_F(4), "F4"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(buf, size, "%s", names[i].name ? names[i].name : "");
			return;
		}
	}
	if (key > 0 && key < 0x20)
		snprintf(buf, size, "Ctrl-%c", key + '@');
	else if (key >= 0x20 && key < 0x7f)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "key %d", key);
}

void sk_action_keys(const sk_action_def *d, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < 4 && d->keys[k]; k++) {
		char name[24];
		sk_key_name(d->keys[k], name, sizeof name);
		if (!name[0])
			continue; /* another code for a key already named */
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}
