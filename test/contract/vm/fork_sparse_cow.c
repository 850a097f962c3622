/* fork of a large, sparsely touched private mapping: only the touched pages
 * exist, on both sides of page-table boundaries (2 MiB, 1 GiB); the child
 * sees them and zeros elsewhere, writes stay private on both sides, and
 * munmap and mprotect of parts leave the other pages intact. */
#include "contract.h"

#define MIB (1UL << 20)
#define GIB (1UL << 30)
#define PAGE 4096UL
#define NSPOTS 8

static uintptr_t spots[NSPOTS];

static volatile int *at(int i)
{
	return (volatile int *)spots[i];
}

/* Every spot holds base + i, except the ones in [skip_lo, skip_hi). */
static int spots_hold(int base, uintptr_t skip_lo, uintptr_t skip_hi)
{
	for (int i = 0; i < NSPOTS; i++) {
		if (spots[i] >= skip_lo && spots[i] < skip_hi)
			continue;
		if (*at(i) != base + i)
			return 0;
	}
	return 1;
}

int main(void)
{
	size_t len = 2 * GIB + 8 * MIB;
	char *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t base, gib;
	int p[2];

	CHECK(map != MAP_FAILED);
	/* Boundaries strictly inside, far enough apart that no spots meet. */
	base = ((uintptr_t)map + PAGE + 2 * MIB - 1) & ~(2 * MIB - 1);
	gib = ((uintptr_t)map + 16 * MIB + GIB - 1) & ~(GIB - 1);
	spots[0] = (uintptr_t)map;                      /* first page */
	spots[1] = base - PAGE;                         /* around 2 MiB */
	spots[2] = base;
	spots[3] = base + 2 * MIB + 17 * PAGE;
	spots[4] = gib - PAGE;                          /* around 1 GiB */
	spots[5] = gib;
	spots[6] = gib + 3 * MIB;
	spots[7] = (uintptr_t)map + len - PAGE;         /* last page */
	for (int i = 0; i < NSPOTS; i++)
		*at(i) = 100 + i;
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		int ok = spots_hold(100, 0, 0) &&
			 *(volatile int *)(base + PAGE) == 0 &&
			 *(volatile int *)(gib + MIB) == 0;

		for (int i = 0; i < NSPOTS; i++)
			*at(i) = 200 + i;
		/* Drop [base, base + 4 MiB): spots 2 and 3 go. */
		ok = ok && munmap((void *)base, 4 * MIB) == 0 &&
		     spots_hold(200, base, base + 4 * MIB);
		close(p[1]);
		read(p[0], &c, 1);      /* the parent has written meanwhile */
		ok = ok && spots_hold(200, base, base + 4 * MIB);
		_exit(ok ? 0 : 1);
	}
	close(p[0]);
	for (int i = 0; i < NSPOTS; i++)
		*at(i) = 300 + i;
	CHECK_OK(write(p[1], "x", 1));
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK(spots_hold(300, 0, 0));
	/* Read-only around the 1 GiB boundary: still readable, values kept. */
	CHECK_OK(mprotect((void *)(gib - PAGE), 4 * MIB, PROT_READ));
	CHECK(spots_hold(300, 0, 0));
	CHECK_OK(mprotect((void *)(gib - PAGE), 4 * MIB,
			  PROT_READ | PROT_WRITE));
	*at(4) = 1;
	CHECK_EQ(*at(4), 1);
	CHECK_OK(munmap(map, len));
	return 0;
}
