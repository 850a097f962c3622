/*
 * Contract test runner.  Runs every executable under the directories given
 * as arguments (recursively, sorted by path), each in its own child process
 * and process group, with cwd "/", a clean environment and a time limit.
 * Prints one line per test and a summary:
 *
 *   CONTRACT <libc>/<area>/<name>: PASS
 *   CONTRACT <libc>/<area>/<name>: FAIL (exit status N | killed by signal S | timeout)
 *   CONTRACT summary: N passed, N failed
 *
 * <libc> is the last component of the directory argument.  A test's output is
 * captured through a pipe and echoed only when it fails.  Exit status 77 means
 * "skipped, needs root": a SKIP when not root, a failure when root.
 *
 * As PID 1 (the initramfs /init of our kernel) it mounts proc, devtmpfs and
 * tmpfs on empty /proc, /dev and /tmp (and devpts and /dev/shm, see
 * init_mounts), runs
 * /tests/<libc> for every libc directory when given no arguments, then
 * syncs and powers off.  With CONTRACT_TMP_DEV=/dev/vdX in its environment
 * (a kernel command-line word) /tmp is that ext4 disk instead (lines
 * "CONTRACT ext4-mount:" and, after the tests, "CONTRACT ext4-umount:").
 *
 * Usage: runner [-t SECONDS] DIR...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX (64 * 1024)

struct names {
	char **v;
	size_t n, cap;
};

static int timeout_s = 10;

static void names_add(struct names *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			perror("runner: realloc");
			exit(2);
		}
	}
	l->v[l->n++] = strdup(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect regular executable files below dir (paths relative to base). */
static void collect(const char *dir, struct names *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (!d) {
		fprintf(stderr, "runner: cannot open %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			collect(path, out);
		else if (S_ISREG(st.st_mode) && (st.st_mode & 0111))
			names_add(out, path);
	}
	closedir(d);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Append what is readable on fd to buf (bounded); returns 1 if data was read. */
static int drain(int fd, char *buf, size_t *len)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0)
		return 0;	/* EOF, EAGAIN or error */
	if (*len < OUTPUT_MAX) {
		size_t k = (size_t)n;
		if (k > OUTPUT_MAX - *len)
			k = OUTPUT_MAX - *len;
		memcpy(buf + *len, tmp, k);
		*len += k;
	}
	return 1;
}

static void child_exec(const char *path, int out)
{
	static char *envp[] = { "PATH=/bin:/usr/bin", "HOME=/", "TERM=vt100", NULL };
	char *argv[] = { (char *)path, NULL };
	sigset_t none;
	int null;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	} else if (null < 0) {
		close(0);
	}
	dup2(out, 1);
	dup2(out, 2);
	if (out > 2)
		close(out);
	if (chdir("/") != 0)
		_exit(126);
	execve(path, argv, envp);
	fprintf(stderr, "runner: execve %s: %s\n", path, strerror(errno));
	_exit(127);
}

/*
 * Run one test; returns 0 pass, 1 fail, 2 skip.  reason gets the failure text.
 */
static int run_one(const char *path, char *reason, size_t rlen, char *out, size_t *outlen)
{
	int p[2], st = 0, done = 0, timed_out = 0;
	long long deadline;
	pid_t pid;

	*outlen = 0;
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(reason, rlen, "pipe: %s", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(reason, rlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return 1;
	}
	if (pid == 0) {
		close(p[0]);
		child_exec(path, p[1]);
	}
	setpgid(pid, pid);	/* both sides, to win the race with exec */
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	deadline = now_ms() + timeout_s * 1000LL;
	while (!done) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long long left = deadline - now_ms();
		pid_t r;

		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			timed_out = 1;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		/* Poll briefly: a grandchild may hold the pipe after the test exits. */
		if (poll(&pfd, 1, left < 20 ? (int)left : 20) > 0)
			for (int k = 0; k < 64 && drain(p[0], out, outlen); k++)
				;
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			done = 1;
	}
	/* Leftovers of the test's process group go too. */
	kill(-pid, SIGKILL);
	for (int k = 0; k < 64 && drain(p[0], out, outlen); k++)
		;
	close(p[0]);
	/* Reap orphans handed to us (as PID 1 or subreaper). */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (timed_out) {
		snprintf(reason, rlen, "timeout");
		return 1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77 && geteuid() != 0)
		return 2;
	if (WIFEXITED(st))
		snprintf(reason, rlen, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(reason, rlen, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(reason, rlen, "wait status 0x%x", st);
	return 1;
}

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/*
 * As PID 1: mount what the tests need on empty mount points.  Besides proc,
 * devtmpfs and tmpfs this is devpts on /dev/pts (posix_openpt needs it) and
 * the /dev/fd and /dev/std* links that udev or mdev would otherwise create.
 * Errors are ignored: a missing piece shows up as failing tests.
 */
static void init_mounts(const char *tmp_dev)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
	};

	if (dir_is_empty("/proc"))
		mount("proc", "/proc", "proc", 0, NULL);
	if (dir_is_empty("/dev"))
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (tmp_dev) {
		/* the ext4 run: the tests' files live on this disk */
		int r = mount(tmp_dev, "/tmp", "ext4", 0, NULL);

		printf("CONTRACT ext4-mount: %s (%s)\n", r ? "FAIL" : "PASS",
		       r ? strerror(errno) : tmp_dev);
		chmod("/tmp", 01777);
	} else if (dir_is_empty("/tmp")) {
		mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	}
	mkdir("/dev/pts", 0755);
	if (dir_is_empty("/dev/pts"))
		mount("devpts", "/dev/pts", "devpts", 0, "mode=0620,ptmxmode=0666");
	/* POSIX shared memory (shm_open) lives in /dev/shm, a tmpfs that
	 * Linux's init systems mount (devtmpfs has no such directory). */
	mkdir("/dev/shm", 01777);
	if (dir_is_empty("/dev/shm"))
		mount("tmpfs", "/dev/shm", "tmpfs", 0, "mode=1777");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		symlink(links[i][0], links[i][1]);	/* EEXIST is fine */
}

