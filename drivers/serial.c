/*
 * 16550 UART driver (COM1, I/O port 0x3f8), polled output.  Register
 * layout from the PC16550D datasheet: THR/RBR at +0, IER +1, FCR +2,
 * LCR +3, MCR +4, LSR +5.  Console output (serial_write) sends newlines
 * as CR LF; the tty layer (tty/serial_tty.c) uses the raw calls and the
 * receive interrupt.  Output takes no lock, so printk can always write,
 * even while a tty on this port holds its own lock.
 */
#include "drivers/serial.h"
#include "cpu/x86.h"
#include "lib/printk.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IER_RX_DATA 0x01
#define LCR_DLAB 0x80

static bool serial_present;

static void put_raw(char c)
{
	for (int spins = 0; spins < 100000; spins++)
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + UART_THR, c);
}

void serial_write(const char *s, size_t len)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put_raw('\r');
		put_raw(s[i]);
	}
}

void serial_write_raw(const uint8_t *s, size_t len)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < len; i++)
		put_raw((char)s[i]);
}

bool serial_is_present(void)
{
	return serial_present;
}

int serial_getc(void)
{
	if (!serial_present || !(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_RBR);
}

void serial_set_loopback(bool on)
{
	if (serial_present)
		outb(COM1 + UART_MCR, on ? 0x1b : 0x0b);
}

void serial_rx_irq_enable(bool on)
{
	if (serial_present)
		outb(COM1 + UART_IER, on ? IER_RX_DATA : 0);
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
};

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);        /* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);     /* 8 data bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xc7);     /* enable and clear FIFOs */
	outb(COM1 + UART_MCR, 0x0b);     /* DTR, RTS, OUT2 */
	/* A missing UART reads back 0xff from every register. */
	serial_present = inb(COM1 + UART_LSR) != 0xff;
	if (serial_present)
		console_register(&serial_console);
}
