/* atime on reads: relatime (the default) updates it when it is not newer
 * than mtime, then no more; strictatime on every read; noatime never;
 * O_NOATIME never.  Read-only mounts never. */
#include "mount_util.h"

static struct timespec atime_of(const char *p)
{
	struct stat st;

	CHECK_OK(stat(p, &st));
	return st.st_atim;
}

static void set_times(const char *p, long a, long m)
{
	struct timespec ts[2] = { { a, 0 }, { m, 0 } };

	CHECK_OK(utimensat(AT_FDCWD, p, ts, 0));
}

static void read_it(const char *p)
{
	char b[4];
	int fd = CHECK_OK(open(p, O_RDONLY));

	CHECK_EQ(read(fd, b, 4), 4);
	close(fd);
}

int main(void)
{
	mount_test_begin();
	const char *rel = mount_tmpfs("rel", 0);
	const char *strict = mount_tmpfs("strict", MS_STRICTATIME);
	const char *noat = mount_tmpfs("noat", MS_NOATIME);
	char f[512];
	time_t now = time(NULL);

	/* relatime: an atime not newer than mtime/ctime moves... */
	snprintf(f, sizeof(f), "%s/f", rel);
	contract_write_file(f, "data", 0644);
	set_times(f, now - 100, now - 50);
	read_it(f);
	CHECK(atime_of(f).tv_sec >= now - 1);
	/* ...one newer than both (and less than a day old) stays. */
	set_times(f, now + 1000, now - 50);
	read_it(f);
	CHECK_EQ(atime_of(f).tv_sec, now + 1000);

	/* strictatime: every read. */
	snprintf(f, sizeof(f), "%s/f", strict);
	contract_write_file(f, "data", 0644);
	set_times(f, now + 1000, now - 50);
	read_it(f);
	CHECK(atime_of(f).tv_sec <= now + 1);

	/* noatime: never; O_NOATIME likewise. */
	snprintf(f, sizeof(f), "%s/f", noat);
	contract_write_file(f, "data", 0644);
	set_times(f, now - 100, now - 50);
	read_it(f);
	CHECK_EQ(atime_of(f).tv_sec, now - 100);
	snprintf(f, sizeof(f), "%s/f", strict);
	set_times(f, now - 100, now - 50);
	int fd = CHECK_OK(open(f, O_RDONLY | O_NOATIME));
	char b[4];
	CHECK_EQ(read(fd, b, 4), 4);
	close(fd);
	CHECK_EQ(atime_of(f).tv_sec, now - 100);

	/* Read-only: never. */
	CHECK_OK(mount(NULL, strict, NULL, MS_REMOUNT | MS_RDONLY |
		       MS_STRICTATIME, NULL));
	read_it(f);
	CHECK_EQ(atime_of(f).tv_sec, now - 100);

	CHECK_OK(umount(rel));
	CHECK_OK(umount(strict));
	CHECK_OK(umount(noat));
	return 0;
}
