/*
 * Host harness for the ext4 read path (the ext4/ sources over test/host's file
 * block device, ASan + UBSan).  The oracle is e2fsprogs: the images of
 * build/ext4-img (made by mkext4images.py with mke2fs -d, e2fsck -D and
 * debugfs) are walked through the library and compared with the source
 * trees they were made from: names, inode numbers of hard links, modes,
 * owners, sizes, link counts, mtimes to the nanosecond, contents, symlink
 * targets and user xattrs.  Then the htree hashes against debugfs's
 * dx_hash, and mount-time checks on doctored superblocks.
 *
 * Usage: test_ext4 [IMAGE_DIR]  (default build/ext4-img; the images are
 * made first if the manifest is missing).
 */
#include "ext4/ext4.h"
#include "ext4/internal.h"
#include "block/buffer.h"
#include "ext4/journal.h"
#include "lib/crc32c.h"
#include "test/host/kshim.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "test/host/host_test.h"
#include "test/host/ext4_host.h"

static const char *img_dir = "build/ext4-img";
static unsigned mismatches;

#define MISMATCH(...)                                                       \
	do {                                                                \
		if (mismatches++ < 30) {                                    \
			fprintf(stderr, "  mismatch: ");                    \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
		}                                                           \
	} while (0)

struct fs_entry {
	char name[256];
	uint32_t ino;
	unsigned dtype;
	bool seen;
};

struct entry_list {
	struct fs_entry *v;
	size_t n, cap;
};

static int collect(void *ctx, const char *name, unsigned len, uint32_t ino,
		   unsigned dtype, uint64_t pos, uint64_t next)
{
	struct entry_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	memcpy(l->v[l->n].name, name, len);
	l->v[l->n].name[len] = 0;
	l->v[l->n].ino = ino;
	l->v[l->n].dtype = dtype;
	l->v[l->n].seen = false;
	l->n++;
	return 0;
}

struct one_ctx {
	bool got;
	char name[256];
	uint32_t ino;
	uint64_t pos;
};

/* Take the first entry, then stop at the second. */
static int take_one(void *ctx, const char *name, unsigned len, uint32_t ino,
		    unsigned dtype, uint64_t pos, uint64_t next)
{
	struct one_ctx *o = ctx;

	if (o->got)
		return 1;
	o->got = true;
	memcpy(o->name, name, len);
	o->name[len] = 0;
	o->ino = ino;
	o->pos = pos;
	return 0;
}

/* Hard links: host inode -> fs inode, to check they share one inode. */
struct link_map {
	ino_t host[4096];
	uint32_t fs[4096];
	size_t n;
};
static struct link_map links;

static void check_hardlink(const char *path, const struct stat *st, uint32_t ino)
{
	if (st->st_nlink < 2 || S_ISDIR(st->st_mode))
		return;
	for (size_t i = 0; i < links.n; i++)
		if (links.host[i] == st->st_ino) {
			if (links.fs[i] != ino)
				MISMATCH("%s: hard link to inode %u, not %u", path, ino, links.fs[i]);
			return;
		}
	if (links.n < 4096) {
		links.host[links.n] = st->st_ino;
		links.fs[links.n++] = ino;
	}
}

static void compare_content(struct ext4_fs *fs, struct ext4_inode *in,
			    const char *path, off_t size)
{
	int fd = open(path, O_RDONLY);
	uint8_t *want = malloc(size + 1), *got = malloc(size + 1);
	size_t done = 0, step = 1;

	if (fd < 0 || !want || !got || read(fd, want, size) != size) {
		MISMATCH("%s: cannot read the source", path);
		goto out;
	}
	/* odd-sized reads: partial blocks at both ends */
	while (done < (size_t)size) {
		size_t chunk = MIN((size_t)size - done, step * 4093 + 1);
		long n = ext4_file_read(fs, in, done, got + done, chunk);
		if (n <= 0) {
			MISMATCH("%s: read at %zu gave %ld", path, done, n);
			goto out;
		}
		done += n;
		step = step * 3 % 1000 + 1;
	}
	if (memcmp(want, got, size))
		MISMATCH("%s: contents differ", path);
	if (ext4_file_read(fs, in, size, got, 1) != 0)
		MISMATCH("%s: read at EOF not 0", path);
out:
	if (fd >= 0)
		close(fd);
	free(want);
	free(got);
}

static void compare_xattrs(struct ext4_fs *fs, struct ext4_inode *in,
			   const char *path)
{
	char names[4096], fsnames[4096], val[4096], fsval[4096];
	ssize_t n = llistxattr(path, names, sizeof(names));
	long fn = ext4_xattr_list(fs, in, fsnames, sizeof(fsnames));
	size_t host_user = 0, fs_user = 0;

	if (n < 0 || fn < 0) {
		MISMATCH("%s: listxattr host %zd fs %ld", path, n, fn);
		return;
	}
	if (ext4_xattr_list(fs, in, NULL, 0) != fn)
		MISMATCH("%s: listxattr size query", path);
	for (char *p = names; p < names + n; p += strlen(p) + 1) {
		if (strncmp(p, "user.", 5))
			continue;
		host_user++;
		ssize_t vl = lgetxattr(path, p, val, sizeof(val));
		long fl = ext4_xattr_get(fs, in, p, fsval, sizeof(fsval));
		if (vl != fl || (vl > 0 && memcmp(val, fsval, vl)))
			MISMATCH("%s: xattr %s host %zd fs %ld", path, p, vl, fl);
		if (vl > 1 && ext4_xattr_get(fs, in, p, fsval, 1) != -ERANGE)
			MISMATCH("%s: xattr %s small buffer not ERANGE", path, p);
	}
	for (char *p = fsnames; p < fsnames + fn; p += strlen(p) + 1)
		if (!strncmp(p, "user.", 5))
			fs_user++;
	if (host_user != fs_user)
		MISMATCH("%s: %zu user xattrs, fs lists %zu", path, host_user, fs_user);
	if (ext4_xattr_get(fs, in, "user.no_such", fsval, sizeof(fsval)) != -ENODATA)
		MISMATCH("%s: missing xattr not ENODATA", path);
}

