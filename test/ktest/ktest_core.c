/*
 * In-kernel tests of the core: symbol lookup, printk formatting in the
 * kernel build, spinlock bookkeeping, memcpy/memset edge lengths, and the
 * deliberate faults that the harness uses to check exception reports
 * (manual tests: they panic).
 */
#include "lib/ktest.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sched/spinlock.h"
#include "cpu/x86.h"

static __noinline int ktest_symbol_target(int x)
{
	return x * 3 + 1;
}

KTEST(ksym_lookup_finds_functions)
{
	uint64_t off = 99;
	const char *name = ksym_lookup((uint64_t)ktest_symbol_target + 2, &off);

	KEXPECT(name != NULL);
	KEXPECT(strcmp(name, "ktest_symbol_target") == 0);
	KEXPECT_EQ(off, 2);
	KEXPECT(ksym_lookup(0x1000, &off) == NULL);
	KEXPECT_EQ(ktest_symbol_target(1), 4);
}

KTEST(format_in_kernel)
{
	char buf[64];

	KEXPECT_EQ(format_snprintf(buf, sizeof(buf), "%d %s %#x", -5, "ok", 255), 10);
	KEXPECT(strcmp(buf, "-5 ok 0xff") == 0);
}

KTEST(spinlock_owner_tracking)
{
	struct spinlock lock = SPINLOCK_INIT("ktest");
	uint64_t flags;

	KEXPECT(!spin_is_held(&lock));
	spin_lock(&lock);
	KEXPECT(spin_is_held(&lock));
	KEXPECT(!spin_trylock(&lock));
	spin_unlock(&lock);
	KEXPECT(!spin_is_held(&lock));
	flags = spin_lock_irqsave(&lock);
	KEXPECT(!irq_enabled());
	spin_unlock_irqrestore(&lock, flags);
	KEXPECT(spin_trylock(&lock));
	spin_unlock(&lock);
}

/*
 * memcpy/memset move qwords and then the n % 8 tail: every length 0..40 at
 * every alignment 0..7 of either side, with guard bytes around the target.
 */
KTEST(string_memcpy_memset_lengths)
{
	static uint8_t src[64], dst[64];

	for (int i = 0; i < 64; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	for (size_t n = 0; n <= 40; n++)
		for (int da = 0; da < 8; da++)
			for (int sa = 0; sa < 8; sa++) {
				for (int i = 0; i < 64; i++)
					dst[i] = 0xee;
				KEXPECT(memcpy(dst + da, src + sa, n) == dst + da);
				for (int i = 0; i < 64; i++) {
					bool in = i >= da && i < da + (int)n;

					KEXPECT_EQ(dst[i], in ? src[sa + i - da] : 0xee);
				}
				KEXPECT(memset(dst + sa, 0x1a5, n) == dst + sa);
				for (int i = 0; i < 64; i++) {
					bool in = i >= sa && i < sa + (int)n;

					if (in)
						KEXPECT_EQ(dst[i], 0xa5);
				}
				/* No copied byte is 0xa5: the one after must differ. */
				KEXPECT(dst[sa + n] != 0xa5);
			}
}

/* ---- deliberate faults: run only when named on the command line ---- */

static __noinline void ktest_fault_write_unmapped(volatile uint64_t *p)
{
	*p = 0x1234;
}

KTEST_MANUAL(fault_page)
{
	/* Inside the direct-map region, far above any RAM: never mapped. */
	ktest_fault_write_unmapped((volatile uint64_t *)0xffffbf0000000000ULL);
}

static __noinline void ktest_fault_invalid_opcode(void)
{
	__asm__ __volatile__("ud2");
}

KTEST_MANUAL(fault_ud)
{
	ktest_fault_invalid_opcode();
}

KTEST_MANUAL(spinlock_recursion)
{
	static struct spinlock lock = SPINLOCK_INIT("recursive");

	spin_lock(&lock);
	spin_lock(&lock);
}
