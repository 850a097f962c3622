/*
 * ext4 write-path fuzzer (ASan + UBSan): a small image made by mke2fs and
 * debugfs (files, a deep sparse file, a directory, symlinks, an xattr
 * block, unwritten extents, an orphan on the list, an ext3 twin) is
 * mutated in memory (random bytes and words in the metadata blocks a
 * pristine read-write session touched, fields of the first inodes),
 * mounted read-write (journal
 * replay, orphan cleanup) and changed through the library: every name in
 * the root and in the directory removed (victims freed), files created,
 * written in holes and unwritten extents, fallocated, truncated,
 * renamed.  A case passes if it does not crash (sanitizers abort),
 * finishes within CASE_SECONDS (SIGALRM), returns only the errnos the API
 * promises and leaves no buffer referenced after unmount.
 *
 * Usage: fuzz_ext4_write [-s SEED] [-n CASES] [-c CASE] [-v]
 */
#include "ext4/ext4.h"
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/buffer.h"
#include "test/host/kshim.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test/host/host_test.h"

#define CASE_SECONDS 20
#define TRACE_MAX 4096

static uint64_t rng_state;
static uint8_t *pristine, *img;
static size_t img_len;
static uint64_t trace[TRACE_MAX][2];
static size_t ntrace;
static unsigned long cur_case, cur_seed;
static const char *cur_image;
static unsigned bad_returns, leaked_refs, errors_seen, mounted, ok_calls;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "fuzz_ext4_write: hang (%s case %lu seed %lu)\n",
		cur_image, cur_case, cur_seed);
	_exit(2);
}

static void check_ret(long r, const char *what)
{
	ok_calls += r == 0;
	switch (r) {
	case 0: case -EUCLEAN: case -EIO: case -ENOMEM: case -ENOENT:
	case -ENOTDIR: case -EISDIR: case -ENOTEMPTY: case -EINVAL:
	case -ENOSPC: case -EEXIST: case -EFBIG: case -EOPNOTSUPP:
	case -ENAMETOOLONG: case -EMLINK: case -EROFS: case -EPERM:
	case -EBADMSG:
		if (r && r != -EOPNOTSUPP)
			errors_seen++;
		return;
	}
	if (r > 0)
		return;
	bad_returns++;
	fprintf(stderr, "fuzz_ext4_write: %s returned %ld (%s case %lu seed %lu)\n",
		what, r, cur_image, cur_case, cur_seed);
}

static int sh(const char *cmd)
{
	return system(cmd);
}

