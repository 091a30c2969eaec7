/*
 * csv_write.c: writing a CSV file safely (see io.h).
 *
 * Fields are quoted only where RFC 4180 needs it, plus where a careless
 * reader would lose something (leading or trailing blanks, which some
 * readers trim); the quoting itself, with doubled quotes, is libcsv's.
 * Output is gathered in a large buffer and written with write(2): the
 * exporter has to keep up with the sqlite3 shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "io.h"
#include "scodesk/inert.h"

#define BUF_SIZE (1u << 20)

static const char *shown_name(const sk_csvw *w)
{
	return w->path ? w->path : "standard output";
}

static void write_all(sk_csvw *w, const char *p, size_t len)
{
	size_t done = 0;
	while (!w->error && done < len) {
		ssize_t n = write(w->fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			w->error = errno;
		else if (n == 0)
			w->error = EIO;
		else
			done += (size_t)n;
	}
}

/*
 * How much of the buffer a terminal may be shown now: all of it but a
 * character cut short at its end, or a CR whose LF may come next, which
 * wait for the next flush (or the last).
 */
static size_t whole_units(const sk_csvw *w, bool last)
{
	size_t n = w->len;
	if (last || n == 0)
		return n;
	if (w->buf[n - 1] == '\r')
		return n - 1;
	/* a lead byte in the last three, whose character needs more bytes */
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = (unsigned char)w->buf[n - back];
		if ((c & 0xc0) == 0x80)
			continue;
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back ? n - back : n;
	}
	return n;
}

/* The buffer for a terminal: each CR LF (a row's end) and lone LF (a line
 * break in a value) as a line break, the rest of each line inert. */
static void show_inert(sk_csvw *w, size_t len)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	if (!f) {
		w->error = ENOMEM;
		return;
	}
	size_t i = 0;
	while (i < len) {
		const char *lf = memchr(w->buf + i, '\n', len - i);
		size_t end = lf ? (size_t)(lf - w->buf) : len;
		size_t text = end > i && lf && w->buf[end - 1] == '\r' ? end - 1 : end;
		sk_inert_write(f, w->buf + i, text - i, 0, 0);
		if (lf)
			fputc('\n', f);
		i = lf ? end + 1 : end;
	}
	if (fclose(f) != 0) {
		free(out);
		w->error = ENOMEM;
		return;
	}
	write_all(w, out, outlen);
	free(out);
}

static void flush_part(sk_csvw *w, bool last)
{
	size_t len = w->terminal ? whole_units(w, last) : w->len;
	if (w->terminal)
		show_inert(w, len);
	else
		write_all(w, w->buf, len);
	/* After a failure the rest is dropped: the file is lost anyway, and
	 * the caller learns of it at close. */
	if (w->error || len == w->len) {
		w->len = 0;
		return;
	}
	memmove(w->buf, w->buf + len, w->len - len);
	w->len -= len;
}

static void flush(sk_csvw *w)
{
	flush_part(w, false);
}

/* Room for n more bytes; false when there is none (w->error set). */
static bool room(sk_csvw *w, size_t n)
{
	if (w->error)
		return false;
	if (w->len + n <= w->cap)
		return true;
	flush(w);
	if (w->error)
		return false;
	/* (a terminal's flush may keep a character cut short, a few bytes) */
	if (w->len + n > w->cap) {
		char *b = realloc(w->buf, w->len + n);
		if (!b) {
			w->error = ENOMEM;
			return false;
		}
		w->buf = b;
		w->cap = w->len + n;
	}
	return true;
}

static void add(sk_csvw *w, const char *s, size_t n)
{
	if (room(w, n)) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

void sk_csvw_raw(sk_csvw *w, const char *bytes, size_t n)
{
	add(w, bytes, n);
}

/* A new name beside path: DIR/.BASE.XXXXXX */
static char *temp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	size_t size = strlen(path) + 16;
	char *t = malloc(size);
	if (t)
		snprintf(t, size, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	return t;
}

/* The folder path is in, for messages. */
static void folder_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, size, "the current folder");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

