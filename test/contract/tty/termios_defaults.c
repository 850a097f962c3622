/* A fresh pty has the standard "cooked" defaults: ICANON ECHO ISIG, ICRNL, OPOST ONLCR, ^C ^\ ^Z ^D. */
#include "pty.h"

int main(void)
{
	int m, s;
	struct termios t;

	pty_open(&m, &s, NULL, 0);
	CHECK_OK(tcgetattr(s, &t));
	CHECK(t.c_lflag & ICANON);
	CHECK(t.c_lflag & ECHO);
	CHECK(t.c_lflag & ISIG);
	CHECK(t.c_lflag & IEXTEN);
	CHECK(t.c_iflag & ICRNL);
	CHECK(t.c_oflag & OPOST);
	CHECK(t.c_oflag & ONLCR);
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VQUIT], 034);
	CHECK_EQ(t.c_cc[VERASE], 0177);
	CHECK_EQ(t.c_cc[VKILL], 025);
	CHECK_EQ(t.c_cc[VEOF], 4);
	CHECK_EQ(t.c_cc[VSUSP], 032);
	CHECK_EQ(t.c_cc[VWERASE], 027);
	CHECK_EQ(t.c_cc[VMIN], 1);
	CHECK_EQ(t.c_cc[VTIME], 0);
	/* Settings round-trip through tcsetattr. */
	t.c_lflag &= ~ECHO;
	t.c_cc[VERASE] = 8;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	struct termios u;
	CHECK_OK(tcgetattr(m, &u));
	CHECK(!(u.c_lflag & ECHO));
	CHECK_EQ(u.c_cc[VERASE], 8);
	CHECK_ERRNO(tcsetattr(s, 99, &t), EINVAL);
	return 0;
}
