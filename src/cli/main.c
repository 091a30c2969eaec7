/*
 * main.c: the command line. Parses the options, opens the database and
 * hands over to a subcommand. Exit codes: 0 done, 1 a data or file
 * problem, 2 a usage mistake.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "scodesk/alerts.h"
#include "scodesk/backup.h"
#include "scodesk/csvio.h"
#include "scodesk/demo.h"
#include "scodesk/handover.h"
#include "scodesk/inert.h"
#include "scodesk/record.h"
#include "scodesk/reports.h"
#include "scodesk/share.h"
#include "scodesk/store.h"
#include "tui.h"

#ifndef SCODESK_VERSION
#define SCODESK_VERSION "unknown"
#endif

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

typedef struct options {
	const char *db_path;
	bool read_only, no_color, ascii, mouse, cursor;
	const char *command;
	char **args; /* what follows the command */
	int nargs;
} options;

static const char usage_text[] =
	"usage: scodesk [OPTIONS] [COMMAND [ARGS]]\n"
	"\n"
	"With no command, scodesk opens the office's database.\n"
	"\n"
	"Commands:\n"
	"  init [--shared GROUP]\n"
	"                create the database, or upgrade an older one;\n"
	"                --shared gives it to GROUP (file 0660, folder 2770)\n"
	"  demo          fill an empty database with a fictional office\n"
	"  check         check the database's integrity and schema\n"
	"  list TABLE    print a table's records, one per line\n"
	"  alerts        print the alerts, most urgent first\n"
	"  keys          print the interface's keys\n"
	"  backup [FILE] a consistent copy while others work (default: the\n"
	"                backups folder beside the database)\n"
	"  backup --daily\n"
	"                the day's backup in the backups folder if there is\n"
	"                none yet, keeping the newest backup_keep; prints the\n"
	"                file made (opening scodesk starts it; for cron too)\n"
	"  restore FILE [--yes]\n"
	"                put a sound copy in place of the database, after asking\n"
	"  export TABLE [-o FILE] [--filter TEXT] [--sort COLUMN] [--desc]\n"
	"                write a table as CSV (all of it, deleted records\n"
	"                too, unless filtered or sorted), to import back\n"
	"  export TABLE --view [-o FILE] [--filter TEXT] [--sort COLUMN] [--desc]\n"
	"                write the list as the interface shows it: its columns,\n"
	"                labels and shown values (names, not ids), as x does\n"
	"  report NAME [-o FILE] [--from DATE] [--to DATE]\n"
	"                write a report as CSV (--from/--to: a range report;\n"
	"                default the 12 months up to today); NAME is one of\n";
/* ... the reports' names, from their descriptions (usage() writes them), then: */
static const char usage_tail[] =
	"  report [NAME --columns]\n"
	"                list the reports (or NAME's columns)\n"
	"  handover [-o FILE] [--format markdown|csv]\n"
	"                write the turnover book: manning, gaps, open follow-ups,\n"
	"                key leaders, programs, students, training due, alerts;\n"
	"                Markdown, or one CSV (section,subject,detail,date,owner)\n"
	"  import TABLE FILE [--dry-run] [--delimiter ,|;] [--overwrite-newer]\n"
	"                load a CSV file into a table, all or nothing; a row\n"
	"                older than its record (its version) is refused unless\n"
	"                --overwrite-newer\n"
	"  check-items CHECK FILE [--dry-run] [--delimiter ,|;] [--only-listed]\n"
	"                the items EUM check CHECK saw, from a CSV list of\n"
	"                serial_number (result, notes if wanted), all or\n"
	"                nothing; an inventory records the watched items at\n"
	"                its site that the list lacks as not seen, unless\n"
	"                --only-listed\n"
	"\n"
	"CSV options (export, report, handover):\n"
	"  -o FILE       the file to write ('-': standard output; default\n"
	"                NAME-YYYY-MM-DD.csv, handover-YYYY-MM-DD.md)\n"
	"  --no-bom      no UTF-8 byte order mark\n"
	"  --marking none|TEXT  the marking on the first and last lines\n"
	"                (default: the marking setting, CUI)\n"
	"\n"
	"Options:\n"
	"  --db PATH     the database file (else $SCODESK_DB, else\n"
	"                $XDG_DATA_HOME/scodesk/scodesk.db, else\n"
	"                ~/.local/share/scodesk/scodesk.db)\n"
	"  --read-only   look, never write\n"
	"  --no-color    monochrome (so does NO_COLOR)\n"
	"  --ascii       ASCII line drawing\n"
	"  --mouse       let the mouse select and scroll\n"
	"  --cursor      keep the cursor on the selected row (screen readers)\n"
	"  -h, --help    this text\n"
	"  --version     the version\n";

/*
 * Prints like vfprintf, but everything the format makes goes out inert
 * (scodesk/inert.h: \x1B for ESC, <U+202E> for a bidirectional control):
 * no file name, value, schema name or message can drive the terminal.
 * The format's own closing newline is kept; every other control is
 * shown, a newline in a value too.
 */
