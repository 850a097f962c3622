/*
 * printf-style formatting into a bounded buffer.  Pure code: no locks, no
 * allocation, also compiled into the host unit tests.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include "include/compiler.h"

/*
 * Format into @buf (at most @size bytes including the terminating NUL).
 * Returns the length the full output would have had, as C99 vsnprintf does.
 * Supports flags "-+ 0#", width and precision (also '*'), length modifiers
 * hh h l ll z t j, and conversions d i u x X o c s p %.
 */
int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int format_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
