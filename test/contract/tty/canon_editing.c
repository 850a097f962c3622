/* Canonical line editing: VERASE deletes a char, VKILL the line, VWERASE a word (IEXTEN). */
#include "pty.h"

int main(void)
{
	int m, s;
	char buf[64];

	pty_open(&m, &s, NULL, 0);
	pty_set_lflag(s, ICANON | IEXTEN, ECHO);
	CHECK_EQ(write(m, "abx\177c\n", 6), 6);
	CHECK_EQ(pty_read(s, buf, 4, 1000), 4);
	CHECK(memcmp(buf, "abc\n", 4) == 0);
	CHECK_EQ(write(m, "junk\025ok\n", 8), 8);
	CHECK_EQ(pty_read(s, buf, 3, 1000), 3);
	CHECK(memcmp(buf, "ok\n", 3) == 0);
	CHECK_EQ(write(m, "one two\027three\n", 14), 14);
	CHECK_EQ(pty_read(s, buf, 10, 1000), 10);
	CHECK(memcmp(buf, "one three\n", 10) == 0);
	/* Erasing past the start of the line does nothing. */
	CHECK_EQ(write(m, "\177\177x\n", 4), 4);
	CHECK_EQ(pty_read(s, buf, 2, 1000), 2);
	CHECK(memcmp(buf, "x\n", 2) == 0);
	/* A custom erase character. */
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	t.c_cc[VERASE] = '#';
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "ab#c\n", 5), 5);
	CHECK_EQ(pty_read(s, buf, 3, 1000), 3);
	CHECK(memcmp(buf, "ac\n", 3) == 0);
	return 0;
}
