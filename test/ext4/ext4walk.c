/*
 * ext4walk: walk a mounted ext2/3/4 tree and print one line per file
 * (inode, mode, owner, links, size, blocks, mtime to the ns, a CRC of
 * the contents read with read() and the same through mmap, symlink
 * targets, user xattrs, statfs fields) so that the output of this
 * kernel can be compared line by line with the host Linux's over the
 * same image.  Then checks that every change is refused with EROFS and
 * that directory cookies (telldir/seekdir) resume where they should.
 *
 * Guest (as /init): ext4walk --guest DEV:TYPE...  mounts each DEV on /mnt
 *                   as TYPE with MS_RDONLY (the images must not change),
 *                   checks it, unmounts; powers off at the end.
 * Host:             ext4walk --host LABEL DIR  (an image mounted -o ro;
 *                   LABEL: the guest's device name, e.g. vda)
 * Lines: "E4 ..." (compared), "E4CHECK name: PASS|FAIL detail".
 */
/* paths are bounded by the test images; truncation cannot happen there */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

static unsigned failures;
static const char *tag = "";    /* the image's label, e.g. "[vda] " */

static void check(const char *name, int ok, const char *detail)
{
	printf("E4CHECK %s%s: %s %s\n", tag, name, ok ? "PASS" : "FAIL", ok ? "" : detail);
	if (!ok)
		failures++;
}

static uint32_t crc32(uint32_t c, const uint8_t *p, size_t n)
{
	c = ~c;
	while (n--) {
		c ^= *p++;
		for (int i = 0; i < 8; i++)
			c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
	}
	return ~c;
}

static void file_crc(const char *path, off_t size, char *out, size_t outlen)
{
	static uint8_t buf[65536];
	uint32_t c = 0, m = 0;
	size_t chunk = 1;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(out, outlen, "open-errno-%d", errno);
		return;
	}
	/* growing odd-sized reads */
	while ((n = read(fd, buf, chunk)) > 0) {
		c = crc32(c, buf, n);
		chunk = chunk * 3 % 65521 + 1;
	}
	if (size > 0) {
		void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			m = 1;
		} else {
			m = crc32(0, p, size);
			munmap(p, size);
		}
	}
	close(fd);
	snprintf(out, outlen, "crc=%08x%s", c, (size > 0 && m != c) ? "-MMAP-DIFFERS" : "");
}

