/*
 * alerts.c: the rules of domain.md, "Rules (alerts)", as queries.
 *
 * Each rule is one query that yields (row id, subject, detail, due date)
 * for every record it finds; sk_today() and :n (the rule's threshold from
 * settings) are bound by name. Rule 1 (no travel order without approved
 * vetting) is not an alert but a refusal: see rules.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/alerts.h"
#include "core.h"

typedef struct rule {
	sk_severity severity;
	const char *code;
	const char *table;
	const char *setting; /* threshold bound as :n, or NULL */
	const char *setting2; /* a second one, bound as :m, or NULL */
	/* The query yields a fifth column, 1 when the row is past the point
	 * where the rule's warning becomes an error (an inventory overdue,
	 * not only due). */
	bool escalates;
	const char *sql;
	/* the rule's rows in the dashboard's order (due date, dated first,
	 * then id), in terms an index can give; NULL: by the result columns */
	const char *order;
} rule;

#define PERSON "p.last_name || ', ' || p.first_name || coalesce(' (' || nullif(p.grade, '') || ')', '')"
#define STUDENT "s.last_name || ', ' || s.first_name || coalesce(' (' || nullif(s.rank, '') || ')', '')"
#define PROGRAM "coalesce(nullif(g.case_id, '') || ' ', '') || g.title"
#define ACTIVE_STUDENT "s." SK_ACTIVE_STUDENT
/* An index holds the active students with what these rules look at
 * (schema version 4): the rules read it alone, and the table only for the
 * students they report. */
#define STUDENTS "students s INDEXED BY students_active"
#define ON_BOARD "p.status IN ('present', 'tdy', 'leave')"
/* A program's threshold by its case type: parameter :BASE__TYPE is bound
 * to setting BASE_TYPE, or BASE where the case type has none of its own;
 * :BASE__none (a case without a case type) to BASE. Every case type of
 * the enumeration has its parameter here (test_alerts.c sets each). */
#define BY_CASE_TYPE(base)                                                            \
	"CASE g.case_type WHEN 'defined_order' THEN :" base "__defined_order"          \
	" WHEN 'blanket_order' THEN :" base "__blanket_order"                          \
	" WHEN 'training' THEN :" base "__training WHEN 'bpc' THEN :" base "__bpc"     \
	" WHEN 'cooperative_logistics' THEN :" base "__cooperative_logistics"          \
	" WHEN 'other' THEN :" base "__other ELSE :" base "__none END"
/* When an offer expires: its OED, or without one offer_valid_days (by
 * case type) after the offer. */
#define EXPIRY                                                                  \
	"coalesce(g.oed_date, date(g.offer_date, printf('+%d days', "            \
	BY_CASE_TYPE("offer_valid_days") ")))"

/* End-use monitoring: an item as a reader names it (its case, serial
 * and description), what is held, what is watched and read from its own
 * index, and what counts as an inventory. */
#define EUM_ITEM                                                                  \
	"coalesce((SELECT nullif(g.case_id, '') || ' ' FROM programs g"           \
	" WHERE g.id = i.program_id), '') || i.serial_number || ' ' || i.description"
#define HELD "i.status IN ('in_storage', 'issued')"
#define WATCHED "eum_items i INDEXED BY eum_items_watched"
#define IS_WATCHED "i.eeum = 1 AND i.deleted_at IS NULL AND " HELD
/* what counts as an inventory, and what the last one saw: core.h's, as
 * the register's derived columns read them */
#define INVENTORY(c) SK_EUM_INVENTORY(c)
#define LAST_SEEN(item) SK_EUM_LAST_SEEN(item)
#define LAST_LINE(item, col) SK_EUM_LAST_LINE(item, col)
#define EVER_SEEN(item) SK_EUM_EVER_SEEN(item)
/* an inventory due this close is a warning (not a setting: the issue's
 * "within 30 days") */
#define EUM_DUE_SOON "30"

