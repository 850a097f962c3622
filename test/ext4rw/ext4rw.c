/*
 * ext4rw: the guest side of the read-write ext4 stress and crash tests
 * (harness groups ext4-stress and ext4-crash; issue 6).  Static musl; it
 * runs from /etc/rc.test of a BusyBox initramfs (test/ext4rw/rc.test), which
 * mounts the disk under test on /mnt, runs this program and unmounts.  The
 * same initramfs boots this kernel and Debian's Linux (the oracle).
 *
 * Modes (the words after "--" on the kernel command line):
 *   stress [files=N] [bigdir=N] [bigmib=N] [seed=S]
 *       A deterministic workload on /mnt (a tree of files with pseudo-random
 *       sizes and contents, sparse writes, appends, truncations, hard links,
 *       symlinks, renames across directories and over other names, unlinks
 *       of about half, a directory of BIGDIR entries, a file of BIGMIB MiB
 *       written sequentially, fsync on some), mirrored step by step in an
 *       in-memory model.  Then sync(), a walk of /mnt that reads everything
 *       back, a check that the walk equals the model, and the walk printed
 *       as manifest lines for the host to compare with the image (debugfs):
 *         M <path> <type f|d|l> <mode> <size|-> <links> <crc32|->
 *         MANIFEST-END <lines> <crc32 of the lines>
 *   crash-write round=K seed=S
 *       Writes until QEMU is killed: files made safe (written, fsync'ed,
 *       their directory fsync'ed) in /mnt/rK, moves and unlinks of safe
 *       files of this round and the one before, churn without fsync in
 *       /mnt/rK/t, and removal of /mnt/r(K-2).  Every step that makes a
 *       promise is logged on /dev/vdb (the log disk) and fsync'ed there
 *       before the next step (see "The log" below).
 *   crash-verify
 *       After the kernel has replayed the journal (the mount): checks the
 *       expectations the host wrote to /dev/vdb, then reads every file.
 *
 * Every mode also takes dir=PATH (the mount, /mnt) and log=PATH (the log
 * disk, /dev/vdb), so it runs on the host over a loop mount too, and
 * trace=1 (stress: one "OP" line per name operation, to follow a name's
 * history when a check fails).
 *
 * Output: "EXT4RW <check>: PASS|FAIL (why)" lines and a summary line.
 *
 * File contents are a function of a per-file key and the offset (8-byte
 * words key-mixed with their index), zero in holes, so the model needs only
 * the written ranges of each file.  Checksums are CRC-32 (zlib's), which
 * the host computes with zlib.crc32.
 *
 * The log (crash-write; one text line per record, in order):
 *   F path size crc     path is safe with this content
 *   MV a b / MVD a b    rename of a safe file begun / done (both dirs synced)
 *   RM p / RMD p        unlink of a safe file begun / done (dir synced)
 *   RMBEGIN d / RMDONE d  recursive removal of an old round's directory
 * Expectations (crash-verify, written by the host):
 *   F p size crc  must exist with this content     X p  must not exist
 *   E a b size crc  exactly one of a, b exists, with this content
 *   O p size crc  absent, or present with this content
 * and the verify prints "AT a b p" (where an E record was found) and
 * "PRESENT p" / "ABSENT p" for O records, so the host can fold them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mnt = "/mnt";         /* dir= */
static const char *logdev = "/dev/vdb"; /* log= */
#define CHUNK (1 << 20)

static int checks_passed, checks_failed;

static void check(const char *name, int ok, const char *fmt, ...)
{
	char why[512] = "";
	if (!ok && fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	printf("EXT4RW %s: %s%s%s%s\n", name, ok ? "PASS" : "FAIL",
	       why[0] ? " (" : "", why, why[0] ? ")" : "");
	fflush(stdout);
	if (ok)
		checks_passed++;
	else
		checks_failed++;
}

/* Operation errors: counted, the first few printed. */
static int op_errors;
static int trace;       /* trace=1: one "OP" line per name operation */

#define TRACE(...) do { if (trace) printf("OP " __VA_ARGS__); } while (0)
static char first_error[256];

static void op_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (op_errors++ < 10)
		printf("EXT4RW-ERR %s\n", msg);
	if (!first_error[0])
		snprintf(first_error, sizeof(first_error), "%s", msg);
	fflush(stdout);
}

/* ---- CRC-32 (the zlib polynomial, reflected), slicing by 8 ---- */

static uint32_t crc_table[8][256];

static void crc_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (unsigned i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = crc_table[0][crc_table[t - 1][i] & 0xff] ^
					  (crc_table[t - 1][i] >> 8);
}

/* Continue a CRC-32 over @len bytes; start with 0 (as zlib.crc32). */
static uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	crc = ~crc;
	while (len && ((uintptr_t)p & 7)) {
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint32_t lo = (uint32_t)w ^ crc, hi = (uint32_t)(w >> 32);
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- pseudo-random numbers and contents ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
	if (!rng_state)
		rng_state = 1;
	for (int i = 0; i < 4; i++)
		rnd();
}

/* The 8-byte word at index @w of the contents with key @key. */
static inline uint64_t content_word(uint64_t key, uint64_t w)
{
	uint64_t x = (w + 1) * 0x9E3779B97F4A7C15ULL ^ key;
	return x ^ (x >> 29);
}

/* Fill @buf with the contents of key @key at byte offset @off. */
static void content_fill(unsigned char *buf, uint64_t key, uint64_t off,
			 size_t len)
{
	size_t i = 0;
	while (i < len && ((off + i) & 7)) {
		uint64_t w = content_word(key, (off + i) >> 3);
		buf[i] = (unsigned char)(w >> (8 * ((off + i) & 7)));
		i++;
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t w = content_word(key, (off + i) >> 3);
		memcpy(buf + i, &w, 8);
	}
	for (; i < len; i++) {
		uint64_t w = content_word(key, (off + i) >> 3);
		buf[i] = (unsigned char)(w >> (8 * ((off + i) & 7)));
	}
}

static unsigned char *iobuf;    /* CHUNK bytes */
static unsigned char *zerobuf;  /* CHUNK zero bytes */

/* Write @len bytes of key @key at @off through @fd in random-sized
 * pieces (1 byte to 1 MiB); returns 0 or -1 (error reported). */
