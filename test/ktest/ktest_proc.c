/*
 * In-kernel tests of procfs and sysfs through the VFS API.  They run in
 * a kernel thread before init exists, so there are no processes: per-pid
 * formatting is checked on a made-up snapshot, and /proc/self, which has
 * no target for a kernel thread, must give ENOENT (as Linux does for a
 * caller outside the pid namespace).
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "vfs/procfs_internal.h"

#define MNT "/tmp/ktest-proc"

static long read_all(const char *name, char *buf, size_t size)
{
	struct file *f = vfs_open(AT_FDCWD, name, O_RDONLY, 0);
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = file_read_kernel(f, buf, size - 1, 0);
	file_put(f);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int mount_at(const char *type)
{
	int err = vfs_mkdir(AT_FDCWD, "/tmp", 0755);

	if (err && err != -EEXIST)
		return err;
	err = vfs_mkdir(AT_FDCWD, MNT, 0755);
	if (err && err != -EEXIST)
		return err;
	return vfs_mount(type, AT_FDCWD, MNT, type, 0, NULL);
}

static void unmount(void)
{
	vfs_umount(AT_FDCWD, MNT, 0);
	vfs_rmdir(AT_FDCWD, MNT);
}

static const char *find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* Find "\n@key" (or @key at the start) in @text. */
static bool has_line(const char *text, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(text, key, n) == 0)
		return true;
	for (const char *p = text; *p; p++)
		if (*p == '\n' && strncmp(p + 1, key, n) == 0)
			return true;
	return false;
}

struct names {
	struct dir_context ctx;
	char seen[512];
	size_t len;
};

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    uint64_t ino, unsigned dtype)
{
	struct names *n = (struct names *)ctx;

	if (n->len + len + 2 >= sizeof(n->seen))
		return false;
	n->seen[n->len++] = ' ';
	memcpy(n->seen + n->len, name, len);
	n->len += len;
	n->seen[n->len] = '\0';
	return true;
}

static int list_dir(const char *name, struct names *n)
{
	struct file *f = vfs_open(AT_FDCWD, name, O_RDONLY | O_DIRECTORY, 0);
	int err;

	memset(n, 0, sizeof(*n));
	n->ctx.emit = collect;
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = vfs_iterate_dir(f, &n->ctx);
	file_put(f);
	return err;
}

KTEST(proc_global_files)
{
	char *buf = kmalloc(8192);
	long n;

	KEXPECT(buf);
	KEXPECT_EQ(mount_at("proc"), 0);
	n = read_all(MNT "/meminfo", buf, 8192);
	KEXPECT(n > 0);
	KEXPECT(strncmp(buf, "MemTotal:       ", 16) == 0);
	KEXPECT(has_line(buf, "MemFree:"));
	KEXPECT(has_line(buf, "MemAvailable:"));
	KEXPECT(has_line(buf, "SwapTotal:             0 kB\n"));
	n = read_all(MNT "/uptime", buf, 8192);
	KEXPECT(n > 0);
	{
		/* "secs.cc idle.cc\n": digits, '.', two digits, twice */
		const char *p = buf;
		int dots = 0, spaces = 0;

		for (; *p && *p != '\n'; p++) {
			dots += *p == '.';
			spaces += *p == ' ';
			KEXPECT((*p >= '0' && *p <= '9') || *p == '.' || *p == ' ');
		}
		KEXPECT_EQ(dots, 2);
		KEXPECT_EQ(spaces, 1);
		KEXPECT(p[-3] == '.');
	}
	KEXPECT(read_all(MNT "/version", buf, 8192) > 0);
	KEXPECT(strncmp(buf, "Linux version ", 14) == 0);
	KEXPECT(read_all(MNT "/filesystems", buf, 8192) > 0);
	KEXPECT(has_line(buf, "nodev\tproc\n"));
	KEXPECT(has_line(buf, "nodev\tsysfs\n"));
	KEXPECT(read_all(MNT "/sys/kernel/ostype", buf, 8192) == 6);
	KEXPECT(strcmp(buf, "Linux\n") == 0);
	KEXPECT(read_all(MNT "/sys/kernel/random/boot_id", buf, 8192) == 37);
	KEXPECT(buf[8] == '-' && buf[14] == '4');
	KEXPECT(read_all(MNT "/loadavg", buf, 8192) > 0);
	KEXPECT(strncmp(buf, "0.00 0.00 0.00 ", 15) == 0);
	KEXPECT(read_all(MNT "/stat", buf, 8192) > 0);
	KEXPECT(strncmp(buf, "cpu  ", 5) == 0);
	KEXPECT(has_line(buf, "btime "));
	KEXPECT(read_all(MNT "/cpuinfo", buf, 8192) > 0);
	KEXPECT(strncmp(buf, "processor\t: 0\nvendor_id\t: ", 26) == 0);
	KEXPECT(has_line(buf, "flags\t\t: fpu"));
	/* /proc/mounts is self/mounts: nothing for a kernel thread; the
	 * text itself comes from the mount table. */
	KEXPECT_EQ(read_all(MNT "/mounts", buf, 8192), -ENOENT);
	{
		struct proc_buf pb = { 0 };

		KEXPECT_EQ(proc_show_mounts(&pb, NULL), 0);
		proc_write(&pb, "", 1);
		KEXPECT(!pb.failed);
		KEXPECT(has_line(pb.data, "proc " MNT " proc rw,relatime 0 0\n"));
		kfree(pb.data);
		pb = (struct proc_buf){ 0 };
		KEXPECT_EQ(proc_show_mountinfo(&pb, NULL), 0);
		proc_write(&pb, "", 1);
		KEXPECT(!pb.failed);
		KEXPECT(find(pb.data, " / " MNT " rw,relatime - proc proc rw\n"));
		KEXPECT(has_line(pb.data, "20 19 0:1 / / rw,relatime - tmpfs "
				 "rootfs rw\n"));
		kfree(pb.data);
	}
	kfree(buf);
	unmount();
}

