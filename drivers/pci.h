/*
 * PCI: configuration space (ECAM from the ACPI MCFG, else the 0xcf8/0xcfc
 * ports), enumeration of every bus behind the host bridge, BARs,
 * capabilities, interrupts (MSI-X, MSI, or the INTx line through the
 * IOAPIC) and a driver table matched by vendor/device id.
 *
 * Model: pci_init() enumerates once at boot (kinit thread) and keeps a
 * struct pci_dev per function for ever.  Drivers register with
 * pci_register_driver(); probe runs in the registering thread (it may
 * sleep) for every matching function not yet claimed.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include "include/compiler.h"
#include "include/list.h"

#define PCI_ANY_ID 0xffff

/* Standard configuration registers (PCI Local Bus 3.0, 6.1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_SECONDARY_BUS 0x19

#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_CAP_LIST 0x10

#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_MSIX 0x11

struct pci_bar {
	uint64_t base;          /* 0: not assigned */
	uint64_t size;
	bool io;                /* I/O space (else memory) */
	bool is64, prefetch;
	void *va;               /* [pci_map_bar] memory BARs, once mapped */
};

enum pci_irq_mode { PCI_IRQ_NONE, PCI_IRQ_INTX, PCI_IRQ_MSI, PCI_IRQ_MSIX };

/* Interrupt handler of a device: runs in interrupt context.  Returns
 * true if its device had something (INTx lines are shared). */
typedef bool (*pci_irq_fn)(void *arg);

/* Legend: [I] set by enumeration; [D] the driver that claimed it. */
struct pci_dev {
	uint8_t bus, dev, fn;                   /* [I] segment 0 only */
	uint16_t vendor, device;                /* [I] */
	uint16_t subsys_vendor, subsys_device;  /* [I] */
	uint32_t class_rev;                     /* [I] class << 8 | rev */
	uint8_t header_type;                    /* [I] without bit 7 */
	uint8_t irq_line, irq_pin;              /* [I] firmware's INTx line */
	struct pci_bar bars[6];                 /* [I] (va: [D]) */
	struct list_node node;                  /* [I] all devices */
	const struct pci_driver *driver;        /* [D] */
	void *driver_data;                      /* [D] */
	enum pci_irq_mode irq_mode;             /* [D] */
	unsigned nr_vectors;                    /* [D] */
	uint8_t vectors[32];                    /* [D] CPU vector of each */
	volatile uint32_t *msix_table;          /* [D] */
};

struct pci_device_id {
	uint16_t vendor, device;        /* PCI_ANY_ID matches any device */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *ids;        /* ends with vendor 0 */
	/* Claim @dev: 0, or -errno (the device stays unclaimed). */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
};

/* Enumerate every bus; logs each function.  Called once by kinit. */
void pci_init(void);
/* Register @drv and probe the matching unclaimed functions. */
int pci_register_driver(const struct pci_driver *drv);

/* Configuration space of @d (offset < 256, or < 4096 with ECAM). */
uint8_t pci_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* Offset of the first capability @id after @from (0: from the start),
 * or 0 when there is none. */
uint8_t pci_find_capability(const struct pci_dev *d, uint8_t id,
			    uint8_t from);
/* Enable memory decoding and bus mastering. */
void pci_enable_device(struct pci_dev *d);
/* The kernel mapping of memory BAR @bar (mapped on first use), or NULL
 * for an absent, unassigned or I/O BAR. */
void *pci_map_bar(struct pci_dev *d, unsigned bar);

/*
 * Set up interrupts: MSI-X with up to @want vectors if the device has
 * it, else MSI with one, else the INTx line (shared, one vector).
 * Returns the number of vectors (>= 1; index i for pci_set_irq_handler)
 */
int pci_alloc_irqs(struct pci_dev *d, unsigned want);
/* Install @fn(@arg) on vector index @i and unmask it.  0 or -errno. */
int pci_set_irq_handler(struct pci_dev *d, unsigned i, pci_irq_fn fn,
			void *arg);
/* "0000:00:04.0" into @buf (at least 13 bytes). */
const char *pci_name(const struct pci_dev *d, char *buf);

#endif
