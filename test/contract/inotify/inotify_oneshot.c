/* IN_ONESHOT: the watch reports one event, then IN_IGNORED, and is gone; inotify_rm_watch queues IN_IGNORED and stops events; closing an instance with watches is fine. */
#include "contract.h"
#include <sys/inotify.h>

/* Events read back, compared against a list of expectations. */
struct xev {
	int wd;
	uint32_t mask;
	const char *name;	/* NULL: no name */
};

static struct inotify_event *got[64];
static int ngot;

/* Read every queued event (the instance is non-blocking). */
static void collect(int in)
{
	static char buf[8192] __attribute__((aligned(8)));
	ssize_t len;

	ngot = 0;
	while ((len = read(in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			struct inotify_event *copy = malloc(sizeof(*e) + e->len);
			memcpy(copy, e, sizeof(*e) + e->len);
			if (ngot < 64)
				got[ngot++] = copy;
			p += sizeof(*e) + e->len;
		}
	CHECK(len == -1 && errno == EAGAIN);
}

static void expect_events(int in, const struct xev *want, int n, int line)
{
	collect(in);
	for (int i = 0; i < ngot && i < n; i++) {
		if (got[i]->wd != want[i].wd || got[i]->mask != want[i].mask ||
		    (want[i].name ? got[i]->len == 0 || strcmp(got[i]->name, want[i].name)
				  : got[i]->len != 0)) {
			for (int j = 0; j < ngot; j++)
				fprintf(stderr, "  got wd %d mask %#x name \"%s\"\n", got[j]->wd,
					got[j]->mask, got[j]->len ? got[j]->name : "");
			errno = 0;
			CONTRACT_FAIL("line %d: event %d: got wd %d mask %#x name \"%s\", "
				      "want wd %d mask %#x name \"%s\"", line, i,
				      got[i]->wd, got[i]->mask, got[i]->len ? got[i]->name : "",
				      want[i].wd, want[i].mask, want[i].name ? want[i].name : "");
		}
	}
	if (ngot != n) {
		for (int i = 0; i < ngot; i++)
			fprintf(stderr, "  got wd %d mask %#x name \"%s\"\n", got[i]->wd,
				got[i]->mask, got[i]->len ? got[i]->name : "");
		errno = 0;
		CONTRACT_FAIL("line %d: %d events, want %d", line, ngot, n);
	}
}

#define EXPECT(in, ...) do { \
	const struct xev want_[] = { __VA_ARGS__ }; \
	expect_events(in, want_, (int)(sizeof(want_) / sizeof(want_[0])), __LINE__); \
} while (0)
#define EXPECT_NONE(in) expect_events(in, NULL, 0, __LINE__)

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
