/* Data flows in order through a pipe; read returns 0 (EOF) once all writers are closed. */
#include "contract.h"

int main(void)
{
	int p[2];
	char buf[16];

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_EQ(write(p[1], "def", 3), 3);
	CHECK_EQ(read(p[0], buf, 4), 4);
	CHECK(memcmp(buf, "abcd", 4) == 0);
	int w2 = CHECK_OK(dup(p[1]));
	CHECK_OK(close(p[1]));
	CHECK_EQ(read(p[0], buf, 16), 2);	/* still a writer (w2), data left */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(30);
		close(w2);
		_exit(0);
	}
	CHECK_OK(close(w2));
	/* Blocks until the child's copy of the writer closes, then EOF. */
	CHECK_EQ(read(p[0], buf, 16), 0);
	CHECK_EQ(read(p[0], buf, 16), 0);
	contract_wait(pid);
	struct stat st;
	CHECK_OK(fstat(p[0], &st));
	CHECK(S_ISFIFO(st.st_mode));
	return 0;
}
