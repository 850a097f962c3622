/* IPC_RMID of an attached segment: it is marked SHM_DEST with key IPC_PRIVATE, stays usable (and attachable by id) until the last detach, then its id is gone (EINVAL). */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/shm.h>

#ifndef SHM_DEST
#define SHM_DEST 01000
#endif

int main(void)
{
	key_t key = (key_t)(0x72000000 | (getpid() & 0xffffff));
	int m = CHECK_OK(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
	char *a = shmat(m, NULL, 0);
	CHECK(a != (char *)-1);
	strcpy(a, "alive");

	CHECK_OK(shmctl(m, IPC_RMID, NULL));
	struct shmid_ds ds;
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_perm.mode, 0600 | SHM_DEST);
	CHECK_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_ERRNO(shmget(key, 4096, 0600), ENOENT);
	CHECK(strcmp(a, "alive") == 0);

	/* Linux still lets it be attached by id. */
	char *b = shmat(m, NULL, 0);
	CHECK(b != (char *)-1);
	CHECK(strcmp(b, "alive") == 0);
	CHECK_OK(shmdt(a));
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_nattch, 1);

	/* A child attached by fork keeps it after we detach. */
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char ch;
		read(p[0], &ch, 1);
		_exit(strcmp(b, "alive") == 0 ? 0 : 1);
	}
	CHECK_OK(shmdt(b));
	CHECK_OK(shmctl(m, IPC_STAT, &ds));
	CHECK_EQ(ds.shm_nattch, 1);
	CHECK_EQ(write(p[1], "k", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	/* The last attachment went with the child: the segment is gone. */
	CHECK_ERRNO(shmctl(m, IPC_STAT, &ds), EINVAL);
	CHECK_ERRNO(shmat(m, NULL, 0), EINVAL);

	/* Without attachments IPC_RMID removes at once. */
	int n = CHECK_OK(shmget(IPC_PRIVATE, 4096, 0600));
	CHECK_OK(shmctl(n, IPC_RMID, NULL));
	CHECK_ERRNO(shmctl(n, IPC_STAT, &ds), EINVAL);
	return 0;
}
