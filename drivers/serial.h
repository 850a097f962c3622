/*
 * 16550 UART on COM1, used as the early and main kernel console.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "include/types.h"

/* Program COM1 for 115200 8N1 and register it as a console. */
void serial_init(void);
void serial_write(const char *s, size_t len);
/* Send bytes as they are (no CR before LF). */
void serial_write_raw(const uint8_t *s, size_t len);
bool serial_is_present(void);
/* The next received byte, or -1 if none is waiting. */
int serial_getc(void);
/* Enable or disable the received-data interrupt (ISA IRQ 4). */
void serial_rx_irq_enable(bool on);
/* Internal loopback (MCR LOOP): what is sent is received (for tests;
 * console output is lost meanwhile). */
void serial_set_loopback(bool on);

#endif
