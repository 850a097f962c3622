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
#include "lib/string.h"
#include "tty/tty.h"
#include "vfs/vfs.h"

#define O_RDWR 2

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
