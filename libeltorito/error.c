/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error codes, the per-image error line and the message callback. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Format "path: text" into buf, replacing control characters in the path
 * so that every message stays on one line. */
static void format_line(char *buf, size_t cap, const char *path,
                        const char *fmt, va_list ap)
{
	size_t used = 0;

	buf[0] = '\0';
	if (path) {
		const unsigned char *p;
		for (p = (const unsigned char *)path; *p && used + 5 < cap; p++) {
			if (*p < 0x20 || *p == 0x7f)
				used += (size_t)snprintf(buf + used, cap - used,
				                         "\\x%02x", *p);
			else
				buf[used++] = (char)*p;
		}
		if (used + 3 < cap) {
			buf[used++] = ':';
			buf[used++] = ' ';
		}
		buf[used] = '\0';
	}
	if (used < cap)
		vsnprintf(buf + used, cap - used, fmt, ap);
}

int err_set(elt_image *img, int code, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!img)
		return code;
	va_start(ap, fmt);
	format_line(img->errmsg, sizeof img->errmsg, path, fmt, ap);
	va_end(ap);
	return code;
}

void msg_emit(elt_image *img, int severity, int code, const char *path,
              const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (!img || !img->msg_fn)
		return;
	va_start(ap, fmt);
	format_line(text, sizeof text, NULL, fmt, ap);
	va_end(ap);
	img->msg_fn(severity, code, path, text, img->msg_payload);
}

const char *elt_strerror(int code)
{
	switch (code) {
	case ELT_OK: return "success";
	case ELT_ENOMEM: return "out of memory";
	case ELT_EINVAL: return "invalid argument";
	case ELT_EIO: return "input/output error";
	case ELT_ENOENT: return "no such file or directory";
	case ELT_EEXIST: return "already exists";
	case ELT_ELIMIT: return "ISO 9660 limit exceeded";
	case ELT_ESTATE: return "not allowed while a stream exists";
	case ELT_ECANCELED: return "cancelled";
	case ELT_EINTERNAL: return "internal error in libeltorito, please report";
	default: return "unknown error";
	}
}

const char *elt_version(void)
{
	return PACKAGE_VERSION;
}
