/*
 * ext4 in the VFS: the "ext4", "ext3" and "ext2" file system types over
 * the ext4/ library (kernel only), read-only or read-write.
 *
 * Model: a mount reads the superblock of the block device the VFS
 * resolved from the mount source (fs_type.mount_dev).  A read-write
 * mount loads the journal (the library's EXT4_MOUNT_WRITE); a device
 * that is read-only, or a file system with features we cannot write,
 * is mounted read-only with a notice, and remount switches between the
 * two.  Each in-use inode has one VFS inode (found by number in the
 * per-mount inode table, so hard links share it) holding the decoded
 * on-disk inode (struct ext4_vnode.ei): every change goes through the
 * library on that one copy, under a journal handle.  The dentry tree
 * caches names.
 *
 * Data: regular files live in their page cache (generic_file_read and
 * generic_file_write).  Blocks are allocated at writeback: write_page
 * maps (or allocates, in a handle) the page's blocks, updates the
 * on-disk size and times, and writes the data before the handle ends,
 * so a transaction that points at new blocks never commits before
 * their data is on the device (ordered mode without a data list).  A
 * write checks for free space first so that writeback seldom meets
 * ENOSPC.  fsync writes the file's pages, then commits the journal.
 *
 * Unlinked files: the library keeps an inode whose last name went on
 * the orphan list; evict (the last reference gone) frees it.
 *
 * Locking: the VFS calls the namespace operations with vfs_lock held.
 * ext4_sb_info.lock serializes every library call that changes or
 * walks a changing inode (namespace operations, write_page, setattr,
 * the mapping part of read_page); it is taken after journal_start
 * (a handle may wait for a commit, which takes none of our locks) and
 * after an inode's data_lock.  The library drops it around a
 * journal_restart (ext4_fs.caller_lock): that waits for a commit, which
 * waits for the handles of threads that may be waiting for the lock.  write_page never takes vfs_lock (umount
 * calls it with vfs_lock held).
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "vfs/vfs.h"
#include "block/block.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "sched/sched.h"

#define ICACHE_BUCKETS 256
/* Journal credits (ext4/internal.h's EXT4_CREDITS_*): a write_pages
 * handle maps up to four runs of blocks (what the smallest journal allows), then writes the inode. */
#define CREDITS_WRITE_PAGES (4 * EXT4_CREDITS_MAP_CREATE + \
			     EXT4_CREDITS_INODE_WRITE)
/* An entry added to an indexed directory may split a leaf and index
 * nodes: more blocks than a linear directory's add. */
#define DIR_MARGIN 16

struct ext4_sb_info {
	struct ext4_fs *fs;             /* [I] */
	struct block_device *bdev;      /* [I] referenced */
	struct mutex lock;              /* the write lock (see the model) */
	bool writable;                  /* [V] journal loaded (rw mount) */
	/* In-use inodes by number: struct ext4_vnode.hash.  [V] */
	struct list_node icache[ICACHE_BUCKETS];
};

struct ext4_vnode {
	struct ext4_inode ei;           /* [lock] the on-disk inode */
	char *link;                     /* [V] symlink target, read once */
	struct inode *inode;            /* [I] the VFS inode it belongs to */
	struct list_node hash;          /* [V] in ext4_sb_info.icache */
	bool freed;                     /* [V] evict freed it on disk */
};

static const struct inode_operations ext4_dir_iops;
static const struct inode_operations ext4_file_iops;
static const struct inode_operations ext4_special_iops;
static const struct inode_operations ext4_link_iops;
static const struct file_operations ext4_dir_fops;
static const struct file_operations ext4_file_fops;
static const struct super_operations ext4_sops;

static struct ext4_sb_info *INFO(struct super_block *sb)
{
	return sb->fs_info;
}

static struct ext4_fs *FS(struct super_block *sb)
{
	return INFO(sb)->fs;
}

static struct ext4_vnode *VN(struct inode *inode)
{
	return inode->fs_private;
}

static struct timespec64 ts(struct ext4_time t)
{
	return (struct timespec64){.tv_sec = t.sec, .tv_nsec = t.nsec};
}

static struct ext4_time ext4_ts(struct timespec64 t)
{
	return (struct ext4_time){.sec = t.tv_sec, .nsec = (uint32_t)t.tv_nsec};
}

static struct ext4_time now(void)
{
	struct timespec64 t;

	vfs_now(&t);
	return ext4_ts(t);
}

