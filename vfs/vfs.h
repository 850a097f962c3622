/*
 * Virtual file system: public API.
 *
 * Model (Linux's): an inode is a file's metadata and contents; a dentry is
 * a name in a directory that refers to an inode (the dentry tree is the
 * namespace of one file system, cached in memory; in-memory file systems
 * such as tmpfs keep their whole tree there); a mount attaches the root
 * dentry of a super block at a dentry of another mount; a struct path is a
 * (mount, dentry) pair; a struct file is an open file description shared
 * by every descriptor dup'ed or inherited from one open().
 *
 * Locking (see vfs/internal.h for the details):
 *   vfs_lock   one sleeping mutex for the namespace: dentry tree, dentry
 *              and inode reference counts, mounts, inode mode/owner/nlink.
 *              Path walks and directory operations hold it throughout.
 *   inode->data_lock  contents, size, times, blocks of one inode.
 *   file->pos_lock    the offset of regular files and directories.
 * Order: vfs_lock -> data_lock -> pipe locks.  Blocking waits (pipes,
 * devices) never hold vfs_lock.  Copies to and from user memory may fault
 * into mm/ (mm->lock, then page-cache locks), so mm/ never takes these
 * locks while it holds its own (see mm/internal.h).
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include "include/compiler.h"
#include "include/list.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "mm/mm.h"

struct file;
struct fdtable;
struct fs_struct;
struct inode;
struct dentry;
struct mount;
struct super_block;
struct poll_table;
struct wait_queue;
struct pipe;
struct page_cache;
struct file_lock_context;

#define NAME_MAX 255            /* bytes in a file name */
#define PATH_MAX 4096           /* bytes in a path, including the NUL */
#define MAXSYMLINKS 40          /* symlinks followed in one lookup */

/* open(2) flags (x86_64 values). */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define O_ASYNC 00020000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define O_SYNC 04010000
#define O_PATH 010000000
#define O_TMPFILE 020200000

/* File types and permission bits (stat(2) st_mode). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IRWXUGO 0777
#define S_IALLUGO 07777
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

/* *at() flags. */
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_STATX_SYNC_TYPE 0x6000

/* Permission requests (inode_permission). */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

/* Device numbers: the kernel's internal form (12-bit major, 20-bit minor). */
typedef uint32_t kdev_t;
#define MKDEV(ma, mi) (((kdev_t)(ma) << 20) | ((kdev_t)(mi) & 0xfffff))
#define MAJOR(d) ((unsigned)((d) >> 20))
#define MINOR(d) ((unsigned)((d) & 0xfffff))

struct timespec64 {
	int64_t tv_sec;
	long tv_nsec;
};

/*
 * A buffer for read/write: user memory (checked on every copy) or kernel
 * memory, so one file operation serves system calls and kernel callers.
 */
struct iobuf {
	bool user;
	union {
		void *kbuf;
		uaddr_t ubuf;
	};
	size_t len;
};

/* Copy @n bytes from @src to the buffer at @offset: 0 or -EFAULT. */
int iobuf_copy_out(struct iobuf *b, size_t offset, const void *src, size_t n);
/* The same, but stop at the first bad user address: bytes copied, or
 * -EFAULT if none (for read/write's partial transfers). */
long iobuf_copy_out_prefix(struct iobuf *b, size_t offset, const void *src,
			   size_t n);
long iobuf_copy_in_prefix(void *dst, const struct iobuf *b, size_t offset,
			  size_t n);
/* Copy @n bytes from the buffer at @offset to @dst: 0 or -EFAULT. */
int iobuf_copy_in(void *dst, const struct iobuf *b, size_t offset, size_t n);

/* poll(2) events (Linux values). */
#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLWRNORM 0x0100
#define POLLRDBAND 0x0080
#define POLLWRBAND 0x0200
#define POLLMSG 0x0400
#define POLLRDHUP 0x2000
#define POLLFREE 0x4000         /* wakeup key only: the queue goes away */

