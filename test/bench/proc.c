/*
 * Process creation: fork + _exit + waitpid, fork + execve + waitpid and
 * posix_spawn + waitpid.  The program executed is exit-helper from the
 * same directory as this one (built with the same libc); it exits 0.
 */
#include "bench.h"

#include <limits.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char helper[PATH_MAX];

/* Wait for pid and require exit status 0. */
static int reap(struct bench *b, pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid) {
		bench_fail(b, "waitpid", errno);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		bench_fail(b, "child did not exit 0", 0);
		return -1;
	}
	return 0;
}

static void bench_fork_exit_wait(struct bench *b)
{
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			bench_fail(b, "fork", errno);
			break;
		}
		if (reap(b, pid))
			break;
	}
	bench_end(b);
}

static void bench_fork_exec_wait(struct bench *b)
{
	char *argv[] = { helper, NULL };

	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(helper, argv, environ);
			_exit(127);
		}
		if (pid < 0) {
			bench_fail(b, "fork", errno);
			break;
		}
		if (reap(b, pid))
			break;
	}
	bench_end(b);
}

static void bench_posix_spawn(struct bench *b)
{
	char *argv[] = { helper, NULL };

	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		pid_t pid;
		int err = posix_spawn(&pid, helper, NULL, NULL, argv, environ);

		if (err) {
			bench_fail(b, "posix_spawn", err);
			break;
		}
		if (reap(b, pid))
			break;
	}
	bench_end(b);
}

static const struct bench_def benches[] = {
	BENCH_DEF(fork_exit_wait, 300, 5),
	BENCH_DEF(fork_exec_wait, 200, 5),
	BENCH_DEF(posix_spawn, 200, 5),
};

int main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	int dirlen = slash ? (int)(slash - argv[0]) + 1 : 0;

	snprintf(helper, sizeof(helper), "%.*sexit-helper", dirlen, argv[0]);
	return bench_main(argc, argv, benches,
			  (int)(sizeof(benches) / sizeof(benches[0])));
}
