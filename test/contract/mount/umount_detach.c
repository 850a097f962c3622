/* umount2(MNT_DETACH) of a busy mount succeeds at once: it leaves the
 * namespace (with the mounts below it), while an open file and a cwd
 * inside keep working; the files come back with a new mount of nothing. */
#include "mount_util.h"

int main(void)
{
	mount_test_begin();
	const char *m = mount_tmpfs("m", 0);
	char f[512], sub[512], cwd[512];

	snprintf(f, sizeof(f), "%s/f", m);
	snprintf(sub, sizeof(sub), "%s/sub", m);
	CHECK_OK(mkdir(sub, 0755));
	CHECK_OK(mount("none", sub, "tmpfs", 0, NULL));
	int fd = CHECK_OK(open(f, O_CREAT | O_RDWR, 0644));
	CHECK(getcwd(cwd, sizeof(cwd)));
	CHECK_OK(chdir(sub));
	contract_write_file("inner", "hello", 0644);

	CHECK_OK(umount2(m, MNT_DETACH));
	CHECK(!is_mounted(m));
	CHECK(!is_mounted(sub));
	/* The detached trees still work for their users. */
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(pwrite(fd, "Z", 1, 0), 1);
	char buf[8] = { 0 };
	CHECK_EQ(pread(fd, buf, 3, 0), 3);
	CHECK(memcmp(buf, "Zbc", 3) == 0);
	char rb[8] = { 0 };
	contract_read_file("inner", rb, sizeof(rb));
	CHECK(strcmp(rb, "hello") == 0);
	/* The directory under it is the plain (empty) one again. */
	CHECK_ERRNO(access(f, F_OK), ENOENT);
	CHECK_OK(chdir(cwd));
	close(fd);
	return 0;
}
