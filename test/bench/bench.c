/*
 * The common part of every benchmark program: argument parsing, the
 * warm-up and measured runs, the markers around the measured loop and the
 * result lines (the format is described in bench.h).
 */
#include "bench.h"

#include <unistd.h>

/*
 * Markers need a constant tag, so there is one marker site per id and
 * kind; the switch picks it.  The few instructions of the call and the
 * switch before the stop marker are inside the interval; they are noise
 * against any loop of more than a handful of iterations.
 */
#define MARK_CASE(name, num) case num: BENCH_MARK(KIND, num); break;

static __attribute__((noinline)) void mark_start(int id)
{
	switch (id) {
#define KIND BENCH_KIND_START
	BENCH_IDS(MARK_CASE)
#undef KIND
	}
}

static __attribute__((noinline)) void mark_stop(int id)
{
	switch (id) {
#define KIND BENCH_KIND_STOP
	BENCH_IDS(MARK_CASE)
#undef KIND
	}
}

void bench_begin(struct bench *b)
{
	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	if (!b->warmup) {
		b->marked = 1;
		mark_start(b->def->id);
	}
}

void bench_end(struct bench *b)
{
	if (!b->warmup)
		mark_stop(b->def->id);
	clock_gettime(CLOCK_MONOTONIC, &b->t1);
}

const char *bench_errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
		{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ ENOSYS, "ENOSYS" }, { ENOTSOCK, "ENOTSOCK" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENOTBLK, "ENOTBLK" },
	};
	static char buf[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static void record(struct bench *b, int how, const char *what, int err)
{
	if (b->failed)
		return;		/* keep the first reason */
	b->failed = how;
	if (err)
		snprintf(b->why, sizeof(b->why), "%s: %s", what,
			 bench_errno_name(err));
	else
		snprintf(b->why, sizeof(b->why), "%s", what);
}

void bench_fail(struct bench *b, const char *what, int err)
{
	record(b, 1, what, err);
}

void bench_na(struct bench *b, const char *what, int err)
{
	record(b, 2, what, err);
}

void bench_setup_fail(struct bench *b, const char *what, int err)
{
	if (err == ENOSYS || err == EAFNOSUPPORT || err == EPROTONOSUPPORT ||
	    err == EOPNOTSUPP || err == ENODEV)
		bench_na(b, what, err);
	else
		bench_fail(b, what, err);
}

const char *bench_libc(void)
{
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}

static int selected(const char *name, char **names, int n)
{
	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (strstr(name, names[i]))
			return 1;
	return 0;
}

/* Run one benchmark: warm-up, then the measured run; print its line. */
static int run_one(const struct bench_def *def, long iters, int quick)
{
	struct bench b;
	long long ns;

	memset(&b, 0, sizeof(b));
	if (!def->no_warmup) {
		b.def = def;
		b.quick = quick;
		b.warmup = 1;
		b.iters = iters / 10 > 0 ? iters / 10 : 1;
		def->run(&b);
	}
	if (!b.failed) {
		memset(&b, 0, sizeof(b));
		b.def = def;
		b.quick = quick;
		b.iters = iters;
		def->run(&b);
	}
	fflush(NULL);
	if (b.failed && b.marked) {
		printf("BENCH %s %s %s (%s) tag=%d\n", def->name, bench_libc(),
		       b.failed == 2 ? "n/a" : "FAIL", b.why, def->id);
		fflush(stdout);
		return b.failed == 1;
	}
	if (b.failed) {
		printf("BENCH %s %s %s (%s)\n", def->name, bench_libc(),
		       b.failed == 2 ? "n/a" : "FAIL", b.why);
		fflush(stdout);
		return b.failed == 1;
	}
	ns = (long long)(b.t1.tv_sec - b.t0.tv_sec) * 1000000000LL +
	     (b.t1.tv_nsec - b.t0.tv_nsec);
	printf("BENCH %s %s ok iters=%ld ns=%lld tag=%d\n", def->name,
	       bench_libc(), iters, ns, def->id);
	fflush(stdout);
	return 0;
}

int bench_main(int argc, char **argv, const struct bench_def *defs, int n)
{
	int quick = 0, status = 0, opt;
	long iters = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "qn:")) != -1) {
		if (opt == 'q') {
			quick = 1;
		} else if (opt == 'n' && atol(optarg) > 0) {
			iters = atol(optarg);
		} else {
			fprintf(stderr, "usage: %s [-q] [-n ITERS] [NAME...]\n",
				argv[0]);
			return 2;
		}
	}
	for (int i = 0; i < n; i++) {
		long k = iters ? iters : quick ? defs[i].quick_iters : defs[i].iters;

		if (selected(defs[i].name, argv + optind, argc - optind))
			status |= run_one(&defs[i], k, quick);
	}
	return status;
}
