/*
 * ext4 in the VFS: the "ext4", "ext3" and "ext2" file system types over
 * the read path of ext4/ (kernel only).
 *
 * Model: a mount reads the superblock of the block device the VFS
 * resolved from the mount source (fs_type.mount_dev) and is always
 * read-only (no write support yet: MS_RDONLY in sb->flags makes the VFS
 * refuse every change with EROFS; a mount without MS_RDONLY is made
 * read-only and logged, a remount read-write is refused with EROFS).
 * Each VFS inode is built on lookup from the on-disk inode (decoded
 * copy in struct ext4_vnode, freed at evict); the dentry tree caches
 * names.  Regular files are read through their page cache
 * (generic_file_read, with read-ahead), whose read_page reads the file's
 * blocks; mmap maps those pages.  Directory positions are the
 * library's byte offsets: getdents' d_off (position + 1) resumes at the
 * next entry.  st_dev is the device's number.
 *
 * Locking: a mounted ext4_fs is immutable (reads only), so the ops take
 * no lock of their own; lookup/get_link run under vfs_lock as the VFS
 * calls them, read_page must not take the data lock (generic_file_read
 * holds it; mm/mm.h rules), and the buffer cache serializes the I/O.
 */
#include "ext4/internal.h"
#include "vfs/vfs.h"
#include "block/block.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

struct ext4_sb_info {
	struct ext4_fs *fs;             /* [I] */
	struct block_device *bdev;      /* [I] referenced */
};

struct ext4_vnode {
	struct ext4_inode ei;           /* [I] */
	char *link;                     /* [V] symlink target, read once */
};

static const struct inode_operations ext4_dir_iops;
static const struct inode_operations ext4_file_iops;
static const struct inode_operations ext4_link_iops;
static const struct file_operations ext4_dir_fops;
static const struct file_operations ext4_file_fops;
static const struct super_operations ext4_sops;

static struct ext4_fs *FS(struct super_block *sb)
{
	return ((struct ext4_sb_info *)sb->fs_info)->fs;
}

static struct ext4_vnode *VN(struct inode *inode)
{
	return inode->fs_private;
}

static struct timespec64 ts(struct ext4_time t)
{
	return (struct timespec64){.tv_sec = t.sec, .tv_nsec = t.nsec};
}

/* ext4's device numbers: Linux's new encoding (12-bit major split). */
static kdev_t decode_rdev(uint32_t d)
{
	return MKDEV((d & 0xfff00) >> 8, (d & 0xff) | ((d >> 12) & 0xfff00));
}

/* ---- page cache ---- */

static int ext4_read_page(struct page_cache *pc, uint64_t index, void *page)
{
	struct inode *inode = page_cache_host(pc);
	long n = ext4_file_read(FS(inode->sb), &VN(inode)->ei,
				index * PAGE_SIZE, page, PAGE_SIZE);

	if (n < 0)
		return n == -ENOMEM ? -ENOMEM : -EIO;
	memset((uint8_t *)page + n, 0, PAGE_SIZE - (size_t)n);
	return 0;
}

static const struct page_cache_ops ext4_cache_ops = {
	.read_page = ext4_read_page,
	.size = inode_cache_size,
};

/* ---- inodes ---- */

/* The VFS inode for on-disk inode @ino (vfs_lock held); ERR_PTR. */
static struct inode *ext4_iget(struct super_block *sb, uint32_t ino)
{
	struct ext4_fs *fs = FS(sb);
	struct ext4_vnode *vn = kzalloc(sizeof(*vn));
	struct inode *inode;
	int err;

