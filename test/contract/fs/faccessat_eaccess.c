/* access uses the real uid; faccessat(AT_EACCESS) and faccessat2 use the effective uid. */
#include "contract.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

static int child(void *arg)
{
	const char *f = arg;

	/* Real uid nobody, effective uid root (saved root too). */
	if (setresuid(CONTRACT_NOBODY, 0, 0) != 0)
		return 1;
	errno = 0;
	if (access(f, R_OK) != -1 || errno != EACCES)
		return 2;
	if (syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, AT_EACCESS) != 0)
		return 3;
	errno = 0;
	if (syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, 0) != -1 || errno != EACCES)
		return 4;
	errno = 0;
	if (syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, 0x1) != -1 || errno != EINVAL)
		return 5;
	/* The opposite: real root, effective nobody. */
	if (setresuid(0, CONTRACT_NOBODY, 0) != 0)
		return 6;
	if (access(f, R_OK) != 0)
		return 7;
	errno = 0;
	if (syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, AT_EACCESS) != -1 || errno != EACCES)
		return 8;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	contract_write_file(contract_path("f"), "", 0600);
	CHECK_EXITED(contract_run_child(child, (void *)contract_path("f")), 0);
	return 0;
}
