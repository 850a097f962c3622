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
#include "lib/cmdline.h"
#include "lib/cpio.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "cpu/cpu.h"
#include "drivers/platform.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "tty/tty.h"
#include "vfs/vfs.h"

#define KERNEL_NAME "kernel"
#define KERNEL_VERSION "0.1.0"

static struct boot_info boot_info;

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

/* The first kernel thread: everything after the scheduler is up. */
static void kernel_init(void *arg)
{
	mount_root(&boot_info);
	tty_dev_init();
	run_selected_tests();
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
	platform_init(&boot_info);
	sched_init();
	serial_tty_init();
	if (!thread_spawn("kinit", kernel_init, NULL))
		panic("cannot create the kinit thread");
	sched_idle_loop();
}

