/*
 * Monotonic clock.  Placeholder until TSC calibration lands: before
 * calibration uptime is 0 and busy waits count port-I/O delays (~1 us).
 */
#include "time/clock.h"
#include "cpu/x86.h"

static uint64_t tsc_hz;
static uint64_t tsc_at_calibration;

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t clock_uptime_ns(void)
{
	if (!tsc_hz)
		return 0;
	uint64_t d = rdtsc() - tsc_at_calibration;
	return (uint64_t)((unsigned __int128)d * 1000000000ULL / tsc_hz);
}

void clock_busy_wait_ns(uint64_t ns)
{
	if (!tsc_hz) {
		for (uint64_t i = 0; i < ns / 1000 + 1; i++)
			io_wait();
		return;
	}
	uint64_t end = clock_uptime_ns() + ns;
	while (clock_uptime_ns() < end)
		cpu_relax();
}

int64_t clock_boot_epoch_seconds(void)
{
	return 0;
}

void clock_init(void)
{
}
