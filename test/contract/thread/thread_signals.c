/* Thread-directed signals: pthread_kill/tgkill run the handler in the
 * target thread; a process-directed signal goes to a thread that does not
 * block it; signal masks are per thread. */
#include "thread_util.h"
#include <signal.h>

static volatile pid_t handled_in;
static volatile pid_t worker_tid;
static volatile int stop;

static void handler(int sig)
{
	(void)sig;
	handled_in = contract_gettid();
}

static void *worker(void *arg)
{
	worker_tid = contract_gettid();
	while (!stop)
		contract_msleep(1);
	return arg;
}

int main(void)
{
	pthread_t t;
	sigset_t set;

	signal(SIGUSR1, handler);
	CHECK_EQ(pthread_create(&t, NULL, worker, NULL), 0);
	while (!worker_tid)
		contract_msleep(1);

	CHECK_EQ(pthread_kill(t, SIGUSR1), 0);
	for (int i = 0; i < 5000 && !handled_in; i++)
		contract_msleep(1);
	CHECK_EQ(handled_in, worker_tid);

	handled_in = 0;
	CHECK_OK(syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1));
	CHECK_EQ(handled_in, getpid());         /* delivered before return */

	/* Main blocks SIGUSR1: kill() to the process reaches the worker. */
	handled_in = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	for (int i = 0; i < 5000 && !handled_in; i++)
		contract_msleep(1);
	CHECK_EQ(handled_in, worker_tid);

	/* tgkill with the wrong thread group: ESRCH. */
	CHECK_ERRNO(syscall(SYS_tgkill, getpid() + 100000, worker_tid, 0), ESRCH);
	stop = 1;
	CHECK_EQ(pthread_join(t, NULL), 0);
	/* The thread is gone: signalling it fails.  Linux clears the tid
	 * word that pthread_join waits for (CLONE_CHILD_CLEARTID) before the
	 * thread leaves its group, so give it a moment. */
	for (int i = 0; i < 5000 &&
	     syscall(SYS_tgkill, getpid(), worker_tid, 0) == 0; i++)
		contract_msleep(1);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), worker_tid, 0), ESRCH);
	return 0;
}
