/*
 * In-kernel tests of the vDSO's kernel side: the [vvar] page carries the
 * clocks exactly as the kernel computes them and follows clock_settime
 * and settimeofday's timezone; vdso_map places [vvar] right below [vdso]
 * (readable through mm_read before any fault); special mappings refuse to
 * be split, grown, written ([vvar]) or discarded ([vvar]), survive fork,
 * and can be moved and unmapped whole.
 */
#include "lib/ktest.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "time/timespec.h"
#include "vdso/vdso.h"

/* CLOCK_MONOTONIC as the vDSO computes it from the page. */
static int64_t vvar_mono(const struct vvar_data *d)
{
	uint64_t delta = rdtsc() - READ_ONCE(d->tsc_base);

	return (int64_t)(((unsigned __int128)delta * READ_ONCE(d->ns_mult)) >> 32);
}

KTEST(vdso_vvar_matches_kernel_clocks)
{
	const struct vvar_data *d = vdso_vvar();
	int64_t before, mid, after, real;

	KEXPECT(d != NULL);
	KEXPECT(clock_tsc_hz() != 0);
	KEXPECT_EQ(d->clock_mode, VVAR_CLOCK_TSC);
	KEXPECT_EQ(d->seq & 1, 0);
	before = (int64_t)clock_uptime_ns();
	mid = vvar_mono(d);
	after = (int64_t)clock_uptime_ns();
	KEXPECT(before <= mid && mid <= after);
	before = clock_realtime_ns();
	real = vvar_mono(d) + READ_ONCE(d->realtime_offset_ns);
	after = clock_realtime_ns();
	KEXPECT(before <= real && real <= after);
	KEXPECT_EQ(d->tick_ns, (NSEC_PER_SEC + HZ / 2) / HZ);
}

KTEST(vdso_vvar_follows_settime_and_timezone)
{
	const struct vvar_data *d = vdso_vvar();
	int64_t off = READ_ONCE(d->realtime_offset_ns);
	uint32_t seq = READ_ONCE(d->seq);
	struct __kernel_timespec ts;
	struct timezone tz, old;

	ts = ns_to_timespec(clock_realtime_ns() + 1000 * NSEC_PER_SEC);
	KEXPECT_EQ(clock_realtime_set(&ts), 0);
	KEXPECT(READ_ONCE(d->seq) == seq + 2);
	/* Less the time that passed between reading and setting the clock. */
	KEXPECT(d->realtime_offset_ns - off > 999 * NSEC_PER_SEC &&
		d->realtime_offset_ns - off <= 1000 * NSEC_PER_SEC);
	ts = ns_to_timespec(clock_realtime_ns() - 1000 * NSEC_PER_SEC);
	KEXPECT_EQ(clock_realtime_set(&ts), 0);
	KEXPECT(d->realtime_offset_ns - off < NSEC_PER_SEC / 10 &&
		off - d->realtime_offset_ns < NSEC_PER_SEC / 10);

	clock_timezone_get(&old);
	tz = (struct timezone){ -120, 1 };
	KEXPECT_EQ(clock_timezone_set(&tz), 0);
	KEXPECT(d->tz_minuteswest == -120 && d->tz_dsttime == 1);
	KEXPECT_EQ(clock_timezone_set(&old), 0);
	KEXPECT(d->tz_minuteswest == old.tz_minuteswest &&
		d->tz_dsttime == old.tz_dsttime);
}

struct found {
	uaddr_t vdso, vdso_end, vvar, vvar_end;
	unsigned vdso_prot, count;
};

/* Where @mm's special mappings are now (*f reset first). */
static void find_special(struct mm *mm, struct found *f)
{
	struct mm_vma_info *vmas;
	long n = mm_snapshot_vmas(mm, &vmas);

	*f = (struct found){ 0 };
	if (n < 0)
		f->count = ~0U;         /* fails every count check */
	for (long i = 0; i < n; i++) {
		const struct mm_vma_info *v = &vmas[i];

		f->count++;
		if (v->name && strcmp(v->name, "[vdso]") == 0) {
			f->vdso = v->start;
			f->vdso_end = v->end;
			f->vdso_prot = v->prot;
		}
		if (v->name && strcmp(v->name, "[vvar]") == 0) {
			f->vvar = v->start;
			f->vvar_end = v->end;
		}
	}
	if (n >= 0)
		mm_snapshot_free(vmas, n);
}

KTEST(vdso_special_mapping_rules)
{
	struct mm *mm = mm_create(), *child;
	struct found f = { 0 };
	uaddr_t base, dest = 0x10000000;
	char magic[4];
	size_t len;

	KEXPECT(mm != NULL);
	mm_layout(mm)->mmap_base = 0x7ffff7fff000UL;
	KEXPECT_EQ(vdso_map(mm, &base), 0);
	find_special(mm, &f);
	KEXPECT_EQ(f.count, 2);
	KEXPECT_EQ(f.vdso, base);
	KEXPECT_EQ(f.vvar_end, base);
	KEXPECT_EQ(f.vdso_end, 0x7ffff7fff000UL);
	KEXPECT_EQ(f.vdso_prot, VM_READ | VM_EXEC);
	len = f.vdso_end - f.vdso;
	KEXPECT_EQ(mm_read(mm, base, magic, 4), 4);
	KEXPECT(memcmp(magic, "\177ELF", 4) == 0);

	KEXPECT_EQ(mm_unmap(mm, base, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(mm_map_fixed(mm, base + len - PAGE_SIZE, PAGE_SIZE,
				VM_READ, 0), -EINVAL);
	KEXPECT_EQ(mm_protect(mm, f.vvar, PAGE_SIZE, VM_READ | VM_WRITE),
		   -EACCES);
	KEXPECT_EQ(mm_protect(mm, base, len, VM_READ), 0);
	KEXPECT_EQ(mm_discard(mm, f.vvar, PAGE_SIZE, false), -EINVAL);
	KEXPECT_EQ(mm_discard(mm, base, len, false), 0);
	KEXPECT_EQ(mm_discard(mm, base, len, true), -EINVAL);   /* not anonymous */
	KEXPECT_EQ(mm_grow_in_place(mm, base, len, len + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(mm_move(mm, base, len, &dest, len + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(mm_move(mm, base, PAGE_SIZE, &dest, PAGE_SIZE), -EINVAL);

	child = mm_clone(mm);
	KEXPECT(child != NULL);
	find_special(child, &f);
	KEXPECT(f.vdso == base && f.vvar_end == base);
	KEXPECT_EQ(mm_move(child, base, len, &dest, len), 0);
	find_special(child, &f);
	KEXPECT_EQ(f.vdso, dest);
	KEXPECT_EQ(mm_read(child, dest, magic, 4), 4);
	KEXPECT(memcmp(magic, "\177ELF", 4) == 0);
	KEXPECT_EQ(mm_unmap(child, dest, len), 0);
	KEXPECT_EQ(mm_unmap(child, f.vvar, f.vvar_end - f.vvar), 0);
	find_special(child, &f);
	KEXPECT_EQ(f.count, 0);
	mm_put(child);

	find_special(mm, &f);
	KEXPECT_EQ(f.vdso, base);       /* the parent's are untouched */
	mm_put(mm);
}
