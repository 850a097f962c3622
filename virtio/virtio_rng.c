/*
 * virtio-rng (virtio 1.2, 5.4): entropy from the host seeds the kernel's
 * random generator.  One request of RNG_BYTES device-writable bytes at
 * probe time; its completion (interrupt context) mixes what the device
 * wrote into the pool (random_mix) and ends there: the generator needs a
 * seed, not a stream.
 *
 * Locking: the single request is made by the probe before DRIVER_OK and
 * completed once by the interrupt handler; no lock is needed.
 */
#include "virtio/virtio.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "vfs/internal.h"

#define RNG_BYTES 64

struct vrng {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	uint8_t buf[RNG_BYTES];         /* written by the device */
	bool done;
};

static void vrng_done(struct virtqueue *vq)
{
	struct vrng *r = ((struct virtio_device *)vq->priv)->priv;
	uint32_t len = 0;

	if (r->done || !virtq_get_used(vq, &len))
		return;
	r->done = true;
	len = MIN(len, (uint32_t)RNG_BYTES);
	random_mix(r->buf, len);
	memset(r->buf, 0, sizeof(r->buf));
	pr_info("virtio_rng: mixed %u bytes from the host into the pool\n",
		len);
}

static int vrng_probe(struct virtio_device *vdev)
{
	struct vrng *r;
	struct virtq_buf b;
	int err;

	err = virtio_negotiate(vdev, 0);
	if (err)
		return err;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->vdev = vdev;
	vdev->priv = r;
	r->vq = virtio_setup_vq(vdev, 0, 8, vrng_done);
	if (!r->vq)
		return -ENODEV;
	b = (struct virtq_buf){ VIRT_TO_PHYS(r->buf), RNG_BYTES, true };
	err = virtq_add(r->vq, &b, 1, r, NULL);
	if (err)
		return err;
	err = virtio_device_ready(vdev);
	if (err)
		return err;
	if (virtq_kick_prepare(r->vq))
		virtio_notify(vdev, r->vq);
	return 0;
}

static const struct virtio_driver vrng_driver = {
	.name = "virtio_rng",
	.type = VIRTIO_ID_RNG,
	.probe = vrng_probe,
};

void virtio_rng_init(void)
{
	virtio_register_driver(&vrng_driver);
}
