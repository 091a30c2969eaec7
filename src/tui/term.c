/*
 * term.c: whether curses can draw on the terminal at all, asked before
 * anything is drawn. initscr ends the process with "Error opening
 * terminal" when TERM is missing or unknown; setupterm with an error
 * pointer only tells, so that the command line can show the plain summary
 * instead. (On its own: term.h defines names such as `lines` and
 * `columns` that the rest of the interface uses.)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tui.h"

#include <curses.h>
#include <term.h>

bool sk_tui_usable(char *why, size_t size)
{
	const char *term = getenv("TERM");
	if (!term || !*term) {
		snprintf(why, size, "TERM is not set");
		return false;
	}
	int found = 0;
	if (setupterm(NULL, STDOUT_FILENO, &found) != OK) {
		if (found < 0)
			snprintf(why, size, "no terminal descriptions (terminfo) are installed here");
		else /* the caller prints the sentence inert */
			snprintf(why, size, "the terminal type \"%.64s\" (TERM) is unknown here or "
			         "cannot be drawn on", term);
		return false;
	}
	del_curterm(cur_term);
	return true;
}
