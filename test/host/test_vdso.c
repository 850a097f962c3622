/*
 * Host tests of the vDSO image (build/vdso/vdso.so as embedded by
 * vdso/image.asm): its ELF structure is what the C libraries and the
 * kernel expect (one read+execute PT_LOAD at 0, no relocations, both hash
 * tables, the "Linux" note), the dynamic symbol table exports exactly
 * Linux's x86_64 set under version LINUX_2.6 (found through the SysV hash
 * as musl does and the GNU hash as glibc does, plain names aliasing the
 * __vdso_ ones), and the code computes the clocks from a [vvar] page set
 * up here, falling back to the (host's) system calls.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "test/host/host_test.h"
#include "process/system.h"
#include "vdso/vvar.h"

extern const uint8_t vdso_image_start[], vdso_image_end[];

static const char *const exports[] = {
	"clock_gettime", "gettimeofday", "time", "clock_getres", "getcpu",
};

/* The image's dynamic tables. */
struct dyn {
	const uint8_t *img;
	const Elf64_Sym *syms;
	const char *strs;
	const uint32_t *hash, *gnu_hash;
	const uint16_t *versym;
	const Elf64_Verdef *verdef;
	const char *soname;
	int bad_tags;           /* DT_REL*, DT_TEXTREL, DT_NEEDED ... */
};

static const Elf64_Ehdr *ehdr(void)
{
	return (const Elf64_Ehdr *)vdso_image_start;
}

static const Elf64_Phdr *phdr(int type, int *count)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(vdso_image_start +
						     ehdr()->e_phoff);
	const Elf64_Phdr *found = NULL;

	*count = 0;
	for (int i = 0; i < ehdr()->e_phnum; i++)
		if (ph[i].p_type == (uint32_t)type) {
			if (!found)
				found = &ph[i];
			(*count)++;
		}
	return found;
}

static void read_dynamic(struct dyn *d)
{
	int n;
	const Elf64_Phdr *dp = phdr(PT_DYNAMIC, &n);

	memset(d, 0, sizeof(*d));
	d->img = vdso_image_start;
	if (!dp)
		return;
	/* Linked at 0: virtual addresses are file offsets. */
	for (const Elf64_Dyn *e = (const Elf64_Dyn *)(d->img + dp->p_offset);
	     e->d_tag != DT_NULL; e++) {
		const void *p = d->img + e->d_un.d_ptr;

		switch (e->d_tag) {
		case DT_SYMTAB: d->syms = p; break;
		case DT_STRTAB: d->strs = p; break;
		case DT_HASH: d->hash = p; break;
		case DT_GNU_HASH: d->gnu_hash = p; break;
		case DT_VERSYM: d->versym = p; break;
		case DT_VERDEF: d->verdef = p; break;
		case DT_SONAME: d->soname = (const char *)(uintptr_t)e->d_un.d_val;
			break;
		case DT_REL: case DT_RELA: case DT_TEXTREL: case DT_NEEDED:
		case DT_JMPREL: case DT_INIT: case DT_FINI:
			d->bad_tags++;
			break;
		}
	}
	if (d->strs && d->soname)
		d->soname = d->strs + (uintptr_t)d->soname;
}

static uint32_t sysv_hash(const char *s)
{
	uint32_t h = 0;

	for (; *s; s++) {
		h = (h << 4) + (uint8_t)*s;
		h ^= (h >> 24) & 0xf0;
	}
	return h & 0x0fffffff;
}

static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (uint8_t)*s;
	return h;
}

/* The version name of symbol @i, or NULL. */
static const char *version_of(const struct dyn *d, uint32_t i)
{
	const Elf64_Verdef *v = d->verdef;
	uint16_t want = d->versym[i] & 0x7fff;

	for (;;) {
		if (v->vd_ndx == want) {
			const Elf64_Verdaux *a = (const Elf64_Verdaux *)
				((const uint8_t *)v + v->vd_aux);
			return d->strs + a->vda_name;
		}
		if (!v->vd_next)
			return NULL;
		v = (const Elf64_Verdef *)((const uint8_t *)v + v->vd_next);
	}
}

