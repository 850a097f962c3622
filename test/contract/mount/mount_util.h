/*
 * Helpers of the mount tests: a private mount namespace where the kernel
 * has them, tmpfs mounts below the test's directory, and /proc/self
 * parsing.  Each test also unmounts what it mounted, so that it leaves
 * nothing behind where there is only one namespace.
 */
#ifndef MOUNT_UTIL_H
#define MOUNT_UTIL_H

#include "contract.h"
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/statfs.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef ST_RELATIME
#define ST_RELATIME 4096
#endif

/*
 * Root only.  On Linux: a private mount namespace (mounts below must not
 * propagate to the host's shared mounts).  Where unshare is missing the
 * test works in the one namespace and cleans up after itself.
 */
static inline void mount_test_begin(void)
{
	contract_need_root();
	if (unshare(CLONE_NEWNS) == 0)
		CHECK_OK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	else
		CHECK(errno == ENOSYS || errno == EINVAL);
}

/* mkdir tmpdir/@name and mount a fresh tmpfs there with @flags. */
static inline const char *mount_tmpfs(const char *name, unsigned long flags)
{
	const char *p = contract_path(name);

	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		CONTRACT_FAIL("mkdir %s", p);
	CHECK_OK(mount("none", p, "tmpfs", flags, NULL));
	return p;
}

/* The mountinfo line of the mount at @path (last one listed) into @line:
 * its fields 6 (per-mount options) and the super options. */
static inline int mountinfo_opts(const char *path, char *mnt_opts,
				 char *sb_opts, size_t size)
{
	static char buf[65536];
	char *line, *save = NULL;
	int found = 0;

	contract_read_file("/proc/self/mountinfo", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char mp[512], mo[256], so[256];
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*d %*d %*s %*s %511s %255s", mp, mo) != 2)
			continue;
		if (strcmp(mp, path) != 0)
			continue;
		if (sscanf(dash + 3, "%*s %*s %255s", so) != 1)
			continue;
		snprintf(mnt_opts, size, "%s", mo);
		snprintf(sb_opts, size, "%s", so);
		found = 1;
	}
	return found;
}

/* The /proc/mounts options of the mount at @path (last one listed). */
static inline int mounts_opts(const char *path, char *opts, size_t size)
{
	static char buf[65536];
	char *line, *save = NULL;
	int found = 0;

	contract_read_file("/proc/mounts", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char mp[512], o[256];

		if (sscanf(line, "%*s %511s %*s %255s", mp, o) != 2)
			continue;
		if (strcmp(mp, path) == 0) {
			snprintf(opts, size, "%s", o);
			found = 1;
		}
	}
	return found;
}

/* Is @path the root of a mount (listed in mountinfo)? */
static inline int is_mounted(const char *path)
{
	char a[256], b[256];

	return mountinfo_opts(path, a, b, sizeof(a));
}

#endif
