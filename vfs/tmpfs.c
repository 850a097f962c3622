/*
 * tmpfs: a file system kept entirely in memory.  The dentry tree is the
 * directory structure (no ->lookup); regular files keep their data in
 * their inode's page cache (mm/mm.h) with no backing store, like
 * Linux's shmem: pages are created on the first write or mapping store,
 * holes read as zeros, pages are never written back and leave only on
 * truncation or when the inode dies.  read/write and mmap use the same
 * pages.  Symlinks keep their target string.  The root file system,
 * devtmpfs and every "tmpfs" mount are instances of it.
 *
 * Locking: namespace ops run under vfs_lock (vfs.h); file size, times and
 * the writes that extend or truncate a file under the inode's data_lock;
 * the page cache locks itself.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

#define TMPFS_MAGIC 0x01021994
#define TMPFS_MAX_PAGES (1ull << 27)    /* 512 GiB */

struct tmpfs_inode {
	char *link;             /* [I] symlink target */
};

static const struct inode_operations tmpfs_dir_iops;
static const struct inode_operations tmpfs_file_iops;
static const struct inode_operations tmpfs_link_iops;
static const struct file_operations tmpfs_file_fops;
static const struct file_operations tmpfs_dir_fops;
static const struct super_operations tmpfs_sops;
static void tmpfs_getattr(struct inode *inode);

static const uint8_t zero_page[PAGE_SIZE];

/* No read_page (pages start as zeros) and no write_page. */
static const struct page_cache_ops tmpfs_cache_ops = {
	.size = inode_cache_size,
};

static struct tmpfs_inode *TI(struct inode *inode)
{
	return inode->fs_private;
}

/* ---- inodes ---- */

static struct inode *tmpfs_new_inode(struct super_block *sb, unsigned mode,
				     kdev_t rdev)
{
	struct inode *inode = inode_alloc(sb, mode);
	struct tmpfs_inode *ti = kzalloc(sizeof(*ti));

	if (!inode || !ti) {
		kfree(ti);
		if (inode) {
			inode->nlink = 0;
			inode_put(inode);
		}
		return NULL;
	}
	inode->fs_private = ti;
	inode->rdev = rdev;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_iops;
		inode->f_op = &tmpfs_dir_fops;
		inode->nlink = 2;
		inode->size = 4096;     /* what stat shows for a directory */
		break;
	case S_IFREG:
		inode->i_op = &tmpfs_file_iops;
		inode->f_op = &tmpfs_file_fops;
		inode->pages = page_cache_create(&tmpfs_cache_ops, inode,
						 PAGE_CACHE_SHMEM);
		if (!inode->pages) {
			inode->nlink = 0;
			inode_put(inode);
			return NULL;
		}
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_link_iops;
		break;
	case S_IFCHR:
		inode->f_op = &chrdev_fops;
		break;
	case S_IFBLK:
		inode->f_op = &blkdev_fops;
		break;
	case S_IFIFO:
		inode->f_op = &fifo_fops;
		break;
	default:                /* sockets: open gives ENXIO (no f_op) */
		inode->i_op = &tmpfs_file_iops;
		break;
	}
	return inode;
}

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);

	pipe_free(inode->pipe);
	page_cache_destroy(inode->pages);
	if (!ti)
		return;
	kfree(ti->link);
	kfree(ti);
}

static void dir_touch(struct inode *dir)
{
	mutex_lock(&dir->data_lock);
	vfs_now(&dir->mtime);
	dir->ctime = dir->mtime;
	mutex_unlock(&dir->data_lock);
}

static void inode_touch_ctime(struct inode *inode)
{
	mutex_lock(&inode->data_lock);
	vfs_now(&inode->ctime);
	mutex_unlock(&inode->data_lock);
}

