/* mprotect on file mappings: PROT_WRITE needs a writable descriptor for MAP_SHARED only. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf env;
static volatile int sig_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	sig_code = si->si_code;
	siglongjmp(env, 1);
}

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[4];

	CHECK_EQ(write(fd, "data", 4), 4);
	int ro = CHECK_OK(open(contract_path("f"), O_RDONLY));

	/* Shared, read-only descriptor: never writable. */
	char *s = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(s != MAP_FAILED);
	CHECK_ERRNO(mprotect(s, 4096, PROT_READ | PROT_WRITE), EACCES);
	CHECK_OK(mprotect(s, 4096, PROT_READ | PROT_EXEC));
	CHECK_OK(mprotect(s, 4096, PROT_NONE));
	CHECK_OK(mprotect(s, 4096, PROT_READ));
	CHECK_EQ(s[0], 'd');

	/* Private, read-only descriptor: writable, the copy stays private. */
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	CHECK_OK(mprotect(p, 4096, PROT_READ | PROT_WRITE));
	p[0] = 'P';
	CHECK_EQ(pread(fd, buf, 4, 0), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	CHECK_EQ(s[0], 'd');

	/* Shared writable: read-only, a store faults with SEGV_ACCERR, then
	 * writable again and the store reaches the file. */
	char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(w != MAP_FAILED);
	w[1] = 'A';
	CHECK_OK(mprotect(w, 4096, PROT_READ));
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	if (sigsetjmp(env, 1) == 0) {
		*(volatile char *)w = 'X';
		CONTRACT_FAIL("store to a read-only mapping succeeded");
	}
	CHECK_EQ(sig_code, SEGV_ACCERR);
	CHECK_OK(mprotect(w, 4096, PROT_READ | PROT_WRITE));
	w[2] = 'T';
	CHECK_EQ(pread(fd, buf, 4, 0), 4);
	CHECK(memcmp(buf, "dATa", 4) == 0);
	CHECK_EQ(s[2], 'T');

	/* A range spanning an anonymous VMA, then the read-only shared file:
	 * Linux changes the first and fails with EACCES at the second. */
	char *area = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	CHECK(mmap(area + 4096, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, ro, 0) == area + 4096);
	CHECK_ERRNO(mprotect(area, 2 * 4096, PROT_READ | PROT_WRITE), EACCES);
	area[0] = 1;		/* the anonymous part is writable now */
	CHECK_EQ(area[4096], 'd');
	return 0;
}