/* Symbol index of @name through the SysV hash table (0: none). */
static uint32_t lookup_sysv(const struct dyn *d, const char *name)
{
	uint32_t nbucket = d->hash[0];
	const uint32_t *bucket = d->hash + 2, *chain = bucket + nbucket;

	for (uint32_t i = bucket[sysv_hash(name) % nbucket]; i; i = chain[i])
		if (strcmp(d->strs + d->syms[i].st_name, name) == 0)
			return i;
	return 0;
}

/* Symbol index of @name through the GNU hash table (0: none). */
static uint32_t lookup_gnu(const struct dyn *d, const char *name)
{
	uint32_t nbucket = d->gnu_hash[0], symoffset = d->gnu_hash[1];
	uint32_t bloom_size = d->gnu_hash[2], shift = d->gnu_hash[3];
	const uint64_t *bloom = (const uint64_t *)(d->gnu_hash + 4);
	const uint32_t *bucket = (const uint32_t *)(bloom + bloom_size);
	const uint32_t *chain = bucket + nbucket;
	uint32_t h = gnu_hash(name), i;
	uint64_t word = bloom[(h / 64) % bloom_size];

	if (!((word >> (h % 64)) & (word >> ((h >> shift) % 64)) & 1))
		return 0;
	for (i = bucket[h % nbucket]; i >= symoffset; i++) {
		uint32_t ch = chain[i - symoffset];

		if ((ch | 1) == (h | 1) &&
		    strcmp(d->strs + d->syms[i].st_name, name) == 0)
			return i;
		if (ch & 1)
			break;
		if (!i)
			break;
	}
	return 0;
}

static void test_structure(void)
{
	const Elf64_Ehdr *eh = ehdr();
	size_t size = (size_t)(vdso_image_end - vdso_image_start);
	const Elf64_Shdr *sh;
	const Elf64_Phdr *load, *note;
	int nload, nnote, relocs = 0;

	CHECK("image is an ELF64 x86-64 shared object",
	      size > sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
	      eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_type == ET_DYN &&
	      eh->e_machine == EM_X86_64);
	CHECK("image fits the kernel's four pages", size <= 4 * 4096);
	load = phdr(PT_LOAD, &nload);
	CHECK("one PT_LOAD, at 0, read+execute, covering the file",
	      nload == 1 && load->p_vaddr == 0 && load->p_offset == 0 &&
	      load->p_flags == (PF_R | PF_X) && load->p_filesz == load->p_memsz &&
	      load->p_memsz <= size);
	sh = (const Elf64_Shdr *)(vdso_image_start + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++)
		relocs += sh[i].sh_type == SHT_REL || sh[i].sh_type == SHT_RELA;
	CHECK("no relocation sections", eh->e_shoff + eh->e_shnum * sizeof(*sh)
	      <= size && relocs == 0);
	note = phdr(PT_NOTE, &nnote);
	if (note) {
		const uint32_t *n = (const uint32_t *)(vdso_image_start +
						       note->p_offset);
		CHECK("\"Linux\" note with the version code",
		      n[0] == 6 && n[1] == 4 && n[2] == 0 &&
		      memcmp(n + 3, "Linux", 6) == 0 && n[5] == UTS_RELEASE_CODE);
	} else {
		CHECK("PT_NOTE present", 0);
	}
}

