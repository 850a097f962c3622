/* clock_nanosleep: relative and TIMER_ABSTIME sleeps end no earlier than asked; a past deadline returns at once. */
#include "contract.h"

int main(void)
{
	struct timespec now, target, after;
	clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };

	for (int i = 0; i < 3; i++) {
		CHECK_EQ(clock_gettime(clocks[i], &now), 0);
		target = now;
		target.tv_nsec += 40000000;
		if (target.tv_nsec >= 1000000000) {
			target.tv_sec++;
			target.tv_nsec -= 1000000000;
		}
		CHECK_EQ(clock_nanosleep(clocks[i], TIMER_ABSTIME, &target, NULL), 0);
		CHECK_EQ(clock_gettime(clocks[i], &after), 0);
		CHECK(after.tv_sec > target.tv_sec ||
		      (after.tv_sec == target.tv_sec && after.tv_nsec >= target.tv_nsec));
	}
	struct timespec rel = { 0, 25000000 };
	long long t0 = contract_now_ns();
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, NULL), 0);
	CHECK(contract_now_ns() - t0 >= 25000000LL);
	/* A deadline in the past. */
	struct timespec past = { 1, 0 };
	t0 = contract_now_ns();
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0);
	CHECK(contract_now_ns() - t0 < 1000000000LL);
	/* clock_nanosleep returns the error number instead of setting errno. */
	rel.tv_nsec = 1000000000;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, NULL), EINVAL);
	rel.tv_nsec = 0;
	CHECK_EQ(clock_nanosleep((clockid_t)12345, 0, &rel, NULL), EINVAL);
	CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &rel, NULL), EINVAL);
	return 0;
}
