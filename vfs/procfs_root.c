/*
 * The top of /proc: global files, the self links, /proc/sys, and one
 * directory per process (named by pid, generated from the process list).
 */
#include "vfs/procfs_internal.h"
#include "block/block.h"
#include "include/errno.h"
#include "lib/format.h"
#include "process/process.h"

static int link_self(const struct proc_inode *pi, char *buf, size_t size)
{
	struct process *p = current_process();

	if (!p)
		return -ENOENT;         /* kernel threads have no /proc entry */
	format_snprintf(buf, size, "%d", p->pid);
	return 0;
}

static int link_thread_self(const struct proc_inode *pi, char *buf,
			    size_t size)
{
	struct process *p = current_process();

	if (!p)
		return -ENOENT;
	format_snprintf(buf, size, "%d/task/%d", p->pid, thread_current()->tid);
	return 0;
}

static int link_mounts(const struct proc_inode *pi, char *buf, size_t size)
{
	format_snprintf(buf, size, "self/mounts");
	return 0;
}

static int show_swaps(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

static int partition_line(struct block_device *b, void *arg)
{
	proc_printf(arg, "%4u  %7u %10llu %s\n", (unsigned)block_major(b),
		    (unsigned)block_minor(b),
		    (unsigned long long)(block_nr_sectors(b) >> 1), block_name(b));
	return 0;
}

/* /proc/partitions: every disk and partition, in 1 KiB blocks. */
static int show_partitions(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "major minor  #blocks  name\n\n");
	block_for_each(partition_line, b);
	return 0;
}

#define FILE(n, fn) { .name = n, .mode = S_IFREG | 0444, .show = fn }
#define LINK(n, fn) { .name = n, .mode = S_IFLNK | 0777, .link = fn }

static const struct proc_entry root_entries[] = {
	LINK("self", link_self),
	LINK("thread-self", link_thread_self),
	LINK("mounts", link_mounts),
	FILE("meminfo", proc_show_meminfo),
	FILE("cpuinfo", proc_show_cpuinfo),
	FILE("uptime", proc_show_uptime),
	FILE("loadavg", proc_show_loadavg),
	FILE("stat", proc_show_stat),
	FILE("filesystems", proc_show_filesystems),
	FILE("version", proc_show_version),
	FILE("cmdline", proc_show_cmdline),
	FILE("swaps", show_swaps),
	FILE("partitions", show_partitions),
	{ .name = "sys", .mode = S_IFDIR | 0555, .dir = &proc_sys_dir },
	{ .name = "net", .mode = S_IFDIR | 0555, .dir = &proc_net_dir },
};

/* A decimal number without sign or leading zeros, or -1. */
static int parse_id(const char *name, size_t len)
{
	long v = 0;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return (int)v;
}

static const struct proc_entry *root_lookup(const struct proc_inode *dir,
					    const char *name, size_t len,
					    struct proc_inode *pi)
{
	int pid = parse_id(name, len);

	if (pid <= 0 || !process_exists(pid, 0))
		return NULL;
	pi->pid = pid;
	pi->tid = 0;
	return proc_pid_entry();
}

static int root_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	int pids[32], n;
	char name[16];

	do {
		int after = (int)(ctx->pos - PROC_DYN_POS) - 1;

		n = process_list_pids(after, pids, (int)ARRAY_SIZE(pids));
		for (int i = 0; i < n; i++) {
			format_snprintf(name, sizeof(name), "%d", pids[i]);
			if (!proc_emit(ctx, PROC_DYN_POS + (uint64_t)pids[i], name,
				       S_IFDIR))
				return 0;
		}
	} while (n == (int)ARRAY_SIZE(pids));
	return 0;
}

static const struct proc_dir root_dir = {
	.entries = root_entries,
	.count = ARRAY_SIZE(root_entries),
	.lookup = root_lookup,
	.iterate = root_iterate,
};

const struct proc_entry proc_root_entry = {
	.name = "/", .mode = S_IFDIR | 0555, .dir = &root_dir,
};

int proc_parse_id(const char *name, size_t len)
{
	return parse_id(name, len);
}
