#include <stdio.h>
#include <string.h>

#include "commands/commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "serve", kd_cmd_serve, "run the HTTP API daemon" },
	{ "migrate", kd_cmd_migrate, "apply schema migrations" },
	{ "token", kd_cmd_token, "create or revoke API tokens" },
	{ "area", kd_cmd_area, "show or set the regencies the service serves" },
	{ "match", kd_cmd_match, "place seekers into vacancies (file or database)" },
	{ "demo", kd_cmd_demo, "generate a deterministic demo data set" },
	{ "import", kd_cmd_import, "import seekers or vacancies from a CSV file" },
	{ "report", kd_cmd_report, "write the vacancy report of a period as CSV" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: kerjadekat COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'kerjadekat COMMAND --help' describes each command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kerjadekat: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
