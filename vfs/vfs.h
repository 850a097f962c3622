/*
 * Virtual file system: public API.
 *
 * (Contract for the process layer; the VFS implementation extends this
 * header with inodes, dentries, mounts and file operations.)
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include "include/compiler.h"

struct file;
struct fdtable;
struct fs_struct;
struct inode;
struct poll_table;
struct wait_queue;

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
#define POLLRDHUP 0x2000

/*
 * Operations on an open file.  read/write return bytes or -errno and may
 * sleep (interruptibly: -ERESTARTSYS on a signal).  poll returns the ready
 * events and registers the caller's wait queues with poll_wait().  A NULL
 * operation gives the errno Linux gives (EINVAL, ENOTTY, ...).
 */
struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct file *f);
	long (*read)(struct file *f, struct iobuf *buf, uint64_t *pos);
	long (*write)(struct file *f, struct iobuf *buf, uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, uaddr_t arg);
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	long (*llseek)(struct file *f, long offset, int whence);
};

/* Add @wq to the set a poll/select caller sleeps on (no-op if @pt NULL). */
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt);

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
/* Install @f at the lowest free descriptor of the current process;
 * returns the descriptor or -EMFILE.  Takes over the caller's reference. */
int fd_install(struct file *f, bool cloexec);

#endif
