#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# readback.sh: images made by our CLI, read back by independent readers.
#
# For every tree x option set of the matrix, build IMG with $ELT_CLI and
# check it with: isoinfo -d / -l (-R/-J when used) / -f; xorriso -find;
# bsdtar -x plus a content compare with the source; a pycdlib walk that
# reads every file and compares it; 7z l; iso-info; and isofs_walk (our
# small libisofs reader, built by make check when libisofs is present).
# A missing reader is skipped with a message.  Path and content checks need
# Rock Ridge names, so they run on -R/-r images; plain ISO and Joliet
# images get the structural checks.  ELT_CASES=REGEX selects cases.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "$(dirname "$0")/lib.sh"

[ -x "$ELT_CLI" ] || e2e_skip_all "no CLI at ELT_CLI=$ELT_CLI"
e2e_init readback

WALK=
for w in "$ELT_BUILDDIR/tests/e2e/isofs_walk" "${ELT_ISOFS_WALK:-}"; do
	[ -n "$w" ] && [ -x "$w" ] && WALK=$w && break
done
HAVE_PYCDLIB=0
"$PY" -c 'import pycdlib' 2>/dev/null && HAVE_PYCDLIB=1
for tool in isoinfo xorriso bsdtar 7z iso-info; do
	e2e_have "$tool" || echo "# $tool not installed: its checks are skipped"
done
[ -n "$WALK" ] || echo "# isofs_walk not built (no libisofs): its checks are skipped"
[ "$HAVE_PYCDLIB" = 1 ] || echo "# pycdlib not importable by $PY: its checks are skipped"

# The helper: listings and comparisons in python (names may hold any
# byte but NUL and /).  Subcommands:
#   list TREE              source listing: TYPE SIZE FNV PATH, sorted
#   paths TREE             source paths, one per line, sorted
#   sortlist FILE          sort the lines of FILE (bytes)
#   xorriso FILE           unquote xorriso -find output, sorted
#   content TREE DIR       compare files/symlinks of TREE and DIR
#   pycdlib IMG TREE RR J  walk IMG, read every file, compare with TREE
rb_py() {
	"$PY" - "$@" <<'PYEOF'
import fnmatch
import os
import stat
import sys

FNV_OFFSET, FNV_PRIME = 0xcbf29ce484222325, 0x100000001b3
out = sys.stdout.buffer


def fnv(data, h=FNV_OFFSET):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


EXCLUDE = [os.fsencode(p) for p in
           os.environ.get('RB_EXCLUDE', '').split('\n') if p]


def walk(top):
    """Every path below top but those the image excludes (-m)."""
    top = os.fsencode(top)
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not excluded(d)]
        for n in dirs + files:
            if excluded(n):
                continue
            full = os.path.join(root, n)
            yield full, b'/' + os.path.relpath(full, top)


def excluded(name):
    return any(fnmatch.fnmatchcase(name, p) for p in EXCLUDE)


def listing(top):
    lines = []
    for full, rel in walk(top):
        st = os.lstat(full)
        if stat.S_ISDIR(st.st_mode):
            lines.append(b'd 0 0 ' + rel)
        elif stat.S_ISREG(st.st_mode):
            with open(full, 'rb') as f:
                h = fnv(f.read())
            lines.append(b'f %d %016x ' % (st.st_size, h) + rel)
        elif stat.S_ISLNK(st.st_mode):
            t = os.readlink(full)
            lines.append(b'l %d %016x ' % (len(t), fnv(t)) + rel)
        else:
            lines.append(b's 0 0 ' + rel)
    return sorted(lines)


def content(top, ext):
    bad = []
    n = 0
    for full, rel in walk(top):
        st = os.lstat(full)
        other = os.path.join(os.fsencode(ext), rel[1:])
        try:
            ost = os.lstat(other)
        except OSError:
            bad.append(b'missing ' + rel)
            continue
        if stat.S_ISREG(st.st_mode):
            n += 1
            with open(full, 'rb') as a, open(other, 'rb') as b:
                if a.read() != b.read():
                    bad.append(b'content ' + rel)
        elif stat.S_ISLNK(st.st_mode):
            if not stat.S_ISLNK(ost.st_mode) or \
               os.readlink(full) != os.readlink(other):
                bad.append(b'symlink ' + rel)
        elif stat.S_ISDIR(st.st_mode) != stat.S_ISDIR(ost.st_mode):
            bad.append(b'type ' + rel)
    for full, rel in walk(ext):
        if not os.path.lexists(os.path.join(os.fsencode(top), rel[1:])):
            bad.append(b'extra ' + rel)
    return n, bad


