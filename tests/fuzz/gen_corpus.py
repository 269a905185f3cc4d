#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of tests/fuzz/fuzz_wire.c into tests/fuzz/corpus/.

Each file is a sequence of records  sel[1] len[2, LE] body[len]  where
sel < 0x80 picks a decoder and sel >= 0x80 an encoder (see the enums in
fuzz_wire.h, mirrored below).  The seeds are valid replies of every kind
plus the edge cases around them: one byte short, one byte over, lengths
that point past the end, counts over the limits, empty bodies.

Standard library only.  The output is deterministic; the script replaces
the directory's files, so run it after changing a seed and commit both:

    python3 tests/fuzz/gen_corpus.py [--out DIR]
"""
import argparse
import os
import struct
import sys

# ---- selectors: keep in step with enum dec_sel / enum enc_sel ----
DEC = [
    "lerror", "version", "qid", "walk", "open", "count", "getattr",
    "statfs", "empty", "str", "u64", "u8", "getlock", "dirents",
    "readdir", "header", "message", "all",
]
ENC = [
    "version", "attach", "walk", "lopen", "lcreate", "mkdir", "unlinkat",
    "read", "write_hdr", "readdir", "fid_op", "getattr", "setattr",
    "symlink", "mknod", "rename", "renameat", "link", "fsync",
    "xattrwalk", "xattrcreate", "lock", "getlock", "puts",
]
D = {n: i for i, n in enumerate(DEC)}
E = {n: 0x80 | i for i, n in enumerate(ENC)}

# 9P2000.L message types (wire.h)
T = dict(
    RLERROR=7, RSTATFS=9, RLOPEN=13, RLCREATE=15, RSYMLINK=17, RMKNOD=19,
    RRENAME=21, RREADLINK=23, RGETATTR=25, RSETATTR=27, RXATTRWALK=31,
    RXATTRCREATE=33, RREADDIR=41, RFSYNC=51, RLOCK=53, RGETLOCK=55,
    RLINK=71, RMKDIR=73, RRENAMEAT=75, RUNLINKAT=77, RVERSION=101,
    RAUTH=103, RATTACH=105, RERROR=107, RFLUSH=109, RWALK=111, RREAD=117,
    RWRITE=119, RCLUNK=121, RREMOVE=123,
    TVERSION=100, TWALK=110, TCLUNK=120, TSTATFS=8, TREMOVE=122,
)


# ---- little-endian fields ----
def u8(v): return struct.pack("<B", v & 0xff)
def u16(v): return struct.pack("<H", v & 0xffff)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def u64(v): return struct.pack("<Q", v & 0xffffffffffffffff)


def s(b):
    """A 9P string: len[2] then the bytes."""
    if isinstance(b, str):
        b = b.encode()
    return u16(len(b)) + b


def qid(type_=0x80, version=1, path=0x1234):
    return u8(type_) + u32(version) + u64(path)


def rec(sel, body):
    """One record of the fuzzer's input."""
    assert len(body) <= 0xffff
    return u8(sel) + u16(len(body)) + body


def msg(type_, tag, body):
    """A whole reply: size[4] type[1] tag[2] body."""
    return u32(7 + len(body)) + u8(type_) + u16(tag) + body


def dirent(name, off, path=7, type_=4):
    return qid(0, 0, path) + u64(off) + u8(type_) + s(name)


# ---- reply bodies ----
GETATTR = (u64(0x7ff) + qid(0, 3, 99) + u32(0o100644) + u32(1000) +
           u32(1000) + u64(1) + u64(0) + u64(4096) + u64(4096) + u64(8) +
           u64(1700000000) + u64(5) + u64(1700000001) + u64(6) +
           u64(1700000002) + u64(7) + u64(0) + u64(0) + u64(0) + u64(0))
assert len(GETATTR) == 153
STATFS = (u32(0x01021997) + u32(4096) + u64(1000) + u64(500) + u64(400) +
          u64(100) + u64(50) + u64(0xdeadbeef) + u32(255))
assert len(STATFS) == 60
GETLOCK = u8(1) + u64(0) + u64(0) + u32(4242) + s("host-a")
DIRENTS = (dirent(".", 1, 1, 4) + dirent("..", 2, 2, 4) +
           dirent("file.txt", 3, 3, 8))


