/*
 * screens.h: the screens of the interface, in the order of their keys (1,
 * 2, ...). SK_SCREENS(S, X) calls S(X, id, title, help) for each: id
 * names the screen's action ("roster"), its index (SCREEN_roster) and its
 * tabs (roster_tabs in screens.c); the digit that opens it is its place.
 * The screen switch actions (actions.h), the screen table (screens.c)
 * and the "1-N screens" hint are all made from this one list.
 */
#ifndef SCODESK_TUI_SCREENS_H
#define SCODESK_TUI_SCREENS_H

#define SK_SCREENS(S, X)                                                        \
	S(X, dashboard, "Dashboard", "Dashboard: the alerts")                       \
	S(X, roster, "Roster", "Roster: billets and personnel")                     \
	S(X, training, "Training", "Training: staff courses and students")          \
	S(X, programs, "Programs", "Programs and FMS cases")                        \
	S(X, contacts, "Contacts", "MoD contacts and the engagement log")           \
	S(X, audit, "Audit", "Audit: the history of changes")

enum {
#define AS_SCREEN_INDEX(X, id, title, help) SCREEN_##id,
	SK_SCREENS(AS_SCREEN_INDEX, 0)
#undef AS_SCREEN_INDEX
	SK_NSCREENS
};

/* The digits 1 to 9 open the screens. */
_Static_assert(SK_NSCREENS >= 1 && SK_NSCREENS <= 9, "one to nine screens, one digit each");

#endif
