//! The published bulletin of a day, rendered once per (day, release, language, format) and
//! kept in memory with its ETag: a publication is immutable, so a rendering never goes stale.
//! Which release is a day's newest is cached for a second ([`LATEST_TTL`]), and forgotten at
//! once when this server publishes a release of the day.
//!
//! The text is `epiledger-bulletin`'s renderer (the NHC's wording of each period) on a ledger of
//! the published day and the previous day as published then; a release that revises an earlier
//! one adds a paragraph of errata (old value, new value, reason). A day the renderer makes
//! nothing of is written here plainly from its facts: the nation's figures by origin, then each
//! region's.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use epiledger_bulletin::render as renderer;
use epiledger_bulletin::render::Format;
use epiledger_core::{registry, Date, Day, Fact, Ledger, Measure, Origin, RegionId};
use epiledger_core::{Lang, SourceKind};
use epiledger_store::{time, Erratum, Source};
use serde::Serialize;
use utoipa::ToSchema;

/// How long the newest release of a day is trusted without a database read.
pub const LATEST_TTL: Duration = Duration::from_secs(1);

/// Who published a day, and when: the National Health Commission for the bulletins of 2020–2022
/// (the shipped history, or a bulletin imported from its text), published the morning after the
/// reported day, whose hour is not known; epiledger's compilers for a release of the units'
/// reports, at the time of its publication.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Publication {
    /// `National Health Commission` or `epiledger`.
    pub publisher: &'static str,
    /// The day it was published (Beijing time).
    pub published_on: Date,
    /// When it was published: known for a release of epiledger's own; null for a bulletin of
    /// the NHC, whose hour is not known.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub published_at: Option<String>,
}

impl Publication {
    /// The publication of a version of a day from its source and the time it was recorded.
    pub fn of(date: Date, kind: SourceKind, recorded_at: chrono::DateTime<chrono::Utc>) -> Self {
        match kind {
            SourceKind::Report => Publication {
                publisher: "epiledger",
                published_on: Date::today(recorded_at),
                published_at: Some(time::format(recorded_at)),
            },
            SourceKind::Bulletin | SourceKind::Embedded | SourceKind::Other => Publication {
                publisher: "National Health Commission",
                published_on: date.succ(),
                published_at: None,
            },
        }
    }

    /// "published by the National Health Commission on 2020-06-20", or with the time.
    pub fn line(&self, lang: Lang) -> String {
        match (lang, &self.published_at) {
            (Lang::Zh, Some(t)) => format!("{} 发布于 {t}", self.publisher),
            (Lang::Zh, None) => format!("国家卫生健康委员会 {} 发布", self.published_on),
            (Lang::En, Some(t)) => format!("published by {} at {t}", self.publisher),
            (Lang::En, None) => {
                format!(
                    "published by the {} on {}",
                    self.publisher, self.published_on
                )
            }
        }
    }
}

/// A published release of a day, with what rendering it needs.
#[derive(Clone, Debug)]
pub struct Published {
    /// The day.
    pub date: Date,
    /// The release number (the day version).
    pub number: u32,
    /// When it was published.
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// The content hash of the day.
    pub content_hash: String,
    /// Where it came from.
    pub source: Source,
    /// The day.
    pub day: Day,
    /// What the release changed from the previous one.
    pub errata: Vec<Erratum>,
    /// The previous day as published when this release was.
    pub previous: Option<Day>,
}

/// Where a published day came from, as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SourceRef {
    /// Bulletin, embedded history, or a release compiled from the units' reports.
    pub kind: epiledger_core::SourceKind,
    /// The file, the label of the history, or `release DATE #ID`.
    pub name: String,
}

/// A figure of a bulletin, with its labels in the bulletin's language.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BulletinFact {
    /// Where.
    pub region: RegionId,
    /// The region's name.
    pub region_name: String,
    /// Which cases.
    pub origin: Origin,
    /// Which figure.
    pub measure: Measure,
    /// The measure's label.
    pub label: &'static str,
    /// The figure.
    pub value: i64,
}