static int write_content(int fd, const char *path, uint64_t key, uint64_t off,
			 uint64_t len, int random_pieces)
{
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;
		if (random_pieces && n > 1)
			n = 1 + rnd_below(rnd_below(4) ? (n < 65536 ? n : 65536) : n);
		content_fill(iobuf, key, off, n);
		ssize_t w = pwrite(fd, iobuf, n, (off_t)off);
		if (w != (ssize_t)n) {
			op_error("pwrite %s at %llu len %zu: %zd %s", path,
				 (unsigned long long)off, n, w,
				 w < 0 ? strerror(errno) : "short");
			return -1;
		}
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- the model ---- */

#define MAXSPANS 6

struct span {
	uint64_t a, b;          /* bytes [a, b) hold generated contents */
};

struct mnode {
	char type;              /* 'f', 'd', 'l' */
	unsigned mode;          /* permission bits */
	uint64_t key;
	uint64_t size;
	int nspans;
	struct span span[MAXSPANS];
	char *target;           /* symlink */
	int crc_known;          /* crc holds the contents' checksum */
	uint32_t crc;
};

struct mname {
	char *path;             /* relative to /mnt; NULL once removed */
	int node;
};

static struct mnode *nodes;
static int nnodes, cap_nodes;
static struct mname *names;
static int nnames, cap_names;

static int node_new(char type, unsigned mode)
{
	if (nnodes == cap_nodes) {
		cap_nodes = cap_nodes ? cap_nodes * 2 : 1024;
		nodes = realloc(nodes, cap_nodes * sizeof(*nodes));
		if (!nodes)
			abort();
	}
	struct mnode *n = &nodes[nnodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->mode = mode;
	n->key = rnd();
	return nnodes++;
}

static int name_new(const char *path, int node)
{
	if (nnames == cap_names) {
		cap_names = cap_names ? cap_names * 2 : 1024;
		names = realloc(names, cap_names * sizeof(*names));
		if (!names)
			abort();
	}
	names[nnames].path = strdup(path);
	names[nnames].node = node;
	return nnames++;
}

static int name_find(const char *path)
{
	for (int i = 0; i < nnames; i++)
		if (names[i].path && !strcmp(names[i].path, path))
			return i;
	return -1;
}

/* Record that [a, b) now holds generated contents. Returns -1 if the
 * span list is full (the caller then skips the operation). */
static int model_write(struct mnode *n, uint64_t a, uint64_t b)
{
	struct span s[MAXSPANS + 1];
	int k = 0, placed = 0;
	if (a >= b)
		return 0;
	for (int i = 0; i < n->nspans; i++) {
		struct span c = n->span[i];
		if (c.b < a || c.a > b) {
			if (!placed && c.a > b) {
				s[k++] = (struct span){a, b};
				placed = 1;
			}
			s[k++] = c;
		} else {
			if (c.a < a)
				a = c.a;
			if (c.b > b)
				b = c.b;
		}
	}
	if (!placed)
		s[k++] = (struct span){a, b};
	if (k > MAXSPANS)
		return -1;
	memcpy(n->span, s, k * sizeof(s[0]));
	n->nspans = k;
	if (b > n->size)
		n->size = b;
	n->crc_known = 0;
	return 0;
}

static int model_can_write(struct mnode *n, uint64_t a, uint64_t b)
{
	struct mnode copy = *n;
	return model_write(&copy, a, b) == 0;
}

static void model_truncate(struct mnode *n, uint64_t size)
{
	int k = 0;
	for (int i = 0; i < n->nspans; i++) {
		struct span c = n->span[i];
		if (c.a >= size)
			continue;
		if (c.b > size)
			c.b = size;
		n->span[k++] = c;
	}
	n->nspans = k;
	n->size = size;
	n->crc_known = 0;
}

/* The checksum of a model file's contents. */
static uint32_t model_crc(struct mnode *n)
{
	if (n->crc_known)
		return n->crc;
	uint32_t crc = 0;
	uint64_t off = 0;
	for (int i = 0; i <= n->nspans; i++) {
		uint64_t a = i < n->nspans ? n->span[i].a : n->size;
		uint64_t b = i < n->nspans ? n->span[i].b : n->size;
		while (off < a) {       /* a hole */
			size_t len = a - off < CHUNK ? a - off : CHUNK;
			crc = crc32_update(crc, zerobuf, len);
			off += len;
		}
		while (off < b) {
			size_t len = b - off < CHUNK ? b - off : CHUNK;
			content_fill(iobuf, n->key, off, len);
			crc = crc32_update(crc, iobuf, len);
			off += len;
		}
	}
	n->crc = crc;
	n->crc_known = 1;
	return crc;
}

/* ---- manifest lines ---- */

struct line {
	char *text;
};

static struct line *lines;
static int nlines, cap_lines;

static void line_add(struct line **v, int *nv, int *cap, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (*nv == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			abort();
	}
	(*v)[(*nv)++].text = strdup(buf);
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->text,
		      ((const struct line *)b)->text);
}

/* The manifest the model predicts, sorted. */
static void model_manifest(struct line **v, int *nv, int *cap)
{
	int *links = calloc(nnodes, sizeof(*links));
	if (!links)
		abort();
	for (int i = 0; i < nnames; i++)
		links[names[i].node] += names[i].path != NULL;
	for (int i = 0; i < nnames; i++) {
		if (!names[i].path)
			continue;
		struct mnode *n = &nodes[names[i].node];
		if (n->type == 'd') {
			int sub = 2;
			size_t len = strlen(names[i].path);
			for (int j = 0; j < nnames; j++) {
				const char *p = names[j].path;
				if (p && nodes[names[j].node].type == 'd' &&
				    !strncmp(p, names[i].path, len) &&
				    p[len] == '/' && !strchr(p + len + 1, '/'))
					sub++;
			}
			line_add(v, nv, cap, "M %s d %04o - %d -", names[i].path,
				 n->mode, sub);
		} else if (n->type == 'l') {
			line_add(v, nv, cap, "M %s l 0777 %zu 1 %08x",
				 names[i].path, strlen(n->target),
				 crc32_update(0, n->target, strlen(n->target)));
		} else {
			line_add(v, nv, cap, "M %s f %04o %llu %d %08x",
				 names[i].path, n->mode,
				 (unsigned long long)n->size, links[names[i].node],
				 model_crc(n));
		}
	}
	free(links);
	qsort(*v, *nv, sizeof(**v), line_cmp);
}

/* ---- walking the mounted tree ---- */

/* The checksum and length of a file's contents read through @path. */
static int read_crc(const char *path, uint32_t *crc, uint64_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	*crc = 0;
	*len = 0;
	for (;;) {
		ssize_t r = read(fd, iobuf, CHUNK);
		if (r < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		*crc = crc32_update(*crc, iobuf, r);
		*len += r;
	}
	close(fd);
	return 0;
}

/* Walk @rel (relative to /mnt, "" for the top); lost+found is mkfs's. */
static void walk(const char *rel, struct line **v, int *nv, int *cap)
{
	char dirpath[600];
	snprintf(dirpath, sizeof(dirpath), "%s%s%s", mnt, rel[0] ? "/" : "", rel);
	DIR *d = opendir(dirpath);
	if (!d) {
		op_error("opendir %s: %s", dirpath, strerror(errno));
		return;
	}
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!rel[0] && !strcmp(e->d_name, "lost+found"))
			continue;
		char sub[600], full[700];
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
			 e->d_name);
		snprintf(full, sizeof(full), "%s/%s", mnt, sub);
		struct stat st;
		if (lstat(full, &st) < 0) {
			op_error("lstat %s: %s", full, strerror(errno));
			continue;
		}
		unsigned mode = st.st_mode & 07777;
		if (S_ISDIR(st.st_mode)) {
			line_add(v, nv, cap, "M %s d %04o - %lu -", sub, mode,
				 (unsigned long)st.st_nlink);
			walk(sub, v, nv, cap);
		} else if (S_ISLNK(st.st_mode)) {
			char t[4096];
			ssize_t n = readlink(full, t, sizeof(t));
			if (n < 0) {
				op_error("readlink %s: %s", full, strerror(errno));
				continue;
			}
			line_add(v, nv, cap, "M %s l %04o %lld %lu %08x", sub, mode,
				 (long long)st.st_size, (unsigned long)st.st_nlink,
				 crc32_update(0, t, n));
		} else if (S_ISREG(st.st_mode)) {
			uint32_t crc;
			uint64_t len;
			int r = read_crc(full, &crc, &len);
			if (r < 0) {
				op_error("read %s: %s", full, strerror(-r));
				continue;
			}
			if (len != (uint64_t)st.st_size)
				op_error("read %s: %llu bytes, st_size %lld", full,
					 (unsigned long long)len,
					 (long long)st.st_size);
			line_add(v, nv, cap, "M %s f %04o %lld %lu %08x", sub, mode,
				 (long long)st.st_size, (unsigned long)st.st_nlink,
				 crc);
		} else {
			line_add(v, nv, cap, "M %s ? %04o - - -", sub, mode);
		}
		errno = 0;
	}
	if (errno)
		op_error("readdir %s: %s", dirpath, strerror(errno));
	closedir(d);
}

