//! The pseudonym of a person: HMAC-SHA-256 of the normalized identity-document number, with a
//! per-deployment key. The number itself is never stored; the register keeps the 32-byte
//! digest (shown as 64 hex digits) to find two cards of the same person.
//!
//! HMAC is written out over `sha2` (RFC 2104; checked against RFC 4231's test vectors) so that
//! the register needs no other crate for it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// The environment variable the operator sets the key in (read by the command line, never by
/// this crate).
pub const KEY_ENV: &str = "EPILEDGER_PSEUDONYM_KEY";

/// The shortest key accepted, in bytes.
pub const MIN_KEY_LEN: usize = 16;

/// A person's pseudonym: the HMAC-SHA-256 digest. Displayed as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonKey(pub [u8; 32]);

impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonKey({self})")
    }
}

impl fmt::Display for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// A text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a person pseudonym is 64 hex digits (HMAC-SHA-256); found {0} characters")]
pub struct PersonKeyError(pub usize);

impl FromStr for PersonKey {
    type Err = PersonKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| PersonKeyError(s.chars().count()))?;
        Ok(PersonKey(out))
    }
}

impl Serialize for PersonKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PersonKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Why an identity number could not be pseudonymised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PseudonymError {
    /// No key is configured: the register refuses cards that carry an identity number.
    #[error(
        "no pseudonym key is set, so cards with an identity number cannot be taken: set \
         {KEY_ENV} to a secret of at least {MIN_KEY_LEN} bytes, or name a file holding it with \
         --pseudonym-key-file (keep it: the same person gets the same pseudonym only under the \
         same key)"
    )]
    NoKey,
    /// The key is too short.
    #[error("the pseudonym key has {0} bytes; use at least {MIN_KEY_LEN}")]
    ShortKey(usize),
    /// Nothing left after normalization.
    #[error("the identity number is empty")]
    Empty,
    /// A character that no identity number has.
    #[error(
        "the identity number has a character `{0}` that is not a letter or digit (spaces and \
         hyphens are ignored)"
    )]
    BadCharacter(char),
}

/// Pseudonymises identity numbers with one deployment's key.
#[derive(Clone)]
pub struct Pseudonymizer {
    inner: Sha256,
    outer: Sha256,
}

impl fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymizer(<key>)")
    }
}

impl Pseudonymizer {
    /// A pseudonymizer with this key (at least [`MIN_KEY_LEN`] bytes).
    pub fn new(key: &[u8]) -> Result<Pseudonymizer, PseudonymError> {
        if key.len() < MIN_KEY_LEN {
            return Err(PseudonymError::ShortKey(key.len()));
        }
        Ok(Pseudonymizer::with_any_key(key))
    }

    /// From an optional key: `None` is [`PseudonymError::NoKey`], which says how to set it.
    pub fn from_optional(key: Option<&[u8]>) -> Result<Pseudonymizer, PseudonymError> {
        key.ok_or(PseudonymError::NoKey)
            .and_then(Pseudonymizer::new)
    }

    /// HMAC with any key length (RFC 2104); for the test vectors.
    fn with_any_key(key: &[u8]) -> Pseudonymizer {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut ipad = [0x36u8; 64];
        let mut opad = [0x5cu8; 64];
        for i in 0..64 {
            ipad[i] ^= block[i];
            opad[i] ^= block[i];
        }
        let mut inner = Sha256::new();
        inner.update(ipad);
        let mut outer = Sha256::new();
        outer.update(opad);
        Pseudonymizer { inner, outer }
    }

    fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(message);
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    /// The pseudonym of an identity number, after [`normalize_id`].
    pub fn pseudonym(&self, id_number: &str) -> Result<PersonKey, PseudonymError> {
        let n = normalize_id(id_number)?;
        Ok(PersonKey(self.mac(n.as_bytes())))
    }
}

/// The canonical form of an identity number: full-width characters made half-width, spaces and
/// hyphens dropped, letters upper-cased (the check character `x` of a resident identity card
/// is `X`). Anything but letters and digits is refused.
pub fn normalize_id(id: &str) -> Result<String, PseudonymError> {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if c.is_whitespace() || c == '-' {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return Err(PseudonymError::BadCharacter(c));
        }
        out.push(c.to_ascii_uppercase());
    }
    if out.is_empty() {
        return Err(PseudonymError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_vectors() {
        // Test case 1.
        let p = Pseudonymizer::with_any_key(&[0x0b; 20]);
        assert_eq!(
            hex::encode(p.mac(b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // Test case 2: a short key.
        let p = Pseudonymizer::with_any_key(b"Jefe");
        assert_eq!(
            hex::encode(p.mac(b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        let p = Pseudonymizer::with_any_key(&[0xaa; 131]);
        assert_eq!(
            hex::encode(p.mac(b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn normalizes_before_hashing() {
        let p = Pseudonymizer::new(b"a deployment key of 32 bytes....").unwrap();
        let a = p.pseudonym("11010519491231002x").unwrap();
        let b = p.pseudonym(" 110105-19491231-002X ").unwrap();
        let c = p.pseudonym("１１０１０５１９４９１２３１００２Ｘ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.to_string().len(), 64);
        assert_eq!(a.to_string().parse::<PersonKey>().unwrap(), a);
        let other = Pseudonymizer::new(b"another deployment key, 32 bytes").unwrap();
        assert_ne!(other.pseudonym("11010519491231002X").unwrap(), a);
        assert_eq!(p.pseudonym(" - "), Err(PseudonymError::Empty));
        assert_eq!(
            p.pseudonym("1101/05"),
            Err(PseudonymError::BadCharacter('/'))
        );
    }

    #[test]
    fn a_missing_key_says_how_to_set_it() {
        let e = Pseudonymizer::from_optional(None).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains(KEY_ENV) && msg.contains("--pseudonym-key-file"),
            "{msg}"
        );
        assert_eq!(
            Pseudonymizer::new(b"short").unwrap_err(),
            PseudonymError::ShortKey(5)
        );
        assert_eq!(
            format!("{:?}", Pseudonymizer::new(&[1; 16]).unwrap()),
            "Pseudonymizer(<key>)"
        );
    }
}
