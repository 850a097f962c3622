/* More mmap errors with descriptors, in Linux's order of checks. */
#include "contract.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

static void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	CHECK_OK(ftruncate(fd, 4096));
	int path = CHECK_OK(open(contract_path("f"), O_PATH));
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	int proc = CHECK_OK(open("/proc/self/status", O_RDONLY));

	/* The offset is checked first, then the descriptor, then the length. */
	CHECK_ERRNO(raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE, 99, 1), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, 0, 99, 0), EBADF);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, path, 0), EBADF);
	CHECK_ERRNO(raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, fd, 0), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, -4096L, PROT_READ, MAP_PRIVATE, fd, 0), ENOMEM);
	/* Offsets past what a file can hold. */
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, -4096L), EOVERFLOW);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L),
		    EOVERFLOW);
	/* Mapping type. */
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, 0, fd, 0), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, 0xf, fd, 0), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0),
		    EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE | 0x400000, fd, 0),
		    EOPNOTSUPP);
	void *v = raw_mmap(NULL, 4096, PROT_READ, MAP_SHARED | 0x400000, fd, 0);
	CHECK(v != MAP_FAILED);		/* plain MAP_SHARED ignores unknown flags */
	v = raw_mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, 0);
	CHECK(v != MAP_FAILED);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0), EINVAL);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN,
			     -1, 0), EINVAL);
	/* Files without mmap. */
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, null, 0), ENODEV);
	CHECK_ERRNO(raw_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, proc, 0), ENODEV);
	/* Unknown protection bits are ignored by mmap (not by mprotect). */
	v = raw_mmap(NULL, 4096, PROT_READ | 0x10, MAP_PRIVATE, fd, 0);
	CHECK(v != MAP_FAILED);
	CHECK_ERRNO(mprotect(v, 4096, PROT_READ | 0x10), EINVAL);
	CHECK_OK(mprotect(v, 0, 0x10));		/* length 0 first */
	/* An offset past EOF maps; touching it is the fault. */
	v = raw_mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1L << 40);
	CHECK(v != MAP_FAILED);
	/* MAP_POPULATE and MAP_NORESERVE are accepted. */
	char *pop = raw_mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_POPULATE | MAP_NORESERVE, fd, 0);
	CHECK(pop != MAP_FAILED);
	unsigned char vec;
	CHECK_OK(mincore(pop, 4096, &vec));
	CHECK_EQ(vec, 1);
	return 0;
}
