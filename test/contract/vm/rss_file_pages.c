/* Mapped file pages count in RssFile or RssShmem (tmpfs) of /proc/self/status and in
 * the "shared" field of statm; they leave it with munmap. */
#include "contract.h"

#define NPAGES 64

static long status_kb(const char *field)
{
	static char buf[8192];
	contract_read_file("/proc/self/status", buf, sizeof(buf));
	char *p = strstr(buf, field);
	if (!p)
		CONTRACT_FAIL("no %s in /proc/self/status", field);
	return strtol(p + strlen(field), NULL, 10);
}

static long statm_shared(void)
{
	char buf[256];
	long size, resident, shared;
	contract_read_file("/proc/self/statm", buf, sizeof(buf));
	CHECK_EQ(sscanf(buf, "%ld %ld %ld", &size, &resident, &shared), 3);
	return shared;
}

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	static char page[4096];

	memset(page, 'r', sizeof(page));
	for (int i = 0; i < NPAGES; i++)
		CHECK_EQ(write(fd, page, sizeof(page)), (long)sizeof(page));
	long file0 = status_kb("RssFile:") + status_kb("RssShmem:");
	long shared0 = statm_shared();
	volatile char *m = mmap(NULL, NPAGES * 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	for (int i = 0; i < NPAGES; i++)
		CHECK_EQ(m[i * 4096], 'r');
	long file1 = status_kb("RssFile:") + status_kb("RssShmem:");
	CHECK(file1 - file0 >= NPAGES * 4);
	CHECK(statm_shared() - shared0 >= NPAGES);
	CHECK_OK(munmap((void *)m, NPAGES * 4096));
	long file2 = status_kb("RssFile:") + status_kb("RssShmem:");
	CHECK(file1 - file2 >= NPAGES * 4);
	/* Private copies are anonymous memory. */
	long anon0 = status_kb("RssAnon:");
	volatile char *p = mmap(NULL, NPAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	for (int i = 0; i < NPAGES; i++)
		p[i * 4096] = 'w';
	CHECK(status_kb("RssAnon:") - anon0 >= NPAGES * 4);
	return 0;
}
