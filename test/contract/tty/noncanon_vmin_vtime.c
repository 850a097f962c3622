/* Non-canonical reads: VMIN/VTIME combinations decide when read returns. */
#include "pty.h"

static void set_cc(int s, int vmin, int vtime)
{
	struct termios t;

	CHECK_OK(tcgetattr(s, &t));
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
}

int main(void)
{
	int m, s;
	char buf[16];

	pty_open(&m, &s, NULL, 0);
	/* VMIN=0 VTIME=0: polling read, returns 0 at once. */
	set_cc(s, 0, 0);
	CHECK_EQ(read(s, buf, sizeof(buf)), 0);
	/* Bytes are available without a newline. */
	CHECK_EQ(write(m, "xy", 2), 2);
	pty_wait_bytes(s, 2);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	/* VMIN=0 VTIME=2: waits 0.2 s for a byte, then returns 0. */
	set_cc(s, 0, 2);
	long long t0 = contract_now_ns();
	CHECK_EQ(read(s, buf, sizeof(buf)), 0);
	long long dt = contract_now_ns() - t0;
	CHECK(dt >= 150000000LL && dt < 2000000000LL);
	/* VMIN=3 VTIME=0: blocks until three bytes arrived. */
	set_cc(s, 3, 0);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		write(m, "a", 1);
		contract_msleep(30);
		write(m, "bc", 2);
		_exit(0);
	}
	size_t got = 0;
	while (got < 3) {
		ssize_t n = read(s, buf + got, sizeof(buf) - got);
		CHECK(n > 0);
		got += n;
		CHECK(got == 3);	/* one read returns all three */
	}
	CHECK(memcmp(buf, "abc", 3) == 0);
	contract_wait(pid);
	return 0;
}