	if (!vn)
		return ERR_PTR(-ENOMEM);
	err = ext4_inode_read(fs, ino, &vn->ei);
	if (!err && (vn->ei.links == 0 || (vn->ei.mode & S_IFMT) == 0))
		err = EXT4_CORRUPT(fs, "directory entry names free inode %u", ino);
	if (err) {
		ext4_inode_put(&vn->ei);
		kfree(vn);
		return ERR_PTR(err);
	}
	inode = inode_alloc(sb, vn->ei.mode);
	if (!inode) {
		ext4_inode_put(&vn->ei);
		kfree(vn);
		return ERR_PTR(-ENOMEM);
	}
	inode->fs_private = vn;
	inode->ino = ino;
	inode->uid = vn->ei.uid;
	inode->gid = vn->ei.gid;
	inode->nlink = vn->ei.links;
	inode->size = vn->ei.size;
	inode->blocks = vn->ei.blocks;
	/* as Linux: a regular file's inline data counts its sectors, so
	 * that it does not look wholly sparse to tar and rsync */
	if ((vn->ei.flags & EXT4_INLINE_DATA_FL) && S_ISREG(vn->ei.mode))
		inode->blocks += (vn->ei.size + 511) >> 9;
	inode->atime = ts(vn->ei.atime);
	inode->mtime = ts(vn->ei.mtime);
	inode->ctime = ts(vn->ei.ctime);
	inode->btime = ts(vn->ei.crtime);
	switch (vn->ei.mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &ext4_dir_iops;
		inode->f_op = &ext4_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &ext4_file_iops;
		inode->f_op = &ext4_file_fops;
		inode->pages = page_cache_create(&ext4_cache_ops, inode, 0);
		if (!inode->pages) {
			inode_put(inode);       /* evict frees vn */
			return ERR_PTR(-ENOMEM);
		}
		break;
	case S_IFLNK:
		inode->i_op = &ext4_link_iops;
		break;
	default:
		inode->rdev = decode_rdev(vn->ei.rdev);
		inode->i_op = &ext4_file_iops;
		inode_init_special(inode);
		break;
	}
	return inode;
}

static void ext4_evict(struct inode *inode)
{
	struct ext4_vnode *vn = VN(inode);

	page_cache_destroy(inode->pages);
	if (!vn)
		return;
	ext4_inode_put(&vn->ei);
	kfree(vn->link);
	kfree(vn);
}

static struct inode *ext4_lookup(struct inode *dir, const char *name,
				 size_t len)
{
	uint32_t ino;
	int err;

	if (len > EXT4_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	err = ext4_dir_lookup(FS(dir->sb), &VN(dir)->ei, name, (unsigned)len,
			      &ino);
	if (err == -ENOENT)
		return NULL;
	if (err)
		return ERR_PTR(err);
	return ext4_iget(dir->sb, ino);
}

static const char *ext4_get_link(struct inode *inode)
{
	struct ext4_vnode *vn = VN(inode);
	char *buf;
	long n;

	if (vn->link)
		return vn->link;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	n = ext4_readlink(FS(inode->sb), &vn->ei, buf, PATH_MAX - 1);
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n == -ERANGE ? -ENAMETOOLONG : n);
	}
	buf[n] = '\0';
	vn->link = buf;
	return buf;
}

/* Only the user namespace is exposed for now. */
static long ext4_getxattr(struct inode *inode, const char *name, void *buf,
			  size_t size)
{
	if (strncmp(name, "user.", 5) != 0)
		return -ENODATA;
	return ext4_xattr_get(FS(inode->sb), &VN(inode)->ei, name, buf, size);
}

static long ext4_listxattr(struct inode *inode, char *buf, size_t size)
{
	struct ext4_fs *fs = FS(inode->sb);
	long n = ext4_xattr_list(fs, &VN(inode)->ei, NULL, 0);
	char *all;
	size_t used = 0;

	if (n <= 0)
		return n;
	all = kmalloc((size_t)n);
	if (!all)
		return -ENOMEM;
	n = ext4_xattr_list(fs, &VN(inode)->ei, all, (size_t)n);
	for (long off = 0; n > 0 && off < n;) {
		size_t len = strnlen(all + off, (size_t)(n - off)) + 1;
		if (strncmp(all + off, "user.", 5) == 0) {
			if (size && used + len > size) {
				used = 0;
				n = -ERANGE;
				break;
			}
			if (size)
				memcpy(buf + used, all + off, len);
			used += len;
		}
		off += (long)len;
	}
	kfree(all);
	return n < 0 ? n : (long)used;
}

/* ---- files ---- */

static int ext4_iter_actor(void *c, const char *name, unsigned len,
			   uint32_t ino, unsigned dtype, uint64_t pos,
			   uint64_t next)
{
	struct dir_context *ctx = c;

	ctx->pos = pos;         /* d_off is pos + 1: resumes after it */
	if (!ctx->emit(ctx, name, len, ino, dtype))
		return 1;
	ctx->pos = next;
	return 0;
}

static int ext4_iterate(struct file *f, struct dir_context *ctx)
{
	uint64_t pos = ctx->pos;
	int err = ext4_dir_iterate(FS(f->inode->sb), &VN(f->inode)->ei, &pos,
				   ext4_iter_actor, ctx);

	if (err)
		return err;
	if (pos > ctx->pos)
		ctx->pos = pos;
	return 0;
}

