/*
 * ext4 read-path fuzzer (ASan + UBSan): real images made by e2fsprogs
 * (build/ext4-img/fuzz-manifest) are mutated in memory, mounted and
 * walked completely (every directory listed and looked up, every inode
 * read, files and symlinks read, xattrs listed and fetched), then the
 * mutation is undone.  A case passes if it does not crash (sanitizers
 * abort), finishes within CASE_SECONDS (SIGALRM is the hang detector),
 * returns only errnos (never a positive garbage value) and leaves no
 * buffer referenced after unmount; LeakSanitizer checks for leaks at exit.
 *
 * Mutations: random bit flips and word stores in the metadata blocks
 * the pristine walk read (traced by the block device), and field-aware
 * changes to the superblock, group descriptors and inodes (counts, sizes,
 * features, extent headers in i_block, flags, extra_isize, xattr area),
 * half of them with the checksums recomputed so that the structure
 * checks behind the checksums are reached (the images without
 * metadata_csum reach them for every other kind of block).
 *
 * Usage: fuzz_ext4 [-s SEED] [-n CASES_PER_IMAGE] [-d IMAGE_DIR] [-v]
 *                  [-i IMAGE -c CASE]   (replay one case, -v: its log)
 * test/run -k host runs a fixed-seed short run; see the README for a
 * long one.
 */
#include "ext4/ext4.h"
#include "ext4/internal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "test/host/kshim.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test/host/host_test.h"

#define CASE_SECONDS 10
#define TRACE_MAX 4096
#define UNDO_MAX 4096
#define WALK_INODES 3000
#define READ_CAP (512 * 1024)

static uint64_t rng_state;
static uint8_t *img;
static size_t img_len;
static uint64_t trace[TRACE_MAX][2];
static size_t ntrace;
static struct { size_t off; uint8_t old; } undo[UNDO_MAX];
static size_t nundo;
static const char *cur_image;
static unsigned long cur_case, cur_seed;
static bool verbose;
static unsigned bad_returns, leaked_refs;

static uint64_t rnd(void)
{
	/* xorshift64* */
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
	fprintf(stderr, "fuzz_ext4: HANG in %s case %lu (seed %lu)\n", cur_image,
		cur_case, cur_seed);
	printf("not ok - fuzz: hang in %s case %lu seed %lu\n", cur_image,
	       cur_case, cur_seed);
	fflush(stdout);
	_exit(1);
}

static void put_bytes(size_t off, const void *p, size_t n)
{
	for (size_t i = 0; i < n && off + i < img_len; i++) {
		if (nundo < UNDO_MAX) {
			undo[nundo].off = off + i;
			undo[nundo++].old = img[off + i];
		}
		img[off + i] = ((const uint8_t *)p)[i];
	}
}

static void undo_all(void)
{
	while (nundo) {
		nundo--;
		img[undo[nundo].off] = undo[nundo].old;
	}
}

static uint32_t interesting(uint32_t old, unsigned size)
{
	static const uint32_t v[] = {0, 1, 2, 3, 4, 7, 8, 12, 0x7f, 0x80, 0xff,
		0x100, 0x3ff, 0x400, 0x7fff, 0x8000, 0xffff, 0x10000, 0xF30A,
		0xEF53, 0x7fffffff, 0x80000000u, 0xffffffffu};
	uint32_t x;

	switch (below(6)) {
	case 0: x = old ^ (1u << below(size * 8)); break;
	case 1: x = old + 1; break;
	case 2: x = old - 1; break;
	case 3: x = (uint32_t)rnd(); break;
	default: x = v[below(ARRAY_SIZE(v))]; break;
	}
	return x;
}

static void mutate_field(size_t off, unsigned size)
{
	uint32_t old = 0, x;

	if (off + size > img_len)
		return;
	memcpy(&old, img + off, size);
	x = interesting(old, size);
	put_bytes(off, &x, size);
}

/* ---- checksum repair (metadata_csum images) ---- */

static struct ext4_super *sbp(void)
{
	return (struct ext4_super *)(img + 1024);
}

static uint32_t fs_seed(void)
{
	struct ext4_super *sb = sbp();
	return (sb->s_feature_incompat & EXT4_INCOMPAT_CSUM_SEED)
		       ? sb->s_checksum_seed : crc32c(~0u, sb->s_uuid, 16);
}

static void fix_sb(void)
{
	uint32_t c = crc32c(~0u, sbp(), offsetof(struct ext4_super, s_checksum));
	put_bytes(1024 + offsetof(struct ext4_super, s_checksum), &c, 4);
}

static size_t bsize(void)
{
	return (size_t)1024 << MIN(sbp()->s_log_block_size, 6u);
}