static const rule rules[] = {
	/* 2: students about to report */
	{SK_ERROR, "student-vetting", "students", "alert_vetting_days", NULL, false,
	 "SELECT s.id, " STUDENT ", printf('reports %s; vetting %s, not approved',"
	 " s.report_date, replace(s.leahy_status, '_', ' ')), s.report_date"
	 " FROM " STUDENTS " WHERE s.deleted_at IS NULL AND " ACTIVE_STUDENT
	 " AND s.leahy_status <> 'approved' AND s.report_date IS NOT NULL"
	 " AND s.report_date <= date(sk_today(), printf('+%d days', :n))", NULL},
	{SK_WARNING, "student-ecl", "students", NULL, NULL, false,
	 "SELECT s.id, " STUDENT ", printf('ECL %d below the course minimum %d',"
	 " s.ecl_score, s.ecl_required), s.report_date"
	 " FROM " STUDENTS " WHERE s.deleted_at IS NULL AND " ACTIVE_STUDENT
	 " AND s.ecl_score < s.ecl_required", NULL},
	{SK_WARNING, "student-medical", "students", "alert_medical_days", NULL, false,
	 "SELECT s.id, " STUDENT ", printf('reports %s without medical clearance',"
	 " s.report_date), s.report_date"
	 " FROM " STUDENTS " WHERE s.deleted_at IS NULL AND " ACTIVE_STUDENT
	 " AND s.medical_cleared = 0 AND s.report_date IS NOT NULL"
	 " AND s.report_date <= date(sk_today(), printf('+%d days', :n))", NULL},

	{SK_ERROR, "student-leahy-lapse", "students", "leahy_valid_days", NULL, false,
	 "SELECT s.id, " STUDENT ", printf('Leahy approval of %s lapses %s, before the"
	 " report date %s', s.leahy_date, date(s.leahy_date, printf('+%d days', :n)),"
	 " s.report_date), date(s.leahy_date, printf('+%d days', :n))"
	 " FROM " STUDENTS " WHERE s.deleted_at IS NULL AND " ACTIVE_STUDENT
	 " AND s.leahy_status = 'approved' AND s.leahy_date IS NOT NULL"
	 " AND s.report_date IS NOT NULL"
	 " AND date(s.leahy_date, printf('+%d days', :n)) < s.report_date", NULL},
	{SK_ERROR, "student-security-vetting", "students", "alert_vetting_days", NULL, false,
	 "SELECT s.id, " STUDENT ", printf('reports %s; security vetting %s, not complete',"
	 " s.report_date, coalesce(replace(s.security_vetting, '_', ' '), 'not recorded')),"
	 " s.report_date FROM " STUDENTS " WHERE s.deleted_at IS NULL AND " ACTIVE_STUDENT
	 " AND s.security_vetting IS NOT 'complete' AND s.report_date IS NOT NULL"
	 " AND s.report_date <= date(sk_today(), printf('+%d days', :n))", NULL},
	/* until the student is accounted for (the status changed from it) */
	{SK_ERROR, "student-absent", "students", NULL, NULL, false,
	 "SELECT s.id, " STUDENT ", printf('absent without authorization from %s%s',"
	 " coalesce(s.course_title, 'the course'), coalesce(' at ' || s.school, '')),"
	 " NULL FROM students s WHERE s.deleted_at IS NULL AND s.status = 'absent'", NULL},

	/* 3: manning */
	{SK_WARNING, "deros-no-replacement", "personnel", "alert_deros_days", NULL, false,
	 "SELECT p.id, " PERSON ", printf('DEROS %s from billet %s; no inbound"
	 " replacement', p.deros_date, p.billet_number), p.deros_date"
	 " FROM personnel p WHERE p.deleted_at IS NULL AND " ON_BOARD
	 " AND p.billet_number IS NOT NULL AND p.deros_date IS NOT NULL"
	 " AND p.deros_date <= date(sk_today(), printf('+%d days', :n))"
	 " AND NOT EXISTS (SELECT 1 FROM personnel r WHERE r.deleted_at IS NULL"
	 "  AND +r.status = 'inbound' AND r.billet_number = p.billet_number)", NULL},
	{SK_WARNING, "billet-gap", "billets", NULL, NULL, false,
	 "SELECT b.id, b.billet_number || ' ' || b.title,"
	 " printf('gap of %d day%s: incumbent leaves %s, replacement arrives %s',"
	 "  CAST(julianday(r.arrival_date) - julianday(p.deros_date) AS INTEGER),"
	 "  CASE CAST(julianday(r.arrival_date) - julianday(p.deros_date) AS INTEGER)"
	 "   WHEN 1 THEN '' ELSE 's' END,"
	 "  p.deros_date, r.arrival_date), p.deros_date"
	 " FROM billets b JOIN personnel p ON p.billet_number = b.billet_number"
	 " JOIN personnel r ON r.billet_number = b.billet_number"
	 " WHERE b.deleted_at IS NULL AND p.deleted_at IS NULL AND r.deleted_at IS NULL"
	 " AND " ON_BOARD " AND r.status = 'inbound'"
	 " AND r.arrival_date > p.deros_date", NULL},
	{SK_WARNING, "billet-vacant", "billets", NULL, NULL, false,
	 "SELECT b.id, b.billet_number || ' ' || b.title, 'vacant' || coalesce("
	 " (SELECT '; ' || r.last_name || ' inbound ' || coalesce(r.arrival_date, '(no date)')"
	 "  FROM personnel r WHERE r.deleted_at IS NULL AND +r.status = 'inbound'"
	 "  AND r.billet_number = b.billet_number ORDER BY r.arrival_date LIMIT 1), ''),"
	 " (SELECT min(r.arrival_date) FROM personnel r WHERE r.deleted_at IS NULL"
	 "  AND +r.status = 'inbound' AND r.billet_number = b.billet_number)"
	 " FROM billets b WHERE b.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
	 " personnel p WHERE p.deleted_at IS NULL AND p.billet_number = b.billet_number"
	 " AND " ON_BOARD ")", NULL},

	{SK_WARNING, "billet-double-filled", "billets", NULL, NULL, false,
	 /* two on board at once: the manning document has one line for them */
	 "SELECT b.id, b.billet_number || ' ' || b.title, 'billet double-filled: ' ||"
	 " (SELECT group_concat(name, ' and ') FROM (SELECT " PERSON " AS name"
	 "  FROM personnel p WHERE p.deleted_at IS NULL AND p.billet_number = b.billet_number"
	 "  AND " ON_BOARD " ORDER BY p.arrival_date, p.id)), NULL"
	 " FROM billets b WHERE b.deleted_at IS NULL AND (SELECT count(*) FROM personnel p"
	 " WHERE p.deleted_at IS NULL AND p.billet_number = b.billet_number"
	 " AND " ON_BOARD ") > 1", NULL},

	/* 4: staff training */
	{SK_ERROR, "training-overdue", "staff_training", NULL, NULL, false,
	 "SELECT t.id, " PERSON ", printf('%s was due %s', t.course_code, t.due_date),"
	 " t.due_date FROM staff_training t JOIN personnel p ON p.id = t.person_id"
	 " WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status <> 'departed'"
	 " AND t.waived = 0 AND t.completed_date IS NULL AND t.due_date < sk_today()"
	 /* a refresher due when the last one expired: training-expired says it */
	 " AND NOT EXISTS (SELECT 1 FROM staff_training o WHERE o.person_id = t.person_id"
	 "  AND o.course_code = t.course_code AND o.deleted_at IS NULL AND o.waived = 0"
	 "  AND o.completed_date IS NOT NULL AND o.expires_date = t.due_date)", NULL},
	{SK_WARNING, "training-due", "staff_training", "alert_training_warn_days", NULL, false,
	 "SELECT t.id, " PERSON ", printf('%s due %s', t.course_code, t.due_date),"
	 " t.due_date FROM staff_training t JOIN personnel p ON p.id = t.person_id"
	 " WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status <> 'departed'"
	 " AND t.waived = 0 AND t.completed_date IS NULL AND t.due_date >= sk_today()"
	 " AND t.due_date <= date(sk_today(), printf('+%d days', :n))", NULL},
	{SK_ERROR, "training-expired", "staff_training", NULL, NULL, false,
	 "SELECT t.id, " PERSON ", printf('%s expired %s', t.course_code, t.expires_date),"
	 " t.expires_date FROM staff_training t JOIN personnel p ON p.id = t.person_id"
	 " WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status <> 'departed'"
	 " AND t.waived = 0 AND t.completed_date IS NOT NULL AND t.expires_date < sk_today()", NULL},

	/* 5: certification (sk_cert_rank: levels in the order of the enumeration).
	 * A person has cert_window_months after arrival to reach the billet's
	 * level: until then it is noted with that date, after it a warning;
	 * without an arrival date there is no window to give. */
	{SK_INFO, "cert-due", "personnel", "cert_window_months", NULL, false,
	 "SELECT p.id, " PERSON ", printf('certified %s; billet %s requires %s by %s',"
	 " p.cert_level, b.billet_number, b.required_cert_level,"
	 " date(p.arrival_date, printf('+%d months', :n))),"
	 " date(p.arrival_date, printf('+%d months', :n))"
	 " FROM personnel p JOIN billets b ON b.billet_number = p.billet_number"
	 " WHERE p.deleted_at IS NULL AND b.deleted_at IS NULL AND p.status <> 'departed'"
	 " AND sk_cert_rank(p.cert_level) < sk_cert_rank(b.required_cert_level)"
	 " AND date(p.arrival_date, printf('+%d months', :n)) >= sk_today()", NULL},
	{SK_WARNING, "cert-below", "personnel", "cert_window_months", NULL, false,
	 "SELECT p.id, " PERSON ", printf('certified %s; billet %s requires %s',"
	 " p.cert_level, b.billet_number, b.required_cert_level),"
	 " date(p.arrival_date, printf('+%d months', :n))"
	 " FROM personnel p JOIN billets b ON b.billet_number = p.billet_number"
	 " WHERE p.deleted_at IS NULL AND b.deleted_at IS NULL AND p.status <> 'departed'"
	 " AND sk_cert_rank(p.cert_level) < sk_cert_rank(b.required_cert_level)"
	 " AND coalesce(date(p.arrival_date, printf('+%d months', :n)) < sk_today(), 1)", NULL},

	/* 6: programs */
	{SK_ERROR, "program-case-id", "programs", NULL, NULL, false,
	 "SELECT g.id, " PROGRAM ", CASE g.authority WHEN 'fms' THEN 'FMS' WHEN 'fmf' THEN 'FMF'"
	 " WHEN 's333' THEN 'Sec. 333' ELSE 'EDA' END || ' program without a case id', NULL"
	 " FROM programs g WHERE g.deleted_at IS NULL AND g.authority IN " SK_LOA_AUTHORITIES
	 " AND g.status <> 'cancelled' AND (g.case_id IS NULL OR g.case_id = '')", NULL},
	/* a §333 or FMF program under way while a unit named on it has no
	 * valid approval (approved within leahy_valid_days) */
	{SK_ERROR, "unit-vetting", "unit_vetting", "leahy_valid_days", NULL, false,
	 "SELECT u.id, u.unit, printf('on %s, implemented: %s', " PROGRAM ","
	 " CASE WHEN u.result = 'approved' THEN printf('approval of %s lapsed %s', u.result_date,"
	 "  date(u.result_date, printf('+%d days', :n)))"
	 "  ELSE 'vetting ' || replace(u.result, '_', ' ') END),"
	 " CASE WHEN u.result = 'approved' THEN date(u.result_date, printf('+%d days', :n)) END"
	 " FROM unit_vetting u JOIN programs g ON g.id = u.program_id"
	 " WHERE u.deleted_at IS NULL AND g.deleted_at IS NULL"
	 " AND g.authority IN ('s333', 'fmf') AND g.status = 'implemented'"
	 " AND (u.result <> 'approved' OR u.result_date IS NULL"
	 "  OR date(u.result_date, printf('+%d days', :n)) < sk_today())", NULL},
	{SK_WARNING, "program-aod-past", "programs", NULL, NULL, false,
	 "SELECT g.id, " PROGRAM ", printf('anticipated offer date %s passed, not yet"
	 " offered', g.aod_date), g.aod_date FROM programs g WHERE g.deleted_at IS NULL"
	 " AND g.authority IN " SK_LOA_AUTHORITIES
	 " AND g.status IN ('lor_received', 'development') AND g.aod_date < sk_today()", NULL},
	/* an offer stands offer_valid_days by its case type (a BPC pseudo-LOA's
	 * far shorter than a sale's) unless its OED says otherwise */
	{SK_WARNING, "program-oed", "programs", "alert_oed_days", NULL, false,
	 "SELECT g.id, " PROGRAM ", printf('offer expires %s', " EXPIRY ") || CASE WHEN"
	 " g.oed_date IS NULL THEN printf(' (offered %s, no OED recorded)', g.offer_date)"
	 " ELSE '' END, " EXPIRY
	 " FROM programs g WHERE g.deleted_at IS NULL AND g.status = 'offered'"
	 " AND g.authority IN " SK_LOA_AUTHORITIES
	 " AND " EXPIRY " <= date(sk_today(), printf('+%d days', :n))", NULL},
	/* closure is due alert_ssc_months after supply complete by case type
	 * (a training case's later) */
	{SK_WARNING, "program-ssc-open", "programs", NULL, NULL, false,
	 "SELECT g.id, " PROGRAM ", printf('supply complete since %s and not closed',"
	 " coalesce(g.ssc_date, g.status_date)),"
	 " date(coalesce(g.ssc_date, g.status_date), printf('+%d months', "
	 BY_CASE_TYPE("alert_ssc_months") "))"
	 " FROM programs g WHERE g.deleted_at IS NULL AND g.status = 'supply_complete'"
	 " AND g.authority IN " SK_LOA_AUTHORITIES
	 " AND coalesce(g.ssc_date, g.status_date) <= date(sk_today(), printf('-%d months', "
	 BY_CASE_TYPE("alert_ssc_months") "))", NULL},

	/* 7: engagements */
	{SK_WARNING, "followup-overdue", "engagements", NULL, NULL, false,
	 "SELECT e.id, e.date || ' ' || replace(e.type, '_', ' ') || coalesce(' at ' ||"
	 " e.location, ''), printf('follow-up due %s: %s', e.followup_due,"
	 " substr(coalesce(e.followup, ''), 1, 80)), e.followup_due FROM engagements e"
	 /* the open follow-ups have an index of their own, due date first */
	 " INDEXED BY engagements_followup_open"
	 " WHERE e.deleted_at IS NULL AND e.followup_done = 0 AND e.followup_due < sk_today()",
	 "e.followup_due, e.id"},
	{SK_INFO, "key-leader-stale", "contacts", "alert_key_leader_days", NULL, false,
	 /* the date of each contact's last live engagement is kept by
	  * triggers (contact_last_engaged, schema version 4): one look per
	  * key leader, however many engagements there are */
	 "SELECT c.id, c.last_name || coalesce(', ' || c.first_name, '') ||"
	 " coalesce(' (' || c.position || ')', ''), coalesce('last engaged ' || x.date,"
	 " 'never engaged'), NULL FROM contacts c INDEXED BY contacts_key_leaders"
	 " LEFT JOIN contact_last_engaged x"
	 " ON x.contact_id = c.id WHERE c.deleted_at IS NULL AND c.key_leader = 1"
	 " AND (x.date IS NULL OR x.date < date(sk_today(), printf('-%d days', :n)))",
	 "c.id"},

	/* 8: end-use monitoring. An item is watched while under enhanced
	 * monitoring and held (in storage or issued); an inventory is an
	 * initial or annual one, and it saw the item unless its line says
	 * not_seen (damaged and at the wrong site were seen). */
	{SK_WARNING, "eum-initial-inventory", "eum_items", "eum_initial_days", NULL, true,
	 "SELECT i.id, " EUM_ITEM ", printf('delivered %s; no inventory has seen it',"
	 " i.delivered_date), date(i.delivered_date, printf('+%d days', :n)),"
	 " i.delivered_date < date(sk_today(), printf('-%d days', 2 * :n))"
	 " FROM " WATCHED " WHERE " IS_WATCHED
	 " AND i.delivered_date < date(sk_today(), printf('-%d days', :n))"
	 " AND NOT " EVER_SEEN("i.id"), NULL},
	{SK_WARNING, "eum-inventory-due", "eum_items", "eum_inventory_days", NULL, true,
	 /* each watched item's last inventory read once (a subquery in FROM
	  * would be flattened and read again for each use of it), and the
	  * subject made only for the items due */
	 "WITH s AS MATERIALIZED (SELECT i.id AS id, " LAST_SEEN("i.id") " AS last"
	 "  FROM " WATCHED " WHERE " IS_WATCHED ")"
	 " SELECT i.id, " EUM_ITEM ", printf('last seen by an inventory %s; the next is due %s',"
	 " s.last, date(s.last, printf('+%d days', :n))), date(s.last, printf('+%d days', :n)),"
	 " date(s.last, printf('+%d days', :n)) < sk_today()"
	 " FROM s JOIN eum_items i ON i.id = s.id"
	 " WHERE date(s.last, printf('+%d days', :n)) <= date(sk_today(), '+" EUM_DUE_SOON " days')",
	 NULL},
	/* until resolved: found, or its status says where it went */
	{SK_ERROR, "eum-item-missing", "eum_items", NULL, NULL, false,
	 "SELECT i.id, " EUM_ITEM ", i.status || coalesce(' since ' || i.status_date, ''),"
	 " i.status_date FROM eum_items i INDEXED BY eum_items_missing"
	 " WHERE i.deleted_at IS NULL AND i.status IN ('lost', 'stolen')"
	 " UNION ALL SELECT i.id, " EUM_ITEM ", printf('not seen by the %s of %s',"
	 " replace(c.kind, '_', ' '), c.date), c.date"
	 /* from the few lines that missed their item, not from every item
	  * held (CROSS JOIN keeps that order) */
	 " FROM eum_check_items x INDEXED BY eum_check_items_not_seen"
	 " CROSS JOIN eum_checks c CROSS JOIN eum_items i"
	 " WHERE c.id = x.check_id AND i.id = x.item_id"
	 " AND x.result = 'not_seen' AND x.deleted_at IS NULL AND c.deleted_at IS NULL"
	 " AND " INVENTORY("c") " AND i.deleted_at IS NULL AND " HELD
	 " AND x.id = " LAST_LINE("i.id", "y.id"), NULL},
	{SK_WARNING, "eum-followup", "eum_checks", NULL, NULL, false,
	 "SELECT c.id, replace(c.kind, '_', ' ') || ' of ' || c.date || coalesce(' at ' ||"
	 " c.site, ''), printf('follow-up due %s: %s', c.followup_due,"
	 " substr(coalesce(c.followup, ''), 1, 80)), c.followup_due FROM eum_checks c"
	 " INDEXED BY eum_checks_followup_open"
	 " WHERE c.deleted_at IS NULL AND c.followup_done = 0 AND c.followup_due < sk_today()",
	 "c.followup_due, c.id"},
	/* the office's EUM billet (role eum_officer): vacant, or its
	 * incumbent leaves before the next inventory (the earliest due of
	 * the watched items: a year after the last that saw one, or the
	 * initial one after delivery) */
	{SK_WARNING, "eum-billet", "billets", "eum_inventory_days", "eum_initial_days", false,
	 "SELECT b.id, b.billet_number || ' ' || b.title, CASE WHEN p.id IS NULL"
	 " THEN printf('vacant while %d enhanced-monitoring item%s held', w.n,"
	 "  CASE w.n WHEN 1 THEN ' is' ELSE 's are' END)"
	 " ELSE printf('%s leaves %s, before the next inventory, due %s', p.last_name,"
	 "  p.deros_date, w.due) END, coalesce(p.deros_date, w.due)"
	 " FROM billets b JOIN (SELECT count(*) AS n, min(due) AS due FROM (SELECT"
	 "  coalesce(date(" LAST_SEEN("i.id") ", printf('+%d days', :n)),"
	 "  date(i.delivered_date, printf('+%d days', :m))) AS due"
	 "  FROM " WATCHED " WHERE " IS_WATCHED ")) w ON w.n > 0"
	 " LEFT JOIN personnel p ON p.id = (SELECT q.id FROM personnel q"
	 "  WHERE q.deleted_at IS NULL AND q.billet_number = b.billet_number"
	 "  AND q.status IN ('present', 'tdy', 'leave') ORDER BY q.arrival_date DESC, q.id LIMIT 1)"
	 " WHERE b.deleted_at IS NULL AND b.role = 'eum_officer'"
	 " AND (p.id IS NULL OR p.deros_date < w.due)", NULL},
	/* closed (or supply complete) while an item on it is missing, not
	 * seen by its last inventory, or watched and never inventoried */
	{SK_ERROR, "eum-case-closed", "programs", NULL, NULL, false,
	 /* an item is accounted for when its last inventory saw it; a
	  * watched one with none is not (one lookup an item: a watched item
	  * that an inventory saw has a last line that saw it, since a line's
	  * result and a check's date are never NULL); each case's count made
	  * once */
	 "WITH k AS MATERIALIZED (SELECT g.id AS id,"
	 " (SELECT count(*) FROM eum_items i WHERE i.program_id = g.id AND i.deleted_at IS NULL"
	 "  AND (i.status IN ('lost', 'stolen') OR (" HELD " AND coalesce("
	 "  " LAST_LINE("i.id", "y.result") ", CASE i.eeum WHEN 1 THEN 'not_seen' END)"
	 "  = 'not_seen'))) AS n"
	 " FROM programs g WHERE g.deleted_at IS NULL AND g.status IN ('supply_complete', 'closed'))"
	 " SELECT g.id, " PROGRAM ", printf('%s with %d item%s not accounted for',"
	 " CASE g.status WHEN 'closed' THEN 'closed' ELSE 'supply complete' END, k.n,"
	 " CASE k.n WHEN 1 THEN '' ELSE 's' END),"
	 " coalesce(CASE g.status WHEN 'closed' THEN g.closed_date ELSE g.ssc_date END,"
	 "  g.status_date)"
	 " FROM k JOIN programs g ON g.id = k.id WHERE k.n > 0", NULL},
};