def decoder_seeds():
    out = {}

    def add(name, sel, *bodies):
        out["dec-%s" % name] = b"".join(rec(D[sel], b) for b in bodies)

    add("lerror-enoent", "lerror", u32(2))
    add("lerror-zero", "lerror", u32(0))
    add("lerror-511", "lerror", u32(511))
    add("lerror-512", "lerror", u32(512))
    add("lerror-max", "lerror", u32(0xffffffff))
    add("lerror-short", "lerror", b"\x02\x00\x00")
    add("lerror-long", "lerror", u32(2) + b"\x00")

    add("version-ok", "version", u32(8192) + s("9P2000.L"))
    add("version-unknown", "version", u32(8192) + s("unknown"))
    add("version-empty", "version", u32(0) + s(""))
    add("version-strpast", "version", u32(8192) + u16(40) + b"9P2000.L")
    add("version-strmax", "version", u32(8192) + u16(0xffff) + b"9P")
    add("version-nolen", "version", u32(8192) + b"\x08")
    add("version-trailing", "version", u32(8192) + s("9P2000.L") + b"\x00")

    add("qid-ok", "qid", qid())
    add("qid-short", "qid", qid()[:12])
    add("qid-long", "qid", qid() + b"\x00")

    add("walk-zero", "walk", u16(0))
    add("walk-one", "walk", u16(1) + qid(0x80, 0, 5))
    add("walk-max", "walk",
        u16(16) + b"".join(qid(0, i, i) for i in range(16)))
    add("walk-over", "walk",
        u16(17) + b"".join(qid(0, i, i) for i in range(17)))
    add("walk-huge", "walk", u16(0xffff) + qid())
    add("walk-cut", "walk", u16(2) + qid() + qid()[:5])
    add("walk-trailing", "walk", u16(1) + qid() + b"\xff")
    add("walk-empty", "walk", b"")

    add("open-ok", "open", qid() + u32(8168))
    add("open-iounit0", "open", qid(0, 0, 0) + u32(0))
    add("open-short", "open", qid() + u16(1))

    add("count-ok", "count", u32(5))
    add("count-data", "count", u32(5) + b"hello")
    add("count-short", "count", b"\x05\x00\x00")

    add("getattr-ok", "getattr", GETATTR)
    add("getattr-short", "getattr", GETATTR[:-1])
    add("getattr-long", "getattr", GETATTR + b"\x00")

    add("statfs-ok", "statfs", STATFS)
    add("statfs-short", "statfs", STATFS[:-1])

    add("empty-ok", "empty", b"")
    add("empty-byte", "empty", b"\x00")

    add("str-ok", "str", s("../target/of/link"))
    add("str-empty", "str", s(""))
    add("str-past", "str", u16(0xffff) + b"abc")
    add("str-trailing", "str", s("t") + b"x")
    add("str-onebyte", "str", b"\x01")

    add("u64-ok", "u64", u64(123456))
    add("u64-short", "u64", u64(1)[:7])
    add("u64-long", "u64", u64(1) + b"\x00")

    add("u8-ok", "u8", u8(0))
    add("u8-blocked", "u8", u8(1))
    add("u8-long", "u8", b"\x00\x00")

    add("getlock-ok", "getlock", GETLOCK)
    add("getlock-unlck", "getlock", u8(2) + u64(0) + u64(0) + u32(0) + s(""))
    add("getlock-cut", "getlock", GETLOCK[:-3])
    add("getlock-strpast", "getlock", GETLOCK[:-8] + u16(300) + b"h")

    add("dirents-three", "dirents", DIRENTS)
    add("dirents-one24", "dirents", dirent("", 0))
    add("dirents-cutname", "dirents", DIRENTS + dirent("partial", 9)[:-3])
    add("dirents-cuthead", "dirents", DIRENTS + b"\x00" * 10)
    add("dirents-namepast", "dirents", qid() + u64(1) + u8(4) + u16(0xffff))

    add("readdir-ok", "readdir", u32(len(DIRENTS)) + DIRENTS)
    add("readdir-eof", "readdir", u32(0))
    add("readdir-countover", "readdir", u32(len(DIRENTS) + 1) + DIRENTS)
    add("readdir-countunder", "readdir", u32(24) + DIRENTS)
    add("readdir-badentry", "readdir",
        u32(len(DIRENTS) + 5) + DIRENTS + b"\x01\x02\x03\x04\x05")

    add("header-ok", "header", u32(11) + u8(T["RWRITE"]) + u16(1))
    add("header-short", "header", b"\x07\x00")
    add("header-notag", "header", u32(7) + u8(T["RCLUNK"]) + u16(0xffff))

    m = lambda t, body, tag=1: msg(T[t], tag, body)
    add("msg-rversion", "message", m("RVERSION", u32(8192) + s("9P2000.L"),
                                     0xffff))
    add("msg-rlerror", "message", m("RLERROR", u32(13)))
    add("msg-rattach", "message", m("RATTACH", qid()))
    add("msg-rmkdir", "message", m("RMKDIR", qid(0x80, 0, 77)))
    add("msg-rwalk", "message", m("RWALK", u16(2) + qid() + qid()))
    add("msg-rlopen", "message", m("RLOPEN", qid() + u32(0)))
    add("msg-rlcreate", "message", m("RLCREATE", qid(0, 1, 2) + u32(4096)))
    add("msg-rread", "message", m("RREAD", u32(3) + b"abc"))
    add("msg-rwrite", "message", m("RWRITE", u32(4096)))
    add("msg-rgetattr", "message", m("RGETATTR", GETATTR))
    add("msg-rstatfs", "message", m("RSTATFS", STATFS))
    add("msg-rreadlink", "message", m("RREADLINK", s("/tmp/x")))
    add("msg-rxattrwalk", "message", m("RXATTRWALK", u64(17)))
    add("msg-rlock", "message", m("RLOCK", u8(0)))
    add("msg-rgetlock", "message", m("RGETLOCK", GETLOCK))
    add("msg-rreaddir", "message", m("RREADDIR", u32(len(DIRENTS)) + DIRENTS))
    add("msg-rclunk", "message", m("RCLUNK", b""))
    add("msg-rclunk-extra", "message", m("RCLUNK", b"\x00"))
    add("msg-sizebig", "message", u32(100) + u8(T["RCLUNK"]) + u16(1))
    add("msg-sizesmall", "message", u32(3) + u8(T["RCLUNK"]) + u16(1))
    add("msg-rerror", "message", m("RERROR", s("9P2000 error")))
    add("msg-unknown", "message", m("TVERSION", b"\x00" * 4))

    add("all-getattr", "all", GETATTR)
    add("all-dirents", "all", DIRENTS)
    add("all-empty", "all", b"")
    add("all-ff", "all", b"\xff" * 64)
    return out


