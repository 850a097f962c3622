/*
 * Whole workloads.  busybox_pipeline: BusyBox's shell runs tar, gzip and
 * sort over a few MB of generated text in a directory of its own in /tmp
 * (one op = one run of the script below, all its processes included).  /bin/busybox is the same
 * binary on the host and in the initramfs.  Generating the text and
 * checking the result happen outside the measured interval.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"
#define FILES 4

/* The script runs in the work directory (its only argument, $0). */
static const char script[] =
	"set -e; cd \"$0\"; bb=" BUSYBOX "; "
	"$bb tar -cf - src | $bb gzip -6 > src.tar.gz; "
	"$bb gzip -dc src.tar.gz | $bb tar -xOf - | $bb sort > sorted.txt; "
	"$bb sort -u sorted.txt | $bb wc -l > unique.txt";

static const char *const outputs[] = { "src.tar.gz", "sorted.txt", "unique.txt" };

/* The work directory, per process: runs may overlap on the host. */
static char dir[64];

static const char *const words[] = {
	"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
	"hotel", "india", "juliet", "kilo", "lima", "mike", "november",
};

static unsigned long long rng;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 16);
}

/* Write the input files (the same text every run); returns bytes or -1. */
static long make_input(struct bench *b, long file_bytes)
{
	char line[128], path[96];
	long total = 0;

	snprintf(path, sizeof(path), "%s/src", dir);
	if (mkdir(dir, 0755) != 0 || mkdir(path, 0755) != 0) {
		bench_fail(b, "mkdir", errno);
		return -1;
	}
	rng = 88172645463325252ULL;
	for (int f = 0; f < FILES; f++) {
		FILE *fp;
		long n = 0;

		snprintf(path, sizeof(path), "%s/src/part%d.txt", dir, f);
		fp = fopen(path, "w");
		if (!fp) {
			bench_fail(b, "fopen input", errno);
			return -1;
		}
		while (n < file_bytes) {
			int len = snprintf(line, sizeof(line), "%s %s %u\n",
					   words[next_rand() % 14],
					   words[next_rand() % 14],
					   next_rand() % 50000);
			fputs(line, fp);
			n += len;
		}
		if (fclose(fp) != 0) {
			bench_fail(b, "write input", errno);
			return -1;
		}
		total += n;
	}
	return total;
}

/* sorted.txt must hold total bytes in order; unique.txt its distinct lines. */
static void check_output(struct bench *b, long total)
{
	char prev[128] = "", line[128];
	long bytes = 0, distinct = 0, reported = -1;
	char path[96];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/sorted.txt", dir);
	fp = fopen(path, "r");

	if (!fp) {
		bench_fail(b, "open sorted.txt", errno);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		bytes += (long)strlen(line);
		if (strcmp(prev, line) > 0) {
			bench_fail(b, "sorted.txt is not sorted", 0);
			break;
		}
		distinct += strcmp(prev, line) != 0;
		strcpy(prev, line);
	}
	fclose(fp);
	snprintf(path, sizeof(path), "%s/unique.txt", dir);
	fp = fopen(path, "r");
	if (!fp || fscanf(fp, "%ld", &reported) != 1)
		reported = -1;
	if (fp)
		fclose(fp);
	if (bytes != total)
		bench_fail(b, "sorted.txt has the wrong size", 0);
	else if (reported != distinct)
		bench_fail(b, "unique.txt has the wrong count", 0);
}

/* Remove the work directory and everything the script made in it. */
static void clean_up(void)
{
	char path[96];

	for (int f = 0; f < FILES; f++) {
		snprintf(path, sizeof(path), "%s/src/part%d.txt", dir, f);
		unlink(path);
	}
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/src", dir);
	rmdir(path);
	rmdir(dir);
}

static void bench_busybox_pipeline(struct bench *b)
{
	long total;

	if (access(BUSYBOX, X_OK) != 0) {
		bench_na(b, BUSYBOX, errno);
		return;
	}
	snprintf(dir, sizeof(dir), "/tmp/bench-busybox-%d", (int)getpid());
	/* 4 x 512 KiB of text; the quick run uses 4 x 8 KiB. */
	total = make_input(b, b->quick ? 8 * 1024 : 512 * 1024);
	if (total < 0)
		goto out;
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execl(BUSYBOX, "sh", "-c", script, dir, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			bench_fail(b, "fork/waitpid", errno);
			break;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			bench_fail(b, "script failed", 0);
			break;
		}
	}
	bench_end(b);
	if (!b->failed)
		check_output(b, total);
out:
	clean_up();
}

static const struct bench_def benches[] = {
	BENCH_DEF_NOWARMUP(busybox_pipeline, 1, 1),
};

BENCH_MAIN(benches)