const char *sk_severity_name(sk_severity s)
{
	return s == SK_ERROR ? "error" : s == SK_WARNING ? "warning" : "info";
}

void sk_alerts_free(sk_alerts *a)
{
	free(a->items);
	a->items = NULL;
	a->count = a->cap = 0;
}

static sk_alert *push(sk_alerts *a)
{
	if (a->count == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		sk_alert *p = realloc(a->items, cap * sizeof *p);
		if (!p)
			return NULL;
		a->items = p;
		a->cap = cap;
	}
	sk_alert *al = &a->items[a->count++];
	memset(al, 0, sizeof *al);
	return al;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	size_t n = src ? strlen((const char *)src) : 0;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && (src[n] & 0xc0) == 0x80) /* keep characters whole */
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static int by_urgency(const void *pa, const void *pb)
{
	const sk_alert *a = pa, *b = pb;
	if (a->severity != b->severity)
		return (int)a->severity - (int)b->severity;
	if (!a->due_date[0] != !b->due_date[0])
		return a->due_date[0] ? -1 : 1; /* dated first */
	int c = strcmp(a->due_date, b->due_date);
	if (c)
		return c;
	c = strcmp(a->rule, b->rule);
	return c ? c : (a->row_id > b->row_id) - (a->row_id < b->row_id);
}

