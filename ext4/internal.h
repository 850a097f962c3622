/*
 * ext4 internals: on-disk layouts (kernel.org "ext4 Data Structures and
 * Algorithms"; all fields little-endian, read directly since x86_64 is
 * little-endian too) and the in-memory file system.
 */
#ifndef EXT4_INTERNAL_H
#define EXT4_INTERNAL_H

#include "ext4/ext4.h"
#include "include/compiler.h"
#include "include/errno.h"
#include "sched/sched.h"

struct buffer;

/* ---- superblock (layout section "The Super Block"), at byte 1024 ---- */
#define EXT4_SUPER_OFFSET 1024
#define EXT4_SUPER_MAGIC 0xEF53

struct ext4_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count_lo;
	uint32_t s_r_blocks_count_lo;
	uint32_t s_free_blocks_count_lo;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_cluster_size;
	uint32_t s_blocks_per_group;
	uint32_t s_clusters_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	uint16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	uint32_t s_first_ino;           /* 0x54 */
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;      /* 0x5c */
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];             /* 0x68 */
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;      /* 0xc8 */
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_journal_uuid[16];     /* 0xd0 */
	uint32_t s_journal_inum;
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;
	uint32_t s_hash_seed[4];        /* 0xec */
	uint8_t s_def_hash_version;     /* 0xfc */
	uint8_t s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;  /* 0x100 */
	uint32_t s_first_meta_bg;
	uint32_t s_mkfs_time;
	uint32_t s_jnl_blocks[17];
	uint32_t s_blocks_count_hi;     /* 0x150 */
	uint32_t s_r_blocks_count_hi;
	uint32_t s_free_blocks_count_hi;
	uint16_t s_min_extra_isize;
	uint16_t s_want_extra_isize;
	uint32_t s_flags;               /* 0x160 */
	uint8_t s_pad1[0x174 - 0x164];
	uint8_t s_log_groups_per_flex;  /* 0x174 */
	uint8_t s_checksum_type;
	uint8_t s_pad2[0x270 - 0x176];
	uint32_t s_checksum_seed;       /* 0x270 */
	uint8_t s_pad3[0x3fc - 0x274];
	uint32_t s_checksum;            /* 0x3fc */
} __packed;
STATIC_ASSERT(sizeof(struct ext4_super) == 1024, "ext4 superblock size");
STATIC_ASSERT(offsetof(struct ext4_super, s_first_ino) == 0x54, "s_first_ino");
STATIC_ASSERT(offsetof(struct ext4_super, s_hash_seed) == 0xec, "s_hash_seed");
STATIC_ASSERT(offsetof(struct ext4_super, s_blocks_count_hi) == 0x150, "hi");
STATIC_ASSERT(offsetof(struct ext4_super, s_flags) == 0x160, "s_flags");

#define EXT4_FLAGS_SIGNED_HASH 0x1
#define EXT4_FLAGS_UNSIGNED_HASH 0x2

#define EXT4_COMPAT_HAS_JOURNAL 0x4
#define EXT4_COMPAT_EXT_ATTR 0x8
#define EXT4_COMPAT_DIR_INDEX 0x20

#define EXT4_INCOMPAT_FILETYPE 0x2
#define EXT4_INCOMPAT_RECOVER 0x4
#define EXT4_INCOMPAT_JOURNAL_DEV 0x8
#define EXT4_INCOMPAT_META_BG 0x10
#define EXT4_INCOMPAT_EXTENTS 0x40
#define EXT4_INCOMPAT_64BIT 0x80
#define EXT4_INCOMPAT_MMP 0x100
#define EXT4_INCOMPAT_FLEX_BG 0x200
#define EXT4_INCOMPAT_CSUM_SEED 0x2000
#define EXT4_INCOMPAT_LARGEDIR 0x4000
#define EXT4_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_INCOMPAT_SUPPORTED                                             \
	(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER |                   \
	 EXT4_INCOMPAT_META_BG | EXT4_INCOMPAT_EXTENTS |                    \
	 EXT4_INCOMPAT_64BIT | EXT4_INCOMPAT_MMP | EXT4_INCOMPAT_FLEX_BG |  \
	 EXT4_INCOMPAT_CSUM_SEED | EXT4_INCOMPAT_LARGEDIR |                 \
	 EXT4_INCOMPAT_INLINE_DATA)

