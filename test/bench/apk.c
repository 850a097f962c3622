/*
 * apk_add: Alpine's package manager installs a few packages from the local
 * mirror (`apk add --no-network make binutils musl-dev`; one op = the whole
 * command, all its processes and triggers included).  The program runs
 * inside the Alpine image that scripts/bench boots (the minirootfs with a
 * copy of the offline mirror at /mirror, see scripts/mkinitramfs-alpine.sh),
 * not in the main benchmark initramfs.  apk's output goes to a file, not
 * the console: the serial port is not what is measured.  Before the
 * interval the packages' files must be absent (the command really installs
 * them, so it runs once per boot); after it they must be present.
 * Outside an Alpine root (no /sbin/apk) the benchmark is n/a.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#define APK "/sbin/apk"
#define LOG "/tmp/bench-apk-add.log"

/* The packages; scripts/bench copies these and their dependencies into the
 * image's mirror (ALPINE_PACKAGES there must name the same ones). */
static char *const command[] = {
	APK, "add", "--no-network", "make", "binutils", "musl-dev", NULL
};

/* One file of each package, to see that the command installed them. */
static const char *const installed[] = {
	"/usr/bin/make", "/usr/bin/ld", "/usr/lib/crt1.o",
};

#define NFILES (sizeof(installed) / sizeof(installed[0]))

/* Copy apk's output to stdout (after a failure). */
static void show_log(void)
{
	char buf[512];
	FILE *fp = fopen(LOG, "r");

	while (fp && fgets(buf, sizeof(buf), fp))
		printf("apk: %s", buf);
	if (fp)
		fclose(fp);
}

static void bench_apk_add(struct bench *b)
{
	pid_t pid;
	int st;

	if (access(APK, X_OK) != 0) {
		bench_na(b, "no Alpine root: " APK, errno);
		return;
	}
	for (size_t i = 0; i < NFILES; i++)
		if (access(installed[i], F_OK) == 0) {
			bench_fail(b, "already installed before the run", 0);
			return;
		}
	fflush(NULL);
	bench_begin(b);
	pid = fork();
	if (pid == 0) {
		int fd = open(LOG, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execv(APK, command);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		bench_end(b);
		bench_fail(b, "fork/waitpid", errno);
		return;
	}
	bench_end(b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		show_log();
		bench_fail(b, "apk add failed", 0);
		return;
	}
	for (size_t i = 0; i < NFILES; i++)
		if (access(installed[i], F_OK) != 0) {
			show_log();
			bench_fail(b, "a package's file is missing afterwards", errno);
			return;
		}
}

static const struct bench_def benches[] = {
	BENCH_DEF_NOWARMUP(apk_add, 1, 1),
};

BENCH_MAIN(benches)
