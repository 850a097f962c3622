/*
 * printk: format a message, stamp it with the uptime, append it to the log
 * ring buffer and write it to every registered console whose level allows.
 * In the ring each line starts with its syslog priority, "<N>" with
 * N = facility * 8 + level as syslog(2) reports it (facility 0 for the
 * kernel, 1 (user) for /dev/kmsg writes); consoles never see that prefix.
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

static void emit(int priority, const char *text, size_t len)
{
	int level = priority & 7;
	char stamp[32];
	bool show = level < console_loglevel;

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) + 1 : len;

		if (at_line_start) {
			char prio[8];
			int pl = format_snprintf(prio, sizeof(prio), "<%d>",
						 priority);
			log_append(prio, pl);
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

/* Log @len bytes of @text with syslog priority @priority. */
static void log_text(int priority, const char *text, size_t len)
{
	uint64_t flags = 0;

	if (!panic_mode)
		flags = spin_lock_irqsave(&log_lock);
	emit(priority, text, len);
	if (!panic_mode)
		spin_unlock_irqrestore(&log_lock, flags);
}

void printk_emit(int facility, int level, const char *text, size_t len)
{
	log_text(facility * 8 + (level & 7), text, len);
}

uint64_t printk_log_copy(uint64_t from, char *dst, size_t max,
			 uint64_t *head_out)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);
	uint64_t tail = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	size_t n = 0;

	if (from < tail)
		from = tail;
	while (from + n < log_head && n < max) {
		dst[n] = log_buf[(from + n) % LOG_BUF_SIZE];
		n++;
	}
	if (head_out)
		*head_out = log_head;
	spin_unlock_irqrestore(&log_lock, flags);
	return from;
}

size_t printk_log_size(void)
{
	return LOG_BUF_SIZE;
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	int level = LOGLEVEL_DEFAULT;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	len = format_vsnprintf(text, sizeof(text), fmt, ap);
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;

	log_text(level, text, len);
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

	/* Replay the backlog (all levels), without the "<N>" prefixes. */
	bool line_start = start == 0, in_prefix = false;
	for (uint64_t i = start; i < log_head; i++) {
		char c = log_buf[i % LOG_BUF_SIZE];
		if (line_start && c == '<')
			in_prefix = true;
		line_start = c == '\n';
		if (in_prefix) {
			in_prefix = c != '>';
			continue;
		}
		con->write(&c, 1);
	}
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

int printk_console_loglevel(void)
{
	return READ_ONCE(console_loglevel);
}

void printk_enter_panic_mode(void)
{
	panic_mode = true;
}
