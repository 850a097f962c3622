/* futex errors: EAGAIN for a changed word, ETIMEDOUT, EINVAL for an
 * unaligned address, a bad timeout or a zero bitset, EFAULT for a bad
 * address, ENOSYS for an unknown op or CLOCK_REALTIME on FUTEX_WAIT. */
#include "thread_util.h"
#include <time.h>

int main(void)
{
	static uint32_t w[2] = { 5, 0 };
	struct timespec rel = { 0, 10000000 }, bad = { 0, 1000000000 };
	struct timespec abs;
	long long t0;

	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0), EAGAIN);
	t0 = contract_now_ns();
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0), ETIMEDOUT);
	CHECK(contract_now_ns() - t0 >= 10000000);
	/* WAIT_BITSET takes an absolute CLOCK_MONOTONIC time. */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL,
			       FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &abs);
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME,
			       5, &abs, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0), EINVAL);
	CHECK_ERRNO(futex_call((uint32_t *)((char *)w + 1), FUTEX_WAIT_PRIVATE,
			       5, NULL, NULL, 0), EINVAL);
	CHECK_ERRNO(futex_call((uint32_t *)((char *)w + 1), FUTEX_WAKE_PRIVATE,
			       1, NULL, NULL, 0), EINVAL);
	CHECK_ERRNO(futex_call((uint32_t *)8, FUTEX_WAIT_PRIVATE, 5, NULL,
			       NULL, 0), EFAULT);
	CHECK_ERRNO(futex_call((uint32_t *)8, FUTEX_WAKE, 1, NULL, NULL, 0),
		    EFAULT);
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0),
		    EINVAL);
	CHECK_ERRNO(futex_call(w, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0),
		    EINVAL);
	CHECK_ERRNO(futex_call(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &rel,
			       NULL, 0), ENOSYS);
	CHECK_ERRNO(futex_call(w, 99, 0, NULL, NULL, 0), ENOSYS);
	/* A wake with nobody waiting wakes nobody. */
	CHECK_EQ(futex_call(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	return 0;
}