#define EXT4_RO_COMPAT_SPARSE_SUPER 0x1
#define EXT4_RO_COMPAT_LARGE_FILE 0x2
#define EXT4_RO_COMPAT_HUGE_FILE 0x8
#define EXT4_RO_COMPAT_GDT_CSUM 0x10
#define EXT4_RO_COMPAT_DIR_NLINK 0x20
#define EXT4_RO_COMPAT_EXTRA_ISIZE 0x40
#define EXT4_RO_COMPAT_QUOTA 0x100
#define EXT4_RO_COMPAT_BIGALLOC 0x200
#define EXT4_RO_COMPAT_METADATA_CSUM 0x400
#define EXT4_RO_COMPAT_READONLY 0x1000
#define EXT4_RO_COMPAT_PROJECT 0x2000
#define EXT4_RO_COMPAT_VERITY 0x8000
#define EXT4_RO_COMPAT_ORPHAN_PRESENT 0x10000
#define EXT4_RO_COMPAT_SUPPORTED                                            \
	(EXT4_RO_COMPAT_SPARSE_SUPER | EXT4_RO_COMPAT_LARGE_FILE |          \
	 EXT4_RO_COMPAT_HUGE_FILE | EXT4_RO_COMPAT_GDT_CSUM |               \
	 EXT4_RO_COMPAT_DIR_NLINK | EXT4_RO_COMPAT_EXTRA_ISIZE |            \
	 EXT4_RO_COMPAT_QUOTA | EXT4_RO_COMPAT_BIGALLOC |                   \
	 EXT4_RO_COMPAT_METADATA_CSUM | EXT4_RO_COMPAT_READONLY |           \
	 EXT4_RO_COMPAT_PROJECT | EXT4_RO_COMPAT_VERITY |                   \
	 EXT4_RO_COMPAT_ORPHAN_PRESENT)

/* ---- group descriptor ("Block Group Descriptors"), 32 or 64 bytes ---- */
struct ext4_group_desc {
	uint32_t bg_block_bitmap_lo;
	uint32_t bg_inode_bitmap_lo;
	uint32_t bg_inode_table_lo;
	uint16_t bg_free_blocks_count_lo;
	uint16_t bg_free_inodes_count_lo;
	uint16_t bg_used_dirs_count_lo;
	uint16_t bg_flags;
	uint32_t bg_exclude_bitmap_lo;
	uint16_t bg_block_bitmap_csum_lo;
	uint16_t bg_inode_bitmap_csum_lo;
	uint16_t bg_itable_unused_lo;
	uint16_t bg_checksum;           /* 0x1e */
	uint32_t bg_block_bitmap_hi;    /* 64-bit descriptors only */
	uint32_t bg_inode_bitmap_hi;
	uint32_t bg_inode_table_hi;
	uint16_t bg_free_blocks_count_hi;
	uint16_t bg_free_inodes_count_hi;
	uint16_t bg_used_dirs_count_hi;
	uint16_t bg_itable_unused_hi;
	uint32_t bg_exclude_bitmap_hi;
	uint16_t bg_block_bitmap_csum_hi;
	uint16_t bg_inode_bitmap_csum_hi;
	uint32_t bg_reserved;
} __packed;
STATIC_ASSERT(sizeof(struct ext4_group_desc) == 64, "group desc size");
STATIC_ASSERT(offsetof(struct ext4_group_desc, bg_checksum) == 0x1e, "bg_csum");

#define EXT4_BG_INODE_UNINIT 0x1
#define EXT4_BG_BLOCK_UNINIT 0x2
#define EXT4_BG_INODE_ZEROED 0x4

/* ---- inode ("Inode Table") ---- */
#define EXT4_GOOD_OLD_INODE_SIZE 128

struct ext4_disk_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size_lo;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks_lo;
	uint32_t i_flags;               /* 0x20 */
	uint32_t i_version;
	uint32_t i_block[15];           /* 0x28 */
	uint32_t i_generation;          /* 0x64 */
	uint32_t i_file_acl_lo;
	uint32_t i_size_high;
	uint32_t i_obso_faddr;
	uint16_t i_blocks_high;         /* 0x74 */
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint16_t i_checksum_lo;         /* 0x7c */
	uint16_t i_reserved;
	uint16_t i_extra_isize;         /* 0x80 */
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra;         /* 0x84 */
	uint32_t i_mtime_extra;
	uint32_t i_atime_extra;
	uint32_t i_crtime;
	uint32_t i_crtime_extra;
	uint32_t i_version_hi;
	uint32_t i_projid;
} __packed;
STATIC_ASSERT(sizeof(struct ext4_disk_inode) == 0xa0, "inode size");
STATIC_ASSERT(offsetof(struct ext4_disk_inode, i_checksum_lo) == 0x7c, "csum");
STATIC_ASSERT(offsetof(struct ext4_disk_inode, i_crtime) == 0x90, "crtime");

#define EXT4_HUGE_FILE_FL 0x40000
#define EXT4_INDEX_FL 0x1000
#define EXT4_EXTENTS_FL 0x80000
#define EXT4_EA_INODE_FL 0x200000
#define EXT4_INLINE_DATA_FL 0x10000000

/* i_mode's file type ("Inode Table", i_mode), spelled here because the
 * library is also built on the host, whose <sys/stat.h> has its own. */
#define EXT4_S_IFMT 0170000
#define EXT4_S_IFSOCK 0140000
#define EXT4_S_IFLNK 0120000
#define EXT4_S_IFREG 0100000
#define EXT4_S_IFBLK 0060000
#define EXT4_S_IFDIR 0040000
#define EXT4_S_IFCHR 0020000
#define EXT4_S_IFIFO 0010000

/* ---- extent tree ("Extent Tree") ---- */
#define EXT4_EXT_MAGIC 0xF30A
#define EXT4_EXT_MAX_DEPTH 5
#define EXT4_EXT_INIT_MAX_LEN 32768

