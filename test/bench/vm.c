/*
 * Anonymous memory: mmap of 1 MiB, a write to each of its 256 pages,
 * munmap (one op = the whole cycle), and the cost of one page fault (one
 * op = the first write to one page of a large mapping that was made
 * before the loop; transparent huge pages are turned off for it so each
 * op is a 4 KiB fault on Linux too).
 */
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define MIB (1024 * 1024)

static void bench_mmap_touch_1m(struct bench *b)
{
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		volatile char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			bench_fail(b, "mmap", errno);
			break;
		}
		for (long off = 0; off < MIB; off += PAGE)
			p[off] = 1;
		if (p[MIB - PAGE] != 1 || munmap((void *)p, MIB) != 0) {
			bench_fail(b, "munmap", errno);
			break;
		}
	}
	bench_end(b);
}

static void bench_page_fault(struct bench *b)
{
	size_t len = (size_t)b->iters * PAGE;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		bench_fail(b, "mmap", errno);
		return;
	}
	/* Best effort: a kernel without THP may not know the advice. */
	madvise((void *)p, len, MADV_NOHUGEPAGE);
	bench_begin(b);
	for (long i = 0; i < b->iters; i++)
		p[i * PAGE] = 1;
	bench_end(b);
	for (long i = 0; i < b->iters; i++)
		if (p[i * PAGE] != 1) {
			bench_fail(b, "page lost its data", 0);
			break;
		}
	if (munmap((void *)p, len) != 0)
		bench_fail(b, "munmap", errno);
}

static const struct bench_def benches[] = {
	BENCH_DEF(mmap_touch_1m, 100, 3),
	BENCH_DEF(page_fault, 8192, 16),
};

BENCH_MAIN(benches)
