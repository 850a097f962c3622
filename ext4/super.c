/*
 * ext4 superblock and group descriptors: mount-time validation.
 *
 * Model: ext4_mount() copies the superblock (byte 1024) and every group
 * descriptor into a struct ext4_fs after checking magic, geometry,
 * feature flags (unknown INCOMPAT: refuse; unknown RO_COMPAT: read-only,
 * which is all we do so far) and checksums (metadata_csum crc32c, or the
 * older gdt_csum crc16 of the descriptors).  The file system is always
 * mounted read-only, with one exception: a superblock that says the
 * journal needs recovery (INCOMPAT_RECOVER).  Then, as Linux does even for
 * a read-only mount, the journal (inode 8, mapped block by block through
 * its extents or block map) is replayed before anything else is read,
 * needs_recovery is cleared in the superblock, and the superblock and
 * descriptors are read again; on a read-only device the mount is refused.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define EXT4_MAX_DESC_SIZE 1024

int ext4_fs_error(struct ext4_fs *fs, int err, const char *fmt, ...)
{
	va_list ap;

	fs->errors++;
	if (fs->error_logged)
		return err;
	fs->error_logged = true;
	printk(KERN_ERR "ext4 (%s): error %d: ", block_name(fs->bdev), -err);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	return err;
}

uint32_t ext4_csum(const struct ext4_fs *fs, uint32_t seed, const void *p,
		   size_t len)
{
	return crc32c(seed, p, len);
}

struct buffer *ext4_bread(struct ext4_fs *fs, uint64_t blocknr)
{
	struct buffer *b;

	if (blocknr >= fs->blocks_count) {
		EXT4_CORRUPT(fs, "block %llu beyond the end (%llu)",
			     (unsigned long long)blocknr,
			     (unsigned long long)fs->blocks_count);
		return ERR_PTR(-EUCLEAN);
	}
	b = buffer_read(fs->bdev, blocknr, fs->block_size);
	if (IS_ERR(b) && PTR_ERR(b) == -EIO)
		ext4_fs_error(fs, -EIO, "read error at block %llu",
			      (unsigned long long)blocknr);
	return b;
}

uint64_t ext4_gd_inode_table(const struct ext4_fs *fs, uint32_t group)
{
	const struct ext4_group_desc *gd = &fs->gd[group];

	return gd->bg_inode_table_lo | (uint64_t)gd->bg_inode_table_hi << 32;
}

unsigned long ext4_error_count(const struct ext4_fs *fs)
{
	return fs->errors;
}

uint32_t ext4_block_size(const struct ext4_fs *fs)
{
	return fs->block_size;
}

const char *ext4_fs_kind(const struct ext4_fs *fs)
{
	if (fs->incompat & ~(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER |
			     EXT4_INCOMPAT_META_BG))
		return "ext4";
	if (fs->ro_compat & ~(EXT4_RO_COMPAT_SPARSE_SUPER |
			      EXT4_RO_COMPAT_LARGE_FILE))
		return "ext4";
	return fs->compat & EXT4_COMPAT_HAS_JOURNAL ? "ext3" : "ext2";
}

/* CRC-16 (ANSI, reflected 0xA001) of the older gdt_csum feature. */
static uint16_t crc16(uint16_t crc, const void *p, size_t len)
{
	const uint8_t *s = p;

	while (len--) {
		crc ^= *s++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xA001 : 0);
	}
	return crc;
}

static bool sb_checksum_ok(const struct ext4_super *sb)
{
	return crc32c(~0u, sb, offsetof(struct ext4_super, s_checksum)) ==
	       sb->s_checksum;
}

