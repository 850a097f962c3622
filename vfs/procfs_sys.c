/*
 * /proc/sys: the sysctl files that BusyBox, OpenRC and libc read.  Read
 * only (writes give EACCES) except kernel/randomize_va_space.
 */
#include "vfs/procfs_internal.h"
#include "lib/string.h"
#include "process/process.h"
#include "process/system.h"
#include "ipc/ipc.h"

/* process/sys_info.c (uname, sethostname) provides the real one. */
__weak void uts_get_hostname(char *buf)
{
	strlcpy(buf, "(none)", UTS_FIELD_LEN);
}

static int show_hostname(struct proc_buf *b, const struct proc_inode *pi)
{
	char name[UTS_FIELD_LEN];

	uts_get_hostname(name);
	proc_printf(b, "%s\n", name);
	return 0;
}

static int show_osrelease(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "%s\n", UTS_RELEASE);
	return 0;
}

static int show_ostype(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "%s\n", UTS_SYSNAME);
	return 0;
}

static int show_version(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "%s\n", UTS_VERSION);
	return 0;
}

static int show_domainname(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "(none)\n");
	return 0;
}

/* A version 4 UUID from the kernel CSPRNG (RFC 4122 section 4.4). */
static void print_uuid(struct proc_buf *b, const uint8_t u[16])
{
	proc_printf(b, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		    "%02x%02x%02x%02x%02x%02x\n", u[0], u[1], u[2], u[3], u[4],
		    u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		    u[14], u[15]);
}

static void random_uuid(uint8_t u[16])
{
	random_get_bytes(u, 16);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
}

static int show_uuid(struct proc_buf *b, const struct proc_inode *pi)
{
	uint8_t u[16];

	random_uuid(u);
	print_uuid(b, u);
	return 0;
}

static int show_boot_id(struct proc_buf *b, const struct proc_inode *pi)
{
	static uint8_t id[16];          /* [vfs_lock] made on first read */
	uint8_t copy[16];

	vfs_lock();
	if (!id[6])
		random_uuid(id);        /* version nibble makes id[6] != 0 */
	memcpy(copy, id, sizeof(copy));
	vfs_unlock();
	print_uuid(b, copy);
	return 0;
}

/* Files whose value is a fixed number. */
#define NUMBER(fname, value)                                               \
	static int fname(struct proc_buf *b, const struct proc_inode *pi)  \
	{                                                                  \
		proc_printf(b, "%lu\n", (unsigned long)(value));           \
		return 0;                                                  \
	}
NUMBER(show_pid_max, 4194304)
NUMBER(show_threads_max, 32768)
NUMBER(show_ngroups_max, NGROUPS_MAX)
NUMBER(show_cap_last_cap, 40)
NUMBER(show_overcommit_memory, 0)
NUMBER(show_overcommit_ratio, 50)
NUMBER(show_max_map_count, 65530)
NUMBER(show_file_max, 1048576)
NUMBER(show_nr_open, 1048576)
NUMBER(show_pipe_max_size, 1048576)
NUMBER(show_inotify_events, INOTIFY_MAX_QUEUED_EVENTS)
NUMBER(show_inotify_instances, INOTIFY_MAX_USER_INSTANCES)
NUMBER(show_inotify_watches, INOTIFY_MAX_WATCHES)
NUMBER(show_msgmax, MSGMAX)
NUMBER(show_msgmnb, MSGMNB)
NUMBER(show_msgmni, MSGMNI)
NUMBER(show_shmmax, SHMMAX)
NUMBER(show_shmall, SHMALL)
NUMBER(show_shmmni, SHMMNI)

/* kernel.sem: SEMMSL SEMMNS SEMOPM SEMMNI. */
static int show_sem(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "%d\t%d\t%d\t%d\n", SEMMSL, SEMMNS, SEMOPM, SEMMNI);
	return 0;
}

static int show_randomize_va_space(struct proc_buf *b,
				   const struct proc_inode *pi)
{
	proc_printf(b, "%d\n", process_randomize_va_space());
	return 0;
}

static long store_randomize_va_space(const struct proc_inode *pi,
				     const char *buf, size_t len)
{
	int value;
	long n = proc_parse_int(buf, len, &value);

	if (n > 0)
		process_set_randomize_va_space(value);
	return n;
}

static int show_file_nr(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "0\t0\t1048576\n");      /* allocated, free, max */
	return 0;
}

static int show_printk(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "7\t4\t1\t7\n");
	return 0;
}

#define FILE(n, fn) { .name = n, .mode = S_IFREG | 0444, .show = fn }
#define DIR(n, d) { .name = n, .mode = S_IFDIR | 0555, .dir = &d }

static const struct proc_entry random_entries[] = {
	FILE("boot_id", show_boot_id),
	FILE("uuid", show_uuid),
};
static const struct proc_dir random_dir = {
	random_entries, ARRAY_SIZE(random_entries), NULL, NULL,
};

static const struct proc_entry kernel_entries[] = {
	FILE("hostname", show_hostname),
	FILE("domainname", show_domainname),
	FILE("osrelease", show_osrelease),
	FILE("ostype", show_ostype),
	FILE("version", show_version),
	FILE("pid_max", show_pid_max),
	FILE("threads-max", show_threads_max),
	FILE("ngroups_max", show_ngroups_max),
	FILE("cap_last_cap", show_cap_last_cap),
	FILE("printk", show_printk),
	{ .name = "randomize_va_space", .mode = S_IFREG | 0644,
	  .show = show_randomize_va_space, .store = store_randomize_va_space },
	DIR("random", random_dir),
	FILE("msgmax", show_msgmax),
	FILE("msgmnb", show_msgmnb),
	FILE("msgmni", show_msgmni),
	FILE("sem", show_sem),
	FILE("shmall", show_shmall),
	FILE("shmmax", show_shmmax),
	FILE("shmmni", show_shmmni),
};
static const struct proc_dir kernel_dir = {
	kernel_entries, ARRAY_SIZE(kernel_entries), NULL, NULL,
};

static const struct proc_entry vm_entries[] = {
	FILE("overcommit_memory", show_overcommit_memory),
	FILE("overcommit_ratio", show_overcommit_ratio),
	FILE("max_map_count", show_max_map_count),
};
static const struct proc_dir vm_dir = {
	vm_entries, ARRAY_SIZE(vm_entries), NULL, NULL,
};

static const struct proc_entry inotify_entries[] = {
	FILE("max_queued_events", show_inotify_events),
	FILE("max_user_instances", show_inotify_instances),
	FILE("max_user_watches", show_inotify_watches),
};
static const struct proc_dir inotify_dir = {
	inotify_entries, ARRAY_SIZE(inotify_entries), NULL, NULL,
};

static const struct proc_entry fs_entries[] = {
	DIR("inotify", inotify_dir),
	FILE("file-max", show_file_max),
	FILE("file-nr", show_file_nr),
	FILE("nr_open", show_nr_open),
	FILE("pipe-max-size", show_pipe_max_size),
};
static const struct proc_dir fs_dir = {
	fs_entries, ARRAY_SIZE(fs_entries), NULL, NULL,
};

static const struct proc_entry sys_entries[] = {
	DIR("kernel", kernel_dir),
	DIR("vm", vm_dir),
	DIR("fs", fs_dir),
};
const struct proc_dir proc_sys_dir = {
	sys_entries, ARRAY_SIZE(sys_entries), NULL, NULL,
};
