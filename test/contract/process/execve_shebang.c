/*
 * "#!interp optarg" scripts: the kernel runs interp with argv
 * { interp, "optarg", script path, original argv[1..] }.
 */
#include "contract.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "only one arg")) {
		/* Running as the interpreter of the script. */
		if (argc != 4)
			return 10;
		if (!getenv("SCRIPT") || strcmp(argv[2], getenv("SCRIPT")))
			return 11;
		if (strcmp(argv[3], "user-arg"))
			return 12;
		return 0;
	}
	char exe[4096], script[4200];
	ssize_t n = CHECK_OK(readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	exe[n] = 0;
	snprintf(script, sizeof(script), "#!%s only one arg\n", exe);
	const char *path = contract_path("script");
	contract_write_file(path, script, 0755);

	char *cargv[] = { "ignored-argv0", "user-arg", NULL };
	char envs[300];
	snprintf(envs, sizeof(envs), "SCRIPT=%s", path);
	char *cenvp[] = { envs, NULL };
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		execve(path, cargv, cenvp);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