/// The bulletin of a day as JSON (`format=json`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BulletinJson {
    /// The reporting day.
    pub date: Date,
    /// The release number.
    pub release: u32,
    /// When it was published: null for a compilation's preview, and for a bulletin of the NHC,
    /// whose hour is not known (see `published_on`).
    pub published_at: Option<String>,
    /// The day it was published (absent for a preview).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<Date>,
    /// `National Health Commission` or `epiledger` (absent for a preview).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'static str>,
    /// Present and true for a preview of a compilation, which is not published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<bool>,
    /// The content hash of the published day.
    pub content_hash: String,
    /// Where the day came from.
    pub source: SourceRef,
    /// The language.
    pub lang: Lang,
    /// The text, a paragraph a line.
    pub text: Vec<String>,
    /// The structured paragraphs of the renderer (null for a day it makes nothing of).
    #[schema(value_type = Option<Vec<Object>>)]
    pub paragraphs: Option<serde_json::Value>,
    /// Every figure.
    pub facts: Vec<BulletinFact>,
    /// The day's corrections.
    pub corrections: Vec<epiledger_core::Correction>,
    /// What this release changes from the previous one.
    pub errata: Vec<Erratum>,
}

impl Published {
    /// Who published it, and when.
    pub fn publication(&self) -> Publication {
        Publication::of(self.date, self.source.kind, self.published_at)
    }
}

/// A rendered bulletin.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The body.
    pub body: Bytes,
    /// Its ETag (quoted).
    pub etag: String,
    /// Its content type.
    pub content_type: &'static str,
}

/// The cache of renderings and of each day's newest release.
#[derive(Default)]
pub struct Cache {
    latest: RwLock<HashMap<Date, (u32, Instant)>>,
    rendered: RwLock<HashMap<(Date, u32, Lang, Format), Rendered>>,
}

/// At most this many renderings are kept; beyond, the cache starts over.
const MAX_RENDERED: usize = 20_000;

impl Cache {
    /// The newest release of a day, if known within [`LATEST_TTL`].
    pub fn latest(&self, date: Date) -> Option<u32> {
        let m = self.latest.read().ok()?;
        let (n, at) = m.get(&date)?;
        (at.elapsed() < LATEST_TTL).then_some(*n)
    }

    /// Remembers the newest release of a day.
    pub fn set_latest(&self, date: Date, number: u32) {
        if let Ok(mut m) = self.latest.write() {
            m.insert(date, (number, Instant::now()));
        }
    }

    /// Forgets the newest release of a day (after a publication).
    pub fn forget_latest(&self, date: Date) {
        if let Ok(mut m) = self.latest.write() {
            m.remove(&date);
        }
    }

    /// Forgets the newest release of every day (when another server's publications may have
    /// been missed).
    pub fn forget_all_latest(&self) {
        if let Ok(mut m) = self.latest.write() {
            m.clear();
        }
    }

    /// A rendering, if cached.
    pub fn get(&self, key: &(Date, u32, Lang, Format)) -> Option<Rendered> {
        self.rendered.read().ok()?.get(key).cloned()
    }

    /// Keeps a rendering.
    pub fn put(&self, key: (Date, u32, Lang, Format), r: Rendered) {
        if let Ok(mut m) = self.rendered.write() {
            if m.len() >= MAX_RENDERED {
                m.clear();
            }
            m.insert(key, r);
        }
    }
}

fn region_name(r: &RegionId, lang: Lang) -> String {
    let code = r.code();
    let base = match lang {
        Lang::Zh => registry().get(code).map(|x| x.name_zh.to_string()),
        Lang::En => registry().get(code).map(|x| x.display_en().to_string()),
    }
    .unwrap_or_else(|| code.to_string());
    match r {
        RegionId::Code(_) => base,
        RegionId::Area { name, .. } => format!("{base} {name}"),
    }
}

fn origin_label(o: Origin, lang: Lang) -> &'static str {
    match (lang, o) {
        (Lang::Zh, o) => o.zh(),
        (Lang::En, Origin::All) => "all",
        (Lang::En, Origin::Imported) => "imported",
        (Lang::En, Origin::Local) => "local",
    }
}

fn measure_label(m: Measure, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => m.zh(),
        Lang::En => m.en(),
    }
}

/// The title of a release.
fn title(p: &Published, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日0—24时疫情通报（第{}版）",
            p.date.year(),
            p.date.month(),
            p.date.day(),
            p.number
        ),
        Lang::En => format!("Epidemic bulletin of {} (release {})", p.date, p.number),
    }
}

