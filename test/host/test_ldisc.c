/*
 * Host tests for the N_TTY line discipline (tty/n_tty.c).  Each table row
 * starts from Linux's default termios, applies flag changes, feeds input
 * bytes and compares the echo, the successive reads, the signals asked
 * for and FIONREAD against what a Linux tty does for the same input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"
#include "tty/ldisc.h"

struct cc_set {
	int idx;
	cc_t val;
};

struct ldisc_case {
	const char *name;
	tcflag_t iset, iclr, oset, oclr, lset, lclr;
	int ncc;
	struct cc_set cc[3];
	const char *input;
	const char *echo;       /* expected echo bytes */
	const char *reads;      /* each read's data then '|'; "<EOF>|" = 0 */
	unsigned signals;       /* 1 << sig for each requested signal */
	int inq;                /* FIONREAD before reading; -1: skip */
};

#define SIG(s) (1u << (s))

static const struct ldisc_case cases[] = {
	{ "canon: line assembly", .input = "hello\n",
	  .echo = "hello\r\n", .reads = "hello\n|", .inq = 6 },
	{ "canon: no read before newline", .input = "abc",
	  .echo = "abc", .reads = "", .inq = 0 },
	{ "canon: two lines read separately", .input = "ab\ncd\n",
	  .echo = "ab\r\ncd\r\n", .reads = "ab\n|cd\n|", .inq = 6 },
	{ "canon: erase with ECHOE", .input = "abx\x7f\n",
	  .echo = "abx\b \b\r\n", .reads = "ab\n|", .inq = 3 },
	{ "canon: erase without ECHOE echoes ^?", .lclr = ECHOE,
	  .input = "abx\x7f\n", .echo = "abx^?\r\n", .reads = "ab\n|",
	  .inq = -1 },
	{ "canon: erase at line start does nothing", .input = "\x7f" "a\n",
	  .echo = "a\r\n", .reads = "a\n|", .inq = -1 },
	{ "canon: kill with ECHOKE erases visually", .input = "abc\x15" "de\n",
	  .echo = "abc\b \b\b \b\b \bde\r\n", .reads = "de\n|", .inq = -1 },
	{ "canon: kill without ECHOKE echoes ^U and newline", .lclr = ECHOKE,
	  .input = "abc\x15" "de\n", .echo = "abc^U\r\nde\r\n",
	  .reads = "de\n|", .inq = -1 },
	{ "canon: kill without ECHOK echoes ^U only",
	  .lclr = ECHOKE | ECHOK, .input = "ab\x15" "d\n",
	  .echo = "ab^Ud\r\n", .reads = "d\n|", .inq = -1 },
	{ "canon: werase erases a word", .input = "foo bar\x17" "baz\n",
	  .echo = "foo bar\b \b\b \b\b \bbaz\r\n", .reads = "foo baz\n|",
	  .inq = -1 },
	{ "canon: werase skips trailing blanks", .input = "foo bar  \x17\n",
	  .reads = "foo \n|", .inq = -1,
	  .echo = "foo bar  \b \b\b \b\b \b\b \b\b \b\r\n" },
	{ "canon: werase needs IEXTEN", .lclr = IEXTEN,
	  .input = "ab\x17\n", .echo = "ab^W\r\n", .reads = "ab\x17\n|",
	  .inq = -1 },
	{ "canon: EOF on an empty line reads 0", .input = "\x04",
	  .echo = "", .reads = "<EOF>|", .inq = 0 },
	{ "canon: EOF ends a line without a newline", .input = "ab\x04",
	  .echo = "ab", .reads = "ab|", .inq = 2 },
	{ "canon: EOF then more input", .input = "\x04" "x\n",
	  .echo = "x\r\n", .reads = "<EOF>|x\n|", .inq = 2 },
	{ "canon: VEOL ends a line and is kept",
	  .ncc = 1, .cc = { { VEOL, '@' } }, .input = "ab@cd\n",
	  .echo = "ab@cd\r\n", .reads = "ab@|cd\n|", .inq = -1 },
	{ "canon: VLNEXT quotes the next byte", .input = "\x16\x03\n",
	  .echo = "^\b^C\r\n", .reads = "\x03\n|", .signals = 0,
	  .inq = -1 },
	{ "canon: VREPRINT redisplays the line", .input = "ab\x12",
	  .echo = "ab^R\r\nab", .reads = "", .inq = -1 },
	{ "canon: ECHOCTL shows control characters", .input = "a\x01\n",
	  .echo = "a^A\r\n", .reads = "a\x01\n|", .inq = -1 },
	{ "canon: erase of a control character takes two columns",
	  .input = "a\x01\x7f\n", .echo = "a^A\b \b\b \b\r\n",
	  .reads = "a\n|", .inq = -1 },
	{ "canon: erase of a tab backs up to its column",
	  .input = "ab\t\x7f\n", .echo = "ab\t\b\b\b\b\b\b\r\n",
	  .reads = "ab\n|", .inq = -1 },
	{ "canon: IUTF8 erases a whole character", .iset = IUTF8,
	  .input = "a\xc3\xa9\x7f\n", .echo = "a\xc3\xa9\b \b\r\n",
	  .reads = "a\n|", .inq = -1 },
	{ "canon: without IUTF8 erase takes one byte",
	  .input = "a\xc3\xa9\x7f\n", .reads = "a\xc3\n|", .inq = -1,
	  .echo = "a\xc3\xa9\b \b\r\n" },
	/* A signal character discards echo not yet sent, as on Linux where
	 * the echo of one receive batch goes out at its end. */
	{ "isig: ^C asks for SIGINT, echoes ^C, flushes", .input = "ab\nabc\x03",
	  .echo = "^C", .reads = "", .signals = SIG(SIGINT),
	  .inq = 0 },
	{ "isig: ^C with NOFLSH keeps input", .lset = NOFLSH,
	  .input = "ab\ncd\x03", .echo = "ab\r\ncd^C", .reads = "ab\n|",
	  .signals = SIG(SIGINT), .inq = 3 },
	{ "isig: ^\\ asks for SIGQUIT", .input = "\x1c",
	  .echo = "^\\", .reads = "", .signals = SIG(SIGQUIT), .inq = 0 },
	{ "isig: ^Z asks for SIGTSTP", .input = "\x1a",
	  .echo = "^Z", .reads = "", .signals = SIG(SIGTSTP), .inq = 0 },
	{ "isig: two signals in one batch", .input = "\x03\x1a",
	  .echo = "^Z", .reads = "", .inq = 0,
	  .signals = SIG(SIGINT) | SIG(SIGTSTP) },
	{ "isig: without ISIG ^C is data", .lclr = ISIG, .input = "\x03\n",
	  .echo = "^C\r\n", .reads = "\x03\n|", .inq = 2 },
	{ "isig: works in non-canonical mode", .lclr = ICANON,
	  .input = "a\x03", .echo = "^C", .reads = "",
	  .signals = SIG(SIGINT), .inq = 0 },
	{ "isig: disabled VINTR never matches",
	  .ncc = 1, .cc = { { VINTR, 0 } }, .lclr = ICANON | ECHO,
	  .input = "\x03", .echo = "", .reads = "\x03|", .inq = 1 },
	{ "input: ICRNL maps CR to NL", .input = "ab\r",
	  .echo = "ab\r\n", .reads = "ab\n|", .inq = -1 },
	{ "input: IGNCR drops CR", .iset = IGNCR, .input = "a\rb\n",
	  .echo = "ab\r\n", .reads = "ab\n|", .inq = -1 },
	{ "input: INLCR maps NL to CR", .iset = INLCR, .lclr = ICANON | ECHO,
	  .input = "a\n", .echo = "", .reads = "a\r|", .inq = -1 },
	{ "input: without ICRNL CR is data", .iclr = ICRNL,
	  .lclr = ICANON | ECHO, .input = "a\r", .echo = "",
	  .reads = "a\r|", .inq = -1 },
	{ "input: ISTRIP clears bit 7", .iset = ISTRIP, .input = "\xe1\n",
	  .echo = "a\r\n", .reads = "a\n|", .inq = -1 },
	{ "input: IXON consumes ^S and ^Q", .input = "a\x13" "b\x11\n",
	  .echo = "ab\r\n", .reads = "ab\n|", .inq = -1 },
	{ "input: without IXON ^S is data", .iclr = IXON, .lclr = ECHO,
	  .input = "\x13\n", .echo = "", .reads = "\x13\n|", .inq = -1 },
	{ "echo: ECHO off echoes nothing", .lclr = ECHO, .input = "ab\n",
	  .echo = "", .reads = "ab\n|", .inq = -1 },
	{ "echo: ECHONL echoes newline with ECHO off", .lclr = ECHO,
	  .lset = ECHONL, .input = "ab\n", .echo = "\r\n",
	  .reads = "ab\n|", .inq = -1 },
	{ "echo: without ECHOCTL control bytes go raw", .lclr = ECHOCTL,
	  .input = "a\x01\n", .echo = "a\x01\r\n", .reads = "a\x01\n|",
	  .inq = -1 },
	{ "echo: without OPOST newline is not expanded", .oclr = OPOST,
	  .input = "a\n", .echo = "a\n", .reads = "a\n|", .inq = -1 },
	{ "raw: bytes readable at once", .lclr = ICANON | ECHO,
	  .input = "abc", .echo = "", .reads = "abc|", .inq = 3 },
	{ "raw: erase and EOF are data", .lclr = ICANON,
	  .input = "a\x7f\x04", .echo = "a^?^D", .reads = "a\x7f\x04|",
	  .inq = 3 },
};