# ---- requests: [cap:2][tag:2] then the fields run_enc() reads ----
def name(b):
    if isinstance(b, str):
        b = b.encode()
    return u16(len(b)) + b


def encoder_seeds():
    out = {}
    big, tag = 0x1000, 7

    def add(fname, sel, fields, cap=big):
        out["enc-%s" % fname] = rec(E[sel], u16(cap) + u16(tag) + fields)

    add("version", "version", u32(8192) + name("9P2000.L"))
    add("version-cap20", "version", u32(8192) + name("9P2000.L"), 20)
    add("attach", "attach",
        u32(0) + u32(0xffffffff) + u32(1000) + name("root") + name("/srv"))
    add("walk-zero", "walk", u32(1) + u32(2) + u8(0))
    add("walk-two", "walk", u32(1) + u32(2) + u8(2) + name("a") + name("bc"))
    add("walk-max", "walk",
        u32(1) + u32(2) + u8(16) + b"".join(name("d%d" % i) for i in range(16)))
    add("walk-over", "walk",
        u32(1) + u32(2) + u8(17) + b"".join(name("e") for _ in range(17)))
    add("walk-small", "walk", u32(1) + u32(2) + u8(1) + name("abcdef"), 20)
    add("lopen", "lopen", u32(3) + u32(0o2))
    add("lopen-cap0", "lopen", u32(3) + u32(0), 0)
    add("lopen-cap6", "lopen", u32(3) + u32(0), 6)
    add("lcreate", "lcreate",
        u32(3) + u32(0o101) + u32(0o644) + u32(1000) + name("new.txt"))
    add("mkdir", "mkdir", u32(3) + u32(0o755) + u32(0) + name("dir"))
    add("unlinkat", "unlinkat", u32(3) + u32(0x200) + name("dir"))
    add("read", "read", u32(4) + u64(0x100000) + u32(65536))
    add("write-hdr", "write_hdr", u32(4) + u64(0) + u32(100) + u8(1), 200)
    add("write-hdr-over", "write_hdr", u32(4) + u64(0) + u32(200) + u8(1),
        200)
    add("write-hdr-exact", "write_hdr", u32(4) + u64(0) + u32(177) + u8(1),
        200)
    add("write-hdr-cap10", "write_hdr", u32(4) + u64(0) + u32(1) + u8(1),
        10)
    add("readdir", "readdir", u32(4) + u64(3) + u32(8192))
    add("fid-op-clunk", "fid_op", u8(T["TCLUNK"]) + u32(9))
    add("fid-op-statfs", "fid_op", u8(T["TSTATFS"]) + u32(9), 11)
    add("getattr", "getattr", u32(5) + u64(0x3fff))
    add("setattr", "setattr",
        u32(5) + u32(0x1ff) + u32(0o600) + u32(1) + u32(2) + u64(10) +
        u64(11) + u64(12) + u64(13) + u64(14))
    add("setattr-short", "setattr", u32(5) + u32(8) + b"\x00" * 16, 60)
    add("symlink", "symlink", u32(3) + u32(0) + name("ln") + name("../t"))
    add("mknod", "mknod",
        u32(3) + u32(0o20644) + u32(1) + u32(3) + u32(0) + name("null"))
    add("rename", "rename", u32(3) + u32(4) + name("to"))
    add("renameat", "renameat", u32(3) + u32(4) + name("from") + name("to"))
    add("link", "link", u32(3) + u32(4) + name("hard"))
    add("fsync", "fsync", u32(3) + u32(1))
    add("xattrwalk", "xattrwalk", u32(3) + u32(4) + name("user.x"))
    add("xattrcreate", "xattrcreate",
        u32(3) + u64(12) + u32(0) + name("user.x"))
    lockf = u8(1) + u32(1) + u64(0) + u64(0) + u32(4242) + name("host-a")
    add("lock", "lock", u32(3) + lockf)
    add("lock-small", "lock", u32(3) + lockf, 40)
    add("getlock", "getlock", u32(3) + lockf)
    # p9_put_*() programs: cap[2] type[1] tag[2] then op[1] + operand
    prog = (u8(0) + u8(1) + u8(1) + u16(2) + u8(2) + u32(3) + u8(3) +
            u64(4) + u8(4) + name("str") + u8(5) + name("raw"))
    out["enc-puts"] = rec(E["puts"], u16(100) + u8(200) + u16(1) + prog)
    out["enc-puts-fill"] = rec(E["puts"], u16(14) + u8(200) + u16(1) + prog)
    out["enc-puts-cap3"] = rec(E["puts"], u16(3) + u8(200) + u16(1) + prog)
    return out


