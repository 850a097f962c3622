/* getpid is shared by threads; gettid equals getpid only in the main thread. */
#include "contract.h"
#include <pthread.h>

static pid_t t_pid, t_tid;

static void *thread(void *arg)
{
	t_pid = getpid();
	t_tid = contract_gettid();
	return NULL;
}

int main(void)
{
	pthread_t t;

	CHECK_EQ(contract_gettid(), getpid());
	CHECK(pthread_create(&t, NULL, thread, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK_EQ(t_pid, getpid());
	CHECK(t_tid != getpid());
	CHECK(t_tid > 0);
	return 0;
}
