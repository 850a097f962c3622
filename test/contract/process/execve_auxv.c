/* The auxiliary vector: page size, random bytes, execfn, phdr, entry, ids. */
#include "contract.h"
#include <elf.h>
#include <sys/auxv.h>

extern char _start[];

int main(int argc, char **argv)
{
	if (argc < 2) {
		/* Re-exec through a known path so AT_EXECFN is predictable. */
		char *cargv[] = { "/proc/self/exe", "--child", NULL };
		char *cenvp[] = { NULL };
		pid_t pid = CHECK_OK(fork());
		if (pid == 0) {
			execve("/proc/self/exe", cargv, cenvp);
			_exit(99);
		}
		CHECK_EXITED(contract_wait(pid), 0);
		return 0;
	}
	CHECK_EQ(getauxval(AT_PAGESZ), 4096);
	CHECK_EQ(getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));

	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL);
	int nonzero = 0;
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	CHECK(nonzero);

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(execfn != NULL);
	CHECK(strcmp(execfn, "/proc/self/exe") == 0);

	CHECK_EQ(getauxval(AT_UID), getuid());
	CHECK_EQ(getauxval(AT_EUID), geteuid());
	CHECK_EQ(getauxval(AT_GID), getgid());
	CHECK_EQ(getauxval(AT_EGID), getegid());
	CHECK_EQ(getauxval(AT_SECURE), 0);
	CHECK(getauxval(AT_CLKTCK) == 100);
	CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start);

	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	CHECK(ph != NULL);
	CHECK_EQ(getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	CHECK(phnum > 0 && phnum < 64);
	int load = 0, exec_covers_entry = 0;
	unsigned long bias = 0;         /* a PIE's load address */
	for (unsigned long i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			bias = (unsigned long)ph - ph[i].p_vaddr;
	for (unsigned long i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		load++;
		if ((ph[i].p_flags & PF_X) &&
		    bias + ph[i].p_vaddr <= (unsigned long)_start &&
		    (unsigned long)_start < bias + ph[i].p_vaddr + ph[i].p_memsz)
			exec_covers_entry = 1;
	}
	CHECK(load > 0);
	CHECK(exec_covers_entry);
	return 0;
}
