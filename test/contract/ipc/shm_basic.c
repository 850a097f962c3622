/* Shared memory: shmget sizes, attachments of one segment share their pages (in one process and across fork), shm_nattch counts attachments (fork's copies too) and drops on shmdt and exit, SHM_RDONLY maps read-only for good (mprotect: EACCES), IPC_STAT fields; shmdt errors. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/shm.h>

static int m = -1;

static void cleanup(void)
{
	if (m >= 0)
		shmctl(m, IPC_RMID, NULL);
}

static unsigned long nattch(void)
{
	struct shmid_ds ds;
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	return ds.shm_nattch;
}

int main(void)
{
	atexit(cleanup);
	CHECK_ERRNO(shmget(IPC_PRIVATE, 0, 0600), EINVAL);
	m = CHECK_OK(shmget(IPC_PRIVATE, 10000, 0600));

	struct shmid_ds ds;
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_segsz, 10000);
	CHECK_EQ(ds.shm_cpid, getpid());
	CHECK_EQ(ds.shm_lpid, 0);
	CHECK_EQ(ds.shm_nattch, 0);
	CHECK_EQ(ds.shm_atime, 0);
	CHECK_EQ(ds.shm_perm.mode, 0600);

	char *a = shmat(m, NULL, 0);
	CHECK(a != (char *)-1);
	CHECK_EQ((unsigned long)a % 4096, 0);
	CHECK_EQ(a[0], 0);
	CHECK_EQ(a[9999], 0);
	char *b = shmat(m, NULL, 0);
	CHECK(b != (char *)-1 && b != a);
	CHECK_EQ(nattch(), 2);
	strcpy(a, "shared");
	CHECK(strcmp(b, "shared") == 0);
	a[12287] = 'z';		/* the rest of the last page is mapped too */
	CHECK_EQ(b[12287], 'z');
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_lpid, getpid());
	CHECK(ds.shm_atime > 0);
	CHECK_OK(shmdt(b));
	CHECK_EQ(nattch(), 1);
	CHECK_ERRNO(shmdt(b), EINVAL);
	CHECK_ERRNO(shmdt(a + 1), EINVAL);
	CHECK_ERRNO(shmdt(a + 4096), EINVAL);

	/* fork: the child's copy counts, its writes are seen, its exit detaches. */
	int p[2], back[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(back));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		strcpy(a + 100, "from child");
		write(p[1], "k", 1);
		read(back[0], &c, 1);
		_exit(0);
	}
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(nattch(), 2);
	CHECK(strcmp(a + 100, "from child") == 0);
	CHECK_EQ(write(back[1], "k", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(nattch(), 1);
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_lpid, pid);
	CHECK(ds.shm_dtime > 0);

	/* A read-only attachment: writing faults, mprotect cannot allow it. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		volatile char *r = shmat(m, NULL, SHM_RDONLY);
		if (r == (char *)-1 || r[0] != 's')
			_exit(1);
		if (mprotect((void *)r, 4096, PROT_READ | PROT_WRITE) != -1 ||
		    errno != EACCES)
			_exit(3);
		if (mprotect((void *)r, 4096, PROT_NONE) != 0 ||
		    mprotect((void *)r, 4096, PROT_READ) != 0)
			_exit(4);
		r[0] = 'x';
		_exit(2);
	}
	CHECK_SIGNALED(contract_wait(pid), SIGSEGV);
	CHECK_EQ(a[0], 's');

	/* Existing key with a bigger size: EINVAL; smaller or 0: fine. */
	key_t key = (key_t)(0x68000000 | (getpid() & 0xffffff));
	int k = CHECK_OK(shmget(key, 8192, IPC_CREAT | 0600));
	CHECK_EQ(shmget(key, 100, 0), k);
	CHECK_EQ(shmget(key, 0, 0), k);
	CHECK_ERRNO(shmget(key, 8193, 0), EINVAL);
	CHECK_OK(shmctl(k, IPC_RMID, NULL));

	CHECK_ERRNO(shmat(-1, NULL, 0), EINVAL);
	CHECK_ERRNO(shmat(m + 1000000, NULL, 0), EINVAL);
	CHECK_ERRNO(shmctl(m, 99, &ds), EINVAL);
	CHECK_ERRNO(shmctl(m, IPC_STAT, (struct shmid_ds *)contract_unmapped_page()), EFAULT);
	CHECK_OK(shmdt(a));
	CHECK_EQ(nattch(), 0);
	return 0;
}
