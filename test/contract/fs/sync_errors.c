/* fsync/fdatasync: EBADF for a closed descriptor, EINVAL for a pipe, a
 * socket or a character device without fsync (/dev/null); syncfs: EBADF
 * for a bad descriptor, fine on a pipe; all succeed on tmpfs files and
 * directories, and an O_PATH descriptor is EBADF for fsync. */
#include "contract.h"
#include <sys/socket.h>

int main(void)
{
	int p[2], s[2];
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	int dfd = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	int pfd = CHECK_OK(open(contract_path("f"), O_PATH));
	int nfd = CHECK_OK(open("/dev/null", O_RDWR));

	CHECK_OK(pipe(p));
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	CHECK_OK(fsync(fd));
	CHECK_OK(fdatasync(fd));
	CHECK_OK(fsync(dfd));
	CHECK_OK(syncfs(fd));
	CHECK_OK(syncfs(p[0]));
	CHECK_ERRNO(fsync(p[1]), EINVAL);
	CHECK_ERRNO(fdatasync(p[0]), EINVAL);
	CHECK_ERRNO(fsync(s[0]), EINVAL);
	CHECK_ERRNO(fsync(nfd), EINVAL);
	CHECK_ERRNO(fsync(pfd), EBADF);
	CHECK_ERRNO(fsync(1000), EBADF);
	CHECK_ERRNO(fdatasync(-1), EBADF);
	CHECK_ERRNO(syncfs(1000), EBADF);
	close(fd);
	CHECK_ERRNO(fsync(fd), EBADF);
	return 0;
}
