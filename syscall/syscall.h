/*
 * System-call layer: the SYSCALL entry (entry.asm) builds a trap frame and
 * calls syscall_dispatch(), which looks the number up in the table
 * generated from syscall/syscalls.tbl (Linux x86_64 numbering) and calls
 * the sys_* handler.  Handlers are defined with SYSCALL_DEFINEn so that
 * each gets typed parameters while the table holds one uniform type.
 *
 *   SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, count)
 *   {
 *           ...
 *   }
 *
 * defines sys_read(long, ...) that converts its arguments and calls the
 * typed body.  Handlers return a value or a negative errno, which goes to
 * user space unchanged in RAX.
 */
#ifndef SYSCALL_SYSCALL_H
#define SYSCALL_SYSCALL_H

#include "include/compiler.h"

struct trap_frame;

#define SYSCALL_VECTOR 0x100    /* trap_frame.vector of a system call */

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

enum syscall_status {
	SYSCALL_MISSING,        /* -ENOSYS, logged once */
	SYSCALL_PARTIAL,        /* common cases only */
	SYSCALL_IMPLEMENTED,
};

struct syscall_entry {
	syscall_fn_t fn;        /* NULL when missing */
	const char *name;
	enum syscall_status status;
};

extern const struct syscall_entry syscall_table[];
extern const unsigned syscall_table_size;

/* Program the SYSCALL MSRs on this CPU. */
void syscall_init(void);
/* Called by entry.asm with the user's registers. */
void syscall_dispatch(struct trap_frame *tf);

/* The trap frame of the current thread's last entry from user mode. */
struct trap_frame *syscall_user_frame(void);

#define SC_ARG_DECL(t, a) long a##_raw
#define SC_ARG_CAST(t, a) (t)a##_raw

#define SC_MAP0(m, ...)
#define SC_MAP1(m, t, a) m(t, a)
#define SC_MAP2(m, t, a, ...) m(t, a), SC_MAP1(m, __VA_ARGS__)
#define SC_MAP3(m, t, a, ...) m(t, a), SC_MAP2(m, __VA_ARGS__)
#define SC_MAP4(m, t, a, ...) m(t, a), SC_MAP3(m, __VA_ARGS__)
#define SC_MAP5(m, t, a, ...) m(t, a), SC_MAP4(m, __VA_ARGS__)
#define SC_MAP6(m, t, a, ...) m(t, a), SC_MAP5(m, __VA_ARGS__)
#define SC_TYPED_DECL(t, a) t a

#define SC_UNUSED_ARGS0 long u1, long u2, long u3, long u4, long u5, long u6
#define SC_UNUSED_ARGS1 long u2, long u3, long u4, long u5, long u6
#define SC_UNUSED_ARGS2 long u3, long u4, long u5, long u6
#define SC_UNUSED_ARGS3 long u4, long u5, long u6
#define SC_UNUSED_ARGS4 long u5, long u6
#define SC_UNUSED_ARGS5 long u6

#define SYSCALL_DEFINEx(n, name, ...)                                        \
	static long do_sys_##name(SC_MAP##n(SC_TYPED_DECL, __VA_ARGS__));    \
	long sys_##name(SC_MAP##n(SC_ARG_DECL, __VA_ARGS__)                  \
			SC_COMMA##n SC_UNUSED_ARGS##n)                       \
	{                                                                    \
		return do_sys_##name(SC_MAP##n(SC_ARG_CAST, __VA_ARGS__));   \
	}                                                                    \
	static long do_sys_##name(SC_MAP##n(SC_TYPED_DECL, __VA_ARGS__))

#define SC_COMMA0
#define SC_COMMA1 ,
#define SC_COMMA2 ,
#define SC_COMMA3 ,
#define SC_COMMA4 ,
#define SC_COMMA5 ,

#define SYSCALL_DEFINE0(name)                                                \
	static long do_sys_##name(void);                                     \
	long sys_##name(SC_UNUSED_ARGS0)                                     \
	{                                                                    \
		return do_sys_##name();                                      \
	}                                                                    \
	static long do_sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...)                                           \
	static long do_sys_##name(SC_MAP6(SC_TYPED_DECL, __VA_ARGS__));      \
	long sys_##name(SC_MAP6(SC_ARG_DECL, __VA_ARGS__))                   \
	{                                                                    \
		return do_sys_##name(SC_MAP6(SC_ARG_CAST, __VA_ARGS__));     \
	}                                                                    \
	static long do_sys_##name(SC_MAP6(SC_TYPED_DECL, __VA_ARGS__))

#endif