/* ext4's device numbers: Linux's new encoding (12-bit major split). */
static kdev_t decode_rdev(uint32_t d)
{
	return MKDEV((d & 0xfff00) >> 8, (d & 0xff) | ((d >> 12) & 0xfff00));
}

static uint32_t encode_rdev(kdev_t dev)
{
	uint32_t major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* The largest file: 2^32 - 1 blocks (extent logical block numbers). */
static uint64_t max_bytes(struct ext4_fs *fs)
{
	return (((uint64_t)1 << 32) - 1) * ext4_block_size(fs);
}

/* ---- handles ---- */

/* Start a change of up to @credits blocks and take the write lock. */
static struct journal_handle *change_begin(struct super_block *sb,
					   int credits)
{
	struct ext4_sb_info *info = INFO(sb);
	struct journal_handle *h;

	if (!info->writable)
		return ERR_PTR(-EROFS);
	h = journal_start(info->fs->journal, credits);
	if (!IS_ERR(h))
		mutex_lock(&info->lock);
	return h;
}

/* End it (synchronously on -o sync/dirsync mounts); the first error. */
static int change_end(struct super_block *sb, struct journal_handle *h,
		      int err)
{
	int err2;

	mutex_unlock(&INFO(sb)->lock);
	if (sb->flags & (MS_SYNCHRONOUS | MS_DIRSYNC))
		journal_handle_set_sync(h);
	err2 = journal_stop(h);
	return err ? err : err2;
}

/* The VFS copy of @vn's fields after the library changed them (the
 * size of a regular file is the VFS's: it runs ahead of the disk while
 * pages are dirty). */
static void vfs_fields_update(struct inode *inode)
{
	struct ext4_inode *ei = &VN(inode)->ei;

	inode->mode = ei->mode;
	inode->uid = ei->uid;
	inode->gid = ei->gid;
	inode->nlink = ei->links;
	if (!S_ISREG(ei->mode) || ei->size > inode->size)
		inode->size = ei->size;
	inode->blocks = ei->blocks;
	inode->atime = ts(ei->atime);
	inode->mtime = ts(ei->mtime);
	inode->ctime = ts(ei->ctime);
}

/* ---- page cache ---- */

/*
 * Fill @page with page @index: block mappings under the write lock (the
 * tree may be changing), the data read without it.
 */
static int ext4_read_page(struct page_cache *pc, uint64_t index, void *page)
{
	struct inode *inode = page_cache_host(pc);
	struct ext4_sb_info *info = INFO(inode->sb);
	struct ext4_fs *fs = info->fs;
	struct ext4_inode *ei = &VN(inode)->ei;
	unsigned bs = ext4_block_size(fs), per_page = PAGE_SIZE / bs;
	uint64_t size = inode_size_read(inode);
	long n;

	if (ei->flags & EXT4_INLINE_DATA_FL) {
		mutex_lock(&info->lock);
		n = ext4_file_read(fs, ei, index * PAGE_SIZE, page, PAGE_SIZE);
		mutex_unlock(&info->lock);
		if (n < 0)
			return n == -ENOMEM ? -ENOMEM : -EIO;
		memset((uint8_t *)page + n, 0, PAGE_SIZE - (size_t)n);
		return 0;
	}
	for (unsigned i = 0; i < per_page;) {
		uint64_t lblk = index * per_page + i, pblk = 0, contig = 1;
		uint8_t *dst = (uint8_t *)page + (size_t)i * bs;
		unsigned run;
		int err = 0;

		if (lblk * bs >= size) {
			memset(dst, 0, (size_t)(per_page - i) * bs);
			break;
		}
		if (lblk < ((uint64_t)1 << 32)) {
			mutex_lock(&info->lock);
			err = ext4_map_block(fs, ei, lblk, &pblk, &contig);
			mutex_unlock(&info->lock);
		}
		if (err)
			return err == -ENOMEM ? -ENOMEM : -EIO;
		run = (unsigned)MIN(contig, (uint64_t)(per_page - i));
		if (!pblk) {
			memset(dst, 0, (size_t)run * bs);
		} else {
			err = block_rw(fs->bdev, BLOCK_READ, pblk * (bs / SECTOR_SIZE),
				       dst, (size_t)run * bs);
			if (err)
				return -EIO;
		}
		i += run;
	}
	/* bytes past EOF read as zeros */
	if (size < (index + 1) * PAGE_SIZE && size > index * PAGE_SIZE)
		memset((uint8_t *)page + (size - index * PAGE_SIZE), 0,
		       (size_t)((index + 1) * PAGE_SIZE - size));
	return 0;
}

/* Write blocks [@first, @end) of a run of pages (@pages[i] holds file
 * blocks from @lblk0 + i * per_page on) to their device blocks @pblk[],
 * each run contiguous on disk as one request. */
static int write_blocks(struct ext4_fs *fs, void *const *pages,
			const uint64_t *pblk, uint32_t first, uint32_t end)
{
	unsigned bs = ext4_block_size(fs), per_page = PAGE_SIZE / bs;
	struct block_segment segs[64];  /* a longer run: more requests */
	int err = 0;

	for (uint32_t i = first; i < end && !err;) {
		struct block_request rq = { .op = BLOCK_WRITE,
					    .sector = pblk[i] * (bs / SECTOR_SIZE),
					    .segments = segs };
		uint32_t run = 0;

		do {
			uint32_t k = i + run;

			segs[run].buf = (uint8_t *)pages[k / per_page] +
					(size_t)(k % per_page) * bs;
			segs[run].len = bs;
			run++;
		} while (i + run < end && pblk[i + run] == pblk[i] + run &&
			 run < ARRAY_SIZE(segs));
		rq.nr_segments = run;
		err = block_submit_wait(fs->bdev, &rq);
		i += run;
	}
	return err;
}

/*
 * Write @nr consecutive pages from @index home.  Their blocks below EOF
 * are mapped, holes allocated in a handle (as one contiguous run where
 * the disk allows), the on-disk size and times follow the VFS inode, and
 * the data goes out before the handle ends: its transaction cannot
 * commit (and point at the new blocks) before their data is on the
 * device.  A handle that runs short of credits ends after writing what
 * it mapped, and the rest continues in a new one.
 */
static int ext4_write_pages(struct page_cache *pc, uint64_t index,
			    unsigned nr, void *const *pages)
{
	struct inode *inode = page_cache_host(pc);
	struct super_block *sb = inode->sb;
	struct ext4_sb_info *info = INFO(sb);
	struct ext4_fs *fs = info->fs;
	struct ext4_vnode *vn = VN(inode);
	struct ext4_inode *ei = &vn->ei;
	unsigned bs = ext4_block_size(fs), per_page = PAGE_SIZE / bs;
	uint64_t size = inode_size_read(inode), lblk0 = index * per_page;
	uint64_t *pblk;
	uint32_t nblk, done = 0;
	int err = 0;

	if (index * PAGE_SIZE >= size || vn->freed)
		return 0;               /* truncated away meanwhile */
	if (!info->writable)
		return -EROFS;
	pblk = kmalloc(sizeof(*pblk) * WRITEBACK_BATCH * (PAGE_SIZE / 1024));
	if (!pblk)
		return -ENOMEM;
	nblk = (uint32_t)MIN((uint64_t)nr * per_page,
			     DIV_ROUND_UP(size - index * PAGE_SIZE, bs));
	while (done < nblk && !err) {
		struct journal_handle *h = change_begin(sb, CREDITS_WRITE_PAGES);
		uint32_t mapped = done;
		uint64_t disk_size;
		int err2;

		if (IS_ERR(h)) {
			err = (int)PTR_ERR(h);
			break;
		}
		while (mapped < nblk && !err &&
		       journal_handle_credits(h) >= EXT4_CREDITS_MAP_CREATE +
						    EXT4_CREDITS_INODE_WRITE) {
			uint32_t len;
			uint64_t p;
			bool fresh;

			err = ext4_map_blocks_create(h, fs, ei,
						     (uint32_t)(lblk0 + mapped),
						     nblk - mapped, &p, &len,
						     &fresh);
			for (uint32_t k = 0; !err && k < len; k++)
				pblk[mapped + k] = p + k;
			if (!err)
				mapped += len;
		}
		disk_size = MIN(size, (lblk0 + mapped) * bs);
		if (disk_size > ei->size)
			ei->size = disk_size;
		ei->mtime = ext4_ts(inode->mtime);
		ei->ctime = ext4_ts(inode->ctime);
		err2 = ext4_inode_write(h, fs, ei);
		if (!err)
			err = err2;
		inode->blocks = ei->blocks;
		mutex_unlock(&info->lock);
		/* the data before the handle ends (see above) */
		err2 = write_blocks(fs, pages, pblk, done, mapped);
		if (!err)
			err = err2;
		if (sb->flags & MS_SYNCHRONOUS)
			journal_handle_set_sync(h);
		err2 = journal_stop(h);
		if (!err)
			err = err2;
		done = mapped;
	}
	kfree(pblk);
	return err;
}

static int ext4_write_page(struct page_cache *pc, uint64_t index,
			   const void *page)
{
	void *pages[1] = { (void *)page };

	return ext4_write_pages(pc, index, 1, pages);
}

static const struct page_cache_ops ext4_cache_ops = {
	.read_page = ext4_read_page,
	.write_page = ext4_write_page,
	.write_pages = ext4_write_pages,
	.size = inode_cache_size,
};

/* ---- inodes ---- */

static struct list_node *icache_bucket(struct ext4_sb_info *info,
				       uint32_t ino)
{
	return &info->icache[(ino * 2654435761u) % ICACHE_BUCKETS];
}

/* The VFS inode for the decoded @ei (taken over: freed on failure);
 * vfs_lock held.  ERR_PTR. */
static struct inode *inode_of(struct super_block *sb, struct ext4_inode *ei)
{
	struct ext4_vnode *vn = kzalloc(sizeof(*vn));
	struct inode *inode;

	if (!vn) {
		ext4_inode_put(ei);
		return ERR_PTR(-ENOMEM);
	}
	vn->ei = *ei;
	inode = inode_alloc(sb, vn->ei.mode);
	if (!inode) {
		ext4_inode_put(&vn->ei);
		kfree(vn);
		return ERR_PTR(-ENOMEM);
	}
	inode->fs_private = vn;
	vn->inode = inode;
	list_add(&vn->hash, icache_bucket(INFO(sb), vn->ei.ino));
	inode->ino = vn->ei.ino;
	inode->size = vn->ei.size;
	vfs_fields_update(inode);
	/* as Linux: a regular file's inline data counts its sectors, so
	 * that it does not look wholly sparse to tar and rsync */
	if ((vn->ei.flags & EXT4_INLINE_DATA_FL) && S_ISREG(vn->ei.mode))
		inode->blocks += (vn->ei.size + 511) >> 9;
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
		page_cache_set_owner(inode->pages, sb);
		break;
	case S_IFLNK:
		inode->i_op = &ext4_link_iops;
		break;
	default:
		inode->rdev = decode_rdev(vn->ei.rdev);
		inode->i_op = &ext4_special_iops;
		inode_init_special(inode);
		break;
	}
	return inode;
}

