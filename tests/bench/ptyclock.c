/*
 * ptyclock: how long a full-screen program takes from a key to a settled
 * screen, measured through a pseudo-terminal. A measurement, not a test.
 *
 *   ptyclock [-v] [-q QUIET_MS] [-g GAP_MS] [-w WAIT_S] [-c COLS] [-l LINES] SCRIPT -- CMD [ARG...]
 *
 * CMD runs in a pty of COLSxLINES (80x24) with TERM=xterm-256color and
 * LANG=C.UTF-8. The screen counts as settled when nothing more has come
 * for QUIET_MS (300); a time reported is from the moment the key was
 * written to the last byte before that quiet, so the quiet itself is not
 * counted. Each timed key also gives the time to its first byte and to
 * the end of its first burst (the last byte before a pause of GAP_MS, 50):
 * a program that redraws a clock or a spinner never settles early, but its
 * answer to the key is the first burst. SCRIPT is a file ('-': standard input), one step a line:
 *
 *   open TEXT              from the start to TEXT on the screen, then
 *                          settled (TEXT: the rest of the line; it is
 *                          looked for in the output with escape
 *                          sequences taken out); also when TEXT came
 *                          and when the burst that brought it ended
 *   key KEYS               write KEYS and wait until settled, untimed
 *   expect TEXT            stop unless the step before brought TEXT (its
 *                          last run, for a time step), waiting up to
 *                          WAIT_S for it
 *   time LABEL N PRE KEYS  N times: write PRE (untimed; '-' for none;
 *                          a '+' between keys writes them one by one,
 *                          each settled), then KEYS, timed; prints every
 *                          run, the median, and the bytes of the run
 *                          nearest the median
 *   redraw KEYS            from now on write KEYS (the program's redraw
 *                          key, e.g. \x0c) after every untimed key, so
 *                          that one which changes nothing still answers
 *                          (and one that does is seen to have finished)
 *   sleep MS               wait, reading what comes
 *   mem                    peak memory so far (VmHWM of CMD's process)
 *   quit KEYS              write KEYS and wait for CMD to end; prints its
 *                          peak memory (getrusage of the child)
 *
 * KEYS take C escapes: \e (ESC), \r, \n, \t, \xHH (\x2b for '+'), \\, and
 * \s for a space;
 * PgDn is \e[6~. A line starting with # is a comment.
 *
 * A step that sees no output within WAIT_S seconds (60) prints "none"
 * (so an untimed key that changes nothing costs WAIT_S, unless a redraw
 * key is set).
 * With -v every read is shown on standard error, timed from the last key
 * written (or the start), to see the bursts a step is made of.
 * Build: cc -O2 -o ptyclock ptyclock.c -lutil
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int quiet_ms = 300;
static int wait_s = 60;
static int master = -1;
static pid_t child;
static double t_last;           /* when the last byte came */
static long long total_bytes;   /* every byte read */
static bool child_gone;
static char redraw[64];         /* written after every untimed key, if set */
static bool verbose;            /* -v: every read, on standard error */
static int gap_ms = 50;         /* a pause this long ends a burst */
static double t_first, t_burst; /* of the last settle(): first byte, end of the first burst */
static double t_mark;           /* what -v times reads from */

/* What the screen was sent, escape sequences taken out (the last part). */
#define TEXT_KEEP 65536
static char text[TEXT_KEEP * 2];
static size_t text_len;
static int esc_state;           /* 0 text, 1 after ESC, 2 CSI, 3 OSC/string, 4 after ESC in OSC, 5 one more byte */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void keep_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		switch (esc_state) {
		case 0:
			if (c == 0x1b)
				esc_state = 1;
			else if (c >= 0x20 || c == '\n')
				text[text_len++] = (char)c;
			break;
		case 1:
			esc_state = c == '[' ? 2 : (c == ']' || c == 'P' || c == '_' || c == '^') ? 3
			          : (c == '(' || c == ')' || c == '#' || c == '%') ? 5 : 0;
			break;
		case 2:
			if (c >= 0x40 && c <= 0x7e)
				esc_state = 0;
			break;
		case 3:
			if (c == 0x07)
				esc_state = 0;
			else if (c == 0x1b)
				esc_state = 4;
			break;
		case 4:
			esc_state = c == '\\' ? 0 : 3;
			break;
		case 5:
			esc_state = 0;
			break;
		}
		if (text_len >= sizeof text - 1) {
			memmove(text, text + text_len - TEXT_KEEP, TEXT_KEEP);
			text_len = TEXT_KEEP;
		}
	}
	text[text_len] = '\0';
}

/* Reads what is there, waiting up to timeout_ms for something; returns the
 * bytes read (0 on timeout, -1 once the program is gone). */
