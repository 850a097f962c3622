/* FUTEX_WAKE_OP: the operation on the second word happens atomically
 * (with the old value compared), waiters on the first futex wake, and
 * those on the second wake only if the comparison holds. */
#include "thread_util.h"

#define OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static uint32_t f1, f2;
static volatile pid_t tid1, tid2;

static void *wait_on(void *arg)
{
	uint32_t *f = arg;
	if (f == &f1)
		tid1 = contract_gettid();
	else
		tid2 = contract_gettid();
	while (futex_call(f, FUTEX_WAIT_PRIVATE, *f, NULL, NULL, 0) != 0 &&
	       errno == EINTR)
		;
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	/* No waiters: only the operation happens.  ADD 5 to f2 (old 0). */
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ(f2, 5u);
	/* OR with a shifted argument: 1 << 4. */
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4,
			       FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ(f2, 21u);
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_ANDN, 1, FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ(f2, 20u);
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ(f2, 20u ^ 0xff);
	/* SET, and a waiter on each word: the comparison (old > 100) fails,
	 * so only the f1 waiter wakes. */
	f2 = 7;
	CHECK_EQ(pthread_create(&a, NULL, wait_on, &f1), 0);
	CHECK_EQ(pthread_create(&b, NULL, wait_on, &f2), 0);
	while (!tid1 || !tid2)
		contract_msleep(1);
	wait_thread_sleeping(tid1);
	wait_thread_sleeping(tid2);
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_GT, 100)), 1);
	CHECK_EQ(pthread_join(a, NULL), 0);
	/* Now the comparison holds (old 7 == 7): the f2 waiter wakes. */
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			    OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 7)), 1);
	CHECK_EQ(pthread_join(b, NULL), 0);
	/* Unknown operation or comparison: ENOSYS. */
	CHECK_ERRNO(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			       OP(7, 0, FUTEX_OP_CMP_EQ, 0)), ENOSYS);
	CHECK_ERRNO(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f2,
			       OP(FUTEX_OP_SET, 0, 9, 0)), ENOSYS);
	/* A bad second address: EFAULT. */
	CHECK_ERRNO(futex_call(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L,
			       (uint32_t *)8, OP(FUTEX_OP_SET, 0, 0, 0)), EFAULT);
	return 0;
}
