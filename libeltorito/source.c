/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * All input I/O: the filesystem walk (lstat only, files are not opened)
 * and reading file content while streaming.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* State of one elt_image_add_tree walk. */
struct walk {
	elt_image *img;
	unsigned int flags;
	char *path;           /* disk path of the entry being looked at */
	size_t len, cap;
	uint64_t (*stack)[2]; /* dev/ino of the directories being walked (-f) */
	size_t depth, stack_cap;
	struct elt_node *dotdot; /* shadow of the directory being merged */
	int64_t last_mtime;   /* mtime of the last entry stat() followed */
};

bool source_match(const struct pattern_list *pl, const char *path,
                  const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		if ((name && fnmatch(pl->globs[i], name, FNM_PATHNAME) == 0) ||
		    (path && fnmatch(pl->globs[i], path, FNM_PATHNAME) == 0)) {
			if (idx)
				*idx = i;
			return true;
		}
	}
	return false;
}

/* mkisofs -no-bak (measured on genisoimage 1.1.11): a name containing
 * '~' or '#' anywhere, or ending in ".bak". */
static bool is_backup(const char *name)
{
	size_t l = strlen(name);

	if (strchr(name, '~') || strchr(name, '#'))
		return true;
	return l >= 4 && strcmp(name + l - 4, ".bak") == 0;
}

static int path_reserve(struct walk *w, size_t need)
{
	if (need <= w->cap)
		return 0;
	while (w->cap < need)
		w->cap = w->cap ? w->cap * 2 : 4096;
	w->path = realloc(w->path, w->cap);
	return w->path ? 0 : ELT_ENOMEM;
}

/* Append "/name" to the walk path (no double slash); returns old length. */
static int path_push(struct walk *w, const char *name, size_t *old)
{
	size_t nl = strlen(name);

	*old = w->len;
	if (path_reserve(w, w->len + nl + 2) < 0)
		return ELT_ENOMEM;
	if (w->len && w->path[w->len - 1] != '/')
		w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, nl + 1);
	w->len += nl;
	return 0;
}

static void fill_attrs(struct elt_node *n, const struct stat *st)
{
	n->mode = st->st_mode;
	n->nlink = (uint32_t)st->st_nlink;
	n->uid = st->st_uid;
	n->gid = st->st_gid;
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	n->rdev = st->st_rdev;
	n->mtime = st->st_mtim.tv_sec;
	n->atime = st->st_atim.tv_sec;
	n->ctime = st->st_ctim.tv_sec;
	n->size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
}

static bool inode_excluded(const elt_image *img, const struct stat *st)
{
	size_t i;

	for (i = 0; i < img->n_excl_inodes; i++)
		if (img->excl_inodes[2 * i] == (uint64_t)st->st_dev &&
		    img->excl_inodes[2 * i + 1] == (uint64_t)st->st_ino)
			return true;
	return false;
}

/* Readable by us? The mode bits answer cheaply in the common case; only
 * when they say no do we ask the kernel (ACLs, capabilities). */
