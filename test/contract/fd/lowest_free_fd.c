/* Descriptor allocation always picks the lowest free number, including 0. */
#include "contract.h"

int main(void)
{
	int p[2];

	CHECK_OK(close(0));
	CHECK_EQ(open("/dev/null", O_RDONLY), 0);
	CHECK_EQ(dup2(0, 10), 10);
	CHECK_EQ(dup2(0, 12), 12);
	for (int i = 3; i < 10; i++)
		close(i);
	CHECK_OK(pipe(p));
	CHECK_EQ(p[0], 3);
	CHECK_EQ(p[1], 4);
	CHECK_EQ(dup(0), 5);
	close(3);
	CHECK_EQ(dup(0), 3);
	return 0;
}
