/*
 * Basic scalar types for the kernel.  Built from the compiler's predefined
 * type macros so that the same header works freestanding and in host tests.
 */
#ifndef INCLUDE_TYPES_H
#define INCLUDE_TYPES_H

#ifdef HOST_TEST
/* Host unit tests: take the C library's definitions of the same types. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#else

typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef long ssize_t;

#ifndef __cplusplus
#if !defined(__bool_true_false_are_defined)
typedef _Bool bool;
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

#define offsetof(type, member) __builtin_offsetof(type, member)

#define UINT64_MAX (~(uint64_t)0)
#define UINT32_MAX (~(uint32_t)0)
#define SIZE_MAX (~(size_t)0)
#define INT64_MAX ((int64_t)(UINT64_MAX >> 1))
#define INT32_MAX 0x7fffffff
#define INT32_MIN (-INT32_MAX - 1)

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_end(ap) __builtin_va_end(ap)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_copy(d, s) __builtin_va_copy(d, s)

#endif /* HOST_TEST */

typedef uint64_t paddr_t;   /* physical address */
typedef uint64_t vaddr_t;   /* kernel virtual address as an integer */
typedef uint64_t uaddr_t;   /* user virtual address */

#endif
