/*
 * fsafe.c: names and files beside the database, handled so that another
 * user who may write the folder cannot turn scodesk against a third file
 * (see fsafe.h).
 */
#define _DEFAULT_SOURCE /* flock, getrandom */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "fsafe.h"

#ifndef S_ISVTX
#define S_ISVTX 01000
#endif

/* How much of an over-long path a message shows. */
#define SHOWN 60

static const char *const sides[] = {"-journal", "-wal", "-shm"};
#define NSIDES (sizeof sides / sizeof sides[0])

bool sk_fs_in_group(gid_t gid)
{
	if (getegid() == gid)
		return true;
	int n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	gid_t *groups = malloc(sizeof *groups * (size_t)n);
	if (!groups)
		return false;
	n = getgroups(n, groups);
	bool in = false;
	for (int i = 0; i < n && !in; i++)
		in = groups[i] == gid;
	free(groups);
	return in;
}

bool sk_fs_shared_folder(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && (st->st_mode & S_ISGID) && (st->st_mode & S_IWGRP);
}

/* The owner's login, for messages. */
static void owner_name(uid_t uid, char *buf, size_t size)
{
	const struct passwd *pw = getpwuid(uid);
	if (pw && pw->pw_name)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "user %u", (unsigned)uid);
}

static void group_name(gid_t gid, char *buf, size_t size)
{
	const struct group *gr = getgrgid(gid);
	if (gr && gr->gr_name)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%u", (unsigned)gid);
}

/* ---- lengths ------------------------------------------------------------ */

sk_status sk_fs_check_length(const char *path, size_t room, sk_err *err)
{
	size_t len = strlen(path);
	if (len + room >= PATH_MAX)
		return sk_fail(err, SK_IO, NULL,
		               "the file name %.*s... is too long (%zu characters; at most %zu "
		               "can be used here); nothing was made", SHOWN, path, len,
		               (size_t)PATH_MAX - 1 - room);
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		bool last = p[n] == '\0';
		if (n > 0 && n + (last ? room : 0) > NAME_MAX)
			return sk_fail(err, SK_IO, NULL,
			               "the name %.*s%s in %.*s%s is too long (%zu characters; a "
			               "name may have at most %zu here); nothing was made",
			               (int)(n < 24 ? n : 24), p, n < 24 ? "" : "...", SHOWN, path,
			               len > SHOWN ? "..." : "", n,
			               (size_t)NAME_MAX - (last ? room : 0));
		p += n;
	}
	return SK_OK;
}

/* ---- who may change the database ------------------------------------------ */

static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a named pipe (FIFO)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

/* A file no stranger may change: not writable by every user, and this
 * user's or the shared group's (its group is one this user is in, as
 * `init --shared` makes it: only members, or root, can give a file that
 * group). Whether it may be read or written then is the file's mode's
 * business (read-only, or SQLite's own sentence). */
static sk_status check_file(const char *path, const struct stat *st, sk_err *err)
{
	if (st->st_mode & S_IWOTH)
		return sk_fail(err, SK_REFUSED, NULL,
		               "warning: every user of this computer may change %s (mode %04o), "
		               "so scodesk will not open it; remove that right with: chmod o-w %s",
		               path, (unsigned)(st->st_mode & 07777), path);
	if (st->st_uid == geteuid())
		return SK_OK;
	if (sk_fs_in_group(st->st_gid))
		return SK_OK;
	char owner[64];
	owner_name(st->st_uid, owner, sizeof owner);
	return sk_fail(err, SK_REFUSED, NULL,
	               "%s belongs to %s and is not shared with a group you are in, so "
	               "scodesk will not open it (its owner could change it under you); its "
	               "owner can share it with 'scodesk init --shared GROUP', or give you a "
	               "copy of your own", path, owner);
}

/* A folder on the way to db_path that every user may write, without the
 * sticky bit, could have anything put in the place of what is below it. */
static sk_status check_folder(const char *dir, const char *db_path, sk_err *err)
{
	struct stat st;
	if (stat(dir, &st) != 0 || (st.st_mode & S_ISVTX) || !(st.st_mode & S_IWOTH))
		return SK_OK; /* what cannot be looked at, SQLite will say */
	return sk_fail(err, SK_REFUSED, NULL,
	               "warning: every user of this computer may change the folder %s, "
	               "so anyone could replace %s; scodesk will not open it. Remove that "
	               "right with: chmod o-w %s", dir, db_path, dir);
}

/* Whether the link described by lst, in the folder named by buf (cut at
 * its last '/'), could have been put there by someone other than the
 * folder's owner acting alone: a folder others may write, or a link of
 * someone else's than the folder's owner. */
