/* /proc/self/fd entries are symlinks naming the open files; closed fds disappear. */
#include "contract.h"
#include <dirent.h>

int main(void)
{
	char path[64], target[512];
	struct stat st;
	int fd = CHECK_OK(open(contract_path("file"), O_CREAT | O_RDWR, 0644));
	int p[2];

	CHECK_OK(pipe(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK_OK(lstat(path, &st));
	CHECK(S_ISLNK(st.st_mode));
	ssize_t n = CHECK_OK(readlink(path, target, sizeof(target) - 1));
	target[n] = 0;
	char real[512];
	CHECK(realpath(contract_path("file"), real) != NULL);
	CHECK(strcmp(target, real) == 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = CHECK_OK(readlink(path, target, sizeof(target) - 1));
	target[n] = 0;
	CHECK(strncmp(target, "pipe:[", 6) == 0);
	/* Listing shows fd, not a closed one (high, so opendir cannot reuse it). */
	CHECK_EQ(dup2(p[1], 100), 100);
	close(100);
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	int saw_fd = 0, saw_closed = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		saw_fd |= atoi(e->d_name) == fd && e->d_name[0] != '.';
		saw_closed |= atoi(e->d_name) == 100;
	}
	closedir(d);
	CHECK(saw_fd);
	CHECK(!saw_closed);
	/* After unlink the link target says "(deleted)". */
	CHECK_OK(unlink(contract_path("file")));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = CHECK_OK(readlink(path, target, sizeof(target) - 1));
	target[n] = 0;
	CHECK(strstr(target, " (deleted)") != NULL);
	return 0;
}
