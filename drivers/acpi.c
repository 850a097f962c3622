/*
 * ACPI static tables (ACPI 6.5, chapter 5).
 *
 * Model: acpi_init() runs once on the boot CPU.  It takes the RSDP from
 * the multiboot2 copy (or, under BIOS only, scans the EBDA and the BIOS
 * area), walks the XSDT (or the RSDT for ACPI 1.0), checks every table's
 * length and checksum once, and keeps the good ones in a list; a bad table
 * is logged and skipped.  The MADT, FADT, HPET and MCFG tables and the
 * \_S5 package are then decoded into struct acpi_info.
 *
 * Tables live in RAM and are read through the direct map (PHYS_TO_VIRT);
 * an address outside the memory the direct map covers is rejected.
 *
 * Locking: everything here is written during acpi_init() only, before any
 * other CPU runs, and is read-only afterwards ([I]).
 */
#include "drivers/acpi.h"
#include "boot/multiboot2.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define LOCAL_TRACE 0

#define ACPI_MAX_TABLES 64
#define ACPI_MAX_TABLE_LEN (16u << 20)

/* System Description Table header (5.2.6). */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;
STATIC_ASSERT(sizeof(struct acpi_sdt_header) == 36, "SDT header");

/* Root System Description Pointer (5.2.5.3). */
struct acpi_rsdp {
	char signature[8];      /* "RSD PTR " */
	uint8_t checksum;       /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;       /* 0: ACPI 1.0, 2: ACPI 2.0+ */
	uint32_t rsdt_address;
	uint32_t length;        /* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t ext_checksum;   /* over length bytes */
	uint8_t reserved[3];
} __packed;
STATIC_ASSERT(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
STATIC_ASSERT(offsetof(struct acpi_rsdp, xsdt_address) == 24, "RSDP layout");

/* FADT field offsets (5.2.9, table 5.9). */
#define FADT_DSDT 40
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_ACPI_DISABLE 53
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_PM1_CNT_LEN 89
#define FADT_CENTURY 108
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184

/* MADT entry types (5.2.12, table 5.21). */
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_NMI_SOURCE 3
#define MADT_LAPIC_NMI 4
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define MADT_X2APIC 9
#define MADT_X2APIC_NMI 10

#define MADT_LAPIC_ENABLED 0x1

static struct acpi_info acpi;                           /* [I] */
static const struct acpi_sdt_header *tables[ACPI_MAX_TABLES];  /* [I] */
static unsigned table_count;                            /* [I] */
static uint64_t phys_limit;     /* [I] end of what the direct map covers */

const struct acpi_info *acpi_get(void)
{
	return &acpi;
}

/* ---- helpers for unaligned little-endian fields ---- */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

static bool phys_range_ok(uint64_t pa, uint64_t len)
{
	return pa != 0 && pa + len > pa && pa + len <= phys_limit;
}

/*
 * The direct map covers at least the first 4 GiB and all RAM the memory
 * map lists as usable or ACPI; reserved holes high up may be unmapped.
 */
static void compute_phys_limit(const struct boot_info *bi)
{
	phys_limit = 4UL << 30;
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		if (r->type == BOOT_MEM_AVAILABLE ||
		    r->type == BOOT_MEM_ACPI_RECLAIMABLE ||
		    r->type == BOOT_MEM_NVS)
			phys_limit = MAX(phys_limit, r->base + r->length);
	}
}

/* ---- RSDP ---- */

static bool rsdp_valid(const struct acpi_rsdp *r, size_t avail)
{
	if (avail < 20 || memcmp(r->signature, "RSD PTR ", 8) != 0)
		return false;
	if (checksum(r, 20) != 0)
		return false;
	if (r->revision >= 2) {
		if (avail < sizeof(*r) || r->length < sizeof(*r) ||
		    checksum(r, sizeof(*r)) != 0)
			return false;
	}
	return true;
}

static const struct acpi_rsdp *rsdp_scan(uint64_t start, uint64_t len)
{
	for (uint64_t pa = start; pa + 20 <= start + len; pa += 16) {
		const struct acpi_rsdp *r = PHYS_TO_VIRT(pa);
		if (rsdp_valid(r, start + len - pa))
			return r;
	}
	return NULL;
}

/*
 * The multiboot2 copy first; then, under BIOS only, the first KiB of the
 * EBDA and the read-only BIOS area (5.2.5.1).
 */
