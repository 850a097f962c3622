/*
 * In-kernel tests of the scheduler: thread lifecycle, preemption by the
 * timer tick, sleeping and wait-queue timeouts, mutual exclusion, and the
 * guard page under kernel stacks (manual: it ends in a double fault).
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "time/clock.h"

#define MS 1000000ULL

static struct wait_queue done_wq = WAIT_QUEUE_INIT(done_wq);
static volatile int counter;
static volatile bool flag;

static void count_and_exit(void *arg)
{
	__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
	sched_wake_all(&done_wq);
}

KTEST(threads_run_and_exit)
{
	counter = 0;
	for (int i = 0; i < 8; i++)
		KEXPECT(thread_spawn("ktest-count", count_and_exit, NULL) != NULL);
	KEXPECT_EQ(wait_event_timeout(&done_wq, counter == 8, 5000 * MS), 0);
	KEXPECT_EQ(counter, 8);
}

static void set_flag_after_spin(void *arg)
{
	uint64_t end = clock_uptime_ns() + 5 * MS;

	while (clock_uptime_ns() < end)
		;
	flag = true;
}

KTEST(preemption_lets_other_threads_run)
{
	uint64_t deadline = clock_uptime_ns() + 5000 * MS;

	flag = false;
	KEXPECT(thread_spawn("ktest-flag", set_flag_after_spin, NULL) != NULL);
	/* Spin without yielding: only a timer preemption runs the other. */
	while (!flag && clock_uptime_ns() < deadline)
		;
	KEXPECT(flag);
}

static void spin_until_flag(void *arg)
{
	while (!flag)
		;
	sched_wake_all(&done_wq);
}

KTEST(sleeper_wakes_while_another_thread_spins)
{
	uint64_t t0;

	flag = false;
	KEXPECT(thread_spawn("ktest-spin", spin_until_flag, NULL) != NULL);
	t0 = clock_uptime_ns();
	sched_sleep_ns(30 * MS);
	KEXPECT(clock_uptime_ns() - t0 >= 30 * MS);
	flag = true;
}

KTEST(sleep_lasts_at_least_the_duration)
{
	uint64_t t0 = clock_uptime_ns(), elapsed;

	sched_sleep_ns(25 * MS);
	elapsed = clock_uptime_ns() - t0;
	KEXPECT(elapsed >= 25 * MS);
	KEXPECT(elapsed < 2000 * MS);
}

KTEST(wait_event_times_out)
{
	struct wait_queue wq = WAIT_QUEUE_INIT(wq);
	uint64_t t0 = clock_uptime_ns();

	KEXPECT_EQ(wait_event_timeout(&wq, false, 20 * MS), -ETIMEDOUT);
	KEXPECT(clock_uptime_ns() - t0 >= 20 * MS);
}

static void wake_after_sleep(void *arg)
{
	sched_sleep_ns(10 * MS);
	flag = true;
	sched_wake_all(&done_wq);
}

KTEST(wakeup_ends_wait_before_timeout)
{
	uint64_t t0 = clock_uptime_ns();

	flag = false;
	KEXPECT(thread_spawn("ktest-waker", wake_after_sleep, NULL) != NULL);
	KEXPECT_EQ(wait_event_timeout(&done_wq, flag, 5000 * MS), 0);
	KEXPECT(clock_uptime_ns() - t0 < 5000 * MS);
}

static struct mutex test_mutex = MUTEX_INIT(test_mutex, "ktest");

static void locked_increments(void *arg)
{
	for (int i = 0; i < 200; i++) {
		mutex_lock(&test_mutex);
		int v = counter;
		sched_yield();          /* invite a lost update */
		counter = v + 1;
		mutex_unlock(&test_mutex);
	}
	__atomic_fetch_add((int *)arg, 1, __ATOMIC_SEQ_CST);
	sched_wake_all(&done_wq);
}

KTEST(mutex_gives_mutual_exclusion)
{
	static int finished;

	counter = 0;
	finished = 0;
	for (int i = 0; i < 4; i++)
		KEXPECT(thread_spawn("ktest-mutex", locked_increments, &finished));
	KEXPECT_EQ(wait_event_timeout(&done_wq, finished == 4, 10000 * MS), 0);
	KEXPECT_EQ(counter, 800);
	KEXPECT(!mutex_is_held(&test_mutex));
}

