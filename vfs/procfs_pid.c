/*
 * /proc/<pid> and /proc/<pid>/task/<tid>: per-process files in the
 * formats of proc(5) (fs/proc/array.c, task_mmu.c for maps).
 *
 * Text files work on a snapshot (process_info_get) taken in ->read,
 * without vfs_lock; the snapshot holds references on the address space,
 * fs context and file table.  Symlinks (exe, cwd, root, fd/N) run under
 * vfs_lock, so they only look at the process under process_tree_lock
 * (process_call_locked) and take no reference that could need vfs_lock
 * to drop.
 */
#include "vfs/procfs_internal.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "sched/sched.h"

#define NS_PER_TICK (1000000000ull / HZ)        /* USER_HZ is HZ: 100 */
#define ARG_MAX_READ (128 * 1024)               /* cmdline/environ cap */

static uint64_t ns_to_ticks(uint64_t ns)
{
	return ns / NS_PER_TICK;
}

/* Snapshot the process or thread of @pi; -ESRCH once it is gone. */
static int snapshot(const struct proc_inode *pi, struct process_info *info)
{
	return process_info_get(pi->pid, pi->tid, info);
}

/* ---- stat, statm, status ---- */

void proc_format_stat(struct proc_buf *b, const struct process_info *info,
		      uint64_t vsize, uint64_t rss_pages)
{
	const struct mm_layout *l = info->mm ? mm_layout(info->mm) : NULL;
	static const struct mm_layout none;
	uint64_t rsslim = info->rlimits[RLIMIT_RSS].cur;

	if (!l)
		l = &none;
	/* Fields 1-13: pid (comm) state ppid pgrp session tty_nr tpgid
	 * flags minflt cminflt majflt cmajflt. */
	proc_printf(b, "%d (%s) %c %d %d %d %d %d %u 0 0 0 0 ",
		    info->tid ? info->tid : info->pid, info->comm, info->state,
		    info->ppid, info->pgid, info->sid, info->tty_nr,
		    info->tpgid, 0x400000u /* PF_RANDOMIZE */);
	/* 14-22: utime stime cutime cstime priority nice num_threads
	 * itrealvalue starttime. */
	proc_printf(b, "%lu %lu %ld %ld 20 0 %d 0 %lu ",
		    (unsigned long)ns_to_ticks(info->utime_ns),
		    (unsigned long)ns_to_ticks(info->stime_ns),
		    (long)ns_to_ticks(info->cutime_ns),
		    (long)ns_to_ticks(info->cstime_ns), info->num_threads,
		    (unsigned long)ns_to_ticks(info->start_ns));
	/* 23-30: vsize rss rsslim startcode endcode startstack kstkesp
	 * kstkeip (the last two are 0 unless the task is being dumped). */
	proc_printf(b, "%lu %lu %lu %lu %lu %lu 0 0 ", (unsigned long)vsize,
		    (unsigned long)rss_pages, (unsigned long)rsslim,
		    (unsigned long)l->start_code, (unsigned long)l->end_code,
		    (unsigned long)l->start_stack);
	/* 31-35: signal blocked sigignore sigcatch wchan (decimal). */
	proc_printf(b, "%lu %lu %lu %lu 0 ",
		    (unsigned long)(info->sig_pending | info->sig_shared_pending),
		    (unsigned long)info->sig_blocked,
		    (unsigned long)info->sig_ignored,
		    (unsigned long)info->sig_caught);
	/* 36-44: nswap cnswap exit_signal processor rt_priority policy
	 * delayacct_blkio_ticks guest_time cguest_time. */
	proc_printf(b, "0 0 %d 0 0 0 0 0 0 ", info->exit_signal);
	/* 45-52: start_data end_data start_brk arg_start arg_end env_start
	 * env_end exit_code. */
	proc_printf(b, "%lu %lu %lu %lu %lu %lu %lu %d\n",
		    (unsigned long)l->start_data, (unsigned long)l->end_data,
		    (unsigned long)l->start_brk, (unsigned long)l->arg_start,
		    (unsigned long)l->arg_end, (unsigned long)l->env_start,
		    (unsigned long)l->env_end, info->exit_code);
}