static int rsdp_find(const struct boot_info *bi, struct acpi_rsdp *out,
		     uint64_t *pa)
{
	const struct acpi_rsdp *r = NULL;

	*pa = 0;

	if (bi->rsdp_len) {
		const struct acpi_rsdp *copy = (const void *)bi->rsdp;
		if (rsdp_valid(copy, bi->rsdp_len)) {
			memset(out, 0, sizeof(*out));
			memcpy(out, copy, MIN(bi->rsdp_len, sizeof(*out)));
			return 0;
		}
		/* A 2.0 RSDP cut to the 1.0 size: still good for the RSDT. */
		if (bi->rsdp_len >= 20 && rsdp_valid(copy, 20)) {
			memset(out, 0, sizeof(*out));
			memcpy(out, copy, 20);
			out->revision = 0;
			return 0;
		}
		pr_warn("ACPI: RSDP from the boot loader is invalid\n");
	}
	if (bi->efi_system_table)
		return -ENODEV;
	uint64_t ebda = (uint64_t)*(const uint16_t *)PHYS_TO_VIRT(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, 1024);
	if (!r)
		r = rsdp_scan(0xe0000, 0x20000);
	if (!r)
		return -ENODEV;
	memset(out, 0, sizeof(*out));
	memcpy(out, r, r->revision >= 2 ? sizeof(*out) : 20);
	*pa = VIRT_TO_PHYS(r);
	return 0;
}

/* ---- table list ---- */

static void table_print(const struct acpi_sdt_header *h, uint64_t pa)
{
	pr_info("ACPI: %.4s 0x%016llx %06x (v%02u %.6s %.8s)\n", h->signature,
		(unsigned long long)pa, h->length, h->revision, h->oem_id,
		h->oem_table_id);
}

/* Map and validate the table at @pa; NULL (logged) if it is bad. */
static const struct acpi_sdt_header *table_map(uint64_t pa)
{
	const struct acpi_sdt_header *h;

	if (!phys_range_ok(pa, sizeof(*h))) {
		pr_warn("ACPI: table at 0x%llx is outside memory, skipped\n",
			(unsigned long long)pa);
		return NULL;
	}
	h = PHYS_TO_VIRT(pa);
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN ||
	    !phys_range_ok(pa, h->length)) {
		pr_warn("ACPI: %.4s at 0x%llx has bad length %u, skipped\n",
			h->signature, (unsigned long long)pa, h->length);
		return NULL;
	}
	if (checksum(h, h->length) != 0) {
		pr_warn("ACPI: %.4s at 0x%llx has a bad checksum, skipped\n",
			h->signature, (unsigned long long)pa);
		return NULL;
	}
	table_print(h, pa);
	return h;
}

static void table_add(uint64_t pa)
{
	const struct acpi_sdt_header *h = table_map(pa);

	if (!h)
		return;
	if (table_count == ACPI_MAX_TABLES) {
		pr_warn("ACPI: too many tables, %.4s ignored\n", h->signature);
		return;
	}
	tables[table_count++] = h;
}

/* Walk the XSDT (8-byte entries) or RSDT (4-byte entries). */
static int root_walk(uint64_t pa, unsigned entry_size)
{
	const struct acpi_sdt_header *root = table_map(pa);
	const uint8_t *p;
	size_t n;

	if (!root)
		return -EINVAL;
	if (memcmp(root->signature, entry_size == 8 ? "XSDT" : "RSDT", 4)) {
		pr_warn("ACPI: root table has signature %.4s\n",
			root->signature);
		return -EINVAL;
	}
	p = (const uint8_t *)(root + 1);
	n = (root->length - sizeof(*root)) / entry_size;
	for (size_t i = 0; i < n; i++)
		table_add(entry_size == 8 ? rd64(p + 8 * i) : rd32(p + 4 * i));
	return 0;
}

const void *acpi_find_table(const char sig[4], unsigned index)
{
	for (unsigned i = 0; i < table_count; i++) {
		if (memcmp(tables[i]->signature, sig, 4) == 0 && index-- == 0)
			return tables[i];
	}
	return NULL;
}

/* ---- MADT (5.2.12) ---- */

