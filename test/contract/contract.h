/*
 * Contract tests: user-space programs that each check one piece of the Linux
 * system-call ABI.  Every test is a static binary (musl and glibc builds) that
 * runs first on the host's Linux, the oracle, and later on our kernel.
 *
 * A test passes iff it exits 0.  A failed check prints "file:line: what" on
 * stderr and exits 1.  A test that cannot run without root prints
 * "SKIP: needs root" and exits 77 (the runner counts that as a failure when
 * it runs as root, so such skips must stay rare).
 *
 * Only libc headers are used (musl-gcc has no <linux/...>); kernel structures
 * and flags the libcs lack are defined here, pinned to the Linux ABI.
 */
#ifndef CONTRACT_H
#define CONTRACT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONTRACT_SKIP 77

/* Print "file:line: msg" (plus errno when set) and exit 1. */
#define CONTRACT_FAIL(...) do { \
	int fail_errno_ = errno; /* not e_: callers' arguments use it */ \
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	if (fail_errno_) \
		fprintf(stderr, " (errno %d %s)", fail_errno_, \
			strerror(fail_errno_)); \
	fputc('\n', stderr); \
	exit(1); \
} while (0)

/* Assert a condition. */
#define CHECK(cond) do { \
	if (!(cond)) \
		CONTRACT_FAIL("CHECK(%s) failed", #cond); \
} while (0)

/* Assert that a call does not return -1 (or MAP_FAILED); yields the result. */
#define CHECK_OK(call) ({ \
	errno = 0; \
	long r_ = (long)(call); \
	if (r_ == -1) \
		CONTRACT_FAIL("%s failed", #call); \
	r_; \
})

/* Assert that a call returns -1 with errno set to err. */
#define CHECK_ERRNO(call, err) do { \
	errno = 0; \
	long r_ = (long)(call); \
	int e_ = errno; \
	if (r_ != -1 || e_ != (err)) { \
		errno = 0; \
		CONTRACT_FAIL("%s: expected -1 errno %d (%s), got %ld errno %d (%s)", \
			#call, (err), strerror(err), r_, e_, strerror(e_)); \
	} \
} while (0)

/* Assert two integer expressions are equal; prints both. */
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		errno = 0; \
		CONTRACT_FAIL("CHECK_EQ(%s, %s): %lld != %lld", #a, #b, a_, b_); \
	} \
} while (0)

/* Assert that a wait status is a normal exit with the given code. */
#define CHECK_EXITED(st, code) do { \
	int s_ = (st); \
	if (!WIFEXITED(s_) || WEXITSTATUS(s_) != (code)) { \
		errno = 0; \
		CONTRACT_FAIL("wait status 0x%x: expected exit %d", s_, (code)); \
	} \
} while (0)

/* Assert that a wait status is death by the given signal. */
#define CHECK_SIGNALED(st, sig) do { \
	int s_ = (st); \
	if (!WIFSIGNALED(s_) || WTERMSIG(s_) != (sig)) { \
		errno = 0; \
		CONTRACT_FAIL("wait status 0x%x: expected signal %d", s_, (sig)); \
	} \
} while (0)

static char contract_tmp_path[64];
static pid_t contract_tmp_owner;

static int contract_rm_one(const char *p, const struct stat *sb, int flag,
			   struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	remove(p);
	return 0;
}

