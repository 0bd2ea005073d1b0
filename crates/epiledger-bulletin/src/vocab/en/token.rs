//! The English text as tokens: words (lowercased, hyphenated words split), numbers (with or
//! without thousands separators, or written as words), and punctuation (full-width and typographic
//! forms mapped to ASCII). Every token keeps the byte span it came from in the original text, so
//! that an unplaced number is reported as written, at its line and column.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A word, lowercased (`guangdong`, `covid-19`, `xi'an`), or a run of Chinese characters.
    Word,
    /// A whole number: `27`, `78,410`, `twenty-one`, `19th`.
    Num,
    /// A number with a decimal point (`1.5`): never a figure of the bulletin.
    Dec,
    /// One punctuation character, mapped to ASCII (`，` → `,`, `—` → `-`).
    Punct,
}

/// A token of the text.
#[derive(Clone, Debug)]
pub struct Tok {
    /// What it is.
    pub kind: Kind,
    /// The word (lowercased), the punctuation character, or the number's digits.
    pub text: String,
    /// The value of a number.
    pub value: i64,
    /// The byte span in the original text.
    pub start: usize,
    /// The end of the span.
    pub end: usize,
    /// Whether the word begins with a capital letter in the original.
    pub cap: bool,
    /// Whether a line break comes before the token.
    pub nl: bool,
    /// A number written as words (`three`), or an ordinal (`19th`).
    pub spelled: bool,
    /// An ordinal (`19th`, `25th`).
    pub ordinal: bool,
}

impl Tok {
    /// Whether the token is the word `w`.
    pub fn is(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text == w
    }
    /// Whether the token is the punctuation `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.starts_with(c)
    }
    /// Whether the token is a whole number.
    pub fn is_num(&self) -> bool {
        self.kind == Kind::Num
    }
    /// Whether the token is a run of Chinese characters.
    pub fn is_cjk(&self) -> bool {
        self.kind == Kind::Word && self.text.chars().next().is_some_and(is_cjk)
    }
}

/// Whether a character is Chinese (CJK ideographs and their punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Maps a punctuation character to its ASCII form; `None` for characters that are no
/// punctuation of a report (symbols are kept as they are).
fn ascii_punct(c: char) -> char {
    match c {
        '，' | '、' => ',',
        '。' | '．' => '.',
        '；' => ';',
        '：' => ':',
        '（' | '［' | '【' | '[' => '(',
        '）' | '］' | '】' | ']' => ')',
        '！' => '!',
        '？' => '?',
        '–' | '—' | '―' | '−' | '‐' | '‑' | '－' | '~' | '～' => '-',
        '“' | '”' | '„' | '«' | '»' | '＂' => '"',
        '‘' | '’' | '`' | '´' | '＇' => '\'',
        c => c,
    }
}