static unsigned dsize(void)
{
	return (sbp()->s_feature_incompat & EXT4_INCOMPAT_64BIT) ? sbp()->s_desc_size : 32;
}

static size_t gd_off(uint32_t g)
{
	return (sbp()->s_first_data_block + 1) * bsize() + (size_t)g * dsize();
}

static void fix_gd(uint32_t g)
{
	size_t off = gd_off(g);
	unsigned ds = dsize(), co = 0x1e;
	static const uint16_t zero;
	uint32_t le_g = g, c;

	if (ds < 32 || ds > 1024 || off + ds > img_len)
		return;
	c = crc32c(fs_seed(), &le_g, 4);
	c = crc32c(c, img + off, co);
	c = crc32c(c, &zero, 2);
	c = crc32c(c, img + off + co + 2, ds - co - 2);
	uint16_t c16 = (uint16_t)c;
	put_bytes(off + co, &c16, 2);
}

static size_t inode_off(uint32_t ino)
{
	size_t gd = gd_off(0);
	uint32_t lo, hi = 0;
	size_t isz = sbp()->s_inode_size;

	if (gd + 0x2c > img_len)
		return 0;
	memcpy(&lo, img + gd + 8, 4);
	if (dsize() >= 64)
		memcpy(&hi, img + gd + 0x28, 4);
	uint64_t off = (((uint64_t)hi << 32) | lo) * bsize() + (size_t)(ino - 1) * isz;
	/* (a mutated superblock or descriptor may point anywhere) */
	if (isz < 128 || isz > 1024 || off >= img_len || img_len - off < isz)
		return 0;
	return (size_t)off;
}

static void fix_inode(uint32_t ino)
{
	size_t off = inode_off(ino), isz = sbp()->s_inode_size;
	static const uint16_t zero;
	uint32_t le_ino = ino, gen, c;
	uint16_t extra;

	if (!off || isz < 128 || off + isz > img_len)
		return;
	memcpy(&gen, img + off + 0x64, 4);
	memcpy(&extra, img + off + 0x80, 2);
	c = crc32c(fs_seed(), &le_ino, 4);
	c = crc32c(c, &gen, 4);
	c = crc32c(c, img + off, 0x7c);
	c = crc32c(c, &zero, 2);
	if (isz <= 128 || extra < 4) {
		c = crc32c(c, img + off + 0x7e, isz - 0x7e);
		uint16_t lo = (uint16_t)c;
		put_bytes(off + 0x7c, &lo, 2);
		return;
	}
	c = crc32c(c, img + off + 0x7e, 4);
	c = crc32c(c, &zero, 2);
	c = crc32c(c, img + off + 0x84, isz - 0x84);
	uint16_t lo = (uint16_t)c, hi = (uint16_t)(c >> 16);
	put_bytes(off + 0x7c, &lo, 2);
	put_bytes(off + 0x82, &hi, 2);
}

/* ---- mutations ---- */

static void mutate_super(bool fix)
{
	static const uint16_t f[][2] = {{0x0, 4}, {0x4, 4}, {0x14, 4}, {0x18, 4},
		{0x1c, 4}, {0x20, 4}, {0x28, 4}, {0x38, 2}, {0x4c, 4}, {0x54, 4},
		{0x58, 2}, {0x5c, 4}, {0x60, 4}, {0x64, 4}, {0xec, 4}, {0xfc, 1},
		{0xfe, 2}, {0x104, 4}, {0x150, 4}, {0x160, 4}, {0x175, 1}};
	unsigned i = below(ARRAY_SIZE(f));

	mutate_field(1024 + f[i][0], f[i][1]);
	if (fix)
		fix_sb();
}

static void mutate_gd(bool fix)
{
	static const uint8_t f[][2] = {{0, 4}, {4, 4}, {8, 4}, {0x12, 2},
		{0x20, 4}, {0x24, 4}, {0x28, 4}};
	uint32_t groups = 1 + (uint32_t)below(2);
	uint32_t g = (uint32_t)below(groups);
	unsigned i = below(ARRAY_SIZE(f));

	if (f[i][0] >= dsize())
		i = below(4);
	mutate_field(gd_off(g) + f[i][0], f[i][1]);
	if (fix)
		fix_gd(g);
}

