/*
 * Helpers shared by the ext4 host tests (test_ext4, test_ext4_htree,
 * test_ext4_write): shell commands, e2fsck as the oracle, and removing
 * and renaming names as the VFS glue does (the library takes the
 * victims' inodes from the caller; an inode left without links is freed
 * at once, as the glue's evict would).  Include after ext4/internal.h.
 */
#ifndef TEST_HOST_EXT4_HOST_H
#define TEST_HOST_EXT4_HOST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* system() of a printf-formatted command; its status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Is @img clean for e2fsck -fn?  Its output goes to @dir/fsck.log, the
 * start of it to stderr when not. */
static inline bool fsck_clean(const char *img, const char *dir)
{
	int r = sh("e2fsck -fn %s >%s/fsck.log 2>&1", img, dir);

	if (r)
		sh("grep -v '^Pass\\|^e2fsck' %s/fsck.log | head -40 >&2", dir);
	return r == 0;
}

static inline int t_remove(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *dir, const char *name, unsigned len,
			   struct ext4_time now, bool rmdir)
{
	struct ext4_inode v;
	uint32_t ino;
	int r = ext4_dir_lookup(fs, dir, name, len, &ino);

	if (r)
		return r;
	r = ext4_inode_read(fs, ino, &v);
	if (r)
		return r;
	r = rmdir ? ext4_rmdir(h, fs, dir, name, len, &v, now)
		  : ext4_unlink(h, fs, dir, name, len, &v, now);
	if (!r && v.links == 0)
		r = ext4_inode_free(h, fs, &v, now);
	ext4_inode_put(&v);
	return r;
}

static inline int t_unlink(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *dir, const char *name, unsigned len,
			   struct ext4_time now)
{
	return t_remove(h, fs, dir, name, len, now, false);
}

static inline int t_rmdir(struct journal_handle *h, struct ext4_fs *fs,
			  struct ext4_inode *dir, const char *name, unsigned len,
			  struct ext4_time now)
{
	return t_remove(h, fs, dir, name, len, now, true);
}

static inline int t_rename(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *odir, const char *oname, unsigned olen,
			   struct ext4_inode *ndir, const char *nname, unsigned nlen,
			   struct ext4_time now)
{
	struct ext4_inode src, tgt;
	uint32_t sino, tino;
	bool have_tgt = false;
	int r = ext4_dir_lookup(fs, odir, oname, olen, &sino);

	if (r)
		return r;
	r = ext4_inode_read(fs, sino, &src);
	if (r)
		return r;
	if (ext4_dir_lookup(fs, ndir, nname, nlen, &tino) == 0) {
		r = ext4_inode_read(fs, tino, &tgt);
		if (r) {
			ext4_inode_put(&src);
			return r;
		}
		have_tgt = true;
	}
	r = ext4_rename(h, fs, odir, oname, olen, ndir, nname, nlen, &src,
			have_tgt ? &tgt : NULL, now);
	if (!r && have_tgt && tgt.links == 0)
		r = ext4_inode_free(h, fs, &tgt, now);
	if (have_tgt)
		ext4_inode_put(&tgt);
	ext4_inode_put(&src);
	return r;
}

#endif
