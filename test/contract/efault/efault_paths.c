/* Path arguments pointing at bad memory give EFAULT from open/stat/mkdir/unlink/execve/chdir/rename. */
#include "contract.h"

int main(void)
{
	char *bad = contract_unmapped_page();
	struct stat st;

	CHECK_ERRNO(syscall(SYS_open, bad, O_RDONLY), EFAULT);
	CHECK_ERRNO(syscall(SYS_openat, AT_FDCWD, (void *)1, O_RDONLY), EFAULT);
	CHECK_ERRNO(syscall(SYS_stat, bad, &st), EFAULT);
	CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, bad, &st, 0), EFAULT);
	CHECK_ERRNO(syscall(SYS_mkdir, bad, 0755), EFAULT);
	CHECK_ERRNO(syscall(SYS_unlink, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_chdir, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_rename, bad, "/tmp/x"), EFAULT);
	CHECK_ERRNO(syscall(SYS_execve, bad, NULL, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_access, bad, F_OK), EFAULT);
	CHECK_ERRNO(syscall(SYS_readlink, bad, (char *)&st, 10), EFAULT);
	/* A path string that runs off the end of a mapping. */
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_OK(munmap(p + 4096, 4096));
	memset(p, 'a', 4096);
	CHECK_ERRNO(syscall(SYS_open, p + 4000, O_RDONLY), EFAULT);
	return 0;
}
