//! Errors of the command line and the exit codes that scripts can rely on.

use std::process::ExitCode;

/// Exit codes: 0 success; 1 a failure of the machine (database, file system); 2 a usage error
/// (clap's own); 3 input rejected (a bulletin or file that could not be read: nothing of it was
/// stored); 4 a check failed (`audit --check` found unexplained breaks, `import` left numbers
/// unplaced).
pub mod code {
    /// Success.
    pub const OK: u8 = 0;
    /// The machine failed: database, file system.
    pub const FAILURE: u8 = 1;
    /// Input rejected.
    pub const INPUT: u8 = 3;
    /// A check failed.
    pub const CHECK: u8 = 4;
}

/// An error that ends the command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] epiledger_store::StoreError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Something the user gave is wrong.
    #[error("{0}")]
    Input(String),
    /// The shipped history is broken (a build problem).
    #[error(transparent)]
    History(#[from] epiledger_history::HistoryError),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Input(_) => code::INPUT,
            _ => code::FAILURE,
        })
    }
    /// Whether standard output was closed by its reader.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
    /// An I/O error on a path.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::io("<stdout>", e)
    }
}
