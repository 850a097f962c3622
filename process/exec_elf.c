/*
 * ELF loading for execve (System V gABI, chapter 5 "Program Loading and
 * Dynamic Linking"; the behaviour of Linux's fs/binfmt_elf.c): the
 * program's PT_LOAD segments, its PT_INTERP program interpreter,
 * PT_GNU_STACK, the vDSO, and the address-space layout around them.
 *
 * Layout (Linux x86_64, 47-bit user space, TASK_SIZE = USER_TOP):
 *   stack top       USER_TOP, lowered by up to 16 GiB (22 bits of pages)
 *                   when randomizing
 *   mmap base       USER_TOP - clamp(RLIMIT_STACK + guard gap [+ 16 GiB
 *                   when randomizing], 128 MiB, 5/6 of user space), lowered
 *                   by up to 1 TiB (28 bits of pages) when randomizing:
 *                   0x7ffff7fff000 without randomization
 *   ET_EXEC         at its own addresses
 *   ET_DYN + interp a PIE: at ELF_ET_DYN_BASE (2/3 of user space,
 *                   0x555555554000) plus the mmap randomization
 *   ET_DYN alone    a static PIE or ld.so run as a program: in the mmap
 *                   area like a library, with its brk at ELF_ET_DYN_BASE
 *   interpreter     in the mmap area, top down from the mmap base
 *   vDSO            [vvar] + [vdso] below the interpreter (vdso_map)
 *   brk             after the program's last segment; with
 *                   randomize_va_space >= 2 one page later plus up to 1 GiB
 *
 * Segments are private file mappings of the program and interpreter
 * (load_segment: they share the page cache until written, and
 * /proc/<pid>/maps names the files), bss is anonymous memory.  Point of
 * no return: as in Linux, once the headers of the program and of its
 * interpreter have passed their checks, a failure no longer fails execve
 * but kills the process with SIGSEGV (img->fatal): a file that cannot be
 * mapped (ENODEV), an offset not congruent to its address (EINVAL), a
 * bss start past the end of the file (SIGBUS zeroing it: EIO).
 * PT_GNU_PROPERTY (x86 feature notes such as IBT/SHSTK) is accepted and
 * ignored, as Linux does without user shadow stacks.
 *
 * No locks of its own: everything here works on the new address space,
 * which no other thread can see yet.
 */
#include "process/internal.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"
#include "vdso/vdso.h"
#include "vfs/vfs.h"

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define ELF_ET_DYN_BASE (USER_TOP / 3 * 2)
#define PHDRS_MAX_BYTES 65536           /* Linux: load_elf_phdrs */
#define INTERP_PATH_MAX 4096            /* PATH_MAX */
#define STACK_RND_BITS 22               /* pages: 16 GiB */
#define MMAP_RND_BITS 28                /* pages: 1 TiB (vm.mmap_rnd_bits) */
#define BRK_RND_BITS 18                 /* pages: 1 GiB */
#define STACK_GUARD_GAP (256 * PAGE_SIZE)
#define MMAP_GAP_MIN (128UL << 20)
#define MMAP_GAP_MAX (USER_TOP / 6 * 5)

/* A random page-aligned offset below 2^@bits pages (0 if not randomizing). */
static uaddr_t exec_random_pages(const struct exec_image *img, unsigned bits)
{
	uint64_t r;

	if (!img->randomize)
		return 0;
	random_get_bytes(&r, sizeof(r));
	return (r & ((1UL << bits) - 1)) << PAGE_SHIFT;
}

/* Read @f's program headers into *@out; @bad is the errno for malformed
 * ones (ENOEXEC for the program, ELIBBAD for its interpreter). */
static int read_phdrs(struct file *f, const struct elf64_ehdr *eh,
		      struct elf64_phdr **out, int bad)
{
	size_t size = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	struct elf64_phdr *ph;

	if (eh->e_phentsize != sizeof(*ph) || size == 0 ||
	    size > PHDRS_MAX_BYTES)
		return bad;
	ph = kmalloc(size);
	if (!ph)
		return -ENOMEM;
	if (file_read_kernel(f, ph, size, eh->e_phoff) != (long)size) {
		kfree(ph);
		return bad;
	}
	*out = ph;
	return 0;
}

/* Read exactly @len bytes at @off: 0, the read error, or EIO if short. */
static int read_exact(struct file *f, void *buf, size_t len, uint64_t off)
{
	long n = file_read_kernel(f, buf, len, off);

	if (n == (long)len)
		return 0;
	return n < 0 ? (int)n : -EIO;
}

