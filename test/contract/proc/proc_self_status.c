/* /proc/self/status has Name, Pid, PPid, Uid and Threads lines matching the process. */
#include "contract.h"

static long field(const char *buf, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s:", name);
	const char *p = strstr(buf, key);
	if (!p)
		CONTRACT_FAIL("no %s line", name);
	return strtol(p + strlen(key), NULL, 10);
}

int main(void)
{
	char buf[8192] = "\n";

	contract_read_file("/proc/self/status", buf + 1, sizeof(buf) - 1);
	/* The command name is truncated to 15 characters (TASK_COMM_LEN - 1). */
	CHECK(strncmp(buf + 1, "Name:\tproc_self_statu\n", 22) == 0);
	CHECK_EQ(field(buf, "Pid"), getpid());
	CHECK_EQ(field(buf, "PPid"), getppid());
	CHECK_EQ(field(buf, "Tgid"), getpid());
	CHECK_EQ(field(buf, "Uid"), getuid());
	CHECK_EQ(field(buf, "Gid"), getgid());
	CHECK_EQ(field(buf, "Threads"), 1);
	CHECK(strstr(buf, "\nState:\tR") != NULL);
	CHECK(strstr(buf, "\nSigBlk:\t") != NULL);
	return 0;
}
