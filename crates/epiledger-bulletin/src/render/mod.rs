//! Rendering the bulletin of a day from the ledger alone: the structured [`Bulletin`]
//! ([`bulletin`]), then the Chinese text in the NHC's conventions of each period ([`zh`]), the
//! English text ([`en`]), JSON ([`json`]), a standalone HTML page ([`html`]) and Markdown
//! ([`md`]). [`check`] compares a rendering with the official text.

/// The measures that the sentence of the day's new cases does not state: all but
/// `confirmed_new`, `deaths_new`, `suspected_new` and `severe_change`. A pattern, so that the
/// renderers' matches over that sentence stay exhaustive: a measure added to the core is in no
/// arm until someone decides where it is written.
macro_rules! not_in_new_cases {
    () => {
        ::epiledger_core::Measure::ConfirmedNewFromAsymptomatic
            | ::epiledger_core::Measure::ConfirmedNewClinical
            | ::epiledger_core::Measure::DischargedNew
            | ::epiledger_core::Measure::ContactsReleased
            | ::epiledger_core::Measure::AsymptomaticNew
            | ::epiledger_core::Measure::AsymptomaticToConfirmed
            | ::epiledger_core::Measure::AsymptomaticReleased
            | ::epiledger_core::Measure::ConfirmedCurrent
            | ::epiledger_core::Measure::SevereCurrent
            | ::epiledger_core::Measure::SuspectedCurrent
            | ::epiledger_core::Measure::ContactsUnderObservation
            | ::epiledger_core::Measure::AsymptomaticUnderObservation
            | ::epiledger_core::Measure::ConfirmedCumulative
            | ::epiledger_core::Measure::DischargedCumulative
            | ::epiledger_core::Measure::DeathsCumulative
            | ::epiledger_core::Measure::SuspectedCumulative
            | ::epiledger_core::Measure::ContactsReleasedCumulative
            | ::epiledger_core::Measure::ContactsTracedCumulative
            | ::epiledger_core::Measure::RegionsReporting
            | ::epiledger_core::Measure::RegionsConfirmedNew
            | ::epiledger_core::Measure::RegionsSuspectedNew
            | ::epiledger_core::Measure::RegionsConfirmedCumulative
            | ::epiledger_core::Measure::RegionsSuspectedCumulative
    };
}

mod build;
pub mod check;
pub mod document;
pub mod en;
pub mod html;
pub mod json;
pub mod lists;
pub mod md;
pub mod number;
pub use crate::vocab::{periods, romanize};
pub mod zh;

use epiledger_core::{Date, Ledger, RegionId};

pub use check::{diff, CheckReport, DayCheck, Hunk};
pub use document::{Bulletin, Clause, Figure, Paragraph, Section};

pub use epiledger_core::Lang;

/// An output format of the bulletin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, one paragraph a line.
    Text,
    /// The structured bulletin as JSON.
    Json,
    /// A standalone printable HTML page.
    Html,
    /// Markdown.
    Md,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Html, Format::Md];

    /// `text`, `json`, `html` or `md`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Html => "html",
            Format::Md => "md",
        }
    }

    /// The media type of the format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is none of `text`, `json`, `html`, `md`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: use text, json, html or md")]
pub struct FormatError(pub String);

impl std::str::FromStr for Format {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| FormatError(s.to_string()))
    }
}

/// The title of a bulletin: `2020年6月19日疫情通报`, `Epidemic bulletin for June 19, 2020`
/// (a province's own bulletin names the province).
pub fn title(b: &Bulletin, lang: Lang) -> String {
    let d = b.date;
    let scope = |zh: bool| {
        if b.scope.is_nation() {
            String::new()
        } else if zh {
            lists::full_zh(&b.scope)
        } else {
            format!("{} ", lists::name_en(&b.scope))
        }
    };
    match lang {
        Lang::Zh => format!(
            "{}{}年{}月{}日疫情通报",
            scope(true),
            d.year(),
            d.month(),
            d.day()
        ),
        Lang::En => {
            let m = en::month_name(d);
            if b.scope.is_nation() {
                format!("Epidemic bulletin for {m} {}, {}", d.day(), d.year())
            } else {
                format!(
                    "{}epidemic bulletin for {m} {}, {}",
                    scope(false),
                    d.day(),
                    d.year()
                )
            }
        }
    }
}

/// The bulletin of `date` for `scope` (the nation, or a provincial-level unit's own), built
/// from the ledger alone; `None` when the ledger holds nothing for that day.
pub fn bulletin(ledger: &Ledger, date: Date, scope: &RegionId) -> Option<Bulletin> {
    build::build(ledger, date, scope)
}

/// The text of a bulletin in a language.
pub fn text(b: &Bulletin, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh::write(b),
        Lang::En => en::write(b),
    }
}

/// A bulletin in a language and format.
pub fn render(b: &Bulletin, lang: Lang, format: Format) -> String {
    match format {
        Format::Text => text(b, lang),
        Format::Json => json::write(b, lang),
        Format::Html => html::write(b, lang),
        Format::Md => md::write(b, lang),
    }
}
