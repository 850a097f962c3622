/*
 * PCI bus (PCI Local Bus 3.0, PCI Express Base 4.0 7.2.2 for ECAM).
 *
 * Configuration space goes through the ECAM window of segment 0 from the
 * ACPI MCFG (each bus's 1 MiB mapped on first use), or through the
 * 0xcf8/0xcfc port pair when there is no MCFG (QEMU's pc machine).
 * Enumeration starts at bus 0 and follows the secondary bus of every
 * PCI-to-PCI bridge; each function found is logged like Linux's
 * "pci 0000:00:04.0: [1af4:1042] type 00 class 0x010000".  BARs are
 * sized (decoding off meanwhile) but left where the firmware put them.
 *
 * Interrupts: MSI-X (the table in its BAR, one vector per entry), MSI
 * (one vector), or the INTx line from config 0x3c through the IOAPIC,
 * level triggered and active high as QEMU wires PCI interrupts; INTx
 * lines may be shared, so each line keeps a list of handlers that are
 * all called.  Every interrupt ends with the local APIC EOI here.
 *
 * Locking: cfg_lock (irqsave) makes each port-I/O config access atomic
 * (ECAM accesses are single loads and stores).  The device list is
 * written during pci_init only; drivers register from kinit, one at a
 * time (drivers_lock serializes claiming).  INTx handler lists are
 * built before the line is unmasked and only appended to under
 * intx_lock.
 */
#include "drivers/pci.h"
#include "drivers/acpi.h"
#include "drivers/apic.h"
#include "cpu/cpu.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

#define CFG_ADDR 0xcf8
#define CFG_DATA 0xcfc
#define MAX_BUSES 256
#define MSI_ADDR_BASE 0xfee00000u

static struct spinlock cfg_lock = SPINLOCK_INIT("pci_cfg");
static uint64_t ecam_base;                      /* [I] 0: port I/O */
static uint8_t ecam_bus_start, ecam_bus_end;    /* [I] */
static volatile uint8_t *ecam_bus[MAX_BUSES];   /* [cfg_lock] mappings */
static struct list_node pci_devices = LIST_HEAD_INIT(pci_devices);
static struct mutex drivers_lock = MUTEX_INIT(drivers_lock, "pci_drivers");

/* ---- configuration space ---- */

static volatile uint8_t *ecam_addr(unsigned bus, unsigned dev, unsigned fn,
				   unsigned off)
{
	volatile uint8_t *base;

	if (!ecam_base || bus < ecam_bus_start || bus > ecam_bus_end)
		return NULL;
	base = ecam_bus[bus];
	if (!base) {
		uint64_t irq = spin_lock_irqsave(&cfg_lock);

		base = ecam_bus[bus];
		if (!base) {
			base = vmm_map_mmio(ecam_base +
					    ((uint64_t)(bus - ecam_bus_start) << 20),
					    1u << 20);
			ecam_bus[bus] = base;
		}
		spin_unlock_irqrestore(&cfg_lock, irq);
		if (!base)
			return NULL;
	}
	return base + (dev << 15 | fn << 12 | off);
}

