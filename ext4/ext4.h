/*
 * ext4 (and ext2/ext3) read path: the public API of ext4/.
 *
 * Model: ext4_mount() reads and validates the superblock and the group
 * descriptors of a block device and returns a struct ext4_fs; every
 * other call reads metadata through the buffer cache (block/buffer.h),
 * verifying metadata_csum checksums and bounds-checking every on-disk
 * offset, length and depth.  Inodes are read into struct ext4_inode
 * (a decoded copy plus the raw bytes for in-inode xattrs), released with
 * ext4_inode_put().  File data is read straight from the device.
 *
 * Errors: corrupted metadata gives -EUCLEAN (bad checksum or structure)
 * and a failed read -EIO; the first such error of a file system is
 * logged (ext4_fs.errors counts them all).  Nothing on disk can make
 * these functions crash or loop without bound.
 *
 * Locking: a read-only ext4_fs is immutable after mount, so calls need
 * no lock of their own; the buffer cache serializes I/O.  The write path
 * (EXT4_MOUNT_WRITE, ext4/internal.h: allocation, inodes, names; used by
 * host tests until the VFS glue mounts read-write) changes metadata only
 * under journal handles; its callers serialize changes to a directory or
 * an inode themselves, allocation has its own lock (ext4/alloc.c).
 * The library is built for the kernel and, with -DHOST_TEST, for host
 * tests and the fuzzer.
 */
#ifndef EXT4_EXT4_H
#define EXT4_EXT4_H

#include "include/types.h"

struct block_device;
struct ext4_fs;

#define EXT4_ROOT_INO 2
#define EXT4_NAME_LEN 255

struct ext4_time {
	int64_t sec;
	uint32_t nsec;
};

/* An inode, decoded.  raw holds the on-disk bytes (inode_size). */
struct ext4_inode {
	uint32_t ino;
	uint16_t mode;          /* S_IF* | permissions */
	uint32_t uid, gid;
	uint32_t links;
	uint64_t size;
	uint64_t blocks;        /* in 512-byte units (st_blocks) */
	uint32_t flags;         /* EXT4_*_FL */
	uint32_t generation;
	uint64_t file_acl;      /* xattr block, 0: none */
	uint32_t rdev;          /* device files: Linux's new encoding */
	struct ext4_time atime, mtime, ctime, crtime;
	uint32_t csum_seed;     /* per-inode checksum seed (metadata_csum) */
	uint8_t *raw;           /* inode_size bytes, kmalloc'ed */
	uint16_t extra_isize;   /* validated */
};

/* Mount flags. */
#define EXT4_MOUNT_RDONLY 0x1
/* Library read-write (the write path, under construction): the journal
 * is loaded and ext4/internal.h's write functions may be used.  Host
 * tests only until the VFS glue allows rw mounts. */
#define EXT4_MOUNT_WRITE 0x2

struct ext4_statfs {
	uint32_t block_size;
	uint64_t blocks, free_blocks, avail_blocks;
	uint64_t inodes, free_inodes;
	uint8_t uuid[16];
	uint32_t name_max;
};

/* Mount @bdev: 0 and *out, or -EINVAL (not ext2/3/4, or an INCOMPAT
 * feature we lack), -EUCLEAN (bad superblock/descriptor checksum or
 * geometry), -EIO, -ENOMEM; with EXT4_MOUNT_WRITE also -EROFS (read-only
 * device, features we cannot write), -EOPNOTSUPP (no journal). */
int ext4_mount(struct block_device *bdev, unsigned flags,
	       struct ext4_fs **out);
void ext4_unmount(struct ext4_fs *fs);
/* Unmount a read-write mount: commit and checkpoint the journal, write
 * the superblock (free counts, needs_recovery cleared), flush.  0 or the
 * first error (the superblock then keeps needs_recovery). */
int ext4_unmount_rw(struct ext4_fs *fs);
/* Switch a mounted file system to read-write (checks as a read-write
 * mount, loads the journal) or back to read-only (commits, checkpoints
 * and closes the journal, clears needs_recovery).  0 or -errno (the
 * mount stays as it was: -EROFS, -EOPNOTSUPP, the journal's errors). */