static bool planted(char *buf, const struct stat *lst)
{
	char *slash = strrchr(buf, '/');
	const char *folder = slash ? (slash == buf ? "/" : buf) : ".";
	char keep = 0;
	if (slash && slash != buf) {
		keep = *slash;
		*slash = '\0';
	}
	struct stat st;
	bool ok = stat(folder, &st) == 0 && st.st_uid == lst->st_uid && !(st.st_mode & 022);
	if (keep)
		*slash = keep;
	return !ok;
}

/* A symbolic link on the way to path (path itself, or a folder the path
 * names) that belongs to another user, root aside, in a folder others may
 * write (or of another than the folder's owner): whoever may write that
 * folder may have put it there, after moving the database away, to lead
 * this user into a file of their own (their private database, which
 * passes every other check). As fs.protected_symlinks does in sticky
 * folders, such a link is not followed. A link its folder's owner alone
 * could have made is trusted as that folder is. */
static sk_status check_links(const char *path, sk_err *err)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	size_t len = strlen(buf);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		struct stat st;
		bool foreign = lstat(buf, &st) == 0 && S_ISLNK(st.st_mode) &&
		               st.st_uid != geteuid() && st.st_uid != 0 && planted(buf, &st);
		if (foreign) {
			char owner[64];
			owner_name(st.st_uid, owner, sizeof owner);
			return sk_fail(err, SK_REFUSED, NULL,
			               "%s is a symbolic link of %s's, which scodesk does not "
			               "follow to a database (whoever may write its folder could "
			               "have put it there); open the file it leads to by its own "
			               "name", buf, owner);
		}
		buf[i] = c;
	}
	return SK_OK;
}

/* Checks every folder from the root down to dir (a resolved path, or one
 * relative to the working folder), dir included. */
static sk_status check_chain(const char *dir, const char *db_path, sk_err *err)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", dir);
	size_t len = strlen(buf);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		sk_status s = check_folder(buf, db_path, err);
		buf[i] = c;
		if (s != SK_OK)
			return s;
	}
	if (buf[0] != '/')
		return SK_OK;
	return check_folder("/", db_path, err);
}

/* The folder part of path, resolved (links and all), into buf. For a path
 * whose folders do not exist yet, the deepest one that does. */
static bool real_folder(const char *path, char *buf)
{
	char dir[PATH_MAX];
	sk_folder_of(path, dir, sizeof dir);
	for (;;) {
		if (realpath(dir, buf))
			return true;
		if (errno != ENOENT || strcmp(dir, ".") == 0 || strcmp(dir, "/") == 0)
			return false;
		char up[PATH_MAX];
		sk_folder_of(dir, up, sizeof up);
		snprintf(dir, sizeof dir, "%s", up);
	}
}

sk_status sk_fs_check_database(const char *path, sk_err *err)
{
	sk_status s = sk_fs_check_length(path, SK_FS_SIDE_ROOM, err);
	if (s != SK_OK)
		return s;
	if ((s = check_links(path, err)) != SK_OK)
		return s;
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return sk_fail(err, SK_IO, NULL, "cannot open %s: %s", path, strerror(errno));
	if (exists && !S_ISREG(st.st_mode))
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is %s, not a database file; scodesk left it alone", path,
		               kind_of(st.st_mode));
	if (exists && (s = check_file(path, &st, err)) != SK_OK)
		return s;

	/* The folders: as the path names them (a link among them is looked
	 * up in the folder holding it), and where they really are. */
	char dir[PATH_MAX], real[PATH_MAX];
	sk_folder_of(path, dir, sizeof dir);
	for (char *p = dir; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (p != dir && (s = check_folder(dir, path, err)) != SK_OK)
			return s;
		*p = c;
		if (!c)
			break;
	}
	if (real_folder(path, real) && (s = check_chain(real, path, err)) != SK_OK)
		return s;
	if (!exists)
		return SK_OK;

	/* SQLite names the files beside the database after the file it
	 * really is. */
	char file[PATH_MAX], side[PATH_MAX + 16];
	if (!realpath(path, file))
		snprintf(file, sizeof file, "%s", path);
	for (size_t i = 0; i < NSIDES; i++) {
		snprintf(side, sizeof side, "%s%s", file, sides[i]);
		if (lstat(side, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode))
			return sk_fail(err, SK_REFUSED, NULL,
			               "%s, beside the database, is %s, not a file SQLite made; "
			               "scodesk will not open %s with it there", side,
			               kind_of(st.st_mode), path);
		if ((s = check_file(side, &st, err)) != SK_OK)
			return s;
	}
	return SK_OK;
}

/* ---- making the database ------------------------------------------------------ */

