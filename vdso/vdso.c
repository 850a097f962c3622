/*
 * The vDSO: a small shared object the kernel maps into every process
 * (AT_SYSINFO_EHDR) so that the C library can read the clocks without
 * entering the kernel.  This file runs in user mode; it is built
 * freestanding and position independent, linked by vdso/vdso.lds into
 * build/vdso/vdso.so and embedded in the kernel (vdso/image.asm).
 *
 * Exports, as Linux's x86_64 vDSO does, each under its __vdso_ name and
 * the plain name (a weak alias), all with symbol version LINUX_2.6:
 * clock_gettime, gettimeofday, time, clock_getres, getcpu.  musl looks
 * up __vdso_clock_gettime; glibc looks up all five.
 *
 * Fast path: read the [vvar] page (vdso/vvar.h) under its sequence count
 * and turn the TSC into nanoseconds exactly as the kernel does.  Anything
 * else (CPU-time clocks, unknown ids, an uncalibrated clock, getcpu
 * without RDTSCP/RDPID) makes the real system call and returns its raw
 * result (0 or -errno), as Linux's vDSO does.  Bad pointers fault here in
 * user mode (SIGSEGV), as on Linux.
 *
 * No state of its own: the image is shared read-only by all processes.
 */
#include "vdso/vvar.h"
#include "process/system.h"
#include "time/timespec.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11

#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_clock_getres 229
#define SYS_getcpu 309

#define VDSO_EXPORT __attribute__((visibility("default")))

/* The "Linux" ELF note with the kernel version (LINUX_VERSION_CODE), as
 * in Linux's vDSO, for C libraries that read it. */
struct linux_note {
	uint32_t namesz, descsz, type;
	char name[8];                   /* "Linux\0", padded to 4 bytes */
	uint32_t version;
};
__attribute__((section(".note.Linux"), used, aligned(4)))
static const struct linux_note linux_note = {
	6, 4, 0, "Linux", UTS_RELEASE_CODE,
};

/* Placed one page below the image by the linker script. */
extern const struct vvar_data vvar_page __attribute__((visibility("hidden")));

static long syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b)
			     : "rcx", "r11", "memory");
	return ret;
}

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret)
			     : "a"(nr), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

/* RDTSC after the loads before it (LFENCE orders it on Intel and AMD). */
static uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint32_t vvar_read_begin(const struct vvar_data *d)
{
	uint32_t seq;

	while ((seq = READ_ONCE(d->seq)) & 1)
		__asm__ __volatile__("pause" ::: "memory");
	barrier();
	return seq;
}

static bool vvar_read_retry(const struct vvar_data *d, uint32_t seq)
{
	barrier();
	return READ_ONCE(d->seq) != seq;
}

enum clock_kind { KIND_NONE, KIND_MONO, KIND_REAL };

/* Which of the two base clocks @id is, and whether it is coarse. */
static enum clock_kind clock_kind(int id, bool *coarse)
{
	*coarse = id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE;
	switch (id) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_MONOTONIC_COARSE:
		return KIND_MONO;
	case CLOCK_REALTIME:
	case CLOCK_TAI:
	case CLOCK_REALTIME_COARSE:
		return KIND_REAL;
	}
	return KIND_NONE;
}

/* Nanoseconds of a base clock; false if user mode cannot read it. */
static bool read_clock(enum clock_kind kind, bool coarse, int64_t *ns)
{
	const struct vvar_data *d = &vvar_page;
	uint64_t delta, mono;
	int64_t offset, tick;
	uint32_t seq;

	do {
		seq = vvar_read_begin(d);
		if (READ_ONCE(d->clock_mode) != VVAR_CLOCK_TSC)
			return false;
		delta = rdtsc_ordered() - d->tsc_base;
		mono = (uint64_t)(((unsigned __int128)delta * d->ns_mult) >> 32);
		offset = kind == KIND_REAL ? d->realtime_offset_ns : 0;
		tick = d->tick_ns;
	} while (vvar_read_retry(d, seq));
	if (coarse && tick > 0)
		mono -= mono % (uint64_t)tick;
	*ns = (int64_t)mono + offset;
	return true;
}