KTEST(proc_self_and_pids)
{
	char buf[64];
	struct names names;

	KEXPECT_EQ(mount_at("proc"), 0);
	/* A kernel thread is no process: /proc/self leads nowhere. */
	KEXPECT_EQ(vfs_readlink(AT_FDCWD, MNT "/self", buf, sizeof(buf)),
		   -ENOENT);
	KEXPECT_EQ(read_all(MNT "/self/stat", buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(vfs_readlink(AT_FDCWD, MNT "/mounts", buf, sizeof(buf)), 11);
	KEXPECT(memcmp(buf, "self/mounts", 11) == 0);
	/* No processes before init: no pid directories. */
	KEXPECT_EQ(read_all(MNT "/1/stat", buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(read_all(MNT "/01", buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(list_dir(MNT, &names), 0);
	KEXPECT(strncmp(names.seen, " . .. self thread-self mounts meminfo",
			37) == 0);
	KEXPECT(find(names.seen, " sys") != NULL);
	KEXPECT_EQ(list_dir(MNT "/sys/kernel", &names), 0);
	KEXPECT(find(names.seen, " hostname osrelease") == NULL);
	KEXPECT(find(names.seen, " osrelease ostype") != NULL);
	unmount();
}

KTEST(proc_file_semantics)
{
	char *buf = kmalloc(4096), small[8];
	struct file *f;
	struct iobuf b = { .user = false, .kbuf = small, .len = 5 };
	uint64_t pos = 0;
	long total = 0, n;

	KEXPECT(buf);
	KEXPECT_EQ(mount_at("proc"), 0);
	/* Read-only files: opening for writing fails even for root. */
	f = vfs_open(AT_FDCWD, MNT "/meminfo", O_WRONLY, 0);
	KEXPECT(IS_ERR(f) && PTR_ERR(f) == -EACCES);
	/* Small reads continue where the last ended. */
	f = vfs_open(AT_FDCWD, MNT "/version", O_RDONLY, 0);
	KEXPECT(!IS_ERR(f));
	while ((n = vfs_read(f, &b, &pos)) > 0) {
		KEXPECT(total + n < 4096);
		memcpy(buf + total, small, (size_t)n);
		total += n;
	}
	KEXPECT_EQ(n, 0);
	buf[total] = '\0';
	KEXPECT(strncmp(buf, "Linux version ", 14) == 0);
	KEXPECT(buf[total - 1] == '\n');
	/* Back to 0: formatted again, same text. */
	KEXPECT_EQ(vfs_lseek(f, 0, 0), 0);
	pos = 0;
	KEXPECT_EQ(vfs_read(f, &b, &pos), 5);
	KEXPECT(memcmp(small, "Linux", 5) == 0);
	file_put(f);
	kfree(buf);
	unmount();
}

/* Count space-separated fields after the ")" that ends comm. */
static int stat_fields(const char *s)
{
	const char *p = NULL;
	int fields = 2;

	for (const char *q = s; *q; q++)
		if (*q == ')')
			p = q;
	if (!p)
		return -1;
	for (p++; *p && *p != '\n'; p++)
		if (*p == ' ')
			fields++;
	return fields;
}

KTEST(proc_stat_format)
{
	struct process_info info;
	struct proc_buf b = { 0 };

	memset(&info, 0, sizeof(info));
	info.pid = 42;
	info.ppid = 1;
	info.pgid = 42;
	info.sid = 7;
	info.tty_nr = (4 << 8) | 64;    /* ttyS0 */
	info.tpgid = 42;
	info.state = 'S';
	info.num_threads = 3;
	info.utime_ns = 1500000000ull;  /* 150 ticks */
	info.start_ns = 2000000000ull;  /* 200 ticks */
	info.exit_signal = 17;
	info.sig_ignored = 1ull << 12;  /* SIGPIPE (13) */
	strlcpy(info.comm, "a b) c", sizeof(info.comm));
	proc_format_stat(&b, &info, 8192, 2);
	proc_write(&b, "", 1);
	KEXPECT(!b.failed);
	KEXPECT(strncmp(b.data, "42 (a b) c) S 1 42 7 1088 42 ", 29) == 0);
	KEXPECT_EQ(stat_fields(b.data), 52);
	KEXPECT(find(b.data, " 150 0 0 0 20 0 3 0 200 8192 2 ") != NULL);
	KEXPECT(find(b.data, " 0 0 4096 0 0 0 0 17 0 ") != NULL);
	kfree(b.data);
}

KTEST(sysfs_tree)
{
	struct path p;
	struct names names;

	KEXPECT_EQ(mount_at("sysfs"), 0);
	KEXPECT_EQ(vfs_lookup(AT_FDCWD, MNT "/class", LOOKUP_DIRECTORY, &p), 0);
	path_put(&p);
	KEXPECT_EQ(list_dir(MNT, &names), 0);
	KEXPECT(find(names.seen, " class dev devices") != NULL);
	KEXPECT(find(names.seen, " kernel") != NULL);
	KEXPECT_EQ(list_dir(MNT "/devices", &names), 0);
	KEXPECT(strcmp(names.seen, " . ..") == 0);
	unmount();
}
