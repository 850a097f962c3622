/*
 * Time system calls: clock_gettime, clock_getres, clock_settime,
 * gettimeofday, settimeofday, time, nanosleep, clock_nanosleep.  Thin
 * wrappers: copy in, validate in Linux's order (which errno wins matters
 * to test suites), call time/posix_clock.c, time/realtime.c or
 * time/sleep.c, copy out.  Setting the clock needs root (CAP_SYS_TIME).
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/clock.h"
#include "time/timespec.h"
#include "include/errno.h"
#include "process/process.h"

static bool may_set_time(void)
{
	return cred_is_privileged(current_cred());
}

static int put_timespec(struct __kernel_timespec __user *utp, int64_t ns)
{
	struct __kernel_timespec ts = ns_to_timespec(ns);

	return copy_to_user((uaddr_t)utp, &ts, sizeof(ts));
}

SYSCALL_DEFINE2(clock_gettime, int, id, struct __kernel_timespec __user *, utp)
{
	int64_t ns;
	int ret = posix_clock_get(id, &ns);

	if (ret)
		return ret;
	return put_timespec(utp, ns);
}

SYSCALL_DEFINE2(clock_getres, int, id, struct __kernel_timespec __user *, utp)
{
	int64_t ns;
	int ret = posix_clock_getres(id, &ns);

	if (ret || !utp)
		return ret;
	return put_timespec(utp, ns);
}

SYSCALL_DEFINE2(clock_settime, int, id, const struct __kernel_timespec __user *, utp)
{
	struct __kernel_timespec ts;

	/* Only REALTIME and the (negative) CPU and fd clocks have a set op;
	 * the others fail before the copy. */
	if (id != CLOCK_REALTIME && id >= 0)
		return -EINVAL;
	if (copy_from_user(&ts, (uaddr_t)utp, sizeof(ts)))
		return -EFAULT;
	if (id == CLOCK_REALTIME) {
		if (!timespec_valid_settod(&ts))
			return -EINVAL;
		if (!may_set_time())
			return -EPERM;
	}
	return posix_clock_set(id, &ts);
}

SYSCALL_DEFINE2(gettimeofday, struct __kernel_old_timeval __user *, utv,
		struct timezone __user *, utz)
{
	if (utv) {
		struct __kernel_old_timeval tv = ns_to_timeval(clock_realtime_ns());

		if (copy_to_user((uaddr_t)utv, &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (utz) {
		struct timezone tz;

		clock_timezone_get(&tz);
		if (copy_to_user((uaddr_t)utz, &tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

/* do_sys_settimeofday64: validate the time, check permission, then the
 * timezone is set before the time. */
SYSCALL_DEFINE2(settimeofday, const struct __kernel_old_timeval __user *, utv,
		const struct timezone __user *, utz)
{
	struct __kernel_old_timeval tv;
	struct __kernel_timespec ts;
	struct timezone tz;
	int ret;

	if (utv) {
		if (copy_from_user(&tv, (uaddr_t)utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec > USEC_PER_SEC)
			return -EINVAL;
		ts = (struct __kernel_timespec){ tv.tv_sec, tv.tv_usec * NSEC_PER_USEC };
	}
	if (utz && copy_from_user(&tz, (uaddr_t)utz, sizeof(tz)))
		return -EFAULT;
	if (utv && !timespec_valid_settod(&ts))
		return -EINVAL;
	if (!may_set_time())
		return -EPERM;
	if (utz) {
		ret = clock_timezone_set(&tz);
		if (ret)
			return ret;
	}
	return utv ? clock_realtime_set(&ts) : 0;
}

SYSCALL_DEFINE1(time, int64_t __user *, tloc)
{
	int64_t now = clock_realtime_ns() / NSEC_PER_SEC;

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* Copy in and validate a sleep request. */
static int get_sleep_request(struct __kernel_timespec *ts,
			     const struct __kernel_timespec __user *utp)
{
	if (copy_from_user(ts, (uaddr_t)utp, sizeof(*ts)))
		return -EFAULT;
	return timespec_valid(ts) ? 0 : -EINVAL;
}

static long finish_sleep(int ret, const struct __kernel_timespec *rem,
			 struct __kernel_timespec __user *urem)
{
	if (ret == -EINTR && urem &&
	    copy_to_user((uaddr_t)urem, rem, sizeof(*rem)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(nanosleep, const struct __kernel_timespec __user *, ureq,
		struct __kernel_timespec __user *, urem)
{
	struct __kernel_timespec req, rem = { 0, 0 };
	int ret = get_sleep_request(&req, ureq);

	if (ret)
		return ret;
	ret = posix_clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	return finish_sleep(ret, &rem, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, id, int, flags,
		const struct __kernel_timespec __user *, ureq,
		struct __kernel_timespec __user *, urem)
{
	struct __kernel_timespec req, rem = { 0, 0 };
	int ret = posix_clock_nanosleep_check(id);

	if (ret)
		return ret;
	ret = get_sleep_request(&req, ureq);
	if (ret)
		return ret;
	if (flags & TIMER_ABSTIME)
		urem = NULL;
	ret = posix_clock_nanosleep(id, flags, &req, &rem);
	return finish_sleep(ret, &rem, urem);
}
