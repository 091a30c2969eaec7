/*
 * rules.c: the rules of single tables that look at more than one field,
 * and the values core computes before a record is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Fails when date `later` is before date `earlier` (both optional). */
static sk_status in_order(const sk_record *rec, const char *earlier,
                          const char *later, sk_err *err)
{
	const char *a = sk_get(rec, earlier), *b = sk_get(rec, later);
	if (a && b && strcmp(b, a) < 0) {
		char reason[96], says[192];
		snprintf(reason, sizeof reason, "is before %s (%s)", earlier, a);
		snprintf(says, sizeof says, "%s %s is before %s %s",
		         sk_column_find(rec->table, later)->label, b,
		         sk_column_find(rec->table, earlier)->label, a);
		return sk_invalid_says(err, rec->table, later, b, reason, says);
	}
	return SK_OK;
}

/*
 * The certification level that level digit `digit` of an SC code calls
 * for, from setting sc_level_cert ("1=foundational,2=practitioner,...";
 * the scheme changes, so the mapping is data). Spaces around the parts
 * are allowed. Returns false when the setting has no level for the digit.
 */
static bool level_for_digit(sk_db *db, char digit, char *out, size_t size)
{
	char map[256];
	sk_setting(db, "sc_level_cert", map, sizeof map);
	for (const char *p = map; *p;) {
		size_t n = strcspn(p, ",");
		const char *a = p, *end = p + n;
		while (a < end && *a == ' ')
			a++;
		if (a < end && *a == digit) {
			const char *eq = a + 1;
			while (eq < end && *eq == ' ')
				eq++;
			if (eq < end && *eq == '=') {
				const char *v = eq + 1;
				while (v < end && *v == ' ')
					v++;
				const char *ve = end;
				while (ve > v && ve[-1] == ' ')
					ve--;
				if (ve > v) {
					snprintf(out, size, "%.*s", (int)(ve - v), v);
					return true;
				}
			}
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

/* A billet's SC code (checked by sk_check_sc_code) and its
 * required_cert_level say the same thing twice: they must agree through
 * setting sc_level_cert. A billet without a code is not checked. */
int sk_row_billets(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	(void)prev;
	const char *code = sk_get(rec, "sc_code");
	const char *required = sk_get(rec, "required_cert_level");
	if (!code || strlen(code) != 5 || !required)
		return SK_OK;
	char level[64], reason[300], says[300];
	const sk_column *cc = sk_column_find(rec->table, "sc_code");
	const sk_column *rc = sk_column_find(rec->table, "required_cert_level");
	if (!level_for_digit(db, code[4], level, sizeof level)) {
		snprintf(reason, sizeof reason,
		         "level digit %c has no certification level in setting sc_level_cert",
		         code[4]);
		snprintf(says, sizeof says, "%s %s: level %c has no certification level"
		         " (setting sc_level_cert)", cc->label, code, code[4]);
		return sk_invalid_says(err, rec->table, "sc_code", code, reason, says);
	}
	if (strcmp(level, required) != 0) {
		snprintf(reason, sizeof reason,
		         "sc_code %s (level %c) requires %s (setting sc_level_cert), "
		         "not required_cert_level %s", code, code[4], level, required);
		snprintf(says, sizeof says, "%s %s is level %c: %s must be %s, not %s",
		         cc->label, code, code[4], rc->label,
		         sk_enum_label(rc->enumeration, level),
		         sk_enum_label(rc->enumeration, required));
		return sk_invalid_says(err, rec->table, "required_cert_level", required,
		                       reason, says);
	}
	return SK_OK;
}

int sk_row_personnel(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	(void)db, (void)prev;
	return in_order(rec, "arrival_date", "deros_date", err);
}

int sk_row_staff_training(sk_db *db, const sk_record *rec, const sk_record *prev,
                          sk_err *err)
{
	(void)db, (void)prev;
	return in_order(rec, "completed_date", "expires_date", err);
}

static bool one_of(const char *v, const char *const *set)
{
	for (; v && *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

/* Statuses a student reaches only with approved Leahy vetting: Vetted and
 * every one after it. */
static bool needs_vetting(const char *status)
{
	static const char *const after[] = {"vetted", "ito_issued", "in_training", "completed",
	                                    "returned", "failed", "absent", NULL};
	return one_of(status, after);
}

/* ... and only with the security vetting complete: the travel order and
 * every status after it. */
static bool needs_travel(const char *status)
{
	static const char *const after[] = {"ito_issued", "in_training", "completed", "returned",
	                                    "failed", "absent", NULL};
	return one_of(status, after);
}

/* The status a student moves to needs `what` (a column) to be `want`. */
static sk_status refuse_move(const sk_record *rec, const char *what, const char *want,
                             const char *reason, sk_err *err)
{
	const sk_column *sc = sk_column_find(rec->table, "status");
	const sk_column *wc = sk_column_find(rec->table, what);
	const char *status = sk_get(rec, "status"), *v = sk_get(rec, what);
	char says[200];
	snprintf(says, sizeof says, "%s is %s; %s needs %s", wc->label,
	         v ? sk_enum_label(wc->enumeration, v) : "empty",
	         sk_enum_label(sc->enumeration, status), sk_enum_label(wc->enumeration, want));
	return sk_invalid_says(err, rec->table, "status", status, reason, says);
}

int sk_row_students(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	const char *status = sk_get(rec, "status");
	const char *leahy = sk_get(rec, "leahy_status");
	bool moving = !prev || !status || !sk_get(prev, "status") ||
	              strcmp(status, sk_get(prev, "status")) != 0;
	/* Imported history may hold a student past the travel order whose
	 * approved vetting has since expired: that is a record, not a move. */
	bool lapsed = (db->write_flags & SK_W_IMPORT) && leahy && strcmp(leahy, "expired") == 0;
	if (needs_vetting(status) && moving && !lapsed && (!leahy || strcmp(leahy, "approved") != 0)) {
		char reason[200];
		/* Short: it must fit the interface's status line whole. */
		snprintf(reason, sizeof reason, "Leahy vetting is \"%s\", not approved",
		         leahy ? leahy : "none");
		return refuse_move(rec, "leahy_status", "approved", reason, err);
	}
	/* The DoD's security vetting before the travel order. A file from
	 * before the column (none given) is history, not a move. */
	const char *security = sk_get(rec, "security_vetting");
	bool unknown = (db->write_flags & SK_W_IMPORT) && !security;
	if (needs_travel(status) && moving && !unknown &&
	    (!security || strcmp(security, "complete") != 0)) {
		char reason[200];
		snprintf(reason, sizeof reason, "security vetting is \"%s\", not complete",
		         security ? security : "none");
		return refuse_move(rec, "security_vetting", "complete", reason, err);
	}
	/* A travel order on an approval that will have lapsed by the report
	 * date (approved plus leahy_valid_days). */
	const char *approved = sk_get(rec, "leahy_date");
	const char *report = sk_get(rec, "report_date");
	bool to_ito = moving && status && strcmp(status, "ito_issued") == 0;
	if (to_ito && leahy && strcmp(leahy, "approved") == 0 && approved && sk_date_valid(approved)) {
		char until[11];
		const char *by = report && sk_date_valid(report) ? report : sk_today(db);
		sk_date_add_days(approved, (long)sk_setting_int(db, "leahy_valid_days"), until);
		if (strcmp(until, by) < 0) {
			char reason[200], says[200];
			snprintf(reason, sizeof reason,
			         "the Leahy approval of %s lapses %s, before the report date %s",
			         approved, until, by);
			snprintf(says, sizeof says,
			         "Leahy approval of %s lapses %s, before the report date %s: vet again",
			         approved, until, by);
			return sk_invalid_says(err, rec->table, "status", status, reason, says);
		}
	}
	sk_status s = in_order(rec, "start_date", "end_date", err);
	if (s == SK_OK)
		s = in_order(rec, "report_date", "start_date", err);
	return s;
}

static bool same_value(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Looks up one text value; returns false when there is none. */
static bool lookup(sk_db *db, const char *sql, const char *key, long long id,
                   char *out, size_t size)
{
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, sql, &st, NULL) != SK_OK)
		return false;
	if (key)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (found)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sk_release(db, st);
	return found;
}

/*
 * A training record's due date follows from its course: arrival plus
 * due_within_days, or the arrival date itself when the course must be
 * done before arrival. A completed recurring course expires recurs_months
 * after completion. Values given by hand are kept.
 */
int sk_prepare_staff_training(sk_db *db, sk_record *rec, const sk_record *prev,
                              sk_err *err)
{
	const char *code = sk_get(rec, "course_code");
	const char *person = sk_get(rec, "person_id");
	char days[24], months[24], arrival[16], date[11];
	if (!code || !person)
		return SK_OK;
	bool have_days = lookup(db, "SELECT due_within_days FROM courses WHERE code = ?",
	                        code, 0, days, sizeof days);
	bool have_months = lookup(db, "SELECT recurs_months FROM courses WHERE code = ?",
	                          code, 0, months, sizeof months);
	if (!sk_get(rec, "due_date") &&
	    lookup(db, "SELECT arrival_date FROM personnel WHERE id = ?", NULL,
	           strtoll(person, NULL, 10), arrival, sizeof arrival) &&
	    sk_date_valid(arrival)) {
		sk_date_add_days(arrival, have_days ? strtol(days, NULL, 10) : 0, date);
		if (sk_set(rec, "due_date", date) != SK_OK)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	const char *done = sk_get(rec, "completed_date");
	/* Taken again: a new completion date brings a new expiry, unless the
	 * same change gives one. */
	if (prev && done && !same_value(done, sk_get(prev, "completed_date")) &&
	    same_value(sk_get(rec, "expires_date"), sk_get(prev, "expires_date")) &&
	    sk_set(rec, "expires_date", NULL) != SK_OK)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	if (have_months && done && sk_date_valid(done) && !sk_get(rec, "expires_date")) {
		sk_date_add_months(done, strtol(months, NULL, 10), date);
		if (sk_set(rec, "expires_date", date) != SK_OK)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	return SK_OK;
}

bool sk_is_loa(const char *authority)
{
	static const char *const loa[] = {"fms", "fmf", "s333", "eda", NULL};
	return one_of(authority, loa);
}

/* The milestone date a case's status stands on (NULL: none). */
static const char *milestone_of(const char *status)
{
	static const struct { const char *status, *date; } m[] = {
		{"lor_received", "lor_date"}, {"offered", "offer_date"},
		{"accepted", "accepted_date"}, {"implemented", "implemented_date"},
		{"supply_complete", "ssc_date"}, {"closed", "closed_date"},
	};
	for (size_t i = 0; status && i < sizeof m / sizeof m[0]; i++)
		if (strcmp(status, m[i].status) == 0)
			return m[i].date;
	return NULL;
}

/* status_date records when a program entered its status: set when the
 * status changes, unless the change gives it; for a case, the date of the
 * milestone the status stands on (accepted on the acceptance date), else
 * today. */
/* The statuses of a program that is not a case (schema 6); Cancelled is
 * both's. */
static const char *const program_statuses[] = {"planned", "active", "complete", NULL};

int sk_prepare_programs(sk_db *db, sk_record *rec, const sk_record *prev, sk_err *err)
{
	/* A new program that is not a case, given LOR received (the column's
	 * default, which a form or a file that does not know the authority
	 * gives), is Planned, as the upgrade to schema 6 mapped such rows. */
	const char *auth = sk_get(rec, "authority"), *st = sk_get(rec, "status");
	if (!prev && auth && !sk_is_loa(auth) && st && strcmp(st, "lor_received") == 0 &&
	    sk_set(rec, "status", "planned") != SK_OK)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	const char *date = sk_get(rec, "status_date");
	bool moved = !prev || !same_value(sk_get(rec, "status"), sk_get(prev, "status"));
	bool given = date && (!prev || !same_value(date, sk_get(prev, "status_date")));
	if (moved && !given) {
		const char *m = sk_is_loa(sk_get(rec, "authority")) ? milestone_of(sk_get(rec, "status"))
		                                                     : NULL;
		const char *on = m ? sk_get(rec, m) : NULL;
		if (sk_set(rec, "status_date", on && sk_date_valid(on) ? on : sk_today(db)) != SK_OK)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	return SK_OK;
}

/*
 * A case's id agrees with its implementing agency (the letter after the
 * country code) and with the office's country code (setting country_code,
 * when set); its milestone dates run in order where each is given: LOR,
 * offer, acceptance, implementation, supply complete, closure, and the
 * offer before its expiry.
 */
bool sk_program_status_fits(const sk_record *rec, const char *status)
{
	const char *auth = sk_get(rec, "authority");
	return !auth || !status || strcmp(status, "cancelled") == 0 ||
	       sk_is_loa(auth) != one_of(status, program_statuses);
}

int sk_row_programs(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	/* each authority its own lifecycle: a case runs LOR received to
	 * Closed; IMET, Sec. 345, INCLE and the others are Planned, Active,
	 * Complete */
	const char *auth = sk_get(rec, "authority"), *status = sk_get(rec, "status");
	if (!sk_program_status_fits(rec, status)) {
		const sk_column *ac = sk_column_find(rec->table, "authority");
		const char *al = sk_enum_label(ac->enumeration, auth);
		bool loa = sk_is_loa(auth);
		char reason[200], says[200];
		snprintf(reason, sizeof reason, "%s is %s: its status is one of %s, cancelled", auth,
		         loa ? "a case" : "not a case",
		         loa ? "lor_received, development, offered, accepted, implemented, "
		               "supply_complete, closed"
		             : "planned, active, complete");
		snprintf(says, sizeof says, "%s is %s: Status is %s or Cancelled", al,
		         loa ? "a case" : "not a case",
		         loa ? "LOR received ... Closed" : "Planned, Active, Complete");
		return sk_invalid_says(err, rec->table, "status", status, reason, says);
	}
	const char *cid = sk_get(rec, "case_id"), *ia = sk_get(rec, "implementing_agency");
	if (cid && strlen(cid) == 8 && ia && ia[0] && cid[3] != ia[0]) {
		char reason[160], says[200];
		snprintf(reason, sizeof reason,
		         "its implementing agency letter is %c, but implementing_agency is %s", cid[3], ia);
		snprintf(says, sizeof says, "Case %s names implementing agency %c; IA is %s", cid, cid[3],
		         ia);
		return sk_invalid_says(err, rec->table, "case_id", cid, reason, says);
	}
	char cc[16];
	if (cid && strlen(cid) == 8 && sk_setting(db, "country_code", cc, sizeof cc) == SK_OK &&
	    cc[0] && strncmp(cid, cc, 2) != 0) {
		char reason[160], says[200];
		snprintf(reason, sizeof reason, "does not begin with the country code %s (setting "
		         "country_code)", cc);
		snprintf(says, sizeof says, "Case %s does not begin with the country code %s", cid, cc);
		return sk_invalid_says(err, rec->table, "case_id", cid, reason, says);
	}
	/* a case type belongs to a case: a program that is none (IMET, Sec.
	 * 345 and the rest) runs on no LOA, and its thresholds are none of
	 * those a case type sets (alerts.c) */
	const char *authority = auth, *ctype = sk_get(rec, "case_type");
	if (ctype && !sk_is_loa(authority)) {
		const sk_column *ac = sk_column_find(rec->table, "authority");
		const sk_column *tc = sk_column_find(rec->table, "case_type");
		const char *al = authority ? sk_enum_label(ac->enumeration, authority) : "no authority";
		char reason[160], says[200];
		snprintf(reason, sizeof reason, "only a case (authority fms, fmf, s333 or eda) has a "
		         "case type; authority is %s", authority ? authority : "not given");
		snprintf(says, sizeof says, "%s %s is for cases (FMS, FMF, Sec. 333, EDA); a %s program "
		         "has none", tc->label, sk_enum_label(tc->enumeration, ctype), al);
		return sk_invalid_says(err, rec->table, "case_type", ctype, reason, says);
	}
	/* a case's status stands on its milestone: Offered needs the offer
	 * date, Accepted the acceptance date, and so on (checked when the
	 * status is set, so that a case already past it is not held up by
	 * an edit of another field) */
	const char *m = sk_is_loa(auth) ? milestone_of(status) : NULL;
	if (m && strcmp(m, "lor_date") == 0)
		m = NULL; /* a new case starts there, its LOR date perhaps not yet known */
	bool moved = !prev || !same_value(status, sk_get(prev, "status"));
	if (m && moved && !sk_get(rec, m)) {
		const sk_column *sc = sk_column_find(rec->table, "status");
		const sk_column *mc = sk_column_find(rec->table, m);
		char reason[160], says[200];
		snprintf(reason, sizeof reason, "a case in this status needs its %s", m);
		snprintf(says, sizeof says, "%s needs a date in %s", sk_enum_label(sc->enumeration, status),
		         mc->label);
		return sk_invalid_says(err, rec->table, "status", status, reason, says);
	}
	static const char *const order[] = {"lor_date", "offer_date", "accepted_date",
	                                    "implemented_date", "ssc_date", "closed_date"};
	const char *last = NULL;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (!sk_get(rec, order[i]))
			continue;
		sk_status s = last ? in_order(rec, last, order[i], err) : SK_OK;
		if (s != SK_OK)
			return s;
		last = order[i];
	}
	return in_order(rec, "offer_date", "oed_date", err);
}

/* Does a live training record of person for course exist (open only:
 * not completed and not waived)? -1 on error. */
static int has_training(sk_db *db, long long person, const char *course, bool open, sk_err *err)
{
	sqlite3_stmt *st;
	const char *sql = open ? "SELECT 1 FROM staff_training WHERE person_id = ? AND course_code = ?"
	                         " AND deleted_at IS NULL AND completed_date IS NULL AND waived = 0"
	                       : "SELECT 1 FROM staff_training WHERE person_id = ? AND course_code = ?"
	                         " AND deleted_at IS NULL";
	if (sk_prepare_cached(db, sql, &st, err) != SK_OK)
		return -1;
	sqlite3_bind_int64(st, 1, person);
	sqlite3_bind_text(st, 2, course, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sk_release(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sk_fail_sqlite(db, err, "looking up training"), -1;
	return rc == SQLITE_ROW;
}

/* A training record of person for course (its due date computed as any
 * new one's, or due when given). */
static sk_status add_training(sk_db *db, long long person, const char *course, const char *due,
                              sk_err *err)
{
	sk_record *t = sk_record_new(sk_table_find("staff_training"));
	if (!t)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	sk_status s = sk_set_int(t, "person_id", person);
	if (s == SK_OK)
		s = sk_set(t, "course_code", course);
	if (s == SK_OK && due)
		s = sk_set(t, "due_date", due);
	s = s == SK_OK ? sk_insert(db, t, err) : sk_fail(err, SK_NOMEM, NULL, "out of memory");
	sk_record_free(t);
	return s;
}

/*
 * Required training comes from the catalogue: a person added, or whose
 * arrival, billet or status changed, gets a training record for each live
 * course that applies to them (applies_to: all; us_staff for anyone not
 * LES; les; chief for the holder of a chief's or the SDO/DATT's billet,
 * the office's senior leaders) and that they have
 * no record of yet. Departed staff get none.
 */
int sk_after_personnel(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	static const char *const moves[] = {"arrival_date", "billet_number", "status"};
	bool moved = !prev;
	for (size_t i = 0; prev && i < sizeof moves / sizeof moves[0]; i++)
		moved |= !same_value(sk_get(rec, moves[i]), sk_get(prev, moves[i]));
	const char *status = sk_get(rec, "status"), *service = sk_get(rec, "service");
	if (!moved || (status && strcmp(status, "departed") == 0))
		return SK_OK;
	char role[32] = "";
	const char *billet = sk_get(rec, "billet_number");
	if (billet)
		lookup(db, "SELECT role FROM billets WHERE billet_number = ? AND deleted_at IS NULL",
		       billet, 0, role, sizeof role);
	bool les = service && strcmp(service, "les") == 0;
	long long person = sk_record_id(rec);
	sqlite3_stmt *st;
	sk_status s = sk_prepare(db, "SELECT code, applies_to FROM courses WHERE deleted_at IS NULL"
	                         " ORDER BY code", &st, err);
	if (s != SK_OK)
		return s;
	/* the codes first: inserting while the statement walks the courses
	 * is fine in SQLite, but a record's own checks read the courses too */
	char codes[64][64];
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *to = (const char *)sqlite3_column_text(st, 1);
		bool applies = !to || strcmp(to, "all") == 0 ||
		               (strcmp(to, "us_staff") == 0 && !les) ||
		               (strcmp(to, "les") == 0 && les) ||
		               (strcmp(to, "chief") == 0 &&
		                (strcmp(role, "chief") == 0 || strcmp(role, "sdo_datt") == 0));
		if (applies && code)
			snprintf(codes[n++], sizeof codes[0], "%s", code);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		s = sk_fail_sqlite(db, err, "reading the course catalogue");
	sqlite3_finalize(st);
	for (int i = 0; s == SK_OK && i < n; i++) {
		int has = has_training(db, person, codes[i], false, err);
		s = has < 0 ? (err ? err->status : SK_DB) : has ? SK_OK
		                                                : add_training(db, person, codes[i], NULL, err);
	}
	return s;
}

/* A recurring course completed brings the next record, due when this one
 * expires (unless one is open already). */
int sk_after_staff_training(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	const char *done = sk_get(rec, "completed_date"), *expires = sk_get(rec, "expires_date");
	const char *code = sk_get(rec, "course_code");
	char months[24];
	if (!done || !expires || !code || (prev && sk_get(prev, "completed_date")) ||
	    !lookup(db, "SELECT recurs_months FROM courses WHERE code = ?", code, 0, months,
	            sizeof months))
		return SK_OK;
	long long person = strtoll(sk_get(rec, "person_id"), NULL, 10);
	int open = has_training(db, person, code, true, err);
	if (open < 0)
		return err ? err->status : SK_DB;
	return open ? SK_OK : add_training(db, person, code, expires, err);
}

/* A check of one case sees that case's items: a line naming an item of
 * another case would count as that item's inventory though the check was
 * never about it. (A check that names no case may see any.) */
int sk_row_eum_check_items(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	(void)prev;
	const char *check = sk_get(rec, "check_id"), *item = sk_get(rec, "item_id");
	if (!check || !item)
		return SK_OK;
	char want[24], have[24];
	if (!lookup(db, "SELECT program_id FROM eum_checks WHERE id = ?", NULL,
	            strtoll(check, NULL, 10), want, sizeof want) ||
	    !lookup(db, "SELECT program_id FROM eum_items WHERE id = ?", NULL,
	            strtoll(item, NULL, 10), have, sizeof have) ||
	    strcmp(want, have) == 0)
		return SK_OK;
	static const char name[] = "SELECT " SK_CASE_OF("?");
	char wname[200] = "?", hname[200] = "?";
	lookup(db, name, NULL, strtoll(want, NULL, 10), wname, sizeof wname);
	lookup(db, name, NULL, strtoll(have, NULL, 10), hname, sizeof hname);
	char reason[512], says[512];
	snprintf(reason, sizeof reason, "the item is on case %s, check %s on case %s: a check "
	         "sees only its own case's items", hname, check, wname);
	char serial[120] = "";
	lookup(db, "SELECT serial_number FROM eum_items WHERE id = ?", NULL,
	       strtoll(item, NULL, 10), serial, sizeof serial);
	snprintf(says, sizeof says, "Serial %.100s is on case %.100s; this check is of case %.100s",
	         serial[0] ? serial : item, hname, wname);
	return sk_invalid_says(err, rec->table, "item_id", item, reason, says);
}

/* The same rule from the other side: a check's case, or an item's, may
 * not change away from the case of the lines it has (one such line, in
 * *line and *other; 0 when none). */
static bool crossing_line(sk_db *db, const char *sql, long long id, const char *program,
                          long long *line, long long *other)
{
	sqlite3_stmt *st;
	*line = *other = 0;
	if (sk_prepare_cached(db, sql, &st, NULL) != SK_OK)
		return false;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, strtoll(program, NULL, 10));
	if (sqlite3_step(st) == SQLITE_ROW) {
		*line = sqlite3_column_int64(st, 0);
		*other = sqlite3_column_int64(st, 1);
	}
	sk_release(db, st);
	return *line != 0;
}

/* Refuses rec's new case when one of its lines is of another (what: the
 * other side of the line, "item" or "check"; sql finds such a line). */
static sk_status case_kept(sk_db *db, const sk_record *rec, const sk_record *prev,
                           const char *sql, const char *what, sk_err *err)
{
	const char *program = sk_get(rec, "program_id");
	long long line, other;
	if (!prev || !program || same_value(program, sk_get(prev, "program_id")) ||
	    !crossing_line(db, sql, sk_record_id(rec), program, &line, &other))
		return SK_OK;
	char reason[300], says[300];
	snprintf(reason, sizeof reason, "its check lines are of another case (line %lld, %s %lld): "
	         "a check sees only its own case's items; delete those lines first", line, what,
	         other);
	snprintf(says, sizeof says, "Its check lines are of another case (%s %lld); delete them "
	         "first", what, other);
	return sk_invalid_says(err, rec->table, "program_id", program, reason, says);
}

int sk_row_eum_checks(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	return case_kept(db, rec, prev,
	                 "SELECT x.id, x.item_id FROM eum_check_items x"
	                 " JOIN eum_items i ON i.id = x.item_id WHERE x.check_id = ?"
	                 " AND x.deleted_at IS NULL AND i.program_id <> ? LIMIT 1",
	                 "item", err);
}

int sk_row_eum_items(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err)
{
	return case_kept(db, rec, prev,
	                 "SELECT x.id, x.check_id FROM eum_check_items x"
	                 " JOIN eum_checks c ON c.id = x.check_id WHERE x.item_id = ?"
	                 " AND x.deleted_at IS NULL AND c.program_id <> ? LIMIT 1",
	                 "check", err);
}