/// Spaces that may separate groups of thousands (`1 234`): the no-break and thin spaces.
fn is_group_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// Splits a text into tokens.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |(at, _)| *at);
    let mut out: Vec<Tok> = Vec::new();
    let mut nl = false;
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
            nl = true;
            k += 1;
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
            k += 1;
            continue;
        }
        let digit = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_ascii_digit());
        let full_digit = |c: char| ('０'..='９').contains(&c);
        if c.is_ascii_digit() || full_digit(c) {
            // A number: digits, groups of three after a comma or a group space, a decimal part,
            // an ordinal suffix; or a word that starts with digits (2019-nCoV).
            let mut j = k;
            let mut digits = String::new();
            while j < chars.len() && (chars[j].1.is_ascii_digit() || full_digit(chars[j].1)) {
                let d = chars[j].1;
                digits.push(if full_digit(d) {
                    char::from(b'0' + (d as u32 - '０' as u32) as u8)
                } else {
                    d
                });
                j += 1;
            }
            if digits.len() <= 3 {
                loop {
                    let sep = chars.get(j).map(|(_, c)| *c);
                    let grouped =
                        matches!(sep, Some(',') | Some('，')) || sep.is_some_and(is_group_space);
                    if grouped && digit(j + 1) && digit(j + 2) && digit(j + 3) && !digit(j + 4) {
                        for d in 1..=3 {
                            digits.push(chars[j + d].1);
                        }
                        j += 4;
                    } else {
                        break;
                    }
                }
            }
            let next = chars.get(j).map(|(_, c)| *c);
            if next == Some('.') && digit(j + 1) {
                let mut e = j + 1;
                while digit(e) {
                    e += 1;
                }
                out.push(Tok {
                    kind: Kind::Dec,
                    text: text[at..end_of(e)].to_string(),
                    value: 0,
                    start: at,
                    end: end_of(e),
                    cap: false,
                    nl: std::mem::take(&mut nl),
                    spelled: false,
                    ordinal: false,
                });
                k = e;
                continue;
            }
            // 2019-nCoV, COVID-19 is read as a word below; 24-hour and 2019-nCoV here.
            if next == Some('-')
                && chars
                    .get(j + 1)
                    .is_some_and(|(_, c)| c.is_alphabetic() && !is_cjk(*c))
            {
                let e = word_end(&chars, j + 1);
                out.push(word_tok(text, at, end_of(e), std::mem::take(&mut nl)));
                k = e;
                continue;
            }
            let lower_at = |j: usize| chars.get(j).map(|(_, c)| c.to_ascii_lowercase());
            let suffix = [lower_at(j), lower_at(j + 1)];
            let ordinal = matches!(
                suffix,
                [Some('s'), Some('t')]
                    | [Some('n'), Some('d')]
                    | [Some('r'), Some('d')]
                    | [Some('t'), Some('h')]
            ) && !chars.get(j + 2).is_some_and(|(_, c)| c.is_alphanumeric());
            let e = if ordinal { j + 2 } else { j };
            let value = digits.parse::<i64>().unwrap_or(i64::MAX);
            out.push(Tok {
                kind: Kind::Num,
                text: digits,
                value,
                start: at,
                end: end_of(e),
                cap: false,
                nl: std::mem::take(&mut nl),
                spelled: ordinal,
                ordinal,
            });
            k = e;
            continue;
        }
        if is_cjk(c) {
            // A run of Chinese characters (a place's name given in Chinese): one word, with the
            // digits and parentheses inside it (仙桃等4市, 涉冬（残）奥闭环人员).
            let mut j = k;
            while j < chars.len() {
                let ch = chars[j].1;
                let inner = (ch.is_ascii_digit() || matches!(ch, '（' | '）'))
                    && chars
                        .get(j + 1)
                        .is_some_and(|(_, n)| is_cjk(*n) || *n == '（' || *n == '）')
                    && j > k;
                if is_cjk(ch) || inner {
                    j += 1;
                } else {
                    break;
                }
            }
            out.push(Tok {
                kind: Kind::Word,
                text: text[at..end_of(j)].to_string(),
                value: 0,
                start: at,
                end: end_of(j),
                cap: false,
                nl: std::mem::take(&mut nl),
                spelled: false,
                ordinal: false,
            });
            k = j;
            continue;
        }
        if c.is_alphabetic() {
            let e = word_end(&chars, k);
            let word = &text[at..end_of(e)];
            let has_digit = word.chars().any(|c| c.is_ascii_digit());
            if has_digit {
                out.push(word_tok(text, at, end_of(e), std::mem::take(&mut nl)));
            } else {
                // provincial-level → provincial level; a possessive 's stands apart.
                let mut from = at;
                for part in word.split('-') {
                    let pend = from + part.len();
                    if !part.is_empty() {
                        let (stem, poss) = match part
                            .strip_suffix("'s")
                            .or_else(|| part.strip_suffix("’s"))
                            .or_else(|| part.strip_suffix("'S"))
                        {
                            Some(s) if !s.is_empty() => (s, true),
                            _ => (part, false),
                        };
                        out.push(word_tok(
                            text,
                            from,
                            from + stem.len(),
                            std::mem::take(&mut nl),
                        ));
                        if poss {
                            out.push(Tok {
                                kind: Kind::Word,
                                text: "'s".to_string(),
                                value: 0,
                                start: from + stem.len(),
                                end: pend,
                                cap: false,
                                nl: false,
                                spelled: false,
                                ordinal: false,
                            });
                        }
                    }
                    from = pend + 1;
                }
            }
            k = e;
            continue;
        }
        // Punctuation and symbols, one character each.
        let p = ascii_punct(c);
        out.push(Tok {
            kind: Kind::Punct,
            text: p.to_string(),
            value: 0,
            start: at,
            end: end_of(k + 1),
            cap: false,
            nl: std::mem::take(&mut nl),
            spelled: false,
            ordinal: false,
        });
        k += 1;
    }
    spell_numbers(&mut out);
    out
}

/// The end of a word starting at `k`: letters and digits, with apostrophes and hyphens inside.
fn word_end(chars: &[(usize, char)], k: usize) -> usize {
    let mut j = k;
    while j < chars.len() {
        let c = chars[j].1;
        let inner = matches!(c, '\'' | '’' | '-' | '‐' | '‑')
            && j > k
            && chars
                .get(j + 1)
                .is_some_and(|(_, n)| n.is_alphanumeric() && !is_cjk(*n));
        if (c.is_alphanumeric() && !is_cjk(c)) || inner {
            j += 1;
        } else {
            break;
        }
    }
    j
}