/* getdents: one call of @emit per entry; it returns false when full. */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     uint64_t ino, unsigned dtype);
	uint64_t pos;           /* the d_off of the next entry */
};

/* d_type values for getdents. */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

/*
 * Operations on an open file.  read/write return bytes or -errno and may
 * sleep (interruptibly: -ERESTARTSYS on a signal).  poll returns the ready
 * events and registers the caller's wait queues with poll_wait().  A NULL
 * operation gives the errno Linux gives (EINVAL, ENOTTY, ...).
 * iterate lists a directory from ctx->pos (getdents).
 */
struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct file *f);
	long (*read)(struct file *f, struct iobuf *buf, uint64_t *pos);
	long (*write)(struct file *f, struct iobuf *buf, uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, uaddr_t arg);
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	long (*llseek)(struct file *f, long offset, int whence);
	int (*iterate)(struct file *f, struct dir_context *ctx);
	int (*fsync)(struct file *f);
	/* mmap(2): 0 to map the page cache of the inode (generic_file_mmap),
	 * VFS_MMAP_ANON to map anonymous memory instead (/dev/zero), or
	 * -errno.  NULL: ENODEV. */
	int (*mmap)(struct file *f);
	/* readv/writev of @n buffers as one transfer at the file offset
	 * (sockets: one datagram).  NULL: one read/write per buffer. */
	long (*read_vec)(struct file *f, struct iobuf *bufs, unsigned n);
	long (*write_vec)(struct file *f, struct iobuf *bufs, unsigned n);
};

#define VFS_MMAP_ANON 1
/* ->mmap of files whose contents live in inode->pages. */
int generic_file_mmap(struct file *f);
/* ->read and ->write through inode->pages for file systems with a
 * backing store: read-ahead, dirty pages written back later (at once for
 * O_SYNC/O_DSYNC and MS_SYNCHRONOUS).  vfs/filemap_rw.c. */
long generic_file_read(struct file *f, struct iobuf *b, uint64_t *pos);
long generic_file_write(struct file *f, struct iobuf *b, uint64_t *pos);

/*
 * How ->poll registers the queues whose wakeups may change its result:
 * poll/select queue an entry of the sleeping thread, epoll a callback
 * entry per watched file.  Wakers should pass the events that became
 * ready (sched_wake_all_key) so that epoll can skip the others.
 */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct file *f,
		      struct wait_queue *wq);
};
/* Register @wq with @pt (no-op if @pt is NULL: a readiness check only). */
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt);
/* The ready events of @f (POLLIN ...), registering its queues with @pt.
 * Files without ->poll are always ready; O_PATH files give POLLNVAL. */
unsigned vfs_poll(struct file *f, struct poll_table *pt);

/* Per-open-file data of a driver, and the open flags (O_*) of @f. */
void *file_private(struct file *f);
void file_set_private(struct file *f, void *data);
unsigned file_flags(struct file *f);

/*
 * Character devices: open of a device node with this major and a minor in
 * [minor_first, minor_first + count) calls @fops->open.
 */
int chrdev_register(unsigned major, unsigned minor_first, unsigned count,
		    const char *name, const struct file_operations *fops);
/* Minor number of the device node @f was opened through. */
unsigned file_device_minor(struct file *f);
/* Create /dev/@name in devtmpfs (mode includes S_IFCHR or S_IFBLK). */
int devtmpfs_create_node(const char *name, unsigned mode, unsigned major,
			 unsigned minor);

/* Bring up the root tmpfs, devtmpfs, procfs; unpack the initramfs
 * (a cpio newc archive, may be NULL) into the root. */
int vfs_init(const void *initramfs, size_t initramfs_len);

