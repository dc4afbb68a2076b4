/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Burning from the CLI through libburn (cli/burn.c). */
#ifndef ELT_CLI_BURN_H
#define ELT_CLI_BURN_H
#include "eltorito/eltorito.h"

struct cli_burn_opts {
	const char *drive;   /* --burn DRIVE, or NULL */
	int devices;         /* --devices */
	int speed_kbs;       /* --speed: kB/s, 0 = max */
	int dummy, eject, multi, verify;
	int blank;           /* --blank: 0 none, 1 fast, 2 all */
};

/* Parse --speed (N, Nx, max) and --blank values: 0 or -1 on bad input. */
int cli_burn_parse_speed(const char *arg, int *kbs);
int cli_burn_parse_blank(const char *arg, int *mode);
/* --devices: list drives on stdout, returns the exit status (0). */
int cli_burn_devices(void);
/* Burn the image; prints its own messages prefixed by prog;
 * returns the exit status (0 ok, 1 failure, 2 burning unavailable). */
int cli_burn(const char *prog, elt_image *img, const elt_write_opts *o,
             const struct cli_burn_opts *b, int quiet);
#endif