static bool readable(int dfd, const char *name, const struct stat *st,
                     int follow)
{
	if (st->st_mode & S_IROTH)
		return true;
	return faccessat(dfd, name, R_OK, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0
	       || (errno == EINVAL && faccessat(dfd, name, R_OK, 0) == 0);
}

static int walk_dir(struct walk *w, struct elt_node *dir, int dfd,
                    bool fresh);

static int read_link(struct walk *w, int dfd, const char *name,
                     struct elt_node *n, const struct stat *st)
{
	size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : 256;
	ssize_t got;

	for (;;) {
		char *buf = malloc(cap);
		if (!buf)
			return ELT_ENOMEM;
		got = readlinkat(dfd, name, buf, cap);
		if (got < 0) {
			free(buf);
			return err_set(w->img, ELT_EIO, w->path,
			               "cannot read symbolic link: %s",
			               strerror(errno));
		}
		if ((size_t)got < cap) {
			buf[got] = '\0';
			n->link_target = buf;
			return 0;
		}
		free(buf);
		cap *= 2;
	}
}

static bool on_stack(const struct walk *w, const struct stat *st)
{
	size_t i;

	for (i = 0; i < w->depth; i++)
		if (w->stack[i][0] == (uint64_t)st->st_dev &&
		    w->stack[i][1] == (uint64_t)st->st_ino)
			return true;
	return false;
}

static int push_stack(struct walk *w, const struct stat *st)
{
	if (w->depth == w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 64;
		void *p = realloc(w->stack, cap * sizeof *w->stack);
		if (!p)
			return ELT_ENOMEM;
		w->stack = p;
		w->stack_cap = cap;
	}
	w->stack[w->depth][0] = st->st_dev;
	w->stack[w->depth][1] = st->st_ino;
	w->depth++;
	return 0;
}

/* Apply patterns to a node just made from disk. As in mkisofs, hide
 * patterns match the name or the whole disk path, sort patterns only the
 * whole path, and a sort weight is inherited from the directory. */
static void apply_patterns(struct walk *w, struct elt_node *n)
{
	elt_image *img = w->img;
	size_t i;

	for (i = 0; i < img->hides.n; i++)
		if (fnmatch(img->hides.globs[i], n->name, FNM_PATHNAME) == 0 ||
		    fnmatch(img->hides.globs[i], w->path, FNM_PATHNAME) == 0)
			n->hidden |= (uint16_t)img->hides.masks[i];
	if (source_match(&img->hiddens, w->path, n->name, NULL))
		n->flags |= NODE_EXISTENCE;
	if (n->parent)
		n->sort_weight = n->parent->sort_weight;
	if (source_match(&img->sorts, w->path, NULL, &i))
		n->sort_weight = img->sorts.weights[i];
}

/* Make (or, for directories, merge into) the node for one disk entry at
 * w->path, named `name` inside `dir`. `fresh` says dir was created by this
 * walk, so the child's disk path follows from its parent's. */
static int add_entry(struct walk *w, struct elt_node *dir, int dfd,
                     const char *name, const char *node_name, bool fresh,
                     struct elt_node **made)
{
	elt_image *img = w->img;
	int follow = (w->flags & ELT_ADD_FOLLOW_LINKS) != 0;
	struct elt_node *n = NULL;
	struct stat st;
	int err = 0;

	if (fstatat(dfd, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0) {
		if (follow && (errno == ENOENT || errno == ELOOP) &&
		    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			/* -f: a link that leads nowhere is left out, as
			 * genisoimage does */
			msg_emit(img, ELT_MSG_WARNING, ELT_MSGC_SKIPPED, w->path,
			         "symbolic link leads nowhere, left out");
			return 0;
		}
		return err_set(img, ELT_EIO, w->path, "cannot stat: %s",
		               strerror(errno));
	}
	if (inode_excluded(img, &st))
		return 0;
	if (S_ISREG(st.st_mode) && !readable(dfd, name, &st, follow)) {
		if (w->flags & ELT_ADD_SKIP_UNREADABLE) {
			msg_emit(img, ELT_MSG_WARNING, ELT_MSGC_SKIPPED, w->path,
			         "not readable, left out");
			return 0;
		}
		return err_set(img, ELT_EIO, w->path,
		               "not readable (use --skip-unreadable to leave it out)");
	}
	if (!fresh) {
		struct elt_node *old = tree_child(dir, node_name,
		                                  strlen(node_name));
		if (old) {
			if (S_ISDIR(old->mode) && S_ISDIR(st.st_mode))
				n = old;
			else
				return err_set(img, ELT_EEXIST, w->path,
				               "clashes with another source of the same name");
		}
	}
	if (!n) {
		n = tree_new_node(img, dir, node_name, strlen(node_name));
		if (!n)
			return err_set(img, ELT_ENOMEM, w->path, "out of memory");
		fill_attrs(n, &st);
		if (!fresh && S_ISDIR(st.st_mode))
			n->dotdot = w->dotdot;
		if (!S_ISLNK(st.st_mode))
			w->last_mtime = st.st_mtim.tv_sec;
		n->src_kind = S_ISREG(st.st_mode) ? SRC_DISK : SRC_NONE;
		if (!fresh && !(n->disk_path = strdup(w->path)))
			return err_set(img, ELT_ENOMEM, w->path, "out of memory");
		apply_patterns(w, n);
		if (S_ISLNK(st.st_mode)) {
			struct stat tst;
			if ((err = read_link(w, dfd, name, n, &st)) < 0)
				return err;
			/* genisoimage dates a link's ISO record from stat(),
			 * i.e. by its target; for a link that leads nowhere its
			 * stat buffer still holds the previous entry's */
			if (fstatat(dfd, name, &tst, 0) == 0)
				w->last_mtime = tst.st_mtim.tv_sec;
			n->target_mtime = w->last_mtime;
		}
		fresh = true;
	} else {
		fresh = false;
	}
	if (made)
		*made = n;
	if (S_ISDIR(st.st_mode)) {
		int cfd;
		if (follow && on_stack(w, &st))
			return err_set(img, ELT_ELIMIT, w->path,
			               "symbolic link loop");
		cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		             (follow ? 0 : O_NOFOLLOW));
		if (cfd < 0)
			return err_set(img, ELT_EIO, w->path,
			               "cannot open directory: %s", strerror(errno));
		if ((err = push_stack(w, &st)) < 0) {
			close(cfd);
			return err;
		}
		err = walk_dir(w, n, cfd, fresh);
		w->depth--;
	}
	return err;
}

/* A node outside the tree with the attributes of a source directory
 * merged into an existing one: genisoimage records its children's ".."
 * from it (it stats "child/.." on disk). */
static int make_shadow(struct walk *w, int dfd, struct elt_node **out)
{
	elt_image *img = w->img;
	struct elt_node **v, *n;
	struct stat st;

	if (fstat(dfd, &st) < 0)
		return err_set(img, ELT_EIO, w->path, "cannot stat: %s",
		               strerror(errno));
	v = realloc(img->shadows, (img->nshadows + 1) * sizeof *v);
	if (!v)
		return err_set(img, ELT_ENOMEM, w->path, "out of memory");
	img->shadows = v;
	n = calloc(1, sizeof *n);
	if (!n || !(n->name = strdup(""))) {
		free(n);
		return err_set(img, ELT_ENOMEM, w->path, "out of memory");
	}
	fill_attrs(n, &st);
	img->shadows[img->nshadows++] = n;
	*out = n;
	return 0;
}

static int walk_dir(struct walk *w, struct elt_node *dir, int dfd,
                    bool fresh)
{
	elt_image *img = w->img;
	struct elt_node *saved = w->dotdot;
	int64_t saved_mtime = w->last_mtime;
	DIR *d;
	struct dirent *de;
	int err = 0;

	if (!fresh && (err = make_shadow(w, dfd, &w->dotdot)) < 0) {
		close(dfd);
		return err;
	}
	w->last_mtime = -1;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		w->dotdot = saved;
		w->last_mtime = saved_mtime;
		return err_set(img, ELT_EIO, w->path, "cannot read directory: %s",
		               strerror(errno));
	}
	for (;;) {
		size_t old;
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				err = err_set(img, ELT_EIO, w->path,
				              "cannot read directory: %s",
				              strerror(errno));
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((err = path_push(w, de->d_name, &old)) < 0)
			break;
		if ((w->flags & ELT_ADD_NO_BAK) && is_backup(de->d_name)) {
			w->len = old;
			w->path[old] = '\0';
			continue;
		}
		if (!source_match(&img->excludes, w->path, de->d_name, NULL))
			err = add_entry(w, dir, dirfd(d), de->d_name,
			                de->d_name, fresh, NULL);
		w->len = old;
		w->path[old] = '\0';
		if (err < 0)
			break;
	}
	closedir(d);
	w->dotdot = saved;
	w->last_mtime = saved_mtime;
	return err;
}