static void compare_inode(struct ext4_fs *fs, struct ext4_inode *in,
			  const char *path, const struct stat *st, bool times,
			  bool is_root)
{
	if (in->mode != st->st_mode && !is_root)
		MISMATCH("%s: mode %o, want %o", path, in->mode, st->st_mode);
	if (in->uid != st->st_uid || in->gid != st->st_gid)
		MISMATCH("%s: owner %u:%u, want %u:%u", path, in->uid, in->gid,
			 st->st_uid, st->st_gid);
	if (!S_ISDIR(st->st_mode) && in->size != (uint64_t)st->st_size)
		MISMATCH("%s: size %llu, want %lld", path,
			 (unsigned long long)in->size, (long long)st->st_size);
	if (in->links != st->st_nlink + (is_root ? 1 : 0))
		MISMATCH("%s: nlink %u, want %lu", path, in->links,
			 (unsigned long)st->st_nlink);
	if (times && (in->mtime.sec != st->st_mtim.tv_sec ||
		      in->mtime.nsec != st->st_mtim.tv_nsec))
		MISMATCH("%s: mtime %lld.%09u, want %lld.%09ld", path,
			 (long long)in->mtime.sec, in->mtime.nsec,
			 (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	if (S_ISREG(st->st_mode)) {
		compare_content(fs, in, path, st->st_size);
		if (in->blocks > (uint64_t)st->st_size / 512 + 64)
			MISMATCH("%s: %llu blocks for %lld bytes", path,
				 (unsigned long long)in->blocks, (long long)st->st_size);
	}
	if (S_ISLNK(st->st_mode)) {
		char want[4096], got[4096];
		ssize_t n = readlink(path, want, sizeof(want));
		long g = ext4_readlink(fs, in, got, sizeof(got));
		if (n != g || memcmp(want, got, n))
			MISMATCH("%s: link target (%ld bytes)", path, g);
		if (n > 1 && ext4_readlink(fs, in, got, 1) != -ERANGE)
			MISMATCH("%s: short readlink buffer not ERANGE", path);
	} else {
		compare_xattrs(fs, in, path);
	}
}

static unsigned dtype_of(mode_t m)
{
	return S_ISREG(m) ? 8 : S_ISDIR(m) ? 4 : S_ISLNK(m) ? 10 : S_ISCHR(m) ? 2 :
	       S_ISBLK(m) ? 6 : S_ISFIFO(m) ? 1 : 12;
}

static unsigned walked;

static void compare_dir(struct ext4_fs *fs, struct ext4_inode *dir,
			const char *path, bool times, bool is_root, int depth)
{
	struct entry_list l = {0};
	uint64_t pos = 0;
	DIR *d;
	struct dirent *e;
	int r = ext4_dir_iterate(fs, dir, &pos, collect, &l);

	if (r) {
		MISMATCH("%s: iterate %d", path, r);
		return;
	}
	/* one entry per call, resuming from position + 1 (getdents' d_off):
	 * the same listing */
	{
		struct one_ctx oc = {0};
		uint64_t p1 = 0;
		size_t k = 0;
		bool same = true;
		while (k <= l.n) {
			oc.got = false;
			r = ext4_dir_iterate(fs, dir, &p1, take_one, &oc);
			if (r || !oc.got)
				break;
			if (k >= l.n || strcmp(oc.name, l.v[k].name) || oc.ino != l.v[k].ino)
				same = false;
			k++;
			p1 = oc.pos + 1;
		}
		if (r || !same || k != l.n)
			MISMATCH("%s: resumed listing differs (%zu of %zu)", path, k, l.n);
	}
	d = opendir(path);
	while ((e = readdir(d))) {
		char sub[4096];
		struct stat st;
		struct ext4_inode in;
		uint32_t ino = 0;
		size_t i;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		lstat(sub, &st);
		for (i = 0; i < l.n; i++)
			if (!strcmp(l.v[i].name, e->d_name))
				break;
		if (i == l.n) {
			MISMATCH("%s: not listed", sub);
			continue;
		}
		l.v[i].seen = true;
		r = ext4_dir_lookup(fs, dir, e->d_name, strlen(e->d_name), &ino);
		if (r || ino != l.v[i].ino) {
			MISMATCH("%s: lookup %d ino %u, listed %u", sub, r, ino, l.v[i].ino);
			continue;
		}
		if (l.v[i].dtype != dtype_of(st.st_mode))
			MISMATCH("%s: d_type %u", sub, l.v[i].dtype);
		check_hardlink(sub, &st, ino);
		r = ext4_inode_read(fs, ino, &in);
		if (r) {
			MISMATCH("%s: inode %u read %d", sub, ino, r);
			continue;
		}
		walked++;
		compare_inode(fs, &in, sub, &st, times, false);
		if (S_ISDIR(st.st_mode) && depth < 32)
			compare_dir(fs, &in, sub, times, false, depth + 1);
		ext4_inode_put(&in);
	}
	closedir(d);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].seen)
			continue;
		if (!strcmp(l.v[i].name, ".")) {
			if (l.v[i].ino != dir->ino)
				MISMATCH("%s: '.' is %u", path, l.v[i].ino);
		} else if (!strcmp(l.v[i].name, "..")) {
			uint32_t up;
			if (ext4_dir_lookup(fs, dir, "..", 2, &up) || up != l.v[i].ino)
				MISMATCH("%s: '..' lookup", path);
		} else if (!(is_root && !strcmp(l.v[i].name, "lost+found"))) {
			MISMATCH("%s/%s: listed but not in the source", path, l.v[i].name);
		}
	}
	uint32_t none;
	if (ext4_dir_lookup(fs, dir, "no-such-name", 12, &none) != -ENOENT)
		MISMATCH("%s: lookup of a missing name", path);
	free(l.v);
}

static void check_image(const char *name, const char *flags)
{
	char img[512], tree[512], label[600];
	struct block_device *bdev;
	struct ext4_fs *fs;
	struct ext4_inode root;
	struct stat st;
	int r;

	snprintf(img, sizeof(img), "%s/%s.img", img_dir, name);
	snprintf(tree, sizeof(tree), "%s/%s.tree", img_dir, name);
	bdev = hostblk_open(img, true);
	snprintf(label, sizeof(label), "%s: open image", name);
	CHECK(label, bdev != NULL);
	if (!bdev)
		return;
	r = ext4_mount(bdev, EXT4_MOUNT_RDONLY, &fs);
	snprintf(label, sizeof(label), "%s: mount", name);
	CHECK(label, r == 0);
	if (r) {
		hostblk_close(bdev);
		return;
	}
	mismatches = 0;
	walked = 0;
	links.n = 0;
	r = ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	lstat(tree, &st);
	if (!r) {
		compare_inode(fs, &root, tree, &st, false, true);
		compare_dir(fs, &root, tree, !strstr(flags, "notimes"), true, 0);
		ext4_inode_put(&root);
	}
	snprintf(label, sizeof(label), "%s: tree matches the source (%u inodes)", name, walked);
	CHECK(label, r == 0 && mismatches == 0 && walked > 10);
	snprintf(label, sizeof(label), "%s: no metadata errors", name);
	CHECK(label, ext4_error_count(fs) == 0);
	snprintf(label, sizeof(label), "%s: kind", name);
	CHECK(label, !strncmp(ext4_fs_kind(fs), name, 4));
	struct ext4_statfs sf;
	ext4_statfs(fs, &sf);
	snprintf(label, sizeof(label), "%s: statfs", name);
	CHECK(label, sf.blocks * sf.block_size >= 4u << 20 && sf.free_blocks < sf.blocks &&
		     sf.free_inodes < sf.inodes && sf.name_max == 255);
	ext4_unmount(fs);
	hostblk_close(bdev);
}

/* ---- htree hashes against debugfs ---- */

static void check_hashes(void)
{
	static const char *const algs[] = {"legacy", "half_md4", "tea",
		"legacy_unsigned", "half_md4_unsigned", "tea_unsigned"};
	static const char *const names[] = {"a", "hello", "file_00042_xxxxxxxxxxxx",
		"\xc3\xbc" "tf8_\xc3\xa9_\xff", "a_name_that_is_longer_than_thirty_two_bytes_for_md4",
		"0123456789abcdef0123456789abcdef0123456789abcdef0"};
	const char *seed = "cd4e8a61-ada7-4a6e-839f-7611f80e94ff";
	uint32_t seedw[4];
	unsigned ok = 0, total = 0;

	/* the seed's words are the UUID's bytes in order, little-endian */
	uint8_t sb[16];
	for (int i = 0, j = 0; i < 16; j++) {
		if (seed[j] == '-')
			continue;
		unsigned v;
		sscanf(seed + j, "%2x", &v);
		sb[i++] = v;
		j++;
	}
	memcpy(seedw, sb, 16);
	/* debugfs has no unsigned variants: those are checked through the
	 * tea_unsigned image's htree lookups */
	for (unsigned a = 0; a < 3; a++)
		for (unsigned n = 0; n < ARRAY_SIZE(names); n++) {
			char cmd[512], out[256];
			FILE *p;
			unsigned h = 0, m = 0;
			uint32_t gh, gm;

			snprintf(cmd, sizeof(cmd),
				 "debugfs -R 'dx_hash -h %s -s %s \"%s\"' %s/ext4.img 2>/dev/null",
				 algs[a], seed, names[n], img_dir);
			p = popen(cmd, "r");
			if (!p || !fgets(out, sizeof(out), p) ||
			    !strstr(out, " is 0x") ||
			    sscanf(strstr(out, " is 0x"), " is 0x%x (minor 0x%x)", &h, &m) != 2) {
				if (p)
					pclose(p);
				continue;
			}
			pclose(p);
			total++;
			ext4_dx_hash(names[n], strlen(names[n]), a, seedw, &gh, &gm);
			if (gh == h && (a % 3 == 0 || gm == m))
				ok++;
			else
				fprintf(stderr, "  hash %s(%s): 0x%x/0x%x, debugfs 0x%x/0x%x\n",
					algs[a], names[n], gh, gm, h, m);
		}
	CHECK("dx hashes agree with debugfs dx_hash", total >= 15 && ok == total);
}

