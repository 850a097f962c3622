/* tgkill/tkill direct a signal to one thread; wrong tgid is ESRCH. */
#include "contract.h"
#include <pthread.h>

static volatile pid_t handled_tid, thread_tid;
static volatile int stop;

static void handler(int sig)
{
	handled_tid = contract_gettid();
}

static void *thread(void *arg)
{
	thread_tid = contract_gettid();
	while (!stop)
		contract_msleep(1);
	return NULL;
}

int main(void)
{
	pthread_t t;

	signal(SIGUSR1, handler);
	CHECK_OK(syscall(SYS_tgkill, getpid(), contract_gettid(), SIGUSR1));
	CHECK_EQ(handled_tid, getpid());
	CHECK(pthread_create(&t, NULL, thread, NULL) == 0);
	while (!thread_tid)
		contract_msleep(1);
	handled_tid = 0;
	CHECK_OK(syscall(SYS_tgkill, getpid(), thread_tid, SIGUSR1));
	while (!handled_tid)
		contract_msleep(1);
	CHECK_EQ(handled_tid, thread_tid);
	handled_tid = 0;
	CHECK_OK(syscall(SYS_tkill, thread_tid, SIGUSR1));
	while (!handled_tid)
		contract_msleep(1);
	CHECK_EQ(handled_tid, thread_tid);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid() + 100000000, thread_tid, SIGUSR1), ESRCH);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), 0, SIGUSR1), EINVAL);
	CHECK_ERRNO(syscall(SYS_tkill, -1, SIGUSR1), EINVAL);
	stop = 1;
	pthread_join(t, NULL);
	return 0;
}
