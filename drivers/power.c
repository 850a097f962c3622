/*
 * Machine power control.
 *
 * Power off enters ACPI S5 (ACPI 6.5, 7.4.2 and 16.1.7): switch the
 * machine to ACPI mode if the firmware left it in legacy mode (SMI_CMD,
 * 4.8.2.1), then write SLP_TYP from \_S5 together with SLP_EN to the PM1a
 * (and PM1b) control registers (4.8.3.2.1).  If that does not stop the
 * machine, the emulator-specific ports are tried, then the CPU halts.
 *
 * Reboot writes the FADT reset register (4.8.3.6) when the firmware says
 * it is supported, then pulses the 8042 reset line, then triple-faults.
 *
 * Both run with interrupts disabled and never return; they take no locks
 * (a dying system must not wait for one) and allocate nothing: registers
 * in memory space are mapped beforehand by power_init().  Before that
 * only the I/O port forms and the legacy fallbacks are available.
 */
#include "drivers/power.h"
#include "drivers/acpi.h"
#include "cpu/x86.h"
#include "lib/printk.h"
#include "mm/mm.h"
#include "time/clock.h"

#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN (1u << 13)

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

#define KBC_STATUS 0x64
#define KBC_STATUS_INPUT_FULL 0x02
#define KBC_CMD_RESET 0xfe

#define MS 1000000ull

/* Memory-space registers, mapped once by power_init().  [I] */
struct gas_mapping {
	uint64_t pa;
	volatile uint8_t *va;
};
static struct gas_mapping gas_maps[3];

/* Access width in bytes of @g: access_size if given, else bit_width. */
static unsigned gas_width(const struct acpi_gas *g)
{
	if (g->access_size >= 1 && g->access_size <= 4)
		return 1u << (g->access_size - 1);
	if (g->bit_width > 32)
		return 8;
	if (g->bit_width > 16)
		return 4;
	return g->bit_width > 8 ? 2 : 1;
}