fn word_tok(text: &str, start: usize, end: usize, nl: bool) -> Tok {
    let raw = &text[start..end];
    let lower: String = raw
        .chars()
        .map(|c| match c {
            '’' => '\'',
            '‐' | '‑' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    Tok {
        kind: Kind::Word,
        text: lower,
        value: 0,
        start,
        end,
        cap: raw.chars().next().is_some_and(char::is_uppercase),
        nl,
        spelled: false,
        ordinal: false,
    }
}

const UNITS: &[(&str, i64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];
const TENS: &[(&str, i64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

fn unit_value(w: &str) -> Option<i64> {
    UNITS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}
fn tens_value(w: &str) -> Option<i64> {
    TENS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// Numbers written as words become number tokens: `three`, `twenty-one`, `twenty one`,
/// `one hundred and five`, `two thousand`. `no one` stays words (nobody).
fn spell_numbers(toks: &mut Vec<Tok>) {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let starts = t.kind == Kind::Word
            && (unit_value(&t.text).is_some() || tens_value(&t.text).is_some())
            && !(t.text == "one" && out.last().is_some_and(|p: &Tok| p.is("no")));
        if !starts {
            out.push(toks[i].clone());
            i += 1;
            continue;
        }
        // Read [tens] [unit] [hundred [and] [tens] [unit]] [thousand …].
        let mut total = 0i64;
        let mut current = 0i64;
        let mut j = i;
        let mut last_kind = 0; // 1 unit, 2 tens, 3 scale
        while j < toks.len() && toks[j].kind == Kind::Word {
            let w = toks[j].text.as_str();
            if let Some(v) = tens_value(w).filter(|_| last_kind != 1 && last_kind != 2) {
                current += v;
                last_kind = 2;
            } else if let Some(v) = unit_value(w).filter(|_| last_kind != 1) {
                if last_kind == 2 && v >= 10 {
                    break;
                }
                current += v;
                last_kind = 1;
            } else if w == "hundred" && last_kind == 1 && current < 10 {
                current *= 100;
                last_kind = 3;
            } else if w == "thousand" && last_kind != 0 {
                total += current * 1000;
                current = 0;
                last_kind = 3;
            } else if w == "and"
                && last_kind == 3
                && toks
                    .get(j + 1)
                    .is_some_and(|n| unit_value(&n.text).is_some() || tens_value(&n.text).is_some())
            {
                // one hundred and five
            } else {
                break;
            }
            j += 1;
        }
        let first = &toks[i];
        let lastt = &toks[j - 1];
        out.push(Tok {
            kind: Kind::Num,
            text: (total + current).to_string(),
            value: total + current,
            start: first.start,
            end: lastt.end,
            cap: first.cap,
            nl: first.nl,
            spelled: true,
            ordinal: false,
        });
        i = j;
    }
    *toks = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn numbers_with_separators_and_words() {
        let t = tokenize("reported 78,410 cases, 1\u{a0}234 more, twenty-one and three; 3, 4");
        let nums: Vec<i64> = t.iter().filter(|t| t.is_num()).map(|t| t.value).collect();
        assert_eq!(nums, [78410, 1234, 21, 3, 3, 4]);
        assert_eq!(&"reported 78,410"[t[1].start..t[1].end], "78,410");
        assert!(t.iter().find(|t| t.value == 21).is_some_and(|t| t.spelled));
    }

    #[test]
    fn hyphens_possessives_and_special_words() {
        assert_eq!(
            words("provincial-level COVID-19 Hubei's Xi’an, 2019-nCoV"),
            [
                "provincial",
                "level",
                "covid-19",
                "hubei",
                "'s",
                "xi'an",
                ",",
                "2019-ncov"
            ]
        );
        assert_eq!(words("no one was"), ["no", "one", "was"]);
        assert!(!tokenize("no one was")[1].is_num());
        assert_eq!(words("one hundred and five"), ["105"]);
        assert_eq!(words("the 25th day"), ["the", "25", "day"]);
        assert!(tokenize("the 25th day")[1].ordinal);
    }

    #[test]
    fn chinese_names_and_full_width_punctuation() {
        let t = tokenize("1 in 仙桃等4市（x），2");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["1", "in", "仙桃等4市", "(", "x", ")", ",", "2"]);
        let t = tokenize("涉冬（残）奥闭环人员");
        assert_eq!(t.len(), 1);
    }
}