/* ---- per-process state ---- */
/* The fs context of the first process: root and cwd at "/", umask 022. */
struct fs_struct *fs_struct_create_root(void);
struct fs_struct *fs_struct_clone(struct fs_struct *fs);
/* Another reference for CLONE_FS. */
struct fs_struct *fs_struct_get(struct fs_struct *fs);
void fs_struct_put(struct fs_struct *fs);

struct fdtable *fdtable_create(void);
/* A copy for fork: same open file descriptions, same flags. */
struct fdtable *fdtable_clone(struct fdtable *t);
/* Another reference for CLONE_FILES. */
struct fdtable *fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* execve: close every descriptor marked FD_CLOEXEC. */
void fdtable_close_on_exec(struct fdtable *t);

/* ---- files for the kernel itself (exec, init's console) ---- */
/* Open @path relative to the current process's cwd and root (or "/" for
 * kernel threads).  Returns the file or ERR_PTR(-errno). */
struct file *file_open_kernel(const char *path, int flags, unsigned mode);
/* Read at @offset into a kernel buffer; bytes read or -errno. */
long file_read_kernel(struct file *f, void *buf, size_t len, uint64_t offset);
void file_put(struct file *f);
struct file *file_get(struct file *f);
/* execve checks: a regular file with execute permission for the caller
 * (-EACCES), not on a noexec mount.  Fills mode/uid/gid for set-id. */
int file_check_exec(struct file *f, unsigned *mode, uint32_t *uid,
		    uint32_t *gid);
/* The path of @f as /proc/self/exe shows it, into @buf. */
int file_path(struct file *f, char *buf, size_t size);
/* The same with " (deleted)" once the name is gone, as /proc/<pid>/maps
 * shows mapped files. */
int file_display_path(struct file *f, char *buf, size_t size);
/* Does a memfd seal forbid new writable shared mappings of @inode
 * (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE)? */
bool memfd_write_sealed(struct inode *inode);
/* Is @f on a noexec mount (mmap with PROT_EXEC: EPERM)? */
bool file_noexec(struct file *f);
/* Install @f at the lowest free descriptor of the current process;
 * returns the descriptor or -EMFILE.  Takes over the caller's reference
 * on success only. */
int fd_install(struct file *f, bool cloexec);

/*
 * Anonymous-inode files (eventfd, timerfd, signalfd, epoll): a new open
 * file with operations @fops and private data @priv on the shared anon
 * inode, shown as "anon_inode:@name" in /proc/<pid>/fd (@name like
 * "[eventfd]").  @flags: O_ACCMODE and O_NONBLOCK (O_CLOEXEC for the fd
 * variant).  ->release of @fops frees @priv; on failure @priv still
 * belongs to the caller.
 */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, unsigned flags);
/* The same, installed at the lowest free descriptor: fd or -errno. */
int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, unsigned flags);

/* ---- the VFS core objects (used by file systems and drivers) ---- */

/* Legend: [I] immutable after creation, [V] vfs_lock, [D] inode data_lock,
 * [P] file pos_lock, [F] file lock, [a] atomic. */

struct inode {
	uint64_t ino;                   /* [I] */
	unsigned mode;                  /* [V] type bits [I] */
	uint32_t uid, gid;              /* [V] */
	unsigned nlink;                 /* [V] */
	kdev_t rdev;                    /* [I] device nodes */
	struct super_block *sb;         /* [I] */
	const struct inode_operations *i_op;    /* [I] */
	const struct file_operations *f_op;     /* [I] */
	int refcount;                   /* [V] dentries, open files, walkers */
	struct mutex data_lock;
	uint64_t size;                  /* [D] */
	uint64_t blocks;                /* [D] 512-byte units allocated */
	struct timespec64 atime, mtime, ctime, btime; /* [D] */
	struct pipe *pipe;              /* [V] FIFO state, from first open */
	/* [I] the contents in memory (mm/mm.h): regular files of
	 * file systems that cache them, else NULL.  Page faults on mappings
	 * read @size without data_lock (inode_size_read). */
	struct page_cache *pages;
	struct file_lock_context *flctx; /* flock/fcntl locks (vfs/locks.c) */
	struct list_node watches;       /* inotify watches (vfs/inotify.c) */
	bool sealable;                  /* [I] a memfd (vfs/memfd.c) */
	unsigned seals;                 /* [D] F_SEAL_* of a memfd */
	void *fs_private;               /* owned by the file system */
};

