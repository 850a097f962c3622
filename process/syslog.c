/*
 * syslog(2) (glibc's klogctl): the kernel log ring (lib/printk.c) for
 * user space.  READ consumes from a reader position shared by every
 * caller, as Linux's does; READ_ALL returns the newest whole lines after
 * the last CLEAR; the console actions set which levels reach the
 * consoles.  Only root may use it (Linux with dmesg_restrict=1, Debian's
 * default).  A READ with nothing new sleeps, checking every 50 ms (the
 * printk path may run with scheduler locks held, so it wakes nobody).
 *
 * Locking: syslog_lock (a mutex) protects the reader and clear positions.
 */
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

static struct mutex syslog_lock = MUTEX_INIT(syslog_lock, "syslog");
static uint64_t read_pos;       /* [syslog_lock] next byte READ returns */
static uint64_t clear_pos;      /* [syslog_lock] READ_ALL starts here */
static int saved_console_level;  /* [syslog_lock] level before CONSOLE_OFF */
static bool console_off;        /* [syslog_lock] */

/* Ring bytes from @from to the head, into a kernel buffer of @max. */
static size_t ring_copy(uint64_t *from, char *dst, size_t max, uint64_t *head)
{
	uint64_t h;
	uint64_t start = printk_log_copy(*from, dst, max, &h);
	size_t n = (size_t)MIN((uint64_t)max, h - start);

	*from = start;
	*head = h;
	return n;
}

static long syslog_read(uaddr_t ubuf, size_t len)
{
	char *kbuf = kmalloc(len);
	uint64_t head;
	size_t n;
	long ret;

	if (!kbuf)
		return -ENOMEM;
	for (;;) {
		mutex_lock(&syslog_lock);
		uint64_t from = read_pos;
		n = ring_copy(&from, kbuf, len, &head);
		if (n) {
			read_pos = from + n;
			mutex_unlock(&syslog_lock);
			break;
		}
		mutex_unlock(&syslog_lock);
		if (signal_pending()) {
			kfree(kbuf);
			return -ERESTARTSYS;
		}
		sched_sleep_ns(50 * 1000 * 1000);
	}
	ret = copy_to_user(ubuf, kbuf, n) ? -EFAULT : (long)n;
	kfree(kbuf);
	return ret;
}

/* The newest whole lines after the clear point that fit in @len. */
static long syslog_read_all(uaddr_t ubuf, size_t len, bool clear)
{
	size_t size = printk_log_size();
	char *kbuf = kmalloc(size);
	uint64_t head, from;
	size_t n, skip = 0;
	long ret;

	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&syslog_lock);
	from = clear_pos;
	n = ring_copy(&from, kbuf, size, &head);
	/* Start at a line boundary (the oldest bytes may be a cut line)
	 * and drop old lines until the rest fits. */
	bool aligned = from == clear_pos || from == 0;
	while (skip < n && (!aligned || n - skip > len)) {
		const char *nl = memchr(kbuf + skip, '\n', n - skip);
		skip = nl ? (size_t)(nl - kbuf) + 1 : n;
		aligned = true;
	}
	if (clear)
		clear_pos = head;
	mutex_unlock(&syslog_lock);
	ret = copy_to_user(ubuf, kbuf + skip, n - skip) ? -EFAULT :
		(long)(n - skip);
	kfree(kbuf);
	return ret;
}

SYSCALL_DEFINE3(syslog, int, type, uaddr_t, buf, int, len)
{
	long ret = 0;
	uint64_t head;
	char dummy;

	if (type == SYSLOG_ACTION_CLOSE || type == SYSLOG_ACTION_OPEN)
		return 0;
	if (type < 0 || type > SYSLOG_ACTION_SIZE_BUFFER)
		return -EINVAL;
	if (current_cred()->euid != 0)
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read(buf, (size_t)len);
		return syslog_read_all(buf, (size_t)len,
				       type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		mutex_lock(&syslog_lock);
		printk_log_copy(0, &dummy, 0, &head);
		clear_pos = head;
		mutex_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		mutex_lock(&syslog_lock);
		if (!console_off) {
			saved_console_level = printk_console_loglevel();
			printk_set_console_loglevel(1);  /* emergencies only */
		}
		console_off = true;
		mutex_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		mutex_lock(&syslog_lock);
		if (console_off)
			printk_set_console_loglevel(saved_console_level);
		console_off = false;
		mutex_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		mutex_lock(&syslog_lock);
		console_off = false;
		printk_set_console_loglevel(len);
		mutex_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD: {
		mutex_lock(&syslog_lock);
		uint64_t from = printk_log_copy(read_pos, &dummy, 0, &head);
		ret = (long)(head - from);
		mutex_unlock(&syslog_lock);
		return ret;
	}
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (long)printk_log_size();
	}
	return -EINVAL;
}