/* Check the superblock's own fields and fill fs's geometry. */
static int super_validate(struct ext4_fs *fs, uint64_t dev_bytes)
{
	const struct ext4_super *sb = &fs->sb;
	const char *dev = block_name(fs->bdev);
	uint64_t data_blocks;

	if (sb->s_magic != EXT4_SUPER_MAGIC) {
		printk(KERN_ERR "ext4 (%s): no ext2/3/4 file system (bad magic)\n", dev);
		return -EINVAL;
	}
	fs->compat = sb->s_rev_level ? sb->s_feature_compat : 0;
	fs->incompat = sb->s_rev_level ? sb->s_feature_incompat : 0;
	fs->ro_compat = sb->s_rev_level ? sb->s_feature_ro_compat : 0;
	if (sb->s_rev_level > 1)
		return EXT4_CORRUPT(fs, "unknown revision %u", sb->s_rev_level);
	if (fs->ro_compat & EXT4_RO_COMPAT_METADATA_CSUM) {
		if (sb->s_checksum_type != 1)
			return EXT4_CORRUPT(fs, "unknown checksum type %u",
					    sb->s_checksum_type);
		if (!sb_checksum_ok(sb))
			return EXT4_CORRUPT(fs, "superblock checksum mismatch");
		fs->csum = true;
	}
	if (fs->incompat & ~EXT4_INCOMPAT_SUPPORTED) {
		printk(KERN_ERR "ext4 (%s): unsupported INCOMPAT features 0x%x: refusing to mount\n",
		       dev, fs->incompat & ~EXT4_INCOMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (fs->ro_compat & ~EXT4_RO_COMPAT_SUPPORTED)
		printk(KERN_WARNING "ext4 (%s): unknown RO_COMPAT features 0x%x: read-only\n",
		       dev, fs->ro_compat & ~EXT4_RO_COMPAT_SUPPORTED);

	if (sb->s_log_block_size > 6)
		return EXT4_CORRUPT(fs, "bad block size log %u", sb->s_log_block_size);
	fs->log_block_size = 10 + sb->s_log_block_size;
	fs->block_size = 1u << fs->log_block_size;
	fs->blocks_count = sb->s_blocks_count_lo;
	if (fs->incompat & EXT4_INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)sb->s_blocks_count_hi << 32;
	fs->blocks_per_group = sb->s_blocks_per_group;
	fs->inodes_per_group = sb->s_inodes_per_group;
	if (sb->s_rev_level == 0) {
		fs->inode_size = EXT4_GOOD_OLD_INODE_SIZE;
		fs->first_ino = 11;
	} else {
		fs->inode_size = sb->s_inode_size;
		fs->first_ino = sb->s_first_ino;
	}
	if (fs->inode_size < EXT4_GOOD_OLD_INODE_SIZE ||
	    fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return EXT4_CORRUPT(fs, "bad inode size %u", fs->inode_size);
	if (fs->first_ino < 11 || fs->first_ino > sb->s_inodes_count)
		return EXT4_CORRUPT(fs, "bad first inode %u", fs->first_ino);
	if (fs->blocks_per_group == 0 ||
	    fs->blocks_per_group > 8 * fs->block_size ||
	    fs->inodes_per_group == 0 ||
	    fs->inodes_per_group > 8 * fs->block_size)
		return EXT4_CORRUPT(fs, "bad group geometry");
	if (sb->s_first_data_block >= fs->blocks_count ||
	    sb->s_first_data_block != (fs->block_size == 1024 ? 1u : 0u))
		return EXT4_CORRUPT(fs, "bad first data block %u",
				    sb->s_first_data_block);
	if (fs->blocks_count > dev_bytes >> fs->log_block_size)
		return EXT4_CORRUPT(fs, "block count %llu exceeds the device",
				    (unsigned long long)fs->blocks_count);
	data_blocks = fs->blocks_count - sb->s_first_data_block;
	fs->groups = (uint32_t)DIV_ROUND_UP(data_blocks, fs->blocks_per_group);
	if ((uint64_t)fs->groups * fs->inodes_per_group != sb->s_inodes_count)
		return EXT4_CORRUPT(fs, "inode count %u != groups %u x %u",
				    sb->s_inodes_count, fs->groups,
				    fs->inodes_per_group);
	if (fs->incompat & EXT4_INCOMPAT_64BIT) {
		fs->desc_size = sb->s_desc_size;
		if (fs->desc_size < 64 || fs->desc_size > EXT4_MAX_DESC_SIZE ||
		    (fs->desc_size & (fs->desc_size - 1)) ||
		    fs->desc_size > fs->block_size)
			return EXT4_CORRUPT(fs, "bad descriptor size %u", fs->desc_size);
	} else {
		fs->desc_size = 32;
	}
	fs->csum_seed = 0;
	if (fs->csum)
		fs->csum_seed = (fs->incompat & EXT4_INCOMPAT_CSUM_SEED)
					? sb->s_checksum_seed
					: crc32c(~0u, sb->s_uuid, 16);
	memcpy(fs->hash_seed, sb->s_hash_seed, sizeof(fs->hash_seed));
	fs->hash_unsigned = sb->s_flags & EXT4_FLAGS_UNSIGNED_HASH;
	fs->default_hash = sb->s_def_hash_version;
	return 0;
}

bool ext4_group_has_super(const struct ext4_fs *fs, uint32_t g)
{
	if (g <= 1 || !(fs->ro_compat & EXT4_RO_COMPAT_SPARSE_SUPER))
		return true;
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;
		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

uint32_t ext4_desc_blocks(const struct ext4_fs *fs)
{
	return DIV_ROUND_UP(fs->groups, fs->block_size / fs->desc_size);
}

/* Block holding descriptor block @i (the i-th block of descriptors). */
uint64_t ext4_desc_block(const struct ext4_fs *fs, uint32_t i)
{
	uint32_t per_block = fs->block_size / fs->desc_size;
	uint64_t first = fs->sb.s_first_data_block;

	if (!(fs->incompat & EXT4_INCOMPAT_META_BG) ||
	    i < fs->sb.s_first_meta_bg)
		return first + 1 + i;
	/* meta_bg: each meta group's block sits in its first group. */
	uint64_t g = (uint64_t)i * per_block;
	return first + g * fs->blocks_per_group +
	       (ext4_group_has_super(fs, (uint32_t)g) ? 1 : 0);
}

uint16_t ext4_crc16_desc(const struct ext4_fs *fs, uint32_t g,
			 const uint8_t *raw)
{
	uint32_t le_g = g;
	unsigned off = offsetof(struct ext4_group_desc, bg_checksum);
	uint16_t c = crc16(0xFFFF, fs->sb.s_uuid, 16);

	c = crc16(c, &le_g, 4);
	c = crc16(c, raw, off);
	if (fs->desc_size > off + 2)
		c = crc16(c, raw + off + 2, fs->desc_size - off - 2);
	return c;
}

static bool desc_checksum_ok(const struct ext4_fs *fs, uint32_t g,
			     const uint8_t *raw)
{
	uint16_t stored = ((const struct ext4_group_desc *)raw)->bg_checksum;

	if (!fs->csum && !(fs->ro_compat & EXT4_RO_COMPAT_GDT_CSUM))
		return true;
	return ext4_desc_checksum(fs, g, raw) == stored;
}

static int desc_validate(struct ext4_fs *fs, uint32_t g)
{
	const struct ext4_group_desc *gd = &fs->gd[g];
	uint64_t itable = ext4_gd_inode_table(fs, g);
	uint64_t itable_blocks = DIV_ROUND_UP((uint64_t)fs->inodes_per_group *
					      fs->inode_size, fs->block_size);

	if (itable == 0 || itable >= fs->blocks_count ||
	    itable_blocks > fs->blocks_count - itable)
		return EXT4_CORRUPT(fs, "group %u: inode table %llu out of range",
				    g, (unsigned long long)itable);
	(void)gd;
	return 0;
}

static int descs_read(struct ext4_fs *fs)
{
	uint32_t per_block = fs->block_size / fs->desc_size;
	uint32_t nblocks = DIV_ROUND_UP(fs->groups, per_block);
	int err;

	fs->gd = kzalloc((size_t)fs->groups * sizeof(*fs->gd));
	if (!fs->gd)
		return -ENOMEM;
	fs->free_blocks = 0;
	for (uint32_t i = 0; i < nblocks; i++) {
		struct buffer *b = ext4_bread(fs, ext4_desc_block(fs, i));
		if (IS_ERR(b))
			return PTR_ERR(b);
		for (uint32_t j = 0; j < per_block; j++) {
			uint32_t g = i * per_block + j;
			const uint8_t *raw = (const uint8_t *)b->data +
					     j * fs->desc_size;
			if (g >= fs->groups)
				break;
			if (!desc_checksum_ok(fs, g, raw)) {
				buffer_put(b);
				return EXT4_CORRUPT(fs, "group %u descriptor checksum mismatch", g);
			}
			memcpy(&fs->gd[g], raw, MIN(fs->desc_size, sizeof(fs->gd[g])));
			if (fs->desc_size < 64)
				memset((uint8_t *)&fs->gd[g] + 32, 0, 32);
			err = desc_validate(fs, g);
			if (err) {
				buffer_put(b);
				return err;
			}
			fs->free_blocks += fs->gd[g].bg_free_blocks_count_lo |
				(uint32_t)fs->gd[g].bg_free_blocks_count_hi << 16;
		}
		buffer_put(b);
	}
	return 0;
}

/* journal_fs_ops.bmap: logical journal block -> device block. */
static int journal_bmap(void *p, uint32_t lblock, uint64_t *pblock)
{
	struct ext4_fs *fs = p;
	uint64_t contig;
	int err;

	err = ext4_map_block(fs, fs->journal_inode, lblock, pblock, &contig);
	if (err)
		return err;
	return *pblock ? 0 : -EUCLEAN;
}

static const struct journal_fs_ops journal_ops = {
	.bmap = journal_bmap,
};

/* Read the superblock at byte 1024 into fs->sb. */
static int super_read(struct ext4_fs *fs)
{
	struct buffer *b = buffer_read(fs->bdev, 1, 1024);

	if (IS_ERR(b))
		return PTR_ERR(b);
	memcpy(&fs->sb, b->data, sizeof(fs->sb));
	buffer_put(b);
	return 0;
}

/*
 * Write the superblock with needs_recovery set or clear, and (for a
 * read-write mount) the free counts summed from the descriptors; fs->sb
 * follows.  Flushed.  0 or -errno.
 */
static int super_write_state(struct ext4_fs *fs, bool recover)
{
	/* the file-system block holding it: the buffer the journal uses
	 * when the orphan list changes s_last_orphan */
	struct buffer *b = buffer_read(fs->bdev, fs->block_size == 1024 ? 1 : 0,
				       fs->block_size);
	struct ext4_super *sb;
	int err;

	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	sb = (void *)((uint8_t *)b->data +
		      (fs->block_size == 1024 ? 0 : EXT4_SUPER_OFFSET));
	if (recover)
		sb->s_feature_incompat |= EXT4_INCOMPAT_RECOVER;
	else
		sb->s_feature_incompat &= ~EXT4_INCOMPAT_RECOVER;
	if (fs->journal) {
		uint64_t free_blocks = ext4_free_blocks_total(fs);
		sb->s_free_blocks_count_lo = (uint32_t)free_blocks;
		if (fs->incompat & EXT4_INCOMPAT_64BIT)
			sb->s_free_blocks_count_hi = (uint32_t)(free_blocks >> 32);
		sb->s_free_inodes_count = ext4_free_inodes_total(fs);
	}
	if (fs->csum)
		sb->s_checksum = crc32c(~0u, sb,
					offsetof(struct ext4_super, s_checksum));
	memcpy(&fs->sb, sb, sizeof(fs->sb));
	fs->incompat = sb->s_feature_incompat;
	mutex_unlock(&b->lock);
	buffer_mark_dirty(b);
	err = buffer_write(b);
	buffer_put(b);
	if (!err)
		err = block_flush(fs->bdev);
	return err;
}

/*
 * Open the journal (inode s_journal_inum); replay it if it holds
 * transactions (the device must be writable).  If the superblock said
 * needs_recovery, clear it and read the superblock and the descriptors
 * again, which the replay may have changed.  With @keep the journal stays
 * open in *out for a read-write mount, else it is closed.  0 or -errno.
 */
static int journal_mount(struct ext4_fs *fs, uint64_t dev_bytes, bool keep,
			 struct journal **out)
{
	const char *dev = block_name(fs->bdev);
	struct journal_recovery_info info = { 0 };
	bool flagged = fs->incompat & EXT4_INCOMPAT_RECOVER;
	struct ext4_inode jinode;
	struct journal *j;
	uint32_t inum = fs->sb.s_journal_inum;
	uint64_t nr_blocks;
	int err;

	if (!(fs->compat & EXT4_COMPAT_HAS_JOURNAL))
		return EXT4_CORRUPT(fs, "needs_recovery set without a journal");
	if (inum == 0 || (fs->incompat & EXT4_INCOMPAT_JOURNAL_DEV)) {
		printk(KERN_ERR "ext4 (%s): the journal is on an external device: not supported\n",
		       dev);
		return -EINVAL;
	}
	if (block_read_only(fs->bdev)) {
		printk(KERN_ERR "ext4 (%s): the journal needs recovery but the device is read-only: refusing to mount\n",
		       dev);
		return -EROFS;
	}
	err = ext4_inode_read(fs, inum, &jinode);
	if (err)
		return err;
	nr_blocks = jinode.size >> fs->log_block_size;
	if ((jinode.mode & EXT4_S_IFMT) != EXT4_S_IFREG || nr_blocks < 1024 ||
	    nr_blocks > UINT32_MAX) {
		ext4_inode_put(&jinode);
		return EXT4_CORRUPT(fs, "journal inode %u: bad type or size", inum);
	}
	fs->journal_inode = &jinode;
	j = journal_open(fs->bdev, fs->block_size, (uint32_t)nr_blocks,
			 &journal_ops, fs);
	fs->journal_inode = NULL;
	ext4_inode_put(&jinode);
	if (IS_ERR(j)) {
		printk(KERN_ERR "ext4 (%s): cannot open the journal: error %d\n",
		       dev, (int)-PTR_ERR(j));
		return PTR_ERR(j);
	}
	if (journal_needs_recovery(j)) {
		printk(KERN_INFO "ext4 (%s): recovering the journal\n", dev);
		err = journal_recover(j, &info);
		if (err) {
			printk(KERN_ERR "ext4 (%s): journal recovery failed: error %d\n",
			       dev, -err);
			journal_close(j);
			return err;
		}
		printk(KERN_INFO "ext4 (%s): replayed %u transactions, %u blocks (%u revoked)\n",
		       dev, info.nr_transactions, info.nr_replayed,
		       info.nr_revoked);
		flagged = true;
	}
	if (flagged) {
		/* The replay wrote blocks home: drop every cached block. */
		buffer_invalidate_device(fs->bdev);
		err = super_read(fs);
		if (!err)
			err = super_validate(fs, dev_bytes);
		if (!err)
			err = super_write_state(fs, false);
		if (!err) {
			kfree(fs->gd);
			fs->gd = NULL;
			err = descs_read(fs);
		}
		if (err) {
			journal_close(j);
			return err;
		}
	}
	if (!keep) {
		journal_close(j);
		return 0;
	}
	err = journal_load(j);
	if (err) {
		journal_close(j);
		return err;
	}
	*out = j;
	return 0;
}

/* Can this file system be written by us?  0 or -EROFS / -EOPNOTSUPP. */
static int write_mount_check(struct ext4_fs *fs)
{
	const char *dev = block_name(fs->bdev);

	if (block_read_only(fs->bdev))
		return -EROFS;
	if ((fs->ro_compat & ~EXT4_RO_COMPAT_SUPPORTED) ||
	    (fs->ro_compat & (EXT4_RO_COMPAT_BIGALLOC |
			      EXT4_RO_COMPAT_READONLY |
			      EXT4_RO_COMPAT_VERITY)) ||
	    (fs->incompat & (EXT4_INCOMPAT_INLINE_DATA | EXT4_INCOMPAT_MMP))) {
		printk(KERN_ERR "ext4 (%s): features we cannot write: read-only\n",
		       dev);
		return -EROFS;
	}
	if (!(fs->compat & EXT4_COMPAT_HAS_JOURNAL)) {
		printk(KERN_ERR "ext4 (%s): writing without a journal is not supported\n",
		       dev);
		return -EOPNOTSUPP;
	}
	return 0;
}

int ext4_mount(struct block_device *bdev, unsigned flags, struct ext4_fs **out)
{
	struct ext4_fs *fs;
	struct ext4_inode root;
	uint64_t dev_bytes = block_nr_sectors(bdev) * SECTOR_SIZE;
	int err;

	fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->bdev = bdev;
	fs->rdonly = true;      /* no write support yet */
	if (dev_bytes < 2048) {
		err = -EINVAL;
		goto out_free;
	}
	err = super_read(fs);
	if (err)
		goto out_free;
	err = super_validate(fs, dev_bytes);
	if (err)
		goto out_free;
	err = descs_read(fs);
	if (err)
		goto out_free;
	mutex_init(&fs->alloc_lock, "ext4 alloc");
	mutex_init(&fs->orphan_lock, "ext4 orphans");
	if (flags & EXT4_MOUNT_WRITE) {
		err = ext4_remount_rw(fs);      /* also frees orphans */
		if (err)
			goto out_free;
	} else if (fs->incompat & EXT4_INCOMPAT_RECOVER) {
		err = journal_mount(fs, dev_bytes, false, NULL);
		if (err)
			goto out_free;
	}
	err = ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	if (err)
		goto out_journal;
	if ((root.mode & EXT4_S_IFMT) != EXT4_S_IFDIR)
		err = EXT4_CORRUPT(fs, "root inode is not a directory");
	ext4_inode_put(&root);
	if (err)
		goto out_journal;
	*out = fs;
	return 0;

out_journal:
	if (fs->journal) {
		journal_close(fs->journal);
		fs->journal = NULL;
		super_write_state(fs, false);
	}
out_free:
	ext4_pending_free_release(fs);
	kfree(fs->gd);
	kfree(fs);
	return err;
}

int ext4_remount_rw(struct ext4_fs *fs)
{
	uint64_t dev_bytes = block_nr_sectors(fs->bdev) * SECTOR_SIZE;
	struct journal *j = NULL;
	int err;

	if (fs->journal)
		return 0;
	err = write_mount_check(fs);
	if (!err)
		err = journal_mount(fs, dev_bytes, true, &j);
	if (err)
		return err;
	fs->journal = j;
	fs->rdonly = false;
	err = super_write_state(fs, true);
	if (err) {
		journal_close(j);
		fs->journal = NULL;
		fs->rdonly = true;
		return err;
	}
	/* inodes left unlinked but in use at the last stop (a failure is
	 * logged; the list keeps what was not freed) */
	if (fs->sb.s_last_orphan)
		ext4_orphan_cleanup(fs);
	return 0;
}

int ext4_remount_ro(struct ext4_fs *fs)
{
	int err = 0, err2;

	if (!fs->journal)
		return 0;
	err = journal_destroy(fs->journal);
	fs->journal = NULL;
	fs->rdonly = true;
	ext4_pending_free_release(fs);  /* all committed now */
	err2 = super_write_state(fs, err != 0);
	if (!err)
		err = err2;
	err2 = buffer_sync_device(fs->bdev);
	return err ? err : err2;
}

int ext4_unmount_rw(struct ext4_fs *fs)
{
	int err = 0, err2;

	if (fs && fs->journal) {
		err = journal_destroy(fs->journal);
		err2 = super_write_state(fs, err != 0);
		fs->journal = NULL;
		if (!err)
			err = err2;
		err2 = buffer_sync_device(fs->bdev);
		if (!err)
			err = err2;
	}
	ext4_unmount(fs);
	return err;
}

void ext4_unmount(struct ext4_fs *fs)
{
	if (!fs)
		return;
	if (fs->journal) {
		ext4_unmount_rw(fs);
		return;
	}
	buffer_invalidate_device(fs->bdev);
	ext4_pending_free_release(fs);
	kfree(fs->gd);
	kfree(fs);
}

/* Free blocks (the live count once read-write) and the reserved ones. */
static void free_and_reserved(struct ext4_fs *fs, uint64_t *free_blocks,
			      uint64_t *reserved)
{
	const struct ext4_super *sb = &fs->sb;

	*free_blocks = sb->s_free_blocks_count_lo;
	*reserved = sb->s_r_blocks_count_lo;
	if (fs->incompat & EXT4_INCOMPAT_64BIT) {
		*free_blocks |= (uint64_t)sb->s_free_blocks_count_hi << 32;
		*reserved |= (uint64_t)sb->s_r_blocks_count_hi << 32;
	}
	if (fs->journal)        /* read-write: the descriptors' live counts */
		*free_blocks = ext4_free_blocks_total(fs);
	*free_blocks = MIN(*free_blocks, fs->blocks_count);
}

uint64_t ext4_blocks_available(struct ext4_fs *fs, bool privileged)
{
	uint64_t free_blocks, reserved;

	free_and_reserved(fs, &free_blocks, &reserved);
	if (privileged)
		return free_blocks;
	return free_blocks > reserved ? free_blocks - reserved : 0;
}

void ext4_statfs(struct ext4_fs *fs, struct ext4_statfs *st)
{
	const struct ext4_super *sb = &fs->sb;
	uint64_t free_blocks, reserved;

	free_and_reserved(fs, &free_blocks, &reserved);
	memset(st, 0, sizeof(*st));
	st->block_size = fs->block_size;
	st->blocks = fs->blocks_count;
	st->free_blocks = free_blocks;
	st->avail_blocks = st->free_blocks > reserved ? st->free_blocks - reserved : 0;
	st->inodes = sb->s_inodes_count;
	st->free_inodes = MIN(fs->journal ? ext4_free_inodes_total(fs) :
			      sb->s_free_inodes_count, sb->s_inodes_count);
	memcpy(st->uuid, sb->s_uuid, 16);
	st->name_max = EXT4_NAME_LEN;
}