static int show_stat(struct proc_buf *b, const struct proc_inode *pi)
{
	struct process_info info;
	struct mm_usage u = { 0 };
	int err = snapshot(pi, &info);

	if (err)
		return err;
	if (info.mm)
		mm_usage(info.mm, &u);
	proc_format_stat(b, &info, u.total_pages * PAGE_SIZE, u.resident_pages);
	process_info_put(&info);
	return 0;
}

static int show_statm(struct proc_buf *b, const struct proc_inode *pi)
{
	struct process_info info;
	struct mm_usage u = { 0 };
	int err = snapshot(pi, &info);

	if (err)
		return err;
	if (info.mm)
		mm_usage(info.mm, &u);
	/* size resident shared text lib data dt, in pages. */
	proc_printf(b, "%lu %lu %lu %lu 0 %lu 0\n",
		    (unsigned long)u.total_pages,
		    (unsigned long)u.resident_pages,
		    (unsigned long)(u.file_pages + u.shmem_pages),
		    (unsigned long)u.exec_pages,
		    (unsigned long)(u.data_pages + u.stack_pages));
	process_info_put(&info);
	return 0;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static void status_kb(struct proc_buf *b, const char *name, uint64_t pages)
{
	proc_printf(b, "%s\t%8lu kB\n", name,
		    (unsigned long)(pages * (PAGE_SIZE / 1024)));
}

static void status_memory(struct proc_buf *b, struct mm *mm)
{
	struct mm_usage u;

	mm_usage(mm, &u);
	status_kb(b, "VmPeak:", u.total_pages);
	status_kb(b, "VmSize:", u.total_pages);
	status_kb(b, "VmLck:", 0);
	status_kb(b, "VmPin:", 0);
	status_kb(b, "VmHWM:", u.resident_pages);
	status_kb(b, "VmRSS:", u.resident_pages);
	status_kb(b, "RssAnon:", u.anon_pages);
	status_kb(b, "RssFile:", u.file_pages);
	status_kb(b, "RssShmem:", u.shmem_pages);
	status_kb(b, "VmData:", u.data_pages);
	status_kb(b, "VmStk:", u.stack_pages);
	status_kb(b, "VmExe:", u.exec_pages);
	status_kb(b, "VmLib:", 0);
	status_kb(b, "VmPTE:", 0);
	status_kb(b, "VmSwap:", 0);
}

static void status_ids(struct proc_buf *b, const struct process_info *info)
{
	const struct cred *c = &info->cred;
	unsigned fdsize = info->files ? READ_ONCE(info->files->size) : 0;

	proc_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		    "FDSize:\t%u\nGroups:\t", c->uid, c->euid, c->suid,
		    c->fsuid, c->gid, c->egid, c->sgid, c->fsgid, fdsize);
	for (uint32_t i = 0; i < c->ngroups && i < CRED_MAX_GROUPS; i++)
		proc_printf(b, "%u ", c->groups[i]);
	proc_printf(b, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		    info->pid, info->tid ? info->tid : info->pid, info->pgid,
		    info->sid);
}

static void status_signals(struct proc_buf *b, const struct process_info *info)
{
	bool root = info->cred.euid == 0;
	uint64_t caps = root ? 0x1ffffffffffull : 0;

	proc_printf(b, "Threads:\t%d\nSigQ:\t%d/%lu\nSigPnd:\t%016lx\n"
		    "ShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		    "SigCgt:\t%016lx\n", info->num_threads, info->sig_queued,
		    (unsigned long)info->rlimits[RLIMIT_SIGPENDING].cur,
		    (unsigned long)info->sig_pending,
		    (unsigned long)info->sig_shared_pending,
		    (unsigned long)info->sig_blocked,
		    (unsigned long)info->sig_ignored,
		    (unsigned long)info->sig_caught);
	proc_printf(b, "CapInh:\t0000000000000000\nCapPrm:\t%016lx\n"
		    "CapEff:\t%016lx\nCapBnd:\t000001ffffffffff\n"
		    "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n"
		    "Seccomp_filters:\t0\nSpeculation_Store_Bypass:\tvulnerable\n"
		    "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"
		    "Mems_allowed:\t1\nMems_allowed_list:\t0\n"
		    "voluntary_ctxt_switches:\t0\n"
		    "nonvoluntary_ctxt_switches:\t0\n",
		    (unsigned long)caps, (unsigned long)caps);
}