sk_status sk_csvw_open(sk_csvw *w, const char *path, bool no_clobber, sk_err *err)
{
	*w = (sk_csvw){.fd = -1, .no_clobber = no_clobber};
	if (!path || !*path)
		return sk_fail(err, SK_INVALID, NULL, "no file name was given");
	if (!(w->buf = malloc(BUF_SIZE)))
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	w->cap = BUF_SIZE;
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		w->terminal = isatty(w->fd);
		return SK_OK;
	}
	if (!(w->path = strdup(path))) {
		sk_csvw_abort(w);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	struct stat st;
	if (no_clobber && lstat(path, &st) == 0) {
		sk_csvw_abort(w);
		return sk_fail(err, SK_IO, NULL, "%s already exists; nothing was written", path);
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		sk_csvw_abort(w);
		return sk_fail(err, SK_IO, NULL, "cannot write %s: it is a folder", path);
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or a pipe: renaming a file over it would replace the
		 * device itself, so write to it in place. Not truncated: should a
		 * file have taken the name since the look above, it is refused
		 * as it is, not emptied. */
		w->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (w->fd < 0) {
			int e = errno;
			sk_csvw_abort(w);
			return sk_fail(err, SK_IO, NULL, "cannot write %s: %s", path, strerror(e));
		}
		struct stat now;
		if (fstat(w->fd, &now) != 0 || S_ISREG(now.st_mode) || now.st_dev != st.st_dev ||
		    now.st_ino != st.st_ino) {
			sk_csvw_abort(w);
			return sk_fail(err, SK_IO, NULL, "cannot write %s: it changed while it was "
			               "being opened; nothing was written", path);
		}
		w->terminal = isatty(w->fd);
		return SK_OK;
	}
	if (!(w->tmp = temp_template(path))) {
		sk_csvw_abort(w);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	/* mkstemp makes the file 0600: what the office exports is CUI. */
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		int e = errno;
		char folder[PATH_MAX];
		folder_of(path, folder, sizeof folder);
		free(w->tmp);
		w->tmp = NULL;
		sk_csvw_abort(w);
		return sk_fail(err, SK_IO, NULL, "cannot write %s: cannot create a file in %s: %s",
		               path, folder, strerror(e));
	}
	return SK_OK;
}

void sk_csvw_field(sk_csvw *w, const char *v)
{
	if (w->row_open)
		add(w, ",", 1);
	w->row_open = true;
	if (!v)
		return;
	/* One scan in the common case: no character that needs quotes means
	 * the scan's end is the length. */
	size_t n = strcspn(v, ",\"\r\n");
	bool quote = v[n] != '\0';
	if (quote)
		n += strlen(v + n);
	quote = quote || n == 0 || v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' ||
	        v[n - 1] == '\t';
	if (!quote) {
		add(w, v, n);
		return;
	}
	/* Every quote doubled, plus the two around: at most 2n + 2. */
	if (n > (SIZE_MAX - 2) / 2) {
		w->error = EOVERFLOW;
		return;
	}
	if (room(w, 2 * n + 2))
		w->len += csv_write(w->buf + w->len, 2 * n + 2, v, n);
}

void sk_csvw_text(sk_csvw *w, const char *v)
{
	if (!sk_csv_guarded(v)) {
		sk_csvw_field(w, v);
		return;
	}
	size_t n = strlen(v);
	char small[256];
	char *g = n + 2 <= sizeof small ? small : malloc(n + 2);
	if (!g) {
		w->error = ENOMEM;
		return;
	}
	g[0] = '\'';
	memcpy(g + 1, v, n + 1);
	sk_csvw_field(w, g);
	if (g != small)
		free(g);
}

void sk_csvw_end_row(sk_csvw *w)
{
	add(w, "\r\n", 2);
	w->row_open = false;
}