/* The threshold `base` sets for a case of case type `type` (NULL: none):
 * setting BASE_TYPE where there is one (declared, or stored and a whole
 * number), else setting base. */
static long long case_threshold(sk_db *db, const char *base, const char *type)
{
	char key[96], buf[32];
	if (type) {
		snprintf(key, sizeof key, "%s_%s", base, type);
		if (sk_setting(db, key, buf, sizeof buf) == SK_OK)
			return sk_setting_int(db, key); /* declared: its value or default */
		char *end;
		long long v = strtoll(buf, &end, 10);
		if (end != buf && !*end)
			return v;
	}
	return sk_setting_int(db, base);
}

/* A statement of rule r (sql: the rule's or one built on it) with the
 * rule's threshold bound as :n, and those by case type. */
static sk_status prepare_rule(sk_db *db, const rule *r, const char *sql, sqlite3_stmt **st,
                              sk_err *err)
{
	sk_status s = sk_prepare_cached(db, sql, st, err);
	if (s != SK_OK)
		return s;
	int n = sqlite3_bind_parameter_index(*st, ":n");
	if (n > 0)
		sqlite3_bind_int64(*st, n, r->setting ? sk_setting_int(db, r->setting) : 0);
	/* the thresholds by case type (BY_CASE_TYPE) */
	for (int i = 1; i <= sqlite3_bind_parameter_count(*st); i++) {
		const char *name = sqlite3_bind_parameter_name(*st, i);
		const char *sep = name ? strstr(name, "__") : NULL;
		if (!sep || name[0] != ':')
			continue;
		char base[64];
		snprintf(base, sizeof base, "%.*s", (int)(sep - name - 1), name + 1);
		sqlite3_bind_int64(*st, i, case_threshold(db, base,
		                                          strcmp(sep + 2, "none") ? sep + 2 : NULL));
	}
	n = sqlite3_bind_parameter_index(*st, ":m");
	if (n > 0)
		sqlite3_bind_int64(*st, n, r->setting2 ? sk_setting_int(db, r->setting2) : 0);
	return SK_OK;
}