static void vprint_inert(FILE *f, const char *fmt, va_list ap)
{
	char small[1024], *buf = small;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof small) {
		char *big = malloc((size_t)n + 1);
		if (big && vsnprintf(big, (size_t)n + 1, fmt, again) == n) {
			buf = big;
		} else {
			free(big);
			n = (int)strlen(small); /* the part that fitted */
		}
	}
	va_end(again);
	if (n < 0)
		return;
	size_t len = (size_t)n, flen = strlen(fmt);
	bool newline = flen && fmt[flen - 1] == '\n' && len && buf[len - 1] == '\n';
	sk_inert_write(f, buf, len - newline, 0, 0);
	if (newline)
		fputc('\n', f);
	if (buf != small)
		free(buf);
}

static void print_inert(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void print_inert(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_inert(f, fmt, ap);
	va_end(ap);
}

/* The usage, the reports named from their one list. */
static void usage(FILE *f)
{
	fputs(usage_text, f);
	int col = 0; /* what the line holds past its indent */
	for (size_t i = 0; i < sk_nreports; i++) {
		bool more = i + 1 < sk_nreports;
		int w = (int)strlen(sk_reports[i]->name) + more;
		if (col && 16 + col + 1 + w > 78) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, "%s%s%s", col ? " " : "                ", sk_reports[i]->name,
		        more ? "," : "\n");
		col += (col ? 1 : 0) + w;
	}
	fputs(usage_tail, f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "scodesk: ");
	print_inert(stderr, fmt, arg);
	fprintf(stderr, "\n\n");
	usage(stderr);
	return EXIT_USAGE;
}

/* Parses argv into o; returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, options *o)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			if (!o->command && i + 1 < argc)
				o->command = argv[++i];
			i++;
			break;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("scodesk %s\n", SCODESK_VERSION);
			return 0;
		} else if (strcmp(a, "--db") == 0) {
			if (++i >= argc)
				return usage_error("%s needs a file name", a);
			o->db_path = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			o->db_path = a + 5;
		} else if (strcmp(a, "--read-only") == 0) {
			o->read_only = true;
		} else if (strcmp(a, "--no-color") == 0) {
			o->no_color = true;
		} else if (strcmp(a, "--ascii") == 0) {
			o->ascii = true;
		} else if (strcmp(a, "--mouse") == 0) {
			o->mouse = true;
		} else if (strcmp(a, "--cursor") == 0) {
			o->cursor = true;
		} else if (a[0] == '-' && a[1] && o->command) {
			break; /* the command's own option */
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option %s", a);
		} else if (!o->command) {
			o->command = a;
		} else {
			break;
		}
	}
	/* Whatever is left are the command's arguments. */
	o->args = argv + i;
	o->nargs = argc - i;
	if (o->db_path && !*o->db_path)
		return usage_error("%s", "--db needs a file name");
	return -1;
}

static int fail(const sk_err *err)
{
	print_inert(stderr, "scodesk: %s\n", err->msg);
	return EXIT_DATA;
}

static int open_db(const options *o, unsigned flags, sk_db **db)
{
	char path[4096];
	sk_err err;
	if (o->db_path)
		snprintf(path, sizeof path, "%s", o->db_path);
	else if (sk_default_path(path, sizeof path, &err) != SK_OK)
		return fail(&err);
	if (o->read_only)
		flags |= SK_OPEN_READONLY;
	if (sk_open(path, flags, db, &err) != SK_OK)
		return fail(&err);
	return 0;
}

static int too_many(const options *o, int allowed)
{
	if (o->nargs > allowed)
		return usage_error("too many arguments for '%s'", o->command);
	return 0;
}

/* What init --shared left alone in the backups folder, one line each. */
static void warn_left_alone(void *ctx, const char *sentence)
{
	(void)ctx;
	print_inert(stderr, "scodesk: warning: %s\n", sentence);
}

static int cmd_init(const options *o)
{
	const char *group = NULL;
	if (o->nargs >= 1 && strncmp(o->args[0], "--shared", 8) == 0) {
		if (o->args[0][8] == '=')
			group = o->args[0] + 9;
		else if (o->args[0][8] == '\0' && o->nargs >= 2)
			group = o->args[1];
		if (!group || !*group)
			return usage_error("%s", "--shared needs a group name");
		if (o->nargs > (o->args[0][8] == '=' ? 1 : 2))
			return usage_error("too many arguments for '%s'", o->command);
	} else if (o->nargs) {
		return usage_error(o->args[0][0] == '-' ? "unknown option %s for 'init'"
		                                        : "too many arguments for 'init' (%s)",
		                   o->args[0]);
	}
	if (o->read_only)
		return usage_error("%s", "'init' creates, upgrades or shares the database; not "
		                         "with --read-only");
	if (group && !getgrnam(group)) {
		print_inert(stderr, "scodesk: there is no group named \"%s\" on this computer "
		                    "('getent group' lists them); nothing was made\n", group);
		return EXIT_DATA;
	}
	sk_db *db;
	int rc = open_db(o, SK_OPEN_CREATE, &db);
	if (rc)
		return rc;
	char path[4096];
	snprintf(path, sizeof path, "%s", sk_path(db));
	print_inert(stdout, "%s: schema version %d\n", path, sk_schema_version(db));
	sk_close(db);
	sk_err err;
	if (group) {
		if (sk_share_ex(path, group, warn_left_alone, NULL, &err) != SK_OK)
			return fail(&err);
		print_inert(stdout, "%s: shared with group %s (file 0660, folder 2770)\n", path, group);
	}
	return 0;
}

/* scodesk backup --daily: the day's backup when there is none yet, then
 * the rotation, as opening scodesk does; prints the file made on standard
 * output, nothing when today's was there already (or backup_keep is 0),
 * and a failure on standard error. The interface runs it in a process of
 * its own. */
