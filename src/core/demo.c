/*
 * demo.c: a fictional office to try scodesk on (see demo.h).
 *
 * Everything here is invented: the Republic of Velmora, its ministry, its
 * people, its cases, and the U.S. office that works with them. The office
 * is built from static tables combined by index arithmetic (no random
 * numbers), so a fill gives the same office every run for the same today.
 * Every date is an offset from sk_today(), so the alerts show whatever
 * the calendar says. Rows go in through the record API: each is validated
 * and audited like a row typed in by hand.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/demo.h"
#include "scodesk/record.h"
#include "core.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The partner's two-letter code in every case id. Codes starting with Q
 * are user-assigned in ISO 3166, so no real country has this one. */
#define CC "QV"
#define COUNTRY "Republic of Velmora (fictional)"
#define OFFICE "Office of Defense Cooperation, U.S. Embassy Korvan"
#define STAFF_MAIL "odc-korvan.example"
#define MOD_MAIL "mod.velmora.example"

/* ---- the office ---------------------------------------------------------- */

/* The last digit of an SC code is its level: setting sc_level_cert maps it
 * to the required certification level, which must agree (rules.c). The
 * positions outside the workforce have no code. */
static const struct billet {
	const char *number, *title, *role, *grade, *service, *sc_code, *cert;
} billets[] = {
	{"ODC-01", "Senior Defense Official / Defense Attache", "sdo_datt", "O-6", "army", "SC1A3", "expert"},
	{"ODC-02", "Chief, Office of Defense Cooperation", "chief", "O-5", "air_force", "SC1A3", "expert"},
	{"ODC-03", "Deputy Chief, Office of Defense Cooperation", "deputy", "O-4", "army", "SC1B2", "practitioner"},
	{"ODC-04", "FMS Program Officer (Land)", "program_officer", "O-4", "army", "SC2A2", "practitioner"},
	{"ODC-05", "FMS Program Officer (Air)", "program_officer", "O-4", "air_force", "SC2A2", "practitioner"},
	{"ODC-06", "FMS Program Officer (Maritime)", "program_officer", "O-4", "navy", "SC2A2", "practitioner"},
	{"ODC-07", "Training Officer / IMET Program Manager", "training_officer", "O-3", "marine_corps", "SC2B2", "practitioner"},
	{"ODC-08", "End-Use Monitoring Officer", "eum_officer", "E-8", "army", "SC3A1", "foundational"},
	{"ODC-09", "Security Cooperation Specialist", "program_officer", "GS-12", "civilian", "SC2A2", "practitioner"},
	{"ODC-10", "Operations NCO", "admin", "E-7", "army", "SC4A1", "foundational"},
	{"ODC-11", "Budget Analyst", "admin", "GS-11", "civilian", "SC4A1", "foundational"},
	{"ODC-12", "LES Program Assistant (FMS)", "les_assistant", "FSN-10", "les", "SC5A1", "foundational"},
	{"ODC-13", "LES Program Assistant (Training)", "les_assistant", "FSN-9", "les", "SC5A1", "foundational"},
	{"ODC-14", "LES Translator / Interpreter", "les_assistant", "FSN-8", "les", NULL, "none"},
	{"ODC-15", "LES Administrative Assistant", "les_assistant", "FSN-7", "les", NULL, "none"},
	{"ODC-16", "LES Driver / Expediter", "other", "FSN-5", "les", NULL, "none"},
	{"ODC-17", "Logistics Advisor (contract)", "other", "CTR", "contractor", NULL, "foundational"},
	/* authorized, never filled: vacant */
	{"ODC-18", "Security Cooperation Officer (Sec. 333)", "program_officer", "O-3", "navy", "SC2A2", "practitioner"},
};

/* arrive: days from today (negative: already here); tour: days from
 * arrival to DEROS, 0 for locally employed staff, who have none. */
static const struct person {
	const char *last, *first, *service, *grade, *billet, *status;
	int arrive, tour;
	const char *clearance, *cert;
} staff[] = {
	{"Whitaker", "Daniel", "army", "O-6", "ODC-01", "present", -400, 730, "ts_sci", "expert"},
	{"Okafor", "Grace", "air_force", "O-5", "ODC-02", "present", -250, 730, "top_secret", "expert"},
	/* DEROS in 40 days, replacement arrives 55 days after that: a gap */
	{"Lindqvist", "Erik", "army", "O-4", "ODC-03", "present", -690, 730, "secret", "practitioner"},
	{"Romero", "Alicia", "army", "O-4", "ODC-03", "inbound", 95, 730, "secret", "practitioner"},
	/* a practitioner billet held on a foundational certificate, four
	 * months after arrival: due within the certification window */
	{"Chen", "Marcus", "army", "O-4", "ODC-04", "present", -120, 730, "secret", "foundational"},
	/* DEROS in 75 days and nobody inbound */
	{"Haddad", "Samir", "air_force", "O-4", "ODC-05", "leave", -655, 730, "secret", "practitioner"},
	/* an inbound replacement overlapping the incumbent by 15 days */
	{"Brennan", "Kathleen", "navy", "O-4", "ODC-06", "present", -680, 730, "secret", "practitioner"},
	{"Novak", "Peter", "navy", "O-4", "ODC-06", "inbound", 35, 730, "secret", "practitioner"},
	{"Delgado", "Luis", "marine_corps", "O-3", "ODC-07", "tdy", -300, 730, "secret", "practitioner"},
	/* left 60 days ago: the EUM billet is vacant */
	{"Park", "Jennifer", "army", "E-8", "ODC-08", "departed", -790, 730, "secret", "foundational"},
	/* still foundational in a practitioner billet, long past the window */
	{"Fischer", "Anna", "civilian", "GS-12", "ODC-09", "present", -900, 1095, "secret", "foundational"},
	{"Jackson", "Terrell", "army", "E-7", "ODC-10", "present", -200, 730, "secret", "foundational"},
	{"Morgan", "Lisa", "civilian", "GS-11", "ODC-11", "present", -45, 1095, "secret", "foundational"},
	{"Sobrenko", "Milen", "les", "FSN-10", "ODC-12", "present", -3200, 0, "none", "foundational"},
	{"Kastelich", "Yarina", "les", "FSN-9", "ODC-13", "present", -1500, 0, "none", "foundational"},
	{"Vardunak", "Bohdar", "les", "FSN-8", "ODC-14", "present", -200, 0, "none", "none"},
	{"Prelyuk", "Vesna", "les", "FSN-7", "ODC-15", "present", -70, 0, "none", "none"},
	{"Dunavich", "Ilko", "les", "FSN-5", "ODC-16", "present", -2400, 0, "none", "none"},
	{"Sutton", "Ray", "contractor", "CTR", "ODC-17", "present", -330, 730, "secret", "foundational"},
	/* hired to take over from Sobrenko, who has not retired yet: the
	 * billet is double-filled, and she has a year to certify */
	{"Marvenko", "Lada", "les", "FSN-10", "ODC-12", "present", -40, 0, "none", "none"},
};