struct ext4_extent_header {
	uint16_t eh_magic;
	uint16_t eh_entries;
	uint16_t eh_max;
	uint16_t eh_depth;
	uint32_t eh_generation;
} __packed;

struct ext4_extent_idx {
	uint32_t ei_block;
	uint32_t ei_leaf_lo;
	uint16_t ei_leaf_hi;
	uint16_t ei_unused;
} __packed;

struct ext4_extent {
	uint32_t ee_block;
	uint16_t ee_len;
	uint16_t ee_start_hi;
	uint32_t ee_start_lo;
} __packed;
STATIC_ASSERT(sizeof(struct ext4_extent_header) == 12, "eh");
STATIC_ASSERT(sizeof(struct ext4_extent_idx) == 12, "ei");
STATIC_ASSERT(sizeof(struct ext4_extent) == 12, "ee");

/* ---- directories ("Directory Entries", "Hash Tree Directories") ---- */
struct ext4_dir_entry {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
} __packed;
#define EXT4_DIR_ENTRY_HEADER 8
#define EXT4_DIR_TAIL_SIZE 12
#define EXT4_DIR_TAIL_FT 0xDE

struct ext4_dx_root_info {
	uint32_t reserved_zero;
	uint8_t hash_version;
	uint8_t info_length;
	uint8_t indirect_levels;
	uint8_t unused_flags;
} __packed;

struct ext4_dx_entry {
	uint32_t hash;          /* entry 0: limit (u16), count (u16) */
	uint32_t block;
} __packed;

struct ext4_dx_tail {
	uint32_t dt_reserved;
	uint32_t dt_checksum;
} __packed;

/* ---- extended attributes ("Extended Attributes") ---- */
#define EXT4_XATTR_MAGIC 0xEA020000

struct ext4_xattr_header {
	uint32_t h_magic;
	uint32_t h_refcount;
	uint32_t h_blocks;
	uint32_t h_hash;
	uint32_t h_checksum;
	uint32_t h_reserved[3];
} __packed;
STATIC_ASSERT(sizeof(struct ext4_xattr_header) == 32, "xattr header");

struct ext4_xattr_entry {
	uint8_t e_name_len;
	uint8_t e_name_index;
	uint16_t e_value_offs;
	uint32_t e_value_inum;
	uint32_t e_value_size;
	uint32_t e_hash;
	char e_name[];
} __packed;
STATIC_ASSERT(sizeof(struct ext4_xattr_entry) == 16, "xattr entry");

/* ---- the mounted file system ---- */
struct ext4_fs {
	struct block_device *bdev;      /* [I] all fields immutable after mount */
	struct ext4_super sb;           /* copy of the superblock */
	uint32_t block_size;
	unsigned log_block_size;        /* log2(block_size) */
	uint64_t blocks_count;
	uint32_t groups;
	uint32_t inodes_per_group;
	uint32_t blocks_per_group;
	uint32_t inode_size;
	uint32_t desc_size;
	uint32_t first_ino;
	uint32_t incompat, ro_compat, compat;
	bool csum;                      /* metadata_csum */
	uint32_t csum_seed;
	uint32_t hash_seed[4];
	bool hash_unsigned;
	uint8_t default_hash;
	struct ext4_group_desc *gd;     /* groups entries, widened to 64 bytes */
	unsigned long errors;           /* [racy counter] */
	bool error_logged;              /* [racy flag] first error printed */
	bool rdonly;
	/* The journal inode while the journal is opened at mount (its
	 * bmap); NULL otherwise.  Mount only: no other user yet. */
	struct ext4_inode *journal_inode;
	/* Library read-write mounts (EXT4_MOUNT_WRITE): the loaded
	 * journal; NULL for read-only mounts.  [I] */
	struct journal *journal;
	struct mutex alloc_lock;        /* allocation: see ext4/alloc.c */
	/* The descriptors' free block counts summed (read at mount, kept
	 * by alloc.c): ext4_free_blocks_total without a walk of the
	 * groups.  [alloc_lock] to change; read racily. */
	uint64_t free_blocks;
	/* A lock the caller holds across every changing library call (the
	 * VFS glue's write lock), or NULL: dropped around journal_restart,
	 * which may wait for a commit that waits for the handles of threads
	 * waiting for this lock.  [I] */
	struct mutex *caller_lock;
	/* Blocks freed by transactions that may not have committed yet, per
	 * group (NULL: none): a bitmap and the newest such transaction.
	 * Not reused until it commits (a crash would bring back the old
	 * owner, whose data must not have been overwritten).  [alloc_lock] */
	uint8_t **pending_free;
	uint32_t *pending_tid;
	/* The orphan list (ext4/orphan.c): sb.s_last_orphan (the one
	 * field of sb that changes after mount) and every orphan's on-disk
	 * i_dtime link.  Taken inside a journal handle, never with
	 * alloc_lock held; buffer locks nest inside it. */
	struct mutex orphan_lock;
};

/* Record a metadata error; the first one of @fs is logged.  Returns @err. */
int ext4_fs_error(struct ext4_fs *fs, int err, const char *fmt, ...)
	__printf(3, 4);
