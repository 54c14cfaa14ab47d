#include <stdio.h>

#include "commands.h"

int kd_cmd_token(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kerjadekat token: not built yet\n");
	return 1;
}
