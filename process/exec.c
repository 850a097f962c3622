/*
 * execve: load an ELF64 executable (ET_EXEC or static-PIE ET_DYN) or a
 * "#!" script into a new address space and build Linux's initial stack
 * (System V AMD64 ABI, 3.4.1: argc, argv, envp, auxiliary vector).
 *
 * Segments are read into anonymous private memory when the program is
 * loaded (no file-backed mappings yet).  The layout follows Linux with
 * address-space randomization off: stack top at USER_TOP, 8 MiB stack
 * (RLIMIT_STACK), mmap area from just below the stack gap downwards,
 * ET_DYN programs at 0x555555554000, brk right after the data segment.
 */
#include "process/internal.h"
#include "cpu/cpu.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"
#include "syscall/syscall.h"

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define ET_DYN_BASE 0x555555554000UL
#define STACK_TOP USER_TOP
#define MMAP_GAP_MIN (128UL << 20)
#define MAX_PHDRS 64
#define MAX_SCRIPT_DEPTH 4
#define BINPRM_BUF 256

/* auxv keys (elf.h) */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31
#define AT_MINSIGSTKSZ 51

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "ELF64 header");

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

/* Arguments and environment copied into the kernel. */
struct exec_strings {
	char *buf;              /* argv strings then envp strings, NUL separated */
	size_t len, cap;
	int argc, envc;
};

static int strings_add(struct exec_strings *s, const char *str, size_t len)
{
	if (s->len + len + 1 > s->cap)
		return -E2BIG;
	memcpy(s->buf + s->len, str, len);
	s->buf[s->len + len] = '\0';
	s->len += len + 1;
	return 0;
}

/* Strings from a kernel array (init) or from user memory (execve). */
static int strings_collect(struct exec_strings *s, char *const kvec[],
			   uaddr_t uvec, int *count)
{
	for (int i = 0;; i++) {
		const char *k;
		uaddr_t u = 0;
		long n;

		if (kvec) {
			k = kvec[i];
			if (!k)
				return 0;
			n = strlen(k);
			if (strings_add(s, k, n))
				return -E2BIG;
		} else {
			if (!uvec)
				return 0;
			if (copy_from_user(&u, uvec + i * sizeof(u), sizeof(u)))
				return -EFAULT;
			if (!u)
				return 0;
			n = strncpy_from_user(s->buf + s->len, u, s->cap - s->len);
			if (n == -ENAMETOOLONG)
				return -E2BIG;
			if (n < 0)
				return (int)n;
			s->len += n + 1;
		}
		if (++*count > 0x7fffffff / 8)
			return -E2BIG;
	}
}

/* Where things go while a new image is built. */
struct image {
	struct mm *mm;
	uint64_t bias, entry, phdr_addr;
	uint16_t phnum;
	uaddr_t brk;
	uaddr_t end_code, start_data, end_data, start_code;
};

static unsigned elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? VM_READ : 0) | ((flags & PF_W) ? VM_WRITE : 0) |
	       ((flags & PF_X) ? VM_EXEC : 0);
}

static int load_segment(struct image *img, struct file *f,
			const struct elf64_phdr *ph)
{
	uaddr_t start = ALIGN_DOWN(img->bias + ph->p_vaddr, PAGE_SIZE);
	uaddr_t end = ALIGN_UP(img->bias + ph->p_vaddr + ph->p_memsz, PAGE_SIZE);
	uint64_t done = 0;
	char *chunk;
	int err;

	if (ph->p_filesz > ph->p_memsz || ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    !user_range_ok(start, end - start) || end == start)
		return -ENOEXEC;
	err = mm_map_fixed(img->mm, start, end - start, elf_prot(ph->p_flags), 0);
	if (err)
		return err;
	chunk = kmalloc(PAGE_SIZE * 16);
	if (!chunk)
		return -ENOMEM;
	while (done < ph->p_filesz) {
		size_t n = MIN(ph->p_filesz - done, PAGE_SIZE * 16);
		long got = file_read_kernel(f, chunk, n, ph->p_offset + done);
		if (got != (long)n) {
			err = got < 0 ? (int)got : -EIO;
			break;
		}
		err = mm_copy_in(img->mm, img->bias + ph->p_vaddr + done, chunk, n);
		if (err)
			break;
		done += n;
	}
	kfree(chunk);
	if (err)
		return err;
	if (ph->p_flags & PF_X) {
		if (!img->start_code || start < img->start_code)
			img->start_code = start;
		img->end_code = MAX(img->end_code, img->bias + ph->p_vaddr + ph->p_filesz);
	} else {
		if (!img->start_data)
			img->start_data = img->bias + ph->p_vaddr;
		img->end_data = MAX(img->end_data, img->bias + ph->p_vaddr + ph->p_filesz);
	}
	img->brk = MAX(img->brk, end);
	return 0;
}

