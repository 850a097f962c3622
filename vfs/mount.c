/*
 * File system types, super blocks and the mount table: mount(2),
 * umount2(2) and pivot_root(2) (man 2 mount, umount2, pivot_root).
 *
 * Model: a mount attaches the root dentry of a super block (or, for a
 * bind mount, any dentry of it) at a dentry (the mount point) of a parent
 * mount.  The path walk crosses into the newest mount on a dentry
 * (mount_lookup) and back out through ".." at a mount root.  One mount
 * namespace: the propagation types (shared, slave, ...) are accepted and
 * every mount behaves as private.
 *
 * Flags live in two places, as on Linux: per mount (struct mount.flags:
 * MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, the atime flags,
 * MS_NOSYMFOLLOW) and per super block (sb->flags: MS_RDONLY,
 * MS_SYNCHRONOUS, ...).  A mount is read-only if either says so
 * (mount_readonly).  A plain remount sets both; MS_REMOUNT|MS_BIND only
 * the mount's.  Going read-only fails with EBUSY while a file is open for
 * writing through the mount (remount of the super block: through any of
 * its mounts); mount.writers counts them (FMODE_WRITER files).
 *
 * Lifetime: a mount is pinned by struct path holders (refcount).  A plain
 * umount fails with EBUSY while any exist or while mounts sit on it;
 * MNT_DETACH takes the mount and everything below it out of the
 * namespace at once (each becomes its own root) and frees each when its
 * last holder goes (path_put -> mount_release).  A super block lives while
 * mounts of it exist; the last one writes its data back and kills it.
 *
 * Locking: the type list, mount list, all mount fields and sb->mounts,
 * sb->flags are [V].
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#define snprintf format_snprintf
#include "lib/string.h"
#include "block/block.h"
#include "mm/mm.h"
#include "process/process.h"

#define FS_TYPES_MAX 16

static const struct fs_type *fs_types[FS_TYPES_MAX] = {  /* [V] */
	&tmpfs_type, &devtmpfs_type,
};
static unsigned anon_dev_next = 1;                      /* [V] */
static int mount_id_next = 20;                          /* [V] */
struct list_node mount_list = LIST_HEAD_INIT(mount_list);
struct mount *root_mount;

/* Per-mount flags that mount(2) sets, and the super-block flags a
 * remount may change (Linux's MS_RMT_MASK). */
#define MNT_FLAGS_MASK (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
			MS_NOSYMFOLLOW)
#define MNT_ATIME_MASK (MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
#define SB_RMT_MASK (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_LAZYTIME)
#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

int fs_type_register(const struct fs_type *type)
{
	int ret = -ENOSPC;

	vfs_lock();
	for (unsigned i = 0; i < FS_TYPES_MAX; i++) {
		if (fs_types[i] == type || (fs_types[i] &&
		    strcmp(fs_types[i]->name, type->name) == 0)) {
			ret = -EBUSY;
			break;
		}
		if (!fs_types[i]) {
			fs_types[i] = type;
			ret = 0;
			break;
		}
	}
	vfs_unlock();
	return ret;
}

const struct fs_type *fs_type_find(const char *name)
{
	for (unsigned i = 0; i < FS_TYPES_MAX && fs_types[i]; i++)
		if (strcmp(fs_types[i]->name, name) == 0)
			return fs_types[i];
	return NULL;
}

const struct fs_type *fs_type_nth(unsigned i)
{
	return i < FS_TYPES_MAX ? fs_types[i] : NULL;
}

size_t fs_type_list_text(char *buf, size_t size)
{
	size_t n = 0;

	vfs_lock();
	for (unsigned i = 0; i < FS_TYPES_MAX && fs_types[i]; i++)
		n += snprintf(buf + MIN(n, size), size - MIN(n, size), "%s\t%s\n",
			      fs_types[i]->nodev ? "nodev" : "",
			      fs_types[i]->name);
	vfs_unlock();
	return MIN(n, size);
}

struct super_block *sb_alloc(const struct fs_type *type,
			     const struct super_operations *ops, uint64_t magic)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	ASSERT(vfs_lock_held());
	if (!sb)
		return NULL;
	sb->type = type;
	sb->ops = ops;
	sb->magic = magic;
	sb->dev = MKDEV(0, anon_dev_next++);
	sb->next_ino = 1;
	return sb;
}

