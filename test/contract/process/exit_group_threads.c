/* exit_group called from a second thread ends the whole process with its status. */
#include "contract.h"
#include <pthread.h>

static void *thread(void *arg)
{
	syscall(SYS_exit_group, 5);
	return NULL;
}

int main(void)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread, NULL))
			_exit(2);
		for (;;)
			pause();
	}
	CHECK_EXITED(contract_wait(pid), 5);
	return 0;
}