/* Open the interpreter named by PT_INTERP @ph of @f (open_exec rules: a
 * regular file the caller may execute). */
static int open_interp(struct file *f, const struct elf64_phdr *ph,
		       struct file **out)
{
	unsigned mode;
	uint32_t uid, gid;
	struct file *ip;
	char *path;
	int err;

	if (ph->p_filesz > INTERP_PATH_MAX || ph->p_filesz < 2)
		return -ENOEXEC;
	path = kmalloc(ph->p_filesz);
	if (!path)
		return -ENOMEM;
	err = read_exact(f, path, ph->p_filesz, ph->p_offset);
	if (!err && path[ph->p_filesz - 1] != '\0')
		err = -ENOEXEC;         /* not NUL-terminated */
	if (err)
		goto out;
	ip = file_open_kernel(path, 0 /* O_RDONLY */, 0);
	if (IS_ERR(ip)) {
		err = (int)PTR_ERR(ip);
		goto out;
	}
	err = file_check_exec(ip, &mode, &uid, &gid);
	if (err) {
		file_put(ip);
		goto out;
	}
	*out = ip;
out:
	kfree(path);
	return err;
}

/* The interpreter's header and program headers: EIO if the file is too
 * short for a header, ELIBBAD if it is not an x86-64 ELF file. */
static int read_interp_headers(struct file *ip, struct elf64_ehdr *ieh,
			       struct elf64_phdr **iph)
{
	int err = read_exact(ip, ieh, sizeof(*ieh), 0);

	if (err)
		return err;
	if (memcmp(ieh->e_ident, "\177ELF", 4) != 0 ||
	    ieh->e_machine != EM_X86_64)
		return -ELIBBAD;
	return read_phdrs(ip, ieh, iph, -ELIBBAD);
}

/* The page-aligned span of the PT_LOAD segments and their largest
 * power-of-two alignment (at least a page).  -ENOEXEC if there is none. */
static int load_span(const struct elf64_phdr *ph, int n, uaddr_t *lo,
		     uaddr_t *hi, uaddr_t *align)
{
	bool any = false;

	*lo = UINT64_MAX;
	*hi = 0;
	*align = PAGE_SIZE;
	for (int i = 0; i < n; i++) {
		uint64_t a = ph[i].p_align;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr ||
		    ph[i].p_vaddr + ph[i].p_memsz > USER_TOP)
			return -ENOEXEC;
		any = true;
		*lo = MIN(*lo, ALIGN_DOWN(ph[i].p_vaddr, PAGE_SIZE));
		*hi = MAX(*hi, ALIGN_UP(ph[i].p_vaddr + ph[i].p_memsz, PAGE_SIZE));
		if (a && !(a & (a - 1)) && a <= (1UL << 30))
			*align = MAX(*align, a);
	}
	return any ? 0 : -ENOEXEC;
}

/* The highest free range of @len bytes below the mmap base aligned to
 * @align, or 0. */
static uaddr_t find_free_aligned(struct mm *mm, size_t len, uaddr_t align)
{
	uaddr_t at = mm_find_free(mm, len + align - PAGE_SIZE);

	return at ? ALIGN_UP(at, align) : 0;
}

static unsigned elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? VM_READ : 0) | ((flags & PF_W) ? VM_WRITE : 0) |
	       ((flags & PF_X) ? VM_EXEC : 0);
}

/* What loading segments learned: the program's code and data bounds. */
struct seg_bounds {
	uaddr_t start_code, end_code, start_data, end_data;
	uaddr_t end;                    /* highest byte of memory + 1 */
};

/* Map [start, start+len) to the file @f from byte @offset (page aligned)
 * as private memory, as Linux's elf_map does with mmap. */
static int map_file_part(struct mm *mm, struct file *f, uaddr_t start,
			 size_t len, uint64_t offset, unsigned prot)
{
	struct mm_map_req req = {
		.addr = start, .len = len, .prot = prot,
		.maxprot = VM_READ | VM_WRITE | VM_EXEC,
		.file = f, .pgoff = offset >> PAGE_SHIFT,
	};
	int err = f->ops && f->ops->mmap ? f->ops->mmap(f) : -ENODEV;

	if (err)
		return err < 0 ? err : -ENODEV; /* no page cache to map */
	return mm_map(mm, &req);
}

