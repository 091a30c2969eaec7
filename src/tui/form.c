/*
 * form.c: the one record form. Its fields are the table description's
 * editable columns; choices (enumerations, yes/no) cycle with Space or
 * the arrows, everything else is typed. core validates on save and the
 * message comes back to the field it names.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "scodesk/typed.h"
#include "text.h"
#include "tui.h"

#define LABEL_CELLS 20

static const sk_column *field_col(const form *f, int i)
{
	return &f->rec->table->columns[f->fields[i]];
}

static bool is_choice(const sk_column *c)
{
	return c->type == SK_T_ENUM || c->type == SK_T_BOOL;
}

/* The name of what a reference field points at, for display. */
static char *describe_ref(sk_db *db, const sk_column *c, const char *v)
{
	if (!v || !*v || (c->type != SK_T_REF && c->type != SK_T_LINKS))
		return NULL;
	const sk_table *t = sk_table_find(c->ref_table);
	char out[256] = "";
	size_t len = 0;
	for (const char *p = v; t && *p && len < sizeof out - 1; p += strcspn(p, ";"), p += *p == ';') {
		sk_record *rec;
		char name[128];
		if (sk_get_record(db, t, strtoll(p, NULL, 10), &rec, NULL) == SK_OK) {
			sk_record_name(rec, name, sizeof name);
			sk_record_free(rec);
		} else {
			snprintf(name, sizeof name, "(no such %s)", t->label);
		}
		int n = snprintf(out + len, sizeof out - len, "%s%s", len ? "; " : "", name);
		if (n < 0)
			break;
		len += (size_t)n < sizeof out - len ? (size_t)n : sizeof out - len - 1;
	}
	return strdup(out);
}

/* A field that shows the names of the records it refers to and stores
 * their ids (a person, a program, an engagement's contacts). A reference
 * by code (a billet number, a course code) shows the code, which people
 * know, with the name beside it. */
static bool shows_names(const sk_column *c)
{
	return c->type == SK_T_REF || c->type == SK_T_LINKS;
}

/* What a field's line holds to edit: the value, or the names. */
static const char *field_text(const form *f, int i)
{
	const char *v = f->rec->values[f->fields[i]];
	if (shows_names(field_col(f, i)) && v && *v && f->ref_names && f->ref_names[i] &&
	    !(f->unresolved && f->unresolved[i]))
		return f->ref_names[i];
	return v;
}

static void load_field(form *f)
{
	if (f->nfields == 0)
		return;
	const sk_column *c = field_col(f, f->cur);
	free(f->loaded);
	f->loaded = NULL;
	if (!is_choice(c)) {
		le_set(&f->edit, field_text(f, f->cur));
		f->loaded = le_get(&f->edit); /* as the line holds it: what typing changes */
	}
}

const sk_column *form_column(const form *f)
{
	return f->nfields ? field_col(f, f->cur) : NULL;
}

static void set_unresolved(form *f, int i, const char *why)
{
	if (!f->unresolved)
		return;
	free(f->unresolved[i]);
	f->unresolved[i] = why ? strdup(why) : NULL;
}

void form_set_value(form *f, sk_db *db, const char *value)
{
	if (f->nfields == 0)
		return;
	sk_set_at(f->rec, f->fields[f->cur], value && *value ? value : NULL);
	free(f->ref_names[f->cur]);
	f->ref_names[f->cur] = describe_ref(db, field_col(f, f->cur), f->rec->values[f->fields[f->cur]]);
	set_unresolved(f, f->cur, NULL);
	load_field(f);
}

static bool is_reference(const sk_column *c)
{
	return c->type == SK_T_REF || c->type == SK_T_KEYREF || c->type == SK_T_LINKS;
}

