/* Truncating a mapped file: whole pages past the new EOF raise SIGBUS (BUS_ADRERR,
 * si_addr) in shared and private mappings, even pages already copied. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf env;
static volatile int bus_code;
static void *volatile bus_addr;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	siglongjmp(env, 1);
}

/* Read one byte at p; 1 if it raised SIGBUS at exactly p. */
static int bus_on_read(volatile char *p)
{
	bus_code = 0;
	bus_addr = NULL;
	if (sigsetjmp(env, 1) == 0) {
		(void)*p;
		return 0;
	}
	if (bus_code != BUS_ADRERR || bus_addr != (void *)p)
		CONTRACT_FAIL("SIGBUS code %d addr %p, expected %d %p", bus_code,
			      bus_addr, BUS_ADRERR, (void *)p);
	return 1;
}

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	struct sigaction sa = { .sa_sigaction = on_bus, .sa_flags = SA_SIGINFO };

	CHECK_OK(sigaction(SIGBUS, &sa, NULL));
	CHECK_OK(ftruncate(fd, 3 * 4096));
	char *s = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && p != MAP_FAILED);
	memset(s, 'S', 3 * 4096);
	p[2 * 4096] = 'P';			/* a private copy of page 2 */
	CHECK_EQ(p[4096], 'S');

	CHECK_OK(ftruncate(fd, 4096 + 100));
	CHECK_EQ(s[0], 'S');
	CHECK_EQ(s[4096 + 99], 'S');
	CHECK_EQ(s[4096 + 100], 0);		/* past EOF in the last page: zeros */
	CHECK_EQ(p[4096 + 100], 0);
	CHECK(bus_on_read(s + 2 * 4096));
	CHECK(bus_on_read(s + 3 * 4096 - 1));
	CHECK(bus_on_read(p + 2 * 4096));	/* the copy is gone too */
	/* A store past EOF is SIGBUS as well, and read(2) into it is EFAULT. */
	bus_code = 0;
	if (sigsetjmp(env, 1) == 0) {
		s[2 * 4096 + 5] = 1;
		CONTRACT_FAIL("store past EOF succeeded");
	}
	CHECK_EQ(bus_code, BUS_ADRERR);
	CHECK_EQ(bus_addr, s + 2 * 4096 + 5);
	CHECK_ERRNO(pread(fd, s + 2 * 4096, 10, 0), EFAULT);

	/* Grow again: the pages come back as zeros. */
	CHECK_OK(ftruncate(fd, 3 * 4096));
	CHECK_EQ(s[2 * 4096], 0);
	CHECK_EQ(p[2 * 4096], 0);
	CHECK_EQ(s[4096 + 100], 0);

	/* Truncate to zero: even the first page. */
	CHECK_OK(ftruncate(fd, 0));
	CHECK(bus_on_read(s));
	CHECK(bus_on_read(p + 4096));
	return 0;
}
