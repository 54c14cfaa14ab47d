#include <stdio.h>

#include "commands.h"

int kd_cmd_migrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kerjadekat migrate: not built yet\n");
	return 1;
}
