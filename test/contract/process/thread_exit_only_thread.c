/* SYS_exit in the main thread ends only that thread: the process lives on. */
#include "contract.h"
#include <pthread.h>

static void *thread(void *arg)
{
	contract_msleep(50);
	exit(9);	/* exit_group from the survivor */
	return NULL;
}

int main(void)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread, NULL))
			_exit(2);
		syscall(SYS_exit, 3);
		_exit(4);
	}
	CHECK_EXITED(contract_wait(pid), 9);
	return 0;
}
