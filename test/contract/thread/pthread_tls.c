/* Thread-local storage: __thread variables are per thread (initialised
 * from the TLS image), and pthread_key destructors run at thread exit. */
#include "thread_util.h"

static __thread int tls_value = 42;
static __thread char tls_buf[64] = "initial";
static pthread_key_t key;
static int destructor_calls;

static void destructor(void *p)
{
	__atomic_add_fetch(&destructor_calls, 1, __ATOMIC_SEQ_CST);
	free(p);
}

static void *worker(void *arg)
{
	long n = (long)arg;
	if (tls_value != 42 || strcmp(tls_buf, "initial"))
		return (void *)1;
	tls_value = (int)n;
	snprintf(tls_buf, sizeof(tls_buf), "thread %ld", n);
	pthread_setspecific(key, malloc(16));
	contract_msleep(5);
	if (tls_value != n)
		return (void *)2;
	char want[64];
	snprintf(want, sizeof(want), "thread %ld", n);
	return strcmp(tls_buf, want) ? (void *)3 : NULL;
}

int main(void)
{
	enum { N = 8 };
	pthread_t t[N];

	CHECK_EQ(pthread_key_create(&key, destructor), 0);
	tls_value = 7;
	for (long i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, worker, (void *)(i + 100)), 0);
	for (int i = 0; i < N; i++) {
		void *r;
		CHECK_EQ(pthread_join(t[i], &r), 0);
		CHECK_EQ((long)r, 0);
	}
	CHECK_EQ(tls_value, 7);
	CHECK(strcmp(tls_buf, "initial") == 0);
	CHECK_EQ(destructor_calls, N);
	/* The thread pointer (FS base) points at itself (the TCB). */
	void *tp;
	__asm__ ("mov %%fs:0, %0" : "=r"(tp));
	unsigned long fsbase;
	CHECK_OK(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fsbase));
	CHECK_EQ((unsigned long)tp, fsbase);
	return 0;
}
