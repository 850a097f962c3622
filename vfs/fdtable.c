/*
 * Descriptor tables and fs contexts of processes.
 *
 * A struct fdtable maps descriptor numbers to open file descriptions,
 * with a close-on-exec flag per slot.  fork copies it (fdtable_clone),
 * CLONE_FILES shares it (fdtable_get).  It grows on demand up to the
 * caller's RLIMIT_NOFILE.  Its lock is a spinlock and a leaf: files are
 * released (file_put) only after dropping it, and arrays are allocated
 * before taking it.
 *
 * A struct fs_struct holds root, cwd (references to paths, [V]) and the
 * umask (atomic).
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

#define FDTABLE_INITIAL 64
#define RLIMIT_NOFILE 7
#define NR_OPEN_MAX (1u << 20)          /* Linux's fs.nr_open default */

struct fdtable *current_files(void)
{
	struct process *p = current_process();

	return p ? p->files : NULL;
}

unsigned fd_limit(void)
{
	struct process *p = current_process();
	uint64_t lim;

	if (!p)
		return 1024;
	lim = p->rlimits[RLIMIT_NOFILE].cur;
	return lim > NR_OPEN_MAX ? NR_OPEN_MAX : (unsigned)lim;
}

/* A descriptor of @t that referred to @f was closed: drop @t's POSIX
 * locks on the file (fcntl(2): any close releases them), then the
 * reference.  Never with t->lock held. */
static void fd_release(struct fdtable *t, struct file *f)
{
	locks_remove_posix(f, t);
	file_put(f);
}

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->refcount = 1;
	spin_lock_init(&t->lock, "fdtable");
	return t;
}

/* Make room for slot @need: allocate without the lock, swap under it. */
static int fdtable_grow(struct fdtable *t, unsigned need)
{
	unsigned size = FDTABLE_INITIAL;
	struct file **files;
	uint8_t *cloexec;
	uint64_t irq;

	while (size <= need)
		size *= 2;
	files = kzalloc(size * sizeof(*files));
	cloexec = kzalloc(size);
	if (!files || !cloexec) {
		kfree(files);
		kfree(cloexec);
		return -ENOMEM;
	}
	irq = spin_lock_irqsave(&t->lock);
	if (t->size < size) {
		struct file **of = t->files;
		uint8_t *oc = t->cloexec;

		if (t->size) {
			memcpy(files, of, t->size * sizeof(*files));
			memcpy(cloexec, oc, t->size);
		}
		t->files = files;
		t->cloexec = cloexec;
		t->size = size;
		files = of;
		cloexec = oc;
	}
	spin_unlock_irqrestore(&t->lock, irq);
	kfree(files);
	kfree(cloexec);
	return 0;
}

int fdtable_install(struct fdtable *t, struct file *f, bool cloexec,
		    unsigned minfd, unsigned limit)
{
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&t->lock);
		unsigned fd;
		int err;

		for (fd = minfd; fd < t->size && fd < limit; fd++) {
			if (!t->files[fd]) {
				t->files[fd] = f;
				t->cloexec[fd] = cloexec;
				spin_unlock_irqrestore(&t->lock, irq);
				return (int)fd;
			}
		}
		spin_unlock_irqrestore(&t->lock, irq);
		if (fd >= limit)
			return -EMFILE;
		err = fdtable_grow(t, fd);
		if (err)
			return err;
	}
}

/* Put @f at exactly @fd, returning what was there (to be put). */
static int fdtable_replace(struct fdtable *t, unsigned fd, struct file *f,
			   bool cloexec, struct file **old)
{
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&t->lock);
		int err;

		if (fd < t->size) {
			*old = t->files[fd];
			t->files[fd] = f;
			t->cloexec[fd] = cloexec;
			spin_unlock_irqrestore(&t->lock, irq);
			return 0;
		}
		spin_unlock_irqrestore(&t->lock, irq);
		err = fdtable_grow(t, fd);
		if (err)
			return err;
	}
}

struct file *fdtable_lookup(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	uint64_t irq;

	if (!t || fd < 0)
		return NULL;
	irq = spin_lock_irqsave(&t->lock);
	if ((unsigned)fd < t->size && t->files[fd])
		f = file_get(t->files[fd]);
	spin_unlock_irqrestore(&t->lock, irq);
	return f;
}

