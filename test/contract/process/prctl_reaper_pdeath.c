/* PR_SET_CHILD_SUBREAPER: orphans go to the nearest subreaper ancestor
 * (which can wait for them) instead of init; PR_SET_PDEATHSIG: a child
 * gets its signal when its parent dies; PR_SET_NAME/PR_GET_NAME and
 * PR_SET_DUMPABLE/PR_GET_DUMPABLE round-trip. */
#include "contract.h"
#include <signal.h>
#include <sys/prctl.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	got = sig;
}

int main(void)
{
	int fds[2], ready[2];
	char name[16] = { 0 }, c;

	CHECK_OK(prctl(PR_SET_NAME, "contract-name", 0, 0, 0));
	CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECK(strcmp(name, "contract-name") == 0);
	CHECK_OK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	CHECK_OK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	CHECK_ERRNO(prctl(PR_SET_DUMPABLE, 7, 0, 0, 0), EINVAL);
	CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0), EINVAL);

	/* Subreaper: the grandchild is reparented to us when its parent
	 * exits, and we reap it. */
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	int v = 0;
	CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0));
	CHECK_EQ(v, 1);
	CHECK_OK(pipe(fds));
	CHECK_OK(pipe(ready));
	pid_t reaper = getpid();
	pid_t child = CHECK_OK(fork());
	if (child == 0) {
		pid_t g = fork();
		if (g < 0)
			_exit(2);
		if (g == 0) {
			/* Grandchild: ask for SIGUSR1 when the parent dies. */
			sigset_t set;
			close(fds[1]);
			close(ready[0]);
			sigemptyset(&set);
			sigaddset(&set, SIGUSR1);
			sigprocmask(SIG_BLOCK, &set, NULL);
			signal(SIGUSR1, on_usr1);
			if (prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0))
				_exit(3);
			write(ready[1], "r", 1);
			/* Wait for the parent to be gone, then for the signal. */
			if (read(fds[0], &c, 1) != 0)
				_exit(4);
			int sig;
			if (sigwait(&set, &sig) || sig != SIGUSR1)
				_exit(5);
			/* Reparented to the subreaper, not to init. */
			_exit(getppid() == reaper ? 42 : 6);
		}
		char r;
		close(fds[0]);
		close(fds[1]);
		if (read(ready[0], &r, 1) != 1)
			_exit(7);
		_exit(0);               /* dies: the grandchild is orphaned */
	}
	close(fds[0]);
	close(ready[1]);
	CHECK_EXITED(contract_wait(child), 0);
	close(fds[1]);          /* now the grandchild sees EOF */
	/* The grandchild is our child now: wait for it. */
	int st;
	pid_t r = waitpid(-1, &st, 0);
	CHECK(r > 0 && r != child);
	CHECK_EXITED(st, 42);
	CHECK_ERRNO(waitpid(-1, &st, WNOHANG), ECHILD);
	return 0;
}