/// The lines of the plain bulletin: a title, the nation's figures, each region's.
fn plain_lines(p: &Published, lang: Lang) -> Vec<String> {
    let mut out = vec![title(p, lang)];
    let mut by_region: Vec<(&RegionId, Vec<&Fact>)> = Vec::new();
    for f in &p.day.facts {
        match by_region.last_mut() {
            Some((r, v)) if *r == &f.region => v.push(f),
            _ => by_region.push((&f.region, vec![f])),
        }
    }
    // The nation first.
    by_region.sort_by_key(|(r, _)| !r.is_nation());
    for (region, facts) in by_region {
        let figures: Vec<String> = facts
            .iter()
            .map(|f| match lang {
                Lang::Zh => format!(
                    "{}（{}）{}例",
                    measure_label(f.measure, lang),
                    origin_label(f.origin, lang),
                    f.value
                ),
                Lang::En => format!(
                    "{} ({}): {}",
                    measure_label(f.measure, lang),
                    origin_label(f.origin, lang),
                    f.value
                ),
            })
            .collect();
        let sep = if lang == Lang::Zh { "，" } else { "; " };
        let name = if region.is_nation() {
            match lang {
                Lang::Zh => "全国".to_string(),
                Lang::En => "Nationwide".to_string(),
            }
        } else {
            region_name(region, lang)
        };
        out.push(match lang {
            Lang::Zh => format!("{name}：{}。", figures.join(sep)),
            Lang::En => format!("{name}: {}.", figures.join(sep)),
        });
    }
    out
}