/* Apply a case's settings to the default termios. */
static void case_termios(const struct ldisc_case *c, struct termios *t)
{
	ldisc_default_termios(t);
	t->c_iflag = (t->c_iflag | c->iset) & ~c->iclr;
	t->c_oflag = (t->c_oflag | c->oset) & ~c->oclr;
	t->c_lflag = (t->c_lflag | c->lset) & ~c->lclr;
	for (int i = 0; i < c->ncc; i++)
		t->c_cc[c->cc[i].idx] = c->cc[i].val;
}

/* Read until nothing more comes; record each read as data + '|'. */
static void drain_reads(struct ldisc *ld, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = 0;
	for (int guard = 0; guard < 64; guard++) {
		uint8_t buf[256];
		bool done;
		size_t n = ldisc_read(ld, buf, sizeof(buf), &done);

		if (n == 0 && !done)
			break;
		if (n == 0)
			len += snprintf(out + len, cap - len, "<EOF>");
		else if (len + n < cap)
			memcpy(out + len, buf, n), len += n;
		if (len + 1 < cap)
			out[len++] = '|';
		out[len] = 0;
	}
}

static void run_case(const struct ldisc_case *c)
{
	static struct ldisc ld;
	struct termios t;
	struct ldisc_events ev = { 0 };
	char echo[LDISC_ECHO_SIZE + 1], reads[1024], name[160];
	size_t n;

	case_termios(c, &t);
	ldisc_init(&ld, &t);
	n = ldisc_receive(&ld, (const uint8_t *)c->input, strlen(c->input),
			  &ev);
	n = ldisc_echo_take(&ld, (uint8_t *)echo, sizeof(echo) - 1);
	echo[n] = 0;
	snprintf(name, sizeof(name), "%s: echo", c->name);
	CHECK(name, strcmp(echo, c->echo) == 0);
	if (strcmp(echo, c->echo) != 0)
		printf("#   echo got \"%s\"\n", echo);
	snprintf(name, sizeof(name), "%s: signals", c->name);
	CHECK(name, ev.signals == c->signals);
	if (c->inq >= 0) {
		snprintf(name, sizeof(name), "%s: FIONREAD", c->name);
		CHECK(name, ldisc_inq(&ld) == (size_t)c->inq);
	}
	drain_reads(&ld, reads, sizeof(reads));
	snprintf(name, sizeof(name), "%s: reads", c->name);
	CHECK(name, strcmp(reads, c->reads) == 0);
	if (strcmp(reads, c->reads) != 0)
		printf("#   reads got \"%s\"\n", reads);
}

