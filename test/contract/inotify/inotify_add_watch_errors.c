/* inotify_add_watch and inotify_rm_watch errors: ENOENT, ENOTDIR (IN_ONLYDIR too), EINVAL (no or unknown mask bits, IN_MASK_ADD with IN_MASK_CREATE, not an inotify fd, unknown wd), EBADF, EEXIST (IN_MASK_CREATE), EACCES without read permission, EFAULT. */
#include "contract.h"
#include <sys/inotify.h>

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *dir = contract_tmpdir();
	const char *file = contract_path("f");
	contract_write_file(file, "x", 0600);

	CHECK_ERRNO(inotify_add_watch(in, contract_path("missing"), IN_OPEN), ENOENT);
	CHECK_ERRNO(inotify_add_watch(in, contract_path("f/x"), IN_OPEN), ENOTDIR);
	CHECK_ERRNO(inotify_add_watch(in, file, IN_OPEN | IN_ONLYDIR), ENOTDIR);
	CHECK_ERRNO(inotify_add_watch(in, file, 0), EINVAL);
	CHECK_ERRNO(inotify_add_watch(in, file, IN_OPEN | 0x00800000), EINVAL);
	CHECK_ERRNO(inotify_add_watch(in, file, IN_OPEN | IN_MASK_ADD | IN_MASK_CREATE), EINVAL);
	CHECK_ERRNO(inotify_add_watch(99, file, IN_OPEN), EBADF);
	CHECK_ERRNO(inotify_add_watch(-1, file, IN_OPEN), EBADF);
	int plain = CHECK_OK(open(file, O_RDONLY));
	CHECK_ERRNO(inotify_add_watch(plain, file, IN_OPEN), EINVAL);
	CHECK_ERRNO(inotify_add_watch(in, (const char *)contract_unmapped_page(), IN_OPEN), EFAULT);
	CHECK_ERRNO(inotify_add_watch(in, "", IN_OPEN), ENOENT);

	int wd = CHECK_OK(inotify_add_watch(in, dir, IN_CREATE | IN_ONLYDIR));
	CHECK(wd >= 1);
	CHECK_ERRNO(inotify_add_watch(in, dir, IN_OPEN | IN_MASK_CREATE), EEXIST);

	CHECK_ERRNO(inotify_rm_watch(in, wd + 100), EINVAL);
	CHECK_ERRNO(inotify_rm_watch(in, -1), EINVAL);
	CHECK_ERRNO(inotify_rm_watch(plain, wd), EINVAL);
	CHECK_ERRNO(inotify_rm_watch(99, wd), EBADF);
	CHECK_OK(inotify_rm_watch(in, wd));
	CHECK_ERRNO(inotify_rm_watch(in, wd), EINVAL);

	/* Read permission on the object is needed. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		int mine = inotify_init();
		if (mine < 0)
			_exit(1);
		if (inotify_add_watch(mine, file, IN_OPEN) != -1 || errno != EACCES)
			_exit(2);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
