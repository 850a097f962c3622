/*
 * Page cache: the pages of a file's contents in memory, one cache per
 * inode that has one (Linux's address_space).
 *
 * A cache maps a file page index to a frame.  Frames are reference
 * counted like every user frame (pmm_frame_get/put): the cache holds one
 * reference, every page-table entry that maps the page holds one, and so
 * does anyone using the page for a moment (read(2) copying out of it).  A
 * page leaves the cache on truncation or when the cache is destroyed; it
 * is freed when its last reference goes.  Each page has a dirty flag.
 *
 * The file system provides the ops: read_page fills a page the first time
 * it is needed, write_page writes a dirty one back (none for tmpfs, whose
 * pages are the only copy, like Linux's shmem), size tells where the file
 * ends.  The cache also knows every VMA that maps the file (mm/uvm.c puts
 * them on its list), so truncation can take pages out of every address
 * space and writeback can write-protect them.
 *
 * Locking is internal (see struct page_cache in mm/internal.h).  Callers
 * may hold their inode's data lock, never an mm's page-table lock.
 */
#ifndef MM_PAGE_CACHE_H
#define MM_PAGE_CACHE_H

#include "include/compiler.h"

struct page_cache;

struct page_cache_ops {
	/* Fill @page (PAGE_SIZE bytes) with page @index of the file; bytes
	 * past EOF must read as zeros.  0 or -errno (-EIO).  May sleep; runs
	 * with no page-cache lock held and with the faulting mm's lock held,
	 * so it must not take the host's data lock.  NULL: pages start as
	 * zeros. */
	int (*read_page)(struct page_cache *pc, uint64_t index, void *page);
	/* Write page @index back.  0 or -errno.  NULL: the pages are the
	 * file's only copy: never written back, never dropped while the file
	 * exists. */
	int (*write_page)(struct page_cache *pc, uint64_t index,
			  const void *page);
	/* The file size in bytes, read without locks.  The host updates it
	 * before it calls page_cache_truncate() when the file shrinks. */
	uint64_t (*size)(struct page_cache *pc);
};

/* Flags of a cache. */
#define PAGE_CACHE_SHMEM 0x1    /* memory-only file (tmpfs): /proc "Shmem" */

/* A new empty cache for @host, or NULL. */
struct page_cache *page_cache_create(const struct page_cache_ops *ops,
				     void *host, unsigned flags);
/* Free the cache and its pages; nothing may map the file any more. */
void page_cache_destroy(struct page_cache *pc);
void *page_cache_host(struct page_cache *pc);

/* The frame of page @index with a reference for the caller, or 0 if the
 * page is not cached. */
paddr_t page_cache_find(struct page_cache *pc, uint64_t index);
/* The frame of page @index with a reference for the caller, read in
 * (or zeroed) if it is not cached yet.  0 and *pa, -ENOMEM, an error of
 * read_page, or -ENXIO if the page lies wholly past EOF, unless
 * @past_eof (a writer extending the file, holding the host's data lock so
 * that no truncation runs). */
int page_cache_get(struct page_cache *pc, uint64_t index, bool past_eof,
		   paddr_t *pa);
/* Drop a reference taken by page_cache_find/page_cache_get. */
void page_cache_put(paddr_t pa);
/* The page at @index (cached) was written to. */
void page_cache_set_dirty(struct page_cache *pc, uint64_t index);
/* Does the cache track dirty pages (has write_page)? */
bool page_cache_writes_back(struct page_cache *pc);
/* Write the dirty pages in [first, last] back (write-protecting them in
 * every shared mapping first, so the next store marks them dirty again).
 * 0 or the first error. */
int page_cache_writeback(struct page_cache *pc, uint64_t first,
			 uint64_t last);
/* The file shrank to @size (ops->size already returns it): remove the
 * whole pages past it from every mapping (private copies too, so later
 * access raises SIGBUS) and from the cache, and zero the rest of the
 * partial last page. */
void page_cache_truncate(struct page_cache *pc, uint64_t size);

/* Pages in the cache. */
uint64_t page_cache_nr_pages(struct page_cache *pc);
/* Is page @index cached (mincore)? */
bool page_cache_resident(struct page_cache *pc, uint64_t index);

/* System-wide counts in pages for /proc/meminfo. */
struct page_cache_stats {
	uint64_t cached;        /* every cached page */
	uint64_t shmem;         /* of which memory-only files */
	uint64_t dirty;         /* dirty pages of caches that write back */
};
void page_cache_stats(struct page_cache_stats *st);

#endif