struct output_case {
	const char *name;
	tcflag_t oset, oclr;
	const char *in, *out;
};

static const struct output_case output_cases[] = {
	{ "output: ONLCR maps NL to CR NL", 0, 0, "a\nb", "a\r\nb" },
	{ "output: without OPOST bytes pass", 0, OPOST, "a\n\t", "a\n\t" },
	{ "output: OCRNL maps CR to NL", OCRNL, 0, "a\rb", "a\nb" },
	{ "output: ONOCR drops CR at column 0", ONOCR, 0, "\rab\r\r",
	  "ab\r" },
	{ "output: ONLRET NL resets column for ONOCR", ONLRET | ONOCR, ONLCR,
	  "ab\n\r", "ab\n" },
	{ "output: XTABS expands tabs", XTABS, 0, "ab\tc", "ab      c" },
	{ "output: OLCUC upper-cases", OLCUC, 0, "aZ1", "AZ1" },
};

static void run_output_case(const struct output_case *c)
{
	static struct ldisc ld;
	struct termios t;
	uint8_t out[256];
	size_t produced, used;

	ldisc_default_termios(&t);
	t.c_oflag = (t.c_oflag | c->oset) & ~c->oclr;
	ldisc_init(&ld, &t);
	used = ldisc_output(&ld, (const uint8_t *)c->in, strlen(c->in), out,
			    sizeof(out), &produced);
	CHECK(c->name, used == strlen(c->in) && produced == strlen(c->out) &&
		       memcmp(out, c->out, produced) == 0);
}

