/*
 * In-kernel tests of file data, devices, pipes and poll: tmpfs read,
 * write, truncate and sparse files; /dev/null, zero, full, urandom;
 * pipe(7) semantics with a second kernel thread; FIFO opens; poll
 * wakeups; exec's writes into private file mappings (mm_zero_in).
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "vfs/internal.h"

static long kwrite(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	struct iobuf b = { .user = false, .kbuf = (void *)buf, .len = len };

	return vfs_write(f, &b, pos);
}

static long kread(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };

	return vfs_read(f, &b, pos);
}

/*
 * What exec does to the last file page of a segment: mm_zero_in into a
 * read-only private file mapping gives the mapping its own copy of the
 * page (zeros where written, the file's bytes around them), leaves the
 * page cache and the other pages alone, and keeps the mapping read-only;
 * shared file mappings are refused.
 */
KTEST(mm_zero_in_private_file_mapping)
{
	struct file *f = vfs_open(AT_FDCWD, "/ktio_exec", O_RDWR | O_CREAT,
				  0755);
	static char page[PAGE_SIZE];
	uaddr_t at = 0x10000000;
	struct mm_map_req req = {
		.addr = at, .len = 2 * PAGE_SIZE, .prot = VM_READ,
		.maxprot = VM_READ | VM_WRITE | VM_EXEC, .pgoff = 0,
	};
	struct mm_usage u;
	uint64_t pos = 0;
	char buf[4];
	struct mm *mm = mm_create();

	KEXPECT(!IS_ERR(f) && mm != NULL);
	memset(page, 'x', sizeof(page));
	KEXPECT_EQ(kwrite(f, page, PAGE_SIZE, &pos), (long)PAGE_SIZE);
	KEXPECT_EQ(kwrite(f, page, PAGE_SIZE, &pos), (long)PAGE_SIZE);
	req.file = f;
	KEXPECT_EQ(mm_map(mm, &req), 0);
	KEXPECT_EQ(mm_zero_in(mm, at + 100, PAGE_SIZE - 100), 0);

	KEXPECT_EQ(mm_read(mm, at + 98, buf, 4), 4);
	KEXPECT(memcmp(buf, "xx\0\0", 4) == 0);
	KEXPECT_EQ(mm_read(mm, at + PAGE_SIZE - 2, buf, 4), 4);
	KEXPECT(memcmp(buf, "\0\0xx", 4) == 0);
	pos = 98;
	KEXPECT_EQ(kread(f, buf, 4, &pos), 4);
	KEXPECT(memcmp(buf, "xxxx", 4) == 0);   /* the file is untouched */
	mm_usage(mm, &u);
	KEXPECT_EQ(u.anon_pages, 1);            /* the copy, nothing else */
	KEXPECT_EQ(u.resident_pages, 1);
	KEXPECT_EQ(mm_handle_fault(mm, at, 0x2 | 0x4), -EACCES);
	/* A second zeroing finds the copy and writes it in place. */
	KEXPECT_EQ(mm_zero_in(mm, at, 1), 0);
	mm_usage(mm, &u);
	KEXPECT_EQ(u.anon_pages, 1);

	req.addr = at + 4 * PAGE_SIZE;
	req.vflags = VMA_SHARED;
	KEXPECT_EQ(mm_map(mm, &req), 0);
	KEXPECT_EQ(mm_zero_in(mm, req.addr, 1), -EFAULT);
	mm_put(mm);
	file_put(f);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktio_exec"), 0);
}

