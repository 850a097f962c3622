/* One watch per inode and instance: adding it again (another path, a hard link, a followed symlink) returns the same wd and replaces the mask, IN_MASK_ADD ORs it in, IN_DONT_FOLLOW watches the symlink itself; wds count up from 1 and are not reused at once. */
#include "contract.h"
#include <sys/inotify.h>

static int count_events(int in, uint32_t want)
{
	char buf[4096] __attribute__((aligned(8)));
	int n = 0;
	ssize_t len;

	while ((len = read(in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			if (e->mask & want)
				n++;
			p += sizeof(*e) + e->len;
		}
	CHECK(len == -1 && errno == EAGAIN);
	return n;
}

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *file = contract_path("f");
	contract_write_file(file, "x", 0644);
	CHECK_OK(link(file, contract_path("hard")));
	CHECK_OK(symlink("f", contract_path("sym")));

	int wd = CHECK_OK(inotify_add_watch(in, file, IN_OPEN));
	CHECK_EQ(wd, 1);
	CHECK_EQ(inotify_add_watch(in, contract_path("hard"), IN_OPEN), wd);
	CHECK_EQ(inotify_add_watch(in, contract_path("sym"), IN_OPEN), wd);
	int lwd = CHECK_OK(inotify_add_watch(in, contract_path("sym"), IN_OPEN | IN_DONT_FOLLOW));
	CHECK_EQ(lwd, 2);

	/* Replace the mask with IN_CLOSE_NOWRITE: opens no longer show. */
	CHECK_EQ(inotify_add_watch(in, file, IN_CLOSE_NOWRITE), wd);
	close(CHECK_OK(open(file, O_RDONLY)));
	CHECK_EQ(count_events(in, IN_OPEN), 0);
	close(CHECK_OK(open(file, O_RDONLY)));
	CHECK_EQ(count_events(in, IN_CLOSE_NOWRITE), 1);

	/* IN_MASK_ADD keeps IN_CLOSE_NOWRITE and adds IN_OPEN. */
	CHECK_EQ(inotify_add_watch(in, file, IN_OPEN | IN_MASK_ADD), wd);
	close(CHECK_OK(open(file, O_RDONLY)));
	CHECK_EQ(count_events(in, IN_OPEN | IN_CLOSE_NOWRITE), 2);

	/* A removed wd is not handed out again at once. */
	CHECK_OK(inotify_rm_watch(in, wd));
	CHECK_EQ(count_events(in, IN_IGNORED), 1);
	CHECK_EQ(inotify_add_watch(in, file, IN_OPEN), 3);
	/* Another instance numbers its own watches. */
	int other = CHECK_OK(inotify_init1(IN_NONBLOCK));
	CHECK_EQ(inotify_add_watch(other, file, IN_OPEN), 1);
	return 0;
}