static const struct language {
	const char *person, *language, *l, *r, *s;
	int tested; /* days ago */
} languages[] = {
	{"Whitaker", "Velmoran", "2", "2", "2", 420},
	{"Whitaker", "Russian", "2+", "3", "2", 420},
	{"Okafor", "Velmoran", "1+", "1+", "1", 270},
	{"Okafor", "French", "3", "3", "2+", 900},
	{"Lindqvist", "Velmoran", "2", "1+", "2", 700},
	{"Romero", "Velmoran", "1", "1", "0+", 20},
	{"Chen", "Velmoran", "1", "1", "1", 150},
	{"Haddad", "Velmoran", "2", "2", "1+", 670},
	{"Haddad", "Arabic", "3", "2+", "3", 1500},
	{"Brennan", "Velmoran", "1+", "1", "1+", 700},
	{"Novak", "Velmoran", "1", "0+", "1", 30},
	{"Delgado", "Spanish", "3", "3", "3", 800},
	{"Fischer", "Velmoran", "3", "3", "2+", 950},
	{"Sobrenko", "English", "3+", "3+", "3", 1200},
	{"Kastelich", "English", "3", "3", "3", 800},
	{"Vardunak", "English", "4", "4", "4", 210},
	{"Vardunak", "Russian", "4", "4", "3+", 210},
	{"Prelyuk", "English", "2+", "3", "2+", 80},
	{"Dunavich", "English", "2", "2", "1+", 2000},
};

/* due_within: days after arrival, -1 for before arrival; recurs: months,
 * 0 for once. Titles as the schoolhouse names them; the catalogue has no
 * column for how a course is delivered, so a distance-learning course
 * says so in its title. */
static const struct course {
	const char *code, *title, *applies_to;
	int due_within, recurs;
} courses[] = {
	{"SCO-250", "SCO Qualification Course", "us_staff", -1, 0},
	{"SCO-120", "Basic SCO Operations (distance learning)", "us_staff", 90, 0},
	{"SDO-300", "Senior Defense Official / Defense Attache Orientation", "chief", -1, 0},
	/* the Foreign Affairs Counter Threat course holds for six years */
	{"FACT", "Foreign Affairs Counter Threat", "us_staff", -1, 72},
	{"AT-L1", "Antiterrorism Level I Awareness", "all", 30, 12},
	{"CUI-101", "Controlled Unclassified Information", "all", 30, 12},
	{"LES-101", "LES Orientation to Security Cooperation", "les", 90, 0},
	{"LES-211", "LES Case Support and FMS Financial Basics", "les", 365, 0},
};

/* Training records that do not follow the rule "done on time": each
 * gives the demo one of the other statuses. days: T_DUE, T_OVERDUE: the
 * due date that many days ahead or ago (0: as the course rule gives it);
 * T_EXPIRED: how long ago it lapsed. */
enum { T_OVERDUE, T_DUE, T_EXPIRED, T_WAIVED };
static const struct exception {
	const char *person, *course;
	int kind, days;
} exceptions[] = {
	{"Chen", "SCO-120", T_OVERDUE, 0},  /* due 90 days after arrival: 30 days ago */
	{"Vardunak", "LES-101", T_OVERDUE, 0},
	{"Fischer", "AT-L1", T_DUE, 9},     /* the yearly refresher, due in 9 days */
	{"Dunavich", "AT-L1", T_EXPIRED, 35}, /* expired 35 days ago */
	{"Jackson", "CUI-101", T_EXPIRED, 12},
	{"Sobrenko", "LES-211", T_WAIVED, 0},
	{"Sutton", "SCO-250", T_WAIVED, 0},
};

/* ---- programs ---------------------------------------------------------- */

/* In the order of the status enumeration. */
static const char *const program_stages[] = {
	"lor_received", "development", "offered", "accepted", "implemented",
	"supply_complete", "closed", "cancelled",
};
/* How a case of each type runs to its offer, as practice has it: the
 * anticipated offer date the office enters, days after the LOR (a BPC
 * pseudo-LOA or a blanket order is written far sooner than a defined-order
 * sale, a complex case later), and how many days the offer stands (the
 * defaults of settings offer_valid_days and offer_valid_days_bpc). A case
 * is offered on its AOD and accepted well before its offer expires. */
static const struct case_timing {
	const char *type;
	int aod, valid;
} timings[] = {
	{"bpc", 40, 30}, {"blanket_order", 45, 85}, {"cooperative_logistics", 45, 85},
	{"training", 60, 85}, {"defined_order", 100, 85}, {"other", 150, 85},
};

/* Days a case spends at each stage after its offer (to acceptance, at most
 * its offer's days less ten; to implementation; to supply complete; to
 * closure); a cancelled case was dropped 100 days after its LOR. */
static const int stage_days[] = {50, 25, 540, 730};
#define DEVELOPMENT_DAY 20
#define CANCELLED_DAY 100

/* designator NULL: no case (yet). days: days in its present status. */
static const struct program {
	const char *authority, *agency, *designator, *case_type, *title, *status;
	int days;
	long long value;
	const char *org, *poc, *notes;
} programs[] = {
	{"fms", "B", "VAA", "defined_order", "Light tactical vehicles and spare parts", "implemented", 300, 48500000, "Land Forces Command", "Chen", NULL},
	{"fms", "B", "VAB", "defined_order", "Night vision devices", "supply_complete", 800, 6200000, "Land Forces Command", "Chen", "Final billing outstanding; closure overdue"},
	{"fms", "B", "VAC", "defined_order", "Small arms ammunition", "closed", 120, 3100000, "Armaments Directorate", "Chen", NULL},
	{"fms", "B", "TAA", "training", "Professional military education (training case)", "implemented", 500, 2400000, "International Cooperation Department", "Delgado", NULL},
	{"fms", "D", "SAA", "cooperative_logistics", "Transport aircraft sustainment", "accepted", 40, 31000000, "Air Force Command", "Haddad", NULL},
	{"fms", "D", "SAB", "defined_order", "Air surveillance radar", "offered", 65, 74000000, "Air Force Command", "Haddad", "MoD signature pending parliamentary budget vote"},
	{"fms", "D", "SAC", "training", "Aircrew and maintenance training (training case)", "implemented", 250, 5800000, "Air Force Command", "Delgado", NULL},
	{"fms", "D", "SAD", "blanket_order", "Aircraft spare parts (blanket order)", "development", 140, 2500000, "Air Force Command", "Haddad", "Pricing data late from the implementing agency"},
	{"fms", "D", "SAF", "defined_order", "Air base fire and rescue vehicles", "accepted", 160, 7300000, "Air Force Command", "Haddad", NULL},
	{"fms", "P", "PAA", "defined_order", "Coastal patrol boats", "development", 40, 96000000, "Navy Command", "Brennan", NULL},
	{"fms", "P", "PAB", "defined_order", "Maritime domain awareness sensors", "offered", 12, 18700000, "Navy Command", "Brennan", NULL},
	{"fms", "P", "PAC", "blanket_order", "Patrol boat follow-on support", "lor_received", 15, 4300000, "Navy Command", "Brennan", NULL},
	{"fms", "B", NULL, "defined_order", "Counter-UAS systems", "lor_received", 6, 14000000, "Land Forces Command", "Chen", "LOR received; case designator not yet assigned"},
	{"fms", "B", "VAD", "defined_order", "Engineer bridging equipment", "cancelled", 200, 12000000, "Land Forces Command", "Chen", "Partner withdrew the LOR after a budget cut"},
	{"fms", "B", "VAE", "defined_order", "Tactical radios", "supply_complete", 150, 22000000, "General Staff J6 (Communications)", "Chen", NULL},
	{"fms", "B", "VAF", "defined_order", "Armored ambulances", "development", 75, 9400000, "Military Medical Service", "Chen", NULL},
	{"fmf", "B", "VAG", "defined_order", "Border surveillance equipment (FMF)", "implemented", 420, 15000000, "Land Forces Command", "Chen", NULL},
	{"fmf", "D", "SAE", "defined_order", "Utility helicopter overhaul (FMF)", "accepted", 18, 11500000, "Air Force Command", "Haddad", NULL},
	{"s333", "B", "UAA", "bpc", "Special operations unit equipment and training (Sec. 333)", "implemented", 180, 8800000, "Special Operations Command", "Fischer", NULL},
	{"s333", "P", "UAB", "bpc", "Maritime security capacity (Sec. 333)", "supply_complete", 30, 6500000, "Navy Command", "Fischer", NULL},
	{"eda", "P", "PAD", "other", "Excess patrol craft transfer (EDA)", "offered", 40, 450000, "Navy Command", "Brennan", "Refurbishment at partner expense"},
	{"imet", NULL, NULL, NULL, "International Military Education and Training", "active", 60, 950000, "International Cooperation Department", "Delgado", NULL},
	{"s345", NULL, NULL, NULL, "Regional defense fellowships", "active", 60, 240000, "National Defense Academy", "Delgado", NULL},
	{"cn", NULL, NULL, NULL, "Counter-narcotics border post support", "active", 90, 1200000, "General Staff J3 (Operations)", "Fischer", NULL},
	{"incle", NULL, NULL, NULL, "Coast guard boarding training (INL-funded)", "planned", 50, 600000, "Navy Command", "Fischer", NULL},
	{"other", NULL, NULL, NULL, "Humanitarian assistance: rural clinic renovation", "complete", 200, 350000, "Military Medical Service", "Jackson", NULL},
};

