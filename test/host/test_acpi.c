/*
 * Host tests for the ACPI table walker and decoders (drivers/acpi.c).
 *
 * acpi.c reads tables through PHYS_TO_VIRT (pa + PHYS_MAP_BASE), so a
 * heap buffer at host address p stands for the "physical" address
 * p - PHYS_MAP_BASE.  Each table is its own exactly sized allocation, so
 * ASan reports any read past a table's length.  Each case builds a good
 * QEMU-like set of tables, corrupts one thing, and checks that the damage
 * is contained: logged and skipped, never a crash or a bogus value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "drivers/acpi.h"
#include "boot/multiboot2.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

static bool verbose;

/* printk for the code under test: drop the level prefix. */
int printk(const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (fmt[0] == '\001')
		fmt += 2;
	if (verbose) {
		va_start(ap, fmt);
		n = vprintf(fmt, ap);
		va_end(ap);
	}
	return n;
}

/* ---- table builders ---- */

#define MAX_ALLOCS 32
static void *allocs[MAX_ALLOCS];
static unsigned alloc_count;

static uint8_t *table_alloc(size_t len)
{
	uint8_t *p = calloc(1, len);

	allocs[alloc_count++] = p;
	return p;
}

static void free_all(void)
{
	while (alloc_count)
		free(allocs[--alloc_count]);
}

static uint64_t pa_of(const void *p)
{
	return (uint64_t)p - PHYS_MAP_BASE;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(uint8_t *t, size_t len, size_t at)
{
	uint8_t sum = 0;

	t[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += t[i];
	t[at] = (uint8_t)-sum;
}

static uint8_t *sdt(const char *sig, size_t len, uint8_t rev)
{
	uint8_t *t = table_alloc(len);

	memcpy(t, sig, 4);
	put32(t + 4, (uint32_t)len);
	t[8] = rev;
	memcpy(t + 10, "BOCHS ", 6);
	memcpy(t + 16, "BXPC    ", 8);
	return t;
}

static void sdt_seal(uint8_t *t)
{
	uint32_t len;

	memcpy(&len, t + 4, 4);
	fix_checksum(t, len, 9);
}

static const uint8_t s5_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x06, 0x00, 0x00,
};

struct fixture {
	struct boot_info bi;
	uint8_t *xsdt, *fadt, *madt, *hpet, *mcfg, *dsdt, *ssdt;
	size_t madt_len;
};

static struct fixture fx;

static void build_madt(void)
{
	uint8_t *m, *e;

	fx.madt_len = 44 + 8 + 8 + 16 + 12 + 10 + 10 + 6 + 12;
	m = fx.madt = sdt("APIC", fx.madt_len, 4);
	put32(m + 36, 0xfee00000);
	put32(m + 40, 1);
	e = m + 44;
	e[0] = 0; e[1] = 8; e[2] = 0; e[3] = 0; put32(e + 4, 1);   /* cpu 0 */
	e += 8;
	e[0] = 0; e[1] = 8; e[2] = 1; e[3] = 1; put32(e + 4, 0);   /* off */
	e += 8;
	e[0] = 9; e[1] = 16; put32(e + 4, 300); put32(e + 8, 1);
	put32(e + 12, 5);                                           /* x2apic */
	e += 16;
	e[0] = 1; e[1] = 12; e[2] = 2; put32(e + 4, 0xfec00000);
	put32(e + 8, 0);                                            /* ioapic */
	e += 12;
	e[0] = 2; e[1] = 10; e[3] = 0; put32(e + 4, 2); put16(e + 8, 0);
	e += 10;
	e[0] = 2; e[1] = 10; e[3] = 9; put32(e + 4, 9); put16(e + 8, 0xf);
	e += 10;
	e[0] = 4; e[1] = 6; e[2] = 0xff; put16(e + 3, 0); e[5] = 1;
	e += 6;
	e[0] = 5; e[1] = 12; put64(e + 4, 0xfee01000);
	sdt_seal(m);
}

static void build_fadt(size_t len)
{
	uint8_t *f = fx.fadt = sdt("FACP", len, 6);

	if (len >= 141 + 8)
		put64(f + 140, pa_of(fx.dsdt));
	if (len >= 56)
		put32(f + 48, 0xb2), f[52] = 0xf1, f[53] = 0xf0;
	if (len >= 68)
		put32(f + 64, 0x604);
	if (len >= 90)
		f[89] = 2;
	if (len >= 109)
		f[108] = 0x32;
	if (len >= 129) {
		put32(f + 112, ACPI_FADT_RESET_REG_SUP);
		f[116] = 1; f[117] = 8; f[119] = 1; put64(f + 120, 0xcf9);
		f[128] = 0x06;
	}
	sdt_seal(f);
}

/* A good set of tables; cases corrupt it before calling acpi_init(). */
static void build(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.dsdt = sdt("DSDT", 36 + sizeof(s5_aml), 2);
	memcpy(fx.dsdt + 36, s5_aml, sizeof(s5_aml));
	sdt_seal(fx.dsdt);
	fx.ssdt = sdt("SSDT", 36 + 4, 2);
	sdt_seal(fx.ssdt);
	build_fadt(276);
	build_madt();
	fx.hpet = sdt("HPET", 56, 1);
	put64(fx.hpet + 44, 0xfed00000);
	sdt_seal(fx.hpet);
	fx.mcfg = sdt("MCFG", 60, 1);
	put64(fx.mcfg + 44, 0xb0000000);
	fx.mcfg[55] = 0xff;
	sdt_seal(fx.mcfg);
	fx.xsdt = sdt("XSDT", 36 + 5 * 8, 1);
	put64(fx.xsdt + 36, pa_of(fx.fadt));
	put64(fx.xsdt + 44, pa_of(fx.madt));
	put64(fx.xsdt + 52, pa_of(fx.hpet));
	put64(fx.xsdt + 60, pa_of(fx.mcfg));
	put64(fx.xsdt + 68, pa_of(fx.ssdt));
	sdt_seal(fx.xsdt);

	memcpy(fx.bi.rsdp, "RSD PTR ", 8);
	memcpy(fx.bi.rsdp + 9, "BOCHS ", 6);
	fx.bi.rsdp[15] = 2;
	put32(fx.bi.rsdp + 20, 36);
	put64(fx.bi.rsdp + 24, pa_of(fx.xsdt));
	fix_checksum(fx.bi.rsdp, 20, 8);
	fix_checksum(fx.bi.rsdp, 36, 32);
	fx.bi.rsdp_len = 36;
	fx.bi.efi_system_table = 1;     /* no BIOS area scan on the host */
	fx.bi.mem_count = 1;
	fx.bi.mem[0] = (struct boot_mem_region){ 0, 1ull << 62,
						 BOOT_MEM_AVAILABLE };
}

/* ---- checks ---- */

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("# FAIL %s:%d: %s\n", __func__, __LINE__,     \
			       #cond);                                     \
			failures++;                                        \
		}                                                          \
	} while (0)

