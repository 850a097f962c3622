/* RLIMIT_NOFILE bounds new descriptors: EMFILE from open, EBADF from dup2. */
#include "contract.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit rl = { 8, 8 }, got;

	CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &got));
	CHECK_EQ(got.rlim_cur, 8);
	CHECK_EQ(got.rlim_max, 8);
	for (int i = 3; i < 8; i++)
		close(i);
	for (int i = 3; i < 8; i++)
		CHECK_EQ(open("/dev/null", O_RDONLY), i);
	CHECK_ERRNO(open("/dev/null", O_RDONLY), EMFILE);
	CHECK_ERRNO(dup(0), EMFILE);
	CHECK_ERRNO(dup2(0, 8), EBADF);
	CHECK_ERRNO(fcntl(0, F_DUPFD, 8), EINVAL);
	int p[2];
	close(7);
	CHECK_ERRNO(pipe(p), EMFILE);
	return 0;
}