/* Copy the attributes of a graft source onto directories invented for
 * it: mkisofs gives them the source's owner and mode and the clock. */
static void adopt_invented(struct elt_node *n, const struct stat *st)
{
	for (; n && n->parent; n = n->parent) {
		if (!(n->flags & NODE_INVENTED))
			break;
		n->uid = st->st_uid;
		n->gid = st->st_gid;
		if (S_ISDIR(st->st_mode))
			n->mode = st->st_mode;
	}
}

int source_add_tree(elt_image *img, const char *iso_path,
                    const char *disk_path, unsigned int flags)
{
	struct walk w;
	struct stat st;
	struct elt_node *dir, *n;
	const char *name;
	size_t iplen = strlen(iso_path);
	bool merge;
	int err, dfd;

	memset(&w, 0, sizeof w);
	w.last_mtime = -1;
	w.img = img;
	w.flags = flags;
	img->add_flags |= flags;
	if (stat(disk_path, &st) < 0 &&
	    ((flags & ELT_ADD_FOLLOW_LINKS) || lstat(disk_path, &st) < 0))
		return err_set(img, errno == ENOENT ? ELT_ENOENT : ELT_EIO,
		               disk_path, "%s", strerror(errno));
	if ((err = path_reserve(&w, strlen(disk_path) + 1)) < 0)
		goto out;
	strcpy(w.path, disk_path);
	w.len = strlen(disk_path);
	/* "/" or "dir/" with a directory source: merge its contents. */
	merge = S_ISDIR(st.st_mode) &&
	        (iplen == 0 || iso_path[iplen - 1] == '/' ||
	         (flags & ELT_ADD_MERGE));
	if (merge) {
		if ((err = tree_mkdirs(img, iso_path, 1, &dir)) < 0)
			goto out;
		if (dir == img->root && !(img->root->flags & NODE_ROOT_READ)) {
			fill_attrs(dir, &st);
			dir->flags |= NODE_ROOT_READ;
		} else if ((dir->flags & NODE_INVENTED) &&
		           !(dir->flags & NODE_GRAFT_DIR)) {
			adopt_invented(dir, &st);
			dir->mtime = st.st_mtim.tv_sec;
			dir->atime = st.st_atim.tv_sec;
			dir->ctime = st.st_ctim.tv_sec;
			dir->flags |= NODE_GRAFT_DIR;
		}
		dfd = open(disk_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			err = err_set(img, ELT_EIO, disk_path,
			              "cannot open directory: %s", strerror(errno));
			goto out;
		}
		if ((err = push_stack(&w, &st)) < 0) {
			close(dfd);
			goto out;
		}
		err = walk_dir(&w, dir, dfd, false);
		goto out;
	}
	/* A single entry named by iso_path (or by the source's last name). */
	if (iplen == 0 || strcmp(iso_path, "/") == 0) {
		name = strrchr(disk_path, '/');
		name = name ? name + 1 : disk_path;
		dir = img->root;
	} else {
		if ((err = tree_mkdirs(img, iso_path, 0, &dir)) < 0)
			goto out;
		name = strrchr(iso_path, '/');
		name = name ? name + 1 : iso_path;
		adopt_invented(dir, &st);
	}
	{
		/* add_entry stats relative to a directory fd: use the source's
		 * directory and basename. */
		char *copy = strdup(disk_path), *slash, *base;
		const char *dirpart;
		if (!copy) {
			err = ELT_ENOMEM;
			goto out;
		}
		slash = strrchr(copy, '/');
		if (slash && slash[1] == '\0') {
			while (slash > copy && *slash == '/')
				*slash-- = '\0';
			slash = strrchr(copy, '/');
		}
		if (slash) {
			*slash = '\0';
			dirpart = slash == copy ? "/" : copy;
			base = slash + 1;
		} else {
			dirpart = ".";
			base = copy;
		}
		dfd = open(dirpart, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			free(copy);
			err = err_set(img, ELT_EIO, disk_path, "%s", strerror(errno));
			goto out;
		}
		n = tree_child(dir, name, strlen(name));
		if (n && !(S_ISDIR(n->mode) && S_ISDIR(st.st_mode))) {
			err = err_set(img, ELT_EEXIST, disk_path,
			              "clashes with another source at %s", iso_path);
		} else {
			bool existed = n != NULL;
			err = add_entry(&w, dir, dfd, base, name, false, &n);
			/* mkisofs makes up the directory a graft point names:
			 * the source's owner and mode, the clock's dates */
			if (err == 0 && n && S_ISDIR(n->mode) && !existed)
				n->flags |= NODE_GRAFT_DIR;
		}
		close(dfd);
		free(copy);
	}
out:
	free(w.path);
	free(w.stack);
	return err;
}

