/*
 * err.h: how core reports failure.
 *
 * Every core function that can fail returns an sk_status and, when the
 * caller passes an sk_err, fills it with one sentence for a person: it names
 * the table, the field and the value where there is one.
 */
#ifndef SCODESK_ERR_H
#define SCODESK_ERR_H

#include <stdint.h>

typedef enum sk_status {
	SK_OK = 0,
	SK_INVALID,   /* a value broke a rule: message names table, field, value */
	SK_CONFLICT,  /* the record changed since it was read */
	SK_NOTFOUND,  /* no such record */
	SK_REFUSED,   /* not a scodesk database, or one newer than us */
	SK_BUSY,      /* locked by another user past the busy timeout */
	SK_READONLY,  /* opened read-only, or the file is not writable */
	SK_IO,        /* file system problem: permissions, disk full */
	SK_DB,        /* anything else SQLite reported */
	SK_NOMEM,
	SK_GONE,   /* the record was deleted (by another user) since it was read */
} sk_status;

typedef struct sk_err {
	sk_status status;
	char field[64];   /* the column the problem is about, or "" */
	char msg[512];
	/* The same for a screen, where the record is in view: labels and
	 * names, not the table's, the columns' and the codes' names ("Leahy
	 * vetting is Not submitted; ITO issued needs Approved"). "" when
	 * there is none: msg then says it. Command lines keep msg, which
	 * names the CSV columns. */
	char says[384];
} sk_err;

/* Fill err (when not NULL) and return status. printf-style. */
sk_status sk_fail(sk_err *err, sk_status status, const char *field,
                  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Reset err to SK_OK with an empty message. */
void sk_err_clear(sk_err *err);

/* A short word for a status, for logs and tests. */
const char *sk_status_name(sk_status status);

#endif
