/*
 * clone(CLONE_VM | CLONE_VFORK | SIGCHLD) on a separate stack, as posix_spawn
 * does: the child writes to shared memory then execs; the parent resumes only
 * after the exec and sees the write.
 */
#include "contract.h"
#include <sched.h>

static volatile int written;
static char stack[64 * 1024] __attribute__((aligned(16)));

static int child(void *arg)
{
	char *argv[] = { "/proc/self/exe", "--child", NULL };
	char *envp[] = { NULL };

	written = getpid();
	execve("/proc/self/exe", argv, envp);
	_exit(99);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--child"))
		return 17;
	pid_t pid = CHECK_OK(clone(child, stack + sizeof(stack),
				   CLONE_VM | CLONE_VFORK | SIGCHLD, NULL));
	CHECK_EQ(written, pid);
	CHECK_EXITED(contract_wait(pid), 17);
	return 0;
}