def pycdlib_walk(img, top, rr, joliet):
    import pycdlib
    iso = pycdlib.PyCdlib()
    iso.open(img)
    src = {rel: full for full, rel in walk(top)}
    n = 0
    bad = []
    kw = 'rr_path' if rr else ('joliet_path' if joliet else 'iso_path')
    for path, dirs, files in iso.walk(**{kw: '/'}):
        for f in files:
            p = (path.rstrip('/') + '/' + f)
            data = __import__('io').BytesIO()
            try:
                iso.get_file_from_iso_fp(data, **{kw: p})
            except pycdlib.pycdlibexception.PyCdlibException as e:
                if 'symlink' in str(e).lower():
                    continue
                bad.append('read %s: %s' % (p, e))
                continue
            n += 1
            if not rr and not joliet:
                continue
            rel = os.fsencode(p)
            if rel not in src and rel.startswith(b'/rr_moved/'):
                tail = rel[len(b'/rr_moved'):]
                cand = [r for r in src if r.endswith(tail)]
                rel = cand[0] if len(cand) == 1 else rel
            if rel not in src:
                if rr:      # Joliet names may be cut: only RR must match
                    bad.append('unknown file %r' % p)
                continue
            st = os.lstat(src[rel])
            if stat.S_ISREG(st.st_mode):
                with open(src[rel], 'rb') as fh:
                    if fh.read() != data.getvalue():
                        bad.append('content %r' % p)
    iso.close()
    return n, bad


cmd = sys.argv[1]
if cmd == 'list':
    out.write(b''.join(l + b'\n' for l in listing(sys.argv[2])))
elif cmd == 'paths':
    out.write(b''.join(r + b'\n' for r in sorted(r for _, r in
                                                    walk(sys.argv[2]))))
elif cmd == 'sortlist':
    with open(sys.argv[2], 'rb') as f:
        lines = sorted(l for l in f.read().split(b'\n') if l)
    out.write(b''.join(l + b'\n' for l in lines))
elif cmd == 'xorriso':
    res = []
    with open(sys.argv[2], 'rb') as f:
        for l in f.read().split(b'\n'):
            if len(l) >= 2 and l[:1] == b"'" and l[-1:] == b"'":
                l = l[1:-1].replace(b"'\"'\"'", b"'")
                if l != b'/':
                    res.append(l)
    out.write(b''.join(l + b'\n' for l in sorted(res)))
elif cmd == 'content':
    n, bad = content(sys.argv[2], sys.argv[3])
    if bad:
        print('%d differences, first: %s' % (len(bad),
              bad[0].decode('utf-8', 'replace')))
        sys.exit(1)
    print('%d files' % n)
elif cmd == 'pycdlib':
    try:
        n, bad = pycdlib_walk(sys.argv[2], sys.argv[3], sys.argv[4] == '1',
                              sys.argv[5] == '1')
    except Exception as e:
        print('pycdlib: %s: %s' % (type(e).__name__, e))
        sys.exit(1)
    if bad:
        print('%d problems, first: %s' % (len(bad), bad[0]))
        sys.exit(1)
    print('%d files read' % n)
PYEOF
}

# first differing line of two sorted listings, for messages
first_diff() {
	diff "$1" "$2" | grep -a '^[<>]' | head -n 2 | tr '\n' ' ' | cut -c1-200
}

# genisoimage leaves its (empty to RR readers) relocation directory
# visible; drop it from reader listings (the source has none)
rr_moved_filter() {
	grep -av -E '^(d 0 0 )?/\.?rr_moved$'
}

# check NAME CMD...: run CMD, ok when it exits 0; output in $OUT
check() {
	local name=$1; shift
	OUT=$("$@" 2>&1); local rc=$?
	if [ "$rc" -eq 0 ]; then
		e2e_ok "$name"
	else
		e2e_fail "$name: exit $rc: $(printf '%s' "$OUT" | tail -n 2 | tr '\n' ' ' | cut -c1-200)"
	fi
	return $rc
}