int form_commit_field(form *f, sk_db *db)
{
	if (f->nfields == 0 || f->read_only)
		return 0;
	const sk_column *c = field_col(f, f->cur);
	if (is_choice(c))
		return 0;
	char *v = le_get(&f->edit);
	if (!v)
		return 0;
	if (f->loaded && strcmp(v, f->loaded) == 0) {
		/* not typed in (for a reference: the names as shown, the ids
		 * stay; a stored value the line cannot hold as it is stays too) */
		free(v);
		return 0;
	}
	int i = f->cur, result = 0;
	const char *store = *v ? v : NULL; /* an emptied field holds no value */
	char date[11];
	sk_resolved r;
	if (c->type == SK_T_DATE && sk_date_expand(sk_today(db), v, date))
		store = date;
	if (is_reference(c) && sk_resolve_ref(db, c, v, &r, NULL) == SK_OK) {
		if (r.kind == SK_RESOLVED_ONE) {
			store = r.value[0] ? r.value : NULL;
			set_unresolved(f, i, NULL);
		} else {
			/* the text stays as typed, and says why it is not saved */
			char why[400];
			snprintf(why, sizeof why, "%s: %s%s", c->label, r.msg,
			         r.kind == SK_RESOLVED_MANY ? "; ^P chooses" : "");
			set_unresolved(f, i, why);
			snprintf(f->note, sizeof f->note, "%.*s", (int)sizeof f->note - 1, why);
			f->note_bad = true;
			if (r.kind == SK_RESOLVED_MANY) {
				snprintf(f->pick_narrow, sizeof f->pick_narrow, "%s", r.part);
				snprintf(f->pick_value, sizeof f->pick_value, "%s", r.value);
			}
			result = r.kind == SK_RESOLVED_MANY ? 1 : -1;
		}
	}
	sk_set_at(f->rec, f->fields[i], store);
	free(f->ref_names[i]);
	f->ref_names[i] = result ? NULL : describe_ref(db, c, f->rec->values[f->fields[i]]);
	free(v);
	return result;
}

int form_unresolved(form *f, int height)
{
	for (int i = 0; f->unresolved && i < f->nfields; i++)
		if (f->unresolved[i]) {
			form_focus(f, field_col(f, i)->name, height);
			return i;
		}
	return -1;
}

char *form_text(const form *f)
{
	if (f->nfields == 0 || is_choice(field_col(f, f->cur)))
		return NULL;
	return le_get(&f->edit);
}

void form_set_text(form *f, const char *text)
{
	if (f->nfields && !is_choice(field_col(f, f->cur)))
		le_set(&f->edit, text);
}

static bool same_text(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && strcmp(a, b) == 0);
}

bool form_changed(const form *f)
{
	if (!f->rec || !f->orig)
		return false;
	for (size_t i = 0; i < f->rec->table->ncolumns; i++)
		if (!same_text(f->rec->values[i], f->orig->values[i]))
			return true;
	char *v = form_text(f);
	bool typing = v && !same_text(v, f->loaded);
	free(v);
	return typing;
}

void form_open(form *f, sk_db *db, sk_record *rec, bool is_new)
{
	memset(f, 0, sizeof *f);
	f->rec = rec;
	f->orig = sk_record_dup(rec);
	f->is_new = is_new;
	const sk_table *t = rec->table;
	f->read_only = sk_readonly(db) || t->append_only;
	for (size_t i = 0; i < t->ncolumns && f->nfields < 64; i++) {
		const sk_column *c = &t->columns[i];
		if ((c->flags & SK_F_SYSTEM) || c->type == SK_T_DERIVED)
			continue;
		f->fields[f->nfields++] = (int)i;
	}
	f->ref_names = calloc((size_t)f->nfields + 1, sizeof *f->ref_names);
	f->unresolved = calloc((size_t)f->nfields + 1, sizeof *f->unresolved);
	for (int i = 0; f->ref_names && i < f->nfields; i++)
		f->ref_names[i] = describe_ref(db, field_col(f, i), rec->values[f->fields[i]]);
	load_field(f);
}

