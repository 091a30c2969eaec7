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

#endif
