/* chdir/fchdir change the cwd; getcwd reports it, with ERANGE for small buffers. */
#include "contract.h"

int main(void)
{
	char buf[512];
	char real[512];

	CHECK(realpath(contract_tmpdir(), real) != NULL);
	CHECK_OK(mkdir(contract_path("sub"), 0755));
	CHECK_OK(chdir(contract_tmpdir()));
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, real) == 0);
	CHECK_OK(chdir("sub"));
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strlen(buf) == strlen(real) + 4 && !strcmp(buf + strlen(real), "/sub"));
	int fd = CHECK_OK(open("..", O_RDONLY | O_DIRECTORY));
	CHECK_OK(fchdir(fd));
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, real) == 0);
	/* The raw syscall returns the length including the NUL. */
	CHECK_EQ(syscall(SYS_getcwd, buf, sizeof(buf)), strlen(real) + 1);
	CHECK_ERRNO(syscall(SYS_getcwd, buf, strlen(real)), ERANGE);
	CHECK_ERRNO(syscall(SYS_getcwd, buf, 0), ERANGE);
	contract_write_file(contract_path("f"), "", 0644);
	CHECK_ERRNO(chdir("f"), ENOTDIR);
	CHECK_ERRNO(chdir("missing"), ENOENT);
	int ffd = CHECK_OK(open("f", O_RDONLY));
	CHECK_ERRNO(fchdir(ffd), ENOTDIR);
	CHECK_ERRNO(fchdir(-1), EBADF);
	CHECK_OK(chdir("/"));
	return 0;
}
