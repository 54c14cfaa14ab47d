/*
 * Who is calling: the role and ids that a verified API token stands for.
 */
#ifndef KD_PRINCIPAL_H
#define KD_PRINCIPAL_H

#include <stdint.h>

typedef enum kd_role {
	KD_ROLE_NONE = 0,
	KD_ROLE_KIOSK = 1 << 0,
	KD_ROLE_EMPLOYER = 1 << 1,
	KD_ROLE_ADMIN = 1 << 2,
} kd_role;

typedef struct kd_principal {
	kd_role role;
	int64_t token_id;
	int64_t employer_id;   /* employer tokens only, else 0 */
} kd_principal;

#endif