static int load_elf(struct image *img, struct file *f,
		    const struct elf64_ehdr *eh)
{
	struct elf64_phdr *ph;
	size_t phsize;
	int err = 0;

	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1 ||
	    eh->e_machine != EM_X86_64 || eh->e_phentsize != sizeof(*ph) ||
	    eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return -ENOEXEC;
	phsize = eh->e_phnum * sizeof(*ph);
	ph = kmalloc(phsize);
	if (!ph)
		return -ENOMEM;
	if (file_read_kernel(f, ph, phsize, eh->e_phoff) != (long)phsize) {
		err = -ENOEXEC;
		goto out;
	}
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_INTERP) {
			err = -ENOEXEC;  /* dynamic linking comes later */
			pr_warn("exec: dynamically linked programs are not supported yet\n");
			goto out;
		}
	img->bias = eh->e_type == ET_DYN ? ET_DYN_BASE : 0;
	img->phnum = eh->e_phnum;
	for (int i = 0; i < eh->e_phnum && !err; i++) {
		if (ph[i].p_type == PT_LOAD)
			err = load_segment(img, f, &ph[i]);
		if (ph[i].p_type == PT_PHDR)
			img->phdr_addr = img->bias + ph[i].p_vaddr;
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && !img->phdr_addr)
			img->phdr_addr = img->bias + ph[i].p_vaddr + eh->e_phoff;
	}
	img->entry = img->bias + eh->e_entry;
out:
	kfree(ph);
	return err;
}

/* Push @len bytes onto the new stack. */
static int push_bytes(struct image *img, uaddr_t *sp, const void *data,
		      size_t len)
{
	*sp -= len;
	return mm_copy_in(img->mm, *sp, data, len);
}

static int build_stack(struct image *img, const struct exec_strings *s,
		       const char *execfn, uaddr_t *rsp_out, uint64_t stack_size)
{
	struct process *p = current_process();
	uaddr_t sp = STACK_TOP, strings, execfn_addr, platform, random;
	uint64_t rnd[2], *vec;
	size_t nvec, i = 0;
	uint32_t a, b, c, d;
	int err;

	err = mm_map_fixed(img->mm, STACK_TOP - stack_size, stack_size,
			   VM_READ | VM_WRITE, VMA_GROWSDOWN);
	if (err)
		return err;
	if ((err = push_bytes(img, &sp, execfn, strlen(execfn) + 1)))
		return err;
	execfn_addr = sp;
	if ((err = push_bytes(img, &sp, s->buf, s->len)))
		return err;
	strings = sp;
	if ((err = push_bytes(img, &sp, "x86_64", 7)))
		return err;
	platform = sp;
	rnd[0] = rdtsc() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)img;
	rnd[1] = rnd[0] * 0xbf58476d1ce4e5b9ULL ^ rdtsc();
	sp = ALIGN_DOWN(sp, 16);
	if ((err = push_bytes(img, &sp, rnd, sizeof(rnd))))
		return err;
	random = sp;

	nvec = 1 + s->argc + 1 + s->envc + 1 + 2 * 20;
	vec = kzalloc(nvec * sizeof(uint64_t));
	if (!vec)
		return -ENOMEM;
	vec[i++] = s->argc;
	for (int n = 0, off = 0; n < s->argc + s->envc; n++) {
		if (n == s->argc)
			vec[i++] = 0;
		vec[i++] = strings + off;
		off += strlen(s->buf + off) + 1;
	}
	if (s->envc == 0)
		vec[i++] = 0;
	vec[i++] = 0;
	cpuid(1, 0, &a, &b, &c, &d);
#define AUX(key, val) do { vec[i++] = (key); vec[i++] = (val); } while (0)
	AUX(AT_PHDR, img->phdr_addr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->entry);
	AUX(AT_UID, p->cred.uid);
	AUX(AT_EUID, p->cred.euid);
	AUX(AT_GID, p->cred.gid);
	AUX(AT_EGID, p->cred.egid);
	AUX(AT_SECURE, p->cred.uid != p->cred.euid || p->cred.gid != p->cred.egid);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP, d);
	AUX(AT_HWCAP2, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform);
	AUX(AT_EXECFN, execfn_addr);
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
	/* rsp must be 16-byte aligned at the entry point, pointing at argc. */
	sp = ALIGN_DOWN(sp - i * sizeof(uint64_t), 16);
	err = mm_copy_in(img->mm, sp, vec, i * sizeof(uint64_t));
	kfree(vec);
	if (err)
		return err;
	mm_layout(img->mm)->start_stack = sp;
	mm_layout(img->mm)->arg_start = strings;
	mm_layout(img->mm)->env_start = strings;
	for (int n = 0, off = 0; n < s->argc; n++) {
		off += strlen(s->buf + off) + 1;
		mm_layout(img->mm)->arg_end = mm_layout(img->mm)->env_start =
			strings + off;
	}
	mm_layout(img->mm)->env_end = strings + s->len;
	*rsp_out = sp;
	return 0;
}

