/*
 * share.c: giving the database file, its folder and what scodesk keeps
 * beside it to a group of users.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "scodesk/share.h"
#include "core.h"
#include "fsafe.h"

#define PATH_SIZE 4096

/* Whether name, in the database's folder, is something scodesk keeps there:
 * the file itself, its journals, its backups and drafts folders, a
 * restore's copy. */
static bool ours(const char *name, const char *base)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	size_t n = strlen(base);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "backups") == 0 ||
	    strcmp(name, "drafts") == 0)
		return true;
	if (strncmp(name, base, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strcmp(name + n, suffixes[i]) == 0)
			return true;
	return strncmp(name + n, ".before-restore-", 16) == 0;
}

/* Whether this process may give a file of its own to group gid: root may,
 * others only to a group they are in. */
static bool may_give_to(gid_t gid)
{
	return geteuid() == 0 || sk_fs_in_group(gid);
}

/* Something to give to the group: an open descriptor (never a name, which
 * someone could swap for a link meanwhile) and the mode it gets. */
typedef struct target {
	int fd;
	mode_t mode;
	char path[PATH_MAX + 320];
} target;

/* Whether st already is the group's, with the mode: then whoever owns it,
 * nothing needs doing. */
static bool already(const struct stat *st, gid_t gid, mode_t mode)
{
	return st->st_gid == gid && (st->st_mode & 07777) == mode;
}

static void close_all(target *t, int n)
{
	for (int i = 0; i < n; i++)
		if (t[i].fd >= 0)
			close(t[i].fd);
}

/* Opens name in dirfd without following a link and without waiting on a
 * pipe: a descriptor to look at with fstat, or -1. */
static int open_entry(int dirfd, const char *name, bool folder)
{
	return openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
	              (folder ? O_DIRECTORY : 0));
}

/* What name in dirfd is, when it cannot be opened as a folder. */
static const char *not_a_folder(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return "cannot be looked at";
	return S_ISLNK(st.st_mode) ? "is a symbolic link" : "is not a folder";
}

/* Gives fd to the group with mode. */
static sk_status give(int fd, const char *path, gid_t gid, mode_t mode, const char *group,
                      sk_err *err)
{
	if (fchown(fd, (uid_t)-1, gid) != 0 || fchmod(fd, mode) != 0)
		return sk_fail(err, SK_IO, NULL, "cannot give %s to the group %s: %s", path, group,
		               strerror(errno));
	return SK_OK;
}