/* The image: made once per run in @dir. */
static bool make_image(const char *dir, const char *name, const char *opts)
{
	char cmd[4096];
	struct stat st;
	int fd;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && mke2fs -q -F %s -J size=1 -N 128 %s.img 4M >/dev/null 2>&1 &&"
		 " head -c 20000 /dev/urandom >f20k && head -c 600 /dev/zero | tr '\\0' x >val &&"
		 " printf '%%s\\n' 'write f20k file' 'mkdir d' 'write f20k d/in1' 'write /dev/null d/in2'"
		 " 'symlink d/sl /a/rather/long/target/that/does/not/fit/in/the/inode/block/array/at/all'"
		 " 'symlink fast /x' 'write /dev/null x' 'ea_set -f val x user.v'"
		 " 'write /dev/null fa' 'write /dev/null orph' 'write f20k victim'"
		 " | debugfs -w -f - %s.img >/dev/null 2>&1 &&"
		 " (debugfs -w -R 'fallocate fa 0 40' %s.img >/dev/null 2>&1; true) &&"
		 " I=$(debugfs -R 'stat victim' %s.img 2>/dev/null | sed -n 's/^Inode: \\([0-9]*\\).*/\\1/p') &&"
		 " printf '%%s\\n' 'unlink victim' \"sif <$I> links_count 0\" \"ssv last_orphan $I\""
		 " | debugfs -w -f - %s.img >/dev/null 2>&1",
		 dir, opts, name, name, name, name, name);
	if (sh(cmd) != 0)
		return false;
	snprintf(cmd, sizeof(cmd), "%s/%s.img", dir, name);
	fd = open(cmd, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return false;
	free(pristine);
	free(img);
	img_len = st.st_size;
	pristine = malloc(img_len);
	img = malloc(img_len);
	if (read(fd, pristine, img_len) != (ssize_t)img_len) {
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

/* A field of one of the first inodes (root, the test's files): links,
 * size, dtime (the orphan link), flags, i_blocks, i_block (extent header
 * and entries, block pointers), the xattr block. */
static void mutate_inode(void)
{
	static const unsigned fields[] = { 0x00, 0x04, 0x14, 0x1a, 0x1c, 0x20,
					   0x28, 0x2c, 0x30, 0x34, 0x38, 0x3c,
					   0x40, 0x44, 0x58, 0x5c, 0x60, 0x68 };
	static const uint32_t values[] = { 0, 1, 2, 11, 0xffff, 0x8000,
					   0xffffffff, 0x7fffffff, 4096 };
	uint32_t itable, isz = 256, v;
	unsigned ino = 2 + (unsigned)below(20), f;
	size_t off;

	memcpy(&itable, img + 2048 + 8, 4);            /* 1 KiB blocks */
	memcpy(&isz, img + 1024 + 0x58, 2);
	isz &= 0xffff;
	off = (size_t)itable * 1024 + (size_t)(ino - 1) * isz;
	f = fields[below(sizeof(fields) / sizeof(fields[0]))];
	if (isz < 128 || off + f + 4 > img_len)
		return;
	v = below(2) ? values[below(sizeof(values) / sizeof(values[0]))]
		     : (uint32_t)rnd();
	if (f == 0x1a)                                  /* 16-bit links */
		memcpy(img + off + f, &v, 2);
	else
		memcpy(img + off + f, &v, 4);
}

static void mutate(void)
{
	unsigned n = 1 + (unsigned)below(8);

	if (below(2))
		mutate_inode();

	for (unsigned i = 0; i < n && ntrace; i++) {
		uint64_t *t = trace[below(ntrace)];     /* byte offset, length */
		size_t off = t[0] + below(MIN(t[1], (uint64_t)4096));
		if (off + 4 > img_len)
			continue;
		if (below(3) == 0) {
			uint32_t v = (uint32_t)rnd();
			if (below(2))
				v &= 0xff;
			memcpy(img + off, &v, 4);
		} else {
			img[off] ^= (uint8_t)(1u << below(8));
		}
	}
}

struct names {
	char name[64][256];
	unsigned n;
};

static int collect(void *ctx, const char *name, unsigned len, uint32_t ino,
		   unsigned dtype, uint64_t pos, uint64_t next)
{
	struct names *l = ctx;

	if (len > 255 || l->n == 64)
		return 1;
	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return 0;
	memcpy(l->name[l->n], name, len);
	l->name[l->n++][len] = 0;
	return 0;
}

static struct journal_handle *start(struct ext4_fs *fs, int credits)
{
	struct journal_handle *h = journal_start(fs->journal, credits);

	if (IS_ERR(h)) {
		check_ret(PTR_ERR(h), "journal_start");
		return NULL;
	}
	return h;
}

/* Remove every name of @dir (up to 64), freeing the victims. */
static void remove_all(struct ext4_fs *fs, struct ext4_inode *dir,
		       struct ext4_time now, int depth)
{
	struct names *lp = calloc(1, sizeof(*lp));
	uint64_t pos = 0;
	int r;

	if (depth > 6) {
		free(lp);
		return;
	}
	r = ext4_dir_iterate(fs, dir, &pos, collect, lp);
	check_ret(r, "dir_iterate");
	for (unsigned i = 0; i < lp->n; i++) {
		struct journal_handle *h;
		struct ext4_inode v;
		uint32_t ino;
		unsigned len = strlen(lp->name[i]);

		if (ext4_dir_lookup(fs, dir, lp->name[i], len, &ino) ||
		    ext4_inode_read(fs, ino, &v))
			continue;
		/* handles do not nest: the subtree first */
		if ((v.mode & EXT4_S_IFMT) == EXT4_S_IFDIR)
			remove_all(fs, &v, now, depth + 1);
		h = start(fs, EXT4_CREDITS_UNLINK + EXT4_CREDITS_FREE_INODE);
		if (!h) {
			ext4_inode_put(&v);
			break;
		}
		if ((v.mode & EXT4_S_IFMT) == EXT4_S_IFDIR) {
			r = ext4_rmdir(h, fs, dir, lp->name[i], len, &v, now);
			check_ret(r, "rmdir");
		} else {
			r = ext4_unlink(h, fs, dir, lp->name[i], len, &v, now);
			check_ret(r, "unlink");
		}
		if (!r && v.links == 0)
			check_ret(ext4_inode_free(h, fs, &v, now), "inode_free");
		check_ret(journal_stop(h), "journal_stop");
		ext4_inode_put(&v);
	}
	free(lp);
}

static void write_ops(struct ext4_fs *fs, struct ext4_inode *root,
		      struct ext4_time now)
{
	struct journal_handle *h;
	struct ext4_inode f;
	uint64_t p;
	uint32_t n;
	bool fresh;
	int r;

	h = start(fs, EXT4_CREDITS_CREATE);
	if (!h)
		return;
	r = ext4_create(h, fs, root, "new", 3, 0100644, 0, 0, 0, now, &f);
	check_ret(r, "create");
	check_ret(journal_stop(h), "journal_stop");
	if (r)
		return;
	for (int i = 0; i < 12; i++) {
		h = start(fs, EXT4_CREDITS_MAP_CREATE + 1);
		if (!h)
			break;
		r = ext4_map_blocks_create(h, fs, &f, (uint32_t)below(300),
					   1 + (uint32_t)below(4), &p, &n, &fresh);
		check_ret(r, "map_blocks_create");
		if (i == 5) {
			r = ext4_fallocate(h, fs, &f, (uint32_t)below(100), 1 + (uint32_t)below(200));
			check_ret(r, "fallocate");
		}
		f.size = 300 * (uint64_t)fs->block_size;
		check_ret(ext4_inode_write(h, fs, &f), "inode_write");
		check_ret(journal_stop(h), "journal_stop");
	}
	h = start(fs, EXT4_CREDITS_TRUNCATE + EXT4_CREDITS_RENAME);
	if (h) {
		r = ext4_truncate(h, fs, &f, below(300 * (uint64_t)fs->block_size), now);
		check_ret(r, "truncate");
		r = ext4_rename(h, fs, root, "new", 3, root, "renamed", 7, &f, NULL, now);
		check_ret(r, "rename");
		check_ret(journal_stop(h), "journal_stop");
	}
	ext4_inode_put(&f);
}

static void run_case(struct block_device *d, bool ops)
{
	struct ext4_time now = { 1700006000, 0 };
	struct ext4_fs *fs;
	struct ext4_inode root;
	int r = ext4_mount(d, EXT4_MOUNT_WRITE, &fs);
	int busy;

	check_ret(r, "mount");
	if (r == 0) {
		mounted++;
		r = ext4_inode_read(fs, EXT4_ROOT_INO, &root);
		check_ret(r, "inode_read root");
		if (!r && ops) {
			write_ops(fs, &root, now);
			remove_all(fs, &root, now, 0);
		}
		if (!r)
			ext4_inode_put(&root);
		r = ext4_unmount_rw(fs);
		check_ret(r, "unmount");
	}
	busy = buffer_invalidate_device(d);
	if (busy) {
		leaked_refs++;
		fprintf(stderr, "fuzz_ext4_write: %d buffers still referenced (%s case %lu seed %lu)\n",
			busy, cur_image, cur_case, cur_seed);
	}
}

int main(int argc, char **argv)
{
	static const struct { const char *name, *opts; } images[] = {
		{ "w_nocsum", "-t ext4 -b 1024 -O ^metadata_csum" },
		{ "w_csum", "-t ext4 -b 1024" },
		{ "w_ext3", "-t ext3 -b 1024" },
	};
	unsigned long seed = 1, cases = 1000, only_case = 0;
	char dir[] = "/tmp/fuzz-ext4w-XXXXXX", label[256];
	bool verbose = false;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "s:n:c:v")) != -1) {
		if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'n')
			cases = strtoul(optarg, NULL, 0);
		else if (opt == 'c')
			only_case = strtoul(optarg, NULL, 0);
		else if (opt == 'v')
			verbose = true;
	}
	signal(SIGALRM, on_alarm);
	kshim_printk_quiet = !verbose;
	CHECK("fuzz write: temporary directory", mkdtemp(dir) != NULL);
	for (unsigned k = 0; k < sizeof(images) / sizeof(images[0]); k++) {
		struct block_device *d;

		cur_image = images[k].name;
		snprintf(label, sizeof(label), "fuzz write %s: mke2fs and debugfs made the image",
			 cur_image);
		if (!make_image(dir, images[k].name, images[k].opts)) {
			CHECK(label, 0);
			continue;
		}
		CHECK(label, 1);
		/* a pristine session: which blocks it reads */
		memcpy(img, pristine, img_len);
		d = hostblk_mem_open(img, img_len, false);
		hostblk_trace(d, trace, TRACE_MAX);
		bad_returns = leaked_refs = errors_seen = ok_calls = 0;
		cur_case = 0;
		run_case(d, true);
		ntrace = hostblk_trace(d, NULL, 0);
		hostblk_close(d);
		snprintf(label, sizeof(label), "fuzz write %s: the pristine session: %u calls succeed, none fails",
			 cur_image, ok_calls);
		CHECK(label, bad_returns == 0 && leaked_refs == 0 && errors_seen == 0 &&
			     ntrace > 0 && ok_calls > 40);
		mounted = errors_seen = 0;
		for (unsigned long c = 1; c <= cases; c++) {
			if (only_case && c != only_case)
				continue;
			cur_case = c;
			cur_seed = seed * 1000003 + c;
			rng_state = cur_seed * 0x9E3779B97F4A7C15ull + 1;
			memcpy(img, pristine, img_len);
			mutate();
			d = hostblk_mem_open(img, img_len, false);
			alarm(CASE_SECONDS);
			run_case(d, true);
			alarm(0);
			hostblk_close(d);
		}
		snprintf(label, sizeof(label),
			 "fuzz write %s: %lu cases (seed %lu; %u mounted, %u errors returned), no crash, hang, stray errno or leaked buffer",
			 cur_image, cases, seed, mounted, errors_seen);
		CHECK(label, bad_returns == 0 && leaked_refs == 0 &&
			     (only_case || mounted > cases / 4));
	}
	snprintf(label, sizeof(label), "rm -rf %s", dir);
	sh(label);
	free(pristine);
	free(img);
	return host_test_finish();
}