static int show_status(struct proc_buf *b, const struct proc_inode *pi)
{
	struct process_info info;
	int err = snapshot(pi, &info);

	if (err)
		return err;
	proc_printf(b, "Name:\t%s\n", info.comm);
	if (info.fs)
		proc_printf(b, "Umask:\t%04o\n", READ_ONCE(info.fs->umask));
	proc_printf(b, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		    "TracerPid:\t0\n", state_name(info.state), info.pid,
		    info.tid ? info.tid : info.pid, info.ppid);
	status_ids(b, &info);
	if (info.mm)
		status_memory(b, info.mm);
	status_signals(b, &info);
	process_info_put(&info);
	return 0;
}

static int show_comm(struct proc_buf *b, const struct proc_inode *pi)
{
	struct process_info info;
	int err = snapshot(pi, &info);

	if (err)
		return err;
	proc_printf(b, "%s\n", info.comm);
	process_info_put(&info);
	return 0;
}

/* ---- cmdline, environ: straight from the process's memory ---- */

static int show_user_range(struct proc_buf *b, const struct proc_inode *pi,
			   bool env)
{
	struct process_info info;
	const struct mm_layout *l;
	uaddr_t start, end;
	char *data;
	long n;
	int err = snapshot(pi, &info);

	if (err)
		return err;
	if (!info.mm)
		goto out;               /* zombies: empty */
	l = mm_layout(info.mm);
	start = env ? l->env_start : l->arg_start;
	end = env ? l->env_end : l->arg_end;
	if (end <= start)
		goto out;
	end = MIN(end, start + ARG_MAX_READ);
	data = kmalloc(end - start);
	if (!data) {
		err = -ENOMEM;
		goto out;
	}
	n = mm_read(info.mm, start, data, end - start);
	if (n > 0)
		proc_write(b, data, (size_t)n);
	kfree(data);
out:
	process_info_put(&info);
	return err;
}

static int show_cmdline(struct proc_buf *b, const struct proc_inode *pi)
{
	return show_user_range(b, pi, false);
}

static int show_environ(struct proc_buf *b, const struct proc_inode *pi)
{
	return show_user_range(b, pi, true);
}

/* ---- maps ---- */

struct maps_ctx {
	struct proc_buf *b;
	const struct mm_layout *layout;
	char path[PATH_MAX + 16];       /* a mapped file's name */
};

/* One line in the format of proc(5) (Linux task_mmu.c show_map_vma). */
static void maps_line(struct maps_ctx *m, const struct mm_vma_info *v)
{
	const struct mm_layout *l = m->layout;
	const char *name = NULL;
	size_t start = m->b->len;
	kdev_t dev = 0;
	uint64_t ino = 0;

	if (v->file) {
		dev = v->file->inode->sb->dev;
		ino = v->file->inode->ino;
		if (file_display_path(v->file, m->path, sizeof(m->path)) == 0)
			name = m->path;
	} else if (v->name) {
		name = v->name;         /* [vdso], [vvar] */
	} else if (v->vflags & VMA_GROWSDOWN) {
		name = "[stack]";
	} else if (v->start < l->brk && v->end > l->start_brk) {
		name = "[heap]";
	} else if (v->vflags & VMA_SHARED) {
		name = "/dev/zero (deleted)";
	}
	proc_printf(m->b, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
		    (unsigned long)v->start, (unsigned long)v->end,
		    (v->prot & VM_READ) ? 'r' : '-',
		    (v->prot & VM_WRITE) ? 'w' : '-',
		    (v->prot & VM_EXEC) ? 'x' : '-',
		    (v->vflags & VMA_SHARED) ? 's' : 'p',
		    (unsigned long)(v->pgoff * PAGE_SIZE), MAJOR(dev), MINOR(dev),
		    (unsigned long)ino);
	if (name) {
		/* Linux pads the name to column 73 (task_mmu.c seq_pad). */
		while (m->b->len - start < 73 && !m->b->failed)
			proc_write(m->b, " ", 1);
		proc_printf(m->b, "%s", name);
	}
	proc_printf(m->b, "\n");
}