KTEST(vfs_file_sparse_truncate)
{
	struct file *f = vfs_open(AT_FDCWD, "/ktio1", O_RDWR | O_CREAT, 0600);
	uint8_t *buf = kmalloc(3 * PAGE_SIZE);
	uint64_t pos = 3 * PAGE_SIZE + 10;
	bool zeros = true;

	KEXPECT(!IS_ERR(f) && buf);
	KEXPECT_EQ(kwrite(f, "tail", 4, &pos), 4);
	KEXPECT_EQ(f->inode->size, 3 * PAGE_SIZE + 14);
	KEXPECT_EQ(f->inode->blocks, PAGE_SIZE / 512);     /* one page only */
	pos = 0;
	KEXPECT_EQ(kread(f, buf, 3 * PAGE_SIZE, &pos), 3 * PAGE_SIZE);
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		zeros &= buf[i] == 0;
	KEXPECT(zeros);
	pos = 3 * PAGE_SIZE + 10;
	KEXPECT_EQ(kread(f, buf, 100, &pos), 4);
	KEXPECT(memcmp(buf, "tail", 4) == 0);
	KEXPECT_EQ(kread(f, buf, 100, &pos), 0);           /* EOF */
	/* Shrink into the middle of "tail", then grow: the cut part reads 0. */
	KEXPECT_EQ(vfs_ftruncate(f, 3 * PAGE_SIZE + 12), 0);
	KEXPECT_EQ(vfs_ftruncate(f, 3 * PAGE_SIZE + 20), 0);
	pos = 3 * PAGE_SIZE + 10;
	KEXPECT_EQ(kread(f, buf, 100, &pos), 10);
	KEXPECT(memcmp(buf, "ta\0\0\0\0", 6) == 0);
	KEXPECT_EQ(vfs_ftruncate(f, 0), 0);
	KEXPECT_EQ(f->inode->blocks, 0);
	KEXPECT_EQ(vfs_ftruncate(f, -1), -EINVAL);
	KEXPECT_EQ(vfs_lseek(f, 0, 2), 0);
	KEXPECT_EQ(vfs_lseek(f, -1, 0), -EINVAL);
	file_put(f);
	f = vfs_open(AT_FDCWD, "/ktio1", O_RDONLY, 0);
	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(kwrite(f, "x", 1, &pos), -EBADF);
	KEXPECT_EQ(vfs_ftruncate(f, 0), -EINVAL);
	file_put(f);
	kfree(buf);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktio1"), 0);
}

KTEST(vfs_append_and_unlinked_open_file)
{
	struct file *f = vfs_open(AT_FDCWD, "/ktio2", O_RDWR | O_CREAT | O_APPEND,
				  0600);
	uint64_t pos = 0;
	char buf[8];

	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(kwrite(f, "ab", 2, &pos), 2);
	pos = 0;
	KEXPECT_EQ(kwrite(f, "cd", 2, &pos), 2);
	KEXPECT_EQ(pos, 4);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktio2"), 0);
	pos = 0;
	KEXPECT_EQ(kread(f, buf, sizeof(buf), &pos), 4);   /* still readable */
	KEXPECT(memcmp(buf, "abcd", 4) == 0);
	KEXPECT_EQ(f->inode->nlink, 0);
	file_put(f);
}

KTEST(vfs_dev_null_zero_full_random)
{
	struct file *f;
	uint8_t buf[64], buf2[64];
	uint64_t pos = 0;

	f = vfs_open(AT_FDCWD, "/dev/null", O_RDWR, 0);
	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(kwrite(f, "abc", 3, &pos), 3);
	KEXPECT_EQ(kread(f, buf, sizeof(buf), &pos), 0);
	file_put(f);
	f = vfs_open(AT_FDCWD, "/dev/zero", O_RDONLY, 0);
	KEXPECT(!IS_ERR(f));
	memset(buf, 0xff, sizeof(buf));
	KEXPECT_EQ(kread(f, buf, sizeof(buf), &pos), 64);
	KEXPECT(buf[0] == 0 && buf[63] == 0);
	file_put(f);
	f = vfs_open(AT_FDCWD, "/dev/full", O_WRONLY, 0);
	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(kwrite(f, "abc", 3, &pos), -ENOSPC);
	file_put(f);
	f = vfs_open(AT_FDCWD, "/dev/urandom", O_RDONLY, 0);
	KEXPECT(!IS_ERR(f));
	KEXPECT_EQ(kread(f, buf, sizeof(buf), &pos), 64);
	KEXPECT_EQ(kread(f, buf2, sizeof(buf2), &pos), 64);
	KEXPECT(memcmp(buf, buf2, sizeof(buf)) != 0);
	file_put(f);
	KEXPECT_EQ(vfs_mknod(AT_FDCWD, "/ktio_nodev", S_IFCHR | 0600,
			     MKDEV(250, 0)), 0);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/ktio_nodev", O_RDONLY, 0)),
		   -ENXIO);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktio_nodev"), 0);
}

struct pipe_peer {
	struct file *f;
	struct wait_queue done_wq;
	volatile bool done;
	long result;
	size_t len;
};