static void mutate_inode(bool fix)
{
	static const uint8_t f[][2] = {{0, 2}, {4, 4}, {0x1a, 2}, {0x1c, 4},
		{0x20, 4}, {0x28, 2}, {0x2a, 2}, {0x2c, 2}, {0x2e, 2}, {0x34, 4},
		{0x38, 2}, {0x3a, 2}, {0x3c, 4}, {0x40, 4}, {0x44, 2}, {0x48, 4},
		{0x4c, 4}, {0x30, 4}, {0x68, 4}, {0x6c, 4}, {0x74, 2}, {0x80, 2},
		{0xa0, 4}, {0xa4, 4}, {0xa8, 2}, {0xaa, 2}, {0xac, 4}, {0xb0, 4}};
	uint32_t ino = 1 + (uint32_t)below(40);
	size_t off = inode_off(ino);
	unsigned i = below(ARRAY_SIZE(f));

	if (!off || f[i][0] + f[i][1] > sbp()->s_inode_size)
		return;
	if (f[i][0] == 0x20 && below(2)) {
		/* toggle one of the flags that change how the inode is read */
		static const uint32_t flags[] = {EXT4_EXTENTS_FL, EXT4_INDEX_FL,
			EXT4_INLINE_DATA_FL, EXT4_HUGE_FILE_FL, EXT4_EA_INODE_FL};
		uint32_t v;
		memcpy(&v, img + off + 0x20, 4);
		v ^= flags[below(ARRAY_SIZE(flags))];
		put_bytes(off + 0x20, &v, 4);
	} else {
		mutate_field(off + f[i][0], f[i][1]);
	}
	if (fix)
		fix_inode(ino);
}

static void mutate_block(void)
{
	size_t t, off;

	if (!ntrace)
		return;
	t = below(ntrace);
	if (trace[t][0] >= img_len || trace[t][1] == 0)
		return;
	off = trace[t][0] + below(MIN(trace[t][1], (uint64_t)4096));
	switch (below(4)) {
	case 0: {
		uint8_t b = img[off] ^ (uint8_t)(1u << below(8));
		put_bytes(off, &b, 1);
		break;
	}
	case 1:
		mutate_field(off & ~(size_t)1, 2);
		break;
	case 2:
		mutate_field(off & ~(size_t)3, 4);
		break;
	default: {
		uint8_t z[16] = {0};
		put_bytes(off, z, 1 + below(16));
		break;
	}
	}
}

static void mutate(bool csum_image)
{
	unsigned n = 1 + below(3);

	for (unsigned i = 0; i < n; i++) {
		bool fix = csum_image && below(2);
		switch (below(8)) {
		case 0: mutate_super(fix); break;
		case 1: mutate_gd(fix); break;
		case 2: case 3: case 4: mutate_inode(fix); break;
		default: mutate_block(); break;
		}
	}
}

/* ---- the walk ---- */

struct walk {
	struct ext4_fs *fs;
	unsigned inodes;
	uint8_t *buf;
};

static void check_ret(long r, const char *what)
{
	/* only 0/positive counts or one of the errnos the API promises */
	if (r < 0 && r != -EUCLEAN && r != -EIO && r != -ENOMEM &&
	    r != -ENOENT && r != -ENOTDIR && r != -ENODATA && r != -ERANGE &&
	    r != -EINVAL && r != -ENAMETOOLONG) {
		bad_returns++;
		fprintf(stderr, "fuzz_ext4: %s returned %ld (%s case %lu seed %lu)\n",
			what, r, cur_image, cur_case, cur_seed);
	}
}

struct names {
	char (*name)[256];
	uint32_t *ino;
	unsigned n, cap;
};

static int collect(void *ctx, const char *name, unsigned len, uint32_t ino,
		   unsigned dtype, uint64_t pos, uint64_t next)
{
	struct names *l = ctx;

	if (len > 255)
		return 1;
	if (l->n == l->cap) {
		if (l->cap >= 4096)
			return 1;
		l->cap = l->cap ? l->cap * 2 : 32;
		l->name = realloc(l->name, l->cap * sizeof(*l->name));
		l->ino = realloc(l->ino, l->cap * sizeof(*l->ino));
	}
	memcpy(l->name[l->n], name, len);
	l->name[l->n][len] = 0;
	l->ino[l->n++] = ino;
	return 0;
}

static void walk_inode(struct walk *w, uint32_t ino, int depth);

static void walk_dir(struct walk *w, struct ext4_inode *dir, int depth)
{
	struct names l = {0};
	uint64_t pos = 0;
	int r = ext4_dir_iterate(w->fs, dir, &pos, collect, &l);

	check_ret(r, "iterate");
	for (unsigned i = 0; i < l.n; i++) {
		uint32_t ino;
		r = ext4_dir_lookup(w->fs, dir, l.name[i], strlen(l.name[i]), &ino);
		check_ret(r, "lookup");
		if (strcmp(l.name[i], ".") && strcmp(l.name[i], ".."))
			walk_inode(w, l.ino[i], depth + 1);
	}
	free(l.name);
	free(l.ino);
}

