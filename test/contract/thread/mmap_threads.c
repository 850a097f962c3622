/* Threads mapping memory at the same time never get overlapping ranges:
 * each thread's new mapping keeps what it wrote while the others map,
 * grow the heap (brk through malloc) and unmap around it. */
#include "thread_util.h"
#include <sched.h>
#include <sys/mman.h>

enum { THREADS = 6, ROUNDS = 150, PAGES = 3 };

static void *worker(void *arg)
{
	long id = (long)arg + 1;

	for (int r = 0; r < ROUNDS; r++) {
		long *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *heap = malloc(1000 + r * 16);
		if (p == MAP_FAILED || !heap)
			return (void *)1;
		for (int i = 0; i < PAGES; i++)
			p[i * 512] = id * 1000000 + r * 10 + i;
		memset(heap, (int)id, 1000);
		sched_yield();
		for (int i = 0; i < PAGES; i++)
			if (p[i * 512] != id * 1000000 + r * 10 + i)
				return (void *)2;
		for (int i = 0; i < 1000; i++)
			if (heap[i] != (char)id)
				return (void *)3;
		free(heap);
		if (munmap(p, PAGES * 4096))
			return (void *)4;
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];

	for (long i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, worker, (void *)i), 0);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		CHECK_EQ(pthread_join(t[i], &r), 0);
		CHECK_EQ((long)r, 0);
	}
	return 0;
}
