/*
 * Host implementations of the kernel interfaces the journal uses (see
 * journal_shim.h).  Two builds:
 *   default       single-threaded: a mutex taken twice, or a wait whose
 *                 condition is false, is a deadlock here and aborts.
 *   SHIM_THREADS  pthreads: mutexes, spinlocks and wait queues over one
 *                 big lock and condition variable; a wait queue wakeup
 *                 bumps a global event count, a sleeper returns when the
 *                 count moved since sched_prepare_wait (no lost
 *                 wakeups); the buffer cache has a lock.  A sleep of
 *                 more than 20 s without a deadline aborts (a deadlock).
 */
#include "test/host/journal_shim.h"
#include "block/block.h"
#include "block/buffer.h"
#include "include/errno.h"
#include "include/compiler.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

bool shim_verbose;

struct block_device {
	uint8_t *mem;
	size_t size;
	long budget;            /* writes left before the "power cut"; <0: ∞ */
	unsigned long writes, flushes;
};

struct block_device *shim_dev_new(const void *image, size_t size)
{
	struct block_device *d = calloc(1, sizeof(*d));

	d->mem = malloc(size);
	memcpy(d->mem, image, size);
	d->size = size;
	d->budget = -1;
	return d;
}

void shim_dev_free(struct block_device *bdev)
{
	free(bdev->mem);
	free(bdev);
}

uint8_t *shim_dev_data(struct block_device *bdev) { return bdev->mem; }
size_t shim_dev_size(struct block_device *bdev) { return bdev->size; }
void shim_dev_set_write_budget(struct block_device *b, long n) { b->budget = n; }
unsigned long shim_dev_writes(struct block_device *b) { return b->writes; }
unsigned long shim_dev_flushes(struct block_device *b) { return b->flushes; }

int block_rw(struct block_device *bdev, enum block_op op, uint64_t sector,
	     void *buf, size_t len)
{
	if (op == BLOCK_FLUSH)
		return block_flush(bdev);
	if (len % SECTOR_SIZE || sector * SECTOR_SIZE + len > bdev->size ||
	    sector * SECTOR_SIZE + len < len) {
		fprintf(stderr, "shim: I/O beyond the device: sector %llu\n",
			(unsigned long long)sector);
		abort();
	}
	if (op == BLOCK_READ) {
		memcpy(buf, bdev->mem + sector * SECTOR_SIZE, len);
	} else if (op == BLOCK_WRITE) {
		bdev->writes++;
		if (bdev->budget == 0)
			return 0;
		if (bdev->budget > 0)
			bdev->budget--;
		memcpy(bdev->mem + sector * SECTOR_SIZE, buf, len);
	} else {
		return -EOPNOTSUPP;
	}
	return 0;
}

int block_flush(struct block_device *bdev)
{
	bdev->flushes++;
	return 0;
}

int block_discard(struct block_device *bdev, uint64_t s, uint64_t n)
{
	return 0;
}

int block_submit(struct block_device *bdev, struct block_request *rq)
{
	int err = 0;
	uint64_t sector = rq->sector;

	if (rq->op == BLOCK_FLUSH || rq->fua)
		err = block_flush(bdev);
	for (uint32_t i = 0; !err && rq->op != BLOCK_FLUSH &&
	     i < rq->nr_segments; i++) {
		err = block_rw(bdev, rq->op, sector, rq->segments[i].buf,
			       rq->segments[i].len);
		sector += rq->segments[i].len / SECTOR_SIZE;
	}
	rq->done(rq, err);
	return 0;
}

static void sync_done(struct block_request *rq, int error)
{
	*(int *)rq->private = error;
}

/* block_submit completes before it returns: nothing to wait for. */
int block_submit_wait(struct block_device *bdev, struct block_request *rq)
{
	int error = 0, err;

	rq->done = sync_done;
	rq->private = &error;
	err = block_submit(bdev, rq);
	return err ? err : error;
}

uint64_t block_nr_sectors(const struct block_device *b) { return b->size / SECTOR_SIZE; }
unsigned block_logical_size(const struct block_device *b) { return SECTOR_SIZE; }
bool block_read_only(const struct block_device *b) { return false; }
const char *block_name(const struct block_device *b) { return "shim"; }

/* ---- buffer cache: one list, linear lookup (small tests) ---- */

#define SHIM_UNHASHED 0x100

static struct list_node all_buffers = LIST_HEAD_INIT(all_buffers);
static struct mutex cache_lock = { .name = "shim cache" };

static struct buffer *lookup(struct block_device *bdev, uint64_t blocknr,
			     uint32_t size)
{
	struct list_node *p;

	list_for_each(p, &all_buffers) {
		struct buffer *b = list_entry(p, struct buffer, hash_node);

		if (b->bdev == bdev && b->blocknr == blocknr && b->size == size)
			return b;
	}
	return NULL;
}

