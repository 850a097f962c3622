/*
 * In-kernel tests of the generic rules for device-backed mounts
 * (vfs/mount_dev.c) through a fake type with ->mount_dev: the source
 * must be a block special file (ENOTBLK, ENOENT, EINVAL without one), on
 * a mount that allows devices (EACCES on nodev), naming a registered
 * device (ENXIO/ENODEV when there is none).  The type's ->mount_dev is
 * never reached in these cases, which the test checks too.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "vfs/vfs.h"

static int fake_mount_dev_calls;

static struct super_block *fake_mount_dev(const struct fs_type *type,
					  struct block_device *bdev,
					  unsigned long flags, const char *data)
{
	fake_mount_dev_calls++;
	return ERR_PTR(-EIO);
}

static const struct fs_type fake_blk_type = {
	.name = "ktestblk",
	.mount_dev = fake_mount_dev,
};

KTEST(mount_dev_source_rules)
{
	static bool registered;
	long err;

	if (!registered) {
		KEXPECT_EQ(fs_type_register(&fake_blk_type), 0);
		registered = true;
	}
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/ktm", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/ktm/mnt", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/ktm/nd", 0755), 0);
	KEXPECT_EQ(vfs_mknod(AT_FDCWD, "/ktm/file", S_IFREG | 0644, 0), 0);
	KEXPECT_EQ(vfs_mknod(AT_FDCWD, "/ktm/blk", S_IFBLK | 0600,
			     MKDEV(254, 77)), 0);

	KEXPECT_EQ(vfs_mount("/ktm/file", AT_FDCWD, "/ktm/mnt", "ktestblk", 0,
			     NULL), -ENOTBLK);
	KEXPECT_EQ(vfs_mount("/ktm/mnt", AT_FDCWD, "/ktm/mnt", "ktestblk", 0,
			     NULL), -ENOTBLK);
	KEXPECT_EQ(vfs_mount("/ktm/none", AT_FDCWD, "/ktm/mnt", "ktestblk", 0,
			     NULL), -ENOENT);
	KEXPECT_EQ(vfs_mount(NULL, AT_FDCWD, "/ktm/mnt", "ktestblk", 0, NULL),
		   -EINVAL);
	err = vfs_mount("/ktm/blk", AT_FDCWD, "/ktm/mnt", "ktestblk", MS_RDONLY,
			NULL);
	KEXPECT(err == -ENXIO || err == -ENODEV);

	/* A block node on a nodev mount may not be used. */
	KEXPECT_EQ(vfs_mount("none", AT_FDCWD, "/ktm/nd", "tmpfs", MS_NODEV,
			     NULL), 0);
	KEXPECT_EQ(vfs_mknod(AT_FDCWD, "/ktm/nd/blk", S_IFBLK | 0600,
			     MKDEV(254, 77)), 0);
	KEXPECT_EQ(vfs_mount("/ktm/nd/blk", AT_FDCWD, "/ktm/mnt", "ktestblk",
			     MS_RDONLY, NULL), -EACCES);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktm/nd/blk"), 0);
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/ktm/nd", 0), 0);
	KEXPECT_EQ(fake_mount_dev_calls, 0);

	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktm/blk"), 0);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktm/file"), 0);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/ktm/nd"), 0);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/ktm/mnt"), 0);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/ktm"), 0);
}

/*
 * "memdisk": a file system whose files are kept in a store of their own
 * (kmalloc'ed, MD_PAGES pages per file) behind the page cache, as a disk
 * file system's would be: generic_file_read/write, read-ahead, dirty
 * pages written home by sync(2), syncfs, fsync, O_SYNC, MS_SYNCHRONOUS
 * and unmount.  It counts the store's reads, read-ahead calls, writes and
 * ->sync_fs calls.
 */
#include "vfs/internal.h"
#include "lib/string.h"
#include "mm/mm.h"

#define MD_PAGES 64

struct md_file {
	uint8_t *store;
	int reads, ra_calls, writes;
};

static int md_sync_fs_calls;
static int md_total_writes;
static int md_kills;
static struct md_file *md_last;         /* the file created last */

static struct md_file *MD(struct page_cache *pc)
{
	return ((struct inode *)page_cache_host(pc))->fs_private;
}

static int md_read_page(struct page_cache *pc, uint64_t index, void *page)
{
	struct md_file *m = MD(pc);

	m->reads++;
	if (index < MD_PAGES)
		memcpy(page, m->store + index * PAGE_SIZE, PAGE_SIZE);
	else
		memset(page, 0, PAGE_SIZE);
	return 0;
}

