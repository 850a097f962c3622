/* CLONE_SYSVSEM: a child created with it shares its parent's SEM_UNDO
 * list, so its adjustments are undone only when the last sharer exits;
 * a plain fork child gets its own list, undone at its exit. */
#include "contract.h"
#include <sched.h>
#include <sys/ipc.h>
#include <sys/sem.h>

static int semid;

static int child(void *arg)
{
	struct sembuf op = { 0, 1, SEM_UNDO };
	(void)arg;
	return semop(semid, &op, 1) == 0 ? 0 : 1;
}

int main(void)
{
	static char stack[64 * 1024];
	semid = CHECK_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));

	/* Own undo list: undone when the child exits. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(child(NULL));
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(semid, 0, GETVAL), 0);

	/* Shared undo list: the parent still uses it, nothing is undone. */
	pid = CHECK_OK(clone(child, stack + sizeof(stack),
			     CLONE_SYSVSEM | SIGCHLD, NULL));
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(semid, 0, GETVAL), 1);

	/* When the last sharer (a process forked with the shared list in
	 * a grandchild chain) exits, the adjustment goes. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		static char stack2[64 * 1024];
		pid_t c = clone(child, stack2 + sizeof(stack2),
				CLONE_SYSVSEM | SIGCHLD, NULL);
		int st;
		if (c < 0 || waitpid(c, &st, 0) != c || st != 0)
			_exit(2);
		_exit(semctl(semid, 0, GETVAL) == 2 ? 0 : 3);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(semid, 0, GETVAL), 1);
	CHECK_OK(semctl(semid, 0, IPC_RMID));
	return 0;
}
