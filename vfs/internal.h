/*
 * VFS private interfaces: the mount table, per-process fs contexts and
 * descriptor tables, path walking, and the poll table.
 *
 * Lock order (outermost first):
 *   vfs_lock (mutex, namespace)  ->  inode->data_lock  ->  pipe->lock
 *   ->  fdtable->lock, file->lock (spinlocks, leaves)
 *   vfs_lock -> notify_mutex -> an inotify queue_lock (inotify.c)
 *   vfs_lock -> flock_mutex (locks.c; takes nothing else)
 * file->pos_lock is taken before any of them and never while holding one.
 * epoll's mutexes (eventpoll.c) come after vfs_lock (a last file_put
 * under vfs_lock takes them) and before the locks of polled objects.
 */
#ifndef VFS_INTERNAL_H
#define VFS_INTERNAL_H

#include "vfs/vfs.h"
#include "sched/spinlock.h"

/* Legend as in vfs.h: [I] immutable, [V] vfs_lock, [l] the object's lock,
 * [a] atomic. */

struct mount {
	struct mount *parent;           /* [V] itself for the root mount */
	struct dentry *mountpoint;      /* [V] in parent's file system */
	struct dentry *root;            /* [I] */
	struct super_block *sb;         /* [I] */
	unsigned long flags;            /* [V] MS_RDONLY, MS_NOSUID, ... */
	int refcount;                   /* [V] struct path holders */
	struct list_node node;          /* [V] mount_list, in mount order */
	char *source;                   /* [I] for /proc/mounts */
	bool internal;                  /* [I] pipefs, anon_inodefs: in no
					 * namespace, never unmounted */
	int id;                         /* [I] mountinfo's mount id */
	int writers;                    /* [V] FMODE_WRITER files through it */
	bool detached;                  /* [V] out of the namespace (umount
					 * MNT_DETACH): freed when unused */
	bool expiry_mark;               /* [V] MNT_EXPIRE marked it; a use
					 * clears it */
};

extern struct list_node mount_list;     /* [V] every mount */
extern struct mount *root_mount;        /* [V] the rootfs */

struct fs_struct {
	int refcount;                   /* [a] */
	struct path root, cwd;          /* [V] */
	unsigned umask;                 /* [a] */
};

struct fdtable {
	int refcount;                   /* [a] processes sharing it */
	struct spinlock lock;
	unsigned size;                  /* [l] slots allocated */
	struct file **files;            /* [l] */
	uint8_t *cloexec;               /* [l] one flag per slot */
};

/* ---- mount.c ---- */
/* The mount on top of (@mnt, @d), or NULL (vfs_lock held). */
struct mount *mount_lookup(struct mount *mnt, struct dentry *d);
/* Mount @sb at @where ((NULL,NULL) for the first, root mount). */
struct mount *mount_attach(struct super_block *sb, const struct path *where,
			   unsigned long flags, const char *source);
const struct fs_type *fs_type_find(const char *name);
/* The @i-th registered type, NULL past the last. */
const struct fs_type *fs_type_nth(unsigned i);
/* Mount a new instance of @fstype at @where (vfs_lock held). */
int mount_new(const char *fstype, const struct path *where,
	      unsigned long flags, const char *source, const char *data);
/* Is @m writable neither per mount nor per super block? */
bool mount_readonly(const struct mount *m);
/* A detached mount lost its last holder: free it (vfs_lock held). */
void mount_release(struct mount *m);
/* Is @m inside the tree of @root (shown in its /proc/mounts)? */
bool mount_visible(struct mount *m, const struct path *root);
/* mountinfo's per-mount options ("rw,nosuid,relatime"), or with @super
 * the super block's ("rw,sync"), into @buf; length. */
size_t mount_opts_text(char *buf, size_t size, const struct mount *m,
		       bool super);
/* The super block of a device-backed type: resolve the block special
 * file @source, share the super block of a device mounted already
 * (vfs_lock held).  ERR_PTR: ENOTBLK, ENOENT, EACCES, EBUSY, ENXIO... */
struct super_block *mount_dev_super(const struct fs_type *type,
				    unsigned long flags, const char *source,
				    const char *data);
int vfs_pivot_root(const char *new_root, const char *put_old);
/* Hang the unattached @m (its own parent) on @where, into the namespace. */
void mount_graft(struct mount *m, const struct path *where);
/* Take @m off its mount point and out of the mount list: its own parent
 * again (mount_graft's inverse). */
void mount_ungraft(struct mount *m);
/* Is @d (of the same super block) @anc or below it? */
bool dentry_is_below(struct dentry *d, struct dentry *anc);
/* Is (@mnt, @d) reachable from @root by going down the tree? */
bool mount_path_reachable(struct mount *mnt, struct dentry *d,
			  const struct path *root);
/* Write back everything of @sb (its pages, then ->sync_fs with wait).
 * vfs_lock held (umount, remount read-only). */
void vfs_sync_sb_locked(struct super_block *sb);
/* Text of /proc/mounts into @buf; length. */
size_t mount_list_text(char *buf, size_t size);
size_t fs_type_list_text(char *buf, size_t size);

