/*
 * In-kernel tests of the VFS namespace: lookup, create, unlink, rename,
 * links, symlinks and the errors path resolution gives (path_resolution(7)).
 * They run as a kernel thread (root, cwd "/") on the root tmpfs.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "vfs/vfs.h"

static long put_file(const char *name, const char *text)
{
	struct file *f = vfs_open(AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC,
				  0644);
	struct iobuf b = { .user = false, .kbuf = (void *)text,
			   .len = strlen(text) };
	uint64_t pos = 0;
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = vfs_write(f, &b, &pos);
	file_put(f);
	return n;
}

static long get_file(const char *name, char *buf, size_t size)
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

static int lookup_err(const char *name, unsigned flags)
{
	struct path p;
	int err = vfs_lookup(AT_FDCWD, name, flags, &p);

	if (!err)
		path_put(&p);
	return err;
}

KTEST(vfs_initramfs_hostname)
{
	char buf[64];

	KEXPECT_EQ(get_file("/etc/hostname", buf, sizeof(buf)), 7);
	KEXPECT(strcmp(buf, "kernel\n") == 0);
	KEXPECT_EQ(lookup_err("/etc", LOOKUP_DIRECTORY), 0);
	KEXPECT_EQ(lookup_err("/dev/null", 0), 0);
}

KTEST(vfs_create_lookup_unlink)
{
	char buf[32];

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt1", 0755), -EEXIST);
	KEXPECT_EQ(put_file("/kt1/a", "hello"), 5);
	KEXPECT_EQ(get_file("/kt1/../kt1/./a", buf, sizeof(buf)), 5);
	KEXPECT(strcmp(buf, "hello") == 0);
	KEXPECT_EQ(lookup_err("/kt1/a/", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err("/kt1/a/b", 0), -ENOTDIR);
	KEXPECT_EQ(lookup_err("/kt1/missing", 0), -ENOENT);
	KEXPECT_EQ(lookup_err("", 0), -ENOENT);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt1/a", O_RDONLY | O_CREAT |
				    O_EXCL, 0644)), -EEXIST);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt1/new/", O_RDWR | O_CREAT,
				    0644)), -EISDIR);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt1", O_WRONLY, 0)), -EISDIR);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt1/a", O_RDONLY | O_DIRECTORY,
				    0)), -ENOTDIR);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1"), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/a"), -ENOTDIR);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/a/"), -ENOTDIR);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/."), -EINVAL);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/.."), -ENOTEMPTY);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/a"), 0);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt1/a"), -ENOENT);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt1/"), 0);
	KEXPECT_EQ(lookup_err("/kt1", 0), -ENOENT);
}

KTEST(vfs_name_limits)
{
	char *name = kmalloc(PATH_MAX + 16);

	KEXPECT(name != NULL);
	name[0] = '/';
	memset(name + 1, 'x', 256);
	name[257] = '\0';
	KEXPECT_EQ(lookup_err(name, 0), -ENAMETOOLONG);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, name, 0755), -ENAMETOOLONG);
	name[256] = '\0';               /* 255 bytes: fine, just missing */
	KEXPECT_EQ(lookup_err(name, 0), -ENOENT);
	for (int i = 0; i < PATH_MAX + 8; i += 2) {
		name[i] = '/';
		name[i + 1] = '.';
	}
	name[PATH_MAX + 8] = '\0';
	KEXPECT_EQ(lookup_err(name, 0), -ENAMETOOLONG);
	name[PATH_MAX - 2] = '\0';      /* 4094 bytes of "/./.": the root */
	KEXPECT_EQ(lookup_err(name, LOOKUP_DIRECTORY), 0);
	kfree(name);
}

