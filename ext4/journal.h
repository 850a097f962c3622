/*
 * The jbd2 journal of an ext4 file system: recovery at mount, and the
 * transactions through which the file system changes its metadata
 * (ordered mode).  Everything on disk follows the ext4 disk layout
 * document's "Journal (jbd2)" section; jbd2 fields are big-endian.
 *
 * Model.  The journal lives in blocks of the file system's device (the
 * journal inode's blocks): the file system gives a map from logical
 * journal block to device block (journal_fs_ops.bmap, asked once per
 * block at journal_open).  The journal's block size is the file
 * system's.
 *
 * Lifecycle (the ext4 mount/unmount path):
 *
 *   j = journal_open(bdev, block_size, nr_blocks, &ops, fs);
 *   if (journal_needs_recovery(j))
 *           journal_recover(j, NULL);   // replays, flushes, resets
 *   journal_set_features(j, ...);        // read-write mount only
 *   journal_load(j);                     // handles may start now
 *   ...
 *   journal_destroy(j);                  // commit, checkpoint, mark
 *                                        // empty, free (unmount)
 *
 * A read-only mount that finds journal_needs_recovery() either replays
 * anyway (as Linux does unless "norecovery") or refuses; it never calls
 * journal_load and ends with journal_close().  The ext4 superblock is
 * the file system's: it sets needs_recovery (INCOMPAT_RECOVER) while
 * mounted read-write and clears it after journal_destroy or a
 * recovery.  Internal journals only (home blocks are on @bdev).
 *
 * Changing metadata (ordered mode):
 *
 *   h = journal_start(j, credits);       // credits: blocks it may log
 *   journal_get_write_access(h, b);      // before changing b->data
 *   ... change b->data under b->lock ...
 *   journal_dirty_metadata(h, b);        // after changing it
 *   journal_revoke(h, blocknr, b_or_NULL); // a freed metadata block
 *   journal_stop(h);
 *
 * A handle's transaction commits later (every 5 s in the kernel, when
 * it grows too big, when the log is short of space, journal_commit(),
 * or a handle marked with journal_handle_set_sync()).  A commit first
 * calls ops.write_ordered_data so the file system writes the data
 * blocks the metadata refers to, then writes revoke records, descriptor
 * blocks and copies of the metadata to the log, flushes, and writes the
 * commit block (FUA).  Committed buffers are then unpinned: the
 * buffer cache may write them home.  A checkpoint writes every committed
 * buffer home and frees the log (journal_checkpoint; also when a handle
 * would not fit in the log).
 *
 * Rules for callers: handles do not nest (one thread holds at most one
 * open handle of a journal; a second journal_start could wait for the
 * commit of the first's transaction, forever); call the journal_* buffer
 * functions without holding b->lock; every block changed under a handle
 * costs one credit the first time the handle's transaction touches it,
 * and every journal_revoke one credit.
 *
 * Locking and the journal's structures: ext4/journal_internal.h.
 */
#ifndef EXT4_JOURNAL_H
#define EXT4_JOURNAL_H

#include "include/types.h"

struct block_device;
struct buffer;
struct journal;
struct journal_handle;

/* jbd2 feature flags (journal superblock s_feature_*). */
#define JOURNAL_COMPAT_CHECKSUM 0x1u       /* v1 commit checksums (crc32) */
#define JOURNAL_INCOMPAT_REVOKE 0x1u
#define JOURNAL_INCOMPAT_64BIT 0x2u
#define JOURNAL_INCOMPAT_ASYNC_COMMIT 0x4u
#define JOURNAL_INCOMPAT_CSUM_V2 0x8u
#define JOURNAL_INCOMPAT_CSUM_V3 0x10u

struct journal_fs_ops {
	/* Device block (in units of the block size) holding logical journal
	 * block @lblock; 0 or -errno (a hole: -EUCLEAN). */
	int (*bmap)(void *fs, uint32_t lblock, uint64_t *pblock);
	/* Ordered mode: write the data blocks that the metadata of
	 * transaction @tid points to and wait for them; 0 or -errno.  Called
	 * before the transaction's metadata reaches the log, with the
	 * journal's commit mutex held: it must not commit, checkpoint or
	 * start handles itself.  NULL: none. */
	int (*write_ordered_data)(void *fs, uint32_t tid);
};

/* What a recovery found and did (journal_recover's optional report). */
struct journal_recovery_info {
	uint32_t start_tid;             /* first transaction in the log */
	uint32_t end_tid;               /* first one not committed */
	uint32_t nr_transactions;       /* committed ones replayed */
	uint32_t nr_replayed;           /* blocks written home */
	uint32_t nr_revoked;            /* block copies skipped: revoked */
	uint32_t nr_revoke_records;     /* distinct revoked blocks */
	uint32_t nr_bad_blocks;         /* copies skipped: bad checksum or
					 * home outside the device */
};