struct buffer *buffer_get(struct block_device *bdev, uint64_t blocknr,
			  uint32_t size)
{
	struct buffer *b;

	mutex_lock(&cache_lock);
	b = lookup(bdev, blocknr, size);
	if (b) {
		b->refs++;
		mutex_unlock(&cache_lock);
		return b;
	}
	b = calloc(1, sizeof(*b));
	b->bdev = bdev;
	b->blocknr = blocknr;
	b->size = size;
	b->data = calloc(1, size);
	b->refs = 1;
	mutex_init(&b->lock, "buffer");
	list_add(&b->hash_node, &all_buffers);
	mutex_unlock(&cache_lock);
	return b;
}

struct buffer *buffer_read(struct block_device *bdev, uint64_t blocknr,
			   uint32_t size)
{
	struct buffer *b = buffer_get(bdev, blocknr, size);
	int err = 0;

	mutex_lock(&b->lock);
	if (!(b->flags & BUFFER_UPTODATE)) {
		err = block_rw(bdev, BLOCK_READ, blocknr * (size / SECTOR_SIZE),
			       b->data, size);
		if (!err)
			b->flags |= BUFFER_UPTODATE;
	}
	mutex_unlock(&b->lock);
	if (err) {
		buffer_put(b);
		return ERR_PTR(-EIO);
	}
	return b;
}

static void buffer_free(struct buffer *b)
{
	list_del(&b->hash_node);
	free(b->data);
	free(b);
}

void buffer_put(struct buffer *b)
{
	bool gone;

	mutex_lock(&cache_lock);
	if (b->refs <= 0) {
		fprintf(stderr, "shim: buffer_put of an unreferenced buffer\n");
		abort();
	}
	gone = --b->refs == 0 && (b->flags & SHIM_UNHASHED);
	mutex_unlock(&cache_lock);
	if (gone) {
		free(b->data);
		free(b);
	}
}

void buffer_mark_dirty(struct buffer *b)
{
	b->flags |= BUFFER_DIRTY;
}

int buffer_write(struct buffer *b)
{
	int err = 0;

	mutex_lock(&b->lock);
	if ((b->flags & BUFFER_DIRTY) && !(b->flags & BUFFER_PINNED)) {
		err = block_rw(b->bdev, BLOCK_WRITE,
			       b->blocknr * (b->size / SECTOR_SIZE), b->data,
			       b->size);
		if (!err)
			b->flags &= ~BUFFER_DIRTY;
	}
	mutex_unlock(&b->lock);
	return err;
}

int buffer_sync_device(struct block_device *bdev)
{
	struct list_node *p;
	int err = 0;

	list_for_each(p, &all_buffers) {
		struct buffer *b = list_entry(p, struct buffer, hash_node);

		if (b->bdev == bdev && !err)
			err = buffer_write(b);
	}
	return err ? err : block_flush(bdev);
}

/* As block/buffer.c: a forgotten buffer is found no more; the last
 * reference frees it. */
void buffer_forget(struct block_device *bdev, uint64_t blocknr, uint32_t size)
{
	struct buffer *b;
	bool gone;

	mutex_lock(&cache_lock);
	b = lookup(bdev, blocknr, size);
	if (!b) {
		mutex_unlock(&cache_lock);
		return;
	}
	b->flags &= ~BUFFER_DIRTY;
	list_del(&b->hash_node);
	list_init(&b->hash_node);
	b->flags |= SHIM_UNHASHED;
	gone = !b->refs;
	mutex_unlock(&cache_lock);
	if (gone) {
		free(b->data);
		free(b);
	}
}

int buffer_invalidate_device(struct block_device *bdev)
{
	struct list_node *p, *tmp;
	int left = 0;

	buffer_sync_device(bdev);
	list_for_each_safe(p, tmp, &all_buffers) {
		struct buffer *b = list_entry(p, struct buffer, hash_node);

		if (b->bdev != bdev)
			continue;
		if (b->refs)
			left++;
		else
			buffer_free(b);
	}
	return left;
}

size_t buffer_shrink(size_t target)
{
	return 0;
}

int shim_buffers_drop(struct block_device *bdev)
{
	struct list_node *p, *tmp;
	int left = 0;

	list_for_each_safe(p, tmp, &all_buffers) {
		struct buffer *b = list_entry(p, struct buffer, hash_node);

		if (b->bdev != bdev)
			continue;
		if (b->refs)
			left++;
		buffer_free(b);
	}
	return left;
}

int shim_buffers_count(struct block_device *bdev, unsigned flag)
{
	struct list_node *p;
	int n = 0;

	list_for_each(p, &all_buffers) {
		struct buffer *b = list_entry(p, struct buffer, hash_node);

		if (b->bdev == bdev && (b->flags & flag))
			n++;
	}
	return n;
}

/* ---- scheduler, memory, time, log ---- */

#ifdef SHIM_THREADS
/* glibc's <sched.h> (through <pthread.h>) declares its own sched_yield. */
#define sched_yield glibc_sched_yield
#include <pthread.h>
#include <time.h>
#undef sched_yield

uint64_t clock_uptime_ns(void);

static pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t big_cv = PTHREAD_COND_INITIALIZER;
static uint64_t events;                 /* [big] wakeups so far */
static __thread char self_token;        /* a thread's identity */
static __thread uint64_t wait_seen, wait_deadline;

#define SELF ((uintptr_t)&self_token)

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wait on big_cv for at most 1 ms (the caller loops). */
static void big_wait(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&big_cv, &big, &ts);
}

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&big);
	if (m->owner == SELF) {
		fprintf(stderr, "shim: mutex %s taken twice\n", m->name);
		abort();
	}
	while (m->owner)
		big_wait();
	m->owner = SELF;
	pthread_mutex_unlock(&big);
}

bool mutex_trylock(struct mutex *m)
{
	bool ok;

	pthread_mutex_lock(&big);
	ok = !m->owner;
	if (ok)
		m->owner = SELF;
	pthread_mutex_unlock(&big);
	return ok;
}

void mutex_unlock(struct mutex *m)
{
	pthread_mutex_lock(&big);
	if (m->owner != SELF) {
		fprintf(stderr, "shim: unlock of mutex %s not held\n", m->name);
		abort();
	}
	m->owner = 0;
	pthread_cond_broadcast(&big_cv);
	pthread_mutex_unlock(&big);
}

bool mutex_is_held(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == SELF;
}

uint64_t spin_lock_irqsave(struct spinlock *lock)
{
	pthread_mutex_lock(&big);
	while (lock->locked)
		big_wait();
	lock->locked = 1;
	pthread_mutex_unlock(&big);
	return 0;
}

void spin_unlock_irqrestore(struct spinlock *lock, uint64_t flags)
{
	pthread_mutex_lock(&big);
	lock->locked = 0;
	pthread_cond_broadcast(&big_cv);
	pthread_mutex_unlock(&big);
}

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

void sched_prepare_wait(struct wait_queue *wq, uint64_t deadline_ns)
{
	pthread_mutex_lock(&big);
	wait_seen = events;
	wait_deadline = deadline_ns;
	pthread_mutex_unlock(&big);
}

int sched_finish_wait(struct wait_queue *wq)
{
	return wait_deadline && clock_uptime_ns() >= wait_deadline
		? -ETIMEDOUT : 0;
}

void schedule(void)
{
	uint64_t give_up = mono_ns() + 20000000000ull;

	pthread_mutex_lock(&big);
	while (events == wait_seen) {
		if (wait_deadline && clock_uptime_ns() >= wait_deadline)
			break;
		if (!wait_deadline && mono_ns() > give_up) {
			fprintf(stderr, "shim: asleep for 20 s: deadlock\n");
			abort();
		}
		big_wait();
	}
	pthread_mutex_unlock(&big);
}

int sched_wake_all(struct wait_queue *wq)
{
	pthread_mutex_lock(&big);
	events++;
	pthread_cond_broadcast(&big_cv);
	pthread_mutex_unlock(&big);
	return 0;
}

uint64_t clock_uptime_ns(void)
{
	return mono_ns();
}

struct spawn {
	void (*entry)(void *);
	void *arg;
};

static void *spawn_trampoline(void *p)
{
	struct spawn s = *(struct spawn *)p;

	free(p);
	s.entry(s.arg);
	return NULL;
}

/* The journal's commit thread: a detached pthread. */
struct thread *thread_spawn(const char *name, void (*entry)(void *), void *arg)
{
	static char token;
	struct spawn *s = malloc(sizeof(*s));
	pthread_t t;

	s->entry = entry;
	s->arg = arg;
	if (pthread_create(&t, NULL, spawn_trampoline, s)) {
		free(s);
		return NULL;
	}
	pthread_detach(t);
	return (struct thread *)&token;
}
#else
static struct thread *const host_thread = (struct thread *)1;

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	if (m->owner) {
		fprintf(stderr, "shim: mutex %s taken twice: deadlock\n",
			m->name);
		abort();
	}
	m->owner = (uintptr_t)host_thread;
}

bool mutex_trylock(struct mutex *m)
{
	if (m->owner)
		return false;
	m->owner = (uintptr_t)host_thread;
	return true;
}

void mutex_unlock(struct mutex *m)
{
	if (!m->owner) {
		fprintf(stderr, "shim: unlock of free mutex %s\n", m->name);
		abort();
	}
	m->owner = 0;
}

bool mutex_is_held(const struct mutex *m)
{
	return m->owner != 0;
}

uint64_t spin_lock_irqsave(struct spinlock *lock)
{
	if (lock->locked) {
		fprintf(stderr, "shim: spinlock %s taken twice\n", lock->name);
		abort();
	}
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
	fprintf(stderr, "shim: a wait that nobody can end: deadlock\n");
	abort();
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
#endif

int64_t clock_realtime_ns(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
}

void *kmalloc(size_t size)
{
	return malloc(size);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	free(p);
}

int printk(const char *fmt, ...)
{
	va_list ap;

	if (!shim_verbose)
		return 0;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	return 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
