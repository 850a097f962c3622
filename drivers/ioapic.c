/*
 * IOAPICs (Intel 82093AA datasheet, section 3).  Each IOAPIC serves the
 * GSIs gsi_base .. gsi_base + entries - 1 listed in the MADT; its
 * registers are reached through the IOREGSEL/IOWIN pair, so every access
 * is a select-then-read/write sequence that must not be interleaved.
 *
 * Model: ioapic_init() masks every redirection entry; drivers route a GSI
 * (or an ISA IRQ, which first goes through the MADT interrupt source
 * overrides) to a vector, then unmask it once their handler is installed.
 * Interrupts are delivered in fixed, physical mode to the boot CPU.
 *
 * Locking: ioapic_lock (irqsave) protects the IOREGSEL/IOWIN sequences of
 * all IOAPICs.  The ioapics[] table is [I] after ioapic_init().
 */
#include "drivers/apic.h"
#include "drivers/acpi.h"
#include "cpu/cpu.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "mm/mm.h"
#include "sched/spinlock.h"

#define IOREGSEL 0x00
#define IOWIN 0x10

#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_REDTBL(n) (0x10 + 2 * (n))

/* Redirection entry bits (82093AA, 3.2.4). */
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)
#define RTE_DEST_SHIFT 56

struct ioapic {
	volatile uint32_t *regs;        /* [I] */
	uint32_t gsi_base;              /* [I] */
	unsigned entries;               /* [I] redirection entries */
	uint8_t id;                     /* [I] */
};

static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");
static struct ioapic ioapics[ACPI_MAX_IOAPICS];        /* [I] */
static unsigned ioapic_count;                           /* [I] */
static uint8_t boot_apic_id;    /* [I] destination of every entry */

/* The register window (0x20 bytes) of the IOAPIC at @pa. */
static volatile uint32_t *mmio_map(paddr_t pa)
{
	uint8_t *page = vmm_map_mmio(ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE);

	return page ? (volatile uint32_t *)(page + (pa & (PAGE_SIZE - 1)))
		    : NULL;
}

static uint32_t ioapic_read(struct ioapic *io, unsigned reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void ioapic_write(struct ioapic *io, unsigned reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

static struct ioapic *ioapic_for_gsi(uint32_t gsi)
{
	for (unsigned i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];
		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->entries)
			return io;
	}
	return NULL;
}

/* Write a whole entry, low half (with the mask bit) last when unmasking. */
static void rte_write(struct ioapic *io, unsigned pin, uint64_t rte)
{
	ioapic_write(io, IOAPIC_REG_REDTBL(pin), RTE_MASKED);
	ioapic_write(io, IOAPIC_REG_REDTBL(pin) + 1, (uint32_t)(rte >> 32));
	ioapic_write(io, IOAPIC_REG_REDTBL(pin), (uint32_t)rte);
}

int ioapic_init(void)
{
	const struct acpi_info *ai = acpi_get();

	boot_apic_id = (uint8_t)lapic_id();
	for (unsigned i = 0; i < ai->ioapic_count; i++) {
		const struct acpi_ioapic *a = &ai->ioapics[i];
		struct ioapic *io = &ioapics[ioapic_count];

		io->regs = mmio_map(a->address);
		if (!io->regs) {
			pr_err("ioapic: cannot map 0x%x\n", a->address);
			continue;
		}
		io->gsi_base = a->gsi_base;
		io->id = a->id;
		io->entries = ((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		for (unsigned pin = 0; pin < io->entries; pin++)
			rte_write(io, pin, RTE_MASKED);
		pr_info("ioapic: id %u at 0x%x, GSI %u-%u, all masked\n", io->id,
			a->address, io->gsi_base, io->gsi_base + io->entries - 1);
		ioapic_count++;
	}
	return ioapic_count ? 0 : -ENODEV;
}

long ioapic_isa_irq_to_gsi(unsigned irq, unsigned *flags)
{
	const struct acpi_info *ai = acpi_get();

	if (irq >= ISA_IRQ_COUNT)
		return -EINVAL;
	*flags = 0;     /* ISA default: active high, edge */
	for (unsigned i = 0; i < ai->override_count; i++) {
		const struct acpi_override *o = &ai->overrides[i];
		if (o->source != irq)
			continue;
		if ((o->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW)
			*flags |= IRQ_ACTIVE_LOW;
		if ((o->flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL)
			*flags |= IRQ_LEVEL;
		return o->gsi;
	}
	return irq;
}

int ioapic_route_gsi(uint32_t gsi, uint8_t vector, unsigned flags)
{
	struct ioapic *io = ioapic_for_gsi(gsi);
	uint64_t rte, irqflags;

	if (vector < VECTOR_IRQ_BASE || vector > VECTOR_IRQ_LAST)
		return -EINVAL;
	if (!io)
		return -ENODEV;
	rte = vector | RTE_MASKED | (uint64_t)boot_apic_id << RTE_DEST_SHIFT;
	if (flags & IRQ_ACTIVE_LOW)
		rte |= RTE_ACTIVE_LOW;
	if (flags & IRQ_LEVEL)
		rte |= RTE_LEVEL;
	irqflags = spin_lock_irqsave(&ioapic_lock);
	rte_write(io, gsi - io->gsi_base, rte);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return 0;
}

long ioapic_route_isa_irq(unsigned irq, uint8_t vector)
{
	unsigned flags;
	long gsi = ioapic_isa_irq_to_gsi(irq, &flags);
	int err;

	if (gsi < 0)
		return gsi;
	err = ioapic_route_gsi((uint32_t)gsi, vector, flags);
	return err ? err : gsi;
}

static int ioapic_set_mask(uint32_t gsi, bool masked)
{
	struct ioapic *io = ioapic_for_gsi(gsi);
	unsigned reg;
	uint64_t irqflags;
	uint32_t lo;

	if (!io)
		return -ENODEV;
	reg = IOAPIC_REG_REDTBL(gsi - io->gsi_base);
	irqflags = spin_lock_irqsave(&ioapic_lock);
	lo = ioapic_read(io, reg);
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioapic_write(io, reg, lo);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return 0;
}

int ioapic_mask_gsi(uint32_t gsi)
{
	return ioapic_set_mask(gsi, true);
}

int ioapic_unmask_gsi(uint32_t gsi)
{
	return ioapic_set_mask(gsi, false);
}
