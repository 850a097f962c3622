/*
 * In-kernel tests of the tty core and the serial tty, through kernel
 * functions: a test tty whose "device" records what is written to it,
 * input injected with tty_receive(), reads and writes with kernel iobufs.
 * Covers canonical line assembly, echo, the signals ^C/^Z ask for, the
 * four VMIN/VTIME cases (generous time bounds), O_NONBLOCK, window size,
 * hangup, and the real receive interrupt of COM1 in loopback mode.
 */
#include "lib/ktest.h"
#include "drivers/serial.h"
#include "include/errno.h"
#include "lib/string.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "tty/tty.h"
#include "vfs/vfs.h"

#define MS 1000000ULL

/* ---- a tty whose device is a capture buffer ---- */

static uint8_t captured[1024];
static size_t captured_len;

static size_t capture_write(struct tty *tty, const uint8_t *buf, size_t n)
{
	size_t room = sizeof(captured) - captured_len;

	n = MIN(n, room);
	memcpy(captured + captured_len, buf, n);
	captured_len += n;
	return n;
}

static size_t capture_room(struct tty *tty)
{
	return sizeof(captured) - captured_len;
}

static const struct tty_driver_ops capture_ops = {
	.write = capture_write,
	.write_room = capture_room,
};

static struct tty test_tty;
static struct tty_file test_file;

static void test_tty_setup(void)
{
	tty_init(&test_tty, "ktest", &capture_ops, NULL);
	tty_open(&test_tty, &test_file, 2 /* O_RDWR */, true);
	captured_len = 0;
}

static void inject(const char *s)
{
	tty_receive(&test_tty, (const uint8_t *)s, strlen(s));
}

static long kread(struct tty_file *tf, char *buf, size_t len, bool nonblock)
{
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };

	return tty_read(tf, &b, nonblock);
}

static long kwrite(struct tty_file *tf, const char *s, bool nonblock)
{
	struct iobuf b = { .user = false, .kbuf = (void *)s, .len = strlen(s) };

	return tty_write(tf, &b, nonblock);
}

static bool captured_is(const char *s)
{
	return captured_len == strlen(s) && memcmp(captured, s, captured_len) == 0;
}

static void set_raw(struct tty *tty, cc_t vmin, cc_t vtime)
{
	struct termios2 t;

	tty_get_termios(tty, &t);
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_iflag &= ~(ICRNL | IXON);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tty_set_termios(tty, &t);
}

KTEST(tty_canonical_line_and_echo)
{
	char buf[64];

	test_tty_setup();
	inject("hel");
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), true), -EAGAIN);
	inject("lx\x7fo\r");
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), false), 6);
	KEXPECT(memcmp(buf, "hello\n", 6) == 0);
	KEXPECT(captured_is("hellx\b \bo\r\n"));
	inject("\x04");
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), false), 0);
	tty_close(&test_file);
}

KTEST(tty_write_output_processing)
{
	test_tty_setup();
	KEXPECT_EQ(kwrite(&test_file, "a\nb\tc", false), 5);
	KEXPECT(captured_is("a\r\nb\tc"));
	tty_close(&test_file);
}

KTEST(tty_signal_characters)
{
	struct ldisc ld;
	struct ldisc_events ev = { 0 };
	struct termios t;
	char buf[16];

	ldisc_default_termios(&t);
	ldisc_init(&ld, &t);
	ldisc_receive(&ld, (const uint8_t *)"\x03", 1, &ev);
	KEXPECT_EQ(ev.signals, 1u << SIGINT);
	ev = (struct ldisc_events){ 0 };
	ldisc_receive(&ld, (const uint8_t *)"\x1a", 1, &ev);
	KEXPECT_EQ(ev.signals, 1u << SIGTSTP);
	ev = (struct ldisc_events){ 0 };
	ldisc_receive(&ld, (const uint8_t *)"\x1c", 1, &ev);
	KEXPECT_EQ(ev.signals, 1u << SIGQUIT);

	/* through the tty: ^C flushes the partial line and echoes ^C */
	test_tty_setup();
	inject("abc\n");
	inject("xyz");
	inject("\x03");
	KEXPECT(captured_len >= 2 &&
		memcmp(captured + captured_len - 2, "^C", 2) == 0);
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), true), -EAGAIN);
	tty_close(&test_file);
}

/* Feed @arg (a string) one byte every 30 ms from another thread. */
static struct wait_queue feeder_done = WAIT_QUEUE_INIT(feeder_done);
static volatile bool feeder_finished;
static volatile uint64_t feeder_delay_ns;

static void feeder(void *arg)
{
	const char *s = arg;

	sched_sleep_ns(feeder_delay_ns);
	for (; *s; s++) {
		tty_receive(&test_tty, (const uint8_t *)s, 1);
		sched_sleep_ns(30 * MS);
	}
	feeder_finished = true;
	sched_wake_all(&feeder_done);
}

static void start_feeder(const char *s, uint64_t delay_ns)
{
	feeder_finished = false;
	feeder_delay_ns = delay_ns;
	thread_spawn("ktest-feeder", feeder, (void *)s);
}

static void wait_feeder(void)
{
	wait_event_timeout(&feeder_done, feeder_finished, 5000 * MS);
}