static void spawn_round(int n)
{
	counter = 0;
	for (int i = 0; i < n; i++)
		thread_spawn("ktest-leak", count_and_exit, NULL);
	wait_event_timeout(&done_wq, counter == n, 5000 * MS);
	sched_sleep_ns(20 * MS);        /* let the last exit be reaped */
}

KTEST(exited_threads_are_freed)
{
	uint64_t before;

	spawn_round(32);                /* warm the heap's caches */
	before = pmm_free_page_count();
	spawn_round(32);
	KEXPECT_EQ(counter, 32);
	KEXPECT_EQ(pmm_free_page_count(), before);
}

static volatile int recursion_limit = 1 << 30;

static __noinline int ktest_recurse_forever(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth >= recursion_limit)   /* never true: defeats the warning */
		return 0;
	return ktest_recurse_forever(depth + 1) + pad[0];
}

static void overflow_stack(void *arg)
{
	ktest_recurse_forever(0);
}

KTEST_MANUAL(fault_stack_overflow)
{
	thread_spawn("ktest-overflow", overflow_stack, NULL);
	sched_sleep_ns(5000 * MS);
	ktest_fail(ctx, __FILE__, __LINE__, "stack overflow was not caught");
}

KTEST(timer_ticks_at_hz)
{
	uint64_t j0 = clock_jiffies(), t0 = clock_uptime_ns(), j1, t1;

	sched_sleep_ns(200 * MS);
	j1 = clock_jiffies();
	t1 = clock_uptime_ns();
	/* Ticks seen must match the TSC's idea of elapsed time within 2. */
	KEXPECT((int64_t)(j1 - j0) >= (int64_t)((t1 - t0) * HZ / 1000000000ULL) - 2);
	KEXPECT(j1 - j0 <= (t1 - t0) * HZ / 1000000000ULL + 2);
	KEXPECT(j1 - j0 >= 18);
}

/* ---- wait-queue callbacks (epoll's readiness hook) ---- */

struct cb_probe {
	struct wait_entry e;
	int calls;
	unsigned last_key;
	bool result;
};

static bool probe_cb(struct wait_entry *e, unsigned key)
{
	struct cb_probe *p = container_of(e, struct cb_probe, e);

	p->calls++;
	p->last_key = key;
	return p->result;
}

KTEST(wait_callbacks_stay_queued_and_get_keys)
{
	struct wait_queue wq = WAIT_QUEUE_INIT(wq);
	struct cb_probe a = { .result = true };

	sched_wait_entry_add_func(&wq, &a.e, probe_cb, false);
	KEXPECT_EQ(sched_wake_all_key(&wq, 0x41), 1);
	KEXPECT_EQ(sched_wake_all(&wq), 1);
	KEXPECT_EQ(a.calls, 2);                 /* still queued after a wake */
	KEXPECT_EQ(a.last_key, 0);
	sched_wait_entry_remove(&a.e);
	KEXPECT_EQ(sched_wake_all(&wq), 0);
	KEXPECT_EQ(a.calls, 2);
}

KTEST(wait_callbacks_exclusive_wake_first_taker)
{
	struct wait_queue wq = WAIT_QUEUE_INIT(wq);
	struct cb_probe plain = { .result = true };
	struct cb_probe x1 = { .result = false };      /* nobody to wake */
	struct cb_probe x2 = { .result = true };
	struct cb_probe x3 = { .result = true };

	sched_wait_entry_add_func(&wq, &x1.e, probe_cb, true);
	sched_wait_entry_add_func(&wq, &x2.e, probe_cb, true);
	sched_wait_entry_add_func(&wq, &x3.e, probe_cb, true);
	sched_wait_entry_add_func(&wq, &plain.e, probe_cb, false);
	KEXPECT_EQ(sched_wake_all(&wq), 2);     /* plain and x2 */
	KEXPECT_EQ(plain.calls, 1);
	KEXPECT_EQ(x1.calls, 1);
	KEXPECT_EQ(x2.calls, 1);
	KEXPECT_EQ(x3.calls, 0);
	/* A queue going away runs the callbacks once more, then empties. */
	sched_wake_all_detach(&wq, 0x4000);
	KEXPECT_EQ(plain.calls, 2);
	KEXPECT_EQ(plain.last_key, 0x4000);
	KEXPECT(list_empty(&wq.waiters));
	KEXPECT(plain.e.wq == NULL && x3.e.wq == NULL);
	sched_wait_entry_remove(&x3.e);         /* harmless when detached */
}
