//! The web pages of epiledger, served by `epiledger serve` next to the API:
//!
//! - `/`: the public dashboard (the latest bulletin, headline figures, curves, map, units);
//! - `/report`: the reporter's form (a unit's day, validated by the server's rules);
//! - `/desk`: the compiler's desk (completeness, compilation, approval, publication);
//! - `/assets/*`: the pages' scripts, styles, the vendored Apache ECharts and map of China,
//!   and the vocabulary (`vocab.json`, `regions.json`) generated from `epiledger-core`.
//!
//! Every file is compiled into the binary (`include_bytes!`); nothing is fetched from elsewhere
//! at run time. Files are served with their content type, a strong `ETag` (answering
//! `If-None-Match` with 304), gzip when the client accepts it (compressed once, when the router
//! is made), and `Cache-Control`: the pages and unversioned asset URLs are revalidated
//! (`no-cache`); the pages refer to assets under a versioned prefix, `/assets/v<hash>/…`, which
//! is cached for a year (`immutable`). The scripts import each other by relative URLs, so the
//! whole graph stays under the page's version.

mod vocab;

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Once, OnceLock};

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $path)) as &[u8])),*]
    };
}

/// The files under `assets/`, by their path there (a test checks that none is left out).
pub const EMBEDDED: &[(&str, &[u8])] = embed![
    "css/app.css",
    "favicon.svg",
    "js/api.js",
    "js/common.js",
    "js/i18n.js",
    "js/dashboard.js",
    "js/report.js",
    "js/desk.js",
    "js/cases.js",
    "vendor/README.md",
    "vendor/echarts.min.js",
    "vendor/china.json",
    "vendor/LICENSE-echarts.txt",
    "vendor/NOTICE-echarts.txt",
    "vendor/LICENSE-d3.txt",
];

/// The pages, by route, as templates: `{{assets}}` becomes the versioned asset prefix, and a
/// line that is only a partial's mark (`{{header}}`) becomes that partial (see [`render_page`]).
const PAGES: &[(&str, &str)] = &[
    ("/", include_str!("../pages/dashboard.html")),
    ("/report", include_str!("../pages/report.html")),
    ("/desk", include_str!("../pages/desk.html")),
    ("/cases", include_str!("../pages/cases.html")),
];

/// The site header of every page; `{{current ROUTE}}` marks the links to a page, which say
/// `aria-current="page"` on that page.
const HEADER: &str = include_str!("../pages/partials/header.html");
/// The sign-in form and the signed-in line of the reporter's and the compiler's pages.
const SIGNIN: &str = include_str!("../pages/partials/signin.html");
/// The head of the reporter's and the compiler's pages (not indexed; their own script):
/// `{{staff-head NAME}}` loads `js/NAME.js`.
const STAFF_HEAD: &str = include_str!("../pages/partials/staff-head.html");
/// The download buttons of a panel: `{{downloads NAME}}`, the buttons `dl-NAME-csv` and
/// `dl-NAME-json`.
const DOWNLOADS: &str = include_str!("../pages/partials/downloads.html");

/// A page's HTML from its template: each line that is only a partial's mark is replaced with
/// the partial (which carries its own indentation), then the asset prefix is filled in.
fn render_page(route: &str, template: &str, assets: &str) -> String {
    let mut html = String::with_capacity(template.len() + HEADER.len() + SIGNIN.len());
    for line in template.split_inclusive('\n') {
        let mark = line
            .trim()
            .strip_prefix("{{")
            .and_then(|m| m.strip_suffix("}}"));
        match mark.and_then(|m| partial(route, m)) {
            Some(p) => html.push_str(&p),
            None => html.push_str(line),
        }
    }
    html.replace("{{assets}}", assets)
}

/// The partial a mark names, for the page at `route`.
fn partial(route: &str, mark: &str) -> Option<String> {
    let (name, arg) = mark.split_once(' ').unwrap_or((mark, ""));
    match name {
        "header" => Some(PAGES.iter().fold(HEADER.to_string(), |h, (r, _)| {
            let current = if *r == route {
                " aria-current=\"page\""
            } else {
                ""
            };
            h.replace(&format!("{{{{current {r}}}}}"), current)
        })),
        "signin" => Some(SIGNIN.to_string()),
        "staff-head" => Some(STAFF_HEAD.replace("{{name}}", arg)),
        "downloads" => Some(DOWNLOADS.replace("{{name}}", arg)),
        _ => None,
    }
}

/// The policy of the pages: their own scripts only; styles may be set inline (the charts'
/// tooltips); requests only to this server.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

const REVALIDATE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A file ready to serve.
struct Prepared {
    body: Bytes,
    gzip: Option<Bytes>,
    etag: String,
    content_type: &'static str,
}