# readback CASE TREE_KIND OPTS...
readback() {
	local name=$1 kind=$2; shift 2
	if [ -n "${ELT_CASES:-}" ] && ! [[ $name =~ $ELT_CASES ]]; then
		return
	fi
	local tree; tree=$(e2e_tree "$kind")
	local img=$E2E_OUT/rb.iso w=$E2E_OUT/rb
	rm -rf "$img" "$w"; mkdir -p "$w"
	local rr=0 j=0 a
	local prev= ; RB_EXCLUDE=
	for a in "$@"; do
		case $a in -R|-r|-rock|-rational-rock) rr=1 ;; -J|-joliet) j=1 ;; esac
		[ "$prev" = -m ] && RB_EXCLUDE+="$a"$'\n'
		prev=$a
	done
	export RB_EXCLUDE
	# newline names cannot go through line-based listings; deep trees
	# show relocated directories to readers without CL support
	local lines=1 deep=0
	case $kind in badnames) lines=0 ;; deep|deep40|mixed) deep=1 ;; esac
	# device nodes cannot be created everywhere (containers): bsdtar
	# leaves them out and so does the content compare
	local tarx=()
	if [ "$kind" = special ]; then
		tarx=(--exclude chardev --exclude blockdev)
	fi
	if ! run_ours "$w/build" -o "$img" "$@" "$tree"; then
		e2e_fail "$name/build: $(tail -n 2 "$w/build.err" | tr '\n' ' ')"
		return
	fi
	e2e_ok "$name/build"
	rb_py paths "$tree" >"$w/src.paths"

	# -- isoinfo (cdrtools/genisoimage's reader)
	if e2e_have isoinfo; then
		local f=()
		[ $rr = 1 ] && f=(-R)
		[ $rr = 0 ] && [ $j = 1 ] && f=(-J)
		if check "$name/isoinfo-d" isoinfo -d -i "$img"; then
			if [ $rr = 1 ] && ! grep -q 'Rock Ridge signatures' <<<"$OUT"; then
				e2e_fail "$name/isoinfo-d-rr: no Rock Ridge signatures"
			fi
			if [ $j = 1 ] && ! grep -q 'Joliet with UCS level' <<<"$OUT"; then
				e2e_fail "$name/isoinfo-d-joliet: no Joliet found"
			fi
		fi
		check "$name/isoinfo-l" isoinfo "${f[@]}" -l -i "$img" >/dev/null
		if [ $rr = 1 ] && [ $lines = 1 ] && [ $deep = 0 ]; then
			isoinfo -R -f -i "$img" 2>/dev/null | grep -av '^/rr_moved' \
				>"$w/isoinfo.raw"
			rb_py sortlist "$w/isoinfo.raw" >"$w/isoinfo.paths"
			if cmp -s "$w/src.paths" "$w/isoinfo.paths"; then
				e2e_ok "$name/isoinfo-paths"
			else
				e2e_fail "$name/isoinfo-paths: $(first_diff "$w/src.paths" "$w/isoinfo.paths")"
			fi
		fi
	fi

	# -- xorriso (libisofs's reader, reconstructs relocated directories)
	if e2e_have xorriso; then
		if xorriso -abort_on FAILURE -indev "$img" -find / \
		     >"$w/xorriso.raw" 2>"$w/xorriso.err"; then
			if [ $rr = 1 ] && [ $lines = 1 ]; then
				rb_py xorriso "$w/xorriso.raw" | rr_moved_filter \
					>"$w/xorriso.paths"
				if cmp -s "$w/src.paths" "$w/xorriso.paths"; then
					e2e_ok "$name/xorriso-find"
				else
					e2e_fail "$name/xorriso-find: $(first_diff "$w/src.paths" "$w/xorriso.paths")"
				fi
			else
				e2e_ok "$name/xorriso-find"
			fi
		else
			e2e_fail "$name/xorriso-find: $(grep -a -E 'FAILURE|SORRY' "$w/xorriso.err" | head -n 1)"
		fi
	fi

	# -- bsdtar (libarchive) extraction and content compare
	if e2e_have bsdtar; then
		mkdir -p "$w/x"
		if check "$name/bsdtar-x" bsdtar -x "${tarx[@]}" -f "$img" -C "$w/x"; then
			if [ $rr = 1 ]; then
				local dx=() p
				while IFS= read -r p; do
					[ -n "$p" ] && dx+=(-x "$p")
				done <<<"$RB_EXCLUDE"
				# libarchive 3.x drops the '/' where a symlink's SL
				# continues in the next SL entry (isoinfo, xorriso and
				# libisofs read it right): long_link is not compared
				# here; diff cannot compare FIFOs
				[ ${#tarx[@]} -eq 0 ] ||
					dx+=(-x chardev -x blockdev -x long_link -x fifo)
				RB_EXCLUDE+=$'chardev\nblockdev\nlong_link\n' \
				check "$name/bsdtar-content" rb_py content "$tree" "$w/x" ||
					true
				if [ $deep = 0 ]; then
					if diff -r --no-dereference "${dx[@]}" "$tree" "$w/x" \
					     >"$w/diff.out" 2>&1; then
						e2e_ok "$name/diff-r"
					else
						e2e_fail "$name/diff-r: $(head -n 1 "$w/diff.out" | cut -c1-200)"
					fi
				fi
			fi
		fi
		rm -rf "$w/x"
	fi

	# -- pycdlib: strict parser, reads every file
	if [ "$HAVE_PYCDLIB" = 1 ] && [ $rr = 1 ] && [ "$kind" = badnames ] &&
	   [ -z "$RB_EXCLUDE" ]; then
		e2e_skip "$name/pycdlib: pycdlib cannot decode non-UTF-8 RR names"
	elif [ "$HAVE_PYCDLIB" = 1 ]; then
		check "$name/pycdlib" rb_py pycdlib "$img" "$tree" "$rr" "$j" ||
			true
	fi

	# -- 7z and libcdio's iso-info
	if e2e_have 7z; then
		if 7z l "$img" >"$w/7z.out" 2>&1 && ! grep -qa '^ERROR' "$w/7z.out"; then
			e2e_ok "$name/7z-l"
		else
			e2e_fail "$name/7z-l: $(grep -a -m1 -iE 'error|warning' "$w/7z.out")"
		fi
	fi
	if e2e_have iso-info; then
		check "$name/iso-info" iso-info --no-header -f -i "$img" \
			>/dev/null || true
	fi

	# -- libisofs through isofs_walk: types, sizes and content hashes
	if [ -n "$WALK" ]; then
		if [ $rr = 1 ] && [ $lines = 1 ]; then
			if "$WALK" -R "$img" >"$w/walk.raw" 2>"$w/walk.err"; then
				rb_py sortlist "$w/walk.raw" | rr_moved_filter \
					>"$w/walk.list"
				rb_py list "$tree" >"$w/src.list"
				if cmp -s "$w/src.list" "$w/walk.list"; then
					e2e_ok "$name/isofs-walk"
				else
					e2e_fail "$name/isofs-walk: $(first_diff "$w/src.list" "$w/walk.list")"
				fi
			else
				e2e_fail "$name/isofs-walk: $(head -n 1 "$w/walk.err")"
			fi
		else
			check "$name/isofs-walk" "$WALK" "$([ $j = 1 ] && echo -J || echo -I)" \
				"$img" >/dev/null || true
		fi
	fi
	rm -rf "$img" "$w"
}

for kind in flat deep longnames many empty hardlinks special spaces \
            name255 longpath mixed boot badnames unicode; do
	readback "rb/$kind/-R-J" "$kind" -R -J -A X -m '😀.txt' \
		-m 'invalid*' -m 'latin1*'
	readback "rb/$kind/-r" "$kind" -r -A X
	readback "rb/$kind/plain" "$kind" -A X
done
for kind in flat mixed many; do
	readback "rb/$kind/-J" "$kind" -J -A X
	readback "rb/$kind/-R-iso-level-2" "$kind" -R -iso-level 2 -A X
	readback "rb/$kind/-R-U" "$kind" -R -U -A X
done
readback rb/deep40/-R deep40 -R -A X
readback rb/unicode/-R unicode -R -A X
readback rb/badnames/-R badnames -R -A X
if [ "$ELT_HOSTILE" = 1 ]; then
	readback rb/clash/-R-J clash -R -J -A X
	readback rb/huge/-R huge -R -A X
fi
e2e_done