/* The size for readers that cannot take data_lock (page faults); writers
 * hold data_lock and store it whole. */
static inline uint64_t inode_size_read(const struct inode *inode)
{
	return READ_ONCE(inode->size);
}
/* page_cache_ops.size for caches whose host is an inode. */
uint64_t inode_cache_size(struct page_cache *pc);

struct dentry {
	struct dentry *parent;          /* [V] itself for a root */
	struct inode *inode;            /* [V] NULL while negative */
	struct super_block *sb;         /* [I] */
	struct list_node children;      /* [V] struct dentry.child_node */
	struct list_node child_node;    /* [V] in parent->children, by cookie */
	struct list_node hash_node;     /* [V] dcache hash chain */
	uint64_t cookie;                /* [V] getdents position in parent */
	uint64_t next_cookie;           /* [V] for children of a directory */
	int refcount;                   /* [V] */
	int mounted;                    /* [V] mounts on this dentry */
	bool linked;                    /* [V] in its parent and the hash */
	uint32_t hash;                  /* [V] of name */
	size_t name_len;                /* [V] */
	char *name;                     /* [V] kmalloc'ed, NUL-terminated */
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* Changes for setattr (chmod, chown, truncate, utimensat). */
#define ATTR_MODE 0x1
#define ATTR_UID 0x2
#define ATTR_GID 0x4
#define ATTR_SIZE 0x8
#define ATTR_ATIME 0x10
#define ATTR_MTIME 0x20
#define ATTR_CTIME 0x40
struct iattr {
	unsigned valid;
	unsigned mode;
	uint32_t uid, gid;
	uint64_t size;
	struct timespec64 atime, mtime;
};

/*
 * Directory and inode operations.  The VFS resolves names and keeps the
 * dentry tree; these change the file system.  Each is called with
 * vfs_lock held after the VFS checked permissions and existence.  On
 * success create/mkdir/symlink/mknod attach a new inode to the negative
 * dentry @d (d_instantiate); link attaches @old's inode.  rename only
 * updates the file system: the VFS moves the dentries.  NULL ops give
 * EPERM (or EINVAL for readlink).
 */
struct inode_operations {
	/* Dentry-cache miss: the inode named @name, NULL (no such entry)
	 * or ERR_PTR.  NULL op: the dentry tree is the whole directory. */
	struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
	int (*create)(struct inode *dir, struct dentry *d, unsigned mode,
		      kdev_t rdev);
	int (*mkdir)(struct inode *dir, struct dentry *d, unsigned mode);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* @od moves to the name @nname in @ndir, where @nd (NULL: none) is
	 * the entry it replaces (or exchanges with). */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir,
		      const char *nname, size_t nlen, struct dentry *nd,
		      unsigned flags);
	/* The target of a symlink (valid while vfs_lock is held), or
	 * ERR_PTR (procfs: -ENOENT when the object is gone). */
	const char *(*get_link)(struct inode *inode);
	/* Apply @attr (already permission-checked); ATTR_SIZE resizes. */
	int (*setattr)(struct inode *inode, const struct iattr *attr);
	/* Bring fields that stat reports up to date (tmpfs: blocks, which
	 * page faults change); data_lock held.  NULL: nothing to do. */
	void (*getattr)(struct inode *inode);
	/* Magic links (/proc/<pid>/fd/N): following the link goes straight
	 * to the object it stands for, *@out (pinned until vfs_lock is
	 * released), instead of resolving get_link's text.  0 or -errno. */
	int (*jump_link)(struct inode *inode, struct path *out);
	/* Extended attributes by full name ("user.x"): the value's length
	 * (copied to @buf unless @size is 0), -ENODATA, -ERANGE.  list:
	 * the NUL-separated names the same way.  NULL: no xattr support
	 * (getxattr EOPNOTSUPP, an empty list). */
	long (*getxattr)(struct inode *inode, const char *name, void *buf,
			 size_t size);
	long (*listxattr)(struct inode *inode, char *buf, size_t size);
};

