/*
 * shown.c: a record's values as a person reads them (see shown.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/shown.h"

/* The name of record `id` of table `table` (the id itself when there is
 * none). */
static char *ref_name(sk_db *db, const char *table, const char *id)
{
	const sk_table *t = sk_table_find(table);
	sk_record *rec;
	char name[160];
	if (!t || sk_get_record(db, t, strtoll(id, NULL, 10), &rec, NULL) != SK_OK)
		return strdup(id);
	sk_record_name(rec, name, sizeof name);
	sk_record_free(rec);
	return strdup(name);
}

/* The names of the linked records, "; "-separated. */
static char *link_names(sk_db *db, const sk_column *c, const char *v)
{
	size_t cap = 256, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	out[0] = '\0';
	for (const char *p = v; *p; p += strcspn(p, ";"), p += *p == ';') {
		char id[24];
		snprintf(id, sizeof id, "%.*s", (int)strcspn(p, ";"), p);
		if (!id[0])
			continue;
		char *name = ref_name(db, c->ref_table, id);
		const char *shown = name ? name : id;
		size_t need = len + strlen(shown) + 3;
		if (need > cap) {
			char *grown = realloc(out, cap = need * 2);
			if (!grown) {
				free(name);
				break;
			}
			out = grown;
		}
		len += (size_t)sprintf(out + len, "%s%s", len ? "; " : "", shown);
		free(name);
	}
	return out;
}

char *sk_shown_value(sk_db *db, const sk_record *rec, int col)
{
	const sk_column *c = &rec->table->columns[col];
	const char *v = rec->values[col];
	if (!v)
		return strdup("");
	switch (c->type) {
	case SK_T_ENUM:
	case SK_T_DERIVED:
		return strdup(c->enumeration ? sk_enum_label(c->enumeration, v) : v);
	case SK_T_BOOL:
		return strdup(strcmp(v, "1") == 0 ? "yes" : "");
	case SK_T_REF:
		return *v ? ref_name(db, c->ref_table, v) : strdup("");
	case SK_T_LINKS:
		return link_names(db, c, v);
	default:
		return strdup(v);
	}
}