/* ---- host-nation people -------------------------------------------------- */

/* Invented names, in Latin letters and in the partner's Cyrillic script.
 * The family names do not change with gender. */
static const struct name {
	const char *latin, *native;
} family_names[] = {
	{"Dravenko", "Дравенко"}, {"Kolvich", "Колвич"}, {"Maretuk", "Маретук"},
	{"Veskovich", "Вескович"}, {"Tarnenko", "Тарненко"}, {"Zhelyuk", "Желюк"},
	{"Borovak", "Боровак"}, {"Stravich", "Стравич"}, {"Pelenko", "Пеленко"},
	{"Radunak", "Радунак"}, {"Ostruk", "Острук"}, {"Kavrelich", "Каврелич"},
	{"Dobranko", "Добранко"}, {"Miroshuk", "Мирошук"}, {"Yelanich", "Еланич"},
	{"Gorvatko", "Горватко"},
}, given_names[] = {
	{"Bohdar", "Богдар"}, {"Milen", "Милен"}, {"Radko", "Радко"},
	{"Vesna", "Весна"}, {"Dragomir", "Драгомир"}, {"Ilko", "Илко"},
	{"Lada", "Лада"}, {"Stanko", "Станко"}, {"Zoran", "Зоран"},
	{"Yarina", "Ярина"}, {"Tomir", "Томир"}, {"Oleksa", "Олекса"},
	{"Mirela", "Мирела"}, {"Velko", "Велко"},
};

struct post {
	const char *org, *position, *rank, *grade, *service;
};

/* The key leaders, one contact each; the last two are the ones the alerts
 * should catch: one never met, one not met for months. */
#define NEVER_MET 8
#define LONG_AGO 9
static const struct post leaders[] = {
	{"Ministry of Defense", "Minister of Defense", NULL, NULL, "Civilian"},
	{"Ministry of Defense", "Deputy Minister for Defense Policy", NULL, NULL, "Civilian"},
	{"General Staff", "Chief of the General Staff", "Lieutenant General", "O-9", "Joint"},
	{"Land Forces Command", "Commander, Land Forces", "Major General", "O-8", "Land Forces"},
	{"Air Force Command", "Commander, Air Force", "Brigadier General", "O-7", "Air Force"},
	{"Navy Command", "Commander, Navy", "Rear Admiral", "O-8", "Navy"},
	{"Armaments Directorate", "Director of Armaments", NULL, NULL, "Civilian"},
	{"General Staff", "Director, Plans and Policy (J5)", "Colonel", "O-6", "Joint"},
	{"National Defense Academy", "Commandant", "Brigadier General", "O-7", "Joint"},
	{"Special Operations Command", "Commander, Special Operations Forces", "Colonel", "O-6", "Land Forces"},
};

/* The other contacts: every role in every directorate. */
static const struct post directorates[] = {
	{"International Cooperation Department", NULL, NULL, NULL, "Joint"},
	{"Armaments Directorate", NULL, NULL, NULL, "Joint"},
	{"General Staff J3 (Operations)", NULL, NULL, NULL, "Joint"},
	{"General Staff J4 (Logistics)", NULL, NULL, NULL, "Joint"},
	{"General Staff J7 (Training)", NULL, NULL, NULL, "Joint"},
	{"Land Forces Command", NULL, NULL, NULL, "Land Forces"},
	{"Air Force Command", NULL, NULL, NULL, "Air Force"},
	{"Navy Command", NULL, NULL, NULL, "Navy"},
	{"Military Medical Service", NULL, NULL, NULL, "Joint"},
	{"Defense Language Center", NULL, NULL, NULL, "Joint"},
}, roles[] = {
	{NULL, "Head of Branch", "Lieutenant Colonel", "O-5", NULL},
	{NULL, "Senior Staff Officer", "Major", "O-4", NULL},
	{NULL, "Staff Officer", "Captain", "O-3", NULL},
	{NULL, "Liaison Officer", "Senior Lieutenant", "O-2", NULL},
	{NULL, "Senior NCO", "Master Sergeant", "E-8", NULL},
};
#define N_CONTACTS (N(leaders) + N(directorates) * N(roles))

static const char *const alumni[] = {
	"Command and General Staff Officer Course, Fort Leavenworth",
	"Naval Staff College, Newport",
	"Infantry Captains Career Course, Fort Moore",
	"English Language Instructor Course, DLIELC",
	"Air Command and Staff College, Maxwell AFB",
};

/* ---- students ------------------------------------------------------------- */

/* Courses the partner sends students to (identifiers invented). An IMET
 * student's course is a professional one: English language training, when
 * needed, comes before it (notes), never as the whole course. */