static void pipe_writer(void *arg)
{
	struct pipe_peer *p = arg;
	uint8_t *buf = kmalloc(p->len);
	uint64_t pos = 0;

	for (size_t i = 0; i < p->len; i++)
		buf[i] = (uint8_t)i;
	p->result = buf ? kwrite(p->f, buf, p->len, &pos) : -ENOMEM;
	kfree(buf);
	file_put(p->f);                 /* the writer closes: EOF for reader */
	p->done = true;
	sched_wake_all(&p->done_wq);
}

KTEST(vfs_pipe_blocking_and_eof)
{
	struct file *ends[2];
	struct pipe_peer peer = { .len = 200000 };
	uint8_t *buf = kmalloc(4096);
	size_t total = 0;
	bool ok = true;
	uint64_t pos = 0;

	KEXPECT(buf);
	KEXPECT_EQ(pipe_create(ends, 0), 0);
	wait_queue_init(&peer.done_wq);
	peer.f = ends[1];
	KEXPECT(thread_spawn("pipe-writer", pipe_writer, &peer) != NULL);
	for (;;) {
		long n = kread(ends[0], buf, 4096, &pos);

		KEXPECT(n >= 0);
		if (n == 0)
			break;
		for (long i = 0; i < n; i++)
			ok &= buf[i] == (uint8_t)(total + (size_t)i);
		total += (size_t)n;
	}
	wait_event_timeout(&peer.done_wq, peer.done, 0);
	KEXPECT(ok);
	KEXPECT_EQ(total, peer.len);
	KEXPECT_EQ(peer.result, (long)peer.len);
	file_put(ends[0]);
	kfree(buf);
}

KTEST(vfs_pipe_nonblock_epipe)
{
	struct file *ends[2];
	uint8_t *buf = kzalloc(PIPE_DEFAULT_SIZE);
	uint64_t pos = 0;

	KEXPECT(buf);
	KEXPECT_EQ(pipe_create(ends, O_NONBLOCK), 0);
	KEXPECT_EQ(kread(ends[0], buf, 10, &pos), -EAGAIN);
	KEXPECT_EQ(vfs_poll(ends[0], NULL), 0);
	KEXPECT_EQ(vfs_poll(ends[1], NULL), POLLOUT | POLLWRNORM);
	KEXPECT_EQ(kwrite(ends[1], buf, PIPE_DEFAULT_SIZE - 100, &pos),
		   PIPE_DEFAULT_SIZE - 100);
	/* 100 bytes free: a 200-byte write is atomic, so nothing goes. */
	KEXPECT_EQ(kwrite(ends[1], buf, 200, &pos), -EAGAIN);
	KEXPECT_EQ(kwrite(ends[1], buf, 100, &pos), 100);
	KEXPECT_EQ(vfs_poll(ends[0], NULL), POLLIN | POLLRDNORM);
	KEXPECT_EQ(vfs_poll(ends[1], NULL), 0);
	KEXPECT_EQ(pipe_fcntl(ends[0], 1032, 0), PIPE_DEFAULT_SIZE);
	file_put(ends[0]);
	KEXPECT_EQ(kwrite(ends[1], buf, 1, &pos), -EPIPE);
	KEXPECT_EQ(vfs_poll(ends[1], NULL), POLLERR);
	file_put(ends[1]);
	KEXPECT_EQ(pipe_create(ends, O_RDWR), -EINVAL);
	kfree(buf);
}

static void delayed_pipe_write(void *arg)
{
	struct pipe_peer *p = arg;
	uint64_t pos = 0;

	sched_sleep_ns(20000000);
	p->result = kwrite(p->f, "!", 1, &pos);
	p->done = true;
	sched_wake_all(&p->done_wq);
}

