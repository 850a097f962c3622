/* A blocking writer to a full pipe sleeps until the reader drains; a large write completes fully. */
#include "contract.h"

int main(void)
{
	int p[2];
	static char buf[200000];
	static char in[200000];

	CHECK_OK(pipe(p));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	contract_msleep(30);	/* let the writer fill the pipe and block */
	while ((n = read(p[0], in + got, sizeof(in) - got)) > 0)
		got += n;
	CHECK_EQ(got, sizeof(buf));
	CHECK(memcmp(in, buf, sizeof(buf)) == 0);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
