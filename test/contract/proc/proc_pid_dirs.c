/* /proc lists a directory per process, including a new child, and /proc/<pid>/task per thread. */
#include "contract.h"
#include <dirent.h>

int main(void)
{
	pid_t c = CHECK_OK(fork());

	if (c == 0) {
		pause();
		_exit(0);
	}
	DIR *d = opendir("/proc");
	CHECK(d != NULL);
	struct dirent *e;
	int saw_self = 0, saw_child = 0, saw_self_link = 0;
	while ((e = readdir(d)) != NULL) {
		saw_self |= atoi(e->d_name) == getpid();
		saw_child |= atoi(e->d_name) == c;
		saw_self_link |= !strcmp(e->d_name, "self");
	}
	closedir(d);
	CHECK(saw_self);
	CHECK(saw_child);
	CHECK(saw_self_link);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), getpid());
	struct stat st;
	CHECK_OK(stat(path, &st));
	CHECK(S_ISDIR(st.st_mode));
	kill(c, SIGKILL);
	contract_wait(c);
	snprintf(path, sizeof(path), "/proc/%d", c);
	CHECK_ERRNO(stat(path, &st), ENOENT);
	return 0;
}
