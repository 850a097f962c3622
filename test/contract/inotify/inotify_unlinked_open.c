/* A watched file unlinked while open: IN_ATTRIB at once, IN_DELETE_SELF only after the last close; its directory still hears of writes (with the old name) unless the watch has IN_EXCL_UNLINK. */
#include "inotify_util.h"

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *dir = contract_tmpdir();
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int dw = CHECK_OK(inotify_add_watch(in, dir, IN_MODIFY | IN_DELETE));
	int fd = CHECK_OK(open(path, O_RDWR));
	int fw = CHECK_OK(inotify_add_watch(in, path, IN_ALL_EVENTS));

	CHECK_OK(unlink(path));
	EXPECT(in, { fw, IN_ATTRIB, NULL }, { dw, IN_DELETE, "f" });
	CHECK_EQ(write(fd, "y", 1), 1);
	EXPECT(in, { dw, IN_MODIFY, "f" }, { fw, IN_MODIFY, NULL });

	/* IN_EXCL_UNLINK on the directory's watch: it stays quiet. */
	CHECK_EQ(inotify_add_watch(in, dir, IN_MODIFY | IN_EXCL_UNLINK), dw);
	CHECK_EQ(write(fd, "z", 1), 1);
	EXPECT(in, { fw, IN_MODIFY, NULL });

	CHECK_OK(close(fd));
	EXPECT(in, { fw, IN_CLOSE_WRITE, NULL }, { fw, IN_DELETE_SELF, NULL },
	       { fw, IN_IGNORED, NULL });

	/* A file that is still linked elsewhere is not deleted. */
	CHECK_OK(inotify_rm_watch(in, dw));
	EXPECT(in, { dw, IN_IGNORED, NULL });
	const char *g = contract_path("g");
	contract_write_file(g, "x", 0644);
	CHECK_OK(link(g, contract_path("h")));
	int gw = CHECK_OK(inotify_add_watch(in, g, IN_DELETE_SELF | IN_ATTRIB));
	CHECK_OK(unlink(g));
	EXPECT(in, { gw, IN_ATTRIB, NULL });
	CHECK_OK(unlink(contract_path("h")));
	EXPECT(in, { gw, IN_ATTRIB, NULL }, { gw, IN_DELETE_SELF, NULL },
	       { gw, IN_IGNORED, NULL });
	return 0;
}
