/* umount2: EINVAL for a directory that is no mount point and for
 * unknown flags, or MNT_EXPIRE with MNT_DETACH/MNT_FORCE; ENOENT for a
 * missing path; EBUSY while a file is open on the mount, a process has
 * its cwd there, or a mount sits on it; EPERM for non-root; MNT_FORCE
 * unmounts an idle mount; MNT_EXPIRE first marks (EAGAIN), then
 * unmounts; UMOUNT_NOFOLLOW refuses a symlink to the mount point. */
#include "mount_util.h"

static const char *target;

static int umount_as_nobody(void *arg)
{
	(void)arg;
	contract_drop_privs();
	if (umount(target) == 0)
		return 1;
	return errno == EPERM ? 0 : 2;
}

int main(void)
{
	mount_test_begin();
	CHECK_OK(chmod(contract_tmpdir(), 0755));       /* for nobody */
	const char *m = mount_tmpfs("m", 0);
	char f[512], sub[512], lnk[512];

	target = m;
	CHECK_ERRNO(umount(contract_tmpdir()), EINVAL);
	CHECK_ERRNO(umount(contract_path("missing")), ENOENT);
	CHECK_ERRNO(umount2(m, 0x80), EINVAL);
	CHECK_ERRNO(umount2(m, MNT_EXPIRE | MNT_DETACH), EINVAL);
	CHECK_ERRNO(umount2(m, MNT_EXPIRE | MNT_FORCE), EINVAL);
	CHECK_EXITED(contract_run_child(umount_as_nobody, NULL), 0);

	snprintf(f, sizeof(f), "%s/f", m);
	int fd = CHECK_OK(open(f, O_CREAT | O_RDWR, 0644));
	CHECK_ERRNO(umount(m), EBUSY);
	close(fd);

	char cwd[512];
	CHECK(getcwd(cwd, sizeof(cwd)));
	CHECK_OK(chdir(m));
	CHECK_ERRNO(umount(m), EBUSY);
	CHECK_OK(chdir(cwd));

	snprintf(sub, sizeof(sub), "%s/sub", m);
	CHECK_OK(mkdir(sub, 0755));
	CHECK_OK(mount("none", sub, "tmpfs", 0, NULL));
	CHECK_ERRNO(umount(m), EBUSY);
	CHECK_OK(umount(sub));

	/* UMOUNT_NOFOLLOW: a symlink to the mount point is not followed. */
	snprintf(lnk, sizeof(lnk), "%s/lnk", contract_tmpdir());
	CHECK_OK(symlink(m, lnk));
	CHECK_ERRNO(umount2(lnk, UMOUNT_NOFOLLOW), EINVAL);

	/* MNT_EXPIRE: EAGAIN marks an idle mount, the second call unmounts. */
	CHECK_ERRNO(umount2(m, MNT_EXPIRE), EAGAIN);
	CHECK_OK(umount2(m, MNT_EXPIRE));
	CHECK(!is_mounted(m));

	/* MNT_FORCE on an idle tmpfs: a normal unmount. */
	CHECK_OK(mount("none", m, "tmpfs", 0, NULL));
	CHECK_OK(umount2(lnk, MNT_FORCE));     /* follows the symlink */
	CHECK(!is_mounted(m));
	CHECK_OK(unlink(lnk));
	return 0;
}