void form_replace(form *f, sk_db *db, sk_record *rec, sk_record *base)
{
	sk_record_free(f->rec);
	sk_record_free(f->orig);
	f->rec = rec;
	f->orig = base;
	for (int i = 0; i < f->nfields; i++) {
		if (f->ref_names) {
			free(f->ref_names[i]);
			f->ref_names[i] = describe_ref(db, field_col(f, i), rec->values[f->fields[i]]);
		}
		set_unresolved(f, i, NULL);
	}
	load_field(f);
}

void form_value_words(sk_db *db, const sk_column *c, const char *v, char *buf, size_t size)
{
	char *names = NULL;
	if (!v || !*v)
		snprintf(buf, size, "(none)");
	else if (c->type == SK_T_ENUM)
		snprintf(buf, size, "%s", sk_enum_label(c->enumeration, v));
	else if (c->type == SK_T_BOOL)
		snprintf(buf, size, "%s", strcmp(v, "1") == 0 ? "yes" : "no");
	else if ((names = describe_ref(db, c, v)) != NULL)
		snprintf(buf, size, "%s", names);
	else
		snprintf(buf, size, "%s", v);
	free(names);
}

void form_close(form *f)
{
	for (int i = 0; f->ref_names && i < f->nfields; i++)
		free(f->ref_names[i]);
	free(f->ref_names);
	for (int i = 0; f->unresolved && i < f->nfields; i++)
		free(f->unresolved[i]);
	free(f->unresolved);
	sk_record_free(f->rec);
	sk_record_free(f->orig);
	free(f->loaded);
	le_free(&f->edit);
	memset(f, 0, sizeof *f);
}

/* How many of `height` lines show fields: a form longer than the screen
 * keeps its last line to say what lies above and below. */
static int field_rows(const form *f, int height)
{
	return f->nfields > height && height > 1 ? height - 1 : height;
}

static void scroll_to_cur(form *f, int height)
{
	int rows = field_rows(f, height);
	if (f->cur < f->top)
		f->top = f->cur;
	if (f->cur >= f->top + rows)
		f->top = f->cur - rows + 1;
	if (f->top > 0 && f->top > f->nfields - rows)
		f->top = f->nfields - rows > 0 ? f->nfields - rows : 0;
}

void form_keep_in_view(form *f, int height)
{
	scroll_to_cur(f, height);
}

void form_where(const form *f, int height, char *buf, size_t size)
{
	int rows = field_rows(f, height);
	buf[0] = '\0';
	if (f->nfields > rows) {
		int last = f->top + rows < f->nfields ? f->top + rows : f->nfields;
		snprintf(buf, size, "fields %d-%d of %d", f->top + 1, last, f->nfields);
	}
}

/* Moves to field `to`; a reference that names several records first
 * asks for the picker (ACT_FORM_PICK), the form staying where it is. */
static int go_field(form *f, sk_db *db, int to, int height)
{
	if (to < 0 || to >= f->nfields || to == f->cur)
		return ACT_NONE;
	if (form_commit_field(f, db) > 0)
		return ACT_FORM_PICK;
	f->cur = to;
	scroll_to_cur(f, height);
	load_field(f);
	return ACT_NONE;
}

void form_focus(form *f, const char *column, int height)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(field_col(f, i)->name, column) == 0) {
			f->cur = i;
			int rows = field_rows(f, height);
			if (f->cur < f->top || f->cur >= f->top + rows)
				f->top = f->cur > rows / 2 ? f->cur - rows / 2 : 0;
			scroll_to_cur(f, height);
			load_field(f);
			return;
		}
}

