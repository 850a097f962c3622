/*
 * The auxiliary vector as the program loader sets it up, for static and
 * dynamically linked (PT_INTERP) builds alike: AT_PHDR/AT_PHNUM are the
 * program's headers, AT_ENTRY its entry point, AT_BASE the interpreter's
 * load address (0 without one) where /proc/self/maps shows the
 * interpreter's file, and AT_SYSINFO_EHDR an ELF image named [vdso].
 */
#include "contract.h"
#include "maps.h"
#include <elf.h>
#include <limits.h>
#include <sys/auxv.h>

extern char _start[];

int main(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	const char *interp = NULL;
	const Elf64_Ehdr *eh;
	struct contract_map m, v;
	unsigned long bias, lowest = ~0UL;

	CHECK(ph != NULL);
	CHECK(phnum > 0 && phnum < 1000);
	CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start);

	/* The first PT_LOAD maps the ELF header at the start of a mapping. */
	CHECK(contract_find_map((unsigned long)ph, 0, NULL, &m));
	for (unsigned long i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr < lowest)
			lowest = ph[i].p_vaddr & ~4095UL;
	CHECK(lowest != ~0UL);
	CHECK(contract_find_map(0, 0, m.name, &m));     /* its first piece */
	eh = (const Elf64_Ehdr *)m.start;
	CHECK(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	bias = m.start - lowest;
	CHECK_EQ(eh->e_entry + bias, getauxval(AT_ENTRY));
	CHECK_EQ(eh->e_phnum, phnum);
	CHECK_EQ(eh->e_phoff + m.start, (unsigned long)ph);

	for (unsigned long i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_INTERP)
			interp = (const char *)(ph[i].p_vaddr + bias);
	if (interp) {
		char real[PATH_MAX];
		const Elf64_Ehdr *ieh = (const Elf64_Ehdr *)getauxval(AT_BASE);

		CHECK_EQ(eh->e_type, ET_DYN);           /* these builds are PIE */
		CHECK(ieh != NULL);
		CHECK((unsigned long)ieh != m.start);
		CHECK(memcmp(ieh->e_ident, ELFMAG, SELFMAG) == 0);
		CHECK_EQ(ieh->e_type, ET_DYN);
		CHECK(realpath(interp, real) != NULL);
		CHECK(contract_find_map((unsigned long)ieh, 1, NULL, &m));
		if (strcmp(m.name, real) != 0)
			CONTRACT_FAIL("AT_BASE %p maps \"%s\", not the interpreter %s",
				      (void *)ieh, m.name, real);
	} else {
		CHECK_EQ(getauxval(AT_BASE), 0);
	}

	/* The vDSO: an ELF shared object mapped as [vdso], data as [vvar]. */
	eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	CHECK(eh != NULL);
	CHECK(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	CHECK_EQ(eh->e_type, ET_DYN);
	CHECK_EQ(eh->e_machine, EM_X86_64);
	CHECK(contract_find_map((unsigned long)eh, 1, NULL, &v));
	CHECK(strcmp(v.name, "[vdso]") == 0);
	CHECK(strcmp(v.perms, "r-xp") == 0);
	CHECK(contract_find_map(0, 0, "[vvar]", &v));
	CHECK(strcmp(v.perms, "r--p") == 0);
	return 0;
}