/* The VFS inode for on-disk inode @ino (vfs_lock held); ERR_PTR. */
static struct inode *ext4_iget(struct super_block *sb, uint32_t ino)
{
	struct ext4_sb_info *info = INFO(sb);
	struct list_node *bucket = icache_bucket(info, ino), *pos;
	struct ext4_inode ei;
	int err;

	list_for_each(pos, bucket) {
		struct ext4_vnode *vn = list_entry(pos, struct ext4_vnode, hash);

		if (vn->ei.ino == ino) {
			inode_get(vn->inode);
			return vn->inode;
		}
	}
	mutex_lock(&info->lock);
	err = ext4_inode_read(info->fs, ino, &ei);
	mutex_unlock(&info->lock);
	if (!err && (ei.links == 0 || (ei.mode & S_IFMT) == 0)) {
		ext4_inode_put(&ei);
		return ERR_PTR(EXT4_CORRUPT(info->fs,
				"directory entry names free inode %u", ino));
	}
	if (err)
		return ERR_PTR(err);
	return inode_of(sb, &ei);
}

/* The last reference is gone: an inode without names is freed on disk
 * (it waited on the orphan list); dirty pages of others were written
 * back by sync/umount or are dropped with the cache. */
static void ext4_evict(struct inode *inode)
{
	struct ext4_vnode *vn = VN(inode);
	struct super_block *sb = inode->sb;

	page_cache_destroy(inode->pages);
	if (!vn)
		return;
	list_del(&vn->hash);
	if (vn->ei.links == 0 && INFO(sb)->writable) {
		struct journal_handle *h = change_begin(sb, EXT4_CREDITS_FREE_INODE);

		if (!IS_ERR(h))
			change_end(sb, h, ext4_inode_free(h, FS(sb), &vn->ei,
							  now()));
		vn->freed = true;
	}
	ext4_inode_put(&vn->ei);
	kfree(vn->link);
	kfree(vn);
}