/* Steps a choice field through its values (with "none" when optional). */
static void cycle(form *f, int dir, wint_t letter)
{
	const sk_column *c = field_col(f, f->cur);
	int idx = f->fields[f->cur];
	const char *v = f->rec->values[idx];
	if (c->type == SK_T_BOOL) {
		sk_set_at(f->rec, idx, v && strcmp(v, "1") == 0 ? "0" : "1");
		return;
	}
	const sk_enum *e = c->enumeration;
	int n = (int)e->count + ((c->flags & SK_F_REQUIRED) ? 0 : 1);
	int at = sk_enum_index(e, v); /* -1: none */
	int pos = at < 0 ? n - 1 : at;    /* from "none", the first step lands on an end */
	for (int step = 0; step < n; step++) {
		pos = (pos + (dir < 0 ? n - 1 : 1)) % n;
		const char *code = pos < (int)e->count ? e->values[pos].code : NULL;
		if (code && c->offers && !c->offers(f->rec, code))
			continue; /* not one this record can take (a case's status on IMET) */
		if (!letter || (code && (wint_t)e->values[pos].label[0] == letter) ||
		    (code && (wint_t)code[0] == letter)) {
			sk_set_at(f->rec, idx, code);
			return;
		}
	}
}

int form_key(form *f, sk_db *db, bool is_key, wint_t ch, int height)
{
	if (f->nfields == 0)
		return ACT_CANCEL;
	const sk_column *c = field_col(f, f->cur);
	f->note[0] = '\0';
	if (f->read_only) {
		int action = sk_action_for_key((int)ch, CTX_FORM);
		switch (action) {
		case ACT_NEXT_FIELD: go_field(f, db, f->cur + 1, height); return ACT_NONE;
		case ACT_PREV_FIELD: go_field(f, db, f->cur - 1, height); return ACT_NONE;
		case ACT_CANCEL: case ACT_FORM_HELP: case ACT_SUSPEND: return action;
		default:
			if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT || ch == KEY_HOME || ch == KEY_END))
				return ACT_NONE;
			snprintf(f->note, sizeof f->note, "read-only: nothing here can be changed (Esc closes)");
			f->note_bad = true;
			return ACT_NONE;
		}
	}
	if (!is_choice(c) && le_key(&f->edit, is_key, ch))
		return ACT_NONE;
	if (is_choice(c) && !is_key && ch == ' ') {
		cycle(f, 1, 0);
		return ACT_NONE;
	}
	int action = sk_action_for_key((int)ch, CTX_FORM);
	switch (action) {
	case ACT_NEXT_FIELD:
		return go_field(f, db, f->cur + 1, height);
	case ACT_PREV_FIELD:
		return go_field(f, db, f->cur - 1, height);
	case ACT_CHOICE_NEXT:
	case ACT_CHOICE_PREV:
		if (is_choice(c))
			cycle(f, action == ACT_CHOICE_NEXT ? 1 : -1, 0);
		return ACT_NONE;
	case ACT_SAVE:
		/* several records for what was typed: choose first */
		return form_commit_field(f, db) > 0 ? ACT_FORM_PICK : action;
	case ACT_NONE:
		if (is_choice(c) && !is_key && ch > ' ' && ch < 0x7f) {
			cycle(f, 1, ch);
			return ACT_NONE;
		}
		return ACT_NONE;
	default:
		return action;
	}
}

const char *form_hint(const form *f)
{
	if (f->read_only)
		return "read-only  Tab/Up/Down fields  Esc close  F1 help";
	const sk_column *c = form_column(f);
	if (!c)
		return "Esc close";
	switch (c->type) {
	case SK_T_ENUM:
		return "Space/Left/Right or a letter choose  Tab/Up/Down fields  Enter save  Esc cancel";
	case SK_T_BOOL:
		return "Space yes/no  Tab/Up/Down fields  Enter save  Esc cancel";
	case SK_T_DATE:
		return "a date: YYYY-MM-DD, today, +7, -30, +2w, +3m  Tab fields  Enter save  Esc cancel";
	case SK_T_LINKS:
		return "names, codes or ids; separated by ;  ^P choose  Tab fields  Enter save  Esc cancel";
	case SK_T_REF:
	case SK_T_KEYREF:
		return "a name, code or id  ^P choose  Tab/Up/Down fields  Enter save  Esc cancel";
	case SK_T_INT:
	case SK_T_MONEY:
		return "a whole number  Tab/Up/Down fields  Enter save  Esc cancel";
	default:
		return (c->flags & SK_F_MULTILINE)
		               ? "type; ^O edit in $EDITOR  Tab/Up/Down fields  Enter save  Esc cancel"
		               : "type  Tab/Up/Down fields  Enter/^S save  Esc cancel  F1 help";
	}
}

