/*
 * Benchmark programs (test/bench): small static programs (musl and glibc
 * builds) that time one operation in a loop, run unchanged on the host's
 * Linux, on Debian's Linux under QEMU and on this kernel under QEMU.
 * scripts/bench boots both kernels and compares them; see test/bench/README.md.
 *
 * A program holds a table of benchmarks (struct bench_def).  Each one sets
 * up, calls bench_begin(), runs its loop, calls bench_end(), and checks
 * every call's result inside the loop: a failing call ends the loop and
 * the benchmark reports FAIL, so an error can never pass for a fast call.
 * bench_begin() and bench_end() read CLOCK_MONOTONIC and execute marker
 * instructions (BENCH_MARK) that the QEMU plugin (test/bench/plugin.c)
 * recognises, so it can count the guest instructions of exactly the loop.
 * Each benchmark runs twice: a short warm-up without markers (a tenth of
 * the iterations), then the measured run.  One line per benchmark goes to stdout:
 *
 *   BENCH <name> <libc> ok iters=N ns=T tag=ID
 *   BENCH <name> <libc> n/a (<what>: <errno name>)   feature missing
 *   BENCH <name> <libc> FAIL (<what>: <errno name>) [tag=ID]  anything else
 *
 * A FAIL line carries the tag if the markers ran, so that the runner can
 * pair the plugin's records with the lines in order.
 *
 * Usage: <program> [-q] [-n ITERS] [NAME...]
 *   -q        quick: a few iterations (the test suite's sanity check)
 *   -n ITERS  this many iterations instead of the default
 *   NAME      run only the benchmarks whose name contains one of these
 */
#ifndef BENCH_H
#define BENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Every benchmark's marker id, fixed here once so that ids never collide
 * (the plugin keys its start counters by id).  Ids must stay below 4096.
 */
#define BENCH_IDS(X) \
	X(getpid, 1) \
	X(read_zero, 2) \
	X(write_zero, 3) \
	X(read_null, 4) \
	X(write_null, 5) \
	X(open_close, 6) \
	X(stat, 7) \
	X(clock_gettime, 8) \
	X(sched_yield, 9) \
	X(pipe_pingpong, 10) \
	X(pipe_64k, 11) \
	X(unix_pingpong, 12) \
	X(fork_exit_wait, 13) \
	X(fork_exec_wait, 14) \
	X(posix_spawn, 15) \
	X(mmap_touch_1m, 16) \
	X(page_fault, 17) \
	X(tmpfs_write_4k, 18) \
	X(tmpfs_read_4k, 19) \
	X(ext4_write_4k, 20) \
	X(ext4_read_4k, 21) \
	X(thread_switch, 22) \
	X(epoll_wait_ready, 23) \
	X(signal_deliver, 24) \
	X(busybox_pipeline, 25) \
	X(apk_add, 26) \
	X(gcc_compile, 27)

#define BENCH_ENUM(name, num) BENCH_ID_##name = num,
enum bench_id { BENCH_IDS(BENCH_ENUM) };
#undef BENCH_ENUM

/* The id of /init's first instruction (test/bench/init.c). */
#define BENCH_ID_INIT 0

/* Marker kinds, the high 4 bits of a tag (see plugin.c). */
#define BENCH_KIND_START 1
#define BENCH_KIND_STOP 2
#define BENCH_KIND_INIT 3

/*
 * The marker: "nopl disp32(%rsi,%rdi,8)" with displacement 0xb3c0TTTT,
 * TTTT = kind << 12 | id.  A NOP on every x86-64 CPU; the plugin keys on
 * its bytes.  tag must be a compile-time constant.
 */
#define BENCH_MARK(kind, id) \
	__asm__ volatile(".byte 0x0f, 0x1f, 0x84, 0xfe\n\t.short %c0\n\t.short 0xb3c0" \
			 :: "i"((kind) << 12 | (id)) : "memory")

struct bench {
	const struct bench_def *def;
	long iters;		/* loop count of this run */
	int warmup;		/* 1: no markers, result not printed */
	int quick;		/* 1: -q, a sanity run */
	int marked;		/* 1: the start marker ran */
	int failed;		/* 1: FAIL, 2: n/a */
	char why[96];		/* reason for failed */
	struct timespec t0, t1;
};

struct bench_def {
	const char *name;
	int id;
	long iters;		/* default iterations */
	long quick_iters;	/* with -q */
	int no_warmup;		/* 1: skip the warm-up run (long workloads) */
	void (*run)(struct bench *b);
};

#define BENCH_DEF(name_, iters_, quick_) \
	{ .name = #name_, .id = BENCH_ID_##name_, .iters = (iters_), \
	  .quick_iters = (quick_), .run = bench_##name_ }
#define BENCH_DEF_NOWARMUP(name_, iters_, quick_) \
	{ .name = #name_, .id = BENCH_ID_##name_, .iters = (iters_), \
	  .quick_iters = (quick_), .no_warmup = 1, .run = bench_##name_ }

/* Start the measured interval (clock read, then start marker). */
void bench_begin(struct bench *b);
/* End it (stop marker, then clock read). */
void bench_end(struct bench *b);
/* Record a failure of call "what" with errno err; the benchmark reports FAIL. */
void bench_fail(struct bench *b, const char *what, int err);
/* Record that a needed feature is missing; the benchmark reports n/a. */
void bench_na(struct bench *b, const char *what, int err);
/* Setup failure: n/a for ENOSYS and the other "not supported" errnos, else FAIL. */
void bench_setup_fail(struct bench *b, const char *what, int err);
/* Linux's name for an errno value ("ENOSYS"), or "errno N". */
const char *bench_errno_name(int err);
/* The libc this binary was built with: "musl" or "glibc". */
const char *bench_libc(void);
/* Run the table; returns the exit status for main (1 if any FAIL). */
int bench_main(int argc, char **argv, const struct bench_def *defs, int n);

#define BENCH_MAIN(table) \
	int main(int argc, char **argv) \
	{ \
		return bench_main(argc, argv, table, \
				  (int)(sizeof(table) / sizeof(table[0]))); \
	}

#endif
