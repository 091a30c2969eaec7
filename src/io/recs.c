/*
 * recs.c: a table's records held in memory, for the reports' lookups
 * (a contact's name from its id, a person's grade). The office's own
 * tables are small; the large one, engagements, is never held whole.
 */
#include <stdlib.h>

#include "io.h"

static int add(void *ctx, const sk_record *rec)
{
	sk_recs *rs = ctx;
	if (rs->count == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		sk_record **items = realloc(rs->items, cap * sizeof *items);
		if (!items)
			return SK_NOMEM;
		rs->items = items;
		rs->cap = cap;
	}
	sk_record *copy = sk_record_dup(rec);
	if (!copy)
		return SK_NOMEM;
	rs->items[rs->count++] = copy;
	return 0;
}

sk_status sk_recs_load(sk_db *db, const sk_table *t, const sk_query *q, sk_recs *out,
                       sk_err *err)
{
	sk_query all = {.which = SK_ALL};
	*out = (sk_recs){0};
	sk_status s = sk_list(db, t, q ? q : &all, add, out, err);
	if (s == SK_NOMEM)
		sk_fail(err, s, NULL, "out of memory");
	if (s != SK_OK)
		sk_recs_free(out);
	return s;
}

const sk_record *sk_recs_find(const sk_recs *rs, long long id)
{
	size_t lo = 0, hi = rs->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		long long at = sk_record_id(rs->items[mid]);
		if (at == id)
			return rs->items[mid];
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void sk_recs_free(sk_recs *rs)
{
	for (size_t i = 0; i < rs->count; i++)
		sk_record_free(rs->items[i]);
	free(rs->items);
	*rs = (sk_recs){0};
}