/* ---- dcache.c ---- */
/* A negative child @name of @parent (vfs_lock held), not yet linked. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
/* Link @d (a fresh child) into its parent and the hash. */
void d_add(struct dentry *d);
/* Cached child @name of @parent, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
/* Unlink @d from its parent: the name is gone (inode stays attached). */
void d_drop(struct dentry *d);
/* A kmalloc'ed NUL-terminated copy of @name (NULL if out of memory). */
char *vfs_name_dup(const char *name, size_t len);
/* Move @d to @newparent under @newname (a vfs_name_dup, taken over). */
void d_move(struct dentry *d, struct dentry *newparent, char *newname,
	    size_t len);
void dget(struct dentry *d);
void dput(struct dentry *d);
/* A root dentry for a new super block. */
struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);

/* ---- namei.c ---- */
enum last_type { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };
struct nameidata {
	struct path root;               /* the process root (no reference) */
	struct path cur;                /* (no reference; vfs_lock held) */
	unsigned flags;
	int links;                      /* symlinks followed so far */
	/* parent mode: the last component, not looked up */
	const char *last;
	size_t last_len;
	enum last_type last_type;
	bool trailing_slash;
};
/* Enter the mounts stacked on @p (vfs_lock held). */
void namei_cross_mounts(struct path *p);
/* Start a walk for @name relative to @dirfd (vfs_lock held). */
int namei_start(struct nameidata *nd, int dirfd, const char *name,
		unsigned flags);
/* Resolve all of @name (vfs_lock held); result in nd->cur, no reference. */
int namei_walk(struct nameidata *nd, const char *name);
/* Resolve all but the last component; nd->last names it. */
int namei_walk_parent(struct nameidata *nd, const char *name);
/* Look up @name in directory nd->cur (search permission checked);
 * crosses mounts.  Result in *out (no reference), -ENOENT if absent. */
int namei_lookup_one(struct nameidata *nd, const char *name, size_t len,
		     struct path *out);
/* Follow the symlink at @link (in directory nd->cur) into nd->cur. */
int namei_follow(struct nameidata *nd, struct dentry *link);
/* Current root and cwd (global root for kernel threads). */
void namei_current_root(struct path *root);
void namei_current_cwd(struct path *cwd);
/* The path of descriptor @dirfd (a directory unless @any) or the cwd. */
int namei_fd_path(int dirfd, struct path *out, bool any);
/* Name of @p as seen from @root into @buf (vfs_lock held): length. */
long d_path(const struct path *p, const struct path *root, char *buf,
	    size_t size);

/* ---- inode.c, attr.c ---- */
/* Apply @attr to the inode's fields (no size change, no checks). */
void inode_setattr_generic(struct inode *inode, const struct iattr *attr);
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
/* utimensat: @times NULL means both now; tv_nsec may be UTIME_*. */
int vfs_utimes(const struct path *p, const struct timespec64 *times);
unsigned dtype_of(unsigned mode);
bool inode_owner_or_capable(const struct inode *inode);
bool cred_in_group(uint32_t gid);
bool capable_fsetid(void);
/* Permission check with explicit ids (access(2) uses the real ones). */
int inode_permission_ids(struct inode *inode, int mask, uint32_t uid,
			 uint32_t gid, bool root);
/* Sticky-directory deletion rule (EPERM). */
int may_delete_sticky(struct inode *dir, struct inode *victim);

/* ---- file.c ---- */
/* file_put with vfs_lock held (->release must not take vfs_lock). */
void file_put_locked(struct file *f);
struct file *file_alloc(const struct path *p, struct inode *inode,
			unsigned flags, const struct file_operations *ops);

/* ---- chrdev.c, devtmpfs.c ---- */
extern const struct file_operations chrdev_fops;
extern const struct file_operations blkdev_fops;
int devtmpfs_init(void);
void mem_devices_init(void);
void random_init(void);
/* Mix @len bytes into the generator's key (/dev/random writes). */
void random_mix(const void *data, size_t len);

/* ---- eventpoll.c ---- */
/* The last reference to @f is going: take it off every epoll interest
 * list (before ->release). */
void eventpoll_release_file(struct file *f);

/* ---- eventfd.c ---- */
/* The eventfd lines of /proc/<pid>/fdinfo/N into @buf (0 if @f is no
 * eventfd): length. */
int eventfd_show_fdinfo(struct file *f, char *buf, size_t size);

/* ---- pseudofs.c ---- */
/* A super block of @type with an internal mount (vfs_lock held); NULL if
 * out of memory. */
struct mount *pseudofs_mount(const struct fs_type *type,
			     const struct super_operations *ops,
			     uint64_t magic);
/* A referenced path in the internal mount @m: a new unlinked dentry
 * called @name (what /proc/<pid>/fd shows) for @inode, whose reference
 * it takes over.  vfs_lock held; 0 or -ENOMEM. */
int pseudofs_path(struct mount *m, struct inode *inode, const char *name,
		  struct path *out);