static int daily_backup(sk_db *db)
{
	char made[4200];
	sk_err err;
	sk_status s = sk_backup_daily_ex(db, NULL, (int)sk_setting_int(db, "backup_keep"), made,
	                                 sizeof made, &err);
	/* Made, but the old ones could not be removed: say both. */
	if (made[0])
		print_inert(stdout, "%s\n", made);
	return s == SK_OK ? 0 : fail(&err);
}

/* scodesk backup [FILE | --daily]: a consistent copy while others work. */
static int cmd_backup(const options *o)
{
	const char *file = NULL;
	bool daily = false;
	for (int i = 0; i < o->nargs; i++) {
		const char *a = o->args[i];
		if (strcmp(a, "--daily") == 0)
			daily = true;
		else if (a[0] == '-' && a[1])
			return usage_error("unknown option %s for 'backup'", a);
		else if (file)
			return usage_error("too many arguments for '%s'", o->command);
		else
			file = a;
	}
	if (daily && file)
		return usage_error("%s", "'backup' takes a FILE or --daily, not both (--daily "
		                         "writes the day's backup in the backups folder)");
	if (o->read_only && !file)
		return usage_error("%s", "'backup' without a FILE writes in the backups folder "
		                         "beside the database; not with --read-only (give a FILE)");
	int rc;
	sk_db *db;
	options ro = *o;
	ro.read_only = true;
	if ((rc = open_db(&ro, 0, &db)))
		return rc;
	if (daily) {
		rc = daily_backup(db);
		sk_close(db);
		return rc;
	}
	char path[4200], dir[4096], now[21];
	if (file) {
		snprintf(path, sizeof path, "%s", file);
	} else {
		/* 2770 in a shared office, as the daily backup makes it */
		sk_err err;
		if (sk_backup_folder(db, dir, sizeof dir, &err) != SK_OK) {
			sk_close(db);
			return fail(&err);
		}
		/* 2026-11-25T21:11:13Z -> 20261125T211113Z: no ':' in a file name */
		char stamp[21];
		size_t k = 0;
		sk_now(now);
		for (const char *p = now; *p; p++)
			if (*p != '-' && *p != ':')
				stamp[k++] = *p;
		stamp[k] = '\0';
		snprintf(path, sizeof path, "%s/scodesk-backup-%s.db", dir, stamp);
	}
	sk_err err;
	if (sk_backup(db, path, &err) != SK_OK)
		rc = fail(&err);
	else
		print_inert(stdout, "%s\n", path);
	sk_close(db);
	return rc;
}

/* scodesk restore FILE [--yes]: puts a sound copy in place, after asking. */
static int cmd_restore(const options *o)
{
	bool yes = false;
	const char *from = NULL;
	for (int i = 0; i < o->nargs; i++) {
		if (strcmp(o->args[i], "--yes") == 0)
			yes = true;
		else if (o->args[i][0] == '-')
			return usage_error("unknown option %s for 'restore'", o->args[i]);
		else if (!from)
			from = o->args[i];
		else
			return usage_error("too many arguments for '%s'", o->command);
	}
	if (!from)
		return usage_error("%s", "'restore' needs the file to restore from");
	if (o->read_only)
		return usage_error("%s", "'restore' writes the database; not with --read-only");
	char path[4096];
	sk_err err;
	if (o->db_path)
		snprintf(path, sizeof path, "%s", o->db_path);
	else if (sk_default_path(path, sizeof path, &err) != SK_OK)
		return fail(&err);
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			print_inert(stderr, "scodesk: restore replaces %s; it asks first: run it on a "
			                    "terminal, or give --yes\n", path);
			return EXIT_DATA;
		}
		print_inert(stdout, "Replace the database %s with %s? The current one is kept "
		                    "beside it. [y/N] ", path, from);
		fflush(stdout);
		char answer[16] = "";
		if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
			printf("Nothing was changed.\n");
			return 0;
		}
	}
	char saved[4200] = "";
	if (sk_restore_file_ex(path, from, saved, sizeof saved, &err) != SK_OK)
		return fail(&err);
	print_inert(stdout, "%s: restored from %s", path, from);
	if (saved[0])
		print_inert(stdout, "; the previous database is %s", saved);
	printf("\n");
	return 0;
}

static int cmd_demo(const options *o)
{
	int rc = too_many(o, 0);
	if (rc)
		return rc;
	sk_db *db;
	if ((rc = open_db(o, SK_OPEN_CREATE, &db)))
		return rc;
	sk_err err;
	if (sk_demo_fill(db, &err) != SK_OK)
		rc = fail(&err);
	else
		print_inert(stdout, "%s: filled with a fictional office\n", sk_path(db));
	sk_close(db);
	return rc;
}

/* A finding may name a table, an index or a trigger of the file: shown
 * inert. */
static void print_finding(void *ctx, const char *finding)
{
	(void)ctx;
	print_inert(stdout, "%s\n", finding);
}