static int tmpfs_create(struct inode *dir, struct dentry *d, unsigned mode,
			kdev_t rdev)
{
	struct inode *inode = tmpfs_new_inode(dir->sb, mode, rdev);

	if (!inode)
		return -ENOSPC;
	inode_init_owner(dir, &inode->mode, &inode->uid, &inode->gid);
	d_instantiate(d, inode);
	dir_touch(dir);
	return 0;
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *d, unsigned mode)
{
	int err = tmpfs_create(dir, d, mode, 0);

	if (!err)
		dir->nlink++;
	return err;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target)
{
	size_t len = strlen(target);
	struct inode *inode = tmpfs_new_inode(dir->sb, S_IFLNK | 0777, 0);

	if (!inode)
		return -ENOSPC;
	TI(inode)->link = vfs_name_dup(target, len);
	if (!TI(inode)->link) {
		inode->nlink = 0;
		inode_put(inode);
		return -ENOMEM;
	}
	inode->size = len;
	inode_init_owner(dir, &inode->mode, &inode->uid, &inode->gid);
	d_instantiate(d, inode);
	dir_touch(dir);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->inode;

	inode->nlink++;
	inode_get(inode);
	inode_touch_ctime(inode);
	d_instantiate(d, inode);
	dir_touch(dir);
	return 0;
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	d->inode->nlink--;
	inode_touch_ctime(d->inode);
	dir_touch(dir);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->inode->nlink = 0;
	dir->nlink--;
	dir_touch(dir);
	return 0;
}

static int tmpfs_rename(struct inode *odir, struct dentry *od,
			struct inode *ndir, const char *nname, size_t nlen,
			struct dentry *nd, unsigned flags)
{
	bool odir_is = S_ISDIR(od->inode->mode);

	if (flags & RENAME_EXCHANGE) {
		bool ndir_is = S_ISDIR(nd->inode->mode);

		if (odir != ndir && odir_is != ndir_is) {
			if (odir_is) {
				odir->nlink--;
				ndir->nlink++;
			} else {
				ndir->nlink--;
				odir->nlink++;
			}
		}
		inode_touch_ctime(nd->inode);
	} else {
		if (nd) {
			if (S_ISDIR(nd->inode->mode)) {
				nd->inode->nlink = 0;
				ndir->nlink--;
			} else {
				nd->inode->nlink--;
			}
			inode_touch_ctime(nd->inode);
		}
		if (odir_is && odir != ndir) {
			odir->nlink--;
			ndir->nlink++;
		}
	}
	inode_touch_ctime(od->inode);
	dir_touch(odir);
	if (ndir != odir)
		dir_touch(ndir);
	return 0;
}

static const char *tmpfs_get_link(struct inode *inode)
{
	return TI(inode)->link;
}

static int tmpfs_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE) {
		if (attr->size > TMPFS_MAX_PAGES * PAGE_SIZE)
			return -EFBIG;
		mutex_lock(&inode->data_lock);
		if (attr->size < inode->size && inode->pages) {
			/* The size first: faults check it (mm.h, page cache). */
			WRITE_ONCE(inode->size, attr->size);
			page_cache_truncate(inode->pages, attr->size);
			tmpfs_getattr(inode);
		}
		WRITE_ONCE(inode->size, attr->size);
		mutex_unlock(&inode->data_lock);
	}
	inode_setattr_generic(inode, attr);
	return 0;
}

/* ---- file data ---- */

/* st_blocks: the pages the file holds (data_lock held).  Writes and
 * truncation refresh it; stat does too, for pages that stores through
 * shared mappings created. */
static void tmpfs_getattr(struct inode *inode)
{
	if (inode->pages)
		inode->blocks = page_cache_nr_pages(inode->pages) *
				(PAGE_SIZE / 512);
}

static long tmpfs_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0;
	int err = 0;

	mutex_lock(&inode->data_lock);
	while (done < b->len && *pos < inode->size) {
		uint64_t off = *pos % PAGE_SIZE;
		size_t n = MIN(b->len - done, PAGE_SIZE - off);
		paddr_t pa = page_cache_find(inode->pages, *pos / PAGE_SIZE);
		const uint8_t *page = pa ? PHYS_TO_VIRT(pa) : zero_page;
		long got;

		n = MIN(n, inode->size - *pos);
		/* A fault copying out may need mm locks: no page-cache lock
		 * is held, only our reference on the page. */
		got = iobuf_copy_out_prefix(b, done, page + off, n);
		if (pa)
			page_cache_put(pa);
		if (got < 0) {
			err = (int)got;
			break;
		}
		done += got;
		*pos += got;
		if ((size_t)got < n)
			break;          /* the buffer ran into a bad address */
	}
	if (done)
		file_accessed(f);
	mutex_unlock(&inode->data_lock);
	return done ? (long)done : err;
}