static void xattrs(const char *path, char *out, size_t outlen)
{
	char names[4096], val[4096];
	ssize_t n = llistxattr(path, names, sizeof(names));
	size_t used = 0;

	out[0] = 0;
	for (char *p = names; n > 0 && p < names + n; p += strlen(p) + 1) {
		if (strncmp(p, "user.", 5))
			continue;
		ssize_t v = lgetxattr(path, p, val, sizeof(val));
		used += snprintf(out + used, outlen - used, " %s=%zd:%08x", p, v,
				 v > 0 ? crc32(0, (uint8_t *)val, v) : 0);
		if (used >= outlen)
			break;
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *root, const char *rel, int depth)
{
	char path[4096], extra[8192], xa[4096];
	struct stat st;
	char **names = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (lstat(path, &st) < 0) {
		printf("E4 %s%s lstat-errno-%d\n", tag, rel, errno);
		return;
	}
	extra[0] = 0;
	if (S_ISREG(st.st_mode)) {
		file_crc(path, st.st_size, extra, sizeof(extra));
	} else if (S_ISLNK(st.st_mode)) {
		char t[4096];
		ssize_t l = readlink(path, t, sizeof(t) - 1);
		t[l > 0 ? l : 0] = 0;
		snprintf(extra, sizeof(extra), "-> %s", t);
	}
	xattrs(path, xa, sizeof(xa));
	printf("E4 %s%s ino=%lu mode=%o uid=%u gid=%u nlink=%lu size=%lld blocks=%lld mtime=%lld.%09ld %s%s\n",
	       tag, *rel ? rel : "/", (unsigned long)st.st_ino, st.st_mode, st.st_uid,
	       st.st_gid, (unsigned long)st.st_nlink, (long long)st.st_size,
	       (long long)st.st_blocks, (long long)st.st_mtim.tv_sec,
	       st.st_mtim.tv_nsec, extra, xa);
	if (!S_ISDIR(st.st_mode) || depth > 16)
		return;
	d = opendir(path);
	if (!d) {
		printf("E4 %s%s opendir-errno-%d\n", tag, rel, errno);
		return;
	}
	while ((e = readdir(d))) {
		struct stat cs;
		char sub[4096];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		/* d_type and d_ino agree with lstat */
		if (lstat(sub, &cs) == 0 && (cs.st_ino != e->d_ino ||
		    (e->d_type != DT_UNKNOWN && e->d_type != IFTODT(cs.st_mode))))
			printf("E4 %s%s/%s dirent-mismatch\n", tag, rel, e->d_name);
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		char r[4096];
		snprintf(r, sizeof(r), "%s/%s", rel, names[i]);
		walk(root, r, depth + 1);
		free(names[i]);
	}
	free(names);
}

/* telldir/seekdir: resuming at each cookie gives the entry after it. */
static void check_cookies(const char *dir)
{
	DIR *d = opendir(dir);
	static long cookies[8192];
	static char names[8192][256];
	size_t n = 0, bad = 0;
	struct dirent *e;

	if (!d) {
		check("cookies: opendir", 0, dir);
		return;
	}
	while (n < 8192) {
		e = readdir(d);
		if (!e)
			break;
		snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
		cookies[n++] = telldir(d);
	}
	for (size_t i = 0; i + 1 < n; i += 7) {
		seekdir(d, cookies[i]);
		e = readdir(d);
		if (!e || strcmp(e->d_name, names[i + 1]))
			bad++;
	}
	closedir(d);
	char detail[64];
	snprintf(detail, sizeof(detail), "%zu of %zu", bad, n);
	check("cookies: seekdir(telldir) resumes at the next entry", n > 2 && bad == 0, detail);
}

static void check_erofs(const char *mnt)
{
	char p[512], detail[64];
	int fd, r;

	snprintf(p, sizeof(p), "%s/newfile", mnt);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	snprintf(detail, sizeof(detail), "fd %d errno %d", fd, errno);
	check("create: EROFS", fd < 0 && errno == EROFS, detail);
	snprintf(p, sizeof(p), "%s/small", mnt);
	fd = open(p, O_WRONLY);
	snprintf(detail, sizeof(detail), "fd %d errno %d", fd, errno);
	check("open for writing: EROFS", fd < 0 && errno == EROFS, detail);
	r = unlink(p);
	check("unlink: EROFS", r < 0 && errno == EROFS, "");
	snprintf(p, sizeof(p), "%s/newdir", mnt);
	r = mkdir(p, 0755);
	check("mkdir: EROFS", r < 0 && errno == EROFS, "");
	snprintf(p, sizeof(p), "%s/xattrs", mnt);
	r = setxattr(p, "user.new", "v", 1, 0);
	snprintf(detail, sizeof(detail), "r %d errno %d", r, errno);
	check("setxattr: EROFS", r < 0 && errno == EROFS, detail);
	r = chmod(p, 0600);
	check("chmod: EROFS", r < 0 && errno == EROFS, "");
	char v[8];
	r = (int)getxattr(p, "user.nosuch", v, sizeof(v));
	check("getxattr of a missing name: ENODATA", r < 0 && errno == ENODATA, "");
	r = (int)getxattr(p, "user.n1", v, 2);
	check("getxattr into a short buffer: ERANGE", r < 0 && errno == ERANGE, "");
	struct statvfs sv;
	r = statvfs(mnt, &sv);
	check("statvfs: read-only", r == 0 && (sv.f_flag & ST_RDONLY), "");
	/* (not f_blocks nor f_bavail: Linux subtracts its overhead and
	 * reserved clusters) */
	printf("E4 %sstatfs bsize=%lu bfree=%lu files=%lu ffree=%lu namemax=%lu\n",
	       tag, sv.f_bsize, sv.f_bfree, sv.f_files, sv.f_ffree, sv.f_namemax);
}

/* The listing and the checks of one mounted image. */
static void check_tree(const char *mnt)
{
	char p[512];

	walk(mnt, "", 0);
	check_cookies(mnt);
	snprintf(p, sizeof(p), "%s/bigdir", mnt);
	if (access(p, F_OK) == 0)
		check_cookies(p);
	snprintf(p, sizeof(p), "%s/xattrs", mnt);
	if (access(p, F_OK) == 0)
		check_erofs(mnt);
}

/* Guest: mount DEV (as TYPE) on /mnt read-only, check, unmount. */
static void guest_image(const char *dev, const char *type, bool first)
{
	const char *mnt = "/mnt";
	char detail[64], t[64];
	int r;

	snprintf(t, sizeof(t), "[%s] ", dev + 5);
	tag = t;
	if (first) {
		r = mount(dev, mnt, "ext2", 0, NULL);
		check("mount as ext2 refuses an image with ext4 features",
		      r < 0 && errno == EINVAL, "");
	}
	r = mount(dev, mnt, type, MS_RDONLY, NULL);
	snprintf(detail, sizeof(detail), "errno %d", errno);
	printf("E4CHECK %smount as %s read-only: %s %s\n", tag, type,
	       r ? "FAIL" : "PASS", r ? detail : "");
	if (r) {
		failures++;
		return;
	}
	if (first) {
		struct stat st, ds;
		r = mount("/mnt/small", "/proc", "ext4", 0, NULL);
		check("mount of a regular file: ENOTBLK", r < 0 && errno == ENOTBLK, "");
		stat(mnt, &st);
		stat(dev, &ds);
		check("st_dev is the device's number", st.st_dev == ds.st_rdev, "");
		r = mount(dev, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL);
		snprintf(detail, sizeof(detail), "r %d errno %d", r, errno);
		check("remount read-only", r == 0, detail);
	}
	check_tree(mnt);
	r = umount(mnt);
	printf("E4CHECK %sumount: %s\n", tag, r ? "FAIL" : "PASS");
	if (r)
		failures++;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || (strcmp(argv[1], "--guest") && argc < 4)) {
		fprintf(stderr, "usage: ext4walk --guest DEV:TYPE... | --host LABEL DIR\n");
		return 2;
	}
	if (!strcmp(argv[1], "--guest")) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		mkdir("/mnt", 0755);
		for (int i = 2; i < argc; i++) {
			char dev[64], *type;
			snprintf(dev, sizeof(dev), "%s", argv[i]);
			type = strchr(dev, ':');
			if (!type)
				continue;
			*type++ = 0;
			guest_image(dev, type, i == 2);
		}
	} else {
		char t[64];
		snprintf(t, sizeof(t), "[%s] ", argv[2]);
		tag = t;
		check_tree(argv[3]);
	}
	printf("E4 done\n");
	printf("E4CHECK summary: %s %u failed\n", failures ? "FAIL" : "PASS", failures);
	if (!strcmp(argv[1], "--guest"))
		reboot(RB_POWER_OFF);
	return failures != 0;
}