/* Runs one rule's query (sql: the rule's or one built on it), adding
 * each alert it yields to out. With total, the query's last column is
 * how many alerts the rule has in all (a window count beside the first
 * rows), in *total; -1 when it yielded no row to say so. */
static sk_status run_rule(sk_db *db, const rule *r, const char *sql, size_t limit,
                          sk_alerts *out, int64_t *total, sk_err *err)
{
	sqlite3_stmt *st;
	sk_status s = prepare_rule(db, r, sql, &st, err);
	if (s != SK_OK)
		return s;
	if (total)
		*total = -1;
	int n = sqlite3_bind_parameter_index(st, ":limit");
	if (n > 0)
		sqlite3_bind_int64(st, n, (sqlite3_int64)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sk_alert *al = push(out);
		if (!al) {
			sk_release(db, st);
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		}
		al->severity = r->escalates && sqlite3_column_int(st, 4) ? SK_ERROR : r->severity;
		al->rule = r->code;
		al->table = r->table;
		al->row_id = sqlite3_column_int64(st, 0);
		copy_text(al->subject, sizeof al->subject, sqlite3_column_text(st, 1));
		copy_text(al->detail, sizeof al->detail, sqlite3_column_text(st, 2));
		copy_text(al->due_date, sizeof al->due_date, sqlite3_column_text(st, 3));
		if (total)
			*total = sqlite3_column_int64(st, sqlite3_column_count(st) - 1);
	}
	sk_release(db, st);
	if (rc != SQLITE_DONE)
		return sk_fail_sqlite(db, err, "computing alerts");
	return SK_OK;
}