bool mount_readonly(const struct mount *m)
{
	return (m->flags & MS_RDONLY) || sb_rdonly(m->sb);
}

struct mount *mount_lookup(struct mount *mnt, struct dentry *d)
{
	struct list_node *pos;
	struct mount *found = NULL;

	ASSERT(vfs_lock_held());
	if (!d->mounted)
		return NULL;
	list_for_each(pos, &mount_list) {       /* newest last: keep the last */
		struct mount *m = list_entry(pos, struct mount, node);

		if (m->parent == mnt && m->mountpoint == d && m != mnt)
			found = m;
	}
	return found;
}

/* A mount of @root (a dentry of @sb) in no tree yet: its own parent. */
static struct mount *mount_alloc(struct super_block *sb, struct dentry *root,
				 unsigned long flags, const char *source)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t len = strlen(source);

	ASSERT(vfs_lock_held());
	if (!m)
		return NULL;
	m->source = kmalloc(len + 1);
	if (!m->source) {
		kfree(m);
		return NULL;
	}
	memcpy(m->source, source, len + 1);
	m->sb = sb;
	m->root = root;
	dget(root);
	m->flags = flags;
	m->parent = m;
	m->mountpoint = root;
	dget(root);
	m->id = mount_id_next++;
	sb->mounts++;
	list_init(&m->node);
	return m;
}

/* Hang @m (its own parent) on the dentry @mp of @parent; the mount
 * list is the caller's business. */
static void mount_hang(struct mount *m, struct mount *parent,
		       struct dentry *mp)
{
	ASSERT(m->parent == m);
	dput(m->mountpoint);
	m->parent = parent;
	m->mountpoint = mp;
	dget(mp);
	mp->mounted++;
}

void mount_graft(struct mount *m, const struct path *where)
{
	mount_hang(m, where->mnt, where->dentry);
	list_add_tail(&m->node, &mount_list);
}

void mount_ungraft(struct mount *m)
{
	list_del(&m->node);
	if (m->parent == m)
		return;
	m->mountpoint->mounted--;
	dput(m->mountpoint);
	m->parent = m;
	m->mountpoint = m->root;
	dget(m->root);
}

struct mount *mount_attach(struct super_block *sb, const struct path *where,
			   unsigned long flags, const char *source)
{
	struct mount *m = mount_alloc(sb, sb->root, flags, source);

	if (!m)
		return NULL;
	if (where)
		mount_graft(m, where);
	else
		list_add_tail(&m->node, &mount_list);
	return m;
}

/* The last mount of @sb is gone: write it back and free it. */
static void sb_release(struct super_block *sb)
{
	vfs_sync_sb_locked(sb);
	fsnotify_unmount(sb);
	if (sb->ops && sb->ops->kill)
		sb->ops->kill(sb);
}

/* Free the detached, unused @m (and its super block with the last). */
static void mount_free(struct mount *m)
{
	struct super_block *sb = m->sb;

	ASSERT(m->refcount == 0 && m->parent == m);
	dput(m->mountpoint);
	dput(m->root);
	kfree(m->source);
	kfree(m);
	if (--sb->mounts == 0)
		sb_release(sb);
}

void mount_release(struct mount *m)
{
	ASSERT(vfs_lock_held());
	if (m->detached && m->refcount == 0)
		mount_free(m);
}

/* A mount hanging on @m, or NULL. */
static struct mount *mount_child(struct mount *m)
{
	struct list_node *pos;

	list_for_each(pos, &mount_list) {
		struct mount *c = list_entry(pos, struct mount, node);

		if (c->parent == m && c != m)
			return c;
	}
	return NULL;
}

/* Take @m and every mount below it out of the namespace (each becomes a
 * root of its own), deepest first; free the unused. */
static void mount_detach_tree(struct mount *m)
{
	struct mount *child;

	while ((child = mount_child(m)) != NULL)
		mount_detach_tree(child);
	mount_ungraft(m);
	m->detached = true;
	mount_release(m);
}

/* The per-mount flags that mount(2) @flags ask for: relatime unless
 * noatime or strictatime is given (Linux's default). */
static unsigned long mnt_flags_of(unsigned long flags)
{
	unsigned long mf = flags & MNT_FLAGS_MASK;

	if (flags & MS_STRICTATIME)
		return mf & ~(MS_RELATIME | MS_NOATIME);
	if (!(flags & MS_NOATIME))
		mf |= MS_RELATIME;
	return mf;
}

