/*
 * Block device checks over virtio-blk disks (the harness's "disk" group),
 * the same static binary on the host and in the kernel.
 *
 * The host builds raw images with sfdisk (test/disk/mkimages.py) and
 * describes them in a spec file:
 *   disk <id> <sectors> <ro 0|1> <fill 0|1> [<logical block size>]
 *   part <id> <partno> <start> <sectors> <fill|write|ext>
 * Every filled byte holds a pattern computed from the disk's id and the
 * byte's offset in the disk, so any read anywhere can be checked.
 *
 * Modes:
 *   disktest fill SPEC ID=image ...     write the pattern into the images
 *   disktest check SPEC ID=dev ... [--guest|--host]
 *       checks on the block devices /dev/<dev> (partitions /dev/<dev>N
 *       or <dev>pN); --host: the host's Linux (loop devices whose
 *       partitions the host kernel may not scan: partitions are reached
 *       through the disk at their offset, numbering is not checked);
 *       --guest: also Linux's virtio-blk numbers (major 254, minor
 *       disk * 16 + partition), and as PID 1 it mounts /proc first and
 *       powers off at the end.
 *   disktest verify SPEC ID=image ...  after a check: the writes it made
 *       (and nothing next to them) are in the image
 * Output: "DISK <name>: PASS" or "DISK <name>: FAIL (why)" per check,
 * then "DISK summary: N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/fs.h (musl has no kernel headers) */
#ifndef BLKROGET
#define BLKROGET _IO(0x12, 94)
#endif
#ifndef BLKBSZGET
#define BLKBSZGET _IOR(0x12, 112, size_t)
#endif
#ifndef BLKFLSBUFS
#define BLKFLSBUFS _IO(0x12, 97)
#endif
#ifndef BLKRRPART
#define BLKRRPART _IO(0x12, 95)
#endif
#ifndef BLKGETSIZE
#define BLKGETSIZE _IO(0x12, 96)
#endif
#ifndef BLKSSZGET
#define BLKSSZGET _IO(0x12, 104)
#endif
#ifndef BLKGETSIZE64
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)
#endif
#ifndef BLKDISCARD
#define BLKDISCARD _IO(0x12, 119)
#endif
#ifndef BLKPBSZGET
#define BLKPBSZGET _IO(0x12, 123)
#endif

#define MAX_DISKS 4
#define MAX_PARTS 16
#define CHUNK (64 * 1024)
#define READERS 8
#define READS_PER_READER 150

struct part {
	int partno;
	uint64_t start, sectors;
	char kind[8];           /* fill, write, ext */
};

struct disk {
	char id[8];
	char dev[64];           /* device name or image path */
	int index;              /* order in the spec: vda = 0 */
	uint64_t sectors;
	int ro, fill;
	unsigned lsize;         /* logical block size */
	int nparts;
	struct part parts[MAX_PARTS];
};

static struct disk disks[MAX_DISKS];
static int ndisks;
static int passed, failed;
static int guest, host;

static void result(const char *name, int ok, const char *fmt, ...)
{
	char why[256] = "";
	va_list ap;

	if (!ok && fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (ok) {
		passed++;
		printf("DISK %s: PASS\n", name);
	} else {
		failed++;
		printf("DISK %s: FAIL (%s)\n", name, why);
	}
	fflush(stdout);
}

/* ---- the pattern ---- */

static uint8_t pattern_byte(const struct disk *d, uint64_t off)
{
	uint64_t v = ((off >> 3) + (uint64_t)(d->index + 1) * 0x1000000007ull) *
		     0x9e3779b97f4a7c15ull;

	return (uint8_t)(v >> ((off & 7) * 8));
}

static void pattern_fill(const struct disk *d, uint64_t off, uint8_t *buf,
			 size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern_byte(d, off + i);
}

/* What the write checks store at disk offset @off. */
static uint8_t write_byte(uint64_t off)
{
	return (uint8_t)((off * 131 + 17) ^ 0x5a);
}

/* Offset of the first byte in buf[0..len) differing from the pattern at
 * disk offset @off, or -1. */
static long pattern_check(const struct disk *d, uint64_t off,
			  const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern_byte(d, off + i))
			return (long)i;
	return -1;
}

/* ---- spec ---- */

static struct disk *find_disk(const char *id)
{
	for (int i = 0; i < ndisks; i++)
		if (strcmp(disks[i].id, id) == 0)
			return &disks[i];
	return NULL;
}

