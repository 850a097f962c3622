/*
 * The vDSO's functions, found as a C library finds them (dynamic symbol
 * table, symbol version LINUX_2.6, __vdso_ and plain names): the clocks
 * agree with the system calls (read between two vDSO reads, a syscall
 * never goes backwards), clocks the vDSO cannot read and bad ids come
 * back from the system call (-EINVAL raw), clock_getres, gettimeofday
 * (with settimeofday's timezone), time and getcpu give what the system
 * calls give.
 */
#include "contract.h"
#include <elf.h>
#include <sys/auxv.h>

struct ts { long sec, nsec; };
struct tv { long sec, usec; };
struct tz { int minuteswest, dsttime; };

typedef int (*gettime_fn)(int, struct ts *);
typedef int (*gettimeofday_fn)(struct tv *, struct tz *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

/* The address of @name with version @version in the vDSO, or NULL. */
static void *vdso_sym(const char *name, const char *version)
{
	const char *img = (const char *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *syms = NULL;
	const Elf32_Word *hash = NULL;
	const Elf64_Half *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	const char *strs = NULL;
	long base = 0;
	int have_load = 0;

	CHECK(img != NULL);
	ph = (const Elf64_Phdr *)(img + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			base = (long)img + (long)ph[i].p_offset - (long)ph[i].p_vaddr;
			have_load = 1;
		}
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(img + ph[i].p_offset);
	}
	CHECK(have_load && dyn != NULL);
	for (; dyn->d_tag != DT_NULL; dyn++) {
		const char *p = (const char *)(base + (long)dyn->d_un.d_ptr);

		switch (dyn->d_tag) {
		case DT_HASH: hash = (const Elf32_Word *)p; break;
		case DT_SYMTAB: syms = (const Elf64_Sym *)p; break;
		case DT_STRTAB: strs = p; break;
		case DT_VERSYM: versym = (const Elf64_Half *)p; break;
		case DT_VERDEF: verdef = (const Elf64_Verdef *)p; break;
		}
	}
	CHECK(hash && syms && strs && versym && verdef);
	for (Elf32_Word i = 0; i < hash[1]; i++) {
		const Elf64_Sym *s = &syms[i];
		const Elf64_Verdef *d = verdef;
		int bind = ELF64_ST_BIND(s->st_info);

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
		    (bind != STB_GLOBAL && bind != STB_WEAK) ||
		    s->st_shndx == SHN_UNDEF || strcmp(strs + s->st_name, name))
			continue;
		for (;;) {
			const Elf64_Verdaux *aux = (const Elf64_Verdaux *)
				((const char *)d + d->vd_aux);

			if (!(d->vd_flags & VER_FLG_BASE) &&
			    d->vd_ndx == (versym[i] & 0x7fff))
				return strcmp(strs + aux->vda_name, version) ? NULL
					: (void *)(base + (long)s->st_value);
			if (!d->vd_next)
				return NULL;
			d = (const Elf64_Verdef *)((const char *)d + d->vd_next);
		}
	}
	return NULL;
}

/* Both names exist with LINUX_2.6 and are the same function. */
static void *both(const char *name)
{
	char vname[64];
	void *plain = vdso_sym(name, "LINUX_2.6"), *v;

	snprintf(vname, sizeof(vname), "__vdso_%s", name);
	v = vdso_sym(vname, "LINUX_2.6");
	if (!plain || !v || plain != v)
		CONTRACT_FAIL("vDSO symbols %s@LINUX_2.6 %p, %s@LINUX_2.6 %p",
			      name, plain, vname, v);
	CHECK(vdso_sym(vname, "LINUX_2.5") == NULL);
	return v;
}

static long long ns(const struct ts *t)
{
	return t->sec * 1000000000LL + t->nsec;
}

static void check_clock(gettime_fn gt, int id)
{
	for (int i = 0; i < 300; i++) {
		struct ts a, b, c;

		CHECK_EQ(gt(id, &a), 0);
		CHECK_EQ(syscall(SYS_clock_gettime, id, &b), 0);
		CHECK_EQ(gt(id, &c), 0);
		CHECK(a.nsec >= 0 && a.nsec < 1000000000);
		if (ns(&a) > ns(&b) || ns(&b) > ns(&c))
			CONTRACT_FAIL("clock %d: vdso %lld, syscall %lld, vdso %lld",
				      id, ns(&a), ns(&b), ns(&c));
	}
}