static int cmd_check(const options *o)
{
	int rc = too_many(o, 0);
	if (rc)
		return rc;
	sk_db *db;
	options ro = *o;
	ro.read_only = true;
	if ((rc = open_db(&ro, SK_OPEN_NO_MIGRATE | SK_OPEN_NO_VERIFY, &db)))
		return rc;
	sk_err err;
	int n = sk_check(db, print_finding, NULL, &err);
	if (n < 0)
		rc = fail(&err);
	else if (n > 0)
		rc = EXIT_DATA, print_inert(stderr, "scodesk: %s: %d finding%s\n", sk_path(db), n,
		                            n == 1 ? "" : "s");
	else
		print_inert(stdout, "%s: ok (schema version %d)\n", sk_path(db),
		            sk_schema_version(db));
	sk_close(db);
	return rc;
}

static int print_row(void *ctx, const sk_record *rec)
{
	(void)ctx;
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		if (i)
			fputs(" | ", stdout);
		sk_inert_puts(stdout, rec->values[i]);
	}
	putchar('\n');
	return 0;
}

static int cmd_list(const options *o)
{
	if (o->nargs != 1)
		return usage_error("%s", "'list' needs one table name");
	const sk_table *t = sk_table_find(o->args[0]);
	if (!t)
		return usage_error("no table named '%s' (see scodesk(1))", o->args[0]);
	sk_db *db;
	int rc = open_db(o, 0, &db);
	if (rc)
		return rc;
	for (size_t i = 0; i < t->ncolumns; i++)
		printf("%s%s", i ? " | " : "", t->columns[i].name);
	putchar('\n');
	sk_err err;
	sk_query q = {.sort = NULL};
	if (sk_list(db, t, &q, print_row, NULL, &err) != SK_OK)
		rc = fail(&err);
	sk_close(db);
	return rc;
}

static int print_alerts(sk_db *db)
{
	sk_alerts alerts = {0};
	sk_err err;
	if (sk_alerts_compute(db, &alerts, &err) != SK_OK)
		return fail(&err);
	for (size_t i = 0; i < alerts.count; i++) {
		const sk_alert *a = &alerts.items[i];
		print_inert(stdout, "%-7s %-10s %-20s %s: %s\n", sk_severity_name(a->severity),
		            a->due_date[0] ? a->due_date : "-", a->rule, a->subject, a->detail);
	}
	printf("%zu alert%s\n", alerts.count, alerts.count == 1 ? "" : "s");
	sk_alerts_free(&alerts);
	return 0;
}

static int cmd_alerts(const options *o)
{
	int rc = too_many(o, 0);
	if (rc)
		return rc;
	sk_db *db;
	if ((rc = open_db(o, 0, &db)))
		return rc;
	rc = print_alerts(db);
	sk_close(db);
	return rc;
}

/* The key table, for people and for the man page. */
static int cmd_keys(const options *o)
{
	int rc = too_many(o, 0);
	if (rc)
		return rc;
	static const struct { unsigned ctx; const char *title; } contexts[] = {
		{CTX_LIST, "In a list"}, {CTX_FORM, "In the record form"}, {CTX_HELP, "In the help"},
		{CTX_VIEW, "In the record view"},
	};
	for (size_t c = 0; c < sizeof contexts / sizeof contexts[0]; c++) {
		printf("%s%s:\n", c ? "\n" : "", contexts[c].title);
		for (size_t i = 0; i < sk_naction_defs; i++) {
			const sk_action_def *d = &sk_action_defs[i];
			if (!(d->contexts & contexts[c].ctx))
				continue;
			char keys[96];
			sk_action_keys(d, keys, sizeof keys);
			printf("  %-22s %s\n", keys, d->help);
		}
	}
	return 0;
}

/* ---- CSV: export, report, import ---------------------------------------- */

enum {
	A_OUT = 1 << 0,     /* -o FILE, --no-bom, --marking */
	A_RANGE = 1 << 1,   /* --from, --to */
	A_LIST = 1 << 2,    /* --filter, --sort, --desc */
	A_IMPORT = 1 << 3,  /* --dry-run, --delimiter, --overwrite-newer */
	A_VIEW = 1 << 4,    /* --view */
	A_COLUMNS = 1 << 5, /* --columns */
	A_FORMAT = 1 << 6,  /* --format markdown|csv */
	A_LOAD = 1 << 7,    /* --dry-run, --delimiter, --only-listed */
};

typedef struct csv_args {
	const char *words[3];
	int nwords;
	const char *out;
	const char *filter, *sort;
	bool desc, view, columns, only_listed;
	const char *format;
	sk_csv_opts opts;
} csv_args;

/* The value of option `name` at argv[*i] ("--name VALUE" or
 * "--name=VALUE"); NULL when argv[*i] is another option. *missing is
 * set when the value is absent. */
static const char *option_value(const options *o, int *i, const char *name, bool *missing)
{
	const char *a = o->args[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= o->nargs) {
		*missing = true;
		return NULL;
	}
	return o->args[++*i];
}

/* Parses a CSV command's words and options (in any order; --db and
 * --read-only may stand among them too, for scripts that put them last);
 * returns -1 to go on, or the usage error's exit code. */