static uint32_t port_addr(unsigned bus, unsigned dev, unsigned fn,
			  unsigned off)
{
	return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

/* Read @size (1, 2, 4) bytes of config space; all ones when absent. */
static uint32_t cfg_read(unsigned bus, unsigned dev, unsigned fn,
			 unsigned off, unsigned size)
{
	volatile uint8_t *p = ecam_addr(bus, dev, fn, off);
	uint64_t irq;
	uint32_t v;

	if (p)
		return size == 1 ? *p : size == 2 ? *(volatile uint16_t *)p
						  : *(volatile uint32_t *)p;
	if (off >= 256)
		return 0xffffffffu;
	irq = spin_lock_irqsave(&cfg_lock);
	outl(CFG_ADDR, port_addr(bus, dev, fn, off));
	if (size == 1)
		v = inb(CFG_DATA + (off & 3));
	else if (size == 2)
		v = inw(CFG_DATA + (off & 2));
	else
		v = inl(CFG_DATA);
	spin_unlock_irqrestore(&cfg_lock, irq);
	return v;
}

static void cfg_write(unsigned bus, unsigned dev, unsigned fn, unsigned off,
		      unsigned size, uint32_t v)
{
	volatile uint8_t *p = ecam_addr(bus, dev, fn, off);
	uint64_t irq;

	if (p) {
		if (size == 1)
			*p = (uint8_t)v;
		else if (size == 2)
			*(volatile uint16_t *)p = (uint16_t)v;
		else
			*(volatile uint32_t *)p = v;
		return;
	}
	if (off >= 256)
		return;
	irq = spin_lock_irqsave(&cfg_lock);
	outl(CFG_ADDR, port_addr(bus, dev, fn, off));
	if (size == 1)
		outb(CFG_DATA + (off & 3), (uint8_t)v);
	else if (size == 2)
		outw(CFG_DATA + (off & 2), (uint16_t)v);
	else
		outl(CFG_DATA, v);
	spin_unlock_irqrestore(&cfg_lock, irq);
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)cfg_read(d->bus, d->dev, d->fn, off, 1);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)cfg_read(d->bus, d->dev, d->fn, off, 2);
}

uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	return cfg_read(d->bus, d->dev, d->fn, off, 4);
}

void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
	cfg_write(d->bus, d->dev, d->fn, off, 1, v);
}

void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	cfg_write(d->bus, d->dev, d->fn, off, 2, v);
}

void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	cfg_write(d->bus, d->dev, d->fn, off, 4, v);
}

const char *pci_name(const struct pci_dev *d, char *buf)
{
	format_snprintf(buf, 13, "0000:%02x:%02x.%u", d->bus, d->dev, d->fn);
	return buf;
}

uint8_t pci_find_capability(const struct pci_dev *d, uint8_t id,
			    uint8_t from)
{
	uint8_t pos;
	int guard = 48;         /* a looping list ends here */

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = from ? pci_read8(d, from + 1) : pci_read8(d, PCI_CAPABILITY_LIST);
	while (pos >= 0x40 && guard--) {
		pos &= ~3;
		if (pci_read8(d, pos) == id)
			return pos;
		pos = pci_read8(d, pos + 1);
	}
	return 0;
}

void pci_enable_device(struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	pci_write16(d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY |
		    PCI_COMMAND_MASTER);
}

void *pci_map_bar(struct pci_dev *d, unsigned bar)
{
	struct pci_bar *b;

	if (bar >= 6)
		return NULL;
	b = &d->bars[bar];
	if (b->io || !b->base || !b->size)
		return NULL;
	if (!b->va)
		b->va = vmm_map_mmio(b->base, b->size);
	return b->va;
}

/* ---- enumeration ---- */

/* Size BAR @i of @d; returns how many BAR slots it used (2 for 64-bit). */
static unsigned probe_bar(struct pci_dev *d, unsigned i)
{
	unsigned off = PCI_BAR0 + 4 * i;
	uint32_t lo = pci_read32(d, off), mask_lo, hi = 0, mask_hi = 0;
	struct pci_bar *b = &d->bars[i];
	uint64_t mask;

	pci_write32(d, off, 0xffffffffu);
	mask_lo = pci_read32(d, off);
	pci_write32(d, off, lo);
	if (lo & 1) {
		b->io = true;
		b->base = lo & ~3u;
		mask = (mask_lo & ~3u) | 0xffff0000u;
		b->size = mask_lo ? (uint32_t)(~mask + 1) : 0;
		return 1;
	}
	b->prefetch = lo & 8;
	b->is64 = ((lo >> 1) & 3) == 2;
	if (b->is64 && i < 5) {
		hi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, 0xffffffffu);
		mask_hi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, hi);
	} else if (b->is64) {
		b->is64 = false;        /* malformed: no upper half */
	}
	mask = ((uint64_t)(b->is64 ? mask_hi : 0xffffffffu) << 32) |
	       (mask_lo & ~0xfu);
	b->base = ((uint64_t)hi << 32) | (lo & ~0xfu);
	b->size = (mask_lo & ~0xfu) ? ~mask + 1 : 0;
	return b->is64 ? 2 : 1;
}