static void test_output_room(void)
{
	static struct ldisc ld;
	struct termios t;
	uint8_t out[4];
	size_t produced, used;

	ldisc_default_termios(&t);
	ldisc_init(&ld, &t);
	used = ldisc_output(&ld, (const uint8_t *)"ab\n", 3, out, 3, &produced);
	CHECK("output: an expansion that does not fit is left",
	      used == 2 && produced == 2);
	used = ldisc_output(&ld, (const uint8_t *)"\n", 1, out, 2, &produced);
	CHECK("output: and goes out when there is room",
	      used == 1 && produced == 2 && memcmp(out, "\r\n", 2) == 0);
}

static void test_small_reads(void)
{
	static struct ldisc ld;
	struct termios t;
	struct ldisc_events ev = { 0 };
	uint8_t buf[8];
	bool done;
	size_t n1, n2, n3;

	ldisc_default_termios(&t);
	ldisc_init(&ld, &t);
	ldisc_receive(&ld, (const uint8_t *)"abcd\nef\n", 8, &ev);
	n1 = ldisc_read(&ld, buf, 2, &done);
	CHECK("read: a short buffer takes part of a line",
	      n1 == 2 && !done && memcmp(buf, "ab", 2) == 0);
	n2 = ldisc_read(&ld, buf, 8, &done);
	CHECK("read: the rest of the line, not the next one",
	      n2 == 3 && done && memcmp(buf, "cd\n", 3) == 0);
	n3 = ldisc_read(&ld, buf, 8, &done);
	CHECK("read: then the next line", n3 == 3 && done);
	CHECK("events: a line makes input ready", ev.input_ready);
}