struct Catalog {
    files: HashMap<String, Prepared>,
    pages: HashMap<&'static str, Prepared>,
    version: String,
}

/// The media type of a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("image/svg")
}

fn prepare(body: Bytes, content_type: &'static str) -> Prepared {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", hex::encode(&digest[..12]));
    let gzip = (compressible(content_type) && body.len() > 512)
        .then(|| {
            let mut enc = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 3),
                flate2::Compression::best(),
            );
            enc.write_all(&body).ok()?;
            enc.finish().ok()
        })
        .flatten()
        .filter(|gz| gz.len() + 64 < body.len())
        .map(Bytes::from);
    Prepared {
        body,
        gzip,
        etag,
        content_type,
    }
}

fn build() -> Catalog {
    let mut files = HashMap::new();
    for (path, raw) in EMBEDDED {
        files.insert(
            (*path).to_string(),
            prepare(Bytes::from_static(raw), content_type(path)),
        );
    }
    files.insert(
        "vocab.json".into(),
        prepare(Bytes::from(vocab::vocab()), "application/json"),
    );
    files.insert(
        "regions.json".into(),
        prepare(Bytes::from(vocab::regions()), "application/json"),
    );
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    let mut h = Sha256::new();
    for n in names {
        h.update(n.as_bytes());
        h.update(b"\0");
        h.update(files[n].etag.as_bytes());
        h.update(b"\n");
    }
    let version = format!("v{}", &hex::encode(h.finalize())[..12]);
    let prefix = format!("/assets/{version}");
    let pages = PAGES
        .iter()
        .map(|(route, template)| {
            let html = render_page(route, template, &prefix);
            (
                *route,
                prepare(Bytes::from(html), "text/html; charset=utf-8"),
            )
        })
        .collect();
    Catalog {
        files,
        pages,
        version,
    }
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(build)
}

/// The version segment of the asset URLs the pages use (`v` and 12 hex digits).
pub fn assets_version() -> &'static str {
    &catalog().version
}

fn is_version(segment: &str) -> bool {
    segment.len() == 13
        && segment.starts_with('v')
        && segment[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

fn matches(headers: &HeaderMap, etags: &[&str]) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || etags.contains(&t))
}

fn respond(p: &Prepared, headers: &HeaderMap, cache: &'static str, page: bool) -> Response {
    let gz_etag = format!("{}-gz\"", p.etag.trim_end_matches('"'));
    let use_gzip = p.gzip.is_some() && accepts_gzip(headers);
    let etag = if use_gzip { &gz_etag } else { &p.etag };
    let mut res = if matches(headers, &[&p.etag, &gz_etag]) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = match (&p.gzip, use_gzip) {
            (Some(gz), true) => gz.clone(),
            _ => p.body.clone(),
        };
        let mut res = Response::new(Body::from(body));
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(p.content_type),
        );
        if use_gzip {
            res.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if p.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if page {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no such asset: {what}; the pages are /, /report and /desk"),
    )
        .into_response()
}

fn page(route: &'static str, headers: &HeaderMap) -> Response {
    match catalog().pages.get(route) {
        Some(p) => respond(p, headers, REVALIDATE, true),
        None => not_found(route),
    }
}

async fn dashboard(headers: HeaderMap) -> Response {
    page("/", &headers)
}

async fn report(headers: HeaderMap) -> Response {
    page("/report", &headers)
}

async fn desk(headers: HeaderMap) -> Response {
    page("/desk", &headers)
}

async fn cases(headers: HeaderMap) -> Response {
    page("/cases", &headers)
}

async fn asset(path: Option<Path<String>>, headers: HeaderMap) -> Response {
    let Some(Path(path)) = path else {
        return not_found("(unreadable path)");
    };
    let c = catalog();
    let (rest, cache) = match path.split_once('/') {
        Some((first, rest)) if is_version(first) => (
            rest,
            if first == c.version {
                IMMUTABLE
            } else {
                REVALIDATE
            },
        ),
        _ => (path.as_str(), REVALIDATE),
    };
    match c.files.get(rest) {
        Some(p) => respond(p, &headers, cache, false),
        None => not_found(rest),
    }
}

/// The routes of the pages and their assets, to merge into the server's router (any state).
///
/// The first call prepares the files (hashes, gzip) on a background thread, so that the
/// server answers its first page without waiting for it.
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("epiledger-web-assets".into())
            .spawn(|| {
                catalog();
            });
    });
    Router::new()
        .route("/", get(dashboard))
        .route("/report", get(report))
        .route("/desk", get(desk))
        .route("/cases", get(cases))
        .route("/assets/{*path}", get(asset))
}