static int csv_parse_args(options *o, unsigned allowed, csv_args *a)
{
	char msg[160];
	bool words_only = false;
	memset(a, 0, sizeof *a);
	for (int i = 0; i < o->nargs; i++) {
		const char *arg = o->args[i];
		bool missing = false;
		const char *v;
		if (words_only || arg[0] != '-' || (arg[1] == '\0')) {
			if (a->nwords >= (int)(sizeof a->words / sizeof a->words[0]))
				return usage_error("too many arguments for '%s'", o->command);
			a->words[a->nwords++] = arg;
		} else if (strcmp(arg, "--") == 0) {
			words_only = true;
		} else if ((v = option_value(o, &i, "--db", &missing))) {
			if (!*v)
				return usage_error("%s", "--db needs a file name");
			o->db_path = v;
		} else if (strcmp(arg, "--read-only") == 0) {
			o->read_only = true;
		} else if ((allowed & A_OUT) && (v = option_value(o, &i, "-o", &missing))) {
			a->out = v;
		} else if ((allowed & A_OUT) && strcmp(arg, "--no-bom") == 0) {
			a->opts.no_bom = true;
		} else if ((allowed & A_OUT) && (v = option_value(o, &i, "--marking", &missing))) {
			if (!*v || !sk_inert_plain(v, strlen(v)) || strlen(v) > 200)
				return usage_error("%s", "--marking needs 'none' or a line of text "
				                         "(at most 200 characters)");
			a->opts.marking = v;
		} else if ((allowed & A_RANGE) && (v = option_value(o, &i, "--from", &missing))) {
			a->opts.from = v;
		} else if ((allowed & A_RANGE) && (v = option_value(o, &i, "--to", &missing))) {
			a->opts.to = v;
		} else if ((allowed & A_LIST) && (v = option_value(o, &i, "--filter", &missing))) {
			a->filter = v;
		} else if ((allowed & A_LIST) && (v = option_value(o, &i, "--sort", &missing))) {
			a->sort = v;
		} else if ((allowed & A_LIST) && strcmp(arg, "--desc") == 0) {
			a->desc = true;
		} else if ((allowed & A_FORMAT) && (v = option_value(o, &i, "--format", &missing))) {
			a->format = v;
		} else if ((allowed & A_VIEW) && strcmp(arg, "--view") == 0) {
			a->view = true;
		} else if ((allowed & A_COLUMNS) && strcmp(arg, "--columns") == 0) {
			a->columns = true;
		} else if ((allowed & (A_IMPORT | A_LOAD)) && strcmp(arg, "--dry-run") == 0) {
			a->opts.dry_run = true;
		} else if ((allowed & A_LOAD) && strcmp(arg, "--only-listed") == 0) {
			a->only_listed = true;
		} else if ((allowed & A_IMPORT) && strcmp(arg, "--overwrite-newer") == 0) {
			a->opts.overwrite_newer = true;
		} else if ((allowed & (A_IMPORT | A_LOAD)) &&
		           (v = option_value(o, &i, "--delimiter", &missing))) {
			if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
				a->opts.delimiter = ',';
			else if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
				a->opts.delimiter = ';';
			else
				return usage_error("%s", "--delimiter is ',' or ';'");
		} else if (missing) {
			snprintf(msg, sizeof msg, "%s needs a value", arg);
			return usage_error("%s", msg);
		} else {
			snprintf(msg, sizeof msg, "unknown option %s for '%s'", arg, o->command);
			return usage_error("%s", msg);
		}
		if (missing) {
			snprintf(msg, sizeof msg, "%s needs a value", arg);
			return usage_error("%s", msg);
		}
	}
	if (a->out && !*a->out)
		return usage_error("%s", "-o needs a file name ('-' for standard output)");
	return -1;
}

static const sk_table *table_arg(const char *name)
{
	const sk_table *t = sk_table_find(name);
	if (!t)
		usage_error("no table named '%s' (see scodesk(1))", name);
	return t;
}

/* Where an export goes: -o, else a proposed name in the current folder. */
static const char *output_path(sk_db *db, const csv_args *a, const char *name, char *buf,
                               size_t size)
{
	if (a->out)
		return a->out;
	sk_csv_suggest_name(db, name, buf, size);
	return buf;
}

static void wrote(const char *path, long rows)
{
	/* Standard output holds the file itself: say nothing there. */
	if (strcmp(path, "-") != 0)
		print_inert(stdout, "%s: %ld row%s\n", path, rows, rows == 1 ? "" : "s");
}

/*
 * The columns of t as the interface lists them: its home tab's (or its
 * related-only tab's) shown columns in their order, with that tab's
 * default sort; a table shown nowhere (settings): every column but the
 * ones core keeps, by id. Returns how many.
 */
static int view_columns(const sk_table *t, int *cols, int max, const char **sort, bool *desc)
{
	const tab_def *def = tui_tab_for(t->name);
	int n = 0;
	*sort = NULL;
	*desc = false;
	if (def && !def->source) {
		/* as list_init takes them: the names the table has, at most
		 * LIST_MAX_COLS */
		for (int i = 0; def->columns[i] && n < max && n < LIST_MAX_COLS; i++) {
			int c = sk_column_index(t, def->columns[i]);
			if (c >= 0)
				cols[n++] = c;
		}
		*sort = def->sort;
		*desc = def->descending;
		return n;
	}
	for (size_t i = 0; i < t->ncolumns && n < max; i++)
		if (!(t->columns[i].flags & SK_F_SYSTEM))
			cols[n++] = (int)i;
	return n;
}

