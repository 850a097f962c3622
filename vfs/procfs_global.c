/*
 * System-wide files at the top of /proc, in the formats of proc(5):
 * meminfo, uptime, loadavg, stat, filesystems, version, cmdline, and the
 * mount tables (also served as /proc/<pid>/mounts and mountinfo).
 */
#include "vfs/procfs_internal.h"
#include "include/errno.h"
#include "lib/cmdline.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "process/system.h"
#include "sched/sched.h"
#include "time/clock.h"

#define KB_PER_PAGE (PAGE_SIZE / 1024)

/* "Name:" padded to 16 columns, the value in 8, then " kB" (meminfo.c). */
static void meminfo_line(struct proc_buf *b, const char *name, uint64_t kb)
{
	proc_printf(b, "%-16s%8lu kB\n", name, (unsigned long)kb);
}

int proc_show_meminfo(struct proc_buf *b, const struct proc_inode *pi)
{
	uint64_t total = pmm_total_page_count() * KB_PER_PAGE;
	uint64_t free = pmm_free_page_count() * KB_PER_PAGE;
	struct page_cache_stats pc;
	uint64_t shmem;
	static const char *const zero1[] = {
		"SwapCached:", "Active:", "Inactive:",
		"Active(anon):", "Inactive(anon):", "Active(file):",
		"Inactive(file):", "Unevictable:", "Mlocked:", "SwapTotal:",
		"SwapFree:",
	};
	static const char *const zero2[] = {
		"KReclaimable:", "Slab:", "SReclaimable:",
		"SUnreclaim:", "KernelStack:", "PageTables:", "NFS_Unstable:",
		"Bounce:", "WritebackTmp:",
	};

	/* As on Linux, Cached counts tmpfs and shared anonymous memory,
	 * which Shmem counts alone. */
	page_cache_stats(&pc);
	shmem = pc.shmem + mm_shared_anon_pages();
	meminfo_line(b, "MemTotal:", total);
	meminfo_line(b, "MemFree:", free);
	meminfo_line(b, "MemAvailable:", free);
	meminfo_line(b, "Buffers:", 0);
	meminfo_line(b, "Cached:", (pc.cached + mm_shared_anon_pages()) *
		     KB_PER_PAGE);
	for (size_t i = 0; i < ARRAY_SIZE(zero1); i++)
		meminfo_line(b, zero1[i], 0);
	meminfo_line(b, "Dirty:", pc.dirty * KB_PER_PAGE);
	meminfo_line(b, "Writeback:", pc.writeback * KB_PER_PAGE);
	meminfo_line(b, "AnonPages:", 0);
	meminfo_line(b, "Mapped:", 0);
	meminfo_line(b, "Shmem:", shmem * KB_PER_PAGE);
	for (size_t i = 0; i < ARRAY_SIZE(zero2); i++)
		meminfo_line(b, zero2[i], 0);
	meminfo_line(b, "CommitLimit:", total / 2);
	meminfo_line(b, "Committed_AS:", total - free);
	meminfo_line(b, "VmallocTotal:", KERNEL_VAREA_SIZE / 1024);
	meminfo_line(b, "VmallocUsed:", 0);
	meminfo_line(b, "VmallocChunk:", 0);
	meminfo_line(b, "Percpu:", 0);
	proc_printf(b, "HugePages_Total:       0\nHugePages_Free:        0\n"
		    "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	meminfo_line(b, "Hugepagesize:", HUGE_PAGE_SIZE / 1024);
	meminfo_line(b, "Hugetlb:", 0);
	return 0;
}

/* Seconds with two decimals, as uptime and loadavg print them. */
static void print_centi(struct proc_buf *b, uint64_t ns)
{
	proc_printf(b, "%lu.%02lu", (unsigned long)(ns / 1000000000ull),
		    (unsigned long)(ns / 10000000ull % 100));
}

int proc_show_uptime(struct proc_buf *b, const struct proc_inode *pi)
{
	uint64_t up = clock_uptime_ns();

	print_centi(b, up);
	proc_printf(b, " ");
	print_centi(b, up);     /* idle: no per-CPU idle accounting yet */
	proc_printf(b, "\n");
	return 0;
}

int proc_show_loadavg(struct proc_buf *b, const struct proc_inode *pi)
{
	int running, blocked, last;
	int total = process_count_states(&running, &blocked, &last);

	/* Load averages are not sampled yet. */
	proc_printf(b, "0.00 0.00 0.00 %d/%d %d\n", running, total, last);
	return 0;
}

int proc_show_stat(struct proc_buf *b, const struct proc_inode *pi)
{
	uint64_t ticks = clock_uptime_ns() / (1000000000ull / HZ);
	int running, blocked, last;

	process_count_states(&running, &blocked, &last);
	/* user nice system idle iowait irq softirq steal guest guest_nice,
	 * in USER_HZ (100) ticks.  No CPU-time accounting by CPU yet: all
	 * of it shows as idle. */
	for (int line = 0; line < 2; line++)
		proc_printf(b, "%s 0 0 0 %lu 0 0 0 0 0 0\n",
			    line ? "cpu0" : "cpu ", (unsigned long)ticks);
	proc_printf(b, "intr 0\nctxt 0\nbtime %ld\nprocesses %d\n"
		    "procs_running %d\nprocs_blocked %d\nsoftirq 0 0 0 0 0 0 0 "
		    "0 0 0 0\n", (long)clock_boot_epoch_seconds(), last,
		    running > 0 ? running : 1, 0);
	return 0;
}

int proc_show_filesystems(struct proc_buf *b, const struct proc_inode *pi)
{
	char *text = kmalloc(PAGE_SIZE);
	size_t n;

	if (!text)
		return -ENOMEM;
	n = fs_type_list_text(text, PAGE_SIZE);
	proc_write(b, text, n);
	kfree(text);
	return 0;
}

int proc_show_version(struct proc_buf *b, const struct proc_inode *pi)
{
	proc_printf(b, "%s version %s (kernel@build) (gcc) %s\n", UTS_SYSNAME,
		    UTS_RELEASE, UTS_VERSION);
	return 0;
}

/* The boot command line, rebuilt from its parsed words. */
int proc_show_cmdline(struct proc_buf *b, const struct proc_inode *pi)
{
	const struct cmdline *cl = &boot_cmdline;

	for (unsigned i = 0; i < cl->count; i++) {
		proc_printf(b, "%s%s", i ? " " : "", cl->names[i]);
		if (cl->values[i])
			proc_printf(b, "=%s", cl->values[i]);
	}
	if (cl->init_arg_count)
		proc_printf(b, "%s--", cl->count ? " " : "");
	for (unsigned i = 0; i < cl->init_arg_count; i++)
		proc_printf(b, " %s", cl->init_args[i]);
	proc_printf(b, "\n");
	return 0;
}

int proc_show_mounts(struct proc_buf *b, const struct proc_inode *pi)
{
	size_t size = PAGE_SIZE, n;
	char *text;

	/* mount_list_text truncates: grow until it fits. */
	for (;;) {
		text = kmalloc(size);
		if (!text)
			return -ENOMEM;
		n = mount_list_text(text, size);
		if (n < size - 1)
			break;
		kfree(text);
		size *= 2;
	}
	proc_write(b, text, n);
	kfree(text);
	return 0;
}

/* Path of @d inside its own file system (the "root" field). */
static void fs_relative_path(struct proc_buf *b, struct dentry *d)
{
	const char *names[32];
	size_t lens[32];
	int depth = 0;

	while (d != d->parent && depth < 32) {
		names[depth] = d->name;
		lens[depth++] = d->name_len;
		d = d->parent;
	}
	if (depth == 0)
		proc_printf(b, "/");
	while (depth-- > 0) {
		proc_printf(b, "/");
		proc_write(b, names[depth], lens[depth]);
	}
}

/* Mount ids are given at mount time; the internal mounts (pipefs,
 * anon_inodefs), in no namespace, use their device minor, which stays
 * below the first mount's id in practice. */
int proc_mount_id(struct mount *m)
{
	if (m->internal)
		return (int)MINOR(m->sb->dev);
	return m->id;
}

int proc_show_mountinfo(struct proc_buf *b, const struct proc_inode *pi)
{
	char *path = kmalloc(PATH_MAX);
	struct list_node *pos;
	struct path root;

	if (!path)
		return -ENOMEM;
	vfs_lock();
	namei_current_root(&root);
	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);
		struct path p = { m, m->root };
		char mo[96], so[64];

		if (!mount_visible(m, &root) ||
		    d_path(&p, &root, path, PATH_MAX) < 0)
			continue;
		mount_opts_text(mo, sizeof(mo), m, false);
		mount_opts_text(so, sizeof(so), m, true);
		proc_printf(b, "%d %d %u:%u ", proc_mount_id(m),
			    m->parent == m ? proc_mount_id(m) - 1 : proc_mount_id(m->parent),
			    MAJOR(m->sb->dev), MINOR(m->sb->dev));
		fs_relative_path(b, m->root);
		proc_printf(b, " %s %s - %s %s %s\n", path, mo,
			    m->sb->type->name, m->source, so);
	}
	vfs_unlock();
	kfree(path);
	return 0;
}