struct file *fdtable_lookup_cloexec(struct fdtable *t, int fd, bool *cloexec)
{
	struct file *f = NULL;
	uint64_t irq;

	if (!t || fd < 0)
		return NULL;
	irq = spin_lock_irqsave(&t->lock);
	if ((unsigned)fd < t->size && t->files[fd]) {
		f = file_get(t->files[fd]);
		*cloexec = t->cloexec[fd];
	}
	spin_unlock_irqrestore(&t->lock, irq);
	return f;
}

bool fdtable_is_open(struct fdtable *t, int fd)
{
	uint64_t irq;
	bool open;

	if (!t || fd < 0)
		return false;
	irq = spin_lock_irqsave(&t->lock);
	open = (unsigned)fd < t->size && t->files[fd];
	spin_unlock_irqrestore(&t->lock, irq);
	return open;
}

unsigned fdtable_list(struct fdtable *t, unsigned from, int *fds,
		      unsigned max)
{
	unsigned n = 0;
	uint64_t irq;

	if (!t)
		return 0;
	irq = spin_lock_irqsave(&t->lock);
	for (unsigned fd = from; fd < t->size && n < max; fd++)
		if (t->files[fd])
			fds[n++] = (int)fd;
	spin_unlock_irqrestore(&t->lock, irq);
	return n;
}

int fdtable_close(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	uint64_t irq;

	if (!t || fd < 0)
		return -EBADF;
	irq = spin_lock_irqsave(&t->lock);
	if ((unsigned)fd < t->size) {
		f = t->files[fd];
		t->files[fd] = NULL;
		t->cloexec[fd] = 0;
	}
	spin_unlock_irqrestore(&t->lock, irq);
	if (!f)
		return -EBADF;
	fd_release(t, f);
	return 0;
}

struct fdtable *fdtable_clone(struct fdtable *t)
{
	struct fdtable *n = fdtable_create();
	uint64_t irq;

	if (!n)
		return NULL;
	for (;;) {
		unsigned size = READ_ONCE(t->size);

		if (size && fdtable_grow(n, size - 1)) {
			fdtable_put(n);
			return NULL;
		}
		irq = spin_lock_irqsave(&t->lock);
		if (t->size <= n->size)
			break;
		spin_unlock_irqrestore(&t->lock, irq);
	}
	for (unsigned fd = 0; fd < t->size; fd++) {
		if (t->files[fd]) {
			n->files[fd] = file_get(t->files[fd]);
			n->cloexec[fd] = t->cloexec[fd];
		}
	}
	spin_unlock_irqrestore(&t->lock, irq);
	return n;
}

struct fdtable *fdtable_get(struct fdtable *t)
{
	__atomic_fetch_add(&t->refcount, 1, __ATOMIC_RELAXED);
	return t;
}

void fdtable_put(struct fdtable *t)
{
	if (__atomic_fetch_sub(&t->refcount, 1, __ATOMIC_ACQ_REL) != 1)
		return;
	for (unsigned fd = 0; fd < t->size; fd++)
		if (t->files[fd])
			fd_release(t, t->files[fd]);
	kfree(t->files);
	kfree(t->cloexec);
	kfree(t);
}

/* Close the descriptors in [first, last] that @pred selects (NULL: all);
 * with @set_cloexec mark them close-on-exec instead. */
static void fdtable_close_range(struct fdtable *t, unsigned first,
				unsigned last, bool only_cloexec,
				bool set_cloexec)
{
	for (unsigned fd = first; fd <= last; fd++) {
		struct file *f = NULL;
		uint64_t irq = spin_lock_irqsave(&t->lock);

		if (fd >= t->size) {
			spin_unlock_irqrestore(&t->lock, irq);
			break;
		}
		if (t->files[fd] && set_cloexec) {
			t->cloexec[fd] = 1;
		} else if (t->files[fd] && (!only_cloexec || t->cloexec[fd])) {
			f = t->files[fd];
			t->files[fd] = NULL;
			t->cloexec[fd] = 0;
		}
		spin_unlock_irqrestore(&t->lock, irq);
		if (f)
			fd_release(t, f);
	}
}

void fdtable_close_on_exec(struct fdtable *t)
{
	fdtable_close_range(t, 0, ~0u - 1, true, false);
}

