/* IN_ONESHOT: the watch reports one event, then IN_IGNORED, and is gone; inotify_rm_watch queues IN_IGNORED and stops events; closing an instance with watches is fine. */
#include "inotify_util.h"

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);

	int w = CHECK_OK(inotify_add_watch(in, path, IN_OPEN | IN_CLOSE | IN_ONESHOT));
	close(CHECK_OK(open(path, O_RDONLY)));
	close(CHECK_OK(open(path, O_RDONLY)));
	EXPECT(in, { w, IN_OPEN, NULL }, { w, IN_IGNORED, NULL });
	CHECK_ERRNO(inotify_rm_watch(in, w), EINVAL);

	int w2 = CHECK_OK(inotify_add_watch(in, path, IN_OPEN));
	CHECK(w2 != w);
	CHECK_OK(inotify_rm_watch(in, w2));
	close(CHECK_OK(open(path, O_RDONLY)));
	EXPECT(in, { w2, IN_IGNORED, NULL });

	/* Events that are still queued survive the watch's removal. */
	int w3 = CHECK_OK(inotify_add_watch(in, path, IN_OPEN));
	close(CHECK_OK(open(path, O_RDONLY)));
	CHECK_OK(inotify_rm_watch(in, w3));
	EXPECT(in, { w3, IN_OPEN, NULL }, { w3, IN_IGNORED, NULL });

	int other = CHECK_OK(inotify_init1(IN_NONBLOCK));
	CHECK_OK(inotify_add_watch(other, path, IN_OPEN));
	CHECK_OK(inotify_add_watch(other, contract_tmpdir(), IN_OPEN));
	close(CHECK_OK(open(path, O_RDONLY)));
	CHECK_OK(close(other));
	close(CHECK_OK(open(path, O_RDONLY)));
	EXPECT_NONE(in);
	return 0;
}