/* ---- doctored superblocks ---- */

static uint8_t *load_path(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc(st.st_size);
	if (read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

static uint8_t *load(const char *name, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.img", img_dir, name);
	return load_path(path, len);
}

static void sb_fix(uint8_t *img)
{
	struct ext4_super *sb = (void *)(img + 1024);
	sb->s_checksum = crc32c(~0u, sb, offsetof(struct ext4_super, s_checksum));
}

static int try_mount(uint8_t *img, size_t len)
{
	struct block_device *d = hostblk_mem_open(img, len, true);
	struct ext4_fs *fs;
	int r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);

	if (!r)
		ext4_unmount(fs);
	else
		buffer_invalidate_device(d);
	hostblk_close(d);
	return r;
}

static unsigned logged;
static void count_log(const char *msg)
{
	if (strstr(msg, "ext4"))
		logged++;
}

static void check_mount_refusals(void)
{
	size_t len;
	uint8_t *img = load("ext4", &len);
	struct ext4_super *sb;
	uint32_t saved;

	CHECK("load ext4 image", img != NULL);
	if (!img)
		return;
	sb = (void *)(img + 1024);
	kshim_printk_quiet = true;
	CHECK("pristine image mounts", try_mount(img, len) == 0);

	saved = sb->s_feature_incompat;
	sb->s_feature_incompat |= 0x1;  /* compression */
	sb_fix(img);
	CHECK("unknown INCOMPAT feature: EINVAL", try_mount(img, len) == -EINVAL);
	sb->s_feature_incompat = saved;

	saved = sb->s_feature_ro_compat;
	sb->s_feature_ro_compat |= 0x80000000u;
	sb_fix(img);
	CHECK("unknown RO_COMPAT feature: mounts (read-only)", try_mount(img, len) == 0);
	sb->s_feature_ro_compat = saved;
	sb_fix(img);

	sb->s_volume_name[0] ^= 1;      /* checksum now stale */
	CHECK("bad superblock checksum: EUCLEAN", try_mount(img, len) == -EUCLEAN);
	sb->s_volume_name[0] ^= 1;

	sb->s_magic = 0x1234;
	CHECK("bad magic: EINVAL", try_mount(img, len) == -EINVAL);
	sb->s_magic = EXT4_SUPER_MAGIC;

	saved = sb->s_log_block_size;
	sb->s_log_block_size = 9;
	sb_fix(img);
	CHECK("bad block size: EUCLEAN", try_mount(img, len) == -EUCLEAN);
	sb->s_log_block_size = saved;
	sb_fix(img);

	/* a group descriptor bit flip: its checksum catches it */
	size_t gd = (size_t)(sb->s_first_data_block + 1) << (10 + sb->s_log_block_size);
	img[gd + 8] ^= 0x40;
	CHECK("bad group descriptor checksum: EUCLEAN", try_mount(img, len) == -EUCLEAN);
	img[gd + 8] ^= 0x40;

	CHECK("image is back to pristine", try_mount(img, len) == 0);

	/* the same through the older crc16 descriptor checksum (gdt_csum) */
	{
		size_t glen;
		uint8_t *g = load("ext4_gdtcsum", &glen);
		struct ext4_super *gs = g ? (void *)(g + 1024) : NULL;
		size_t goff = gs ? (size_t)(gs->s_first_data_block + 1) <<
					   (10 + gs->s_log_block_size) : 0;
		CHECK("gdt_csum image mounts", g && try_mount(g, glen) == 0);
		if (g) {
			g[goff + 8] ^= 0x40;
			CHECK("bad gdt_csum descriptor checksum: EUCLEAN",
			      try_mount(g, glen) == -EUCLEAN);
		}
		free(g);
	}
	CHECK("truncated device: EUCLEAN", try_mount(img, len / 2) == -EUCLEAN);

	/* an inode's checksum: reading it fails, logged once */
	struct block_device *d = hostblk_mem_open(img, len, true);
	struct ext4_fs *fs;
	CHECK("mount for inode checks", ext4_mount(d, 0, &fs) == 0);
	struct ext4_inode root, in;
	uint32_t ino;
	ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	CHECK("lookup small", ext4_dir_lookup(fs, &root, "small", 5, &ino) == 0);
	uint64_t itable = ext4_gd_inode_table(fs, (ino - 1) / fs->inodes_per_group);
	size_t off = itable * fs->block_size +
		     (size_t)((ino - 1) % fs->inodes_per_group) * fs->inode_size;
	img[off + 0x10] ^= 1;   /* mtime */
	buffer_invalidate_device(d);
	logged = 0;
	kshim_printk_hook = count_log;
	CHECK("bad inode checksum: EUCLEAN", ext4_inode_read(fs, ino, &in) == -EUCLEAN);
	CHECK("again EUCLEAN", ext4_inode_read(fs, ino, &in) == -EUCLEAN);
	CHECK("error logged once, counted twice", logged == 1 && ext4_error_count(fs) == 2);
	kshim_printk_hook = NULL;
	img[off + 0x10] ^= 1;
	buffer_invalidate_device(d);
	CHECK("fixed inode reads", ext4_inode_read(fs, ino, &in) == 0);
	ext4_inode_put(&in);
	ext4_inode_put(&root);
	ext4_unmount(fs);
	hostblk_close(d);
	kshim_printk_quiet = false;
	free(img);
}

/* ---- journal replay at mount (debugfs writes the transactions) ---- */

/*
 * An image whose journal debugfs filled: transaction 1 logs new contents
 * for data block 0 of "a" (N...) and of "b" (M...), transaction 2 revokes
 * b's block.  After the replay "a" starts with N..., "b" is untouched, the
 * superblock no longer says needs_recovery and e2fsck finds it clean.
 */
static void check_journal_replay(unsigned bs)
{
	char dir[] = "/tmp/ext4-replay-XXXXXX", cmd[2048], img[128], label[160];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, in;
	uint32_t ino;
	char *buf = malloc(bs);
	uint8_t *raw;
	size_t len;
	int r;

	if (!mkdtemp(dir)) {
		CHECK("replay: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; mkdir src;"
		 "python3 -c \"import sys; b=%u;"
		 " open('src/a','wb').write(b'A'*2*b); open('src/b','wb').write(b'B'*b);"
		 " open('new','wb').write(b'N'*b+b'M'*b)\";"
		 "mke2fs -q -F -t ext4 -b %u -d src img 8M >/dev/null 2>&1;"
		 "A=$(debugfs -R 'bmap a 0' img 2>/dev/null); B=$(debugfs -R 'bmap b 0' img 2>/dev/null);"
		 "printf 'jo\\njw -b %%s,%%s new\\njc\\njo\\njw -r %%s\\njc\\n' $A $B $B |"
		 " debugfs -w -f - img >/dev/null 2>&1;"
		 "dumpe2fs -h img 2>/dev/null | grep -q needs_recovery",
		 dir, bs, bs);
	snprintf(label, sizeof(label), "replay %u: debugfs wrote a journal needing recovery", bs);
	CHECK(label, system(cmd) == 0);

	kshim_printk_quiet = true;
	d = hostblk_open(img, true);
	r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);
	if (!r)
		ext4_unmount(fs);
	buffer_invalidate_device(d);
	hostblk_close(d);
	snprintf(label, sizeof(label), "replay %u: read-only device refused: EROFS", bs);
	CHECK(label, r == -EROFS);

	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);
	snprintf(label, sizeof(label), "replay %u: mount replays the journal", bs);
	CHECK(label, r == 0);
	if (!r) {
		bool a_ok = false, b_ok = false;
		ext4_inode_read(fs, EXT4_ROOT_INO, &root);
		if (ext4_dir_lookup(fs, &root, "a", 1, &ino) == 0 &&
		    ext4_inode_read(fs, ino, &in) == 0) {
			a_ok = ext4_file_read(fs, &in, 0, buf, bs) == (long)bs &&
			       buf[0] == 'N' && buf[bs - 1] == 'N' &&
			       ext4_file_read(fs, &in, bs, buf, bs) == (long)bs &&
			       buf[0] == 'A' && buf[bs - 1] == 'A';
			ext4_inode_put(&in);
		}
		if (ext4_dir_lookup(fs, &root, "b", 1, &ino) == 0 &&
		    ext4_inode_read(fs, ino, &in) == 0) {
			b_ok = ext4_file_read(fs, &in, 0, buf, bs) == (long)bs &&
			       buf[0] == 'B' && buf[bs - 1] == 'B';
			ext4_inode_put(&in);
		}
		ext4_inode_put(&root);
		snprintf(label, sizeof(label), "replay %u: logged block replayed", bs);
		CHECK(label, a_ok);
		snprintf(label, sizeof(label), "replay %u: revoked block not replayed", bs);
		CHECK(label, b_ok);
		snprintf(label, sizeof(label), "replay %u: no metadata errors", bs);
		CHECK(label, ext4_error_count(fs) == 0);
		ext4_unmount(fs);
	}
	hostblk_close(d);
	kshim_printk_quiet = false;

	raw = load_path(img, &len);
	snprintf(label, sizeof(label), "replay %u: needs_recovery cleared, superblock checksum right", bs);
	CHECK(label, raw && !(((struct ext4_super *)(raw + 1024))->s_feature_incompat &
			      EXT4_INCOMPAT_RECOVER) &&
		     ((struct ext4_super *)(raw + 1024))->s_checksum ==
			     crc32c(~0u, raw + 1024, offsetof(struct ext4_super, s_checksum)));
	free(raw);
	snprintf(cmd, sizeof(cmd), "e2fsck -fn %s >%s/fsck.log 2>&1", img, dir);
	snprintf(label, sizeof(label), "replay %u: e2fsck -fn clean afterwards", bs);
	CHECK(label, system(cmd) == 0);

	d = hostblk_open(img, true);
	r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);
	snprintf(label, sizeof(label), "replay %u: mounts again from a read-only device", bs);
	CHECK(label, r == 0);
	if (!r)
		ext4_unmount(fs);
	hostblk_close(d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		CHECK("replay: clean up", 0);
	free(buf);
}