struct statfs_info {
	uint64_t type, bsize, blocks, bfree, bavail, files, ffree, namelen;
	uint64_t flags;
};

struct super_operations {
	/* The last reference to an inode with no links is gone. */
	void (*evict)(struct inode *inode);
	int (*statfs)(struct super_block *sb, struct statfs_info *st);
	void (*kill)(struct super_block *sb);   /* unmounted: free it all */
	/* A cached dentry of this file system is found by a path walk:
	 * false drops it and looks the name up again (procfs: the process
	 * behind /proc/<pid> is gone).  NULL: always valid.  [V] held. */
	bool (*revalidate)(struct dentry *d);
	/* sync(2), syncfs(2), umount, remount read-only: the VFS has written
	 * the dirty pages of every inode back; write the file system's own
	 * metadata, and with @wait make it durable (flush the device).
	 * Called with vfs_lock held (sync walks the mount list under it;
	 * umount syncs a super block it is about to kill), so it must not
	 * take vfs_lock; never on a read-only super block.  NULL: nothing
	 * beyond the pages. */
	int (*sync_fs)(struct super_block *sb, bool wait);
	/* mount -o remount: @flags are the new super-block flags (MS_RDONLY,
	 * MS_SYNCHRONOUS, ...), @data the new options.  0 or -errno (the
	 * remount fails and nothing changes).  [V] held.  NULL: accepted. */
	int (*remount)(struct super_block *sb, unsigned long flags,
		       const char *data);
};

/* Mount flags (mount(2) MS_*). */
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_MANDLOCK 64
#define MS_DIRSYNC 128
#define MS_NOSYMFOLLOW 256
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_REC 16384
#define MS_SILENT 32768
#define MS_POSIXACL (1 << 16)
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_MGC_VAL 0xC0ED0000
#define MS_MGC_MSK 0xffff0000

struct super_block {
	const struct fs_type *type;     /* [I] */
	const struct super_operations *ops;     /* [I] */
	kdev_t dev;                     /* [I] st_dev of its inodes */
	struct dentry *root;            /* [I] */
	uint64_t magic;                 /* [I] statfs f_type */
	uint64_t next_ino;              /* [V] */
	uint64_t inode_count;           /* [V] live inodes */
	int mounts;                     /* [V] */
	/* [V] the super block's own MS_* flags: MS_RDONLY, MS_SYNCHRONOUS,
	 * MS_DIRSYNC, MS_MANDLOCK, MS_LAZYTIME (per-mount ones are in
	 * struct mount) */
	unsigned long flags;
	struct block_device *bdev;      /* [I] device-backed: a reference */
	void *fs_info;                  /* owned by the file system */
};

/* Super-block flags that mount(2) and remount set (MS_RMT_MASK). */
#define SB_FLAGS_MASK (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | \
		       MS_DIRSYNC | MS_LAZYTIME)
/* Is @sb read-only (remount ro, a read-only device)? */
static inline bool sb_rdonly(const struct super_block *sb)
{
	return sb->flags & MS_RDONLY;
}