/* ---- pipe.c ---- */
extern const struct file_operations fifo_fops;
void pipe_free(struct pipe *p);
/* F_GETPIPE_SZ / F_SETPIPE_SZ. */
long pipe_fcntl(struct file *f, int cmd, unsigned long arg);

/* ---- tmpfs.c, initramfs.c, procfs ---- */
extern const struct fs_type tmpfs_type;
extern const struct fs_type devtmpfs_type;
extern const struct fs_type proc_type;
int initramfs_unpack(const void *buf, size_t len);
/* Create directories, files (with @data), symlinks, nodes under @parent. */
int tmpfs_fill(struct dentry *parent, const char *name, size_t len,
	       unsigned mode, const void *data, size_t size);

/* ---- poll.c ---- */
#define POLL_MAX_ENTRIES 64
/* The queues one poll/select call sleeps on (entries of its thread). */
struct poll_wait_set {
	struct poll_table pt;
	int count;
	bool overflow;                  /* more queues than entries */
	struct wait_entry entries[POLL_MAX_ENTRIES];
};
struct poll_wait_set *poll_wait_set_alloc(void);
/* Take every entry off its queue (before freeing or a new scan). */
void poll_wait_set_clear(struct poll_wait_set *ws);
/* struct pollfd (poll(2)), 8 bytes. */
struct pollfd_k {
	int fd;
	short events, revents;
};
/* poll(2) on kernel copies: @timeout_ns < 0 waits forever.  Ready count,
 * or -ERESTARTNOHAND on a signal. */
int vfs_do_poll(struct pollfd_k *fds, unsigned n, int64_t timeout_ns);

/* ---- inotify.c: the hooks that generate inotify events ----
 * Those marked [V] need vfs_lock held; the others take it themselves
 * (and must be called without it).  All are cheap while no watch
 * exists. */
extern const struct file_operations inotify_fops;
/* Limits (/proc/sys/fs/inotify, read-only). */
#define INOTIFY_MAX_QUEUED_EVENTS 16384 /* events per instance */
#define INOTIFY_MAX_USER_INSTANCES 128  /* not enforced */
#define INOTIFY_MAX_WATCHES 65536       /* in the whole system */
void fsnotify_open(struct file *f);             /* IN_OPEN */
void fsnotify_access(struct file *f);           /* IN_ACCESS: read */
void fsnotify_modify(struct file *f);           /* IN_MODIFY: write */
void fsnotify_close(struct file *f);            /* [V] last reference */
/* [V] setattr applied @valid (ATTR_*) to @inode (@d: its dentry or NULL). */
void fsnotify_change(struct dentry *d, struct inode *inode, unsigned valid);
void fsnotify_link_count(struct inode *inode);  /* [V] IN_ATTRIB */
void fsnotify_create(struct dentry *d);         /* [V] IN_CREATE in parent */
/* [V] The name @d was removed from @dir. */
void fsnotify_delete(struct inode *dir, struct dentry *d, bool isdir);
/* [V] rename: IN_MOVED_FROM/TO with one cookie, IN_ATTRIB on a replaced
 * @target, IN_MOVE_SELF on @moved. */
void fsnotify_move(struct inode *odir, const char *oname, size_t olen,
		   struct inode *ndir, const char *nname, size_t nlen,
		   struct inode *moved, struct inode *target);
/* [V] @inode lost its last link and dentry: IN_DELETE_SELF, watches end. */
void fsnotify_inode_removed(struct inode *inode);
/* [V] @inode is being freed / @sb unmounted: its watches end. */
void fsnotify_inode_free(struct inode *inode);
void fsnotify_unmount(struct super_block *sb);

/* ---- memfd.c: memfd_create and file seals ---- */
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010
#define F_SEAL_EXEC 0x0020
/* F_ADD_SEALS / F_GET_SEALS. */
long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg);
/* May @len bytes be written at @pos (O_APPEND: at the end)?  0 or -EPERM. */
int memfd_check_write(struct file *f, uint64_t pos, size_t len);
/* May @attr be applied (size and mode against the seals)?  0 or -EPERM. */
int memfd_check_setattr(struct inode *inode, const struct iattr *attr);

/* ---- fdtable.c ---- */
/* Is @fd open in @t?  (Only @t's spinlock: callable under other
 * spinlocks, for /proc.) */
bool fdtable_is_open(struct fdtable *t, int fd);
/* fdtable_lookup that also gives the close-on-exec flag (/proc fdinfo). */
struct file *fdtable_lookup_cloexec(struct fdtable *t, int fd, bool *cloexec);
/* Up to @max open descriptors of @t from @from on, ascending; count. */
unsigned fdtable_list(struct fdtable *t, unsigned from, int *fds,
		      unsigned max);
struct fdtable *current_files(void);
unsigned fd_limit(void);
int fd_close_range(unsigned first, unsigned last, bool cloexec);
unsigned vfs_set_umask(unsigned mask);

/* May the caller create an entry in directory nd->cur? 0 or -errno. */
int vfs_may_create(struct nameidata *nd);

#endif