static const struct offer {
	const char *masl, *title, *school, *program, *case_id;
	int ecl, weeks;
	const char *rank, *grade, *service, *unit, *notes;
} offers[] = {
	{"B150012", "Infantry Captains Career Course", "Fort Moore, GA", "imet", NULL, 80, 22, "Captain", "O-3", "Land Forces", "1st Mechanized Brigade", NULL},
	{"B150410", "Command and General Staff Officer Course", "Fort Leavenworth, KS", "imet", NULL, 80, 44, "Major", "O-4", "Land Forces", "General Staff", NULL},
	{"P170031", "Naval Staff College", "Newport, RI", "imet", NULL, 80, 40, "Commander", "O-5", "Navy", "Navy Command", NULL},
	{"D171205", "Aircraft Maintenance Officer Course", "Sheppard AFB, TX", "fms", CC "-D-SAC", 75, 16, "Senior Lieutenant", "O-2", "Air Force", "Transport Squadron", NULL},
	{"B151830", "Signal Basic Officer Leader Course", "Fort Eisenhower, GA", "imet", NULL, 70, 20, "Lieutenant", "O-1", "Land Forces", "Signal Regiment",
	 "Specialized English training at DLIELC, JBSA-Lackland, TX, before the course"},
	{"B151221", "Engineer Basic Officer Leader Course", "Fort Leonard Wood, MO", "fms", CC "-B-TAA", 70, 18, "Lieutenant", "O-1", "Land Forces", "Engineer Regiment", NULL},
	{"N176045", "Combating Terrorism and Irregular Warfare Fellowship", "Naval Postgraduate School, Monterey, CA", "s345", NULL, 80, 12, "Major", "O-4", "Land Forces", "Special Operations Battalion", NULL},
	{"P179310", "Maritime Law Enforcement Boarding Officer Course", "USCG Training Center Yorktown, VA", "s333", CC "-P-UAB", 65, 10, "Captain-Lieutenant", "O-3", "Navy", "Coastal Patrol Flotilla", NULL},
};

/*
 * The pipeline. The k-th student of a stage has the date first + k * step
 * days from today: the report date, or with from_end the course's end.
 * medical -1: cleared from the second student on.
 */
static const struct stage {
	const char *status, *leahy;
	bool from_end, ito;
	int first, step, medical;
	const char *notes;
} stages[] = {
	{"nominated", "not_submitted", false, false, 18, 45, 0, NULL},
	{"screened", "pending", false, false, 26, 30, 0, NULL},
	{"vetted", "approved", false, false, 21, 25, -1, NULL},
	{"ito_issued", "approved", false, true, 6, 12, 1, NULL},
	{"in_training", "approved", false, true, -14, -14, 1, NULL},
	{"completed", "approved", true, true, -10, -75, 1, NULL},
	{"returned", "approved", true, true, -45, -90, 1, "Back in country; assigned to the General Staff"},
	{"failed", "approved", true, true, -30, -120, 1, "Did not meet the academic standard"},
	{"cancelled", NULL, false, false, 40, 30, 0, "Nomination withdrawn"},
	{"absent", "approved", false, true, -40, -25, 1,
	 "Left the course without authorization; school and CCMD notified"},
};
#define N_STUDENTS 40
/* Vetting of cancelled nominations, in turn. */
static const char *const cancelled_leahy[] = {"denied", "expired", "pending", "not_submitted"};

/* ---- engagements ------------------------------------------------------------ */

#define N_ENGAGEMENTS 150

/* Even engagements meet a key leader, odd ones the staff. */
static const char *const leader_types[] = {"kle", "office_call", "kle", "conference", "visit"};
static const char *const staff_types[] = {
	"working_group", "office_call", "training_event", "working_group",
	"exercise", "social", "other",
};
static const char *const locations[] = {
	"Ministry of Defense, Korvan", "General Staff HQ, Korvan", "U.S. Embassy Korvan",
	"National Defense Academy", "Naval Base Stolna", "Rivets Air Base",
};
static const char *const participants[] = {
	"SDO/DATT", "Chief, ODC", "Deputy Chief", "Program officer (Land)",
	"Training officer", "SDO/DATT; Chief, ODC", "Program officer (Air); LES program assistant",
};
static const char *const objectives[] = {
	"Discuss security cooperation priorities for the coming fiscal year",
	"Coordinate IMET nominations and English-language readiness",
	"Plan the bilateral exercise and its training objectives",
	"Introduce incoming office staff",
	"Review the end-use monitoring inventory schedule",
	"Discuss maritime security requirements",
	"Review the training pipeline and vetting status",
};
static const char *const outcomes[] = {
	"Partner agreed to provide updated requirements",
	"MoD will submit a revised letter of request",
	"Dates agreed for the next working group",
	"Partner raised concern about delivery timelines",
	"Agreed on the list of nominees",
	"No change; topic to be revisited",
};
static const char *const followups[] = {
	"Send the draft agenda for the next working group",
	"Provide price and availability data for the requested items",
	"Confirm course seats with the training officer",
	"Forward the EUM inventory schedule to the Armaments Directorate",
	"Share English test results with the General Staff J7",
	"Send a read-ahead to the combatant command",
};

/* ---- building rows ------------------------------------------------------- */

typedef struct demo {
	sk_db *db;
	sk_err *err;
	const char *today;
	sk_record *rec; /* the row being built */
	sk_status s;    /* the first failure while building it */
	int64_t staff[N(staff)], programs[N(programs)], contacts[N_CONTACTS];
} demo;

/* The row helpers remember the first failure, so a row is built with a
 * run of put() calls and checked once, by save(). */
static void row(demo *d, const char *table)
{
	const sk_table *t = sk_table_find(table);
	d->rec = t ? sk_record_new(t) : NULL;
	d->s = d->rec ? SK_OK
	              : t ? sk_fail(d->err, SK_NOMEM, NULL, "out of memory")
	                  : sk_fail(d->err, SK_DB, NULL, "demo: no table %s", table);
}

static void put(demo *d, const char *column, const char *value)
{
	if (d->s != SK_OK || !value)
		return;
	d->s = sk_set(d->rec, column, value);
	if (d->s != SK_OK)
		sk_fail(d->err, d->s, column, "demo: cannot set %s.%s",
		        d->rec->table->name, column);
}

__attribute__((format(printf, 3, 4)))
static void putf(demo *d, const char *column, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	put(d, column, buf);
}

static void put_int(demo *d, const char *column, long long value)
{
	putf(d, column, "%lld", value);
}

/* A date `days` from today. */
static void put_day(demo *d, const char *column, long days)
{
	char date[11];
	sk_date_add_days(d->today, days, date);
	put(d, column, date);
}

static sk_status save(demo *d, int64_t *id)
{
	if (d->s == SK_OK)
		d->s = sk_insert(d->db, d->rec, d->err);
	if (d->s == SK_OK && id)
		*id = sk_record_id(d->rec);
	sk_record_free(d->rec);
	d->rec = NULL;
	return d->s;
}

static int staff_index(const char *last)
{
	for (size_t i = 0; i < N(staff); i++)
		if (strcmp(staff[i].last, last) == 0)
			return (int)i;
	return -1;
}