KTEST(vfs_symlinks)
{
	char buf[64];

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt2", 0755), 0);
	KEXPECT_EQ(put_file("/kt2/target", "data"), 4);
	KEXPECT_EQ(vfs_symlink("target", AT_FDCWD, "/kt2/rel"), 0);
	KEXPECT_EQ(vfs_symlink("/kt2/target", AT_FDCWD, "/kt2/abs"), 0);
	KEXPECT_EQ(vfs_symlink("/kt2", AT_FDCWD, "/kt2/dirlink"), 0);
	KEXPECT_EQ(vfs_symlink("dangling", AT_FDCWD, "/kt2/dang"), 0);
	KEXPECT_EQ(vfs_symlink("loop2", AT_FDCWD, "/kt2/loop1"), 0);
	KEXPECT_EQ(vfs_symlink("loop1", AT_FDCWD, "/kt2/loop2"), 0);
	KEXPECT_EQ(vfs_symlink("x", AT_FDCWD, "/kt2/rel"), -EEXIST);
	KEXPECT_EQ(vfs_symlink("", AT_FDCWD, "/kt2/empty"), -ENOENT);
	KEXPECT_EQ(get_file("/kt2/rel", buf, sizeof(buf)), 4);
	KEXPECT_EQ(get_file("/kt2/abs", buf, sizeof(buf)), 4);
	KEXPECT_EQ(get_file("/kt2/dirlink/dirlink/rel", buf, sizeof(buf)), 4);
	KEXPECT_EQ(vfs_readlink(AT_FDCWD, "/kt2/abs", buf, sizeof(buf)), 11);
	KEXPECT(memcmp(buf, "/kt2/target", 11) == 0);
	KEXPECT_EQ(vfs_readlink(AT_FDCWD, "/kt2/abs", buf, 3), 3);
	KEXPECT_EQ(vfs_readlink(AT_FDCWD, "/kt2/target", buf, 3), -EINVAL);
	KEXPECT_EQ(lookup_err("/kt2/loop1", LOOKUP_FOLLOW), -ELOOP);
	KEXPECT_EQ(lookup_err("/kt2/loop1", 0), 0);
	KEXPECT_EQ(lookup_err("/kt2/loop1/x", 0), -ELOOP);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt2/abs", O_RDONLY | O_NOFOLLOW,
				    0)), -ELOOP);
	KEXPECT_EQ(lookup_err("/kt2/dirlink/", 0), 0);
	KEXPECT_EQ(lookup_err("/kt2/abs/", 0), -ENOTDIR);
	/* O_CREAT through a dangling link creates its target... */
	KEXPECT_EQ(put_file("/kt2/dang", "z"), 1);
	KEXPECT_EQ(get_file("/kt2/dangling", buf, sizeof(buf)), 1);
	/* ...but O_EXCL never follows one. */
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/kt2/abs", O_WRONLY | O_CREAT |
				    O_EXCL, 0644)), -EEXIST);
}

KTEST(vfs_symlink_chain_limit)
{
	char name[32], target[32];
	int i;

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt3", 0755), 0);
	KEXPECT_EQ(put_file("/kt3/l0", "end"), 3);
	/* l1 -> l0, ..., l41 -> l40: 40 links resolve, 41 do not. */
	for (i = 1; i <= 41; i++) {
		format_snprintf(name, sizeof(name), "/kt3/l%d", i);
		format_snprintf(target, sizeof(target), "l%d", i - 1);
		KEXPECT_EQ(vfs_symlink(target, AT_FDCWD, name), 0);
	}
	KEXPECT_EQ(lookup_err("/kt3/l40", LOOKUP_FOLLOW), 0);
	KEXPECT_EQ(lookup_err("/kt3/l41", LOOKUP_FOLLOW), -ELOOP);
}

KTEST(vfs_hard_links)
{
	struct path p;
	char buf[16];

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt4", 0755), 0);
	KEXPECT_EQ(put_file("/kt4/a", "abc"), 3);
	KEXPECT_EQ(vfs_link(AT_FDCWD, "/kt4/a", AT_FDCWD, "/kt4/b", 0), 0);
	KEXPECT_EQ(vfs_link(AT_FDCWD, "/kt4/a", AT_FDCWD, "/kt4/b", 0), -EEXIST);
	KEXPECT_EQ(vfs_link(AT_FDCWD, "/kt4", AT_FDCWD, "/kt4/d", 0), -EPERM);
	KEXPECT_EQ(vfs_link(AT_FDCWD, "/kt4/a", AT_FDCWD, "/dev/a", 0), -EXDEV);
	KEXPECT_EQ(vfs_lookup(AT_FDCWD, "/kt4/b", 0, &p), 0);
	KEXPECT_EQ(p.dentry->inode->nlink, 2);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/kt4/a"), 0);
	KEXPECT_EQ(p.dentry->inode->nlink, 1);
	path_put(&p);
	KEXPECT_EQ(get_file("/kt4/b", buf, sizeof(buf)), 3);
}

