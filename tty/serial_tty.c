/*
 * ttyS0: the COM1 16550 (drivers/serial.c) as a terminal, character
 * device 4:64, also behind /dev/console (5:1).
 *
 * Receive: the UART's data-available interrupt (ISA IRQ 4, routed
 * through the IOAPIC to SERIAL_VECTOR) empties the FIFO into a small raw
 * ring and wakes the "ttyS0-rx" thread, which feeds the line discipline
 * with tty_receive().  Running the ldisc in a thread, like Linux's flip
 * buffer work, means signals for ^C/^Z and echo happen in thread
 * context, so the process layer's locks need not be interrupt-safe.
 *
 * Transmit: polled, without locks, like the printk console; kernel
 * messages and tty output may interleave but never deadlock.
 *
 * Locking: rx_lock (irq-safe) protects the raw ring.
 */
#include "tty/tty.h"
#include "cpu/cpu.h"
#include "drivers/apic.h"
#include "drivers/serial.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "time/clock.h"

#define SERIAL_IRQ 4
#define SERIAL_VECTOR (VECTOR_IRQ_BASE + SERIAL_IRQ)  /* ISA IRQ n -> 0x30 + n */
#define TTYS_MAJOR 4
#define TTYS0_MINOR 64
#define RX_RING 1024            /* power of two */

static struct tty ttyS0;
static struct spinlock rx_lock = SPINLOCK_INIT("serial_rx");
static uint8_t rx_ring[RX_RING];        /* [rx_lock] */
static size_t rx_head, rx_tail;         /* [rx_lock] free running */
static unsigned long rx_dropped;        /* [rx_lock] ring overflows */
static struct wait_queue rx_wait = WAIT_QUEUE_INIT(rx_wait);

static size_t serial_tty_write(struct tty *tty, const uint8_t *buf, size_t n)
{
	serial_write_raw(buf, n);
	return n;
}

static size_t serial_tty_write_room(struct tty *tty)
{
	return SIZE_MAX;
}

static const struct tty_driver_ops serial_tty_ops = {
	.write = serial_tty_write,
	.write_room = serial_tty_write_room,
};

static void serial_irq(struct trap_frame *tf, void *arg)
{
	int c;

	spin_lock(&rx_lock);
	while ((c = serial_getc()) >= 0) {
		if (rx_head - rx_tail < RX_RING)
			rx_ring[rx_head++ % RX_RING] = (uint8_t)c;
		else
			rx_dropped++;
	}
	spin_unlock(&rx_lock);
	lapic_eoi();
	sched_wake_all(&rx_wait);
}

static bool rx_pending(void)
{
	return READ_ONCE(rx_head) != READ_ONCE(rx_tail);
}

/* Move bytes from the raw ring to the line discipline. */
static void serial_rx_thread(void *arg)
{
	for (;;) {
		uint8_t buf[64];
		size_t n = 0;
		uint64_t flags;

		wait_event_timeout(&rx_wait, rx_pending(), 0);
		flags = spin_lock_irqsave(&rx_lock);
		while (n < sizeof(buf) && rx_tail != rx_head)
			buf[n++] = rx_ring[rx_tail++ % RX_RING];
		spin_unlock_irqrestore(&rx_lock, flags);
		/* a full input ring drops what does not fit, as a UART
		 * without flow control would */
		tty_receive(&ttyS0, buf, n);
	}
}

struct tty *serial_tty(void)
{
	return &ttyS0;
}

void serial_tty_init(void)
{
	struct termios t;
	long gsi;

	ldisc_default_termios(&t);
	t.c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	tty_init(&ttyS0, "ttyS0", &serial_tty_ops, &t);
	ttyS0.major = TTYS_MAJOR;
	ttyS0.minor = TTYS0_MINOR;
	ttyS0.ispeed = ttyS0.ospeed = 115200;
	if (!serial_is_present())
		return;
	if (!thread_spawn("ttyS0-rx", serial_rx_thread, NULL)) {
		pr_err("ttyS0: cannot start the receive thread\n");
		return;
	}
	irq_set_handler(SERIAL_VECTOR, serial_irq, NULL);
	gsi = ioapic_route_isa_irq(SERIAL_IRQ, SERIAL_VECTOR);
	if (gsi < 0) {
		pr_warn("ttyS0: cannot route IRQ %d (%ld), no input\n",
			SERIAL_IRQ, gsi);
		return;
	}
	serial_rx_irq_enable(true);
	ioapic_unmask_gsi((uint32_t)gsi);
	pr_info("ttyS0: 16550 at 0x3f8, IRQ %d (GSI %ld, vector %#x)\n",
		SERIAL_IRQ, gsi, SERIAL_VECTOR);
}
