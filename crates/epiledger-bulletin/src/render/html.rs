//! The bulletin as one standalone, printable HTML page, with both languages: the one asked for
//! first, the other after it.

use minijinja::{context, Environment};

use super::document::Bulletin;
use super::{text, title, Lang};

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: "Noto Serif", "Source Han Serif SC", "Songti SC", serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.7; color: #111; }
nav { font-size: 0.9em; margin-bottom: 1.5em; }
nav a { margin-right: 1em; }
h1 { font-size: 1.4em; line-height: 1.3; }
article p { text-align: justify; }
article[lang="zh"] p { text-indent: 2em; }
footer { font-size: 0.8em; color: #555; border-top: 1px solid #ccc; margin-top: 2em; padding-top: 0.5em; }
@media print { nav { display: none; } article + article { page-break-before: always; } body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<nav>{% for v in versions %}<a href="#{{ v.lang }}">{{ v.label }}</a>{% endfor %}</nav>
{% for v in versions %}
<article id="{{ v.lang }}" lang="{{ v.lang }}">
<h1>{{ v.title }}</h1>
{% for p in v.paragraphs %}<p>{{ p }}</p>
{% endfor %}</article>
{% endfor %}
<footer>{{ footer }}</footer>
</body>
</html>
"##;

/// The bulletin as a standalone HTML page; `lang` comes first.
pub fn write(b: &Bulletin, lang: Lang) -> String {
    let order = match lang {
        Lang::Zh => [Lang::Zh, Lang::En],
        Lang::En => [Lang::En, Lang::Zh],
    };
    let versions: Vec<_> = order
        .iter()
        .map(|&l| {
            let body = text(b, l);
            let paragraphs: Vec<String> = body.lines().map(str::to_string).collect();
            context! {
                lang => l.code(),
                label => match l { Lang::Zh => "中文", Lang::En => "English" },
                title => title(b, l),
                paragraphs => paragraphs,
            }
        })
        .collect();
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let rendered = env.add_template("page.html", PAGE).and_then(|_| {
        env.get_template("page.html")?.render(context! {
            lang => lang.code(),
            title => title(b, lang),
            versions => versions,
            footer => format!("epiledger · {} · {}", b.date, b.scope),
        })
    });
    rendered.unwrap_or_else(|e| format!("<!DOCTYPE html><p>{}</p>", escape(&e.to_string())))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