int fd_close_range(unsigned first, unsigned last, bool cloexec)
{
	struct fdtable *t = current_files();

	if (!t)
		return 0;
	fdtable_close_range(t, first, last, false, cloexec);
	return 0;
}

/* ---- the current process's descriptors ---- */

struct file *fd_get(int fd)
{
	return fdtable_lookup(current_files(), fd);
}

int fd_install(struct file *f, bool cloexec)
{
	struct fdtable *t = current_files();

	if (!t)
		return -EMFILE;
	return fdtable_install(t, f, cloexec, 0, fd_limit());
}

int fd_close(int fd)
{
	return fdtable_close(current_files(), fd);
}

int fd_dup(int oldfd, int newfd, int flags, int minfd, bool exact)
{
	struct fdtable *t = current_files();
	struct file *f = fdtable_lookup(t, oldfd), *old = NULL;
	bool cloexec = flags & O_CLOEXEC;
	unsigned limit = fd_limit();
	int ret;

	if (!f)
		return -EBADF;
	if (exact) {
		if (newfd < 0 || (unsigned)newfd >= limit) {
			file_put(f);
			return -EBADF;
		}
		if (newfd == oldfd) {
			file_put(f);
			return newfd;
		}
		ret = fdtable_replace(t, (unsigned)newfd, f, cloexec, &old);
		if (ret) {
			file_put(f);
			return ret;
		}
		if (old)
			fd_release(t, old);
		return newfd;
	}
	if (minfd < 0 || (unsigned)minfd >= limit) {
		file_put(f);
		return -EINVAL;
	}
	ret = fdtable_install(t, f, cloexec, (unsigned)minfd, limit);
	if (ret < 0)
		file_put(f);
	return ret;
}

int fd_get_cloexec(int fd)
{
	struct fdtable *t = current_files();
	int ret = -EBADF;
	uint64_t irq;

	if (!t || fd < 0)
		return -EBADF;
	irq = spin_lock_irqsave(&t->lock);
	if ((unsigned)fd < t->size && t->files[fd])
		ret = t->cloexec[fd];
	spin_unlock_irqrestore(&t->lock, irq);
	return ret;
}

int fd_set_cloexec(int fd, bool on)
{
	struct fdtable *t = current_files();
	int ret = -EBADF;
	uint64_t irq;

	if (!t || fd < 0)
		return -EBADF;
	irq = spin_lock_irqsave(&t->lock);
	if ((unsigned)fd < t->size && t->files[fd]) {
		t->cloexec[fd] = on;
		ret = 0;
	}
	spin_unlock_irqrestore(&t->lock, irq);
	return ret;
}

/* ---- fs_struct ---- */

struct fs_struct *fs_struct_create_root(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refcount = 1;
	fs->umask = 022;
	vfs_lock();
	fs->root.mnt = root_mount;
	fs->root.dentry = root_mount->root;
	fs->cwd = fs->root;
	path_get_locked(&fs->root);
	path_get_locked(&fs->cwd);
	vfs_unlock();
	return fs;
}

struct fs_struct *fs_struct_clone(struct fs_struct *fs)
{
	struct fs_struct *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->refcount = 1;
	n->umask = READ_ONCE(fs->umask);
	vfs_lock();
	n->root = fs->root;
	n->cwd = fs->cwd;
	path_get_locked(&n->root);
	path_get_locked(&n->cwd);
	vfs_unlock();
	return n;
}

struct fs_struct *fs_struct_get(struct fs_struct *fs)
{
	__atomic_add_fetch(&fs->refcount, 1, __ATOMIC_RELAXED);
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (__atomic_fetch_sub(&fs->refcount, 1, __ATOMIC_ACQ_REL) != 1)
		return;
	vfs_lock();
	path_put_locked(&fs->root);
	path_put_locked(&fs->cwd);
	vfs_unlock();
	kfree(fs);
}

unsigned vfs_umask(void)
{
	struct process *p = current_process();

	return p && p->fs ? READ_ONCE(p->fs->umask) : 022;
}

/* umask(2): set the mask, return the old one. */
unsigned vfs_set_umask(unsigned mask)
{
	struct process *p = current_process();

	if (!p || !p->fs)
		return 022;
	return __atomic_exchange_n(&p->fs->umask, mask & 0777, __ATOMIC_RELAXED);
}
