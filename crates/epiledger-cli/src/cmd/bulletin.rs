//! `bulletin` and `render`: the day's bulletin from the ledger.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{BulletinArgs, RenderArgs};
use crate::error::CliError;

/// `bulletin DATE` and `bulletin --check DIR`.
pub fn bulletin(_db: &Path, _args: &BulletinArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Input(
        "the bulletin renderer is not built yet".into(),
    ))
}

/// `render --facts FILE --date DATE`.
pub fn render(_args: &RenderArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Input(
        "the bulletin renderer is not built yet".into(),
    ))
}