/* ---- live operations, mirrored in the model ---- */

static char *mnt_path(const char *rel)
{
	static char buf[2][1024];
	static int k;
	k ^= 1;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", mnt, rel);
	return buf[k];
}

static void do_fsync_path(const char *rel, int dir)
{
	int fd = open(mnt_path(rel), (dir ? O_DIRECTORY : 0) | O_RDONLY);
	if (fd < 0) {
		op_error("open %s for fsync: %s", rel, strerror(errno));
		return;
	}
	if (fsync(fd) < 0)
		op_error("fsync %s: %s", rel, strerror(errno));
	close(fd);
}

static int live_mkdir(const char *rel, unsigned mode)
{
	TRACE("mkdir %s\n", rel);
	if (mkdir(mnt_path(rel), mode) < 0 || chmod(mnt_path(rel), mode) < 0) {
		op_error("mkdir %s: %s", rel, strerror(errno));
		return -1;
	}
	name_new(rel, node_new('d', mode));
	return 0;
}

static const unsigned file_modes[] = {0644, 0600, 0755, 0640, 0444, 0664};

/* Create file @rel of @size bytes (written in random pieces). */
static int live_create(const char *rel, uint64_t size, int do_fsync)
{
	TRACE("create %s %llu\n", rel, (unsigned long long)size);
	unsigned mode = file_modes[rnd_below(6)];
	int node = node_new('f', mode);
	int fd = open(mnt_path(rel), O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		op_error("create %s: %s", rel, strerror(errno));
		nnodes--;
		return -1;
	}
	name_new(rel, node);
	int r = write_content(fd, rel, nodes[node].key, 0, size, 1);
	if (r == 0)
		model_write(&nodes[node], 0, size);
	if (fchmod(fd, mode) < 0)
		op_error("fchmod %s: %s", rel, strerror(errno));
	if (do_fsync && fsync(fd) < 0)
		op_error("fsync %s: %s", rel, strerror(errno));
	if (close(fd) < 0)
		op_error("close %s: %s", rel, strerror(errno));
	return r;
}

static int open_name(int ni, int flags)
{
	int fd = open(mnt_path(names[ni].path), flags);
	if (fd < 0)
		op_error("open %s: %s", names[ni].path, strerror(errno));
	return fd;
}

/* Write generated contents at [a, b) of the file named @ni. */
static void live_pwrite(int ni, uint64_t a, uint64_t b)
{
	struct mnode *n = &nodes[names[ni].node];
	if (a >= b || !model_can_write(n, a, b))
		return;
	int fd = open_name(ni, O_WRONLY);
	if (fd < 0)
		return;
	if (write_content(fd, names[ni].path, n->key, a, b - a, 1) == 0)
		model_write(n, a, b);
	close(fd);
}

/* Append through O_APPEND. */
static void live_append(int ni, uint64_t len)
{
	struct mnode *n = &nodes[names[ni].node];
	if (!len || !model_can_write(n, n->size, n->size + len))
		return;
	int fd = open_name(ni, O_WRONLY | O_APPEND);
	if (fd < 0)
		return;
	content_fill(iobuf, n->key, n->size, len);
	ssize_t w = write(fd, iobuf, len);
	if (w != (ssize_t)len)
		op_error("append %s: %zd %s", names[ni].path, w,
			 w < 0 ? strerror(errno) : "short");
	else
		model_write(n, n->size, n->size + len);
	close(fd);
}