static struct inode *ext4_lookup(struct inode *dir, const char *name,
				 size_t len)
{
	struct ext4_sb_info *info = INFO(dir->sb);
	uint32_t ino;
	int err;

	mutex_lock(&info->lock);
	err = ext4_dir_lookup(info->fs, &VN(dir)->ei, name, (unsigned)len,
			      &ino);
	mutex_unlock(&info->lock);
	if (err == -ENOENT)
		return NULL;
	if (err)
		return ERR_PTR(err);
	return ext4_iget(dir->sb, ino);
}

static const char *ext4_get_link(struct inode *inode)
{
	struct ext4_sb_info *info = INFO(inode->sb);
	struct ext4_vnode *vn = VN(inode);
	char *buf;
	long n;

	if (vn->link)
		return vn->link;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&info->lock);
	n = ext4_readlink(info->fs, &vn->ei, buf, PATH_MAX - 1);
	mutex_unlock(&info->lock);
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n == -ERANGE ? -ENAMETOOLONG : n);
	}
	buf[n] = '\0';
	vn->link = buf;
	return buf;
}

/* ---- names ---- */

/* Attach the new on-disk inode @ei to @d and refresh @dir. */
static int instantiate(struct inode *dir, struct dentry *d,
		       struct ext4_inode *ei)
{
	struct inode *inode = inode_of(dir->sb, ei);