static void log_bar(const struct pci_dev *d, unsigned i, const char *name)
{
	const struct pci_bar *b = &d->bars[i];

	if (!b->size)
		return;
	pr_info("pci %s: BAR %u: [%s %#llx-%#llx%s%s]\n", name, i,
		b->io ? "io" : "mem", (unsigned long long)b->base,
		(unsigned long long)(b->base + b->size - 1),
		b->is64 ? " 64bit" : "", b->prefetch ? " pref" : "");
}

static void scan_bus(unsigned bus, int depth);

static void add_function(unsigned bus, unsigned dev, unsigned fn,
			 int depth)
{
	struct pci_dev *d = kzalloc(sizeof(*d));
	unsigned nbars;
	uint16_t cmd;
	char name[16];

	if (!d) {
		pr_err("pci: out of memory\n");
		return;
	}
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->vendor = pci_read16(d, PCI_VENDOR_ID);
	d->device = pci_read16(d, PCI_DEVICE_ID);
	d->class_rev = pci_read32(d, PCI_CLASS_REVISION);
	d->header_type = pci_read8(d, PCI_HEADER_TYPE) & 0x7f;
	d->irq_line = pci_read8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_read8(d, PCI_INTERRUPT_PIN);
	pr_info("pci %s: [%04x:%04x] type %02x class %#08x\n",
		pci_name(d, name), d->vendor, d->device, d->header_type,
		d->class_rev >> 8);
	nbars = d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
	if (d->header_type == 0) {
		d->subsys_vendor = pci_read16(d, PCI_SUBSYSTEM_VENDOR_ID);
		d->subsys_device = pci_read16(d, PCI_SUBSYSTEM_ID);
	}
	/* Decoding off while the BARs hold all ones. */
	cmd = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND,
		    cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned i = 0; i < nbars;)
		i += probe_bar(d, i);
	pci_write16(d, PCI_COMMAND, cmd);
	for (unsigned i = 0; i < nbars; i++)
		log_bar(d, i, name);
	list_add_tail(&d->node, &pci_devices);
	if (d->header_type == 1 && depth < 8) {
		unsigned sec = pci_read8(d, PCI_SECONDARY_BUS);
		if (sec > bus)
			scan_bus(sec, depth + 1);
	}
}

static void scan_bus(unsigned bus, int depth)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		unsigned nfn = 1;

		if ((uint16_t)cfg_read(bus, dev, 0, PCI_VENDOR_ID, 2) == 0xffff)
			continue;
		if (cfg_read(bus, dev, 0, PCI_HEADER_TYPE, 1) & 0x80)
			nfn = 8;
		for (unsigned fn = 0; fn < nfn; fn++)
			if ((uint16_t)cfg_read(bus, dev, fn, PCI_VENDOR_ID, 2) !=
			    0xffff)
				add_function(bus, dev, fn, depth);
	}
}

void pci_init(void)
{
	const struct acpi_info *ai = acpi_get();

	for (unsigned i = 0; i < ai->mcfg_count; i++) {
		if (ai->mcfg[i].segment == 0 && ai->mcfg[i].bus_start == 0) {
			ecam_base = ai->mcfg[i].base;
			ecam_bus_start = ai->mcfg[i].bus_start;
			ecam_bus_end = ai->mcfg[i].bus_end;
		}
	}
	if (ecam_base)
		pr_info("pci: ECAM at %#llx for buses %02x-%02x\n",
			(unsigned long long)ecam_base, ecam_bus_start,
			ecam_bus_end);
	else
		pr_info("pci: configuration through ports 0xcf8/0xcfc\n");
	scan_bus(0, 0);
}

