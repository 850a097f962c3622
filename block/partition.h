/*
 * Partition tables (pure code, no I/O of its own): the GPT (UEFI 2.10,
 * chapter 5) and the MBR with its chain of extended boot records, read
 * through a callback and numbered as Linux numbers them (GPT: entry index
 * + 1; MBR: primary slots 1-4, logical partitions 5, 6, ... in chain
 * order).  Used by the block layer at disk registration and BLKRRPART,
 * and by the in-kernel tests with crafted sectors.
 */
#ifndef BLOCK_PARTITION_H
#define BLOCK_PARTITION_H

#include "include/types.h"

#define PART_MAX 128            /* highest partition number kept */

struct part_entry {
	unsigned partno;
	uint64_t start;         /* 512-byte sectors from the disk start */
	uint64_t nr_sectors;
};

struct part_table {
	const char *kind;       /* "gpt", "dos" or NULL (none found) */
	unsigned count;
	struct part_entry e[PART_MAX];
};

/* Read logical block @lba (of @lsize bytes) into @buf: 0 or -errno. */
typedef int (*part_read_fn)(void *ctx, uint64_t lba, void *buf);

/*
 * Parse the table of a disk of @nr_sectors 512-byte sectors with logical
 * blocks of @lsize bytes.  Fills @t (count 0 and kind NULL: no table);
 * entries lie inside the disk (ones starting past the end are dropped,
 * ones reaching past it are cut, as Linux does).  0, -ENOMEM, or the
 * read callback's error for the first sector.
 */
int partition_parse(part_read_fn read, void *ctx, uint64_t nr_sectors,
		    unsigned lsize, struct part_table *t);

/* CRC-32 (IEEE 802.3, reflected, init and final xor ~0) of @len bytes,
 * as the GPT header and entry array checksums use it. */
uint32_t partition_crc32(const void *buf, size_t len);

#endif