/* ---- allocation under the journal (e2fsck is the oracle) ---- */

/*
 * On a fresh mke2fs image (@opts): allocate blocks (a run at a goal in
 * group 0, a run in the last, BLOCK_UNINIT, group) and inodes (files
 * beside their parent, directories spread) under one handle, unmount.
 * e2fsck -fn must then find only the bitmap differences those unused
 * allocations are (no checksum or descriptor complaint) and debugfs must
 * see them in use; after a second mount frees them all, e2fsck -fn is
 * clean.
 */
static void check_alloc(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4-alloc-XXXXXX", img[128], label[200];
	struct block_device *d;
	struct ext4_fs *fs;
	struct journal_handle *h;
	uint64_t blk[2] = { 0, 0 };
	uint32_t cnt[2] = { 100, 10 }, ino[8] = { 0 };
	uint64_t free_blocks0 = 0;
	uint32_t free_inodes0 = 0, last_group = 0;
	int r, bad = 0;

	if (!mkdtemp(dir)) {
		CHECK("alloc: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "alloc %s: mke2fs", tag);
	CHECK(label, sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1", opts, img, size) == 0);

	kshim_printk_quiet = true;
	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	snprintf(label, sizeof(label), "alloc %s: read-write library mount", tag);
	CHECK(label, r == 0);
	if (r) {
		hostblk_close(d);
		kshim_printk_quiet = false;
		return;
	}
	free_blocks0 = ext4_free_blocks_total(fs);
	free_inodes0 = ext4_free_inodes_total(fs);
	last_group = fs->groups - 1;
	h = journal_start(fs->journal, 64);
	CHECK("alloc: journal_start", !IS_ERR(h));
	if (IS_ERR(h)) {
		ext4_unmount(fs);
		hostblk_close(d);
		return;
	}
	uint64_t goal = ext4_gd_inode_table(fs, 0) + 2000;
	r = ext4_new_blocks(h, fs, goal, &cnt[0], &blk[0]);
	snprintf(label, sizeof(label), "alloc %s: a 100-block run at the goal", tag);
	CHECK(label, r == 0 && cnt[0] == 100 && blk[0] >= goal &&
		     blk[0] - goal < fs->blocks_per_group);
	uint64_t next = 0;
	uint32_t one = 1;
	r = ext4_new_blocks(h, fs, blk[0] + 100, &one, &next);
	snprintf(label, sizeof(label), "alloc %s: a free goal is taken as is", tag);
	CHECK(label, r == 0 && one == 1 && next == blk[0] + 100);
	cnt[0] = 101;
	bool uninit = fs->gd[last_group].bg_flags & EXT4_BG_BLOCK_UNINIT;
	goal = (uint64_t)last_group * fs->blocks_per_group + fs->sb.s_first_data_block + 5;
	r = ext4_new_blocks(h, fs, goal, &cnt[1], &blk[1]);
	snprintf(label, sizeof(label), "alloc %s: blocks in the last group (%s)", tag,
		 uninit ? "BLOCK_UNINIT" : "initialized");
	CHECK(label, r == 0 && cnt[1] == 10 && blk[1] >= goal - 5 &&
		     !(fs->gd[last_group].bg_flags & EXT4_BG_BLOCK_UNINIT));
	for (int i = 0; i < 8; i++)
		bad |= ext4_new_inode_nr(h, fs, EXT4_ROOT_INO, i >= 5, &ino[i]);
	snprintf(label, sizeof(label), "alloc %s: 5 files beside the root, 3 directories spread", tag);
	CHECK(label, !bad && (ino[0] - 1) / fs->inodes_per_group == 0 &&
		     ino[1] == ino[0] + 1 && ino[4] == ino[0] + 4 &&
		     !((ino[5] - 1) / fs->inodes_per_group == (ino[6] - 1) / fs->inodes_per_group &&
		       (ino[6] - 1) / fs->inodes_per_group == (ino[7] - 1) / fs->inodes_per_group));
	snprintf(label, sizeof(label), "alloc %s: free counts", tag);
	CHECK(label, ext4_free_blocks_total(fs) == free_blocks0 - 111 &&
		     ext4_free_inodes_total(fs) == free_inodes0 - 8);
	CHECK("alloc: journal_stop", journal_stop(h) == 0);
	/* a power cut after the commit: the image as it is now */
	snprintf(label, sizeof(label), "alloc %s: journal_commit", tag);
	CHECK(label, journal_commit(fs->journal) == 0);
	sh("cp --sparse=always %s %s/crash", img, dir);
	snprintf(label, sizeof(label), "alloc %s: unmount", tag);
	CHECK(label, ext4_unmount_rw(fs) == 0);
	hostblk_close(d);

	/* e2fsck: only the unused allocations, debugfs: they are in use */
	sh("e2fsck -fn %s >%s/fsck1 2>&1", img, dir);
	snprintf(label, sizeof(label), "alloc %s: e2fsck sees the allocations, no checksum or descriptor error", tag);
	CHECK(label, sh("grep -q 'Block bitmap differences' %s/fsck1 && grep -q 'Inode bitmap differences' %s/fsck1 &&"
			" ! grep -qi 'checksum\\|descriptor\\|superblock\\|journal' %s/fsck1", dir, dir, dir) == 0);
	snprintf(label, sizeof(label), "alloc %s: debugfs testb/testi see them in use", tag);
	CHECK(label, sh("debugfs -R 'testb %llu 101' %s 2>/dev/null | grep -c 'marked in use' | grep -qx 101 &&"
			" debugfs -R 'testi <%u>' %s 2>/dev/null | grep -q 'marked in use'",
			(unsigned long long)blk[0], img, ino[7], img) == 0);

	/* the crashed copy: the replay brings the allocations home */
	snprintf(label, sizeof(label), "%s/crash", dir);
	d = hostblk_open(label, false);
	r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);
	if (!r)
		ext4_unmount(fs);
	hostblk_close(d);
	snprintf(label, sizeof(label), "alloc %s: crash image: replayed at mount", tag);
	CHECK(label, r == 0);
	sh("e2fsck -fn %s/crash >%s/fsck3 2>&1", dir, dir);
	snprintf(label, sizeof(label), "alloc %s: crash image: the allocations are there, checksums right", tag);
	CHECK(label, sh("grep -q 'Block bitmap differences' %s/fsck3 && grep -q 'Inode bitmap differences' %s/fsck3 &&"
			" ! grep -qi 'checksum\\|descriptor\\|journal' %s/fsck3 &&"
			" debugfs -R 'testb %llu 101' %s/crash 2>/dev/null | grep -c 'marked in use' | grep -qx 101",
			dir, dir, dir, (unsigned long long)blk[0], dir) == 0);

	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	snprintf(label, sizeof(label), "alloc %s: remount", tag);
	CHECK(label, r == 0);
	if (!r) {
		h = journal_start(fs->journal, 64);
		bad = IS_ERR(h);
		if (!bad) {
			bad |= ext4_free_blocks(h, fs, blk[0], cnt[0]);
			bad |= ext4_free_blocks(h, fs, blk[1], cnt[1]);
			for (int i = 0; i < 8; i++)
				bad |= ext4_free_inode_nr(h, fs, ino[i], i >= 5);
			snprintf(label, sizeof(label), "alloc %s: freeing a free block: EUCLEAN", tag);
			CHECK(label, ext4_free_blocks(h, fs, blk[0], 1) == -EUCLEAN);
			bad |= journal_stop(h);
		}
		snprintf(label, sizeof(label), "alloc %s: free everything", tag);
		CHECK(label, !bad && ext4_free_blocks_total(fs) == free_blocks0 &&
			     ext4_free_inodes_total(fs) == free_inodes0);
		ext4_unmount_rw(fs);
	}
	hostblk_close(d);
	kshim_printk_quiet = false;
	snprintf(label, sizeof(label), "alloc %s: e2fsck -fn clean after freeing", tag);
	r = sh("e2fsck -fn %s >%s/fsck2 2>&1", img, dir);
	if (r)
		sh("cat %s/fsck2 >&2", dir);
	CHECK(label, r == 0);
	sh("rm -rf %s", dir);
}

/* ---- new inodes with in-inode extents (e2fsck and debugfs as oracle) ---- */

static uint32_t new_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/*
 * Write new inodes through the library: a file with two extents (the
 * second appended run merged into the first, a hole, a last block in
 * part), device nodes (old and new number encoding), a file with a
 * post-2038 nanosecond mtime.  debugfs links them into the root; e2fsck
 * -fn must be clean and debugfs must read back the contents, numbers
 * and times.
 */
static void check_new_inodes(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4-inode-XXXXXX", img[128], label[200];
	struct block_device *d;
	struct ext4_fs *fs;
	struct journal_handle *h;
	struct ext4_inode f1, c1, c2, f3;
	struct ext4_time now = { 1700000000, 123456789 };
	uint32_t ino[4] = { 0 }, bs = 0, n;
	uint64_t blk = 0, blk2 = 0;
	uint8_t *data = NULL;
	size_t flen = 0;
	int r, bad = 0;

	if (!mkdtemp(dir)) {
		CHECK("inode: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "inode %s: mke2fs", tag);
	CHECK(label, sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1", opts, img, size) == 0);
	kshim_printk_quiet = true;
	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	snprintf(label, sizeof(label), "inode %s: read-write library mount", tag);
	CHECK(label, r == 0);
	if (r) {
		hostblk_close(d);
		kshim_printk_quiet = false;
		return;
	}
	bs = fs->block_size;
	flen = (size_t)100 * bs + 10;
	data = calloc(1, flen);
	h = journal_start(fs->journal, 64);
	for (int i = 0; i < 4; i++)
		bad |= ext4_new_inode_nr(h, fs, EXT4_ROOT_INO, false, &ino[i]);
	bad |= ext4_inode_init_new(fs, &f1, ino[0], 0100640, 1000, 70000, now);
	/* blocks 0-2, then 3-4 right after them on disk: one extent */
	n = 3;
	bad |= ext4_new_blocks(h, fs, 0, &n, &blk);
	bad |= n != 3;
	n = 2;
	bad |= ext4_new_blocks(h, fs, blk + 3, &n, &blk2);
	bad |= n != 2 || blk2 != blk + 3;
	for (size_t i = 0; i < 5 * (size_t)bs; i++)
		data[i] = (uint8_t)(i * 7 + i / bs);
	bad |= block_rw(d, BLOCK_WRITE, blk * (bs / 512), data, 5 * (size_t)bs);
	bad |= ext4_extent_append(fs, &f1, 0, blk, 3);
	bad |= ext4_extent_append(fs, &f1, 3, blk + 3, 2);
	snprintf(label, sizeof(label), "inode %s: adjacent runs merge into one extent", tag);
	CHECK(label, !bad && ((struct ext4_extent_header *)((struct ext4_disk_inode *)f1.raw)->i_block)->eh_entries == 1);
	snprintf(label, sizeof(label), "inode %s: an extent before the last: EINVAL", tag);
	CHECK(label, ext4_extent_append(fs, &f1, 2, blk + 100, 1) == -EINVAL);
	/* a hole, then the last block (10 bytes of it in the file) */
	n = 1;
	bad |= ext4_new_blocks(h, fs, blk + 50, &n, &blk2);
	memset(data + 100 * (size_t)bs, 0x5a, 10);
	{
		uint8_t *last = calloc(1, bs);
		memcpy(last, data + 100 * (size_t)bs, 10);
		bad |= block_rw(d, BLOCK_WRITE, blk2 * (bs / 512), last, bs);
		free(last);
	}
	bad |= ext4_extent_append(fs, &f1, 100, blk2, 1);
	f1.size = flen;
	bad |= ext4_inode_write(h, fs, &f1);
	/* truncate to 3 blocks + 100 bytes (the hole's block and block 4
	 * go, block 3's tail is zeroed), then grow to 10 blocks (a hole) */
	{
		uint64_t blocks_before = f1.blocks;
		bad |= ext4_truncate(h, fs, &f1, 3 * (uint64_t)bs + 100, now);
		snprintf(label, sizeof(label), "inode %s: truncate frees the blocks past the end", tag);
		CHECK(label, f1.blocks == blocks_before - 2 * (bs / 512) &&
			     ((struct ext4_extent_header *)((struct ext4_disk_inode *)f1.raw)->i_block)->eh_entries == 1);
		bad |= ext4_truncate(h, fs, &f1, 10 * (uint64_t)bs, now);
		memset(data + 3 * (size_t)bs + 100, 0, flen - (3 * (size_t)bs + 100));
		flen = 10 * (size_t)bs;
	}

	bad |= ext4_inode_init_new(fs, &c1, ino[1], 0020600, 0, 0, now);
	c1.rdev = new_dev(4, 64);
	bad |= ext4_inode_write(h, fs, &c1);
	snprintf(label, sizeof(label), "inode %s: truncate of a device node: EINVAL", tag);
	CHECK(label, ext4_truncate(h, fs, &c1, 0, now) == -EINVAL);
	bad |= ext4_inode_init_new(fs, &c2, ino[2], 0060660, 0, 6, now);
	c2.rdev = new_dev(259, 300000);
	bad |= ext4_inode_write(h, fs, &c2);
	bad |= ext4_inode_init_new(fs, &f3, ino[3], 0100600, 0, 0, now);
	f3.mtime = (struct ext4_time){ 4102444800ll, 5 };
	bad |= ext4_inode_write(h, fs, &f3);
	bad |= journal_stop(h);
	snprintf(label, sizeof(label), "inode %s: inodes written", tag);
	CHECK(label, !bad);

	/* a file of 400 one-block extents with holes between them: the
	 * tree grows (1 KiB blocks: to depth 2) */
	struct ext4_inode f4;
	const unsigned next = 400;
	size_t f4len = (size_t)2 * next * bs;
	uint8_t *f4data = calloc(1, f4len);
	uint64_t prev = 0;
	uint32_t f4ino = 0;
	h = journal_start(fs->journal, 64);
	bad |= ext4_new_inode_nr(h, fs, EXT4_ROOT_INO, false, &f4ino);
	bad |= ext4_inode_init_new(fs, &f4, f4ino, 0100644, 0, 0, now);
	for (unsigned i = 0; i < next && !bad; i++) {
		uint64_t p = 0;
		n = 1;
		bad |= ext4_new_blocks(h, fs, prev ? prev + 2 : 0, &n, &p);
		memset(f4data + (size_t)2 * i * bs, (int)(i % 251) + 1, bs);
		bad |= block_rw(d, BLOCK_WRITE, p * (bs / 512), f4data + (size_t)2 * i * bs, bs);
		r = ext4_extent_add(h, fs, &f4, 2 * i, p, 1);
		if (r) {
			fprintf(stderr, "  extent %u: %d\n", i, r);
			bad = 1;
		}
		prev = p;
	}
	f4.size = f4len;
	bad |= ext4_inode_write(h, fs, &f4);
	unsigned f4depth = ((struct ext4_extent_header *)((struct ext4_disk_inode *)f4.raw)->i_block)->eh_depth;
	/* a partial truncate of the deep tree: extents 0..150 stay, the
	 * last one's tail is zeroed */
	uint64_t f4blocks = f4.blocks;
	r = ext4_truncate(h, fs, &f4, 300 * (uint64_t)bs + 100, now);
	snprintf(label, sizeof(label), "inode %s: partial truncate of the deep tree", tag);
	CHECK(label, r == 0 && f4.blocks < f4blocks - 249 * (uint64_t)(bs / 512));
	memset(f4data + 300 * (size_t)bs + 100, 0, bs - 100);
	f4len = 300 * (size_t)bs + 100;
	ext4_inode_put(&f4);
	bad |= journal_stop(h);
	snprintf(label, sizeof(label), "inode %s: 400 extents, the tree grew to depth %u", tag, f4depth);
	CHECK(label, !bad && f4depth == (bs == 1024 ? 2u : 1u));
	snprintf(label, sizeof(label), "inode %s: inodes written", tag);
	CHECK(label, !bad);
	snprintf(label, sizeof(label), "inode %s: unmount", tag);
	CHECK(label, ext4_unmount_rw(fs) == 0);
	ext4_inode_put(&f1);
	ext4_inode_put(&c1);
	ext4_inode_put(&c2);
	ext4_inode_put(&f3);
	hostblk_close(d);
	kshim_printk_quiet = false;

	sh("printf 'ln <%u> f1\\nln <%u> c1\\nln <%u> c2\\nln <%u> f3\\nln <%u> f4\\n' | debugfs -w -f - %s >/dev/null 2>&1",
	   ino[0], ino[1], ino[2], ino[3], f4ino, img);
	r = sh("e2fsck -fn %s >%s/fsck 2>&1", img, dir);
	if (r)
		sh("cat %s/fsck >&2", dir);
	snprintf(label, sizeof(label), "inode %s: e2fsck -fn clean", tag);
	CHECK(label, r == 0);
	char out[200];
	snprintf(out, sizeof(out), "%s/f1.out", dir);
	sh("debugfs -R 'dump f1 %s' %s >/dev/null 2>&1", out, img);
	size_t got_len = 0;
	uint8_t *got = load_path(out, &got_len);
	snprintf(label, sizeof(label), "inode %s: debugfs dumps the file (extents, hole, tail)", tag);
	CHECK(label, got && got_len == flen && !memcmp(got, data, flen));
	free(got);
	snprintf(out, sizeof(out), "%s/f4.out", dir);
	sh("debugfs -R 'dump f4 %s' %s >/dev/null 2>&1", out, img);
	got = load_path(out, &got_len);
	snprintf(label, sizeof(label), "inode %s: debugfs dumps the 400-extent file", tag);
	CHECK(label, got && got_len == f4len && !memcmp(got, f4data, f4len));
	free(got);
	free(f4data);
	snprintf(label, sizeof(label), "inode %s: debugfs: device numbers, owner, times", tag);
	CHECK(label, sh("cd %s && debugfs -R 'stat c1' img 2>/dev/null | grep -q 'Device major/minor number: 04:64 ' &&"
			" debugfs -R 'stat c2' img 2>/dev/null | grep -q 'Device major/minor number: 259:300000 ' &&"
			" debugfs -R 'stat f1' img 2>/dev/null | grep -q 'User:  1000   Group: 70000' &&"
			" debugfs -R 'stat f1' img 2>/dev/null | grep -q 'mtime: 0x6553f100:1d6f3454' &&"
			" debugfs -R 'stat f3' img 2>/dev/null | grep -q 'mtime: 0xf4865700:00000015'",
			dir) == 0);
	free(data);
	sh("rm -rf %s", dir);
}

/* ---- creating names (linear directories) ---- */

/*
 * Through the library on a fresh image: 300 files in the root (its
 * directory grows by blocks), a directory with files and a device node
 * in it, a nested directory; then e2fsck -fn clean, debugfs lists every
 * name with its inode number and type, and the link counts are right.
 */
static void check_create(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4-create-XXXXXX", img[128], label[200], name[64];
	struct block_device *d;
	struct ext4_fs *fs;
	struct journal_handle *h;
	struct ext4_inode root, sub, in, sub2;
	struct ext4_time now = { 1700000000, 42 };
	uint32_t first_ino = 0, sub_ino = 0, root_links = 0;
	int r, bad = 0;

	if (!mkdtemp(dir)) {
		CHECK("create: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "create %s: mke2fs", tag);
	CHECK(label, sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1", opts, img, size) == 0);
	kshim_printk_quiet = true;
	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	snprintf(label, sizeof(label), "create %s: read-write library mount", tag);
	CHECK(label, r == 0);
	if (r) {
		hostblk_close(d);
		kshim_printk_quiet = false;
		return;
	}
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	root_links = root.links;
	for (int i = 0; i < 300 && !bad; i++) {
		h = journal_start(fs->journal, 16);
		snprintf(name, sizeof(name), "file-with-a-longer-name-%03d", i);
		r = ext4_create(h, fs, &root, name, strlen(name), 0100644, 0, 0, 0, now, &in);
		if (r) {
			fprintf(stderr, "  create %s: %d\n", name, r);
			bad = 1;
		} else {
			if (i == 0)
				first_ino = in.ino;
			ext4_inode_put(&in);
		}
		bad |= journal_stop(h);
	}
	snprintf(label, sizeof(label), "create %s: 300 files in the root", tag);
	CHECK(label, !bad && root.size > fs->block_size);
	h = journal_start(fs->journal, 32);
	snprintf(label, sizeof(label), "create %s: an existing name: EEXIST", tag);
	CHECK(label, ext4_create(h, fs, &root, "file-with-a-longer-name-007", 27, 0100644,
				 0, 0, 0, now, &in) == -EEXIST);
	r = ext4_create(h, fs, &root, "sub", 3, 040755, 1000, 1000, 0, now, &sub);
	snprintf(label, sizeof(label), "create %s: mkdir", tag);
	CHECK(label, r == 0 && root.links == root_links + 1 && sub.links == 2);
	if (!r) {
		sub_ino = sub.ino;
		bad |= ext4_create(h, fs, &sub, "a", 1, 0100600, 0, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= ext4_create(h, fs, &sub, "tty", 3, 020620, 0, 5, new_dev(4, 1), now, &in);
		ext4_inode_put(&in);
		bad |= ext4_create(h, fs, &sub, "fifo", 4, 010644, 0, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= ext4_create(h, fs, &sub, "deeper", 6, 040700, 0, 0, 0, now, &sub2);
		ext4_inode_put(&sub2);
		snprintf(label, sizeof(label), "create %s: names in the new directory", tag);
		CHECK(label, !bad && sub.links == 3);
		/* symlinks (fast and slow) and a hard link */
		char slow[201];
		memset(slow, 's', 200);
		slow[0] = '/';
		slow[200] = 0;
		bad |= ext4_symlink(h, fs, &sub, "fast", 4, "small-target", 12, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= ext4_symlink(h, fs, &sub, "slow", 4, slow, 200, 0, 0, now, &in);
		ext4_inode_put(&in);
		uint32_t fino = 0;
		bad |= ext4_dir_lookup(fs, &root, "file-with-a-longer-name-001", 27, &fino);
		bad |= ext4_inode_read(fs, fino, &in);
		if (!bad) {
			bad |= ext4_link(h, fs, &sub, "hard", 4, &in, now);
			snprintf(label, sizeof(label), "create %s: link of a directory: EPERM", tag);
			CHECK(label, ext4_link(h, fs, &root, "x", 1, &sub, now) == -EPERM);
			ext4_inode_put(&in);
		}
		snprintf(label, sizeof(label), "create %s: symlinks and a hard link", tag);
		CHECK(label, !bad);
		char got[256];
		uint32_t sino = 0;
		struct ext4_inode sl;
		long n = -1;
		if (ext4_dir_lookup(fs, &sub, "slow", 4, &sino) == 0 &&
		    ext4_inode_read(fs, sino, &sl) == 0) {
			n = ext4_readlink(fs, &sl, got, sizeof(got));
			ext4_inode_put(&sl);
		}
		snprintf(label, sizeof(label), "create %s: the slow symlink reads back", tag);
		CHECK(label, n == 200 && !memcmp(got, slow, 200));

		/* renames: in place, across, replacing, a directory across */
		uint32_t i4 = 0;
		ext4_dir_lookup(fs, &root, "file-with-a-longer-name-004", 27, &i4);
		r = t_rename(h, fs, &root, "file-with-a-longer-name-002", 27, &root, "renamed", 7, now);
		r |= t_rename(h, fs, &root, "file-with-a-longer-name-003", 27, &sub, "moved", 5, now);
		r |= t_rename(h, fs, &root, "file-with-a-longer-name-004", 27, &root,
				 "file-with-a-longer-name-005", 27, now);
		r |= t_rename(h, fs, &sub, "deeper", 6, &root, "deeper-up", 9, now);
		snprintf(label, sizeof(label), "create %s: renames", tag);
		CHECK(label, r == 0 && sub.links == 2 && root.links == root_links + 2);
		snprintf(label, sizeof(label), "create %s: rename errors: EINVAL, ENOTEMPTY, EISDIR, ENOTDIR, ENOENT", tag);
		CHECK(label, t_rename(h, fs, &root, "sub", 3, &sub, "x", 1, now) == -EINVAL &&
			     t_rename(h, fs, &root, "deeper-up", 9, &root, "sub", 3, now) == -ENOTEMPTY &&
			     t_rename(h, fs, &root, "renamed", 7, &root, "sub", 3, now) == -EISDIR &&
			     t_rename(h, fs, &root, "sub", 3, &root, "renamed", 7, now) == -ENOTDIR &&
			     t_rename(h, fs, &root, "nothing", 7, &root, "x", 1, now) == -ENOENT);
		first_ino = i4;
		ext4_inode_put(&sub);
	}
	bad |= journal_stop(h);
	/* a power cut now: the copy, replayed, must be consistent */
	snprintf(label, sizeof(label), "create %s: journal_commit", tag);
	CHECK(label, journal_commit(fs->journal) == 0);
	sh("cp --sparse=always %s %s/crash", img, dir);
	ext4_inode_put(&root);
	snprintf(label, sizeof(label), "create %s: unmount", tag);
	CHECK(label, ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;

	r = sh("e2fsck -fn %s >%s/fsck 2>&1", img, dir);
	if (r)
		sh("head -30 %s/fsck >&2", dir);
	snprintf(label, sizeof(label), "create %s: e2fsck -fn clean", tag);
	CHECK(label, r == 0);
	snprintf(label, sizeof(label), "%s/crash", dir);
	kshim_printk_quiet = true;
	d = hostblk_open(label, false);
	r = d ? ext4_mount(d, EXT4_MOUNT_RDONLY, &fs) : -1;
	if (!r)
		ext4_unmount(fs);
	if (d)
		hostblk_close(d);
	kshim_printk_quiet = false;
	snprintf(label, sizeof(label), "create %s: crash copy replayed at mount", tag);
	CHECK(label, r == 0);
	r = sh("e2fsck -fn %s/crash >%s/fsck-crash 2>&1", dir, dir);
	if (r)
		sh("head -30 %s/fsck-crash >&2", dir);
	snprintf(label, sizeof(label), "create %s: crash copy: e2fsck -fn clean", tag);
	CHECK(label, r == 0);
	snprintf(label, sizeof(label), "create %s: debugfs lists the names, numbers and types", tag);
	CHECK(label, sh("cd %s && debugfs -R 'ls -p /' img 2>/dev/null | grep -c '/100644/0/0/file-with-a-longer-name-' | grep -qx 297 &&"
			" debugfs -R 'ls -p /' img 2>/dev/null | grep -q '^/%u/100644/0/0/file-with-a-longer-name-005/0/' &&"
			" debugfs -R 'ls -p /' img 2>/dev/null | grep -q '/100644/0/0/renamed/0/' &&"
			" debugfs -R 'ls -p /sub' img 2>/dev/null | grep -q '/100644/0/0/moved/0/' &&"
			" debugfs -R 'ls -p /' img 2>/dev/null | grep -q '/040700/0/0/deeper-up//' &&"
			" debugfs -R 'ls -p /deeper-up' img 2>/dev/null | grep -q '^/2/040755/0/0/..//' &&"
			" debugfs -R 'ls -p /' img 2>/dev/null | grep -q '^/%u/040755/1000/1000/sub//' &&"
			" debugfs -R 'ls -p /sub' img 2>/dev/null | grep -q '/020620/0/5/tty/0/' &&"
			" debugfs -R 'stat /sub/tty' img 2>/dev/null | grep -q 'Device major/minor number: 04:01 ' &&"
			" debugfs -R 'ls -p /sub' img 2>/dev/null | grep -q '/010644/0/0/fifo/0/' &&"
			" debugfs -R 'stat /sub' img 2>/dev/null | grep -q 'Links: 2' &&"
			" debugfs -R 'stat /sub/fast' img 2>/dev/null | grep -q 'Fast link dest: \"small-target\"' &&"
			" debugfs -R 'stat /sub/hard' img 2>/dev/null | grep -q 'Links: 2' &&"
			" debugfs -R 'dump /sub/slow slow.out' img >/dev/null 2>&1 && test $(stat -c %%s slow.out) = 200",
			dir, first_ino, sub_ino) == 0);
	if (getenv("KEEP")) fprintf(stderr, "kept %s\n", dir); else
	sh("rm -rf %s", dir);
}

/* ---- unlink and rmdir on e2fsprogs-made images ---- */

struct name_list {
	char names[1024][256];
	unsigned dtypes[1024];
	unsigned n;
};

static int list_fn(void *ctx, const char *name, unsigned len, uint32_t ino,
		   unsigned dtype, uint64_t pos, uint64_t next)
{
	struct name_list *l = ctx;

	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)) ||
	    l->n == 1024)
		return 0;
	memcpy(l->names[l->n], name, len);
	l->names[l->n][len] = 0;
	l->dtypes[l->n++] = dtype;
	return 0;
}

/*
 * A copy of image @name (given a journal by tune2fs if it has none):
 * every non-directory in the root is unlinked and every directory
 * rmdir'ed (a non-empty one must say ENOTEMPTY and stay); e2fsck -fn must
 * be clean, debugfs must not list the removed names, and the free block
 * count must have grown by their blocks.
 */
static void check_unlink(const char *name)
{
	char dir[] = "/tmp/ext4-unlink-XXXXXX", img[128], label[200];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root;
	struct ext4_time now = { 1700000500, 0 };
	static struct name_list l;
	uint64_t before, after;
	unsigned removed = 0, notempty = 0, unsupported = 0;
	uint64_t freed = 0;
	uint64_t pos = 0;
	int r, bad = 0;

	if (!mkdtemp(dir)) {
		CHECK("unlink: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "unlink %s: copy the image (with a journal)", name);
	CHECK(label, sh("cp %s/%s.img %s && (dumpe2fs -h %s 2>/dev/null | grep -q has_journal ||"
			" tune2fs -j %s >/dev/null 2>&1)", img_dir, name, img, img, img) == 0);
	kshim_printk_quiet = true;
	d = hostblk_open(img, false);
	r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	snprintf(label, sizeof(label), "unlink %s: read-write library mount", name);
	CHECK(label, r == 0);
	if (r) {
		hostblk_close(d);
		kshim_printk_quiet = false;
		return;
	}
	l.n = 0;
	before = ext4_free_blocks_total(fs);
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	bad |= ext4_dir_iterate(fs, &root, &pos, list_fn, &l);
	for (unsigned i = 0; i < l.n && !bad; i++) {
		struct journal_handle *h = journal_start(fs->journal, 64);
		const char *nm = l.names[i];
		struct ext4_inode in;
		uint32_t ino;
		uint64_t blocks = 0;

		if (IS_ERR(h)) {
			bad = 1;
			break;
		}
		if (ext4_dir_lookup(fs, &root, nm, strlen(nm), &ino) == 0 &&
		    ext4_inode_read(fs, ino, &in) == 0) {
			if (in.links <= 1 || l.dtypes[i] == 4)
				blocks = in.blocks;
			ext4_inode_put(&in);
		}
		if (l.dtypes[i] == 4) {
			r = t_rmdir(h, fs, &root, nm, strlen(nm), now);
			if (r == -ENOTEMPTY)
				notempty++;
			if (!r && t_unlink(h, fs, &root, nm, strlen(nm), now) != -ENOENT)
				bad = 1;
		} else {
			/* every other file is first truncated to 0 */
			if (l.dtypes[i] == 8 && i % 2 == 0 &&
			    ext4_inode_read(fs, ino, &in) == 0) {
				uint64_t had = in.blocks;
				r = ext4_truncate(h, fs, &in, 0, now);
				if (r && r != -EOPNOTSUPP) {
					fprintf(stderr, "  truncate %s: %d\n", nm, r);
					bad = 1;
				}
				if (!r && (in.size || in.blocks != (in.file_acl ? fs->block_size / 512 : 0)))
					bad = 1;
				if (!r) {
					freed += had - in.blocks;
					if (in.links <= 1)
						blocks = in.blocks;
				}
				ext4_inode_put(&in);
			}
			r = t_unlink(h, fs, &root, nm, strlen(nm), now);
			if (!r && t_rmdir(h, fs, &root, nm, strlen(nm), now) != -ENOENT)
				bad = 1;
		}
		if (r == -EOPNOTSUPP)
			unsupported++;
		else if (r && r != -ENOTEMPTY) {
			fprintf(stderr, "  unlink %s: %d\n", nm, r);
			bad = 1;
		}
		if (!r) {
			removed++;
			freed += blocks;
		}
		bad |= journal_stop(h);
	}
	{
		struct journal_handle *h = journal_start(fs->journal, 16);
		snprintf(label, sizeof(label), "unlink %s: '.' and '..': EISDIR / EINVAL, missing: ENOENT", name);
		CHECK(label, t_unlink(h, fs, &root, "..", 2, now) == -EISDIR &&
			     t_rmdir(h, fs, &root, ".", 1, now) == -EINVAL &&
			     t_unlink(h, fs, &root, "nonexistent", 11, now) == -ENOENT);
		journal_stop(h);
	}
	after = ext4_free_blocks_total(fs);
	snprintf(label, sizeof(label), "unlink %s: %u names removed (%u not empty, %u unsupported)",
		 name, removed, notempty, unsupported);
	CHECK(label, !bad && removed >= 5);
	snprintf(label, sizeof(label), "unlink %s: free blocks grew by the files' blocks", name);
	CHECK(label, after == before + freed / (fs->block_size / 512));
	ext4_inode_put(&root);
	snprintf(label, sizeof(label), "unlink %s: unmount", name);
	CHECK(label, ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;

	r = sh("e2fsck -fn %s >%s/fsck 2>&1", img, dir);
	if (r)
		sh("head -30 %s/fsck >&2", dir);
	snprintf(label, sizeof(label), "unlink %s: e2fsck -fn clean", name);
	CHECK(label, r == 0);
	r = sh("test $(debugfs -R 'ls -p /' %s 2>/dev/null | grep -c '^/[1-9]') -eq $((%u - %u + 2))",
	       img, l.n, removed);
	snprintf(label, sizeof(label), "unlink %s: debugfs lists what is left (%u names)", name, l.n);
	CHECK(label, r == 0);
	sh("rm -rf %s", dir);
}

int main(int argc, char **argv)
{
	char manifest[512], line[256];
	FILE *m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		img_dir = argv[1];
	snprintf(manifest, sizeof(manifest), "%s/manifest", img_dir);
	if (access(manifest, R_OK) != 0) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "python3 test/host/mkext4images.py %s", img_dir);
		if (system(cmd) != 0) {
			CHECK("make the images (mkext4images.py)", 0);
			return host_test_finish();
		}
	}
	m = fopen(manifest, "r");
	CHECK("manifest", m != NULL);
	while (m && fgets(line, sizeof(line), m)) {
		char name[128], flags[128];
		if (sscanf(line, "%127s %127s", name, flags) == 2)
			check_image(name, flags);
	}
	if (m)
		fclose(m);
	check_hashes();
	check_mount_refusals();
	check_journal_replay(4096);
	check_journal_replay(1024);
	check_alloc("4k", "-b 4096", "1G");
	check_alloc("1k", "-b 1024", "40M");
	check_alloc("1k-nocsum", "-b 1024 -O ^metadata_csum", "40M");
	check_alloc("4k-noflex", "-b 4096 -O ^flex_bg", "1G");
	check_new_inodes("4k", "-b 4096", "64M");
	check_new_inodes("1k", "-b 1024", "16M");
	check_new_inodes("1k-nocsum", "-b 1024 -O ^metadata_csum", "16M");
	check_create("4k", "-b 4096", "64M");
	check_create("1k", "-b 1024", "16M");
	check_create("1k-nocsum", "-b 1024 -O ^metadata_csum", "16M");
	check_unlink("ext4");
	check_unlink("ext4_nocsum");
	check_unlink("ext4_frag");
	return host_test_finish();
}
