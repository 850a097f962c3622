/*
 * /init of the benchmark initramfs, the same file for this kernel and for
 * Linux.  Its very first instruction is the "init" marker (the plugin's
 * boot-to-/init count ends there).  As PID 1 it mounts proc, devtmpfs,
 * tmpfs and sysfs, gets a console, loads the kernel modules listed in
 * /lib/modules/bench/load-order (Linux's virtio disk driver; a kernel
 * without modules says ENOSYS and that is fine), mounts /dev/vda on
 * /mnt/ext4 if there is one, then runs every program named in
 * /bench/programs from /bench/<libc>/ for each libc, one at a time, each in
 * its own process group with a time limit, and powers off.
 *
 * Arguments (the kernel command line after "--"):
 *   quick          pass -q: a few iterations (sanity check, not timing)
 *   only=A,B       run only benchmarks whose name contains A or B
 *   libc=L1,L2     the libcs, in order (default: musl,glibc)
 *   limit=SECONDS  time limit per program (default 600)
 *
 * Output lines besides the programs' own BENCH lines:
 *   BENCH-INIT <kernel release>      first thing printed
 *   BENCH-NOTE <text>                CPU vulnerability mitigations (from
 *                                    sysfs), module loading, the ext4 mount
 *   BENCH-CRASH <libc>/<program> (<why>)   a program killed or failing
 *   BENCH-DONE                       last thing before the power off
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

/* The entry point (-e bench_init_entry): the init marker, then libc's _start. */
__asm__(".text\n"
	".globl bench_init_entry\n"
	".type bench_init_entry, @function\n"
	"bench_init_entry:\n"
	"\t.byte 0x0f, 0x1f, 0x84, 0xfe\n"
	"\t.short 0x3000\n"		/* kind 3 (init) << 12 | id 0 */
	"\t.short 0xb3c0\n"
	"\tjmp _start\n");

#define MAX_WORDS 64

static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
	alarm_fired = 1;
}

/* Make fds 0, 1 and 2 the console if the kernel did not open them. */
static void setup_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void setup_mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mkdir("/mnt", 0755);
	mkdir("/mnt/ext4", 0755);
}

