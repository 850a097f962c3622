/* Remounting read-only while a file is open for writing is EBUSY (the
 * super block through any mount, a bind mount through itself); closing
 * it lets the remount succeed.  MS_REMOUNT|MS_BIND makes only that
 * mount read-only: the other mount of the same tmpfs stays writable. */
#include "mount_util.h"

int main(void)
{
	mount_test_begin();
	const char *a = mount_tmpfs("a", 0);
	const char *b = contract_path("b");
	char fa[512], fb[512], mo[256], so[256];
	struct statfs st;

	CHECK_OK(mkdir(b, 0755));
	CHECK_OK(mount(a, b, NULL, MS_BIND, NULL));
	snprintf(fa, sizeof(fa), "%s/f", a);
	snprintf(fb, sizeof(fb), "%s/f", b);
	int fd = CHECK_OK(open(fa, O_CREAT | O_WRONLY, 0644));

	CHECK_ERRNO(mount(NULL, a, NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	CHECK_ERRNO(mount(NULL, b, NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	/* Per mount: b has no writer of its own. */
	CHECK_OK(mount(NULL, b, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	CHECK_ERRNO(mount(NULL, a, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
		    EBUSY);
	CHECK_ERRNO(open(fb, O_WRONLY), EROFS);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK(mountinfo_opts(b, mo, so, sizeof(mo)));
	CHECK(strncmp(mo, "ro", 2) == 0);
	CHECK(strncmp(so, "rw", 2) == 0);
	CHECK_OK(statfs(b, &st));
	CHECK(st.f_flags & ST_RDONLY);
	CHECK_OK(statfs(a, &st));
	CHECK(!(st.f_flags & ST_RDONLY));
	close(fd);

	/* No writer left: the super block goes read-only, for both. */
	CHECK_OK(mount(NULL, a, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	CHECK_ERRNO(open(fa, O_WRONLY), EROFS);
	CHECK(mountinfo_opts(a, mo, so, sizeof(mo)));
	CHECK(strncmp(so, "ro", 2) == 0);
	/* Remount of a non-mount-point directory: EINVAL. */
	CHECK_ERRNO(mount(NULL, contract_tmpdir(), NULL, MS_REMOUNT, NULL),
		    EINVAL);
	CHECK_OK(umount(b));
	CHECK_OK(umount(a));
	return 0;
}
