/* sigaltstack: too small is ENOMEM, bad flags EINVAL; SS_DISABLE turns it off. */
#include "contract.h"

static char stack[64 * 1024];

int main(void)
{
	stack_t ss = { .ss_sp = stack, .ss_size = 512 }, old;

	CHECK_ERRNO(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 0x1234;
	CHECK_ERRNO(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	CHECK_OK(sigaltstack(&ss, NULL));
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, &old));
	CHECK(old.ss_sp == stack);
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	CHECK_ERRNO(syscall(SYS_sigaltstack, (void *)1, NULL), EFAULT);
	return 0;
}
