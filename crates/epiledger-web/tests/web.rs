//! The pages and assets as the router serves them: every file compiled in, the right types,
//! validators, caching and compression, no reference outside the server, and the words of both
//! languages.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use tower::ServiceExt;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

async fn get(path: &str, headers: &[(&str, &str)]) -> (Response<Body>, Vec<u8>) {
    let mut req = Request::builder().uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = epiledger_web::router::<()>()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap().to_vec();
    (Response::from_parts(parts, Body::empty()), bytes)
}

fn h(res: &Response<Body>, name: header::HeaderName) -> &str {
    res.headers()
        .get(&name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

fn prefix() -> String {
    format!("/assets/{}", epiledger_web::assets_version())
}

#[test]
fn every_file_under_assets_is_compiled_in() {
    let base = manifest().join("assets");
    let mut on_disk = Vec::new();
    files_under(&base, &base, &mut on_disk);
    let on_disk: BTreeSet<String> = on_disk.into_iter().collect();
    let embedded: BTreeSet<String> = epiledger_web::EMBEDDED
        .iter()
        .map(|(p, _)| (*p).to_string())
        .collect();
    assert_eq!(
        on_disk, embedded,
        "list every file of assets/ in EMBEDDED (and nothing else)"
    );
    for (path, bytes) in epiledger_web::EMBEDDED {
        assert_eq!(
            std::fs::read(base.join(path)).unwrap(),
            *bytes,
            "{path} is stale"
        );
    }
}

#[tokio::test]
async fn pages_are_html_with_a_policy_and_validators() {
    for route in ["/", "/report", "/desk"] {
        let (res, body) = get(route, &[]).await;
        assert_eq!(res.status(), StatusCode::OK, "{route}");
        assert_eq!(h(&res, header::CONTENT_TYPE), "text/html; charset=utf-8");
        assert_eq!(h(&res, header::CACHE_CONTROL), "no-cache");
        assert!(h(&res, header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
        assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        let html = String::from_utf8(body).unwrap();
        assert!(!html.contains("{{"), "{route}: a template mark is left");
        assert!(html.contains(&format!("{}/css/app.css", prefix())));
        assert!(
            html.contains("<main id=\"main\""),
            "{route}: a main landmark"
        );
        assert!(html.contains("class=\"skip-link\""), "{route}: a skip link");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang="));
        let etag = h(&res, header::ETAG).to_string();
        assert!(etag.starts_with('"') && etag.len() > 10);
        let (again, body) = get(route, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(body.is_empty());
        assert_eq!(h(&again, header::ETAG), etag);
    }
}

/// The URLs a page or stylesheet refers to: src, href, and ES module imports.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["src=\"", "href=\"", "from '", "import('"] {
        let mut rest = text;
        while let Some(i) = rest.find(key) {
            rest = &rest[i + key.len()..];
            let end = rest.find(['"', '\'']).unwrap_or(0);
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[tokio::test]
async fn everything_a_page_refers_to_is_served_and_nothing_comes_from_elsewhere() {
    let p = prefix();
    for route in ["/", "/report", "/desk"] {
        let (_, body) = get(route, &[]).await;
        let html = String::from_utf8(body).unwrap();
        let refs = references(&html);
        assert!(
            refs.iter().filter(|r| r.starts_with("/assets/")).count() >= 3,
            "{route}: {refs:?}"
        );
        for r in refs {
            assert!(
                !r.starts_with("http:") && !r.starts_with("https:") && !r.starts_with("//"),
                "{route} refers to {r}"
            );
            if r.starts_with("/assets/") {
                let (res, _) = get(&r, &[]).await;
                assert_eq!(res.status(), StatusCode::OK, "{route} refers to {r}");
                assert_eq!(
                    h(&res, header::CACHE_CONTROL),
                    "public, max-age=31536000, immutable"
                );
            }
        }
    }
    // Our own scripts and styles: imports resolve to embedded files, and no absolute URL.
    for (path, bytes) in epiledger_web::EMBEDDED {
        if path.starts_with("vendor/") || !(path.ends_with(".js") || path.ends_with(".css")) {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{path} names an absolute URL"
        );
        for r in references(text) {
            if let Some(name) = r.strip_prefix("./") {
                let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                let target = format!("{p}/{dir}/{name}");
                let (res, _) = get(&target, &[]).await;
                assert_eq!(res.status(), StatusCode::OK, "{path} imports {r}");
            }
        }
    }
}

#[tokio::test]
async fn assets_have_their_types_gzip_and_caching() {
    let p = prefix();
    let cases = [
        ("vendor/echarts.min.js", "text/javascript; charset=utf-8"),
        ("js/dashboard.js", "text/javascript; charset=utf-8"),
        ("css/app.css", "text/css; charset=utf-8"),
        ("vendor/china.json", "application/json"),
        ("favicon.svg", "image/svg+xml"),
        ("vendor/LICENSE-echarts.txt", "text/plain; charset=utf-8"),
        ("vocab.json", "application/json"),
        ("regions.json", "application/json"),
    ];
    for (path, ty) in cases {
        let (plain, raw) = get(&format!("{p}/{path}"), &[]).await;
        assert_eq!(plain.status(), StatusCode::OK, "{path}");
        assert_eq!(h(&plain, header::CONTENT_TYPE), ty, "{path}");
        assert_eq!(h(&plain, header::CONTENT_ENCODING), "", "{path}");
        let (gz, body) = get(
            &format!("{p}/{path}"),
            &[("accept-encoding", "br, gzip;q=0.8")],
        )
        .await;
        if h(&gz, header::CONTENT_ENCODING) == "gzip" {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, raw, "{path}: gzip is the same file");
            assert!(body.len() < raw.len());
            assert_eq!(h(&gz, header::VARY), "Accept-Encoding");
            assert_ne!(h(&gz, header::ETAG), h(&plain, header::ETAG));
        } else {
            assert!(raw.len() < 1024, "{path} is large and not compressed");
        }
        // Either validator answers 304.
        for etag in [h(&plain, header::ETAG), h(&gz, header::ETAG)] {
            let (res, _) = get(&format!("{p}/{path}"), &[("if-none-match", etag)]).await;
            assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{path} {etag}");
        }
    }
    let (refused, _) = get(
        &format!("{p}/vendor/echarts.min.js"),
        &[("accept-encoding", "gzip;q=0, identity")],
    )
    .await;
    assert_eq!(h(&refused, header::CONTENT_ENCODING), "");
    // Without the version, or with another, assets are revalidated; unknown ones are 404.
    let (res, _) = get("/assets/css/app.css", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, header::CACHE_CONTROL), "no-cache");
    let (res, _) = get("/assets/v000000000000/css/app.css", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, header::CACHE_CONTROL), "no-cache");
    for missing in [
        "/assets/nope.js",
        "/assets/../Cargo.toml",
        "/assets/js/../../Cargo.toml",
    ] {
        let (res, _) = get(missing, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn the_vocabulary_is_the_ledgers() {
    let (_, body) = get(&format!("{}/vocab.json", prefix()), &[]).await;
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let measures = v["measures"].as_array().unwrap();
    assert_eq!(measures.len(), epiledger_core::Measure::ALL.len());
    let first = &measures[0];
    assert_eq!(first["name"], "confirmed_new");
    assert_eq!(first["zh"], "新增确诊病例");
    assert_eq!(first["en"], "new confirmed cases");
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 32);
    assert_eq!(units[0]["code"], "110000");
    assert_eq!(units[0]["short"], "北京");
    assert_eq!(units[31]["code"], "660000");
    let notifying: Vec<&str> = v["notifying"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(notifying, ["810000", "820000", "710000"]);
    let (_, body) = get(&format!("{}/regions.json", prefix()), &[]).await;
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert!(rows.len() > 3000);
    assert!(rows
        .iter()
        .any(|r| r[0] == "110105" && r[1] == "110000" && r[3] == "朝阳区"));
}

/// The keys of the `zh` and `en` word lists of a script.
fn keys(text: &str, start: &str) -> BTreeSet<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let mut out = BTreeSet::new();
    for line in text[from + start.len()..].lines().skip(1) {
        let l = line.trim();
        if l.starts_with('}') {
            break;
        }
        let key = if let Some(rest) = l.strip_prefix('\'') {
            rest.split('\'').next()
        } else {
            l.split(':').next().filter(|k| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            })
        };
        if let Some(k) = key {
            out.insert(k.to_string());
        }
    }
    out
}

#[test]
fn both_languages_have_the_same_words() {
    let js = manifest().join("assets/js");
    let read = |f: &str| std::fs::read_to_string(js.join(f)).unwrap();
    let i18n = read("i18n.js");
    let base = keys(&i18n, "const zh = {");
    assert!(base.len() > 50, "i18n.js: {} keys", base.len());
    assert_eq!(base, keys(&i18n, "const en = {"));
    for f in ["report.js", "desk.js"] {
        let text = read(f);
        let zh = keys(&text, "  zh: {");
        assert!(zh.len() > 20, "{f}: {} keys", zh.len());
        assert_eq!(zh, keys(&text, "  en: {"), "{f}");
    }
    // Every key a page's markup uses is defined.
    let mut all = keys(&i18n, "const zh = {");
    all.extend(keys(&read("report.js"), "  zh: {"));
    all.extend(keys(&read("desk.js"), "  zh: {"));
    for page in [
        "dashboard.html",
        "report.html",
        "desk.html",
        "partials/header.html",
        "partials/signin.html",
        "partials/downloads.html",
    ] {
        let html = std::fs::read_to_string(manifest().join("pages").join(page)).unwrap();
        for (marker, sep) in [("data-i18n=\"", '"'), ("data-i18n-attr=\"", '"')] {
            let mut rest = html.as_str();
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                let value = &rest[..rest.find(sep).unwrap()];
                for part in value.split(';') {
                    let key = part.rsplit(':').next().unwrap().trim();
                    assert!(all.contains(key), "{page} uses the undefined word `{key}`");
                }
            }
        }
    }
}