static int show_maps(struct proc_buf *b, const struct proc_inode *pi)
{
	struct process_info info;
	struct maps_ctx *m;
	struct mm_vma_info *vmas;
	long n = 0;
	int err = snapshot(pi, &info);

	if (err)
		return err;
	m = kzalloc(sizeof(*m));
	if (m && info.mm)
		n = mm_snapshot_vmas(info.mm, &vmas);
	if (!m || n < 0) {
		err = -ENOMEM;
		goto out;
	}
	m->b = b;
	m->layout = info.mm ? mm_layout(info.mm) : NULL;
	/* Names are looked up with no mm lock held (vfs_lock ranks above). */
	for (long i = 0; i < n; i++)
		maps_line(m, &vmas[i]);
	if (info.mm)
		mm_snapshot_free(vmas, n);
out:
	kfree(m);
	process_info_put(&info);
	return err;
}

/* ---- symlinks: exe, cwd, root, fd/N ---- */

static int copy_exe(struct process *p, void *arg)
{
	if (!p->mm || !p->exe_path[0])
		return -ENOENT;
	strlcpy(arg, p->exe_path, sizeof(p->exe_path));
	return 0;
}

static int link_exe(const struct proc_inode *pi, char *buf, size_t size)
{
	char path[sizeof(((struct process *)0)->exe_path)];
	int err = process_call_locked(pi->pid, copy_exe, path);

	if (!err)
		strlcpy(buf, path, size);
	return err;
}

struct fs_query {
	bool root;
	struct path path;
};

static int copy_fs_path(struct process *p, void *arg)
{
	struct fs_query *q = arg;

	if (!p->fs)
		return -ENOENT;
	/* [V] fields; the caller holds vfs_lock, so they stay valid (an
	 * exiting process's fs_struct_put waits for vfs_lock). */
	q->path = q->root ? p->fs->root : p->fs->cwd;
	return 0;
}

static int link_fs_path(const struct proc_inode *pi, char *buf, size_t size,
			bool root)
{
	struct fs_query q = { .root = root };
	struct path my_root;
	int err = process_call_locked(pi->pid, copy_fs_path, &q);
	long n;

	if (err)
		return err == -ESRCH ? -ENOENT : err;
	namei_current_root(&my_root);
	n = d_path(&q.path, &my_root, buf, size);
	return n < 0 ? (int)n : 0;
}

static int link_cwd(const struct proc_inode *pi, char *buf, size_t size)
{
	return link_fs_path(pi, buf, size, false);
}

static int link_root(const struct proc_inode *pi, char *buf, size_t size)
{
	return link_fs_path(pi, buf, size, true);
}

struct fd_query {
	int fd;
	struct file *file;
};

static int get_fd_file(struct process *p, void *arg)
{
	struct fd_query *q = arg;

	q->file = p->files ? fdtable_lookup(p->files, q->fd) : NULL;
	return q->file ? 0 : -ENOENT;
}

static int link_fd(const struct proc_inode *pi, char *buf, size_t size)
{
	struct fd_query q = { .fd = pi->fd };
	struct path my_root;
	struct file *f;
	int err = process_call_locked(pi->pid, get_fd_file, &q);

	if (err)
		return -ENOENT;
	f = q.file;
	if (f->path.mnt) {
		long n;

		namei_current_root(&my_root);
		n = d_path(&f->path, &my_root, buf, size);
		err = n < 0 ? (int)n : 0;
		/* An unlinked file reads as "path (deleted)", as on Linux
		 * (internal mounts print the object's name instead). */
		if (!err && !f->path.mnt->internal &&
		    !f->path.dentry->linked &&
		    f->path.dentry != f->path.mnt->root) {
			size_t len = strlen(buf);
			format_snprintf(buf + len, size - len, " (deleted)");
		}
	} else if (f->inode && S_ISFIFO(f->inode->mode)) {
		format_snprintf(buf, size, "pipe:[%lu]",
				(unsigned long)f->inode->ino);
	} else if (f->inode && S_ISSOCK(f->inode->mode)) {
		format_snprintf(buf, size, "socket:[%lu]",
				(unsigned long)f->inode->ino);
	} else if (f->ops == &inotify_fops) {
		format_snprintf(buf, size, "anon_inode:inotify");
	} else {
		format_snprintf(buf, size, "anon_inode:[unknown]");
	}
	file_put_locked(f);
	return err;
}

