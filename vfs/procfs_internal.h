/*
 * procfs and sysfs: shared by vfs/procfs_*.c and vfs/sysfs.c.
 *
 * Model: every directory and file is described by a static struct
 * proc_entry; an inode is created for it on lookup (its fs_private is a
 * struct proc_inode naming the entry and, below /proc/<pid>, the pid, tid
 * and fd it is about).  Lookups are cached in the dentry tree like any
 * file system's; ->revalidate drops the ones whose process or descriptor
 * is gone, so /proc/<pid> disappears with the process.
 *
 * Regular files are generated text: the first read (at offset 0, so an
 * lseek back to 0 refreshes it, as with Linux's seq_file) formats the
 * whole file into a buffer owned by the open file; reads copy from it.
 *
 * Locking: lookups, ->get_link and ->revalidate run under vfs_lock (they
 * must not sleep on anything that takes it: process snapshots with
 * references are taken only in ->read, which runs without it).  A file's
 * text buffer is protected by its struct proc_file.lock.
 */
#ifndef VFS_PROCFS_INTERNAL_H
#define VFS_PROCFS_INTERNAL_H

#include "vfs/internal.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

/* A growing text buffer that files are formatted into. */
struct proc_buf {
	char *data;
	size_t len, cap;
	bool failed;                    /* out of memory: read gives ENOMEM */
};
void proc_printf(struct proc_buf *b, const char *fmt, ...) __printf(2, 3);
void proc_write(struct proc_buf *b, const void *data, size_t len);

struct proc_inode;
struct proc_dir;

/* One name in a directory. */
struct proc_entry {
	const char *name;
	unsigned mode;                  /* S_IFREG | 0444, S_IFDIR | 0555, ... */
	/* Regular files: format the contents (0 or -errno). */
	int (*show)(struct proc_buf *b, const struct proc_inode *pi);
	/* Writable files: the whole write at once (NUL-terminated at @len);
	 * the bytes used, or -errno. */
	long (*store)(const struct proc_inode *pi, const char *buf, size_t len);
	/* Symlinks: the target into @buf (vfs_lock held); 0 or -errno. */
	int (*link)(const struct proc_inode *pi, char *buf, size_t size);
	/* Magic symlinks: the object's path, pinned until vfs_unlock
	 * (vfs_lock held); 0 or -errno.  readlink still uses @link. */
	int (*jump)(const struct proc_inode *pi, struct path *out);
	/* Directories. */
	const struct proc_dir *dir;
};

/* A directory: static entries plus optional generated ones (pids, fds). */
struct proc_dir {
	const struct proc_entry *entries;
	size_t count;
	/* Generated names: the entry for @name (filling @pi's pid/tid/fd),
	 * or NULL. */
	const struct proc_entry *(*lookup)(const struct proc_inode *dir,
					   const char *name, size_t len,
					   struct proc_inode *pi);
	/* Emit generated names from position @ctx->pos (>= PROC_DYN_POS). */
	int (*iterate)(const struct proc_inode *dir, struct dir_context *ctx);
};

/* getdents positions: 0 ".", 1 "..", 2.. static entries, then generated
 * ones at PROC_DYN_POS + their number (pid, tid, fd). */
#define PROC_DYN_POS 0x1000

struct proc_inode {
	const struct proc_entry *entry;  /* [I] */
	int pid, tid;                   /* [I] 0 outside /proc/<pid> */
	int fd;                         /* [I] /proc/<pid>/fd/<fd>, else -1 */
	uint32_t obj;                   /* [I] sysfs: the object below this
					 * point (block device: major << 20 |
					 * minor), inherited by children */
};

/* A new inode for @entry with @pi's context (vfs_lock held). */
struct inode *proc_inode_new(struct super_block *sb,
			     const struct proc_entry *entry,
			     const struct proc_inode *pi);
const struct proc_inode *proc_inode_of(const struct inode *inode);
/* A super block whose root directory is @root. */
struct super_block *proc_sb_new(const struct fs_type *type,
				const struct proc_entry *root, uint64_t magic);
/* Parse one int as Linux's proc_dointvec writes do: white space around
 * it, optional '-', decimal, 0x hex or 0 octal.  The bytes used, or
 * -EINVAL (nothing there, junk after it, or out of int range). */
long proc_parse_int(const char *buf, size_t len, int *out);
/* A decimal id (pid, tid, fd) as a directory name, or -1. */
int proc_parse_id(const char *name, size_t len);
/* Emit one generated directory entry at position @pos. */
bool proc_emit(struct dir_context *ctx, uint64_t pos, const char *name,
	       unsigned mode);

/* The trees. */
extern const struct proc_entry proc_root_entry;  /* procfs_root.c */
extern const struct proc_dir proc_sys_dir;       /* procfs_sys.c */
extern struct proc_dir proc_net_dir;             /* procfs_net.c */
extern const struct fs_type sysfs_type;          /* sysfs.c */
extern const struct proc_dir sysfs_block_dir;    /* sysfs_block.c */

/* procfs_global.c: files at the top of /proc. */
int proc_show_meminfo(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_cpuinfo(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_uptime(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_loadavg(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_stat(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_filesystems(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_version(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_cmdline(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_mounts(struct proc_buf *b, const struct proc_inode *pi);
int proc_show_mountinfo(struct proc_buf *b, const struct proc_inode *pi);
/* The mount id of @m as mountinfo and fdinfo show it (vfs_lock held). */
int proc_mount_id(struct mount *m);

/* procfs_pid.c: the /proc/<pid> directory (also used by task/<tid>). */
const struct proc_entry *proc_pid_entry(void);
const struct proc_entry *proc_tid_entry(void);
/* Text of /proc/<pid>/stat for a snapshot (also the ktest's check). */
struct process_info;
void proc_format_stat(struct proc_buf *b, const struct process_info *info,
		      uint64_t vsize, uint64_t rss_pages);

#endif
