/* A clone child with exit signal 0 is only seen by wait with __WALL or __WCLONE. */
#include "contract.h"
#include <sched.h>

#ifndef __WALL
#define __WALL 0x40000000
#endif
#ifndef __WCLONE
#define __WCLONE 0x80000000
#endif

static char stack[64 * 1024] __attribute__((aligned(16)));

static int child(void *arg)
{
	contract_msleep(30);
	return 12;
}

int main(void)
{
	int st;
	pid_t pid = CHECK_OK(clone(child, stack + sizeof(stack), 0, NULL));

	CHECK_ERRNO(waitpid(pid, &st, 0), ECHILD);
	CHECK_EQ(waitpid(pid, &st, __WALL), pid);
	CHECK_EXITED(st, 12);

	pid = CHECK_OK(clone(child, stack + sizeof(stack), 0, NULL));
	CHECK_EQ(waitpid(-1, &st, __WCLONE), pid);
	CHECK_EXITED(st, 12);

	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(1);
	/* A normal (SIGCHLD) child is not a clone child. */
	CHECK_ERRNO(waitpid(pid, &st, __WCLONE), ECHILD);
	CHECK_EQ(waitpid(pid, &st, __WALL), pid);
	return 0;
}
