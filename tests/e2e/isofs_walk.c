/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * isofs_walk [-R|-J|-I] IMAGE: an independent reader for readback.sh.
 *
 * libisofs imports IMAGE (iso_image_import) and this program prints one
 * line per node, depth-first, children in libisofs's (name) order:
 *
 *     TYPE SIZE FNV PATH
 *
 * TYPE is f (file), d (directory), l (symlink, SIZE = target length and
 * FNV over the target), s (special), b (boot catalog); FNV is the 64-bit
 * FNV-1a hash of the file content (0 for others), so content is checked
 * without a second copy.  The tree used: -R Rock Ridge (default), -J
 * Joliet, -I plain ISO 9660 names.  Exit 0, or 1 when libisofs fails.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/types.h>
#include <libisofs/libisofs.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL /* FNV-1a 64-bit parameters */
#define FNV_PRIME 0x100000001b3ULL
#define READ_CHUNK 65536
#define MAX_PATH_BYTES 65536

static uint64_t fnv_bytes(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* Hash a file's content through its libisofs stream. */
static int hash_file(IsoFile *file, uint64_t *out)
{
	static unsigned char buf[READ_CHUNK];
	IsoStream *st = iso_file_get_stream(file);
	uint64_t h = FNV_OFFSET;
	int n, err;

	err = iso_stream_open(st);
	if (err < 0)
		return err;
	while ((n = iso_stream_read(st, buf, sizeof(buf))) > 0)
		h = fnv_bytes(h, buf, (size_t)n);
	iso_stream_close(st);
	if (n < 0)
		return n;
	*out = h;
	return 0;
}

static int print_node(IsoNode *node, const char *path)
{
	enum IsoNodeType type = iso_node_get_type(node);
	uint64_t h = 0;
	const char *dest;
	int err = 0;

	switch (type) {
	case LIBISO_DIR:
		printf("d 0 0 %s\n", path);
		break;
	case LIBISO_FILE:
		err = hash_file((IsoFile *)node, &h);
		printf("f %" PRIu64 " %016" PRIx64 " %s\n",
		       (uint64_t)iso_file_get_size((IsoFile *)node), h, path);
		break;
	case LIBISO_SYMLINK:
		dest = iso_symlink_get_dest((IsoSymlink *)node);
		h = fnv_bytes(FNV_OFFSET, (const unsigned char *)dest,
			      strlen(dest));
		printf("l %zu %016" PRIx64 " %s\n", strlen(dest), h, path);
		break;
	case LIBISO_BOOT:
		printf("b 0 0 %s\n", path);
		break;
	default:
		printf("s 0 0 %s\n", path);
		break;
	}
	if (err < 0)
		fprintf(stderr, "isofs_walk: %s: read error %d\n", path, err);
	return err;
}

/* Depth-first walk; path holds the parent's path and is restored. */
static int walk(IsoDir *dir, char *path, size_t len)
{
	IsoDirIter *it = NULL;
	IsoNode *node;
	int err = 0, r;

	if (iso_dir_get_children(dir, &it) != 1)
		return -1;
	while ((r = iso_dir_iter_next(it, &node)) == 1) {
		const char *name = iso_node_get_name(node);
		size_t n = strlen(name);

		if (len + 1 + n + 1 > MAX_PATH_BYTES) {
			err = -1;
			goto out;
		}
		path[len] = '/';
		memcpy(path + len + 1, name, n + 1);
		if (print_node(node, path) < 0)
			err = -1;
		if (iso_node_get_type(node) == LIBISO_DIR &&
		    walk((IsoDir *)node, path, len + 1 + n) < 0)
			err = -1;
		path[len] = '\0';
	}
	if (r < 0)
		err = -1;
out:
	iso_dir_iter_free(it);
	return err;
}

int main(int argc, char **argv)
{
	IsoDataSource *src = NULL;
	IsoReadOpts *opts = NULL;
	IsoImage *image = NULL;
	IsoReadImageFeatures *features = NULL;
	const char *mode = "-R", *file;
	static char path[MAX_PATH_BYTES];
	int err = 1, r;

	if (argc == 3) {
		mode = argv[1];
		file = argv[2];
	} else if (argc == 2) {
		file = argv[1];
	} else {
		fprintf(stderr, "usage: isofs_walk [-R|-J|-I] IMAGE\n");
		return 2;
	}
	if (iso_init() < 0) {
		fprintf(stderr, "isofs_walk: iso_init failed\n");
		return 1;
	}
	iso_set_msgs_severities("NEVER", "FAILURE", "isofs_walk");
	if (iso_data_source_new_from_file(file, &src) < 0 ||
	    iso_read_opts_new(&opts, 0) < 0 ||
	    iso_image_new("walk", &image) < 0) {
		fprintf(stderr, "isofs_walk: %s: cannot open\n", file);
		goto out;
	}
	iso_read_opts_set_no_iso1999(opts, 1);
	if (strcmp(mode, "-J") == 0) {
		iso_read_opts_set_no_rockridge(opts, 1);
		iso_read_opts_set_preferjoliet(opts, 1);
	} else if (strcmp(mode, "-I") == 0) {
		iso_read_opts_set_no_rockridge(opts, 1);
		iso_read_opts_set_no_joliet(opts, 1);
	}
	r = iso_image_import(image, src, opts, &features);
	if (r < 0) {
		fprintf(stderr, "isofs_walk: %s: import failed: %s\n", file,
			iso_error_to_msg(r));
		goto out;
	}
	path[0] = '\0';
	err = walk(iso_image_get_root(image), path, 0) < 0;
out:
	if (features)
		iso_read_image_features_destroy(features);
	if (image)
		iso_image_unref(image);
	if (opts)
		iso_read_opts_free(opts);
	if (src)
		iso_data_source_unref(src);
	iso_finish();
	return err;
}