static const struct billet *billet_of(const struct person *p)
{
	for (size_t i = 0; i < N(billets); i++)
		if (strcmp(billets[i].number, p->billet) == 0)
			return &billets[i];
	return NULL;
}

/* first.last@domain in lower case, for made-up addresses. */
static void put_mail(demo *d, const char *first, const char *last, const char *domain)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s.%s@%s", first, last, domain);
	for (char *p = buf; *p && *p != '@'; p++)
		*p = (char)tolower((unsigned char)*p);
	put(d, "email", buf);
}

/* The U.S. fiscal year a date falls in (it starts on 1 October). */
static int fiscal_year(const char *date)
{
	return atoi(date) + (atoi(date + 5) >= 10);
}

static long min_long(long a, long b)
{
	return a < b ? a : b;
}

/* ---- the fill, table by table ---------------------------------------------- */

static sk_status fill_settings(demo *d)
{
	sk_status s = sk_setting_set(d->db, "office_name", OFFICE, d->err);
	if (s == SK_OK)
		s = sk_setting_set(d->db, "country", COUNTRY, d->err);
	if (s == SK_OK) /* its case ids begin with it */
		s = sk_setting_set(d->db, "country_code", CC, d->err);
	return s;
}

static sk_status fill_billets(demo *d)
{
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < N(billets); i++) {
		const struct billet *b = &billets[i];
		row(d, "billets");
		put(d, "billet_number", b->number);
		put(d, "title", b->title);
		put(d, "role", b->role);
		put(d, "authorized_grade", b->grade);
		put(d, "service", b->service);
		put(d, "sc_code", b->sc_code);
		put(d, "required_cert_level", b->cert);
		s = save(d, NULL);
	}
	return s;
}

static sk_status fill_staff(demo *d)
{
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < N(staff); i++) {
		const struct person *p = &staff[i];
		bool les = strcmp(p->service, "les") == 0;
		row(d, "personnel");
		put(d, "last_name", p->last);
		put(d, "first_name", p->first);
		put(d, "service", p->service);
		put(d, "grade", p->grade);
		put(d, "billet_number", p->billet);
		put(d, "status", p->status);
		put_day(d, "arrival_date", p->arrive);
		if (p->tour)
			put_day(d, "deros_date", p->arrive + p->tour);
		put(d, "clearance", p->clearance);
		put(d, "cert_level", p->cert);
		put_mail(d, p->first, p->last, STAFF_MAIL);
		putf(d, "phone", "ext. %d", 4101 + (int)i);
		if (les)
			put(d, "notes", "Locally employed staff: no DEROS");
		s = save(d, &d->staff[i]);
	}
	for (size_t i = 0; s == SK_OK && i < N(languages); i++) {
		const struct language *l = &languages[i];
		int who = staff_index(l->person);
		if (who < 0)
			return sk_fail(d->err, SK_DB, NULL, "demo: no staff member %s", l->person);
		row(d, "languages");
		put_int(d, "person_id", d->staff[who]);
		put(d, "language", l->language);
		put(d, "listening", l->l);
		put(d, "reading", l->r);
		put(d, "speaking", l->s);
		put_day(d, "test_date", -l->tested);
		s = save(d, NULL);
	}
	return s;
}

static sk_status fill_courses(demo *d)
{
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < N(courses); i++) {
		const struct course *c = &courses[i];
		row(d, "courses");
		put(d, "code", c->code);
		put(d, "title", c->title);
		put(d, "applies_to", c->applies_to);
		if (c->due_within >= 0)
			put_int(d, "due_within_days", c->due_within);
		if (c->recurs)
			put_int(d, "recurs_months", c->recurs);
		s = save(d, NULL);
	}
	return s;
}

static bool course_applies(const struct course *c, const struct person *p)
{
	bool les = strcmp(p->service, "les") == 0;
	const struct billet *b = billet_of(p);
	if (strcmp(c->applies_to, "les") == 0)
		return les;
	if (strcmp(c->applies_to, "us_staff") == 0)
		return !les;
	if (strcmp(c->applies_to, "chief") == 0)
		return b && (strcmp(b->role, "chief") == 0 || strcmp(b->role, "sdo_datt") == 0);
	return true;
}

static const struct exception *exception_for(const struct person *p, const struct course *c)
{
	for (size_t i = 0; i < N(exceptions); i++)
		if (strcmp(exceptions[i].person, p->last) == 0 &&
		    strcmp(exceptions[i].course, c->code) == 0)
			return &exceptions[i];
	return NULL;
}

/*
 * When a person who keeps to the rules last completed a course: before
 * arrival some weeks ahead, otherwise half-way to the deadline; a
 * recurring course again ten days before each expiry, up to today.
 */
static void completed_on(const char *today, const char *arrival, const struct course *c,
                         int salt, char out[11])
{
	sk_date_add_days(arrival, c->due_within < 0 ? -20 - salt % 30 : c->due_within / 2, out);
	while (c->recurs) {
		char next[11];
		sk_date_add_months(out, c->recurs, next);
		if (strcmp(next, today) > 0)
			break;
		sk_date_add_days(next, -10, out);
	}
}

static sk_status fill_training(demo *d)
{
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < N(staff); i++) {
		const struct person *p = &staff[i];
		if (strcmp(p->status, "departed") == 0)
			continue;
		char arrival[11], due[11], done[11], lapsed[11];
		sk_date_add_days(d->today, p->arrive, arrival);
		for (size_t j = 0; s == SK_OK && j < N(courses); j++) {
			const struct course *c = &courses[j];
			if (!course_applies(c, p))
				continue;
			const struct exception *x = exception_for(p, c);
			/* The due date itself is left to core, which derives it
			 * from the course and the arrival date. */
			sk_date_add_days(arrival, c->due_within < 0 ? 0 : c->due_within, due);
			row(d, "staff_training");
			put_int(d, "person_id", d->staff[i]);
			put(d, "course_code", c->code);
			if (!x && strcmp(due, d->today) <= 0) {
				completed_on(d->today, arrival, c, (int)(i * 7 + j), done);
				put(d, "completed_date", done);
			} else if (x && x->kind == T_WAIVED) {
				put(d, "waived", "1");
				put(d, "notes", "Waived by the Chief: equivalent training on record");
			} else if (x && x->kind == T_EXPIRED) {
				/* completed one cycle before it lapsed */
				sk_date_add_days(d->today, -x->days, lapsed);
				sk_date_add_months(lapsed, -c->recurs, done);
				put(d, "completed_date", done);
			} else if (x && x->days) {
				put_day(d, "due_date", x->kind == T_DUE ? x->days : -x->days);
			}
			s = save(d, NULL);
		}
	}
	return s;
}

static int stage_of(const char *status)
{
	for (size_t i = 0; i < N(program_stages); i++)
		if (strcmp(program_stages[i], status) == 0)
			return (int)i;
	return -1;
}

static const struct case_timing *timing_of(const char *type)
{
	for (size_t i = 0; type && i < N(timings); i++)
		if (strcmp(timings[i].type, type) == 0)
			return &timings[i];
	return NULL;
}

/* Days from a case's LOR to the day it reached stage (an index of
 * program_stages), by its timing. */
