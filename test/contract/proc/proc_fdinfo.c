/* /proc/self/fdinfo/N: "pos", "flags" (octal, with O_CLOEXEC from the
 * descriptor), "mnt_id" and "ino" lines; eventfds add their counter. */
#include "contract.h"
#include <dirent.h>
#include <sys/eventfd.h>

struct fdinfo {
	long long pos;
	unsigned flags;
	int mnt_id;
	unsigned long ino;
	char text[512];
};

static void fdinfo_of(int fd, struct fdinfo *fi)
{
	char path[64];
	int n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	contract_read_file(path, fi->text, sizeof(fi->text));
	n = sscanf(fi->text, "pos:\t%lld\nflags:\t%o\nmnt_id:\t%d\nino:\t%lu\n",
		   &fi->pos, &fi->flags, &fi->mnt_id, &fi->ino);
	if (n != 4)
		CONTRACT_FAIL("fdinfo %d: %s", fd, fi->text);
}

int main(void)
{
	struct fdinfo fi;
	struct stat st;
	int fd, efd, p[2];
	unsigned mask = O_ACCMODE | O_APPEND | O_NONBLOCK | O_CLOEXEC;

	fd = CHECK_OK(open(contract_path("f"), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_OK(fstat(fd, &st));
	fdinfo_of(fd, &fi);
	CHECK_EQ(fi.pos, 3);
	CHECK_EQ(fi.flags & mask, O_RDWR | O_CLOEXEC);
	CHECK_EQ(fi.ino, st.st_ino);
	CHECK(fi.mnt_id > 0);
	CHECK_OK(fcntl(fd, F_SETFD, 0));
	CHECK_OK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	fdinfo_of(fd, &fi);
	CHECK_EQ(fi.flags & mask, O_RDWR | O_APPEND | O_NONBLOCK);

	CHECK_OK(pipe(p));
	CHECK_OK(fstat(p[1], &st));
	fdinfo_of(p[1], &fi);
	CHECK_EQ(fi.flags & mask, O_WRONLY);
	CHECK_EQ(fi.ino, st.st_ino);

	efd = CHECK_OK(eventfd(0x1234, EFD_NONBLOCK));
	fdinfo_of(efd, &fi);
	CHECK_EQ(fi.flags & mask, O_RDWR | O_NONBLOCK);
	CHECK(strstr(fi.text, "\neventfd-count:             1234\n") != NULL);
	CHECK(strstr(fi.text, "\neventfd-semaphore: 0\n") != NULL);

	/* The directory lists open descriptors only. */
	DIR *d = opendir("/proc/self/fdinfo");
	struct dirent *de;
	int seen = 0;
	char want[64];
	CHECK(d != NULL);
	snprintf(want, sizeof(want), "%d", efd);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, want) == 0)
			seen++;
	closedir(d);
	CHECK_EQ(seen, 1);
	CHECK_OK(close(efd));
	snprintf(want, sizeof(want), "/proc/self/fdinfo/%d", efd);
	CHECK_ERRNO(open(want, O_RDONLY), ENOENT);
	return 0;
}
