/*
 * procfs core: the "proc" file system type, inodes made from static
 * entry tables, directory lookup and listing, generated-text files and
 * computed symlinks.  The trees themselves are in procfs_root.c (/proc),
 * procfs_pid.c (/proc/<pid>), procfs_sys.c (/proc/sys) and sysfs.c.
 * See procfs_internal.h for the model and the locking.
 */
#include "vfs/procfs_internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

static const struct inode_operations proc_dir_iops;
static const struct inode_operations proc_link_iops;
static const struct inode_operations proc_magic_link_iops;
static const struct file_operations proc_dir_fops;
static const struct file_operations proc_file_fops;
static const struct super_operations proc_sops;

/* ---- text buffers ---- */

static bool buf_reserve(struct proc_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *n;

	if (b->failed)
		return false;
	if (b->len + need <= b->cap)
		return true;
	while (cap < b->len + need)
		cap *= 2;
	n = kmalloc(cap);
	if (!n) {
		b->failed = true;
		return false;
	}
	if (b->data) {
		memcpy(n, b->data, b->len);
		kfree(b->data);
	}
	b->data = n;
	b->cap = cap;
	return true;
}

void proc_write(struct proc_buf *b, const void *data, size_t len)
{
	if (!buf_reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void proc_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_vsnprintf(b->data ? b->data + b->len : NULL,
			     b->data ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (b->data && (size_t)n < b->cap - b->len)) {
		if (n > 0)
			b->len += (size_t)n;
		return;
	}
	if (!buf_reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	format_vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ---- inodes ---- */

const struct proc_inode *proc_inode_of(const struct inode *inode)
{
	return inode->fs_private;
}

static int owner_of(struct process *p, void *arg)
{
	uint32_t *ids = arg;

	ids[0] = p->cred.euid;
	ids[1] = p->cred.egid;
	return 0;
}

struct inode *proc_inode_new(struct super_block *sb,
			     const struct proc_entry *entry,
			     const struct proc_inode *pi)
{
	struct inode *inode = inode_alloc(sb, entry->mode);
	struct proc_inode *p = kmalloc(sizeof(*p));
	uint32_t ids[2] = { 0, 0 };

	if (!inode || !p) {
		kfree(p);
		if (inode) {
			inode->nlink = 0;
			inode_put(inode);
		}
		return NULL;
	}
	*p = *pi;
	p->entry = entry;
	inode->fs_private = p;
	if (p->pid)             /* files of a process belong to its owner */
		process_call_locked(p->pid, owner_of, ids);
	inode->uid = ids[0];
	inode->gid = ids[1];
	switch (entry->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &proc_dir_iops;
		inode->f_op = &proc_dir_fops;
		inode->nlink = 2;
		break;
	case S_IFLNK:
		inode->i_op = entry->jump ? &proc_magic_link_iops
					  : &proc_link_iops;
		inode->size = 0;
		break;
	default:
		inode->f_op = &proc_file_fops;
		break;
	}
	return inode;
}

static void proc_evict(struct inode *inode)
{
	kfree(inode->fs_private);
}

/* ---- directories ---- */

static struct inode *proc_lookup(struct inode *dir, const char *name,
				 size_t len)
{
	const struct proc_inode *pi = proc_inode_of(dir);
	const struct proc_dir *d = pi->entry->dir;
	const struct proc_entry *e = NULL;
	struct proc_inode child = { .pid = pi->pid, .tid = pi->tid, .fd = -1,
				    .obj = pi->obj };
	struct inode *inode;

	for (size_t i = 0; i < d->count && !e; i++)
		if (strlen(d->entries[i].name) == len &&
		    memcmp(d->entries[i].name, name, len) == 0)
			e = &d->entries[i];
	if (!e && d->lookup)
		e = d->lookup(pi, name, len, &child);
	if (!e)
		return NULL;
	inode = proc_inode_new(dir->sb, e, &child);
	return inode ? inode : ERR_PTR(-ENOMEM);
}

bool proc_emit(struct dir_context *ctx, uint64_t pos, const char *name,
	       unsigned mode)
{
	/* Generated names have no inode yet: a stable made-up number. */
	uint64_t ino = 0x40000000ull + pos;

	ctx->pos = pos;
	if (!ctx->emit(ctx, name, strlen(name), ino, dtype_of(mode)))
		return false;
	ctx->pos = pos + 1;
	return true;
}

static int proc_iterate(struct file *f, struct dir_context *ctx)
{
	struct dentry *dentry = f->path.dentry;
	const struct proc_inode *pi = proc_inode_of(f->inode);
	const struct proc_dir *d = pi->entry->dir;
	uint64_t self_ino, up_ino;

	vfs_lock();
	self_ino = dentry->inode->ino;
	up_ino = dentry->parent->inode->ino;
	vfs_unlock();
	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, self_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->emit(ctx, "..", 2, up_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (uint64_t i = ctx->pos - 2; ctx->pos < PROC_DYN_POS &&
	     i < d->count; i++) {
		if (!proc_emit(ctx, i + 2, d->entries[i].name,
			       d->entries[i].mode))
			return 0;
	}
	if (ctx->pos < PROC_DYN_POS)
		ctx->pos = PROC_DYN_POS;
	if (d->iterate)
		return d->iterate(pi, ctx);
	return 0;
}

/* Drop every cached name below @d (its process is gone). */
static void proc_prune(struct dentry *d)
{
	while (!list_empty(&d->children)) {
		struct dentry *c = list_first_entry(&d->children, struct dentry,
						    child_node);
		dget(c);
		proc_prune(c);
		d_drop(c);
		dput(c);
	}
}

static int fd_is_open(struct process *p, void *arg)
{
	return fdtable_is_open(p->files, *(const int *)arg) ? 0 : -EBADF;
}

static bool proc_revalidate(struct dentry *d)
{
	const struct proc_inode *pi = proc_inode_of(d->inode);
	bool ok = true;

	ASSERT(vfs_lock_held());
	if (pi->pid)
		ok = process_exists(pi->pid, pi->tid);
	if (ok && pi->fd >= 0)
		ok = process_call_locked(pi->pid, fd_is_open,
					 (void *)&pi->fd) == 0;
	if (!ok)
		proc_prune(d);
	return ok;
}

/* ---- generated files ---- */

struct proc_file {
	struct mutex lock;
	struct proc_buf buf;            /* [lock] */
	bool filled;                    /* [lock] */
};

static int proc_file_open(struct inode *inode, struct file *f)
{
	struct proc_file *pf = kzalloc(sizeof(*pf));

	if (!pf)
		return -ENOMEM;
	if ((f->fmode & FMODE_WRITE) && !proc_inode_of(inode)->entry->store) {
		kfree(pf);
		return -EACCES;
	}
	mutex_init(&pf->lock, "procfile");
	file_set_private(f, pf);
	return 0;
}

static void proc_file_release(struct file *f)
{
	struct proc_file *pf = file_private(f);

	kfree(pf->buf.data);
	kfree(pf);
}

/* Format the file afresh into pf->buf ([lock] held). */
static int proc_file_fill(struct proc_file *pf, const struct proc_inode *pi)
{
	int err;

	pf->buf.len = 0;
	pf->buf.failed = false;
	err = pi->entry->show(&pf->buf, pi);
	if (!err && pf->buf.failed)
		err = -ENOMEM;
	pf->filled = !err;
	return err;
}

static long proc_file_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct proc_file *pf = file_private(f);
	const struct proc_inode *pi = proc_inode_of(f->inode);
	long n = 0;
	int err = 0;

	mutex_lock(&pf->lock);
	if (*pos == 0 || !pf->filled)
		err = proc_file_fill(pf, pi);
	if (err) {
		n = err;
	} else if (*pos < pf->buf.len) {
		n = (long)MIN(b->len, pf->buf.len - *pos);
		if (iobuf_copy_out(b, 0, pf->buf.data + *pos, (size_t)n))
			n = -EFAULT;
		else
			*pos += (uint64_t)n;
	}
	mutex_unlock(&pf->lock);
	return n;
}

#define PROC_WRITE_MAX 256

/* A write goes to the entry's store in one piece, at offset 0 only: as
 * Linux's sysctl_writes_strict, a write further on is accepted and
 * ignored. */
static long proc_file_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	const struct proc_inode *pi = proc_inode_of(f->inode);
	size_t len = MIN(b->len, (size_t)PROC_WRITE_MAX);
	char buf[PROC_WRITE_MAX + 1];
	long n;

	if (*pos != 0)
		return (long)b->len;
	if (len == 0)
		return 0;
	if (iobuf_copy_in(buf, b, 0, len))
		return -EFAULT;
	buf[len] = '\0';
	n = pi->entry->store(pi, buf, len);
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

static bool proc_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

long proc_parse_int(const char *buf, size_t len, int *out)
{
	size_t i = 0;
	uint64_t v = 0;
	unsigned base = 10;
	bool neg = false, any = false;

	while (i < len && proc_space(buf[i]))
		i++;
	if (i < len && buf[i] == '-') {
		neg = true;
		i++;
	}
	if (i + 1 < len && buf[i] == '0' && (buf[i + 1] | 0x20) == 'x') {
		base = 16;
		i += 2;
	} else if (i < len && buf[i] == '0') {
		base = 8;
	}
	for (; i < len && digit_value(buf[i]) < (int)base; i++) {
		v = v * base + (uint64_t)digit_value(buf[i]);
		any = true;
		if (v > (uint64_t)INT32_MAX + 1)
			return -EINVAL;
	}
	if (!any || (i < len && !proc_space(buf[i])) ||
	    (!neg && v > (uint64_t)INT32_MAX))
		return -EINVAL;
	while (i < len && proc_space(buf[i]))
		i++;
	*out = neg ? (int)(0 - v) : (int)v;
	return (long)i;
}

/* ---- symlinks ---- */

static const char *proc_get_link(struct inode *inode)
{
	const struct proc_inode *pi = proc_inode_of(inode);
	char *buf = vfs_scratch_alloc(PATH_MAX);
	int err;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	err = pi->entry->link(pi, buf, PATH_MAX);
	return err ? ERR_PTR(err) : buf;
}

static int proc_jump_link(struct inode *inode, struct path *out)
{
	const struct proc_inode *pi = proc_inode_of(inode);

	return pi->entry->jump(pi, out);
}

/* ---- the file system ---- */

static int proc_statfs(struct super_block *sb, struct statfs_info *st)
{
	st->bsize = PAGE_SIZE;
	st->namelen = NAME_MAX;
	return 0;
}

static void proc_kill(struct super_block *sb)
{
	proc_prune(sb->root);
	dput(sb->root);
	kfree(sb);
}

struct super_block *proc_sb_new(const struct fs_type *type,
				const struct proc_entry *root, uint64_t magic)
{
	struct super_block *sb = sb_alloc(type, &proc_sops, magic);
	struct proc_inode pi = { .fd = -1 };
	struct inode *inode;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	inode = proc_inode_new(sb, root, &pi);
	if (!inode) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->root = d_alloc_root(sb, inode);
	if (!sb->root) {
		inode->nlink = 0;
		inode_put(inode);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return sb;
}

/* Every mount of "proc" is a new instance (as Linux's per-namespace
 * ones); they show the same processes. */
static struct super_block *proc_mount(const struct fs_type *type,
				      unsigned long flags, const char *data)
{
	return proc_sb_new(type, &proc_root_entry, PROC_SUPER_MAGIC);
}

const struct fs_type proc_type = {
	.name = "proc",
	.mount = proc_mount,
	.nodev = true,
};

static const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
};

static const struct inode_operations proc_link_iops = {
	.get_link = proc_get_link,
};

static const struct inode_operations proc_magic_link_iops = {
	.get_link = proc_get_link,
	.jump_link = proc_jump_link,
};

static const struct file_operations proc_dir_fops = {
	.iterate = proc_iterate,
};

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
};

static const struct super_operations proc_sops = {
	.evict = proc_evict,
	.statfs = proc_statfs,
	.kill = proc_kill,
	.revalidate = proc_revalidate,
};