/* Write @b at *pos (data_lock held); bytes written or -errno. */
static long write_locked(struct inode *inode, struct iobuf *b, uint64_t *pos)
{
	size_t done = 0;
	int err = 0;

	while (done < b->len) {
		uint64_t off = *pos % PAGE_SIZE, idx = *pos / PAGE_SIZE;
		size_t n = MIN(b->len - done, PAGE_SIZE - off);
		paddr_t pa;
		long got;

		if (idx >= TMPFS_MAX_PAGES) {
			err = -EFBIG;
			break;
		}
		/* data_lock excludes truncation: pages past EOF are fine. */
		err = page_cache_get(inode->pages, idx, true, &pa);
		if (err) {
			err = -ENOSPC;
			break;
		}
		got = iobuf_copy_in_prefix((uint8_t *)PHYS_TO_VIRT(pa) + off, b,
					   done, n);
		if (got > 0)
			page_cache_set_dirty(inode->pages, idx);
		page_cache_put(pa);
		if (got < 0) {
			err = (int)got;
			break;
		}
		done += got;
		*pos += got;
		if (*pos > inode->size)
			WRITE_ONCE(inode->size, *pos);
		if ((size_t)got < n)
			break;          /* the buffer ran into a bad address */
	}
	if (done) {
		vfs_now(&inode->mtime);
		inode->ctime = inode->mtime;
	}
	tmpfs_getattr(inode);
	return done ? (long)done : err;
}

static long tmpfs_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inode *inode = f->inode;
	long n;

	mutex_lock(&inode->data_lock);
	if (file_flags(f) & O_APPEND)
		*pos = inode->size;
	n = write_locked(inode, b, pos);
	mutex_unlock(&inode->data_lock);
	return n;
}

/* ---- super block ---- */

static int tmpfs_statfs(struct super_block *sb, struct statfs_info *st)
{
	uint64_t total = pmm_total_page_count(), free = pmm_free_page_count();

	st->bsize = PAGE_SIZE;
	st->blocks = total / 2;
	st->bfree = st->bavail = MIN(free, total / 2);
	st->files = total / 2;
	st->ffree = st->files > sb->inode_count ? st->files - sb->inode_count : 0;
	st->namelen = NAME_MAX;
	return 0;
}

/* Drop every name below @d (post-order) so the inodes go away. */
static void tmpfs_drop_tree(struct dentry *d)
{
	while (!list_empty(&d->children)) {
		struct dentry *c = list_first_entry(&d->children, struct dentry,
						    child_node);
		dget(c);
		tmpfs_drop_tree(c);
		if (c->inode)
			c->inode->nlink = 0;
		d_drop(c);
		dput(c);
	}
}

static void tmpfs_kill(struct super_block *sb)
{
	tmpfs_drop_tree(sb->root);
	sb->root->inode->nlink = 0;
	dput(sb->root);
	kfree(sb);
}

/* mount -o mode=,uid=,gid= (size= and others accepted and ignored). */
static void parse_options(const char *data, struct inode *root)
{
	while (data && *data) {
		unsigned long v = 0;
		const char *p = data;
		int which = -1;

		if (strncmp(p, "mode=", 5) == 0) {
			which = 0;
			for (p += 5; *p >= '0' && *p <= '7'; p++)
				v = v * 8 + (unsigned long)(*p - '0');
		} else if (strncmp(p, "uid=", 4) == 0 || strncmp(p, "gid=", 4) == 0) {
			which = p[0] == 'u' ? 1 : 2;
			for (p += 4; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (unsigned long)(*p - '0');
		}
		if (which == 0)
			root->mode = S_IFDIR | (v & 07777);
		else if (which == 1)
			root->uid = (uint32_t)v;
		else if (which == 2)
			root->gid = (uint32_t)v;
		while (*p && *p != ',')
			p++;
		data = *p ? p + 1 : p;
	}
}

static struct super_block *tmpfs_mount(const struct fs_type *type,
				       unsigned long flags, const char *data)
{
	struct super_block *sb = sb_alloc(type, &tmpfs_sops, TMPFS_MAGIC);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	root = tmpfs_new_inode(sb, S_IFDIR | 01777, 0);
	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->uid = root->gid = 0;
	parse_options(data, root);
	sb->root = d_alloc_root(sb, root);
	if (!sb->root) {
		root->nlink = 0;
		inode_put(root);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return sb;
}

static const struct inode_operations tmpfs_dir_iops = {
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
};

static const struct inode_operations tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
	.getattr = tmpfs_getattr,
};

static const struct inode_operations tmpfs_link_iops = {
	.get_link = tmpfs_get_link,
	.setattr = tmpfs_setattr,
};

static const struct file_operations tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.mmap = generic_file_mmap,
};

