/* A watched file unlinked while open: IN_ATTRIB at once, IN_DELETE_SELF only after the last close; its directory still hears of writes (with the old name) unless the watch has IN_EXCL_UNLINK. */
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
