/*
 * The periodic tick: the local APIC timer in periodic mode at HZ.
 *
 * The timer counts down at an unspecified bus or crystal frequency, so
 * clock_tick_init() first lets it run one-shot (masked) for a known
 * stretch of TSC time.  The interrupt handler brings jiffies up to the
 * uptime the TSC gives (so ticks that were lost, because the CPU did not
 * run for a while or interrupts stayed off, are caught up as Linux does),
 * lets the scheduler account the tick, and acknowledges the interrupt.
 *
 * Every CPU that calls clock_tick_init() gets its own periodic timer and
 * calls sched_tick() on each tick; only the boot CPU advances jiffies.
 *
 * Locking: jiffies is written only by the boot CPU's tick handler (with
 * interrupts off) and read with READ_ONCE; a 64-bit aligned store is
 * atomic on x86-64.  lapic_timer_hz is [I] after the boot CPU's
 * calibration, which happens before other CPUs start.
 */
#include "time/clock.h"
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "drivers/apic.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "sched/sched.h"

#define TICK_CALIBRATION_NS 10000000ull     /* 10 ms */

static uint64_t jiffies;                /* [t] tick handler, boot CPU */
static uint64_t lapic_timer_hz;         /* [I] */

uint64_t clock_jiffies(void)
{
	return READ_ONCE(jiffies);
}

static void tick_handler(struct trap_frame *tf, void *arg)
{
	if (this_cpu()->cpu_id == 0) {
		uint64_t due = clock_uptime_ns() / (1000000000ULL / HZ);
		if (due > jiffies)
			WRITE_ONCE(jiffies, due);
	}
	sched_account_tick((tf->cs & 3) == 3);
	sched_tick();
	lapic_eoi();
}

/* Local APIC timer ticks per second, measured against the TSC. */
static uint64_t lapic_timer_calibrate(void)
{
	uint64_t flags = irq_save();
	uint64_t t0, t1, tsc_hz = clock_tsc_hz();
	uint32_t c0, c1;

	lapic_timer_oneshot_masked(UINT32_MAX);
	c0 = lapic_timer_current();
	t0 = rdtsc();
	clock_busy_wait_ns(TICK_CALIBRATION_NS);
	c1 = lapic_timer_current();
	t1 = rdtsc();
	lapic_timer_stop();
	irq_restore(flags);
	if (c1 >= c0 || t1 == t0)
		return 0;
	return (uint64_t)(c0 - c1) * tsc_hz / (t1 - t0);
}

/* The boot CPU calibrates; other CPUs share its result. */
int clock_tick_init(void)
{
	uint64_t count;

	if (!lapic_timer_hz) {
		if (!clock_tsc_hz())
			return -EIO;
		lapic_timer_hz = lapic_timer_calibrate();
		count = lapic_timer_hz / HZ;
		if (count == 0 || count > UINT32_MAX) {
			pr_err("clock: LAPIC timer calibration failed (%llu Hz)\n",
			       (unsigned long long)lapic_timer_hz);
			lapic_timer_hz = 0;
			return -EIO;
		}
		irq_set_handler(VECTOR_LAPIC_TIMER, tick_handler, NULL);
		pr_info("clock: LAPIC timer %llu.%03llu MHz, tick %u Hz\n",
			(unsigned long long)(lapic_timer_hz / 1000000),
			(unsigned long long)(lapic_timer_hz / 1000 % 1000), HZ);
	}
	lapic_timer_periodic(VECTOR_LAPIC_TIMER,
			     (uint32_t)(lapic_timer_hz / HZ));
	return 0;
}
