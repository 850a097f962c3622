/* execve failures: ENOENT, EACCES (no x bit, directory), ENOEXEC, ENOTDIR, EFAULT. */
#include "contract.h"

int main(void)
{
	char *argv[] = { "x", NULL };
	char *envp[] = { NULL };
	const char *noexec = contract_path("noexec");
	const char *garbage = contract_path("garbage");

	contract_write_file(noexec, "#!/bin/sh\nexit 0\n", 0644);
	contract_write_file(garbage, "\x01\x02\x03\x04 this is not an executable\n", 0755);
	CHECK_ERRNO(execve(contract_path("missing"), argv, envp), ENOENT);
	CHECK_ERRNO(execve(noexec, argv, envp), EACCES);
	CHECK_ERRNO(execve(contract_tmpdir(), argv, envp), EACCES);
	CHECK_ERRNO(execve(garbage, argv, envp), ENOEXEC);
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/x", garbage);
	CHECK_ERRNO(execve(sub, argv, envp), ENOTDIR);
	CHECK_ERRNO(syscall(SYS_execve, (char *)1, argv, envp), EFAULT);
	return 0;
}
