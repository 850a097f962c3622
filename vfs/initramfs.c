/*
 * Unpack the initramfs (a cpio newc archive, lib/cpio.h) into the root
 * file system, as Linux's init/initramfs.c does: names relative to "/",
 * directories, regular files, symlinks, device nodes, FIFOs and sockets
 * with their mode, owner and mtime; regular files with nlink >= 2 that
 * share (dev, ino) become hard links to the first one, and data that
 * arrives with a later link is written into the shared file.  An entry
 * that exists is replaced (a directory is kept and gets the new
 * attributes).  Directory mtimes are set in a second pass, after their
 * contents were created.
 *
 * Runs in kernel_init (root credentials, cwd "/") through the ordinary
 * kernel-level VFS calls.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/cpio.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define LINK_HASH_MAX 256

struct link_rec {
	uint32_t ino, major, minor, mode;
	char *name;
};

struct unpack {
	struct link_rec links[LINK_HASH_MAX];
	unsigned nlinks;
	char name[PATH_MAX];
};

/* Copy the entry's name as an absolute path; false for "." and bad names. */
static bool entry_path(const struct cpio_entry *e, char *out)
{
	const char *n = e->name;
	size_t len = e->name_len;

	while (len >= 2 && n[0] == '.' && n[1] == '/') {
		n += 2;
		len -= 2;
	}
	while (len && n[0] == '/') {
		n++;
		len--;
	}
	if (len == 0 || (len == 1 && n[0] == '.') || len + 2 > PATH_MAX ||
	    memchr(n, '\0', len))
		return false;
	out[0] = '/';
	memcpy(out + 1, n, len);
	out[len + 1] = '\0';
	return true;
}

/* Apply owner, mode and mtime (lchown/chmod/utimensat NOFOLLOW). */
static void set_attrs(const char *name, const struct cpio_entry *e)
{
	struct timespec64 t[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
	struct path p;

	if (vfs_lookup(AT_FDCWD, name, 0, &p))
		return;
	vfs_chown(&p, e->uid, e->gid);
	if (!S_ISLNK(e->mode))
		vfs_chmod(&p, e->mode & S_IALLUGO);
	vfs_utimes(&p, t);
	path_put(&p);
}

/* Remove what is at @name unless it is a directory and @e is one too. */
static void clean_path(const char *name, const struct cpio_entry *e)
{
	struct path p;
	unsigned mode;

	if (vfs_lookup(AT_FDCWD, name, 0, &p))
		return;
	mode = p.dentry->inode->mode;
	path_put(&p);
	if (S_ISDIR(mode) && S_ISDIR(e->mode))
		return;
	if (S_ISDIR(mode))
		vfs_rmdir(AT_FDCWD, name);
	else
		vfs_unlink(AT_FDCWD, name);
}

/* Hard-link @name to an earlier file of the same inode: 1 linked, 0 new. */
static int maybe_link(struct unpack *u, const char *name,
		      const struct cpio_entry *e)
{
	if (e->nlink < 2)
		return 0;
	for (unsigned i = 0; i < u->nlinks; i++) {
		struct link_rec *r = &u->links[i];

		if (r->ino == e->ino && r->major == e->dev_major &&
		    r->minor == e->dev_minor &&
		    ((r->mode ^ e->mode) & S_IFMT) == 0) {
			int err = vfs_link(AT_FDCWD, r->name, AT_FDCWD, name, 0);

			return err ? err : 1;
		}
	}
	if (u->nlinks < LINK_HASH_MAX) {
		size_t len = strlen(name);
		struct link_rec *r = &u->links[u->nlinks];

		r->name = kmalloc(len + 1);
		if (!r->name)
			return -ENOMEM;
		memcpy(r->name, name, len + 1);
		r->ino = e->ino;
		r->major = e->dev_major;
		r->minor = e->dev_minor;
		r->mode = e->mode;
		u->nlinks++;
	}
	return 0;
}

static int unpack_file(struct unpack *u, const char *name,
		       const struct cpio_entry *e)
{
	int ml = maybe_link(u, name, e), flags = O_WRONLY | O_CREAT;
	struct file *f;
	long n = 0;

	if (ml < 0)
		return ml;
	if (ml == 0)
		flags |= O_TRUNC;
	f = vfs_open(AT_FDCWD, name, flags, e->mode & S_IALLUGO);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (e->size) {
		struct iobuf b = { .user = false, .kbuf = (void *)e->data,
				   .len = e->size };
		uint64_t pos = 0;

		n = vfs_write(f, &b, &pos);
	}
	file_put(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -ENOSPC;
}

static int unpack_entry(struct unpack *u, const struct cpio_entry *e)
{
	const char *name = u->name;
	char *target;
	int err;

	clean_path(name, e);
	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		err = vfs_mkdir(AT_FDCWD, name, e->mode & S_IALLUGO);
		if (err == -EEXIST)
			err = 0;
		break;
	case S_IFREG:
		err = unpack_file(u, name, e);
		break;
	case S_IFLNK:
		if (e->size == 0 || e->size >= PATH_MAX)
			return -EINVAL;
		target = kmalloc(e->size + 1);
		if (!target)
			return -ENOMEM;
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		err = vfs_symlink(target, AT_FDCWD, name);
		kfree(target);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = vfs_mknod(AT_FDCWD, name, e->mode,
				MKDEV(e->rdev_major, e->rdev_minor));
		break;
	default:
		return -EINVAL;
	}
	if (!err)
		set_attrs(name, e);
	return err;
}

int initramfs_unpack(const void *buf, size_t len)
{
	struct unpack *u = kzalloc(sizeof(*u));
	struct cpio_entry e;
	size_t off = 0;
	int ret, count = 0, failed = 0;

	if (!u)
		return -ENOMEM;
	while ((ret = cpio_next(buf, len, &off, &e)) == 1) {
		if (!entry_path(&e, u->name))
			continue;
		if (unpack_entry(u, &e) == 0)
			count++;
		else
			failed++;
	}
	/* Second pass: directory mtimes, now that their contents exist. */
	off = 0;
	while (cpio_next(buf, len, &off, &e) == 1)
		if (S_ISDIR(e.mode) && entry_path(&e, u->name))
			set_attrs(u->name, &e);
	for (unsigned i = 0; i < u->nlinks; i++)
		kfree(u->links[i].name);
	kfree(u);
	if (ret < 0)
		pr_warn("initramfs: malformed archive at offset %zu\n", off);
	if (failed)
		pr_warn("initramfs: %d entries could not be unpacked\n", failed);
	pr_info("initramfs: unpacked %d entries into /\n", count);
	return ret < 0 ? ret : 0;
}