static void release(sk_csvw *w)
{
	if (w->fd >= 0 && w->fd != STDOUT_FILENO)
		close(w->fd);
	w->fd = -1;
	free(w->buf);
	free(w->path);
	free(w->tmp);
	*w = (sk_csvw){.fd = -1};
}

void sk_csvw_abort(sk_csvw *w)
{
	if (w->tmp)
		unlink(w->tmp);
	release(w);
}

/* Makes the rename itself durable. */
static void sync_folder(const char *path)
{
	char folder[PATH_MAX];
	const char *slash = strrchr(path, '/');
	snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - path) + 1 : 1,
	         slash ? path : ".");
	int fd = open(folder, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Puts the temporary file under the real name only if that name is
 * free: link(2) fails rather than replace. Returns 0 or an errno. */
static int place_new(sk_csvw *w)
{
	if (link(w->tmp, w->path) == 0) {
		unlink(w->tmp);
		return 0;
	}
	int e = errno;
	if (e != EPERM && e != ENOTSUP && e != EOPNOTSUPP && e != ENOSYS)
		return e;
	/* A file system without hard links (a FAT stick): check, then rename. */
	struct stat st;
	if (lstat(w->path, &st) == 0)
		return EEXIST;
	return rename(w->tmp, w->path) == 0 ? 0 : errno;
}

sk_status sk_csvw_close(sk_csvw *w, sk_err *err)
{
	flush_part(w, true);
	if (!w->error && w->tmp && fsync(w->fd) != 0)
		w->error = errno;
	/* A device or pipe written in place may not sync; its writes either
	 * failed already or were taken. */
	if (!w->error && !w->tmp && w->path && fsync(w->fd) != 0 && errno != EINVAL &&
	    errno != EROFS && errno != ENOTSUP)
		w->error = errno;
	if (!w->error && w->fd != STDOUT_FILENO) {
		int rc = close(w->fd);
		w->fd = -1;
		if (rc != 0)
			w->error = errno;
	}
	if (!w->error && w->tmp)
		w->error = w->no_clobber ? place_new(w) : rename(w->tmp, w->path) ? errno : 0;
	if (w->error == EEXIST) {
		sk_fail(err, SK_IO, NULL, "%s already exists; nothing was written", w->path);
		sk_csvw_abort(w);
		return SK_IO;
	}
	if (w->error) {
		sk_fail(err, SK_IO, NULL, "cannot write %s: %s; nothing was written",
		        shown_name(w), strerror(w->error));
		sk_csvw_abort(w);
		return SK_IO;
	}
	if (w->tmp)
		sync_folder(w->path);
	release(w);
	return SK_OK;
}

/* ---- what every exported file starts and ends with ------------------- */

void sk_csv_marking(sk_db *db, const sk_csv_opts *opts, char *buf, size_t size)
{
	if (opts && opts->marking)
		snprintf(buf, size, "%s", opts->marking);
	else
		sk_setting(db, "marking", buf, size);
	if (strcmp(buf, "none") == 0)
		buf[0] = '\0';
}

static void marking_line(sk_csvw *w, sk_db *db, const sk_csv_opts *opts)
{
	char marking[256];
	sk_csv_marking(db, opts, marking, sizeof marking);
	if (!marking[0])
		return;
	sk_csvw_text(w, marking);
	sk_csvw_end_row(w);
}

void sk_csv_begin(sk_csvw *w, sk_db *db, const sk_csv_opts *opts, const char *const *names,
                  size_t n)
{
	if (!opts || !opts->no_bom)
		sk_csvw_raw(w, "\xef\xbb\xbf", 3);
	marking_line(w, db, opts);
	for (size_t i = 0; i < n; i++)
		sk_csvw_field(w, names[i]);
	sk_csvw_end_row(w);
}

void sk_csv_end(sk_csvw *w, sk_db *db, const sk_csv_opts *opts)
{
	marking_line(w, db, opts);
}