static void contract_tmp_cleanup(void)
{
	if (contract_tmp_path[0] && getpid() == contract_tmp_owner)
		nftw(contract_tmp_path, contract_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Create a fresh directory under /tmp, removed at exit of the creating
 * process (children that exit() do not remove it).  Returns its path.
 */
static inline const char *contract_tmpdir(void)
{
	if (contract_tmp_path[0])
		return contract_tmp_path;
	strcpy(contract_tmp_path, "/tmp/contract.XXXXXX");
	if (!mkdtemp(contract_tmp_path))
		CONTRACT_FAIL("mkdtemp");
	contract_tmp_owner = getpid();
	atexit(contract_tmp_cleanup);
	return contract_tmp_path;
}

/* Build "tmpdir/name" in a static buffer (64 rotating slots). */
static inline const char *contract_path(const char *name)
{
	static char bufs[64][512];
	static int n;
	char *b = bufs[n++ & 63];
	snprintf(b, sizeof(bufs[0]), "%s/%s", contract_tmpdir(), name);
	return b;
}

/* Run fn(arg) in a forked child that _exits with its result; return the wait status. */
static inline int contract_run_child(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		CONTRACT_FAIL("fork");
	if (pid == 0) {
		int rc = fn(arg);
		fflush(NULL);
		_exit(rc);
	}
	if (waitpid(pid, &st, 0) != pid)
		CONTRACT_FAIL("waitpid");
	return st;
}

/* Wait for a specific child and return its status (fails the test on error). */
static inline int contract_wait(pid_t pid)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		CONTRACT_FAIL("waitpid(%d)", (int)pid);
	return st;
}

/* Exit 77 unless running as root. */
static inline void contract_need_root(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root\n");
		exit(CONTRACT_SKIP);
	}
}

#define CONTRACT_NOBODY 65534

/* Drop all privileges to uid/gid 65534 (call in a child, as root). */
static inline void contract_drop_privs(void)
{
	gid_t none[1] = { CONTRACT_NOBODY };
	if (syscall(SYS_setgroups, 1, none) != 0 ||
	    syscall(SYS_setgid, CONTRACT_NOBODY) != 0 ||
	    syscall(SYS_setuid, CONTRACT_NOBODY) != 0)
		CONTRACT_FAIL("drop privileges");
}

/* Write all of buf or fail. */
static inline void contract_write_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(data);
	if (fd < 0)
		CONTRACT_FAIL("open %s", path);
	if (write(fd, data, len) != (ssize_t)len)
		CONTRACT_FAIL("write %s", path);
	close(fd);
}

/* Read a whole (small) file into buf, NUL-terminated; returns the length. */
static inline ssize_t contract_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;
	if (fd < 0)
		CONTRACT_FAIL("open %s", path);
	while ((size_t)total < size - 1 &&
	       (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return total;
}

/* Monotonic time in nanoseconds. */
static inline long long contract_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Spin until this process has used ms more milliseconds of CPU time (its own
 * clock, not the wall clock: a preempted or emulated CPU runs slower), but
 * give up after 5 s of wall time.  Returns the CPU time used, in ns.
 */
static inline long long contract_burn_cpu(long ms)
{
	static volatile unsigned long sink;
	struct timespec ts;
	long long start, now, wall_end = contract_now_ns() + 5000000000LL;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	start = now = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	while (now - start < ms * 1000000LL && contract_now_ns() < wall_end) {
		for (int i = 0; i < 10000; i++)
			sink += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		now = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	}
	return now - start;
}

/* Sleep for ms milliseconds (restarting after signals). */
static inline void contract_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Wait until process pid is in interruptible sleep ('S' in /proc/pid/stat),
 * i.e. blocked in the call under test, so that a signal sent now interrupts
 * that call even on a slow (emulated) machine.  Gives up after 5 s.
 */
static inline void contract_wait_sleeping(pid_t pid)
{
	char path[64], buf[512];
	long long end = contract_now_ns() + 5000000000LL;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	while (contract_now_ns() < end) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		char *rp;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			rp = strrchr(buf, ')');
			if (rp && rp[1] == ' ' && rp[2] == 'S')
				return;
		}
		contract_msleep(1);
	}
}

/* Raw thread id; musl 1.2.3 has no gettid() wrapper. */
static inline pid_t contract_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* A page that is guaranteed unmapped (mapped then unmapped). */
static inline void *contract_unmapped_page(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		CONTRACT_FAIL("mmap");
	munmap(p, pg);
	return p;
}

#endif /* CONTRACT_H */