static int read_spec(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct disk *d;
		char id[8];

		if (strncmp(line, "disk ", 5) == 0 && ndisks < MAX_DISKS) {
			d = &disks[ndisks];
			d->lsize = 512;
			if (sscanf(line, "disk %7s %lu %d %d %u", d->id,
				   (unsigned long *)&d->sectors, &d->ro,
				   &d->fill, &d->lsize) < 4)
				return -1;
			d->index = ndisks++;
		} else if (strncmp(line, "part ", 5) == 0) {
			struct part p;

			if (sscanf(line, "part %7s %d %lu %lu %7s", id, &p.partno,
				   (unsigned long *)&p.start,
				   (unsigned long *)&p.sectors, p.kind) != 5)
				return -1;
			d = find_disk(id);
			if (!d || d->nparts == MAX_PARTS)
				return -1;
			d->parts[d->nparts++] = p;
		}
	}
	fclose(f);
	return 0;
}

/* "vda" + 1 -> "vda1", "loop0" + 1 -> "loop0p1" */
static void part_name(const struct disk *d, int partno, char *buf, size_t n)
{
	size_t len = strlen(d->dev);
	int digit = len && d->dev[len - 1] >= '0' && d->dev[len - 1] <= '9';

	snprintf(buf, n, "%s%s%d", d->dev, digit ? "p" : "", partno);
}

/* The device name of partition @p of @d, or of @d itself (@p NULL). */
static void dev_name(const struct disk *d, const struct part *p, char *buf,
		     size_t n)
{
	if (p)
		part_name(d, p->partno, buf, n);
	else
		snprintf(buf, n, "%s", d->dev);
}

/* Open what holds partition @p (NULL: the disk) and say where it starts
 * in that file (the host reaches partitions through the disk). */
static int open_part(const struct disk *d, const struct part *p, int flags,
		     uint64_t *base)
{
	char path[128];

	*base = 0;
	if (!p || host) {
		snprintf(path, sizeof(path), "/dev/%s", d->dev);
		if (p)
			*base = p->start * 512;
	} else {
		char name[80];
		part_name(d, p->partno, name, sizeof(name));
		snprintf(path, sizeof(path), "/dev/%s", name);
	}
	return open(path, flags);
}

/* ---- fill and verify (image files on the host) ---- */

static int fill_range(int fd, const struct disk *d, uint64_t off, uint64_t len)
{
	static uint8_t buf[CHUNK];

	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;

		pattern_fill(d, off, buf, n);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			return -1;
		off += n;
		len -= n;
	}
	return 0;
}

static int do_fill(void)
{
	for (int i = 0; i < ndisks; i++) {
		struct disk *d = &disks[i];
		int fd = open(d->dev, O_RDWR);

		if (fd < 0) {
			perror(d->dev);
			return 1;
		}
		if (d->fill && fill_range(fd, d, 0, d->sectors * 512))
			return 1;
		for (int k = 0; k < d->nparts; k++) {
			struct part *p = &d->parts[k];
			if (strcmp(p->kind, "ext") != 0 &&
			    fill_range(fd, d, p->start * 512, p->sectors * 512))
				return 1;
		}
		close(fd);
	}
	return 0;
}

/* The writes of check_writes(), relative to the partition. */
struct write_op {
	uint64_t off;
	size_t len;
};

static void write_ops(const struct part *p, struct write_op ops[3])
{
	uint64_t size = p->sectors * 512;

	ops[0] = (struct write_op){ 777, 1000 };
	ops[1] = (struct write_op){ 1024 * 1024, 65536 };
	ops[2] = (struct write_op){ size - 4096, 4096 };       /* of 8192 */
}

