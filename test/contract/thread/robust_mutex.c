/* Robust mutexes: when the owner thread, or the owner process of a
 * process-shared mutex, dies holding it, the next locker gets EOWNERDEAD
 * (the kernel walks the robust list at exit), makes it consistent, and
 * the mutex works again. */
#include "thread_util.h"
#include <sys/mman.h>

static pthread_mutex_t m;

static void *die_holding(void *arg)
{
	pthread_mutex_lock(&m);
	return arg;                     /* exits with the mutex held */
}

static void init_robust(pthread_mutex_t *mx, int pshared)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	CHECK_EQ(pthread_mutex_init(mx, &a), 0);
	pthread_mutexattr_destroy(&a);
}

int main(void)
{
	pthread_t t;

	init_robust(&m, PTHREAD_PROCESS_PRIVATE);
	CHECK_EQ(pthread_create(&t, NULL, die_holding, NULL), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(pthread_mutex_lock(&m), EOWNERDEAD);
	CHECK_EQ(pthread_mutex_consistent(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
	CHECK_EQ(pthread_mutex_lock(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);

	/* Across processes, with the parent already waiting for it. */
	pthread_mutex_t *sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sm != MAP_FAILED);
	init_robust(sm, PTHREAD_PROCESS_SHARED);
	int pipefd[2];
	CHECK_OK(pipe(pipefd));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		pthread_mutex_lock(sm);
		write(pipefd[1], "x", 1);
		contract_msleep(50);
		_exit(0);               /* dies holding it */
	}
	char c;
	CHECK_EQ(read(pipefd[0], &c, 1), 1);
	CHECK_EQ(pthread_mutex_lock(sm), EOWNERDEAD);
	CHECK_EQ(pthread_mutex_consistent(sm), 0);
	CHECK_EQ(pthread_mutex_unlock(sm), 0);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
