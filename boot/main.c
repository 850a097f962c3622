/*
 * kmain: the first C code.  Runs on the boot stack with interrupts off and
 * brings up each subsystem in one explicit order; every step may rely on
 * the ones above it.
 */
#include "boot/multiboot2.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "drivers/serial.h"
#include "drivers/power.h"
#include "drivers/pci.h"
#include "virtio/virtio.h"
#include "lib/cmdline.h"
#include "lib/cpio.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "cpu/cpu.h"
#include "drivers/platform.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "process/process.h"
#include "tty/tty.h"
#include "vdso/vdso.h"
#include "vfs/vfs.h"
#include "net/net.h"
#include "include/errno.h"

#define KERNEL_NAME "kernel"
#define KERNEL_VERSION "0.1.0"

static struct boot_info boot_info;
static struct thread *init_thread;

static void apply_early_params(void)
{
	long level = cmdline_get_long(&boot_cmdline, "loglevel", -1);

	if (level >= 0)
		printk_set_console_loglevel(level > 8 ? 8 : (int)level);
	panic_set_timeout(cmdline_get_long(&boot_cmdline, "panic", 0));
}

static void print_memory_map(const struct boot_info *bi)
{
	static const char *const names[] = {
		"?", "usable", "reserved", "ACPI data", "ACPI NVS", "bad",
	};

	pr_info("memory map (%u regions%s):\n", bi->mem_count,
		bi->have_efi_mmap ? ", from UEFI" : "");
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		pr_info("  [mem 0x%016llx-0x%016llx] %s\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->length - 1),
			r->type < ARRAY_SIZE(names) ? names[r->type] : "reserved");
	}
	pr_info("memory: %llu MiB usable\n",
		(unsigned long long)(boot_info_usable_bytes(bi) >> 20));
	if (bi->have_fb)
		pr_info("framebuffer: %ux%u, %u bpp, pitch %u, type %u at %#llx\n",
			bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.pitch,
			bi->fb.type, (unsigned long long)bi->fb.addr);
	if (bi->efi_system_table)
		pr_info("efi: system table at %#llx\n",
			(unsigned long long)bi->efi_system_table);
}

/*
 * ktest=all|name,... runs in-kernel tests; afterwards ktest_done=poweroff
 * (default), reboot or halt decides how the boot ends.
 */
static void run_selected_tests(void)
{
	const char *spec = cmdline_get(&boot_cmdline, "ktest");
	const char *done = cmdline_get(&boot_cmdline, "ktest_done");

	if (!spec)
		return;
	ktest_run(spec);
	if (!done || strcmp(done, "poweroff") == 0)
		power_off();
	if (strcmp(done, "reboot") == 0)
		power_reboot();
}

/*
 * The first module2 is the initramfs (a cpio newc archive).  Check it and
 * report its size; unpacking it into the root file system comes with the
 * VFS.
 */
static void report_initramfs(const struct boot_info *bi)
{
	const struct boot_module *m = &bi->modules[0];
	const uint8_t *data;
	size_t len, offset = 0;
	struct cpio_entry entry;
	int entries = 0, err;

	if (bi->module_count == 0) {
		pr_info("initramfs: none given\n");
		return;
	}
	data = PHYS_TO_VIRT(m->start);
	len = m->end - m->start;
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		pr_warn("initramfs: gzip-compressed archives are not supported yet\n");
		return;
	}
	while ((err = cpio_next(data, len, &offset, &entry)) == 1)
		entries++;
	if (err < 0)
		pr_warn("initramfs: malformed cpio archive after %d entries at "
			"offset %zu\n", entries, offset);
	else
		pr_info("initramfs: %zu bytes at %#llx, %d entries\n", len,
			(unsigned long long)m->start, entries);
}

/* The root file system: a tmpfs holding the initramfs. */
static void mount_root(const struct boot_info *bi)
{
	const struct boot_module *m = &bi->modules[0];

	if (bi->module_count == 0)
		vfs_init(NULL, 0);
	else
		vfs_init(PHYS_TO_VIRT(m->start), m->end - m->start);
}

/* Report the tick count once a second for three seconds. */
static void report_ticks(void)
{
	for (int second = 1; second <= 3; second++) {
		uint64_t deadline = (uint64_t)second * 1000000000ULL;
		uint64_t now = clock_uptime_ns();

		if (now < deadline)
			sched_sleep_ns(deadline - now);
		pr_info("timer: %llu ticks at %d s\n",
			(unsigned long long)this_cpu()->ticks, second);
	}
}

