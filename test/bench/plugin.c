/*
 * QEMU TCG plugin for the benchmarks (scripts/bench).  Built as a host
 * shared object and loaded with
 *
 *   qemu-system-x86_64 -icount shift=0,sleep=off \
 *     -plugin build/bench/bench-plugin.so,out=FILE[,entry=ADDR]...[,mode=tb]
 *
 * It counts the guest instructions the (single) vCPU executes, split into
 * user and kernel by the virtual address of the code: kernel code lies in
 * the upper half (>= 0xffff800000000000) on our kernel and on Linux alike.
 * Real-mode and 32-bit code during boot counts as "user"; boot figures use
 * the total only.
 *
 * Marker instructions (test/bench/bench.h) delimit what is measured.  A
 * marker is the 8-byte long NOP "nopl disp32(%rsi,%rdi,8)", 0f 1f 84 fe,
 * whose displacement holds the magic 0xb3c0 in its high half and a tag in
 * its low half: tag = kind << 12 | id.  Compilers pad with long NOPs whose
 * displacement is zero, so the sequence does not occur by accident.  Kinds:
 *   1 start   remember the counters under id
 *   2 stop    print "stop ID USER KERNEL", the counts since start ID
 *   3 init    the first instruction of /init: print "init TOTAL SINCE_ENTRY"
 * With entry=ADDR (repeatable), the first execution of an instruction at
 * that virtual address is the kernel entry; it prints "entry ADDR TOTAL"
 * (later executions of it are printed too, at most a few).  At exit it
 * prints "total USER KERNEL".
 *
 * Counting model: by default (mode=insn) every instruction adds one to the
 * user or kernel counter as it starts executing (an inline add, no helper
 * call); an instruction that faults counts again when it is restarted.
 * mode=tb adds a translation block's whole length when the block starts
 * instead: about 10% faster, but a block left early (a page fault in its
 * middle, or an I/O instruction under -icount, after which QEMU retranslates)
 * is counted whole, which inflates counts by a few instructions per fault
 * and by several percent over a boot.  Counters are read at the marker,
 * after its own count was added.  One vCPU (-smp 1) is assumed: the counters
 * are plain globals, touched only from the vCPU thread.
 *
 * Profile: with profile=FILE, every kernel translation block also counts
 * its own executions (an inline add per block); at each stop marker the
 * blocks run since the matching start are written to FILE as
 * "prof ID VADDR INSNS" (INSNS = executions times the block's length, so a
 * block left early counts whole), which scripts/bench-profile turns into a
 * per-function profile with the kernel's symbols.  Only the kernel half is
 * profiled.
 *
 * Debian ships no plugin header, so the few API functions used here are
 * declared below from the QEMU 7.2 plugin API (version 1); the install
 * function refuses other API versions rather than misreading them.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (QEMU 7.2 include/qemu/qemu-plugin.h) ---- */

#define PLUGIN_EXPORT __attribute__((visibility("default")))
#define PLUGIN_API_VERSION 1

typedef uint64_t qemu_plugin_id_t;

typedef struct {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum qemu_plugin_op op,
						void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);

PLUGIN_EXPORT int qemu_plugin_version = PLUGIN_API_VERSION;

/* ---- the plugin ---- */

#define KERNEL_HALF 0xffff800000000000ull
#define MARK_SIZE 8
#define MARK_MAGIC 0xb3c0u
#define KIND_START 1
#define KIND_STOP 2
#define KIND_INIT 3
#define MAX_IDS 4096
#define MAX_ENTRIES 4
#define ENTRY_REPORTS 4

/* Instruction counters, [v] vCPU thread only (one vCPU). */
static uint64_t count_user;
static uint64_t count_kernel;

/* Start snapshots per marker id, [v]. */
static struct {
	uint64_t user, kernel;
	bool valid;
} starts[MAX_IDS];

/* Kernel entry addresses from the command line, [I] after install. */
static uint64_t entries[MAX_ENTRIES];
static int n_entries;
static int entry_reports;		/* [v] */
static uint64_t entry_total;		/* [v] total at the first entry hit */
static bool entry_seen;			/* [v] */
static bool per_insn = true;		/* [I] mode=insn (default) or mode=tb */
static FILE *out;			/* [I] */

/*
 * Profile records, one per translated kernel block (a block translated
 * again gets a new record; the profile script sums them by address).
 * Records live in chunks that never move, since QEMU holds a pointer to
 * each count.  [v] except prof_out [I].
 */
#define PROF_CHUNK 4096
struct prof_rec {
	uint64_t vaddr;
	uint64_t count;		/* executions, added by QEMU inline */
	uint64_t base;		/* count at the last start marker */
	uint32_t n_insns;
};
struct prof_chunk {
	struct prof_chunk *next;
	size_t used;
	struct prof_rec recs[PROF_CHUNK];
};
static struct prof_chunk *prof_chunks;
static FILE *prof_out;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

/* A marker's tag, or -1 if insn is not a marker. */
static int marker_tag(struct qemu_plugin_insn *insn)
{
	const uint8_t *b;

	if (qemu_plugin_insn_size(insn) != MARK_SIZE)
		return -1;
	b = qemu_plugin_insn_data(insn);
	if (b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x84 || b[3] != 0xfe)
		return -1;
	if ((uint32_t)(b[6] | b[7] << 8) != MARK_MAGIC)
		return -1;
	return b[4] | b[5] << 8;
}