int mount_new(const char *fstype, const struct path *where,
	      unsigned long flags, const char *source, const char *data)
{
	const struct fs_type *type = fs_type_find(fstype);
	unsigned long mflags = mnt_flags_of(flags);
	struct super_block *sb;
	struct mount *m;

	if (!type)
		return -ENODEV;
	if (type->mount_dev)
		sb = mount_dev_super(type, flags, source, data);
	else
		sb = type->mount(type, flags, data);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	if (sb->mounts == 0)            /* a new super block (not shared) */
		sb->flags = (flags & SB_FLAGS_MASK) | (sb->flags & MS_RDONLY);
	if (where && S_ISDIR(where->dentry->inode->mode) !=
	    S_ISDIR(sb->root->inode->mode)) {
		if (sb->mounts == 0)
			sb_release(sb);
		return -ENOTDIR;
	}
	m = mount_attach(sb, where, mflags, source ? source : fstype);
	if (!m) {
		if (sb->mounts == 0)
			sb_release(sb);
		return -ENOMEM;
	}
	if (!where)
		root_mount = m;
	return 0;
}

/* ---- bind mounts ---- */

bool dentry_is_below(struct dentry *d, struct dentry *anc)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

#define BIND_TREE_MAX 64

/* Undo bind_copy_tree's first @n copies (none is in the namespace). */
static void bind_free_copies(struct mount **tree, int n)
{
	while (n-- > 0) {
		mount_ungraft(tree[n]);
		mount_free(tree[n]);
	}
}

/* A copy of (@src, @root) and, with @rec, of every mount below @root,
 * outside the namespace: the copy of the top is tree[0], each other
 * copy hangs on its parent's copy.  *@count copies made; 0 or -errno. */
static int bind_copy_tree(struct mount *src, struct dentry *root, bool rec,
			  struct mount **tree, int *count)
{
	struct mount *orig[BIND_TREE_MAX];
	int n = 0;

	*count = 0;
	tree[0] = mount_alloc(src->sb, root, src->flags, src->source);
	if (!tree[0])
		return -ENOMEM;
	orig[0] = src;
	*count = n = 1;
	for (int i = 0; rec && i < n; i++) {
		struct list_node *pos;

		list_for_each(pos, &mount_list) {
			struct mount *c = list_entry(pos, struct mount, node);
			struct mount *copy;

			if (c->parent != orig[i] || c == orig[i] ||
			    (i == 0 && !dentry_is_below(c->mountpoint, root)))
				continue;
			if (n == BIND_TREE_MAX)
				return -ENOMEM;
			copy = mount_alloc(c->sb, c->root, c->flags, c->source);
			if (!copy)
				return -ENOMEM;
			/* Not in the list: this scan never sees copies. */
			mount_hang(copy, tree[i], c->mountpoint);
			tree[n] = copy;
			orig[n] = c;
			*count = ++n;
		}
	}
	return 0;
}

static int do_bind(const char *source, const struct path *where,
		   unsigned long flags)
{
	struct mount *tree[BIND_TREE_MAX];
	struct nameidata nd;
	int err, n;

	if (!source || !*source)
		return -EINVAL;
	err = namei_start(&nd, AT_FDCWD, source, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, source);
	if (err)
		return err;
	if (nd.cur.mnt->internal)
		return -EINVAL;
	if (S_ISDIR(where->dentry->inode->mode) !=
	    S_ISDIR(nd.cur.dentry->inode->mode))
		return -ENOTDIR;
	err = bind_copy_tree(nd.cur.mnt, nd.cur.dentry, flags & MS_REC, tree,
			     &n);
	if (err) {
		bind_free_copies(tree, n);
		return err;
	}
	mount_graft(tree[0], where);
	for (int i = 1; i < n; i++)
		list_add_tail(&tree[i]->node, &mount_list);
	return 0;
}

/* ---- move, remount, propagation ---- */

static int do_move(const char *source, const struct path *where)
{
	struct nameidata nd;
	struct mount *m, *p;
	int err;

	if (!source || !*source)
		return -EINVAL;
	err = namei_start(&nd, AT_FDCWD, source, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, source);
	if (err)
		return err;
	m = nd.cur.mnt;
	if (nd.cur.dentry != m->root || m->parent == m || m->internal)
		return -EINVAL;
	if (S_ISDIR(where->dentry->inode->mode) !=
	    S_ISDIR(m->root->inode->mode))
		return -ENOTDIR;
	for (p = where->mnt; ; p = p->parent) {    /* not below itself */
		if (p == m)
			return -ELOOP;
		if (p->parent == p)
			break;
	}
	mount_ungraft(m);
	mount_graft(m, where);
	return 0;
}