/*
 * Following /proc/<pid>/fd/N reaches the open file's own path, as Linux's
 * magic links do: the same inode even after an unlink or rename, the same
 * pipe (a FIFO-like open of it), the same device.  The file stays pinned
 * until vfs_lock is released.
 */
static int jump_fd(const struct proc_inode *pi, struct path *out)
{
	struct fd_query q = { .fd = pi->fd };
	int err = process_call_locked(pi->pid, get_fd_file, &q);

	if (err)
		return -ENOENT;
	if (!q.file->path.dentry) {
		file_put_locked(q.file);
		return -ENOENT;         /* an object without a path */
	}
	err = vfs_defer_file_put(q.file);
	if (err) {
		file_put_locked(q.file);
		return err;
	}
	*out = q.file->path;
	return 0;
}

static const struct proc_entry fd_link_entry = {
	.name = "fd", .mode = S_IFLNK | 0700, .link = link_fd, .jump = jump_fd,
};

/* ---- fd/ ---- */

static int fd_check(struct process *p, void *arg)
{
	return fdtable_is_open(p->files, *(int *)arg) ? 0 : -ENOENT;
}

static const struct proc_entry *fd_lookup(const struct proc_inode *dir,
					  const char *name, size_t len,
					  struct proc_inode *pi)
{
	int fd = proc_parse_id(name, len);

	if (fd < 0 || process_call_locked(dir->pid, fd_check, &fd))
		return NULL;
	pi->fd = fd;
	return &fd_link_entry;
}

struct fd_list {
	unsigned from;
	int fds[32];
	unsigned count;
};

static int list_fds(struct process *p, void *arg)
{
	struct fd_list *l = arg;

	l->count = fdtable_list(p->files, l->from, l->fds, ARRAY_SIZE(l->fds));
	return 0;
}

static int fd_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	struct fd_list l;
	char name[16];

	do {
		l.from = (unsigned)(ctx->pos - PROC_DYN_POS);
		if (process_call_locked(dir->pid, list_fds, &l))
			return 0;
		for (unsigned i = 0; i < l.count; i++) {
			format_snprintf(name, sizeof(name), "%d", l.fds[i]);
			if (!proc_emit(ctx, PROC_DYN_POS + (uint64_t)l.fds[i],
				       name, S_IFLNK))
				return 0;
		}
	} while (l.count == ARRAY_SIZE(l.fds));
	return 0;
}

static const struct proc_dir fd_dir = {
	.lookup = fd_lookup,
	.iterate = fd_iterate,
};

/* ---- fdinfo/ ---- */

struct fdinfo_query {
	int fd;
	bool cloexec;
	struct file *file;
};

static int get_fdinfo_file(struct process *p, void *arg)
{
	struct fdinfo_query *q = arg;

	q->file = p->files ? fdtable_lookup_cloexec(p->files, q->fd,
						    &q->cloexec) : NULL;
	return q->file ? 0 : -ENOENT;
}

/* /proc/<pid>/fdinfo/N: offset, open flags (with O_CLOEXEC from the
 * descriptor), mount id and inode, then lines of the file's kind. */
static int show_fdinfo(struct proc_buf *b, const struct proc_inode *pi)
{
	struct fdinfo_query q = { .fd = pi->fd };
	char extra[160];
	struct file *f;
	int mnt_id = 0;

	if (process_call_locked(pi->pid, get_fdinfo_file, &q))
		return -ENOENT;
	f = q.file;
	if (f->path.mnt) {
		vfs_lock();
		mnt_id = proc_mount_id(f->path.mnt);
		vfs_unlock();
	}
	proc_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		    (long long)READ_ONCE(f->pos),
		    file_flags(f) | (q.cloexec ? O_CLOEXEC : 0), mnt_id,
		    (unsigned long)f->inode->ino);
	if (eventfd_show_fdinfo(f, extra, sizeof(extra)) > 0)
		proc_printf(b, "%s", extra);
	file_put(f);
	return 0;
}

