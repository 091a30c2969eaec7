/*
 * share.c: giving the database file, its folder and what scodesk keeps
 * beside it to a group of users.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "scodesk/share.h"
#include "core.h"

#define PATH_SIZE 4096

/* Whether name, in the database's folder, is something scodesk keeps there:
 * the file itself, its journals, its backups folder, a restore's copy. */
static bool ours(const char *name, const char *base)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	size_t n = strlen(base);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "backups") == 0)
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
static bool in_group(gid_t gid)
{
	if (geteuid() == 0 || getegid() == gid)
		return true;
	gid_t groups[256];
	int n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* The files to change: the database, its -wal and -shm, the backups
 * folder and the daily backups in it. Those that are missing are skipped. */
typedef struct target {
	char path[PATH_SIZE + 320];
	mode_t mode;
} target;

static int collect(const char *db_path, const char *dir, target *t, int max)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	struct stat st;
	int n = 0;
	snprintf(t[n].path, sizeof t[n].path, "%s", dir);
	t[n++].mode = 02770;
	for (size_t i = 0; i < 3; i++) {
		snprintf(t[n].path, sizeof t[n].path, "%s%s", db_path, suffixes[i]);
		if (stat(t[n].path, &st) == 0)
			t[n++].mode = 0660;
	}
	char backups[PATH_SIZE + 16];
	snprintf(backups, sizeof backups, "%s/backups", dir);
	DIR *d = opendir(backups);
	if (!d)
		return n;
	snprintf(t[n].path, sizeof t[n].path, "%s", backups);
	t[n++].mode = 02770;
	struct dirent *e;
	while (n < max && (e = readdir(d)))
		if (sk_backup_is_daily_name(e->d_name)) {
			snprintf(t[n].path, sizeof t[n].path, "%s/%s", backups, e->d_name);
			t[n++].mode = 0660;
		}
	closedir(d);
	return n;
}

sk_status sk_share(const char *db_path, const char *group, sk_err *err)
{
	sk_err_clear(err);
	const struct group *gr = getgrnam(group);
	if (!gr)
		return sk_fail(err, SK_REFUSED, NULL,
		               "there is no group named \"%s\" on this computer ('getent group' "
		               "lists them); nothing was changed", group);
	gid_t gid = gr->gr_gid;
	struct stat st;
	if (stat(db_path, &st) != 0)
		return sk_fail(err, errno == ENOENT ? SK_NOTFOUND : SK_IO, NULL,
		               "cannot share %s: %s", db_path, strerror(errno));
	if (!in_group(gid))
		return sk_fail(err, SK_REFUSED, NULL,
		               "you are not in the group %s, so you cannot give %s to it; "
		               "nothing was changed", group, db_path);

	/* Opening the folder to the group opens everything in it: only a
	 * folder of the database's own will do. */
	char dir[PATH_SIZE];
	sk_folder_of(db_path, dir, sizeof dir);
	const char *base = strrchr(db_path, '/') ? strrchr(db_path, '/') + 1 : db_path;
	DIR *d = opendir(dir);
	if (!d)
		return sk_fail(err, SK_IO, NULL, "cannot read the folder %s: %s", dir, strerror(errno));
	struct dirent *e;
	char other[256] = "";
	while ((e = readdir(d)))
		if (!ours(e->d_name, base)) {
			snprintf(other, sizeof other, "%s", e->d_name);
			break;
		}
	closedir(d);
	if (other[0])
		return sk_fail(err, SK_REFUSED, NULL,
		               "the folder %s holds other files too (%s), and sharing opens the "
		               "whole folder to the group %s; put the database in a folder of its "
		               "own (for example /srv/scodesk/) and share that. Nothing was changed",
		               dir, other, group);

	target t[64];
	int n = collect(db_path, dir, t, (int)(sizeof t / sizeof t[0]));
	/* Look at everything first, so that a refusal changes nothing. */
	for (int i = 0; i < n; i++) {
		if (stat(t[i].path, &st) != 0)
			return sk_fail(err, SK_IO, NULL, "cannot share %s: %s", t[i].path,
			               strerror(errno));
		if (geteuid() != 0 && st.st_uid != geteuid())
			return sk_fail(err, SK_REFUSED, NULL,
			               "%s belongs to another user, so only they (or root) can share "
			               "it; nothing was changed", t[i].path);
	}
	for (int i = 0; i < n; i++)
		if (chown(t[i].path, (uid_t)-1, gid) != 0 || chmod(t[i].path, t[i].mode) != 0)
			return sk_fail(err, SK_IO, NULL, "cannot give %s to the group %s: %s",
			               t[i].path, group, strerror(errno));
	return SK_OK;
}
