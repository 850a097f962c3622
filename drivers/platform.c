/*
 * Platform bring-up placeholder.
 */
#include "drivers/platform.h"

void platform_init(const struct boot_info *bi)
{
}