int ext4_remount_rw(struct ext4_fs *fs);
int ext4_remount_ro(struct ext4_fs *fs);
/* "ext2", "ext3" or "ext4": the name the feature set corresponds to. */
const char *ext4_fs_kind(const struct ext4_fs *fs);
uint32_t ext4_block_size(const struct ext4_fs *fs);
/* Metadata errors seen since mount (each logged once at most). */
unsigned long ext4_error_count(const struct ext4_fs *fs);
void ext4_statfs(struct ext4_fs *fs, struct ext4_statfs *st);
/* Free blocks a writer may take: all of them when @privileged, else
 * those beyond the reserved ones (statfs's avail).  No group walk. */
uint64_t ext4_blocks_available(struct ext4_fs *fs, bool privileged);

/* Read inode @ino into @out (out->raw allocated).  -EUCLEAN for a bad
 * number, checksum or field, -EIO, -ENOMEM.  ext4_inode_put frees. */
int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *out);
void ext4_inode_put(struct ext4_inode *inode);

/* Physical block of logical block @lblk of @inode, 0 for a hole (or an
 * unwritten extent); *contig gets how many blocks follow contiguously
 * (>= 1, for a hole the length of the hole up to a cap).  0 or -errno. */
int ext4_map_block(struct ext4_fs *fs, struct ext4_inode *inode,
		   uint64_t lblk, uint64_t *pblk, uint64_t *contig);
/* Read up to @len bytes of a regular file or a symlink's data at @off
 * (holes and past-EOF bytes as zeros up to the size); bytes or -errno. */
long ext4_file_read(struct ext4_fs *fs, struct ext4_inode *inode,
		    uint64_t off, void *buf, size_t len);
/* The target of symlink @inode (fast, slow or inline); length or -errno;
 * -ERANGE if it does not fit @len bytes.  Not NUL-terminated. */
long ext4_readlink(struct ext4_fs *fs, struct ext4_inode *inode, char *buf,
		   size_t len);

/*
 * Directory listing from position *pos (0: start); @actor is called for
 * each entry ("." and ".." included) with its position and that of the
 * entry after it; returning non-zero stops the walk with *pos at that
 * entry.  Positions are byte offsets in the directory (stable cookies);
 * resuming from any value between an entry's position and the next
 * (e.g. position + 1, getdents' d_off) continues with the next entry.
 */
typedef int (*ext4_dir_actor)(void *ctx, const char *name, unsigned len,
			      uint32_t ino, unsigned dtype, uint64_t pos,
			      uint64_t next);
int ext4_dir_iterate(struct ext4_fs *fs, struct ext4_inode *dir,
		     uint64_t *pos, ext4_dir_actor actor, void *ctx);
/* Inode number of @name in @dir: 0, -ENOENT, -ENOTDIR, -EUCLEAN, -EIO. */
int ext4_dir_lookup(struct ext4_fs *fs, struct ext4_inode *dir,
		    const char *name, unsigned len, uint32_t *ino);

/* Extended attributes: the full name ("user.foo").  Value length or
 * -ENODATA, -ERANGE when @size (non-zero) is too small. */
long ext4_xattr_get(struct ext4_fs *fs, struct ext4_inode *inode,
		    const char *name, void *buf, size_t size);
/* NUL-separated names; @size 0 asks for the length.  -ERANGE. */
long ext4_xattr_list(struct ext4_fs *fs, struct ext4_inode *inode,
		     char *buf, size_t size);

/* Register the "ext4", "ext3" and "ext2" file system types (kernel). */
void ext4_init(void);

/* htree name hash (exposed for tests): version 0..5 (legacy, half_md4,
 * tea, and their unsigned variants), seed of 4 words or NULL. */
void ext4_dx_hash(const char *name, unsigned len, unsigned version,
		  const uint32_t seed[4], uint32_t *hash, uint32_t *minor);

#endif
