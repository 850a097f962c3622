/* Mutexes, condition variables (signal, broadcast, timed wait), rwlocks,
 * barriers and spinlocks under contention from several threads. */
#include "thread_util.h"
#include <time.h>

enum { THREADS = 6, ROUNDS = 3000 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static pthread_spinlock_t spin;
static long counter, spin_counter, readers_seen;
static int go, waiting;

static void *adder(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		pthread_spin_lock(&spin);
		spin_counter++;
		pthread_spin_unlock(&spin);
	}
	return arg;
}

static void *waiter(void *arg)
{
	pthread_mutex_lock(&lock);
	waiting++;
	pthread_cond_broadcast(&cond);          /* tell main we wait */
	while (!go)
		pthread_cond_wait(&cond, &lock);
	counter++;
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *reader(void *arg)
{
	pthread_rwlock_rdlock(&rw);
	__atomic_add_fetch(&readers_seen, 1, __ATOMIC_SEQ_CST);
	pthread_rwlock_unlock(&rw);
	return arg;
}

static void *barrier_thread(void *arg)
{
	int r = pthread_barrier_wait(&barrier);
	return (void *)(long)(r == PTHREAD_BARRIER_SERIAL_THREAD);
}

int main(void)
{
	pthread_t t[THREADS];
	struct timespec ts;
	long serial = 0;

	CHECK_EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, adder, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(counter, THREADS * ROUNDS);
	CHECK_EQ(spin_counter, THREADS * ROUNDS);

	/* Broadcast wakes every waiter. */
	counter = 0;
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, waiter, NULL), 0);
	pthread_mutex_lock(&lock);
	while (waiting < THREADS)
		pthread_cond_wait(&cond, &lock);
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(counter, THREADS);

	/* A timed wait with nobody signalling times out. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	CHECK_EQ(pthread_cond_timedwait(&cond, &lock, &ts), ETIMEDOUT);
	pthread_mutex_unlock(&lock);

	/* Readers wait for a writer, then all get in. */
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, reader, NULL), 0);
	contract_msleep(10);
	CHECK_EQ(__atomic_load_n(&readers_seen, __ATOMIC_SEQ_CST), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(readers_seen, THREADS);
	CHECK_EQ(pthread_rwlock_tryrdlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_trywrlock(&rw), EBUSY);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);

	/* Exactly one thread of a barrier is the serial thread. */
	CHECK_EQ(pthread_barrier_init(&barrier, NULL, THREADS), 0);
	for (int i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, barrier_thread, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		CHECK_EQ(pthread_join(t[i], &r), 0);
		serial += (long)r;
	}
	CHECK_EQ(serial, 1);
	CHECK_EQ(pthread_mutex_trylock(&lock), 0);
	CHECK_EQ(pthread_mutex_trylock(&lock), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&lock), 0);
	return 0;
}