/* Normalized timespec: tv_nsec in [0, 1e9), seconds rounded down. */
static void ns_split(int64_t ns, int64_t *sec, long *rem)
{
	*sec = ns / NSEC_PER_SEC;
	*rem = (long)(ns % NSEC_PER_SEC);
	if (*rem < 0) {
		*rem += NSEC_PER_SEC;
		(*sec)--;
	}
}

VDSO_EXPORT int __vdso_clock_gettime(int id, struct __kernel_timespec *ts)
{
	bool coarse;
	enum clock_kind kind = clock_kind(id, &coarse);
	int64_t ns;

	if (kind == KIND_NONE || !read_clock(kind, coarse, &ns))
		return (int)syscall2(SYS_clock_gettime, id, (long)ts);
	ns_split(ns, &ts->tv_sec, &ts->tv_nsec);
	return 0;
}

VDSO_EXPORT int __vdso_gettimeofday(struct __kernel_old_timeval *tv,
				    struct timezone *tz)
{
	const struct vvar_data *d = &vvar_page;
	int64_t ns;
	long rem;

	if (tv) {
		if (!read_clock(KIND_REAL, false, &ns))
			return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
		ns_split(ns, &tv->tv_sec, &rem);
		tv->tv_usec = rem / NSEC_PER_USEC;
	}
	if (tz) {
		uint32_t seq;

		do {
			seq = vvar_read_begin(d);
			tz->tz_minuteswest = d->tz_minuteswest;
			tz->tz_dsttime = d->tz_dsttime;
		} while (vvar_read_retry(d, seq));
	}
	return 0;
}

VDSO_EXPORT int64_t __vdso_time(int64_t *t)
{
	int64_t ns, sec;
	long rem;

	if (!read_clock(KIND_REAL, false, &ns))
		return syscall2(SYS_time, (long)t, 0);
	ns_split(ns, &sec, &rem);
	if (t)
		*t = sec;
	return sec;
}

VDSO_EXPORT int __vdso_clock_getres(int id, struct __kernel_timespec *res)
{
	const struct vvar_data *d = &vvar_page;
	bool coarse;
	enum clock_kind kind = clock_kind(id, &coarse);

	if (kind == KIND_NONE ||
	    READ_ONCE(d->clock_mode) != VVAR_CLOCK_TSC)
		return (int)syscall2(SYS_clock_getres, id, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = coarse ? (long)READ_ONCE(d->tick_ns) : 1;
	}
	return 0;
}

VDSO_EXPORT long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	uint32_t mode = READ_ONCE(vvar_page.getcpu_mode), aux, lo, hi;
	uint64_t p;

	if (mode == VVAR_GETCPU_RDPID) {
		__asm__ __volatile__("rdpid %0" : "=r"(p));
		aux = (uint32_t)p;
	} else if (mode == VVAR_GETCPU_RDTSCP) {
		__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	} else {
		return syscall3(SYS_getcpu, (long)cpu, (long)node, (long)unused);
	}
	if (cpu)
		*cpu = aux & 0xfff;
	if (node)
		*node = aux >> 12;
	return 0;
}

/* The plain names, as weak aliases (Linux: arch/x86/entry/vdso). */
int clock_gettime(int, struct __kernel_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime"), visibility("default")));
int gettimeofday(struct __kernel_old_timeval *, struct timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday"), visibility("default")));
int64_t time(int64_t *)
	__attribute__((weak, alias("__vdso_time"), visibility("default")));
int clock_getres(int, struct __kernel_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres"), visibility("default")));
long getcpu(unsigned *, unsigned *, void *)
	__attribute__((weak, alias("__vdso_getcpu"), visibility("default")));