/// The errata paragraph's lines (none for a first release).
fn errata_lines(p: &Published, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !p.errata.is_empty() {
        out.push(match lang {
            Lang::Zh => format!("订正说明：本版修订了第{}版的以下数字：", p.number - 1),
            Lang::En => format!(
                "Errata: this release revises the following figures of release {}:",
                p.number - 1
            ),
        });
        for e in &p.errata {
            let show = |v: Option<i64>| v.map_or_else(|| "—".to_string(), |v| v.to_string());
            let region = region_name(&e.region, lang);
            let measure = measure_label(e.measure, lang);
            let origin = origin_label(e.origin, lang);
            let (old, new, reason) = (show(e.old), show(e.new), &e.reason);
            out.push(match lang {
                Lang::Zh => {
                    format!("{region}{measure}（{origin}）由{old}订正为{new}（{reason}）。")
                }
                Lang::En => {
                    format!("{region}, {measure} ({origin}): {old} revised to {new} ({reason}).")
                }
            });
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The structured bulletin of the renderer, if it makes one of the day with any words (a day
/// of a few units' partial figures, with no national total, it may not: the plain bulletin
/// then says every figure).
fn structured(p: &Published) -> Option<renderer::Bulletin> {
    let days = p
        .previous
        .iter()
        .cloned()
        .chain(std::iter::once(p.day.clone()));
    let ledger = Ledger::from_days(days);
    renderer::bulletin(&ledger, p.date, &RegionId::NATION).filter(|b| {
        !renderer::render(b, renderer::Lang::Zh, renderer::Format::Text)
            .trim()
            .is_empty()
    })
}

/// Renders a published release.
pub fn render(p: &Published, lang: Lang, format: Format) -> Rendered {
    let built = structured(p);
    let errata = errata_lines(p, lang);
    let text_lines = || -> Vec<String> {
        let mut l = match &built {
            Some(b) => std::iter::once(title(p, lang))
                .chain(
                    renderer::render(b, lang, renderer::Format::Text)
                        .lines()
                        .map(str::to_string),
                )
                .collect(),
            None => plain_lines(p, lang),
        };
        l.extend(errata.iter().cloned());
        l
    };
    let body = match format {
        Format::Text => text_lines().join("\n") + "\n",
        Format::Md => {
            let mut md = match &built {
                Some(b) => format!(
                    "# {}\n\n{}",
                    title(p, lang),
                    renderer::render(b, lang, renderer::Format::Md)
                ),
                None => {
                    let l = plain_lines(p, lang);
                    let mut md = format!("# {}\n\n", l[0]);
                    for line in &l[1..] {
                        md.push_str(line);
                        md.push_str("\n\n");
                    }
                    md
                }
            };
            for (i, line) in errata.iter().enumerate() {
                md.push_str(if i == 0 { "\n## " } else { "\n" });
                md.push_str(line);
                md.push('\n');
            }
            md
        }
        Format::Html => {
            let footer = format!(
                "<footer>release {} · {} · sha256 {}</footer>\n",
                p.number,
                escape(&p.publication().line(lang)),
                p.content_hash
            );
            let errata_html: String = errata
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        format!("<h2>{}</h2>\n", escape(l))
                    } else {
                        format!("<p>{}</p>\n", escape(l))
                    }
                })
                .collect();
            match &built {
                Some(b) => {
                    let page = renderer::render(b, lang, renderer::Format::Html);
                    let extra =
                        format!("<section class=\"errata\">\n{errata_html}</section>\n{footer}");
                    match page.rfind("</body>") {
                        Some(at) => format!("{}{extra}{}", &page[..at], &page[at..]),
                        None => page + &extra,
                    }
                }
                None => {
                    let l = plain_lines(p, lang);
                    let mut html = format!(
                        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<h1>{}</h1>\n",
                        if lang == Lang::Zh { "zh-CN" } else { "en" },
                        escape(&l[0]),
                        escape(&l[0])
                    );
                    for line in &l[1..] {
                        html.push_str(&format!("<p>{}</p>\n", escape(line)));
                    }
                    html.push_str(&errata_html);
                    html.push_str(&footer);
                    html.push_str("</body></html>\n");
                    html
                }
            }
        }
        Format::Json => {
            let facts = p
                .day
                .facts
                .iter()
                .map(|f| BulletinFact {
                    region: f.region.clone(),
                    region_name: region_name(&f.region, lang),
                    origin: f.origin,
                    measure: f.measure,
                    label: measure_label(f.measure, lang),
                    value: f.value,
                })
                .collect();
            let paragraphs = built.as_ref().and_then(|b| {
                serde_json::from_str::<serde_json::Value>(&renderer::render(
                    b,
                    lang,
                    renderer::Format::Json,
                ))
                .ok()
                .map(|mut v| v["paragraphs"].take())
            });
            let doc = BulletinJson {
                date: p.date,
                release: p.number,
                published_at: p.publication().published_at,
                published_on: Some(p.publication().published_on),
                publisher: Some(p.publication().publisher),
                preview: None,
                content_hash: p.content_hash.clone(),
                source: SourceRef {
                    kind: p.source.kind,
                    name: p.source.name.clone(),
                },
                lang,
                text: text_lines(),
                paragraphs,
                facts,
                corrections: p.day.corrections.clone(),
                errata: p.errata.clone(),
            };
            // Plain data (strings, numbers, enums): serializing it cannot fail.
            serde_json::to_string(&doc).unwrap_or_default()
        }
    };
    let etag = format!(
        "\"{}-{}-{:?}-{:?}\"",
        &p.content_hash[..p.content_hash.len().min(16)],
        p.number,
        lang,
        format
    )
    .to_ascii_lowercase();
    Rendered {
        body: Bytes::from(body),
        etag,
        content_type: format.content_type(),
    }
}

#[cfg(test)]
mod publication_tests {
    use super::*;

    #[test]
    fn a_bulletin_of_the_nhc_has_its_day_and_no_hour_a_release_its_time() {
        let d: Date = "2020-06-19".parse().unwrap();
        let t = chrono::DateTime::parse_from_rfc3339("2020-06-19T16:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let nhc = Publication::of(d, SourceKind::Embedded, t);
        assert_eq!(nhc.publisher, "National Health Commission");
        assert_eq!(nhc.published_on.to_string(), "2020-06-20");
        assert_eq!(nhc.published_at, None);
        assert_eq!(
            nhc.line(Lang::En),
            "published by the National Health Commission on 2020-06-20"
        );
        let ours = Publication::of(d, SourceKind::Report, t);
        assert_eq!(ours.publisher, "epiledger");
        assert_eq!(ours.published_on.to_string(), "2020-06-20");
        assert_eq!(
            ours.published_at.as_deref(),
            Some("2020-06-19T16:00:00.000000Z")
        );
    }
}
