/* Memory above a lowered break is unmapped: touching it raises SIGSEGV. */
#include "contract.h"

static int child(void *arg)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	char *top = (char *)(((uintptr_t)cur + 4095) & ~4095UL) + 3 * 4096;

	if ((char *)syscall(SYS_brk, top) != top)
		return 1;
	top[-1] = 1;
	if ((char *)syscall(SYS_brk, top - 2 * 4096) != top - 2 * 4096)
		return 2;
	*(volatile char *)(top - 1) = 2;
	return 3;
}

int main(void)
{
	CHECK_SIGNALED(contract_run_child(child, NULL), SIGSEGV);
	return 0;
}
