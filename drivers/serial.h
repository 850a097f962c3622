/*
 * 16550 UART on COM1, used as the early and main kernel console.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "include/types.h"

/* Program COM1 for 115200 8N1 and register it as a console. */
void serial_init(void);
void serial_write(const char *s, size_t len);

#endif
