/* Blocking semop: a decrement sleeps until another process increments (GETNCNT counts it), a wait-for-zero until the value is 0 (GETZCNT), semtimedop times out with EAGAIN, a signal gives EINTR even with SA_RESTART, IPC_RMID wakes sleepers with EIDRM. */
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

static void handler(int sig)
{
	(void)sig;
}

static pid_t child_op(unsigned short num, short delta)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct sembuf b = { num, delta, 0 };
		_exit(semop(s, &b, 1) == 0 ? 0 : errno);
	}
	return pid;
}

int main(void)
{
	atexit(cleanup);
	s = CHECK_OK(semget(IPC_PRIVATE, 2, 0600));

	/* Two decrements wait on semaphore 0. */
	pid_t a = child_op(0, -1);
	contract_wait_sleeping(a);
	pid_t b = child_op(0, -2);
	contract_wait_sleeping(b);
	CHECK_EQ(semctl(s, 0, GETNCNT), 2);
	CHECK_EQ(semctl(s, 0, GETZCNT), 0);
	CHECK_EQ(semctl(s, 1, GETNCNT), 0);
	/* +1: the first waiter goes. */
	struct sembuf inc = { 0, 1, 0 };
	CHECK_OK(semop(s, &inc, 1));
	CHECK_EXITED(contract_wait(a), 0);
	CHECK_EQ(semctl(s, 0, GETNCNT), 1);
	inc.sem_op = 3;
	CHECK_OK(semop(s, &inc, 1));
	CHECK_EXITED(contract_wait(b), 0);
	CHECK_EQ(semctl(s, 0, GETVAL), 1);
	CHECK_EQ(semctl(s, 0, GETPID), b);
	CHECK_EQ(semctl(s, 0, GETNCNT), 0);

	/* Wait-for-zero. */
	pid_t z = child_op(0, 0);
	contract_wait_sleeping(z);
	CHECK_EQ(semctl(s, 0, GETZCNT), 1);
	struct sembuf dec = { 0, -1, 0 };
	CHECK_OK(semop(s, &dec, 1));
	CHECK_EXITED(contract_wait(z), 0);
	CHECK_EQ(semctl(s, 0, GETZCNT), 0);

	/* SETVAL also wakes. */
	pid_t w = child_op(1, -5);
	contract_wait_sleeping(w);
	union semun arg = { .val = 5 };
	CHECK_OK(semctl(s, 1, SETVAL, arg));
	CHECK_EXITED(contract_wait(w), 0);
	CHECK_EQ(semctl(s, 1, GETVAL), 0);

	/* semtimedop: the timeout ends the wait with EAGAIN. */
	struct timespec ts = { 0, 20000000 };
	CHECK_ERRNO(semtimedop(s, &dec, 1, &ts), EAGAIN);
	ts.tv_nsec = 0;
	CHECK_ERRNO(semtimedop(s, &dec, 1, &ts), EAGAIN);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(semtimedop(s, &dec, 1, &ts), EINVAL);
	CHECK_EQ(semctl(s, 0, GETNCNT), 0);

	/* A signal: EINTR, even with SA_RESTART. */
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	pid_t me = getpid();
	pid_t k = CHECK_OK(fork());
	if (k == 0) {
		contract_wait_sleeping(me);
		kill(me, SIGUSR1);
		_exit(0);
	}
	CHECK_ERRNO(semop(s, &dec, 1), EINTR);
	CHECK_EXITED(contract_wait(k), 0);
	CHECK_EQ(semctl(s, 0, GETNCNT), 0);

	/* Removal wakes the sleepers with EIDRM. */
	pid_t r = child_op(1, -1);
	contract_wait_sleeping(r);
	CHECK_OK(semctl(s, 0, IPC_RMID));
	int st = contract_wait(r);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), EIDRM);
	CHECK_ERRNO(semctl(s, 0, GETVAL), EINVAL);
	s = -1;
	return 0;
}