static const struct proc_entry fdinfo_entry = {
	.name = "fdinfo", .mode = S_IFREG | 0444, .show = show_fdinfo,
};

static const struct proc_entry *fdinfo_lookup(const struct proc_inode *dir,
					      const char *name, size_t len,
					      struct proc_inode *pi)
{
	int fd = proc_parse_id(name, len);

	if (fd < 0 || process_call_locked(dir->pid, fd_check, &fd))
		return NULL;
	pi->fd = fd;
	return &fdinfo_entry;
}

static int fdinfo_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	struct fd_list l;
	char name[16];

	do {
		l.from = (unsigned)(ctx->pos - PROC_DYN_POS);
		if (process_call_locked(dir->pid, list_fds, &l))
			return 0;
		for (unsigned i = 0; i < l.count; i++) {
			format_snprintf(name, sizeof(name), "%d", l.fds[i]);
			if (!proc_emit(ctx, PROC_DYN_POS + (uint64_t)l.fds[i],
				       name, S_IFREG))
				return 0;
		}
	} while (l.count == ARRAY_SIZE(l.fds));
	return 0;
}

static const struct proc_dir fdinfo_dir = {
	.lookup = fdinfo_lookup,
	.iterate = fdinfo_iterate,
};

/* ---- task/ ---- */

static const struct proc_entry *task_lookup(const struct proc_inode *dir,
					    const char *name, size_t len,
					    struct proc_inode *pi)
{
	int tid = proc_parse_id(name, len);

	if (tid <= 0 || !process_exists(dir->pid, tid))
		return NULL;
	pi->tid = tid;
	return proc_tid_entry();
}

static int task_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	int tids[32], n;
	char name[16];

	do {
		int after = (int)(ctx->pos - PROC_DYN_POS) - 1;

		n = process_list_tids(dir->pid, after, tids,
				      (int)ARRAY_SIZE(tids));
		for (int i = 0; i < n; i++) {
			format_snprintf(name, sizeof(name), "%d", tids[i]);
			if (!proc_emit(ctx, PROC_DYN_POS + (uint64_t)tids[i],
				       name, S_IFDIR))
				return 0;
		}
	} while (n == (int)ARRAY_SIZE(tids));
	return 0;
}

static const struct proc_dir task_dir = {
	.lookup = task_lookup,
	.iterate = task_iterate,
};

/* ---- the directories ---- */

#define FILE(n, m, fn) { .name = n, .mode = S_IFREG | (m), .show = fn }
#define LINK(n, fn) { .name = n, .mode = S_IFLNK | 0777, .link = fn }

static const struct proc_entry pid_entries[] = {
	FILE("stat", 0444, show_stat),
	FILE("statm", 0444, show_statm),
	FILE("status", 0444, show_status),
	FILE("comm", 0644, show_comm),
	FILE("cmdline", 0444, show_cmdline),
	FILE("environ", 0400, show_environ),
	FILE("maps", 0444, show_maps),
	FILE("mounts", 0444, proc_show_mounts),
	FILE("mountinfo", 0444, proc_show_mountinfo),
	LINK("exe", link_exe),
	LINK("cwd", link_cwd),
	LINK("root", link_root),
	{ .name = "fd", .mode = S_IFDIR | 0500, .dir = &fd_dir },
	{ .name = "fdinfo", .mode = S_IFDIR | 0500, .dir = &fdinfo_dir },
	{ .name = "task", .mode = S_IFDIR | 0555, .dir = &task_dir },
};

/* task/<tid>: the same minus task/ itself. */
static const struct proc_dir tid_dir = {
	.entries = pid_entries,
	.count = ARRAY_SIZE(pid_entries) - 1,
};

static const struct proc_dir pid_dir = {
	.entries = pid_entries,
	.count = ARRAY_SIZE(pid_entries),
};

static const struct proc_entry pid_entry = {
	.name = "<pid>", .mode = S_IFDIR | 0555, .dir = &pid_dir,
};

static const struct proc_entry tid_entry = {
	.name = "<tid>", .mode = S_IFDIR | 0555, .dir = &tid_dir,
};

const struct proc_entry *proc_pid_entry(void)
{
	return &pid_entry;
}

const struct proc_entry *proc_tid_entry(void)
{
	return &tid_entry;
}