static int md_readahead(struct page_cache *pc, uint64_t index, unsigned nr,
			void *const *pages)
{
	struct md_file *m = MD(pc);

	m->ra_calls++;
	for (unsigned i = 0; i < nr; i++) {
		if (index + i < MD_PAGES)
			memcpy(pages[i], m->store + (index + i) * PAGE_SIZE,
			       PAGE_SIZE);
		else
			memset(pages[i], 0, PAGE_SIZE);
	}
	return 0;
}

static int md_write_page(struct page_cache *pc, uint64_t index,
			 const void *page)
{
	struct md_file *m = MD(pc);

	if (index >= MD_PAGES)
		return -ENOSPC;
	memcpy(m->store + index * PAGE_SIZE, page, PAGE_SIZE);
	m->writes++;
	md_total_writes++;
	return 0;
}

static const struct page_cache_ops md_cache_ops = {
	.read_page = md_read_page,
	.write_page = md_write_page,
	.readahead = md_readahead,
	.size = inode_cache_size,
};

static const struct file_operations md_file_fops = {
	.read = generic_file_read,
	.write = generic_file_write,
};

static const struct file_operations md_dir_fops = {
	.iterate = dcache_dir_iterate,
};

static int md_create(struct inode *dir, struct dentry *d, unsigned mode,
		     kdev_t rdev)
{
	struct inode *inode;
	struct md_file *m;

	if (!S_ISREG(mode))
		return -EPERM;
	inode = inode_alloc(dir->sb, mode);
	m = kzalloc(sizeof(*m));
	if (m)
		m->store = kzalloc(MD_PAGES * PAGE_SIZE);
	if (inode && m && m->store)
		inode->pages = page_cache_create(&md_cache_ops, inode, 0);
	if (!inode || !m || !m->store || !inode->pages) {
		if (m)
			kfree(m->store);
		kfree(m);
		if (inode) {
			inode->nlink = 0;
			inode_put(inode);
		}
		return -ENOSPC;
	}
	page_cache_set_owner(inode->pages, dir->sb);
	inode->fs_private = m;
	inode->f_op = &md_file_fops;
	md_last = m;
	d_instantiate(d, inode);
	return 0;
}

static const struct inode_operations md_dir_iops = {
	.create = md_create,
};

static void md_evict(struct inode *inode)
{
	struct md_file *m = inode->fs_private;

	page_cache_destroy(inode->pages);
	if (m) {
		if (m == md_last)
			md_last = NULL;
		kfree(m->store);
		kfree(m);
	}
}

static int md_sync_fs(struct super_block *sb, bool wait)
{
	md_sync_fs_calls++;
	return 0;
}

static void md_kill(struct super_block *sb)
{
	while (!list_empty(&sb->root->children)) {
		struct dentry *c = list_first_entry(&sb->root->children,
						    struct dentry, child_node);
		dget(c);
		if (c->inode)
			c->inode->nlink = 0;
		d_drop(c);
		dput(c);
	}
	sb->root->inode->nlink = 0;
	dput(sb->root);
	kfree(sb);
	md_kills++;
}

static const struct super_operations md_sops = {
	.evict = md_evict,
	.kill = md_kill,
	.sync_fs = md_sync_fs,
};

static struct super_block *md_mount(const struct fs_type *type,
				    unsigned long flags, const char *data)
{
	struct super_block *sb = sb_alloc(type, &md_sops, 0x6d646b31);
	struct inode *root = sb ? inode_alloc(sb, S_IFDIR | 0755) : NULL;

	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->i_op = &md_dir_iops;
	root->f_op = &md_dir_fops;
	root->nlink = 2;
	sb->root = d_alloc_root(sb, root);
	if (!sb->root) {
		root->nlink = 0;
		inode_put(root);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return sb;
}

static const struct fs_type md_type = {
	.name = "ktestmemdisk",
	.mount = md_mount,
	.nodev = true,
};

static long md_put(const char *path, int flags, size_t len, int fill)
{
	static uint8_t buf[8 * PAGE_SIZE];
	struct file *f = vfs_open(AT_FDCWD, path, O_WRONLY | O_CREAT | flags,
				  0644);
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };
	uint64_t pos = 0;
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	memset(buf, fill, len);
	n = vfs_write(f, &b, &pos);
	file_put(f);
	return n;
}

