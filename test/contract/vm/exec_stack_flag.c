/*
 * PT_GNU_STACK decides whether the initial stack is executable: a copy
 * of this program with PF_X added to it gets an rwx [stack]; without
 * the header (x86-64 implies nothing) and as linked (RW) it is rw-.
 */
#include "contract.h"
#include "maps.h"
#include <elf.h>

static char *image;
static long image_len;

/* Write the image with its PT_GNU_STACK changed by @patch, run it, and
 * return the [stack] permissions it reports. */
static void run_copy(const char *name, void (*patch)(Elf64_Phdr *),
		     char perms[5])
{
	char path[512], *argv[] = { path, "child", NULL }, *envp[] = { NULL };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)image;
	Elf64_Phdr *ph = (Elf64_Phdr *)(image + eh->e_phoff);
	int fd, p[2], found = 0;
	pid_t pid;

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_GNU_STACK) {
			patch(&ph[i]);
			found = 1;
		}
	CHECK(found);
	snprintf(path, sizeof(path), "%s/%s", contract_tmpdir(), name);
	fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	CHECK_EQ(write(fd, image, image_len), image_len);
	CHECK_OK(close(fd));
	CHECK_OK(pipe(p));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		dup2(p[1], 1);
		execve(path, argv, envp);
		_exit(99);
	}
	close(p[1]);
	memset(perms, 0, 5);
	CHECK_EQ(read(p[0], perms, 4), 4);
	close(p[0]);
	CHECK_EXITED(contract_wait(pid), 0);
}

static void add_x(Elf64_Phdr *ph) { ph->p_flags |= PF_X; }
static void drop(Elf64_Phdr *ph) { ph->p_type = PT_NULL; }
static void keep(Elf64_Phdr *ph) { ph->p_flags &= ~PF_X; }

int main(int argc, char **argv)
{
	struct contract_map m;
	char perms[5];
	int fd;

	CHECK(contract_find_map(0, 0, "[stack]", &m));
	if (argc > 1) {
		CHECK_EQ(write(1, m.perms, 4), 4);
		return 0;
	}
	CHECK(strcmp(m.perms, "rw-p") == 0);
	fd = CHECK_OK(open("/proc/self/exe", O_RDONLY));
	image_len = lseek(fd, 0, SEEK_END);
	CHECK(image_len > 0);
	image = malloc(image_len);
	CHECK(image != NULL);
	CHECK_EQ(pread(fd, image, image_len, 0), image_len);
	close(fd);

	run_copy("rw", keep, perms);
	CHECK(strcmp(perms, "rw-p") == 0);
	run_copy("rwx", add_x, perms);
	if (strcmp(perms, "rwxp") != 0)
		CONTRACT_FAIL("PF_X in PT_GNU_STACK: [stack] is %s", perms);
	run_copy("none", drop, perms);
	CHECK(strcmp(perms, "rw-p") == 0);
	return 0;
}
