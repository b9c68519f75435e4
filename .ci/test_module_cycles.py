#!/usr/bin/env python3
"""Self-test of module_cycles.py on tiny crates written to a temporary folder.

    python3 .ci/test_module_cycles.py
"""
import contextlib
import io
import os
import sys
import tempfile
import textwrap
import unittest

sys.dont_write_bytecode = True  # no .ci/__pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_cycles  # noqa: E402


class ModuleCycles(unittest.TestCase):
    def check(self, files):
        """Writes `files` ({path under src: text}) and runs the check: (status, output)."""
        with tempfile.TemporaryDirectory() as root:
            src = os.path.join(root, "src")
            for path, text in files.items():
                full = os.path.join(src, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write(textwrap.dedent(text).lstrip("\n"))
            out = io.StringIO()
            here = os.getcwd()
            os.chdir(root)
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                    status = module_cycles.main(["module_cycles.py", "src"])
            finally:
                os.chdir(here)
            return status, out.getvalue()

    def assert_cycle(self, files, *expected):
        status, out = self.check(files)
        self.assertEqual(status, 1, out)
        for text in expected:
            self.assertIn(text, out)
        return out

    def assert_no_cycle(self, files):
        status, out = self.check(files)
        self.assertEqual(status, 0, out)
        self.assertIn("no cycle", out)
        return out

    def test_a_cycle_made_by_an_inline_path_only(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": """
                    use crate::b::B;
                    pub fn g() {}
                """,
                "b.rs": """
                    pub struct B;
                    pub fn f() -> usize {
                        crate::a::g();
                        0
                    }
                """,
            },
            "cycle among the crate's top-level modules: a, b",
            "a -> b:\n    src/a.rs:1\n",
            "b -> a:\n    src/b.rs:3\n",
        )

    def test_inline_paths_in_types_and_across_lines(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "pub fn g(x: Vec<crate::b::B>) {}\n",
                "b.rs": "pub struct B;\npub fn f() { crate\n    ::a\n    ::g(Vec::new()) }\n",
            },
            "a -> b:\n    src/a.rs:1\n",
            "b -> a:\n    src/b.rs:3\n",
        )

    def test_a_cycle_through_a_grouped_use(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\nmod b;\nmod c;\n",
                "a.rs": """
                    use crate::{
                        c::C,
                        b::{self, B as Bee},
                    };
                """,
                "b.rs": "pub struct B;\n",
                "c.rs": "use crate::{b, a::{self}};\npub struct C;\n",
            },
            "cycle among the crate's top-level modules: a, c",
            "a -> c:\n    src/a.rs:2\n",
            "c -> a:\n    src/c.rs:1\n",
        )

    def test_a_submodule_using_its_parent_is_no_cycle(self):
        out = self.assert_no_cycle(
            {
                "lib.rs": "pub mod a;\n",
                "a/mod.rs": """
                    pub(crate) mod x;
                    mod y;
                    use self::x::f;
                    pub struct P;
                    pub fn p() { y::g(); }
                """,
                "a/x.rs": """
                    use super::P;
                    pub fn f() -> super::P { crate::a::P }
                """,
                "a/y.rs": "use super::super::a::P;\npub fn g() {}\n",
            }
        )
        self.assertIn("3 modules, 0 edges, no cycle", out)

    def test_a_cycle_between_sibling_submodules(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\n",
                "a/mod.rs": "mod x;\nmod y;\n",
                "a/x.rs": "use super::y::Y;\npub struct X;\n",
                "a/y/mod.rs": "mod z;\npub struct Y;\n",
                "a/y/z.rs": "pub fn f() -> crate::a::x::X { crate::a::x::X }\n",
            },
            "cycle among the submodules of a: a::x, a::y",
            "a::x -> a::y:\n    src/a/x.rs:1\n",
            "a::y -> a::x:\n    src/a/y/z.rs:1\n",
        )

    def test_an_edge_between_submodules_of_two_modules_is_between_the_two(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "mod x;\n",
                "a/x.rs": "pub fn f() { crate::b::y::g() }\n",
                "b/mod.rs": "pub mod y;\nuse crate::a::x as ax;\n",
                "b/y.rs": "pub fn g() {}\n",
            },
            "cycle among the crate's top-level modules: a, b",
            "a -> b:\n    src/a/x.rs:1\n",
            "b -> a:\n    src/b/mod.rs:2\n",
        )

    def test_paths_in_comments_and_literals_are_ignored(self):
        self.assert_no_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::f;\n",
                "b.rs": r'''
                    //! Module docs naming [`crate::a`].
                    /// Calls nothing of [`crate::a::g`].
                    pub fn f<'a>(s: &'a str) -> &'a str {
                        // crate::a::g();
                        /* crate::a::g(); /* nested */ crate::a::g(); */
                        let _ = '"';
                        let _ = '\'';
                        let _ = "crate::a::g() \" crate::a::g()";
                        let _ = r#"crate::a::g() " crate::a::g()"#;
                        let _ = b"crate::a";
                        s
                    }
                ''',
            }
        )

    def test_test_modules_and_test_only_items_are_ignored(self):
        out = self.assert_no_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::f;\n",
                "b.rs": """
                    pub fn f() {}

                    #[cfg(test)]
                    pub(crate) fn helper() { crate::a::g(); }

                    #[cfg(test)]
                    mod tests {
                        use super::*;
                        use crate::a::g;
                        #[test]
                        fn uses_a() { crate::a::g(); }
                    }
                """,
            }
        )
        self.assertIn("2 modules, 1 edges, no cycle", out)

    def test_a_cfg_test_module_in_its_own_file_is_not_read(self):
        self.assert_no_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::f;\n",
                "b.rs": "pub fn f() {}\n#[cfg(test)]\nmod tests;\n",
                "b/tests.rs": "use crate::a;\n",
            }
        )

    def test_inline_modules_and_other_cfgs_count(self):
        self.assert_cycle(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "pub mod inner {\n    pub fn g() { super::super::b::f() }\n}\n",
                "b.rs": "#[cfg(unix)]\npub fn f() { crate::a::inner::g() }\n",
            },
            "a -> b:\n    src/a.rs:2\n",
            "b -> a:\n    src/b.rs:2\n",
        )

    def test_the_binary_is_not_read(self):
        self.assert_no_cycle(
            {
                "lib.rs": "pub mod a;\npub mod b;\n",
                "main.rs": "mod a;\nfn main() { crate::a::f() }\n",
                "a.rs": "use crate::b::B;\npub fn f() {}\n",
                "b.rs": "pub struct B;\n",
            }
        )

    def test_a_missing_module_file_is_an_error(self):
        status, out = self.check({"lib.rs": "mod gone;\n"})
        self.assertEqual(status, 2, out)
        self.assertIn("no file for module gone", out)


if __name__ == "__main__":
    unittest.main()
