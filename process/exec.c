/*
 * execve: run an ELF64 executable (static, static-PIE, or dynamically
 * linked through its PT_INTERP interpreter, see exec_elf.c) or a "#!"
 * script in a new address space, and build Linux's initial stack (System V
 * AMD64 ABI, 3.4.1: argc, argv, envp, auxiliary vector) with the vDSO
 * announced in AT_SYSINFO_EHDR.
 *
 * The new address space is built completely before it replaces the old
 * one (commit_image).  Its layout follows Linux; randomize_va_space (0, 1
 * or 2, /proc/sys/kernel/randomize_va_space, default 2 as on Linux) says
 * whether the stack, mmap base, PIE and interpreter (and, at 2, brk)
 * addresses are randomized; 0 gives Linux's fixed layout.
 *
 * Locking: randomize_va_space is one int read once per exec (READ_ONCE);
 * the process fields exec replaces are written under process_tree_lock
 * (procinfo.c reads them there).
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

#define MAX_SCRIPT_DEPTH 4
#define BINPRM_BUF 256
#define STACK_ALIGN_RND 8192            /* Linux: arch_align_stack */

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
#define AT_SYSINFO_EHDR 33
#define AT_MINSIGSTKSZ 51

static int randomize_va_space = 2;      /* READ_ONCE / WRITE_ONCE */

int process_randomize_va_space(void)
{
	return READ_ONCE(randomize_va_space);
}

void process_set_randomize_va_space(int value)
{
	WRITE_ONCE(randomize_va_space, value);
}

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

/* Push @len bytes onto the new stack. */
static int push_bytes(struct exec_image *img, uaddr_t *sp, const void *data,
		      size_t len)
{
	*sp -= len;
	return mm_copy_in(img->mm, *sp, data, len);
}

static int build_stack(struct exec_image *img, const struct exec_strings *s,
		       const char *execfn, uaddr_t *rsp_out, uint64_t stack_size)
{
	struct process *p = current_process();
	uaddr_t sp = img->stack_top, strings, execfn_addr, platform, random;
	uint64_t rnd[2], *vec;
	size_t nvec, i = 0;
	uint32_t a, b, c, d;
	int err;

	err = mm_map_fixed(img->mm, img->stack_top - stack_size, stack_size,
			   VM_READ | VM_WRITE | (img->exec_stack ? VM_EXEC : 0),
			   VMA_GROWSDOWN);
	if (err)
		return err;
	if ((err = push_bytes(img, &sp, execfn, strlen(execfn) + 1)))
		return err;
	execfn_addr = sp;
	if ((err = push_bytes(img, &sp, s->buf, s->len)))
		return err;
	strings = sp;
	if (img->randomize) {
		random_get_bytes(&rnd[0], sizeof(rnd[0]));
		sp = ALIGN_DOWN(sp - rnd[0] % STACK_ALIGN_RND, 16);
	}
	if ((err = push_bytes(img, &sp, "x86_64", 7)))
		return err;
	platform = sp;
	random_get_bytes(rnd, sizeof(rnd));
	sp = ALIGN_DOWN(sp, 16);
	if ((err = push_bytes(img, &sp, rnd, sizeof(rnd))))
		return err;
	random = sp;

	nvec = 1 + s->argc + 1 + s->envc + 1 + 2 * 21;
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
	if (img->vdso_base)
		AUX(AT_SYSINFO_EHDR, img->vdso_base);
	AUX(AT_PHDR, img->phdr_addr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, img->interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->prog_entry);
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

/* Past the point of no return: install the new image in the process.
 * An image that failed to load (img->fatal) is installed all the same
 * and the process dies of SIGSEGV before it runs, as on Linux. */
static void commit_image(struct process *p, struct user_thread *ut,
			 struct exec_image *img, const char *path,
			 const char *exe, uaddr_t sp,
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
	if (img->fatal)
		signal_force_fault(SIGSEGV, SI_KERNEL, 0);
}

static int do_execve(char *path, size_t path_size, struct exec_strings *s,
		     struct trap_frame *tf)
{
	struct process *p = current_process();
	struct user_thread *ut = current_user_thread();
	struct exec_image *img;
	struct elf64_ehdr eh;
	struct file *f = NULL;
	unsigned mode = 0;
	uint32_t fuid = 0, fgid = 0;
	char exe[sizeof(p->exe_path)];
	uaddr_t sp = 0;
	int err;

	err = open_executable(path, path_size, s, &f, &eh, &mode, &fuid, &fgid);
	if (err)
		return err;
	img = kzalloc(sizeof(*img));
	if (img)
		img->mm = mm_create();
	if (!img || !img->mm) {
		kfree(img);
		file_put(f);
		return -ENOMEM;
	}
	img->randomize = process_randomize_va_space();
	err = exec_load_elf(img, f, &eh, &p->rlimits[RLIMIT_STACK]);
	if (!err && !img->fatal &&
	    build_stack(img, s, path, &sp,
			MIN(p->rlimits[RLIMIT_STACK].cur, 1UL << 30)))
		img->fatal = true;
	/* /proc/<pid>/exe names the file itself, not the path used (which
	 * may be relative or go through symlinks such as /proc/self/exe). */
	if (file_path(f, exe, sizeof(exe)))
		strlcpy(exe, path, sizeof(exe));
	file_put(f);
	if (!err)
		err = process_exec_kill_other_threads();
	if (err) {
		mm_put(img->mm);
		kfree(img);
		return err;
	}
	commit_image(p, ut, img, path, exe, sp, mode, fuid, fgid, tf);
	kfree(img);
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
