/* select: readiness sets, the timeout is updated, EBADF for closed fds, EINVAL for negative nfds. */
#include "contract.h"
#include <sys/select.h>

int main(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = { 0, 50000 };

	CHECK_OK(pipe(p));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	long long t0 = contract_now_ns();
	/* Raw syscall: musl passes the kernel a copy of tv. */
	CHECK_EQ(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
	CHECK(contract_now_ns() - t0 >= 50000000LL);
	CHECK(!FD_ISSET(p[0], &r));
	CHECK_EQ(tv.tv_sec + tv.tv_usec, 0);	/* Linux writes back the time left */
	CHECK_EQ(write(p[1], "x", 1), 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	FD_SET(p[1], &r);
	tv = (struct timeval){ 1, 0 };
	CHECK_EQ(select(p[1] + 1, &r, &w, NULL, &tv), 2);
	CHECK(FD_ISSET(p[0], &r));
	CHECK(!FD_ISSET(p[1], &r));
	CHECK(FD_ISSET(p[1], &w));
	
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[1], &r);
	CHECK_ERRNO(select(p[1] + 1, &r, NULL, NULL, NULL), EBADF);
	CHECK_ERRNO(select(-1, NULL, NULL, NULL, NULL), EINVAL);
	tv = (struct timeval){ 0, -1 };
	CHECK_ERRNO(select(0, NULL, NULL, NULL, &tv), EINVAL);
	return 0;
}
