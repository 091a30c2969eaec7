/*
 * backup.h: copies of the database, made while others keep working, and
 * putting one back.
 *
 * A copy is taken through SQLite's online backup API from one read
 * snapshot, so it is consistent however much others write meanwhile. It is
 * written under a temporary name in the destination's folder, checked,
 * flushed to the disk and only then renamed into place: a file with the
 * final name is always a whole, sound database. Copies use the rollback
 * journal (journal_mode DELETE), so that each is one self-contained file
 * that can be copied, mailed or opened from read-only media; scodesk turns
 * WAL back on when it opens one for writing.
 */
#ifndef SCODESK_BACKUP_H
#define SCODESK_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "scodesk/err.h"
#include "scodesk/store.h"

/*
 * Copies the open database to path (replacing a file there). The copy is
 * mode 0600, or 0660/0640 when the database is shared with its group, and
 * has the database's application_id and schema version. Not inside a
 * change (sk_begin without sk_commit): SK_INVALID. On failure nothing is
 * left behind and the sentence names the file. The copy is written to
 * path.tmp-XXXXXX (O_EXCL, a random name, locked while it is written);
 * first, the temporary files of earlier copies to path that were cut
 * short (this user's, no longer locked, with what SQLite kept beside
 * them) are removed, and in the database's backups folder those of any
 * scodesk-backup-YYYYMMDDTHHMMSSZ.db copy too.
 */
sk_status sk_backup(sk_db *db, const char *path, sk_err *err);

/* The folder of automatic backups: <folder of the database>/backups. */
void sk_backup_dir(sk_db *db, char *buf, size_t size);

/*
 * sk_backup_dir, made when it is missing: 0700, or 2770 when the
 * database's folder is shared with its group (then every member may add
 * copies). An existing one of this user's in a shared folder is opened to
 * the group. A link or a file in its place, or a folder of another user's
 * that is not open to a group this user is in, is refused with a sentence
 * (see fsafe.h).
 */
sk_status sk_backup_folder(sk_db *db, char *buf, size_t size, sk_err *err);

/* Whether name is that of a daily backup: scodesk-YYYY-MM-DD.db. */
bool sk_backup_is_daily_name(const char *name);

/*
 * The daily backup: when dir (NULL: sk_backup_dir) has no
 * scodesk-<today>.db, makes it and then removes the oldest daily backups
 * so that at most keep remain, and first the temporary files of daily
 * copies that were cut short (scodesk-YYYY-MM-DD.db.tmp-XXXXXX, with
 * -journal, -wal or -shm): this user's when no copy holds their lock,
 * another member's once also untouched for an hour; other files in dir
 * are never touched. When today's exists this costs one stat. keep <= 0 makes nothing (the setting
 * backup_keep, 0 turns the daily backup off). A missing dir is made, 0700
 * (2770 when the database's folder is shared with a group).
 * sk_backup_daily_ex also says in made (when not NULL) the file it made,
 * or "" when it made none.
 */
sk_status sk_backup_daily(sk_db *db, const char *dir, int keep, sk_err *err);
sk_status sk_backup_daily_ex(sk_db *db, const char *dir, int keep, char *made,
                             size_t size, sk_err *err);

/*
 * Whether sk_backup_daily(db, dir, keep) would make a copy: keep > 0 and
 * dir (NULL: sk_backup_dir) has no scodesk-<today>.db. One stat. A file
 * that cannot be looked at counts as missing, so that the backup is tried
 * and says what is wrong.
 */
bool sk_backup_daily_due(sk_db *db, const char *dir, int keep);

/*
 * Puts the database in the file `from` in place of the one at db_path.
 * `from` must be sound: an SQLite file with scodesk's application_id, a
 * schema no newer than this program's, integrity_check ok and no broken
 * reference; otherwise SK_REFUSED with a sentence saying why, and nothing
 * is changed. The current database is first copied to
 * db_path.before-restore-YYYYMMDDTHHMMSSZ; then the content of `from` is
 * written into the live file through the backup API, in one transaction
 * that other users wait for and then see; an older schema is brought up to
 * date; and the restored database gets an audit entry (action restore,
 * table database) naming both files. When db_path is missing it is made.
 * sk_restore_file_ex also says in saved (when not NULL) where the previous
 * database was copied, or "" when there was none.
 */
sk_status sk_restore_file(const char *db_path, const char *from, sk_err *err);
sk_status sk_restore_file_ex(const char *db_path, const char *from, char *saved,
                             size_t size, sk_err *err);

#endif
