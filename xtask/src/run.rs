//! Running cargo and other programs, with their output passed through and a clear error
//! naming the command when one fails.

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::Build;

/// Runs `cargo ARGS` in the workspace with the extra environment `envs`, adding `--locked`
/// when the build asks for it.
pub fn cargo(build: &Build, args: &[String], envs: &[(&str, String)]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&build.root).args(args);
    if build.locked {
        command.arg("--locked");
    }
    for (name, value) in envs {
        command.env(name, value);
    }
    status(&mut command)
}

/// Runs a command to its end, inheriting stdout and stderr.
pub fn status(command: &mut Command) -> Result<()> {
    let line = describe(command);
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