#define EXT4_CORRUPT(fs, ...) ext4_fs_error(fs, -EUCLEAN, __VA_ARGS__)

/* A metadata block through the buffer cache; ERR_PTR(-EIO/-EUCLEAN). */
struct buffer *ext4_bread(struct ext4_fs *fs, uint64_t blocknr);
uint32_t ext4_csum(const struct ext4_fs *fs, uint32_t seed, const void *p,
		   size_t len);
uint64_t ext4_gd_inode_table(const struct ext4_fs *fs, uint32_t group);

/* super.c: layout helpers */
bool ext4_group_has_super(const struct ext4_fs *fs, uint32_t g);
uint32_t ext4_desc_blocks(const struct ext4_fs *fs);
uint64_t ext4_desc_block(const struct ext4_fs *fs, uint32_t i);
uint16_t ext4_crc16_desc(const struct ext4_fs *fs, uint32_t g,
			 const uint8_t *raw);

/* alloc.c: block and inode allocation under a journal handle (the fs
 * must be mounted with EXT4_MOUNT_WRITE).  All return 0 or -errno
 * (-ENOSPC, -EUCLEAN for inconsistent bitmaps/counts, the journal's
 * errors).  Each call dirties at most 2 blocks per group it changes
 * (bitmap and descriptor block): credits accordingly. */
struct journal_handle;
/* Metadata block @blk read and taken for writing under @h; ERR_PTR. */
struct buffer *ext4_bread_write(struct journal_handle *h, struct ext4_fs *fs,
				uint64_t blk);
/* New metadata block @blk under @h, zeroed and up to date (its old
 * contents are not read); ERR_PTR. */
struct buffer *ext4_bget_new(struct journal_handle *h, struct ext4_fs *fs,
			     uint64_t blk);
/* Up to *count contiguous blocks at or after @goal (else elsewhere):
 * *out the first, *count how many (>= 1). */
int ext4_new_blocks(struct journal_handle *h, struct ext4_fs *fs,
		    uint64_t goal, uint32_t *count, uint64_t *out);
int ext4_free_blocks(struct journal_handle *h, struct ext4_fs *fs,
		     uint64_t start, uint32_t count);
/* Forget the blocks waiting for a commit (unmount, after the journal is
 * gone). */
void ext4_pending_free_release(struct ext4_fs *fs);
/* A free inode number for a child of @parent (marked in use, counted;
 * the caller writes the inode). */
int ext4_new_inode_nr(struct journal_handle *h, struct ext4_fs *fs,
		      uint32_t parent, bool dir, uint32_t *out);
int ext4_free_inode_nr(struct journal_handle *h, struct ext4_fs *fs,
		       uint32_t ino, bool dir);
uint64_t ext4_gd_block_bitmap(const struct ext4_fs *fs, uint32_t g);
uint64_t ext4_gd_inode_bitmap(const struct ext4_fs *fs, uint32_t g);
uint16_t ext4_desc_checksum(const struct ext4_fs *fs, uint32_t g,
			    const uint8_t *raw);
uint64_t ext4_free_blocks_total(const struct ext4_fs *fs);
uint32_t ext4_free_inodes_total(const struct ext4_fs *fs);

/* inode.c: the metadata_csum checksum of raw inode @raw (16 bits
 * without the high half). */
uint32_t ext4_inode_csum(const struct ext4_fs *fs, uint32_t ino,
			 const uint8_t *raw, uint16_t extra_isize);

/* inode_write.c (write path, step 3 so far): new inodes, writing an
 * inode back under a handle (1 credit), and in-inode extents. */
/* Fill @in as a new inode @ino (raw allocated, zeroed; extents root for
 * files, directories and symlinks when the extents feature is on). */
int ext4_inode_init_new(struct ext4_fs *fs, struct ext4_inode *in,
			uint32_t ino, uint16_t mode, uint32_t uid,
			uint32_t gid, struct ext4_time now);
/* Encode @in's fields into in->raw (i_block and xattrs kept), set the
 * checksum and write it to the inode table under @h.  -EFBIG for an
 * i_blocks the file system cannot hold.  While in->links is 0 the
 * on-disk i_dtime is kept (it links the orphan list, which ext4/orphan.c
 * changes on disk, so a caller's older copy must not undo it). */
int ext4_inode_write(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in);
/* The same, writing in->raw's i_dtime as it is (ext4/orphan.c). */
int ext4_inode_write_dtime(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in);
/* Map @len blocks at logical @lblk to physical @pblk in @in's extent
 * root (in the inode), after its last extent: merged with it when
 * adjacent, else a new entry; i_blocks counts them.  -EINVAL (not after
 * the last extent, or not an extent inode), -ENOSPC (the root is full:
 * growing the tree is not implemented yet).  The caller writes the
 * inode. */
int ext4_extent_append(struct ext4_fs *fs, struct ext4_inode *in,
		       uint32_t lblk, uint64_t pblk, uint32_t len);

/* namei.c: names in directories under a handle (linear ones here,
 * indexed ones through htree.c; inline directories: -EOPNOTSUPP so
 * far). */
