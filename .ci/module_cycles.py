#!/usr/bin/env python3
"""Fails when the library's modules depend on each other in a circle (ARCHITECTURE.md).

    python3 .ci/module_cycles.py src

Reads the crate's sources itself, from `src/lib.rs` down through the `mod` declarations (`x.rs` or
`x/mod.rs`, and inline `mod x { ... }` blocks); `src/main.rs`, the binary, is not read. Anything
under `#[cfg(test)]` (the `tests` modules, test-only helpers) is left out: tests may use anything.

A module depends on every crate module a path in its code names: `use crate::...` (grouped trees
too), `use super::...` and `use self::...` (made absolute), `pub use` re-exports, and paths written
inline in the code, `crate::a::b::f()`, `super::x::T`, in expressions, types and macro calls.
Comments (doc comments included) and string and character literals are blanked first. A path
stands for the longest of its prefixes that is a module.

The rule is "no import cycle between modules (a submodule using its parent is fine)". An edge
from a module to one of its ancestors or descendants is not counted. Any other edge, from `s` to
`t`, is counted once, between the two children of their nearest common ancestor that lead to them:
`a::x -> b::y` is `a -> b` among the crate's top-level modules, `a::x -> a::y::z` is `x -> y` among
`a`'s submodules. Every strongly connected set of two or more modules at one level is a cycle; it
is printed with each of its edges and where the paths that make the edge are written (the first
three of each), and the exit status is 1. Without a cycle the status is 0 after a one-line
summary.

(The check used to read cargo-modules' graph, which is built from `use` declarations alone and so
missed the inline `crate::` paths.)
"""
import bisect
import os
import re
import sys
import time

# --- Blanking comments and literals --------------------------------------------------------------

