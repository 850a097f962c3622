/* Namespace events in a watched directory: IN_CREATE (files, mkdir with IN_ISDIR, symlink, mknod, link with IN_ATTRIB on the linked file first), IN_DELETE; unlinking a watched file gives IN_ATTRIB, IN_DELETE_SELF and IN_IGNORED before the directory's IN_DELETE. */
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