/* A file system type ("tmpfs", "proc", ...). */
struct fs_type {
	const char *name;
	/* Build a super block for a new mount; ERR_PTR on failure. */
	struct super_block *(*mount)(const struct fs_type *type, unsigned long flags,
				     const char *data);
	/* Device-backed types (nodev false) instead: a super block read
	 * from @bdev (a reference the super block keeps in sb->bdev and
	 * drops in ->kill; on failure the caller drops it).  @flags are the
	 * mount's MS_* flags (MS_RDONLY: do not write the device).  The
	 * VFS resolves the source path, shares the super block of a device
	 * that is mounted already, and sets sb->flags, sb->bdev, sb->dev;
	 * a type that cannot write sets MS_RDONLY in sb->flags, which the
	 * VFS keeps (the mount is then read-only). */
	struct super_block *(*mount_dev)(const struct fs_type *type,
					 struct block_device *bdev,
					 unsigned long flags, const char *data);
	bool nodev;                     /* not backed by a device */
};

/* An open file description.  FMODE_* record how it was opened. */
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_PATH 0x4          /* O_PATH: only a handle */
#define FMODE_ATOMIC_POS 0x8    /* regular files, dirs: pos_lock serializes */
#define FMODE_PREAD 0x10        /* pread/pwrite allowed (ESPIPE if not) */
#define FMODE_WRITER 0x20       /* counted in its mount's writers */

struct file {
	int refcount;                   /* [a] */
	unsigned fmode;                 /* [I] */
	unsigned flags;                 /* [F] O_* (F_SETFL changes some) */
	struct spinlock lock;
	struct mutex pos_lock;
	uint64_t pos;                   /* [P] */
	const struct file_operations *ops;      /* [I] after open */
	struct path path;               /* [I] (internal mounts for pipes and
					 * anon inodes; NULL only for files
					 * made without one) */
	struct inode *inode;            /* [I] */
	void *private;                  /* the driver's */
	unsigned pipe_wseen;            /* [I] FIFO: writer opens before ours */
	struct file_ra_state ra;        /* [P] read-ahead state (mm.h) */
	struct list_node ep_links;      /* [F] epoll items watching this file */
};

/* ---- namespace lock, references ---- */
void vfs_lock(void);
void vfs_unlock(void);
bool vfs_lock_held(void);
/* Memory that stays valid until vfs_lock is released, then is freed
 * (for ->get_link targets computed on the fly).  NULL if out of memory. */
void *vfs_scratch_alloc(size_t size);
/* Drop the reference to @f once vfs_lock is released (magic links pin
 * the file whose path a walk continues from).  -ENOMEM: not deferred. */
int vfs_defer_file_put(struct file *f);
/* Take / drop references (drops may free; call without vfs_lock). */
void path_get(const struct path *p);
void path_put(const struct path *p);
/* The same with vfs_lock held (references are [V]). */
void path_get_locked(const struct path *p);
void path_put_locked(const struct path *p);

/* ---- inodes, dentries, super blocks (for file systems) ---- */
/* A new inode in @sb with one reference (vfs_lock held). */
struct inode *inode_alloc(struct super_block *sb, unsigned mode);
/* Owner of a new inode in @dir: the caller's fsuid and fsgid, or the
 * group of a set-group-ID @dir (a new directory keeps the bit in
 * *@mode). */
void inode_init_owner(struct inode *dir, unsigned *mode, uint32_t *uid,
		      uint32_t *gid);
/* Current time (CLOCK_REALTIME) for inode timestamps. */
void vfs_now(struct timespec64 *ts);
/* Attach @inode to the negative dentry @d (takes over its reference). */
void d_instantiate(struct dentry *d, struct inode *inode);
/* A super block with root directory inode @root_inode (vfs_lock held). */
struct super_block *sb_alloc(const struct fs_type *type,
			     const struct super_operations *ops,
			     uint64_t magic);
int fs_type_register(const struct fs_type *type);
/* Permission check for the current credentials (MAY_* bits). */
int inode_permission(struct inode *inode, int mask);
/* For file systems that build their tree on lookup (also declared in
 * vfs/internal.h): a root dentry for a new super block; dentry and inode
 * references; unlinking a cached name (vfs_lock held). */
struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode);
void dget(struct dentry *d);
void dput(struct dentry *d);
void d_drop(struct dentry *d);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
/* Apply @attr's mode, owner and times to the inode's fields (no size
 * change, no checks): the in-memory half of a setattr. */
void inode_setattr_generic(struct inode *inode, const struct iattr *attr);
/* Give a device, FIFO or socket inode of a disk file system the VFS's
 * own file operations for its type (mode and rdev set). */
void inode_init_special(struct inode *inode);
/* Directory listing from the dentry tree (for in-memory file systems). */
int dcache_dir_iterate(struct file *f, struct dir_context *ctx);

/* ---- kernel-level file system API (what the system calls use) ---- */
/* Lookup flags. */
#define LOOKUP_FOLLOW 0x1       /* follow a final symlink */
#define LOOKUP_DIRECTORY 0x2    /* the result must be a directory */
#define LOOKUP_EMPTY 0x4        /* "" means the start directory */

/* Resolve @name relative to @dirfd (AT_FDCWD or a descriptor) into a
 * referenced path.  0 or -errno. */
int vfs_lookup(int dirfd, const char *name, unsigned flags, struct path *out);
struct file *vfs_open(int dirfd, const char *name, int flags, unsigned mode);
/* Open the object at @p (O_* flags; no creation). */
struct file *vfs_open_path(const struct path *p, int flags);
/* Linux caps one read or write (and a vectored total) at this. */
#define MAX_RW_COUNT 0x7ffff000L
long vfs_read(struct file *f, struct iobuf *b, uint64_t *pos);
long vfs_write(struct file *f, struct iobuf *b, uint64_t *pos);
/* One vectored transfer through ->read_vec/->write_vec (which must
 * exist): checks the mode and the buffers, caps the total at Linux's
 * MAX_RW_COUNT. */
long vfs_readv(struct file *f, struct iobuf *bufs, unsigned n);
long vfs_writev(struct file *f, struct iobuf *bufs, unsigned n);
long vfs_lseek(struct file *f, int64_t offset, int whence);
/* ->llseek of files whose offset means nothing (eventfd, epoll, ...):
 * lseek succeeds and returns the unchanged offset, as Linux's noop. */
long vfs_noop_llseek(struct file *f, long offset, int whence);
int vfs_mkdir(int dirfd, const char *name, unsigned mode);
int vfs_mknod(int dirfd, const char *name, unsigned mode, kdev_t dev);
/* mknod of a socket or FIFO (@mode's type, umask applied) that also
 * returns the new file's referenced path (bind(2) of AF_UNIX). */
int vfs_mknod_path(int dirfd, const char *name, unsigned mode,
		   struct path *out);
/* Remove the name @p was created under if it still names the same file
 * (undoes vfs_mknod_path). */
int vfs_unlink_path(const struct path *p);
int vfs_unlink(int dirfd, const char *name);
int vfs_rmdir(int dirfd, const char *name);
int vfs_symlink(const char *target, int dirfd, const char *name);
int vfs_link(int olddirfd, const char *oldname, int newdirfd,
	     const char *newname, int flags);
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
int vfs_rename(int olddirfd, const char *oldname, int newdirfd,
	       const char *newname, unsigned flags);
long vfs_readlink(int dirfd, const char *name, char *buf, size_t size);
int vfs_truncate_path(const struct path *p, int64_t length);
int vfs_ftruncate(struct file *f, int64_t length);
int vfs_setattr(const struct path *p, struct iattr *attr);
int vfs_chmod(const struct path *p, unsigned mode);
int vfs_chown(const struct path *p, int64_t uid, int64_t gid);
/* access(2): check with the real (AT_EACCESS: effective) ids. */
int vfs_access(int dirfd, const char *name, int mode, int flags);
int vfs_chdir(const struct path *p);
int vfs_chroot(const struct path *p);
int vfs_getcwd(char *buf, size_t size);
/* Path of @p relative to the current root into @buf: length or -errno. */
long vfs_path_name(const struct path *p, char *buf, size_t size);
int vfs_mount(const char *source, int dirfd, const char *target,
	      const char *fstype, unsigned long flags, const char *data);
