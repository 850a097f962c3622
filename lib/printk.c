/*
 * printk: format a message, stamp it with the uptime, append it to the log
 * ring buffer and write it to every registered console whose level allows.
 *
 * Locking: log_lock (irq-safe spinlock) serializes formatting, the ring and
 * console output, so lines from different CPUs never interleave.  After a
 * panic, printk_enter_panic_mode() makes printk skip the lock.
 */
#include "lib/printk.h"
#include "lib/format.h"
#include "lib/string.h"
#include "sched/spinlock.h"
#include "time/clock.h"

#define LOG_BUF_SIZE (64 * 1024)

static struct spinlock log_lock = SPINLOCK_INIT("printk");
static char log_buf[LOG_BUF_SIZE];     /* [log_lock] ring of message text */
static uint64_t log_head;              /* [log_lock] total bytes written */
static struct console *consoles;       /* [log_lock] */
static int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT; /* [log_lock] */
static bool panic_mode;
static bool at_line_start = true;      /* [log_lock] */

static void log_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += len;
}

static void consoles_write(const char *s, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(s, len);
}

static void emit(int level, const char *text, size_t len)
{
	char stamp[32];
	bool show = level < console_loglevel;

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) + 1 : len;

		if (at_line_start) {
			uint64_t ns = clock_uptime_ns();
			int sl = format_snprintf(stamp, sizeof(stamp),
						 "[%5llu.%06llu] ",
						 (unsigned long long)(ns / 1000000000),
						 (unsigned long long)(ns / 1000 % 1000000));
			log_append(stamp, sl);
			if (show)
				consoles_write(stamp, sl);
		}
		log_append(text, n);
		if (show)
			consoles_write(text, n);
		at_line_start = text[n - 1] == '\n';
		text += n;
		len -= n;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	int level = LOGLEVEL_DEFAULT;
	uint64_t flags = 0;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	len = format_vsnprintf(text, sizeof(text), fmt, ap);
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;

	if (!panic_mode)
		flags = spin_lock_irqsave(&log_lock);
	emit(level, text, len);
	if (!panic_mode)
		spin_unlock_irqrestore(&log_lock, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void console_register(struct console *con)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);
	uint64_t start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;

	/* Replay the backlog (levels are not kept in the ring: all of it). */
	for (uint64_t i = start; i < log_head; i++)
		con->write(&log_buf[i % LOG_BUF_SIZE], 1);
	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&log_lock, flags);
}

void printk_set_console_loglevel(int level)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);

	console_loglevel = level;
	spin_unlock_irqrestore(&log_lock, flags);
}

void printk_enter_panic_mode(void)
{
	panic_mode = true;
}
