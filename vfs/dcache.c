/*
 * Dentries and inodes: allocation, reference counts, the dentry cache.
 *
 * A dentry is a name in a directory.  It holds a reference on its parent
 * (so ".." always resolves) and on its inode.  A linked dentry (one that
 * is reachable by name) holds one more reference on itself, the "tree"
 * reference, dropped when the name goes away (unlink, rmdir, umount); the
 * dentry is freed when the last holder (open file, cwd, mount) lets go.
 * An inode is freed, and its file system told through ->evict, when its
 * last reference goes.
 *
 * The dentry cache is a hash table of (parent, name) for linked dentries.
 * Locking: every field here is [V], vfs_lock (a sleeping mutex).
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "time/clock.h"
#include "process/process.h"

#define DCACHE_BUCKETS 1024

static struct mutex vfs_mutex = MUTEX_INIT(vfs_mutex, "vfs");
static struct list_node dcache_hash[DCACHE_BUCKETS];   /* [V] lazily initialized */

void vfs_lock(void)
{
	mutex_lock(&vfs_mutex);
}

/* Scratch blocks handed out under vfs_lock (vfs_scratch_alloc) and file
 * references to drop (vfs_defer_file_put), both released right after
 * vfs_lock is.  [V] */
struct scratch {
	struct scratch *next;
	struct file *put;     /* a deferred file_put, or NULL */
	uint64_t data[];      /* 8-byte aligned */
};
static struct scratch *scratch_list;

static struct scratch *scratch_new(size_t size)
{
	struct scratch *s = kmalloc(sizeof(*s) + size);

	ASSERT(vfs_lock_held());
	if (!s)
		return NULL;
	s->put = NULL;
	s->next = scratch_list;
	scratch_list = s;
	return s;
}

void *vfs_scratch_alloc(size_t size)
{
	struct scratch *s = scratch_new(size);

	return s ? s->data : NULL;
}

int vfs_defer_file_put(struct file *f)
{
	struct scratch *s = scratch_new(0);

	if (!s)
		return -ENOMEM;
	s->put = f;
	return 0;
}

void vfs_unlock(void)
{
	struct scratch *s = scratch_list;

	scratch_list = NULL;
	mutex_unlock(&vfs_mutex);
	while (s) {
		struct scratch *next = s->next;

		if (s->put)
			file_put(s->put);       /* may take vfs_lock again */
		kfree(s);
		s = next;
	}
}

bool vfs_lock_held(void)
{
	return mutex_is_held(&vfs_mutex);
}

void vfs_now(struct timespec64 *ts)
{
	int64_t now = clock_realtime_ns();     /* follows clock_settime */

	ts->tv_sec = now / 1000000000LL;
	ts->tv_nsec = (long)(now % 1000000000LL);
}

/* ---- inodes ---- */

struct inode *inode_alloc(struct super_block *sb, unsigned mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));
	const struct cred *cred = current_cred();

	ASSERT(vfs_lock_held());
	if (!inode)
		return NULL;
	inode->ino = sb->next_ino++;
	inode->mode = mode;
	inode->uid = cred->fsuid;
	inode->gid = cred->fsgid;
	inode->nlink = 1;
	inode->sb = sb;
	inode->refcount = 1;
	mutex_init(&inode->data_lock, "inode");
	list_init(&inode->watches);
	vfs_now(&inode->mtime);
	inode->atime = inode->ctime = inode->btime = inode->mtime;
	sb->inode_count++;
	return inode;
}

void inode_get(struct inode *inode)
{
	ASSERT(vfs_lock_held());
	ASSERT(inode->refcount > 0);
	inode->refcount++;
}

void inode_put(struct inode *inode)
{
	ASSERT(vfs_lock_held());
	ASSERT(inode->refcount > 0);
	if (--inode->refcount > 0)
		return;
	fsnotify_inode_free(inode);
	if (inode->sb->ops && inode->sb->ops->evict)
		inode->sb->ops->evict(inode);
	locks_inode_free(inode);
	inode->sb->inode_count--;
	kfree(inode);
}

/* ---- dentries ---- */

static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;               /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

static struct list_node *bucket(struct dentry *parent, uint32_t hash)
{
	uint64_t k = hash ^ ((uint64_t)parent >> 4) ^ ((uint64_t)parent >> 17);

	struct list_node *b = &dcache_hash[k % DCACHE_BUCKETS];

	if (!b->next)           /* zero-initialized: empty, first use */
		list_init(b);
	return b;
}

void dget(struct dentry *d)
{
	ASSERT(vfs_lock_held());
	ASSERT(d->refcount > 0);
	d->refcount++;
}

static void d_free(struct dentry *d)
{
	/* The last dentry of an inode without links: it is deleted now
	 * (inotify's IN_DELETE_SELF, as Linux's dentry_unlink_inode). */
	if (d->inode && d->inode->nlink == 0)
		fsnotify_inode_removed(d->inode);
	if (d->inode)
		inode_put(d->inode);
	kfree(d->name);
	kfree(d);
}

