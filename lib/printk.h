/*
 * Kernel log: printk with Linux-style levels, a ring buffer of everything
 * logged, and a list of consoles that receive messages at or above the
 * console log level.
 */
#ifndef LIB_PRINTK_H
#define LIB_PRINTK_H

#include "include/compiler.h"

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"

#define LOGLEVEL_DEFAULT 4      /* level of a message without a prefix */
#define CONSOLE_LOGLEVEL_DEFAULT 7

struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console *next;
};

/* Log a message; returns the number of characters of the formatted text. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

/* Log @len bytes of @text (lines ending in newlines) with a syslog
 * facility and level (/dev/kmsg writes: facility 1, user). */
void printk_emit(int facility, int level, const char *text, size_t len);
/* Copy ring bytes from absolute offset @from (raised to the oldest byte
 * still held) into @dst, at most @max (stopping at the newest); returns
 * the offset actually started from and sets *@head_out to the offset one
 * past the newest byte.  Offsets count every byte ever logged. */
uint64_t printk_log_copy(uint64_t from, char *dst, size_t max,
			 uint64_t *head_out);
size_t printk_log_size(void);

/* Add a console; it first receives the backlog still in the ring buffer. */
void console_register(struct console *con);
/* Messages with level < @level reach the consoles (Linux's loglevel=). */
void printk_set_console_loglevel(int level);
int printk_console_loglevel(void);
/* From now on printk ignores its lock (panic: the holder may be dead). */
void printk_enter_panic_mode(void);

/*
 * Per-file tracing: define LOCAL_TRACE to 0 or 1 before including this
 * header's users' code; LTRACEF compiles either way.
 */
#define LTRACEF(fmt, ...)                                                   \
	do {                                                                \
		if (LOCAL_TRACE)                                            \
			printk(KERN_DEBUG "%s: " fmt, __func__, ##__VA_ARGS__); \
	} while (0)

#endif