/* PCI configuration space of bus 0 (ACPI 6.5, table 5.2 note). */
static void gas_pci_write(uint64_t addr, uint8_t v)
{
	uint32_t dev = (addr >> 32) & 0x1f, fn = (addr >> 16) & 7;
	uint32_t reg = addr & 0xff;

	outl(PCI_CONFIG_ADDRESS,
	     0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
	outb(PCI_CONFIG_DATA + (reg & 3), v);
}

/* The mapping of memory-space register @g, or NULL. */
static volatile void *gas_mmio(const struct acpi_gas *g)
{
	for (unsigned i = 0; i < ARRAY_SIZE(gas_maps); i++)
		if (gas_maps[i].va && gas_maps[i].pa == g->address)
			return gas_maps[i].va;
	return NULL;
}

static void gas_map(const struct acpi_gas *g, struct gas_mapping *m)
{
	uint64_t off = g->address & (PAGE_SIZE - 1);
	uint8_t *page;

	if (g->space != ACPI_GAS_MEMORY || !g->address || gas_mmio(g))
		return;
	/* Two pages if the register straddles a page boundary. */
	page = vmm_map_mmio(g->address - off,
			    off + 8 > PAGE_SIZE ? 2 * PAGE_SIZE : PAGE_SIZE);
	if (page) {
		m->pa = g->address;
		m->va = page + off;
	}
}

void power_init(void)
{
	const struct acpi_info *ai = acpi_get();

	gas_map(&ai->pm1a_cnt, &gas_maps[0]);
	gas_map(&ai->pm1b_cnt, &gas_maps[1]);
	if (ai->have_reset)
		gas_map(&ai->reset_reg, &gas_maps[2]);
}

static uint64_t gas_read(const struct acpi_gas *g)
{
	unsigned w = gas_width(g);
	volatile void *p;

	if (g->space == ACPI_GAS_IO) {
		uint16_t port = (uint16_t)g->address;
		return w == 1 ? inb(port) : w == 2 ? inw(port) : inl(port);
	}
	if (g->space == ACPI_GAS_MEMORY && (p = gas_mmio(g))) {
		switch (w) {
		case 1: return *(volatile uint8_t *)p;
		case 2: return *(volatile uint16_t *)p;
		case 4: return *(volatile uint32_t *)p;
		default: return *(volatile uint64_t *)p;
		}
	}
	return 0;
}

static void gas_write(const struct acpi_gas *g, uint64_t v)
{
	unsigned w = gas_width(g);
	volatile void *p;

	if (g->space == ACPI_GAS_IO) {
		uint16_t port = (uint16_t)g->address;
		if (w == 1)
			outb(port, (uint8_t)v);
		else if (w == 2)
			outw(port, (uint16_t)v);
		else
			outl(port, (uint32_t)v);
	} else if (g->space == ACPI_GAS_MEMORY && (p = gas_mmio(g))) {
		switch (w) {
		case 1: *(volatile uint8_t *)p = (uint8_t)v; break;
		case 2: *(volatile uint16_t *)p = (uint16_t)v; break;
		case 4: *(volatile uint32_t *)p = (uint32_t)v; break;
		default: *(volatile uint64_t *)p = v; break;
		}
	} else if (g->space == ACPI_GAS_PCI_CONFIG) {
		gas_pci_write(g->address, (uint8_t)v);
	}
}

static bool gas_usable(const struct acpi_gas *g)
{
	return g->address && (g->space == ACPI_GAS_IO ||
			      (g->space == ACPI_GAS_MEMORY && gas_mmio(g)));
}

/* Switch to ACPI mode if needed (ACPI 6.5, 4.8.2.1 and 16.3.1). */
static bool acpi_mode_enable(const struct acpi_info *ai)
{
	if (ai->fadt_flags & ACPI_FADT_HW_REDUCED)
		return true;
	if (gas_read(&ai->pm1a_cnt) & PM1_SCI_EN)
		return true;
	if (!ai->smi_cmd || !ai->acpi_enable)
		return false;
	outb((uint16_t)ai->smi_cmd, ai->acpi_enable);
	for (int i = 0; i < 3000; i++) {
		if (gas_read(&ai->pm1a_cnt) & PM1_SCI_EN) {
			pr_info("power: ACPI mode enabled through SMI_CMD\n");
			return true;
		}
		clock_busy_wait_ns(1 * MS);
	}
	return false;
}

static void pm1_sleep(const struct acpi_gas *g, uint8_t slp_typ)
{
	uint64_t v = gas_read(g);

	v &= ~(uint64_t)(PM1_SLP_TYP_MASK | PM1_SLP_EN);
	v |= (uint64_t)slp_typ << PM1_SLP_TYP_SHIFT | PM1_SLP_EN;
	gas_write(g, v);
}

static void acpi_power_off(void)
{
	const struct acpi_info *ai = acpi_get();

	if (!ai->have_fadt || !ai->have_s5 || !gas_usable(&ai->pm1a_cnt)) {
		pr_warn("power: ACPI S5 not available\n");
		return;
	}
	if (!acpi_mode_enable(ai))
		pr_warn("power: could not enable ACPI mode, trying anyway\n");
	pm1_sleep(&ai->pm1a_cnt, ai->slp_typ_a);
	if (gas_usable(&ai->pm1b_cnt))
		pm1_sleep(&ai->pm1b_cnt, ai->slp_typ_b);
	clock_busy_wait_ns(1000 * MS);
	pr_warn("power: ACPI S5 did not power off\n");
}

void power_off(void)
{
	irq_disable();
	pr_notice("power: powering off\n");
	acpi_power_off();
	/* Emulator shutdown ports: QEMU's old PIIX4 port and Bochs/QEMU. */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	clock_busy_wait_ns(100 * MS);
	pr_emerg("power: no way to power off, halting\n");
	for (;;)
		cpu_halt();
}

static void kbc_reset(void)
{
	for (int i = 0; i < 10000 && (inb(KBC_STATUS) & KBC_STATUS_INPUT_FULL);
	     i++)
		io_wait();
	outb(KBC_STATUS, KBC_CMD_RESET);
}

/* Load an empty IDT and raise an exception: the CPU shuts down (triple
 * fault), which resets the machine. */
static void __noreturn triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(idtr));
	for (;;)
		cpu_halt();
}

void power_reboot(void)
{
	const struct acpi_info *ai = acpi_get();

	irq_disable();
	pr_notice("power: rebooting\n");
	if (ai->have_reset && (gas_usable(&ai->reset_reg) ||
			       ai->reset_reg.space == ACPI_GAS_PCI_CONFIG)) {
		gas_write(&ai->reset_reg, ai->reset_value);
		clock_busy_wait_ns(500 * MS);
		pr_warn("power: ACPI reset register did not reset\n");
	}
	kbc_reset();
	clock_busy_wait_ns(500 * MS);
	triple_fault();
}
