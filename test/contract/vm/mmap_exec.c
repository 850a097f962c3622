/* Code in a file mapped PROT_READ|PROT_EXEC runs (how ld.so maps libraries); the
 * same page without PROT_EXEC faults. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(void)
{
	/* mov eax, 42; ret */
	static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	int fd = CHECK_OK(open(contract_path("code"), O_CREAT | O_RDWR, 0755));

	CHECK_OK(ftruncate(fd, 8192));
	CHECK_EQ(pwrite(fd, code, sizeof(code), 4096), (long)sizeof(code));
	close(fd);
	fd = CHECK_OK(open(contract_path("code"), O_RDONLY));
	char *x = mmap(NULL, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK(x != MAP_FAILED);
	int (*fn)(void) = (int (*)(void))(x + 4096);
	CHECK_EQ(fn(), 42);
	/* Shared executable mapping of a read-only descriptor, too. */
	char *s = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 4096);
	CHECK(s != MAP_FAILED);
	CHECK_EQ(((int (*)(void))s)(), 42);

	char *r = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	CHECK(r != MAP_FAILED);
	CHECK_EQ((unsigned char)r[0], 0xb8);
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(env, 1) == 0) {
		((int (*)(void))r)();
		CONTRACT_FAIL("executed a mapping without PROT_EXEC");
	}
	/* mprotect adds PROT_EXEC. */
	CHECK_OK(mprotect(r, 4096, PROT_READ | PROT_EXEC));
	CHECK_EQ(((int (*)(void))r)(), 42);
	return 0;
}
