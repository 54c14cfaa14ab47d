#include <stdio.h>

#include "commands.h"

int kd_cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kerjadekat serve: not built yet\n");
	return 1;
}
