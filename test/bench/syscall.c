/*
 * Single system calls in a loop: getpid, 1-byte read and write on
 * /dev/zero and /dev/null, open+close and stat of a tmpfs file,
 * clock_gettime (the vDSO on Linux, when it has one), sched_yield with
 * nothing else runnable, a signal sent to oneself (delivery, handler,
 * rt_sigreturn) and epoll_wait on an fd that is always ready.
 */
#include "bench.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_SIZE 123

static void bench_getpid(struct bench *b)
{
	pid_t pid = getpid();

	bench_begin(b);
	for (long i = 0; i < b->iters; i++)
		if (getpid() != pid) {
			bench_fail(b, "getpid", 0);
			break;
		}
	bench_end(b);
}

/* A 1-byte read or write loop on a device; want is the expected result. */
static void dev_loop(struct bench *b, const char *path, int writing, long want)
{
	int fd = open(path, O_RDWR);
	char c;

	if (fd < 0) {
		bench_fail(b, path, errno);
		return;
	}
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		long r;

		c = 1;
		r = writing ? write(fd, &c, 1) : read(fd, &c, 1);
		if (r != want || (!writing && want == 1 && c != 0)) {
			bench_fail(b, writing ? "write" : "read", r < 0 ? errno : 0);
			break;
		}
	}
	bench_end(b);
	close(fd);
}

static void bench_read_zero(struct bench *b)
{
	dev_loop(b, "/dev/zero", 0, 1);
}

static void bench_write_zero(struct bench *b)
{
	dev_loop(b, "/dev/zero", 1, 1);
}

static void bench_read_null(struct bench *b)
{
	dev_loop(b, "/dev/null", 0, 0);
}

static void bench_write_null(struct bench *b)
{
	dev_loop(b, "/dev/null", 1, 1);
}

/* The file of open_close and stat (per process: runs may overlap on the host). */
static char file_path[64];

static int make_file(struct bench *b)
{
	char buf[FILE_SIZE] = { 0 };
	int fd;

	snprintf(file_path, sizeof(file_path), "/tmp/bench-syscall-%d",
		 (int)getpid());
	fd = open(file_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf)) {
		bench_fail(b, "create file in /tmp", errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void bench_open_close(struct bench *b)
{
	if (make_file(b))
		return;
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		int fd = open(file_path, O_RDONLY);

		if (fd < 0) {
			bench_fail(b, "open", errno);
			break;
		}
		if (close(fd) != 0) {
			bench_fail(b, "close", errno);
			break;
		}
	}
	bench_end(b);
	unlink(file_path);
}

static void bench_stat(struct bench *b)
{
	struct stat st;

	if (make_file(b))
		return;
	bench_begin(b);
	for (long i = 0; i < b->iters; i++)
		if (stat(file_path, &st) != 0 || st.st_size != FILE_SIZE) {
			bench_fail(b, "stat", errno);
			break;
		}
	bench_end(b);
	unlink(file_path);
}

static void bench_clock_gettime(struct bench *b)
{
	struct timespec prev = { 0, 0 }, ts;

	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
			bench_fail(b, "clock_gettime", errno);
			break;
		}
		if (ts.tv_sec < prev.tv_sec ||
		    (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec)) {
			bench_fail(b, "clock_gettime went backwards", 0);
			break;
		}
		prev = ts;
	}
	bench_end(b);
}

static void bench_sched_yield(struct bench *b)
{
	bench_begin(b);
	for (long i = 0; i < b->iters; i++)
		if (sched_yield() != 0) {
			bench_fail(b, "sched_yield", errno);
			break;
		}
	bench_end(b);
}

static volatile sig_atomic_t signals_seen;

static void on_usr1(int sig)
{
	signals_seen++;
}

static void bench_signal_deliver(struct bench *b)
{
	struct sigaction sa;
	pid_t pid = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0) {
		bench_fail(b, "sigaction", errno);
		return;
	}
	signals_seen = 0;
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		/* A signal sent to oneself is delivered before kill returns. */
		if (kill(pid, SIGUSR1) != 0) {
			bench_fail(b, "kill", errno);
			break;
		}
		if (signals_seen != i + 1) {
			bench_fail(b, "handler did not run", 0);
			break;
		}
	}
	bench_end(b);
	signal(SIGUSR1, SIG_DFL);
}

static void bench_epoll_wait_ready(struct bench *b)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2], ep;

	if (pipe(p) != 0) {
		bench_fail(b, "pipe", errno);
		return;
	}
	if (write(p[1], "x", 1) != 1) {
		bench_fail(b, "write", errno);
		goto out_pipe;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		bench_setup_fail(b, "epoll_create1", errno);
		goto out_pipe;
	}
	ev.data.fd = p[0];
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) != 0) {
		bench_setup_fail(b, "epoll_ctl", errno);
		goto out_ep;
	}
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		struct epoll_event got;
		int n = epoll_wait(ep, &got, 1, 0);

		if (n != 1 || got.data.fd != p[0] || !(got.events & EPOLLIN)) {
			bench_fail(b, "epoll_wait", n < 0 ? errno : 0);
			break;
		}
	}
	bench_end(b);
out_ep:
	close(ep);
out_pipe:
	close(p[0]);
	close(p[1]);
}

static const struct bench_def benches[] = {
	BENCH_DEF(getpid, 20000, 20),
	BENCH_DEF(read_zero, 20000, 20),
	BENCH_DEF(write_zero, 20000, 20),
	BENCH_DEF(read_null, 20000, 20),
	BENCH_DEF(write_null, 20000, 20),
	BENCH_DEF(open_close, 5000, 20),
	BENCH_DEF(stat, 10000, 20),
	BENCH_DEF(clock_gettime, 20000, 20),
	BENCH_DEF(sched_yield, 20000, 20),
	BENCH_DEF(signal_deliver, 10000, 20),
	BENCH_DEF(epoll_wait_ready, 20000, 20),
};

BENCH_MAIN(benches)
