/* mount(2) errors: ENODEV for an unknown type, ENOENT for a missing
 * target, ENOTDIR for a file target of a directory mount, EINVAL without
 * a type, EPERM for non-root; a device-backed type wants a block device
 * (ENOTBLK for a regular file or a directory, ENOENT for a missing one). */
#include "mount_util.h"

static const char *dir;

static int as_nobody(void *arg)
{
	(void)arg;
	contract_drop_privs();
	if (mount("none", dir, "tmpfs", 0, NULL) == 0)
		return 1;
	return errno == EPERM ? 0 : 2;
}

int main(void)
{
	mount_test_begin();
	CHECK_OK(chmod(contract_tmpdir(), 0755));       /* for nobody */
	char f[512];

	dir = contract_path("d");
	CHECK_OK(mkdir(dir, 0755));
	snprintf(f, sizeof(f), "%s/file", contract_tmpdir());
	contract_write_file(f, "x", 0644);
	CHECK_ERRNO(mount("none", dir, "nosuchfs", 0, NULL), ENODEV);
	CHECK_ERRNO(mount("none", contract_path("missing"), "tmpfs", 0, NULL),
		    ENOENT);
	CHECK_ERRNO(mount("none", f, "tmpfs", 0, NULL), ENOTDIR);
	CHECK_ERRNO(mount("none", dir, NULL, 0, NULL), EINVAL);
	CHECK_EXITED(contract_run_child(as_nobody, NULL), 0);
	/* The source checks need a device-backed type: ext4 where the
	 * kernel has it (else the type itself is unknown: ENODEV). */
	static char fs[8192];
	contract_read_file("/proc/filesystems", fs, sizeof(fs));
	int have_ext4 = strstr(fs, "\text4\n") != NULL;
	CHECK_ERRNO(mount(f, dir, "ext4", 0, NULL), have_ext4 ? ENOTBLK : ENODEV);
	CHECK_ERRNO(mount(dir, dir, "ext4", 0, NULL),
		    have_ext4 ? ENOTBLK : ENODEV);
	CHECK_ERRNO(mount(contract_path("nodev"), dir, "ext4", 0, NULL),
		    have_ext4 ? ENOENT : ENODEV);
	CHECK(!is_mounted(dir));
	return 0;
}