	vfs_fields_update(dir);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(d, inode);
	return 0;
}

static int ext4_vfs_create(struct inode *dir, struct dentry *d, unsigned mode,
			   kdev_t rdev)
{
	struct super_block *sb = dir->sb;
	struct ext4_inode ei;
	struct journal_handle *h;
	uint32_t uid, gid;
	int err;

	inode_init_owner(dir, &mode, &uid, &gid);
	h = change_begin(sb, EXT4_CREDITS_CREATE + DIR_MARGIN);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = ext4_create(h, FS(sb), &VN(dir)->ei, d->name, d->name_len,
			  (uint16_t)mode, uid, gid, encode_rdev(rdev), now(), &ei);
	err = change_end(sb, h, err);
	if (err)
		return err;
	return instantiate(dir, d, &ei);
}

static int ext4_vfs_mkdir(struct inode *dir, struct dentry *d, unsigned mode)
{
	return ext4_vfs_create(dir, d, S_IFDIR | (mode & 07777), 0);
}

static int ext4_vfs_symlink(struct inode *dir, struct dentry *d,
			    const char *target)
{
	struct super_block *sb = dir->sb;
	size_t tlen = strlen(target);
	unsigned mode = S_IFLNK | 0777;
	struct ext4_inode ei;
	struct journal_handle *h;
	uint32_t uid, gid;
	int err;

	if (tlen >= ext4_block_size(FS(sb)))
		return -ENAMETOOLONG;
	inode_init_owner(dir, &mode, &uid, &gid);
	h = change_begin(sb, EXT4_CREDITS_SYMLINK + DIR_MARGIN);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = ext4_symlink(h, FS(sb), &VN(dir)->ei, d->name, d->name_len,
			   target, (unsigned)tlen, uid, gid, now(), &ei);
	err = change_end(sb, h, err);
	if (err)
		return err;
	return instantiate(dir, d, &ei);
}

static int ext4_vfs_link(struct dentry *old, struct inode *dir,
			 struct dentry *d)
{
	struct super_block *sb = dir->sb;
	struct inode *inode = old->inode;
	struct journal_handle *h;
	int err;

	h = change_begin(sb, EXT4_CREDITS_LINK + DIR_MARGIN);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = ext4_link(h, FS(sb), &VN(dir)->ei, d->name, d->name_len,
			&VN(inode)->ei, now());
	err = change_end(sb, h, err);
	vfs_fields_update(dir);
	vfs_fields_update(inode);
	if (err)
		return err;
	inode_get(inode);
	d_instantiate(d, inode);
	return 0;
}

/* unlink or rmdir: the library drops the entry and the victim's link;
 * a victim left without links waits on the orphan list for evict. */
static int remove_entry(struct inode *dir, struct dentry *d, bool rmdir)
{
	struct super_block *sb = dir->sb;
	struct journal_handle *h;
	int err;

	h = change_begin(sb, rmdir ? EXT4_CREDITS_RMDIR : EXT4_CREDITS_UNLINK);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = (rmdir ? ext4_rmdir : ext4_unlink)(h, FS(sb), &VN(dir)->ei,
						 d->name, d->name_len,
						 &VN(d->inode)->ei, now());
	err = change_end(sb, h, err);
	vfs_fields_update(dir);
	vfs_fields_update(d->inode);
	return err;
}

static int ext4_vfs_unlink(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, false);
}

static int ext4_vfs_rmdir(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, true);
}

