/* Unprivileged users get EACCES for opening, creating, listing and removing without permission. */
#include "contract.h"

static int child(void *arg)
{
	contract_drop_privs();
	errno = 0;
	if (open(contract_path("secret"), O_RDONLY) != -1 || errno != EACCES)
		return 1;
	errno = 0;
	if (open(contract_path("ro"), O_WRONLY) != -1 || errno != EACCES)
		return 2;
	errno = 0;
	if (open(contract_path("rodir/new"), O_CREAT | O_WRONLY, 0644) != -1 || errno != EACCES)
		return 3;
	errno = 0;
	if (unlink(contract_path("rodir/f")) != -1 || errno != EACCES)
		return 4;
	errno = 0;
	if (open(contract_path("noread"), O_RDONLY | O_DIRECTORY) != -1 || errno != EACCES)
		return 5;
	errno = 0;
	if (chdir(contract_path("nosearch")) != -1 || errno != EACCES)
		return 6;
	errno = 0;
	if (mkdir(contract_path("rodir/d"), 0755) != -1 || errno != EACCES)
		return 7;
	/* Sticky directory: cannot remove another user's file. */
	errno = 0;
	if (unlink(contract_path("sticky/f")) != -1 || errno != EPERM)
		return 8;
	/* Permission bits are checked owner first: owner without r is denied even if others may. */
	errno = 0;
	if (open(contract_path("ownerdenied"), O_RDONLY) != -1 || errno != EACCES)
		return 9;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	contract_write_file(contract_path("secret"), "s", 0600);
	contract_write_file(contract_path("ro"), "r", 0644);
	CHECK_OK(mkdir(contract_path("rodir"), 0755));
	contract_write_file(contract_path("rodir/f"), "", 0666);
	CHECK_OK(mkdir(contract_path("noread"), 0311));
	CHECK_OK(mkdir(contract_path("nosearch"), 0766));
	CHECK_OK(chmod(contract_path("noread"), 0311));
	CHECK_OK(chmod(contract_path("nosearch"), 0766));
	CHECK_OK(mkdir(contract_path("sticky"), 0777));
	CHECK_OK(chmod(contract_path("sticky"), 01777));
	contract_write_file(contract_path("sticky/f"), "", 0666);
	contract_write_file(contract_path("ownerdenied"), "", 0044);
	CHECK_OK(chmod(contract_path("ownerdenied"), 0044));
	CHECK_OK(chown(contract_path("ownerdenied"), CONTRACT_NOBODY, CONTRACT_NOBODY));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