KTEST(tty_vmin0_vtime0_polls)
{
	char buf[8];

	test_tty_setup();
	set_raw(&test_tty, 0, 0);
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), false), 0);
	inject("ab");
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), false), 2);
	tty_close(&test_file);
}

KTEST(tty_vmin0_vtime_times_out)
{
	char buf[8];
	uint64_t start;
	long n;

	test_tty_setup();
	set_raw(&test_tty, 0, 2);       /* 0.2 s */
	start = clock_uptime_ns();
	n = kread(&test_file, buf, sizeof(buf), false);
	KEXPECT_EQ(n, 0);
	KEXPECT(clock_uptime_ns() - start >= 150 * MS);
	KEXPECT(clock_uptime_ns() - start < 2000 * MS);
	/* a byte within the time returns at once with it */
	start_feeder("x", 50 * MS);
	set_raw(&test_tty, 0, 30);      /* 3 s */
	start = clock_uptime_ns();
	n = kread(&test_file, buf, sizeof(buf), false);
	KEXPECT_EQ(n, 1);
	KEXPECT(clock_uptime_ns() - start < 2000 * MS);
	wait_feeder();
	tty_close(&test_file);
}

KTEST(tty_vmin_blocks_for_count)
{
	char buf[8];
	long n;

	test_tty_setup();
	set_raw(&test_tty, 3, 0);
	start_feeder("abcd", 0);
	n = kread(&test_file, buf, sizeof(buf), false);
	KEXPECT(n >= 3);
	KEXPECT(memcmp(buf, "abc", 3) == 0);
	wait_feeder();
	tty_close(&test_file);
}

KTEST(tty_vmin_vtime_interbyte)
{
	char buf[8];
	uint64_t start;
	long n;

	test_tty_setup();
	set_raw(&test_tty, 5, 2);       /* 5 bytes or 0.2 s between bytes */
	start_feeder("ab", 100 * MS);   /* waits for the first byte first */
	start = clock_uptime_ns();
	n = kread(&test_file, buf, sizeof(buf), false);
	KEXPECT_EQ(n, 2);
	KEXPECT(clock_uptime_ns() - start >= 250 * MS);
	KEXPECT(clock_uptime_ns() - start < 3000 * MS);
	wait_feeder();
	tty_close(&test_file);
}

KTEST(tty_winsize)
{
	struct winsize ws = { .ws_row = 50, .ws_col = 132 }, got;

	test_tty_setup();
	tty_get_winsize(&test_tty, &got);
	KEXPECT_EQ(got.ws_row, 0);
	tty_set_winsize(&test_tty, &ws);
	tty_get_winsize(&test_tty, &got);
	KEXPECT_EQ(got.ws_row, 50);
	KEXPECT_EQ(got.ws_col, 132);
	/* the ioctl path copies to user memory: a kernel address is EFAULT */
	KEXPECT_EQ(tty_ioctl(&test_file, NULL, TIOCGWINSZ, (uaddr_t)&got),
		   -EFAULT);
	KEXPECT_EQ(tty_ioctl(&test_file, NULL, 0x1234, 0), -ENOTTY);
	KEXPECT_EQ(tty_ioctl(&test_file, NULL, TCFLSH, 7), -EINVAL);
	tty_close(&test_file);
}

KTEST(tty_hangup)
{
	struct tty_file later;
	char buf[8];

	test_tty_setup();
	inject("ab\n");
	/* a hangup discards unread input (Linux tty_ldisc_hangup) */
	tty_hangup(&test_tty, false);
	KEXPECT_EQ(kread(&test_file, buf, sizeof(buf), false), 0);
	KEXPECT_EQ(kwrite(&test_file, "x", false), -EIO);
	KEXPECT(tty_poll_events(&test_file) & POLLHUP);
	KEXPECT_EQ(tty_ioctl(&test_file, NULL, TIOCGWINSZ, 0), -EIO);
	KEXPECT_EQ(tty_ioctl(&test_file, NULL, TIOCSPGRP, 0), -ENOTTY);
	KEXPECT_EQ(tty_open(&test_tty, &later, 2, true), 0);
	KEXPECT_EQ(kread(&later, buf, sizeof(buf), true), -EAGAIN);
	KEXPECT(!(tty_poll_events(&later) & POLLHUP));
	tty_close(&later);
	tty_close(&test_file);
}

KTEST(tty_serial_irq_loopback)
{
	struct tty *tty = serial_tty();
	struct tty_file tf;
	struct termios2 saved;
	char buf[8] = { 0 };
	long n;

	if (!serial_is_present())
		return;
	KEXPECT_EQ(tty_open(tty, &tf, 2, true), 0);
	tty_get_termios(tty, &saved);
	set_raw(tty, 4, 10);
	tty_flush_input(tty);
	/* from here until loopback is off, console output is looped too */
	serial_set_loopback(true);
	serial_write_raw((const uint8_t *)"ping", 4);
	n = kread(&tf, buf, 4, false);
	serial_set_loopback(false);
	tty_flush_input(tty);
	tty_set_termios(tty, &saved);
	tty_close(&tf);
	KEXPECT_EQ(n, 4);
	KEXPECT(memcmp(buf, "ping", 4) == 0);
}