static int ext4_vfs_rename(struct inode *odir, struct dentry *od,
			   struct inode *ndir, const char *nname, size_t nlen,
			   struct dentry *nd, unsigned flags)
{
	struct super_block *sb = odir->sb;
	struct inode *victim = nd ? nd->inode : NULL;
	struct journal_handle *h;
	int err;

	h = change_begin(sb, EXT4_CREDITS_RENAME + DIR_MARGIN);
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (flags & RENAME_EXCHANGE)
		err = ext4_rename_exchange(h, FS(sb), &VN(odir)->ei, od->name,
					   od->name_len, &VN(od->inode)->ei,
					   &VN(ndir)->ei, nname, (unsigned)nlen,
					   &VN(victim)->ei, now());
	else
		err = ext4_rename(h, FS(sb), &VN(odir)->ei, od->name, od->name_len,
			  &VN(ndir)->ei, nname, (unsigned)nlen,
			  &VN(od->inode)->ei, victim ? &VN(victim)->ei : NULL,
			  now());
	err = change_end(sb, h, err);
	vfs_fields_update(odir);
	if (ndir != odir)
		vfs_fields_update(ndir);
	vfs_fields_update(od->inode);
	if (victim)
		vfs_fields_update(victim);
	return err;
}

/* ---- attributes ---- */

static int truncate_locked(struct inode *inode, uint64_t size)
{
	struct super_block *sb = inode->sb;
	struct journal_handle *h;
	int err;

	if (size < inode->size) {
		/* the size first: faults check it (mm.h, page cache) */
		WRITE_ONCE(inode->size, size);
		page_cache_truncate(inode->pages, size);
	}
	h = change_begin(sb, EXT4_CREDITS_TRUNCATE);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = ext4_truncate(h, FS(sb), &VN(inode)->ei, size, now());
	err = change_end(sb, h, err);
	if (!err)
		WRITE_ONCE(inode->size, size);
	vfs_fields_update(inode);
	return err;
}

static int ext4_setattr(struct inode *inode, const struct iattr *attr)
{
	struct super_block *sb = inode->sb;
	struct ext4_inode *ei = &VN(inode)->ei;
	struct journal_handle *h;
	int err;

	if (attr->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return -EINVAL;
		if (attr->size > max_bytes(FS(sb)))
			return -EFBIG;
		mutex_lock(&inode->data_lock);
		err = truncate_locked(inode, attr->size);
		mutex_unlock(&inode->data_lock);
		if (err)
			return err;
	}
	inode_setattr_generic(inode, attr);
	h = change_begin(sb, EXT4_CREDITS_INODE_WRITE);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ei->mode = (uint16_t)inode->mode;
	ei->uid = inode->uid;
	ei->gid = inode->gid;
	ei->atime = ext4_ts(inode->atime);
	ei->mtime = ext4_ts(inode->mtime);
	ei->ctime = ext4_ts(inode->ctime);
	err = ext4_inode_write(h, FS(sb), ei);
	return change_end(sb, h, err);
}

/* Only the user namespace is exposed for now. */
static long ext4_getxattr(struct inode *inode, const char *name, void *buf,
			  size_t size)
{
	struct ext4_sb_info *info = INFO(inode->sb);
	long n;

	if (strncmp(name, "user.", 5) != 0)
		return -ENODATA;
	mutex_lock(&info->lock);
	n = ext4_xattr_get(info->fs, &VN(inode)->ei, name, buf, size);
	mutex_unlock(&info->lock);
	return n;
}

static long ext4_listxattr(struct inode *inode, char *buf, size_t size)
{
	struct ext4_sb_info *info = INFO(inode->sb);
	long n;
	char *all = NULL;
	size_t used = 0;

	mutex_lock(&info->lock);
	n = ext4_xattr_list(info->fs, &VN(inode)->ei, NULL, 0);
	if (n > 0)
		all = kmalloc((size_t)n);
	if (n > 0 && all)
		n = ext4_xattr_list(info->fs, &VN(inode)->ei, all, (size_t)n);
	mutex_unlock(&info->lock);
	if (n <= 0 || !all)
		return n <= 0 ? n : -ENOMEM;
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

/* write(2): the size limit, and free space for the blocks the pages
 * will need (allocation itself happens at writeback). */
static long ext4_file_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inode *inode = f->inode;
	struct ext4_fs *fs = FS(inode->sb);
	uint64_t start = (file_flags(f) & O_APPEND) ? inode_size_read(inode) : *pos;
	uint64_t limit = max_bytes(fs);

	if (!INFO(inode->sb)->writable)
		return -EROFS;
	if (b->len == 0)
		return 0;
	if (start >= limit)
		return -EFBIG;
	if (b->len > limit - start)
		b->len = (size_t)(limit - start);
	if (start + b->len > inode_size_read(inode) &&
	    ext4_blocks_available(fs, current_cred()->fsuid == 0) <
	    DIV_ROUND_UP(b->len, ext4_block_size(fs)) + 16)
		return -ENOSPC;
	return generic_file_write(f, b, pos);
}

