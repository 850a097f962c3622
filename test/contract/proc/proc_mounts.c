/* /proc/mounts (and /proc/self/mounts) lists the proc filesystem on /proc and the root. */
#include "contract.h"

int main(void)
{
	static char buf[65536];
	static char buf2[65536];

	contract_read_file("/proc/mounts", buf, sizeof(buf));
	CHECK(strstr(buf, " /proc proc ") != NULL);
	CHECK(buf[0] != 0);
	contract_read_file("/proc/self/mounts", buf2, sizeof(buf2));
	CHECK(strcmp(buf, buf2) == 0);
	/* Every line has at least six fields. */
	for (char *p = buf; *p;) {
		char a[256], b[256], c[64], d[512];
		int x, y;
		CHECK_EQ(sscanf(p, "%255s %255s %63s %511s %d %d", a, b, c, d, &x, &y), 6);
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}
