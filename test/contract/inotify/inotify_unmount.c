/* Unmounting a file system ends its watches with IN_UNMOUNT then IN_IGNORED (a directory's with IN_ISDIR; a watch does not keep the mount busy). */
#include "inotify_util.h"
#include <sys/mount.h>

int main(void)
{
	contract_need_root();
	const char *mnt = contract_path("m");
	CHECK_OK(mkdir(mnt, 0755));
	CHECK_OK(mount("none", mnt, "tmpfs", 0, NULL));
	const char *file = contract_path("m/f");
	contract_write_file(file, "x", 0644);

	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	int rw = CHECK_OK(inotify_add_watch(in, mnt, IN_CREATE));
	int fw = CHECK_OK(inotify_add_watch(in, file, IN_OPEN));
	int dw = CHECK_OK(inotify_add_watch(in, contract_tmpdir(), IN_CREATE));
	CHECK_OK(umount(mnt));
	collect(in);
	CHECK_EQ(ngot, 4);
	/* Per watch: IN_UNMOUNT, then IN_IGNORED (the order between the
	 * two watches is not specified). */
	for (int i = 0; i < 4; i++) {
		CHECK(got[i]->wd == rw || got[i]->wd == fw);
		CHECK_EQ(got[i]->len, 0);
		int later = 0;
		for (int j = i + 1; j < 4; j++)
			if (got[j]->wd == got[i]->wd)
				later++;
		/* A directory's IN_UNMOUNT carries IN_ISDIR. */
		CHECK_EQ(got[i]->mask, !later ? IN_IGNORED
				       : got[i]->wd == rw ? IN_UNMOUNT | IN_ISDIR
				       : IN_UNMOUNT);
	}
	CHECK_ERRNO(inotify_rm_watch(in, fw), EINVAL);
	/* The watch on the directory below is untouched. */
	close(CHECK_OK(open(contract_path("g"), O_CREAT | O_WRONLY, 0600)));
	EXPECT(in, { dw, IN_CREATE, "g" });
	return 0;
}