sk_status sk_fs_create_database(const char *path, sk_err *err)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	/* Where each folder made ends in dir, to take them back in reverse. */
	size_t made[PATH_MAX / 2];
	size_t nmade = 0;
	sk_status s = SK_OK;
	char *last = strrchr(dir, '/');
	if (last && last != dir) {
		*last = '\0';
		for (char *p = dir + 1; s == SK_OK; p++) {
			if (*p != '/' && *p != '\0')
				continue;
			char c = *p;
			*p = '\0';
			if (mkdir(dir, 0700) == 0)
				made[nmade++] = (size_t)(p - dir);
			else if (errno != EEXIST)
				s = sk_fail(err, SK_IO, NULL, "cannot create the folder %s: %s", dir,
				            strerror(errno));
			*p = c;
			if (!c)
				break;
		}
		*last = '/';
	}
	if (s == SK_OK) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			s = sk_fail(err, SK_IO, NULL, "cannot create %s: %s", path, strerror(errno));
		else
			close(fd);
	}
	if (s != SK_OK)
		while (nmade > 0) {
			dir[made[--nmade]] = '\0';
			rmdir(dir);
		}
	return s;
}

/* ---- folders beside the database -------------------------------------------- */

int sk_fs_folder(const char *path, bool create, bool shared, sk_err *err)
{
	char parent[PATH_MAX];
	sk_folder_of(path, parent, sizeof parent);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!*base) {
		sk_fail(err, SK_IO, NULL, "%s is not a folder name", path);
		return -1;
	}
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		sk_fail(err, errno == ENOENT ? SK_NOTFOUND : SK_IO, NULL,
		        "cannot open the folder %s: %s", parent, strerror(errno));
		return -1;
	}
	mode_t mode = shared ? 02770 : 0700;
	bool made = create && mkdirat(pfd, base, mode) == 0;
	int saved = errno;
	if (create && !made && saved != EEXIST) {
		close(pfd);
		sk_fail(err, SK_IO, NULL, "cannot create the folder %s: %s", path, strerror(saved));
		return -1;
	}
	int fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	/* A link of this user's own in a folder nobody else may write (a
	 * backups folder kept on another disk) can only be the user's doing:
	 * it is followed, and the folder it leads to is looked at below. */
	struct stat pst, lst;
	if (fd < 0 && (saved == ELOOP || saved == ENOTDIR) && fstat(pfd, &pst) == 0 &&
	    pst.st_uid == geteuid() && !(pst.st_mode & 022) &&
	    fstatat(pfd, base, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode) &&
	    lst.st_uid == geteuid()) {
		fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		saved = errno;
	}
	close(pfd);
	if (fd < 0) {
		if (saved == ENOENT)
			sk_fail(err, SK_NOTFOUND, NULL, "there is no folder %s", path);
		else if (saved == ELOOP || saved == ENOTDIR)
			sk_fail(err, SK_REFUSED, NULL,
			        "%s is not a folder (a file or a symbolic link has its name); "
			        "scodesk left it alone", path);
		else
			sk_fail(err, SK_IO, NULL, "cannot open the folder %s: %s", path,
			        strerror(saved));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		sk_fail(err, SK_IO, NULL, "cannot look at the folder %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	mode_t want = st.st_mode & 07777;
	if (made)
		want = mode; /* mkdir's mode went through the umask */
	else if (shared && st.st_uid == geteuid())
		want |= 02070;
	if (st.st_uid == geteuid() && want != (st.st_mode & 07777) && fchmod(fd, want) != 0) {
		sk_fail(err, SK_IO, NULL, "cannot set up the folder %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	const char *why = NULL;
	if ((want & S_IWOTH) && !(want & S_ISVTX))
		why = "every user of this computer may change it";
	else if (st.st_uid != geteuid() && (!sk_fs_in_group(st.st_gid) || (want & 0070) != 0070))
		why = "it belongs to another user and is not open to a group you are in";
	if (why) {
		char owner[64], group[64];
		owner_name(st.st_uid, owner, sizeof owner);
		group_name(st.st_gid, group, sizeof group);
		sk_fail(err, SK_REFUSED, NULL,
		        "scodesk will not keep files in %s (owner %s, group %s, mode %04o): %s",
		        path, owner, group, (unsigned)want, why);
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- temporary files ---------------------------------------------------------- */

int sk_fs_open_real(const char *dir, char *real, size_t size)
{
	char buf[PATH_MAX];
	if (!realpath(dir, buf))
		return -1;
	if (strlen(buf) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(real, buf, strlen(buf) + 1);
	return open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static bool letter_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool sk_fs_is_temp_of(const char *name, const char *base)
{
	static const char marker[] = ".tmp-";
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0 || strncmp(name + n, marker, sizeof marker - 1) != 0)
		return false;
	const char *x = name + n + sizeof marker - 1;
	for (int i = 0; i < 6; i++)
		if (!letter_or_digit(x[i]))
			return false;
	return x[6] == '\0';
}

/* Six random letters or digits. */
static void random_letters(char out[7])
{
	static const char set[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* No kernel randomness: the clock and the process, mixed. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec * 2654435761u ^
		                       (unsigned long long)ts.tv_sec ^
		                       ((unsigned long long)getpid() << 20);
		for (int i = 0; i < 6; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
			r[i] = (unsigned char)(x >> 33);
	}
	for (int i = 0; i < 6; i++)
		out[i] = set[r[i] % (sizeof set - 1)];
	out[6] = '\0';
}

int sk_fs_temp(int dirfd, const char *base, char *name, size_t size)
{
	for (int tries = 0; tries < 100; tries++) {
		char x[7];
		random_letters(x);
		if (snprintf(name, size, "%s.tmp-%s", base, x) >= (int)size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		                0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -1;
		/* A cleanup that saw the new name first holds it now and takes it
		 * away: try another. (Where flock is not supported at all the
		 * file goes on without a lock, and no cleanup removes it.) */
		if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
			close(fd);
			continue;
		}
		struct stat mine, named;
		if (fstat(fd, &mine) == 0 && fstatat(dirfd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
		    mine.st_dev == named.st_dev && mine.st_ino == named.st_ino)
			return fd;
		close(fd);
	}
	errno = EEXIST;
	return -1;
}

/* Whether st (looked at without following a link) is a plain file with
 * one name that may be taken for abandoned by this user. */
static bool removable(const struct stat *st, long others_after, time_t now)
{
	if (!S_ISREG(st->st_mode) || st->st_nlink != 1)
		return false;
	if (st->st_uid == geteuid())
		return true;
	return others_after >= 0 && st->st_mtime < now - others_after;
}

/* Removes name in dirfd if it is still the file st describes. */
static void remove_if_same(int dirfd, const char *name, const struct stat *st)
{
	struct stat now;
	if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st->st_dev &&
	    now.st_ino == st->st_ino)
		unlinkat(dirfd, name, 0);
}

static void remove_sides(int dirfd, const char *main, long others_after, time_t now)
{
	char side[NAME_MAX + 16];
	struct stat st;
	for (size_t i = 0; i < NSIDES; i++) {
		snprintf(side, sizeof side, "%s%s", main, sides[i]);
		if (fstatat(dirfd, side, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    removable(&st, others_after, now))
			remove_if_same(dirfd, side, &st);
	}
}

/* A temporary file: removed, with what is beside it, when no writer holds
 * it. */
static void remove_temp_if_abandoned(int dirfd, const char *name, long others_after,
                                     time_t now)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		/* Another user's that this one may not read: by its age alone. */
		if (errno == EACCES && others_after >= 0 &&
		    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_uid != geteuid() && removable(&st, others_after, now)) {
			remove_sides(dirfd, name, others_after, now);
			remove_if_same(dirfd, name, &st);
		}
		return;
	}
	if (fstat(fd, &st) == 0 && removable(&st, others_after, now) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0) {
		remove_sides(dirfd, name, others_after, now);
		remove_if_same(dirfd, name, &st);
	}
	close(fd);
}

void sk_fs_remove_abandoned(int dirfd, bool (*is_temp)(const char *name, const void *ctx),
                            const void *ctx, long others_after)
{
	int copy = dup(dirfd);
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	if (!d) {
		if (copy >= 0)
			close(copy);
		return;
	}
	/* The copy shares its offset with dirfd, which an earlier listing
	 * may have moved. */
	rewinddir(d);
	time_t now = time(NULL);
	char main[NAME_MAX + 1];
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		size_t len = strlen(name), side = 0;
		for (size_t i = 0; i < NSIDES && !side; i++) {
			size_t n = strlen(sides[i]);
			if (len > n && strcmp(name + len - n, sides[i]) == 0)
				side = n;
		}
		snprintf(main, sizeof main, "%.*s", (int)(len - side), name);
		if (!is_temp(main, ctx))
			continue;
		if (!side) {
			remove_temp_if_abandoned(dirfd, name, others_after, now);
			continue;
		}
		/* Beside a temporary that is still there: its fate is the
		 * temporary's. Alone: a leftover of its own. */
		struct stat st;
		if (fstatat(dirfd, main, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT)
			continue;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    removable(&st, others_after, now))
			remove_if_same(dirfd, name, &st);
	}
	closedir(d);
}