/* Add entry @name -> @ino (type from @mode) to @dir; -EEXIST, -ENOTDIR,
 * -ENAMETOOLONG, -ENOSPC.  Writes @dir's inode if it grew. */
int ext4_dir_add_entry(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir, const char *name, unsigned len,
		       uint32_t ino, uint16_t mode);
/* Create @name in @dir: a new inode of @mode (a directory gets its "."
 * and ".." block and raises @dir's link count), written, linked, @dir's
 * times set and @dir written.  *out the new inode (ext4_inode_put). */
int ext4_create(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *dir, const char *name, unsigned len,
		uint16_t mode, uint32_t uid, uint32_t gid, uint32_t rdev,
		struct ext4_time now, struct ext4_inode *out);

/* ext4_extent_append for trees of any depth: when the leaf (or the
 * in-inode root) is full a new leaf is chained in under the lowest index
 * node with room, the root growing a level when none has; extent blocks
 * are journalled under @h with their checksums; i_blocks counts them. */
int ext4_extent_add(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, uint32_t lblk, uint64_t pblk,
		    uint32_t len);
/* An extent tree of depth 1 whose one leaf fits in the inode goes back
 * into the inode (the leaf's extents copied to the root, the leaf block
 * revoked and freed; e2fsck calls the other shape "could be shorter").
 * Needs 3 credits (skipped with fewer); the caller writes the inode. */
int ext4_ext_collapse(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in);
/* Set regular file @in's size: growing leaves a hole; shrinking frees
 * the blocks past the end (extent trees of any depth: emptied leaves and
 * index nodes are revoked and freed; block maps: emptied pointer blocks
 * too) and zeroes the rest of the last block; times set, inode
 * written.  -EINVAL (not a file), -EFBIG.  Any size: it frees in steps
 * (ext4_ensure_credits), so a crash may leave a part freed (the tree
 * consistent, the old size).  Start the handle with
 * EXT4_CREDITS_TRUNCATE. */
int ext4_truncate(struct journal_handle *h, struct ext4_fs *fs,
		  struct ext4_inode *in, uint64_t size, struct ext4_time now);
/* Free every block of @in (data, extent tree nodes: revoked), leaving
 * an empty extent root, size 0 and i_blocks 0 but for the xattr block,
 * which stays (the caller writes the inode).  Works in steps like
 * ext4_truncate.  Extent trees and block maps. */
int ext4_free_inode_blocks(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in);
/* Does @in's i_block hold a block map (not extents, inline data, a fast
 * symlink's target or a device number)? */
bool ext4_has_block_map(const struct ext4_fs *fs, const struct ext4_inode *in);
/* Long operations (truncate, freeing an inode, fallocate) work in steps
 * of at most @need credits: before each, the handle gets them by
 * journal_extend or, when its transaction is full, by writing @in (if
 * not NULL) and journal_restart, so every step's changes commit whole.
 * A restart lets what the handle changed before commit on its own: give
 * such operations a handle of their own (or one whose earlier changes
 * may commit separately). */
int ext4_ensure_credits(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *in, int need);
/* Extent tree nodes (inode_write.c, used by extents_write.c too). */
void ext4_ext_node_csum_set(const struct ext4_fs *fs,
			    const struct ext4_inode *in,
			    struct ext4_extent_header *eh);
int ext4_ext_node_new(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in, uint64_t goal, unsigned depth,
		      struct buffer **bp, uint64_t *blk);
int ext4_ext_grow_root(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *in, uint64_t goal);
/* A hard link @name in @dir to @in (not a directory: -EPERM; -EMLINK). */
int ext4_link(struct journal_handle *h, struct ext4_fs *fs,
	      struct ext4_inode *dir, const char *name, unsigned len,
	      struct ext4_inode *in, struct ext4_time now);
/* A symlink @name -> @target: fast (in i_block) below 60 bytes, else one
 * data block written before the metadata commits.  *out as ext4_create. */
int ext4_symlink(struct journal_handle *h, struct ext4_fs *fs,
		 struct ext4_inode *dir, const char *name, unsigned len,
		 const char *target, unsigned tlen, uint32_t uid,
		 uint32_t gid, struct ext4_time now, struct ext4_inode *out);
/* Rename @oname in @odir to @nname in @ndir (the same inode when one
 * directory: @odir == @ndir by number; pass the same struct then),
 * replacing a target as rename(2) does (-ENOTDIR, -EISDIR, -ENOTEMPTY),
 * a directory moved into its own subtree: -EINVAL; a moved directory's
 * ".." and both link counts follow.  The caller passes the inodes:
 * @src the one @oname names, @tgt the one @nname names or NULL if none
 * (-ENOENT when a name is absent, -EUCLEAN when it names another inode).
 * Their link counts and times change in the caller's structs, which are
 * written; a replaced inode whose count reaches 0 is put on the orphan
 * list, not freed: the caller frees it with ext4_inode_free once unused. */
int ext4_rename(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *odir, const char *oname, unsigned olen,
		struct ext4_inode *ndir, const char *nname, unsigned nlen,
		struct ext4_inode *src, struct ext4_inode *tgt,
		struct ext4_time now);
