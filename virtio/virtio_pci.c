/*
 * The virtio modern PCI transport (virtio 1.2, 4.1.4): capabilities,
 * common configuration, feature negotiation, queue setup, notification
 * and interrupts.  See virtio.h for the model.
 *
 * Locking: a device is set up by its probe alone; afterwards the common
 * configuration is not touched, queues are owned by their driver, and
 * the interrupt handlers only read [I] fields.
 */
#include "virtio/virtio.h"
#include "drivers/pci.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "mm/mm.h"

/* virtio_pci_cap.cfg_type (4.1.4). */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* struct virtio_pci_common_cfg (4.1.4.3). */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_MSIX_CONFIG 0x10
#define CC_NUM_QUEUES 0x12
#define CC_STATUS 0x14
#define CC_CFG_GENERATION 0x15
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_MSIX_VECTOR 0x1a
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOTIFY_OFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_DRIVER 0x28
#define CC_Q_DEVICE 0x30

#define VIRTIO_MSI_NO_VECTOR 0xffff
#define MAX_DRIVERS 4

static const struct virtio_driver *drivers[MAX_DRIVERS];        /* [I] */
static unsigned driver_count;                                   /* [I] */

int virtio_register_driver(const struct virtio_driver *drv)
{
	if (driver_count == MAX_DRIVERS)
		return -ENOSPC;
	drivers[driver_count++] = drv;
	return 0;
}

static uint8_t cc_read8(struct virtio_device *v, unsigned off)
{
	return v->common[off];
}

static uint16_t cc_read16(struct virtio_device *v, unsigned off)
{
	return *(volatile uint16_t *)(v->common + off);
}

static uint32_t cc_read32(struct virtio_device *v, unsigned off)
{
	return *(volatile uint32_t *)(v->common + off);
}

static void cc_write8(struct virtio_device *v, unsigned off, uint8_t x)
{
	v->common[off] = x;
}

static void cc_write16(struct virtio_device *v, unsigned off, uint16_t x)
{
	*(volatile uint16_t *)(v->common + off) = x;
}

static void cc_write32(struct virtio_device *v, unsigned off, uint32_t x)
{
	*(volatile uint32_t *)(v->common + off) = x;
}

static void cc_write64(struct virtio_device *v, unsigned off, uint64_t x)
{
	cc_write32(v, off, (uint32_t)x);
	cc_write32(v, off + 4, (uint32_t)(x >> 32));
}

static void set_status(struct virtio_device *v, uint8_t bits)
{
	cc_write8(v, CC_STATUS, cc_read8(v, CC_STATUS) | bits);
}

void virtio_fail(struct virtio_device *v)
{
	set_status(v, VIRTIO_STATUS_FAILED);
}

/* Read the @n-byte (1, 2, 4, 8) device config field at @off consistently
 * (4.1.4.3.1): again while the generation changes meanwhile. */
static uint64_t cfg_read(struct virtio_device *v, unsigned off, unsigned n)
{
	volatile uint8_t *p = v->device_cfg + off;
	uint64_t x;
	uint8_t gen;

	do {
		gen = cc_read8(v, CC_CFG_GENERATION);
		if (n == 1)
			x = *p;
		else if (n == 2)
			x = *(volatile uint16_t *)p;
		else if (n == 4)
			x = *(volatile uint32_t *)p;
		else
			x = *(volatile uint32_t *)p |
			    (uint64_t)*(volatile uint32_t *)(p + 4) << 32;
	} while (gen != cc_read8(v, CC_CFG_GENERATION));
	return x;
}

uint8_t virtio_cfg_read8(struct virtio_device *v, unsigned off)
{
	return (uint8_t)cfg_read(v, off, 1);
}

uint16_t virtio_cfg_read16(struct virtio_device *v, unsigned off)
{
	return (uint16_t)cfg_read(v, off, 2);
}

uint32_t virtio_cfg_read32(struct virtio_device *v, unsigned off)
{
	return (uint32_t)cfg_read(v, off, 4);
}

uint64_t virtio_cfg_read64(struct virtio_device *v, unsigned off)
{
	return cfg_read(v, off, 8);
}