def session_seeds():
    """Several records in one input, as one mount would see them."""
    return {
        "session-mount": (
            rec(E["version"], u16(0x100) + u16(0) + u32(8192) +
                name("9P2000.L")) +
            rec(D["message"], msg(T["RVERSION"], 0xffff,
                                  u32(8192) + s("9P2000.L"))) +
            rec(E["attach"], u16(0x100) + u16(1) + u32(0) + u32(0xffffffff) +
                u32(0) + name("root") + name("")) +
            rec(D["message"], msg(T["RATTACH"], 1, qid())) +
            rec(E["walk"], u16(0x100) + u16(2) + u32(0) + u32(1) + u8(1) +
                name("etc")) +
            rec(D["message"], msg(T["RWALK"], 2, u16(1) + qid(0x80))) +
            rec(D["message"], msg(T["RGETATTR"], 3, GETATTR)) +
            rec(D["message"], msg(T["RLERROR"], 4, u32(2)))),
        "session-readdir": (
            rec(E["readdir"], u16(0x100) + u16(5) + u32(1) + u64(0) +
                u32(4096)) +
            rec(D["readdir"], u32(len(DIRENTS)) + DIRENTS) +
            rec(D["readdir"], u32(0)) +
            rec(D["dirents"], DIRENTS[:30])),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "corpus"))
    args = ap.parse_args()

    seeds = {}
    for part in (decoder_seeds(), encoder_seeds(), session_seeds()):
        for k, v in part.items():
            assert k not in seeds, k
            assert len(v) <= 4096, k
            seeds[k] = v

    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        path = os.path.join(args.out, old)
        if os.path.isfile(path) and old not in seeds:
            os.unlink(path)
    for k in sorted(seeds):
        with open(os.path.join(args.out, k), "wb") as f:
            f.write(seeds[k])
    print("%d seeds in %s" % (len(seeds), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