# What can start a comment or a literal. Raw strings first: at the same position, `r"` is tried
# before `"`. A `'` is a character literal or a lifetime (decided below).
_START = re.compile(r"""//|/\*|(?<![\w#])(?:br|cr|r)(#*)"|"|'""")
_CHAR = re.compile(r"""'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]*\}|.)|[^'\\\n])'""")
_BLOCK = re.compile(r"/\*|\*/")
_STRING_END = re.compile(r'\\.|"', re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(text):
    """The text with comments and string and character literals replaced by spaces.

    Newlines are kept, so offsets and line numbers are the source's.
    """
    out = []
    pos = 0
    n = len(text)
    while True:
        m = _START.search(text, pos)
        if not m:
            out.append(text[pos:])
            break
        start = m.start()
        tok = m.group(0)
        if tok == "//":
            end = text.find("\n", start)
            end = n if end < 0 else end
        elif tok == "/*":
            depth = 0
            end = n
            for b in _BLOCK.finditer(text, start):
                depth += 1 if b.group(0) == "/*" else -1
                if depth == 0:
                    end = b.end()
                    break
        elif tok == "'":
            c = _CHAR.match(text, start)
            if not c:  # a lifetime or a label: code
                out.append(text[pos : start + 1])
                pos = start + 1
                continue
            end = c.end()
        elif tok == '"':
            end = n
            for s in _STRING_END.finditer(text, start + 1):
                if s.group(0) == '"':
                    end = s.end()
                    break
        else:  # a raw string: ends at the first `"` followed by as many `#`
            close = '"' + m.group(1)
            end = text.find(close, m.end())
            end = n if end < 0 else end + len(close)
        out.append(text[pos:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    return "".join(out)


# --- Items under #[cfg(test)] --------------------------------------------------------------------

_CFG_TEST = re.compile(r"#\s*\[\s*cfg\s*\(\s*(?:test|all\s*\(\s*test\b[^\]]*)\s*\)\s*\]")
_DELIM = re.compile(r"[(){}\[\];,]")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_ITEM_KEYWORD = re.compile(
    r"\s*(?:#\s*\[[^\]]*\]\s*)*(?:pub\s*(?:\([^)]*\))?\s*)?"
    r"(?:fn|mod|use|impl|struct|enum|union|const|static|type|trait|macro_rules|extern|unsafe|"
    r"async|let|default)\b"
)


def item_end(code, pos):
    """Where the item, statement, field or arm starting at `pos` ends.

    That is after its `;` or its closing `}` at depth 0; a field or an arm (which does not start
    with a keyword) also ends at a `,`, and anything ends before a bracket it did not open.
    """
    stops_at_comma = not _ITEM_KEYWORD.match(code, pos)
    stack = []
    for m in _DELIM.finditer(code, pos):
        c = m.group(0)
        if c in _OPEN:
            stack.append(_OPEN[c])
        elif c in ")]}":
            if not stack:
                return m.start()
            stack.pop()
            if c == "}" and not stack:
                return m.end()  # `fn f() {}`, `mod m {}`, `impl X {}`
        elif not stack and (c == ";" or (c == "," and stops_at_comma)):
            return m.end()
    return len(code)


def drop_test_items(code):
    """The code with every item under `#[cfg(test)]` (its attributes included) blanked."""
    while True:
        m = _CFG_TEST.search(code)
        if not m:
            return code
        end = item_end(code, m.end())
        code = code[: m.start()] + _NOT_NEWLINE.sub(" ", code[m.start() : end]) + code[end:]


# --- Reading the crate ---------------------------------------------------------------------------

_MOD = re.compile(r"(?<![\w#])mod\s+(?:r#)?(\w+)\s*([;{])")
_USE = re.compile(r"(?<![\w#.])use\b")
_USE_TOKEN = re.compile(r"\$?(?:r#)?\w+|::|\S")
_INLINE = re.compile(r"(?<![\w#$])(\$crate|crate|super|self)((?:\s*::\s*(?:r#)?\w+)+)")
_SEGMENT = re.compile(r"(?:r#)?(\w+)")
_VIS_IN = re.compile(r"pub\s*\(\s*in\s+$")


def matching_brace(code, open_pos):
    depth = 0
    for m in re.finditer(r"[{}]", code[open_pos:]):
        depth += 1 if m.group(0) == "{" else -1
        if depth == 0:
            return open_pos + m.end()
    return len(code)


class SourceFile:
    def __init__(self, path, module, directory):
        self.path = path
        self.module = module  # the file's module path, a tuple of names
        self.directory = directory  # where its `mod x;` files are
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.code = drop_test_items(blank(text))
        self._newlines = [i for i, c in enumerate(self.code) if c == "\n"]
        # Inline modules: (start, end, module path, directory of their `mod x;` files)
        self.scopes = []
        self.declarations = []  # (module path, directory, name, offset) of each `mod x;`
        self.inline = []  # module paths of the inline modules
        stack = []
        for m in _MOD.finditer(self.code):
            while stack and stack[-1][1] <= m.start():
                stack.pop()
            if stack:
                module, directory = stack[-1][2], stack[-1][3]
            else:
                module, directory = self.module, self.directory
            name = m.group(1)
            if m.group(2) == ";":
                self.declarations.append((module, directory, name, m.start()))
            else:
                scope = (m.start(), matching_brace(self.code, m.end() - 1), module + (name,),
                         os.path.join(directory, name))
                self.scopes.append(scope)
                self.inline.append(scope[2])
                stack.append(scope)

    def line(self, offset):
        return bisect.bisect_left(self._newlines, offset) + 1

    def module_at(self, offset):
        module = self.module
        for start, end, inner, _ in self.scopes:  # in source order: the innermost comes last
            if start <= offset < end:
                module = inner
        return module

    def paths(self):
        """Every path starting with `crate`, `super` or `self`, `use` trees expanded, as a list
        of (segment, offset): the first segment is that keyword."""
        for m in _USE.finditer(self.code):
            end = self.code.find(";", m.end())
            end = len(self.code) if end < 0 else end
            tokens = [(t.group(0), t.start()) for t in _USE_TOKEN.finditer(self.code, m.end(), end)]
            yield from _use_tree(tokens, 0, [])[0]
        for m in _INLINE.finditer(self.code):
            if _VIS_IN.search(self.code, max(0, m.start() - 20), m.start()):
                continue  # `pub(in crate::a)` is a visibility, not a use
            yield [(m.group(1), m.start())] + [
                (s.group(1), s.start(1)) for s in _SEGMENT.finditer(self.code, m.start(2), m.end(2))
            ]


def _use_tree(tokens, i, prefix):
    """Expands the use tree at tokens[i]: ([path, ...], index after it), each path a list of
    (segment, offset)."""
    found = []
    path = list(prefix)
    while i < len(tokens):
        tok, off = tokens[i]
        if tok == "{":
            i += 1
            while i < len(tokens) and tokens[i][0] != "}":
                if tokens[i][0] == ",":
                    i += 1
                    continue
                inner, i = _use_tree(tokens, i, path)
                found.extend(inner)
            return found, i + 1
        if tok == "::":
            i += 1
            continue
        if tok in ("*", ",", "}"):
            i += tok == "*"
            break
        if tok == "as":  # `as name`: the path is complete
            i += 2
            break
        if tok == "self" and path:  # `use a::{self, b}`
            i += 1
            continue
        path.append((tok[2:] if tok.startswith("r#") else tok, off))
        i += 1
    if path:
        found.append(path)
    return found, i


class Crate:
    def __init__(self, src):
        self.files = []
        self.modules = {()}
        self.problems = []
        root = os.path.join(src, "lib.rs")
        todo = [SourceFile(root, (), src)]
        while todo:
            f = todo.pop()
            self.files.append(f)
            self.modules.update(f.inline)
            for module, directory, name, offset in f.declarations:
                child = module + (name,)
                self.modules.add(child)
                for candidate, child_dir in (
                    (os.path.join(directory, name + ".rs"), os.path.join(directory, name)),
                    (os.path.join(directory, name, "mod.rs"), os.path.join(directory, name)),
                ):
                    if os.path.isfile(candidate):
                        todo.append(SourceFile(candidate, child, child_dir))
                        break
                else:
                    self.problems.append(f"{f.path}:{f.line(offset)}: no file for module "
                                         f"{'::'.join(child)}")

    def resolve(self, module, path):
        """The module a path written in `module` names and the offset of the segment naming it,
        or None (a path out of the crate)."""
        names = [segment for segment, _ in path]
        if names[0] in ("crate", "$crate"):
            base, k = (), 1
        elif names[0] in ("super", "self"):
            base, k = module, 0
            while k < len(names) and names[k] in ("super", "self"):
                if names[k] == "super":
                    if not base:
                        return None
                    base = base[:-1]
                k += 1
        else:
            return None
        rest = names[k:]
        while rest and base + tuple(rest) not in self.modules:
            rest.pop()
        return base + tuple(rest), path[k + len(rest) - 1][1]

    def edges(self):
        """{(parent, from child, to child): [(file, line), ...]}, each list in source order."""
        found = {}
        for f in sorted(self.files, key=lambda f: f.path):
            for path in f.paths():
                source = f.module_at(path[0][1])
                resolved = self.resolve(source, path)
                if resolved is None:
                    continue
                target, offset = resolved
                common = 0
                while (common < len(source) and common < len(target)
                       and source[common] == target[common]):
                    common += 1
                if common == len(source) or common == len(target):
                    continue  # an ancestor or a descendant
                key = (source[:common], source[common], target[common])
                place = (f.path, f.line(offset))
                places = found.setdefault(key, [])
                if place not in places:
                    places.append(place)
        for places in found.values():
            places.sort()
        return found


# --- Cycles --------------------------------------------------------------------------------------


def strongly_connected(nodes, graph):
    """Tarjan's algorithm, without recursion: the components of two or more nodes."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return result


def shortest_cycle(start, members, graph):
    """A shortest circle from `start` back to it, inside `members`."""
    previous = {}
    queue = [start]
    for v in queue:
        for w in sorted(graph.get(v, ())):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start] + path[::-1][1:] + [start]
            if w not in previous:
                previous[w] = v
                queue.append(w)
    return [start]


def name(parent, child):
    return "::".join(parent + (child,))


def main(argv):
    began = time.perf_counter()
    if len(argv) != 2:
        print("usage: module_cycles.py SRC_DIR", file=sys.stderr)
        return 2
    if not os.path.isfile(os.path.join(argv[1], "lib.rs")):
        print(f"module_cycles.py: no lib.rs in {argv[1]}", file=sys.stderr)
        return 2
    crate = Crate(argv[1])
    for problem in crate.problems:
        print(problem, file=sys.stderr)
    if crate.problems:
        return 2
    edges = crate.edges()
    graphs = {}
    for (parent, a, b) in edges:
        graphs.setdefault(parent, {}).setdefault(a, set()).add(b)
    cycles = 0
    here = os.getcwd()
    for parent in sorted(graphs):
        graph = graphs[parent]
        for component in sorted(strongly_connected(sorted(graph), graph)):
            cycles += 1
            members = set(component)
            where = ("the crate's top-level modules" if not parent
                     else f"the submodules of {'::'.join(parent)}")
            print(f"cycle among {where}: {', '.join(name(parent, c) for c in component)}")
            example = shortest_cycle(component[0], members, graph)
            print("  for example: " + " -> ".join(name(parent, c) for c in example))
            for a in component:
                for b in sorted(graph.get(a, ())):
                    if b not in members:
                        continue
                    places = edges[(parent, a, b)]
                    print(f"  {name(parent, a)} -> {name(parent, b)}:")
                    for path, line in places[:3]:
                        print(f"    {os.path.relpath(path, here)}:{line}")
                    if len(places) > 3:
                        print(f"    (and {len(places) - 3} more)")
    count = len(crate.modules) - 1
    elapsed = time.perf_counter() - began
    if cycles:
        print(f"{count} modules, {len(edges)} edges, {cycles} cycle{'s' if cycles > 1 else ''} "
              f"({elapsed:.2f} s)")
        return 1
    print(f"{count} modules, {len(edges)} edges, no cycle ({elapsed:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
