/*
 * HPET main counter (IA-PC HPET specification 1.0a, section 2.3), used
 * only as a calibration reference: the counter is enabled in
 * non-legacy mode with all comparators left alone.
 *
 * Locking: hpet_init() runs once at boot ([I] afterwards); reading the
 * counter has no side effects and needs no lock.
 */
#include "time/internal.h"
#include "drivers/acpi.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "mm/mm.h"

#define HPET_GCAP_ID 0x000
#define HPET_GEN_CONF 0x010
#define HPET_MAIN_COUNTER 0x0f0

#define GCAP_COUNT_SIZE_64 (1ull << 13)
#define GEN_CONF_ENABLE (1ull << 0)
#define HPET_MAX_PERIOD_FS 100000000ull     /* 100 ns (spec 2.3.4) */
#define FS_PER_SEC 1000000000000000ull

static volatile uint64_t *hpet_regs;    /* [I] */
static uint64_t hpet_period_fs;         /* [I] */
static uint64_t hpet_mask;              /* [I] */

int hpet_init(void)
{
	const struct acpi_info *ai = acpi_get();
	uint8_t *page;
	uint64_t cap;

	if (!ai->have_hpet)
		return -ENODEV;
	/* The 1 KiB register block is 1 KiB aligned (spec 2.3.1). */
	page = vmm_map_mmio(ALIGN_DOWN(ai->hpet_address, PAGE_SIZE), PAGE_SIZE);
	if (!page || !IS_ALIGNED(ai->hpet_address, 1024))
		return -ENODEV;
	hpet_regs = (volatile uint64_t *)(page +
					  (ai->hpet_address & (PAGE_SIZE - 1)));
	cap = hpet_regs[HPET_GCAP_ID / 8];
	hpet_period_fs = cap >> 32;
	if (hpet_period_fs == 0 || hpet_period_fs > HPET_MAX_PERIOD_FS) {
		pr_warn("hpet: bad counter period %llu fs, ignored\n",
			(unsigned long long)hpet_period_fs);
		hpet_regs = NULL;
		return -ENODEV;
	}
	hpet_mask = cap & GCAP_COUNT_SIZE_64 ? UINT64_MAX : UINT32_MAX;
	hpet_regs[HPET_GEN_CONF / 8] |= GEN_CONF_ENABLE;
	return 0;
}

uint64_t hpet_read(void)
{
	return hpet_regs[HPET_MAIN_COUNTER / 8] & hpet_mask;
}

uint64_t hpet_counter_mask(void)
{
	return hpet_mask;
}

uint64_t hpet_hz(void)
{
	return FS_PER_SEC / hpet_period_fs;
}