/* renameat2(RENAME_EXCHANGE): entry @aname of @adir (naming @a) and
 * @bname of @bdir (naming @b) swap inodes; moved directories' ".." and
 * the link counts follow.  -ENOENT (an entry does not name the inode
 * given), -EINVAL (a directory would go below itself). */
int ext4_rename_exchange(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *adir, const char *aname,
			 unsigned alen, struct ext4_inode *a,
			 struct ext4_inode *bdir, const char *bname,
			 unsigned blen, struct ext4_inode *b,
			 struct ext4_time now);
/* Remove @name, which must name @victim, from @dir (-ENOENT if absent,
 * -EUCLEAN if it names another inode).  ext4_unlink: not a directory
 * (-EISDIR); ext4_rmdir: an empty directory (-ENOTDIR, -ENOTEMPTY), @dir's
 * count drops.  @victim's link count drops in the caller's struct (a
 * directory's to 0), ctime set, written; at 0 it goes on the orphan list
 * and stays allocated until the caller's ext4_inode_free.  Both set
 * @dir's times to @now and write it. */
int ext4_unlink(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *dir, const char *name, unsigned len,
		struct ext4_inode *victim, struct ext4_time now);
int ext4_rmdir(struct journal_handle *h, struct ext4_fs *fs,
	       struct ext4_inode *dir, const char *name, unsigned len,
	       struct ext4_inode *victim, struct ext4_time now);

/* orphan.c: the orphan list (layout "The Super Block", s_last_orphan;
 * each orphan's i_dtime holds the next one's number). */
/* Put @in (links 0, the caller's struct) at the head of the list: its
 * i_dtime links to the old head, the inode and the superblock are
 * written under @h (2 credits). */
int ext4_orphan_add(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in);
/* Take inode @ino off the list if it is on it (the superblock or its
 * predecessor's link changes on disk; 3 credits).  0 or -errno. */
int ext4_orphan_del(struct journal_handle *h, struct ext4_fs *fs,
		    uint32_t ino);
/* Free an unused inode whose link count is 0 (the caller's struct @in):
 * its blocks (in steps: the handle may be extended or restarted, see
 * ext4_ensure_credits; the inode stays on the orphan list until the last
 * step, so a crash leaves it for ext4_orphan_cleanup), its xattr block's
 * reference (the block freed at the last one), then off the orphan list,
 * i_dtime @now, written, its number freed.  -EINVAL if links is not 0.
 * Start the
 * handle with EXT4_CREDITS_FREE_INODE. */
int ext4_inode_free(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, struct ext4_time now);
/* At a read-write mount after journal replay: free every inode on the
 * orphan list (as Linux does; an inode still linked is only taken off
 * the list, its blocks past i_size freed).  0 or the first error (the
 * list then keeps the rest; logged). */
int ext4_orphan_cleanup(struct ext4_fs *fs);

/*
 * Journal credits for the operations the VFS glue calls: start the
 * handle with at least these (several operations in one handle: their
 * sum).  (dir_unindex of an htree whose index cannot be used costs one
 * more credit per inner index block.)
 */
#define EXT4_CREDITS_INODE_WRITE 1      /* ext4_inode_write */
/* ext4_dir_add_entry, linear or htree (see htree.c below): the leaf, the
 * root and up to 2 inner nodes on the path; up to 4 new blocks (the
 * split-off leaf, one node per index level split, the root's growth),
 * each with its bitmap and descriptor, mapped by ext4_map_blocks_create
 * past the end (the mappings share one extent-tree path, and at most one
 * of them splits nodes, since a split leaves room: one insertion's
 * worth, per level a split's new node, its bitmap and descriptor, the
 * node and its parent; the leaf); the directory inode.  A linear add:
 * one block, or a new one. */
#define EXT4_CREDITS_DIR_ADD (4 + 4 * 3 + 5 * (EXT4_EXT_MAX_DEPTH + 1) + 2 + 1)
#define EXT4_CREDITS_CREATE (EXT4_CREDITS_DIR_ADD + 8)
#define EXT4_CREDITS_SYMLINK (EXT4_CREDITS_CREATE + 3)
#define EXT4_CREDITS_LINK (EXT4_CREDITS_DIR_ADD + 2)
/* entry block, victim inode, superblock (orphan), directory inode */
#define EXT4_CREDITS_UNLINK 6
#define EXT4_CREDITS_RMDIR 6
/* new entry (or the target's entry), old entry, ".." block, the three or
 * four inodes, the superblock (a replaced inode becomes an orphan) */
#define EXT4_CREDITS_RENAME (EXT4_CREDITS_DIR_ADD + 10)
/* One step of freeing blocks (truncate, ext4_inode_free, shrink): one
 * extent's blocks (a bitmap and a descriptor per group it spans, at most
 * six groups), EXT4_TRUNC_STEP_DIR_BLOCKS revokes for directories, and
 * for each emptied node a revoke, its bitmap and descriptor and its
 * parent; plus the inode written before a restart. */