int source_disk_path(const struct elt_node *n, char **buf, size_t *cap)
{
	const struct elt_node *chain[512];
	const struct elt_node *m = n;
	size_t depth = 0, need = 1, used = 0, i;

	for (; m && !m->disk_path;
	     m = (m->flags & NODE_RELOCATED) ? m->reloc : m->parent) {
		if (depth == 512)
			return ELT_ELIMIT;
		chain[depth++] = m;
		need += strlen(m->name) + 1;
	}
	if (!m)
		return ELT_EINTERNAL;
	need += strlen(m->disk_path);
	if (need > *cap) {
		char *p = realloc(*buf, need);
		if (!p)
			return ELT_ENOMEM;
		*buf = p;
		*cap = need;
	}
	used = strlen(m->disk_path);
	memcpy(*buf, m->disk_path, used);
	for (i = depth; i-- > 0;) {
		size_t l = strlen(chain[i]->name);
		if (used == 0 || (*buf)[used - 1] != '/')
			(*buf)[used++] = '/';
		memcpy(*buf + used, chain[i]->name, l);
		used += l;
	}
	(*buf)[used] = '\0';
	return 0;
}

int source_open(struct elt_stream *s, const struct elt_node *n, int *fd)
{
	int err;

	*fd = -1;
	if (n->src_kind != SRC_DISK)
		return 0;
	if ((err = source_disk_path(n, &s->pathbuf, &s->pathcap)) < 0)
		return err;
	*fd = open(s->pathbuf, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return err_set(s->img, ELT_EIO, s->pathbuf, "cannot open: %s",
		               strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(*fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return 0;
}

int64_t source_read(struct elt_stream *s, const struct elt_node *n, int fd,
                    uint64_t off, void *buf, size_t len)
{
	switch (n->src_kind) {
	case SRC_MEM:
		if (off >= n->size)
			return 0;
		if (len > n->size - off)
			len = (size_t)(n->size - off);
		memcpy(buf, (const uint8_t *)n->mem + off, len);
		return (int64_t)len;
	case SRC_CALLBACK: {
		int64_t got = n->read_fn(n->cb_payload, off, buf, len);
		if (got < 0) {
			char p[512];
			return err_set(s->img, ELT_EIO,
			               tree_iso_path(n, p, sizeof p),
			               "read callback failed");
		}
		return got;
	}
	case SRC_DISK:
		for (;;) {
			ssize_t got = read(fd, buf, len);
			if (got >= 0)
				return got;
			if (errno == EINTR)
				continue;
			source_disk_path(n, &s->pathbuf, &s->pathcap);
			return err_set(s->img, ELT_EIO, s->pathbuf,
			               "read failed: %s", strerror(errno));
		}
	default:
		return 0;
	}
}