KTEST(vfs_poll_wakes_on_pipe_write)
{
	struct file *a[2], *b[2];
	struct pipe_peer peer = { 0 };
	struct pollfd_k fds[2];
	struct fdtable *t = fdtable_create();
	int fa, fb;

	/* poll works on descriptors: use a table of this kernel thread's
	 * own through the explicit fdtable API and check vfs_poll directly. */
	KEXPECT(t != NULL);
	KEXPECT_EQ(pipe_create(a, 0), 0);
	KEXPECT_EQ(pipe_create(b, 0), 0);
	fa = fdtable_install(t, a[0], false, 0, 64);
	fb = fdtable_install(t, b[0], false, 0, 64);
	KEXPECT(fa >= 0 && fb >= 0);
	wait_queue_init(&peer.done_wq);
	peer.f = b[1];
	KEXPECT(thread_spawn("poll-writer", delayed_pipe_write, &peer) != NULL);
	{
		struct poll_wait_set *ws = poll_wait_set_alloc();
		uint64_t start = clock_uptime_ns();
		unsigned ma, mb;

		KEXPECT(ws != NULL);
		for (;;) {
			ma = vfs_poll(a[0], &ws->pt);
			mb = vfs_poll(b[0], &ws->pt);
			if (ma | mb)
				break;
			sched_prepare_wait(NULL, start + 2000000000ULL);
			schedule();
			sched_finish_wait(NULL);
			poll_wait_set_clear(ws);
			KEXPECT(clock_uptime_ns() - start < 2000000000ULL);
		}
		poll_wait_set_clear(ws);
		kfree(ws);
		KEXPECT_EQ(ma, 0);
		KEXPECT_EQ(mb, POLLIN | POLLRDNORM);
	}
	wait_event_timeout(&peer.done_wq, peer.done, 0);
	KEXPECT_EQ(peer.result, 1);
	(void)fds;
	fdtable_put(t);                 /* closes the read ends */
	file_put(a[1]);
	file_put(b[1]);
}

struct fifo_peer {
	struct wait_queue done_wq;
	volatile bool done;
	struct file *f;
};

static void fifo_opener(void *arg)
{
	struct fifo_peer *p = arg;

	sched_sleep_ns(10000000);
	p->f = vfs_open(AT_FDCWD, "/ktio_fifo", O_WRONLY, 0);
	p->done = true;
	sched_wake_all(&p->done_wq);
}

KTEST(vfs_fifo_open_rules)
{
	struct fifo_peer peer = { 0 };
	struct file *r, *w;
	char c;
	uint64_t pos = 0;

	KEXPECT_EQ(vfs_mknod(AT_FDCWD, "/ktio_fifo", S_IFIFO | 0600, 0), 0);
	KEXPECT_EQ(PTR_ERR(vfs_open(AT_FDCWD, "/ktio_fifo",
				    O_WRONLY | O_NONBLOCK, 0)), -ENXIO);
	r = vfs_open(AT_FDCWD, "/ktio_fifo", O_RDONLY | O_NONBLOCK, 0);
	KEXPECT(!IS_ERR(r));
	KEXPECT_EQ(kread(r, &c, 1, &pos), 0);           /* no writer: EOF */
	KEXPECT_EQ(vfs_poll(r, NULL), 0);               /* but no POLLHUP yet */
	file_put(r);
	/* A blocking read-only open waits for a writer. */
	wait_queue_init(&peer.done_wq);
	KEXPECT(thread_spawn("fifo-opener", fifo_opener, &peer) != NULL);
	r = vfs_open(AT_FDCWD, "/ktio_fifo", O_RDONLY, 0);
	KEXPECT(!IS_ERR(r));
	wait_event_timeout(&peer.done_wq, peer.done, 0);
	w = peer.f;
	KEXPECT(!IS_ERR(w));
	KEXPECT_EQ(kwrite(w, "q", 1, &pos), 1);
	KEXPECT_EQ(kread(r, &c, 1, &pos), 1);
	KEXPECT_EQ(c, 'q');
	file_put(w);
	KEXPECT_EQ(vfs_poll(r, NULL), POLLHUP);
	file_put(r);
	KEXPECT_EQ(vfs_unlink(AT_FDCWD, "/ktio_fifo"), 0);
}

KTEST(vfs_permissions)
{
	struct inode fake = { .mode = S_IFREG | 0640, .uid = 100, .gid = 200 };

	KEXPECT_EQ(inode_permission_ids(&fake, MAY_READ | MAY_WRITE, 100, 1,
					false), 0);
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_EXEC, 100, 1, false), -EACCES);
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_READ, 5, 200, false), 0);
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_WRITE, 5, 200, false), -EACCES);
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_READ, 5, 5, false), -EACCES);
	/* root: reads and writes anything, executes only with an x bit */
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_READ | MAY_WRITE, 0, 0, true),
		   0);
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_EXEC, 0, 0, true), -EACCES);
	fake.mode |= 0001;
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_EXEC, 0, 0, true), 0);
	fake.mode = S_IFDIR | 0;
	KEXPECT_EQ(inode_permission_ids(&fake, MAY_EXEC, 0, 0, true), 0);
}
