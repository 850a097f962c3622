/* shmat at a given address: it must be page aligned unless SHM_RND rounds it down, may not overlap a mapping unless SHM_REMAP; munmap of part of an attachment leaves a piece that shmdt at the original address still finds; exec detaches. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/shm.h>

#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif

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

int main(int argc, char **argv)
{
	if (argc == 2) {		/* after exec: nothing attached here */
		m = atoi(argv[1]);
		struct shmid_ds ds;
		CHECK_OK(shmctl(m, IPC_STAT, &ds));
		CHECK_EQ(ds.shm_nattch, 1);	/* only the parent's */
		m = -1;
		return 0;
	}
	atexit(cleanup);
	m = CHECK_OK(shmget(IPC_PRIVATE, 3 * 4096, 0600));

	/* Find a free 4-page area. */
	char *area = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	CHECK_OK(munmap(area, 4 * 4096));

	CHECK_ERRNO(shmat(m, area + 100, 0), EINVAL);
	char *a = shmat(m, area + 100, SHM_RND);
	CHECK(a == area);
	a[0] = 'A';
	CHECK_ERRNO(shmat(m, area + 4096, 0), EINVAL);	/* overlaps */
	CHECK_ERRNO(shmat(m, NULL, SHM_REMAP), EINVAL);
	/* Past the user address space: ENOMEM; wrapping around: EINVAL. */
	CHECK_ERRNO(shmat(m, (void *)0x800000000000UL, 0), ENOMEM);
	CHECK_ERRNO(shmat(m, (void *)-4096L, 0), EINVAL);
	/* SHM_REMAP replaces what is there. */
	char *r = shmat(m, area + 4096, SHM_REMAP);
	CHECK(r == area + 4096);
	CHECK_EQ(r[0], 'A');
	CHECK_EQ(nattch(), 2);		/* what is left of the first, and r */
	CHECK_OK(shmdt(r));
	CHECK_EQ(a[0], 'A');
	CHECK_OK(shmdt(a));
	CHECK_EQ(nattch(), 0);

	/* Unmap the first page of an attachment: shmdt wants the address
	 * the attachment started at, and finds the piece that is left. */
	a = shmat(m, NULL, 0);
	CHECK(a != (char *)-1);
	CHECK_OK(munmap(a, 4096));
	CHECK_ERRNO(shmdt(a + 4096), EINVAL);
	CHECK_OK(shmdt(a));
	CHECK_EQ(nattch(), 0);
	CHECK_ERRNO(shmdt(a), EINVAL);

	/* exec detaches. */
	a = shmat(m, NULL, 0);
	CHECK(a != (char *)-1);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char id[16];
		snprintf(id, sizeof(id), "%d", m);
		execl("/proc/self/exe", argv[0], id, (char *)NULL);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(nattch(), 1);
	return 0;
}
