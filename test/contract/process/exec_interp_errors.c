/*
 * execve of an ELF program whose PT_INTERP interpreter cannot be used:
 * the errno Linux gives for each case (ENOENT, EACCES, EIO for a file too
 * short for an ELF header, ELIBBAD for a non-ELF or foreign interpreter,
 * ENOEXEC for a malformed PT_INTERP string), and SIGSEGV when the
 * interpreter fails only once loading has passed the point of no return.
 */
#include "contract.h"
#include <elf.h>

static char dir[256];

/* An ELF header and program headers: PT_INTERP with @ilen bytes of
 * @interp at file offset 512 (if @phcount > 1), then one PT_LOAD. */
static void write_elf(const char *name, int type, int machine, int phentsize,
		      const char *interp, size_t ilen, int mode)
{
	static unsigned char buf[8192];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	char path[512];
	int n = 0, fd;

	memset(buf, 0, sizeof(buf));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x401000;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = phentsize;
	if (interp) {
		ph[n].p_type = PT_INTERP;
		ph[n].p_offset = 512;
		ph[n].p_vaddr = 0x400000 + 512;
		ph[n].p_filesz = ph[n].p_memsz = ilen;
		ph[n].p_flags = PF_R;
		ph[n].p_align = 1;
		memcpy(buf + 512, interp, ilen < 4096 ? ilen : 0);
		n++;
	}
	ph[n].p_type = PT_LOAD;
	ph[n].p_vaddr = 0x400000;
	ph[n].p_filesz = 4096;
	ph[n].p_memsz = 8192;
	ph[n].p_flags = PF_R | PF_X;
	ph[n].p_align = 4096;
	eh->e_phnum = n + 1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
	CHECK_EQ(write(fd, buf, sizeof(buf)), sizeof(buf));
	if (ilen > 4096)
		CHECK_OK(ftruncate(fd, 512 + ilen + 16));
	CHECK_OK(close(fd));
}

static void write_file(const char *name, const char *text, size_t len,
		       int mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
	CHECK_EQ(write(fd, text, len), (long)len);
	CHECK_OK(close(fd));
}

/* A program whose interpreter is @interp (a name in dir). */
static void prog(const char *name, const char *interp)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, interp);
	write_elf(name, ET_EXEC, EM_X86_64, sizeof(Elf64_Phdr), path,
		  strlen(path) + 1, 0755);
}

/* execve of @name fails with @err, in a child (a late failure kills). */
static void expect_errno(const char *name, int err)
{
	char path[512], *argv[] = { path, NULL }, *envp[] = { NULL };
	int st;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno == err ? 0 : 100 + errno);
	}
	st = contract_wait(pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		CONTRACT_FAIL("execve %s: expected errno %d, wait status 0x%x "
			      "(exit 100+errno)", name, err, st);
}

int main(void)
{
	static const char text[] =
		"this is not an ELF file, but it is long enough for a header "
		"of one\n";
	char path[512];

	snprintf(dir, sizeof(dir), "%s", contract_tmpdir());

	prog("p_missing", "no-such-interpreter");
	expect_errno("p_missing", ENOENT);

	snprintf(path, sizeof(path), "%s/subdir", dir);
	CHECK_OK(mkdir(path, 0755));
	prog("p_dir", "subdir");
	expect_errno("p_dir", EACCES);

	write_file("noexec", text, sizeof(text) - 1, 0644);
	prog("p_noexec", "noexec");
	expect_errno("p_noexec", EACCES);

	write_file("short", "\177ELF\2\1\1", 7, 0755);
	prog("p_short", "short");
	expect_errno("p_short", EIO);

	write_file("empty", "", 0, 0755);
	prog("p_empty", "empty");
	expect_errno("p_empty", EIO);

	write_file("text", text, sizeof(text) - 1, 0755);
	prog("p_text", "text");
	expect_errno("p_text", ELIBBAD);

	write_elf("arm", ET_DYN, EM_AARCH64, sizeof(Elf64_Phdr), NULL, 0, 0755);
	prog("p_arm", "arm");
	expect_errno("p_arm", ELIBBAD);

	write_elf("badphent", ET_DYN, EM_X86_64, 32, NULL, 0, 0755);
	prog("p_badphent", "badphent");
	expect_errno("p_badphent", ELIBBAD);

	/* The PT_INTERP string itself. */
	snprintf(path, sizeof(path), "%s/text", dir);
	write_elf("p_nonul", ET_EXEC, EM_X86_64, sizeof(Elf64_Phdr), path,
		  strlen(path), 0755);
	expect_errno("p_nonul", ENOEXEC);
	write_elf("p_len1", ET_EXEC, EM_X86_64, sizeof(Elf64_Phdr), "", 1, 0755);
	expect_errno("p_len1", ENOEXEC);
	write_elf("p_long", ET_EXEC, EM_X86_64, sizeof(Elf64_Phdr), "/x", 4097,
		  0755);
	expect_errno("p_long", ENOEXEC);
	/* Only up to the first NUL counts. */
	memcpy(path + strlen(path), "\0junk", 6);
	write_elf("p_embedded", ET_EXEC, EM_X86_64, sizeof(Elf64_Phdr), path,
		  strlen(dir) + 5 + 6, 0755);
	expect_errno("p_embedded", ELIBBAD);

	/* A relocatable object as interpreter passes the early checks; the
	 * exec fails after the point of no return: SIGSEGV. */
	write_elf("rel", ET_REL, EM_X86_64, sizeof(Elf64_Phdr), NULL, 0, 0755);
	prog("p_rel", "rel");
	{
		char *argv[] = { path, NULL }, *envp[] = { NULL };
		pid_t pid;

		snprintf(path, sizeof(path), "%s/p_rel", dir);
		pid = CHECK_OK(fork());
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(100 + errno);
		}
		CHECK_SIGNALED(contract_wait(pid), SIGSEGV);
	}
	return 0;
}