#define EXT4_TRUNC_STEP_BLOCKS EXT4_EXT_INIT_MAX_LEN
#define EXT4_TRUNC_STEP_DIR_BLOCKS 16
#define EXT4_CREDITS_TRUNC_STEP                                             \
	(12 + EXT4_TRUNC_STEP_DIR_BLOCKS + 4 * (EXT4_EXT_MAX_DEPTH + 1) + 2)
#define EXT4_CREDITS_TRUNCATE (EXT4_CREDITS_TRUNC_STEP + 2)
/* ext4_inode_free: the steps, then the xattr block (revoke, bitmap,
 * descriptor), the orphan list (superblock, predecessor), the inode, its
 * bitmap and descriptor */
#define EXT4_CREDITS_FREE_INODE (EXT4_CREDITS_TRUNC_STEP + 10)

/* extents_write.c: block mapping with allocation, unwritten extents. */
/*
 * Map logical block @lblk of @in for writing.  Mapped and initialized:
 * *pblk, *len (how many follow contiguously, <= @max), *fresh false.
 * In a hole (before, between or after extents, trees of any depth): up to
 * @max contiguous blocks are allocated near the previous extent's
 * physical end (not reaching the next extent), inserted in sorted place
 * (merged with an adjacent neighbour; leaves split, the tree grows),
 * i_blocks counted, *fresh true.  In an unwritten extent: the mapped part
 * (<= @max) becomes initialized (the extent split in up to three), *fresh
 * true.  Fresh blocks hold garbage: the caller writes all of them before
 * the handle's transaction commits (ordered mode), and writes the inode.
 * Block-mapped files (ext2/ext3 layout): the same, allocating pointer
 * blocks as needed (ext4/indirect.c); inline data and fast symlinks
 * -EOPNOTSUPP.  Each call needs
 * EXT4_CREDITS_MAP_CREATE credits.  -EINVAL (@max 0), -ENOSPC,
 * -EUCLEAN, -EIO.
 */
int ext4_map_blocks_create(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in, uint32_t lblk, uint32_t max,
			   uint64_t *pblk, uint32_t *len, bool *fresh);
/* fallocate(2) mode 0 for blocks [@lblk, @lblk + @count) of regular file
 * @in: every hole becomes unwritten extents (reading as zeros), mapped
 * blocks stay; the size stays; the inode is written.  Works in steps
 * (ext4_ensure_credits; start with EXT4_CREDITS_FALLOCATE); on -ENOSPC
 * what was allocated stays.  -EINVAL (not a file, @count 0), -EFBIG,
 * -EOPNOTSUPP (block-mapped). */
int ext4_fallocate(struct journal_handle *h, struct ext4_fs *fs,
		   struct ext4_inode *in, uint32_t lblk, uint32_t count);
/* Credits of one ext4_map_blocks_create on a tree of depth d (distinct
 * blocks: a credit is spent once per block and transaction).  An
 * insertion splits each full node on its path at most once and grows the
 * root at most once: at most d + 1 new nodes, the d nodes of the path
 * changed (index keys too), bitmaps and descriptors of at most two
 * groups: 2d + 5.  Allocating a hole is one insertion plus the data's
 * bitmap and descriptor (2d + 7); converting part of an unwritten extent
 * two insertions, the second on a tree one deeper (4d + 12).  With a
 * margin: 4d + 17, for the deepest tree 37.  Block maps need fewer
 * (three pointer blocks, their parents, two bitmaps and descriptors). */
#define EXT4_CREDITS_MAP_CREATE_DEPTH(d) (4 * (d) + 17)
#define EXT4_CREDITS_MAP_CREATE EXT4_CREDITS_MAP_CREATE_DEPTH(EXT4_EXT_MAX_DEPTH)
#define EXT4_CREDITS_FALLOCATE (EXT4_CREDITS_MAP_CREATE + 2)

/* indirect.c: block maps (ext2/ext3 layout), write side.
 * ext4_map_blocks_create for block-mapped inodes: missing pointer blocks
 * are allocated (zeroed, journalled), a new data run stays within one
 * pointer block. */
int ext4_ind_map_create(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *in, uint32_t lblk, uint32_t max,
			uint64_t *pblk, uint32_t *len, bool *fresh);
/* Free every block mapped from logical block @first on and the pointer
 * blocks left empty, in steps (ext4_ensure_credits); i_block changes in
 * in->raw (the caller writes the inode). */
int ext4_ind_shrink(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, uint64_t first);

/* dir.c, for htree.c: logical block @lblk of @dir read and checked
 * (leaf tail or dx node checksum); *end where its entries stop.  A
 * hole: -EUCLEAN. */
int ext4_dir_block_get(struct ext4_fs *fs, struct ext4_inode *dir,
		       uint64_t lblk, struct buffer **out, uint32_t *end);
/* Is @blk (block @lblk of indexed @dir) an htree node? */
bool ext4_dx_is_node(struct ext4_fs *fs, struct ext4_inode *dir,
		     uint64_t lblk, const uint8_t *blk);
/* The entries of a dx node whose count/limit is at @count_off (32 in the
 * root, 8 in an inner node), limit and count checked: 0 or -EUCLEAN. */
