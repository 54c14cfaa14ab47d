/*
 * Subcommands of the kerjadekat binary.  Each takes the arguments after its
 * own name (argv[0] is the subcommand name) and returns the process exit
 * status: 0 success, 1 runtime failure, 2 bad usage or bad input.
 */
#ifndef KD_COMMANDS_H
#define KD_COMMANDS_H

int kd_cmd_serve(int argc, char **argv);
int kd_cmd_migrate(int argc, char **argv);
int kd_cmd_token(int argc, char **argv);
int kd_cmd_area(int argc, char **argv);
int kd_cmd_match(int argc, char **argv);
int kd_cmd_demo(int argc, char **argv);
int kd_cmd_import(int argc, char **argv);
int kd_cmd_report(int argc, char **argv);

#endif