/*
 * "#!interpreter [arg]": rewrite the argument list to
 * interpreter [arg] script argv[1..] and return the interpreter path.
 */
static int parse_script(char *buf, size_t len, struct exec_strings *s,
			const char *script, char *interp, size_t interp_size)
{
	char *line = buf + 2, *end, *arg = NULL, *rest;
	struct exec_strings ns = *s;
	size_t first_len;
	int err;

	end = memchr(line, '\n', len - 2);
	if (!end)
		end = buf + len;     /* Linux: a truncated line is used as is */
	*end = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return -ENOEXEC;
	for (rest = line; *rest && *rest != ' ' && *rest != '\t'; rest++)
		;
	if (*rest) {
		*rest++ = '\0';
		while (*rest == ' ' || *rest == '\t')
			rest++;
		/* Linux passes everything after the name as one argument,
		 * with trailing white space removed. */
		for (char *t = rest + strlen(rest); t > rest &&
		     (t[-1] == ' ' || t[-1] == '\t'); t--)
			t[-1] = '\0';
		if (*rest)
			arg = rest;
	}
	if (strlen(line) >= interp_size)
		return -ENAMETOOLONG;
	strlcpy(interp, line, interp_size);

	/* New strings: interp, [arg], script, then old argv[1..] and envp. */
	ns.buf = kmalloc(s->cap);
	if (!ns.buf)
		return -ENOMEM;
	ns.len = 0;
	ns.argc = 0;
	first_len = s->argc > 0 ? strlen(s->buf) + 1 : 0;
	err = strings_add(&ns, interp, strlen(interp));
	ns.argc++;
	if (!err && arg) {
		err = strings_add(&ns, arg, strlen(arg));
		ns.argc++;
	}
	if (!err) {
		err = strings_add(&ns, script, strlen(script));
		ns.argc++;
	}
	if (!err && s->len - first_len > ns.cap - ns.len)
		err = -E2BIG;
	if (!err) {
		memcpy(ns.buf + ns.len, s->buf + first_len, s->len - first_len);
		ns.len += s->len - first_len;
		ns.argc += s->argc > 0 ? s->argc - 1 : 0;
	}
	if (err) {
		kfree(ns.buf);
		return err;
	}
	kfree(s->buf);
	*s = ns;
	return 0;
}

/* Open @path for exec, following "#!" interpreters.  On success *fp is
 * the ELF file and *eh its header; s may have been rewritten. */
static int open_executable(char *path, size_t path_size, struct exec_strings *s,
			   struct file **fp, struct elf64_ehdr *eh,
			   unsigned *mode, uint32_t *uid, uint32_t *gid)
{
	char *buf = kmalloc(BINPRM_BUF + 1);
	int err = -ELOOP;

	if (!buf)
		return -ENOMEM;
	for (int depth = 0; depth <= MAX_SCRIPT_DEPTH; depth++) {
		struct file *f = file_open_kernel(path, 0 /* O_RDONLY */, 0);
		long n;

		if (IS_ERR(f)) {
			err = (int)PTR_ERR(f);
			break;
		}
		err = file_check_exec(f, mode, uid, gid);
		n = err ? err : file_read_kernel(f, buf, BINPRM_BUF, 0);
		if (n < 0) {
			file_put(f);
			err = (int)n;
			break;
		}
		buf[n] = '\0';
		if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
			char interp[BINPRM_BUF];
			err = parse_script(buf, n, s, path, interp, sizeof(interp));
			file_put(f);
			if (err)
				break;
			strlcpy(path, interp, path_size);
			err = -ELOOP;
			continue;
		}
		if (n >= (long)sizeof(*eh) && memcmp(buf, "\177ELF", 4) == 0) {
			memcpy(eh, buf, sizeof(*eh));
			*fp = f;
			err = 0;
			break;
		}
		file_put(f);
		err = -ENOEXEC;
		break;
	}
	kfree(buf);
	return err;
}

static void set_comm(struct process *p, const char *path)
{
	const char *base = path;

	for (const char *c = path; *c; c++)
		if (*c == '/')
			base = c + 1;
	strlcpy(p->comm, base, sizeof(p->comm));
}

/* Past the point of no return: install the new image in the process. */
static void commit_image(struct process *p, struct user_thread *ut,
			 struct image *img, const char *path, const char *exe,
			 uaddr_t sp,
			 unsigned mode, uint32_t fuid, uint32_t fgid,
			 struct trap_frame *tf)
{
	struct mm *old = p->mm;
	struct mm_layout *l = mm_layout(img->mm);
	unsigned long irq;

