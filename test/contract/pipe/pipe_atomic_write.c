/* Writes of PIPE_BUF (4096) bytes from concurrent writers are never interleaved. */
#include "contract.h"
#include <limits.h>

#define WRITERS 4
#define ROUNDS 32

int main(void)
{
	int p[2];
	static char buf[PIPE_BUF];

	CHECK_EQ(PIPE_BUF, 4096);
	CHECK_OK(pipe(p));
	for (int w = 0; w < WRITERS; w++) {
		pid_t pid = CHECK_OK(fork());
		if (pid == 0) {
			memset(buf, 'A' + w, sizeof(buf));
			close(p[0]);
			for (int i = 0; i < ROUNDS; i++)
				if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int chunks = 0;
	for (;;) {
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(buf) && (n = read(p[0], buf + got, sizeof(buf) - got)) > 0)
			got += n;
		if (got == 0)
			break;
		CHECK_EQ(got, sizeof(buf));
		for (size_t i = 1; i < got; i++)
			if (buf[i] != buf[0])
				CONTRACT_FAIL("chunk %d interleaved at byte %zu", chunks, i);
		chunks++;
	}
	CHECK_EQ(chunks, WRITERS * ROUNDS);
	for (int w = 0; w < WRITERS; w++) {
		int st;
		CHECK(wait(&st) > 0);
		CHECK_EXITED(st, 0);
	}
	return 0;
}
