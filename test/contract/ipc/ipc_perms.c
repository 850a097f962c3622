/* Permission checks of semaphores and shared memory for another user: read/write bits per operation (EACCES), only the owner or creator may IPC_SET/IPC_RMID (EPERM), a new owner gets those rights, "other" bits apply. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int s = -1, m = -1;

static void cleanup(void)
{
	if (s >= 0)
		semctl(s, 0, IPC_RMID);
	if (m >= 0)
		shmctl(m, IPC_RMID, NULL);
}

/* In a child as nobody: run @fn, return its exit status. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		_exit(fn());
	}
	int st = contract_wait(pid);
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int no_access(void)
{
	struct sembuf b = { 0, 0, IPC_NOWAIT };
	union semun arg = { .val = 1 };
	struct semid_ds sds;
	struct shmid_ds mds;

	if (semop(s, &b, 1) != -1 || errno != EACCES)
		return 1;
	if (semctl(s, 0, GETVAL) != -1 || errno != EACCES)
		return 2;
	if (semctl(s, 0, SETVAL, arg) != -1 || errno != EACCES)
		return 3;
	if (semctl(s, 0, IPC_STAT, (union semun){ .buf = &sds }) != -1 || errno != EACCES)
		return 4;
	if (semctl(s, 0, IPC_RMID) != -1 || errno != EPERM)
		return 5;
	if (shmat(m, NULL, 0) != (void *)-1 || errno != EACCES)
		return 6;
	if (shmat(m, NULL, SHM_RDONLY) != (void *)-1 || errno != EACCES)
		return 7;
	if (shmctl(m, IPC_STAT, &mds) != -1 || errno != EACCES)
		return 8;
	if (shmctl(m, IPC_RMID, NULL) != -1 || errno != EPERM)
		return 9;
	return 0;
}

/* With mode 0604: others may read but not write. */
static int read_only(void)
{
	struct sembuf zero = { 0, 0, IPC_NOWAIT }, inc = { 0, 1, IPC_NOWAIT };
	union semun arg = { .val = 1 };

	if (semop(s, &zero, 1) != 0)		/* wait-for-zero only reads */
		return 1;
	if (semop(s, &inc, 1) != -1 || errno != EACCES)
		return 2;
	if (semctl(s, 0, GETVAL) != 0)
		return 3;
	if (semctl(s, 0, SETVAL, arg) != -1 || errno != EACCES)
		return 4;
	char *p = shmat(m, NULL, SHM_RDONLY);
	if (p == (char *)-1 || p[0] != 'r')
		return 5;
	if (shmat(m, NULL, 0) != (void *)-1 || errno != EACCES)
		return 6;
	return 0;
}

/* As the new owner (uid nobody): IPC_SET and IPC_RMID are allowed. */
static int owner(void)
{
	struct semid_ds sds;
	union semun arg = { .buf = &sds };

	if (semctl(s, 0, IPC_STAT, arg) != 0)
		return 1;
	sds.sem_perm.mode = 0666;
	if (semctl(s, 0, IPC_SET, arg) != 0)
		return 2;
	if (shmctl(m, IPC_RMID, NULL) != 0)
		return 3;
	return 0;
}

int main(void)
{
	contract_need_root();
	atexit(cleanup);
	s = CHECK_OK(semget(IPC_PRIVATE, 1, 0600));
	m = CHECK_OK(shmget(IPC_PRIVATE, 4096, 0600));
	char *p = shmat(m, NULL, 0);
	CHECK(p != (char *)-1);
	p[0] = 'r';
	CHECK_EQ(as_nobody(no_access), 0);

	struct semid_ds sds;
	union semun arg = { .buf = &sds };
	CHECK_OK(semctl(s, 0, IPC_STAT, arg));
	sds.sem_perm.mode = 0604;
	CHECK_OK(semctl(s, 0, IPC_SET, arg));
	struct shmid_ds mds;
	CHECK_OK(shmctl(m, IPC_STAT, &mds));
	mds.shm_perm.mode = 0604;
	CHECK_OK(shmctl(m, IPC_SET, &mds));
	CHECK_EQ(as_nobody(read_only), 0);

	sds.sem_perm.uid = CONTRACT_NOBODY;
	CHECK_OK(semctl(s, 0, IPC_SET, arg));
	mds.shm_perm.uid = CONTRACT_NOBODY;
	CHECK_OK(shmctl(m, IPC_SET, &mds));
	CHECK_EQ(as_nobody(owner), 0);
	CHECK_OK(semctl(s, 0, IPC_STAT, arg));
	CHECK_EQ(sds.sem_perm.mode, 0666);
	CHECK_EQ(sds.sem_perm.cuid, 0);
	CHECK_OK(shmctl(m, IPC_STAT, &mds));
	CHECK_EQ(mds.shm_perm.mode & 01000, 01000);	/* SHM_DEST: still attached */
	m = -1;
	return 0;
}
