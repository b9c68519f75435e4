//! The `tebiki` binary: parse the command line, run it, and turn the outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    tebiki::cli::main()
}
