/* SEM_UNDO: a process's adjustments are applied when it exits (clamped at 0), SETVAL clears them, and a forked child starts without its parent's. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/sem.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int s = -1;

static void cleanup(void)
{
	if (s >= 0)
		semctl(s, 0, IPC_RMID);
}

static int op(unsigned short num, short delta, short flg)
{
	struct sembuf b = { num, delta, flg };
	return semop(s, &b, 1);
}

int main(void)
{
	atexit(cleanup);
	s = CHECK_OK(semget(IPC_PRIVATE, 3, 0600));
	union semun arg = { .val = 10 };
	CHECK_OK(semctl(s, 0, SETVAL, arg));

	/* A child takes 3 and gives 1 with SEM_UNDO: its exit gives back 2. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (op(0, -3, SEM_UNDO) || op(0, 1, SEM_UNDO) || op(1, 4, SEM_UNDO))
			_exit(1);
		_exit(semctl(s, 0, GETVAL) == 8 ? 0 : 2);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(s, 0, GETVAL), 10);
	CHECK_EQ(semctl(s, 1, GETVAL), 0);
	CHECK_EQ(semctl(s, 0, GETPID), pid);

	/* The undo would go below 0: the value stops at 0. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		if (op(2, 5, SEM_UNDO))
			_exit(1);
		if (op(2, -4, 0))		/* without undo */
			_exit(2);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(s, 2, GETVAL), 0);

	/* SETVAL clears the adjustment of that semaphore for everyone. */
	int p1[2], p2[2];
	CHECK_OK(pipe(p1));
	CHECK_OK(pipe(p2));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		if (op(1, 6, SEM_UNDO) || op(2, 6, SEM_UNDO))
			_exit(1);
		write(p1[1], "k", 1);
		read(p2[0], &c, 1);
		_exit(0);
	}
	char c;
	CHECK_EQ(read(p1[0], &c, 1), 1);
	arg.val = 2;
	CHECK_OK(semctl(s, 1, SETVAL, arg));
	CHECK_EQ(write(p2[1], "k", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(s, 1, GETVAL), 2);	/* no undo left */
	CHECK_EQ(semctl(s, 2, GETVAL), 0);	/* 6 undone */

	/* A forked child does not inherit its parent's adjustments. */
	CHECK_OK(op(1, 3, SEM_UNDO));
	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(0);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(semctl(s, 1, GETVAL), 5);
	return 0;
}
