/*
 * In-kernel tests of pseudo-terminals through kernel functions: a pair is
 * allocated as /dev/ptmx would, both sides opened as files, and bytes go
 * through the slave's line discipline in both directions.  Checks the
 * lock (unlockpt), canonical input and echo, output processing, ^C echo
 * and flush, EIO/POLLHUP when the slave closes, hangup when the master
 * closes, flow control when the master does not read, slot reuse.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tty/tty.h"
#include "vfs/vfs.h"


static long kread(struct tty_file *tf, char *buf, size_t len, bool nonblock)
{
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };

	return tty_read(tf, &b, nonblock);
}

static long kwrite(struct tty_file *tf, const void *s, size_t len,
		   bool nonblock)
{
	struct iobuf b = { .user = false, .kbuf = (void *)s, .len = len };

	return tty_write(tf, &b, nonblock);
}

static long kwrites(struct tty_file *tf, const char *s)
{
	return kwrite(tf, s, strlen(s), false);
}

/* Open a new pair; the slave is unlocked and open too. */
static int open_pair(struct tty_file *m, struct tty_file *s)
{
	struct tty *master = pty_alloc(), *slave;
	int err;

	if (IS_ERR(master))
		return (int)PTR_ERR(master);
	err = tty_open(master, m, O_RDWR, false);
	if (err)
		return err;
	slave = pty_slave_lookup(pty_index(master));
	if (IS_ERR(slave))
		return (int)PTR_ERR(slave);
	pty_set_locked(master, false);
	return tty_open(slave, s, O_RDWR, true);
}

KTEST(pty_locked_until_unlockpt)
{
	struct tty_file m, s;
	struct tty *master = pty_alloc(), *slave;

	KEXPECT(!IS_ERR(master));
	KEXPECT_EQ(tty_open(master, &m, O_RDWR, false), 0);
	slave = pty_slave_lookup(pty_index(master));
	KEXPECT(!IS_ERR(slave));
	KEXPECT_EQ(tty_open(slave, &s, O_RDWR, true), -EIO);
	/* writing to a master whose slave never opened fails like Linux */
	KEXPECT_EQ(kwrites(&m, "x"), -EIO);
	pty_set_locked(master, false);
	KEXPECT_EQ(tty_open(slave, &s, O_RDWR, true), 0);
	tty_close(&s);
	tty_close(&m);
}

KTEST(pty_canonical_input_and_echo)
{
	struct tty_file m, s;
	char buf[64];

	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(kwrites(&m, "hellp\x7fo\r"), 8);
	KEXPECT_EQ(kread(&s, buf, sizeof(buf), false), 6);
	KEXPECT(memcmp(buf, "hello\n", 6) == 0);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 11);
	KEXPECT(memcmp(buf, "hellp\b \bo\r\n", 11) == 0);
	KEXPECT_EQ(kwrites(&m, "\x04"), 1);
	KEXPECT_EQ(kread(&s, buf, sizeof(buf), false), 0);
	tty_close(&s);
	tty_close(&m);
}

KTEST(pty_slave_output_processing)
{
	struct tty_file m, s;
	char buf[64];

	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(kwrites(&s, "a\nb"), 3);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 4);
	KEXPECT(memcmp(buf, "a\r\nb", 4) == 0);
	KEXPECT_EQ(tty_poll_events(&m) & POLLIN, 0);
	KEXPECT(tty_poll_events(&m) & POLLOUT);
	tty_close(&s);
	tty_close(&m);
}

KTEST(pty_interrupt_char)
{
	struct tty_file m, s;
	char buf[64];

	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(kwrites(&m, "abc"), 3);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 3);
	KEXPECT_EQ(kwrites(&m, "\x03"), 1);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 2);
	KEXPECT(memcmp(buf, "^C", 2) == 0);
	KEXPECT_EQ(kwrites(&m, "\n"), 1);
	KEXPECT_EQ(kread(&s, buf, sizeof(buf), false), 1);  /* "abc" flushed */
	tty_close(&s);
	tty_close(&m);
}

