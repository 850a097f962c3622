/*
 * /proc/cpuinfo: the x86 format of Linux (arch/x86/kernel/cpu/proc.c),
 * one block per online CPU, from CPUID.  Only the boot CPU runs for now.
 * Flag names are Linux's (arch/x86/include/asm/cpufeatures.h).
 */
#include "vfs/procfs_internal.h"
#include "cpu/x86.h"
#include "lib/string.h"
#include "time/clock.h"

struct cpu_flag {
	uint32_t leaf;
	uint8_t reg;                    /* 0 eax, 1 ebx, 2 ecx, 3 edx */
	uint8_t bit;
	const char *name;
};

/* In Linux's order: leaf 1 EDX, 0x80000001 EDX, leaf 1 ECX, 0x80000001
 * ECX, leaf 7 EBX, ECX, EDX. */
static const struct cpu_flag cpu_flags[] = {
	{ 1, 3, 0, "fpu" }, { 1, 3, 1, "vme" }, { 1, 3, 2, "de" },
	{ 1, 3, 3, "pse" }, { 1, 3, 4, "tsc" }, { 1, 3, 5, "msr" },
	{ 1, 3, 6, "pae" }, { 1, 3, 7, "mce" }, { 1, 3, 8, "cx8" },
	{ 1, 3, 9, "apic" }, { 1, 3, 11, "sep" }, { 1, 3, 12, "mtrr" },
	{ 1, 3, 13, "pge" }, { 1, 3, 14, "mca" }, { 1, 3, 15, "cmov" },
	{ 1, 3, 16, "pat" }, { 1, 3, 17, "pse36" }, { 1, 3, 19, "clflush" },
	{ 1, 3, 21, "dts" }, { 1, 3, 22, "acpi" }, { 1, 3, 23, "mmx" },
	{ 1, 3, 24, "fxsr" }, { 1, 3, 25, "sse" }, { 1, 3, 26, "sse2" },
	{ 1, 3, 27, "ss" }, { 1, 3, 28, "ht" }, { 1, 3, 29, "tm" },
	{ 1, 3, 31, "pbe" },
	{ 0x80000001, 3, 11, "syscall" }, { 0x80000001, 3, 20, "nx" },
	{ 0x80000001, 3, 22, "mmxext" }, { 0x80000001, 3, 25, "fxsr_opt" },
	{ 0x80000001, 3, 26, "pdpe1gb" }, { 0x80000001, 3, 27, "rdtscp" },
	{ 0x80000001, 3, 29, "lm" },
	{ 1, 2, 0, "pni" }, { 1, 2, 1, "pclmulqdq" }, { 1, 2, 3, "monitor" },
	{ 1, 2, 9, "ssse3" }, { 1, 2, 12, "fma" }, { 1, 2, 13, "cx16" },
	{ 1, 2, 17, "pcid" }, { 1, 2, 19, "sse4_1" }, { 1, 2, 20, "sse4_2" },
	{ 1, 2, 21, "x2apic" }, { 1, 2, 22, "movbe" }, { 1, 2, 23, "popcnt" },
	{ 1, 2, 24, "tsc_deadline_timer" }, { 1, 2, 25, "aes" },
	{ 1, 2, 26, "xsave" }, { 1, 2, 28, "avx" }, { 1, 2, 29, "f16c" },
	{ 1, 2, 30, "rdrand" }, { 1, 2, 31, "hypervisor" },
	{ 0x80000001, 2, 0, "lahf_lm" }, { 0x80000001, 2, 2, "svm" },
	{ 0x80000001, 2, 5, "abm" }, { 0x80000001, 2, 6, "sse4a" },
	{ 0x80000001, 2, 8, "3dnowprefetch" },
	{ 7, 1, 0, "fsgsbase" }, { 7, 1, 3, "bmi1" }, { 7, 1, 5, "avx2" },
	{ 7, 1, 7, "smep" }, { 7, 1, 8, "bmi2" }, { 7, 1, 9, "erms" },
	{ 7, 1, 10, "invpcid" }, { 7, 1, 16, "avx512f" },
	{ 7, 1, 18, "rdseed" }, { 7, 1, 19, "adx" }, { 7, 1, 20, "smap" },
	{ 7, 1, 23, "clflushopt" }, { 7, 1, 24, "clwb" }, { 7, 1, 29, "sha_ni" },
	{ 7, 2, 2, "umip" }, { 7, 2, 3, "pku" }, { 7, 2, 22, "rdpid" },
	{ 7, 3, 4, "fsrm" }, { 7, 3, 26, "md_clear" },
	{ 7, 3, 29, "arch_capabilities" },
};