/* fsync/fdatasync: the file's pages, then the journal. */
static int ext4_fsync(struct file *f)
{
	struct inode *inode = f->inode;
	struct ext4_sb_info *info = INFO(inode->sb);
	int err = 0, err2;

	if (inode->pages)
		err = page_cache_writeback(inode->pages, 0, UINT64_MAX);
	if (!info->writable)
		return err;
	err2 = journal_commit(info->fs->journal);
	return err ? err : err2;
}


/* Directory entries are gathered under the write lock (the directory
 * may be growing) into a one-page batch and handed to the caller's emit
 * without it (emit copies to user memory, whose fault may need the
 * lock).  Entries are packed: a header, then the name. */
struct iter_entry {
	uint64_t pos, next;
	uint32_t ino;
	uint8_t dtype, len;
	char name[];
};

struct iter_batch {
	size_t used;
	bool full;                      /* the walk stopped for room */
	uint8_t buf[PAGE_SIZE - 2 * sizeof(size_t)];
};

static size_t iter_entry_size(unsigned len)
{
	return ALIGN_UP(sizeof(struct iter_entry) + len, 8);
}

static int batch_actor(void *c, const char *name, unsigned len, uint32_t ino,
		       unsigned dtype, uint64_t pos, uint64_t next)
{
	struct iter_batch *batch = c;
	struct iter_entry *e;

	if (batch->used + iter_entry_size(len) > sizeof(batch->buf)) {
		batch->full = true;
		return 1;               /* resume at this entry */
	}
	e = (struct iter_entry *)(batch->buf + batch->used);
	e->pos = pos;
	e->next = next;
	e->ino = ino;
	e->dtype = (uint8_t)dtype;
	e->len = (uint8_t)len;
	memcpy(e->name, name, len);
	batch->used += iter_entry_size(len);
	return 0;
}

static int ext4_iterate(struct file *f, struct dir_context *ctx)
{
	struct ext4_sb_info *info = INFO(f->inode->sb);
	struct iter_batch *batch = kmalloc(sizeof(*batch));
	int err = 0;

	if (!batch)
		return -ENOMEM;
	for (;;) {
		uint64_t pos = ctx->pos;

		batch->used = 0;
		batch->full = false;
		mutex_lock(&info->lock);
		err = ext4_dir_iterate(info->fs, &VN(f->inode)->ei, &pos,
				       batch_actor, batch);
		mutex_unlock(&info->lock);
		if (err < 0)
			break;
		for (size_t off = 0; off < batch->used;) {
			struct iter_entry *e = (void *)(batch->buf + off);

			ctx->pos = e->pos;      /* d_off is pos + 1 */
			if (!ctx->emit(ctx, e->name, e->len, e->ino, e->dtype))
				goto out;
			ctx->pos = e->next;
			off += iter_entry_size(e->len);
		}
		if (!batch->full) {     /* the walk ended */
			if (pos > ctx->pos)
				ctx->pos = pos;
			break;
		}
	}
out:
	kfree(batch);
	return err < 0 ? err : 0;
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
	int err;

	drop_tree(sb->root);            /* evicts, freeing orphans */
	dput(sb->root);
	if (info->writable) {
		err = ext4_unmount_rw(info->fs);
		if (err)
			printk(KERN_ERR "ext4 (%s): unmount: error %d\n",
			       block_name(info->bdev), -err);
	} else {
		ext4_unmount(info->fs);
	}
	block_put(info->bdev);          /* the reference sb->bdev names */
	kfree(info);
	kfree(sb);
}

/* sync(2), syncfs(2), umount: the pages went out first (the VFS); the
 * journal's running transaction now commits. */
static int ext4_sync_fs(struct super_block *sb, bool wait)
{
	struct ext4_sb_info *info = INFO(sb);

	if (!info->writable)
		return 0;
	return journal_commit(info->fs->journal);
}

/* Can @type mount @fs read-write?  ext2/ext3 images are written by the
 * ext4 code as Linux does, but only with a journal and extents (block
 * maps are read-only for now). */
