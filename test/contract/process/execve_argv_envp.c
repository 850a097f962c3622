/* execve passes argv and envp exactly, including empty strings. */
#include "contract.h"

extern char **environ;

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--child")) {
		if (argc != 5 || strcmp(argv[2], "two") || strcmp(argv[3], "") ||
		    strcmp(argv[4], "four with spaces") || argv[5] != NULL)
			return 10;
		if (!environ[0] || strcmp(environ[0], "A=1") ||
		    !environ[1] || strcmp(environ[1], "EMPTY=") || environ[2])
			return 11;
		if (!getenv("A") || strcmp(getenv("A"), "1"))
			return 12;
		return 0;
	}
	char *cargv[] = { "/proc/self/exe", "--child", "two", "", "four with spaces", NULL };
	char *cenvp[] = { "A=1", "EMPTY=", NULL };
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		execve("/proc/self/exe", cargv, cenvp);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
