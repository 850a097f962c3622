/* Semaphore sets: semget sizes, SETVAL/GETVAL/GETALL/SETALL/GETPID, ERANGE above 32767 and below 0, semop arrays are atomic (all or nothing), EAGAIN with IPC_NOWAIT, EFBIG, E2BIG, EINVAL; IPC_STAT. */
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
	CHECK_ERRNO(semget(IPC_PRIVATE, 0, 0600), EINVAL);
	CHECK_ERRNO(semget(IPC_PRIVATE, -1, 0600), EINVAL);
	CHECK_ERRNO(semget(IPC_PRIVATE, 32001, 0600), EINVAL);
	s = CHECK_OK(semget(IPC_PRIVATE, 3, 0600));

	struct semid_ds ds;
	union semun arg = { .buf = &ds };
	CHECK_OK(semctl(s, 0, IPC_STAT, arg));
	CHECK_EQ(ds.sem_nsems, 3);
	CHECK_EQ(ds.sem_perm.mode, 0600);
	CHECK_EQ(ds.sem_otime, 0);
	CHECK(ds.sem_ctime > 0);

	for (int i = 0; i < 3; i++) {
		CHECK_EQ(semctl(s, i, GETVAL), 0);
		CHECK_EQ(semctl(s, i, GETPID), 0);
	}
	CHECK_ERRNO(semctl(s, 3, GETVAL), EINVAL);
	CHECK_ERRNO(semctl(s, -1, GETVAL), EINVAL);

	arg.val = 5;
	CHECK_OK(semctl(s, 1, SETVAL, arg));
	CHECK_EQ(semctl(s, 1, GETVAL), 5);
	CHECK_EQ(semctl(s, 1, GETPID), getpid());
	arg.val = 32767;
	CHECK_OK(semctl(s, 2, SETVAL, arg));
	arg.val = 32768;
	CHECK_ERRNO(semctl(s, 2, SETVAL, arg), ERANGE);
	arg.val = -1;
	CHECK_ERRNO(semctl(s, 2, SETVAL, arg), ERANGE);
	arg.val = 1;
	CHECK_ERRNO(semctl(s, 3, SETVAL, arg), EINVAL);

	unsigned short vals[3] = { 7, 8, 9 }, got[3];
	arg.array = vals;
	CHECK_OK(semctl(s, 0, SETALL, arg));
	arg.array = got;
	CHECK_OK(semctl(s, 0, GETALL, arg));
	CHECK(got[0] == 7 && got[1] == 8 && got[2] == 9);
	unsigned short bad[3] = { 1, 40000, 2 };
	arg.array = bad;
	CHECK_ERRNO(semctl(s, 0, SETALL, arg), ERANGE);
	arg.array = got;
	CHECK_OK(semctl(s, 0, GETALL, arg));
	CHECK_EQ(got[0], 7);

	/* An array of operations: all or nothing. */
	struct sembuf two[2] = { { 0, -2, 0 }, { 1, -9, IPC_NOWAIT } };
	CHECK_ERRNO(semop(s, two, 2), EAGAIN);
	CHECK_EQ(semctl(s, 0, GETVAL), 7);
	two[1].sem_op = -8;
	CHECK_OK(semop(s, two, 2));
	CHECK_EQ(semctl(s, 0, GETVAL), 5);
	CHECK_EQ(semctl(s, 1, GETVAL), 0);
	/* Several operations on one semaphore apply in order. */
	struct sembuf seq[3] = { { 1, 3, 0 }, { 1, -2, 0 }, { 1, -1, 0 } };
	CHECK_OK(semop(s, seq, 3));
	CHECK_EQ(semctl(s, 1, GETVAL), 0);
	/* Above SEMVMX: ERANGE, nothing changes. */
	struct sembuf up[2] = { { 0, 1, 0 }, { 2, 32767, 0 } };
	CHECK_ERRNO(semop(s, up, 2), ERANGE);
	CHECK_EQ(semctl(s, 0, GETVAL), 5);
	/* Wait-for-zero on a non-zero value with IPC_NOWAIT. */
	CHECK_ERRNO(op(0, 0, IPC_NOWAIT), EAGAIN);
	CHECK_OK(op(1, 0, 0));

	CHECK_OK(semctl(s, 0, IPC_STAT, (union semun){ .buf = &ds }));
	CHECK(ds.sem_otime > 0);

	/* Errors. */
	CHECK_ERRNO(op(3, 1, 0), EFBIG);
	CHECK_ERRNO(semop(s, two, 0), EINVAL);
	static struct sembuf many[501];
	CHECK_ERRNO(semop(s, many, 501), E2BIG);
	CHECK_ERRNO(semop(-1, two, 1), EINVAL);
	CHECK_ERRNO(semop(s, (struct sembuf *)contract_unmapped_page(), 1), EFAULT);
	CHECK_ERRNO(semctl(s, 0, 99), EINVAL);
	/* An existing set with fewer semaphores than asked for. */
	key_t key = (key_t)(0x53000000 | (getpid() & 0xffffff));
	int k = CHECK_OK(semget(key, 2, IPC_CREAT | 0600));
	CHECK_EQ(semget(key, 1, 0), k);
	CHECK_EQ(semget(key, 0, 0), k);
	CHECK_ERRNO(semget(key, 3, 0), EINVAL);
	CHECK_OK(semctl(k, 0, IPC_RMID));
	return 0;
}
