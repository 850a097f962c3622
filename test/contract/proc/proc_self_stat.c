/* /proc/self/stat: pid, (comm), state, ppid, pgrp, session, num_threads fields. */
#include "contract.h"

int main(void)
{
	char buf[1024];
	int pid, ppid, pgrp, sid;
	char state;
	long threads;

	contract_read_file("/proc/self/stat", buf, sizeof(buf));
	CHECK_EQ(sscanf(buf, "%d", &pid), 1);
	CHECK_EQ(pid, getpid());
	char *rp = strrchr(buf, ')');
	CHECK(rp != NULL);
	char *lp = strchr(buf, '(');
	CHECK(lp != NULL && lp < rp);
	CHECK(strncmp(lp + 1, "proc_self_stat", rp - lp - 1) == 0);
	CHECK_EQ(sscanf(rp + 2, "%c %d %d %d", &state, &ppid, &pgrp, &sid), 4);
	CHECK_EQ(state, 'R');
	CHECK_EQ(ppid, getppid());
	CHECK_EQ(pgrp, getpgrp());
	CHECK_EQ(sid, getsid(0));
	/* Field 20 is num_threads: skip 13 fields after session (tty_nr ... nice). */
	char *p = rp + 2;
	for (int field = 3; field < 20; field++) {
		p = strchr(p, ' ');
		CHECK(p != NULL);
		p++;
	}
	CHECK_EQ(sscanf(p, "%ld", &threads), 1);
	CHECK_EQ(threads, 1);
	/* Another process's stat: a stopped child shows 'T'. */
	pid_t c = CHECK_OK(fork());
	if (c == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", c);
	contract_read_file(path, buf, sizeof(buf));
	rp = strrchr(buf, ')');
	CHECK(rp && rp[2] == 'T');
	kill(c, SIGKILL);
	contract_wait(c);
	return 0;
}
