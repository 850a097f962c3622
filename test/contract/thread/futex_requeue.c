/* FUTEX_CMP_REQUEUE and FUTEX_REQUEUE: wake some waiters, move the rest
 * to a second futex (they then wake from there); a changed word gives
 * EAGAIN and moves nobody. */
#include "thread_util.h"

enum { N = 5 };
static uint32_t f1, f2;
static volatile pid_t tids[N];
static volatile int woke;

static void *waiter(void *arg)
{
	long i = (long)arg;
	tids[i] = contract_gettid();
	while (futex_call(&f1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) != 0 &&
	       errno == EINTR)
		;
	__atomic_add_fetch(&woke, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void start_all(pthread_t *t)
{
	woke = 0;
	for (long i = 0; i < N; i++) {
		tids[i] = 0;
		CHECK_EQ(pthread_create(&t[i], NULL, waiter, (void *)i), 0);
	}
	for (int i = 0; i < N; i++) {
		while (!tids[i])
			contract_msleep(1);
		wait_thread_sleeping(tids[i]);
	}
}

int main(void)
{
	pthread_t t[N];

	start_all(t);
	/* Wrong expected value: EAGAIN, nothing moves or wakes. */
	CHECK_ERRNO(futex_call(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1,
			       (void *)(long)N, &f2, 99), EAGAIN);
	/* Wake 1, requeue up to 2: the result counts both. */
	CHECK_EQ(futex_call(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2L,
			    &f2, 0), 3);
	/* Two wait on f2 now, two still on f1. */
	CHECK_EQ(futex_call(&f2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 2);
	/* Plain REQUEUE: wake 0, move the remaining two to f2. */
	CHECK_EQ(futex_call(&f1, FUTEX_REQUEUE_PRIVATE, 0, (void *)10L, &f2, 0), 2);
	CHECK_EQ(futex_call(&f1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 0);
	CHECK_EQ(futex_call(&f2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 2);
	for (int i = 0; i < N; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(woke, N);
	/* Negative counts are invalid. */
	CHECK_ERRNO(futex_call(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)-1L,
			       &f2, 0), EINVAL);
	return 0;
}
