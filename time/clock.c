/*
 * Monotonic clock from the TSC.
 *
 * clock_init() measures the TSC frequency once at boot against the HPET
 * main counter (or, without an HPET, PIT channel 2), then converts TSC
 * deltas to nanoseconds with a 32.32 fixed-point multiplier, so reading
 * the clock is one RDTSC and one 64x64->128 multiply (no division).  The
 * TSC is assumed to run at a constant rate and in step on all CPUs
 * (invariant TSC); a warning is printed if CPUID does not promise that.
 * Before calibration uptime is 0 and busy waits count port-I/O delays.
 *
 * Also reads the wall clock from the CMOS RTC once at boot, then hands
 * the conversion to the vDSO's data page (time/realtime.c publishes it).
 *
 * Locking: all state is written by clock_init() on the boot CPU before
 * other CPUs run and is read-only afterwards ([I]).
 */
#include "time/clock.h"
#include "time/internal.h"
#include "cpu/x86.h"
#include "drivers/rtc.h"
#include "lib/printk.h"

#define CALIBRATION_RUNS 3
#define CALIBRATION_MS 15
#define NS_PER_SEC 1000000000ull
/* Give up on a reference timer that has not finished after this many
 * TSC ticks (over a second at any plausible TSC rate). */
#define TSC_SANITY_LIMIT 20000000000ull

#define CPUID_EXT_POWER 0x80000007
#define CPUID_INVARIANT_TSC (1u << 8)

static uint64_t tsc_hz;                 /* [I] 0 until calibrated */
static uint64_t tsc_at_calibration;     /* [I] */
static uint64_t ns_mult;                /* [I] ns per TSC tick, 32.32 */
static int64_t boot_epoch;              /* [I] */

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

void clock_tsc_params(uint64_t *base, uint64_t *mult)
{
	*base = tsc_at_calibration;
	*mult = tsc_hz ? ns_mult : 0;
}

uint64_t clock_uptime_ns(void)
{
	uint64_t d;

	if (!tsc_hz)
		return 0;
	d = rdtsc() - tsc_at_calibration;
	return (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
}

void clock_busy_wait_ns(uint64_t ns)
{
	uint64_t end;

	if (!tsc_hz) {
		for (uint64_t i = 0; i < ns / 1000 + 1; i++)
			io_wait();
		return;
	}
	end = clock_uptime_ns() + ns;
	while (clock_uptime_ns() < end)
		cpu_relax();
}

int64_t clock_boot_epoch_seconds(void)
{
	return boot_epoch;
}

/* TSC ticks per second measured over @ms of HPET time, 0 if the HPET
 * does not count. */
static uint64_t tsc_hz_from_hpet(unsigned ms)
{
	uint64_t mask = hpet_counter_mask();
	uint64_t target = hpet_hz() * ms / 1000;
	uint64_t h0, h1, t0, t1;

	h0 = hpet_read();
	t0 = rdtsc();
	do {
		cpu_relax();
		h1 = hpet_read();
		t1 = rdtsc();
		if (t1 - t0 > TSC_SANITY_LIMIT)
			return 0;
	} while (((h1 - h0) & mask) < target);
	return (t1 - t0) * hpet_hz() / ((h1 - h0) & mask);
}

/* TSC ticks per second measured over @ms of PIT time, 0 on failure. */
static uint64_t tsc_hz_from_pit(unsigned ms)
{
	uint16_t ticks = (uint16_t)(PIT_HZ * ms / 1000);
	uint64_t d = pit_measure_tsc(ticks, TSC_SANITY_LIMIT);

	return d * PIT_HZ / ticks;
}

static void sort3(uint64_t v[3])
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (v[j] > v[j + 1]) {
				uint64_t t = v[j];
				v[j] = v[j + 1];
				v[j + 1] = t;
			}
}

/* Median of a few short runs, to shrug off one disturbed run. */
static uint64_t tsc_hz_median(bool use_hpet)
{
	uint64_t hz[CALIBRATION_RUNS];

	STATIC_ASSERT(CALIBRATION_RUNS == 3, "sort3 takes three runs");
	for (int i = 0; i < CALIBRATION_RUNS; i++)
		hz[i] = use_hpet ? tsc_hz_from_hpet(CALIBRATION_MS)
				 : tsc_hz_from_pit(CALIBRATION_MS);
	sort3(hz);
	return hz[1];
}

/* Set tsc_hz; returns the name of the reference used. */
static const char *tsc_calibrate(void)
{
	if (hpet_init() == 0) {
		tsc_hz = tsc_hz_median(true);
		if (tsc_hz)
			return "HPET";
		pr_warn("clock: HPET does not count, falling back to the PIT\n");
	}
	tsc_hz = tsc_hz_median(false);
	return "PIT";
}

static void tsc_check_invariant(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= CPUID_EXT_POWER) {
		cpuid(CPUID_EXT_POWER, 0, &a, &b, &c, &d);
		if (d & CPUID_INVARIANT_TSC)
			return;
	}
	pr_info("clock: TSC not marked invariant; assuming a constant rate\n");
}

void clock_init(void)
{
	const char *ref = tsc_calibrate();
	int64_t t;

	if (!tsc_hz) {
		pr_err("clock: TSC calibration against %s failed\n", ref);
		return;
	}
	ns_mult = (NS_PER_SEC << 32) / tsc_hz;
	tsc_at_calibration = rdtsc();
	pr_info("clock: tsc %llu.%03llu GHz (calibrated against %s)\n",
		(unsigned long long)(tsc_hz / 1000000000),
		(unsigned long long)(tsc_hz / 1000000 % 1000), ref);
	tsc_check_invariant();

	if (rtc_read_epoch(&t) == 0)
		boot_epoch = t;
	clock_vvar_update();
}