KTEST(pty_slave_close_gives_master_eio)
{
	struct tty_file m, s, s2;
	struct tty *slave;
	char buf[64];

	KEXPECT_EQ(open_pair(&m, &s), 0);
	slave = s.tty;
	KEXPECT_EQ(kwrites(&s, "bye"), 3);
	tty_close(&s);
	KEXPECT(tty_poll_events(&m) & POLLHUP);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 3);  /* data first */
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), -EIO);
	KEXPECT_EQ(kwrites(&m, "x"), -EIO);
	KEXPECT_EQ(tty_open(slave, &s2, O_RDWR, true), 0);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), true), -EAGAIN);
	KEXPECT_EQ(tty_poll_events(&m) & POLLHUP, 0);
	tty_close(&s2);
	tty_close(&m);
}

KTEST(pty_master_close_hangs_up_slave)
{
	struct tty_file m, s;
	char buf[64];

	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(kwrites(&m, "partial"), 7);
	tty_close(&m);
	KEXPECT_EQ(kread(&s, buf, sizeof(buf), false), 0);
	KEXPECT_EQ(kwrites(&s, "x"), -EIO);
	KEXPECT(tty_poll_events(&s) & POLLHUP);
	KEXPECT(IS_ERR(pty_slave_lookup(pty_index(s.tty))) ||
		tty_open(pty_slave_lookup(pty_index(s.tty)), &m, O_RDWR,
			 true) == -EIO);
	tty_close(&s);
}

KTEST(pty_flow_control_when_master_does_not_read)
{
	static char big[5000];
	struct tty_file m, s;
	char buf[100];

	memset(big, 'z', sizeof(big));
	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(kwrite(&s, big, sizeof(big), true), LDISC_BUF_SIZE);
	KEXPECT_EQ(kwrite(&s, big, 1, true), -EAGAIN);
	KEXPECT_EQ(tty_poll_events(&s) & POLLOUT, 0);
	KEXPECT_EQ(kread(&m, buf, sizeof(buf), false), 100);
	KEXPECT(tty_poll_events(&s) & POLLOUT);
	KEXPECT_EQ(kwrite(&s, big, sizeof(big), true), 100);
	tty_close(&s);
	tty_close(&m);
}

KTEST(pty_numbers_are_reused)
{
	struct tty_file m, s;
	unsigned first;

	KEXPECT_EQ(open_pair(&m, &s), 0);
	first = pty_index(m.tty);
	tty_close(&s);
	tty_close(&m);
	KEXPECT_EQ(open_pair(&m, &s), 0);
	KEXPECT_EQ(pty_index(m.tty), first);
	tty_close(&s);
	tty_close(&m);
}

/* The device files: /dev/ptmx makes a pair whose slave is /dev/pts/N. */
KTEST(pty_device_nodes)
{
	struct file *mf, *sf;
	struct tty_file *tf;
	char path[32], buf[16];
	uint64_t pos = 0;
	struct iobuf in = { .user = false, .kbuf = "hi\n", .len = 3 };
	struct iobuf out = { .user = false, .kbuf = buf, .len = sizeof(buf) };

	mf = file_open_kernel("/dev/ptmx", O_RDWR | O_NOCTTY, 0);
	KEXPECT(!IS_ERR(mf));
	tf = file_private(mf);
	format_snprintf(path, sizeof(path), "/dev/pts/%u", pty_index(tf->tty));
	KEXPECT_EQ(PTR_ERR(file_open_kernel(path, O_RDWR | O_NOCTTY, 0)), -EIO);
	pty_set_locked(tf->tty, false);
	sf = file_open_kernel(path, O_RDWR | O_NOCTTY, 0);
	KEXPECT(!IS_ERR(sf));
	KEXPECT_EQ(vfs_write(mf, &in, &pos), 3);
	KEXPECT_EQ(vfs_read(sf, &out, &pos), 3);
	KEXPECT(memcmp(buf, "hi\n", 3) == 0);
	file_put(sf);
	file_put(mf);
	KEXPECT(!IS_ERR(mf = file_open_kernel("/dev/console", O_RDWR, 0)));
	file_put(mf);
	KEXPECT_EQ(PTR_ERR(file_open_kernel("/dev/tty", O_RDWR, 0)), -ENXIO);
}
