/* A tmpfs mounted MS_RDONLY: every write path gives EROFS (open for
 * writing, O_CREAT, mkdir, mknod, symlink, link, unlink, rmdir, rename,
 * chmod, chown, utimensat, truncate, setxattr); reads work; statfs and
 * /proc/mounts say ro; umount cleans up. */
#include "mount_util.h"
#include <sys/xattr.h>

int main(void)
{
	mount_test_begin();
	const char *m = mount_tmpfs("m", 0);
	char path[512], path2[512], opts[256], so[256];
	struct statfs st;
	int fd;

	snprintf(path, sizeof(path), "%s/file", m);
	contract_write_file(path, "data", 0644);
	snprintf(path2, sizeof(path2), "%s/dir", m);
	CHECK_OK(mkdir(path2, 0755));
	CHECK_OK(mount(NULL, m, NULL, MS_REMOUNT | MS_RDONLY, NULL));

	CHECK_ERRNO(open(path, O_WRONLY), EROFS);
	CHECK_ERRNO(open(path, O_RDWR), EROFS);
	CHECK_ERRNO(open(path, O_RDONLY | O_TRUNC), EROFS);
	fd = CHECK_OK(open(path, O_RDONLY));
	char buf[8];
	CHECK_EQ(read(fd, buf, 8), 4);
	CHECK_EQ(ftruncate(fd, 0), -1);
	close(fd);
	snprintf(path2, sizeof(path2), "%s/new", m);
	CHECK_ERRNO(open(path2, O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERRNO(mkdir(path2, 0755), EROFS);
	CHECK_ERRNO(mknod(path2, S_IFIFO | 0644, 0), EROFS);
	CHECK_ERRNO(symlink("file", path2), EROFS);
	CHECK_ERRNO(link(path, path2), EROFS);
	CHECK_ERRNO(rename(path, path2), EROFS);
	CHECK_ERRNO(unlink(path), EROFS);
	snprintf(path2, sizeof(path2), "%s/dir", m);
	CHECK_ERRNO(rmdir(path2), EROFS);
	CHECK_ERRNO(chmod(path, 0600), EROFS);
	CHECK_ERRNO(chown(path, 1, 1), EROFS);
	CHECK_ERRNO(utimensat(AT_FDCWD, path, NULL, 0), EROFS);
	CHECK_ERRNO(truncate(path, 0), EROFS);
	CHECK_ERRNO(setxattr(path, "user.x", "v", 1, 0), EROFS);
	CHECK_ERRNO(access(path, W_OK), EROFS);
	CHECK_OK(access(path, R_OK));

	CHECK_OK(statfs(m, &st));
	CHECK(st.f_flags & ST_RDONLY);
	CHECK(mounts_opts(m, opts, sizeof(opts)));
	CHECK(strncmp(opts, "ro,", 3) == 0);
	CHECK(mountinfo_opts(m, opts, so, sizeof(opts)));
	CHECK(strncmp(opts, "ro", 2) == 0);
	CHECK(strncmp(so, "ro", 2) == 0);

	/* Back to rw: writes work again. */
	CHECK_OK(mount(NULL, m, NULL, MS_REMOUNT, NULL));
	CHECK_OK(statfs(m, &st));
	CHECK(!(st.f_flags & ST_RDONLY));
	fd = CHECK_OK(open(path, O_WRONLY));
	close(fd);
	CHECK_OK(umount(m));
	CHECK(!is_mounted(m));
	return 0;
}
