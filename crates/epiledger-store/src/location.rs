//! Where a ledger is: an SQLite file or a PostgreSQL database, as `--db`, `--from` and `--to`
//! name it. Known here, in the backend-independent crate, so that a build without the
//! PostgreSQL backend still recognizes a PostgreSQL URL and says it cannot open it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a ledger is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (with its password, if it has one: never print it, print `self`).
    Postgres(String),
}

impl Location {
    /// Reads a location: `postgres://…`/`postgresql://…`, `sqlite:PATH` (or `sqlite://PATH`),
    /// or a plain path.
    pub fn parse(db: &Path) -> Location {
        let Some(text) = db.to_str() else {
            return Location::Sqlite(db.to_path_buf());
        };
        if is_postgres_url(text) {
            return Location::Postgres(text.to_string());
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        Location::Sqlite(PathBuf::from(path))
    }
}

impl fmt::Display for Location {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// Whether a URL names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_postgres_url(s: &str) -> bool {
    let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL without its password, for messages: `postgres://user:secret@host/db` →
/// `postgres://user@host/db`; a `password=` parameter is dropped too.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let start = scheme_end + 3 + colon;
                out.replace_range(start..scheme_end + 3 + at, "");
            }
        }
    }
    // A query parameter or a key=value pair `password=…`.
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("password=") {
        let boundary = i == 0 || matches!(rest.as_bytes()[i - 1], b'?' | b'&' | b' ');
        if !boundary {
            cleaned.push_str(&rest[..i + 9]);
            rest = &rest[i + 9..];
            continue;
        }
        cleaned.push_str(&rest[..i]);
        let value = &rest[i + 9..];
        let end = value.find(['&', ' ']).unwrap_or(value.len());
        rest = &value[end..];
        if cleaned.ends_with(['?', '&', ' ']) && rest.starts_with(['&', ' ']) {
            rest = &rest[1..];
        }
    }
    cleaned.push_str(rest);
    cleaned.trim_end_matches(['?', '&']).trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_from_db() {
        let p = |s: &str| Location::parse(Path::new(s));
        assert_eq!(p("epiledger.db"), Location::Sqlite("epiledger.db".into()));
        assert_eq!(p("sqlite:a/b.db"), Location::Sqlite("a/b.db".into()));
        assert_eq!(
            p("sqlite:///tmp/b.db"),
            Location::Sqlite("/tmp/b.db".into())
        );
        assert_eq!(
            p("postgres://u:pw@h/db"),
            Location::Postgres("postgres://u:pw@h/db".into())
        );
        assert_eq!(
            p("postgresql://h/db"),
            Location::Postgres("postgresql://h/db".into())
        );
        assert_eq!(p("postgres://u:pw@h/db").to_string(), "postgres://u@h/db");
    }

    #[test]
    fn urls_are_recognised_and_redacted() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("PostgreSQL://u@h/db"));
        assert!(!is_postgres_url("sqlite:ledger.db"));
        assert!(!is_postgres_url("postgres"));
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact("postgres://u@h/db?password=x&sslmode=disable"),
            "postgres://u@h/db?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://u@h/db?sslmode=disable&password=x"),
            "postgres://u@h/db?sslmode=disable"
        );
        assert_eq!(redact("host=h password=x dbname=d"), "host=h dbname=d");
        assert_eq!(
            redact("postgres://h/db?oldpassword=1"),
            "postgres://h/db?oldpassword=1"
        );
    }
}
