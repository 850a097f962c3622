/*
 * The journal's private structures: the on-disk jbd2 format (ext4 disk
 * layout, "Journal (jbd2)"; every field big-endian) and the in-memory
 * journal, transactions and per-buffer bookkeeping.
 *
 * Locks (order: commit_mutex -> lock -> buffer->lock -> the buffer
 * cache's lock; the file system calls in without buffer->lock):
 *   commit_mutex  one commit or checkpoint at a time; held across the
 *                 log I/O of a commit.
 *   lock          the journal's state: the running/committing
 *                 transactions, handles' counts, the log head and tail,
 *                 every struct journal_buffer, buffer->journal_private.
 *   buffer->lock  taken inside `lock` to change BUFFER_PINNED and to copy
 *                 a buffer's data (frozen copy, log copy).
 * Sleeping for a state change: remember wake_seq under `lock`, drop it,
 * wait on `wait` until wake_seq moves (journal_wait_change).
 */
#ifndef EXT4_JOURNAL_INTERNAL_H
#define EXT4_JOURNAL_INTERNAL_H

#include "ext4/journal.h"
#include "include/compiler.h"
#include "include/errno.h"
#include "include/list.h"
#include "sched/sched.h"

#define LOCAL_EFSBADCRC EBADMSG         /* Linux's EFSBADCRC */
#define LOCAL_EFSCORRUPTED EUCLEAN      /* Linux's EFSCORRUPTED */

/* ---- on disk ---- */

#define JBD2_MAGIC 0xC03B3998u

#define JBD2_DESCRIPTOR_BLOCK 1
#define JBD2_COMMIT_BLOCK 2
#define JBD2_SUPERBLOCK_V1 3
#define JBD2_SUPERBLOCK_V2 4
#define JBD2_REVOKE_BLOCK 5

/* Tag flags. */
#define JBD2_FLAG_ESCAPE 0x1            /* first word was the magic */
#define JBD2_FLAG_SAME_UUID 0x2         /* no 16-byte UUID follows */
#define JBD2_FLAG_DELETED 0x4
#define JBD2_FLAG_LAST_TAG 0x8

#define JBD2_CRC32C_CHKSUM 4

#define JOURNAL_KNOWN_INCOMPAT (JOURNAL_INCOMPAT_REVOKE |                \
	JOURNAL_INCOMPAT_64BIT | JOURNAL_INCOMPAT_ASYNC_COMMIT |          \
	JOURNAL_INCOMPAT_CSUM_V2 | JOURNAL_INCOMPAT_CSUM_V3)
#define JOURNAL_KNOWN_COMPAT JOURNAL_COMPAT_CHECKSUM

struct jbd2_header {
	uint32_t magic;
	uint32_t blocktype;
	uint32_t sequence;
};

/* journal_superblock_s: 1024 bytes at the start of journal block 0. */
struct jbd2_superblock {
	struct jbd2_header header;
	uint32_t blocksize;             /* 0x0c */
	uint32_t maxlen;                /* 0x10 blocks in the journal */
	uint32_t first;                 /* 0x14 first log block */
	uint32_t sequence;              /* 0x18 first tid expected in log */
	uint32_t start;                 /* 0x1c log start block, 0: empty */
	uint32_t errno_;                /* 0x20 */
	uint32_t feature_compat;        /* 0x24 v2 from here */
	uint32_t feature_incompat;      /* 0x28 */
	uint32_t feature_ro_compat;     /* 0x2c */
	uint8_t uuid[16];               /* 0x30 */
	uint32_t nr_users;              /* 0x40 */
	uint32_t dynsuper;              /* 0x44 */
	uint32_t max_transaction;       /* 0x48 */
	uint32_t max_trans_data;        /* 0x4c */
	uint8_t checksum_type;          /* 0x50 */
	uint8_t padding2[3];
	uint32_t num_fc_blocks;         /* 0x54 */
	uint32_t head;                  /* 0x58 */
	uint32_t padding[40];
	uint32_t checksum;              /* 0xfc */
	uint8_t users[16 * 48];         /* 0x100 */
};
STATIC_ASSERT(sizeof(struct jbd2_superblock) == 1024, "jbd2 superblock");
STATIC_ASSERT(offsetof(struct jbd2_superblock, checksum_type) == 0x50,
	      "s_checksum_type");