static void test_symbols(void)
{
	struct dyn d;
	int exported = 0;

	read_dynamic(&d);
	CHECK("dynamic section has symbols, both hashes, versions",
	      d.syms && d.strs && d.hash && d.gnu_hash && d.versym && d.verdef);
	if (!(d.syms && d.strs && d.hash && d.gnu_hash && d.versym && d.verdef))
		return;
	CHECK("no relocations or dependencies in the dynamic section",
	      d.bad_tags == 0);
	CHECK("soname linux-vdso.so.1",
	      d.soname && strcmp(d.soname, "linux-vdso.so.1") == 0);
	for (size_t k = 0; k < sizeof(exports) / sizeof(exports[0]); k++) {
		char vname[64], what[128];
		uint32_t p, v;

		snprintf(vname, sizeof(vname), "__vdso_%s", exports[k]);
		p = lookup_sysv(&d, exports[k]);
		v = lookup_sysv(&d, vname);
		snprintf(what, sizeof(what), "%s and %s: SysV hash finds both",
			 exports[k], vname);
		CHECK(what, p && v);
		if (!p || !v)
			continue;
		snprintf(what, sizeof(what), "%s: GNU hash agrees", exports[k]);
		CHECK(what, lookup_gnu(&d, exports[k]) == p &&
		      lookup_gnu(&d, vname) == v);
		snprintf(what, sizeof(what), "%s@LINUX_2.6 and %s@LINUX_2.6",
			 exports[k], vname);
		CHECK(what, version_of(&d, p) && version_of(&d, v) &&
		      strcmp(version_of(&d, p), "LINUX_2.6") == 0 &&
		      strcmp(version_of(&d, v), "LINUX_2.6") == 0);
		snprintf(what, sizeof(what),
			 "%s: weak alias of the global function %s",
			 exports[k], vname);
		CHECK(what, d.syms[p].st_value == d.syms[v].st_value &&
		      d.syms[v].st_value != 0 &&
		      ELF64_ST_TYPE(d.syms[v].st_info) == STT_FUNC &&
		      ELF64_ST_BIND(d.syms[v].st_info) == STB_GLOBAL &&
		      ELF64_ST_BIND(d.syms[p].st_info) == STB_WEAK);
	}
	CHECK("unknown names are not found",
	      !lookup_sysv(&d, "__vdso_getrandom") &&
	      !lookup_gnu(&d, "__vdso_getrandom") && !lookup_sysv(&d, "main"));
	for (uint32_t i = 1; i < d.hash[1]; i++)
		if (d.syms[i].st_shndx != SHN_UNDEF &&
		    d.syms[i].st_shndx != SHN_ABS &&
		    ELF64_ST_BIND(d.syms[i].st_info) != STB_LOCAL)
			exported++;
	CHECK("exactly ten functions exported", exported == 10);
}

/* ---- running the code over a [vvar] page made here ---- */

struct mapped {
	uint8_t *base;                  /* the [vvar] page; image above it */
	size_t len;
	struct vvar_data *vvar;
	struct dyn dyn;
};

static void *fn(struct mapped *m, const char *name)
{
	uint32_t i = lookup_sysv(&m->dyn, name);

	return i ? m->base + 4096 + m->dyn.syms[i].st_value : NULL;
}

static int map_image(struct mapped *m)
{
	size_t size = (size_t)(vdso_image_end - vdso_image_start);

	m->len = 4096 + ((size + 4095) & ~4095UL);
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->base == MAP_FAILED)
		return -1;
	memcpy(m->base + 4096, vdso_image_start, size);
	if (mprotect(m->base + 4096, m->len - 4096, PROT_READ | PROT_EXEC))
		return -1;
	m->vvar = (struct vvar_data *)m->base;
	read_dynamic(&m->dyn);
	m->dyn.syms = (const Elf64_Sym *)(m->base + 4096 +
					  ((const uint8_t *)m->dyn.syms - vdso_image_start));
	m->dyn.strs = (const char *)(m->base + 4096 +
				     ((const uint8_t *)m->dyn.strs - vdso_image_start));
	return 0;
}

static uint64_t host_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* getcpu through RDTSCP or RDPID (Linux loads IA32_TSC_AUX too) agrees
 * with the system call, allowing for migrations between the two. */
static int getcpu_agrees(long (*gc)(unsigned *, unsigned *, void *))
{
	for (int i = 0; i < 100; i++) {
		unsigned cpu = ~0u, node = ~0u, scpu = ~1u, snode = ~1u;

		if (gc(&cpu, &node, NULL) != 0)
			return 0;
		syscall(SYS_getcpu, &scpu, &snode, NULL);
		if (cpu == scpu && node == snode)
			return 1;
	}
	return 0;
}