static int cmd_export(const options *given)
{
	options local = *given, *o = &local;
	csv_args a;
	int rc = csv_parse_args(o, A_OUT | A_LIST | A_VIEW, &a);
	if (rc >= 0)
		return rc;
	if (a.nwords != 1)
		return usage_error("%s", "'export' needs one table name");
	const sk_table *t = table_arg(a.words[0]);
	if (!t)
		return EXIT_USAGE;
	if (a.sort && !sk_column_find(t, a.sort))
		return usage_error("cannot sort by '%s': no such column (see scodesk(1))", a.sort);
	int cols[64], ncols = 0;
	const char *view_sort = NULL;
	bool view_desc = false;
	if (a.view) {
		ncols = view_columns(t, cols, (int)(sizeof cols / sizeof cols[0]), &view_sort,
		                     &view_desc);
		if (ncols == 0)
			return usage_error("%s has no columns to show", t->name);
	}
	sk_db *db;
	if ((rc = open_db(o, 0, &db)))
		return rc;
	/* A filter or sort is the list as the interface shows it: live
	 * records. Without, the whole table, for a round trip. */
	sk_query q = {.text = a.filter, .sort = a.sort, .descending = a.desc, .which = SK_LIVE};
	bool listed = a.filter || a.sort || a.desc;
	char buf[256];
	const char *path = output_path(db, &a, t->name, buf, sizeof buf);
	sk_err err;
	long rows;
	sk_status s;
	if (a.view) {
		/* --view: as the list shows it, the tab's own order unless
		 * --sort (--desc alone: that order descending) */
		if (!a.sort) {
			q.sort = view_sort;
			q.descending = a.desc || view_desc;
		}
		s = sk_csv_export_view(db, t, &q, cols, ncols, path, &a.opts, &rows, &err);
	} else {
		s = sk_csv_export(db, t, listed ? &q : NULL, path, &a.opts, &rows, &err);
	}
	if (s != SK_OK)
		rc = fail(&err);
	else
		wrote(path, rows);
	sk_close(db);
	return rc;
}

/* scodesk report: the reports, one a line, from their descriptions (the
 * man page and the interface's help list the same). */
static int list_reports(void)
{
	for (size_t i = 0; i < sk_nreports; i++)
		printf("%-18s %s\n", sk_reports[i]->name, sk_reports[i]->title);
	return 0;
}

/* scodesk report NAME --columns: its columns, the ones every row begins
 * with first. */
static int list_report_columns(const sk_report *r)
{
	for (size_t i = 0; i < sk_report_width(r); i++) {
		const sk_report_column *c = sk_report_column_at(r, i);
		printf("%-22s %s\n", c->header, c->label);
	}
	return 0;
}

static int cmd_report(const options *given)
{
	options local = *given, *o = &local;
	csv_args a;
	int rc = csv_parse_args(o, A_OUT | A_RANGE | A_COLUMNS, &a);
	if (rc >= 0)
		return rc;
	char names[256];
	sk_report_names(names, sizeof names);
	/* a bare `scodesk report` lists them; with an option it was meant to
	 * write one */
	if (a.nwords == 0 && !a.columns && !a.out && !a.opts.from && !a.opts.to &&
	    !a.opts.no_bom && !a.opts.marking)
		return list_reports();
	if (a.nwords != 1) {
		char msg[400];
		snprintf(msg, sizeof msg, "'report' needs one report name (%s)", names);
		return usage_error("%s", msg);
	}
	const char *name = a.words[0];
	const sk_report *r = sk_report_find(name);
	if (!r) {
		char msg[400];
		snprintf(msg, sizeof msg, "no report named '%.64s' (%s)", name, names);
		return usage_error("%s", msg);
	}
	if (a.columns)
		return list_report_columns(r);
	if ((a.opts.from || a.opts.to) && !r->range) {
		char ranged[256] = "";
		for (size_t i = 0, len = 0; i < sk_nreports; i++)
			if (sk_reports[i]->range && len < sizeof ranged)
				len += (size_t)snprintf(ranged + len, sizeof ranged - len, "%s%s",
				                        len ? ", " : "", sk_reports[i]->name);
		return usage_error("--from and --to apply to the range reports only (%s)", ranged);
	}
	if (a.opts.from && sk_check_date(a.opts.from))
		return usage_error("--from '%s' is not a date (YYYY-MM-DD)", a.opts.from);
	if (a.opts.to && sk_check_date(a.opts.to))
		return usage_error("--to '%s' is not a date (YYYY-MM-DD)", a.opts.to);
	if (a.opts.from && a.opts.to && strcmp(a.opts.from, a.opts.to) > 0)
		return usage_error("%s", "--from is after --to");
	sk_db *db;
	if ((rc = open_db(o, 0, &db)))
		return rc;
	char buf[256];
	const char *path = output_path(db, &a, name, buf, sizeof buf);
	sk_err err;
	long rows;
	if (sk_csv_report(db, name, path, &a.opts, &rows, &err) != SK_OK)
		rc = fail(&err);
	else
		wrote(path, rows);
	sk_close(db);
	return rc;
}

/* The turnover book: Markdown unless --format csv; without -o the file
 * name proposed as for a report, in the current folder. */
