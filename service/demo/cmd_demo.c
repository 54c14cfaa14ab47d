#include <stdio.h>

#include "commands.h"

int kd_cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kerjadekat demo: not built yet\n");
	return 1;
}
