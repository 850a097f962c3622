/* /proc/self/maps lists the executable, [stack], and a fresh mapping with its permissions. */
#include "contract.h"

int main(void)
{
	static char buf[65536];
	char exe[4096], line[4200];
	int stack_local;

	ssize_t n = CHECK_OK(readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	exe[n] = 0;
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	contract_read_file("/proc/self/maps", buf, sizeof(buf));
	int saw_exe_x = 0, saw_stack = 0, saw_m = 0;
	for (char *p = buf; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		unsigned long lo, hi;
		char perms[8];
		memcpy(line, p, len < sizeof(line) - 1 ? len : sizeof(line) - 1);
		line[len < sizeof(line) - 1 ? len : sizeof(line) - 1] = 0;
		CHECK_EQ(sscanf(line, "%lx-%lx %4s", &lo, &hi, perms), 3);
		CHECK(lo < hi && lo % 4096 == 0 && hi % 4096 == 0);
		if (strstr(line, exe) && perms[2] == 'x')
			saw_exe_x = 1;
		if (strstr(line, "[stack]")) {
			saw_stack = 1;
			CHECK(lo <= (unsigned long)&stack_local && (unsigned long)&stack_local < hi);
			CHECK(!strcmp(perms, "rw-p"));
		}
		if (lo <= (unsigned long)m && (unsigned long)m + 3 * 4096 <= hi && !strcmp(perms, "r--p"))
			saw_m = 1;
		p = nl ? nl + 1 : p + len;
	}
	CHECK(saw_exe_x);
	CHECK(saw_stack);
	CHECK(saw_m);
	return 0;
}