sk_status sk_alerts_compute(sk_db *db, sk_alerts *out, sk_err *err)
{
	out->count = 0;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		sk_status s = run_rule(db, &rules[i], rules[i].sql, 0, out, NULL, err);
		if (s != SK_OK)
			return s;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items, by_urgency);
	return SK_OK;
}

/* Counts a rule's alerts without making them. */
static sk_status count_rule(sk_db *db, const rule *r, int64_t *count, sk_err *err)
{
	char sql[4096];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s)", r->sql);
	sqlite3_stmt *st;
	sk_status s = prepare_rule(db, r, sql, &st, err);
	if (s != SK_OK)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		s = sk_fail_sqlite(db, err, "counting alerts");
	sk_release(db, st);
	return s;
}

sk_status sk_alerts_head(sk_db *db, size_t per_rule, sk_alerts *out, int64_t *total,
                         sk_err *err)
{
	out->count = 0;
	*total = 0;
	char sql[4096];
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const rule *r = &rules[i];
		/* the order of by_urgency within one rule: dated first, by date,
		 * then by id; beside the first rows, how many there are in all
		 * (the sort reads every row anyway: counting them again would
		 * compute each alert twice) */
		bool windowed = !r->order;
		if (r->order)
			snprintf(sql, sizeof sql, "%s ORDER BY %s LIMIT :limit", r->sql, r->order);
		else if (r->escalates) /* its errors first */
			snprintf(sql, sizeof sql, "WITH a(id, subject, detail, due, worse) AS (%s)"
			         " SELECT *, count(*) OVER () FROM a"
			         " ORDER BY worse DESC, due IS NULL, due, id LIMIT :limit", r->sql);
		else
			snprintf(sql, sizeof sql, "WITH a(id, subject, detail, due) AS (%s)"
			         " SELECT *, count(*) OVER () FROM a ORDER BY due IS NULL, due, id"
			         " LIMIT :limit", r->sql);
		size_t before = out->count;
		int64_t all = -1;
		sk_status s = run_rule(db, r, sql, per_rule, out, windowed ? &all : NULL, err);
		if (s != SK_OK)
			return s;
		/* fewer than asked for: that is all of them; else count them
		 * (an index-ordered rule stops at its limit) */
		int64_t n = (int64_t)(out->count - before);
		if (windowed && all >= 0)
			n = all;
		else if ((size_t)n >= per_rule && (s = count_rule(db, r, &n, err)) != SK_OK)
			return s;
		*total += n;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items, by_urgency);
	return SK_OK;
}
