/*
 * recs.c: a table's records held in memory, for the reports' lookups
 * (a contact's name from its id, a person's grade). The office's own
 * tables are small; the large one, engagements, is never held whole.
 * And the records an import has touched, by id (a hash table, open
 * addressing): what each was before the import, and which rows of the
 * file changed it.
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

/* ---- the records an import touched -------------------------------------- */

static size_t slot_of(long long id, size_t cap)
{
	/* Fibonacci hashing: ids often come in runs */
	return (size_t)(((unsigned long long)id * 11400714819323198485ULL) >> 20) & (cap - 1);
}

sk_touched *sk_touch_find(const sk_touch_map *m, long long id)
{
	if (!m->cap || id <= 0)
		return NULL;
	for (size_t i = slot_of(id, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].id == id)
			return &m->slots[i];
		if (m->slots[i].id == 0)
			return NULL;
	}
}

static sk_touched *place(sk_touched *slots, size_t cap, long long id)
{
	size_t i = slot_of(id, cap);
	while (slots[i].id != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

sk_touched *sk_touch_add(sk_touch_map *m, long long id)
{
	if ((m->count + 1) * 10 > m->cap * 7) { /* at most 70% full */
		size_t cap = m->cap ? m->cap * 2 : 256;
		sk_touched *slots = calloc(cap, sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].id != 0)
				*place(slots, cap, m->slots[i].id) = m->slots[i];
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	sk_touched *e = place(m->slots, m->cap, id);
	*e = (sk_touched){.id = id};
	m->count++;
	return e;
}

void sk_touch_free(sk_touch_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		sk_record_free(m->slots[i].before);
	free(m->slots);
	*m = (sk_touch_map){0};
}