KTEST(vfs_rename)
{
	char buf[16];
	struct path p;

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt5", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt5/d1", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt5/d2", 0755), 0);
	KEXPECT_EQ(put_file("/kt5/f1", "one"), 3);
	KEXPECT_EQ(put_file("/kt5/f2", "two"), 3);
	KEXPECT_EQ(put_file("/kt5/d2/x", "x"), 1);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f1", AT_FDCWD, "/kt5/f2",
			      RENAME_NOREPLACE), -EEXIST);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f1", AT_FDCWD, "/kt5/f2", 0), 0);
	KEXPECT_EQ(get_file("/kt5/f2", buf, sizeof(buf)), 3);
	KEXPECT(strcmp(buf, "one") == 0);
	KEXPECT_EQ(lookup_err("/kt5/f1", 0), -ENOENT);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/d1", AT_FDCWD, "/kt5/d2", 0),
		   -ENOTEMPTY);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/d1", AT_FDCWD, "/kt5/f2", 0),
		   -ENOTDIR);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f2", AT_FDCWD, "/kt5/d1", 0),
		   -EISDIR);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/d1", AT_FDCWD, "/kt5/d1/sub", 0),
		   -EINVAL);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f2", AT_FDCWD, "/kt5/f3/", 0),
		   -ENOTDIR);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/.", AT_FDCWD, "/kt5/q", 0), -EBUSY);
	/* Move a directory: nlink of both parents follows. */
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/d1", AT_FDCWD, "/kt5/d2/d1", 0), 0);
	KEXPECT_EQ(vfs_lookup(AT_FDCWD, "/kt5/d2", 0, &p), 0);
	KEXPECT_EQ(p.dentry->inode->nlink, 3);
	path_put(&p);
	KEXPECT_EQ(lookup_err("/kt5/d2/d1/../x", 0), 0);
	/* Exchange a file and a directory. */
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f2", AT_FDCWD, "/kt5/d2",
			      RENAME_EXCHANGE), 0);
	KEXPECT_EQ(get_file("/kt5/d2", buf, sizeof(buf)), 3);
	KEXPECT_EQ(lookup_err("/kt5/f2/x", 0), 0);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f2", AT_FDCWD, "/kt5/none",
			      RENAME_EXCHANGE), -ENOENT);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt5/f2", AT_FDCWD, "/kt5/none",
			      RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL);
}

struct names {
	struct dir_context ctx;
	char seen[256];
	int count;
};

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    uint64_t ino, unsigned type)
{
	struct names *n = container_of(ctx, struct names, ctx);
	size_t at = strlen(n->seen);

	if (at + len + 2 > sizeof(n->seen))
		return false;
	memcpy(n->seen + at, name, len);
	n->seen[at + len] = ' ';
	n->seen[at + len + 1] = '\0';
	n->count++;
	return true;
}

KTEST(vfs_getdents_and_cwd)
{
	struct names n = { .ctx = { .emit = collect } };
	struct file *f;
	char buf[64];

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt6", 0755), 0);
	KEXPECT_EQ(put_file("/kt6/a", ""), 0);
	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt6/b", 0755), 0);
	KEXPECT_EQ(vfs_symlink("a", AT_FDCWD, "/kt6/c"), 0);
	f = vfs_open(AT_FDCWD, "/kt6", O_RDONLY | O_DIRECTORY, 0);
	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(vfs_iterate_dir(f, &n.ctx), 0);
	file_put(f);
	KEXPECT_EQ(n.count, 5);
	KEXPECT(strcmp(n.seen, ". .. a b c ") == 0);
	KEXPECT_EQ(vfs_getcwd(buf, sizeof(buf)), 2);
	KEXPECT(strcmp(buf, "/") == 0);
	KEXPECT_EQ(vfs_getcwd(buf, 1), -ERANGE);
}

KTEST(vfs_mount_tmpfs)
{
	struct path p;
	char buf[16];

	KEXPECT_EQ(vfs_mkdir(AT_FDCWD, "/kt7", 0755), 0);
	KEXPECT_EQ(put_file("/kt7/under", "u"), 1);
	KEXPECT_EQ(vfs_mount("none", AT_FDCWD, "/kt7", "tmpfs", 0, "mode=0700"), 0);
	KEXPECT_EQ(lookup_err("/kt7/under", 0), -ENOENT);
	KEXPECT_EQ(put_file("/kt7/over", "o"), 1);
	KEXPECT_EQ(vfs_lookup(AT_FDCWD, "/kt7", 0, &p), 0);
	KEXPECT_EQ(p.dentry->inode->mode, S_IFDIR | 0700);
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/kt7", 0), -EBUSY);
	path_put(&p);
	KEXPECT_EQ(lookup_err("/kt7/../kt7/over", 0), 0);
	KEXPECT_EQ(vfs_rename(AT_FDCWD, "/kt7/over", AT_FDCWD, "/kt7x", 0), -EXDEV);
	KEXPECT_EQ(vfs_rmdir(AT_FDCWD, "/kt7"), -EBUSY);
	KEXPECT_EQ(vfs_mount("none", AT_FDCWD, "/kt7", "nofs", 0, NULL), -ENODEV);
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/kt7/over", 0), -EINVAL);
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/kt7", 0), 0);
	KEXPECT_EQ(get_file("/kt7/under", buf, sizeof(buf)), 1);
	KEXPECT_EQ(vfs_umount(AT_FDCWD, "/kt7", 0), -EINVAL);
}
