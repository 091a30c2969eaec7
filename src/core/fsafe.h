/*
 * fsafe.h: handling the files beside the database safely when other
 * people may write the folders they are in (core only, not installed).
 *
 * In a shared office the database folder, drafts/ and backups/ are
 * writable by every member of the group, so any name in them may be
 * swapped at any moment for a link, a pipe or another user's file. The
 * rules kept here:
 *
 * - Inside such a folder, names are opened relative to the folder's
 *   descriptor with O_NOFOLLOW (and O_NONBLOCK, so that a pipe cannot
 *   hang the open); what the descriptor is (fstat) decides, never a look
 *   at the name beforehand.
 * - A file is created with O_CREAT|O_EXCL under a name with six random
 *   letters or digits, and holds a lock (flock) for as long as it is being
 *   written, so that a leftover can be told from a file in use.
 * - Modes and owners are changed on the open descriptor (fchmod, fchown).
 * - What is not a plain file with one name, owned as expected, is left
 *   alone; the caller says so.
 *
 * The folders above (the database's own, and the path to it) are those
 * the user named, and are opened by that name; sk_fs_check_database
 * makes sure nobody else may change them.
 */
#ifndef SCODESK_FSAFE_H
#define SCODESK_FSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "scodesk/err.h"

/* What a name of a temporary copy adds to the name it stands for:
 * ".tmp-XXXXXX", and what SQLite may add beside that ("-journal"). */
#define SK_FS_TEMP_ROOM (sizeof ".tmp-XXXXXX" - 1)
#define SK_FS_SIDE_ROOM (sizeof "-journal" - 1)

/* Whether this process is in the group: its own group or one of its
 * supplementary groups. Root is in the groups it is in, no others. */
bool sk_fs_in_group(gid_t gid);

/* Whether a folder is one shared with its group the way `init --shared`
 * makes it: group-writable with the set-gid bit. */
bool sk_fs_shared_folder(const struct stat *st);

/*
 * Whether path, and path with `room` more bytes on its last name, can be
 * used at all: shorter than PATH_MAX, and no name in it longer than
 * NAME_MAX. Otherwise SK_IO with one sentence (naming the start of the
 * path), before anything is made.
 */
sk_status sk_fs_check_length(const char *path, size_t room, sk_err *err);

/*
 * What sk_open checks before SQLite sees the file (see store.h): the name
 * fits; an existing path is a plain file (a folder, a named pipe, a device
 * or a socket is refused at once, without opening it); the file and the
 * -wal, -shm and -journal beside it belong to this user, or are the
 * shared group's (their group is one this user is in), and not every user
 * may write them; the -wal, -shm and -journal are plain
 * files; and no folder on the way to it, up to the root, may be changed
 * by every user unless it has the sticky bit (like /tmp, where only the
 * owner of a name may remove or rename it). The folders are looked at
 * both as the path names them and where they really are (links
 * resolved). Root is held to the same rules. SK_REFUSED (SK_IO for a name
 * too long) with one sentence.
 */
sk_status sk_fs_check_database(const char *path, sk_err *err);

/*
 * Makes the folders above path that are missing (0700) and then path
 * itself, an empty file, 0600, with O_EXCL. When anything fails, what it
 * made is removed again and err says what failed.
 */
sk_status sk_fs_create_database(const char *path, sk_err *err);

/*
 * Opens the folder at path (a folder scodesk keeps beside the database:
 * drafts/, backups/) and returns its descriptor, or -1 with err. The
 * folder above it is opened by name; path's own last name is opened with
 * O_NOFOLLOW: a link or a file in its place is refused (SK_REFUSED) and
 * left alone. The one link followed is this user's own in a folder of
 * this user's that nobody else may write (mode without g+w and o+w): only
 * the user can have put it there. With create, a missing folder is made: 0700, or 2770 when
 * shared. A folder of this user's that is to be shared and is not yet
 * open to the group is opened to it (the set-gid bit and rwx for the
 * group). A folder every user may write without the sticky bit is
 * refused, and so is a folder of someone else's that is not open (rwx) to
 * a group this user is in, with a sentence saying whose it is. Missing and
 * not create: SK_NOTFOUND.
 */
int sk_fs_folder(const char *path, bool create, bool shared, sk_err *err);

/*
 * Creates a new file in the folder dirfd named base + ".tmp-XXXXXX" (six
 * random letters or digits), mode 0600, with O_EXCL and O_NOFOLLOW, and
 * takes a lock on it (flock) that lasts until the descriptor is closed:
 * sk_fs_remove_abandoned leaves such a file alone. Its name goes into
 * name. Returns the descriptor, or -1 with errno set.
 */
int sk_fs_temp(int dirfd, const char *base, char *name, size_t size);

/*
 * Removes, in the folder dirfd, the temporary files left by writers that
 * were killed: names for which is_temp(name, ctx) holds, and each of them
 * with "-journal", "-wal" or "-shm" (what SQLite keeps beside a file).
 * A file is taken for abandoned only when it is a plain file with one
 * name and no lock on it (a writer holds one while it writes), and is
 * this user's own; with others_after >= 0, another user's too, once
 * unchanged for that many seconds. A file beside a temporary goes with
 * it, or alone when the temporary is gone. Nothing else is touched, and a
 * file that cannot be removed is left (best effort, no error).
 */
void sk_fs_remove_abandoned(int dirfd, bool (*is_temp)(const char *name, const void *ctx),
                            const void *ctx, long others_after);

/* Opens the folder dir, resolved (links and all): its descriptor, with
 * the resolved path in real; or -1 with errno set. */
int sk_fs_open_real(const char *dir, char *real, size_t size);

/* Whether name is base + ".tmp-" and six letters or digits: a temporary
 * name sk_fs_temp makes for base (or mkstemp made, in older versions). */
bool sk_fs_is_temp_of(const char *name, const char *base);

#endif