	l->start_code = img->start_code;
	l->end_code = img->end_code;
	l->start_data = img->start_data;
	l->end_data = img->end_data;
	l->start_brk = l->brk = img->brk;
	l->mmap_base = STACK_TOP - MAX(p->rlimits[RLIMIT_STACK].cur,
				       MMAP_GAP_MIN);
	if (l->mmap_base > STACK_TOP - MMAP_GAP_MIN || l->mmap_base < (1UL << 32))
		l->mmap_base = STACK_TOP - MMAP_GAP_MIN;
	irq = spin_lock_irqsave(&process_tree_lock);  /* see procinfo.c */
	p->mm = img->mm;
	set_comm(p, path);
	strlcpy(p->exe_path, exe, sizeof(p->exe_path));
	spin_unlock_irqrestore(&process_tree_lock, irq);
	mm_activate(p->mm);
	mm_put(old);
	process_vfork_release(ut);
	fdtable_close_on_exec(p->files);
	sighand_reset_for_exec(p->sighand);
	p->did_exec = true;
	if (mode & 04000)
		p->cred.euid = p->cred.fsuid = fuid;
	if ((mode & 02010) == 02010)
		p->cred.egid = p->cred.fsgid = fgid;
	p->cred.suid = p->cred.euid;
	p->cred.sgid = p->cred.egid;

	fpu_init_state(ut->fpu);
	fpu_restore(ut->fpu);
	ut->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	ut->altstack = (struct user_stack){ 0, SS_DISABLE, 0, 0 };
	memset(tf, 0, sizeof(*tf));
	tf->rip = img->entry;
	tf->rsp = sp;
	tf->rflags = 0x202;
	tf->cs = GDT_USER_CODE;
	tf->ss = GDT_USER_DATA;
	tf->vector = SYSCALL_VECTOR;
}

static int do_execve(char *path, size_t path_size, struct exec_strings *s,
		     struct trap_frame *tf)
{
	struct process *p = current_process();
	struct user_thread *ut = current_user_thread();
	struct image img = { 0 };
	struct elf64_ehdr eh;
	struct file *f = NULL;
	unsigned mode = 0;
	uint32_t fuid = 0, fgid = 0;
	char exe[sizeof(p->exe_path)];
	uaddr_t sp;
	int err;

	err = open_executable(path, path_size, s, &f, &eh, &mode, &fuid, &fgid);
	if (err)
		return err;
	img.mm = mm_create();
	if (!img.mm) {
		file_put(f);
		return -ENOMEM;
	}
	mm_layout(img.mm)->mmap_base = STACK_TOP - MMAP_GAP_MIN;
	err = load_elf(&img, f, &eh);
	if (!err)
		err = build_stack(&img, s, path, &sp,
				  MIN(p->rlimits[RLIMIT_STACK].cur, 1UL << 30));
	/* /proc/<pid>/exe names the file itself, not the path used (which
	 * may be relative or go through symlinks such as /proc/self/exe). */
	if (file_path(f, exe, sizeof(exe)))
		strlcpy(exe, path, sizeof(exe));
	file_put(f);
	if (!err)
		err = process_exec_kill_other_threads();
	if (err) {
		mm_put(img.mm);
		return err;
	}
	commit_image(p, ut, &img, path, exe, sp, mode, fuid, fgid, tf);
	return 0;
}

#define EXEC_STRINGS_MAX (2UL << 20)    /* Linux: stack rlimit / 4 */

static int strings_alloc(struct exec_strings *s)
{
	s->cap = EXEC_STRINGS_MAX;
	s->len = 0;
	s->argc = s->envc = 0;
	s->buf = kmalloc(s->cap);
	return s->buf ? 0 : -ENOMEM;
}

int process_execve(const char *kpath, char *const kargv[], char *const kenvp[],
		   struct trap_frame *tf)
{
	struct exec_strings s;
	char path[256];
	int err;

	if ((err = strings_alloc(&s)))
		return err;
	strlcpy(path, kpath, sizeof(path));
	err = strings_collect(&s, kargv, 0, &s.argc);
	if (!err)
		err = strings_collect(&s, kenvp, 0, &s.envc);
	if (!err)
		err = do_execve(path, sizeof(path), &s, tf);
	kfree(s.buf);
	return err;
}

SYSCALL_DEFINE3(execve, uaddr_t, upath, uaddr_t, uargv, uaddr_t, uenvp)
{
	struct exec_strings s;
	char *path = kmalloc(4096);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, 4096);
	if (err >= 0 && (err = strings_alloc(&s)) == 0) {
		err = strings_collect(&s, NULL, uargv, &s.argc);
		if (!err)
			err = strings_collect(&s, NULL, uenvp, &s.envc);
		if (!err)
			err = do_execve(path, 4096, &s, syscall_user_frame());
		kfree(s.buf);
	}
	kfree(path);
	return err;
}
