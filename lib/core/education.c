#include "core/education.h"

#include <string.h>

#include "kd.h"

static const char *const codes[KD_EDU_COUNT] = {
	"NONE", "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3",
};

static const int ranks[KD_EDU_COUNT] = { 0, 1, 2, 3, 3, 4, 5, 6, 7, 7, 8, 9 };

int kd_education_parse(const char *code)
{
	for (int i = 0; i < KD_EDU_COUNT; i++)
		if (strcmp(code, codes[i]) == 0)
			return i;
	return kd_error(EINVAL);
}

const char *kd_education_code(kd_education level)
{
	return (unsigned)level < KD_EDU_COUNT ? codes[level] : "NONE";
}

int kd_education_rank(kd_education level)
{
	return (unsigned)level < KD_EDU_COUNT ? ranks[level] : 0;
}
