/* MS_BIND shows a directory (or file) at a second place; MS_BIND|MS_REC
 * takes the mounts below along, plain MS_BIND not; MS_MOVE moves a
 * mount (EINVAL if the source is no mount point, ELOOP below itself);
 * the propagation flags are accepted on a mount point (EINVAL
 * elsewhere or when combined). */
#include "mount_util.h"

int main(void)
{
	mount_test_begin();
	const char *a = mount_tmpfs("a", 0);
	const char *b = contract_path("b");
	const char *c = contract_path("c");
	const char *d = contract_path("d");
	char p[512], q[512], r[512];

	CHECK_OK(mkdir(b, 0755));
	CHECK_OK(mkdir(c, 0755));
	CHECK_OK(mkdir(d, 0755));
	snprintf(p, sizeof(p), "%s/sub", a);
	CHECK_OK(mkdir(p, 0755));
	CHECK_OK(mount("none", p, "tmpfs", 0, NULL));
	snprintf(q, sizeof(q), "%s/sub/inner", a);
	contract_write_file(q, "x", 0644);

	/* Plain bind: the submount is not carried. */
	CHECK_OK(mount(a, b, NULL, MS_BIND, NULL));
	snprintf(r, sizeof(r), "%s/sub/inner", b);
	CHECK_ERRNO(access(r, F_OK), ENOENT);
	/* Recursive bind carries it. */
	CHECK_OK(mount(a, c, NULL, MS_BIND | MS_REC, NULL));
	snprintf(r, sizeof(r), "%s/sub/inner", c);
	CHECK_OK(access(r, F_OK));
	snprintf(r, sizeof(r), "%s/sub", c);
	CHECK(is_mounted(r));
	/* A file appears through every bind. */
	snprintf(r, sizeof(r), "%s/new", b);
	contract_write_file(r, "y", 0644);
	snprintf(r, sizeof(r), "%s/new", c);
	CHECK_OK(access(r, F_OK));
	/* Binding a file onto a directory: ENOTDIR. */
	snprintf(r, sizeof(r), "%s/new", a);
	CHECK_ERRNO(mount(r, d, NULL, MS_BIND, NULL), ENOTDIR);
	CHECK_ERRNO(mount(contract_path("nothere"), d, NULL, MS_BIND, NULL),
		    ENOENT);

	/* Propagation changes. */
	CHECK_OK(mount(NULL, a, NULL, MS_PRIVATE, NULL));
	CHECK_OK(mount(NULL, a, NULL, MS_SLAVE | MS_REC, NULL));
	CHECK_ERRNO(mount(NULL, a, NULL, MS_PRIVATE | MS_SHARED, NULL), EINVAL);
	CHECK_ERRNO(mount(NULL, d, NULL, MS_PRIVATE, NULL), EINVAL);

	/* Move c (with its submount) to d. */
	CHECK_ERRNO(mount(d, b, NULL, MS_MOVE, NULL), EINVAL);
	snprintf(r, sizeof(r), "%s/sub", c);
	CHECK_ERRNO(mount(c, r, NULL, MS_MOVE, NULL), ELOOP);
	CHECK_OK(mount(c, d, NULL, MS_MOVE, NULL));
	CHECK(!is_mounted(c));
	CHECK(is_mounted(d));
	snprintf(r, sizeof(r), "%s/sub/inner", d);
	CHECK_OK(access(r, F_OK));
	snprintf(r, sizeof(r), "%s/sub", d);
	CHECK(is_mounted(r));

	CHECK_OK(umount2(d, MNT_DETACH));
	CHECK_OK(umount(b));
	CHECK_OK(umount(p));
	CHECK_OK(umount(a));
	return 0;
}