static uint32_t cpuid_reg(uint32_t leaf, unsigned reg)
{
	uint32_t r[4], max;

	cpuid(leaf & 0x80000000u, 0, &max, &r[1], &r[2], &r[3]);
	if (leaf > max)
		return 0;
	cpuid(leaf, 0, &r[0], &r[1], &r[2], &r[3]);
	return r[reg];
}

static void show_model_name(struct proc_buf *b)
{
	uint32_t max, r[12];
	char name[49];
	const char *s = name;

	cpuid(0x80000000u, 0, &max, &r[0], &r[1], &r[2]);
	if (max < 0x80000004u) {
		proc_printf(b, "model name\t: unknown\n");
		return;
	}
	for (unsigned i = 0; i < 3; i++)
		cpuid(0x80000002u + i, 0, &r[i * 4], &r[i * 4 + 1],
		      &r[i * 4 + 2], &r[i * 4 + 3]);
	memcpy(name, r, 48);
	name[48] = '\0';
	while (*s == ' ')
		s++;
	proc_printf(b, "model name\t: %s\n", s);
}

static void show_cpu(struct proc_buf *b, unsigned cpu)
{
	uint32_t a, bx, c, d, family, model, max_leaf;
	char vendor[13];
	uint64_t khz = clock_tsc_hz() / 1000;

	cpuid(0, 0, &a, &bx, &c, &d);
	memcpy(vendor, &bx, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	proc_printf(b, "processor\t: %u\nvendor_id\t: %s\n", cpu, vendor);
	max_leaf = a;
	cpuid(1, 0, &a, &bx, &c, &d);
	family = (a >> 8) & 0xf;
	model = (a >> 4) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	if (family >= 6)
		model += ((a >> 16) & 0xf) << 4;
	proc_printf(b, "cpu family\t: %u\nmodel\t\t: %u\n", family, model);
	show_model_name(b);
	proc_printf(b, "stepping\t: %u\nmicrocode\t: 0x1\n"
		    "cpu MHz\t\t: %lu.%03lu\ncache size\t: 512 KB\n"
		    "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: %u\n"
		    "cpu cores\t: 1\napicid\t\t: %u\ninitial apicid\t: %u\n"
		    "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\n"
		    "wp\t\t: yes\nflags\t\t:",
		    a & 0xf, (unsigned long)(khz / 1000),
		    (unsigned long)(khz % 1000), cpu, bx >> 24, bx >> 24,
		    max_leaf);
	for (size_t i = 0; i < ARRAY_SIZE(cpu_flags); i++) {
		const struct cpu_flag *f = &cpu_flags[i];

		if (cpuid_reg(f->leaf, f->reg) & (1u << f->bit))
			proc_printf(b, " %s", f->name);
	}
	/* bogomips: Linux reports twice the TSC MHz (lpj-based). */
	proc_printf(b, "\nbugs\t\t:\nbogomips\t: %lu.%02lu\n"
		    "clflush size\t: %u\ncache_alignment\t: %u\n",
		    (unsigned long)(khz * 2 / 1000),
		    (unsigned long)(khz * 2 / 10 % 100),
		    ((cpuid_reg(1, 1) >> 8) & 0xff) * 8,
		    ((cpuid_reg(1, 1) >> 8) & 0xff) * 8);
	a = cpuid_reg(0x80000008u, 0);
	if (!a)
		a = 0x3024;             /* 36 bits physical, 48 virtual */
	proc_printf(b, "address sizes\t: %u bits physical, %u bits virtual\n"
		    "power management:\n\n", a & 0xff, (a >> 8) & 0xff);
}

int proc_show_cpuinfo(struct proc_buf *b, const struct proc_inode *pi)
{
	show_cpu(b, 0);         /* SMP: one block per online CPU */
	return 0;
}