int main(void)
{
	gettime_fn gt = (gettime_fn)both("clock_gettime");
	gettime_fn getres = (gettime_fn)both("clock_getres");
	gettimeofday_fn gtod = (gettimeofday_fn)both("gettimeofday");
	time_fn tm = (time_fn)both("time");
	getcpu_fn gc = (getcpu_fn)both("getcpu");
	static const int clocks[] = {
		CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
		CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE,
		CLOCK_REALTIME_COARSE, CLOCK_TAI,
	};
	struct ts a, b;
	struct tv tv;
	struct tz tz, tz2;
	long t, t0, t1;
	unsigned cpu = ~0u, node = ~0u, scpu = ~0u;

	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		check_clock(gt, clocks[i]);
		CHECK_EQ(getres(clocks[i], &a), 0);
		CHECK_EQ(syscall(SYS_clock_getres, clocks[i], &b), 0);
		CHECK_EQ(a.sec, b.sec);
		CHECK_EQ(a.nsec, b.nsec);
		CHECK_EQ(getres(clocks[i], NULL), 0);
	}

	/* CPU clocks go to the kernel; so do bad ids, with the raw errno. */
	CHECK_EQ(gt(CLOCK_PROCESS_CPUTIME_ID, &a), 0);
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &b), 0);
	CHECK(ns(&a) <= ns(&b));
	CHECK_EQ(getres(CLOCK_THREAD_CPUTIME_ID, &a), 0);
	CHECK_EQ(syscall(SYS_clock_getres, CLOCK_THREAD_CPUTIME_ID, &b), 0);
	CHECK_EQ(ns(&a), ns(&b));
	CHECK_EQ(gt(100, &a), -EINVAL);
	CHECK_EQ(getres(100, &a), -EINVAL);

	/* gettimeofday and time fall between two system calls. */
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_REALTIME, &a), 0);
	CHECK_EQ(gtod(&tv, &tz), 0);
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_REALTIME, &b), 0);
	CHECK(tv.usec >= 0 && tv.usec < 1000000);
	CHECK(ns(&a) / 1000 <= tv.sec * 1000000LL + tv.usec);
	CHECK(tv.sec * 1000000LL + tv.usec <= ns(&b) / 1000);
	CHECK_EQ(syscall(SYS_gettimeofday, NULL, &tz2), 0);
	CHECK_EQ(tz.minuteswest, tz2.minuteswest);
	CHECK_EQ(tz.dsttime, tz2.dsttime);
	CHECK_EQ(gtod(NULL, NULL), 0);
	t0 = syscall(SYS_time, NULL);
	t = tm(&t1);
	CHECK_EQ(t, t1);
	CHECK(t0 <= t && t <= syscall(SYS_time, NULL));
	CHECK(tm(NULL) >= t);

	/* settimeofday's timezone shows in the vDSO (as root; dsttime only,
	 * so that a first setting cannot warp the clock as Linux's can). */
	if (geteuid() == 0) {
		struct tz set = { tz2.minuteswest, !tz2.dsttime };

		CHECK_EQ(syscall(SYS_settimeofday, NULL, &set), 0);
		CHECK_EQ(gtod(NULL, &tz), 0);
		CHECK_EQ(syscall(SYS_settimeofday, NULL, &tz2), 0);
		CHECK_EQ(tz.minuteswest, set.minuteswest);
		CHECK_EQ(tz.dsttime, set.dsttime);
		CHECK_EQ(gtod(NULL, &tz), 0);
		CHECK_EQ(tz.dsttime, tz2.dsttime);
	}

	/* getcpu: a CPU this process may run on, node 0 on one node. */
	CHECK_EQ(gc(&cpu, &node, NULL), 0);
	CHECK_EQ(syscall(SYS_getcpu, &scpu, NULL, NULL), 0);
	CHECK(cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF));
	CHECK(scpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF));
	CHECK(node < 1024);
	CHECK_EQ(gc(NULL, NULL, NULL), 0);
	return 0;
}
