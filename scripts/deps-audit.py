#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""deps-audit.py TOP: every host-side script installs what it runs.

A Debian 12 minbase system has the Essential and "required" packages and
apt, nothing more: no make, gcc, rsync, cpio, perl (only perl-base),
python3, kmod, qemu.  Each script that runs such a command must name its
package in a need_pkgs call, in itself or in a project script it invokes
(load_kenv counts as invoking scripts/kenv.sh).  This finds the commands a
script runs in command position (start of a line, after | ; & ( $( && ||,
after then/do/else/exec/if/while/!, and after the project's krun and
timeout wrappers), including those inside quoted bash -c bodies, and
checks each one that the table below knows against the packages the
script can reach.

With --unknown it also prints, for this machine, the command-position
words that resolve to a binary of a package that is neither minbase nor
in the table: the table must grow when a script starts using a new tool.

The scripts inside the test VM (tests/vm/init, tests/vm/payloads,
tests/functional) run on the initramfs's busybox and are not audited.

Prints "FILE: runs CMD (package PKG), which no need_pkgs it reaches
installs" per finding and exits 1 if there is any.
"""
import os
import re
import shutil
import subprocess
import sys

# command -> Debian package, for every command the host scripts may run
# that a minbase system lacks.
TABLE = {
    'rsync': 'rsync', 'cpio': 'cpio', 'make': 'make', 'gcc': 'gcc',
    'cc': 'gcc', 'clang': 'clang', 'python3': 'python3', 'perl': 'perl',
    'xz': 'xz-utils', 'unxz': 'xz-utils', 'zstd': 'zstd',
    'modinfo': 'kmod', 'depmod': 'kmod', 'insmod': 'kmod',
    'modprobe': 'kmod', 'rmmod': 'kmod', 'sparse': 'sparse',
    'dkms': 'dkms', 'debootstrap': 'debootstrap',
    'qemu-system-x86_64': 'qemu-system-x86', 'busybox': 'busybox-static',
    'fio': 'fio', 'diod': 'diod', 'ganesha.nfsd': 'nfs-ganesha',
    'stress-ng': 'stress-ng', 'dbench': 'dbench', 'bc': 'bc',
    'flex': 'flex', 'bison': 'bison', 'git': 'git', 'curl': 'curl',
    'wget': 'wget', 'file': 'file', 'ps': 'procps', 'pgrep': 'procps',
    'pkill': 'procps', 'ip': 'iproute2', 'ss': 'iproute2',
    'perf': 'linux-perf', 'dpkg-buildpackage': 'dpkg-dev',
    'dpkg-deb': 'dpkg', 'dh': 'debhelper', 'debuild': 'devscripts',
    'hexdump': 'bsdextrautils', 'column': 'bsdextrautils',
    'xxd': 'xxd', 'bzip2': 'bzip2', 'unzip': 'unzip', 'patch': 'patch',
    'strip': 'binutils', 'objdump': 'binutils', 'readelf': 'binutils',
    'ld': 'binutils', 'gnuplot': 'gnuplot', 'socat': 'socat',
    'strace': 'strace', 'gdb': 'gdb', 'lz4': 'lz4',
    'exportfs': 'nfs-kernel-server', 'pkg-config': 'pkgconf',
    'shellcheck': 'shellcheck', 'openssl': 'openssl',
    'groff': 'groff-base', 'nroff': 'groff-base', 'man': 'man-db',
}

# Prefixes after which a word is in command position.
SEP = r'(?:^|[|;&(`]|\$\(|\b(?:then|do|else|exec|if|while|until|elif)\s|!\s|' \
      r'\bkrun\s|\btimeout\s+(?:-k\s+\S+\s+)?\S+\s|\bchroot_run\s+\S+\s|' \
      r'\benv\s+(?:-i\s+)?(?:\S+=\S*\s+)*)'
WORD = r'\s*([A-Za-z0-9_.+-]+)(?=\s|$|[;|&)])'
CMD_RE = re.compile(SEP + WORD)
INVOKE_RE = re.compile(r'(?:scripts|tests/vm)/([A-Za-z0-9_-]+\.sh)')


def strip_comments(text):
    """Drop comments: a # at a word start outside quotes, to end of line."""
    out = []
    for line in text.splitlines():
        q = None
        res = []
        prev = ' '
        for i, ch in enumerate(line):
            if q:
                if ch == q and (q == "'" or prev != '\\'):
                    q = None
                res.append(ch)
            elif ch in '"\'':
                q = ch
                res.append(ch)
            elif ch == '#' and prev in ' \t(;|&':
                break
            else:
                res.append(ch)
            prev = ch
        out.append(''.join(res))
    return out


def need_pkgs_args(lines):
    """Package names given literally to need_pkgs (with continuations)."""
    pkgs = set()
    joined = []
    buf = ''
    for line in lines:
        if line.endswith('\\'):
            buf += line[:-1] + ' '
            continue
        joined.append(buf + line)
        buf = ''
    for line in joined:
        for m in re.finditer(r'\bneed_pkgs\s+([^;&|)]*)', line):
            for w in m.group(1).split():
                w = w.strip('"')
                if re.fullmatch(r'[a-z0-9][a-z0-9.+-]+', w):
                    pkgs.add(w)
                elif '$' in w:
                    # "llvm-$v", "$pkg": a computed name counts for its
                    # literal stem, e.g. linux-source-6.1 for "$pkg"
                    # never; only a stem with a dash counts.
                    stem = w.split('$', 1)[0]
                    if stem.endswith('-'):
                        pkgs.add(stem + '*')
    return pkgs


def commands(lines):
    """Command-position words, with the line each is first seen on; a
    line continued with a backslash is one line."""
    found = {}
    buf, first = '', 0
    for n, line in enumerate(lines, 1):
        if not buf:
            first = n
        if line.endswith('\\'):
            buf += line[:-1] + ' '
            continue
        for m in CMD_RE.finditer(buf + line):
            found.setdefault(m.group(1), first)
        buf = ''
    return found


def scripts(top):
    res = []
    for d in ('scripts', 'tests/vm', 'bench', '.ci'):
        p = os.path.join(top, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            full = os.path.join(p, f)
            if not os.path.isfile(full) or full.endswith('tests/vm/init'):
                continue
            with open(full, errors='replace') as fh:
                head = fh.readline()
            if f.endswith('.sh') or head.startswith('#!/bin/bash') or \
               head.startswith('#!/bin/sh'):
                res.append(os.path.relpath(full, top))
    return res


def provides(pkgs, pkg):
    if pkg in pkgs:
        return True
    return any(p.endswith('*') and pkg.startswith(p[:-1]) for p in pkgs)


def main():
    args = sys.argv[1:]
    unknown = '--unknown' in args
    count = '--count' in args
    args = [a for a in args if a not in ('--unknown', '--count')]
    top = args[0] if args else '.'
    if count:
        print(len(scripts(top)))
        return 0
    info = {}
    for s in scripts(top):
        with open(os.path.join(top, s), errors='replace') as fh:
            lines = strip_comments(fh.read())
        text = '\n'.join(lines)
        calls = set(INVOKE_RE.findall(text))
        if 'load_kenv' in text:
            calls.add('kenv.sh')
        if 'need_pkgs' in text or 'lib.sh' in text:
            calls.add('lib.sh')
        info[s] = (need_pkgs_args(lines), commands(lines), calls)
    byname = {os.path.basename(s): s for s in info}

    def reach(s, seen):
        pkgs = set(info[s][0])
        for c in info[s][2]:
            t = byname.get(c)
            if t and t not in seen:
                seen.add(t)
                pkgs |= reach(t, seen)
        return pkgs

    findings = 0
    for s in sorted(info):
        own, cmds, _ = info[s]
        pkgs = reach(s, {s})
        for cmd, line in sorted(cmds.items(), key=lambda x: x[1]):
            pkg = TABLE.get(cmd)
            if pkg is None:
                continue
            if not provides(pkgs, pkg):
                print(f'{s}:{line}: runs {cmd} (package {pkg}), which no '
                      'need_pkgs it reaches installs')
                findings += 1
        if unknown:
            for cmd, line in sorted(cmds.items(), key=lambda x: x[1]):
                if cmd in TABLE:
                    continue
                path = shutil.which(cmd)
                if not path:
                    continue
                r = subprocess.run(['dpkg', '-S', os.path.realpath(path)],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    r = subprocess.run(['dpkg', '-S', path],
                                       capture_output=True, text=True)
                if r.returncode != 0:
                    continue
                pkg = r.stdout.split(':')[0]
                q = subprocess.run(['dpkg-query', '-W', '-f',
                                    '${Essential} ${Priority}', pkg],
                                   capture_output=True, text=True).stdout
                if q.startswith('yes') or 'required' in q or pkg == 'apt':
                    continue
                print(f'{s}:{line}: runs {cmd} (package {pkg}, not minbase), '
                      'which the table in scripts/deps-audit.py lacks')
                findings += 1
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())