static long stage_day(const struct case_timing *tm, int stage)
{
	if (stage == 7)
		return CANCELLED_DAY;
	if (stage < 2)
		return stage ? DEVELOPMENT_DAY : 0;
	long day = tm->aod; /* offered on its anticipated date */
	for (int m = 3; m <= stage; m++) {
		int len = stage_days[m - 3];
		if (m == 3 && len > tm->valid - 10)
			len = tm->valid - 10;
		day += len;
	}
	return day;
}

static sk_status fill_programs(demo *d)
{
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < N(programs); i++) {
		const struct program *g = &programs[i];
		/* a program that is not a case has no stages, only its status */
		bool is_case = g->agency != NULL;
		int stage = is_case ? stage_of(g->status) : 0, poc = staff_index(g->poc);
		const struct case_timing *tm = timing_of(g->case_type);
		if (stage < 0 || poc < 0 || (is_case && !tm))
			return sk_fail(d->err, SK_DB, NULL, "demo: bad program %s", g->title);
		/* Milestones run forward from the LOR, which lies so far back
		 * that the program reached its status g->days ago. */
		long lor = tm ? -(long)g->days - stage_day(tm, stage) : 0;
		char date[11];
		sk_date_add_days(d->today, is_case ? lor : -g->days, date);
		row(d, "programs");
		put(d, "authority", g->authority);
		if (g->designator)
			putf(d, "case_id", CC "-%s-%s", g->agency, g->designator);
		put(d, "title", g->title);
		put(d, "case_type", g->case_type);
		put(d, "implementing_agency", g->agency);
		put(d, "status", g->status);
		put_int(d, "fiscal_year", fiscal_year(date));
		put_int(d, "value_usd", g->value);
		if (is_case) {
			put_day(d, "lor_date", lor);
			put_day(d, "aod_date", lor + tm->aod);
		}
		/* A cancelled case stopped before its offer. */
		int last = strcmp(g->status, "cancelled") == 0 ? 1 : stage;
		for (int m = 2; is_case && m <= last; m++) {
			static const char *const columns[] = {
				NULL, NULL, "offer_date", "accepted_date", "implemented_date",
				"ssc_date", "closed_date",
			};
			put_day(d, columns[m], lor + stage_day(tm, m));
			if (m == 2) /* the offer stands its case type's days */
				put_day(d, "oed_date", lor + stage_day(tm, m) + tm->valid);
		}
		put_int(d, "poc_person_id", d->staff[poc]);
		put(d, "partner_org", g->org);
		put_day(d, "status_date", -g->days);
		put(d, "notes", g->notes);
		s = save(d, &d->programs[i]);
	}
	return s;
}

/* The day (from today) the demo's case `id` reached supply complete;
 * LONG_MAX for a case not there yet, or no case. */
static long delivered_on(const char *id)
{
	for (size_t i = 0; id && i < N(programs); i++) {
		const struct program *g = &programs[i];
		char cid[16];
		if (!g->designator)
			continue;
		snprintf(cid, sizeof cid, CC "-%s-%s", g->agency, g->designator);
		if (strcmp(cid, id) != 0)
			continue;
		/* the milestones as fill_programs dates them */
		int stage = stage_of(g->status), ssc = stage_of("supply_complete");
		const struct case_timing *tm = timing_of(g->case_type);
		if (tm && stage >= ssc && stage <= stage_of("closed"))
			return -(long)g->days - stage_day(tm, stage) + stage_day(tm, ssc);
		break;
	}
	return LONG_MAX;
}

static sk_status fill_students(demo *d)
{
	sk_status s = SK_OK;
	int year = atoi(d->today) % 100;
	for (int i = 0; s == SK_OK && i < N_STUDENTS; i++) {
		const struct stage *st = &stages[i % (int)N(stages)];
		int k = i / (int)N(stages);
		/* The courses in turn; but a case that is supply complete has
		 * delivered its training, so a course on it ended before that
		 * day, or the student takes the next course offered. */
		const struct offer *o = NULL;
		long report = 0, start = 0, end = 0;
		for (int j = 0; j < (int)N(offers); j++) {
			o = &offers[(i + 2 * k + j) % (int)N(offers)];
			long length = 7L * o->weeks;
			if (st->from_end) {
				end = st->first + (long)k * st->step;
				start = end - length;
				report = start - 7;
			} else {
				report = st->first + (long)k * st->step;
				start = report + 7;
				end = start + length;
			}
			if (end < delivered_on(o->case_id))
				break;
		}
		const char *leahy = st->leahy ? st->leahy
		                              : cancelled_leahy[k % (int)N(cancelled_leahy)];
		/* Some nominees not yet vetted test below the course minimum. */
		bool early = !st->ito && strcmp(leahy, "approved") != 0;
		int ecl = early && k % 2 ? o->ecl - 3 - k : o->ecl + 2 + (i * 5) % 13;
		char date[11];
		sk_date_add_days(d->today, start, date);

		row(d, "students");
		put(d, "last_name", family_names[(i * 3 + 5) % (int)N(family_names)].latin);
		put(d, "first_name", given_names[(i * 9 + 2) % (int)N(given_names)].latin);
		put(d, "rank", o->rank);
		put(d, "us_equivalent_grade", o->grade);
		put(d, "service", o->service);
		put(d, "unit", o->unit);
		put(d, "program", o->program);
		put(d, "case_id", o->case_id);
		put_int(d, "fiscal_year", fiscal_year(date));
		put(d, "course_id", o->masl);
		put(d, "course_title", o->title);
		put(d, "school", o->school);
		put_day(d, "report_date", report);
		put_day(d, "start_date", start);
		put_day(d, "end_date", end);
		put_int(d, "ecl_score", ecl > 100 ? 100 : ecl);
		put_int(d, "ecl_required", o->ecl);
		put_int(d, "medical_cleared", st->medical < 0 ? k > 0 : st->medical);
		put(d, "leahy_status", leahy);
		if (strcmp(leahy, "not_submitted") != 0)
			putf(d, "leahy_ref", "INV-%02d-%05d", year, 4100 + i * 37);
		if (strcmp(leahy, "approved") == 0 || strcmp(leahy, "denied") == 0 ||
		    strcmp(leahy, "expired") == 0)
			/* the second vetted student's approval lapses before the
			 * report date (the student-leahy-lapse alert) */
			put_day(d, "leahy_date", strcmp(st->status, "vetted") == 0 && k == 1
			                         ? -340 : min_long(report - 40, -3 - i % 9));
		/* The DoD's security vetting: complete from the travel order on,
		 * under way while vetted (the first vetted student, reporting
		 * soon, without it: the student-security-vetting alert). */
		const char *security = st->ito ? "complete"
		                       : strcmp(st->status, "vetted") == 0 ? (k == 0 ? "pending" : "complete")
		                       : strcmp(st->status, "screened") == 0 ? "pending" : "not_submitted";
		put(d, "security_vetting", security);
		if (strcmp(security, "complete") == 0)
			put_day(d, "security_vetting_date", min_long(report - 30, -2 - i % 7));
		/* Travel orders from ito_issued on (core insists on approved
		 * vetting there, which those stages have). */
		if (st->ito) {
			putf(d, "ito_number", CC "%02d-%04d", year, 310 + i);
			put_day(d, "ito_date", min_long(report - 21, -1));
		}
		/* one unauthorized absence; the others of that stage are still
		 * at the school, or finished */
		bool absent = strcmp(st->status, "absent") == 0;
		put(d, "status", !absent || k == 0 ? st->status : end < 0 ? "completed" : "in_training");
		const char *notes = absent && k > 0 ? NULL : st->notes;
		put(d, "notes", notes ? notes : o->notes);
		s = save(d, NULL);
	}
	return s;
}

