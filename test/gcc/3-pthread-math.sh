# A program with POSIX threads (glibc's NPTL: clone, futex mutexes and
# condition variables, join) and libm, compiled with gcc -pthread -lm.
set -e
d=$(mktemp -d /tmp/gcc3.XXXXXX); cd "$d"
cat > par.c <<'C'
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#define THREADS 4
#define N 100000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static double part[THREADS];
static int done;
static void *work(void *arg)
{
	long id = (long)arg;
	double s = 0;
	for (long i = id; i < N; i += THREADS)
		s += sqrt((double)i) * sin(i * 0.001);
	pthread_mutex_lock(&lock);
	part[id] = s;
	done++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return (void *)(id * 10);
}
int main(void)
{
	pthread_t t[THREADS];
	long sum = 0;
	double total = 0;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	pthread_mutex_lock(&lock);
	while (done < THREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
		total += part[i];
	}
	printf("threads %d, returned %ld\n", done, sum);
	printf("total %.3f\n", total);
	printf("pi %.12f e %.12f\n", 4 * atan(1.0), exp(1.0));
	printf("hypot %.6f cbrt %.6f\n", hypot(3, 4), cbrt(27.0));
	return 0;
}
C
gcc -O2 -pthread -o par par.c -lm
./par
cd /; rm -rf "$d"; echo done