void dput(struct dentry *d)
{
	ASSERT(vfs_lock_held());
	while (d) {
		struct dentry *parent = d->parent;

		ASSERT(d->refcount > 0);
		if (--d->refcount > 0)
			return;
		ASSERT(!d->linked && list_empty(&d->children));
		d_free(d);
		d = parent == d ? NULL : parent;
	}
}

static char *name_dup(const char *name, size_t len)
{
	char *s = kmalloc(len + 1);

	if (s) {
		memcpy(s, name, len);
		s[len] = '\0';
	}
	return s;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));

	ASSERT(vfs_lock_held());
	if (!d)
		return NULL;
	d->name = name_dup(name, len);
	if (!d->name) {
		kfree(d);
		return NULL;
	}
	d->name_len = len;
	d->hash = name_hash(name, len);
	d->parent = parent;
	d->sb = parent->sb;
	d->refcount = 1;
	list_init(&d->children);
	list_init(&d->child_node);
	list_init(&d->hash_node);
	dget(parent);
	return d;
}

struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	d->name = name_dup("/", 1);
	if (!d->name) {
		kfree(d);
		return NULL;
	}
	d->name_len = 1;
	d->parent = d;
	d->sb = sb;
	d->inode = inode;
	d->refcount = 1;        /* the super block's */
	list_init(&d->children);
	list_init(&d->child_node);
	list_init(&d->hash_node);
	return d;
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	ASSERT(vfs_lock_held());
	ASSERT(!d->inode);
	d->inode = inode;
}

static void d_link(struct dentry *d)
{
	struct dentry *parent = d->parent;

	d->cookie = parent->next_cookie++ + 3;  /* 1 and 2 are "." and ".." */
	list_add_tail(&d->child_node, &parent->children);
	list_add(&d->hash_node, bucket(parent, d->hash));
	d->linked = true;
}

static void d_unlink(struct dentry *d)
{
	list_del(&d->child_node);
	list_del(&d->hash_node);
	d->linked = false;
}

void d_add(struct dentry *d)
{
	ASSERT(vfs_lock_held());
	ASSERT(!d->linked);
	d_link(d);
	d->refcount++;          /* the tree reference */
}

struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
	uint32_t hash = name_hash(name, len);
	struct list_node *head = bucket(parent, hash), *pos;

	ASSERT(vfs_lock_held());
	list_for_each(pos, head) {
		struct dentry *d = list_entry(pos, struct dentry, hash_node);

		if (d->parent == parent && d->hash == hash &&
		    d->name_len == len && memcmp(d->name, name, len) == 0)
			return d;
	}
	return NULL;
}

void d_drop(struct dentry *d)
{
	ASSERT(vfs_lock_held());
	if (!d->linked)
		return;
	d_unlink(d);
	dput(d);                /* the tree reference */
}

char *vfs_name_dup(const char *name, size_t len)
{
	return name_dup(name, len);
}

void d_move(struct dentry *d, struct dentry *newparent, char *newname,
	    size_t len)
{
	struct dentry *oldparent = d->parent;

	ASSERT(vfs_lock_held());
	d_unlink(d);
	kfree(d->name);
	d->name = newname;
	d->name_len = len;
	d->hash = name_hash(newname, len);
	if (newparent != oldparent) {
		dget(newparent);
		d->parent = newparent;
	}
	d_link(d);
	if (newparent != oldparent)
		dput(oldparent);
}

/* ---- paths ---- */

void path_get_locked(const struct path *p)
{
	ASSERT(vfs_lock_held());
	if (p->mnt)
		p->mnt->refcount++;
	dget(p->dentry);
}

void path_put_locked(const struct path *p)
{
	struct mount *m = p->mnt;

	ASSERT(vfs_lock_held());
	dput(p->dentry);                /* before the mount may free its sb */
	if (m) {
		ASSERT(m->refcount > 0);
		m->refcount--;
		m->expiry_mark = false;         /* used: not expired */
		mount_release(m);
	}
}

void path_get(const struct path *p)
{
	vfs_lock();
	path_get_locked(p);
	vfs_unlock();
}

void path_put(const struct path *p)
{
	vfs_lock();
	path_put_locked(p);
	vfs_unlock();
}

/* ---- directories listed from the dentry tree ---- */

int dcache_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->path.dentry;
	struct list_node *pos;

	vfs_lock();
	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->inode->ino, DT_DIR))
			goto out;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct dentry *up = dir->parent;

		if (!ctx->emit(ctx, "..", 2, up->inode->ino, DT_DIR))
			goto out;
		ctx->pos = 2;
	}
	list_for_each(pos, &dir->children) {
		struct dentry *d = list_entry(pos, struct dentry, child_node);

		if (d->cookie < ctx->pos || !d->inode)
			continue;
		ctx->pos = d->cookie;
		if (!ctx->emit(ctx, d->name, d->name_len, d->inode->ino,
			       dtype_of(d->inode->mode)))
			goto out;
		ctx->pos = d->cookie + 1;
	}
out:
	vfs_unlock();
	return 0;
}