int pci_register_driver(const struct pci_driver *drv)
{
	struct list_node *n;

	mutex_lock(&drivers_lock);
	list_for_each(n, &pci_devices) {
		struct pci_dev *d = list_entry(n, struct pci_dev, node);
		char name[16];

		if (d->driver)
			continue;
		for (const struct pci_device_id *id = drv->ids; id->vendor; id++) {
			int err;

			if (id->vendor != d->vendor ||
			    (id->device != PCI_ANY_ID && id->device != d->device))
				continue;
			d->driver = drv;
			err = drv->probe(d, id);
			if (err) {
				d->driver = NULL;
				pr_warn("pci %s: %s: probe failed (%d)\n",
					pci_name(d, name), drv->name, err);
			}
			break;
		}
	}
	mutex_unlock(&drivers_lock);
	return 0;
}

/* ---- interrupts ---- */

#define INTX_MAX_LINES 16
#define INTX_MAX_HANDLERS 8

struct intx_line {
	uint32_t gsi;
	uint8_t vector;
	unsigned count;
	struct { pci_irq_fn fn; void *arg; } h[INTX_MAX_HANDLERS];
};

static struct spinlock intx_lock = SPINLOCK_INIT("pci_intx");
static struct intx_line intx_lines[INTX_MAX_LINES];     /* [intx_lock] */
static unsigned intx_count;                             /* [intx_lock] */

struct vector_handler {
	pci_irq_fn fn;
	void *arg;
};

static void msi_irq(struct trap_frame *tf, void *arg)
{
	struct vector_handler *vh = arg;

	vh->fn(vh->arg);
	lapic_eoi();
}

static void intx_irq(struct trap_frame *tf, void *arg)
{
	struct intx_line *l = arg;
	unsigned count = READ_ONCE(l->count);

	for (unsigned i = 0; i < count; i++)
		l->h[i].fn(l->h[i].arg);
	lapic_eoi();
}

static uint32_t msi_address(void)
{
	return MSI_ADDR_BASE | (lapic_id() & 0xff) << 12;
}

