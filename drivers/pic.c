/*
 * Legacy 8259A interrupt controllers.  The kernel uses the APICs, but the
 * 8259s still power up mapped over the CPU exception vectors, so they are
 * reinitialized to VECTOR_PIC_BASE..+15 (where a stray interrupt is
 * harmless) and all sixteen lines are masked.  Runs once at boot.
 */
#include "drivers/apic.h"
#include "cpu/cpu.h"
#include "cpu/x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

#define ICW1_ICW4 0x01          /* ICW4 follows */
#define ICW1_INIT 0x10
#define ICW4_8086 0x01

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC1_DATA, VECTOR_PIC_BASE);       /* ICW2: vector base */
	io_wait();
	outb(PIC2_DATA, VECTOR_PIC_BASE + 8);
	io_wait();
	outb(PIC1_DATA, 1 << 2);                /* ICW3: slave on IR2 */
	io_wait();
	outb(PIC2_DATA, 2);                     /* ICW3: cascade identity */
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	outb(PIC1_DATA, 0xff);                  /* OCW1: mask all */
	outb(PIC2_DATA, 0xff);
}
