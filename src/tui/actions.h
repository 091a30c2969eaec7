/*
 * actions.h: every key of the interface as a named action.
 *
 * One table (SK_ACTIONS below) gives each action its name, the contexts
 * where it works, its keys and its help text. Key handling, the '?' help
 * screen and the KEYS section of the man page ("scodesk keys") are all
 * made from it.
 */
#ifndef SCODESK_TUI_ACTIONS_H
#define SCODESK_TUI_ACTIONS_H

#include <stddef.h>

#include "screens.h"

/* Where an action works. */
enum {
	CTX_LIST = 1 << 0,  /* a list screen */
	CTX_FORM = 1 << 1,  /* the record form */
	CTX_HELP = 1 << 2,  /* the help screen */
	CTX_VIEW = 1 << 3,  /* the record view ('v') */
	CTX_ALL = CTX_LIST | CTX_FORM | CTX_HELP | CTX_VIEW,
};

#define CTRL_KEY(c) ((c) & 0x1f)
#define KEY_ESCAPE 27
#define KEY_TAB '\t'
#define KEY_RETURN '\r'
#define KEY_NEWLINE '\n'

/* A screen's switch action: its name and help from screens.h, its digit
 * its place there. */
#define AS_SCREEN_ACTION(ACTION, id, title, help) \
	ACTION(SCREEN_##id, #id, CTX_LIST, help, '1' + SCREEN_##id, 0, 0, 0)

/*
 * ACTION(id, name, contexts, help, keys...) — keys are curses key codes;
 * at most 4. The order is the order of the help screen.
 */
#define SK_ACTIONS(ACTION)                                                                      \
	ACTION(DOWN, "down", CTX_LIST | CTX_HELP, "Move down", KEY_DOWN, 'j', 0, 0)                   \
	ACTION(UP, "up", CTX_LIST | CTX_HELP, "Move up", KEY_UP, 'k', 0, 0)                           \
	ACTION(PAGE_DOWN, "page-down", CTX_LIST | CTX_HELP, "Page down", KEY_NPAGE, ' ', 0, 0)        \
	ACTION(PAGE_UP, "page-up", CTX_LIST | CTX_HELP, "Page up", KEY_PPAGE, 0, 0, 0)                \
	ACTION(FIRST, "first", CTX_LIST | CTX_HELP, "First row", 'g', KEY_HOME, 0, 0)                 \
	ACTION(LAST, "last", CTX_LIST | CTX_HELP, "Last row", 'G', KEY_END, 0, 0)                     \
	ACTION(EDIT, "edit", CTX_LIST, "Open the record to edit (dashboard: go to it)",              \
	       KEY_RETURN, KEY_NEWLINE, 'e', KEY_ENTER)                                               \
	ACTION(RELATED, "related", CTX_LIST,                                                          \
	       "Open related records (a person's languages and training, a contact's log, a case's EUM items and checks)", 'o', 0, 0, 0) \
	ACTION(ADD, "add", CTX_LIST, "Add a record", 'a', 0, 0, 0)                                     \
	ACTION(DELETE, "delete", CTX_LIST, "Delete the marked records, or the current one", 'd', KEY_DC, 0, 0) \
	ACTION(UNDO, "undo", CTX_LIST, "Undo the last delete", 'u', 0, 0, 0)                           \
	ACTION(QUICK, "quick", CTX_LIST,                                                              \
	       "No form: an engagement's or EUM check's follow-up done, or not again; a student to the next status", \
	       't', 0, 0, 0)                                                                           \
	ACTION(MARK, "mark", CTX_LIST, "Mark or unmark the current row", 'm', 0, 0, 0)                 \
	ACTION(SEARCH, "search", CTX_LIST, "Search forward (past the last row, on from the top)",      \
	       '/', 0, 0, 0)                                                                           \
	ACTION(NEXT, "next", CTX_LIST, "Next match (wraps to the top, and says so)", 'n', 0, 0, 0)     \
	ACTION(PREV, "previous", CTX_LIST, "Previous match (wraps to the bottom, and says so)",        \
	       'N', 0, 0, 0)                                                                           \
	ACTION(FILTER, "filter", CTX_LIST,                                                             \
	       "Edit the filter (narrows as you type; Esc: as it was)",                                \
	       '\\', 'f', 0, 0)                                                                         \
	ACTION(SORT_PREV, "sort-left", CTX_LIST, "Sort by the column to the left", '<', 0, 0, 0)       \
	ACTION(SORT_NEXT, "sort-right", CTX_LIST, "Sort by the column to the right", '>', 0, 0, 0)     \
	ACTION(REVERSE, "reverse", CTX_LIST, "Reverse the sort", 'r', 0, 0, 0)                         \
	ACTION(EXPORT, "export", CTX_LIST, "Export the list as shown (its columns, names, filter, sort) to a CSV file", \
	       'x', 0, 0, 0)                                                                            \
	ACTION(COMMAND, "command", CTX_LIST, "Commands: :q :sort :filter :N :report :check-items", ':', 0, 0, 0) \
	ACTION(TAB_PREV, "tab-left", CTX_LIST, "Previous tab of this screen", '[', 0, 0, 0)            \
	ACTION(TAB_NEXT, "tab-right", CTX_LIST, "Next tab of this screen", ']', 0, 0, 0)               \
	ACTION(SCREEN_NEXT, "next-screen", CTX_LIST, "Next screen", KEY_TAB, 0, 0, 0)                  \
	ACTION(SCREEN_PREV, "previous-screen", CTX_LIST, "Previous screen", KEY_BTAB, 0, 0, 0)         \
	SK_SCREENS(AS_SCREEN_ACTION, ACTION)                                                           \
	ACTION(NEXT_FIELD, "next-field", CTX_FORM, "Next field", KEY_DOWN, KEY_TAB, 0, 0)              \
	ACTION(PREV_FIELD, "previous-field", CTX_FORM, "Previous field", KEY_UP, KEY_BTAB, 0, 0)       \
	ACTION(CHOICE_NEXT, "next-choice", CTX_FORM, "Next value of a choice field (or Space)",        \
	       KEY_RIGHT, 0, 0, 0)                                                                      \
	ACTION(CHOICE_PREV, "previous-choice", CTX_FORM, "Previous value of a choice field",           \
	       KEY_LEFT, 0, 0, 0)                                                                       \
	ACTION(SAVE, "save", CTX_FORM, "Save the record", KEY_RETURN, KEY_NEWLINE, CTRL_KEY('s'), KEY_ENTER) \
	ACTION(CANCEL, "cancel", CTX_FORM, "Close the form without saving", KEY_ESCAPE, 0, 0, 0)      \
	ACTION(HELP, "help", CTX_LIST, "Help for this screen", '?', KEY_F(1), 0, 0)                   \
	ACTION(FORM_HELP, "form-help", CTX_FORM, "Help for the form", KEY_F(1), 0, 0, 0)              \
	ACTION(FORM_PICK, "pick", CTX_FORM,                                                           \
	       "In a field that names records: choose them from their list (Enter chooses; m or Space marks several)", \
	       CTRL_KEY('p'), KEY_F(4), 0, 0)                                                         \
	ACTION(FORM_EDITOR, "editor", CTX_FORM,                                                       \
	       "In a long text field (notes, objectives): edit it in $VISUAL or $EDITOR; it comes back to the form", \
	       CTRL_KEY('o'), KEY_F(2), 0, 0)                                                         \
	ACTION(SUSPEND, "suspend", CTX_ALL, "Suspend scodesk (the shell's fg brings it back)",        \
	       CTRL_KEY('z'), 0, 0, 0)                                                                \
	ACTION(BACK, "back", CTX_LIST | CTX_HELP, "Back: out of related records or help; to the dashboard; from it, quit", 'q', 0, 0, 0)  \
	ACTION(CLOSE_HELP, "close-help", CTX_HELP, "Close the help", KEY_ESCAPE, '?', 0, 0)           \
	ACTION(QUIT, "quit", CTX_LIST | CTX_HELP, "Quit scodesk", 'Q', 0, 0, 0)                        \
	ACTION(REDRAW, "redraw", CTX_ALL, "Redraw the screen and read every list again",            \
	       CTRL_KEY('l'), 0, 0, 0)                                                                \
	ACTION(COL_RIGHT, "column-right", CTX_LIST,                                                   \
	       "Next column (its label highlighted); the columns scroll across, the first stays",    \
	       KEY_RIGHT, 'l', 0, 0)                                                                  \
	ACTION(COL_LEFT, "column-left", CTX_LIST, "Previous column", KEY_LEFT, 'h', 0, 0)              \
	ACTION(COL_WIDEN, "widen-column", CTX_LIST,                                                   \
	       "Widen the current column to its whole values; again: back to its width", '_', 0, 0, 0) \
	ACTION(COL_HIDE, "hide-column", CTX_LIST, "Hide the current column", '-', 0, 0, 0)            \
	ACTION(COL_SHOW, "show-columns", CTX_LIST, "Show the hidden columns again", '+', 0, 0, 0)      \
	ACTION(VIEW, "view", CTX_LIST,                                                                \
	       "Read the row whole: every field, its related records (an alert: all of it and its record)", \
	       'v', 0, 0, 0)                                                                           \
	ACTION(VIEW_DOWN, "view-down", CTX_VIEW, "Scroll down a line", 'j', KEY_DOWN, 0, 0)           \
	ACTION(VIEW_UP, "view-up", CTX_VIEW, "Scroll up a line", 'k', KEY_UP, 0, 0)                   \
	ACTION(VIEW_PAGE_DOWN, "view-page-down", CTX_VIEW, "Page down", ' ', KEY_NPAGE, 0, 0)          \
	ACTION(VIEW_PAGE_UP, "view-page-up", CTX_VIEW, "Page up", 'b', KEY_PPAGE, 0, 0)                \
	ACTION(VIEW_FIRST, "view-top", CTX_VIEW, "Top", 'g', KEY_HOME, 0, 0)                            \
	ACTION(VIEW_LAST, "view-bottom", CTX_VIEW, "Bottom", 'G', KEY_END, 0, 0)                         \
	ACTION(VIEW_EDIT, "view-edit", CTX_VIEW, "Edit the record (the form; back here after it)",   \
	       'e', KEY_RETURN, KEY_NEWLINE, KEY_ENTER)                                                 \
	ACTION(VIEW_HELP, "view-help", CTX_VIEW, "Help for the record view", '?', KEY_F(1), 0, 0)     \
	ACTION(VIEW_BACK, "view-back", CTX_VIEW, "Back to the list, on the same row", 'q', KEY_ESCAPE, 0, 0)

typedef enum sk_action {
	ACT_NONE = 0,
#define AS_ENUM(id, name, ctx, help, ...) ACT_##id,
	SK_ACTIONS(AS_ENUM)
#undef AS_ENUM
	ACT_COUNT
} sk_action;

typedef struct sk_action_def {
	sk_action action;
	const char *name;
	unsigned contexts;
	const char *help;
	int keys[4]; /* 0 ends the list */
} sk_action_def;

extern const sk_action_def sk_action_defs[];
extern const size_t sk_naction_defs;

/* The action a key means in a context, or ACT_NONE. */
sk_action sk_action_for_key(int key, unsigned context);
/* A key's name as a person writes it: "j", "Down", "Ctrl-L", "PgDn". */
void sk_key_name(int key, char *buf, size_t size);
/* The screen a screen switch action opens (its index), or -1. */
int sk_action_screen(sk_action action);
/* The keys of an action joined by ", " into buf. */
void sk_action_keys(const sk_action_def *d, char *buf, size_t size);

#endif
