/*
 * multiboot2 boot information parser (multiboot2 spec 1.0, section 3.6).
 * The block starts with total_size and a reserved word, followed by tags
 * each 8-byte aligned: {u32 type, u32 size, payload}.  Every length is
 * checked against both the tag and the block before it is used.
 * When GRUB boots from UEFI it gives both a converted memory map (tag 6)
 * and the raw EFI map (tag 17); if tag 6 is missing the EFI map is
 * converted here.
 */
#include "boot/multiboot2.h"
#include "include/errno.h"
#include "lib/string.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void copy_string(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	size_t n = strnlen((const char *)src, len);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len,
		       uint32_t type)
{
	if (!len || bi->mem_count >= BOOT_MAX_MEM_REGIONS)
		return;
	if (base + len < base)          /* wraps: clamp to the top */
		len = -base;
	bi->mem[bi->mem_count++] = (struct boot_mem_region){ base, len, type };
}

static int parse_mmap(struct boot_info *bi, const uint8_t *p, uint32_t size)
{
	uint32_t entry_size;

	if (size < 16)
		return -EINVAL;
	entry_size = rd32(p + 8);
	if (entry_size < 24 || entry_size % 8)
		return -EINVAL;
	for (uint32_t off = 16; off + entry_size <= size; off += entry_size)
		add_region(bi, rd64(p + off), rd64(p + off + 8), rd32(p + off + 16));
	return 0;
}

static uint32_t efi_type_to_boot(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return BOOT_MEM_AVAILABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return BOOT_MEM_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS:
		return BOOT_MEM_NVS;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/* EFI descriptors: u32 type, u32 pad, u64 phys, u64 virt, u64 pages, u64 attr. */
static int parse_efi_mmap(struct boot_info *bi, const uint8_t *p, uint32_t size,
			  bool convert)
{
	uint32_t desc_size;

	if (size < 16)
		return -EINVAL;
	desc_size = rd32(p + 8);
	if (desc_size < 40)
		return -EINVAL;
	bi->have_efi_mmap = true;
	for (uint32_t off = 16; off + desc_size <= size; off += desc_size) {
		uint64_t pages = rd64(p + off + 24);
		bi->efi_mem_count++;
		if (convert && pages < (1ULL << 52))
			add_region(bi, rd64(p + off + 8), pages * 4096,
				   efi_type_to_boot(rd32(p + off)));
	}
	return 0;
}

static int parse_framebuffer(struct boot_info *bi, const uint8_t *p,
			     uint32_t size)
{
	struct boot_framebuffer *fb = &bi->fb;

	if (size < 31)
		return -EINVAL;
	fb->addr = rd64(p + 8);
	fb->pitch = rd32(p + 16);
	fb->width = rd32(p + 20);
	fb->height = rd32(p + 24);
	fb->bpp = p[28];
	fb->type = p[29];
	if (fb->type == 1 && size >= 38) {
		fb->red_pos = p[32];
		fb->red_size = p[33];
		fb->green_pos = p[34];
		fb->green_size = p[35];
		fb->blue_pos = p[36];
		fb->blue_size = p[37];
	}
	bi->have_fb = true;
	return 0;
}

static int parse_tag(struct boot_info *bi, const uint8_t *p, uint32_t type,
		     uint32_t size, bool have_mmap_tag)
{
	const uint8_t *payload = p + 8;
	uint32_t plen = size - 8;

	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_string(bi->cmdline, sizeof(bi->cmdline), payload, plen);
		break;
	case MB2_TAG_LOADER_NAME:
		copy_string(bi->loader_name, sizeof(bi->loader_name), payload, plen);
		break;
	case MB2_TAG_MODULE: {
		struct boot_module *m;
		if (plen < 8)
			return -EINVAL;
		if (bi->module_count >= BOOT_MAX_MODULES)
			break;
		m = &bi->modules[bi->module_count];
		m->start = rd32(payload);
		m->end = rd32(payload + 4);
		if (m->end < m->start)
			return -EINVAL;
		copy_string(m->cmdline, sizeof(m->cmdline), payload + 8, plen - 8);
		bi->module_count++;
		break;
	}
	case MB2_TAG_BASIC_MEMINFO:
		if (plen < 8)
			return -EINVAL;
		bi->mem_lower_kib = rd32(payload);
		bi->mem_upper_kib = rd32(payload + 4);
		break;
	case MB2_TAG_MMAP:
		return parse_mmap(bi, p, size);
	case MB2_TAG_EFI_MMAP:
		return parse_efi_mmap(bi, p, size, !have_mmap_tag);
	case MB2_TAG_FRAMEBUFFER:
		return parse_framebuffer(bi, p, size);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (plen < 20)
			return -EINVAL;
		/* Prefer the ACPI 2.0 RSDP when both are present. */
		if (type == MB2_TAG_ACPI_OLD && bi->rsdp_len > 20)
			break;
		bi->rsdp_len = plen < sizeof(bi->rsdp) ? plen : sizeof(bi->rsdp);
		memcpy(bi->rsdp, payload, bi->rsdp_len);
		break;
	case MB2_TAG_EFI64:
		if (plen < 8)
			return -EINVAL;
		bi->efi_system_table = rd64(payload);
		break;
	case MB2_TAG_EFI32:
		if (plen < 4)
			return -EINVAL;
		if (!bi->efi_system_table)
			bi->efi_system_table = rd32(payload);
		break;
	case MB2_TAG_EFI_BS:
		bi->efi_boot_services_active = true;
		break;
	case MB2_TAG_LOAD_BASE_ADDR:
		if (plen < 4)
			return -EINVAL;
		bi->load_base = rd32(payload);
		break;
	default:
		break;          /* tags we do not use */
	}
	return 0;
}

int mb2_parse(const void *info, size_t avail, uint64_t info_phys,
	      struct boot_info *out)
{
	const uint8_t *base = info;
	uint32_t total;
	bool have_mmap_tag = false;
	bool saw_end = false;

	memset(out, 0, sizeof(*out));
	if (avail < 16)
		return -EINVAL;
	total = rd32(base);
	if (total < 16 || total > avail)
		return -EINVAL;
	out->info_phys_start = info_phys;
	out->info_phys_end = info_phys + total;

	/* First pass: is there a converted memory map (tag 6)? */
	for (uint64_t off = 8; off + 8 <= total;) {
		uint32_t type = rd32(base + off), size = rd32(base + off + 4);
		if (size < 8 || size > total - off)
			return -EINVAL;
		if (type == MB2_TAG_MMAP)
			have_mmap_tag = true;
		if (type == MB2_TAG_END)
			break;
		off += ALIGN_UP((uint64_t)size, 8);
	}
	for (uint64_t off = 8; off + 8 <= total;) {
		uint32_t type = rd32(base + off), size = rd32(base + off + 4);
		int err;

		if (type == MB2_TAG_END) {
			saw_end = true;
			break;
		}
		err = parse_tag(out, base + off, type, size, have_mmap_tag);
		if (err)
			return err;
		off += ALIGN_UP((uint64_t)size, 8);
	}
	return saw_end ? 0 : -EINVAL;
}

uint64_t boot_info_usable_bytes(const struct boot_info *bi)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_AVAILABLE)
			sum += bi->mem[i].length;
	return sum;
}