/* Units named on the Sec. 333 and FMF programs and their vetting: one
 * unit of an implemented program still pending (the unit-vetting alert). */
static const struct unit {
	const char *unit, *designator, *result;
	int submitted, decided; /* days from today */
	const char *notes;
} units[] = {
	{"1st Special Operations Battalion", "UAA", "approved", -160, -120, NULL},
	{"Special Operations Aviation Detachment", "UAA", "pending", -25, 0,
	 "Added to the program in the second tranche"},
	{"3rd Border Guard Regiment", "VAG", "approved", -260, -210, NULL},
	{"Coastal Security Squadron", "UAB", "approved", -480, -430, NULL},
};

static sk_status fill_unit_vetting(demo *d)
{
	sk_status s = SK_OK;
	int year = atoi(d->today) % 100;
	for (size_t i = 0; s == SK_OK && i < N(units); i++) {
		const struct unit *u = &units[i];
		int64_t program = 0;
		for (size_t g = 0; g < N(programs); g++)
			if (programs[g].designator && strcmp(programs[g].designator, u->designator) == 0)
				program = d->programs[g];
		if (!program)
			return sk_fail(d->err, SK_DB, NULL, "demo: no program %s", u->designator);
		row(d, "unit_vetting");
		put(d, "unit", u->unit);
		put_int(d, "program_id", program);
		putf(d, "reference", "INV-%02d-U%04d", year, 210 + (int)i * 17);
		put_day(d, "submitted_date", u->submitted);
		put(d, "result", u->result);
		if (strcmp(u->result, "pending") != 0)
			put_day(d, "result_date", u->decided);
		put(d, "notes", u->notes);
		s = save(d, NULL);
	}
	return s;
}

static sk_status fill_contacts(demo *d)
{
	sk_status s = SK_OK;
	int year = atoi(d->today);
	for (int i = 0; s == SK_OK && i < (int)N_CONTACTS; i++) {
		/* Name pairs never repeat: for one family name the given
		 * names differ by 11 places each round of 16. */
		const struct name *last = &family_names[i % (int)N(family_names)];
		const struct name *first = &given_names[(i * 5 + i / (int)N(family_names)) %
		                                        (int)N(given_names)];
		bool leader = i < (int)N(leaders);
		int j = i - (int)N(leaders);
		const struct post *where = leader ? &leaders[i] : &directorates[j % (int)N(directorates)];
		const struct post *what = leader ? &leaders[i] : &roles[j / (int)N(directorates)];

		row(d, "contacts");
		put(d, "last_name", last->latin);
		put(d, "first_name", first->latin);
		putf(d, "native_name", "%s %s", first->native, last->native);
		put(d, "rank", what->rank);
		put(d, "us_equivalent_grade", what->grade);
		put(d, "service", where->service);
		put(d, "organization", where->org);
		put(d, "position", what->position);
		putf(d, "phone", "+999 22 %03d %04d", 400 + i % 7 * 11, 1000 + i * 73);
		put_mail(d, first->latin, last->latin, MOD_MAIL);
		put(d, "language", i % 3 ? "Velmoran" : "Velmoran, English");
		put(d, "key_leader", leader ? "1" : "0");
		if (i % 4 == 1)
			putf(d, "us_trained", "%s, %d", alumni[i / 4 % (int)N(alumni)],
			     year - 2 - i % 9);
		s = save(d, &d->contacts[i]);
	}
	return s;
}

/* ---- end-use monitoring ---------------------------------------------------- */

/* The register (schema 6): the night-vision case's 40 devices at two
 * sites, seen by their initial inventory and by annual ones this year
 * that missed one device at the depot (its follow-up overdue); radios'
 * COMSEC on another case, due for their annual inventory within the
 * month; and two thermal sights on the Sec. 333 case not yet inventoried
 * 100 days after delivery. With the EUM billet vacant, every EUM rule
 * has its case. Days are from today. */
static const struct eum_lot {
	const char *designator, *category, *description, *prefix, *site, *unit;
	int count, delivered, custodian; /* custodian: a directorate contact, by index */
} eum_lots[] = {
	{"VAB", "nvd", "AN/PVS-14 monocular night vision device", "PVS14-21", "Land Forces Central Depot",
	 "Land Forces Logistics Command", 20, -830, 3},
	{"VAB", "nvd", "AN/PVS-14 monocular night vision device", "PVS14-22", "2nd Brigade armory",
	 "2nd Mechanized Brigade", 20, -815, 3},
	{"VAE", "comsec", "KG-175D TACLANE encryptor", "TL175-", "General Staff signals center",
	 "General Staff J6 (Communications)", 3, -420, 7},
	{"UAA", "nvd", "AN/PAS-13 thermal weapon sight", "PAS13-", "Special Operations compound",
	 "1st Special Operations Battalion", 2, -100, 9},
};

/* A check and the lots it looked at; `missed`: the device of its first
 * lot it did not see (1-based; 0: it saw all). */
static const struct eum_visit {
	const char *designator, *kind, *site;
	int date, lots[2], missed;
	const char *findings, *followup;
	int followup_due;
} eum_visits[] = {
	{"VAB", "initial_inventory", NULL, -760, {0, 1}, 0,
	 "All 40 devices seen at both sites; storage meets the requirements.", NULL, 0},
	{"VAB", "annual_inventory", "Land Forces Central Depot", -120, {0, -1}, 7,
	 "19 of 20 devices presented; the depot log shows the missing one issued to a patrol.",
	 "Ministry to report the search for the missing device; the office reports it to DSCA",
	 -30},
	{"VAB", "annual_inventory", "2nd Brigade armory", -110, {1, -1}, 0,
	 "All 20 devices seen; arms room door lock replaced since the last visit.", NULL, 0},
	{"VAE", "initial_inventory", "General Staff signals center", -345, {2, -1}, 0,
	 "All three encryptors seen in the controlled area.", NULL, 0},
};

static int64_t program_of(const demo *d, const char *designator)
{
	for (size_t g = 0; g < N(programs); g++)
		if (programs[g].designator && strcmp(programs[g].designator, designator) == 0)
			return d->programs[g];
	return 0;
}