/*
 * Read and check the journal superblock of a journal of @nr_blocks
 * blocks of @block_size bytes on @bdev.  ERR_PTR: -EINVAL (not a jbd2
 * superblock, sizes that do not fit), -EBADMSG (superblock checksum;
 * Linux's EFSBADCRC), -EOPNOTSUPP (unknown incompatible or any
 * read-only compatible feature, fast commits), -EIO, -ENOMEM.
 */
struct journal *journal_open(struct block_device *bdev, uint32_t block_size,
			     uint32_t nr_blocks,
			     const struct journal_fs_ops *ops, void *fs);
/* True if the log holds transactions that may need replaying. */
bool journal_needs_recovery(const struct journal *j);
/*
 * Replay the committed transactions (newest copy of each block not
 * revoked), flush the device, then mark the journal empty.  A log that
 * simply ends (no magic, another tid, a bad commit block, stale blocks)
 * is fine.  -EBADMSG (Linux's EFSBADCRC) as jbd2 gives it: a committed
 * transaction with a corrupt descriptor or revoke block (nothing is
 * replayed), or logged copies whose checksum fails (the rest is
 * replayed); the journal then stays as it is, for fsck.  -EIO, -ENOMEM.
 */
int journal_recover(struct journal *j, struct journal_recovery_info *info);
/* Turn on jbd2 features (a v1 superblock becomes v2).  Before
 * journal_load; written with it.  0 or -EINVAL (unknown bits, both
 * checksum versions). */
int journal_set_features(struct journal *j, uint32_t compat,
			 uint32_t incompat);
/* Make the (recovered, empty) journal ready for transactions; starts the
 * periodic commit in the kernel.  0, -EBUSY (needs recovery), -EIO. */
int journal_load(struct journal *j);
/* Commit and checkpoint everything, mark the journal empty, free it. */
int journal_destroy(struct journal *j);
/* Free without writing (read-only use, or after journal_destroy's
 * failure paths). */
void journal_close(struct journal *j);

/* Begin an atomic change of up to @credits metadata blocks.  Sleeps
 * while the log lacks room.  ERR_PTR(-ENOSPC: more credits than a
 * transaction may hold; -EIO: journal aborted; -ENOMEM). */
struct journal_handle *journal_start(struct journal *j, int credits);
/* End the handle; with set_sync, wait until its transaction committed.
 * 0 or the journal's error. */
int journal_stop(struct journal_handle *h);
void journal_handle_set_sync(struct journal_handle *h);
/* More credits for a running handle: 0, 1 if its transaction cannot
 * take them (then journal_restart), or the journal's error. */
int journal_extend(struct journal_handle *h, int credits);
/* Let the handle's transaction go (its changes so far commit with it)
 * and continue as a handle of @credits in the running transaction,
 * which may be a new one.  0 or -errno (-ENOSPC, -EIO: the handle is
 * then unusable except for journal_stop).  For long operations such as
 * truncating a big file. */
int journal_restart(struct journal_handle *h, int credits);
/* The transaction id a handle belongs to. */
uint32_t journal_handle_tid(const struct journal_handle *h);
/* Credits the handle has left (long operations decide with it whether
 * to journal_extend or journal_restart before their next step). */
int journal_handle_credits(const struct journal_handle *h);

/* Before changing @b: it joins the handle's transaction and is pinned
 * (not written home) until that commits.  0, -ENOSPC (handle out of
 * credits), -EIO, -ENOMEM. */
int journal_get_write_access(struct journal_handle *h, struct buffer *b);
/* The same for a block the caller fills from scratch (newly allocated
 * metadata; the caller sets BUFFER_UPTODATE). */
int journal_get_create_access(struct journal_handle *h, struct buffer *b);
/* @b's new contents belong to the transaction: logged at its commit.
 * Needs journal_get_write_access first (-EINVAL otherwise). */
int journal_dirty_metadata(struct journal_handle *h, struct buffer *b);
/*
 * Metadata block @blocknr was freed: older copies of it in the log must
 * not be replayed over what the block holds next.  @b is its buffer if
 * the caller has it (else the cached one is found): it leaves the
 * running transaction and its checkpoint.  The caller then calls
 * buffer_forget so that the old contents never go home.  0, -ENOSPC,
 * -EINVAL (block number beyond the device or the log's 32 bits), -EIO,
 * -ENOMEM.
 */
int journal_revoke(struct journal_handle *h, uint64_t blocknr,
		   struct buffer *b);

/* Commit the running transaction now and wait for it.  0 or -errno. */
int journal_commit(struct journal *j);
/* Wait until transaction @tid is committed (committing it if it is the
 * running one). */
int journal_commit_tid(struct journal *j, uint32_t tid);
/* Commit, write every committed block home, flush, empty the log. */
int journal_checkpoint(struct journal *j);

/* The journal failed (an I/O error): later handles get -EIO. */
int journal_error(const struct journal *j);

#endif
