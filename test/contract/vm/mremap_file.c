/* mremap of file mappings: moved pages keep their file offset; shared stores still
 * reach the file; growing past EOF gives SIGBUS there. */
#include "contract.h"

static int child(void *arg)
{
	volatile char *p = arg;

	(void)p[2 * 4096];
	return 1;
}

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[2];

	CHECK_OK(ftruncate(fd, 2 * 4096));
	CHECK_EQ(pwrite(fd, "1", 1, 0), 1);
	CHECK_EQ(pwrite(fd, "2", 1, 4096), 1);
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], '1');
	/* Move the second page alone somewhere else. */
	char *dest = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(dest != MAP_FAILED);
	char *n = mremap(m + 4096, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, dest);
	CHECK(n == dest);
	CHECK_EQ(n[0], '2');
	n[1] = 'x';
	CHECK_EQ(pread(fd, buf, 2, 4096), 2);
	CHECK(memcmp(buf, "2x", 2) == 0);
	/* Grow it to three pages: pages 1 and 2 of the file, then past EOF. */
	char *g = mremap(m, 4096, 3 * 4096, MREMAP_MAYMOVE);
	CHECK(g != MAP_FAILED);
	CHECK_EQ(g[0], '1');
	CHECK_EQ(g[4096], '2');
	CHECK_EQ(g[4097], 'x');
	CHECK_SIGNALED(contract_run_child(child, g), SIGBUS);
	/* The file grows: the page appears. */
	CHECK_OK(ftruncate(fd, 3 * 4096));
	g[2 * 4096] = 'z';
	CHECK_EQ(pread(fd, buf, 1, 2 * 4096), 1);
	CHECK_EQ(buf[0], 'z');
	return 0;
}