static void walk_inode(struct walk *w, uint32_t ino, int depth)
{
	struct ext4_inode in;
	char names[1024];
	long r;

	if (depth > 12 || w->inodes++ > WALK_INODES)
		return;
	r = ext4_inode_read(w->fs, ino, &in);
	check_ret(r, "inode_read");
	if (r)
		return;
	switch (in.mode & 0170000) {
	case 0040000:
		walk_dir(w, &in, depth);
		break;
	case 0100000:
		r = ext4_file_read(w->fs, &in, 0, w->buf, READ_CAP);
		check_ret(r, "file_read");
		if (in.size > 4096) {
			r = ext4_file_read(w->fs, &in, below(in.size), w->buf, 5000);
			check_ret(r, "file_read at random offset");
		}
		break;
	case 0120000:
		r = ext4_readlink(w->fs, &in, (char *)w->buf, 4096);
		check_ret(r, "readlink");
		break;
	}
	r = ext4_xattr_list(w->fs, &in, names, sizeof(names));
	check_ret(r, "xattr_list");
	for (long off = 0; r > 0 && off < r; off += strlen(names + off) + 1) {
		long g = ext4_xattr_get(w->fs, &in, names + off, w->buf, 4096);
		check_ret(g, "xattr_get");
	}
	ext4_inode_put(&in);
}

static void run_case(struct block_device *d, struct walk *w)
{
	struct ext4_fs *fs;
	int r = ext4_mount(d, EXT4_MOUNT_RDONLY, &fs);
	int busy;

	check_ret(r, "mount");
	if (r == 0) {
		struct ext4_statfs st;
		w->fs = fs;
		w->inodes = 0;
		ext4_statfs(fs, &st);
		walk_inode(w, EXT4_ROOT_INO, 0);
		ext4_unmount(fs);
	}
	busy = buffer_invalidate_device(d);
	if (busy) {
		leaked_refs++;
		fprintf(stderr, "fuzz_ext4: %d buffers still referenced (%s case %lu seed %lu)\n",
			busy, cur_image, cur_case, cur_seed);
	}
}

static bool load(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.img", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return false;
	free(img);
	img = malloc(st.st_size);
	img_len = st.st_size;
	if (read(fd, img, img_len) != (ssize_t)img_len) {
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

int main(int argc, char **argv)
{
	const char *dir = "build/ext4-img";
	unsigned long seed = 1, cases = 500, only_case = 0;
	const char *only_image = NULL;
	char manifest[512], line[256];
	FILE *m;
	struct walk w = {0};
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "s:n:d:vc:i:")) != -1) {
		if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'n')
			cases = strtoul(optarg, NULL, 0);
		else if (opt == 'd')
			dir = optarg;
		else if (opt == 'v')
			verbose = true;
		else if (opt == 'c')
			only_case = strtoul(optarg, NULL, 0);
		else if (opt == 'i')
			only_image = optarg;
	}
	signal(SIGALRM, on_alarm);
	kshim_printk_quiet = !verbose;
	w.buf = malloc(READ_CAP);
	snprintf(manifest, sizeof(manifest), "%s/fuzz-manifest", dir);
	m = fopen(manifest, "r");
	CHECK("fuzz: image list (run ninja to make build/ext4-img)", m != NULL);
	while (m && fgets(line, sizeof(line), m)) {
		char name[128], label[256];
		struct block_device *d;
		bool csum;

		if (sscanf(line, "%127s", name) != 1 ||
		    (only_image && strcmp(name, only_image)) || !load(dir, name))
			continue;
		cur_image = name;
		d = hostblk_mem_open(img, img_len, true);
		csum = sbp()->s_feature_ro_compat & EXT4_RO_COMPAT_METADATA_CSUM;
		/* the pristine walk: which blocks hold metadata */
		hostblk_trace(d, trace, TRACE_MAX);
		cur_case = 0;
		run_case(d, &w);
		ntrace = hostblk_trace(d, NULL, 0);
		bad_returns = leaked_refs = 0;
		for (unsigned long c = 1; c <= cases; c++) {
			if (only_case && c != only_case)
				continue;
			cur_case = c;
			cur_seed = seed * 1000003 + c;
			rng_state = cur_seed * 0x9E3779B97F4A7C15ull + 1;
			mutate(csum);
			alarm(CASE_SECONDS);
			run_case(d, &w);
			alarm(0);
			undo_all();
		}
		snprintf(label, sizeof(label),
			 "fuzz %s: %lu cases (seed %lu), no crash, hang, stray errno or leaked buffer",
			 name, cases, seed);
		CHECK(label, bad_returns == 0 && leaked_refs == 0 && ntrace > 0);
		hostblk_close(d);
	}
	if (m)
		fclose(m);
	free(img);
	free(w.buf);
	return host_test_finish();
}