/* Files open for writing through the mounts of @sb (@m alone if set). */
static int writers_of(struct super_block *sb, struct mount *only)
{
	struct list_node *pos;
	int n = 0;

	if (only)
		return only->writers;
	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);

		if (m->sb == sb)
			n += m->writers;
	}
	return n;
}

/* The per-mount flags of a remount: atime flags kept unless given. */
static unsigned long remount_mnt_flags(struct mount *m, unsigned long flags)
{
	unsigned long mf = mnt_flags_of(flags);

	if (!(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME |
		       MS_STRICTATIME)))
		mf = (mf & ~MNT_ATIME_MASK) | (m->flags & MNT_ATIME_MASK);
	return mf;
}

static int do_remount(const struct path *where, unsigned long flags,
		      const char *data)
{
	struct mount *m = where->mnt;
	struct super_block *sb = m->sb;
	unsigned long mf = remount_mnt_flags(m, flags), sbf;
	int err;

	if (where->dentry != m->root || m->internal)
		return -EINVAL;
	if (flags & MS_BIND) {          /* this mount's flags only */
		if ((mf & MS_RDONLY) && !(m->flags & MS_RDONLY) &&
		    writers_of(sb, m))
			return -EBUSY;
		m->flags = mf;
		return 0;
	}
	sbf = (sb->flags & ~SB_RMT_MASK) | (flags & SB_RMT_MASK);
	if ((sbf & MS_RDONLY) && !sb_rdonly(sb)) {
		if (writers_of(sb, NULL))
			return -EBUSY;
		vfs_sync_sb_locked(sb); /* what was written reaches the disk */
	}
	if (!(sbf & MS_RDONLY) && sb->bdev && block_read_only(sb->bdev))
		return -EACCES;
	if (sb->ops && sb->ops->remount) {
		err = sb->ops->remount(sb, sbf, data);
		if (err)
			return err;
	}
	sb->flags = sbf;
	m->flags = mf;
	return 0;
}

/* MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE (one of them, maybe
 * with MS_REC): every mount stays private here. */
static int do_change_type(const struct path *where, unsigned long flags)
{
	unsigned long type = flags & ~(MS_REC | MS_SILENT);

	if (where->dentry != where->mnt->root)
		return -EINVAL;
	if (type == 0 || (type & (type - 1)) || !(type & MS_PROPAGATION))
		return -EINVAL;
	return 0;
}

int vfs_mount(const char *source, int dirfd, const char *target,
	      const char *fstype, unsigned long flags, const char *data)
{
	struct nameidata nd;
	struct path where;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	vfs_lock();
	err = namei_start(&nd, dirfd, target, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, target);
	if (err)
		goto out;
	if (current_cred()->euid != 0) {
		err = -EPERM;
		goto out;
	}
	where = nd.cur;
	/* Linux's order: remount (MS_BIND: of the mount alone), bind,
	 * propagation type, move, new mount. */
	if (flags & MS_REMOUNT)
		err = do_remount(&where, flags, data);
	else if (flags & MS_BIND)
		err = do_bind(source, &where, flags);
	else if (flags & MS_PROPAGATION)
		err = do_change_type(&where, flags);
	else if (flags & MS_MOVE)
		err = do_move(source, &where);
	else if (!fstype)
		err = -EINVAL;
	else
		err = mount_new(fstype, &where, flags, source, data);
out:
	vfs_unlock();
	return err;
}

/* ---- umount2 ---- */

static bool path_is_root(const struct path *p)
{
	struct path root;

	namei_current_root(&root);
	return p->mnt == root.mnt;
}

