/*
 * Host tests for boot/multiboot2.c: well-formed blobs built tag by tag as
 * the multiboot2 spec lays them out, and malformed ones that must be
 * rejected with -EINVAL without reading outside the buffer (ASan checks).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"
#include "boot/multiboot2.h"
#include "include/errno.h"

struct blob {
	uint8_t data[4096] __attribute__((aligned(8)));
	size_t len;
};

static void blob_start(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

static uint8_t *tag_begin(struct blob *b, uint32_t type)
{
	uint8_t *t = b->data + b->len;
	memcpy(t, &type, 4);
	return t;
}

static void tag_end(struct blob *b, uint8_t *t, size_t payload)
{
	uint32_t size = 8 + payload;
	memcpy(t + 4, &size, 4);
	b->len += (size + 7) & ~7u;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void add_string(struct blob *b, uint32_t type, const char *s)
{
	uint8_t *t = tag_begin(b, type);
	strcpy((char *)t + 8, s);
	tag_end(b, t, strlen(s) + 1);
}

static void add_mmap(struct blob *b, const uint64_t (*ents)[3], int n)
{
	uint8_t *t = tag_begin(b, MB2_TAG_MMAP);
	put32(t + 8, 24);
	put32(t + 12, 0);
	for (int i = 0; i < n; i++) {
		put64(t + 16 + i * 24, ents[i][0]);
		put64(t + 24 + i * 24, ents[i][1]);
		put32(t + 32 + i * 24, (uint32_t)ents[i][2]);
	}
	tag_end(b, t, 8 + 24 * n);
}

static void add_efi_mmap(struct blob *b, const uint64_t (*ents)[3], int n)
{
	const uint32_t desc = 48;  /* larger than the 40 bytes UEFI defines */
	uint8_t *t = tag_begin(b, MB2_TAG_EFI_MMAP);
	put32(t + 8, desc);
	put32(t + 12, 1);
	for (int i = 0; i < n; i++) {
		uint8_t *d = t + 16 + i * desc;
		put32(d, (uint32_t)ents[i][2]);
		put64(d + 8, ents[i][0]);
		put64(d + 24, ents[i][1]);
	}
	tag_end(b, t, 8 + desc * n);
}

static void add_module(struct blob *b, uint32_t start, uint32_t end,
		       const char *cmd)
{
	uint8_t *t = tag_begin(b, MB2_TAG_MODULE);
	put32(t + 8, start);
	put32(t + 12, end);
	strcpy((char *)t + 16, cmd);
	tag_end(b, t, 8 + strlen(cmd) + 1);
}

static void add_rsdp(struct blob *b, uint32_t type, uint8_t revision)
{
	uint8_t *t = tag_begin(b, type);
	size_t len = revision ? 36 : 20;
	memcpy(t + 8, "RSD PTR ", 8);
	t[8 + 15] = revision;
	tag_end(b, t, len);
}

static void blob_finish(struct blob *b)
{
	uint8_t *t = tag_begin(b, MB2_TAG_END);
	tag_end(b, t, 0);
	put32(b->data, (uint32_t)b->len);
}

static struct boot_info bi;

