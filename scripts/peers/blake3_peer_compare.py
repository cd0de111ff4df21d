#!/usr/bin/env python3
"""Compare `prover bench hash` against the Rust `blake3` PyPI package (the peer)
on 1 MiB, interleaving runs so both see the same machine load.
Usage: pip install blake3; swift build -c release; python3 scripts/peers/blake3_peer_compare.py [rounds]"""
import json, os, subprocess, sys, time
import blake3

PROVER = os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "prover")
data = os.urandom(1 << 20)

def peer_mib_s(threads):
    best = 1e9
    kw = {"max_threads": threads} if threads > 1 else {}
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(40):
            blake3.blake3(data, **kw).digest()
        best = min(best, (time.perf_counter() - t) / 40)
    return 1 / best

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
ours1, ours2, peer1, peer2, many = [], [], [], [], []
for _ in range(rounds):
    out = subprocess.run([PROVER, "bench", "hash", "--json"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        r = json.loads(line)
        if r["case"] == "blake3.1MiB":
            (ours1 if r["threads"] == 1 else ours2).append(r["value"])
        else:
            many.append(r["value"])
    peer1.append(peer_mib_s(1))
    peer2.append(peer_mib_s(2))
print(f"ours 1 thread : {max(ours1):8.1f} MiB/s   peer (Rust blake3 {blake3.__version__}) 1 thread : {max(peer1):8.1f} MiB/s   ratio {max(ours1)/max(peer1):.2f}")
if ours2:
    print(f"ours 2 threads: {max(ours2):8.1f} MiB/s   peer 2 threads: {max(peer2):8.1f} MiB/s   ratio {max(ours2)/max(peer2):.2f}")
print(f"hash_many_64B : {min(many):8.2f} ns/hash")