typedef int (*gettime_fn)(int, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, struct timezone *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static void test_running(void)
{
	struct mapped m;
	gettime_fn gt, res;
	gettimeofday_fn gtod;
	time_fn tm;
	getcpu_fn gc;
	struct timespec ts, host;
	struct timeval tv;
	struct timezone tz;
	uint64_t t0, t1;
	long long ns;
	long t;
	unsigned cpu = ~0u, node = ~0u;

	if (map_image(&m)) {
		CHECK("map the image", 0);
		return;
	}
	gt = (gettime_fn)fn(&m, "__vdso_clock_gettime");
	res = (gettime_fn)fn(&m, "__vdso_clock_getres");
	gtod = (gettimeofday_fn)fn(&m, "__vdso_gettimeofday");
	tm = (time_fn)fn(&m, "__vdso_time");
	gc = (getcpu_fn)fn(&m, "__vdso_getcpu");
	if (!gt || !res || !gtod || !tm || !gc) {
		CHECK("functions found", 0);
		return;
	}

	/* One nanosecond per TSC tick from TSC 0; wall clock 10^18 later. */
	m.vvar->clock_mode = VVAR_CLOCK_TSC;
	m.vvar->tsc_base = 0;
	m.vvar->ns_mult = 1ULL << 32;
	m.vvar->realtime_offset_ns = 1000000000000000000LL;
	m.vvar->tick_ns = 10000000;
	m.vvar->tz_minuteswest = -60;
	m.vvar->tz_dsttime = 1;
	m.vvar->getcpu_mode = VVAR_GETCPU_SYSCALL;
	t0 = host_rdtsc();
	gt(CLOCK_MONOTONIC, &ts);
	t1 = host_rdtsc();
	ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	CHECK("MONOTONIC is the TSC scaled", (uint64_t)ns >= t0 &&
	      (uint64_t)ns <= t1 && ts.tv_nsec < 1000000000);
	gt(CLOCK_MONOTONIC_COARSE, &ts);
	CHECK("MONOTONIC_COARSE is a whole tick", ts.tv_nsec % 10000000 == 0 &&
	      (uint64_t)(ts.tv_sec * 1000000000LL + ts.tv_nsec) <= host_rdtsc());
	gt(CLOCK_REALTIME, &ts);
	CHECK("REALTIME adds the offset", ts.tv_sec >= 1000000000 &&
	      (uint64_t)((ts.tv_sec - 1000000000) * 1000000000LL + ts.tv_nsec) >= t1);
	gtod(&tv, &tz);
	CHECK("gettimeofday: offset and timezone", tv.tv_sec >= 1000000000 &&
	      tv.tv_usec < 1000000 && tz.tz_minuteswest == -60 &&
	      tz.tz_dsttime == 1);
	t = tm(NULL);
	CHECK("time: seconds of REALTIME", t >= 1000000000 && tm(&t) == t);
	CHECK("clock_getres: 1 ns, a tick for coarse clocks",
	      res(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec == 0 &&
	      ts.tv_nsec == 1 && res(CLOCK_REALTIME_COARSE, &ts) == 0 &&
	      ts.tv_nsec == 10000000 && res(CLOCK_BOOTTIME, NULL) == 0);

	/* What the vDSO cannot do goes to the (host) kernel. */
	CHECK("CPU clocks: the system call",
	      gt(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 && ts.tv_sec < 1000);
	CHECK("bad clock: -EINVAL from the system call",
	      gt(100, &ts) == -EINVAL && res(100, &ts) == -EINVAL);
	CHECK("getcpu: the system call",
	      gc(&cpu, &node, NULL) == 0 &&
	      cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF));
	{
		unsigned a, b, c, d;

		if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 27))) {
			m.vvar->getcpu_mode = VVAR_GETCPU_RDTSCP;
			CHECK("getcpu: RDTSCP", getcpu_agrees(gc));
		}
		if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 22))) {
			m.vvar->getcpu_mode = VVAR_GETCPU_RDPID;
			CHECK("getcpu: RDPID", getcpu_agrees(gc));
		}
		m.vvar->getcpu_mode = VVAR_GETCPU_SYSCALL;
	}
	m.vvar->clock_mode = VVAR_CLOCK_NONE;
	gt(CLOCK_MONOTONIC, &ts);
	clock_gettime(CLOCK_MONOTONIC, &host);
	CHECK("uncalibrated: MONOTONIC from the system call",
	      ts.tv_sec <= host.tv_sec && host.tv_sec - ts.tv_sec < 2);
	gtod(&tv, NULL);
	CHECK("uncalibrated: gettimeofday from the system call",
	      tv.tv_sec < 1000000000000LL && tv.tv_sec > 1000000);
	munmap(m.base, m.len);
}

int main(void)
{
	test_structure();
	test_symbols();
	test_running();
	return host_test_finish();
}
