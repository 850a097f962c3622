/* Namespace events in a watched directory: IN_CREATE (files, mkdir with IN_ISDIR, symlink, mknod, link with IN_ATTRIB on the linked file first), IN_DELETE; unlinking a watched file gives IN_ATTRIB, IN_DELETE_SELF and IN_IGNORED before the directory's IN_DELETE. */
#include "inotify_util.h"

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *dir = contract_tmpdir();
	int dw = CHECK_OK(inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_DELETE_SELF));

	close(CHECK_OK(open(contract_path("a"), O_CREAT | O_WRONLY, 0644)));
	/* Opening an existing file with O_CREAT creates nothing. */
	close(CHECK_OK(open(contract_path("a"), O_CREAT | O_WRONLY, 0644)));
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_OK(symlink("a", contract_path("s")));
	CHECK_OK(mknod(contract_path("p"), S_IFIFO | 0600, 0));
	EXPECT(in, { dw, IN_CREATE, "a" }, { dw, IN_CREATE | IN_ISDIR, "d" },
	       { dw, IN_CREATE, "s" }, { dw, IN_CREATE, "p" });

	int aw = CHECK_OK(inotify_add_watch(in, contract_path("a"), IN_ALL_EVENTS));
	CHECK_OK(link(contract_path("a"), contract_path("b")));
	EXPECT(in, { aw, IN_ATTRIB, NULL }, { dw, IN_CREATE, "b" });

	/* One of two links goes: the file lives on. */
	CHECK_OK(unlink(contract_path("b")));
	EXPECT(in, { aw, IN_ATTRIB, NULL }, { dw, IN_DELETE, "b" });
	/* The last link goes: the file is deleted. */
	CHECK_OK(unlink(contract_path("a")));
	EXPECT(in, { aw, IN_ATTRIB, NULL }, { aw, IN_DELETE_SELF, NULL },
	       { aw, IN_IGNORED, NULL }, { dw, IN_DELETE, "a" });
	CHECK_ERRNO(inotify_rm_watch(in, aw), EINVAL);

	int sw = CHECK_OK(inotify_add_watch(in, contract_path("d"), IN_ALL_EVENTS));
	CHECK_OK(rmdir(contract_path("d")));
	CHECK_OK(unlink(contract_path("s")));
	CHECK_OK(unlink(contract_path("p")));
	EXPECT(in, { sw, IN_DELETE_SELF, NULL }, { sw, IN_IGNORED, NULL },
	       { dw, IN_DELETE | IN_ISDIR, "d" }, { dw, IN_DELETE, "s" },
	       { dw, IN_DELETE, "p" });

	/* A failed creation reports nothing. */
	CHECK_ERRNO(mkdir(dir, 0755), EEXIST);
	EXPECT_NONE(in);
	return 0;
}