STATIC_ASSERT(offsetof(struct jbd2_superblock, checksum) == 0xfc,
	      "s_checksum");

/* commit_header: the commit block. */
struct jbd2_commit {
	struct jbd2_header header;
	uint8_t chksum_type;            /* 0x0c */
	uint8_t chksum_size;
	uint8_t padding[2];
	uint32_t chksum[8];             /* 0x10: [0] is the block checksum */
	uint64_t commit_sec;            /* 0x30 */
	uint32_t commit_nsec;           /* 0x38 */
};
STATIC_ASSERT(offsetof(struct jbd2_commit, commit_sec) == 0x30, "commit");

#define JBD2_REVOKE_HEADER_SIZE 16      /* header + r_count */
#define JBD2_TAIL_SIZE 4                /* checksum tail (csum v2/v3) */

static inline uint32_t jbd2_be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint32_t get_be32(const void *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}

static inline uint16_t get_be16(const void *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, 2);
	return __builtin_bswap16(v);
}

static inline void put_be32(void *p, uint32_t v)
{
	v = __builtin_bswap32(v);
	__builtin_memcpy(p, &v, 4);
}

static inline void put_be16(void *p, uint16_t v)
{
	v = __builtin_bswap16(v);
	__builtin_memcpy(p, &v, 2);
}

/* Transaction ids wrap: compare them as a window, as jbd2 does. */
static inline bool tid_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool tid_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* One decoded descriptor tag. */
struct journal_tag {
	uint64_t blocknr;
	uint32_t flags;
	uint32_t checksum;              /* v2: low 16 bits; v3: all */
};

/* ---- in memory ---- */

/* A run of the journal's logical blocks that is contiguous on disk. */
struct journal_extent {
	uint32_t lblock;
	uint32_t len;
	uint64_t pblock;
};

enum transaction_state {
	T_RUNNING,              /* handles join it */
	T_LOCKED,               /* its commit waits for its handles to stop */
	T_COMMITTING,           /* being written to the log */
	T_COMMITTED,            /* in the log; waiting for its checkpoint */
};

/* Legend: [j] journal->lock, [c] the committing thread (commit_mutex). */
struct transaction {
	uint32_t tid;                   /* [I] */
	enum transaction_state state;   /* [j] */
	int updates;                    /* [j] handles not yet stopped */
	int credits;                    /* [j] reserved by its handles */
	uint64_t start_ns;              /* [I] uptime it began */
	struct list_node buffers;       /* [j] journal_buffer.run_node */
	struct list_node logged;        /* [j] journal_buffer.commit_node:
					 * what its commit logs */
	uint64_t *revokes;              /* [j] revoked block numbers */
	uint32_t nr_revokes, cap_revokes; /* [j] */
	uint32_t log_start, log_end;    /* [c] where it lies in the log */
	struct list_node cp_buffers;    /* [j] journal_buffer.cp_node */
	struct list_node cp_node;       /* [j] journal.checkpoint_list */
};

/* The journal's bookkeeping for one buffer (buffer->journal_private).
 * It holds a reference to the buffer while it exists.  All [j]. */
struct journal_buffer {
	struct buffer *b;
	struct transaction *run_t;      /* the running transaction it is in */
	struct transaction *commit_t;   /* the committing one it is in */
	struct transaction *cp_t;       /* committed, not yet home */
	bool run_dirty;                 /* changed under run_t */
	bool commit_dirty;              /* to be logged by commit_t */
	bool revoked;                   /* freed while commit_t logs it */
	bool copied;                    /* commit_t has copied its data */
	void *frozen;                   /* commit_t's contents, when a newer
					 * transaction changes the buffer
					 * before commit_t copied it */
	struct list_node run_node;
	struct list_node commit_node;
	struct list_node cp_node;
};

struct journal_handle {
	struct journal *j;
	struct transaction *t;
	int credits;                    /* left */
	bool sync;
};

