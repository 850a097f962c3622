/* Shared futexes across processes: a word in MAP_SHARED memory is the
 * same futex in parent and child (even at different addresses), while a
 * private futex op keys by address space and so does not meet. */
#include "thread_util.h"
#include <sys/mman.h>

int main(void)
{
	/* A reserved range, so the mremap below has a safe target. */
	char *region = mmap(NULL, 16 * 4096, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(region != MAP_FAILED);
	uint32_t *w = mmap(region, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(w == (uint32_t *)region);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		long r;
		while ((r = futex_call(w, FUTEX_WAIT, 0, NULL, NULL, 0)) != 0 &&
		       errno == EINTR)
			;
		_exit(r == 0 && w[1] == 1 ? 0 : 1);
	}
	contract_wait_sleeping(pid);
	/* A private wake does not reach the other process's waiter. */
	CHECK_EQ(futex_call(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	w[1] = 1;
	CHECK_EQ(futex_call(w, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EXITED(contract_wait(pid), 0);

	/* mremap'ing the page elsewhere keeps it the same futex: the child
	 * waits at the new address, the parent wakes at the old one. */
	w[1] = 0;
	pid = CHECK_OK(fork());
	if (pid == 0) {
		uint32_t *moved = mremap(w, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
					 region + 8 * 4096);
		if (moved == MAP_FAILED)
			_exit(3);
		while (futex_call(moved, FUTEX_WAIT, 0, NULL, NULL, 0) != 0 &&
		       errno == EINTR)
			;
		_exit(moved[1] == 2 ? 0 : 1);
	}
	contract_wait_sleeping(pid);
	w[1] = 2;
	CHECK_EQ(futex_call(w, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
