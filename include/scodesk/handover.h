/*
 * handover.h: `scodesk handover`, the turnover book (scodesk/turnover.h)
 * as a file.
 *
 * Markdown (UTF-8 text): the marking alone on the first and the last
 * line, as in every exported file; the office, its country and the date
 * next; then a heading and a table per section. Or one long CSV file,
 * written as the reports are (byte order mark, marking lines, CRLF, the
 * formula guard), with the columns section, subject, detail, date and
 * owner, its first row the office (section "office": the office, the
 * country, the date). The two hold the same items with the same text.
 *
 * In both, every value is inert: a line break or tab in a value is a
 * space, any other control character or byte that is not UTF-8 its
 * escape (\x1B, <U+202E>; scodesk/inert.h). In Markdown the characters
 * that would make a value markup (| * _ ` [ ] < > ~ & # \) are escaped
 * with a backslash, so that a `|` in a name stays in its cell.
 *
 * The file is written to a temporary name, flushed and renamed, as every
 * export is (path "-": standard output).
 */
#ifndef SCODESK_HANDOVER_H
#define SCODESK_HANDOVER_H

#include <stddef.h>

#include "scodesk/csvio.h"
#include "scodesk/err.h"
#include "scodesk/store.h"

typedef enum sk_handover_format { SK_HANDOVER_MARKDOWN = 0, SK_HANDOVER_CSV } sk_handover_format;

/* Builds the book and writes it to path. opts: the marking (as for an
 * export), no_bom and no_clobber; NULL for the defaults. *items (when not
 * NULL) gets the number of items written, the office's row not counted. */
sk_status sk_handover_write(sk_db *db, const char *path, sk_handover_format format,
                            const sk_csv_opts *opts, long *items, sk_err *err);

/* The file name proposed when none is given: handover-YYYY-MM-DD.md (or
 * .csv), today's date as the database sees it. */
void sk_handover_suggest_name(sk_db *db, sk_handover_format format, char *buf, size_t size);

#endif
