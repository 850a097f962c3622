/* getrusage: CPU time of self grows with work; children's time appears after wait. */
#include "contract.h"
#include <sys/resource.h>

int main(void)
{
	struct rusage ru, ch;

	/* Touch 8 MiB: RSS counters may lag by a few pages per CPU. */
	size_t big = 8 << 20;
	char *m = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	memset(m, 1, big);
	contract_burn_cpu(30);
	CHECK_OK(getrusage(RUSAGE_SELF, &ru));
	CHECK(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0 ||
	      ru.ru_stime.tv_usec > 0);
	CHECK(ru.ru_maxrss >= 6 * 1024);	/* KiB */
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &ch));
	CHECK_EQ(ch.ru_utime.tv_sec + ch.ru_utime.tv_usec + ch.ru_stime.tv_sec + ch.ru_stime.tv_usec, 0);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_burn_cpu(50);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &ch));
	long us = ch.ru_utime.tv_sec * 1000000L + ch.ru_utime.tv_usec +
		  ch.ru_stime.tv_sec * 1000000L + ch.ru_stime.tv_usec;
	CHECK(us >= 40000);
	CHECK_OK(getrusage(RUSAGE_THREAD, &ru));
	CHECK_ERRNO(getrusage(12345, &ru), EINVAL);
	return 0;
}
