/* utimensat sets atime/mtime exactly, UTIME_NOW uses the clock, UTIME_OMIT leaves a field alone. */
#include "contract.h"

int main(void)
{
	struct stat st;
	const char *f = contract_path("f");
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1200000000, 987654321 } };

	contract_write_file(f, "", 0644);
	CHECK_OK(utimensat(AT_FDCWD, f, ts, 0));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_atim.tv_sec, 1000000000);
	CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
	/* tmpfs and ext4 keep nanoseconds. */
	CHECK_EQ(st.st_atim.tv_nsec, 123456789);
	CHECK_EQ(st.st_mtim.tv_nsec, 987654321);
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	time_t before = time(NULL);
	CHECK_OK(utimensat(AT_FDCWD, f, omit_now, 0));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_atim.tv_sec, 1000000000);
	CHECK(st.st_mtim.tv_sec >= before && st.st_mtim.tv_sec <= time(NULL));
	/* NULL times means both now; futimens works on descriptors. */
	int fd = CHECK_OK(open(f, O_RDONLY));
	CHECK_OK(futimens(fd, ts));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
	CHECK_OK(utimensat(AT_FDCWD, f, NULL, 0));
	CHECK_OK(stat(f, &st));
	CHECK(st.st_atim.tv_sec >= before);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	CHECK_ERRNO(utimensat(AT_FDCWD, f, bad, 0), EINVAL);
	CHECK_ERRNO(utimensat(AT_FDCWD, f, ts, 0x1234), EINVAL);
	/* AT_SYMLINK_NOFOLLOW changes the link itself. */
	CHECK_OK(symlink("f", contract_path("l")));
	CHECK_OK(utimensat(AT_FDCWD, contract_path("l"), ts, AT_SYMLINK_NOFOLLOW));
	CHECK_OK(lstat(contract_path("l"), &st));
	CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
	return 0;
}