static long pump(int timeout_ms)
{
	struct pollfd pfd = {.fd = master, .events = POLLIN};
	int r = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	unsigned char buf[65536];
	ssize_t n = read(master, buf, sizeof buf);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		child_gone = true;
		return -1;
	}
	t_last = now_ms();
	total_bytes += n;
	if (verbose)
		fprintf(stderr, "  +%.1f ms: %zd bytes\n", t_last - t_mark, n);
	keep_text(buf, (size_t)n);
	return n;
}

/* Waits for the first byte (up to wait_s), then for quiet_ms of nothing.
 * Returns the bytes that came, or -1 when nothing came. */
static long long settle(void)
{
	long long before = total_bytes;
	double start = now_ms();
	bool in_burst = true;
	for (;;) {
		double t = now_ms();
		if (total_bytes == before) {
			if (t - start > wait_s * 1e3)
				return -1;
			if (pump((int)(wait_s * 1e3 - (t - start)) + 1) < 0)
				return total_bytes > before ? total_bytes - before : -1;
			t_first = t_burst = t_last;
		} else {
			double left = quiet_ms - (t - t_last);
			if (left <= 0)
				return total_bytes - before;
			double prev = t_last;
			long n = pump((int)left + 1);
			if (n < 0)
				return total_bytes - before;
			if (n > 0 && in_burst) {
				if (t_last - prev < gap_ms)
					t_burst = t_last;
				else
					in_burst = false;
			}
		}
	}
}

/* Decodes the escapes of a KEYS word. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 'e': out[n++] = 0x1b; break;
		case 'r': out[n++] = '\r'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 's': out[n++] = ' '; break;
		case 'x': {
			unsigned v = 0;
			int k;
			for (k = 0; k < 2 && s[1]; k++) {
				char c = s[1];
				int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
				      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
				if (d < 0)
					break;
				v = v * 16 + (unsigned)d;
				s++;
			}
			out[n++] = (char)v;
			break;
		}
		default: out[n++] = *s; break;
		}
	}
	return n;
}

static void put_keys(const char *keys)
{
	char buf[256];
	size_t n = unescape(keys, buf);
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(master, buf + done, n - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			perror("ptyclock: write");
			exit(1);
		}
		done += (size_t)w;
	}
}

/* Reads what the program sends while nothing is asked of it, so that a
 * timed key starts from a quiet screen. */
static void drain(void)
{
	while (pump(quiet_ms) > 0)
		;
}