/* Parameters the kernel itself consumes (not passed to init). */
static bool kernel_param_known(const char *name)
{
	static const char *const known[] = {
		"console", "loglevel", "panic", "ktest", "ktest_done", "rdinit",
		"init", "strace", "root", "rootfstype", "rootwait", "ro", "rw",
		"quiet", "earlyprintk", "reboot",
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(name, known[i]) == 0)
			return true;
	return false;
}

/*
 * Run the init program as pid 1, as Linux does: rdinit= (default /init)
 * from the initramfs, else init=, with the words after "--" as its
 * arguments and unknown name=value words as its environment.
 */
static void start_init(void)
{
	static char *argv[CMDLINE_MAX_WORDS + 2];
	static char *envp[CMDLINE_MAX_WORDS + 3];
	const char *paths[2] = { cmdline_get(&boot_cmdline, "rdinit"),
				 cmdline_get(&boot_cmdline, "init") };
	unsigned envc = 0;
	int err = -ENOENT;

	if (!paths[0])
		paths[0] = "/init";
	envp[envc++] = "HOME=/";
	envp[envc++] = "TERM=linux";
	for (unsigned i = 0; i < boot_cmdline.count; i++) {
		const char *name = boot_cmdline.names[i];
		if (boot_cmdline.values[i] && !strchr(name, '.') &&
		    !kernel_param_known(name) && envc < ARRAY_SIZE(envp) - 1) {
			envp[envc] = kmalloc(strlen(name) +
					     strlen(boot_cmdline.values[i]) + 2);
			if (!envp[envc])
				break;
			format_snprintf(envp[envc], SIZE_MAX, "%s=%s", name,
					boot_cmdline.values[i]);
			envc++;
		}
	}
	envp[envc] = NULL;
	for (unsigned p = 0; p < 2; p++) {
		struct file *f;
		if (!paths[p])
			continue;
		f = file_open_kernel(paths[p], 0, 0);
		if (IS_ERR(f)) {
			pr_info("init: %s: error %ld\n", paths[p], PTR_ERR(f));
			continue;
		}
		file_put(f);
		argv[0] = (char *)paths[p];
		for (unsigned i = 0; i < boot_cmdline.init_arg_count; i++)
			argv[i + 1] = (char *)boot_cmdline.init_args[i];
		argv[boot_cmdline.init_arg_count + 1] = NULL;
		pr_info("Run %s as init process\n", paths[p]);
		err = process_run_init(paths[p], argv, envp);
		pr_err("init: running %s failed: error %d\n", paths[p], err);
	}
	if (paths[1] || err != -ENOENT)
		panic("No working init found.  Try passing init= option to kernel.");
}

/* The first kernel thread: everything after the scheduler is up. */
static void kernel_init(void *arg)
{
	mount_root(&boot_info);
	tty_dev_init();
	/* Devices need /dev (devtmpfs) and sleep on their first I/O. */
	pci_init();
	virtio_blk_init();
	virtio_rng_init();
	virtio_pci_init();
	net_init();
	run_selected_tests();
	start_init();
	pr_info("no init program in the initramfs\n");
	report_ticks();
	pr_info("idle\n");
}

void kmain(uint32_t magic, uint32_t info_phys)
{
	const void *info = PHYS_TO_VIRT(info_phys);
	int err;

	percpu_init_cpu(0);
	serial_init();
	pr_notice("%s %s (x86_64) booting\n", KERNEL_NAME, KERNEL_VERSION);
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("bad multiboot2 magic %#x", magic);
	err = mb2_parse(info, *(const uint32_t *)info, info_phys, &boot_info);
	if (err)
		panic("malformed multiboot2 information (%d)", err);
	cmdline_parse(&boot_cmdline, boot_info.cmdline);
	apply_early_params();
	pr_info("command line: %s\n", boot_info.cmdline);
	pr_info("boot loader: %s\n", boot_info.loader_name);
	print_memory_map(&boot_info);

	report_initramfs(&boot_info);

	cpu_init();
	mm_init(&boot_info);
	vdso_init();            /* before clock_init publishes into it */
	platform_init(&boot_info);
	process_init();
	sched_init();
	/* pid 1, created first so that it gets that id; its stack top
	 * keeps room for the user trap frame. */
	init_thread = thread_create("kinit", kernel_init, NULL,
				    sizeof(struct trap_frame));
	if (!init_thread)
		panic("cannot create the kinit thread");
	serial_tty_init();
	thread_start(init_thread);
	sched_idle_loop();
}

