//! The command-line tools beside `serve`. Each subcommand's logic lives here, in the
//! library, writing to the streams it is given, so `main.rs` only parses arguments and the
//! tests can drive the real binary or the function alike.

pub mod backup;
pub mod books;
pub mod compute;
pub mod export;
pub mod sweep;
pub mod users;

use std::io::Read;
use std::path::Path;

/// How messages name the scenario's source: its path, or `<stdin>` for `-`.
pub fn source_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// The scenario's text from `path`, or from `stdin` when the path is `-`; the reason as
/// one line when it cannot be read or is not UTF-8.
pub fn read_scenario(path: &Path, stdin: &mut dyn Read) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        stdin.read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    }
    .map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Writes a command's output (or the error that kept it from being made) to `stdout`;
/// the exit status says how that went. A reader that went away (`lakeplan … | head`) is
/// its choice, not an error to report. `what` names the output in the message.
pub fn write_output<E: std::error::Error + Send + Sync + 'static>(
    out: Result<String, E>,
    what: &str,
    stdout: &mut dyn std::io::Write,
    stderr: &mut dyn std::io::Write,
) -> u8 {
    use compute::{EXIT_IO, EXIT_OK};
    let written = match out {
        Ok(text) => stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
        Err(e) => Err(std::io::Error::other(e)),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "lakeplan: cannot write {what}: {e}");
            EXIT_IO
        }
    }
}