/*
 * Map one PT_LOAD segment at @bias as Linux's elf_load does: the pages
 * that hold its file part are a private mapping of the file (so they
 * share the page cache until written, and /proc/<pid>/maps names the
 * file), the rest of the last such page is zeroed (that page becomes a
 * private copy) and whole pages past it up to p_memsz are anonymous zero
 * memory (the bss, writable as Linux's vm_brk_flags maps it).  A segment
 * whose first page is shared with the previous one maps over it.
 */
static int load_segment(struct mm *mm, struct file *f,
			const struct elf64_phdr *ph, uaddr_t bias,
			struct seg_bounds *b)
{
	uaddr_t addr = bias + ph->p_vaddr;
	uaddr_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	uaddr_t file_end = ALIGN_UP(addr + ph->p_filesz, PAGE_SIZE);
	uaddr_t end = ALIGN_UP(addr + ph->p_memsz, PAGE_SIZE);
	unsigned prot = elf_prot(ph->p_flags);
	int err = 0;

	if (ph->p_filesz > ph->p_memsz || addr < bias ||
	    !user_range_ok(start, end - start) || end == start)
		return -ENOEXEC;
	if (ph->p_filesz) {
		/* mmap needs the file offset and the address to agree
		 * within the page (Linux: EINVAL from do_mmap). */
		if ((addr - ph->p_offset) & (PAGE_SIZE - 1))
			return -EINVAL;
		err = map_file_part(mm, f, start, file_end - start,
				    ALIGN_DOWN(ph->p_offset, PAGE_SIZE), prot);
		if (!err && ph->p_memsz > ph->p_filesz &&
		    addr + ph->p_filesz < file_end)
			err = mm_zero_in(mm, addr + ph->p_filesz,
					 file_end - (addr + ph->p_filesz));
	} else {
		file_end = start;
	}
	if (!err && end > file_end)
		err = mm_map_fixed(mm, file_end, end - file_end,
				   VM_READ | VM_WRITE | (prot & VM_EXEC), 0);
	if (err)
		return err;
	if (ph->p_flags & PF_X) {
		if (!b->start_code || ALIGN_DOWN(addr, PAGE_SIZE) < b->start_code)
			b->start_code = ALIGN_DOWN(addr, PAGE_SIZE);
		b->end_code = MAX(b->end_code, addr + ph->p_filesz);
	} else {
		if (!b->start_data)
			b->start_data = addr;
		b->end_data = MAX(b->end_data, addr + ph->p_filesz);
	}
	b->end = MAX(b->end, addr + ph->p_memsz);
	return 0;
}

static int load_segments(struct mm *mm, struct file *f,
			 const struct elf64_phdr *ph, int n, uaddr_t bias,
			 struct seg_bounds *b)
{
	int err = 0;

	for (int i = 0; i < n && !err; i++)
		if (ph[i].p_type == PT_LOAD)
			err = load_segment(mm, f, &ph[i], bias, b);
	return err;
}

/* Stack top and mmap base (Linux: randomize_stack_top, mmap_base). */
static void choose_layout(struct exec_image *img, const struct rlimit64 *rl)
{
	uint64_t gap = rl->cur;
	uint64_t pad = STACK_GUARD_GAP +
		(img->randomize ? (1UL << STACK_RND_BITS) << PAGE_SHIFT : 0);

	if (gap + pad > gap)
		gap += pad;
	gap = MIN(MAX(gap, MMAP_GAP_MIN), MMAP_GAP_MAX);
	img->stack_top = USER_TOP - exec_random_pages(img, STACK_RND_BITS);
	mm_layout(img->mm)->mmap_base =
		ALIGN_DOWN(USER_TOP - gap - exec_random_pages(img, MMAP_RND_BITS),
			   PAGE_SIZE);
}

/* Where AT_PHDR points: the program headers inside the PT_LOAD segment
 * that holds them in the file (0 if none does). */
static uaddr_t phdr_address(const struct elf64_ehdr *eh,
			    const struct elf64_phdr *ph, uaddr_t bias)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset <= eh->e_phoff &&
		    eh->e_phoff < ph[i].p_offset + ph[i].p_filesz)
			return bias + ph[i].p_vaddr + eh->e_phoff - ph[i].p_offset;
	return 0;
}