#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8
int vfs_umount(int dirfd, const char *target, int flags);
int vfs_statfs(const struct path *p, struct statfs_info *st);
/* Is @p on a read-only mount (EROFS for changes)? */
bool vfs_path_readonly(const struct path *p);
/* sync(2): write back every file system. */
void vfs_sync_all(void);
/* syncfs(2) of the file system of @f. */
int vfs_syncfs(struct file *f);
/* fsync(2)/fdatasync(2): ->fsync, else the file's pages and its super
 * block; EINVAL for files that cannot be synced (pipes, sockets). */
int vfs_fsync(struct file *f, bool datasync);
/* Mount the root file system from a block device (root=, rootfstype=,
 * rootflags=, ro/rw; see vfs/mount_root.c).  0 or -errno. */
int vfs_mount_root_device(const char *root, const char *fstypes,
			  unsigned long flags, const char *data);
/* A read of @f: update the atime as its mount says (relatime rules,
 * nothing on noatime or read-only mounts).  data_lock held. */
void file_accessed(struct file *f);
int vfs_iterate_dir(struct file *f, struct dir_context *ctx);
/* The current umask (022 for kernel threads). */
unsigned vfs_umask(void);

/* ---- descriptors of the current process ---- */
/* The file at @fd with a reference, or NULL (EBADF). */
struct file *fd_get(int fd);
int fd_close(int fd);
int fd_dup(int oldfd, int newfd, int flags, int minfd, bool exact);
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);
/* Install into an explicit table (also used before a process exists). */
int fdtable_install(struct fdtable *t, struct file *f, bool cloexec,
		    unsigned minfd, unsigned limit);
struct file *fdtable_lookup(struct fdtable *t, int fd);
int fdtable_close(struct fdtable *t, int fd);

/* ---- pipes ---- */
/* Two files for pipe(2): [0] read end, [1] write end. */
int pipe_create(struct file *files[2], int flags);
#define PIPE_BUF 4096
#define PIPE_DEFAULT_SIZE 65536

/* ---- /proc/net files (registered by the network layer at boot) ---- */
struct proc_buf;
/* Append formatted text to a generated /proc file. */
void proc_printf(struct proc_buf *b, const char *fmt, ...) __printf(2, 3);
/* Add /proc/net/@name, whose text @show formats: 0 or -errno. */
int proc_net_register(const char *name, int (*show)(struct proc_buf *b));
/* ---- advisory file locks (locks.c) ---- */
/* struct flock, as the kernel sees it once copied in. */
struct flock_k {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};
/* flock(2) on @f: LOCK_SH/LOCK_EX/LOCK_UN, optionally | LOCK_NB. */
int locks_flock(struct file *f, unsigned cmd);
/* F_GETLK / F_OFD_GETLK: rewrite @fl with the first conflicting lock,
 * or set l_type to F_UNLCK. */
int locks_getlk(struct file *f, bool ofd, struct flock_k *fl);
/* F_SETLK(W) / F_OFD_SETLK(W). */
int locks_setlk(struct file *f, bool ofd, bool wait, struct flock_k *fl);
/* The descriptor table @owner closed a descriptor of @f: drop its POSIX
 * locks on that file. */
void locks_remove_posix(struct file *f, const void *owner);
/* The last reference to @f is going: drop its flock and OFD locks. */
void locks_remove_file(struct file *f);
/* @inode is being freed. */
void locks_inode_free(struct inode *inode);

/* ---- random numbers ---- */
/* Fill @buf with output of the kernel CSPRNG. */
void random_get_bytes(void *buf, size_t len);

#endif
