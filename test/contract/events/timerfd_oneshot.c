/* timerfd: create/settime/gettime errors, a relative one-shot timer (gettime
 * counts down, read blocks until it fires and returns 1, the old setting comes
 * back from settime), disarming, and 8-byte reads. */
#include "contract.h"
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#define MS 1000000L

int main(void)
{
	struct itimerspec its = { 0 }, cur, old;
	uint64_t n;
	long long start, end;
	int fd, efd;

	CHECK_ERRNO(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	CHECK_ERRNO(timerfd_create(12345, 0), EINVAL);
	CHECK_ERRNO(timerfd_create(CLOCK_MONOTONIC, 0x1), EINVAL);
	fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);

	/* A new timer is disarmed. */
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(cur.it_value.tv_sec, 0);
	CHECK_EQ(cur.it_value.tv_nsec, 0);
	CHECK_EQ(cur.it_interval.tv_nsec, 0);

	/* settime errors: flags and values first, then the descriptor. */
	its.it_value.tv_nsec = 1000000000;
	CHECK_ERRNO(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = -1;
	CHECK_ERRNO(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its.it_value.tv_sec = 1;
	CHECK_ERRNO(timerfd_settime(fd, 0x4, &its, NULL), EINVAL);
	CHECK_ERRNO(timerfd_settime(-1, 0, &its, NULL), EBADF);
	efd = CHECK_OK(eventfd(0, 0));
	CHECK_ERRNO(timerfd_settime(efd, 0, &its, NULL), EINVAL);
	CHECK_ERRNO(timerfd_gettime(efd, &cur), EINVAL);
	CHECK_ERRNO(timerfd_gettime(12345, &cur), EBADF);
	CHECK_ERRNO(syscall(SYS_timerfd_settime, fd, 0, NULL, NULL), EFAULT);

	/* Armed for 10 s: gettime counts down from there; disarming gives
	 * the old setting back. */
	its.it_value.tv_sec = 10;
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 &&
					   cur.it_value.tv_nsec == 0));
	memset(&its, 0, sizeof(its));
	CHECK_OK(timerfd_settime(fd, 0, &its, &old));
	CHECK(old.it_value.tv_sec == 9 || old.it_value.tv_sec == 10);
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(read(fd, &n, sizeof(n)), EAGAIN);
	CHECK_OK(fcntl(fd, F_SETFL, 0));

	/* A 30 ms one-shot: read sleeps until it has fired, once. */
	its.it_value.tv_nsec = 30 * MS;
	start = contract_now_ns();
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	CHECK_ERRNO(read(fd, &n, 4), EINVAL);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	end = contract_now_ns();
	CHECK_EQ(n, 1);
	CHECK(end - start >= 30 * MS);
	CHECK_OK(timerfd_gettime(fd, &cur));      /* expired: disarmed */
	CHECK_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK_ERRNO(read(fd, &n, sizeof(n)), EAGAIN);
	CHECK_ERRNO(write(fd, &n, sizeof(n)), EINVAL);

	/* Re-arming resets the count of unread expirations. */
	its.it_value.tv_nsec = 1 * MS;
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	contract_msleep(20);
	its.it_value.tv_sec = 100;
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	CHECK_ERRNO(read(fd, &n, sizeof(n)), EAGAIN);
	return 0;
}
