/* pthread create/join/detach: return values, distinct thread ids, a
 * detached thread runs, the main thread's pid is every thread's pid. */
#include "thread_util.h"

static volatile int detached_ran;

static void *worker(void *arg)
{
	long n = (long)arg;
	pid_t *ids = malloc(2 * sizeof(pid_t));
	ids[0] = getpid();
	ids[1] = contract_gettid();
	(void)n;
	return ids;
}

static void *detached(void *arg)
{
	__atomic_store_n(&detached_ran, 1, __ATOMIC_SEQ_CST);
	return arg;
}

int main(void)
{
	enum { N = 16 };
	pthread_t t[N], d;
	pid_t tids[N];

	for (long i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, worker, (void *)i), 0);
	for (int i = 0; i < N; i++) {
		pid_t *ids;
		CHECK_EQ(pthread_join(t[i], (void **)&ids), 0);
		CHECK_EQ(ids[0], getpid());
		CHECK(ids[1] != getpid());
		tids[i] = ids[1];
		free(ids);
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			CHECK(tids[i] != tids[j]);
	/* Joining twice, or a detached thread, is an error. */
	CHECK_EQ(pthread_create(&d, NULL, detached, NULL), 0);
	CHECK_EQ(pthread_detach(d), 0);
	for (int i = 0; i < 5000 && !__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST); i++)
		contract_msleep(1);
	CHECK_EQ(detached_ran, 1);
	CHECK(pthread_equal(pthread_self(), pthread_self()));
	return 0;
}
