/*
 * execve maps ELF segments as private mappings of the file: a program
 * written here (two PT_LOADs: code, and data whose file part ends in the
 * middle of a page followed by bss) sees its data bytes, zeros past
 * p_filesz in that page although the file has other bytes there, and a
 * writable zeroed bss page; /proc/<pid>/maps names the file with the
 * segment's offset and inode for both file parts and not for the bss;
 * the executed code page counts as RssFile or RssShmem (a page-cache
 * page); and the
 * zeroing never reaches the file.
 */
#include "contract.h"
#include "maps.h"
#include <elf.h>
#include <limits.h>

#define BASE 0x400000UL
#define DATA (BASE + 0x1000)            /* file offset 0x1000 */
#define DATA_FILESZ 0x800
#define DATA_MEMSZ 0x2000               /* bss: to BASE + 0x3000 */
#define CODE_OFF 0x200

static unsigned char img[0x2000];
static size_t pc;

static void emit(const char *bytes, size_t n)
{
	memcpy(img + CODE_OFF + pc, bytes, n);
	pc += n;
}

/* A short conditional jump (opcode @op) to be patched: its position. */
static size_t jump(unsigned char op)
{
	unsigned char b[2] = { op, 0 };

	emit((const char *)b, 2);
	return pc - 1;
}

static void patch(size_t at, size_t target)
{
	img[CODE_OFF + at] = (unsigned char)(target - (at + 1));
}

/* for (rsi, ecx = @count; ecx; rsi++, ecx--) if (*rsi != @value) fail; */
static void check_bytes(unsigned char value, unsigned count, size_t *fail)
{
	size_t loop;
	char mov_ecx[5] = { (char)0xb9 };

	memcpy(mov_ecx + 1, &count, 4);
	emit(mov_ecx, 5);
	loop = pc;
	emit((const char[]){ (char)0x80, 0x3e, (char)value }, 3); /* cmp [rsi] */
	*fail = jump(0x75);                                       /* jne */
	emit("\x48\xff\xc6", 3);                                  /* inc rsi */
	emit("\xff\xc9", 2);                                      /* dec ecx */
	patch(jump(0x75), loop);                                  /* jnz */
}

/* The program: check the data and the zeros, write the bss, stop itself
 * (kill(getpid(), SIGSTOP)) for the parent to look, then exit 0; exit 1
 * at the first wrong byte. */
static void build_code(void)
{
	size_t fail1, fail2, skip;

	emit("\xbe\x00\x10\x40\x00", 5);                /* mov esi, DATA */
	check_bytes(0x55, DATA_FILESZ, &fail1);
	check_bytes(0, 0x1000 - DATA_FILESZ + 0x1000, &fail2);
	emit("\xc6\x46\xff\x01", 4);            /* mov byte [rsi-1], 1 */
	emit("\xb8\x27\x00\x00\x00\x0f\x05", 7);        /* getpid */
	emit("\x89\xc7", 2);                            /* mov edi, eax */
	emit("\xbe\x13\x00\x00\x00", 5);                /* mov esi, SIGSTOP */
	emit("\xb8\x3e\x00\x00\x00\x0f\x05", 7);        /* kill */
	emit("\x31\xff", 2);                            /* xor edi, edi */
	skip = jump(0xeb);                              /* jmp exit */
	patch(fail1, pc);
	patch(fail2, pc);
	emit("\xbf\x01\x00\x00\x00", 5);                /* mov edi, 1 */
	patch(skip, pc);
	emit("\xb8\x3c\x00\x00\x00\x0f\x05", 7);        /* exit */
}

static void write_program(const char *path)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	int fd;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = BASE + CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
			      .p_offset = 0, .p_vaddr = BASE, .p_paddr = BASE,
			      .p_filesz = 0x1000, .p_memsz = 0x1000,
			      .p_align = 0x1000 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
			      .p_offset = 0x1000, .p_vaddr = DATA,
			      .p_paddr = DATA, .p_filesz = DATA_FILESZ,
			      .p_memsz = DATA_MEMSZ, .p_align = 0x1000 };
	build_code();
	memset(img + 0x1000, 0x55, DATA_FILESZ);
	memset(img + 0x1000 + DATA_FILESZ, 0xaa, 0x1000 - DATA_FILESZ);
	fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	CHECK_EQ(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	CHECK_OK(close(fd));
}

/* RssFile + RssShmem of @pid in kB: page-cache pages it maps (those of
 * a tmpfs file count as shmem). */
static long rss_cache_kb(pid_t pid)
{
	char path[64], buf[4096], *file, *shmem;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	contract_read_file(path, buf, sizeof(buf));
	file = strstr(buf, "RssFile:");
	shmem = strstr(buf, "RssShmem:");
	CHECK(file != NULL && shmem != NULL);
	return strtol(file + 8, NULL, 10) + strtol(shmem + 9, NULL, 10);
}

int main(void)
{
	char path[512], real[PATH_MAX], maps[64], tail[16];
	char *argv[] = { path, NULL }, *envp[] = { NULL };
	struct contract_map m;
	struct stat st;
	pid_t pid;
	int fd, wst;

	snprintf(path, sizeof(path), "%s/prog", contract_tmpdir());
	write_program(path);
	CHECK(realpath(path, real) != NULL);
	CHECK_OK(stat(path, &st));

	pid = CHECK_OK(fork());
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	CHECK_EQ(waitpid(pid, &wst, WUNTRACED), pid);
	if (!WIFSTOPPED(wst))
		CONTRACT_FAIL("program did not stop: wait status 0x%x (exit 1: "
			      "wrong bytes in its segments)", wst);

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	CHECK(contract_find_map_in(maps, BASE, 1, NULL, &m));
	CHECK_EQ(m.end, BASE + 0x1000);
	CHECK(strcmp(m.perms, "r-xp") == 0);
	CHECK_EQ(m.offset, 0);
	CHECK_EQ(m.inode, (unsigned long)st.st_ino);
	CHECK(strcmp(m.name, real) == 0);
	/* The data page: a private copy now, still the file's page 1. */
	CHECK(contract_find_map_in(maps, DATA, 1, NULL, &m));
	CHECK_EQ(m.end, DATA + 0x1000);
	CHECK(strcmp(m.perms, "rw-p") == 0);
	CHECK_EQ(m.offset, 0x1000);
	CHECK_EQ(m.inode, (unsigned long)st.st_ino);
	CHECK(strcmp(m.name, real) == 0);
	/* The bss: anonymous ([heap] if brk starts right after it). */
	CHECK(contract_find_map_in(maps, DATA + 0x1000, 1, NULL, &m));
	CHECK(m.end >= DATA + 0x2000);
	CHECK(strcmp(m.perms, "rw-p") == 0);
	CHECK_EQ(m.inode, 0);
	CHECK(m.name[0] == '\0' || strcmp(m.name, "[heap]") == 0);
	/* The code it ran is the page cache's page. */
	CHECK(rss_cache_kb(pid) >= 4);

	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EXITED(contract_wait(pid), 0);

	/* The zeros went into the process's copy only. */
	fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ(pread(fd, tail, sizeof(tail), 0x1000 + DATA_FILESZ),
		 (ssize_t)sizeof(tail));
	CHECK_OK(close(fd));
	for (size_t i = 0; i < sizeof(tail); i++)
		CHECK_EQ((unsigned char)tail[i], 0xaa);
	return 0;
}
