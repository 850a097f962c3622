/* Writing past RLIMIT_FSIZE raises SIGXFSZ; with it ignored, write fails with EFBIG. */
#include "contract.h"
#include <sys/resource.h>

static int child(void *arg)
{
	struct rlimit rl = { 100, 100 };
	char buf[200] = { 0 };
	int fd = open(contract_path("f"), O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || setrlimit(RLIMIT_FSIZE, &rl))
		return 1;
	if (*(int *)arg)
		signal(SIGXFSZ, SIG_IGN);
	/* A write crossing the limit is cut short at the limit. */
	if (write(fd, buf, 150) != 100)
		return 2;
	errno = 0;
	if (write(fd, buf, 1) != -1 || errno != EFBIG)
		return 3;
	return 0;
}

int main(void)
{
	int ignore = 0;

	contract_tmpdir();
	CHECK_SIGNALED(contract_run_child(child, &ignore), SIGXFSZ);
	ignore = 1;
	CHECK_EXITED(contract_run_child(child, &ignore), 0);
	struct stat st;
	CHECK_OK(stat(contract_path("f"), &st));
	CHECK_EQ(st.st_size, 100);
	return 0;
}