struct journal {
	/* [I] after journal_open */
	struct block_device *bdev;
	uint32_t block_size;
	uint32_t sectors_per_block;
	uint32_t nr_blocks;             /* s_maxlen */
	uint32_t first;                 /* s_first */
	uint64_t dev_blocks;            /* device size in blocks */
	const struct journal_fs_ops *ops;
	void *fs;
	struct journal_extent *map;
	uint32_t nr_extents;

	/* the superblock: [j] (changed by set_features, load, checkpoint) */
	uint8_t *sb_block;              /* journal block 0, as read */
	uint32_t version;               /* 1 or 2 */
	uint32_t compat, incompat;
	uint8_t uuid[16];
	uint32_t csum_seed;             /* crc32c(~0, uuid) */
	uint32_t tag_bytes;             /* a tag without its UUID */
	uint32_t sb_start, sb_sequence; /* as on disk */

	/* the log: [j] */
	uint32_t tail, tail_tid;        /* oldest block/transaction needed */
	uint32_t head;                  /* next block to write */
	uint32_t next_tid;              /* tid of the next transaction */
	uint32_t committed_tid;         /* last committed */
	uint32_t max_credits;           /* per transaction */
	struct transaction *running;
	struct transaction *committing;
	struct list_node checkpoint_list; /* committed, oldest first */
	bool barrier;                   /* checkpoint: no handles start */
	bool loaded;
	int error;                      /* aborted: -EIO */

	uint64_t nr_commits;            /* [j] statistics */
	uint64_t nr_frozen;             /* [j] */

	struct mutex lock;
	struct mutex commit_mutex;
	struct wait_queue wait;
	uint64_t wake_seq;              /* [j] bumped on every state change */

	/* the periodic commit (kernel) */
	struct thread *thread;
	struct wait_queue thread_wait;
	bool thread_stop;               /* [j] */
	bool thread_done;               /* [j] */
};

/* journal_disk.c */
int journal_block_to_dev(const struct journal *j, uint32_t lblock,
			 uint64_t *pblock);
int journal_read_block(struct journal *j, uint32_t lblock, void *buf);
int journal_write_block(struct journal *j, uint32_t lblock, const void *buf);
int journal_write_blocks(struct journal *j, uint32_t start, void *const *bufs,
			 uint32_t n, bool fua);
int journal_write_sb(struct journal *j, uint32_t start, uint32_t sequence);
bool journal_has_csum(const struct journal *j);
uint32_t journal_block_csum(const struct journal *j, const void *block);
bool journal_header_ok(const void *block, uint32_t type, uint32_t tid);
bool journal_tail_csum_ok(const struct journal *j, const void *block);
void journal_tail_csum_set(const struct journal *j, void *block);
bool journal_commit_csum_ok(const struct journal *j, const void *block);
void journal_commit_csum_set(const struct journal *j, void *block);
uint32_t journal_data_csum(const struct journal *j, uint32_t tid,
			   const void *data);
bool journal_tag_csum_ok(const struct journal *j, const struct journal_tag *tag,
			 uint32_t tid, const void *data);
/* Space for tags in a descriptor block (block minus header and tail). */
uint32_t journal_tag_space(const struct journal *j);
/* Decode the tag at @p (bytes left @left); returns its size with its UUID
 * or 0 if it does not fit. */
uint32_t journal_tag_decode(const struct journal *j, const uint8_t *p,
			    uint32_t left, struct journal_tag *tag);
uint32_t journal_tag_encode(const struct journal *j, uint8_t *p,
			    const struct journal_tag *tag);
uint32_t journal_revoke_record_size(const struct journal *j);
uint32_t journal_next_block(const struct journal *j, uint32_t lblock,
			    uint32_t n);
void journal_wait_change(struct journal *j);
void journal_wake(struct journal *j);

/* journal_commit.c */
int journal_commit_locked(struct journal *j);
void journal_drop_all(struct journal *j);
void journal_thread_start(struct journal *j);
void journal_thread_stop(struct journal *j);

/* journal_transaction.c */
void journal_buffer_release(struct journal *j, struct journal_buffer *jb);
void journal_transaction_free(struct transaction *t);
uint32_t journal_log_needed(const struct journal *j, int credits);
uint32_t journal_log_used(const struct journal *j);

#endif
