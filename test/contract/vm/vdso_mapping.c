/*
 * [vdso] and [vvar] follow Linux's rules for special mappings: kept across
 * fork; never split (partial munmap, mprotect, MAP_FIXED or mremap shrink:
 * EINVAL), never grown (mremap: EFAULT); moved or unmapped whole; [vdso]
 * may be made writable (the write copies the page, MADV_DONTNEED brings
 * the original back) while [vvar] may not be written or executed (EACCES)
 * nor discarded (EINVAL).
 */
#include "contract.h"
#include "maps.h"
#include <sys/auxv.h>

static void in_child(void)
{
	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	struct contract_map v, d, m;
	unsigned long vs, vv;
	void *dest;

	CHECK(contract_find_map(vdso, 1, NULL, &d));
	CHECK(strcmp(d.name, "[vdso]") == 0);
	vs = d.end - d.start;
	CHECK(vs >= 8192);
	CHECK(contract_find_map(0, 0, "[vvar]", &v));
	vv = v.end - v.start;

	/* No splitting, no growing. */
	CHECK_ERRNO(munmap((void *)vdso, 4096), EINVAL);
	CHECK_ERRNO(munmap((void *)(vdso + 4096), 4096), EINVAL);
	CHECK_ERRNO(mprotect((void *)vdso, 4096, PROT_READ), EINVAL);
	CHECK_ERRNO(mmap((void *)vdso, 4096, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK(mremap((void *)vdso, vs, vs - 4096, 0) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);
	CHECK(mremap((void *)vdso, vs, vs + 4096, MREMAP_MAYMOVE) == MAP_FAILED);
	CHECK_EQ(errno, EFAULT);
	CHECK(contract_find_map(vdso, 1, NULL, &m));
	CHECK(m.end == d.end && strcmp(m.perms, "r-xp") == 0);

	/* [vvar]: read-only data. */
	CHECK_ERRNO(mprotect((void *)v.start, vv, PROT_READ | PROT_WRITE), EACCES);
	CHECK_ERRNO(mprotect((void *)v.start, vv, PROT_READ | PROT_EXEC), EACCES);
	CHECK_OK(mprotect((void *)v.start, vv, PROT_NONE));
	CHECK_OK(mprotect((void *)v.start, vv, PROT_READ));
	CHECK_ERRNO(madvise((void *)v.start, vv, MADV_DONTNEED), EINVAL);

	/* [vdso]: a private copy on write, the original after DONTNEED. */
	CHECK_OK(mprotect((void *)vdso, vs, PROT_READ));
	CHECK(contract_find_map(vdso, 1, NULL, &m));
	CHECK(strcmp(m.perms, "r--p") == 0 && strcmp(m.name, "[vdso]") == 0);
	CHECK_OK(mprotect((void *)vdso, vs, PROT_READ | PROT_WRITE));
	CHECK_EQ(*(volatile char *)(vdso + 1), 'E');
	*(volatile char *)(vdso + 1) = 'X';
	CHECK_EQ(*(volatile char *)(vdso + 1), 'X');
	CHECK_OK(madvise((void *)vdso, vs, MADV_DONTNEED));
	CHECK_EQ(*(volatile char *)(vdso + 1), 'E');
	*(volatile char *)(vdso + 1) = 'Y';     /* the parent must not see it */

	/* Moved whole, then unmapped whole. */
	dest = mmap(NULL, vs + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(dest != MAP_FAILED);
	CHECK(mremap((void *)vdso, vs, vs, MREMAP_MAYMOVE | MREMAP_FIXED, dest)
	      == dest);
	CHECK(!contract_find_map(vdso, 1, NULL, &m) || strcmp(m.name, "[vdso]"));
	CHECK(contract_find_map((unsigned long)dest, 1, NULL, &m));
	CHECK(strcmp(m.name, "[vdso]") == 0);
	CHECK_EQ(m.end - m.start, vs);
	CHECK_EQ(((volatile char *)dest)[1], 'Y');
	CHECK_OK(munmap(dest, vs));
	CHECK(!contract_find_map(0, 0, "[vdso]", &m));
	CHECK_OK(munmap((void *)v.start, vv));
	CHECK(!contract_find_map(0, 0, "[vvar]", &m));
}

int main(void)
{
	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	struct contract_map m;
	pid_t pid;

	CHECK(vdso != 0);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		/* fork keeps both, at the same addresses. */
		CHECK(contract_find_map(vdso, 1, NULL, &m));
		CHECK(strcmp(m.name, "[vdso]") == 0);
		in_child();
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(*(volatile char *)(vdso + 1), 'E');
	CHECK(contract_find_map(vdso, 1, NULL, &m));
	CHECK(strcmp(m.name, "[vdso]") == 0 && strcmp(m.perms, "r-xp") == 0);
	return 0;
}