static int do_verify(void)
{
	for (int i = 0; i < ndisks; i++) {
		struct disk *d = &disks[i];
		int fd = open(d->dev, O_RDONLY);

		for (int k = 0; fd >= 0 && k < d->nparts; k++) {
			struct part *p = &d->parts[k];
			struct write_op ops[3];
			uint64_t base = p->start * 512;
			uint8_t b;
			char name[128];
			int ok = 1;
			long bad = -1;

			if (strcmp(p->kind, "write") != 0)
				continue;
			write_ops(p, ops);
			for (int w = 0; w < 3 && ok; w++) {
				for (size_t j = 0; j < ops[w].len; j++) {
					uint64_t off = base + ops[w].off + j;
					if (pread(fd, &b, 1, off) != 1 ||
					    b != write_byte(off)) {
						ok = 0;
						bad = (long)off;
						break;
					}
				}
			}
			snprintf(name, sizeof(name), "image %.7s part %d holds the "
				 "written data", d->id, p->partno);
			result(name, ok, "byte at %ld", bad);
			/* Next to the writes: the old contents. */
			ok = 1;
			uint64_t around[] = { base + 776, base + 1777,
					      base + 1024 * 1024 - 1,
					      base + 1024 * 1024 + 65536,
					      base + p->sectors * 512 - 4097 };
			for (size_t j = 0; j < sizeof(around) / 8; j++)
				if (pread(fd, &b, 1, around[j]) != 1 ||
				    b != pattern_byte(d, around[j])) {
					ok = 0;
					bad = (long)around[j];
				}
			snprintf(name, sizeof(name), "image %.7s part %d unchanged "
				 "around the writes", d->id, p->partno);
			result(name, ok, "byte at %ld", bad);
		}
		if (fd >= 0)
			close(fd);
	}
	printf("DISK summary: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

/* ---- checks on block devices ---- */

/* The /proc/partitions line of @name: major, minor, blocks; 0 or -1. */
static int proc_partitions(const char *name, unsigned *ma, unsigned *mi,
			   unsigned long long *blocks)
{
	FILE *f = fopen("/proc/partitions", "r");
	char line[256], n[64];
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %u %u %llu %63s", ma, mi, blocks, n) == 4 &&
		    strcmp(n, name) == 0) {
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

static int proc_partitions_header(void)
{
	FILE *f = fopen("/proc/partitions", "r");
	char line[128] = "", blank[8] = "";
	int ok;

	if (!f)
		return 0;
	ok = fgets(line, sizeof(line), f) && fgets(blank, sizeof(blank), f) &&
	     strcmp(line, "major minor  #blocks  name\n") == 0 &&
	     strcmp(blank, "\n") == 0;
	fclose(f);
	return ok;
}

/* A device node and its /proc/partitions line agree; in the guest also
 * with virtio-blk's numbers. */
static void check_node(const struct disk *d, const struct part *p)
{
	char name[80], path[96], what[160];
	unsigned ma, mi;
	unsigned long long blocks;
	uint64_t sectors = p ? p->sectors : d->sectors;
	struct stat st;
	int ok;

	dev_name(d, p, name, sizeof(name));
	snprintf(path, sizeof(path), "/dev/%s", name);
	snprintf(what, sizeof(what), "%s in /proc/partitions with %llu blocks",
		 name, (unsigned long long)sectors / 2);
	ok = proc_partitions(name, &ma, &mi, &blocks) == 0;
	result(what, ok && blocks == sectors / 2, ok ? "blocks %llu" :
	       "missing", blocks);
	if (!ok)
		return;
	snprintf(what, sizeof(what), "%s is a block device with the numbers "
		 "of /proc/partitions", path);
	ok = stat(path, &st) == 0;
	result(what, ok && S_ISBLK(st.st_mode) && major(st.st_rdev) == ma &&
	       minor(st.st_rdev) == mi, ok ? "mode %o rdev %u:%u, proc %u:%u" :
	       "%s", ok ? st.st_mode : 0, major(st.st_rdev), minor(st.st_rdev),
	       ma, mi);
	if (guest) {
		unsigned want = (unsigned)d->index * 16 + (p ? p->partno : 0);
		snprintf(what, sizeof(what), "%s is 254:%u (virtblk)", name,
			 want);
		result(what, ma == 254 && mi == want, "%u:%u", ma, mi);
	}
}

/* The first line of a sysfs file, or "" */
static void read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
}

/* The first line of @dir/@attr is @want. */
static void check_attr(const char *dir, const char *attr, const char *want)
{
	char path[200], line[64], what[300];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	read_line(path, line, sizeof(line));
	snprintf(what, sizeof(what), "%s is %s", path, want);
	result(what, strcmp(line, want) == 0, "\"%s\"", line);
}

/* /sys/block/<disk>[/<part>]: dev, size (and start, partition). */
static void check_sysfs(const struct disk *d, const struct part *p)
{
	char dir[160], want[64], name[80];
	unsigned ma = 0, mi = 0;
	unsigned long long blocks;
	uint64_t sectors = p ? p->sectors : d->sectors;

	dev_name(d, p, name, sizeof(name));
	if (p)
		snprintf(dir, sizeof(dir), "/sys/block/%s/%s", d->dev, name);
	else
		snprintf(dir, sizeof(dir), "/sys/block/%s", d->dev);
	proc_partitions(name, &ma, &mi, &blocks);
	snprintf(want, sizeof(want), "%u:%u", ma, mi);
	check_attr(dir, "dev", want);
	snprintf(want, sizeof(want), "%llu", (unsigned long long)sectors);
	check_attr(dir, "size", want);
	if (!p)
		return;
	snprintf(want, sizeof(want), "%llu", (unsigned long long)p->start);
	check_attr(dir, "start", want);
	snprintf(want, sizeof(want), "%d", p->partno);
	check_attr(dir, "partition", want);
}

/* No partition of @d beyond the expected ones (gaps stay gaps). */
static void check_no_extra_parts(const struct disk *d)
{
	char name[80], what[128];
	unsigned ma, mi;
	unsigned long long blocks;
	int extra = 0;

	for (int n = 1; n < 16; n++) {
		int expected = 0;
		for (int k = 0; k < d->nparts; k++)
			expected |= d->parts[k].partno == n;
		part_name(d, n, name, sizeof(name));
		if (!expected && proc_partitions(name, &ma, &mi, &blocks) == 0)
			extra = n;
	}
	snprintf(what, sizeof(what), "%s has no partitions besides the "
		 "table's", d->dev);
	result(what, !extra, "partition %d", extra);
}

static void check_ioctls(const struct disk *d, const struct part *p)
{
	uint64_t sectors = p ? p->sectors : d->sectors, size64 = 0, base;
	unsigned long size = 0;
	int fd = open_part(d, host ? NULL : p, O_RDONLY, &base), ssz = 0, ro = -1;
	unsigned pbsz = 0;
	char what[128], name[80];
	int ok;

	dev_name(d, p, name, sizeof(name));
	snprintf(what, sizeof(what), "%s: open O_RDONLY", name);
	result(what, fd >= 0, "%s", strerror(errno));
	if (fd < 0)
		return;
	snprintf(what, sizeof(what), "%s: BLKGETSIZE64 is %llu", name,
		 (unsigned long long)sectors * 512);
	result(what, ioctl(fd, BLKGETSIZE64, &size64) == 0 &&
	       size64 == sectors * 512, "%llu", (unsigned long long)size64);
	snprintf(what, sizeof(what), "%s: BLKGETSIZE is %llu", name,
		 (unsigned long long)sectors);
	result(what, ioctl(fd, BLKGETSIZE, &size) == 0 && size == sectors,
	       "%lu", size);
	snprintf(what, sizeof(what), "%s: BLKSSZGET %u, BLKPBSZGET %u", name,
		 d->lsize, d->lsize);
	result(what, ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == (int)d->lsize &&
	       ioctl(fd, BLKPBSZGET, &pbsz) == 0 && pbsz == d->lsize,
	       "%d %u", ssz, pbsz);
	/* A fresh open's block size: the size's lowest set bit, from the
	 * logical block size up to 4096 (1 KiB for an extended partition). */
	unsigned bsz = d->lsize;
	while (bsz < 4096 && !((sectors * 512) & bsz))
		bsz <<= 1;
	snprintf(what, sizeof(what), "%s: BLKBSZGET is %u, BLKFLSBUFS works",
		 name, bsz);
	ssz = 0;
	ok = ioctl(fd, BLKBSZGET, &ssz) == 0 && ssz == (int)bsz &&
	     ioctl(fd, BLKFLSBUFS, 0) == 0;
	result(what, ok, "%d errno %d", ssz, errno);
	snprintf(what, sizeof(what), "%s: BLKROGET is %d", name, d->ro);
	result(what, ioctl(fd, BLKROGET, &ro) == 0 && ro == d->ro, "%d", ro);
	snprintf(what, sizeof(what), "%s: lseek SEEK_END gives the size", name);
	result(what, lseek(fd, 0, SEEK_END) == (off_t)(sectors * 512),
	       "%s", strerror(errno));
	close(fd);
}

/* Read all of a filled area sequentially and compare with the pattern. */
static void check_read_all(const struct disk *d, const struct part *p)
{
	static uint8_t buf[CHUNK];
	uint64_t base, start = p ? p->start * 512 : 0;
	uint64_t size = (p ? p->sectors : d->sectors) * 512, off = 0;
	int fd = open_part(d, p, O_RDONLY, &base);
	char what[128];
	long bad = -1;
	ssize_t n = 0;

	snprintf(what, sizeof(what), "%s part %d: every byte reads back as "
		 "filled", d->id, p ? p->partno : 0);
	if (fd < 0) {
		result(what, 0, "open: %s", strerror(errno));
		return;
	}
	if (lseek(fd, (off_t)base, SEEK_SET) != (off_t)base) {
		result(what, 0, "lseek: %s", strerror(errno));
		close(fd);
		return;
	}
	while (off < size) {
		size_t want = size - off < CHUNK ? size - off : CHUNK;

		n = read(fd, buf, want);
		if (n != (ssize_t)want)
			break;
		bad = pattern_check(d, start + off, buf, want);
		if (bad >= 0) {
			bad += (long)off;
			break;
		}
		off += want;
	}
	result(what, off == size, "at %llu: read %zd, bad byte %ld",
	       (unsigned long long)off, n, bad);
	close(fd);
}

/* Reads at and across the end of a device (or partition in the guest). */
static void check_end(const struct disk *d, const struct part *p)
{
	uint8_t buf[4096];
	uint64_t base, size = (p ? p->sectors : d->sectors) * 512;
	int fd = open_part(d, host ? NULL : p, O_RDONLY, &base);
	char what[128];
	ssize_t n;

	if (host)
		size = d->sectors * 512, p = NULL;
	snprintf(what, sizeof(what), "%s part %d: pread at the end gives 0",
		 d->id, p ? p->partno : 0);
	n = pread(fd, buf, sizeof(buf), (off_t)size);
	result(what, n == 0, "%zd %s", n, strerror(errno));
	snprintf(what, sizeof(what), "%s part %d: pread across the end is short",
		 d->id, p ? p->partno : 0);
	n = pread(fd, buf, sizeof(buf), (off_t)size - 100);
	result(what, n == 100 && (!(p || d->fill) ||
				  pattern_check(d, (p ? p->start * 512 : 0) +
						size - 100, buf, 100) < 0),
	       "%zd", n);
	snprintf(what, sizeof(what), "%s part %d: pread far past the end "
		 "gives 0", d->id, p ? p->partno : 0);
	n = pread(fd, buf, sizeof(buf), (off_t)size * 4);
	result(what, n == 0, "%zd", n);
	snprintf(what, sizeof(what), "%s part %d: lseek past the end is EINVAL",
		 d->id, p ? p->partno : 0);
	errno = 0;
	result(what, lseek(fd, 1, SEEK_END) == -1 && errno == EINVAL,
	       "errno %d", errno);
	snprintf(what, sizeof(what), "%s part %d: read after SEEK_END gives 0",
		 d->id, p ? p->partno : 0);
	lseek(fd, 0, SEEK_END);
	result(what, read(fd, buf, 512) == 0, "%s", strerror(errno));
	close(fd);
}

/* Bad arguments get Linux's errno. */
static void check_errors(const struct disk *d)
{
	char what[128];
	uint64_t base, range[2] = { 1, 512 };
	int fd = open_part(d, NULL, O_RDONLY, &base);
	uint8_t b;

	snprintf(what, sizeof(what), "%s: BLKGETSIZE64 to a bad address is "
		 "EFAULT", d->dev);
	errno = 0;
	result(what, ioctl(fd, BLKGETSIZE64, (void *)8) == -1 &&
	       errno == EFAULT, "errno %d", errno);
	/* (Linux's loop driver answers unknown ioctls itself, EINVAL.) */
	if (!host) {
		snprintf(what, sizeof(what), "%s: an unknown ioctl is ENOTTY",
			 d->dev);
		errno = 0;
		result(what, ioctl(fd, _IO('Q', 0x33), 0) == -1 &&
		       errno == ENOTTY, "errno %d", errno);
	}
	snprintf(what, sizeof(what), "%s: pread at a negative offset is EINVAL",
		 d->dev);
	errno = 0;
	result(what, pread(fd, &b, 1, -512) == -1 && errno == EINVAL,
	       "errno %d", errno);
	snprintf(what, sizeof(what), "%s: BLKDISCARD on a read-only open is "
		 "EBADF", d->dev);
	errno = 0;
	result(what, ioctl(fd, BLKDISCARD, range) == -1 && errno == EBADF,
	       "errno %d", errno);
	snprintf(what, sizeof(what), "%s: write to a read-only open is EBADF",
		 d->dev);
	errno = 0;
	result(what, write(fd, &b, 1) == -1 && errno == EBADF, "errno %d",
	       errno);
	close(fd);
	fd = open_part(d, NULL, O_RDWR, &base);
	if (d->ro) {
		ssize_t n;

		snprintf(what, sizeof(what), "%s: read-only disk opens O_RDWR",
			 d->dev);
		result(what, fd >= 0, "errno %d", errno);
		snprintf(what, sizeof(what), "%s: read-only disk: pwrite is "
			 "EPERM", d->dev);
		errno = 0;
		n = pwrite(fd, &b, 1, 0);
		result(what, n == -1 && errno == EPERM, "%zd errno %d", n, errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	{
		static uint8_t zero[8192];
		uint64_t size = d->sectors * 512;
		ssize_t n;

		/* Rewrite the last 4 KiB as they are (a GPT's backup). */
		snprintf(what, sizeof(what), "%s: pwrite across the end is "
			 "short", d->dev);
		n = pread(fd, zero, 4096, (off_t)size - 4096);
		if (n == 4096)
			n = pwrite(fd, zero, sizeof(zero), (off_t)size - 4096);
		result(what, n == 4096, "%zd errno %d", n, errno);
		snprintf(what, sizeof(what), "%s: pwrite at the end is ENOSPC",
			 d->dev);
		errno = 0;
		n = pwrite(fd, zero, 1, (off_t)size);
		result(what, n == -1 && errno == ENOSPC, "%zd errno %d", n, errno);
	}
	snprintf(what, sizeof(what), "%s: BLKDISCARD of a misaligned range is "
		 "EINVAL", d->dev);
	errno = 0;
	result(what, ioctl(fd, BLKDISCARD, range) == -1 && errno == EINVAL,
	       "errno %d", errno);
	snprintf(what, sizeof(what), "%s: BLKDISCARD past the end is EINVAL",
		 d->dev);
	range[0] = d->sectors * 512;
	range[1] = 4096;
	errno = 0;
	result(what, ioctl(fd, BLKDISCARD, range) == -1 && errno == EINVAL,
	       "errno %d", errno);
	if (d->nparts) {
		/* The space after the last partition is unused. */
		uint64_t end = 0;
		for (int k = 0; k < d->nparts; k++)
			if (d->parts[k].start + d->parts[k].sectors > end)
				end = d->parts[k].start + d->parts[k].sectors;
		range[0] = (end * 512 + 65535) / 65536 * 65536;
		range[1] = 65536;
		if (range[0] + range[1] + 65536 <= d->sectors * 512) {
			snprintf(what, sizeof(what), "%s: BLKDISCARD of 64 KiB "
				 "of unused space", d->dev);
			result(what, ioctl(fd, BLKDISCARD, range) == 0,
			       "errno %d", errno);
		}
	}
	snprintf(what, sizeof(what), "%s: BLKDISCARD to a bad address is "
		 "EFAULT", d->dev);
	errno = 0;
	result(what, ioctl(fd, BLKDISCARD, (void *)8) == -1 && errno == EFAULT,
	       "errno %d", errno);
	close(fd);
}

/* Partition table re-reading (guest: partitions are scanned there). */
static void check_rrpart(const struct disk *d)
{
	char what[128], name[80];
	uint64_t base;
	int fd = open_part(d, NULL, O_RDONLY, &base), pfd;
	unsigned ma, mi;
	unsigned long long blocks;

	snprintf(what, sizeof(what), "%s: BLKRRPART re-reads the table", d->dev);
	result(what, ioctl(fd, BLKRRPART, 0) == 0, "%s", strerror(errno));
	part_name(d, d->parts[0].partno, name, sizeof(name));
	snprintf(what, sizeof(what), "%s: its partitions are back", d->dev);
	result(what, proc_partitions(name, &ma, &mi, &blocks) == 0 &&
	       blocks == d->parts[0].sectors / 2, "%s missing", name);
	pfd = open_part(d, &d->parts[0], O_RDONLY, &base);
	snprintf(what, sizeof(what), "%s: BLKRRPART while a partition is open "
		 "is EBUSY", d->dev);
	errno = 0;
	result(what, ioctl(fd, BLKRRPART, 0) == -1 && errno == EBUSY,
	       "errno %d", errno);
	snprintf(what, sizeof(what), "%s: BLKRRPART on a partition is EINVAL",
		 name);
	errno = 0;
	result(what, ioctl(pfd, BLKRRPART, 0) == -1 && errno == EINVAL,
	       "errno %d", errno);
	close(pfd);
	close(fd);
}

/* Many reads in flight: READERS processes at random places of every
 * filled partition (through the partition and through the disk). */
static int reader(unsigned seed)
{
	static uint8_t buf[CHUNK];
	int fails = 0;

	for (int i = 0; i < READS_PER_READER; i++) {
		const struct disk *d = &disks[rand_r(&seed) % ndisks];
		const struct part *p = NULL;
		uint64_t base, start = 0, size, off;
		size_t len;
		int fd;

		if (d->nparts) {
			p = &d->parts[rand_r(&seed) % d->nparts];
			if (strcmp(p->kind, "fill") != 0)
				continue;
			start = p->start * 512;
		} else if (!d->fill) {
			continue;
		}
		size = (p ? p->sectors : d->sectors) * 512;
		off = ((uint64_t)rand_r(&seed) << 16 ^ rand_r(&seed)) % size;
		len = 1 + rand_r(&seed) % CHUNK;
		if (len > size - off)
			len = size - off;
		/* Half through the partition's node, half through the
		 * disk's (the host has only the disk's). */
		if (p && !host && rand_r(&seed) % 2) {
			fd = open_part(d, p, O_RDONLY, &base);
			base = 0;
		} else {
			fd = open_part(d, NULL, O_RDONLY, &base);
			base = start;
		}
		if (fd < 0)
			return 1;
		if (pread(fd, buf, len, (off_t)(base + off)) != (ssize_t)len ||
		    pattern_check(d, start + off, buf, len) >= 0)
			fails++;
		close(fd);
	}
	return fails ? 1 : 0;
}

static void check_concurrent(void)
{
	pid_t pids[READERS];
	int bad = 0;

	for (int i = 0; i < READERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(reader(1234u + (unsigned)i * 7919u));
	}
	for (int i = 0; i < READERS; i++) {
		int st;
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i] ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	result("concurrent random preads (8 processes) read the pattern",
	       bad == 0, "%d readers failed", bad);
}

/* Writes on the partition marked "write", then fsync; the host checks
 * the image after the power off (verify mode). */
static void check_writes(const struct disk *d, const struct part *p)
{
	static uint8_t buf[8192], back[8192];
	struct write_op ops[3];
	uint64_t base, start = p->start * 512, size = p->sectors * 512;
	int fd = open_part(d, p, O_RDWR, &base);
	char what[160], pfx[32];
	ssize_t n;
	int ok = 1;

	snprintf(pfx, sizeof(pfx), "%.7s part %d", d->id, p->partno);

	if (fd < 0) {
		result(pfx, 0, "%s", strerror(errno));
		return;
	}
	write_ops(p, ops);
	for (int w = 0; w < 3; w++) {
		/* The last one reaches past the partition's end (the host
		 * writes through the disk: exactly what fits). */
		size_t len = w == 2 && !host ? 8192 : ops[w].len;

		for (size_t j = 0; j < len && j < sizeof(buf); j++)
			buf[j] = write_byte(start + ops[w].off + j);
		if (w == 1) {
			/* 64 KiB in 8 KiB pieces */
			for (size_t k = 0; k < len; k += 8192) {
				for (size_t j = 0; j < 8192; j++)
					buf[j] = write_byte(start + ops[w].off + k + j);
				if (pwrite(fd, buf, 8192, (off_t)(base + ops[w].off + k)) != 8192)
					ok = 0;
			}
			continue;
		}
		n = pwrite(fd, buf, len, (off_t)(base + ops[w].off));
		snprintf(what, sizeof(what), "%s: pwrite of %zu bytes at %llu "
			 "writes %zu", pfx, len, (unsigned long long)ops[w].off,
			 ops[w].len);
		result(what, n == (ssize_t)ops[w].len, "%zd %s", n,
		       strerror(errno));
	}
	snprintf(what, sizeof(what), "%s: pwrite of 64 KiB in 8 KiB pieces",
		 pfx);
	result(what, ok, "short");
	if (!host) {
		errno = 0;
		n = pwrite(fd, buf, 1, (off_t)size);
		snprintf(what, sizeof(what), "%s: pwrite at its end is ENOSPC",
			 pfx);
		result(what, n == -1 && errno == ENOSPC, "%zd errno %d", n,
		       errno);
	}
	snprintf(what, sizeof(what), "%s: fsync", pfx);
	result(what, fsync(fd) == 0, "%s", strerror(errno));
	/* Read back through the disk node too. */
	for (int w = 0; w < 3; w++) {
		uint64_t dbase;
		int dfd = open_part(d, NULL, O_RDONLY, &dbase);
		size_t len = ops[w].len < sizeof(back) ? ops[w].len : sizeof(back);

		ok = pread(dfd, back, len, (off_t)(start + ops[w].off)) ==
		     (ssize_t)len;
		for (size_t j = 0; ok && j < len; j++)
			ok = back[j] == write_byte(start + ops[w].off + j);
		snprintf(what, sizeof(what), "%s: write %d reads back through "
			 "the disk", pfx, w + 1);
		result(what, ok, "mismatch");
		close(dfd);
	}
	close(fd);
}

/*
 * Guest only (the host kernel may not read partition tables): change the
 * MBR of @d (split partition 2 into 2 and a new 3), BLKRRPART, and find
 * the new layout in /proc/partitions, /dev and the data.
 */
static void check_rescan(struct disk *d)
{
	static uint8_t sec[4096];
	uint64_t base, half, start;
	unsigned spb = d->lsize / 512, ma, mi;
	unsigned long long blocks;
	struct part *p2 = NULL;
	char what[128], name[80];
	int fd = open_part(d, NULL, O_RDWR, &base), pfd, ok;
	uint8_t buf[4096];

	for (int k = 0; k < d->nparts; k++)
		if (d->parts[k].partno == 2)
			p2 = &d->parts[k];
	if (fd < 0 || !p2 || pread(fd, sec, d->lsize, 0) != (ssize_t)d->lsize) {
		result("rescan: read the MBR", 0, "%s", strerror(errno));
		return;
	}
	half = p2->sectors / 2;
	start = p2->start + half;
	/* record 2 (index 1): half the size; record 3: the other half */
	uint32_t n2 = (uint32_t)(half / spb), s3 = (uint32_t)(start / spb);
	memcpy(sec + 0x1be + 16 + 12, &n2, 4);
	memset(sec + 0x1be + 32, 0, 16);
	sec[0x1be + 32 + 4] = 0x83;
	memcpy(sec + 0x1be + 32 + 8, &s3, 4);
	memcpy(sec + 0x1be + 32 + 12, &n2, 4);
	ok = pwrite(fd, sec, d->lsize, 0) == (ssize_t)d->lsize && fsync(fd) == 0;
	snprintf(what, sizeof(what), "%s: new table written, BLKRRPART",
		 d->dev);
	result(what, ok && ioctl(fd, BLKRRPART, 0) == 0, "%s", strerror(errno));
	part_name(d, 2, name, sizeof(name));
	snprintf(what, sizeof(what), "%s shrank to %llu blocks", name,
		 (unsigned long long)half / 2);
	result(what, proc_partitions(name, &ma, &mi, &blocks) == 0 &&
	       blocks == half / 2, "%llu", blocks);
	part_name(d, 3, name, sizeof(name));
	snprintf(what, sizeof(what), "%s appeared as 254:%d", name,
		 d->index * 16 + 3);
	result(what, proc_partitions(name, &ma, &mi, &blocks) == 0 &&
	       blocks == half / 2 && ma == 254 &&
	       mi == (unsigned)d->index * 16 + 3, "%u:%u %llu", ma, mi, blocks);
	struct part p3 = { .partno = 3, .start = start, .sectors = half };
	pfd = open_part(d, &p3, O_RDONLY, &base);
	snprintf(what, sizeof(what), "/dev/%s reads the data at its start",
		 name);
	result(what, pfd >= 0 && pread(pfd, buf, sizeof(buf), 0) ==
	       (ssize_t)sizeof(buf) &&
	       pattern_check(d, start * 512, buf, sizeof(buf)) < 0,
	       "%s", strerror(errno));
	if (pfd >= 0)
		close(pfd);
	close(fd);
}

static int do_check(void)
{
	if (!host)
		result("/proc/partitions header", proc_partitions_header(),
		       "bad header");
	for (int i = 0; i < ndisks; i++) {
		struct disk *d = &disks[i];

		check_node(d, NULL);
		check_sysfs(d, NULL);
		check_ioctls(d, NULL);
		check_end(d, NULL);
		check_errors(d);
		if (d->fill)
			check_read_all(d, NULL);
		if (!host)
			for (int k = 0; k < d->nparts; k++) {
				check_node(d, &d->parts[k]);
				check_sysfs(d, &d->parts[k]);
				check_ioctls(d, &d->parts[k]);
			}
		if (!host && d->nparts)
			check_no_extra_parts(d);
		for (int k = 0; k < d->nparts; k++) {
			struct part *p = &d->parts[k];
			if (strcmp(p->kind, "ext") == 0)
				continue;
			check_read_all(d, p);
			if (!host)
				check_end(d, p);
		}
		if (!host && d->nparts)
			check_rrpart(d);
	}
	check_concurrent();
	for (int i = 0; i < ndisks; i++)
		for (int k = 0; k < disks[i].nparts; k++)
			if (strcmp(disks[i].parts[k].kind, "write") == 0)
				check_writes(&disks[i], &disks[i].parts[k]);
	if (guest && find_disk("D"))
		check_rescan(find_disk("D"));
	printf("DISK summary: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (getpid() == 1) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		mkdir("/dev", 0755);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		mkdir("/sys", 0555);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4 || read_spec(argv[2])) {
		fprintf(stderr, "usage: disktest fill|check|verify SPEC ID=dev ...\n");
		ret = 2;
		goto out;
	}
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		struct disk *d;

		if (strcmp(argv[i], "--guest") == 0)
			guest = 1;
		else if (strcmp(argv[i], "--host") == 0)
			host = 1;
		else if (eq) {
			*eq = 0;
			d = find_disk(argv[i]);
			if (d)
				snprintf(d->dev, sizeof(d->dev), "%s", eq + 1);
		}
	}
	if (strcmp(argv[1], "fill") == 0)
		ret = do_fill();
	else if (strcmp(argv[1], "verify") == 0)
		ret = do_verify();
	else
		ret = do_check();
out:
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return ret;
}
