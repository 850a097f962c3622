/* Shared by the inotify tests: read every queued event of a non-blocking
 * instance and compare the list with expectations (wd, mask, name). */
#ifndef INOTIFY_UTIL_H
#define INOTIFY_UTIL_H
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

	while (ngot > 0)
		free(got[--ngot]);
	while ((len = read(in, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			struct inotify_event *copy = malloc(sizeof(*e) + e->len);
			memcpy(copy, e, sizeof(*e) + e->len);
			if (ngot < 64)
				got[ngot++] = copy;
			else
				free(copy);
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

#endif
