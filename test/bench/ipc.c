/*
 * Communication between two processes or threads on one CPU: 1-byte
 * ping-pong over pipes and over an AF_UNIX socket pair (one op = one round
 * trip, two context switches), 64 KiB pipe throughput (one op = 64 KiB
 * from a child writer to the reader), and a futex ping-pong between two
 * threads of one process (one op = one round trip).
 */
#include "bench.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

/* Reap the partner; a partner that did not exit 0 fails the benchmark. */
static void reap(struct bench *b, pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid) {
		bench_fail(b, "waitpid", errno);
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		bench_fail(b, "partner process failed", 0);
}

/*
 * Ping-pong over two fd pairs: we write to out, the child echoes from
 * cin to cout, we read from in.  fds[4] = { in, out, cin, cout }.
 */
static void pingpong(struct bench *b, int fds[4])
{
	pid_t pid = fork();
	char c = 'p';

	if (pid < 0) {
		bench_fail(b, "fork", errno);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		if (fds[1] != fds[0])
			close(fds[1]);
		for (long i = 0; i < b->iters; i++)
			if (read(fds[2], &c, 1) != 1 || write(fds[3], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	if (fds[2] != fds[0])
		close(fds[2]);
	if (fds[3] != fds[1] && fds[3] != fds[2])
		close(fds[3]);
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		ssize_t r = write(fds[1], &c, 1);

		if (r != 1) {
			bench_fail(b, "write", r < 0 ? errno : 0);
			break;
		}
		r = read(fds[0], &c, 1);
		if (r != 1 || c != 'p') {
			bench_fail(b, "read", r < 0 ? errno : 0);
			break;
		}
	}
	bench_end(b);
	close(fds[0]);
	if (fds[1] != fds[0])
		close(fds[1]);
	reap(b, pid);
}

static void bench_pipe_pingpong(struct bench *b)
{
	int to[2], from[2];

	if (pipe(to) != 0 || pipe(from) != 0) {
		bench_fail(b, "pipe", errno);
		return;
	}
	pingpong(b, (int[4]){ from[0], to[1], to[0], from[1] });
}

static void bench_unix_pingpong(struct bench *b)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		bench_setup_fail(b, "socketpair(AF_UNIX)", errno);
		return;
	}
	pingpong(b, (int[4]){ sv[0], sv[0], sv[1], sv[1] });
}

static void bench_pipe_64k(struct bench *b)
{
	static char buf[CHUNK];
	int p[2];
	pid_t pid;

	if (pipe(p) != 0) {
		bench_fail(b, "pipe", errno);
		return;
	}
	pid = fork();
	if (pid < 0) {
		bench_fail(b, "fork", errno);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		memset(buf, 'w', sizeof(buf));
		for (long i = 0; i < b->iters; i++)
			for (size_t done = 0; done < CHUNK;) {
				ssize_t r = write(p[1], buf + done, CHUNK - done);

				if (r <= 0)
					_exit(1);
				done += (size_t)r;
			}
		_exit(0);
	}
	close(p[1]);
	bench_begin(b);
	for (long i = 0; i < b->iters && !b->failed; i++)
		for (size_t done = 0; done < CHUNK;) {
			ssize_t r = read(p[0], buf, CHUNK - done);

			if (r <= 0 || buf[0] != 'w' || buf[r - 1] != 'w') {
				bench_fail(b, "read", r < 0 ? errno : 0);
				break;
			}
			done += (size_t)r;
		}
	bench_end(b);
	close(p[0]);
	reap(b, pid);
}

/* Thread ping-pong state: turn 1 = the thread's, 0 = main's. */
static int turn;
static int thread_errno;
static volatile long thread_iters;

static long futex(int *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

/* Wait until *addr != val; returns 0 or an errno. */
static int wait_change(int *addr, int val)
{
	while (__atomic_load_n(addr, __ATOMIC_ACQUIRE) == val)
		if (futex(addr, FUTEX_WAIT_PRIVATE, val) != 0 &&
		    errno != EAGAIN && errno != EINTR)
			return errno;
	return 0;
}

static int hand_over(int *addr, int val)
{
	__atomic_store_n(addr, val, __ATOMIC_RELEASE);
	return futex(addr, FUTEX_WAKE_PRIVATE, 1) < 0 ? errno : 0;
}

static void *partner(void *arg)
{
	for (long i = 0; i < thread_iters; i++) {
		int err = wait_change(&turn, 0);

		if (!err)
			err = hand_over(&turn, 0);
		if (err) {
			thread_errno = err;
			hand_over(&turn, 0);
			break;
		}
	}
	return NULL;
}

static void bench_thread_switch(struct bench *b)
{
	pthread_t t;
	int err;

	turn = 0;
	thread_errno = 0;
	thread_iters = b->iters;
	err = pthread_create(&t, NULL, partner, NULL);
	if (err) {
		bench_fail(b, "pthread_create", err);
		return;
	}
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		err = hand_over(&turn, 1);
		if (!err)
			err = wait_change(&turn, 1);
		if (err || thread_errno) {
			bench_fail(b, "futex", err ? err : thread_errno);
			break;
		}
	}
	bench_end(b);
	if (b->failed)
		thread_iters = 0;	/* let the partner finish */
	hand_over(&turn, 1);
	pthread_join(t, NULL);
}

static const struct bench_def benches[] = {
	BENCH_DEF(pipe_pingpong, 5000, 20),
	BENCH_DEF(pipe_64k, 500, 4),
	BENCH_DEF(unix_pingpong, 5000, 20),
	BENCH_DEF(thread_switch, 5000, 20),
};

BENCH_MAIN(benches)