/* Run every test below dir; the printed name is <basename(dir)>/<relative path>. */
static void run_dir(const char *arg, int *passed, int *failed, int *skipped)
{
	struct names tests = { 0 };
	static char out[OUTPUT_MAX + 1];
	char dir[4096];
	const char *libc;
	size_t dlen;

	/* Tests run with cwd "/", so work with the absolute path. */
	if (!realpath(arg, dir)) {
		fprintf(stderr, "runner: %s: %s\n", arg, strerror(errno));
		(*failed)++;
		return;
	}
	dlen = strlen(dir);

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	libc = dir + dlen;
	while (libc > dir && libc[-1] != '/')
		libc--;
	collect(dir, &tests);
	qsort(tests.v, tests.n, sizeof(*tests.v), cmp_str);
	for (size_t i = 0; i < tests.n; i++) {
		const char *rel = tests.v[i] + dlen;
		char reason[128];
		size_t outlen;
		int r;

		while (*rel == '/')
			rel++;
		r = run_one(tests.v[i], reason, sizeof(reason), out, &outlen);
		if (r == 0) {
			printf("CONTRACT %.*s/%s: PASS\n", (int)(dir + dlen - libc), libc, rel);
			(*passed)++;
		} else if (r == 2) {
			printf("CONTRACT %.*s/%s: SKIP (needs root)\n",
			       (int)(dir + dlen - libc), libc, rel);
			(*skipped)++;
		} else {
			printf("CONTRACT %.*s/%s: FAIL (%s)\n",
			       (int)(dir + dlen - libc), libc, rel, reason);
			out[outlen] = 0;
			if (outlen) {
				fputs(out, stdout);
				if (out[outlen - 1] != '\n')
					putchar('\n');
			}
			(*failed)++;
		}
		fflush(stdout);
		free(tests.v[i]);
	}
	free(tests.v);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0, opt;
	int is_init = getpid() == 1;
	/* CONTRACT_TMP_DEV=/dev/vdX (a word of the kernel command line):
	 * /tmp is that ext4 disk instead of a tmpfs, unmounted at the end */
	const char *tmp_dev = is_init ? getenv("CONTRACT_TMP_DEV") : NULL;
	struct names dirs = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt == 't' && atoi(optarg) > 0) {
			timeout_s = atoi(optarg);
		} else {
			fprintf(stderr, "usage: runner [-t SECONDS] DIR...\n");
			return 2;
		}
	}
	if (is_init)
		init_mounts(tmp_dev);
	/* Orphaned grandchildren come back to us, as they would to PID 1. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	for (int i = optind; i < argc; i++)
		names_add(&dirs, argv[i]);
	if (dirs.n == 0) {
		DIR *d = opendir("/tests");
		struct dirent *e;
		char path[300];

		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/tests/%s", e->d_name);
			names_add(&dirs, path);
		}
		if (d)
			closedir(d);
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), cmp_str);
	}
	for (size_t i = 0; i < dirs.n; i++)
		run_dir(dirs.v[i], &passed, &failed, &skipped);
	if (skipped)
		printf("CONTRACT summary: %d passed, %d failed, %d skipped\n",
		       passed, failed, skipped);
	else
		printf("CONTRACT summary: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	if (is_init && tmp_dev) {
		int r = umount("/tmp");

		printf("CONTRACT ext4-umount: %s\n", r ? "FAIL" : "PASS");
	}
	if (is_init) {
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return failed ? 1 : 0;
}
