/* pivot_root(2) in a child that chroots into a tmpfs mount: EINVAL when
 * new_root is no mount point or put_old is not below it, EBUSY when
 * new_root is the current root, ENOTDIR for a file; then a pivot moves
 * the old root to put_old (its files show there, umount2 MNT_DETACH
 * drops it), and pivot_root(".", ".") stacks the old root on the new
 * one, where umount2(".", MNT_DETACH) removes it. */
#include "mount_util.h"

static const char *top;

static int child(void *arg)
{
	(void)arg;
	/* The current root must be a mount point: chroot into one. */
	CHECK_OK(chdir(top));
	CHECK_OK(chroot("."));
	contract_write_file("/marker", "old", 0644);
	CHECK_OK(mkdir("/new", 0755));
	CHECK_OK(mkdir("/plain", 0755));
	CHECK_OK(mount("none", "/new", "tmpfs", 0, NULL));
	CHECK_OK(mkdir("/new/old", 0755));
	CHECK_OK(mkdir("/new/old2", 0755));
	contract_write_file("/new/newmarker", "new", 0644);

	/* On the current root's own mount: EBUSY. */
	CHECK_ERRNO(syscall(SYS_pivot_root, "/plain", "/plain"), EBUSY);
	CHECK_ERRNO(syscall(SYS_pivot_root, "/new", "/plain"), EBUSY);
	CHECK_ERRNO(syscall(SYS_pivot_root, "/", "/new/old"), EBUSY);
	/* new_root no mount point; put_old not below new_root: EINVAL. */
	CHECK_OK(mkdir("/new/dir", 0755));
	CHECK_ERRNO(syscall(SYS_pivot_root, "/new/dir", "/new/dir"), EINVAL);
	CHECK_OK(mkdir("/other", 0755));
	CHECK_OK(mount("none", "/other", "tmpfs", 0, NULL));
	CHECK_ERRNO(syscall(SYS_pivot_root, "/new", "/other"), EINVAL);
	CHECK_OK(umount("/other"));
	CHECK_ERRNO(syscall(SYS_pivot_root, "/marker", "/new/old"), ENOTDIR);
	CHECK_ERRNO(syscall(SYS_pivot_root, "/nothere", "/new/old"), ENOENT);

	CHECK_OK(syscall(SYS_pivot_root, "/new", "/new/old"));
	CHECK_OK(access("/newmarker", F_OK));
	CHECK_OK(access("/old/marker", F_OK));
	CHECK_OK(umount2("/old", MNT_DETACH));
	CHECK_ERRNO(access("/old/marker", F_OK), ENOENT);

	/* The idiom: pivot_root(".", ".") then umount2(".", MNT_DETACH). */
	CHECK_OK(mount("none", "/old2", "tmpfs", 0, NULL));
	contract_write_file("/old2/third", "3", 0644);
	CHECK_OK(chdir("/old2"));
	CHECK_OK(syscall(SYS_pivot_root, ".", "."));
	CHECK_OK(umount2(".", MNT_DETACH));
	CHECK_OK(chdir("/"));
	CHECK_OK(access("/third", F_OK));
	CHECK_ERRNO(access("/newmarker", F_OK), ENOENT);
	return 0;
}

static int nonroot(void *arg)
{
	(void)arg;
	contract_drop_privs();
	if (syscall(SYS_pivot_root, "/", "/") == 0)
		return 1;
	return errno == EPERM ? 0 : 2;
}

int main(void)
{
	contract_need_root();
	CHECK_EXITED(contract_run_child(nonroot, NULL), 0);
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	mount_test_begin();
	top = mount_tmpfs("top", 0);
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	/* Where there is one namespace, the child's mounts are ours. */
	umount2(top, MNT_DETACH);
	return 0;
}
