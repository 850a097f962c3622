/*
 * gcc_compile: Debian 12's gcc compiles one C file (`gcc -O2 -c`; one op =
 * the whole command: the driver, cc1, as, all their processes).  The
 * compiler is the Debian+gcc root file system of build/debian-disk.img
 * (scripts/mkdisk-rootfs.sh), which scripts/bench attaches to both kernels
 * as their virtio disk (/dev/vda): the bench init mounts it on /mnt/ext4
 * (read-write, on Linux); if it could not, the program mounts it read-only
 * on /debian.  With tmpfs on its /tmp, proc and devtmpfs there, gcc runs
 * in a chroot of it.  The source is written before the interval; after it the
 * object file must exist and be an ELF file.  Without the disk or ext4
 * the benchmark is n/a.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DISK "/dev/vda"
#define INIT_MOUNT "/mnt/ext4"
#define OWN_MOUNT "/debian"
#define SRC "/tmp/gccbench.c"
#define OBJ "/tmp/gccbench.o"
#define LOG "/tmp/gccbench.log"

static char *const command[] = {
	"/usr/bin/gcc", "-O2", "-c", SRC, "-o", OBJ, NULL
};
static char *const environ_gcc[] = {
	"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/", NULL
};

/* The compiled file: a little of everything cc1 works on (structs,
 * loops to optimise, a switch, stdio and string.h declarations). */
static const char source[] =
	"#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
	"struct node { struct node *next; int key; char name[16]; };\n"
	"static struct node *push(struct node *h, int k, const char *n)\n"
	"{ struct node *e = malloc(sizeof(*e)); if (!e) abort();\n"
	"  e->next = h; e->key = k; strncpy(e->name, n, sizeof(e->name) - 1);\n"
	"  e->name[sizeof(e->name) - 1] = 0; return e; }\n"
	"static unsigned hash(const char *s) { unsigned h = 5381;\n"
	"  while (*s) h = h * 33 ^ (unsigned char)*s++; return h; }\n"
	"static int cmp(const void *a, const void *b)\n"
	"{ return *(const int *)a - *(const int *)b; }\n"
	"int classify(int c) { switch (c % 7) { case 0: return 3; case 1: return 5;\n"
	"  case 2: return 8; case 3: return 13; case 4: return 21; default: return c; } }\n"
	"double poly(const double *x, int n) { double s = 0;\n"
	"  for (int i = 0; i < n; i++) s = s * 1.5 + x[i] * x[i]; return s; }\n"
	"int main(int argc, char **argv)\n"
	"{ struct node *h = NULL; int v[256]; double d[64];\n"
	"  for (int i = 0; i < 256; i++) v[i] = (i * 7919) % 251;\n"
	"  qsort(v, 256, sizeof(v[0]), cmp);\n"
	"  for (int i = 1; i < argc; i++) h = push(h, classify(i), argv[i]);\n"
	"  for (int i = 0; i < 64; i++) d[i] = i / 3.0;\n"
	"  for (struct node *e = h; e; e = e->next)\n"
	"    printf(\"%s %d %u\\n\", e->name, e->key, hash(e->name));\n"
	"  printf(\"%d %f\\n\", v[128], poly(d, 64));\n"
	"  while (h) { struct node *n = h->next; free(h); h = n; }\n"
	"  return 0; }\n";

/* The Debian root: INIT_MOUNT or OWN_MOUNT. */
static char root[64];

/* root with @path appended (one buffer: use before the next call). */
static const char *at(const char *path)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s%s", root, path);
	return buf;
}

/* Copy gcc's output to stdout (after a failure). */
static void show_log(void)
{
	char buf[512];
	FILE *fp = fopen(at(LOG), "r");

	while (fp && fgets(buf, sizeof(buf), fp))
		printf("gcc: %s", buf);
	if (fp)
		fclose(fp);
}

/* Mount the Debian disk and what gcc needs on it; 0 or an errno (n/a). */
static int setup(struct bench *b)
{
	static int done;

	if (done)
		return 0;
	snprintf(root, sizeof(root), "%s", INIT_MOUNT);
	if (access(at("/usr/bin/gcc"), X_OK) != 0) {
		for (int i = 0; i < 100 && access(DISK, F_OK) != 0; i++)
			usleep(50000);   /* the disk may still be probed */
		if (access(DISK, F_OK) != 0) {
			bench_na(b, "no Debian disk " DISK, errno);
			return -1;
		}
		snprintf(root, sizeof(root), "%s", OWN_MOUNT);
		mkdir(root, 0755);
		if (mount(DISK, root, "ext4", MS_RDONLY, NULL) != 0) {
			bench_setup_fail(b, "mount " DISK " (ext4, read-only)",
					 errno);
			return -1;
		}
	}
	if (mount("tmpfs", at("/tmp"), "tmpfs", 0, "mode=1777") != 0 ||
	    mount("proc", at("/proc"), "proc", 0, NULL) != 0 ||
	    mount("devtmpfs", at("/dev"), "devtmpfs", 0, NULL) != 0) {
		bench_setup_fail(b, "mounts in the Debian root", errno);
		return -1;
	}
	done = 1;
	return 0;
}

static void bench_gcc_compile(struct bench *b)
{
	unsigned char magic[4] = { 0 };
	pid_t pid;
	int st, fd;
	FILE *fp;

	if (setup(b) != 0)
		return;
	if (access(at("/usr/bin/gcc"), X_OK) != 0) {
		bench_na(b, "no gcc on " DISK, errno);
		return;
	}
	fp = fopen(at(SRC), "w");
	if (!fp || fputs(source, fp) < 0 || fclose(fp) != 0) {
		bench_fail(b, "write the source", errno);
		return;
	}
	unlink(at(OBJ));
	fflush(NULL);
	for (long i = 0; i < b->iters; i++) {
		if (i == 0)
			bench_begin(b);
		pid = fork();
		if (pid == 0) {
			if (chroot(root) != 0 || chdir("/") != 0)
				_exit(125);
			fd = open(LOG, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0)
				_exit(126);
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
			execve(command[0], command, environ_gcc);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			bench_end(b);
			bench_fail(b, "fork/waitpid", errno);
			return;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			bench_end(b);
			show_log();
			bench_fail(b, "gcc failed", 0);
			return;
		}
	}
	bench_end(b);
	fd = open(at(OBJ), O_RDONLY);
	if (fd < 0 || read(fd, magic, 4) != 4 || memcmp(magic, "\177ELF", 4)) {
		bench_fail(b, "no ELF object file afterwards", errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
}

static const struct bench_def benches[] = {
	BENCH_DEF_NOWARMUP(gcc_compile, 3, 1),
};

BENCH_MAIN(benches)
