/* Touching a file mapping beyond the page that contains EOF raises SIGBUS. */
#include "contract.h"

static int child(void *arg)
{
	int fd = open(contract_path("f"), O_RDONLY);
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);

	if (m == MAP_FAILED)
		return 1;
	if (m[0] != 'x' || m[4095] != 0)	/* inside the last page: fine */
		return 2;
	(void)*(volatile char *)(m + 2 * 4096);
	return 3;
}

int main(void)
{
	contract_write_file(contract_path("f"), "x", 0644);
	CHECK_SIGNALED(contract_run_child(child, NULL), SIGBUS);
	return 0;
}
