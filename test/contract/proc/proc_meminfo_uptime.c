/* /proc/meminfo has MemTotal/MemFree in kB; /proc/uptime has two increasing numbers. */
#include "contract.h"

int main(void)
{
	char buf[8192];
	long total, mfree;
	double up1, idle, up2;

	contract_read_file("/proc/meminfo", buf, sizeof(buf));
	CHECK_EQ(sscanf(buf, "MemTotal: %ld kB\nMemFree: %ld kB", &total, &mfree), 2);
	CHECK(total >= 16 * 1024);
	CHECK(mfree > 0 && mfree <= total);
	CHECK(strstr(buf, "\nMemAvailable:") != NULL);
	contract_read_file("/proc/uptime", buf, sizeof(buf));
	CHECK_EQ(sscanf(buf, "%lf %lf", &up1, &idle), 2);
	CHECK(up1 > 0);
	CHECK(idle >= 0);
	contract_msleep(30);
	contract_read_file("/proc/uptime", buf, sizeof(buf));
	CHECK_EQ(sscanf(buf, "%lf", &up2), 1);
	CHECK(up2 >= up1);
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	CHECK(up2 - ts.tv_sec < 2 && ts.tv_sec - up2 < 2);
	return 0;
}
