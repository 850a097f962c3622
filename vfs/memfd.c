/*
 * memfd_create(2) and file seals (fcntl F_ADD_SEALS / F_GET_SEALS).
 *
 * Model (Linux's): a memfd is a regular file of an internal tmpfs
 * instance that is mounted nowhere and has no name in any directory: its
 * dentry "memfd:<name>" is never linked, so the file reads as
 * "/memfd:<name> (deleted)" in /proc/<pid>/fd, has no links, and its
 * memory goes with its last reference.
 *
 * Seals live in inode->seals; only memfd inodes are sealable (the other
 * files give EINVAL).  A memfd created without MFD_ALLOW_SEALING starts
 * with F_SEAL_SEAL, so nothing can be added.  The checks that enforce
 * seals (memfd_check_write, memfd_check_setattr) are called by the VFS
 * for every file and cost a load while no seal is set.
 *
 * Locking: memfd_mnt is created once under vfs_lock; seals are [D]
 * (inode->data_lock), read without it for the fast path.
 */
#include "vfs/sys_util.h"
#include "include/assert.h"
#include "lib/format.h"
#include "lib/string.h"

#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | \
		       MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_NAME_PREFIX "memfd:"
#define MFD_NAME_MAX_LEN (NAME_MAX - (sizeof(MFD_NAME_PREFIX) - 1))

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
		     F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

static struct mount *memfd_mnt;         /* [V] created on first use */

/* The internal tmpfs instance (vfs_lock held). */
static struct mount *memfd_mount(void)
{
	struct super_block *sb;
	struct mount *m;

	ASSERT(vfs_lock_held());
	if (memfd_mnt)
		return memfd_mnt;
	m = kzalloc(sizeof(*m));
	if (!m)
		return NULL;
	sb = tmpfs_type.mount(&tmpfs_type, 0, NULL);
	if (IS_ERR(sb)) {
		kfree(m);
		return NULL;
	}
	sb->mounts = 1;
	m->parent = m;          /* a root of its own: d_path stops here */
	m->root = sb->root;
	m->sb = sb;
	m->source = "memfd";
	list_init(&m->node);    /* not in mount_list (/proc/mounts) */
	memfd_mnt = m;
	return m;
}

/* A new unlinked regular file named "memfd:@name" (vfs_lock held). */
static int memfd_new_file(const char *name, unsigned mode, struct path *out)
{
	struct mount *m = memfd_mount();
	struct dentry *d;
	struct inode *dir;
	char full[NAME_MAX + 1];
	int err;

	if (!m)
		return -ENOMEM;
	format_snprintf(full, sizeof(full), "%s%s", MFD_NAME_PREFIX, name);
	d = d_alloc(m->root, full, strlen(full));
	if (!d)
		return -ENOMEM;
	dir = m->root->inode;
	err = dir->i_op->create(dir, d, S_IFREG | mode, 0);
	if (err) {
		dput(d);
		return err;
	}
	d->inode->nlink = 0;    /* never linked anywhere */
	m->refcount++;          /* the path's; the dentry's is d_alloc's */
	out->mnt = m;
	out->dentry = d;
	return 0;
}

SYSCALL_DEFINE2(memfd_create, uaddr_t, uname, unsigned, flags)
{
	char name[MFD_NAME_MAX_LEN + 1];
	struct path p;
	struct file *f;
	unsigned mode = 0777;
	long len;
	int fd, err;

	if (flags & ~MFD_ALL_FLAGS)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL;         /* no huge pages: no hugetlbfs */
	len = strncpy_from_user(name, uname, sizeof(name));
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return (int)len;
	if (flags & MFD_NOEXEC_SEAL)
		mode &= ~0111u;
	vfs_lock();
	err = memfd_new_file(name, mode, &p);
	if (!err) {
		struct inode *inode = p.dentry->inode;

		inode->sealable = true;
		if (flags & MFD_NOEXEC_SEAL)
			inode->seals = F_SEAL_EXEC;
		else if (!(flags & MFD_ALLOW_SEALING))
			inode->seals = F_SEAL_SEAL;
	}
	vfs_unlock();
	if (err)
		return err;
	f = file_alloc(&p, p.dentry->inode, O_RDWR | O_LARGEFILE,
		       p.dentry->inode->f_op);
	if (!f) {
		path_put(&p);
		return -ENOMEM;
	}
	f->fmode = FMODE_READ | FMODE_WRITE | FMODE_ATOMIC_POS | FMODE_PREAD;
	fd = fd_install(f, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* ---- seals ---- */

long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct inode *inode = f->inode;
	unsigned seals = (unsigned)arg;
	long ret;

	if (cmd == F_GET_SEALS) {
		if (!inode->sealable)
			return -EINVAL;
		mutex_lock(&inode->data_lock);
		ret = inode->seals;
		mutex_unlock(&inode->data_lock);
		return ret;
	}
	if (!(f->fmode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~F_ALL_SEALS)
		return -EINVAL;
	if (!inode->sealable)
		return -EINVAL;
	mutex_lock(&inode->data_lock);
	if (inode->seals & F_SEAL_SEAL) {
		ret = -EPERM;
	} else {
		/* F_SEAL_EXEC on an executable file also seals writes, so
		 * it can never become writable and executable (W^X). */
		if ((seals & F_SEAL_EXEC) && (inode->mode & 0111))
			seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
				 F_SEAL_FUTURE_WRITE;
		/* F_SEAL_WRITE cannot be added while a shared mapping could
		 * still write (Linux: EBUSY). */
		if ((seals & ~inode->seals & F_SEAL_WRITE) && inode->pages &&
		    page_cache_mapped_shared_writable(inode->pages)) {
			ret = -EBUSY;
		} else {
			inode->seals |= seals;
			ret = 0;
		}
	}
	mutex_unlock(&inode->data_lock);
	return ret;
}

bool memfd_write_sealed(struct inode *inode)
{
	return READ_ONCE(inode->seals) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
}

int memfd_check_write(struct file *f, uint64_t pos, size_t len)
{
	struct inode *inode = f->inode;
	unsigned seals = READ_ONCE(inode->seals);
	uint64_t start;

	if (!seals || !len)
		return 0;
	if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	start = (file_flags(f) & O_APPEND) ? READ_ONCE(inode->size) : pos;
	if ((seals & F_SEAL_GROW) && start + len > READ_ONCE(inode->size))
		return -EPERM;
	return 0;
}

int memfd_check_setattr(struct inode *inode, const struct iattr *attr)
{
	unsigned seals = READ_ONCE(inode->seals);

	if (!seals)
		return 0;
	if (attr->valid & ATTR_SIZE) {
		uint64_t size = READ_ONCE(inode->size);

		if ((attr->size < size && (seals & F_SEAL_SHRINK)) ||
		    (attr->size > size && (seals & F_SEAL_GROW)))
			return -EPERM;
	}
	if ((attr->valid & ATTR_MODE) && (seals & F_SEAL_EXEC) &&
	    ((inode->mode ^ attr->mode) & 0111))
		return -EPERM;
	return 0;
}
