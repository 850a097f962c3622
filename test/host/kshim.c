/*
 * Host implementations of the kernel services that storage code uses
 * (see kshim.h).  Host tests are single-threaded: a mutex is a flag
 * checked for recursion and for unlocking what is not held.
 */
#include "test/host/kshim.h"
#include "lib/printk.h"
#include "lib/panic.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "time/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void (*kshim_printk_hook)(const char *msg);
bool kshim_printk_quiet;

static struct thread host_thread;

void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *ptr)
{
	free(ptr);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	const char *msg = buf;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (msg[0] == KERN_SOH[0] && msg[1])
		msg += 2;
	if (kshim_printk_hook)
		kshim_printk_hook(msg);
	if (!kshim_printk_quiet)
		fputs(msg, stderr);
	return n;
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

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	list_init(&m->waiters.waiters);
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	if (m->owner)
		panic("mutex %s: recursive lock", m->name);
	m->owner = (uintptr_t)&host_thread;
}

bool mutex_trylock(struct mutex *m)
{
	if (m->owner)
		return false;
	m->owner = (uintptr_t)&host_thread;
	return true;
}

void mutex_unlock(struct mutex *m)
{
	if (!m->owner)
		panic("mutex %s: unlock of a free mutex", m->name);
	m->owner = 0;
}

bool mutex_is_held(const struct mutex *m)
{
	return m->owner != 0;
}

/* What the journal (ext4/journal*.c) needs besides: single-threaded, so a
 * spinlock is a flag and a wait that would sleep can never end. */
uint64_t spin_lock_irqsave(struct spinlock *lock)
{
	if (lock->locked)
		panic("spinlock %s: taken twice", lock->name);
	lock->locked = 1;
	return 0;
}

void spin_unlock_irqrestore(struct spinlock *lock, uint64_t flags)
{
	lock->locked = 0;
}

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

void sched_prepare_wait(struct wait_queue *wq, uint64_t deadline_ns)
{
}

int sched_finish_wait(struct wait_queue *wq)
{
	return 0;
}

void schedule(void)
{
	panic("a wait that nobody can end: deadlock");
}

int sched_wake_all(struct wait_queue *wq)
{
	return 0;
}

uint64_t clock_uptime_ns(void)
{
	static uint64_t fake;

	return fake += 1000;
}

int64_t clock_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