static void test_buffer_limits(void)
{
	static struct ldisc ld;
	static uint8_t big[5000], out[5000];
	struct termios t;
	struct ldisc_events ev = { 0 };
	bool done;
	size_t n;

	memset(big, 'a', sizeof(big));
	ldisc_default_termios(&t);
	t.c_lflag &= ~ECHO;
	ldisc_init(&ld, &t);
	n = ldisc_receive(&ld, big, sizeof(big), &ev);
	CHECK("limits: canonical line without newline takes all bytes",
	      n == sizeof(big));
	ldisc_receive(&ld, (const uint8_t *)"\n", 1, &ev);
	n = ldisc_read(&ld, out, sizeof(out), &done);
	CHECK("limits: canonical line is cut at 4095 bytes plus newline",
	      n == 4096 && done && out[4095] == '\n' && out[4094] == 'a');
	n = ldisc_receive(&ld, (const uint8_t *)"x\ny", 3, &ev);
	CHECK("limits: a line pending with a full ring throttles",
	      n == 3);

	t.c_lflag &= ~ICANON;
	ldisc_init(&ld, &t);
	n = ldisc_receive(&ld, big, sizeof(big), &ev);
	CHECK("limits: raw mode takes 4096 bytes then throttles",
	      n == LDISC_BUF_SIZE && ldisc_receive_room(&ld) == 0);
	n = ldisc_read(&ld, out, 100, &done);
	CHECK("limits: reading makes room", n == 100 &&
	      ldisc_receive_room(&ld) == 100);
	CHECK("limits: FIONREAD counts raw bytes",
	      ldisc_inq(&ld) == LDISC_BUF_SIZE - 100);
}

static void test_mode_switch(void)
{
	static struct ldisc ld;
	struct termios canon, raw;
	struct ldisc_events ev = { 0 };
	uint8_t buf[16];
	bool done;
	size_t n;

	ldisc_default_termios(&canon);
	canon.c_lflag &= ~ECHO;
	raw = canon;
	raw.c_lflag &= ~ICANON;
	ldisc_init(&ld, &canon);
	ldisc_receive(&ld, (const uint8_t *)"abc", 3, &ev);
	CHECK("switch: partial line not readable in canonical mode",
	      !ldisc_readable(&ld, false));
	ldisc_set_termios(&ld, &raw);
	CHECK("switch: readable once raw", ldisc_readable(&ld, false));
	ldisc_set_termios(&ld, &canon);
	CHECK("switch: back to canonical, pending bytes form a line",
	      ldisc_readable(&ld, false));
	n = ldisc_read(&ld, buf, sizeof(buf), &done);
	CHECK("switch: the line reads in one piece",
	      n == 3 && memcmp(buf, "abc", 3) == 0);
}

static void test_poll_vmin(void)
{
	static struct ldisc ld;
	struct termios t;
	struct ldisc_events ev = { 0 };

	ldisc_default_termios(&t);
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	ldisc_init(&ld, &t);
	ldisc_receive(&ld, (const uint8_t *)"ab", 2, &ev);
	CHECK("poll: VMIN=3 VTIME=0 with 2 bytes is not readable for poll",
	      !ldisc_readable(&ld, true));
	CHECK("poll: but read() would take them", ldisc_readable(&ld, false));
	t.c_cc[VTIME] = 5;
	ldisc_set_termios(&ld, &t);
	CHECK("poll: with VTIME one byte is enough", ldisc_readable(&ld, true));
}

static void test_flow_events(void)
{
	static struct ldisc ld;
	struct termios t;
	struct ldisc_events ev = { 0 };

	ldisc_default_termios(&t);
	ldisc_init(&ld, &t);
	ldisc_receive(&ld, (const uint8_t *)"\x13", 1, &ev);
	CHECK("flow: ^S stops output", ld.stopped && ev.stop);
	ev = (struct ldisc_events){ 0 };
	ldisc_receive(&ld, (const uint8_t *)"x", 1, &ev);
	CHECK("flow: without IXANY other bytes do not restart", ld.stopped);
	ldisc_receive(&ld, (const uint8_t *)"\x11", 1, &ev);
	CHECK("flow: ^Q restarts output", !ld.stopped && ev.start);
	t.c_iflag |= IXANY;
	ldisc_set_termios(&ld, &t);
	ldisc_receive(&ld, (const uint8_t *)"\x13y", 2, &ev);
	CHECK("flow: IXANY restarts on any byte", !ld.stopped);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	for (size_t i = 0; i < sizeof(output_cases) / sizeof(output_cases[0]); i++)
		run_output_case(&output_cases[i]);
	test_output_room();
	test_small_reads();
	test_buffer_limits();
	test_mode_switch();
	test_poll_vmin();
	test_flow_events();
	return host_test_finish();
}