static sk_status fill_eum(demo *d)
{
	if (!sk_table_find("eum_items"))
		return SK_OK;
	sk_status s = SK_OK;
	int64_t first[N(eum_lots)] = {0}; /* the id of each lot's first item */
	for (size_t l = 0; s == SK_OK && l < N(eum_lots); l++) {
		const struct eum_lot *lot = &eum_lots[l];
		int64_t program = program_of(d, lot->designator);
		if (!program)
			return sk_fail(d->err, SK_DB, NULL, "demo: no program %s", lot->designator);
		for (int k = 0; s == SK_OK && k < lot->count; k++) {
			row(d, "eum_items");
			put_int(d, "program_id", program);
			put(d, "case_line", "001");
			put(d, "category", lot->category);
			put(d, "description", lot->description);
			putf(d, "serial_number", "%s%04d", lot->prefix, 101 + k);
			put(d, "eeum", "1");
			put_day(d, "delivered_date", lot->delivered);
			put(d, "site", lot->site);
			put(d, "unit", lot->unit);
			put_int(d, "custodian_contact_id", d->contacts[N(leaders) + lot->custodian]);
			/* a tenth of the night-vision devices are out with units */
			put(d, "status", k % 10 == 3 ? "issued" : "in_storage");
			if (k % 10 == 3)
				put_day(d, "status_date", lot->delivered + 60);
			int64_t id = 0;
			s = save(d, &id);
			if (k == 0)
				first[l] = id;
		}
	}
	int year = atoi(d->today) % 100;
	for (size_t v = 0; s == SK_OK && v < N(eum_visits); v++) {
		const struct eum_visit *e = &eum_visits[v];
		row(d, "eum_checks");
		put_day(d, "date", e->date);
		put(d, "kind", e->kind);
		put_int(d, "program_id", program_of(d, e->designator));
		put(d, "site", e->site);
		put(d, "us_participants", "Chief, ODC; Deputy Chief");
		put(d, "findings", e->findings);
		putf(d, "report_ref", "EUM-%02d-%03d", year, 40 + (int)v * 7);
		put(d, "followup", e->followup);
		if (e->followup)
			put_day(d, "followup_due", e->followup_due);
		put(d, "followup_done", "0");
		int64_t check = 0;
		s = save(d, &check);
		for (int j = 0; s == SK_OK && j < 2 && e->lots[j] >= 0; j++) {
			const struct eum_lot *lot = &eum_lots[e->lots[j]];
			for (int k = 0; s == SK_OK && k < lot->count; k++) {
				row(d, "eum_check_items");
				put_int(d, "check_id", check);
				put_int(d, "item_id", first[e->lots[j]] + k);
				bool missed = j == 0 && e->missed == k + 1;
				put(d, "result", missed ? "not_seen" : "seen");
				if (missed)
					put(d, "notes", "Not presented; the depot log shows it issued to a patrol");
				s = save(d, NULL);
			}
		}
	}
	return s;
}

/* The contacts met at engagement i, as ';'-separated ids. */
static void engagement_contacts(const demo *d, int i, long age, char *buf, size_t size)
{
	int n = 1 + i % 3, staff_base = (int)N(leaders), nstaff = (int)N_CONTACTS - staff_base;
	size_t len = 0;
	for (int k = 0; k < n; k++) {
		int c = staff_base + (i * 7 + k * 13) % nstaff;
		if (k == 0 && i % 2 == 0) {
			int leader = (i / 2) % (int)N(leaders);
			/* keep the alert cases: one leader never met, one not
			 * met for four months; a staff officer goes instead */
			if (leader != NEVER_MET && (leader != LONG_AGO || age > 120))
				c = leader;
			else
				c = staff_base + (i * 7 + 3 * 13) % nstaff;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", k ? ";" : "",
		                        (long long)d->contacts[c]);
	}
}

static sk_status fill_engagements(demo *d)
{
	sk_status s = SK_OK;
	for (int i = 0; s == SK_OK && i < N_ENGAGEMENTS; i++) {
		long age = 2 + 3L * i; /* one every three days, newest first */
		bool with_leader = i % 2 == 0;
		char ids[64], due[11];
		engagement_contacts(d, i, age, ids, sizeof ids);

		row(d, "engagements");
		put_day(d, "date", -age);
		put(d, "type", with_leader ? leader_types[i / 2 % (int)N(leader_types)]
		                           : staff_types[i / 2 % (int)N(staff_types)]);
		/* key leaders are met at their headquarters */
		put(d, "location", with_leader ? leaders[i / 2 % (int)N(leaders)].org
		                               : locations[i % (int)N(locations)]);
		put(d, "contact_ids", ids);
		put(d, "us_participants", participants[i * 5 % (int)N(participants)]);
		if (i % 4 == 1) {
			const struct program *g = &programs[i / 4 % (int)N(programs)];
			put_int(d, "program_id", d->programs[i / 4 % (int)N(programs)]);
			putf(d, "objectives", "Review progress of %s", g->title);
		} else {
			put(d, "objectives", objectives[i % (int)N(objectives)]);
		}
		put(d, "outcomes", outcomes[i * 7 % (int)N(outcomes)]);
		if (i % 3 != 2) {
			long due_in = -age + 10 + 7 * (i % 3);
			sk_date_add_days(d->today, due_in, due);
			put(d, "followup", followups[i % (int)N(followups)]);
			put(d, "followup_due", due);
			/* Past follow-ups are done, except a few recent ones. */
			put(d, "followup_done", due_in < 0 && !(i % 7 == 3 && age < 200) ? "1" : "0");
		}
		s = save(d, NULL);
	}
	return s;
}

/* ---- the whole ------------------------------------------------------------ */

/* The demo fills an empty office only: these tables must hold nothing,
 * deleted rows included (their unique keys would clash). */
static sk_status refuse_filled(demo *d)
{
	static const char *const tables[] = {
		"personnel", "contacts", "billets", "languages", "courses",
		"staff_training", "students", "programs", "unit_vetting", "engagements",
	};
	for (size_t i = 0; i < N(tables); i++) {
		const sk_table *t = sk_table_find(tables[i]);
		sk_query q = {.which = SK_ALL};
		int64_t n = 0;
		sk_status s = t ? sk_count(d->db, t, &q, &n, d->err)
		                : sk_fail(d->err, SK_DB, NULL, "demo: no table %s", tables[i]);
		if (s != SK_OK)
			return s;
		if (n > 0)
			return sk_fail(d->err, SK_INVALID, NULL,
			               "the database already holds %lld %s; the demo fills "
			               "only an empty database (give a new file with --db)",
			               (long long)n, n == 1 ? t->label : t->plural);
	}
	return SK_OK;
}

sk_status sk_demo_fill(sk_db *db, sk_err *err)
{
	static sk_status (*const steps[])(demo *) = {
		refuse_filled, fill_settings, fill_billets, fill_staff, fill_courses,
		fill_training, fill_programs, fill_unit_vetting, fill_students, fill_contacts,
		fill_engagements, fill_eum,
	};
	sk_err_clear(err);
	sk_status s = sk_begin(db, err);
	if (s != SK_OK)
		return s;
	demo d = {.db = db, .err = err, .today = sk_today(db)};
	for (size_t i = 0; s == SK_OK && i < N(steps); i++)
		s = steps[i](&d);
	if (s == SK_OK)
		s = sk_commit(db, err);
	if (s != SK_OK)
		sk_rollback(db);
	return s;
}