static int cmd_handover(const options *given)
{
	options local = *given, *o = &local;
	csv_args a;
	int rc = csv_parse_args(o, A_OUT | A_FORMAT, &a);
	if (rc >= 0)
		return rc;
	if (a.nwords)
		return usage_error("too many arguments for '%s'", o->command);
	sk_handover_format format = SK_HANDOVER_MARKDOWN;
	if (a.format && strcmp(a.format, "csv") == 0)
		format = SK_HANDOVER_CSV;
	else if (a.format && strcmp(a.format, "markdown") != 0 && strcmp(a.format, "md") != 0)
		return usage_error("--format '%s' is not markdown or csv", a.format);
	sk_db *db;
	if ((rc = open_db(o, 0, &db)))
		return rc;
	char buf[256];
	const char *path = a.out;
	if (!path) {
		sk_handover_suggest_name(db, format, buf, sizeof buf);
		path = buf;
	}
	sk_err err;
	long items;
	if (sk_handover_write(db, path, format, &a.opts, &items, &err) != SK_OK)
		rc = fail(&err);
	else if (strcmp(path, "-") != 0)
		print_inert(stdout, "%s: %ld item%s\n", path, items, items == 1 ? "" : "s");
	sk_close(db);
	return rc;
}

static int cmd_import(const options *given)
{
	options local = *given, *o = &local;
	csv_args a;
	int rc = csv_parse_args(o, A_IMPORT, &a);
	if (rc >= 0)
		return rc;
	if (a.nwords != 2)
		return usage_error("%s", "'import' needs a table name and a file");
	const sk_table *t = table_arg(a.words[0]);
	if (!t)
		return EXIT_USAGE;
	if (t->append_only)
		return usage_error("%s is written by scodesk itself and cannot be imported",
		                   t->name);
	sk_db *db;
	if ((rc = open_db(o, SK_OPEN_CREATE, &db)))
		return rc;
	sk_err err;
	sk_import_result res;
	const char *file = a.words[1];
	sk_status s = sk_csv_import(db, t, file, &a.opts, stderr, &res, &err);
	if (s != SK_OK) {
		rc = fail(&err);
	} else {
		const char *shown = strcmp(file, "-") == 0 ? "(standard input)" : file;
		if (res.overwritten)
			print_inert(stdout, "%s: %ld row%s older than the database %s the newer "
			            "record%s (--overwrite-newer; the audit log says so)\n", shown,
			            res.overwritten, res.overwritten == 1 ? "" : "s",
			            a.opts.dry_run ? "would replace" : "replaced",
			            res.overwritten == 1 ? "" : "s");
		if (a.opts.dry_run)
			print_inert(stdout, "%s: %ld row%s: %ld would be added, %ld updated, %ld "
			            "unchanged; nothing was written (--dry-run)\n", shown, res.rows,
			            res.rows == 1 ? "" : "s", res.inserted, res.updated, res.unchanged);
		else
			print_inert(stdout, "%s: %ld row%s: %ld added, %ld updated, %ld unchanged\n",
			            shown, res.rows, res.rows == 1 ? "" : "s", res.inserted, res.updated,
			            res.unchanged);
	}
	sk_close(db);
	return rc;
}

/* The items an EUM check saw, from an inspector's list of serials. */
static int cmd_check_items(const options *given)
{
	options local = *given, *o = &local;
	csv_args a;
	int rc = csv_parse_args(o, A_LOAD, &a);
	if (rc >= 0)
		return rc;
	if (a.nwords != 2)
		return usage_error("%s", "'check-items' needs an EUM check's id and a file");
	char *end;
	errno = 0;
	long long check = strtoll(a.words[0], &end, 10);
	if (check <= 0 || *end || errno || !isdigit((unsigned char)a.words[0][0]))
		return usage_error("'%s' is not an EUM check's id (a whole number above 0)",
		                   a.words[0]);
	sk_db *db;
	if ((rc = open_db(o, 0, &db)))
		return rc;
	sk_err err;
	sk_check_load res;
	const char *file = a.words[1];
	if (sk_csv_load_check(db, check, file, &a.opts, a.only_listed, stderr, &res, &err) !=
	    SK_OK) {
		rc = fail(&err);
	} else {
		const char *shown = strcmp(file, "-") == 0 ? "(standard input)" : file;
		bool dry = a.opts.dry_run;
		print_inert(stdout, "%s: %ld serial%s %s check %lld: %ld seen, %ld damaged or at the "
		            "wrong site, %ld not seen\n", shown, res.rows, res.rows == 1 ? "" : "s",
		            dry ? "would go on" : "on", check, res.seen, res.other, res.not_seen);
		if (res.missing)
			print_inert(stdout, "%s: %ld watched item%s the list lacks %s not seen: %s\n",
			            shown, res.missing, res.missing == 1 ? "" : "s",
			            dry ? "would be recorded" : "recorded", res.missing_serials);
		if (dry)
			print_inert(stdout, "%s: nothing was written (--dry-run)\n", shown);
	}
	sk_close(db);
	return rc;
}

/*
 * Starts `scodesk --db PATH backup --daily` in a process of its own and
 * returns its pid, with the read end of its standard error in *err_fd; or
 * -1 with a sentence in msg. The interface opens at once however big the
 * database (a copy of 4 GB takes half a minute), and a dropped link cannot
 * cut the copy short: the child leads a new session with no terminal, so
 * the terminal's SIGHUP never reaches it, and it finishes after scodesk
 * has quit. It execs this program anew rather than copy through this
 * process's SQLite connection, which must not cross a fork.
 */