static struct prof_rec *prof_new(uint64_t vaddr, size_t n_insns)
{
	struct prof_chunk *c = prof_chunks;

	if (!c || c->used == PROF_CHUNK) {
		c = calloc(1, sizeof(*c));
		if (!c) {
			perror("bench-plugin: profile");
			exit(1);
		}
		c->next = prof_chunks;
		prof_chunks = c;
	}
	c->recs[c->used].vaddr = vaddr;
	c->recs[c->used].n_insns = (uint32_t)n_insns;
	return &c->recs[c->used++];
}

/* Start marker: remember every block's count. */
static void prof_start(void)
{
	for (struct prof_chunk *c = prof_chunks; c; c = c->next)
		for (size_t i = 0; i < c->used; i++)
			c->recs[i].base = c->recs[i].count;
}

/* Stop marker id: write the blocks run since the start. */
static void prof_stop(unsigned id)
{
	for (struct prof_chunk *c = prof_chunks; c; c = c->next)
		for (size_t i = 0; i < c->used; i++) {
			struct prof_rec *r = &c->recs[i];
			uint64_t n = r->count - r->base;

			if (n)
				fprintf(prof_out, "prof %u 0x%" PRIx64 " %" PRIu64
					"\n", id, r->vaddr, n * r->n_insns);
			r->base = r->count;
		}
	fflush(prof_out);
}

static void on_marker(unsigned int vcpu, void *udata)
{
	unsigned tag = (unsigned)(uintptr_t)udata;
	unsigned kind = tag >> 12, id = tag & (MAX_IDS - 1);

	switch (kind) {
	case KIND_START:
		starts[id].user = count_user;
		starts[id].kernel = count_kernel;
		starts[id].valid = true;
		if (prof_out)
			prof_start();
		break;
	case KIND_STOP:
		if (!starts[id].valid) {
			emit("stop %u unmatched\n", id);
			break;
		}
		emit("stop %u %" PRIu64 " %" PRIu64 "\n", id,
		     count_user - starts[id].user,
		     count_kernel - starts[id].kernel);
		starts[id].valid = false;
		if (prof_out)
			prof_stop(id);
		break;
	case KIND_INIT:
		emit("init %" PRIu64 " %" PRIu64 "\n", count_user + count_kernel,
		     entry_seen ? count_user + count_kernel - entry_total : 0);
		break;
	default:
		emit("marker %u unknown kind\n", tag);
	}
}

static void on_entry(unsigned int vcpu, void *udata)
{
	uint64_t total = count_user + count_kernel;

	if (!entry_seen) {
		entry_seen = true;
		entry_total = total;
	}
	if (entry_reports < ENTRY_REPORTS) {
		entry_reports++;
		emit("entry 0x%" PRIx64 " %" PRIu64 "\n", (uint64_t)(uintptr_t)udata,
		     total);
	}
}

static bool is_entry(uint64_t vaddr)
{
	for (int i = 0; i < n_entries; i++)
		if (entries[i] == vaddr)
			return true;
	return false;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t *counter = qemu_plugin_tb_vaddr(tb) >= KERNEL_HALF ?
			    &count_kernel : &count_user;

	if (!per_insn)
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, counter, n);
	if (prof_out && counter == &count_kernel)
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64,
			&prof_new(qemu_plugin_tb_vaddr(tb), n)->count, 1);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		int tag;

		if (per_insn)
			qemu_plugin_register_vcpu_insn_exec_inline(
				insn, QEMU_PLUGIN_INLINE_ADD_U64, counter, 1);
		if (n_entries && is_entry(va))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_entry, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)va);
		tag = va < KERNEL_HALF ? marker_tag(insn) : -1;
		if (tag >= 0)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)tag);
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	emit("total %" PRIu64 " %" PRIu64 "\n", count_user, count_kernel);
	fclose(out);
	if (prof_out)
		fclose(prof_out);
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				      const qemu_info_t *info,
				      int argc, char **argv)
{
	const char *path = NULL;

	if (info->version.cur < PLUGIN_API_VERSION ||
	    info->version.min > PLUGIN_API_VERSION) {
		fprintf(stderr, "bench-plugin: QEMU plugin API %d..%d, "
			"built for %d\n", info->version.min, info->version.cur,
			PLUGIN_API_VERSION);
		return -1;
	}
	if (!info->system_emulation || info->system.smp_vcpus != 1) {
		fprintf(stderr, "bench-plugin: needs system emulation "
			"with one vCPU\n");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0) {
			path = argv[i] + 4;
		} else if (strncmp(argv[i], "entry=", 6) == 0 &&
			   n_entries < MAX_ENTRIES) {
			entries[n_entries++] = strtoull(argv[i] + 6, NULL, 0);
		} else if (strncmp(argv[i], "profile=", 8) == 0) {
			prof_out = fopen(argv[i] + 8, "w");
			if (!prof_out) {
				perror(argv[i] + 8);
				return -1;
			}
		} else if (strcmp(argv[i], "mode=insn") == 0) {
			per_insn = true;
		} else if (strcmp(argv[i], "mode=tb") == 0) {
			per_insn = false;
		} else {
			fprintf(stderr, "bench-plugin: unknown option %s\n",
				argv[i]);
			return -1;
		}
	}
	if (!path) {
		fprintf(stderr, "bench-plugin: out=FILE is required\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	emit("plugin api %d..%d mode %s\n", info->version.min, info->version.cur,
	     per_insn ? "insn" : "tb");
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
