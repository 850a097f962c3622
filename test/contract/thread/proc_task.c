/* /proc/self/task lists every thread id, and /proc/self/status counts
 * them; a thread's own files are reachable under task/<tid>. */
#include "thread_util.h"
#include <dirent.h>

enum { N = 4 };
static pthread_barrier_t start, done;
static pid_t tids[N];

static void *worker(void *arg)
{
	tids[(long)arg] = contract_gettid();
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	char buf[4096], path[64];
	int seen = 0, self_seen = 0;

	pthread_barrier_init(&start, NULL, N + 1);
	pthread_barrier_init(&done, NULL, N + 1);
	for (long i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, worker, (void *)i), 0);
	pthread_barrier_wait(&start);

	DIR *d = opendir("/proc/self/task");
	CHECK(d != NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int tid = atoi(e->d_name);
		if (tid == getpid())
			self_seen = 1;
		for (int i = 0; i < N; i++)
			if (tids[i] == tid)
				seen++;
	}
	closedir(d);
	CHECK_EQ(seen, N);
	CHECK_EQ(self_seen, 1);
	contract_read_file("/proc/self/status", buf, sizeof(buf));
	CHECK(strstr(buf, "\nThreads:\t5\n") != NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tids[0]);
	contract_read_file(path, buf, sizeof(buf));
	CHECK(strlen(buf) > 1);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[1]);
	contract_read_file(path, buf, sizeof(buf));
	CHECK_EQ(atoi(buf), tids[1]);

	pthread_barrier_wait(&done);
	for (int i = 0; i < N; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	return 0;
}