static void test_full(void)
{
	static const uint64_t mmap[][3] = {
		{ 0, 0x9fc00, 1 }, { 0x100000, 0x1ff00000, 1 },
		{ 0xfffc0000, 0x40000, 2 }, { 0x1f000000, 0x10000, 3 },
	};
	static const uint64_t efi[][3] = { { 0, 100, EFI_CONVENTIONAL_MEMORY } };
	struct blob b;
	uint8_t *t;

	blob_start(&b);
	add_string(&b, MB2_TAG_CMDLINE, "console=ttyS0 loglevel=7");
	add_string(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
	add_efi_mmap(&b, efi, 1);   /* ignored: tag 6 is present */
	add_mmap(&b, mmap, 4);
	add_module(&b, 0x800000, 0x801000, "initramfs");
	add_rsdp(&b, MB2_TAG_ACPI_NEW, 2);
	add_rsdp(&b, MB2_TAG_ACPI_OLD, 0);   /* must not replace the v2 copy */
	t = tag_begin(&b, MB2_TAG_EFI64);
	put64(t + 8, 0x1f9e0018);
	tag_end(&b, t, 8);
	t = tag_begin(&b, MB2_TAG_FRAMEBUFFER);
	put64(t + 8, 0xfd000000);
	put32(t + 16, 4096);
	put32(t + 20, 1024);
	put32(t + 24, 768);
	t[28] = 32;
	t[29] = 1;
	t[32] = 16; t[33] = 8; t[34] = 8; t[35] = 8; t[36] = 0; t[37] = 8;
	tag_end(&b, t, 30);
	t = tag_begin(&b, 99);    /* unknown tag: skipped */
	tag_end(&b, t, 5);
	blob_finish(&b);

	CHECK("full blob parses", mb2_parse(b.data, b.len, 0x10000, &bi) == 0);
	CHECK("cmdline", strcmp(bi.cmdline, "console=ttyS0 loglevel=7") == 0);
	CHECK("loader name", strcmp(bi.loader_name, "GRUB 2.06") == 0);
	CHECK("mmap count (EFI map not converted when tag 6 exists)",
	      bi.mem_count == 4);
	CHECK("efi descriptors counted", bi.have_efi_mmap && bi.efi_mem_count == 1);
	CHECK("mmap entry", bi.mem[1].base == 0x100000 &&
	      bi.mem[1].length == 0x1ff00000 && bi.mem[1].type == 1);
	CHECK("usable bytes", boot_info_usable_bytes(&bi) == 0x9fc00 + 0x1ff00000);
	CHECK("module", bi.module_count == 1 && bi.modules[0].start == 0x800000 &&
	      bi.modules[0].end == 0x801000 &&
	      strcmp(bi.modules[0].cmdline, "initramfs") == 0);
	CHECK("rsdp v2 kept over v1", bi.rsdp_len == 36 && bi.rsdp[15] == 2);
	CHECK("efi system table", bi.efi_system_table == 0x1f9e0018);
	CHECK("framebuffer", bi.have_fb && bi.fb.addr == 0xfd000000 &&
	      bi.fb.width == 1024 && bi.fb.height == 768 && bi.fb.bpp == 32 &&
	      bi.fb.red_pos == 16 && bi.fb.blue_size == 8);
	CHECK("info range", bi.info_phys_start == 0x10000 &&
	      bi.info_phys_end == 0x10000 + b.len);
}

static void test_efi_only(void)
{
	static const uint64_t efi[][3] = {
		{ 0x0, 0xa0, EFI_CONVENTIONAL_MEMORY },
		{ 0x100000, 0x100, EFI_BOOT_SERVICES_DATA },
		{ 0x200000, 0x10, EFI_ACPI_RECLAIM_MEMORY },
		{ 0x300000, 0x10, 11 /* MMIO */ },
	};
	struct blob b;

	blob_start(&b);
	add_efi_mmap(&b, efi, 4);
	blob_finish(&b);
	CHECK("efi-only blob parses", mb2_parse(b.data, b.len, 0, &bi) == 0);
	CHECK("efi map converted", bi.mem_count == 4);
	CHECK("boot services data is usable after exit",
	      bi.mem[1].type == BOOT_MEM_AVAILABLE && bi.mem[1].length == 0x100000);
	CHECK("acpi reclaim type", bi.mem[2].type == BOOT_MEM_ACPI_RECLAIMABLE);
	CHECK("mmio is reserved", bi.mem[3].type == BOOT_MEM_RESERVED);
}

static void test_malformed(void)
{
	struct blob b;
	uint8_t *t;

	blob_start(&b);
	blob_finish(&b);
	CHECK("minimal blob parses", mb2_parse(b.data, b.len, 0, &bi) == 0);
	CHECK("total_size beyond buffer",
	      mb2_parse(b.data, b.len - 1, 0, &bi) == -EINVAL);
	CHECK("buffer too small", mb2_parse(b.data, 4, 0, &bi) == -EINVAL);

	blob_start(&b);
	add_string(&b, MB2_TAG_CMDLINE, "x");
	put32(b.data, (uint32_t)b.len);    /* no end tag */
	CHECK("missing end tag", mb2_parse(b.data, b.len, 0, &bi) == -EINVAL);

	blob_start(&b);
	t = tag_begin(&b, MB2_TAG_CMDLINE);
	tag_end(&b, t, 4);
	put32(t + 4, 0x10000);             /* tag claims to be huge */
	blob_finish(&b);
	CHECK("tag larger than block", mb2_parse(b.data, b.len, 0, &bi) == -EINVAL);

	blob_start(&b);
	t = tag_begin(&b, MB2_TAG_CMDLINE);
	tag_end(&b, t, 0);
	put32(t + 4, 4);                   /* smaller than a tag header */
	blob_finish(&b);
	CHECK("tag smaller than header", mb2_parse(b.data, b.len, 0, &bi) == -EINVAL);

	blob_start(&b);
	add_module(&b, 0x2000, 0x1000, "");
	blob_finish(&b);
	CHECK("module end before start", mb2_parse(b.data, b.len, 0, &bi) == -EINVAL);

	blob_start(&b);
	t = tag_begin(&b, MB2_TAG_MMAP);
	put32(t + 8, 8);                   /* entry_size too small */
	tag_end(&b, t, 8 + 24);
	blob_finish(&b);
	CHECK("mmap entry size too small", mb2_parse(b.data, b.len, 0, &bi) == -EINVAL);

	blob_start(&b);
	t = tag_begin(&b, MB2_TAG_CMDLINE);
	memset(t + 8, 'a', 8);             /* not NUL terminated */
	tag_end(&b, t, 8);
	blob_finish(&b);
	CHECK("unterminated string is bounded",
	      mb2_parse(b.data, b.len, 0, &bi) == 0 && strlen(bi.cmdline) == 8);
}

static void test_random_garbage(void)
{
	/* Random tag streams must never crash or read out of bounds (ASan),
	 * must only ever give 0 or -EINVAL, and what they accept must stay
	 * within the parser's own bounds. */
	int odd_result = 0, out_of_bounds = 0, rejected = 0;

	srand(1234);
	for (int round = 0; round < 2000; round++) {
		size_t len = 16 + rand() % 256;
		uint8_t *buf = malloc(len);
		int r;

		for (size_t i = 0; i < len; i++)
			buf[i] = rand();
		put32(buf, (uint32_t)(rand() % (len + 8)));
		r = mb2_parse(buf, len, 0, &bi);
		if (r == -EINVAL)
			rejected++;
		else if (r != 0)
			odd_result++;
		else if (bi.mem_count > BOOT_MAX_MEM_REGIONS ||
			 bi.module_count > BOOT_MAX_MODULES ||
			 strlen(bi.cmdline) >= sizeof(bi.cmdline) ||
			 bi.info_phys_end > len)
			out_of_bounds++;
		free(buf);
	}
	CHECK("random blobs: only 0 or -EINVAL", odd_result == 0);
	CHECK("random blobs: accepted ones stay in bounds", out_of_bounds == 0);
	CHECK("random blobs: garbage is rejected", rejected > 0);
}

int main(void)
{
	test_full();
	test_efi_only();
	test_malformed();
	test_random_garbage();
	return host_test_finish();
}