static long vm_hwm_kb(void)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)child);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void step_time(const char *label, int n, const char *pre, const char *keys)
{
	double ms[64], first[64], burst[64];
	long long bytes[64];
	int got = 0;
	if (n < 1)
		n = 1;
	if (n > 64)
		n = 64;
	printf("%-22s", label);
	for (int i = 0; i < n && !child_gone; i++) {
		if (strcmp(pre, "-") != 0) {
			char copy[256], *save = NULL;
			snprintf(copy, sizeof copy, "%s", pre);
			for (char *k = strtok_r(copy, "+", &save); k; k = strtok_r(NULL, "+", &save)) {
				put_keys(k);
				if (redraw[0])
					put_keys(redraw);
				if (settle() < 0)
					fprintf(stderr, "ptyclock: no output after %s in %d s\n", k, wait_s);
			}
		}
		drain();
		text_len = 0;
		text[0] = '\0';
		double t0 = now_ms();
		t_mark = t0;
		put_keys(keys);
		long long b = settle();
		if (b < 0) {
			printf(" none");
			continue;
		}
		ms[got] = t_last - t0;
		first[got] = t_first - t0;
		burst[got] = t_burst - t0;
		bytes[got] = b;
		printf(" %.1f", ms[got]);
		got++;
		fflush(stdout);
	}
	if (!got) {
		printf("  (no output)\n");
		return;
	}
	double sorted[64];
	memcpy(sorted, ms, sizeof ms[0] * (size_t)got);
	qsort(sorted, (size_t)got, sizeof sorted[0], cmp_double);
	double med = sorted[got / 2];
	if (got % 2 == 0)
		med = (sorted[got / 2 - 1] + sorted[got / 2]) / 2;
	/* the bytes of the run nearest the median */
	int at = 0;
	for (int i = 1; i < got; i++)
		if ((ms[i] > med ? ms[i] - med : med - ms[i]) < (ms[at] > med ? ms[at] - med : med - ms[at]))
			at = i;
	qsort(first, (size_t)got, sizeof first[0], cmp_double);
	qsort(burst, (size_t)got, sizeof burst[0], cmp_double);
	printf("  | median %.1f ms, %lld bytes (first byte %.1f, first burst %.1f)\n", med,
	       bytes[at], first[got / 2], burst[got / 2]);
	fflush(stdout);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

static void usage(void)
{
	fprintf(stderr, "usage: ptyclock [-v] [-q QUIET_MS] [-g GAP_MS] [-w WAIT_S] [-c COLS] [-l LINES] SCRIPT -- CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int cols = 80, lines = 24, opt;
	while ((opt = getopt(argc, argv, "q:w:c:l:vg:")) != -1) {
		switch (opt) {
		case 'v': verbose = true; break;
		case 'g': gap_ms = atoi(optarg); break;
		case 'q': quiet_ms = atoi(optarg); break;
		case 'w': wait_s = atoi(optarg); break;
		case 'c': cols = atoi(optarg); break;
		case 'l': lines = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind + 1 >= argc)
		usage();
	const char *script_path = argv[optind++];
	if (strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		usage();
	FILE *script = strcmp(script_path, "-") == 0 ? stdin : fopen(script_path, "r");
	if (!script) {
		perror(script_path);
		return 2;
	}

	struct winsize ws = {.ws_row = (unsigned short)lines, .ws_col = (unsigned short)cols};
	double t_start = now_ms();
	t_mark = t_start;
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("ptyclock: forkpty");
		return 1;
	}
	if (child == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		unsetenv("COLUMNS");
		unsetenv("LINES");
		execvp(argv[optind], argv + optind);
		perror("ptyclock: exec");
		_exit(127);
	}
	signal(SIGPIPE, SIG_IGN);

	char line[1024];
	while (fgets(line, sizeof line, script)) {
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *verb = strtok(s, " \t");
		char *rest = strtok(NULL, "");
		rest = rest ? trim(rest) : (char *)"";
		if (strcmp(verb, "expect") != 0 && strcmp(verb, "mem") != 0) {
			text_len = 0;	/* expect looks at what the last step brought */
			text[0] = '\0';
		}
		if (child_gone && strcmp(verb, "quit") != 0) {
			printf("%s: the program has ended\n", verb);
			break;
		}
		if (strcmp(verb, "open") == 0) {
			double limit = t_start + wait_s * 1e3;
			while (!strstr(text, rest) && now_ms() < limit && pump(100) >= 0)
				;
			if (!strstr(text, rest)) {
				printf("%-22s none (\"%s\" not seen in %d s)\n", "open", rest, wait_s);
				continue;
			}
			double seen = t_last - t_start;
			/* the burst that showed TEXT, then quiet */
			while (pump(gap_ms) > 0)
				;
			double burst = t_last - t_start;
			for (double left; (left = quiet_ms - (now_ms() - t_last)) > 0;)
				if (pump((int)left + 1) < 0)
					break;
			printf("%-22s %.1f ms, %lld bytes (\"%s\" at %.1f ms, its burst ends at %.1f)\n",
			       "open", t_last - t_start, total_bytes, rest, seen, burst);
		} else if (strcmp(verb, "expect") == 0) {
			double limit = now_ms() + wait_s * 1e3;
			while (!strstr(text, rest) && now_ms() < limit && pump(100) >= 0)
				;
			if (!strstr(text, rest)) {
				printf("expect \"%s\": not seen; giving up\n", rest);
				break;
			}
		} else if (strcmp(verb, "key") == 0) {
			put_keys(rest);
			if (redraw[0])
				put_keys(redraw);
			if (settle() < 0)
				fprintf(stderr, "ptyclock: no output after %s in %d s\n", rest, wait_s);
		} else if (strcmp(verb, "redraw") == 0) {
			snprintf(redraw, sizeof redraw, "%s", rest);
		} else if (strcmp(verb, "sleep") == 0) {
			double until = now_ms() + atoi(rest);
			while (now_ms() < until && pump((int)(until - now_ms()) + 1) >= 0)
				;
		} else if (strcmp(verb, "time") == 0) {
			char *label = strtok(rest, " \t");
			char *n = strtok(NULL, " \t");
			char *pre = strtok(NULL, " \t");
			char *keys = strtok(NULL, " \t");
			if (!label || !n || !pre || !keys) {
				fprintf(stderr, "ptyclock: time LABEL N PRE KEYS\n");
				return 2;
			}
			step_time(label, atoi(n), pre, keys);
		} else if (strcmp(verb, "mem") == 0) {
			printf("%-22s VmHWM %ld kB\n", "peak memory", vm_hwm_kb());
		} else if (strcmp(verb, "quit") == 0) {
			long hwm = vm_hwm_kb();
			if (!child_gone)
				put_keys(rest);
			double limit = now_ms() + wait_s * 1e3;
			while (now_ms() < limit && pump(100) >= 0)
				;
			int status;
			struct rusage ru;
			pid_t w = wait4(child, &status, child_gone ? 0 : WNOHANG, &ru);
			if (w == child)
				printf("%-22s VmHWM %ld kB, ru_maxrss %ld kB, exit %d\n", "quit", hwm,
				       ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			else
				printf("%-22s VmHWM %ld kB, did not end in %d s\n", "quit", hwm, wait_s);
			fflush(stdout);
			if (w != child) {
				kill(child, SIGTERM);
				waitpid(child, NULL, 0);
			}
			return 0;
		} else {
			fprintf(stderr, "ptyclock: unknown step \"%s\"\n", verb);
			return 2;
		}
		fflush(stdout);
	}
	/* no quit step: end the program */
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return 0;
}
