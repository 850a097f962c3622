/* Per-mount flags (nosuid, nodev, noexec, noatime, nodiratime,
 * strictatime, relatime by default) and super-block ones (sync) as
 * statfs f_flags, /proc/mounts and /proc/self/mountinfo show them. */
#include "mount_util.h"

int main(void)
{
	mount_test_begin();
	char mo[256], so[256], o[256];
	struct statfs st;
	const char *a = mount_tmpfs("a", 0);

	CHECK(mountinfo_opts(a, mo, so, sizeof(mo)));
	CHECK(strcmp(mo, "rw,relatime") == 0);
	CHECK(strncmp(so, "rw", 2) == 0);
	CHECK_OK(statfs(a, &st));
	CHECK_EQ(st.f_flags & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC |
			       ST_RELATIME | ST_NOATIME), ST_RELATIME);

	const char *b = mount_tmpfs("b", MS_NOSUID | MS_NODEV | MS_NOEXEC |
				    MS_NOATIME | MS_NODIRATIME |
				    MS_SYNCHRONOUS);
	CHECK(mountinfo_opts(b, mo, so, sizeof(mo)));
	CHECK(strcmp(mo, "rw,nosuid,nodev,noexec,noatime,nodiratime") == 0);
	CHECK(strncmp(so, "rw,sync", 7) == 0);
	CHECK(mounts_opts(b, o, sizeof(o)));
	CHECK(strncmp(o, "rw,sync,nosuid,nodev,noexec,noatime,nodiratime", 46) == 0);
	CHECK_OK(statfs(b, &st));
	CHECK_EQ(st.f_flags & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME |
			       ST_NODIRATIME | ST_SYNCHRONOUS | ST_RELATIME),
		 ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME |
		 ST_NODIRATIME | ST_SYNCHRONOUS);

	const char *c = mount_tmpfs("c", MS_STRICTATIME);
	CHECK(mountinfo_opts(c, mo, so, sizeof(mo)));
	CHECK(strcmp(mo, "rw") == 0);
	/* A remount without atime flags keeps them; with one, replaces. */
	CHECK_OK(mount(NULL, b, NULL, MS_REMOUNT | MS_NOSUID, NULL));
	CHECK(mountinfo_opts(b, mo, so, sizeof(mo)));
	CHECK(strcmp(mo, "rw,nosuid,noatime,nodiratime") == 0);
	CHECK(strcmp(so, "rw") == 0 || strncmp(so, "rw,", 3) == 0);
	CHECK(strstr(so, "sync") == NULL);
	CHECK_OK(mount(NULL, b, NULL, MS_REMOUNT | MS_RELATIME, NULL));
	CHECK(mountinfo_opts(b, mo, so, sizeof(mo)));
	CHECK(strcmp(mo, "rw,relatime") == 0);
	CHECK_OK(umount(a));
	CHECK_OK(umount(b));
	CHECK_OK(umount(c));
	return 0;
}