static void madt_entry(const uint8_t *e, uint8_t len)
{
	switch (e[0]) {
	case MADT_LAPIC:
		if (len < 8 || !(rd32(e + 4) & MADT_LAPIC_ENABLED))
			break;
		if (acpi.cpu_count < ACPI_MAX_CPUS)
			acpi.cpus[acpi.cpu_count++] =
				(struct acpi_cpu){ .apic_id = e[3], .uid = e[2] };
		break;
	case MADT_X2APIC:
		if (len < 16 || !(rd32(e + 8) & MADT_LAPIC_ENABLED))
			break;
		if (acpi.cpu_count < ACPI_MAX_CPUS)
			acpi.cpus[acpi.cpu_count++] = (struct acpi_cpu){
				.apic_id = rd32(e + 4), .uid = rd32(e + 12) };
		break;
	case MADT_IOAPIC:
		if (len < 12 || acpi.ioapic_count == ACPI_MAX_IOAPICS)
			break;
		acpi.ioapics[acpi.ioapic_count++] = (struct acpi_ioapic){
			.id = e[2], .address = rd32(e + 4),
			.gsi_base = rd32(e + 8) };
		break;
	case MADT_OVERRIDE:
		if (len < 10 || e[2] != 0 ||
		    acpi.override_count == ACPI_MAX_OVERRIDES)
			break;
		acpi.overrides[acpi.override_count++] = (struct acpi_override){
			.source = e[3], .gsi = rd32(e + 4),
			.flags = rd16(e + 8) };
		break;
	case MADT_LAPIC_NMI:
		if (len < 6 || acpi.lapic_nmi_count == ACPI_MAX_LAPIC_NMIS)
			break;
		acpi.lapic_nmis[acpi.lapic_nmi_count++] = (struct acpi_lapic_nmi){
			.uid = e[2] == 0xff ? 0xffffffffu : e[2],
			.flags = rd16(e + 3), .lint = e[5] };
		break;
	case MADT_X2APIC_NMI:
		if (len < 12 || acpi.lapic_nmi_count == ACPI_MAX_LAPIC_NMIS)
			break;
		acpi.lapic_nmis[acpi.lapic_nmi_count++] = (struct acpi_lapic_nmi){
			.uid = rd32(e + 4), .flags = rd16(e + 2), .lint = e[8] };
		break;
	case MADT_LAPIC_ADDR_OVERRIDE:
		if (len >= 12)
			acpi.lapic_address = rd64(e + 4);
		break;
	case MADT_NMI_SOURCE:
		/* An IOAPIC input wired to NMI; left masked. */
		break;
	default:
		break;
	}
}

static void madt_parse(const struct acpi_sdt_header *h)
{
	const uint8_t *base = (const uint8_t *)h;
	size_t off = 44;

	if (h->length < 44) {
		pr_warn("ACPI: MADT too short (%u bytes)\n", h->length);
		return;
	}
	acpi.have_madt = true;
	acpi.lapic_address = rd32(base + 36);
	acpi.pcat_compat = rd32(base + 40) & 1;
	while (off + 2 <= h->length) {
		uint8_t len = base[off + 1];
		if (len < 2 || off + len > h->length) {
			pr_warn("ACPI: MADT entry at +%zu has bad length %u\n",
				off, len);
			break;
		}
		madt_entry(base + off, len);
		off += len;
	}
}

