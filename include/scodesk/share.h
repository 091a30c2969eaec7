/*
 * share.h: giving the database to a group of users (`scodesk init
 * --shared GROUP`).
 *
 * Several people of one office use one file. Each of them must be able to
 * write the database and the -wal and -shm files SQLite keeps beside it.
 * SQLite makes those two with the database file's permissions; their group
 * is the folder's when the folder has the setgid bit. So the file goes to
 * mode 0660 and the folder to 2770, both owned by the group.
 */
#ifndef SCODESK_SHARE_H
#define SCODESK_SHARE_H

#include "scodesk/err.h"

/*
 * Gives the database at db_path (and its -wal, -shm, and the backups
 * folder beside it when they are there) to group: the file and the files
 * beside it 0660, the folders 2770. Because the folder is opened to the
 * group too, it must hold only the database and what scodesk keeps beside
 * it; a folder with other files is refused (SK_REFUSED) and nothing is
 * changed. An unknown group, a file this user does not own, or a group
 * this user is not in are refused the same way, each with a sentence.
 */
sk_status sk_share(const char *db_path, const char *group, sk_err *err);

/*
 * sk_share, telling fn (when not NULL) one sentence for each thing in the
 * backups folder it left alone. Members of the group may write that
 * folder, so anything may be put there under a backup's name; only plain
 * files with one name that are this user's own are changed (through an
 * open descriptor, never by name), and a link, a pipe, a file with other
 * names or another user's file is left as it is. The database, its -wal
 * and -shm must be plain files of this user's (or the group's already):
 * otherwise nothing at all is changed.
 */
sk_status sk_share_ex(const char *db_path, const char *group,
                      void (*fn)(void *ctx, const char *sentence), void *ctx, sk_err *err);

#endif
