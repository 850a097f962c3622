/* A "#!/bin/sh" script runs with its arguments and its exit status is seen. */
#include "contract.h"

int main(void)
{
	const char *path = contract_path("s.sh");
	const char *out = contract_path("out");
	char script[512], buf[128];

	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$# $1 $2\" > %s\nexit 7\n", out);
	contract_write_file(path, script, 0755);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char *cargv[] = { (char *)path, "a", "b c", NULL };
		char *cenvp[] = { "PATH=/bin:/usr/bin", NULL };
		execve(path, cargv, cenvp);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 7);
	contract_read_file(out, buf, sizeof(buf));
	CHECK(strcmp(buf, "2 a b c\n") == 0);
	return 0;
}