static void madt_print(void)
{
	pr_info("ACPI: MADT: %u CPUs, LAPIC at 0x%llx%s\n", acpi.cpu_count,
		(unsigned long long)acpi.lapic_address,
		acpi.pcat_compat ? ", dual 8259" : "");
	for (unsigned i = 0; i < acpi.ioapic_count; i++)
		pr_info("ACPI: MADT: IOAPIC id %u at 0x%x, GSI base %u\n",
			acpi.ioapics[i].id, acpi.ioapics[i].address,
			acpi.ioapics[i].gsi_base);
	for (unsigned i = 0; i < acpi.override_count; i++) {
		const struct acpi_override *o = &acpi.overrides[i];
		pr_info("ACPI: MADT: IRQ %u -> GSI %u (%s, %s)\n", o->source,
			o->gsi,
			(o->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW
				? "low" : "high",
			(o->flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL
				? "level" : "edge");
	}
	for (unsigned i = 0; i < acpi.lapic_nmi_count; i++) {
		const struct acpi_lapic_nmi *n = &acpi.lapic_nmis[i];
		if (n->uid == 0xffffffffu)
			pr_info("ACPI: MADT: NMI on LINT%u of all CPUs\n", n->lint);
		else
			pr_info("ACPI: MADT: NMI on LINT%u of CPU uid %u\n",
				n->lint, n->uid);
	}
}

/* ---- FADT (5.2.9) ---- */

static void gas_decode(const uint8_t *p, struct acpi_gas *g)
{
	g->space = p[0];
	g->bit_width = p[1];
	g->bit_offset = p[2];
	g->access_size = p[3];
	g->address = rd64(p + 4);
}

/* A PM1 control block: X_ generic address if present, else the I/O port. */
static void fadt_pm1_cnt(const uint8_t *f, uint32_t len, unsigned x_off,
			 unsigned legacy_off, struct acpi_gas *g)
{
	memset(g, 0, sizeof(*g));
	if (len >= x_off + 12) {
		gas_decode(f + x_off, g);
		if (g->address)
			return;
	}
	if (len >= legacy_off + 4 && rd32(f + legacy_off)) {
		g->space = ACPI_GAS_IO;
		g->bit_width = 16;
		g->access_size = 2;
		g->address = rd32(f + legacy_off);
	}
}

static void fadt_parse(const struct acpi_sdt_header *h)
{
	const uint8_t *f = (const uint8_t *)h;
	uint32_t len = h->length;

	if (len < FADT_CENTURY + 1) {
		pr_warn("ACPI: FADT too short (%u bytes)\n", len);
		return;
	}
	acpi.have_fadt = true;
	acpi.dsdt = rd32(f + FADT_DSDT);
	if (len >= FADT_X_DSDT + 8 && rd64(f + FADT_X_DSDT))
		acpi.dsdt = rd64(f + FADT_X_DSDT);
	acpi.smi_cmd = rd32(f + FADT_SMI_CMD);
	acpi.acpi_enable = f[FADT_ACPI_ENABLE];
	acpi.acpi_disable = f[FADT_ACPI_DISABLE];
	acpi.century = f[FADT_CENTURY];
	fadt_pm1_cnt(f, len, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK,
		     &acpi.pm1a_cnt);
	fadt_pm1_cnt(f, len, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK,
		     &acpi.pm1b_cnt);
	if (len >= FADT_FLAGS + 4)
		acpi.fadt_flags = rd32(f + FADT_FLAGS);
	if (len >= FADT_IAPC_BOOT_ARCH + 2)
		acpi.iapc_boot_arch = rd16(f + FADT_IAPC_BOOT_ARCH);
	if (len >= FADT_RESET_VALUE + 1 &&
	    (acpi.fadt_flags & ACPI_FADT_RESET_REG_SUP)) {
		gas_decode(f + FADT_RESET_REG, &acpi.reset_reg);
		acpi.reset_value = f[FADT_RESET_VALUE];
		acpi.have_reset = acpi.reset_reg.address != 0;
	}
}

static const char *gas_space_name(uint8_t space)
{
	switch (space) {
	case ACPI_GAS_MEMORY: return "mmio";
	case ACPI_GAS_IO: return "io";
	case ACPI_GAS_PCI_CONFIG: return "pci";
	default: return "?";
	}
}

static void fadt_print(void)
{
	char reset[48] = "none";

	if (acpi.have_reset)
		format_snprintf(reset, sizeof(reset), "%s 0x%llx=0x%x",
				gas_space_name(acpi.reset_reg.space),
				(unsigned long long)acpi.reset_reg.address,
				acpi.reset_value);
	pr_info("ACPI: FADT: PM1a_CNT %s 0x%llx, PM1b_CNT 0x%llx, SMI_CMD 0x%x, "
		"reset %s, century %#x\n",
		gas_space_name(acpi.pm1a_cnt.space),
		(unsigned long long)acpi.pm1a_cnt.address,
		(unsigned long long)acpi.pm1b_cnt.address, acpi.smi_cmd, reset,
		acpi.century);
}

/* ---- DSDT/SSDT: \_S5 ---- */

static bool s5_from_table(const struct acpi_sdt_header *h)
{
	const uint8_t *aml = (const uint8_t *)(h + 1);
	int err = acpi_aml_find_s5(aml, h->length - sizeof(*h),
				   &acpi.slp_typ_a, &acpi.slp_typ_b);

	if (err == -EINVAL)
		pr_warn("ACPI: %.4s: malformed \\_S5 package\n", h->signature);
	return err == 0;
}

static void s5_find(void)
{
	const struct acpi_sdt_header *h;

	if (acpi.dsdt) {
		h = table_map(acpi.dsdt);
		if (h && memcmp(h->signature, "DSDT", 4) == 0)
			acpi.have_s5 = s5_from_table(h);
	}
	for (unsigned i = 0; !acpi.have_s5; i++) {
		h = acpi_find_table("SSDT", i);
		if (!h)
			break;
		acpi.have_s5 = s5_from_table(h);
	}
	if (acpi.have_s5)
		pr_info("ACPI: \\_S5: SLP_TYPa %u, SLP_TYPb %u\n",
			acpi.slp_typ_a, acpi.slp_typ_b);
	else
		pr_warn("ACPI: no \\_S5 object, ACPI power off unavailable\n");
}

/* ---- HPET (IA-PC HPET spec 1.0a, 3.2.4) and MCFG ---- */

static void hpet_parse(const struct acpi_sdt_header *h)
{
	struct acpi_gas g;

	if (h->length < 56) {
		pr_warn("ACPI: HPET table too short (%u bytes)\n", h->length);
		return;
	}
	gas_decode((const uint8_t *)h + 40, &g);
	if (g.space != ACPI_GAS_MEMORY || !g.address) {
		pr_warn("ACPI: HPET not in memory space, ignored\n");
		return;
	}
	acpi.have_hpet = true;
	acpi.hpet_address = g.address;
	pr_info("ACPI: HPET at 0x%llx\n", (unsigned long long)g.address);
}

static void mcfg_parse(const struct acpi_sdt_header *h)
{
	const uint8_t *base = (const uint8_t *)h;

	for (size_t off = 44; off + 16 <= h->length; off += 16) {
		const uint8_t *e = base + off;
		struct acpi_mcfg_segment s = {
			.base = rd64(e), .segment = rd16(e + 8),
			.bus_start = e[10], .bus_end = e[11],
		};
		if (acpi.mcfg_count == ACPI_MAX_MCFG || s.bus_end < s.bus_start)
			continue;
		acpi.mcfg[acpi.mcfg_count++] = s;
		pr_info("ACPI: MCFG: segment %u buses %02x-%02x at 0x%llx\n",
			s.segment, s.bus_start, s.bus_end,
			(unsigned long long)s.base);
	}
}

int acpi_init(const struct boot_info *bi)
{
	struct acpi_rsdp rsdp;
	const struct acpi_sdt_header *h;
	uint64_t rsdp_pa;
	int err;

	memset(&acpi, 0, sizeof(acpi));         /* host tests run it again */
	table_count = 0;
	compute_phys_limit(bi);
	if (rsdp_find(bi, &rsdp, &rsdp_pa)) {
		pr_warn("ACPI: no valid RSDP, running without ACPI\n");
		return -ENODEV;
	}
	acpi.revision = rsdp.revision;
	memcpy(acpi.oem_id, rsdp.oem_id, 6);
	if (rsdp_pa)
		pr_info("ACPI: RSDP 0x%016llx (v%02u %.6s)\n",
			(unsigned long long)rsdp_pa, rsdp.revision, rsdp.oem_id);
	else
		pr_info("ACPI: RSDP (v%02u %.6s) from the boot loader\n",
			rsdp.revision, rsdp.oem_id);
	err = -EINVAL;
	if (rsdp.revision >= 2 && rsdp.xsdt_address)
		err = root_walk(rsdp.xsdt_address, 8);
	if (err && rsdp.rsdt_address)
		err = root_walk(rsdp.rsdt_address, 4);
	if (err) {
		pr_warn("ACPI: no usable XSDT or RSDT\n");
		return -ENODEV;
	}
	acpi.present = true;

	if ((h = acpi_find_table("APIC", 0)))
		madt_parse(h);
	if (acpi.have_madt)
		madt_print();
	else
		pr_warn("ACPI: no MADT\n");
	if ((h = acpi_find_table("FACP", 0)))
		fadt_parse(h);
	if (acpi.have_fadt) {
		fadt_print();
		s5_find();
	} else {
		pr_warn("ACPI: no FADT, ACPI power control unavailable\n");
	}
	if ((h = acpi_find_table("HPET", 0)))
		hpet_parse(h);
	if ((h = acpi_find_table("MCFG", 0)))
		mcfg_parse(h);
	LTRACEF("%u tables\n", table_count);
	return 0;
}
