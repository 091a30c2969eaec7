/*
 * shown.h: a record's value as a person reads it. The interface's lists
 * and the export of a list as shown (sk_csv_export_view) both write
 * these, so that what a file holds is what the screen said: a person's
 * name, not their id; a status word, not its code.
 */
#ifndef SCODESK_SHOWN_H
#define SCODESK_SHOWN_H

#include "scodesk/record.h"
#include "scodesk/store.h"

/*
 * The value of column col (an index into rec->table->columns) as shown,
 * malloc'd ("" for an empty value; NULL only when out of memory):
 *  - an enumeration, or a computed column with one: the code's label;
 *  - a yes/no column: "yes" or "";
 *  - a reference: the referenced record's name (sk_record_name), or the
 *    id itself when there is no such record;
 *  - linked records: their names, "; "-separated, in the stored order;
 *  - anything else (money included: whole dollars, digits only; text,
 *    dates, numbers, computed values) as stored.
 * Deleted referenced records still give their names: the value is what
 * the record holds.
 */
char *sk_shown_value(sk_db *db, const sk_record *rec, int col);

#endif
