/*
 * The boot information that GRUB hands over (multiboot2 spec, section 3.6),
 * parsed into struct boot_info.  The parser is pure code, also compiled into
 * the host unit tests; it validates every size against the buffer.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

#include "include/compiler.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_BOOTDEV = 5,
	MB2_TAG_MMAP = 6,
	MB2_TAG_VBE = 7,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ELF_SECTIONS = 9,
	MB2_TAG_APM = 10,
	MB2_TAG_EFI32 = 11,
	MB2_TAG_EFI64 = 12,
	MB2_TAG_SMBIOS = 13,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_NETWORK = 16,
	MB2_TAG_EFI_MMAP = 17,
	MB2_TAG_EFI_BS = 18,
	MB2_TAG_EFI32_IH = 19,
	MB2_TAG_EFI64_IH = 20,
	MB2_TAG_LOAD_BASE_ADDR = 21,
};

/* Memory region types (multiboot2 3.6.8, same values as the E820 types). */
enum boot_mem_type {
	BOOT_MEM_AVAILABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BADRAM = 5,
};

/* UEFI memory types (UEFI 2.10, 7.2) that are free once boot services end. */
enum efi_mem_type {
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
};

#define BOOT_MAX_MEM_REGIONS 256
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 1024

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;          /* enum boot_mem_type */
};

struct boot_module {
	uint64_t start;         /* physical, first byte */
	uint64_t end;           /* physical, one past the last byte */
	char cmdline[128];
};

struct boot_framebuffer {
	uint64_t addr;          /* physical */
	uint32_t pitch, width, height;
	uint8_t bpp, type;      /* type 1: direct RGB, 2: EGA text */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[64];
	uint32_t mem_lower_kib, mem_upper_kib;
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned mem_count;
	unsigned efi_mem_count;     /* descriptors in the EFI memory map tag */
	bool have_efi_mmap;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned module_count;
	struct boot_framebuffer fb;
	bool have_fb;
	uint8_t rsdp[36];           /* copy of the RSDP (v1: 20 bytes, v2: 36) */
	unsigned rsdp_len;          /* 0: none */
	uint64_t efi_system_table;  /* physical, 0 if not booted by UEFI */
	bool efi_boot_services_active;
	uint64_t load_base;         /* where GRUB put the image, if told */
	uint64_t info_phys_start, info_phys_end;  /* the info block itself */
};

/*
 * Parse the multiboot2 information block at @info (mapped, @avail readable
 * bytes at most; its own total_size must fit).  @info_phys is its physical
 * address, recorded so the block can be kept out of the free memory.
 * Returns 0, or -EINVAL if the block is malformed.
 */
int mb2_parse(const void *info, size_t avail, uint64_t info_phys,
	      struct boot_info *out);

/* Total bytes of BOOT_MEM_AVAILABLE memory. */
uint64_t boot_info_usable_bytes(const struct boot_info *bi);

#endif