int vfs_umount(int dirfd, const char *target, int flags)
{
	struct nameidata nd;
	struct mount *m;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	vfs_lock();
	err = namei_start(&nd, dirfd, target,
			  (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, target);
	if (err)
		goto out;
	if (current_cred()->euid != 0) {
		err = -EPERM;           /* after the lookup, as Linux */
		goto out;
	}
	namei_cross_mounts(&nd.cur);    /* "." names the top mount too */
	m = nd.cur.mnt;
	if (nd.cur.dentry != m->root || m->internal || m->parent == m) {
		err = -EINVAL;
	} else if (flags & MNT_EXPIRE) {
		if (path_is_root(&nd.cur) || (flags & (MNT_FORCE | MNT_DETACH)))
			err = -EINVAL;
		else if (m->refcount > 0 || mount_child(m))
			err = -EBUSY;
		else if (!m->expiry_mark)
			err = -EAGAIN;  /* marked; unmounted next time if unused */
		else
			mount_detach_tree(m);
		if (err == -EAGAIN)
			m->expiry_mark = true;
	} else if (flags & MNT_DETACH) {
		mount_detach_tree(m);
	} else if (m->refcount > 0 || mount_child(m)) {
		err = -EBUSY;
	} else {
		mount_detach_tree(m);
	}
out:
	vfs_unlock();
	return err;
}

bool mount_path_reachable(struct mount *mnt, struct dentry *d,
			  const struct path *root)
{
	while (mnt != root->mnt && mnt->parent != mnt) {
		d = mnt->mountpoint;
		mnt = mnt->parent;
	}
	return mnt == root->mnt && dentry_is_below(d, root->dentry);
}

/* ---- /proc/mounts, /proc/<pid>/mountinfo ---- */

size_t mount_opts_text(char *buf, size_t size, const struct mount *m,
		       bool super)
{
	unsigned long f = m->flags, s = m->sb->flags;

	if (super)
		return snprintf(buf, size, "%s%s%s%s%s",
				sb_rdonly(m->sb) ? "ro" : "rw",
				(s & MS_SYNCHRONOUS) ? ",sync" : "",
				(s & MS_DIRSYNC) ? ",dirsync" : "",
				(s & MS_MANDLOCK) ? ",mand" : "",
				(s & MS_LAZYTIME) ? ",lazytime" : "");
	return snprintf(buf, size, "%s%s%s%s%s%s%s%s",
			(f & MS_RDONLY) ? "ro" : "rw",
			(f & MS_NOSUID) ? ",nosuid" : "",
			(f & MS_NODEV) ? ",nodev" : "",
			(f & MS_NOEXEC) ? ",noexec" : "",
			(f & MS_NOATIME) ? ",noatime" : "",
			(f & MS_NODIRATIME) ? ",nodiratime" : "",
			(f & MS_RELATIME) ? ",relatime" : "",
			(f & MS_NOSYMFOLLOW) ? ",nosymfollow" : "");
}

/* One /proc/mounts line's options: "ro"/"rw" of the mount (either
 * flag), the super block's, then the mount's. */
static size_t mounts_line_opts(char *buf, size_t size, const struct mount *m)
{
	char sbo[64], mo[96];
	const char *sbtail, *mtail;

	mount_opts_text(sbo, sizeof(sbo), m, true);
	mount_opts_text(mo, sizeof(mo), m, false);
	sbtail = sbo + 2;               /* past "ro"/"rw" */
	mtail = mo + 2;
	return snprintf(buf, size, "%s%s%s", mount_readonly(m) ? "ro" : "rw",
			sbtail, mtail);
}

size_t mount_list_text(char *buf, size_t size)
{
	struct list_node *pos;
	char *path = kmalloc(PATH_MAX);
	size_t n = 0;

	if (!path)
		return 0;
	vfs_lock();
	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);
		struct path p = { m, m->root }, root;
		size_t at;

		namei_current_root(&root);
		if (!mount_path_reachable(m, m->root, &root) ||
		    d_path(&p, &root, path, PATH_MAX) < 0)
			continue;
		at = MIN(n, size);
		n += snprintf(buf + at, size - at, "%s %s %s ", m->source, path,
			      m->sb->type->name);
		at = MIN(n, size);
		n += mounts_line_opts(buf + at, size - at, m);
		at = MIN(n, size);
		n += snprintf(buf + at, size - at, " 0 0\n");
	}
	vfs_unlock();
	kfree(path);
	return MIN(n, size);
}

bool mount_visible(struct mount *m, const struct path *root)
{
	return mount_path_reachable(m, m->root, root);
}

bool vfs_path_readonly(const struct path *p)
{
	bool ro;

	if (!p->mnt)
		return false;
	vfs_lock();
	ro = mount_readonly(p->mnt);
	vfs_unlock();
	return ro;
}
