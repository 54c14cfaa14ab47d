#include <stdio.h>

#include "commands.h"

int kd_cmd_match(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kerjadekat match: not built yet\n");
	return 1;
}