static void note(void (*fn)(void *, const char *), void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(void (*fn)(void *, const char *), void *ctx, const char *fmt, ...)
{
	if (!fn)
		return;
	char text[PATH_MAX + 400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	fn(ctx, text);
}

/*
 * The backups folder and the daily backups in it. Members of the group
 * may write this folder, so anything may be there under a backup's name:
 * only a plain file with one name, this user's, is given to the group;
 * anything else is left alone and told to note (a link, a pipe, a file
 * with other names, another user's that is not the group's yet).
 */
static sk_status share_backups(int dirfd, const char *dir, gid_t gid, const char *group,
                               void (*fn)(void *, const char *), void *ctx, sk_err *err)
{
	char path[PATH_MAX + 320];
	snprintf(path, sizeof path, "%s/backups", dir);
	int bfd = open_entry(dirfd, "backups", true);
	if (bfd < 0) {
		if (errno != ENOENT)
			note(fn, ctx, "%s %s; it was left alone", path, not_a_folder(dirfd, "backups"));
		return SK_OK;
	}
	struct stat st;
	sk_status s = SK_OK;
	if (fstat(bfd, &st) != 0) {
		s = sk_fail(err, SK_IO, NULL, "cannot look at %s: %s", path, strerror(errno));
	} else if (st.st_uid != geteuid() && !already(&st, gid, 02770)) {
		char owner[64];
		const struct passwd *pw = getpwuid(st.st_uid);
		snprintf(owner, sizeof owner, "%s", pw ? pw->pw_name : "another user");
		note(fn, ctx, "%s belongs to %s, who must share it; it and the backups in it "
		     "were left alone", path, owner);
		close(bfd);
		return SK_OK;
	} else if (st.st_uid == geteuid()) {
		s = give(bfd, path, gid, 02770, group, err);
	}
	int copy = s == SK_OK ? dup(bfd) : -1;
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	if (s == SK_OK && !d)
		s = sk_fail(err, SK_IO, NULL, "cannot read %s: %s", path, strerror(errno));
	if (!d && copy >= 0)
		close(copy);
	if (d)
		rewinddir(d); /* its offset is bfd's, shared */
	struct dirent *e;
	while (s == SK_OK && d && (e = readdir(d))) {
		if (!sk_backup_is_daily_name(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/backups/%s", dir, e->d_name);
		int fd = open_entry(bfd, e->d_name, false);
		if (fd < 0) {
			note(fn, ctx, "%s cannot be opened as a plain file (%s); it was left alone",
			     path, errno == ELOOP ? "it is a symbolic link" : strerror(errno));
			continue;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
			note(fn, ctx, "%s is not a plain file; it was left alone", path);
		else if (st.st_nlink != 1)
			note(fn, ctx, "%s has other names too (hard links); it was left alone", path);
		else if (st.st_uid == geteuid())
			s = give(fd, path, gid, 0660, group, err);
		else if (!already(&st, gid, 0660))
			note(fn, ctx, "%s belongs to another user, who must share it; it was left "
			     "alone", path);
		close(fd);
	}
	if (d)
		closedir(d);
	close(bfd);
	return s;
}

/* The drafts folder, so that every member can keep drafts in it (each
 * draft stays its user's own file, 0600): this user's is given to the
 * group, another user's is left as it is. */
static sk_status share_drafts(int dirfd, const char *dir, gid_t gid, const char *group,
                              void (*fn)(void *, const char *), void *ctx, sk_err *err)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/drafts", dir);
	int fd = open_entry(dirfd, "drafts", true);
	if (fd < 0) {
		if (errno != ENOENT)
			note(fn, ctx, "%s %s; it was left alone", path, not_a_folder(dirfd, "drafts"));
		return SK_OK;
	}
	struct stat st;
	sk_status s = SK_OK;
	if (fstat(fd, &st) != 0)
		s = sk_fail(err, SK_IO, NULL, "cannot look at %s: %s", path, strerror(errno));
	else if (st.st_uid == geteuid())
		s = give(fd, path, gid, 02770, group, err);
	else if (!already(&st, gid, 02770))
		note(fn, ctx, "%s belongs to another user, who must share it; it was left alone",
		     path);
	close(fd);
	return s;
}

sk_status sk_share_ex(const char *db_path, const char *group,
                      void (*fn)(void *ctx, const char *sentence), void *ctx, sk_err *err)
{
	sk_err_clear(err);
	const struct group *gr = getgrnam(group);
	if (!gr)
		return sk_fail(err, SK_REFUSED, NULL,
		               "there is no group named \"%s\" on this computer ('getent group' "
		               "lists them); nothing was changed", group);
	gid_t gid = gr->gr_gid;
	sk_status s = sk_fs_check_length(db_path, SK_FS_SIDE_ROOM, err);
	if (s != SK_OK)
		return s;
	if (!may_give_to(gid))
		return sk_fail(err, SK_REFUSED, NULL,
		               "you are not in the group %s, so you cannot give %s to it; "
		               "nothing was changed", group, db_path);

	/* Opening the folder to the group opens everything in it: only a
	 * folder of the database's own will do. */
	char dir[PATH_SIZE];
	sk_folder_of(db_path, dir, sizeof dir);
	const char *base = strrchr(db_path, '/') ? strrchr(db_path, '/') + 1 : db_path;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int copy = dirfd >= 0 ? dup(dirfd) : -1;
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	if (!d) {
		s = sk_fail(err, SK_IO, NULL, "cannot read the folder %s: %s", dir, strerror(errno));
		if (copy >= 0)
			close(copy);
		if (dirfd >= 0)
			close(dirfd);
		return s;
	}
	rewinddir(d);
	struct dirent *e;
	char other[256] = "";
	while ((e = readdir(d)))
		if (!ours(e->d_name, base)) {
			snprintf(other, sizeof other, "%s", e->d_name);
			break;
		}
	closedir(d);
	if (other[0]) {
		close(dirfd);
		return sk_fail(err, SK_REFUSED, NULL,
		               "the folder %s holds other files too (%s), and sharing opens the "
		               "whole folder to the group %s; put the database in a folder of its "
		               "own (for example /srv/scodesk/) and share that. Nothing was changed",
		               dir, other, group);
	}

	/* The folder, the file, its -wal and -shm: looked at first, through
	 * descriptors, so that a refusal changes nothing and a name swapped
	 * meanwhile is not what gets changed. */
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	target t[4];
	int n = 0;
	t[n].fd = dirfd;
	t[n].mode = 02770;
	snprintf(t[n++].path, sizeof t[0].path, "%s", dir);
	for (size_t i = 0; i < 3 && s == SK_OK; i++) {
		snprintf(t[n].path, sizeof t[n].path, "%s%s", db_path, suffixes[i]);
		char name[PATH_SIZE];
		snprintf(name, sizeof name, "%s%s", base, suffixes[i]);
		t[n].fd = open_entry(dirfd, name, false);
		t[n].mode = 0660;
		if (t[n].fd < 0 && errno == ENOENT && i > 0)
			continue;
		if (t[n].fd < 0)
			s = sk_fail(err, errno == ENOENT ? SK_NOTFOUND : SK_REFUSED, NULL,
			            "cannot share %s: %s; nothing was changed", t[n].path,
			            errno == ELOOP ? "it is a symbolic link (share the file itself)"
			                           : strerror(errno));
		n += t[n].fd >= 0;
	}
	for (int i = 0; i < n && s == SK_OK; i++) {
		struct stat st;
		if (fstat(t[i].fd, &st) != 0)
			s = sk_fail(err, SK_IO, NULL, "cannot share %s: %s", t[i].path, strerror(errno));
		else if (i > 0 && (!S_ISREG(st.st_mode) || st.st_nlink != 1))
			s = sk_fail(err, SK_REFUSED, NULL, "%s is not a plain file with one name, so "
			            "it was not shared; nothing was changed", t[i].path);
		else if (st.st_uid != geteuid() && !already(&st, gid, t[i].mode))
			s = sk_fail(err, SK_REFUSED, NULL,
			            "%s belongs to another user, so only they can share it; nothing "
			            "was changed", t[i].path);
		else if (st.st_uid != geteuid())
			t[i].mode = 0; /* the group's already: nothing to do */
	}
	for (int i = 0; i < n && s == SK_OK; i++)
		if (t[i].mode)
			s = give(t[i].fd, t[i].path, gid, t[i].mode, group, err);
	if (s == SK_OK)
		s = share_drafts(dirfd, dir, gid, group, fn, ctx, err);
	if (s == SK_OK)
		s = share_backups(dirfd, dir, gid, group, fn, ctx, err);
	close_all(t, n);
	return s;
}

sk_status sk_share(const char *db_path, const char *group, sk_err *err)
{
	return sk_share_ex(db_path, group, NULL, NULL, err);
}