static int setup_msix(struct pci_dev *d, uint8_t cap, unsigned want)
{
	uint16_t ctrl = pci_read16(d, cap + 2);
	unsigned table_size = (ctrl & 0x7ff) + 1;
	uint32_t tbl = pci_read32(d, cap + 4);
	uint8_t *bar = pci_map_bar(d, tbl & 7);
	unsigned n = MIN(MIN(want, table_size), ARRAY_SIZE(d->vectors));

	if (!bar)
		return -ENODEV;
	d->msix_table = (volatile uint32_t *)(bar + (tbl & ~7u));
	for (unsigned i = 0; i < n; i++) {
		int v = irq_vector_alloc();

		if (v < 0)
			return v;
		d->vectors[i] = (uint8_t)v;
		d->msix_table[4 * i + 0] = msi_address();
		d->msix_table[4 * i + 1] = 0;
		d->msix_table[4 * i + 2] = (uint32_t)v;
		d->msix_table[4 * i + 3] = 1;   /* masked until a handler */
	}
	d->nr_vectors = n;
	d->irq_mode = PCI_IRQ_MSIX;
	/* Enable, no function mask; INTx off. */
	pci_write16(d, cap + 2, (ctrl | 0x8000) & ~0x4000);
	pci_write16(d, PCI_COMMAND,
		    pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	return (int)n;
}

static int setup_msi(struct pci_dev *d, uint8_t cap)
{
	uint16_t ctrl = pci_read16(d, cap + 2);
	int v = irq_vector_alloc();

	if (v < 0)
		return v;
	d->vectors[0] = (uint8_t)v;
	pci_write32(d, cap + 4, msi_address());
	if (ctrl & 0x80) {              /* 64-bit address */
		pci_write32(d, cap + 8, 0);
		pci_write16(d, cap + 12, (uint16_t)v);
	} else {
		pci_write16(d, cap + 8, (uint16_t)v);
	}
	d->nr_vectors = 1;
	d->irq_mode = PCI_IRQ_MSI;
	/* One message (multiple message enable 0); enabled with the
	 * handler. */
	pci_write16(d, cap + 2, ctrl & ~0x71);
	return 1;
}

static int setup_intx(struct pci_dev *d)
{
	uint64_t irq;
	struct intx_line *l = NULL;
	int v, err = 0;

	if (!d->irq_pin || d->irq_line == 0xff || d->irq_line == 0)
		return -ENODEV;
	irq = spin_lock_irqsave(&intx_lock);
	for (unsigned i = 0; i < intx_count; i++)
		if (intx_lines[i].gsi == d->irq_line)
			l = &intx_lines[i];
	if (!l && intx_count < INTX_MAX_LINES) {
		l = &intx_lines[intx_count++];
		l->gsi = d->irq_line;
		l->vector = 0;
	}
	spin_unlock_irqrestore(&intx_lock, irq);
	if (!l)
		return -ENOSPC;
	if (!l->vector) {
		v = irq_vector_alloc();
		if (v < 0)
			return v;
		l->vector = (uint8_t)v;
		irq_set_handler(l->vector, intx_irq, l);
		/* QEMU's PCI lines reach the IOAPIC pin of the ISA IRQ the
		 * firmware routed them to: level triggered, active high. */
		err = ioapic_route_gsi(l->gsi, l->vector, IRQ_LEVEL);
		if (err)
			return err;
	}
	d->vectors[0] = l->vector;
	d->nr_vectors = 1;
	d->irq_mode = PCI_IRQ_INTX;
	pci_write16(d, PCI_COMMAND,
		    pci_read16(d, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	return 1;
}

int pci_alloc_irqs(struct pci_dev *d, unsigned want)
{
	uint8_t cap;
	char name[16];
	int n;

	if (!want)
		return -EINVAL;
	cap = pci_find_capability(d, PCI_CAP_ID_MSIX, 0);
	if (cap && (n = setup_msix(d, cap, want)) > 0)
		goto out;
	cap = pci_find_capability(d, PCI_CAP_ID_MSI, 0);
	if (cap && (n = setup_msi(d, cap)) > 0)
		goto out;
	n = setup_intx(d);
	if (n < 0)
		return n;
out:
	pr_info("pci %s: %d %s interrupt%s\n", pci_name(d, name), n,
		d->irq_mode == PCI_IRQ_MSIX ? "MSI-X" :
		d->irq_mode == PCI_IRQ_MSI ? "MSI" : "INTx", n == 1 ? "" : "s");
	if (d->irq_mode == PCI_IRQ_INTX)
		pr_info("pci %s: INTx pin %c on IRQ %u\n", name,
			'A' + d->irq_pin - 1, d->irq_line);
	return n;
}

int pci_set_irq_handler(struct pci_dev *d, unsigned i, pci_irq_fn fn,
			void *arg)
{
	struct vector_handler *vh;
	uint8_t cap;

	if (i >= d->nr_vectors)
		return -EINVAL;
	if (d->irq_mode == PCI_IRQ_INTX) {
		struct intx_line *l = NULL;
		uint64_t irq = spin_lock_irqsave(&intx_lock);
		int err = 0;

		for (unsigned k = 0; k < intx_count; k++)
			if (intx_lines[k].vector == d->vectors[0])
				l = &intx_lines[k];
		if (!l || l->count == INTX_MAX_HANDLERS) {
			err = -ENOSPC;
		} else {
			l->h[l->count].fn = fn;
			l->h[l->count].arg = arg;
			WRITE_ONCE(l->count, l->count + 1);
		}
		spin_unlock_irqrestore(&intx_lock, irq);
		return err ? err : ioapic_unmask_gsi(l->gsi);
	}
	vh = kmalloc(sizeof(*vh));
	if (!vh)
		return -ENOMEM;
	vh->fn = fn;
	vh->arg = arg;
	irq_set_handler(d->vectors[i], msi_irq, vh);
	if (d->irq_mode == PCI_IRQ_MSIX) {
		d->msix_table[4 * i + 3] = 0;
	} else {
		cap = pci_find_capability(d, PCI_CAP_ID_MSI, 0);
		pci_write16(d, cap + 2, pci_read16(d, cap + 2) | 1);
		pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) |
			    PCI_COMMAND_INTX_DISABLE);
	}
	return 0;
}
