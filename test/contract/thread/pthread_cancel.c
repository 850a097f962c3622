/* Deferred cancellation: a thread blocked in read() (a cancellation
 * point) is cancelled, its cleanup handlers run in order, and join gives
 * PTHREAD_CANCELED; a thread with cancellation disabled is not. */
#include "thread_util.h"

static int fds[2];
static int cleanup_order[2], cleanups;
static volatile pid_t blocked_tid;

static void cleanup(void *arg)
{
	cleanup_order[cleanups++] = (int)(long)arg;
}

static void *blocked_reader(void *arg)
{
	char c;
	pthread_cleanup_push(cleanup, (void *)1);
	pthread_cleanup_push(cleanup, (void *)2);
	blocked_tid = contract_gettid();
	read(fds[0], &c, 1);            /* never returns: cancelled */
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return arg;
}

static void *uncancellable(void *arg)
{
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	blocked_tid = contract_gettid();
	contract_msleep(30);
	pthread_setcancelstate(old, NULL);
	return (void *)7;
}

int main(void)
{
	pthread_t t;
	void *r;

	CHECK_OK(pipe(fds));
	CHECK_EQ(pthread_create(&t, NULL, blocked_reader, NULL), 0);
	while (!blocked_tid)
		contract_msleep(1);
	wait_thread_sleeping(blocked_tid);
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK(r == PTHREAD_CANCELED);
	CHECK_EQ(cleanups, 2);
	CHECK_EQ(cleanup_order[0], 2);
	CHECK_EQ(cleanup_order[1], 1);

	blocked_tid = 0;
	CHECK_EQ(pthread_create(&t, NULL, uncancellable, NULL), 0);
	while (!blocked_tid)
		contract_msleep(1);
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	/* Re-enabling cancellation is not a cancellation point: the thread
	 * returns normally (deferred mode, no cancellation point after). */
	CHECK_EQ((long)r, 7);
	return 0;
}