static pid_t start_daily_backup(sk_db *db, int *err_fd, char *msg, size_t size)
{
	/* Everything the child needs is made before the fork: between fork
	 * and exec it may only make async-signal-safe calls. */
	char path[4096], cwd[4096];
	const char *given = sk_path(db);
	if (given[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(path, sizeof path, "%s", given);
	else if (snprintf(path, sizeof path, "%s/%s", cwd, given) >= (int)sizeof path)
		snprintf(path, sizeof path, "%s", given); /* the child shares our folder */
	char a0[] = "scodesk", a1[] = "--db", a3[] = "backup", a4[] = "--daily";
	char *argv[] = {a0, a1, path, a3, a4, NULL};
	static const char exec_failed[] =
		"scodesk: cannot start the backup: /proc/self/exe cannot be run\n";
	/* When scodesk has quit, a failure's message has nobody to go to: its
	 * write should fail rather than kill the child (SIGPIPE). An ignored
	 * signal stays ignored across exec. */
	struct sigaction ignore;
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	int fds[2];
	if (pipe(fds) != 0) {
		snprintf(msg, size, "cannot start the backup: %s", strerror(errno));
		return -1;
	}
	/* Both ends close on exec: the child's copy of the write end is dup2'd
	 * onto its standard error, which stays open. */
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		/* With standard error closed, the pipe may have got its number:
		 * then dup2 would keep the close-on-exec flag; clear it. */
		if (fds[1] == STDERR_FILENO ? fcntl(fds[1], F_SETFD, 0) < 0
		                            : dup2(fds[1], STDERR_FILENO) < 0)
			_exit(127);
		if (null > STDERR_FILENO)
			close(null);
		sigaction(SIGPIPE, &ignore, NULL);
		execv("/proc/self/exe", argv);
		ssize_t w = write(STDERR_FILENO, exec_failed, sizeof exec_failed - 1);
		(void)w;
		_exit(127);
	}
	int saved = errno;
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		snprintf(msg, size, "cannot start the backup: %s", strerror(saved));
		return -1;
	}
	/* The interface reads it when the child has ended, never waiting. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	*err_fd = fds[0];
	return pid;
}

/* On a terminal curses can draw on, the interface. A terminal whose
 * TERM is missing or unknown gets the plain summary, after one sentence
 * saying why. */
static bool interface_possible(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return false;
	char why[200];
	if (sk_tui_usable(why, sizeof why))
		return true;
	print_inert(stderr, "scodesk: %s, so this is the plain summary; set TERM to this "
	            "terminal's type (such as xterm-256color) for the interface\n", why);
	return false;
}

/* On a terminal, the interface; otherwise a plain summary: banner,
 * counts, alerts. */
static int cmd_open(const options *o)
{
	sk_db *db;
	int rc = open_db(o, o->read_only ? 0 : SK_OPEN_CREATE, &db);
	if (rc)
		return rc;
	/* The daily backup, when the day has none yet (one stat otherwise). */
	char notice[600] = "";
	sk_err err;
	int keep = (int)sk_setting_int(db, "backup_keep");
	if (interface_possible()) {
		sk_tui_options topt = {.no_color = o->no_color, .ascii = o->ascii,
		                       .mouse = o->mouse, .cursor = o->cursor,
		                       .backup_pid = 0, .backup_fd = -1};
		/* In the background: the first screen does not wait for it. */
		if (!sk_readonly(db) && sk_backup_daily_due(db, NULL, keep)) {
			char why[400];
			pid_t pid = start_daily_backup(db, &topt.backup_fd, why, sizeof why);
			if (pid > 0)
				topt.backup_pid = pid;
			else
				snprintf(notice, sizeof notice, "no daily backup today: %s", why);
		}
		topt.notice = notice[0] ? notice : NULL;
		rc = sk_tui_run(db, &topt);
		sk_close(db);
		return rc;
	}
	/* A script waits for it: the summary comes after the copy. */
	if (!sk_readonly(db) && sk_backup_daily(db, NULL, keep, &err) != SK_OK)
		snprintf(notice, sizeof notice, "no daily backup today: %s", err.msg);
	if (notice[0])
		print_inert(stderr, "scodesk: %s\n", notice);
	char marking[64], office[128];
	sk_setting(db, "marking", marking, sizeof marking);
	sk_setting(db, "office_name", office, sizeof office);
	print_inert(stdout, "%s -- %s%s\n", marking, office, sk_readonly(db) ? " (read-only)" : "");
	print_inert(stdout, "%s\n", sk_path(db));
	putchar('\n');
	for (size_t i = 0; i < sk_ntables; i++) {
		int64_t n = 0;
		sk_query q = {.which = SK_LIVE};
		sk_count(db, sk_tables[i], &q, &n, NULL);
		printf("%-16s %8lld\n", sk_tables[i]->plural, (long long)n);
	}
	putchar('\n');
	rc = print_alerts(db);
	print_inert(stdout, "%s\n", marking);
	sk_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	options o = {0};
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	static const struct {
		const char *name;
		int (*run)(const options *);
	} commands[] = {
		{"init", cmd_init}, {"demo", cmd_demo}, {"check", cmd_check},
		{"list", cmd_list}, {"alerts", cmd_alerts}, {"keys", cmd_keys},
		{"export", cmd_export}, {"report", cmd_report}, {"import", cmd_import},
		{"handover", cmd_handover}, {"check-items", cmd_check_items},
		{"backup", cmd_backup}, {"restore", cmd_restore},
	};
	if (!o.command) {
		if (o.nargs)
			return usage_error("unexpected argument %s", o.args[0]);
		return cmd_open(&o);
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(o.command, commands[i].name) == 0)
			return commands[i].run(&o);
	return usage_error("unknown command '%s'", o.command);
}
