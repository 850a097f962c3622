/*
 * Interrupt controllers: the legacy 8259 pair (remapped and masked), the
 * local APIC of each CPU (Intel SDM vol. 3A, chapter 11; xAPIC MMIO, or
 * x2APIC MSRs when the firmware left x2APIC mode on) and the IOAPICs
 * (82093AA datasheet) that route GSIs to vectors.
 */
#ifndef DRIVERS_APIC_H
#define DRIVERS_APIC_H

#include "include/compiler.h"

/* Remap the 8259s to VECTOR_PIC_BASE and mask all their lines. */
void pic_disable(void);

/* ---- local APIC ---- */

/* Enable this CPU's local APIC: spurious/error vectors, TPR 0, LINT
 * lines per the MADT NMI entries.  0 or -ENODEV. */
int lapic_init(void);
/* Signal end of interrupt to this CPU's local APIC. */
void lapic_eoi(void);
/* This CPU's local APIC id. */
uint32_t lapic_id(void);

/* Local APIC timer (SDM 11.5.4).  Counts down at the bus/core crystal
 * clock divided by 16. */
/* Start a one-shot count of @count with the timer interrupt masked. */
void lapic_timer_oneshot_masked(uint32_t count);
/* Current count of the timer. */
uint32_t lapic_timer_current(void);
/* Run periodically: @vector every @count ticks. */
void lapic_timer_periodic(uint8_t vector, uint32_t count);
/* Stop the timer. */
void lapic_timer_stop(void);

/* ---- IOAPIC ---- */

#define IRQ_ACTIVE_LOW 0x1      /* flags for ioapic_route_gsi() */
#define IRQ_LEVEL 0x2

#define ISA_IRQ_COUNT 16

/* Find the IOAPICs from the MADT and mask every redirection entry.
 * 0, or -ENODEV if there is none. */
int ioapic_init(void);
/* GSI and IRQ_* flags of ISA IRQ @irq after MADT overrides; -EINVAL
 * if @irq is not an ISA IRQ. */
long ioapic_isa_irq_to_gsi(unsigned irq, unsigned *flags);
/* Program @gsi to deliver @vector to the boot CPU with @flags, masked.
 * 0, or -EINVAL for a bad vector, -ENODEV if no IOAPIC serves @gsi. */
int ioapic_route_gsi(uint32_t gsi, uint8_t vector, unsigned flags);
/* Route ISA IRQ @irq (applying overrides) to @vector, masked.  Returns
 * the GSI (>= 0) or a negative errno. */
long ioapic_route_isa_irq(unsigned irq, uint8_t vector);
/* Mask or unmask @gsi.  0 or -ENODEV. */
int ioapic_mask_gsi(uint32_t gsi);
int ioapic_unmask_gsi(uint32_t gsi);

#endif