int ext4_dx_entries(struct ext4_fs *fs, struct ext4_inode *dir,
		    const uint8_t *blk, uint32_t count_off,
		    const struct ext4_dx_entry **ents, unsigned *count);
/* Index of the last entry whose hash is <= @hash (entry 0 covers 0). */
unsigned ext4_dx_find(const struct ext4_dx_entry *e, unsigned count,
		      uint32_t hash);

/* namei.c, for htree.c: directory entry helpers. */
/* Bytes an entry with a name of @len takes (header + name, 4-aligned). */
uint32_t ext4_dirent_size(unsigned len);
/* Where entries end in a leaf block (before the checksum tail). */
uint32_t ext4_dirent_end(const struct ext4_fs *fs);
/* Write the checksum tail of leaf block @blk (metadata_csum only). */
void ext4_dirent_set_tail(const struct ext4_fs *fs,
			  const struct ext4_inode *dir, uint8_t *blk);
/* Put entry @name -> @ino (file type from @mode) at @at. */
void ext4_dirent_put(const struct ext4_fs *fs, uint8_t *at, uint32_t ino,
		     const char *name, unsigned len, uint16_t mode,
		     uint32_t rec_len);
/* Place the entry in the first gap of leaf @blk big enough; false if
 * none is. */
bool ext4_dirent_place(const struct ext4_fs *fs, uint8_t *blk, uint32_t ino,
		       const char *name, unsigned len, uint16_t mode);
/* Append a block to @dir (allocated near its last one, mapped, size
 * grown, inode written): *lblk its logical number, *out its buffer,
 * an empty leaf (one unused entry, tail) already dirty under @h, for
 * the caller to fill and dirty again (buffer_put by the caller). */
int ext4_dir_append_block(struct journal_handle *h, struct ext4_fs *fs,
			  struct ext4_inode *dir, uint64_t *lblk,
			  struct buffer **out);

/*
 * htree.c: names in indexed directories (layout "Hash Tree
 * Directories").  Directories are indexed at their growth from one
 * block to two (ext4_dx_make_indexed); an indexed directory's entries
 * are added through the index (leaf and node splits, the root growing
 * a level) and removed from their leaf only (leaves are not merged).
 * Credits: one ext4_dir_add_entry (linear, conversion or htree) dirties
 * at most EXT4_CREDITS_DIR_ADD distinct blocks (above).
 */
/* Add @name -> @ino to indexed @dir.  0, -ENOSPC (the index is full at
 * its maximum depth, or no block is free), -EUCLEAN, -EIO; -EOPNOTSUPP
 * when the index cannot be used as it is (an unknown hash version): the
 * caller may then make the directory linear. */
int ext4_dx_add_entry(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *dir, const char *name, unsigned len,
		      uint32_t ino, uint16_t mode);
/* Index linear one-block @dir whose block is full, then add @name: the
 * root goes in block 0 (after "." and ".."), the entries into two leaves
 * split by hash.  -EOPNOTSUPP when @dir cannot be indexed (no dir_index
 * feature, a hash version we lack, block 0 not starting with "." and
 * ".."): it stays linear, nothing changed. */
int ext4_dx_make_indexed(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *dir, const char *name,
			 unsigned len, uint32_t ino, uint16_t mode);
/* Call @fn for each leaf block of indexed @dir that may hold @name, in
 * order, until it returns non-zero (returned); 0 when none did.
 * -EOPNOTSUPP as ext4_dx_add_entry. */
int ext4_dx_leaf_walk(struct ext4_fs *fs, struct ext4_inode *dir,
		      const char *name, unsigned len,
		      int (*fn)(void *ctx, uint64_t lblk), void *ctx);
/* Point indexed @dir's ".." (in the root block) at @ino, type from
 * @mode; *old its previous inode. */
int ext4_dx_set_dotdot(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir, uint32_t ino, uint16_t mode,
		       uint32_t *old);

/* extents.c */
/* Check an extent node's header (@room bytes, @depth expected or -1)
 * and an extent block's checksum tail: 0 or -EUCLEAN. */
int ext4_ext_check_header(struct ext4_fs *fs, struct ext4_inode *inode,
			  const struct ext4_extent_header *eh, size_t room,
			  int depth);
int ext4_ext_check_block_csum(struct ext4_fs *fs, struct ext4_inode *inode,
			      const struct ext4_extent_header *eh,
			      uint64_t blk);
int ext4_extent_map(struct ext4_fs *fs, struct ext4_inode *inode,
		    uint32_t lblk, uint64_t *pblk, uint64_t *contig);
int ext4_indirect_map(struct ext4_fs *fs, struct ext4_inode *inode,
		      uint32_t lblk, uint64_t *pblk, uint64_t *contig);

/* xattr.c: the in-inode "system.data" value of an inline-data inode. */
long ext4_inline_data_read(struct ext4_fs *fs, struct ext4_inode *inode,
			   uint64_t off, void *buf, size_t len);
/* Bytes of inline data (60 + system.data), or -errno. */
long ext4_inline_size(struct ext4_fs *fs, struct ext4_inode *inode);


#endif
