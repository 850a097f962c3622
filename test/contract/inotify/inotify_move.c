/* rename: IN_MOVED_FROM in the old directory and IN_MOVED_TO in the new one share a non-zero cookie, the moved object gets IN_MOVE_SELF, a replaced target IN_ATTRIB then IN_DELETE_SELF and IN_IGNORED. */
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
