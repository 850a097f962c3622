/*
 * sync(2), syncfs(2), fsync(2), fdatasync(2): the VFS side of writeback.
 *
 * Model: dirty file data lives in page caches (mm/page_cache.c), which
 * write it through their ->write_page; a file system's own metadata
 * (inodes, bitmaps, the journal) is its business, reached through
 * super_operations.sync_fs and file_operations.fsync.  Syncing a super
 * block writes its caches' dirty pages, then calls ->sync_fs(wait).
 * fsync of a file uses the file system's ->fsync if it has one, else
 * writes the file's pages and syncs its super block.
 *
 * Locking: page-cache writeback takes no VFS lock; ->sync_fs runs with
 * vfs_lock held (the mount list is walked under it, and umount syncs a
 * super block it is about to kill).
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "mm/mm.h"

void vfs_sync_sb_locked(struct super_block *sb)
{
	ASSERT(vfs_lock_held());
	page_cache_writeback_dirty(sb, UINT64_MAX);
	if (sb->ops && sb->ops->sync_fs && !sb_rdonly(sb))
		sb->ops->sync_fs(sb, true);
}

/* The first mount of @sb in the mount list. */
static struct mount *first_mount_of(struct super_block *sb)
{
	struct list_node *pos;

	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);

		if (m->sb == sb)
			return m;
	}
	return NULL;
}

/* Sync every super block that is mounted (sync(2)). */
void vfs_sync_all(void)
{
	struct list_node *pos;

	page_cache_writeback_dirty(NULL, UINT64_MAX);
	vfs_lock();
	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);
		struct super_block *sb = m->sb;

		if (!sb->ops || !sb->ops->sync_fs || sb_rdonly(sb) ||
		    first_mount_of(sb) != m)
			continue;       /* once per super block */
		sb->ops->sync_fs(sb, true);
	}
	vfs_unlock();
}

int vfs_syncfs(struct file *f)
{
	struct super_block *sb = f->inode->sb;
	int err = page_cache_writeback_dirty(sb, UINT64_MAX);

	vfs_lock();
	if (sb->ops && sb->ops->sync_fs && !sb_rdonly(sb)) {
		int e = sb->ops->sync_fs(sb, true);
		if (!err)
			err = e;
	}
	vfs_unlock();
	return err;
}

int vfs_fsync(struct file *f, bool datasync)
{
	struct inode *inode = f->inode;
	struct super_block *sb = inode->sb;
	int err = 0, e;

	(void)datasync;                 /* data and metadata alike */
	if (f->ops && f->ops->fsync)
		return f->ops->fsync(f);
	if (!S_ISREG(inode->mode) && !S_ISDIR(inode->mode) &&
	    !S_ISBLK(inode->mode))
		return -EINVAL;         /* pipes, sockets, most devices */
	if (inode->pages)
		err = page_cache_writeback(inode->pages, 0, UINT64_MAX);
	if (sb && sb->ops && sb->ops->sync_fs && !sb_rdonly(sb)) {
		vfs_lock();
		e = sb->ops->sync_fs(sb, true);
		vfs_unlock();
		if (!err)
			err = e;
	}
	return err;
}