static const struct file_operations tmpfs_dir_fops = {
	.iterate = dcache_dir_iterate,
};

static const struct super_operations tmpfs_sops = {
	.evict = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.kill = tmpfs_kill,
};

const struct fs_type tmpfs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
	.nodev = true,
};

/* ---- building trees from the kernel (initramfs, devtmpfs) ---- */

int tmpfs_fill(struct dentry *parent, const char *name, size_t len,
	       unsigned mode, const void *data, size_t size)
{
	struct inode *dir = parent->inode;
	struct dentry *d;
	int err;

	ASSERT(vfs_lock_held());
	if (d_lookup(parent, name, len))
		return -EEXIST;
	d = d_alloc(parent, name, len);
	if (!d)
		return -ENOMEM;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		err = tmpfs_mkdir(dir, d, mode);
		break;
	case S_IFLNK:
		err = tmpfs_symlink(dir, d, data);
		break;
	case S_IFCHR:
	case S_IFBLK:
		err = tmpfs_create(dir, d, mode, (kdev_t)size);
		break;
	default:
		err = tmpfs_create(dir, d, mode, 0);
		if (!err && size) {
			struct iobuf b = { .user = false, .kbuf = (void *)data,
					   .len = size };
			uint64_t pos = 0;
			long n;

			mutex_lock(&d->inode->data_lock);
			n = write_locked(d->inode, &b, &pos);
			mutex_unlock(&d->inode->data_lock);

			if (n != (long)size)
				err = n < 0 ? (int)n : -ENOSPC;
		}
		break;
	}
	if (!err)
		d_add(d);
	dput(d);
	return err;
}

/* ---- devtmpfs: one tmpfs instance, shared by every mount ---- */

static struct super_block *devtmpfs_sb;        /* [V] */

static void devtmpfs_kill(struct super_block *sb)
{
	/* The instance lives on while unmounted, like Linux's. */
}

static const struct super_operations devtmpfs_sops = {
	.evict = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.kill = devtmpfs_kill,
};

static struct super_block *devtmpfs_get(void)
{
	struct super_block *sb;

	ASSERT(vfs_lock_held());
	if (devtmpfs_sb)
		return devtmpfs_sb;
	sb = tmpfs_mount(&devtmpfs_type, 0, "mode=0755");
	if (IS_ERR(sb))
		return sb;
	sb->ops = &devtmpfs_sops;
	devtmpfs_sb = sb;
	return sb;
}

static struct super_block *devtmpfs_mount(const struct fs_type *type,
					  unsigned long flags, const char *data)
{
	return devtmpfs_get();
}

const struct fs_type devtmpfs_type = {
	.name = "devtmpfs",
	.mount = devtmpfs_mount,
	.nodev = true,
};

int devtmpfs_create_node(const char *name, unsigned mode, unsigned major,
			 unsigned minor)
{
	struct super_block *sb;
	struct dentry *dir;
	const char *slash;
	int err = 0;

	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		return -EINVAL;
	vfs_lock();
	sb = devtmpfs_get();
	if (IS_ERR(sb)) {
		err = (int)PTR_ERR(sb);
		goto out;
	}
	dir = sb->root;
	while ((slash = strchr(name, '/')) != NULL) {      /* "pts/0" */
		size_t len = (size_t)(slash - name);
		struct dentry *sub = d_lookup(dir, name, len);

		if (!sub) {
			err = tmpfs_fill(dir, name, len, S_IFDIR | 0755, NULL, 0);
			if (err)
				goto out;
			sub = d_lookup(dir, name, len);
		}
		if (!sub || !S_ISDIR(sub->inode->mode)) {
			err = -ENOTDIR;
			goto out;
		}
		dir = sub;
		name = slash + 1;
	}
	err = tmpfs_fill(dir, name, strlen(name), mode, NULL, MKDEV(major, minor));
out:
	vfs_unlock();
	return err;
}