static int load_program(struct exec_image *img, struct file *f,
			const struct elf64_ehdr *eh,
			const struct elf64_phdr *ph, bool has_interp)
{
	struct seg_bounds b = { 0 };
	uaddr_t lo, hi, align, bias = 0, brk;
	bool brk_moved = false;
	int err = load_span(ph, eh->e_phnum, &lo, &hi, &align);

	if (err)
		return err;
	if (eh->e_type == ET_DYN && has_interp) {
		bias = ELF_ET_DYN_BASE + exec_random_pages(img, MMAP_RND_BITS);
		bias = ALIGN_DOWN(ALIGN_DOWN(bias, align) - lo, PAGE_SIZE);
	} else if (eh->e_type == ET_DYN) {
		bias = find_free_aligned(img->mm, hi - lo, align);
		if (!bias)
			return -ENOMEM;
		bias -= lo;
	}
	err = load_segments(img->mm, f, ph, eh->e_phnum, bias, &b);
	if (err)
		return err;
	img->phdr_addr = phdr_address(eh, ph, bias);
	img->phnum = eh->e_phnum;
	img->prog_entry = img->entry = bias + eh->e_entry;
	img->start_code = b.start_code;
	img->end_code = b.end_code;
	img->start_data = b.start_data;
	img->end_data = b.end_data;
	brk = ALIGN_UP(b.end, PAGE_SIZE);
	if (eh->e_type == ET_DYN && !has_interp) {
		/* Keep a loader's brk away from the mmap area it lives in. */
		brk = ALIGN_UP(ELF_ET_DYN_BASE, PAGE_SIZE);
		brk_moved = true;
	}
	if (img->randomize > 1) {
		if (!brk_moved)
			brk += PAGE_SIZE;
		brk += exec_random_pages(img, BRK_RND_BITS);
	}
	img->brk = brk;
	return 0;
}

/* Load the interpreter (Linux: load_elf_interp); AT_BASE is its bias. */
static int load_interp(struct exec_image *img, struct file *ip,
		       const struct elf64_ehdr *ieh,
		       const struct elf64_phdr *iph)
{
	struct seg_bounds b = { 0 };
	uaddr_t lo, hi, align, bias = 0;
	int err;

	if (ieh->e_type != ET_EXEC && ieh->e_type != ET_DYN)
		return -EINVAL;
	err = load_span(iph, ieh->e_phnum, &lo, &hi, &align);
	if (err)
		return -EINVAL;
	if (ieh->e_type == ET_DYN) {
		bias = find_free_aligned(img->mm, hi - lo, PAGE_SIZE);
		if (!bias)
			return -ENOMEM;
		bias -= lo;
	}
	err = load_segments(img->mm, ip, iph, ieh->e_phnum, bias, &b);
	if (err)
		return err;
	img->interp_base = bias;
	img->entry = bias + ieh->e_entry;
	return 0;
}

int exec_load_elf(struct exec_image *img, struct file *f,
		  const struct elf64_ehdr *eh, const struct rlimit64 *stack_rlim)
{
	struct elf64_phdr *ph = NULL, *iph = NULL;
	struct elf64_ehdr ieh;
	struct file *ip = NULL;
	int err;

	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return -ENOEXEC;
	err = read_phdrs(f, eh, &ph, -ENOEXEC);
	if (err)
		return err;
	/* Linux: the first PT_INTERP counts; the last PT_GNU_STACK. */
	for (int i = 0; i < eh->e_phnum && !ip && !err; i++)
		if (ph[i].p_type == PT_INTERP)
			err = open_interp(f, &ph[i], &ip);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_GNU_STACK)
			img->exec_stack = (ph[i].p_flags & PF_X) != 0;
	if (!err && ip)
		err = read_interp_headers(ip, &ieh, &iph);
	if (err)
		goto out;

	/* Point of no return: from here on failures kill the process. */
	choose_layout(img, stack_rlim);
	err = load_program(img, f, eh, ph, ip != NULL);
	if (!err && ip)
		err = load_interp(img, ip, &ieh, iph);
	if (!err && img->entry >= USER_TOP)
		err = -EINVAL;
	if (!err)
		err = vdso_map(img->mm, &img->vdso_base);
	if (err) {
		pr_debug("exec: loading failed past the point of no return "
			 "(%d)\n", err);
		img->fatal = true;
		err = 0;
	}
out:
	kfree(iph);
	kfree(ph);
	if (ip)
		file_put(ip);
	return err;
}
