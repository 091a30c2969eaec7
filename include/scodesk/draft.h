/*
 * draft.h: an unsaved form kept when the session ends under it (the SSH
 * link drops, the machine shuts down), offered back at the next start.
 *
 * A draft is a file of its own in drafts/ beside the database, one per
 * user and database, 0600, written to a random temporary name (O_EXCL),
 * flushed and renamed; the database itself is never written to keep one.
 * In a shared office drafts/ is 2770 for the group, so every member keeps
 * theirs there. Only a plain file of this user's under the draft's name
 * is read or removed; anything else is left alone (SK_REFUSED). A
 * read-only session keeps no draft (SK_READONLY). Saving a draft later
 * goes through the ordinary update, so a record that changed meanwhile is
 * a conflict like any other.
 */
#ifndef SCODESK_DRAFT_H
#define SCODESK_DRAFT_H

#include <stdbool.h>

#include "scodesk/err.h"
#include "scodesk/record.h"
#include "scodesk/store.h"

/* Keeps rec (a new record when is_new) as this user's draft. */
sk_status sk_draft_save(sk_db *db, const sk_record *rec, bool is_new, sk_err *err);
/* This user's draft, if any (SK_NOTFOUND when none); saved_at gets the
 * time it was kept. */
sk_status sk_draft_load(sk_db *db, sk_record **rec, bool *is_new, char saved_at[21],
                        sk_err *err);
/* Forgets this user's draft (no error when there is none). */
void sk_draft_discard(sk_db *db);

#endif