int virtio_negotiate(struct virtio_device *v, uint64_t wanted)
{
	uint64_t offered;

	cc_write32(v, CC_DFSELECT, 0);
	offered = cc_read32(v, CC_DF);
	cc_write32(v, CC_DFSELECT, 1);
	offered |= (uint64_t)cc_read32(v, CC_DF) << 32;
	if (!(offered & (1ull << VIRTIO_F_VERSION_1)))
		return -ENODEV;
	v->features = offered & (wanted | 1ull << VIRTIO_F_VERSION_1);
	cc_write32(v, CC_GFSELECT, 0);
	cc_write32(v, CC_GF, (uint32_t)v->features);
	cc_write32(v, CC_GFSELECT, 1);
	cc_write32(v, CC_GF, (uint32_t)(v->features >> 32));
	set_status(v, VIRTIO_STATUS_FEATURES_OK);
	if (!(cc_read8(v, CC_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

/* The MSI-X entry of queue @index (0 is the configuration vector). */
static unsigned queue_vector(struct virtio_device *v, unsigned index)
{
	return v->nr_vectors > 1 + index ? 1 + index : v->nr_vectors - 1;
}

struct virtqueue *virtio_setup_vq(struct virtio_device *v, unsigned index,
				  unsigned max_size, virtio_vq_callback cb)
{
	struct virtqueue *vq;
	uint16_t size;

	if (index >= VIRTIO_MAX_QUEUES || index >= cc_read16(v, CC_NUM_QUEUES))
		return NULL;
	cc_write16(v, CC_Q_SELECT, (uint16_t)index);
	size = cc_read16(v, CC_Q_SIZE);
	if (!size)
		return NULL;
	while (size > max_size || (size & (size - 1)))
		size = (uint16_t)(1u << (31 - __builtin_clz(size - 1)));
	vq = virtq_create(index, size,
			  virtio_has_feature(v, VIRTIO_F_EVENT_IDX),
			  virtio_has_feature(v, VIRTIO_F_INDIRECT_DESC));
	if (!vq)
		return NULL;
	cc_write16(v, CC_Q_SIZE, size);
	cc_write64(v, CC_Q_DESC, vq->desc_pa);
	cc_write64(v, CC_Q_DRIVER, vq->avail_pa);
	cc_write64(v, CC_Q_DEVICE, vq->used_pa);
	if (v->nr_vectors) {
		cc_write16(v, CC_Q_MSIX_VECTOR, (uint16_t)queue_vector(v, index));
		if (cc_read16(v, CC_Q_MSIX_VECTOR) == VIRTIO_MSI_NO_VECTOR) {
			virtq_destroy(vq);
			return NULL;
		}
	}
	vq->notify = (volatile uint16_t *)(v->notify_base +
		(uint32_t)cc_read16(v, CC_Q_NOTIFY_OFF) * v->notify_mult);
	vq->priv = v;
	cc_write16(v, CC_Q_ENABLE, 1);
	v->vqs[index] = vq;
	v->callbacks[index] = cb;
	if (index >= v->nvqs)
		v->nvqs = index + 1;
	return vq;
}

void virtio_notify(struct virtio_device *v, struct virtqueue *vq)
{
	*vq->notify = (uint16_t)vq->index;
}

/* MSI-X vector 0: configuration changed (capacity, for example). */
static bool config_irq(void *arg)
{
	pr_info("virtio: configuration change\n");
	return true;
}

/* An MSI-X queue vector: every queue that uses it. */
static bool queue_irq(void *arg)
{
	struct virtio_device *v = arg;

	for (unsigned i = 0; i < v->nvqs; i++)
		if (v->vqs[i] && v->callbacks[i])
			v->callbacks[i](v->vqs[i]);
	return true;
}

/* INTx: reading the ISR status acknowledges it (4.1.4.5). */
static bool intx_irq(void *arg)
{
	struct virtio_device *v = arg;
	uint8_t isr = *v->isr;

	if (isr & 1)
		queue_irq(v);
	if (isr & 2)
		config_irq(v);
	return isr != 0;
}

int virtio_device_ready(struct virtio_device *v)
{
	int err;

	if (!v->nr_vectors) {
		err = pci_set_irq_handler(v->pci, 0, intx_irq, v);
	} else {
		err = pci_set_irq_handler(v->pci, 0, v->nr_vectors > 1 ?
					  config_irq : queue_irq, v);
		for (unsigned i = 1; !err && i < v->nr_vectors; i++)
			err = pci_set_irq_handler(v->pci, i, queue_irq, v);
	}
	if (err)
		return err;
	set_status(v, VIRTIO_STATUS_DRIVER_OK);
	return 0;
}

/* Map the structure a virtio capability at @cap points to. */
static volatile uint8_t *map_cap(struct pci_dev *d, uint8_t cap)
{
	uint8_t bar = pci_read8(d, cap + 4);
	uint32_t off = pci_read32(d, cap + 8), len = pci_read32(d, cap + 12);
	uint8_t *base = pci_map_bar(d, bar);

	if (!base || (uint64_t)off + len > d->bars[bar].size)
		return NULL;
	return base + off;
}

static int virtio_pci_probe(struct pci_dev *d, const struct pci_device_id *id)
{
	struct virtio_device *v;
	const struct virtio_driver *drv = NULL;
	uint8_t cap = 0;
	unsigned type;
	int n, err;

	/* Modern devices say their type in the device id (0x1040 + type);
	 * transitional ones (0x1000..0x103f, QEMU's default on plain PCI)
	 * in the subsystem device id (4.1.2.1).  Either is driven through
	 * the modern capabilities; a legacy-only device has none and is
	 * refused below. */
	if (d->device >= 0x1040 && d->device <= 0x107f)
		type = d->device - 0x1040;
	else if (d->device >= 0x1000 && d->device <= 0x103f)
		type = d->subsys_device;
	else
		return -ENODEV;
	for (unsigned i = 0; i < driver_count; i++)
		if (drivers[i]->type == type)
			drv = drivers[i];
	if (!drv)
		return -ENODEV;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->pci = d;
	v->type = type;
	pci_enable_device(d);
	while ((cap = pci_find_capability(d, PCI_CAP_ID_VNDR, cap)) != 0) {
		uint8_t cfg_type = pci_read8(d, cap + 3);

		if (cfg_type == CAP_COMMON && !v->common)
			v->common = map_cap(d, cap);
		else if (cfg_type == CAP_ISR && !v->isr)
			v->isr = map_cap(d, cap);
		else if (cfg_type == CAP_DEVICE && !v->device_cfg)
			v->device_cfg = map_cap(d, cap);
		else if (cfg_type == CAP_NOTIFY && !v->notify_base) {
			v->notify_base = map_cap(d, cap);
			v->notify_mult = pci_read32(d, cap + 16);
		}
	}
	err = -ENODEV;
	if (!v->common || !v->isr || !v->device_cfg || !v->notify_base)
		goto out;
	/* Reset, then ACKNOWLEDGE and DRIVER (3.1.1). */
	cc_write8(v, CC_STATUS, 0);
	while (cc_read8(v, CC_STATUS) != 0)
		;
	set_status(v, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(v, VIRTIO_STATUS_DRIVER);
	n = pci_alloc_irqs(d, 1 + VIRTIO_MAX_QUEUES);
	if (n < 0) {
		err = n;
		goto out_fail;
	}
	v->nr_vectors = d->irq_mode == PCI_IRQ_MSIX ? (unsigned)n : 0;
	if (v->nr_vectors) {
		cc_write16(v, CC_MSIX_CONFIG, 0);
		if (cc_read16(v, CC_MSIX_CONFIG) == VIRTIO_MSI_NO_VECTOR)
			goto out_fail;
	}
	err = drv->probe(v);
	if (err)
		goto out_fail;
	return 0;
out_fail:
	virtio_fail(v);
out:
	kfree(v);
	return err;
}

static const struct pci_device_id virtio_pci_ids[] = {
	{ 0x1af4, PCI_ANY_ID },
	{ 0, 0 },
};

static const struct pci_driver virtio_pci_driver = {
	.name = "virtio-pci",
	.ids = virtio_pci_ids,
	.probe = virtio_pci_probe,
};

void virtio_pci_init(void)
{
	pci_register_driver(&virtio_pci_driver);
}
