#!/usr/bin/env python3
"""Fails when the library's modules import each other in a circle.

Reads the module graph that cargo-modules prints as DOT (`cargo modules dependencies --lib
--no-fns --no-traits --no-types --no-externs --no-sysroot --no-owns`) and lists every strongly
connected set of modules joined by "uses" edges. (`--acyclic` of cargo-modules 0.27 also counts a
type and its own methods as a cycle, so the module graph is checked here.)
"""
import re, sys
edges = {}
for line in open(sys.argv[1]):
    m = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[label="uses"', line)
    if m:
        a, b = m.groups()
        if a != b:
            edges.setdefault(a, set()).add(b)
            edges.setdefault(b, set())
sys.setrecursionlimit(10000)
index = {}; low = {}; stack = []; on = set(); sccs = []; counter = [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(sorted(comp))
for v in list(edges):
    if v not in index: visit(v)
for comp in sccs:
    print("cycle:", " ".join(comp))
    for v in comp:
        print("  ", v, "->", " ".join(sorted(w for w in edges[v] if w in comp)))
sys.exit(1 if sccs else 0)
