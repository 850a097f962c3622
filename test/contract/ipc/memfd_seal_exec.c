/* F_SEAL_EXEC: MFD_NOEXEC_SEAL memfds start with it (mode 0666) and chmod may not add execute bits; added to an executable memfd it also seals writes and size. */
#include "contract.h"

#define MFD_ALLOW_SEALING_ 2U
#define MFD_NOEXEC_SEAL_ 8U
#define F_ADD_SEALS_ 1033
#define F_GET_SEALS_ 1034
#define F_SEAL_SHRINK_ 0x0002
#define F_SEAL_GROW_ 0x0004
#define F_SEAL_WRITE_ 0x0008
#define F_SEAL_FUTURE_WRITE_ 0x0010
#define F_SEAL_EXEC_ 0x0020

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

int main(void)
{
	int ne = CHECK_OK(memfd("noexec", MFD_NOEXEC_SEAL_));
	CHECK_EQ(fcntl(ne, F_GET_SEALS_), F_SEAL_EXEC_);
	CHECK_ERRNO(fchmod(ne, 0766), EPERM);
	CHECK_OK(fchmod(ne, 0600));
	CHECK_EQ(write(ne, "x", 1), 1);
	/* Sealing stays allowed. */
	CHECK_OK(fcntl(ne, F_ADD_SEALS_, F_SEAL_GROW_));

	int ex = CHECK_OK(memfd("exec", MFD_ALLOW_SEALING_));
	CHECK_EQ(write(ex, "x", 1), 1);
	CHECK_OK(fcntl(ex, F_ADD_SEALS_, F_SEAL_EXEC_));
	CHECK_EQ(fcntl(ex, F_GET_SEALS_), F_SEAL_EXEC_ | F_SEAL_SHRINK_ | F_SEAL_GROW_ |
		 F_SEAL_WRITE_ | F_SEAL_FUTURE_WRITE_);
	CHECK_ERRNO(write(ex, "y", 1), EPERM);
	CHECK_ERRNO(fchmod(ex, 0644), EPERM);
	CHECK_OK(fchmod(ex, 0777));
	return 0;
}
