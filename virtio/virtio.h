/*
 * Virtio devices over the modern PCI transport (virtio 1.2, 4.1): the
 * device-independent part a device driver (virtio_blk.c) uses.
 *
 * Model: virtio_pci_init() registers a PCI driver for vendor 0x1af4,
 * devices 0x1040-0x107f (modern only: VERSION_1 is required).  For each
 * it finds the common/notify/ISR/device-config capabilities, resets the
 * device, sets ACKNOWLEDGE|DRIVER and hands it to the virtio driver of
 * its device type, which negotiates features, sets up queues and sets
 * DRIVER_OK.  Interrupts: MSI-X (vector 0 for configuration changes, one
 * per queue when the device has enough entries, else all on one), or the
 * INTx line, whose handler reads the ISR register.
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include "include/compiler.h"
#include "virtio/virtqueue.h"

struct pci_dev;

#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4

/* Device-independent feature bits (virtio 1.2, 6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_MAX_QUEUES 4

struct virtio_device;
typedef void (*virtio_vq_callback)(struct virtqueue *vq);

struct virtio_device {
	struct pci_dev *pci;                    /* [I] */
	unsigned type;                          /* [I] VIRTIO_ID_* */
	volatile uint8_t *common;               /* [I] common config */
	volatile uint8_t *isr;                  /* [I] */
	volatile uint8_t *device_cfg;           /* [I] */
	volatile uint8_t *notify_base;          /* [I] */
	uint32_t notify_mult;                   /* [I] */
	uint64_t features;                      /* [I] after negotiation */
	unsigned nr_vectors;                    /* [I] 0: INTx */
	unsigned nvqs;                          /* [I] */
	struct virtqueue *vqs[VIRTIO_MAX_QUEUES];       /* [I] */
	virtio_vq_callback callbacks[VIRTIO_MAX_QUEUES]; /* [I] */
	void *priv;                             /* the device driver's */
};

struct virtio_driver {
	const char *name;
	unsigned type;                          /* VIRTIO_ID_* */
	int (*probe)(struct virtio_device *vdev);
};

/* Register the virtio-blk / virtio-rng drivers (before virtio_pci_init). */
void virtio_blk_init(void);
void virtio_rng_init(void);
/* Register the PCI transport (after pci_init and the device drivers). */
void virtio_pci_init(void);
/* Register a device driver; at most a few, before virtio_pci_init. */
int virtio_register_driver(const struct virtio_driver *drv);

static inline bool virtio_has_feature(const struct virtio_device *v,
				      unsigned bit)
{
	return v->features & (1ull << bit);
}
/*
 * Negotiate: accept the offered features among @wanted (VERSION_1 is
 * always wanted and required), set FEATURES_OK and check the device kept
 * it.  0, or -ENODEV.  The result is in vdev->features.
 */
int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted);
/* Set up queue @index with up to @max_size entries and callback @cb
 * (interrupt context).  The queue or NULL. */
struct virtqueue *virtio_setup_vq(struct virtio_device *vdev, unsigned index,
				  unsigned max_size, virtio_vq_callback cb);
/* Interrupts on, DRIVER_OK set: the device is live.  0 or -errno. */
int virtio_device_ready(struct virtio_device *vdev);
/* Tell the device about new buffers in @vq. */
void virtio_notify(struct virtio_device *vdev, struct virtqueue *vq);
/* Mark the device FAILED (the driver gives up on it). */
void virtio_fail(struct virtio_device *vdev);

/* Device-specific configuration, read with the generation check. */
uint8_t virtio_cfg_read8(struct virtio_device *vdev, unsigned off);
uint16_t virtio_cfg_read16(struct virtio_device *vdev, unsigned off);
uint32_t virtio_cfg_read32(struct virtio_device *vdev, unsigned off);
uint64_t virtio_cfg_read64(struct virtio_device *vdev, unsigned off);

#endif
