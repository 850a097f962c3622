/* Unmounting a file system ends its watches with IN_UNMOUNT then IN_IGNORED (a directory's with IN_ISDIR; a watch does not keep the mount busy). */
#include "contract.h"
#include <sys/inotify.h>
#include <sys/mount.h>
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
	contract_need_root();
	const char *mnt = contract_path("m");
	CHECK_OK(mkdir(mnt, 0755));
	CHECK_OK(mount("none", mnt, "tmpfs", 0, NULL));
	const char *file = contract_path("m/f");
	contract_write_file(file, "x", 0644);

	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	int rw = CHECK_OK(inotify_add_watch(in, mnt, IN_CREATE));
	int fw = CHECK_OK(inotify_add_watch(in, file, IN_OPEN));
	int dw = CHECK_OK(inotify_add_watch(in, contract_tmpdir(), IN_CREATE));
	CHECK_OK(umount(mnt));
	collect(in);
	CHECK_EQ(ngot, 4);
	/* Per watch: IN_UNMOUNT, then IN_IGNORED (the order between the
	 * two watches is not specified). */
	for (int i = 0; i < 4; i++) {
		CHECK(got[i]->wd == rw || got[i]->wd == fw);
		CHECK_EQ(got[i]->len, 0);
		int later = 0;
		for (int j = i + 1; j < 4; j++)
			if (got[j]->wd == got[i]->wd)
				later++;
		/* A directory's IN_UNMOUNT carries IN_ISDIR. */
		CHECK_EQ(got[i]->mask, !later ? IN_IGNORED
				       : got[i]->wd == rw ? IN_UNMOUNT | IN_ISDIR
				       : IN_UNMOUNT);
	}
	CHECK_ERRNO(inotify_rm_watch(in, fw), EINVAL);
	/* The watch on the directory below is untouched. */
	close(CHECK_OK(open(contract_path("g"), O_CREAT | O_WRONLY, 0600)));
	EXPECT(in, { dw, IN_CREATE, "g" });
	return 0;
}