void form_draw(form *f, int y0, int height, int width)
{
	const bool ascii = tui_text_is_ascii();
	int value_x = LABEL_CELLS + 2;
	int value_cells = width - value_x - 1;
	int rows = field_rows(f, height);
	if (rows < height) {
		/* what lies beyond the screen */
		int above = f->top, below = f->nfields - f->top - rows;
		char more[96] = "";
		size_t n = 0;
		if (above)
			n += (size_t)snprintf(more, sizeof more, "  %s %d more above",
			                      ascii ? "^" : "\xe2\x96\xb2", above);
		if (below && n < sizeof more)
			snprintf(more + n, sizeof more - n, "  %s %d more below", ascii ? "v" : "\xe2\x96\xbc",
			         below);
		attron(A_DIM);
		tui_put(y0 + height - 1, 0, more, width, false);
		attroff(A_DIM);
	}
	for (int r = 0; r < rows; r++) {
		int i = f->top + r;
		if (i >= f->nfields)
			break;
		const sk_column *c = field_col(f, i);
		int y = y0 + r;
		bool current = i == f->cur;
		bool bad = (f->bad_field[0] && strcmp(f->bad_field, c->name) == 0) ||
		           (f->unresolved && f->unresolved[i]);
		char label[96];
		snprintf(label, sizeof label, "%s%s", c->label, (c->flags & SK_F_REQUIRED) ? " *" : "");
		if (current)
			attron(A_BOLD);
		mvaddstr(y, 0, bad ? "!" : current ? ">" : " ");
		tui_put(y, 1, label, LABEL_CELLS, true);
		if (current)
			attroff(A_BOLD);
		if (value_cells <= 0)
			continue;
		const char *v = f->rec->values[f->fields[i]];
		if (bad)
			attron(tui_mood_attr(MOOD_BAD));
		if (current && !is_choice(c)) {
			/* drawn last, where the cursor is placed */
		} else if (is_choice(c)) {
			const char *shown = c->type == SK_T_BOOL ? (v && strcmp(v, "1") == 0 ? "yes" : "no")
			                    : v ? sk_enum_label(c->enumeration, v) : "(none)";
			char buf[160];
			snprintf(buf, sizeof buf, current ? (ascii ? "< %s >" : "\xe2\x97\x82 %s \xe2\x96\xb8")
			                                  : "%s", shown);
			if (current)
				attron(A_UNDERLINE);
			tui_put(y, value_x, buf, value_cells, false);
			if (current)
				attroff(A_UNDERLINE);
		} else if (shows_names(c)) {
			tui_put(y, value_x, field_text(f, i) ? field_text(f, i) : "", value_cells, false);
		} else {
			int used = tui_put(y, value_x, v ? v : "", value_cells, false);
			const char *ref = f->ref_names ? f->ref_names[i] : NULL;
			if (ref && *ref && used + 4 < value_cells) {
				attron(A_DIM);
				char buf[300];
				snprintf(buf, sizeof buf, ascii ? "  -> %s" : "  \xe2\x86\x92 %s", ref);
				tui_put(y, value_x + used, buf, value_cells - used, false);
				attroff(A_DIM);
			}
		}
		if (bad)
			attroff(tui_mood_attr(MOOD_BAD));
	}
	/* the cursor sits in the field being typed */
	if (f->cur >= f->top && f->cur < f->top + rows && !is_choice(field_col(f, f->cur)) &&
	    value_cells > 0) {
		attron(A_UNDERLINE);
		le_draw(&f->edit, y0 + f->cur - f->top, value_x, value_cells, true);
		attroff(A_UNDERLINE);
	}
}