static void live_truncate(int ni, uint64_t size)
{
	if (truncate(mnt_path(names[ni].path), (off_t)size) < 0)
		op_error("truncate %s to %llu: %s", names[ni].path,
			 (unsigned long long)size, strerror(errno));
	else
		model_truncate(&nodes[names[ni].node], size);
}

static void live_link(int ni, const char *rel)
{
	TRACE("link %s %s\n", names[ni].path, rel);
	if (link(mnt_path(names[ni].path), mnt_path(rel)) < 0)
		op_error("link %s %s: %s", names[ni].path, rel, strerror(errno));
	else
		name_new(rel, names[ni].node);
}

static void live_symlink(const char *target, const char *rel)
{
	TRACE("symlink %s %s\n", target, rel);
	if (symlink(target, mnt_path(rel)) < 0) {
		op_error("symlink %s: %s", rel, strerror(errno));
		return;
	}
	int node = node_new('l', 0777);
	nodes[node].target = strdup(target);
	name_new(rel, node);
}

/* Rename name @ni to @rel (which may exist: it is replaced). */
static void live_rename(int ni, const char *rel)
{
	TRACE("rename %s %s\n", names[ni].path, rel);
	if (rename(mnt_path(names[ni].path), mnt_path(rel)) < 0) {
		op_error("rename %s %s: %s", names[ni].path, rel, strerror(errno));
		return;
	}
	int old = name_find(rel);
	if (old >= 0) {
		free(names[old].path);
		names[old].path = NULL;
	}
	char *from = names[ni].path;
	size_t len = strlen(from);
	if (nodes[names[ni].node].type == 'd') {
		for (int i = 0; i < nnames; i++) {
			char *p = names[i].path;
			if (p && !strncmp(p, from, len) && p[len] == '/') {
				char buf[700];
				snprintf(buf, sizeof(buf), "%s%s", rel, p + len);
				free(p);
				names[i].path = strdup(buf);
			}
		}
	}
	names[ni].path = strdup(rel);
	free(from);
}

static void live_unlink(int ni)
{
	TRACE("unlink %s\n", names[ni].path);
	int isdir = nodes[names[ni].node].type == 'd';
	int r = isdir ? rmdir(mnt_path(names[ni].path))
		      : unlink(mnt_path(names[ni].path));
	if (r < 0) {
		op_error("%s %s: %s", isdir ? "rmdir" : "unlink", names[ni].path,
			 strerror(errno));
		return;
	}
	free(names[ni].path);
	names[ni].path = NULL;
}

/*
 * Unlinks of open files: files outside the model are created, filled,
 * unlinked while open, then written and read through the descriptors
 * (the blocks must stay theirs until the last close frees them).
 */
static void stress_open_unlinked(void)
{
	enum { N = 16, LEN = 64 * 1024 };
	static unsigned char want[2 * LEN], got[2 * LEN];
	int fds[N], bad = 0;

	for (int i = 0; i < N; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "a%d/open-unlinked-%d", i % 8, i); /* a0..a7: TOP */
		fds[i] = open(mnt_path(rel), O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fds[i] < 0) {
			op_error("create %s: %s", rel, strerror(errno));
			bad++;
			continue;
		}
		content_fill(want, 0x5eed0000u + i, 0, LEN);
		if (pwrite(fds[i], want, LEN, 0) != LEN) {
			op_error("write %s: %s", rel, strerror(errno));
			bad++;
		}
		if (unlink(mnt_path(rel)) < 0) {
			op_error("unlink open %s: %s", rel, strerror(errno));
			bad++;
		}
	}
	/* new files take what they can while those are open */
	for (int i = 0; i < N; i++) {
		struct stat st;

		if (fds[i] < 0)
			continue;
		content_fill(want, 0x5eed0000u + i, 0, 2 * LEN);
		if (pwrite(fds[i], want + LEN, LEN, LEN) != LEN ||
		    fsync(fds[i]) < 0 ||
		    pread(fds[i], got, 2 * LEN, 0) != 2 * LEN ||
		    memcmp(got, want, 2 * LEN) != 0 ||
		    fstat(fds[i], &st) < 0 || st.st_nlink != 0 ||
		    st.st_size != 2 * LEN) {
			op_error("unlinked open file %d: contents or stat wrong", i);
			bad++;
		}
		close(fds[i]);
	}
	check("unlinked open files stay readable and writable until closed",
	      bad == 0, "%d of %d wrong", bad, N);
}

/* ---- the stress workload ---- */

struct params {
	long files, bigdir, bigmib;
	uint64_t seed;
	long round;
};

#define TOP 8
#define SUB 6

static uint64_t file_size(void)
{
	uint64_t r = rnd_below(100);
	if (r < 5)
		return 0;
	if (r < 40)
		return 1 + rnd_below(4096);
	if (r < 80)
		return 4096 + rnd_below(60 * 1024);
	if (r < 97)
		return 65536 + rnd_below(448 * 1024);
	return 512 * 1024 + rnd_below(5 * 512 * 1024);
}

static void leaf_dir(char *buf, size_t len, int top, int sub)
{
	snprintf(buf, len, "a%d/b%d", top, sub);
}

/* Names of regular files and symlinks (not directories), live ones. */
static int pick_file_name(int want_type)
{
	for (int tries = 0; tries < 64; tries++) {
		int i = (int)rnd_below(nnames);
		if (names[i].path && (!want_type ||
				      nodes[names[i].node].type == want_type))
			return i;
	}
	return -1;
}

