/* access/faccessat: F_OK/R_OK/W_OK/X_OK for root and for an unprivileged user, EINVAL for bad mode. */
#include "contract.h"

static int child(void *arg)
{
	contract_drop_privs();
	if (access(contract_path("r"), R_OK) != 0)
		return 1;
	errno = 0;
	if (access(contract_path("r"), W_OK) != -1 || errno != EACCES)
		return 2;
	errno = 0;
	if (access(contract_path("none"), R_OK) != -1 || errno != EACCES)
		return 3;
	if (access(contract_path("none"), F_OK) != 0)
		return 4;
	errno = 0;
	if (access(contract_path("x"), X_OK) != 0)
		return 5;
	/* Search permission on the directory is needed for everything below it. */
	errno = 0;
	if (access(contract_path("closed/f"), F_OK) != -1 || errno != EACCES)
		return 6;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	contract_write_file(contract_path("r"), "", 0444);
	contract_write_file(contract_path("none"), "", 0000);
	contract_write_file(contract_path("x"), "", 0711);
	contract_write_file(contract_path("noexec"), "", 0644);
	CHECK_OK(mkdir(contract_path("closed"), 0700));
	contract_write_file(contract_path("closed/f"), "", 0644);
	/* Root may read and write anything, but executes only if some x bit is set. */
	CHECK_OK(access(contract_path("none"), R_OK | W_OK));
	CHECK_OK(access(contract_path("x"), X_OK));
	CHECK_ERRNO(access(contract_path("noexec"), X_OK), EACCES);
	CHECK_ERRNO(access(contract_path("missing"), F_OK), ENOENT);
	CHECK_ERRNO(access(contract_path("r"), 0x10), EINVAL);
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	CHECK_OK(faccessat(dir, "r", R_OK, 0));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
