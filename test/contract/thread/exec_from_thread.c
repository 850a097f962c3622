/* execve from a second thread: every other thread is gone, the new image
 * runs single-threaded with the process's pid (its thread id becomes the
 * pid), and the parent sees the process exit normally. */
#include "thread_util.h"

static char *self;

static void *execer(void *arg)
{
	char *argv[] = { self, "child", NULL };
	execv("/proc/self/exe", argv);
	_exit(99);
	return arg;
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(int argc, char **argv)
{
	char buf[4096];

	if (argc == 2 && strcmp(argv[1], "child") == 0) {
		if (contract_gettid() != getpid())
			return 10;
		contract_read_file("/proc/self/status", buf, sizeof(buf));
		if (!strstr(buf, "\nThreads:\t1\n"))
			return 11;
		return 42;
	}
	self = argv[0];
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		pthread_t a, b;
		if (pthread_create(&a, NULL, sleeper, NULL) ||
		    pthread_create(&b, NULL, execer, NULL))
			_exit(2);
		for (;;)
			pause();
	}
	CHECK_EXITED(contract_wait(pid), 42);
	return 0;
}