/* Load each module named in the load-order file, in order; returns how many loaded. */
static int load_modules(void)
{
	const char *dir = "/lib/modules/bench";
	char name[200], path[300];
	FILE *list = fopen("/lib/modules/bench/load-order", "r");
	int loaded = 0;

	if (!list)
		return 0;
	while (fgets(name, sizeof(name), list)) {
		int fd;

		name[strcspn(name, "\n")] = 0;
		if (!name[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			printf("BENCH-NOTE module %s: open: %s\n", name, strerror(errno));
			continue;
		}
		if (syscall(SYS_finit_module, fd, "", 0) != 0) {
			int err = errno;

			close(fd);
			if (err == ENOSYS) {
				printf("BENCH-NOTE modules: finit_module: ENOSYS\n");
				break;
			}
			printf("BENCH-NOTE module %s: %s\n", name, strerror(err));
			continue;
		}
		close(fd);
		loaded++;
	}
	fclose(list);
	return loaded;
}

/* Mount the virtio disk on /mnt/ext4; a just-loaded driver gets 5 s to show it. */
static void mount_ext4(int drivers_loaded)
{
	for (int i = 0; drivers_loaded && i < 500 && access("/dev/vda", F_OK) != 0; i++)
		usleep(10000);
	if (access("/dev/vda", F_OK) != 0) {
		printf("BENCH-NOTE ext4: no /dev/vda (%s)\n", strerror(errno));
		return;
	}
	if (mount("/dev/vda", "/mnt/ext4", "ext4", 0, NULL) != 0)
		printf("BENCH-NOTE ext4: mount /dev/vda: %s\n", strerror(errno));
	else
		printf("BENCH-NOTE ext4: /dev/vda mounted on /mnt/ext4\n");
}

/* Print the kernel's CPU vulnerability mitigations, if it reports them. */
static void print_mitigations(void)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[300], line[200];

	while (d && (e = readdir(d)) != NULL) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			printf("BENCH-NOTE vulnerability %s: %s\n", e->d_name, line);
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

/* Split s at commas into words (in place); returns the count. */
static int split(char *s, char **words, int max)
{
	int n = 0;

	for (char *w = strtok(s, ","); w && n < max; w = strtok(NULL, ","))
		words[n++] = w;
	return n;
}

/* Run one program to completion or its time limit; prints BENCH-CRASH on trouble. */
static void run_program(const char *libc, const char *prog, char **args,
			int nargs, int limit)
{
	char path[256];
	char *argv[MAX_WORDS + 4];
	int st, argc = 0;
	pid_t pid, r;

	snprintf(path, sizeof(path), "/bench/%s/%s", libc, prog);
	argv[argc++] = path;
	for (int i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		printf("BENCH-CRASH %s/%s (fork: %s)\n", libc, prog, strerror(errno));
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGALRM, SIG_DFL);
		execv(path, argv);
		printf("BENCH-CRASH %s/%s (execv: %s)\n", libc, prog,
		       strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	alarm_fired = 0;
	alarm((unsigned)limit);
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR && !alarm_fired)
		;
	alarm(0);
	if (r != pid) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
		printf("BENCH-CRASH %s/%s (time limit of %d s)\n", libc, prog, limit);
	} else if (WIFSIGNALED(st)) {
		printf("BENCH-CRASH %s/%s (killed by signal %d)\n", libc, prog,
		       WTERMSIG(st));
	} else if (WEXITSTATUS(st) > 1) {
		/* 1 only says a benchmark printed FAIL. */
		printf("BENCH-CRASH %s/%s (exit status %d)\n", libc, prog,
		       WEXITSTATUS(st));
	}
	kill(-pid, SIGKILL);	/* leftovers of its process group */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(int argc, char **argv)
{
	char *args[MAX_WORDS], *libcs[8], *progs[MAX_WORDS];
	char libc_list[64] = "musl,glibc", line[128];
	int nargs = 0, nlibcs, nprogs = 0, limit = 600;
	struct sigaction sa;
	struct utsname u;
	FILE *list;

	setup_mounts();
	setup_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&u);
	printf("BENCH-INIT %s %s\n", u.sysname, u.release);
	print_mitigations();
	for (int i = 1; i < argc && nargs < MAX_WORDS - 2; i++) {
		if (strcmp(argv[i], "quick") == 0) {
			args[nargs++] = "-q";
		} else if (strncmp(argv[i], "only=", 5) == 0) {
			static char only[256];

			snprintf(only, sizeof(only), "%s", argv[i] + 5);
			nargs += split(only, args + nargs, MAX_WORDS - 2 - nargs);
		} else if (strncmp(argv[i], "libc=", 5) == 0) {
			snprintf(libc_list, sizeof(libc_list), "%s", argv[i] + 5);
		} else if (strncmp(argv[i], "limit=", 6) == 0 && atoi(argv[i] + 6) > 0) {
			limit = atoi(argv[i] + 6);
		} else {
			printf("BENCH-NOTE unknown argument %s\n", argv[i]);
		}
	}
	nlibcs = split(libc_list, libcs, 8);
	/* "-q" must come before the names: getopt stops at the first name. */
	for (int i = 1; i < nargs; i++)
		if (strcmp(args[i], "-q") == 0) {
			args[i] = args[0];
			args[0] = "-q";
		}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: waitpid gets EINTR */
	signal(SIGPIPE, SIG_IGN);
	mount_ext4(load_modules());
	list = fopen("/bench/programs", "r");
	while (list && nprogs < MAX_WORDS && fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			progs[nprogs++] = strdup(line);
	}
	if (!list)
		printf("BENCH-NOTE /bench/programs: %s\n", strerror(errno));
	for (int l = 0; l < nlibcs; l++)
		for (int p = 0; p < nprogs; p++)
			run_program(libcs[l], progs[p], args, nargs, limit);
	printf("BENCH-DONE\n");
	fflush(NULL);
	sync();
	if (getpid() == 1) {
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return 0;
}
