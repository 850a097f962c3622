/*
 * 8254 PIT channel 2, used only to calibrate the TSC when there is no
 * HPET.  Channel 2's gate is bit 0 of port 0x61 and its output can be
 * read back in bit 5, so a mode 0 count can be timed by polling without
 * any interrupt (the speaker, bit 1, stays off).
 *
 * Locking: boot CPU only, before other CPUs run.
 */
#include "time/internal.h"
#include "cpu/x86.h"

#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PORT_B 0x61

#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20

/* Channel 2, lobyte/hibyte access, mode 0 (interrupt on terminal count). */
#define PIT_CMD_CH2_MODE0 0xb0

uint64_t pit_measure_tsc(uint16_t pit_ticks, uint64_t tsc_limit)
{
	uint8_t b = inb(PORT_B);
	uint64_t start, end;

	/* Gate low while loading, speaker off. */
	outb(PORT_B, b & ~(PORT_B_GATE2 | PORT_B_SPEAKER));
	outb(PIT_MODE, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2_DATA, pit_ticks & 0xff);
	outb(PIT_CH2_DATA, pit_ticks >> 8);
	/* Raising the gate starts the count; OUT goes high at zero. */
	outb(PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	start = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2)) {
		if (rdtsc() - start > tsc_limit) {
			start = end = 0;        /* report failure */
			goto out;
		}
	}
	end = rdtsc();
out:
	outb(PORT_B, b & ~(PORT_B_GATE2 | PORT_B_SPEAKER));
	return end - start;
}
