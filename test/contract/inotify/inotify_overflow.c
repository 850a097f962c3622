/* A queue holding max_queued_events events takes one IN_Q_OVERFLOW event (wd -1) instead of more, and only one until it is read. */
#include "contract.h"
#include <sys/inotify.h>

int main(void)
{
	int max = 16384;
	char text[32];
	int pfd = open("/proc/sys/fs/inotify/max_queued_events", O_RDONLY);
	if (pfd >= 0) {
		ssize_t n = read(pfd, text, sizeof(text) - 1);
		if (n > 0) {
			text[n] = 0;
			max = atoi(text);
		}
		close(pfd);
	}
	CHECK(max > 0 && max <= 65536);

	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *a = contract_path("a"), *b = contract_path("b");
	contract_write_file(a, "x", 0644);
	contract_write_file(b, "x", 0644);
	int fa = CHECK_OK(open(a, O_WRONLY)), fb = CHECK_OK(open(b, O_WRONLY));
	int wa = CHECK_OK(inotify_add_watch(in, a, IN_MODIFY));
	int wb = CHECK_OK(inotify_add_watch(in, b, IN_MODIFY));

	/* Alternating files: no two consecutive events merge. */
	for (int i = 0; i < max + 10; i++)
		CHECK_EQ(pwrite(i & 1 ? fb : fa, "y", 1, 0), 1);

	static char buf[65536] __attribute__((aligned(8)));
	int n = 0, overflows = 0, last_wd = 0;
	ssize_t len;
	while ((len = read(in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			if (e->mask == IN_Q_OVERFLOW) {
				CHECK_EQ(e->wd, -1);
				CHECK_EQ(e->len, 0);
				overflows++;
			} else {
				CHECK_EQ(e->mask, IN_MODIFY);
				CHECK(e->wd == (n & 1 ? wb : wa));
				n++;
			}
			last_wd = e->wd;
			p += sizeof(*e) + e->len;
		}
	CHECK_EQ(len, -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(n, max);
	CHECK_EQ(overflows, 1);
	CHECK_EQ(last_wd, -1);

	/* Once read, events queue again. */
	CHECK_EQ(pwrite(fa, "y", 1, 0), 1);
	CHECK_EQ(read(in, buf, sizeof(buf)), 16);
	return 0;
}