static void stress_tree(struct params *p)
{
	char path[600], dir[300];
	for (int t = 0; t < TOP; t++) {
		snprintf(path, sizeof(path), "a%d", t);
		live_mkdir(path, t == 3 ? 0700 : 0755);
		for (int s = 0; s < SUB; s++) {
			leaf_dir(path, sizeof(path), t, s);
			live_mkdir(path, s == 4 ? 0750 : 0755);
		}
	}
	/* Regular files, every seventh fsync'ed. */
	for (long i = 0; i < p->files; i++) {
		leaf_dir(dir, sizeof(dir), (int)rnd_below(TOP), (int)rnd_below(SUB));
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		live_create(path, file_size(), i % 7 == 0);
	}
	printf("EXT4RW-PROGRESS %ld files created\n", p->files);
	fflush(stdout);
	/* Sparse writes past the end, appends, truncations, hole fills. */
	int first_files = nnames;
	for (int i = 0; i < first_files; i++) {
		if (!names[i].path || nodes[names[i].node].type != 'f')
			continue;
		struct mnode *n = &nodes[names[i].node];
		uint64_t r = rnd_below(100);
		if (r < 10) {
			uint64_t gap = 1 + rnd_below(rnd_below(2) ? 1 << 20 : 8192);
			live_pwrite(i, n->size + gap,
				    n->size + gap + 1 + rnd_below(65536));
		} else if (r < 20) {
			live_append(i, 1 + rnd_below(128 * 1024));
		} else if (r < 28) {
			live_truncate(i, rnd_below(n->size + 1));
		} else if (r < 36) {
			live_truncate(i, n->size + 1 + rnd_below(2 << 20));
		} else if (r < 40 && n->size > 2) {
			uint64_t a = rnd_below(n->size);
			live_pwrite(i, a, a + 1 + rnd_below(n->size - a));
		}
		if (r < 36 && rnd_below(5) == 0)
			do_fsync_path(names[i].path, 0);
	}
	/* Hard links in other directories. */
	for (int i = 0; i < first_files; i++) {
		if (!names[i].path || nodes[names[i].node].type != 'f' ||
		    rnd_below(10))
			continue;
		int k = 1 + (rnd_below(4) == 0);
		for (int j = 0; j < k; j++) {
			leaf_dir(dir, sizeof(dir), (int)rnd_below(TOP),
				 (int)rnd_below(SUB));
			snprintf(path, sizeof(path), "%s/h%d_%d", dir, i, j);
			live_link(i, path);
		}
	}
	/* Symlinks: fast (short target) and slow (a block), some dangling. */
	for (long i = 0; i < p->files / 10; i++) {
		char target[400];
		int len = rnd_below(2) ? 1 + (int)rnd_below(59)
				       : 60 + (int)rnd_below(300);
		int ni = pick_file_name('f');
		snprintf(target, sizeof(target), "../../%s",
			 ni >= 0 && rnd_below(4) ? names[ni].path : "nowhere");
		size_t have = strlen(target);
		for (size_t k = have; k < (size_t)len && k < sizeof(target) - 1; k++)
			target[k] = k % 8 == 7 ? '/' : 'a' + (char)rnd_below(26);
		if ((size_t)len > have)
			target[len] = 0;
		leaf_dir(dir, sizeof(dir), (int)rnd_below(TOP), (int)rnd_below(SUB));
		snprintf(path, sizeof(path), "%s/y%ld", dir, i);
		live_symlink(target, path);
	}
	printf("EXT4RW-PROGRESS mutations, links, symlinks done\n");
	fflush(stdout);
	/* Renames across directories, some over an existing name. */
	int total = nnames;
	for (int i = 0; i < total; i++) {
		if (!names[i].path || nodes[names[i].node].type == 'd' ||
		    rnd_below(100) >= 15)
			continue;
		if (rnd_below(8) == 0) {
			int victim = pick_file_name('f');
			if (victim >= 0 && victim != i &&
			    names[victim].node != names[i].node) {
				snprintf(path, sizeof(path), "%s", names[victim].path);
				live_rename(i, path);
				continue;
			}
		}
		leaf_dir(dir, sizeof(dir), (int)rnd_below(TOP), (int)rnd_below(SUB));
		snprintf(path, sizeof(path), "%s/r%d", dir, i);
		live_rename(i, path);
	}
	/* Whole directories moved to another parent. */
	for (int k = 0; k < 3; k++) {
		char from[64];
		leaf_dir(from, sizeof(from), k * 2 + 1, k + 1);
		int ni = name_find(from);
		if (ni < 0)
			continue;
		snprintf(path, sizeof(path), "a%d/m%d", (k * 2 + 4) % TOP, k);
		live_rename(ni, path);
	}
	stress_open_unlinked();
	/* Unlink about half of the names of files and symlinks. */
	for (int i = 0; i < nnames; i++)
		if (names[i].path && nodes[names[i].node].type != 'd' &&
		    rnd_below(2))
			live_unlink(i);
	/* Directories created and removed again, one level nested. */
	for (int k = 0; k < 10; k++) {
		snprintf(path, sizeof(path), "a%d/e%d", k % TOP, k);
		live_mkdir(path, 0755);
		if (k % 2 == 0) {
			snprintf(path + strlen(path), 20, "/in");
			live_mkdir(path, 0711);
			live_unlink(name_find(path));
			path[strlen(path) - 3] = 0;
			live_unlink(name_find(path));
		}
	}
	do_fsync_path("a0", 1);
	printf("EXT4RW-PROGRESS renames, unlinks done (%d names)\n", nnames);
	fflush(stdout);
}

static void stress_bigdir(struct params *p)
{
	char path[600];
	long create = p->bigdir + p->bigdir / 5;
	int first = nnames;
	live_mkdir("big", 0755);
	for (long i = 0; i < create; i++) {
		char suffix[64];
		int len = (int)rnd_below(40);
		for (int k = 0; k < len; k++)
			suffix[k] = 'a' + (char)rnd_below(26);
		suffix[len] = 0;
		snprintf(path, sizeof(path), "big/e%ld_%s", i, suffix);
		live_create(path, i % 50 == 0 ? rnd_below(3000) : 0, 0);
	}
	/* Remove a sixth, leaving about bigdir entries. */
	long removed = 0;
	for (int i = first + 1; i < nnames && removed < create - p->bigdir; i++)
		if (names[i].path && rnd_below(6) == 0) {
			live_unlink(i);
			removed++;
		}
	do_fsync_path("big", 1);
	printf("EXT4RW-PROGRESS big directory: %ld created, %ld removed\n",
	       create, removed);
	fflush(stdout);
}

/* One file of bigmib MiB written sequentially in 1 MiB writes; its
 * checksum is computed as it is written. */
