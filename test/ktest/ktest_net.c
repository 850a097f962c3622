/*
 * In-kernel tests of the socket layer that user space cannot check
 * deterministically: the AF_UNIX garbage collector (Linux runs it at
 * unpredictable times, so no contract test can wait for it).  They run
 * in a kernel thread without descriptors, so files are passed with
 * kmsg.kfp instead of SCM_RIGHTS.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "net/internal.h"
#include "time/clock.h"

#define MS 1000000ULL

/* A connected pair of stream sockets with files. */
static int make_pair(struct file *f[2])
{
	struct socket *s[2];
	int err = sock_create(AF_UNIX, SOCK_STREAM, 0, &s[0]);

	if (err)
		return err;
	err = sock_create(AF_UNIX, SOCK_STREAM, 0, &s[1]);
	if (err) {
		sock_release(s[0]);
		return err;
	}
	err = s[0]->ops->socketpair(s[0], s[1]);
	if (err) {
		sock_release(s[0]);
		sock_release(s[1]);
		return err;
	}
	f[0] = sock_alloc_file(s[0], O_NONBLOCK);
	f[1] = sock_alloc_file(s[1], O_NONBLOCK);
	return IS_ERR(f[0]) || IS_ERR(f[1]) ? -ENOMEM : 0;
}

/* Send one byte over @f with new references to @files[0..n). */
static long send_files(struct file *f, struct file **files, int n)
{
	struct socket *sock = sock_from_file(f);
	struct scm_fp_list *fpl = kmalloc(sizeof(*fpl));
	char c = 'x';
	struct iobuf b = { .user = false, .kbuf = &c, .len = 1 };
	struct kmsg m = { 0 };

	if (!fpl)
		return -ENOMEM;
	fpl->count = n;
	for (int i = 0; i < n; i++)
		fpl->fp[i] = file_get(files[i]);
	m.kfp = fpl;
	iov_iter_init(&m.iter, &b, 1);
	return sock->ops->sendmsg(sock, &m, 1, MSG_DONTWAIT);
}

static long read_byte(struct file *f)
{
	char c;

	return file_read_kernel(f, &c, 1, 0);
}

/* Let the socket layer's worker run the collector. */
static void run_gc(void)
{
	net_work_schedule();
	sched_sleep_ns(200 * MS);
}

/* B travels in its own queue with a pipe's write end; once every other
 * reference is gone only the collector can free it, and with it the
 * pipe's writer: the reader then sees EOF. */
KTEST(net_unix_gc_cycle)
{
	struct file *sv[2], *p[2], *pass[2];
	uint64_t end;
	long n;

	KEXPECT_EQ(make_pair(sv), 0);
	KEXPECT_EQ(pipe_create(p, O_NONBLOCK), 0);
	pass[0] = sv[1];
	pass[1] = p[1];
	KEXPECT_EQ(send_files(sv[0], pass, 2), 1);      /* into B's queue */
	file_put(sv[0]);
	file_put(sv[1]);
	file_put(p[1]);
	KEXPECT_EQ(read_byte(p[0]), -EAGAIN);   /* writer alive, in flight */
	end = clock_uptime_ns() + 5000 * MS;
	do {
		run_gc();
		n = read_byte(p[0]);
	} while (n == -EAGAIN && clock_uptime_ns() < end);
	KEXPECT_EQ(n, 0);
	file_put(p[0]);
}

/* B in flight in the queue of A, which is still open, with a pipe's
 * writer in B's own queue: B is reachable, so the collector must leave
 * B's queue alone (the pipe stays open) until A goes. */
KTEST(net_unix_gc_reachable)
{
	struct file *sv[2], *p[2];

	KEXPECT_EQ(make_pair(sv), 0);
	KEXPECT_EQ(pipe_create(p, O_NONBLOCK), 0);
	KEXPECT_EQ(send_files(sv[0], &p[1], 1), 1);     /* into B's queue */
	KEXPECT_EQ(send_files(sv[1], &sv[1], 1), 1);    /* into A's queue */
	file_put(sv[1]);
	file_put(p[1]);
	run_gc();
	run_gc();
	KEXPECT_EQ(read_byte(p[0]), -EAGAIN);   /* the writer is alive */
	file_put(sv[0]);        /* A's queue drops B, B's the writer */
	KEXPECT_EQ(read_byte(p[0]), 0);
	file_put(p[0]);
}