/* ---- super block ---- */

static int ext4_vfs_statfs(struct super_block *sb, struct statfs_info *st)
{
	struct ext4_statfs s;

	ext4_statfs(FS(sb), &s);
	st->bsize = s.block_size;
	st->blocks = s.blocks;
	st->bfree = s.free_blocks;
	st->bavail = s.avail_blocks;
	st->files = s.inodes;
	st->ffree = s.free_inodes;
	st->namelen = s.name_max;
	return 0;
}

static void drop_tree(struct dentry *d)
{
	while (!list_empty(&d->children)) {
		struct dentry *c = list_first_entry(&d->children, struct dentry,
						    child_node);
		dget(c);
		drop_tree(c);
		d_drop(c);
		dput(c);
	}
}

static void ext4_kill(struct super_block *sb)
{
	struct ext4_sb_info *info = sb->fs_info;

	drop_tree(sb->root);
	dput(sb->root);
	ext4_unmount(info->fs);
	block_put(info->bdev);          /* the reference sb->bdev names */
	kfree(info);
	kfree(sb);
}

/* No write support yet: remounting read-write is refused. */
static int ext4_remount(struct super_block *sb, unsigned long flags,
			const char *data)
{
	return (flags & MS_RDONLY) ? 0 : -EROFS;
}

static struct super_block *ext4_mount_dev(const struct fs_type *type,
					  struct block_device *bdev,
					  unsigned long flags, const char *data)
{
	struct ext4_sb_info *info = kzalloc(sizeof(*info));
	struct super_block *sb = NULL;
	struct inode *root;
	const char *kind;
	int err;

	if (!info)
		return ERR_PTR(-ENOMEM);
	err = ext4_mount(bdev, EXT4_MOUNT_RDONLY, &info->fs);
	if (err)
		goto out_free;
	kind = ext4_fs_kind(info->fs);
	/* ext4 reads all three; ext2/ext3 only images without newer features */
	if (strcmp(type->name, "ext4") != 0 && strcmp(kind, "ext4") == 0) {
		printk(KERN_ERR "%s (%s): the file system has ext4 features\n",
		       type->name, block_name(bdev));
		err = -EINVAL;
		goto out_unmount;
	}
	info->bdev = bdev;
	sb = sb_alloc(type, &ext4_sops, EXT4_SUPER_MAGIC);
	if (!sb) {
		err = -ENOMEM;
		goto out_unmount;
	}
	if (!(flags & MS_RDONLY))
		printk(KERN_NOTICE "%s (%s): mounted read-only (no write support yet)\n",
		       type->name, block_name(bdev));
	sb->flags |= MS_RDONLY;         /* kept by the VFS: a read-only mount */
	sb->dev = MKDEV(block_major(bdev), block_minor(bdev));
	sb->fs_info = info;
	root = ext4_iget(sb, EXT4_ROOT_INO);
	if (IS_ERR(root)) {
		err = (int)PTR_ERR(root);
		goto out_sb;
	}
	sb->root = d_alloc_root(sb, root);
	if (!sb->root) {
		inode_put(root);
		err = -ENOMEM;
		goto out_sb;
	}
	return sb;

out_sb:
	kfree(sb);
out_unmount:
	ext4_unmount(info->fs);
out_free:
	kfree(info);
	return ERR_PTR(err);
}

static const struct inode_operations ext4_dir_iops = {
	.lookup = ext4_lookup,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct inode_operations ext4_file_iops = {
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct inode_operations ext4_link_iops = {
	.get_link = ext4_get_link,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct file_operations ext4_dir_fops = {
	.iterate = ext4_iterate,
};

static const struct file_operations ext4_file_fops = {
	.read = generic_file_read,
	.mmap = generic_file_mmap,
};

static const struct super_operations ext4_sops = {
	.evict = ext4_evict,
	.statfs = ext4_vfs_statfs,
	.kill = ext4_kill,
	.remount = ext4_remount,
};

static const struct fs_type ext4_types[] = {
	{.name = "ext4", .mount_dev = ext4_mount_dev},
	{.name = "ext3", .mount_dev = ext4_mount_dev},
	{.name = "ext2", .mount_dev = ext4_mount_dev},
};

void ext4_init(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ext4_types); i++)
		if (fs_type_register(&ext4_types[i]))
			pr_warn("ext4: cannot register %s\n", ext4_types[i].name);
}