static void test_good(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->present && ai->revision == 2);
	CHECK(ai->have_madt && ai->pcat_compat);
	CHECK(ai->lapic_address == 0xfee01000);
	CHECK(ai->cpu_count == 2);
	CHECK(ai->cpus[0].apic_id == 0 && ai->cpus[1].apic_id == 300);
	CHECK(ai->cpus[1].uid == 5);
	CHECK(ai->ioapic_count == 1 && ai->ioapics[0].address == 0xfec00000);
	CHECK(ai->override_count == 2);
	CHECK(ai->overrides[1].source == 9 && ai->overrides[1].gsi == 9);
	CHECK((ai->overrides[1].flags & ACPI_INTI_TRIGGER_MASK) ==
	      ACPI_INTI_LEVEL);
	CHECK(ai->lapic_nmi_count == 1 && ai->lapic_nmis[0].lint == 1);
	CHECK(ai->lapic_nmis[0].uid == 0xffffffffu);
	CHECK(ai->have_fadt && ai->smi_cmd == 0xb2 && ai->acpi_enable == 0xf1);
	CHECK(ai->pm1a_cnt.space == ACPI_GAS_IO &&
	      ai->pm1a_cnt.address == 0x604);
	CHECK(ai->pm1b_cnt.address == 0);
	CHECK(ai->have_reset && ai->reset_reg.address == 0xcf9 &&
	      ai->reset_value == 6);
	CHECK(ai->century == 0x32);
	CHECK(ai->have_s5 && ai->slp_typ_a == 5 && ai->slp_typ_b == 6);
	CHECK(ai->have_hpet && ai->hpet_address == 0xfed00000);
	CHECK(ai->mcfg_count == 1 && ai->mcfg[0].base == 0xb0000000 &&
	      ai->mcfg[0].bus_end == 0xff);
	CHECK(acpi_find_table("SSDT", 0) == fx.ssdt);
	CHECK(acpi_find_table("SSDT", 1) == NULL);
	free_all();
}

static void test_bad_table_checksum(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	fx.hpet[20] ^= 1;
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(!ai->have_hpet);
	CHECK(ai->have_madt && ai->have_fadt && ai->have_s5);
	free_all();
}

static void test_madt_zero_length_entry(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	fx.madt[44 + 8 + 1] = 0;        /* second entry: length 0 */
	sdt_seal(fx.madt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->have_madt && ai->cpu_count == 1 && ai->ioapic_count == 0);
	free_all();
}