static bool can_write(struct ext4_fs *fs, struct block_device *bdev,
		      const char *type)
{
	if (block_read_only(bdev)) {
		printk(KERN_NOTICE "%s (%s): write-protected, mounting read-only\n",
		       type, block_name(bdev));
		return false;
	}
	if (!(fs->incompat & EXT4_INCOMPAT_EXTENTS)) {
		printk(KERN_NOTICE "%s (%s): no extents feature: mounted read-only (block-mapped files cannot be written yet)\n",
		       type, block_name(bdev));
		return false;
	}
	return true;
}

static int ext4_remount(struct super_block *sb, unsigned long flags,
			const char *data)
{
	struct ext4_sb_info *info = INFO(sb);
	int err;

	if (flags & MS_RDONLY) {
		if (!info->writable)
			return 0;
		/* the VFS wrote the pages back and synced: close the journal */
		err = ext4_remount_ro(info->fs);
		info->writable = false;
		return err;
	}
	if (info->writable)
		return 0;
	if (!can_write(info->fs, info->bdev, sb->type->name))
		return -EROFS;
	mutex_lock(&info->lock);        /* orphan cleanup: caller_lock */
	err = ext4_remount_rw(info->fs);
	mutex_unlock(&info->lock);
	if (!err)
		info->writable = true;
	return err;
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
	mutex_init(&info->lock, "ext4");
	for (unsigned i = 0; i < ICACHE_BUCKETS; i++)
		list_init(&info->icache[i]);
	err = ext4_mount(bdev, EXT4_MOUNT_RDONLY, &info->fs);
	if (err)
		goto out_free;
	info->fs->caller_lock = &info->lock;
	kind = ext4_fs_kind(info->fs);
	/* ext4 reads all three; ext2/ext3 only images without newer features */
	if (strcmp(type->name, "ext4") != 0 && strcmp(kind, "ext4") == 0) {
		printk(KERN_ERR "%s (%s): the file system has ext4 features\n",
		       type->name, block_name(bdev));
		err = -EINVAL;
		goto out_unmount;
	}
	if (!(flags & MS_RDONLY) && can_write(info->fs, bdev, type->name)) {
		mutex_lock(&info->lock);        /* orphan cleanup: caller_lock */
		err = ext4_remount_rw(info->fs);
		mutex_unlock(&info->lock);
		if (err == -EROFS || err == -EOPNOTSUPP) {
			printk(KERN_NOTICE "%s (%s): mounted read-only\n",
			       type->name, block_name(bdev));
		} else if (err) {
			goto out_unmount;
		} else {
			info->writable = true;
		}
	}
	info->bdev = bdev;
	sb = sb_alloc(type, &ext4_sops, EXT4_SUPER_MAGIC);
	if (!sb) {
		err = -ENOMEM;
		goto out_unmount;
	}
	if (!info->writable)
		sb->flags |= MS_RDONLY; /* kept by the VFS: a read-only mount */
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
	if (info->writable)
		ext4_unmount_rw(info->fs);
	else
		ext4_unmount(info->fs);
out_free:
	kfree(info);
	return ERR_PTR(err);
}

static const struct inode_operations ext4_dir_iops = {
	.lookup = ext4_lookup,
	.create = ext4_vfs_create,
	.mkdir = ext4_vfs_mkdir,
	.symlink = ext4_vfs_symlink,
	.link = ext4_vfs_link,
	.unlink = ext4_vfs_unlink,
	.rmdir = ext4_vfs_rmdir,
	.rename = ext4_vfs_rename,
	.setattr = ext4_setattr,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct inode_operations ext4_file_iops = {
	.setattr = ext4_setattr,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct inode_operations ext4_special_iops = {
	.setattr = ext4_setattr,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct inode_operations ext4_link_iops = {
	.get_link = ext4_get_link,
	.setattr = ext4_setattr,
	.getxattr = ext4_getxattr,
	.listxattr = ext4_listxattr,
};

static const struct file_operations ext4_dir_fops = {
	.iterate = ext4_iterate,
	.fsync = ext4_fsync,
};

static const struct file_operations ext4_file_fops = {
	.read = generic_file_read,
	.write = ext4_file_write,
	.mmap = generic_file_mmap,
	.fsync = ext4_fsync,
};

static const struct super_operations ext4_sops = {
	.evict = ext4_evict,
	.statfs = ext4_vfs_statfs,
	.kill = ext4_kill,
	.sync_fs = ext4_sync_fs,
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
