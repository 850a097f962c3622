/* rename: IN_MOVED_FROM in the old directory and IN_MOVED_TO in the new one share a non-zero cookie, the moved object gets IN_MOVE_SELF, a replaced target IN_ATTRIB then IN_DELETE_SELF and IN_IGNORED. */
#include "inotify_util.h"

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	CHECK_OK(mkdir(contract_path("x"), 0755));
	CHECK_OK(mkdir(contract_path("y"), 0755));
	contract_write_file(contract_path("x/f"), "1", 0644);
	contract_write_file(contract_path("y/g"), "2", 0644);
	int xw = CHECK_OK(inotify_add_watch(in, contract_path("x"), IN_MOVE | IN_CREATE | IN_DELETE));
	int yw = CHECK_OK(inotify_add_watch(in, contract_path("y"), IN_MOVE));
	int fw = CHECK_OK(inotify_add_watch(in, contract_path("x/f"), IN_MOVE_SELF | IN_ATTRIB));

	CHECK_OK(rename(contract_path("x/f"), contract_path("y/f2")));
	EXPECT(in, { xw, IN_MOVED_FROM, "f" }, { yw, IN_MOVED_TO, "f2" },
	       { fw, IN_MOVE_SELF, NULL });
	CHECK(got[0]->cookie != 0);
	CHECK_EQ(got[0]->cookie, got[1]->cookie);
	CHECK_EQ(got[2]->cookie, 0);
	uint32_t first = got[0]->cookie;

	/* Within one directory, both events go to it; a new cookie. */
	CHECK_OK(rename(contract_path("y/f2"), contract_path("y/f3")));
	EXPECT(in, { yw, IN_MOVED_FROM, "f2" }, { yw, IN_MOVED_TO, "f3" },
	       { fw, IN_MOVE_SELF, NULL });
	CHECK_EQ(got[0]->cookie, got[1]->cookie);
	CHECK(got[0]->cookie != first);

	/* Replacing a watched target. */
	int gw = CHECK_OK(inotify_add_watch(in, contract_path("y/g"), IN_ALL_EVENTS));
	CHECK_OK(rename(contract_path("y/f3"), contract_path("y/g")));
	EXPECT(in, { yw, IN_MOVED_FROM, "f3" }, { yw, IN_MOVED_TO, "g" },
	       { gw, IN_ATTRIB, NULL }, { fw, IN_MOVE_SELF, NULL },
	       { gw, IN_DELETE_SELF, NULL }, { gw, IN_IGNORED, NULL });

	/* Directories carry IN_ISDIR in the directory events only. */
	CHECK_OK(mkdir(contract_path("x/sub"), 0755));
	int sw = CHECK_OK(inotify_add_watch(in, contract_path("x/sub"), IN_MOVE_SELF));
	EXPECT(in, { xw, IN_CREATE | IN_ISDIR, "sub" });
	CHECK_OK(rename(contract_path("x/sub"), contract_path("y/sub")));
	EXPECT(in, { xw, IN_MOVED_FROM | IN_ISDIR, "sub" },
	       { yw, IN_MOVED_TO | IN_ISDIR, "sub" }, { sw, IN_MOVE_SELF, NULL });
	return 0;
}