KTEST(memdisk_writeback_sync_paths)
{
	static bool registered;
	struct page_cache_stats st0, st1;
	struct md_file *m;
	struct file *f;
	int kills, writes;

	if (!registered) {
		KEXPECT_EQ(fs_type_register(&md_type), 0);
		registered = true;
	}
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/ktmd", 0755), 0);
	KEXPECT_EQ(vfs_mount("md", AT_FDCWD, "/ktmd", "ktestmemdisk", 0, NULL),
		   0);
	/* A write leaves dirty pages, counted in Dirty:, not yet written. */
	page_cache_stats(&st0);
	KEXPECT_EQ(md_put("/ktmd/a", 0, 3 * PAGE_SIZE, 'a'), 3 * PAGE_SIZE);
	m = md_last;
	KEXPECT(m != NULL);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty + 3);
	KEXPECT_EQ(m->writes, 0);
	KEXPECT_EQ(m->store[0], 0);
	/* sync(2): every page home, ->sync_fs called. */
	md_sync_fs_calls = 0;
	vfs_sync_all();
	KEXPECT_EQ(m->writes, 3);
	KEXPECT_EQ(m->store[2 * PAGE_SIZE], 'a');
	KEXPECT(md_sync_fs_calls >= 1);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty);
	/* fsync of one file. */
	f = vfs_open(AT_FDCWD, "/ktmd/a", O_WRONLY, 0);
	KEXPECT(!IS_ERR(f));
	if (!IS_ERR(f)) {
		static const char x[] = "x";
		struct iobuf b = { .user = false, .kbuf = (void *)x, .len = 1 };
		uint64_t pos = PAGE_SIZE;

		KEXPECT_EQ(vfs_write(f, &b, &pos), 1);
		KEXPECT_EQ(m->writes, 3);
		KEXPECT_EQ(vfs_fsync(f, false), 0);
		KEXPECT_EQ(m->writes, 4);
		KEXPECT_EQ(m->store[PAGE_SIZE], 'x');
		KEXPECT_EQ(vfs_syncfs(f), 0);
		file_put(f);
	}
	/* O_SYNC: written before write(2) returns. */
	KEXPECT_EQ(md_put("/ktmd/a", O_SYNC, 1, 'y'), 1);
	KEXPECT_EQ(m->writes, 5);
	KEXPECT_EQ(m->store[0], 'y');
	/* MS_SYNCHRONOUS mount: the same without O_SYNC. */
	KEXPECT_EQ(vfs_mount(NULL, AT_FDCWD, "/ktmd", NULL,
			     MS_REMOUNT | MS_SYNCHRONOUS, NULL), 0);
	KEXPECT_EQ(md_put("/ktmd/a", 0, 1, 'z'), 1);
	KEXPECT_EQ(m->writes, 6);
	KEXPECT_EQ(vfs_mount(NULL, AT_FDCWD, "/ktmd", NULL, MS_REMOUNT, NULL),
		   0);

	/* Read-ahead in the read path: the store's pages come in windows. */
	KEXPECT_EQ(md_put("/ktmd/b", 0, 8 * PAGE_SIZE, 'b'), 8 * PAGE_SIZE);
	m = md_last;
	vfs_sync_all();
	KEXPECT(page_cache_reclaim(1000) >= 8);        /* clean: dropped */
	m->reads = m->ra_calls = 0;     /* the writes read the pages in */
	f = vfs_open(AT_FDCWD, "/ktmd/b", O_RDONLY, 0);
	KEXPECT(!IS_ERR(f));
	if (!IS_ERR(f)) {
		static char c[512];
		uint64_t pos = 0;
		long total = 0, n;

		do {
			struct iobuf b = { .user = false, .kbuf = c,
					   .len = sizeof(c) };
			n = vfs_read(f, &b, &pos);
			if (n > 0 && (c[0] != 'b' || c[n - 1] != 'b'))
				break;
			total += n > 0 ? n : 0;
		} while (n == sizeof(c));
		KEXPECT_EQ(total, 8 * PAGE_SIZE);
		KEXPECT_EQ(m->reads, 0);                /* no page by page */
		KEXPECT(m->ra_calls >= 2 && m->ra_calls <= 4);
		file_put(f);
	}

	/* Dirty data is written home when the file system is unmounted. */
	KEXPECT_EQ(md_put("/ktmd/a", 0, 1, 'q'), 1);
	m = NULL;
	kills = md_kills;
	writes = md_total_writes;
	md_sync_fs_calls = 0;
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/ktmd", 0), 0);
	KEXPECT_EQ(md_kills, kills + 1);
	KEXPECT_EQ(md_total_writes, writes + 1);
	KEXPECT(md_sync_fs_calls >= 1);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/ktmd"), 0);
}
