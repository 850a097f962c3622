/*
 * Address-space layout at exec under /proc/sys/kernel/randomize_va_space
 * (needs root; the old value is written back): with 0 every run gets
 * Linux's fixed x86-64 layout (stack up to 0x7ffffffff000, mmap area from
 * 0x7ffff7fff000 down: interpreter on top, the vDSO right below, a PIE at
 * 0x555555554000, brk right after the program); with 2 the stack, vDSO,
 * interpreter, PIE and brk move between runs; with 1 all but brk do.
 */
#include "contract.h"
#include "maps.h"
#include <elf.h>
#include <sys/auxv.h>

#define SYSCTL "/proc/sys/kernel/randomize_va_space"

struct layout {
	unsigned long vdso, vdso_end, base, interp_end, prog, prog_end;
	unsigned long stack_end, sp, start_brk;
	int pie;
};

static char saved[16];

static void set_randomize(const char *v)
{
	int fd = CHECK_OK(open(SYSCTL, O_WRONLY));

	CHECK_EQ(write(fd, v, strlen(v)), (long)strlen(v));
	CHECK_OK(close(fd));
}

static void restore(void)
{
	if (saved[0])
		set_randomize(saved);
}

/* Page-aligned end of the PT_LOAD segments of the headers @ph at @bias. */
static unsigned long load_end(const Elf64_Phdr *ph, int n, unsigned long bias)
{
	unsigned long end = 0;

	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > end)
			end = ph[i].p_vaddr + ph[i].p_memsz;
	return (bias + end + 4095) & ~4095UL;
}

/* The child: describe this process on stdout. */
static int child(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	int n = (int)getauxval(AT_PHNUM);
	unsigned long bias = 0, start_brk = 0;
	struct layout l = { 0 };
	struct contract_map m;
	char stat[2048], *p;
	int fd, field;
	long len;

	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR)
			bias = (unsigned long)ph - ph[i].p_vaddr;
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_INTERP)
			l.pie = 1;
	l.prog = bias;
	l.prog_end = load_end(ph, n, bias);
	l.vdso = getauxval(AT_SYSINFO_EHDR);
	CHECK(contract_find_map(l.vdso, 1, NULL, &m));
	l.vdso_end = m.end;
	l.base = getauxval(AT_BASE);
	if (l.base) {
		const Elf64_Ehdr *ieh = (const Elf64_Ehdr *)l.base;

		l.interp_end = load_end((const Elf64_Phdr *)(l.base + ieh->e_phoff),
					ieh->e_phnum, l.base);
	}
	CHECK(contract_find_map(0, 0, "[stack]", &m));
	l.stack_end = m.end;
	l.sp = (unsigned long)&m;
	/* start_brk is field 47 of /proc/self/stat (after "(comm)"). */
	fd = CHECK_OK(open("/proc/self/stat", O_RDONLY));
	len = CHECK_OK(read(fd, stat, sizeof(stat) - 1));
	close(fd);
	stat[len] = '\0';
	p = strrchr(stat, ')');
	CHECK(p != NULL);
	for (field = 2; field < 47 && p; field++)
		p = strchr(p + 1, ' ');
	CHECK(p != NULL);
	start_brk = strtoul(p + 1, NULL, 10);
	l.start_brk = start_brk;
	CHECK_EQ(write(1, &l, sizeof(l)), sizeof(l));
	return 0;
}

static void run(const char *value, struct layout *l)
{
	char *argv[] = { "/proc/self/exe", "child", NULL }, *envp[] = { NULL };
	int p[2];
	pid_t pid;

	set_randomize(value);
	CHECK_OK(pipe(p));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		dup2(p[1], 1);
		execve(argv[0], argv, envp);
		_exit(99);
	}
	close(p[1]);
	CHECK_EQ(read(p[0], l, sizeof(*l)), sizeof(*l));
	close(p[0]);
	CHECK_EXITED(contract_wait(pid), 0);
}

static void check_fixed(const struct layout *l)
{
	CHECK_EQ(l->stack_end, 0x7ffffffff000UL);
	if (l->base) {
		CHECK_EQ(l->interp_end, 0x7ffff7fff000UL);
		CHECK_EQ(l->vdso_end, l->base);
	} else {
		CHECK_EQ(l->vdso_end, 0x7ffff7fff000UL);
	}
	if (l->pie)
		CHECK_EQ(l->prog, 0x555555554000UL);
	CHECK_EQ(l->start_brk, l->prog_end);
}

int main(int argc, char **argv)
{
	struct layout a, b;
	int fd;
	long n;

	if (argc > 1)
		return child();
	contract_need_root();
	fd = CHECK_OK(open(SYSCTL, O_RDONLY));
	n = CHECK_OK(read(fd, saved, sizeof(saved) - 1));
	close(fd);
	CHECK(n > 0);
	saved[n] = '\0';
	atexit(restore);

	run("0", &a);
	run("0", &b);
	check_fixed(&a);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);

	run("2", &a);
	run("2", &b);
	CHECK(a.stack_end != b.stack_end);
	CHECK(a.sp != b.sp);
	CHECK(a.vdso != b.vdso);
	CHECK(a.start_brk != b.start_brk);
	CHECK(a.start_brk > a.prog_end);
	if (a.base)
		CHECK(a.base != b.base);
	if (a.pie)
		CHECK(a.prog != b.prog);

	run("1", &a);
	run("1", &b);
	CHECK(a.vdso != b.vdso);
	CHECK(a.sp != b.sp);
	CHECK_EQ(a.start_brk, a.prog_end);
	if (a.pie)
		CHECK(a.prog != b.prog);
	return 0;
}
