/*
 * turnover.h: the turnover book (issue 14), what an incoming chief is
 * handed: the office as the database has it on the day the book is made.
 *
 * The book is a list of items in sections. Every item has the same four
 * parts, a subject, a detail, a date and an owner (who in the office has
 * it), so that the same items can be written as a document with a table
 * per section or as one long CSV file (src/io/handover.c). What each part
 * means in a section is the section's own: its heads say it.
 *
 * Everything comes from the database when the book is built, dates
 * measured from sk_today (SCODESK_TODAY in tests). The values are as
 * stored: making them safe to show is the writer's part.
 */
#ifndef SCODESK_TURNOVER_H
#define SCODESK_TURNOVER_H

#include <stddef.h>

#include "scodesk/err.h"
#include "scodesk/store.h"

typedef struct sk_turn_section {
	const char *code;     /* the CSV's section column: "manning" */
	const char *title;    /* the document's heading: "Manning" */
	const char *heads[4]; /* what subject, detail, date and owner are here */
	const char *none;     /* said when the section has no items */
	/* a table the section reads that the schema may not have yet: with
	 * no such table the section is left out of the book (NULL: always) */
	const char *needs;
} sk_turn_section;

/* Every section, in the book's order, and how many. */
extern const sk_turn_section sk_turn_sections[];
extern const size_t sk_nturn_sections;

typedef struct sk_turn_item {
	const sk_turn_section *section;
	char *subject, *detail, *date, *owner; /* NULL: none */
} sk_turn_item;

#define SK_TURN_MAX_SECTIONS 16

typedef struct sk_turnover {
	char office[256];   /* setting office_name (its default when unset) */
	char country[256];  /* settings country and country_code: "Velmora (QV)";
	                       "" when neither is set */
	char as_of[11];     /* sk_today */
	/* the sections in the book (those whose table exists), in order */
	const sk_turn_section *sections[SK_TURN_MAX_SECTIONS];
	size_t nsections;
	sk_turn_item *items; /* in section order, each section's in its own order */
	size_t count, cap;
} sk_turnover;

/*
 * Builds the book from the database. The sections (sk_turn_sections):
 *   manning      every live billet by number: incumbent, grade, DEROS,
 *                replacement;
 *   gaps         the billets with a gap in the next 12 months: vacant, or
 *                the incumbent's DEROS within 12 months and no replacement
 *                inbound, or one who arrives after it;
 *   followups    engagements whose follow-up is not done, oldest
 *                engagement first, with their due dates;
 *   key-leaders  key leaders, least recently engaged first, with their
 *                last engagement and the office's participants in it;
 *   programs     programs not closed, cancelled or complete, by the date
 *                of their next milestone (undated last), with the action
 *                officer and whether the officer's DEROS is before it;
 *   students     students not yet through their course, by report date,
 *                with their gates (Leahy, security vetting, medical, ECL,
 *                ITO); the owner is the training officer;
 *   training     staff training due or overdue, by due date;
 *   eum-checks   end-use checks with an open follow-up: only once the
 *                schema has an eum_checks table (issue 15);
 *   alerts       sk_alerts_compute's list, in its order.
 * On failure *out holds nothing and err says why.
 */
sk_status sk_turnover_build(sk_db *db, sk_turnover *out, sk_err *err);
void sk_turnover_free(sk_turnover *t);

/* The items of section s in t, one after another: pass *at = 0 first;
 * NULL after the last. */
const sk_turn_item *sk_turnover_next(const sk_turnover *t, const sk_turn_section *s,
                                     size_t *at);

#endif
