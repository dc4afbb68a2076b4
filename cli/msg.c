/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages of eltorito-mkisofs: one line each on standard error,
 * "prog: severity: path: text". The library never prints; it reports
 * through cli_msg_cb. -quiet drops notes, warnings and errors always show.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char *msg_prog = "eltorito-mkisofs";
static int msg_verbose = 1;

void cli_msg_setup(const char *prog, int verbose)
{
	if (prog)
		msg_prog = prog;
	msg_verbose = verbose;
}

static const char *severity_name(int severity)
{
	switch (severity) {
	case ELT_MSG_NOTE:
		return "note";
	case ELT_MSG_WARNING:
		return "warning";
	default:
		return "error";
	}
}

static void vmsg(int severity, const char *path, const char *fmt,
                 va_list ap)
{
	if (severity == ELT_MSG_NOTE && msg_verbose < 1)
		return;
	fprintf(stderr, "%s: %s: ", msg_prog, severity_name(severity));
	if (path && *path)
		fprintf(stderr, "%s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
}

void cli_msg(int severity, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(severity, path, fmt, ap);
	va_end(ap);
}

void cli_msg_cb(int severity, int code, const char *iso_path,
                const char *text, void *payload)
{
	(void)code;
	(void)payload;
	cli_msg(severity, iso_path, "%s", text ? text : "");
}

/* The library's message already starts with the path. */
void cli_msg_lib(elt_image *img, int err)
{
	const char *m = img ? elt_image_errmsg(img) : NULL;

	if (!m || !*m)
		m = elt_strerror(err);
	cli_msg(ELT_MSG_ERROR, NULL, "%s", m);
}
