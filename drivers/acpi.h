/*
 * ACPI table discovery (ACPI 6.5, chapter 5): the RSDP, the XSDT/RSDT, and
 * the handful of static tables the platform layer needs (MADT, FADT, HPET,
 * MCFG), plus the \_S5 sleep type values from the DSDT/SSDT AML.
 *
 * acpi_init() runs once on the boot CPU and fills one struct acpi_info;
 * after that the structure is read-only ([I] immutable after init), so
 * readers need no lock.  Fields the firmware did not provide are 0 and
 * the matching have_* flag is false.
 */
#ifndef DRIVERS_ACPI_H
#define DRIVERS_ACPI_H

#include "include/compiler.h"

struct boot_info;

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_LAPIC_NMIS 8
#define ACPI_MAX_MCFG 4

/* Generic Address Structure (ACPI 6.5, 5.2.3.2), as decoded. */
struct acpi_gas {
	uint8_t space;          /* ACPI_GAS_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;    /* 0 undefined, 1 byte .. 4 qword */
	uint64_t address;       /* 0: register absent */
};

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI_CONFIG 2

/* MPS INTI flags of interrupt source overrides and NMI entries
 * (ACPI 6.5, table 5.50). */
#define ACPI_INTI_POLARITY_MASK 0x3
#define ACPI_INTI_ACTIVE_HIGH 0x1
#define ACPI_INTI_ACTIVE_LOW 0x3
#define ACPI_INTI_TRIGGER_MASK 0xc
#define ACPI_INTI_EDGE 0x4
#define ACPI_INTI_LEVEL 0xc

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid;           /* ACPI processor UID */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;       /* physical MMIO base */
	uint32_t gsi_base;
};

/* ISA IRQ @source is wired to @gsi with polarity/trigger @flags. */
struct acpi_override {
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;         /* ACPI_INTI_* */
};

/* Local APIC LINT@lint of processor @uid (0xff: all) is an NMI. */
struct acpi_lapic_nmi {
	uint32_t uid;
	uint16_t flags;
	uint8_t lint;
};

/* One PCI Express ECAM window (MCFG, PCI Firmware spec 3.0, 4.1.2). */
struct acpi_mcfg_segment {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_info {
	bool present;                   /* a valid RSDP was found */
	uint8_t revision;               /* RSDP revision (0: ACPI 1.0) */
	char oem_id[7];

	/* MADT */
	bool have_madt;
	uint64_t lapic_address;         /* with the 64-bit override applied */
	bool pcat_compat;               /* legacy 8259s present */
	unsigned cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	unsigned lapic_nmi_count;
	struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMIS];

	/* FADT */
	bool have_fadt;
	uint32_t fadt_flags;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable;
	struct acpi_gas pm1a_cnt, pm1b_cnt;
	bool have_reset;                /* RESET_REG_SUP and a usable reg */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint8_t century;                /* CMOS index of the century, or 0 */
	uint16_t iapc_boot_arch;
	uint64_t dsdt;                  /* physical address */

	/* \_S5 from the AML */
	bool have_s5;
	uint8_t slp_typ_a, slp_typ_b;

	/* HPET */
	bool have_hpet;
	uint64_t hpet_address;

	/* MCFG */
	unsigned mcfg_count;
	struct acpi_mcfg_segment mcfg[ACPI_MAX_MCFG];
};

#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED (1u << 20)
#define ACPI_BOOT_ARCH_8042 (1u << 1)

/* What acpi_init() found; never NULL (all zero without ACPI). */
const struct acpi_info *acpi_get(void);

/* Locate and parse the ACPI tables.  0, or -ENODEV without valid ACPI. */
int acpi_init(const struct boot_info *bi);

/*
 * Find the @index-th (0-based) valid table with signature @sig; returns
 * its mapped header (length bytes readable, checksum verified) or NULL.
 */
const void *acpi_find_table(const char sig[4], unsigned index);

/*
 * Decode the \_S5 package from the AML bytes @aml (@len bytes).  Stores
 * the SLP_TYPa/b values and returns 0, or -ENOENT if there is no _S5
 * object, -EINVAL if it is malformed.  Pure code (host-testable).
 */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a,
		     uint8_t *slp_typ_b);

#endif