static void test_madt_entry_overruns(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	fx.madt[fx.madt_len - 12 + 1] = 200;    /* last entry runs off */
	sdt_seal(fx.madt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->cpu_count == 2 && ai->lapic_address == 0xfee00000);
	free_all();
}

static void test_madt_short_entries(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	fx.madt[44 + 1] = 2;    /* LAPIC entry too short for its fields */
	fx.madt[44 + 2] = 6;
	sdt_seal(fx.madt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->cpu_count == 0);      /* the rest no longer lines up */
	free_all();
}

static void test_short_fadt(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	build_fadt(60);
	put64(fx.xsdt + 36, pa_of(fx.fadt));
	sdt_seal(fx.xsdt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(!ai->have_fadt && !ai->have_s5 && !ai->have_reset);
	CHECK(ai->have_madt);
	free_all();
}

static void test_rev1_fadt(void)
{
	const struct acpi_info *ai = acpi_get();

	build();
	build_fadt(116);        /* ACPI 1.0: no flags, no reset, no X_ */
	put32(fx.fadt + 40, 0);         /* no DSDT at all */
	sdt_seal(fx.fadt);
	put64(fx.xsdt + 36, pa_of(fx.fadt));
	sdt_seal(fx.xsdt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->have_fadt && !ai->have_reset && ai->fadt_flags == 0);
	CHECK(ai->pm1a_cnt.address == 0x604 && !ai->have_s5);
	free_all();
}

static void test_bad_entries_in_xsdt(void)
{
	const struct acpi_info *ai = acpi_get();
	uint8_t *huge;

	build();
	huge = sdt("HPET", 64, 1);
	put32(huge + 4, 0xffffffffu);   /* claims 4 GiB */
	put64(fx.xsdt + 52, pa_of(huge));
	put64(fx.xsdt + 60, 0);         /* null entry */
	sdt_seal(fx.xsdt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(!ai->have_hpet && ai->mcfg_count == 0 && ai->have_madt);
	free_all();
}

static void test_s5_in_ssdt(void)
{
	const struct acpi_info *ai = acpi_get();
	uint8_t *ssdt;

	build();
	fx.dsdt[36 + 5] = 0x0a;         /* DSDT: _S5_ is not a package */
	sdt_seal(fx.dsdt);
	ssdt = sdt("SSDT", 36 + sizeof(s5_aml), 2);
	memcpy(ssdt + 36, s5_aml, sizeof(s5_aml));
	ssdt[36 + 9] = 3;
	sdt_seal(ssdt);
	put64(fx.xsdt + 68, pa_of(ssdt));
	sdt_seal(fx.xsdt);
	CHECK(acpi_init(&fx.bi) == 0);
	CHECK(ai->have_s5 && ai->slp_typ_a == 3 && ai->slp_typ_b == 6);
	free_all();
}

static void test_bad_root(void)
{
	build();
	fx.xsdt[12] ^= 1;               /* XSDT checksum; no RSDT */
	CHECK(acpi_init(&fx.bi) == -ENODEV);
	CHECK(!acpi_get()->present && !acpi_get()->have_madt);
	free_all();

	build();
	fx.bi.rsdp[10] ^= 1;            /* RSDP checksum */
	CHECK(acpi_init(&fx.bi) == -ENODEV);
	free_all();

	build();
	fx.bi.rsdp[33] ^= 1;            /* extended checksum only: as 1.0 */
	CHECK(acpi_init(&fx.bi) == -ENODEV);    /* ... which has no RSDT */
	CHECK(acpi_get()->revision == 0);
	free_all();

	build();
	fx.bi.rsdp_len = 20;            /* a 2.0 RSDP cut to 20 bytes */
	CHECK(acpi_init(&fx.bi) == -ENODEV);
	CHECK(acpi_get()->revision == 0);
	free_all();

	build();
	fx.bi.rsdp_len = 0;             /* nothing from the loader, UEFI */
	CHECK(acpi_init(&fx.bi) == -ENODEV);
	free_all();
}

/* Run one test function and report it as a TAP-style line. */
#define RUN(fn)                                                            \
	do {                                                               \
		int before = failures;                                     \
		fn();                                                      \
		printf("%s - %s\n", failures == before ? "ok" : "not ok", #fn); \
	} while (0)

int main(int argc, char **argv)
{
	verbose = argc > 1;
	RUN(test_good);
	RUN(test_bad_table_checksum);
	RUN(test_madt_zero_length_entry);
	RUN(test_madt_entry_overruns);
	RUN(test_madt_short_entries);
	RUN(test_short_fadt);
	RUN(test_rev1_fadt);
	RUN(test_bad_entries_in_xsdt);
	RUN(test_s5_in_ssdt);
	RUN(test_bad_root);
	printf("# %d checks failed\n", failures);
	return failures != 0;
}