static void stress_huge(struct params *p)
{
	int node = node_new('f', 0644);
	int fd = open(mnt_path("huge"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		op_error("create huge: %s", strerror(errno));
		return;
	}
	name_new("huge", node);
	struct mnode *n = &nodes[node];
	uint32_t crc = 0;
	uint64_t off = 0, total = (uint64_t)p->bigmib << 20;
	while (off < total) {
		content_fill(iobuf, n->key, off, CHUNK);
		ssize_t w = write(fd, iobuf, CHUNK);
		if (w != CHUNK) {
			op_error("write huge at %llu: %zd %s",
				 (unsigned long long)off, w,
				 w < 0 ? strerror(errno) : "short");
			break;
		}
		crc = crc32_update(crc, iobuf, CHUNK);
		off += CHUNK;
		if (off % (256 << 20) == 0) {
			printf("EXT4RW-PROGRESS huge: %llu MiB\n",
			       (unsigned long long)(off >> 20));
			fflush(stdout);
		}
	}
	model_write(n, 0, off);
	n->crc = crc;
	n->crc_known = 1;
	if (fsync(fd) < 0)
		op_error("fsync huge: %s", strerror(errno));
	close(fd);
}

static int run_stress(struct params *p)
{
	rng_seed(p->seed);
	stress_tree(p);
	stress_bigdir(p);
	stress_huge(p);
	sync();
	printf("EXT4RW-PROGRESS workload done; walking\n");
	fflush(stdout);
	check("workload system calls succeed", op_errors == 0,
	      "%d errors, first: %s", op_errors, first_error);

	struct line *model = NULL;
	int nmodel = 0, capm = 0;
	model_manifest(&model, &nmodel, &capm);
	int errors_before = op_errors;
	walk("", &lines, &nlines, &cap_lines);
	qsort(lines, nlines, sizeof(*lines), line_cmp);
	check("walk reads everything back", op_errors == errors_before,
	      "%d errors, first: %s", op_errors - errors_before, first_error);

	int i = 0, j = 0, diffs = 0;
	char first[700] = "";
	while (i < nmodel || j < nlines) {
		int c = i == nmodel ? 1 : j == nlines ? -1
			: strcmp(model[i].text, lines[j].text);
		if (c) {
			if (!diffs++)
				snprintf(first, sizeof(first), "%s %s",
					 c < 0 ? "model only:" : "mounted tree only:",
					 c < 0 ? model[i].text : lines[j].text);
			if (diffs <= 10)
				printf("EXT4RW-DIFF %s %s\n", c < 0 ? "model" : "tree",
				       c < 0 ? model[i].text : lines[j].text);
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	check("mounted tree equals the model", diffs == 0 && nmodel > 0,
	      "%d differences; %s", diffs, first);
	long files = 0, big = 0;
	for (int k = 0; k < nlines; k++) {
		files += lines[k].text[2 + strcspn(lines[k].text + 2, " ") + 1] == 'f';
		big += !strncmp(lines[k].text, "M big/", 6);
	}
	check("enough files survive", files >= p->files / 3 + p->bigdir &&
	      big >= p->bigdir, "%ld files, %ld in big/", files, big);

	uint32_t crc = 0;
	for (int k = 0; k < nlines; k++) {
		printf("%s\n", lines[k].text);
		crc = crc32_update(crc, lines[k].text, strlen(lines[k].text));
		crc = crc32_update(crc, "\n", 1);
	}
	printf("MANIFEST-END %d %08x\n", nlines, crc);
	fflush(stdout);
	return 0;
}

/* ---- the crash workload ---- */

static int exists(const char *rel)
{
	struct stat st;
	return lstat(mnt_path(rel), &st) == 0;
}

static int logfd = -1;
static char *logbuf;
static size_t logpos, logcap = 8 << 20;

/* Append a line to the log disk and make it durable before returning. */
static void log_line(const char *fmt, ...)
{
	char line[700];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (logpos + n > logcap) {
		op_error("log disk full");
		return;
	}
	memcpy(logbuf + logpos, line, n);
	size_t start = logpos & ~(size_t)511;
	logpos += n;
	size_t end = (logpos + 511) & ~(size_t)511;
	if (pwrite(logfd, logbuf + start, end - start, (off_t)start) !=
	    (ssize_t)(end - start))
		op_error("log write: %s", strerror(errno));
	if (fsync(logfd) < 0)
		op_error("log fsync: %s", strerror(errno));
}

struct safe {
	char path[300];
};

static struct safe *safes;
static int nsafes;

/* Recursively remove @rel (relative to the mount); passes over the
 * directory until it is empty (entries removed while reading it). */
static void remove_tree(const char *rel)
{
	char full[700];
	snprintf(full, sizeof(full), "%s/%s", mnt, rel);
	for (int pass = 0; pass < 4; pass++) {
		DIR *d = opendir(full);
		if (!d) {
			if (errno != ENOENT)
				op_error("opendir %s: %s", rel, strerror(errno));
			return;
		}
		struct dirent *e;
		int removed = 0;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[600];
			struct stat st;
			snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
			int isdir = e->d_type == DT_DIR ||
				    (e->d_type == DT_UNKNOWN &&
				     lstat(mnt_path(sub), &st) == 0 &&
				     S_ISDIR(st.st_mode));
			if (isdir)
				remove_tree(sub);
			else if (unlink(mnt_path(sub)) < 0)
				op_error("unlink %s: %s", sub, strerror(errno));
			removed++;
		}
		closedir(d);
		if (!removed)
			break;
	}
	if (rmdir(full) < 0)
		op_error("rmdir %s: %s", rel, strerror(errno));
}

/* Safe files of round @round (they were checked by the last verify). */
static void collect_safes(long round)
{
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/r%ld", mnt, round);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] != 's' && e->d_name[0] != 'm')
			continue;
		safes = realloc(safes, (nsafes + 1) * sizeof(*safes));
		snprintf(safes[nsafes++].path, sizeof(safes->path), "r%ld/%s",
			 round, e->d_name);
	}
	closedir(d);
}

static void crash_churn(long round)
{
	char a[64], b[64];
	snprintf(a, sizeof(a), "r%ld/t/c%d", round, (int)rnd_below(48));
	uint64_t r = rnd_below(100);
	if (r < 40) {
		int fd = open(mnt_path(a), O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0) {
			op_error("open %s: %s", a, strerror(errno));
			return;
		}
		size_t n = 1 + rnd_below(rnd_below(3) ? 16384 : 262144);
		content_fill(iobuf, rnd(), 0, n);
		if (write(fd, iobuf, n) < 0 && errno != ENOSPC)
			op_error("append %s: %s", a, strerror(errno));
		if (rnd_below(10) == 0 && fsync(fd) < 0)
			op_error("fsync %s: %s", a, strerror(errno));
		close(fd);
	} else if (r < 55) {
		if (truncate(mnt_path(a), (off_t)rnd_below(65536)) < 0 &&
		    errno != ENOENT)
			op_error("truncate %s: %s", a, strerror(errno));
	} else if (r < 75) {
		snprintf(b, sizeof(b), "r%ld/t/c%d", round, (int)rnd_below(48));
		if (rename(mnt_path(a), mnt_path(b)) < 0 && errno != ENOENT)
			op_error("rename %s %s: %s", a, b, strerror(errno));
	} else if (r < 95) {
		if (unlink(mnt_path(a)) < 0 && errno != ENOENT)
			op_error("unlink %s: %s", a, strerror(errno));
	} else {
		snprintf(b, sizeof(b), "r%ld/t/d%d", round, (int)rnd_below(4));
		if (mkdir(mnt_path(b), 0755) < 0 && errno != EEXIST)
			op_error("mkdir %s: %s", b, strerror(errno));
		else if (rmdir(mnt_path(b)) < 0)
			op_error("rmdir %s: %s", b, strerror(errno));
	}
}

static void crash_safe_create(long round, long i, uint64_t *budget)
{
	char rel[64], dir[64];
	snprintf(dir, sizeof(dir), "r%ld", round);
	snprintf(rel, sizeof(rel), "r%ld/s%ld", round, i);
	uint64_t size = rnd_below(8) ? rnd_below(128 * 1024) : rnd_below(2 << 20);
	if (size > *budget)
		return;
	struct mnode n = {.key = rnd()};
	int fd = open(mnt_path(rel), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		op_error("create %s: %s", rel, strerror(errno));
		return;
	}
	uint64_t hole = rnd_below(4) == 0 ? rnd_below(size + 1) : size;
	uint64_t hole_end = hole + rnd_below(size - hole + 1);
	/* [0, hole) and [hole_end, size) written; the middle left a hole. */
	if (write_content(fd, rel, n.key, 0, hole, 1) ||
	    write_content(fd, rel, n.key, hole_end, size - hole_end, 1) ||
	    ftruncate(fd, (off_t)size) < 0 || fsync(fd) < 0) {
		op_error("safe file %s: %s", rel, strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	do_fsync_path(dir, 1);
	model_write(&n, 0, hole);
	model_write(&n, hole_end, size);
	model_truncate(&n, size);
	log_line("F %s %llu %08x", rel, (unsigned long long)size, model_crc(&n));
	*budget -= size;
	safes = realloc(safes, (nsafes + 1) * sizeof(*safes));
	snprintf(safes[nsafes++].path, sizeof(safes->path), "%s", rel);
}

static void crash_move(long round, long i)
{
	if (!nsafes)
		return;
	int k = (int)rnd_below(nsafes);
	char to[64], fromdir[300];
	snprintf(to, sizeof(to), "r%ld/m%ld", round, i);
	snprintf(fromdir, sizeof(fromdir), "%s", safes[k].path);
	*strchr(fromdir, '/') = 0;
	log_line("MV %s %s", safes[k].path, to);
	if (rename(mnt_path(safes[k].path), mnt_path(to)) < 0) {
		op_error("rename %s %s: %s", safes[k].path, to, strerror(errno));
		return;
	}
	do_fsync_path(fromdir, 1);
	snprintf(fromdir, sizeof(fromdir), "r%ld", round);
	do_fsync_path(fromdir, 1);
	log_line("MVD %s %s", safes[k].path, to);
	snprintf(safes[k].path, sizeof(safes->path), "%s", to);
}

static void crash_unlink(void)
{
	if (!nsafes)
		return;
	int k = (int)rnd_below(nsafes);
	char dir[300];
	snprintf(dir, sizeof(dir), "%s", safes[k].path);
	*strchr(dir, '/') = 0;
	log_line("RM %s", safes[k].path);
	if (unlink(mnt_path(safes[k].path)) < 0) {
		op_error("unlink %s: %s", safes[k].path, strerror(errno));
		return;
	}
	do_fsync_path(dir, 1);
	log_line("RMD %s", safes[k].path);
	safes[k] = safes[--nsafes];
}

static int run_crash_write(struct params *p)
{
	char rel[64];
	rng_seed(p->seed);
	logbuf = calloc(1, logcap);
	logfd = open(logdev, O_RDWR);
	if (!logbuf || logfd < 0) {
		check("open the log disk", 0, "%s: %s", logdev, strerror(errno));
		return 1;
	}
	/* Rounds before the last one were verified: remove them (and any
	 * removal a kill interrupted). */
	for (long k = p->round - 2; k >= 0; k--) {
		snprintf(rel, sizeof(rel), "r%ld", k);
		if (!exists(rel))
			continue;
		log_line("RMBEGIN %s", rel);
		remove_tree(rel);
		do_fsync_path("", 1);
		log_line("RMDONE %s", rel);
	}
	collect_safes(p->round - 1);
	snprintf(rel, sizeof(rel), "r%ld", p->round);
	if (mkdir(mnt_path(rel), 0755) < 0)
		op_error("mkdir %s: %s", rel, strerror(errno));
	snprintf(rel, sizeof(rel), "r%ld/t", p->round);
	if (mkdir(mnt_path(rel), 0755) < 0)
		op_error("mkdir %s: %s", rel, strerror(errno));
	do_fsync_path("", 1);
	if (op_errors) {
		check("crash writer sets up its round", 0, "%s", first_error);
		return 1;
	}
	printf("WRITER-RUNNING round %ld\n", p->round);
	fflush(stdout);
	uint64_t budget = 48 << 20;
	for (long i = 0;; i++) {
		uint64_t r = rnd_below(100);
		if (r < 30)
			crash_safe_create(p->round, i, &budget);
		else if (r < 38)
			crash_move(p->round, i);
		else if (r < 44)
			crash_unlink();
		else if (r < 98)
			crash_churn(p->round);
		else
			sync();
		if (i % 200 == 0) {
			printf("WRITER-STEP %ld (%d errors)\n", i, op_errors);
			fflush(stdout);
		}
		if (op_errors > 20) {
			check("crash writer runs without errors", 0, "%s",
			      first_error);
			return 1;
		}
	}
}

/* ---- verification after a crash ---- */

static int file_matches(const char *rel, uint64_t size, uint32_t crc,
			char *why, size_t whylen)
{
	struct stat st;
	if (lstat(mnt_path(rel), &st) < 0) {
		snprintf(why, whylen, "%s: lstat: %s", rel, strerror(errno));
		return 0;
	}
	uint32_t got;
	uint64_t len;
	int r = read_crc(mnt_path(rel), &got, &len);
	if (!S_ISREG(st.st_mode) || r < 0 || len != size ||
	    (uint64_t)st.st_size != size || got != crc) {
		snprintf(why, whylen, "%s: size %lld read %llu crc %08x (%s), "
			 "expected size %llu crc %08x", rel, (long long)st.st_size,
			 (unsigned long long)len, got, r < 0 ? strerror(-r) : "read ok",
			 (unsigned long long)size, crc);
		return 0;
	}
	return 1;
}

static int run_crash_verify(void)
{
	int fd = open(logdev, O_RDONLY);
	char *buf = calloc(1, logcap + 1);
	size_t got = 0;
	while (fd >= 0 && buf && got < logcap) {  /* to the first NUL byte */
		ssize_t r = read(fd, buf + got, logcap - got);
		if (r <= 0) {
			if (r < 0)
				fd = -1;
			break;
		}
		got += r;
		if (memchr(buf + got - r, 0, r))
			break;
	}
	if (fd < 0 || !buf) {
		check("read the expectations", 0, "%s: %s", logdev, strerror(errno));
		return 1;
	}
	buf[got] = 0;
	int checked = 0, bad = 0;
	char why[700], first[700] = "";
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char a[128], b[128];
		unsigned long long size;
		unsigned crc;
		int ok = 1;
		why[0] = 0;
		if (sscanf(line, "F %127s %llu %x", a, &size, &crc) == 3 &&
		    line[0] == 'F') {
			ok = file_matches(a, size, crc, why, sizeof(why));
		} else if (sscanf(line, "X %127s", a) == 1 && line[0] == 'X') {
			ok = !exists(a);
			snprintf(why, sizeof(why), "%s exists", a);
		} else if (sscanf(line, "O %127s %llu %x", a, &size, &crc) == 3 &&
			   line[0] == 'O') {
			if (exists(a)) {
				ok = file_matches(a, size, crc, why, sizeof(why));
				printf("PRESENT %s\n", a);
			} else {
				printf("ABSENT %s\n", a);
			}
		} else if (sscanf(line, "E %127s %127s %llu %x", a, b, &size,
				  &crc) == 4 && line[0] == 'E') {
			int ea = exists(a), eb = exists(b);
			if (ea == eb) {
				ok = 0;
				snprintf(why, sizeof(why), "rename %s -> %s: %s", a, b,
					 ea ? "both names exist" : "neither name exists");
			} else {
				ok = file_matches(ea ? a : b, size, crc, why,
						  sizeof(why));
				printf("AT %s %s %s\n", a, b, ea ? a : b);
			}
		} else {
			ok = 0;
			snprintf(why, sizeof(why), "bad expectation line '%.100s'", line);
		}
		checked++;
		if (!ok) {
			if (!bad++)
				snprintf(first, sizeof(first), "%s", why);
			if (bad <= 20)
				printf("EXT4RW-BAD %s\n", why);
		}
	}
	fflush(stdout);
	check("every fsync'ed file has its contents after the replay", bad == 0,
	      "%d of %d expectations fail; first: %s", bad, checked, first);
	printf("EXT4RW-VERIFIED %d expectations\n", checked);
	int errors_before = op_errors;
	walk("", &lines, &nlines, &cap_lines);
	check("every file reads back after the replay", op_errors == errors_before,
	      "%d errors, first: %s", op_errors - errors_before, first_error);
	return 0;
}

int main(int argc, char **argv)
{
	struct params p = {.files = 3000, .bigdir = 20000, .bigmib = 1024,
			   .seed = 1};
	const char *mode = argc > 1 ? argv[1] : "";
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			continue;
		long long v = strtoll(eq + 1, NULL, 0);
		if (!strncmp(argv[i], "files=", 6))
			p.files = v;
		else if (!strncmp(argv[i], "bigdir=", 7))
			p.bigdir = v;
		else if (!strncmp(argv[i], "bigmib=", 7))
			p.bigmib = v;
		else if (!strncmp(argv[i], "seed=", 5))
			p.seed = (uint64_t)v;
		else if (!strncmp(argv[i], "round=", 6))
			p.round = v;
		else if (!strncmp(argv[i], "trace=", 6))
			trace = (int)v;
		else if (!strncmp(argv[i], "dir=", 4))
			mnt = eq + 1;
		else if (!strncmp(argv[i], "log=", 4))
			logdev = eq + 1;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	crc_init();
	iobuf = malloc(CHUNK);
	zerobuf = calloc(1, CHUNK);
	if (!iobuf || !zerobuf)
		return 1;
	umask(0);
	if (!strcmp(mode, "stress"))
		run_stress(&p);
	else if (!strcmp(mode, "crash-write"))
		run_crash_write(&p);
	else if (!strcmp(mode, "crash-verify"))
		run_crash_verify();
	else if (!strcmp(mode, "selftest")) {
		/* zlib.crc32(b"123456789") == 0xcbf43926 */
		check("crc32 of 123456789", crc32_update(0, "123456789", 9) ==
		      0xcbf43926u, "%08x", crc32_update(0, "123456789", 9));
	} else {
		fprintf(stderr, "usage: ext4rw stress|crash-write|crash-verify "
			"[files=N bigdir=N bigmib=N seed=S round=K]\n");
		return 2;
	}
	printf("EXT4RW summary: %d passed, %d failed\n", checks_passed,
	       checks_failed);
	fflush(stdout);
	return checks_failed ? 1 : 0;
}
