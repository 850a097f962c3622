/* mmap argument errors. */
#include "contract.h"

int main(void)
{
	int ro = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	CHECK_OK(ftruncate(ro, 4096));
	close(ro);
	ro = CHECK_OK(open(contract_path("f"), O_RDONLY));
	int wo = CHECK_OK(open(contract_path("f"), O_WRONLY));
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	int p[2];
	CHECK_OK(pipe(p));

	CHECK_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERRNO(mmap((void *)0x10001, 4096, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 100), EINVAL);
	/* Shared writable needs a descriptor opened for writing; any map needs read. */
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
	/* A private writable map of a read-only file is fine (copy on write). */
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(m != MAP_FAILED);
	CHECK_ERRNO(munmap((void *)0x10001, 4096), EINVAL);
	CHECK_ERRNO(munmap(m, 0), EINVAL);
	/* Raw syscall: musl rounds the address down itself. */
	CHECK_ERRNO(syscall(SYS_mprotect, (char *)m + 1, 4096, PROT_READ), EINVAL);
	CHECK_OK(munmap(m, 4096));
	/* munmap of an unmapped range is not an error. */
	CHECK_OK(munmap(m, 4096));
	CHECK_ERRNO(mprotect(m, 4096, PROT_READ), ENOMEM);
	return 0;
}
